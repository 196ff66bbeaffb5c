"""Group-rule benchmarks: ``python benchmarks/bench_groups.py [--quick]``.

Runs on demand (not part of the test suite), prints Markdown and replaces its
own section of ``benchmarks/RESULTS.md`` — the text between
``<!-- bench_groups start -->`` and ``<!-- bench_groups end -->``, appended at
the end when absent; the rest of the file is left as it is.

Cases
-----
1. OR-Library GAP (``../shared/benchmarks/orlib-gap``; skipped when absent):

   * gap1–gap12 (60 instances), both senses, through the public API
     (``OneToMany("capacity", unmatched="forbid")`` + ``PairScore(sense=...)`` +
     ``Load(table=...)``); every solve is asserted OPTIMAL at the known optimum
     and validated. The same 120 solves with a hand-written CP-SAT model
     (``x[i, j]`` Booleans, each job exactly once, ``Σ r x ≤ b`` per agent,
     objective ``Σ c x``) with default parameters + ``num_workers=2``, and with
     banghdai's ``DEFAULT_PARAMS`` too. The three run interleaved instance by
     instance, in rounds; totals are medians over the rounds.
   * gapa–gapd (24 instances, minimisation = the OR-Library sense) with a time
     limit per solve (20 s; ``--quick``: 5 s and only gapa/gapb): value,
     status, bound and gap of banghdai, a plain CP-SAT model at the same limit,
     and the known optimum.

2. City scale (issue 4): ``load_sample("yinchuan")``, ``ManyToMany`` with
   region, distance, domain, strength, avoid-same, ``DistinctTypes``,
   ``Quota``, forbidden and fixed pairs, and three objective levels; also
   without the Quota and with a weighted objective instead of levels.

3. Stable backend: ``benchmarks/bench_stable.py`` in a subprocess, its tables
   embedded (unless RESULTS.md already has them outside this section).

Options
-------
--quick          a short run (one round; see above)
--rounds N       timing rounds for GAP and city scale (default 3; --quick: 1)
--only PART      gap, gapad, city or stable (repeatable); RESULTS.md is then not written
--no-write       print only
--out PATH       the Markdown file to update (default benchmarks/RESULTS.md)
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import subprocess
import sys
import threading
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from ortools.sat.python import cp_model

import banghdai as bd
from banghdai.solvers.cpsat import DEFAULT_PARAMS

HERE = Path(__file__).resolve().parent
GAP_DIR = Path(__file__).resolve().parents[2] / "shared" / "benchmarks" / "orlib-gap"
START, END = "<!-- bench_groups start -->", "<!-- bench_groups end -->"
GAP_TIME_LIMIT = 60.0
CITY_TIME_LIMIT = 120.0
CITY_GOAL_SECONDS = 10.0
RATIO_GOAL = 1.2
#: Status of the minimisation values of gapa–gapd, from the data folder's README.md.
GAPAD_KNOWN = {
    "a": "proven (re-proven in the data README)",
    "b": "proven (re-proven in the data README)",
    "c": "proven (re-proven in the data README)",
    "d": "literature value, not re-proven there",
}
D20200_OPEN = (12235, 12241)


# =========================================================================== helpers
class LoadMeter:
    """Samples the 1-minute load average every ``every`` seconds in a daemon thread."""

    def __init__(self, every: float = 2.0) -> None:
        self.every = every
        self.samples: list[float] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while True:
            self.samples.append(os.getloadavg()[0])
            if self._stop.wait(self.every):
                return

    def __enter__(self) -> LoadMeter:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.samples.append(os.getloadavg()[0])

    def text(self) -> str:
        s = self.samples or [float("nan")]
        return f"{min(s):.2f} – {max(s):.2f} (median {statistics.median(s):.2f})"


def md_table(head: list[str], rows: list[list[Any]]) -> list[str]:
    out = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    out += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return out


def f_s(x: float | None) -> str:
    if x is None or (isinstance(x, float) and np.isnan(x)):
        return "–"
    return f"{x:.3f}" if x < 1 else f"{x:.2f}" if x < 100 else f"{x:.1f}"


def f_num(x: float | None) -> str:
    if x is None or (isinstance(x, float) and np.isnan(x)):
        return "–"
    return f"{x:,.0f}" if float(x).is_integer() else f"{x:,.3f}"


def median(xs: list[float]) -> float:
    return float(statistics.median(xs))


def runs_text(xs: list[float]) -> str:
    return ", ".join(f_s(x) for x in xs)


def git_state() -> str:
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=HERE, capture_output=True, text=True,
                              check=False).stdout.strip()

    head = git("rev-parse", "--short", "HEAD") or "?"
    dirty = git("status", "--porcelain", "--", "src")
    return head + (" + uncommitted changes in src/" if dirty else "")


# =========================================================================== GAP data
def read_gap(path: Path) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """(cost m×n, resource m×n, capacity m) per problem of an OR-Library GAP file."""
    tokens = np.array(path.read_text().split(), dtype=np.int64)
    count, pos, out = int(tokens[0]), 1, []
    for _ in range(count):
        m, n = int(tokens[pos]), int(tokens[pos + 1])
        pos += 2
        cost = tokens[pos:pos + m * n].reshape(m, n)
        pos += m * n
        res = tokens[pos:pos + m * n].reshape(m, n)
        pos += m * n
        cap = tokens[pos:pos + m]
        pos += m
        out.append((cost, res, cap))
    return out


def gap_instances(files: list[str]) -> list[dict[str, Any]]:
    known = pd.read_csv(GAP_DIR / "known_values.csv")
    out = []
    for name in files:
        rows = known[known.file == f"{name}.txt"].sort_values("index_in_file")
        for (cost, res, cap), (_, row) in zip(read_gap(GAP_DIR / f"{name}.txt"),
                                              rows.iterrows(), strict=True):
            out.append({"file": name, "name": row["name"], "cost": cost, "res": res,
                        "cap": cap, "max": row["max_optimum"], "min": row["min_optimum"]})
    return out


def gap_problem(cost: np.ndarray, res: np.ndarray, cap: np.ndarray, sense: str) -> bd.Problem:
    """The GAP through banghdai's public API (as in tests/test_groups.py)."""
    m, n = cost.shape
    i, j = np.divmod(np.arange(m * n), n)
    table = pd.DataFrame({"mentor_id": i, "mentee_id": j, "cost": cost.ravel(),
                          "load": res.ravel()})
    p = bd.Problem(pd.DataFrame({"mentor_id": np.arange(m), "capacity": cap}),
                   pd.DataFrame({"mentee_id": np.arange(n)}),
                   pairing=bd.OneToMany("capacity", unmatched="forbid"))
    return p.prefer(bd.PairScore(table, "cost", sense=sense)).require(bd.Load(table=table))


def plain_gap(cost: np.ndarray, res: np.ndarray, cap: np.ndarray, sense: str,
              time_limit: float, library_params: bool) -> dict[str, Any]:
    """A hand-written CP-SAT model of the GAP, built and solved; value, bound, status."""
    m, n = cost.shape
    model = cp_model.CpModel()
    x = [[model.new_bool_var(f"x{i}_{j}") for j in range(n)] for i in range(m)]
    for j in range(n):
        model.add_exactly_one(x[i][j] for i in range(m))
    for i in range(m):
        model.add(cp_model.LinearExpr.weighted_sum(x[i], res[i].tolist()) <= int(cap[i]))
    flat = [v for row in x for v in row]
    objective = cp_model.LinearExpr.weighted_sum(flat, cost.ravel().tolist())
    if sense == "max":
        model.maximize(objective)
    else:
        model.minimize(objective)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 2
    solver.parameters.max_time_in_seconds = float(time_limit)
    if library_params:
        for key, value in DEFAULT_PARAMS.items():
            target = getattr(solver.parameters, key)
            if hasattr(target, "extend") and not isinstance(value, str | bytes):
                target.clear()
                target.extend(list(value))
            else:
                setattr(solver.parameters, key, value)
    code = solver.solve(model)
    value = bound = None
    if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        value = float(round(solver.objective_value))
        bound = float(solver.best_objective_bound)
    return {"status": solver.status_name(code), "value": value, "bound": bound,
            "solver_seconds": solver.wall_time}


# =========================================================================== 1a. gap1–gap12
def bench_gap(rounds: int) -> dict[str, Any]:
    instances = gap_instances([f"gap{k}" for k in range(1, 13)])
    variants = ("banghdai", "plain", "plain_lib")
    # per round, per variant: list of (seconds, solver seconds, reached optimum) per solve
    totals: dict[str, list[float]] = {v: [] for v in variants}
    solver_totals: dict[str, list[float]] = {v: [] for v in variants}
    per_file: dict[tuple[str, str], list[float]] = {}
    per_solve: dict[tuple[str, str, str], list[float]] = {}
    misses: dict[str, list[str]] = {v: [] for v in variants}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        bd.Problem(pd.DataFrame({"mentor_id": [0]}), pd.DataFrame({"mentee_id": [0]})).solve(
            backend="cpsat")  # imports and first-call costs out of the timing
    with LoadMeter() as load:
        for rnd in range(rounds):
            tot = dict.fromkeys(variants, 0.0)
            stot = dict.fromkeys(variants, 0.0)
            for inst in instances:
                for sense in ("max", "min"):
                    known = float(inst[sense])
                    t0 = time.perf_counter()
                    problem = gap_problem(inst["cost"], inst["res"], inst["cap"], sense)
                    result = problem.solve(time_limit=GAP_TIME_LIMIT)
                    sec = {"banghdai": time.perf_counter() - t0}
                    assert result.status is bd.Status.OPTIMAL, (inst["name"], sense, result.status)
                    assert result.objective == known, (inst["name"], sense, result.objective, known)
                    if rnd == 0:
                        bd.validate(problem, result.pairs).raise_if_invalid()
                    stot["banghdai"] += result.info.get("solver_seconds", 0.0)
                    for variant, lib in (("plain", False), ("plain_lib", True)):
                        t0 = time.perf_counter()
                        out = plain_gap(inst["cost"], inst["res"], inst["cap"], sense,
                                        GAP_TIME_LIMIT, lib)
                        sec[variant] = time.perf_counter() - t0
                        stot[variant] += out["solver_seconds"]
                        if out["status"] != "OPTIMAL" or out["value"] != known:
                            misses[variant].append(f"{inst['name']} {sense} (round {rnd + 1}: "
                                                   f"{out['status']} {out['value']})")
                    for variant, s in sec.items():
                        tot[variant] += s
                        per_file.setdefault((inst["file"], variant), [0.0] * rounds)[rnd] += s
                        per_solve.setdefault((f"{inst['name']} {sense}", variant),
                                             []).append(s)
            for v in variants:
                totals[v].append(tot[v])
                solver_totals[v].append(stot[v])
            print(f"  GAP round {rnd + 1}/{rounds}: " + ", ".join(
                f"{v} {tot[v]:.1f} s" for v in variants), file=sys.stderr)
    shapes = {inst["file"]: f"{inst['cost'].shape[0]} × {inst['cost'].shape[1]}"
              for inst in instances}
    return {"totals": totals, "solver_totals": solver_totals, "per_file": per_file,
            "per_solve": per_solve, "misses": misses, "shapes": shapes, "rounds": rounds,
            "solves": 2 * len(instances), "load": load.text()}


def report_gap(g: dict[str, Any]) -> list[str]:
    t = {v: median(x) for v, x in g["totals"].items()}
    st = {v: median(x) for v, x in g["solver_totals"].items()}
    ratio, ratio_lib = t["banghdai"] / t["plain"], t["banghdai"] / t["plain_lib"]
    n = g["solves"]
    label = {"banghdai": "banghdai (public API, backend auto → cpsat)",
             "plain": "plain CP-SAT, default parameters + num_workers=2",
             "plain_lib": f"plain CP-SAT, banghdai's DEFAULT_PARAMS {DEFAULT_PARAMS} + "
                          "num_workers=2"}
    rows = []
    for v in ("banghdai", "plain", "plain_lib"):
        reached = n - len({m.split(" (")[0] for m in g["misses"].get(v, [])})
        rows.append([label[v], f"**{f_s(t[v])}**", runs_text(g["totals"][v]), f_s(st[v]),
                     f"{reached} / {n}" if v != "banghdai" else f"{n} / {n} (asserted)",
                     "1.00" if v == "banghdai" else f"{t['banghdai'] / t[v]:.2f}"])
    verdict = "met" if ratio <= RATIO_GOAL else "NOT met"
    lines = [
        "### e1. OR-Library GAP gap1–gap12: 60 instances × {max, min} = 120 solves", "",
        f"Every banghdai solve (`OneToMany('capacity', unmatched='forbid')` + "
        f"`PairScore(table, 'cost', sense=...)` + `Load(table=table)`, `solve(time_limit="
        f"{GAP_TIME_LIMIT:g})`) is asserted `OPTIMAL` at the known optimum of "
        "`known_values.csv` and validated with `bd.validate`. Plain = a hand-written CP-SAT "
        "model (x[i,j] Booleans, `add_exactly_one` per job, Σ r·x ≤ b per agent, objective "
        f"Σ c·x) with the same time limit. *Total s* = wall time of all {n} solves, each "
        "including its model/problem construction (banghdai: DataFrames → `Problem` → "
        "`solve`, i.e. compile, flow relaxation, CP-SAT, result DataFrames; plain: model "
        "building + `CpSolver.solve`); the three run interleaved instance by instance; "
        f"median over {g['rounds']} round(s). *CP-SAT s* = the sum of CP-SAT's own wall "
        "time (banghdai: `result.info['solver_seconds']`; plain: `solver.wall_time`). "
        f"Load average during this part: {g['load']}.", "",
        *md_table(["variant", "total s (median)", "rounds s", "CP-SAT s (median)",
                   "known optimum reached", "ratio banghdai / this"], rows),
        "",
        f"**All 120 banghdai solves OPTIMAL at the known optimum. Total {f_s(t['banghdai'])} s; "
        f"ratio banghdai / plain CP-SAT = {ratio:.2f}× with CP-SAT defaults, {ratio_lib:.2f}× "
        f"with banghdai's parameters (goal ≤ {RATIO_GOAL}×: {verdict}).**",
    ]
    for v, miss in g["misses"].items():
        if miss:
            lines += ["", f"{label[v]} missed the optimum within {GAP_TIME_LIMIT:g} s on: "
                      + "; ".join(miss[:12]) + (" …" if len(miss) > 12 else "")]
    files = sorted({f for f, _ in g["per_file"]}, key=lambda f: int(f[3:]))
    frows = []
    for f in files:
        vals = {v: median(g["per_file"][(f, v)]) for v in ("banghdai", "plain", "plain_lib")}
        frows.append([f, g["shapes"][f], f_s(vals["banghdai"]), f_s(vals["plain"]),
                      f_s(vals["plain_lib"]), f"{vals['banghdai'] / vals['plain']:.2f}"])
    lines += ["", "Per file (5 instances × 2 senses, seconds, median over rounds):", "",
              *md_table(["file", "agents × jobs", "banghdai s", "plain default s",
                         "plain lib-params s", "ratio vs default"], frows)]
    slow = sorted(((median(v), k) for k, v in g["per_solve"].items()), reverse=True)
    top = [f"{k[0]} [{k[1]}] {f_s(s)} s" for s, k in slow[:6]]
    lines += ["", "Slowest single solves (median): " + "; ".join(top) + "."]
    return lines


# =========================================================================== 1b. gapa–gapd
def _gapad_once(inst: dict[str, Any], limit: float) -> tuple[dict[str, Any], dict[str, Any]]:
    """One banghdai and one plain CP-SAT solve of a gapa–gapd instance (min)."""
    t0 = time.perf_counter()
    problem = gap_problem(inst["cost"], inst["res"], inst["cap"], "min")
    result = problem.solve(time_limit=limit)
    sec = time.perf_counter() - t0
    valid = (bd.validate(problem, result.pairs).ok
             if result.status in (bd.Status.OPTIMAL, bd.Status.FEASIBLE) else None)
    ours = {"status": result.status.value, "value": result.objective, "bound": result.bound,
            "gap": result.gap, "seconds": sec, "valid": valid}
    t0 = time.perf_counter()
    plain = plain_gap(inst["cost"], inst["res"], inst["cap"], "min", limit, False)
    plain["seconds"] = time.perf_counter() - t0
    plain["gap"] = (abs(plain["value"] - plain["bound"]) / max(abs(plain["value"]), 1e-9)
                    if plain["value"] is not None else None)
    print(f"  {inst['name']}: {ours['status']} {ours['value']} [{ours['bound']}] {sec:.1f} s; "
          f"plain {plain['status']} {plain['value']} [{plain['bound']}] "
          f"{plain['seconds']:.1f} s", file=sys.stderr)
    return ours, plain


def bench_gapad(files: list[str], limit: float, rounds: int) -> dict[str, Any]:
    """Round 1 on every instance; rounds 2.. only where banghdai or plain did not prove
    optimality (the value reached at a time limit varies from run to run)."""
    rows = []
    with LoadMeter() as load:
        for inst in gap_instances(files):
            ours, plain = _gapad_once(inst, limit)
            rows.append({"file": inst["file"], "name": inst["name"], "inst": inst,
                         "shape": f"{inst['cost'].shape[0]} × {inst['cost'].shape[1]}",
                         "known": None if pd.isna(inst["min"]) else float(inst["min"]),
                         "ours": [ours], "plain": [plain]})
        for _ in range(rounds - 1):
            for row in rows:
                if all(r[0]["status"] == "OPTIMAL" for r in (row["ours"], row["plain"])):
                    continue
                ours, plain = _gapad_once(row["inst"], limit)
                row["ours"].append(ours)
                row["plain"].append(plain)
    for row in rows:
        row.pop("inst")
    return {"rows": rows, "limit": limit, "files": files, "load": load.text(),
            "rounds": rounds}


def _runs_summary(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Statuses per run, median value and gap, best (largest, min sense) bound, median s."""
    vals = [r["value"] for r in runs if r["value"] is not None]
    bounds = [r["bound"] for r in runs if r["bound"] is not None]
    gaps = [r["gap"] for r in runs if r["gap"] is not None]
    statuses = [r["status"] for r in runs]
    status = (statuses[0] if len(set(statuses)) == 1 and len(runs) == 1 else
              ", ".join(f"{s} ×{statuses.count(s)}" for s in dict.fromkeys(statuses)))
    return {"status": status, "value": median(vals) if vals else None,
            "values": vals, "bound": max(bounds) if bounds else None,
            "gap": median(gaps) if gaps else None,
            "seconds": median([r["seconds"] for r in runs]),
            "all_optimal": all(s == "OPTIMAL" for s in statuses),
            "any_optimal": "OPTIMAL" in statuses}


def _value_text(s: dict[str, Any]) -> str:
    if not s["values"]:
        return "–"
    lo, hi = min(s["values"]), max(s["values"])
    return f_num(s["value"]) + ("" if lo == hi else f" ({f_num(lo)}–{f_num(hi)})")


def report_gapad(g: dict[str, Any]) -> list[str]:
    out, problems = [], []
    summaries = []
    for r in g["rows"]:
        kind = r["file"][-1]
        ours, plain = _runs_summary(r["ours"]), _runs_summary(r["plain"])
        summaries.append((r, ours, plain))
        if r["known"] is None:
            lo, hi = D20200_OPEN
            known, note, ref = f"open [{lo:,}, {hi:,}]", "open", float(lo)
        else:
            known, note, ref = f"{r['known']:,.0f}", GAPAD_KNOWN[kind], r["known"]
        to_known = None if ours["value"] is None else (ours["value"] - ref) / ref
        for who, runs in (("banghdai", r["ours"]), ("plain", r["plain"])):
            for run in runs:
                if r["known"] is not None and run["value"] is not None and \
                        run["value"] < r["known"]:
                    problems.append(f"{r['name']} {who}: value {run['value']:.0f} below the "
                                    "known optimum")
                if (run["bound"] is not None and r["known"] is not None
                        and run["bound"] > r["known"] and kind != "d"):
                    problems.append(f"{r['name']} {who}: bound {run['bound']:.0f} above the "
                                    f"proven optimum {r['known']:.0f}")
                if run.get("valid") is False:
                    problems.append(f"{r['name']}: validate() found violations")
        out.append([r["name"], r["shape"], ours["status"], _value_text(ours),
                    f_num(ours["bound"]),
                    "–" if ours["gap"] is None else f"{100 * ours['gap']:.2f} %",
                    "–" if to_known is None else f"{100 * to_known:+.2f} %", known, note,
                    f_s(ours["seconds"]), plain["status"], _value_text(plain),
                    f_num(plain["bound"]),
                    "–" if plain["gap"] is None else f"{100 * plain['gap']:.2f} %",
                    f_s(plain["seconds"])])
    n = len(summaries)
    all_opt = sum(o["all_optimal"] for _, o, _ in summaries)
    any_opt = sum(o["any_optimal"] for _, o, _ in summaries)
    p_all = sum(p["all_optimal"] for _, _, p in summaries)
    p_any = sum(p["any_optimal"] for _, _, p in summaries)
    gaps = [o["gap"] for _, o, _ in summaries if o["gap"] is not None]
    pgaps = [p["gap"] for _, _, p in summaries if p["gap"] is not None]
    open_ = [f"{r['name']} {100 * o['gap']:.2f} %" for r, o, _ in summaries
             if not o["all_optimal"] and o["gap"] is not None]
    names = ", ".join(f"gap{f[-1]}" for f in g["files"])
    lines = [
        f"### e2. {names}: minimisation (the OR-Library sense), {g['limit']:g} s per solve", "",
        f"banghdai: the same public-API model, `sense='min'`, `solve(time_limit={g['limit']:g})`"
        ". Plain = the hand-written CP-SAT model with default parameters, num_workers=2, the "
        f"same {g['limit']:g} s, run right after banghdai on the same instance. At a time "
        "limit the value reached, not the time, is the measure, and with 2 workers on a shared "
        "machine it varies from run to run: every instance runs once, and those that either "
        f"solver did not prove optimal run {g['rounds']} times in all (statuses per run; "
        "*value* = median (range), *bound* = best lower bound over the runs, *gap* = median of "
        "the runs' |bound − value| / value — banghdai's own `result.gap`; *s* = median). *To "
        "known* = (median value − known optimum) / known optimum. *Known* from "
        "`known_values.csv` (`min_optimum`); its status from the data README. Load average "
        f"during this part: {g['load']}.", "",
        *md_table(["instance", "agents × jobs", "banghdai status", "value", "bound", "gap",
                   "to known", "known optimum", "known status", "s", "plain status",
                   "plain value", "plain bound", "plain gap", "plain s"], out),
        "",
    ]
    if gaps:
        lines.append(
            f"**banghdai: {all_opt} / {n} proven optimal in every run ({any_opt} / {n} in at "
            f"least one), gap median {100 * median(gaps):.2f} %, max {100 * max(gaps):.2f} %; "
            f"plain CP-SAT: {p_all} / {n} in every run ({p_any} / {n} in at least one), gap "
            f"median {100 * median(pgaps):.2f} %, max {100 * max(pgaps):.2f} %.** Not proven "
            f"by banghdai in every run: {', '.join(open_) or 'none'}.")
    else:
        lines.append("**No solution found within the time limit.**")
    if problems:
        lines += ["", "**Checks failed:** " + "; ".join(problems)]
    else:
        lines += ["", "Checks: no value below a known optimum, no bound above a proven "
                  "optimum (types a–c), every banghdai solution validates."]
    return lines


# =========================================================================== 2. city scale
CITY_VARIANTS = {
    "full": "levels [Coverage(priority), DomainFit, Closeness(30 km)], with Quota",
    "no-quota": "the same levels, without the Quota",
    "weighted": "with Quota, weighted prefer(DomainFit(), Closeness(30 km)) (coverage first, "
                "no priority), no levels",
}


def city_problem(roster: Any, variant: str) -> bd.Problem:
    mentors, mentees = roster
    p = bd.Problem(mentors, mentees, pairing=bd.ManyToMany("capacity", "mentors_required"))
    rules = [bd.SameRegion("county"), bd.MaxDistance(60), bd.SharesDomain(),
             bd.Stronger("rating"), bd.AvoidSame("village"), bd.DistinctTypes("type")]
    if variant != "no-quota":
        rules.append(bd.Quota("tier", side="mentor", max={"city": 60}))
    p.require(*rules).forbid(roster.forbidden).fix(roster.fixed)
    if variant == "weighted":
        # Coverage is a level only (prefer(*scores) refuses it); without levels coverage
        # comes first anyway, counted over all mentor slots, priority ignored
        p.prefer(bd.DomainFit(), bd.Closeness(scale_km=30))
    else:
        p.prefer(levels=[bd.Coverage(priority="priority"), bd.DomainFit(),
                         bd.Closeness(scale_km=30)])
    return p


def bench_city(rounds: int, variants: list[str]) -> dict[str, Any]:
    roster = bd.load_sample("yinchuan")
    runs: dict[str, list[dict[str, Any]]] = {v: [] for v in variants}
    with LoadMeter() as load:
        for rnd in range(rounds):
            for v in variants:
                load_before = os.getloadavg()[0]
                t0 = time.perf_counter()
                problem = city_problem(roster, v)
                result = problem.solve(time_limit=CITY_TIME_LIMIT)
                sec = time.perf_counter() - t0
                check = bd.validate(problem, result.pairs)
                summary = result.summary()
                runs[v].append({
                    "seconds": sec, "status": result.status.value,
                    "objective": result.objective, "bound": result.bound, "gap": result.gap,
                    "levels": None if result.levels is None else result.levels.to_dict("records"),
                    "valid": check.ok, "violations": len(check.violations),
                    "pairs": len(result.pairs), "coverage": summary.get("coverage"),
                    "edges": result.info.get("n_edges"), "split": result.info.get("split"),
                    "components": result.info.get("components"),
                    "load": load_before,
                })
                print(f"  city {v} round {rnd + 1}/{rounds}: {result.status.value} {sec:.1f} s",
                      file=sys.stderr)
    return {"runs": runs, "rounds": rounds, "load": load.text()}


def report_city(c: dict[str, Any]) -> list[str]:
    rows = []
    for v, runs in c["runs"].items():
        secs = [r["seconds"] for r in runs]
        statuses = ", ".join(r["status"] for r in runs)
        objs = sorted({f_num(r["objective"]) for r in runs})
        valid = all(r["valid"] for r in runs)
        goal = all(r["status"] == "OPTIMAL" and r["seconds"] <= CITY_GOAL_SECONDS for r in runs)
        rows.append([v, CITY_VARIANTS[v], statuses, f"**{f_s(median(secs))}**", runs_text(secs),
                     " / ".join(objs), f"{runs[0]['pairs']:,}",
                     f"{runs[0]['coverage']:.3f}" if runs[0]["coverage"] is not None else "–",
                     "clean" if valid else "VIOLATIONS",
                     (f"{runs[0]['components']} counties" if runs[0].get("split")
                      else "whole"),
                     "met" if goal else "not met"])
    lines = [
        "### e3. City scale (issue 4): Yinchuan sample, many-to-many with group rules", "",
        "`bd.load_sample('yinchuan')` (483 mentors, 600 mentees), `ManyToMany('capacity', "
        "'mentors_required')`, `require(SameRegion('county'), MaxDistance(60), SharesDomain(), "
        "Stronger('rating'), AvoidSame('village'), DistinctTypes('type'), Quota('tier', "
        "side='mentor', max={'city': 60}))`, `forbid(roster.forbidden)`, `fix(roster.fixed)`, "
        f"`solve(time_limit={CITY_TIME_LIMIT:g})` (2 CP-SAT workers). *s* = wall time of "
        "`Problem` construction + `solve` (the levels share the time limit: each level gets "
        "an equal share of the time left). Variants run interleaved, "
        f"{c['rounds']} round(s); *validate* = `bd.validate(problem, result.pairs)` on every "
        f"run. Load average during this part: {c['load']} — on a 2-core machine, so "
        "CP-SAT's two workers competed with other processes for the cores.", "",
        *md_table(["variant", "model", "status per run", "s (median)", "runs s",
                   "objective (last level)", "pairs", "coverage", "validate", "solved",
                   f"goal OPTIMAL ≤ {CITY_GOAL_SECONDS:g} s"], rows),
        "", "*solved*: `split='auto'` solves the counties apart when no rule ties them (the "
        "distinct-type rule and the levels act per mentee); the city-wide quota on city-level "
        "mentors does tie them, so those variants are solved whole.",
    ]
    for v, runs in c["runs"].items():
        if not runs[0]["levels"]:
            continue
        n = len(runs[0]["levels"])
        lrows = []
        for k in range(n):
            per = [r["levels"][k] for r in runs if r["levels"] and len(r["levels"]) > k]
            lrows.append([per[0]["level"], per[0]["name"],
                          ", ".join(str(x["status"]) for x in per),
                          " / ".join(sorted({f_num(x["value"]) for x in per})),
                          " / ".join(sorted({f_num(x["bound"]) for x in per})),
                          f_s(median([x["seconds"] for x in per])),
                          runs_text([x["seconds"] for x in per])])
        lines += ["", f"`result.levels`, variant *{v}* (values/bounds over the runs; "
                  "seconds median):", "",
                  *md_table(["level", "name", "status per run", "value", "bound", "s (median)",
                             "runs s"], lrows)]
    full = c["runs"].get("full")
    if full:
        secs = median([r["seconds"] for r in full])
        ok = all(r["status"] == "OPTIMAL" for r in full)
        met = ok and all(r["seconds"] <= CITY_GOAL_SECONDS for r in full)
        lines += ["", f"**Issue 4 goal (proven optimal in ≤ {CITY_GOAL_SECONDS:g} s on 2 cores): "
                  f"{'met' if met else 'NOT met'} — the full model is "
                  f"{'OPTIMAL' if ok else 'not always OPTIMAL'} in {f_s(secs)} s (median, "
                  f"{full[0]['edges']:,} candidate pairs, not split into components: "
                  f"split={full[0]['split']}).**"]
    return lines


# =========================================================================== 3. stable backend
def stable_in_results(path: Path) -> bool:
    """Whether RESULTS.md already has bench_stable's table outside this script's section."""
    if not path.exists():
        return False
    text = path.read_text()
    if START in text and END in text:
        text = text[:text.index(START)] + text[text.index(END) + len(END):]
    return "| case | proposer | banghdai s |" in text


def bench_stable(quick: bool) -> dict[str, Any]:
    cmd = [sys.executable, str(HERE / "bench_stable.py")] + (["--quick"] if quick else [])
    load0 = os.getloadavg()[0]
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False, cwd=HERE)
    return {"stdout": proc.stdout, "stderr": proc.stderr, "code": proc.returncode,
            "seconds": time.perf_counter() - t0, "load": (load0, os.getloadavg()[0]),
            "quick": quick}


def report_stable(s: dict[str, Any]) -> list[str]:
    head = ["### e4. Stable backend (`benchmarks/bench_stable.py"
            + (" --quick" if s["quick"] else "") + "`)", ""]
    if s.get("skipped"):
        return head + [s["skipped"]]
    if s["code"]:
        tail = s["stderr"].strip().splitlines()[-5:]
        return head + [f"bench_stable.py exited {s['code']}:", "", "```", *tail, "```"]
    return head + [f"Its output, verbatim (ran {s['seconds']:.0f} s in fresh interpreters; "
                   f"load average {s['load'][0]:.2f} before, {s['load'][1]:.2f} after):", "",
                   *s["stdout"].strip().splitlines()]


# =========================================================================== main
def section(parts: list[str], quick: bool, wall: float, rounds: int) -> list[str]:
    import ortools

    cmd = "python benchmarks/bench_groups.py" + (" --quick" if quick else "")
    info = (f"{os.cpu_count()} cores, {platform.processor() or platform.machine()}, Python "
            f"{platform.python_version()}, OR-Tools {ortools.__version__}, banghdai "
            f"{bd.__version__}, git {git_state()}, "
            f"{dt.datetime.now(dt.UTC).strftime('%Y-%m-%d %H:%M')} UTC")
    return [START, "", "## e. Group rules: OR-Library GAP, city scale, stable backend", "",
            f"Generated by `{cmd}` in {wall / 60:.1f} min ({info}). Timed parts: "
            + (f"{rounds} round(s), medians reported" if rounds >= 3 else
               f"**{rounds} round(s) only, so not medians of ≥ 3 runs; rerun without --quick**")
            + ". Wall-clock seconds; other processes share this 2-core machine (load "
            "averages per part below).", "", *parts, "", END]


def write_section(path: Path, lines: list[str]) -> None:
    text = path.read_text() if path.exists() else ""
    block = "\n".join(lines)
    if START in text and END in text:
        before, after = text[:text.index(START)], text[text.index(END) + len(END):]
        text = before + block + after
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    path.write_text(text)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--rounds", type=int, default=None)
    ap.add_argument("--only", action="append", choices=["gap", "gapad", "city", "stable"])
    ap.add_argument("--no-write", action="store_true")
    ap.add_argument("--out", type=Path, default=HERE / "RESULTS.md")
    args = ap.parse_args(argv)
    rounds = args.rounds or (1 if args.quick else 3)
    only = set(args.only or ["gap", "gapad", "city", "stable"])
    start = time.perf_counter()
    parts: list[str] = []

    def add(title: str, fn: Callable[[], list[str]]) -> None:
        print(f"{title} …", file=sys.stderr)
        parts.extend(["", *fn()] if parts else fn())

    have_gap = GAP_DIR.is_dir()
    if not have_gap and only & {"gap", "gapad"}:
        parts += ["### e1–e2. OR-Library GAP", "", f"Skipped: data not found in {GAP_DIR}."]
    if have_gap and "gap" in only:
        add("gap1–gap12", lambda: report_gap(bench_gap(rounds)))
    if have_gap and "gapad" in only:
        files, limit = (["gapa", "gapb"], 5.0) if args.quick else (
            ["gapa", "gapb", "gapc", "gapd"], 20.0)
        add("gapa–gapd", lambda: report_gapad(bench_gapad(files, limit, rounds)))
    if "city" in only:
        variants = ["full"] if args.quick else list(CITY_VARIANTS)
        add("city scale", lambda: report_city(bench_city(rounds, variants)))
    if "stable" in only:
        if stable_in_results(args.out):
            add("stable", lambda: report_stable(
                {"skipped": "Already in RESULTS.md above; not repeated.", "quick": args.quick}))
        else:
            add("stable", lambda: report_stable(bench_stable(args.quick)))
    lines = section(parts, args.quick, time.perf_counter() - start, rounds)
    print("\n".join(lines))
    if not args.no_write and args.only is None:
        write_section(args.out, lines)
        print(f"\nwrote the bench_groups section of {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
