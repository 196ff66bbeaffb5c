"""The 帮带对子名单 workbook a 组织部 can file and print.

:func:`write_workbook` writes one ``.xlsx`` with four sheets — the pair roster
(帮带对子名单, one row per mentee with its mentors side by side), a summary per
county (县区汇总), the unmatched mentees with their reasons (未匹配名单) and an
audit sheet (规则与参数) — in Chinese or English. The roster keeps the caller's
own column headers, groups rows by county and township, stores numbers as
numbers, and is set up to print: landscape A4, fit to width, frozen and
repeated header row, page numbers in the footer. Text that would start a
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
from ..core.messages import CATALOGUE
from ..core.messages import text as _say
from ..core.safeio import atomic_write, check_writable, formula_text
from ..data.normalize import TAG_SPLIT
from ..data.schema import ROW_NUMBER_HEADERS, header_key

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

TEXT = {
    "zh": {
        "pairs_sheet": "帮带对子名单",
        "summary_sheet": {"county": "县区汇总", "city": "市汇总", "township": "乡镇汇总",
                          None: "汇总"},
        "unmatched_sheet": "未匹配名单",
        "audit_sheet": "规则与参数",
        "title": "帮带对子名单",
        "no": "序号",
        "roster_no": "原名单序号",
        "n_mentors": "导师人数",
        "mentor": "导师{k}",
        "mentor_col": "导师{k}{h}",
        "mentor_id": "导师{k}编号",
        "distance": "导师{k}距离(公里)",
        "shared_names": "导师{k}共同领域",
        "shared_count": "导师{k}共同领域数",
        "score": "导师{k}匹配分",
        "fixed": "导师{k}组织指定",
        "yes": "是",
        "total": "合计",
        "blank": "（空）",
        "footer": "第 &P 页 共 &N 页",
        "summary_title": "帮带结对汇总",
        "s_mentees": "帮带对象",
        "s_matched": "已配对对象",
        "s_full": "已配齐对象",
        "s_demand": "需配导师人次",
        "s_filled": "已配导师人次",
        "s_coverage": "覆盖率",
        "s_pairs": "对子数",
        "s_bank": "导师库人数",
        "s_used": "使用导师",
        "s_distance": "平均距离(公里)",
        "s_cat": "覆盖率·{c}",
        "unmatched_title": "未匹配名单",
        "u_needed": "需配导师数",
        "u_got": "已配导师数",
        "u_candidates": "候选导师数",
        "u_reason": "原因",
        "u_funnel": "筛选过程",
        "u_full": "满额候选导师",
        "audit_title": "规则与参数",
        "a_item": "项目",
        "a_value": "值",
        "a_kind": "类别",
        "a_rule": "规则",
        "a_params": "参数",
        "a_made": "生成时间",
        "a_status": "求解状态",
        "a_outcome": "未证明之处",
        "a_objective": "目标值",
        "a_bound": "最优界",
        "a_gap": "相对间隙",
        "a_seconds": "用时(秒)",
        "a_backend": "求解方法",
        "a_coverage": "覆盖率",
        "a_pairs": "对子数",
        "a_mentees": "帮带对象数",
        "a_mentors": "导师数",
        "a_summary": "结果·{k}",
        "a_info": "参数·{k}",
        "a_version": "版本·{k}",
        "a_rules": "规则",
        "a_levels": "目标层级",
        "a_text": "规则说明",
        "k_pairing": "结对方式",
        "k_require": "硬性规则",
        "k_group": "分组规则",
        "k_fixed": "组织指定",
        "k_score": "评分项",
        "k_level": "目标层级",
        "rows": "{n} 行",
    },
    "en": {
        "pairs_sheet": "Pairs",
        "summary_sheet": {"county": "By county", "city": "By city", "township": "By township",
                          None: "Summary"},
        "unmatched_sheet": "Unmatched",
        "audit_sheet": "Rules and parameters",
        "title": "Mentor-mentee pairs",
        "no": "No.",
        "roster_no": "roster No.",
        "n_mentors": "Mentors",
        "mentor": "Mentor {k}",
        "mentor_col": "Mentor {k} {h}",
        "mentor_id": "Mentor {k} id",
        "distance": "Mentor {k} distance (km)",
        "shared_names": "Mentor {k} shared domains",
        "shared_count": "Mentor {k} shared domains",
        "score": "Mentor {k} score",
        "fixed": "Mentor {k} fixed",
        "yes": "yes",
        "total": "Total",
        "blank": "(blank)",
        "footer": "Page &P of &N",
        "summary_title": "Pairing summary",
        "s_mentees": "Mentees",
        "s_matched": "Matched",
        "s_full": "Fully matched",
        "s_demand": "Mentor places needed",
        "s_filled": "Mentor places filled",
        "s_coverage": "Coverage",
        "s_pairs": "Pairs",
        "s_bank": "Mentors in bank",
        "s_used": "Mentors used",
        "s_distance": "Mean distance (km)",
        "s_cat": "Coverage: {c}",
        "unmatched_title": "Unmatched mentees",
        "u_needed": "Mentors needed",
        "u_got": "Mentors got",
        "u_candidates": "Candidate mentors",
        "u_reason": "Reason",
        "u_funnel": "Filter steps",
        "u_full": "Candidates at capacity",
        "audit_title": "Rules and parameters",
        "a_item": "Item",
        "a_value": "Value",
        "a_kind": "Kind",
        "a_rule": "Rule",
        "a_params": "Parameters",
        "a_made": "Written at",
        "a_status": "Status",
        "a_outcome": "Not proven",
        "a_objective": "Objective",
        "a_bound": "Bound",
        "a_gap": "Gap",
        "a_seconds": "Seconds",
        "a_backend": "Backend",
        "a_coverage": "Coverage",
        "a_pairs": "Pairs",
        "a_mentees": "Mentees",
        "a_mentors": "Mentors",
        "a_summary": "result: {k}",
        "a_info": "info: {k}",
        "a_version": "version: {k}",
        "a_rules": "Rules",
        "a_levels": "Levels",
        "a_text": "Rules text",
        "k_pairing": "pairing",
        "k_require": "hard rule",
        "k_group": "group rule",
        "k_fixed": "fixed pairs",
        "k_score": "score",
        "k_level": "level",
        "rows": "{n} rows",
    },
}


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
    ws.oddFooter.center.text = TEXT[lang]["footer"]
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


def describe_rules(problem: Any, lang: str) -> list[tuple[str, str, str]]:
    """(kind, rule in the principles' words, exact parameters) for every rule of ``problem``."""
    t = TEXT[lang]
    out: list[tuple[str, str, str]] = []
    pairing = getattr(problem, "pairing", None)
    if pairing is not None:
        out.append((t["k_pairing"], type(pairing).__name__ if not hasattr(pairing, "shape")
                    else str(pairing.shape), _params(pairing, lang)))
    groups = [("k_require", "edge_rules"), ("k_group", "group_rules"), ("k_fixed", "fixed"),
              ("k_score", "scores")]
    for key, attr in groups:
        for rule in getattr(problem, attr, None) or []:
            out.append((t[key], _rule_label(rule, lang), _params(rule, lang)))
    for i, level in enumerate(getattr(problem, "levels", None) or [], 1):
        terms = level if isinstance(level, list | tuple) else [level]
        for term in terms:
            out.append((f"{t['k_level']} {i}", _rule_label(term, lang), _params(term, lang)))
    return out


def _rule_label(rule: Any, lang: str) -> str:
    """The rule filed under its principle, from the rule's own class (one place for words)."""
    named = getattr(rule, "principled_label", None)
    return named(lang) if callable(named) else type(rule).__name__


def _fields(obj: Any) -> dict[str, Any]:
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: getattr(obj, f.name, None) for f in dataclasses.fields(obj)}
    return {k: v for k, v in vars(obj).items() if not k.startswith("_")} if hasattr(obj, "__dict__") else {}


def _params(obj: Any, lang: str) -> str:
    fields = _fields(obj)
    if not fields:
        return repr(obj)
    parts = []
    for key, value in fields.items():
        if isinstance(value, pd.DataFrame):
            shown = TEXT[lang]["rows"].format(n=len(value))
        elif isinstance(value, list | tuple) and value and not isinstance(value[0], str | int | float):
            shown = "[" + ", ".join(type(v).__name__ for v in value) + "]"
        else:
            shown = repr(value)
        parts.append(f"{key}={shown}")
    return f"{type(obj).__name__}({', '.join(parts)})"


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
) -> Path:
    """Write the pair roster (帮带对子名单) a 组织部 can file and print, as one ``.xlsx``.

    Sheets (``lang="zh"`` / ``"en"``): 帮带对子名单 / Pairs — one row per matched
    mentee with its mentors side by side (导师1, 导师1编号, 导师1 + the mentor's own
    columns, distance, shared domains, score, then 导师2 …), grouped by county,
    township and village in order of first appearance; 县区汇总 / By county —
    mentees, matched, coverage (also per category when there is a ``category``
    column), pairs, mentors used, mean distance; 未匹配名单 / Unmatched — each
    mentee short of mentors with the reason (solve with ``lang="zh"`` for Chinese
    reasons); 规则与参数 / Rules and parameters — status, objective, bound, gap,
    seconds, backend, the rules, ``result.info`` (seed, limits, versions) and
    ``rules_text``.

    Parameters
    ----------
    result
        The :class:`~banghdai.Result` of ``problem.solve()``.
    problem
        The :class:`~banghdai.Problem` solved; its tables give the printed columns
        under the caller's own headers.
    path
        Where to write. The file is written beside it first and moved into place.
    lang
        ``"zh"`` (default) or ``"en"`` sheet names, headers and labels.
    rules_text
        Free text for the audit sheet (the rules file, the meeting's decision …).
    mentee_columns, mentor_columns
        Columns to print (canonical names or your headers). By default mentees
        show everything but solver knobs (lat, lon, rating, capacity,
        mentors_required, kind) and region columns with one value (those go to the
        title); mentors show id, name and their own descriptive columns.
    headers
        Replace printed headers: ``{"name": "姓名"}`` (canonical or your header).
    title
        The roster's title row (default: the constant regions + 帮带对子名单).
    paper
        ``"auto"`` (default: A4, or A3 for a sheet too wide to read on A4 — the
        roster of two mentors with all their columns usually is), ``"A4"`` or ``"A3"``.

    Returns
    -------
    pathlib.Path
        ``path``.

    Example
    -------
    >>> import os, tempfile, openpyxl, pandas as pd, banghdai as bd
    >>> from banghdai.report.workbook import write_workbook
    >>> mentors = pd.DataFrame({"mentor_id": ["M1", "M2"], "name": ["张三", "李四"],
    ...                         "单位职务": ["镇党委书记", "村支书"], "capacity": [2, 1]})
    >>> mentees = pd.DataFrame({"mentee_id": ["E1", "E2"], "name": ["王五", "=1+1"]})
    >>> problem = bd.Problem(mentors, mentees, pairing=bd.OneToMany(capacity="capacity"))
    >>> path = write_workbook(problem.solve(), problem, os.path.join(tempfile.mkdtemp(), "p.xlsx"))
    >>> wb = openpyxl.load_workbook(path)
    >>> wb.sheetnames
    ['帮带对子名单', '汇总', '未匹配名单', '规则与参数']
    >>> [c.value for c in wb["帮带对子名单"][2]][:5]
    ['序号', '对象编号', '姓名', '导师人数', '导师1']
    """
    t = check_lang(lang)
    check_writable(path)
    mentors, mentees = read_side(problem, "mentors"), read_side(problem, "mentees")
    pairs = ordered_pairs(result)
    known = set(mentees.frame["mentee_id"])
    if len(pairs) and not pairs["mentee_id"].isin(known).all():
        bad = pairs.loc[~pairs["mentee_id"].isin(known), "mentee_id"].iloc[0]
        raise _input_error(f"pair names mentee {bad!r}, which the problem lacks",
                           table="pairs", column="mentee_id")
    shown = _shown(mentors, mentees, headers, lang)
    e_cols = (mentees.resolve(mentee_columns) if mentee_columns is not None
              else default_columns(mentees))
    m_cols = (mentors.resolve(mentor_columns) if mentor_columns is not None
              else default_columns(mentors))
    if mentee_columns is not None and "mentee_id" not in e_cols:
        e_cols = ["mentee_id", *e_cols]
    styles = Styles()
    wb = openpyxl_workbook()

    order = group_order(mentees.frame, region_levels(mentees))
    need = demand(result, mentees, pairs)
    if paper not in PAPERS:
        raise _input_error(f"unknown paper {paper!r}", column="paper", choices=list(PAPERS))
    _roster_sheet(wb, t, lang, styles, mentors, mentees, pairs, order, e_cols, m_cols, shown,
                  problem, title, paper)
    _summary_sheet(wb, t, lang, styles, mentors, mentees, pairs, need, shown, paper)
    _unmatched_sheet(wb, t, lang, styles, mentees, result, order, e_cols, shown, paper)
    _audit_sheet(wb, t, lang, styles, result, problem, mentors, mentees, rules_text, paper)
    _read_report_sheet(wb, lang, styles, problem)
    return save_atomic(wb, path)


def _read_report_sheet(wb, lang, styles, problem) -> None:
    """读表报告: what the readers did with the roster's sheets, when they skipped rows, cleaned
    cells, stacked sheets … (:mod:`banghdai.data.readreport`)."""
    from ..data.readers import REPORT_ATTR
    from ..data.readreport import NOTEWORTHY, report_rows

    table = getattr(problem, "mentor_table", None)
    report = getattr(getattr(table, "frame", None), "attrs", {}).get(REPORT_ATTR)
    if report is None or not any(e["event"] in NOTEWORTHY for e in report.events):
        return  # tables read as they are: nothing to report
    headers, rows = report_rows(report, lang)
    ws = wb.create_sheet(_say("read.sheet_title", lang))
    write_table(ws, 1, headers, rows, styles)
    fit_widths(ws, header_row=1)


#: Chinese headers for the library's own column names, used in a Chinese workbook only
#: where the roster itself used the English name (its own words always win).
ZH_HEADERS = {
    "mentor_id": "导师编号", "mentee_id": "对象编号", "name": "姓名", "kind": "主体类型",
    "province": "省", "city": "市", "county": "县区", "township": "乡镇", "village": "村",
    "unit": "单位", "position": "职务", "category": "类别", "type": "类型",
    "tier": "层级", "source": "来源", "domains": "领域", "rating": "评分",
    "capacity": "帮带上限", "mentors_required": "导师人数", "priority": "优先级",
}


def _shown(mentors: Side, mentees: Side, headers: Mapping[str, str] | None,
           lang: str = "en"):
    """Header label for a (side, canonical column), honouring ``headers`` overrides; in
    Chinese, an English library column name is shown in Chinese."""
    overrides = {str(k): str(v) for k, v in (headers or {}).items()}

    def label(side: Side, col: str) -> str:
        own = side.shown(col)
        if own in overrides or col in overrides:
            return overrides.get(own, overrides.get(col, own))
        if is_row_number(own):  # ids taken from the roster's 序号: not the list's own 序号
            return TEXT[lang]["roster_no"]
        if lang == "zh" and own == col:
            return ZH_HEADERS.get(col, own)
        return own

    return label


def _roster_sheet(wb, t, lang, styles, mentors, mentees, pairs, order, e_cols, m_cols, shown,
                  problem, title, paper) -> None:
    ws = wb.create_sheet(t["pairs_sheet"])
    e_frame = mentees.frame
    matched = set(pairs["mentee_id"])
    rows_pos = [int(p) for p in order if e_frame["mentee_id"].iat[int(p)] in matched]
    n_groups = int(pairs["rank"].max()) + 1 if len(pairs) else 1

    tag_cols = tag_columns(problem, mentors, mentees)
    names = shared_tags(pairs, mentors, mentees, tag_cols)
    m_index = mentors.frame.set_index("mentor_id")
    m_name = "name" if mentors.has("name") else None
    m_extra = [c for c in m_cols if c not in ("mentor_id", "name")]
    has_dist = "distance_km" in pairs and pairs["distance_km"].notna().any()
    has_count = "shared_domains" in pairs
    has_score = "score" in pairs
    has_fixed = "fixed" in pairs and bool(pairs["fixed"].fillna(False).astype(bool).any())

    headers = [t["no"]] + [shown(mentees, c) for c in e_cols] + [t["n_mentors"]]
    formats: dict[int, str] = {}
    for k in range(1, n_groups + 1):
        headers.append(t["mentor"].format(k=k))
        if m_name is not None:
            headers.append(t["mentor_id"].format(k=k))
        for c in m_extra:
            h = shown(mentors, c)
            sep = " " if lang == "zh" and h[:1].isascii() else ""
            headers.append(t["mentor_col"].format(k=k, h=sep + h))
        if has_dist:
            formats[len(headers)] = "0.0"
            headers.append(t["distance"].format(k=k))
        if names is not None:
            headers.append(t["shared_names"].format(k=k))
        elif has_count:
            formats[len(headers)] = "0"
            headers.append(t["shared_count"].format(k=k))
        if has_score:
            formats[len(headers)] = "0.000"
            headers.append(t["score"].format(k=k))
        if has_fixed:
            headers.append(t["fixed"].format(k=k))

    group_width = (1 + (m_name is not None) + len(m_extra) + bool(has_dist)
                   + (names is not None or bool(has_count)) + bool(has_score) + bool(has_fixed))
    by_mentee = {e: g for e, g in pairs.groupby("mentee_id", sort=False)}
    rows = []
    for n, pos in enumerate(rows_pos, 1):
        rec = e_frame.iloc[pos]
        mine = by_mentee[rec["mentee_id"]]
        row: list[Any] = [n] + [rec[c] for c in e_cols] + [len(mine)]
        for k in range(n_groups):
            if k >= len(mine):
                row += [None] * group_width
                continue
            p = mine.iloc[k]
            mid = p["mentor_id"]
            info = m_index.loc[mid] if mid in m_index.index else None
            row.append(info[m_name] if (m_name and info is not None) else mid)
            if m_name is not None:
                row.append(mid)
            row += [info[c] if info is not None else None for c in m_extra]
            if has_dist:
                d = p["distance_km"]
                row.append(None if _isna(d) else round(float(d), 1))
            if names is not None:
                row.append(names.loc[p.name] or None)
            elif has_count:
                c = p["shared_domains"]
                row.append(None if _isna(c) else int(c))
            if has_score:
                s = p["score"]
                row.append(None if _isna(s) else round(float(s), 3))
            if has_fixed:
                row.append(t["yes"] if bool(p["fixed"]) else None)
        rows.append(row)

    ncol = len(headers)
    place = constant_region_text(mentees)
    title_row(ws, 1, title or " ".join(x for x in (place, t["title"]) if x), ncol, styles)
    last = write_table(ws, 2, headers, rows, styles, formats)
    freeze_col = 2 + len([c for c in e_cols if c in ("mentee_id", "name")])
    from openpyxl.utils import get_column_letter

    ws.freeze_panes = f"{get_column_letter(freeze_col)}3"
    if rows:
        ws.auto_filter.ref = f"A2:{get_column_letter(ncol)}{last}"
    fit_widths(ws, skip_rows=[1], header_row=2)
    page_setup(ws, lang, landscape=True, title_rows="2:2", paper=paper)


def _summary_sheet(wb, t, lang, styles, mentors, mentees, pairs, need, shown, paper) -> None:
    level = next((c for c in ("county", "city", "township") if mentees.has(c)), None)
    ws = wb.create_sheet(t["summary_sheet"][level])
    e = mentees.frame
    data = need.copy()
    data["group"] = (e[level].astype(object).where(e[level].notna(), t["blank"]).astype(str)
                     if level else t["total"])
    has_cat = mentees.has("category")
    if has_cat:
        data["category"] = e["category"].astype(object).where(e["category"].notna(), t["blank"])
    p = pairs.merge(data[["mentee_id", "group"]], on="mentee_id", how="left")
    has_dist = "distance_km" in p and p["distance_km"].notna().any()
    bank = (mentors.frame[level].astype(object).where(mentors.frame[level].notna(), t["blank"])
            .astype(str).value_counts() if level and mentors.has(level) else None)
    cats = list(pd.unique(data["category"])) if has_cat else []

    headers = ([shown(mentees, level) if level else t["total"], t["s_mentees"], t["s_matched"],
                t["s_full"], t["s_demand"], t["s_filled"], t["s_coverage"], t["s_pairs"]]
               + ([t["s_bank"]] if bank is not None else []) + [t["s_used"]]
               + ([t["s_distance"]] if has_dist else [])
               + [t["s_cat"].format(c=c) for c in cats])
    formats = {6: "0.0%"}
    j = 8 + (bank is not None) + 1
    if has_dist:
        formats[j] = "0.0"
        j += 1
    for i in range(len(cats)):
        formats[j + i] = "0.0%"

    def line(label: str, d: pd.DataFrame, pp: pd.DataFrame, bank_n: int | None) -> list[Any]:
        dem, fil = int(d["needed"].sum()), int(d["filled"].sum())
        row: list[Any] = [label, len(d), int((d["got"] > 0).sum()),
                          int((d["got"] >= d["needed"]).sum()), dem, fil,
                          fil / dem if dem else None, len(pp)]
        if bank is not None:
            row.append(bank_n)
        row.append(int(pp["mentor_id"].nunique()))
        if has_dist:
            mean = pp["distance_km"].mean() if len(pp) else None
            row.append(None if mean is None or _isna(mean) else round(float(mean), 1))
        for c in cats:
            dc = d[d["category"] == c]
            dem_c = int(dc["needed"].sum())
            row.append(int(dc["filled"].sum()) / dem_c if dem_c else None)
        return row

    rows = []
    for g in pd.unique(data["group"]):
        d = data[data["group"] == g]
        rows.append(line(g, d, p[p["group"] == g],
                         int(bank.get(g, 0)) if bank is not None else None))
    if level:
        rows.append(line(t["total"], data, p, int(bank.sum()) if bank is not None else None))
    title_row(ws, 1, t["summary_title"], len(headers), styles)
    write_table(ws, 2, headers, rows, styles, formats,
                total_rows=[len(rows) - 1] if level else [])
    ws.freeze_panes = "B3"
    fit_widths(ws, skip_rows=[1], header_row=2)
    page_setup(ws, lang, landscape=True, title_rows="2:2", paper=paper)


def _unmatched_sheet(wb, t, lang, styles, mentees, result, order, e_cols, shown,
                     paper) -> None:
    ws = wb.create_sheet(t["unmatched_sheet"])
    u = getattr(result, "unmatched", None)
    if not isinstance(u, pd.DataFrame):
        u = pd.DataFrame(columns=["mentee_id", "needed", "got", "candidates", "reason"])
    u = u.assign(mentee_id=u["mentee_id"].map(_id_text)).drop_duplicates("mentee_id")
    rank = pd.Series(np.arange(len(order)), index=mentees.frame["mentee_id"].to_numpy()[order])
    u = u.assign(_rank=u["mentee_id"].map(rank)).sort_values("_rank", kind="stable")
    e_index = mentees.frame.set_index("mentee_id")
    extra = [(c, t[k]) for c, k in (("needed", "u_needed"), ("got", "u_got"),
                                    ("candidates", "u_candidates"), ("reason", "u_reason"),
                                    ("funnel", "u_funnel"), ("full_mentors", "u_full"))
             if c in u.columns]
    headers = [t["no"]] + [shown(mentees, c) for c in e_cols] + [h for _, h in extra]
    formats = {1 + len(e_cols) + i: "0" for i, (c, _) in enumerate(extra)
               if c in ("needed", "got", "candidates")}
    rows = []
    for n, (_, rec) in enumerate(u.iterrows(), 1):
        info = e_index.loc[rec["mentee_id"]] if rec["mentee_id"] in e_index.index else None
        row: list[Any] = [n]
        for c in e_cols:
            row.append(rec["mentee_id"] if c == "mentee_id" else
                       (info[c] if info is not None else None))
        for c, _ in extra:
            v = rec[c]
            row.append(int(v) if c in ("needed", "got", "candidates") and not _isna(v) else v)
        rows.append(row)
    title_row(ws, 1, t["unmatched_title"], len(headers), styles)
    write_table(ws, 2, headers, rows, styles, formats)
    ws.freeze_panes = "A3"
    fit_widths(ws, skip_rows=[1], header_row=2, hi=40)
    page_setup(ws, lang, landscape=True, title_rows="2:2", paper=paper)


def _idle(result, problem, lang: str) -> pd.DataFrame | None:
    """Mentors that can never be offered a mentee (see :func:`banghdai.explain.check.idle_mentors`):
    from the graph the solve compiled when the result has it, else compiled again."""
    known = result.idle_mentors(lang) if hasattr(result, "idle_mentors") else None
    if known is not None or problem is None:
        return known
    from ..explain.check import idle_mentors

    return idle_mentors(problem, lang)


def _audit_sheet(wb, t, lang, styles, result, problem, mentors, mentees, rules_text,
                 paper) -> None:
    ws = wb.create_sheet(t["audit_sheet"])
    status = getattr(result, "status", None)
    items: list[tuple[str, Any, str | None]] = [
        (t["a_made"], _dt.datetime.now().replace(microsecond=0), "yyyy-mm-dd hh:mm:ss"),
        (t["a_status"], getattr(status, "name", status), None),
        # what is not proven, per level with its bound and gap (empty when proven optimal)
        (t["a_outcome"], "\n".join(getattr(result, "outcome", lambda _: [])(lang)) or None,
         None),
        (t["a_objective"], getattr(result, "objective", None), "0.000000"),
        (t["a_bound"], getattr(result, "bound", None), "0.000000"),
        (t["a_gap"], getattr(result, "gap", None), "0.000000"),
        (t["a_seconds"], getattr(result, "seconds", None), "0.000"),
        (t["a_backend"], getattr(result, "backend", None), None),
        (t["a_coverage"], getattr(result, "coverage", None), "0.0%"),
        (t["a_pairs"], len(result.pairs), "0"),
        (t["a_mentees"], len(mentees.frame), "0"),
        (t["a_mentors"], len(mentors.frame), "0"),
    ]
    seen = {"status", "objective", "bound", "gap", "seconds", "backend", "coverage", "pairs",
            "outcome"}
    summary = result.summary() if hasattr(result, "summary") else {}
    for k, v in summary.items():
        if k not in seen:
            items.append((t["a_summary"].format(k=_say(f"cli.summary.{k}", lang)
                                              if f"cli.summary.{k}" in CATALOGUE else k),
                          v, None))
    info = dict(getattr(result, "info", None) or {})
    versions = info.pop("versions", None) or {}
    for k, v in info.items():
        if isinstance(v, Mapping):
            v = ", ".join(f"{a}={b!r}" for a, b in v.items()) or None
        elif isinstance(v, list | tuple) and v and isinstance(v[0], Mapping):
            v = t["rows"].format(n=len(v))  # e.g. the levels, tabled below
        elif isinstance(v, list | tuple):
            v = ", ".join(str(x) for x in v)
        items.append((t["a_info"].format(k=k), v, None))
    try:
        import openpyxl

        versions = {**versions, "openpyxl": openpyxl.__version__}
    except ImportError:  # pragma: no cover
        pass
    for k, v in versions.items():
        items.append((t["a_version"].format(k=k), str(v), None))

    title_row(ws, 1, t["audit_title"], 3, styles)
    put(ws, 2, 1, t["a_item"], style=styles.header)
    put(ws, 2, 2, t["a_value"], style=styles.header)
    r = 2
    for label, value, fmt in items:
        r += 1
        put(ws, r, 1, label, style=styles.cell)
        if isinstance(value, float) and fmt is None:
            fmt = "0.000000"
        put(ws, r, 2, value, fmt=fmt, style=styles.cell)

    rules = describe_rules(problem, lang)
    if rules:
        r += 2
        put(ws, r, 1, t["a_rules"], style=styles.bold)
        r = write_table(ws, r + 1, [t["a_kind"], t["a_rule"], t["a_params"]], rules, styles)
    idle = _idle(result, problem, lang)
    if idle is not None and len(idle):
        r += 2
        put(ws, r, 1, _say("book.idle_title", lang, n=len(idle)), style=styles.bold)
        r = write_table(ws, r + 1, [_say(f"book.idle_{c}", lang) for c in idle.columns],
                        idle.values.tolist(), styles)
    levels = getattr(result, "levels", None)
    if isinstance(levels, pd.DataFrame) and len(levels):
        r += 2
        put(ws, r, 1, t["a_levels"], style=styles.bold)
        r += 1
        cols = [str(c) for c in levels.columns]
        for j, c in enumerate(cols, 1):
            put(ws, r, j, c, style=styles.header)
        for rec in levels.itertuples(index=False):
            r += 1
            for j, v in enumerate(rec, 1):
                put(ws, r, j, v, fmt="0.000000" if isinstance(v, float) else None,
                    style=styles.cell)
    text_rows = []
    if rules_text:
        r += 2
        put(ws, r, 1, t["a_text"], style=styles.bold)
        for line in str(rules_text).splitlines():
            r += 1
            text_rows.append(r)
            put(ws, r, 1, line, style=styles.plain)
    from openpyxl.utils import get_column_letter

    fit_widths(ws, skip_rows=[1, *text_rows], hi=60, header_hi=60)
    for col in (1, 2, 3):
        letter = get_column_letter(col)
        ws.column_dimensions[letter].width = max(ws.column_dimensions[letter].width or 0, 14)
    ws.freeze_panes = "A3"
    page_setup(ws, lang, landscape=False, title_rows="2:2", paper=paper)
