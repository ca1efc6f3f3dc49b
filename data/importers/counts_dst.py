"""Naive local times on daylight-saving days (part of the counts importer).

A counts file in naive local time (no UTC offset) is read in a time zone ``tz``. Twice a year
that is not one-to-one, and a policy decides what happens (the same rules in either
hemisphere: a zone in the south repeats its hour in its autumn, for instance in April, and
skips one in its spring, in October):

**The repeated autumn hour** (``ambiguous``): when the clocks go back, one wall-clock hour
(say 02:00) happens twice, first in summer time, then in winter time: two UTC hours. A file
may carry that label

* **twice** for a site (one row per real hour): unless a summer-time flag column decides
  (``dst``/``is_dst``/… in the ``long`` format, which always wins), the rows are read in
  file order: the earlier line is summer time, the later winter time, as pandas' ``"infer"``
  would for a sorted file. ``first``, ``last`` and ``raise`` read them so; ``sum`` adds the
  two counts into one row at the summer-time hour (a gap in either row makes the sum a gap:
  a sum of one hour is not the sum of two) and leaves the winter-time hour a gap; ``drop``
  drops both rows. More than two rows for the label of one site is not a daylight-saving
  repeat: an error naming the lines, under every policy.
* **once** (a counter that labels the hours 0–23 every day): ``first`` (the default) reads
  the row as the summer-time hour, the first time the label occurs, and leaves the
  winter-time hour a gap; ``last`` reads it as the winter-time hour and leaves the
  summer-time hour a gap; ``sum`` takes it as the count of the whole wall-clock label (both
  real hours, as a counter that adds them into one bin reports it) and stores it at the
  summer-time hour, the winter-time hour a gap (the same placement as ``first``; the summary
  says the count covers both hours); ``drop`` drops the row, both hours gaps; ``raise`` is
  the old strictness: an error naming the lines.
* **not at all**: nothing to decide, under every policy: both real hours are gaps, like
  any hour a file does not carry.

``first`` is the default because it reads every file that was read before exactly as before
(a doubled hour in file order) and, for a label given once, never invents or merges counts:
the row stays the count of one hour at the first time its label occurs, and only the other
real hour is a gap.

**The skipped spring hour** (``nonexistent``): when the clocks go forward, one wall-clock hour
(say 02:00–03:00) does not exist; a file that labels 0–23 every day has a row for it anyway.

* ``shift`` (the default) moves the row forward by the length of the jump (02:00 → 03:00):
  it is read with the UTC offset in force before the jump. When the file has its own row for
  that hour, the two counts are added (a gap in one of them counts as nothing; both gaps stay
  a gap), so the day's total is kept and no duplicate hour arises. Shifting is the default
  because it keeps every count the file holds and never stops an import.
* ``drop`` drops the row;
* ``raise`` is the old strictness: an error naming the lines.

Every row a policy touched is named in the file's report (site, local time, line), one line
per kind: ``DST: 1 repeated autumn hour(s) given once, read as summer time (ambiguous=first;
…): a 2024-10-27 02:00 (line 5)``. Duplicates that are not a daylight-saving repeat stay
errors (or exact duplicates dropped) in :func:`data.footfall.normalise_counts`.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from data.footfall import CountsError

AMBIGUOUS = ("first", "last", "sum", "drop", "raise")
NONEXISTENT = ("shift", "drop", "raise")
DEFAULT_AMBIGUOUS = "first"
DEFAULT_NONEXISTENT = "shift"
#: How many rows a report line names before "and N more".
SHOWN = 10

_ONCE = {
    "first": "given once, read as summer time (ambiguous=first; the winter-time hour is a gap)",
    "last": "given once, read as winter time (ambiguous=last; the summer-time hour is a gap)",
    "sum": "given once, read as the count of both real hours and stored at the summer-time "
    "hour (ambiguous=sum; the winter-time hour is a gap)",
    "drop": "given once, dropped (ambiguous=drop; both real hours are gaps)",
}
_IN_ORDER = "given twice, read in file order: the earlier line summer time, the later winter time"
_TWICE = {
    "first": f"{_IN_ORDER} (ambiguous=first)",
    "last": f"{_IN_ORDER} (ambiguous=last)",
    "raise": f"{_IN_ORDER} (ambiguous=raise)",
    "sum": "given twice, added into one row at the summer-time hour (ambiguous=sum; the "
    "winter-time hour is a gap)",
    "drop": "given twice, both rows dropped (ambiguous=drop)",
}
_SHIFTED = "moved to the hour after the jump (nonexistent=shift)"
_ADDED = "moved to the hour after the jump and added to that hour's own row (nonexistent=shift)"
_DROPPED = "dropped (nonexistent=drop)"


def line_list(lines: pd.Series, limit: int = 5) -> str:
    """``"3, 4, 7 and 2 more"``."""
    nums = [str(int(n)) for n in lines.head(limit)]
    more = f" and {len(lines) - limit} more" if len(lines) > limit else ""
    return ", ".join(nums) + more


@dataclass(frozen=True)
class DstRules:
    """The policies for the repeated autumn hour and the skipped spring hour (see above)."""

    ambiguous: str = DEFAULT_AMBIGUOUS
    nonexistent: str = DEFAULT_NONEXISTENT

    def __post_init__(self) -> None:
        for what, value, valid in (
            ("ambiguous", self.ambiguous, AMBIGUOUS),
            ("nonexistent", self.nonexistent, NONEXISTENT),
        ):
            if value not in valid:
                raise CountsError(
                    f"unknown {what} policy {value!r}",
                    where=f"option {what} (--{what})",
                    expected=f"one of {', '.join(valid)}",
                    found=repr(value),
                )


#: The old strictness: every time that is not one-to-one is an error (a doubled autumn hour
#: in file order excepted). Readers that are given no rules use it.
STRICT = DstRules("raise", "raise")


@dataclass
class DstLog:
    """What the rules did to one file's rows: rows to drop, rows to add into others, notes.

    ``merge`` holds ``(target, source, strict)``: the source row's count is added to the
    target row's and the source row dropped; ``strict`` makes a gap in either a gap. A
    negative count is a gap here as in :func:`data.footfall.normalise_counts`.
    """

    rules: DstRules = field(default_factory=DstRules)
    drop: list[Hashable] = field(default_factory=list)
    merge: list[tuple[Hashable, Hashable, bool]] = field(default_factory=list)
    notes: dict[str, list[str]] = field(default_factory=dict)

    def note(self, head: str, item: str) -> None:
        self.notes.setdefault(head, []).append(item)

    def lines(self) -> list[str]:
        """One report line per kind of change: how many, and which (site, local time, line)."""
        out = []
        for head, items in self.notes.items():
            shown = "; ".join(items[:SHOWN])
            more = f" and {len(items) - SHOWN} more" if len(items) > SHOWN else ""
            spring = "nonexistent" in head
            what = "row(s) in the skipped spring hour" if spring else "repeated autumn hour(s)"
            out.append(f"DST: {len(items)} {what} {head}: {shown}{more}")
        return out

    def apply(self, raw: pd.DataFrame, lines: pd.Series) -> tuple[pd.DataFrame, pd.Series]:
        """``raw`` and its ``lines`` with the merges and drops done."""
        if not self.drop and not self.merge:
            return raw, lines
        raw = raw.copy()
        counts = raw["count"].astype(float)
        counts = counts.where(~(counts < 0))  # a negative count is missing, also in a sum
        for target, source, strict in self.merge:
            a, b = float(counts.at[target]), float(counts.at[source])
            if strict or (np.isnan(a) and np.isnan(b)):
                counts.at[target] = a + b
            else:
                counts.at[target] = float(np.nansum([a, b]))
        raw["count"] = counts
        keep = ~raw.index.isin([*self.drop, *(s for _, s, _ in self.merge)])
        return raw[keep], lines[keep]


def _item(site: Any, naive: pd.Timestamp, line: Any, label: str, after: str = "") -> str:
    who = f"{site} " if isinstance(site, str) and site else ""
    return f"{who}{naive:%Y-%m-%d %H:%M}{after} ({label} {int(line)})"


@dataclass
class _Rows:
    """One file's naive times with what is needed to place them."""

    naive: pd.Series
    site: pd.Series
    lines: pd.Series
    source: str
    tz: str
    label: str
    utc: pd.Series  # the summer-time reading (NaT in the spring gap)
    late: pd.Series  # the winter-time reading


def localise(
    naive: pd.Series,
    tz: str,
    source: str,
    lines: pd.Series,
    *,
    groups: pd.Series | None = None,
    dst_flag: pd.Series | None = None,
    log: DstLog | None = None,
    label: str = "line",
) -> pd.Series:
    """Naive local times in ``tz`` → UTC under ``log.rules`` (default :data:`STRICT`).

    ``groups`` are the sites (a doubled hour is one per site), ``dst_flag`` a summer-time
    flag per row that decides the repeated hour. Rows to drop or add into others are recorded
    in ``log`` (their times are still filled); :meth:`DstLog.apply` carries them out.
    """
    log = log if log is not None else DstLog(STRICT)
    index = pd.DatetimeIndex(naive)
    summer = index.tz_localize(tz, ambiguous=np.ones(len(index), dtype=bool), nonexistent="NaT")
    winter = index.tz_localize(tz, ambiguous=np.zeros(len(index), dtype=bool), nonexistent="NaT")
    gap = np.asarray(summer.isna())
    repeated = np.asarray(~gap & (summer != winter))
    rows = _Rows(
        naive=naive,
        site=groups if groups is not None else pd.Series("", index=naive.index, dtype="string"),
        lines=lines,
        source=source,
        tz=tz,
        label=label,
        utc=pd.Series(summer.tz_convert("UTC"), index=naive.index),
        late=pd.Series(winter.tz_convert("UTC"), index=naive.index),
    )
    if repeated.any() and dst_flag is not None:
        flag = dst_flag.to_numpy(dtype=bool)
        use_late = repeated & ~flag
        rows.utc[use_late] = rows.late[use_late]
    elif repeated.any():
        _repeated(rows, repeated, log)
    if gap.any():
        _skipped(rows, gap, log)
    return rows.utc


def _repeated(rows: _Rows, repeated: np.ndarray, log: DstLog) -> None:
    """Place the rows of the repeated autumn hour under ``log.rules.ambiguous``."""
    table = pd.DataFrame(
        {"site": rows.site[repeated], "naive": rows.naive[repeated], "line": rows.lines[repeated]}
    ).sort_values("line", kind="stable")
    once: list[Hashable] = []
    twice: list[tuple[Hashable, Hashable]] = []
    for (site, naive), group in table.groupby(["site", "naive"], sort=False, dropna=False):
        if len(group) > 2:
            raise CountsError(
                f"{len(group)} rows for the repeated autumn hour {naive:%Y-%m-%d %H:%M}"
                + (f" of site {site}" if isinstance(site, str) and site else "")
                + ": it happens only twice (summer time, then winter time)",
                file=rows.source,
                where=f"{rows.label}s {line_list(group['line'])}",
                expected="at most two rows for that hour: summer time first, then winter time",
                found=f"{len(group)} rows",
            )
        if len(group) == 1:
            once.append(group.index[0])
        else:
            twice.append((group.index[0], group.index[1]))
    rule = log.rules.ambiguous
    if once and rule == "raise":
        raise CountsError(
            "cannot tell summer from winter time for the repeated autumn hour (given once)",
            file=rows.source,
            where=f"{rows.label}(s) {line_list(rows.lines.loc[once])}",
            expected="the hour twice (summer time first), a column 'dst' (true = summer time), "
            f"or an ambiguous policy among {', '.join(a for a in AMBIGUOUS if a != 'raise')}",
            found=f"{rows.naive.loc[once[0]]:%Y-%m-%d %H:%M} once",
        )
    for i in once:
        if rule == "last":
            rows.utc.loc[i] = rows.late.loc[i]
        elif rule == "drop":
            log.drop.append(i)
        log.note(_ONCE[rule], _item(*_at(rows, i)))
    for i, j in twice:
        rows.utc.loc[j] = rows.late.loc[j]
        if rule == "sum":
            log.merge.append((i, j, True))
        elif rule == "drop":
            log.drop.extend([i, j])
        item = _item(*_at(rows, i))
        log.note(_TWICE[rule], f"{item[:-1]} and {int(rows.lines.loc[j])})")


def _skipped(rows: _Rows, gap: np.ndarray, log: DstLog) -> None:
    """Place the rows in the skipped spring hour under ``log.rules.nonexistent``."""
    rule = log.rules.nonexistent
    lines = rows.lines[gap]
    if rule == "raise":
        first = rows.naive[gap].iloc[0]
        raise CountsError(
            f"time {first:%Y-%m-%d %H:%M} does not exist in {rows.tz} (the clocks jump forward "
            "then); fix or remove the row",
            file=rows.source,
            where=f"{rows.label}(s) {line_list(lines)}",
            expected=f"a local time that exists in {rows.tz}, or a nonexistent policy among "
            f"{', '.join(n for n in NONEXISTENT if n != 'raise')}",
        )
    skipped = pd.DatetimeIndex(rows.naive[gap])
    before = skipped.tz_localize(rows.tz, nonexistent="shift_backward")
    offset = before.tz_localize(None) - before.tz_convert("UTC").tz_localize(None)
    rows.utc[gap] = pd.Series((skipped - offset).tz_localize("UTC"), index=lines.index)
    taken = {
        (rows.site.loc[k], rows.utc.loc[k]): k
        for k in reversed(rows.naive.index[~gap].tolist())
        if k not in log.drop
    }
    for i in lines.index:
        if rule == "drop":
            log.drop.append(i)
            log.note(_DROPPED, _item(*_at(rows, i)))
            continue
        after = f" → {rows.utc.loc[i].tz_convert(rows.tz):%H:%M}"
        key = (rows.site.loc[i], rows.utc.loc[i])
        if key in taken:
            log.merge.append((taken[key], i, False))
        log.note(_ADDED if key in taken else _SHIFTED, _item(*_at(rows, i), after))


def _at(rows: _Rows, i: Hashable) -> tuple[Any, pd.Timestamp, Any, str]:
    """``(site, naive time, line, label)`` of row ``i``, for :func:`_item`."""
    return rows.site.loc[i], rows.naive.loc[i], rows.lines.loc[i], rows.label
