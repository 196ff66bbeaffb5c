"""Stable backend: deferred acceptance for problems whose only group rule is :class:`Stable`.

It returns the proposer side's best stable matching (mentee- or
mentor-optimal), exactly, in vectorised numpy (see :mod:`banghdai.solvers.deferred`).
The status is OPTIMAL in that sense; ``objective`` is the matching's score and
no bound is claimed for the score (use CP-SAT, the default when scores are
given, for the best-scoring stable matching). With ``unmatched="forbid"``, a
mentee left short proves that no stable matching serves everyone (the
rural-hospitals theorem), so the status is INFEASIBLE.

Example
-------
>>> import pandas as pd, banghdai as bd
>>> prefs = pd.DataFrame({"mentor_id": ["A", "A", "B", "B"], "mentee_id": ["x", "y", "x", "y"],
...                       "mentee_rank": [1, 1, 2, 2], "mentor_rank": [2, 1, 1, 2]})
>>> p = bd.Problem(pd.DataFrame({"mentor_id": ["A", "B"]}), pd.DataFrame({"mentee_id": ["x", "y"]}))
>>> r = p.require(bd.Preferences(prefs), bd.Stable()).solve()
>>> r.backend, sorted(zip(r.pairs.mentor_id, r.pairs.mentee_id))
('stable', [('A', 'y'), ('B', 'x')])
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Literal

import numpy as np

from ..core.errors import InputError, Msg
from ..core.status import Status
from .base import RawSolution, SolveParams

if TYPE_CHECKING:
    from ..compile.graph import Compiled


def is_stability(rule: object) -> bool:
    """True for the compiled stability rule (found by its registry code, never its class).

    Example
    -------
    >>> import banghdai as bd
    >>> is_stability(bd.Stable()), is_stability(bd.Quota("t", max=1))
    (False, False)
    """
    return getattr(getattr(rule, "spec", None), "key", "") == "stable"


def _stable_rule(compiled: Compiled):
    rules = [g for g in compiled.group_rules if is_stability(g)]
    return rules[0] if len(rules) == 1 and len(compiled.group_rules) == 1 else None


def _ranks(values: np.ndarray) -> np.ndarray:
    """Ranks as int64 when they are whole numbers (faster to sort), unranked last."""
    finite = np.isfinite(values)
    every = bool(finite.all())
    known = values if every else values[finite]  # no copy when every pair is ranked
    top = float(np.abs(known).max(initial=0.0))
    as_int = known.astype(np.int64) if top < 2**53 else None
    if as_int is not None and np.array_equal(as_int, known):
        if every:
            return as_int
        out = np.full(values.size, int(top) + 1, dtype=np.int64)
        out[finite] = as_int
        return out
    return np.nan_to_num(values, nan=1e18)


def deferred_acceptance_of(compiled: Compiled, proposer: Literal["mentee", "mentor"]
                           ) -> np.ndarray:
    """The proposer-optimal stable matching of ``compiled`` as a boolean edge mask."""
    from .deferred import deferred_acceptance

    info = compiled.edge_info
    return deferred_acceptance(
        compiled.n_mentees, compiled.n_mentors, compiled.edge_mentee, compiled.edge_mentor,
        mentee_rank=_ranks(info["mentee_rank"].to_numpy(float)),
        mentor_rank=_ranks(info["mentor_rank"].to_numpy(float)),
        capacity=compiled.cap_hi, demand=compiled.demand, proposer=proposer,
    )


class StableBackend:
    """Deferred acceptance (mentee- or mentor-proposing), exact for :class:`Stable` alone.

    Example
    -------
    >>> from banghdai.solvers import get_backend
    >>> get_backend("stable").name
    'stable'
    """

    name = "stable"

    def supports(self, compiled: Compiled) -> bool:
        """Only Stable, no scores to optimise, no lower bounds, fixed pairs or levels."""
        return (
            _stable_rule(compiled) is not None
            and not compiled.levels
            and compiled.edge_load is None
            and not compiled.cap_lo.any()
            and not compiled.edge_fixed.any()
            and not compiled.edge_value.any()
        )

    def solve(self, compiled: Compiled, params: SolveParams) -> RawSolution:
        """Run deferred acceptance; see the module docstring for the status."""
        if params.extra:
            raise InputError(Msg("solve.stable_params"), column="params")
        start = time.perf_counter()
        rule = _stable_rule(compiled)
        if rule is None or compiled.cap_lo.any() or compiled.edge_fixed.any():
            raise InputError(Msg("solve.stable_alone"), column="backend")
        chosen = deferred_acceptance_of(compiled, rule.spec.proposer)
        got = np.bincount(compiled.edge_mentee[chosen], minlength=compiled.n_mentees)
        info = {"method": f"deferred acceptance ({rule.spec.proposer}-proposing)"}
        if compiled.must_match and (got < compiled.demand).any():
            info["reason"] = ("no stable matching serves every mentee (the stable matching "
                              "leaves some short, and all stable matchings serve the same ones)")
            return RawSolution(Status.INFEASIBLE, None, None, None, time.perf_counter() - start,
                               info)
        total = int((compiled.edge_value[chosen] + compiled.slot_penalty).sum())
        return RawSolution(Status.OPTIMAL, chosen, total, None, time.perf_counter() - start, info)
