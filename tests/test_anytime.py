"""Anytime solving: a pairing once found is never thrown away, and the time limit holds.

* a CP-SAT level that runs out of time keeps the previous level's pairing (FEASIBLE, the
  rows of ``result.levels`` say which levels were proven); UNKNOWN only with no pairing yet;
* a component that runs out of time keeps its best pairing, and finished ones are kept;
* ``time_limit`` covers the whole call, model building included;
* Ctrl-C (SIGINT) stops CP-SAT and returns the best pairing found so far.

Runs out of time are made deterministic where the assertion needs an exact outcome: a
wrapper around ``cpsat._solve_interruptible`` (the one place CP-SAT is called) or
``parallel._solve_one`` (one component) reports "out of time" for a chosen level or
component. No test here times the machine: limits are checked on the time each search was
given (its ``max_time_in_seconds``), and Ctrl-C is a real SIGINT sent when the search
found its first solution (a solution callback), never after a sleep.
"""

from __future__ import annotations

import os
import signal
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd
import pytest
from ortools.sat.python import cp_model

import banghdai as bd
from banghdai.core.status import Status
from banghdai.solvers import cpsat, parallel
from banghdai.solvers.base import RawSolution


# =========================================================================== instances
def quota_levels_problem(seed: int = 0, n_m: int = 14, n_e: int = 40) -> bd.Problem:
    """Must go to CP-SAT (a quota on served mentees), with four levels."""
    rng = np.random.default_rng(seed)
    mentors = pd.DataFrame({"mentor_id": [f"M{i}" for i in range(n_m)],
                            "capacity": rng.integers(1, 4, n_m),
                            "domains": rng.choice(["a", "b", "a;b", "c"], n_m)})
    mentees = pd.DataFrame({"mentee_id": [f"E{j}" for j in range(n_e)],
                            "k": rng.integers(1, 3, n_e), "priority": rng.integers(1, 3, n_e),
                            "cat": rng.choice(["x", "y"], n_e),
                            "domains": rng.choice(["a", "b", "c"], n_e)})
    mm, ee = np.divmod(np.arange(n_m * n_e), n_e)
    scores = pd.DataFrame({"mentor_id": mentors["mentor_id"].to_numpy()[mm],
                           "mentee_id": mentees["mentee_id"].to_numpy()[ee],
                           "s": rng.integers(0, 50, mm.size)})
    p = bd.Problem(mentors, mentees, pairing=bd.ManyToMany("capacity", "k"))
    p.require(bd.Quota("cat", side="mentee", count="mentees", max={"x": 6}))
    return p.prefer(levels=[bd.Coverage(priority="priority"), bd.DomainFit(),
                            bd.PairScore(scores, "s")])


def gap_d(county: str, m: int = 10, n: int = 100, seed: int = 0):
    """A type-D generalised assignment instance (hard to prove, easy to satisfy)."""
    rng = np.random.default_rng(seed)
    r = rng.integers(1, 101, (m, n))
    c = 111 - r + rng.integers(-10, 11, (m, n))
    b = (0.8 * r.sum(axis=1) / m).astype(int)
    i, j = np.divmod(np.arange(m * n), n)
    mentors = pd.DataFrame({"mentor_id": [f"{county}m{k}" for k in range(m)], "capacity": b,
                            "county": county})
    mentees = pd.DataFrame({"mentee_id": [f"{county}e{k}" for k in range(n)], "county": county})
    pairs = pd.DataFrame({"mentor_id": mentors["mentor_id"].to_numpy()[i],
                          "mentee_id": mentees["mentee_id"].to_numpy()[j],
                          "cost": c.ravel(), "load": r.ravel()})
    return mentors, mentees, pairs


def easy_county(county: str, seed: int, m: int = 4, n: int = 6):
    """A small county every backend solves at once (unit loads)."""
    rng = np.random.default_rng(seed)
    i, j = np.divmod(np.arange(m * n), n)
    mentors = pd.DataFrame({"mentor_id": [f"{county}m{k}" for k in range(m)],
                            "capacity": 2, "county": county})
    mentees = pd.DataFrame({"mentee_id": [f"{county}e{k}" for k in range(n)], "county": county})
    pairs = pd.DataFrame({"mentor_id": mentors["mentor_id"].to_numpy()[i],
                          "mentee_id": mentees["mentee_id"].to_numpy()[j],
                          "cost": rng.integers(1, 30, i.size), "load": 1})
    return mentors, mentees, pairs


def counties_problem(hard: bool = True, unmatched: str = "forbid") -> bd.Problem:
    """Counties E1, E2 (easy) and H (a hard GAP, or easy too), tied by no rule: they split."""
    parts = [easy_county("E1", 1), gap_d("H") if hard else easy_county("H", 3),
             easy_county("E2", 2)]
    mentors, mentees, pairs = (pd.concat(x, ignore_index=True) for x in zip(*parts,
                                                                           strict=True))
    p = bd.Problem(mentors, mentees, pairing=bd.OneToMany("capacity", unmatched=unmatched))
    p.require(bd.SameRegion("county"), bd.Load(table=pairs))
    return p.prefer(bd.PairScore(pairs, "cost", sense="min"))


def gap_levels_problem() -> bd.Problem:
    """One hard GAP with three levels: coverage, the cost (hard), then a second score."""
    mentors, mentees, pairs = gap_d("H", seed=4)
    pairs = pairs.assign(fit=np.random.default_rng(5).integers(0, 9, len(pairs)))
    p = bd.Problem(mentors, mentees, pairing=bd.OneToMany("capacity"))
    p.require(bd.Load(table=pairs))
    return p.prefer(levels=[bd.Coverage(), bd.PairScore(pairs, "cost", sense="min"),
                            bd.PairScore(pairs, "fit")])


def level_values_of(problem: bd.Problem, pairs: pd.DataFrame) -> list[float]:
    """Every level's value recomputed from a pairs table (linear levels only)."""
    c = problem.compile()
    key = pd.Index(c.mentors.ids[c.edge_mentor].astype(str) + "|"
                   + c.mentees.ids[c.edge_mentee].astype(str))
    where = key.get_indexer(pairs["mentor_id"].astype(str) + "|" + pairs["mentee_id"].astype(str))
    assert (where >= 0).all()
    return [lv.sign * float(lv.coeff[where].sum()) / lv.scale for lv in c.levels]


@pytest.fixture
def solve_calls(monkeypatch):
    """Wrap every CP-SAT solve: ``plan[k]`` (k = call number from 1) may replace call k
    with "out of time" ("unknown"), a tiny real time limit ("tiny") or a SIGINT sent to this
    process right after the search's first solution ("interrupt"). Records each call's time
    limit and the variable values it ended with."""
    real = cpsat._solve_interruptible
    state = {"plan": {}, "limits": [], "solutions": []}

    def wrapper(solver, model):
        k = len(state["limits"]) + 1
        state["limits"].append(solver.parameters.max_time_in_seconds)
        action = state["plan"].get(k)
        if action == "unknown":  # a search stopped before its first solution
            solver.parameters.max_time_in_seconds = 0.0
            real(solver, model)
            state["solutions"].append(None)
            return cp_model.UNKNOWN, False
        if action == "tiny":
            solver.parameters.max_time_in_seconds = 1e-3
        if action == "interrupt":  # SIGINT from the search thread at its first solution
            first = _SigintAtFirstSolution()
            plain = type(solver).solve
            solver.solve = lambda m, callback=None: plain(solver, m, first)
        code, stopped = real(solver, model)
        sol = solver.response_proto.solution
        state["solutions"].append(np.array(sol, dtype=np.int64) if len(sol) else None)
        return code, stopped

    monkeypatch.setattr(cpsat, "_solve_interruptible", wrapper)
    # a SIGINT that arrives outside a CP-SAT search must not end the test run
    previous = signal.signal(signal.SIGINT, lambda *_: None)
    yield state
    signal.signal(signal.SIGINT, previous)


class _SigintAtFirstSolution(cp_model.CpSolverSolutionCallback):
    def __init__(self) -> None:
        super().__init__()
        self.sent = False

    def on_solution_callback(self) -> None:
        if not self.sent:
            self.sent = True
            os.kill(os.getpid(), signal.SIGINT)


def chosen_pairs(problem: bd.Problem, solution: np.ndarray) -> set[tuple[str, str]]:
    c = problem.in_id_order().compile()  # the solver's variables follow the rows in id order
    on = np.flatnonzero(solution[: c.n_edges] == 1)
    return set(zip(c.mentors.ids[c.edge_mentor[on]], c.mentees.ids[c.edge_mentee[on]],
                   strict=True))


def as_set(pairs: pd.DataFrame) -> set[tuple[str, str]]:
    return set(zip(pairs["mentor_id"].astype(str), pairs["mentee_id"].astype(str), strict=True))


# =========================================================================== levels
def test_a_level_out_of_time_keeps_the_best_pairing_and_goes_on(solve_calls):
    """A level whose search ends with no pairing (out of time) keeps the best pairing known,
    is fixed at that pairing's value (FEASIBLE, with the bound it has) and the rest of the
    budget goes on to the later levels, labelled optimal *given* the earlier values."""
    p = quota_levels_problem()
    full = p.solve(split=False, time_limit=60)
    assert full.backend == "cpsat" and full.status is Status.OPTIMAL
    n_levels = len(full.levels)
    assert n_levels == 4  # coverage priority 1, 2, domain fit, pair score
    searched = len(solve_calls["limits"])
    assert searched >= 1  # the others are proven by the network relaxation alone

    solve_calls["limits"].clear()
    solve_calls["solutions"].clear()
    solve_calls["plan"] = {1: "unknown"}  # the first search runs out of time
    r = p.solve(split=False, time_limit=60)
    assert len(r.pairs) > 0
    bd.validate(p, r.pairs).raise_if_invalid()
    rows = r.levels
    assert "NOT_SOLVED" not in set(rows["status"])  # the budget went on
    stuck = rows.index[rows["seconds"] > 0][0]  # the level of the first search
    assert rows["status"].iloc[:stuck].tolist() == ["OPTIMAL"] * stuck
    if rows["status"].iloc[stuck] == "FEASIBLE":
        assert r.status is Status.FEASIBLE
        assert set(rows["status"].iloc[stuck + 1:]) <= {"OPTIMAL_GIVEN", "FEASIBLE"}
        # no relaxation bound holds after an unproven level: every later level was searched
        assert len(solve_calls["limits"]) == 1 + (n_levels - 1 - stuck)
    assert rows["value"].tolist() == pytest.approx(level_values_of(p, r.pairs))
    assert "gap" in rows.columns
    assert r.objective == pytest.approx(rows["value"].iloc[-1])


def test_no_pairing_yet_is_unknown_with_no_pairs(solve_calls, monkeypatch):
    """Without the network backbone (no repaired pairing) and no search finding one."""
    from banghdai.solvers import repair

    monkeypatch.setattr(cpsat, "backbone", lambda compiled, params: repair.Backbone())
    p = quota_levels_problem()
    solve_calls["plan"] = {1: "unknown", 2: "unknown"}  # the first level, and its retry
    r = p.solve(split=False, time_limit=60)
    assert r.status is Status.UNKNOWN and r.pairs.empty
    assert r.levels["status"].iloc[0] == "UNKNOWN"


def test_no_search_result_still_keeps_the_repaired_relaxation(solve_calls):
    p = quota_levels_problem()
    solve_calls["plan"] = {k: "unknown" for k in range(1, 10)}  # no search finds anything
    r = p.solve(split=False, time_limit=60)
    assert r.status.has_solution and len(r.pairs) > 0
    bd.validate(p, r.pairs).raise_if_invalid()
    assert r.levels["value"].tolist() == pytest.approx(level_values_of(p, r.pairs))


def test_a_real_tiny_limit_at_a_later_level_never_loses_the_pairing(solve_calls):
    """The same with CP-SAT really stopped by a 1 ms limit at level 3: whatever it reports
    (UNKNOWN, or FEASIBLE from the hint), the result is a validated pairing that is at least
    as good as the proven levels before."""
    p = quota_levels_problem(seed=1)
    solve_calls["plan"] = {3: "tiny"}
    r = p.solve(split=False, time_limit=60)
    assert r.status in (Status.FEASIBLE, Status.OPTIMAL)
    bd.validate(p, r.pairs).raise_if_invalid()
    assert r.levels["status"].iloc[:2].tolist() == ["OPTIMAL", "OPTIMAL"]
    assert r.levels["value"].tolist() == pytest.approx(level_values_of(p, r.pairs))
    if r.status is Status.FEASIBLE:
        assert set(r.levels["status"].iloc[2:]) <= {"FEASIBLE", "UNKNOWN", "NOT_SOLVED",
                                                     "OPTIMAL"}


def test_time_a_level_does_not_use_goes_to_later_levels(solve_calls):
    p = quota_levels_problem(seed=2)
    r = p.solve(split=False, time_limit=20)
    assert r.status is Status.OPTIMAL
    limits = solve_calls["limits"]
    assert 1 <= len(limits) <= 4  # levels the network relaxation proves need no search
    # a pairing being known, each level gets an equal share of what is left over the levels
    # still to solve: the easy early levels leave the last level most of the 20 s
    assert limits[0] <= 10.0 + 1e-6
    assert limits[-1] > limits[0]
    assert all(x <= 20.0 + 1e-6 for x in limits)


def test_the_issue_city_with_a_served_mentees_quota_keeps_what_it_found():
    """The issue's scenario on a problem that must go to CP-SAT: the Yinchuan city with 三型,
    a quota on served mentees and three levels, under a short limit. Whatever the load, the
    call ends in time and returns a validated pairing once a level was solved."""
    mentors, mentees = roster = bd.load_sample("yinchuan")
    p = bd.Problem(mentors, mentees, pairing=bd.ManyToMany("capacity", "mentors_required"))
    p.require(bd.SameRegion("county"), bd.MaxDistance(60), bd.SharesDomain(),
              bd.Stronger("rating"), bd.AvoidSame("village"), bd.DistinctTypes("type"),
              bd.Quota("category", side="mentee", count="mentees",
                       max=dict.fromkeys(mentees["category"].dropna().astype(str).unique(),
                                         40)))
    p.forbid(roster.forbidden).fix(roster.fixed)
    p.prefer(levels=[bd.Coverage(priority="priority"), bd.DomainFit(),
                     bd.Closeness(scale_km=30)])
    limit = 6.0
    r = p.solve(time_limit=limit, split=False)
    assert r.backend == "cpsat"
    solved = r.levels["status"].isin(["OPTIMAL", "FEASIBLE"]).any()
    if solved:
        assert r.status in (Status.OPTIMAL, Status.FEASIBLE) and len(r.pairs) > 0
        bd.validate(p, r.pairs).raise_if_invalid()
    else:
        assert r.status is Status.UNKNOWN and r.pairs.empty


# =========================================================================== components
def fake_component(monkeypatch, county: str, outcome: str):
    """Make the component of ``county`` end out of time: with no pairing ("none") or with
    the pairing of the first half of its mentees it found so far ("partial")."""
    real = parallel._solve_one

    def wrapper(backend, sub, params):
        if not (sub.mentors.frame["county"] == county).all():
            return real(backend, sub, params)
        if outcome == "none":
            return RawSolution(Status.UNKNOWN, None, None, None, 0.5, {})
        raw = real(backend, sub, params)
        chosen = raw.chosen & (sub.edge_mentee < sub.n_mentees // 2)
        return RawSolution(Status.FEASIBLE, chosen, None, None, raw.seconds, {})

    monkeypatch.setattr(parallel, "_solve_one", wrapper)


@pytest.mark.parametrize("executor", [None, "threads"])
def test_a_component_out_of_time_with_no_pairing_keeps_the_others(monkeypatch, executor):
    p = counties_problem(hard=False, unmatched="allow")
    whole = p.solve(split=False, backend="cpsat")
    assert whole.status is Status.OPTIMAL
    fake_component(monkeypatch, "H", "none")
    with ThreadPoolExecutor(2) if executor else _null() as pool:
        r = p.solve(split=True, backend="cpsat", executor=pool)
    assert r.info["components"] == 3
    assert sorted(r.info["component_status"]) == ["OPTIMAL", "OPTIMAL", "UNKNOWN"]
    assert r.status is Status.FEASIBLE
    bd.validate(p, r.pairs).raise_if_invalid()
    # the finished counties are kept, each at the whole problem's optimum there
    assert not r.pairs["mentee_id"].str.startswith("H").any()
    for county in ("E1", "E2"):
        assert cost_in(r.pairs, county) == cost_in(whole.pairs, county)
        assert (r.pairs["mentee_id"].str.startswith(county).sum()
                == whole.pairs["mentee_id"].str.startswith(county).sum())


def test_a_component_out_of_time_keeps_its_partial_pairing(monkeypatch):
    p = counties_problem(hard=False, unmatched="allow")
    fake_component(monkeypatch, "H", "partial")
    r = p.solve(split=True, backend="cpsat")
    assert r.status is Status.FEASIBLE
    assert sorted(r.info["component_status"]) == ["FEASIBLE", "OPTIMAL", "OPTIMAL"]
    bd.validate(p, r.pairs).raise_if_invalid()
    h = r.pairs[r.pairs["mentee_id"].str.startswith("H")]
    assert len(h) > 0 and h["mentee_id"].str[2:].astype(int).max() < 3  # its first half


def test_a_forced_component_without_pairing_is_unknown_and_says_why(monkeypatch):
    p = counties_problem(hard=False, unmatched="forbid")
    fake_component(monkeypatch, "H", "none")
    r = p.solve(split=True, backend="cpsat")
    assert r.status is Status.UNKNOWN and r.pairs.empty
    assert "found no pairing in time" in r.info["reason"]
    assert r.info["partial_pairs"] > 0


@pytest.mark.parametrize("executor", [None, "threads"])
def test_a_hard_county_runs_out_of_time_and_the_easy_ones_are_kept(executor):
    """For real: a type-D GAP county cannot be proven in a few seconds; the easy counties
    are solved to optimality beside it and every county keeps its pairing."""
    p = counties_problem(hard=True, unmatched="forbid")
    limit = 4.0
    with ThreadPoolExecutor(2) if executor else _null() as pool:
        r = p.solve(split=True, time_limit=limit, executor=pool)
    assert r.backend == "cpsat" and r.info["components"] == 3
    status = dict(zip(r.info["component_edges"], r.info["component_status"], strict=True))
    assert status[1000] == "FEASIBLE"  # the GAP county: 10 x 100 candidate pairs
    assert sorted(r.info["component_status"]) == ["FEASIBLE", "OPTIMAL", "OPTIMAL"]
    assert r.status is Status.FEASIBLE and r.gap is not None and r.gap > 0
    bd.validate(p, r.pairs).raise_if_invalid()
    assert r.pairs["mentee_id"].nunique() == len(p.mentees)  # unmatched="forbid": all kept


def cost_in(pairs: pd.DataFrame, county: str) -> float:
    return float(pairs.loc[pairs["mentee_id"].str.startswith(county), "cost"].sum())


class _null:
    def __enter__(self):
        return None

    def __exit__(self, *exc):
        return False


# =========================================================================== build time
def many_pairs_problem(n_m: int = 400, n_e: int = 1000) -> bd.Problem:
    """400,000 candidate pairs and a quota on served mentees: CP-SAT, a large model."""
    rng = np.random.default_rng(0)
    mentors = pd.DataFrame({"mentor_id": [f"M{i}" for i in range(n_m)],
                            "capacity": rng.integers(2, 5, n_m)})
    mentees = pd.DataFrame({"mentee_id": [f"E{j}" for j in range(n_e)],
                            "cat": rng.choice(["x", "y", "z"], n_e), "k": 2})
    scores = pd.DataFrame({"mentor_id": np.repeat(mentors["mentor_id"].to_numpy(), n_e),
                           "mentee_id": np.tile(mentees["mentee_id"].to_numpy(), n_m),
                           "s": rng.integers(0, 100, n_m * n_e)})
    p = bd.Problem(mentors, mentees, pairing=bd.ManyToMany("capacity", "k"))
    p.require(bd.Quota("cat", side="mentee", count="mentees", max={"x": 100}))
    return p.prefer(bd.PairScore(scores, "s"))


@pytest.mark.parametrize("limit", [1.0])
def test_the_time_limit_covers_building_the_model(limit, solve_calls):
    p = many_pairs_problem()
    p.compile()  # tables checked once; the solve below compiles again, inside its limit
    r = p.solve(time_limit=limit)
    assert r.backend == "cpsat" and r.info["n_edges"] == 400_000
    # a search, if one started at all, was given what was left of the limit, never more
    assert all(x <= limit for x in solve_calls["limits"]), solve_calls["limits"]
    if r.status.has_solution:
        bd.validate(p, r.pairs).raise_if_invalid()
    else:
        assert r.status is Status.UNKNOWN and r.pairs.empty


def test_the_time_limit_covers_building_with_levels(solve_calls):
    p = many_pairs_problem()
    mentees = p.mentees
    p = bd.Problem(p.mentors, mentees.assign(priority=np.arange(len(mentees)) % 2 + 1),
                   pairing=p.pairing)
    p.require(bd.Quota("cat", side="mentee", count="mentees", max={"x": 100}))
    p.prefer(levels=[bd.Coverage(priority="priority"), bd.Coverage()])
    limit = 1.0
    r = p.solve(time_limit=limit)
    assert r.backend == "cpsat"
    # the searches together were never given more than the limit
    assert sum(solve_calls["limits"]) <= limit + 1e-6, solve_calls["limits"]
    if r.status.has_solution:
        bd.validate(p, r.pairs).raise_if_invalid()


# =========================================================================== interrupt
def test_ctrl_c_returns_the_best_pairing_so_far(solve_calls):
    mentors, mentees, pairs = gap_d("H", seed=7)
    p = bd.Problem(mentors, mentees, pairing=bd.OneToMany("capacity", unmatched="forbid"))
    p.prefer(bd.PairScore(pairs, "cost", sense="min")).require(bd.Load(table=pairs))
    solve_calls["plan"] = {1: "interrupt"}
    r = p.solve(time_limit=60)
    assert r.backend == "cpsat"
    assert r.info["interrupted"] is True
    assert r.status is Status.FEASIBLE and len(r.pairs) == len(mentees)
    assert r.gap is not None and r.gap > 0
    check = bd.validate(p, r.pairs).raise_if_invalid()
    assert check.objective == pytest.approx(r.objective)


def test_ctrl_c_at_a_later_level_keeps_that_levels_pairing(solve_calls):
    p = gap_levels_problem()
    solve_calls["plan"] = {2: "interrupt"}  # during the hard cost level
    r = p.solve(time_limit=60, split=False)
    assert r.backend == "cpsat" and r.info["interrupted"] is True
    assert r.status is Status.FEASIBLE
    bd.validate(p, r.pairs).raise_if_invalid()
    rows = r.levels
    assert rows["status"].iloc[0] == "OPTIMAL"
    assert rows["status"].iloc[1] in ("FEASIBLE", "OPTIMAL")
    assert rows["status"].iloc[2] == "NOT_SOLVED"
    assert as_set(r.pairs) == chosen_pairs(p, solve_calls["solutions"][1])
    assert rows["value"].tolist() == pytest.approx(level_values_of(p, r.pairs))


def test_ctrl_c_in_one_county_keeps_its_pairing_and_stops(solve_calls):
    """Split in-process: Ctrl-C during the hard county (solved first, the largest) stops the
    whole solve; that county keeps the best pairing it had, the others are not started and,
    unmatched mentees being allowed, count as pairing nobody."""
    p = counties_problem(hard=True, unmatched="allow")
    solve_calls["plan"] = {1: "interrupt"}
    r = p.solve(split=True, time_limit=60)
    assert r.info.get("interrupted") is True
    assert len(solve_calls["limits"]) == 1  # no county started after the interrupt
    status = dict(zip(r.info["component_edges"], r.info["component_status"], strict=True))
    assert status[1000] == "FEASIBLE"
    assert r.info["components_without_pairing"] and len(r.info["components_without_pairing"]) == 2
    assert r.status is Status.FEASIBLE
    bd.validate(p, r.pairs).raise_if_invalid()
    assert r.pairs["mentee_id"].str.startswith("H").all() and len(r.pairs) > 0
