"""The importer contract: one error family, one result, one CRS rule, one way to run.

Every importer in :mod:`data.importers.registry` is an :class:`Importer`: a name, a summary,
the formats it reads, the datasets it writes, its :class:`Option` list, and a ``run``
function ``run(pack, **options) -> ImportResult``. The command line (``allmende import
<name>``) is generated from these declarations, and :func:`run_importer` is the one way the
CLI and the app start an import.

Errors
    Every importer raises :class:`ImporterError` (a ``ValueError``) or a subclass of it. An
    error names the file, where in it (a line, a feature id, a column), what was expected
    and what was found. :func:`run_importer` turns the low-level errors a parser lets
    through (a wrong encoding, a tokenizer error, an unreadable file) into an
    :class:`ImporterError` naming the input file, with the original as ``__cause__``.
    :class:`data.pack.PackError` (the pack itself is invalid) passes through unchanged.

Writes
    Importers write only through :func:`data.writer.staged_pack`: a failure at any step
    leaves the pack byte-for-byte as it was.

CRS
    :func:`settle_crs` is the one rule for the CRS of an input: a CRS given by the user
    wins; a conflicting CRS declared by the file is reported as a warning; a file that
    declares none and no CRS given is an error that says how to state it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from pyproj import CRS
from pyproj.exceptions import CRSError

from data.pack import PackError

# --- errors ------------------------------------------------------------------------------------


class ImporterError(ValueError):
    """An input file could not be imported; nothing in the pack was changed.

    Parameters
    ----------
    message : str
        What is wrong, in a sentence.
    file : str or Path, optional
        The input file (its name is shown).
    where : str, optional
        Where in the file: ``"line 12"``, ``"feature 'A-7'"``, ``"column 'Einwohner'"``.
    expected, found : str, optional
        What the importer expected there and what it found.
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | Path | None = None,
        where: str | None = None,
        expected: str | None = None,
        found: str | None = None,
    ) -> None:
        self.message = message
        self.file = str(file) if file is not None else None
        self.where = where
        self.expected = expected
        self.found = found
        super().__init__(self._text())

    def _text(self) -> str:
        head = ": ".join(part for part in (_file_name(self.file), self.where, self.message) if part)
        tail = [
            f"expected {self.expected}" if self.expected else "",
            f"found {self.found}" if self.found else "",
        ]
        extra = "; ".join(t for t in tail if t)
        return f"{head} ({extra})" if extra else head

    def to_dict(self) -> dict[str, Any]:
        """The error as plain data (for ``--json``)."""
        return {
            "error": type(self).__name__,
            "message": self.message,
            "file": self.file,
            "where": self.where,
            "expected": self.expected,
            "found": self.found,
            "text": str(self),
        }


def _file_name(file: str | None) -> str:
    if not file:
        return ""
    return Path(file).name or file


def with_file(err: ImporterError, file: str | Path) -> ImporterError:
    """``err`` naming ``file`` when it names none yet (same class, cause kept)."""
    if err.file is not None:
        return err
    err.file = str(file)
    err.args = (err._text(),)
    return err


# --- options and the importer spec -------------------------------------------------------------


@dataclass(frozen=True)
class Option:
    """One option of an importer, as the CLI shows it and ``run`` receives it.

    Attributes
    ----------
    name : str
        Keyword passed to ``run`` (``source_crs``); the CLI flag is ``--source-crs``.
    help : str
        One line for ``--help``.
    type : callable
        Converts the CLI text (``str``, ``int``, ``float``, ``Path``).
    required : bool
    default : Any
    multiple : bool
        May be repeated; ``run`` receives a list.
    choices : tuple, optional
    flag : bool
        A switch without a value (``--from-kelvin``); ``run`` receives a bool.
    input : bool
        An input file: errors without a file name get this one.
    aliases : tuple of str
        Further CLI flags for the same option (``--dwd`` beside ``--file``).
    metavar : str, optional
    """

    name: str
    help: str
    type: Callable[[str], Any] = str
    required: bool = False
    default: Any = None
    multiple: bool = False
    choices: tuple[Any, ...] | None = None
    flag: bool = False
    input: bool = False
    aliases: tuple[str, ...] = ()
    metavar: str | None = None

    @property
    def cli(self) -> str:
        """The main CLI flag."""
        return "--" + self.name.replace("_", "-")


#: The pack option every importer takes first.
PACK = "pack"


@dataclass(frozen=True)
class Importer:
    """An importer as the registry declares it.

    Attributes
    ----------
    name : str
        ``allmende import <name>``.
    summary : str
        One line: what it reads and writes.
    formats : tuple of str
        The file formats it reads, as a user would name them.
    datasets : tuple of str
        The pack datasets it writes.
    options : tuple of Option
        Everything ``run`` accepts besides the pack.
    run : callable
        ``run(pack: Path, **options) -> ImportResult``.
    pack_help : str
        Help for ``--pack`` (whether the pack must exist).
    pack_aliases : tuple of str
        CLI flags for the pack besides ``--pack`` and ``--out``, which every importer takes
        (:data:`cli.imports.PACK_ALIASES`).
    variables : tuple of str
        Grid variables it writes into a dataset another importer declares, as requirements
        (``"grid:population"``): what a missing-data hint names for exactly that variable.
    """

    name: str
    summary: str
    formats: tuple[str, ...]
    datasets: tuple[str, ...]
    options: tuple[Option, ...]
    run: Callable[..., ImportResult]
    pack_help: str = "existing pack folder (create one with 'allmende import districts')"
    pack_aliases: tuple[str, ...] = ()
    variables: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        names = [o.name for o in self.options]
        if PACK in names:
            raise ValueError(
                f"importer {self.name!r}: 'pack' is given by the contract, not an option"
            )
        if len(set(names)) != len(names):
            raise ValueError(f"importer {self.name!r}: an option name repeats: {names}")
        if not any(o.input for o in self.options):
            raise ValueError(f"importer {self.name!r}: no option is marked input=True")
        if not self.formats or not self.datasets:
            raise ValueError(f"importer {self.name!r}: formats and datasets must be declared")

    def help_line(self) -> str:
        """``summary (formats: …)`` for listings."""
        return f"{self.summary} (formats: {', '.join(self.formats)})"

    def input_files(self, options: dict[str, Any]) -> list[str]:
        """The input files named in ``options``."""
        files: list[str] = []
        for opt in self.options:
            value = options.get(opt.name)
            if not opt.input or value is None:
                continue
            values = value if isinstance(value, list | tuple) else [value]
            files.extend(str(v) for v in values)
        return files


# --- the result --------------------------------------------------------------------------------


@dataclass
class ImportResult:
    """What an import did; every importer returns one, and the CLI prints it the same way.

    Attributes
    ----------
    importer : str
        The importer's name.
    pack : Path
        The pack written.
    datasets : tuple of str
        The datasets written.
    files : tuple of str
        The input files read.
    read, written : int
        Records read from the inputs and records written into the pack, in ``unit``.
    unit : str
        What a record is (``"rows"``, ``"features"``, ``"cells"``, ``"days"``).
    warnings : list of str
        Everything worth a second look.
    repaired, dropped : list of str
        Ids of records repaired (e.g. invalid geometries made valid) or left out.
    details : list of str
        Further lines the importer wants shown (per-file summaries, class counts).
    native : Any
        The importer's own detailed result object (not part of the JSON).
    """

    importer: str
    pack: Path
    datasets: tuple[str, ...]
    files: tuple[str, ...]
    read: int
    written: int
    unit: str
    warnings: list[str] = field(default_factory=list)
    repaired: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    details: list[str] = field(default_factory=list)
    native: Any = field(default=None, repr=False, compare=False)

    def lines(self) -> list[str]:
        """The result as lines of text, the same layout for every importer."""
        out = [
            f"imported {self.written} {self.unit} into {', '.join(self.datasets)} "
            f"of {self.pack} (read {self.read} from {len(self.files)} file(s))"
        ]
        out.extend(f"  {line}" for line in self.details)
        if self.repaired:
            out.append(f"repaired ({len(self.repaired)}): {_show(self.repaired)}")
        if self.dropped:
            out.append(f"dropped ({len(self.dropped)}): {_show(self.dropped)}")
        out.extend(f"warning: {w}" for w in self.warnings)
        return out

    def to_dict(self) -> dict[str, Any]:
        """The result as plain data (``native`` left out)."""
        return {
            "importer": self.importer,
            "pack": str(self.pack),
            "datasets": list(self.datasets),
            "files": list(self.files),
            "read": self.read,
            "written": self.written,
            "unit": self.unit,
            "warnings": list(self.warnings),
            "repaired": list(self.repaired),
            "dropped": list(self.dropped),
            "details": list(self.details),
        }

    def to_json(self) -> str:
        """:meth:`to_dict` as indented JSON (UTF-8 text, umlauts kept)."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2)


def _show(items: Sequence[str], limit: int = 10) -> str:
    more = f" and {len(items) - limit} more" if len(items) > limit else ""
    return ", ".join(str(i) for i in items[:limit]) + more


# --- running -----------------------------------------------------------------------------------


def run_importer(importer: Importer, pack: Path | str, **options: Any) -> ImportResult:
    """Run ``importer`` into ``pack``; every failure is an :class:`ImporterError` or a PackError.

    Low-level errors that escape an importer's own checks — a file in another encoding, a
    tokenizer error, an unreadable or missing file, a ``ValueError`` or ``KeyError`` from a
    library — become an :class:`ImporterError` naming the input file(s), with the original
    error as the cause. A nameless :class:`ImporterError` gets the input file's name when
    there is only one input.
    """
    files = importer.input_files(options)
    named = files[0] if len(files) == 1 else (", ".join(files) or None)
    try:
        return importer.run(Path(pack), **options)
    except PackError:
        raise
    except ImporterError as err:
        raise (with_file(err, named) if named else err) from err.__cause__
    except UnicodeDecodeError as err:
        raise ImporterError(
            "the file is not in the expected text encoding",
            file=named,
            where=f"byte {err.start}",
            expected=f"{err.encoding} text (or pass --encoding)",
            found=repr(err.object[err.start : err.start + 8]),
        ) from err
    except pd.errors.ParserError as err:
        raise ImporterError(f"the table cannot be parsed: {_first_line(err)}", file=named) from err
    except FileNotFoundError as err:
        raise ImporterError(
            "file not found", file=err.filename or named, expected="an existing file"
        ) from err
    except OSError as err:
        raise ImporterError(
            f"the file cannot be read: {_first_line(err)}", file=err.filename or named
        ) from err
    except (ValueError, KeyError, TypeError, IndexError) as err:
        raise ImporterError(_first_line(err), file=named) from err


def _first_line(err: BaseException) -> str:
    text = str(err).strip() or type(err).__name__
    if isinstance(err, KeyError) and len(err.args) == 1:
        text = f"missing key {err.args[0]!r}"
    return text.splitlines()[0]


# --- CRS ---------------------------------------------------------------------------------------

#: How the CLI names the option that states a CRS.
CRS_OPTION = "--source-crs"


def parse_user_crs(value: str, option: str = CRS_OPTION) -> CRS:
    """A CRS the user typed; an :class:`ImporterError` naming the option when it is unknown."""
    try:
        return CRS.from_user_input(value)
    except CRSError as err:
        raise ImporterError(
            f"unknown CRS given with {option}",
            expected="an EPSG code such as 'EPSG:25832' or 'EPSG:4326'",
            found=repr(value),
        ) from err


def crs_name(crs: CRS) -> str:
    """``EPSG:25832`` or the CRS's name."""
    epsg = crs.to_epsg()
    return f"EPSG:{epsg}" if epsg else crs.name


def settle_crs(
    declared: CRS | str | None,
    given: CRS | str | None,
    *,
    file: str | Path,
    warnings: list[str],
    option: str = CRS_OPTION,
) -> CRS:
    """The CRS of an input: the user's wins, a conflict warns, none at all is an error.

    Parameters
    ----------
    declared : CRS or str or None
        What the file states (``None`` when it states nothing).
    given : CRS or str or None
        What the user gave (CLI ``option``).
    file : str or Path
        The input file, for messages.
    warnings : list of str
        A warning is appended when ``given`` and ``declared`` disagree.
    option : str
        How the user states a CRS (shown in messages).

    Returns
    -------
    pyproj.CRS
    """
    user = parse_user_crs(given, option) if isinstance(given, str) else given
    stated = CRS.from_user_input(declared) if isinstance(declared, str) else declared
    if user is not None:
        if stated is not None and not _same_crs(stated, user):
            warnings.append(
                f"{_file_name(str(file))} states {crs_name(stated)}, but {option} "
                f"{crs_name(user)} was given and is used"
            )
        return user
    if stated is None:
        raise ImporterError(
            f"the file states no CRS; state it with {option}, e.g. '{option} EPSG:25832' "
            "for UTM zone 32N metres or 'EPSG:4326' for longitude/latitude",
            file=file,
            expected="a CRS in the file or given",
            found="none",
        )
    return stated


def _same_crs(a: CRS, b: CRS) -> bool:
    if a.equals(b, ignore_axis_order=True):
        return True
    ea, eb = a.to_epsg(), b.to_epsg()
    return ea is not None and ea == eb
