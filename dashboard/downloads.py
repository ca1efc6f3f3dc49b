"""Dataset downloads, built once per data version and served from disk.

A download (``/download/<dataset>.<ext>``) is written the first time anyone asks for it into
``<cache>/downloads/<city>-<pack version>/``, atomically (a temporary file, then a rename) and
under a file lock so that several workers build it once. Every request after that is a file
sent from disk by Flask's ``send_file``: streamed in blocks (server memory does not grow with
the file or with the number of downloads), with ``ETag`` and ``Last-Modified``, so a repeated
request answers ``304``. A new pack version gets a new folder; raster downloads are the pack's
own NetCDF file.
"""

from __future__ import annotations

import fcntl
import json
import os
from dataclasses import dataclass
from pathlib import Path

from data.cache import cache_dir
from data.pack import CityPack, to_geojson

#: How long a browser may keep a download before asking again (it revalidates with the ETag).
MAX_AGE_S = 3600


@dataclass(frozen=True)
class Download:
    path: Path
    mimetype: str
    name: str  # the file name the browser saves


def file_name(pack: CityPack, ds_id: str, ext: str) -> str:
    """``<city>_<dataset>[_synthetisch].<ext>``."""
    suffix = "_synthetisch" if pack.synthetic else ""
    return f"{pack.city.id}_{ds_id}{suffix}.{ext}"


def find(pack: CityPack, cache: Path | None, ds_id: str, ext: str) -> Download | None:
    """The download for ``ds_id`` as ``ext`` (built now if needed); ``None`` if there is none."""
    if not pack.has(ds_id):
        return None
    ds = pack.dataset(ds_id)
    name = file_name(pack, ds_id, ext)
    if ds.kind == "raster" and ext == "nc":
        return Download(pack.folder / ds.path, "application/x-netcdf", name)
    if ds.kind == "vector" and ext == "geojson":
        mime = "application/geo+json"
    elif ds.kind in ("table", "timeseries") and ext == "csv":
        mime = "text/csv; charset=utf-8"
    else:
        return None
    folder = cache_dir(cache) / "downloads" / f"{pack.city.id}-{pack.version}"
    path = folder / name
    if not path.is_file():
        _build(pack, ds_id, ext, path)
    return Download(path, mime, name)


def _build(pack: CityPack, ds_id: str, ext: str, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path.parent / f".{path.name}.lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # another worker may be building it right now
        if path.is_file():
            return
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        try:
            with tmp.open("w", encoding="utf-8", newline="") as out:
                if ext == "geojson":
                    json.dump(_geojson(pack, ds_id), out, ensure_ascii=False)
                else:
                    pack.table(ds_id).to_csv(out, index=False)
            os.replace(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)
    finally:
        os.close(fd)


def _geojson(pack: CityPack, ds_id: str) -> dict[str, object]:
    ds = pack.dataset(ds_id)
    doc = to_geojson(pack.vector(ds_id))
    doc["allmende"] = {
        "dataset": ds.id,
        "city": pack.city.name,
        "synthetic": pack.synthetic,
        "licence": ds.licence,
        "attribution": ds.attribution,
        "source": ds.source,
        "generated_by": ds.generated_by,
    }
    return doc
