"""Group rules compiled against the candidate edges (index arrays + CP-SAT parts).

Each compiled group rule names its *parts* so that explanations can put each
part behind an assumption literal; :func:`compile_groups` builds them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np
import pandas as pd

from ..core.arrays import pair_keys as _pair_keys
from ..core.errors import InputError, Msg
from ..core.ids import value_keys
from ..data.schema import pair_table
from ..model.grouprule import (
    Finding,
    FlowTree,
    GroupContext,
    NetworkForm,
    Part,
)
from ..model.groups import Quota, Stable, quota_bounds

if TYPE_CHECKING:
    from ..model.problem import Problem
    from .graph import Compiled


# ------------------------------------------------------------------ compiled forms


def _lin(cp_model, x: list, idx: np.ndarray, coeffs: np.ndarray | None = None):
    if coeffs is None:
        return cp_model.LinearExpr.sum([x[j] for j in idx.tolist()])
    return cp_model.LinearExpr.weighted_sum([x[j] for j in idx.tolist()], coeffs.tolist())


def _add(model, expr_ok, enforce) -> None:
    ct = model.add(expr_ok)
    if enforce is not None:
        ct.only_enforce_if(enforce)


# ------------------------------------------------------------------ repair protocol
class RepairKit(Protocol):
    """What a rule's ``repair`` may ask of the solvers (given by the caller, so that this
    layer imports no solver): the network optimum of a restricted problem, and a stable
    matching.

    Example
    -------
    >>> from banghdai.compile.groups import RepairKit
    >>> RepairKit.__name__
    'RepairKit'
    """

    def network(self, compiled: Compiled) -> np.ndarray | None:
        """The lexicographic network optimum of ``compiled`` without its non-network
        rules (a boolean edge mask), or None when there is none (or no time)."""
        ...

    def stable(self, proposer: str) -> np.ndarray | None:
        """The ``proposer``-optimal stable matching of the problem (a boolean edge mask)."""
        ...


def node_load(compiled: Compiled, chosen: np.ndarray) -> np.ndarray:
    """Each mentor's load (its pairs, weighted by ``edge_load`` when there is one).

    Example
    -------
    >>> import numpy as np, pandas as pd, banghdai as bd
    >>> c = bd.Problem(pd.DataFrame({"mentor_id": ["M"]}),
    ...                pd.DataFrame({"mentee_id": ["E"]})).compile()
    >>> node_load(c, np.array([True])).tolist()
    [1]
    """
    w = None if compiled.edge_load is None else compiled.edge_load[chosen]
    return np.bincount(compiled.edge_mentor[chosen], weights=w,
                       minlength=compiled.n_mentors).astype(np.int64)


def _drop_worst(chosen: np.ndarray, edges: np.ndarray, k: int, weight: np.ndarray,
                fixed: np.ndarray) -> None:
    """Unchoose (in place) the ``k`` chosen, unfixed edges of ``edges`` of least weight."""
    if k <= 0:
        return
    on = edges[chosen[edges] & ~fixed[edges]]
    if on.size:
        chosen[on[np.argsort(weight[on], kind="stable")[:k]]] = False


def _add_best(compiled: Compiled, chosen: np.ndarray, edges: np.ndarray, k: int,
              weight: np.ndarray, *, one_per_mentor: bool = False,
              one_per_mentee: bool = False) -> int:
    """Choose (in place) up to ``k`` more edges of ``edges``, best weight first, each within
    its mentor's spare capacity and its mentee's spare demand; returns how many.

    The loop runs over the candidates in weight order and stops after ``k`` additions
    (a deficit of a few pairs, not a pass over every row)."""
    if k <= 0 or edges.size == 0:
        return 0
    free = edges[~chosen[edges]]
    if free.size == 0:
        return 0
    spare_m = compiled.cap_hi.astype(np.int64) - node_load(compiled, chosen)
    spare_e = compiled.demand.astype(np.int64) - np.bincount(
        compiled.edge_mentee[chosen], minlength=compiled.n_mentees)
    load = compiled.edge_load
    m, e = compiled.edge_mentor[free], compiled.edge_mentee[free]
    need = np.ones(free.size, np.int64) if load is None else load[free]
    fits = (spare_m[m] >= need) & (spare_e[e] >= 1)
    order = free[fits][np.argsort(-weight[free[fits]], kind="stable")]
    added = 0
    used_m: set[int] = set()
    used_e: set[int] = set()
    for j in order.tolist():
        i, t = int(compiled.edge_mentor[j]), int(compiled.edge_mentee[j])
        w = 1 if load is None else int(load[j])
        if spare_m[i] < w or spare_e[t] < 1:
            continue
        if (one_per_mentor and i in used_m) or (one_per_mentee and t in used_e):
            continue
        chosen[j] = True
        spare_m[i] -= w
        spare_e[t] -= 1
        used_m.add(i)
        used_e.add(t)
        added += 1
        if added >= k:
            break
    return added


@dataclass(frozen=True, eq=False)
class CompiledQuota:
    """One bounded count per group value."""

    label: str
    spec: Quota
    names: list[str]
    edge_sets: list[np.ndarray]
    node_sets: list[np.ndarray]
    lo: list[int | None]
    hi: list[int | None]
    couples_components: bool = True

    def network(self, compiled: Compiled) -> NetworkForm | None:
        """Quotas on pairs: bounded group nodes between the source and the mentors (or the
        mentees and the sink); quotas on served mentees or used mentors are no flow."""
        if self.spec.count != "pairs":
            return None
        return NetworkForm(trees=(FlowTree(self.spec.side, [np.asarray(n, np.int64)
                                                            for n in self.node_sets],
                                           list(self.lo), list(self.hi)),))

    def blocked(self, compiled: Compiled, chosen: np.ndarray) -> np.ndarray:
        """Unchosen edges that would raise a count already at its max."""
        out = np.zeros(chosen.size, bool)
        got = self.counts(compiled, chosen)
        own = compiled.edge_mentor if self.spec.side == "mentor" else compiled.edge_mentee
        hit = None if self.spec.count == "pairs" else self._hits(compiled, chosen)
        for g, edges in enumerate(self.edge_sets):
            hi = self.hi[g]
            if hi is None or got[g] < hi:
                continue
            if hit is None:
                out[edges] = True
            elif self.spec.count == "mentors":
                out[edges[~hit[own[edges]]]] = True
            else:  # a pair that would complete an unserved mentee
                have = np.bincount(compiled.edge_mentee[chosen], minlength=compiled.n_mentees)
                t = own[edges]
                out[edges[~hit[t] & (have[t] + 1 >= compiled.demand[t])]] = True
        return out & ~chosen

    def couples(self, compiled: Compiled, edge_label: np.ndarray) -> bool:
        """When a bounded group has pairs in two components, or a minimum and no pair."""
        for edges, lo in zip(self.edge_sets, self.lo, strict=True):
            where = np.unique(edge_label[edges])
            if where.size > 1 or (where.size == 0 and lo is not None and lo > 0):
                return True
        return False

    def restrict(self, local_edge: np.ndarray,
                 local_node: dict[str, np.ndarray]) -> CompiledQuota:
        """The bounded groups with pairs kept by ``local_edge`` (a component's, or the pairs
        a result keeps for its reasons), renumbered."""
        nodes_of = local_node[self.spec.side]
        keep = [i for i, edges in enumerate(self.edge_sets)
                if edges.size and (local_edge[edges] >= 0).any()]
        node_sets = []
        for i in keep:
            local = nodes_of[self.node_sets[i]]
            node_sets.append(local[local >= 0])
        return replace(self, names=[self.names[i] for i in keep],
                       edge_sets=[kept[kept >= 0] for kept in
                                  (local_edge[self.edge_sets[i]] for i in keep)],
                       node_sets=node_sets, lo=[self.lo[i] for i in keep],
                       hi=[self.hi[i] for i in keep])

    def precheck(self, compiled: Compiled, lang: str) -> list[Finding]:
        """None here: explain/check.py compares each group's reach with its bounds."""
        return []

    def parts(self, compiled: Compiled) -> list[Part]:
        """One part per bounded group value."""
        from ortools.sat.python import cp_model

        out: list[Part] = []
        for name, edges, nodes, lo, hi in zip(self.names, self.edge_sets, self.node_sets,
                                              self.lo, self.hi, strict=True):
            what = {"pairs": "pairs", "mentees": "served mentees", "mentors": "used mentors"}[
                self.spec.count]
            text = f"{self.spec.side} {self.spec.column}={name}: {what}"
            if lo is not None:
                text += f" >= {lo}"
            if hi is not None:
                text += f" <= {hi}"

            def add(model, x, enforce, edges=edges, nodes=nodes, lo=lo, hi=hi):
                if self.spec.count == "pairs":
                    expr = _lin(cp_model, x, edges) if edges.size else 0
                else:
                    expr = self._indicators(model, x, compiled, nodes)
                if lo is not None:
                    _add(model, expr >= lo, enforce)
                if hi is not None:
                    _add(model, expr <= hi, enforce)

            out.append((text, add))
        return out

    def _indicators(self, model, x, compiled: Compiled, nodes: np.ndarray):
        """Sum of 0/1 indicators: mentee fully served, or mentor used."""
        from ortools.sat.python import cp_model

        own = compiled.edge_mentee if self.spec.side == "mentee" else compiled.edge_mentor
        terms = []
        for node in nodes.tolist():
            edges = np.flatnonzero(own == node)
            if not edges.size:
                continue
            y = model.new_bool_var("")
            total = _lin(cp_model, x, edges)
            if self.spec.count == "mentees":
                k = int(compiled.demand[node])
                if k == 0:
                    continue
                model.add(total >= k * y)
                model.add(total <= (k - 1) + y)
            else:
                model.add(total >= y)
                model.add(total <= int(edges.size) * y)
            terms.append(y)
        return cp_model.LinearExpr.sum(terms) if terms else 0

    def _hits(self, compiled: Compiled, chosen: np.ndarray) -> np.ndarray:
        """Per node of the side: used (mentors) or fully served (mentees)."""
        if self.spec.count == "mentors":
            return np.bincount(compiled.edge_mentor[chosen], minlength=compiled.n_mentors) > 0
        got = np.bincount(compiled.edge_mentee[chosen], minlength=compiled.n_mentees)
        return (got >= compiled.demand) & (compiled.demand > 0)

    def counts(self, compiled: Compiled, chosen: np.ndarray) -> np.ndarray:
        """The counted quantity of each bounded group under ``chosen``.

        Example
        -------
        >>> import numpy as np, pandas as pd, banghdai as bd
        >>> c = bd.Problem(pd.DataFrame({"mentor_id": ["A", "B"], "t": ["x", "x"]}),
        ...                pd.DataFrame({"mentee_id": ["E", "F"]})).require(
        ...     bd.Quota("t", side="mentor", max={"x": 1}, count="mentors")).compile()
        >>> c.group_rules[0].counts(c, np.array([True, False, False, True])).tolist()
        [2]
        """
        if self.spec.count == "pairs":
            return np.array([int(chosen[e].sum()) for e in self.edge_sets], dtype=np.int64)
        hit = self._hits(compiled, chosen)
        return np.array([int(hit[n].sum()) for n in self.node_sets], dtype=np.int64)

    def satisfied(self, compiled: Compiled, chosen: np.ndarray) -> bool:
        """True when every group's count is within its bounds.

        Example
        -------
        >>> import numpy as np, pandas as pd, banghdai as bd
        >>> c = bd.Problem(pd.DataFrame({"mentor_id": ["A", "B"], "t": ["x", "x"]}),
        ...                pd.DataFrame({"mentee_id": ["E", "F"]})).require(
        ...     bd.Quota("t", side="mentor", max={"x": 1}, count="mentors")).compile()
        >>> c.group_rules[0].satisfied(c, np.array([True, False, True, False]))  # A twice
        True
        """
        got = self.counts(compiled, chosen)
        lo = np.array([-1 if v is None else v for v in self.lo], dtype=np.int64)
        hi = np.array([np.iinfo(np.int64).max if v is None else v for v in self.hi],
                      dtype=np.int64)
        return bool(((got >= lo) & (got <= hi)).all())

    def repair(self, compiled: Compiled, chosen: np.ndarray, weight: np.ndarray,
               kit: RepairKit | None = None) -> np.ndarray:
        """A pairing near ``chosen`` within this quota's bounds.

        Pairs: the least valuable pairs of a group over its max are dropped, and the
        best free pairs of a group under its min added. Used mentors / served mentees:
        over the max, the least valuable mentors are closed (mentees left short); under
        the min, unused mentors get their best free pair (unserved mentees the pairs they
        miss). Then, with ``kit``, the network optimum of the problem restricted that way
        (closed mentors at capacity 0, opened ones at a minimum load of 1, left-short
        mentees one mentor less) replaces it: every pairing of that network keeps the
        quota, and the freed mentees find other mentors.

        Example
        -------
        >>> import numpy as np, pandas as pd, banghdai as bd
        >>> c = bd.Problem(pd.DataFrame({"mentor_id": ["A", "B"], "t": ["x", "x"]}),
        ...                pd.DataFrame({"mentee_id": ["E", "F"]})).require(
        ...     bd.Quota("t", side="mentor", max={"x": 1}, count="mentors")).compile()
        >>> fixed = c.group_rules[0].repair(c, np.array([True, False, False, True]),
        ...                                 np.array([1.0, 0.0, 0.0, 2.0]))
        >>> fixed.tolist(), c.group_rules[0].satisfied(c, fixed)
        ([False, False, False, True], True)
        """
        out = chosen.copy()
        fixed = compiled.edge_fixed
        cap_hi = compiled.cap_hi.astype(np.int64).copy()
        cap_lo = compiled.cap_lo.astype(np.int64).copy()
        demand = compiled.demand.astype(np.int64).copy()
        restricted = False
        cover: np.ndarray | None = None  # edges whose pairs the network should cover first
        own = compiled.edge_mentor if self.spec.side == "mentor" else compiled.edge_mentee
        n_own = compiled.n_mentors if self.spec.side == "mentor" else compiled.n_mentees
        for g, (edges, nodes) in enumerate(zip(self.edge_sets, self.node_sets, strict=True)):
            lo, hi = self.lo[g], self.hi[g]
            got = int(self.counts(compiled, out)[g])
            if self.spec.count == "pairs":
                if hi is not None and got > hi:
                    _drop_worst(out, edges, got - hi, weight, fixed)
                elif lo is not None and got < lo:
                    _add_best(compiled, out, edges, lo - got, weight)
                continue
            hit = self._hits(compiled, out)
            on = edges[out[edges]]
            value = np.bincount(own[on], weights=weight[on] + 1.0, minlength=n_own)
            keep = np.bincount(own[on[fixed[on]]], minlength=n_own) > 0
            if self.spec.count == "mentors":
                keep |= cap_lo > 0
            if hi is not None and got > hi:
                members = nodes[hit[nodes]]
                rank = np.lexsort((-value[members], ~keep[members]))
                drop = members[rank[hi:]]
                # in the restricted network every node of the group but the kept ones is
                # closed, the unused ones too (else the network would use them instead)
                shut = np.setdiff1d(nodes, members[rank[:hi]])
                if self.spec.count == "mentors":
                    out[edges[np.isin(own[edges], drop) & ~fixed[edges]]] = False
                    cap_hi[shut[~keep[shut]]] = 0
                else:  # each mentee left short loses its least valuable pair
                    mine = on[np.isin(own[on], drop) & ~fixed[on]]
                    mine = mine[np.lexsort((weight[mine], own[mine]))]
                    first = np.r_[True, own[mine][1:] != own[mine][:-1]] if mine.size else mine
                    out[mine[first.astype(bool)]] = False
                    if not compiled.must_match:
                        demand[shut] = np.maximum(demand[shut] - 1, 0)
                restricted = True
            elif lo is not None and got < lo:
                idle = nodes[~hit[nodes]]
                if self.spec.count == "mentors":
                    pool = edges[np.isin(own[edges], idle)]
                    _add_best(compiled, out, pool, lo - got, weight, one_per_mentor=True)
                    now = self._hits(compiled, out)
                    cap_lo[nodes[now[nodes]]] = np.maximum(cap_lo[nodes[now[nodes]]], 1)
                    restricted = True
                else:  # the mentees closest to being served first, a bounded number
                    missing = (compiled.demand - np.bincount(
                        compiled.edge_mentee[out], minlength=compiled.n_mentees))[idle]
                    need = lo - got
                    for t in idle[np.argsort(missing, kind="stable")][: 4 * need].tolist():
                        mine = edges[own[edges] == t]
                        _add_best(compiled, out, mine, int(compiled.demand[t]), weight)
                        need -= int(self._hits(compiled, out)[t])
                        if need <= 0:
                            break
                    if need > 0:  # the network covers the served and the nearest first
                        served = nodes[self._hits(compiled, chosen)[nodes]]
                        target = np.r_[served, idle[np.argsort(missing, kind="stable")][
                            : lo - int(served.size)]]
                        mark = np.isin(own[edges], target)
                        cover = edges[mark] if cover is None else np.r_[cover, edges[mark]]
                        restricted = True
        if kit is not None and restricted:
            from .levels import CompiledLevel

            levels = compiled.levels
            if cover is not None:  # a first level: the pairs of the mentees to serve
                coeff = np.zeros(compiled.n_edges, np.int64)
                coeff[cover] = 1
                rest = levels or (CompiledLevel("objective", "linear",
                                                compiled.edge_value + compiled.slot_penalty),)
                levels = (CompiledLevel("repair", "linear", coeff), *rest)
            net = kit.network(replace(compiled, cap_hi=cap_hi, cap_lo=cap_lo, demand=demand,
                                      levels=levels))
            if net is not None and self.satisfied(compiled, net):
                return net
        return out


@dataclass(frozen=True, eq=False)
class CompiledStable:
    """Stability constraints over prefix sums of each side's ordered list."""

    label: str
    spec: Stable
    mentee_order: np.ndarray | None = None  # strict preference order of the edges per mentee
    mentor_order: np.ndarray | None = None
    couples_components: bool = False
    #: (edge_info, edge_mentor, edge_mentee) to build the orders from when first needed:
    #: only CP-SAT's stability constraints use them, not the stable backend
    source: tuple | None = None

    def orders(self) -> tuple[np.ndarray, np.ndarray]:
        """(mentee order, mentor order) of the edges, computed once on first use."""
        if self.mentee_order is None:
            info, m, e = self.source  # type: ignore[misc]
            a, b = preference_orders(info, m, e)
            object.__setattr__(self, "mentee_order", a)
            object.__setattr__(self, "mentor_order", b)
            object.__setattr__(self, "source", None)
        return self.mentee_order, self.mentor_order  # type: ignore[return-value]

    def network(self, compiled: Compiled) -> NetworkForm | None:
        """Stability is no flow: CP-SAT (or deferred acceptance alone)."""
        return None

    def blocked(self, compiled: Compiled, chosen: np.ndarray) -> np.ndarray:
        """Stability holds no pair back by itself."""
        return np.zeros(chosen.size, bool)

    def couples(self, compiled: Compiled, edge_label: np.ndarray) -> bool:
        """Never: a blocking pair needs its mentor and mentee in one component."""
        return False

    def restrict(self, local_edge: np.ndarray,
                 local_node: dict[str, np.ndarray]) -> CompiledStable:
        """Both preference orders restricted to one component's edges."""
        def sub(order: np.ndarray) -> np.ndarray:
            return local_edge[order[local_edge[order] >= 0]]
        mentee_order, mentor_order = self.orders()
        return replace(self, mentee_order=sub(mentee_order), mentor_order=sub(mentor_order),
                       source=None)

    def precheck(self, compiled: Compiled, lang: str) -> list[Finding]:
        """Nothing to check before solving."""
        return []

    def parts(self, compiled: Compiled) -> list[Part]:
        """One named part: every pair's no-blocking constraint."""

        def add(model, x, enforce):
            n = compiled.n_edges
            mentee_order, mentor_order = self.orders()
            better_e = _prefix_before(model, x, mentee_order, compiled.edge_mentee,
                                      compiled.demand)
            better_m = _prefix_before(model, x, mentor_order, compiled.edge_mentor,
                                      compiled.cap_hi)
            for j in range(n):
                d = int(compiled.demand[compiled.edge_mentee[j]])
                c = int(compiled.cap_hi[compiled.edge_mentor[j]])
                if d == 0 or c == 0:
                    continue
                pe, pm = better_e[j], better_m[j]
                if d == 1:
                    ue = pe
                else:
                    ue = model.new_bool_var("")
                    model.add(pe >= d).only_enforce_if(ue)
                if c == 1:
                    ct = model.add(x[j] + ue + pm >= 1)
                else:
                    ct = model.add(c * (x[j] + ue) + pm >= c)
                if enforce is not None:
                    ct.only_enforce_if(enforce)

        return [(self.label, add)]

    def blocking(self, compiled: Compiled, chosen: np.ndarray) -> np.ndarray:
        """Per edge: True when it is a blocking pair of ``chosen`` (the CP-SAT constraint:
        unchosen, its mentee has fewer than its demand among better pairs, and its mentor
        fewer than its capacity).

        Example
        -------
        >>> import numpy as np, pandas as pd, banghdai as bd
        >>> prefs = pd.DataFrame({"mentor_id": ["A", "A"], "mentee_id": ["x", "y"],
        ...                       "mentee_rank": [1, 1], "mentor_rank": [2, 1]})
        >>> c = bd.Problem(pd.DataFrame({"mentor_id": ["A"]}),
        ...                pd.DataFrame({"mentee_id": ["x", "y"]})).require(
        ...     bd.Preferences(prefs), bd.Stable()).compile()
        >>> c.group_rules[0].blocking(c, np.array([True, False])).tolist()
        [False, True]
        """
        mentee_order, mentor_order = self.orders()
        before_e = _prefix_counts(chosen, mentee_order, compiled.edge_mentee)
        before_m = _prefix_counts(chosen, mentor_order, compiled.edge_mentor)
        d = compiled.demand[compiled.edge_mentee]
        c = compiled.cap_hi[compiled.edge_mentor]
        return ~chosen & (d > 0) & (c > 0) & (before_e < d) & (before_m < c)

    def satisfied(self, compiled: Compiled, chosen: np.ndarray) -> bool:
        """True when ``chosen`` has no blocking pair.

        Example
        -------
        >>> import numpy as np, pandas as pd, banghdai as bd
        >>> prefs = pd.DataFrame({"mentor_id": ["A", "A"], "mentee_id": ["x", "y"],
        ...                       "mentee_rank": [1, 1], "mentor_rank": [2, 1]})
        >>> c = bd.Problem(pd.DataFrame({"mentor_id": ["A"]}),
        ...                pd.DataFrame({"mentee_id": ["x", "y"]})).require(
        ...     bd.Preferences(prefs), bd.Stable()).compile()
        >>> rule = c.group_rules[0]
        >>> rule.satisfied(c, np.array([True, False])), rule.satisfied(c, np.array([False, True]))
        (False, True)
        """
        return not bool(self.blocking(compiled, chosen).any())

    def repair(self, compiled: Compiled, chosen: np.ndarray, weight: np.ndarray,
               kit: RepairKit | None = None) -> np.ndarray:
        """``chosen`` when it is stable, else the proposer-optimal stable matching
        (deferred acceptance, from ``kit``).

        Example
        -------
        >>> import numpy as np, pandas as pd, banghdai as bd
        >>> prefs = pd.DataFrame({"mentor_id": ["A", "A"], "mentee_id": ["x", "y"],
        ...                       "mentee_rank": [1, 1], "mentor_rank": [2, 1]})
        >>> c = bd.Problem(pd.DataFrame({"mentor_id": ["A"]}),
        ...                pd.DataFrame({"mentee_id": ["x", "y"]})).require(
        ...     bd.Preferences(prefs), bd.Stable()).compile()
        >>> c.group_rules[0].repair(c, np.array([False, True]), np.zeros(2)).tolist()
        [False, True]
        """
        if self.satisfied(compiled, chosen) or kit is None:
            return chosen.copy()
        found = kit.stable(self.spec.proposer)
        return chosen.copy() if found is None else found


def _prefix_counts(chosen: np.ndarray, order: np.ndarray, owner: np.ndarray) -> np.ndarray:
    """For each edge, how many of its owner's chosen edges come strictly before it in
    ``order`` (``order`` lists the edges grouped by owner)."""
    picked = chosen[order].astype(np.int64)
    running = np.cumsum(picked) - picked
    own = owner[order]
    start = np.r_[True, own[1:] != own[:-1]] if own.size else np.zeros(0, bool)
    base = np.maximum.accumulate(np.where(start, np.arange(own.size), 0)) if own.size \
        else np.zeros(0, np.int64)
    out = np.empty(order.size, np.int64)
    out[order] = running - running[base]
    return out


def _prefix_before(model, x: list, order: np.ndarray, owner: np.ndarray, bound: np.ndarray):
    """For each edge, the number of its owner's chosen edges strictly before it in ``order``."""
    before: list = [0] * len(x)
    ordered_owner = owner[order]
    starts = np.r_[0, np.flatnonzero(np.diff(ordered_owner)) + 1]
    ends = np.r_[starts[1:], order.size]
    for s, t in zip(starts.tolist(), ends.tolist(), strict=True):
        running = 0
        cap = int(bound[ordered_owner[s]]) if t > s else 0
        for pos in range(s, t):
            j = int(order[pos])
            before[j] = running
            nxt = model.new_int_var(0, max(cap, 1), "")
            model.add(nxt == running + x[j])
            running = nxt
    return before


def preference_orders(info: pd.DataFrame, m: np.ndarray, e: np.ndarray
                      ) -> tuple[np.ndarray, np.ndarray]:
    """Edges ordered by (mentee, mentee_rank, mentor) and (mentor, mentor_rank, mentee).

    Unranked pairs come last; ties break by the other side's index — the same
    strict orders :mod:`banghdai.stable` uses.
    """
    if "mentee_rank" not in info.columns or "mentor_rank" not in info.columns:
        raise InputError(Msg("compile.stable_ranks"),
                         table="preferences", column="mentor_rank")
    re_ = np.nan_to_num(info["mentee_rank"].to_numpy(float), nan=np.inf)
    rm = np.nan_to_num(info["mentor_rank"].to_numpy(float), nan=np.inf)
    return np.lexsort((m, re_, e)), np.lexsort((e, rm, m))


def _quota(rule: Quota, ctx: GroupContext) -> CompiledQuota:
    """One bounded count per group value of the quota's column."""
    table = ctx.mentors if rule.side == "mentor" else ctx.mentees
    col = value_keys(table.require(rule.column, "Quota"))
    names = sorted({str(v) for v in col if v is not None})
    own = ctx.edge_mentor if rule.side == "mentor" else ctx.edge_mentee
    lo, hi = quota_bounds(rule.min, names), quota_bounds(rule.max, names)
    for bound in (rule.min, rule.max):
        if isinstance(bound, Mapping):
            unknown = sorted(set(map(str, bound)) - set(names))
            if unknown:
                raise InputError(Msg("compile.quota_group", name=unknown[0]),
                                 table=table.side, column=table.shown(rule.column),
                                 choices=names)
    keep = [i for i in range(len(names)) if lo[i] is not None or hi[i] is not None]
    edge_sets, node_sets = [], []
    for i in keep:
        nodes = np.flatnonzero(col == names[i])
        node_sets.append(nodes)
        edge_sets.append(np.flatnonzero(np.isin(own, nodes)))
    return CompiledQuota(rule.label(), rule, [names[i] for i in keep], edge_sets,
                         node_sets, [lo[i] for i in keep], [hi[i] for i in keep])


def _stable(rule: Stable, ctx: GroupContext) -> tuple[str, Stable]:
    """A placeholder: compile builds the orders once the edge table exists."""
    return ("stable", rule)


def load_values(rule, ctx: GroupContext) -> np.ndarray:
    """The per-edge loads of a :class:`~banghdai.Load` rule (whole numbers >= 0)."""
    mentors, mentees, m, e = ctx.mentors, ctx.mentees, ctx.edge_mentor, ctx.edge_mentee
    if rule.mentee_column is not None:
        values = mentees.numeric(rule.mentee_column, "Load")[e]
    else:
        pm, pe = pair_table(rule.table, "loads", mentors, mentees, rule.mentor, rule.mentee)
        if rule.column not in rule.table.columns:
            raise InputError(Msg("compile.load_column"), table="loads", column=rule.column,
                             choices=[str(c) for c in rule.table.columns])
        vals = pd.to_numeric(rule.table[rule.column], errors="coerce").to_numpy(float)
        keys = _pair_keys(pm, pe, len(mentors))
        order = np.argsort(keys, kind="stable")
        skeys, svals = keys[order], vals[order]
        ek = _pair_keys(m, e, len(mentors))
        pos = np.minimum(np.searchsorted(skeys, ek), max(skeys.size - 1, 0))
        hit = skeys[pos] == ek if skeys.size else np.zeros(ek.size, bool)
        if not hit.all():
            j = int(np.flatnonzero(~hit)[0])
            raise InputError(
                Msg("compile.no_load", m=mentors.ids[m[j]], e=mentees.ids[e[j]]),
                table="loads", column=rule.column)
        values = svals[pos]
    bad = ~np.isfinite(values) | (values < 0) | (values != np.round(values))
    if bad.any():
        raise InputError(Msg("compile.loads_whole"), table="loads",
                         column=rule.column if rule.table is not None else rule.mentee_column)
    return values.astype(np.int64)


#: How compile builds the group rules whose compiled form still lives here (quotas,
#: stability), by registry code; every other rule defines ``compile_group`` on its spec.
_COMPILERS: dict[str, Callable[[Any, GroupContext], Any]] = {
    "quota": _quota,
    "stable": _stable,
}


def compile_groups(problem: Problem, compiled_edges: dict[str, Any]) -> tuple[list, np.ndarray | None]:
    """Compile the problem's group rules against the edge arrays: each spec's own
    ``compile_group`` (or its compiler in :data:`_COMPILERS`), loads summed.

    Returns the compiled group rules and the per-edge load array (None
    without a :class:`Load` rule).
    """
    ctx = GroupContext(problem.mentor_table, problem.mentee_table,
                       compiled_edges["edge_mentor"], compiled_edges["edge_mentee"],
                       compiled_edges.get("demand"))
    out: list = []
    load: np.ndarray | None = None
    for rule in problem.group_rules:
        if rule.key == "load":
            values = load_values(rule, ctx)
            load = values if load is None else load + values
            continue
        own = getattr(rule, "compile_group", None)
        made = own(ctx) if own is not None else _COMPILERS[rule.key](rule, ctx)
        if made is not None:
            out.append(made)
    return out, load
