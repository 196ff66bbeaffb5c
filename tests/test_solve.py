"""Backends, statuses, scaling, unmatched reasons and determinism."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import banghdai as bd
from banghdai.solvers import available_backends


def roster(seed: int, n_m: int = 12, n_e: int = 18):
    rng = np.random.default_rng(seed)
    tags = np.array(["党建", "产业发展", "电商", "基层治理", "农业技术"])
    mentors = pd.DataFrame({
        "mentor_id": [f"M{i}" for i in range(n_m)],
        "county": rng.choice(["A", "B", "C"], n_m),
        "village": rng.choice(["v1", "v2", "v3", "v4"], n_m),
        "lat": 38 + rng.random(n_m) * 0.4, "lon": 106 + rng.random(n_m) * 0.4,
        "domains": [";".join(rng.choice(tags, rng.integers(1, 4), replace=False)) for _ in range(n_m)],
        "rating": rng.integers(3, 6, n_m).astype(float),
        "capacity": rng.integers(0, 4, n_m),
    })
    mentors["min_load"] = np.minimum(rng.integers(0, 2, n_m), mentors["capacity"])
    mentees = pd.DataFrame({
        "mentee_id": [f"E{i}" for i in range(n_e)],
        "county": rng.choice(["A", "B", "C"], n_e),
        "village": rng.choice(["v1", "v2", "v3", "v4"], n_e),
        "lat": 38 + rng.random(n_e) * 0.4, "lon": 106 + rng.random(n_e) * 0.4,
        "domains": [";".join(rng.choice(tags, rng.integers(1, 3), replace=False)) for _ in range(n_e)],
        "rating": rng.integers(1, 5, n_e).astype(float),
        "k": rng.integers(1, 3, n_e),
    })
    return mentors, mentees


RULES = [
    bd.SameRegion("county"), bd.MaxDistance(km=30), bd.SharesDomain(), bd.Stronger("rating"),
    bd.AvoidSame("village"),
]
SCORES = [bd.DomainFit(weight=3), bd.Closeness(weight=1, scale_km=40), bd.StrongToWeak(weight=2)]


def build(seed, shape, rule_mask, unmatched, min_load):
    mentors, mentees = roster(seed)
    cap = "capacity"
    pairing = {
        "1:1": lambda: bd.OneToOne(unmatched=unmatched),
        "1:N": lambda: bd.OneToMany(cap, min_load="min_load" if min_load else 0, unmatched=unmatched),
        "N:1": lambda: bd.ManyToOne("k", unmatched=unmatched),
        "N:M": lambda: bd.ManyToMany(cap, "k", min_load="min_load" if min_load else 0,
                                     unmatched=unmatched),
    }[shape]()
    p = bd.Problem(mentors, mentees, pairing=pairing)
    p.require(*[r for r, on in zip(RULES, rule_mask, strict=True) if on]).prefer(*SCORES)
    return p


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 10_000),
    shape=st.sampled_from(["1:1", "1:N", "N:1", "N:M"]),
    rule_mask=st.lists(st.booleans(), min_size=5, max_size=5),
    unmatched=st.sampled_from(["allow", "allow", "forbid"]),
    min_load=st.booleans(),
)
def test_flow_and_cpsat_agree(seed, shape, rule_mask, unmatched, min_load):
    p = build(seed, shape, rule_mask, unmatched, min_load)
    flow = p.solve(backend="flow")
    cpsat = p.solve(backend="cpsat", time_limit=30)
    assert flow.backend == "flow" and cpsat.backend == "cpsat"
    assert flow.status in (bd.Status.OPTIMAL, bd.Status.INFEASIBLE)
    assert cpsat.status is flow.status
    if flow.status is bd.Status.OPTIMAL:
        for r in (flow, cpsat):
            check = bd.validate(p, r.pairs).raise_if_invalid()
            assert check.objective == pytest.approx(r.objective, rel=1e-9, abs=1e-9)
        assert len(flow.pairs) == len(cpsat.pairs)
        assert flow.objective == pytest.approx(cpsat.objective, rel=1e-7, abs=1e-6)


def test_auto_picks_flow_for_pure_problems():
    p = build(1, "N:M", [1, 0, 1, 0, 1], "allow", False)
    assert p.solve().backend == "flow"
    assert available_backends() == ["flow", "stable", "network", "cpsat"]


def test_infeasible_is_proven_by_both_backends():
    mentors, mentees = roster(3)
    p = bd.Problem(mentors, mentees, pairing=bd.OneToMany(1, unmatched="forbid"))  # 12 < 18
    for backend in ("flow", "cpsat"):
        r = p.solve(backend=backend)
        assert r.status is bd.Status.INFEASIBLE and r.objective is None and r.pairs.empty
        with pytest.raises(bd.StatusError, match="proven"):
            r.raise_for_status()


def test_timeout_is_unknown_or_feasible_never_infeasible():
    rng = np.random.default_rng(7)
    n = 120
    cost = rng.integers(0, 1000, (n, n))
    table = pd.DataFrame({"mentor_id": np.repeat(np.arange(n), n),
                          "mentee_id": np.tile(np.arange(n), n), "cost": cost.ravel()})
    p = bd.Problem(pd.DataFrame({"mentor_id": np.arange(n)}), pd.DataFrame({"mentee_id": np.arange(n)}),
                   pairing=bd.OneToOne(unmatched="forbid"))
    p.prefer(bd.PairScore(table, "cost", sense="min"))
    r = p.solve(backend="cpsat", time_limit=0.05, params={"subsolvers": ["no_lp"]})
    # the network relaxation (milliseconds) may prove it before any search
    assert r.status in (bd.Status.UNKNOWN, bd.Status.FEASIBLE, bd.Status.OPTIMAL)
    if r.status is bd.Status.OPTIMAL:
        bd.validate(p, r.pairs).raise_if_invalid()
        assert r.objective == pytest.approx(p.solve().objective)
    elif r.status is bd.Status.UNKNOWN:
        assert r.pairs.empty and r.objective is None
        with pytest.raises(bd.StatusError, match="time ran out"):
            r.raise_for_status()
    else:
        bd.validate(p, r.pairs).raise_if_invalid()
        assert r.bound <= r.objective + 1e-9  # a cost: the bound is below
    exact = p.solve()
    assert exact.status is bd.Status.OPTIMAL


def test_min_sense_objective_is_a_positive_cost():
    t = pd.DataFrame({"mentor_id": ["a", "a", "b", "b"], "mentee_id": ["x", "y", "x", "y"],
                      "cost": [4, 1, 2, 8]})
    p = bd.Problem(pd.DataFrame({"mentor_id": ["a", "b"]}), pd.DataFrame({"mentee_id": ["x", "y"]}))
    p.prefer(bd.PairScore(t, "cost", sense="min"))
    for backend in ("flow", "cpsat"):
        r = p.solve(backend=backend)
        assert r.objective == 3 and r.sense == "min"
        assert set(zip(r.pairs.mentor_id, r.pairs.mentee_id, strict=True)) == {("a", "y"), ("b", "x")}


def test_integral_scores_are_not_scaled_and_floats_are():
    t = pd.DataFrame({"mentor_id": ["a"], "mentee_id": ["x"], "s": [7]})
    p = bd.Problem(pd.DataFrame({"mentor_id": ["a"]}), pd.DataFrame({"mentee_id": ["x"]}))
    assert p.prefer(bd.PairScore(t, "s")).compile().scale == 1.0
    t2 = t.assign(s=[0.123456789])
    c = bd.Problem(pd.DataFrame({"mentor_id": ["a"]}), pd.DataFrame({"mentee_id": ["x"]})).prefer(
        bd.PairScore(t2, "s")).compile()
    assert c.scale >= 1e6 and c.edge_value[0] == round(0.123456789 * c.scale)


def test_scaling_warning_when_precision_is_lost():
    t = pd.DataFrame({"mentor_id": ["a", "b"], "mentee_id": ["x", "x"], "s": [0.30001, 0.3]})
    p = bd.Problem(pd.DataFrame({"mentor_id": ["a", "b"]}), pd.DataFrame({"mentee_id": ["x"]}))
    p.prefer(bd.PairScore(t, "s"))
    with pytest.warns(bd.ScalingWarning, match="lose precision"):
        p.compile(scale=1)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        p.compile()  # the automatic scale keeps the digits


def test_unmatched_reasons_name_the_rule_or_capacity():
    mentors = pd.DataFrame({"mentor_id": ["M1", "M2"], "county": ["A", "A"], "capacity": [1, 1]})
    mentees = pd.DataFrame({"mentee_id": ["E1", "E2", "E3", "E4"], "county": ["A", "A", "A", "B"]})
    p = bd.Problem(mentors, mentees, pairing=bd.OneToMany("capacity")).require(bd.SameRegion("county"))
    r = p.solve()
    bd.validate(p, r.pairs).raise_if_invalid()
    reasons = r.unmatched.set_index("mentee_id")["reason"]
    assert reasons["E4"] == "no candidate mentor: none left after rule 'same county'"
    full = [m for m in ("E1", "E2", "E3") if m in reasons.index]
    assert len(full) == 1 and reasons[full[0]] == "all 2 candidate mentors are at capacity"
    assert r.coverage == pytest.approx(2 / 4)


def test_funnel_counts_each_rule_in_turn():
    mentors, mentees = roster(5)
    c = bd.Problem(mentors, mentees).require(*RULES).compile()
    stages = [col for col in c.funnel.columns if col not in ("mentee_id", "mentors")]
    assert stages == ["same county", "within 30 km", "shares >= 1 domain", "stronger by rating",
                      "different village"]
    counts = c.funnel[["mentors", *stages]].to_numpy()
    assert (np.diff(counts, axis=1) <= 0).all()  # each rule only removes candidates
    assert (counts[:, -1] == np.bincount(c.edge_mentee, minlength=c.n_mentees)).all()


def test_same_seed_same_pairs_on_both_backends():
    p = bd.load_sample("fanxian").problem()
    for backend in ("flow", "cpsat"):
        a, b = p.solve(backend=backend, seed=3), p.solve(backend=backend, seed=3)
        pd.testing.assert_frame_equal(a.pairs, b.pairs)


def test_fixed_pairs_are_hard_not_costs():
    # the fixed pair is the worst one by score, and still formed, on both backends
    t = pd.DataFrame({"mentor_id": ["a", "a", "b", "b"], "mentee_id": ["x", "y", "x", "y"],
                      "s": [10, 0, 0, 10]})
    p = bd.Problem(pd.DataFrame({"mentor_id": ["a", "b"]}), pd.DataFrame({"mentee_id": ["x", "y"]}))
    p.prefer(bd.PairScore(t, "s")).fix(pd.DataFrame({"mentor_id": ["a"], "mentee_id": ["y"]}))
    for backend in ("flow", "cpsat"):
        r = p.solve(backend=backend)
        bd.validate(p, r.pairs).raise_if_invalid()
        assert ("a", "y") in set(zip(r.pairs.mentor_id, r.pairs.mentee_id, strict=True))
        assert r.pairs.set_index("mentor_id").loc["a", "fixed"]
        assert r.objective == 0


def test_unmatched_penalty_trades_coverage_for_score():
    t = pd.DataFrame({"mentor_id": ["a"], "mentee_id": ["x"], "s": [-5.0]})
    base = (pd.DataFrame({"mentor_id": ["a"]}), pd.DataFrame({"mentee_id": ["x"]}))
    cheap = bd.Problem(*base, pairing=bd.OneToOne(unmatched_penalty=1)).prefer(bd.PairScore(t, "s"))
    dear = bd.Problem(*base, pairing=bd.OneToOne(unmatched_penalty=9)).prefer(bd.PairScore(t, "s"))
    first = bd.Problem(*base).prefer(bd.PairScore(t, "s"))
    for backend in ("flow", "cpsat"):
        assert cheap.solve(backend=backend).pairs.empty
        assert len(dear.solve(backend=backend).pairs) == 1
        assert len(first.solve(backend=backend).pairs) == 1  # coverage first


def test_sparse_one_to_one_with_a_penalty_may_leave_a_mentee_out():
    # a full matching exists (A-y, B-x) but with a trade-off penalty the heavy pair A-x wins
    s = pd.DataFrame({"mentor_id": ["A", "A", "B"], "mentee_id": ["x", "y", "x"],
                      "s": [10.0, 1.0, 1.0]})
    base = (pd.DataFrame({"mentor_id": ["A", "B"]}), pd.DataFrame({"mentee_id": ["x", "y"]}))
    traded = bd.Problem(*base, pairing=bd.OneToOne(unmatched_penalty=0.5)).prefer(
        bd.PairScore(s, "s"))
    first = bd.Problem(*base).prefer(bd.PairScore(s, "s"))
    for backend in ("flow", "cpsat"):
        r = traded.solve(backend=backend)
        assert set(zip(r.pairs.mentor_id, r.pairs.mentee_id, strict=True)) == {("A", "x")}
        c = first.solve(backend=backend)  # coverage first: the full matching
        assert len(c.pairs) == 2 and bd.validate(first, c.pairs).ok
