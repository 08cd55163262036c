"""What the reader was unsure of, as findings (severity info): its warnings and the
table cells OCR read again, so they land in the findings dataset and the reports."""

from __future__ import annotations

from collections.abc import Iterable

from piao.checks.reader_codes import DESCRIPTIONS, OCR_CELL_REREAD, OTHER, WARNING_CODES
from piao.checks.registry import Finding


def reader_findings(warnings: Iterable[str], ocr_cells: Iterable[dict] = ()) -> list[Finding]:
    """One finding per reader warning (code by its wording, `reader.other` when none
    fits) and per cell whose OCR reading was replaced by a second reading."""
    out = [_warning(w) for w in warnings]
    for cell in ocr_cells:
        if cell.get("kept"):
            it, en = DESCRIPTIONS[OCR_CELL_REREAD]
            change = f"{cell.get('before')!r} → {cell.get('after')!r} ({cell.get('kind')})"
            out.append(Finding(check_code=OCR_CELL_REREAD, severity="info", message=f"{it}: {change}",
                               message_en=f"{en}: {change}", expected=cell.get("kind"),
                               found=cell.get("after"), page=cell.get("page")))
    return out


def _warning(text: str) -> Finding:
    for code, wording, it, _en in WARNING_CODES:
        if m := wording.search(text):
            page = m.groupdict().get("page")
            return Finding(check_code=code, severity="info", message=f"{it} ({text})",
                           message_en=text, page=int(page) if page else None)
    it, _en = DESCRIPTIONS[OTHER]
    return Finding(check_code=OTHER, severity="info", message=f"{it}: {text}", message_en=text)
