"""What a click on a map feature opens in the side panel, as plain data.

A layer with a click panel declares :attr:`layers.base.Layer.panel`: a pure function
``(pack, key, params, lang) -> Panel | None`` where ``key`` is the clicked feature's
:attr:`layers.base.Layer.panel_key` property (a district id, a grid cell id, …), ``params``
the layer's cleaned parameters and ``lang`` the page's language. It returns a :class:`Panel`
— headings, lines, tables and bars with their texts already in ``lang`` — or ``None`` for a
key it does not know. The dashboard renders every panel the same way
(:mod:`dashboard.callbacks.district_panel`), so a new layer with a panel needs no edit there.

No Dash here: the parts say what is shown, not how it is drawn.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Heading:
    """A heading (``level`` 3 for the panel's title, 4 for a section); ``id`` for tests and
    links."""

    text: str
    level: int = 3
    id: str | None = None


@dataclass(frozen=True)
class Line:
    """A line of text; ``strong`` for a name, ``note`` for a small explanatory note."""

    text: str
    id: str | None = None
    strong: bool = False
    note: bool = False


@dataclass(frozen=True)
class Facts:
    """A table of facts: each row is a header cell (what) followed by its value cells.

    ``head``: column headings (none for a plain two-column list of facts); ``total``: a last
    row ``(label, value)`` whose label spans all but the last column and whose value is
    emphasised (a sum); ``breakdown``: a table of parts that add up to the total.
    """

    rows: tuple[tuple[str, ...], ...]
    head: tuple[str, ...] = ()
    total: tuple[str, str] | None = None
    id: str | None = None
    breakdown: bool = False


@dataclass(frozen=True)
class Bar:
    """One bar of a :class:`Bars` chart: its label, its value as text, its length (0–1 of the
    longest bar) and its side (``positive``: rightwards)."""

    label: str
    value: str
    length: float
    positive: bool = True


@dataclass(frozen=True)
class Bars:
    """A small bar chart of numbers that a table beside it also gives (so it is hidden from
    screen readers: the table says the same)."""

    bars: tuple[Bar, ...]


Part = Heading | Line | Facts | Bars


@dataclass(frozen=True)
class Panel:
    """The content of a click panel, top to bottom."""

    parts: tuple[Part, ...]
