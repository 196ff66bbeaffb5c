"""Memory per candidate pair and with a live result: ``python benchmarks/bench_memory.py``.

Issue 16 item 6. The k-city province of ``bench_network.py`` part b (``province(k)`` with
the city-scale rules and each city's quota: SameRegion county, MaxDistance 60, SharesDomain,
Stronger, AvoidSame village, 三型, forbidden and fixed pairs, levels Coverage(priority) →
DomainFit → Closeness), solved by the network engine in a fresh interpreter:

* **bytes per pair**: (peak RSS of the solve − RSS before it) / candidate pairs;
* **two solves**: the peak RSS of a first solve, then of a second one while the first
  result is still alive (the second peak should not be much higher than the first);
* **estimate**: the size guard's estimate of the candidate count against the real count.

Options: ``--cities K`` (default 100), ``--mode one|two|estimate``; without ``--mode`` each
mode runs in its own interpreter and a Markdown line per mode is printed.
"""

from __future__ import annotations

import argparse
import gc
import json
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from common import current_rss_mib, peak_rss_mib  # noqa: E402


def province(k: int):
    """``bench_province.province(k)`` with the longitude shift wrapped every 30 cities (100
    copies 2 degrees apart would leave [-180, 180]); SameRegion keeps the copies apart."""
    import bench_province

    p = bench_province.province(min(k, 30))
    if k <= 30:
        return p
    from types import SimpleNamespace

    import pandas as pd

    base = bench_province.province(1)
    out = {}
    for name in ("mentors", "mentees", "forbidden", "fixed"):
        parts = []
        for c in range(k):
            df = getattr(base, name).copy()
            tag = f"C{c:02d}-"
            for col in ("mentor_id", "mentee_id", "county", "township", "village"):
                if col in df.columns:
                    df[col] = df[col].where(df[col].isna(),
                                            df[col].astype(str).str.replace("C00-", tag, n=1))
            if "lon" in df.columns:
                df["lon"] = df["lon"] + 2.0 * (c % 30)
            if "lat" in df.columns:
                df["lat"] = df["lat"] - 1.0 * (c // 30)
            parts.append(df)
        out[name] = pd.concat(parts, ignore_index=True)
    return SimpleNamespace(**out)


def _problem(k: int):
    from bench_network import city_quota_problem

    return city_quota_problem(province(k), k)


def run(mode: str, k: int) -> dict:
    import banghdai as bd

    problem = _problem(k)
    if mode == "estimate":
        import banghdai.compile.graph as graph

        t0 = time.perf_counter()
        estimate = graph.estimate_candidates(problem)
        seconds = time.perf_counter() - t0
        real = problem.compile().n_edges
        return {"mode": mode, "cities": k, "estimate": estimate, "real": real,
                "ratio": estimate / real, "estimate_seconds": seconds}
    gc.collect()
    before = current_rss_mib()
    t0 = time.perf_counter()
    first = bd.solve(problem, time_limit=600, progress=False)
    s1 = time.perf_counter() - t0
    peak1 = peak_rss_mib()
    edges = first.info["n_edges"]
    out = {"mode": mode, "cities": k, "edges": edges, "rss_before_mib": before,
           "peak1_mib": peak1, "seconds1": s1, "status": first.status.value,
           "bytes_per_pair": (peak1 - before) * 2**20 / edges,
           "after1_mib": current_rss_mib()}
    if mode == "two":
        t0 = time.perf_counter()
        second = bd.solve(problem, time_limit=600, progress=False)
        out["seconds2"] = time.perf_counter() - t0
        out["peak2_mib"] = peak_rss_mib()
        out["peak_rise"] = (out["peak2_mib"] - before) / (peak1 - before) - 1
        out["same_levels"] = first.levels["value"].tolist() == second.levels["value"].tolist()
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cities", type=int, default=100)
    ap.add_argument("--mode", choices=["one", "two", "estimate"])
    args = ap.parse_args()
    if args.mode:
        print(json.dumps(run(args.mode, args.cities)))
        return
    for mode in ("estimate", "one", "two"):
        done = subprocess.run([sys.executable, __file__, "--mode", mode, "--cities",
                               str(args.cities)], capture_output=True, text=True, check=True)
        print(done.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    main()
