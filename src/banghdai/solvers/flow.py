"""Exact fast path: min-cost flow for edge rules + degree bounds + a linear objective.

Such a problem is a degree-constrained bipartite b-matching, i.e. a flow:
source → mentor (capacity, lower bound via node supply) → mentee (one unit per
candidate pair, cost = −value) → sink (demand). Coverage-first ("fill as many
mentor slots as possible, then maximise the score") is a maximum flow of
minimum cost; an explicit unmatched penalty or mentor minimum loads use a
bypass arc and the same big-M penalty as the CP-SAT model, so both backends
have the same optimum. Fixed pairs are pre-assigned (they use up capacity and
demand), never faked as costs.

A complete one-to-one problem (every mentor a candidate for every mentee) goes
to SciPy's ``linear_sum_assignment`` (Jonker–Volgenant), which is faster still.

Example
-------
>>> import pandas as pd, banghdai as bd
>>> p = bd.Problem(pd.DataFrame({"mentor_id": ["M1", "M2"]}), pd.DataFrame({"mentee_id": ["E"]}))
>>> p.solve().backend
'flow'
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import numpy as np
from ortools.graph.python import min_cost_flow
from scipy.optimize import linear_sum_assignment
from scipy.sparse import csr_array
from scipy.sparse.csgraph import min_weight_full_bipartite_matching

from ..core.errors import InputError, Msg
from ..core.status import Status
from .base import RawSolution, SolveParams, trivially_infeasible

if TYPE_CHECKING:
    from ..compile.graph import Compiled


def _one_to_one(c: Compiled) -> bool:
    """Unit capacities and demands, no lower bounds or fixed pairs, coverage-first or forbid."""
    return (
        c.n_edges > 0
        and bool(np.all(c.cap_hi == 1))
        and not c.cap_lo.any()
        and bool(np.all(c.demand == 1))
        and not c.edge_fixed.any()
        and (c.must_match or bool(np.all(c.edge_value + c.slot_penalty > 0)))
    )


def _dense_one_to_one(c: Compiled) -> bool:
    return c.n_edges == c.n_mentors * c.n_mentees and _one_to_one(c)


def _assign_max(value: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Maximum-weight assignment of the smaller side: lap.lapjv when it is exact, else SciPy.

    Both are Jonker–Volgenant implementations; ``lap`` (the ``fast`` extra) is
    2-4x faster on large dense matrices, but it uses ``lap.LARGE`` (10^6) as
    infinity and returns wrong assignments once costs reach it. It is used only
    while every cost (shifted to start at 0) stays below half of that;
    otherwise, or without ``lap``, SciPy's ``linear_sum_assignment`` solves it.
    """
    try:
        import lap
    except ImportError:
        return linear_sum_assignment(value, maximize=True)
    n_rows, n_cols = value.shape
    cost = value.astype(np.float64)
    np.subtract(cost.max(initial=0.0), cost, out=cost)  # >= 0, minimise
    if cost.size and float(cost.max()) >= getattr(lap, "LARGE", 1e6) / 2:
        return linear_sum_assignment(cost)
    _, x, _ = lap.lapjv(cost, extend_cost=n_rows != n_cols)
    rows = np.flatnonzero(x >= 0)
    return rows, x[rows].astype(np.int64)


class FlowBackend:
    """Min-cost flow (OR-Tools) and linear assignment (SciPy): exact, for pure problems.

    Example
    -------
    >>> from banghdai.solvers import get_backend
    >>> get_backend("flow").name
    'flow'
    """

    name = "flow"

    def supports(self, compiled: Compiled) -> bool:
        """Pure problems only: no group rule couples edges, unit loads."""
        return not compiled.group_rules and compiled.edge_load is None and not compiled.levels

    def solve(self, compiled: Compiled, params: SolveParams) -> RawSolution:
        """Solve exactly; the status is OPTIMAL or INFEASIBLE (proven)."""
        if params.extra:
            raise InputError(
                Msg("solve.flow_params", got=sorted(params.extra)),
                column="params",
            )
        return self.solve_relaxation(compiled)

    def solve_relaxation(self, compiled: Compiled) -> RawSolution:
        """Exact optimum of ``compiled`` ignoring any group rule (all of it when pure).

        With group rules dropped the problem only gets easier, so its optimum
        bounds the full problem's from above, and INFEASIBLE here proves the
        full problem infeasible.
        """
        start = time.perf_counter()
        if _dense_one_to_one(compiled):  # complete: every degree bound can be met
            return self._assignment(compiled, start)
        reason = trivially_infeasible(compiled)
        if reason is not None:
            return RawSolution(Status.INFEASIBLE, None, None, None,
                               time.perf_counter() - start, {"reason": reason})
        if _one_to_one(compiled) and (compiled.must_match
                                      or compiled.pairing.unmatched_penalty is None):
            # coverage first (or forced): the optimum is a maximum-cardinality matching
            raw = self._sparse_assignment(compiled, start)
            if raw is not None:
                return raw
        return self._flow(compiled, start)

    def _sparse_assignment(self, c: Compiled, start: float) -> RawSolution | None:
        """SciPy's sparse LAPJVsp when a matching covers the smaller side; else None (use flow).

        When every mentee (or every mentor, if fewer) can be matched, coverage
        first means exactly such a full matching, so the maximum-weight full
        matching is the optimum.
        """
        weight = c.edge_value.astype(np.float64)
        np.subtract(float(weight.max()) + 1.0, weight, out=weight)  # > 0: explicit entries stay
        # edges are sorted by (mentee, mentor): they already are the rows of a CSR matrix
        indptr = np.searchsorted(c.edge_mentee, np.arange(c.n_mentees + 1, dtype=np.int64))
        graph = csr_array((weight, c.edge_mentor, indptr), shape=(c.n_mentees, c.n_mentors))
        try:
            rows, cols = min_weight_full_bipartite_matching(graph)
        except ValueError:  # no full matching: coverage-first needs the flow
            return None
        if c.must_match and rows.size < c.n_mentees:
            return None
        keys = c.edge_mentee.astype(np.int64) * c.n_mentors + c.edge_mentor
        chosen = np.zeros(c.n_edges, dtype=bool)
        chosen[np.searchsorted(keys, rows.astype(np.int64) * c.n_mentors + cols)] = True
        return self._finish(c, chosen, start, "min_weight_full_bipartite_matching")

    @staticmethod
    def _finish(c: Compiled, chosen: np.ndarray, start: float, method: str) -> RawSolution:
        total = int((c.edge_value[chosen] + c.slot_penalty).sum())
        return RawSolution(Status.OPTIMAL, chosen, total, total, time.perf_counter() - start,
                           {"method": method})

    def _assignment(self, c: Compiled, start: float) -> RawSolution:
        if c.must_match and c.n_mentees > c.n_mentors:
            return RawSolution(
                Status.INFEASIBLE, None, None, None, time.perf_counter() - start,
                {"reason": f"{c.n_mentees} mentees must each get a mentor but there are only "
                           f"{c.n_mentors} mentors of capacity 1", "method": "assignment"},
            )
        # edges are sorted by mentee then mentor and complete: a mentees × mentors matrix
        value = c.edge_value.reshape(c.n_mentees, c.n_mentors)
        rows, cols = _assign_max(value)
        chosen = np.zeros(c.n_edges, dtype=bool)
        chosen[rows * c.n_mentors + cols] = True
        return self._finish(c, chosen, start, "linear_sum_assignment")

    def _flow(self, c: Compiled, start: float) -> RawSolution:
        n_m, n_e = c.n_mentors, c.n_mentees
        fixed = c.edge_fixed
        fixed_m = np.bincount(c.edge_mentor[fixed], minlength=n_m)
        fixed_e = np.bincount(c.edge_mentee[fixed], minlength=n_e)
        hi = c.cap_hi - fixed_m
        lo = np.maximum(c.cap_lo - fixed_m, 0)
        need = c.demand - fixed_e
        total_need = int(need.sum())
        if int(lo.sum()) > total_need:
            return RawSolution(
                Status.INFEASIBLE, None, None, None, time.perf_counter() - start,
                {"reason": f"mentors' minimum loads ({int(lo.sum())}) exceed the mentor slots "
                           f"mentees need ({total_need})", "method": "min_cost_flow"},
            )
        free = np.flatnonzero(~fixed)
        source, sink = 0, n_m + n_e + 1
        mentor_node = 1 + np.arange(n_m, dtype=np.int64)
        mentee_node = 1 + n_m + np.arange(n_e, dtype=np.int64)
        bypass = (not c.must_match) and (bool(lo.any()) or c.pairing.unmatched_penalty is not None)
        if bypass or c.must_match:
            cost = -(c.edge_value[free] + c.slot_penalty)
        else:
            cost = -c.edge_value[free]
        smcf = min_cost_flow.SimpleMinCostFlow()
        has_room = hi - lo > 0
        tails = np.concatenate([
            np.full(int(has_room.sum()), source, dtype=np.int64),
            mentor_node[c.edge_mentor[free]],
            mentee_node[need > 0],
        ])
        heads = np.concatenate([
            mentor_node[has_room],
            mentee_node[c.edge_mentee[free]],
            np.full(int((need > 0).sum()), sink, dtype=np.int64),
        ])
        caps = np.concatenate([(hi - lo)[has_room], np.ones(free.size, dtype=np.int64),
                               need[need > 0]])
        costs = np.concatenate([np.zeros(int(has_room.sum()), dtype=np.int64), cost,
                                np.zeros(int((need > 0).sum()), dtype=np.int64)])
        first_edge_arc = int(has_room.sum())
        if bypass:
            tails = np.append(tails, source)
            heads = np.append(heads, sink)
            caps = np.append(caps, total_need)
            costs = np.append(costs, 0)
        smcf.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, costs)
        supplies = np.zeros(n_m + n_e + 2, dtype=np.int64)
        if c.must_match or bypass:
            supplies[source] = total_need - int(lo.sum())
            supplies[mentor_node] = lo
            supplies[sink] = -total_need
        else:  # max flow of min cost: offer no more than the mentors can take (lo is 0 here)
            offer = min(total_need, int((hi - lo)[has_room].sum()))
            supplies[source], supplies[sink] = offer, -offer
        smcf.set_nodes_supplies(np.arange(supplies.size, dtype=np.int64), supplies)
        if c.must_match or bypass:
            status = smcf.solve()
        else:
            status = smcf.solve_max_flow_with_min_cost()
        if status == smcf.INFEASIBLE or (c.must_match and status == smcf.UNBALANCED):
            return RawSolution(
                Status.INFEASIBLE, None, None, None, time.perf_counter() - start,
                {"reason": "no flow meets every degree bound", "method": "min_cost_flow"},
            )
        if status != smcf.OPTIMAL:  # pragma: no cover - BAD_COST_RANGE etc. are bugs here
            raise RuntimeError(f"min-cost flow ended with status {status}")
        arcs = np.arange(first_edge_arc, first_edge_arc + free.size, dtype=np.int64)
        flows = smcf.flows(arcs) if free.size else np.zeros(0, dtype=np.int64)
        chosen = fixed.copy()
        chosen[free[np.asarray(flows) > 0]] = True
        if lo.any():
            load = np.bincount(c.edge_mentor[chosen], minlength=n_m)
            if (load < c.cap_lo).any():
                return RawSolution(
                    Status.INFEASIBLE, None, None, None, time.perf_counter() - start,
                    {"reason": "mentors' minimum loads cannot be met", "method": "min_cost_flow"},
                )
        return self._finish(c, chosen, start, "min_cost_flow")
