"""Cheap pre-solve checks: counting arguments on the candidate graph, no solver.

Example
-------
>>> import pandas as pd, banghdai as bd
>>> mentors = pd.DataFrame({"mentor_id": ["M1"], "capacity": [1]})
>>> mentees = pd.DataFrame({"mentee_id": ["E1", "E2"]})
>>> p = bd.Problem(mentors, mentees, pairing=bd.OneToMany("capacity", unmatched="forbid"))
>>> bd.check(p)[["check", "severity", "subject"]].values.tolist()
[['capacity', 'error', 'all mentees']]
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..compile.graph import compile_problem, stage_name
from ..core.ids import value_keys
from ..core.messages import Templates, column_word, text
from ..model.groups import quota_bounds
from ..model.rules import SameRegion
from .common import (
    _edge_load,
    _fixed_pairs,
    _group_specs,
    _pair_cap,
    _region_level,
    _without_fixed,
)
from .unmatched import _funnel_texts, _last_stage, _quote_stage
from .words import _check_lang, _labels, _quote, _zh_col

if TYPE_CHECKING:
    from ..compile.graph import Compiled
    from ..model.problem import Problem
    from ..result import Result

_CHECK_COLUMNS = ["check", "severity", "subject", "message", "suggestion"]

#: The module's sentence templates, from the catalogue (``precheck.<key>``).
_CHECK_WORDS = Templates('precheck')


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
        reach = np.zeros(n_groups, dtype=np.int64)
    return need.astype(np.int64), coverable.astype(np.int64), reach.astype(np.int64)


class _Findings:
    """The rows of a check table, one finding at a time."""

    def __init__(self) -> None:
        self.rows: list[dict[str, Any]] = []

    def add(self, kind: str, severity: str, subject: str, message: str,
            suggestion: str) -> None:
        self.rows.append({"check": kind, "severity": severity, "subject": subject,
                          "message": message, "suggestion": suggestion})

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.rows, columns=_CHECK_COLUMNS)


def _severity(compiled: Compiled) -> str:
    """'error' when every mentee must be matched (the rules cannot all hold), else 'warning'."""
    return "error" if compiled.must_match else "warning"


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
    compiled = compile_problem(_without_fixed(problem))
    level = _region_level(problem)
    found = _Findings()
    _check_capacity(compiled, level, lang, found.add)
    _check_candidates(problem, compiled, level, lang, found.add)
    _check_fixed(problem, compiled, lang, found.add)
    _check_min_loads(compiled, level, lang, found.add)
    _check_groups(problem, compiled, lang, found.add)
    idle = idle_mentors(problem, lang, compiled=compiled)
    for ident, reason in zip(idle["mentor_id"].tolist(), idle["reason"].tolist(), strict=True):
        add = found.add
        add("idle_mentor", "warning", str(ident), text("check.idle", lang, id=ident, why=reason),
            text("check.idle_fix", lang))
    return found.frame()


def idle_mentors(problem: Problem, lang: str = "en", *,
                 compiled: Compiled | None = None) -> pd.DataFrame:
    """Mentors with places that can never be offered a candidate under the hard rules.

    A mentor whose region (at the level of a same-region rule) holds no mentee — a
    county-level mentor with 乡镇 = 县直单位 under 同乡镇 — or whom every other hard rule
    leaves without a candidate. Columns ``mentor_id``, ``row`` (the spreadsheet row when
    the roster came from a file, else the 0-based row), ``reason``; ``attrs["summary"]``
    holds one short line per language (``{"en": ..., "zh": ...}``, empty when none).

    Example
    -------
    >>> import pandas as pd, banghdai as bd
    >>> from banghdai.explain.check import idle_mentors
    >>> mentors = pd.DataFrame({"mentor_id": ["M1", "M2"], "township": ["城关镇", "县直单位"]})
    >>> mentees = pd.DataFrame({"mentee_id": ["E1"], "township": ["城关镇"]})
    >>> p = bd.Problem(mentors, mentees).require(bd.SameRegion("township"))
    >>> idle_mentors(p, "zh")[["mentor_id", "reason"]].values.tolist()
    [['M2', '同乡镇：没有乡镇为“县直单位”的帮带对象']]
    >>> print(idle_mentors(p).attrs["summary"]["en"])
    1 mentor can never be offered a mentee under the hard rules: M2 (same township: no mentee has township = '县直单位')
    """
    _check_lang(lang)
    if compiled is None:
        compiled = compile_problem(_without_fixed(problem))
    table = compiled.mentors
    useful = compiled.demand[compiled.edge_mentee] > 0
    deg = np.bincount(compiled.edge_mentor[useful], minlength=compiled.n_mentors)
    idle = np.flatnonzero((deg == 0) & (compiled.cap_hi > 0))
    idle = table.in_caller_order(idle)
    found = {"en": [""] * idle.size, "zh": [""] * idle.size}
    left = np.ones(idle.size, dtype=bool)
    for rule in problem.edge_rules:
        if not isinstance(rule, SameRegion) or not left.any():
            continue
        level = rule.level
        if level not in table.frame.columns or level not in compiled.mentees.frame.columns:
            continue
        mine = value_keys(table.frame[level].iloc[idle])
        theirs = {v for v in value_keys(compiled.mentees.frame[level]) if v is not None}
        alone = left & np.array([v not in theirs for v in mine], dtype=bool)
        for k in np.flatnonzero(alone).tolist():
            value = "" if mine[k] is None else str(mine[k])
            for said in ("en", "zh"):
                found[said][k] = text("check.idle_region", said,
                                      rule=_rule_words(stage_name(rule), said),
                                      column=table.shown(level) if said == "en"
                                      else _zh_col(level), value=value)
        left &= ~alone
    for k in np.flatnonzero(left).tolist():
        for said in ("en", "zh"):
            found[said][k] = text("check.idle_rules", said)
    rows = [int(table.place(int(i)).get("excel_row", table.caller_row(int(i)))) for i in idle]
    out = pd.DataFrame({"mentor_id": table.ids[idle].astype(object), "row": rows,
                        "reason": found[lang]}, columns=["mentor_id", "row", "reason"])
    out.attrs["summary"] = {said: _idle_summary(table.ids[idle], found[said], said)
                            for said in ("en", "zh")} if idle.size else {"en": "", "zh": ""}
    return out



def idle_of(result: Result, lang: str = "en") -> pd.DataFrame | None:
    """The idle mentors of a solved result (:func:`idle_mentors` from the graph the solve
    compiled, ``result.idle_from``); None when the result was not made by a solve.

    Example
    -------
    >>> import pandas as pd, banghdai as bd
    >>> from banghdai.explain.check import idle_of
    >>> p = bd.Problem(pd.DataFrame({"mentor_id": ["M1", "M2"], "county": ["A", "B"]}),
    ...                pd.DataFrame({"mentee_id": ["E"], "county": ["A"]}))
    >>> idle_of(p.require(bd.SameRegion("county")).solve())["mentor_id"].tolist()
    ['M2']
    """
    basis = result.idle_from
    return None if basis is None else idle_mentors(basis.problem, lang, compiled=basis.compiled)


def _rule_words(label: str, lang: str) -> str:
    from .words import rule_label

    return rule_label(label, lang)


def _idle_summary(ids: np.ndarray, reasons: list[str], lang: str, most: int = 8) -> str:
    """'8 mentors can never be offered a mentee under the hard rules: M1, M2, … (why)'."""
    by: dict[str, list[str]] = {}
    for ident, reason in zip(ids.tolist(), reasons, strict=True):
        by.setdefault(reason, []).append(str(ident))
    w = _CHECK_WORDS[lang]
    parts = []
    for reason, members in by.items():
        shown = w["list"].join(members[:most]) + w["etc"] * (len(members) > most)
        parts.append(text("check.idle_group", lang, ids=shown, why=reason))
    code = "check.idle_summary_one" if len(ids) == 1 else "check.idle_summary"
    return text(code, lang, n=len(ids), groups=w["sep"].join(parts))


def _check_capacity(compiled: Compiled, level: str | None, lang: str, add) -> None:
    """Capacity against demand (Hall's condition): per region, per category, overall."""
    w = _CHECK_WORDS[lang]
    frame_e = compiled.mentees.frame
    groupings: list[tuple[str | None, str]] = []
    for region in ("county", "township"):
        if region in frame_e.columns and region in compiled.mentors.frame.columns:
            groupings.append((region, "region"))
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
            add("capacity", _severity(compiled), subject,
                w["capacity"].format(s=subject, cap=int(reach[g]), need=int(coverable[g]),
                                     short=short),
                w["capacity_fix"].format(s=subject))


def _check_candidates(problem: Problem, compiled: Compiled, level: str | None, lang: str,
                      add) -> None:
    """Mentees with no candidate (naming the rule that removed the last) or too few."""
    w = _CHECK_WORDS[lang]
    severe = _severity(compiled)
    deg_e = np.bincount(compiled.edge_mentee, minlength=compiled.n_mentees)
    region_e = _labels(compiled.mentees.frame, level, lang)
    short_e = np.flatnonzero(deg_e < compiled.demand)
    last = _last_stage(compiled, short_e)
    funnels = _funnel_texts(compiled, short_e, lang)
    for k, i in enumerate(short_e.tolist()):
        ident = str(compiled.mentees.ids[i])
        if deg_e[i] == 0:
            rule = last[k]
            q = _quote("the rules", lang) if rule is None else _quote_stage(rule, lang)
            fix = (w["none_fix_region"].format(v=region_e[i], rule=q)
                   if getattr(rule, "key", "") == "same_region"
                   else w["none_fix"].format(rule=q))
            add("no_candidate", severe, ident,
                w["none"].format(id=ident, rule=q, funnel=funnels[k]), fix)
        else:
            add("few_candidates", severe, ident,
                w["few"].format(id=ident, need=int(compiled.demand[i]), deg=int(deg_e[i]),
                                funnel=funnels[k]), w["few_fix"])


def _check_fixed(problem: Problem, compiled: Compiled, lang: str, add) -> None:
    """Fixed pairs that break a hard rule, overfill a mentor or exceed a mentee's need."""
    w = _CHECK_WORDS[lang]
    fixed = _fixed_pairs(problem, compiled)
    for f in fixed:
        if f.edge >= 0:
            continue
        m_id, e_id = str(compiled.mentors.ids[f.m]), str(compiled.mentees.ids[f.e])
        for rule in f.broken:
            q = _quote("the rules", lang) if rule is None else _quote_stage(rule, lang)
            add("fixed_pair", "error", f"({m_id}, {e_id})",
                w["fixed"].format(m=m_id, e=e_id, rule=q,
                                  detail=_pair_detail(problem, f.m, f.e, rule, lang)),
                w["fixed_fix"].format(rule=q))
    if not fixed:
        return
    weight = _edge_load(compiled)
    fm = np.array([f.m for f in fixed])
    fe = np.array([f.e for f in fixed])
    fw = np.array([weight[f.edge] if f.edge >= 0 else 1 for f in fixed])
    per_m = np.bincount(fm, weights=fw, minlength=compiled.n_mentors).astype(np.int64)
    for i in np.flatnonzero(per_m > compiled.cap_hi).tolist():
        ident = str(compiled.mentors.ids[i])
        add("fixed_capacity", "error", ident,
            w["fixed_cap"].format(m=ident, n=int(per_m[i]), cap=int(compiled.cap_hi[i])),
            w["fixed_cap_fix"])
    per_e = np.bincount(fe, minlength=compiled.n_mentees)
    for i in np.flatnonzero(per_e > compiled.demand).tolist():
        ident = str(compiled.mentees.ids[i])
        add("fixed_demand", "error", ident,
            w["fixed_need"].format(e=ident, n=int(per_e[i]), need=int(compiled.demand[i])),
            w["fixed_need_fix"].format(k=int(per_e[i] - compiled.demand[i])))


def _check_min_loads(compiled: Compiled, level: str | None, lang: str, add) -> None:
    """Minimum loads no mentor's candidates (or no region's mentees) can fill."""
    if not compiled.cap_lo.any():
        return
    w = _CHECK_WORDS[lang]
    useful = compiled.demand[compiled.edge_mentee] > 0
    deg_m = np.bincount(compiled.edge_mentor[useful], minlength=compiled.n_mentors)
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


def _legacy_types(spec, compiled: Compiled, deg_e: np.ndarray, deg_m: np.ndarray,
                  lang: str, add) -> None:
    if getattr(spec, "per", "mentee") == "mentee":
        _check_types(spec, compiled, deg_e, lang, add)


def _legacy_quota(spec, compiled: Compiled, deg_e: np.ndarray, deg_m: np.ndarray,
                  lang: str, add) -> None:
    _check_quota(spec, compiled, deg_e, deg_m, lang, add)


#: Counting checks of the group rules written before the Protocol, by registry code (their
#: words are still this module's tables); every other rule brings its own ``precheck``.
_PRECHECKS = {"distinct_types": _legacy_types, "role_template": _legacy_types,
              "quota": _legacy_quota}


def _check_groups(problem: Problem, compiled: Compiled, lang: str, add) -> None:
    """Each group rule's counting check: its compiled form's ``precheck`` (findings in the
    catalogue's words), and the older rules' checks of :data:`_PRECHECKS`."""
    deg_e = np.bincount(compiled.edge_mentee, minlength=compiled.n_mentees)
    deg_m = np.bincount(compiled.edge_mentor, minlength=compiled.n_mentors)
    for spec in _group_specs(problem):
        legacy = _PRECHECKS.get(spec.key)
        if legacy is not None:
            legacy(spec, compiled, deg_e, deg_m, lang, add)
    for rule in compiled.group_rules:
        for finding in rule.precheck(compiled, lang):
            add(*finding)


def _check_types(spec, compiled: Compiled, deg_e: np.ndarray, lang: str, add) -> None:
    """Mentees whose candidates have fewer distinct types than mentors they need."""
    w = _CHECK_WORDS[lang]
    em, ee = compiled.edge_mentor, compiled.edge_mentee
    kinds = value_keys(compiled.mentors.frame[spec.column])
    codes, uniques = pd.factorize(pd.Series(kinds, dtype=object))
    ok = codes[em] >= 0
    pairs = np.unique(ee[ok] * max(len(uniques), 1) + codes[em[ok]])
    owner = pairs // max(len(uniques), 1)
    n_types = np.bincount(owner, minlength=compiled.n_mentees)
    # mentors without a type: any number
    untyped = np.bincount(ee[~ok], minlength=compiled.n_mentees)
    short = np.flatnonzero((n_types + untyped < compiled.demand) & (deg_e >= compiled.demand))
    col = column_word(spec.column, lang)
    for i in short.tolist():
        values = sorted(str(uniques[c]) for c in (pairs[owner == i] % max(len(uniques), 1)))
        ident = str(compiled.mentees.ids[i])
        add("types", _severity(compiled), ident,
            w["types"].format(id=ident, need=int(compiled.demand[i]), col=col,
                              n=len(values), values=w["list"].join(values) or "-"),
            w["types_fix"].format(col=col))


def _quota_reach(spec, compiled: Compiled, rows_g: np.ndarray, deg_e: np.ndarray,
                 deg_m: np.ndarray) -> tuple[int, int]:
    """(most, least): what a quota group's counted quantity can reach and is forced to."""
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
    return most, least


def _check_quota(spec, compiled: Compiled, deg_e: np.ndarray, deg_m: np.ndarray, lang: str,
                 add) -> None:
    """Quota bounds the candidates cannot reach (minimum) or must exceed (maximum)."""
    w = _CHECK_WORDS[lang]
    table = compiled.mentors if spec.side == "mentor" else compiled.mentees
    keys = value_keys(table.frame[spec.column])
    names = sorted({str(v) for v in keys if v is not None})
    lo_b, hi_b = quota_bounds(spec.min, names), quota_bounds(spec.max, names)
    what = w[f"count_{spec.count}"]
    for name, lo, hi in zip(names, lo_b, hi_b, strict=True):
        if lo is None and hi is None:
            continue
        most, least = _quota_reach(spec, compiled, np.flatnonzero(keys == name), deg_e, deg_m)
        label = spec.label
        subject = f"{spec.column}={name}"
        if lo is not None and lo > most:
            add("quota", "error", subject,
                w["quota_lo"].format(label=label, name=subject, lo=lo, most=most, what=what),
                w["quota_lo_fix"].format(name=subject, most=most, side=spec.side))
        if hi is not None and hi < least:
            add("quota", "error", subject,
                w["quota_hi"].format(label=label, name=subject, hi=hi, least=least, what=what),
                w["quota_hi_fix"].format(name=subject, least=least))


def _pair_detail(problem: Problem, m: int, e: int, obj: object, lang: str) -> str:
    """A measured value for the rule a pair breaks (distance, strength gap), or ''.

    ``obj`` is the broken rule itself: it says which values it compares
    (:meth:`~banghdai.model.rule.Rule.compared`).
    """
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
    return _CHECK_WORDS[lang]["versus"].format(a=fa, b=fb)


