"""Lexicographic levels, max-min fairness and load balance."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import Phase, given, settings
from hypothesis import strategies as st

import banghdai as bd


def small(seed: int, n_m: int = 3, n_e: int = 4):
    rng = np.random.default_rng(seed)
    mentors = pd.DataFrame({"mentor_id": [f"M{i}" for i in range(n_m)],
                            "capacity": rng.integers(1, 3, n_m),
                            "lat": 30 + rng.random(n_m) * 0.3, "lon": 110 + rng.random(n_m) * 0.3,
                            "domains": rng.choice(["a;b", "b", "c;a"], n_m)})
    mentees = pd.DataFrame({"mentee_id": [f"E{i}" for i in range(n_e)],
                            "priority": rng.integers(1, 3, n_e),
                            "lat": 30 + rng.random(n_e) * 0.3, "lon": 110 + rng.random(n_e) * 0.3,
                            "domains": rng.choice(["a", "b", "c"], n_e)})
    return mentors, mentees


def all_valid_selections(problem: bd.Problem):
    """Every selection of candidate pairs that validates (degree bounds screened first)."""
    c = problem.compile()
    n = c.n_edges
    masks = ((np.arange(2**n)[:, None] >> np.arange(n)) & 1).astype(bool)
    deg_e = masks.astype(int) @ (c.edge_mentee[:, None] == np.arange(c.n_mentees))
    deg_m = masks.astype(int) @ (c.edge_mentor[:, None] == np.arange(c.n_mentors))
    ok = (deg_e <= c.demand).all(axis=1) & (deg_m <= c.cap_hi).all(axis=1)
    for mask in masks[ok]:
        idx = np.flatnonzero(mask)
        pairs = pd.DataFrame({"mentor_id": c.mentors.ids[c.edge_mentor[idx]],
                              "mentee_id": c.mentees.ids[c.edge_mentee[idx]]})
        if bd.validate(problem, pairs).ok:
            yield c, idx


def lexi_key(c, idx, priorities):
    """(coverage of each priority present, domain fit, closeness) of a selection."""
    e = c.edge_mentee[idx]
    cov = [int((priorities[e] == p).sum()) for p in np.unique(priorities)]
    return (*cov, round(float(c.edge_info["domain_fit"].to_numpy()[idx].sum()), 9),
            round(float(c.edge_info["closeness"].to_numpy()[idx].sum()), 9))


@settings(max_examples=10, deadline=None, derandomize=True, database=None,
          phases=[Phase.explicit, Phase.generate])
@given(seed=st.integers(0, 10_000))
def test_lexicographic_levels_match_brute_force(seed):
    mentors, mentees = small(seed)
    p = bd.Problem(mentors, mentees, pairing=bd.OneToMany("capacity"))
    p.prefer(levels=[bd.Coverage(priority="priority"), bd.DomainFit(),
                     bd.Closeness(scale_km=50)])
    r = p.solve()
    assert r.status is bd.Status.OPTIMAL and r.backend == "network"  # linear levels: flows
    assert bd.verify_certificate(r) == []
    bd.validate(p, r.pairs).raise_if_invalid()
    pri = mentees["priority"].to_numpy()
    best = max(lexi_key(c, idx, pri) for c, idx in all_valid_selections(p))
    got = tuple(r.levels["value"].round(6))
    assert got == pytest.approx(tuple(round(v, 6) for v in best), abs=1e-5)
    names = [f"coverage priority={p}" for p in np.unique(pri)]
    assert list(r.levels["name"]) == [*names, "DomainFit", "Closeness"]
    assert r.objective == pytest.approx(r.levels["value"].iloc[-1])


def test_priority_coverage_serves_weak_villages_first():
    mentors = pd.DataFrame({"mentor_id": ["M1"], "capacity": [1]})
    mentees = pd.DataFrame({"mentee_id": ["new", "weak"], "priority": [2, 1],
                            "domains": ["a", "b"]})
    mentors["domains"] = "a"
    p = bd.Problem(mentors, mentees, pairing=bd.OneToMany("capacity")).prefer(bd.DomainFit())
    assert p.solve().pairs.mentee_id.tolist() == ["new"]  # fit alone picks the other one
    p.prefer(levels=[bd.Coverage(priority="priority")])
    r = p.solve()
    bd.validate(p, r.pairs).raise_if_invalid()
    assert r.pairs.mentee_id.tolist() == ["weak"]


def test_maxmin_raises_the_worst_mentee():
    # two mentees, two mentors: the total-score optimum (10 + 2) leaves E2 with a poor mentor
    s = pd.DataFrame({"mentor_id": ["A", "A", "B", "B"], "mentee_id": ["E1", "E2", "E1", "E2"],
                      "s": [10, 5, 5, 2]})
    base = (pd.DataFrame({"mentor_id": ["A", "B"]}), pd.DataFrame({"mentee_id": ["E1", "E2"]}))
    total = bd.Problem(*base).prefer(bd.PairScore(s, "s")).solve()
    assert set(zip(total.pairs.mentor_id, total.pairs.mentee_id, strict=True)) == {
        ("A", "E1"), ("B", "E2")}
    fair = bd.Problem(*base).prefer(bd.PairScore(s, "s"), levels=[bd.MaxMin()])
    r = fair.solve()
    bd.validate(fair, r.pairs).raise_if_invalid()
    assert r.levels["name"].tolist() == ["coverage", "worst served mentee's score", "s"]
    assert r.levels["value"].tolist() == [2.0, 5.0, 10.0]


def test_balance_load_spreads_mentees():
    mentors = pd.DataFrame({"mentor_id": ["A", "B", "C"], "capacity": [3, 3, 3]})
    mentees = pd.DataFrame({"mentee_id": [f"E{i}" for i in range(6)]})
    s = pd.DataFrame({"mentor_id": np.repeat(["A", "B", "C"], 6),
                      "mentee_id": [f"E{i}" for i in range(6)] * 3,
                      "s": [5] * 6 + [1] * 12})
    p = bd.Problem(mentors, mentees, pairing=bd.OneToMany("capacity"))
    p.prefer(bd.PairScore(s, "s"), levels=[bd.BalanceLoad()])
    r = p.solve()
    bd.validate(p, r.pairs).raise_if_invalid()
    assert r.pairs.groupby("mentor_id").size().max() == 2
    assert r.levels.set_index("name").loc["largest mentor load", "value"] == 2.0


def test_levels_infeasible_and_forbid_without_coverage_level():
    mentors = pd.DataFrame({"mentor_id": ["A"]})
    mentees = pd.DataFrame({"mentee_id": ["E1", "E2"]})
    p = bd.Problem(mentors, mentees, pairing=bd.OneToOne(unmatched="forbid"))
    p.prefer(levels=[bd.BalanceLoad()])
    assert p.solve().status is bd.Status.INFEASIBLE
    q = bd.Problem(mentors, mentees.iloc[:1], pairing=bd.OneToOne(unmatched="forbid"))
    r = q.prefer(levels=[bd.BalanceLoad()]).solve()
    assert r.levels["name"].tolist() == ["largest mentor load"]  # no coverage level added


def test_levels_are_refused_by_flow_and_keep_split_rules():
    mentors, mentees = small(1)
    p = bd.Problem(mentors, mentees, pairing=bd.OneToMany("capacity"))
    p.prefer(levels=[bd.MaxMin()])
    with pytest.raises(bd.InputError):
        p.solve(backend="flow")
    with pytest.raises(bd.InputError, match="ties the regions"):
        p.solve(split=True)


def test_a_level_passed_as_a_score_points_to_levels():
    p = bd.Problem(pd.DataFrame({"mentor_id": ["M"]}), pd.DataFrame({"mentee_id": ["E"]}))
    with pytest.raises(bd.InputError, match=r"prefer\(levels=") as info:
        p.prefer(bd.Coverage())
    assert info.value.column == "levels"
