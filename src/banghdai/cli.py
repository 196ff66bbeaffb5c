"""Command line for batch scripts.

``banghdai match <roster folder | workbook | mentors.csv mentees.csv> [--rules rules.toml]
--out pairs.xlsx|pairs.csv``

Prints a summary (pairs, coverage, mean distance, fit, status, gap, seconds)
and exits

* 0 when a pairing was found (and written) — proven optimal, or not proven when
  time ran out first: then stderr says so per level, with the bound and the gap
  (``banghdai: not proven optimal within the time limit: …``, in Chinese under
  ``--lang zh``);
* 1 when it was proven infeasible (the conflicting rules and the cheapest
  relaxation from :func:`banghdai.explain` are printed) or time ran out
  without one,
* 2 on bad input (the InputError message names file, row and column) — an
  output that cannot be written is bad input too, and is found before solving,
* 3 with ``--require-optimal`` when the pairing found is not proven optimal
  (nothing is written: rerun with more ``--time-limit``),
* 130 when interrupted (Ctrl-C) at any moment, also when the solver stopped early
  on it with its best pairing so far; nothing is written.

Whatever the exit code, only 0 writes: the outputs are written all or nothing
(:func:`banghdai.core.safeio.write_together`), so on any other code every existing
file is as it was.

Every line the command prints — the summary, errors with their hints, warnings,
``--help`` — is in English, or in Chinese with ``--lang zh``, ``BANGHDAI_LANG=zh``
in the environment or ``[solve] lang = "zh"`` in the rules (from the moment the
rules file is read); the texts come from the message catalogue
(:mod:`banghdai.core.catalogue`). ``banghdai --version`` prints the version.

``--out pairs.xlsx`` writes the printable workbook (:meth:`Result.to_excel`:
帮带对子名单, 县区汇总, 未匹配名单, 规则与参数 in Chinese, or English with
``--lang en``); ``--out pairs.csv`` writes the pairs there and the unmatched
mentees and the summary beside it, as ``pairs_unmatched.csv`` and
``pairs_summary.csv`` (every field quoted, formula-leading text after a ``'``);
``--out pairs.pdf`` writes the list as an A4 PDF (:meth:`Result.to_pdf`).
``--papers 一人一册.xlsx`` (or ``.pdf``, repeatable) writes the papers that follow
the match (:meth:`Result.to_papers`).

Outputs are written only when a pairing was found, all to temporary files that
are then renamed into place together: on INFEASIBLE, UNKNOWN, an unproven
pairing under ``--require-optimal``, an error or an interrupt (even one during
writing) existing files are left as they were and the summary says that nothing
was written. An output is never written over an input file, and
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
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from .api import Roster
from .core.errors import InputError, Msg
from .core.messages import CATALOGUE, env_lang, text, use_lang
from .data.readers import RulesReader, read_files, read_roster
from .data.samples import sample_path
from .rulesfile import read_rules

EXIT_FOUND, EXIT_NONE, EXIT_INPUT, EXIT_UNPROVEN, EXIT_INTERRUPTED = 0, 1, 2, 3, 130


def _parser(lang: str = "en") -> argparse.ArgumentParser:
    from .core.version import version

    def say(code: str) -> str:
        return text(code, lang).replace("%", "%%")

    parser = argparse.ArgumentParser(prog="banghdai", description=say("cli.help.description"),
                                     epilog=say("cli.help.epilog"))
    parser.add_argument("--version", action="version", version=f"banghdai {version()}",
                        help=say("cli.help.version"))
    sub = parser.add_subparsers(dest="command", required=True, metavar="{match,samples}",
                                title=say("cli.help.commands"))
    match = sub.add_parser("match", help=say("cli.help.match"),
                           description=say("cli.help.match_description"),
                           epilog=say("cli.help.match_epilog"))
    match.add_argument("inputs", nargs="+", help=say("cli.help.inputs"),
                       metavar=say("cli.help.inputs_metavar"))
    kinds: tuple[tuple[str, str, str, Callable[[str], Any]], ...] = (
        ("--rules", "file", "rules", str), ("--out", "file", "out", str),
        ("--unmatched-out", "file", "unmatched_out", str),
        ("--time-limit", "seconds", "time_limit", float), ("--seed", "number", "seed", int),
        ("--workers", "number", "workers", int), ("--backend", "name", "backend", str))
    for option, metavar, code, kind in kinds:
        match.add_argument(option, metavar=say(f"cli.help.metavar_{metavar}"), type=kind,
                           default=None, help=say(f"cli.help.{code}"))
    match.add_argument("--papers", action="append", default=None,
                       metavar=say("cli.help.metavar_file"), help=say("cli.help.papers"))
    match.add_argument("--log", action="store_true", help=say("cli.help.log"))
    match.add_argument("--quiet", action="store_true", help=say("cli.help.quiet"))
    match.add_argument("--require-optimal", action="store_true",
                       help=say("cli.help.require_optimal"))
    match.add_argument("--lang", choices=["en", "zh"], default=None, help=say("cli.help.lang"))
    sub.add_parser("samples", help=say("cli.help.samples"))
    return parser


def _asked_lang(argv: list[str]) -> str:
    """The language the command line speaks before its arguments are parsed: ``--lang``
    (``--lang zh`` or ``--lang=zh``) if given, else ``BANGHDAI_LANG``, else English.

    Example
    -------
    >>> from banghdai.cli import _asked_lang
    >>> _asked_lang(["match", "x", "--lang", "zh"]), _asked_lang(["match", "--lang=en", "x"])
    ('zh', 'en')
    """
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv) and argv[i + 1] in ("en", "zh"):
            return argv[i + 1]
        if arg.startswith("--lang=") and arg.split("=", 1)[1] in ("en", "zh"):
            return arg.split("=", 1)[1]
    return env_lang()


@contextlib.contextmanager
def _argparse_in(lang: str) -> Iterator[None]:
    """argparse's own words (usage:, options, its error messages) from the catalogue."""
    if lang == "en":
        yield
        return
    own = argparse._  # type: ignore[attr-defined]

    def said(message: str) -> str:
        code = f"argparse.{message}"
        return text(code, lang) if code in CATALOGUE else own(message)

    argparse._ = said  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._ = own  # type: ignore[attr-defined]


def _load(inputs: list[str], rules: str | None, read_rules: RulesReader) -> Roster:
    if len(inputs) == 1:
        target = inputs[0]
        if target.startswith("sample:"):
            target = str(sample_path(target.split(":", 1)[1]))
        return Roster.of(read_roster(target, rules=rules, read_rules=read_rules))
    if len(inputs) == 2:
        return Roster.of(read_files(inputs[0], inputs[1], rules=rules, read_rules=read_rules))
    raise InputError(Msg("cli.inputs"), table="inputs")


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
        if out.suffix.lower() not in (".csv", ".xlsx", ".pdf"):
            raise InputError(Msg("cli.out_suffix", out=args.out), column="--out",
                             choices=[".csv", ".xlsx", ".pdf"])
        outputs["--out"] = check_writable(out, "--out")
        if out.suffix.lower() == ".csv":
            for option, sibling in csv_siblings(out).items():
                outputs[option] = check_writable(sibling, option)
    if args.unmatched_out:
        outputs["--unmatched-out"] = check_writable(Path(args.unmatched_out), "--unmatched-out")
    for i, value in enumerate(args.papers or []):
        option = "--papers" if i == 0 else f"--papers ({i + 1})"
        if Path(value).suffix.lower() not in (".xlsx", ".pdf"):
            raise InputError(Msg("cli.papers_suffix", papers=value), column=option,
                             choices=[".xlsx", ".pdf"])
        outputs[option] = check_writable(Path(value), option)
    if any(p.suffix.lower() == ".pdf" for p in outputs.values()):
        from .report.pdf import check_pdf

        check_pdf()  # refuse before solving when the pdf extra is missing
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
            raise InputError(Msg("cli.out_in_roster", path=path, stem=path.stem),
                             column=option)


def _solve_options(args: argparse.Namespace, rules: dict) -> dict:
    opts = dict(rules.get("solve", {})) if isinstance(rules.get("solve", {}), dict) else {}
    if args.time_limit is not None and not (math.isfinite(args.time_limit)
                                            and args.time_limit > 0):
        raise InputError(Msg("cli.time_limit", value=args.time_limit), column="--time-limit")
    if args.workers is not None and args.workers < 1:
        raise InputError(Msg("cli.workers", value=args.workers), column="--workers")
    for key in ("time_limit", "seed", "workers", "backend"):
        value = getattr(args, key)
        if value is not None:
            opts[key] = value
    if args.log:
        opts["log"] = True
    if args.lang:
        opts["lang"] = args.lang
    return opts


def _write(result, problem, outputs: dict[str, Path], lang: str, book_lang: str) -> list[Path]:
    """Write every output all or nothing (:func:`~banghdai.core.safeio.write_together`)."""
    import pandas as pd

    from .core.safeio import csv_writer, write_together
    from .report.excel import write_sheets

    unmatched = result.unmatched_in(lang)
    summary = pd.DataFrame(list(result.summary().items()), columns=["item", "value"]).astype(
        {"value": str})
    writes: list = []
    out = outputs.get("--out")
    if out is not None:
        if out.suffix.lower() == ".xlsx":
            writes.append((out, lambda tmp: result.to_excel(tmp, lang=book_lang,
                                                            problem=problem)))
        elif out.suffix.lower() == ".pdf":
            writes.append((out, lambda tmp: result.to_pdf(tmp, lang=book_lang,
                                                          problem=problem)))
        else:
            siblings = csv_siblings(out)
            writes += [(out, csv_writer(result.pairs)),
                       (siblings["--out (unmatched)"], csv_writer(unmatched)),
                       (siblings["--out (summary)"], csv_writer(summary))]
    why = outputs.get("--unmatched-out")
    if why is not None:
        writes.append((why, (lambda tmp: write_sheets({"unmatched": unmatched}, tmp))
                       if why.suffix.lower() == ".xlsx" else csv_writer(unmatched)))
    for option, path in outputs.items():
        if option.startswith("--papers"):
            if path.suffix.lower() == ".pdf":
                writes.append((path, lambda tmp: result.to_pdf(
                    tmp, lang=book_lang, problem=problem, papers=True, pairs=False)))
            else:
                writes.append((path, lambda tmp: result.to_papers(tmp, lang=book_lang,
                                                                  problem=problem)))
    return write_together(writes)


def _say_outcome(result, lang: str) -> None:
    """What is not proven (per level, with bound and gap) or interrupted, on stderr."""
    for line in result.outcome(lang):
        print(f"banghdai: {line}", file=sys.stderr)


def _cells(word: str) -> int:
    """Columns ``word`` takes on a terminal: a Chinese character takes two."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in word)


def _key(key: str, lang: str) -> str:
    """A summary key as the planner reads it (``pairs`` → 结对数 in Chinese)."""
    code = f"cli.summary.{key}"
    return text(code, lang) if code in CATALOGUE else key


def _value(key: str, value: object, lang: str) -> object:
    """A summary value in ``lang``: the status in words (最优 (OPTIMAL)) in Chinese."""
    code = f"cli.status.{value}"
    if key == "status" and code in CATALOGUE:
        return text(code, lang)
    return text("cli.none", lang) if value is None else value


def _line(key: str, value: object, width: int, lang: str) -> str:
    shown = _key(key, lang)
    return f"{shown}{' ' * max(width - _cells(shown), 0)}  {_value(key, value, lang)}"


def summary_width(result, lang: str = "en") -> int:
    """Width of the key column of the printed summary (the ``written`` line included).

    Example
    -------
    >>> import pandas as pd, banghdai as bd
    >>> from banghdai.cli import summary_width
    >>> r = bd.Problem(pd.DataFrame({"mentor_id": ["M"]}), pd.DataFrame({"mentee_id": ["E"]})).solve()
    >>> summary_width(r, "en"), summary_width(r, "zh")
    (17, 14)
    """
    return max(_cells(_key(k, lang)) for k in [*result.summary(), "written"])


def _print_summary(result, width: int | None = None, lang: str = "en") -> int:
    summary = result.summary()
    width = width or summary_width(result, lang)
    for key, value in summary.items():
        print(_line(key, value, width, lang))
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
        lang = _SPEAKING["lang"]
        said = message.text(lang) if hasattr(message, "text") else str(message)
        print(f"banghdai: {text('cli.warning', lang)}{said}", file=sys.stderr)

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
        print(text("cli.out_of_time", lang))
        return
    from .explain import explain

    limit = 10.0 if time_limit is None else min(60.0, max(10.0, float(time_limit)))
    try:
        explanation = explain(problem, relax=True, lang=lang, time_limit=limit)
        if explanation.interrupted:  # Ctrl-C: explain returned early; the run ends with 130
            raise KeyboardInterrupt
    except Exception as err:  # noqa: BLE001 - the verdict stands; only its explanation failed
        print("banghdai: " + text("cli.cannot_explain", lang,
                                  detail=f"{type(err).__name__}: {err}"), file=sys.stderr)
        return
    print(str(explanation))
    print(text("cli.explain_in_python", lang))


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code (0 found, 1 none, 2 bad input, 130 interrupted).

    Example
    -------
    >>> from banghdai.cli import main
    >>> main(["match", "sample:fanxian", "--quiet"])  # doctest: +ELLIPSIS
    status ...
    0
    """
    argv = sys.argv[1:] if argv is None else list(argv)
    lang = _asked_lang(argv)
    with _argparse_in(lang):
        args = _parser(lang).parse_args(argv)
    if args.command == "samples":
        from .data.samples import sample_names

        print("\n".join(sample_names()))
        return EXIT_FOUND
    _SPEAKING["lang"] = lang
    try:
        with _stderr_logging(args.quiet, args.log):
            try:
                return _match(args)
            except KeyboardInterrupt:  # anywhere: outputs are written all or nothing
                speak = _SPEAKING["lang"]
                print("banghdai: " + text("cli.interrupted", speak) + text("cli.sep", speak)
                      + text("cli.nothing_written", speak), file=sys.stderr)
                return EXIT_INTERRUPTED
    finally:
        _SPEAKING["lang"] = "en"


#: The language the command line speaks now: ``--lang``, else BANGHDAI_LANG, else the
#: rules' ``[solve] lang`` once the rules file is read, else English.
_SPEAKING: dict[str, str] = {"lang": "en"}


def _rules_reader(args: argparse.Namespace) -> RulesReader:
    """``read_rules`` that also makes the command line speak the rules file's ``[solve] lang``
    from the moment it is read (unless ``--lang`` or BANGHDAI_LANG chose already), so that
    errors and warnings are written in that language (``main`` resets it after the run)."""
    chosen = args.lang or env_lang("")

    def read(path: Path) -> dict[str, Any]:
        data = read_rules(path)
        solve = data.get("solve")
        if not chosen and isinstance(solve, dict) and solve.get("lang") in ("en", "zh"):
            _SPEAKING["lang"] = solve["lang"]
        return data

    return read


def _match(args: argparse.Namespace) -> int:
    from .core.safeio import check_outputs
    from .data.readreport import print_short

    def say(code: str, **params: object) -> str:
        return text(code, _SPEAKING["lang"], **params)

    outputs: dict[str, Path] = {}
    asked = bool(args.out or args.unmatched_out)
    try:
        outputs = _outputs(args)
        check_outputs(outputs, [])
        roster = _load(args.inputs, args.rules, _rules_reader(args))
        check_outputs(outputs, list(roster.files))
        _guard_roster_folder(outputs, roster)
        rules = roster.rules or {}
        print_short(roster, args.lang or (rules.get("solve") or {}).get("lang"), args.quiet)
        if not rules:
            print(say("cli.no_rules"), file=sys.stderr)
        with use_lang(_SPEAKING["lang"]):
            problem = roster.problem(rules)
            options = _solve_options(args, rules)
        if "lang" not in options and _SPEAKING["lang"] != "en":
            options["lang"] = _SPEAKING["lang"]
        lang = options.get("lang", "en")
        book_lang = args.lang or (rules.get("solve") or {}).get("lang") or "zh"
        with use_lang(_SPEAKING["lang"]):
            result = problem.solve(**options, progress=not args.quiet)
        _say_idle_mentors(result, _SPEAKING["lang"])
    except InputError as err:
        print("banghdai: " + say("cli.input_error") + err.text(_SPEAKING["lang"]),
              file=sys.stderr)
        if asked:
            print("banghdai: " + say("cli.nothing_written"), file=sys.stderr)
        return EXIT_INPUT
    except KeyboardInterrupt:
        print("banghdai: " + say("cli.interrupted")
              + (say("cli.sep") + say("cli.nothing_written") if asked else ""), file=sys.stderr)
        return EXIT_INTERRUPTED
    except BaseException:
        print("banghdai: " + say("cli.internal_error")
              + (say("cli.sep") + say("cli.nothing_written") if asked else ""), file=sys.stderr)
        raise
    speak = _SPEAKING["lang"]
    width = summary_width(result, speak)
    nothing, kept = say("cli.nothing_written"), say("cli.kept")
    written_key = _key("written", speak)
    from .core import interrupt
    from .core.status import Status

    if result.info.get("interrupted"):
        _print_summary(result, width, speak)
        _say_outcome(result, speak)
        print("banghdai: " + say("cli.interrupted") + say("cli.sep") + nothing
              + (say("cli.paren", text=kept) if outputs else ""), file=sys.stderr)
        return EXIT_INTERRUPTED
    if not result.status.has_solution:
        _print_summary(result, width, speak)
        if outputs:
            print(_line("written", say("cli.nothing_written_status", status=result.status.name,
                                       kept=kept), width, speak))
        _explain(problem, result, lang, options.get("time_limit"))
        return EXIT_NONE
    if args.require_optimal and result.status is not Status.OPTIMAL:
        _print_summary(result, width, speak)
        _say_outcome(result, speak)
        print("banghdai: " + say("cli.require_optimal"), file=sys.stderr)
        return EXIT_UNPROVEN
    try:
        written = _write(result, problem, outputs, lang, book_lang)
    except KeyboardInterrupt:
        print("banghdai: " + say("cli.interrupted_writing", rest=nothing
                                 + say("cli.paren", text=kept)), file=sys.stderr)
        return EXIT_INTERRUPTED
    except (InputError, OSError) as err:
        _print_summary(result, width, speak)
        shown = (err.text(speak) if isinstance(err, InputError)
                 else err.strerror if err.strerror else str(err))
        print("banghdai: " + say("cli.input_error") + say("cli.cannot_write", text=shown),
              file=sys.stderr)
        print(_line("written", nothing + say("cli.paren", text=kept), width, speak))
        return EXIT_INPUT
    with interrupt.watching(raising=False):  # written: a late Ctrl-C changes nothing now
        _print_summary(result, width, speak)
        for path in written:
            print(f"{written_key}{' ' * max(width - _cells(written_key), 0)}  {path}")
        _say_outcome(result, speak)
    return EXIT_FOUND


def _say_idle_mentors(result, lang: str) -> None:
    """One short line on stderr when some mentors can never be offered a candidate (from the
    graph the solve compiled: no second compile)."""
    try:
        idle = result.idle_mentors(lang)
    except Exception:  # noqa: BLE001 - an advisory line never costs the pairing
        logging.getLogger("banghdai").debug("idle mentors not reported", exc_info=True)
        return
    if idle is not None and len(idle):
        print("banghdai: " + text("cli.warning", lang) + idle.attrs["summary"][lang],
              file=sys.stderr)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
