"""PIAO domain parsing: layout IR → typed records (`normalize.records`). No I/O."""

from normalize.parser import parse_document

__all__ = ["parse_document"]
