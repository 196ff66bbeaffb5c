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
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..core import hooks
from ..core.errors import DataWarning, InputError, Msg
from ..core.messages import current_lang
from .schema import ALIASES, HEADER_WORDS, ID_COLUMN, SOURCE_ATTR, fingerprint, header_key

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
_WHOLE_DECIMAL = re.compile(r"-?(0|[1-9][0-9]*)\.0+")
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
        text = _utf16_without_bom(data)
        if text is not None:
            return text, "utf-16"
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
    """Id cells as text: numbers without a trailing ``.0`` (1.0 → '1'), blanks as NaN,
    every other text as typed (``NA`` and ``None`` are ids)."""
    out = np.empty(len(values), dtype=object)
    for i, value in enumerate(values):
        if isinstance(value, str):
            out[i] = (value[: value.index(".")] if "." in value and _WHOLE_DECIMAL.fullmatch(value)
                      else value if value != "" else np.nan)
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


#: How many non-blank rows from the top are looked at for the header row.
HEADER_SCAN_ROWS = 12


def _cell_text(value: object) -> str | None:
    """A cell as header text: stripped text that is not a number, else None."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text:
        return None
    try:
        float(text)
    except ValueError:
        return text
    return None


def header_row(rows: list[list[object]], known: Iterable[str] = ()) -> int:
    """Position in ``rows`` (the top of a sheet or CSV) of the header row.

    The first non-blank row, unless title rows sit above the header, as 组织部 forms
    have them (a merged title "XX县导师帮带对象名单", a blank row, a "填报单位" line):
    then the header is the first row whose cells look like headers — at least two
    text cells (not numbers), at least one of them a header the library knows
    (:data:`~banghdai.data.schema.HEADER_WORDS`, or ``known``) — with every
    non-blank row above it narrower than it. Only the first
    :data:`HEADER_SCAN_ROWS` non-blank rows are looked at.

    Example
    -------
    >>> from banghdai.data.readers import header_row
    >>> header_row([["XX县导师帮带对象名单", None, None], [None, None, None],
    ...             ["序号", "姓名", "所在乡镇"], [1, "张三", "良田镇"]])
    2
    >>> header_row([["a", "b"], ["x", "姓名"]])  # no title rows: the first row
    0
    """
    words = HEADER_WORDS | {header_key(k) for k in known}
    seen: list[tuple[int, int, int, int]] = []  # (position, filled, texts, known words)
    for i, row in enumerate(rows):
        filled = [v for v in row if not (v is None or (isinstance(v, float) and np.isnan(v))
                                         or (isinstance(v, str) and not v.strip()))]
        if not filled:
            continue
        texts = [t for t in map(_cell_text, filled) if t is not None]
        hits = sum(header_key(t) in words for t in texts)
        seen.append((i, len(filled), len(texts), hits))
        if len(seen) >= HEADER_SCAN_ROWS:
            break
    if not seen:
        return 0
    widest_above = 0
    for position, filled, texts, hits in seen:
        if hits and texts >= 2 and texts >= 0.8 * filled and filled > widest_above:
            return position
        widest_above = max(widest_above, filled)
    return seen[0][0]


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


def _top_records(text: str, sep: str) -> list[list[str]]:
    """The first records of a CSV text, enough to find its header row (errors: as far as read)."""
    records: list[list[str]] = []
    nonblank = 0
    try:
        for record in csv.reader(io.StringIO(text, newline=""), delimiter=sep, strict=True):
            records.append(record)
            nonblank += bool("".join(record).strip())
            if nonblank >= HEADER_SCAN_ROWS:
                break
    except csv.Error:
        pass  # the main pass names the line
    return records


def _read_csv(path: Path, ids: set[str], known: Iterable[str] = ()) -> pd.DataFrame:
    data = _read_bytes(path)
    if not data:
        raise _refuse(path, Msg("read.empty_bytes"))
    text, encoding = decode_text(data, _name(path))
    if not text.strip():
        raise _refuse(path, Msg("read.empty_text"))
    sep = _sniff_separator(path.suffix.lower(), text)
    # One pass with the csv module: field counts, blank rows and the spreadsheet row of each
    # record (a record with a line break inside quotes is still one spreadsheet row).
    header: list[str] | None = None
    header_index = 0
    top = header_row(_top_records(text, sep), {*ids, *known})  # title rows above it skipped
    keep: list[int] = []  # spreadsheet rows of the data records kept
    blank: list[int] = []  # positions (after the header) of blank records
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep, strict=True)
    index = -1
    try:
        for index, record in enumerate(reader):
            empty = not "".join(record).strip()
            if header is None:
                if empty or index < top:
                    continue
                header = [h if h != "" else f"Unnamed: {j}" for j, h in enumerate(record)]
                header_index = index
                _check_header(path, header, index + 1)
                continue
            if empty:
                blank.append(index - header_index - 1)
                continue
            if len(record) != len(header):
                more = "too many" if len(record) > len(header) else "too few"
                raise _refuse(path, Msg(f"read.fields_{more.replace(' ', '_')}", n=len(record),
                                         header=len(header)), excel_row=index + 1)
            keep.append(index + 1)
    except csv.Error as err:
        reason: str | Msg = str(err)
        if "end of data" in str(reason) or "expected after" in str(reason):
            reason = Msg("read.open_quote", detail=reason)
        elif "NUL" in str(reason):
            reason = Msg("read.nul_bytes")
        raise _refuse(path, reason, excel_row=index + 2) from err
    assert header is not None
    n_records = index - header_index
    payload = data if encoding == "utf-8" and not data.startswith(codecs.BOM_UTF8) else (
        text.encode("utf-8"))
    try:
        cells = pd.read_csv(io.BytesIO(payload), sep=sep, dtype=str, na_filter=False,
                            index_col=False, skip_blank_lines=False, skiprows=header_index,
                            header=0, encoding="utf-8")
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as err:
        raise _refuse(path, Msg("read.cannot_parse", detail=err)) from err
    if len(cells) != n_records or list(cells.columns) != header:
        # pandas and the csv module disagreed (an exotic quoting): build from the csv records
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=sep))[header_index + 1:]
        width = len(header)
        records = [r if len(r) == width else [""] * width for r in records]  # blank ones
        cells = pd.DataFrame(records, columns=range(width), dtype=object)
    if blank:
        cells = cells.drop(index=cells.index[blank])
    return _attach(_frame(header, cells, ids), path, keep)


def _excel_file(path: Path) -> pd.ExcelFile:
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
        engine = "xlrd"
    elif zipfile.is_zipfile(path):
        engine = "openpyxl"
    else:
        looks = "text" if not data_head.startswith(b"PK") else "damaged"
        raise _refuse(path, Msg(f"read.not_excel_{looks}"))
    try:
        return pd.ExcelFile(path, engine=engine)
    except ImportError as err:
        package = "xlrd" if engine == "xlrd" else "openpyxl"
        raise _refuse(path, Msg("read.needs_package", package=package)) from err
    except MemoryError:
        raise
    except Exception as err:  # noqa: BLE001 - a damaged zip or XML raises many kinds of errors
        raise _refuse(path, Msg("read.damaged", detail=f"{type(err).__name__}: {err}")) from err


def _read_sheet(path: Path, book: pd.ExcelFile, sheet: str | int, ids: set[str],
                known: Iterable[str] = ()) -> pd.DataFrame:
    try:
        grid = pd.read_excel(book, sheet_name=sheet, header=None, dtype=object, na_filter=False)
    except MemoryError:
        raise
    except Exception as err:  # noqa: BLE001 - damaged sheet XML
        raise _refuse(path, Msg("read.bad_sheet", sheet=sheet,
                                detail=f"{type(err).__name__}: {err}")) from err
    cells = grid.to_numpy(dtype=object)
    filled = np.array([[not (c is None or (isinstance(c, float) and np.isnan(c))
                         or (isinstance(c, str) and not c.strip())) for c in row]
                       for row in cells], dtype=bool).reshape(cells.shape)
    rows_filled = filled.any(axis=1) if cells.size else np.zeros(len(cells), dtype=bool)
    where = f"{_name(path)} [{sheet}]" if isinstance(sheet, str) else _name(path)
    if not rows_filled.any():
        raise InputError(Msg("read.empty_sheet"), table=where,
                         file=where)
    scan = np.flatnonzero(rows_filled)[:HEADER_SCAN_ROWS]
    top = int(scan[header_row([list(cells[i]) for i in scan], {*ids, *known})])  # titles skipped
    header = []
    for j, value in enumerate(cells[top]):
        if not filled[top, j]:
            header.append(f"Unnamed: {j}")
        elif isinstance(value, float) and np.isfinite(value) and value == int(value):
            header.append(str(int(value)))
        else:
            header.append(str(value))
    while header and header[-1].startswith("Unnamed: ") and not filled[top:, len(header) - 1].any():
        header.pop()
    _check_header(path, header, top + 1)
    body = [i for i in range(top + 1, len(cells)) if rows_filled[i]]
    frame = _frame(header, pd.DataFrame(cells[body, : len(header)], dtype=object), ids)
    return _attach(frame, path, [i + 1 for i in body])


def read_table(path: str | Path, sheet: str | int | None = None, *,
               ids: Iterable[str] = (), known: Iterable[str] = ()) -> pd.DataFrame:
    """Read one table from CSV (UTF-8, UTF-16, GB18030/GBK or Big5) or Excel.

    Id columns — ``ids``, and every header ending in ``id`` or containing 编号 / 号 —
    are read as text exactly as typed (leading zeros kept, ``NA`` is an id, a whole
    number ``1.0`` becomes ``'1'``); only an empty cell is a missing id. Other
    columns become numbers when every filled cell is a number; ``NA``, ``null``
    and the like are missing there. Fully blank rows are skipped, and so are title
    rows above the header (see :func:`header_row`; ``known`` adds header words,
    e.g. the headers a rules file maps). Anything wrong
    with the file is an :class:`~banghdai.InputError` naming it and the row a
    spreadsheet shows.

    Example
    -------
    >>> import banghdai as bd
    >>> t = bd.read_table(bd.samples.sample_path("fanxian") / "mentors.csv")
    >>> t["mentor_id"].iloc[0], t["rating"].dtype.kind
    ('M001', 'f')
    """
    path = Path(path)
    ids = {str(c) for c in ids}
    suffix = path.suffix.lower()
    if suffix in EXCEL_SUFFIXES:
        book = _excel_file(path)
        with book:
            names = book.sheet_names
            if sheet is not None and not isinstance(sheet, int) and sheet not in names:
                raise _refuse(path, Msg("read.no_sheet", sheet=sheet), column="sheet",
                              choices=[str(s) for s in names])
            if isinstance(sheet, int) and not -len(names) <= sheet < len(names):
                raise _refuse(path, Msg("read.no_sheet_number", sheet=sheet), column="sheet",
                              choices=[str(s) for s in names])
            return _read_sheet(path, book, sheet if sheet is not None else 0, ids, known)
    if suffix not in TEXT_SUFFIXES:
        raise _refuse(path, Msg("read.file_type", suffix=suffix),
                      choices=[".csv", ".tsv", ".txt", ".xlsx"])
    return _read_csv(path, ids, known)


# --------------------------------------------------------------------------------- rosters

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

    def __iter__(self) -> Iterator[pd.DataFrame]:
        yield self.mentors
        yield self.mentees

    def problem(self, rules: dict[str, Any] | str | Path | None = None):
        """Build the :class:`~banghdai.Problem` these tables and their rules describe.

        Example
        -------
        >>> import banghdai as bd
        >>> bd.load_sample("fanxian").problem().pairing.capacity
        2
        """
        if isinstance(rules, str | Path):
            rules = hooks.use("read_rules")(rules)
        return hooks.use("problem_from_rules")(self, rules if rules is not None else self.rules or {})


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
                  what: str, files: list[Path]) -> pd.DataFrame | None | bool:
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


def read_roster(path: str | Path, *, rules: str | Path | None = None) -> Roster:
    """Read a roster: a folder of CSV/Excel files, or one workbook with sheets.

    A folder holds ``mentors`` and ``mentees`` tables (``.csv`` or ``.xlsx``;
    also named as in :data:`MENTOR_NAMES` / :data:`MENTEE_NAMES`: 导师, 导师名单,
    帮带对象, 帮带对象名单 … — two candidates for one table are refused),
    optionally ``fixed``, ``forbidden``, ``pair_scores`` and a ``rules.toml``;
    side tables named in its ``[files]`` must be inside the roster folder.

    A workbook holds sheets of those names (导师名单 and 帮带对象名单 are
    accepted; a workbook lacking one is refused listing the accepted names and
    its own sheets). Its rules file is ``rules``, else the one beside it
    (:func:`rules_beside`: ``<name>.rules.toml`` or ``rules.toml`` in the same
    folder), and side tables in that file's ``[files]`` are read from the rules
    file's folder.

    Title rows above a table's header are skipped (:func:`header_row`); rows in
    error messages are the spreadsheet's. Mentors and mentees need at least one
    row; an empty side table only warns.

    Example
    -------
    >>> import banghdai as bd
    >>> mentors, mentees = bd.read_roster(bd.samples.sample_path("fushan"))
    >>> "导师编号" in mentors.columns
    True
    """
    path = Path(path)
    tables: dict[str, pd.DataFrame | None] = {}
    rules_data: dict[str, Any] | None = None
    files: list[Path] = []
    if not path.exists():
        raise InputError(Msg("read.path_not_found", path=path), table=_name(path), file=_name(path))
    if path.is_dir():
        rules_path = Path(rules) if rules is not None else path / "rules.toml"
        if rules_path.exists() or rules is not None:
            rules_data = hooks.use("read_rules")(rules_path)
            files.append(rules_path)
        _listed(rules_data)
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
                                                  known=header_words(rules_data, side)),
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
            rules_data = hooks.use("read_rules")(rules_path)
            files.append(rules_path)
        _listed(rules_data)
        book = _excel_file(path)
        files.append(path)
        with book:
            sheets = [str(s) for s in book.sheet_names]

            def sheet(names: tuple[str, ...], what: str) -> str | None:
                hits = [s for s in sheets if s.strip() in names]
                if len(hits) > 1:
                    raise InputError(Msg("read.several_sheets", sheets=", ".join(map(repr, hits)),
                                         what=Msg(f"table.{what}")),
                                     table=_name(path), choices=hits)
                return hits[0] if hits else None

            sm, se = sheet(MENTOR_NAMES, "mentors"), sheet(MENTEE_NAMES, "mentees")
            if sm is None or se is None:
                lacking = "both" if sm is None and se is None else (
                    "mentors" if sm is None else "mentees")
                raise InputError(Msg(f"read.workbook_needs_{lacking}",
                                     mentors=_accepted(MENTOR_NAMES),
                                     mentees=_accepted(MENTEE_NAMES)),
                                 table=_name(path), file=_name(path),
                                 column="sheet", choices=sheets)
            for side, name in (("mentors", sm), ("mentees", se)):
                tables[side] = _main_table(
                    _read_sheet(path, book, name, id_columns(rules_data, side),
                                header_words(rules_data, side)), path, side)
            for key, names in EXTRA_NAMES.items():
                s = sheet(names, key)
                tables[key] = None
                if s is not None:
                    if _listed(rules_data).get(key) is not None:
                        raise InputError(Msg("read.sheet_and_file", key=key, sheet=s,
                                             named=_listed(rules_data)[key]),
                                         table=_name(path), column=key)
                    tables[key] = _read_sheet(path, book, s, id_columns(rules_data, key))
                    if len(tables[key]) == 0:
                        warnings.warn(DataWarning(Msg("read.sheet_no_rows", sheet=s, path=path,
                                                      key=Msg(f"table.{key}"))), stacklevel=2)
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
    return Roster(
        mentors=tables["mentors"], mentees=tables["mentees"], fixed=tables.get("fixed"),
        forbidden=tables.get("forbidden"), pair_scores=tables.get("pair_scores"),
        rules=rules_data, source=path, files=files,
    )


def read_files(mentors: str | Path, mentees: str | Path, *,
               rules: str | Path | None = None) -> Roster:
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
    rules_data = hooks.use("read_rules")(rules) if rules is not None else None
    files = [Path(mentors), Path(mentees)] + ([Path(rules)] if rules is not None else [])
    tables: dict[str, pd.DataFrame | None] = {}
    for side, name in (("mentors", mentors), ("mentees", mentees)):
        tables[side] = _main_table(read_table(name, ids=id_columns(rules_data, side),
                                              known=header_words(rules_data, side)),
                                   Path(name), side)
    if rules is not None:
        for key in EXTRA_NAMES:
            listed = _listed_table(rules_data, key, Path(rules).resolve().parent,
                                   "rules file's folder", files)
            tables[key] = None if listed is False else listed
    return Roster(mentors=tables["mentors"], mentees=tables["mentees"],
                  fixed=tables.get("fixed"), forbidden=tables.get("forbidden"),
                  pair_scores=tables.get("pair_scores"), rules=rules_data, files=files)


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
