"""The network as CP-SAT's backbone (issue 16, item 1): ``python benchmarks/bench_backbone.py``.

Prints (Markdown) what the issue asks to show; writes nothing.

a. **Mentors quota**: the Yinchuan city (三型, priority levels; ``bench_groups.city_problem``
   ``no-quota`` variant, as in the issue) plus ``Quota("tier", side="mentor",
   max={"city": 40}, count="mentors")``, ``backend="auto"`` (→ CP-SAT), ``time_limit=10``:
   every level against the optimum. The optimum is the network relaxation's (155, 179, 318,
   631.833, 490.688): the repaired relaxation reaches it, so it is proven. The same with a
   *binding* quota (``max={"city": 20}``; the relaxation uses 34 city mentors) against its
   optimum, proven by a long CP-SAT run (``--long S`` re-runs it).
b. **Forced CP-SAT city**: ``city_problem(.., "full")`` with ``backend="cpsat"``: seconds
   until the result has priority-2 coverage 179 (end to end, one call), every level.
c. **Four cities** (1,932 × 2,400, ``bench_province.province(4)``) with ``backend="cpsat"``
   at 5 s and 20 s: whole with each city's tier quota (``bench_network.city_quota_problem``)
   and without it (split by county), against the network optimum; and with at most 20
   city mentors used per city (a rule only CP-SAT holds), against 4 × the city's optimum.

Options: ``--only a|b|c`` (repeatable), ``--long S`` (part a: the binding quota's long
reference run, S seconds), ``--rounds N`` (part b, default 3).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from pathlib import Path

import banghdai as bd

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_groups import city_problem  # noqa: E402
from bench_network import city_quota_problem  # noqa: E402
from bench_province import province  # noqa: E402

CITY_OPTIMUM = (155.0, 179.0, 318.0, 631.833333, 490.687710)
#: the binding quota's optimum (max 20 city mentors used): ``--long 600`` proved every
#: level OPTIMAL in 256 s (a shared 2-core machine at load ≈ 7, 2026-12-07)
BINDING_BEST: tuple[float, ...] | None = (155.0, 179.0, 318.0, 631.833333, 489.595171)


def levels_of(r: bd.Result) -> list[float]:
    return [] if r.levels is None else [float(v) for v in r.levels["value"]]


def fmt(values) -> str:
    return ", ".join(f"{v:.6g}" for v in values)


def within(values, ref) -> str:
    if not ref or len(values) != len(ref):
        return "—"
    worst = max(abs(v - b) / max(abs(b), 1e-9) for v, b in zip(values, ref, strict=True))
    return f"{100 * worst:.2f} %"


def mentors_quota(roster, k: int) -> bd.Problem:
    p = city_problem(roster, "no-quota")
    return p.require(bd.Quota("tier", side="mentor", max={"city": k}, count="mentors"))


def part_a(long: float) -> list[str]:
    roster = bd.load_sample("yinchuan")
    rows = []
    for k, ref in ((40, CITY_OPTIMUM), (20, BINDING_BEST)):
        p = mentors_quota(roster, k)
        t0 = time.perf_counter()
        r = p.solve(time_limit=10, progress=False)
        wall = time.perf_counter() - t0
        ok = bd.validate(p, r.pairs).ok
        rows.append(f"| max {k} city mentors | {r.backend} | {wall:.2f} | {r.status.value} | "
                    f"{fmt(levels_of(r))} | {', '.join(r.levels['status'])} | "
                    f"{fmt(ref) if ref else '—'} | {within(levels_of(r), ref)} | {ok} |")
        if k == 20 and long > 0:
            t0 = time.perf_counter()
            r2 = p.solve(time_limit=long, progress=False)
            rows.append(f"| max 20, long run | {r2.backend} | {time.perf_counter() - t0:.1f} | "
                        f"{r2.status.value} | {fmt(levels_of(r2))} | "
                        f"{', '.join(r2.levels['status'])} | | | "
                        f"{bd.validate(p, r2.pairs).ok} |")
    return ["### a. Mentors quota (time_limit=10, auto)", "",
            "| model | backend | s | status | levels | level status | optimum / best known"
            " | worst level off | valid |", "|---|---|---:|---|---|---|---|---:|---|", *rows]


def part_b(rounds: int) -> list[str]:
    roster = bd.load_sample("yinchuan")
    p = city_problem(roster, "full")
    rows = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        r = p.solve(backend="cpsat", time_limit=60, progress=False)
        wall = time.perf_counter() - t0
        rows.append(f"| {wall:.2f} | {r.status.value} | {fmt(levels_of(r))} | "
                    f"{levels_of(r)[1] == 179} | {bd.validate(p, r.pairs).ok} |")
    return ["### b. City forced onto CP-SAT (time_limit=60; target: level 2 = 179 in ≤ 3 s)",
            "", "| s (whole call) | status | levels | level 2 = 179 | valid |",
            "|---:|---|---|---|---|", *rows]


def part_c() -> list[str]:
    prov = province(4)
    rows = []
    quota = city_quota_problem(prov, 4, quota=False).require(bd.Quota(
        "tier", side="mentor", max={f"C{c:02d}-city": 20 for c in range(4)}, count="mentors"))
    for label, problem in (("with each city's tier quota (whole)", city_quota_problem(prov, 4)),
                           ("without the quota (split by county)",
                            city_quota_problem(prov, 4, quota=False)),
                           ("at most 20 city mentors used per city (whole; CP-SAT's rule)",
                            quota)):
        if problem is quota:  # four independent copies of the city: 4 × its optimum
            ref = [4 * v for v in BINDING_BEST or ()]
        else:
            ref = levels_of(problem.solve(progress=False))  # the network optimum
        for limit in (5.0, 20.0):
            t0 = time.perf_counter()
            r = problem.solve(backend="cpsat", time_limit=limit, progress=False)
            wall = time.perf_counter() - t0
            ok = r.status.has_solution and bd.validate(problem, r.pairs).ok
            rows.append(f"| {label} | {limit:g} | {wall:.2f} | {r.status.value} | "
                        f"{len(r.pairs)} | {fmt(levels_of(r))} | {fmt(ref)} | "
                        f"{within(levels_of(r), ref)} | {ok} |")
    return ["### c. Four cities (1,932 × 2,400), backend='cpsat'", "",
            "| model | limit s | s | status | pairs | levels | optimum | worst level "
            "off | valid |", "|---|---:|---:|---|---:|---|---|---:|---|", *rows]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", action="append", choices=["a", "b", "c"])
    ap.add_argument("--long", type=float, default=0.0)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args(argv)
    parts = args.only or ["a", "b", "c"]
    load = os.getloadavg()[0]
    lines = [f"## bench_backbone — {dt.date.today()} — load {load:.2f} on "
             f"{os.cpu_count()} cores (a shared machine reads slower)", ""]
    if "a" in parts:
        lines += [*part_a(args.long), ""]
    if "b" in parts:
        lines += [*part_b(args.rounds), ""]
    if "c" in parts:
        lines += [*part_c(), ""]
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
