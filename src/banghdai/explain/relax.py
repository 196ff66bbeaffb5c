"""The cheapest way out: relax capacities, minimum loads, demand, fixed pairs, group rules.

A pure problem (no group rule, loads or minimum loads) is relaxed exactly on the
network engine with elastic arcs (:func:`_relax_flow`: relaxation cost, then the
problem's own objective, as two lexicographic levels); any other by CP-SAT with a
slack per mentor, mentee, fixed pair and group part (:func:`_relax`). The slacks
become a relaxed :class:`~banghdai.model.problem.Problem` and a table listing each
change (:func:`_relaxed_problem`).

Example
-------
>>> import pandas as pd, banghdai as bd
>>> from banghdai.explain.diagnostic import _diagnostic
>>> from banghdai.explain.relax import _relax_costs, _relax_flow, _relaxed_problem
>>> mentors = pd.DataFrame({"mentor_id": ["M1"], "capacity": [1]})
>>> mentees = pd.DataFrame({"mentee_id": ["E1", "E2"]})
>>> p = bd.Problem(mentors, mentees, pairing=bd.OneToMany("capacity", unmatched="forbid"))
>>> d = _diagnostic(p, "en")
>>> state, slacks = _relax_flow(d, _relax_costs({}))
>>> state, _relaxed_problem(d, slacks)[1]["message"].tolist()
('optimal', ['raise the capacity of mentor M1 from 1 to 2'])
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from ortools.sat.python import cp_model

from ..core import interrupt
from ..core.arrays import group_positions
from ..core.errors import InputError, Msg
from ..core.ids import ids_as_str
from ..core.messages import text
from ..model.groups import Quota
from ..model.rules import FixedPairs
from ..solvers.base import SolveParams
from ..solvers.cpsat import apply_params
from ..solvers.netflow import Network, solve_lexicographic
from ..solvers.run import solve
from .common import _group_specs, _sum, copy_problem
from .diagnostic import _Diag, _Group
from .unmatched import with_reasons
from .words import _labels, _named, _quote

if TYPE_CHECKING:
    from ..compile.graph import Compiled
    from ..model.problem import Problem
    from ..result import Result


# ------------------------------------------------------------------------ costs, exact flow
RELAX_KINDS = ("unmatched", "capacity", "min_load", "fixed", "group")
_RELAX_COST = {"unmatched": 1, "capacity": 1, "min_load": 1, "fixed": 1, "group": 2}


def _relax_costs(relax: Mapping[str, float | None]) -> dict[str, int | None]:
    costs: dict[str, int | None] = {k: v * 1000 for k, v in _RELAX_COST.items()}
    for key, value in relax.items():
        if key not in RELAX_KINDS:
            raise InputError(Msg("explain.unknown_relaxation", key=key), column="relax",
                             choices=RELAX_KINDS)
        if value is None:
            costs[key] = None
        elif isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            raise InputError(Msg("explain.relaxation_cost", value=value), column="relax")
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
    """The cheapest relaxation of a pure problem as one exact lexicographic flow, or None.

    Elastic arcs: extra capacity (source → mentor), unmatched places (source →
    mentee), and a reward for keeping each fixed pair. The network engine
    (:func:`~banghdai.solvers.netflow.solve_lexicographic`) minimises the
    relaxation cost first and then, among the cheapest relaxations, maximises the
    problem's own objective (coverage first, as the solver ranks it) — two levels
    on one network, no big-M weight. Returns None when the problem is not pure
    (group rules, loads, minimum loads, a kind that may not be relaxed) or its
    numbers do not fit the engine's 64-bit range.
    """
    c = d.compiled
    if (c.group_rules or d.weight is not None or c.cap_lo.any() or costs["fixed"] is None
            or costs["capacity"] is None or (c.must_match and costs["unmatched"] is None)):
        return None
    n_m, n_e, n_in = c.n_mentors, c.n_mentees, c.n_edges
    lam_cap, lam_un, lam_fix = (int(costs[k] or 0) for k in ("capacity", "unmatched", "fixed"))
    slots = int(c.demand.sum())
    value = (c.edge_value + _coverage_bonus(c)).astype(np.int64)
    fixed_edges = np.array([f.edge for f in d.fixed if f.edge >= 0], dtype=np.int64)
    reward = np.zeros(n_in, dtype=np.int64)
    reward[fixed_edges] = lam_fix
    deg_m = np.bincount(c.edge_mentor, minlength=n_m)
    source, sink = 0, n_m + n_e + 1
    mnode = 1 + np.arange(n_m, dtype=np.int64)
    enode = 1 + n_m + np.arange(n_e, dtype=np.int64)
    extra = np.maximum(deg_m - c.cap_hi, 0)
    has_extra = extra > 0
    n_extra = int(has_extra.sum())
    zeros = np.zeros
    # arcs: source→mentor, extra capacity, pairs, mentee→sink, then unmatched places or bypass
    tails = [np.full(n_m, source), np.full(n_extra, source), mnode[c.edge_mentor], enode]
    heads = [mnode, mnode[has_extra], enode[c.edge_mentee], np.full(n_e, sink)]
    caps = [c.cap_hi, extra[has_extra], np.ones(n_in, dtype=np.int64), c.demand]
    relax_cost = [zeros(n_m, np.int64), np.full(n_extra, lam_cap), -reward, zeros(n_e, np.int64)]
    objective = [zeros(n_m, np.int64), zeros(n_extra, np.int64), -value, zeros(n_e, np.int64)]
    if c.must_match:  # a place left unfilled comes straight from the source, at a cost
        tails.append(np.full(n_e, source))
        heads.append(enode)
        caps.append(c.demand)
        relax_cost.append(np.full(n_e, lam_un))
    else:  # places may stay empty: a free bypass
        tails.append(np.array([source]))
        heads.append(np.array([sink]))
        caps.append(np.array([slots]))
        relax_cost.append(np.array([0]))
    objective.append(zeros(len(tails[-1]), np.int64))
    supply = zeros(n_m + n_e + 2, dtype=np.int64)
    supply[source], supply[sink] = slots, -slots
    upper = np.concatenate(caps).astype(np.int64)
    net = Network(n_m + n_e + 2, tail=np.concatenate(tails), head=np.concatenate(heads),
                  lower=zeros(upper.size, np.int64), upper=upper, supply=supply)
    try:
        flow, _, status = solve_lexicographic(
            net, [np.concatenate(relax_cost), np.concatenate(objective)])
    except ValueError:  # numbers beyond the engine's exact range: CP-SAT relaxes it
        return None
    if status != "OPTIMAL" or flow is None:
        return "infeasible", {}
    first = n_m + n_extra
    chosen = flow[first:first + n_in] > 0
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


# --------------------------------------------------------------------------- CP-SAT
@dataclass
class _Elastic:
    """The CP-SAT relaxation model: edge variables, slacks, and the cost of each slack."""

    model: Any
    x: list
    terms: list[tuple[Any, int]] = field(default_factory=list)
    s_cap: dict[int, Any] = field(default_factory=dict)  # extra capacity per mentor
    s_lo: dict[int, Any] = field(default_factory=dict)  # lowered minimum load per mentor
    u: dict[int, Any] = field(default_factory=dict)  # unmatched places per mentee
    drops: list[Any] = field(default_factory=list)  # per fixed pair: dropped (bool or var)
    parts: list[tuple[_Group, Any, Any, Any]] = field(default_factory=list)  # group parts

    def cost(self):
        terms = self.terms
        return (cp_model.LinearExpr.weighted_sum([t for t, _ in terms], [w for _, w in terms])
                if terms else 0)

    def slack_vars(self) -> list:
        out = [*self.s_cap.values(), *self.s_lo.values(), *self.u.values()]
        for _, dv, lo_v, hi_v in self.parts:
            out += [v for v in (dv, lo_v, hi_v) if v is not None]
        return out + [v for v in self.drops if not isinstance(v, bool)]


def _elastic_mentors(el: _Elastic, c: Compiled, wt: np.ndarray | None,
                     costs: dict[str, int | None]) -> None:
    """Capacity (bends upwards) and minimum load (bends downwards) of each mentor."""
    model, x = el.model, el.x
    by_m = group_positions(c.edge_mentor, c.n_mentors)
    for i in range(c.n_mentors):
        edges, hi, lo = by_m[i], int(c.cap_hi[i]), int(c.cap_lo[i])
        use = int(edges.size if wt is None else wt[edges].sum())
        if use > hi:
            if costs["capacity"] is not None:
                el.s_cap[i] = model.new_int_var(0, use - hi, "")
                model.add(_sum(x, edges, wt) <= hi + el.s_cap[i])
                el.terms.append((el.s_cap[i], costs["capacity"]))
            else:
                model.add(_sum(x, edges, wt) <= hi)
        if lo > 0:
            if costs["min_load"] is not None:
                el.s_lo[i] = model.new_int_var(0, lo, "")
                model.add(_sum(x, edges, wt) + el.s_lo[i] >= lo)
                el.terms.append((el.s_lo[i], costs["min_load"]))
            else:
                model.add(_sum(x, edges, wt) >= lo)


def _elastic_mentees(el: _Elastic, c: Compiled, costs: dict[str, int | None]) -> None:
    """Each mentee's demand: met exactly (unmatched places cost) or at most."""
    model, x = el.model, el.x
    by_e = group_positions(c.edge_mentee, c.n_mentees)
    for i in range(c.n_mentees):
        edges, k = by_e[i], int(c.demand[i])
        if c.must_match and k > 0:
            if costs["unmatched"] is not None:
                el.u[i] = model.new_int_var(0, k, "")
                model.add(_sum(x, edges) + el.u[i] == k)
                el.terms.append((el.u[i], costs["unmatched"]))
            else:
                model.add(_sum(x, edges) == k)
        elif edges.size > k:
            model.add(_sum(x, edges) <= k)


def _elastic_fixed(el: _Elastic, d: _Diag, costs: dict[str, int | None]) -> None:
    """Each fixed pair: kept, or dropped at a cost (always dropped when it breaks a rule)."""
    model, x = el.model, el.x
    for f in d.fixed:
        if f.edge < 0:
            el.drops.append(True)  # breaks an edge rule: always dropped
        elif costs["fixed"] is not None:
            dvar = model.new_bool_var("")
            model.add(x[f.edge] + dvar >= 1)
            el.terms.append((dvar, costs["fixed"]))
            el.drops.append(dvar)
        else:
            model.add(x[f.edge] == 1)
            el.drops.append(False)


def _elastic_groups(el: _Elastic, d: _Diag, costs: dict[str, int | None]) -> None:
    """Each group part: a quota on pairs bends by pairs, any other part is dropped whole."""
    model, x = el.model, el.x
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
                el.terms.append((slo, costs["group"]))
            if hi is not None:
                shi = model.new_int_var(0, max(int(edges.size) - int(hi), 0), "")
                model.add(_sum(x, edges) - shi <= int(hi))
                el.terms.append((shi, costs["group"]))
            el.parts.append((g, None, slo, shi))
        else:
            dvar = model.new_bool_var("")
            g.post(model, x, dvar.Not())
            el.terms.append((dvar, costs["group"]))
            el.parts.append((g, dvar, None, None))


def _solve_elastic(el: _Elastic, c: Compiled, time_limit: float, seed: int):
    """Minimise the relaxation cost, then at that cost maximise coverage and score.

    Returns ``(state, solver)``; ``state`` is 'optimal' or 'feasible' (the cost is
    proven least or not), else 'infeasible' / 'unknown' (no solution).
    """
    model = el.model
    cost = el.cost()
    solver = cp_model.CpSolver()
    start = time.perf_counter()
    # the full-LP worker without presolve: fastest on these transport-shaped models
    tuned = {"subsolvers": ["max_lp"], "cp_model_presolve": False, "symmetry_level": 0}
    apply_params(solver, SolveParams(time_limit=time_limit, seed=seed, extra=tuned))
    solver.parameters.catch_sigint_signal = False  # Ctrl-C stops the search: stoppable
    model.minimize(cost)
    code = interrupt.stoppable(lambda: solver.solve(model), solver.stop_search)
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return ("infeasible" if code == cp_model.INFEASIBLE else "unknown"), solver
    proven = code == cp_model.OPTIMAL
    best = int(round(solver.objective_value))
    # second level: the problem's own objective (coverage, then score) at that cost
    model.add(cost <= best)
    coeffs = (c.edge_value + _coverage_bonus(c)).tolist()
    model.maximize(cp_model.LinearExpr.weighted_sum(el.x, coeffs))
    for var in el.slack_vars():
        model.add_hint(var, solver.value(var))
    for var in el.x:
        model.add_hint(var, solver.boolean_value(var))
    # only a tie-break among equally cheap relaxations (the relaxed problem is solved
    # exactly afterwards): a short budget
    remaining = max(min(time_limit - (time.perf_counter() - start), time_limit / 10), 0.5)
    apply_params(solver, SolveParams(time_limit=remaining, seed=seed, extra=tuned))
    solver.parameters.catch_sigint_signal = False
    code2 = interrupt.stoppable(lambda: solver.solve(model), solver.stop_search)
    if code2 not in (cp_model.OPTIMAL, cp_model.FEASIBLE):  # pragma: no cover - hint is feasible
        return "unknown", solver
    return ("optimal" if proven else "feasible"), solver


def _read_slacks(el: _Elastic, solver, n_m: int, n_e: int) -> dict[str, Any]:
    """The slack values of a solved relaxation model, as :func:`_relax` returns them."""

    def values(store: dict[int, Any], n: int) -> np.ndarray:
        out = np.zeros(n, dtype=np.int64)
        for i, var in store.items():
            out[i] = solver.value(var)
        return out

    fixed_drop = np.array([v if isinstance(v, bool) else bool(solver.boolean_value(v))
                           for v in el.drops], dtype=bool)
    group_slack = [(g, False if dv is None else bool(solver.boolean_value(dv)),
                    0 if lo_v is None else int(solver.value(lo_v)),
                    0 if hi_v is None else int(solver.value(hi_v)))
                   for g, dv, lo_v, hi_v in el.parts]
    return {
        "capacity": values(el.s_cap, n_m),
        "min_load": values(el.s_lo, n_m),
        "unmatched": values(el.u, n_e),
        "fixed": fixed_drop,
        "group": group_slack,
    }


def _relax(d: _Diag, costs: dict[str, int | None], time_limit: float, seed: int):
    """Cheapest relaxation: slack per mentor / mentee / fixed pair / group part (CP-SAT).

    First the total relaxation cost is minimised, then, at that cost, coverage
    and then the problem's own objective are maximised.
    Returns ``(state, slacks)``: ``capacity`` / ``min_load`` per mentor,
    ``unmatched`` per mentee, ``fixed`` per fixed pair (dropped or not), and
    ``group``: ``(group, dropped, lower slack, upper slack)`` per group part.
    """
    c = d.compiled
    wt = None if d.weight is None else d.weight[:c.n_edges]
    model = cp_model.CpModel()
    el = _Elastic(model, [model.new_bool_var("") for _ in range(c.n_edges)])
    _elastic_mentors(el, c, wt, costs)
    _elastic_mentees(el, c, costs)
    _elastic_fixed(el, d, costs)
    _elastic_groups(el, d, costs)
    state, solver = _solve_elastic(el, c, time_limit, seed)
    if state not in ("optimal", "feasible"):
        return state, {}
    return state, _read_slacks(el, solver, c.n_mentors, c.n_mentees)


# --------------------------------------------------------------------------- relaxed problem
_RELAXATION_COLUMNS = ["kind", "region", "subject", "amount", "message"]


class _Listing:
    """The rows of the relaxations table, one change at a time."""

    def __init__(self) -> None:
        self.rows: list[dict[str, Any]] = []

    def add(self, kind: str, region: str, subject: str, amount: int, message: str) -> None:
        self.rows.append({"kind": kind, "region": region, "subject": subject, "amount": amount,
                          "message": message})

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.rows, columns=_RELAXATION_COLUMNS)


def _bump(frame: pd.DataFrame, spec: int | str, delta: np.ndarray, name: str) -> str:
    """Add ``delta`` to a per-row number (a column, or a constant made a new column)."""
    base = (pd.to_numeric(frame[spec]).to_numpy(np.int64) if isinstance(spec, str)
            else np.full(len(frame), int(spec), dtype=np.int64))
    column = spec if isinstance(spec, str) else f"{name}_relaxed"
    frame[column] = base + delta
    return column


def _spec_of(problem: Problem, compiled: Compiled, rule: Any) -> Any:
    """The problem's group rule a compiled group rule came from."""
    return getattr(rule, "spec", None)  # every compiled group rule keeps its spec


def _relaxed_problem(d: _Diag, slacks: dict[str, Any]) -> tuple[Problem, pd.DataFrame]:
    """The problem with every relaxation applied, and the table listing them."""
    p = copy_problem(d.problem)
    listing = _Listing()
    _relax_people(p, d, slacks, listing)
    drop = slacks["fixed"]
    if drop.any():
        _drop_fixed(p, d, drop, listing)
    _relax_group_rules(p, d, slacks["group"], listing)
    return p, listing.frame()


def _relax_people(p: Problem, d: _Diag, slacks: dict[str, Any], listing: _Listing) -> None:
    """Raise capacities, lower minimum loads and mentors per mentee (in the tables of ``p``)."""
    c, lang = d.compiled, d.lang
    pairing = p.pairing
    mentors = p.mentor_table.frame.copy()
    mentees = p.mentee_table.frame.copy()
    reg_m = _labels(c.mentors.frame, d.level, d.lang)
    reg_e = _labels(c.mentees.frame, d.level, d.lang)
    add = listing.add
    changes: dict[str, Any] = {}
    cap = slacks["capacity"]
    if cap.any():
        changes["capacity"] = _bump(mentors, pairing.capacity, cap, "capacity")
        for i in np.flatnonzero(cap).tolist():
            ident = _named(c.mentors, i)
            add("capacity", reg_m[i], str(c.mentors.ids[i]), int(cap[i]),
                text("relax.capacity", lang, name=ident, old=c.cap_hi[i],
                     new=c.cap_hi[i] + cap[i]))
    lo = slacks["min_load"]
    if lo.any():
        changes["min_load"] = _bump(mentors, pairing.min_load, -lo, "min_load")
        for i in np.flatnonzero(lo).tolist():
            ident = _named(c.mentors, i)
            add("min_load", reg_m[i], str(c.mentors.ids[i]), int(lo[i]),
                text("relax.min_load", lang, name=ident, old=c.cap_lo[i],
                     new=c.cap_lo[i] - lo[i]))
    un = slacks["unmatched"]
    if un.any():
        changes["mentors_per_mentee"] = _bump(mentees, pairing.mentors_per_mentee, -un,
                                              "mentors_per_mentee")
        for i in np.flatnonzero(un).tolist():
            ident = _named(c.mentees, i)
            add("unmatched", reg_e[i], str(c.mentees.ids[i]), int(un[i]),
                text("relax.unmatched", lang, name=ident, n=un[i], need=c.demand[i]))
    if changes:
        pairing = replace(pairing, **changes)
    p.pairing = pairing
    p.mentor_table = replace(p.mentor_table, frame=mentors)
    p.mentee_table = replace(p.mentee_table, frame=mentees)


def _drop_fixed(p: Problem, d: _Diag, drop: np.ndarray, listing: _Listing) -> None:
    """Remove the dropped fixed pairs from the fixed tables of ``p``."""
    c, lang = d.compiled, d.lang
    reg_e = _labels(c.mentees.frame, d.level, lang)
    per_table: dict[int, list[int]] = {}
    for f, gone in zip(d.fixed, drop.tolist(), strict=True):
        if not gone:
            continue
        per_table.setdefault(f.table, []).append(f.row)
        subject = f"({c.mentors.ids[f.m]}, {c.mentees.ids[f.e]})"
        why = ""
        if f.breaks:
            names = ", ".join(_quote(b, lang) for b in f.breaks)
            why = text("relax.breaks", lang, names=names)
        listing.add("fixed", reg_e[f.e], subject, 1,
                    text("relax.drop_fixed", lang, pair=subject, why=why))
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


def _bend_quota(cur: Quota, spec: Quota, rule: Any, i: int, gone: bool, s_lo: int, s_hi: int,
                lang: str, listing: _Listing) -> Quota | None:
    """``cur`` (the quota as bent so far) with part ``i`` released or its bounds moved;
    None when no bound is left."""
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
        listing.add("group", "", what, 1,
                    text("relax.drop_group_for", lang, label=spec.label, what=what))
    if s_lo:
        mins[name] = rule.lo[i] - s_lo
        listing.add("group", "", what, s_lo,
                    text("relax.lower_min", lang, label=spec.label, what=what,
                         old=rule.lo[i], new=mins[name]))
    if s_hi:
        maxs[name] = rule.hi[i] + s_hi
        listing.add("group", "", what, s_hi,
                    text("relax.raise_max", lang, label=spec.label, what=what,
                         old=rule.hi[i], new=maxs[name]))
    return replace(cur, min=mins or None, max=maxs or None) if (mins or maxs) else None


def _relax_group_rules(p: Problem, d: _Diag, group_slack: list, listing: _Listing) -> None:
    """Group rules of ``p``: quota bounds moved or released, other rules dropped."""
    lang = d.lang
    new_specs: dict[int, Any] = {}
    dropped: set[int] = set()
    for g, gone, s_lo, s_hi in group_slack:
        if not (gone or s_lo or s_hi):
            continue
        rule, i = g.data["rule"], g.data["index"]
        spec = _spec_of(d.problem, d.compiled, rule)
        if spec is None:  # pragma: no cover - every compiled group rule has a spec
            continue
        if spec.key == "quota":
            cur = new_specs.get(id(spec), spec)
            new_specs[id(spec)] = _bend_quota(cur, spec, rule, i, gone, s_lo, s_hi, lang,
                                           listing)
        else:
            dropped.add(id(spec))
            listing.add("group", "", g.subject, 1,
                        text("relax.drop_group", lang, label=g.data["label"]))
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


# --------------------------------------------------------------------------- for explain
def _relaxation(d: _Diag, relax: Mapping[str, float | None], feasible: bool | None,
                time_limit: float, seed: int
                ) -> tuple[pd.DataFrame, Problem, Result] | None:
    """``(relaxations, relaxed problem, its solved result)`` for :func:`~.conflicts.explain`,
    or None when no relaxation was found in time.

    ``relax`` holds unit costs per kind (an empty mapping: the defaults). A
    feasible problem needs none: it is solved as it is.
    """
    costs = _relax_costs(relax)
    problem, lang = d.problem, d.lang
    if feasible:
        return (pd.DataFrame(columns=_RELAXATION_COLUMNS), problem,
                with_reasons(solve(problem, seed=seed, lang=lang)))
    found = _relax_flow(d, costs)
    if found is None:
        found = _relax(d, costs, max(time_limit, 5.0), seed)
    state, slacks = found
    if state not in ("optimal", "feasible"):
        return None
    relaxed, listing = _relaxed_problem(d, slacks)
    result = with_reasons(solve(relaxed, seed=seed, lang=lang))
    result.info["relaxation_proven_cheapest"] = state == "optimal"
    return listing, relaxed, result
