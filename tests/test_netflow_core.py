"""The standalone lexicographic min-cost-flow engine and its solver-free certificate check."""

from __future__ import annotations

import time

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog
from scipy.sparse import csgraph, csr_array

from banghdai.checks.certificate import check_certificate
from banghdai.solvers import netflow
from banghdai.solvers.netflow import Network, solve_lexicographic

SETTINGS = settings(max_examples=50, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


def lp_values(net: Network, levels) -> list[int] | None:
    """Lexicographic values by sequential LPs (HiGHS); None when no flow exists."""
    m = net.n_arcs
    a_eq = np.zeros((net.n_nodes, m))
    np.add.at(a_eq, (net.tail, np.arange(m)), 1.0)
    np.add.at(a_eq, (net.head, np.arange(m)), -1.0)
    b_eq = net.supply.astype(float)
    bounds = list(zip(net.lower.tolist(), net.upper.tolist(), strict=True))
    values = []
    for cost in levels:
        res = linprog(np.asarray(cost, float), A_eq=a_eq, b_eq=b_eq, bounds=bounds,
                      method="highs")
        if res.status == 2:
            return None
        assert res.status == 0, res.message
        value = round(res.fun)
        assert abs(res.fun - value) < 1e-6  # integral: the optimal faces are integral
        values.append(value)
        a_eq = np.vstack([a_eq, np.asarray(cost, float)])
        b_eq = np.append(b_eq, value)
    return values


def bipartite(n_mentors, n_mentees, pairs, caps, fixed=(), bypass=True) -> Network:
    """source -> mentors (caps) -> mentees (pairs, capacity 1) -> sink, one unit per mentee.

    ``fixed`` pair indices get lower bound 1; with ``bypass`` a source -> sink arc lets
    mentees go unserved.  Arc order: source arcs, pair arcs, sink arcs, bypass.
    """
    source, sink = 0, 1 + n_mentors + n_mentees
    pm = np.array([p[0] for p in pairs], dtype=np.int64)
    pe = np.array([p[1] for p in pairs], dtype=np.int64)
    tail = np.concatenate([np.zeros(n_mentors, int), 1 + pm, 1 + n_mentors + np.arange(n_mentees)])
    head = np.concatenate([1 + np.arange(n_mentors), 1 + n_mentors + pe,
                           np.full(n_mentees, sink)])
    upper = np.concatenate([caps, np.ones(len(pairs) + n_mentees, int)])
    if bypass:
        tail, head = np.append(tail, source), np.append(head, sink)
        upper = np.append(upper, n_mentees)
    lower = np.zeros(tail.size, dtype=np.int64)
    lower[n_mentors + np.asarray(list(fixed), dtype=np.int64)] = 1
    supply = np.zeros(sink + 1, dtype=np.int64)
    supply[source], supply[sink] = n_mentees, -n_mentees
    return Network(sink + 1, tail, head, lower, upper, supply)


@st.composite
def bipartite_cases(draw):
    n_mentors = draw(st.integers(1, 4))
    n_mentees = draw(st.integers(1, 5))
    all_pairs = [(i, j) for i in range(n_mentors) for j in range(n_mentees)]
    pairs = draw(st.lists(st.sampled_from(all_pairs), min_size=1, unique=True))
    caps = draw(st.lists(st.integers(0, 3), min_size=n_mentors, max_size=n_mentors))
    fixed = draw(st.lists(st.integers(0, len(pairs) - 1), max_size=2, unique=True))
    bypass = draw(st.sampled_from([True, True, False]))
    net = bipartite(n_mentors, n_mentees, pairs, caps, fixed, bypass=bypass)
    n_levels = draw(st.integers(2, 3))
    levels = [draw(st.lists(st.integers(-5, 5), min_size=net.n_arcs, max_size=net.n_arcs))
              for _ in range(n_levels)]
    return net, levels


@st.composite
def general_cases(draw):
    """Any digraph: parallel and opposite arcs, negative lower bounds, random supplies."""
    n = draw(st.integers(2, 6))
    m = draw(st.integers(1, 12))
    node = st.integers(0, n - 1)
    tail = draw(st.lists(node, min_size=m, max_size=m))
    head = [(t + draw(st.integers(1, n - 1))) % n for t in tail]
    lower = draw(st.lists(st.integers(-2, 1), min_size=m, max_size=m))
    upper = [lo + draw(st.integers(0, 3)) for lo in lower]
    if draw(st.booleans()):  # the supplies of some flow within the bounds: feasible
        x = [draw(st.integers(lo, hi)) for lo, hi in zip(lower, upper, strict=True)]
        supply = np.zeros(n, dtype=np.int64)
        np.add.at(supply, tail, x)
        np.subtract.at(supply, head, x)
    else:
        supply = draw(st.lists(st.integers(-3, 3), min_size=n - 1, max_size=n - 1))
        supply.append(-sum(supply))
    levels = [draw(st.lists(st.integers(-4, 4), min_size=m, max_size=m))
              for _ in range(draw(st.integers(1, 3)))]
    return Network(n, tail, head, lower, upper, supply), levels


def assert_matches_lp(net, levels):
    flow, outcomes, status = solve_lexicographic(net, levels)
    reference = lp_values(net, levels)
    if reference is None:
        assert status == "INFEASIBLE" and flow is None and outcomes == []
        return
    assert status == "OPTIMAL"
    assert [o.value for o in outcomes] == reference
    assert flow.dtype == np.int64
    assert all(o.potentials.dtype == np.int64 for o in outcomes)
    assert check_certificate(net, levels, flow, outcomes) == []
    # without the faces kept (what the network engine asks for): the same flow and proof
    flow2, outcomes2, _ = solve_lexicographic(net, levels, keep_faces=False)
    assert np.array_equal(flow, flow2)
    assert [o.value for o in outcomes2] == reference
    assert all(o.face_lower is None and o.face_upper is None for o in outcomes2)
    assert all(np.array_equal(a.potentials, b.potentials)
               for a, b in zip(outcomes, outcomes2, strict=True))


@SETTINGS
@given(bipartite_cases())
def test_bipartite_levels_match_sequential_lp(case):
    assert_matches_lp(*case)


@SETTINGS
@given(general_cases())
def test_general_networks_match_sequential_lp(case):
    assert_matches_lp(*case)


def two_by_two():
    """Mentors 0, 1 and mentees 0, 1, all four pairs; level 0 prefers the diagonal."""
    net = bipartite(2, 2, [(0, 0), (0, 1), (1, 0), (1, 1)], [1, 1], bypass=False)
    level0 = np.zeros(net.n_arcs, dtype=np.int64)
    level0[2:6] = [1, 5, 5, 1]  # pair arcs (0,0), (0,1), (1,0), (1,1)
    level1 = np.zeros(net.n_arcs, dtype=np.int64)
    level1[2:6] = [3, 0, 0, 2]
    return net, [level0, level1]


def test_certificate_passes_and_rejects_a_worse_swapped_flow():
    net, levels = two_by_two()
    flow, outcomes, status = solve_lexicographic(net, levels)
    assert status == "OPTIMAL"
    assert flow[2:6].tolist() == [1, 0, 0, 1]
    assert [o.value for o in outcomes] == [2, 5]
    assert check_certificate(net, levels, flow, outcomes) == []
    swapped = flow.copy()
    swapped[2:6] = [0, 1, 1, 0]  # still feasible, but costs 10 at level 0
    problems = check_certificate(net, levels, swapped, outcomes)
    assert any("level 0" in p and "reduced cost" in p for p in problems)
    assert any("value 2 claimed but cost @ flow is 10" in p for p in problems)


def test_certificate_rejects_tampered_potentials_values_and_faces():
    net, levels = two_by_two()
    flow, outcomes, _ = solve_lexicographic(net, levels)
    mentee0 = 3  # nodes: source 0, mentors 1-2, mentees 3-4, sink 5
    bad = [netflow.LevelOutcome(o.value, o.potentials.copy(), o.face_lower, o.face_upper)
           for o in outcomes]
    bad[0].potentials[mentee0] += 7  # the used pair (0, 0) now has a positive reduced cost
    assert check_certificate(net, levels, flow, bad) == [
        "level 0: 1 arc(s) with positive reduced cost are above the face lower bound: 2",
        # and these potentials would have fixed arcs 2 and 6 differently for level 1
        "level 1: face differs from level 0's face with nonzero-rc arcs fixed on 2 arc(s): 2, 6",
    ]
    bad[0].potentials[mentee0] -= 14  # arc 4 (1, 0), unused, now has a negative one
    assert any("negative reduced cost are below the face upper bound: 4" in p
               for p in check_certificate(net, levels, flow, bad))
    bad[0].potentials[mentee0] = 2**61
    assert any("cannot check exactly" in p for p in check_certificate(net, levels, flow, bad))
    bad = [netflow.LevelOutcome(o.value, o.potentials, o.face_lower, o.face_upper)
           for o in outcomes]
    bad[1].value += 1
    assert any("level 1: value" in p for p in check_certificate(net, levels, flow, bad))
    bad = [netflow.LevelOutcome(o.value, o.potentials, o.face_lower, o.face_upper)
           for o in outcomes]
    bad[1].face_lower = outcomes[0].face_lower  # pretend level 1 ran on the whole network
    bad[1].face_upper = outcomes[0].face_upper
    problems = check_certificate(net, levels, flow, bad)
    assert any("level 1: face differs" in p for p in problems)
    assert check_certificate(net, levels, flow, outcomes[:1]) == [
        "only 1 of 2 levels are certified"]
    assert check_certificate(net, levels, flow, outcomes[:1], complete=False) == []
    assert check_certificate(net, levels, flow, outcomes + outcomes[:1]) == [
        "3 outcomes for 2 levels"]
    broken = flow.copy()
    broken[0] = 0  # mentor 0 receives nothing but still sends a unit
    assert any("conservation fails" in p for p in
               check_certificate(net, levels, broken, outcomes))
    assert check_certificate(net, levels, flow.astype(float) + 0.5, outcomes) == [
        "flow must hold integers"]
    wrapped = flow.copy()
    wrapped[0] += 2**62  # |flow| sums past 2**62: node balances in exact integers
    wrapped[6] += 2**62
    problems = check_certificate(net, levels, wrapped, outcomes)
    assert any("conservation fails at 4 node(s): 0, 1, 3, 5" in p for p in problems)
    assert any("flow leaves the face" in p for p in problems)


def test_lower_bounds_force_a_fixed_pair():
    # the fixed pair (0, 1) is expensive; without it the diagonal would win
    net, levels = two_by_two()
    fixed = bipartite(2, 2, [(0, 0), (0, 1), (1, 0), (1, 1)], [1, 1], fixed=[1], bypass=False)
    flow, outcomes, status = solve_lexicographic(fixed, levels)
    assert status == "OPTIMAL"
    assert flow[2:6].tolist() == [0, 1, 1, 0]
    assert outcomes[0].face_lower[3] == 1
    assert check_certificate(fixed, levels, flow, outcomes) == []
    # negative and positive lower bounds on a cycle: 0 -> 1 -> 2 -> 0
    cyc = Network(3, [0, 1, 2], [1, 2, 0], [2, -3, 1], [4, 5, 6], [0, 0, 0])
    flow, outcomes, status = solve_lexicographic(cyc, [[1, 1, 1]])
    assert status == "OPTIMAL" and flow.tolist() == [2, 2, 2] and outcomes[0].value == 6
    assert check_certificate(cyc, [[1, 1, 1]], flow, outcomes) == []


def test_infeasible_networks():
    levels = [[1, 1]]
    unbalanced = Network(3, [0, 1], [1, 2], [0, 0], [5, 5], [2, 0, -1])
    assert solve_lexicographic(unbalanced, levels) == (None, [], "INFEASIBLE")
    short = Network(3, [0, 1], [1, 2], [0, 0], [5, 1], [2, 0, -2])
    assert solve_lexicographic(short, levels) == (None, [], "INFEASIBLE")
    crossed = Network(3, [0, 1], [1, 2], [0, 3], [5, 2], [2, 0, -2])
    assert solve_lexicographic(crossed, levels) == (None, [], "INFEASIBLE")
    # every mentee must be served (no bypass) but one has no candidate
    net = bipartite(2, 3, [(0, 0), (1, 1)], [3, 3], bypass=False)
    assert solve_lexicographic(net, [np.zeros(net.n_arcs)]).status == "INFEASIBLE"
    assert solve_lexicographic(net, []).status == "INFEASIBLE"


def test_no_levels_gives_a_feasible_flow():
    net = Network(3, [0, 1, 0], [1, 2, 2], [0, 0, 0], [1, 1, 1], [2, 0, -2])
    flow, outcomes, status = solve_lexicographic(net, [])
    assert status == "OPTIMAL" and outcomes == [] and flow.tolist() == [1, 1, 1]
    assert check_certificate(net, [], flow, outcomes) == []


def test_past_deadline_starts_no_level():
    net, levels = two_by_two()
    flow, outcomes, status = solve_lexicographic(net, levels, deadline=time.perf_counter() - 1)
    assert status == "TIMEOUT" and flow is None and outcomes == []
    later = solve_lexicographic(net, levels, deadline=time.perf_counter() + 60)
    assert later.status == "OPTIMAL" and len(later.outcomes) == 2


def test_a_level_is_not_started_when_its_estimate_does_not_fit():
    # no clock is read for the answer: level 0 is estimated at an hour, 60 s are left
    net, levels = two_by_two()
    out = solve_lexicographic(net, levels, deadline=time.perf_counter() + 60,
                              first_estimate=3600.0)
    assert out.status == "TIMEOUT" and out.flow is None


def test_stop_after_level_zero_keeps_its_proof(monkeypatch):
    """``stop`` (Ctrl-C) asked after level 0 is proven: the flow and level 0's certificate
    are kept, level 1 is not started."""
    from banghdai.solvers import netflow

    net, levels = two_by_two()
    done = []
    real = netflow._potentials

    def counted(*args, **kwargs):
        out = real(*args, **kwargs)
        done.append(True)
        return out

    monkeypatch.setattr(netflow, "_potentials", counted)
    flow, outcomes, status = solve_lexicographic(net, levels, stop=lambda: bool(done))
    assert status == "INTERRUPTED"
    assert len(outcomes) == 1 and outcomes[0].value == 2
    assert check_certificate(net, levels, flow, outcomes, complete=False) == []
    assert check_certificate(net, levels, flow, outcomes) != []


def test_serve_as_many_as_possible_with_a_bypass_level():
    # 3 mentees, mentor capacity 2: level 0 counts the bypass, level 1 picks who is served
    net = bipartite(1, 3, [(0, 0), (0, 1), (0, 2)], [2], bypass=True)
    unserved = np.zeros(net.n_arcs, dtype=np.int64)
    unserved[-1] = 1
    fit = np.zeros(net.n_arcs, dtype=np.int64)
    fit[1:4] = [-5, -1, -3]
    flow, outcomes, status = solve_lexicographic(net, [unserved, fit])
    assert status == "OPTIMAL" and [o.value for o in outcomes] == [1, -8]
    assert flow[1:4].tolist() == [1, 0, 1]


def test_input_validation_and_overflow_guard():
    with pytest.raises(ValueError, match="outside"):
        Network(2, [0], [2], [0], [1], [0, 0])
    with pytest.raises(ValueError, match="shape"):
        Network(2, [0], [1], [0, 0], [1], [0, 0])
    net = Network(2, [0], [1], [0], [1], [1, -1])
    with pytest.raises(ValueError, match="integers"):
        solve_lexicographic(net, [[0.5]])
    with pytest.raises(ValueError, match="shape"):
        solve_lexicographic(net, [[1, 2]])
    with pytest.raises(ValueError, match="too large"):
        solve_lexicographic(net, [[2**60]])
    big = Network(2, [0], [1], [0], [2**62], [1, -1])
    with pytest.raises(ValueError, match="too large"):
        solve_lexicographic(big, [[1]])
    wide = Network(2, [0], [1], [0], [2**40], [1, -1])
    with pytest.raises(ValueError, match="overflow"):
        solve_lexicographic(wide, [[2**30]])
    assert not net.tail.flags.writeable


def scipy_distances(n, rt, rh, w):
    """Reference distances from a virtual root with scipy (no parallel arcs)."""
    graph = csr_array((np.concatenate([w, np.zeros(n)]).astype(float),
                       (np.concatenate([rt + 1, np.zeros(n, int)]),
                        np.concatenate([rh + 1, np.arange(1, n + 1)]))), shape=(n + 1, n + 1))
    return csgraph.bellman_ford(graph, indices=0)[1:].astype(np.int64)


@pytest.mark.parametrize("propagate", [True, False])
def test_distances_on_a_deep_negative_path(propagate):
    rng = np.random.default_rng(3)
    n = 400
    order = rng.permutation(n)
    rt = np.concatenate([order[:-1], order[1:], rng.integers(0, n, 300)])
    rh = np.concatenate([order[1:], order[:-1], rng.integers(0, n, 300)])
    w = np.concatenate([np.full(n - 1, -2), np.full(n - 1, 2), rng.integers(2 * n, 3 * n, 300)])
    keep = rt != rh
    rt, rh, w = rt[keep], rh[keep], w[keep]
    key = rt * n + rh
    _, first = np.unique(key, return_index=True)
    rt, rh, w = rt[first], rh[first], w[first]
    dist = netflow._distances(n, rt, rh, w, propagate=propagate)
    assert dist.min() == -2 * (n - 1)
    assert (dist == scipy_distances(n, rt, rh, w)).all()


def test_distances_detect_a_negative_cycle():
    with pytest.raises(RuntimeError, match="negative cycle"):
        netflow._distances(3, np.array([0, 1, 2]), np.array([1, 2, 0]), np.array([-1, -1, 1]))
