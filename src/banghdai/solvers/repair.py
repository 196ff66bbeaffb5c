"""The network as the backbone of every CP-SAT solve: relax, repair, then improve.

A problem with rules the network engine cannot hold (quotas on used mentors or served
mentees, crossing quotas, weighted loads, stability, ...) still has a *network
relaxation*: the same problem with those rules dropped and every load counted as one
pair. It is solved exactly in milliseconds (:mod:`banghdai.solvers.network`) and gives

* a **bound** per level: while the earlier levels sit at their relaxation values, no
  pairing that keeps every rule beats the relaxation at the next level;
* a **pairing** that :func:`repair` turns into one keeping every rule. Each rule chooses
  its own method (``repair`` on the compiled group rule, e.g.
  :meth:`banghdai.compile.groups.CompiledQuota.repair` closes the least valuable mentors
  of a group over its "used mentors" maximum and re-solves the network without them); the
  degree bounds (weighted loads included) are repaired here. The repaired pairing is the
  first incumbent of CP-SAT (:mod:`banghdai.solvers.cpsat`): a result is never
  lexicographically worse than it.

Example
-------
>>> import pandas as pd, banghdai as bd
>>> from banghdai.solvers.repair import backbone
>>> from banghdai.solvers.base import SolveParams
>>> mentors = pd.DataFrame({"mentor_id": ["A", "B", "C"], "t": ["x", "x", "y"], "capacity": 2})
>>> mentees = pd.DataFrame({"mentee_id": ["E", "F", "G"]})
>>> p = bd.Problem(mentors, mentees, pairing=bd.OneToMany("capacity"))
>>> p = p.require(bd.Quota("t", side="mentor", max={"x": 1}, count="mentors"))
>>> bb = backbone(p.compile(), SolveParams())
>>> int(bb.repaired.sum()), bb.feasible
(3, True)
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from ..compile.groups import node_load
from ..core.status import Status
from .base import SolveParams
from .stable import is_stability

if TYPE_CHECKING:
    from ..compile.graph import Compiled


# ------------------------------------------------------------------ relaxation
def unit_relaxation_valid(compiled: Compiled) -> bool:
    """Counting every pair as one unit of load is a relaxation only when no pair weighs
    less than one (a load of 0 would let more pairs fit).

    Example
    -------
    >>> import numpy as np, pandas as pd, banghdai as bd
    >>> c = bd.Problem(pd.DataFrame({"mentor_id": ["A"]}),
    ...                pd.DataFrame({"mentee_id": ["E", "F"]})).compile()
    >>> unit_relaxation_valid(c)
    True"""
    load = compiled.edge_load
    return load is None or bool((load >= 1).all())


def network_part(compiled: Compiled) -> Compiled | None:
    """The network relaxation of ``compiled``: a maximal set of its network-shaped group
    rules, unit loads (minimum loads divided by the mentor's largest pair load, rounded
    up) and its leading linear levels; None when there is no such relaxation.

    Example
    -------
    >>> import pandas as pd, banghdai as bd
    >>> p = bd.Problem(pd.DataFrame({"mentor_id": ["A"], "t": ["x"]}),
    ...                pd.DataFrame({"mentee_id": ["E"]}))
    >>> c = p.require(bd.Quota("t", side="mentor", max={"x": 1}, count="mentors")).compile()
    >>> network_part(c).group_rules
    ()
    """
    from .network import network_supported

    if not unit_relaxation_valid(compiled):
        return None
    levels: list = []
    for level in compiled.levels:
        if level.kind != "linear":
            break
        levels.append(level)
    if compiled.levels and not levels:
        return None
    cap_lo = compiled.cap_lo
    if compiled.edge_load is not None and cap_lo.any():
        biggest = np.zeros(compiled.n_mentors, np.int64)
        np.maximum.at(biggest, compiled.edge_mentor, compiled.edge_load.astype(np.int64))
        cap_lo = -(-cap_lo.astype(np.int64) // np.maximum(biggest, 1))
    base = replace(compiled, group_rules=(), edge_load=None, levels=tuple(levels),
                   cap_lo=cap_lo)
    kept: list = []
    for rule in compiled.group_rules:
        if rule.network(base) is None:
            continue
        if network_supported(replace(base, group_rules=(*kept, rule))):
            kept.append(rule)
    out = replace(base, group_rules=tuple(kept))
    return out if network_supported(out) else None


def network_relaxation(compiled: Compiled, params: SolveParams
                       ) -> tuple[list[int] | str | None, np.ndarray | None]:
    """Solve the network relaxation: (proven level values in internal units, pairing).

    Without levels the single value is the objective ``(edge_value + slot_penalty)`` of the
    relaxation's optimum. Returns ("INFEASIBLE", None) when even the relaxation has no
    pairing, (None, None) when there is no relaxation (or its costs overflow).

    Example
    -------
    >>> import numpy as np, pandas as pd, banghdai as bd
    >>> c = bd.Problem(pd.DataFrame({"mentor_id": ["A"]}),
    ...                pd.DataFrame({"mentee_id": ["E", "F"]})).compile()
    >>> values, chosen = network_relaxation(c, SolveParams())
    >>> len(values), int(chosen.sum())
    (1, 1)
    """
    from .network import NetworkBackend

    relaxed = network_part(compiled)
    if relaxed is None:
        return None, None
    try:
        raw = NetworkBackend().solve(relaxed, replace(params, progress=False))
    except ValueError:  # costs too large for the flow's 64-bit arithmetic
        return None, None
    if raw.status is Status.INFEASIBLE:
        return "INFEASIBLE", None
    if not compiled.levels:
        return ([int(raw.objective)] if raw.status is Status.OPTIMAL and raw.objective is not None
                else []), raw.chosen
    rows = raw.info.get("network_rows", [])
    values: list[int] = []
    for r in rows:
        if not r.get("proven"):
            break
        values.append(int(r["value"]))
    return values, raw.chosen


#: seconds per candidate pair and level the network relaxation takes (build included;
#: the Yinchuan city's 27k pairs, 5 levels: 0.24 s on a quiet 2-core machine), with margin
_SECONDS_PER_EDGE_LEVEL = 2.5e-6


def relaxation_seconds(compiled: Compiled) -> float:
    """An estimate of the network relaxation's time on ``compiled``.

    Example
    -------
    >>> import numpy as np, pandas as pd, banghdai as bd
    >>> c = bd.Problem(pd.DataFrame({"mentor_id": ["A"]}),
    ...                pd.DataFrame({"mentee_id": ["E", "F"]})).compile()
    >>> relaxation_seconds(c) < 0.001
    True"""
    n_levels = sum(1 for lv in compiled.levels if lv.kind == "linear") or 2
    return _SECONDS_PER_EDGE_LEVEL * compiled.n_edges * n_levels


def has_time(params: SolveParams, compiled: Compiled, factor: float = 2.0,
             measured: float = 0.0) -> bool:
    """True when the time left allows ``factor`` network relaxations of ``compiled`` (each
    taking the estimate, or ``measured`` seconds when one was timed and took longer).

    Example
    -------
    >>> import numpy as np, pandas as pd, banghdai as bd
    >>> c = bd.Problem(pd.DataFrame({"mentor_id": ["A"]}),
    ...                pd.DataFrame({"mentee_id": ["E", "F"]})).compile()
    >>> has_time(SolveParams(time_limit=1.0), c)
    True"""
    left = params.remaining()
    return left is None or left > factor * max(relaxation_seconds(compiled), measured)


# ------------------------------------------------------------------ values
def edge_weight(compiled: Compiled) -> np.ndarray:
    """A rank per pair (higher = more worth keeping): the linear levels compared in order,
    or the objective without levels.

    Example
    -------
    >>> import numpy as np, pandas as pd, banghdai as bd
    >>> c = bd.Problem(pd.DataFrame({"mentor_id": ["A"]}),
    ...                pd.DataFrame({"mentee_id": ["E", "F"]})).compile()
    >>> edge_weight(c).tolist()
    [0.0, 1.0]"""
    keys = [lv.coeff for lv in compiled.levels if lv.kind == "linear" and lv.coeff is not None]
    if not keys:
        keys = [compiled.edge_value + compiled.slot_penalty]
    order = np.lexsort(tuple(np.asarray(k) for k in reversed(keys)))
    weight = np.empty(compiled.n_edges, np.float64)
    weight[order] = np.arange(compiled.n_edges, dtype=np.float64)
    return weight


def level_value(level: Any, compiled: Compiled, chosen: np.ndarray) -> int:
    """A level's internal (maximised) value under ``chosen``, as CP-SAT would report it.

    Example
    -------
    >>> import numpy as np, pandas as pd, banghdai as bd
    >>> c = bd.Problem(pd.DataFrame({"mentor_id": ["A"], "capacity": [2]}),
    ...                pd.DataFrame({"mentee_id": ["E", "F"]}),
    ...                pairing=bd.OneToMany("capacity")).prefer(levels=[bd.Coverage()]).compile()
    >>> level_value(c.levels[0], c, np.array([True, True]))
    2"""
    if level.kind == "linear":
        return int(level.coeff[chosen].sum())
    if level.kind == "minmaxload":
        count = np.bincount(compiled.edge_mentor[chosen], minlength=compiled.n_mentors)
        return -int(count.max(initial=0))
    if level.kind == "maxmin":
        total = np.bincount(compiled.edge_mentee[chosen], weights=level.coeff[chosen],
                            minlength=compiled.n_mentees)
        served = np.bincount(compiled.edge_mentee[chosen], minlength=compiled.n_mentees) > 0
        return int(round(float(total[served].min()))) if served.any() else 0
    raise ValueError(f"unknown level kind {level.kind!r}")  # pragma: no cover


def values_of(compiled: Compiled, chosen: np.ndarray) -> list[int]:
    """Every level's internal value (or, without levels, the objective) under ``chosen``.

    Example
    -------
    >>> import numpy as np, pandas as pd, banghdai as bd
    >>> c = bd.Problem(pd.DataFrame({"mentor_id": ["A"]}),
    ...                pd.DataFrame({"mentee_id": ["E", "F"]})).compile()
    >>> len(values_of(c, np.array([True, False])))
    1"""
    if not compiled.levels:
        return [int((compiled.edge_value + compiled.slot_penalty)[chosen].sum())]
    return [level_value(lv, compiled, chosen) for lv in compiled.levels]


# ------------------------------------------------------------------ feasibility
def degrees_ok(compiled: Compiled, chosen: np.ndarray) -> bool:
    """Loads within [cap_lo, cap_hi], mentees within their demand, fixed pairs chosen.

    Example
    -------
    >>> import numpy as np, pandas as pd, banghdai as bd
    >>> c = bd.Problem(pd.DataFrame({"mentor_id": ["A"]}),
    ...                pd.DataFrame({"mentee_id": ["E", "F"]})).compile()
    >>> degrees_ok(c, np.array([True, True]))
    False"""
    load = node_load(compiled, chosen)
    has_edge = np.bincount(compiled.edge_mentor, minlength=compiled.n_mentors) > 0
    got = np.bincount(compiled.edge_mentee[chosen], minlength=compiled.n_mentees)
    ok = bool((load <= compiled.cap_hi).all()
              and ((load >= compiled.cap_lo) | ~has_edge).all()
              and (got <= compiled.demand).all()
              and chosen[compiled.edge_fixed].all())
    if ok and compiled.must_match:
        has = np.bincount(compiled.edge_mentee, minlength=compiled.n_mentees) > 0
        ok = bool(((got == compiled.demand) | ~has).all())
    return ok


def feasible(compiled: Compiled, chosen: np.ndarray) -> bool:
    """True when ``chosen`` keeps the degree bounds, the fixed pairs and every group rule.

    Example
    -------
    >>> import numpy as np, pandas as pd, banghdai as bd
    >>> c = bd.Problem(pd.DataFrame({"mentor_id": ["A"]}),
    ...                pd.DataFrame({"mentee_id": ["E", "F"]})).compile()
    >>> feasible(c, np.array([True, False])), feasible(c, np.array([True, True]))
    (True, False)
    """
    return degrees_ok(compiled, chosen) and all(
        g.satisfied(compiled, chosen) for g in compiled.group_rules)


def repair_degrees(compiled: Compiled, chosen: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """Drop the least valuable unfixed pairs of each mentor over its (weighted) capacity and
    of each mentee over its demand; fill mentors under their minimum load and, when every
    mentee must be paired, mentees short of their demand (best free pairs first).

    Example
    -------
    >>> import numpy as np, pandas as pd, banghdai as bd
    >>> c = bd.Problem(pd.DataFrame({"mentor_id": ["A"]}),
    ...                pd.DataFrame({"mentee_id": ["E", "F"]})).compile()
    >>> repair_degrees(c, np.array([True, True]), np.array([0.0, 1.0])).tolist()
    [False, True]"""
    from ..compile.groups import _add_best

    out = chosen.copy()
    load = compiled.edge_load
    fixed = compiled.edge_fixed
    for owner, cap, weights in ((compiled.edge_mentor, compiled.cap_hi, load),
                                (compiled.edge_mentee, compiled.demand, None)):
        on = np.flatnonzero(out)
        order = on[np.lexsort((-weight[on], ~fixed[on], owner[on]))]
        w = np.ones(order.size, np.int64) if weights is None else weights[order]
        own = owner[order]
        run = np.cumsum(w)
        start = np.r_[True, own[1:] != own[:-1]] if own.size else np.zeros(0, bool)
        first = np.maximum.accumulate(np.where(start, np.arange(own.size), 0)) \
            if own.size else np.zeros(0, np.int64)
        used = run - (run[first] - w[first])
        out[order[(used > cap[own]) & ~fixed[order]]] = False
    gap = compiled.cap_lo.astype(np.int64) - node_load(compiled, out)
    if (gap > 0).any():  # mentors under their minimum load: their best free pairs
        _add_best(compiled, out, np.flatnonzero(gap[compiled.edge_mentor] > 0),
                  int(gap[gap > 0].sum()), weight)
    if compiled.must_match:
        got = np.bincount(compiled.edge_mentee[out], minlength=compiled.n_mentees)
        lacking = np.flatnonzero(got < compiled.demand)
        if lacking.size:
            _add_best(compiled, out, np.flatnonzero(np.isin(compiled.edge_mentee, lacking)),
                      int((compiled.demand[lacking] - got[lacking]).sum()), weight)
    return out


class _Kit:
    """What rules' repairs may ask of the solvers (see :class:`~banghdai.compile.groups.RepairKit`)."""

    def __init__(self, compiled: Compiled, params: SolveParams, measured: float = 0.0) -> None:
        self.compiled = compiled
        self.params = params
        self.measured = measured  # seconds one network relaxation took

    def network(self, compiled: Compiled) -> np.ndarray | None:
        if not has_time(self.params, compiled, 1.0, self.measured):
            return None
        values, chosen = network_relaxation(compiled, self.params)
        return None if values is None or values == "INFEASIBLE" else chosen

    def stable(self, proposer: Literal["mentee", "mentor"]) -> np.ndarray | None:
        from .stable import deferred_acceptance_of

        return deferred_acceptance_of(self.compiled, proposer)


def repair(compiled: Compiled, chosen: np.ndarray, weight: np.ndarray | None = None,
           params: SolveParams | None = None, rounds: int = 4, measured: float = 0.0
           ) -> tuple[np.ndarray, bool]:
    """Turn ``chosen`` into a pairing that keeps every rule: (pairing, whether it does).

    Each round repairs the degree bounds, then asks every group rule that is not kept
    to repair itself (``rule.repair``); the first round lets the rules re-solve the
    network (closing mentors, ...), later rounds only drop or add pairs. A pairing that
    still breaks a rule after ``rounds`` is returned with False (a hint at most).

    Example
    -------
    >>> import numpy as np, pandas as pd, banghdai as bd
    >>> c = bd.Problem(pd.DataFrame({"mentor_id": ["A"]}),
    ...                pd.DataFrame({"mentee_id": ["E", "F"]})).compile()
    >>> fixed, ok = repair(c, np.array([True, True]))
    >>> int(fixed.sum()), ok
    (1, True)
    """
    weight = edge_weight(compiled) if weight is None else weight
    kit = _Kit(compiled, params or SolveParams(), measured)
    rules = [g for g in compiled.group_rules if hasattr(g, "repair")]
    # stability first: its repair replaces the pairing, the others only adjust one
    rules.sort(key=lambda g: not is_stability(g))
    out = _fix(compiled, rules, repair_degrees(compiled, np.asarray(chosen, dtype=bool),
                                               weight), weight, kit, rounds)
    if not feasible(compiled, out):
        return out, False
    # refill: the free capacity the repairs left, best pairs first, then repaired again
    # without re-solving; kept only when every rule still holds and it is better
    more = out.copy()
    from ..compile.groups import _add_best

    short = np.bincount(compiled.edge_mentee[out], minlength=compiled.n_mentees) \
        < compiled.demand
    pool = np.flatnonzero(short[compiled.edge_mentee] & ~out)
    if _add_best(compiled, more, pool, int(pool.size), weight):
        more = _fix(compiled, rules, more, weight, None, 2)
        if feasible(compiled, more) and better(values_of(compiled, more),
                                               values_of(compiled, out)):
            out = more
    return out, True


def _fix(compiled: Compiled, rules: list, out: np.ndarray, weight: np.ndarray,
         kit: _Kit | None, rounds: int) -> np.ndarray:
    for r in range(rounds):
        broken = [g for g in rules if not g.satisfied(compiled, out)]
        if not broken and degrees_ok(compiled, out):
            break
        for g in broken:
            out = repair_degrees(compiled, g.repair(compiled, out, weight,
                                                    kit if r == 0 else None), weight)
    return out


def polish(compiled: Compiled, chosen: np.ndarray, upto: int, params: SolveParams | None = None,
           measured: float = 0.0) -> np.ndarray | None:
    """Re-optimise the levels after ``upto`` around ``chosen`` on the network.

    ``chosen``'s pairs that count positively on a linear level ``0 .. upto`` are fixed
    in the network relaxation, which re-optimises every level around them; the result is
    repaired. None when nothing is left free, when the result does not keep every rule, or
    when one of the levels ``0 .. upto`` dropped below ``chosen``'s.

    Example
    -------
    >>> import numpy as np, pandas as pd, banghdai as bd
    >>> c = bd.Problem(pd.DataFrame({"mentor_id": ["A"]}), pd.DataFrame({"mentee_id": ["E"]})
    ...                ).prefer(levels=[bd.Coverage()]).compile()
    >>> polish(c, np.array([True]), 0) is None  # a single level: nothing after it
    True
    """
    keys = [lv.coeff for lv in compiled.levels[: upto + 1]
            if lv.kind == "linear" and lv.coeff is not None]
    if len(keys) != upto + 1 or upto + 1 >= len(compiled.levels):
        return None
    counts = np.zeros(compiled.n_edges, bool)
    for coeff in keys:
        if (coeff < 0).any():
            return None  # a pair left out could raise such a level: fixing proves nothing
        counts |= coeff > 0
    keep = chosen & counts
    if keep.sum() >= chosen.sum() or not has_time(params or SolveParams(), compiled, 2.0,
                                                   measured):
        return None
    fixed = replace(compiled, edge_fixed=compiled.edge_fixed | keep)
    values, relaxed = network_relaxation(fixed, params or SolveParams())
    if relaxed is None or values is None or values == "INFEASIBLE":
        return None
    out, ok = repair(compiled, relaxed | keep, params=params, measured=measured)
    if not ok:
        return None
    now, was = values_of(compiled, out), values_of(compiled, chosen)
    # the levels fixed so far must not drop (each one, not only lexicographically)
    return out if all(a >= b for a, b in zip(now[: upto + 1], was[: upto + 1],
                                             strict=True)) else None


# ------------------------------------------------------------------ the backbone
@dataclass
class Backbone:
    """The network relaxation and its repair.

    ``values``: the relaxation's proven values per level (internal units; without levels,
    one value: the objective), an upper bound on each level while the earlier ones equal
    theirs. ``relaxed``: its pairing. ``repaired``: a pairing keeping every rule (None when
    the repair failed); ``attempt``: the repair's last try (a hint even when it failed).

    Example
    -------
    >>> Backbone().feasible
    False
    """

    values: list[int] = field(default_factory=list)
    relaxed: np.ndarray | None = None
    repaired: np.ndarray | None = None
    attempt: np.ndarray | None = None
    infeasible: bool = False
    seconds: float = 0.0
    relax_seconds: float = 0.0  # what the network relaxation took

    @property
    def feasible(self) -> bool:
        """True when the repair gave a pairing that keeps every rule."""
        return self.repaired is not None


def backbone(compiled: Compiled, params: SolveParams) -> Backbone:
    """Solve the network relaxation of ``compiled`` and repair its pairing.

    Example
    -------
    >>> import numpy as np, pandas as pd, banghdai as bd
    >>> c = bd.Problem(pd.DataFrame({"mentor_id": ["A"]}),
    ...                pd.DataFrame({"mentee_id": ["E", "F"]})).compile()
    >>> bb = backbone(c, SolveParams())
    >>> bb.values, bb.feasible
    ([1], True)"""
    start = time.perf_counter()
    if not has_time(params, compiled):  # no time for it: CP-SAT alone
        return Backbone()
    values, relaxed = network_relaxation(compiled, params)
    took = time.perf_counter() - start
    if isinstance(values, str):  # "INFEASIBLE"
        return Backbone(infeasible=True, seconds=took)
    out = Backbone(values=list(values or []), relaxed=relaxed, relax_seconds=took)
    if relaxed is not None:
        attempt, ok = repair(compiled, relaxed, params=params, measured=took)
        out.attempt = attempt
        out.repaired = attempt if ok else None
    out.seconds = time.perf_counter() - start
    return out


def better(a: list[int], b: list[int]) -> bool:
    """``a`` lexicographically better (greater) than ``b``.

    Example
    -------
    >>> better([3, 1], [2, 9]), better([3, 1], [3, 1])
    (True, False)"""
    return tuple(a) > tuple(b)
