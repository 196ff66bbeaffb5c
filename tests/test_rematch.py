"""Re-matching with the fewest changes: unchanged when possible, reasons, brute-force optimality."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import banghdai as bd

REASONS = {"mentor_left", "mentee_left", "both_left", "rule", "capacity", "demand", "fixed",
           "coverage", "min_load", "group", "score", "no_solution"}


def pair_set(frame: pd.DataFrame) -> set[tuple[str, str]]:
    return set(zip(frame["mentor_id"].astype(str), frame["mentee_id"].astype(str), strict=True))


def check_report(result: bd.Result, previous: pd.DataFrame) -> None:
    """The report accounts for every previous pair and every new one, each broken one with a reason."""
    rep = result.report
    prev = pair_set(previous)
    kept = pair_set(rep[rep.status == "kept"])
    broken = pair_set(rep[rep.status == "broken"])
    new = pair_set(rep[rep.status == "new"])
    assert kept | broken == prev and not kept & broken
    assert kept | new == pair_set(result.pairs) and not kept & new
    assert set(rep.loc[rep.status == "broken", "reason_code"]) <= REASONS
    assert rep["reason"].str.len().gt(3).all()
    info = result.info["rematch"]
    assert (info["kept"], info["broken"], info["new"]) == (len(kept), len(broken), len(new))


@pytest.fixture(scope="module")
def yinchuan():
    roster = bd.load_sample("yinchuan")
    problem = roster.problem()
    return roster, problem, problem.solve()


# --------------------------------------------------------------------------- unchanged
def test_optimal_previous_pairing_comes_back_unchanged(yinchuan):
    _, problem, first = yinchuan
    again = bd.rematch(problem, first.pairs)
    assert again.status is bd.Status.OPTIMAL and again.backend == "flow"
    assert pair_set(again.pairs) == pair_set(first.pairs)
    assert again.objective == pytest.approx(first.objective, rel=1e-12)
    assert again.info["rematch"]["changes"] == 0
    assert set(again.report.status) == {"kept"}
    bd.validate(problem, again.pairs).raise_if_invalid()
    # the bonus never leaks into the pairs table
    assert list(again.pairs.columns) == list(first.pairs.columns)
    assert again.pairs["score"].to_numpy() == pytest.approx(
        first.pairs.set_index(["mentor_id", "mentee_id"]).loc[
            list(zip(again.pairs.mentor_id, again.pairs.mentee_id, strict=True)), "score"].to_numpy())


def test_feasible_but_poorer_previous_pairing_is_kept_as_it_is():
    rng = np.random.default_rng(11)
    for _ in range(5):
        p, _ = tiny(rng, unmatched="allow")
        c = p.compile()
        subsets = feasible_subsets(c)
        filled = subsets.sum(axis=1)
        best = subsets[filled == filled.max()]
        score = best.astype(float) @ c.edge_info["score"].to_numpy()
        worst = best[int(np.argmin(score))]  # max coverage, lowest score
        prev = pd.DataFrame({"mentor_id": c.mentors.ids[c.edge_mentor[worst]],
                             "mentee_id": c.mentees.ids[c.edge_mentee[worst]]})
        r = bd.rematch(p, prev)
        assert pair_set(r.pairs) == pair_set(prev)
        assert r.info["rematch"]["changes"] == 0


# --------------------------------------------------------------------------- year 2
def test_year2_keeps_every_pair_whose_people_remain_unless_a_reason_is_named(yinchuan):
    roster, _, first = yinchuan
    year2 = bd.year2_scenario(roster, seed=0)
    problem = year2.problem()
    r = bd.rematch(problem, first.pairs)
    assert r.status is bd.Status.OPTIMAL
    bd.validate(problem, r.pairs).raise_if_invalid()
    check_report(r, first.pairs)
    rep = r.report.set_index(["mentor_id", "mentee_id"])
    remain_m, remain_e = set(year2.mentors.mentor_id), set(year2.mentees.mentee_id)
    for m, e in zip(first.pairs.mentor_id, first.pairs.mentee_id, strict=True):
        row = rep.loc[(m, e)]
        if m in remain_m and e in remain_e:
            assert row.status == "kept" or row.reason_code in REASONS - {
                "mentor_left", "mentee_left", "both_left"}
        else:
            assert row.status == "broken" and row.reason_code == "mentor_left"
    info = r.info["rematch"]
    assert info["kept"] + info["broken"] == len(first.pairs)
    # no fewer pairs than a fresh solve (coverage first), and at most its objective
    fresh = problem.solve()
    assert len(r.pairs) == len(fresh.pairs)
    assert r.objective <= fresh.objective + 1e-9
    assert len(pair_set(r.pairs) & pair_set(first.pairs)) >= len(
        pair_set(fresh.pairs) & pair_set(first.pairs))
    zh = bd.rematch(problem, first.pairs, lang="zh")
    assert zh.report["reason"].str.contains("已退出").any()


def test_rule_and_capacity_changes_are_named(yinchuan):
    roster, _, first = yinchuan
    year2 = bd.year2_scenario(roster, seed=1)
    mentors = year2.mentors.copy()
    busy = first.pairs.mentor_id.value_counts()
    cut = [m for m in busy.index[busy >= 2] if m in set(mentors.mentor_id)][:5]
    mentors.loc[mentors.mentor_id.isin(cut), "capacity"] = 1
    rules = dict(year2.rules)
    rules["require"] = [({**r, "km": 30} if r["rule"] == "max_distance" else r)
                        for r in year2.rules["require"]]
    problem = bd.problem_from_rules(
        bd.Roster(mentors=mentors, mentees=year2.mentees, fixed=None,  # a designation would
                  forbidden=year2.forbidden, rules=rules), rules)     # break the 30 km rule
    r = bd.rematch(problem, first.pairs)
    bd.validate(problem, r.pairs).raise_if_invalid()
    check_report(r, first.pairs)
    broken = r.report[r.report.status == "broken"]
    by_rule = broken[broken.reason_code == "rule"]
    assert len(by_rule) and by_rule["reason"].str.contains("'within 30 km'").all()
    by_cap = broken[broken.reason_code == "capacity"]
    assert set(by_cap.mentor_id) <= set(cut) and len(by_cap) >= 1
    # the capacity-cut mentors keep one pair each when they still can
    kept = r.report[r.report.status == "kept"]
    assert kept.mentor_id.isin(cut).sum() >= 1


def test_year2_scenario_is_seeded_and_leaves_the_roster_alone(yinchuan):
    roster = yinchuan[0]
    before = roster.mentees.copy(), roster.mentors.copy()
    a = bd.year2_scenario(roster, seed=3)
    b = bd.year2_scenario(roster, seed=3)
    c = bd.year2_scenario(roster, seed=4)
    pd.testing.assert_frame_equal(a.mentees, b.mentees)
    pd.testing.assert_frame_equal(a.mentors, b.mentors)
    assert not a.mentors.mentor_id.equals(c.mentors.mentor_id)
    pd.testing.assert_frame_equal(roster.mentees, before[0])
    pd.testing.assert_frame_equal(roster.mentors, before[1])
    assert len(a.mentors) == round(0.9 * len(roster.mentors))
    assert len(a.mentees) == len(roster.mentees) + round(0.15 * len(roster.mentees))
    new = a.mentees[~a.mentees.mentee_id.isin(roster.mentees.mentee_id)]
    assert new.mentee_id.is_unique and new.mentee_id.str.contains("Y2").all()
    assert set(a.fixed.mentor_id) <= set(a.mentors.mentor_id)
    assert set(a.forbidden.mentor_id) <= set(a.mentors.mentor_id)
    assert a.problem().solve().status is bd.Status.OPTIMAL
    # Chinese headers (fushan) work too
    fushan = bd.year2_scenario(bd.load_sample("fushan"), seed=0)
    assert fushan.problem().compile().n_mentees == len(fushan.mentees)


def test_weight_zero_is_a_fresh_solve_and_bad_input_is_refused(yinchuan):
    roster, problem, first = yinchuan
    year2 = bd.year2_scenario(roster, seed=0).problem()
    free = bd.rematch(year2, first.pairs, weight=0)
    assert free.objective == pytest.approx(year2.solve().objective, rel=1e-9)
    with pytest.raises(bd.InputError):
        bd.rematch(problem, first.pairs[["mentor_id"]])
    with pytest.raises(bd.InputError):
        bd.rematch(problem, first.pairs, weight=-1)


# --------------------------------------------------------------------------- brute force
def tiny(rng: np.random.Generator, unmatched: str = "allow", penalty: float | None = None):
    """A tiny many-to-many problem and a 'previous' pairing partly out of date."""
    n_m, n_e = int(rng.integers(2, 5)), int(rng.integers(2, 5))
    mentors = pd.DataFrame({"mentor_id": [f"M{i}" for i in range(n_m)],
                            "county": rng.choice(["A", "B"], n_m),
                            "capacity": rng.integers(1, 3, n_m) + (unmatched == "forbid"),
                            "rating": rng.integers(3, 9, n_m).astype(float)})
    mentees = pd.DataFrame({"mentee_id": [f"E{i}" for i in range(n_e)],
                            "county": rng.choice(["A", "B"], n_e),
                            "k": rng.integers(1, 3 - (unmatched == "forbid"), n_e),
                            "rating": rng.integers(1, 6, n_e).astype(float)})
    kw = {"unmatched": unmatched}
    if penalty is not None:
        kw["unmatched_penalty"] = penalty
    p = bd.Problem(mentors, mentees, pairing=bd.ManyToMany("capacity", "k", **kw))
    p.require(bd.SameRegion("county"), bd.Stronger("rating")).prefer(bd.StrongToWeak())
    ids_m = [*mentors.mentor_id, "M_gone"]
    ids_e = [*mentees.mentee_id, "E_gone"]
    k = int(rng.integers(1, 7))
    prev = pd.DataFrame({"mentor_id": rng.choice(ids_m, k), "mentee_id": rng.choice(ids_e, k)})
    return p, prev.drop_duplicates()


def feasible_subsets(c: bd.Compiled) -> np.ndarray:
    """Every subset of candidate pairs meeting the degree bounds (rows of a bool matrix)."""
    n = c.n_edges
    assert n <= 16
    masks = ((np.arange(2**n)[:, None] >> np.arange(n)) & 1).astype(bool)
    per_m = masks.astype(int) @ (c.edge_mentor[:, None] == np.arange(c.n_mentors))
    per_e = masks.astype(int) @ (c.edge_mentee[:, None] == np.arange(c.n_mentees))
    ok = (per_m <= c.cap_hi).all(1) & (per_m >= c.cap_lo).all(1) & (per_e <= c.demand).all(1)
    if c.must_match:
        ok &= (per_e == c.demand).all(1)
    ok &= masks[:, c.edge_fixed].all(1)
    return masks[ok]


def brute_rematch(problem: bd.Problem, prev: pd.DataFrame):
    """Lexicographic optimum (coverage when coverage-first, kept, score) by enumeration."""
    c = problem.compile()
    subsets = feasible_subsets(c)
    if not len(subsets):
        return None
    was = pair_set(prev)
    in_prev = np.array([(m, e) in was for m, e in zip(c.mentors.ids[c.edge_mentor],
                                                       c.mentees.ids[c.edge_mentee], strict=True)])
    kept = subsets.astype(int) @ in_prev.astype(int)
    filled = subsets.sum(axis=1)
    score = subsets.astype(float) @ c.edge_info["score"].to_numpy()
    pen = problem.pairing.unmatched_penalty
    if c.must_match:
        keys = list(zip(kept, np.round(score, 9), strict=True))
    elif pen is not None:
        missing = int(c.demand.sum()) - filled
        keys = list(zip(kept, np.round(score - pen * missing, 9), strict=True))
    else:
        keys = list(zip(filled, kept, np.round(score, 9), strict=True))
    best = max(keys)
    i = keys.index(best)
    return {"filled": int(filled[i]), "kept": int(kept[i]), "score": float(score[i]),
            "changes": int(len(was & {(m, e) for m, e in zip(
                c.mentors.ids[c.edge_mentor[subsets[i]]], c.mentees.ids[c.edge_mentee[subsets[i]]],
                strict=True)}))}


@pytest.mark.parametrize("unmatched,penalty", [("allow", None), ("forbid", None), ("allow", 0.5)])
def test_fewest_changes_match_brute_force(unmatched, penalty):
    rng = np.random.default_rng({"allow": 1, "forbid": 2}[unmatched] + int((penalty or 0) * 10))
    checked = 0
    for _ in range(60):
        p, prev = tiny(rng, unmatched, penalty)
        if p.compile().n_edges > 14:
            continue
        expect = brute_rematch(p, prev)
        r = bd.rematch(p, prev)
        if expect is None:
            assert r.status is bd.Status.INFEASIBLE
            assert set(r.report.status) <= {"broken"}
            continue
        checked += 1
        assert r.status is bd.Status.OPTIMAL
        bd.validate(p, r.pairs).raise_if_invalid()
        check_report(r, prev)
        info = r.info["rematch"]
        assert info["kept"] == expect["kept"]
        changes = len(prev) - info["kept"] + info["new"]
        best_changes = len(prev) - expect["kept"] + (expect["filled"] - expect["kept"])
        assert changes == best_changes
        if unmatched == "allow" and penalty is None:
            assert len(r.pairs) == expect["filled"]
        assert r.objective == pytest.approx(expect["score"], abs=1e-9)
    assert checked >= 15
