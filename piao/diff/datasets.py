"""Diff two plan years straight from the Parquet datasets (`piao run` output).

The rows of one document are turned back into the record dataclasses
(`piao.schemas.records_from_frame`, the inverse of `to_arrow`), giving the same
`Plan` the normaliser made, so the diff logic is the one `diff_plans` runs on
freshly parsed documents. Only the tables a diff reads are loaded: documents,
objectives, phases, schedule, weights, assignments.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from normalize.records import Plan
from piao.dataset import read_table
from piao.diff.compare import PlanDiff, compare_plans
from piao.schemas import is_missing, records_from_frame

PLAN_TABLES = ("objectives", "phases", "schedule", "weights", "assignments")
READABLE = ("ok", "partial")


class DatasetDiffError(ValueError):
    """The datasets do not hold exactly one readable document for a requested plan."""


def compare_datasets(clean_dir: str | Path, ente: str, old_period: str, new_period: str, *,
                     old_doc_id: str | None = None, new_doc_id: str | None = None) -> PlanDiff:
    """The plans of `ente` (slug) for two periods ("2023-2025") in `clean_dir`, compared."""
    tables = {name: read_table(clean_dir, name) for name in ("documents", *PLAN_TABLES)}
    old_id = pick_document(tables["documents"], ente, old_period, old_doc_id)
    new_id = pick_document(tables["documents"], ente, new_period, new_doc_id)
    return compare_plans(plan_from_tables(tables, old_id), plan_from_tables(tables, new_id),
                         old_source=old_id, new_source=new_id)


def pick_document(documents: pd.DataFrame, ente: str, period: str, doc_id: str | None) -> str:
    """The doc_id of the one readable document of (ente, period); a clear error otherwise.

    Two readable documents of the same plan (its PDF and its DOCX, two
    versions) are not guessed between: the caller names one.
    """
    rows = documents[(documents["ente"] == ente) & (documents["period"] == period)]
    readable = rows[rows["status"].isin(READABLE)]
    if doc_id is not None:
        hit = readable[readable["doc_id"] == doc_id]
        if hit.empty:
            raise DatasetDiffError(f"no readable document {doc_id} for ente={ente} period={period}")
        return doc_id
    if readable.empty:
        known = sorted(set(documents["period"][documents["ente"] == ente]))
        raise DatasetDiffError(f"no readable document for ente={ente} period={period}"
                               + (f" (periods found: {', '.join(known)})" if known else ""))
    if len(readable) > 1:
        listed = ", ".join(f"{r.doc_id} ({r.file_name})" for r in readable.itertuples())
        raise DatasetDiffError(f"{len(readable)} documents for ente={ente} period={period}: "
                               f"{listed}; name the one to compare")
    return str(readable["doc_id"].iloc[0])


def plan_from_tables(tables: dict[str, pd.DataFrame], doc_id: str) -> Plan:
    doc = tables["documents"][tables["documents"]["doc_id"] == doc_id].iloc[0]
    plan = Plan(
        ente=_value(doc["ente_name"]) or "", ente_slug=_value(doc["ente_slug"]) or "",
        period_start=_int(doc["period_start"]), period_end=_int(doc["period_end"]),
        approval_act=_value(doc["approval_act"]) or "",
    )
    for name in PLAN_TABLES:
        frame = tables[name]
        setattr(plan, name, records_from_frame(name, frame[frame["doc_id"] == doc_id]))
    return plan


def _value(v: Any) -> Any:
    return None if is_missing(v) else v


def _int(v: Any) -> int | None:
    return None if is_missing(v) else int(v)
