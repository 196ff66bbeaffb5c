"""What the printed list says, independent of how it is printed (xlsx or PDF).

Each function returns :class:`Sheet` objects — a title and blocks of rows with
their headers, column widths and number formats — that
:mod:`banghdai.report.workbook` writes as worksheets and :mod:`banghdai.report.pdf`
draws as pages, so the workbook and the PDF always say the same thing:

* :func:`pair_list` — 帮带对子名单, the sheet a 组织部 files: 序号, township and
  village, the mentee's 姓名 / 单位职务 / 类别 and each mentor's 姓名 / 单位职务
  side by side, sized to print on A4 landscape at 9 pt or more (one line per
  pair when the mentors side by side would not fit);
* :func:`pair_details` — 配对明细, one row per pair with what the goals measure
  (distance, shared domains, fit …; a score only when the goals weigh scores);
* :func:`summary` — per county with a line per township under it (per city with its
  counties), and the total;
* :func:`unmatched` — who is short of mentors and why;
* :func:`audit` — 规则与参数: the rules in the principles' words, the goals in
  order with their values and whether each is proven, the data counts, the read
  report and the version — rounded, in the reader's language.

Example
-------
>>> import banghdai as bd
>>> from banghdai.report.content import Context, pair_list
>>> roster = bd.load_sample("fanxian")
>>> problem = roster.problem()
>>> ctx = Context(problem.solve(time_limit=10), problem, "zh")
>>> sheet = pair_list(ctx)
>>> sheet.blocks[0].headers[:4]
['序号', '乡镇', '村（社区）', '姓名']
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import math
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from ..core.messages import text
from ..explain.check import idle_mentors, idle_of
from .words import catalogue, column_label
from .workbook import (
    Side,
    _id_text,
    _isna,
    constant_region_text,
    default_columns,
    demand,
    group_order,
    is_row_number,
    ordered_pairs,
    read_side,
    region_levels,
    shared_tags,
    tag_columns,
    text_width,
)

__all__ = ["Block", "Context", "Sheet", "audit", "pair_details", "pair_list", "summary",
           "unmatched"]

WORDS = catalogue("list", {
    "zh": {
        "list_sheet": "帮带对子名单", "list_title": "帮带对子名单", "detail_sheet": "配对明细",
        "detail_title": "帮带对子明细", "no": "序号", "mentee": "帮带对象", "mentor": "导师",
        "mentor_k": "导师{k}", "name": "姓名", "unit_post": "单位职务", "id": "编号",
        "distance": "距离(公里)", "shared": "共同领域", "score": "匹配分", "fixed": "组织指定",
        "priority": "优先级", "yes": "是", "roster_no": "原名单序号",
        "summary_sheet": "汇总", "sum_county": "县区汇总", "sum_city": "市汇总",
        "sum_township": "乡镇汇总", "summary_title": "帮带结对汇总", "total": "合计",
        "blank": "（空）", "s_mentees": "帮带对象", "s_matched": "已配对", "s_full": "已配齐",
        "s_demand": "需配导师人次", "s_filled": "已配导师人次", "s_coverage": "覆盖率",
        "s_pairs": "对子数", "s_bank": "导师库人数", "s_used": "使用导师",
        "s_distance": "平均距离(公里)", "s_by_cat": "各类别覆盖率",
        "unmatched_sheet": "未匹配名单", "unmatched_title": "未匹配名单",
        "u_needed": "需配导师数", "u_got": "已配导师数", "u_candidates": "候选导师数",
        "u_reason": "原因", "u_funnel": "筛选过程", "u_full": "满额候选导师",
        "audit_sheet": "规则与参数", "audit_title": "规则与参数",
        "a_result": "结果", "a_rules": "结对规则", "a_goals": "目标（按优先顺序）",
        "a_data": "数据", "a_read": "读表报告", "a_text": "规则说明",
        "a_item": "项目", "a_value": "值", "a_note": "说明", "a_principle": "原则", "a_rule": "规则",
        "a_goal": "目标", "a_bound": "最优界", "a_status": "状态", "a_proof": "是否证明",
        "a_made": "生成时间", "a_solve_status": "求解状态", "a_method": "求解方法",
        "a_seconds": "用时(秒)", "a_pairs": "对子数", "a_mentees": "帮带对象数",
        "a_matched": "已配对对象", "a_unmatched": "未配对对象", "a_coverage": "导师人次覆盖率",
        "a_mean_km": "平均距离(公里)", "a_mean_fit": "平均领域匹配度", "a_objective": "目标值",
        "a_gap": "相对间隙", "a_seed": "随机种子", "a_limit": "时限(秒)",
        "a_mentors": "导师数", "a_orgs": "其中组织导师", "a_candidates": "候选对子数",
        "a_fixed": "组织指定对子", "a_forbidden": "禁止结对", "a_split": "分区求解",
        "a_split_yes": "是，{n} 个互不相关的分区", "a_version": "软件版本",
        "a_pairing": "结对方式", "a_coverage_rule": "未配对", "a_outcome": "未证明之处",
        "a_idle": "从未获得候选对象的导师（{n} 名）", "read_sheet": "读表报告", "a_weighted": "加权总分",
        "a_objective_rule": "目标", "a_principle_other": "其他",
        "proof_cert": "✓ 已证明（证书已核验）", "proof_opt": "✓ 已证明最优",
        "proof_given": "✓ 在前面各层的结果下最优", "proof_gap": "未证明：间隙 {g}",
        "proof_bound": "未证明：界 {b}", "proof_none": "未证明",
        "prio": "（优先级 {p}）", "goal_n": "目标{n}",
        "shape_one_to_one": "一对一", "shape_one_to_many": "一对多（一名导师带多名对象）",
        "shape_many_to_one": "多对一（一名对象配多名导师）", "shape_many_to_many": "多对多",
        "cap_int": "每名导师最多带 {n} 名", "cap_col": "每名导师最多带「{c}」名",
        "need_int": "每名对象配 {n} 名导师", "need_col": "每名对象配「{c}」名导师",
        "min_load": "每名导师至少带 {n} 名",
        "allow": "允许有未配对的对象（先尽量配满导师人次）",
        "forbid": "每名对象都必须配上", "penalty": "每缺一名导师扣 {p} 分",
        "rows": "{n} 行",
        "st_OPTIMAL": "最优", "st_FEASIBLE": "可行（未证最优）", "st_INFEASIBLE": "无解",
        "st_UNKNOWN": "未找到", "st_OPTIMAL_GIVEN": "在前面各层的结果下最优",
        "st_other": "其他",
        "m_network": "网络流（逐层最优，附证书）", "m_flow": "最小费用流",
        "m_cpsat": "整数规划（OR-Tools CP-SAT）", "m_stable": "稳定匹配（延迟接受）",
        "m_other": "其他方法",
    },
    "en": {
        "list_sheet": "Pairs", "list_title": "Mentor-mentee pairs", "detail_sheet": "Pair details",
        "detail_title": "Pair details", "no": "No.", "mentee": "Mentee", "mentor": "Mentor",
        "mentor_k": "Mentor {k}", "name": "Name", "unit_post": "Unit and post", "id": "Id",
        "distance": "Distance (km)", "shared": "Shared domains", "score": "Score",
        "fixed": "Fixed", "priority": "Priority", "yes": "yes", "roster_no": "roster No.",
        "summary_sheet": "Summary", "sum_county": "By county", "sum_city": "By city",
        "sum_township": "By township", "summary_title": "Pairing summary", "total": "Total",
        "blank": "(blank)", "s_mentees": "Mentees", "s_matched": "Matched",
        "s_full": "Fully matched", "s_demand": "Mentor places needed",
        "s_filled": "Mentor places filled", "s_coverage": "Coverage", "s_pairs": "Pairs",
        "s_bank": "Mentors in bank", "s_used": "Mentors used",
        "s_distance": "Mean distance (km)", "s_by_cat": "Coverage by category",
        "unmatched_sheet": "Unmatched", "unmatched_title": "Unmatched mentees",
        "u_needed": "Mentors needed", "u_got": "Mentors got", "u_candidates": "Candidate mentors",
        "u_reason": "Reason", "u_funnel": "Filter steps", "u_full": "Candidates at capacity",
        "audit_sheet": "Rules and parameters", "audit_title": "Rules and parameters",
        "a_result": "Result", "a_rules": "Pairing rules", "a_goals": "Goals, in order",
        "a_data": "Data", "a_read": "Reading the roster", "a_text": "Rules text",
        "a_item": "Item", "a_value": "Value", "a_note": "Notes", "a_principle": "Principle", "a_rule": "Rule",
        "a_goal": "Goal", "a_bound": "Bound", "a_status": "Status", "a_proof": "Proven",
        "a_made": "Written at", "a_solve_status": "Status", "a_method": "Method",
        "a_seconds": "Seconds", "a_pairs": "Pairs", "a_mentees": "Mentees",
        "a_matched": "Mentees matched", "a_unmatched": "Mentees unmatched",
        "a_coverage": "Mentor places filled", "a_mean_km": "Mean distance (km)",
        "a_mean_fit": "Mean domain fit", "a_objective": "Objective", "a_gap": "Gap",
        "a_seed": "Seed", "a_limit": "Time limit (s)", "a_mentors": "Mentors",
        "a_orgs": "of which organisations", "a_candidates": "Candidate pairs",
        "a_fixed": "Fixed pairs", "a_forbidden": "Forbidden pairs", "a_split": "Split",
        "a_split_yes": "yes, {n} independent parts", "a_version": "Software",
        "a_pairing": "Pairing", "a_coverage_rule": "Unmatched", "a_outcome": "Not proven",
        "a_idle": "Mentors never offered a mentee ({n})", "read_sheet": "Reading report", "a_weighted": "Weighted score",
        "a_objective_rule": "Goal", "a_principle_other": "other",
        "proof_cert": "✓ proven (certificate checked)", "proof_opt": "✓ proven optimal",
        "proof_given": "✓ optimal given the levels above", "proof_gap": "not proven: gap {g}",
        "proof_bound": "not proven: bound {b}", "proof_none": "not proven",
        "prio": " (priority {p})", "goal_n": "Goal {n}",
        "shape_one_to_one": "one to one", "shape_one_to_many": "one to many",
        "shape_many_to_one": "many to one", "shape_many_to_many": "many to many",
        "cap_int": "a mentor takes at most {n}", "cap_col": "a mentor takes at most '{c}'",
        "need_int": "a mentee gets {n} mentors", "need_col": "a mentee gets '{c}' mentors",
        "min_load": "a mentor takes at least {n}",
        "allow": "unmatched mentees allowed (fill mentor places first)",
        "forbid": "every mentee must be matched", "penalty": "{p} per missing mentor",
        "rows": "{n} rows",
        "st_OPTIMAL": "optimal", "st_FEASIBLE": "feasible (not proven optimal)",
        "st_INFEASIBLE": "infeasible", "st_UNKNOWN": "none found",
        "st_OPTIMAL_GIVEN": "optimal given the levels above", "st_other": "other",
        "m_network": "network flow (each level certified)", "m_flow": "min-cost flow",
        "m_cpsat": "OR-Tools CP-SAT", "m_stable": "stable matching (deferred acceptance)",
        "m_other": "other",
    },
})

#: A printed page: A4 landscape, 0.4" side margins (Excel's printable width in points).
A4_LANDSCAPE_PT = 841.89 - 2 * 0.4 * 72
A4_PORTRAIT_PT = 595.28 - 2 * 0.4 * 72
BODY_PT = 11.0  # the workbook's body font (Excel's default)
MIN_PT = 9.0  # the smallest body text a fit-to-width print may shrink to
CJK = 1.1  # a CJK glyph is a little wider than two digits of the body font


def column_points(width: float) -> float:
    """Printed width in points of an Excel column ``width`` characters wide (7 px a digit
    of the 11-pt default font, 5 px padding, 96 px an inch).

    Example
    -------
    >>> from banghdai.report.content import column_points
    >>> round(column_points(10), 2)
    56.25
    """
    return (7 * float(width) + 5) * 0.75


def print_scale(widths: Sequence[float], landscape: bool = True) -> float:
    """The scale Excel prints a sheet at when fitted to one A4 page wide (≤ 1).

    Example
    -------
    >>> from banghdai.report.content import print_scale
    >>> print_scale([10] * 10), round(print_scale([10] * 20), 3)
    (1.0, 0.697)
    """
    total = sum(column_points(w) for w in widths)
    page = A4_LANDSCAPE_PT if landscape else A4_PORTRAIT_PT
    return min(1.0, page / total) if total else 1.0


@dataclasses.dataclass
class Block:
    """Rows under one header: what a table on paper needs, whatever prints it.

    ``widths`` are in character widths (a CJK character counts two); ``formats`` are
    Excel number formats by column; ``groups`` labels runs of columns above the
    header (``(label, span)``); ``bold`` rows are subtotals; ``heading`` is a line
    above the block.
    """

    headers: list[str]
    rows: list[list[Any]]
    widths: list[float]
    formats: dict[int, str] = dataclasses.field(default_factory=dict)
    groups: list[tuple[str, int]] | None = None
    bold: set[int] = dataclasses.field(default_factory=set)
    heading: str | None = None
    wrap: bool = True
    core: int | None = None  # leading columns a page-sized print keeps (None: all)

    def trimmed(self) -> Block:
        """The block with only its ``core`` columns (for a page that cannot hold them all)."""
        if self.core is None or self.core >= len(self.headers):
            return self
        k = self.core
        groups = None
        if self.groups:
            groups, left = [], k
            for label, span in self.groups:
                if left <= 0:
                    break
                groups.append((label, min(span, left)))
                left -= span
        return dataclasses.replace(
            self, headers=self.headers[:k], rows=[r[:k] for r in self.rows],
            widths=self.widths[:k], formats={j: f for j, f in self.formats.items() if j < k},
            groups=groups, core=None)


@dataclasses.dataclass
class Sheet:
    """A printed sheet: a name (the worksheet's tab), a title and its blocks."""

    name: str
    title: str
    blocks: list[Block]
    landscape: bool = True
    freeze: int = 1  # columns kept in view
    paper: str = "A4"


def value_text(value: Any, fmt: str | None = None) -> str:
    """A cell as printed text: numbers by their Excel format, blanks empty.

    Example
    -------
    >>> from banghdai.report.content import value_text
    >>> value_text(0.98765, "0.0%"), value_text(3.14159, "0.0"), value_text(None)
    ('98.8%', '3.1', '')
    """
    if value is None or _isna(value):
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, _dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, int | np.integer):
        return str(int(value))
    if isinstance(value, float | np.floating):
        v = float(value)
        if fmt and fmt.endswith("%"):
            digits = len(fmt.split(".")[1]) - 1 if "." in fmt else 0
            return f"{v * 100:.{digits}f}%"
        if fmt and fmt.startswith("0"):
            digits = len(fmt.split(".")[1]) if "." in fmt else 0
            return f"{v:.{digits}f}"
        return f"{v:.3f}".rstrip("0").rstrip(".") if v != int(v) else str(int(v))
    if isinstance(value, list | tuple | set | np.ndarray):
        return "、".join(str(v) for v in value if not _isna(v))
    return str(value)


def _width(values: Sequence[Any], header: str, cap: float, fmt: str | None = None) -> float:
    """A column width: the widest of its header words and its values (up to ``cap``)."""
    head = max((text_width(part) for part in str(header).split("\n")), default=0)
    body = 0
    for v in values:
        body = max(body, text_width(value_text(v, fmt)))
    return float(max(4, math.ceil(max(head, min(body, cap)) * CJK) + 2))


# ---------------------------------------------------------------------------- context
class Context:
    """The result, the problem's tables and the words, read once for every sheet."""

    def __init__(self, result: Any, problem: Any, lang: str = "zh", *,
                 headers: Mapping[str, str] | None = None,
                 mentee_columns: Sequence[str] | None = None,
                 mentor_columns: Sequence[str] | None = None,
                 title: str | None = None) -> None:
        self.result, self.problem, self.lang = result, problem, lang
        self.w = WORDS[lang]
        self.mentors, self.mentees = read_side(problem, "mentors"), read_side(problem, "mentees")
        self.pairs = ordered_pairs(result)
        known = set(self.mentees.frame["mentee_id"])
        if len(self.pairs) and not self.pairs["mentee_id"].isin(known).all():
            from .workbook import _input_error

            bad = self.pairs.loc[~self.pairs["mentee_id"].isin(known), "mentee_id"].iloc[0]
            raise _input_error(f"pair names mentee {bad!r}, which the problem lacks",
                               table="pairs", column="mentee_id")
        self.overrides = {str(k): str(v) for k, v in (headers or {}).items()}
        self.e_cols = (self.mentees.resolve(mentee_columns) if mentee_columns is not None
                       else default_columns(self.mentees))
        if mentee_columns is not None and "mentee_id" not in self.e_cols:
            self.e_cols = ["mentee_id", *self.e_cols]
        self.m_cols = (self.mentors.resolve(mentor_columns) if mentor_columns is not None
                       else default_columns(self.mentors))
        self.title = title
        self.order = group_order(self.mentees.frame, region_levels(self.mentees))
        self.need = demand(result, self.mentees, self.pairs)
        self.tag_cols = tag_columns(problem, self.mentors, self.mentees)
        self.shared = shared_tags(self.pairs, self.mentors, self.mentees, self.tag_cols)

    def label(self, side: Side, col: str) -> str:
        """A column's header: the caller's override, the roster's own, else the reader's words."""
        own = side.shown(col)
        if own in self.overrides or col in self.overrides:
            return self.overrides.get(own, self.overrides.get(col, own))
        if is_row_number(own):  # ids taken from the roster's 序号: not the list's own 序号
            return self.w["roster_no"]
        return column_label(col, own, self.lang)

    def terms(self) -> list[Any]:
        """The goals: every level's terms in order, then the weighted scores."""
        out: list[Any] = []
        for level in getattr(self.problem, "levels", None) or []:
            out += list(level) if isinstance(level, list | tuple) else [level]
        return out + list(getattr(self.problem, "scores", None) or [])


def unit_post(side: Side, label: Callable[[Side, str], str],
              w: Mapping[str, str]) -> tuple[str, pd.Series] | None:
    """(header, values) of a side's 单位职务: ``unit_post``, else unit and post joined."""
    f = side.frame
    if side.has("unit_post"):
        return label(side, "unit_post"), f["unit_post"]
    unit = f["unit"].astype(object) if side.has("unit") else None
    post = f["post"].astype(object) if side.has("post") else None
    if unit is not None and post is not None:
        joined = (unit.where(unit.notna(), "").astype(str) + post.where(post.notna(), "")
                  .astype(str)).replace("", None)
        return w["unit_post"], joined
    if unit is not None:
        return label(side, "unit"), unit
    if post is not None:
        return label(side, "post"), post
    return None


def _varying(side: Side, col: str) -> bool:
    return side.has(col) and side.frame[col].astype(object).nunique(dropna=False) > 1


# ---------------------------------------------------------------------------- the list
def _region_cols(ctx: Context) -> list[str]:
    cols = [c for c in ("county", "township") if _varying(ctx.mentees, c)]
    if ctx.mentees.has("village") and ctx.mentees.frame["village"].notna().any():
        cols.append("village")
    return cols


def pair_list(ctx: Context) -> Sheet:
    """帮带对子名单: the columns a 组织部 files, sized for A4 landscape at ≥ 9 pt.

    序号, township / village (county too when there are several), the mentee's 姓名,
    单位职务 and 类别, then each mentor's 姓名 and 单位职务 side by side (导师1, 导师2 …).
    When the mentors side by side would print below 9 pt, each pair gets a line of
    its own (the mentee's cells on its first line only).

    Example
    -------
    >>> import banghdai as bd
    >>> from banghdai.report.content import Context, pair_list, print_scale
    >>> problem = bd.load_sample("yinchuan").problem()
    >>> sheet = pair_list(Context(problem.solve(time_limit=30), problem, "zh"))
    >>> [g for g, _ in sheet.blocks[0].groups]
    ['', '帮带对象', '导师1', '导师2']
    >>> print_scale(sheet.blocks[0].widths) * 11 >= 9
    True
    """
    w, e, m = ctx.w, ctx.mentees, ctx.mentors
    f = e.frame
    regions = _region_cols(ctx)
    e_name = "name" if e.has("name") else "mentee_id"
    e_unit = unit_post(e, ctx.label, w)
    e_cat = "category" if e.has("category") else None
    m_name = "name" if m.has("name") else "mentor_id"
    m_unit = unit_post(m, ctx.label, w)
    m_names = dict(zip(m.frame["mentor_id"], m.frame[m_name], strict=True))
    m_units = (dict(zip(m.frame["mentor_id"], m_unit[1], strict=True)) if m_unit else {})
    pairs = ctx.pairs
    by_mentee = {k: list(g["mentor_id"]) for k, g in pairs.groupby("mentee_id", sort=False)}
    matched = [int(p) for p in ctx.order if f["mentee_id"].iat[int(p)] in by_mentee]
    k_max = max((len(v) for v in by_mentee.values()), default=1)

    e_heads = ([ctx.label(e, c) for c in regions] + [w["name"] if e_name == "name"
                                                      else ctx.label(e, "mentee_id")]
               + ([e_unit[0]] if e_unit else []) + ([ctx.label(e, e_cat)] if e_cat else []))
    e_values = [[f[c].iat[p] for c in regions] + [f[e_name].iat[p]]
                + ([e_unit[1].iat[p]] if e_unit else []) + ([f[e_cat].iat[p]] if e_cat else [])
                for p in matched]
    n_region = len(regions)
    m_head = [w["name"]] + ([m_unit[0]] if m_unit else [])

    def mentor_cells(mid: str) -> list[Any]:
        return [m_names.get(mid, mid)] + ([m_units.get(mid)] if m_unit else [])

    caps = [4.0] + [12.0] * n_region + [12.0] + ([20.0] if e_unit else []) + (
        [16.0] if e_cat else [])
    m_caps = [12.0] + ([20.0] if m_unit else [])

    def build(side_by_side: bool, shrink: float) -> Block:
        headers = [w["no"], *e_heads]
        groups = [("", 1 + n_region), (w["mentee"], len(e_heads) - n_region)]
        rows: list[list[Any]] = []
        if side_by_side:
            for k in range(1, k_max + 1):
                headers += m_head
                groups.append((w["mentor_k"].format(k=k) if k_max > 1 else w["mentor"],
                               len(m_head)))
            for n, (p, vals) in enumerate(zip(matched, e_values, strict=True), 1):
                row = [n, *vals]
                mine = by_mentee[f["mentee_id"].iat[p]]
                for k in range(k_max):
                    row += mentor_cells(mine[k]) if k < len(mine) else [None] * len(m_head)
                rows.append(row)
        else:
            headers += m_head
            groups.append((w["mentor"], len(m_head)))
            for n, (p, vals) in enumerate(zip(matched, e_values, strict=True), 1):
                for k, mid in enumerate(by_mentee[f["mentee_id"].iat[p]]):
                    first = [n, *vals] if k == 0 else [None] * (1 + len(vals))
                    rows.append(first + mentor_cells(mid))
        cap_all = caps + m_caps * ((len(headers) - len(caps)) // len(m_caps))
        widths = []
        for j, h in enumerate(headers):
            cap = cap_all[j] * (shrink if cap_all[j] >= 12 else 1.0)
            widths.append(_width([r[j] for r in rows], h, cap))
        return Block(headers, rows, widths, groups=groups)

    block = build(True, 1.0)
    for shrink in (0.8, 0.65):
        if print_scale(block.widths) * BODY_PT >= MIN_PT:
            break
        block = build(True, shrink)
    if print_scale(block.widths) * BODY_PT < MIN_PT:
        block = build(False, 1.0)
        for shrink in (0.8, 0.65, 0.5):
            if print_scale(block.widths) * BODY_PT >= MIN_PT:
                break
            block = build(False, shrink)
    place = constant_region_text(e)
    title = ctx.title or " ".join(x for x in (place, w["list_title"]) if x)
    return Sheet(w["list_sheet"], title, [block], freeze=2 + n_region)


# ---------------------------------------------------------------------------- details
def _goal_columns(ctx: Context) -> list[tuple[str, str, str | None]]:
    """(pairs column, header, format) of what the goals measure, in the goals' order."""
    pairs, w = ctx.pairs, ctx.w
    out: list[tuple[str, str, str | None]] = []
    seen: set[str] = set()
    if "distance_km" in pairs and pairs["distance_km"].notna().any():
        out.append(("distance_km", w["distance"], "0.0"))
        seen.add("distance_km")
    if ctx.shared is not None:
        out.append(("_shared", w["shared"], None))
    elif "shared_domains" in pairs:
        out.append(("shared_domains", w["shared"], "0"))
    seen.add("shared_domains")
    for term in ctx.terms():
        key = getattr(term, "key", None)
        if key == "closeness":
            continue  # the distance is what it measures
        if key == "coverage":
            col = getattr(term, "priority", None)
            if isinstance(col, str) and ctx.mentees.has(col) and "_priority" not in seen:
                out.append(("_priority", ctx.label(ctx.mentees, col), None))
                seen.add("_priority")
            continue
        col = getattr(term, "result_column", None)
        col = col if isinstance(col, str) else key
        if isinstance(col, str) and col in pairs and col not in seen:
            label = term.label(ctx.lang) if hasattr(term, "label") else col
            out.append((col, label, "0.00"))
            seen.add(col)
    if getattr(ctx.problem, "scores", None) and "score" in pairs:
        out.append(("score", w["score"], "0.000"))
    return out


def pair_details(ctx: Context) -> Sheet:
    """配对明细: one row per pair with ids, what the goals measure and the roster's other columns.

    Example
    -------
    >>> import banghdai as bd
    >>> from banghdai.report.content import Context, pair_details
    >>> problem = bd.load_sample("fanxian").problem()
    >>> sheet = pair_details(Context(problem.solve(time_limit=10), problem, "zh"))
    >>> sheet.blocks[0].headers[:7]
    ['序号', '对象编号', '帮带对象', '导师编号', '导师', '距离(公里)', '共同领域']
    """
    w, e, m, pairs = ctx.w, ctx.mentees, ctx.mentors, ctx.pairs
    ef, mf = e.frame.set_index("mentee_id"), m.frame.set_index("mentor_id")
    e_name = "name" if e.has("name") else None
    m_name = "name" if m.has("name") else None
    goals = _goal_columns(ctx)
    has_fixed = "fixed" in pairs and bool(pairs["fixed"].fillna(False).astype(bool).any())
    e_extra = [c for c in ctx.e_cols if c not in ("mentee_id", "name")]
    m_extra = [c for c in ctx.m_cols if c not in ("mentor_id", "name")]
    rank = pd.Series(np.arange(len(ctx.order)), index=e.frame["mentee_id"].to_numpy()[ctx.order])
    order = pairs.assign(_r=pairs["mentee_id"].map(rank)).sort_values(
        ["_r", "rank"], kind="stable").index
    headers = ([w["no"], ctx.label(e, "mentee_id"), w["mentee"], ctx.label(m, "mentor_id"),
                w["mentor"]] + [h for _, h, _ in goals] + ([w["fixed"]] if has_fixed else [])
               + [ctx.label(e, c) for c in e_extra]
               + [f"{w['mentor']}{ctx.label(m, c)}" for c in m_extra])
    formats = {5 + i: fmt for i, (_, _, fmt) in enumerate(goals) if fmt}
    prio = next((getattr(t, "priority", None) for t in ctx.terms()
                 if getattr(t, "key", None) == "coverage"), None)
    rows = []
    for n, i in enumerate(order, 1):
        p = pairs.loc[i]
        eid, mid = p["mentee_id"], p["mentor_id"]
        erec = ef.loc[eid] if eid in ef.index else None
        mrec = mf.loc[mid] if mid in mf.index else None
        row: list[Any] = [n, eid, erec[e_name] if e_name and erec is not None else eid,
                          mid, mrec[m_name] if m_name and mrec is not None else mid]
        for col, _, _ in goals:
            if col == "_shared":
                row.append(ctx.shared.loc[i] or None)
            elif col == "_priority":
                row.append(erec[prio] if erec is not None else None)
            else:
                v = p[col]
                row.append(None if _isna(v) else (int(v) if col == "shared_domains" else
                                                  round(float(v), 3)))
        if has_fixed:
            row.append(w["yes"] if bool(p["fixed"]) else None)
        row += [erec[c] if erec is not None else None for c in e_extra]
        row += [mrec[c] if mrec is not None else None for c in m_extra]
        rows.append(row)
    widths = [_width([r[j] for r in rows], h, 16, formats.get(j))
              for j, h in enumerate(headers)]
    core = 5 + len(goals) + has_fixed  # ids, names, what the goals measure, fixed
    return Sheet(w["detail_sheet"], w["detail_title"],
                 [Block(headers, rows, widths, formats=formats, core=core)], freeze=3,
                 paper="auto")


# ---------------------------------------------------------------------------- summary
def _levels(ctx: Context) -> tuple[str | None, str | None]:
    e = ctx.mentees
    if _varying(e, "city"):
        return "city", "county" if e.has("county") else None
    if e.has("county"):
        return "county", "township" if e.has("township") else None
    if e.has("township"):
        return "township", "village" if _varying(e, "village") else None
    return None, None


def summary(ctx: Context) -> Sheet:
    """汇总: a line per county with a line per township under it (per city: its counties).

    Example
    -------
    >>> import banghdai as bd
    >>> from banghdai.report.content import Context, summary
    >>> problem = bd.load_sample("fanxian").problem()
    >>> block = summary(Context(problem.solve(time_limit=10), problem, "zh")).blocks[0]
    >>> [r[0].strip() for r in block.rows][:3], block.rows[-1][0]
    (['范县', '城关镇', '濮城镇'], '合计')
    """
    w, e, m = ctx.w, ctx.mentees, ctx.mentors
    top, sub = _levels(ctx)
    data = ctx.need.copy()

    def keyed(frame: pd.DataFrame, col: str | None) -> pd.Series:
        if col is None or col not in frame:
            return pd.Series(w["total"], index=frame.index, dtype=object)
        s = frame[col].astype(object)
        return s.where(s.notna(), w["blank"]).astype(str)

    data["top"] = keyed(e.frame, top).to_numpy()
    data["sub"] = keyed(e.frame, sub).to_numpy()
    has_cat = e.has("category")
    if has_cat:
        data["category"] = e.frame["category"].astype(object).where(
            e.frame["category"].notna(), w["blank"]).to_numpy()
    p = ctx.pairs.merge(data[["mentee_id", "top", "sub"]], on="mentee_id", how="left")
    has_dist = "distance_km" in p and p["distance_km"].notna().any()
    bank_top = keyed(m.frame, top) if top and m.has(top) else None
    bank_sub = keyed(m.frame, sub) if sub and m.has(sub) else None
    cats = list(pd.unique(data["category"])) if has_cat else []
    first = (ctx.label(e, top) + (f" / {ctx.label(e, sub)}" if sub else "")) if top else w["total"]
    headers = ([first, w["s_mentees"], w["s_matched"], w["s_full"], w["s_demand"], w["s_filled"],
                w["s_coverage"], w["s_pairs"]] + ([w["s_bank"]] if bank_top is not None else [])
               + [w["s_used"]] + ([w["s_distance"]] if has_dist else []))
    formats = {6: "0.0%"}
    if has_dist:
        formats[len(headers) - 1] = "0.0"

    def line(label: str, d: pd.DataFrame, pp: pd.DataFrame, bank_n: int | None) -> list[Any]:
        dem, fil = int(d["needed"].sum()), int(d["filled"].sum())
        row: list[Any] = [label, len(d), int((d["got"] > 0).sum()),
                          int((d["got"] >= d["needed"]).sum()), dem, fil,
                          fil / dem if dem else None, len(pp)]
        if bank_top is not None:
            row.append(bank_n)
        row.append(int(pp["mentor_id"].nunique()))
        if has_dist:
            mean = pp["distance_km"].mean() if len(pp) else None
            row.append(None if mean is None or _isna(mean) else round(float(mean), 1))
        return row

    rows: list[list[Any]] = []
    bold: set[int] = set()
    for g in pd.unique(data["top"]):
        d, pp = data[data["top"] == g], p[p["top"] == g]
        in_g = (bank_top == g) if bank_top is not None else None
        if top:
            bold.add(len(rows))
        rows.append(line(g, d, pp, int(in_g.sum()) if in_g is not None else None))
        if sub is None:
            continue
        for s_ in pd.unique(d["sub"]):
            bank_n = (int((in_g & (bank_sub == s_)).sum())
                      if in_g is not None and bank_sub is not None else None)
            rows.append(line("　" + s_, d[d["sub"] == s_], pp[pp["sub"] == s_], bank_n))
    if top:
        bold.add(len(rows))
        rows.append(line(w["total"], data, p,
                         len(m.frame) if bank_top is not None else None))
    widths = [_width([r[j] for r in rows], h, 16, formats.get(j))
              for j, h in enumerate(headers)]
    blocks = [Block(headers, rows, widths, formats=formats, bold=bold)]
    if cats:  # per category, per county (or city) and in all: a narrow table of its own
        c_head = [ctx.label(e, top) if top else w["total"], ctx.label(e, "category"),
                  w["s_mentees"], w["s_full"], w["s_demand"], w["s_filled"], w["s_coverage"]]
        c_rows: list[list[Any]] = []
        c_bold: set[int] = set()
        groups = [(g, data[data["top"] == g]) for g in pd.unique(data["top"])] if top else []
        groups.append((w["total"], data))
        for g, d in groups:
            for c in cats:
                dc = d[d["category"] == c]
                if not len(dc):
                    continue
                dem, fil = int(dc["needed"].sum()), int(dc["filled"].sum())
                if g == w["total"]:
                    c_bold.add(len(c_rows))
                c_rows.append([g, c, len(dc), int((dc["got"] >= dc["needed"]).sum()), dem, fil,
                               fil / dem if dem else None])
        c_widths = [_width([r[j] for r in c_rows], h, 16, "0.0%" if j == 6 else None)
                    for j, h in enumerate(c_head)]
        blocks.append(Block(c_head, c_rows, c_widths, formats={6: "0.0%"}, bold=c_bold,
                            heading=w["s_by_cat"]))
    return Sheet(w[f"sum_{top}"] if top else w["summary_sheet"], w["summary_title"], blocks)



# ---------------------------------------------------------------------------- unmatched
def unmatched(ctx: Context) -> Sheet:
    """未匹配名单: each mentee short of mentors with the reason, in the list's order.

    Example
    -------
    >>> import banghdai as bd
    >>> from banghdai.report.content import Context, unmatched
    >>> problem = bd.load_sample("fanxian").problem()
    >>> unmatched(Context(problem.solve(time_limit=10), problem, "zh")).name
    '未匹配名单'
    """
    w, e = ctx.w, ctx.mentees
    u = getattr(ctx.result, "unmatched", None)
    if not isinstance(u, pd.DataFrame):
        u = pd.DataFrame(columns=["mentee_id", "needed", "got", "candidates", "reason"])
    u = u.assign(mentee_id=u["mentee_id"].map(_id_text)).drop_duplicates("mentee_id")
    rank = pd.Series(np.arange(len(ctx.order)), index=e.frame["mentee_id"].to_numpy()[ctx.order])
    u = u.assign(_rank=u["mentee_id"].map(rank)).sort_values("_rank", kind="stable")
    e_index = e.frame.set_index("mentee_id")
    e_cols = ctx.e_cols
    extra = [(c, w[k]) for c, k in (("needed", "u_needed"), ("got", "u_got"),
                                    ("candidates", "u_candidates"), ("reason", "u_reason"),
                                    ("funnel", "u_funnel"), ("full_mentors", "u_full"))
             if c in u.columns]
    headers = [w["no"]] + [ctx.label(e, c) for c in e_cols] + [h for _, h in extra]
    formats = {1 + len(e_cols) + i: "0" for i, (c, _) in enumerate(extra)
               if c in ("needed", "got", "candidates")}
    rows = []
    for n, rec in enumerate(u.to_dict("records"), 1):
        eid = rec["mentee_id"]
        info = e_index.loc[eid] if eid in e_index.index else None
        row: list[Any] = [n] + [eid if c == "mentee_id" else
                                (info[c] if info is not None else None) for c in e_cols]
        for c, _ in extra:
            v = rec[c]
            row.append(int(v) if c in ("needed", "got", "candidates") and not _isna(v) else v)
        rows.append(row)
    caps = {len(headers) - len(extra) + i: (40 if c in ("reason", "funnel") else 12)
            for i, (c, _) in enumerate(extra)}
    widths = [_width([r[j] for r in rows], h, caps.get(j, 12), formats.get(j))
              for j, h in enumerate(headers)]
    core = len(headers) - any(c == "full_mentors" for c, _ in extra)  # the long list: xlsx only
    return Sheet(w["unmatched_sheet"], w["unmatched_title"],
                 [Block(headers, rows, widths, formats=formats, core=core)], freeze=1,
                 paper="auto")


# ---------------------------------------------------------------------------- audit
def _number(value: Any, digits: int = 3) -> Any:
    """A number rounded for paper (whole numbers as int); anything else as None."""
    if value is None or isinstance(value, bool):
        return None
    try:
        v = float(value)
    except (TypeError, ValueError):
        return None
    if not math.isfinite(v):
        return None
    return int(round(v)) if abs(v - round(v)) < 1e-9 else round(v, digits)


def _percent(value: Any) -> str | None:
    """A share as printed text (98.9%), or None."""
    v = _number(value, 6)
    return None if v is None else value_text(float(v), "0.0%")


def _status_word(status: Any, w: Mapping[str, str]) -> str:
    name = str(getattr(status, "name", status) or "")
    return w.get(f"st_{name}", w["st_other"])


def _principle(rule: Any, lang: str, w: Mapping[str, str]) -> tuple[str, str]:
    label = rule.label(lang) if hasattr(rule, "label") else w["a_principle_other"]
    principle = getattr(rule, "principle", None)
    if principle:
        try:
            return text(f"principle.{principle}", lang), label
        except KeyError:
            pass
    return w["a_principle_other"], label


def _pairing_words(ctx: Context) -> list[tuple[str, str]]:
    w, pairing = ctx.w, getattr(ctx.problem, "pairing", None)
    if pairing is None:
        return []
    parts = [w.get(f"shape_{getattr(pairing, 'shape', '')}", "")]
    cap = getattr(pairing, "capacity", None)
    if isinstance(cap, bool) or cap is None:
        pass
    elif isinstance(cap, int):
        parts.append(w["cap_int"].format(n=cap))
    elif isinstance(cap, str):
        parts.append(w["cap_col"].format(c=ctx.label(ctx.mentors, cap)))
    need = getattr(pairing, "mentors_per_mentee", None)
    if isinstance(need, int) and not isinstance(need, bool) and need != 1:
        parts.append(w["need_int"].format(n=need))
    elif isinstance(need, str):
        parts.append(w["need_col"].format(c=ctx.label(ctx.mentees, need)))
    low = getattr(pairing, "min_load", 0)
    if isinstance(low, int) and low > 0:
        parts.append(w["min_load"].format(n=low))
    sep = "；" if ctx.lang == "zh" else "; "
    rows = [(w["a_pairing"], sep.join(x for x in parts if x))]
    mode = getattr(pairing, "unmatched", None)
    if mode in ("allow", "forbid"):
        words = w[mode]
        penalty = getattr(pairing, "unmatched_penalty", None)
        if penalty is not None:
            words += sep + w["penalty"].format(p=_number(penalty))
        rows.append((w["a_coverage_rule"], words))
    return rows


def _goal_name(name: str, terms: list[Any], ctx: Context, n: int) -> str:
    """A goal row of ``result.levels`` in the reader's words (its term's own label)."""
    w = ctx.w
    low = name.lower()
    prio = re.search(r"priority\s*=\s*([^\s,)]+)", name)
    for term in terms:
        key = str(getattr(term, "key", "") or "")
        if (key and low.startswith(key)) or type(term).__name__.lower() in low.replace(" ", ""):
            label = _principle(term, ctx.lang, w)[1]
            return label + (w["prio"].format(p=prio.group(1)) if prio else "")
    return w["goal_n"].format(n=n)


def _proof(rec: Mapping[Any, Any], w: Mapping[str, str]) -> str:
    status = str(rec.get("status") or "")
    if bool(rec.get("certified", False)):
        return w["proof_cert"]
    if status == "OPTIMAL_GIVEN":
        return w["proof_given"]
    if status == "OPTIMAL":
        return w["proof_opt"]
    gap = _number(rec.get("gap"), 4)
    if gap is not None:
        return w["proof_gap"].format(g=f"{gap:.2%}")
    bound = _number(rec.get("bound"))
    return w["proof_bound"].format(b=bound) if bound is not None else w["proof_none"]


def _method_word(backend: Any, w: Mapping[str, str]) -> str:
    name = str(backend or "")
    for key in ("network", "flow", "cpsat", "stable"):
        if key in name:
            return w[f"m_{key}"]
    return w["m_other"]


def _read_report_rows(report: Any, lang: str) -> list[tuple[str, Any]]:
    """The read report's summary as (item, value) lines, whatever shape it comes in."""
    if report is None:
        return []
    for attr in ("summary_rows", "summary", "text"):
        fn = getattr(report, attr, None)
        if callable(fn):
            try:
                report = fn(lang=lang)
            except TypeError:
                report = fn()
            break
    if isinstance(report, pd.DataFrame):
        cols = list(report.columns)
        if len(cols) >= 2:
            return [(value_text(a), value_text(b) if not isinstance(b, float) else _number(b))
                    for a, b in zip(report[cols[0]], report[cols[1]], strict=True)]
        return [(value_text(a), "") for a in report[cols[0]]] if cols else []
    if isinstance(report, Mapping):
        return [(str(k), _number(v) if isinstance(v, float) else value_text(v))
                for k, v in report.items()]
    if isinstance(report, list | tuple):
        return [(value_text(x[0]), value_text(x[1])) if isinstance(x, list | tuple)
                and len(x) >= 2 else (value_text(x), "") for x in report]
    return [(line, "") for line in str(report).splitlines() if line.strip()]


def audit(ctx: Context, rules_text: str | None = None, roster: Any = None) -> Sheet:
    """规则与参数: the result, the rules in the principles' words, the goals in order and
    whether each is proven, the data counts, the read report and the version.

    Example
    -------
    >>> import banghdai as bd
    >>> from banghdai.report.content import Context, audit
    >>> problem = bd.load_sample("fanxian").problem()
    >>> sheet = audit(Context(problem.solve(time_limit=10), problem, "zh"))
    >>> [b.heading for b in sheet.blocks][:4]
    ['一、结果', '二、结对规则', '三、目标（按优先顺序）', '四、数据']
    """
    w, result, problem = ctx.w, ctx.result, ctx.problem
    summ = result.summary() if hasattr(result, "summary") else {}
    info = dict(getattr(result, "info", None) or {})
    status = getattr(result, "status", None)
    n_e = len(ctx.mentees.frame)
    matched = int((ctx.need["got"] > 0).sum())
    seconds = _number(getattr(result, "seconds", None), 2)
    items: list[tuple[str, Any]] = [
        (w["a_made"], _dt.datetime.now().replace(microsecond=0, second=0)),
        (w["a_solve_status"], _status_word(status, w)),
        (w["a_method"], _method_word(getattr(result, "backend", None), w)),
        (w["a_seconds"], seconds),
        (w["a_pairs"], len(ctx.pairs)),
        (w["a_mentees"], n_e),
        (w["a_matched"], matched),
        (w["a_unmatched"], n_e - matched),
        (w["a_coverage"], _percent(getattr(result, "coverage", None))),
    ]
    if summ.get("mean_distance_km") is not None:
        items.append((w["a_mean_km"], _number(summ["mean_distance_km"], 1)))
    if summ.get("mean_domain_fit") is not None:
        items.append((w["a_mean_fit"], _number(summ["mean_domain_fit"], 3)))
    outcome = getattr(result, "outcome", None)  # what is not proven, in words
    if callable(outcome):
        try:
            lines = list(outcome(ctx.lang))
        except TypeError:
            lines = []
        if lines:
            items.insert(2, (w["a_outcome"], "\n".join(str(x) for x in lines)))
    for key, label in (("seed", "a_seed"), ("time_limit", "a_limit")):
        if _number(info.get(key)) is not None:
            items.append((w[label], _number(info[key])))
    two = [w["a_item"], w["a_value"]]

    def block(heading: str, headers: list[str], rows: list[list[Any]], caps: list[float],
              formats: dict[int, str] | None = None) -> Block:
        widths = [_width([r[j] for r in rows], h, caps[j], (formats or {}).get(j))
                  for j, h in enumerate(headers)]
        return Block(headers, rows, widths, formats=formats or {}, heading=heading)

    blocks = [block(w["a_result"], two, [list(x) for x in items], [14, 40])]

    rule_rows: list[list[Any]] = [list(x) for x in _pairing_words(ctx)]
    for attr in ("edge_rules", "group_rules", "fixed"):
        for rule in getattr(problem, attr, None) or []:
            rule_rows.append(list(_principle(rule, ctx.lang, w)))
    blocks.append(block(w["a_rules"], [w["a_principle"], w["a_rule"]], rule_rows, [14, 40]))

    terms = ctx.terms()
    levels = getattr(result, "levels", None)
    goal_rows: list[list[Any]] = []
    if isinstance(levels, pd.DataFrame) and len(levels):
        level_terms = ctx.terms()[: len(terms) - len(getattr(problem, "scores", None) or [])]
        for n, rec in enumerate(levels.to_dict("records"), 1):
            goal_rows.append([n, _goal_name(str(rec.get("name", "")), level_terms, ctx, n),
                              _number(rec.get("value")), _number(rec.get("bound")),
                              _status_word(rec.get("status"), w), _proof(rec, w)])
    else:
        scores = list(getattr(problem, "scores", None) or [])
        sep = "；" if ctx.lang == "zh" else "; "
        name = (sep.join(_principle(s, ctx.lang, w)[1] for s in scores) if scores
                else w["a_weighted"])
        rec = {"status": getattr(status, "name", status), "bound": getattr(result, "bound", None),
               "gap": getattr(result, "gap", None), "certified": False}
        if rec["status"] == "OPTIMAL":
            rec["gap"] = None
        goal_rows.append([1, name, _number(getattr(result, "objective", None)),
                          _number(rec["bound"]), _status_word(rec["status"], w), _proof(rec, w)])
    blocks.append(block(w["a_goals"], [w["no"], w["a_goal"], w["a_value"], w["a_bound"],
                                       w["a_status"], w["a_proof"]], goal_rows,
                        [4, 24, 10, 10, 12, 24]))

    data_rows: list[list[Any]] = [[w["a_mentors"], len(ctx.mentors.frame)]]
    mf = ctx.mentors.frame
    if "kind" in mf and (mf["kind"].astype(str) == "org").any():
        data_rows.append([w["a_orgs"], int((mf["kind"].astype(str) == "org").sum())])
    data_rows.append([w["a_mentees"], n_e])
    if _number(info.get("n_edges")) is not None:
        data_rows.append([w["a_candidates"], _number(info["n_edges"])])
    for attr, label in (("fixed_pairs", "a_fixed"), ("forbidden_pairs", "a_forbidden")):
        table = getattr(problem, attr, None)
        if isinstance(table, pd.DataFrame) and len(table):
            data_rows.append([w[label], len(table)])
    if "fixed" in ctx.pairs and ctx.pairs["fixed"].fillna(False).astype(bool).any() and not any(
            r[0] == w["a_fixed"] for r in data_rows):
        data_rows.append([w["a_fixed"], int(ctx.pairs["fixed"].fillna(False).astype(bool).sum())])
    if info.get("split"):
        parts = info.get("components") or info.get("n_components")
        n_parts = len(parts) if isinstance(parts, list | tuple) else _number(parts)
        data_rows.append([w["a_split"], w["a_split_yes"].format(n=n_parts or "")])
    versions = info.get("versions") or {}
    names = {"banghdai": "banghdai", "ortools": "OR-Tools", "python": "Python",
             "pandas": "pandas", "numpy": "NumPy"}
    shown = [f"{names.get(k, k)} {v}" for k, v in versions.items() if k in names]
    if not shown:
        from ..core.version import version

        shown = [f"banghdai {version()}"]
    data_rows.append([w["a_version"], ("，" if ctx.lang == "zh" else ", ").join(shown)])
    blocks.append(block(w["a_data"], two, data_rows, [14, 40]))

    read_rows = _read_report_rows(read_report(problem, roster), ctx.lang)
    if read_rows:
        if all(v in ("", None) for _, v in read_rows):  # lines of text
            blocks.append(Block([w["a_note"]], [[a] for a, _ in read_rows], [90.0],
                                heading=w["a_read"]))
        else:
            blocks.append(block(w["a_read"], two, [list(x) for x in read_rows], [14, 40]))
    idle = _idle_mentors(result, ctx.lang, problem)
    if idle is not None and len(idle):
        heads = [_idle_header(c, ctx) for c in idle.columns]
        rows = [[value_text(v) if not isinstance(v, int | float) else v for v in r]
                for r in idle.itertuples(index=False)]
        try:  # the checks' own words for them, where the catalogue has them
            title = text("book.idle_title", ctx.lang, n=len(idle))
        except KeyError:
            title = w["a_idle"].format(n=len(idle))
        blocks.append(block(title, heads, rows, [16.0] * len(heads)))
    if rules_text:
        lines = [[line] for line in str(rules_text).splitlines()]
        blocks.append(Block([w["a_value"]], lines, [90.0], heading=w["a_text"], wrap=False))
    for n, b in enumerate(blocks, 1):  # sections numbered as they come: 一、二、… / 1. 2. …
        b.heading = (f"{_ZH_NUMBERS[n - 1]}、{b.heading}" if ctx.lang == "zh"
                     else f"{n}. {b.heading}")
    return Sheet(w["audit_sheet"], w["audit_title"], blocks, landscape=False)


_ZH_NUMBERS = "一二三四五六七八九十"


def read_report(problem: Any, roster: Any = None) -> Any:
    """The read report of the roster the problem came from, if the readers left one."""
    for owner in (roster, problem):
        report = getattr(owner, "read_report", None) if owner is not None else None
        if report is not None:
            return report
    for attr in ("mentor_table", "mentee_table"):
        frame = getattr(getattr(problem, attr, None), "frame", None)
        attrs = getattr(frame, "attrs", None) or {}
        for key, value in attrs.items():
            if "read_report" in str(key) and value is not None:
                return value
    return None


def _idle_mentors(result: Any, lang: str, problem: Any = None) -> pd.DataFrame | None:
    """Mentors never offered a mentee, from the result (the graph its solve compiled), else
    from the explain layer's check, in builds that have them; None otherwise."""
    own = getattr(result, "idle_mentors", None)  # bd.Result's method (or a stand-in)
    try:
        if callable(own):
            out = own(lang)
        else:
            out = idle_of(result, lang) if getattr(result, "idle_from", None) is not None else None
        if out is None and problem is not None:
            out = idle_mentors(problem, lang)
    except Exception:  # noqa: BLE001 - an optional part of the audit never stops the print
        return None
    return out if isinstance(out, pd.DataFrame) else None


def _idle_header(column: str, ctx: Context) -> str:
    code = f"book.idle_{column}"
    try:
        return text(code, ctx.lang)
    except KeyError:
        return column_label(str(column), None, ctx.lang)


def read_report_sheet(ctx: Context, roster: Any = None) -> Sheet | None:
    """读表报告: every event of reading the roster (skipped rows, cleaned values …) as a
    table, when the readers left a report with events."""
    report = read_report(ctx.problem, roster)
    events = getattr(report, "events", None) or []
    try:
        from ..data import readreport
    except ImportError:
        return None
    rows_of = getattr(readreport, "report_rows", None)
    noteworthy = getattr(readreport, "NOTEWORTHY", None)
    if not callable(rows_of) or not events or (
            noteworthy is not None and not any(e.get("event") in noteworthy for e in events)):
        return None  # tables read as they are: nothing to report
    headers, rows = rows_of(report, ctx.lang)
    try:
        name = text("read.sheet_title", ctx.lang)
    except KeyError:
        name = ctx.w["read_sheet"]
    widths = [_width([r[j] for r in rows], h, 24) for j, h in enumerate(headers)]
    return Sheet(name, name, [Block(list(headers), [list(r) for r in rows], widths)],
                 paper="auto")


def sheets(ctx: Context, *, rules_text: str | None = None, roster: Any = None) -> list[Sheet]:
    """Every sheet of the printed list, in order.

    Example
    -------
    >>> import banghdai as bd
    >>> from banghdai.report.content import Context, sheets
    >>> problem = bd.load_sample("fanxian").problem()
    >>> [s.name for s in sheets(Context(problem.solve(time_limit=10), problem, "zh"))]
    ['帮带对子名单', '县区汇总', '未匹配名单', '配对明细', '规则与参数']
    """
    out = [pair_list(ctx), summary(ctx), unmatched(ctx), pair_details(ctx),
           audit(ctx, rules_text, roster)]
    read = read_report_sheet(ctx, roster)
    return out + ([read] if read is not None else [])

