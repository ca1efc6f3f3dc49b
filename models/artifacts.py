"""Forecast artefacts for the app: computed once per data version, kept on disk.

A backtest (rolling origin, 24 h horizon) and a forecast for the next days are expensive
(seconds per site and origin), so the app never computes them in a request: a background
job calls :func:`load_or_compute` once per data version, and requests only read the result.
The result is stored as Parquet (forecast) and JSON (model card) under
``cache_dir/forecasts/<data version>-<MODEL_VERSION>/`` so later starts are instant. It is
written into a temporary folder and renamed into place (:func:`store`), so a reader never
sees half a result; a folder that cannot be read (a torn write from an older version, a
disk that filled up) is recomputed once and replaced.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

MODEL_VERSION = "3"
# ``progress(done, total)``: sites whose backtest is done, of all sites
Progress = Callable[[int, int], None]
FORECAST_DAYS = 7
UI_ORIGINS = 8  # as the CLI's default, so the page and `allmende forecast backtest` agree


@dataclass(frozen=True)
class ForecastArtifacts:
    """Forecast rows (site_id, time UTC, method, p10, p50, p90: the method shown per site)
    and the model card with backtest."""

    forecast: pd.DataFrame
    card: dict[str, Any]
    seconds: float

    def site_forecast(self, site: str) -> pd.DataFrame:
        return self.forecast[self.forecast["site_id"] == site]

    def site_scores(self, site: str) -> dict[str, Any] | None:
        bt = self.card.get("backtest") or {}
        return (bt.get("sites") or {}).get(site)


def folder_for(cache_dir: Path, counts: pd.DataFrame, config: Any = None) -> Path:
    """The artefacts' folder: the data version, the model version and, for a config with a
    calendar (the pack's), a short hash of that calendar (another calendar, other results)."""
    from models.footfall import data_version

    name = f"{data_version(counts)}-{MODEL_VERSION}"
    calendar = getattr(config, "calendar", None)
    if calendar is not None:
        name += "-" + hashlib.sha256(repr(calendar).encode()).hexdigest()[:8]
    return Path(cache_dir) / "forecasts" / name


def load(folder: Path) -> ForecastArtifacts | None:
    """The stored artefacts, or ``None`` when absent or unreadable (torn, truncated, bad
    JSON or Parquet, missing keys)."""
    try:
        card = json.loads((folder / "card.json").read_text(encoding="utf-8"))
        frame = pd.read_parquet(folder / "forecast.parquet")
        return ForecastArtifacts(frame, card["card"], float(card["seconds"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def store(result: ForecastArtifacts, folder: Path) -> None:
    """Write ``result`` into ``folder`` atomically: into a temporary folder beside it, then
    renamed into place. An unreadable folder already there (a torn write) is replaced; a
    readable one (another process finished first) is kept."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.tmp-", dir=folder.parent))
    try:
        result.forecast.to_parquet(staging / "forecast.parquet", index=False)
        payload = {"card": result.card, "seconds": result.seconds}
        (staging / "card.json").write_text(json.dumps(payload), encoding="utf-8")
        if folder.exists():
            if load(folder) is not None:
                return
            # swap the torn folder out with one rename, then put the new one in its place
            torn = Path(tempfile.mkdtemp(prefix=f".{folder.name}.torn-", dir=folder.parent))
            os.replace(folder, torn / "old")
            shutil.rmtree(torn, ignore_errors=True)
        try:
            os.replace(staging, folder)
        except OSError:
            if load(folder) is None:  # not another process's complete result: a real failure
                raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def compute(
    counts: pd.DataFrame,
    config: Any = None,
    origins: int = UI_ORIGINS,
    progress: Progress | None = None,
    n_jobs: int = 1,
) -> ForecastArtifacts:
    """Backtest (``24·FORECAST_DAYS`` hours from each of ``origins`` origins, refitted at
    each: every lead band of the forecast is tested) and a ``FORECAST_DAYS`` forecast showing, per site, the model or — where the
    backtest says the model loses — the best baseline.

    ``progress(done, total)`` is called once per site when its backtest is done (the bulk of
    the work: ``origins`` fits per site against one for the forecast). If a short record
    makes an attempt fail, the next attempt with fewer windows counts from one again.
    ``n_jobs`` > 1 runs the sites' backtests in that many processes.
    """
    from models.footfall import forecast_with_backtest, model_card
    from models.footfall_model import sites_of

    start = time.perf_counter()
    total = len(sites_of(counts))
    done: list[str] = []

    def site_done(site: str) -> None:
        if site in done:  # a retry with fewer windows counts from one again
            done.clear()
        done.append(site)
        if progress is not None:
            progress(len(done), total)

    result = forecast_with_backtest(
        counts, FORECAST_DAYS, config, origins, n_jobs=n_jobs, progress=site_done
    )
    scores = result.backtest
    card = json.loads(json.dumps(model_card(result, scores), default=str))
    return ForecastArtifacts(result.shown(), card, time.perf_counter() - start)


def load_or_compute(
    counts: pd.DataFrame,
    cache_dir: Path,
    config: Any = None,
    origins: int = UI_ORIGINS,
    progress: Progress | None = None,
    n_jobs: int = 1,
) -> ForecastArtifacts:
    """Read the artefacts for this data version from disk, or compute and store them
    (reporting ``progress`` as :func:`compute` does; not called when read from disk)."""
    folder = folder_for(cache_dir, counts, config)
    found = load(folder)
    if found is not None:
        return found
    result = compute(counts, config, origins, progress, n_jobs)
    store(result, folder)
    return result
