"""Reading several count files as ONE data set (part of the counts importer).

:func:`read_counts` reads each file with its format's reader, repairs site names damaged by
U+FFFD from the undamaged ones, and combines the files: a site and hour present in two files
with different counts is an error naming both files; the same count twice is dropped and
reported.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from data.footfall import SITE_COLUMNS, TZ, CountsError, CountsReport
from data.importers.common import slug
from data.importers.counts_dst import (
    DEFAULT_AMBIGUOUS,
    DEFAULT_NONEXISTENT,
    DstRules,
)
from data.importers.counts_formats import read_hystreet_csv, read_hystreet_json, read_long
from data.importers.counts_parse import Part
from data.importers.counts_sensorthings import read_sensorthings

FORMATS = ("hystreet", "hystreet-json", "sensorthings", "long")


def _repair_names(part: Part, clean: set[str]) -> dict[str, tuple[str, str]]:
    """``{old site id: (new id, name)}`` for the part's damaged names with one clean match."""
    renames: dict[str, tuple[str, str]] = {}
    for s in part.sites:
        if not isinstance(s["name"], str) or "\ufffd" not in s["name"]:
            continue
        pattern = re.compile("".join("." if ch == "\ufffd" else re.escape(ch) for ch in s["name"]))
        match = sorted(n for n in clean if pattern.fullmatch(n))
        if len(match) == 1:
            renames[s["site_id"]] = (slug(match[0]), match[0])
        else:
            part.report.warnings.append(
                f"site name {s['name']!r} has damaged characters (U+FFFD); "
                f"site id {s['site_id']!r} derived without them"
            )
    return renames


def _repair_site_names(parts: list[Part]) -> None:
    """Fix site names damaged by U+FFFD (``Steinstra\\ufffde``) using undamaged names."""
    clean = {
        s["name"]
        for p in parts
        for s in p.sites
        if isinstance(s["name"], str) and "\ufffd" not in s["name"]
    }
    for part in parts:
        renames = _repair_names(part, clean)
        if not renames:
            continue
        for s in part.sites:
            if s["site_id"] in renames:
                s["site_id"], s["name"] = renames[s["site_id"]]
        new_ids = {old: new for old, (new, _) in renames.items()}
        ids = part.frame["site_id"].astype(object)
        part.frame["site_id"] = ids.replace(new_ids).astype("string")
        part.report.sites = sorted(set(part.frame["site_id"].tolist()))


def _empty_counts() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "site_id": pd.Series([], dtype="string"),
            "time": pd.Series([], dtype="datetime64[ns, UTC]"),
            "count": pd.Series([], dtype=float),
        }
    )


def _combine(parts: list[Part]) -> pd.DataFrame:
    """One frame from the parts; the same site and hour in two files must agree."""
    frames = [p.frame.assign(src_file=i) for i, p in enumerate(parts) if len(p.frame)]
    if not frames:
        return _empty_counts()
    both = pd.concat(frames, ignore_index=True)
    both = both.sort_values(["site_id", "time", "src_file"], kind="stable")
    key = ["site_id", "time"]
    dup = both.duplicated(subset=key, keep=False)
    if dup.any():
        rows = both[dup]
        differs = rows.groupby(key, sort=False)["count"].transform(
            lambda s: s.nunique(dropna=False) > 1
        )
        if differs.any():
            bad = rows[differs]
            r = bad.iloc[0]
            files = sorted({parts[int(f)].source for f in bad["src_file"]})
            shown = "; ".join(
                f"{parts[int(x.src_file)].source}: {x.count:g}" for x in bad.head(2).itertuples()
            )
            raise CountsError(
                f"{int(differs.sum())} rows for the same site and hour with different counts "
                "in different files",
                file=" and ".join(files),
                where=f"first: {r.site_id} {r.time:%Y-%m-%d %H:%M}Z",
                expected="the same count in every file",
                found=shown,
            )
        again = both.duplicated(subset=key, keep="first")
        for f, n in both[again]["src_file"].value_counts().items():
            report = parts[int(f)].report
            report.exact_duplicates_dropped += int(n)
            report.rows_kept -= int(n)
            report.warnings.append(f"{int(n)} hour(s) already read from another file, dropped")
        both = both[~again]
    return both.drop(columns="src_file").reset_index(drop=True)


def _sites_frame(parts: list[Part], extra: list[dict[str, Any]]) -> pd.DataFrame | None:
    rows = [s for p in parts for s in p.sites] + extra
    if not rows:
        return None
    frame = pd.DataFrame(rows, columns=list(SITE_COLUMNS))
    frame["has_xy"] = frame["lon"].notna() & frame["lat"].notna()
    frame = frame.sort_values(["site_id", "has_xy"], ascending=[True, False], kind="stable")
    frame = frame.drop_duplicates("site_id", keep="first").drop(columns="has_xy")
    frame["site_id"] = frame["site_id"].astype("string")
    frame["name"] = frame["name"].astype("string")
    frame["lon"] = frame["lon"].astype(float)
    frame["lat"] = frame["lat"].astype(float)
    return frame.reset_index(drop=True)


def _read_parts(
    files: list[Path], fmt: str, options: dict[str, Any]
) -> tuple[list[Part], list[dict[str, Any]]]:
    """Each file read with its format's reader: ``(parts, sites from location responses)``."""
    site = options["site"]
    rules: DstRules = options["rules"]
    parts: list[Part] = []
    extra_sites: list[dict[str, Any]] = []
    for path in files:
        if fmt == "hystreet":
            parts.append(read_hystreet_csv(path, site, options["tz"], rules))
        elif fmt == "hystreet-json":
            json_part, loc_sites = read_hystreet_json(path, site, rules)
            if json_part is None:
                extra_sites.extend(loc_sites)
            else:
                parts.append(json_part)
        elif fmt == "sensorthings":
            st_part, warnings = read_sensorthings(path, site, rules)
            st_part.report.warnings.extend(warnings)
            parts.append(st_part)
        else:
            cols = (options["site_col"], options["time_col"], options["count_col"])
            parts.append(read_long(path, *cols, options["tz"], site, rules))
    return parts, extra_sites


def read_counts(
    paths: Sequence[Path | str],
    fmt: str,
    *,
    site_col: str = "site",
    time_col: str = "time",
    count_col: str = "count",
    tz: str = TZ,
    site: str | None = None,
    ambiguous: str = DEFAULT_AMBIGUOUS,
    nonexistent: str = DEFAULT_NONEXISTENT,
) -> tuple[pd.DataFrame, list[CountsReport], pd.DataFrame | None]:
    """Read count files of one format as ONE data set in the house format.

    Parameters
    ----------
    paths : sequence of Path
        The files (e.g. monthly exports); order does not matter.
    fmt : {"hystreet", "hystreet-json", "sensorthings", "long"}
        The file format (see :mod:`data.importers.counts`).
    site_col, time_col, count_col : str
        Column names of the ``long`` format.
    tz : str
        Time zone of naive times (``long``; default ``Europe/Berlin``).
    site : str, optional
        Site id for every row (single-site files without a site column, plain SensorThings
        Observations lists); overrides the site derived from the file.
    ambiguous : {"first", "last", "sum", "drop", "raise"}
        How naive times read the repeated autumn hour of daylight saving time when it is
        given once or twice for a site without a summer-time flag column (default
        ``"first"``; see :mod:`data.importers.counts_dst` for what each does).
    nonexistent : {"shift", "drop", "raise"}
        How naive times read a row in the skipped spring hour (default ``"shift"``: moved
        forward by the jump, added to that hour's own row if the file has one).

    Returns
    -------
    (counts, reports, sites)
        ``counts``: ``site_id``, ``time`` (UTC hour start), ``count`` and, where the format
        has them, ``temperature`` (°C) and ``weather``; sorted by site and time.
        ``reports``: one :class:`~data.footfall.CountsReport` per file read; its warnings
        name every row a daylight-saving policy touched (``DST: …``).
        ``sites``: ``site_id``, ``name``, ``lon``, ``lat`` (NaN when unknown), or ``None``
        when the format names no sites.

    Raises
    ------
    CountsError
        For unknown policies, unreadable files, unknown columns, bad times (naming the line),
        a time the ``raise`` policies refuse (naming the line), conflicting
        duplicates within a file (naming the lines) or across files (naming both files).
    """
    files = _checked_files(paths, fmt)
    rules = DstRules(ambiguous, nonexistent)
    names = ", ".join(p.name for p in files)
    options = {"site_col": site_col, "time_col": time_col, "count_col": count_col}
    parts, extra_sites = _read_parts(
        files, fmt, {**options, "tz": tz, "site": site, "rules": rules}
    )
    if not parts:
        raise CountsError(
            "no measurements among the files (only location responses)",
            file=names,
            expected="at least one measurements response",
            found="only locations",
        )
    if fmt == "sensorthings":
        _drop_followed_links(parts, files)
    _repair_site_names(parts)
    counts = _combine(parts)
    if counts.empty:
        raise CountsError("no count rows", file=names, expected="at least one row", found="none")
    sites = _sites_frame(parts, extra_sites)
    if sites is not None:
        sites = sites[sites["site_id"].isin(set(counts["site_id"]))].reset_index(drop=True)
    return counts, [p.report for p in parts], sites


def _checked_files(paths: Sequence[Path | str], fmt: str) -> list[Path]:
    """The files as paths; an unknown format or no file at all is an error."""
    if fmt not in FORMATS:
        raise CountsError(
            f"unknown format {fmt!r}", expected=f"one of {', '.join(FORMATS)}", found=repr(fmt)
        )
    files = [Path(p) for p in paths]
    if not files:
        raise CountsError("no counts file given", expected="at least one file", found="none")
    return files


def _drop_followed_links(parts: list[Part], files: list[Path]) -> None:
    """Drop the 'more pages' warning when several pages were given together."""
    if len(files) < 2:
        return
    for i, part in enumerate(parts):
        if i < len(parts) - 1:
            part.report.warnings = [w for w in part.report.warnings if "@iot.nextLink" not in w]
