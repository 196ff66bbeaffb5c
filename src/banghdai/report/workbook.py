"""The 帮带对子名单 workbook a 组织部 can file and print.

:func:`write_workbook` writes one ``.xlsx`` with five sheets — the pair list
(帮带对子名单: the columns a 组织部 files, sized for A4 landscape at 9 pt or more),
a summary per county with its townships (县区汇总), the unmatched mentees with
their reasons (未匹配名单), one row per pair with what the goals measure
(配对明细) and an audit sheet (规则与参数) — in Chinese or English, laid out by
:mod:`banghdai.report.content`. The sheets keep the caller's own column headers
(library names in the reader's language), group rows by county and township,
store numbers as numbers, and are set up to print: A4, fit to width, frozen and
repeated header rows, page numbers in the footer. Text that would start a
formula (``= + - @``) is stored as text.

The private helpers here (reading the caller's tables back from a problem,
writing safe cells, page setup) are shared with :mod:`banghdai.report.papers`.

Example
-------
>>> import os, tempfile, pandas as pd, banghdai as bd
>>> from banghdai.report.workbook import write_workbook
>>> mentors = pd.DataFrame({"导师编号": ["M1", "M2"], "姓名": ["张三", "李四"],
...                         "县区": ["甲县", "乙县"]})
>>> mentees = pd.DataFrame({"对象编号": ["E1", "E2"], "姓名": ["王五", "赵六"],
...                         "县区": ["乙县", "甲县"]})
>>> problem = bd.Problem(mentors, mentees).require(bd.SameRegion("county"))
>>> path = write_workbook(problem.solve(), problem, os.path.join(tempfile.mkdtemp(), "对子.xlsx"))
>>> path.name
'对子.xlsx'
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as _dt
import functools
import os
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..core.errors import InputError
from ..core.safeio import atomic_write, check_writable, formula_text
from ..data.normalize import TAG_SPLIT
from ..data.schema import ROW_NUMBER_HEADERS, header_key
from .words import catalogue

__all__ = ["write_workbook"]

LANGS = ("zh", "en")

# Canonical columns the library knows; anything else is the caller's own column.
KNOWN = frozenset({
    "mentor_id", "mentee_id", "name", "kind", "province", "city", "county", "township",
    "village", "lat", "lon", "domains", "rating", "capacity", "mentors_required",
})
# Columns that steer the solver but mean little on paper.
TECHNICAL = frozenset({"lat", "lon", "rating", "capacity", "mentors_required", "kind"})
REGIONS = ("province", "city", "county", "township", "village")
_TAG_SPLIT = TAG_SPLIT  # the readers' own split: the papers show the tags matching used
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")

#: The workbook's own words (the sheets' words live in :mod:`banghdai.report.content`),
#: registered in the message catalogue as ``report.<key>``.
TEXT = catalogue("report", {
    "zh": {"footer": "第 {page} 页 共 {pages} 页", "total": "合计"},
    "en": {"footer": "Page {page} of {pages}", "total": "Total"},
})


# ---------------------------------------------------------------------------- reading
def _input_error(message: str, **kw: Any) -> InputError:
    return InputError(message, **kw)


def check_lang(lang: str) -> dict[str, Any]:
    """The label table for ``lang`` ("zh" or "en"); anything else raises InputError."""
    if lang not in TEXT:
        raise _input_error(f"unknown lang {lang!r}", column="lang", choices=list(LANGS))
    return TEXT[lang]


@dataclasses.dataclass
class Side:
    """One side's table as the problem checked it, plus the caller's own headers.

    ``frame`` has canonical column names (``mentor_id``, ``county`` …) and ids as
    text; ``header`` maps a canonical name back to the caller's header.
    """

    side: str
    frame: pd.DataFrame
    header: dict[str, str]

    @property
    def id_col(self) -> str:
        return "mentor_id" if self.side == "mentors" else "mentee_id"

    def shown(self, column: str) -> str:
        return str(self.header.get(column, column))

    def has(self, column: str | None) -> bool:
        return column is not None and column in self.frame.columns

    def resolve(self, wanted: Iterable[str]) -> list[str]:
        """Canonical names of ``wanted`` columns, each given canonically or by the caller's header."""
        back = {str(v): k for k, v in self.header.items()}
        out = []
        for name in wanted:
            col = name if name in self.frame.columns else back.get(str(name))
            if col is None or col not in self.frame.columns:
                raise _input_error(
                    f"no column {name!r} in the {self.side} table", table=self.side,
                    column=str(name), choices=[self.shown(c) for c in self.frame.columns],
                )
            if col not in out:
                out.append(col)
        return out


def read_side(problem: Any, side: str) -> Side:
    """The checked table of ``side`` ("mentors"/"mentees") of a Problem, with the caller's headers."""
    table = getattr(problem, f"{side[:-1]}_table", None)
    frame = getattr(table, "frame", None)
    if frame is None:
        frame = getattr(problem, side, None)
    if not isinstance(frame, pd.DataFrame):
        raise _input_error(f"problem has no {side} table", table=side)
    header = dict(getattr(table, "source", None) or {})
    id_col = "mentor_id" if side == "mentors" else "mentee_id"
    frame = frame.reset_index(drop=True)
    if id_col not in frame.columns and "id" in frame.columns:
        frame = frame.rename(columns={"id": id_col})
        header.setdefault(id_col, "id")
    if id_col not in frame.columns:
        raise _input_error(f"the {side} table has no {id_col!r} column", table=side,
                           column=id_col, choices=[str(c) for c in frame.columns])
    if frame[id_col].dtype != object:
        frame = frame.assign(**{id_col: frame[id_col].astype(str).astype(object)})
    return Side(side, frame, header)


def region_levels(side: Side, levels: Sequence[str] = ("county", "township", "village")) -> list[str]:
    """The region columns present in ``side``, coarse to fine."""
    return [c for c in levels if side.has(c)]


def group_order(frame: pd.DataFrame, columns: Sequence[str]) -> np.ndarray:
    """Row positions sorted by ``columns`` in order of first appearance, stably.

    Blank counties and townships come last; a blank village (people of the township
    itself, 乡镇本级) comes first within its township.
    """
    keys = []
    for col in columns:
        codes, _ = pd.factorize(frame[col].astype(object), sort=False)
        codes = np.where(codes < 0, -1 if col == "village" else np.iinfo(np.int64).max, codes)
        keys.append(codes)
    keys.append(np.arange(len(frame)))
    return np.lexsort(keys[::-1]) if len(frame) else np.empty(0, dtype=np.int64)


def default_columns(side: Side, *, constant_regions: bool = False) -> list[str]:
    """The caller's columns worth printing: id, name, then the rest in the caller's order.

    Mentees keep everything but solver knobs (lat, lon, rating, capacity,
    mentors_required, kind); mentors keep their own descriptive columns (unit,
    type, tier … — those the library does not interpret). Region columns with one
    value across the table are dropped unless ``constant_regions``.
    """
    frame = side.frame
    first = [side.id_col] + (["name"] if side.has("name") else [])
    rest = []
    for col in frame.columns:
        if col in first or col in TECHNICAL:
            continue
        if is_row_number(side.shown(col)):  # the list numbers its own rows (序号)
            continue
        if side.side == "mentors" and col in KNOWN:
            continue
        if (col in REGIONS[:3] and not constant_regions
                and frame[col].astype(object).nunique(dropna=False) <= 1):
            continue
        rest.append(col)
    return first + rest


def is_row_number(header: object) -> bool:
    """True for a roster's own row-number header (序号, No. …)."""
    return header_key(header) in ROW_NUMBER_HEADERS


def constant_region_text(side: Side) -> str:
    """Values of region columns that are the same on every row ("银川市"), joined."""
    out = []
    for col in REGIONS[:3]:
        if side.has(col):
            values = side.frame[col].dropna().astype(str).unique()
            if len(values) == 1 and side.frame[col].notna().all():
                out.append(values[0])
    return " ".join(out)


def tag_columns(problem: Any, mentors: Side, mentees: Side) -> tuple[str, str] | None:
    """The (mentor, mentee) tag columns the rules compare, if both tables have them."""
    terms: list[Any] = []
    for attr in ("edge_rules", "scores", "group_rules"):
        terms += list(getattr(problem, attr, None) or [])
    for level in getattr(problem, "levels", None) or []:
        terms += list(level) if isinstance(level, list | tuple) else [level]
    for term in terms:
        m, e = getattr(term, "mentor_column", None), getattr(term, "mentee_column", None)
        if isinstance(m, str) and isinstance(e, str) and mentors.has(m) and mentees.has(e):
            return m, e
    if mentors.has("domains") and mentees.has("domains"):
        return "domains", "domains"
    return None


def _tags(value: Any) -> list[str]:
    if isinstance(value, list | tuple | set | np.ndarray):
        items = [str(v) for v in value if v is not None and not _isna(v)]
    elif value is None or _isna(value):
        return []
    else:
        items = _TAG_SPLIT.split(str(value))
    out: list[str] = []
    for item in items:
        item = item.strip()
        if item and item not in out:
            out.append(item)
    return out


def shared_tags(pairs: pd.DataFrame, mentors: Side, mentees: Side,
                columns: tuple[str, str] | None, sep: str = "、") -> pd.Series | None:
    """Per pair, the shared tags as text in the mentee's order; None without tag columns."""
    if columns is None:
        return None
    m_tags = dict(zip(mentors.frame["mentor_id"], mentors.frame[columns[0]].map(_tags),
                      strict=True))
    e_tags = dict(zip(mentees.frame["mentee_id"], mentees.frame[columns[1]].map(_tags),
                      strict=True))
    out = [
        sep.join(t for t in e_tags.get(e, []) if t in set(m_tags.get(m, [])))
        for m, e in zip(pairs["mentor_id"], pairs["mentee_id"], strict=True)
    ]
    return pd.Series(out, index=pairs.index, dtype=object)


def ordered_pairs(result: Any) -> pd.DataFrame:
    """The pairs, ids as text, each mentee's mentors ranked: fixed first, then by score."""
    pairs = getattr(result, "pairs", None)
    if not isinstance(pairs, pd.DataFrame):
        raise _input_error("result has no pairs table", table="pairs")
    pairs = pairs.reset_index(drop=True).copy()
    for col in ("mentor_id", "mentee_id"):
        if col not in pairs.columns:
            raise _input_error("pairs table needs this column", table="pairs", column=col,
                               choices=[str(c) for c in pairs.columns])
        pairs[col] = pairs[col].map(_id_text).astype(object)
    keys = pd.DataFrame({
        "mentee": pairs["mentee_id"],
        "fixed": ~pairs["fixed"].fillna(False).astype(bool) if "fixed" in pairs else False,
        "score": -pd.to_numeric(pairs["score"], errors="coerce").fillna(0.0)
        if "score" in pairs else 0.0,
        "mentor": pairs["mentor_id"],
    })
    order = keys.sort_values(["mentee", "fixed", "score", "mentor"], kind="stable").index
    pairs = pairs.loc[order].reset_index(drop=True)
    pairs["rank"] = pairs.groupby("mentee_id", sort=False).cumcount()
    return pairs


def _id_text(value: Any) -> str:
    if isinstance(value, float) and value == np.floor(value):
        return str(int(value))
    if isinstance(value, np.generic):
        return _id_text(value.item())
    return str(value)


def demand(result: Any, mentees: Side, pairs: pd.DataFrame) -> pd.DataFrame:
    """Per mentee (in table order): mentors needed, mentors got and places filled.

    ``needed`` comes from ``result.unmatched`` for mentees short of mentors and is
    ``got`` for the others, so ``filled.sum() / needed.sum()`` is the result's coverage.
    """
    ids = mentees.frame["mentee_id"]
    got = pairs.groupby("mentee_id").size().reindex(ids).fillna(0).astype(np.int64)
    needed = got.copy()
    unmatched = getattr(result, "unmatched", None)
    if isinstance(unmatched, pd.DataFrame) and len(unmatched) and "needed" in unmatched:
        u = unmatched.assign(mentee_id=unmatched["mentee_id"].map(_id_text))
        short = pd.to_numeric(u.set_index("mentee_id")["needed"], errors="coerce")
        short = short[short.index.isin(ids)].dropna()
        needed.loc[short.index] = np.maximum(short.astype(np.int64), got.loc[short.index])
    out = pd.DataFrame({"mentee_id": ids.to_numpy(), "needed": needed.to_numpy(),
                        "got": got.to_numpy()})
    out["filled"] = np.minimum(out["got"], out["needed"])
    return out


# ---------------------------------------------------------------------------- cells
def _isna(value: Any) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def plain(value: Any) -> Any:
    """A cell value openpyxl stores faithfully: None for blanks, Python scalars, lists joined."""
    if value is None:
        return None
    if isinstance(value, list | tuple | set | np.ndarray):
        return "、".join(str(v) for v in value if not _isna(v))
    if _isna(value):
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, bool | int | str | _dt.date | _dt.datetime):
        return value
    if isinstance(value, float):
        return value if np.isfinite(value) else None
    return str(value)


def put(ws: Any, row: int, col: int, value: Any, *, fmt: str | None = None,
        style: CellStyle | None = None) -> Any:
    """Write one cell safely: text that Excel would read as a formula stays text.

    Strings a spreadsheet would run as formulas (``= + - @``, tab, line break:
    :func:`banghdai.core.safeio.formula_text`) are stored with the string data
    type and Excel's quote prefix, so Excel shows them as typed and never
    evaluates them; control characters Excel refuses are dropped.
    """
    if value is not None and type(value) not in (str, int):
        value = plain(value)
    cell = ws.cell(row=row, column=col)
    if style is not None:
        style.apply(cell, fmt)
    elif fmt is not None:
        cell.number_format = fmt
    if isinstance(value, str):
        if _ILLEGAL.search(value):
            value = _ILLEGAL.sub("", value)
        cell.value = value
        if cell.data_type in ("f", "e") or formula_text(value):  # "#N/A" is text, not an error
            cell.data_type = "s"
            own(cell)
            cell.quotePrefix = True
    else:
        if isinstance(value, _dt.date | _dt.time):  # openpyxl sets a date format in place:
            own(cell)  # on a shared style record it would turn every number into a date
            if fmt is None:
                cell.number_format = "yyyy-mm-dd hh:mm" if isinstance(
                    value, _dt.datetime) else "yyyy-mm-dd"
        cell.value = value
    return cell


def own(cell: Any) -> Any:
    """Give a cell its own style record before changing it (styled cells share one)."""
    if hasattr(cell, "_style"):
        cell._style = copy.copy(cell._style)
    return cell


def text_width(value: Any) -> int:
    """Display width of a value: CJK and other wide characters count double."""
    if value is None:
        return 0
    if isinstance(value, float):
        text = f"{value:.3f}".rstrip("0").rstrip(".")
    elif isinstance(value, _dt.datetime | _dt.date):
        text = "2027-01-01"
    else:
        text = str(value)
    widest = 0
    for line in text.splitlines() or [""]:
        widest = max(widest, sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1
                                 for ch in line))
    return widest


class CellStyle:
    """A cell style applied by sharing the style record once built (fast for 10⁵ cells).

    The first cell is styled through openpyxl's public attributes; later cells share
    a copy of its style record, so a cell must get its own record (:func:`own`)
    before any further style change. One instance belongs to one workbook.
    """

    def __init__(self, **attrs: Any) -> None:
        self.attrs = attrs
        self._made: dict[str | None, Any] = {}

    def apply(self, cell: Any, fmt: str | None = None) -> None:
        made = self._made.get(fmt)
        if made is not None:
            cell._style = made  # shared: change a cell's style only after own(cell)
            return
        for key, value in self.attrs.items():
            setattr(cell, key, value)
        if fmt is not None:
            cell.number_format = fmt
        if hasattr(cell, "_style"):
            self._made[fmt] = copy.copy(cell._style)


class Styles:
    """The cell styles of one workbook (made once, shared by every cell)."""

    def __init__(self) -> None:
        from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

        self._side = Side(style="thin", color="808080")
        self._Border = Border
        self.border = Border(left=self._side, right=self._side, top=self._side,
                             bottom=self._side)
        self.bold_font = Font(bold=True)
        self.section_font = Font(bold=True, size=11)
        self.fill = PatternFill("solid", fgColor="D9E1F2")
        self.light = PatternFill("solid", fgColor="F2F2F2")
        self.center = Alignment(horizontal="center", vertical="center", wrap_text=True)
        self.left = Alignment(horizontal="left", vertical="center", wrap_text=True)
        self.left_nowrap = Alignment(horizontal="left", vertical="center")
        self.top_left = Alignment(horizontal="left", vertical="top", wrap_text=True)
        across = Alignment(horizontal="centerContinuous", vertical="center")
        self.header = CellStyle(font=self.bold_font, fill=self.fill, border=self.border,
                                alignment=self.center)
        self.cell = CellStyle(border=self.border, alignment=self.left)
        self.total = CellStyle(font=self.bold_font, border=self.border, alignment=self.left,
                               fill=self.light)
        self.title = CellStyle(font=Font(bold=True, size=14), alignment=across)
        self.heading = CellStyle(font=self.section_font, alignment=across)
        self.subtitle = CellStyle(alignment=across)
        self.bold = CellStyle(font=self.section_font)
        self.plain = CellStyle(alignment=self.left_nowrap)
        self.link = CellStyle(font=Font(color="0563C1", underline="single"), border=self.border,
                              alignment=self.left)
        self._spans: dict[tuple[str, bool, bool], CellStyle] = {}

    def span(self, kind: str, first: bool, last: bool) -> CellStyle:
        """A cell of a box drawn over several cells without merging them (text overflows).

        ``kind`` is "label" (bold, shaded), "value", "box" (top-aligned) or
        "section" (bold, shaded); only the box's outer edges get borders.
        """
        key = (kind, first, last)
        if key not in self._spans:
            s = self._side
            border = self._Border(left=s if first else None, right=s if last else None,
                                  top=s, bottom=s)
            attrs: dict[str, Any] = {"border": border, "alignment": self.left_nowrap}
            if kind in ("label", "section"):
                attrs.update(font=self.bold_font, fill=self.light)
            if kind == "box":
                attrs["alignment"] = self.top_left
            self._spans[key] = CellStyle(**attrs)
        return self._spans[key]


PAPERS = ("auto", "A4", "A3")


def page_setup(ws: Any, lang: str, *, landscape: bool = True, title_rows: str | None = None,
               paper: str = "A4") -> None:
    """Fit to one page wide (any number tall), page numbers in the footer.

    ``paper="auto"`` takes A3 when the columns are wider than an A4 page shows at a
    readable size (about 200 character widths landscape, 140 portrait), else A4.
    """
    if paper not in PAPERS:
        raise _input_error(f"unknown paper {paper!r}", column="paper", choices=list(PAPERS))
    if paper == "auto":
        from openpyxl.utils import get_column_letter

        total = sum((ws.column_dimensions[get_column_letter(j)].width or 9)
                    for j in range(1, ws.max_column + 1))
        paper = "A3" if total > (200 if landscape else 140) else "A4"
    ws.page_setup.paperSize = ws.PAPERSIZE_A3 if paper == "A3" else ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.page_margins.header = ws.page_margins.footer = 0.3
    ws.oddFooter.center.text = TEXT[lang]["footer"].format(page="&P", pages="&N")  # Excel's codes
    ws.oddFooter.left.text = "&A"
    if title_rows:
        ws.print_title_rows = title_rows


def fit_widths(ws: Any, *, skip_rows: Iterable[int] = (), header_row: int | None = None,
               lo: int = 4, hi: int = 20, header_hi: int = 10) -> None:
    """Column widths from content (wide characters count double), text wrapping past ``hi``.

    Headers count up to ``header_hi`` and wrap beyond it; the header row is made
    tall enough for its longest wrapped header.
    """
    from openpyxl.utils import get_column_letter

    skip = set(skip_rows)
    widths: dict[int, int] = {}
    head: dict[int, int] = {}
    for row in ws.iter_rows():
        for cell in row:
            if cell.row in skip or cell.value is None or type(cell).__name__ == "MergedCell":
                continue
            w = text_width(cell.value)
            if cell.row == header_row:
                head[cell.column] = w
                w = min(w, header_hi)
            widths[cell.column] = max(widths.get(cell.column, 0), w)
    for col, w in widths.items():
        ws.column_dimensions[get_column_letter(col)].width = max(lo, min(hi, w + 2))
    if header_row is not None and head:
        lines = max(-(-w // max(1, min(hi, widths[c] + 2) - 1)) for c, w in head.items())
        ws.row_dimensions[header_row].height = 15 * max(1, min(lines, 4)) + 4
    fit_heights(ws, skip_rows=skip | ({header_row} if header_row else set()))


def wrapped_lines(value: Any, width: float) -> int:
    """Lines a value takes in a wrapping cell ``width`` characters wide."""
    if value is None:
        return 1
    return _lines(value if isinstance(value, str) else str(value), float(width))


@functools.lru_cache(maxsize=4096)
def _lines(text: str, width: float) -> int:
    per_line = max(1.0, width - 0.5)
    return int(sum(max(1, -(-text_width(part) // per_line)) for part in text.split("\n")))


def _wraps(cell: Any, known: dict[int, bool]) -> bool:
    """Whether a cell wraps text, looked up once per alignment record."""
    key = getattr(getattr(cell, "_style", None), "alignmentId", None)
    if key is None:
        return bool(cell.alignment.wrap_text)
    if key not in known:
        known[key] = bool(cell.alignment.wrap_text)
    return known[key]


def fit_heights(ws: Any, *, skip_rows: Iterable[int] = (), line: float = 15.0) -> None:
    """Tall enough rows for wrapped text (Excel does not grow rows of a written file itself)."""
    from openpyxl.utils import get_column_letter

    skip = set(skip_rows)
    wraps: dict[int, bool] = {}
    width = {j: ws.column_dimensions[get_column_letter(j)].width or 9
             for j in range(1, ws.max_column + 1)}
    for row in ws.iter_rows():
        if not row or row[0].row in skip:
            continue
        lines = 1
        for cell in row:
            if isinstance(cell.value, str) and _wraps(cell, wraps):
                lines = max(lines, wrapped_lines(cell.value, width[cell.column]))
        if lines > 1:
            r = row[0].row
            ws.row_dimensions[r].height = max(ws.row_dimensions[r].height or 0, line * lines + 3)


def write_table(ws: Any, top: int, headers: Sequence[str], rows: Iterable[Sequence[Any]],
                styles: Styles, formats: Mapping[int, str] | None = None,
                total_rows: Iterable[int] = ()) -> int:
    """Write a header row at ``top`` and the rows below it; returns the last row written."""
    formats = formats or {}
    for j, h in enumerate(headers, 1):
        put(ws, top, j, h, style=styles.header)
    totals = set(total_rows)
    r = top
    for i, row in enumerate(rows):
        r = top + 1 + i
        style = styles.total if i in totals else styles.cell
        for j, value in enumerate(row, 1):
            put(ws, r, j, value, fmt=formats.get(j - 1), style=style)
    return r


def title_row(ws: Any, row: int, text: str, ncol: int, styles: Styles, *,
              style: CellStyle | None = None, height: float = 28) -> None:
    """A title centred across ``ncol`` columns (no merged cells: they are slow and fragile)."""
    style = style or styles.title
    put(ws, row, 1, text, style=style)
    for col in range(2, ncol + 1):
        put(ws, row, col, None, style=style)
    ws.row_dimensions[row].height = height


def save_atomic(wb: Any, path: str | os.PathLike[str]) -> Path:
    """Save beside ``path`` and rename into place (:func:`banghdai.core.safeio.atomic_write`)."""
    return atomic_write(path, wb.save)


def openpyxl_workbook() -> Any:
    """A new, empty openpyxl Workbook (InputError naming the extra when openpyxl is missing)."""
    try:
        from openpyxl import Workbook
    except ImportError as err:  # pragma: no cover - depends on the environment
        raise _input_error("writing Excel needs openpyxl: pip install 'banghdai[excel]'") from err
    wb = Workbook()
    wb.remove(wb.active)
    return wb


# ---------------------------------------------------------------------------- workbook
def write_workbook(
    result: Any,
    problem: Any,
    path: str | os.PathLike[str],
    *,
    lang: str = "zh",
    rules_text: str | None = None,
    mentee_columns: Sequence[str] | None = None,
    mentor_columns: Sequence[str] | None = None,
    headers: Mapping[str, str] | None = None,
    title: str | None = None,
    paper: str = "auto",
    roster: Any = None,
) -> Path:
    """Write the pair list (帮带对子名单) a 组织部 can file and print, as one ``.xlsx``.

    Sheets (``lang="zh"`` / ``"en"``), as :mod:`banghdai.report.content` lays them out:
    帮带对子名单 / Pairs — 序号, township and village, the mentee's 姓名 / 单位职务 /
    类别 and each mentor's 姓名 / 单位职务 side by side, sized so that it prints on A4
    landscape, one page wide, at 9 pt or more (one line per pair when the mentors side
    by side would not fit), two header rows (帮带对象, 导师1 … over their columns)
    repeated on every page; 县区汇总 / By county — a line per county with a line per
    township under it (per city with its counties), coverage per category, and the
    total; 未匹配名单 / Unmatched — each mentee short of mentors with the reason
    (solve with ``lang="zh"`` for Chinese reasons); 配对明细 / Pair details — one row
    per pair with ids, what the goals measure (distance, shared domains, fit,
    priority; a score only when the goals weigh scores) and the roster's other
    columns; 规则与参数 / Rules and parameters — the result, the rules in the
    principles' words, the goals in order with their values and whether each is
    proven, the data counts, the read report and the version, and ``rules_text``.

    Parameters
    ----------
    result
        The :class:`~banghdai.Result` of ``problem.solve()``.
    problem
        The :class:`~banghdai.Problem` solved; its tables give the printed columns
        under the caller's own headers (library names in the reader's language).
    path
        Where to write. The file is written beside it first and moved into place.
    lang
        ``"zh"`` (default) or ``"en"`` sheet names, headers and labels.
    rules_text
        Free text for the audit sheet (the rules file, the meeting's decision …).
    mentee_columns, mentor_columns
        Columns for the detail sheet (canonical names or your headers). By default
        mentees show everything but solver knobs (lat, lon, rating, capacity,
        mentors_required, kind) and region columns with one value; mentors show
        their own descriptive columns.
    headers
        Replace printed headers: ``{"name": "姓名"}`` (canonical or your header).
    title
        The list's title row (default: the constant regions + 帮带对子名单).
    paper
        ``"auto"`` (default: the list and the summaries on A4, the detail sheets on A3
        when they are wider than A4 shows at a readable size), ``"A4"`` or ``"A3"``
        for every sheet.
    roster
        The roster read (:func:`banghdai.read_roster`), whose read report the audit
        sheet summarises; by default the problem's.

    Returns
    -------
    pathlib.Path
        ``path``.

    Example
    -------
    >>> import os, tempfile, openpyxl, pandas as pd, banghdai as bd
    >>> from banghdai.report.workbook import write_workbook
    >>> mentors = pd.DataFrame({"mentor_id": ["M1", "M2"], "name": ["张三", "李四"],
    ...                         "unit_post": ["镇党委书记", "村支书"], "capacity": [2, 1]})
    >>> mentees = pd.DataFrame({"mentee_id": ["E1", "E2"], "name": ["王五", "=1+1"]})
    >>> problem = bd.Problem(mentors, mentees, pairing=bd.OneToMany(capacity="capacity"))
    >>> path = write_workbook(problem.solve(), problem, os.path.join(tempfile.mkdtemp(), "p.xlsx"))
    >>> wb = openpyxl.load_workbook(path)
    >>> wb.sheetnames
    ['帮带对子名单', '汇总', '未匹配名单', '配对明细', '规则与参数']
    >>> [c.value for c in wb["帮带对子名单"][3]]
    ['序号', '姓名', '姓名', '单位职务']
    """
    from .content import Context, sheets

    check_lang(lang)
    check_writable(path)
    if paper not in PAPERS:
        raise _input_error(f"unknown paper {paper!r}", column="paper", choices=list(PAPERS))
    ctx = Context(result, problem, lang, headers=headers, mentee_columns=mentee_columns,
                  mentor_columns=mentor_columns, title=title)
    styles = Styles()
    wb = openpyxl_workbook()
    for sheet in sheets(ctx, rules_text=rules_text, roster=roster):
        write_sheet(wb, sheet, styles, lang, paper=paper)
    return save_atomic(wb, path)


def write_sheet(wb: Any, sheet: Any, styles: Styles, lang: str, *, paper: str = "A4") -> Any:
    """Write a :class:`banghdai.report.content.Sheet` as a print-ready worksheet.

    The title across the first block's columns, each block's header groups and header
    (the first block's repeated on every printed page), its rows with their number
    formats, column widths from the content (header words never broken), A4 one
    page wide, page numbers in the footer. The list itself is always A4.
    """
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(sheet.name)
    first = sheet.blocks[0] if sheet.blocks else None
    ncol = len(first.headers) if first else 1
    title_row(ws, 1, sheet.title, ncol, styles)
    r = 1
    widths: dict[int, float] = {}
    head_rows: list[int] = []
    wrap_skip: list[int] = [1]
    for b, block in enumerate(sheet.blocks):
        if block.heading:
            r += 2 if b else 1
            put(ws, r, 1, block.heading, style=styles.bold)
            wrap_skip.append(r)
        if block.groups:
            r += 1
            j = 1
            for label, span in block.groups:
                for col in range(j, j + span):
                    put(ws, r, col, label if col == j else None,
                        style=styles.span("label", col == j, col == j + span - 1)
                        if label else styles.header)
                j += span
            head_rows.append(r)
        r += 1
        head_rows.append(r)
        last = write_table(ws, r, block.headers, block.rows, styles, block.formats,
                           total_rows=block.bold)
        lines = max((len(str(h).split("\n")) for h in block.headers), default=1)
        ws.row_dimensions[r].height = 15 * lines + 4
        if b == 0:
            ws.freeze_panes = f"{get_column_letter(min(sheet.freeze, ncol) + 1)}{r + 1}"
            if block.rows and len(sheet.blocks) == 1:
                ws.auto_filter.ref = f"A{r}:{get_column_letter(len(block.headers))}{last}"
            title_rows = f"{head_rows[0]}:{r}"
        if not block.wrap:
            wrap_skip.extend(range(r + 1, last + 1))
        r = max(r, last)
        for j, width in enumerate(block.widths, 1):
            widths[j] = max(widths.get(j, 0), width)
    for j, width in widths.items():
        ws.column_dimensions[get_column_letter(j)].width = width
    for row in head_rows:
        for cell in ws[row]:
            if isinstance(cell.value, str) and "\n" in cell.value:
                own(cell).alignment = styles.center
    fit_heights(ws, skip_rows=[*wrap_skip, *head_rows])
    page_setup(ws, lang, landscape=sheet.landscape, title_rows=title_rows if first else None,
               paper=sheet.paper if paper == "auto" else paper)
    return ws
