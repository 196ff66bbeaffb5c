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


def _guard_estimate(p: bd.Problem) -> float:
    return graph.estimate_candidates(p)


def regions_roster(n_m: int, n_e: int, n_regions: int, seed: int):
    """Uneven synthetic regions (a few big counties, many small), domains and coordinates."""
    rng = np.random.default_rng(seed)
    weights = rng.pareto(1.2, n_regions) + 0.05
    weights /= weights.sum()
    def side(n, key):
        county = rng.choice(n_regions, n, p=weights)
        return pd.DataFrame({key: np.arange(n), "county": [f"c{c}" for c in county],
                             "lat": 30 + county * 0.3 + rng.normal(0, 0.08, n),
                             "lon": 110 + rng.normal(0, 0.08, n),
                             "domains": rng.choice(["a;b", "b", "c", "a;c", "d"], n),
                             "rating": rng.integers(1, 6, n)})
    return side(n_m, "mentor_id"), side(n_e, "mentee_id")


RULE_MIXES = {
    "same county": [bd.SameRegion("county")],
    "county + 15 km + domain": [bd.SameRegion("county"), bd.MaxDistance(15), bd.SharesDomain()],
    "county + stronger + avoid": [bd.SameRegion("county"), bd.Stronger("rating"),
                                  bd.SharesDomain()],
    "20 km + domain": [bd.MaxDistance(20), bd.SharesDomain()],
    "nearest 8 + county": [bd.Nearest(8), bd.SameRegion("county")],
    "domain + stronger": [bd.SharesDomain(), bd.Stronger("rating")],
}


@pytest.mark.parametrize("mix", sorted(RULE_MIXES))
@pytest.mark.parametrize("seed", [0, 1])
def test_the_guard_estimate_is_within_1_3x_of_the_real_count(mix, seed):
    """Issue 16: the estimate of the final candidate count (not of the widest rule's pairs)
    within 1.3x either way, on uneven synthetic regions."""
    mentors, mentees = regions_roster(900, 1200, 40, seed)
    p = bd.Problem(mentors, mentees).require(*RULE_MIXES[mix])
    real = p.compile().n_edges
    est = _guard_estimate(p)
    assert real > 0
    assert 1 / 1.3 <= est / real <= 1.3, (mix, est, real)


def test_the_guard_estimate_on_the_city_sample_and_a_province():
    """The Yinchuan sample with the city rules (the 2.04x case), alone and as 3 cities."""
    roster = bd.load_sample("yinchuan")
    for k in (1, 3):
        def many(df, k=k):
            parts = []
            for c in range(k):
                part = df.copy()
                for col in ("mentor_id", "mentee_id", "county", "village"):
                    if col in part.columns:
                        part[col] = f"C{c}-" + part[col].astype(str)
                part["lon"] = part["lon"] + 2.0 * c
                parts.append(part)
            return pd.concat(parts, ignore_index=True)

        p = bd.Problem(many(roster.mentors), many(roster.mentees),
                       pairing=bd.ManyToMany("capacity", "mentors_required"))
        p.require(bd.SameRegion("county"), bd.MaxDistance(60), bd.SharesDomain(),
                  bd.Stronger("rating"), bd.AvoidSame("village"), bd.DistinctTypes("type"))
        real = p.compile().n_edges
        assert 1 / 1.3 <= _guard_estimate(p) / real <= 1.3


@pytest.mark.parametrize("kind", ["pair_score", "preferences"])
def test_a_restricting_table_estimate_counts_what_the_other_rules_keep(kind):
    mentors, mentees = roster(200, 300, seed=5)
    rng = np.random.default_rng(6)
    table = pd.DataFrame({"mentor_id": rng.integers(0, 200, 20_000),
                          "mentee_id": rng.integers(0, 300, 20_000), "s": rng.random(20_000),
                          "mentee_rank": 1, "mentor_rank": 1})
    table = table.drop_duplicates(["mentor_id", "mentee_id"])
    p = bd.Problem(mentors, mentees).require(bd.SameRegion("county"))
    if kind == "pair_score":
        p.prefer(bd.PairScore(table, column="s"))
    else:
        p.require(bd.Preferences(table))
    real = p.compile().n_edges
    assert 1 / 1.3 <= _guard_estimate(p) / real <= 1.3


def test_the_guard_refuses_on_the_estimate_of_what_survives(monkeypatch):
    """Under SameRegion + a distance rule the region join is about twice the candidates: the
    guard now passes a graph whose region join alone is over the limit."""
    mentors, mentees = regions_roster(400, 500, 10, seed=3)
    p = bd.Problem(mentors, mentees).require(bd.SameRegion("county"), bd.MaxDistance(8))
    real = p.compile().n_edges
    ctx = graph._Context(p.mentor_table, p.mentee_table)
    join = bd.SameRegion("county").estimate(ctx)
    assert join > 1.5 * real
    monkeypatch.setattr(graph, "MAX_CANDIDATES", int(1.2 * real))
    assert p.compile().n_edges == real
    monkeypatch.setattr(graph, "MAX_CANDIDATES", int(0.7 * real))
    with pytest.raises(bd.InputError, match="candidate pairs"):
        p.compile()
