"""Group rules compiled against the candidate edges (index arrays + CP-SAT parts).

Each compiled group rule names its *parts* so that explanations can put each
part behind an assumption literal; :func:`compile_groups` builds them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..core.arrays import group_positions
from ..core.arrays import pair_keys as _pair_keys
from ..core.errors import InputError, Msg
from ..core.ids import value_keys
from ..data.schema import pair_table
from ..model.groups import DistinctTypes, Load, Quota, RoleTemplate, Stable, quota_bounds

if TYPE_CHECKING:
    from ..model.problem import Problem
    from .graph import Compiled


# ------------------------------------------------------------------ compiled forms
Part = tuple[str, Callable[[Any, list, Any], None]]


def _lin(cp_model, x: list, idx: np.ndarray, coeffs: np.ndarray | None = None):
    if coeffs is None:
        return cp_model.LinearExpr.sum([x[j] for j in idx.tolist()])
    return cp_model.LinearExpr.weighted_sum([x[j] for j in idx.tolist()], coeffs.tolist())


def _add(model, expr_ok, enforce) -> None:
    ct = model.add(expr_ok)
    if enforce is not None:
        ct.only_enforce_if(enforce)


def _groups_of(keys: np.ndarray) -> list[np.ndarray]:
    """Positions sharing a key, for keys >= 0, in key order."""
    return group_positions(keys)


@dataclass(frozen=True, eq=False)
class AtMostOneGroups:
    """Sets of edges of which at most one may be chosen (distinct types / roles)."""

    label: str
    groups: list[np.ndarray]
    couples_components: bool = False

    def parts(self, compiled: Compiled) -> list[Part]:
        """One named part: all the at-most-one sets."""
        from ortools.sat.python import cp_model

        def add(model, x, enforce):
            for g in self.groups:
                _add(model, _lin(cp_model, x, g) <= 1, enforce)

        return [(self.label, add)] if self.groups else []


@dataclass(frozen=True, eq=False)
class CompiledQuota:
    """One bounded count per group value."""

    label: str
    spec: Quota
    names: list[str]
    edge_sets: list[np.ndarray]
    node_sets: list[np.ndarray]
    lo: list[int | None]
    hi: list[int | None]
    couples_components: bool = True

    def parts(self, compiled: Compiled) -> list[Part]:
        """One part per bounded group value."""
        from ortools.sat.python import cp_model

        out: list[Part] = []
        for name, edges, nodes, lo, hi in zip(self.names, self.edge_sets, self.node_sets,
                                              self.lo, self.hi, strict=True):
            what = {"pairs": "pairs", "mentees": "served mentees", "mentors": "used mentors"}[
                self.spec.count]
            text = f"{self.spec.side} {self.spec.column}={name}: {what}"
            if lo is not None:
                text += f" >= {lo}"
            if hi is not None:
                text += f" <= {hi}"

            def add(model, x, enforce, edges=edges, nodes=nodes, lo=lo, hi=hi):
                if self.spec.count == "pairs":
                    expr = _lin(cp_model, x, edges) if edges.size else 0
                else:
                    expr = self._indicators(model, x, compiled, nodes)
                if lo is not None:
                    _add(model, expr >= lo, enforce)
                if hi is not None:
                    _add(model, expr <= hi, enforce)

            out.append((text, add))
        return out

    def _indicators(self, model, x, compiled: Compiled, nodes: np.ndarray):
        """Sum of 0/1 indicators: mentee fully served, or mentor used."""
        from ortools.sat.python import cp_model

        own = compiled.edge_mentee if self.spec.side == "mentee" else compiled.edge_mentor
        terms = []
        for node in nodes.tolist():
            edges = np.flatnonzero(own == node)
            if not edges.size:
                continue
            y = model.new_bool_var("")
            total = _lin(cp_model, x, edges)
            if self.spec.count == "mentees":
                k = int(compiled.demand[node])
                if k == 0:
                    continue
                model.add(total >= k * y)
                model.add(total <= (k - 1) + y)
            else:
                model.add(total >= y)
                model.add(total <= int(edges.size) * y)
            terms.append(y)
        return cp_model.LinearExpr.sum(terms) if terms else 0


@dataclass(frozen=True, eq=False)
class CompiledStable:
    """Stability constraints over prefix sums of each side's ordered list."""

    label: str
    spec: Stable
    mentee_order: np.ndarray | None = None  # strict preference order of the edges per mentee
    mentor_order: np.ndarray | None = None
    couples_components: bool = False
    #: (edge_info, edge_mentor, edge_mentee) to build the orders from when first needed:
    #: only CP-SAT's stability constraints use them, not the stable backend
    source: tuple | None = None

    def orders(self) -> tuple[np.ndarray, np.ndarray]:
        """(mentee order, mentor order) of the edges, computed once on first use."""
        if self.mentee_order is None:
            info, m, e = self.source  # type: ignore[misc]
            a, b = preference_orders(info, m, e)
            object.__setattr__(self, "mentee_order", a)
            object.__setattr__(self, "mentor_order", b)
            object.__setattr__(self, "source", None)
        return self.mentee_order, self.mentor_order  # type: ignore[return-value]

    def parts(self, compiled: Compiled) -> list[Part]:
        """One named part: every pair's no-blocking constraint."""

        def add(model, x, enforce):
            n = compiled.n_edges
            mentee_order, mentor_order = self.orders()
            better_e = _prefix_before(model, x, mentee_order, compiled.edge_mentee,
                                      compiled.demand)
            better_m = _prefix_before(model, x, mentor_order, compiled.edge_mentor,
                                      compiled.cap_hi)
            for j in range(n):
                d = int(compiled.demand[compiled.edge_mentee[j]])
                c = int(compiled.cap_hi[compiled.edge_mentor[j]])
                if d == 0 or c == 0:
                    continue
                pe, pm = better_e[j], better_m[j]
                if d == 1:
                    ue = pe
                else:
                    ue = model.new_bool_var("")
                    model.add(pe >= d).only_enforce_if(ue)
                if c == 1:
                    ct = model.add(x[j] + ue + pm >= 1)
                else:
                    ct = model.add(c * (x[j] + ue) + pm >= c)
                if enforce is not None:
                    ct.only_enforce_if(enforce)

        return [(self.label, add)]


def _prefix_before(model, x: list, order: np.ndarray, owner: np.ndarray, bound: np.ndarray):
    """For each edge, the number of its owner's chosen edges strictly before it in ``order``."""
    before: list = [0] * len(x)
    ordered_owner = owner[order]
    starts = np.r_[0, np.flatnonzero(np.diff(ordered_owner)) + 1]
    ends = np.r_[starts[1:], order.size]
    for s, t in zip(starts.tolist(), ends.tolist(), strict=True):
        running = 0
        cap = int(bound[ordered_owner[s]]) if t > s else 0
        for pos in range(s, t):
            j = int(order[pos])
            before[j] = running
            nxt = model.new_int_var(0, max(cap, 1), "")
            model.add(nxt == running + x[j])
            running = nxt
    return before


def preference_orders(info: pd.DataFrame, m: np.ndarray, e: np.ndarray
                      ) -> tuple[np.ndarray, np.ndarray]:
    """Edges ordered by (mentee, mentee_rank, mentor) and (mentor, mentor_rank, mentee).

    Unranked pairs come last; ties break by the other side's index — the same
    strict orders :mod:`banghdai.stable` uses.
    """
    if "mentee_rank" not in info.columns or "mentor_rank" not in info.columns:
        raise InputError(Msg("compile.stable_ranks"),
                         table="preferences", column="mentor_rank")
    re_ = np.nan_to_num(info["mentee_rank"].to_numpy(float), nan=np.inf)
    rm = np.nan_to_num(info["mentor_rank"].to_numpy(float), nan=np.inf)
    return np.lexsort((m, re_, e)), np.lexsort((e, rm, m))


def compile_groups(problem: Problem, compiled_edges: dict[str, Any]) -> tuple[list, np.ndarray | None]:
    """Compile the problem's group rules against the edge arrays.

    Returns the compiled group rules and the per-edge load array (None
    without a :class:`Load` rule).
    """
    m = compiled_edges["edge_mentor"]
    e = compiled_edges["edge_mentee"]
    mentors, mentees = problem.mentor_table, problem.mentee_table
    out: list = []
    load: np.ndarray | None = None
    for rule in problem.group_rules:
        if isinstance(rule, DistinctTypes | RoleTemplate):
            per = rule.per if isinstance(rule, DistinctTypes) else "mentee"
            if per == "mentee":
                codes, _ = pd.factorize(pd.Series(value_keys(
                    mentors.require(rule.column, type(rule).__name__)), dtype=object))
                type_of, owner, n_types = codes[m], e, int(codes.max(initial=-1)) + 1
            else:
                codes, _ = pd.factorize(pd.Series(value_keys(
                    mentees.require(rule.column, type(rule).__name__)), dtype=object))
                type_of, owner, n_types = codes[e], m, int(codes.max(initial=-1)) + 1
            key = np.where(type_of >= 0, owner.astype(np.int64) * max(n_types, 1) + type_of, -1)
            groups = [g for g in _groups_of(key) if g.size > 1]
            out.append(AtMostOneGroups(rule.label(), groups))
        elif isinstance(rule, Quota):
            table = mentors if rule.side == "mentor" else mentees
            col = value_keys(table.require(rule.column, "Quota"))
            names = sorted({str(v) for v in col if v is not None})
            own = m if rule.side == "mentor" else e
            lo, hi = quota_bounds(rule.min, names), quota_bounds(rule.max, names)
            for bound in (rule.min, rule.max):
                if isinstance(bound, Mapping):
                    unknown = sorted(set(map(str, bound)) - set(names))
                    if unknown:
                        raise InputError(Msg("compile.quota_group", name=unknown[0]),
                                         table=table.side, column=table.shown(rule.column),
                                         choices=names)
            keep = [i for i in range(len(names)) if lo[i] is not None or hi[i] is not None]
            edge_sets, node_sets = [], []
            for i in keep:
                nodes = np.flatnonzero(col == names[i])
                node_sets.append(nodes)
                edge_sets.append(np.flatnonzero(np.isin(own, nodes)))
            out.append(CompiledQuota(rule.label(), rule, [names[i] for i in keep], edge_sets,
                                     node_sets, [lo[i] for i in keep], [hi[i] for i in keep]))
        elif isinstance(rule, Stable):
            out.append(("stable", rule))
        elif isinstance(rule, Load):
            if rule.mentee_column is not None:
                per_mentee = mentees.numeric(rule.mentee_column, "Load")
                values = per_mentee[e]
            else:
                pm, pe = pair_table(rule.table, "loads", mentors, mentees, rule.mentor, rule.mentee)
                if rule.column not in rule.table.columns:
                    raise InputError(Msg("compile.load_column"), table="loads", column=rule.column,
                                     choices=[str(c) for c in rule.table.columns])
                vals = pd.to_numeric(rule.table[rule.column], errors="coerce").to_numpy(float)
                keys = _pair_keys(pm, pe, len(mentors))
                order = np.argsort(keys, kind="stable")
                skeys, svals = keys[order], vals[order]
                ek = _pair_keys(m, e, len(mentors))
                pos = np.minimum(np.searchsorted(skeys, ek), max(skeys.size - 1, 0))
                hit = skeys[pos] == ek if skeys.size else np.zeros(ek.size, bool)
                if not hit.all():
                    j = int(np.flatnonzero(~hit)[0])
                    raise InputError(
                        Msg("compile.no_load", m=mentors.ids[m[j]], e=mentees.ids[e[j]]),
                        table="loads", column=rule.column)
                values = svals[pos]
            bad = ~np.isfinite(values) | (values < 0) | (values != np.round(values))
            if bad.any():
                raise InputError(Msg("compile.loads_whole"), table="loads",
                                 column=rule.column if rule.table is not None else rule.mentee_column)
            load = values.astype(np.int64) if load is None else load + values.astype(np.int64)
    return out, load
