"""bd.explain on large problems: diagnosed county by county when no rule crosses counties."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import banghdai as bd
from banghdai.explain.conflicts import REGION_SPLIT_SIZE

COUNTIES = [f"county{k}" for k in range(5)]


def big(seed: int = 0, short=("county1", "county3")):
    """600 mentors and 700 mentees in 5 counties; the ``short`` counties lack capacity."""
    rng = np.random.default_rng(seed)
    n_m, n_e = 600, 700
    mentors = pd.DataFrame({"mentor_id": [f"M{i}" for i in range(n_m)],
                            "county": np.repeat(COUNTIES, n_m // 5),
                            "type": rng.choice(["a", "b", "c"], n_m),
                            "capacity": 2})
    mentees = pd.DataFrame({"mentee_id": [f"E{i}" for i in range(n_e)],
                            "county": np.repeat(COUNTIES, n_e // 5)})
    mentors.loc[mentors["county"].isin(short), "capacity"] = 1  # 120 places for 140 mentees
    assert n_m + n_e > REGION_SPLIT_SIZE
    return mentors, mentees


def problem(mentors, mentees) -> bd.Problem:
    p = bd.Problem(mentors, mentees, pairing=bd.OneToMany("capacity", unmatched="forbid"))
    return p.require(bd.SameRegion("county"), bd.DistinctTypes("type"))


def test_conflicts_found_county_by_county():
    p = problem(*big())
    ex = bd.explain(p, time_limit=20, max_conflicts=2)
    assert ex.timings["regions"] == 5
    assert ex.feasible is False
    named = {c for c in ("county1", "county3") if any(c in m for m in ex.messages)}
    assert named == {"county1", "county3"}
    assert not any(c in m for m in ex.messages for c in ("county0", "county2", "county4"))
    assert set(ex.conflicts["conflict"]) == set(range(1, len(ex.messages) + 1))


def test_feasible_large_problem_is_feasible():
    ex = bd.explain(problem(*big(short=())), time_limit=20)
    assert ex.timings["regions"] == 5 and ex.feasible is True and ex.messages == []


def test_fixed_pair_across_counties_keeps_one_model():
    mentors, mentees = big()
    p = problem(mentors, mentees)
    p.fix(pd.DataFrame({"mentor_id": ["M0"], "mentee_id": ["E699"]}))  # county0 x county4
    ex = bd.explain(p, time_limit=1)
    assert "regions" not in ex.timings


def test_quota_across_counties_keeps_one_model():
    mentors, mentees = big(short=())
    mentors["tier"] = np.where(np.arange(len(mentors)) % 2 == 0, "city", "county")
    p = problem(mentors, mentees).require(bd.Quota("tier", side="mentor", max={"city": 10}))
    ex = bd.explain(p, time_limit=1)
    assert "regions" not in ex.timings


def test_relax_keeps_one_model():
    mentors, mentees = big(short=("county1",))
    p = bd.Problem(mentors, mentees, pairing=bd.OneToMany("capacity", unmatched="forbid"))
    ex = bd.explain(p.require(bd.SameRegion("county")), relax=True, time_limit=5)
    assert "regions" not in ex.timings
    assert ex.relaxations["kind"].tolist() == ["capacity"] * len(ex.relaxations)
    bd.validate(ex.relaxed_problem, ex.pairs).raise_if_invalid()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_pair_tables_are_cut_to_each_county(lang):
    mentors, mentees = big(short=())
    forbidden = pd.DataFrame({"mentor_id": ["M0", "M130"], "mentee_id": ["E0", "E150"]})
    p = problem(mentors, mentees).forbid(forbidden)
    ex = bd.explain(p, time_limit=20, lang=lang)
    assert ex.timings["regions"] == 5 and ex.feasible is True
