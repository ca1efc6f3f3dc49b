"""Planned developments and their land-use conflicts: the ``plans`` outlined, and per plan and
constraint kind the conflict polygon (the part of the plan inside zones of that kind) coloured
by severity **and** outlined differently (hard: thick solid border, soft: dashed), so colour
is never the only cue.

The assessment is :func:`models.conflicts.assess` of the pack's plans and constraints under
the pack's rules (:func:`models.conflict_rules.rules_for_pack`: the pack's
``conflict_rules.toml``, else the demo city's), computed once per pack
(:func:`layers.landuse.words.assessment`). The table lists each plan with its rules, verdict
(``hard, exception possible under § 78 Abs. 2 WHG``), conflict area, share and score; a click
on a plan shows each conflict with its plain-language explanation, reference and exception.
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape
from typing import TYPE_CHECKING, Any

import geopandas as gpd

from data.landuse_vocab import PLAN_STATUSES, PLANNED_USES
from data.pack import CityPack
from layers import fmt, tables, themes
from layers.base import Layer, LayerData, LayerStyle, LayerTable, Legend, TableColumn
from layers.landuse import words
from layers.landuse.words import (
    HARD,
    HARD_STYLE,
    M2_PER_HA,
    PLAN,
    PLAN_STYLE,
    SEVERITY_CLASS,
    SOFT,
    SOFT_STYLE,
    TEXTS,
    assessment,
)
from layers.panels import Facts, Heading, Line, Panel, Part
from layers.texts import Text, text, tr

# the layer's default fill opacity (its opacity slider starts here); the legend's swatches too
OPACITY = 0.6

if TYPE_CHECKING:  # the rule engine loads with the first assessment (words.assessment)
    from models.conflicts import Hit, PlanResult


def _kind_hits(plan: PlanResult) -> dict[str, list[Hit]]:
    """The plan's hits by constraint kind (the rules' file order within a kind)."""
    out: dict[str, list[Hit]] = {}
    for hit in plan.hits:
        out.setdefault(hit.kind, []).append(hit)
    return out


def _plan_name(plan: PlanResult) -> str:
    return plan.name or plan.plan_id


def build(pack: CityPack, lang: str) -> LayerData:
    """Plans (class 1) first, then soft (2) and hard (3) conflict polygons on top."""
    result = assessment(pack)
    ha = text(TEXTS, "ha", lang)
    rows: list[dict[str, Any]] = []
    for plan in result.plans:
        rows.append(
            {
                "plan_id": plan.plan_id,
                "cls": PLAN,
                "severity": "plan",
                "tooltip": f"<strong>{escape(_plan_name(plan))}</strong>"
                f"<br>{escape(tr(PLANNED_USES[plan.use], lang))}"
                f"<br>{escape(plan.verdict(lang))}",
                "geometry": plan.geometry,
            }
        )
    conflicts: list[dict[str, Any]] = []
    for plan in result.plans:
        for hits in _kind_hits(plan).values():
            severity = "hard" if any(h.rule.hard for h in hits) else "soft"
            hit = hits[0]  # the hits of one kind share the polygon
            titles = "<br>".join(
                f"{escape(tr(h.rule.title, lang))} ({escape(h.rule.verdict(lang))})" for h in hits
            )
            conflicts.append(
                {
                    "plan_id": plan.plan_id,
                    "cls": SEVERITY_CLASS[severity],
                    "severity": severity,
                    "tooltip": f"<strong>{escape(text(TEXTS, 'legend.' + severity, lang))}"
                    f"</strong><br>{escape(_plan_name(plan))}<br>{titles}"
                    f"<br>{fmt.number(hit.area_ha, lang, 2)} {ha} "
                    f"({fmt.percent(hit.share, lang)})",
                    "geometry": hit.geometry,
                }
            )
    conflicts.sort(key=lambda r: r["cls"])  # hard drawn last, on top
    gdf = gpd.GeoDataFrame(rows + conflicts, geometry="geometry", crs=result.crs)
    return LayerData(geojson=words.light_geojson(gdf, result.crs))


def style(pack: CityPack, params: Mapping[str, Any], lang: str) -> LayerStyle:
    styles = {str(PLAN): PLAN_STYLE, str(SOFT): SOFT_STYLE, str(HARD): HARD_STYLE}
    colors = [words.PLAN_CHOROPLETH_FILL, SOFT_STYLE["fillColor"], HARD_STYLE["fillColor"]]
    return LayerStyle(
        hideout={
            "prop": "cls",
            "breaks": [float(PLAN), float(SOFT), float(HARD)],
            "colors": colors,
            "styles": styles,
        },
        legend=Legend(
            title=text(TEXTS, "conflicts.title", lang),
            entries=(
                words.legend_entry(PLAN_STYLE, text(TEXTS, "legend.plan", lang), OPACITY),
                words.legend_entry(SOFT_STYLE, text(TEXTS, "legend.soft", lang), OPACITY),
                words.legend_entry(HARD_STYLE, text(TEXTS, "legend.hard", lang), OPACITY),
            ),
            note=text(TEXTS, "rules.note", lang, source=_rules_name(pack, lang)),
        ),
    )


def _rules_name(pack: CityPack, lang: str) -> str:
    """Which rules the assessment used, in words: the pack's own file or the demo default."""
    from models.conflict_rules import DEFAULT_RULES, RULES_FILE, rules_for_pack

    path, _why = rules_for_pack(pack.folder)
    if path == DEFAULT_RULES:
        file = "data/demo/" + RULES_FILE
        return text(TEXTS, "rules.default", lang, file=file, name=RULES_FILE)
    return text(TEXTS, "rules.own", lang, file=path.name)


def _explanations(plan: PlanResult, lang: str) -> str:
    """Each rule hit in plain words: title, explanation and, where the law allows one, the
    exception path."""
    parts = []
    for hit in plan.hits:
        rule = hit.rule
        part = f"{tr(rule.title, lang)} ({rule.verdict(lang)}): {tr(rule.explanation, lang)}"
        if rule.exception:
            part += f" {text(TEXTS, 'exception', lang)}: {tr(rule.exception, lang)}"
        parts.append(part)
    return " | ".join(parts)


@tables.cached_table(maxsize=8)
def table(pack: CityPack, params: Mapping[str, Any], lang: str) -> LayerTable:
    """Per plan: name, planned use, dwellings, the rules it breaks, its verdict, its conflict
    area (all kinds together, counted once) and share, its score, and the explanations."""
    result = assessment(pack)
    rows: list[dict[str, Any]] = []
    for plan in result.plans:
        rows.append(
            {
                "plan_id": plan.plan_id,
                "name": _plan_name(plan),
                "use": tr(PLANNED_USES[plan.use], lang),
                "dwellings": plan.dwellings,
                "conflicts": "; ".join(tr(h.rule.title, lang) for h in plan.hits)
                or text(TEXTS, "none", lang),
                "severity": plan.verdict(lang),
                "conflict_ha": tables.num(plan.footprint_m2 / M2_PER_HA, 2),
                "conflict_share": tables.pct(
                    plan.footprint_m2 / plan.area_m2 if plan.area_m2 else None, 1
                ),
                "score": tables.num(plan.score, 2),
                "explanations": _explanations(plan, lang) or None,
            }
        )
    ha = text(TEXTS, "ha", lang)
    columns = (
        TableColumn("name", text(TEXTS, "plan", lang), "text"),
        TableColumn("use", text(TEXTS, "use", lang), "text"),
        TableColumn("dwellings", text(TEXTS, "dwellings", lang), "number"),
        TableColumn("conflicts", text(TEXTS, "conflicts", lang), "text"),
        TableColumn("severity", text(TEXTS, "severity", lang), "text"),
        TableColumn("conflict_ha", text(TEXTS, "conflict_area", lang), "number", ha, 2),
        TableColumn("conflict_share", text(TEXTS, "conflict_share", lang), "percent", "%", 1),
        TableColumn("score", text(TEXTS, "score", lang), "number", "", 2),
        TableColumn("explanations", text(TEXTS, "explanations", lang), "text"),
    )
    crs = str(pack.city.metric_crs)
    what: Text = {
        "de": "Jedes geplante Vorhaben mit den Regeln, gegen die es verstößt, der Einstufung "
        f"(hart oder weich, mit möglicher Ausnahme), der Konfliktfläche in Hektar (gemessen "
        f"in {crs}; Überlagerungen zählen einmal), ihrem Anteil am Vorhaben und der Schwere "
        "(Summe aus Gewicht × Anteil je Regel). "
        f"Regeln: {_rules_name(pack, lang)}.",
        "en": "Every planned development with the rules it breaks, its verdict (hard or soft, "
        f"with a possible exception), its conflict area in hectares (measured in {crs}; "
        "overlaps count once), its share of the plan and the severity score (sum of weight × "
        f"share per rule). Rules: {_rules_name(pack, lang)}.",
    }
    return LayerTable(
        columns=columns,
        rows=rows,
        caption=tables.caption(pack, lang, tr(what, lang)),
        summary=tables.high_low_sentence(
            rows, "score", "name", tables.number_text("", 2, lang), lang
        ),
        key="plan_id",
    )


def panel(pack: CityPack, plan_id: str, params: Mapping[str, Any], lang: str) -> Panel | None:
    """A plan's facts and each of its conflicts with explanation, reference and exception;
    ``None`` for an unknown plan."""
    result = assessment(pack)
    plan = next((p for p in result.plans if p.plan_id == str(plan_id)), None)
    if plan is None:
        return None
    ha = text(TEXTS, "ha", lang)
    facts = [
        (text(TEXTS, "use", lang), tr(PLANNED_USES[plan.use], lang)),
        (
            text(TEXTS, "status", lang),
            tr(PLAN_STATUSES[plan.status], lang) if plan.status in PLAN_STATUSES else "–",
        ),
        (
            text(TEXTS, "dwellings", lang),
            fmt.number(plan.dwellings, lang) if plan.dwellings is not None else "–",
        ),
        (text(TEXTS, "area", lang), f"{fmt.number(plan.area_ha, lang, 2)} {ha}"),
        (text(TEXTS, "severity", lang), plan.verdict(lang)),
        (
            text(TEXTS, "conflict_area", lang),
            f"{fmt.number(plan.footprint_m2 / M2_PER_HA, lang, 2)} {ha} ("
            f"{fmt.percent(plan.footprint_m2 / plan.area_m2 if plan.area_m2 else None, lang)})",
        ),
        (text(TEXTS, "score", lang), fmt.number(plan.score, lang, 2)),
    ]
    parts: list[Part] = [Heading(_plan_name(plan), id="plan-name"), Facts(tuple(facts))]
    for hit in plan.hits:
        rule = hit.rule
        parts.append(Heading(tr(rule.title, lang), level=4))
        parts.append(
            Line(
                f"{rule.verdict(lang)}: {fmt.number(hit.area_ha, lang, 2)} {ha} "
                f"({fmt.percent(hit.share, lang)})",
                strong=True,
            )
        )
        parts.append(Line(tr(rule.explanation, lang)))
        if rule.exception:
            parts.append(Line(f"{text(TEXTS, 'exception', lang)}: {tr(rule.exception, lang)}"))
        parts.append(
            Line(
                f"{text(TEXTS, 'reference', lang)}: {rule.reference} ({rule.reference_date})",
                note=True,
            )
        )
    parts.append(Line(text(TEXTS, "rules.note", lang, source=_rules_name(pack, lang)), note=True))
    return Panel(tuple(parts))


DESCRIPTION: Text = {
    "de": (
        "Geplante Vorhaben (schwarz umrandet) und wo sie mit Klima- und Schutzflächen in "
        "Konflikt geraten. Harte Konflikte (etwa Bauen im Kern einer Luftleitbahn oder im "
        "Überschwemmungsgebiet) sind dunkel gefüllt mit dickem, durchgezogenem Rand, weiche "
        "hell mit gestricheltem Rand. Die Regeln stehen in einer Datei, die Planende lesen "
        "und ändern können; ein Klick auf ein Vorhaben erklärt jeden Konflikt und nennt "
        "mögliche Ausnahmen."
    ),
    "en": (
        "Planned developments (black outlines) and where they conflict with climate and legal "
        "constraints. Hard conflicts (such as building in a ventilation corridor's core or in "
        "the flood zone) have a dark fill with a thick solid border, soft ones a light fill "
        "with a dashed border. The rules are in a file planners can read and edit; a click on "
        "a plan explains each conflict and names possible exceptions."
    ),
}

LAYER = Layer(
    id="conflicts",
    title=TEXTS["conflicts.title"],
    theme=themes.LANDUSE,
    panel_order=30,
    description=DESCRIPTION,
    requires=("plans", "constraints"),
    render="geojson",
    build=build,
    style=style,
    default_opacity=OPACITY,
    js_style=words.JS_STYLE,
    interactive=True,
    table=table,
    panel=panel,
    panel_key="plan_id",
)
