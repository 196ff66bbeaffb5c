"""AllowedTypes: mentees of a listed category take only the allowed kinds of mentor."""

from __future__ import annotations

import itertools

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import banghdai as bd

KINDS = ["致富能人", "老乡镇", "优秀村书记", None]
CATEGORIES = ["集体经济薄弱村", "软弱涣散村书记", "新任村书记", None]


@st.composite
def instances(draw):
    n_m = draw(st.integers(1, 5))
    n_e = draw(st.integers(1, 4))
    mentors = pd.DataFrame({"mentor_id": [f"M{i}" for i in range(n_m)],
                            "source": draw(st.lists(st.sampled_from(KINDS), min_size=n_m,
                                                    max_size=n_m))})
    mentees = pd.DataFrame({"mentee_id": [f"E{j}" for j in range(n_e)],
                            "category": draw(st.lists(st.sampled_from(CATEGORIES), min_size=n_e,
                                                      max_size=n_e))})
    allowed = draw(st.dictionaries(st.sampled_from(CATEGORIES[:3]),
                                   st.lists(st.sampled_from(KINDS[:3]), min_size=1, max_size=2),
                                   min_size=1, max_size=3))
    return mentors, mentees, allowed


def brute_force_candidates(mentors, mentees, allowed):
    out = set()
    for (_, m), (_, e) in itertools.product(mentors.iterrows(), mentees.iterrows()):
        cat, kind = e["category"], m["source"]
        if cat not in allowed or (kind is not None and kind in allowed[cat]):
            out.add((m["mentor_id"], e["mentee_id"]))
    return out


@settings(max_examples=60, deadline=None)
@given(instances())
def test_candidates_match_brute_force_and_the_pairing_validates(case):
    mentors, mentees, allowed = case
    rule = bd.AllowedTypes(allowed, mentee_column="category", mentor_column="source")
    p = bd.Problem(mentors, mentees, pairing=bd.OneToMany(capacity=2)).require(rule)
    c = p.compile()
    got = set(zip(c.mentors.ids[c.edge_mentor], c.mentees.ids[c.edge_mentee], strict=True))
    want = brute_force_candidates(mentors, mentees, allowed)
    assert got == want
    result = p.solve(time_limit=10)
    bd.validate(p, result.pairs).raise_if_invalid()
    # as many mentees matched as the brute-force candidates allow (capacity 2, one mentor each)
    reachable = {e for _, e in want}
    assert len(result.pairs) <= len(reachable)


def test_weak_collective_villages_get_entrepreneurs_on_the_sample():
    mentors, mentees = bd.load_sample("yinchuan")
    rule = bd.AllowedTypes({"薄弱党组织": ["致富能人", "导师党组织"]}, mentee_column="category",
                           mentor_column="source")
    p = bd.Problem(mentors, mentees, pairing=bd.ManyToMany("capacity", "mentors_required"))
    p.require(bd.SameRegion("county"), rule).prefer(bd.DomainFit())
    result = p.solve(time_limit=30)
    bd.validate(p, result.pairs).raise_if_invalid()
    kinds = result.pairs.merge(mentors[["mentor_id", "source"]], on="mentor_id").merge(
        mentees[["mentee_id", "category"]], on="mentee_id")
    weak = kinds[kinds["category"] == "薄弱党组织"]
    assert len(weak) > 0
    assert set(weak["source"]) <= {"致富能人", "导师党组织"}
    assert result.unmatched["funnel"].str.contains("source allowed per category").any()


def test_bad_parameters_are_refused():
    with pytest.raises(bd.InputError):
        bd.AllowedTypes({})
    with pytest.raises(bd.InputError):
        bd.AllowedTypes({"集体经济薄弱村": "致富能人"})  # a string, not a list
    with pytest.raises(bd.InputError):
        bd.AllowedTypes({"集体经济薄弱村": ["致富能人"]}, mentor_column="")
