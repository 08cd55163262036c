"""Reports: the seed's HTML report parsed back (lxml) and asserted on its DOM, the Markdown
twin, the batch summary, and a look at the page in headless Chromium when it is installed.

Heat-map values were read by eye from ../shared/seeds/cazzago-san-martino-piao-2023-2025.md
(line numbers in comments)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import shutil
import subprocess
from collections import Counter

import lxml.html
import pandas as pd
import pytest

from piao.checks import REGISTRY, run_checks
from piao.report import render_batch_summary, render_html, render_markdown
from piao.schemas import DocumentRow

AREAS = [
    "trasversali",
    "affari-generali",
    "servizi-alla-persona",
    "polizia-locale",
    "finanziaria",
    "tecnica",
]
META = {
    "doc_id": "5e1d0c2b9a8f7e6d",
    "file_name": "cazzago-san-martino-piao-2023-2025.md",
    "format": "md",
    "status": "ok",
    "tool_version": "0.1.0",
}


@pytest.fixture(scope="module")
def findings(seed_plan):
    return run_checks(seed_plan)


@pytest.fixture(scope="module")
def html_it(seed_plan, findings):
    return render_html(seed_plan, findings, META)


@pytest.fixture(scope="module")
def dom(html_it):
    return lxml.html.fromstring(html_it)


def _heat_row(dom, key: str, label: str) -> list[int]:
    row = dom.xpath(f'//table[@class="heat"]//tr[@data-key="{key}"][@data-label="{label}"]')
    assert len(row) == 1, (key, label)
    return [int(td.get("data-count")) for td in row[0].xpath('./td[@class="m"]')]


def test_html_is_self_contained(html_it, dom):
    assert dom.get("lang") == "it"
    assert not dom.xpath("//link | //script | //img | //iframe | //object")
    assert "http://" not in html_it and "https://" not in html_it and "url(" not in html_it
    assert len(dom.xpath("//style")) == 1


def test_html_summary_counts(dom, findings):
    counts = {
        tr.get("data-check"): int(tr.get("data-count"))
        for tr in dom.xpath('//table[@class="summary"]//tr[@data-check]')
    }
    assert set(REGISTRY) <= set(counts)  # every check listed, found or not
    assert {c: n for c, n in counts.items() if n} == Counter(f.check_code for f in findings)
    # from the seed: one weight total (Finanziaria), nine Tecnica titles, three phase numberings
    assert (
        counts["weights.total_mismatch"],
        counts["cards.title_mismatch"],
        counts["phases.numbering"],
    ) == (1, 9, 3)
    cards = {
        d.get("data-severity"): int(d.xpath('./span[@class="n"]')[0].text)
        for d in dom.xpath('//section[@id="summary"]//div[@data-severity]')
    }
    assert cards == {
        s: sum(f.severity == s for f in findings) for s in ("error", "warning", "info")
    }
    assert cards["error"] == 1


def test_html_findings_grouped_by_area_and_objective(dom, findings):
    assert [s.get("data-area") for s in dom.xpath('//section[@class="area"]')] == AREAS
    # every finding appears once in the page
    assert len(dom.xpath('//tr[@class="finding"]')) == len(findings)
    fin9 = dom.xpath(
        '//section[@class="area"][@data-area="finanziaria"]//section[@data-key="finanziaria/9"]'
    )
    assert len(fin9) == 1
    checks = sorted(tr.get("data-check") for tr in fin9[0].xpath('.//tr[@class="finding"]'))
    assert checks == [
        "cards.missing_fields",
        "shares.total_mismatch",
    ]  # empty DESCRIZIONE, 33+33+33
    where = {td.text_content() for td in fin9[0].xpath('.//td[@class="where"]')}
    assert where == {"riga 1104"}  # the card starts at seed line 1104
    # the weight total is a finding on the area, not on an objective
    area_level = dom.xpath(
        '//section[@data-area="finanziaria"]/table[@class="findings"]//tr[@class="finding"]'
    )
    assert {tr.get("data-check") for tr in area_level} == {
        "weights.total_mismatch",
        "areas.name_variants",
    }
    assert (
        dom.xpath('//section[@data-area="finanziaria"]/h2')[0]
        .text_content()
        .startswith("AREA ECONOMICO FINANZIARIA")
    )


def test_html_schedule_heatmap(dom):
    # Finanziaria 23 (seed 1352-1354): phase 1 in April, phase 2 May-October, phase "1" April-December
    assert _heat_row(dom, "finanziaria/23", "23") == [0, 0, 0, 2, 2, 2, 2, 2, 2, 2, 1, 1]
    # Polizia Locale 3 (seed 917-921): Jan-Jun, Aug-Sep, Oct-Dec, Aug-Dec, all year
    assert _heat_row(dom, "polizia-locale/3", "3") == [2, 2, 2, 2, 2, 2, 1, 3, 3, 3, 3, 3]
    # Affari Generali 1, second programming year (seed 393): January-June 2024
    assert _heat_row(dom, "affari-generali/1", "1 · 2024") == [1] * 6 + [0] * 6
    # Finanziaria 22 second year: no marks, the text written across the grid (seed 1336)
    row = dom.xpath('//tr[@data-key="finanziaria/22"][@data-label="22 · 2024"]')[0]
    assert _heat_row(dom, "finanziaria/22", "22 · 2024") == [0] * 12
    assert row.xpath('./td[@class="txt"]')[0].text_content() == "entro il 31.05.2024"
    # one heat-map per area, one row per programming year of each card: 69 cards, 2 second years
    assert len(dom.xpath('//table[@class="heat"]')) == 6
    assert len(dom.xpath('//table[@class="heat"]//tr[@data-key]')) == 71
    # a marked cell is shaded, an empty one is not
    cells = dom.xpath('//tr[@data-key="finanziaria/23"]/td[@class="m"]')
    assert "background" in cells[3].get("style", "") and cells[0].get("style") is None
    # a card with findings links to them
    assert dom.xpath('//tr[@data-key="finanziaria/23"]//a/@href') == ["#obj-finanziaria-23"]
    assert dom.xpath('//section[@id="obj-finanziaria-23"]')


def test_html_from_the_findings_table(seed_plan, findings):
    """`piao report` may read the findings back from Parquet: a DataFrame works the same way,
    except that area-level findings (no objective_key column value) land on the document."""
    rows = [dataclasses.asdict(f) for f in findings]
    table = pd.DataFrame(rows).drop(columns=["message_en", "area_slug"])  # the Parquet columns
    dom = lxml.html.fromstring(render_html(seed_plan, table, META))
    assert len(dom.xpath('//tr[@class="finding"]')) == len(findings)
    on_document = {tr.get("data-check") for tr in dom.xpath('//section[@id="document"]//tr')}
    assert on_document == {"weights.total_mismatch", "areas.name_variants", None}  # None: header
    fin9 = dom.xpath('//section[@data-key="finanziaria/9"]//td[@class="where"]')
    assert {td.text_content() for td in fin9} == {"riga 1104"}  # NaN-free page/line


def test_html_english(seed_plan, findings):
    dom = lxml.html.fromstring(render_html(seed_plan, findings, META, lang="en"))
    assert dom.get("lang") == "en"
    assert dom.xpath("//h2")[0].text_content() == "Summary"
    row = dom.xpath(
        '//section[@data-key="finanziaria/9"]//tr[@data-check="shares.total_mismatch"]'
    )[0]
    assert "Staff shares 33 + 33 + 33 = 99%" in row.text_content()
    assert dom.xpath('//table[@class="heat"]//th[@class="m"]')[0].text == "Jan"
    with pytest.raises(ValueError):
        render_html(seed_plan, findings, META, lang="de")


def test_markdown_same_content(seed_plan, findings):
    md = render_markdown(seed_plan, findings, META)
    lines = md.splitlines()
    assert lines[0] == "# Rapporto di coerenza"
    assert "## AREA ECONOMICO FINANZIARIA (20 segnalazioni)" in lines
    assert "## AREA POLIZIA LOCALE (1 segnalazione)" in lines
    assert (
        "| `weights.total_mismatch` | errore | I pesi di una tabella di pesatura non sommano al TOTALE "
        "dichiarato | 1 |" in lines
    )
    # heat-map rows: Finanziaria 23 (seed 1347-1354), Finanziaria 22's second year (1329-1336)
    assert (
        "| 23 | Avvio attività Comunità Energetica Rinnovabile | 3 "
        "| · | · | · | 2 | 2 | 2 | 2 | 2 | 2 | 2 | 1 | 1 |  |" in lines
    )
    row22 = next(
        line for line in lines if line.startswith("| 22 · 2024 | Miglioramento operatività")
    )
    assert row22.endswith(
        "| 1 | · | · | · | · | · | · | · | · | · | · | · | · | entro il 31.05.2024 |"
    )
    # every finding is one table row: severity, message, check code, expected, found, where
    rows = [
        line
        for line in lines
        if re.match(r"^\| (errore|avviso|nota) \| .* \| `[a-z_.]+` \| ", line)
    ]
    assert len(rows) == len(findings)
    assert sum(line.endswith("| riga 1104 |") for line in rows) == 2  # Finanziaria 9 (seed 1104)
    assert "<" not in md.replace("\\<", "")  # no raw HTML in the Markdown


def test_markdown_english(seed_plan, findings):
    md = render_markdown(seed_plan, findings, META, lang="en")
    assert md.startswith("# Consistency report")
    assert "| Objective | Title | Phases | Jan | Feb |" in md


def _doc_row(**kw) -> dict:
    base = dict(
        sha256="0" * 64,
        source_path="data/raw/x.pdf",
        file_name="x.pdf",
        format="pdf",
        size_bytes=1,
        status="ok",
        tool_version="0.1.0",
        options_hash="abc",
        seconds=0.1,
        processed_at=dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc),
    )
    base.update(kw)
    row = dataclasses.asdict(DocumentRow(**{k: v for k, v in base.items() if k != "doc_id"}))
    row["doc_id"] = kw.get("doc_id", base["sha256"][:16])
    return row


@pytest.fixture(scope="module")
def batch(seed_plan, findings):
    seed_id = "5e1d0c2b9a8f7e6d"
    documents = pd.DataFrame(
        [
            _doc_row(
                doc_id=seed_id,
                sha256=seed_id + "0" * 48,
                source_path="data/raw/cazzago.md",
                file_name="cazzago.md",
                format="md",
                ente_name=seed_plan.ente,
                ente_slug=seed_plan.ente_slug,
                period_start=2023,
                period_end=2025,
                cards=len(seed_plan.objectives),
            ),
            _doc_row(
                doc_id="ffffffffffffffff",
                sha256="f" * 64,
                source_path="data/raw/rotto.pdf",
                file_name="rotto.pdf",
                status="failed",
                error="the PDF is encrypted and no password was given",
                error_kind="encrypted",
            ),
        ]
    )
    rows = [
        {
            **{
                k: getattr(f, k)
                for k in (
                    "check_code",
                    "severity",
                    "message",
                    "objective_key",
                    "expected",
                    "found",
                    "page",
                    "line",
                )
            },
            "doc_id": seed_id,
        }
        for f in findings
    ]
    return render_batch_summary(
        documents, pd.DataFrame(rows), "it", links={seed_id: "reports/cazzago.html"}
    )


def test_batch_summary_html(batch, findings):
    html, _ = batch
    dom = lxml.html.fromstring(html)
    assert not dom.xpath("//link | //script | //img")
    status = {
        d.get("data-status"): int(d.xpath("./span")[0].text)
        for d in dom.xpath("//div[@data-status]")
    }
    assert status == {"ok": 1, "partial": 0, "failed": 1, "skipped": 0, "duplicate": 0}
    per_check = {
        tr.get("data-check"): [int(td.text) for td in tr.xpath('./td[@class="num"]')]
        for tr in dom.xpath('//section[@id="checks"]//tr[@data-check]')
    }
    assert per_check["cards.title_mismatch"] == [9, 1]  # nine findings in one document
    assert per_check["weights.total_mismatch"] == [1, 1]
    assert sum(v[0] for v in per_check.values()) == len(findings)
    docs = dom.xpath('//section[@id="documents"]//tr[@data-doc]')
    assert [d.get("data-doc") for d in docs] == [
        "5e1d0c2b9a8f7e6d",
        "ffffffffffffffff",
    ]  # most errors first
    assert docs[0].xpath(".//a/@href") == ["reports/cazzago.html"]
    assert [td.text for td in docs[0].xpath('./td[@class="num"]')] == [
        "69",
        "1",
        str(sum(f.severity == "warning" for f in findings)),
        str(sum(f.severity == "info" for f in findings)),
    ]
    failed = dom.xpath('//section[@id="failed"]//td')
    assert [td.text_content() for td in failed] == [
        "rotto.pdf",
        "encrypted",
        "the PDF is encrypted and no password was given",
    ]


def test_batch_summary_markdown_and_empty(batch):
    _, md = batch
    assert md.startswith("# Riepilogo dei controlli di coerenza")
    assert (
        "| `cards.title_mismatch` | avviso | Il titolo della scheda è diverso da quello della tabella di "
        "pesatura | 9 | 1 |" in md
    )
    assert "| rotto.pdf | encrypted | the PDF is encrypted and no password was given |" in md
    html, md = render_batch_summary(pd.DataFrame(), pd.DataFrame(), "en")
    assert "Consistency checks: summary" in html and md.startswith("# Consistency checks: summary")


@pytest.mark.skipif(
    shutil.which("chromium") is None, reason="chromium not installed (apt-get install chromium)"
)
def test_html_renders_in_headless_chromium(tmp_path, html_it):
    """The page opens in a real browser and is not blank: the screenshot has ink on it."""
    page = tmp_path / "report.html"
    page.write_text(html_it, encoding="utf-8")
    shot = tmp_path / "report.png"
    subprocess.run(
        [
            "chromium",
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            f"--screenshot={shot}",
            "--window-size=1280,2000",
            page.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    PIL = pytest.importorskip("PIL.Image")
    with PIL.open(shot) as im:
        assert im.size == (1280, 2000)
        gray = im.convert("L")
        dark = sum(gray.histogram()[:100])  # text, badges and the summary's numbers
        assert dark > 5000
        # the severity colours are there (error red of the first summary card)
        colours = im.convert("RGB").getcolors(maxcolors=1 << 20)
        assert any(r > 150 and g < 60 and b < 60 for _, (r, g, b) in colours)
