"""Dataset writer and pipeline failure handling.

The Plan built here is a *writer test input*, not a normaliser expectation:
its values are copied by hand from the Cazzago San Martino seed
(../shared/seeds/cazzago-san-martino-piao-2023-2025.md) only so every column
type (accents, typographic quotes, bbox, dates, lists, JSON) goes through the
writer and comes back unchanged through pandas and DuckDB.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import typing
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow.parquet as pq
import pytest

from normalize import records
from piao import dataset, schemas
from piao.dataset import Partition
from piao.pipeline import process_document

HOSTILE = Path(__file__).resolve().parents[2] / "shared/corpus/hostile"
DOC = "a1b2c3d4e5f60718"
BOX = (56.7, 100.25, 538.6, 140.0)


def writer_tables() -> dict[str, list]:
    """One hand-written record per table (writer test input, see module docstring)."""
    key = "trasversali/1T"
    return {
        "objectives": [records.Objective(
            objective_key=key, area="OBIETTIVI TRASVERSALI", area_slug="trasversali", number="1T",
            is_transversal=True,
            title="Aggiornamento del Sito istituzionale – “Amministrazione Trasparente”",
            missione_code=1, missione="Servizi istituzionali, generali e di gestione",
            labels_raw={"number": "OBIETTIVO N.", "title": "DENOMINAZIONE:"},
            missing_fields=["progress_report"], page_first=12, page_last=13, bbox=BOX)],
        "phases": [records.Phase(
            objective_key=key, plan_year=2023, year_index=1, year_label_raw="",
            grid_year_raw="CRONOPROGRAMMA 202", grid_year=None, seq=1, phase_no="1",
            description="Pubblicazione dati", services="Tutti i servizi",
            schedule_text="entro il 31/12/2023", deadline=dt.date(2023, 12, 31), page=12, bbox=BOX)],
        "schedule": [records.ScheduleMark(
            objective_key=key, plan_year=2023, year_index=1, seq=1, month=m, marked=m == 12,
            mark="text" if m == 12 else "", page=12) for m in (11, 12)],
        "weights": [records.Weight(
            table_kind="transversal", area="OBIETTIVI TRASVERSALI", area_slug="trasversali",
            responsible="", number="1T", title="Amministrazione Trasparente", weight_raw="25%",
            weight=25.0, declared_total_raw="100%", declared_total=100.0, page=14)],
        "assignments": [records.Assignment(
            objective_key=key, person_raw="45 % Masperi", person="Masperi", share_pct=45.0,
            is_group=False, staff_match="Maspero", staff_score=91.5, page=60)],
        "staff": [records.Staff(
            area="Area Finanziaria", area_slug="finanziaria", section="Personale assegnato:",
            category="C", name="Manuela Maspero", weekly_hours_raw="36", weekly_hours=36.0,
            profile="Istruttore amministrativo", page=9)],
        "outputs": [records.Output(
            area="Area Finanziaria", area_slug="finanziaria", dup_objective="Gestione entrate",
            product="Mandati emessi", expected_label="Q attesa 2023", expected_raw="1.200",
            expected=1200.0, actual_raw="", actual=None)],
        "indicators": [records.Indicator(
            section="3.1.2 Obiettivi per il miglioramento della salute digitale",
            dimension="digitale", indicator="Servizi on line attivi", baseline_raw="n.d.",
            baseline=None, target_1_raw="3", target_1=3.0, target_2_raw="5", target_2=5.0,
            target_3_raw="", target_3=None, line=412)],
        "entity": [records.EntityField(field="Codice Istat", value="017046", page=5)],
        "findings": [schemas.Finding(check_code="weights_total", severity="warning",
                                     message="i pesi sommano a 103, il TOTALE dichiara 100",
                                     expected="100", found="103", page=14)],
        "documents": [document_row("ok")],
    }


def document_row(status: str, **kw) -> schemas.DocumentRow:
    base = dict(
        sha256=DOC + "0" * 48, source_path="data/raw/cazzago.pdf", file_name="cazzago.pdf",
        format="pdf", size_bytes=1234, pages=85, ente_name="Comune di Cazzago San Martino",
        ente_slug="cazzago-san-martino", period_start=2023, period_end=2025,
        approval_act="DGC n. 44 del 19/04/2023", status=status, failed_pages=[], tables=40,
        cards=1, read_mode="text", tool_version="0.1.0", options_hash="abc",
        processed_at=dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc), seconds=1.5)
    base.update(kw)
    return schemas.DocumentRow(**base)


CAZZAGO = Partition("cazzago-san-martino", "2023-2025")


def parquet_files(root: Path) -> list[Path]:
    return sorted(root.rglob("*.parquet"))


# --- schemas ---------------------------------------------------------------------------------


def test_columns_follow_the_record_fields_in_order():
    for table, cls in schemas.TABLE_RECORDS.items():
        expected = ["doc_id"]
        hints = typing.get_type_hints(cls)
        for f in dataclasses.fields(cls):
            is_box = schemas._unwrap_optional(hints[f.name])[0] == records.BBox
            expected += list(schemas.BBOX_COLUMNS) if is_box else [f.name]
        assert schemas.schema(table).names == expected, table


def test_partition_columns_are_not_stored_in_files():
    for table in schemas.TABLES:
        assert not set(schemas.PARTITION_COLUMNS) & set(schemas.schema(table).names)
        assert schemas.dataset_schema(table).names[-2:] == ["ente", "period"]


def test_every_column_is_documented():
    undocumented = [(t, c) for t in schemas.TABLES for c in schemas.dataset_schema(t).names
                    if not schemas.describe(t, c)]
    assert undocumented == []


def test_readme_datasets_section_matches_the_schemas():
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    begin, end = schemas.README_BEGIN, schemas.README_END
    assert begin in readme and end in readme, "README lacks the generated Datasets block"
    section = readme.split(begin, 1)[1].split(end, 1)[0]
    assert section == schemas.markdown(), "run python -m piao.schemas --update-readme README.md"


def test_none_in_a_required_column_is_a_clear_error():
    bad = records.EntityField(field=None, value="017046")  # type: ignore[arg-type]
    with pytest.raises(schemas.SchemaError, match=r"entity\.field: row 0"):
        schemas.to_arrow("entity", DOC, [bad])


def test_wrong_value_type_names_the_column():
    bad = records.EntityField(field="Codice Istat", value="017046", page="5")  # type: ignore[arg-type]
    with pytest.raises(schemas.SchemaError, match=r"entity\.page"):
        schemas.to_arrow("entity", DOC, [bad])


# --- writing and reading ---------------------------------------------------------------------


def test_roundtrip_every_table_through_pandas_and_duckdb(tmp_path):
    tables = writer_tables()
    dataset.write_document(tmp_path, DOC, CAZZAGO, tables)

    for name, rows in tables.items():
        df = pd.read_parquet(tmp_path / name)
        assert len(df) == len(rows), name
        assert set(df["ente"].astype(str)) == {"cazzago-san-martino"}
        assert set(df["period"].astype(str)) == {"2023-2025"}
        assert list(df["doc_id"]) == [DOC] * len(rows)

        glob = f"{tmp_path}/{name}/**/*.parquet"
        auto = duckdb.sql(f"select * from '{glob}'").df()
        hive = duckdb.sql(f"select * from read_parquet('{glob}', hive_partitioning=true)").df()
        assert len(auto) == len(hive) == len(rows), name
        assert set(hive["ente"]) == {"cazzago-san-martino"} and set(hive["period"]) == {"2023-2025"}
        assert list(hive.columns[: len(schemas.schema(name))]) == schemas.schema(name).names

    obj = pd.read_parquet(tmp_path / "objectives").iloc[0]
    assert obj["title"] == "Aggiornamento del Sito istituzionale – “Amministrazione Trasparente”"
    assert (obj["bbox_x0"], obj["bbox_top"], obj["bbox_x1"], obj["bbox_bottom"]) == BOX
    assert list(obj["missing_fields"]) == ["progress_report"]
    label_json = duckdb.sql(
        f"select json_extract_string(labels_raw, '$.number') from '{tmp_path}/objectives/**/*.parquet'"
    ).fetchall()
    assert label_json == [("OBIETTIVO N.",)]

    phase = dataset.read_table(tmp_path, "phases").iloc[0]
    assert phase["deadline"] == dt.date(2023, 12, 31)
    assert pd.isna(phase["grid_year"]) and phase["grid_year_raw"] == "CRONOPROGRAMMA 202"

    sched = dataset.read_table(tmp_path, "schedule")
    assert list(sched["month"]) == [11, 12] and list(sched["marked"]) == [False, True]

    docs = dataset.read_table(tmp_path, "documents").iloc[0]
    assert docs["processed_at"] == pd.Timestamp("2024-01-02 03:04:05", tz="UTC")
    assert docs["ente_name"] == "Comune di Cazzago San Martino" and docs["ente"] == "cazzago-san-martino"

    unquoted = duckdb.sql(f"select check_code, found from '{tmp_path}/findings/**/*.parquet'").fetchall()
    assert unquoted == [("weights_total", "103")]


def test_schema_version_is_in_every_file(tmp_path):
    dataset.write_document(tmp_path, DOC, CAZZAGO, writer_tables())
    files = parquet_files(tmp_path)
    assert len(files) == len(schemas.TABLES)
    for f in files:
        meta = pq.read_schema(f).metadata
        assert meta[schemas.META_SCHEMA_VERSION] == schemas.SCHEMA_VERSION.encode()
        assert meta[schemas.META_TABLE].decode() == f.relative_to(tmp_path).parts[0]


def test_empty_tables_and_mixed_partitions_load_together(tmp_path):
    dataset.write_document(tmp_path, DOC, CAZZAGO, writer_tables())
    empty = {t: [] for t in schemas.TABLES} | {"documents": [document_row("failed", pages=None)]}
    other = "ffff000011112222"
    dataset.write_document(tmp_path, other, Partition(), empty)

    assert (tmp_path / "weights/ente=unknown/period=unknown" / f"{other}.parquet").is_file()
    assert pq.read_metadata(tmp_path / "weights/ente=unknown/period=unknown" / f"{other}.parquet").num_rows == 0
    for name in schemas.TABLES:
        df = pd.read_parquet(tmp_path / name)
        assert set(df["doc_id"]) <= {DOC, other}
        got = duckdb.sql(f"select count(*) from '{tmp_path}/{name}/**/*.parquet'").fetchall()[0][0]
        assert got == len(df), name
    docs = dataset.read_table(tmp_path, "documents").set_index("doc_id")
    assert docs.loc[other, "ente"] == "unknown" and docs.loc[other, "status"] == "failed"


def test_rewriting_a_document_replaces_its_files(tmp_path):
    tables = writer_tables()
    dataset.write_document(tmp_path, DOC, CAZZAGO, tables)
    dataset.write_document(tmp_path, DOC, CAZZAGO, tables)
    assert len(parquet_files(tmp_path / "objectives")) == 1
    assert len(pd.read_parquet(tmp_path / "objectives")) == 1

    # a better read finds another period: the old partition's file must go
    moved = Partition("cazzago-san-martino", "2024-2026")
    dataset.write_document(tmp_path, DOC, moved, tables)
    assert dataset.document_files(tmp_path, DOC) == sorted(
        dataset.table_file(tmp_path, t, DOC, moved) for t in schemas.TABLES)
    assert set(pd.read_parquet(tmp_path / "objectives")["period"].astype(str)) == {"2024-2026"}
    assert [p for p in tmp_path.rglob("*") if p.name.startswith(".")] == []  # no temp files left


def test_a_failed_write_leaves_the_previous_file(tmp_path):
    dataset.write_document(tmp_path, DOC, CAZZAGO, writer_tables())
    bad = writer_tables()
    bad["objectives"][0].title = None
    with pytest.raises(schemas.SchemaError):
        dataset.write_document(tmp_path, DOC, CAZZAGO, bad)
    df = pd.read_parquet(tmp_path / "objectives")
    assert list(df["title"]) == [writer_tables()["objectives"][0].title]


def test_partition_values_are_path_safe():
    assert Partition.of("Cazzago S/Martino", 2023, 2025) == Partition("cazzago-s-martino", "2023-2025")
    assert Partition.of("", 2023, None) == Partition("unknown", "unknown")


def test_read_table_of_a_missing_dataset_is_empty_with_columns(tmp_path):
    df = dataset.read_table(tmp_path, "weights")
    assert df.empty and list(df.columns) == schemas.dataset_schema("weights").names


# --- failed documents through the pipeline ----------------------------------------------------


@pytest.mark.parametrize("name", ["synthetic-zero-bytes.pdf", "synthetic-html-error-page.pdf"])
def test_unreadable_file_gets_a_failed_documents_row(tmp_path, name):
    src = HOSTILE / name
    res = process_document(src, tmp_path)
    assert res.status == "failed"
    # a reader refusal, not a crash of the pipeline or a missing module
    assert res.error_kind not in (None, "internal", "schema"), res.error
    docs = dataset.read_table(tmp_path, "documents")
    assert len(docs) == 1
    row = docs.iloc[0]
    assert row["status"] == "failed" and row["error"] and "Traceback" not in row["error"]
    assert row["error_kind"] == res.error_kind
    assert row["size_bytes"] == src.stat().st_size and row["file_name"] == name
    assert (row["ente"], row["period"]) == ("unknown", "unknown")
    for table in schemas.TABLES:  # every dataset exists and loads, with no rows from this file
        assert len(pd.read_parquet(tmp_path / table)) == (1 if table == "documents" else 0)


def test_a_document_with_an_unreadable_page_is_partial(tmp_path):
    # MANIFEST: "3-page file whose middle page has no /Contents, /MediaBox or /Resources";
    # reading that page as blank or failing it are both acceptable, but a failure must
    # name page 2 and keep the other pages.
    res = process_document(HOSTILE / "qpdf-page-no-content.pdf", tmp_path)
    row = dataset.read_table(tmp_path, "documents").iloc[0]
    assert res.pages == row["pages"] == 3
    assert (res.status, res.failed_pages) in [("ok", []), ("partial", [2])]
    assert row["status"] == res.status and list(row["failed_pages"]) == res.failed_pages
    if res.status == "partial":
        assert row["error_kind"] == "pages" and row["error"].startswith("page(s) 2 ")


SEED_MD = Path(__file__).resolve().parents[2] / "shared/seeds/cazzago-san-martino-piao-2023-2025.md"


def test_the_seed_goes_end_to_end_into_every_dataset(tmp_path):
    text = SEED_MD.read_text(encoding="utf-8")
    res = process_document(SEED_MD, tmp_path)
    assert res.status == "ok", res.error
    part = "ente=cazzago-san-martino/period=2023-2025"  # "PIAO TRIENNIO 2023-2025", Comune di Cazzago
    for table in schemas.TABLES:
        files = dataset.document_files(tmp_path, res.doc_id)
        assert (tmp_path / table / part / f"{res.doc_id}.parquet") in files
        if table != "documents":
            assert len(pd.read_parquet(tmp_path / table)) == res.counts[table], table

    doc = dataset.read_table(tmp_path, "documents").iloc[0]
    assert doc["format"] == "md" and pd.isna(doc["pages"])
    assert "DGC n. 44 del 19/04/2023" in doc["approval_act"]  # "Approvato con DGC n. 44 del 19/04/2023"
    assert (doc["period_start"], doc["period_end"]) == (2023, 2025)
    # every card opens with an "OBIETTIVO N." label (one misspelt "OBBIETTIVO")
    assert doc["cards"] == text.count("OBIETTIVO N.") + text.count("OBBIETTIVO N.") == res.cards

    entity = dataset.read_table(tmp_path, "entity").set_index("field")
    assert entity.loc["Codice Istat", "value"] == "017046"  # leading zero kept: a string column

    again = process_document(SEED_MD, tmp_path)  # rerun: files replaced, not duplicated
    assert again.doc_id == res.doc_id
    assert len(dataset.document_files(tmp_path, res.doc_id)) == len(schemas.TABLES)
    assert len(pd.read_parquet(tmp_path / "objectives")) == res.cards
