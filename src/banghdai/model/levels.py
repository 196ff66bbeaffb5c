"""Objective levels for lexicographic solving, the way planners rank goals.

"First cover every weak village, then maximise domain fit, then keep distances
short": ``problem.prefer(levels=[bd.Coverage(priority="priority"),
bd.DomainFit(), bd.Closeness()])``. Each level is solved to optimality (or
its share of the time limit), then fixed as a constraint for the next; the
Result reports every level's value in ``result.levels``.

A level is one of:

* :class:`Coverage` — fill as many mentor slots as possible (with
  ``priority=column``: priority 1 first, then 2, …, one level each);
* a score term (:class:`DomainFit`, :class:`Closeness`, ...) or a list of
  them (their weighted sum);
* :class:`MaxMin` — maximise the lowest total score of a served mentee
  (fairness: nobody gets a poor pairing so others get great ones);
* :class:`BalanceLoad` — minimise the largest number of mentees any mentor
  takes.

Weighted ``prefer(...)`` terms, when given, form the last level.

Example
-------
>>> import pandas as pd, banghdai as bd
>>> mentors = pd.DataFrame({"mentor_id": ["A", "B"], "capacity": [2, 2]})
>>> mentees = pd.DataFrame({"mentee_id": ["E1", "E2"]})
>>> p = bd.Problem(mentors, mentees, pairing=bd.OneToMany("capacity"))
>>> r = p.prefer(levels=[bd.Coverage(), bd.BalanceLoad()]).solve()
>>> r.levels["value"].tolist()
[2.0, 1.0]
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from ..core.messages import register
from .rule import Rule
from .rules._checks import check_name

register("rule.coverage", en="coverage", zh="覆盖")
register("rule.max_min", en="max-min fairness", zh="最差者最优")
register("rule.balance_load", en="balanced load", zh="负载均衡")


@dataclass(frozen=True)
class Coverage(Rule):
    """Level: fill as many mentor slots as possible; with ``priority``, by priority value.

    ``priority`` names a mentees column; smaller values are covered first
    (one level per value), e.g. 软弱涣散村 (1) before new appointees (2).

    Example
    -------
    >>> import banghdai as bd
    >>> bd.Coverage(priority="priority").priority
    'priority'
    """

    key: ClassVar[str] = "coverage"
    principle: ClassVar[str] = "override"
    kind: ClassVar[str] = "level"

    priority: str | None = None

    def __post_init__(self) -> None:
        if self.priority is not None:
            check_name(self.priority, "priority")


@dataclass(frozen=True)
class MaxMin(Rule):
    """Level: maximise the lowest total score among served mentees (fairness).

    A mentee's total is the weighted ``prefer`` score of its pairs (or of
    ``terms`` when given).

    Example
    -------
    >>> import banghdai as bd
    >>> bd.MaxMin().terms
    ()
    >>> bd.MaxMin(bd.Closeness(scale_km=50)).terms  # one score or a tuple of them
    (Closeness(weight=1.0, scale_km=50),)
    """

    key: ClassVar[str] = "max_min"
    principle: ClassVar[str] = "override"
    kind: ClassVar[str] = "level"

    terms: tuple = ()

    def __post_init__(self) -> None:
        if not isinstance(self.terms, list | tuple):
            object.__setattr__(self, "terms", (self.terms,))
        else:
            object.__setattr__(self, "terms", tuple(self.terms))


@dataclass(frozen=True)
class BalanceLoad(Rule):
    """Level: minimise the largest number of mentees any single mentor takes.

    Example
    -------
    >>> import banghdai as bd
    >>> bd.BalanceLoad()
    BalanceLoad()
    """

    key: ClassVar[str] = "balance_load"
    principle: ClassVar[str] = "override"
    kind: ClassVar[str] = "level"


LEVELS = (Coverage, MaxMin, BalanceLoad)
