"""Who is told, before OCR starts, how many pages it is about to read.

OCR costs seconds per page where the text layer costs milliseconds: a caller that
runs the reader under a time limit (piao/pipeline.py in its sandbox) listens here
and extends the limit by the pages' worth before the work starts. Kept apart from
extract/ocr.py so that listening does not load OpenCV and Tesseract's helpers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

Listener = Callable[[int], None]
_listeners: list[Listener] = []


@contextmanager
def on_ocr_start(listener: Listener) -> Iterator[None]:
    """Call `listener(pages)` whenever OCR is about to read `pages` pages, inside the block."""
    _listeners.append(listener)
    try:
        yield
    finally:
        _listeners.remove(listener)


def ocr_starting(pages: int) -> None:
    for listener in list(_listeners):  # noqa: PERF101 - a listener may leave meanwhile
        listener(pages)
