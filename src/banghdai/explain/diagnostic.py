"""The diagnostic model: the hard rules as named groups, each one switchable as a whole.

Conflict finding (:mod:`.conflicts`) puts each group behind an assumption literal;
the cheapest relaxation (:mod:`.relax`) bends the same groups. A group is a rule
in planner terms: the capacity of one region's mentors, the mentees that must be
matched in one region, one fixed pair, the edge rule a fixed pair breaks, one part
of a group rule … Region groups have children (single mentors or mentees) so a
conflict can be drilled down to the people in it.

Example
-------
>>> import pandas as pd, banghdai as bd
>>> from banghdai.explain.diagnostic import _diagnostic
>>> mentors = pd.DataFrame({"mentor_id": ["M1"], "county": ["A"], "capacity": [1]})
>>> mentees = pd.DataFrame({"mentee_id": ["E1", "E2"], "county": ["A", "A"]})
>>> p = bd.Problem(mentors, mentees, pairing=bd.OneToMany("capacity", unmatched="forbid"))
>>> [(g.kind, g.subject) for g in _diagnostic(p, "en").groups]
[('capacity', 'A'), ('mentor_cap', 'M1'), ('must', 'A'), ('mentee', 'E1'), ('mentee', 'E2')]
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..compile.graph import compile_problem
from ..core.arrays import group_positions
from .common import (
    _edge_load,
    _Fixed,
    _fixed_pairs,
    _pair_cap,
    _region_level,
    _sum,
    _without_fixed,
)
from .unmatched import _last_rule
from .words import _labels

if TYPE_CHECKING:
    from ..compile.graph import Compiled
    from ..model.problem import Problem


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
    """The diagnostic model of ``problem``: its edges (candidates, then fixed pairs that are
    not candidates) and its rule groups."""
    base = _without_fixed(problem)
    compiled = compile_problem(base)
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


# --------------------------------------------------------------------------- groups
@dataclass
class _Nodes:
    """Per mentor and per mentee: its edges, degree, load and region; and the constraint
    each single mentor or mentee group posts."""

    c: Compiled
    wt: np.ndarray | None
    by_m: list[np.ndarray]
    by_e: list[np.ndarray]
    deg_m: np.ndarray
    deg_e: np.ndarray
    use_m: np.ndarray  # capacity units a mentor's edges would use all together
    reg_m: np.ndarray
    reg_e: np.ndarray

    @classmethod
    def of(cls, d: _Diag) -> _Nodes:
        c, wt = d.compiled, d.weight
        n_m, n_e = c.n_mentors, c.n_mentees
        deg_m = np.bincount(d.em, minlength=n_m).astype(np.int64)
        use_m = deg_m if wt is None else np.bincount(d.em, weights=wt, minlength=n_m)
        return cls(c, wt, group_positions(d.em, n_m), group_positions(d.ee, n_e), deg_m,
                   np.bincount(d.ee, minlength=n_e).astype(np.int64), use_m.astype(np.int64),
                   _labels(c.mentors.frame, d.level, d.lang),
                   _labels(c.mentees.frame, d.level, d.lang))

    def cap_one(self, model, x, lit, i) -> None:
        model.add(_sum(x, self.by_m[i], self.wt) <= int(self.c.cap_hi[i])).only_enforce_if(lit)

    def must_one(self, model, x, lit, i) -> None:
        model.add(_sum(x, self.by_e[i]) == int(self.c.demand[i])).only_enforce_if(lit)

    def most_one(self, model, x, lit, i) -> None:
        model.add(_sum(x, self.by_e[i]) <= int(self.c.demand[i])).only_enforce_if(lit)

    def lo_one(self, model, x, lit, i) -> None:
        model.add(_sum(x, self.by_m[i], self.wt) >= int(self.c.cap_lo[i])).only_enforce_if(lit)

    def mentee_data(self, i: int) -> dict[str, Any]:
        rule = _last_rule(self.c, np.array([i]))[0] if self.deg_e[i] == 0 else None
        return {"row": i, "need": int(self.c.demand[i]), "deg": int(self.deg_e[i]),
                "rule": rule}

    def mentor_data(self, i: int) -> dict[str, Any]:
        return {"row": i, "lo": int(self.c.cap_lo[i]), "deg": int(self.deg_m[i])}


def _single(one: Callable, i: int) -> Callable[[Any, list, Any], None]:
    """Post ``one``'s constraint for node ``i``."""
    return lambda model, x, lit: one(model, x, lit, i)


def _each(one: Callable, rows: np.ndarray) -> Callable[[Any, list, Any], None]:
    """Post ``one``'s constraint for every node of ``rows``, behind the same literal."""
    def post(model, x, lit) -> None:
        for i in rows.tolist():
            one(model, x, lit, i)

    return post


def _with_children(groups: list[_Group], parent: _Group, kind: str, rows: np.ndarray, table,
                   one: Callable, data: Callable[[int], dict]) -> None:
    """Append a region group, then one child group per node of ``rows``."""
    groups.append(parent)
    k = len(groups) - 1
    for i in rows.tolist():
        groups.append(_Group(kind, str(table.ids[i]), _single(one, i), data(i), parent=k))


def _make_groups(d: _Diag) -> None:
    """Fill ``d.groups``: capacity, mentees, minimum loads, fixed pairs, group rules."""
    nodes = _Nodes.of(d)
    _capacity_groups(d.groups, nodes)
    _mentee_groups(d.groups, nodes)
    _min_load_groups(d.groups, nodes)
    _fixed_groups(d)
    _group_rule_groups(d)


def _capacity_groups(groups: list[_Group], nodes: _Nodes) -> None:
    """Mentor capacity, per region (and per mentor, to drill down)."""
    c = nodes.c
    pair_cap = _pair_cap(c)
    for r in pd.unique(nodes.reg_m):
        rows = np.flatnonzero((nodes.reg_m == r) & (nodes.use_m > c.cap_hi))
        if rows.size == 0:
            continue
        members = np.flatnonzero(nodes.reg_m == r)
        cap = int(np.minimum(pair_cap[members], nodes.deg_m[members]).sum())
        _with_children(groups, _Group("capacity", r, _each(nodes.cap_one, rows), {"cap": cap}),
                       "mentor_cap", rows, c.mentors, nodes.cap_one,
                       lambda i: {"cap": int(c.cap_hi[i]), "row": i})


def _mentee_groups(groups: list[_Group], nodes: _Nodes) -> None:
    """Mentees: single groups for those short of candidates, else per region."""
    c = nodes.c
    short = nodes.deg_e < c.demand
    if c.must_match:
        for i in np.flatnonzero(short & (c.demand > 0)).tolist():
            groups.append(_Group("mentee", str(c.mentees.ids[i]), _single(nodes.must_one, i),
                                 nodes.mentee_data(i)))
    for r in pd.unique(nodes.reg_e):
        members = np.flatnonzero(nodes.reg_e == r)
        if c.must_match:
            rows = members[~short[members] & (c.demand[members] > 0)]
            one, kind = nodes.must_one, "must"
            data = {"need": int(c.demand[rows].sum())}
        else:
            rows = members[nodes.deg_e[members] > c.demand[members]]
            one, kind = nodes.most_one, "at_most"
            data = {}
        if rows.size == 0:
            continue
        _with_children(groups, _Group(kind, r, _each(one, rows), data), "mentee", rows,
                       c.mentees, one, nodes.mentee_data)


def _min_load_groups(groups: list[_Group], nodes: _Nodes) -> None:
    """Minimum loads: single mentors short of candidates, else per region."""
    c = nodes.c
    lo_rows = np.flatnonzero(c.cap_lo > 0)
    if lo_rows.size == 0:
        return
    use_m = nodes.use_m
    for i in lo_rows[use_m[lo_rows] < c.cap_lo[lo_rows]].tolist():
        groups.append(_Group("mentor", str(c.mentors.ids[i]), _single(nodes.lo_one, i),
                             nodes.mentor_data(i)))
    ok = lo_rows[use_m[lo_rows] >= c.cap_lo[lo_rows]]
    for r in pd.unique(nodes.reg_m[ok]):
        rows = ok[nodes.reg_m[ok] == r]
        _with_children(groups, _Group("min_load", r, _each(nodes.lo_one, rows),
                                      {"lo": int(c.cap_lo[rows].sum())}),
                       "mentor", rows, c.mentors, nodes.lo_one, nodes.mentor_data)


def _fixed_groups(d: _Diag) -> None:
    """Each fixed pair, then each edge rule that forbids some of them."""
    c = d.compiled
    breakers: dict[str, list[int]] = {}
    objects: dict[str, object] = {}  # the rule behind each label (its identity, not its words)
    for f, j in zip(d.fixed, d.fixed_edge, strict=True):

        def post(model, x, lit, j=j):
            model.add(x[j] == 1).only_enforce_if(lit)

        subject = f"({c.mentors.ids[f.m]}, {c.mentees.ids[f.e]})"
        d.groups.append(_Group("fixed", subject, post, {"m": f.m, "e": f.e, "edge": j,
                                                        "breaks": f.breaks}))
        for rule, obj in zip(f.breaks, f.broken, strict=True):
            breakers.setdefault(rule, []).append(j)
            objects.setdefault(rule, obj)
    for rule, edges in breakers.items():

        def post(model, x, lit, edges=edges):
            for j in edges:
                model.add(x[j] == 0).only_enforce_if(lit)

        d.groups.append(_Group("rule", rule, post, {"edges": edges, "rule": objects[rule]}))


def _group_rule_groups(d: _Diag) -> None:
    """Group rules: each named part behind its own literal."""
    c = d.compiled
    for rule in c.group_rules:
        parts = getattr(rule, "parts", None)
        if not callable(parts):
            continue
        label = getattr(rule, "label", type(rule).__name__)
        for index, (name, fn) in enumerate(parts(c)):

            def post(model, x, lit, fn=fn):
                fn(model, x[: c.n_edges], lit)

            d.groups.append(_Group("group", str(name), post,
                                   {"rule": rule, "label": label, "index": index}))
