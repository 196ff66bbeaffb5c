"""MaxFromSameUnit, the worked example of a group rule that is a flow (CONTRIBUTING.md).

One source file (model/rules/max_from_same_unit.py) plus the registry line: the network
engine takes it (capacity k, not 1), the validator checks it, the pre-check and the
unmatched reason name it, and a multi-region solve splits it.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

import banghdai as bd

from oracle import assert_valid


def roster(seed: int, n_m: int = 3, n_e: int = 4, units: int = 2, counties: int = 1):
    rng = np.random.default_rng(seed)
    mentors = pd.DataFrame({"mentor_id": [f"M{i}" for i in range(n_m)],
                            "capacity": rng.integers(1, 4, n_m),
                            "county": rng.integers(0, counties, n_m).astype(str),
                            "rating": rng.integers(1, 6, n_m)})
    mentees = pd.DataFrame({"mentee_id": [f"E{i}" for i in range(n_e)],
                            "unit": rng.choice([f"u{j}" for j in range(units)], n_e),
                            "county": rng.integers(0, counties, n_e).astype(str),
                            "rating": rng.integers(1, 6, n_e)})
    return mentors, mentees


def brute_force_max_pairs(mentors: pd.DataFrame, mentees: pd.DataFrame, k: int) -> int:
    """Most pairs any pairing has (one mentor per mentee, capacities, at most k per
    (mentor, unit)), by trying every mentor (or none) for every mentee."""
    caps = mentors["capacity"].to_numpy()
    units = pd.factorize(mentees["unit"])[0]
    best = 0
    for choice in itertools.product(range(-1, len(mentors)), repeat=len(mentees)):
        c = np.array(choice)
        on = c >= 0
        if (np.bincount(c[on], minlength=len(mentors)) > caps).any():
            continue
        if np.bincount(c[on] * 100 + units[on]).max(initial=0) > k:
            continue
        best = max(best, int(on.sum()))
    return best


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("k", [1, 2])
def test_network_engine_matches_brute_force_and_cpsat(seed, k):
    mentors, mentees = roster(seed, n_m=3, n_e=5)
    p = bd.Problem(mentors, mentees, pairing=bd.OneToMany("capacity")).require(
        bd.MaxFromSameUnit("unit", k))
    net = p.solve(time_limit=30)
    assert net.backend == "network" and net.status is bd.Status.OPTIMAL
    cp = p.solve(backend="cpsat", time_limit=30)
    assert cp.status is bd.Status.OPTIMAL
    for r in (net, cp):
        assert_valid(p, r)
    best = brute_force_max_pairs(mentors, mentees, k)
    assert len(net.pairs) == len(cp.pairs) == best
    assert net.objective == pytest.approx(cp.objective)


def test_capacity_k_not_one():
    # the shortcut of reusing at-most-one sets would give 1 pair here; k=2 allows 2
    mentors = pd.DataFrame({"mentor_id": ["M"]})
    mentees = pd.DataFrame({"mentee_id": ["a", "b", "c"], "unit": ["x", "x", "x"]})
    p = bd.Problem(mentors, mentees, pairing=bd.OneToMany(3)).require(
        bd.MaxFromSameUnit("unit", 2))
    r = p.solve()
    assert r.backend == "network" and len(r.pairs) == 2
    assert_valid(p, r)
    from banghdai.solvers.network import build_network

    net, layout = build_network(p.compile())
    tm0, gm0 = layout["tm0"], layout["gm0"]
    into_group = (net.head >= tm0) & (net.head < gm0) & (net.tail < tm0)
    assert net.upper[into_group].tolist() == [2]  # the (mentor, unit) arc has capacity k


def test_validator_flags_the_mentee_beyond_k():
    mentors = pd.DataFrame({"mentor_id": ["M"]})
    mentees = pd.DataFrame({"mentee_id": ["a", "b", "c"], "unit": ["x", "x", None]})
    p = bd.Problem(mentors, mentees, pairing=bd.OneToMany(3)).require(
        bd.MaxFromSameUnit("unit", 1))
    pairs = pd.DataFrame({"mentor_id": ["M", "M", "M"], "mentee_id": ["a", "b", "c"]})
    v = bd.validate(p, pairs)
    assert not v.ok
    bad = v.violations[v.violations["rule"] == bd.MaxFromSameUnit("unit", 1).label()]
    assert bad["mentee_id"].tolist() == ["b"]  # c has no unit: not counted
    assert bd.validate(p, pairs.iloc[[0, 2]]).ok


def test_unmatched_reason_names_the_rule():
    mentors = pd.DataFrame({"mentor_id": ["M"]})
    mentees = pd.DataFrame({"mentee_id": ["a", "b"], "unit": ["x", "x"]})
    rule = bd.MaxFromSameUnit("unit", 1)
    p = bd.Problem(mentors, mentees, pairing=bd.OneToMany(3)).require(rule)
    r = p.solve()
    assert_valid(p, r)
    assert len(r.unmatched) == 1
    reason = r.unmatched["reason"].iloc[0]
    assert rule.label() in reason and "serve others" not in reason
    zh = r.unmatched_in("zh")["reason"].iloc[0]
    assert rule.label("zh") in zh


def test_precheck_finds_unreachable_minimum_load():
    mentors = pd.DataFrame({"mentor_id": ["M", "N"]})
    mentees = pd.DataFrame({"mentee_id": ["a", "b", "c"], "unit": ["x", "x", "y"]})
    p = bd.Problem(mentors, mentees, pairing=bd.OneToMany(3, min_load=3)).require(
        bd.MaxFromSameUnit("unit", 1))
    found = bd.check(p)
    mine = found[found["check"] == "max_from_same_unit"]
    assert sorted(mine["subject"]) == ["M", "N"]
    assert "at most 1" in mine["message"].iloc[0]
    assert "至多1名" in bd.check(p, "zh").query("check == 'max_from_same_unit'")[
        "message"].iloc[0]


@pytest.mark.parametrize("backend", ["network", "cpsat"])
def test_splits_by_region(backend):
    mentors, mentees = roster(7, n_m=9, n_e=14, units=3, counties=3)
    p = bd.Problem(mentors, mentees, pairing=bd.OneToMany("capacity")).require(
        bd.SameRegion("county"), bd.MaxFromSameUnit("unit", 1))
    p.prefer(bd.StrongToWeak("rating"))
    whole = p.solve(split=False, backend=backend, time_limit=30)
    apart = p.solve(split=True, backend=backend, time_limit=30)
    assert apart.info["split"] and apart.info["components"] >= 2
    for r in (whole, apart):
        assert r.status is bd.Status.OPTIMAL
        assert_valid(p, r)
    assert apart.objective == pytest.approx(whole.objective)


def test_two_families_on_the_mentor_side_go_to_cpsat():
    mentors, mentees = roster(3, n_m=3, n_e=6, units=2)
    mentees["kind"] = ["p", "q"] * 3
    p = bd.Problem(mentors, mentees, pairing=bd.OneToMany("capacity")).require(
        bd.MaxFromSameUnit("unit", 1), bd.DistinctTypes("kind", per="mentor"))
    r = p.solve(time_limit=30)
    assert r.backend == "cpsat" and r.status is bd.Status.OPTIMAL
    assert_valid(p, r)


def test_bad_k_is_refused():
    with pytest.raises(bd.InputError):
        bd.MaxFromSameUnit("unit", 0)


@pytest.mark.parametrize("seed", range(4))
def test_with_distinct_types_and_a_quota_the_network_agrees_with_cpsat(seed):
    # three families at once: (mentee, type) nodes, (mentor, unit) nodes of capacity k and
    # a quota tree above the mentors
    rng = np.random.default_rng(seed)
    mentors, mentees = roster(seed, n_m=6, n_e=8, units=2)
    mentors["type"] = rng.choice(["a", "b"], len(mentors))
    mentors["tier"] = rng.choice(["city", "county"], len(mentors))
    mentees["need"] = rng.integers(1, 3, len(mentees))
    p = bd.Problem(mentors, mentees, pairing=bd.ManyToMany("capacity", "need")).require(
        bd.MaxFromSameUnit("unit", 2), bd.DistinctTypes("type"),
        bd.Quota("tier", side="mentor", max={"city": 3}))
    p.prefer(bd.StrongToWeak("rating"))
    net = p.solve(time_limit=30)
    cp = p.solve(backend="cpsat", time_limit=30)
    assert net.backend == "network"
    for r in (net, cp):
        assert r.status is bd.Status.OPTIMAL
        assert_valid(p, r)
    assert net.objective == pytest.approx(cp.objective)
