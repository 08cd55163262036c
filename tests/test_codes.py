"""The entity's registry codes in `documents`: ISTAT, codice fiscale / partita IVA, IPA.

The sample plan's registry card (data/raw/…2023-2025.md, seed lines 73-75) prints
"C.F 82001930179 / P.IVA 00724650981", "017046" and "Codice Ipa KCT36W"; a copy with a
damaged code keeps the column empty and says so in a finding.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from normalize.codes import entity_codes, partita_iva_ok
from normalize.records import EntityField
from piao import dataset
from piao.pipeline import process_document

SAMPLE_MD = Path(__file__).resolve().parents[1] / "data" / "raw" / "cazzago-san-martino-piao-2023-2025.md"


def _run(path: Path, out: Path) -> tuple[pd.Series, pd.DataFrame]:
    res = process_document(path, out)
    assert res.status == "ok", res.error
    return dataset.read_table(out, "documents").iloc[0], dataset.read_table(out, "findings")


def test_seed_codes_are_in_documents(tmp_path):
    doc, findings = _run(SAMPLE_MD, tmp_path)
    assert (doc["istat_code"], doc["codice_fiscale"], doc["ipa_code"], doc["ipa_code_kind"]) == (
        "017046", "82001930179", "KCT36W", "uff_fe")
    assert not (findings["check_code"] == "codes.malformed").any()


@pytest.mark.parametrize("printed, damaged, column", [
    ("C.F 82001930179", "C.F 82001930178", "codice_fiscale"),  # wrong check digit
    ("\t017046", "\t17046", "istat_code"),  # leading zero lost (a spreadsheet did it)
    ("\tKCT36W", "\tKCT 36W", "ipa_code"),
])
def test_a_malformed_code_is_a_finding_not_a_value(tmp_path, printed, damaged, column):
    text = SAMPLE_MD.read_text(encoding="utf-8")
    assert text.count(printed) == 1
    copy = tmp_path / "plan.md"
    copy.write_text(text.replace(printed, damaged), encoding="utf-8")
    doc, findings = _run(copy, tmp_path / "clean")
    assert pd.isna(doc[column])
    hits = findings[findings["check_code"] == "codes.malformed"]
    assert len(hits) == 1 and damaged.strip().split("C.F ")[-1] in hits.iloc[0]["found"], hits
    assert hits.iloc[0]["severity"] == "warning" and hits.iloc[0]["line"] > 0


def test_partita_iva_check_digit():
    assert partita_iva_ok("00724650981") and partita_iva_ok("82001930179")
    assert not partita_iva_ok("00724650982") and not partita_iva_ok("0072465098")
    assert not partita_iva_ok("0072465098a")


def test_ipa_forms():
    body = entity_codes([EntityField("Codice IPA", "c_b157")])
    assert (body.ipa_code, body.ipa_code_kind) == ("c_b157", "ente")
    office = entity_codes([EntityField("Codice univoco ufficio IPA", "UF8XWN")])
    assert (office.ipa_code, office.ipa_code_kind) == ("UF8XWN", "uff_fe")
    assert entity_codes([EntityField("Codice IPA", "vedi sito")]).malformed
