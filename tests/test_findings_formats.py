"""The seed's findings in the three formats of the sample plan (data/raw: the real seed
Markdown, and the same plan rendered to DOCX and, through LibreOffice, to PDF).

The expected findings are the ones read by eye from the seed in tests/test_checks.py
(SEED: check → objective key or area slug). Each must be reported exactly once in
every format, and in the PDF each must say on which page it is: a card-level finding
on the page where its card starts, a phase's within its card's pages.
"""

from __future__ import annotations

from collections import Counter

import pytest
from conftest import REPO
from test_checks import SEED, SEED_COUNTS, _key

from extract import read_document
from normalize import parse_document
from piao.checks import run_checks

SAMPLE = REPO / "data" / "raw" / "cazzago-san-martino-piao-2023-2025"
FORMATS = ("md", "docx", "pdf")


@pytest.fixture(scope="module")
def parsed():
    """fmt → (IR, plan, findings), each format read once for the module."""
    cache: dict[str, tuple] = {}

    def get(fmt: str) -> tuple:
        if fmt not in cache:
            path = SAMPLE.with_suffix(f".{fmt}")
            if not path.is_file():
                pytest.skip(f"sample {path.name} missing")
            doc = read_document(path)
            plan = parse_document(doc)
            cache[fmt] = doc, plan, run_checks(plan)
        return cache[fmt]

    return get


@pytest.fixture(scope="module")
def card_lines(parsed):
    """(check, key) of the seed findings that point at their card's first line (Markdown):
    card-level findings, as opposed to a phase's or a table row's."""
    _, plan, _ = parsed("md")
    first_line = {o.objective_key: o.line for o in plan.objectives}
    return {(code, key) for code, keys in SEED.items() for key, line in keys.items()
            if first_line.get(key) == line}


@pytest.mark.parametrize("fmt", FORMATS)
def test_each_seed_finding_once_in_every_format(parsed, fmt):
    _, _, findings = parsed(fmt)
    problems = []
    for code, expected in SEED.items():
        found = [f for f in findings if f.check_code == code]
        counts = Counter(_key(f) for f in found)
        if set(counts) != set(expected):
            problems.append(f"{code}: missing {sorted(set(expected) - set(counts))}, "
                            f"extra {sorted(set(counts) - set(expected))}")
        elif len(found) != SEED_COUNTS.get(code, len(expected)):
            problems.append(f"{code}: {len(found)} findings for {len(expected)} expected: {counts}")
    assert not problems, f"{fmt}: " + "; ".join(problems)


def test_pdf_findings_carry_their_page(parsed, card_lines):
    doc, plan, findings = parsed("pdf")
    assert len(card_lines) >= 10  # cards.missing_fields, shares, people… point at the card
    pages = len(doc.pages)
    cards = {o.objective_key: o for o in plan.objectives}
    for code, expected in SEED.items():
        for f in (f for f in findings if f.check_code == code and _key(f) in expected):
            where = f"{code} {_key(f)}"
            assert f.page is not None and 1 <= f.page <= pages, f"{where}: page {f.page}"
            card = cards.get(f.objective_key or "")
            if (code, _key(f)) in card_lines:
                assert f.page == card.page_first, f"{where}: page {f.page}, card {card.page_first}"
            elif card is not None and not code.startswith("weights."):  # a phase of the card
                assert card.page_first <= f.page <= card.page_last, f"{where}: page {f.page}"
