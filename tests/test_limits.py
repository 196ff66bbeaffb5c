"""Time limits cover the whole call — compiling, building, every level and region — checked
with an injected clock (``banghdai.core.clock.use_clock``) or deterministic limits, never by
timing the machine: the outcome must be the same on a quiet and on a fully loaded machine.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import banghdai as bd
from banghdai.core import clock
from banghdai.core.status import Status
from banghdai.solvers import network


class Jump:
    """A clock that stands still until ``jump()``, then is ``by`` seconds later for good."""

    def __init__(self, by: float = 1e6) -> None:
        self.offset, self.by = 0.0, by

    def __call__(self) -> float:
        return 1000.0 + self.offset

    def jump(self) -> None:
        self.offset = self.by


def city() -> bd.Problem:
    mentors, mentees = roster = bd.load_sample("yinchuan")
    p = bd.Problem(mentors, mentees, pairing=bd.ManyToMany("capacity", "mentors_required"))
    p.require(bd.SameRegion("county"), bd.MaxDistance(60), bd.SharesDomain(),
              bd.Stronger("rating"), bd.AvoidSame("village"), bd.DistinctTypes("type"))
    p.forbid(roster.forbidden).fix(roster.fixed)
    return p.prefer(levels=[bd.Coverage(priority="priority"), bd.DomainFit(),
                            bd.Closeness(scale_km=30)])


# =========================================================================== compile
def test_time_running_out_while_compiling_gives_unknown(monkeypatch):
    from banghdai.compile import graph

    fake = Jump()
    real = graph._rule_mask

    def mask(*args, **kwargs):  # the deadline passes while the first rule is applied
        fake.jump()
        return real(*args, **kwargs)

    monkeypatch.setattr(graph, "_rule_mask", mask)
    p = city()
    with clock.use_clock(fake):
        r = p.solve(time_limit=5)
    assert r.status is Status.UNKNOWN and r.pairs.empty and r.backend == "none"
    assert r.info["interrupted"] is False and r.info["stopped_in"] == "compile"
    assert "compiling" in r.info["reason"]
    assert len(r.unmatched) == len(p.mentees)
    assert r.unmatched_in("zh")["reason"].str.contains("编译").all()
    with pytest.raises(bd.StatusError):
        r.raise_for_status()


def test_time_running_out_right_after_compiling_starts_no_solver(monkeypatch):
    from banghdai.solvers import run

    fake = Jump()
    real = run.choose_backend

    def chosen(*args, **kwargs):
        fake.jump()
        return real(*args, **kwargs)

    monkeypatch.setattr(run, "choose_backend", chosen)
    with clock.use_clock(fake):
        r = city().solve(time_limit=5)
    assert r.status is Status.UNKNOWN and r.pairs.empty
    assert "before the solver started" in r.info["reason"]


# =========================================================================== network engine
def test_a_network_level_that_would_not_fit_is_not_started(monkeypatch):
    """Level 0 estimated at a million times the build: not started, at once UNKNOWN."""
    monkeypatch.setattr(network, "FIRST_LEVEL_PER_BUILD", 1e9)
    r = city().solve(time_limit=60)
    assert r.backend == "network" and r.status is Status.UNKNOWN and r.pairs.empty
    assert "first level" in r.info["reason"]


def test_later_network_levels_that_would_not_fit_keep_the_first(monkeypatch):
    from banghdai.solvers import netflow

    monkeypatch.setattr(netflow, "LEVEL_MARGIN", 1e9)
    p = city()
    r = p.solve(time_limit=60)
    assert r.backend == "network" and r.status is Status.FEASIBLE
    bd.validate(p, r.pairs).raise_if_invalid()
    assert r.levels["status"].tolist() == ["OPTIMAL"] + ["NOT_SOLVED"] * 4
    full = p.solve(time_limit=None)
    assert r.levels["value"].iloc[0] == full.levels["value"].iloc[0]
    lines = r.outcome("zh")
    assert len(lines) == 4 and all(line.startswith("未在时限内求解") for line in lines)
    assert r.summary()["levels"] == "OPTIMAL, NOT_SOLVED, NOT_SOLVED, NOT_SOLVED, NOT_SOLVED"


def test_no_limit_means_every_level(monkeypatch):
    monkeypatch.setattr(network, "FIRST_LEVEL_PER_BUILD", 1e9)
    r = city().solve(time_limit=None)
    assert r.status is Status.OPTIMAL and r.outcome() == []


def test_the_network_deadline_is_the_injected_clocks(monkeypatch):
    """The clock jumps past the limit once the network is built: no level starts."""
    fake = Jump()
    real = network.build_network

    def built(*args, **kwargs):
        out = real(*args, **kwargs)
        fake.jump()
        return out

    monkeypatch.setattr(network, "build_network", built)
    with clock.use_clock(fake):
        r = city().solve(time_limit=5)
    assert r.backend == "network" and r.status is Status.UNKNOWN


# =========================================================================== teams
def test_each_region_gets_a_share_of_what_is_left(monkeypatch):
    """With a clock that stands still (no region uses any time), each region's deadline
    gives it its size's share of all that is left; none reaches past the call's deadline."""
    from banghdai.apps.teams import model

    fake = Jump()
    seen = []

    def region(spec, r, m, e, *args):  # records the region's deadline, solves nothing
        deadline = args[4]
        seen.append((r, deadline - fake(), 1 + len(e) * max(1, len(m))))
        return model._RegionOutcome(r, Status.OPTIMAL, len(m), len(e), [], 0, 0, 0.0, {})

    monkeypatch.setattr(model, "_solve_region", region)
    mentors, mentees = bd.load_sample("yinchuan")
    keep = sorted(mentees["county"].unique())[:2]
    with clock.use_clock(fake):
        r = bd.form_teams(mentors[mentors.county.isin(keep)], mentees[mentees.county.isin(keep)],
                          region="township", time_limit=30)
    assert r.status.has_solution
    budgets = np.array([b for _, b, _ in seen])
    weights = np.array([w for _, _, w in seen], dtype=float)
    rest = np.cumsum(weights[::-1])[::-1]  # the weight of this region and those after it
    assert budgets == pytest.approx(30.0 * weights / rest)
    assert budgets[-1] == pytest.approx(30.0) and (budgets <= 30.0 + 1e-9).all()


def test_teams_out_of_time_while_building_keeps_the_heuristic(monkeypatch):
    """The deadline passes as each region's model is being built: no CP-SAT search runs and
    every region answers with its checked heuristic teams."""
    from ortools.sat.python import cp_model

    from banghdai.apps.teams import model

    fake = Jump()
    real_build = model._RegionModel.build

    def build(self, deadline=None):
        fake.jump()  # and it stays past every later region's deadline too
        return real_build(self, deadline)

    def no_search(*args, **kwargs):  # pragma: no cover - must not be reached
        raise AssertionError("CP-SAT started after the deadline")

    monkeypatch.setattr(model._RegionModel, "build", build)
    monkeypatch.setattr(cp_model.CpSolver, "solve", no_search)
    mentors, mentees = bd.load_sample("yinchuan")
    keep = sorted(mentees["county"].unique())[:1]
    with clock.use_clock(fake):
        r = bd.form_teams(mentors[mentors.county.isin(keep)], mentees[mentees.county.isin(keep)],
                          region="township", time_limit=30)
    assert r.status is Status.FEASIBLE and r.info["interrupted"] is False
    assert bd.validate_teams(r.spec, r.teams).ok
    assert set(r.regions["status"]) <= {"FEASIBLE", "OPTIMAL", "INFEASIBLE"}
    assert r.placed > 0 and r.gap is not None


# =========================================================================== honest outcome
def test_unproven_levels_are_said_per_level_with_bound_and_gap():
    from banghdai.result import label_levels

    rows = label_levels([
        {"level": 1, "name": "coverage", "status": "FEASIBLE", "value": 93.0, "bound": 98.0},
        {"level": 2, "name": "DomainFit", "status": "OPTIMAL", "value": 310.0, "bound": 310.0},
        {"level": 3, "name": "Closeness", "status": "NOT_SOLVED", "value": 5.0, "bound": None},
    ])
    assert [r["status"] for r in rows] == ["FEASIBLE", "OPTIMAL_GIVEN", "NOT_SOLVED"]
    assert rows[0]["gap"] == pytest.approx(5 / 93) and rows[2]["gap"] is None
    r = bd.Problem(pd.DataFrame({"mentor_id": ["M"]}), pd.DataFrame({"mentee_id": ["E"]})).solve()
    r.status, r.levels = Status.FEASIBLE, pd.DataFrame(rows)
    assert r.outcome("zh") == [
        "未能在时限内证明最优：覆盖 93，上界 98（差距 5.4%）",
        "领域匹配 310：在前面层级的取值下最优（前面层级未证明最优）",
        "未在时限内求解：距离近 5（沿用前面层级的结对）",
    ]
    assert r.outcome("en")[0] == ("not proven optimal within the time limit: coverage 93, "
                                  "upper bound 98 (gap 5.4%)")
    assert r.summary()["levels"] == "FEASIBLE, OPTIMAL_GIVEN, NOT_SOLVED"


# =========================================================================== the CLI
def cli_roster(tmp_path):
    from test_interrupts import RULES

    roster = tmp_path / "roster"
    roster.mkdir()
    mentors, mentees = bd.load_sample("yinchuan")
    mentors.to_csv(roster / "mentors.csv", index=False)
    mentees.to_csv(roster / "mentees.csv", index=False)
    (roster / "rules.toml").write_text(RULES, encoding="utf-8")
    return roster


def test_cli_unproven_pairing_is_written_and_said_on_stderr(tmp_path, capsys, monkeypatch):
    from banghdai.cli import main
    from banghdai.solvers import netflow

    monkeypatch.setattr(netflow, "LEVEL_MARGIN", 1e9)  # only level 1 fits: not all proven
    roster, out = cli_roster(tmp_path), tmp_path / "pairs.csv"
    assert main(["match", str(roster), "--out", str(out), "--quiet", "--lang", "zh"]) == 0
    captured = capsys.readouterr()
    assert out.exists() and "FEASIBLE" in captured.out
    assert "banghdai: 未在时限内求解：" in captured.err  # the unproven levels, in Chinese
    summary = pd.read_csv(tmp_path / "pairs_summary.csv").set_index("item")["value"]
    assert "NOT_SOLVED" in summary["levels"] and "未在时限内求解" in summary["outcome"]


def test_cli_require_optimal_exits_3_and_writes_nothing(tmp_path, capsys, monkeypatch):
    from banghdai.cli import main
    from banghdai.solvers import netflow

    roster, out = cli_roster(tmp_path), tmp_path / "pairs.xlsx"
    out.write_bytes(b"last year's")
    monkeypatch.setattr(netflow, "LEVEL_MARGIN", 1e9)
    assert main(["match", str(roster), "--out", str(out), "--quiet",
                 "--require-optimal"]) == 3
    err = capsys.readouterr().err
    assert "--require-optimal" in err and "not solved in time" in err
    assert out.read_bytes() == b"last year's"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pairs.xlsx", "roster"]
    monkeypatch.undo()  # every level proven: written, exit 0
    assert main(["match", str(roster), "--out", str(out), "--quiet",
                 "--require-optimal"]) == 0
    assert out.read_bytes() != b"last year's"
    assert capsys.readouterr().err == ""


def test_cli_help_documents_the_exit_codes(capsys):
    from banghdai.cli import main

    with pytest.raises(SystemExit):
        main(["match", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "--require-optimal" in text and "3 not proven optimal" in text
    assert "Only exit 0 writes" in text
