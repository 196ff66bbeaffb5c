"""Command line for batch scripts.

``banghdai match <roster folder | workbook | mentors.csv mentees.csv> [--rules rules.toml]
--out pairs.csv|pairs.xlsx``

Prints a summary (pairs, coverage, mean distance, fit, status, gap, seconds)
and exits 0 when a pairing was found, 1 when it was proven infeasible or time
ran out, 2 on bad input (the InputError message names row and column).

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
import sys
from pathlib import Path

from .core.errors import InputError


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="banghdai",
        description="Exact mentor–mentee pairing (导师帮带). See the README for the rules file.",
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
    match.add_argument("--unmatched-out", help="write unmatched mentees and reasons to a .csv")
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
    from .data.readers import Roster, read_roster, read_table
    from .data.samples import sample_path
    from .rulesfile import read_rules

    if len(inputs) == 1:
        target = inputs[0]
        if target.startswith("sample:"):
            target = str(sample_path(target.split(":", 1)[1]))
        return read_roster(target, rules=rules)
    if len(inputs) == 2:
        roster = Roster(mentors=read_table(inputs[0]), mentees=read_table(inputs[1]))
        if rules is not None:
            roster.rules = read_rules(rules)
        return roster
    raise InputError("give one roster folder/workbook, or a mentors file and a mentees file",
                     table="inputs")


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code.

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
        return 0
    try:
        roster = _load(args.inputs, args.rules)
        rules = roster.rules or {}
        if not rules:
            print("no rules file: pairing one-to-one with no rules", file=sys.stderr)
        problem = roster.problem(rules)
        opts = dict(rules.get("solve", {}))
        for key in ("time_limit", "seed", "workers", "backend"):
            value = getattr(args, key)
            if value is not None:
                opts[key] = value
        if args.log:
            opts["log"] = True
        if args.lang:
            opts["lang"] = args.lang
        result = problem.solve(**opts)
        if args.out:
            out = Path(args.out)
            if out.suffix.lower() == ".xlsx":
                result.to_excel(out)
            elif out.suffix.lower() == ".csv":
                result.to_csv(out)
            else:
                raise InputError("--out must end in .csv or .xlsx", column="--out")
        if args.unmatched_out:
            result.unmatched.to_csv(args.unmatched_out, index=False, encoding="utf-8-sig")
    except InputError as err:
        print(f"banghdai: input error: {err}", file=sys.stderr)
        return 2
    summary = result.summary()
    width = max(len(k) for k in summary)
    for key, value in summary.items():
        print(f"{key:<{width}}  {value}")
    if args.out:
        print(f"{'written':<{width}}  {args.out}")
    return 0 if result.status.has_solution else 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
