"""Reading rosters (CSV / Excel, Chinese headers welcome): the one front door for files.

Every failure to read a file becomes an :class:`~banghdai.InputError` that names
the file and, where there is one, the row a spreadsheet shows: empty, damaged or
mislabelled workbooks, undecodable or ragged CSV, a folder where a file should
be, a ``rules.toml`` in another encoding. Ids are always read as text (leading
zeros kept; ``NA`` or ``None`` are ids like any other); CSV in UTF-8, UTF-16,
GB18030/GBK or Big5 is recognised, and a file whose encoding is unsure is
refused rather than read as mojibake.

Example
-------
>>> import banghdai as bd
>>> roster = bd.read_roster(bd.samples.sample_path("fanxian"))
>>> mentors, mentees = roster
>>> len(mentors), len(mentees)
(77, 150)
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import tomllib
import warnings
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from ..core.errors import DataWarning, InputError, Msg
from ..core.messages import current_lang
from .discover import Grid, column_letter, discover, header_row
from .normalize import clean_array
from .readreport import ReadReport as Report
from .readreport import runs
from .schema import ALIASES, ID_COLUMN, SOURCE_ATTR, fingerprint, header_key, prepare_table

#: Accepted names of the mentors and mentees tables: file names in a roster folder
#: (``导师名单.xlsx``) and sheet names in a workbook (``导师名单``).
MENTOR_NAMES = ("mentors", "导师", "导师库", "导师名单", "导师库名单", "导师信息", "导师信息表")
MENTEE_NAMES = ("mentees", "帮带对象", "对象", "帮带对象名单", "对象名单", "帮带对象信息",
                "帮带对象信息表")
EXTRA_NAMES = {"fixed": ("fixed", "固定结对"), "forbidden": ("forbidden", "禁止结对"),
               "pair_scores": ("pair_scores", "scores")}
SUFFIXES = (".csv", ".xlsx", ".xls")
TEXT_SUFFIXES = (".csv", ".txt", ".tsv")
EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls")

#: The encodings a CSV or TOML file is tried in, as named in messages.
ENCODINGS_TRIED = ("UTF-8", "UTF-8 with BOM", "UTF-16", "GB18030/GBK", "Big5")

#: Cell texts read as "missing" in columns that are not ids (pandas' defaults).
NA_TEXTS = frozenset({
    "", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN",
    "<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null",
})
_BOOL_TEXT = {"True": True, "TRUE": True, "true": True,
              "False": False, "FALSE": False, "false": False}


def _id_like(column: object) -> bool:
    text = str(column).strip().lower()
    return text.endswith("id") or "编号" in text or "号" in text or "編號" in text


def _name(path: Path) -> str:
    return str(path)


def _refuse(path: Path, message: str | Msg, *, excel_row: int | None = None,
            column: str | None = None, choices: list[str] | None = None) -> InputError:
    return InputError(message, table=_name(path), file=_name(path), excel_row=excel_row,
                      column=column, choices=choices)


# ------------------------------------------------------------------------------ bytes and text

def _read_bytes(path: Path) -> bytes:
    """The file's bytes; a missing file, a folder or an unreadable file is an InputError."""
    if not path.exists():
        raise _refuse(path, Msg("read.not_found"))
    if path.is_dir():
        raise _refuse(path, Msg("read.is_folder"))
    try:
        return path.read_bytes()
    except OSError as err:
        raise _refuse(path, Msg("read.cannot_read", reason=err.strerror or err)) from err


def _common_gb(ch: str) -> bool:
    code = ord(ch)
    if 0x3000 <= code <= 0x303F or 0xFF00 <= code <= 0xFFEF:
        return True
    if not 0x4E00 <= code <= 0x9FFF:
        return False
    try:
        ch.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def _common_big5(ch: str) -> bool:
    code = ord(ch)
    if 0x3000 <= code <= 0x303F or 0xFF00 <= code <= 0xFFEF:
        return True
    if not 0x4E00 <= code <= 0x9FFF:
        return False
    try:
        lead = ch.encode("big5")[0]
    except UnicodeEncodeError:
        return False
    return 0xA4 <= lead <= 0xC6  # Big5's frequently used characters


def _common_share(text: str, common) -> float:
    """Share of the non-ASCII characters that are common Chinese characters or punctuation
    in the encoding's own character set (a text read in the wrong encoding scores low)."""
    counts = Counter(text)
    total = sum(n for ch, n in counts.items() if ord(ch) > 127)
    if total == 0:
        return 1.0
    return sum(n for ch, n in counts.items() if ord(ch) > 127 and common(ch)) / total


def _library_guess(data: bytes) -> str | None:
    """charset-normalizer's choice among the Chinese encodings (None when not installed)."""
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - a declared dependency
        return None
    best = from_bytes(data, cp_isolation=["gb18030", "big5", "cp950", "big5hkscs"]).best()
    if best is None:
        return None
    return "gb18030" if best.encoding.replace("_", "").lower() == "gb18030" else "big5"


def _utf16_without_bom(data: bytes) -> str | None:
    """Text of BOM-less UTF-16 (the NUL bytes of its ASCII characters tell the byte order)."""
    if len(data) < 4 or len(data) % 2:
        return None
    even, odd = data[0::2].count(0), data[1::2].count(0)
    half = len(data) // 2
    for encoding, zeros, others in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        if zeros >= 0.3 * half and others <= 0.05 * half:
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                return None
            return text if "\x00" not in text else None
    return None


def decode_text(data: bytes, where: str = "file") -> tuple[str, str]:
    """Decode a text file's bytes: ``(text, encoding)``; an unsure encoding is an InputError.

    A byte-order mark decides (UTF-8, UTF-16); otherwise UTF-8, then UTF-16
    without a mark, then GB18030 (GBK) and Big5 — these two are told apart by
    charset-normalizer and by how many of the characters are common Chinese
    characters of that character set. When neither wins clearly the file is
    refused, naming the encodings tried: a Big5 file is never read as GB18030
    mojibake.

    Example
    -------
    >>> from banghdai.data.readers import decode_text
    >>> decode_text("乡镇,村\\n良田镇,丰登村\\n".encode("gbk"))
    ('乡镇,村\\n良田镇,丰登村\\n', 'gb18030')
    >>> decode_text("鄉鎮,村\\n竹東鎮,軟橋里\\n".encode("big5"))[1]
    'big5'
    """
    tried = ", ".join(ENCODINGS_TRIED)
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF32_LE, "utf-32"),
                          (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                text = data.decode("utf-8-sig" if encoding == "utf-8" else encoding)
            except UnicodeDecodeError as err:
                raise InputError(Msg("read.bad_bom", encoding=encoding.upper(), byte=err.start),
                                 table=where, file=where) from err
            return text.lstrip("\ufeff"), encoding
    if b"\x00" in data[:65536]:
        guess = _utf16_without_bom(data)
        if guess is not None:
            return guess, "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    decoded: dict[str, str] = {}
    scores: dict[str, float] = {}
    for family, codecs_, common in (("gb18030", ("gb18030",), _common_gb),
                                    ("big5", ("big5", "cp950", "big5hkscs"), _common_big5)):
        for encoding in codecs_:
            try:
                decoded[family] = data.decode(encoding)
            except UnicodeDecodeError:
                continue
            scores[family] = _common_share(decoded[family], common)
            break
    if not decoded:
        raise InputError(Msg("read.cannot_decode", tried=tried),
                         table=where, file=where)
    best = max(scores, key=scores.__getitem__)
    runner_up = max((s for f, s in scores.items() if f != best), default=None)
    margin = scores[best] - (runner_up if runner_up is not None else 0.0)
    sure = scores[best] >= 0.6 and margin >= 0.4
    if not sure and scores[best] >= (0.2 if runner_up is None else 0.6) and margin >= 0.2:
        sure = _library_guess(data) == best  # a close call: the library must agree
    if not sure:
        names = {"gb18030": "GB18030/GBK", "big5": "Big5"}
        read = " or ".join(names[f] for f in scores)
        raise InputError(Msg("read.unsure_encoding", tried=tried, read=read),
                         table=where, file=where)
    return decoded[best], best


# ----------------------------------------------------------------------------------- tables

def _id_text(values: np.ndarray) -> np.ndarray:
    """Id cells as text: number cells without a trailing ``.0`` (a workbook's 1 is '1'),
    blanks as NaN, every text as typed (``1.0`` stays ``1.0``; ``NA`` and ``None`` are ids)."""
    out = np.empty(len(values), dtype=object)
    for i, value in enumerate(values):
        if isinstance(value, str):
            out[i] = value if value != "" else np.nan
        elif value is None or (isinstance(value, float) and np.isnan(value)):
            out[i] = np.nan
        elif isinstance(value, bool | np.bool_):
            out[i] = str(value)
        elif isinstance(value, int | np.integer):
            out[i] = str(int(value))
        elif isinstance(value, float | np.floating):
            out[i] = str(int(value)) if np.isfinite(value) and value == int(value) else repr(
                float(value))
        else:
            out[i] = str(value)
    return out


def _is_blank(value: object) -> bool:
    if isinstance(value, str):
        return value in NA_TEXTS or not value.strip()
    return value is None or (isinstance(value, float) and np.isnan(value))


def _typed(raw: np.ndarray) -> pd.Series:
    """A column of cells (text from CSV, objects from Excel) with its type inferred as
    pandas would: numbers when every filled cell is a number, text otherwise; empty cells
    and NA texts such as ``NA`` or ``null`` are missing."""
    n = len(raw)
    codes, uniques = pd.factorize(raw, use_na_sentinel=True)
    blank_u = np.fromiter((_is_blank(v) for v in uniques), dtype=bool, count=len(uniques))
    blank = (codes < 0) | blank_u[np.maximum(codes, 0)] if len(uniques) else codes < 0
    all_text = all(isinstance(v, str) for v in uniques)
    filled = raw[~blank]
    if len(filled) == 0:
        return pd.Series(np.full(n, np.nan), dtype=float)
    head = filled[:64]
    if all(isinstance(v, bool | np.bool_) or (isinstance(v, str) and v in _BOOL_TEXT)
           for v in head) and all(isinstance(v, bool | np.bool_) or (
               isinstance(v, str) and v in _BOOL_TEXT) for v in filled):
        flags = np.array([_BOOL_TEXT[v] if isinstance(v, str) else bool(v) for v in filled])
        if not blank.any():
            return pd.Series(flags, dtype=bool)
        out = np.full(n, np.nan, dtype=object)
        out[~blank] = flags
        return pd.Series(out, dtype=object)
    numeric = not any(isinstance(v, bool | np.bool_) for v in head) and not pd.to_numeric(
        pd.Series(head, dtype=object), errors="coerce").isna().any()
    if numeric:
        numbers = pd.to_numeric(pd.Series(filled, dtype=object), errors="coerce")
        numeric = not numbers.isna().any() and (all_text or not any(
            isinstance(v, bool | np.bool_) for v in filled))
    if numeric:
        if numbers.dtype.kind not in "iuf":  # integers beyond int64: keep their size as floats
            numbers = numbers.astype(float)
        if not blank.any():
            return pd.Series(numbers.to_numpy())
        out = np.full(n, np.nan)
        out[~blank] = numbers.to_numpy(dtype=float)
        return pd.Series(out)
    text = np.full(n, np.nan, dtype=object)
    text[~blank] = filled if all_text else [v if isinstance(v, str) else str(v) for v in filled]
    return pd.Series(text).astype("str")


def _frame(columns: list[str], cells: pd.DataFrame, ids: set[str]) -> pd.DataFrame:
    data = {}
    for j, name in enumerate(columns):
        raw = cells.iloc[:, j].to_numpy(dtype=object)
        data[name] = (pd.Series(_id_text(raw), dtype=object) if name in ids or _id_like(name)
                      else _typed(raw))
    frame = pd.DataFrame(data, columns=columns)
    frame.index = pd.RangeIndex(len(frame))
    return frame


def _check_header(path: Path, header: list[str], excel_row: int) -> None:
    seen: dict[str, int] = {}
    for j, name in enumerate(header):
        if name in seen:
            raise _refuse(path, Msg("read.same_header", a=seen[name] + 1, b=j + 1, name=name),
                          excel_row=excel_row, column=name)
        seen[name] = j


def _attach(frame: pd.DataFrame, path: Path, rows: list[int]) -> pd.DataFrame:
    """Remember which file and spreadsheet row each row came from (for messages)."""
    regular = not rows or rows == list(range(rows[0], rows[0] + len(rows)))
    frame.attrs[SOURCE_ATTR] = {
        "file": _name(path), "n": len(frame), "first_row": rows[0] if rows else 2,
        "rows": None if regular else tuple(rows), "fingerprint": fingerprint(frame),
    }
    return frame


def _sniff_separator(suffix: str, text: str) -> str:
    if suffix == ".tsv":
        return "\t"
    first = next((line for line in text.splitlines() if line.strip()), "")
    return "\t" if "\t" in first and "," not in first else ","


def _csv_grid(path: Path, text: str, sep: str) -> Grid:
    """Every record of a CSV text as a grid of text cells (ragged records padded; their field
    counts kept so a data row with a stray separator is refused)."""
    records: list[list[str]] = []
    try:
        for record in csv.reader(io.StringIO(text, newline=""), delimiter=sep, strict=True):
            records.append(record)
    except csv.Error as err:
        reason: str | Msg = str(err)
        if "end of data" in str(reason) or "expected after" in str(reason):
            reason = Msg("read.open_quote", detail=reason)
        elif "NUL" in str(reason):
            reason = Msg("read.nul_bytes")
        raise _refuse(path, reason, excel_row=len(records) + 1) from err
    lengths = np.fromiter((len(r) for r in records), dtype=np.int64, count=len(records))
    width = int(lengths.max()) if len(records) else 0
    cells = np.full((len(records), width), "", dtype=object)
    if len(records):
        regular = lengths == width
        if regular.all():
            cells[:, :] = np.array(records, dtype=object).reshape(len(records), width)
        else:
            for i, record in enumerate(records):
                cells[i, : len(record)] = record
    return Grid(cells, lengths=lengths)


def _read_csv(path: Path, ids: set[str], known: Iterable[str] = (), *,
              report: Report | None = None, table: str = "") -> pd.DataFrame:
    data = _read_bytes(path)
    if not data:
        raise _refuse(path, Msg("read.empty_bytes"))
    text, _encoding = decode_text(data, _name(path))
    if not text.strip():
        raise _refuse(path, Msg("read.empty_text"))
    sep = _sniff_separator(path.suffix.lower(), text)
    grid = _csv_grid(path, text, sep)
    return _table_of(grid, path, _name(path), path.name, ids, known, "read", report, table)


class _Book:
    """An Excel workbook open for reading: sheet names and each sheet as a :class:`Grid`
    (hidden rows and columns, merged cells and cached formula errors included for .xlsx)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.xlsx = None
        self.pandas: pd.ExcelFile | None = None
        data_head = b""
        if path.is_file():
            with open(path, "rb") as fh:
                data_head = fh.read(8)
        elif path.is_dir():
            raise _refuse(path, Msg("read.is_folder"))
        elif not path.exists():
            raise _refuse(path, Msg("read.not_found"))
        if not data_head:
            raise _refuse(path, Msg("read.empty_workbook"))
        if data_head.startswith(b"\xd0\xcf\x11\xe0"):  # an OLE container: .xls, or encrypted
            self.pandas = _excel_file(path)
            self.sheet_names = [str(s) for s in self.pandas.sheet_names]
            return
        if not zipfile.is_zipfile(path):
            looks = "text" if not data_head.startswith(b"PK") else "damaged"
            raise _refuse(path, Msg(f"read.not_excel_{looks}"))
        try:
            import openpyxl
        except ImportError as err:  # pragma: no cover - a declared extra
            raise _refuse(path, Msg("read.needs_package", package="openpyxl")) from err
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                self.xlsx = openpyxl.load_workbook(path, data_only=True, keep_links=False)
        except MemoryError:
            raise
        except Exception as err:  # noqa: BLE001 - a damaged zip or XML raises many kinds
            raise _refuse(path, Msg("read.damaged", detail=f"{type(err).__name__}: {err}")) from err
        self.sheet_names = [str(ws.title) for ws in self.xlsx.worksheets]

    def __enter__(self) -> _Book:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.pandas is not None:
            self.pandas.close()
        if self.xlsx is not None:
            self.xlsx.close()

    def grid(self, sheet: str | int) -> Grid:
        name = sheet if isinstance(sheet, str) else self.sheet_names[sheet]
        if self.pandas is not None:
            try:
                frame = pd.read_excel(self.pandas, sheet_name=name, header=None, dtype=object,
                                      na_filter=False)
            except MemoryError:
                raise
            except Exception as err:  # noqa: BLE001 - damaged sheet
                raise _refuse(self.path, Msg("read.bad_sheet", sheet=name,
                                             detail=f"{type(err).__name__}: {err}")) from err
            return Grid(frame.to_numpy(dtype=object))
        assert self.xlsx is not None  # opened in __init__ for .xlsx
        ws = self.xlsx[name]
        present = [(r, c, cell) for (r, c), cell in ws._cells.items() if cell.value is not None]
        n = max((r for r, _, _ in present), default=0)
        width = max((c for _, c, _ in present), default=0)
        cells = np.full((n, width), None, dtype=object)
        errors = np.zeros((n, width), dtype=bool)
        for r, c, cell in present:
            cells[r - 1, c - 1] = cell.value
            if cell.data_type == "e":
                errors[r - 1, c - 1] = True
        hidden_rows = np.zeros(n, dtype=bool)
        for r, dim in ws.row_dimensions.items():
            if dim.hidden and 1 <= r <= n:
                hidden_rows[r - 1] = True
        hidden_cols = np.zeros(width, dtype=bool)
        for dim in ws.column_dimensions.values():
            if dim.hidden and dim.min:
                hidden_cols[dim.min - 1: min(dim.max or dim.min, width)] = True
        merges = [(m.min_row - 1, m.min_col - 1, min(m.max_row, n) - 1, min(m.max_col, width) - 1)
                  for m in ws.merged_cells.ranges if m.min_row <= n and m.min_col <= width]
        return Grid(cells, errors=errors, hidden_rows=hidden_rows, hidden_cols=hidden_cols,
                    merges=merges)

    def hidden_sheet(self, name: str) -> bool:
        return self.xlsx is not None and self.xlsx[name].sheet_state != "visible"


def _excel_file(path: Path) -> pd.ExcelFile:
    try:
        return pd.ExcelFile(path, engine="xlrd")
    except ImportError as err:
        raise _refuse(path, Msg("read.needs_package", package="xlrd")) from err
    except MemoryError:
        raise
    except Exception as err:  # noqa: BLE001 - a damaged zip or XML raises many kinds of errors
        raise _refuse(path, Msg("read.damaged", detail=f"{type(err).__name__}: {err}")) from err


def _table_of(grid: Grid, path: Path, where: str, sheet: str, ids: set[str],
              known: Iterable[str], hidden: str, report: Report | None, table: str
              ) -> pd.DataFrame:
    """The table inside ``grid`` (see :mod:`banghdai.data.discover`), its cells cleaned
    (:mod:`banghdai.data.normalize`), each row noting its spreadsheet row."""
    if not grid.filled().any():
        raise InputError(Msg("read.empty_sheet") if grid.lengths is None
                         else Msg("read.empty_text"), table=where, file=where)
    found = discover(grid, {*ids, *known}, hidden=hidden)
    header, body, cols = found.header, found.body, found.columns
    _check_header(path, header, found.header_rows[1])
    if grid.lengths is not None:  # CSV: a data row with another field count is refused
        width = int(grid.lengths[found.header_rows[0] - 1: found.header_rows[1]].max())
        bad = np.flatnonzero(grid.lengths[body] != width)
        if len(bad):
            got = int(grid.lengths[body[bad[0]]])
            more = "too_many" if got > width else "too_few"
            raise _refuse(path, Msg(f"read.fields_{more}", n=got, header=width),
                          excel_row=int(body[bad[0]]) + 1)
    if grid.errors is not None and len(body) and len(cols):
        hit = grid.errors[np.ix_(body, cols)]
        if hit.any():
            i, j = map(int, np.argwhere(hit)[0])
            r, c = int(body[i]) + 1, int(cols[j])
            value = grid.cells[r - 1, c]
            raise InputError(
                Msg("read.error_cell", cell=f"{column_letter(c)}{r}", value=value),
                table=where, file=where, excel_row=r, column=header[j])
    cells = grid.cells[np.ix_(body, cols)] if len(body) and len(cols) else np.empty(
        (len(body), len(cols)), dtype=object)
    cleaned = np.empty_like(cells)
    counts: list[tuple[str, int]] = []
    for j in range(len(cols)):
        cleaned[:, j], changed = clean_array(cells[:, j])
        if changed.any():
            counts.append((header[j], int(changed.sum())))
    frame = _frame(header, pd.DataFrame(cleaned, dtype=object), ids)
    _check_collisions(frame, cells, header, ids, path, where, body)
    rows = [int(i) + 1 for i in body]
    if report is not None:
        report.add(table, sheet, "read", count=len(rows), detail=runs(rows))
        for row, reason, first in found.skipped:
            report.add(table, sheet, "skipped", excel_row=row, reason=reason, detail=first)
        for name, label in zip(header, found.labels, strict=True):
            report.add(table, sheet, "column", column=name, detail=label if label != name
                       else None)
        for name, n in counts:
            report.add(table, sheet, "normalised", column=name, count=n)
        for letter, label in found.hidden_columns:
            report.add(table, sheet, "hidden_column", column=f"{letter} ({label})",
                       reason=hidden)
        if found.filled_down:
            report.add(table, sheet, "filled_down", count=found.filled_down)
        for row in found.hidden_read:
            report.add(table, sheet, "hidden_read", excel_row=row)
    _warn_hidden(found, hidden, where)
    return _attach(frame, path, rows)


def _warn_hidden(found, hidden: str, where: str) -> None:
    """Hidden rows and columns are never silent: a DataWarning says what was done."""
    other = "read" if hidden == "skip" else "skip"
    how = Msg(f"read.hidden.{hidden}")
    rows = [r for r, why, _ in found.skipped if why == "hidden"] + found.hidden_read
    if rows:
        warnings.warn(DataWarning(Msg("read.hidden_rows_warning", where=where, rows=runs(rows),
                                      how=how, other=other)), stacklevel=4)
    if found.hidden_columns:
        warnings.warn(DataWarning(Msg(
            "read.hidden_columns_warning", where=where,
            columns=", ".join(f"{a} ({b})" for a, b in found.hidden_columns), how=how,
            other=other)), stacklevel=4)


def _check_collisions(frame: pd.DataFrame, raw: np.ndarray, header: list[str], ids: set[str],
                      path: Path, where: str, body: np.ndarray) -> None:
    """Two ids that differ only by blanks, invisible or full-width characters are refused,
    naming both spreadsheet rows (they would be one person counted twice)."""
    for j, name in enumerate(header):
        if not (name in ids or _id_like(name)) or not len(frame):
            continue
        values = frame[name]
        dup = values.duplicated(keep=False) & values.notna()
        if not dup.any():
            continue
        typed = pd.Series(_id_text(raw[:, j]), dtype=object)
        for _, group in values[dup].groupby(values[dup], sort=False):
            positions = group.index.to_numpy()
            shown = typed.iloc[positions]
            if shown.nunique() > 1:
                a, b = int(positions[0]), int(positions[np.flatnonzero(
                    shown.to_numpy() != shown.iloc[0])[0]])
                raise InputError(
                    Msg("read.id_collision", first=typed.iloc[a], row1=int(body[a]) + 1,
                         second=typed.iloc[b], row2=int(body[b]) + 1, id=group.iloc[0]),
                    table=where, file=where, excel_row=int(body[b]) + 1, column=name)


def read_table(path: str | Path, sheet: str | int | None = None, *,
               ids: Iterable[str] = (), known: Iterable[str] = (), hidden: str = "skip",
               report: Report | None = None, table: str = "") -> pd.DataFrame:
    """Read one table from CSV (UTF-8, UTF-16, GB18030/GBK or Big5) or Excel.

    The table is found inside the sheet as a 组织部 formats it
    (:func:`banghdai.data.discover.discover`): title and note lines above the header,
    a header of one to three rows with merged cells, 合计 / 小计 rows, blank rows, the
    header repeated on printed pages, 填表人 / 审核人 / 注 lines below and hidden rows
    and columns (``hidden="skip"`` or ``"read"``) never become rows; ``report`` (a
    :class:`~banghdai.data.readreport.ReadReport`) records each of them.

    Every text cell is cleaned (:func:`banghdai.data.normalize.clean_text`: blanks of
    every kind trimmed, invisible characters dropped, full-width digits and letters made
    ASCII). Id columns — ``ids``, and every header ending in ``id`` or containing 编号 /
    号 — are read as text as typed (leading zeros kept, ``NA`` is an id, ``1.0`` stays
    ``1.0``; a number cell 1 of a workbook is ``'1'``); two ids that are the same once
    cleaned are refused naming both rows. Other columns become numbers when every
    filled cell is a number. A cell whose formula cached an Excel error (#VALUE!,
    #REF!, #N/A …) is refused naming the cell. Anything wrong with the file is an
    :class:`~banghdai.InputError` naming it and the row a spreadsheet shows.

    Example
    -------
    >>> import banghdai as bd
    >>> t = bd.read_table(bd.samples.sample_path("fanxian") / "mentors.csv")
    >>> t["mentor_id"].iloc[0], t["rating"].dtype.kind
    ('M001', 'f')
    """
    path = Path(path)
    ids = {str(c) for c in ids}
    hidden = _hidden_policy(hidden)
    suffix = path.suffix.lower()
    if suffix in EXCEL_SUFFIXES:
        with _Book(path) as book:
            names = book.sheet_names
            if sheet is not None and not isinstance(sheet, int) and sheet not in names:
                raise _refuse(path, Msg("read.no_sheet", sheet=sheet), column="sheet",
                              choices=[str(s) for s in names])
            if isinstance(sheet, int) and not -len(names) <= sheet < len(names):
                raise _refuse(path, Msg("read.no_sheet_number", sheet=sheet), column="sheet",
                              choices=[str(s) for s in names])
            name = names[sheet] if isinstance(sheet, int) else sheet if sheet is not None \
                else names[0]
            return _read_sheet(path, book, name, ids, known, hidden, report, table)
    if suffix not in TEXT_SUFFIXES:
        raise _refuse(path, Msg("read.file_type", suffix=suffix),
                      choices=[".csv", ".tsv", ".txt", ".xlsx"])
    return _read_csv(path, ids, known, report=report, table=table)


def _read_sheet(path: Path, book: _Book, sheet: str, ids: set[str], known: Iterable[str] = (),
                hidden: str = "skip", report: Report | None = None, table: str = ""
                ) -> pd.DataFrame:
    grid = book.grid(sheet)
    where = f"{_name(path)} [{sheet}]"
    return _table_of(grid, path, where, sheet, ids, known, hidden, report, table)


def _hidden_policy(value: object) -> str:
    if value not in ("skip", "read"):
        raise InputError(Msg("read.hidden_value", value=value),
                         table="rules [read]", column="hidden", choices=["skip", "read"])
    return str(value)


# --------------------------------------------------------------------------------- rosters

#: Reads a rules file into a mapping: :func:`load_toml` here (unchecked), the rules layer's
#: ``read_rules`` (checked) when the public :func:`banghdai.read_roster` calls.
RulesReader = Callable[[Path], dict[str, Any]]


@dataclass
class Roster:
    """Mentors, mentees and optional side tables read from a folder or workbook.

    Unpacks as ``mentors, mentees = roster``. ``files`` lists every file that
    was read (the CLI never writes over one of them).

    Example
    -------
    >>> import banghdai as bd
    >>> roster = bd.read_roster(bd.samples.sample_path("yinchuan"))
    >>> roster.rules["pairing"]["shape"], len(roster.fixed)
    ('many_to_many', 5)
    >>> sorted(p.name for p in roster.files)[:3]
    ['fixed.csv', 'forbidden.csv', 'mentees.csv']
    """

    mentors: pd.DataFrame
    mentees: pd.DataFrame
    fixed: pd.DataFrame | None = None
    forbidden: pd.DataFrame | None = None
    pair_scores: pd.DataFrame | None = None
    rules: dict[str, Any] | None = None
    source: Path | None = None
    extra: dict[str, pd.DataFrame] = field(default_factory=dict)
    files: list[Path] = field(default_factory=list)
    read_report: Report | None = None

    @property
    def report(self) -> pd.DataFrame:
        """The read report (读表报告) as a DataFrame: per table and sheet the rows read, every
        row skipped with its spreadsheet row and reason, the columns, the cells cleaned
        (:class:`~banghdai.data.readreport.ReadReport`; empty for tables given in Python).

        Example
        -------
        >>> import banghdai as bd
        >>> r = bd.read_roster(bd.samples.sample_path("fanxian")).report
        >>> r[r.event == "read"][["table", "count"]].values.tolist()
        [['mentors', 77], ['mentees', 150]]
        """
        return (self.read_report or Report()).frame()

    def report_text(self, lang: str = "zh") -> str:
        """The read report in a few lines (what the CLI prints on stderr).

        Example
        -------
        >>> import banghdai as bd
        >>> print(bd.read_roster(bd.samples.sample_path("fanxian")).report_text("en"))
        mentors [mentors.csv]: read 77 rows (2-78)
        mentees [mentees.csv]: read 150 rows (2-151)
        """
        return (self.read_report or Report()).text(lang)

    def __iter__(self) -> Iterator[pd.DataFrame]:
        yield self.mentors
        yield self.mentees


def _find(folder: Path, names: tuple[str, ...], what: str) -> Path | None:
    found = [folder / f"{name}{suffix}" for name in names for suffix in SUFFIXES
             if (folder / f"{name}{suffix}").exists()]
    if len(found) > 1:
        raise InputError(Msg("read.several_files", n=len(found), what=Msg(f"table.{what}"),
                             names=", ".join(p.name for p in found)),
                         table=what, file=_name(folder), choices=[p.name for p in found])
    return found[0] if found else None


def _mapping(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def id_columns(rules: Mapping[str, Any] | None, side: str) -> set[str]:
    """Headers that hold ids in the ``side`` table (``"mentors"``, ``"mentees"`` or a side
    table): canonical names, their Chinese aliases and what ``[columns]`` maps to them.

    Example
    -------
    >>> from banghdai.data.readers import id_columns
    >>> "工号" in id_columns({"columns": {"mentors": {"mentor_id": "工号"}}}, "mentors")
    True
    """
    names = {"id", "mentor_id", "mentee_id", *ALIASES["mentor_id"], *ALIASES["mentee_id"]}
    columns = _mapping((rules or {}).get("columns"))
    sides = [side] if side in ID_COLUMN else list(ID_COLUMN)
    for one in sides:
        canonical = ID_COLUMN[one]
        for mapping in (columns, _mapping(columns.get(one))):
            for key in (canonical, "id"):
                if isinstance(mapping.get(key), str):
                    names.add(mapping[key])
    if side not in ID_COLUMN:
        prefer = (rules or {}).get("prefer")
        for item in prefer if isinstance(prefer, list) else []:
            for key in ("mentor", "mentee"):
                if isinstance(item, Mapping) and isinstance(item.get(key), str):
                    names.add(item[key])
    return names


def _main_table(table: pd.DataFrame, path: Path, side: str) -> pd.DataFrame:
    if len(table) == 0:
        raise InputError(Msg("read.no_rows", side=Msg(f"table.{side}")), table=side,
                         file=_name(path))
    return table


def _side_table(path: Path, key: str, ids: set[str]) -> pd.DataFrame | None:
    if path.is_file() and path.suffix.lower() in TEXT_SUFFIXES and not _read_bytes(path).strip():
        warnings.warn(DataWarning(Msg("read.side_empty", path=path, key=Msg(f"table.{key}"))),
                      stacklevel=3)
        return None
    table = read_table(path, ids=ids)
    if len(table) == 0:
        warnings.warn(DataWarning(Msg("read.side_no_rows", path=path, key=Msg(f"table.{key}"))),
                      stacklevel=3)
    return table


def _inside(folder: Path, named: object, key: str, what: str = "roster folder") -> Path:
    """The side table ``named`` in ``[files]``, which must stay inside ``folder``."""
    if not isinstance(named, str) or not named.strip():
        raise InputError(Msg("read.files_name", key=key, what=Msg(f"read.where.{what}"),
                             named=named),
                         table="rules [files]", column=key)
    target = folder / named
    root = folder.resolve()
    try:
        inside = Path(named).is_absolute() is False and target.resolve().is_relative_to(root)
    except (OSError, RuntimeError):  # pragma: no cover - a symlink loop
        inside = False
    if not inside:
        raise InputError(Msg("read.files_outside", named=named, what=Msg(f"read.where.{what}"),
                             folder=folder), table="rules [files]", column=key)
    return target


def header_words(rules: Mapping[str, Any] | None, side: str) -> set[str]:
    """Headers a rules file's ``[columns]`` maps for the ``side`` table (both-table entries
    and ``[columns.<side>]``): words that mark its header row, besides the aliases.

    Example
    -------
    >>> from banghdai.data.readers import header_words
    >>> sorted(header_words({"columns": {"township": "镇", "mentors": {"type": "档次"}}},
    ...                     "mentors"))
    ['档次', '镇']
    """
    columns = _mapping((rules or {}).get("columns"))
    words = {v for v in columns.values() if isinstance(v, str)}
    words |= {v for v in _mapping(columns.get(side)).values() if isinstance(v, str)}
    return words


def _listed(rules_data: Mapping[str, Any] | None) -> Mapping[str, Any]:
    listed = (rules_data or {}).get("files", {})
    if not isinstance(listed, Mapping):
        raise InputError(Msg("read.files_table"), table="rules", column="files")
    return listed


def _listed_table(rules_data: Mapping[str, Any] | None, key: str, folder: Path,
                  what: str, files: list[Path]) -> pd.DataFrame | None | Literal[False]:
    """The side table ``[files]`` names for ``key`` (read from ``folder``), ``False`` when
    none is named."""
    named = _listed(rules_data).get(key)
    if named is None:
        return False
    target = _inside(folder, named, key, what)
    if not target.exists():
        raise InputError(Msg("read.files_missing", named=named, what=Msg(f"read.where.{what}"),
                             folder=folder), table="rules [files]", column=key)
    files.append(target)
    return _side_table(target, key, id_columns(rules_data, key))


def rules_beside(workbook: str | Path) -> Path | None:
    """The rules file that goes with a workbook: ``<name>.rules.toml``, else ``rules.toml``,
    in the workbook's folder; None when there is neither.

    Example
    -------
    >>> import tempfile, pathlib
    >>> from banghdai.data.readers import rules_beside
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> (folder / "rules.toml").write_text("", encoding="utf-8")
    0
    >>> rules_beside(folder / "名单.xlsx").name
    'rules.toml'
    >>> (folder / "名单.rules.toml").write_text("", encoding="utf-8")
    0
    >>> rules_beside(folder / "名单.xlsx").name
    '名单.rules.toml'
    """
    workbook = Path(workbook)
    for candidate in (workbook.with_name(f"{workbook.stem}.rules.toml"),
                      workbook.with_name("rules.toml")):
        if candidate.is_file():
            return candidate
    return None


def _accepted(names: tuple[str, ...]) -> str:
    return ", ".join(repr(n) for n in names)


def read_roster(path: str | Path, *, rules: str | Path | None = None,
                read_rules: RulesReader | None = None) -> Roster:
    """Read a roster: a folder of CSV/Excel files, or one workbook with sheets.

    A folder holds ``mentors`` and ``mentees`` tables (``.csv`` or ``.xlsx``;
    also named as in :data:`MENTOR_NAMES` / :data:`MENTEE_NAMES`: 导师, 导师名单,
    帮带对象, 帮带对象名单 … — two candidates for one table are refused),
    optionally ``fixed``, ``forbidden``, ``pair_scores`` and a ``rules.toml``;
    side tables named in its ``[files]`` must be inside the roster folder.

    A workbook holds sheets as planners name them: a sheet named as above, else one
    whose name contains a keyword (``附件1 导师库``, ``附件2 帮带对象名单``:
    :data:`SHEET_KEYWORDS`). Several sheets of one table with the same header (one
    per township) are stacked in sheet order, and a sheet without a keyword joins
    them when its header is theirs; a table without a township column then gets one
    from the sheet names (``乡镇``, or ``工作表`` when the names are not townships). A
    designations sheet (``组织指定结对`` → fixed, ``回避`` → forbidden) may give the
    pairs by name (导师姓名, 帮带对象姓名, and 导师单位 / 对象单位 where names repeat):
    names are resolved to ids, and an unknown or ambiguous name is refused naming its
    row. A workbook lacking mentors or mentees is refused listing its sheets. Its
    rules file is ``rules``, else the one beside it (:func:`rules_beside`), and side
    tables in that file's ``[files]`` are read from the rules file's folder.

    Inside each sheet the table is found as :func:`read_table` says (titles, merged
    header rows, 合计, footers, blank, repeated header and hidden rows are not people;
    ``[read] hidden = "read"`` in the rules reads hidden rows and columns). What was
    read and skipped is ``roster.report`` (a DataFrame; ``roster.report_text()`` in a
    few lines).

    ``read_rules`` reads the rules file (default: :func:`load_toml`, unchecked);
    :func:`banghdai.read_roster` passes :func:`banghdai.read_rules`, which checks it.

    Example
    -------
    >>> import banghdai as bd
    >>> mentors, mentees = bd.read_roster(bd.samples.sample_path("fushan"))
    >>> "导师编号" in mentors.columns
    True
    """
    path = Path(path)
    read = read_rules or load_toml
    tables: dict[str, pd.DataFrame | None] = {}
    rules_data: dict[str, Any] | None = None
    rules_path: Path | None
    files: list[Path] = []
    report = Report()
    if not path.exists():
        raise InputError(Msg("read.path_not_found", path=path), table=_name(path), file=_name(path))
    if path.is_dir():
        rules_path = Path(rules) if rules is not None else path / "rules.toml"
        if rules_path.exists() or rules is not None:
            rules_data = read(rules_path)
            files.append(rules_path)
        _listed(rules_data)
        hidden = _hidden_of(rules_data)
        found_m = _find(path, MENTOR_NAMES, "mentors")
        found_e = _find(path, MENTEE_NAMES, "mentees")
        if found_m is None or found_e is None:
            missing = "mentors" if found_m is None else "mentees"
            raise InputError(
                Msg("read.no_table", side=Msg(f"table.{missing}"), path=path), table=missing,
                choices=[f"{n}{s}" for n in (MENTOR_NAMES if found_m is None else MENTEE_NAMES)
                         for s in SUFFIXES],
            )
        for side, found in (("mentors", found_m), ("mentees", found_e)):
            tables[side] = _main_table(read_table(found, ids=id_columns(rules_data, side),
                                                  known=header_words(rules_data, side),
                                                  hidden=hidden, report=report, table=side),
                                       found, side)
            files.append(found)
        for key, names in EXTRA_NAMES.items():
            listed = _listed_table(rules_data, key, path, "roster folder", files)
            if listed is not False:
                tables[key] = listed
                continue
            target = _find(path, names, key)
            tables[key] = None
            if target is not None:
                tables[key] = _side_table(target, key, id_columns(rules_data, key))
                files.append(target)
    elif path.suffix.lower() in EXCEL_SUFFIXES:
        rules_path = Path(rules) if rules is not None else rules_beside(path)
        if rules_path is not None:
            rules_data = read(rules_path)
            files.append(rules_path)
        _listed(rules_data)
        hidden = _hidden_of(rules_data)
        with _Book(path) as book:
            files.append(path)
            _read_workbook(path, book, rules_data, hidden, report, tables)
        if rules_path is not None:
            for key in EXTRA_NAMES:
                listed = _listed_table(rules_data, key, rules_path.resolve().parent,
                                       "rules file's folder", files)
                if listed is not False:
                    tables[key] = listed
    else:
        raise InputError(Msg("read.not_roster", path=path), table=_name(path), file=_name(path),
                         choices=[Msg("read.a_roster_folder").text(current_lang()),
                                  *EXCEL_SUFFIXES])
    _check_coordinates(tables, rules_data, report)
    mentors, mentees = tables["mentors"], tables["mentees"]
    assert mentors is not None and mentees is not None  # both found, or refused above
    roster = Roster(
        mentors=mentors, mentees=mentees, fixed=tables.get("fixed"),
        forbidden=tables.get("forbidden"), pair_scores=tables.get("pair_scores"),
        rules=rules_data, source=path, files=files,
    )
    roster.read_report = report
    for side in ("mentors", "mentees"):
        getattr(roster, side).attrs[REPORT_ATTR] = report
    return roster


#: Keywords in a sheet's name that say which table it is (tested in this order, so a sheet
#: ``导师帮带对象名单`` is the mentees'; case is ignored).
SHEET_KEYWORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("fixed", ("组织指定", "指定结对", "固定结对", "fixed")),
    ("forbidden", ("回避", "禁止结对", "不得结对", "forbidden")),
    ("pair_scores", ("结对评分", "pair_scores")),
    ("mentees", ("帮带对象", "对象", "学员", "mentee")),
    ("mentors", ("导师", "mentor")),
)

#: ``DataFrame.attrs`` key under which a roster's tables carry its read report.
REPORT_ATTR = "banghdai.read_report"


def _role(name: str) -> str | None:
    plain = name.strip()
    for role, names in (("mentors", MENTOR_NAMES), ("mentees", MENTEE_NAMES),
                        *EXTRA_NAMES.items()):
        if plain in names:
            return role
    lower = plain.lower()
    for role, words in SHEET_KEYWORDS:
        if any(w in lower for w in words):
            return role
    return None


_NOT_PLACE = re.compile(r"附件\s*\d*|帮带对象|对象|学员|导师库|导师|名单|信息表|信息|一览表|汇总表|"
                        r"mentors?|mentees?|[\s\-—_:：()（）【】\[\]、,，.]|\d+", re.IGNORECASE)


def _place_of(sheet: str) -> str:
    """The place a per-township sheet is named after: ``帮带对象（城关镇）`` → ``城关镇``."""
    return _NOT_PLACE.sub("", sheet) or sheet.strip()


def _read_workbook(path: Path, book: _Book, rules_data: Mapping[str, Any] | None, hidden: str,
                   report: Report, tables: dict[str, pd.DataFrame | None]) -> None:
    sheets = book.sheet_names
    roles: dict[str, list[str]] = {}
    others: list[str] = []
    for s in sheets:
        role = _role(s)
        (roles.setdefault(role, []) if role else others).append(s)
    if not roles.get("mentors") or not roles.get("mentees"):
        lacking = "both" if not roles.get("mentors") and not roles.get("mentees") else (
            "mentors" if not roles.get("mentors") else "mentees")
        raise InputError(Msg(f"read.workbook_needs_{lacking}",
                             mentors=_accepted(MENTOR_NAMES) + ", … 导师 …",
                             mentees=_accepted(MENTEE_NAMES) + ", … 帮带对象 …"),
                         table=_name(path), file=_name(path), column="sheet", choices=sheets)
    for side in ("mentors", "mentees"):
        names = roles[side]
        ids, known = id_columns(rules_data, side), header_words(rules_data, side)
        parts = [(s, _read_sheet(path, book, s, ids, known, hidden, report, side))
                 for s in names]
        header = list(parts[0][1].columns)
        for s in list(others):  # a sheet named after its township alone, with the same header
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    probe = _read_sheet(path, book, s, ids, known, hidden, None, side)
            except InputError:
                continue
            if list(probe.columns) == header and len(probe):
                parts.append((s, _read_sheet(path, book, s, ids, known, hidden, report, side)))
                others.remove(s)
        tables[side] = _main_table(_stack(path, parts, side, report), path, side)
    for s in others:
        report.add("other", s, "ignored")
    for key in EXTRA_NAMES:
        names = roles.get(key, [])
        tables[key] = None
        if not names:
            continue
        if len(names) > 1:
            raise InputError(Msg("read.several_sheets", sheets=", ".join(map(repr, names)),
                                 what=Msg(f"table.{key}")), table=_name(path), choices=names)
        s = names[0]
        if _listed(rules_data).get(key) is not None:
            raise InputError(Msg("read.sheet_and_file", key=key, sheet=s,
                                 named=_listed(rules_data)[key]), table=_name(path), column=key)
        side_table = _read_sheet(path, book, s, id_columns(rules_data, key), (), hidden, report,
                                 key)
        if len(side_table) == 0:
            warnings.warn(DataWarning(Msg("read.sheet_no_rows", sheet=s, path=path,
                                          key=Msg(f"table.{key}"))), stacklevel=3)
        elif key in ("fixed", "forbidden"):
            side_table = _designations(side_table, tables, rules_data, path, s, report, key)
        tables[key] = side_table


def _stack(path: Path, parts: list[tuple[str, pd.DataFrame]], side: str,
           report: Report) -> pd.DataFrame:
    """One table from the sheets of one side (the same header, stacked in sheet order)."""
    if len(parts) == 1:
        return parts[0][1]
    header = list(parts[0][1].columns)
    for s, frame in parts[1:]:
        if list(frame.columns) != header:
            extra = [c for c in frame.columns if c not in header]
            lack = [c for c in header if c not in frame.columns]
            raise InputError(
                Msg("read.stack_mismatch", first=parts[0][0], other=s, side=side,
                     extra=extra or "-", lack=lack or "-"),
                table=_name(path), file=_name(path), column="sheet", choices=[p[0] for p in parts])
    rows = [r for _, frame in parts for r in _rows_of(frame)]
    out = pd.concat([frame for _, frame in parts], ignore_index=True)
    out.attrs = {}
    township = {header_key(a) for a in ALIASES["township"]} | {"township"}
    if not any(header_key(c) in township or (isinstance(c, str) and "乡镇" in c)
               for c in header):
        places = [_place_of(s) for s, _ in parts]
        column = "乡镇" if all(p.endswith(("镇", "乡", "街道", "办事处")) for p in places) \
            else "工作表"
        if column not in out.columns:
            out[column] = np.repeat(np.array(places if column == "乡镇" else
                                             [s for s, _ in parts], dtype=object),
                                    [len(f) for _, f in parts])
            report.add(side, ", ".join(s for s, _ in parts), "sheet_column", column=column)
    report.add(side, ", ".join(s for s, _ in parts), "stacked", count=len(parts))
    sheets = ", ".join(s for s, _ in parts)
    return _attach(out, Path(f"{_name(path)} [{sheets}]"), rows)


def _rows_of(frame: pd.DataFrame) -> list[int]:
    note = frame.attrs.get(SOURCE_ATTR) or {}
    if note.get("rows") is not None:
        return list(note["rows"])
    first = int(note.get("first_row", 2))
    return list(range(first, first + len(frame)))


_MENTOR_WORDS = ("导师", "mentor")
_MENTEE_WORDS = ("帮带对象", "对象", "学员", "mentee")


def _designation_columns(header: list[str]) -> dict[str, str]:
    """Which headers of a designations sheet name the mentor and the mentee, by id, by name
    and by unit: ``{"mentor_name": "导师姓名", "mentee_unit": "对象单位", ...}``."""
    found: dict[str, str] = {}
    for h in header:
        key = header_key(h).lower()
        side = "mentee" if any(w in key for w in _MENTEE_WORDS) else \
            "mentor" if any(w in key for w in _MENTOR_WORDS) else None
        if key in ("mentor_id", "mentee_id"):
            found.setdefault(key, h)
            continue
        if side is None:
            continue
        if "编号" in key or key.endswith("id") or "代码" in key:
            found.setdefault(f"{side}_id", h)
        elif "单位" in key or "职务" in key:
            found.setdefault(f"{side}_unit", h)
        elif "姓名" in key or "名称" in key or key.rstrip("/") in _MENTOR_WORDS + _MENTEE_WORDS \
                or key.endswith(("导师", "对象")):
            found.setdefault(f"{side}_name", h)
    return found


def _designations(table: pd.DataFrame, tables: Mapping[str, pd.DataFrame | None],
                  rules_data: Mapping[str, Any] | None, path: Path, sheet: str,
                  report: Report, key: str) -> pd.DataFrame:
    """A designations sheet as pairs of ids: ids as given, names (and units) resolved."""
    cols = _designation_columns([str(c) for c in table.columns])
    if "mentor_id" in table.columns and "mentee_id" in table.columns:
        return table
    rows = _rows_of(table)
    where = f"{_name(path)} [{sheet}]"
    out: dict[str, list[str]] = {}
    for side in ("mentor", "mentee"):
        main = tables[f"{side}s"]
        assert main is not None
        if f"{side}_id" in cols:
            out[f"{side}_id"] = [str(v) for v in table[cols[f"{side}_id"]]]
            continue
        if f"{side}_name" not in cols:
            raise InputError(Msg("read.designation_columns", side=Msg(f"read.side.{side}")),
                             table=where, file=where, choices=[str(c) for c in table.columns])
        checked = _checked(main, f"{side}s", rules_data)
        names = pd.Series(checked.frame["name"] if "name" in checked.frame.columns
                          else pd.Series([None] * len(checked)), dtype=object).astype(str)
        units = _units(checked.frame)
        given = table[cols[f"{side}_name"]].astype(object)
        given_unit = table[cols[f"{side}_unit"]].astype(object) if f"{side}_unit" in cols \
            else None
        by_name = pd.Series(np.arange(len(names))).groupby(names.to_numpy()).apply(list).to_dict()
        ids: list[str] = []
        for i, name in enumerate(given):
            hits = by_name.get(str(name), []) if isinstance(name, str) else []
            unit = given_unit.iloc[i] if given_unit is not None else None
            if len(hits) > 1 and isinstance(unit, str) and unit.strip():
                same = [h for h in hits if unit in units[h]]
                hits = same or [h for h in hits if any(unit in u or u in unit
                                                       for u in units[h] if u)]
            if len(hits) != 1:
                code = "read.designation_unknown" if not hits else "read.designation_ambiguous"
                raise InputError(Msg(code, side=Msg(f"read.side.{side}"), name=name,
                                     n=len(hits)),
                                 table=where, file=where, excel_row=rows[i],
                                 column=cols[f"{side}_name"])
            ids.append(str(checked.ids[hits[0]]))
        out[f"{side}_id"] = ids
    report.add(key, sheet, "designations", count=len(table))
    frame = pd.DataFrame(out, dtype=object)
    return _attach(frame, Path(where), rows)


def _checked(frame: pd.DataFrame, side: str, rules_data: Mapping[str, Any] | None):
    """The side's table as the Problem will check it (its ids, canonical columns)."""
    columns = _mapping((rules_data or {}).get("columns"))
    flat = {k: v for k, v in columns.items() if isinstance(v, str)}
    mapping = {**flat, **_mapping(columns.get(side))}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return prepare_table(frame, side, mapping)


def _units(frame: pd.DataFrame) -> list[list[str]]:
    cols = [c for c in ("unit", "unit_post", "post") if c in frame.columns]
    values = [frame[c].astype(object).where(frame[c].notna(), "").astype(str).tolist()
              for c in cols]
    return [list(v) for v in zip(*values, strict=True)] if values else [[] for _ in range(len(frame))]


def _hidden_of(rules_data: Mapping[str, Any] | None) -> str:
    section = (rules_data or {}).get("read", {})
    if not isinstance(section, Mapping):
        raise InputError(Msg("read.section_type"), table="rules", column="read")
    return _hidden_policy(section.get("hidden", "skip"))


#: A row farther than this from its region's other rows (and than a few times their spread)
#: is warned about: a latitude and a longitude swapped, a typo in a degree.
FAR_KM = 300.0


def _check_coordinates(tables: Mapping[str, pd.DataFrame | None],
                       rules_data: Mapping[str, Any] | None, report: Report) -> None:
    """Warn (with the row) about a coordinate far outside its region's cluster."""
    for side in ("mentors", "mentees"):
        frame = tables.get(side)
        if frame is None or len(frame) < 4:
            continue
        try:
            checked = _checked(frame, side, rules_data)
        except InputError:
            continue  # the Problem names what is wrong
        f = checked.frame
        if "lat" not in f.columns or "lon" not in f.columns:
            continue
        lat = pd.to_numeric(f["lat"], errors="coerce").to_numpy(dtype=float)
        lon = pd.to_numeric(f["lon"], errors="coerce").to_numpy(dtype=float)
        level = next((c for c in ("township", "county", "city") if c in f.columns), None)
        groups = (f[level].astype(object).where(f[level].notna(), "").astype(str).to_numpy()
                  if level else np.zeros(len(f), dtype=object))
        ok = np.isfinite(lat) & np.isfinite(lon)
        data = pd.DataFrame({"g": groups, "lat": lat, "lon": lon})[ok]
        if len(data) < 4:
            continue
        med = data.groupby("g")[["lat", "lon"]].transform("median")
        size = data.groupby("g")["lat"].transform("size")
        whole = data[["lat", "lon"]].median()
        use_whole = size < 3
        clat = np.where(use_whole, whole["lat"], med["lat"])
        clon = np.where(use_whole, whole["lon"], med["lon"])
        km = _haversine(data["lat"].to_numpy(), data["lon"].to_numpy(), clat, clon)
        spread = pd.Series(km).groupby(np.where(use_whole, "", data["g"].to_numpy())) \
            .transform("median").to_numpy()
        far = (km > FAR_KM) & (km > 5 * spread)
        rows_all = np.flatnonzero(ok)
        excel = checked.excel_rows
        for k in np.flatnonzero(far):
            r = int(rows_all[k])
            row = int(excel[r]) if excel is not None else r
            detail = Msg("read.coordinate_far", lat=lat[r], lon=lon[r], km=round(km[k]),
                          group=str(data["g"].iloc[k]) or "-")
            report.add(side, "", "coordinate", excel_row=row, detail=detail)
            warnings.warn(DataWarning(Msg("read.coordinate_warning", side=Msg(f"table.{side}"),
                                          row=row, id=checked.ids[r], detail=detail)),
                          stacklevel=3)


def _haversine(lat1, lon1, lat2, lon2) -> np.ndarray:
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp, dl = p2 - p1, np.radians(np.asarray(lon2) - np.asarray(lon1))
    a = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * 6371.0088 * np.arcsin(np.sqrt(np.clip(a, 0, 1)))


def read_files(mentors: str | Path, mentees: str | Path, *,
               rules: str | Path | None = None, read_rules: RulesReader | None = None) -> Roster:
    """Read a roster given as two files (CSV or Excel), with an optional rules file whose
    ``[files]`` side tables are read from the rules file's folder.

    Example
    -------
    >>> import banghdai as bd
    >>> from banghdai.data.readers import read_files
    >>> folder = bd.samples.sample_path("yinchuan")
    >>> roster = read_files(folder / "mentors.csv", folder / "mentees.csv",
    ...                     rules=folder / "rules.toml")
    >>> len(roster.fixed), roster.files[-1].name
    (5, 'forbidden.csv')
    """
    rules_data = (read_rules or load_toml)(Path(rules)) if rules is not None else None
    files = [Path(mentors), Path(mentees)] + ([Path(rules)] if rules is not None else [])
    tables: dict[str, pd.DataFrame | None] = {}
    report = Report()
    for side, name in (("mentors", mentors), ("mentees", mentees)):
        tables[side] = _main_table(read_table(name, ids=id_columns(rules_data, side),
                                              known=header_words(rules_data, side),
                                              hidden=_hidden_of(rules_data), report=report,
                                              table=side),
                                   Path(name), side)
    if rules is not None:
        for key in EXTRA_NAMES:
            listed = _listed_table(rules_data, key, Path(rules).resolve().parent,
                                   "rules file's folder", files)
            tables[key] = None if listed is False else listed
    _check_coordinates(tables, rules_data, report)
    for side in ("mentors", "mentees"):
        tables[side].attrs[REPORT_ATTR] = report  # type: ignore[union-attr]
    mentors_t, mentees_t = tables["mentors"], tables["mentees"]
    assert mentors_t is not None and mentees_t is not None  # both read above
    return Roster(mentors=mentors_t, mentees=mentees_t,
                  fixed=tables.get("fixed"), forbidden=tables.get("forbidden"),
                  pair_scores=tables.get("pair_scores"), rules=rules_data, files=files,
                  read_report=report)


def load_toml(path: str | Path) -> dict[str, Any]:
    """Parse a TOML file in UTF-8 (with or without BOM), UTF-16 or GB18030; every failure is
    an InputError naming the file (and the line of a syntax error).

    Example
    -------
    >>> import banghdai as bd
    >>> from banghdai.data.readers import load_toml
    >>> load_toml(bd.samples.sample_path("fanxian") / "rules.toml")["pairing"]["shape"]
    'one_to_many'
    """
    path = Path(path)
    data = _read_bytes(path)
    text, _ = decode_text(data, _name(path))
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        at = re.search(r"line (\d+), column (\d+)", str(err))
        said = (Msg("read.bad_toml_at", detail=err, line=at[1], col=at[2]) if at else
                Msg("read.bad_toml", detail=err))
        raise InputError(said, table=_name(path), file=_name(path)) from err
    except RecursionError as err:
        raise InputError(Msg("read.toml_too_deep"), table=_name(path), file=_name(path)) from err


__all__ = ["Roster", "decode_text", "header_row", "header_words", "id_columns", "load_toml",
           "read_files", "read_roster", "read_table", "rules_beside"]
