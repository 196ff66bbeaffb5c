"""``bd.verify_certificate`` checks the problem, not the network a result carries (issue 16).

The checker rebuilds the network from ``result.problem`` — admissible pairs from the rules'
validator checks, capacities, demands, quotas, type nodes and level costs — and takes the
result's node potentials only as a claim. Genuine certificates of the network test models
pass; a certificate taken from another (forged) problem, edited potentials or values, a pairs
table with a duplicated row, a planted worse pairing, or pairs over a capacity are refused.
"""

from __future__ import annotations

import copy
import pickle

import numpy as np
import pandas as pd
import pytest

import banghdai as bd
from test_network import brute_force, check_against, make_case, pairs_of, worse_feasible


def city_like_case():
    """A certified result with levels (priority coverage, domain fit, pair score), 三型 and a
    mentor quota; and its brute-force optimum."""
    mix = {"seed": 11, "n_m": 4, "n_e": 4, "shape": "many_to_many", "min_load": False,
           "unmatched": "allow", "penalty": 1, "same_region": False, "max_distance": True,
           "forbid": True, "n_fixed": 0, "levels": ["pri", "fit", "pair"], "prefer": (),
           "distinct_mentee": "distinct", "distinct_mentor": False, "quota_mentor": "disjoint",
           "quota_mentee": None, "load": None, "quota_bounds": {"tier": 2}}
    case = make_case(mix)
    result = case.problem.solve()
    assert result.backend == "network" and result.status is bd.Status.OPTIMAL
    best = brute_force(case)
    check_against(case, best, result)
    return case, result, best


def forged(result: bd.Result, other: bd.Result) -> bd.Result:
    """``result`` carrying ``other``'s pairs and certificate (solved for another problem)."""
    fake = copy.copy(result)
    fake.pairs = other.pairs
    fake.info = {**result.info, "certificate": other.info["certificate"]}
    return fake


def with_cert(result: bd.Result, **change) -> bd.Result:
    fake = copy.copy(result)
    fake.info = {**result.info, "certificate": {**result.info["certificate"], **change}}
    return fake


@pytest.fixture(scope="module")
def city():
    roster = bd.load_sample("yinchuan")
    p = bd.Problem(roster.mentors, roster.mentees,
                   pairing=bd.ManyToMany("capacity", "mentors_required"))
    p.require(bd.SameRegion("county"), bd.MaxDistance(60), bd.SharesDomain(),
              bd.Stronger("rating"), bd.AvoidSame("village"), bd.DistinctTypes("type"),
              bd.Quota("tier", side="mentor", max={"city": 60}))
    p.forbid(roster.forbidden).fix(roster.fixed)
    p.prefer(levels=[bd.Coverage(priority="priority"), bd.DomainFit(),
                     bd.Closeness(scale_km=30)])
    r = p.solve(progress=False)
    assert r.backend == "network" and r.status is bd.Status.OPTIMAL
    bd.validate(p, r.pairs).raise_if_invalid()
    return roster, p, r


# =========================================================================== genuine ones pass
def test_a_genuine_certificate_passes_on_the_city_model(city):
    _, _, r = city
    assert bd.verify_certificate(r) == []
    cert = r.info["certificate"]
    # nothing per candidate pair: one number per node and level
    assert set(cert) >= {"pi_mentor", "pi_mentee", "types", "groups", "scales"}
    assert not {"tail", "head", "lower", "upper", "costs", "flow"} & set(cert)


def test_genuine_certificates_pass_on_the_test_models():
    case, result, _ = city_like_case()
    assert bd.verify_certificate(result) == []
    checked = 0
    for seed in range(6):  # more mixes: nested quotas on both sides, fixed pairs, penalty
        mix = {"seed": seed, "n_m": 5, "n_e": 5, "shape": "many_to_many", "min_load": True,
               "unmatched": "penalty" if seed % 2 else "allow", "penalty": 2,
               "same_region": True, "max_distance": False, "forbid": seed % 3 == 0,
               "n_fixed": 1, "levels": None if seed % 2 else ["cov", "sum"],
               "prefer": ("pair",), "distinct_mentee": "distinct" if seed < 3 else "role",
               "distinct_mentor": seed % 2 == 0, "quota_mentor": "nested",
               "quota_mentee": "nested" if seed % 2 == 0 else None, "load": "unit",
               "quota_bounds": {"tier": 2, "zone": 3, "sub": 2, "category": 3}}
        case = make_case(mix)
        r = case.problem.solve()
        if r.backend != "network" or not r.status.has_solution:
            continue
        check_against(case, brute_force(case), r)
        assert bd.verify_certificate(r) == [], mix
        checked += 1
    assert checked >= 3


def test_a_split_network_result_carries_one_certificate():
    """Counties solved apart: one certificate (each component's potentials) that verifies,
    equals the whole problem's levels, and still catches tampering."""
    mentors, mentees = roster = bd.load_sample("yinchuan")
    p = bd.Problem(mentors, mentees, pairing=bd.ManyToMany("capacity", "mentors_required"))
    p.require(bd.SameRegion("county"), bd.MaxDistance(60), bd.SharesDomain(),
              bd.DistinctTypes("type")).forbid(roster.forbidden).fix(roster.fixed)
    p.prefer(levels=[bd.Coverage(priority="priority"), bd.DomainFit(),
                     bd.Closeness(scale_km=30)])
    split = p.solve(split=True, progress=False)
    whole = p.solve(split=False, progress=False)
    assert split.backend == "network" and split.info["components"] > 1
    assert split.levels["value"].tolist() == pytest.approx(whole.levels["value"].tolist())
    bd.validate(p, split.pairs).raise_if_invalid()
    assert bd.verify_certificate(split) == []
    assert bd.verify_certificate(whole) == []
    assert bd.verify_certificate(split, split.pairs.iloc[1:])  # a pair dropped
    pi = np.array(split.info["certificate"]["pi_mentor"])
    pi[0] += 10**6
    assert any("level 0" in x for x in bd.verify_certificate(with_cert(split, pi_mentor=pi)))


# =========================================================================== forged ones do not
def test_a_forged_network_cannot_certify_a_worse_pairing():
    """The issue's case: a valid pairing worth 2 where the optimum is 18, with a certificate
    that proves it optimal — on another network (the best pairs forbidden). Against the
    problem itself the potentials fail."""
    ids_m, ids_e = ["M0", "M1", "M2"], ["E0", "E1", "E2"]
    table = pd.DataFrame([(m, e, 6 if i == j else (1 if (i, j) in ((0, 1), (1, 2)) else 0))
                          for i, m in enumerate(ids_m) for j, e in enumerate(ids_e)],
                         columns=["mentor_id", "mentee_id", "s"])

    def problem(forbid: bool) -> bd.Problem:
        p = bd.Problem(pd.DataFrame({"mentor_id": ids_m}), pd.DataFrame({"mentee_id": ids_e}))
        p.prefer(bd.PairScore(table, "s", restrict=False))
        if forbid:
            p.forbid(pd.DataFrame({"mentor_id": ids_m, "mentee_id": ids_e}))
        return p

    real, fake_problem = problem(False), problem(True)
    r = real.solve(backend="network")
    bd.validate(real, r.pairs).raise_if_invalid()
    assert r.objective == 18 and bd.verify_certificate(r) == []
    other = fake_problem.solve(backend="network")
    assert other.objective == 2 and bd.verify_certificate(other) == []
    assert bd.validate(real, other.pairs).ok  # feasible: only optimality is wrong
    problems = bd.verify_certificate(forged(r, other))
    assert problems and any("reduced cost" in x for x in problems), problems


def test_forged_bounds_in_the_certificate_are_not_read():
    """A certificate that carries arc bounds (the old format) is refused outright: bounds come
    from the problem."""
    case, result, best = city_like_case()
    cert = dict(result.info["certificate"])
    old = copy.copy(result)
    old.info = {**result.info, "certificate": {"tail": [0], "head": [1], "lower": [0],
                                               "upper": [99], "supply": [0, 0], "flow": [0]}}
    assert bd.verify_certificate(old)[0].startswith("unknown certificate format")
    # extra keys with edited bounds next to genuine potentials change nothing
    padded = with_cert(result, upper=np.full(100, 10**6), lower=np.zeros(100))
    assert bd.verify_certificate(padded) == []
    planted = pairs_of(case, worse_feasible(case, best))
    assert bd.validate(case.problem, planted).ok
    assert bd.verify_certificate(padded, planted)
    assert cert == result.info["certificate"]


def test_forged_capacities_are_refused(city):
    """A pairing and certificate solved with every capacity one higher: optimal there, but
    over the problem's capacities."""
    roster, p, r = city
    mentors = roster.mentors.assign(capacity=roster.mentors["capacity"] + 1)
    q = bd.Problem(mentors, roster.mentees, pairing=bd.ManyToMany("capacity", "mentors_required"))
    q.require(*[x for x in p.edge_rules], *p.group_rules)
    q.forbid(roster.forbidden).fix(roster.fixed).prefer(levels=list(p.levels))
    other = q.solve(progress=False)
    assert bd.verify_certificate(other) == []
    assert not bd.validate(p, other.pairs).ok
    problems = bd.verify_certificate(forged(r, other))
    assert any("capacity" in x for x in problems), problems


def test_a_forged_quota_is_refused(city):
    """The same rules without the city quota: the certificate of that network does not prove
    its pairs (over the quota) for the problem with it."""
    roster, p, r = city
    q = bd.Problem(roster.mentors, roster.mentees,
                   pairing=bd.ManyToMany("capacity", "mentors_required"))
    q.require(*p.edge_rules, *[g for g in p.group_rules if not isinstance(g, bd.Quota)])
    q.forbid(roster.forbidden).fix(roster.fixed).prefer(levels=list(p.levels))
    other = q.solve(progress=False)
    assert bd.verify_certificate(other) == []
    problems = bd.verify_certificate(forged(r, other))
    assert problems, "a certificate without the quota passed"


def test_a_duplicated_pair_row_is_refused(city):
    _, _, r = city
    doubled = pd.concat([r.pairs, r.pairs.iloc[[5]]], ignore_index=True)
    problems = bd.verify_certificate(r, doubled)
    assert any("more than once" in x for x in problems), problems


def test_a_pair_the_rules_forbid_is_refused(city):
    roster, _, r = city
    f = roster.forbidden.iloc[[0]][["mentor_id", "mentee_id"]]
    problems = bd.verify_certificate(r, pd.concat([r.pairs[["mentor_id", "mentee_id"]], f]))
    assert any("not admissible" in x for x in problems), problems


def test_a_planted_worse_pairing_is_refused():
    case, result, best = city_like_case()
    planted = pairs_of(case, worse_feasible(case, best))
    assert bd.validate(case.problem, planted).ok
    assert bd.verify_certificate(result, planted)


def test_forged_potentials_and_values_are_refused(city):
    _, _, r = city
    cert = r.info["certificate"]
    chosen = set(r.pairs["mentor_id"])
    rows = [i for i, m in enumerate(cert["mentor_id"]) if m in chosen]
    for k in range(len(cert["values"])):
        pi = np.array(cert["pi_mentor"])
        pi[k, rows[0]] -= 10**9  # its capacity arc's reduced cost turns negative
        problems = bd.verify_certificate(with_cert(r, pi_mentor=pi))
        assert any(f"level {k}" in x for x in problems), (k, problems)
    values = list(cert["values"])
    values[-1] -= 1
    assert any("claimed" in x for x in bd.verify_certificate(with_cert(r, values=values)))
    # a coarser scale makes every score the same: refused, not certified
    scales = list(cert["scales"])
    scales[-1] = 1e-12
    assert any("scale" in x for x in bd.verify_certificate(with_cert(r, scales=scales)))
    # a node named twice, an unknown node
    ids = np.array(cert["mentor_id"], dtype=object)
    ids[1] = ids[0]
    assert any("twice" in x for x in bd.verify_certificate(with_cert(r, mentor_id=ids)))
    ids[1] = "nobody"
    assert any("unknown" in x for x in bd.verify_certificate(with_cert(r, mentor_id=ids)))


def test_without_the_problem_nothing_is_certified(city):
    _, _, r = city
    bare = copy.copy(r)
    bare.problem = None
    assert bd.verify_certificate(bare)[0].startswith("no problem")


def test_a_result_pickles_and_its_certificate_still_verifies(city):
    _, p, r = city
    back = pickle.loads(pickle.dumps(r))
    assert back.pairs.equals(r.pairs)
    assert bd.verify_certificate(back) == []
    assert back.unmatched_in("zh")["reason"].tolist() == r.unmatched_in("zh")["reason"].tolist()
