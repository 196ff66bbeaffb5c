"""Command line for batch scripts.

``banghdai match <roster folder | workbook | mentors.csv mentees.csv> [--rules rules.toml]
--out pairs.csv|pairs.xlsx``

Prints a summary (pairs, coverage, mean distance, fit, status, gap, seconds)
and exits

* 0 when a pairing was found (and written),
* 1 when it was proven infeasible or time ran out without one,
* 2 on bad input (the InputError message names file, row and column) — an
  output that cannot be written is bad input too, and is found before solving,
* 130 when interrupted (Ctrl-C).

Outputs are written only when a pairing was found, each to a temporary file
that is then renamed into place: on INFEASIBLE, UNKNOWN, an error or an
interrupt existing files are left as they were and the summary says that
nothing was written. An output is never written over an input file, and
``--out`` and ``--unmatched-out`` must be different files.

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
import math
import sys
from pathlib import Path

from .core.errors import InputError

EXIT_FOUND, EXIT_NONE, EXIT_INPUT, EXIT_INTERRUPTED = 0, 1, 2, 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="banghdai",
        description="Exact mentor–mentee pairing (导师帮带). See the README for the rules file.",
        epilog="exit codes: 0 pairing found, 1 infeasible or out of time, 2 bad input, "
        "130 interrupted",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    match = sub.add_parser("match", help="pair mentors and mentees from a roster")
    match.add_argument(
        "inputs", nargs="+",
        help="a roster folder, an .xlsx workbook, or mentors and mentees files; "
        "or sample:NAME for a shipped sample",
    )
    match.add_argument("--rules", help="rules TOML (default: rules.toml in the roster folder)")
    match.add_argument("--out", help="write pairs to .csv or .xlsx (pairs, unmatched, summary)")
    match.add_argument("--unmatched-out",
                       help="write unmatched mentees and reasons to a .csv (or .xlsx)")
    match.add_argument("--time-limit", type=float, default=None, help="seconds (default 60)")
    match.add_argument("--seed", type=int, default=None, help="solver seed (default 0)")
    match.add_argument("--workers", type=int, default=None, help="solver threads")
    match.add_argument("--backend", default=None, help="auto (default) or a backend name")
    match.add_argument("--log", action="store_true", help="show the solver's search log")
    match.add_argument("--lang", choices=["en", "zh"], default=None,
                       help="language of the unmatched reasons (default en)")
    sub.add_parser("samples", help="list the shipped samples")
    return parser


def _load(inputs: list[str], rules: str | None):
    from .data.readers import Roster, id_columns, read_roster, read_table
    from .data.samples import sample_path
    from .rulesfile import read_rules

    if len(inputs) == 1:
        target = inputs[0]
        if target.startswith("sample:"):
            target = str(sample_path(target.split(":", 1)[1]))
        return read_roster(target, rules=rules)
    if len(inputs) == 2:
        rules_data = read_rules(rules) if rules is not None else None
        tables = []
        for side, name in zip(("mentors", "mentees"), inputs, strict=True):
            table = read_table(name, ids=id_columns(rules_data, side))
            if len(table) == 0:
                raise InputError(f"the {side} table has a header but no rows", table=side,
                                 file=name)
            tables.append(table)
        files = [Path(p) for p in inputs] + ([Path(rules)] if rules is not None else [])
        return Roster(mentors=tables[0], mentees=tables[1], rules=rules_data, files=files)
    raise InputError("give one roster folder/workbook, or a mentors file and a mentees file",
                     table="inputs")


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


def _write(result, outputs: dict[str, Path], written: list[Path]) -> None:
    """Write the outputs one by one (each atomically), noting each one done in ``written``."""
    from .core.safeio import atomic_write, neutralise_formulas
    from .report.excel import write_excel, write_sheets

    def csv_writer(frame):
        safe = neutralise_formulas(frame)
        return lambda tmp: safe.to_csv(tmp, index=False, encoding="utf-8-sig")

    out = outputs.get("--out")
    if out is not None:
        if out.suffix.lower() == ".xlsx":
            write_excel(result, out)
        else:
            atomic_write(out, csv_writer(result.pairs))
        written.append(out)
    why = outputs.get("--unmatched-out")
    if why is not None:
        if why.suffix.lower() == ".xlsx":
            write_sheets({"unmatched": result.unmatched}, why)
        else:
            atomic_write(why, csv_writer(result.unmatched))
        written.append(why)


def _print_summary(result, width: int | None = None) -> int:
    summary = result.summary()
    width = width or max(len(k) for k in summary)
    for key, value in summary.items():
        print(f"{key:<{width}}  {value}")
    return width


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code (0 found, 1 none, 2 bad input, 130 interrupted).

    Example
    -------
    >>> from banghdai.cli import main
    >>> main(["match", "sample:fanxian"])  # doctest: +ELLIPSIS
    status ...
    0
    """
    args = _parser().parse_args(argv)
    if args.command == "samples":
        from .data.samples import sample_names

        print("\n".join(sample_names()))
        return EXIT_FOUND
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
        result = problem.solve(**_solve_options(args, rules))
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
    if not result.status.has_solution:
        _print_summary(result, width)
        if outputs:
            print(f"{'written':<{width}}  nothing was written (status {result.status.name}: "
                  "existing files left as they were)")
        return EXIT_NONE
    written: list[Path] = []

    def not_written() -> str:
        if not written:
            return f"{nothing} (existing files left as they were)"
        rest = [str(p) for p in outputs.values() if p not in written]
        return f"only {', '.join(map(str, written))} was written; {', '.join(rest)} was not"

    try:
        _write(result, outputs, written)
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
