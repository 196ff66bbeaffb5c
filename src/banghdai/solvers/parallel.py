"""Solve independent components apart — in-process or on any Executor — and merge."""

from __future__ import annotations

import time
from concurrent.futures import Executor
from dataclasses import replace

import numpy as np

from ..compile.graph import Compiled
from ..compile.split import subproblem
from ..core.status import Status
from .base import RawSolution, SolveParams
from .registry import BACKENDS


def _solve_one(backend: str, sub: Compiled, params: SolveParams) -> RawSolution:
    return BACKENDS[backend].solve(sub, params)


def solve_split(
    compiled: Compiled,
    backend: str,
    params: SolveParams,
    parts: list[np.ndarray],
    executor: Executor | None = None,
) -> RawSolution:
    """Solve each component (in-process, or on ``executor``) and merge the answers.

    In-process, each component gets a share of ``time_limit`` proportional to
    its number of candidate pairs (at least 0.5 s); on an executor, where
    components run side by side, each gets the whole limit.
    """
    start = time.perf_counter()
    total = max(compiled.n_edges, 1)
    subs = [subproblem(compiled, edges) for edges in parts]

    def params_for(edges: np.ndarray) -> SolveParams:
        if params.time_limit is None or executor is not None:
            return params
        share = max(params.time_limit * edges.size / total, 0.5)
        return replace(params, time_limit=share)

    if executor is None:
        raws = [_solve_one(backend, sub, params_for(edges)) for sub, edges in zip(subs, parts,
                                                                                 strict=True)]
    else:
        futures = [executor.submit(_solve_one, backend, sub, params_for(edges))
                   for sub, edges in zip(subs, parts, strict=True)]
        raws = [f.result() for f in futures]

    statuses = [r.status for r in raws]
    info = {"components": len(parts), "component_edges": [int(p.size) for p in parts],
            "component_status": [s.value for s in statuses],
            "component_seconds": [round(r.seconds, 4) for r in raws]}
    for bad in (Status.INFEASIBLE, Status.UNKNOWN):
        if bad in statuses:
            i = statuses.index(bad)
            info["reason"] = raws[i].info.get("reason", f"component {i} ended {bad.value}")
            bounds = [r.bound for r in raws]
            bound = sum(bounds) if bad is Status.UNKNOWN and None not in bounds else None
            return RawSolution(bad, None, None, bound, time.perf_counter() - start, info)
    chosen = np.zeros(compiled.n_edges, dtype=bool)
    for raw, edges in zip(raws, parts, strict=True):
        chosen[edges[raw.chosen]] = True
    status = Status.FEASIBLE if Status.FEASIBLE in statuses else Status.OPTIMAL
    objective = sum(int(r.objective) for r in raws)
    bound = sum(int(r.bound) for r in raws) if all(r.bound is not None for r in raws) else None
    if compiled.levels:
        info["levels"] = _merge_levels([r.info["levels"] for r in raws])
    return RawSolution(status, chosen, objective, bound, time.perf_counter() - start, info)


def _merge_levels(per_part: list[list[dict]]) -> list[dict]:
    """Lexicographic levels of independent components: values and bounds add up.

    Each component was optimised level by level on its own; as the levels
    are sums over pairs, the whole problem's optimum of each level is the sum
    of the components' (and a bound is a sum of bounds). A level is OPTIMAL
    only if it is in every component.
    """
    out = []
    for rows in zip(*per_part, strict=True):
        statuses = {r["status"] for r in rows}
        out.append({
            "level": rows[0]["level"], "name": rows[0]["name"],
            "status": Status.OPTIMAL.value if statuses == {Status.OPTIMAL.value}
            else Status.FEASIBLE.value,
            "value": sum(r["value"] for r in rows), "bound": sum(r["bound"] for r in rows),
            "seconds": sum(r["seconds"] for r in rows),
        })
    return out
