"""Split the candidate graph into independent components and solve them apart.

When rules keep pairs inside a county or township the candidate graph falls
apart into connected components (found with ``scipy.sparse.csgraph``). With no
rule coupling them, each component is its own problem: solve them one by one
in-process, or hand them to any ``concurrent.futures.Executor`` — a process
pool, or a Dask cluster's ``client.get_executor()`` for a province — and merge
the answers: statuses combine, objectives and bounds add up.

Example
-------
>>> import pandas as pd, banghdai as bd
>>> from banghdai.split import components
>>> mentors = pd.DataFrame({"mentor_id": ["M1", "M2"], "county": ["A", "B"]})
>>> mentees = pd.DataFrame({"mentee_id": ["E1", "E2"], "county": ["A", "B"]})
>>> parts = components(bd.Problem(mentors, mentees).require(bd.SameRegion("county")).compile())
>>> len(parts)
2
"""

from __future__ import annotations

import time
from concurrent.futures import Executor
from dataclasses import replace

import numpy as np
from scipy.sparse import coo_array
from scipy.sparse.csgraph import connected_components

from .backends import BACKENDS, RawSolution, SolveParams
from .compile import Compiled
from .result import Status
from .schema import Table


def components(compiled: Compiled) -> list[np.ndarray]:
    """Edge positions of each connected component that has edges, largest first."""
    n_m, n_e = compiled.n_mentors, compiled.n_mentees
    if compiled.n_edges == 0:
        return []
    graph = coo_array(
        (np.ones(compiled.n_edges, dtype=np.int8),
         (compiled.edge_mentor, n_m + compiled.edge_mentee)),
        shape=(n_m + n_e, n_m + n_e),
    )
    _, labels = connected_components(graph, directed=False)
    edge_label = labels[compiled.edge_mentor]
    order = np.argsort(edge_label, kind="stable")
    cuts = np.flatnonzero(np.diff(edge_label[order])) + 1
    parts = np.split(order, cuts)
    parts.sort(key=lambda p: -p.size)
    return parts


def _sub_table(table: Table, rows: np.ndarray) -> Table:
    return Table(side=table.side, frame=table.frame.iloc[rows].reset_index(drop=True),
                 ids=table.ids[rows], source=table.source,
                 int_ids=None if table.int_ids is None else table.int_ids[rows])


def subproblem(compiled: Compiled, edges: np.ndarray) -> Compiled:
    """The component made of ``edges``, renumbered from 0, with its own nodes only."""
    rows_m, local_m = np.unique(compiled.edge_mentor[edges], return_inverse=True)
    rows_e, local_e = np.unique(compiled.edge_mentee[edges], return_inverse=True)
    return replace(
        compiled,
        mentors=_sub_table(compiled.mentors, rows_m),
        mentees=_sub_table(compiled.mentees, rows_e),
        edge_mentor=local_m.astype(np.int64),
        edge_mentee=local_e.astype(np.int64),
        edge_value=compiled.edge_value[edges],
        edge_fixed=compiled.edge_fixed[edges],
        edge_info=compiled.edge_info.iloc[edges].reset_index(drop=True),
        cap_lo=compiled.cap_lo[rows_m],
        cap_hi=compiled.cap_hi[rows_m],
        demand=compiled.demand[rows_e],
        funnel=compiled.funnel.iloc[rows_e].reset_index(drop=True),
    )


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
    return RawSolution(status, chosen, objective, bound, time.perf_counter() - start, info)
