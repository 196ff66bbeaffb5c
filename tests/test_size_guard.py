"""Too many candidate pairs are refused with advice before anything is generated."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import banghdai as bd
import banghdai.compile.graph as graph


def roster(n_m: int, n_e: int, seed: int = 0):
    rng = np.random.default_rng(seed)
    mentors = pd.DataFrame({"mentor_id": np.arange(n_m), "county": rng.choice(list("AB"), n_m),
                            "lat": rng.uniform(38, 38.5, n_m), "lon": rng.uniform(106, 106.5, n_m),
                            "domains": rng.choice(["a;b", "b", "c"], n_m)})
    mentees = pd.DataFrame({"mentee_id": np.arange(n_e), "county": rng.choice(list("AB"), n_e),
                            "lat": rng.uniform(38, 38.5, n_e), "lon": rng.uniform(106, 106.5, n_e),
                            "domains": rng.choice(["a", "b", "c"], n_e)})
    return mentors, mentees


@pytest.mark.parametrize("rule", [None, bd.SameRegion("county"), bd.MaxDistance(km=200),
                                  bd.SharesDomain()])
def test_too_many_candidates_refused_with_advice(monkeypatch, rule):
    monkeypatch.setattr(graph, "MAX_CANDIDATES", 500)
    mentors, mentees = roster(60, 60)
    p = bd.Problem(mentors, mentees)
    if rule is not None:
        p.require(rule)
    with pytest.raises(bd.InputError, match="Nearest") as err:
        p.compile()
    assert "candidate pairs" in str(err.value)


def test_estimates_are_close_to_the_real_counts():
    mentors, mentees = roster(300, 400, seed=2)
    for rule in (bd.SameRegion("county"), bd.MaxDistance(km=15), bd.Nearest(5)):
        p = bd.Problem(mentors, mentees).require(rule)
        real = p.compile().n_edges
        ctx = graph._Context(p.mentor_table, p.mentee_table)
        assert rule.estimate(ctx) == pytest.approx(real, rel=0.25), rule


def test_a_restricting_rule_under_the_limit_passes(monkeypatch):
    monkeypatch.setattr(graph, "MAX_CANDIDATES", 500)
    mentors, mentees = roster(60, 60)
    c = bd.Problem(mentors, mentees).require(bd.Nearest(3)).compile()
    assert c.n_edges >= 180


@pytest.mark.parametrize("kind", ["pair_score", "preferences"])
def test_a_restricting_side_table_counts_as_its_rows(monkeypatch, kind):
    """A restricting PairScore or Preferences table gives at most its rows as candidates:
    a sparse table over a big roster is not refused as if it were the full grid (it was)."""
    monkeypatch.setattr(graph, "MAX_CANDIDATES", 500)
    mentors, mentees = roster(60, 60)
    rng = np.random.default_rng(4)
    table = pd.DataFrame({"mentor_id": rng.integers(0, 60, 300), "mentee_id": np.arange(300) % 60,
                          "s": rng.random(300), "mentee_rank": 1, "mentor_rank": 1})
    table = table.drop_duplicates(["mentor_id", "mentee_id"])
    p = bd.Problem(mentors, mentees)
    if kind == "pair_score":
        p.prefer(bd.PairScore(table, column="s"))
    else:
        p.require(bd.Preferences(table))
    assert p.compile().n_edges == len(table)
    with pytest.raises(bd.InputError, match="candidate pairs"):  # not restricting: the grid
        q = bd.Problem(mentors, mentees)
        q.prefer(bd.PairScore(table, column="s", restrict=False)).compile()
