"""Group rules: a feasible case, an infeasible case, validator agreement, brute force, GAP."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import banghdai as bd

TYPES = ["专家型", "经验型", "群众型"]
GAP = Path(__file__).resolve().parents[2] / "shared" / "benchmarks" / "orlib-gap"


def people(seed: int, n_m: int = 6, n_e: int = 4):
    rng = np.random.default_rng(seed)
    mentors = pd.DataFrame({
        "mentor_id": [f"M{i}" for i in range(n_m)],
        "type": rng.choice(TYPES, n_m),
        "tier": rng.choice(["city", "county", "township"], n_m),
        "role": rng.choice(["包村领导", "村书记", "第一书记", "专家"], n_m),
        "capacity": rng.integers(1, 3, n_m),
        "rating": rng.integers(3, 6, n_m).astype(float),
    })
    mentees = pd.DataFrame({
        "mentee_id": [f"E{i}" for i in range(n_e)],
        "category": rng.choice(["新任村书记", "软弱涣散村书记"], n_e),
        "k": rng.integers(1, 4, n_e),
        "weight": rng.integers(1, 3, n_e),
        "rating": rng.integers(1, 4, n_e).astype(float),
    })
    return mentors, mentees


def brute(problem: bd.Problem):
    """Best (filled slots, score) over every subset of candidate pairs that validates.

    Subsets are screened for degree bounds with numpy first; only the survivors
    go through the (slower) validator, which judges the group rules.
    """
    c = problem.compile()
    score = c.edge_info["score"].to_numpy()
    n = c.n_edges
    masks = ((np.arange(2**n)[:, None] >> np.arange(n)) & 1).astype(bool)
    per_mentee = masks.astype(int) @ (c.edge_mentee[:, None] == np.arange(c.n_mentees))
    ok = (per_mentee <= c.demand).all(axis=1)
    best = None
    for mask in masks[ok]:
        idx = np.flatnonzero(mask)
        pairs = pd.DataFrame({"mentor_id": c.mentors.ids[c.edge_mentor[idx]],
                              "mentee_id": c.mentees.ids[c.edge_mentee[idx]]})
        if not bd.validate(problem, pairs).ok:
            continue
        key = (len(idx), round(float(score[idx].sum()), 9))
        best = key if best is None or key > best else best
    return best


def test_distinct_types_feasible_and_infeasible():
    mentors = pd.DataFrame({"mentor_id": ["A", "B", "C", "D"], "type": ["专家型", "专家型", "经验型",
                                                                     "群众型"]})
    mentees = pd.DataFrame({"mentee_id": ["E"]})
    p = bd.Problem(mentors, mentees, pairing=bd.ManyToOne(3, unmatched="forbid"))
    p.require(bd.DistinctTypes("type"))
    r = p.solve()
    assert r.status is bd.Status.OPTIMAL and r.backend == "network"  # 三型 is a flow
    assert bd.verify_certificate(r) == []
    bd.validate(p, r.pairs).raise_if_invalid()
    types = mentors.set_index("mentor_id").loc[r.pairs.mentor_id, "type"]
    assert sorted(types) == sorted(["专家型", "经验型", "群众型"])
    short = bd.Problem(mentors.iloc[:3], mentees, pairing=bd.ManyToOne(3, unmatched="forbid"))
    assert short.require(bd.DistinctTypes("type")).solve().status is bd.Status.INFEASIBLE


def test_distinct_per_mentor_mirror():
    mentors = pd.DataFrame({"mentor_id": ["A"]})
    mentees = pd.DataFrame({"mentee_id": ["E1", "E2", "E3"], "category": ["x", "x", "y"]})
    p = bd.Problem(mentors, mentees, pairing=bd.OneToMany(3)).require(
        bd.DistinctTypes("category", per="mentor"))
    r = p.solve()
    bd.validate(p, r.pairs).raise_if_invalid()
    assert len(r.pairs) == 2


def test_role_template_three_plus_one():
    mentors = pd.DataFrame({"mentor_id": ["L", "S", "F", "S2", "X"],
                            "role": ["包村领导", "村书记", "第一书记", "村书记", "专家"]})
    mentees = pd.DataFrame({"mentee_id": ["R1", "R2"]})
    p = bd.Problem(mentors, mentees, pairing=bd.ManyToMany(2, 3))
    p.require(bd.RoleTemplate(("包村领导", "村书记", "第一书记"), column="role"))
    r = p.solve()
    bd.validate(p, r.pairs).raise_if_invalid()
    assert "X" not in set(r.pairs.mentor_id)  # not in the template
    for _, team in r.pairs.groupby("mentee_id"):
        roles = mentors.set_index("mentor_id").loc[team.mentor_id, "role"]
        assert roles.is_unique
    assert len(r.pairs) == 6
    forbid = bd.Problem(mentors.iloc[[0, 1, 3]], mentees,
                        pairing=bd.ManyToMany(2, 3, unmatched="forbid"))
    forbid.require(bd.RoleTemplate(("包村领导", "村书记", "第一书记"), column="role"))
    assert forbid.solve().status is bd.Status.INFEASIBLE
    with pytest.raises(bd.InputError):
        bd.Problem(mentors, mentees, pairing=bd.ManyToOne(4)).require(
            bd.RoleTemplate(("包村领导", "村书记"))).compile()


def test_quota_pairs_and_served_mentees():
    mentors = pd.DataFrame({"mentor_id": ["C1", "C2", "T1", "T2"],
                            "tier": ["city", "city", "township", "township"]})
    mentees = pd.DataFrame({"mentee_id": ["E1", "E2", "E3", "E4"],
                            "category": ["weak", "weak", "new", "new"]})
    score = pd.DataFrame({"mentor_id": ["C1", "C2", "T1", "T2"] * 4,
                          "mentee_id": np.repeat(["E1", "E2", "E3", "E4"], 4),
                          "s": [9, 9, 1, 1] * 4})
    p = bd.Problem(mentors, mentees).prefer(bd.PairScore(score, "s"))
    p.require(bd.Quota("tier", side="mentor", max={"city": 1}, count="mentors"))
    r = p.solve()
    bd.validate(p, r.pairs).raise_if_invalid()
    assert (mentors.set_index("mentor_id").loc[r.pairs.mentor_id, "tier"] == "city").sum() == 1
    # a minimum on served mentees of a category larger than the category: infeasible
    q = bd.Problem(mentors, mentees).require(bd.Quota("category", min={"weak": 3},
                                                      count="mentees"))
    assert q.solve().status is bd.Status.INFEASIBLE
    with pytest.raises(bd.InputError) as info:
        bd.Problem(mentors, mentees).require(bd.Quota("category", min={"strong": 1})).compile()
    assert info.value.choices == ["new", "weak"]


def test_weighted_capacity():
    mentors = pd.DataFrame({"mentor_id": ["A"], "capacity": [3]})
    mentees = pd.DataFrame({"mentee_id": ["W1", "W2", "P1"], "weight": [2, 2, 1],
                            "kind": ["org", "org", "person"]})
    p = bd.Problem(mentors, mentees, pairing=bd.OneToMany("capacity"))
    p.require(bd.Load(mentee_column="weight"))
    r = p.solve()
    bd.validate(p, r.pairs).raise_if_invalid()
    assert len(r.pairs) == 2  # one weak organisation (2) and one person (1)
    bad = pd.DataFrame({"mentor_id": ["A", "A"], "mentee_id": ["W1", "W2"]})
    assert "capacity" in set(bd.validate(p, bad).violations["rule"])


@settings(max_examples=12, deadline=None, derandomize=True, database=None)
@given(seed=st.integers(0, 10_000), which=st.sampled_from(["distinct", "quota", "load", "role"]))
def test_group_rules_against_brute_force(seed, which):
    mentors, mentees = people(seed, n_m=4, n_e=3)
    rule = {
        "distinct": bd.DistinctTypes("type"),
        "quota": bd.Quota("tier", side="mentor", max=1),
        "load": bd.Load(mentee_column="weight"),
        "role": bd.RoleTemplate(("包村领导", "村书记", "第一书记")),
    }[which]
    pairing = bd.ManyToMany("capacity", "k") if which != "load" else bd.OneToMany("capacity")
    p = bd.Problem(mentors, mentees, pairing=pairing).require(rule, bd.Stronger("rating"))
    p.prefer(bd.StrongToWeak("rating"))
    if p.compile().n_edges > 9:
        p.require(bd.Stronger("rating", margin=1))
    if p.compile().n_edges > 9:
        return  # too many subsets for the brute force
    r = p.solve()
    assert r.status is bd.Status.OPTIMAL
    check = bd.validate(p, r.pairs).raise_if_invalid()
    assert check.objective == pytest.approx(r.objective, abs=1e-6)
    expected = brute(p)
    assert (len(r.pairs), round(r.objective, 6)) == (expected[0], pytest.approx(expected[1],
                                                                                abs=1e-5))


# ------------------------------------------------------------------ OR-Library GAP
def read_gap(path: Path):
    tokens = np.array(path.read_text().split(), dtype=np.int64)
    count, pos, out = int(tokens[0]), 1, []
    for _ in range(count):
        m, n = int(tokens[pos]), int(tokens[pos + 1])
        pos += 2
        cost = tokens[pos:pos + m * n].reshape(m, n)
        pos += m * n
        res = tokens[pos:pos + m * n].reshape(m, n)
        pos += m * n
        cap = tokens[pos:pos + m]
        pos += m
        out.append((cost, res, cap))
    return out


def gap_problem(cost, res, cap, sense):
    m, n = cost.shape
    i, j = np.divmod(np.arange(m * n), n)
    table = pd.DataFrame({"mentor_id": i, "mentee_id": j, "cost": cost.ravel(),
                          "load": res.ravel()})
    p = bd.Problem(pd.DataFrame({"mentor_id": np.arange(m), "capacity": cap}),
                   pd.DataFrame({"mentee_id": np.arange(n)}),
                   pairing=bd.OneToMany("capacity", unmatched="forbid"))
    return p.prefer(bd.PairScore(table, "cost", sense=sense)).require(bd.Load(table=table))


@pytest.mark.skipif(not GAP.is_dir(), reason="OR-Library GAP data not found")
@pytest.mark.parametrize("number", range(1, 13))
def test_orlib_gap_reaches_known_optima_both_senses(number):
    known = pd.read_csv(GAP / "known_values.csv")
    rows = known[known.file == f"gap{number}.txt"].sort_values("index_in_file")
    for (cost, res, cap), (_, row) in zip(read_gap(GAP / f"gap{number}.txt"), rows.iterrows(),
                                          strict=True):
        for sense, column in (("max", "max_optimum"), ("min", "min_optimum")):
            p = gap_problem(cost, res, cap, sense)
            r = p.solve(time_limit=60)
            assert r.status is bd.Status.OPTIMAL, (row["name"], sense)
            assert r.objective == row[column], (row["name"], sense)
            bd.validate(p, r.pairs).raise_if_invalid()
