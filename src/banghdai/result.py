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

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .core.errors import StatusError
from .core.messages import column_word, register, text
from .core.status import Status, gap_of

if TYPE_CHECKING:
    from .compile.graph import Compiled

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
class Reasons:
    """What a solve's unmatched reasons are made from: data, no words (picklable).

    Either the candidate graph and the edges chosen (``compiled``, ``chosen``), from which
    :func:`banghdai.explain.unmatched_reasons` writes the reasons in any language, or — for
    a solve stopped before the graph was built — the mentee ids and the catalogue code of
    why (``ids``, ``stopped``; see :func:`stopped_unmatched`).

    Example
    -------
    >>> import pandas as pd, banghdai as bd
    >>> p = bd.Problem(pd.DataFrame({"mentor_id": ["M"]}), pd.DataFrame({"mentee_id": ["E", "F"]}))
    >>> r = p.solve()
    >>> type(r.reasons_from).__name__, int(r.reasons_from.chosen.sum())
    ('Reasons', 1)
    """

    compiled: Compiled | None = None
    chosen: np.ndarray | None = None
    ids: np.ndarray | None = None
    stopped: str | None = None


@dataclass(eq=False)
class Idle:
    """What a solve's idle mentors are found from: the problem and the graph it compiled
    (see :func:`banghdai.explain.check.idle_mentors`).

    Example
    -------
    >>> import pandas as pd, banghdai as bd
    >>> p = bd.Problem(pd.DataFrame({"mentor_id": ["M"]}), pd.DataFrame({"mentee_id": ["E"]}))
    >>> p.solve().idle_from.compiled.n_edges
    1
    """

    problem: Any
    compiled: Compiled


def stopped_unmatched(ids: np.ndarray, code: str, lang: str = "en") -> pd.DataFrame:
    """The unmatched table of a solve stopped before its graph was built: every mentee, with
    the catalogue sentence ``code`` as the reason (the counts unknown).

    Example
    -------
    >>> import numpy as np
    >>> from banghdai.result import stopped_unmatched
    >>> stopped_unmatched(np.array(["E"], object), "solve.interrupted_compile", "zh")["reason"].iloc[0]
    '未结对：求解开始前已中断（Ctrl-C）'
    """
    return pd.DataFrame({"mentee_id": ids, "needed": pd.array([pd.NA] * len(ids), "Int64"),
                         "got": np.zeros(len(ids), np.int64),
                         "candidates": pd.array([pd.NA] * len(ids), "Int64"),
                         "reason": text(code, lang)})


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
    #: what the unmatched reasons are made from (:class:`Reasons`: data, no words); ``None``
    #: for a result built by hand. ``bd`` results turn it into words in any language:
    #: ``result.reasons("zh")``.
    reasons_from: Reasons | None = field(default=None, repr=False, compare=False)
    #: what the idle mentors are found from (:class:`Idle`); ``result.idle_mentors(lang)``
    idle_from: Idle | None = field(default=None, repr=False, compare=False)

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

