"""Lexicographic min-cost flow with dual certificates (numpy and OR-Tools only).

The engine minimises a list of integer cost vectors lexicographically over the flows of one
network: first ``level_costs[0] @ flow``, then, among the flows optimal for level 0,
``level_costs[1] @ flow``, and so on.  It never leaves the network model: after each level it
computes node potentials that prove the level optimal, and fixes every arc with a nonzero
reduced cost at the bound complementary slackness forces it to.  What is left (the *optimal
face*) is again a network with bounds, and the next level is another min-cost flow on it.

Conventions
-----------
* ``supply[v]`` is the flow out of ``v`` minus the flow into ``v`` (positive: a source,
  negative: a sink).  Supplies must sum to zero and every one must be met exactly.
* ``lower <= flow <= upper`` arc by arc; ``lower == upper`` fixes an arc (a fixed pair).
* Reduced cost of arc ``a = (i -> j)`` under potentials ``pi``:
  ``rc[a] = cost[a] - pi[i] + pi[j]`` (the LP-dual convention for the rows
  ``out(v) - in(v) = supply[v]``).  Complementary slackness on a face ``[L, U]``:
  ``rc[a] > 0`` implies ``flow[a] == L[a]`` and ``rc[a] < 0`` implies ``flow[a] == U[a]``.
  Then ``cost @ flow == rc @ flow + pi @ supply`` and no flow of the face is cheaper.
* The face of level ``k + 1`` is the face of level ``k`` with every arc of nonzero reduced
  cost fixed: ``L' = where(rc < 0, U, L)``, ``U' = where(rc > 0, L, U)``.  Every flow of that
  face is optimal for level ``k`` and every optimal flow lies in it, whatever valid
  potentials were chosen.

"Serve as many as possible" is not a special mode: give the network a bypass arc
(source -> sink) and make level 0 count the bypass (cost 1 on it, 0 elsewhere), or weight
the served arcs by priority.  Degree bounds are bounds on the source -> mentor and
mentee -> sink arcs; a minimum load is a lower bound there.

The potentials come from shortest distances in the residual graph of the optimal flow
(which has no negative cycle): ``pi = -dist`` from a virtual root joined to every node by a
zero-cost arc.  A vectorised Bellman-Ford computes them in exact int64: each round relaxes
only the arcs leaving the nodes changed in the previous round, then pushes the new distances
down the forest of best arcs by pointer jumping, so deep negative paths cost a few rounds,
not one round per arc.  (scipy's ``csgraph.bellman_ford`` always sweeps every node: 10-40x
slower on 28k arcs, 105 s instead of 0.2 s on 1.1M arcs.)

:func:`banghdai.checks.certificate.check_certificate` re-verifies a result with numpy alone (no solver): bounds,
conservation, complementary slackness level by level, the chain of faces and every value.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np
from ortools.graph.python import min_cost_flow

from ..core.integers import FLOW_LIMIT, int_array, node_balance

__all__ = [
    "LevelOutcome",
    "LexicographicResult",
    "Network",
    "solve_lexicographic",
]

#: OR-Tools scales costs by (n + 1) and rejects ``max|cost| * (n + 1)**2`` near 2**62.5
#: (measured on 9.15); stay safely below.
_ORTOOLS_COST_LIMIT = 2**61
#: ``sum |cost| * max(|lower|, |upper|)`` must stay below this so every value fits int64.
_VALUE_LIMIT = 2**62
#: arcs handed to OR-Tools per call (keeps the copies of a large network's arrays small)
_ARC_CHUNK = 1 << 18
#: the checker refuses larger costs / potentials (keeps its int64 reduced costs exact).
_CHECK_LIMIT = 2**60


@dataclass(frozen=True, eq=False)
class Network:
    """A directed network with arc bounds and node supplies (arrays are copied to int64).

    ``supply[v]`` = flow out of ``v`` minus flow into ``v``; the supplies must sum to zero and
    are met exactly.  ``lower == upper`` fixes an arc.

    >>> net = Network(4, tail=[0, 0, 1, 2], head=[1, 2, 3, 3], lower=[0, 0, 0, 0],
    ...               upper=[1, 1, 1, 1], supply=[1, 0, 0, -1])
    >>> net.n_arcs, net.tail.dtype
    (4, dtype('int64'))
    """

    n_nodes: int
    tail: np.ndarray
    head: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    supply: np.ndarray

    def __post_init__(self) -> None:
        self._setup(copy=True)

    @classmethod
    def adopt(cls, n_nodes: int, tail: np.ndarray, head: np.ndarray, lower: np.ndarray,
              upper: np.ndarray, supply: np.ndarray) -> Network:
        """The same network, taking int64 arrays over without copying them (they become
        read-only): for arrays built for this network alone, so a large one is not held
        twice while it is made.

        >>> import numpy as np
        >>> t = np.array([0], dtype=np.int64)
        >>> net = Network.adopt(2, t, t + 1, t * 0, t + 1, np.array([1, -1]))
        >>> net.tail is t, t.flags.writeable
        (True, False)
        """
        net = cls.__new__(cls)
        for name, value in (("n_nodes", n_nodes), ("tail", tail), ("head", head),
                            ("lower", lower), ("upper", upper), ("supply", supply)):
            object.__setattr__(net, name, value)
        net._setup(copy=False)
        return net

    def _setup(self, copy: bool) -> None:
        if isinstance(self.n_nodes, bool) or int(self.n_nodes) != self.n_nodes:
            raise ValueError("n_nodes must be an integer")
        n = int(self.n_nodes)
        if n < 0:
            raise ValueError("n_nodes must be non-negative")
        def ints(name: str, values, shape=None) -> np.ndarray:
            if not copy and isinstance(values, np.ndarray) and values.dtype == np.int64 \
                    and values.ndim == 1 and (shape is None or values.shape == shape):
                return values
            return int_array(name, values, shape)

        tail = ints("tail", self.tail)
        m = (tail.size,)
        arrays: dict[str, Any] = {
            "n_nodes": n,
            "tail": tail,
            "head": ints("head", self.head, m),
            "lower": ints("lower", self.lower, m),
            "upper": ints("upper", self.upper, m),
            "supply": ints("supply", self.supply, (n,)),
        }
        for name in ("tail", "head"):
            ends = arrays[name]
            if ends.size and (ends.min() < 0 or ends.max() >= n):
                raise ValueError(f"{name} holds a node outside 0..{n - 1}")
        for name, value in arrays.items():
            if isinstance(value, np.ndarray):
                value.flags.writeable = False
            object.__setattr__(self, name, value)

    @property
    def n_arcs(self) -> int:
        """Number of arcs."""
        return int(self.tail.size)


@dataclass(eq=False)
class LevelOutcome:
    """What one level proved: its optimal value, potentials and the face it was solved on.

    ``potentials`` certify ``value`` on the face ``[face_lower, face_upper]``: with
    ``rc = cost - potentials[tail] + potentials[head]``, the flow sits at ``face_lower`` where
    ``rc > 0`` and at ``face_upper`` where ``rc < 0``.  ``flow_seconds`` and
    ``potential_seconds`` time the min-cost flow and the potential computation.

    >>> LevelOutcome(3, np.zeros(2, dtype=np.int64), np.zeros(1, dtype=np.int64),
    ...              np.ones(1, dtype=np.int64)).value
    3
    """

    value: int
    potentials: np.ndarray
    face_lower: np.ndarray | None
    face_upper: np.ndarray | None
    flow_seconds: float = 0.0
    potential_seconds: float = 0.0


class LexicographicResult(NamedTuple):
    """``(flow, outcomes, status)``; unpacks as a 3-tuple.

    ``status`` is ``"OPTIMAL"`` (every level solved), ``"TIMEOUT"`` or ``"INTERRUPTED"``
    (``outcomes`` holds the levels proven; ``flow`` is optimal for them, or None when not
    even level 0 was solved) or ``"INFEASIBLE"`` (``flow`` is None).

    >>> LexicographicResult(None, [], "INFEASIBLE").status
    'INFEASIBLE'
    """

    flow: np.ndarray | None
    outcomes: list[LevelOutcome]
    status: str


def _int64(name: str, values, shape: tuple[int, ...]) -> np.ndarray:
    """``values`` as int64 of ``shape``; an int64 array of that shape as it is (never written
    here, so no copy: the costs of a large network are not held twice)."""
    if isinstance(values, np.ndarray) and values.dtype == np.int64 and values.shape == shape:
        return values
    return int_array(name, values, shape)


class _Levels(Sequence):
    """The level costs, each checked and made int64 when it is read; nothing is held, so a
    lazy sequence of levels (the network engine's) never has every level in memory."""

    def __init__(self, levels, m: int) -> None:
        self.levels = levels if hasattr(levels, "__getitem__") else list(levels)
        self.m = m

    def __len__(self) -> int:
        return len(self.levels)

    def __getitem__(self, k):
        if isinstance(k, slice):
            return [self[i] for i in range(*k.indices(len(self)))]
        return _int64(f"level_costs[{k}]", self.levels[k], (self.m,))


def _check_ranges(net: Network, costs: Sequence[np.ndarray]) -> None:
    """Raise ValueError when flows, costs or values could overflow int64 or OR-Tools."""
    reach = np.maximum(np.abs(net.lower.astype(np.float64)), np.abs(net.upper.astype(np.float64)))
    if reach.sum() + np.abs(net.supply.astype(np.float64)).sum() >= FLOW_LIMIT:
        raise ValueError("arc bounds / supplies too large: their magnitudes must sum below 2**62")
    for k, c in enumerate(costs):
        if not c.size:
            continue
        top = float(np.abs(c.astype(np.float64)).max())
        if top * float(net.n_nodes + 1) ** 2 >= _ORTOOLS_COST_LIMIT:
            raise ValueError(
                f"level {k}: costs too large for min-cost flow on {net.n_nodes} nodes "
                f"(max |cost| * (n_nodes + 1)**2 must stay below 2**61; max |cost| is {top:.0f})"
            )
        if float((np.abs(c.astype(np.float64)) * reach).sum()) >= _VALUE_LIMIT:  # no BLAS
            raise ValueError(f"level {k}: |cost| * |bounds| summed reaches 2**62; values could "
                             "overflow int64")


def _solve_face(net: Network, lower: np.ndarray, upper: np.ndarray,
                cost: np.ndarray) -> np.ndarray | None:
    """A min-cost flow within ``[lower, upper]`` (None when none exists)."""
    free = np.flatnonzero(lower < upper)
    n = net.n_nodes
    supply = net.supply - node_balance(n, net.tail, net.head, lower)  # shift lower bounds out
    if n == 0:
        return lower.copy()
    smcf = min_cost_flow.SimpleMinCostFlow()
    for part in range(0, free.size, _ARC_CHUNK):  # in slices: no full-size copies at once
        arcs = free[part: part + _ARC_CHUNK]
        smcf.add_arcs_with_capacity_and_unit_cost(
            net.tail[arcs], net.head[arcs], upper[arcs] - lower[arcs], cost[arcs]
        )
    smcf.set_nodes_supplies(np.arange(n, dtype=np.int64), supply)
    status = smcf.solve()
    if status in (smcf.INFEASIBLE, smcf.UNBALANCED):
        return None
    if status == smcf.BAD_COST_RANGE:
        raise ValueError("OR-Tools rejected the cost range (BAD_COST_RANGE)")
    if status == smcf.BAD_CAPACITY_RANGE:
        raise ValueError("OR-Tools rejected the capacity range (BAD_CAPACITY_RANGE)")
    if status != smcf.OPTIMAL:  # pragma: no cover - BAD_RESULT / NOT_SOLVED are solver bugs
        raise RuntimeError(f"min-cost flow ended with status {status}")
    flow = lower.copy()
    for part in range(0, free.size, _ARC_CHUNK):  # read back in slices too
        arcs = free[part: part + _ARC_CHUNK]
        flow[arcs] += np.asarray(smcf.flows(np.arange(part, part + arcs.size, dtype=np.int64)),
                                 np.int64)
    return flow


def _residual(tail: np.ndarray, head: np.ndarray, cost: np.ndarray, lower: np.ndarray,
              upper: np.ndarray, flow: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Residual arcs (tail, head, weight) of ``flow`` on the free arcs of ``[lower, upper]``."""
    up = flow < upper  # room to push: forward arc, weight +cost
    down = flow > lower  # room to pull back: backward arc, weight -cost
    # node numbers fit in int32 here (n_nodes is far below 2**31): a third less memory
    ends = np.int32 if max(int(tail.max(initial=0)), int(head.max(initial=0))) < 2**31 \
        else np.int64
    rt = np.concatenate([tail[up], head[down]], dtype=ends)
    rh = np.concatenate([head[up], tail[down]], dtype=ends)
    w = np.concatenate([cost[up], -cost[down]])
    return rt, rh, w


def _jump_forest(parent: np.ndarray, weight: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """Root and path length to the root of every node of a forest given by ``parent``.

    ``parent[v] == v`` marks a root; ``weight[v]`` is the length of the arc parent -> v.
    Pointer jumping: O(n log depth) vectorised work.  None if ``parent`` has a cycle.
    """
    anc, acc = parent.copy(), weight.copy()
    for _ in range(max(int(anc.size).bit_length(), 1) + 1):
        up = anc[anc]
        if (up == anc).all():
            return anc, acc
        acc = acc + acc[anc]
        anc = up
    return None


class _Stopped(Exception):  # noqa: N818 - control flow, never leaves this module
    """The deadline passed, or Ctrl-C came, while potentials were being computed."""


def _distances(n: int, rt: np.ndarray, rh: np.ndarray, w: np.ndarray,
               propagate: bool = True, stop: Callable[[], bool] | None = None) -> np.ndarray:
    """Exact int64 distances from a virtual root (a 0-cost arc to every node), Bellman-Ford.

    Each round relaxes, in one vectorised step, only the arcs leaving the nodes whose distance
    fell in the previous round, and records the best arc into each improved node.  With
    ``propagate`` the distances are then pushed down the forest of those arcs by pointer
    jumping, so a deep negative path settles in a couple of rounds instead of one round per
    arc.  (Invariant: ``dist[v] >= dist[parent[v]] + w(parent arc)``, so the forest lengths
    are achievable and never above ``dist``.)  ``stop`` is asked every round; when it says
    so, :class:`_Stopped` is raised.
    """
    order = np.argsort(rt, kind="stable")
    rt = rt[order]  # one at a time: the unsorted copies go as the sorted ones come
    rh = rh[order]
    w = w[order]
    del order
    indptr = np.concatenate([[0], np.cumsum(np.bincount(rt, minlength=n))])
    dist = np.zeros(n, dtype=np.int64)
    parent = np.arange(n, dtype=np.int64)
    weight = np.zeros(n, dtype=np.int64)
    active = None  # the first round relaxes every arc: no index of them is built
    for _ in range(n + 1):
        if active is not None and not active.size:
            return dist
        if stop is not None and stop():
            raise _Stopped
        if active is None:
            better = w < 0  # every distance starts at 0
            if not better.any():
                return dist
            arcs = np.flatnonzero(better)
            heads, cand = rh[arcs], w[arcs]
        else:
            starts = indptr[active]
            counts = indptr[active + 1] - starts
            offsets = np.cumsum(counts) - counts
            arcs = np.repeat(starts - offsets, counts) + np.arange(int(counts.sum()))
            cand = dist[rt[arcs]] + w[arcs]
            heads = rh[arcs]
            better = cand < dist[heads]
            if not better.any():
                return dist
            arcs, heads, cand = arcs[better], heads[better], cand[better]
        del better
        best = np.lexsort((cand, heads))  # per head, the cheapest candidate first
        keep = np.ones(best.size, dtype=bool)
        keep[1:] = heads[best[1:]] != heads[best[:-1]]
        best = best[keep]
        heads = heads[best]
        dist[heads] = cand[best]
        parent[heads] = rt[arcs[best]]
        weight[heads] = w[arcs[best]]
        if propagate:
            jumped = _jump_forest(parent, weight)
            if jumped is not None:
                anc, length = jumped
                pushed = dist[anc] + length
                lower = np.flatnonzero(pushed < dist)
                if lower.size:
                    dist[lower] = pushed[lower]
                    heads = np.concatenate([heads, lower])
        active = np.unique(heads)
    raise RuntimeError("the residual graph has a negative cycle: the flow is not optimal")


def _potentials(n: int, tail, head, cost, lower, upper, flow,
                stop: Callable[[], bool] | None = None) -> np.ndarray:
    """Int64 potentials satisfying complementary slackness for ``flow`` on the given arcs.

    ``pi = -dist`` with ``dist`` the shortest distances in the residual graph from a virtual
    root (see :func:`_distances`).
    """
    residual = _residual(tail, head, cost, lower, upper, flow)
    if not residual[2].size or not residual[2].any():
        return np.zeros(n, dtype=np.int64)
    return -_distances(n, *residual, stop=stop)  # no reference kept here: it may free them


#: a level is started only when the time left is at least this many times the longest level
#: so far (measured on 20 copies of the Yinchuan city: a later level took up to 1.9x the
#: longest before it; a level left out costs less than a limit overrun)
LEVEL_MARGIN = 2.0


def solve_lexicographic(net: Network, level_costs, *, deadline: float | None = None,
                        stop: Callable[[], bool] | None = None,
                        first_estimate: float = 0.0,
                        keep_faces: bool = True) -> LexicographicResult:
    """Minimise ``level_costs[0] @ flow``, then ``level_costs[1] @ flow`` among those optima, ...

    Each level is a min-cost flow (OR-Tools ``SimpleMinCostFlow``) on the optimal face left by
    the previous levels; its potentials (``rc = cost - pi[tail] + pi[head]``) fix every arc of
    nonzero reduced cost for the next level.  ``deadline`` is a ``time.perf_counter()`` value:
    a level starts only when the time left covers ``first_estimate`` seconds (level 0) or
    :data:`LEVEL_MARGIN` times the longest level so far, and the potentials stop at it
    (status ``"TIMEOUT"``; the flow is optimal for the levels in ``outcomes``, None when
    level 0 did not run).  ``stop`` (e.g. :func:`banghdai.core.interrupt.requested`) is asked
    at the same points and ends the solve the same way, with status ``"INTERRUPTED"``.
    With no levels the result is any feasible flow.  Raises ValueError when the costs or
    bounds are so large that OR-Tools or int64 values could overflow.  ``keep_faces=False``
    leaves each outcome's face out (None): two arrays per level less to hold.

    A diamond 0 -> {1, 2} -> 3 carrying one unit: level 0 ties both routes, level 1 prefers
    the one through node 2.

    >>> net = Network(4, tail=[0, 0, 1, 2], head=[1, 2, 3, 3], lower=[0, 0, 0, 0],
    ...               upper=[1, 1, 1, 1], supply=[1, 0, 0, -1])
    >>> flow, outcomes, status = solve_lexicographic(net, [[1, 1, 0, 0], [0, 0, 5, 2]])
    >>> status, flow.tolist(), [o.value for o in outcomes]
    ('OPTIMAL', [0, 1, 0, 1], [1, 2])
    >>> from banghdai.checks.certificate import check_certificate
    >>> check_certificate(net, [[1, 1, 0, 0], [0, 0, 5, 2]], flow, outcomes)
    []
    """
    m = net.n_arcs
    costs = _Levels(level_costs, m)  # each level's costs read when used, none held
    _check_ranges(net, costs)
    lower, upper = net.lower, net.upper  # never written: each level's face is a new array
    if (lower > upper).any() or int(net.supply.sum()) != 0:
        return LexicographicResult(None, [], "INFEASIBLE")
    flow: np.ndarray | None = None
    if not costs:
        flow = _solve_face(net, lower, upper, np.zeros(m, dtype=np.int64))
        return LexicographicResult(flow, [], "INFEASIBLE" if flow is None else "OPTIMAL")
    outcomes: list[LevelOutcome] = []
    longest = float(first_estimate)

    def halt() -> bool:
        return (stop is not None and stop()) or (deadline is not None
                                                 and time.perf_counter() > deadline)

    for k, cost in enumerate(costs):
        if stop is not None and stop():
            return LexicographicResult(flow, outcomes, "INTERRUPTED")
        if deadline is not None and time.perf_counter() + longest * (
                LEVEL_MARGIN if k else 1.0) > deadline:
            return LexicographicResult(flow, outcomes, "TIMEOUT")
        start = time.perf_counter()
        free = lower < upper
        varies = bool(((cost != 0) & free).any())  # without a copy of cost[free]
        del free
        if flow is None or varies:
            solved = _solve_face(net, lower, upper, cost)
            if solved is None:
                if flow is not None:  # pragma: no cover - the previous flow lies in the face
                    raise RuntimeError(f"level {k}: the optimal face became infeasible")
                return LexicographicResult(None, [], "INFEASIBLE")
            flow = solved
        mid = time.perf_counter()
        if varies:
            try:  # on every arc: a fixed one (lower == upper) has no residual arc anyway
                pi = _potentials(net.n_nodes, net.tail, net.head, cost, lower, upper, flow,
                                 stop=halt)
            except _Stopped:  # the flow is this level's optimum, but not proven: not counted
                ended = "INTERRUPTED" if stop is not None and stop() else "TIMEOUT"
                return LexicographicResult(flow, outcomes, ended)
        else:  # the level is constant on this face
            pi = np.zeros(net.n_nodes, dtype=np.int64)
        end = time.perf_counter()
        longest = max(longest if k else 0.0, end - start)
        outcomes.append(LevelOutcome(int(cost @ flow), pi, lower if keep_faces else None,
                                     upper if keep_faces else None, mid - start, end - mid))
        rc = cost - pi[net.tail] + pi[net.head]
        lower, upper = np.where(rc < 0, upper, lower), np.where(rc > 0, lower, upper)
    return LexicographicResult(flow, outcomes, "OPTIMAL")
