"""Command line for batch scripts.

``banghdai match <roster folder | workbook | mentors.csv mentees.csv> [--rules rules.toml]
--out pairs.xlsx|pairs.csv``

Prints a summary (pairs, coverage, mean distance, fit, status, gap, seconds)
and exits

* 0 when a pairing was found (and written),
* 1 when it was proven infeasible (the conflicting rules and the cheapest
  relaxation from :func:`banghdai.explain` are printed) or time ran out
  without one,
* 2 on bad input (the InputError message names file, row and column) — an
  output that cannot be written is bad input too, and is found before solving,
* 130 when interrupted (Ctrl-C), also when the solver stopped early on it and
  returned its best pairing so far.

``--out pairs.xlsx`` writes the printable workbook (:meth:`Result.to_excel`:
帮带对子名单, 县区汇总, 未匹配名单, 规则与参数 in Chinese, or English with
``--lang en``); ``--out pairs.csv`` writes the pairs there and the unmatched
mentees and the summary beside it, as ``pairs_unmatched.csv`` and
``pairs_summary.csv``.

Outputs are written only when a pairing was found, each to a temporary file
that is then renamed into place: on INFEASIBLE, UNKNOWN, an error or an
interrupt existing files are left as they were and the summary says that
nothing was written. An output is never written over an input file, and
no two outputs may be the same file.

Progress goes to stderr: a bar and one line per finished level or component
(the ``banghdai`` logger at INFO; ``--quiet`` silences both), warnings about
the data as ``banghdai: warning: …``, and with ``--log`` the CP-SAT search log
(the ``banghdai.solvers.cpsat`` logger at DEBUG).

Example
-------
>>> from banghdai.cli import main
>>> main(["samples"])  # doctest: +ELLIPSIS
fanxian
...
0
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import math
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path

from .core.errors import InputError

EXIT_FOUND, EXIT_NONE, EXIT_INPUT, EXIT_INTERRUPTED = 0, 1, 2, 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="banghdai",
        description="Exact mentor–mentee pairing (导师帮带). See the README for the rules file.",
        epilog="exit codes: 0 pairing found, 1 infeasible or out of time with no pairing, "
        "2 bad input, 130 interrupted",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    match = sub.add_parser("match", help="pair mentors and mentees from a roster",
                           epilog="exit codes: 0 pairing found (and written), 1 infeasible or out "
                           "of time with no pairing (nothing written), 2 bad input, "
                           "130 interrupted (nothing written)")
    match.add_argument(
        "inputs", nargs="+",
        help="a roster folder, an .xlsx workbook, or mentors and mentees files; "
        "or sample:NAME for a shipped sample",
    )
    match.add_argument("--rules", help="rules TOML (default: rules.toml in the roster folder; "
                       "for a workbook NAME.rules.toml or rules.toml beside it)")
    match.add_argument("--out", help="write the result: .xlsx the printable workbook (pairs, "
                       "summary by county, unmatched, rules); .csv the pairs, plus "
                       "NAME_unmatched.csv and NAME_summary.csv beside it")
    match.add_argument("--unmatched-out",
                       help="write unmatched mentees and reasons to a .csv (or .xlsx)")
    match.add_argument("--time-limit", type=float, default=None, help="seconds (default 60)")
    match.add_argument("--seed", type=int, default=None, help="solver seed (default 0)")
    match.add_argument("--workers", type=int, default=None, help="solver threads")
    match.add_argument("--backend", default=None, help="auto (default) or a backend name")
    match.add_argument("--log", action="store_true",
                       help="show the CP-SAT search log on stderr")
    match.add_argument("--quiet", action="store_true",
                       help="no progress bar and no progress lines on stderr")
    match.add_argument("--lang", choices=["en", "zh"], default=None,
                       help="language of the reasons and explanations (default en) and of "
                       "the workbook (default zh); [solve] lang in the rules sets both")
    sub.add_parser("samples", help="list the shipped samples")
    return parser


def _load(inputs: list[str], rules: str | None):
    from .data.readers import read_files, read_roster
    from .data.samples import sample_path

    if len(inputs) == 1:
        target = inputs[0]
        if target.startswith("sample:"):
            target = str(sample_path(target.split(":", 1)[1]))
        return read_roster(target, rules=rules)
    if len(inputs) == 2:
        return read_files(inputs[0], inputs[1], rules=rules)
    raise InputError("give one roster folder/workbook, or a mentors file and a mentees file",
                     table="inputs")


def csv_siblings(out: Path) -> dict[str, Path]:
    """The files ``--out NAME.csv`` writes besides the pairs: unmatched and summary.

    Example
    -------
    >>> from pathlib import Path
    >>> from banghdai.cli import csv_siblings
    >>> {k: p.name for k, p in csv_siblings(Path("out/pairs.csv")).items()}
    {'--out (unmatched)': 'pairs_unmatched.csv', '--out (summary)': 'pairs_summary.csv'}
    """
    return {f"--out ({what})": out.with_name(f"{out.stem}_{what}{out.suffix}")
            for what in ("unmatched", "summary")}


def _outputs(args: argparse.Namespace) -> dict[str, Path]:
    """The requested output files, checked before anything is read or solved."""
    from .core.safeio import check_writable

    outputs: dict[str, Path] = {}
    if args.out:
        out = Path(args.out)
        if out.suffix.lower() not in (".csv", ".xlsx"):
            raise InputError(f"--out must end in .csv or .xlsx, got {args.out!r}", column="--out",
                             choices=[".csv", ".xlsx"])
        outputs["--out"] = check_writable(out, "--out")
        if out.suffix.lower() == ".csv":
            for option, sibling in csv_siblings(out).items():
                outputs[option] = check_writable(sibling, option)
    if args.unmatched_out:
        outputs["--unmatched-out"] = check_writable(Path(args.unmatched_out), "--unmatched-out")
    return outputs


def _guard_roster_folder(outputs: dict[str, Path], roster) -> None:
    """Refuse writing a file that a later run would read as a table of this roster."""
    from .data.readers import EXTRA_NAMES, MENTEE_NAMES, MENTOR_NAMES

    source = getattr(roster, "source", None)
    if source is None or not Path(source).is_dir():
        return
    names = {*MENTOR_NAMES, *MENTEE_NAMES, *(n for ns in EXTRA_NAMES.values() for n in ns),
             "rules"}
    for option, path in outputs.items():
        if path.resolve().parent == Path(source).resolve() and path.stem in names:
            raise InputError(f"{path} would be read as the {path.stem} table of the roster "
                             "next time; write the results somewhere else", column=option)


def _solve_options(args: argparse.Namespace, rules: dict) -> dict:
    opts = dict(rules.get("solve", {})) if isinstance(rules.get("solve", {}), dict) else {}
    if args.time_limit is not None and not (math.isfinite(args.time_limit)
                                            and args.time_limit > 0):
        raise InputError(f"must be a positive number of seconds, got {args.time_limit}",
                         column="--time-limit")
    if args.workers is not None and args.workers < 1:
        raise InputError(f"must be at least 1, got {args.workers}", column="--workers")
    for key in ("time_limit", "seed", "workers", "backend"):
        value = getattr(args, key)
        if value is not None:
            opts[key] = value
    if args.log:
        opts["log"] = True
    if args.lang:
        opts["lang"] = args.lang
    return opts


def _write(result, problem, outputs: dict[str, Path], written: list[Path], lang: str,
           book_lang: str) -> None:
    """Write the outputs one by one (each atomically), noting each one done in ``written``."""
    import pandas as pd

    from .core.safeio import atomic_write, neutralise_formulas
    from .report.excel import write_sheets

    def csv_writer(frame):
        safe = neutralise_formulas(frame)
        return lambda tmp: safe.to_csv(tmp, index=False, encoding="utf-8-sig")

    unmatched = result.unmatched_in(lang)
    summary = pd.DataFrame(list(result.summary().items()), columns=["item", "value"]).astype(
        {"value": str})
    out = outputs.get("--out")
    if out is not None:
        if out.suffix.lower() == ".xlsx":
            result.to_excel(out, lang=book_lang, problem=problem)
            written.append(out)
        else:
            siblings = csv_siblings(out)
            for path, frame in ((out, result.pairs),
                                (siblings["--out (unmatched)"], unmatched),
                                (siblings["--out (summary)"], summary)):
                atomic_write(path, csv_writer(frame))
                written.append(path)
    why = outputs.get("--unmatched-out")
    if why is not None:
        if why.suffix.lower() == ".xlsx":
            write_sheets({"unmatched": unmatched}, why)
        else:
            atomic_write(why, csv_writer(unmatched))
        written.append(why)


def _print_summary(result, width: int | None = None) -> int:
    summary = result.summary()
    width = width or max(len(k) for k in summary)
    for key, value in summary.items():
        print(f"{key:<{width}}  {value}")
    return width


class _Lines(logging.Formatter):
    """Progress lines as ``banghdai: …``; the CP-SAT search log as it comes."""

    def format(self, record: logging.LogRecord) -> str:
        text = record.getMessage()
        return text if record.levelno < logging.INFO else f"banghdai: {text}"


@contextlib.contextmanager
def _stderr_logging(quiet: bool, log: bool) -> Iterator[None]:
    """INFO lines of the ``banghdai`` logger (unless ``quiet``) and, with ``log``, the
    ``banghdai.solvers.cpsat`` DEBUG search log on stderr; warnings as one line each.
    Logger levels, handlers and warning display are restored afterwards."""
    top = logging.getLogger("banghdai")
    search = logging.getLogger("banghdai.solvers.cpsat")
    before = (top.level, search.level)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_Lines())
    handler.setLevel(logging.DEBUG)

    def shown(record: logging.LogRecord) -> bool:
        if record.levelno >= logging.WARNING:
            return True
        if record.levelno >= logging.INFO:
            return not quiet
        return log and record.name.startswith(search.name)

    handler.addFilter(shown)
    top.addHandler(handler)
    if top.level == logging.NOTSET or top.level > logging.INFO:
        top.setLevel(logging.INFO)
    if log:
        search.setLevel(logging.DEBUG)

    def show_warning(message, category, filename, lineno, file=None, line=None) -> None:
        print(f"banghdai: warning: {message}", file=sys.stderr)

    try:
        with warnings.catch_warnings():
            warnings.showwarning = show_warning
            yield
    finally:
        top.removeHandler(handler)
        top.setLevel(before[0])
        search.setLevel(before[1])


def _explain(problem, result, lang: str, time_limit: float | None) -> None:
    """Say why no pairing was found: the conflicts and the cheapest relaxation when the rules
    are proven infeasible, advice when time ran out."""
    from .core.status import Status

    if result.status is not Status.INFEASIBLE:
        print("no pairing was found within the time limit: give more time (--time-limit)"
              if lang == "en" else "在时间限制内未找到结对方案：请延长时间（--time-limit）")
        return
    from .explain import explain

    limit = 10.0 if time_limit is None else min(60.0, max(10.0, float(time_limit)))
    try:
        explanation = explain(problem, relax=True, lang=lang, time_limit=limit)
    except Exception as err:  # noqa: BLE001 - the verdict stands; only its explanation failed
        print(f"banghdai: could not explain the conflict ({type(err).__name__}: {err}); "
              "try bd.explain(problem) in Python", file=sys.stderr)
        return
    print(str(explanation))
    print("(bd.explain(problem, relax=True) in Python gives the same, with the relaxed pairing)"
          if lang == "en" else "（Python 中 bd.explain(problem, relax=True) 给出同样的说明和放宽后的结对）")


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code (0 found, 1 none, 2 bad input, 130 interrupted).

    Example
    -------
    >>> from banghdai.cli import main
    >>> main(["match", "sample:fanxian", "--quiet"])  # doctest: +ELLIPSIS
    status ...
    0
    """
    args = _parser().parse_args(argv)
    if args.command == "samples":
        from .data.samples import sample_names

        print("\n".join(sample_names()))
        return EXIT_FOUND
    with _stderr_logging(args.quiet, args.log):
        return _match(args)


def _match(args: argparse.Namespace) -> int:
    from .core.safeio import check_outputs

    outputs: dict[str, Path] = {}
    nothing = "nothing was written"
    asked = bool(args.out or args.unmatched_out)
    try:
        outputs = _outputs(args)
        check_outputs(outputs, [])
        roster = _load(args.inputs, args.rules)
        check_outputs(outputs, list(roster.files))
        _guard_roster_folder(outputs, roster)
        rules = roster.rules or {}
        if not rules:
            print("no rules file: pairing one-to-one with no rules", file=sys.stderr)
        problem = roster.problem(rules)
        options = _solve_options(args, rules)
        lang = options.get("lang", "en")
        book_lang = args.lang or (rules.get("solve") or {}).get("lang") or "zh"
        result = problem.solve(**options, progress=not args.quiet)
    except InputError as err:
        print(f"banghdai: input error: {err}", file=sys.stderr)
        if asked:
            print(f"banghdai: {nothing}", file=sys.stderr)
        return EXIT_INPUT
    except KeyboardInterrupt:
        print("banghdai: interrupted" + (f"; {nothing}" if asked else ""), file=sys.stderr)
        return EXIT_INTERRUPTED
    except BaseException:
        print("banghdai: internal error (a bug: please report it)"
              + (f"; {nothing}" if asked else ""), file=sys.stderr)
        raise
    width = max(len("written"), *(len(k) for k in result.summary()))
    kept = "existing files left as they were"
    if result.info.get("interrupted"):
        _print_summary(result, width)
        print(f"banghdai: interrupted; {nothing}" + (f" ({kept})" if outputs else ""),
              file=sys.stderr)
        return EXIT_INTERRUPTED
    if not result.status.has_solution:
        _print_summary(result, width)
        if outputs:
            print(f"{'written':<{width}}  nothing was written (status {result.status.name}: "
                  f"{kept})")
        try:
            _explain(problem, result, lang, options.get("time_limit"))
        except KeyboardInterrupt:
            print("banghdai: interrupted", file=sys.stderr)
            return EXIT_INTERRUPTED
        return EXIT_NONE
    written: list[Path] = []

    def not_written() -> str:
        if not written:
            return f"{nothing} ({kept})"
        rest = [str(p) for p in outputs.values() if p not in written]
        return f"only {', '.join(map(str, written))} was written; {', '.join(rest)} was not"

    try:
        _write(result, problem, outputs, written, lang, book_lang)
    except KeyboardInterrupt:
        print(f"banghdai: interrupted while writing; {not_written()}", file=sys.stderr)
        return EXIT_INTERRUPTED
    except (InputError, OSError) as err:
        _print_summary(result, width)
        text = err.strerror if isinstance(err, OSError) and err.strerror else str(err)
        print(f"banghdai: input error: cannot write the output: {text}", file=sys.stderr)
        print(f"{'written':<{width}}  {not_written()}")
        return EXIT_INPUT
    _print_summary(result, width)
    for path in written:
        print(f"{'written':<{width}}  {path}")
    return EXIT_FOUND


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
