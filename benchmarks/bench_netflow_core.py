"""Time the lexicographic min-cost-flow engine (banghdai.solvers.netflow) level by level.

A city-sized bipartite network: ~500 mentors x 600 mentees with ~27,000 candidate pairs,
source -> mentor (capacity 1-3), mentor -> mentee (capacity 1), mentee -> sink (capacity 1)
and a source -> sink bypass so mentees may stay unserved.  Three levels:

0. coverage by priority: -priority (1..3) on every mentee -> sink arc;
1. fit: -score (0..100) on every pair arc;
2. closeness: distance (0..50) on every pair arc.

For each level it prints the min-cost-flow time and the potential (certificate) time, then
times the solver-free certificate check and compares the potential routines.

    python benchmarks/bench_netflow_core.py [--seed 0] [--repeat 3]
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np
import scipy.sparse as sp
from scipy.sparse import csgraph

from banghdai.checks.certificate import check_certificate
from banghdai.solvers import netflow


def build(seed: int, n_mentors: int = 500, n_mentees: int = 600, n_pairs: int = 27_000):
    """The benchmark network and its three cost levels."""
    rng = np.random.default_rng(seed)
    source, sink = 0, 1 + n_mentors + n_mentees
    mentor = 1 + np.arange(n_mentors)
    mentee = 1 + n_mentors + np.arange(n_mentees)
    keys = rng.choice(n_mentors * n_mentees, size=n_pairs, replace=False)
    pm, pe = keys // n_mentees, keys % n_mentees
    tail = np.concatenate([np.full(n_mentors, source), mentor[pm], mentee, [source]])
    head = np.concatenate([mentor, mentee[pe], np.full(n_mentees, sink), [sink]])
    upper = np.concatenate([rng.integers(1, 4, n_mentors), np.ones(n_pairs + n_mentees, int),
                            [n_mentees]])
    supply = np.zeros(sink + 1, dtype=np.int64)
    supply[source], supply[sink] = n_mentees, -n_mentees
    net = netflow.Network(sink + 1, tail, head, np.zeros(tail.size, int), upper, supply)
    m = tail.size
    pair = slice(n_mentors, n_mentors + n_pairs)
    served = slice(n_mentors + n_pairs, n_mentors + n_pairs + n_mentees)
    levels = [np.zeros(m, dtype=np.int64) for _ in range(3)]
    levels[0][served] = -rng.integers(1, 4, n_mentees)
    levels[1][pair] = -rng.integers(0, 101, n_pairs)
    levels[2][pair] = rng.integers(0, 51, n_pairs)
    return net, levels


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    net, levels = build(args.seed)
    print(f"network: {net.n_nodes} nodes, {net.n_arcs} arcs, {len(levels)} levels")
    runs = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        flow, outcomes, status = netflow.solve_lexicographic(net, levels)
        runs.append((time.perf_counter() - start, flow, outcomes, status))
    total, flow, outcomes, status = min(runs, key=lambda r: r[0])
    print(f"status {status}; values {[o.value for o in outcomes]}; best total {total:.3f} s "
          f"(median {statistics.median(r[0] for r in runs):.3f} s over {args.repeat})")
    for k, o in enumerate(outcomes):
        free = int((o.face_lower < o.face_upper).sum())
        print(f"  level {k}: {free:6d} free arcs  min-cost flow {o.flow_seconds * 1e3:7.1f} ms"
              f"  potentials {o.potential_seconds * 1e3:7.1f} ms")
    start = time.perf_counter()
    problems = check_certificate(net, levels, flow, outcomes)
    print(f"certificate check: {'OK' if not problems else problems} "
          f"in {(time.perf_counter() - start) * 1e3:.1f} ms")
    # the potential routines on each level's residual graph (private helpers): the default
    # Bellman-Ford with forest propagation, the same without it, and scipy's compiled
    # Bellman-Ford from a virtual root
    for k, cost in enumerate(levels):
        lower, upper = outcomes[k].face_lower, outcomes[k].face_upper
        free = lower < upper
        rt, rh, w = netflow._residual(net.tail[free], net.head[free], cost[free], lower[free],
                                      upper[free], flow[free])
        n = net.n_nodes
        timing = {}
        start = time.perf_counter()
        ref = netflow._distances(n, rt, rh, w)
        timing["forest"] = time.perf_counter() - start
        start = time.perf_counter()
        plain = netflow._distances(n, rt, rh, w, propagate=False)
        timing["plain"] = time.perf_counter() - start
        start = time.perf_counter()
        graph = sp.csr_array((np.concatenate([w, np.zeros(n)]),
                              (np.concatenate([rt + 1, np.zeros(n, int)]),
                               np.concatenate([rh + 1, np.arange(1, n + 1)]))),
                             shape=(n + 1, n + 1))  # no parallel residual arcs here
        scipy_dist = csgraph.bellman_ford(graph, indices=0)[1:]
        timing["scipy"] = time.perf_counter() - start
        assert (plain == ref).all() and (scipy_dist == ref).all()
        print(f"  level {k} potentials ({w.size} residual arcs): Bellman-Ford + forest "
              f"{timing['forest'] * 1e3:.1f} ms, without forest {timing['plain'] * 1e3:.1f} ms, "
              f"scipy bellman_ford {timing['scipy'] * 1e3:.1f} ms")

if __name__ == "__main__":
    main()
