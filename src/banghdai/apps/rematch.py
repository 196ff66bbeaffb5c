"""Re-match with as few changes as possible (动态调整), and a year-2 scenario to try it on.

When mentors leave, mentees are added or replaced, or the rules change,
:func:`rematch` finds the best new pairing that keeps as many of last time's
pairs as it can, lexicographically: the hard rules (and, when unmatched
mentees are allowed without a penalty, coverage) first, then the fewest
changes, then the problem's own objective. It uses the library's own
machinery — a :class:`~banghdai.PairScore` bonus for every previous pair,
weighted so that one kept pair outweighs any difference in score — so pure
problems still go to the exact min-cost-flow backend. The result carries a
``report``: every previous pair kept or broken (and why it broke), and every
new pair (and why it came).

:func:`year2_scenario` turns a roster into its "next year": 10% of the
mentors gone, 15% new mentees (copies of existing ones with new ids and small
changes), seeded.

Example
-------
>>> import pandas as pd, banghdai as bd
>>> mentors = pd.DataFrame({"mentor_id": ["A", "B"], "capacity": [1, 1]})
>>> mentees = pd.DataFrame({"mentee_id": ["E1", "E2"]})
>>> p = bd.Problem(mentors, mentees, pairing=bd.OneToMany("capacity"))
>>> last = pd.DataFrame({"mentor_id": ["B"], "mentee_id": ["E1"]})
>>> r = bd.rematch(p, last)
>>> r.report[["status", "mentor_id", "mentee_id"]].values.tolist()
[['kept', 'B', 'E1'], ['new', 'A', 'E2']]
"""

from __future__ import annotations

import math
import warnings
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..compile.graph import compile_problem
from ..core.arrays import pair_keys as _pair_keys
from ..core.errors import InputError, Msg
from ..core.ids import ids_as_str
from ..core.messages import Templates
from ..core.status import Status
from ..data.schema import prepare_table, require_frame
from ..explain.common import _edge_load, broken_rules, copy_problem
from ..explain.unmatched import unmatched_reasons
from ..explain.words import _check_lang, _quote
from ..model.rules import PairScore
from ..result import Reasons, Result
from ..solvers.run import pairs_frame, solve

if TYPE_CHECKING:
    from collections.abc import Mapping

    from ..data.readers import Roster
    from ..model.problem import Problem

#: Name of the bonus score that rewards keeping a previous pair.
KEPT = "kept_from_previous"

#: The module's sentence templates, from the catalogue (``rematch.reason.<key>``).
_WORDS = Templates('rematch.reason')

_REPORT_COLUMNS = ["status", "mentor_id", "mentee_id", "reason_code", "reason"]


def _previous(previous_pairs: pd.DataFrame) -> pd.DataFrame:
    require_frame(previous_pairs, "previous_pairs", ("mentor_id", "mentee_id"))
    for col in ("mentor_id", "mentee_id"):
        if previous_pairs[col].isna().any():
            row = int(np.flatnonzero(previous_pairs[col].isna().to_numpy())[0])
            raise InputError(Msg("input.empty_id"), table="previous_pairs", row=row, column=col)
    prev = pd.DataFrame({"mentor_id": ids_as_str(previous_pairs["mentor_id"]),
                         "mentee_id": ids_as_str(previous_pairs["mentee_id"])})
    return prev.drop_duplicates().reset_index(drop=True)


def _lexicographic_weight(compiled: Any) -> int:
    """Integer bonus per kept pair above any difference of the problem's own objective."""
    value = compiled.edge_value
    slots = int(min(compiled.demand.sum(), compiled.cap_hi.sum()))
    biggest = int(np.abs(value).max(initial=0))
    extra = compiled.slot_penalty if compiled.pairing.unmatched_penalty is not None else 0
    return max(slots, 1) * (2 * biggest + int(extra)) + 1


def rematch(
    problem: Problem,
    previous_pairs: pd.DataFrame,
    *,
    weight: float | None = None,
    lang: str = "en",
    backend: str = "auto",
    time_limit: float | None = 60.0,
    seed: int = 0,
    workers: int | None = None,
    params: Mapping[str, Any] | None = None,
) -> Result:
    """Best pairing for ``problem`` that keeps as many of ``previous_pairs`` as possible.

    Parameters
    ----------
    problem
        This round's problem (new tables, possibly new rules).
    previous_pairs
        Last round's pairs: columns ``mentor_id`` and ``mentee_id`` (e.g. last
        year's ``result.pairs``). Pairs whose mentor or mentee left are broken
        and reported.
    weight
        ``None`` (default): lexicographic — hard rules, then coverage when
        unmatched mentees are allowed without a penalty, then the fewest
        changes, then the objective. A number instead values each kept pair at
        ``weight`` score units, traded against the score.
    lang
        Language of the report and of the unmatched reasons ("en" or "zh").
    backend, time_limit, seed, workers, params
        As for :func:`banghdai.solve`.

    Returns
    -------
    Result
        Its ``pairs``, ``unmatched``, ``objective`` are the problem's own (the
        bonus removed); ``report`` lists every previous pair as ``kept`` or
        ``broken`` (with the reason: mentor left, mentee left, a rule now
        forbids it, capacity reduced, a fixed pair took the place, traded for
        coverage) and every ``new`` pair; ``info["rematch"]`` has the counts.

    Example
    -------
    >>> import pandas as pd, banghdai as bd
    >>> mentors = pd.DataFrame({"mentor_id": ["A", "B"], "capacity": [2, 1]})
    >>> mentees = pd.DataFrame({"mentee_id": ["E1", "E2"]})
    >>> p = bd.Problem(mentors, mentees, pairing=bd.OneToMany("capacity"))
    >>> last = pd.DataFrame({"mentor_id": ["C", "A"], "mentee_id": ["E1", "E2"]})
    >>> r = bd.rematch(p, last)
    >>> r.report[["status", "reason_code"]].values.tolist()
    [['kept', 'kept'], ['broken', 'mentor_left'], ['new', 'replaces']]
    """
    _check_lang(lang)
    if weight is not None and (isinstance(weight, bool) or not isinstance(weight, int | float)
                               or weight < 0):
        raise InputError(Msg("rematch.weight", value=weight), column="weight")
    prev = _previous(previous_pairs)
    compiled = compile_problem(problem)
    n_m = compiled.n_mentors
    pm = pd.Index(compiled.mentors.ids).get_indexer(prev["mentor_id"])
    pe = pd.Index(compiled.mentees.ids).get_indexer(prev["mentee_id"])
    alive = (pm >= 0) & (pe >= 0)
    keys = _pair_keys(compiled.edge_mentor, compiled.edge_mentee, n_m)
    pk = _pair_keys(np.maximum(pm, 0), np.maximum(pe, 0), n_m)
    pos = np.minimum(np.searchsorted(keys, pk), max(keys.size - 1, 0))
    is_edge = alive & (keys.size > 0) & (keys[pos] == pk if keys.size else False)
    bonus = prev[is_edge].assign(**{KEPT: 1.0})

    # the bonus problem: same rules, plus a reward per kept pair
    p2 = copy_problem(problem)
    scale = compiled.scale
    if weight is None:
        w_int = _lexicographic_weight(compiled)
        bonus_weight = w_int / scale
    else:
        bonus_weight = float(weight)
    if len(bonus):
        p2.prefer(PairScore(bonus, column=KEPT, weight=bonus_weight, restrict=False, name=KEPT))
    levels = list(getattr(problem, "levels", []) or [])
    as_level = bool(levels and len(bonus) and weight is None)
    if as_level:
        # lexicographic levels: keeping pairs becomes its own level, after coverage levels
        from ..model.levels import Coverage

        term = p2.scores.pop()
        lead = 0
        while lead < len(levels) and isinstance(levels[lead], Coverage):
            lead += 1
        p2.levels = [*levels[:lead], replace(term, weight=1.0), *levels[lead:]]
    result2 = None
    for _ in range(12):  # lower the integer scale until the bonus fits in 64 bits
        try:
            result2 = solve(p2, backend=backend, time_limit=time_limit, seed=seed,
                            workers=workers, params=params, scale=scale, lang=lang)
            break
        except InputError as err:
            if "too large" not in str(err) or weight is not None:
                raise
            scale /= 10
            warnings.warn(f"rematch: scores kept to {-math.log10(scale):.0f} decimal place(s) "
                          "so that kept pairs dominate within 64-bit integers",
                          stacklevel=2)
    assert result2 is not None

    chosen = np.zeros(compiled.n_edges, dtype=bool)
    if result2.status.has_solution and len(result2.pairs):
        cm = pd.Index(compiled.mentors.ids).get_indexer(ids_as_str(result2.pairs["mentor_id"]))
        ce = pd.Index(compiled.mentees.ids).get_indexer(ids_as_str(result2.pairs["mentee_id"]))
        chosen[np.searchsorted(keys, _pair_keys(cm, ce, n_m))] = True
    pairs = pairs_frame(compiled, chosen)
    unmatched = unmatched_reasons(compiled, chosen, lang)
    objective = bound = gap = None
    if result2.status.has_solution:
        total = float(compiled.edge_info["score"].to_numpy()[chosen].sum())
        objective = -total if compiled.sense == "min" else total
        if result2.status is Status.OPTIMAL:
            bound, gap = objective, 0.0
    report, counts = _report(compiled, prev, pm, pe, is_edge, chosen, problem, result2.status,
                             weight, lang)
    demand = int(compiled.demand.sum())
    info = dict(result2.info)
    info["rematch"] = {**counts, "weight": None if as_level else bonus_weight,
                       "lexicographic": weight is None}
    return Result(
        status=result2.status,
        pairs=pairs,
        unmatched=unmatched,
        objective=objective,
        bound=bound,
        gap=gap,
        seconds=result2.seconds,
        backend=result2.backend,
        coverage=int(chosen.sum()) / demand if demand else 1.0,
        sense=compiled.sense,
        info=info,
        levels=getattr(result2, "levels", None),
        report=report,
        problem=problem,
        reasons_from=Reasons(*compiled.for_reasons(chosen)),
    )


def _report(compiled, prev, pm, pe, is_edge, chosen, problem, status, weight, lang):
    """Kept / broken / new rows, with a reason for every broken and new pair."""

    w = _WORDS[lang]
    n_m, n_e = compiled.n_mentors, compiled.n_mentees
    keys = _pair_keys(compiled.edge_mentor, compiled.edge_mentee, n_m)
    alive = (pm >= 0) & (pe >= 0)
    edge = np.where(is_edge, np.searchsorted(keys, _pair_keys(np.maximum(pm, 0),
                                                              np.maximum(pe, 0), n_m)), -1)
    kept = np.zeros(len(prev), dtype=bool)
    kept[is_edge] = chosen[edge[is_edge]]
    # what the previous pairs that still could be formed ask of each mentor / mentee
    weight_e = _edge_load(compiled)
    ask_m = np.bincount(pm[is_edge], weights=weight_e[edge[is_edge]], minlength=n_m)
    ask_e = np.bincount(pe[is_edge], minlength=n_e)
    fixed = compiled.edge_fixed
    prev_keys = set(_pair_keys(pm[is_edge], pe[is_edge], n_m).tolist())
    new_fixed = fixed & ~np.isin(keys, np.fromiter(prev_keys, dtype=np.int64, count=len(prev_keys)))
    fix_m = np.bincount(compiled.edge_mentor[new_fixed], weights=weight_e[new_fixed], minlength=n_m)
    fix_e = np.bincount(compiled.edge_mentee[new_fixed], minlength=n_e)
    rules_broken = broken_rules(problem, pm[alive & ~is_edge], pe[alive & ~is_edge])
    broken_of = dict(zip(np.flatnonzero(alive & ~is_edge).tolist(), rules_broken, strict=True))
    has_groups = bool(compiled.group_rules)

    rows = []
    code_of: list[str] = []
    for k in range(len(prev)):
        m_id, e_id = prev["mentor_id"].iloc[k], prev["mentee_id"].iloc[k]
        if kept[k]:
            rows.append(("kept", m_id, e_id, "kept", w["kept"]))
            code_of.append("kept")
            continue
        i, j = int(pm[k]), int(pe[k])
        if i < 0 and j < 0:
            code, text = "both_left", w["both_left"].format(m=m_id, e=e_id)
        elif i < 0:
            code, text = "mentor_left", w["mentor_left"].format(m=m_id)
        elif j < 0:
            code, text = "mentee_left", w["mentee_left"].format(e=e_id)
        elif not is_edge[k]:
            names = broken_of.get(k) or ["the rules"]
            code = "rule"
            text = w["rule"].format(rule=", ".join(_quote(r, lang) for r in names))
        elif not status.has_solution:
            code, text = "no_solution", w["no_solution"].format(status=status.value)
        elif ask_m[i] > compiled.cap_hi[i]:
            code = "capacity"
            text = w["capacity"].format(m=m_id, cap=int(compiled.cap_hi[i]), n=int(ask_m[i]))
        elif ask_e[j] > compiled.demand[j]:
            code = "demand"
            text = w["demand"].format(e=e_id, k=int(compiled.demand[j]), n=int(ask_e[j]))
        elif ask_m[i] + fix_m[i] > compiled.cap_hi[i] or ask_e[j] + fix_e[j] > compiled.demand[j]:
            code, text = "fixed", w["fixed"]
        elif weight is not None:
            code, text = "score", w["score"]
        elif has_groups:
            code, text = "group", w["group"]
        elif compiled.cap_lo.any():
            code, text = "min_load", w["min_load"]
        else:
            code, text = "coverage", w["coverage"]
        rows.append(("broken", m_id, e_id, code, text))
        code_of.append(code)

    # new pairs
    prev_e = set(prev["mentee_id"])
    broken_by_e: dict[str, tuple[str, str]] = {}
    for k, code in enumerate(code_of):
        if code != "kept":
            broken_by_e.setdefault(prev["mentee_id"].iloc[k], (prev["mentor_id"].iloc[k],
                                                                rows[k][4]))
    new_idx = np.flatnonzero(chosen & ~np.isin(keys, np.fromiter(
        (kk for kk, ok in zip(_pair_keys(pm[is_edge], pe[is_edge], n_m).tolist(),
                              kept[is_edge].tolist(), strict=True) if ok), dtype=np.int64)))
    for j in new_idx.tolist():
        m_id = str(compiled.mentors.ids[compiled.edge_mentor[j]])
        e_id = str(compiled.mentees.ids[compiled.edge_mentee[j]])
        if e_id in broken_by_e:
            old_m, why = broken_by_e[e_id]
            code, text = "replaces", w["replaces"].format(m=old_m, why=why)
        elif e_id not in prev_e:
            code, text = "new_mentee", w["new_mentee"].format(e=e_id)
        else:
            code, text = "extra", w["extra"].format(e=e_id)
        rows.append(("new", m_id, e_id, code, text))
    report = pd.DataFrame(rows, columns=_REPORT_COLUMNS)
    order = {"kept": 0, "broken": 1, "new": 2}
    report = report.sort_values("status", key=lambda s: s.map(order), kind="stable")
    report = report.reset_index(drop=True)
    counts = {s: int((report["status"] == s).sum()) for s in ("kept", "broken", "new")}
    counts["changes"] = counts["broken"] + counts["new"]
    return report, counts


# --------------------------------------------------------------------------- year 2
def year2_scenario(roster: Roster, seed: int = 0, *, drop_mentors: float = 0.10,
                   add_mentees: float = 0.15) -> Roster:
    """Next year's roster: ``drop_mentors`` of the mentors gone, ``add_mentees`` more mentees.

    New mentees are copies of randomly chosen existing ones with new ids
    (``<prefix>Y2<n>``), coordinates moved by up to about a kilometre, the
    rating nudged by up to ±0.3 and the name reshuffled; fixed, forbidden and
    pair-score rows that name a departed mentor are dropped. Seeded: the same
    seed gives the same scenario. The caller's tables are not modified.

    Example
    -------
    >>> import banghdai as bd
    >>> roster = bd.load_sample("yinchuan")
    >>> year2 = bd.year2_scenario(roster, seed=0)
    >>> len(year2.mentors), len(year2.mentees)
    (435, 690)
    """
    from ..data.readers import Roster

    if not 0 <= drop_mentors < 1 or not 0 <= add_mentees:
        raise InputError(Msg("rematch.scenario"),
                         column="drop_mentors")
    rng = np.random.default_rng(seed)
    rules = roster.rules or {}
    cols = rules.get("columns", {}) if isinstance(rules, dict) else {}
    flat = {k: v for k, v in cols.items() if not isinstance(v, dict)}
    mt = prepare_table(roster.mentors, "mentors", {**flat, **(cols.get("mentors") or {})})
    et = prepare_table(roster.mentees, "mentees", {**flat, **(cols.get("mentees") or {})})
    m_id = mt.source.get("mentor_id", "mentor_id")
    e_id = et.source.get("mentee_id", "mentee_id")

    n_drop = int(round(len(mt) * drop_mentors))
    gone = set(rng.choice(mt.ids, size=n_drop, replace=False).tolist()) if n_drop else set()
    mentors = roster.mentors[~pd.Series(mt.ids).isin(gone).to_numpy()].reset_index(drop=True)

    n_add = int(round(len(et) * add_mentees))
    rows = rng.choice(len(et), size=n_add, replace=True)
    new = roster.mentees.iloc[rows].copy().reset_index(drop=True)
    letters = "".join(ch for ch in str(et.ids[0]) if ch.isalpha()) or "E"
    taken = set(et.ids.tolist())
    ids: list[str] = []
    k = 1
    while len(ids) < n_add:
        candidate = f"{letters}Y2{k:03d}"
        if candidate not in taken:
            ids.append(candidate)
        k += 1
    new[e_id] = ids
    for canon, spread in (("lat", 0.008), ("lon", 0.008)):
        col = et.source.get(canon, canon)
        if col in new.columns:
            values = pd.to_numeric(new[col], errors="coerce")
            new[col] = (values + rng.uniform(-spread, spread, n_add)).round(5)
    col = et.source.get("rating", "rating")
    if col in new.columns:
        values = pd.to_numeric(new[col], errors="coerce")
        lo, hi = float(values.min()), float(values.max())
        new[col] = (values + rng.uniform(-0.3, 0.3, n_add)).clip(lo, hi).round(1)
    col = et.source.get("name", "name")
    if col in new.columns:
        names = roster.mentees[col].dropna().astype(str).to_numpy()
        if names.size:
            first = rng.choice(names, n_add)
            second = rng.choice(names, n_add)
            new[col] = [a[:1] + b[1:] if len(b) > 1 else a for a, b in zip(first, second,
                                                                            strict=True)]
    mentees = pd.concat([roster.mentees, new], ignore_index=True)

    def keep(table: pd.DataFrame | None) -> pd.DataFrame | None:
        """Rows of a pair table whose mentor is still there."""
        if table is None:
            return None
        col = "mentor_id" if "mentor_id" in table.columns else m_id
        if col not in table.columns:
            return table
        stays = ~pd.Series(ids_as_str(table[col])).isin(gone).to_numpy()
        return table[stays].reset_index(drop=True)

    return Roster(mentors=mentors, mentees=mentees, fixed=keep(roster.fixed),
                  forbidden=keep(roster.forbidden), pair_scores=keep(roster.pair_scores),
                  rules=roster.rules, source=None, extra=dict(roster.extra))
