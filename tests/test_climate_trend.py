"""Heat-day counts per year, their Poisson trends and the delta-method outlook."""

from __future__ import annotations

import calendar
import json
import math
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cli.main import main
from data.importers.dwd import import_climate, read_dwd_daily
from models.climate_trend import (
    INDICES,
    METHOD,
    TrendFit,
    fit_trend,
    outlook,
    parse_reference,
    trend_report,
    yearly_counts,
)
from tests.packfactory import make_pack
from tests.test_dwd import product, row

HIST = "dwd_01270_erfurt_weimar_produkt_klima_tag_19510101_20181231.txt"
JENA = "dwd_02444_jena_sternwarte_produkt_klima_tag_20180704_20200104.txt"
TRUE_SLOPE = 0.02


def daily(first: int, last: int, seed: int = 1, warming: float = 0.0) -> pd.DataFrame:
    """A plausible synthetic daily series (°C) for the calendar years ``first``–``last``."""
    rng = np.random.default_rng(seed)
    dates = pd.date_range(f"{first}-01-01", f"{last}-12-31", freq="D")
    doy = dates.day_of_year.to_numpy()
    years = dates.year.to_numpy() - first
    tmax = 14 + 11 * np.cos(2 * np.pi * (doy - 200) / 365.25) + warming * years
    tmax = tmax + rng.normal(0, 3.5, len(dates))
    tmin = tmax - 9 + rng.normal(0, 2.0, len(dates)) + 3 * (doy > 170) * (doy < 230)
    return pd.DataFrame(
        {"date": dates, "tmax": tmax.round(1), "tmin": tmin.round(1), "tmean": (tmax - 4).round(1)}
    )


def counts_table(years: np.ndarray, y: np.ndarray, observed: np.ndarray | None = None):
    """A ``yearly_counts``-like table with ``y`` as every index and full observation."""
    days = np.array([366 if calendar.isleap(int(v)) else 365 for v in years])
    obs = days if observed is None else observed
    missing = days - obs
    return pd.DataFrame(
        {
            "year": years,
            "days_in_year": days,
            "observed_tmax": obs,
            "observed_tmin": obs,
            "missing_days": missing,
            "missing_share": missing / days,
            "flagged": missing / days > 0.10,
            "summer_days": y,
            "hot_days": y,
            "tropical_nights": y,
        }
    )


def irls(x: np.ndarray, y: np.ndarray, e: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """An independent Poisson GLM with log offset (Newton/IRLS): coefficients, covariance."""
    design = np.column_stack([np.ones_like(x), x])
    beta = np.array([math.log(y.sum() / e.sum()), 0.0])
    for _ in range(100):
        mu = e * np.exp(design @ beta)
        info = design.T @ (design * mu[:, None])
        step = np.linalg.solve(info, design.T @ (y - mu))
        beta = beta + step
        if np.abs(step).max() < 1e-12:
            break
    mu = e * np.exp(design @ beta)
    info = design.T @ (design * mu[:, None])
    phi = max(1.0, float(np.sum((y - mu) ** 2 / mu) / (len(y) - 2)))
    return beta, phi * np.linalg.inv(info)


def estimate(fit: TrendFit) -> tuple[float, float, float]:
    """``(slope, lo, hi)`` of a fitted trend (fails the test if it was not fitted)."""
    assert fit.slope is not None and fit.slope_lo is not None and fit.slope_hi is not None
    return fit.slope, fit.slope_lo, fit.slope_hi


def decade(fit: TrendFit) -> tuple[float, float, float]:
    """``(change, lo, hi)`` per decade in %."""
    pct, lo, hi = fit.change_per_decade_pct, fit.change_per_decade_lo, fit.change_per_decade_hi
    assert pct is not None and lo is not None and hi is not None
    return pct, lo, hi


@pytest.fixture
def jena_dir(real_data) -> Path:
    return real_data(f"jena_climate/{HIST}").parent


# --- yearly counts ---------------------------------------------------------------------------


def test_thresholds_and_missing_days() -> None:
    dates = pd.date_range("2020-01-01", "2020-12-31")  # a leap year
    frame = pd.DataFrame({"date": dates, "tmax": 20.0, "tmin": 10.0})
    at = {d: i for i, d in enumerate(dates.strftime("%m-%d"))}
    frame.loc[at["07-01"], "tmax"] = 25.0  # summer day (≥ 25.0)
    frame.loc[at["07-02"], "tmax"] = 24.9
    frame.loc[at["07-03"], "tmax"] = 30.0  # summer and hot day
    frame.loc[at["07-04"], "tmax"] = 29.9  # summer day only
    frame.loc[at["07-05"], "tmin"] = 20.0  # tropical night
    frame.loc[at["07-06"], "tmin"] = 19.9
    frame.loc[at["07-07"], ["tmax", "tmin"]] = [np.nan, 21.0]  # missing max, tropical night
    frame.loc[at["07-08"], ["tmax", "tmin"]] = [33.0, np.nan]  # missing min, hot day
    frame.loc[at["07-09"], ["tmax", "tmin"]] = [np.nan, np.nan]
    frame = frame.drop(index=[at["08-01"], at["08-02"]])  # days without a row
    counts = yearly_counts(frame)
    assert len(counts) == 1
    r = counts.iloc[0]
    assert r["days_in_year"] == 366
    assert (r["observed_tmax"], r["observed_tmin"]) == (362, 362)
    assert r["missing_days"] == 3 + 2  # 07-07, 07-08, 07-09 and two absent days
    assert r["missing_share"] == pytest.approx(5 / 366)
    assert not r["flagged"]
    assert (r["summer_days"], r["hot_days"], r["tropical_nights"]) == (4, 2, 2)


def test_days_outside_the_span_are_missing_and_flag_the_year() -> None:
    frame = pd.DataFrame(
        {"date": pd.date_range("2018-07-04", "2020-01-04"), "tmax": 26.0, "tmin": 12.0}
    )
    counts = yearly_counts(frame).set_index("year")
    assert counts.index.tolist() == [2018, 2019, 2020]
    assert counts.loc[2018, "missing_days"] == 184  # 1 Jan – 3 Jul
    assert counts.loc[2020, "missing_days"] == 362
    assert counts["flagged"].tolist() == [True, False, True]
    # missing days are never counted as summer days
    assert counts["summer_days"].tolist() == [181, 365, 4]


def test_ten_percent_missing_boundary() -> None:
    dates = pd.date_range("2019-01-01", "2019-12-31")
    for n_missing, flagged in ((36, False), (37, True)):
        frame = pd.DataFrame({"date": dates, "tmax": 10.0, "tmin": 0.0})
        frame.loc[: n_missing - 1, "tmax"] = np.nan
        r = yearly_counts(frame).iloc[0]
        assert r["missing_days"] == n_missing
        assert bool(r["flagged"]) is flagged


def test_iso_text_dates_and_bad_frames() -> None:
    frame = pd.DataFrame({"date": ["2019-01-01", "2019-01-02"], "tmax": [1.0, 2.0], "tmin": 0.0})
    assert yearly_counts(frame).iloc[0]["missing_days"] == 363
    with pytest.raises(ValueError, match="2019-01-01 occurs more than once"):
        yearly_counts(pd.concat([frame, frame]))
    with pytest.raises(ValueError, match=r"missing column\(s\) tmin"):
        yearly_counts(frame.drop(columns="tmin"))
    with pytest.raises(ValueError, match="no rows"):
        yearly_counts(frame.iloc[:0])


# --- trend -----------------------------------------------------------------------------------


def _poisson_counts(seed: int, slope: float = TRUE_SLOPE) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    years = np.arange(1951, 2021)
    y = rng.poisson(np.exp(math.log(8.0) + slope * (years - 1985)))
    return counts_table(years, y)


def test_interval_covers_the_true_slope() -> None:
    fit = fit_trend(_poisson_counts(42), "hot_days")
    assert fit.ok and fit.status == "ok"
    slope, lo, hi = estimate(fit)
    assert lo < TRUE_SLOPE < hi
    assert lo < slope < hi
    assert fit.significant
    pct, pct_lo, pct_hi = decade(fit)
    assert pct == pytest.approx(100 * math.expm1(10 * slope))
    assert pct_lo < pct < pct_hi
    assert pct_lo == pytest.approx(100 * math.expm1(10 * lo))
    assert len(fit.fitted) == 70
    assert all(f["lo"] < f["expected"] < f["hi"] for f in fit.fitted)
    assert fit.fitted[-1]["expected"] > fit.fitted[0]["expected"]


@pytest.mark.slow
def test_interval_coverage_over_many_series() -> None:
    intervals = [estimate(fit_trend(_poisson_counts(seed), "hot_days")) for seed in range(200)]
    covered = [lo < TRUE_SLOPE < hi for _, lo, hi in intervals]
    assert 0.90 <= np.mean(covered) <= 0.995


def test_matches_an_independent_quasi_poisson_fit() -> None:
    rng = np.random.default_rng(7)
    years = np.arange(1961, 2021)
    mean = np.exp(2.0 + 0.015 * (years - 1990))
    y = rng.negative_binomial(3, 3 / (3 + mean))  # overdispersed
    observed = np.where(years % 7 == 0, 340, 365)  # some years partly missing
    observed = np.where(np.array([calendar.isleap(int(v)) for v in years]), observed + 1, observed)
    counts = counts_table(years, y, observed)
    fit = fit_trend(counts, "summer_days")
    e = observed / counts["days_in_year"].to_numpy()
    beta, cov = irls(years - years.mean(), y.astype(float), e)
    assert fit.slope == pytest.approx(beta[1], rel=1e-6)
    assert fit.intercept == pytest.approx(beta[0], rel=1e-6)
    assert fit.slope_se == pytest.approx(math.sqrt(cov[1, 1]), rel=1e-5)
    assert fit.dispersion is not None and fit.dispersion > 1.0
    assert fit.dispersion_used == fit.dispersion


def test_exposure_corrects_partly_observed_years() -> None:
    years = np.arange(1981, 2021)
    days = np.array([366 if calendar.isleap(int(v)) else 365 for v in years])
    half = years >= 2001
    observed = np.where(half, days - days // 10, days)  # later years 10 % missing (unflagged)
    y = np.round(20 * observed / days).astype(int)  # a constant rate of 20 per full year
    fit = fit_trend(counts_table(years, y, observed), "hot_days")
    assert abs(estimate(fit)[0]) < 0.002  # would be clearly negative without the exposure
    assert fit.fitted[0]["expected"] == pytest.approx(20, rel=0.02)


def test_flagged_years_are_excluded_and_listed() -> None:
    counts = _poisson_counts(3)
    spoiled = counts.copy()
    spoiled.loc[spoiled["year"] == 2000, ["hot_days", "flagged", "observed_tmax"]] = [
        500,
        True,
        200,
    ]
    fit = fit_trend(spoiled, "hot_days")
    clean = fit_trend(counts[counts["year"] != 2000], "hot_days")
    assert fit.years_excluded == [2000]
    assert 2000 not in fit.years_used and len(fit.years_used) == 69
    assert fit.slope == pytest.approx(clean.slope, rel=1e-9)
    assert any(f["year"] == 2000 for f in fit.fitted)  # the line is still drawn there


def test_degenerate_cases_say_so() -> None:
    years = np.arange(1981, 2021)
    zeros = fit_trend(counts_table(years, np.zeros(40, dtype=int)), "tropical_nights")
    assert zeros.status == "all_zero" and not zeros.ok and zeros.slope is None
    assert "no tropical nights" in zeros.message
    few = fit_trend(counts_table(years[:9], np.arange(9)), "hot_days")
    assert few.status == "too_few_years" and "only 9 usable year(s)" in few.message
    edge = np.zeros(40, dtype=int)
    edge[-1] = 2
    unbounded = fit_trend(counts_table(years, edge), "tropical_nights")
    assert unbounded.status == "unbounded" and "2020" in unbounded.message
    middle = np.zeros(40, dtype=int)
    middle[20] = 2
    rough = fit_trend(counts_table(years, middle), "tropical_nights")
    assert rough.ok and any("only 1 of 40 years" in n for n in rough.notes)
    for fit in (zeros, few, unbounded, rough):
        json.dumps(fit.to_dict(), allow_nan=False)
    with pytest.raises(ValueError, match="index: expected one of"):
        fit_trend(counts_table(years, middle), "frost_days")


# --- outlook ---------------------------------------------------------------------------------


def test_outlook_rises_monotonically_with_delta() -> None:
    result = outlook(daily(1981, 2020), deltas=(1.5, 2.0, 3.0))
    assert result["status"] == "ok"
    rows = result["rows"]
    assert [r["delta"] for r in rows] == [0.0, 1.5, 2.0, 3.0]
    for index in INDICES:
        values = [r[index] for r in rows]
        assert values == sorted(values), index
        assert values[-1] > values[0], index


def test_reference_row_is_the_mean_of_the_reference_years() -> None:
    frame = daily(1981, 2020)
    result = outlook(frame)
    ref = result["reference"]
    assert (ref["start"], ref["end"], ref["n_years"], ref["rule"]) == (1991, 2020, 30, "standard")
    counts = yearly_counts(frame).set_index("year").loc[1991:2020]
    for index in INDICES:
        assert result["rows"][0][index] == pytest.approx(counts[index].mean())


def test_reference_rules() -> None:
    last30 = outlook(daily(1951, 2018))["reference"]
    assert (last30["rule"], last30["start"], last30["end"]) == ("last30", 1989, 2018)
    short = outlook(daily(2001, 2012))["reference"]
    assert (short["rule"], short["start"], short["end"], short["n_years"]) == (
        "all",
        2001,
        2012,
        12,
    )
    frame = daily(1981, 2020)
    frame.loc[frame["date"].dt.year == 1995, "tmax"] = np.nan  # 1995 flagged
    default = outlook(frame)["reference"]
    assert default["rule"] == "last30" and 1995 not in default["years"]
    assert default["start"] == 1990
    given = outlook(frame, reference="1991-2000")
    assert given["reference"]["rule"] == "given"
    assert given["reference"]["years"] == [y for y in range(1991, 2001) if y != 1995]
    assert any("9 of 10 years usable" in n and "1995" in n for n in given["notes"])
    assert parse_reference("1991–2020") == (1991, 2020)
    for bad in ("1991", "2020-1991", "abc"):
        with pytest.raises(ValueError, match="reference"):
            parse_reference(bad)


def test_outlook_without_usable_years() -> None:
    frame = pd.DataFrame({"date": pd.date_range("2019-06-01", periods=30), "tmax": 26.0})
    frame["tmin"] = 12.0
    result = outlook(frame)
    assert result["status"] == "no_reference" and result["rows"] == []


def test_method_text_explains_the_delta_method() -> None:
    assert set(METHOD) == {"de", "en"}
    assert "kein Klimamodell" in METHOD["de"] and "not a climate model" in METHOD["en"]
    assert "relative to the reference period" in METHOD["en"]
    assert "variability" in METHOD["en"] and "unchanged" in METHOD["en"]
    assert "Referenzperiode" in METHOD["de"] and "Schwankungen" in METHOD["de"]
    assert outlook(daily(2001, 2012))["method"] == METHOD


def test_trend_report_is_json() -> None:
    frame = daily(1971, 2020, warming=0.04)
    frame["station_id"] = "01270"
    report = trend_report(frame)
    text = json.dumps(report, allow_nan=False)
    assert json.loads(text) == report
    assert report["station"] == "01270"
    assert report["period"] == {
        "start": "1971-01-01",
        "end": "2020-12-31",
        "first_year": 1971,
        "last_year": 2020,
    }
    assert len(report["years"]) == 50
    year = report["years"][0]
    for key in ("year", "missing_days", "missing_share", "flagged", "summer_days", "hot_days"):
        assert key in year
    for index in INDICES:
        trend = report["trend"][index]
        assert trend["status"] == "ok"
        assert set(trend["fitted"][0]) == {"year", "expected", "lo", "hi"}
        for key in ("slope", "change_per_decade_pct", "change_per_decade_lo", "dispersion"):
            assert isinstance(trend[key], float)
    assert report["trend"]["hot_days"]["slope"] > 0  # the series warms 0.4 K per decade
    assert report["outlook"]["reference"]["rule"] == "standard"
    assert set(report["method"]) == {"trend", "outlook"}


# --- command line ----------------------------------------------------------------------------


def _dwd_file(folder: Path, first: int = 1981, last: int = 2020) -> Path:
    frame = daily(first, last, warming=0.03)
    lines = [
        row(f"{d:%Y%m%d}", f"{tx:.1f}", f"{tn:.1f}", f"{tm:.1f}", "0.0")
        for d, tx, tn, tm in frame[["date", "tmax", "tmin", "tmean"]].itertuples(index=False)
    ]
    lines[400] = row("19820205", -999, -999, -999, -999)
    path = folder / f"produkt_klima_tag_{first}0101_{last}1231_01270.txt"
    path.write_text(product(*lines), encoding="ascii")
    return path


def test_cli_heat_trend_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _dwd_file(tmp_path)
    assert main(["heat", "trend", "--dwd", str(path), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert {"years", "trend", "outlook", "method", "station"} <= set(report)
    assert report["station"] == "01270"
    assert report["years"][1]["missing_days"] == 1
    assert set(report["trend"]) == set(INDICES)
    assert [r["delta"] for r in report["outlook"]["rows"]] == [0.0, 1.5, 2.0, 3.0]


def test_cli_heat_trend_text_and_pack(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _dwd_file(tmp_path, 2001, 2020)
    pack = make_pack(tmp_path / "pack")
    import_climate(pack, [path])
    args = ["heat", "trend", "--pack", str(pack), "--index", "hot_days", "--reference", "2001-2020"]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "hot_days: slope" in out and "summer_days: slope" not in out
    assert "per decade" in out and "reference 2001–2020" in out
    assert "+3 K" in out and "not a climate model" in out
    assert main(["heat", "trend", "--pack", str(pack), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["station"] == "01270"


def test_cli_heat_trend_marks_flagged_years(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    frame = daily(2005, 2019)
    frame = frame[frame["date"] >= "2005-03-01"]  # 2005 lacks two months: flagged
    lines = [
        row(f"{d:%Y%m%d}", f"{tx:.1f}", f"{tn:.1f}", f"{tm:.1f}", "0.0")
        for d, tx, tn, tm in frame[["date", "tmax", "tmin", "tmean"]].itertuples(index=False)
    ]
    path = tmp_path / "p.txt"
    path.write_text(product(*lines), encoding="ascii")
    assert main(["heat", "trend", "--dwd", str(path)]) == 0
    out = capsys.readouterr().out
    assert "2005 *      59" in out
    assert "excluded: 2005" in out


def test_cli_heat_trend_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_text("")
    assert main(["heat", "trend", "--dwd", str(bad)]) == 1
    assert "heat trend failed: bad.txt: the file is empty" in capsys.readouterr().err
    pack = make_pack(tmp_path / "pack")
    assert main(["heat", "trend", "--pack", str(pack)]) == 1
    assert "has no climate_daily dataset" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_info:
        main(["heat", "trend", "--dwd", str(bad), "--reference", "1991"])
    assert exit_info.value.code == 2
    with pytest.raises(SystemExit):
        main(["heat", "trend", "--dwd", str(bad), "--pack", str(pack)])


# --- real DWD data ---------------------------------------------------------------------------


def _direct_counts(path: Path) -> dict[int, dict[str, int]]:
    """Count the raw file with plain string splitting, independently of the reader."""
    lines = path.read_text(encoding="latin-1").splitlines()
    header = [h.strip() for h in lines[0].split(";")]
    i_date, i_txk, i_tnk = (header.index(c) for c in ("MESS_DATUM", "TXK", "TNK"))
    out: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for line in lines[1:]:
        if not line.strip():
            continue
        fields = line.split(";")
        year = int(fields[i_date].strip()[:4])
        txk, tnk = fields[i_txk].strip(), fields[i_tnk].strip()
        rec = out[year]
        rec["rows"] += 1
        if txk == "-999" or tnk == "-999":
            rec["minus999"] += 1
        if txk != "-999":
            rec["summer_days"] += float(txk) >= 25.0
            rec["hot_days"] += float(txk) >= 30.0
        if tnk != "-999":
            rec["tropical_nights"] += float(tnk) >= 20.0
    return out


@pytest.mark.realdata
def test_real_erfurt_counts_equal_a_direct_count_and_hot_days_rise(
    jena_dir: Path, record_property: Callable[[str, object], None]
) -> None:
    path = jena_dir / HIST
    counts = yearly_counts(read_dwd_daily(path).frame).set_index("year")
    direct = _direct_counts(path)
    assert counts.index.tolist() == sorted(direct) == list(range(1951, 2019))
    for year, rec in direct.items():
        days = 366 if calendar.isleap(year) else 365
        assert rec["rows"] == days, year  # every day has a row in this file
        got = counts.loc[year]
        for index in INDICES:
            assert got[index] == rec[index], (year, index)
        assert got["missing_days"] == rec["minus999"], year
    fit = fit_trend(counts.reset_index(), "hot_days")
    assert fit.ok
    slope, lo, hi = estimate(fit)
    assert slope > 0
    assert lo < slope < hi
    pct, pct_lo, pct_hi = decade(fit)
    record_property("hot_days_slope", slope)
    record_property("hot_days_interval", (lo, hi))
    record_property("hot_days_lower_bound_above_zero", lo > 0)
    print(
        f"Erfurt-Weimar 1951–2018 hot days: slope {slope:.4f}/year (95 %: {lo:.4f} … "
        f"{hi:.4f}); lower bound > 0: {lo > 0}; {pct:+.1f} % per decade "
        f"(95 %: {pct_lo:+.1f} … {pct_hi:+.1f} %)"
    )


@pytest.mark.realdata
def test_real_jena_2019_matches_the_facts(jena_dir: Path) -> None:
    data = read_dwd_daily(jena_dir / JENA)
    counts = yearly_counts(data.frame).set_index("year")
    y2019 = counts.loc[2019]
    assert (y2019["summer_days"], y2019["hot_days"], y2019["tropical_nights"]) == (76, 32, 0)
    assert y2019["mean_tmean"] == pytest.approx(11.41, abs=0.005)
    assert y2019["missing_days"] == 0 and not y2019["flagged"]
    assert counts.loc[2018, "flagged"] and counts.loc[2020, "flagged"]
    assert counts.loc[2018, "missing_days"] == 184 and counts.loc[2020, "missing_days"] == 362
    report = trend_report(data.frame)
    assert report["flagged_years"] == [2018, 2020]
    assert report["trend"]["hot_days"]["status"] == "too_few_years"
    assert report["outlook"]["reference"]["years"] == [2019]
    assert report["outlook"]["rows"][0]["hot_days"] == 32.0


@pytest.mark.realdata
def test_real_cli_json_on_erfurt(jena_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["heat", "trend", "--dwd", str(jena_dir / HIST), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["flagged_years"] == []
    assert report["outlook"]["reference"]["rule"] == "last30"
    assert report["trend"]["hot_days"]["slope"] > 0
