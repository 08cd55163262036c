"""People on cards: split RISORSE UMANE ASSEGNATE into persons with shares, match to staff.

Forms seen in the seed: "Gloria Martinelli (60%), Silvia Leorati (40%)",
"50 % Paderni - 50% Masperi", "Bozza Angelo 5% - Cella Sabrina 95%",
"Marco ROMANO 100% Giovanni CANDALICE 100% …", "Tutti i dipendenti + Segretario Generale",
"Servizi Sociali: Dott.ssa Sara Lazzaroni (20%)", "Pasini Alice (Cooperativa Abibook)".
"""

from __future__ import annotations

import re

from rapidfuzz import fuzz, process

from normalize.records import Plan
from normalize.text import fold, squash

_SEPARATORS = re.compile(r"\s*[,;+]\s*|\s+[-–—]\s*|\s*[-–—]\s+|(?<=[a-z.])\s*[-–]\s*(?=[A-Z])")
_PCT = re.compile(r"\(?\s*(\d+(?:[.,]\d+)?)\s*%\s*\)?")
_TITLES = re.compile(
    r"\b(?:dott\.?\s*ssa|d\.?\s*ssa|dott\.?|dr\.?|arch\.?|ing\.?|geom\.?|avv\.?|rag\.?|sig\.?\s*ra|sig\.?|"
    r"commissario\s+capo|prof\.?\s*ssa|prof\.?)(?=\s|$)\.?",
    re.I,
)
_GROUP = re.compile(
    r"\b(tutt[io]|personale|dipendenti|responsabili|segretario|servizio\s+civile|operatore|cooperativa)\b",
    re.I,
)


def _split_by_shares(fragment: str) -> list[str]:
    """ "Marco ROMANO 100% Giovanni CANDALICE 100%" → one piece per share."""
    pcts = list(_PCT.finditer(fragment))
    leading = bool(pcts) and not fragment[: pcts[0].start()].strip()
    if leading:
        cuts = [m.start() for m in pcts[1:]]
    else:  # a share closes its person: cut after it when a name follows
        cuts = [m.end() for m in pcts if re.search(r"[A-Za-z]", fragment[m.end() :])]
    pieces, start = [], 0
    for c in cuts:
        pieces.append(fragment[start:c])
        start = c
    pieces.append(fragment[start:])
    return [p for p in pieces if p.strip()]


def person_name(piece: str) -> str:
    """Titles, shares, roles before a title and notes in brackets removed: the derived name."""
    s = _PCT.sub(" ", piece)
    s = re.sub(r"\([^)]*\)", " ", s)
    s = s.split(":")[-1]  # "Servizi Sociali: Dott.ssa …"
    titles = list(_TITLES.finditer(s))
    if titles:  # "Responsabile Area … Dott.ssa Marcella Vitali" → after the last title
        s = s[titles[-1].end() :]
    return squash(s).strip(" .-–")


def split_people(text: str) -> list[tuple[str, str, float | None, bool]]:
    """(raw piece, person, share %, is_group) for each person named in the text."""
    out = []
    for fragment in _SEPARATORS.split(squash(text)):
        for piece in _split_by_shares(fragment):
            raw = piece.strip(" .")
            if not raw:
                continue
            m = _PCT.search(raw)
            share = float(m.group(1).replace(",", ".")) if m else None
            name = person_name(raw)
            if not name and share is None:
                continue
            out.append((raw, name, share, bool(_GROUP.search(name))))
    return out


def name_key(name: str) -> str:
    """A name for comparison: folded, lower case, words sorted ("ROMANO Marco" = "Marco Romano")."""
    return " ".join(sorted(fold(name).lower().split()))


def match_staff(person: str, staff_names: list[str]) -> tuple[str | None, float | None]:
    """Best staff name for a person (token order and case ignored), with its score.

    A surname alone ("Masperi") is compared with each staff name's single tokens."""
    if not person or not staff_names:
        return None, None
    keys = {n: name_key(n) for n in staff_names}
    target = name_key(person)
    if " " not in target:
        best, best_score = None, 0.0
        for n, k in keys.items():
            score = max(fuzz.ratio(target, tok) for tok in k.split())
            if score > best_score:
                best, best_score = n, score
        return best, round(best_score, 1)
    hit = process.extractOne(target, keys, scorer=fuzz.token_sort_ratio)
    if hit is None:
        return None, None
    _, score, name = hit
    return name, round(score, 1)


def link_people(plan: Plan) -> None:
    """Match each person named on a card to the staff tables: the card's area first."""
    by_area: dict[str, list[str]] = {}
    for s in plan.staff:
        by_area.setdefault(s.area_slug, []).append(s.name)
    everyone = [s.name for s in plan.staff]
    area_of = {o.objective_key: o.area_slug for o in plan.objectives}
    for a in plan.assignments:
        if a.is_group:
            continue
        names = by_area.get(area_of.get(a.objective_key, ""), []) or everyone
        a.staff_match, a.staff_score = match_staff(a.person, names)
        if a.staff_score is not None and a.staff_score < 100 and everyone is not names:
            other, score = match_staff(a.person, everyone)
            if score is not None and score > a.staff_score:
                a.staff_match, a.staff_score = other, score
