"""Typed records produced by the normaliser: one dataclass per dataset table.

Field order is the column order of the Parquet datasets (the pyarrow schemas in
`piao/schemas.py` are derived from these classes). Every record keeps its
provenance (`page`, `bbox`, and `line` for Markdown input) and the raw text of
every parsed value next to it (`*_raw`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from extract.ir import BBox


@dataclass
class Source:
    """Where a value was read: page (1-based) and box in points, or line for Markdown."""

    page: int | None = None
    bbox: BBox | None = None
    line: int | None = None


@dataclass
class Objective:
    objective_key: str  # "<area_slug>/<number>", e.g. "finanziaria/9", "trasversali/1T"
    area: str  # area name as printed in the section heading
    area_slug: str
    number: str  # as printed: "1".."24", "1T".."4T"
    is_transversal: bool
    title: str
    # how the plan wrote it: "card" (a labelled scheda), "narrative" (a titled block of prose
    # under its unit), "summary" (a row of a table listing objectives)
    template: str = "card"
    description: str = ""
    missione_raw: str = ""
    missione_code: int | None = None
    missione: str = ""
    programma_raw: str = ""
    programma_code: int | None = None
    programma: str = ""
    dup_objective: str = ""
    objective_type: str = ""  # a summary table's TIPOLOGIA DI OBIETTIVO, as printed
    responsible: str = ""
    area_responsible: str = ""  # the unit's responsible, from its heading or weight table
    result_indicators: str = ""
    human_resources: str = ""  # RISORSE UMANE ASSEGNATE, raw
    financial_resources: str = ""
    progress_report: str = ""
    labels_raw: dict[str, str] = field(default_factory=dict)  # field -> label as printed
    # values a card repeats for a later programming year: "2:human_resources" -> text
    later_years: dict[str, str] = field(default_factory=dict)
    # what the card prints under labels with no column of their own ("RISORSE
    # STRUMENTALI", "STAKEHOLDER", "NOTE"): label as printed -> value
    other_fields: dict[str, str] = field(default_factory=dict)
    missing_fields: list[str] = field(default_factory=list)  # mandatory labels not found
    page_first: int | None = None
    page_last: int | None = None
    line: int | None = None
    bbox: BBox | None = None
    ocr_confidence: float | None = None  # see normalize/confidence.py


@dataclass
class Phase:
    objective_key: str
    plan_year: int | None  # the programming year the block belongs to
    year_index: int  # 1 = primo/only year, 2 = secondo, 3 = terzo
    year_label_raw: str  # e.g. "SECONDO ANNO DI PROGRAMMAZIONE 2024"
    grid_year_raw: str  # e.g. "CRONOPROGRAMMA 2023", "CRONOPROGRAMMA 202"
    grid_year: int | None  # the year printed on the grid, None when truncated
    seq: int  # 1-based order of the row within its block
    phase_no: str  # as printed ("1", "2", "" …)
    description: str
    services: str
    schedule_text: str  # text written across the month grid ("entro il 31/12/2023")
    deadline: dt.date | None = None
    page: int | None = None
    line: int | None = None
    bbox: BBox | None = None
    ocr_confidence: float | None = None  # see normalize/confidence.py


@dataclass
class ScheduleMark:
    objective_key: str
    plan_year: int | None
    year_index: int
    seq: int
    month: int  # 1..12
    marked: bool
    # "X", "x", "*", "fill", "text" (a text rule such as "Tutto l'anno"), "ink" (a scanned
    # cell with ink that OCR did not read as a mark), "" if unmarked
    mark: str
    # the period column the mark was read from when the grid is by quarter or semester:
    # "Q1".."Q4", "S1", "S2" (each of the period's months is marked); "" for a month column
    span: str = ""
    page: int | None = None
    line: int | None = None
    bbox: BBox | None = None
    ocr_confidence: float | None = None  # see normalize/confidence.py


@dataclass
class Weight:
    # which weight table the row is from; not "table", an SQL keyword every query would quote.
    # normalize/parser.py builds Weight positionally: keep this field first.
    table_kind: str  # "area" (per-area weight table) or "transversal" (the 1T..4T table)
    area: str
    area_slug: str
    responsible: str
    number: str
    title: str
    weight_raw: str
    weight: float | None
    declared_total_raw: str
    declared_total: float | None
    page: int | None = None
    line: int | None = None
    bbox: BBox | None = None
    ocr_confidence: float | None = None  # see normalize/confidence.py


@dataclass
class Assignment:
    objective_key: str
    person_raw: str  # the fragment as printed: "Gloria Martinelli (60%)"
    person: str  # normalised: titles stripped, "Name Surname" order kept as printed
    share_pct: float | None
    is_group: bool  # "Tutti i dipendenti", "Responsabili", "Tutto il personale Area P.L."
    staff_match: str | None = None  # the staff-table name this person was matched to
    staff_score: float | None = None  # rapidfuzz score of that match (100 = exact)
    page: int | None = None
    line: int | None = None


@dataclass
class Staff:
    area: str
    area_slug: str
    section: str  # the caption above the table ("Personale assegnato area PL:")
    category: str
    name: str
    weekly_hours_raw: str
    weekly_hours: float | None
    profile: str
    page: int | None = None
    line: int | None = None
    bbox: BBox | None = None
    ocr_confidence: float | None = None  # see normalize/confidence.py


@dataclass
class Output:
    area: str
    area_slug: str
    dup_objective: str
    product: str
    expected_label: str  # the column header as printed ("Q attesa 2023")
    expected_raw: str
    expected: float | None
    actual_raw: str
    actual: float | None
    page: int | None = None
    line: int | None = None
    bbox: BBox | None = None
    ocr_confidence: float | None = None  # see normalize/confidence.py


@dataclass
class Indicator:
    section: str  # heading as printed ("3.1.2 Obiettivi per il miglioramento della salute digitale")
    dimension: str  # "digitale", "finanziaria", "professionale", …
    indicator: str
    baseline_raw: str
    baseline: float | None
    target_1_raw: str
    target_1: float | None
    target_2_raw: str
    target_2: float | None
    target_3_raw: str
    target_3: float | None
    page: int | None = None
    line: int | None = None


@dataclass
class EntityField:
    field: str  # label as printed ("Codice Istat")
    value: str
    page: int | None = None
    line: int | None = None


@dataclass
class Note:
    """Something the normaliser guessed or could not place: becomes a finding."""

    check: str
    message: str
    objective_key: str | None = None
    page: int | None = None
    line: int | None = None
    severity: str = "info"  # "info" (a guess) or "warning" (something could not be placed)


@dataclass
class Plan:
    """Everything read from one document."""

    ente: str = ""  # as printed ("Comune di Cazzago San Martino")
    ente_slug: str = ""
    period_start: int | None = None
    period_end: int | None = None
    approval_act: str = ""
    objectives: list[Objective] = field(default_factory=list)
    phases: list[Phase] = field(default_factory=list)
    schedule: list[ScheduleMark] = field(default_factory=list)
    weights: list[Weight] = field(default_factory=list)
    assignments: list[Assignment] = field(default_factory=list)
    staff: list[Staff] = field(default_factory=list)
    outputs: list[Output] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    entity: list[EntityField] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)

    def templates(self) -> list[str]:
        """The ways the objectives are written ("card", "narrative", "summary"), in order met."""
        return list(dict.fromkeys(o.template for o in self.objectives))
