"""Ties are broken by ids, not by row order (issue 11, item 7).

The solver sees both tables in id order (:meth:`banghdai.Problem.in_id_order`), so the same
roster in any row order gives the same pairs, on every backend; the pairs and the unmatched
mentees are still listed in the caller's row order, and messages still name the caller's
rows. Each explicit case below failed on the main before this change (the first row of two
equal mentors won).
"""

from __future__ import annotations

import warnings
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import banghdai as bd
from test_properties import build, specs

from oracle import assert_valid, quick_settings, refused

BACKENDS = ("flow", "network", "cpsat")


def pair_set(result: bd.Result) -> set[tuple[str, str]]:
    return set(zip(result.pairs["mentor_id"], result.pairs["mentee_id"], strict=True))


def shuffled(df: pd.DataFrame | None, seed: int) -> pd.DataFrame | None:
    if df is None:
        return None
    return df.sample(frac=1.0, random_state=seed).reset_index(drop=True)


def assert_caller_order(problem: bd.Problem, result: bd.Result) -> None:
    """Pairs listed by the caller's mentee row, then mentor row; unmatched by mentee row."""
    m_row = pd.Series(np.arange(len(problem.mentors)), index=problem.mentors["mentor_id"])
    e_row = pd.Series(np.arange(len(problem.mentees)), index=problem.mentees["mentee_id"])
    if len(result.pairs):
        keys = list(zip(e_row[result.pairs["mentee_id"]], m_row[result.pairs["mentor_id"]],
                        strict=True))
        assert keys == sorted(keys)
    if len(result.unmatched):
        rows = e_row[result.unmatched["mentee_id"]].tolist()
        assert rows == sorted(rows)


# --------------------------------------------------------------------------- explicit ties
@pytest.mark.parametrize("backend", [*BACKENDS, "auto"])
def test_two_equal_mentors_same_pick_in_either_row_order(backend):
    mentors = pd.DataFrame({"mentor_id": ["M1", "M2", "M3"], "rating": [5, 5, 5]})
    mentees = pd.DataFrame({"mentee_id": ["E1", "E2"], "rating": [1, 1]})
    picks = []
    for mm in (mentors, mentors.iloc[::-1], mentors.iloc[[1, 2, 0]]):
        for ee in (mentees, mentees.iloc[::-1]):
            p = bd.Problem(mm, ee).prefer(bd.StrongToWeak("rating"))
            r = p.solve(backend=backend, workers=1)
            assert r.status is bd.Status.OPTIMAL
            assert_valid(p, r)
            assert_caller_order(p, r)
            picks.append(pair_set(r))
    assert all(x == picks[0] for x in picks)
    assert len(picks[0]) == 2


def test_integer_ids_sorted_as_numbers_and_equal_whatever_the_order():
    mentors = pd.DataFrame({"mentor_id": [10, 9, 100, 2], "capacity": [1, 1, 1, 1]})
    mentees = pd.DataFrame({"mentee_id": [3, 1, 20]})
    table = bd.Problem(mentors, mentees).in_id_order().mentors
    assert table["mentor_id"].tolist() == ["2", "9", "10", "100"]
    p, q = bd.Problem(mentors, mentees), bd.Problem(mentors.iloc[::-1], mentees.iloc[[2, 0, 1]])
    a, b = p.solve(), q.solve()
    assert_valid(p, a)
    assert_valid(q, b)
    assert pair_set(a) == pair_set(b) and len(a.pairs) == 3


def test_in_id_order_keeps_the_callers_tables_and_rows():
    mentors = pd.DataFrame({"mentor_id": ["B", "A", "C"], "capacity": [1, 2, 3]})
    before = mentors.copy()
    p = bd.Problem(mentors, pd.DataFrame({"mentee_id": ["E"]}))
    q = p.in_id_order()
    assert q.mentors["mentor_id"].tolist() == ["A", "B", "C"]
    assert q.mentor_table.rows.tolist() == [1, 0, 2]
    assert p.mentors["mentor_id"].tolist() == ["B", "A", "C"]  # the problem itself unchanged
    pd.testing.assert_frame_equal(mentors, before)
    already = bd.Problem(pd.DataFrame({"mentor_id": ["A", "B"]}), pd.DataFrame({"mentee_id": ["E"]}))
    assert already.in_id_order() is already  # nothing to reorder: no copy


def test_nearest_ties_at_equal_distance_follow_ids():
    """Four mentors at one spot, Nearest(2): which two are candidates must not depend on rows."""
    mentors = pd.DataFrame({"mentor_id": ["M4", "M3", "M2", "M1"], "lat": [38.5] * 4,
                            "lon": [106.2] * 4, "capacity": [1, 1, 1, 1]})
    mentees = pd.DataFrame({"mentee_id": ["E1", "E2"], "lat": [38.6, 38.6], "lon": [106.2] * 2})
    sets = []
    for mm in (mentors, mentors.iloc[::-1], mentors.iloc[[2, 0, 3, 1]]):
        p = bd.Problem(mm, mentees, pairing=bd.OneToMany("capacity")).require(bd.Nearest(2))
        r = p.solve()
        assert_valid(p, r)
        sets.append(pair_set(r))
    assert all(s == sets[0] for s in sets)


def test_distinct_types_network_ties_follow_ids():
    mentors = pd.DataFrame({"mentor_id": [f"M{i}" for i in range(6)],
                            "type": ["a", "a", "b", "b", "c", "c"], "capacity": 1})
    mentees = pd.DataFrame({"mentee_id": ["E1", "E2"]})
    sets = []
    for seed in range(4):
        p = bd.Problem(shuffled(mentors, seed), shuffled(mentees, seed + 7),
                       pairing=bd.ManyToMany("capacity", 2)).require(bd.DistinctTypes("type"))
        r = p.solve()
        assert r.backend == "network" and r.status is bd.Status.OPTIMAL
        assert_valid(p, r)
        assert not bd.verify_certificate(r)
        sets.append(pair_set(r))
    assert all(s == sets[0] for s in sets)


def test_stable_matching_with_tied_ranks_follows_ids():
    """Deferred acceptance with equal ranks (ties) gives one matching whatever the rows."""
    mentors = pd.DataFrame({"mentor_id": ["M1", "M2", "M3"], "capacity": [1, 1, 1]})
    mentees = pd.DataFrame({"mentee_id": ["E1", "E2", "E3"]})
    prefs = pd.DataFrame({"mentor_id": ["M1", "M2", "M3"] * 3,
                          "mentee_id": ["E1"] * 3 + ["E2"] * 3 + ["E3"] * 3,
                          "mentee_rank": 1, "mentor_rank": 1})
    sets = []
    for seed in range(4):
        p = bd.Problem(shuffled(mentors, seed), shuffled(mentees, seed + 3),
                       pairing=bd.OneToMany("capacity"))
        p.require(bd.Preferences(shuffled(prefs, seed + 5)), bd.Stable())
        r = p.solve()
        assert r.backend == "stable"
        assert_valid(p, r)
        sets.append(pair_set(r))
    assert all(s == sets[0] for s in sets)
    assert len(sets[0]) == 3


def test_split_regions_on_an_executor_follow_ids():
    rng = np.random.default_rng(5)
    n_m, n_e = 12, 20
    mentors = pd.DataFrame({"mentor_id": [f"M{i:02d}" for i in range(n_m)],
                            "county": rng.choice(["A", "B", "C"], n_m), "capacity": 2,
                            "rating": rng.integers(3, 5, n_m)})
    mentees = pd.DataFrame({"mentee_id": [f"E{i:02d}" for i in range(n_e)],
                            "county": rng.choice(["A", "B", "C"], n_e),
                            "rating": rng.integers(1, 3, n_e)})
    sets = []
    with ThreadPoolExecutor(2) as pool:
        for seed in range(3):
            p = bd.Problem(shuffled(mentors, seed), shuffled(mentees, seed),
                           pairing=bd.OneToMany("capacity"))
            p.require(bd.SameRegion("county")).prefer(bd.StrongToWeak("rating"))
            r = p.solve(split=True, executor=pool, workers=1)
            assert r.info["split"] and r.status is bd.Status.OPTIMAL
            assert_valid(p, r)
            assert_caller_order(p, r)
            sets.append(pair_set(r))
    assert all(s == sets[0] for s in sets)


def test_unmatched_listed_in_the_callers_row_order():
    mentors = pd.DataFrame({"mentor_id": ["M1"], "county": ["A"]})
    mentees = pd.DataFrame({"mentee_id": ["E9", "E1", "E5", "E3"], "county": ["B", "B", "A", "C"]})
    p = bd.Problem(mentors, mentees).require(bd.SameRegion("county"))
    r = p.solve()
    assert_valid(p, r)
    assert r.unmatched["mentee_id"].tolist() == ["E9", "E1", "E3"]
    assert r.reasons("zh")["mentee_id"].tolist() == ["E9", "E1", "E3"]


# --------------------------------------------------------------------------- messages
def test_errors_still_name_the_callers_row():
    """The solver's id order must not leak into messages: the caller's row (and the first bad
    one in the caller's order) is named."""
    mentors = pd.DataFrame({"mentor_id": ["M9", "M1", "M5"], "capacity": [1, 2, 1],
                            "min_load": [0, 3, 2]})
    p = bd.Problem(mentors, pd.DataFrame({"mentee_id": ["E"]}),
                   pairing=bd.OneToMany("capacity", min_load="min_load"))
    err = refused(p.solve, table="mentors")
    assert err.row == 1 and err.id == "M1"  # rows 1 and 2 break it; row 1 comes first


def test_errors_name_the_excel_row_of_a_file(tmp_path):
    folder = tmp_path / "roster"
    folder.mkdir()
    pd.DataFrame({"mentor_id": ["M3", "M2", "M1"], "capacity": [1, "x", 1]}).to_csv(
        folder / "mentors.csv", index=False)
    pd.DataFrame({"mentee_id": ["E1"]}).to_csv(folder / "mentees.csv", index=False)
    roster = bd.read_roster(folder)
    p = bd.Problem(roster.mentors, roster.mentees, pairing=bd.OneToMany("capacity"))
    err = refused(p.solve, table="mentors")
    assert err.id == "M2" and err.row == 1 and err.excel_row == 3
    assert "mentors.csv" in str(err)


# --------------------------------------------------------------------------- property
@quick_settings(30)
@given(specs(), st.integers(0, 2**31 - 1))
def test_any_row_order_gives_the_same_pairs(spec, perm_seed):
    """Hypothesis: every generated roster, its rows (and its side tables' rows) shuffled, gives
    the same status, pairs and unmatched mentees on every backend; all validated."""
    inst = build(spec)
    base = inst.problem()
    other = inst.problem(shuffled(inst.mentors, perm_seed), shuffled(inst.mentees, perm_seed + 1),
                         shuffled(inst.scores, perm_seed + 2))
    if inst.fixed is not None:
        other.fixed[-1] = bd.FixedPairs(shuffled(inst.fixed, perm_seed + 3))
    for backend in ("auto", "flow", "cpsat"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            a = base.solve(backend=backend, workers=1, time_limit=30)
            b = other.solve(backend=backend, workers=1, time_limit=30)
        assert a.status is b.status
        if a.status is not bd.Status.OPTIMAL:
            continue
        assert_valid(base, a)
        assert_valid(other, b)
        assert_caller_order(other, b)
        assert pair_set(a) == pair_set(b), backend
        assert set(a.unmatched["mentee_id"]) == set(b.unmatched["mentee_id"])
        assert a.objective == pytest.approx(b.objective, rel=1e-9, abs=1e-9)
