"""Solve status, gap and small shared helpers of results.

Example
-------
>>> import banghdai as bd
>>> bd.Status.OPTIMAL.has_solution
True
>>> bd.Status.UNKNOWN.has_solution
False
"""

from __future__ import annotations

import enum

import numpy as np


class Status(enum.Enum):
    """Outcome of a solve.

    * ``OPTIMAL`` — the pairing is proven best;
    * ``FEASIBLE`` — a valid pairing, not proven best (see ``gap``);
    * ``INFEASIBLE`` — proven: no pairing satisfies the hard rules;
    * ``UNKNOWN`` — time ran out before any pairing was found (not a proof).

    Example
    -------
    >>> import banghdai as bd
    >>> bd.Status("OPTIMAL") is bd.Status.OPTIMAL
    True
    """

    OPTIMAL = "OPTIMAL"
    FEASIBLE = "FEASIBLE"
    INFEASIBLE = "INFEASIBLE"
    UNKNOWN = "UNKNOWN"

    @property
    def has_solution(self) -> bool:
        """True for OPTIMAL and FEASIBLE."""
        return self in (Status.OPTIMAL, Status.FEASIBLE)


def gap_of(objective: float | None, bound: float | None) -> float | None:
    """Relative gap ``|bound - objective| / max(|objective|, 1e-9)``; 0 when equal."""
    if objective is None or bound is None:
        return None
    diff = abs(bound - objective)
    if diff <= 1e-9 * max(1.0, abs(objective)):
        return 0.0
    return float(diff / max(abs(objective), 1e-9))


def as_bool(values: np.ndarray | None, n: int) -> np.ndarray:
    """A boolean selection of length ``n`` (all False for ``None``)."""
    return np.zeros(n, dtype=bool) if values is None else np.asarray(values, dtype=bool)
