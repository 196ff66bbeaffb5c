"""A mentor takes at most ``k`` mentees from one unit (``MaxFromSameUnit``).

The worked example of CONTRIBUTING.md, "adding a group rule": this one file holds the spec
(pure data, the validator's re-check from the input tables) and its compiled form (numpy
arrays; its network arcs, CP-SAT constraints, repair, unmatched reason, pre-check and how
it splits by region). It is a flow: each mentor's pairs into one unit leave the mentor
through a node ``(mentor, unit)`` entered by an arc of capacity ``k``, so the network
engine solves it exactly.

Example
-------
>>> import pandas as pd, banghdai as bd
>>> mentors = pd.DataFrame({"mentor_id": ["M"]})
>>> mentees = pd.DataFrame({"mentee_id": ["a", "b", "c"], "unit": ["x", "x", "y"]})
>>> p = bd.Problem(mentors, mentees, pairing=bd.OneToMany(3)).require(
...     bd.MaxFromSameUnit("unit", 1))
>>> r = p.solve()
>>> r.backend, len(r.pairs), bd.validate(p, r.pairs).ok
('network', 2, True)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
import pandas as pd

from ...core.errors import InputError, Msg
from ...core.ids import value_keys
from ...core.messages import column_word, register, text
from ..grouprule import FlowFamily, GroupContext, NetworkForm, Part, edge_groups
from ..rule import Rule

if TYPE_CHECKING:
    from ..grouprule import Finding

register("rule.max_from_same_unit", en="at most {k} mentees per mentor from one {column}",
         zh="每名导师同一{column}至多带{k}名")
register("input.max_from_same_unit_k", en="k must be a whole number >= 1, got {value!r}",
         zh="k须为不小于1的整数，而不是{value!r}")
register("check.max_from_same_unit",
         en="mentor {id} must take at least {lo} mentees, but with at most {k} from one "
            "{column} its candidates allow only {most}",
         zh="导师{id}至少须带{lo}名，但同一{column}至多{k}名，其候选只够{most}名")
register("check.max_from_same_unit_fix",
         en="lower its minimum load, raise k, or widen its candidates to more {column} values",
         zh="降低其最少帮带数、提高k，或放宽候选以覆盖更多{column}")


@dataclass(frozen=True)
class MaxFromSameUnit(Rule):
    """A mentor takes at most ``k`` mentees with the same value of the mentees' ``column``.

    Mentees without a value are not counted.

    Example
    -------
    >>> import banghdai as bd
    >>> bd.MaxFromSameUnit("unit", 2).label("zh")
    '每名导师同一单位至多带2名'
    """

    key: ClassVar[str] = "max_from_same_unit"
    principle: ClassVar[str] = "override"
    kind: ClassVar[str] = "group"

    column: str = "unit"
    k: int = 1

    def __post_init__(self) -> None:
        if isinstance(self.k, bool) or not isinstance(self.k, int) or self.k < 1:
            raise InputError(Msg("input.max_from_same_unit_k", value=self.k), column="k")

    def label_params(self, lang: str) -> dict[str, object]:
        return {"column": column_word(self.column, lang), "k": self.k}

    # ---------------------------------------------------------------- compile
    def compile_group(self, ctx: GroupContext) -> CompiledMaxFromSameUnit:
        """Per candidate edge its (mentor, unit) group; only groups with more than ``k``
        candidates can be breached, so only those are kept.

        Example
        -------
        >>> import pandas as pd, banghdai as bd
        >>> c = bd.Problem(pd.DataFrame({"mentor_id": ["M"]}),
        ...                pd.DataFrame({"mentee_id": ["a", "b"], "unit": ["x", "x"]}),
        ...                pairing=bd.OneToMany(3)).require(bd.MaxFromSameUnit("unit", 1)).compile()
        >>> c.group_rules[0].group_of_edge.tolist()
        [0, 0]
        """
        unit = value_keys(ctx.mentees.require(self.column, type(self).__name__))
        codes, uniques = pd.factorize(pd.Series(unit, dtype=object))
        n_units = max(len(uniques), 1)
        code = codes[ctx.edge_mentee]
        key = np.where(code >= 0, ctx.edge_mentor.astype(np.int64) * n_units + code, -1)
        group, n = edge_groups(key)
        size = np.bincount(group[group >= 0], minlength=n)
        group = np.where((group >= 0) & (size[np.maximum(group, 0)] > self.k), group, -1)
        group, n = edge_groups(group)
        return CompiledMaxFromSameUnit(self.label(), self, group, n)

    # ---------------------------------------------------------------- validator
    def group_violations(self, view: Any, got: np.ndarray,
                         need: np.ndarray) -> list[pd.DataFrame]:
        """The mentees beyond the ``k``-th a mentor has from one unit.

        Example
        -------
        >>> import pandas as pd, banghdai as bd
        >>> from banghdai.checks.validate import PairView
        >>> p = bd.Problem(pd.DataFrame({"mentor_id": ["M"]}),
        ...                pd.DataFrame({"mentee_id": ["a", "b"], "unit": ["x", "x"]}))
        >>> pairs = pd.DataFrame({"mentor_id": ["M", "M"], "mentee_id": ["a", "b"],
        ...                       "_m": [0, 0], "_e": [0, 1]})
        >>> rule = bd.MaxFromSameUnit("unit", 1)
        >>> rule.group_violations(PairView(p, pairs), None, None)[0]["mentee_id"].tolist()
        ['b']
        """
        p = view.pairs
        unit = value_keys(view.mentees[self.column])[p["_e"].to_numpy()]
        frame = pd.DataFrame({"mentor_id": p["mentor_id"].to_numpy(),
                              "mentee_id": p["mentee_id"].to_numpy(),
                              "unit": pd.Series(unit, dtype=object)})
        known = frame[frame["unit"].notna()]
        over = known[known.groupby(["mentor_id", "unit"]).cumcount().to_numpy() >= self.k]
        if not len(over):
            return []
        return [pd.DataFrame({"rule": self.label(), "mentor_id": over["mentor_id"].to_numpy(),
                              "mentee_id": over["mentee_id"].to_numpy(),
                              "detail": [f"more than {self.k} from {self.column}={u}"
                                         for u in over["unit"]]})]


@dataclass(frozen=True, eq=False)
class CompiledMaxFromSameUnit:
    """Per edge its (mentor, unit) group number (-1: never at risk), at most ``k`` each.

    Example
    -------
    >>> import numpy as np, banghdai as bd
    >>> c = CompiledMaxFromSameUnit("u", bd.MaxFromSameUnit("unit", 1), np.array([0, 0]), 1)
    >>> c.satisfied(None, np.array([True, False])), c.satisfied(None, np.array([True, True]))
    (True, False)
    """

    label: str
    spec: MaxFromSameUnit
    group_of_edge: np.ndarray
    n_groups: int
    couples_components: bool = False

    def _counts(self, chosen: np.ndarray) -> np.ndarray:
        g = self.group_of_edge[np.asarray(chosen, bool)]
        return np.bincount(g[g >= 0], minlength=self.n_groups)

    def network(self, compiled: Any) -> NetworkForm:
        """One node per (mentor, unit) entered from the mentor by an arc of capacity k."""
        return NetworkForm(families=(FlowFamily(
            "mentor", self.group_of_edge, np.full(self.n_groups, self.spec.k, np.int64)),))

    def parts(self, compiled: Any) -> list[Part]:
        """One part: the sum of each (mentor, unit) group's pairs is at most k."""
        order = np.argsort(self.group_of_edge, kind="stable")
        g = self.group_of_edge[order]
        order, g = order[g >= 0], g[g >= 0]
        groups = np.split(order, np.flatnonzero(np.diff(g)) + 1) if g.size else []
        k = self.spec.k

        def add(model: Any, x: list, enforce: Any) -> None:
            for members in groups:
                ct = model.add(sum(x[j] for j in members.tolist()) <= k)
                if enforce is not None:
                    ct.only_enforce_if(enforce)

        return [(self.label, add)] if groups else []

    def satisfied(self, compiled: Any, chosen: np.ndarray) -> bool:
        """True when no group has more than k chosen pairs."""
        return bool((self._counts(chosen) <= self.spec.k).all())

    def repair(self, compiled: Any, chosen: np.ndarray, weight: np.ndarray,
               kit: Any = None) -> np.ndarray:
        """Keep each group's best k chosen pairs (fixed pairs first), drop the rest.

        Example
        -------
        >>> import numpy as np, banghdai as bd
        >>> from types import SimpleNamespace
        >>> c = CompiledMaxFromSameUnit("u", bd.MaxFromSameUnit("unit", 1), np.array([0, 0]), 1)
        >>> c.repair(SimpleNamespace(edge_fixed=np.zeros(2, bool)), np.ones(2, bool),
        ...          np.array([1.0, 2.0])).tolist()
        [False, True]
        """
        out = np.asarray(chosen, bool).copy()
        idx = np.flatnonzero(out & (self.group_of_edge >= 0))
        g = self.group_of_edge[idx]
        order = np.lexsort((-weight[idx], ~compiled.edge_fixed[idx], g))
        idx, g = idx[order], g[order]
        start = np.r_[True, g[1:] != g[:-1]] if g.size else np.zeros(0, bool)
        first = np.maximum.accumulate(np.where(start, np.arange(g.size), 0)) if g.size \
            else np.zeros(0, np.int64)
        out[idx[np.arange(g.size) - first >= self.spec.k]] = False
        return out

    def blocked(self, compiled: Any, chosen: np.ndarray) -> np.ndarray:
        """Unchosen edges whose (mentor, unit) group already has k pairs."""
        full = self._counts(chosen) >= self.spec.k
        g = self.group_of_edge
        return (g >= 0) & full[np.maximum(g, 0)] & ~np.asarray(chosen, bool) \
            if self.n_groups else np.zeros(g.size, bool)

    def couples(self, compiled: Any, edge_label: np.ndarray) -> bool:
        """Never: a group is one mentor's pairs, all in that mentor's component."""
        return False

    def restrict(self, local_edge: np.ndarray,
                 local_node: dict[str, np.ndarray]) -> CompiledMaxFromSameUnit:
        """The groups of one component, renumbered."""
        keep = local_edge >= 0
        group = np.full(int(keep.sum()), -1, np.int64)
        group[local_edge[keep]] = self.group_of_edge[keep]
        group, n = edge_groups(group)
        return CompiledMaxFromSameUnit(self.label, self.spec, group, n)

    def precheck(self, compiled: Any, lang: str) -> list[Finding]:
        """Mentors whose minimum load cannot be reached with at most k per unit."""
        lo = compiled.cap_lo.astype(np.int64)
        if not lo.any():
            return []
        unit = value_keys(compiled.mentees.frame[self.spec.column])
        codes, uniques = pd.factorize(pd.Series(unit, dtype=object))
        n_units = max(len(uniques), 1)
        em, ee = compiled.edge_mentor, compiled.edge_mentee
        code = codes[ee]
        free = np.bincount(em[code < 0], minlength=compiled.n_mentors)
        keys, per = np.unique(em[code >= 0].astype(np.int64) * n_units + code[code >= 0],
                              return_counts=True)
        most = free + np.bincount(keys // n_units, weights=np.minimum(per, self.spec.k),
                                  minlength=compiled.n_mentors).astype(np.int64)
        out: list[Finding] = []
        column = column_word(self.spec.column, lang)
        for i in np.flatnonzero(lo > most).tolist():
            ident = str(compiled.mentors.ids[i])
            out.append(("max_from_same_unit", "error", ident,
                        text("check.max_from_same_unit", lang, id=ident, lo=int(lo[i]),
                             k=self.spec.k, column=column, most=int(most[i])),
                        text("check.max_from_same_unit_fix", lang, column=column)))
        return out
