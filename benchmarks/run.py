"""banghdai benchmark suite: ``python benchmarks/run.py [--quick] [--only NAME]``.

Runs every case (see ``cases.py``) on demand — it is not part of the test
suite — and writes ``benchmarks/RESULTS.md`` (overwritten) plus the raw
numbers in ``benchmarks/_out/results.json``, and prints a table.

Each (case, size) runs in a fresh subprocess of this script (``--worker``):
it records the RSS after imports, builds the instance, times banghdai and the
direct solvers on that same instance (median of >= 3 runs each), asserts equal
objectives, and reads the peak RSS (``ru_maxrss``) after the banghdai runs. A
second subprocess runs only the direct solvers once, for their own peak RSS.

Options
-------
--quick          small sizes only (a minute or two)
--only NAME      one case (dense, knn, knn-pairscore, orlib, reviewer), or
                 NAME:SIZE for one size (e.g. dense:2000, orlib:assignp5000);
                 repeatable
--out PATH       where to write the Markdown report (default benchmarks/RESULTS.md)
--timeout S      per-subprocess time limit in seconds (default 1200)
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.metadata
import importlib.util
import json
import math
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path
from typing import Any

from common import DATA, HERE, peak_rss_mib

OUT_DIR = HERE / "_out"
HEADLINE_MENTEES = "200000"
HEADLINE_SECONDS = 60.0
HEADLINE_MIB = 4096.0
#: Profiles of faster solves are mostly noise; they stay in the JSON only.
PROFILE_MIN_SECONDS = 0.05


# =========================================================================== worker side
def _jsonable(value: Any) -> Any:
    import numpy as np

    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    if isinstance(value, np.bool_):
        return bool(value)
    return value


def worker(case: str, size: str, side: str, out: Path) -> int:
    """Run one (case, size) in this fresh process and write its numbers as JSON."""
    rss_start = peak_rss_mib()
    start = time.perf_counter()
    import cases  # heavy imports (banghdai, pandas, scipy, OR-Tools, lap) happen here

    rss_import = peak_rss_mib()
    cases.warm_up()
    data: dict[str, Any] = {"rss_start": rss_start, "rss_import": rss_import,
                            "rss_warm": peak_rss_mib()}
    try:
        data.update(cases.CASES[case].work(size, side))
        data["error"] = None
    except Exception as exc:  # report, never hide: the parent prints it and marks the row
        data["error"] = f"{type(exc).__name__}: {exc}"
        data["traceback"] = traceback.format_exc()
    data["wall"] = time.perf_counter() - start
    out.write_text(json.dumps(_jsonable(data)))
    return 0


# =========================================================================== parent side
def spawn(case: str, size: str, side: str, timeout: float) -> dict[str, Any]:
    """Run the worker for (case, size, side) in a fresh interpreter; its JSON, or an error."""
    OUT_DIR.mkdir(exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=OUT_DIR, suffix=".json", delete=False) as fh:
        path = Path(fh.name)
    cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", case, size,
           "--side", side, "--json", str(path)]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
        if proc.returncode != 0 or not path.stat().st_size:
            lines = proc.stderr.strip().splitlines() or ["(no output)"]
            return {"error": f"worker exited {proc.returncode}: {lines[-1]}",
                    "traceback": "\n".join(lines[-30:])}
        return json.loads(path.read_text())
    except subprocess.TimeoutExpired:
        return {"error": f"worker timed out after {timeout:g} s"}
    finally:
        path.unlink(missing_ok=True)


def machine() -> dict[str, str]:
    """CPU, cores, RAM, OS, Python and library versions, date, git revision."""
    info: dict[str, str] = {}
    try:
        cpuinfo = Path("/proc/cpuinfo").read_text()
        info["cpu"] = next(line.split(":", 1)[1].strip() for line in cpuinfo.splitlines()
                           if line.startswith("model name"))
    except (OSError, StopIteration):
        info["cpu"] = platform.processor() or "unknown"
    info["cores"] = str(os.cpu_count())
    try:
        kib = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal"))
        info["ram"] = f"{kib / 2**20:.1f} GiB"
    except (OSError, StopIteration):
        info["ram"] = "unknown"
    try:
        osr = dict(line.split("=", 1) for line in Path("/etc/os-release").read_text().splitlines()
                   if "=" in line)
        info["os"] = f"{osr.get('PRETTY_NAME', '').strip(chr(34))}, Linux {platform.release()}"
    except OSError:
        info["os"] = platform.platform()
    info["python"] = platform.python_version()
    for pkg in ("numpy", "scipy", "pandas", "ortools", "lap", "banghdai"):
        try:
            info[pkg] = importlib.metadata.version(pkg)
        except importlib.metadata.PackageNotFoundError:
            info[pkg] = "not installed"
    info["date"] = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    repo = HERE.parent
    try:
        rev = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=repo, text=True,
                             capture_output=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "src"], cwd=repo, text=True,
                               capture_output=True, check=True).stdout.strip()
        info["git"] = rev + (" + uncommitted changes in src/" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        info["git"] = "unknown"
    return info


# --------------------------------------------------------------------------- formatting
def f_s(x: float | None) -> str:
    """Seconds with 3 significant digits."""
    if x is None:
        return "–"
    if x >= 100:
        return f"{x:.0f}"
    if x >= 10:
        return f"{x:.1f}"
    if x >= 1:
        return f"{x:.2f}"
    return f"{x:.3f}" if x >= 0.01 else f"{x:.4f}"


def f_mib(x: float | None) -> str:
    return "–" if x is None else f"{x:,.0f}"


def med(row: dict[str, Any], key: str, name: str | None = None) -> float | None:
    block = row.get(key)
    if name is not None:
        block = (block or {}).get(name)
    return None if not block else block["median"]


def f_int(x: Any) -> str:
    return "–" if x is None else f"{int(x):,}"


def f_obj(x: Any) -> str:
    if x is None:
        return "–"
    x = float(x)
    return f"{x:,.0f}" if x == round(x) else f"{x:,.6f}"


def md_table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return lines


def common_cols(row: dict[str, Any]) -> list[str]:
    best = row.get("best_direct")
    return [f_s(med(row, "banghdai")), f_s(row.get("banghdai_cold")), f"{best}: {f_s(med(row, 'direct', best))}" if best else "–",
            f"{row['ratio']:.2f}" if row.get("ratio") else "–",
            f_mib(row.get("rss_import")), f_mib(row.get("rss_data")),
            f_mib(row.get("peak_banghdai")), f_mib(row.get("peak_direct"))]


COMMON_HEAD = ["banghdai solve s", "banghdai cold s", "best direct s", "ratio", "RSS after imports MiB",
               "RSS with data MiB", "peak banghdai MiB", "peak direct MiB"]


def case_table(case: str, rows: list[dict[str, Any]]) -> list[str]:
    """The Markdown table of one case."""
    body = []
    for row in rows:
        if row.get("error"):
            body.append([row["size"], f"**ERROR** {row['error'][:300]}"])
            continue
        ok = "ok" if row.get("check", {}).get("ok") else "FAILED"
        if ok == "ok" and row["check"].get("exact") is False:
            ok = "ok (scales differ: float check, rel. 1e-6)"
        if case == "dense":
            d = row["direct"]
            body.append([row["size"], f_int(row["edges"]), f_s(med(row, "construct")),
                         f_s(row.get("compile_seconds")), *common_cols(row),
                         f_s(d["scipy lsa"]["median"]), f_s(d["lap.lapjv"]["median"]),
                         f_s(d["csgraph mwfbm (info)"]["median"]),
                         f_obj(row["check"]["objective"]), ok])
        elif case in ("knn", "knn-pairscore"):
            body.append([f_int(row["size"]), f_int(row["mentors"]), f_int(row["edges"]),
                         f_s(med(row, "construct")), f_s(row.get("compile_seconds")),
                         *common_cols(row), f_int(row["check"]["pairs"]),
                         f_obj(row["check"]["objective"]), ok])
        elif case == "orlib":
            others = ", ".join(f"{k} {f_s(v['median'])}" for k, v in row["direct"].items())
            cp = row.get("cpsat")
            cps = (f"{f_s(cp['seconds'])} ({cp['status']}, {f_obj(cp['objective'])})"
                   if cp else "–")
            body.append([row["size"], f_int(row["n"]), f_int(row["edges"]),
                         f_s(med(row, "construct")), f_s(row.get("compile_seconds")),
                         *common_cols(row), others, cps, f_obj(row["check"]["objective"]), ok])
        elif case == "reviewer":
            c = row["check"]
            warn = "; ".join(row.get("warnings") or []) or "none"
            body.append([row["size"], row["shape"], f_int(row["edges"]), row["load"],
                         f_s(med(row, "construct")), *common_cols(row),
                         f"{c['objective']:.6f}", f"{c['reference']:.6f}", f"{c['rel_err']:.1e}",
                         f"{row['scale']:g}", warn, ok])
    head = {
        "dense": ["n", "pairs", "construct s", "compile s", *COMMON_HEAD, "scipy lsa s",
                  "lap.lapjv s", "csgraph mwfbm s (info)", "optimum", "check"],
        "knn": ["mentees", "mentors", "candidate pairs", "construct s", "compile s", *COMMON_HEAD,
                "pairs formed", "objective (Σ closeness)", "check"],
        "knn-pairscore": ["mentees", "mentors", "candidate pairs", "construct s", "compile s",
                          *COMMON_HEAD, "pairs formed", "objective (Σ metres)", "check"],
        "orlib": ["instance", "n", "pairs", "construct s", "compile s", *COMMON_HEAD,
                  "direct solvers s", "cpsat s (status, objective)", "objective = published",
                  "check"],
        "reviewer": ["data set", "reviewers × papers", "allowed pairs", "load lo..hi",
                     "construct s", *COMMON_HEAD, "banghdai Σ affinity", "README optimum",
                     "rel. error", "scale", "scaling warnings", "check"],
    }[case]
    return md_table(head, body)


def growth_lines(rows: list[dict[str, Any]]) -> list[str]:
    """How time grows from the smallest to the largest size (and the log-log slope)."""
    ok = [r for r in rows if not r.get("error")]
    if len(ok) < 2:
        return []
    a, b = ok[0], ok[-1]
    factor = int(b["size"]) / int(a["size"])
    out = []
    for label, ta, tb in (("banghdai", med(a, "banghdai"), med(b, "banghdai")),
                          (a["best_direct"], med(a, "direct", a["best_direct"]),
                           med(b, "direct", b["best_direct"]))):
        slope = math.log(tb / ta) / math.log(factor)
        out.append(f"{label}: {f_s(ta)} s → {f_s(tb)} s for {factor:g}× the mentees "
                   f"(×{tb / ta:.0f}, log-log slope {slope:.2f})")
    return ["Growth " + f"{int(a['size']):,} → {int(b['size']):,} mentees: " + "; ".join(out) + "."]


def profile_lines(rows: list[dict[str, Any]]) -> list[str]:
    """Overhead notes for sizes where banghdai/direct > 1.2, from cProfile of one solve."""
    over = [r for r in rows if not r.get("error") and r.get("profile")]
    slow = [r for r in over if med(r, "banghdai") >= PROFILE_MIN_SECONDS]
    small = [r for r in over if med(r, "banghdai") < PROFILE_MIN_SECONDS]
    if not over:
        return []
    out = ["", "Where banghdai's time goes where the ratio exceeds 1.2 (cProfile of one extra "
               "solve; *stages* = banghdai functions by cumulative time, *top* = all functions "
               "by own time):", ""]
    if small:
        gaps = ", ".join(f"{r['size']} +{(med(r, 'banghdai') - med(r, 'direct', r['best_direct'])) * 1e3:.0f} ms"
                         for r in small)
        out.append(f"* Solves under {PROFILE_MIN_SECONDS * 1e3:.0f} ms ({gaps}): the gap is a "
                   "fixed per-call cost — checking the pair table's ids against both tables, "
                   "building the candidate graph and the result DataFrames — too small to "
                   "profile meaningfully (raw profiles in `_out/results.json`).")
    for row in slow:
        prof = row["profile"]
        stages = "; ".join(f"`{p['stage']}` {p['cumtime']:.3f} s "
                           f"({p['cum_share']:.0%})" for p in prof["stages"][:4])
        top = "; ".join(f"`{p['function']}` {p['tottime']:.3f} s ({p['share']:.0%})"
                        for p in prof["top"][:4])
        out.append(f"* **{row['size']}** (ratio {row['ratio']:.2f}, profiled solve "
                   f"{prof['total']:.3f} s) — stages: {stages}. Top: {top}")
    return out


def headline(rows_by_case: dict[str, list[dict[str, Any]]]) -> list[str]:
    rows = [r for r in rows_by_case.get("knn", []) if r["size"] == HEADLINE_MENTEES]
    if not rows or rows[0].get("error"):
        return ["Headline (200,000 mentees × 40,000 mentors × 20 candidates): not run."]
    r = rows[0]
    total = med(r, "construct") + med(r, "banghdai")
    peak = r["peak_banghdai"]
    ok = total <= HEADLINE_SECONDS and peak <= HEADLINE_MIB
    return [f"**Headline — 200,000 mentees × {r['mentors']:,} mentors × 20 nearest "
            f"({r['edges']:,} candidate pairs), end to end from DataFrames: "
            f"{f_s(total)} s (construct {f_s(med(r, 'construct'))} s + solve "
            f"{f_s(med(r, 'banghdai'))} s), peak RSS {peak / 1024:.2f} GiB → "
            f"{'PASS' if ok else 'FAIL'} (limits {HEADLINE_SECONDS:g} s, "
            f"{HEADLINE_MIB / 1024:g} GiB).**"]


NOTES = {
    "dense": [
        "banghdai: a long edge table (mentor i, mentee j, cost) as `PairScore(sense='min')` with "
        "`OneToOne(unmatched='forbid')`; *construct* = building that DataFrame + `Problem` + "
        "`prefer` (not in the solve time); *solve* = `problem.solve()` (compile, backend, "
        "result DataFrames). Direct: the same edge arrays scattered into a dense n × n matrix "
        "(included in the direct time) → `scipy.optimize.linear_sum_assignment` or "
        "`lap.lapjv`; the ratio is against the faster. `csgraph mwfbm` = "
        "`scipy.sparse.csgraph.min_weight_full_bipartite_matching` on the same matrix as CSR "
        "(cost + 1 stored; CSR build included), for information only. `lap.lapjv` treats "
        "`lap.LARGE` = 10⁶ as infinity and returns wrong assignments once costs reach it, so "
        "banghdai uses it only while every (shifted) cost is below 5·10⁵ and SciPy otherwise; "
        "these costs (0..10⁴) are in its exact range.",
    ],
    "knn": [
        "Random lat/lon in a 5° × 5° box, mentors = mentees / 5 with capacity 1..5 "
        "(`OneToMany('capacity')`, coverage first), `Nearest(20)` + `Closeness(scale_km=100)`. "
        "banghdai *solve* = `problem.solve()` end to end including candidate generation. "
        "Direct: SciPy `cKDTree` 20-NN on unit vectors → haversine → closeness × 10⁶ rounded → "
        "OR-Tools `SimpleMinCostFlow.solve_max_flow_with_min_cost()` on arrays. Checked: "
        "same candidate count, same number of pairs, and — when banghdai picked the same scale — "
        "the same integer objective exactly (else the float objective within 1e-6).",
    ],
    "knn-pairscore": [
        "The same instances; the 20-nearest edge table is built once outside the timing "
        "(cost = distance in whole metres) and given to banghdai as `PairScore(table, 'cost', "
        "sense='min', restrict=True)`. Direct: OR-Tools `SimpleMinCostFlow` on the arrays "
        "(source → mentor cap, mentor → mentee cap 1 at the cost, mentee → sink cap 1, "
        "`solve_max_flow_with_min_cost()`; arc building included). Checked: equal objective "
        "(exact integers) and equal number of pairs.",
    ],
    "orlib": [
        "Every instance through the public API (`PairScore(sense='min')`, "
        "`OneToOne(unmatched='forbid')`, backend auto = flow), from the long edge table "
        "(agent, job, cost). Direct, as in section a, on the same edge table: dense files → "
        "the edges scattered into the n × n matrix (included) → `scipy lsa` / `lap.lapjv`; "
        "sparse files → CSR from the edges → `csgraph mwfbm` (cost + 1) / `lap.lapmod` / "
        "`SimpleMinCostFlow`. For the dense files `lap.lapjv` on the matrix exactly as read from "
        "the file (no scatter) is also timed, for information, not in the ratio. "
        "`cpsat`: one run per instance of `solve(backend='cpsat', time_limit=120)` for "
        "assign100..400, for comparison (not in the ratio). Every objective equals the "
        "published OR-Library optimum.",
    ],
    "reviewer": [
        "Papers = mentees needing `covs` (MIDL) or 3 reviewers, reviewers = mentors with load "
        "cap (and the MIDL lower bound 2 in `midl-lb`), `ManyToMany(unmatched='forbid')` + "
        "`PairScore(affinity, sense='max')` restricted to the non-conflict entries (all "
        "entries for MIDL). Load cap for PrefLib/SIGIR = ceil(3·papers/reviewers) (README "
        "convention). banghdai scales the float affinities by the *scale* shown; direct = "
        "OR-Tools `SimpleMinCostFlow.solve()` on the same scaled integer values (lower loads as "
        "node supplies). Checked: equal integer objective, float objective within 1e-6 "
        "(relative) of the README optimum for both.",
    ],
}


GOAL, FLOOR = 1.2, 2.0


def targets_summary(rows_by_case: dict[str, list[dict[str, Any]]]) -> list[str]:
    """Issue #3's targets: banghdai ≤ 1.2× the best direct solver (goal), never > 2× (floor)."""
    rows = [(name, r) for name, rs in rows_by_case.items() for r in rs
            if not r.get("error") and r.get("ratio") is not None]
    if not rows:
        return []
    goal = [f"{n} {r['size']}" for n, r in rows if r["ratio"] <= GOAL]
    over = [(n, r) for n, r in rows if r["ratio"] > FLOOR]
    out = ["## Against the targets (ratio = banghdai solve / best direct solver)", "",
           f"{len(rows)} (case, size) rows: **{len(rows) - len(over)} within the {FLOOR:g}× floor**, "
           f"{len(goal)} within the {GOAL:g}× goal ({', '.join(goal) or 'none'}). "
           "Over the floor, with the absolute difference — a fixed cost per call (building "
           "the result DataFrames, checking the tables) plus a few nanoseconds per candidate "
           "pair, which only shows where the direct solve itself takes a few milliseconds:", ""]
    strict = [(r["size"], med(r, "banghdai") / med(r, "direct", name))
              for n, r in rows for name in r.get("direct", {}) if name.endswith("as read (info)")]
    note = []
    if strict:
        lo, hi = min(strict, key=lambda t: t[1]), max(strict, key=lambda t: t[1])
        note = ["", f"Against `lap.lapjv` on the OR-Library matrices exactly as read from the "
                f"file (no edge table, no scatter) the ratios are {lo[1]:.2f}× ({lo[0]}) to "
                f"{hi[1]:.2f}× ({hi[0]})."]
    if not over:
        return out[:-2] + ["", "No row is over the floor.", *note]
    table = [[n, r["size"], f_int(r.get("edges")), f_s(med(r, "banghdai")),
              f_s(med(r, "direct", r["best_direct"])), f"{r['ratio']:.2f}",
              f"{(med(r, 'banghdai') - med(r, 'direct', r['best_direct'])) * 1e3:.1f}"]
             for n, r in over]
    return out + md_table(["case", "size", "pairs", "banghdai s", "best direct s", "ratio",
                           "difference ms"], table) + note


def openreview_note() -> list[str]:
    if importlib.util.find_spec("matcher") is not None:
        return ["`openreview-matcher` is importable (`matcher`), but no comparison is wired up "
                "yet."]
    return ["`openreview-matcher` (MinMax / FairFlow) could not be compared: "
            "`pip install openreview-matcher` fails with *No matching distribution found* — it "
            "is not published on PyPI (only as source in the openreview GitHub repository, "
            "which this machine cannot fetch), so it is neither installed nor run."]


def write_report(path: Path, info: dict[str, str], rows_by_case: dict[str, list[dict[str, Any]]],
                 skipped: dict[str, str], mode: str, wall: float) -> None:
    import cases

    lines = ["# banghdai benchmark results", "",
             f"Generated by `python benchmarks/run.py{mode}` in {wall / 60:.1f} min. "
             "Each (case, size) runs in a fresh subprocess: build the instance, time the "
             "construction, one *cold* banghdai solve (its peak RSS, `ru_maxrss`, is read right "
             "after, instance data included), one untimed warm-up call of each direct solver, "
             "then ≥ 3 alternating timed rounds (banghdai, direct 1, direct 2, …). Times are "
             "medians of those rounds (wall clock, seconds); *ratio* = banghdai solve / best "
             "direct solver, same instance, same process. *Peak direct* comes from a second "
             "fresh subprocess that runs only the direct solvers once. Objectives are asserted "
             "equal (exactly for integer costs); a failed check marks the row FAILED.",
             "", "## Machine", ""]
    loads = [r[k] for rows in rows_by_case.values() for r in rows
             for k in ("load_start", "load_end") if r.get(k) is not None]
    extra = ([["load average during the run", f"{min(loads):.2f} – {max(loads):.2f} (other "
               "processes may share these cores; timings of the large sizes vary by ±20 % "
               "between runs)"]] if loads else [])
    lines += md_table(["item", "value"], [[k, v] for k, v in info.items()] + extra)
    lines += ["", *headline(rows_by_case)]
    summary = targets_summary(rows_by_case)
    if summary:
        lines += ["", *summary]
    for name, rows in rows_by_case.items():
        case = cases.CASES[name]
        lines += ["", f"## {case.title}", "", *NOTES.get(name, []), ""]
        lines += case_table(name, rows)
        if name in ("knn", "knn-pairscore"):
            lines += ["", *growth_lines(rows)]
        if name == "reviewer":
            lines += ["", *openreview_note()]
        lines += profile_lines(rows)
    for name, reason in skipped.items():
        lines += ["", f"## {cases.CASES[name].title}", "", f"Skipped: {reason} (looked in {DATA})."]
    # keep every section other scripts and notes maintain in the same file: each sits between
    # "<!-- NAME start -->" and "<!-- NAME end -->" (bench_groups, bench_province,
    # bench_network, notes …), in the order they appear
    kept = ""
    if path.exists():
        old = path.read_text()
        for match in re.finditer(r"<!-- (\S+) start -->.*?<!-- \1 end -->", old, re.S):
            kept += "\n" + match.group(0) + "\n"
    # the headline figures stay at the top, under the title
    head = re.search(r"<!-- headline start -->.*?<!-- headline end -->\n", kept, re.S)
    if head:
        kept = kept.replace(head.group(0), "")
        lines[1:1] = ["", head.group(0)]
    path.write_text("\n".join(lines) + "\n" + kept)


def console_row(case: str, row: dict[str, Any]) -> str:
    if row.get("error"):
        return f"{case:14} {row['size']:>12}  ERROR {row['error'][:200]}"
    best = row["best_direct"]
    return (f"{case:14} {row['size']:>12} {f_int(row.get('edges')):>12} "
            f"{f_s(med(row, 'construct')):>8} {f_s(med(row, 'banghdai')):>8} "
            f"{f_s(med(row, 'direct', best)):>8} {row['ratio']:>6.2f} "
            f"{f_mib(row.get('peak_banghdai')):>8} {f_mib(row.get('peak_direct')):>8}  "
            f"{'ok' if row['check'].get('ok') else 'FAILED'}  [{best}]")


CONSOLE_HEAD = (f"{'case':14} {'size':>12} {'pairs':>12} {'constr':>8} {'banghdai':>8} "
                f"{'direct':>8} {'ratio':>6} {'peakBD':>8} {'peakDir':>8}  check  [best direct]")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes only")
    parser.add_argument("--only", action="append", default=[], metavar="NAME[:SIZE]")
    parser.add_argument("--out", type=Path, default=HERE / "RESULTS.md")
    parser.add_argument("--timeout", type=float, default=1200.0)
    parser.add_argument("--report-only", action="store_true",
                        help="rewrite the report from the last run's _out/results.json")
    parser.add_argument("--worker", nargs=2, metavar=("CASE", "SIZE"), help=argparse.SUPPRESS)
    parser.add_argument("--side", default="both", choices=("both", "direct"),
                        help=argparse.SUPPRESS)
    parser.add_argument("--json", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        return worker(args.worker[0], args.worker[1], args.side, args.json)

    import cases

    if args.report_only:
        saved = json.loads((OUT_DIR / "results.json").read_text())
        write_report(args.out, saved["machine"], saved["rows"], saved["skipped"], saved["mode"],
                     saved.get("wall", 0.0))
        print(f"wrote {args.out} from {OUT_DIR / 'results.json'}")
        return 0
    wanted: dict[str, list[str] | None] = {}
    for item in args.only:
        name, _, size = item.partition(":")
        if name not in cases.CASES:
            parser.error(f"unknown case {name!r}; choose from {', '.join(cases.CASES)}")
        if size:
            if wanted.get(name, []) is not None:
                wanted.setdefault(name, []).append(size)
        else:
            wanted[name] = None
    selected = [n for n in cases.CASES if not wanted or n in wanted]

    start = time.perf_counter()
    info = machine()
    print(" | ".join(f"{k}: {v}" for k, v in info.items()))
    print(CONSOLE_HEAD)
    rows_by_case: dict[str, list[dict[str, Any]]] = {}
    skipped: dict[str, str] = {}
    failed = False
    for name in selected:
        case = cases.CASES[name]
        reason = case.available()
        if reason:
            print(f"{name:14} skipped: {reason} (looked in {DATA})")
            skipped[name] = reason
            continue
        sizes = wanted.get(name) or (case.quick if args.quick else case.sizes)
        for size in sizes:
            row = spawn(name, size, "both", args.timeout)
            if not row.get("error"):
                mem = spawn(name, size, "direct", args.timeout)
                row["peak_direct"] = mem.get("peak_direct")
                if mem.get("error"):
                    row["direct_mem_error"] = mem["error"]
            else:
                failed = True
                if row.get("traceback"):
                    print(row["traceback"], file=sys.stderr)
            row["size"] = size
            rows_by_case.setdefault(name, []).append(row)
            print(console_row(name, row), flush=True)
    wall = time.perf_counter() - start

    mode = (" --quick" if args.quick else "") + "".join(f" --only {o}" for o in args.only)
    OUT_DIR.mkdir(exist_ok=True)
    (OUT_DIR / "results.json").write_text(json.dumps(
        {"machine": info, "mode": mode, "rows": rows_by_case, "skipped": skipped, "wall": wall},
        indent=1))
    write_report(args.out, info, rows_by_case, skipped, mode, wall)
    for line in headline(rows_by_case):
        print(line.replace("**", ""))
    print(f"wrote {args.out} ({wall / 60:.1f} min)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
