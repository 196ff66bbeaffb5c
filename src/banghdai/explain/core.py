"""Explanations a planner can read: unmatched reasons, pre-solve checks, conflicts, pairs.

* :func:`unmatched_reasons` — for each mentee left short, the candidate funnel
  (how many mentors pass each edge rule in turn) and, when candidates existed,
  which of them were full and with whom; English or Chinese (``lang``);
* :func:`check` — cheap counting checks without a solver: capacity against
  demand per region and per category, mentees with no candidate (naming the
  rule that removed the last one), fixed pairs that break a hard rule, minimum
  loads that cannot be met — each with a suggestion;
* :func:`explain` — when the rules cannot all hold, a set of conflicting rule
  groups named in planner terms, from CP-SAT assumption literals (one worker,
  presolve off) shrunk by deletion; with ``relax=True`` also the cheapest
  relaxation and a pairing that satisfies the relaxed problem;
* :func:`explain_pairs` — per pair, the score breakdown, its rank among the
  mentee's candidates and the best alternative mentor with what it would cost.

Example
-------
>>> import pandas as pd, banghdai as bd
>>> mentors = pd.DataFrame({"mentor_id": ["M1"], "county": ["A"], "capacity": [1]})
>>> mentees = pd.DataFrame({"mentee_id": ["E1", "E2"], "county": ["A", "A"]})
>>> p = bd.Problem(mentors, mentees, pairing=bd.OneToMany("capacity", unmatched="forbid"))
>>> p = p.require(bd.SameRegion("county"))
>>> print(bd.explain(p).messages[0])
capacity of A mentors (1) < mentor places that mentees who must be matched there need (2)
"""

from __future__ import annotations

import copy
import functools
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..core import hooks
from ..core.errors import InputError
from ..core.ids import ids_as_str, value_keys
from ..core.messages import check_lang, translate_label
from ..data.schema import pair_table, require_frame
from ..model.rules import (
    REGION_LEVELS,
    FixedPairs,
    PairScore,
    SameRegion,
    Stronger,
    StrongToWeak,
)

if TYPE_CHECKING:
    from ..compile.graph import Compiled
    from ..model.problem import Problem
    from ..result import Result

LANGS = ("en", "zh")

# --------------------------------------------------------------------------- words
_COLUMN_ZH = {
    "province": "省", "city": "市", "county": "县区", "township": "乡镇", "village": "村",
    "unit": "单位", "rating": "评分", "domains": "领域", "category": "类别",
    "type": "类型", "tier": "层级", "role": "角色",
    "mentor_id": "导师", "mentee_id": "帮带对象",
}


def _check_lang(lang: str) -> str:
    return check_lang(lang)


def _zh_col(column: str) -> str:
    return _COLUMN_ZH.get(column, column)


def rule_label(name: str, lang: str = "en") -> str:
    """A rule's funnel name (as in ``compiled.funnel``) in planner words.

    The name is the label a rule gave itself in English; the rule's message
    code renders it again in ``lang`` (see :mod:`banghdai.core.messages`).

    Example
    -------
    >>> import banghdai as bd
    >>> from banghdai.explain.core import rule_label
    >>> names = bd.MaxDistance(km=60).label(), bd.SameRegion("county").label()
    >>> rule_label(names[0], "zh"), rule_label(names[1], "zh")
    ('60公里内', '同县区')
    """
    return translate_label(name, lang)


def _quote(name: str, lang: str) -> str:
    return f"'{rule_label(name, lang)}'" if lang == "en" else f"“{rule_label(name, lang)}”"


def _stages(compiled: Compiled) -> list[str]:
    return [c for c in compiled.funnel.columns if c not in ("mentee_id", "mentors")]


def _funnel_counts(compiled: Compiled, rows: np.ndarray) -> np.ndarray:
    """Funnel counts of mentee ``rows``: the 'mentors' column, then one per stage."""
    funnel = compiled.funnel
    return np.column_stack([funnel[c].to_numpy()[rows] for c in ["mentors", *_stages(compiled)]])


def _funnel_texts(compiled: Compiled, rows: np.ndarray, lang: str,
                  counts: np.ndarray | None = None) -> list[str]:
    """'483 mentors → same county 89 → …' for each mentee row (vectorised)."""
    stages = _stages(compiled)
    if counts is None:
        counts = _funnel_counts(compiled, rows)
    if rows.size == 0:
        return []
    head = "mentors" if lang == "en" else "导师"
    text = _texts(counts[:, 0])
    text = text + f" {head}" if lang == "en" else f"{head}" + text + "名"
    for k, stage in enumerate(stages, start=1):
        label = rule_label(stage, lang)
        sep = f" → {label} " if lang == "en" else f" → {label}"
        text = text + sep + _texts(counts[:, k])
    return text.tolist()


def _last_rule(compiled: Compiled, rows: np.ndarray,
               counts: np.ndarray | None = None) -> list[str | None]:
    """The rule after which no candidate was left, per mentee row (None if some remain)."""
    stages = _stages(compiled)
    if not stages or rows.size == 0:
        return [None] * rows.size
    if counts is None:
        counts = _funnel_counts(compiled, rows)
    zero = counts[:, 1:] == 0
    first = zero.argmax(axis=1)
    return [stages[f] if z else None for f, z in zip(first.tolist(), zero.any(axis=1).tolist(),
                                                      strict=True)]


def _edge_load(compiled: Compiled) -> np.ndarray:
    """Capacity units each candidate pair uses (1 unless a Load rule says otherwise)."""
    load = getattr(compiled, "edge_load", None)
    return np.ones(compiled.n_edges, dtype=np.int64) if load is None else np.asarray(load)


def _labels_of(table, rows: np.ndarray | None = None) -> np.ndarray:
    """'M0012 熊涛刚' per row (id and name when the table has names); all rows or ``rows``."""
    ids = _texts(table.ids if rows is None else table.ids[rows])
    if "name" in table.frame.columns:
        names = table.frame["name"].to_numpy(dtype=object)
        names = names if rows is None else names[rows]
        ok = np.fromiter((isinstance(v, str) and v != "" for v in names.tolist()), dtype=bool,
                         count=names.size)
        ids[ok] = ids[ok] + " " + names[ok]
    return ids


def _named(table, pos: int) -> str:
    """'M0012 熊涛刚' (id and name when the table has names)."""
    ident = str(table.ids[pos])
    if "name" in table.frame.columns:
        name = table.frame["name"].iloc[pos]
        if isinstance(name, str) and name:
            return f"{ident} {name}"
    return ident


# --------------------------------------------------------------------------- unmatched
_REASONS = {
    "en": {
        "none": "no candidate mentor: none left after rule {rule}",
        "none_rules": "no candidate mentor: none left after the rules",
        "paired": "only {c} candidate mentor(s), all already paired with it",
        "full": "all {c} candidate mentors are at capacity",
        "traded": "left unmatched: its candidates serve others for a better total",
        "full_with": "{mentor} full {load}/{cap} with {mentees}",
        "full_none": "{mentor} full {load}/{cap}",
        "more": "and {n} more",
        "sep": "; ",
        "list": ", ",
    },
    "zh": {
        "none": "没有候选导师：经{rule}规则筛选后无人符合",
        "none_rules": "没有候选导师：经规则筛选后无人符合",
        "paired": "仅有{c}名候选导师，均已与其结对",
        "full": "{c}名候选导师均已满额",
        "traded": "未结对：其候选导师用于其他对象，总体更优",
        "full_with": "{mentor} 已满{load}/{cap}（{mentees}）",
        "full_none": "{mentor} 已满{load}/{cap}",
        "more": "等另{n}名",
        "sep": "；",
        "list": "、",
    },
}


def _texts(values: np.ndarray) -> np.ndarray:
    """Any array as an object array of Python strings."""
    values = np.asarray(values)
    if values.dtype == object:
        return np.array([v if isinstance(v, str) else str(v) for v in values.tolist()],
                        dtype=object)
    return values.astype(str).astype(object)


def _vformat(template: str, size: int, **columns: np.ndarray | str) -> np.ndarray:
    """``template.format(**row)`` for every row of equal-length columns, as an object array.

    Only plain ``{name}`` fields are supported; the loop runs over the
    template's pieces, never over the rows.
    """
    import string

    out = np.full(size, "", dtype=object)
    for literal, name, _spec, _conv in string.Formatter().parse(template):
        if literal:
            out = out + literal
        if name is not None:
            value = columns[name]
            out = out + (value if isinstance(value, str) else _texts(value))
    return out


def _joined(items: np.ndarray, heads: np.ndarray, counts: np.ndarray, show: int, sep: str,
            more: str) -> np.ndarray:
    """Per group of ``items`` (runs given by heads/counts): the first ``show`` joined by ``sep``,
    then ``more`` (a template with ``{n}``) when the group has more."""
    out = items[heads].copy()
    for r in range(1, show):
        has = counts > r
        out[has] = out[has] + sep + items[heads[has] + r]
    over = counts > show
    if over.any():
        out[over] = out[over] + sep + _vformat(more, int(over.sum()), n=counts[over] - show)
    return out


def _full_mentors(compiled: Compiled, chosen: np.ndarray, blocked: np.ndarray,
                  load: np.ndarray, missing: np.ndarray, words: dict, show: int) -> list[str]:
    """Per missing mentee: its best ``show`` candidates that were full, and with whom."""
    em, ee = compiled.edge_mentor, compiled.edge_mentee
    if missing.size == 0:
        return []
    is_missing = np.zeros(compiled.n_mentees, dtype=bool)
    is_missing[missing] = True
    idx = np.flatnonzero(~chosen & blocked & is_missing[ee])
    if idx.size == 0:
        return [""] * missing.size
    # edges are sorted by mentee, so idx is too: order each mentee's run by value, best first
    val = compiled.edge_value[idx]
    span = int(val.max()) - int(val.min()) + 1
    if span * (compiled.n_mentees + 1) < 2**62:
        idx = idx[np.argsort(ee[idx] * span + (int(val.max()) - val), kind="stable")]
    else:  # pragma: no cover - astronomically spread values
        idx = idx[np.lexsort((-val, ee[idx]))]
    owner = ee[idx]
    start = np.r_[0, np.flatnonzero(np.diff(owner)) + 1]
    size = np.diff(np.r_[start, owner.size])
    rank = np.arange(owner.size) - np.repeat(start, size)
    top = idx[rank < show]
    # each listed mentor once: '<label> full load/cap with E1, E2, E3[, and n more]'
    mentors = np.unique(em[top])
    labels = np.empty(compiled.n_mentors, dtype=object)
    labels[mentors] = _labels_of(compiled.mentors, mentors)
    cap = compiled.cap_hi
    text = np.empty(compiled.n_mentors, dtype=object)
    text[mentors] = _vformat(words["full_none"], mentors.size, mentor=labels[mentors],
                             load=load[mentors], cap=cap[mentors])
    chosen_idx = np.flatnonzero(chosen)
    pick = chosen_idx[np.isin(em[chosen_idx], mentors)]
    if pick.size:
        pick = pick[np.argsort(em[pick], kind="stable")]
        heads, counts = _segments(em[pick])
        who = _joined(_texts(compiled.mentees.ids[ee[pick]]), heads, counts, show,
                      words["list"], words["more"])
        with_pairs = em[pick][heads]
        text[with_pairs] = _vformat(words["full_with"], with_pairs.size,
                                    mentor=labels[with_pairs], load=load[with_pairs],
                                    cap=cap[with_pairs], mentees=who)
    heads, counts = _segments(ee[top])
    per_mentee = _joined(text[em[top]], heads, counts, show, words["sep"], words["more"])
    totals = size  # candidates that were full, per mentee with any (same order as heads)
    over = totals > show
    if over.any():  # '...; and n more' counts every full candidate, not just the top ones
        per_mentee[over] = per_mentee[over] + words["sep"] + _vformat(
            words["more"], int(over.sum()), n=totals[over] - show)
    out = np.full(compiled.n_mentees, "", dtype=object)
    out[ee[top][heads]] = per_mentee
    return out[missing].tolist()


def _segments(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Start and length of each run of equal values in sorted ``keys``."""
    if keys.size == 0:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    starts = np.r_[0, np.flatnonzero(np.diff(keys)) + 1]
    return starts, np.diff(np.r_[starts, keys.size])


@functools.cache
def _no_unmatched(with_name: bool) -> pd.DataFrame:
    """The empty unmatched table (built once: constructing frames costs more than copying)."""
    text = pd.Series([], dtype=pd.Series(["text"]).dtype)
    count = np.empty(0, dtype=np.int64)
    out = pd.DataFrame({"mentee_id": text, "needed": count, "got": count, "candidates": count,
                        "reason": text, "funnel": text, "full_mentors": text})
    if with_name:
        out.insert(1, "name", text)
    return out


def unmatched_reasons(compiled: Compiled, chosen: np.ndarray, lang: str = "en",
                      *, show: int = 3) -> pd.DataFrame:
    """Mentees with fewer mentors than needed, each with a reason a planner reads.

    Columns: ``mentee_id`` (and ``name``), ``needed``, ``got``, ``candidates``,
    ``reason``, ``funnel`` (candidates left after each edge rule in turn) and
    ``full_mentors`` (the best ``show`` candidates that were full, and with
    whom). ``lang`` is ``"en"`` or ``"zh"``.

    Example
    -------
    >>> import numpy as np, pandas as pd, banghdai as bd
    >>> from banghdai.explain import unmatched_reasons
    >>> p = bd.Problem(pd.DataFrame({"mentor_id": ["M"], "county": ["A"]}),
    ...                pd.DataFrame({"mentee_id": ["E"], "county": ["B"]}))
    >>> c = p.require(bd.SameRegion("county")).compile()
    >>> unmatched_reasons(c, np.zeros(0, bool), "zh")["reason"].iloc[0]
    '没有候选导师：经“同县区”规则筛选后无人符合'
    """
    _check_lang(lang)
    words = _REASONS[lang]
    n_e, n_m = compiled.n_mentees, compiled.n_mentors
    chosen = np.asarray(chosen, dtype=bool)
    em, ee = compiled.edge_mentor, compiled.edge_mentee
    got = np.bincount(ee[chosen], minlength=n_e)
    missing = np.flatnonzero(got < compiled.demand)
    if missing.size == 0:  # same columns and dtypes as a frame with rows
        return _no_unmatched("name" in compiled.mentees.frame.columns).copy()
    cand = np.bincount(ee, minlength=n_e)
    weight = _edge_load(compiled)
    load = np.bincount(em[chosen], weights=weight[chosen], minlength=n_m).astype(np.int64)
    is_missing = np.zeros(n_e, dtype=bool)
    is_missing[missing] = True
    sub = np.flatnonzero(is_missing[ee])  # only the unmatched mentees' candidate pairs matter
    blocked = np.zeros(em.size, dtype=bool)  # the mentor has no room for this pair
    blocked[sub] = load[em[sub]] + weight[sub] > compiled.cap_hi[em[sub]]
    open_sub = sub[~blocked[sub] & ~chosen[sub]]
    open_cand = np.bincount(ee[open_sub], minlength=n_e)
    counts = _funnel_counts(compiled, missing)
    last = _last_rule(compiled, missing, counts)
    c_m, g_m, o_m = cand[missing], got[missing], open_cand[missing]
    none_text = [words["none"].format(rule=_quote(r, lang)) if r else words["none_rules"]
                 for r in last]
    reasons = np.where(
        c_m == 0, np.array(none_text, dtype=object),
        np.where(c_m <= g_m, _vformat(words["paired"], c_m.size, c=c_m),
                 np.where(o_m == 0, _vformat(words["full"], c_m.size, c=c_m),
                          words["traded"]))).tolist()
    fulls = _full_mentors(compiled, chosen, blocked, load, missing, words, show)
    out = pd.DataFrame(
        {
            "mentee_id": compiled.mentees.ids[missing],
            "needed": compiled.demand[missing],
            "got": got[missing],
            "candidates": cand[missing],
            "reason": reasons,
            "funnel": _funnel_texts(compiled, missing, lang, counts),
            "full_mentors": fulls,
        }
    )
    if "name" in compiled.mentees.frame.columns:
        out.insert(1, "name", compiled.mentees.frame["name"].to_numpy()[missing])
    return out


# --------------------------------------------------------------------------- shared helpers
def copy_problem(problem: Problem) -> Problem:
    """A shallow copy whose rule lists can be changed without touching ``problem``."""
    new = copy.copy(problem)
    for key, value in vars(new).items():
        if isinstance(value, list):
            setattr(new, key, list(value))
    return new


def _stage_rules(problem: Problem) -> list:
    from ..compile.graph import stage_rules

    return stage_rules(problem)


def broken_rules(problem: Problem, m: np.ndarray, e: np.ndarray) -> list[list[str]]:
    """For each pair (mentor row ``m``, mentee row ``e``), the names of the edge rules it breaks.

    Example
    -------
    >>> import numpy as np, pandas as pd, banghdai as bd
    >>> from banghdai.explain.core import broken_rules
    >>> p = bd.Problem(pd.DataFrame({"mentor_id": ["M"], "county": ["A"]}),
    ...                pd.DataFrame({"mentee_id": ["E"], "county": ["B"]}))
    >>> broken_rules(p.require(bd.SameRegion("county")), np.array([0]), np.array([0]))
    [['same county']]
    """
    from ..compile.graph import _Context, stage_name

    m = np.asarray(m, dtype=np.int64)
    e = np.asarray(e, dtype=np.int64)
    out: list[list[str]] = [[] for _ in range(m.size)]
    if m.size == 0:
        return out
    ctx = _Context(problem.mentor_table, problem.mentee_table)
    for rule in _stage_rules(problem):
        ok = rule.mask(ctx, m, e)
        for i in np.flatnonzero(~ok).tolist():
            out[i].append(stage_name(rule))
    return out


@dataclass
class _Fixed:
    m: int
    e: int
    table: int
    row: int
    edge: int  # position among the compiled candidate edges, -1 when not a candidate
    breaks: list[str]


def _fixed_pairs(problem: Problem, compiled: Compiled) -> list[_Fixed]:
    """Every fixed pair (deduplicated), where it sits in the candidate graph, what it breaks."""
    from ..compile.graph import _pair_keys

    mentors, mentees = problem.mentor_table, problem.mentee_table
    n_m = len(mentors)
    keys = _pair_keys(compiled.edge_mentor, compiled.edge_mentee, n_m)
    out: list[_Fixed] = []
    seen: set[int] = set()
    for t, rule in enumerate(problem.fixed):
        fm, fe = pair_table(rule.table, "fixed", mentors, mentees, rule.mentor, rule.mentee)
        fk = _pair_keys(fm, fe, n_m)
        pos = np.searchsorted(keys, fk)
        for r in range(fm.size):
            k = int(fk[r])
            if k in seen:
                continue
            seen.add(k)
            p = int(pos[r])
            edge = p if p < keys.size and keys[p] == k else -1
            out.append(_Fixed(int(fm[r]), int(fe[r]), t, r, edge, []))
    bad = [f for f in out if f.edge < 0]
    if bad:
        names = broken_rules(problem, np.array([f.m for f in bad]), np.array([f.e for f in bad]))
        for f, n in zip(bad, names, strict=True):
            f.breaks = n or ["the rules"]
    return out


def _region_level(problem: Problem) -> str | None:
    """The region column conflicts are grouped by: the finest required SameRegion level."""
    levels = [r.level for r in problem.edge_rules if isinstance(r, SameRegion)]
    if levels:
        rank = {lv: i for i, lv in enumerate(REGION_LEVELS)}
        return max(levels, key=lambda lv: rank.get(lv, len(rank)))
    cols_m, cols_e = problem.mentors.columns, problem.mentees.columns
    for level in ("county", "city"):
        if level in cols_m and level in cols_e:
            return level
    return None


def _labels(frame: pd.DataFrame, column: str | None, lang: str) -> np.ndarray:
    if column is None or column not in frame.columns:
        return np.full(len(frame), "", dtype=object)
    values = frame[column].astype(object).where(frame[column].notna(), None).to_numpy(dtype=object)
    empty = f"(no {column})" if lang == "en" else f"（无{_zh_col(column)}）"
    return np.array([empty if v is None or str(v).strip() == "" else str(v).strip()
                     for v in values], dtype=object)


def _without_fixed(problem: Problem) -> Problem:
    p = copy_problem(problem)
    p.fixed = []
    return p


# --------------------------------------------------------------------------- check
_CHECK_COLUMNS = ["check", "severity", "subject", "message", "suggestion"]

_CHECK_WORDS = {
    "en": {
        "all": "all mentees",
        "cat": "category {v}",
        "capacity": ("mentors who can take {s} have {cap} place(s) for them, but those mentees "
                     "need {need} (short by {short})"),
        "capacity_fix": "add mentors or raise capacities for {s}, or loosen the rules that "
                        "limit their candidates",
        "none": "mentee {id} has no candidate mentor: none left after rule {rule} ({funnel})",
        "none_fix_region": "add a mentor in {v} or drop rule {rule}",
        "none_fix": "loosen rule {rule} or add a suitable mentor",
        "few": "mentee {id} needs {need} mentor(s) but has only {deg} candidate(s) ({funnel})",
        "few_fix": "lower its number of mentors or loosen the rules that limit its candidates",
        "fixed": "fixed pair ({m}, {e}) breaks the hard rule {rule}{detail}",
        "fixed_fix": "remove the pair from the fixed table or drop rule {rule}",
        "fixed_cap": "mentor {m} has fixed pairs using {n} of its capacity {cap}",
        "fixed_cap_fix": "raise the mentor's capacity or remove some of its fixed pairs",
        "fixed_need": "mentee {e} has {n} fixed pairs but needs only {need} mentor(s)",
        "fixed_need_fix": "remove {k} fixed pair(s) or raise its number of mentors",
        "minload": "mentor {m} must take at least {lo} mentee(s) but has {deg} candidate(s)",
        "minload_fix": "lower its min_load to {deg} or loosen the rules that limit its candidates",
        "minload_region": ("minimum loads of {s} mentors add up to {lo}, but the mentees they "
                           "can take need only {need} place(s)"),
        "minload_region_fix": "lower min_load of mentors in {s}",
        "types": ("mentee {id} needs {need} mentors of different {col} but its candidates "
                  "have only {n} ({values})"),
        "types_fix": "add a mentor of another {col} within its reach, or lower its number of "
                     "mentors",
        "quota_lo": "{label} for {name}: at least {lo} {what} required, at most {most} possible",
        "quota_lo_fix": "lower the quota minimum for {name} to {most}, or add suitable "
                        "{side}s",
        "quota_hi": "{label} for {name}: at most {hi} {what} allowed, at least {least} forced",
        "quota_hi_fix": "raise the quota maximum for {name} to {least}",
        "km": " ({km:.1f} km)",
    },
    "zh": {
        "all": "全部帮带对象",
        "cat": "类别“{v}”",
        "capacity": "能带{s}的导师只有{cap}个名额，而这些对象需要{need}个（缺{short}个）",
        "capacity_fix": "为{s}增加导师或提高帮带上限，或放宽限制其候选导师的规则",
        "none": "帮带对象{id}没有候选导师：经{rule}规则筛选后无人符合（{funnel}）",
        "none_fix_region": "在{v}增加导师，或取消{rule}规则",
        "none_fix": "放宽{rule}规则或增加合适的导师",
        "few": "帮带对象{id}需要{need}名导师，但只有{deg}名候选导师（{funnel}）",
        "few_fix": "减少其所需导师人数，或放宽限制其候选导师的规则",
        "fixed": "固定结对（{m}，{e}）违反硬性规则{rule}{detail}",
        "fixed_fix": "从固定结对表中删除该结对，或取消{rule}规则",
        "fixed_cap": "导师{m}的固定结对占用{n}个名额，超过帮带上限{cap}",
        "fixed_cap_fix": "提高该导师的帮带上限，或删除其部分固定结对",
        "fixed_need": "帮带对象{e}有{n}个固定结对，但只需{need}名导师",
        "fixed_need_fix": "删除{k}个固定结对，或增加其所需导师人数",
        "minload": "导师{m}至少要带{lo}名对象，但只有{deg}名候选对象",
        "minload_fix": "将其最少帮带人数降到{deg}，或放宽限制其候选对象的规则",
        "minload_region": "{s}导师的最少帮带人数合计{lo}，但其可带对象只需要{need}个名额",
        "minload_region_fix": "降低{s}导师的最少帮带人数",
        "types": "帮带对象{id}需要{need}名不同{col}的导师，但其候选导师只有{n}种（{values}）",
        "types_fix": "在其可及范围内增加其他{col}的导师，或减少其所需导师人数",
        "quota_lo": "{label}：{name}至少需要{lo}个{what}，最多只能有{most}个",
        "quota_lo_fix": "将{name}的配额下限降到{most}，或增加合适的人选",
        "quota_hi": "{label}：{name}最多允许{hi}个{what}，但至少会有{least}个",
        "quota_hi_fix": "将{name}的配额上限提高到{least}",
        "km": "（{km:.1f}公里）",
    },
}


def _pair_cap(compiled: Compiled) -> np.ndarray:
    """Most pairs each mentor can take within its capacity (smallest loads first)."""
    if getattr(compiled, "edge_load", None) is None:
        return compiled.cap_hi
    em, load = compiled.edge_mentor, _edge_load(compiled)
    order = np.lexsort((load, em))
    ms, ls = em[order], load[order]
    starts = np.searchsorted(ms, np.arange(compiled.n_mentors + 1))
    csum = np.cumsum(ls)
    before = np.r_[0, csum][starts[ms]]
    fits = csum - before <= compiled.cap_hi[ms]
    return np.bincount(ms[fits], minlength=compiled.n_mentors)


def _hall_short(compiled: Compiled, group_e: np.ndarray, n_groups: int):
    """Per mentee group S: demand coverable by candidates, and places mentors can give S.

    ``reach[S] = sum over mentors of min(pairs it can take, candidates in S)`` bounds
    the places S can get (Hall's condition), so ``coverable > reach`` proves a shortage.
    """
    em, ee = compiled.edge_mentor, compiled.edge_mentee
    useful = compiled.demand[ee] > 0
    em, ee = em[useful], ee[useful]
    deg_e = np.bincount(ee, minlength=compiled.n_mentees)
    coverable = np.bincount(group_e, weights=np.minimum(compiled.demand, deg_e),
                            minlength=n_groups)
    need = np.bincount(group_e, weights=compiled.demand, minlength=n_groups)
    if em.size:
        key = em * n_groups + group_e[ee]
        uk, cnt = np.unique(key, return_counts=True)
        mm = uk // n_groups
        gg = uk % n_groups
        reach = np.bincount(gg, weights=np.minimum(_pair_cap(compiled)[mm], cnt),
                            minlength=n_groups)
    else:
        reach = np.zeros(n_groups)
    return need.astype(np.int64), coverable.astype(np.int64), reach.astype(np.int64)


def _group_specs(problem: Problem) -> list:
    return list(getattr(problem, "group_rules", []) or [])


def check(problem: Problem, lang: str = "en") -> pd.DataFrame:
    """Cheap pre-solve checks (no solver), each finding with a suggestion.

    Columns: ``check`` (capacity, no_candidate, few_candidates, fixed_pair,
    fixed_capacity, fixed_demand, min_load, types, quota), ``severity``
    (``error``: the hard rules cannot all hold; ``warning``: some mentor places
    will stay unfilled), ``subject``, ``message`` and ``suggestion``. Capacity is
    compared with demand per region (county / township when present), per
    mentee category and overall, by Hall's condition on the candidate graph;
    distinct-type and role rules are checked against the types each mentee's
    candidates have, quotas against what the candidates allow.

    Example
    -------
    >>> import pandas as pd, banghdai as bd
    >>> mentors = pd.DataFrame({"mentor_id": ["M1"], "county": ["A"]})
    >>> mentees = pd.DataFrame({"mentee_id": ["E1", "E2"], "county": ["A", "B"]})
    >>> p = bd.Problem(mentors, mentees).require(bd.SameRegion("county"))
    >>> bd.check(p)[["check", "severity", "subject"]].values.tolist()
    [['no_candidate', 'warning', 'E2']]
    """
    _check_lang(lang)
    w = _CHECK_WORDS[lang]
    base = _without_fixed(problem)
    compiled = base.compile()
    severe = "error" if compiled.must_match else "warning"
    rows: list[dict[str, Any]] = []

    def add(kind: str, severity: str, subject: str, message: str, suggestion: str) -> None:
        rows.append({"check": kind, "severity": severity, "subject": subject,
                     "message": message, "suggestion": suggestion})

    n_e, n_m = compiled.n_mentees, compiled.n_mentors
    deg_e = np.bincount(compiled.edge_mentee, minlength=n_e)
    # capacity vs demand: per region, per category, overall
    frame_e = compiled.mentees.frame
    level = _region_level(problem)
    groupings: list[tuple[str | None, str]] = []
    for col in ("county", "township"):
        if col in frame_e.columns and col in compiled.mentors.frame.columns:
            groupings.append((col, "region"))
    if level is not None and level not in ("county", "township") and level in frame_e.columns:
        groupings.append((level, "region"))
    if "category" in frame_e.columns:
        groupings.append(("category", "category"))
    groupings.append((None, "all"))
    for col, what in groupings:
        labels = _labels(frame_e, col, lang)
        codes, uniques = pd.factorize(pd.Series(labels, dtype=object))
        need, coverable, reach = _hall_short(compiled, codes.astype(np.int64), len(uniques))
        for g in np.flatnonzero(coverable > reach).tolist():
            subject = (w["all"] if what == "all" else
                       w["cat"].format(v=uniques[g]) if what == "category" else str(uniques[g]))
            short = int(coverable[g] - reach[g])
            add("capacity", severe, subject,
                w["capacity"].format(s=subject, cap=int(reach[g]), need=int(coverable[g]),
                                     short=short),
                w["capacity_fix"].format(s=subject))
    # mentees with no or too few candidates
    region_e = _labels(frame_e, level, lang)
    short_e = np.flatnonzero(deg_e < compiled.demand)
    last = _last_rule(compiled, short_e)
    funnels = _funnel_texts(compiled, short_e, lang)
    for k, i in enumerate(short_e.tolist()):
        ident = str(compiled.mentees.ids[i])
        if deg_e[i] == 0:
            rule = last[k] or "the rules"
            q = _quote(rule, lang)
            fix = (w["none_fix_region"].format(v=region_e[i], rule=q)
                   if _is_region_rule(problem, rule) else w["none_fix"].format(rule=q))
            add("no_candidate", severe, ident,
                w["none"].format(id=ident, rule=q, funnel=funnels[k]), fix)
        else:
            add("few_candidates", severe, ident,
                w["few"].format(id=ident, need=int(compiled.demand[i]), deg=int(deg_e[i]),
                                funnel=funnels[k]), w["few_fix"])
    # fixed pairs
    fixed = _fixed_pairs(problem, compiled)
    for f in fixed:
        if f.edge >= 0:
            continue
        m_id, e_id = str(compiled.mentors.ids[f.m]), str(compiled.mentees.ids[f.e])
        for rule in f.breaks:
            add("fixed_pair", "error", f"({m_id}, {e_id})",
                w["fixed"].format(m=m_id, e=e_id, rule=_quote(rule, lang),
                                  detail=_pair_detail(problem, f.m, f.e, rule, lang)),
                w["fixed_fix"].format(rule=_quote(rule, lang)))
    if fixed:
        weight = _edge_load(compiled)
        fm = np.array([f.m for f in fixed])
        fe = np.array([f.e for f in fixed])
        fw = np.array([weight[f.edge] if f.edge >= 0 else 1 for f in fixed])
        per_m = np.bincount(fm, weights=fw, minlength=n_m).astype(np.int64)
        for i in np.flatnonzero(per_m > compiled.cap_hi).tolist():
            ident = str(compiled.mentors.ids[i])
            add("fixed_capacity", "error", ident,
                w["fixed_cap"].format(m=ident, n=int(per_m[i]), cap=int(compiled.cap_hi[i])),
                w["fixed_cap_fix"])
        per_e = np.bincount(fe, minlength=n_e)
        for i in np.flatnonzero(per_e > compiled.demand).tolist():
            ident = str(compiled.mentees.ids[i])
            add("fixed_demand", "error", ident,
                w["fixed_need"].format(e=ident, n=int(per_e[i]), need=int(compiled.demand[i])),
                w["fixed_need_fix"].format(k=int(per_e[i] - compiled.demand[i])))
    # minimum loads
    if compiled.cap_lo.any():
        useful = compiled.demand[compiled.edge_mentee] > 0
        deg_m = np.bincount(compiled.edge_mentor[useful], minlength=n_m)
        for i in np.flatnonzero(deg_m < compiled.cap_lo).tolist():
            ident = str(compiled.mentors.ids[i])
            add("min_load", "error", ident,
                w["minload"].format(m=ident, lo=int(compiled.cap_lo[i]), deg=int(deg_m[i])),
                w["minload_fix"].format(deg=int(deg_m[i])))
        labels_m = _labels(compiled.mentors.frame, level, lang)
        codes, uniques = pd.factorize(pd.Series(labels_m, dtype=object))
        em, ee = compiled.edge_mentor[useful], compiled.edge_mentee[useful]
        for g in range(len(uniques)):
            members = codes == g
            lo = int(compiled.cap_lo[members].sum())
            if lo == 0:
                continue
            reach_e = np.unique(ee[members[em]])
            need = int(compiled.demand[reach_e].sum())
            if lo > need:
                s = str(uniques[g]) if level else w["all"]
                add("min_load", "error", s, w["minload_region"].format(s=s, lo=lo, need=need),
                    w["minload_region_fix"].format(s=s))
    _check_groups(problem, compiled, lang, add)
    return pd.DataFrame(rows, columns=_CHECK_COLUMNS)


def _check_groups(problem: Problem, compiled: Compiled, lang: str, add) -> None:
    """Counting checks for distinct types, role templates and quotas."""
    from ..core.ids import value_keys
    from ..model.groups import DistinctTypes, Quota, RoleTemplate

    w = _CHECK_WORDS[lang]
    severe = "error" if compiled.must_match else "warning"
    em, ee = compiled.edge_mentor, compiled.edge_mentee
    n_m, n_e = compiled.n_mentors, compiled.n_mentees
    deg_e = np.bincount(ee, minlength=n_e)
    deg_m = np.bincount(em, minlength=n_m)
    for spec in _group_specs(problem):
        if isinstance(spec, DistinctTypes | RoleTemplate) and (
                isinstance(spec, RoleTemplate) or spec.per == "mentee"):
            kinds = value_keys(compiled.mentors.frame[spec.column])
            codes, uniques = pd.factorize(pd.Series(kinds, dtype=object))
            ok = codes[em] >= 0
            pairs = np.unique(ee[ok] * max(len(uniques), 1) + codes[em[ok]])
            owner = pairs // max(len(uniques), 1)
            n_types = np.bincount(owner, minlength=n_e)
            untyped = np.bincount(ee[~ok], minlength=n_e)  # mentors without a type: any number
            short = np.flatnonzero((n_types + untyped < compiled.demand) & (deg_e >= compiled.demand))
            col = spec.column if lang == "en" else _zh_col(spec.column)
            for i in short.tolist():
                values = sorted(str(uniques[c]) for c in (pairs[owner == i] % max(len(uniques), 1)))
                ident = str(compiled.mentees.ids[i])
                add("types", severe, ident,
                    w["types"].format(id=ident, need=int(compiled.demand[i]), col=col,
                                      n=len(values), values=("、" if lang == "zh" else ", ").join(
                                          values) or "-"),
                    w["types_fix"].format(col=col))
        elif isinstance(spec, Quota):
            table = compiled.mentors if spec.side == "mentor" else compiled.mentees
            keys = value_keys(table.frame[spec.column])
            names = sorted({str(v) for v in keys if v is not None})
            from ..model.groups import quota_bounds

            lo_b, hi_b = quota_bounds(spec.min, names), quota_bounds(spec.max, names)
            what = {"pairs": "pairs", "mentees": "served mentees", "mentors": "used mentors"}[
                spec.count] if lang == "en" else {"pairs": "结对", "mentees": "满额对象",
                                                  "mentors": "在用导师"}[spec.count]
            for name, lo, hi in zip(names, lo_b, hi_b, strict=True):
                if lo is None and hi is None:
                    continue
                rows_g = np.flatnonzero(keys == name)
                if spec.count == "pairs" and spec.side == "mentor":
                    most = int(np.minimum(_pair_cap(compiled)[rows_g], deg_m[rows_g]).sum())
                    least = int(compiled.cap_lo[rows_g].sum())
                elif spec.count == "pairs":
                    most = int(np.minimum(compiled.demand[rows_g], deg_e[rows_g]).sum())
                    least = int(compiled.demand[rows_g].sum()) if compiled.must_match else 0
                elif spec.count == "mentees":
                    need = compiled.demand[rows_g]
                    most = int(((deg_e[rows_g] >= need) & (need > 0)).sum())
                    least = int((need > 0).sum()) if compiled.must_match else 0
                else:
                    most = int(((deg_m[rows_g] > 0) & (compiled.cap_hi[rows_g] > 0)).sum())
                    least = int((compiled.cap_lo[rows_g] > 0).sum())
                label = spec.label
                subject = f"{spec.column}={name}"
                if lo is not None and lo > most:
                    add("quota", "error", subject,
                        w["quota_lo"].format(label=label, name=subject, lo=lo, most=most,
                                             what=what),
                        w["quota_lo_fix"].format(name=subject, most=most, side=spec.side))
                if hi is not None and hi < least:
                    add("quota", "error", subject,
                        w["quota_hi"].format(label=label, name=subject, hi=hi, least=least,
                                             what=what),
                        w["quota_hi_fix"].format(name=subject, least=least))


def _pair_detail(problem: Problem, m: int, e: int, rule: str, lang: str) -> str:
    """A measured value for the rule a pair breaks (distance, strength gap), or ''.

    ``rule`` is the broken rule's funnel label; the rule object it names says
    which values it compares (:meth:`~banghdai.model.rule.Rule.compared`).
    """
    from ..compile.graph import stage_name

    obj = next((r for r in _stage_rules(problem) if stage_name(r) == rule), None)
    if obj is None:
        return ""
    try:
        values = obj.compared(problem.mentors.iloc[m], problem.mentees.iloc[e])
    except (KeyError, TypeError, ValueError):  # pragma: no cover - odd cells: no detail
        return ""
    if values is None:
        return ""
    if values[0] == "km":
        km = float(values[1])
        return _CHECK_WORDS[lang]["km"].format(km=km) if np.isfinite(km) else ""
    a, b = values
    fa = f"{a:g}" if isinstance(a, int | float | np.number) else str(a)
    fb = f"{b:g}" if isinstance(b, int | float | np.number) else str(b)
    return f" ({fa} vs {fb})" if lang == "en" else f"（{fa}对{fb}）"


def _is_region_rule(problem: Problem, label: str) -> bool:
    """True when the funnel label names a same-region rule."""
    from ..compile.graph import stage_name

    return any(isinstance(r, SameRegion) and stage_name(r) == label
               for r in problem.edge_rules)


# --------------------------------------------------------------------------- conflicts
@dataclass
class _Group:
    kind: str  # capacity/mentor_cap, must/mentee, at_most, min_load/mentor, fixed, rule, group
    subject: str
    post: Callable[[Any, list, Any], None]  # adds the constraints, enforced by a literal
    data: dict[str, Any] = field(default_factory=dict)
    parent: int | None = None  # a region group this single mentor / mentee refines


#: Which group of a conflict to switch off when looking for further conflicts (most specific).
_SPECIFIC = ("mentee", "mentor", "mentor_cap", "fixed", "group", "min_load", "must", "at_most",
             "capacity", "rule")


def _sum(x: list, edges: np.ndarray, weights: np.ndarray | None = None):
    from ortools.sat.python import cp_model

    if weights is None:
        return cp_model.LinearExpr.sum([x[j] for j in edges.tolist()])
    return cp_model.LinearExpr.weighted_sum([x[j] for j in edges.tolist()],
                                            weights[edges].tolist())


def _by(index: np.ndarray, n: int) -> list[np.ndarray]:
    order = np.argsort(index, kind="stable")
    bounds = np.searchsorted(index[order], np.arange(n + 1))
    return [order[bounds[i]:bounds[i + 1]] for i in range(n)]


@dataclass
class _Diag:
    """The diagnostic model's data: candidate edges plus fixed pairs that break rules."""

    problem: Problem
    compiled: Compiled
    em: np.ndarray
    ee: np.ndarray
    weight: np.ndarray | None  # capacity units per edge (None: one each)
    fixed: list[_Fixed]
    fixed_edge: list[int]
    level: str | None
    lang: str
    groups: list[_Group] = field(default_factory=list)


def _diagnostic(problem: Problem, lang: str) -> _Diag:
    base = _without_fixed(problem)
    compiled = base.compile()
    fixed = _fixed_pairs(problem, compiled)
    n_in = compiled.n_edges
    out = [f for f in fixed if f.edge < 0]
    em = np.concatenate([compiled.edge_mentor, np.array([f.m for f in out], dtype=np.int64)])
    ee = np.concatenate([compiled.edge_mentee, np.array([f.e for f in out], dtype=np.int64)])
    weight = None
    if getattr(compiled, "edge_load", None) is not None:
        weight = np.concatenate([_edge_load(compiled), np.ones(len(out), dtype=np.int64)])
    fixed_edge, k = [], n_in
    for f in fixed:
        if f.edge >= 0:
            fixed_edge.append(f.edge)
        else:
            fixed_edge.append(k)
            k += 1
    diag = _Diag(problem, compiled, em, ee, weight, fixed, fixed_edge, _region_level(problem),
                 lang)
    _make_groups(diag)
    return diag


def _make_groups(d: _Diag) -> None:
    c, lang, wt = d.compiled, d.lang, d.weight
    n_m, n_e = c.n_mentors, c.n_mentees
    by_m, by_e = _by(d.em, n_m), _by(d.ee, n_e)
    deg_e = np.array([g.size for g in by_e], dtype=np.int64)
    use_m = np.array([g.size if wt is None else int(wt[g].sum()) for g in by_m], dtype=np.int64)
    reg_m = _labels(c.mentors.frame, d.level, lang)
    reg_e = _labels(c.mentees.frame, d.level, lang)
    groups = d.groups

    def with_children(parent: _Group, kind: str, rows: np.ndarray, table, one, data) -> None:
        groups.append(parent)
        k = len(groups) - 1
        for i in rows.tolist():
            groups.append(_Group(kind, str(table.ids[i]), lambda model, x, lit, i=i:
                                 one(model, x, lit, i), data(i), parent=k))

    # mentor capacity, per region (and per mentor, to drill down)
    def cap_one(model, x, lit, i):
        model.add(_sum(x, by_m[i], wt) <= int(c.cap_hi[i])).only_enforce_if(lit)

    pair_cap = _pair_cap(c)
    deg_m = np.array([g.size for g in by_m], dtype=np.int64)
    for r in pd.unique(reg_m):
        rows = np.flatnonzero((reg_m == r) & (use_m > c.cap_hi))
        if rows.size == 0:
            continue

        def post(model, x, lit, rows=rows):
            for i in rows.tolist():
                cap_one(model, x, lit, i)

        members = np.flatnonzero(reg_m == r)
        cap = int(np.minimum(pair_cap[members], deg_m[members]).sum())
        with_children(_Group("capacity", r, post, {"cap": cap}), "mentor_cap", rows,
                      c.mentors, cap_one, lambda i: {"cap": int(c.cap_hi[i]), "row": i})

    # mentees: single groups for those short of candidates, else per region
    def must_one(model, x, lit, i):
        model.add(_sum(x, by_e[i]) == int(c.demand[i])).only_enforce_if(lit)

    def most_one(model, x, lit, i):
        model.add(_sum(x, by_e[i]) <= int(c.demand[i])).only_enforce_if(lit)

    def mentee_data(i):
        rule = _last_rule(c, np.array([i]))[0] if deg_e[i] == 0 else None
        return {"row": i, "need": int(c.demand[i]), "deg": int(deg_e[i]), "rule": rule}

    short = deg_e < c.demand
    if c.must_match:
        for i in np.flatnonzero(short & (c.demand > 0)).tolist():
            groups.append(_Group("mentee", str(c.mentees.ids[i]),
                                 lambda model, x, lit, i=i: must_one(model, x, lit, i),
                                 mentee_data(i)))
    for r in pd.unique(reg_e):
        members = np.flatnonzero(reg_e == r)
        if c.must_match:
            rows = members[~short[members] & (c.demand[members] > 0)]
            one, kind = must_one, "must"
            data = {"need": int(c.demand[rows].sum())}
        else:
            rows = members[deg_e[members] > c.demand[members]]
            one, kind = most_one, "at_most"
            data = {}
        if rows.size == 0:
            continue

        def post(model, x, lit, rows=rows, one=one):
            for i in rows.tolist():
                one(model, x, lit, i)

        with_children(_Group(kind, r, post, data), "mentee", rows, c.mentees, one, mentee_data)

    # minimum loads: single mentors short of candidates, else per region
    def lo_one(model, x, lit, i):
        model.add(_sum(x, by_m[i], wt) >= int(c.cap_lo[i])).only_enforce_if(lit)

    lo_rows = np.flatnonzero(c.cap_lo > 0)
    if lo_rows.size:
        for i in lo_rows[use_m[lo_rows] < c.cap_lo[lo_rows]].tolist():
            groups.append(_Group("mentor", str(c.mentors.ids[i]),
                                 lambda model, x, lit, i=i: lo_one(model, x, lit, i),
                                 {"row": i, "lo": int(c.cap_lo[i]), "deg": int(deg_m[i])}))
        ok = lo_rows[use_m[lo_rows] >= c.cap_lo[lo_rows]]
        for r in pd.unique(reg_m[ok]):
            rows = ok[reg_m[ok] == r]

            def post(model, x, lit, rows=rows):
                for i in rows.tolist():
                    lo_one(model, x, lit, i)

            with_children(_Group("min_load", r, post, {"lo": int(c.cap_lo[rows].sum())}),
                          "mentor", rows, c.mentors, lo_one,
                          lambda i: {"row": i, "lo": int(c.cap_lo[i]), "deg": int(deg_m[i])})

    # fixed pairs, and the edge rules that forbid some of them
    breakers: dict[str, list[int]] = {}
    for f, j in zip(d.fixed, d.fixed_edge, strict=True):

        def post(model, x, lit, j=j):
            model.add(x[j] == 1).only_enforce_if(lit)

        subject = f"({c.mentors.ids[f.m]}, {c.mentees.ids[f.e]})"
        groups.append(_Group("fixed", subject, post, {"m": f.m, "e": f.e, "edge": j,
                                                      "breaks": f.breaks}))
        for rule in f.breaks:
            breakers.setdefault(rule, []).append(j)
    for rule, edges in breakers.items():

        def post(model, x, lit, edges=edges):
            for j in edges:
                model.add(x[j] == 0).only_enforce_if(lit)

        groups.append(_Group("rule", rule, post, {"edges": edges}))

    # group rules: each named part behind its own literal
    for rule in c.group_rules:
        parts = getattr(rule, "parts", None)
        if not callable(parts):
            continue
        label = getattr(rule, "label", type(rule).__name__)
        for index, (name, fn) in enumerate(parts(c)):

            def post(model, x, lit, fn=fn):
                fn(model, x[: c.n_edges], lit)

            groups.append(_Group("group", str(name), post,
                                 {"rule": rule, "label": label, "index": index}))


def _describe(d: _Diag, g: _Group) -> tuple[str, str]:
    """(description, suggestion) of one rule group in planner words."""
    lang, level = d.lang, d.level
    en = lang == "en"
    where = g.subject if level else ("all" if en else "全部")
    if g.kind == "capacity":
        return ((f"capacity of {where} mentors ({g.data['cap']})" if en
                 else f"{where}导师的帮带容量（{g.data['cap']}）"),
                (f"add mentors or raise capacities in {where}" if en
                 else f"在{where}增加导师或提高帮带上限"))
    if g.kind == "mentor_cap":
        name = _named(d.compiled.mentors, g.data["row"])
        return ((f"capacity of mentor {name} ({g.data['cap']})" if en
                 else f"导师{name}的帮带上限（{g.data['cap']}）"),
                (f"raise the capacity of mentor {name}" if en else f"提高导师{name}的帮带上限"))
    if g.kind == "must":
        return ((f"mentees that must be matched in {where} ({g.data['need']} mentor places)"
                 if en else f"{where}必须结对的帮带对象（需{g.data['need']}个导师名额）"),
                (f"allow some mentees in {where} to stay unmatched (unmatched='allow')" if en
                 else f"允许{where}部分帮带对象暂不结对（unmatched='allow'）"))
    if g.kind == "at_most":
        return ((f"each mentee in {where} gets at most its number of mentors" if en
                 else f"{where}帮带对象的导师人数上限"),
                ("raise the number of mentors these mentees take" if en
                 else "提高这些帮带对象的导师人数"))
    if g.kind == "mentee":
        rule = g.data["rule"]
        after = ""
        if g.data["deg"] == 0 and rule:
            after = (f": none left after rule {_quote(rule, lang)}" if en
                     else f"：经{_quote(rule, lang)}规则筛选后无人符合")
        must = d.compiled.must_match
        if en:
            desc = (f"mentee {g.subject} must get {g.data['need']} mentor(s)" if must else
                    f"mentee {g.subject} gets at most {g.data['need']} mentor(s)")
            desc += f" and has {g.data['deg']} candidate(s){after}"
        else:
            desc = (f"帮带对象{g.subject}须配{g.data['need']}名导师" if must else
                    f"帮带对象{g.subject}最多配{g.data['need']}名导师")
            desc += f"，有{g.data['deg']}名候选导师{after}"
        if rule:
            fix = (f"loosen rule {_quote(rule, lang)} for this mentee or add a suitable mentor"
                   if en else f"放宽{_quote(rule, lang)}规则或增加合适的导师")
        else:
            fix = ("add a suitable mentor or let this mentee stay unmatched" if en
                   else "增加合适的导师或允许其暂不结对")
        return desc, fix
    if g.kind == "mentor":
        name = _named(d.compiled.mentors, g.data["row"])
        return ((f"mentor {name} must take at least {g.data['lo']} mentee(s) and has "
                 f"{g.data['deg']} candidate(s)" if en else
                 f"导师{name}至少要带{g.data['lo']}名对象，有{g.data['deg']}名候选对象"),
                (f"lower the min_load of mentor {name}" if en else f"降低导师{name}的最少帮带人数"))
    if g.kind == "min_load":
        return ((f"minimum loads of {where} mentors ({g.data['lo']})" if en
                 else f"{where}导师的最少帮带人数（{g.data['lo']}）"),
                (f"lower min_load of mentors in {where}" if en else f"降低{where}导师的最少帮带人数"))
    if g.kind == "fixed":
        return ((f"fixed pair {g.subject}" if en else f"固定结对{g.subject}"),
                ("remove the pair from the fixed table" if en else "从固定结对表中删除该结对"))
    if g.kind == "rule":
        return ((f"rule {_quote(g.subject, lang)}" if en else f"规则{_quote(g.subject, lang)}"),
                (f"loosen rule {_quote(g.subject, lang)} or remove the fixed pairs that break it"
                 if en else f"放宽{_quote(g.subject, lang)}规则，或删除违反它的固定结对"))
    label = g.data.get("label", "")
    text = g.subject if g.subject != label else ""
    return ((f"{label}: {text}" if en else f"{label}：{text}") if text else label,
            (f"soften {label}" if en else f"放宽{label}"))


def _sentence(d: _Diag, core: list[_Group]) -> str:
    """One sentence for a conflict, in planner terms."""
    en = d.lang == "en"
    kinds = sorted(g.kind for g in core)
    if kinds == ["capacity", "must"] and core[0].subject == core[1].subject:
        cap = next(g for g in core if g.kind == "capacity").data["cap"]
        need = next(g for g in core if g.kind == "must").data["need"]
        where = core[0].subject if d.level else ("all" if en else "全部")
        if cap < need:
            return (f"capacity of {where} mentors ({cap}) < mentor places that mentees who must "
                    f"be matched there need ({need})" if en else
                    f"{where}导师的帮带容量（{cap}）< 当地必须结对的帮带对象所需导师名额（{need}）")
        return (f"the {cap} places of {where} mentors cannot serve every mentee that must be "
                f"matched there ({need} places needed): some mentees share too few candidate "
                f"mentors" if en else
                f"{where}导师的{cap}个名额无法覆盖当地所有必须结对的帮带对象（需{need}个）："
                f"部分对象的候选导师过少")
    if len(core) == 1:
        return _describe(d, core[0])[0]
    if kinds == ["fixed", "rule"]:
        f = next(g for g in core if g.kind == "fixed")
        rule = next(g for g in core if g.kind == "rule").subject
        detail = _pair_detail(d.problem, f.data["m"], f.data["e"], rule, d.lang)
        return (f"fixed pair {f.subject} breaks rule {_quote(rule, d.lang)}{detail}" if en
                else f"固定结对{f.subject}违反规则{_quote(rule, d.lang)}{detail}")
    parts = [_describe(d, g)[0] for g in core]
    return ("these rules cannot all hold: " + "; ".join(parts) if en
            else "以下规则无法同时满足：" + "；".join(parts))


def _solver(time_limit: float, seed: int):
    from ortools.sat.python import cp_model

    solver = cp_model.CpSolver()
    p = solver.parameters
    p.num_workers = 1
    p.cp_model_presolve = False
    p.linearization_level = 2  # enforced (assumption) constraints enter the LP too ...
    p.add_lp_constraints_lazily = False  # ... from the start: Hall-type shortages at the root
    p.random_seed = int(seed)
    p.max_time_in_seconds = max(float(time_limit), 0.01)
    return solver


#: Drill a region group of a conflict down to single mentors / mentees when at most this
#: many of them are involved (more reads better as the region).
_DRILL_MAX = 3


def _find_conflicts(d: _Diag, time_limit: float, seed: int, max_conflicts: int):
    """Conflicting sets of groups (indices), each shrunk by deletion.

    Returns ``(conflicts, feasible, minimal)``: ``feasible`` is True when all groups
    hold together, False when proven not, None when time ran out first; ``minimal``
    says every deletion test was answered.
    """
    from ortools.sat.python import cp_model

    start = time.perf_counter()
    model = cp_model.CpModel()
    x = [model.new_bool_var("") for _ in range(d.em.size)]
    lits = []
    for k, g in enumerate(d.groups):
        lit = model.new_bool_var(f"g{k}")
        g.post(model, x, lit)
        lits.append(lit)
    index = {lit.index: k for k, lit in enumerate(lits)}
    children: dict[int, list[int]] = {}
    for k, g in enumerate(d.groups):
        if g.parent is not None:
            children.setdefault(g.parent, []).append(k)
    minimal = True

    def left() -> float:
        return time_limit - (time.perf_counter() - start)

    def run(active: list[int]) -> tuple[str, list[int]]:
        model.clear_assumptions()
        model.add_assumptions([lits[k] for k in active])
        solver = _solver(left(), seed)
        code = solver.solve(model)
        if code == cp_model.INFEASIBLE:
            core = [index[i] for i in solver.sufficient_assumptions_for_infeasibility()
                    if i in index]
            return "infeasible", core or list(active)
        if code in (cp_model.FEASIBLE, cp_model.OPTIMAL):
            return "feasible", []
        return "unknown", []

    def shrink(core: list[int], candidates: set[int]) -> list[int]:
        nonlocal minimal
        i = 0
        while i < len(core):
            if core[i] not in candidates:
                i += 1
                continue
            if left() <= 0:
                minimal = False
                break
            trial = core[:i] + core[i + 1:]
            state, sub = run(trial)
            if state == "infeasible":
                inner = set(sub)
                core = [k for k in trial if k in inner]
            else:
                minimal = minimal and state == "feasible"
                i += 1
        return core

    def drill(core: list[int]) -> list[int]:
        for k in [k for k in core if k in children]:
            if left() <= 0:
                break
            rest = [q for q in core if q != k]
            state, sub = run(rest + children[k])
            kids = [q for q in sub if q in set(children[k])]
            if state != "infeasible" or len(kids) > 4 * _DRILL_MAX:
                continue
            inner = set(sub)
            trial = [q for q in rest if q in inner] + kids
            trial = shrink(trial, set(kids))
            n_kids = sum(q in set(children[k]) for q in trial)
            if n_kids <= _DRILL_MAX and n_kids < len(children[k]):
                core = trial
        return core

    active = [k for k, g in enumerate(d.groups) if g.parent is None]
    conflicts: list[list[int]] = []
    state, core = run(active)
    feasible: bool | None = {"feasible": True, "infeasible": False}.get(state)
    while state == "infeasible" and len(conflicts) < max_conflicts:
        keep = set(core)
        core = [k for k in active if k in keep]
        core = drill(shrink(core, set(core)))
        conflicts.append(core)
        if left() <= 0:
            break
        drop = min(core, key=lambda k: _SPECIFIC.index(d.groups[k].kind)
                   if d.groups[k].kind in _SPECIFIC else len(_SPECIFIC))
        parent = d.groups[drop].parent
        if parent is not None and parent in active:
            active = [k for k in active if k != parent] + children[parent]
        active = [k for k in active if k != drop]
        state, core = run(active)
        if state == "unknown":
            minimal = False
    return conflicts, feasible, minimal


# --------------------------------------------------------------------------- relaxation
RELAX_KINDS = ("unmatched", "capacity", "min_load", "fixed", "group")
_RELAX_COST = {"unmatched": 1, "capacity": 1, "min_load": 1, "fixed": 1, "group": 2}


def _relax_costs(relax: Mapping[str, float | None]) -> dict[str, int | None]:
    costs: dict[str, int | None] = {k: v * 1000 for k, v in _RELAX_COST.items()}
    for key, value in relax.items():
        if key not in RELAX_KINDS:
            raise InputError(f"unknown relaxation {key!r}", column="relax", choices=RELAX_KINDS)
        if value is None:
            costs[key] = None
        elif isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            raise InputError(f"relaxation cost must be a number >= 0 or None, got {value!r}",
                             column="relax")
        else:
            costs[key] = int(round(value * 1000))
    return costs


def _coverage_bonus(c: Compiled) -> int:
    """Reward per pair that makes coverage come before score (also when all must match)."""
    if not c.must_match:
        return int(c.slot_penalty)
    slots = int(c.demand.sum())
    return 2 * max(slots, 1) * int(np.abs(c.edge_value).max(initial=0)) + 1


def _relax_flow(d: _Diag, costs: dict[str, int | None]):
    """The cheapest relaxation of a pure problem as one exact min-cost flow, or None.

    Elastic arcs: extra capacity (source → mentor), unmatched places (source →
    mentee), and a reward for keeping each fixed pair; each relaxation unit costs
    ``BIG`` times its unit cost, with ``BIG`` above any difference of the problem's
    own objective, so relaxation cost comes first and the objective second.
    Returns None when the problem is not pure (group rules, loads, minimum loads,
    a kind that may not be relaxed) or the numbers would not fit in 64 bits.
    """
    from math import gcd

    from ortools.graph.python import min_cost_flow

    c = d.compiled
    if (c.group_rules or d.weight is not None or c.cap_lo.any() or costs["fixed"] is None
            or costs["capacity"] is None or (c.must_match and costs["unmatched"] is None)):
        return None
    n_m, n_e, n_in = c.n_mentors, c.n_mentees, c.n_edges
    lam = [v for v in (costs["capacity"], costs["unmatched"], costs["fixed"]) if v]
    g = 0
    for v in lam:
        g = gcd(g, int(v))
    g = max(g, 1)
    lam_cap, lam_un, lam_fix = (int(v or 0) // g for v in (costs["capacity"], costs["unmatched"],
                                                           costs["fixed"]))
    slots = int(c.demand.sum())
    value = (c.edge_value + _coverage_bonus(c)).astype(np.int64)
    big = 2 * max(slots, 1) * (int(np.abs(value).max(initial=0)) + 1) + 1
    top = max(lam_cap, lam_un, lam_fix, 1) * big * (len(d.fixed) + 1)
    if top * (n_m + n_e + 3) >= 2**62:
        return None
    fixed_edges = np.array([f.edge for f in d.fixed if f.edge >= 0], dtype=np.int64)
    reward = np.zeros(n_in, dtype=np.int64)
    reward[fixed_edges] = lam_fix * big
    deg_m = np.bincount(c.edge_mentor, minlength=n_m)
    source, sink = 0, n_m + n_e + 1
    mnode = 1 + np.arange(n_m, dtype=np.int64)
    enode = 1 + n_m + np.arange(n_e, dtype=np.int64)
    extra = np.maximum(deg_m - c.cap_hi, 0)
    has_extra = extra > 0
    tails = [np.full(n_m, source), np.full(int(has_extra.sum()), source),
             mnode[c.edge_mentor], enode]
    heads = [mnode, mnode[has_extra], enode[c.edge_mentee], np.full(n_e, sink)]
    caps = [c.cap_hi, extra[has_extra], np.ones(n_in, dtype=np.int64), c.demand]
    unit = [np.zeros(n_m, dtype=np.int64), np.full(int(has_extra.sum()), lam_cap * big),
            -(value + reward), np.zeros(n_e, dtype=np.int64)]
    if c.must_match:
        tails.append(np.full(n_e, source))
        heads.append(enode)
        caps.append(c.demand)
        unit.append(np.full(n_e, lam_un * big))
    else:
        tails.append(np.array([source]))
        heads.append(np.array([sink]))
        caps.append(np.array([slots]))
        unit.append(np.array([0]))
    smcf = min_cost_flow.SimpleMinCostFlow()
    smcf.add_arcs_with_capacity_and_unit_cost(
        np.concatenate(tails).astype(np.int64), np.concatenate(heads).astype(np.int64),
        np.concatenate(caps).astype(np.int64), np.concatenate(unit).astype(np.int64))
    supplies = np.zeros(n_m + n_e + 2, dtype=np.int64)
    supplies[source], supplies[sink] = slots, -slots
    smcf.set_nodes_supplies(np.arange(supplies.size, dtype=np.int64), supplies)
    if smcf.solve() != smcf.OPTIMAL:
        return "infeasible", {}
    first = n_m + int(has_extra.sum())
    flows = smcf.flows(np.arange(first, first + n_in, dtype=np.int64))
    chosen = np.asarray(flows) > 0
    load = np.bincount(c.edge_mentor[chosen], minlength=n_m)
    got = np.bincount(c.edge_mentee[chosen], minlength=n_e)
    kept = set(np.flatnonzero(chosen).tolist())
    slacks = {
        "capacity": np.maximum(load - c.cap_hi, 0),
        "min_load": np.zeros(n_m, dtype=np.int64),
        "unmatched": (c.demand - got) if c.must_match else np.zeros(n_e, dtype=np.int64),
        "fixed": np.array([f.edge < 0 or f.edge not in kept for f in d.fixed], dtype=bool),
        "group": [],
    }
    return "optimal", slacks


def _relax(d: _Diag, costs: dict[str, int | None], time_limit: float, seed: int):
    """Cheapest relaxation: slack per mentor / mentee / fixed pair / group part (CP-SAT).

    First the total relaxation cost is minimised, then, at that cost, coverage
    and then the problem's own objective are maximised.
    Returns ``(state, slacks)``: ``capacity`` / ``min_load`` per mentor,
    ``unmatched`` per mentee, ``fixed`` per fixed pair (dropped or not), and
    ``group``: ``(group, dropped, lower slack, upper slack)`` per group part.
    """
    from ortools.sat.python import cp_model

    from ..solvers.base import SolveParams
    from ..solvers.cpsat import apply_params

    c = d.compiled
    n_m, n_e, n_in = c.n_mentors, c.n_mentees, c.n_edges
    em, ee = c.edge_mentor, c.edge_mentee
    wt = None if d.weight is None else d.weight[:n_in]
    by_m, by_e = _by(em, n_m), _by(ee, n_e)
    model = cp_model.CpModel()
    x = [model.new_bool_var("") for _ in range(n_in)]
    terms: list[tuple[Any, int]] = []
    s_cap: dict[int, Any] = {}
    s_lo: dict[int, Any] = {}
    u: dict[int, Any] = {}
    for i in range(n_m):
        edges, hi, lo = by_m[i], int(c.cap_hi[i]), int(c.cap_lo[i])
        use = int(edges.size if wt is None else wt[edges].sum())
        if use > hi:
            if costs["capacity"] is not None:
                s_cap[i] = model.new_int_var(0, use - hi, "")
                model.add(_sum(x, edges, wt) <= hi + s_cap[i])
                terms.append((s_cap[i], costs["capacity"]))
            else:
                model.add(_sum(x, edges, wt) <= hi)
        if lo > 0:
            if costs["min_load"] is not None:
                s_lo[i] = model.new_int_var(0, lo, "")
                model.add(_sum(x, edges, wt) + s_lo[i] >= lo)
                terms.append((s_lo[i], costs["min_load"]))
            else:
                model.add(_sum(x, edges, wt) >= lo)
    for i in range(n_e):
        edges, k = by_e[i], int(c.demand[i])
        if c.must_match and k > 0:
            if costs["unmatched"] is not None:
                u[i] = model.new_int_var(0, k, "")
                model.add(_sum(x, edges) + u[i] == k)
                terms.append((u[i], costs["unmatched"]))
            else:
                model.add(_sum(x, edges) == k)
        elif edges.size > k:
            model.add(_sum(x, edges) <= k)
    drops: list[Any] = []
    for f in d.fixed:
        if f.edge < 0:
            drops.append(True)  # breaks an edge rule: always dropped
        elif costs["fixed"] is not None:
            dvar = model.new_bool_var("")
            model.add(x[f.edge] + dvar >= 1)
            terms.append((dvar, costs["fixed"]))
            drops.append(dvar)
        else:
            model.add(x[f.edge] == 1)
            drops.append(False)
    parts: list[tuple[_Group, Any, Any, Any]] = []
    for g in d.groups:
        if g.kind != "group":
            continue
        if costs["group"] is None:
            g.post(model, x, None)
            continue
        rule, i = g.data["rule"], g.data["index"]
        quota = getattr(rule, "spec", None)
        if quota is not None and getattr(quota, "count", None) == "pairs":
            # a quota on pairs bends by as many pairs as needed
            edges = rule.edge_sets[i]
            lo, hi = rule.lo[i], rule.hi[i]
            slo = shi = None
            if lo is not None:
                slo = model.new_int_var(0, int(lo), "")
                model.add(_sum(x, edges) + slo >= int(lo))
                terms.append((slo, costs["group"]))
            if hi is not None:
                shi = model.new_int_var(0, max(int(edges.size) - int(hi), 0), "")
                model.add(_sum(x, edges) - shi <= int(hi))
                terms.append((shi, costs["group"]))
            parts.append((g, None, slo, shi))
        else:
            dvar = model.new_bool_var("")
            g.post(model, x, dvar.Not())
            terms.append((dvar, costs["group"]))
            parts.append((g, dvar, None, None))
    cost = (cp_model.LinearExpr.weighted_sum([t for t, _ in terms], [w for _, w in terms])
            if terms else 0)
    solver = cp_model.CpSolver()
    start = time.perf_counter()
    # the full-LP worker without presolve: fastest on these transport-shaped models
    tuned = {"subsolvers": ["max_lp"], "cp_model_presolve": False, "symmetry_level": 0}
    apply_params(solver, SolveParams(time_limit=time_limit, seed=seed, extra=tuned))
    model.minimize(cost)
    code = solver.solve(model)
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return ("infeasible" if code == cp_model.INFEASIBLE else "unknown"), {}
    proven = code == cp_model.OPTIMAL
    best = int(round(solver.objective_value))
    # second level: the problem's own objective (coverage, then score) at that cost
    model.add(cost <= best)
    coeffs = (c.edge_value + _coverage_bonus(c)).tolist()
    model.maximize(cp_model.LinearExpr.weighted_sum(x, coeffs))
    slack_vars = [*s_cap.values(), *s_lo.values(), *u.values()]
    for _, dv, lo_v, hi_v in parts:
        slack_vars += [v for v in (dv, lo_v, hi_v) if v is not None]
    slack_vars += [v for v in drops if not isinstance(v, bool)]
    for var in slack_vars:
        model.add_hint(var, solver.value(var))
    for var in x:
        model.add_hint(var, solver.boolean_value(var))
    # only a tie-break among equally cheap relaxations (the relaxed problem is solved
    # exactly afterwards): a short budget
    remaining = max(min(time_limit - (time.perf_counter() - start), time_limit / 10), 0.5)
    apply_params(solver, SolveParams(time_limit=remaining, seed=seed, extra=tuned))
    code2 = solver.solve(model)
    if code2 not in (cp_model.OPTIMAL, cp_model.FEASIBLE):  # pragma: no cover - hint is feasible
        return "unknown", {}

    def values(store: dict[int, Any], n: int) -> np.ndarray:
        out = np.zeros(n, dtype=np.int64)
        for i, var in store.items():
            out[i] = solver.value(var)
        return out

    fixed_drop = np.array([v if isinstance(v, bool) else bool(solver.boolean_value(v))
                           for v in drops], dtype=bool)
    group_slack = [(g, False if dv is None else bool(solver.boolean_value(dv)),
                    0 if lo_v is None else int(solver.value(lo_v)),
                    0 if hi_v is None else int(solver.value(hi_v))) for g, dv, lo_v, hi_v in parts]
    slacks = {
        "capacity": values(s_cap, n_m),
        "min_load": values(s_lo, n_m),
        "unmatched": values(u, n_e),
        "fixed": fixed_drop,
        "group": group_slack,
    }
    return ("optimal" if proven else "feasible"), slacks


def _spec_of(problem: Problem, compiled: Compiled, rule: Any) -> Any:
    """The problem's group rule a compiled group rule came from."""
    spec = getattr(rule, "spec", None)
    if spec is not None:
        return spec
    from ..model.groups import Load

    specs = [r for r in _group_specs(problem) if not isinstance(r, Load)]
    position = next((i for i, r in enumerate(compiled.group_rules) if r is rule), None)
    if position is not None and position < len(specs) and getattr(
            specs[position], "label", None) == getattr(rule, "label", None):
        return specs[position]
    return next((r for r in specs if getattr(r, "label", None) == getattr(rule, "label", None)),
                None)


def _relaxed_problem(d: _Diag, slacks: dict[str, Any]) -> tuple[Problem, pd.DataFrame]:
    """The problem with every relaxation applied, and the table listing them."""
    from ..model.groups import Quota

    p = copy_problem(d.problem)
    c, lang = d.compiled, d.lang
    en = lang == "en"
    pairing = p.pairing
    mentors = p.mentor_table.frame.copy()
    mentees = p.mentee_table.frame.copy()
    reg_m = _labels(c.mentors.frame, d.level, lang)
    reg_e = _labels(c.mentees.frame, d.level, lang)
    rows: list[dict[str, Any]] = []

    def add(kind: str, region: str, subject: str, amount: int, message: str) -> None:
        rows.append({"kind": kind, "region": region, "subject": subject, "amount": amount,
                     "message": message})

    def bump(frame: pd.DataFrame, spec: int | str, delta: np.ndarray, name: str) -> str:
        base = (pd.to_numeric(frame[spec]).to_numpy(np.int64) if isinstance(spec, str)
                else np.full(len(frame), int(spec), dtype=np.int64))
        column = spec if isinstance(spec, str) else f"{name}_relaxed"
        frame[column] = base + delta
        return column

    changes: dict[str, Any] = {}
    cap = slacks["capacity"]
    if cap.any():
        changes["capacity"] = bump(mentors, pairing.capacity, cap, "capacity")
        for i in np.flatnonzero(cap).tolist():
            ident = _named(c.mentors, i)
            add("capacity", reg_m[i], str(c.mentors.ids[i]), int(cap[i]),
                f"raise the capacity of mentor {ident} from {c.cap_hi[i]} to "
                f"{c.cap_hi[i] + cap[i]}" if en else
                f"导师{ident}的帮带上限由{c.cap_hi[i]}提高到{c.cap_hi[i] + cap[i]}")
    lo = slacks["min_load"]
    if lo.any():
        changes["min_load"] = bump(mentors, pairing.min_load, -lo, "min_load")
        for i in np.flatnonzero(lo).tolist():
            ident = _named(c.mentors, i)
            add("min_load", reg_m[i], str(c.mentors.ids[i]), int(lo[i]),
                f"lower the minimum load of mentor {ident} from {c.cap_lo[i]} to "
                f"{c.cap_lo[i] - lo[i]}" if en else
                f"导师{ident}的最少帮带人数由{c.cap_lo[i]}降到{c.cap_lo[i] - lo[i]}")
    un = slacks["unmatched"]
    if un.any():
        changes["mentors_per_mentee"] = bump(mentees, pairing.mentors_per_mentee, -un,
                                             "mentors_per_mentee")
        for i in np.flatnonzero(un).tolist():
            ident = _named(c.mentees, i)
            add("unmatched", reg_e[i], str(c.mentees.ids[i]), int(un[i]),
                f"let mentee {ident} go without {un[i]} of its {c.demand[i]} mentor(s)"
                if en else f"允许帮带对象{ident}少配{un[i]}名导师（原需{c.demand[i]}名）")
    if changes:
        pairing = replace(pairing, **changes)
    p.pairing = pairing
    p.mentor_table = replace(p.mentor_table, frame=mentors)
    p.mentee_table = replace(p.mentee_table, frame=mentees)
    drop = slacks["fixed"]
    if drop.any():
        per_table: dict[int, list[int]] = {}
        for f, gone in zip(d.fixed, drop.tolist(), strict=True):
            if not gone:
                continue
            per_table.setdefault(f.table, []).append(f.row)
            subject = f"({c.mentors.ids[f.m]}, {c.mentees.ids[f.e]})"
            why = ""
            if f.breaks:
                names = ", ".join(_quote(b, lang) for b in f.breaks)
                why = f": it breaks rule {names}" if en else f"：违反规则{names}"
            add("fixed", reg_e[f.e], subject, 1,
                f"drop fixed pair {subject}{why}" if en else f"取消固定结对{subject}{why}")
        new_fixed = []
        for t, rule in enumerate(d.problem.fixed):
            gone = per_table.get(t)
            if gone:
                ids = pd.DataFrame({"m": ids_as_str(rule.table[rule.mentor]),
                                    "e": ids_as_str(rule.table[rule.mentee])})
                keep = np.ones(len(ids), dtype=bool)
                for r in gone:
                    keep &= ~((ids["m"] == ids["m"].iloc[r]) & (ids["e"] == ids["e"].iloc[r]))
                rule = FixedPairs(rule.table[keep].reset_index(drop=True), mentor=rule.mentor,
                                  mentee=rule.mentee)
            new_fixed.append(rule)
        p.fixed = new_fixed
    # group rules: quota bounds moved or released, other rules dropped
    new_specs: dict[int, Any] = {}
    dropped: set[int] = set()
    for g, gone, s_lo, s_hi in slacks["group"]:
        if not (gone or s_lo or s_hi):
            continue
        rule, i = g.data["rule"], g.data["index"]
        spec = _spec_of(d.problem, c, rule)
        if spec is None:  # pragma: no cover - every compiled group rule has a spec
            continue
        if isinstance(spec, Quota) and hasattr(rule, "names"):
            cur = new_specs.get(id(spec), spec)
            mins = {n: b for n, b in zip(rule.names, rule.lo, strict=True) if b is not None}
            maxs = {n: b for n, b in zip(rule.names, rule.hi, strict=True) if b is not None}
            if isinstance(cur.min, Mapping):
                mins = {str(k): int(v) for k, v in cur.min.items()}
            if isinstance(cur.max, Mapping):
                maxs = {str(k): int(v) for k, v in cur.max.items()}
            name = rule.names[i]
            what = f"{spec.side} {spec.column}={name}"
            if gone:
                mins.pop(name, None)
                maxs.pop(name, None)
                add("group", "", what, 1, f"do not enforce {spec.label} for {what}" if en
                    else f"{what}不执行{spec.label}")
            if s_lo:
                mins[name] = rule.lo[i] - s_lo
                add("group", "", what, s_lo,
                    f"lower the {spec.label} minimum for {what} from {rule.lo[i]} to "
                    f"{mins[name]}" if en else
                    f"{what}的{spec.label}下限由{rule.lo[i]}降到{mins[name]}")
            if s_hi:
                maxs[name] = rule.hi[i] + s_hi
                add("group", "", what, s_hi,
                    f"raise the {spec.label} maximum for {what} from {rule.hi[i]} to "
                    f"{maxs[name]}" if en else
                    f"{what}的{spec.label}上限由{rule.hi[i]}提高到{maxs[name]}")
            new_specs[id(spec)] = replace(cur, min=mins or None, max=maxs or None) \
                if (mins or maxs) else None
        else:
            dropped.add(id(spec))
            add("group", "", g.subject, 1, f"do not enforce {g.data['label']}" if en
                else f"不执行{g.data['label']}")
    if new_specs or dropped:
        specs = []
        for r in _group_specs(p):
            if id(r) in dropped:
                continue
            if id(r) in new_specs:
                if new_specs[id(r)] is not None:
                    specs.append(new_specs[id(r)])
                continue
            specs.append(r)
        p.group_rules = specs
    table = pd.DataFrame(rows, columns=["kind", "region", "subject", "amount", "message"])
    return p, table


# --------------------------------------------------------------------------- explain
@dataclass(eq=False)
class Explanation:
    """What :func:`explain` found.

    Attributes
    ----------
    feasible
        True when every hard rule can hold together, False when proven not,
        None when time ran out.
    conflicts
        DataFrame, one row per rule group in a conflict: ``conflict`` (number),
        ``kind``, ``subject``, ``rule`` (the group in planner words) and
        ``suggestion``.
    messages
        One sentence per conflict.
    minimal
        True when each conflict was shrunk by deletion until removing any group
        makes the rest feasible (a minimal conflicting set).
    findings
        The cheap :func:`check` findings.
    seconds, timings
        Wall time, and per phase: ``check``, ``conflicts`` (diagnostic model,
        cores, deletion), ``relax`` (cheapest relaxation and solving it).
    relaxations, relaxed_problem, result
        With ``relax=True``: every relaxation applied (``kind``, ``region``,
        ``subject``, ``amount``, ``message``), the relaxed :class:`Problem` and its
        solved :class:`Result` (``result.pairs`` satisfies the relaxed problem).

    Example
    -------
    >>> import pandas as pd, banghdai as bd
    >>> p = bd.Problem(pd.DataFrame({"mentor_id": ["M"]}), pd.DataFrame({"mentee_id": ["E"]}))
    >>> bd.explain(p).feasible
    True
    """

    feasible: bool | None
    conflicts: pd.DataFrame
    messages: list[str]
    minimal: bool
    findings: pd.DataFrame
    seconds: float
    relaxations: pd.DataFrame | None = None
    relaxed_problem: Problem | None = None
    result: Result | None = None
    lang: str = "en"
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def pairs(self) -> pd.DataFrame | None:
        """The relaxed solution's pairs (``None`` without ``relax=True``)."""
        return None if self.result is None else self.result.pairs

    def __str__(self) -> str:
        en = self.lang == "en"
        if self.feasible:
            head = "feasible: every hard rule can hold" if en else "可行：所有硬性规则可同时满足"
        elif self.feasible is None:
            head = "unknown: time ran out" if en else "未知：时间不足"
        else:
            n = len(self.messages)
            if en:
                head = (f"infeasible: {n} minimal set(s) of conflicting rules" if self.minimal
                        else f"infeasible: {n} set(s) of conflicting rules (not shrunk to minimal)")
            else:
                head = (f"不可行：{n}组最小冲突规则" if self.minimal
                        else f"不可行：{n}组冲突规则（未缩减到最小）")
        lines = [head, *[f"  {i + 1}. {m}" for i, m in enumerate(self.messages)]]
        if self.relaxations is not None and len(self.relaxations):
            lines.append("cheapest relaxation:" if en else "代价最小的放宽方案：")
            lines += [f"  - {m}" for m in self.relaxations["message"]]
        return "\n".join(lines)

    def __repr__(self) -> str:
        return (f"Explanation(feasible={self.feasible}, conflicts={len(self.messages)}, "
                f"minimal={self.minimal}, seconds={self.seconds:.2f})")


def explain(
    problem: Problem,
    relax: bool | Mapping[str, float | None] = False,
    *,
    lang: str = "en",
    time_limit: float = 10.0,
    seed: int = 0,
    max_conflicts: int = 5,
) -> Explanation:
    """Say why the hard rules cannot all hold, and optionally the cheapest way out.

    The rules are put into named groups — capacity of each region's mentors,
    mentees that must be matched in each region (one group per mentee short of
    candidates), each fixed pair, the edge rules a fixed pair breaks, minimum
    loads, and each part of a group rule — each behind an assumption literal of
    a diagnostic CP-SAT model (one worker, presolve off, so the core is not
    over-reported). The core is shrunk by deletion; then the most specific group
    of it is switched off to look for further independent conflicts (at most
    ``max_conflicts``). A large problem (over ``REGION_SPLIT_SIZE`` people)
    with a required ``SameRegion`` is diagnosed region by region, each with a
    share of the time, when no fixed pair or bounded quota group crosses
    regions (then ``timings["regions"]`` says how many); with ``relax`` it is
    diagnosed whole.

    ``relax=True`` (or a mapping of unit costs per kind: ``unmatched``,
    ``capacity``, ``min_load``, ``fixed``, ``group``; ``None`` forbids a kind)
    also finds the cheapest relaxation — fewest unmatched mentor places, extra
    capacity, lowered minimum loads, dropped fixed pairs (a fixed pair that
    breaks an edge rule is always dropped) — breaks ties by coverage and then the
    problem's own objective, builds the relaxed problem and solves it. Pure
    problems are relaxed exactly by one min-cost flow with elastic arcs; others by
    CP-SAT (cost first, then coverage and objective as a tie-break within a
    tenth of ``time_limit``).

    Example
    -------
    >>> import pandas as pd, banghdai as bd
    >>> mentors = pd.DataFrame({"mentor_id": ["M1"], "capacity": [1]})
    >>> mentees = pd.DataFrame({"mentee_id": ["E1", "E2"]})
    >>> p = bd.Problem(mentors, mentees, pairing=bd.OneToMany("capacity", unmatched="forbid"))
    >>> ex = bd.explain(p, relax=True)
    >>> ex.feasible, ex.relaxations["kind"].tolist(), len(ex.pairs)
    (False, ['capacity'], 2)
    """
    _check_lang(lang)
    start = time.perf_counter()
    findings = check(problem, lang)
    t_check = time.perf_counter() - start
    regions = None if (relax is not False and relax is not None) else _by_region(problem)
    if regions:
        return _explain_regions(problem, regions, findings, lang, time_limit, seed,
                                max_conflicts, start, t_check)
    d = _diagnostic(problem, lang)
    budget = max(time_limit - (time.perf_counter() - start), 0.5)
    conflicts, feasible, minimal = _find_conflicts(d, budget, seed, max_conflicts)
    t_conflicts = time.perf_counter() - start - t_check
    rows, messages = [], []
    _add_conflicts(d, conflicts, rows, messages)
    table = pd.DataFrame(rows, columns=CONFLICT_COLUMNS)
    out = Explanation(feasible=feasible, conflicts=table, messages=messages,
                      minimal=bool(minimal and conflicts), findings=findings, seconds=0.0,
                      lang=lang)
    if relax is not False and relax is not None:
        from ..solvers.run import solve

        costs = _relax_costs(relax if isinstance(relax, Mapping) else {})
        if feasible:
            out.relaxations = pd.DataFrame(columns=["kind", "region", "subject", "amount",
                                                    "message"])
            out.relaxed_problem = problem
            out.result = solve(problem, seed=seed, lang=lang)
        else:
            found = _relax_flow(d, costs)
            if found is None:
                found = _relax(d, costs, max(time_limit, 5.0), seed)
            state, slacks = found
            if state in ("optimal", "feasible"):
                relaxed, listing = _relaxed_problem(d, slacks)
                out.relaxations = listing
                out.relaxed_problem = relaxed
                out.result = solve(relaxed, seed=seed, lang=lang)
                out.result.info["relaxation_proven_cheapest"] = state == "optimal"
    out.seconds = time.perf_counter() - start
    out.timings = {"check": t_check, "conflicts": t_conflicts,
                   "relax": out.seconds - t_check - t_conflicts}
    return out


CONFLICT_COLUMNS = ["conflict", "kind", "subject", "rule", "suggestion"]


def _add_conflicts(d: _Diag, conflicts: list[list[int]], rows: list, messages: list) -> None:
    """Append one sentence per conflict to ``messages`` and one row per group to ``rows``,
    numbering the conflicts on from those already there."""
    for core in conflicts:
        groups = [d.groups[k] for k in core]
        messages.append(_sentence(d, groups))
        for g in groups:
            desc, fix = _describe(d, g)
            rows.append({"conflict": len(messages), "kind": g.kind, "subject": g.subject,
                         "rule": desc, "suggestion": fix})


# --------------------------------------------------------------------------- by region
#: Problems with more people than this are diagnosed region by region when they can be.
REGION_SPLIT_SIZE = 1000


def _by_region(problem: Problem) -> list[Problem] | None:
    """The problem cut into its regions, when that changes no hard rule; else None.

    Only for large problems (over ``REGION_SPLIT_SIZE`` people): with a required
    ``SameRegion(level)`` no candidate pair crosses a region, so each region's
    conflicts are its own — provided every row has a region, every fixed pair
    lies inside one, and every bounded quota group does too.
    """
    from ..model.groups import Quota

    n_m, n_e = len(problem.mentor_table), len(problem.mentee_table)
    levels = [r.level for r in problem.edge_rules if isinstance(r, SameRegion)]
    if n_m + n_e <= REGION_SPLIT_SIZE or not levels:
        return None
    level = levels[0]
    reg_m = value_keys(problem.mentors[level])
    reg_e = value_keys(problem.mentees[level])
    if any(v is None for v in reg_m) or any(v is None for v in reg_e):
        return None
    names = sorted(set(reg_m.tolist()) | set(reg_e.tolist()))
    if len(names) < 2:
        return None
    for rule in problem.fixed:
        m, e = pair_table(rule.table, "fixed", problem.mentor_table, problem.mentee_table,
                          rule.mentor, rule.mentee)
        if (reg_m[m] != reg_e[e]).any():
            return None
    for rule in problem.group_rules:
        if isinstance(rule, Quota) and (rule.min is not None or rule.max is not None):
            frame, reg = ((problem.mentors, reg_m) if rule.side == "mentor"
                          else (problem.mentees, reg_e))
            groups = pd.DataFrame({"g": value_keys(frame[rule.column]), "r": reg})
            if (groups.dropna().groupby("g")["r"].nunique() > 1).any():
                return None
    return [_sub_problem(problem, np.flatnonzero(reg_m == name), np.flatnonzero(reg_e == name))
            for name in names]


def _sub_problem(problem: Problem, rows_m: np.ndarray, rows_e: np.ndarray) -> Problem:
    """``problem`` on some mentor and mentee rows; pair tables keep only their pairs."""
    from ..compile.split import _sub_table

    sub = copy_problem(problem)
    sub.mentor_table = _sub_table(problem.mentor_table, rows_m)
    sub.mentee_table = _sub_table(problem.mentee_table, rows_e)
    keep_m = np.zeros(len(problem.mentor_table), dtype=bool)
    keep_m[rows_m] = True
    keep_e = np.zeros(len(problem.mentee_table), dtype=bool)
    keep_e[rows_e] = True

    def inside(rule):
        table = getattr(rule, "table", None)
        if table is None or not hasattr(rule, "mentor"):
            return rule
        m = pd.Index(problem.mentor_table.ids).get_indexer(ids_as_str(table[rule.mentor]))
        e = pd.Index(problem.mentee_table.ids).get_indexer(ids_as_str(table[rule.mentee]))
        ok = (m >= 0) & (e >= 0)
        ok[ok] = keep_m[m[ok]] & keep_e[e[ok]]
        return replace(rule, table=table[ok].reset_index(drop=True))

    for key in ("edge_rules", "group_rules", "scores", "fixed"):
        setattr(sub, key, [inside(r) for r in getattr(sub, key)])
    sub.levels = []  # explain checks the hard rules only
    return sub


def _explain_regions(problem: Problem, regions: list[Problem],
                     findings: pd.DataFrame, lang: str, time_limit: float, seed: int,
                     max_conflicts: int, start: float, t_check: float) -> Explanation:
    """Diagnose each region on its own (a share of the time each) and gather the conflicts."""
    rows, messages, states, minimal = [], [], [], True
    total = sum(len(p.mentor_table) + len(p.mentee_table) for p in regions)
    for sub in regions:
        left = max(time_limit - (time.perf_counter() - start), 0.5)
        size = len(sub.mentor_table) + len(sub.mentee_table)
        budget = max(left * size / max(total, 1), 0.5)
        total -= size
        d = _diagnostic(sub, lang)
        conflicts, feasible, is_min = _find_conflicts(d, budget, seed,
                                                      max_conflicts - len(messages))
        states.append(feasible)
        minimal = minimal and is_min
        _add_conflicts(d, conflicts, rows, messages)
        if len(messages) >= max_conflicts:
            break
    feasible = (False if False in states else
                True if len(states) == len(regions) and all(states) else None)
    table = pd.DataFrame(rows, columns=CONFLICT_COLUMNS)
    out = Explanation(feasible=feasible, conflicts=table, messages=messages,
                      minimal=bool(minimal and messages), findings=findings, seconds=0.0,
                      lang=lang)
    out.seconds = time.perf_counter() - start
    out.timings = {"check": t_check, "conflicts": out.seconds - t_check, "relax": 0.0,
                   "regions": len(regions)}
    return out


# --------------------------------------------------------------------------- pairs
def explain_pairs(problem: Problem, pairs: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """Why each pair: score breakdown, rank among the candidates, best alternative.

    For each row of ``pairs`` (columns ``mentor_id``, ``mentee_id``): the facts
    (``distance_km``, ``shared_domains``, the strength gap of each Stronger /
    StrongToWeak column), each score term and its weighted ``points``, the
    pair's ``score``, its ``rank`` among the mentee's candidate mentors (1 =
    best score) out of ``candidates``, and the best alternative: the mentee's
    best other candidate mentor with free capacity (``alt_mentor_id``) and
    ``objective_change``, the change of the objective (in the caller's sense, a
    cost when every term minimises) if the mentee moved there — or "none".
    ``why`` says it in a sentence (``lang`` "en" or "zh").

    Example
    -------
    >>> import pandas as pd, banghdai as bd
    >>> mentors = pd.DataFrame({"mentor_id": ["M1", "M2"], "rating": [5, 4], "capacity": [1, 1]})
    >>> mentees = pd.DataFrame({"mentee_id": ["E1"], "rating": [1]})
    >>> p = bd.Problem(mentors, mentees).prefer(bd.StrongToWeak("rating"))
    >>> ex = bd.explain_pairs(p, p.solve().pairs)
    >>> ex[["mentor_id", "rank", "alt_mentor_id", "objective_change"]].values.tolist()
    [['M1', 1, 'M2', -0.25]]
    """
    from ..compile.graph import _pair_keys

    _check_lang(lang)
    en = lang == "en"
    c = problem.compile()
    n_m = c.n_mentors
    require_frame(pairs, "pairs", ("mentor_id", "mentee_id"))
    pm = pd.Index(c.mentors.ids).get_indexer(ids_as_str(pairs["mentor_id"]))
    pe = pd.Index(c.mentees.ids).get_indexer(ids_as_str(pairs["mentee_id"]))
    keys = _pair_keys(c.edge_mentor, c.edge_mentee, n_m)
    pk = _pair_keys(np.maximum(pm, 0), np.maximum(pe, 0), n_m)
    pos = np.minimum(np.searchsorted(keys, pk), max(keys.size - 1, 0))
    known = (pm >= 0) & (pe >= 0) & (keys.size > 0)
    is_edge = known & (keys[pos] == pk) if keys.size else np.zeros(len(pairs), bool)
    edge = np.where(is_edge, pos, -1)
    chosen = np.zeros(c.n_edges, dtype=bool)
    chosen[edge[is_edge]] = True
    score = c.edge_info["score"].to_numpy(float)
    sign = -1.0 if c.sense == "min" else 1.0

    # rank of each edge among its mentee's candidates (1 = best; equal scores share a rank)
    order = np.lexsort((-score, c.edge_mentee))
    starts = np.searchsorted(c.edge_mentee[order], np.arange(c.n_mentees + 1))
    rank = np.empty(c.n_edges, dtype=np.int64)
    if c.n_edges:
        s_sorted, e_sorted = score[order], c.edge_mentee[order]
        new_run = np.r_[True, (np.diff(s_sorted) != 0) | (np.diff(e_sorted) != 0)]
        run_start = np.maximum.accumulate(np.where(new_run, np.arange(c.n_edges), 0))
        rank[order] = run_start - starts[e_sorted] + 1
    cand = np.bincount(c.edge_mentee, minlength=c.n_mentees)
    # best free alternative per mentee: mentor with room, not already its mentor
    load = np.bincount(c.edge_mentor[chosen], minlength=n_m)
    free = (load[c.edge_mentor] < c.cap_hi[c.edge_mentor]) & ~chosen
    best_alt = np.full(c.n_mentees, -1, dtype=np.int64)
    if free.any():
        idx = np.flatnonzero(free)
        idx = idx[np.lexsort((-score[idx], c.edge_mentee[idx]))]
        first = np.r_[True, np.diff(c.edge_mentee[idx]) != 0]
        best_alt[c.edge_mentee[idx[first]]] = idx[first]

    facts = {}
    info = c.edge_info
    for col in info.columns:
        vals = np.full(len(pairs), np.nan)
        vals[is_edge] = info[col].to_numpy(float)[edge[is_edge]]
        facts[col] = vals
    out = pd.DataFrame({"mentor_id": ids_as_str(pairs["mentor_id"]),
                        "mentee_id": ids_as_str(pairs["mentee_id"])})
    for col in ("distance_km", "shared_domains"):
        if col in facts:
            out[col] = facts[col]
    for rule in [*problem.edge_rules, *problem.scores]:
        if isinstance(rule, Stronger | StrongToWeak):
            col = f"{rule.by}_gap"
            if col in out.columns or rule.by not in c.mentors.frame.columns:
                continue
            a = pd.to_numeric(c.mentors.frame[rule.by], errors="coerce").to_numpy(float)
            b = pd.to_numeric(c.mentees.frame[rule.by], errors="coerce").to_numpy(float)
            gap = np.full(len(pairs), np.nan)
            ok = (pm >= 0) & (pe >= 0)
            gap[ok] = a[pm[ok]] - b[pe[ok]]
            out[col] = gap
    labels = []
    names: dict[str, str] = {}
    for term in problem.scores:
        label = term.result_column
        w = -term.weight if term.sense == "min" else term.weight
        out[label] = facts[label]
        out[f"{label}_points"] = facts[label] * w
        labels.append(label)
        names[label] = label if en or isinstance(term, PairScore) else term.label(lang)
    out["score"] = facts["score"] if "score" in facts else np.nan
    out["rank"] = np.where(is_edge, rank[np.maximum(edge, 0)] if c.n_edges else 0, 0)
    out["candidates"] = np.where(pe >= 0, cand[np.maximum(pe, 0)], 0)
    alt = np.where(pe >= 0, best_alt[np.maximum(pe, 0)], -1)
    has_alt = (alt >= 0) & is_edge
    alt_ids = np.full(len(pairs), "none", dtype=object)
    alt_ids[has_alt] = c.mentors.ids[c.edge_mentor[alt[has_alt]]]
    change = np.full(len(pairs), np.nan)
    change[has_alt] = sign * (score[alt[has_alt]] - score[edge[has_alt]])
    out["alt_mentor_id"] = alt_ids
    out["objective_change"] = np.round(change, 9)

    whys = []
    for k in range(len(pairs)):
        if not is_edge[k]:
            whys.append("not a candidate pair under the rules" if en else "不符合规则，不是候选结对")
            continue
        bits = []
        for label in labels:
            v, pts = out.at[k, label], out.at[k, f"{label}_points"]
            name = names[label]
            bits.append(f"{name} {v:.2f} ({pts:+.2f})" if en else f"{name}{v:.2f}（{pts:+.2f}）")
        if "distance_km" in out.columns and np.isfinite(out.at[k, "distance_km"]):
            bits.append(f"{out.at[k, 'distance_km']:.1f} km" if en
                        else f"{out.at[k, 'distance_km']:.1f}公里")
        for col in [x for x in out.columns if x.endswith("_gap")]:
            gname = col[:-4] if en else _zh_col(col[:-4])
            bits.append(f"{gname} gap {out.at[k, col]:+g}" if en else f"{gname}差{out.at[k, col]:+g}")
        head = ", ".join(bits) if en else "，".join(bits)
        rk = f"rank {out.at[k, 'rank']} of {out.at[k, 'candidates']} candidates" if en else \
            f"在{out.at[k, 'candidates']}名候选导师中排第{out.at[k, 'rank']}"
        if has_alt[k]:
            ident = _named(c.mentors, int(c.edge_mentor[alt[k]]))
            tail = (f"best free alternative {ident} would change the objective by "
                    f"{change[k]:+.4g}" if en else
                    f"最佳可用替代导师{ident}，目标值变化{change[k]:+.4g}")
        else:
            tail = "no free alternative mentor" if en else "无可用替代导师"
        sep = "; " if en else "；"
        whys.append(sep.join([s for s in (head, rk, tail) if s]))
    out["why"] = whys
    return out


hooks.provide("explain_pairs", explain_pairs)
hooks.provide("unmatched_reasons", unmatched_reasons)
