"""Time the printed outputs of the Yinchuan city sample (600 mentees, 483 mentors).

Writes the list (帮带对子名单 workbook and PDF) and the papers (一人一册 … as a workbook and
as a PDF), best of ``--repeat`` runs each, with wall and CPU seconds, pages and file size,
into the ``bench_papers`` section of ``benchmarks/RESULTS.md`` (the rest of the file is kept).

    python benchmarks/bench_papers.py [--repeat 3] [--sample yinchuan]
"""

from __future__ import annotations

import argparse
import os
import re
import tempfile
import time
from pathlib import Path

import banghdai as bd

HERE = Path(__file__).resolve().parent


def _pages(path: Path) -> int | str:
    if path.suffix != ".pdf":
        return "–"
    data = path.read_bytes()
    return len(re.findall(rb"/Type\s*/Page[^s]", data))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--sample", default="yinchuan")
    parser.add_argument("--out", type=Path, default=HERE / "RESULTS.md")
    args = parser.parse_args()
    problem = bd.load_sample(args.sample).problem()
    result = problem.solve(seed=0, lang="zh")
    bd.validate(problem, result.pairs).raise_if_invalid()
    folder = Path(tempfile.mkdtemp())
    jobs = {
        "list, xlsx (`to_excel`)": ("名单.xlsx", lambda p: result.to_excel(p)),
        "list, PDF (`to_pdf`)": ("名单.pdf", lambda p: result.to_pdf(p)),
        "papers, xlsx (`to_papers`)": ("一人一册.xlsx", lambda p: result.to_papers(p)),
        "papers, PDF (`to_pdf(papers=True, pairs=False)`)":
            ("一人一册.pdf", lambda p: result.to_pdf(p, pairs=False, papers=True)),
    }
    rows = []
    for label, (name, write) in jobs.items():
        best_wall = best_cpu = float("inf")
        for _ in range(args.repeat):
            path = folder / name
            t0, c0 = time.perf_counter(), time.process_time()
            write(path)
            best_wall = min(best_wall, time.perf_counter() - t0)
            best_cpu = min(best_cpu, time.process_time() - c0)
        rows.append((label, best_wall, best_cpu, _pages(path), path.stat().st_size / 1e6))
        print(f"{label:52} {best_wall:6.2f} s wall {best_cpu:6.2f} s cpu  {rows[-1][3]} pages")
    load = os.getloadavg()[0]
    lines = [
        "<!-- bench_papers start -->",
        "## k. Printed outputs (`benchmarks/bench_papers.py`)",
        "",
        f"The {args.sample} sample ({len(problem.mentees)} mentees, {len(problem.mentors)} "
        f"mentors, {len(result.pairs)} pairs), best of {args.repeat}; "
        f"{time.strftime('%Y-%m-%d')}, 2 cores, load {load:.1f} when it ended (wall time "
        "grows with the load; CPU time is the writer's own).",
        "",
        "| output | wall s | CPU s | pages | MB |",
        "|---|---:|---:|---:|---:|",
        *(f"| {a} | {b:.2f} | {c:.2f} | {d} | {e:.2f} |" for a, b, c, d, e in rows),
        "",
        "The PDFs are A4 with the Noto Sans CJK SC subset embedded (fpdf2); turning a 305-page "
        "papers workbook into PDF with LibreOffice had taken 7 minutes.",
        "<!-- bench_papers end -->",
    ]
    text = args.out.read_text() if args.out.exists() else ""
    block = "\n".join(lines)
    if "<!-- bench_papers start -->" in text:
        text = re.sub(r"<!-- bench_papers start -->.*?<!-- bench_papers end -->", block, text,
                      flags=re.S)
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    args.out.write_text(text)


if __name__ == "__main__":
    main()
