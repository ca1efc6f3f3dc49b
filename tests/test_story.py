"""Council stories (models/story.py, ``allmende story run``): read, checked with line, step
and field, scenarios inline or from a spec file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from cli.main import main
from models.story import StoryError, from_toml, load_story

STORY = """\
version = 1
title = { de = "Hitze in Lobeda", en = "Heat in Lobeda" }

[[steps]]
text = { de = "Heute ist Neulobeda heiß.", en = "Today Neulobeda is hot." }
view = { lat = 50.885, lon = 11.61, zoom = 14 }
layers = ["heat-vulnerability"]

[[steps]]
text = { de = "Mehr Bäume.", en = "More trees." }
compare = "diff"
[steps.scenario]
name = "Bäume"
horizon = "today"
[[steps.scenario.interventions]]
kind = "canopy"
districts = ["Neulobeda"]
percent = 10

[[steps]]
text = { de = "Aus der Datei.", en = "From the file." }
scenario = "trees.toml"
compare = "swipe"
"""

SPEC = 'name = "Datei"\nhorizon = "2050"\nwarming = 2\n[[interventions]]\nkind = "unseal"\n' \
    'districts = ["Neulobeda"]\npercent = 5\n'  # fmt: skip


@pytest.fixture()
def story_dir(tmp_path: Path) -> Path:
    (tmp_path / "story.toml").write_text(STORY, encoding="utf-8")
    (tmp_path / "trees.toml").write_text(SPEC, encoding="utf-8")
    return tmp_path


def test_a_story_reads_with_its_steps(story_dir: Path) -> None:
    story = load_story(story_dir / "story.toml", layers=["heat-vulnerability", "districts"])
    assert story.title == {"de": "Hitze in Lobeda", "en": "Heat in Lobeda"}
    first, second, third = story.steps
    assert first.scenario is None and first.compare == "side" and first.view is not None
    assert (first.view.lat, first.view.zoom) == (50.885, 14.0)
    assert second.scenario is not None and second.scenario.interventions[0].percent == 10
    assert second.compare == "diff" and second.view is None and second.layers == ()
    assert third.scenario is not None and third.scenario.warming == 2.0
    doc = story.to_json()
    assert doc["steps"][0]["scenario"] == "baseline"
    assert doc["steps"][1]["scenario"]["name"] == "Bäume"


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (('compare = "diff"', 'compare = "3d"'), ["story.toml:11: step 2", "compare", '"3d"']),
        (('zoom = 14', 'zoom = 99'), ["story.toml:6: step 1: view", "zoom", "99"]),
        (('layers = ["heat-vulnerability"]', 'layers = ["nope"]'),
         ["story.toml:7: step 1: layers", '"nope"', "known:"]),
        (('en = "More trees."', 'fr = "Plus."'), ["step 2", "text", "en:", "only de and en"]),
        (("percent = 10", "percent = -1"), ["step 2", "scenario", "percent", "-1"]),
        (('scenario = "trees.toml"', 'scenario = "missing.toml"'), ["step 3", "file not found"]),
        (('version = 1', 'version = 2'), ["story.toml:1: version", "found 2"]),
        (('[[steps]]\ntext = { de = "Aus', '[[steps]]\ncolour = 1\ntext = { de = "Aus'),
         ["step 3", "colour", "unknown key"]),
    ],
)  # fmt: skip
def test_every_problem_names_line_step_and_field(
    story_dir: Path, change: tuple[str, str], words: list[str]
) -> None:
    text = STORY.replace(*change, 1)
    assert text != STORY
    (story_dir / "story.toml").write_text(text, encoding="utf-8")
    with pytest.raises(StoryError) as err:
        load_story(story_dir / "story.toml", layers=["heat-vulnerability"])
    message = str(err.value)
    assert all(w in message for w in words), message


def test_a_story_without_steps_or_in_bad_toml_is_refused() -> None:
    with pytest.raises(StoryError, match="expected 1 to 100"):
        from_toml('title = { de = "a", en = "b" }\n')
    with pytest.raises(StoryError, match="TOML syntax error"):
        from_toml("title = ")
    with pytest.raises(StoryError, match="inline the scenario"):
        from_toml('title = { de = "a", en = "b" }\n[[steps]]\ntext = { de = "x", en = "y" }\n'
                  'scenario = "trees.toml"\n')  # fmt: skip


def test_the_cli_checks_a_story_against_a_pack(
    story_dir: Path, demo_pack_dir: Path, capsys: Any
) -> None:
    file = str(story_dir / "story.toml")
    assert main(["story", "run", file, "--pack", str(demo_pack_dir)]) == 0
    out = capsys.readouterr().out
    assert "3 steps, all sound" in out and "Bäume (diff)" in out
    assert main(["story", "run", file, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["steps"][2]["compare"] == "swipe"
    # a district the pack does not have: refused with the step, exit 1
    (story_dir / "story.toml").write_text(STORY.replace('districts = ["Neulobeda"]',
                                                         'districts = ["Atlantis"]'))  # fmt: skip
    assert main(["story", "run", file, "--pack", str(demo_pack_dir)]) == 1
    err = capsys.readouterr().err
    assert "step 2: scenario:" in err and "Atlantis" in err


def test_the_readme_example_is_a_sound_story() -> None:
    import re
    import textwrap

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    block = next(b for b in re.findall(r"```toml\n(.*?)```", readme, re.S) if "[[steps]]" in b)
    story = from_toml(textwrap.dedent(block), layers=["heat-vulnerability"])
    assert len(story.steps) == 1 and story.steps[0].scenario is None
