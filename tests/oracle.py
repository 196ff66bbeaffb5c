"""Exact reference solvers for the optimality tests, independent of banghdai's backends.

* :func:`brute_force` enumerates every subset of a compiled candidate graph
  (at most ~20 edges) with numpy over bitmasks;
* :func:`scipy_lsa_reference` is SciPy's Hungarian-type linear assignment;
* :func:`mincostflow_reference` solves the max-weight b-matching with
  coverage first as an OR-Tools min-cost flow;
* :func:`assert_valid` pushes a result through :func:`banghdai.validate`.

None of them calls a banghdai solver; :func:`brute_force` only reads the arrays
of ``problem.compile()``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pytest
from hypothesis import HealthCheck, settings
from ortools.graph.python import min_cost_flow
from scipy.optimize import linear_sum_assignment

import banghdai as bd

#: Refuse to enumerate more than this many free edges (2**22 subsets).
MAX_BRUTE_EDGES = 22
_CHUNK_BITS = 15


@dataclass(frozen=True)
class OracleSolution:
    """Best edge subset found by :func:`brute_force`.

    ``score`` is the signed total the library maximises (``edge_info["score"]``
    summed); ``objective`` is in the caller's sense (a positive cost when every
    score term minimises), comparable with ``Result.objective``. ``key`` is the
    quantity that was maximised (score, score - penalty * missing, or score
    after maximising ``filled``).
    """

    chosen: np.ndarray
    filled: int
    score: float
    objective: float
    key: float
    n_feasible: int


def _incidence(index: np.ndarray, n: int) -> np.ndarray:
    out = np.zeros((index.size, n), dtype=np.int32)
    out[np.arange(index.size), index] = 1
    return out


def brute_force(compiled: bd.Compiled, *, max_edges: int = MAX_BRUTE_EDGES) -> OracleSolution | None:
    """Exact optimum of a tiny compiled problem by enumerating all edge subsets.

    Constraints: every fixed edge chosen, ``cap_lo <= mentor degree <= cap_hi``,
    mentee degree ``<= demand`` (``== demand`` when ``must_match``).
    Objective: with ``must_match``, the largest score; with
    ``pairing.unmatched_penalty`` set, the largest ``score - penalty * missing``;
    otherwise the most filled slots first, then the largest score.
    Returns None when no subset is feasible.
    """
    em = np.asarray(compiled.edge_mentor, dtype=np.int64)
    ee = np.asarray(compiled.edge_mentee, dtype=np.int64)
    score = np.asarray(compiled.edge_info["score"], dtype=float)
    fixed = np.asarray(compiled.edge_fixed, dtype=bool)
    cap_lo = np.asarray(compiled.cap_lo, dtype=np.int64)
    cap_hi = np.asarray(compiled.cap_hi, dtype=np.int64)
    demand = np.asarray(compiled.demand, dtype=np.int64)
    must = bool(compiled.must_match)
    penalty = compiled.pairing.unmatched_penalty
    n_m, n_e = compiled.n_mentors, compiled.n_mentees

    free = np.flatnonzero(~fixed)
    n_free = free.size
    if n_free > max_edges:
        raise ValueError(f"{n_free} free edges: too many to enumerate")
    inc_m = _incidence(em, n_m)
    inc_e = _incidence(ee, n_e)
    base_m = inc_m[fixed].sum(axis=0)
    base_e = inc_e[fixed].sum(axis=0)
    base_score = float(score[fixed].sum())
    base_filled = int(fixed.sum())
    free_m, free_e, free_s = inc_m[free], inc_e[free], score[free]
    total_demand = int(demand.sum())

    shifts = np.arange(n_free, dtype=np.int64)
    n_sets = 1 << n_free
    chunk = 1 << _CHUNK_BITS
    best: tuple | None = None  # (primary, secondary, code)
    n_feasible = 0
    for start in range(0, n_sets, chunk):
        codes = np.arange(start, min(start + chunk, n_sets), dtype=np.int64)
        bits = ((codes[:, None] >> shifts) & 1).astype(np.int32)
        deg_m = bits @ free_m + base_m
        deg_e = bits @ free_e + base_e
        ok = np.all((deg_m >= cap_lo) & (deg_m <= cap_hi), axis=1)
        if must:
            ok &= np.all(deg_e == demand, axis=1)
        else:
            ok &= np.all(deg_e <= demand, axis=1)
        if not ok.any():
            continue
        codes, bits = codes[ok], bits[ok]
        n_feasible += int(codes.size)
        filled = bits.sum(axis=1) + base_filled
        total = bits.astype(float) @ free_s + base_score
        if must:
            primary = np.zeros(codes.size)
            secondary = total
        elif penalty is not None:
            primary = np.zeros(codes.size)
            secondary = total - float(penalty) * (total_demand - filled)
        else:
            primary = filled.astype(float)
            secondary = total
        # lexicographic arg-max within the chunk
        top = primary.max()
        cand = np.flatnonzero(primary == top)
        k = int(cand[np.argmax(secondary[cand])])
        here = (float(primary[k]), float(secondary[k]), int(codes[k]))
        if best is None or here[:2] > best[:2]:
            best = here
    if best is None:
        return None
    code = best[2]
    chosen = fixed.copy()
    chosen[free[((code >> shifts) & 1).astype(bool)]] = True
    total = float(score[chosen].sum())
    objective = -total if compiled.sense == "min" else total
    return OracleSolution(
        chosen=chosen,
        filled=int(chosen.sum()),
        score=total,
        objective=objective,
        key=best[1],
        n_feasible=n_feasible,
    )


def rounding_tolerance(compiled: bd.Compiled) -> float:
    """Largest objective difference explained by rounding scores to ``edge_value``.

    The library optimises ``round(score * scale)``; two selections whose
    integer totals tie or order differently can differ in float score by at
    most one rounding error per edge each.
    """
    return (compiled.n_edges + 1) / compiled.scale + 1e-9


def scipy_lsa_reference(cost_matrix: np.ndarray, *, maximize: bool = False) -> tuple[float, int]:
    """Optimal total and number of pairs of the (possibly rectangular) assignment problem."""
    cost = np.asarray(cost_matrix, dtype=float)
    rows, cols = linear_sum_assignment(cost, maximize=maximize)
    return float(cost[rows, cols].sum()), int(rows.size)


def mincostflow_reference(
    edges_m: np.ndarray,
    edges_e: np.ndarray,
    value: np.ndarray,
    cap: np.ndarray,
    demand: np.ndarray,
    *,
    must_match: bool = False,
    penalty: int | None = None,
) -> tuple[int, int] | None:
    """Max-weight b-matching, most filled slots first, as a min-cost flow.

    Nodes: source, mentors, mentees, sink. Arcs: source→mentor (capacity
    ``cap``), mentor→mentee per candidate edge (capacity 1, cost ``-value``),
    mentee→sink (capacity ``demand``), and — unless ``must_match`` — a bypass
    source→sink carrying unmet demand at a cost larger than any difference in
    total value, so coverage is maximised first. With ``penalty`` the bypass
    costs that much per unmet slot instead (maximise value - penalty * missing).

    ``value`` must be integral. Returns ``(total value, filled slots)`` or None
    when ``must_match`` and the demand cannot all be met.
    """
    em = np.asarray(edges_m, dtype=np.int64)
    ee = np.asarray(edges_e, dtype=np.int64)
    val = np.asarray(value)
    if not np.all(val == np.round(val)):
        raise ValueError("mincostflow_reference needs integral values")
    val = np.round(val).astype(np.int64)
    cap = np.asarray(cap, dtype=np.int64)
    demand = np.asarray(demand, dtype=np.int64)
    n_m, n_e = cap.size, demand.size
    source, sink = 0, n_m + n_e + 1
    supply = int(demand.sum())
    big = int(np.abs(val).sum()) + 1 if penalty is None else int(penalty)

    tails = [np.zeros(n_m, np.int64), 1 + em, 1 + n_m + np.arange(n_e, dtype=np.int64)]
    heads = [1 + np.arange(n_m, dtype=np.int64), 1 + n_m + ee, np.full(n_e, sink, np.int64)]
    caps = [cap, np.ones(em.size, np.int64), demand]
    costs = [np.zeros(n_m, np.int64), -val, np.zeros(n_e, np.int64)]
    if not must_match:
        tails.append(np.array([source], np.int64))
        heads.append(np.array([sink], np.int64))
        caps.append(np.array([supply], np.int64))
        costs.append(np.array([big], np.int64))
    flow = min_cost_flow.SimpleMinCostFlow()
    arcs = flow.add_arcs_with_capacity_and_unit_cost(
        np.concatenate(tails), np.concatenate(heads), np.concatenate(caps), np.concatenate(costs)
    )
    supplies = np.zeros(n_m + n_e + 2, np.int64)
    supplies[source], supplies[sink] = supply, -supply
    flow.set_nodes_supplies(np.arange(supplies.size, dtype=np.int64), supplies)
    status = flow.solve()
    if status == flow.INFEASIBLE:
        return None
    if status != flow.OPTIMAL:
        raise RuntimeError(f"min-cost flow ended {status}")
    f = flow.flows(arcs)
    edge_flow = f[n_m : n_m + em.size]
    filled = int(edge_flow.sum())
    total = int((edge_flow * val).sum())
    return total, filled


def assert_valid(problem: bd.Problem, result: bd.Result, *, rel: float = 1e-7, abs_: float = 1e-5):
    """The pairs pass bd.validate and the objective matches its recomputation."""
    assert result.status.has_solution, result.status
    validation = bd.validate(problem, result.pairs).raise_if_invalid()
    assert result.objective == pytest.approx(validation.objective, rel=rel, abs=abs_)
    return validation


def quick_settings(max_examples: int) -> settings:
    """Hypothesis settings for solver properties: derandomised, no deadline, no database."""
    return settings(
        max_examples=max_examples,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


def refused(fn, **expected) -> bd.InputError:
    """Run ``fn``, insist it raises InputError, check the named attributes (row, column...)."""
    with pytest.raises(bd.InputError) as info:
        fn()
    err = info.value
    for key, value in expected.items():
        assert getattr(err, key) == value, (key, getattr(err, key), str(err))
    return err
