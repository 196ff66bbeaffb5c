"""How far past its time limit a call returns: ``python benchmarks/bench_limits.py``.

Runs on demand (never in the tests). For each backend family and each limit (1, 5, 20 s by
default) it runs one call whose work would take longer than the limit and prints the wall
time of the whole call (compile, build, search, decode) and the overshoot, as Markdown.

Cases
-----
network  ``k`` copies of the Yinchuan city (``bench_province.province``; 三型 + levels), forced
         onto the network engine: a pure network too large to finish in the limit.
cpsat    the Yinchuan city with 三型, priority levels and "at most 40 city-level mentors
         used" (``Quota('tier', side='mentor', max={'city': 40}, count='mentors')``) — the
         issue's new-user model, on CP-SAT.
teams    ``bd.form_teams`` on the Yinchuan sample by county (the issue's 252 s case).

Options: ``--limits 1 5 20``, ``--only network|cpsat|teams`` (repeatable), ``--cities K``.
The machine is shared and has 2 cores: the load average is printed with every row.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_network import city_quota_problem  # noqa: E402
from bench_province import province  # noqa: E402

import banghdai as bd  # noqa: E402


def network_case(k: int) -> bd.Problem:
    return city_quota_problem(province(k), k, quota=False)


def cpsat_case() -> bd.Problem:
    roster = bd.load_sample("yinchuan")
    p = bd.Problem(roster.mentors, roster.mentees,
                   pairing=bd.ManyToMany("capacity", "mentors_required"))
    p.require(bd.SameRegion("county"), bd.MaxDistance(60), bd.SharesDomain(),
              bd.Stronger("rating"), bd.AvoidSame("village"), bd.DistinctTypes("type"),
              bd.Quota("tier", side="mentor", max={"city": 40}, count="mentors"))
    p.forbid(roster.forbidden).fix(roster.fixed)
    return p.prefer(levels=[bd.Coverage(priority="priority"), bd.DomainFit(),
                            bd.Closeness(scale_km=30)])


def teams_call(limit: float):
    mentors, mentees = bd.load_sample("yinchuan")
    return bd.form_teams(mentors, mentees, region="county", time_limit=limit)


def row(case: str, limit: float, call) -> str:
    load = os.getloadavg()[0]
    t0 = time.perf_counter()
    out = call()
    wall = time.perf_counter() - t0
    over = wall - limit
    status = out.status.value
    print(f"| {case} | {limit:g} | {wall:.2f} | {over:+.2f} ({over / limit:+.0%}) | {status} "
          f"| {load:.2f} |", flush=True)
    return status


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--limits", type=float, nargs="+", default=[1.0, 5.0, 20.0])
    ap.add_argument("--only", action="append", choices=["network", "cpsat", "teams"])
    ap.add_argument("--cities", type=int, default=20)
    args = ap.parse_args(argv)
    parts = args.only or ["network", "cpsat", "teams"]
    print("| case | limit s | wall s | overshoot | status | load avg |")
    print("|---|---|---|---|---|---|")
    if "network" in parts:
        p = network_case(args.cities)
        p.compile()  # tables checked once, as a planner's second run would
        for limit in args.limits:
            row(f"network, {args.cities} cities", limit,
                lambda limit=limit: p.solve(time_limit=limit, backend="network"))
    if "cpsat" in parts:
        p = cpsat_case()
        for limit in args.limits:
            row("cpsat, city + mentors quota", limit, lambda limit=limit: p.solve(time_limit=limit))
    if "teams" in parts:
        for limit in args.limits:
            row("teams, by county", limit, lambda limit=limit: teams_call(limit))
    return 0


if __name__ == "__main__":
    sys.exit(main())
