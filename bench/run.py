"""Throughput of the pipeline against the bare libraries, and the batch speed-up.

    /work/venv/bin/python bench/run.py [PDF] [--copies N] [--camelot-pages K]

Each measurement runs in a fresh interpreter so its peak RSS (ru_maxrss of the
process and of its children, i.e. the sandbox child that does the reading) is
its own. Printed: pages/second and peak RSS of

  (a) the full pipeline on one document (read + parse + checks + Parquet),
  (b) bare pdfplumber: find_tables() + extract() on every page, page.close(),
  (c) camelot lattice, on the first K pages only (it renders each page; the
      rate is scaled from those pages, not measured on the whole file),
  (d) pypdfium2 text extraction, the floor,

their ratios, and the wall time of `run_batch` over N copies of the PDF with 1
and 2 workers (each copy gets a different comment after %%EOF so the copies
differ in bytes and none is skipped as a duplicate).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_PDF = REPO / "data/raw/cazzago-san-martino-piao-2023-2025.pdf"


def _peak_rss_mb() -> float:
    kb = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
             resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    return kb / 1024  # Linux reports KiB


def measure_pipeline(pdf: Path, _k: int) -> dict:
    from piao.pipeline import process_document

    with tempfile.TemporaryDirectory() as out:
        t0 = time.perf_counter()
        r = process_document(pdf, out)
        return {"pages": r.pages, "seconds": time.perf_counter() - t0, "status": r.status}


def measure_pdfplumber(pdf: Path, _k: int) -> dict:
    import pdfplumber

    t0 = time.perf_counter()
    with pdfplumber.open(pdf) as doc:
        n = len(doc.pages)
        for page in doc.pages:
            for table in page.find_tables():
                table.extract()
            page.close()
    return {"pages": n, "seconds": time.perf_counter() - t0}


def measure_camelot(pdf: Path, k: int) -> dict:
    import camelot

    t0 = time.perf_counter()
    camelot.read_pdf(str(pdf), flavor="lattice", pages=f"1-{k}")
    return {"pages": k, "seconds": time.perf_counter() - t0, "note": f"first {k} pages only"}


def measure_pdfium(pdf: Path, _k: int) -> dict:
    import pypdfium2 as pdfium

    t0 = time.perf_counter()
    doc = pdfium.PdfDocument(str(pdf))
    n = len(doc)
    for i in range(n):
        page = doc[i]
        textpage = page.get_textpage()
        textpage.get_text_range()
        textpage.close()
        page.close()
    doc.close()
    return {"pages": n, "seconds": time.perf_counter() - t0}


def measure_read_pdfium(pdf: Path, _k: int) -> dict:
    """read_pdf alone (no parsing) with the pdfium backend: the IR the pipeline gets."""
    from extract.pdf import read_pdf
    from extract.settings import ReadSettings

    t0 = time.perf_counter()
    doc = read_pdf(pdf, ReadSettings(pdf_backend="pdfium", ocr=False))
    return {"pages": len(doc.pages), "seconds": time.perf_counter() - t0}


def measure_read_pdfplumber(pdf: Path, _k: int) -> dict:
    from extract.pdf import read_pdf
    from extract.settings import ReadSettings

    t0 = time.perf_counter()
    doc = read_pdf(pdf, ReadSettings(pdf_backend="pdfplumber", ocr=False))
    return {"pages": len(doc.pages), "seconds": time.perf_counter() - t0}


# Reported after the table above, so its lines keep their order and format.
BACKEND_MEASURES = {"h_read_pdfium": measure_read_pdfium,
                    "i_read_pdfplumber": measure_read_pdfplumber}

MEASURES = {"a_pipeline": measure_pipeline, "b_pdfplumber": measure_pdfplumber,
            "c_camelot": measure_camelot, "d_pypdfium2": measure_pdfium}

# The OCR path against the text path on the same pages: the scanned fixture and the
# pages of cards.pdf it was made from (tests/fixtures/scanned/build.py).
SCANNED = REPO / "tests/fixtures/scanned/cards-scanned.pdf"
SCANNED_FROM = REPO / "tests/fixtures/cards.pdf"


def _twin_pages() -> Path:
    """The pages of cards.pdf the scanned fixture shows, as a PDF of their own."""
    import importlib.util

    import pypdfium2 as pdfium

    spec = importlib.util.spec_from_file_location("scan_build", SCANNED.parent / "build.py")
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)  # type: ignore[union-attr]
    src, out = pdfium.PdfDocument(str(SCANNED_FROM)), pdfium.PdfDocument.new()
    out.import_pages(src, [p - 1 for p in build.PAGES])
    path = Path(tempfile.gettempdir()) / f"piao-bench-twin-{os.getpid()}.pdf"
    out.save(str(path))
    return path


def measure_read_text(_pdf: Path, _k: int) -> dict:
    from extract.pdf import read_pdf

    twin = _twin_pages()
    t0 = time.perf_counter()
    doc = read_pdf(twin)
    seconds = time.perf_counter() - t0
    twin.unlink()
    return {"pages": len(doc.pages), "seconds": seconds}


def measure_read_ocr(_pdf: Path, _k: int) -> dict:
    from extract.ocr import unavailable
    from extract.pdf import read_pdf
    from piao.read import piao_settings

    if unavailable():
        return {"pages": 0, "seconds": 0.0, "note": unavailable()}
    t0 = time.perf_counter()
    doc = read_pdf(SCANNED, piao_settings())
    return {"pages": len(doc.pages), "seconds": time.perf_counter() - t0,
            "confidence": doc.meta.get("ocr_confidence")}


def measure_pdfplumber_twin(_pdf: Path, k: int) -> dict:
    twin = _twin_pages()
    res = measure_pdfplumber(twin, k)
    twin.unlink()
    return res


OCR_MEASURES = {"e_read_text": measure_read_text, "f_read_ocr": measure_read_ocr,
                "g_pdfplumber_same_pages": measure_pdfplumber_twin}


def run_one(name: str, pdf: Path, k: int) -> dict:
    """One measurement in a fresh interpreter (its own peak RSS)."""
    cmd = [sys.executable, __file__, str(pdf), "--measure", name, "--camelot-pages", str(k)]
    # PATH keeps /usr/bin: ocrmypdf and tesseract live there
    r = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, check=True,
                       env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"})
    return json.loads(r.stdout.strip().splitlines()[-1])


def batch_speedup(pdf: Path, copies: int) -> dict[int, float]:
    from piao.batch import run_batch

    walls = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "in"
        folder.mkdir()
        data = pdf.read_bytes()
        files = []
        for i in range(copies):
            p = folder / f"copy-{i:02d}.pdf"
            p.write_bytes(data + f"\n%bench copy {i}\n".encode())  # after %%EOF: ignored by readers
            files.append(p)
        for jobs in (1, 2):
            out = Path(tmp) / f"out-{jobs}"
            t0 = time.perf_counter()
            results = run_batch(files, out, jobs=jobs)
            walls[jobs] = time.perf_counter() - t0
            bad = [r for r in results if r.status not in ("ok", "partial")]
            if bad:
                raise SystemExit(f"batch with {jobs} workers: {bad[0].path}: {bad[0].error}")
            shutil.rmtree(out)
    return walls


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("pdf", nargs="?", type=Path, default=DEFAULT_PDF)
    ap.add_argument("--copies", type=int, default=4, help="documents in the batch (default 4)")
    ap.add_argument("--camelot-pages", type=int, default=3, metavar="K")
    ap.add_argument("--measure", choices=sorted({**MEASURES, **OCR_MEASURES, **BACKEND_MEASURES}),
                    help=argparse.SUPPRESS)
    ap.add_argument("--no-ocr", action="store_true", help="skip the OCR comparison")
    args = ap.parse_args()
    if args.measure:
        res = {**MEASURES, **OCR_MEASURES, **BACKEND_MEASURES}[args.measure](
            args.pdf, args.camelot_pages
        )
        res["peak_rss_mb"] = _peak_rss_mb()
        print(json.dumps(res))
        return

    print(f"{args.pdf.name}")
    rates = {}
    for name in MEASURES:
        m = run_one(name, args.pdf, args.camelot_pages)
        rates[name] = m["pages"] / m["seconds"]
        note = f"  ({m['note']}, rate scaled)" if "note" in m else ""
        print(f"  {name:<13} {m['pages']:>3} pages {m['seconds']:7.2f} s  "
              f"{rates[name]:8.2f} pages/s  peak RSS {m['peak_rss_mb']:6.0f} MB{note}")
    a = rates["a_pipeline"]
    for name in ("b_pdfplumber", "c_camelot", "d_pypdfium2"):
        print(f"  time ratio (a)/({name[0]}) = {rates[name] / a:6.2f}  "
              f"(the pipeline takes {rates[name] / a:.2f}x the time of {name[2:]})")
    backend_comparison(args.pdf, args.camelot_pages, rates["b_pdfplumber"])
    walls = batch_speedup(args.pdf, args.copies)
    print(f"  batch of {args.copies} copies: 1 worker {walls[1]:.1f} s, 2 workers {walls[2]:.1f} s, "
          f"speed-up {walls[1] / walls[2]:.2f}x")
    # The speed-up is bounded by idle cores: other processes' load shows up here.
    print(f"  load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    if not args.no_ocr:
        ocr_comparison(args.pdf, args.camelot_pages)


def backend_comparison(pdf: Path, k: int, bare_pdfplumber: float) -> None:
    """The reader alone (IR, no parsing) on each backend, against bare pdfplumber (b)."""
    for name in BACKEND_MEASURES:
        m = run_one(name, pdf, k)
        rate = m["pages"] / m["seconds"]
        print(f"  {name:<17} {m['pages']:>3} pages {m['seconds']:7.2f} s  {rate:8.2f} pages/s  "
              f"peak RSS {m['peak_rss_mb']:6.0f} MB  ({rate / bare_pdfplumber:.2f}x the speed "
              f"of bare pdfplumber)")


def ocr_comparison(pdf: Path, k: int) -> None:
    """Seconds per page: the reader on a text layer, the reader by OCR on the scan of the
    same pages, and bare pdfplumber on the text pages (the baseline of (b) above)."""
    print(f"{SCANNED.name} (OCR) vs the same pages of {SCANNED_FROM.name} (text layer)")
    per_page = {}
    for name in OCR_MEASURES:
        m = run_one(name, pdf, k)
        if not m["pages"]:
            print(f"  {name:<24} skipped: {m.get('note')}")
            continue
        per_page[name] = m["seconds"] / m["pages"]
        extra = f"  mean confidence {m['confidence']}" if m.get("confidence") else ""
        print(f"  {name:<24} {m['pages']:>3} pages {m['seconds']:7.2f} s  "
              f"{per_page[name]:7.3f} s/page  peak RSS {m['peak_rss_mb']:6.0f} MB{extra}")
    base = per_page.get("g_pdfplumber_same_pages")
    if base and "f_read_ocr" in per_page:
        print(f"  per page: OCR {per_page['f_read_ocr'] / base:6.1f}x bare pdfplumber, "
              f"text layer {per_page['e_read_text'] / base:6.1f}x; "
              f"OCR costs {per_page['f_read_ocr'] / per_page['e_read_text']:.0f}x the text path")


if __name__ == "__main__":
    main()
