"""Draw to assess (pure core): every refusal with its de/en message, a crafted 10⁶-vertex
payload refused fast, the conflicts equal :func:`models.conflicts.assess_one`, the added
sealed area and the residents in the hottest class within 500 m by hand."""

from __future__ import annotations

import json
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely
from pyproj import Transformer
from shapely.geometry import box

from data.pack import load_pack
from data.writer import staged_pack
from layers.heat.vulnerability import LAYER, classes_for
from layers.landuse.drawn import hot_residents
from models.conflict_rules import load_rules, rules_for_pack
from models.conflicts import assess_one
from models.drawn_plan import (
    MIN_AREA_M2,
    DrawingError,
    assess_drawing,
    check_drawing,
    pack_city_area,
    pack_index,
    pack_rules,
)
from models.heat import indicators
from tests.packfactory import CITY, METRIC_CRS, ORIGIN, X0, Y0, make_heat_pack, make_pack, sq
from tests.packfactory import vector_dataset as _dataset

TO_WGS = Transformer.from_crs(METRIC_CRS, "EPSG:4326", always_xy=True)


def lonlat(geom) -> dict:
    """A metric geometry as the GeoJSON geometry the map would send (EPSG:4326)."""
    wgs = shapely.transform(geom, lambda c: np.column_stack(TO_WGS.transform(c[:, 0], c[:, 1])))
    return json.loads(shapely.to_geojson(wgs))


def _frame(rows, id_col: str, value_col: str) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            id_col: [r[0] for r in rows],
            value_col: [r[1] for r in rows],
            "name": [f"Fläche {r[0]}" for r in rows],
        },
        geometry=[r[2] for r in rows],
        crs=METRIC_CRS,
    )


LANDUSE = [
    ("L1", "residential", sq(0, 0, 400, 400)),
    ("L2", "commercial", sq(0, 300, 100, 400)),  # inside L1: counted once
    ("L3", "water", sq(0, 400, 800, 450)),
    ("L4", "other", sq(150, 460, 250, 540)),
    ("L5", "forest", sq(400, 0, 800, 400)),
]
CONSTRAINTS = [
    ("F1", "flood_hq100", sq(-100, -100, 100, 100)),
    ("C1", "ventilation_core", sq(150, -10, 300, 300)),
    ("N1", "nature_protected", sq(1050, -10, 2000, 110)),
]


@pytest.fixture(scope="module")
def pack(tmp_path_factory):
    folder = make_heat_pack(tmp_path_factory.mktemp("drawn") / "pack")
    with staged_pack(folder) as stage:
        stage.put_vector(_dataset("landuse"), _frame(LANDUSE, "landuse_id", "use"))
        stage.put_vector(_dataset("constraints"), _frame(CONSTRAINTS, "constraint_id", "kind"))
    return load_pack(folder)


@pytest.fixture(scope="module")
def plain_pack(tmp_path_factory):
    """The test pack without heat fields, land use or constraints."""
    return load_pack(make_pack(tmp_path_factory.mktemp("plain") / "pack"))


def refused(payload, city=CITY.bbox, **kw) -> DrawingError:
    with pytest.raises(DrawingError) as err:
        check_drawing(payload, city, METRIC_CRS, **kw)
    return err.value


SQUARE = lonlat(sq(0, 0, 200, 200))


# --- refusals ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("payload", "de", "en"),
    [
        (None, "keine Fläche", "not an area"),
        ("POLYGON((0 0, 1 0, 1 1, 0 0))", "keine Fläche", "not an area"),
        ([[11.5, 50.9]], "keine Fläche", "not an area"),
        ({"type": "Point", "coordinates": [11.58, 50.92]}, "ist ein Point", "is a Point"),
        ({"type": 7, "coordinates": []}, "keine Fläche", "not an area"),
        ({"type": "Polygon"}, "nicht wie in GeoJSON verschachtelt", "not nested as GeoJSON"),
        ({"type": "Polygon", "coordinates": "x"}, "verschachtelt", "not nested"),
        ({"type": "Polygon", "coordinates": [5]}, "verschachtelt", "not nested"),
        ({"type": "MultiPolygon", "coordinates": [[5]]}, "verschachtelt", "not nested"),
        (
            {"type": "Polygon", "coordinates": [[[[11.5, 50.9]]] * 4]},
            "keine Koordinate",
            "not a coordinate",
        ),
        (
            {"type": "Polygon", "coordinates": [[["11.5", 50.9]] * 4]},
            "keine Koordinate",
            "not a coordinate",
        ),
        (
            {"type": "Polygon", "coordinates": [[[True, 50.9]] * 4]},
            "keine Koordinate",
            "not a coordinate",
        ),
        (
            {"type": "Polygon", "coordinates": [[[11.5, float("nan")]] * 4]},
            "keine endliche",
            "not finite",
        ),
        (
            {"type": "Polygon", "coordinates": [[[11.5, 50.9], [200.0, 50.9], [11.6, 51.0]]]},
            "außerhalb von Länge",
            "outside longitude",
        ),
        (
            {"type": "Polygon", "coordinates": [[[11.5, 50.9], [11.6, 50.9], [11.5, 50.9]]]},
            "weniger als drei",
            "fewer than three",
        ),
    ],
)
def test_malformed_payloads_are_refused(payload, de, en):
    err = refused(payload)
    assert de in err.de and en in err.en
    assert err.to_dict() == {"de": err.de, "en": err.en} and str(err) == err.en


def test_a_feature_is_unwrapped_and_an_open_ring_closed():
    feature = {"type": "Feature", "properties": {}, "geometry": SQUARE}
    assert check_drawing(feature, CITY.bbox, METRIC_CRS).area == pytest.approx(40_000, rel=1e-6)
    ring = SQUARE["coordinates"][0][:-1]
    geom = check_drawing({"type": "Polygon", "coordinates": [ring]}, CITY.bbox, METRIC_CRS)
    assert geom.area == pytest.approx(40_000, rel=1e-6)


def test_self_intersecting_ring_is_refused_not_repaired():
    bowtie = shapely.Polygon(
        [(X0, Y0), (X0 + 200, Y0 + 200), (X0 + 200, Y0), (X0, Y0 + 200), (X0, Y0)]
    )
    err = refused(lonlat(bowtie))
    assert "überschneidet sich selbst" in err.de and "crosses itself" in err.en
    two = shapely.MultiPolygon([sq(0, 0, 200, 200), sq(100, 100, 300, 300)])  # overlapping parts
    err = refused(lonlat(two))
    assert "crosses itself" in err.en


def test_tiny_drawing_is_refused_with_the_limit():
    err = refused(lonlat(sq(0, 0, 9, 9)))  # 81 m²
    assert "zu klein" in err.de and "100 m²" in err.de and "81,0 m²" in err.de
    assert "too small" in err.en and "100 m²" in err.en and "81.0 m²" in err.en
    assert check_drawing(lonlat(sq(0, 0, 10, 10.01)), CITY.bbox, METRIC_CRS).area > MIN_AREA_M2


def test_drawing_outside_the_city_is_refused(pack):
    far = lonlat(box(ORIGIN[0] - 50_000, ORIGIN[1], ORIGIN[0] - 49_000, ORIGIN[1] + 1000))
    for city in (CITY.bbox, pack_city_area(pack), pack.metric("outline")):
        err = refused(far, city)
        assert "außerhalb der Stadt" in err.de and "outside the city" in err.en


def test_drawing_larger_than_the_city_is_refused(pack):
    outline = pack_city_area(pack)  # 5.5 km × 3 km = 1 650 ha (stored rounded to 1e-6°)
    assert outline.area == pytest.approx(5500 * 3000, rel=1e-4)
    huge = lonlat(outline.buffer(200, join_style="mitre"))
    err = refused(huge, outline)
    assert "größer als die Stadt" in err.de and "1.650 ha" in err.de
    assert "larger than the city" in err.en and "1,650 ha" in err.en


def test_too_many_vertices_is_refused_with_the_limit():
    ring = [[11.5 + 1e-6 * i, 50.9] for i in range(5001)]
    err = refused({"type": "Polygon", "coordinates": [ring]})
    assert "zu viele Punkte" in err.de and "5.000" in err.de
    assert "too many points" in err.en and "5,000" in err.en
    err = refused(SQUARE, max_vertices=4)
    assert "at most 4 vertices" in err.en


def test_a_million_vertices_is_refused_fast():
    ring = [[11.58, 50.92]] * 1_000_000
    payloads = [
        {"type": "Polygon", "coordinates": [ring]},
        {"type": "MultiPolygon", "coordinates": [[r] for r in [ring[:1000]] * 1000]},
        {"type": "MultiPolygon", "coordinates": [[[]]] * 1_000_000},
    ]
    for payload in payloads:
        start = time.perf_counter()
        err = refused(payload)
        took = time.perf_counter() - start
        assert "too many points" in err.en
        assert took < 0.05, f"{took * 1000:.1f} ms"


# --- the assessment ------------------------------------------------------------------------


def test_bad_use_and_dwellings_are_refused(pack):
    geom = sq(0, 0, 200, 200)
    for use in ("housing", None, 3):
        with pytest.raises(DrawingError) as err:
            assess_drawing(geom, use, 10, pack)
        assert "Unbekannte Nutzung" in err.value.de and "Unknown planned use" in err.value.en
    for dwellings in (-1, 100_001, 2.5, "10", True, None):
        with pytest.raises(DrawingError) as err:
            assess_drawing(geom, "residential", dwellings, pack)
        assert "0 bis 100.000" in err.value.de and "0 to 100,000" in err.value.en
    assert assess_drawing(geom, "residential", 100_000.0, pack)["dwellings"] == 100_000


def test_conflicts_equal_assess_one(pack):
    geom = check_drawing(lonlat(sq(0, 0, 200, 200)), pack_city_area(pack), METRIC_CRS)
    rules = load_rules(rules_for_pack(pack.folder)[0])
    expected = assess_one(
        geom, "residential", 120, pack.metric("constraints"), rules, metric_crs=METRIC_CRS
    ).to_dict(geometry=True)
    index = pack_index(pack, rules)
    for result in (
        assess_drawing(geom, "residential", 120, pack),
        assess_drawing(geom, "residential", 120, pack, index=index, rules=rules),
    ):
        assert result["plan"] == expected["plans"][0]
        assert result["matrix"] == expected["matrix"]
        json.dumps(result, allow_nan=False)  # JSON-able
    kinds = result["plan"]["kinds_ha"]
    assert kinds["flood_hq100"] == pytest.approx(1.0, abs=0.002)  # 100 × 100 m
    assert kinds["ventilation_core"] == pytest.approx(1.0, abs=0.002)  # 50 × 200 m
    assert result["plan"]["hard"] and result["area_ha"] == pytest.approx(4.0, rel=1e-6)


def test_added_sealed_area_by_hand(pack):
    geom = sq(0, 300, 200, 500)  # 4 ha
    sealing = assess_drawing(geom, "residential", 50, pack)["sealing"]
    # sealed today: L1 (with L2 inside it, once) 200 × 100 + L4 ("other") 50 × 40; water not
    # (the pack stores lon/lat to 6 decimals, ≈ 0.1 m: edges move by up to 0.1 m, ≤ 0.002 ha)
    already = (200 * 100 + 50 * 40) / 10_000
    assert sealing["drawn_ha"] == pytest.approx(4.0)
    assert sealing["already_sealed_ha"] == pytest.approx(already, abs=0.002)
    assert sealing["added_ha"] == pytest.approx(4.0 - sealing["already_sealed_ha"], abs=1e-4)
    assert sealing["added_ha"] == pytest.approx(4.0 - already, abs=0.002)
    assert sealing["landuse_available"] and "sealed" in sealing["assumption"]["en"]
    green = assess_drawing(geom, "green", 0, pack)["sealing"]
    assert green["added_ha"] == 0.0 and not green["building_use"]
    forest = assess_drawing(sq(400, 0, 600, 200), "commercial", 0, pack)["sealing"]
    assert forest["already_sealed_ha"] == pytest.approx(0.0, abs=0.002)
    assert forest["added_ha"] == pytest.approx(4.0, abs=0.002)


def test_residents_within_500_m_in_the_hottest_class_by_hand(pack):
    # the 500 m cells: a 100 m square centred on the centre of cell r2c7 reaches the centres
    # of its four neighbours (450 m from its edge), not the diagonal ones (≈ 636 m)
    cx, cy = ORIGIN[0] + 7 * 500 + 250, ORIGIN[1] + 6 * 500 - 2 * 500 - 250
    geom = box(cx - 50, cy - 50, cx + 50, cy + 50)
    near = {"r2c7", "r1c7", "r3c7", "r2c6", "r2c8"}
    res, classes = classes_for(pack, LAYER.clean_params({"level": "grid"}))
    top = res.frame["index"] > classes.breaks[-2]
    hot = set(res.frame.loc[top, "unit_id"])
    grid = indicators(pack, "grid").frame.set_index("unit_id")
    assert (grid.loc["r2c7", "x"], grid.loc["r2c7", "y"]) == (cx, cy)
    expected = sorted(near & hot)
    assert expected, "the fixture should put some hot cells near the drawing"
    # population in the test grid: 100 × (1 − col / 9)
    residents = sum(100.0 * (1 - int(u.split("c")[1]) / 9) for u in expected)
    heat = assess_drawing(geom, "residential", 10, pack, heat=hot_residents)["heat"]
    assert sorted(heat["cell_ids"]) == expected
    assert heat["residents"] == round(residents) and heat["cells"] == len(expected)
    assert heat["reason"] is None and heat["radius_m"] == 500
    assert heat["class"]["number"] == heat["class"]["of"] == len(classes.breaks)


def test_no_heat_data_gives_none_with_the_reason(plain_pack):
    geom = sq(0, 0, 200, 200)
    result = assess_drawing(geom, "residential", 10, plain_pack, heat=hot_residents)
    heat = result["heat"]
    assert heat["residents"] is None
    assert "keine Hitzedaten" in heat["reason"]["de"] and "no heat data" in heat["reason"]["en"]
    assert result["plan"]["conflicts"] == [] and result["sealing"]["landuse_available"] is False
    assert result["sealing"]["added_ha"] == pytest.approx(4.0)


def test_demo_pack_drawing_in_the_centre(demo_pack):
    lat, lon = demo_pack.city.centre
    d = 0.002
    payload = {
        "type": "Polygon",
        "coordinates": [
            [[lon - d, lat - d], [lon + d, lat - d], [lon + d, lat + d], [lon - d, lat + d]]
        ],
    }
    geom = check_drawing(payload, pack_city_area(demo_pack), demo_pack.city.metric_crs)
    rules = pack_rules(demo_pack)
    index = pack_index(demo_pack, rules)
    start = time.perf_counter()
    result = assess_drawing(
        geom, "residential", 200, demo_pack, index=index, rules=rules, heat=hot_residents
    )
    took = time.perf_counter() - start
    json.dumps(result, allow_nan=False)
    assert result["area_ha"] > 5 and result["heat"]["residents"] is not None
    assert result["sealing"]["landuse_available"]
    assert 0 <= result["sealing"]["added_ha"] <= result["area_ha"]
    print(f"demo drawing assessed in {took * 1000:.0f} ms")


def test_module_is_pure():
    source = Path(__file__).parents[1].joinpath("models", "drawn_plan.py").read_text()
    assert "import dash" not in source and "from dash" not in source
    assert "Jena" not in source


def test_without_a_counter_the_heat_part_says_it_was_not_counted(demo_pack):
    """models may not import layers: the caller passes the counter; without it the result
    says residents were not counted (never a silent zero)."""
    lat, lon = demo_pack.city.centre
    d = 0.002
    geom = check_drawing(
        {
            "type": "Polygon",
            "coordinates": [
                [[lon - d, lat - d], [lon + d, lat - d], [lon + d, lat + d], [lon - d, lat + d]]
            ],
        },
        pack_city_area(demo_pack),
        demo_pack.city.metric_crs,
    )
    heat = assess_drawing(geom, "residential", 10, demo_pack)["heat"]
    assert heat["residents"] is None and "nicht gezählt" in heat["reason"]["de"]
    assert "not counted" in heat["reason"]["en"]
