"""A city starts with some data, not all (issue 14): every page shows each part whose data
the pack holds, and for each part whose data is missing one note naming what is missing and
the ``allmende import …`` that adds it; the layer panel lists the layers it cannot show
together, after all the layers it can. No browser: the pages are rendered as Dash trees."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from dash import html

from dashboard import ids
from dashboard.callbacks.router import render
from dashboard.components import UNAVAILABLE, import_command, missing
from dashboard.context import AppContext
from dashboard.settings import Settings
from data.importers.registry import IMPORTERS
from data.pack import load_pack
from data.writer import staged_pack
from layers import REGISTRY
from tests.packfactory import (
    DATASETS,
    _dataset,
    climate_frame,
    footfall_frames,
    grid_dataset,
    heat_fields,
    make_heat_pack,
    make_pack,
)
from tests.test_landuse_layers import constraints_frame, landuse_frame, plans_frame

LST_COMMAND = "allmende import raster --variable lst_day"
CLIMATE_COMMAND = "allmende import climate"


# --- helpers ---------------------------------------------------------------------------------


def _walk(component: Any) -> Iterator[Any]:
    """Every component of a tree, in document order."""
    if isinstance(component, (list, tuple)):
        for c in component:
            yield from _walk(c)
        return
    if component is None or isinstance(component, (str, int, float)):
        return
    yield component
    children = getattr(component, "children", None)
    if children is not None:
        yield from _walk(children)


def _text(component: Any) -> str:
    """All visible text of a component tree."""
    if component is None or isinstance(component, (int, float)):
        return "" if component is None else str(component)
    if isinstance(component, str):
        return component
    if isinstance(component, (list, tuple)):
        return " ".join(_text(c) for c in component)
    return _text(getattr(component, "children", None))


def _find(tree: Any, id_: Any) -> Any:
    return next((c for c in _walk(tree) if getattr(c, "id", None) == id_), None)


def _ctx(folder: Path) -> AppContext:
    pack = load_pack(folder)
    return AppContext(Settings(pack=pack.folder, forecasts=False), pack)


def _hot_climate() -> Any:
    """The test station series 8 K warmer in the day: hot days (Tmax ≥ 30 °C) every summer."""
    frame = climate_frame()
    frame["tmax"] = frame["tmax"] + 8.0
    return frame


def _add_climate(folder: Path) -> None:
    with staged_pack(folder) as stage:
        stage.put_table(_dataset("climate_daily", "table", "climate_daily.csv"), _hot_climate())


@pytest.fixture(scope="module")
def station_only(tmp_path_factory: pytest.TempPathFactory) -> AppContext:
    """Districts with statistics and a station record, no heat raster (no ``lst_day``)."""
    folder = make_pack(tmp_path_factory.mktemp("station") / "pack")
    _add_climate(folder)
    return _ctx(folder)


@pytest.fixture(scope="module")
def plain(tmp_path_factory: pytest.TempPathFactory) -> AppContext:
    """Districts, outline, river and a grid without heat: no heat, station or counts."""
    return _ctx(make_pack(tmp_path_factory.mktemp("plain") / "pack"))


# --- the importer registry names the command ---------------------------------------------------


def test_the_import_command_comes_from_the_importer_registry() -> None:
    for imp in IMPORTERS:
        for ds_id in imp.datasets:
            assert import_command(ds_id) == f"allmende import {imp.name}"
    assert import_command("grid:lst_day") == LST_COMMAND
    assert import_command("grid:tair_night") == "allmende import raster --variable tair_night"
    assert import_command("climate_daily") == CLIMATE_COMMAND
    assert import_command("districts") == "allmende import districts"
    assert import_command("footfall_counts") == "allmende import counts"
    assert import_command("river") is None  # no importer writes it (yet)
    # a grid variable an importer declares it writes names that importer, not the raster one
    assert import_command("grid:population") == "allmende import census"
    for imp in IMPORTERS:
        for req in imp.variables:
            assert import_command(req) == f"allmende import {imp.name}"


def test_the_cli_knows_every_command_it_is_told_to_run(capsys: pytest.CaptureFixture[str]) -> None:
    from cli.main import main

    for req in ("grid:lst_day", "climate_daily", "districts", "footfall_counts", "facilities"):
        command = import_command(req)
        assert command is not None
        words = command.split()[1:]  # without "allmende"
        with pytest.raises(SystemExit) as done:
            main([*words[:2], "--help"])
        assert done.value.code == 0
        if "--variable" in words:
            assert "--variable" in capsys.readouterr().out


# --- the heat page -----------------------------------------------------------------------------


@pytest.mark.parametrize(("lang", "variable"), [("de", "Raster-Variable"), ("en", "grid variable")])
def test_station_record_alone_gives_the_hot_day_trend_and_the_outlook(
    station_only: AppContext, lang: str, variable: str
) -> None:
    assert not station_only.pack.has("grid:lst_day") and station_only.pack.has("climate_daily")
    body, _ = render(station_only, "/hitze", f"?lang={lang}")
    text = _text(body)
    assert "keine Hitzedaten" not in text and "no heat data" not in text
    trend = _find(body, "heat-trend-graph")
    assert trend is not None and trend.figure.data  # a real figure …
    counts = [y for trace in trend.figure.data for y in (trace.y or ()) if y is not None]
    assert counts and max(counts) > 0  # … with hot days in it
    outlook = _find(body, "heat-outlook-graph")
    assert outlook is not None and outlook.figure.data
    assert _find(body, ids.HEAT_INDEX) is not None  # the index can be chosen
    assert _find(body, "heat-trend-missing") is None
    # the justice view needs the heat raster: one note, naming it and its import
    assert _find(body, "heat-groups-graph") is None and _find(body, ids.HEAT_VARIABLE) is None
    note = _find(body, "heat-justice-missing")
    assert isinstance(note, html.P)
    note_text = _text(note)
    assert f"{variable} lst_day" in note_text and LST_COMMAND in note_text
    assert "districts" not in note_text  # the districts are there: not named as missing
    code = [c for c in _walk(note) if isinstance(c, html.Code)]
    assert [c.children for c in code] == [LST_COMMAND]
    # the link to the index on the map only where the map can show it
    assert not any(
        isinstance(c, html.A) and "heat-vulnerability" in (c.href or "") for c in _walk(body)
    )
    # the message area the trend callback writes to is there
    assert _find(body, ids.HEAT_MESSAGE) is not None


def test_heat_raster_without_station_record_gives_the_justice_view(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    folder = make_pack(tmp_path_factory.mktemp("heat") / "pack")
    with staged_pack(folder) as stage:
        stage.put_raster(DATASETS["grid"], heat_fields(grid_dataset()))
    ctx = _ctx(folder)
    assert not ctx.pack.has("climate_daily")
    body, _ = render(ctx, "/heat", "?lang=en")
    groups = _find(body, "heat-groups-graph")
    assert groups is not None and groups.figure.data
    assert len(_find(body, "heat-rank-grid").rowData) == 3
    assert _find(body, "heat-trend-graph") is None and _find(body, ids.HEAT_INDEX) is None
    note = _text(_find(body, "heat-trend-missing"))
    assert "climate_daily" in note and CLIMATE_COMMAND in note
    assert _find(body, "heat-justice-missing") is None


def test_only_the_exposures_the_pack_has_can_be_chosen(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    folder = make_pack(tmp_path_factory.mktemp("night") / "pack")
    with staged_pack(folder) as stage:
        stage.put_raster(DATASETS["grid"], heat_fields(grid_dataset()).drop_vars("lst_day"))
    ctx = _ctx(folder)
    assert ctx.pack.has("grid:tair_night") and not ctx.pack.has("grid:lst_day")
    body, _ = render(ctx, "/heat", "?lang=en")
    radio = _find(body, ids.HEAT_VARIABLE)
    assert [o["value"] for o in radio.options] == ["tair_night"] and radio.value == "tair_night"
    assert _find(body, "heat-groups-graph").figure.data
    assert _find(body, "heat-justice-missing") is None


def test_a_pack_without_any_heat_data_names_both_imports(plain: AppContext) -> None:
    body, _ = render(plain, "/hitze", "")
    justice = _text(_find(body, "heat-justice-missing"))
    trend = _text(_find(body, "heat-trend-missing"))
    assert "lst_day" in justice and LST_COMMAND in justice
    assert "climate_daily" in trend and CLIMATE_COMMAND in trend
    assert "keine Hitzedaten" not in _text(body)
    assert _find(body, "heat-trend-graph") is None and _find(body, "heat-groups-graph") is None


# --- the footfall page -------------------------------------------------------------------------


def test_footfall_page_without_counts_names_the_counts_import(plain: AppContext) -> None:
    body, _ = render(plain, "/fussverkehr", "")
    note = _find(body, "footfall-missing")
    assert note is not None
    text = _text(note)
    assert "footfall_sites" in text and "footfall_counts" in text
    codes = [c.children for c in _walk(note) if isinstance(c, html.Code)]
    assert codes == ["allmende import counts"]  # one command adds both: named once
    assert _find(body, ids.FOOTFALL_SITE) is None


# --- the layer panel ---------------------------------------------------------------------------


def _drawer(ctx: AppContext, lang: str = "de") -> Any:
    body, _ = render(ctx, "/", f"?lang={lang}")
    return _find(body, "layers-drawer")


def _panel_order(drawer: Any) -> list[tuple[str, Any]]:
    """("on", layer id) for every layer's switch and ("group", details) for the unavailable
    group, in document order."""
    out: list[tuple[str, Any]] = []
    for c in _walk(drawer):
        cid = getattr(c, "id", None)
        if isinstance(cid, dict) and cid.get("type") == ids.LAYER_TOGGLE:
            out.append(("on", cid["layer"]))
        elif cid == UNAVAILABLE:
            out.append(("group", c))
    return out


@pytest.mark.parametrize("lang", ["de", "en"])
def test_unavailable_layers_sit_together_after_all_available_ones(
    station_only: AppContext, lang: str
) -> None:
    drawer = _drawer(station_only, lang)
    order = _panel_order(drawer)
    available = [layer.id for layer in REGISTRY if layer.available(station_only.pack)]
    lacking = [layer for layer in REGISTRY if not layer.available(station_only.pack)]
    assert available and lacking  # the pack is partial: both kinds are there
    kinds = [kind for kind, _ in order]
    assert kinds.count("group") == 1 and kinds[-1] == "group"  # one group, at the end
    assert sorted(v for k, v in order if k == "on") == sorted(available)
    group = order[-1][1]
    assert isinstance(group, html.Details)
    summary = group.children[0]
    assert isinstance(summary, html.Summary)  # a native, keyboard-operable disclosure
    assert str(len(lacking)) in _text(summary)
    assert ("Nicht verfügbar" if lang == "de" else "Not available") in _text(summary)
    items = [c for c in _walk(group) if isinstance(c, html.Li)]
    assert sorted(li.id for li in items) == sorted(f"unavailable-{la.id}" for la in lacking)
    for layer in lacking:
        li = _find(group, f"unavailable-{layer.id}")
        text = _text(li)
        for req in missing(station_only.pack, layer.requires):
            command = import_command(req)
            assert command is not None and command in text, (layer.id, text)
            assert req.partition(":")[2 if ":" in req else 0] in text
    # no box of its own for an unavailable layer anywhere in the panel
    titles = {_text(c) for c in _walk(drawer) if isinstance(c, html.H3)}
    from layers.texts import tr

    assert not titles & {tr(la.title, lang) for la in lacking}


def test_a_theme_without_an_available_layer_has_no_heading(station_only: AppContext) -> None:
    drawer = _drawer(station_only, "en")
    headings = [_text(c) for c in _walk(drawer) if isinstance(c, html.H2)]
    assert not any("ootfall" in h for h in headings), headings  # no counts in this pack


def test_a_complete_pack_has_no_unavailable_group(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    folder = make_heat_pack(tmp_path_factory.mktemp("full") / "pack")
    sites, counts = footfall_frames()
    with staged_pack(folder) as stage:
        stage.put_vector(_dataset("footfall_sites", "vector", "footfall_sites.geojson"), sites)
        stage.put_timeseries(
            _dataset("footfall_counts", "timeseries", "footfall_counts.parquet"), counts
        )
        for ds_id, frame in (
            ("landuse", landuse_frame()),
            ("plans", plans_frame()),
            ("constraints", constraints_frame()),
        ):
            stage.put_vector(_dataset(ds_id, "vector", f"{ds_id}.geojson"), frame)
    ctx = _ctx(folder)
    assert all(layer.available(ctx.pack) for layer in REGISTRY)
    order = _panel_order(_drawer(ctx))
    assert [k for k, _ in order] == ["on"] * len(REGISTRY)
