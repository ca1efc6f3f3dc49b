"""Converting the joined district rows into typed values: names, counts, other numbers.

:func:`district_attributes` evaluates every target expression of the spec on the joined
rows: counts of people must be whole and present, parts may not exceed their whole
(``pop_65plus`` ≤ ``population``), and every refusal names the file, column and district.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from data.german_csv import parse_german_number
from data.importers.common import duplicates, is_missing, show_items
from data.importers.districts_join import Joined
from data.importers.districts_read import Term
from data.importers.districts_spec import COUNT_TARGETS, DistrictImport, DistrictsError
from data.limits import (
    DISTRICT_PERSONS_CEILING,
    MAGNITUDE_CEILING,
    NOT_FINITE,
    problem,
    shown,
)
from data.schemas import SCHEMAS


def _district_names(joined: Joined, name: Term, stats_key: str) -> tuple[pd.Series, pd.Series]:
    """The stripped district names and a label per district for messages.

    Raises if a name is empty or repeated.
    """
    column, file = joined.column(name)
    names = column.astype("string").str.strip()
    keys = joined.geo["_key"]
    labels = pd.Series(
        [f"{stats_key}={k} ({n})" for k, n in zip(keys, names, strict=True)], index=keys.index
    )
    empty = names.isna() | (names == "")
    if empty.any():
        raise DistrictsError(
            f"name column {name[1]!r} is empty for {show_items(labels[empty])}",
            file=file,
            where=f"column {name[1]!r}",
            expected="a name per district",
        )
    dup = duplicates(names)
    if dup:
        raise DistrictsError(
            f"name column {name[1]!r} is not unique: {show_items(dup)}",
            file=file,
            where=f"column {name[1]!r}",
            expected="a different name per district",
        )
    return names, labels


def _number(text: str) -> float | None:
    """``text`` as a number (plain or German notation), ``None`` if it is none."""
    try:
        return float(text)
    except ValueError:
        try:
            return parse_german_number(text)
        except ValueError:
            return None


def _numeric(
    values: pd.Series, term: Term, joined: Joined, labels: pd.Series, target: str
) -> pd.Series:
    """A column as ``Float64``; raise naming the file, column and row for a non-number."""
    if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
        return values.astype("Float64")
    out: list[float] = []
    for idx, cell in values.items():
        if is_missing(cell):
            out.append(math.nan)
            continue
        text = str(cell).strip()
        number = _number(text)
        if number is None:
            raise DistrictsError(
                f"column {term[1]!r} (for {target!r}) is not numeric: {text!r} in the row "
                f"for {labels[idx]}",
                file=joined.column(term)[1],
                where=f"column {term[1]!r}",
                expected="a number",
                found=repr(text),
            )
        out.append(number)
    return pd.Series(out, index=values.index, dtype="Float64")


def _refuse_bad(
    values: pd.Series,
    cells: pd.Series,
    where: tuple[str, str | Path],
    labels: pd.Series,
    target: str,
) -> None:
    """Raise for a value that is not finite or above its ceiling (counts of people:
    :data:`data.limits.DISTRICT_PERSONS_CEILING`; others, in size:
    :data:`data.limits.MAGNITUDE_CEILING`), naming the file, column, district and value."""
    column, file = where
    numbers = values.astype("float64").to_numpy(na_value=np.nan)
    counts = target in COUNT_TARGETS
    ceiling = DISTRICT_PERSONS_CEILING if counts else MAGNITUDE_CEILING
    unit = "persons per district" if counts else ""
    with np.errstate(invalid="ignore"):
        bad = np.isinf(numbers) | (np.abs(numbers) > ceiling)
    if not bad.any():
        return
    i = int(np.flatnonzero(bad)[0])
    reason = problem(abs(float(numbers[i])), ceiling, unit) or NOT_FINITE
    raise DistrictsError(
        f"the value for {target!r} is {reason}",
        file=file,
        where=f"column {column!r}, row for {labels.iloc[i]}",
        expected=(
            f"a count from 0 to {ceiling:,.0f} {unit}"
            if counts
            else f"a finite number no larger than {ceiling:,.0f} in size"
        ),
        found=shown(cells.iloc[i]),
    )


def _target_values(
    target: str, terms: list[Term], joined: Joined, labels: pd.Series, warnings: list[str]
) -> pd.Series:
    """Evaluate a target's expression: the sum of its terms, as ``Int64`` if all whole.

    Counts of people (:data:`COUNT_TARGETS`) must be present and whole; other targets with
    fractions stay ``Float64`` and missing values are only reported.
    """
    total: pd.Series | None = None
    for term in terms:
        column, file = joined.column(term)
        values = _numeric(column, term, joined, labels, target)
        _refuse_bad(values, column, (term[1], file), labels, target)
        missing = values.isna()
        if missing.any() and (target in COUNT_TARGETS):
            raise DistrictsError(
                f"column {term[1]!r} (for {target!r}) has no value for "
                f"{show_items(labels[missing])}",
                file=file,
                where=f"column {term[1]!r}",
                expected="a count for every district",
                found="an empty cell",
            )
        total = values if total is None else total + values
    assert total is not None
    if total.isna().any():
        warnings.append(f"{target!r} is missing for {show_items(labels[total.isna()])}")
    whole = total.dropna()
    if (whole == np.round(whole)).all():
        return total.round().astype("Int64")
    if target in COUNT_TARGETS:
        frac = labels[total.notna() & (total != np.round(total))]
        raise DistrictsError(
            f"{target!r} must be whole numbers (persons); fractions for {show_items(frac)}",
            file=joined.column(terms[0])[1],
            where=f"--column {target}",
            expected="whole numbers",
        )
    return total


def _check_not_greater(attrs: pd.DataFrame, labels: pd.Series, joined: Joined) -> None:
    """Raise where a part exceeds its whole (e.g. ``pop_65plus`` > ``population``)."""
    for a, b in SCHEMAS["districts"].not_greater:
        if a in attrs.columns and b in attrs.columns:
            over = (attrs[a] > attrs[b]).fillna(False).astype(bool)
            if over.any():
                raise DistrictsError(
                    f"{a!r} exceeds {b!r} for {show_items(labels[over])}; check the column "
                    "expressions",
                    file=joined.stats_file,
                    where=f"--column {a}",
                    expected=f"{a} <= {b}",
                )


def district_attributes(
    joined: Joined,
    spec: DistrictImport,
    name: Term,
    targets: dict[str, list[Term]],
    warnings: list[str],
) -> pd.DataFrame:
    """The typed attribute columns: ``district_id``, ``name`` and every target, checked."""
    names, labels = _district_names(joined, name, spec.stats_key)
    geo = joined.geo
    attrs = pd.DataFrame(
        {"district_id": geo[spec.boundary_key].map(_display_key).astype("string")},
        index=geo.index,
    )
    attrs["name"] = names
    for target, terms in targets.items():
        attrs[target] = _target_values(target, terms, joined, labels, warnings)
    _check_not_greater(attrs, labels, joined)
    return attrs


def _display_key(value: Any) -> str:
    """The district id as written in the boundary file (``11.0`` shown as ``"11"``)."""
    if isinstance(value, float | np.floating) and float(value).is_integer():
        return str(int(value))
    return str(value).strip()
