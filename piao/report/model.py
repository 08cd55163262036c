"""What a document report shows, independent of HTML or Markdown.

`build_report(plan, findings, doc_meta, lang)` groups the findings by area and
objective, counts them per check, and computes per area the objectives × months
schedule heat-map. The HTML and Markdown renderers only lay this out, so the
two files always carry the same content.
"""

from __future__ import annotations

import dataclasses
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from normalize.records import Plan
from piao.checks.registry import REGISTRY, SEVERITIES, describe
from piao.report.i18n import MONTHS, check_lang, tr


@dataclass
class Item:
    """One finding as shown."""

    severity: str
    check: str
    message: str
    expected: str
    found: str
    page: int | None
    line: int | None
    objective_key: str | None

    def where(self, lang: str) -> str:
        parts = []
        if self.page is not None:
            parts.append(f"{tr(lang, 'page')} {self.page}")
        if self.line is not None:
            parts.append(f"{tr(lang, 'line')} {self.line}")
        return ", ".join(parts)


@dataclass
class ObjectiveFindings:
    key: str
    number: str
    title: str
    anchor: str
    items: list[Item]


@dataclass
class HeatRow:
    """One programming year of one card: phases marked per month."""

    key: str
    label: str  # "7", or "1 · 2024" for a later programming year
    title: str
    anchor: str | None  # the card's findings, when it has any
    phases: int
    counts: list[int]  # 12 months
    texts: list[str]  # schedule texts written across the grid ("entro il 31/12/2023")


@dataclass
class AreaSection:
    slug: str
    name: str
    anchor: str
    area_items: list[Item] = field(default_factory=list)
    objectives: list[ObjectiveFindings] = field(default_factory=list)
    heatmap: list[HeatRow] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.area_items) + sum(len(o.items) for o in self.objectives)


@dataclass
class SummaryRow:
    check: str
    severity: str
    description: str
    count: int


@dataclass
class DocReport:
    lang: str
    title: str
    subtitle: str
    meta: list[tuple[str, str]]
    severity_counts: dict[str, int]
    summary: list[SummaryRow]
    doc_items: list[Item]
    areas: list[AreaSection]
    months: tuple[str, ...]

    @property
    def total(self) -> int:
        return sum(self.severity_counts.values())


def _get(obj: Any, name: str) -> Any:
    if isinstance(obj, Mapping):
        return obj.get(name)
    return getattr(obj, name, None)


def _int(v: Any) -> int | None:
    try:
        return None if v is None or v != v else int(v)  # v != v: NaN from a DataFrame
    except (TypeError, ValueError):
        return None


def _str(v: Any) -> str:
    return "" if v is None or (isinstance(v, float) and v != v) else str(v)


def _text(f: Any, lang: str) -> str:
    if lang == "en" and _get(f, "message_en"):
        return str(_get(f, "message_en"))
    return _str(_get(f, "message"))


def _area_of(f: Any) -> str | None:
    slug = _get(f, "area_slug")
    key = _get(f, "objective_key")
    if isinstance(slug, str) and slug:
        return slug
    if isinstance(key, str) and "/" in key:
        return key.split("/", 1)[0]
    return None


def anchor(prefix: str, key: str) -> str:
    return prefix + "-" + "".join(ch if ch.isalnum() else "-" for ch in key)


_SEVERITY_ORDER = {s: i for i, s in enumerate(SEVERITIES)}


def _sort_items(items: list[Item]) -> list[Item]:
    return sorted(
        items, key=lambda i: (_SEVERITY_ORDER.get(i.severity, 9), i.page or 0, i.line or 0)
    )


def _meta(plan: Plan, doc_meta: Mapping[str, Any], lang: str) -> list[tuple[str, str]]:
    period = (
        f"{plan.period_start}–{plan.period_end}"
        if plan.period_start and plan.period_end
        else _str(doc_meta.get("period"))
    )
    rows = [
        ("file", _str(doc_meta.get("file_name") or doc_meta.get("source_path"))),
        ("doc_id", _str(doc_meta.get("doc_id"))),
        ("ente", plan.ente or _str(doc_meta.get("ente_name"))),
        ("period", period),
        ("approval_act", plan.approval_act or _str(doc_meta.get("approval_act"))),
        ("format", _str(doc_meta.get("format"))),
        ("pages", _str(doc_meta.get("pages"))),
        ("cards", str(len(plan.objectives))),
        ("status", _str(doc_meta.get("status"))),
        ("tool_version", _str(doc_meta.get("tool_version"))),
        ("processed_at", _str(doc_meta.get("processed_at"))),
    ]
    return [(tr(lang, k), v) for k, v in rows if v]


def _heatmap(plan: Plan, slug: str, anchors: Mapping[str, str]) -> list[HeatRow]:
    cards = [o for o in plan.objectives if o.area_slug == slug]
    phases_of: dict[tuple[str, int], list] = defaultdict(list)
    for p in plan.phases:
        phases_of[(p.objective_key, p.year_index)].append(p)
    marked: dict[tuple[str, int], list[int]] = defaultdict(lambda: [0] * 12)
    for s in plan.schedule:
        if s.marked and 1 <= s.month <= 12:
            marked[(s.objective_key, s.year_index)][s.month - 1] += 1
    rows = []
    for o in cards:
        years = sorted(y for (k, y) in phases_of if k == o.objective_key)
        for y in years:
            phases = phases_of[(o.objective_key, y)]
            year = phases[0].plan_year
            label = o.number if y == 1 else f"{o.number} · {year or y}"
            rows.append(
                HeatRow(
                    key=o.objective_key,
                    label=label,
                    title=o.title,
                    anchor=anchors.get(o.objective_key),
                    phases=len(phases),
                    counts=list(marked[(o.objective_key, y)]),
                    texts=list(
                        dict.fromkeys(p.schedule_text for p in phases if p.schedule_text.strip())
                    ),
                )
            )
    return rows


def _as_dict(doc_meta: Any) -> Mapping[str, Any]:
    if doc_meta is None:
        return {}
    if dataclasses.is_dataclass(doc_meta) and not isinstance(doc_meta, type):
        return dataclasses.asdict(doc_meta)
    return doc_meta


def build_report(
    plan: Plan, findings: Iterable[Any], doc_meta: Any = None, lang: str = "it"
) -> DocReport:
    """The report's content. `findings` are Finding objects, dicts with the findings-table
    columns, or the findings table itself (a DataFrame, e.g. one document's rows read back
    from data/clean/findings); `doc_meta` a documents-table row (dict or DocumentRow)."""
    lang = check_lang(lang)
    meta = _as_dict(doc_meta)
    if hasattr(findings, "to_dict") and hasattr(findings, "columns"):  # a pandas DataFrame
        findings = findings.to_dict("records")
    items_by_area: dict[str | None, list[Item]] = defaultdict(list)
    counts: Counter = Counter()
    severity_of: dict[str, str] = {}
    for f in findings:
        item = Item(
            severity=_str(_get(f, "severity")) or "info",
            check=_str(_get(f, "check_code")),
            message=_text(f, lang),
            expected=_str(_get(f, "expected")),
            found=_str(_get(f, "found")),
            page=_int(_get(f, "page")),
            line=_int(_get(f, "line")),
            objective_key=_get(f, "objective_key") or None,
        )
        items_by_area[_area_of(f)].append(item)
        counts[item.check] += 1
        severity_of.setdefault(item.check, item.severity)

    summary = [
        SummaryRow(c, s.severity, s.description(lang), counts.get(c, 0))
        for c, s in REGISTRY.items()
    ]
    summary += [
        SummaryRow(c, severity_of[c], describe(c, lang), n)
        for c, n in sorted(counts.items())
        if c not in REGISTRY
    ]
    summary.sort(key=lambda r: (r.count == 0, _SEVERITY_ORDER.get(r.severity, 9)))

    names: dict[str, str] = {}
    for rec in [*plan.objectives, *plan.weights, *plan.staff]:
        names.setdefault(rec.area_slug, rec.area)
    order = list(
        dict.fromkeys(
            [o.area_slug for o in plan.objectives]
            + [w.area_slug for w in plan.weights]
            + [s for s in items_by_area if s]
        )
    )
    cards = {o.objective_key: o for o in plan.objectives}
    areas = []
    for slug in order:
        section = AreaSection(slug=slug, name=names.get(slug, slug), anchor=anchor("area", slug))
        by_key: dict[str, list[Item]] = defaultdict(list)
        for item in items_by_area.get(slug, []):
            (by_key[item.objective_key] if item.objective_key else section.area_items).append(item)
        section.area_items = _sort_items(section.area_items)
        known = [o.objective_key for o in plan.objectives if o.objective_key in by_key]
        for key in known + sorted(k for k in by_key if k not in cards):
            card = cards.get(key)
            section.objectives.append(
                ObjectiveFindings(
                    key=key,
                    number=card.number if card else key.split("/")[-1],
                    title=card.title if card else "",
                    anchor=anchor("obj", key),
                    items=_sort_items(by_key[key]),
                )
            )
        section.heatmap = _heatmap(plan, slug, {o.key: o.anchor for o in section.objectives})
        areas.append(section)

    severity_counts = {s: 0 for s in SEVERITIES}
    for items in items_by_area.values():
        for i in items:
            severity_counts[i.severity] = severity_counts.get(i.severity, 0) + 1
    period = (
        f"{plan.period_start}–{plan.period_end}" if plan.period_start and plan.period_end else ""
    )
    subtitle = " · ".join(
        x
        for x in (plan.ente or _str(meta.get("ente_name")), f"PIAO {period}" if period else "")
        if x
    )
    return DocReport(
        lang=lang,
        title=tr(lang, "doc_title"),
        subtitle=subtitle or _str(meta.get("file_name")),
        meta=_meta(plan, meta, lang),
        severity_counts=severity_counts,
        summary=summary,
        doc_items=_sort_items(items_by_area.get(None, [])),
        areas=areas,
        months=MONTHS[lang],
    )
