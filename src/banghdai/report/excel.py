"""Plain Excel export of a Result (pairs, unmatched, summary), written safely.

The workbook is written to a temporary file beside the target and renamed into
place (an error or Ctrl-C leaves an existing file as it was), and text that a
spreadsheet would run as a formula (a name typed as ``=HYPERLINK(...)``) is
stored as text, shown exactly as typed.

Example
-------
>>> import os, tempfile
>>> import banghdai as bd
>>> result = bd.load_sample("fanxian").problem().solve(time_limit=10)
>>> from banghdai.report.excel import write_excel
>>> path = write_excel(result, os.path.join(tempfile.mkdtemp(), "pairs.xlsx"))
>>> sorted(__import__("pandas").read_excel(path, sheet_name=None))
['pairs', 'summary', 'unmatched']
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from ..core.errors import InputError, Msg
from ..core.safeio import atomic_write, check_writable, formula_cells, formula_text

if TYPE_CHECKING:
    from ..result import Result


def write_sheets(sheets: Mapping[str, pd.DataFrame], path: str | Path) -> Path:
    """Write each DataFrame to its own sheet of ``path``, atomically; text that Excel would
    take for a formula (``=1+2``) or an error value (``#N/A``) is stored as the text typed.

    Example
    -------
    >>> import os, tempfile, openpyxl, pandas as pd
    >>> from banghdai.report.excel import write_sheets
    >>> path = write_sheets({"names": pd.DataFrame({"name": ["=1+2", "#N/A"]})},
    ...                     os.path.join(tempfile.mkdtemp(), "n.xlsx"))
    >>> [(c.value, c.data_type) for c in openpyxl.load_workbook(path)["names"]["A"][1:]]
    [('=1+2', 's'), ('#N/A', 's')]
    """
    try:
        import openpyxl  # noqa: F401 - only to refuse early when it is missing
    except ImportError as err:  # pragma: no cover - depends on the environment
        raise InputError(Msg("report.needs_openpyxl")) from err
    check_writable(path, "path")

    def write(tmp: Path) -> None:
        with pd.ExcelWriter(tmp, engine="openpyxl") as writer:
            for name, frame in sheets.items():
                frame.to_excel(writer, sheet_name=name, index=False)
                sheet = writer.sheets[name]
                for j, column in enumerate(frame.columns):
                    if formula_text(column):
                        _as_text(sheet.cell(row=1, column=j + 1))
                for i, j in formula_cells(frame) + _error_code_cells(frame):
                    _as_text(sheet.cell(row=i + 2, column=j + 1))

    return atomic_write(path, write)


def _error_code_cells(frame: pd.DataFrame) -> list[tuple[int, int]]:
    """Text cells such as ``#N/A`` that openpyxl would store as Excel error values."""
    from openpyxl.cell.cell import ERROR_CODES

    cells: list[tuple[int, int]] = []
    for j, column in enumerate(frame.columns):
        series = frame[column]
        if series.dtype.kind in "OUS" or pd.api.types.is_string_dtype(series.dtype):
            hits = series.isin(ERROR_CODES).to_numpy(dtype=bool)
            cells.extend((int(i), j) for i in hits.nonzero()[0])
    return cells


def _as_text(cell) -> None:
    """Keep a cell's text as text: never a formula, and shown as typed when edited."""
    cell.data_type = "s"
    cell.quotePrefix = True


def write_excel(result: Result, path: str | Path) -> Path:
    """Write ``pairs``, ``unmatched`` and ``summary`` sheets to ``path`` (atomically).

    Example
    -------
    >>> import os, tempfile
    >>> import banghdai as bd
    >>> r = bd.load_sample("fanxian").problem().solve(time_limit=10)
    >>> bd.report.write_excel(r, os.path.join(tempfile.mkdtemp(), "pairs.xlsx")).suffix
    '.xlsx'
    """
    summary = pd.DataFrame(list(result.summary().items()), columns=["item", "value"]).astype(
        {"value": str})
    return write_sheets({"pairs": result.pairs, "unmatched": result.unmatched,
                         "summary": summary}, path)

