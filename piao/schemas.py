"""Explicit pyarrow schemas of the Parquet datasets, one per table.

The domain tables are derived from the record dataclasses in
`normalize/records.py` (field order = column order) through an explicit type
map, so a record field with a type the map does not know fails at import time
instead of being written as something a reader cannot load. Choices, made so
the files load the same way in pandas, DuckDB and Polars:

- `int` → int64, `float` → float64, `bool` → bool, `dt.date` → date32,
  `dt.datetime` → timestamp[us, UTC], `list[str]` → list<string>;
- `dict[str, str]` → a JSON object in a string column: Arrow maps load as lists
  of tuples in pandas and poorly in Polars, while a JSON string loads
  everywhere and DuckDB can still query it (`json_extract`);
- `BBox` → four float64 columns `bbox_x0, bbox_top, bbox_x1, bbox_bottom`
  (PDF points, origin top-left): flat columns filter and sort in every tool,
  a struct does not survive the trip to pandas;
- `X | None` → a nullable column; any other field is declared non-nullable,
  so a record that breaks its own contract is a clear write error.

Every table starts with `doc_id`. The hive partition columns `ente` (entity
slug) and `period` ("2023-2025") live only in the directory names, never
inside the files: a column stored in both places makes pyarrow/pandas refuse
to merge the dataset ("Unable to merge: Field ente has incompatible types").
That is why the documents table calls the printed entity name `ente_name`.

`python -m piao.schemas --markdown` prints the README "Datasets" section.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import math
import types
import typing
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from extract.ir import BBox
from normalize import records

if TYPE_CHECKING:
    import pandas as pd

# Bump when a column is added, removed, renamed or changes type; written into
# every file's metadata so a reader can tell old files from new ones.
SCHEMA_VERSION = "8"

META_SCHEMA_VERSION = b"piao.schema_version"
META_TABLE = b"piao.table"

PARTITION_COLUMNS = ("ente", "period")
UNKNOWN_PARTITION = "unknown"
PARTITION_SCHEMA = pa.schema([pa.field(name, pa.string()) for name in PARTITION_COLUMNS])

BBOX_COLUMNS = ("bbox_x0", "bbox_top", "bbox_x1", "bbox_bottom")

DOCUMENT_STATUSES = ("ok", "partial", "failed", "skipped", "duplicate")


@dataclass
class Finding:
    """A consistency finding: from the normaliser's notes now, from piao.checks later."""

    # not "check": an SQL keyword that every DuckDB query would have to quote
    check_code: str  # stable code of the check ("weights_total", "unplaced_table", …)
    severity: str  # "info", "warning" or "error"
    message: str
    objective_key: str | None = None
    area_slug: str | None = None  # area of an area-level finding (a weight table's total)
    expected: str | None = None  # what the check expected, as text
    found: str | None = None  # what the document says, as text
    page: int | None = None
    line: int | None = None


@dataclass(kw_only=True)
class DocumentRow:
    """One row of the documents table: what happened to one source file."""

    sha256: str
    source_path: str
    file_name: str
    format: str  # "pdf", "docx", "md" as read; the file suffix when the file could not be read
    size_bytes: int
    pages: int | None = None
    ente_name: str | None = None
    ente_slug: str | None = None
    period_start: int | None = None
    period_end: int | None = None
    approval_act: str | None = None
    status: str  # one of DOCUMENT_STATUSES
    error: str | None = None
    error_kind: str | None = None
    failed_pages: list[int] = field(default_factory=list)
    signer: str | None = None
    tables: int | None = None
    cards: int | None = None
    # the ways the plan writes its objectives, as recognised: "card", "narrative", "summary"
    templates: list[str] = field(default_factory=list)
    read_mode: str | None = None  # "text"; "ocr" when all pages' text was made by OCR; "mixed"
    ocr_pages: list[int] = field(default_factory=list)  # pages OCRed while reading
    ocr_layer_pages: list[int] = field(default_factory=list)  # scans read from their OCR layer
    cards_complete_share: float | None = None  # cards without missing_fields / cards
    ocr_confidence: float | None = None  # mean OCR confidence, only when read_mode == "ocr"
    # the entity's join keys to the national registries, as printed and validated
    # (normalize/codes.py): ISTAT code, codice fiscale / partita IVA, IPA code and its form
    istat_code: str | None = None
    codice_fiscale: str | None = None
    ipa_code: str | None = None
    ipa_code_kind: str | None = None  # "ente" (c_b157) or "uff_fe" (6-char e-invoicing office)
    # a byte-identical copy of another file of the run (status "duplicate"): its doc_id and path
    duplicate_of: str | None = None
    duplicate_of_path: str | None = None
    tool_version: str
    options_hash: str
    processed_at: dt.datetime
    seconds: float


# table name → record class, in the order the README lists them
TABLE_RECORDS: dict[str, type] = {
    "documents": DocumentRow,
    "objectives": records.Objective,
    "phases": records.Phase,
    "schedule": records.ScheduleMark,
    "weights": records.Weight,
    "assignments": records.Assignment,
    "staff": records.Staff,
    "outputs": records.Output,
    "indicators": records.Indicator,
    "entity": records.EntityField,
    "findings": Finding,
}
TABLES: tuple[str, ...] = tuple(TABLE_RECORDS)

TABLE_ROWS: dict[str, str] = {
    "documents": "source file processed (failed files included)",
    "objectives": "objective card (scheda obiettivo)",
    "phases": "activity row of a card's cronoprogramma, per programming year",
    "schedule": "(phase, month) cell of a cronoprogramma grid",
    "weights": "row of a weight table (PESATURA OBIETTIVI)",
    "assignments": "person or group named under RISORSE UMANE ASSEGNATE on a card",
    "staff": "row of a staff table (personale assegnato)",
    "outputs": "row of an output table (SERVIZI DIRETTI – ATTIVITÀ STRUTTURALE)",
    "indicators": "row of a health-indicator table (salute digitale, finanziaria, …)",
    "entity": "field of the entity's registry card (scheda anagrafica)",
    "findings": "consistency finding or normaliser note",
}

_SCALARS: dict[Any, pa.DataType] = {
    str: pa.string(),
    int: pa.int64(),
    float: pa.float64(),
    bool: pa.bool_(),
    dt.date: pa.date32(),
    dt.datetime: pa.timestamp("us", tz="UTC"),
}


class SchemaError(ValueError):
    """Records that do not fit their table's schema (a bug in the producer)."""


def _unwrap_optional(hint: Any) -> tuple[Any, bool]:
    args = typing.get_args(hint)
    if typing.get_origin(hint) in (typing.Union, types.UnionType) and type(None) in args:
        rest = [a for a in args if a is not type(None)]
        if len(rest) == 1:
            return rest[0], True
    return hint, False


def _is_bbox(hint: Any) -> bool:
    return hint == BBox


@dataclass(frozen=True)
class _Column:
    """How one record field becomes one or more columns."""

    field_name: str
    kind: str  # "scalar", "list", "json", "bbox"
    fields: tuple[pa.Field, ...]


def _column_for(cls: type, name: str, hint: Any) -> _Column:
    base, nullable = _unwrap_optional(hint)
    if _is_bbox(base):
        return _Column(name, "bbox", tuple(pa.field(c, pa.float64()) for c in BBOX_COLUMNS))
    if base in _SCALARS:
        return _Column(name, "scalar", (pa.field(name, _SCALARS[base], nullable=nullable),))
    origin, args = typing.get_origin(base), typing.get_args(base)
    if origin is list and len(args) == 1 and args[0] in _SCALARS:
        return _Column(name, "list", (pa.field(name, pa.list_(_SCALARS[args[0]]), nullable=nullable),))
    if origin is dict and args == (str, str):
        return _Column(name, "json", (pa.field(name, pa.string(), nullable=nullable),))
    raise TypeError(f"{cls.__name__}.{name}: no Parquet type for {hint!r}; extend piao/schemas.py")


def _columns_of(cls: type) -> tuple[_Column, ...]:
    hints = typing.get_type_hints(cls)
    cols = tuple(_column_for(cls, f.name, hints[f.name]) for f in dataclasses.fields(cls))
    names = [pf.name for c in cols for pf in c.fields]
    clash = {"doc_id", *PARTITION_COLUMNS} & set(names)
    if clash or len(names) != len(set(names)):
        raise TypeError(f"{cls.__name__}: column names clash with doc_id/partitions or repeat: {names}")
    return cols


_DOC_ID = pa.field("doc_id", pa.string(), nullable=False)
COLUMNS: dict[str, tuple[_Column, ...]] = {t: _columns_of(cls) for t, cls in TABLE_RECORDS.items()}


def _schema(table: str) -> pa.Schema:
    fields = [_DOC_ID, *(pf for c in COLUMNS[table] for pf in c.fields)]
    meta = {META_SCHEMA_VERSION: SCHEMA_VERSION.encode(), META_TABLE: table.encode()}
    return pa.schema(fields, metadata=meta)


SCHEMAS: dict[str, pa.Schema] = {t: _schema(t) for t in TABLES}


def schema(table: str) -> pa.Schema:
    """The schema stored in each file of `table` (partition columns not included)."""
    return SCHEMAS[table]


def dataset_schema(table: str) -> pa.Schema:
    """The schema a reader sees for the whole dataset: file columns + hive partitions."""
    return pa.unify_schemas([SCHEMAS[table], PARTITION_SCHEMA])


def to_arrow(table: str, doc_id: str, rows: list[Any]) -> pa.Table:
    """Records (dataclass instances of the table's class) → an Arrow table with its schema.

    Raises SchemaError naming the table, column and row of the first value that
    does not fit, so a producer bug is a readable error and not a pyarrow trace.
    """
    sch = SCHEMAS[table]
    cls = TABLE_RECORDS[table]
    for i, r in enumerate(rows):
        if not isinstance(r, cls):
            raise SchemaError(f"{table}: row {i} is {type(r).__name__}, expected {cls.__name__}")
    values: dict[str, list[Any]] = {"doc_id": [doc_id] * len(rows)}
    for col in COLUMNS[table]:
        raw = [getattr(r, col.field_name) for r in rows]
        if col.kind == "bbox":
            boxes = [_bbox(table, i, b) for i, b in enumerate(raw)]
            for k, name in enumerate(BBOX_COLUMNS):
                values[name] = [None if b is None else b[k] for b in boxes]
        elif col.kind == "json":
            values[col.field_name] = [None if v is None else json.dumps(v, ensure_ascii=False) for v in raw]
        else:
            values[col.field_name] = raw
    arrays = []
    for pf in sch:
        try:
            arr = pa.array(values[pf.name], type=pf.type)
        except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, ValueError, OverflowError) as e:
            raise SchemaError(f"{table}.{pf.name}: {e}") from e
        if not pf.nullable and arr.null_count:
            row = next(i for i, v in enumerate(values[pf.name]) if v is None)
            raise SchemaError(f"{table}.{pf.name}: row {row} is None but the column is not nullable")
        arrays.append(arr)
    return pa.Table.from_arrays(arrays, schema=sch)


def _bbox(table: str, row: int, b: Any) -> tuple[float, float, float, float] | None:
    if b is None:
        return None
    if len(b) != 4:
        raise SchemaError(f"{table}.bbox: row {row} has {len(b)} values, expected 4")
    return tuple(b)  # type: ignore[return-value]


def records_from_frame(table: str, frame: pd.DataFrame) -> list[Any]:
    """Rows of one dataset table (as pandas reads them) → its record dataclasses, in file order:
    the inverse of `to_arrow`, kept beside it so a new column kind is handled both ways."""
    cls = TABLE_RECORDS[table]
    out = []
    for row in frame.to_dict("records"):
        values: dict[str, Any] = {}
        for col in COLUMNS[table]:
            if col.kind == "bbox":
                box = [_present(row[f.name]) for f in col.fields]
                values[col.field_name] = None if any(v is None for v in box) else tuple(map(float, box))
            elif col.kind == "json":
                raw = _present(row[col.field_name])
                values[col.field_name] = json.loads(raw) if raw else {}
            elif col.kind == "list":
                raw = row[col.field_name]
                values[col.field_name] = [] if raw is None or is_missing(raw) else list(raw)
            else:
                values[col.field_name] = _from_pandas(row[col.field_name], col.fields[0].type)
        out.append(cls(**values))
    return out


def is_missing(v: Any) -> bool:
    """None, or the NA/NaN/NaT pandas puts where a Parquet value is null."""
    import pandas as pd

    if v is None or v is pd.NA or v is pd.NaT:
        return True
    return isinstance(v, float) and math.isnan(v)


def _present(v: Any) -> Any:
    return None if is_missing(v) else v


def _from_pandas(v: Any, arrow_type) -> Any:
    """pandas/numpy values back to the Python types the records declare."""
    import pandas as pd

    if is_missing(v):
        return None
    if pa.types.is_integer(arrow_type):
        return int(v)
    if pa.types.is_floating(arrow_type):
        return float(v)
    if pa.types.is_boolean(arrow_type):
        return bool(v)
    if pa.types.is_date(arrow_type):
        return v if isinstance(v, dt.date) and not isinstance(v, dt.datetime) else pd.Timestamp(v).date()
    if pa.types.is_timestamp(arrow_type):
        return pd.Timestamp(v).to_pydatetime()
    return v


# --- documentation -----------------------------------------------------------

# Column descriptions for the README. Shared names mean the same thing in every
# table; (table, column) entries override. test_dataset checks every column has one.
_DESCRIPTIONS: dict[str, str] = {
    "ocr_confidence": "scanned pages only: the lowest OCR word confidence (0…100) inside the "
    "row's box; sort by it to check the doubtful rows first (normalize/confidence.py). "
    "Empty for rows read from a text layer",
    "doc_id": "first 16 hex digits of the source file's SHA-256; joins all tables",
    "page": "1-based page the row was read from (PDF/DOCX); empty for Markdown input",
    "line": "source line for Markdown input; empty otherwise",
    "bbox_x0": "left edge of the source box, PDF points",
    "bbox_top": "top edge of the source box, PDF points from the top of the page",
    "bbox_x1": "right edge of the source box, PDF points",
    "bbox_bottom": "bottom edge of the source box, PDF points from the top of the page",
    "objective_key": "`<area_slug>/<number>`, e.g. `finanziaria/9`, `trasversali/1T`; joins phases, "
    "schedule, assignments, findings to objectives",
    "area": "area (settore) name as printed in the section heading",
    "area_slug": "area name as a lower-case ASCII slug",
    "number": "objective number as printed (`1`, `24`, `1T`)",
    "plan_year": "programming year the block belongs to (e.g. 2024 for the second year)",
    "year_index": "1 = first (or only) programming year, 2 = second, 3 = third",
    "seq": "1-based order of the activity row within its block",
    "dup_objective": "OBIETTIVO OPERATIVO DUP, as printed",
    "section": "heading or caption above the table, as printed",
    "ente_name": "entity name as printed (`Comune di Cazzago San Martino`)",
    "ente_slug": "entity name as a slug; also the `ente=` partition value",
    "period_start": "first year of the plan period",
    "period_end": "last year of the plan period",
    # partition columns (directory names, present when the dataset is read as a whole)
    "ente": "hive partition: entity slug, `unknown` when the document did not say",
    "period": "hive partition: `<start>-<end>` plan period, `unknown` when not found",
}
_TABLE_DESCRIPTIONS: dict[tuple[str, str], str] = {
    ("documents", "sha256"): "SHA-256 of the source file bytes",
    ("documents", "source_path"): "path of the source file as given to `piao run`",
    ("documents", "file_name"): "file name of the source file",
    ("documents", "format"): "`pdf`, `docx`, `odt`, `doc`, `rtf`, `md` as read (a `.pdf.p7m` is read as `pdf`); "
    "the file suffix when the file could not be read",
    ("documents", "size_bytes"): "size of the source file",
    ("documents", "status"): "`ok`; `partial` (some pages failed, see failed_pages); "
    "`failed` (see error); `duplicate` (same bytes as another file of the run, see duplicate_of)",
    ("documents", "istat_code"): "codice ISTAT of the entity as printed, 6 digits (text: keeps "
    "the leading zero); empty when not printed or malformed (then a `codes.*` finding)",
    ("documents", "codice_fiscale"): "codice fiscale / partita IVA of the entity, 11 digits with "
    "a valid check digit; empty when not printed or malformed",
    ("documents", "ipa_code"): "IPA code as printed (`c_b157`, `KCT36W`)",
    ("documents", "ipa_code_kind"): "`ente` (the body's code, `c_` + cadastral code for a comune) "
    "or `uff_fe` (6-character e-invoicing office code)",
    ("documents", "duplicate_of"): "for a duplicate: doc_id of the document it repeats (its own "
    "doc_id has no rows in the other tables, so joins never count a plan twice)",
    ("documents", "duplicate_of_path"): "for a duplicate: source_path of the file it repeats",
    ("documents", "tool_version"): "piao version that wrote the row",
    ("documents", "options_hash"): "hash of the processing options (same hash = same settings)",
    ("documents", "processed_at"): "when the document was processed (UTC)",
    ("documents", "seconds"): "wall time spent on the document",
    ("documents", "pages"): "number of pages (empty for Markdown and unreadable files)",
    ("documents", "approval_act"): "approval act as printed (`DGC n. 44 del 19/04/2023`)",
    ("documents", "error"): "why the document failed, in words (no traceback)",
    ("documents", "error_kind"): "stable error code (`not_pdf`, `encrypted`, `truncated`, `empty`, "
    "`internal`, …)",
    ("documents", "failed_pages"): "pages that could not be read while the rest of the document was",
    ("documents", "signer"): "subject of the signing certificate of a `.p7m` envelope",
    ("documents", "tables"): "number of tables the reader found",
    ("documents", "cards"): "number of objectives found (= rows in objectives)",
    ("documents", "templates"): "how the plan writes its objectives, as recognised: card, "
    "narrative, summary (empty when none was recognised; a finding then says what was seen)",
    ("documents", "read_mode"): "`text` (text layer), `ocr` (the text of every page with "
    "content made by OCR: while reading, or the scan's own OCR layer) or `mixed` (some pages "
    "each way)",
    ("documents", "ocr_pages"): "pages read by OCR (scans: no text layer, or a line or two "
    "such as a protocol stamp over the image, kept as text)",
    ("documents", "ocr_layer_pages"): "scanned pages read from the invisible OCR text layer "
    "the file already carries (no OCR run)",
    ("documents", "cards_complete_share"): "share (0…1) of the cards with every mandatory label "
    "(empty `missing_fields`); empty when no card was found",
    ("documents", "ocr_confidence"): "mean OCR confidence as the OCR engine reports it "
    "(tesseract: 0…100); empty when the text was not made by OCR",
    ("objectives", "is_transversal"): "true for the transversal objectives (1T…4T)",
    ("objectives", "title"): "DENOMINAZIONE / title of the objective",
    ("objectives", "description"): "DESCRIZIONE SINTETICA DEI CONTENUTI",
    ("objectives", "missione_raw"): "MISSIONE cell as printed",
    ("objectives", "missione_code"): "missione number parsed from missione_raw",
    ("objectives", "missione"): "missione name parsed from missione_raw",
    ("objectives", "programma_raw"): "PROGRAMMA cell as printed",
    ("objectives", "programma_code"): "programma number parsed from programma_raw",
    ("objectives", "programma"): "programma name parsed from programma_raw",
    ("objectives", "template"): "how the plan wrote the objective: card (labelled scheda), "
    "narrative (titled block of prose under its unit) or summary (row of an objectives table)",
    ("objectives", "objective_type"): "TIPOLOGIA DI OBIETTIVO of a summary table or the card's "
    "TIPOLOGIA label, as printed",
    ("objectives", "area_responsible"): "the unit's responsible as its heading or weight table "
    "prints it",
    ("objectives", "responsible"): "RESPONSABILE as printed",
    ("objectives", "result_indicators"): "INDICATORI DI RISULTATO as printed",
    ("objectives", "human_resources"): "RISORSE UMANE ASSEGNATE as printed (parsed into assignments)",
    ("objectives", "financial_resources"): "RISORSE FINANZIARIE COLLEGATE as printed",
    ("objectives", "progress_report"): "RELAZIONE DEL RESPONSABILE SULLO STATO DI AVANZAMENTO",
    ("objectives", "labels_raw"): "JSON object: field → card label as printed (keeps typos such as "
    "`OBBIETTIVO`)",
    ("objectives", "later_years"): "JSON object: values a card repeats for a later programming "
    "year, `\"<year_index>:<field>\"` → text as printed",
    ("objectives", "other_fields"): "JSON object: what the card prints under labels piao has no "
    "column for (`RISORSE STRUMENTALI`, `STAKEHOLDER`, `NOTE`, `PESO`, …), label as printed → "
    "value as printed; such a label ends the value above it",
    ("objectives", "missing_fields"): "mandatory card labels that were not found",
    ("objectives", "page_first"): "page where the card starts",
    ("objectives", "page_last"): "page where the card ends",
    ("objectives", "line"): "first source line of the card (Markdown input)",
    ("phases", "year_label_raw"): "programming-year heading as printed "
    "(`SECONDO ANNO DI PROGRAMMAZIONE 2024`)",
    ("phases", "grid_year_raw"): "year header of the grid as printed (`CRONOPROGRAMMA 202`)",
    ("phases", "grid_year"): "year printed on the grid; empty when truncated",
    ("phases", "phase_no"): "phase number as printed (may repeat or be empty)",
    ("phases", "description"): "ATTIVITÀ/FASI text",
    ("phases", "services"): "SERVIZI COINVOLTI text",
    ("phases", "schedule_text"): "text written across the month grid (`entro il 31/12/2023`)",
    ("phases", "deadline"): "date parsed from schedule_text, when it names one",
    ("schedule", "month"): "month 1…12",
    ("schedule", "marked"): "true when the month is marked",
    ("schedule", "span"): "period column the mark was read from when the grid is by quarter or "
    "semester (`Q1`…`Q4`, `S1`, `S2`: each of its months is marked); empty for a month column",
    ("schedule", "mark"): "how it is marked: `X`, `x`, `*`, `fill` (shaded cell), `text` "
    "(a text rule such as `Tutto l'anno`), `ink` (scanned page: ink in the month cell that "
    "OCR could not read as a mark), empty when unmarked",
    ("weights", "table_kind"): "`area` (per-area weight table) or `transversal` (1T…4T table)",
    ("weights", "responsible"): "responsible named above the weight table",
    ("weights", "title"): "objective title as printed in the weight table",
    ("weights", "weight_raw"): "Peso % cell as printed",
    ("weights", "weight"): "weight in percent parsed from weight_raw",
    ("weights", "declared_total_raw"): "TOTALE cell of the table as printed",
    ("weights", "declared_total"): "declared total parsed from declared_total_raw",
    ("assignments", "person_raw"): "fragment as printed (`Gloria Martinelli (60%)`)",
    ("assignments", "person"): "person name with titles stripped, order as printed",
    ("assignments", "share_pct"): "share of the person's time in percent, when printed",
    ("assignments", "is_group"): "true for groups (`Tutti i dipendenti`, `Responsabili`)",
    ("assignments", "staff_match"): "staff-table name this person was matched to",
    ("assignments", "staff_score"): "fuzzy-match score of staff_match (100 = exact)",
    ("staff", "category"): "job category (`C`, `D1`, …) as printed",
    ("staff", "name"): "person name as printed in the staff table",
    ("staff", "weekly_hours_raw"): "weekly hours cell as printed",
    ("staff", "weekly_hours"): "weekly hours parsed from weekly_hours_raw",
    ("staff", "profile"): "professional profile as printed",
    ("outputs", "product"): "product / service as printed",
    ("outputs", "expected_label"): "header of the expected-quantity column as printed "
    "(`Q attesa 2023`)",
    ("outputs", "expected_raw"): "expected quantity as printed",
    ("outputs", "expected"): "expected quantity parsed from expected_raw",
    ("outputs", "actual_raw"): "actual quantity as printed",
    ("outputs", "actual"): "actual quantity parsed from actual_raw",
    ("indicators", "dimension"): "`digitale`, `finanziaria`, `professionale`, `genere`, …",
    ("indicators", "indicator"): "indicator name as printed",
    ("indicators", "baseline_raw"): "starting value as printed",
    ("indicators", "baseline"): "starting value parsed from baseline_raw",
    ("indicators", "target_1_raw"): "target for the first plan year as printed",
    ("indicators", "target_1"): "target for the first plan year, parsed",
    ("indicators", "target_2_raw"): "target for the second plan year as printed",
    ("indicators", "target_2"): "target for the second plan year, parsed",
    ("indicators", "target_3_raw"): "target for the third plan year as printed",
    ("indicators", "target_3"): "target for the third plan year, parsed",
    ("entity", "field"): "registry label as printed (`Codice Istat`)",
    ("entity", "value"): "value as printed",
    ("findings", "check_code"): "stable code of the check (`weights.total_mismatch`, …)",
    ("findings", "severity"): "`info`, `warning` or `error`",
    ("findings", "objective_key"): "objective the finding is about, if any",
    ("findings", "area_slug"): "area the finding is about, if any (also for area-level findings "
    "without an objective, such as a weight table that does not add up)",
    ("findings", "message"): "what was found, in words",
    ("findings", "expected"): "what the check expected, as text",
    ("findings", "found"): "what the document says, as text",
}


def describe(table: str, column: str) -> str | None:
    return _TABLE_DESCRIPTIONS.get((table, column)) or _DESCRIPTIONS.get(column)


def _type_name(t: pa.DataType) -> str:
    return {"large_string": "string", "bool": "bool"}.get(str(t), str(t))


def markdown() -> str:
    """The README "Datasets" section body, generated from the schemas."""
    out = [
        f"Schema version {SCHEMA_VERSION} (stored in every file's metadata as "
        f"`{META_SCHEMA_VERSION.decode()}`). One dataset per table under `<out>/<table>/`, "
        "hive-partitioned by entity and plan period, one file per source document: "
        "`<out>/<table>/ente=<slug>/period=<start>-<end>/<doc_id>.parquet`. "
        "Every document has a file in every table (zero rows when nothing was found), "
        "failed documents included.",
        "",
        "```python",
        'pandas.read_parquet("data/clean/objectives")',
        "duckdb.sql(\"from 'data/clean/objectives/**/*.parquet'\")",
        "piao.dataset.read_table(\"data/clean\", \"objectives\")  # partition columns as strings",
        "```",
        "",
        "`ente` and `period` come from the directory names (they are not stored inside the files). "
        "Columns marked *required* are never empty. `bbox_*` give the source box in PDF points "
        "(origin top-left). Generated by `python -m piao.schemas --update-readme README.md`.",
    ]
    for t in TABLES:
        out += ["", f"### {t}", "", f"One row per {TABLE_ROWS[t]}.", ""]
        out += ["| column | type | description |", "|---|---|---|"]
        for pf in dataset_schema(t):
            req = " *required*" if not pf.nullable else ""
            out.append(f"| `{pf.name}` | {_type_name(pf.type)}{req} | {describe(t, pf.name) or ''} |")
    return "\n".join(out) + "\n"


README_BEGIN, README_END = "<!-- datasets:begin -->\n", "<!-- datasets:end -->"


def update_readme(path: str) -> None:
    """Replace the generated block of the README's Datasets section (or append the section)."""
    from pathlib import Path

    readme = Path(path)
    text = readme.read_text(encoding="utf-8") if readme.exists() else ""
    block = README_BEGIN + markdown() + README_END
    if README_BEGIN in text and README_END in text:
        head, rest = text.split(README_BEGIN, 1)
        text = head + block + rest.split(README_END, 1)[1]
    else:
        text = (text.rstrip() + "\n\n" if text.strip() else "") + "## Datasets\n\n" + block + "\n"
    readme.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m piao.schemas", description=__doc__.splitlines()[0])
    p.add_argument("--markdown", action="store_true", help="print the README Datasets section")
    p.add_argument("--update-readme", metavar="README", help="rewrite the generated block in README")
    args = p.parse_args(argv)
    if args.update_readme:
        update_readme(args.update_readme)
    elif args.markdown:
        print(markdown(), end="")
    else:
        for t in TABLES:
            print(f"{t}:\n  " + "\n  ".join(str(f) for f in dataset_schema(t)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
