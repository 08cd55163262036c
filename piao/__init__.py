"""piao: Italian PIAO plans (PDF, .pdf.p7m, DOCX, Markdown) → typed Parquet datasets."""

import logging

from piao.version import __version__

# A library logs, the application decides where it goes: without this, Python's last
# resort handler would print a failed document's traceback on a one-file command's
# stderr, which already says in one line what went wrong (`piao run` logs to piao.log).
logging.getLogger("piao").addHandler(logging.NullHandler())

__all__ = ["__version__"]
