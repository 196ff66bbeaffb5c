"""The papers that follow the match: growth files, duty lists and task lists, ready to print.

:func:`write_papers` writes one ``.xlsx`` filed the three-level way the
programmes keep their ledgers (一人一档、一村一册、一乡一库):

* 目录 / Index — the townships with counts and links, and the programme
  calendar (月了解 monthly, 季座谈 quarterly, 半年评议 half-yearly, 全年考核
  yearly) with real dates from ``start``;
* one sheet per township (一乡一库): an overview of its villages, then each
  village's block (一村一册: a cover listing its mentees and their mentors) and
  each mentee's growth file (一人一册: the mentee, the mentors with shared
  domains and distance, the year's plan as a task list 帮带对象任务清单 with
  blank 完成情况 and 签字 columns, and room for the yearly review), every village
  and every mentee starting on a new printed page;
* 导师职责清单 / Mentor duties — one page per mentor: their mentees and the
  year's duties with blank columns to fill in.

:func:`programme_calendar` gives the calendar alone as a DataFrame.

Example
-------
>>> from banghdai.report.papers import programme_calendar
>>> cal = programme_calendar("2027-01-01")
>>> cal.iloc[0][["date", "stage"]].tolist()
[datetime.date(2027, 1, 31), '月了解']
>>> cal["stage"].value_counts().to_dict()
{'月了解': 12, '季座谈': 4, '半年评议': 1, '全年考核': 1}
"""

from __future__ import annotations

import datetime as _dt
import os
import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..core.safeio import check_writable
from .words import catalogue, column_label
from .workbook import (
    TECHNICAL,
    Side,
    Styles,
    _input_error,
    _isna,
    check_lang,
    default_columns,
    demand,
    group_order,
    openpyxl_workbook,
    ordered_pairs,
    own,
    page_setup,
    put,
    read_side,
    region_levels,
    save_atomic,
    shared_tags,
    tag_columns,
    title_row,
    wrapped_lines,
)

__all__ = ["programme_calendar", "write_papers"]

# Excel keeps at most 1026 manual page breaks per sheet; longer books go on in a new sheet.
MAX_BREAKS = 1000
NCOL = 8
WIDTHS = (5, 11, 9, 26, 19, 9, 9, 9)  # about one portrait A4 page wide
FILL_HEIGHT = 24
TALL_HEIGHT = 50

STAGES = ("month", "quarter", "half", "year")
DATE_FMT = "yyyy-mm-dd"  # Excel's number format for the calendar's dates
CAL = catalogue("papers.cal", {
    "zh": {
        "stage": {"month": "月了解", "quarter": "季座谈", "half": "半年评议", "year": "全年考核"},
        "round": {"month": "第{n}个月", "quarter": "第{n}季度", "half": "上半年", "year": "全年"},
        "mentor": {"month": "了解思想、工作和生活情况", "quarter": "组织座谈，帮助解决实际困难",
                   "half": "评议半年帮带成效，提出意见", "year": "撰写年度帮带鉴定，参加考核"},
        "mentee": {"month": "向导师汇报思想和工作情况", "quarter": "参加座谈，提出困难和需求",
                   "half": "提交半年工作小结，接受评议", "year": "提交年度成长总结，接受考核"},
    },
    "en": {
        "stage": {"month": "Monthly check-in", "quarter": "Quarterly talk",
                  "half": "Half-year review", "year": "Annual assessment"},
        "round": {"month": "month {n}", "quarter": "quarter {n}", "half": "first half",
                  "year": "year"},
        "mentor": {"month": "Check on work, thinking and life",
                   "quarter": "Hold a talk, help solve problems",
                   "half": "Review the half year, give advice",
                   "year": "Write the year's appraisal, join the assessment"},
        "mentee": {"month": "Report work and thinking to the mentor",
                   "quarter": "Join the talk, raise needs",
                   "half": "Hand in a half-year summary",
                   "year": "Hand in the year's growth summary, be assessed"},
    },
})

WORDS = catalogue("papers", {
    "zh": {
        "index": "目录",
        "duties": "导师职责清单",
        "index_title": "导师帮带档案目录（一人一档、一村一册、一乡一库）",
        "period": "帮带周期：{a} 至 {b}",
        "calendar": "帮带工作日历",
        "book": "导师帮带档案（一乡一库）",
        "book_all": "导师帮带档案",
        "no": "序号",
        "county": "县区",
        "township": "乡镇",
        "sheet": "工作表",
        "page_col": "页码",
        "villages": "村数",
        "mentees": "帮带对象",
        "full": "已配齐",
        "mentors": "导师",
        "date": "完成时限",
        "stage": "环节",
        "round": "周期",
        "mentor_duty": "导师职责",
        "mentee_task": "对象任务",
        "task": "任务内容",
        "duty": "职责内容",
        "done": "完成情况",
        "sign_mentee": "对象签字",
        "sign_mentor": "导师签字",
        "sign_check": "审核签字",
        "note": "备注",
        "overview": "{place}：村（社区）{v} 个，帮带对象 {e} 名，导师 {m} 名",
        "village": "村（社区）",
        "n_mentors": "导师人数",
        "self": "乡镇本级",
        "cover": "一村一册 · {v}",
        "cover_sub": "{place}：帮带对象 {n} 名",
        "file": "{name} 成长档案（一人一册）",
        "id": "编号",
        "s_basic": "一、基本情况",
        "s_mentors": "二、帮带导师",
        "s_plan": "三、年度帮带计划与任务清单（{a} 至 {b}）",
        "s_review": "四、年度评价",
        "mentor": "导师",
        "mentor_info": "导师信息",
        "mentee": "帮带对象",
        "mentee_info": "对象信息",
        "shared": "共同领域",
        "distance": "距离\n(公里)",
        "score": "匹配分",
        "fit": "领域\n匹配度",
        "fixed": "组织指定",
        "yes": "是",
        "none": "暂未配对",
        "short": "尚缺 {n} 名导师：{reason}",
        "r_mentor": "导师评价",
        "r_org": "组织意见",
        "r_grade": "考核等次",
        "r_date": "日期",
        "duty_title": "{name} 导师职责清单",
        "d_basic": "一、导师基本情况",
        "d_mentees": "二、帮带对象",
        "d_plan": "三、年度帮带职责（{a} 至 {b}）",
        "d_review": "四、年度帮带小结",
        "d_summary": "帮带小结",
        "d_date": "日期",
        "yes_no": ("是", "否"),
    },
    "en": {
        "index": "Index",
        "duties": "Mentor duties",
        "index_title": "Mentoring files (one per person, a book per village, a bank per township)",
        "period": "Programme year: {a} to {b}",
        "calendar": "Programme calendar",
        "book": "Mentoring files",
        "book_all": "Mentoring files",
        "no": "No.",
        "county": "County",
        "township": "Township",
        "sheet": "Sheet",
        "page_col": "Page",
        "villages": "Villages",
        "mentees": "Mentees",
        "full": "Fully matched",
        "mentors": "Mentors",
        "date": "Due",
        "stage": "Stage",
        "round": "Round",
        "mentor_duty": "Mentor duty",
        "mentee_task": "Mentee task",
        "task": "Task",
        "duty": "Duty",
        "done": "Done / notes",
        "sign_mentee": "Mentee sign",
        "sign_mentor": "Mentor sign",
        "sign_check": "Checked by",
        "note": "Notes",
        "overview": "{place}: {v} villages, {e} mentees, {m} mentors",
        "village": "Village",
        "n_mentors": "Mentors",
        "self": "township level",
        "cover": "Village book · {v}",
        "cover_sub": "{place}: {n} mentees",
        "file": "{name}: growth file",
        "id": "Id",
        "s_basic": "1. About",
        "s_mentors": "2. Mentors",
        "s_plan": "3. Plan and tasks ({a} to {b})",
        "s_review": "4. Yearly review",
        "mentor": "Mentor",
        "mentor_info": "About the mentor",
        "mentee": "Mentee",
        "mentee_info": "About the mentee",
        "shared": "Shared domains",
        "distance": "Distance\n(km)",
        "score": "Score",
        "fit": "Domain\nfit",
        "fixed": "Fixed",
        "yes": "yes",
        "none": "not matched yet",
        "short": "{n} mentor(s) missing: {reason}",
        "r_mentor": "Mentor's review",
        "r_org": "Organisation's view",
        "r_grade": "Grade",
        "r_date": "Date",
        "duty_title": "{name}: mentor duties",
        "d_basic": "1. About the mentor",
        "d_mentees": "2. Mentees",
        "d_plan": "3. Duties ({a} to {b})",
        "d_review": "4. The year's summary",
        "d_summary": "Summary",
        "d_date": "Date",
        "yes_no": ("yes", "no"),
    },
})


# ---------------------------------------------------------------------------- calendar
def _start_date(start: Any) -> _dt.date:
    try:
        stamp = pd.Timestamp(start)
    except (TypeError, ValueError) as err:
        raise _input_error(f"start must be a date like '2027-01-01', got {start!r}",
                           column="start") from err
    if pd.isna(stamp):
        raise _input_error(f"start must be a date like '2027-01-01', got {start!r}",
                           column="start")
    return stamp.date()


def programme_calendar(start: Any = "2027-01-01", lang: str = "zh") -> pd.DataFrame:
    """The programme year from ``start``: 月了解 monthly, 季座谈 quarterly, 半年评议, 全年考核.

    Each event is due on the last day of its period (a month, a quarter, the
    first half year, the year) counted from ``start``; events due the same day are
    ordered month, quarter, half year, year.

    Returns
    -------
    pandas.DataFrame
        ``date`` (datetime.date), ``stage``, ``round``, ``mentor_duty``,
        ``mentee_task`` — texts in ``lang``.

    Example
    -------
    >>> from banghdai.report.papers import programme_calendar
    >>> cal = programme_calendar("2027-03-15")
    >>> cal.loc[cal["stage"] == "季座谈", "date"].astype(str).tolist()
    ['2027-06-14', '2027-09-14', '2027-12-14', '2028-03-14']
    >>> programme_calendar("2027-01-01", lang="en")["stage"].iloc[-1]
    'Annual assessment'
    """
    check_lang(lang)
    first = pd.Timestamp(_start_date(start))
    words = CAL[lang]
    rows = []
    for k in range(1, 13):
        due = (first + pd.DateOffset(months=k) - pd.Timedelta(days=1)).date()
        events = [("month", k)]
        if k % 3 == 0:
            events.append(("quarter", k // 3))
        if k == 6:
            events.append(("half", 1))
        if k == 12:
            events.append(("year", 1))
        for stage, n in events:
            rows.append({
                "date": due,
                "stage": words["stage"][stage],
                "round": words["round"][stage].format(n=n),
                "mentor_duty": words["mentor"][stage],
                "mentee_task": words["mentee"][stage],
            })
    return pd.DataFrame(rows)


# ---------------------------------------------------------------------------- sheets
_BAD_SHEET = re.compile(r"[\[\]:*?/\\]")


class _Names:
    """Unique, valid sheet names (31 characters, none of []:*?/\\, case-insensitive)."""

    def __init__(self) -> None:
        self.taken: set[str] = set()

    def __call__(self, wanted: str) -> str:
        base = _BAD_SHEET.sub("", str(wanted)).strip("'").strip() or "Sheet"
        name, k = base[:31], 2
        while name.lower() in self.taken:
            tail = f"({k})"
            name, k = base[: 31 - len(tail)] + tail, k + 1
        self.taken.add(name.lower())
        return name


class _Book:
    """A printable sheet of pages: a repeated title row, manual page breaks, continuation sheets."""

    def __init__(self, wb: Any, names: _Names, name: str, heading: str, lang: str,
                 styles: Styles, *, reserved: bool = False) -> None:
        self.wb, self.names, self.name, self.heading = wb, names, name, heading
        self.lang, self.styles = lang, styles
        self.sheets: list[Any] = []
        self._open(name if reserved else names(name))

    def _open(self, name: str) -> None:
        from openpyxl.utils import get_column_letter

        ws = self.wb.create_sheet(name)
        for j, w in enumerate(WIDTHS, 1):
            ws.column_dimensions[get_column_letter(j)].width = w
        title_row(ws, 1, self.heading, NCOL, self.styles, style=self.styles.heading,
                  height=20)
        ws.freeze_panes = "A2"
        page_setup(ws, self.lang, landscape=False, title_rows="1:1")
        self.ws, self.row, self.breaks = ws, 1, 0
        self.sheets.append(ws)

    def new_page(self) -> None:
        """Start a new printed page (nothing to do on a fresh sheet)."""
        from openpyxl.worksheet.pagebreak import Break

        if self.row <= 1:
            return
        if self.breaks >= MAX_BREAKS:
            self._open(self.names(f"{self.name}({len(self.sheets) + 1})"))
            return
        self.ws.row_breaks.append(Break(id=self.row))
        self.breaks += 1
        self.row += 1  # one blank row after the break keeps pages apart on screen

    # -- writing helpers (each moves the cursor) --
    def title(self, text: str, sub: str | None = None) -> None:
        self.row += 1
        title_row(self.ws, self.row, text, NCOL, self.styles)
        if sub:
            self.row += 1
            title_row(self.ws, self.row, sub, NCOL, self.styles, style=self.styles.subtitle,
                      height=18)

    def section(self, text: str) -> None:
        self.spans([(1, NCOL, text)], kinds=("section",), height=20)

    def header(self, labels: list[str]) -> None:
        self.row += 1
        for j, label in enumerate(labels, 1):
            put(self.ws, self.row, j, label, style=self.styles.header)

    def line(self, values: list[Any], *, formats: dict[int, str] | None = None,
             height: float | None = None) -> None:
        self.row += 1
        formats = formats or {}
        lines = 1
        for j, value in enumerate(values, 1):
            put(self.ws, self.row, j, value, fmt=formats.get(j), style=self.styles.cell)
            if isinstance(value, str):
                lines = max(lines, wrapped_lines(value, WIDTHS[j - 1]))
        if height or lines > 1:
            self.ws.row_dimensions[self.row].height = max(height or 0, 15.0 * lines + 3)

    def spans(self, cells: list[tuple[int, int, Any]], *, kinds: tuple[str, ...] = (),
              height: float | None = None) -> None:
        """One row of boxes (first column, last column, value) drawn without merging cells.

        ``kinds`` gives each box's kind ("label", "value", "box", "section"; default
        "value"); text sits in the box's first cell and runs over the empty rest.
        """
        self.row += 1
        r = self.row
        for i, (a, b, value) in enumerate(cells):
            kind = kinds[i] if i < len(kinds) else "value"
            for j in range(a, b + 1):
                put(self.ws, r, j, value if j == a else None,
                    style=self.styles.span(kind, j == a, j == b))
        if height:
            self.ws.row_dimensions[r].height = height


def _text(value: Any) -> str:
    if value is None or _isna(value):
        return ""
    if isinstance(value, float) and value == int(value):
        return str(int(value))
    if isinstance(value, list | tuple | set | np.ndarray):
        return "、".join(str(v) for v in value)
    return str(value)


def _label(side: Side, rec: Any) -> str:
    name = _text(rec["name"]) if side.has("name") else ""
    return name or _text(rec[side.id_col])


def _place(rec: Any, side: Side, levels: tuple[str, ...]) -> str:
    return " ".join(t for t in (_text(rec[c]) for c in levels if side.has(c)) if t)


# ---------------------------------------------------------------------------- papers
def write_papers(
    result: Any,
    problem: Any,
    path: str | os.PathLike[str],
    *,
    start: Any = "2027-01-01",
    lang: str = "zh",
) -> Path:
    """Write the papers that follow the match — 一人一册, 导师职责清单, 帮带对象任务清单 — to ``.xlsx``.

    Filed the three-level way (一人一档、一村一册、一乡一库): an index sheet with
    the programme calendar, one sheet per township (by county when there is no
    township column; one sheet when there is neither) in which each village's
    mentees form a book with a cover page (mentees without a village come first,
    as 乡镇本级) and each mentee's growth file starts on a new printed page, and a
    sheet of mentor duty lists, one page per mentor. Every page lists the year's
    calendar from ``start`` (月了解, 季座谈, 半年评议, 全年考核 with real dates)
    with blank 完成情况 and 签字 columns. Sheets print portrait on A4, one page
    wide, the title row repeated and page numbers in the footer.

    Parameters
    ----------
    result, problem
        The :class:`~banghdai.Result` and the :class:`~banghdai.Problem` it solved.
    path
        Where to write (written beside it first, then moved into place).
    start
        First day of the programme year (a date or text like ``"2027-01-01"``).
    lang
        ``"zh"`` (default) or ``"en"``.

    Returns
    -------
    pathlib.Path
        ``path``.

    Example
    -------
    >>> import os, tempfile, openpyxl, pandas as pd, banghdai as bd
    >>> from banghdai.report.papers import write_papers
    >>> mentors = pd.DataFrame({"mentor_id": ["M1"], "name": ["张三"], "township": ["良田镇"]})
    >>> mentees = pd.DataFrame({"mentee_id": ["E1", "E2"], "name": ["王五", "赵六"],
    ...                         "township": ["良田镇", "良田镇"], "village": ["东村", "西村"]})
    >>> problem = bd.Problem(mentors, mentees, pairing=bd.OneToMany(capacity=2))
    >>> path = write_papers(problem.solve(), problem, os.path.join(tempfile.mkdtemp(), "档案.xlsx"))
    >>> openpyxl.load_workbook(path).sheetnames
    ['目录', '良田镇', '导师职责清单']
    """
    check_lang(lang)
    check_writable(path)
    ctx, groups = _prepare(result, problem, start, lang)
    w = ctx.w
    wb = openpyxl_workbook()
    sheet_names = _Names()
    index = wb.create_sheet(sheet_names(w["index"]))
    sheet_names(w["duties"])  # reserved for the duty lists, written last
    books: list[dict[str, Any]] = []
    for group in groups:
        book = _Book(wb, sheet_names, group["label"], group["heading"], lang, ctx.styles)
        stats = _write_township(book, ctx, group["rows"], group["place"])
        books.append({"county": group["county"], "township": group["township"],
                      "sheet": book.sheets[0].title, **stats})
    duty = _Book(wb, sheet_names, w["duties"], w["duties"], lang, ctx.styles, reserved=True)
    _write_duties(duty, ctx)
    _write_index(index, ctx, books)
    return save_atomic(wb, path)


def _prepare(result: Any, problem: Any, start: Any, lang: str) -> tuple[_Context, list[dict]]:
    """The papers' shared context and the books (one per township) with their mentees."""
    w = WORDS[lang]
    first = _start_date(start)
    cal = programme_calendar(first, lang)
    last_day = (pd.Timestamp(first) + pd.DateOffset(years=1) - pd.Timedelta(days=1)).date()
    period = (first.isoformat(), last_day.isoformat())

    mentors, mentees = read_side(problem, "mentors"), read_side(problem, "mentees")
    pairs = ordered_pairs(result)
    need = demand(result, mentees, pairs).set_index("mentee_id")
    names = shared_tags(pairs, mentors, mentees, tag_columns(problem, mentors, mentees))
    pairs["shared"] = names if names is not None else (
        pairs["shared_domains"] if "shared_domains" in pairs else None)
    reasons = _reasons(result)
    ctx = _Context(lang, w, Styles(), cal, period, mentors, mentees, pairs, need, reasons,
                   problem)

    e = mentees.frame
    book_levels = [c for c in ("county", "township") if mentees.has(c)]
    order = group_order(e, region_levels(mentees))
    if book_levels:
        keys = e[book_levels].astype(object).where(e[book_levels].notna(), None)
        key_of = [tuple(keys.iloc[int(p)]) for p in order]
    else:
        key_of = [() for _ in order]
    grouped: dict[tuple, list[int]] = {}
    for key, pos in zip(key_of, order, strict=True):
        grouped.setdefault(key, []).append(int(pos))
    repeated = pd.Series([k[-1] for k in grouped if k]).duplicated(keep=False).any()
    groups = []
    for key, rows in grouped.items():
        shown = [_text(v) for v in key if v is not None]
        groups.append({
            "label": (shown[-1] if shown and not repeated else "·".join(shown)) or w["book_all"],
            "heading": " ".join([*_const_place(mentees), *shown, w["book"]]),
            "place": " ".join(shown) or w["book_all"], "rows": rows,
            "county": key[0] if "county" in book_levels else None,
            "township": key[-1] if "township" in book_levels else None,
        })
    return ctx, groups


def draw_papers(doc: Any, result: Any, problem: Any, *, start: Any = "2027-01-01",
                lang: str = "zh") -> None:
    """Draw the papers of :func:`write_papers` into a PDF document (:mod:`banghdai.report.pdf`):
    the index with the calendar, each township's book (its villages, each village's
    cover and each mentee's growth file on pages of their own), then the duty lists."""
    from .content import Block, Sheet
    from .pdf import PdfBook, draw_sheet

    ctx, groups = _prepare(result, problem, start, lang)
    w = ctx.w
    stats: list[list[Any]] = []

    def index_sheet(rows: list[list[Any]]) -> Sheet:
        headers = [w["no"], w["county"], w["township"], w["page_col"], w["villages"],
                   w["mentees"], w["full"], w["mentors"]]
        cal = [[n, ev.date, ev.stage, ev.mentor_duty, ev.mentee_task]
               for n, ev in enumerate(ctx.events, 1)]
        return Sheet(w["index"], w["index_title"], [
            Block(headers, [[n, *r] for n, r in enumerate(rows, 1)], [4, 10, 12, 5, 5, 8, 6, 5]),
            Block([w["no"], w["date"], w["stage"], w["mentor_duty"], w["mentee_task"]], cal,
                  [4, 10, 8, 26, 26], heading=w["calendar"] + "（" + w["period"].format(
                      a=ctx.period[0], b=ctx.period[1]) + "）"),
        ], landscape=False)

    def index(pdf: Any, outline: Any) -> None:  # drawn at the end, on the pages kept in front
        draw_sheet(doc, index_sheet(stats), new_page=False)  # page 1 has its heading

    # the index's pages are counted first (drawn without ink, the numbers as wide as they
    # can be), so that every page after them is numbered right from the start
    wide = [[g["county"], g["township"], 99999, 9999, 99999, 99999, 99999] for g in groups]
    pages = doc.measure(lambda: draw_sheet(doc, index_sheet(wide), new_page=False))
    doc.page(False, w["index_title"])
    doc.pdf.running = ""  # the index's further pages get their heading when it is drawn
    doc.pdf.insert_toc_placeholder(index, pages=pages)
    for n, group in enumerate(groups):
        book = PdfBook(doc, group["heading"], reuse=n == 0)  # the page after the index
        stat = _write_township(book, ctx, group["rows"], group["place"])
        stats.append([group["county"], group["township"], book.first_page, stat["villages"],
                      stat["mentees"], stat["full"], stat["mentors"]])
    _write_duties(PdfBook(doc, w["duties"]), ctx)


def _const_place(side: Side) -> list[str]:
    out = []
    for col in ("province", "city"):
        if side.has(col):
            values = side.frame[col].dropna().astype(str).unique()
            if len(values) == 1:
                out.append(values[0])
    return out


def _reasons(result: Any) -> dict[str, str]:
    u = getattr(result, "unmatched", None)
    if not isinstance(u, pd.DataFrame) or "reason" not in u or not len(u):
        return {}
    return dict(zip(u["mentee_id"].map(str), u["reason"].map(_text), strict=True))


Record = dict[str, Any]


class _Context:
    """Everything the page writers share, with rows as plain dicts (fast to look up)."""

    def __init__(self, lang, w, styles, cal, period, mentors, mentees, pairs, need, reasons,
                 problem=None):
        self.lang, self.w, self.styles, self.cal, self.period = lang, w, styles, cal, period
        self.events = list(cal.itertuples(index=False))
        self.mentors, self.mentees, self.pairs = mentors, mentees, pairs
        self.reasons = reasons
        self.m_rows: list[Record] = mentors.frame.to_dict("records")
        self.e_rows: list[Record] = mentees.frame.to_dict("records")
        self.m_rec = {r["mentor_id"]: r for r in self.m_rows}
        self.e_rec = {r["mentee_id"]: r for r in self.e_rows}
        self.got = dict(zip(need.index, need["got"].astype(int), strict=True))
        self.needed = dict(zip(need.index, need["needed"].astype(int), strict=True))
        records = pairs.to_dict("records")
        self.by_mentee: dict[str, list[Record]] = {}
        self.by_mentor: dict[str, list[Record]] = {}
        for rec in records:
            self.by_mentee.setdefault(rec["mentee_id"], []).append(rec)
            self.by_mentor.setdefault(rec["mentor_id"], []).append(rec)
        self.e_info = [c for c in default_columns(mentees, constant_regions=True)
                       if c not in ("mentee_id", "name")]
        self.m_info = [c for c in mentors.frame.columns
                       if c not in TECHNICAL and c not in ("mentor_id", "name")]
        own = [c for c in default_columns(mentors) if c not in ("mentor_id", "name")]
        self.m_brief = own or [c for c in ("township", "village") if mentors.has(c)]
        self.e_brief = [c for c in ("category", "unit") if mentees.has(c)] or [
            c for c in self.e_info if c not in ("province", "city", "county", "township",
                                                "village")][:2]
        self.has_dist = "distance_km" in pairs and bool(pairs["distance_km"].notna().any())
        fit = "domain_fit" if "domain_fit" in pairs else None
        self.score_col = ("score" if "score" in pairs and getattr(problem, "scores", None)
                          else fit)  # a score only when the goals weigh scores
        self.has_score = self.score_col is not None
        self.score_head = (w["score"] if self.score_col == "score" else
                           w["fit"] if self.score_col else "")
        self.date_fmt = DATE_FMT

    def full(self, eid: str) -> bool:
        return self.got[eid] >= self.needed[eid]

    def mentor_names(self, eid: str) -> str | None:
        mine = self.by_mentee.get(eid, [])
        return "、".join(_label(self.mentors, self.m_rec[p["mentor_id"]]) for p in mine) or None

    def pair_cells(self, p: Record) -> tuple[list[Any], dict[int, str]]:
        dist = p.get("distance_km") if self.has_dist else None
        score = p.get(self.score_col) if self.has_score else None
        shared = p.get("shared")
        cells = [
            None if shared is None or _isna(shared) else
            (int(shared) if isinstance(shared, int | float | np.integer) else shared or None),
            None if dist is None or _isna(dist) else round(float(dist), 1),
            None if score is None or _isna(score) else round(float(score), 3),
            self.w["yes"] if bool(p.get("fixed", False)) else None,
        ]
        return cells, {6: "0.0", 7: "0.000"}


def _brief(rec: Record, cols: list[str]) -> str:
    return " · ".join(t for t in (_text(rec[c]) for c in cols) if t)


def _write_township(book: _Book, ctx: _Context, rows: list[int], place: str) -> dict[str, int]:
    w = ctx.w
    has_village = ctx.mentees.has("village")
    villages: dict[Any, list[Record]] = {}
    for pos in rows:
        rec = ctx.e_rows[pos]
        v = rec["village"] if has_village else None
        villages.setdefault(None if v is None or _isna(v) else v, []).append(rec)
    ids = [ctx.e_rows[p]["mentee_id"] for p in rows]
    mentors_here = {p["mentor_id"] for e in ids for p in ctx.by_mentee.get(e, [])}
    n_villages = sum(v is not None for v in villages)

    # 一乡一库: the township's overview
    book.title(place, w["overview"].format(place=place, v=n_villages, e=len(rows),
                                           m=len(mentors_here)))
    book.header([w["no"], w["village"], w["mentees"], w["mentee"], w["mentors"],
                 w["n_mentors"], w["full"], w["note"]])
    for n, (v, members) in enumerate(villages.items(), 1):
        m_ids = list(dict.fromkeys(p["mentor_id"] for e in members
                                   for p in ctx.by_mentee.get(e["mentee_id"], [])))
        book.line([n, w["self"] if v is None else v, len(members),
                   "、".join(_label(ctx.mentees, e) for e in members),
                   "、".join(_label(ctx.mentors, ctx.m_rec[m]) for m in m_ids) or None,
                   len(m_ids), sum(ctx.full(e["mentee_id"]) for e in members), None])

    for v, members in villages.items():
        if has_village:  # 一村一册: the village's cover
            book.new_page()
            vname = w["self"] if v is None else _text(v)
            book.title(w["cover"].format(v=vname), w["cover_sub"].format(
                place=" ".join(x for x in (place, None if v is None else vname) if x),
                n=len(members)))
            book.header([w["no"], w["mentee"], w["id"], w["mentee_info"], w["mentors"],
                         w["n_mentors"], w["full"], w["note"]])
            for n, rec in enumerate(members, 1):
                eid = rec["mentee_id"]
                book.line([n, _label(ctx.mentees, rec), eid, _brief(rec, ctx.e_brief) or None,
                           ctx.mentor_names(eid), ctx.got[eid],
                           w["yes_no"][0 if ctx.full(eid) else 1], None])
        for rec in members:  # 一人一册: each mentee's growth file
            book.new_page()
            _mentee_file(book, ctx, rec)
    return {"villages": n_villages, "mentees": len(rows),
            "full": sum(ctx.full(e) for e in ids), "mentors": len(mentors_here)}


def _info_rows(book: Any, side: Side, rec: Record, cols: list[str], lang: str) -> None:
    items = [(column_label(c, side.shown(c), lang), _text(rec[c]) or None) for c in cols]
    for i in range(0, len(items), 2):
        (la, va), rest = items[i], items[i + 1:i + 2]
        cells = [(1, 2, la), (3, 4, va)]
        if rest:
            cells += [(5, 5, rest[0][0]), (6, 8, rest[0][1])]
        else:
            cells += [(5, 8, None)]
        book.spans(cells, kinds=("label", "value", "label", "value"))


def _mentee_file(book: _Book, ctx: _Context, rec: Record) -> None:
    w, mentees = ctx.w, ctx.mentees
    eid = rec["mentee_id"]
    place = _place(rec, mentees, ("county", "township", "village"))
    book.title(w["file"].format(name=_label(mentees, rec)),
               "  ".join(x for x in (place, f"{w['id']}：{eid}") if x))
    book.section(w["s_basic"])
    _info_rows(book, mentees, rec, ctx.e_info, ctx.lang)

    book.section(w["s_mentors"])
    book.header([w["no"], w["mentor"], w["id"], w["mentor_info"], w["shared"], w["distance"],
                 ctx.score_head, w["fixed"]])
    mine = ctx.by_mentee.get(eid, [])
    for n, p in enumerate(mine, 1):
        m = ctx.m_rec[p["mentor_id"]]
        cells, fmts = ctx.pair_cells(p)
        book.line([n, _label(ctx.mentors, m), p["mentor_id"], _brief(m, ctx.m_brief) or None,
                   *cells], formats=fmts)
    if not ctx.full(eid):
        reason = ctx.reasons.get(eid, "")
        text = (w["short"].format(n=ctx.needed[eid] - ctx.got[eid], reason=reason) if mine
                else f"{w['none']}：{reason}".rstrip("："))
        book.spans([(1, 1, None), (2, 8, text)], kinds=("value", "value"))

    book.section(w["s_plan"].format(a=ctx.period[0], b=ctx.period[1]))
    book.header([w["no"], w["date"], w["stage"], w["task"], w["done"], w["sign_mentee"],
                 w["sign_mentor"], w["note"]])
    for n, ev in enumerate(ctx.events, 1):
        book.line([n, ev.date, ev.stage, ev.mentee_task, None, None, None, None],
                  formats={2: ctx.date_fmt}, height=FILL_HEIGHT)

    book.section(w["s_review"])
    box = ("label", "box")
    book.spans([(1, 2, w["r_mentor"]), (3, 8, None)], kinds=box, height=TALL_HEIGHT)
    book.spans([(1, 2, w["r_org"]), (3, 8, None)], kinds=box, height=TALL_HEIGHT)
    book.spans([(1, 2, w["r_grade"]), (3, 4, None), (5, 5, w["r_date"]), (6, 8, None)],
               kinds=("label", "value", "label", "value"), height=FILL_HEIGHT)


def _write_duties(book: _Book, ctx: _Context) -> None:
    w, mentors = ctx.w, ctx.mentors
    for pos in group_order(mentors.frame, region_levels(mentors)):
        rec = ctx.m_rows[int(pos)]
        mid = rec["mentor_id"]
        if mid not in ctx.by_mentor:
            continue
        book.new_page()
        place = _place(rec, mentors, ("county", "township", "village"))
        book.title(w["duty_title"].format(name=_label(mentors, rec)),
                   "  ".join(x for x in (place, f"{w['id']}：{mid}") if x))
        book.section(w["d_basic"])
        _info_rows(book, mentors, rec, ctx.m_info, ctx.lang)
        book.section(w["d_mentees"])
        book.header([w["no"], w["mentee"], w["id"], w["mentee_info"], w["shared"],
                     w["distance"], ctx.score_head, w["fixed"]])
        for n, p in enumerate(ctx.by_mentor[mid], 1):
            e = ctx.e_rec[p["mentee_id"]]
            cells, fmts = ctx.pair_cells(p)
            info = " · ".join(x for x in (_place(e, ctx.mentees, ("township", "village")),
                                          _brief(e, ctx.e_brief)) if x)
            book.line([n, _label(ctx.mentees, e), p["mentee_id"], info or None, *cells],
                      formats=fmts)
        book.section(w["d_plan"].format(a=ctx.period[0], b=ctx.period[1]))
        book.header([w["no"], w["date"], w["stage"], w["duty"], w["done"], w["sign_mentor"],
                     w["sign_check"], w["note"]])
        for n, ev in enumerate(ctx.events, 1):
            book.line([n, ev.date, ev.stage, ev.mentor_duty, None, None, None, None],
                      formats={2: ctx.date_fmt}, height=FILL_HEIGHT)
        book.section(w["d_review"])
        book.spans([(1, 2, w["d_summary"]), (3, 8, None)], kinds=("label", "box"),
                   height=TALL_HEIGHT * 2)
        book.spans([(1, 2, w["sign_mentor"]), (3, 4, None), (5, 5, w["d_date"]), (6, 8, None)],
                   kinds=("label", "value", "label", "value"), height=FILL_HEIGHT)


def _write_index(ws: Any, ctx: _Context, books: list[dict[str, Any]]) -> None:
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.hyperlink import Hyperlink

    w, styles = ctx.w, ctx.styles
    widths = (6, 14, 16, 18, 8, 10, 10, 8)
    for j, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(j)].width = width
    ncol = len(widths)
    title_row(ws, 1, w["index_title"], ncol, styles)
    title_row(ws, 2, w["period"].format(a=ctx.period[0], b=ctx.period[1]), ncol, styles,
              style=styles.subtitle, height=18)
    r = 4
    for j, label in enumerate([w["no"], w["county"], w["township"], w["sheet"], w["villages"],
                               w["mentees"], w["full"], w["mentors"]], 1):
        put(ws, r, j, label, style=styles.header)
    header_row = r
    for n, b in enumerate(books, 1):
        r += 1
        values = [n, b["county"], b["township"], b["sheet"], b["villages"], b["mentees"],
                  b["full"], b["mentors"]]
        for j, v in enumerate(values, 1):
            cell = put(ws, r, j, v, style=styles.link if j == 4 else styles.cell)
            if j == 4:
                link = Hyperlink(ref=cell.coordinate, location=f"'{b['sheet']}'!A1",
                                 display=str(b["sheet"]))
                own(cell).hyperlink = link
    r += 2
    put(ws, r, 1, w["calendar"], style=styles.bold)
    r += 1
    boxes = [(1, 1), (2, 2), (3, 3), (4, 5), (6, 8)]
    for (first, last), label in zip(boxes, [w["no"], w["date"], w["stage"], w["mentor_duty"],
                                            w["mentee_task"]], strict=True):
        for col in range(first, last + 1):
            style = (styles.header if first == last
                     else styles.span("label", col == first, col == last))
            put(ws, r, col, label if col == first else None, style=style)
    for n, ev in enumerate(ctx.events, 1):
        r += 1
        values = [n, ev.date, ev.stage, ev.mentor_duty, ev.mentee_task]
        for (first, last), value in zip(boxes, values, strict=True):
            for col in range(first, last + 1):
                style = (styles.cell if first == last
                         else styles.span("value", col == first, col == last))
                put(ws, r, col, value if col == first else None,
                    fmt=ctx.date_fmt if first == 2 else None, style=style)
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1).coordinate
    page_setup(ws, ctx.lang, landscape=False, title_rows="1:1")
