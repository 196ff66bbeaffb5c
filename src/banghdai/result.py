"""Solve status and the :class:`Result` handed back to the caller.

Example
-------
>>> import banghdai as bd
>>> bd.Status.OPTIMAL.has_solution
True
>>> bd.Status.UNKNOWN.has_solution
False
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pandas as pd

from .core import hooks
from .core.errors import StatusError
from .core.status import Status


@dataclass(eq=False)
class Result:
    """Pairs keyed by the caller's ids, with proof of quality.

    Attributes
    ----------
    status
        :class:`Status`.
    pairs
        DataFrame, one row per pair: ``mentor_id``, ``mentee_id``, the names
        when the tables have a ``name`` column, ``distance_km`` and
        ``shared_domains`` when computable, one column per score, ``score``
        (the pair's weighted total) and ``fixed``.
    unmatched
        DataFrame, one row per mentee with fewer mentors than needed:
        ``mentee_id``, ``needed``, ``got``, ``candidates`` and ``reason``.
    objective, bound, gap
        Total weighted score (a cost when every term minimises), the proven
        best possible at the same coverage, and ``|bound - objective| /
        max(|objective|, 1e-9)``; ``None`` when there is no pairing.
    seconds, backend, info
        Wall time, the backend that ran, and details (seed, parameters,
        versions, sizes).
    levels
        With lexicographic levels: one row per level (level, name, status,
        value, bound, seconds); ``objective``/``bound`` are then the last
        level's. ``None`` otherwise.
    report
        From :func:`banghdai.rematch`: one row per previous and new pair
        (``status`` kept / broken / new, ``mentor_id``, ``mentee_id``,
        ``reason_code``, ``reason``). ``None`` otherwise.

    Example
    -------
    >>> import pandas as pd, banghdai as bd
    >>> r = bd.Problem(pd.DataFrame({"mentor_id": ["M"]}), pd.DataFrame({"mentee_id": ["E"]})).solve()
    >>> r.summary()["pairs"], r.gap
    (1, 0.0)
    """

    status: Status
    pairs: pd.DataFrame
    unmatched: pd.DataFrame
    objective: float | None
    bound: float | None
    gap: float | None
    seconds: float
    backend: str
    coverage: float
    sense: str = "max"
    info: dict[str, Any] = field(default_factory=dict)
    levels: pd.DataFrame | None = None
    report: pd.DataFrame | None = None
    #: the Problem solved (for the printable workbook, papers and maps); set by ``solve``
    problem: Any = field(default=None, repr=False)
    #: ``lang -> unmatched frame``: the reasons in another language; set by ``solve``
    reasons: Any = field(default=None, repr=False, compare=False)
    #: ``lang -> idle mentors frame`` from the graph the solve compiled; set by ``solve``
    idle: Any = field(default=None, repr=False, compare=False)

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
        return None if self.idle is None else self.idle(lang)

    def unmatched_in(self, lang: str) -> pd.DataFrame:
        """``unmatched`` with its reasons in ``lang`` ("en" or "zh").

        Example
        -------
        >>> import pandas as pd, banghdai as bd
        >>> p = bd.Problem(pd.DataFrame({"mentor_id": ["M"]}), pd.DataFrame({"mentee_id": ["E", "F"]}))
        >>> bool(p.solve().unmatched_in("zh")["reason"].str.contains("导师").all())
        True
        """
        if self.reasons is None or self.info.get("lang", "en") == lang:
            return self.unmatched
        return self.reasons(lang)

    @property
    def plot(self) -> _Plots:
        """Maps and charts of this pairing: ``result.plot.map()``, ``.load()``,
        ``.distance()``, ``.coverage()`` (matplotlib Figures; Chinese renders; needs the
        ``plot`` extra).

        Example
        -------
        >>> import pandas as pd, banghdai as bd
        >>> r = bd.Problem(pd.DataFrame({"mentor_id": ["M"]}), pd.DataFrame({"mentee_id": ["E"]})).solve()
        >>> type(r.plot).__name__
        '_Plots'
        """
        return _Plots(self)

    def explain_pairs(self, problem: Any, lang: str = "en") -> pd.DataFrame:
        """Why each pair: score breakdown, rank, best alternative (see :func:`banghdai.explain_pairs`).

        Example
        -------
        >>> import pandas as pd, banghdai as bd
        >>> p = bd.Problem(pd.DataFrame({"mentor_id": ["M"]}), pd.DataFrame({"mentee_id": ["E"]}))
        >>> p.solve().explain_pairs(p)["alt_mentor_id"].tolist()
        ['none']
        """
        return hooks.use("explain_pairs")(problem, self.pairs, lang)

    def summary(self) -> dict[str, Any]:
        """Key figures: pairs, coverage, mean distance and fit, status, gap, seconds.

        Example
        -------
        >>> import pandas as pd, banghdai as bd
        >>> r = bd.Problem(pd.DataFrame({"mentor_id": ["M"]}), pd.DataFrame({"mentee_id": ["E"]})).solve()
        >>> r.summary()["status"], r.summary()["coverage"]
        ('OPTIMAL', 1.0)
        """
        p = self.pairs
        out: dict[str, Any] = {
            "status": self.status.value,
            "pairs": int(len(p)),
            "mentees_matched": int(p["mentee_id"].nunique()) if len(p) else 0,
            "mentees_unmatched": int(len(self.unmatched)),
            "coverage": round(float(self.coverage), 4),
        }
        if "distance_km" in p.columns and len(p):
            out["mean_distance_km"] = round(float(p["distance_km"].mean()), 3)
        if "domain_fit" in p.columns and len(p):
            out["mean_domain_fit"] = round(float(p["domain_fit"].mean()), 4)
        out["objective"] = None if self.objective is None else round(self.objective, 6)
        out["bound"] = None if self.bound is None else round(self.bound, 6)
        out["gap"] = None if self.gap is None else round(self.gap, 6)
        out["seconds"] = round(self.seconds, 3)
        out["backend"] = self.backend
        return out

    def raise_for_status(self) -> Result:
        """Raise :class:`StatusError` unless a pairing was found; returns self.

        Example
        -------
        >>> import pandas as pd, banghdai as bd
        >>> r = bd.Problem(pd.DataFrame({"mentor_id": ["M"]}), pd.DataFrame({"mentee_id": ["E"]})).solve()
        >>> r.raise_for_status() is r
        True
        """
        if not self.status.has_solution:
            detail = self.info.get("reason")
            more = f": {detail}" if detail else ""
            hint = (
                " (proven: no pairing satisfies the hard rules)"
                if self.status is Status.INFEASIBLE
                else " (time ran out before any pairing was found; raise time_limit)"
            )
            raise StatusError(f"solve ended {self.status.value}{hint}{more}")
        return self

    def to_csv(self, path: str | Path) -> Path:
        """Write the pairs to a UTF-8 CSV (with BOM, so Excel shows Chinese) and return the path.

        Example
        -------
        >>> import pandas as pd, banghdai as bd, tempfile, os
        >>> r = bd.Problem(pd.DataFrame({"mentor_id": ["M"]}), pd.DataFrame({"mentee_id": ["E"]})).solve()
        >>> r.to_csv(os.path.join(tempfile.mkdtemp(), "pairs.csv")).name
        'pairs.csv'
        """
        from .core.safeio import atomic_write, neutralise_formulas

        frame = neutralise_formulas(self.pairs)  # a name typed "=1+1" shows as typed
        return atomic_write(Path(path), lambda tmp: frame.to_csv(tmp, index=False,
                                                                   encoding="utf-8-sig"))

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
            return hooks.use("write_excel")(self, path)
        shown = replace(self, unmatched=self.unmatched_in(lang))
        return hooks.use("write_workbook")(shown, problem, path, lang=lang, **options)

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
        problem = problem if problem is not None else self.problem
        shown = replace(self, unmatched=self.unmatched_in(lang))
        return hooks.use("write_papers")(shown, problem, path, start=start, lang=lang)

    def __repr__(self) -> str:
        s = self.summary()
        return (
            f"Result(status={s['status']}, pairs={s['pairs']}, coverage={s['coverage']:.1%}, "
            f"objective={s['objective']}, gap={s['gap']}, seconds={s['seconds']}, "
            f"backend={s['backend']!r})"
        )


def empty_pairs() -> pd.DataFrame:
    """An empty pairs table with the two id columns."""
    return pd.DataFrame({"mentor_id": pd.Series([], dtype=object), "mentee_id": pd.Series([], dtype=object)})


class _Plots:
    """``result.plot``: the report layer's maps and charts for one result."""

    def __init__(self, result: Result) -> None:
        self._result = result

    def map(self, **kw: Any) -> Any:
        """Pairs on a map, coloured by county (mentor and mentee markers, pair lines)."""
        return hooks.use("plot_map")(self._result, self._result.problem, **kw)

    def load(self, **kw: Any) -> Any:
        """How many mentees each mentor takes, against capacity."""
        return hooks.use("plot_load")(self._result, self._result.problem, **kw)

    def distance(self, **kw: Any) -> Any:
        """Distribution of pair distances."""
        return hooks.use("plot_distance")(self._result, self._result.problem, **kw)

    def coverage(self, **kw: Any) -> Any:
        """Coverage by mentee category."""
        return hooks.use("plot_coverage")(self._result, self._result.problem, **kw)
