"""Catalogue texts in the page language: attribution and source may be ``{de, en}`` in
``city.toml``; older packs with plain strings still load and show them in every language.
The catalogue grid wraps headers and words instead of cutting them (issue 11, 4 and 8)."""

from __future__ import annotations

import tomllib
from dataclasses import replace
from pathlib import Path

import pytest

from data.catalog import Dataset, Temporal, read_catalog, write_catalog
from data.pack import validate_pack
from tests.packfactory import make_pack


def _ds(**kw: object) -> Dataset:
    base: dict[str, object] = {
        "id": "x",
        "title": {"de": "X", "en": "X"},
        "kind": "table",
        "path": "x.csv",
        "crs": None,
        "licence": "CC-BY-4.0",
        "attribution": "Stadt Testburg",
        "source": "Amt für Statistik",
    }
    base.update(kw)
    return Dataset(**base)  # type: ignore[arg-type]


def test_plain_attribution_is_shown_in_every_language():
    ds = _ds()
    assert ds.attribution_text("de") == ds.attribution_text("en") == "Stadt Testburg"
    assert ds.source_text("en") == "Amt für Statistik"
    assert _ds(source=None).source_text("de") is None
    assert ds.to_toml()["attribution"] == "Stadt Testburg"


def test_translated_attribution_follows_the_language_and_round_trips(tmp_path: Path):
    attribution = {
        "de": "Daten: © OpenStreetMap-Mitwirkende",
        "en": "Data: © OpenStreetMap contributors",
    }
    source = {"de": "Nur Fakten", "en": "Facts only"}
    ds = _ds(
        attribution=attribution["de"],
        attribution_i18n=attribution,
        source=source["de"],
        source_i18n=source,
    )
    assert ds.attribution_text("en") == attribution["en"]
    assert ds.attribution_text("de") == attribution["de"]
    assert ds.source_text("en") == "Facts only"
    doc = ds.to_toml()
    assert doc["attribution"] == attribution and doc["source"] == source


def test_an_importer_changing_the_text_wins_over_an_old_translation():
    ds = _ds(attribution="A", attribution_i18n={"de": "A", "en": "A (en)"})
    changed = replace(ds, attribution="A; lst_day: © Copernicus")
    assert changed.attribution_text("en") == "A; lst_day: © Copernicus"
    assert changed.to_toml()["attribution"] == "A; lst_day: © Copernicus"


def _edit_city_toml(pack: Path, edit) -> None:  # type: ignore[no-untyped-def]
    import tomli_w

    path = pack / "city.toml"
    doc = tomllib.loads(path.read_text(encoding="utf-8"))
    edit(doc["datasets"][0])
    path.write_bytes(tomli_w.dumps(doc).encode("utf-8"))


def test_city_toml_may_translate_attribution_and_source(tmp_path: Path):
    pack = make_pack(tmp_path / "pack")
    _edit_city_toml(
        pack,
        lambda e: e.update(
            attribution={"de": "Stadt, Amt", "en": "City, office"},
            source={"de": "Melderegister", "en": "Register"},
        ),
    )
    ds = read_catalog(pack).datasets[0]
    assert ds.attribution == "Stadt, Amt" and ds.attribution_text("en") == "City, office"
    assert ds.source_text("en") == "Register"
    write_catalog(read_catalog(pack), pack)  # writes the tables back
    assert read_catalog(pack).datasets[0].attribution_text("en") == "City, office"
    assert validate_pack(pack).ok


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ({"de": "nur deutsch"}, "missing text for language(s) en"),
        (42, "expected a text or a table"),
        ("", "missing attribution"),
    ],
)
def test_bad_attribution_is_reported(tmp_path: Path, value: object, message: str):
    pack = make_pack(tmp_path / "pack")
    first = tomllib.loads((pack / "city.toml").read_text(encoding="utf-8"))["datasets"][0]["id"]
    _edit_city_toml(pack, lambda e: e.update(attribution=value))
    report = validate_pack(pack)
    assert any(p.dataset == first and message in p.message for p in report.problems), report


def test_temporal_dates_in_the_page_language():
    span = Temporal("2017-12-31", "2020-01-04")
    assert span.label("de") == "31.12.2017 – 04.01.2020"
    assert span.label("en") == "2017-12-31 – 2020-01-04"
    assert Temporal("2017-12-31", "2017-12-31").label("de") == "31.12.2017"


def test_demo_catalog_speaks_both_languages(demo_pack):
    for ds in demo_pack.catalog.datasets:
        de, en = ds.attribution_text("de"), ds.attribution_text("en")
        assert "Synthetische Demo-Daten" in de and "synthetic demo data" in en.lower(), ds.id
        assert "Mitwirkende" not in en and "contributors" not in de, ds.id
        source = ds.source_text("de") or ""
        assert "Facts only" not in source and "Nur dokumentierte Fakten" in source, ds.id
        assert (ds.source_text("en") or "").startswith("Facts only"), ds.id


@pytest.mark.parametrize("lang", ["de", "en"])
def test_catalog_page_rows_and_columns(demo_ctx, lang):
    from dashboard.pages import catalog_page
    from dashboard.state import default_view
    from tests.test_layout import _walk

    page = catalog_page.layout(demo_ctx, default_view(demo_ctx.pack.city, lang))
    grid = next(c for c in _walk(page) if getattr(c, "id", None) == "catalog-grid")
    text = " ".join(str(v) for row in grid.rowData for v in row.values())
    if lang == "de":
        assert "Facts only" not in text and "Synthetic demo data" not in text
        assert "31.12.2017" in text and "2017-12-31" not in text
    else:
        assert "Synthetische Demo-Daten" not in text and "Mitwirkende" not in text
    for col in grid.columnDefs:
        assert col["wrapHeaderText"] and col["autoHeaderHeight"] and col["wrapText"]
        assert col["minWidth"] >= 100
    widths = {c["field"]: c["minWidth"] for c in grid.columnDefs}
    assert widths["crs"] >= 170  # "Koordinatensystem" fits on one line
    css = (Path(__file__).parents[1] / "dashboard" / "assets" / "allmende.css").read_text()
    assert ".al-catalog .ag-cell.al-break-words { word-break: normal" in css
