"""piao: Italian PIAO plans (PDF, .pdf.p7m, DOCX, Markdown) → typed Parquet datasets."""

from piao.version import __version__

__all__ = ["__version__"]
