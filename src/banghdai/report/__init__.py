"""Report layer: Excel workbooks, printable papers, plots and maps."""

from .excel import write_excel

__all__ = ["write_excel"]
