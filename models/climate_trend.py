"""Are hot days becoming more frequent at a station, and how many might a warmer climate bring?

Three heat indices are counted per calendar year from daily station temperatures (°C):

* ``summer_days`` — days with a maximum of at least 25.0 °C (Sommertage),
* ``hot_days`` — days with a maximum of at least 30.0 °C (heiße Tage),
* ``tropical_nights`` — days with a minimum of at least 20.0 °C (Tropennächte; DWD's
  climatological definition uses the daily minimum).

Missing days are never counted as days below the threshold and never as exceedances: every
year reports how many of its days lack a maximum or a minimum (``missing_days``, including
days outside the span of the data), and a year with more than 10 % missing is ``flagged``.

:func:`fit_trend` estimates the trend of one index with a Poisson regression of the yearly
count on the year (log link, the observed share of the year as exposure, flagged years left
out). Its uncertainty is quasi-Poisson: the inverse Fisher information scaled by the Pearson
dispersion (at least 1). Results are a slope per year on the log scale, a change in % per
decade, and the expected count per year, each with a 95 % interval.

:func:`outlook` is a documented *delta method*, simple statistics and not a climate model:
every observed daily maximum and minimum of a reference period is raised by Δ K and the
indices are counted again. :func:`trend_report` bundles everything as a JSON-able dict.
"""

from __future__ import annotations

import math
import re
import warnings
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import pandas as pd

INDICES: dict[str, tuple[str, float]] = {
    "summer_days": ("tmax", 25.0),
    "hot_days": ("tmax", 30.0),
    "tropical_nights": ("tmin", 20.0),
}
INDEX_LABELS: dict[str, dict[str, str]] = {
    "summer_days": {"de": "Sommertage (Tmax ≥ 25 °C)", "en": "Summer days (Tmax ≥ 25 °C)"},
    "hot_days": {"de": "Heiße Tage (Tmax ≥ 30 °C)", "en": "Hot days (Tmax ≥ 30 °C)"},
    "tropical_nights": {
        "de": "Tropennächte (Tmin ≥ 20 °C)",
        "en": "Tropical nights (Tmin ≥ 20 °C)",
    },
}
MAX_MISSING_SHARE = 0.10  # a year with a larger share of missing days is flagged
MIN_YEARS = 10  # fewer usable years: no trend is fitted
Z95 = 1.959963984540054  # standard normal 97.5 % quantile
STANDARD_REFERENCE = (1991, 2020)  # WMO climatological standard normal
REFERENCE_YEARS = 30
DEFAULT_DELTAS = (1.5, 2.0, 3.0)

TREND_METHOD: dict[str, str] = {
    "de": (
        "Trend: Poisson-Regression der jährlichen Anzahl auf das Jahr (log-Link, "
        "scikit-learn PoissonRegressor ohne Regularisierung). Der beobachtete Anteil des "
        "Jahres dient als Exposition; Jahre mit mehr als 10 % fehlenden Tagen werden nicht "
        "verwendet und genannt (angenommen wird, dass fehlende Tage über das Jahr verteilt "
        "sind, nicht gehäuft im Sommer). Die Unsicherheit ist quasi-Poisson: inverse "
        "Fisher-Information, skaliert mit der Pearson-Dispersion (mindestens 1); 95-%-"
        "Intervalle nach der Normalverteilung. Die Änderung pro Jahrzehnt ist "
        "100·(exp(10·Steigung) − 1) %. Ein Trend aus Stationsdaten beschreibt die "
        "Vergangenheit an diesem Ort; Stationswechsel oder Umgebungsänderungen können ihn "
        "beeinflussen."
    ),
    "en": (
        "Trend: Poisson regression of the yearly count on the year (log link, scikit-learn "
        "PoissonRegressor without regularisation). The observed share of the year is the "
        "exposure; years with more than 10 % of days missing are left out and listed (this "
        "assumes the missing days are spread over the year, not bunched in summer). "
        "Uncertainty is quasi-Poisson: inverse Fisher information scaled by the Pearson "
        "dispersion (at least 1); 95 % intervals from the normal distribution. The change per "
        "decade is 100·(exp(10·slope) − 1) %. A trend from station data describes the past at "
        "this place; station moves or changes around the station can affect it."
    ),
}
METHOD: dict[str, str] = {
    "de": (
        "Ausblick mit der Delta-Methode – einfache Statistik, kein Klimamodell. Zu jedem "
        "beobachteten Tageshöchst- und Tagestiefstwert der Referenzperiode werden Δ Kelvin "
        "addiert, dann werden Sommertage, heiße Tage und Tropennächte neu gezählt und über "
        "die Jahre gemittelt. Δ ist die lokale Erwärmung gegenüber der Referenzperiode, nicht "
        "gegenüber vorindustriellen Werten. Angenommen wird, dass sich alle Tage gleich stark "
        "erwärmen und die Schwankungen von Tag zu Tag und Jahr zu Jahr gleich bleiben; "
        "geänderte Schwankungen (etwa häufigere oder längere Hitzewellen) sind nicht "
        "enthalten. Welches Δ zum Beispiel für 2050 gilt, hängt vom Emissionsszenario ab "
        "und ist regionalen Klimaprojektionen zu entnehmen (etwa dem Deutschen Klimaatlas "
        "des DWD); dieses Werkzeug wählt keins aus."
    ),
    "en": (
        "Outlook with the delta method – simple statistics, not a climate model. Δ kelvin is "
        "added to every observed daily maximum and minimum of the reference period; then "
        "summer days, hot days and tropical nights are counted again and averaged over the "
        "years. Δ is the local warming relative to the reference period, not relative to "
        "pre-industrial times. It assumes that all days warm by the same amount and that the "
        "variability from day to day and year to year stays unchanged; changes in "
        "variability (such as more frequent or longer heat waves) are not included. Which Δ "
        "applies, for example, to 2050 depends on the emission scenario and has to be taken "
        "from regional climate projections (such as the DWD German climate atlas); this tool "
        "does not pick one."
    ),
}
_REFERENCE_RULES: dict[str, dict[str, str]] = {
    "standard": {
        "de": "Klimanormalperiode 1991–2020 (vollständig vorhanden)",
        "en": "climate normal period 1991–2020 (fully covered)",
    },
    "last30": {
        "de": "die letzten 30 vollständigen Jahre (1991–2020 ist nicht vollständig vorhanden)",
        "en": "the last 30 complete years (1991–2020 is not fully covered)",
    },
    "all": {
        "de": "alle vollständigen Jahre (weniger als 30 vorhanden)",
        "en": "all complete years (fewer than 30 available)",
    },
    "given": {"de": "vorgegebener Zeitraum", "en": "period given"},
}


# --- yearly counts -------------------------------------------------------------------------


def _daily(frame: pd.DataFrame) -> pd.DataFrame:
    """``date`` (midnight), ``tmax``, ``tmin`` (+ ``tmean``) as floats, sorted, one row a day."""
    missing = [c for c in ("date", "tmax", "tmin") if c not in frame.columns]
    if missing:
        raise ValueError(
            f"frame: missing column(s) {', '.join(missing)}; expected date, tmax, tmin; "
            f"columns found: {', '.join(map(str, frame.columns))}"
        )
    if frame.empty:
        raise ValueError("frame: no rows; expected daily values")
    dates = pd.to_datetime(frame["date"], errors="coerce")
    if dates.isna().any():
        bad = frame["date"][dates.isna()].iloc[0]
        raise ValueError(f"frame: date {bad!r} is not a date")
    out = pd.DataFrame(
        {
            "date": dates.dt.normalize().to_numpy(),
            "tmax": pd.to_numeric(frame["tmax"], errors="coerce").astype(float).to_numpy(),
            "tmin": pd.to_numeric(frame["tmin"], errors="coerce").astype(float).to_numpy(),
        }
    )
    if "tmean" in frame.columns:
        out["tmean"] = pd.to_numeric(frame["tmean"], errors="coerce").astype(float).to_numpy()
    dup = out["date"].duplicated()
    if dup.any():
        raise ValueError(
            f"frame: date {out['date'][dup].iloc[0]:%Y-%m-%d} occurs more than once; "
            "expected one row per day"
        )
    return out.sort_values("date").reset_index(drop=True)


def _counts(daily: pd.DataFrame, delta: float = 0.0) -> pd.DataFrame:
    year = daily["date"].dt.year
    first, last = int(year.min()), int(year.max())
    years = pd.RangeIndex(first, last + 1, name="year")
    tmax, tmin = daily["tmax"] + delta, daily["tmin"] + delta

    def per_year(values: pd.Series) -> pd.Series:
        return values.groupby(year).sum().reindex(years, fill_value=0).astype(int)

    days = pd.Series(
        [366 if pd.Timestamp(y, 1, 1).is_leap_year else 365 for y in years], index=years
    )
    both = per_year(tmax.notna() & tmin.notna())
    out = pd.DataFrame(
        {
            "days_in_year": days,
            "observed_tmax": per_year(tmax.notna()),
            "observed_tmin": per_year(tmin.notna()),
            "missing_days": days - both,
        },
        index=years,
    )
    out["missing_share"] = out["missing_days"] / out["days_in_year"]
    out["flagged"] = out["missing_share"] > MAX_MISSING_SHARE
    for index, (var, threshold) in INDICES.items():
        values = tmax if var == "tmax" else tmin
        out[index] = per_year(values >= threshold)  # NaN >= x is False: missing never counts
    if "tmean" in daily.columns:
        out["mean_tmean"] = daily["tmean"].groupby(year).mean().reindex(years)
    return out.reset_index()


def yearly_counts(frame: pd.DataFrame) -> pd.DataFrame:
    """Count heat days per calendar year, with the missing days of each year.

    Parameters
    ----------
    frame : pandas.DataFrame
        Daily values: ``date`` (datetime or ISO text), ``tmax`` and ``tmin`` in °C (NaN =
        missing), optionally ``tmean``; one row per day (days without a row count as missing).

    Returns
    -------
    pandas.DataFrame
        One row per calendar year from the first to the last year of the data: ``year``,
        ``days_in_year`` (365/366), ``observed_tmax``, ``observed_tmin`` (days with a value),
        ``missing_days`` (days of the year without a maximum or without a minimum, including
        days outside the data's span), ``missing_share``, ``flagged`` (missing share > 0.10),
        ``summer_days`` (tmax ≥ 25.0), ``hot_days`` (tmax ≥ 30.0), ``tropical_nights``
        (tmin ≥ 20.0) and, when ``tmean`` is given, ``mean_tmean`` (mean of the observed
        daily means, °C). Missing days are counted neither as exceedances nor as zero-days.
    """
    return _counts(_daily(frame))


def _exposure(counts: pd.DataFrame, index: str) -> np.ndarray:
    """The observed share of each year for ``index`` (days with the variable / days)."""
    var = INDICES[index][0]
    return (counts[f"observed_{var}"] / counts["days_in_year"]).to_numpy(float)


# --- trend ---------------------------------------------------------------------------------


@dataclass
class TrendFit:
    """The Poisson trend of one heat index; ``status`` says whether it could be fitted.

    ``status`` is ``"ok"``, ``"too_few_years"``, ``"all_zero"`` or ``"unbounded"``; unless it
    is ``"ok"`` the numbers are ``None`` and ``message`` says why. ``slope`` is per year on
    the log scale (``exp(slope)`` is the yearly rate ratio); ``change_per_decade_pct`` is
    ``100·(exp(10·slope) − 1)``; ``fitted`` lists ``{year, expected, lo, hi}`` for a fully
    observed year (95 % band, delta method on the log scale).
    """

    index: str
    status: str
    message: str
    years_used: list[int] = field(default_factory=list)
    years_excluded: list[int] = field(default_factory=list)
    centre_year: float | None = None
    intercept: float | None = None
    slope: float | None = None
    slope_se: float | None = None
    slope_lo: float | None = None
    slope_hi: float | None = None
    p_value: float | None = None
    change_per_decade_pct: float | None = None
    change_per_decade_lo: float | None = None
    change_per_decade_hi: float | None = None
    dispersion: float | None = None  # Pearson χ² / (n − 2)
    dispersion_used: float | None = None  # max(1, dispersion)
    fitted: list[dict[str, float]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    @property
    def significant(self) -> bool:
        """Whether the 95 % interval of the slope excludes 0."""
        return (self.ok and (self.slope_lo or 0.0) > 0.0) or (self.slope_hi or 0.0) < 0.0

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["label"] = INDEX_LABELS[self.index]
        return _jsonable(out)


def _pct(slope: float) -> float:
    return 100.0 * math.expm1(10.0 * slope)


def fit_trend(counts: pd.DataFrame, index: str) -> TrendFit:
    """Fit a Poisson trend to the yearly counts of one heat index.

    Parameters
    ----------
    counts : pandas.DataFrame
        As returned by :func:`yearly_counts`.
    index : {"summer_days", "hot_days", "tropical_nights"}
        The index to fit.

    Returns
    -------
    TrendFit
        scikit-learn ``PoissonRegressor(alpha=0)`` on the centred year with ``y = count /
        exposure`` and ``sample_weight = exposure`` (the observed share of the year), which is
        the Poisson likelihood of the counts with a log-exposure offset. Flagged years are
        left out and listed. The covariance is quasi-Poisson, ``φ · (XᵀWX)⁻¹`` with ``W`` the
        fitted expected counts and ``φ`` the Pearson dispersion floored at 1; intervals are
        normal (95 %). With fewer than 10 usable years, no event at all, or events in only
        the first or last year (no finite estimate), the result says so instead of fitting.
    """
    if index not in INDICES:
        raise ValueError(f"index: expected one of {', '.join(INDICES)}, got {index!r}")
    for col in ("year", "flagged", "days_in_year", index):
        if col not in counts.columns:
            raise ValueError(f"counts: missing column {col!r}; pass the yearly_counts() table")
    exposure = _exposure(counts, index)
    flagged = counts["flagged"].to_numpy(bool)
    usable = ~flagged & (exposure > 0)
    years = counts["year"].to_numpy(int)
    excluded = [int(y) for y in years[~usable]]
    used = [int(y) for y in years[usable]]
    label = INDEX_LABELS[index]["en"]

    def degenerate(status: str, message: str) -> TrendFit:
        return TrendFit(index, status, message, years_used=used, years_excluded=excluded)

    if len(used) < MIN_YEARS:
        return degenerate(
            "too_few_years",
            (
                f"only {len(used)} usable year(s) (at most 10 % of days missing); a trend "
                f"needs at least {MIN_YEARS}"
            ),
        )
    y = counts[index].to_numpy(float)[usable]
    e = exposure[usable]
    x_years = years[usable].astype(float)
    if not (y > 0).any():
        return degenerate(
            "all_zero",
            f"no {label.lower()} in any of the {len(used)} usable years: the rate is 0 "
            "throughout and no trend can be estimated",
        )
    event_years = np.unique(x_years[y > 0])
    if len(event_years) == 1 and event_years[0] in (x_years.min(), x_years.max()):
        return degenerate(
            "unbounded",
            f"{label} occur only in {int(event_years[0])}, at the edge of the period: "
            "the Poisson trend has no finite estimate",
        )

    from sklearn.exceptions import ConvergenceWarning
    from sklearn.linear_model import PoissonRegressor

    centre = float(x_years.mean())
    x = x_years - centre
    model = PoissonRegressor(alpha=0.0, solver="newton-cholesky", tol=1e-10, max_iter=1000)
    notes: list[str] = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ConvergenceWarning)
        model.fit(x[:, None], y / e, sample_weight=e)
    if any(issubclass(w.category, ConvergenceWarning) for w in caught):
        notes.append("the Poisson fit did not fully converge; treat the numbers with caution")
    b0, b1 = float(model.intercept_), float(model.coef_[0])
    mu = e * np.exp(b0 + b1 * x)  # expected counts
    design = np.column_stack([np.ones_like(x), x])
    info = design.T @ (design * mu[:, None])
    n = len(y)
    dispersion = float(np.sum((y - mu) ** 2 / mu) / (n - 2))
    phi = max(1.0, dispersion)
    cov = phi * np.linalg.inv(info)
    se = math.sqrt(float(cov[1, 1]))
    lo, hi = b1 - Z95 * se, b1 + Z95 * se
    p_value = math.erfc(abs(b1 / se) / math.sqrt(2.0)) if se > 0 else 0.0
    all_x = years.astype(float) - centre
    grid = np.column_stack([np.ones_like(all_x), all_x])
    eta = b0 + b1 * all_x
    eta_se = np.sqrt(np.einsum("ij,jk,ik->i", grid, cov, grid))
    fitted = [
        {
            "year": int(yr),
            "expected": float(math.exp(et)),
            "lo": float(math.exp(et - Z95 * s)),
            "hi": float(math.exp(et + Z95 * s)),
        }
        for yr, et, s in zip(years, eta, eta_se, strict=True)
    ]
    if len(event_years) < 5:
        notes.append(
            f"{label} occur in only {len(event_years)} of {n} years; the estimate is rough"
        )
    return TrendFit(
        index=index,
        status="ok",
        message=(
            f"{label}: {_pct(b1):+.1f} % per decade (95 %: {_pct(lo):+.1f} … {_pct(hi):+.1f} %), "
            f"{n} years"
        ),
        years_used=used,
        years_excluded=excluded,
        centre_year=centre,
        intercept=b0,
        slope=b1,
        slope_se=se,
        slope_lo=lo,
        slope_hi=hi,
        p_value=p_value,
        change_per_decade_pct=_pct(b1),
        change_per_decade_lo=_pct(lo),
        change_per_decade_hi=_pct(hi),
        dispersion=dispersion,
        dispersion_used=phi,
        fitted=fitted,
        notes=notes,
    )


# --- outlook -------------------------------------------------------------------------------


def parse_reference(text: str | Sequence[int] | None) -> tuple[int, int] | None:
    """``"1991-2020"`` (or ``(1991, 2020)``) → ``(1991, 2020)``; ``None`` stays ``None``."""
    if text is None:
        return None
    if isinstance(text, str):
        match = re.fullmatch(r"\s*(\d{4})\s*[-–/]\s*(\d{4})\s*", text)
        if match is None:
            raise ValueError(f"reference: expected a period like '1991-2020', got {text!r}")
        start, end = int(match[1]), int(match[2])
    else:
        values = list(text)
        if len(values) != 2:
            raise ValueError(f"reference: expected (first year, last year), got {text!r}")
        start, end = int(values[0]), int(values[1])
    if start > end:
        raise ValueError(f"reference: the first year {start} is after the last year {end}")
    return start, end


def _choose_reference(
    counts: pd.DataFrame, reference: tuple[int, int] | None
) -> tuple[list[int], str, list[str]]:
    """Reference years, the rule used and notes."""
    good = counts.loc[~counts["flagged"], "year"].astype(int).tolist()
    notes: list[str] = []
    if reference is not None:
        start, end = reference
        wanted = list(range(start, end + 1))
        years = [y for y in wanted if y in good]
        lacking = [y for y in wanted if y not in good]
        if lacking:
            notes.append(
                f"reference {start}–{end}: {len(years)} of {len(wanted)} years usable; left out "
                f"(absent or > 10 % missing): {_year_list(lacking)}"
            )
        return years, "given", notes
    standard = list(range(STANDARD_REFERENCE[0], STANDARD_REFERENCE[1] + 1))
    if all(y in good for y in standard):
        return standard, "standard", notes
    if len(good) >= REFERENCE_YEARS:
        return good[-REFERENCE_YEARS:], "last30", notes
    return good, "all", notes


def _year_list(years: Sequence[int], limit: int = 10) -> str:
    shown = ", ".join(str(y) for y in list(years)[:limit])
    return shown + (f" and {len(years) - limit} more" if len(years) > limit else "")


def _outlook(
    daily: pd.DataFrame,
    counts: pd.DataFrame,
    deltas: Sequence[float],
    reference: tuple[int, int] | None,
) -> dict[str, Any]:
    years, rule, notes = _choose_reference(counts, reference)
    result: dict[str, Any] = {
        "status": "ok",
        "reference": {
            "start": min(years) if years else None,
            "end": max(years) if years else None,
            "years": years,
            "n_years": len(years),
            "rule": rule,
            "rule_text": dict(_REFERENCE_RULES[rule]),
        },
        "deltas": [float(d) for d in deltas],
        "rows": [],
        "method": dict(METHOD),
        "notes": notes,
    }
    if not years:
        result["status"] = "no_reference"
        notes.append("no usable reference years (none with at most 10 % of days missing)")
        return result
    if len(years) < MIN_YEARS:
        notes.append(f"the reference has only {len(years)} year(s); the means are uncertain")
    in_ref = daily["date"].dt.year.isin(years)
    ref_daily = daily.loc[in_ref]
    for delta in [0.0, *(float(d) for d in deltas)]:
        shifted = _counts(ref_daily, delta)
        shifted = shifted[shifted["year"].isin(years)]
        row: dict[str, Any] = {
            "delta": delta,
            "label": "reference" if delta == 0.0 else f"+{delta:g} K",
        }
        for index in INDICES:
            exposure = _exposure(shifted, index)
            # mean per year, scaled to fully observed years (the same as the plain mean
            # when no day is missing)
            row[index] = float(shifted[index].sum() / exposure.sum())
        result["rows"].append(row)
    return result


def outlook(
    frame: pd.DataFrame,
    deltas: Sequence[float] = DEFAULT_DELTAS,
    reference: str | Sequence[int] | None = None,
) -> dict[str, Any]:
    """Heat days in a reference period and with the observed days warmed by Δ K.

    Parameters
    ----------
    frame : pandas.DataFrame
        Daily ``date``, ``tmax``, ``tmin`` (°C), as for :func:`yearly_counts`.
    deltas : sequence of float
        Local warming relative to the reference period, K.
    reference : str or (int, int), optional
        Reference years, e.g. ``"1991-2020"``; absent or flagged years in it are left out
        (and named). By default 1991–2020 if every year is present with at most 10 % of days
        missing, else the last 30 such years, else all of them; ``reference["rule"]`` says
        which.

    Returns
    -------
    dict
        JSON-able: ``reference`` (years used and the rule, de/en), ``rows`` (one per Δ, the
        first being the reference itself with Δ = 0: mean ``summer_days``, ``hot_days``,
        ``tropical_nights`` per year, scaled to fully observed years), ``method`` (de/en text
        of :data:`METHOD`), ``notes``, and ``status`` (``"ok"`` or ``"no_reference"``).

    Notes
    -----
    This is the delta method: simple statistics, not a climate model. It assumes every day
    warms by the same Δ and that variability is unchanged.
    """
    deltas = [float(d) for d in deltas]
    if any(not math.isfinite(d) for d in deltas):
        raise ValueError(f"deltas: expected finite numbers (K), got {deltas}")
    daily = _daily(frame)
    return _jsonable(_outlook(daily, _counts(daily), deltas, parse_reference(reference)))


# --- report --------------------------------------------------------------------------------


def _jsonable(obj: Any) -> Any:
    """Plain Python types; NaN/inf become ``None``."""
    if isinstance(obj, dict):
        return {str(k): _jsonable(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_jsonable(v) for v in obj]
    if isinstance(obj, bool | np.bool_):
        return bool(obj)
    if isinstance(obj, int | np.integer):
        return int(obj)
    if isinstance(obj, float | np.floating):
        value = float(obj)
        return value if math.isfinite(value) else None
    if isinstance(obj, pd.Timestamp):
        return obj.strftime("%Y-%m-%d")
    return obj


def trend_report(
    frame: pd.DataFrame,
    station: str | None = None,
    reference: str | Sequence[int] | None = None,
) -> dict[str, Any]:
    """Yearly heat counts, trends and the delta-method outlook of one station, JSON-able.

    Parameters
    ----------
    frame : pandas.DataFrame
        Daily ``date``, ``tmax``, ``tmin`` (°C), optionally ``tmean`` and ``station_id``.
    station : str, optional
        Station label; by default the ``station_id`` values of ``frame``.
    reference : str or (int, int), optional
        Reference period of the outlook (see :func:`outlook`).

    Returns
    -------
    dict
        ``station``, ``period`` (first/last date and year), ``years`` (per-year dicts as in
        :func:`yearly_counts`), ``flagged_years``, ``thresholds`` (°C), ``trend`` (per index,
        :meth:`TrendFit.to_dict`), ``outlook`` (:func:`outlook`), ``method`` (de/en texts
        for ``trend`` and ``outlook``) and ``notes``.
    """
    daily = _daily(frame)
    counts = _counts(daily)
    if station is None and "station_id" in frame.columns:
        ids = [str(s) for s in pd.unique(frame["station_id"].dropna())]
        station = ", ".join(ids) if ids else None
    notes: list[str] = []
    flagged = counts.loc[counts["flagged"], "year"].astype(int).tolist()
    if flagged:
        notes.append(
            f"{len(flagged)} year(s) with more than 10 % of days missing are flagged and not "
            f"used for trends or the reference: {_year_list(flagged)}"
        )
    trends = {index: fit_trend(counts, index) for index in INDICES}
    for index, fit in trends.items():
        if not fit.ok:
            notes.append(f"{index}: no trend ({fit.message})")
    report = {
        "station": station,
        "period": {
            "start": daily["date"].iloc[0],
            "end": daily["date"].iloc[-1],
            "first_year": int(counts["year"].iloc[0]),
            "last_year": int(counts["year"].iloc[-1]),
        },
        "thresholds": {index: {"variable": v, "min_c": t} for index, (v, t) in INDICES.items()},
        "years": counts.to_dict(orient="records"),
        "flagged_years": flagged,
        "trend": {index: fit.to_dict() for index, fit in trends.items()},
        "outlook": _outlook(daily, counts, DEFAULT_DELTAS, parse_reference(reference)),
        "method": {"trend": dict(TREND_METHOD), "outlook": dict(METHOD)},
        "notes": notes,
    }
    return _jsonable(report)
