"""A story for the council chamber: an ordered list of steps, each a map view, the layers
shown, a scenario (or the baseline), a comparison view and a short text in German and
English. Pure (no Dash, no city named); the presentation mode and the database of issue 17
read and store what this module checks.

The format (version 1), a TOML file::

    version = 1
    title = { de = "Hitze in Lobeda", en = "Heat in Lobeda" }

    [[steps]]
    text = { de = "Heute: …", en = "Today: …" }
    view = { lat = 50.88, lon = 11.60, zoom = 14 }   # optional: the city's own view
    layers = ["heat-vulnerability"]                 # optional: layer ids, drawing order
    scenario = "baseline"                           # or a spec file, or an inline table
    compare = "side"                                # side | swipe | diff (optional)

A step's ``scenario`` is ``"baseline"``, a path to a scenario spec (TOML, relative to the
story file; :func:`models.scenario_spec.load_spec`), or an inline table with the spec's keys
(``[steps.scenario]`` … ``[[steps.scenario.interventions]]``). Every problem is collected;
:class:`StoryError` lists them, each with the line, the step and the field.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from models.scenario_spec import (
    Scenario,
    SpecError,
    from_json,
    load_spec,
    to_json,
    what_found,
)
from models.toml_lines import scan

VERSION = 1
LANGS = ("de", "en")
COMPARE = ("side", "swipe", "diff")
BASELINE = "baseline"
TOP_KEYS = ("version", "title", "steps")
STEP_KEYS = ("text", "view", "layers", "scenario", "compare")
MAX_STEPS = 100
MAX_TITLE = 200  # characters of a title, per language
MAX_TEXT = 1_000  # characters of a step's text, per language
MAX_LAYERS = 50
ZOOM = (0.0, 22.0)  # Leaflet's zoom levels (the app keeps a view within its own range)
MAX_FILE_CHARS = 2_000_000


@dataclass(frozen=True)
class View:
    lat: float
    lon: float
    zoom: float


@dataclass(frozen=True)
class Step:
    """One step: its text (``{"de": …, "en": …}``), view (``None``: the city's), layer ids,
    scenario (``None``: the baseline) and comparison view."""

    text: dict[str, str]
    view: View | None
    layers: tuple[str, ...]
    scenario: Scenario | None
    compare: str


@dataclass(frozen=True)
class Story:
    title: dict[str, str]
    steps: tuple[Step, ...]
    version: int = VERSION

    def to_json(self) -> dict[str, Any]:
        """The story as JSON (scenarios inline), e.g. for the database."""
        return {
            "version": self.version,
            "title": dict(self.title),
            "steps": [
                {
                    "text": dict(s.text),
                    **({} if s.view is None else {"view": vars(s.view).copy()}),
                    "layers": list(s.layers),
                    "scenario": BASELINE if s.scenario is None else to_json(s.scenario),
                    "compare": s.compare,
                }
                for s in self.steps
            ],
        }


@dataclass(frozen=True)
class StoryProblem:
    message: str
    step: int | None = None  # from 1
    field: str | None = None
    line: int | None = None
    source: str | None = None

    def __str__(self) -> str:
        parts = []
        if self.source is not None:
            parts.append(f"{self.source}:{self.line}" if self.line is not None else self.source)
        elif self.line is not None:
            parts.append(f"line {self.line}")
        if self.step is not None:
            parts.append(f"step {self.step}")
        if self.field is not None:
            parts.append(self.field)
        parts.append(self.message)
        return ": ".join(parts)


class StoryError(ValueError):
    """A story was refused; ``problems`` lists each (one a line in the message)."""

    def __init__(self, problems: Iterable[StoryProblem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def load_story(path: Path | str, layers: Iterable[str] | None = None) -> Story:
    """Read and check a story file; ``layers``: the layer ids the app knows (``None``: any
    id is taken). Raises :class:`StoryError` with every problem."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError as err:
        raise StoryError([StoryProblem("file not found", source=str(p))]) from err
    except UnicodeDecodeError as err:
        raise StoryError(
            [StoryProblem(f"not UTF-8 text (byte {err.start})", source=str(p))]
        ) from err
    except OSError as err:
        raise StoryError([StoryProblem(f"cannot read: {err}", source=str(p))]) from err
    return from_toml(text, source=str(p), base_dir=p.parent, layers=layers)


def from_toml(
    text: str,
    source: str | None = None,
    base_dir: Path | str | None = None,
    layers: Iterable[str] | None = None,
) -> Story:
    """Parse and check a story's TOML text (spec files named in it are read from
    ``base_dir``)."""
    if len(text) > MAX_FILE_CHARS:
        raise StoryError([StoryProblem(f"expected at most {MAX_FILE_CHARS:,} characters",
                                       source=source)])  # fmt: skip
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise StoryError([StoryProblem(f"TOML syntax error: {err}", source=source)]) from err
    lines = scan(text, "steps")
    checker = _Checker(lines, source, None if layers is None else set(layers))
    story = checker.story(raw, Path(base_dir) if base_dir is not None else None)
    if checker.problems or story is None:
        raise StoryError(checker.problems)
    return story


class _Checker:
    def __init__(self, lines: Any, source: str | None, layers: set[str] | None):
        self.lines = lines
        self.source = source
        self.layers = layers
        self.problems: list[StoryProblem] = []

    def bad(self, message: str, step: int | None = None, key: str | None = None) -> None:
        if step is None:
            line = self.lines.top.get(key) if key else None
        elif 1 <= step <= len(self.lines.blocks):
            start, keys = self.lines.blocks[step - 1]
            line = keys.get(key, start) if key else start
        else:
            line = None
        self.problems.append(StoryProblem(message, step, key, line, self.source))

    def texts(self, value: Any, limit: int, step: int | None, key: str) -> dict[str, str]:
        if not isinstance(value, Mapping):
            self.bad(f"expected a table with de and en texts, found {what_found(value)}",
                     step, key)  # fmt: skip
            return {}
        out = {}
        for lang in LANGS:
            text = value.get(lang)
            if not isinstance(text, str) or not text.strip() or len(text) > limit:
                self.bad(f"{lang}: expected a text of 1 to {limit:,} characters, "
                         f"found {what_found(text)}", step, key)  # fmt: skip
            else:
                out[lang] = text.strip()
        for other in set(value) - set(LANGS):
            self.bad(f"expected only de and en, found {what_found(str(other))}", step, key)
        return out

    def story(self, raw: Mapping[str, Any], base_dir: Path | None) -> Story | None:
        for key in raw:
            if key not in TOP_KEYS:
                self.bad(f"unknown key; known: {', '.join(TOP_KEYS)}", None, key)
        version = raw.get("version", VERSION)
        if version != VERSION or isinstance(version, bool):
            self.bad(f"expected {VERSION}, found {what_found(version)}", None, "version")
        title = self.texts(raw.get("title"), MAX_TITLE, None, "title")
        steps_raw = raw.get("steps")
        if not isinstance(steps_raw, list) or not 1 <= len(steps_raw) <= MAX_STEPS:
            self.bad(f"expected 1 to {MAX_STEPS} [[steps]], found {what_found(steps_raw)}",
                     None, "steps")  # fmt: skip
            return None
        steps = [self.step(n, entry, base_dir) for n, entry in enumerate(steps_raw, start=1)]
        if self.problems:
            return None
        return Story(title, tuple(s for s in steps if s is not None))

    def step(self, n: int, entry: Any, base_dir: Path | None) -> Step | None:
        if not isinstance(entry, Mapping):
            self.bad(f"expected a table, found {what_found(entry)}", n)
            return None
        for key in entry:
            if key not in STEP_KEYS:
                self.bad(f"unknown key; known: {', '.join(STEP_KEYS)}", n, key)
        text = self.texts(entry.get("text"), MAX_TEXT, n, "text")
        view = self.view(entry.get("view"), n)
        layers = self.layer_ids(entry.get("layers", []), n)
        compare = entry.get("compare", "side")
        if compare not in COMPARE:
            self.bad(f"expected one of {', '.join(COMPARE)}, found {what_found(compare)}",
                     n, "compare")  # fmt: skip
        scenario = self.scenario(entry.get("scenario", BASELINE), n, base_dir)
        return Step(text, view, layers, scenario, str(compare))

    def view(self, value: Any, n: int) -> View | None:
        if value is None:
            return None
        if not isinstance(value, Mapping):
            self.bad(f"expected a table with lat, lon and zoom, found {what_found(value)}",
                     n, "view")  # fmt: skip
            return None
        numbers: dict[str, float] = {}
        for key, lo, hi in (("lat", -90.0, 90.0), ("lon", -180.0, 180.0), ("zoom", *ZOOM)):
            x: Any = value.get(key)
            number = isinstance(x, (int, float)) and not isinstance(x, bool)
            if number and math.isfinite(x) and lo <= x <= hi:
                numbers[key] = float(x)
            else:
                self.bad(f"{key}: expected a number from {lo:g} to {hi:g}, found {what_found(x)}",
                         n, "view")  # fmt: skip
        if len(numbers) < 3:
            return None
        return View(numbers["lat"], numbers["lon"], numbers["zoom"])

    def layer_ids(self, value: Any, n: int) -> tuple[str, ...]:
        if not isinstance(value, list) or len(value) > MAX_LAYERS:
            self.bad(f"expected a list of at most {MAX_LAYERS} layer ids, "
                     f"found {what_found(value)}", n, "layers")  # fmt: skip
            return ()
        out = []
        for item in value:
            if not isinstance(item, str) or (self.layers is not None and item not in self.layers):
                known = "" if self.layers is None else f"; known: {', '.join(sorted(self.layers))}"
                self.bad(f"unknown layer {what_found(item)}{known}", n, "layers")
            else:
                out.append(item)
        return tuple(dict.fromkeys(out))

    def scenario(self, value: Any, n: int, base_dir: Path | None) -> Scenario | None:
        try:
            if value == BASELINE:
                return None
            if isinstance(value, str):
                if base_dir is None:
                    self.bad("a spec file needs the story's folder; inline the scenario", n,
                             "scenario")  # fmt: skip
                    return None
                return load_spec(base_dir / value)
            if isinstance(value, Mapping):
                return from_json(dict(value))
            self.bad(f'expected "baseline", a spec file or a table, found {what_found(value)}',
                     n, "scenario")  # fmt: skip
        except SpecError as err:
            for problem in err.problems:
                self.bad(f"the scenario: {problem}", n, "scenario")
        return None
