"""The read report (读表报告): what the readers did with each sheet of a roster.

Per table and sheet: the rows read, every row skipped with its reason and its
spreadsheet row (title, footer, 合计, blank, hidden, repeated header), the columns
and the field each one is read as, the cells normalised, the sheets stacked, the
designations resolved. ``roster.report`` holds it as a DataFrame (one row per
event); :func:`report_text` says it in a few lines (the CLI prints them on stderr).

Example
-------
>>> from banghdai.data.readreport import ReadReport
>>> r = ReadReport()
>>> r.add("mentors", "导师库", "read", count=2, detail="3-4")
>>> r.add("mentors", "导师库", "skipped", excel_row=5, reason="total", detail="合计")
>>> print(r.text("zh"))
导师 [导师库]: 读取 2 行（第 3-4 行）；跳过 1 行：合计行 5
>>> r.frame()[["event", "excel_row", "reason"]].values.tolist()[1]
['skipped', 5, 'total']
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pandas as pd

from ..core.errors import Msg
from ..core.messages import register, text

COLUMNS = ("table", "sheet", "event", "excel_row", "reason", "column", "field", "count", "detail")

for _code, _en, _zh in (
    ("title", "title or note above the header", "表头上方的标题或说明"),
    ("blank", "blank row", "空行"),
    ("total", "合计 / 小计 row", "合计行"),
    ("footer", "footer (填表人, 审核人, 注 …)", "表尾（填表人、审核人、注等）"),
    ("repeated_header", "header repeated (printed page)", "重复的表头（分页打印）"),
    ("section", "section title inside the table", "表内分段标题"),
    ("hidden", "hidden row", "隐藏行"),
):
    register(f"read.reason.{_code}", en=_en, zh=_zh)
register("read.side.mentor", en="mentor", zh="导师")
register("read.side.mentee", en="mentee", zh="帮带对象")
register("read.table.mentors", en="mentors", zh="导师")
register("read.table.mentees", en="mentees", zh="帮带对象")
register("read.table.fixed", en="designated pairs", zh="组织指定结对")
register("read.table.forbidden", en="forbidden pairs", zh="回避")
register("read.table.pair_scores", en="pair scores", zh="结对评分")
register("read.line", en="{table} [{sheet}]: read {n} rows ({rows})",
         zh="{table} [{sheet}]: 读取 {n} 行（第 {rows} 行）")
register("read.skipped", en="; skipped {n}: {items}", zh="；跳过 {n} 行：{items}")
register("read.reason_rows", en="{reason} {rows}", zh="{reason} {rows}")
register("read.normalised", en="; cleaned {n} cells ({columns})",
         zh="；规范 {n} 个单元格（{columns}）")
register("read.hidden_columns", en="; hidden columns {columns} {how}",
         zh="；隐藏列 {columns} {how}")
register("read.hidden_rows_read", en="; hidden rows {rows} read", zh="；已读取隐藏行 {rows}")
register("read.hidden.skip", en="skipped", zh="未读取")
register("read.hidden.read", en="read", zh="已读取")
register("read.stacked", en="{table}: {n} sheets stacked ({sheets})",
         zh="{table}：{n} 个工作表合并（{sheets}）")
register("read.sheet_column", en="; column {column} added from the sheet names",
         zh="；按工作表名称添加列 {column}")
register("read.fields", en="{table}: columns {items}", zh="{table}：列 {items}")
register("read.designations", en="{table} [{sheet}]: {n} pairs given by name resolved to ids",
         zh="{table} [{sheet}]：{n} 对按姓名指定的结对已对应到编号")
register("read.coordinate", en="{table} row {row}: {detail}", zh="{table} 第 {row} 行：{detail}")
register("read.hidden_rows_warning",
         en="{where}: hidden rows {rows} {how} (set [read] hidden = \"{other}\" in rules.toml "
            "to change this)",
         zh="{where}：隐藏行 {rows} {how}（在 rules.toml 中设置“[read] hidden = \"{other}\"”"
            "可改变）")
register("read.hidden_columns_warning",
         en="{where}: hidden columns {columns} {how} (set [read] hidden = \"{other}\" in "
            "rules.toml to change this)",
         zh="{where}：隐藏列 {columns} {how}（在 rules.toml 中设置“[read] hidden = \"{other}\"”"
            "可改变）")


def runs(rows: list[int]) -> str:
    """Spreadsheet rows as short runs: ``1-3, 7, 9-10``.

    Example
    -------
    >>> from banghdai.data.readreport import runs
    >>> runs([1, 2, 3, 7, 9, 10])
    '1-3, 7, 9-10'
    """
    rows = sorted(set(rows))
    out: list[str] = []
    start = prev = None
    for r in rows + [None]:
        if r is not None and prev is not None and r == prev + 1:
            prev = r
            continue
        if start is not None:
            out.append(str(start) if start == prev else f"{start}-{prev}")
        start = prev = r
    return ", ".join(out)


class ReadReport:
    """Events of one read (see the module doc); ``frame()`` is the DataFrame."""

    def __init__(self) -> None:
        self.events: list[dict[str, Any]] = []

    def __deepcopy__(self, memo: dict) -> ReadReport:  # carried in DataFrame.attrs: shared
        return self

    def add(self, table: str, sheet: str, event: str, *, excel_row: int | None = None,
            reason: str | None = None, column: str | None = None, field: str | None = None,
            count: int | None = None, detail: str | Msg | None = None) -> None:
        """Record one event."""
        self.events.append({"table": table, "sheet": sheet, "event": event,
                            "excel_row": excel_row, "reason": reason, "column": column,
                            "field": field, "count": count, "detail": detail})

    def frame(self) -> pd.DataFrame:
        """The events as a DataFrame (columns :data:`COLUMNS`; ``excel_row`` and ``count``
        as nullable integers)."""
        events = [{**e, "detail": _said(e["detail"], "en")} for e in self.events]
        out = pd.DataFrame(events, columns=list(COLUMNS))
        for col in ("excel_row", "count"):
            out[col] = out[col].astype("Int64")
        return out

    def skipped_rows(self) -> pd.DataFrame:
        """The rows skipped: table, sheet, spreadsheet row, reason, first text of the row."""
        f = self.frame()
        return f[f.event == "skipped"][["table", "sheet", "excel_row", "reason", "detail"]] \
            .reset_index(drop=True)

    def text(self, lang: str = "zh") -> str:
        """A few lines: per table and sheet, the rows read and the rows skipped by reason."""
        return report_text(self, lang)

    def __str__(self) -> str:
        return self.text("en")


def report_text(report: ReadReport, lang: str = "zh") -> str:
    """The report in a few lines (one per table and sheet)."""
    lines: list[str] = []
    groups: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for e in report.events:
        groups[(e["table"], e["sheet"])].append(e)
    for (table, sheet), events in groups.items():
        name = text(f"read.table.{table}", lang) if f"read.table.{table}" in _codes() else table
        read = [e for e in events if e["event"] == "read"]
        if read:
            line = text("read.line", lang, table=name, sheet=sheet, n=read[0]["count"],
                        rows=read[0]["detail"] or "")
        else:
            line = ""
        by_reason: dict[str, list[int]] = defaultdict(list)
        for e in events:
            if e["event"] == "skipped":
                by_reason[e["reason"]].append(int(e["excel_row"]))
        if by_reason:
            items = text("read.items_sep", lang).join
            line += text("read.skipped", lang, n=sum(map(len, by_reason.values())),
                         items=items(text("read.reason_rows", lang,
                                          reason=text(f"read.reason.{r}", lang), rows=runs(rows))
                                     for r, rows in by_reason.items()))
        cleaned = [e for e in events if e["event"] == "normalised"]
        if cleaned:
            line += text("read.normalised", lang, n=sum(int(e["count"]) for e in cleaned),
                         columns=text("list.sep", lang).join(
                             str(e["column"]) for e in cleaned))
        hidden_cols = [e for e in events if e["event"] == "hidden_column"]
        if hidden_cols:
            line += text("read.hidden_columns", lang,
                         columns=", ".join(str(e["column"]) for e in hidden_cols),
                         how=text(f"read.hidden.{hidden_cols[0]['reason']}", lang))
        hidden_read = [int(e["excel_row"]) for e in events if e["event"] == "hidden_read"]
        if hidden_read:
            line += text("read.hidden_rows_read", lang, rows=runs(hidden_read))
        stacked = [e for e in events if e["event"] == "stacked"]
        if stacked:
            line += text("read.stacked", lang, table=name, n=stacked[0]["count"], sheets=sheet)
        added = [e for e in events if e["event"] == "sheet_column"]
        if added:
            line += text("read.sheet_column", lang, column=added[0]["column"])
        for e in events:
            if e["event"] == "designations":
                line += ("\n" if line else "") + text("read.designations", lang, table=name,
                                                      sheet=sheet, n=e["count"])
            if e["event"] == "coordinate":
                line += ("\n" if line else "") + text("read.coordinate", lang, table=name,
                                                      row=e["excel_row"],
                                                      detail=_said(e["detail"], lang))
        if line:
            lines.append(line)
    return "\n".join(lines)


def _said(detail: object, lang: str) -> object:
    """A detail as text in ``lang`` (a catalogue message is rendered, text kept)."""
    render = getattr(detail, "text", None)
    return render(lang) if callable(render) and not isinstance(detail, str) else detail


def _codes() -> set[str]:
    from ..core.messages import CATALOGUE

    return set(CATALOGUE)


__all__ = ["ReadReport", "report_text", "runs"]

register("read.error_cell",
         en="cell {cell} holds the Excel error {value} (its formula failed); fix the formula or "
            "type the value",
         zh="单元格 {cell} 是 Excel 错误值 {value}（公式计算失败）；请修正公式或直接填写数值")
register("read.designation_columns",
         en="the designations sheet needs a {side} id or name column (e.g. 导师姓名 / 帮带对象姓名)",
         zh="指定结对表需要{side}编号或姓名列（如 导师姓名、帮带对象姓名）")
register("read.designation_unknown",
         en="no {side} is called {name!r}; check the name against the roster",
         zh="名单中没有名为 {name!r} 的{side}；请核对姓名")
register("read.designation_ambiguous",
         en="{n} {side}s are called {name!r}; add a unit column (导师单位 / 对象单位) to tell "
            "them apart, or give ids",
         zh="有 {n} 个{side}名为 {name!r}；请添加单位列（导师单位、对象单位）加以区分，或改用编号")
register("read.coordinate_far",
         en="the coordinate ({lat:g}, {lon:g}) is {km} km from the other rows of {group}: "
            "latitude and longitude swapped?",
         zh="坐标（{lat:g}, {lon:g}）距 {group} 的其他行 {km} 公里：纬度和经度是否填反？")


#: Events worth a line on the command line (a clean table read as it is says nothing).
NOTEWORTHY = ("skipped", "normalised", "hidden_column", "stacked", "sheet_column",
              "designations", "coordinate", "filled_down", "ignored", "hidden_read")


def print_short(roster: object, lang: str | None, quiet: bool = False, file=None) -> None:
    """Print the read report of ``roster`` in a few lines on ``file`` (stderr), when the
    reader did something the planner should know (rows skipped, cells cleaned, sheets
    stacked …); nothing when ``quiet`` or when the tables were read as they are.

    Example
    -------
    >>> import io, banghdai as bd
    >>> from banghdai.data.readreport import print_short
    >>> out = io.StringIO()
    >>> print_short(bd.read_roster(bd.samples.sample_path("fanxian")), "en", file=out)
    >>> out.getvalue()
    ''
    """
    import sys

    report = getattr(roster, "read_report", None)
    if quiet or report is None or not any(e["event"] in NOTEWORTHY for e in report.events):
        return
    lang = lang if lang in ("en", "zh") else "en"
    head = text("read.report_head", lang)
    print(f"{head}\n{report.text(lang)}", file=file or sys.stderr)


for _code, _en, _zh in (
    ("read", "rows read", "读取的行"), ("skipped", "row skipped", "跳过的行"),
    ("column", "column", "列"), ("normalised", "cells cleaned", "规范的单元格"),
    ("hidden_column", "hidden column", "隐藏列"), ("stacked", "sheets stacked", "合并的工作表"),
    ("sheet_column", "column from sheet names", "按工作表名称添加的列"),
    ("designations", "pairs given by name", "按姓名指定的结对"),
    ("coordinate", "coordinate far from its region", "坐标远离所在地区"),
    ("filled_down", "cells filled from merged cells", "按合并单元格填充"),
    ("ignored", "sheet not read", "未读取的工作表"),
    ("hidden_read", "hidden row read", "已读取的隐藏行"),
):
    register(f"read.event.{_code}", en=_en, zh=_zh)
register("read.sheet_title", en="Read report", zh="读表报告")
register("read.headers", en="table|sheet|what|row|reason|column|count|detail",
         zh="表|工作表|事项|行号|原因|列|数量|说明")
register("read.table.other", en="other", zh="其他")


def report_rows(report: ReadReport, lang: str = "zh") -> tuple[list[str], list[list[object]]]:
    """The report as a printable table: headers and rows in ``lang`` (the workbook's sheet).

    Example
    -------
    >>> from banghdai.data.readreport import ReadReport, report_rows
    >>> r = ReadReport()
    >>> r.add("mentees", "城关镇", "skipped", excel_row=30, reason="footer", detail="填表人：张三")
    >>> headers, rows = report_rows(r, "zh")
    >>> headers[:4], rows[0][:5]
    (['表', '工作表', '事项', '行号'], ['帮带对象', '城关镇', '跳过的行', 30, '表尾（填表人、审核人、注等）'])
    """
    headers = text("read.headers", lang).split("|")
    rows: list[list[object]] = []
    for e in report.events:
        table = text(f"read.table.{e['table']}", lang) if f"read.table.{e['table']}" in _codes() \
            else e["table"]
        reason = e["reason"]
        if e["event"] == "skipped" and reason:
            reason = text(f"read.reason.{reason}", lang)
        elif e["event"] == "hidden_column" and reason:
            reason = text(f"read.hidden.{reason}", lang)
        rows.append([table, e["sheet"], text(f"read.event.{e['event']}", lang), e["excel_row"],
                     reason, e["column"], e["count"], _said(e["detail"], lang) or e["field"]])
    return headers, rows
register("read.hidden_value", en="hidden must be \"skip\" or \"read\", got {value!r}",
         zh="“hidden”只能是 \"skip\"（不读取）或 \"read\"（读取），而不是 {value!r}")
register("read.section_type", en="[read] must be a table of options (hidden = \"skip\")",
         zh="[read] 应为选项表（如“hidden = \"skip\"”）")
register("read.stack_mismatch",
         en="sheets {first!r} and {other!r} could both be the {side} table, but their headers "
            "differ (only in {other!r}: {extra}; only in {first!r}: {lack}); give them the same "
            "header to stack them, or keep one",
         zh="工作表 {first!r} 和 {other!r} 都像是{side}表，但表头不同（仅 {other!r} 有：{extra}；"
            "仅 {first!r} 有：{lack}）；请统一表头以便合并，或只保留一个")
register("read.coordinate_warning", en="{side} row {row} (id {id!r}): {detail}",
         zh="{side} 第 {row} 行（编号 {id!r}）：{detail}")
