"""What the callbacks share: settings, the loaded pack and per-pack caches.

The pack is loaded once per process; layer geometry and styles are cached by
(pack version, layer, language, parameters), so no callback re-reads files and a
restyle never rebuilds geometry. Caches are per process and deterministic, so several
gunicorn workers agree.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from dashboard.forecasts import ForecastService
from dashboard.scenario_service import ScenarioService
from dashboard.settings import Settings
from data.cache import cache_dir
from data.pack import CityPack, load_pack
from data.writer import remove_stale_staging
from layers import get_layer
from layers.base import LayerData, LayerStyle

log = logging.getLogger("allmende")


def resolve_pack_folder(settings: Settings) -> Path:
    """The pack folder to serve: ``settings.pack``, or the demo pack (built if needed)."""
    if settings.pack is not None:
        return settings.pack
    from data.demo import ensure_demo_pack

    return ensure_demo_pack(settings.cache_dir)


@dataclass
class AppContext:
    settings: Settings
    pack: CityPack
    _data: dict[tuple[str, str, str], LayerData] = field(default_factory=dict)
    forecasts: ForecastService | None = None
    # the layers' GeoJSON as served by URL, keyed like ``_data`` (see dashboard.geojson)
    geojson_cache: dict[tuple[str, str, str], bytes] = field(default_factory=dict)
    # small per-pack lookups other modules build once (e.g. dashboard.linking's feature index)
    memo: dict[Any, Any] = field(default_factory=dict)
    # the scenarios' heat model (prepared in the background) and their comparisons
    scenarios: ScenarioService | None = None

    def __post_init__(self) -> None:
        if self.forecasts is None:
            self.forecasts = ForecastService(
                self.pack,
                cache_dir(self.settings.cache_dir),
                jobs=self.settings.forecast_job_count(),
            )
        if self.scenarios is None:
            self.scenarios = ScenarioService(self.pack, cache_dir(self.settings.cache_dir))

    def start_jobs(self) -> None:
        """Start the background jobs the settings ask for (the forecasts, the scenarios' heat
        model); returns at once."""
        if self.settings.forecasts and self.forecasts is not None:
            self.forecasts.start()
        model = self.settings.scenario_model
        if (self.settings.forecasts if model is None else model) and self.scenarios is not None:
            self.scenarios.start()

    @classmethod
    def from_settings(cls, settings: Settings) -> AppContext:
        """Load the pack the settings name; first remove what killed imports left beside it
        (one warning line each, on stderr)."""
        folder = resolve_pack_folder(settings)
        for line in remove_stale_staging(folder):
            log.warning("%s", line)
        return cls(settings, load_pack(folder))

    def layer_data(
        self, layer_id: str, lang: str, params: dict[str, Any] | None = None
    ) -> LayerData:
        """The layer's geometry (for layers with a geometry parameter: for ``params``)."""
        layer = get_layer(layer_id)
        clean = layer.clean_params(params or {})
        key = (layer_id, lang, layer.variant(clean))
        if key not in self._data:
            self._data[key] = layer.build_for(self.pack, lang, clean)
        return self._data[key]

    def layer_style(self, layer_id: str, params: dict[str, Any], lang: str) -> LayerStyle:
        return _style(self.pack, layer_id, json.dumps(params, sort_keys=True), lang)


@lru_cache(maxsize=512)
def _style(pack: CityPack, layer_id: str, params_json: str, lang: str) -> LayerStyle:
    return get_layer(layer_id).style(pack, json.loads(params_json), lang)
