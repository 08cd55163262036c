"""Card labels as data: each field of an objective card and the spellings seen in the wild.

A new card template is a new synonym here, not a new parser. Patterns are matched
against `text.fold()`-ed cell text (upper case, no accents, straight quotes) at the
start of a cell; the label may end with ":" and the value may follow in the same cell
or in the next cells of the row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from normalize.text import fold, squash


@dataclass(frozen=True)
class Label:
    field: str
    pattern: re.Pattern
    whole_cell: bool = False  # the label must be the whole cell text (value in the next cell)
    mandatory: bool = True


def _p(rx: str) -> re.Pattern:
    return re.compile(r"^\s*(?:" + rx + r")\s*:?\s*", re.I)


# Spellings gathered from plans of many comuni (PEG/PDO/PIAO schede obiettivo): the
# sample and development plans use only a few of them; the others are how other
# templates print the same field ("RESPONSABILE DEL SERVIZIO", "OBIETTIVO STRATEGICO DUP",
# "STATO DI ATTUAZIONE", "PERSONALE COINVOLTO", "CODICE OBIETTIVO", "TITOLO OBIETTIVO").
_OF_UNIT = r"(?:\s+(?:DEL|DELLO|DELLA|DELL\s*'\s*|DI)\s*(?:SERVIZIO|SETTORE|AREA|UFFICIO|U\.?O\.?|UNITA|STRUTTURA|OBIETTIVO|PROCEDIMENTO))?"
_OBJ = r"(?:\s+(?:DELL\s*'\s*)?OB+IETTIVO)?"
# what kind of objective a card's number label may name
_KIND = (r"(?:(?:OPERATIVO|GESTIONALE|ESECUTIVO|SPECIFICO|ANNUALE|INDIVIDUALE"
         r"|DI\s+(?:PERFORMANCE|PEG|P\.?D\.?O\.?|GESTIONE|MIGLIORAMENTO|SVILUPPO))\s+)?")
CARD_LABELS: tuple[Label, ...] = (
    Label("missione", _p(r"MISSIONE"), whole_cell=True),
    Label("programma", _p(r"PROGRAMMA"), whole_cell=True),
    Label(
        "dup_objective",
        _p(
            r"OB+IETTIVO\s+(?:OPERATIV[OI]|STRATEGIC[OI])\s+(?:DEL\s+)?D\.?U\.?P\.?"
            r"|OB+IETTIVO\s+(?:OPERATIV[OI]|STRATEGIC[OI])(?:\s+DI\s+RIFERIMENTO)?"
            r"|LINEA\s+(?:PROGRAMMATICA|STRATEGICA|DI\s+MANDATO)"
            r"|(?:COLLEGAMENTO|RACCORDO)\s+(?:CON\s+IL|AL)\s+D\.?U\.?P\.?"
            r"|(?:INDIRIZZ[OI]|AMBIT[OI])\s+STRATEGIC[OI]|OB+IETTIVO\s+DI\s+MANDATO"
        ),
        whole_cell=True,
    ),
    Label(
        "responsible",
        _p(
            r"(?:DIRIGENTE\s+)?RESPONSABILE" + _OF_UNIT + r"(?:\s+(?:P\.?O\.?|E\.?Q\.?))?"
            r"|DIRIGENTE" + _OF_UNIT + r"|REFERENTE" + _OF_UNIT
            + r"|(?:TITOLARE|INCARICATO)\s+DI\s+(?:P\.?O\.?|E\.?Q\.?|POSIZIONE\s+ORGANIZZATIVA"
            r"|ELEVATA\s+QUALIFICAZIONE)"
            r"|RESPONSABILE\s+GESTIONALE|CAPO\s+(?:SETTORE|AREA|SERVIZIO|UFFICIO|RIPARTIZIONE)"
            r"|ASSEGNATARI[OA](?:\s+(?:DELL\s*'\s*)?OB+IETTIVO)?"
        ),
        whole_cell=True,
    ),
    Label(
        "number",
        _p(
            # "OBIETTIVO OPERATIVO N. 3", "OBIETTIVO DI PERFORMANCE N. 2" (not STRATEGICO:
            # a DUP heading over several cards)
            r"(?:SCHEDA\s+)?(?:OB+IETTIVO\s+" + _KIND + r"|OB\.\s*)"
            r"(?:N\s*[°.º,]?|NR\.?|NUM(?:ERO)?\.?|COD(?:ICE)?\.?)"
            # the number follows; OCR may have eaten the point and space ("NAG4"), but
            # "OBIETTIVO NAZIONALE" is no number
            r"(?=[\s\d]|$|[A-Z]{1,4}\d)"
            r"|(?:CODICE|COD\.|NUMERO|N\.|ID)\s+OB+IETTIVO\b"
            r"|SCHEDA\s+(?:N\s*[°.º]|NR\.?)(?=\s*\w)"
        ),
    ),
    Label(
        "title",
        _p(r"(?:DENOMINAZIONE|TITOLO|NOME)" + _OBJ + r"|OGGETTO" + _OBJ),
    ),
    # "OBIETTIVO | Digitalizzazione …": the bare word heads the title cell of many cards
    Label("title", _p(r"OB+IETTIVO(?:\s+(?:OPERATIVO|GESTIONALE|ANNUALE|SPECIFICO|ESECUTIVO"
                      r"|DI\s+(?:PERFORMANCE|PEG|P\.?D\.?O\.?|GESTIONE|MIGLIORAMENTO|SVILUPPO)))?"),
          whole_cell=True),
    Label(
        "description",
        _p(
            # not a phase table's "DESCRIZIONE FASE" / "DESCRIZIONE ATTIVITÀ" column
            r"DESCRIZIONE(?!\s+(?:DELLE?\s+|DEGLI\s+)?"
            r"(?:FASI?|ATTIVITA|AZION|INTERVENT|ADEMPIMENT|OPERAZION))"
            r"(?:\s+(?:SINTETICA|ANALITICA|ESTESA|DETTAGLIATA|BREVE))?"
            + _OBJ + r"(?:\s+DEI\s+CONTENUTI)?"
            r"|FINALITA(?:\s*'|\b)" + _OBJ
        ),
    ),
    # one word that heads the description cell in other templates: alone or with a colon,
    # since "Contenuti minimi del bando…" may open a value
    Label("description", _p(r"(?:CONTENUT[OI]|SCOPO|MOTIVAZION[EI]|ILLUSTRAZIONE|SINTESI"
                            r"|DETTAGLIO)" + _OBJ), whole_cell=True),
    Label(
        "result_indicators",
        _p(
            r"INDICATOR[EI]\s+DI\s+(?:RISULTATO|PERFORMANCE|RISULTATO\s+ATTESO|MISURAZIONE)"
            r"|INDICATOR[EI]\s+(?:DI|DEL|DELLA|DELL\s*')\s*[A-Z]{4,}"
            r"|(?:PARAMETR[OI]|CRITERI)\s+DI\s+(?:MISURAZIONE|VALUTAZIONE|VERIFICA|RIFERIMENTO)"
            r"|RISULTAT[OI]\s+(?:PREVIST[OI]|FINAL[EI]|DA\s+RAGGIUNGERE)|PRODOTT[OI]\s+ATTES[OI]"
            r"|TARGET\s+(?:ATTES[OI]|ANNUAL[EI]|PREVIST[OI]|20\d\d)"
            r"|INDICATOR[EI]\s+E\s+TARGET|RISULTAT[OI]\s+ATTES[OI]|OUTPUT\s+ATTES[OI]"
            r"|MODALITA\s*'?\s+DI\s+(?:VERIFICA|MISURAZIONE)|VALORE\s+(?:TARGET|OBIETTIVO)"
        ),
    ),
    Label("result_indicators", _p(r"INDICATOR[EI]|TARGET|VALOR[EI]\s+ATTES[OI]|MISURATOR[EI]|KPI"),
          whole_cell=True),
    Label(
        "human_resources",
        _p(
            r"RISORSE\s+UMANE(?:\s+(?:ASSEGNATE|COINVOLTE|IMPIEGATE|DEDICATE))?"
            r"|PERSONALE\s+(?:COINVOLTO|IMPIEGATO|DEDICATO|IMPEGNATO|INTERESSATO)"
            r"|DIPENDENTI\s+(?:COINVOLTI|ASSEGNATI|IMPIEGATI|IMPEGNATI)"
            r"|GRUPPO\s+DI\s+LAVORO"
        ),
    ),
    # ("PERSONALE ASSEGNATO" is the caption of a unit's staff table, not a card label)
    Label("human_resources", _p(r"COLLABORATORI|ADDETTI|TEAM"), whole_cell=True),
    Label(
        "financial_resources",
        _p(
            r"RISORSE\s+(?:FINANZIARIE|ECONOMICHE|ECONOMICO\s*-?\s*FINANZIARIE)"
            r"(?:\s+(?:COLLEGATE|ASSEGNATE|DEDICATE))?|RISORSE\s+DI\s+BILANCIO"
            r"|CAPITOL[IO]\s+(?:DI\s+)?(?:BILANCIO|SPESA|PEG|RIFERIMENTO)"
            r"|FONTI?\s+DI\s+FINANZIAMENTO"
        ),
    ),
    Label("financial_resources", _p(r"STANZIAMENT[OI]|BUDGET|COSTO\s+(?:PREVISTO|STIMATO)"),
          whole_cell=True),
    Label(
        "progress_report",
        _p(
            r"RELAZIONE\s+DEL\s+RESPONSABILE(?:\s+SULLO\s+STATO\s+DI\s+AVANZAMENTO)?(?:\s+DELL\s*'\s*(?:OB+IETTIVO|OGGETTO))?"
            r"|STATO\s+DI\s+(?:ATTUAZIONE|AVANZAMENTO)\b.*"
        ),
        mandatory=False,
    ),
    # the organisational unit printed inside the card ("SETTORE | Finanziario"): used when
    # no section heading names the card's area
    Label(
        "unit",
        _p(
            r"AREA|SETTORE|SERVIZIO|UFFICIO|DIREZIONE|RIPARTIZIONE|DIPARTIMENTO|CENTRO\s+DI\s+COSTO"
            r"|UNITA\s+ORGANIZZATIVA|U\.\s*O\.|CENTRO\s+DI\s+(?:RESPONSABILITA|COSTO)|C\.?D\.?R\.?"
            r"|STRUTTURA(?:\s+ORGANIZZATIVA)?(?:\s+(?:DI\s+RIFERIMENTO|RESPONSABILE|COMPETENTE))?"
        ),
        whole_cell=True,
        mandatory=False,
    ),
)

# Labels matched only inside an open card (`match_label(…, other=True)`): outside one
# these words head other tables (a summary table's TIPOLOGIA column, a budget's NOTE).
# The card's type, as a summary table's TIPOLOGIA column gives it; then what other
# templates print on a card that has no column of its own (the tools, the stakeholders,
# the political referent, a weight, notes, a deadline, links to other plans): each ends
# the value above it, which would otherwise run on into it, and is kept as printed with
# its value (Objective.other_fields).
IN_CARD_LABELS: tuple[Label, ...] = (
    Label("objective_type", _p(r"TIPOLOGIA(?:\s+(?:DI\s+|DELL\s*'\s*)?OB+IETTIVO)?"
                               r"|TIPO\s+(?:DI\s+)?OB+IETTIVO|NATURA\s+DELL\s*'\s*OB+IETTIVO"),
          whole_cell=True, mandatory=False),
    Label(
        "other",
        _p(
            r"(?:RISORSE|BENI|DOTAZIONI|MEZZI)\s+STRUMENTALI|STRUMENTI(?:\s+UTILIZZATI)?"
            r"|STAKEHOLDERS?(?:\s+(?:INTERNI|ESTERNI|DI\s+RIFERIMENTO))?"
            r"|PORTATORI\s+DI\s+INTERESSI?|DESTINATARI|BENEFICIARI|UTENTI|UTENZA"
            r"|ASSESSORE(?:\s+(?:DI\s+RIFERIMENTO|COMPETENTE|DELEGATO|DI\s+COMPETENZA))?"
            r"|AMMINISTRATORE\s+DI\s+RIFERIMENTO|(?:REFERENTE|RESPONSABILE)\s+POLITICO"
            r"|CONSIGLIERE\s+DELEGATO|DELEGA\s+POLITICA"
            r"|PRIORITA|GRADO\s+DI\s+(?:PRIORITA|COMPLESSITA|STRATEGICITA)|RILEVANZA"
            r"|STRATEGICITA|COMPLESSITA"
            r"|PESO(?:\s+(?:DELL\s*'\s*)?OB+IETTIVO)?(?:\s*\(?\s*%\s*\)?)?|PESATURA|PUNTEGGIO"
            r"|PONDERAZIONE|NOTE|ANNOTAZIONI|OSSERVAZIONI"
            r"|DURATA|ANNUALITA|(?:ARCO|ORIZZONTE)\s+TEMPORALE"
            r"|DATA\s+(?:DI\s+)?(?:INIZIO|FINE|SCADENZA|AVVIO|CONCLUSIONE)|SCADENZA"
            r"|TERMINE(?:\s+DI\s+(?:REALIZZAZIONE|CONCLUSIONE))?"
            r"|TEMPI(?:STICA)?(?:\s+DI\s+(?:REALIZZAZIONE|ATTUAZIONE|ESECUZIONE|SVOLGIMENTO))?"
            r"|VINCOLI|CRITICITA|RISCHI|FATTORI\s+DI\s+RISCHIO"
            r"|ALTR[IE]\s+(?:SETTORI|SERVIZI|UFFICI|AREE|STRUTTURE|UNITA)\s+COINVOLT[IE]"
            r"|(?:UFFICI|STRUTTURE|AREE)\s+COINVOLT[IE]|INTERSETTORIALITA"
            r"|(?:DIMENSIONE|AMBITO)\s+(?:DEL\s+|DI\s+)?VALORE\s+PUBBLICO|VALORE\s+PUBBLICO"
            r"|AGENDA\s+2030|OBIETTIVI\s+DI\s+SVILUPPO\s+SOSTENIBILE"
            r"|MODALITA\s*'?\s+DI\s+(?:ATTUAZIONE|REALIZZAZIONE|ESECUZIONE)"
            r"|(?:COLLEGAMENTO|RACCORDO)\s+CON\s+(?:IL\s+|LA\s+|LE\s+)?"
            r"(?:P\.?T\.?P\.?C\.?T|ANTICORRUZIONE|TRASPARENZA|BILANCIO|ALTRI)"
            r"|(?:PERCENTUALE|GRADO|%)\s+DI\s+RAGGIUNGIMENTO"
        ),
        whole_cell=True,
        mandatory=False,
    ),
)

# The spelling most cards print, trailing colon stripped (the convention of
# Objective.labels_raw): what a renderer prints when a card says nothing else.
STANDARD_LABELS: dict[str, str] = {
    "missione": "MISSIONE",
    "programma": "PROGRAMMA",
    "dup_objective": "OBIETTIVO OPERATIVO DUP",
    "responsible": "RESPONSABILE",
    "number": "OBIETTIVO N.",
    "title": "DENOMINAZIONE",
    "description": "DESCRIZIONE SINTETICA DEI CONTENUTI",
    "result_indicators": "INDICATORI DI RISULTATO",
    "human_resources": "RISORSE UMANE ASSEGNATE",
    "financial_resources": "RISORSE FINANZIARIE COLLEGATE",
    "progress_report": "RELAZIONE DEL RESPONSABILE SULLO STATO DI AVANZAMENTO DELL'OBIETTIVO",
}

# Fields whose absence from a card is reported (RELAZIONE is filled in later in the year).
MANDATORY = tuple(dict.fromkeys(lb.field for lb in CARD_LABELS if lb.mandatory))


# Signs a scan reads from specks beside a label ("OBIETTIVO STRATEGICO DUP ."): a label
# with only these after it stands alone.
SPECK_SIGNS = " .:;,_-–|"


def match_label(text: str, other: bool = False) -> tuple[Label, str, str] | None:
    """(label, label as printed, rest of the cell) when the cell starts with a card label;
    with `other`, the IN_CARD_LABELS too (inside an open card)."""
    folded = fold(text)
    for lb in (*CARD_LABELS, *IN_CARD_LABELS) if other else CARD_LABELS:
        m = lb.pattern.match(folded)
        if not m:
            continue
        rest_folded = folded[m.end() :].strip(SPECK_SIGNS)  # a scan's speck after it
        if lb.whole_cell and rest_folded and not re.match(r"^[:\-–]", folded[m.end() - 1 :]):
            # "PROGRAMMA" must stand alone (or end with ":"): "Programmare …" is not a label
            if not folded[: m.end()].rstrip().endswith(":"):
                continue
        # map the folded match length back onto the raw text (folding keeps length except
        # for collapsed whitespace, so cut by counting non-space characters)
        cut = _raw_cut(text, folded[: m.end()])
        return lb, squash(text[:cut]).rstrip(":").strip(), text[cut:].strip()
    return None


def _raw_cut(raw: str, folded_prefix: str) -> int:
    want = sum(1 for ch in folded_prefix if not ch.isspace())
    seen = 0
    for i, ch in enumerate(raw):
        if seen >= want and not ch.isspace():
            return i
        if not ch.isspace():
            seen += 1
    return len(raw)


YEAR_LABEL = re.compile(
    r"^(?:(PRIMO|SECONDO|TERZO|I|II|III)\s*(?:°\s*)?)?ANNO\s+DI\s+PROGRAMMAZIONE\s*:?\s*(\d{4})?",
    re.I,
)
_ORDINALS = {"PRIMO": 1, "I": 1, "SECONDO": 2, "II": 2, "TERZO": 3, "III": 3}


def match_year_label(text: str) -> tuple[int, int | None] | None:
    """(year index, year) for "SECONDO ANNO DI PROGRAMMAZIONE 2024" and the like."""
    m = YEAR_LABEL.match(fold(text))
    if not m:
        return None
    return _ORDINALS.get((m.group(1) or "PRIMO").upper(), 1), int(m.group(2)) if m.group(
        2
    ) else None


# "CRONOGRAMMA" is how many plans spell it
GRID_HEADER = re.compile(r"^CRONO\s*-?\s*(?:PROGRAMMA\b|GRAMMA\b|PROG\.)\s*(?:ANNO\s*)?(\d*)", re.I)
# other plans head the month columns of a phase table with these words; a card may print
# the same words as a label with its value beside it ("TEMPI DI REALIZZAZIONE | entro il
# 31/12"), so they open a schedule only right of the phase columns (`grid_header`)
SCHEDULE_WORDS = re.compile(
    r"^(?:TEMPI(?:STICA)?(?:\s+DI\s+(?:REALIZZAZIONE|ATTUAZIONE|ESECUZIONE|SVOLGIMENTO)"
    r"|\s+PREVISTI)?"
    r"|DIAGRAMMA\s+DI\s+GANTT|GANTT|CRONOLOGIA|CALENDARIO|MESI(?:\s+DI\s+SVOLGIMENTO)?"
    r"|(?:PIANIFICAZIONE|PROGRAMMAZIONE|ARTICOLAZIONE)\s+TEMPORALE"
    r"|PERIODO\s+DI\s+(?:REALIZZAZIONE|SVOLGIMENTO|ATTUAZIONE)"
    # words a phase's own text may start with ("Periodo estivo", "Termine lavori"): they
    # head the schedule column only as the whole cell, a year at most after them; a date
    # column instead of months makes its cells the phases' schedule text
    r"|(?:PERIODO|TIMING|TIMELINE|SCADENZ[AE]|TERMINE|DATA\s+(?:DI\s+)?(?:SCADENZA|FINE)"
    r"|ANNO(?=\s+20\d\d))(?=\s*(?:20\d\d)?\s*:?\s*$))\b\s*(?:ANNO\s*)?(\d*)"
)
PHASE_COLUMN = re.compile(
    r"^(?:N\.?|N°|NR\.?|#)$|^(?:DESCRIZIONE\s+(?:DELLE?\s+|DEGLI\s+)?)?"
    r"(?:FAS[EI]|ATTIVITA|AZION[EI]|STEP|MILESTONE|TAPP[AE]|INTERVENT[OI]|ADEMPIMENT[OI]"
    r"|OPERAZION[EI]|SOTTO\s*-?\s*OB+IETTIV[OI]|MACRO\s*-?\s*ATTIVITA)\b"
)


def grid_header(cells: list) -> object | None:
    """The cell that heads a row's month columns: CRONOPROGRAMMA anywhere, or one of the
    other schedule words right of a phase column ("N. | FASI | TEMPI DI REALIZZAZIONE")."""
    for i, c in enumerate(cells):
        f = fold(c.text)
        if GRID_HEADER.match(f):
            return c
        if i > 0 and SCHEDULE_WORDS.match(f) and any(PHASE_COLUMN.match(fold(p.text))
                                                     for p in cells[:i]):
            return c
    return None

# ------------------------------------------------------------------ units and their heads
# A titled name after the label needs no colon: "RESPONSABILE AVV. MARIO ROSSI". OCR
# reads a colon as "." or ";" ("Resp.. Dott.ssa Molteni").
_TITLE = r"(?:AVV|DOTT(?:\.?SSA)?|ING|ARCH|GEOM|RAG|SIG(?:\.?RA)?|PROF(?:\.?SSA)?|P\.\s?I|ISP|COMM|MAGG|TEN|CAP|COM)\.?"
RESPONSIBLE_LINE = re.compile(
    r"^(?:RESPONSABILE|DIRIGENTE|REFERENTE|RESP\.)"
    r"(?:\s+(?:DEL|DELLO|DELLA|DELL\s*')\s*(?:SERVIZIO|SETTORE|AREA|UFFICIO|U\.?O\.?))?"
    r"(?:\s*[:;.\-–]\s*|\s+(?=" + _TITLE + r"\s))(.+)$",
    re.I | re.S,
)
# the words a unit heading starts with (folded, enumeration removed); not the plural
# "SERVIZI", which heads sections of a unit ("SERVIZI DIRETTI - ATTIVITÀ STRUTTURALE")
UNIT_HEADING = re.compile(
    r"^(?:AREA|SETTORE|SERVIZIO|UFFICIO|DIREZIONE|RIPARTIZIONE|DIPARTIMENTO"
    r"|UNITA\s+ORGANIZZATIVA|UNITA\s+OPERATIVA|U\.\s?O\.(?:C\.|S\.)?|UOC|UOS"
    r"|CENTRO\s+DI\s+(?:RESPONSABILITA|COSTO)|C\.\s?D\.\s?R\.|CDR|CORPO\s+DI\s+POLIZIA"
    r"|POLIZIA\s+(?:LOCALE|MUNICIPALE))\b\s*\S"
)
# heading-shaped lines that are the document's own structure, never a unit
NOT_A_UNIT = re.compile(
    r"^(?:SEZ(?:IONE|\.)|SOTTOSEZIONE|PARTE|CAPITOLO|ALLEGATO|INDICE|PREMESSA|COMUNE\s+DI"
    r"|PROVINCIA\s+DI|CITTA\b|PIANO\b|TABELLA|OBIETTIVI\b|SCHEDA|PESATURA|RIEPILOGO|TOTALE"
    r"|APPROVATO|DELIBER|ORGANIGRAMMA|DOTAZIONE)"
)

# ------------------------------------------------------------------ non-card tables
STAFF_HEADER = re.compile(r"CATEGORIA.*\|\s*(COGNOME|NOME)")
OUTPUT_HEADER = re.compile(r"^PRODOTT[IO](/OUTPUT)?\b|^OUTPUT\b")
INDICATOR_HEADER = re.compile(r"^INDICATOR[EI]\s*\|\s*VALORE")
TOTAL_ROW = re.compile(r"^TOTAL[EI]\b")
INDICATOR_SECTION = re.compile(r"^(3\.\d+\.\d+)\s*[-–]?\s*(.*)$")
ENTITY_SECTION = re.compile(r"SCHEDA\s+ANAGRAFICA|DATI\s+(?:IDENTIFICATIVI|ANAGRAFICI)\s+DELL")
STAFF_CAPTION = re.compile(r"^PERSONALE\s+ASSEGNATO", re.I)
TRANSVERSAL_HEADING = re.compile(r"OBIETTIVI\s+TRASVERSALI")
PERIOD = re.compile(r"\b(20\d\d)\s*[-/–]\s*(20\d\d)\b")
SINGLE_YEAR = re.compile(r"\b(?:ANNO|ESERCIZIO|ANNUALITA)\s+(20\d\d)\b")
APPROVAL = re.compile(r"^\s*APPROVAT[OA]\s+CON\s+(.+)$", re.I)
END_OF_PERFORMANCE = re.compile(r"^SEZIONE\s+[2-9]\.[3-9]|^SEZIONE\s+[3-9]\b")
# a plan's title names what it is: the period is read from these lines only
PLAN_TITLE = re.compile(
    r"PIAO|TRIENNIO|PIANO\s+(?:INTEGRATO|DELLA\s+PERFORMANCE|DELLE\s+PERFORMANCE|ESECUTIVO"
    r"|DETTAGLIATO|DEGLI\s+OBIETTIVI)|\bP\.?E\.?G\.?\b|\bP\.?D\.?O\.?\b|PERFORMANCE"
)
# the body the plan is of, as its cover prints it alone on a line
ENTE_LINE = re.compile(
    r"^(?:COMUNE|CITTA|UNIONE\s+(?:DEI\s+|DEI\s+COMUNI\s+|DI\s+COMUNI\s+)?(?:COMUNI\s+)?"
    r"|COMUNITA\s+MONTANA|CITTA\s+METROPOLITANA)\b\s*(?:DI|DEL|DELLA|DELLE|DEI|D')?\s*\S"
)

# weight table columns (folded header cell text, whole cell)
_UNIT_WORD = (r"(?:AREA|SETTORE|SERVIZIO|UFFICIO|STRUTTURA|U\.?O\.?|C\.?D\.?R\.?|DIREZIONE"
              r"|RIPARTIZIONE|DIPARTIMENTO|CENTRO\s+DI\s+(?:RESPONSABILITA|COSTO)"
              r"|UNITA\s+(?:ORGANIZZATIVA|OPERATIVA))")
WEIGHT_COLUMNS: dict[str, re.Pattern] = {
    "number": re.compile(r"^(?:N|NR|N°|NUM|NUMERO|COD|CODICE|ID|#)[.:]*(?:\s*OB(?:IETTIVO|\.))?$"),
    "title": re.compile(
        r"^(?:OB+IETTIV[OI]|DENOMINAZIONE|DESCRIZIONE|TITOLO|OGGETTO)"
        r"(?:\s+(?:DELL\s*'\s*|DEGLI\s+)?OB+IETTIV[OI])?"
        r"(?:\s+(?:OPERATIV[OI]|GESTIONAL[EI]|ESECUTIV[OI]|SPECIFIC[OI]|ANNUAL[EI]"
        r"|DI\s+(?:PERFORMANCE|PEG|P\.?D\.?O\.?)|ASSEGNAT[OI]))?$"
    ),
    "weight": re.compile(
        r"^(?:%\s*)?(?:PES[OI]|PESATURA|PONDERAZIONE|PESO\s+PONDERALE|PUNTEGGIO|PUNTI|INCIDENZA)"
        r"(?:\s+(?:ATTRIBUITO|ASSEGNATO|PONDERALE|OBIETTIVO|RELATIVO|MASSIMO"
        r"|DELL\s*'\s*OB+IETTIVO))?\s*(?:\(?\s*%\s*\)?|IN\s*%)?$"
    ),
    "area": re.compile(r"^" + _UNIT_WORD + r"(?:\s*/\s*" + _UNIT_WORD + r")?"
                       r"(?:\s+(?:ORGANIZZATIVA|RESPONSABILE|COMPETENTE|DI\s+RIFERIMENTO))?$"),
    "responsible": re.compile(
        r"^(?:RESPONSABILE|DIRIGENTE|REFERENTE)(?:\s+(?:DEL|DELLO|DELLA|DELL\s*'\s*)\s*"
        r"(?:SERVIZIO|SETTORE|AREA|UFFICIO))?$"
        r"|^(?:TITOLARE|INCARICATO)\s+(?:DI\s+)?(?:P\.?O\.?|E\.?Q\.?)$"
    ),
}
# columns a weight table may carry beside those (its rows' notes, indicators, targets,
# DUP codes, the results of the year): a header with them is still a weight table's,
# and their cells are no part of a weight row
WEIGHT_SIDE_COLUMN = re.compile(
    r"^(?:NOTE|ANNOTAZIONI|MISSIONE|PROGRAMMA|TIPOLOGIA|TIPO|INDICATOR[EI]|TARGET|SCADENZA"
    r"|TEMPI(?:STICA)?|RISULTAT[OI]|VALORE\s+ATTESO|(?:%\s*|PERCENTUALE\s+|GRADO\s+)?DI\s+"
    r"RAGGIUNGIMENTO|VALUTAZIONE|PUNTEGGIO\s+(?:OTTENUTO|CONSEGUITO)|(?:CODICE|COD\.?)\s+DUP"
    r"|OB+IETTIVO\s+(?:STRATEGICO(?:\s+DUP)?|OPERATIVO\s+DUP)|LINEA\s+(?:PROGRAMMATICA|STRATEGICA))\b"
)
# the printed weight of a pre-requisite objective ("X", "—"): kept as text, no number
WEIGHT_CODE = re.compile(r"^[A-Z]{0,4}\s*\d{1,3}(?:\s*[./-]\s*\d{1,3})*\s*[A-Z]?[.)]?$", re.I)
