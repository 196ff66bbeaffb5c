"""The backend interface every solver implements.

Example
-------
>>> from banghdai.solvers.base import SolveParams
>>> SolveParams(time_limit=10, seed=3).seed
3
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from ..core import clock

if TYPE_CHECKING:
    from ..compile.graph import Compiled
    from ..core.status import Status


@dataclass(frozen=True)
class SolveParams:
    """Solver settings shared by all backends.

    Example
    -------
    >>> from banghdai.solvers.base import SolveParams
    >>> SolveParams().time_limit
    60.0
    """

    time_limit: float | None = 60.0
    seed: int = 0
    workers: int | None = None
    log: bool = False
    extra: Mapping[str, Any] = field(default_factory=dict)
    hint: np.ndarray | None = None
    warm_start: bool = True
    #: the time (on :func:`banghdai.core.clock.now`) by which the whole call must end: set
    #: by :func:`banghdai.solve` so that ``time_limit`` also covers compiling and building
    deadline: float | None = None
    #: show a progress bar over components / levels (in-process only)
    progress: bool = False

    def remaining(self) -> float | None:
        """Seconds left: up to the deadline when there is one, else ``time_limit``."""
        if self.deadline is None:
            return self.time_limit
        left = self.deadline - clock.now()
        if self.time_limit is not None:
            left = min(left, self.time_limit)
        return max(left, 0.0)

    def deadline_perf(self) -> float | None:
        """The deadline on the ``time.perf_counter()`` clock (None: no limit)."""
        left = self.remaining()
        return None if left is None else time.perf_counter() + left

    def deadline_now(self) -> float | None:
        """The deadline on :func:`banghdai.core.clock.now` (None: no limit)."""
        left = self.remaining()
        return None if left is None else clock.now() + left


@dataclass(frozen=True)
class RawSolution:
    """What a backend returns: chosen edges and proof of quality in integer units.

    ``objective`` and ``bound`` are of the backend's full integer objective
    ``sum((edge_value + slot_penalty) * chosen)`` (maximised).

    Example
    -------
    >>> import numpy as np
    >>> from banghdai.solvers.base import RawSolution
    >>> from banghdai.core.status import Status
    >>> RawSolution(Status.OPTIMAL, np.array([True]), 5, 5, 0.01).objective
    5
    """

    status: Status
    chosen: np.ndarray | None
    objective: int | None
    bound: int | None
    seconds: float
    info: Mapping[str, Any] = field(default_factory=dict)


class Backend(Protocol):
    """A solver: ``supports`` says whether it can solve a compiled problem exactly."""

    name: str

    def supports(self, compiled: Compiled) -> bool:
        """True when this backend solves ``compiled`` exactly."""
        ...

    def solve(self, compiled: Compiled, params: SolveParams) -> RawSolution:
        """Solve ``compiled`` within ``params``."""
        ...


def trivially_infeasible(compiled: Compiled) -> str | None:
    """A reason when degree bounds cannot be met even ignoring the other mentors/mentees."""
    deg_m = np.bincount(compiled.edge_mentor, weights=compiled.edge_load,
                        minlength=compiled.n_mentors).astype(np.int64)
    short = deg_m < compiled.cap_lo
    if short.any():
        i = compiled.mentors.first(short)
        return (
            f"mentor {compiled.mentors.ids[i]} needs a load of at least {compiled.cap_lo[i]} "
            f"but its candidates add up to {deg_m[i]}"
        )
    if compiled.must_match:
        deg_e = np.bincount(compiled.edge_mentee, minlength=compiled.n_mentees)
        short = deg_e < compiled.demand
        if short.any():
            i = compiled.mentees.first(short)
            return (
                f"mentee {compiled.mentees.ids[i]} must get {compiled.demand[i]} mentors "
                f"but has {deg_e[i]} candidates"
            )
    return None
