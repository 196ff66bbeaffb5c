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
>>> from banghdai.compile.split import components
>>> mentors = pd.DataFrame({"mentor_id": ["M1", "M2"], "county": ["A", "B"]})
>>> mentees = pd.DataFrame({"mentee_id": ["E1", "E2"], "county": ["A", "B"]})
>>> parts = components(bd.Problem(mentors, mentees).require(bd.SameRegion("county")).compile())
>>> len(parts)
2
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from scipy.sparse import coo_array
from scipy.sparse.csgraph import connected_components

from ..data.schema import Table
from .graph import Compiled


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


def edge_components(compiled: Compiled, parts: list[np.ndarray]) -> np.ndarray:
    """Component number of every edge (its position in ``parts``)."""
    label = np.full(compiled.n_edges, -1, dtype=np.int64)
    for k, edges in enumerate(parts):
        label[edges] = k
    return label


def coupling(compiled: Compiled, parts: list[np.ndarray]) -> list[str]:
    """Names of the rules that tie these components together (empty: they can be solved apart).

    Each group rule says whether it couples (``couples`` of
    :class:`~banghdai.model.grouprule.CompiledGroup`): distinct types, role
    templates, stability and at most k per unit act inside one mentee's or
    mentor's pairs, so they never couple; a quota couples when one of its
    bounded groups has pairs in two components, or needs a minimum with no
    pair at all. Loads and linear levels never couple; max-min and balance
    levels always do.
    """
    out = [lv.name for lv in compiled.levels if lv.couples_components]
    if len(parts) < 2:  # one region (or none): nothing for a quota to tie together
        return out
    label = edge_components(compiled, parts)
    out.extend(rule.label for rule in compiled.group_rules if rule.couples(compiled, label))
    return out


def subproblem(compiled: Compiled, edges: np.ndarray) -> Compiled:
    """The component made of ``edges``, renumbered from 0, with its own nodes only.

    Group rules, per-pair loads and linear levels come along, restricted to
    the component (see :func:`coupling` for the rules that cannot).
    """
    rows_m, local_m = np.unique(compiled.edge_mentor[edges], return_inverse=True)
    rows_e, local_e = np.unique(compiled.edge_mentee[edges], return_inverse=True)
    group_rules, levels = compiled.group_rules, compiled.levels
    if group_rules or levels:
        local_edge = np.full(compiled.n_edges, -1, dtype=np.int64)
        local_edge[edges] = np.arange(edges.size, dtype=np.int64)
        local_node = {}
        for side, rows, n in (("mentor", rows_m, compiled.n_mentors),
                              ("mentee", rows_e, compiled.n_mentees)):
            local_node[side] = np.full(n, -1, dtype=np.int64)
            local_node[side][rows] = np.arange(rows.size, dtype=np.int64)
        group_rules = tuple(g.restrict(local_edge, local_node) for g in group_rules)
        levels = tuple(replace(lv, coeff=lv.coeff[edges]) if lv.coeff is not None else lv
                       for lv in levels)
    return replace(
        compiled,
        group_rules=group_rules,
        levels=levels,
        edge_load=None if compiled.edge_load is None else compiled.edge_load[edges],
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
