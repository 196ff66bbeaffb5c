"""Sparse candidate generation (k nearest) and the region split, on any executor."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import banghdai as bd
from banghdai.compile.split import components


def points(seed: int, n_m: int, n_e: int, grid: bool = False):
    rng = np.random.default_rng(seed)
    if grid:  # many exact ties in distance
        lat_m, lon_m = 30 + rng.integers(0, 4, n_m) * 0.01, 110 + rng.integers(0, 4, n_m) * 0.01
        lat_e, lon_e = 30 + rng.integers(0, 4, n_e) * 0.01, 110 + rng.integers(0, 4, n_e) * 0.01
    else:
        lat_m, lon_m = 30 + rng.random(n_m), 110 + rng.random(n_m)
        lat_e, lon_e = 30 + rng.random(n_e), 110 + rng.random(n_e)
    mentors = pd.DataFrame({"mentor_id": np.arange(n_m), "lat": lat_m, "lon": lon_m,
                            "capacity": rng.integers(1, 4, n_m),
                            "county": rng.choice(["a", "b", "c", "d"], n_m)})
    mentees = pd.DataFrame({"mentee_id": np.arange(n_e), "lat": lat_e, "lon": lon_e,
                            "county": rng.choice(["a", "b", "c", "d"], n_e)})
    return mentors, mentees


def dense_nearest(mentors, mentees, k):
    """Reference: full distance matrix, k-th smallest per mentee, ties included."""
    from banghdai.core.geo import haversine_km

    d = haversine_km(mentees.lat.to_numpy()[:, None], mentees.lon.to_numpy()[:, None],
                     mentors.lat.to_numpy()[None, :], mentors.lon.to_numpy()[None, :])
    kth = np.sort(d, axis=1)[:, min(k, d.shape[1]) - 1]
    e, m = np.nonzero(d <= kth[:, None] * (1 + 1e-9))
    return set(zip(m.tolist(), e.tolist(), strict=True))


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 9999), k=st.integers(1, 12), grid=st.booleans())
def test_nearest_matches_a_dense_reference(seed, k, grid):
    mentors, mentees = points(seed, 15, 25, grid)
    c = bd.Problem(mentors, mentees).require(bd.Nearest(k)).compile()
    got = set(zip(c.edge_mentor.tolist(), c.edge_mentee.tolist(), strict=True))
    assert got == dense_nearest(mentors, mentees, k)
    per_mentee = np.bincount(c.edge_mentee, minlength=len(mentees))
    assert (per_mentee >= min(k, len(mentors))).all()


def test_nearest_solution_validates_and_matches_cpsat():
    mentors, mentees = points(3, 40, 90)
    p = bd.Problem(mentors, mentees, pairing=bd.OneToMany("capacity"))
    p.require(bd.Nearest(5)).prefer(bd.Closeness(scale_km=80))
    flow, cpsat = p.solve(), p.solve(backend="cpsat")
    for r in (flow, cpsat):
        assert r.status is bd.Status.OPTIMAL
        bd.validate(p, r.pairs).raise_if_invalid()
    assert flow.objective == pytest.approx(cpsat.objective, rel=1e-9)


def test_validator_catches_a_pair_beyond_the_k_nearest():
    mentors, mentees = points(4, 20, 5)
    p = bd.Problem(mentors, mentees, pairing=bd.OneToMany(5)).require(bd.Nearest(2))
    c = p.compile()
    allowed = set(zip(c.edge_mentor.tolist(), c.edge_mentee.tolist(), strict=True))
    far = next((m, 0) for m in range(20) if (m, 0) not in allowed)
    v = bd.validate(p, pd.DataFrame({"mentor_id": [far[0]], "mentee_id": [0]}))
    assert v.violations["rule"].tolist() == ["2 nearest"]


def test_nearest_without_coordinates_has_no_candidate():
    mentors, mentees = points(5, 6, 3)
    mentees.loc[1, "lat"] = np.nan
    with pytest.warns(bd.DataWarning, match="no coordinates"):
        r = bd.Problem(mentors, mentees).require(bd.Nearest(2)).solve()
    # reported as missing its coordinates, not as "none of the 2 nearest"
    assert r.unmatched.set_index("mentee_id").loc["1", "reason"].endswith("'coordinates known'")


def test_components_follow_the_regions():
    mentors, mentees = points(6, 30, 60)
    p = bd.Problem(mentors, mentees, pairing=bd.OneToMany("capacity"))
    p.require(bd.SameRegion("county")).prefer(bd.Closeness(scale_km=100))
    c = p.compile()
    parts = components(c)
    assert len(parts) == 4
    for edges in parts:
        counties = set(mentors.county.to_numpy()[c.edge_mentor[edges]])
        assert len(counties) == 1
    assert sorted(np.concatenate(parts).tolist()) == list(range(c.n_edges))


@pytest.mark.parametrize("backend", ["flow", "cpsat"])
def test_split_equals_whole(backend):
    mentors, mentees = points(7, 30, 60)
    p = bd.Problem(mentors, mentees, pairing=bd.OneToMany("capacity"))
    p.require(bd.SameRegion("county"), bd.MaxDistance(90)).prefer(bd.Closeness(scale_km=100))
    whole = p.solve(backend=backend, split=False)
    apart = p.solve(backend=backend, split=True)
    with ThreadPoolExecutor(2) as pool:
        pooled = p.solve(backend=backend, executor=pool)
    assert apart.info["components"] == pooled.info["components"] == 4
    for r in (whole, apart, pooled):
        assert r.status is bd.Status.OPTIMAL
        bd.validate(p, r.pairs).raise_if_invalid()
        assert r.objective == pytest.approx(whole.objective, rel=1e-12)
        assert len(r.pairs) == len(whole.pairs)


def test_split_reports_infeasible_component():
    mentors, mentees = points(8, 8, 40)
    p = bd.Problem(mentors, mentees, pairing=bd.OneToMany(1, unmatched="forbid"))
    p.require(bd.SameRegion("county"))
    r = p.solve(backend="cpsat")
    assert r.status is bd.Status.INFEASIBLE and r.pairs.empty


def test_split_on_dask():
    distributed = pytest.importorskip("distributed")
    p = bd.load_sample("yinchuan").problem()
    with distributed.Client(processes=False, n_workers=2, threads_per_worker=1,
                            dashboard_address=None) as client:
        r = p.solve(backend="cpsat", executor=client.get_executor())
    assert r.status is bd.Status.OPTIMAL and r.info["components"] == 6
    bd.validate(p, r.pairs).raise_if_invalid()
    assert r.objective == pytest.approx(p.solve().objective, rel=1e-9)


def test_unknown_split_option():
    p = bd.Problem(pd.DataFrame({"mentor_id": [1]}), pd.DataFrame({"mentee_id": [1]}))
    with pytest.raises(bd.InputError):
        p.solve(split="sometimes")
