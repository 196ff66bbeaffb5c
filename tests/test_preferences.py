"""Two-sided preferences (双向自愿): menu, satisfaction, stability, stable backend, stable and best."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import banghdai as bd


def market(seed: int, n_e: int = 30, n_m: int = 6, density: float = 0.6):
    """Random hospital–resident instance as tables: incomplete lists, capacities."""
    rng = np.random.default_rng(seed)
    mentors = pd.DataFrame({"mentor_id": [f"M{i}" for i in range(n_m)],
                            "capacity": rng.integers(1, 5, n_m)})
    mentees = pd.DataFrame({"mentee_id": [f"E{i}" for i in range(n_e)]})
    e, m = np.nonzero(rng.random((n_e, n_m)) < density)
    prefs = pd.DataFrame({"mentor_id": mentors.mentor_id.to_numpy()[m],
                          "mentee_id": mentees.mentee_id.to_numpy()[e]})
    prefs["mentee_rank"] = prefs.groupby("mentee_id").cumcount() + 1
    prefs["mentee_rank"] = prefs.groupby("mentee_id")["mentee_rank"].transform(
        lambda s: rng.permutation(s.to_numpy()))
    prefs["mentor_rank"] = prefs.groupby("mentor_id").cumcount() + 1
    prefs["mentor_rank"] = prefs.groupby("mentor_id")["mentor_rank"].transform(
        lambda s: rng.permutation(s.to_numpy()))
    return mentors, mentees, prefs


def problem(mentors, mentees, prefs, proposer="mentee"):
    p = bd.Problem(mentors, mentees, pairing=bd.OneToMany("capacity"))
    return p.require(bd.Preferences(prefs), bd.Stable(proposer=proposer))


@settings(max_examples=25, deadline=None, derandomize=True, database=None)
@given(seed=st.integers(0, 10_000), proposer=st.sampled_from(["mentee", "mentor"]))
def test_stable_backend_has_no_blocking_pair(seed, proposer):
    p = problem(*market(seed), proposer=proposer)
    r = p.solve()
    assert r.backend == "stable" and r.status is bd.Status.OPTIMAL
    bd.validate(p, r.pairs).raise_if_invalid()
    assert bd.blocking_pairs(p, r.pairs).empty


def test_validator_finds_a_blocking_pair():
    mentors, mentees, prefs = market(3)
    p = problem(mentors, mentees, prefs)
    r = p.solve()
    # drop one pair: its mentee and mentor now both have room, so the pair blocks
    broken = r.pairs.iloc[1:]
    v = bd.validate(p, broken)
    assert "stability (no blocking pair)" in set(v.violations["rule"])
    first = tuple(r.pairs.iloc[0][["mentor_id", "mentee_id"]])
    blocking = set(zip(bd.blocking_pairs(p, broken).mentor_id,
                       bd.blocking_pairs(p, broken).mentee_id, strict=True))
    assert first in blocking


@pytest.mark.parametrize("seed", range(6))
def test_stable_backend_equals_the_peer_library(seed):
    matching = pytest.importorskip("matching")
    from matching.games import HospitalResident

    mentors, mentees, prefs = market(seed, n_e=40, n_m=8)
    res_prefs = {e: g.sort_values("mentee_rank").mentor_id.tolist()
                 for e, g in prefs.groupby("mentee_id")}
    hosp_prefs = {m: g.sort_values("mentor_rank").mentee_id.tolist()
                  for m, g in prefs.groupby("mentor_id")}
    caps = dict(zip(mentors.mentor_id, mentors.capacity.astype(int), strict=True))
    hosp_prefs = {m: hosp_prefs.get(m, []) for m in caps}
    res_prefs = {e: res_prefs.get(e, []) for e in mentees.mentee_id}
    for proposer, optimal in (("mentee", "resident"), ("mentor", "hospital")):
        game = HospitalResident.create_from_dictionaries(res_prefs, hosp_prefs, caps)
        peer = game.solve(optimal=optimal)
        theirs = {(str(h), str(r)) for h, rs in peer.items() for r in rs}
        p = problem(mentors, mentees, prefs, proposer=proposer)
        ours = p.solve()
        bd.validate(p, ours.pairs).raise_if_invalid()
        assert set(zip(ours.pairs.mentor_id, ours.pairs.mentee_id, strict=True)) == theirs
    assert matching.__name__ == "matching"


def brute_best_stable(p: bd.Problem):
    c = p.compile()
    n = c.n_edges
    best = None
    masks = ((np.arange(2**n)[:, None] >> np.arange(n)) & 1).astype(bool)
    deg_e = masks.astype(int) @ (c.edge_mentee[:, None] == np.arange(c.n_mentees))
    deg_m = masks.astype(int) @ (c.edge_mentor[:, None] == np.arange(c.n_mentors))
    ok = (deg_e <= c.demand).all(axis=1) & (deg_m <= c.cap_hi).all(axis=1)
    score = c.edge_info["score"].to_numpy()
    for mask in masks[ok]:
        idx = np.flatnonzero(mask)
        pairs = pd.DataFrame({"mentor_id": c.mentors.ids[c.edge_mentor[idx]],
                              "mentee_id": c.mentees.ids[c.edge_mentee[idx]]})
        if bd.validate(p, pairs).ok:
            key = (len(idx), round(float(score[idx].sum()), 9))
            best = key if best is None or key > best else best
    return best


@settings(max_examples=10, deadline=None, derandomize=True, database=None)
@given(seed=st.integers(0, 10_000))
def test_stable_and_best_matches_brute_force(seed):
    mentors, mentees, prefs = market(seed, n_e=4, n_m=3, density=0.8)
    if len(prefs) > 9:
        prefs = prefs.iloc[:9]
    rng = np.random.default_rng(seed)
    scores = prefs[["mentor_id", "mentee_id"]].assign(s=rng.integers(0, 10, len(prefs)))
    p = problem(mentors, mentees, prefs).prefer(bd.PairScore(scores, "s"))
    r = p.solve()
    assert r.backend == "cpsat" and r.status is bd.Status.OPTIMAL
    bd.validate(p, r.pairs).raise_if_invalid()
    assert (len(r.pairs), round(r.objective, 9)) == brute_best_stable(p)


def test_menu_only_and_preference_fit():
    mentors = pd.DataFrame({"mentor_id": ["star1", "star2", "other"]})
    mentees = pd.DataFrame({"mentee_id": ["a", "b"]})
    menu = pd.DataFrame({"mentor_id": ["star1", "star2", "star1"], "mentee_id": ["a", "a", "b"],
                         "mentee_rank": [1, 2, 1]})
    p = bd.Problem(mentors, mentees).require(bd.Preferences(menu, mentor_rank=None))
    p.prefer(bd.PreferenceFit(side="mentee"))
    r = p.solve()
    bd.validate(p, r.pairs).raise_if_invalid()
    assert "other" not in set(r.pairs.mentor_id)  # only mentors on the menu (你来点单)
    assert set(zip(r.pairs.mentor_id, r.pairs.mentee_id, strict=True)) == {("star2", "a"),
                                                                           ("star1", "b")}
    assert r.objective == pytest.approx(0.5 + 1.0)


def test_stable_forbid_unmatched_is_infeasible_when_no_stable_matching_serves_all():
    mentors = pd.DataFrame({"mentor_id": ["A"], "capacity": [1]})
    mentees = pd.DataFrame({"mentee_id": ["x", "y"]})
    prefs = pd.DataFrame({"mentor_id": ["A", "A"], "mentee_id": ["x", "y"],
                          "mentee_rank": [1, 1], "mentor_rank": [1, 2]})
    p = bd.Problem(mentors, mentees, pairing=bd.OneToMany("capacity", unmatched="forbid"))
    p.require(bd.Preferences(prefs), bd.Stable())
    for backend in ("stable", "cpsat"):
        assert p.solve(backend=backend).status is bd.Status.INFEASIBLE


def test_bad_preference_tables():
    mentors = pd.DataFrame({"mentor_id": ["A"]})
    mentees = pd.DataFrame({"mentee_id": ["x"]})
    bad = pd.DataFrame({"mentor_id": ["A"], "mentee_id": ["x"], "mentee_rank": [0]})
    with pytest.raises(bd.InputError) as info:
        bd.Problem(mentors, mentees).require(bd.Preferences(bad, mentor_rank=None)).compile()
    assert info.value.column == "mentee_rank" and info.value.row == 0
    with pytest.raises(bd.InputError):
        bd.Problem(mentors, mentees).require(
            bd.Preferences(bad.rename(columns={"mentee_rank": "r"}), mentor_rank=None)).compile()
    with pytest.raises(bd.InputError):
        bd.Preferences(bad, mentee_rank=None, mentor_rank=None)
