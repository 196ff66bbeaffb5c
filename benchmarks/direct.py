"""Direct solvers on plain arrays: the baselines banghdai is compared with.

Each function takes edge arrays (row / column indices and integer costs or
values) and returns the optimum it found, so the benchmark can assert that
banghdai reaches exactly the same objective on the same instance.
"""

from __future__ import annotations

import lap
import numpy as np
from ortools.graph.python import min_cost_flow
from scipy.optimize import linear_sum_assignment
from scipy.sparse import csr_array
from scipy.sparse.csgraph import min_weight_full_bipartite_matching
from scipy.spatial import cKDTree

EARTH_RADIUS_KM = 6371.0088


# --------------------------------------------------------------------------- geometry
def haversine_km(lat1, lon1, lat2, lon2) -> np.ndarray:
    """Great-circle distance in km between paired points given in degrees."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dphi = p2 - p1
    dlmb = np.radians(lon2) - np.radians(lon1)
    a = np.sin(dphi / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def _unit(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    phi, lmb = np.radians(lat), np.radians(lon)
    return np.column_stack([np.cos(phi) * np.cos(lmb), np.cos(phi) * np.sin(lmb), np.sin(phi)])


def knn_edges(lat_m, lon_m, lat_e, lon_e, k: int) -> tuple[np.ndarray, np.ndarray]:
    """The ``k`` nearest mentors of every mentee (chord distance on the unit sphere).

    Returns mentor and mentee index arrays (mentee-major). Random coordinates
    have no distance ties, so this is exactly ``bd.Nearest(k)``'s candidate set.
    """
    tree = cKDTree(_unit(lat_m, lon_m))
    k = min(k, len(lat_m))
    _, nb = tree.query(_unit(lat_e, lon_e), k=k)
    nb = np.asarray(nb).reshape(len(lat_e), k)
    e = np.repeat(np.arange(len(lat_e), dtype=np.int64), k)
    return nb.ravel().astype(np.int64), e


# --------------------------------------------------------------------------- 1:1 assignment
def dense_matrix(i: np.ndarray, j: np.ndarray, c: np.ndarray, n: int, dtype=np.int64) -> np.ndarray:
    """Scatter an edge list into an n × n matrix (rows i, columns j)."""
    mat = np.empty((n, n), dtype=dtype)
    mat[i, j] = c
    return mat


def lsa_scipy(mat: np.ndarray) -> tuple[int, np.ndarray]:
    """SciPy ``linear_sum_assignment`` (shortest augmenting path, LAPJV-like): cost, column of each row."""
    rows, cols = linear_sum_assignment(mat)
    out = np.empty(mat.shape[0], dtype=np.int64)
    out[rows] = cols
    return int(mat[rows, cols].sum()), out


def lsa_lapjv(mat: np.ndarray) -> tuple[int, np.ndarray]:
    """``lap.lapjv`` (Jonker–Volgenant, dense): cost, column of each row."""
    opt, x, _y = lap.lapjv(mat, extend_cost=False, return_cost=True)
    return int(round(opt)), np.asarray(x, dtype=np.int64)


def sparse_csr(i: np.ndarray, j: np.ndarray, c: np.ndarray, n: int) -> csr_array:
    """CSR graph with ``cost + 1`` stored, so zero costs are not dropped as missing entries."""
    return csr_array(((c + 1).astype(np.float64), (i, j)), shape=(n, n))


def lsa_csgraph(graph: csr_array) -> tuple[int, np.ndarray]:
    """SciPy ``min_weight_full_bipartite_matching`` (LAPJVsp) on a ``sparse_csr`` graph."""
    rows, cols = min_weight_full_bipartite_matching(graph)
    out = np.empty(graph.shape[0], dtype=np.int64)
    out[rows] = cols
    return int(round(float(graph[rows, cols].sum()))) - rows.size, out


def lsa_lapmod(i: np.ndarray, j: np.ndarray, c: np.ndarray, n: int) -> tuple[int, np.ndarray]:
    """``lap.lapmod`` (sparse Jonker–Volgenant); rows need not be sorted on input."""
    order = np.lexsort((j, i))
    starts = np.concatenate([[0], np.cumsum(np.bincount(i, minlength=n))]).astype(np.int64)
    opt, x, _y = lap.lapmod(n, c[order].astype(np.float64), starts, j[order].astype(np.int64))
    return int(round(opt)), np.asarray(x, dtype=np.int64)


# --------------------------------------------------------------------------- b-matching flow
def bmatching_flow(
    n_left: int,
    n_right: int,
    left: np.ndarray,
    right: np.ndarray,
    cost: np.ndarray,
    cap_left: np.ndarray,
    cap_right: np.ndarray,
    *,
    lo_left: np.ndarray | None = None,
    exact_right: bool = False,
) -> tuple[int, np.ndarray]:
    """Min-cost b-matching with OR-Tools ``SimpleMinCostFlow`` on arrays.

    source → left node (capacity ``cap_left``) → right node (one unit per edge,
    ``cost``) → sink (capacity ``cap_right``).

    * ``exact_right=False``: coverage first — ``solve_max_flow_with_min_cost``
      (as many pairs as possible, then the cheapest).
    * ``exact_right=True``: every right node gets exactly ``cap_right`` units
      and every left node at least ``lo_left`` (node supplies; the lower bound
      is carried by the left node's own supply) — ``solve``.

    Returns the total cost of the edge arcs and a boolean mask of chosen edges.
    """
    lo = np.zeros(n_left, dtype=np.int64) if lo_left is None else lo_left.astype(np.int64)
    source, sink = n_left + n_right, n_left + n_right + 1
    left_node = np.arange(n_left, dtype=np.int64)
    right_node = n_left + np.arange(n_right, dtype=np.int64)
    tails = np.concatenate([np.full(n_left, source, dtype=np.int64), left_node[left], right_node])
    heads = np.concatenate([left_node, right_node[right], np.full(n_right, sink, dtype=np.int64)])
    caps = np.concatenate([cap_left - lo, np.ones(left.size, dtype=np.int64), cap_right])
    costs = np.concatenate([np.zeros(n_left, dtype=np.int64), cost.astype(np.int64),
                            np.zeros(n_right, dtype=np.int64)])
    smcf = min_cost_flow.SimpleMinCostFlow()
    smcf.add_arcs_with_capacity_and_unit_cost(tails, heads, caps.astype(np.int64), costs)
    if exact_right:
        total = int(cap_right.sum())
        supplies = np.zeros(n_left + n_right + 2, dtype=np.int64)
        supplies[left_node] = lo
        supplies[source] = total - int(lo.sum())
        supplies[sink] = -total
        smcf.set_nodes_supplies(np.arange(supplies.size, dtype=np.int64), supplies)
        status = smcf.solve()
    else:
        big = int(min(cap_left.sum(), cap_right.sum()))
        smcf.set_node_supply(source, big)
        smcf.set_node_supply(sink, -big)
        status = smcf.solve_max_flow_with_min_cost()
    if status != smcf.OPTIMAL:
        raise RuntimeError(f"SimpleMinCostFlow ended with status {status}")
    arcs = np.arange(n_left, n_left + left.size, dtype=np.int64)
    chosen = np.asarray(smcf.flows(arcs)) > 0
    return int(cost[chosen].sum()), chosen
