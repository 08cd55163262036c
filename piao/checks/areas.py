"""Areas: one area printed under different names in different sections."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from normalize.text import fold, squash
from piao.checks.context import TRANSVERSAL_SLUG, Context
from piao.checks.registry import Emit, Finding, check

# Where each kind of record takes its area name from, for the message.
_SOURCES = (
    ("objectives", "intestazione di sezione", "section heading"),
    ("weights", "tabella di pesatura", "weight table"),
    ("staff", "tabella del personale", "staff table"),
    ("outputs", "tabella dei servizi diretti", "output table"),
)


@check(
    "areas.name_variants",
    "info",
    it="La stessa area è stampata con nomi diversi in sezioni diverse",
    en="The same area is printed under different names in different sections",
)
def name_variants(ctx: Context, emit: Emit) -> Iterator[Finding]:
    # The records keep `area` as printed and share `area_slug`; this says where they differ.
    seen: dict[str, dict[str, tuple[str, str, str, object]]] = {}
    counts: dict[str, Counter] = {}
    for attr, where_it, where_en in _SOURCES:
        for rec in getattr(ctx.plan, attr):
            slug, name = rec.area_slug, squash(rec.area)
            if not slug or not name or slug == TRANSVERSAL_SLUG:
                continue
            folded = fold(name)
            counts.setdefault(slug, Counter())[folded] += 1
            seen.setdefault(slug, {}).setdefault(folded, (name, where_it, where_en, rec))
    for slug, names in seen.items():
        if len(names) < 2:
            continue
        # The name of the area's own section (its cards) is the reference; else the commonest.
        reference = next(
            (f for f, v in names.items() if v[1] == _SOURCES[0][1]),
            counts[slug].most_common(1)[0][0],
        )
        ref_name = names[reference][0]
        others = [v for f, v in names.items() if f != reference]
        found_it = "; ".join(f"{n} ({w})" for n, w, _, _ in others)
        found_en = "; ".join(f"{n} ({w})" for n, _, w, _ in others)
        first = others[0][3]
        yield emit(
            it=f'Area "{ref_name}" stampata anche come {found_it}',
            en=f'Area "{ref_name}" also printed as {found_en}',
            area_slug=slug,
            expected=ref_name,
            found=found_it,
            page=getattr(first, "page", None),
            line=getattr(first, "line", None),
        )
