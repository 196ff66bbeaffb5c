"""Benchmark of the stable matching engine (:mod:`banghdai.stable`); run on demand.

    python benchmarks/bench_stable.py            # all cases, markdown table on stdout
    python benchmarks/bench_stable.py --quick    # skip the peer library and the large case

Cases (seeded; every case runs in a fresh interpreter so its peak RSS is its own):

* ``full``: 5,000 mentees x 500 mentors, complete preference lists (2.5M pairs),
  random strict ranks, capacities 8..14 (sum >= 5,000), both proposer sides;
* ``ten``: the same sizes with 10-choice mentee lists (mentors rank exactly the
  mentees that chose them), against the peer library ``matching``
  (PyPI, daffidwilde) ``HospitalResident`` — its time includes
  ``create_from_dictionaries`` (which deep-copies the player graph
  recursively: it needs ``sys.setrecursionlimit`` and a 512 MiB thread stack
  at this size, else ``RecursionError``) and ``solve``; both results are
  checked identical;
* ``large``: 100,000 x 5,000 with 50-choice lists (5M pairs), both sides.

Times are wall seconds, median of 3 runs (the peer library: 1 run, it is slow
to build); "from dicts" also counts building our arrays from the peer's
preference dictionaries. "ratio (total)" is the peer's build + solve over our
time (arrays / from dicts), "ratio (solve only)" the peer's ``solve`` alone over
our time from arrays.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import threading
import time
import warnings

import numpy as np

N_E, N_M = 5_000, 500


def _rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def full_instance(seed: int = 0):
    rng = np.random.default_rng(seed)
    e = np.repeat(np.arange(N_E), N_M)
    m = np.tile(np.arange(N_M), N_E)
    er = rng.random((N_E, N_M)).argsort(axis=1).argsort(axis=1).ravel()
    mr = rng.random((N_M, N_E)).argsort(axis=1).argsort(axis=1).T.ravel()
    cap = rng.integers(8, 15, N_M)
    cap[: max(0, N_E - int(cap.sum()))] += 1
    assert cap.sum() >= N_E
    return e, m, er, mr, cap


def ten_choice_dicts(seed: int = 0, k: int = 10):
    rng = np.random.default_rng(seed)
    resident_prefs = {r: rng.permutation(N_M)[:k].tolist() for r in range(N_E)}
    chose: dict[int, set[int]] = {h: set() for h in range(N_M)}
    for r, prefs in resident_prefs.items():
        for h in prefs:
            chose[h].add(r)
    hospital_prefs = {
        h: [r for r in rng.permutation(N_E).tolist() if r in chose[h]] for h in range(N_M)
    }
    hospital_prefs = {h: p for h, p in hospital_prefs.items() if p}
    capacities = {h: int(c) for h, c in zip(range(N_M), rng.integers(8, 15, N_M), strict=True)}
    capacities = {h: c for h, c in capacities.items() if h in hospital_prefs}
    return resident_prefs, hospital_prefs, capacities


def arrays_from_dicts(resident_prefs, hospital_prefs, capacities):
    e = np.fromiter((r for r, p in resident_prefs.items() for _ in p), dtype=np.int64)
    m = np.fromiter((h for p in resident_prefs.values() for h in p), dtype=np.int64)
    er = np.fromiter((k for p in resident_prefs.values() for k in range(len(p))), dtype=np.int64)
    hosp_rank = np.full((N_M, N_E), -1, dtype=np.int64)
    for h, prefs in hospital_prefs.items():
        hosp_rank[h, prefs] = np.arange(len(prefs))
    mr = hosp_rank[m, e]
    cap = np.array([capacities.get(h, 0) for h in range(N_M)])
    return e, m, er, mr, cap


def large_instance(seed: int = 1, n_e: int = 100_000, n_m: int = 5_000, k: int = 50):
    rng = np.random.default_rng(seed)
    e = np.repeat(np.arange(n_e), k)
    m = np.concatenate(
        [
            np.argsort(rng.random((min(2_000, n_e - s), n_m)), axis=1)[:, :k].ravel()
            for s in range(0, n_e, 2_000)
        ]
    )
    er = np.tile(np.arange(k), n_e)
    mr = rng.permutation(e.size)
    cap = np.full(n_m, n_e // n_m)  # total capacity = number of mentees
    return n_e, n_m, e, m, er, mr, cap


def _median_time(fn, runs: int = 3):
    times, out = [], None
    for _ in range(runs):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), out


def run_case(case: str) -> dict:
    from banghdai.solvers.deferred import deferred_acceptance, is_stable

    if case.startswith("full-"):
        proposer = case.removeprefix("full-")
        e, m, er, mr, cap = full_instance()
        rss_in = _rss_mib()
        sec, chosen = _median_time(
            lambda: deferred_acceptance(N_E, N_M, e, m, er, mr, cap, proposer=proposer)
        )
        peak = _rss_mib()  # before the stability check, which allocates too
        return dict(
            case=f"{N_E} x {N_M}, full lists ({e.size:,} pairs)", proposer=proposer,
            seconds=sec, matched=int(chosen.sum()), stable=is_stable(e, m, er, mr, cap, chosen),
            rss_instance=rss_in, peak_rss=peak,
        )  # fmt: skip
    if case.startswith("large-"):
        proposer = case.removeprefix("large-")
        n_e, n_m, e, m, er, mr, cap = large_instance()
        rss_in = _rss_mib()
        sec, chosen = _median_time(
            lambda: deferred_acceptance(n_e, n_m, e, m, er, mr, cap, proposer=proposer)
        )
        peak = _rss_mib()
        return dict(
            case=f"{n_e:,} x {n_m:,}, 50-choice lists ({e.size:,} pairs)", proposer=proposer,
            seconds=sec, matched=int(chosen.sum()), stable=is_stable(e, m, er, mr, cap, chosen),
            rss_instance=rss_in, peak_rss=peak,
        )  # fmt: skip
    if case.startswith("ten-"):
        proposer, who = case.removeprefix("ten-").split("-")
        rp, hp, caps = ten_choice_dicts()
        e, m, er, mr, cap = arrays_from_dicts(rp, hp, caps)
        rss_in = _rss_mib()
        out = dict(
            case=f"{N_E} x {N_M}, 10-choice lists ({e.size:,} pairs)", proposer=proposer,
            rss_instance=rss_in,
        )  # fmt: skip
        if who == "ours":
            sec, chosen = _median_time(
                lambda: deferred_acceptance(N_E, N_M, e, m, er, mr, cap, proposer=proposer)
            )
            sec_dicts, _ = _median_time(
                lambda: deferred_acceptance(
                    N_E, N_M, *arrays_from_dicts(rp, hp, caps), proposer=proposer
                )
            )
            pairs = sorted(zip(e[chosen].tolist(), m[chosen].tolist(), strict=True))
            out.update(seconds=sec, seconds_from_dicts=sec_dicts, pairs=pairs)
        else:
            result: dict = {}

            def peer() -> None:
                from matching.games import HospitalResident

                t = time.perf_counter()
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    game = HospitalResident.create_from_dictionaries(rp, hp, caps)
                    built = time.perf_counter()
                    theirs = game.solve(optimal="resident" if proposer == "mentee" else "hospital")
                done = time.perf_counter()
                result.update(
                    seconds=done - t, build=built - t, solve=done - built,
                    pairs=sorted((r.name, h.name) for h, rs in theirs.items() for r in rs),
                )  # fmt: skip

            sys.setrecursionlimit(1_000_000)  # deepcopy of the player graph recurses deeply
            threading.stack_size(512 * 2**20)
            th = threading.Thread(target=peer)
            th.start()
            th.join()
            out.update(result)
        out["peak_rss"] = _rss_mib()
        return out
    raise SystemExit(f"unknown case {case!r}")


def _spawn(case: str) -> dict:
    proc = subprocess.run(
        [sys.executable, __file__, "--case", case], capture_output=True, text=True, check=False
    )
    if proc.returncode:
        return {"case": case, "error": proc.stderr.strip().splitlines()[-1:]}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--case", help=argparse.SUPPRESS)
    ap.add_argument("--quick", action="store_true", help="skip the peer library and large case")
    args = ap.parse_args()
    if args.case:
        print(json.dumps(run_case(args.case)))
        return

    try:
        import matching

        peer_version = matching.__version__
    except ImportError:
        peer_version = None

    rows = []
    print(
        "| case | proposer | banghdai s | RSS with instance MiB | peak RSS MiB | matched | stable |"
    )
    print("|---|---|---:|---:|---:|---:|---|")
    cases = ["full-mentee", "full-mentor"] + (
        [] if args.quick else ["large-mentee", "large-mentor"]
    )
    for case in cases:
        r = _spawn(case)
        rows.append(r)
        if "error" in r:
            print(f"| {case} | | error: {r['error']} | | | | |")
            continue
        print(
            f"| {r['case']} | {r['proposer']} | {r['seconds']:.2f} | {r['rss_instance']:.0f} "
            f"| {r['peak_rss']:.0f} "
            f"| {r['matched']:,} | {r['stable']} |"
        )

    print()
    title = f"matching {peer_version}" if peer_version else "matching (not installed)"
    print(f"| 10-choice lists, {N_E} x {N_M} | banghdai s (arrays / from dicts) | {title} s "
          "(build + solve) | ratio (total) | ratio (solve only) | same matching |")  # fmt: skip
    print("|---|---:|---:|---:|---:|---|")
    for proposer in ("mentee", "mentor"):
        ours = _spawn(f"ten-{proposer}-ours")
        side = "resident" if proposer == "mentee" else "hospital"
        if "error" in ours:
            print(f"| {side}-optimal | error: {ours['error']} | | | | |")
            continue
        theirs = _spawn(f"ten-{proposer}-peer") if peer_version and not args.quick else None
        if theirs is None or "error" in theirs:
            note = theirs["error"] if theirs else "skipped"
            print(f"| {side}-optimal | {ours['seconds']:.3f} / {ours['seconds_from_dicts']:.3f} "
                  f"| {note} | | | |")  # fmt: skip
            continue
        same = [tuple(p) for p in ours["pairs"]] == [tuple(p) for p in theirs["pairs"]]
        print(
            f"| {side}-optimal | {ours['seconds']:.3f} / {ours['seconds_from_dicts']:.3f} "
            f"| {theirs['seconds']:.2f} ({theirs['build']:.2f} + {theirs['solve']:.2f}) "
            f"| {theirs['seconds'] / ours['seconds']:.0f}x / "
            f"{theirs['seconds'] / ours['seconds_from_dicts']:.0f}x "
            f"| {theirs['solve'] / ours['seconds']:.0f}x | {same} |"
        )
    print()
    print(
        f"Machine: {_cpu_count()} CPUs, Python {sys.version.split()[0]}, numpy {np.__version__}; "
        "wall seconds, median of 3 (peer: 1 run, with sys.setrecursionlimit(10**6) and a "
        "512 MiB thread stack, needed by its recursive deepcopy at this size)."
    )


def _cpu_count() -> int:
    import os

    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()


if __name__ == "__main__":
    main()
