"""People on the cards (RISORSE UMANE ASSEGNATE): their shares, and the staff tables."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from rapidfuzz.distance import Levenshtein

from normalize.people import match_staff, name_key
from normalize.records import Assignment
from piao.checks.context import Context
from piao.checks.registry import Emit, Finding, check
from piao.checks.text import num

# Shares are printed as whole percentages; 99.5..100.5 is 100.
_SHARE_TOLERANCE = 0.5


def _shared(assignments: list[Assignment]) -> list[Assignment]:
    return [a for a in assignments if a.share_pct is not None]


def _per_person(shares: list[float]) -> bool:
    """Shares that cannot be a split of the objective's work: someone at 100% and others too.

    Most cards split the work ("Gloria Martinelli (60%), Silvia Leorati (40%)"; in the seed
    every card with shares but two sums to 100). Polizia Locale 1 prints "Marco ROMANO 100%
    Giovanni CANDALICE 100% Francesco CANGELOSI 50%": each person's own time on the
    objective. A sum over 100 with a 100% among several people can only be read that way,
    so it is reported as a different convention (info), not as a wrong sum."""
    return len(shares) >= 2 and sum(shares) > 100 and max(shares) >= 100 - _SHARE_TOLERANCE


@check(
    "shares.total_mismatch",
    "warning",
    it="Le quote percentuali delle risorse umane di una scheda non sommano a 100",
    en="The staff percentage shares of a card do not add up to 100",
)
def shares_total(ctx: Context, emit: Emit) -> Iterator[Finding]:
    # Cards naming people without any share (e.g. "Romano - Cangelosi") say nothing to add up.
    for key, people in ctx.assignments.items():
        shared = _shared(people)
        shares = [a.share_pct for a in shared]
        if not shares or abs(sum(shares) - 100) <= _SHARE_TOLERANCE or _per_person(shares):
            continue
        listed = " + ".join(num(s) for s in shares)
        hint_it = hint_en = ""
        if len(set(shares)) == 1 and len(shares) > 1 and round(100 / len(shares)) == shares[0]:
            hint_it = f" (100/{len(shares)} arrotondato?)"
            hint_en = f" (100/{len(shares)} rounded?)"
        yield emit(
            it=f"Quote delle risorse umane {listed} = {num(sum(shares))}%, non 100%{hint_it}",
            en=f"Staff shares {listed} = {num(sum(shares))}%, not 100%{hint_en}",
            objective_key=key,
            expected="100",
            found=f"{listed} = {num(sum(shares))}",
            page=shared[0].page,
            line=shared[0].line,
        )


@check(
    "shares.per_person",
    "info",
    it="Le quote sono la parte di tempo di ciascuno (sommano a più di 100): "
    "non si confrontano con 100",
    en="Shares are each person's own time (they add up to more than 100): not compared with 100",
)
def shares_per_person(ctx: Context, emit: Emit) -> Iterator[Finding]:
    for key, people in ctx.assignments.items():
        shared = _shared(people)
        shares = [a.share_pct for a in shared]
        if not shares or not _per_person(shares) or abs(sum(shares) - 100) <= _SHARE_TOLERANCE:
            continue
        listed = ", ".join(f"{a.person} {num(a.share_pct)}%" for a in shared)
        yield emit(
            it=f"Quote lette come tempo di ciascuno: {listed} (totale {num(sum(shares))}%)",
            en=f"Shares read as each person's own time: {listed} (total {num(sum(shares))}%)",
            objective_key=key,
            expected=None,
            found=listed,
            page=shared[0].page,
            line=shared[0].line,
        )


# A name on a card that is in no staff table and not among the weight tables' heads is
# probably a staff member misspelled when it is within two letters of one (compared
# without case, accents and word order; a lone surname against each word of the names):
# "Masperi" / "Maspero Manuela", "Ortensia Gisotti" / "ORTENZIA GISOTTI", "Cesaere
# Ghilardi" / "Cesare Ghilardi" are one letter apart. A similarity score alone is not
# enough: "Cangelosi" scores 80/100 against the word "Angelo" (three letters apart).
MAX_EDITS = 2

# A note in brackets that says the person is not municipal staff:
# "Pasini Alice (Cooperativa Abibook)", "Riva Martina Maria (Servizio civile)".
_EXTERNAL = re.compile(
    r"\((?=[^)]*\b(coop|cooperativa|servizio civile|volontari[oa]?|ditta|societ|"
    r"esterno|esterna|incaricat|tirocin|stagist|lsu)\b)[^)]*\)",
    re.I,
)


def _exact(person: str, names: list[str]) -> bool:
    return match_staff(person, names)[1] == 100


def _edits(person: str, name: str) -> int:
    """Letters to change to turn `person` into `name` (a lone surname: into one of its words)."""
    p, n = name_key(person), name_key(name)
    if " " not in p:
        return min(Levenshtein.distance(p, word) for word in n.split())
    return Levenshtein.distance(p, n)


def closest(person: str, names: list[str]) -> tuple[str, int] | None:
    """The name `person` is probably a misspelling of, with the number of letters that differ."""
    best = min(((n, _edits(person, n)) for n in names), key=lambda x: x[1], default=None)
    if best is None or best[1] > MAX_EDITS or best[1] * 4 > len(name_key(person)):
        return None
    return best


@dataclass
class _Absent:
    """One misspelled or unknown name in one area, with every card it is printed on."""

    area_slug: str
    probable: tuple[str, int] | None
    variants: list[str] = field(default_factory=list)
    first: Assignment | None = None
    cards: list[str] = field(default_factory=list)


def _unknown_people(ctx: Context) -> tuple[list[_Absent], list[Assignment]]:
    """(names in no staff table nor among the heads, people the card marks as external).

    Only cards of areas that print a staff table are looked at: without one there is
    nothing to compare with (people.no_staff_table says so, once per area)."""
    absent: dict[tuple[str, str], _Absent] = {}
    external: list[Assignment] = []
    known = ctx.all_staff + ctx.heads
    for a in ctx.plan.assignments:
        card = ctx.cards.get(a.objective_key)
        if a.is_group or not a.person or card is None or card.area_slug not in ctx.staff_by_area:
            continue
        # Staff of another area and area heads work on cards of any area: not absent.
        if _exact(a.person, known):
            continue
        if _EXTERNAL.search(a.person_raw):
            external.append(a)
            continue
        probable = closest(a.person, known)
        group_key = (card.area_slug, probable[0] if probable else name_key(a.person))
        entry = absent.setdefault(group_key, _Absent(card.area_slug, probable, first=a))
        if a.person not in entry.variants:
            entry.variants.append(a.person)
        if a.objective_key not in entry.cards:
            entry.cards.append(a.objective_key)
    return list(absent.values()), external


@check(
    "people.not_in_staff",
    "warning",
    it="Una persona indicata in una scheda non è nella tabella del personale "
    "(né tra i responsabili)",
    en="A person named on a card is not in the staff tables (nor among the area heads)",
)
def not_in_staff(ctx: Context, emit: Emit) -> Iterator[Finding]:
    # One finding per name and area, however many cards print it: "Masperi" on 12
    # cards is one spelling to fix, listed with the cards it appears on.
    for entry in _unknown_people(ctx)[0]:
        names = ", ".join(f'"{v}"' for v in entry.variants)
        cards = ", ".join(entry.cards)
        if entry.probable:
            name, edits = entry.probable
            it = (
                f"Nome non presente nella tabella del personale: {names}; probabilmente {name} "
                f"({edits} {'lettera diversa' if edits == 1 else 'lettere diverse'}); "
                f"schede: {cards}"
            )
            en = (
                f"Name not in the staff table: {names}; probably {name} "
                f"({edits} letter{'' if edits == 1 else 's'} apart); cards: {cards}"
            )
        else:
            it = f"Nome non presente in nessuna tabella del personale: {names}; schede: {cards}"
            en = f"Name in no staff table: {names}; cards: {cards}"
        first = entry.first
        yield emit(
            it=it,
            en=en,
            objective_key=entry.cards[0],
            expected=entry.probable[0] if entry.probable else None,
            found="; ".join(entry.variants),
            page=first.page if first else None,
            line=first.line if first else None,
        )


@check(
    "people.external",
    "info",
    it="Una persona indicata in una scheda è esterna all'ente (cooperativa, servizio civile…)",
    en="A person named on a card is not municipal staff (cooperative, civil service…)",
)
def external_people(ctx: Context, emit: Emit) -> Iterator[Finding]:
    for a in _unknown_people(ctx)[1]:
        yield emit(
            it=f"{a.person_raw}: non è nella tabella del personale, indicata come esterna",
            en=f"{a.person_raw}: not in the staff table, marked as external",
            objective_key=a.objective_key,
            found=a.person_raw,
            page=a.page,
            line=a.line,
        )


@check(
    "people.no_staff_table",
    "info",
    it="Un'area indica persone nelle schede ma non ha una tabella del personale",
    en="An area names people on its cards but prints no staff table",
)
def no_staff_table(ctx: Context, emit: Emit) -> Iterator[Finding]:
    if not ctx.staff_by_area:
        return  # no staff table anywhere in the document: nothing to say per area
    seen: set[str] = set()
    for a in ctx.plan.assignments:
        card = ctx.cards.get(a.objective_key)
        if a.is_group or card is None or card.is_transversal or card.area_slug in ctx.staff_by_area:
            continue
        if card.area_slug in seen:
            continue
        seen.add(card.area_slug)
        yield emit(
            it=f"{card.area}: le schede indicano persone, ma l'area non ha una tabella del "
            "personale con cui confrontarle",
            en=f"{card.area}: the cards name people, but the area prints no staff table to "
            "compare them with",
            area_slug=card.area_slug,
            page=card.page_first,
            line=card.line,
        )
