"""Property-based tests (hypothesis) on small generated rosters with random rule sets.

Properties:
(a) every OPTIMAL result validates, its objective equals the validator's, and on
    tiny graphs it equals the brute-force optimum (INFEASIBLE agrees too);
(b) permuting mentor and mentee rows leaves the optimum unchanged;
(c) raising a mentor's capacity never lowers the optimum;
(d) planted violations in a valid pairing are caught by ``bd.validate``;
(e) solving twice with the same seed gives identical pairs;
(f) the caller's DataFrames are unchanged by building, compiling, solving, validating.

Examples are derandomised (seed-stable) and every array comes from
``np.random.default_rng`` seeded by a drawn integer.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import banghdai as bd

from oracle import assert_valid, brute_force, quick_settings, rounding_tolerance

SETTINGS = quick_settings(40)

SHAPES = ("one_to_one", "one_to_many", "many_to_one", "many_to_many")
CAPACITY_SHAPES = ("one_to_many", "many_to_many")
TAGS = np.array(["crop", "cattle", "ecommerce", "finance"])
N_EDGE_RULES = 5
N_SCORES = 4


@dataclass(frozen=True)
class Spec:
    """Everything needed to rebuild one generated instance."""

    n_m: int
    n_e: int
    shape: str
    unmatched: str
    penalty: float | None
    rules: tuple[int, ...]
    scores: tuple[int, ...]
    weights: tuple[float, ...]
    km: float
    ps_sense: str
    ps_restrict: bool
    int_ids: bool
    list_domains: bool
    use_min_load: bool
    n_fixed: int
    data_seed: int


@st.composite
def specs(draw, shapes=SHAPES):
    unmatched = draw(st.sampled_from(["allow", "allow", "allow", "forbid"]))
    penalty = None
    if unmatched == "allow" and draw(st.booleans()):
        penalty = draw(st.sampled_from([0.0, 0.3, 2.0, 10.0]))
    return Spec(
        n_m=draw(st.integers(2, 7)),
        n_e=draw(st.integers(2, 8)),
        shape=draw(st.sampled_from(shapes)),
        unmatched=unmatched,
        penalty=penalty,
        rules=tuple(draw(st.lists(st.integers(0, N_EDGE_RULES - 1), unique=True, max_size=2))),
        scores=tuple(draw(st.lists(st.integers(0, N_SCORES - 1), unique=True, min_size=1,
                                   max_size=4))),
        weights=tuple(draw(st.lists(st.sampled_from([0.5, 1.0, 2.0, 3.0]), min_size=4, max_size=4))),
        km=draw(st.sampled_from([15.0, 30.0, 80.0])),
        ps_sense=draw(st.sampled_from(["max", "min"])),
        ps_restrict=draw(st.booleans()),
        int_ids=draw(st.booleans()),
        list_domains=draw(st.booleans()),
        use_min_load=draw(st.booleans()),
        n_fixed=draw(st.sampled_from([0, 0, 1, 2])),
        data_seed=draw(st.integers(0, 2**32 - 1)),
    )


@dataclass
class Instance:
    spec: Spec
    mentors: pd.DataFrame
    mentees: pd.DataFrame
    scores: pd.DataFrame
    fixed: pd.DataFrame | None = None

    def problem(self, mentors: pd.DataFrame | None = None, mentees: pd.DataFrame | None = None,
                scores: pd.DataFrame | None = None) -> bd.Problem:
        s = self.spec
        mentors = self.mentors if mentors is None else mentors
        mentees = self.mentees if mentees is None else mentees
        scores = self.scores if scores is None else scores
        kw = {"unmatched": s.unmatched, "unmatched_penalty": s.penalty}
        min_load = "min_load" if s.use_min_load else 0
        if s.shape == "one_to_one":
            pairing = bd.OneToOne(**kw)
        elif s.shape == "one_to_many":
            pairing = bd.OneToMany("capacity", min_load=min_load, **kw)
        elif s.shape == "many_to_one":
            pairing = bd.ManyToOne("mentors_required", **kw)
        else:
            pairing = bd.ManyToMany("capacity", "mentors_required", min_load=min_load, **kw)
        problem = bd.Problem(mentors, mentees, pairing=pairing)
        pool = (bd.SameRegion("county"), bd.MaxDistance(km=s.km), bd.SharesDomain(1),
                bd.Stronger("rating"), bd.AvoidSame("village"))
        problem.require(*[pool[i] for i in s.rules])
        w = s.weights
        terms = (bd.DomainFit(w[0]), bd.Closeness(w[1], scale_km=40),
                 bd.StrongToWeak("rating", w[2]),
                 bd.PairScore(scores, column="s", weight=w[3], sense=s.ps_sense,
                              restrict=s.ps_restrict))
        problem.prefer(*[terms[i] for i in s.scores])
        if self.fixed is not None:
            problem.fix(self.fixed)
        return problem


def _ids(n: int, prefix: str, as_int: bool):
    return np.arange(1, n + 1) if as_int else np.array([f"{prefix}{i}" for i in range(n)], dtype=object)


def _side(rng, n: int, prefix: str, s: Spec, rating_low: int) -> pd.DataFrame:
    picks = [list(rng.choice(TAGS, size=int(rng.integers(0, 4)), replace=False)) for _ in range(n)]
    domains = picks if s.list_domains else [";".join(p) for p in picks]
    return pd.DataFrame({
        f"{'mentor' if prefix == 'M' else 'mentee'}_id": _ids(n, prefix, s.int_ids),
        "county": rng.choice(["A", "B", "C", ""], size=n, p=[0.4, 0.3, 0.2, 0.1]),
        "village": rng.choice(["v1", "v2", "v3"], size=n),
        "lat": rng.uniform(38.3, 38.8, size=n),
        "lon": rng.uniform(106.0, 106.5, size=n),
        "domains": pd.Series(domains, dtype=object),
        "rating": rng.integers(rating_low, rating_low + 5, size=n),
    })


def build(spec: Spec) -> Instance:
    rng = np.random.default_rng(spec.data_seed)
    mentors = _side(rng, spec.n_m, "M", spec, 2)
    mentees = _side(rng, spec.n_e, "E", spec, 1)
    mentors["capacity"] = rng.integers(1, 5, size=spec.n_m) * (rng.random(spec.n_m) > 0.1)
    mentors["min_load"] = np.minimum(mentors["capacity"], (rng.random(spec.n_m) < 0.2).astype(int))
    mentees["mentors_required"] = rng.choice([0, 1, 1, 2, 2], size=spec.n_e)
    total = spec.n_m * spec.n_e
    listed = np.sort(rng.choice(total, size=max(1, int(total * rng.uniform(0.3, 0.9))), replace=False))
    lm, le = np.divmod(listed, spec.n_e)
    values = rng.integers(-3, 10, size=listed.size) if rng.random() < 0.5 else np.round(
        rng.uniform(-1, 5, size=listed.size), 2)
    scores = pd.DataFrame({"mentor_id": mentors["mentor_id"].to_numpy()[lm],
                           "mentee_id": mentees["mentee_id"].to_numpy()[le], "s": values})
    inst = Instance(spec, mentors, mentees, scores)
    if spec.n_fixed:
        c = inst.problem().compile()
        load, got, picked = np.zeros(c.n_mentors, int), np.zeros(c.n_mentees, int), []
        for k in rng.permutation(c.n_edges).tolist():
            i, j = c.edge_mentor[k], c.edge_mentee[k]
            if len(picked) < spec.n_fixed and load[i] < c.cap_hi[i] and got[j] < c.demand[j]:
                load[i] += 1
                got[j] += 1
                picked.append(k)
        if picked:
            inst.fixed = pd.DataFrame({
                "mentor_id": mentors["mentor_id"].to_numpy()[c.edge_mentor[picked]],
                "mentee_id": mentees["mentee_id"].to_numpy()[c.edge_mentee[picked]],
            })
    return inst


def solve(problem: bd.Problem, seed: int = 0, backend: str = "auto") -> bd.Result:
    return problem.solve(time_limit=30, seed=seed, backend=backend)


def signed(result: bd.Result) -> float:
    return -result.objective if result.sense == "min" else result.objective


def key_of(problem: bd.Problem, result: bd.Result) -> tuple[float, float]:
    """What the library optimises, as a tuple compared lexicographically."""
    pairing = problem.pairing
    if pairing.unmatched == "forbid":
        return (0.0, signed(result))
    if pairing.unmatched_penalty is not None:
        missing = int(problem.compile().demand.sum()) - len(result.pairs)
        return (0.0, signed(result) - pairing.unmatched_penalty * missing)
    return (float(len(result.pairs)), signed(result))


# --------------------------------------------------------------------------- (a)
@SETTINGS
@given(specs())
def test_a_optimal_results_validate_and_match_brute_force(spec):
    inst = build(spec)
    problem = inst.problem()
    compiled = problem.compile()
    ref = brute_force(compiled) if compiled.n_edges <= 14 else None
    keys = {}
    for backend in ("flow", "cpsat"):
        result = solve(problem, backend=backend)
        assert result.status in (bd.Status.OPTIMAL, bd.Status.INFEASIBLE)
        if result.status is not bd.Status.OPTIMAL:
            assert result.objective is None and result.pairs.empty
            if compiled.n_edges <= 14:
                assert ref is None
            keys[backend] = None
            continue
        validation = assert_valid(problem, result)
        assert result.objective == pytest.approx(validation.objective, rel=1e-7, abs=1e-5)
        assert result.gap == 0.0
        got = keys[backend] = key_of(problem, result)
        if compiled.n_edges <= 14:
            assert ref is not None
            tol = rounding_tolerance(compiled)
            if problem.pairing.unmatched == "forbid" or problem.pairing.unmatched_penalty is not None:
                assert got[1] == pytest.approx(ref.key, abs=tol)
            else:
                assert got[0] == ref.filled
                assert got[1] == pytest.approx(ref.score, abs=tol)
    # all backends agree on feasibility and on the optimum
    values = list(keys.values())
    assert all((k is None) == (values[0] is None) for k in values)
    if values[0] is not None:
        tol = rounding_tolerance(compiled)
        for k in values[1:]:
            assert k[0] == values[0][0]
            assert k[1] == pytest.approx(values[0][1], abs=tol)


@pytest.mark.parametrize("rule", [bd.SameRegion("county"), bd.AvoidSame("county")],
                         ids=["SameRegion", "AvoidSame"])
def test_a_numeric_region_codes_with_a_blank_cell_are_consistent(rule):
    """County codes 1 (int column) and 1.0 (float column: a blank cell makes pandas use float).

    The solver's candidate graph and the validator must agree on whether the
    two are the same region, so that every OPTIMAL result validates.
    """
    mentors = pd.DataFrame({"mentor_id": ["M1", "M2"], "county": [1, 2]})
    mentees = pd.DataFrame({"mentee_id": ["E1", "E2"], "county": [1.0, np.nan]})
    problem = bd.Problem(mentors, mentees).require(rule)
    compiled = problem.compile()
    candidates = set(zip(compiled.mentors.ids[compiled.edge_mentor],
                         compiled.mentees.ids[compiled.edge_mentee], strict=True))
    every = pd.DataFrame({"mentor_id": ["M1", "M1", "M2", "M2"],
                          "mentee_id": ["E1", "E2", "E1", "E2"]})
    v = bd.validate(problem, every).violations
    v = v[v["rule"].str.contains("county")]  # the region rule only, not the degree bounds
    refused = set(zip(v["mentor_id"], v["mentee_id"], strict=True))
    accepted = set(zip(every["mentor_id"], every["mentee_id"], strict=True)) - refused
    assert candidates == accepted
    result = solve(problem)
    assert result.status is bd.Status.OPTIMAL
    assert_valid(problem, result)


def test_a_validator_objective_exact_for_colocated_pairs():
    """Mentors at the very place of their mentees: Closeness is exactly 1 per pair.

    The solver reports 40; the validator's recomputation must agree to float
    precision (mentor and mentee geocoded to the same village centre is common).
    """
    rng = np.random.default_rng(7)
    n = 40
    lat, lon = rng.uniform(38.0, 39.0, n), rng.uniform(106.0, 107.0, n)
    mentors = pd.DataFrame({"mentor_id": [f"M{i}" for i in range(n)], "lat": lat, "lon": lon})
    mentees = pd.DataFrame({"mentee_id": [f"E{i}" for i in range(n)], "lat": lat, "lon": lon})
    problem = bd.Problem(mentors, mentees).require(bd.MaxDistance(km=0.5))
    problem.prefer(bd.Closeness(weight=1, scale_km=1))
    result = solve(problem)
    assert result.status is bd.Status.OPTIMAL
    assert result.objective == n
    validation = bd.validate(problem, result.pairs)
    assert validation.ok
    assert validation.objective == pytest.approx(result.objective, rel=1e-9)


# --------------------------------------------------------------------------- (b)
@SETTINGS
@given(specs(), st.integers(0, 2**32 - 1))
def test_b_permuting_rows_keeps_the_optimum(spec, perm_seed):
    inst = build(spec)
    base_problem = inst.problem()
    base = solve(base_problem)
    rng = np.random.default_rng(perm_seed)
    mentors = inst.mentors.iloc[rng.permutation(len(inst.mentors))].reset_index(drop=True)
    mentees = inst.mentees.iloc[rng.permutation(len(inst.mentees))]  # keeps a shuffled index
    scores = inst.scores.iloc[rng.permutation(len(inst.scores))]
    permuted_problem = inst.problem(mentors, mentees, scores)
    permuted = solve(permuted_problem)
    assert permuted.status is base.status
    if base.status is bd.Status.OPTIMAL:
        assert_valid(permuted_problem, permuted)
        tol = rounding_tolerance(base_problem.compile())
        k0, k1 = key_of(base_problem, base), key_of(permuted_problem, permuted)
        assert k1[0] == k0[0]
        assert k1[1] == pytest.approx(k0[1], rel=1e-6, abs=tol)


# --------------------------------------------------------------------------- (c)
@SETTINGS
@given(specs(shapes=CAPACITY_SHAPES), st.integers(0, 10**6), st.integers(1, 3))
def test_c_more_capacity_never_lowers_the_optimum(spec, which, extra):
    inst = build(spec)
    base_problem = inst.problem()
    base = solve(base_problem)
    mentors = inst.mentors.copy()
    row = which % len(mentors)
    mentors.loc[row, "capacity"] = mentors.loc[row, "capacity"] + extra
    bigger_problem = inst.problem(mentors=mentors)
    bigger = solve(bigger_problem)
    if base.status is bd.Status.INFEASIBLE:
        return
    assert base.status is bd.Status.OPTIMAL
    assert bigger.status is bd.Status.OPTIMAL
    assert_valid(bigger_problem, bigger)
    tol = rounding_tolerance(bigger_problem.compile()) + rounding_tolerance(base_problem.compile())
    k0, k1 = key_of(base_problem, base), key_of(bigger_problem, bigger)
    assert k1[0] >= k0[0]
    if k1[0] == k0[0]:
        assert k1[1] >= k0[1] - tol


# --------------------------------------------------------------------------- (d)
def _rules_of(problem: bd.Problem, pairs: pd.DataFrame) -> set[str]:
    v = bd.validate(problem, pairs)
    assert not v.ok
    return set(v.violations["rule"])


def _add(pairs: pd.DataFrame, m: str, e: str) -> pd.DataFrame:
    return pd.concat([pairs[["mentor_id", "mentee_id"]],
                      pd.DataFrame({"mentor_id": [m], "mentee_id": [e]})], ignore_index=True)


@SETTINGS
@given(specs())
def test_d_planted_violations_are_caught(spec):
    inst = build(spec)
    problem = inst.problem()
    result = solve(problem)
    if result.status is not bd.Status.OPTIMAL:
        return
    assert_valid(problem, result)
    pairs = result.pairs[["mentor_id", "mentee_id"]]
    c = problem.compile()
    mids, eids = c.mentors.ids, c.mentees.ids
    have = set(zip(pairs["mentor_id"], pairs["mentee_id"], strict=True))
    load = pairs["mentor_id"].value_counts().reindex(mids, fill_value=0).to_numpy()
    got = pairs["mentee_id"].value_counts().reindex(eids, fill_value=0).to_numpy()
    cap = c.cap_hi
    planted = 0

    # an unknown id is always caught
    assert "unknown mentor" in _rules_of(problem, _add(pairs, "nobody-here", eids[0]))
    planted += 1
    if len(pairs):  # the same pair twice
        assert "duplicate pair" in _rules_of(problem, pd.concat([pairs, pairs.iloc[:1]]))
        planted += 1
    # a mentor at capacity takes one more mentee
    for i in np.flatnonzero(load >= cap).tolist():
        free = [e for e in eids if (mids[i], e) not in have]
        if free:
            assert "capacity" in _rules_of(problem, _add(pairs, mids[i], free[0]))
            planted += 1
            break
    # a mentee with all its mentors gets one more
    for j in np.flatnonzero(got >= c.demand).tolist():
        free = [m for m in mids if (m, eids[j]) not in have]
        if free:
            assert "mentors_per_mentee" in _rules_of(problem, _add(pairs, free[0], eids[j]))
            planted += 1
            break
    # exact demands: dropping a pair leaves a mentee short
    if problem.pairing.unmatched == "forbid" and len(pairs):
        assert "mentors_per_mentee" in _rules_of(problem, pairs.iloc[1:])
        planted += 1
    # a fixed pair removed
    if inst.fixed is not None:
        fm, fe = str(inst.fixed["mentor_id"].iloc[0]), str(inst.fixed["mentee_id"].iloc[0])
        keep = ~((pairs["mentor_id"] == fm) & (pairs["mentee_id"] == fe))
        assert "fixed pair" in _rules_of(problem, pairs[keep])
        planted += 1
    # edge rules: a pair the rule forbids, found from the input columns
    m_frame = c.mentors.frame.set_index("mentor_id")
    e_frame = c.mentees.frame.set_index("mentee_id")
    for rule in problem.edge_rules:
        for m in mids:
            bad = None
            for e in eids:
                if isinstance(rule, bd.SameRegion):
                    a, b = m_frame.at[m, "county"], e_frame.at[e, "county"]
                    bad = e if (a != b or a == "") else None
                    name = "same county"
                elif isinstance(rule, bd.AvoidSame):
                    bad = e if m_frame.at[m, "village"] == e_frame.at[e, "village"] else None
                    name = "different village"
                elif isinstance(rule, bd.Stronger):
                    bad = e if m_frame.at[m, "rating"] <= e_frame.at[e, "rating"] else None
                    name = "stronger by rating"
                else:
                    break
                if bad is not None:
                    break
            if bad is not None:
                assert name in _rules_of(problem, _add(pairs, m, bad))
                planted += 1
                break
    if any(isinstance(s, bd.PairScore) and s.restrict for s in problem.scores):
        listed = set(zip(*(pd.Series(inst.scores[k]).astype(str) for k in ("mentor_id", "mentee_id")),
                         strict=True))
        unlisted = [(m, e) for m in mids for e in eids if (m, e) not in listed]
        if unlisted:
            assert "listed in s table" in _rules_of(problem, _add(pairs, *unlisted[0]))
            planted += 1
    assert planted >= 1


def test_d_planted_region_and_capacity_violation_explicit():
    """A deterministic case of (d): different counties under SameRegion, beyond capacity."""
    mentors = pd.DataFrame({"mentor_id": ["M1", "M2"], "county": ["A", "B"], "capacity": [1, 1]})
    mentees = pd.DataFrame({"mentee_id": ["E1", "E2"], "county": ["A", "B"]})
    problem = bd.Problem(mentors, mentees, pairing=bd.OneToMany("capacity"))
    problem.require(bd.SameRegion("county"))
    result = solve(problem)
    assert_valid(problem, result)
    assert len(result.pairs) == 2
    bad = _add(result.pairs, "M1", "E2")
    v = bd.validate(problem, bad)
    assert {"capacity", "same county"} <= set(v.violations["rule"])
    with pytest.raises(bd.ValidationError):
        v.raise_if_invalid()


# --------------------------------------------------------------------------- (e)
@SETTINGS
@given(specs(), st.integers(0, 1000))
def test_e_same_seed_same_pairs(spec, seed):
    inst = build(spec)
    for backend in ("flow", "cpsat"):
        first = solve(inst.problem(), seed=seed, backend=backend)
        second = solve(inst.problem(), seed=seed, backend=backend)
        assert first.status is second.status
        if first.status is bd.Status.OPTIMAL:
            pd.testing.assert_frame_equal(first.pairs, second.pairs)
            assert first.objective == second.objective


# --------------------------------------------------------------------------- (f)
@SETTINGS
@given(specs())
def test_f_inputs_unchanged(spec):
    inst = build(spec)
    before = {name: getattr(inst, name).copy(deep=True) for name in ("mentors", "mentees", "scores")}
    fixed_before = None if inst.fixed is None else inst.fixed.copy(deep=True)
    problem = inst.problem()
    problem.compile()
    result = solve(problem)
    bd.validate(problem, result.pairs)
    bd.validate(problem, inst.scores)  # a pair table the caller owns
    for name, frame in before.items():
        pd.testing.assert_frame_equal(getattr(inst, name), frame)
    if fixed_before is not None:
        pd.testing.assert_frame_equal(inst.fixed, fixed_before)


def test_generated_instances_are_varied():
    """The strategy reaches every shape, both outcomes and a real mix of rules."""
    seen_shapes, statuses, n_rules = set(), set(), 0
    for seed in range(40):
        rng = np.random.default_rng(seed)
        spec = Spec(
            n_m=int(rng.integers(1, 7)), n_e=int(rng.integers(1, 8)), shape=SHAPES[seed % 4],
            unmatched=("allow", "forbid")[seed % 3 == 0], penalty=None,
            rules=tuple(np.flatnonzero(rng.random(N_EDGE_RULES) < 0.3).tolist()),
            scores=tuple(np.flatnonzero(rng.random(N_SCORES) < 0.5).tolist()),
            weights=(1.0, 1.0, 1.0, 1.0), km=20.0, ps_sense="max", ps_restrict=bool(seed % 2),
            int_ids=bool(seed % 5 == 0), list_domains=bool(seed % 3), use_min_load=False,
            n_fixed=seed % 3, data_seed=seed,
        )
        if seed % 7 == 0:
            spec = replace(spec, penalty=1.0, unmatched="allow")
        inst = build(spec)
        result = solve(inst.problem())
        seen_shapes.add(spec.shape)
        statuses.add(result.status)
        n_rules += len(spec.rules)
        if result.status is bd.Status.OPTIMAL:
            assert_valid(inst.problem(), result)
    assert seen_shapes == set(SHAPES)
    assert statuses == {bd.Status.OPTIMAL, bd.Status.INFEASIBLE}
    assert n_rules >= 20
