"""The council report: one self-contained HTML file for a comparison of two scenarios.

It opens without a network: the maps are drawn on the server (the scenario pictures as PNG
inside an SVG with the districts' outlines, a scale bar and a north-up frame, each with its
legend), then the KPI table (A, B, change, direction, model error), the district table, the
model card with its error, the sources and licences of the data used, and the demo-data
label where it applies. ``--pdf`` prints it with headless Chromium where one is installed.

No Dash here (plain HTML text): the CLI writes it (``allmende scenario report``), and the
app's download button (issue 17) will serve the same text.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import math
import shutil
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from dashboard.i18n import t
from dashboard.scenario_service import (
    DIFF_RAMP,
    LST_RAMP,
    UNIT_TEXT,
    Comparison,
    ScenarioService,
)
from layers import fmt
from layers.raster import ramp_css

EARTH_M = 6_378_137.0  # Web Mercator's sphere, m
MAP_PX = 640  # width of a map in the report, CSS px
KPI_COLUMNS = ("kpi", "unit", "a", "b", "delta", "direction", "error")  # scn.col.* texts


def _e(text: Any) -> str:
    return html.escape(str(text))


def _mercator(lon: float, lat: float) -> tuple[float, float]:
    x = EARTH_M * math.radians(lon)
    y = EARTH_M * math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))
    return x, y


def scale_bar(bounds: list[list[float]], width_px: int) -> tuple[float, float]:
    """A round length (m) for the scale bar and its width in px, for a north-up map of
    ``width_px`` across ``bounds`` (Web Mercator: ground metres per pixel shrink with the
    cosine of the latitude)."""
    (s, w), (n, e) = bounds
    x0, _ = _mercator(w, s)
    x1, _ = _mercator(e, s)
    lat = math.radians((s + n) / 2)
    ground_per_px = (x1 - x0) / width_px * math.cos(lat)
    target = ground_per_px * width_px / 4
    magnitude = 10 ** math.floor(math.log10(target))
    length = max(step * magnitude for step in (1, 2, 5) if step * magnitude <= target)
    return length, length / ground_per_px


def map_svg(png: bytes, bounds: list[list[float]], outlines: Mapping[str, Any], lang: str) -> str:
    """The picture with the districts' outlines and a scale bar, as an inline SVG."""
    (s, w), (n, e) = bounds
    x0, y0 = _mercator(w, s)
    x1, y1 = _mercator(e, n)
    height_px = round(MAP_PX * (y1 - y0) / (x1 - x0))
    sx, sy = MAP_PX / (x1 - x0), height_px / (y1 - y0)
    paths = []
    for feature in outlines.get("features", []):
        geom = feature.get("geometry") or {}
        polys = geom.get("coordinates", [])
        if geom.get("type") == "Polygon":
            polys = [polys]
        for poly in polys:
            for ring in poly:
                pts = []
                for lon, lat in ring:
                    x, y = _mercator(lon, lat)
                    pts.append(f"{(x - x0) * sx:.1f},{(y1 - y) * sy:.1f}")
                paths.append(f'<polygon points="{" ".join(pts)}"/>')
    length, bar_px = scale_bar(bounds, MAP_PX)
    label = f"{fmt.number(length / 1000, lang, 0)} km" if length >= 1000 else f"{length:.0f} m"
    data = base64.b64encode(png).decode("ascii")
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {MAP_PX} {height_px}" '
        f'width="{MAP_PX}" height="{height_px}" role="img">'
        f'<rect width="100%" height="100%" fill="#f4f1ea"/>'
        f'<image href="data:image/png;base64,{data}" width="{MAP_PX}" height="{height_px}" '
        f'preserveAspectRatio="none"/>'
        f'<g fill="none" stroke="#444" stroke-width="1">{"".join(paths)}</g>'
        f'<g transform="translate(12,{height_px - 14})">'
        f'<rect x="-4" y="-16" width="{bar_px + 60:.0f}" height="22" fill="#fff" opacity=".85"/>'
        f'<line x1="0" y1="0" x2="{bar_px:.1f}" y2="0" stroke="#000" stroke-width="3"/>'
        f'<text x="{bar_px + 6:.1f}" y="4" font-size="12">{_e(label)}</text></g>'
        f'<text x="{MAP_PX - 14}" y="20" font-size="14" text-anchor="middle">N↑</text>'
        "</svg>"
    )


def legend(ramp: str, lo: float, hi: float, title: str, lang: str, words: bool = False) -> str:
    """A colour scale with five ticks; ``words``: cooler / unchanged (clear) / warmer below
    (the difference map's scale, as on the page)."""
    ticks = "".join(f"<span>{_e(fmt.number(lo + (hi - lo) * i / 4, lang, 1))}</span>"
                    for i in range(5))  # fmt: skip
    below = ""
    if words:
        unchanged = f"{t('scn.unchanged', lang)} ({t('scn.legend.clear', lang)})"
        below = "".join(f"<span>{_e(w)}</span>"
                        for w in (t("scn.cooler", lang), unchanged, t("scn.warmer", lang)))  # fmt: skip
        below = f'<div class="ticks">{below}</div>'
    return (
        f'<div class="legend"><div>{_e(title)}</div>'
        f'<div class="ramp" style="background: {ramp_css(ramp)}"></div>'
        f'<div class="ticks">{ticks}</div>{below}</div>'
    )


def _kpi_rows(cmp: Comparison, lang: str) -> str:
    rows = []
    for row in cmp.kpis:
        d = int(row["digits"])
        direction = t(f"scn.dir.{row['direction']}", lang)
        err = "–" if row.get("error") is None else f"± {fmt.number(row['error'], lang, 2)} K"
        cells = [
            f'<th scope="row">{_e(row["label"].get(lang, row["id"]))}</th>',
            f"<td>{_e(UNIT_TEXT.get(row['unit'], {}).get(lang, row['unit']))}</td>",
            f'<td class="num">{_e(fmt.number(row["a"], lang, d))}</td>',
            f'<td class="num">{_e(fmt.number(row["b"], lang, d))}</td>',
            f'<td class="num">{_e(fmt.number(row["delta"], lang, d))}</td>',
            f"<td>{_e(direction)}</td>",
            f'<td class="num">{_e(err)}</td>',
        ]
        rows.append(f'<tr data-kpi="{_e(row["id"])}">{"".join(cells)}</tr>')
    head = "".join(f'<th scope="col">{_e(t(f"scn.col.{c}", lang))}</th>' for c in KPI_COLUMNS)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _district_rows(cmp: Comparison, lang: str) -> str:
    rows = "".join(
        f"<tr><th scope='row'>{_e(r['name'])}</th>"
        f"<td class='num'>{_e(fmt.number(r['lst_a'], lang, 2))}</td>"
        f"<td class='num'>{_e(fmt.number(r['lst_b'], lang, 2))}</td>"
        f"<td class='num'>{_e(fmt.number(r['lst_delta'], lang, 2))}</td></tr>"
        for r in sorted(cmp.districts, key=lambda r: r["lst_delta"] or 0.0)
    )
    head = "".join(f"<th scope='col'>{_e(t(key, lang))}</th>" for key in (
        "scn.col.district", "scn.col.lst_a", "scn.col.lst_b", "scn.col.lst_delta"))  # fmt: skip
    return f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


STYLE = """
body { font-family: system-ui, sans-serif; color: #1a1a1a; max-width: 1350px; margin: 1rem auto;
       padding: 0 1rem; }
.demo { background: #7a3b00; color: #fff; padding: .4rem .8rem; border-radius: 4px;
        display: inline-block; }
.maps { display: flex; flex-wrap: wrap; gap: 1rem; }
figure { margin: 0; } figcaption { font-weight: 700; margin-bottom: .25rem; }
.legend { width: 420px; font-size: .85rem; margin-top: .3rem; }
.ramp { height: 14px; border: 1px solid #767676; }
.ticks { display: flex; justify-content: space-between; }
table { border-collapse: collapse; margin: .5rem 0 1rem; font-size: .9rem; }
th, td { border: 1px solid #ccc; padding: .2rem .5rem; text-align: left; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
pre { white-space: pre-wrap; font-size: .85rem; }
@media print { figure { break-inside: avoid; } }
"""


def build(
    service: ScenarioService,
    doc_a: Mapping[str, Any],
    doc_b: Mapping[str, Any],
    outlines: Mapping[str, Any],
    lang: str = "de",
    today: dt.date | None = None,
) -> str:
    """The report's HTML for B against A (scenario JSON each); needs a ready service."""
    from dashboard.scenario_state import describe
    from models.heat_response import card_lines
    from models.scenario_spec import from_json

    pack = service.pack
    cmp = service.compare(doc_a, doc_b)
    lo, hi = cmp.lst_scale
    bounds = service.bounds()
    maps = [
        (t("scn.map.a", lang, name=cmp.name_a), service.lst_image(doc_a, hi).png,
         legend(LST_RAMP, lo, hi, t("scn.legend.lst", lang), lang)),
        (t("scn.map.b", lang, name=cmp.name_b), service.lst_image(doc_b, hi).png,
         legend(LST_RAMP, lo, hi, t("scn.legend.lst", lang), lang)),
        (t("scn.map.diff", lang), service.diff_image(doc_a, doc_b).png,
         legend(DIFF_RAMP, -cmp.diff_span, cmp.diff_span, t("scn.legend.diff", lang), lang, True)),
    ]  # fmt: skip
    figures = "".join(
        f"<figure><figcaption>{_e(title)}</figcaption>{map_svg(png, bounds, outlines, lang)}"
        f"{leg}</figure>"
        for title, png, leg in maps
    )
    measures = []
    for name, doc in (("A", doc_a), ("B", doc_b)):
        scenario = from_json(doc)
        items = [describe(i, lang) for i in doc.get("interventions", [])] or [
            t("scn.measures.none", lang)
        ]
        h = scenario.horizon
        horizon = t(f"scn.horizon.{h}", lang) + (
            f" (+{fmt.number(scenario.warming, lang, 1)} °C)" if scenario.warming else ""
        )
        measures.append(
            f"<li><strong>{name}: {_e(scenario.name)}</strong>, {_e(horizon)}<ul>"
            + "".join(f"<li>{_e(i)}</li>" for i in items)
            + "</ul></li>"
        )
    used = [ds for ds in ("grid", "districts", "climate_daily", "plans", "constraints")
            if pack.has(ds)]  # fmt: skip
    sources = "".join(
        f"<li>{_e(pack.dataset(ds).title.get(lang, ds))}: "
        f"{_e(pack.dataset(ds).attribution_text(lang))} ({_e(pack.dataset(ds).licence)})</li>"
        for ds in used
    )
    mae = "–" if cmp.model_mae is None else fmt.number(cmp.model_mae, lang, 2)
    card = "\n".join(card_lines(service.model.card, lang)) if service.model is not None else ""
    date = (today or dt.date.today()).isoformat()
    demo = f'<p class="demo">{_e(t("badge.synthetic", lang))}</p>' if pack.synthetic else ""
    title = t("rep.title", lang, a=cmp.name_a, b=cmp.name_b)
    return (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
        f"<title>{_e(title)}</title><style>{STYLE}</style></head><body>"
        f"<h1>{_e(title)}</h1><p>{_e(pack.city.name)} · {_e(t('rep.made', lang, date=date))}</p>"
        f"{demo}<p>{_e(t('scn.estimate', lang, mae=mae))}</p>"
        f"<h2>{_e(t('rep.measures', lang))}</h2><ul>{''.join(measures)}</ul>"
        f"<h2>{_e(t('rep.maps', lang))}</h2><div class='maps'>{figures}</div>"
        f"<h2>{_e(t('scn.kpis', lang))}</h2>{_kpi_rows(cmp, lang)}"
        f"<h2>{_e(t('scn.districts.table', lang))}</h2>{_district_rows(cmp, lang)}"
        f"<h2>{_e(t('scn.model', lang))}</h2><pre>{_e(card)}</pre>"
        f"<h2>{_e(t('rep.sources', lang))}</h2><ul>{sources}</ul>"
        "</body></html>"
    )


def district_outlines(pack: Any) -> dict[str, Any]:
    """The districts' outlines (GeoJSON, EPSG:4326) for the report's maps."""
    from data.pack import to_geojson

    if not pack.has("districts"):
        return {"type": "FeatureCollection", "features": []}
    return to_geojson(pack.vector("districts")[["geometry"]].copy())


def chromium() -> str | None:
    """A headless-capable Chromium on this machine, or ``None``."""
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return None


def print_pdf(html_file: Path, pdf_file: Path, timeout_s: float = 120.0) -> None:
    """Print the report to PDF with headless Chromium; raises ``RuntimeError`` with what to
    install where there is none, or with Chromium's complaint when it fails."""
    binary = chromium()
    if binary is None:
        raise RuntimeError(
            "no Chromium found for --pdf (looked for chromium, chromium-browser, google-chrome); "
            "install Debian's chromium package, or print the HTML report from a browser"
        )
    command = [binary, "--headless=new", "--no-sandbox", "--disable-gpu",
               "--disable-dev-shm-usage", "--no-pdf-header-footer",
               f"--print-to-pdf={pdf_file}", html_file.resolve().as_uri()]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, timeout=timeout_s, check=False)
    if done.returncode != 0 or not pdf_file.is_file() or pdf_file.stat().st_size == 0:
        raise RuntimeError(f"Chromium could not print the PDF: {done.stderr.strip()[-300:]}")
