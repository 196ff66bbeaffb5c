"""Optimality against independent exact references.

* 1:1 dense instances vs SciPy's ``linear_sum_assignment``;
* 1:N, N:1 and N:M vs an OR-Tools min-cost flow (coverage first, then value);
* tiny instances of every shape (min_load, fixed, forbidden, unmatched forbid,
  unmatched_penalty, mixed score senses, the built-in rules) vs brute force.

Every solved result also goes through :func:`oracle.assert_valid`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import banghdai as bd
from banghdai.solvers import available_backends

from oracle import (
    assert_valid,
    brute_force,
    mincostflow_reference,
    rounding_tolerance,
    scipy_lsa_reference,
)

OPTIMAL = bd.Status.OPTIMAL
# the stable backend answers a different question (proposer-optimal stability)
BACKENDS = [b for b in available_backends() if b != "stable"]
INFEASIBLE = bd.Status.INFEASIBLE
EDGE_RULE_NAMES = ("capacity", "min_load", "mentors_per_mentee", "fixed pair")


# --------------------------------------------------------------------------- helpers
@pytest.fixture(params=BACKENDS)
def backend(request) -> str:
    """Every exact backend must reach the reference optimum ("auto" picks one of them)."""
    return request.param


def mentor_ids(n: int) -> np.ndarray:
    return np.array([f"M{i}" for i in range(n)], dtype=object)


def mentee_ids(n: int) -> np.ndarray:
    return np.array([f"E{j}" for j in range(n)], dtype=object)


def dense_table(matrix: np.ndarray, column: str) -> pd.DataFrame:
    """Every (mentor i, mentee j) pair of a matrix as a long table."""
    n_m, n_e = matrix.shape
    m, e = np.divmod(np.arange(n_m * n_e), n_e)
    return pd.DataFrame({"mentor_id": mentor_ids(n_m)[m], "mentee_id": mentee_ids(n_e)[e],
                         column: matrix.ravel()})


def people(n_m: int, n_e: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    return pd.DataFrame({"mentor_id": mentor_ids(n_m)}), pd.DataFrame({"mentee_id": mentee_ids(n_e)})


def solve(problem: bd.Problem, **kw) -> bd.Result:
    kw.setdefault("time_limit", 60)
    kw.setdefault("seed", 0)
    result = problem.solve(**kw)
    if kw.get("backend", "auto") != "auto":
        assert result.backend == kw["backend"]
    return result


def signed(result: bd.Result) -> float:
    """The maximised total score (negated cost when every term minimises)."""
    return -result.objective if result.sense == "min" else result.objective


def sparse_edges(rng: np.random.Generator, n_m: int, n_e: int, per_mentee: int):
    """Each mentee lists ``per_mentee`` distinct random mentors."""
    k = min(per_mentee, n_m)
    choice = rng.permuted(np.tile(np.arange(n_m), (n_e, 1)), axis=1)[:, :k]
    return choice.ravel().astype(np.int64), np.repeat(np.arange(n_e, dtype=np.int64), k)


def haversine_km(lat1, lon1, lat2, lon2) -> np.ndarray:
    r = 6371.0088
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dphi, dlmb = p2 - p1, np.radians(np.asarray(lon2) - np.asarray(lon1))
    a = np.sin(dphi / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlmb / 2) ** 2
    return 2 * r * np.arcsin(np.sqrt(a))


def result_edges(result: bd.Result) -> set[tuple[str, str]]:
    return set(zip(result.pairs["mentor_id"], result.pairs["mentee_id"], strict=True))


# --------------------------------------------------------------------------- 1:1 vs LSA
@pytest.mark.parametrize(("n", "seed"), [(1, 0), (5, 1), (12, 2), (25, 3), (40, 4), (40, 5)])
def test_one_to_one_square_min_cost_equals_lsa(n, seed, backend):
    rng = np.random.default_rng(seed)
    cost = rng.integers(0, 100, size=(n, n))
    mentors, mentees = people(n, n)
    problem = bd.Problem(mentors, mentees, pairing=bd.OneToOne(unmatched="forbid")).prefer(
        bd.PairScore(dense_table(cost, "cost"), column="cost", sense="min")
    )
    result = solve(problem, backend=backend)
    expected, _ = scipy_lsa_reference(cost)
    assert result.status is OPTIMAL
    assert result.objective == expected
    assert result.bound == pytest.approx(expected)
    assert result.gap == 0.0
    assert len(result.pairs) == n
    assert result.pairs["mentor_id"].is_unique and result.pairs["mentee_id"].is_unique
    # the reported cost, recomputed from the matrix
    i = result.pairs["mentor_id"].str[1:].astype(int).to_numpy()
    j = result.pairs["mentee_id"].str[1:].astype(int).to_numpy()
    assert cost[i, j].sum() == expected
    assert_valid(problem, result)


@pytest.mark.parametrize(("n", "seed"), [(7, 10), (30, 11)])
def test_one_to_one_square_max_score_equals_lsa(n, seed, backend):
    rng = np.random.default_rng(seed)
    score = rng.integers(-50, 100, size=(n, n))
    mentors, mentees = people(n, n)
    problem = bd.Problem(mentors, mentees, pairing=bd.OneToOne(unmatched="forbid")).prefer(
        bd.PairScore(dense_table(score, "score"), weight=3)
    )
    result = solve(problem, backend=backend)
    expected, _ = scipy_lsa_reference(score, maximize=True)
    assert result.status is OPTIMAL
    assert result.sense == "max"
    assert result.objective == 3 * expected
    assert_valid(problem, result)


@pytest.mark.parametrize(("n", "seed"), [(9, 20), (35, 21)])
def test_one_to_one_float_costs_equal_lsa_within_rounding(n, seed, backend):
    rng = np.random.default_rng(seed)
    cost = rng.uniform(0.0, 100.0, size=(n, n))
    mentors, mentees = people(n, n)
    problem = bd.Problem(mentors, mentees, pairing=bd.OneToOne(unmatched="forbid")).prefer(
        bd.PairScore(dense_table(cost, "cost"), column="cost", sense="min")
    )
    result = solve(problem, backend=backend)
    expected, _ = scipy_lsa_reference(cost)
    assert result.status is OPTIMAL
    tol = rounding_tolerance(problem.compile())
    assert result.objective == pytest.approx(expected, abs=tol)
    assert result.objective >= expected - 1e-9
    assert_valid(problem, result)


@pytest.mark.parametrize(("n_m", "n_e", "seed"), [(8, 13, 30), (13, 8, 31), (30, 17, 32), (17, 40, 33)])
def test_one_to_one_rectangular_allow_covers_first_then_lsa(n_m, n_e, seed, backend):
    rng = np.random.default_rng(seed)
    cost = rng.integers(1, 100, size=(n_m, n_e))  # positive costs: zero pairs would be cheapest
    mentors, mentees = people(n_m, n_e)
    problem = bd.Problem(mentors, mentees, pairing=bd.OneToOne(unmatched="allow")).prefer(
        bd.PairScore(dense_table(cost, "cost"), column="cost", sense="min")
    )
    result = solve(problem, backend=backend)
    expected, k = scipy_lsa_reference(cost)
    assert result.status is OPTIMAL
    assert k == min(n_m, n_e)
    assert len(result.pairs) == k
    assert result.objective == expected
    assert len(result.unmatched) == n_e - k
    assert result.coverage == pytest.approx(k / n_e)
    assert_valid(problem, result)


@pytest.mark.parametrize(("n_m", "n_e", "seed"), [(12, 7, 40), (40, 25, 41)])
def test_one_to_one_more_mentors_forbid_equals_lsa(n_m, n_e, seed, backend):
    rng = np.random.default_rng(seed)
    cost = rng.integers(0, 100, size=(n_m, n_e))
    mentors, mentees = people(n_m, n_e)
    problem = bd.Problem(mentors, mentees, pairing=bd.OneToOne(unmatched="forbid")).prefer(
        bd.PairScore(dense_table(cost, "cost"), column="cost", sense="min")
    )
    result = solve(problem, backend=backend)
    expected, _ = scipy_lsa_reference(cost)
    assert result.status is OPTIMAL
    assert result.objective == expected
    assert len(result.pairs) == n_e
    assert_valid(problem, result)


def test_one_to_one_fewer_mentors_forbid_is_infeasible(backend):
    rng = np.random.default_rng(50)
    cost = rng.integers(0, 100, size=(4, 6))
    mentors, mentees = people(4, 6)
    problem = bd.Problem(mentors, mentees, pairing=bd.OneToOne(unmatched="forbid")).prefer(
        bd.PairScore(dense_table(cost, "cost"), column="cost", sense="min")
    )
    result = solve(problem, backend=backend)
    assert result.status is INFEASIBLE
    assert result.objective is None
    assert result.pairs.empty


# --------------------------------------------------------------------------- b-matching vs flow
def _compare_with_flow(problem, result, em, ee, value, cap, demand, *, penalty=None,
                       must_match=False):
    """Library answer vs the min-cost flow on the same (independently built) candidates."""
    ref = mincostflow_reference(em, ee, value, cap, demand, must_match=must_match, penalty=penalty)
    if ref is None:
        assert result.status is INFEASIBLE
        assert result.objective is None
        return None
    total, filled = ref
    assert result.status is OPTIMAL
    assert_valid(problem, result)
    got = signed(result)
    if penalty is None:
        assert len(result.pairs) == filled
        assert got == pytest.approx(total, abs=1e-9)
    else:  # several fillings may tie on value - penalty * missing
        slots = int(np.sum(demand))
        got_key = got - penalty * (slots - len(result.pairs))
        assert got_key == pytest.approx(total - penalty * (slots - filled), abs=1e-9)
    return ref


@pytest.mark.parametrize(
    ("n_m", "n_e", "per", "seed"), [(10, 30, 4, 100), (20, 60, 5, 101), (25, 80, 3, 102), (8, 50, 6, 103)]
)
def test_one_to_many_sparse_scores_vs_min_cost_flow(n_m, n_e, per, seed, backend):
    rng = np.random.default_rng(seed)
    em, ee = sparse_edges(rng, n_m, n_e, per)
    value = rng.integers(-20, 60, size=em.size)  # some pairs are worth less than nothing
    cap = rng.integers(0, 5, size=n_m)
    mentors = pd.DataFrame({"mentor_id": mentor_ids(n_m), "capacity": cap})
    mentees = pd.DataFrame({"mentee_id": mentee_ids(n_e)})
    table = pd.DataFrame({"mentor_id": mentor_ids(n_m)[em], "mentee_id": mentee_ids(n_e)[ee],
                          "score": value})
    problem = bd.Problem(mentors, mentees, pairing=bd.OneToMany(capacity="capacity"))
    problem.prefer(bd.PairScore(table))
    result = solve(problem, backend=backend)
    ref = _compare_with_flow(problem, result, em, ee, value, cap, np.ones(n_e, np.int64))
    assert ref is not None
    # coverage first: the pairing fills as many slots as a maximum b-matching
    assert len(result.pairs) == ref[1]


@pytest.mark.parametrize(("n_m", "n_e", "seed"), [(12, 40, 110), (20, 70, 111)])
def test_one_to_many_costs_cover_first_vs_min_cost_flow(n_m, n_e, seed, backend):
    rng = np.random.default_rng(seed)
    em, ee = sparse_edges(rng, n_m, n_e, 3)
    cost = rng.integers(1, 100, size=em.size)
    cap = rng.integers(1, 4, size=n_m)
    mentors = pd.DataFrame({"mentor_id": mentor_ids(n_m), "capacity": cap})
    mentees = pd.DataFrame({"mentee_id": mentee_ids(n_e)})
    table = pd.DataFrame({"mentor_id": mentor_ids(n_m)[em], "mentee_id": mentee_ids(n_e)[ee],
                          "cost": cost})
    problem = bd.Problem(mentors, mentees, pairing=bd.OneToMany(capacity="capacity"))
    problem.prefer(bd.PairScore(table, column="cost", sense="min"))
    result = solve(problem, backend=backend)
    assert result.sense == "min"
    ref = _compare_with_flow(problem, result, em, ee, -cost, cap, np.ones(n_e, np.int64))
    assert ref is not None and ref[1] > 0
    assert result.objective == -ref[0] > 0


@pytest.mark.parametrize(("n_m", "n_e", "km", "seed"), [(15, 50, 30.0, 120), (30, 80, 20.0, 121)])
def test_one_to_many_max_distance_vs_min_cost_flow(n_m, n_e, km, seed, backend):
    rng = np.random.default_rng(seed)
    lat_m, lon_m = rng.uniform(38.0, 39.0, n_m), rng.uniform(106.0, 107.0, n_m)
    lat_e, lon_e = rng.uniform(38.0, 39.0, n_e), rng.uniform(106.0, 107.0, n_e)
    cap = rng.integers(1, 5, size=n_m)
    score = rng.integers(0, 50, size=(n_m, n_e))
    mentors = pd.DataFrame({"mentor_id": mentor_ids(n_m), "lat": lat_m, "lon": lon_m, "capacity": cap})
    mentees = pd.DataFrame({"mentee_id": mentee_ids(n_e), "lat": lat_e, "lon": lon_e})
    problem = bd.Problem(mentors, mentees, pairing=bd.OneToMany(capacity="capacity"))
    problem.require(bd.MaxDistance(km=km)).prefer(bd.PairScore(dense_table(score, "score")))
    # candidates computed here, independently of the library's k-d tree
    d = haversine_km(lat_m[:, None], lon_m[:, None], lat_e[None, :], lon_e[None, :])
    em, ee = np.nonzero(d <= km)
    assert 0 < em.size < n_m * n_e
    assert problem.compile().n_edges == em.size
    result = solve(problem, backend=backend)
    ref = _compare_with_flow(problem, result, em, ee, score[em, ee], cap, np.ones(n_e, np.int64))
    assert ref is not None
    assert (result.pairs["distance_km"] <= km + 1e-9).all()


@pytest.mark.parametrize(("penalty", "seed"), [(0, 130), (15, 131), (40, 132)])
def test_one_to_many_unmatched_penalty_vs_min_cost_flow(penalty, seed, backend):
    rng = np.random.default_rng(seed)
    n_m, n_e = 10, 40
    em, ee = sparse_edges(rng, n_m, n_e, 4)
    cost = rng.integers(0, 60, size=em.size)
    cap = rng.integers(1, 5, size=n_m)
    mentors = pd.DataFrame({"mentor_id": mentor_ids(n_m), "capacity": cap})
    mentees = pd.DataFrame({"mentee_id": mentee_ids(n_e)})
    table = pd.DataFrame({"mentor_id": mentor_ids(n_m)[em], "mentee_id": mentee_ids(n_e)[ee],
                          "cost": cost})
    problem = bd.Problem(
        mentors, mentees, pairing=bd.OneToMany(capacity="capacity", unmatched_penalty=penalty)
    ).prefer(bd.PairScore(table, column="cost", sense="min"))
    result = solve(problem, backend=backend)
    ref = _compare_with_flow(problem, result, em, ee, -cost, cap, np.ones(n_e, np.int64),
                             penalty=penalty)
    assert ref is not None
    # a pair costing more than the penalty is never worth forming
    assert (result.pairs["cost"] <= penalty).all()


@pytest.mark.parametrize(("n_m", "n_e", "seed"), [(30, 12, 140), (60, 25, 141), (45, 30, 142)])
def test_many_to_one_two_mentors_each_vs_min_cost_flow(n_m, n_e, seed, backend):
    rng = np.random.default_rng(seed)
    em, ee = sparse_edges(rng, n_m, n_e, 5)
    value = rng.integers(0, 40, size=em.size)
    mentors, mentees = people(n_m, n_e)
    table = pd.DataFrame({"mentor_id": mentor_ids(n_m)[em], "mentee_id": mentee_ids(n_e)[ee],
                          "score": value})
    problem = bd.Problem(mentors, mentees, pairing=bd.ManyToOne(2)).prefer(bd.PairScore(table))
    result = solve(problem, backend=backend)
    ref = _compare_with_flow(problem, result, em, ee, value, np.ones(n_m, np.int64),
                             np.full(n_e, 2, np.int64))
    assert ref is not None
    assert result.pairs["mentor_id"].is_unique
    assert result.pairs.groupby("mentee_id").size().max() <= 2


@pytest.mark.parametrize(("n_m", "n_e", "seed"), [(40, 20, 150), (70, 35, 151)])
def test_many_to_one_column_demand_vs_min_cost_flow(n_m, n_e, seed, backend):
    rng = np.random.default_rng(seed)
    em, ee = sparse_edges(rng, n_m, n_e, 6)
    cost = rng.integers(1, 30, size=em.size)
    need = rng.integers(0, 4, size=n_e)
    mentors = pd.DataFrame({"mentor_id": mentor_ids(n_m)})
    mentees = pd.DataFrame({"mentee_id": mentee_ids(n_e), "mentors_required": need})
    table = pd.DataFrame({"mentor_id": mentor_ids(n_m)[em], "mentee_id": mentee_ids(n_e)[ee],
                          "cost": cost})
    problem = bd.Problem(mentors, mentees, pairing=bd.ManyToOne("mentors_required"))
    problem.prefer(bd.PairScore(table, column="cost", sense="min"))
    result = solve(problem, backend=backend)
    ref = _compare_with_flow(problem, result, em, ee, -cost, np.ones(n_m, np.int64), need)
    assert ref is not None


@pytest.mark.parametrize(("n_m", "n_e", "seed"), [(15, 40, 160), (25, 60, 161), (10, 50, 162)])
def test_many_to_many_vs_min_cost_flow(n_m, n_e, seed, backend):
    rng = np.random.default_rng(seed)
    em, ee = sparse_edges(rng, n_m, n_e, 5)
    value = rng.integers(-10, 50, size=em.size)
    cap = rng.integers(0, 6, size=n_m)
    need = rng.integers(1, 4, size=n_e)
    mentors = pd.DataFrame({"mentor_id": mentor_ids(n_m), "capacity": cap})
    mentees = pd.DataFrame({"mentee_id": mentee_ids(n_e), "mentors_required": need})
    table = pd.DataFrame({"mentor_id": mentor_ids(n_m)[em], "mentee_id": mentee_ids(n_e)[ee],
                          "score": value})
    pairing = bd.ManyToMany(capacity="capacity", mentors_per_mentee="mentors_required")
    problem = bd.Problem(mentors, mentees, pairing=pairing).prefer(bd.PairScore(table, weight=2))
    result = solve(problem, backend=backend)
    ref = _compare_with_flow(problem, result, em, ee, 2 * value, cap, need)
    assert ref is not None
    assert not result.pairs.duplicated(["mentor_id", "mentee_id"]).any()


@pytest.mark.parametrize("seed", range(170, 178))
def test_many_to_many_forbid_vs_min_cost_flow(seed, backend):
    """Exact demands: feasible or not, the library and the flow agree."""
    rng = np.random.default_rng(seed)
    n_m, n_e = 12, 30
    em, ee = sparse_edges(rng, n_m, n_e, 4)
    cost = rng.integers(0, 50, size=em.size)
    cap = rng.integers(2, 8, size=n_m)
    need = rng.integers(0, 3, size=n_e)
    mentors = pd.DataFrame({"mentor_id": mentor_ids(n_m), "capacity": cap})
    mentees = pd.DataFrame({"mentee_id": mentee_ids(n_e), "mentors_required": need})
    table = pd.DataFrame({"mentor_id": mentor_ids(n_m)[em], "mentee_id": mentee_ids(n_e)[ee],
                          "cost": cost})
    pairing = bd.ManyToMany(capacity="capacity", mentors_per_mentee="mentors_required",
                            unmatched="forbid")
    problem = bd.Problem(mentors, mentees, pairing=pairing)
    problem.prefer(bd.PairScore(table, column="cost", sense="min"))
    result = solve(problem, backend=backend)
    ref = _compare_with_flow(problem, result, em, ee, -cost, cap, need, must_match=True)
    if ref is not None:
        assert len(result.pairs) == need.sum()
        assert result.unmatched.empty


# --------------------------------------------------------------------------- tiny vs brute force
SHAPES = ("one_to_one", "one_to_many", "many_to_one", "many_to_many")


def _tiny_pairing(rng, shape: str, unmatched: str, penalty):
    kw = {"unmatched": unmatched}
    if penalty is not None:
        kw["unmatched_penalty"] = penalty
    if shape == "one_to_one":
        return bd.OneToOne(**kw)
    if shape == "one_to_many":
        return bd.OneToMany(capacity="capacity", min_load="min_load", **kw)
    if shape == "many_to_one":
        return bd.ManyToOne("mentors_required", **kw)
    return bd.ManyToMany(capacity="capacity", mentors_per_mentee="mentors_required",
                         min_load="min_load", **kw)


def _greedy_fixed(rng, cand_m, cand_e, cap, need, k):
    """Up to ``k`` random candidate pairs fitting the degree bounds."""
    load, got, picked = np.zeros_like(cap), np.zeros_like(need), []
    for idx in rng.permutation(cand_m.size).tolist():
        if len(picked) == k:
            break
        i, j = cand_m[idx], cand_e[idx]
        if load[i] < cap[i] and got[j] < need[j]:
            load[i] += 1
            got[j] += 1
            picked.append(idx)
    return np.array(picked, dtype=np.int64)


def _tiny_table_instance(seed: int):
    """A ≤5×5 problem whose candidates are a listed PairScore table of ≤20 pairs."""
    rng = np.random.default_rng(seed)
    shape = SHAPES[seed % 4]
    n_m, n_e = int(rng.integers(1, 6)), int(rng.integers(1, 6))
    total = n_m * n_e
    n_list = int(rng.integers(max(1, total // 3), min(total, 18) + 1))
    flat = rng.choice(total, size=n_list, replace=False)
    lm, le = np.divmod(flat, n_e)
    if rng.random() < 0.5:
        vals = rng.integers(-5, 20, size=n_list).astype(float)
    else:
        vals = np.round(rng.uniform(-2.0, 10.0, size=n_list), 3)
    sense = "min" if rng.random() < 0.5 else "max"

    cap = rng.integers(0, 4, size=n_m) if shape in ("one_to_many", "many_to_many") else np.ones(n_m, int)
    min_load = np.minimum(cap, rng.integers(0, 2, size=n_m) * rng.integers(0, 3, size=n_m))
    need = rng.integers(0, 4, size=n_e) if shape in ("many_to_one", "many_to_many") else np.ones(n_e, int)
    mentors = pd.DataFrame({"mentor_id": mentor_ids(n_m), "capacity": cap, "min_load": min_load})
    mentees = pd.DataFrame({"mentee_id": mentee_ids(n_e), "mentors_required": need})

    u = rng.random()
    unmatched, penalty = ("forbid", None) if u < 0.35 else ("allow", None) if u < 0.75 else (
        "allow", float(rng.integers(0, 12)))
    problem = bd.Problem(mentors, mentees, pairing=_tiny_pairing(rng, shape, unmatched, penalty))
    table = pd.DataFrame({"mentor_id": mentor_ids(n_m)[lm], "mentee_id": mentee_ids(n_e)[le],
                          "v": vals})
    problem.prefer(bd.PairScore(table, column="v", sense=sense, weight=float(rng.integers(1, 4))))
    if rng.random() < 0.3:  # a second, non-restricting term of the other sense
        extra = rng.integers(0, 5, size=(n_m, n_e))
        problem.prefer(bd.PairScore(dense_table(extra, "w"), column="w", restrict=False,
                                    sense="max" if sense == "min" else "min"))

    # forbidden pairs: a few random pairs, listed or not; fixed pairs among the rest
    forbidden = rng.choice(total, size=min(total, int(rng.integers(0, 3))), replace=False)
    if forbidden.size:
        fm, fe = np.divmod(forbidden, n_e)
        problem.forbid(pd.DataFrame({"mentor_id": mentor_ids(n_m)[fm],
                                     "mentee_id": mentee_ids(n_e)[fe]}))
    allowed = ~np.isin(flat, forbidden)
    cm, ce = lm[allowed], le[allowed]
    fixed = _greedy_fixed(rng, cm, ce, cap, need, int(rng.integers(0, 3)))
    if fixed.size:
        problem.fix(pd.DataFrame({"mentor_id": mentor_ids(n_m)[cm[fixed]],
                                  "mentee_id": mentee_ids(n_e)[ce[fixed]]}))
    expected_edges = {(f"M{i}", f"E{j}") for i, j in zip(cm.tolist(), ce.tolist(), strict=True)}
    return problem, expected_edges


def _check_against_brute_force(problem: bd.Problem, backend: str):
    compiled = problem.compile()
    assert compiled.n_edges <= 20
    ref = brute_force(compiled)
    result = solve(problem, backend=backend)
    if ref is None:
        assert result.status is INFEASIBLE
        assert result.objective is None
        return result, ref
    assert result.status is OPTIMAL, (result.status, result.info.get("reason"))
    assert_valid(problem, result)
    tol = rounding_tolerance(compiled)
    pairing = problem.pairing
    if pairing.unmatched == "forbid":
        assert len(result.pairs) == int(compiled.demand.sum())
        assert signed(result) == pytest.approx(ref.score, abs=tol)
    elif pairing.unmatched_penalty is not None:
        missing = int(compiled.demand.sum()) - len(result.pairs)
        key = signed(result) - pairing.unmatched_penalty * missing
        assert key == pytest.approx(ref.key, abs=tol)
    else:
        assert len(result.pairs) == ref.filled
        assert signed(result) == pytest.approx(ref.score, abs=tol)
    # every fixed pair is in the answer and flagged
    assert result.pairs["fixed"].sum() == int(compiled.edge_fixed.sum())
    return result, ref


@pytest.mark.parametrize("seed", range(64))
def test_tiny_listed_instances_vs_brute_force(seed, backend):
    problem, expected_edges = _tiny_table_instance(seed)
    compiled = problem.compile()
    got = set(zip(compiled.mentors.ids[compiled.edge_mentor],
                  compiled.mentees.ids[compiled.edge_mentee], strict=True))
    assert got == expected_edges
    _check_against_brute_force(problem, backend)


def test_tiny_instances_cover_feasible_and_infeasible_cases():
    """The seeds above exercise both outcomes, every shape and fixed pairs."""
    outcomes, fixed_seen = set(), False
    for seed in range(64):
        problem, _ = _tiny_table_instance(seed)
        ref = brute_force(problem.compile())
        outcomes.add((problem.pairing.shape, ref is None))
        fixed_seen |= bool(problem.fixed)
    assert {s for s, _ in outcomes} == set(SHAPES)
    assert {inf for _, inf in outcomes} == {True, False}
    assert fixed_seen


def test_min_load_changes_the_optimum_and_matches_brute_force(backend):
    """A mentor with min_load 2 must take two mentees even if others score higher."""
    mentors = pd.DataFrame({"mentor_id": ["A", "B"], "capacity": [2, 2], "min_load": [0, 2]})
    mentees = pd.DataFrame({"mentee_id": ["x", "y"]})
    table = pd.DataFrame({"mentor_id": ["A", "A", "B", "B"], "mentee_id": ["x", "y", "x", "y"],
                          "score": [10, 10, 1, 1]})
    free = bd.Problem(mentors, mentees, pairing=bd.OneToMany(capacity="capacity"))
    free.prefer(bd.PairScore(table))
    assert solve(free, backend=backend).objective == 20
    loaded = bd.Problem(mentors, mentees, pairing=bd.OneToMany("capacity", min_load="min_load"))
    loaded.prefer(bd.PairScore(table))
    result, ref = _check_against_brute_force(loaded, backend)
    assert ref is not None and ref.objective == 2
    assert result.objective == 2
    assert set(result.pairs["mentor_id"]) == {"B"}


def test_min_load_unreachable_is_infeasible(backend):
    mentors = pd.DataFrame({"mentor_id": ["A", "B"], "capacity": [3, 3], "min_load": [2, 2]})
    mentees = pd.DataFrame({"mentee_id": ["x", "y", "z"]})
    problem = bd.Problem(mentors, mentees, pairing=bd.OneToMany("capacity", min_load="min_load"))
    result, ref = _check_against_brute_force(problem, backend)
    assert ref is None and result.status is INFEASIBLE


# tiny instances built from the real rules and scores ---------------------------------------
TAGS = np.array(["crop", "cattle", "ecommerce", "finance"])


def _rule_people(rng, n_m: int, n_e: int):
    def side(n, prefix, letter, low):
        tags = [";".join(rng.choice(TAGS, size=int(rng.integers(0, 4)), replace=False)) for _ in range(n)]
        return pd.DataFrame({
            f"{prefix}_id": [f"{letter}{i}" for i in range(n)],
            "county": rng.choice(["A", "B", ""], size=n, p=[0.45, 0.45, 0.1]),
            "village": rng.choice(["v1", "v2", "v3"], size=n),
            "lat": rng.uniform(38.4, 38.7, size=n),
            "lon": rng.uniform(106.1, 106.4, size=n),
            "domains": tags,
            "rating": rng.integers(low, low + 5, size=n),
        })
    mentors = side(n_m, "mentor", "M", 3)
    mentors["capacity"] = rng.integers(0, 4, size=n_m)
    mentors["min_load"] = np.minimum(mentors["capacity"], rng.integers(0, 2, size=n_m))
    mentees = side(n_e, "mentee", "E", 1)
    mentees["mentors_required"] = rng.integers(1, 3, size=n_e)
    return mentors, mentees


EDGE_RULE_POOL = (
    bd.SameRegion("county"),
    bd.MaxDistance(km=25),
    bd.SharesDomain(1),
    bd.Stronger("rating", margin=0, strict=False),
    bd.AvoidSame("village"),
)
SCORE_POOL = (bd.DomainFit(2), bd.Closeness(1, scale_km=30), bd.StrongToWeak("rating", 1.5))


def _tiny_rule_instance(seed: int):
    rng = np.random.default_rng(seed)
    n_m, n_e = int(rng.integers(2, 6)), int(rng.integers(2, 6))
    mentors, mentees = _rule_people(rng, n_m, n_e)
    shape = SHAPES[seed % 4]
    u = rng.random()
    unmatched, penalty = ("forbid", None) if u < 0.3 else ("allow", None) if u < 0.7 else (
        "allow", 0.5)
    problem = bd.Problem(mentors, mentees, pairing=_tiny_pairing(rng, shape, unmatched, penalty))
    picks = rng.random(len(EDGE_RULE_POOL)) < 0.3
    problem.require(*[r for r, k in zip(EDGE_RULE_POOL, picks, strict=True) if k])
    scores = [s for s, k in zip(SCORE_POOL, rng.random(len(SCORE_POOL)) < 0.6, strict=True) if k]
    problem.prefer(*(scores or [SCORE_POOL[0]]))
    if rng.random() < 0.4:  # fix a few candidate pairs that fit the degree bounds
        c = problem.compile()
        pick = _greedy_fixed(rng, c.edge_mentor, c.edge_mentee, c.cap_hi, c.demand,
                             int(rng.integers(1, 3)))
        if pick.size:
            problem.fix(pd.DataFrame({"mentor_id": c.mentors.ids[c.edge_mentor[pick]],
                                      "mentee_id": c.mentees.ids[c.edge_mentee[pick]]}))
    return problem


@pytest.mark.parametrize("seed", range(1000, 1040))
def test_tiny_rule_instances_vs_brute_force(seed, backend):
    problem = _tiny_rule_instance(seed)
    compiled = problem.compile()
    # candidate graph == the pairs the independent validator accepts under the edge rules
    all_m = np.repeat(compiled.mentors.ids, compiled.n_mentees)
    all_e = np.tile(compiled.mentees.ids, compiled.n_mentors)
    every = pd.DataFrame({"mentor_id": all_m, "mentee_id": all_e})
    v = bd.validate(problem, every).violations
    broken = v[~v["rule"].isin(EDGE_RULE_NAMES)]
    allowed = set(zip(all_m, all_e, strict=True)) - set(
        zip(broken["mentor_id"], broken["mentee_id"], strict=True))
    got = set(zip(compiled.mentors.ids[compiled.edge_mentor],
                  compiled.mentees.ids[compiled.edge_mentee], strict=True))
    assert got == allowed
    if compiled.n_edges > 20:
        pytest.skip("too many candidate pairs to enumerate")
    _check_against_brute_force(problem, backend)


def test_tiny_rule_instances_mostly_enumerable():
    n = sum(_tiny_rule_instance(s).compile().n_edges <= 20 for s in range(1000, 1040))
    assert n >= 36


@pytest.mark.parametrize("seed", range(2000, 2012))
def test_reference_oracles_agree_with_each_other(seed):
    """Brute force and min-cost flow give the same (filled, value) on tiny b-matchings."""
    rng = np.random.default_rng(seed)
    n_m, n_e = int(rng.integers(1, 5)), int(rng.integers(1, 6))
    flat = rng.choice(n_m * n_e, size=min(n_m * n_e, int(rng.integers(1, 17))), replace=False)
    em, ee = np.divmod(flat, n_e)
    value = rng.integers(-10, 30, size=em.size)
    cap = rng.integers(0, 4, size=n_m)
    need = rng.integers(0, 3, size=n_e)
    mentors = pd.DataFrame({"mentor_id": mentor_ids(n_m), "capacity": cap})
    mentees = pd.DataFrame({"mentee_id": mentee_ids(n_e), "mentors_required": need})
    table = pd.DataFrame({"mentor_id": mentor_ids(n_m)[em], "mentee_id": mentee_ids(n_e)[ee],
                          "score": value})
    for unmatched in ("allow", "forbid"):
        pairing = bd.ManyToMany("capacity", "mentors_required", unmatched=unmatched)
        problem = bd.Problem(mentors, mentees, pairing=pairing).prefer(bd.PairScore(table))
        brute = brute_force(problem.compile())
        flow = mincostflow_reference(em, ee, value, cap, need, must_match=unmatched == "forbid")
        assert (brute is None) == (flow is None)
        if brute is not None:
            assert (brute.filled, brute.score) == (flow[1], flow[0])


# --------------------------------------------------------------------------- SharesDomain(0)
def _domain_people():
    mentors = pd.DataFrame({"mentor_id": ["M1", "M2"], "domains": ["crop", "cattle"]})
    mentees = pd.DataFrame({"mentee_id": ["E1", "E2"], "domains": ["finance", "cattle"]})
    return mentors, mentees


def test_shares_domain_zero_keeps_pairs_without_common_tags(backend):
    """SharesDomain(min_shared=0) restricts nothing, so every pair is a candidate.

    The validator accepts (M1, E1) although they share no tag; the optimum of
    this 1:1 problem pairs both mentees.
    """
    mentors, mentees = _domain_people()
    problem = bd.Problem(mentors, mentees).require(bd.SharesDomain(0))
    every = pd.DataFrame({"mentor_id": ["M1", "M1", "M2", "M2"],
                          "mentee_id": ["E1", "E2", "E1", "E2"]})
    violations = bd.validate(problem, every).violations
    assert violations[~violations["rule"].isin(EDGE_RULE_NAMES)].empty
    assert problem.compile().n_edges == 4
    result = solve(problem, backend=backend)
    assert result.status is OPTIMAL
    assert len(result.pairs) == 2
    assert_valid(problem, result)


def test_shares_domain_zero_fixed_pair_is_formed(backend):
    """A fixed pair allowed by SharesDomain(0) is formed, and only it is flagged fixed."""
    mentors, mentees = _domain_people()
    problem = bd.Problem(mentors, mentees).require(bd.SharesDomain(0))
    problem.fix(pd.DataFrame({"mentor_id": ["M1"], "mentee_id": ["E1"]}))
    result = solve(problem, backend=backend)
    assert result.status is OPTIMAL
    assert_valid(problem, result)
    fixed = result.pairs[result.pairs["fixed"]]
    assert list(zip(fixed["mentor_id"], fixed["mentee_id"], strict=True)) == [("M1", "E1")]


def test_shares_domain_zero_fixed_pair_without_other_candidates(backend):
    mentors = pd.DataFrame({"mentor_id": ["M"], "domains": ["crop"]})
    mentees = pd.DataFrame({"mentee_id": ["E"], "domains": ["cattle"]})
    problem = bd.Problem(mentors, mentees).require(bd.SharesDomain(0))
    problem.fix(pd.DataFrame({"mentor_id": ["M"], "mentee_id": ["E"]}))
    result = solve(problem, backend=backend)  # must not raise IndexError
    assert result.status is OPTIMAL
    assert result_edges(result) == {("M", "E")}
