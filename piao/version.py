"""The piao version, written into every documents row (kept equal to pyproject.toml)."""

__version__ = "0.1.0"
