"""Ctrl-C at any moment ends cleanly: real SIGINTs, sent when a chosen step has started.

Every interrupt here is a real ``SIGINT`` sent to this process (or to a CLI subprocess) by
``os.kill`` from inside the step under test — a wrapper around the step's function, or a
CP-SAT solution callback ("right after the first solution") — never after a sleep. What
must hold:

* in Python, ``solve`` / ``form_teams`` / ``explain`` return (never raise) with
  ``interrupted`` set: the best pairing so far, validated, or status UNKNOWN with no pairs
  when there was none yet;
* the CLI exits 130 and leaves every existing output file byte for byte as it was, with no
  temporary file left behind — whether Ctrl-C comes while reading, compiling, solving,
  explaining, writing a file, or renaming the files into place.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pandas as pd
import pytest
from ortools.sat.python import cp_model

import banghdai as bd
from banghdai.core import interrupt
from banghdai.core.status import Status

ROOT = Path(__file__).resolve().parents[1]


def sigint() -> None:
    os.kill(os.getpid(), signal.SIGINT)


@pytest.fixture(autouse=True)
def no_stray_sigint():
    """A SIGINT that no banghdai scope takes (a bug) fails the test instead of the run."""
    missed: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda *_: missed.append(1))
    yield missed
    signal.signal(signal.SIGINT, previous)


def at_call(module, name: str, k: int = 1, *, after: bool = False):
    """Wrap ``module.name`` so that its ``k``-th call sends SIGINT (before it runs, or with
    ``after`` once it returned). Returns the list of calls seen."""
    real = getattr(module, name)
    calls: list[int] = []

    def wrapper(*args, **kwargs):
        calls.append(1)
        if len(calls) == k and not after:
            sigint()
        out = real(*args, **kwargs)
        if len(calls) == k and after:
            sigint()
        return out

    return real, wrapper, calls


def network_problem(n_counties: int | None = None) -> bd.Problem:
    """The Yinchuan city model (三型, levels): the network engine, five levels."""
    mentors, mentees = roster = bd.load_sample("yinchuan")
    if n_counties is not None:
        keep = sorted(mentees["county"].dropna().unique())[:n_counties]
        mentors, mentees = mentors[mentors.county.isin(keep)], mentees[mentees.county.isin(keep)]
    p = bd.Problem(mentors, mentees, pairing=bd.ManyToMany("capacity", "mentors_required"))
    p.require(bd.SameRegion("county"), bd.MaxDistance(60), bd.SharesDomain(),
              bd.Stronger("rating"), bd.AvoidSame("village"), bd.DistinctTypes("type"))
    if n_counties is None:
        p.forbid(roster.forbidden).fix(roster.fixed)
    return p.prefer(levels=[bd.Coverage(priority="priority"), bd.DomainFit(),
                            bd.Closeness(scale_km=30)])


def assert_interrupted_with_pairing(p: bd.Problem, r: bd.Result) -> None:
    assert r.info["interrupted"] is True and r.interrupted
    assert r.status.has_solution and len(r.pairs) > 0
    bd.validate(p, r.pairs).raise_if_invalid()
    assert r.outcome("en")[0].startswith("interrupted")


def assert_interrupted_without_pairing(r: bd.Result) -> None:
    assert r.info["interrupted"] is True
    assert r.status is Status.UNKNOWN and r.pairs.empty
    assert r.outcome("zh") == ["已中断（Ctrl-C），尚未找到结对"]


# =========================================================================== the mechanism
def test_a_scope_notes_the_signal_and_restores_the_handler(no_stray_sigint):
    before = signal.getsignal(signal.SIGINT)
    with interrupt.watching(raising=False) as watch:
        sigint()
        assert interrupt.requested() and watch.requested
        with pytest.raises(KeyboardInterrupt), interrupt.watching(raising=True):
            sigint()
    assert signal.getsignal(signal.SIGINT) is before and not interrupt.requested()
    assert no_stray_sigint == []


def test_stoppable_stops_a_real_cp_sat_search():
    """A search that would run a minute, stopped by SIGINT at its first solution."""
    model = cp_model.CpModel()
    x = [model.new_int_var(0, 50, f"x{i}") for i in range(40)]
    model.add(sum(x) <= 400)
    for i in range(39):
        model.add(x[i] != x[i + 1])
    model.maximize(sum((i % 7 + 1) * v for i, v in enumerate(x)) - sum(
        v * (i % 3) for i, v in enumerate(x)))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = 60
    solver.parameters.catch_sigint_signal = False
    solver.parameters.num_workers = 2

    class First(cp_model.CpSolverSolutionCallback):
        sent = False

        def on_solution_callback(self) -> None:
            if not First.sent:
                First.sent = True
                sigint()

    with interrupt.watching(raising=False) as watch:
        code = interrupt.stoppable(lambda: solver.solve(model, First()), solver.stop_search)
    assert watch.requested and First.sent
    assert code in (cp_model.FEASIBLE, cp_model.OPTIMAL)


# =========================================================================== solve: compile
@pytest.mark.parametrize("k", [1, 3])
def test_ctrl_c_while_compiling_is_unknown_and_interrupted(monkeypatch, k):
    from banghdai.compile import graph

    p = network_problem()
    real, wrapper, calls = at_call(graph, "_rule_mask", k)
    monkeypatch.setattr(graph, "_rule_mask", wrapper)
    r = p.solve(time_limit=60)
    assert len(calls) == k  # the compile stopped right there
    assert_interrupted_without_pairing(r)
    assert len(r.unmatched) == len(p.mentees)
    assert r.unmatched["reason"].str.contains("interrupted").all()


# =========================================================================== network engine
def test_ctrl_c_while_building_the_network(monkeypatch):
    from banghdai.solvers import network

    p = network_problem()
    real, wrapper, _ = at_call(network, "build_network", 1)
    monkeypatch.setattr(network, "build_network", wrapper)
    r = p.solve(time_limit=60)
    assert r.backend == "network"
    assert_interrupted_without_pairing(r)


@pytest.mark.parametrize("k", [2, 3, 5])
def test_ctrl_c_during_a_network_level_keeps_the_levels_proven_before(monkeypatch, k):
    """SIGINT as level k's min-cost flow starts: it finishes (native code), its potentials
    are not computed, and the pairing is that flow — optimal for the k-1 levels proven."""
    from banghdai.solvers import netflow

    p = network_problem()
    full = p.solve(time_limit=60)
    real, wrapper, calls = at_call(netflow, "_solve_face", k)
    monkeypatch.setattr(netflow, "_solve_face", wrapper)
    r = p.solve(time_limit=60)
    assert_interrupted_with_pairing(p, r)
    assert r.status is Status.FEASIBLE and len(calls) == k
    rows = r.levels
    assert rows["status"].tolist() == ["OPTIMAL"] * (k - 1) + ["NOT_SOLVED"] * (5 - k + 1)
    assert rows["value"].iloc[: k - 1].tolist() == pytest.approx(full.levels["value"].iloc[: k - 1])
    assert rows["bound"].iloc[k - 1:].isna().all()
    # the certificate proves the levels it claims, from the problem
    assert rows["certified"].tolist() == [True] * (k - 1) + [False] * (5 - k + 1)


def test_ctrl_c_during_potentials_of_level_one(monkeypatch):
    from banghdai.solvers import netflow

    p = network_problem()
    real, wrapper, _ = at_call(netflow, "_distances", 1)
    monkeypatch.setattr(netflow, "_distances", wrapper)
    r = p.solve(time_limit=60)
    assert_interrupted_with_pairing(p, r)  # level 1's flow, not proven
    assert set(r.levels["status"]) == {"NOT_SOLVED"}


def test_ctrl_c_while_decoding_keeps_the_whole_result(monkeypatch):
    from banghdai.solvers import run

    p = network_problem()
    real, wrapper, _ = at_call(run, "pairs_frame", 1)
    monkeypatch.setattr(run, "pairs_frame", wrapper)
    r = p.solve(time_limit=60)
    assert_interrupted_with_pairing(p, r)
    assert r.status is Status.OPTIMAL  # everything was proven; the interrupt is still said


# =========================================================================== components
@pytest.mark.parametrize("k", [2, 3])
def test_ctrl_c_in_a_component_keeps_those_done_and_starts_no_other(monkeypatch, k):
    from banghdai.solvers import parallel

    p = network_problem(n_counties=4)
    real, wrapper, calls = at_call(parallel, "_solve_one", k)
    monkeypatch.setattr(parallel, "_solve_one", wrapper)
    r = p.solve(time_limit=60, split=True)
    assert r.info["components"] == 4 and len(calls) == k
    assert_interrupted_with_pairing(p, r)
    done = [s for s in r.info["component_status"] if s == "OPTIMAL"]
    assert len(done) == k - 1  # the components finished before the signal are kept
    assert len(r.info["components_without_pairing"]) == 4 - (k - 1)


def test_ctrl_c_inside_a_network_component_keeps_its_proven_levels(monkeypatch):
    from banghdai.solvers import netflow

    p = network_problem(n_counties=4)
    real, wrapper, calls = at_call(netflow, "_solve_face", 7)  # in the second county
    monkeypatch.setattr(netflow, "_solve_face", wrapper)
    r = p.solve(time_limit=60, split=True)
    assert_interrupted_with_pairing(p, r)
    status = r.info["component_status"]
    assert status[0] == "OPTIMAL" and status[1] == "FEASIBLE" and status[2:] == ["UNKNOWN"] * 2
    assert set(r.levels["status"]) <= {"FEASIBLE", "OPTIMAL_GIVEN", "OPTIMAL"}


# =========================================================================== CP-SAT
@pytest.fixture
def sigint_at_first_solution(monkeypatch):
    """SIGINT right after the first solution of the ``k``-th CP-SAT search (set ``k``)."""
    real = cp_model.CpSolver.solve
    state = {"k": 1, "calls": 0, "sent": False}

    class First(cp_model.CpSolverSolutionCallback):
        def on_solution_callback(self) -> None:
            if not state["sent"]:
                state["sent"] = True
                sigint()

    def solve(self, model, solution_callback=None):
        state["calls"] += 1
        if state["calls"] == state["k"] and solution_callback is None:
            return real(self, model, First())
        return real(self, model, solution_callback)

    monkeypatch.setattr(cp_model.CpSolver, "solve", solve)
    return state


def quota_problem() -> bd.Problem:
    """A served-mentees quota: CP-SAT, three levels (coverage, fit, closeness)."""
    mentors, mentees = bd.load_sample("yinchuan")
    keep = sorted(mentees["county"].dropna().unique())[:2]
    mentors, mentees = mentors[mentors.county.isin(keep)], mentees[mentees.county.isin(keep)]
    p = bd.Problem(mentors, mentees, pairing=bd.ManyToMany("capacity", "mentors_required"))
    p.require(bd.SameRegion("county"), bd.SharesDomain(), bd.DistinctTypes("type"),
              bd.Quota("category", side="mentee", count="mentees",
                       max=dict.fromkeys(mentees["category"].dropna().astype(str).unique(), 25)))
    return p.prefer(levels=[bd.Coverage(), bd.DomainFit(), bd.Closeness(scale_km=30)])


def test_ctrl_c_in_the_first_cp_sat_search(sigint_at_first_solution):
    p = quota_problem()
    r = p.solve(time_limit=60, split=False, backend="cpsat")
    assert sigint_at_first_solution["sent"]
    assert_interrupted_with_pairing(p, r)


# =========================================================================== teams
def teams_input():
    mentors, mentees = bd.load_sample("yinchuan")
    return mentors, mentees


@pytest.mark.parametrize("step", ["heuristic", "build"])
def test_ctrl_c_in_form_teams_keeps_the_regions_done(monkeypatch, step):
    from banghdai.apps.teams import model

    mentors, mentees = teams_input()
    if step == "heuristic":
        real, wrapper, calls = at_call(model, "_heuristic", 2)
        monkeypatch.setattr(model, "_heuristic", wrapper)
    else:
        real, wrapper, calls = at_call(model._RegionModel, "build", 2)
        monkeypatch.setattr(model._RegionModel, "build", wrapper)
    r = bd.form_teams(mentors, mentees, region="county", time_limit=60)
    assert r.info["interrupted"] is True and len(calls) == 2
    assert r.status.has_solution
    assert bd.validate_teams(r.spec, r.teams).ok
    statuses = r.regions["status"].tolist()
    assert statuses[0] in ("OPTIMAL", "FEASIBLE")  # the region done before
    assert statuses[1] == "FEASIBLE"  # the heuristic's teams where it was stopped
    assert r.regions["teams"].iloc[2:].eq(0).all()  # no region started after it
    assert r.unplaced["reason"].str.contains("interrupted").any()


def test_ctrl_c_in_a_teams_search(sigint_at_first_solution):
    mentors, mentees = teams_input()
    r = bd.form_teams(mentors, mentees, region="township", time_limit=60)
    assert sigint_at_first_solution["sent"] and r.info["interrupted"] is True
    assert r.status.has_solution and bd.validate_teams(r.spec, r.teams).ok
    assert r.regions["teams"].iloc[1:].eq(0).all()


# =========================================================================== explain
def infeasible_problem() -> bd.Problem:
    mentors, mentees = bd.load_sample("yinchuan")
    p = bd.Problem(mentors, mentees, pairing=bd.ManyToMany("capacity", "mentors_required",
                                                           unmatched="forbid"))
    return p.require(bd.SameRegion("county"), bd.SharesDomain(), bd.DistinctTypes("type"))


def test_ctrl_c_in_explain_returns_what_was_found():
    from banghdai.explain import conflicts

    p = infeasible_problem()
    calls = []
    real = conflicts._ConflictSearch.run

    def run(self, active):
        calls.append(1)
        if len(calls) == 2:
            sigint()
        return real(self, active)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(conflicts._ConflictSearch, "run", run)
        ex = bd.explain(p, relax=True, time_limit=60)
    assert ex.interrupted and len(calls) == 2  # nothing asked after the signal
    assert ex.feasible is False and ex.minimal is False
    assert ex.result is None  # no relaxation searched after Ctrl-C


# =========================================================================== the CLI
RULES = """
[pairing]
shape = "many_to_many"
capacity = "capacity"
mentors_per_mentee = "mentors_required"

[[require]]
rule = "same_region"
level = "county"

[[require]]
rule = "shares_domain"

[[require]]
rule = "distinct_types"
column = "type"

[[levels]]
level = "coverage"
priority = "priority"
[[levels]]
level = "domain_fit"
"""

#: where the CLI subprocess sends itself SIGINT: (module, function, call number, after)
POINTS = {
    "reading": ("banghdai.data.readers", "read_roster", 1, False),
    "compiling": ("banghdai.compile.graph", "_rule_mask", 2, False),
    "a network level": ("banghdai.solvers.netflow", "_solve_face", 2, False),
    "writing the workbook": ("banghdai.report.workbook", "write_sheet", 4, True),  # mid-book
    "writing the second file": ("pandas.core.generic", "NDFrame.to_csv", 2, False),
    "renaming into place": ("os", "replace", 2, True),
    "explaining": ("banghdai.explain.conflicts", "_ConflictSearch.run", 1, False),
}


def run_cli(tmp_path: Path, point: str | None, out_name: str, extra: list[str] = (),
            rules: str = RULES):
    roster = tmp_path / "roster"
    if not roster.exists():
        roster.mkdir()
        mentors, mentees = bd.load_sample("yinchuan")
        mentors.to_csv(roster / "mentors.csv", index=False)
        mentees.to_csv(roster / "mentees.csv", index=False)
        (roster / "rules.toml").write_text(rules, encoding="utf-8")
    hook = ""
    if point is not None:
        module, name, k, after = POINTS[point]
        owner, _, attr = name.rpartition(".")
        hook = textwrap.dedent(f"""
            import importlib, os, signal
            mod = importlib.import_module({module!r})
            owner = getattr(mod, {owner!r}) if {owner!r} else mod
            real = getattr(owner, {attr!r})
            calls = []
            def wrapper(*a, **kw):
                calls.append(1)
                if len(calls) == {k} and not {after}:
                    os.kill(os.getpid(), signal.SIGINT)
                out = real(*a, **kw)
                if len(calls) == {k} and {after}:
                    os.kill(os.getpid(), signal.SIGINT)
                return out
            setattr(owner, {attr!r}, wrapper)
        """)
    code = hook + textwrap.dedent(f"""
        import sys
        from banghdai.cli import main
        sys.exit(main({["match", str(roster), "--out", str(tmp_path / out_name), "--quiet",
                        *extra]!r}))
    """)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=env, timeout=300)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.mark.parametrize("point", list(POINTS))
def test_cli_ctrl_c_exits_130_and_writes_nothing(tmp_path, point):
    csv = point in ("writing the second file", "renaming into place")
    out_name = "pairs.csv" if csv else "pairs.xlsx"
    for name in (["pairs.csv", "pairs_unmatched.csv", "pairs_summary.csv"] if csv
                 else ["pairs.xlsx"]):
        (tmp_path / name).write_bytes(f"last year's {name}".encode())
    before = snapshot(tmp_path)
    rules = RULES.replace('mentors_per_mentee = "mentors_required"',
                          'mentors_per_mentee = "mentors_required"\nunmatched = "forbid"')
    done = run_cli(tmp_path, point, out_name,
                   rules=rules if point == "explaining" else RULES)
    assert done.returncode == 130, done.stderr
    assert "interrupted" in done.stderr and "nothing was written" in done.stderr
    assert snapshot(tmp_path) == before  # every file as it was, and no temporary file


def test_cli_without_interrupt_writes_all_three(tmp_path):
    done = run_cli(tmp_path, None, "pairs.csv")
    assert done.returncode == 0, done.stderr
    assert {"pairs.csv", "pairs_unmatched.csv", "pairs_summary.csv"} <= set(snapshot(tmp_path))
    written = pd.read_csv(tmp_path / "pairs.csv")
    mentors, mentees = bd.load_sample("yinchuan")
    p = bd.Problem(mentors, mentees, pairing=bd.ManyToMany("capacity", "mentors_required"))
    p.require(bd.SameRegion("county"), bd.SharesDomain(), bd.DistinctTypes("type"))
    bd.validate(p, written.astype({"mentor_id": str, "mentee_id": str})).raise_if_invalid()


def test_write_together_undoes_the_renames_on_ctrl_c(tmp_path, monkeypatch):
    """In process: SIGINT after the first of three renames — the first is undone."""
    from banghdai.core import safeio

    paths = [tmp_path / f"f{i}.txt" for i in range(3)]
    for p in paths[:2]:
        p.write_text("old")
    real, wrapper, calls = at_call(os, "replace", 1, after=True)
    monkeypatch.setattr(safeio.os, "replace", wrapper)
    with pytest.raises(KeyboardInterrupt):
        safeio.write_together([(p, lambda t: t.write_text("new")) for p in paths])
    monkeypatch.undo()
    assert [p.read_text() for p in paths[:2]] == ["old", "old"] and not paths[2].exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f0.txt", "f1.txt"]

