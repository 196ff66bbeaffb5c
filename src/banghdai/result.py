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
from .core.messages import column_word, register, text
from .core.status import Status, gap_of

#: Level status of a level solved to optimality while an earlier level was not proven:
#: optimal *given* the earlier levels' values, which might not be the best possible.
OPTIMAL_GIVEN = "OPTIMAL_GIVEN"

register("outcome.interrupted", en="interrupted (Ctrl-C): this is the best pairing found so far",
         zh="已中断（Ctrl-C）：这是目前找到的最好结对")
register("outcome.interrupted_none", en="interrupted (Ctrl-C) before any pairing was found",
         zh="已中断（Ctrl-C），尚未找到结对")
register("outcome.no_pairing", en="no pairing was found within the time limit",
         zh="在时间限制内未找到结对方案")
register("outcome.unproven",
         en="not proven optimal within the time limit: {name} {value}, {side} {bound} (gap {gap})",
         zh="未能在时限内证明最优：{name} {value}，{side} {bound}（差距 {gap}）")
register("outcome.unproven_nobound",
         en="not proven optimal within the time limit: {name} {value}, no bound known",
         zh="未能在时限内证明最优：{name} {value}，未知界")
register("outcome.not_solved",
         en="not solved in time: {name} {value} (kept from the pairing of the earlier levels)",
         zh="未在时限内求解：{name} {value}（沿用前面层级的结对）")
register("outcome.given",
         en="{name} {value}: optimal given the earlier levels' values, which are not proven",
         zh="{name} {value}：在前面层级的取值下最优（前面层级未证明最优）")
register("outcome.upper", en="upper bound", zh="上界")
register("outcome.lower", en="lower bound", zh="下界")
register("outcome.objective", en="objective", zh="目标值")
register("outcome.unknown_value", en="?", zh="未知")


def _number(value: Any) -> str:
    """A level value or bound as a planner reads it (whole numbers without decimals)."""
    if value is None or (isinstance(value, float) and value != value):
        return "?"
    v = float(value)
    return f"{v:.0f}" if v == round(v) else f"{v:.4g}"


def level_label(name: str, lang: str = "en") -> str:
    """A level's name in ``lang``: ``coverage priority=1`` → 覆盖 优先级=1 … (unknown names as
    they are).

    Example
    -------
    >>> import banghdai as bd
    >>> from banghdai.result import level_label
    >>> level_label("coverage", "zh"), level_label("DomainFit + Closeness", "zh")
    ('覆盖', '领域匹配 + 距离近')
    """
    if lang == "en":
        return name
    if name == "coverage" or name.startswith("coverage "):
        rest = name[len("coverage "):]
        word = text("rule.coverage", lang)
        if not rest:
            return word
        column, _, value = rest.partition("=")
        return f"{word}（{column_word(column, lang)}={value}）"
    from .model.registry import RULES

    by_class = {cls.__name__: cls for cls in RULES.values()}
    parts = []
    for part in name.split(" + "):
        cls = by_class.get(part)
        try:
            parts.append(text(f"rule.{cls.key}", lang) if cls is not None else part)
        except (KeyError, IndexError):
            parts.append(part)
    return " + ".join(parts)


def label_levels(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Level rows with honest statuses and a relative ``gap`` per level (new dicts).

    A level proven OPTIMAL after a level that was not proven is optimal only *given* the
    earlier values: it becomes ``OPTIMAL_GIVEN``. ``gap`` is ``|bound - value| /
    max(|value|, 1e-9)`` when both are known (0 for a proven level), else None.

    Example
    -------
    >>> from banghdai.result import label_levels
    >>> rows = [{"status": "FEASIBLE", "value": 9.0, "bound": 10.0},
    ...         {"status": "OPTIMAL", "value": 3.0, "bound": 3.0}]
    >>> [(r["status"], r["gap"]) for r in label_levels(rows)]
    [('FEASIBLE', 0.1111111111111111), ('OPTIMAL_GIVEN', 0.0)]
    """
    out, proven = [], True
    for row in rows:
        row = dict(row)
        status = row.get("status")
        if status == Status.OPTIMAL.value and not proven:
            row["status"] = status = OPTIMAL_GIVEN
        if status != Status.OPTIMAL.value:
            proven = False
        if row.get("gap") is None:
            value, bound = row.get("value"), row.get("bound")
            row["gap"] = (gap_of(float(value), float(bound))
                          if value is not None and bound is not None else None)
        out.append(row)
    return out


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
        versions, sizes; ``info["interrupted"]`` is True when Ctrl-C stopped the solve).
    levels
        With lexicographic levels: one row per level (level, name, status,
        value, bound, gap, seconds); ``objective``/``bound`` are then the last
        level's. ``None`` otherwise. A level's status is OPTIMAL (proven),
        ``OPTIMAL_GIVEN`` (optimal given the earlier levels' values, one of which
        is not proven), FEASIBLE (not proven; ``gap`` says how far it may be),
        UNKNOWN or NOT_SOLVED (time ran out: the value is that of the pairing kept).
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

    @property
    def interrupted(self) -> bool:
        """True when Ctrl-C stopped the solve (the pairing is the best found until then).

        Example
        -------
        >>> import pandas as pd, banghdai as bd
        >>> bd.Problem(pd.DataFrame({"mentor_id": ["M"]}), pd.DataFrame({"mentee_id": ["E"]})).solve().interrupted
        False
        """
        return bool(self.info.get("interrupted"))

    def outcome(self, lang: str | None = None) -> list[str]:
        """What is *not* proven about this result, one sentence per point (empty when the
        pairing is proven optimal and the solve was not interrupted), in ``lang`` (default:
        the language the solve was asked for).

        Example
        -------
        >>> import pandas as pd, banghdai as bd
        >>> r = bd.Problem(pd.DataFrame({"mentor_id": ["M"]}), pd.DataFrame({"mentee_id": ["E"]})).solve()
        >>> r.outcome()
        []
        >>> r.status, r.objective, r.bound, r.gap = bd.Status.FEASIBLE, 9.0, 10.0, 0.111
        >>> r.outcome("zh")
        ['未能在时限内证明最优：目标值 9，上界 10（差距 11.1%）']
        """
        lang = lang or self.info.get("lang", "en")
        lines: list[str] = []
        if self.interrupted:
            lines.append(text("outcome.interrupted" if self.status.has_solution
                              else "outcome.interrupted_none", lang))
        if not self.status.has_solution:
            if not self.interrupted and self.status is Status.UNKNOWN:
                lines.append(text("outcome.no_pairing", lang))
            return lines
        if self.status is Status.OPTIMAL:
            return lines
        rows = (self.levels.to_dict("records") if self.levels is not None
                else [{"name": None, "status": self.status.value, "value": self.objective,
                       "bound": self.bound, "gap": self.gap}])
        for row in rows:
            status = row.get("status")
            if status == Status.OPTIMAL.value:
                continue
            name = (text("outcome.objective", lang) if row.get("name") is None
                    else level_label(str(row["name"]), lang))
            value, bound = row.get("value"), row.get("bound")
            bound = None if bound is None or bound != bound else bound
            if status == OPTIMAL_GIVEN:
                lines.append(text("outcome.given", lang, name=name, value=_number(value)))
            elif status == "NOT_SOLVED":
                lines.append(text("outcome.not_solved", lang, name=name, value=_number(value)))
            elif bound is None or value is None:
                lines.append(text("outcome.unproven_nobound", lang, name=name,
                                  value=_number(value)))
            else:
                gap = row.get("gap")
                if gap is None or gap != gap:
                    gap = gap_of(float(value), float(bound)) or 0.0
                side = "outcome.upper" if float(bound) >= float(value) else "outcome.lower"
                lines.append(text("outcome.unproven", lang, name=name, value=_number(value),
                                  side=text(side, lang), bound=_number(bound),
                                  gap=f"{100 * float(gap):.1f}%"))
        return lines

    def summary(self) -> dict[str, Any]:
        """Key figures: pairs, coverage, mean distance and fit, status, gap, seconds; with
        levels their statuses (``levels``); what is not proven (``outcome``, see
        :meth:`outcome`; absent when proven optimal) and ``interrupted`` when Ctrl-C came.

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
        if self.levels is not None and "status" in self.levels:
            out["levels"] = ", ".join(f"{s}" for s in self.levels["status"])
        said = self.outcome()
        if said:  # what is not proven, or the interrupt (absent when proven optimal)
            out["outcome"] = "; ".join(said)
        if self.interrupted:
            out["interrupted"] = True
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
                else " (interrupted by Ctrl-C before any pairing was found)" if self.interrupted
                else " (time ran out before any pairing was found; raise time_limit)"
            )
            raise StatusError(f"solve ended {self.status.value}{hint}{more}")
        return self

    def to_csv(self, path: str | Path) -> Path:
        """Write the pairs to a UTF-8 CSV (with BOM, so Excel shows Chinese) and return the path.

        Every field is quoted and text a spreadsheet would run as a formula starts with
        ``'`` (:func:`banghdai.core.safeio.write_csv`).

        Example
        -------
        >>> import pandas as pd, banghdai as bd, tempfile, os
        >>> r = bd.Problem(pd.DataFrame({"mentor_id": ["M"]}), pd.DataFrame({"mentee_id": ["E"]})).solve()
        >>> r.to_csv(os.path.join(tempfile.mkdtemp(), "pairs.csv")).name
        'pairs.csv'
        """
        from .core.safeio import write_csv

        return write_csv(self.pairs, Path(path))  # every field quoted, "=1+1" shown as typed

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
        the programme calendar from ``start``), one printable workbook, 一乡一库 · 一村一册;
        a path ending in ``.pdf`` writes them as an A4 PDF (:meth:`to_pdf`).

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
        return hooks.use("write_papers")(shown, problem, path, start=start, lang=lang)

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
        return hooks.use("write_pdf")(shown, problem, path, lang=lang, pairs=pairs,
                                      papers=papers, start=start, **options)

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
