"""The public face: :class:`Problem`, :class:`Result` and :class:`Roster` with the
conveniences that reach every layer, and the functions that hand them back.

The layers below import only downwards, so none of them can call a higher one:
``model.problem.Problem`` holds tables and rules, ``result.Result`` is plain data (it
pickles; what the reasons and idle mentors are made from travels as data), and
``data.readers.Roster`` holds the tables read. This module sits above every layer and
gives each a thin subclass with the calls that go up — ``problem.solve()`` (the solvers),
``problem.compile()``, ``problem.to_rules()`` and ``roster.problem()`` (the rules file),
``result.reasons(lang)`` and ``result.idle_mentors(lang)`` (explain), ``result.to_excel()``,
``result.to_papers()``, ``result.to_pdf()`` and ``result.plot`` (the report) — and the public functions that
return them (``bd.solve``, ``bd.read_roster``, ``bd.load_sample``, ``bd.rematch`` …).
``import banghdai as bd`` exports these.

Example
-------
>>> import pickle, pandas as pd, banghdai as bd
>>> p = bd.Problem(pd.DataFrame({"mentor_id": ["M"]}), pd.DataFrame({"mentee_id": ["E", "F"]}))
>>> r = p.solve()
>>> type(r) is bd.Result, len(r.reasons("zh"))
(True, 1)
>>> back = pickle.loads(pickle.dumps(r))
>>> back.summary() == r.summary(), back.reasons("en")["reason"].tolist()
(True, ['all 1 candidate mentors are at capacity'])
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from concurrent.futures import Executor
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd

from . import result as _result
from .apps import rematch as _rematch_module
from .compile.graph import Compiled, compile_problem
from .data import readers as _readers
from .data import samples as _samples
from .explain import conflicts as _conflicts
from .explain.check import idle_of
from .explain.pairs import explain_pairs as _explain_pairs
from .explain.unmatched import reasons_of, with_reasons
from .model import problem as _problem
from .report import (
    plot_coverage,
    plot_distance,
    plot_load,
    plot_map,
    write_excel,
    write_papers,
    write_pdf,
    write_workbook,
)
from .rulesfile import problem_from_rules as _problem_from_rules
from .rulesfile import read_rules, write_rules
from .solvers import run as _run

_T = TypeVar("_T")


def _adopt(cls: type[_T], obj: object) -> _T:
    """``obj`` as an instance of ``cls``, a subclass of its class (same attributes, shared)."""
    if isinstance(obj, cls):
        return obj
    out = cls.__new__(cls)
    out.__dict__.update(vars(obj))
    return out


class Problem(_problem.Problem):
    __doc__ = _problem.Problem.__doc__

    @classmethod
    def of(cls, problem: _problem.Problem) -> Problem:
        """``problem`` as a public :class:`Problem` (the same rules and tables, shared).

        Example
        -------
        >>> import pandas as pd, banghdai as bd
        >>> from banghdai.model.problem import Problem as Plain
        >>> p = Plain(pd.DataFrame({"mentor_id": ["M"]}), pd.DataFrame({"mentee_id": ["E"]}))
        >>> bd.Problem.of(p).solve().status.name
        'OPTIMAL'
        """
        return _adopt(cls, problem)

    def compile(self, *, scale: float | None = None) -> Compiled:
        """Compile into the frozen candidate graph (see :func:`banghdai.compile_problem`).

        Example
        -------
        >>> import pandas as pd, banghdai as bd
        >>> p = bd.Problem(pd.DataFrame({"mentor_id": ["M"]}), pd.DataFrame({"mentee_id": ["E"]}))
        >>> p.compile().n_edges
        1
        """
        return compile_problem(self, scale=scale)

    def solve(
        self,
        *,
        backend: str = "auto",
        time_limit: float | None = 60.0,
        seed: int = 0,
        workers: int | None = None,
        log: bool = False,
        params: Mapping[str, Any] | None = None,
        scale: float | None = None,
        split: bool | str = "auto",
        executor: Executor | None = None,
        lang: str = "en",
        progress: bool | None = None,
    ) -> Result:
        """Solve and return a :class:`Result` (same as :func:`banghdai.solve`).

        Example
        -------
        >>> import pandas as pd, banghdai as bd
        >>> p = bd.Problem(pd.DataFrame({"mentor_id": [1]}), pd.DataFrame({"mentee_id": [1]}))
        >>> p.solve(time_limit=5, seed=1).status.name
        'OPTIMAL'
        """
        return solve(self, backend=backend, time_limit=time_limit, seed=seed, workers=workers,
                     log=log, params=params, scale=scale, split=split, executor=executor,
                     lang=lang, progress=progress)

    def to_rules(self, path: str | Path) -> Path:
        """Write this problem's rules to a rules TOML file (side tables as CSV beside it).

        ``bd.read_rules`` and ``bd.problem_from_rules`` with the same tables
        give the same problem back.

        Example
        -------
        >>> import tempfile, pathlib, pandas as pd, banghdai as bd
        >>> p = bd.Problem(pd.DataFrame({"mentor_id": ["M"]}), pd.DataFrame({"mentee_id": ["E"]}))
        >>> path = p.require(bd.SameRegion("county")).to_rules(pathlib.Path(tempfile.mkdtemp()) / "r.toml")
        >>> "same_region" in path.read_text(encoding="utf-8")
        True
        """
        return write_rules(self, path)


class Result(_result.Result):
    __doc__ = (_result.Result.__doc__ or "") + """
    A Result is plain data: it pickles, and keeps no function. What its reasons and idle
    mentors are made from travels as data (``reasons_from``, ``idle_from``); the words are
    written when asked (:meth:`reasons`, :meth:`idle_mentors`).
    """

    @classmethod
    def of(cls, result: _result.Result) -> Result:
        """``result`` as a public :class:`Result` (the same tables, shared).

        Example
        -------
        >>> import pandas as pd, banghdai as bd
        >>> from banghdai.solvers.run import solve
        >>> p = bd.Problem(pd.DataFrame({"mentor_id": ["M"]}), pd.DataFrame({"mentee_id": ["E"]}))
        >>> type(bd.Result.of(solve(p))).__name__
        'Result'
        """
        return _adopt(cls, result)

    def reasons(self, lang: str) -> pd.DataFrame:
        """``unmatched`` with its reasons written in ``lang`` ("en" or "zh"), from the data the
        solve kept (the table as it is for a result built by hand).

        Example
        -------
        >>> import pandas as pd, banghdai as bd
        >>> p = bd.Problem(pd.DataFrame({"mentor_id": ["M"]}), pd.DataFrame({"mentee_id": ["E", "F"]}))
        >>> p.solve().reasons("zh")["reason"].tolist()
        ['1名候选导师均已满额']
        """
        return reasons_of(self, lang)

    def unmatched_in(self, lang: str) -> pd.DataFrame:
        """``unmatched`` with its reasons in ``lang`` ("en" or "zh").

        Example
        -------
        >>> import pandas as pd, banghdai as bd
        >>> p = bd.Problem(pd.DataFrame({"mentor_id": ["M"]}), pd.DataFrame({"mentee_id": ["E", "F"]}))
        >>> bool(p.solve().unmatched_in("zh")["reason"].str.contains("导师").all())
        True
        """
        if self.reasons_from is None or self.info.get("lang", "en") == lang:
            return self.unmatched
        return self.reasons(lang)

    def idle_mentors(self, lang: str = "en") -> pd.DataFrame | None:
        """Mentors who could never be offered a mentee under the hard rules, from the graph
        this solve compiled (see :func:`banghdai.explain.check.idle_mentors`); None when the
        result was not made by ``solve``.

        Example
        -------
        >>> import pandas as pd, banghdai as bd
        >>> p = bd.Problem(pd.DataFrame({"mentor_id": ["M1", "M2"], "county": ["A", "B"]}),
        ...                pd.DataFrame({"mentee_id": ["E"], "county": ["A"]}))
        >>> p.require(bd.SameRegion("county")).solve().idle_mentors()["mentor_id"].tolist()
        ['M2']
        """
        return idle_of(self, lang)

    def explain_pairs(self, problem: Any, lang: str = "en") -> pd.DataFrame:
        """Why each pair: score breakdown, rank, best alternative (see :func:`banghdai.explain_pairs`).

        Example
        -------
        >>> import pandas as pd, banghdai as bd
        >>> p = bd.Problem(pd.DataFrame({"mentor_id": ["M"]}), pd.DataFrame({"mentee_id": ["E"]}))
        >>> p.solve().explain_pairs(p)["alt_mentor_id"].tolist()
        ['none']
        """
        return _explain_pairs(problem, self.pairs, lang)

    @property
    def plot(self) -> Plots:
        """Maps and charts of this pairing: ``result.plot.map()``, ``.load()``,
        ``.distance()``, ``.coverage()`` (matplotlib Figures; Chinese renders; needs the
        ``plot`` extra).

        Example
        -------
        >>> import pandas as pd, banghdai as bd
        >>> r = bd.Problem(pd.DataFrame({"mentor_id": ["M"]}), pd.DataFrame({"mentee_id": ["E"]})).solve()
        >>> type(r.plot).__name__
        'Plots'
        """
        return Plots(self)

    def to_excel(self, path: str | Path, *, lang: str = "zh", problem: Any = None,
                 **options: Any) -> Path:
        """Write the printable pairing list (帮带对子名单) workbook (needs openpyxl).

        Sheets: the pair roster (one row per mentee, its mentors side by side, the
        roster's own columns, grouped by county and township, print-ready), a summary
        per county, the unmatched mentees with reasons, and the rules and parameters
        applied (for audit); Chinese with ``lang="zh"``, English with ``"en"``.
        ``options`` go to :func:`banghdai.report.write_workbook`. Without the problem
        (a Result built by hand), the plain pairs / unmatched / summary sheets.

        Example
        -------
        >>> import pandas as pd, banghdai as bd, tempfile, os
        >>> r = bd.Problem(pd.DataFrame({"mentor_id": ["M"]}), pd.DataFrame({"mentee_id": ["E"]})).solve()
        >>> r.to_excel(os.path.join(tempfile.mkdtemp(), "pairs.xlsx")).suffix
        '.xlsx'
        """
        problem = problem if problem is not None else self.problem
        if problem is None:
            return write_excel(self, path)
        shown = replace(self, unmatched=self.unmatched_in(lang))
        return write_workbook(shown, problem, path, lang=lang, **options)

    def to_papers(self, path: str | Path, *, start: Any = "2027-01-01", lang: str = "zh",
                  problem: Any = None) -> Path:
        """Write the papers that follow the match (一人一册 growth files, duty and task lists,
        the programme calendar from ``start``), one printable workbook, 一乡一库 · 一村一册.

        Example
        -------
        >>> import pandas as pd, banghdai as bd, tempfile, os
        >>> r = bd.Problem(pd.DataFrame({"mentor_id": ["M"]}), pd.DataFrame({"mentee_id": ["E"]})).solve()
        >>> r.to_papers(os.path.join(tempfile.mkdtemp(), "papers.xlsx")).suffix
        '.xlsx'
        """
        if str(path).lower().endswith(".pdf"):
            return self.to_pdf(path, lang=lang, problem=problem, pairs=False, papers=True,
                               start=start)
        problem = problem if problem is not None else self.problem
        shown = replace(self, unmatched=self.unmatched_in(lang))
        return write_papers(shown, problem, path, start=start, lang=lang)

    def to_pdf(self, path: str | Path, *, lang: str = "zh", problem: Any = None,
               pairs: bool = True, papers: bool = False, start: Any = "2027-01-01",
               **options: Any) -> Path:
        """Write the pairing list as an A4 PDF, Chinese font embedded (the ``pdf`` extra);
        with ``papers=True`` the papers that follow (一人一册 …) too, ``pairs=False`` the
        papers alone. ``options`` go to :func:`banghdai.report.write_pdf`.

        Example
        -------
        >>> import banghdai as bd, tempfile, os
        >>> problem = bd.load_sample("fushan").problem()
        >>> problem.solve(time_limit=10).to_pdf(os.path.join(tempfile.mkdtemp(), "名单.pdf")).suffix
        '.pdf'
        """
        problem = problem if problem is not None else self.problem
        shown = replace(self, unmatched=self.unmatched_in(lang))
        return write_pdf(shown, problem, path, lang=lang, pairs=pairs, papers=papers,
                         start=start, **options)


class Plots:
    """``result.plot``: the report layer's maps and charts for one result.

    Example
    -------
    >>> import pandas as pd, banghdai as bd
    >>> r = bd.Problem(pd.DataFrame({"mentor_id": ["M"]}), pd.DataFrame({"mentee_id": ["E"]})).solve()
    >>> callable(r.plot.map)
    True
    """

    def __init__(self, result: Result) -> None:
        self._result = result

    def map(self, **kw: Any) -> Any:
        """Pairs on a map, coloured by county (mentor and mentee markers, pair lines)."""
        return plot_map(self._result, self._result.problem, **kw)

    def load(self, **kw: Any) -> Any:
        """How many mentees each mentor takes, against capacity."""
        return plot_load(self._result, self._result.problem, **kw)

    def distance(self, **kw: Any) -> Any:
        """Distribution of pair distances."""
        return plot_distance(self._result, self._result.problem, **kw)

    def coverage(self, **kw: Any) -> Any:
        """Coverage by mentee category."""
        return plot_coverage(self._result, self._result.problem, **kw)


class Roster(_readers.Roster):
    __doc__ = _readers.Roster.__doc__

    @classmethod
    def of(cls, roster: _readers.Roster) -> Roster:
        """``roster`` as a public :class:`Roster` (the same tables, shared).

        Example
        -------
        >>> import pandas as pd, banghdai as bd
        >>> from banghdai.data.readers import Roster as Plain
        >>> r = Plain(pd.DataFrame({"mentor_id": ["M"]}), pd.DataFrame({"mentee_id": ["E"]}))
        >>> bd.Roster.of(r).problem().solve().status.name
        'OPTIMAL'
        """
        return _adopt(cls, roster)

    def problem(self, rules: Mapping[str, Any] | str | Path | None = None) -> Problem:
        """Build the :class:`~banghdai.Problem` these tables and their rules describe.

        Example
        -------
        >>> import banghdai as bd
        >>> bd.load_sample("fanxian").problem().pairing.capacity
        2
        """
        if isinstance(rules, str | Path):
            rules = read_rules(rules)
        return problem_from_rules(self, rules if rules is not None else self.rules or {})


# ------------------------------------------------------------------------------ functions
def solve(
    problem: _problem.Problem,
    *,
    backend: str = "auto",
    time_limit: float | None = 60.0,
    seed: int = 0,
    workers: int | None = None,
    log: bool = False,
    params: Mapping[str, Any] | None = None,
    scale: float | None = None,
    split: bool | str = "auto",
    executor: Executor | None = None,
    lang: str = "en",
    progress: bool | None = None,
) -> Result:
    raw = _run.solve(problem, backend=backend, time_limit=time_limit, seed=seed,
                     workers=workers, log=log, params=params, scale=scale, split=split,
                     executor=executor, lang=lang, progress=progress)
    return Result.of(with_reasons(raw))


solve.__doc__ = _run.solve.__doc__


def problem_from_rules(roster: _readers.Roster | tuple[pd.DataFrame, pd.DataFrame],
                       rules: Mapping[str, Any], *, folder: str | Path | None = None) -> Problem:
    return Problem.of(_problem_from_rules(roster, rules, folder=folder))


problem_from_rules.__doc__ = _problem_from_rules.__doc__


def read_roster(path: str | Path, *, rules: str | Path | None = None) -> Roster:
    return Roster.of(_readers.read_roster(path, rules=rules, read_rules=read_rules))


read_roster.__doc__ = _readers.read_roster.__doc__


def read_files(mentors: str | Path, mentees: str | Path, *,
               rules: str | Path | None = None) -> Roster:
    return Roster.of(_readers.read_files(mentors, mentees, rules=rules, read_rules=read_rules))


read_files.__doc__ = _readers.read_files.__doc__


def load_sample(name: str) -> Roster:
    return read_roster(_samples.sample_path(name))


load_sample.__doc__ = _samples.load_sample.__doc__


@functools.wraps(_rematch_module.rematch)
def rematch(problem: _problem.Problem, previous_pairs: pd.DataFrame, **options: Any) -> Result:
    return Result.of(_rematch_module.rematch(problem, previous_pairs, **options))


@functools.wraps(_rematch_module.year2_scenario)
def year2_scenario(roster: _readers.Roster, seed: int = 0, **options: Any) -> Roster:
    return Roster.of(_rematch_module.year2_scenario(roster, seed, **options))


@functools.wraps(_conflicts.explain)
def explain(problem: _problem.Problem, relax: bool | Mapping[str, float | None] = False,
            **options: Any) -> _conflicts.Explanation:
    out = _conflicts.explain(problem, relax, **options)
    if out.result is not None:
        out.result = Result.of(out.result)
    if out.relaxed_problem is not None:
        out.relaxed_problem = Problem.of(out.relaxed_problem)
    return out


__all__ = ["Plots", "Problem", "Result", "Roster", "explain", "load_sample", "problem_from_rules",
           "read_files", "read_roster", "rematch", "solve", "year2_scenario"]
