"""Climate facts the synthetic Jena station series is built from: which numbers, and from where?

Nothing here is read at run time. The figures were computed once, by hand, from real DWD
daily climate files (DWD Climate Data Center, daily "KL" product; licence DL-DE/BY-2-0,
attribution "Deutscher Wetterdienst") and from the project fact sheet, and typed in:

* ``ERFURT_*``: station 01270 Erfurt-Weimar (316 m, ≈ 40 km west of Jena), file
  ``dwd_01270_erfurt_weimar_produkt_klima_tag_19510101_20181231.txt`` (24,837 days,
  1951-01-01 … 2018-12-31; no missing temperatures, three missing precipitation days).
  Columns used: ``TXK`` (daily max), ``TNK`` (daily min), ``TMK`` (daily mean), ``RSK``
  (precipitation, mm); ``-999`` treated as missing.
* ``JENA_*``: station 02444 Jena (Sternwarte) (155 m), FACTS.md section 6, derived there from
  ``dwd_02444_jena_sternwarte_produkt_klima_tag_20180704_20200104.txt`` and the Erfurt file of
  the same 550 days; the precipitation ratio was computed from the same two files. The 2019
  monthly means and summer quantiles and the tmin spread ratio were derived from the same
  files later, with the decade figures and daily quantiles of the Erfurt record, to calibrate
  the warm tail (hot days, summer days, tropical nights).
* ``JENA_FROM_ERFURT_*``: the Erfurt record shifted by the Jena offsets, for checks only.

Seasons are meteorological: 0 = DJF, 1 = MAM, 2 = JJA, 3 = SON. Temperatures in °C, differences
in K, precipitation in mm, trends in K per decade.
"""

from __future__ import annotations

#: Where the climate facts come from (catalog ``source``, German and English).
SOURCE_CLIMATE = {
    "de": "Nur dokumentierte Fakten, ohne Datendateien: Kennzahlen aus täglichen Klimadaten "
    "des DWD (Deutscher Wetterdienst, DL-DE/BY-2-0), Station 01270 Erfurt-Weimar 1951–2018 "
    "und Station 02444 Jena (Sternwarte) 04.07.2018 … 04.01.2020",
    "en": "Facts only, no files: figures derived from DWD daily climate data (Deutscher "
    "Wetterdienst, DL-DE/BY-2-0), station 01270 Erfurt-Weimar 1951–2018 and station 02444 "
    "Jena (Sternwarte) 2018-07-04 … 2020-01-04",
}

#: The real Jena station the synthetic series stands in for (FACTS.md section 6).
JENA_STATION_ID = "02444"
JENA_STATION_NAME = "Jena (Sternwarte)"
#: Station position (lon, lat, WGS84) and height (m), from dwd_stations_thueringen_subset.csv.
JENA_STATION_LONLAT: tuple[float, float] = (11.5830, 50.9251)
JENA_STATION_HEIGHT_M = 155.0

# --- Erfurt-Weimar temperature climatology ---------------------------------------------------

#: Reference period of the climatology.
REFERENCE_PERIOD: tuple[int, int] = (1961, 1990)
#: Monthly means Jan…Dec of TXK over 1961-01-01 … 1990-12-31 (mean of all days of the month).
ERFURT_TMAX_1961_1990: tuple[float, ...] = (
    1.45, 2.66, 6.99, 12.03, 17.17, 20.33, 22.13, 22.05, 18.43, 13.05, 6.44, 2.65,
)  # fmt: skip
#: Same for TNK.
ERFURT_TMIN_1961_1990: tuple[float, ...] = (
    -3.74, -3.25, -0.48, 2.73, 6.97, 10.23, 11.80, 11.66, 9.11, 5.41, 0.92, -2.17,
)  # fmt: skip
#: Same for TMK; for reference only, the series derives tmean.
ERFURT_TMEAN_1961_1990: tuple[float, ...] = (
    -1.20, -0.46, 2.95, 7.07, 11.91, 15.13, 16.80, 16.57, 13.38, 8.87, 3.54, 0.20,
)  # fmt: skip
#: Means over all days of 1961–1990 (TXK, TNK, TMK); the month-length-weighted mean of the
#: rounded monthly figures above gives the same within 0.01 K.
ERFURT_TMAX_ANNUAL_1961_1990 = 12.16
ERFURT_TMIN_ANNUAL_1961_1990 = 4.14
ERFURT_TMEAN_ANNUAL_1961_1990 = 7.94
#: Monthly mean of TMK − (TXK + TNK) / 2 over 2001–2018, when TMK is the mean of 24 hourly
#: values (the definition of the 2019 Jena figure; with the older three-reading mean,
#: 1961–1990, the annual value is −0.21 K instead of +0.07 K).
ERFURT_TMEAN_MINUS_MIDRANGE_2001_2018: tuple[float, ...] = (
    0.16, 0.07, -0.05, 0.13, 0.24, 0.15, 0.06, 0.01, -0.02, -0.04, 0.03, 0.13,
)  # fmt: skip

# --- long-term change and year-to-year variability --------------------------------------------

#: Annual means of TXK and TNK, 1951–2018, fitted by least squares with a "hinge":
#: level + slope × max(0, year − 1980). 1980 is the break year with the smallest residual
#: for TXK and TMK (scanning 1965–2000; TNK: 1979, practically the same fit). Before it the
#: data show no warming (1951–1980 alone: −0.29 K/decade for TXK, −0.12 for TNK).
TREND_BREAK_YEAR = 1980
#: Slope after the break, K per decade (TXK 0.370, TNK 0.273; TMK 0.404).
TREND_TMAX_K_PER_DECADE = 0.37
TREND_TMIN_K_PER_DECADE = 0.27
#: The same hinge fit to seasonal means (DJF counted to the year of its January), K per decade,
#: DJF/MAM/JJA/SON: summer days warmed most, autumn least. Their mean is the annual slope.
TREND_TMAX_SEASONAL: tuple[float, float, float, float] = (0.38, 0.44, 0.45, 0.18)
TREND_TMIN_SEASONAL: tuple[float, float, float, float] = (0.35, 0.29, 0.27, 0.15)
#: Standard deviation of the annual means around the hinge fit, K (ddof = 2), and the
#: correlation of the TXK and TNK residuals.
INTERANNUAL_SD_TMAX = 0.88
INTERANNUAL_SD_TMIN = 0.68
INTERANNUAL_CORR = 0.85

# --- summers by decade ------------------------------------------------------------------------
# Per decade of the Erfurt record: 1951–1959 (key 1950), 1960–1969, …, 2010–2018 (key 2010);
# the first and last have nine summers. Derived from the Erfurt file while recalibrating the
# warm tail of the synthetic series (it used to have too few hot days).

#: Last year of the Erfurt record.
ERFURT_RECORD_END_YEAR = 2018
#: Mean TXK (and TNK) over the June–August days of the decade.
ERFURT_JJA_TMAX_BY_DECADE: dict[int, float] = {
    1950: 22.01, 1960: 21.17, 1970: 21.50, 1980: 21.71, 1990: 22.11, 2000: 22.72, 2010: 23.03,
}  # fmt: skip
ERFURT_JJA_TMIN_BY_DECADE: dict[int, float] = {
    1950: 11.89, 1960: 11.14, 1970: 11.11, 1980: 11.46, 1990: 11.82, 2000: 11.87, 2010: 12.41,
}  # fmt: skip
#: For checks only (the series does not use them): days per year (count / (days / 365.25))
#: of the decade with TXK + JENA_OFFSET_TMAX ≥ 30 °C (hot days) and ≥ 25 °C (summer days),
#: and nights with TNK + JENA_OFFSET_TMIN ≥ 20 °C (tropical nights) — Erfurt shifted to Jena.
JENA_FROM_ERFURT_HOT_DAYS: dict[int, float] = {
    1950: 8.33, 1960: 7.00, 1970: 8.90, 1980: 8.40, 1990: 11.10, 2000: 13.30, 2010: 15.67,
}  # fmt: skip
JENA_FROM_ERFURT_SUMMER_DAYS: dict[int, float] = {
    1950: 45.11, 1960: 39.09, 1970: 39.91, 1980: 46.89, 1990: 48.11, 2000: 52.99, 2010: 55.67,
}  # fmt: skip
JENA_FROM_ERFURT_TROPICAL_NIGHTS: dict[int, float] = {
    1950: 0.44, 1960: 0.30, 1970: 0.10, 1980: 0.50, 1990: 0.50, 2000: 0.30, 2010: 1.11,
}  # fmt: skip

# --- day-to-day variability -------------------------------------------------------------------
# Daily anomaly = value − a smooth 1961–1990 climatology (three harmonics fitted to the monthly
# means) − that year's mean anomaly; the wet-day effect below removed first. Per season.

#: Standard deviation of the daily anomalies, K, DJF/MAM/JJA/SON.
DAILY_SD_TMAX: tuple[float, float, float, float] = (4.86, 4.68, 4.20, 4.00)
DAILY_SD_TMIN: tuple[float, float, float, float] = (5.17, 3.62, 2.88, 3.55)
#: Lag-1 autocorrelation of the daily anomalies (pairs of consecutive days in the season).
DAILY_LAG1_TMAX: tuple[float, float, float, float] = (0.83, 0.72, 0.64, 0.73)
DAILY_LAG1_TMIN: tuple[float, float, float, float] = (0.79, 0.70, 0.62, 0.68)
#: Same-day correlation of the TXK and TNK anomalies.
DAILY_CORR_TMAX_TMIN: tuple[float, float, float, float] = (0.87, 0.70, 0.66, 0.68)
#: Mean anomaly on wet days (RSK ≥ 0.1 mm) minus that on dry days, K: wet summer days are
#: cooler by day, wet winter days milder; wet nights are warmer all year (clouds).
WET_EFFECT_TMAX: tuple[float, float, float, float] = (1.25, -1.98, -1.91, -1.29)
WET_EFFECT_TMIN: tuple[float, float, float, float] = (2.08, 0.88, 0.44, 0.97)
#: Shape of the daily anomalies above: their quantiles after standardising (minus the season's
#: mean, divided by its SD), per season, at these levels (numpy.quantile, linear; 6,100–6,300
#: days each). Skewness: tmax −0.23/0.14/0.31/0.17, tmin −0.66/−0.19/0.04/−0.06. In summer
#: the maxima have a short lower tail and a nearly normal upper one (normal: ±3.09 at
#: 0.1/99.9 %); winter minima a long cold tail and a short warm one.
DAILY_QUANTILE_LEVELS: tuple[float, ...] = (
    0.001, 0.01, 0.05, 0.10, 0.25, 0.50, 0.75, 0.90, 0.95, 0.99, 0.999,
)  # fmt: skip
DAILY_QUANTILES_TMAX: tuple[tuple[float, ...], ...] = (
    (-3.33, -2.51, -1.70, -1.29, -0.65, 0.02, 0.71, 1.27, 1.60, 2.12, 2.68),  # DJF
    (-2.62, -2.06, -1.58, -1.29, -0.74, -0.03, 0.71, 1.33, 1.69, 2.27, 3.09),  # MAM
    (-2.34, -1.98, -1.51, -1.24, -0.73, -0.07, 0.68, 1.39, 1.76, 2.43, 3.11),  # JJA
    (-2.84, -2.12, -1.55, -1.26, -0.72, -0.05, 0.68, 1.37, 1.72, 2.34, 2.88),  # SON
)  # fmt: skip
DAILY_QUANTILES_TMIN: tuple[tuple[float, ...], ...] = (
    (-3.62, -2.85, -1.92, -1.35, -0.57, 0.16, 0.68, 1.14, 1.43, 1.95, 2.40),  # DJF
    (-3.64, -2.36, -1.66, -1.28, -0.66, 0.03, 0.68, 1.26, 1.61, 2.21, 2.78),  # MAM
    (-2.80, -2.18, -1.64, -1.28, -0.72, -0.02, 0.72, 1.30, 1.63, 2.23, 2.92),  # JJA
    (-3.20, -2.34, -1.68, -1.30, -0.67, 0.01, 0.68, 1.26, 1.62, 2.29, 3.05),  # SON
)  # fmt: skip

# --- precipitation (whole record 1951–2018; no precipitation trend is modelled) ----------------

#: Threshold of a wet day, mm (DWD reports 0.1 mm steps).
WET_DAY_MM = 0.1
#: Share of wet days per month Jan…Dec (annual mean: 170 wet days).
WET_DAY_SHARE: tuple[float, ...] = (
    0.521, 0.493, 0.478, 0.459, 0.459, 0.475, 0.454, 0.424, 0.408, 0.422, 0.486, 0.518,
)  # fmt: skip
#: Markov chain of wet days per month: P(wet today | dry yesterday) …
P_WET_AFTER_DRY: tuple[float, ...] = (
    0.352, 0.317, 0.327, 0.316, 0.329, 0.352, 0.327, 0.306, 0.288, 0.271, 0.346, 0.354,
)  # fmt: skip
#: … and P(wet today | wet yesterday).
P_WET_AFTER_WET: tuple[float, ...] = (
    0.676, 0.672, 0.644, 0.628, 0.612, 0.609, 0.604, 0.586, 0.580, 0.627, 0.636, 0.672,
)  # fmt: skip
#: Mean precipitation of a wet day per month, mm (annual total: 530 mm, SD 110 mm).
MEAN_WET_DAY_MM: tuple[float, ...] = (
    1.69, 1.74, 2.37, 2.92, 4.25, 4.47, 4.79, 4.45, 3.63, 2.89, 2.64, 2.04,
)  # fmt: skip
#: Gamma shape of wet-day amounts minus 0.05 mm (maximum likelihood, location 0), per season.
GAMMA_SHAPE: tuple[float, float, float, float] = (0.67, 0.61, 0.60, 0.58)
#: Largest daily precipitation in the record, mm (2007-08-10).
ERFURT_MAX_DAILY_MM = 75.0

# --- Jena against Erfurt and Jena in 2019 (FACTS.md section 6) ----------------------------------

#: Jena minus Erfurt over 550 overlapping days (2018-07-04 … 2020-01-04), K.
JENA_OFFSET_TMAX = 1.94
JENA_OFFSET_TMIN = 0.91
JENA_OFFSET_TMEAN = 1.05
#: Standard deviation of the daily differences, K (tmax, tmin, tmean).
JENA_OFFSET_SD: tuple[float, float, float] = (1.1, 1.3, 0.9)
JENA_OFFSET_DAYS = 550
#: Jena / Erfurt ratio of the SD of the daily TNK anomalies (value minus the mean of its
#: calendar month, e.g. July 2019) over the same 550 days, per season (JJA: 2.65 / 2.99 K,
#: 151 days). Jena's nights vary less in summer and autumn: the Jena − Erfurt difference of
#: TNK shrinks on warm nights (+0.31 K at Erfurt TNK 14–17 °C, −0.26 K on the 14 nights
#: above 17 °C; mean +0.91 K), and Jena had 0 tropical nights in the 550 days, Erfurt
#: + 0.91 K would have 4. The same ratio for TXK is 0.99/1.04/0.99/1.02 (not applied).
JENA_ERFURT_TMIN_SPREAD_RATIO: tuple[float, float, float, float] = (1.00, 1.05, 0.89, 0.92)
#: Jena / Erfurt precipitation over the same 550 days (721.5 / 558.8 mm; wet days 229 / 217).
#: Not applied: 550 days (one drought year) are too few to calibrate a ratio; the synthetic
#: Jena series keeps Erfurt's precipitation statistics.
JENA_ERFURT_PRECIP_RATIO_550D = 1.29

#: Jena (Sternwarte) in 2019 (no missing days).
JENA_2019_TMEAN = 11.41
JENA_2019_SUMMER_DAYS = 76  # TXK ≥ 25 °C
JENA_2019_HOT_DAYS = 32  # TXK ≥ 30 °C
JENA_2019_TROPICAL_NIGHTS = 0  # TNK ≥ 20 °C
JENA_2019_TMAX = 38.8
JENA_2019_TMAX_DATE = "2019-06-30"
JENA_2019_PRECIP_MM = 485.0
#: Monthly means Jan…Dec 2019 of TXK and TNK at Jena (annual means 16.86 and 6.39 °C), and
#: the quantiles 0, 5, …, 100 % of the 92 June–August values (numpy.percentile, linear;
#: JJA means 27.89 and 14.02 °C; 66 of the 76 summer days and all 32 hot days fell in
#: June–August). Derived from the Jena file named in the module docstring, like the figures
#: above.
JENA_2019_MONTHLY_TMAX: tuple[float, ...] = (
    4.17, 10.90, 12.78, 16.90, 17.91, 29.10, 26.92, 27.69, 21.45, 17.00, 9.25, 7.91,
)  # fmt: skip
JENA_2019_MONTHLY_TMIN: tuple[float, ...] = (
    -1.23, -0.39, 3.53, 4.00, 6.73, 13.96, 14.06, 14.04, 9.66, 7.69, 2.82, 1.25,
)  # fmt: skip
JENA_2019_JJA_TMAX_QUANTILES: tuple[float, ...] = (
    18.70, 21.51, 22.50, 23.53, 24.30, 24.70, 25.32, 25.87, 26.60, 27.20, 27.70,
    28.40, 28.70, 29.91, 30.30, 30.80, 31.70, 32.60, 33.20, 34.67, 38.80,
)  # fmt: skip
JENA_2019_JJA_TMIN_QUANTILES: tuple[float, ...] = (
    8.50, 9.72, 10.41, 10.96, 11.72, 12.52, 13.10, 13.46, 13.74, 14.00, 14.35,
    14.41, 14.86, 15.04, 15.40, 15.60, 15.88, 16.57, 17.08, 17.84, 19.20,
)  # fmt: skip
