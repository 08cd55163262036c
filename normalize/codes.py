"""The entity's registry codes, from its registry card: the keys analysts join plans on.

- codice ISTAT: 6 digits, kept as text (the leading zero of "017046" is part of it);
- codice fiscale / partita IVA of a public body: 11 digits whose last is the check digit
  of the partita IVA algorithm (odd positions summed, even ones doubled minus 9 when
  over 9; check = (10 - sum mod 10) mod 10). Card labels print "C.F ... / P.IVA ...":
  the codice fiscale is the one after "C.F"/"fiscale", else the first 11-digit number;
- IPA code, kept as printed, with its form: `ente` for a body's code (`c_b157`: `c_` +
  cadastral code for a comune; `r_lazio`, `cm_rm`, …) or `uff_fe` for the 6-character
  office code of electronic invoicing (`KCT36W`), which cards also print as "Codice Ipa".

A printed code that is not of its form is not guessed at: the column stays empty and
the value is reported (`Malformed`), so a check can turn it into a finding.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from normalize.records import EntityField

_ISTAT_LABEL = re.compile(r"\bistat\b", re.IGNORECASE)
_FISCAL_LABEL = re.compile(r"fiscale|\bc\.?\s*f\b|p\.?\s*iva|partita\s+iva", re.IGNORECASE)
_IPA_LABEL = re.compile(r"\bipa\b|\bi\.p\.a\b", re.IGNORECASE)

_DIGIT_RUN = re.compile(r"\d[\d .]*\d|\d")
_CF_FIRST = re.compile(r"(?:c\.?\s*f\.?|fiscale)\s*:?\s*(\d[\d ]*\d)", re.IGNORECASE)
_IPA_ENTE = re.compile(r"^[a-z][a-z0-9]*_[a-z0-9_]+$", re.IGNORECASE)
_IPA_UFF_FE = re.compile(r"^[A-Z0-9]{6}$", re.IGNORECASE)


@dataclass
class Malformed:
    code: str  # "istat_code", "codice_fiscale", "ipa_code"
    label: str  # the card label as printed
    value: str  # the value as printed
    reason: str  # in English: what is wrong with it
    page: int | None = None
    line: int | None = None


@dataclass
class EntityCodes:
    istat_code: str | None = None
    codice_fiscale: str | None = None
    ipa_code: str | None = None
    ipa_code_kind: str | None = None  # "ente" or "uff_fe"
    malformed: list[Malformed] = field(default_factory=list)


def partita_iva_ok(digits: str) -> bool:
    """11 digits with a valid partita IVA / numeric codice fiscale check digit."""
    if not re.fullmatch(r"\d{11}", digits):
        return False
    total = 0
    for i, ch in enumerate(digits[:10]):
        d = int(ch)
        if i % 2:  # 2nd, 4th, … digit
            d = d * 2 - 9 if d * 2 > 9 else d * 2
        total += d
    return (10 - total % 10) % 10 == int(digits[10])


def entity_codes(entity: Iterable[EntityField]) -> EntityCodes:
    """The codes printed on the registry card (first field of each kind that prints one)."""
    out = EntityCodes()
    for f in entity:
        label, value = f.field or "", (f.value or "").strip()
        if not value:
            continue
        where = {"page": f.page, "line": f.line}
        if _ISTAT_LABEL.search(label) and out.istat_code is None:
            _istat(out, label, value, where)
        elif _IPA_LABEL.search(label) and out.ipa_code is None:
            _ipa(out, label, value, where)
        elif _FISCAL_LABEL.search(label) and out.codice_fiscale is None:
            _fiscal(out, label, value, where)
    return out


def _istat(out: EntityCodes, label: str, value: str, where: dict) -> None:
    digits = re.sub(r"[\s.]", "", value)
    if re.fullmatch(r"\d{6}", digits):
        out.istat_code = digits
    else:
        out.malformed.append(Malformed("istat_code", label, value, "not 6 digits", **where))


def _fiscal(out: EntityCodes, label: str, value: str, where: dict) -> None:
    m = _CF_FIRST.search(value)
    candidates = [m.group(1)] if m else []
    candidates += _DIGIT_RUN.findall(value)
    numbers = [re.sub(r"[ .]", "", c) for c in candidates]
    elevens = [n for n in numbers if len(n) == 11]
    if not elevens:
        shown = next((n for n in numbers if len(n) >= 8), value)
        out.malformed.append(Malformed("codice_fiscale", label, value,
                                       f"{shown!r} is not 11 digits", **where))
        return
    first = elevens[0]
    if partita_iva_ok(first):
        out.codice_fiscale = first
    else:
        out.malformed.append(Malformed("codice_fiscale", label, value,
                                       f"{first}: the check digit is wrong", **where))


def _ipa(out: EntityCodes, label: str, value: str, where: dict) -> None:
    token = value.split()[0].strip(".,;:") if value.split() else ""
    if _IPA_ENTE.fullmatch(token):
        out.ipa_code, out.ipa_code_kind = token, "ente"
    elif _IPA_UFF_FE.fullmatch(token) and len(value.split()) == 1:
        out.ipa_code, out.ipa_code_kind = token, "uff_fe"
    else:
        out.malformed.append(Malformed("ipa_code", label, value, "neither a body code "
                                       "(c_b157) nor a 6-character office code (KCT36W)", **where))
