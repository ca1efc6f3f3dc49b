"""The scenario page's state (dashboard/scenario_state.py): links, changes, refusals."""

from __future__ import annotations

import base64
import copy
import json
import zlib
from typing import Any

import pytest

from dashboard import scenario_state as ss
from models.scenario_spec import SpecError, from_json, from_toml, to_toml

TREES = {"kind": "canopy", "districts": ["Neulobeda"], "percent": 10}


def _upload(text: str) -> str:
    return "data:text/plain;base64," + base64.b64encode(text.encode("utf-8")).decode("ascii")


@pytest.fixture()
def with_trees(demo_pack: Any) -> dict[str, Any]:
    state, msg = ss.add(ss.default_state(), "b", TREES, demo_pack)
    assert not msg.error, msg
    return state


def test_a_link_round_trips_both_scenarios_and_the_view(with_trees: dict[str, Any]) -> None:
    args = ss.link_args(with_trees, "swipe")
    assert args is not None
    query = "?" + "&".join(f"{k}={v}" for k, v in args)
    state, mode, problems = ss.from_query(query)
    assert (state, mode, problems) == (with_trees, "swipe", [])
    # a link is short: a district scenario is about 150 characters
    assert all(len(v) < 300 for k, v in args if k in ("a", "b"))


def test_a_link_without_scenarios_keeps_the_session() -> None:
    assert ss.from_query("?lang=en&cmp=diff") == (None, "diff", [])
    assert ss.from_query(None) == (None, "side", [])
    assert ss.from_query(123) == (None, "side", [])


@pytest.mark.parametrize(
    "value, expected",
    [
        ("!!!", "not a scenario link value"),
        (base64.urlsafe_b64encode(b"plain text").decode(), "not a scenario link value"),
        (
            base64.urlsafe_b64encode(zlib.compress(b"[1, 2]")).decode(),
            "expected a table with name, horizon and interventions, found a list",
        ),
        (
            base64.urlsafe_b64encode(zlib.compress(b" " * 300_000, 9)).decode(),
            "too large",
        ),
        ("x" * 5000, "expected at most"),
    ],
)
def test_a_bad_link_value_is_refused_with_a_reason(value: str, expected: str) -> None:
    with pytest.raises(SpecError) as err:
        ss.decode(value)
    assert expected in str(err.value)


def test_a_bad_scenario_in_a_link_falls_back_and_says_so(with_trees: dict[str, Any]) -> None:
    good = ss.encode(with_trees["b"])
    state, mode, problems = ss.from_query(f"?a=nonsense&b={good}&cmp=zoom")
    assert state is not None
    assert state["b"] == with_trees["b"]
    assert state["a"] == ss.default_state()["a"]
    assert mode == "side"
    assert [p[:2] for p in problems] == ["cm", "A:"]


def test_a_refused_change_keeps_the_state_and_names_field_and_intervention(
    demo_pack: Any, with_trees: dict[str, Any]
) -> None:
    before = copy.deepcopy(with_trees)
    for bad, words in [
        ({**TREES, "districts": ["Atlantis"]}, ["intervention 2", "districts", "Atlantis"]),
        ({**TREES, "percent": -5}, ["intervention 2", "percent", "-5"]),
        ({**TREES, "percent": 500}, ["intervention 2", "percent", "≤ 100"]),
        ({"kind": "meteor", "districts": ["Neulobeda"]}, ["intervention 2", "kind"]),
        ({"kind": "canopy", "districts": []}, ["intervention 2"]),
    ]:
        state, msg = ss.add(with_trees, "b", bad, demo_pack)
        assert state == before, bad
        assert msg.error
        assert all(w in msg.en for w in words), (bad, msg.en)
        assert msg.de.startswith("Nicht übernommen, nichts wurde geändert")
    assert with_trees == before  # the argument itself is never changed


def test_form_kinds_make_the_spec_interventions(demo_pack: Any) -> None:
    made = {
        kind: ss.intervention_from_form(kind, ["Neulobeda"], 12, 40, None, None)
        for kind in ss.FORM_KINDS
        if kind != "development"
    }
    assert made["canopy"] == {"kind": "canopy", "districts": ["Neulobeda"], "percent": 12}
    assert made["trees"] == {
        "kind": "canopy", "districts": ["Neulobeda"], "trees": 12, "crown_m2": 40,
    }  # fmt: skip
    assert made["unseal"]["percent"] == 12
    assert made["green_roofs"]["share"] == 12
    state = ss.default_state()
    for item in made.values():
        state, msg = ss.add(state, "b", item, demo_pack)
        assert not msg.error, msg
    assert [i["kind"] for i in state["b"]["interventions"]] == [
        "canopy", "canopy", "unseal", "green_roofs",
    ]  # fmt: skip


def test_a_drawn_plan_becomes_a_development_area(demo_pack: Any) -> None:
    square = {
        "type": "Polygon",
        "coordinates": [[[11.593, 50.9308], [11.5947, 50.9308], [11.5947, 50.9318],
                         [11.593, 50.9318], [11.593, 50.9308]]],
    }  # fmt: skip
    drawn = {
        "version": 1,
        "plans": [{"id": "p1", "name": "Neu", "use": "residential", "dwellings": 40,
                   "geometry": square, "source": "drawn", "lid": None, "page": None,
                   "error": None}],
        "current": "p1",
    }  # fmt: skip
    item = ss.intervention_from_form("development", None, None, None, "drawn:p1", drawn)
    assert item == {"kind": "development", "area": square, "use": "residential", "dwellings": 40}
    state, msg = ss.add(ss.default_state(), "b", item, demo_pack)
    assert not msg.error, msg.en
    gone = ss.intervention_from_form("development", None, None, None, "drawn:nope", drawn)
    state2, msg2 = ss.add(state, "b", gone, demo_pack)
    assert msg2.error and state2 == state


def test_remove_clear_swap_and_meta(demo_pack: Any, with_trees: dict[str, Any]) -> None:
    assert ss.remove(with_trees, "b", 0)["b"]["interventions"] == []
    assert ss.remove(with_trees, "b", 5) == with_trees
    assert ss.remove(with_trees, "b", True) == with_trees  # a bool is no index
    assert ss.clear(with_trees, "b")["b"]["interventions"] == []
    swapped = ss.swap(with_trees)
    assert (swapped["a"], swapped["b"]) == (with_trees["b"], with_trees["a"])
    future, msg = ss.set_meta(with_trees, "b", None, "2050", None, demo_pack)
    assert msg is None and future["b"]["warming"] == 2
    hotter, _ = ss.set_meta(future, "b", "Heiß", None, 3.0, demo_pack)
    assert (hotter["b"]["name"], hotter["b"]["warming"]) == ("Heiß", 3)
    bad, msg = ss.set_meta(future, "b", None, None, 2.5, demo_pack)
    assert bad == future and msg is not None and "warming" in msg.en
    today, _ = ss.set_meta(hotter, "b", None, "today", 3.0, demo_pack)
    assert "warming" not in today["b"]


def test_a_spec_file_replaces_the_slot_or_changes_nothing(
    demo_pack: Any, with_trees: dict[str, Any]
) -> None:
    text = 'name = "Dächer"\nhorizon = "today"\n[[interventions]]\nkind = "green_roofs"\n'
    good = text + 'districts = ["Neulobeda"]\nshare = 50\n'
    state, msg = ss.load_file(with_trees, "a", _upload(good), "dach.toml", demo_pack)
    assert not msg.error and state["a"]["name"] == "Dächer" and state["b"] == with_trees["b"]
    # malformed: a TOML syntax error with its line, an unknown district, not UTF-8, no file
    for contents, name, words in [
        (_upload(text + "share = = 3\n"), "x.toml", ["x.toml", "line 5", "TOML syntax error"]),
        (_upload(text + 'districts = ["Atlantis"]\nshare = 50\n'), "x.toml", ["Atlantis"]),
        ("data:text/plain;base64," + base64.b64encode(b"\xff\xfe").decode(), "x.toml",
         ["not UTF-8"]),
        (None, "x.toml", ["expected a file"]),
        ("data:,", "x.json", ["JSON syntax error"]),
    ]:  # fmt: skip
        after, msg = ss.load_file(with_trees, "a", contents, name, demo_pack)
        assert after == with_trees
        assert msg.error and all(w in msg.en for w in words), (words, msg.en)


def test_an_exported_spec_reads_back_as_the_same_scenario(with_trees: dict[str, Any]) -> None:
    scenario = ss.scenario_of(with_trees["b"])
    assert from_toml(to_toml(scenario)) == scenario
    assert from_json(json.loads(json.dumps(with_trees["b"]))) == scenario


@pytest.mark.parametrize(
    "raw",
    [None, 7, "x", [], {"a": 5, "b": None}, {"a": {"interventions": [{"kind": "x"}]}}],
)
def test_a_crafted_store_gives_the_default_slots(raw: Any) -> None:
    assert ss.clean_state(raw) == ss.default_state()


def test_descriptions_are_german_and_english() -> None:
    assert ss.describe(TREES, "de") == "Baumkronen +10 Pp.: Neulobeda"
    assert ss.describe(TREES, "en") == "tree canopy +10 pp: Neulobeda"
    trees = {"kind": "canopy", "districts": ["Zentrum"], "trees": 200, "crown_m2": 50}
    assert ss.describe(trees, "de") == "200 Bäume à 50 m² Krone: Zentrum"


def test_default_names_follow_the_page_language(with_trees: dict[str, Any]) -> None:
    english = ss.localised(with_trees, "en")
    assert (english["a"]["name"], english["b"]["name"]) == ("Baseline", "New scenario")
    assert english["b"]["interventions"] == with_trees["b"]["interventions"]
    named = {**with_trees, "b": {**with_trees["b"], "name": "Bäume für Lobeda"}}
    assert ss.localised(named, "en")["b"]["name"] == "Bäume für Lobeda"  # a name of one's own
