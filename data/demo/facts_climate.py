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
  the same 550 days; the precipitation ratio was computed from the same two files.

Seasons are meteorological: 0 = DJF, 1 = MAM, 2 = JJA, 3 = SON. Temperatures in °C, differences
in K, precipitation in mm, trends in K per decade.
"""

from __future__ import annotations

SOURCE_CLIMATE = (
    "Facts only, no files: figures derived from DWD daily climate data (Deutscher "
    "Wetterdienst, DL-DE/BY-2-0), station 01270 Erfurt-Weimar 1951–2018 and station 02444 "
    "Jena (Sternwarte) 2018-07-04 … 2020-01-04"
)

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
