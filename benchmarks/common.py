"""Shared helpers for the benchmark suite: data location, timing, memory, profiles.

Nothing here imports banghdai, so the worker can record the RSS of a bare
interpreter before the heavy imports.
"""

from __future__ import annotations

import cProfile
import gc
import os
import pstats
import resource
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
#: External data sets, never copied into the repository (see each folder's README.md).
DATA = Path(__file__).resolve().parents[2] / "shared" / "benchmarks"


def data_dir(name: str) -> Path | None:
    """``DATA / name`` when it exists, else ``None`` (the case is then skipped)."""
    path = DATA / name
    return path if path.is_dir() else None


def peak_rss_mib() -> float:
    """Peak resident set size of this process so far, MiB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def current_rss_mib() -> float:
    """Resident set size right now, MiB (from /proc/self/statm; 0 if unreadable)."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except (OSError, IndexError, ValueError):  # pragma: no cover - not Linux
        return 0.0
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


class Timing:
    """Wall times of repeated calls; ``median`` is what the tables report."""

    def __init__(self, times: list[float], result: Any) -> None:
        self.times = times
        self.result = result

    @property
    def median(self) -> float:
        return float(statistics.median(self.times))

    def as_dict(self) -> dict[str, Any]:
        return {"median": self.median, "runs": [round(t, 6) for t in self.times]}


def timed(
    fn: Callable[[], Any], *, min_runs: int = 3, max_runs: int = 7, budget: float = 1.0
) -> Timing:
    """Call ``fn`` at least ``min_runs`` times, more (up to ``max_runs``) while under ``budget`` s.

    The previous result is dropped and garbage collected before each call, so
    the peak memory of one call is not stacked on the previous one; the last
    result is returned for the correctness checks.
    """
    times: list[float] = []
    result: Any = None
    while len(times) < min_runs or (len(times) < max_runs and sum(times) < budget):
        result = None
        gc.collect()
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return Timing(times, result)


def interleaved(
    fns: dict[str, Callable[[], Any]], *, min_runs: int = 3, max_runs: int = 7, budget: float = 2.0
) -> dict[str, Timing]:
    """Time several functions in alternating rounds (f1, f2, ..., f1, f2, ...).

    Alternating spreads background load on a shared machine evenly over the
    contenders, so their ratio is steadier than when each runs in a block.
    At least ``min_runs`` rounds, more (up to ``max_runs``) while the total
    time is under ``budget`` seconds.
    """
    times: dict[str, list[float]] = {name: [] for name in fns}
    results: dict[str, Any] = dict.fromkeys(fns)
    rounds, spent = 0, 0.0
    while rounds < min_runs or (rounds < max_runs and spent < budget):
        for name, fn in fns.items():
            results[name] = None
            gc.collect()
            start = time.perf_counter()
            results[name] = fn()
            times[name].append(time.perf_counter() - start)
            spent += times[name][-1]
        rounds += 1
    return {name: Timing(times[name], results[name]) for name in fns}


def load_average() -> float:
    """1-minute load average (other processes share this machine)."""
    try:
        return os.getloadavg()[0]
    except OSError:  # pragma: no cover
        return float("nan")


def _short(filename: str) -> str:
    for marker in ("site-packages/", "/src/"):
        if marker in filename:
            return filename.split(marker, 1)[1]
    return filename


def profile_top(fn: Callable[[], Any], top: int = 8) -> dict[str, list[dict[str, Any]]]:
    """cProfile one call of ``fn``.

    ``top``: the functions with the most own time; ``stages``: banghdai's own
    functions with the most cumulative time, leaving out the outer wrappers
    (those covering more than 90 % of the call), i.e. where the time goes
    stage by stage (compile, backend, decode, ...).
    """
    prof = cProfile.Profile()
    gc.collect()
    prof.enable()
    try:
        fn()
    finally:
        prof.disable()
    stats = pstats.Stats(prof)
    rows = []
    for key, (_cc, ncalls, tottime, cumtime, callers) in stats.stats.items():
        filename, line, func = key
        where = "~" if filename == "~" else f"{_short(filename)}:{line}"
        rows.append({"function": func if where == "~" else f"{func} ({where})",
                     "stage": f"{Path(filename).stem}.{func}", "key": key,
                     "callers": set(callers),
                     "own": "banghdai/" in where, "calls": ncalls, "tottime": tottime,
                     "cumtime": cumtime})
    total = sum(r["tottime"] for r in rows)
    for r in rows:
        r["share"] = r["tottime"] / total if total else 0.0
        r["cum_share"] = r["cumtime"] / total if total else 0.0
    by_own = sorted(rows, key=lambda r: -r["tottime"])[:top]
    stages: list[dict[str, Any]] = []
    for r in sorted((r for r in rows if r["own"] and r["cum_share"] <= 0.9),
                    key=lambda r: -r["cumtime"]):
        if (stages and stages[-1]["key"] in r["callers"]
                and stages[-1]["cumtime"] - r["cumtime"] < 0.01 * total):
            stages[-1] = r  # a pass-through wrapper and what it calls: keep the inner one
        else:
            stages.append(r)
    stages = stages[:top]
    for r in rows:
        r.pop("key")
        r.pop("callers")
    return {"top": by_own, "stages": stages, "total": total}
