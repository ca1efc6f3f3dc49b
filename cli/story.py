"""``allmende story run FILE.toml [--pack PACK] [--json]``: check a council story file.

Every step is read: its text in German and English, view, layers (the app's layer ids),
scenario (``"baseline"``, a spec file relative to the story, or an inline table) and
comparison view. With ``--pack`` each step's scenario is also matched to the pack (district
names, plans) and its layers must be ones the pack can show. Prints the steps, or with
``--json`` the story as JSON (scenarios inline).

Exit status: 0 when the story is sound, 1 when it is refused (every problem is listed, with
its line, step and field) or the pack is invalid, 2 on usage errors.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any


def run_command(args: argparse.Namespace) -> int:
    from data.pack import PackError, load_pack
    from layers import REGISTRY
    from models.scenario_resolve import resolve
    from models.scenario_spec import SpecError
    from models.story import StoryError, load_story

    pack = None
    known = [layer.id for layer in REGISTRY]
    if args.pack is not None:
        try:
            pack = load_pack(args.pack)
        except PackError as err:
            print(f"story run: the pack is invalid\n{err.report.to_text()}", file=sys.stderr)
            return 1
        known = [layer.id for layer in REGISTRY if layer.available(pack)]
    try:
        story = load_story(args.file, layers=known)
    except StoryError as err:
        print(f"story run: the story was refused:\n{err}", file=sys.stderr)
        return 1
    problems = []
    if pack is not None:
        for n, step in enumerate(story.steps, start=1):
            if step.scenario is None:
                continue
            try:
                resolve(step.scenario, pack)
            except SpecError as err:
                problems += [f"{args.file}: step {n}: scenario: {p}" for p in err.problems]
    if problems:
        print("story run: the story was refused:\n" + "\n".join(problems), file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(story.to_json(), ensure_ascii=False, indent=1))
        return 0
    print(f"{story.title['de']} / {story.title['en']}: {len(story.steps)} steps, all sound")
    for n, step in enumerate(story.steps, start=1):
        scenario = "baseline" if step.scenario is None else step.scenario.name
        view = (
            "the city's view"
            if step.view is None
            else (f"{step.view.lat:.5f}, {step.view.lon:.5f}, zoom {step.view.zoom:g}")
        )
        layers = ", ".join(step.layers) or "no layers"
        print(f"  {n}. {step.text['de'][:60]} | {scenario} ({step.compare}) | {layers} | {view}")
    return 0


def register(sub: Any) -> None:
    """Add ``story run`` to the ``allmende`` sub-commands."""
    p = sub.add_parser(
        "story",
        help="council stories: check a story file (run)",
        description=__doc__.splitlines()[0] if __doc__ else None,
    )
    inner = p.add_subparsers(dest="story_command", required=True)
    r = inner.add_parser("run", help="check a story file (TOML) and list its steps")
    r.add_argument("file", type=Path, help="story file (TOML)")
    r.add_argument("--pack", type=Path, help="also match scenarios and layers to this pack")
    r.add_argument("--json", action="store_true", help="the story as JSON")
    r.set_defaults(func=run_command)
