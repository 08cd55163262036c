"""The entity's registry codes (normalize/codes.py): a printed code of the wrong form."""

from __future__ import annotations

from collections.abc import Iterator

from normalize.codes import entity_codes
from piao.checks.context import Context
from piao.checks.registry import Emit, Finding, check

_NAMES_IT = {"istat_code": "codice ISTAT", "codice_fiscale": "codice fiscale / partita IVA",
             "ipa_code": "codice IPA"}
_EXPECTED = {"istat_code": "6 cifre", "codice_fiscale": "11 cifre con cifra di controllo valida",
             "ipa_code": "c_xxxx (ente) o 6 caratteri (ufficio di fatturazione)"}


@check(
    "codes.malformed",
    "warning",
    it="Un codice dell'ente (ISTAT, codice fiscale, IPA) stampato nella scheda anagrafica non è "
    "nella forma valida",
    en="An entity code (ISTAT, codice fiscale, IPA) printed on the registry card is malformed",
)
def malformed(ctx: Context, emit: Emit) -> Iterator[Finding]:
    for m in entity_codes(ctx.plan.entity).malformed:
        yield emit(
            it=f"{_NAMES_IT[m.code]} non valido: «{m.value}» ({m.label})",
            en=f"malformed {m.code}: {m.value!r} ({m.label}): {m.reason}",
            expected=_EXPECTED[m.code], found=m.value, page=m.page, line=m.line,
        )
