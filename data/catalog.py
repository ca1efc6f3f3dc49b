"""What a city pack declares: the city (``[city]`` in ``city.toml``) and its datasets.

A city pack is a folder holding ``city.toml`` and the files it lists. This module only
parses and writes that file into typed, frozen objects; reading the data files and
checking them happens in :mod:`data.pack`.

Coordinates in ``city.toml`` are WGS84 degrees: ``centre = [lat, lon]`` and
``bbox = [min_lon, min_lat, max_lon, max_lat]``.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any

import tomli_w

KINDS = ("vector", "raster", "table", "timeseries")
LANGUAGES = ("de", "en")
BASEMAPS = ("topplus", "osm", "offline")
CITY_FILE = "city.toml"


class CatalogError(ValueError):
    """``city.toml`` is missing, unreadable or has a bad entry; ``problems`` lists each one."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems))


@dataclass(frozen=True)
class Temporal:
    """Temporal coverage as ISO dates (``start == end`` for a snapshot)."""

    start: str
    end: str

    def label(self, lang: str = "en") -> str:
        """``2017-12-31`` or ``2017-12-31 – 2020-01-04``; German dates with ``lang="de"``."""
        start, end = (_local_date(d, lang) for d in (self.start, self.end))
        return start if self.start == self.end else f"{start} – {end}"


def _local_date(iso: str, lang: str) -> str:
    """An ISO date as ``TT.MM.JJJJ`` for German (anything else unchanged)."""
    parts = iso.split("-")
    if lang != "de" or len(parts) != 3 or not all(p.isdigit() for p in parts):
        return iso
    return f"{parts[2]}.{parts[1]}.{parts[0]}"


def translated(plain: str, texts: dict[str, str], lang: str) -> str:
    """``texts[lang]`` when ``texts`` translates ``plain`` (its German text is ``plain``);
    otherwise ``plain`` as it is: a pack without translations, or a text an importer has
    changed since it was translated."""
    if texts and texts.get("de") == plain:
        return texts.get(lang) or plain
    return plain


@dataclass(frozen=True)
class Dataset:
    """One catalog entry: what a file is, where it comes from and how it may be used."""

    id: str
    title: dict[str, str]
    kind: str
    path: str
    crs: str | None
    licence: str
    attribution: str  # the text as the pack states it (German, if the pack translates it)
    source: str | None = None
    generated_by: str | None = None
    temporal: Temporal | None = None
    description: dict[str, str] = field(default_factory=dict)
    approximations: dict[str, str] = field(default_factory=dict)
    layer: str | None = None  # layer name inside a GeoPackage
    # ``attribution`` and ``source`` in German and English, when city.toml gives them as
    # ``{de = …, en = …}`` (older packs: a plain string, shown in every language)
    attribution_i18n: dict[str, str] = field(default_factory=dict)
    source_i18n: dict[str, str] = field(default_factory=dict)

    def attribution_text(self, lang: str) -> str:
        """The attribution in ``lang`` (proper names stay as they are)."""
        return translated(self.attribution, self.attribution_i18n, lang)

    def source_text(self, lang: str) -> str | None:
        """Where the data come from, in ``lang`` (``None`` if not stated)."""
        if self.source is None:
            return None
        return translated(self.source, self.source_i18n, lang)

    def to_toml(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "title": dict(self.title),
            "kind": self.kind,
            "path": self.path,
        }
        if self.crs is not None:
            out["crs"] = self.crs
        out["licence"] = self.licence
        out["attribution"] = _text_toml(self.attribution, self.attribution_i18n)
        if self.source is not None:
            out["source"] = _text_toml(self.source, self.source_i18n)
        for key in ("generated_by", "layer"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        if self.temporal is not None:
            out["temporal"] = {"start": self.temporal.start, "end": self.temporal.end}
        if self.description:
            out["description"] = dict(self.description)
        if self.approximations:
            out["approximations"] = dict(self.approximations)
        return out


def _text_toml(plain: str, texts: dict[str, str]) -> str | dict[str, str]:
    """A de/en table if ``texts`` still translates ``plain``, else the plain string."""
    return dict(texts) if texts and texts.get("de") == plain else plain


@dataclass(frozen=True)
class City:
    """The ``[city]`` table: where the map opens and which CRS measures areas and distances."""

    id: str
    name: str
    centre: tuple[float, float]  # (lat, lon)
    zoom: int
    bbox: tuple[float, float, float, float]  # (min_lon, min_lat, max_lon, max_lat)
    metric_crs: str
    default_language: str = "de"
    synthetic: bool = False
    basemaps: tuple[str, ...] = BASEMAPS
    default_basemap: str = "topplus"
    # the city's local clock and calendar (checked by data.pack; see data.pack_calendar):
    # IANA time zone, country and subdivision for public holidays, and the dataset ids of
    # its calendar tables (date ranges). ``None``: not declared (a documented default).
    timezone: str | None = None
    country: str | None = None
    subdivision: str | None = None
    calendars: tuple[str, ...] = ()

    def to_toml(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "name": self.name,
            "synthetic": self.synthetic,
            "centre": list(self.centre),
            "zoom": self.zoom,
            "bbox": list(self.bbox),
            "metric_crs": self.metric_crs,
            "default_language": self.default_language,
            "basemaps": list(self.basemaps),
            "default_basemap": self.default_basemap,
        }
        for key in ("timezone", "country", "subdivision"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        if self.calendars:
            out["calendars"] = list(self.calendars)
        return out


@dataclass(frozen=True)
class Catalog:
    city: City
    datasets: tuple[Dataset, ...]

    def get(self, dataset_id: str) -> Dataset:
        for ds in self.datasets:
            if ds.id == dataset_id:
                return ds
        known = ", ".join(d.id for d in self.datasets) or "none"
        raise KeyError(f"dataset {dataset_id!r} not in the catalog; known: {known}")

    def ids(self) -> list[str]:
        return [d.id for d in self.datasets]

    def with_dataset(self, dataset: Dataset) -> Catalog:
        """A copy with ``dataset`` added, or replacing the entry with the same id."""
        if dataset.id in self.ids():
            return Catalog(
                self.city, tuple(dataset if d.id == dataset.id else d for d in self.datasets)
            )
        return Catalog(self.city, (*self.datasets, dataset))

    def to_toml(self) -> dict[str, Any]:
        return {"city": self.city.to_toml(), "datasets": [d.to_toml() for d in self.datasets]}


def write_catalog(catalog: Catalog, folder: Path) -> Path:
    """Write ``city.toml`` into ``folder`` and return its path."""
    path = Path(folder) / CITY_FILE
    path.write_bytes(tomli_w.dumps(catalog.to_toml()).encode("utf-8"))
    return path


# --- paths -------------------------------------------------------------------------------


def path_problem(path: str) -> str | None:
    """Why a dataset path may not be used, or ``None``: a path must be relative, inside the
    pack folder (no ``..``), written with ``/``."""
    if "\x00" in path:
        return "contains a NUL character"
    posix = PurePosixPath(path.replace("\\", "/"))
    windows = PureWindowsPath(path)
    if posix.is_absolute() or windows.drive or windows.root:
        return "is absolute; a dataset path must be relative to the pack folder"
    if ".." in posix.parts:
        return "leaves the pack folder ('..'); a dataset path must stay inside it"
    if posix.parts in ((), (".",)):
        return "names the pack folder itself, not a file"
    return None


def inside_pack(folder: Path, path: str) -> Path | None:
    """``folder / path`` resolved (symbolic links followed), or ``None`` when it lies outside
    ``folder`` or :func:`path_problem` refuses ``path``. Nothing outside a pack is read."""
    if path_problem(path):
        return None
    root = Path(folder).resolve()
    target = (root / path).resolve()
    return target if target.is_relative_to(root) else None


# --- parsing -------------------------------------------------------------------------------


def _i18n(value: Any, where: str, problems: list[str], required: bool = True) -> dict[str, str]:
    if value is None:
        if required:
            problems.append(f"{where}: missing; expected a table with 'de' and 'en' texts")
        return {}
    if isinstance(value, str):
        return {"de": value, "en": value}
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        problems.append(f"{where}: expected a table like {{de = '…', en = '…'}}, got {value!r}")
        return {}
    missing = [lang for lang in LANGUAGES if not value.get(lang)]
    if missing:
        problems.append(f"{where}: missing text for language(s) {', '.join(missing)}")
    return dict(value)


def _num_list(value: Any, n: int, where: str, problems: list[str]) -> tuple[float, ...] | None:
    if (
        not isinstance(value, list)
        or len(value) != n
        or not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value)
    ):
        problems.append(f"{where}: expected a list of {n} numbers, got {value!r}")
        return None
    return tuple(float(v) for v in value)


def _parse_city(raw: Any, problems: list[str]) -> City | None:
    if not isinstance(raw, dict):
        problems.append("city.toml: missing [city] table")
        return None
    before = len(problems)
    for key in ("id", "name", "metric_crs"):
        if not isinstance(raw.get(key), str) or not raw.get(key):
            problems.append(f"[city] {key}: missing or not a string")
    centre = _num_list(raw.get("centre"), 2, "[city] centre ([lat, lon])", problems)
    bbox = _num_list(
        raw.get("bbox"), 4, "[city] bbox ([min_lon, min_lat, max_lon, max_lat])", problems
    )
    zoom = raw.get("zoom")
    if not isinstance(zoom, int) or isinstance(zoom, bool) or not 1 <= zoom <= 20:
        problems.append(f"[city] zoom: expected an integer 1–20, got {zoom!r}")
    lang = raw.get("default_language", "de")
    if lang not in LANGUAGES:
        problems.append(f"[city] default_language: {lang!r} is not one of {', '.join(LANGUAGES)}")
    basemaps = raw.get("basemaps", list(BASEMAPS))
    if not isinstance(basemaps, list) or not basemaps or any(b not in BASEMAPS for b in basemaps):
        problems.append(
            f"[city] basemaps: expected a non-empty list from {BASEMAPS}, got {basemaps!r}"
        )
        basemaps = list(BASEMAPS)
    default_basemap = raw.get("default_basemap", basemaps[0])
    if default_basemap not in basemaps:
        problems.append(
            f"[city] default_basemap: {default_basemap!r} is not one of the pack's basemaps {basemaps}"
        )
    if bbox is not None:
        min_lon, min_lat, max_lon, max_lat = bbox
        if not (-180 <= min_lon < max_lon <= 180 and -90 <= min_lat < max_lat <= 90):
            problems.append(
                f"[city] bbox: expected min_lon < max_lon and min_lat < max_lat in degrees, got {list(bbox)}"
            )
        elif centre is not None and not (
            min_lat <= centre[0] <= max_lat and min_lon <= centre[1] <= max_lon
        ):
            problems.append(
                f"[city] centre {list(centre)} ([lat, lon]) lies outside the bbox {list(bbox)}"
            )
    place = _place(raw, problems)
    if len(problems) > before or centre is None or bbox is None:
        return None
    return City(
        id=raw["id"],
        name=raw["name"],
        centre=(centre[0], centre[1]),
        zoom=int(raw["zoom"]),
        bbox=(bbox[0], bbox[1], bbox[2], bbox[3]),
        metric_crs=raw["metric_crs"],
        default_language=lang,
        synthetic=bool(raw.get("synthetic", False)),
        basemaps=tuple(basemaps),
        default_basemap=default_basemap,
        **place,
    )


def _place(raw: dict[str, Any], problems: list[str]) -> dict[str, Any]:
    """``timezone``, ``country``, ``subdivision`` (strings) and ``calendars`` (dataset ids)
    as given; whether they are known is checked by :mod:`data.pack_calendar`."""
    out: dict[str, Any] = {}
    for key, example in (
        ("timezone", "an IANA name (Area/Location)"),
        ("country", "an ISO 3166-1 alpha-2 code"),
        ("subdivision", "an ISO 3166-2 subdivision code"),
    ):
        value = raw.get(key)
        if value is not None and (not isinstance(value, str) or not value):
            problems.append(f"[city] {key}: expected a string, {example}, got {value!r}")
        out[key] = value
    calendars = raw.get("calendars", [])
    if not isinstance(calendars, list) or not all(isinstance(c, str) and c for c in calendars):
        problems.append(
            f"[city] calendars: expected a list of dataset ids such as ['calendar'], got "
            f"{calendars!r}"
        )
        calendars = []
    out["calendars"] = tuple(calendars)
    return out


def _parse_dataset(raw: Any, index: int, problems: list[str]) -> Dataset | None:
    if not isinstance(raw, dict):
        problems.append(f"datasets[{index}]: expected a table, got {raw!r}")
        return None
    ds_id = raw.get("id")
    where = f"dataset {ds_id!r}" if isinstance(ds_id, str) and ds_id else f"datasets[{index}]"
    before = len(problems)
    if not isinstance(ds_id, str) or not ds_id:
        problems.append(f"{where}: missing id")
    kind = raw.get("kind")
    if kind not in KINDS:
        problems.append(f"{where}: kind {kind!r} is not one of {', '.join(KINDS)}")
    for key in ("path", "licence"):
        if not isinstance(raw.get(key), str) or not raw.get(key):
            problems.append(f"{where}: missing {key}")
    if isinstance(raw.get("path"), str) and raw.get("path"):
        wrong = path_problem(raw["path"])
        if wrong:
            problems.append(f"{where}: path {raw['path']!r} {wrong}")
    attribution, attribution_i18n = _prose(raw, "attribution", where, problems)
    source, source_i18n = _prose(raw, "source", where, problems, required=False)
    if not raw.get("source") and not raw.get("generated_by"):
        problems.append(f"{where}: needs either source (where the data comes from) or generated_by")
    crs = raw.get("crs")
    if crs is not None and not isinstance(crs, str):
        problems.append(f"{where}: crs must be a string such as 'EPSG:25832', got {crs!r}")
    title = _i18n(raw.get("title"), f"{where} title", problems)
    description = _i18n(raw.get("description"), f"{where} description", problems, required=False)
    approximations = _i18n(raw.get("approximations"), f"{where} approximations", problems, False)
    temporal = None
    t = raw.get("temporal")
    if t is not None:
        if (
            isinstance(t, dict)
            and isinstance(t.get("start"), str)
            and isinstance(t.get("end"), str)
        ):
            temporal = Temporal(t["start"], t["end"])
        else:
            problems.append(
                f"{where}: temporal must be {{start = 'YYYY-MM-DD', end = 'YYYY-MM-DD'}}"
            )
    if len(problems) > before:
        return None
    return Dataset(
        id=str(ds_id),
        title=title,
        kind=str(kind),
        path=raw["path"],
        crs=crs,
        licence=raw["licence"],
        attribution=str(attribution),
        source=source,
        generated_by=raw.get("generated_by"),
        temporal=temporal,
        description=description,
        approximations=approximations,
        layer=raw.get("layer"),
        attribution_i18n=attribution_i18n,
        source_i18n=source_i18n,
    )


def _prose(
    raw: dict[str, Any], key: str, where: str, problems: list[str], required: bool = True
) -> tuple[str | None, dict[str, str]]:
    """``raw[key]`` as a plain string (older packs) or ``{de = …, en = …}``: the German (or
    plain) text and its translations (``{}`` for a plain string)."""
    value = raw.get(key)
    if value is None or value == "":
        if required:
            problems.append(f"{where}: missing {key}")
        return None, {}
    if isinstance(value, str):
        return value, {}
    if isinstance(value, dict) and all(isinstance(v, str) for v in value.values()):
        missing = [lang for lang in LANGUAGES if not value.get(lang)]
        if missing:
            problems.append(f"{where} {key}: missing text for language(s) {', '.join(missing)}")
            return None, {}
        return value["de"], dict(value)
    problems.append(
        f"{where} {key}: expected a text or a table like {{de = '…', en = '…'}}, got {value!r}"
    )
    return None, {}


def read_catalog(folder: Path) -> Catalog:
    """Parse ``folder/city.toml``; raise :class:`CatalogError` listing every problem found."""
    path = Path(folder) / CITY_FILE
    if not Path(folder).is_dir():
        raise CatalogError([f"pack folder {str(folder)!r} does not exist"])
    if not path.is_file():
        raise CatalogError([f"{CITY_FILE} not found in {str(folder)!r}"])
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise CatalogError([f"{CITY_FILE}: not valid TOML ({err})"]) from err
    problems: list[str] = []
    city = _parse_city(raw.get("city"), problems)
    raw_ds = raw.get("datasets", [])
    if not isinstance(raw_ds, list) or not raw_ds:
        problems.append("city.toml: no [[datasets]] entries")
        raw_ds = []
    datasets = [_parse_dataset(r, i, problems) for i, r in enumerate(raw_ds)]
    seen: set[str] = set()
    for ds in datasets:
        if ds is not None:
            if ds.id in seen:
                problems.append(f"dataset {ds.id!r}: id used twice")
            seen.add(ds.id)
    if problems or city is None:
        raise CatalogError(problems)
    return Catalog(city, tuple(d for d in datasets if d is not None))
