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
from typing import TYPE_CHECKING, Any

import numpy as np

from .exceptions import InputError

if TYPE_CHECKING:
    from .compile import Compiled


@dataclass(frozen=True)
class Coverage:
    """Level: fill as many mentor slots as possible; with ``priority``, by priority value.

    ``priority`` names a mentees column; smaller values are covered first
    (one level per value), e.g. 软弱涣散村 (1) before new appointees (2).

    Example
    -------
    >>> import banghdai as bd
    >>> bd.Coverage(priority="priority").priority
    'priority'
    """

    priority: str | None = None


@dataclass(frozen=True)
class MaxMin:
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

    terms: tuple = ()

    def __post_init__(self) -> None:
        if not isinstance(self.terms, list | tuple):
            object.__setattr__(self, "terms", (self.terms,))
        else:
            object.__setattr__(self, "terms", tuple(self.terms))


@dataclass(frozen=True)
class BalanceLoad:
    """Level: minimise the largest number of mentees any single mentor takes.

    Example
    -------
    >>> import banghdai as bd
    >>> bd.BalanceLoad()
    BalanceLoad()
    """


LEVELS = (Coverage, MaxMin, BalanceLoad)

@dataclass(frozen=True, eq=False)
class CompiledLevel:
    """A level as integer data: ``kind`` is linear, maxmin or minmaxload."""

    name: str
    kind: str
    coeff: np.ndarray | None = None  # per edge, integer
    scale: float = 1.0
    sign: float = 1.0  # reported value = sign * internal / scale

    def expression(self, model: Any, x: list, compiled: Compiled):
        """The CP-SAT expression to maximise for this level (may add variables)."""
        from ortools.sat.python import cp_model

        if self.kind == "linear":
            return cp_model.LinearExpr.weighted_sum(x, self.coeff.tolist())
        if self.kind == "minmaxload":
            load = model.new_int_var(0, int(compiled.cap_hi.max(initial=0)), "max_load")
            for edges in _by_node(compiled.edge_mentor):
                model.add(cp_model.LinearExpr.sum([x[j] for j in edges.tolist()]) <= load)
            return -load
        if self.kind == "maxmin":
            coeff = self.coeff
            big = int(np.abs(coeff).sum()) + 1
            low = model.new_int_var(-big, big, "worst_mentee")
            served_any = []
            for edges in _by_node(compiled.edge_mentee):
                served = model.new_bool_var("")
                vars_ = [x[j] for j in edges.tolist()]
                for v in vars_:
                    model.add_implication(v, served)
                model.add(cp_model.LinearExpr.sum(vars_) >= 1).only_enforce_if(served)
                total = cp_model.LinearExpr.weighted_sum(vars_, coeff[edges].tolist())
                model.add(low <= total).only_enforce_if(served)
                served_any.append(served)
            if served_any:  # nobody served: the worst is 0 by convention
                model.add(low == 0).only_enforce_if([s.Not() for s in served_any])
            else:
                model.add(low == 0)
            return low
        raise InputError(f"unknown level kind {self.kind!r}")  # pragma: no cover

    @property
    def couples_components(self) -> bool:
        """Max-min and balance levels tie regions together; sums do not."""
        return self.kind != "linear"


def _by_node(index: np.ndarray) -> list[np.ndarray]:
    """Edge positions grouped by node (nodes with edges only)."""
    order = np.argsort(index, kind="stable")
    cuts = np.flatnonzero(np.diff(index[order])) + 1
    return [g for g in np.split(order, cuts) if g.size]
