"""Region split with group rules: local rules come along, coupling rules keep the problem whole."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import banghdai as bd

from oracle import assert_valid, quick_settings

COUNTIES = np.array(["a", "b", "c"])
TYPES = np.array(["expert", "veteran", "local"])


def roster(seed: int, n_m: int = 18, n_e: int = 24):
    rng = np.random.default_rng(seed)
    mentors = pd.DataFrame({
        "mentor_id": [f"M{i}" for i in range(n_m)],
        "county": rng.choice(COUNTIES, n_m),
        "type": rng.choice(TYPES, n_m),
        "tier": rng.choice(["city", "county"], n_m),
        "capacity": rng.integers(1, 4, n_m),
        "lat": 38 + rng.random(n_m) * 0.5, "lon": 106 + rng.random(n_m) * 0.5,
    })
    mentees = pd.DataFrame({
        "mentee_id": [f"E{i}" for i in range(n_e)],
        "county": rng.choice(COUNTIES, n_e),
        "need": rng.integers(1, 3, n_e),
        "priority": rng.integers(1, 3, n_e),
        "lat": 38 + rng.random(n_e) * 0.5, "lon": 106 + rng.random(n_e) * 0.5,
    })
    return mentors, mentees


def problem(seed: int, *, levels: bool = False, quota=None) -> bd.Problem:
    mentors, mentees = roster(seed)
    p = bd.Problem(mentors, mentees, pairing=bd.ManyToMany("capacity", "need"))
    p.require(bd.SameRegion("county"), bd.DistinctTypes("type"))
    if quota is not None:
        p.require(quota)
    if levels:
        p.prefer(levels=[bd.Coverage("priority"), bd.Closeness(scale_km=60)])
    else:
        p.prefer(bd.Closeness(scale_km=60))
    return p


def checked(p: bd.Problem, r: bd.Result) -> None:
    """Validator-clean; with no levels the objective must also match its recomputation."""
    if r.levels is None:
        assert_valid(p, r)
    else:  # the validator recomputes prefer()'s scores, and a levels-only problem has none
        bd.validate(p, r.pairs).raise_if_invalid()


def same_answer(whole: bd.Result, apart: bd.Result) -> None:
    assert apart.status is whole.status is bd.Status.OPTIMAL
    assert apart.objective == pytest.approx(whole.objective, rel=1e-9, abs=1e-9)
    assert len(apart.pairs) == len(whole.pairs)
    if whole.levels is not None:
        assert apart.levels["value"].tolist() == pytest.approx(whole.levels["value"].tolist())
        assert apart.levels["status"].tolist() == ["OPTIMAL"] * len(whole.levels)


@pytest.mark.parametrize("levels", [False, True])
def test_distinct_types_and_levels_split_by_county(levels):
    p = problem(1, levels=levels)
    whole = p.solve(split=False, time_limit=30)
    apart = p.solve(split=True, time_limit=30)
    with ThreadPoolExecutor(2) as pool:
        pooled = p.solve(executor=pool, time_limit=30)
    assert apart.info["split"] and apart.info["components"] == 3
    assert pooled.info["components"] == 3
    for r in (whole, apart, pooled):
        checked(p, r)
    same_answer(whole, apart)
    same_answer(whole, pooled)


def test_auto_splits_group_rules_for_cpsat():
    r = problem(2).solve(time_limit=30, backend="cpsat")
    assert r.backend == "cpsat" and r.info["split"] and r.info["components"] == 3


def test_quota_inside_each_county_splits():
    quota = bd.Quota("county", side="mentee", max=3, count="mentees")  # one group per county
    p = problem(3, quota=quota)
    whole, apart = p.solve(split=False, time_limit=30), p.solve(split=True, time_limit=30)
    assert apart.info["components"] == 3
    need = p.mentees.set_index("mentee_id")["need"]
    county = p.mentees.set_index("mentee_id")["county"]
    for r in (whole, apart):
        checked(p, r)
        got = r.pairs.groupby("mentee_id").size()
        full = got[got == need.reindex(got.index)].index  # a quota on mentees counts full ones
        assert county.reindex(full).value_counts().max() <= 3
    same_answer(whole, apart)


def test_quota_across_counties_keeps_the_problem_whole():
    quota = bd.Quota("tier", side="mentor", max={"city": 2}, count="mentors")
    p = problem(4, quota=quota)
    auto = p.solve(time_limit=30)
    assert not auto.info["split"]
    checked(p, auto)
    with pytest.raises(bd.InputError, match="ties the regions") as info:
        p.solve(split=True)
    assert info.value.column == "split"


def test_quota_minimum_without_pairs_is_not_lost():
    # a county quota that needs 1 served mentee where no mentee can be served: infeasible whole,
    # and splitting must not drop the group that has no pair at all
    mentors, mentees = roster(5)
    mentors.loc[mentors["county"] == "c", "county"] = "a"  # nobody can serve county c
    p = bd.Problem(mentors, mentees, pairing=bd.ManyToMany("capacity", "need"))
    p.require(bd.SameRegion("county"),
              bd.Quota("county", side="mentee", min={"c": 1}, count="mentees"))
    assert p.solve(split=False, time_limit=30).status is bd.Status.INFEASIBLE
    assert p.solve(time_limit=30).status is bd.Status.INFEASIBLE
    with pytest.raises(bd.InputError, match="ties the regions"):
        p.solve(split=True)


def test_max_min_level_never_splits():
    mentors, mentees = roster(6)
    p = bd.Problem(mentors, mentees, pairing=bd.ManyToMany("capacity", "need"))
    p.require(bd.SameRegion("county")).prefer(levels=[bd.MaxMin(bd.Closeness(scale_km=60))])
    assert not p.solve(time_limit=30).info["split"]


def preference_table(mentors: pd.DataFrame, mentees: pd.DataFrame) -> pd.DataFrame:
    rows = [(m, e) for m, cm in zip(mentors.mentor_id, mentors.county, strict=True)
            for e, ce in zip(mentees.mentee_id, mentees.county, strict=True) if cm == ce]
    prefs = pd.DataFrame(rows, columns=["mentor_id", "mentee_id"])
    prefs["mentee_rank"] = prefs.groupby("mentee_id").cumcount() + 1
    shuffled = prefs.sample(frac=1, random_state=7)
    prefs["mentor_rank"] = shuffled.groupby("mentor_id").cumcount().reindex(prefs.index) + 1
    return prefs


def test_stable_splits():
    mentors, mentees = roster(7)
    p = bd.Problem(mentors, mentees, pairing=bd.OneToMany("capacity"))
    p.require(bd.Preferences(preference_table(mentors, mentees)), bd.Stable())
    p.prefer(bd.PreferenceFit())
    whole, apart = p.solve(split=False, time_limit=30), p.solve(split=True, time_limit=30)
    assert apart.info["components"] == 3
    for r in (whole, apart):
        checked(p, r)
        assert bd.blocking_pairs(p, r.pairs).empty
    same_answer(whole, apart)


def test_loads_split():
    mentors, mentees = roster(8)
    rng = np.random.default_rng(8)
    loads = preference_table(mentors, mentees)[["mentor_id", "mentee_id"]]
    loads = loads.assign(load=rng.integers(1, 3, len(loads)))
    p = bd.Problem(mentors, mentees, pairing=bd.ManyToMany("capacity", "need"))
    p.require(bd.SameRegion("county"), bd.Load(table=loads, column="load"))
    p.prefer(bd.Closeness(scale_km=60))
    whole, apart = p.solve(split=False, time_limit=30), p.solve(split=True, time_limit=30)
    assert apart.info["components"] == 3
    for r in (whole, apart):
        checked(p, r)
    same_answer(whole, apart)


@quick_settings(15)
@given(seed=st.integers(0, 10_000), levels=st.booleans())
def test_split_equals_whole_property(seed, levels):
    p = problem(seed, levels=levels)
    whole, apart = p.solve(split=False, time_limit=30), p.solve(split="auto", time_limit=30)
    for r in (whole, apart):
        checked(p, r)
    same_answer(whole, apart)
