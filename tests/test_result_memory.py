"""A ``Result`` does not keep the compiled candidate graph alive (issue 16), still gives its
unmatched reasons in another language, and pickles."""

from __future__ import annotations

import gc
import pickle
import weakref

import pandas as pd
import pytest

import banghdai as bd
import banghdai.solvers.run as run


def short_problem() -> bd.Problem:
    """Mentees left short for every reason: no candidate, full mentors, traded away."""
    mentors = pd.DataFrame({"mentor_id": ["A", "B", "C"], "county": ["x", "x", "y"],
                            "type": ["t1", "t2", "t1"], "capacity": [1, 1, 2]})
    mentees = pd.DataFrame({"mentee_id": ["E1", "E2", "E3", "E4", "E5"],
                            "county": ["x", "x", "x", "y", "z"], "k": [2, 1, 1, 1, 1]})
    p = bd.Problem(mentors, mentees, pairing=bd.ManyToMany("capacity", "k"))
    return p.require(bd.SameRegion("county"), bd.DistinctTypes("type"))


@pytest.mark.parametrize("backend", ["network", "cpsat"])
def test_a_result_does_not_keep_the_compiled_graph_alive(monkeypatch, backend):
    seen = []
    decode = run.decode

    def spy(compiled, raw, name):
        seen.append(weakref.ref(compiled))
        return decode(compiled, raw, name)

    monkeypatch.setattr(run, "decode", spy)
    p = short_problem()
    result = p.solve(backend=backend, time_limit=10)
    bd.validate(p, result.pairs).raise_if_invalid()
    gc.collect()
    assert seen and seen[0]() is None, "the result keeps the compiled graph alive"
    assert len(result.unmatched_in("zh")) == len(result.unmatched) > 0


def test_reasons_in_another_language_are_those_of_the_full_graph():
    p = short_problem()
    en = p.solve(backend="network")
    zh = p.solve(backend="network", lang="zh")  # computed from the whole graph
    bd.validate(p, en.pairs).raise_if_invalid()
    pd.testing.assert_frame_equal(en.unmatched_in("zh"), zh.unmatched)
    pd.testing.assert_frame_equal(zh.unmatched_in("en"), en.unmatched)
    assert set(en.unmatched["reason"].str.split(":").str[0]) >= {"no candidate mentor"}


def test_a_result_pickles():
    p = short_problem()
    r = p.solve(backend="network")
    bd.validate(p, r.pairs).raise_if_invalid()
    back = pickle.loads(pickle.dumps(r))
    pd.testing.assert_frame_equal(back.pairs, r.pairs)
    pd.testing.assert_frame_equal(back.unmatched_in("zh"), r.unmatched_in("zh"))
    assert bd.verify_certificate(back) == []
