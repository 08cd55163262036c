"""The check registry: one small function per check, registered with a stable code.

A check is a generator `fn(ctx: Context, emit: Emit) -> Iterable[Finding]`;
`emit(...)` builds a `Finding` already carrying the check's code and severity,
so a check function only says *what* it found and *where*. Codes are stable
(they are a column of the findings dataset and the keys of the report's
summary): rename one only with a schema version bump.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from piao.checks.reader_codes import DESCRIPTIONS as READER_DESCRIPTIONS
from piao.schemas import Finding as FindingRow

if TYPE_CHECKING:
    from piao.checks.context import Context

SEVERITIES = ("error", "warning", "info")  # most to least severe: the report's order


@dataclass
class Finding(FindingRow):
    """A consistency finding, as written to the findings dataset, plus what a report needs.

    It *is* a `piao.schemas.Finding` (the findings table's row), so the pipeline
    writes it as is; `message_en` (the same message in English; `message` is
    Italian) is for reports only, not a column.
    """

    message_en: str = ""


class Emit(Protocol):
    def __call__(
        self,
        *,
        it: str,
        en: str,
        objective_key: str | None = None,
        area_slug: str | None = None,
        expected: str | None = None,
        found: str | None = None,
        page: int | None = None,
        line: int | None = None,
    ) -> Finding: ...


CheckFn = Callable[["Context", Emit], Iterable[Finding]]


@dataclass(frozen=True)
class CheckSpec:
    code: str
    severity: str
    description_it: str
    description_en: str
    fn: CheckFn

    def description(self, lang: str = "it") -> str:
        return self.description_en if lang == "en" else self.description_it

    def emitter(self) -> Emit:
        def emit(
            *,
            it: str,
            en: str,
            objective_key: str | None = None,
            area_slug: str | None = None,
            expected: str | None = None,
            found: str | None = None,
            page: int | None = None,
            line: int | None = None,
        ) -> Finding:
            if area_slug is None and objective_key and "/" in objective_key:
                area_slug = objective_key.split("/", 1)[0]
            return Finding(
                check_code=self.code,
                severity=self.severity,
                message=it,
                objective_key=objective_key,
                expected=expected,
                found=found,
                page=page,
                line=line,
                message_en=en,
                area_slug=area_slug,
            )

        return emit


# code → spec, in registration order (the order of the report's summary table)
REGISTRY: dict[str, CheckSpec] = {}


def check(code: str, severity: str, *, it: str, en: str) -> Callable[[CheckFn], CheckFn]:
    """Register `fn` as the check `code` ("weights.total_mismatch") with a one-line description."""
    if severity not in SEVERITIES:
        raise ValueError(f"{code}: severity {severity!r} is not one of {SEVERITIES}")

    def register(fn: CheckFn) -> CheckFn:
        if code in REGISTRY:
            raise ValueError(f"check code {code!r} registered twice")
        REGISTRY[code] = CheckSpec(code, severity, it, en, fn)
        return fn

    return register


# Codes that are not registered checks but still appear in the findings table:
# reader warnings ("reader.<what>"), normaliser notes ("parser.<note check>") and a
# check that crashed.
NOTE_PREFIX = "parser."
CHECK_FAILED = "checks.failed"

_OTHER_DESCRIPTIONS: dict[str, tuple[str, str]] = {
    **READER_DESCRIPTIONS,  # the reader's warnings (piao/checks/reader.py)
    CHECK_FAILED: ("Controllo non eseguito per un errore interno", "Check not run: internal error"),
    "parser.month_header_truncated": (
        "Intestazione dei mesi del cronoprogramma incompleta: colonne attribuite per posizione",
        "Schedule month header incomplete: columns assigned by position",
    ),
    "parser.label_missing": (
        "Etichetta della scheda mancante: valore preso dalla posizione",
        "Card label missing: value taken from its position",
    ),
    "parser.grid_without_months": (
        "Cronoprogramma senza riga dei mesi",
        "Schedule grid without a month header row",
    ),
    "parser.mark_outside_grid": (
        "Segno fuori dalle colonne dei mesi",
        "Mark outside the month columns",
    ),
    "parser.ink_mark": (
        "Mese segnato riconosciuto dall'inchiostro nella cella (testo OCR illeggibile)",
        "Month mark recognised by the ink in its cell (OCR text unreadable)",
    ),
    "parser.no_objectives": (
        "Nessun obiettivo riconosciuto nel documento",
        "No objective recognised in the document",
    ),
    "parser.area_unknown": (
        "Area dell'obiettivo non trovata: la chiave lo distingue comunque",
        "The objective's area was not found: its key still tells it apart",
    ),
    "parser.title_guessed": (
        "Titolo dell'obiettivo non stampato a parte: presa la prima frase",
        "Objective title not printed apart: its first sentence taken",
    ),
    "parser.ente_from_running_header": (
        "Ente letto dall'intestazione ripetuta delle pagine",
        "Entity read from the running page header",
    ),
    "parser.ocr_code_read_as": (
        "Codice della riga di pesatura letto male dall'OCR: attribuito alla scheda che "
        "gli somiglia",
        "Weight row code misread by OCR: given to the card it resembles",
    ),
    "parser.year_label_missing": (
        "Cronoprogramma senza l'etichetta ANNO DI PROGRAMMAZIONE",
        "Schedule grid without an ANNO DI PROGRAMMAZIONE label",
    ),
}


def describe(code: str, lang: str = "it") -> str:
    """One-line description of any code found in a findings table."""
    if code in REGISTRY:
        return REGISTRY[code].description(lang)
    if code in _OTHER_DESCRIPTIONS:
        it, en = _OTHER_DESCRIPTIONS[code]
        return en if lang == "en" else it
    if code.startswith(NOTE_PREFIX):
        rest = code[len(NOTE_PREFIX) :].replace("_", " ")
        return f"Parser note: {rest}" if lang == "en" else f"Nota del lettore: {rest}"
    return code
