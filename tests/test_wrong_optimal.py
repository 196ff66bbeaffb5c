"""Four ways the solver used to claim OPTIMAL for a pairing an independent reference beats
(issue "Nothing lost, nothing silent"): each checked against brute force."""

from __future__ import annotations

import itertools
import warnings

import numpy as np
import pandas as pd
import pytest

import banghdai as bd


def all_pairings(n_m: int, n_e: int):
    """Every set of (mentor, mentee) pairs (tiny instances only)."""
    cells = list(itertools.product(range(n_m), range(n_e)))
    for r in range(len(cells) + 1):
        yield from itertools.combinations(cells, r)


@pytest.mark.parametrize("penalty", [0.5, 1.5, 2.5])
def test_fractional_unmatched_penalty_is_not_rounded_away(penalty):
    mentors = pd.DataFrame({"mentor_id": ["A", "B"]})
    mentees = pd.DataFrame({"mentee_id": ["x", "y", "z"]})
    costs = pd.DataFrame({"mentor_id": ["A", "A", "B", "B"], "mentee_id": ["x", "y", "y", "z"],
                          "cost": [0, 1, 2, 3]})
    p = bd.Problem(mentors, mentees,
                   pairing=bd.OneToMany(capacity=2, unmatched_penalty=penalty))
    p.prefer(bd.PairScore(costs, column="cost", sense="min"))
    result = p.solve()
    bd.validate(p, result.pairs).raise_if_invalid()
    table = {(r.mentor_id, r.mentee_id): r.cost for r in costs.itertuples()}

    def total(pairs) -> float:  # cost of the pairs plus the penalty of unmatched mentees
        return sum(table[q] for q in pairs) + penalty * (3 - len({e for _, e in pairs}))

    best = min(total(c) for r in range(5) for c in itertools.combinations(table, r)
               if all(sum(1 for q in c if q[1] == e) <= 1 for e in "xyz")
               and all(sum(1 for q in c if q[0] == m) <= 2 for m in "AB"))
    got = total(list(zip(result.pairs.mentor_id, result.pairs.mentee_id, strict=True)))
    assert result.status is bd.Status.OPTIMAL
    assert got == pytest.approx(best)


def test_load_zero_is_not_counted_as_a_pair():
    # mentor A (capacity 1) can take the organisation (load 1) and the two people (load 0)
    mentors = pd.DataFrame({"mentor_id": ["A"], "capacity": [1]})
    mentees = pd.DataFrame({"mentee_id": ["org", "p1", "p2"], "weight": [1, 0, 0]})
    p = bd.Problem(mentors, mentees, pairing=bd.OneToMany("capacity"))
    p.require(bd.Load(mentee_column="weight"))
    result = p.solve(time_limit=10)
    bd.validate(p, result.pairs).raise_if_invalid()
    assert result.status is bd.Status.OPTIMAL
    assert sorted(result.pairs.mentee_id) == ["org", "p1", "p2"]  # all three fit


def test_load_zero_with_scores_matches_brute_force():
    rng = np.random.default_rng(3)
    mentors = pd.DataFrame({"mentor_id": ["A", "B"], "capacity": [1, 2]})
    mentees = pd.DataFrame({"mentee_id": ["a", "b", "c", "d"], "weight": [0, 1, 0, 2]})
    s = pd.DataFrame([(m, e, int(rng.integers(1, 9))) for m in "AB" for e in "abcd"],
                     columns=["mentor_id", "mentee_id", "s"])
    p = bd.Problem(mentors, mentees, pairing=bd.OneToMany("capacity", unmatched_penalty=0))
    p.require(bd.Load(mentee_column="weight")).prefer(bd.PairScore(s, column="s"))
    result = p.solve(time_limit=10)
    bd.validate(p, result.pairs).raise_if_invalid()
    w = dict(zip(mentees.mentee_id, mentees.weight, strict=True))
    score = {(r.mentor_id, r.mentee_id): r.s for r in s.itertuples()}
    best = 0
    for c in all_pairings(2, 4):
        pairs = [("AB"[i], "abcd"[j]) for i, j in c]
        if any(sum(1 for q in pairs if q[1] == e) > 1 for e in "abcd"):
            continue
        if sum(w[e] for m, e in pairs if m == "A") > 1 or sum(w[e] for m, e in pairs
                                                               if m == "B") > 2:
            continue
        best = max(best, sum(score[q] for q in pairs))
    assert result.status is bd.Status.OPTIMAL
    assert result.objective == pytest.approx(best)


@pytest.mark.parametrize("where", ["levels", "maxmin"])
def test_restricting_pair_score_inside_levels_restricts(where):
    mentors = pd.DataFrame({"mentor_id": ["A", "B"]})
    mentees = pd.DataFrame({"mentee_id": ["x", "y"]})
    listed = pd.DataFrame({"mentor_id": ["A"], "mentee_id": ["x"], "s": [1.0]})
    term = bd.PairScore(listed, column="s", restrict=True)
    p = bd.Problem(mentors, mentees)
    if where == "levels":
        p.prefer(levels=[bd.Coverage(), term])
    else:
        p.prefer(levels=[bd.Coverage(), bd.MaxMin(term)])
    result = p.solve(time_limit=10)
    bd.validate(p, result.pairs).raise_if_invalid()
    assert result.pairs[["mentor_id", "mentee_id"]].values.tolist() == [["A", "x"]]
    # and the validator checks it: an unlisted pair is a violation
    bad = pd.DataFrame({"mentor_id": ["B"], "mentee_id": ["y"]})
    assert not bd.validate(p, bad).ok


def test_integer_scores_beyond_2_53_warn():
    mentors = pd.DataFrame({"mentor_id": ["A"]})
    mentees = pd.DataFrame({"mentee_id": ["x", "y"]})
    s = pd.DataFrame({"mentor_id": ["A", "A"], "mentee_id": ["x", "y"],
                      "s": [2**60, 2**60 + 1]})
    p = bd.Problem(mentors, mentees, pairing=bd.OneToMany(1)).prefer(bd.PairScore(s, column="s"))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        p.solve()
    assert any(issubclass(w.category, bd.ScalingWarning) and "2**53" in str(w.message)
               for w in caught)


@pytest.mark.parametrize("sense", ["min", "max"])
def test_half_penalty_with_whole_scores_still_pays_to_match(sense):
    # every pair scores 0; leaving a mentee unmatched costs 0.5: all three must be matched
    mentors = pd.DataFrame({"mentor_id": ["A", "B"]})
    mentees = pd.DataFrame({"mentee_id": ["x", "y", "z"]})
    zero = pd.DataFrame({"mentor_id": ["A", "A", "B"], "mentee_id": ["x", "y", "z"], "v": 0})
    p = bd.Problem(mentors, mentees, pairing=bd.OneToMany(capacity=2, unmatched_penalty=0.5))
    result = p.prefer(bd.PairScore(zero, column="v", sense=sense)).solve()
    bd.validate(p, result.pairs).raise_if_invalid()
    assert sorted(result.pairs.mentee_id) == ["x", "y", "z"]
