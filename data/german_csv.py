"""How to read the CSV files German public bodies publish into a typed pandas table.

Statistical offices and city open-data portals write CSV in several dialects: ``;`` or ``,``
or tab separators; UTF-8 (with or without BOM) or Windows-1252/Latin-1; numbers with a
decimal comma and thousands dots (``1.234,5``) or plain ``1234.5``; and placeholders such as
``-``, ``.``, ``x`` or ``…`` for "nothing", "secret" or "not applicable".
:func:`read_german_csv` answers "what is in this file, as numbers where it is numbers" and
refuses malformed files (empty, binary, ragged rows) with a message naming the file and line;
a last line with fewer fields than the header is reported as a file that looks cut off.

Numbers are converted per column, and only when *every* non-missing cell of the column is a
number. Columns with leading zeros (``"011"``) and the columns named in ``str_columns`` stay
text, so keys such as AGS codes keep their form.
"""

from __future__ import annotations

import csv
import difflib
import io
import math
import re
import warnings
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import pandas as pd

SEPARATORS = (";", ",", "\t")
# Cells meaning "no value" in German official statistics (Zeichenerklärung): - nothing,
# . unknown or secret, x not applicable / cannot be stated, … not yet available, / too uncertain.
PLACEHOLDERS = frozenset({"", "-", "–", "—", ".", "x", "X", "…", "...", "/"})

# German: optional sign, integer part with optional thousands dots, optional decimal comma.
_GERMAN_RE = re.compile(r"[+-]?(?:0|[1-9]\d{0,2}(?:\.\d{3})+|[1-9]\d*)(?:,\d+)?")
# Plain (international): optional sign, digits, optional decimal point; no grouping.
_PLAIN_RE = re.compile(r"[+-]?\d+(?:\.\d+)?")
_LEADING_ZERO_RE = re.compile(r"[+-]?0\d")
_MINUS_SIGNS = str.maketrans({"−": "-", "–": "-"})
_SNIFF_LINES = 50
_LIST_COLUMNS = 30  # columns named in an unknown-column message


def parse_german_number(text: str) -> float:
    """Parse a number written the German way.

    Parameters
    ----------
    text : str
        For example ``"1.234,5"``, ``"1234,5"``, ``"-3"``, ``"1.000.000"``. Surrounding
        whitespace is ignored; a Unicode minus (``−``) counts as ``-``.

    Returns
    -------
    float
        The value; ``nan`` for an empty cell or a placeholder (``-``, ``.``, ``x``, ``…``, ``/``).

    Raises
    ------
    ValueError
        If ``text`` is not a German number, e.g. ``"12.34"`` (thousands groups must have three
        digits), ``"1,2,3"`` or ``"abc"``.
    """
    s = str(text).strip()
    if s in PLACEHOLDERS:
        return math.nan
    s = s.translate(_MINUS_SIGNS)
    if not _GERMAN_RE.fullmatch(s):
        raise ValueError(f"{text!r} is not a number in German notation (e.g. 1.234,5)")
    return float(s.replace(".", "").replace(",", "."))


def _parse_plain_number(text: str) -> float:
    s = str(text).strip()
    return math.nan if s in PLACEHOLDERS else float(s.translate(_MINUS_SIGNS))


def unknown_column_error(
    column: str, available: Iterable[object], where: str, what: str = "column"
) -> ValueError:
    """A ``ValueError`` naming an unknown column, the available ones and close matches.

    Parameters
    ----------
    column : str
        The name asked for.
    available : iterable
        The column names present.
    where : str
        What was searched (a file name), used in the message.
    what : str
        How to call the column in the message, e.g. ``"key column"``.

    Returns
    -------
    ValueError
        To be raised by the caller.
    """
    names = [str(c) for c in available if str(c) != "geometry"]
    words = set(re.findall(r"\w+", column.lower()))
    containing = [n for n in names if words and words <= set(re.findall(r"\w+", n.lower()))]
    similar = difflib.get_close_matches(column, names, n=3, cutoff=0.6)
    close = list(dict.fromkeys([*containing, *similar]))[:3]
    hint = f" (did you mean {' or '.join(repr(c) for c in close)}?)" if close else ""
    shown = ", ".join(repr(c) for c in names[:_LIST_COLUMNS]) or "none"
    if len(names) > _LIST_COLUMNS:
        shown += f" and {len(names) - _LIST_COLUMNS} more"
    return ValueError(f"{where}: unknown {what} {column!r}{hint}; available columns: {shown}")


# --- bytes to text -------------------------------------------------------------------------


def decode_text(raw: bytes, name: str, encoding: str | None) -> tuple[str, str]:
    """Return ``(text, encoding used)``; raise for empty or binary files."""
    if not raw.strip():
        raise ValueError(f"{name}: the file is empty")
    if encoding is not None:
        try:
            return raw.decode(encoding), encoding
        except (UnicodeDecodeError, LookupError) as err:
            raise ValueError(f"{name}: cannot decode as {encoding}: {err}") from err
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as err:
            raise ValueError(f"{name}: has a UTF-16 byte order mark but is not UTF-16") from err
    head = raw[:8192]
    if head.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        raise ValueError(
            f"{name}: this is a binary file (ZIP or Excel workbook), not CSV; "
            "export it as CSV first"
        )
    if b"\x00" in head:
        raise ValueError(f"{name}: this looks like a binary file (it contains NUL bytes), not CSV")
    try:
        return raw.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return raw.decode("latin-1"), "latin-1"


# --- structure -----------------------------------------------------------------------------


def _records(text: str, sep: str, limit: int | None = None) -> list[tuple[int, list[str]]]:
    """Non-blank records as ``(line number, fields)``; the csv module handles quoting."""
    reader = csv.reader(io.StringIO(text), delimiter=sep, quotechar='"', strict=False)
    out: list[tuple[int, list[str]]] = []
    start = 1
    for row in reader:
        if any(cell.strip() for cell in row):
            out.append((start, row))
            if limit is not None and len(out) >= limit:
                break
        start = reader.line_num + 1
    return out


def sniff_separator(text: str, name: str) -> str:
    """Pick the separator giving a multi-column header and consistent rows."""
    best: tuple[int, int, str] | None = None
    for sep in SEPARATORS:
        records = _records(text, sep, _SNIFF_LINES)
        if not records or len(records[0][1]) < 2:
            continue
        width = len(records[0][1])
        consistent = sum(1 for _, row in records if len(row) == width)
        score = (consistent, width, sep)
        if best is None or score[:2] > best[:2]:
            best = score
    if best is None:
        raise ValueError(
            f"{name}: cannot detect the separator (none of ';', ',', tab splits the header); "
            "pass sep= explicitly"
        )
    return best[2]


def check_shape(text: str, sep: str, name: str) -> None:
    """Raise for ragged rows, naming the first bad line."""
    records = _records(text, sep)
    header_line, header = records[0]
    width = len(header)
    while width > 1 and not header[width - 1].strip():
        width -= 1  # a trailing separator on the header line
    for line, row in records[1:]:
        n = len(row)
        extra = row[width:]
        if n < width and line == records[-1][0]:
            raise ValueError(
                f"{name}: line {line} has {n} fields but the header (line {header_line}) has "
                f"{width}; it is the last line, so the file looks cut off (it ends with "
                f"{row[-1] if row else ''!r}); was it copied or downloaded completely?"
            )
        if n < width or any(cell.strip() for cell in extra):
            raise ValueError(
                f"{name}: line {line} has {n} fields but the header (line {header_line}) has "
                f"{width}; the rows are ragged (is the separator {sep!r} right, or is a field "
                "with the separator in it missing its quotes?)"
            )


# --- numbers -------------------------------------------------------------------------------


def _classify(values: pd.Series) -> tuple[bool, bool, bool]:
    """``(german_ok, plain_ok, has_dot)`` for the non-missing, stripped values."""
    norm = values.str.translate(_MINUS_SIGNS)
    german = bool(norm.str.fullmatch(_GERMAN_RE.pattern).all())
    plain = bool(norm.str.fullmatch(_PLAIN_RE.pattern).all())
    has_dot = bool(norm.str.contains(".", regex=False).any())
    return german, plain, has_dot


#: Whole numbers beyond this are kept as floats: ``Int64`` holds them exactly only up to
#: 2**53 and wraps around past 2**63 (a count of 10**26 would turn negative).
_EXACT_INT = 2**53


def _to_numbers(values: pd.Series, parse: Callable[[str], float], integer: bool) -> pd.Series:
    numbers = values.map(parse, na_action="ignore").astype("Float64")
    present = numbers.dropna().abs()
    if integer and bool((present <= _EXACT_INT).all()):
        return numbers.astype("Int64")
    return numbers


def _convert_numbers(
    frame: pd.DataFrame, keep: set[str], decimal: str | None, sep: str
) -> pd.DataFrame:
    """Turn whole-number columns into ``Int64``/``Float64``; leave the rest as text."""
    plans: dict[str, str] = {}  # column -> "german" | "plain" | "either"
    for col in frame.columns:
        if col in keep:
            continue
        present = frame[col].dropna()
        if present.empty or bool(present.str.fullmatch(_LEADING_ZERO_RE.pattern + r".*").any()):
            continue
        german, plain, has_dot = _classify(present)
        if decimal == ",":
            plain = plain and not has_dot
        elif decimal == ".":
            german = german and not present.str.contains(",", regex=False).any()
            german = german and not has_dot
        if german and plain:
            plans[col] = "either" if has_dot else "integer"
        elif german:
            plans[col] = "german"
        elif plain:
            plans[col] = "plain"
    # Columns like "1.234" read either way: follow the file's other columns, else the separator.
    if decimal is not None:
        default = "german" if decimal == "," else "plain"
    else:
        kinds = set(plans.values())
        if "german" in kinds and "plain" not in kinds:
            default = "german"
        elif "plain" in kinds and "german" not in kinds:
            default = "plain"
        else:
            default = "plain" if sep == "," else "german"
    out = frame.copy()
    for col, plan in plans.items():
        if plan == "either":
            plan = default
        values = frame[col]
        if plan == "integer":
            out[col] = _to_numbers(values, _parse_plain_number, integer=True)
        elif plan == "german":
            whole = not values.dropna().str.contains(",", regex=False).any()
            out[col] = _to_numbers(values, parse_german_number, integer=whole)
        else:
            whole = not values.dropna().str.contains(".", regex=False).any()
            out[col] = _to_numbers(values, _parse_plain_number, integer=whole)
    return out


# --- the reader ----------------------------------------------------------------------------


def read_german_csv(
    path: Path | str,
    *,
    encoding: str | None = None,
    sep: str | None = None,
    str_columns: Sequence[str] = (),
    decimal: str | None = None,
) -> pd.DataFrame:
    """Read a CSV file as published by German public bodies.

    Parameters
    ----------
    path : Path or str
        The CSV file.
    encoding : str, optional
        Text encoding. Detected when omitted: UTF-16 if it has a UTF-16 byte order mark, else
        strict UTF-8 (with or without BOM), else Windows-1252, else Latin-1.
    sep : str, optional
        Field separator. Sniffed from ``;``, ``,`` and tab when omitted.
    str_columns : sequence of str
        Columns kept as text even if they look numeric (keys, codes).
    decimal : {",", "."}, optional
        The decimal mark. When omitted it is decided per column: a column is numeric only
        if every non-missing cell is a number; ``1.234,5`` and ``1234,5`` are German,
        ``1234.5`` is plain. Columns readable both ways (``1.234``) follow the file's other
        numeric columns, else the separator (``,`` files use a decimal point, others German).

    Returns
    -------
    pandas.DataFrame
        Header names and text cells stripped of surrounding whitespace; empty cells and
        placeholders (``-``, ``.``, ``x``, ``…``, ``/``) missing; numeric columns as
        ``Int64`` (whole numbers written without decimals) or ``Float64``; the others text.
        A column without a header name that is entirely empty (trailing separators) is
        dropped. ``frame.attrs`` holds ``encoding`` and ``sep`` as detected, and
        ``unterminated`` = ``(line, last field)`` if the file does not end with a line break
        (it may be cut off there).

    Raises
    ------
    ValueError
        For a missing, empty or binary file, an undetectable separator, ragged rows (naming
        the line), duplicate column names, or an unknown name in ``str_columns``.
    """
    path = Path(path)
    name = path.name
    if decimal not in (None, ",", "."):
        raise ValueError(f"decimal must be ',' or '.', got {decimal!r}")
    if not path.is_file():
        raise ValueError(f"{path}: file not found")
    text, used_encoding = decode_text(path.read_bytes(), name, encoding)
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise ValueError(f"{name}: the file is empty")
    if sep is None:
        sep = sniff_separator(text, name)
    check_shape(text, sep, name)
    try:
        with warnings.catch_warnings():
            # Extra trailing fields were checked to be empty above; pandas would warn on them.
            warnings.simplefilter("ignore", pd.errors.ParserWarning)
            frame = pd.read_csv(
                io.StringIO(text),
                sep=sep,
                dtype=str,
                keep_default_na=False,
                na_values=[],
                index_col=False,
                skip_blank_lines=True,
                quotechar='"',
            )
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as err:
        raise ValueError(f"{name}: not a readable CSV file ({err})") from err

    frame.columns = pd.Index([str(c).strip() for c in frame.columns])
    for col in list(frame.columns):
        frame[col] = frame[col].str.strip()
        frame[col] = frame[col].where(~frame[col].isin(PLACEHOLDERS))
    unnamed = [c for c in frame.columns if c.startswith("Unnamed: ") and frame[c].isna().all()]
    frame = frame.drop(columns=unnamed)
    header = [h.strip() for h in _records(text, sep, 1)[0][1]]
    dupes = sorted({h for h in header if h and header.count(h) > 1})
    if dupes:
        raise ValueError(f"{name}: duplicate column name(s) {', '.join(repr(d) for d in dupes)}")
    for col in str_columns:
        if col not in frame.columns:
            raise unknown_column_error(col, frame.columns, name)
    frame = _convert_numbers(frame, set(str_columns), decimal, sep)
    frame.attrs["encoding"] = used_encoding
    frame.attrs["sep"] = sep
    cut = unterminated_last_line(text, sep)
    if cut is not None:
        frame.attrs["unterminated"] = cut
    return frame


def unterminated_last_line(text: str, sep: str) -> tuple[int, str] | None:
    """``(line number, last field)`` when ``text`` does not end with a line break.

    Such a file may have been cut off in its last field (``12`` of ``1234``); this cannot be
    told from a file that simply lacks the final line break, so callers report it as a
    warning naming the line and the value.
    """
    if not text or text.endswith(("\n", "\r")):
        return None
    records = _records(text, sep)
    if len(records) < 2:
        return None
    line, row = records[-1]
    return line, (row[-1].strip() if row else "")
