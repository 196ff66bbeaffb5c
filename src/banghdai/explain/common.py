"""Helpers several explanations share: problem copies, fixed pairs, loads, broken rules.

Example
-------
>>> import numpy as np, pandas as pd, banghdai as bd
>>> from banghdai.explain.common import broken_rules
>>> p = bd.Problem(pd.DataFrame({"mentor_id": ["M"], "county": ["A"]}),
...                pd.DataFrame({"mentee_id": ["E"], "county": ["B"]}))
>>> broken_rules(p.require(bd.SameRegion("county")), np.array([0]), np.array([0]))
[['same county']]
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from ortools.sat.python import cp_model

from ..compile.graph import _Context, stage_name, stage_rules
from ..core.arrays import offsets
from ..core.arrays import pair_keys as _pair_keys
from ..data.schema import pair_table
from ..model.rules import REGION_LEVELS, SameRegion

if TYPE_CHECKING:
    from ..compile.graph import Compiled
    from ..model.problem import Problem


def copy_problem(problem: Problem) -> Problem:
    """A shallow copy whose rule lists can be changed without touching ``problem``.

    Example
    -------
    >>> import pandas as pd, banghdai as bd
    >>> from banghdai.explain.common import copy_problem
    >>> p = bd.Problem(pd.DataFrame({"mentor_id": ["M"]}), pd.DataFrame({"mentee_id": ["E"]}))
    >>> q = copy_problem(p)
    >>> q.edge_rules.append(bd.MaxDistance(km=5))
    >>> len(p.edge_rules), len(q.edge_rules)
    (0, 1)
    """
    new = copy.copy(problem)
    for key, value in vars(new).items():
        if isinstance(value, list):
            setattr(new, key, list(value))
    return new


def broken_stage_rules(problem: Problem, m: np.ndarray, e: np.ndarray) -> list[list]:
    """For each pair (mentor row ``m``, mentee row ``e``), the edge rules it breaks (the rule
    objects, in funnel order).

    Example
    -------
    >>> import numpy as np, pandas as pd, banghdai as bd
    >>> rule = bd.SameRegion("county")
    >>> p = bd.Problem(pd.DataFrame({"mentor_id": ["M"], "county": ["A"]}),
    ...                pd.DataFrame({"mentee_id": ["E"], "county": ["B"]})).require(rule)
    >>> broken_stage_rules(p, np.array([0]), np.array([0]))[0][0] is rule
    True
    """
    m = np.asarray(m, dtype=np.int64)
    e = np.asarray(e, dtype=np.int64)
    out: list[list] = [[] for _ in range(m.size)]
    if m.size == 0:
        return out
    ctx = _Context(problem.mentor_table, problem.mentee_table)
    for rule in stage_rules(problem):
        ok = rule.mask(ctx, m, e)
        for i in np.flatnonzero(~ok).tolist():
            out[i].append(rule)
    return out


def broken_rules(problem: Problem, m: np.ndarray, e: np.ndarray) -> list[list[str]]:
    """For each pair (mentor row ``m``, mentee row ``e``), the names of the edge rules it breaks.

    Example
    -------
    >>> import numpy as np, pandas as pd, banghdai as bd
    >>> from banghdai.explain.common import broken_rules
    >>> p = bd.Problem(pd.DataFrame({"mentor_id": ["M"], "county": ["A"]}),
    ...                pd.DataFrame({"mentee_id": ["E"], "county": ["B"]}))
    >>> broken_rules(p.require(bd.SameRegion("county")), np.array([0]), np.array([0]))
    [['same county']]
    """
    return [[stage_name(r) for r in rules] for rules in broken_stage_rules(problem, m, e)]


@dataclass
class _Fixed:
    m: int
    e: int
    table: int
    row: int
    edge: int  # position among the compiled candidate edges, -1 when not a candidate
    broken: list  # the rules (objects) it breaks; [None]: not a candidate, no rule found

    @property
    def breaks(self) -> list[str]:
        """The funnel names of the rules it breaks ("the rules" when none is found)."""
        return ["the rules" if r is None else stage_name(r) for r in self.broken]


def _fixed_pairs(problem: Problem, compiled: Compiled) -> list[_Fixed]:
    """Every fixed pair (deduplicated), where it sits in the candidate graph, what it breaks."""
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
        broken = broken_stage_rules(problem, np.array([f.m for f in bad]),
                                    np.array([f.e for f in bad]))
        for f, n in zip(bad, broken, strict=True):
            f.broken = n or [None]
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


def _without_fixed(problem: Problem) -> Problem:
    p = copy_problem(problem)
    p.fixed = []
    return p


def _group_specs(problem: Problem) -> list:
    return list(getattr(problem, "group_rules", []) or [])


def _edge_load(compiled: Compiled) -> np.ndarray:
    """Capacity units each candidate pair uses (1 unless a Load rule says otherwise)."""
    load = getattr(compiled, "edge_load", None)
    return np.ones(compiled.n_edges, dtype=np.int64) if load is None else np.asarray(load)


def _pair_cap(compiled: Compiled) -> np.ndarray:
    """Most pairs each mentor can take within its capacity (smallest loads first)."""
    if getattr(compiled, "edge_load", None) is None:
        return compiled.cap_hi
    em, load = compiled.edge_mentor, _edge_load(compiled)
    order = np.lexsort((load, em))
    ms, ls = em[order], load[order]
    starts = offsets(ms, compiled.n_mentors)
    csum = np.cumsum(ls)
    before = np.r_[0, csum][starts[ms]]
    fits = csum - before <= compiled.cap_hi[ms]
    return np.bincount(ms[fits], minlength=compiled.n_mentors)


def _sum(x: list, edges: np.ndarray, weights: np.ndarray | None = None):
    """The CP-SAT sum of the edge variables ``x[edges]`` (weighted when ``weights``)."""
    if weights is None:
        return cp_model.LinearExpr.sum([x[j] for j in edges.tolist()])
    return cp_model.LinearExpr.weighted_sum([x[j] for j in edges.tolist()],
                                            weights[edges].tolist())
