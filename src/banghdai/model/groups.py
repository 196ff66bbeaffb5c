"""Group rules: constraints that tie several candidate pairs together.

* :class:`DistinctTypes` — a mentee's mentors all of different types
  (三型导师: 专家型/经验型/群众型), or a mentor's mentees all different;
* :class:`RoleTemplate` — a mentee's mentors fill a template of roles, one
  each ("3+1": 包村领导 + 村书记 + 第一书记);
* :class:`Quota` — bounds on pairs, served mentees or used mentors per group
  of a column (per tier of the bank, per township, per category);
* :class:`Load` — weighted capacity: a pair may use more than one unit of a
  mentor's capacity (a weak village organisation counts 2) — with per-pair
  loads this is the generalised assignment problem.

The specs are pure data; :func:`compile_groups` turns them into index arrays
that the CP-SAT backend adds as constraints (each in named *parts*, so
explanations can put each part behind an assumption literal) and that
:func:`banghdai.validate` re-checks from the input tables.

Example
-------
>>> import pandas as pd, banghdai as bd
>>> mentors = pd.DataFrame({"mentor_id": ["A", "B", "C"], "type": ["专家型", "专家型", "群众型"]})
>>> mentees = pd.DataFrame({"mentee_id": ["E"]})
>>> p = bd.Problem(mentors, mentees, pairing=bd.ManyToOne(2)).require(bd.DistinctTypes("type"))
>>> sorted(p.solve().pairs.mentor_id.map(dict(zip(mentors.mentor_id, mentors.type))))
['专家型', '群众型']
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any, ClassVar, Literal

import numpy as np
import pandas as pd

from ..core.arrays import group_positions
from ..core.errors import InputError, Msg
from ..core.ids import ids_as_str, value_keys
from ..core.messages import CATALOGUE, column_word, register, text
from .grouprule import Finding, FlowFamily, GroupContext, NetworkForm, Part
from .rule import Rule

Bound = int | Mapping[str, int] | None

register("rule.distinct_types", en="distinct {column} per {per}", zh="每名{per}的{column}各不相同")
register("rule.role_template", en="role template {roles}", zh="角色模板{roles}")
register("stage.role_template", en="{column} in {roles}", zh="{column}为{roles}")
register("rule.quota", en="quota on {side} {column}", zh="{side}{column}名额")
register("rule.load", en="weighted capacity", zh="加权帮带量")
register("rule.stable", en="stability (no blocking pair)", zh="稳定（无阻塞对）")
def _side(side: str, lang: str) -> str:
    return text(f"side.{side}", lang) if f"side.{side}" in CATALOGUE else side


def _check_side(side: str) -> None:
    if side not in ("mentor", "mentee"):
        raise InputError(Msg("input.unknown_side", side=side), column="side",
                         choices=["mentor", "mentee"])


@dataclass(frozen=True)
class DistinctTypes(Rule):
    """Every mentee's mentors have different values of ``column`` (三型导师).

    ``per="mentee"`` (default) reads ``column`` in the mentors table: a key
    mentee needing 3 mentors gets one 专家型, one 经验型 and one 群众型 when
    it can. ``per="mentor"`` is the mirror: a mentor's mentees have different
    values of the mentees' ``column`` (e.g. different categories).

    Example
    -------
    >>> import banghdai as bd
    >>> bd.DistinctTypes("type").per
    'mentee'
    """

    key: ClassVar[str] = "distinct_types"
    principle: ClassVar[str] = "types"
    kind: ClassVar[str] = "group"

    column: str = "type"
    per: Literal["mentee", "mentor"] = "mentee"

    def __post_init__(self) -> None:
        _check_side(self.per)

    def label_params(self, lang: str) -> dict[str, object]:
        return {"column": column_word(self.column, lang), "per": _side(self.per, lang)}

    def group_violations(self, view: Any, got: np.ndarray,
                         need: np.ndarray) -> list[pd.DataFrame]:
        """A second mentor of one type for a mentee (or mentee of one value for a mentor).

        Example
        -------
        >>> import pandas as pd, banghdai as bd
        >>> from banghdai.checks.validate import PairView
        >>> p = bd.Problem(pd.DataFrame({"mentor_id": ["A", "B"], "type": ["x", "x"]}),
        ...                pd.DataFrame({"mentee_id": ["E"]}))
        >>> pairs = pd.DataFrame({"mentor_id": ["A", "B"], "mentee_id": ["E", "E"],
        ...                       "_m": [0, 1], "_e": [0, 0]})
        >>> bd.DistinctTypes("type").group_violations(PairView(p, pairs), None, None
        ...                                          )[0]["detail"].tolist()
        ['second x']
        """
        return _type_violations(self, self.per, view)

    def compile_group(self, ctx: GroupContext) -> AtMostOneGroups:
        """At most one pair per (owner, type): one set per mentee and mentor type (per
        mentor and mentee type with ``per="mentor"``).

        Example
        -------
        >>> import pandas as pd, banghdai as bd
        >>> c = bd.Problem(pd.DataFrame({"mentor_id": ["A", "B"], "type": ["x", "x"]}),
        ...                pd.DataFrame({"mentee_id": ["E"]}), pairing=bd.ManyToMany(1, 2)
        ...                ).require(bd.DistinctTypes("type")).compile()
        >>> [g.tolist() for g in c.group_rules[0].groups]
        [[0, 1]]
        """
        return _compile_types(self, self.per, ctx)


@dataclass(frozen=True)
class RoleTemplate(Rule):
    """Every mentee's mentors fill ``roles`` once each (e.g. the "3+1" template).

    The mentors' ``column`` holds each mentor's role; only mentors with a role
    in the template are candidates, and a mentee needs ``len(roles)`` mentors.

    Example
    -------
    >>> import banghdai as bd
    >>> t = bd.RoleTemplate(("包村领导", "村书记", "第一书记"), column="role")
    >>> len(t.roles)
    3
    """

    key: ClassVar[str] = "role_template"
    principle: ClassVar[str] = "types"
    kind: ClassVar[str] = "group"

    roles: tuple[str, ...]
    column: str = "role"

    def __post_init__(self) -> None:
        if isinstance(self.roles, str) or len(self.roles) == 0:
            raise InputError(Msg("input.roles_list"), column="roles")
        object.__setattr__(self, "roles", tuple(str(r) for r in self.roles))
        if len(set(self.roles)) != len(self.roles):
            raise InputError(Msg("input.role_twice"), column="roles")

    stage: ClassVar[int] = 80

    def label_params(self, lang: str) -> dict[str, object]:
        return {"roles": "+".join(self.roles)}

    @property
    def restricts(self) -> bool:
        """Only mentors with a role in the template are candidates."""
        return True

    def stage_label(self, lang: str = "en") -> str:
        """The candidate filter in planner words ("role in 包村领导/村书记")."""
        return self._render("stage.role_template", lang,
                            lambda lg: {"column": column_word(self.column, lg),
                                        "roles": "/".join(self.roles)})

    def mask(self, ctx: Any, m: np.ndarray, e: np.ndarray) -> np.ndarray:
        role = value_keys(ctx.mentors.require(self.column, type(self).__name__))
        return np.isin(role[m].astype(str), np.array(self.roles, dtype=str)) & pd.notna(role[m])

    def violations(self, view: Any) -> tuple[np.ndarray, Any]:
        role = value_keys(view.mentors[self.column])[view.pairs["_m"].to_numpy()]
        off = ~pd.Series(role, dtype=object).isin(self.roles).to_numpy()
        return off, "mentor's role is not in the template"

    def group_violations(self, view: Any, got: np.ndarray,
                         need: np.ndarray) -> list[pd.DataFrame]:
        """A mentor outside the template, or a role filled twice for one mentee.

        Example
        -------
        >>> import pandas as pd, banghdai as bd
        >>> from banghdai.checks.validate import PairView
        >>> p = bd.Problem(pd.DataFrame({"mentor_id": ["A"], "role": ["x"]}),
        ...                pd.DataFrame({"mentee_id": ["E"]}))
        >>> pairs = pd.DataFrame({"mentor_id": ["A"], "mentee_id": ["E"], "_m": [0], "_e": [0]})
        >>> bd.RoleTemplate(("y",)).group_violations(PairView(p, pairs), None, None
        ...                                         )[0]["detail"].tolist()
        ["mentor's role is not in the template"]
        """
        return _type_violations(self, "mentee", view, roles=self.roles)

    def compile_group(self, ctx: GroupContext) -> AtMostOneGroups:
        """At most one mentor per role for each mentee (the mask keeps only template roles).

        Example
        -------
        >>> import pandas as pd, banghdai as bd
        >>> c = bd.Problem(pd.DataFrame({"mentor_id": ["A", "B"], "role": ["x", "x"]}),
        ...                pd.DataFrame({"mentee_id": ["E"]})).require(
        ...     bd.RoleTemplate(("x",))).compile()
        >>> c.group_rules[0].side
        'mentee'
        """
        return _compile_types(self, "mentee", ctx)


@dataclass(frozen=True, eq=False)
class Quota(Rule):
    """Bounds per group of ``column`` on the ``side`` table.

    ``count="pairs"`` counts pairs touching the group; ``"mentees"`` counts
    fully served mentees (side must be "mentee"); ``"mentors"`` counts mentors
    with at least one pair (side must be "mentor"). ``min`` / ``max`` are an
    int for every group or a ``{group value: bound}`` mapping (groups not in
    the mapping are unbounded).

    Example
    -------
    >>> import banghdai as bd
    >>> q = bd.Quota("tier", side="mentor", max={"city": 40})
    >>> q.label(), q.label("zh")
    ('quota on mentor tier', '导师层级名额')
    """

    key: ClassVar[str] = "quota"
    principle: ClassVar[str] = "override"
    kind: ClassVar[str] = "group"

    column: str
    side: Literal["mentor", "mentee"] = "mentee"
    min: Bound = None
    max: Bound = None
    count: Literal["pairs", "mentees", "mentors"] = "pairs"

    def __post_init__(self) -> None:
        _check_side(self.side)
        if self.count not in ("pairs", "mentees", "mentors"):
            raise InputError(Msg("input.unknown_count", value=self.count), column="count",
                             choices=["pairs", "mentees", "mentors"])
        if self.count == "mentees" and self.side != "mentee":
            raise InputError(Msg("input.count_mentees_side"), column="count")
        if self.count == "mentors" and self.side != "mentor":
            raise InputError(Msg("input.count_mentors_side"), column="count")
        if self.min is None and self.max is None:
            raise InputError(Msg("input.quota_bounds_missing"), column="min")
        for bound in (self.min, self.max):
            values = bound.values() if isinstance(bound, Mapping) else [bound]
            for v in values:
                if v is not None and (isinstance(v, bool) or not isinstance(v, int) or v < 0):
                    raise InputError(Msg("input.quota_bound", value=v),
                                     column="min/max")

    def label_params(self, lang: str) -> dict[str, object]:
        return {"side": _side(self.side, lang), "column": column_word(self.column, lang)}

    def group_violations(self, view: Any, got: np.ndarray,
                         need: np.ndarray) -> list[pd.DataFrame]:
        """One row per group value whose count is out of its bounds.

        Example
        -------
        >>> import numpy as np, pandas as pd, banghdai as bd
        >>> from banghdai.checks.validate import PairView
        >>> p = bd.Problem(pd.DataFrame({"mentor_id": ["A"], "t": ["x"]}),
        ...                pd.DataFrame({"mentee_id": ["E"]}))
        >>> pairs = pd.DataFrame({"mentor_id": ["A"], "mentee_id": ["E"], "_m": [0], "_e": [0]})
        >>> bd.Quota("t", side="mentor", min=2).group_violations(
        ...     PairView(p, pairs), np.array([1]), np.array([1]))[0]["detail"].tolist()
        ['t=x: 1 pairs, bounds [2, ]']
        """
        p = view.pairs
        table = view.mentors if self.side == "mentor" else view.mentees
        keys = value_keys(table[self.column])
        if self.count == "pairs":
            pos = p["_m"] if self.side == "mentor" else p["_e"]
            groups = pd.Series(keys[pos.to_numpy()]).value_counts()
        elif self.count == "mentees":
            served = (got >= need) & (need > 0)
            groups = pd.Series(keys[served]).value_counts()
        else:
            used = np.unique(p["_m"].to_numpy())
            groups = pd.Series(keys[used]).value_counts()
        names = sorted({str(k) for k in keys if k is not None})
        out = []
        for name, a, b in zip(names, quota_bounds(self.min, names), quota_bounds(self.max, names),
                              strict=True):
            n = int(groups.get(name, 0))
            if (a is not None and n < a) or (b is not None and n > b):
                out.append(pd.DataFrame({
                    "rule": [self.label()], "mentor_id": [None], "mentee_id": [None],
                    "detail": [f"{self.column}={name}: {n} {self.count}, bounds "
                               f"[{'' if a is None else a}, {'' if b is None else b}]"],
                }))
        return out


@dataclass(frozen=True, eq=False)
class Load(Rule):
    """Weighted capacity: each pair uses ``load`` units of its mentor's capacity.

    Give the load per mentee (``mentee_column``: a weak village organisation
    counts 2) or per pair (``table`` with mentor ids, mentee ids and
    ``column``). Loads are whole numbers >= 0. With per-pair loads and costs
    this is the generalised assignment problem (GAP), solved by CP-SAT.

    Example
    -------
    >>> import banghdai as bd
    >>> bd.Load(mentee_column="weight").mentee_column
    'weight'
    """

    key: ClassVar[str] = "load"
    principle: ClassVar[str] = "override"
    kind: ClassVar[str] = "group"

    mentee_column: str | None = None
    table: pd.DataFrame | None = None
    column: str = "load"
    mentor: str = "mentor_id"
    mentee: str = "mentee_id"

    def __post_init__(self) -> None:
        if (self.mentee_column is None) == (self.table is None):
            raise InputError(Msg("input.load_source"), column="load")

    tables: ClassVar[tuple[str, ...]] = ("table",)

    def pair_loads(self, view: Any) -> np.ndarray:
        """The capacity units each of ``view.pairs`` uses under this rule, from the input
        tables (NaN where the table gives none: it fails every bound).

        Example
        -------
        >>> import pandas as pd, banghdai as bd
        >>> from banghdai.checks.validate import PairView
        >>> p = bd.Problem(pd.DataFrame({"mentor_id": ["A"]}),
        ...                pd.DataFrame({"mentee_id": ["E"], "w": [2]}))
        >>> pairs = pd.DataFrame({"mentor_id": ["A"], "mentee_id": ["E"], "_m": [0], "_e": [0]})
        >>> bd.Load(mentee_column="w").pair_loads(PairView(p, pairs)).tolist()
        [2.0]
        """
        p = view.pairs
        if self.mentee_column is not None:
            col = pd.to_numeric(view.mentees[self.mentee_column], errors="coerce").to_numpy(float)
            return col[p["_e"].to_numpy()]
        assert self.table is not None
        t = pd.DataFrame({"mentor_id": ids_as_str(self.table[self.mentor]),
                          "mentee_id": ids_as_str(self.table[self.mentee]),
                          "_l": pd.to_numeric(self.table[self.column], errors="coerce")})
        merged = p[["mentor_id", "mentee_id"]].merge(t, on=["mentor_id", "mentee_id"],
                                                     how="left")
        return merged["_l"].to_numpy(float)

    def group_violations(self, view: Any, got: np.ndarray,
                         need: np.ndarray) -> list[pd.DataFrame]:
        """None of its own: loads count in the capacity check (:meth:`pair_loads`)."""
        return []


@dataclass(frozen=True)
class Stable(Rule):
    """No blocking pair (双向自愿, stability) under the :class:`Preferences` ranks.

    A pair (mentee, mentor) not formed blocks when the mentee has a free slot
    or prefers this mentor to one of its own, and the mentor has room or
    prefers this mentee to one of its own. Alone, the ``stable`` backend
    solves it by deferred acceptance: the ``proposer`` side's best stable
    matching. With scores, CP-SAT finds the best-scoring stable matching,
    warm-started from deferred acceptance ("stable and best"). Equal ranks
    are broken by ids: a mentee prefers the mentor with the smaller id of two
    it ranks equally (integer ids compared as numbers), whatever the row order.

    Example
    -------
    >>> import banghdai as bd
    >>> bd.Stable(proposer="mentor").proposer
    'mentor'
    """

    key: ClassVar[str] = "stable"
    principle: ClassVar[str] = "consent"
    kind: ClassVar[str] = "group"

    proposer: Literal["mentee", "mentor"] = "mentee"

    def __post_init__(self) -> None:
        _check_side(self.proposer)

    def group_violations(self, view: Any, got: np.ndarray,
                         need: np.ndarray) -> list[pd.DataFrame]:
        """Every blocking pair (the validator's own deferred check, ``view.blocking_pairs``)."""
        blocking = view.blocking_pairs()
        if not len(blocking):
            return []
        return [pd.DataFrame({"rule": "stability (no blocking pair)",
                              "mentor_id": blocking["mentor_id"].to_numpy(),
                              "mentee_id": blocking["mentee_id"].to_numpy(),
                              "detail": "blocking pair: both would rather be paired"})]


def _member_ids(groups: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """All positions of ``groups`` concatenated, and the group number of each."""
    if not groups:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    sizes = np.fromiter((g.size for g in groups), dtype=np.int64, count=len(groups))
    return (np.concatenate(groups).astype(np.int64),
            np.repeat(np.arange(len(groups), dtype=np.int64), sizes))


def _compile_types(rule: Any, per: str, ctx: GroupContext) -> AtMostOneGroups:
    """Distinct types (or a role template): at most one pair per (owner, type). A role
    template refuses a mentee that needs more mentors than it has roles."""
    roles = getattr(rule, "roles", None)
    if roles is not None and ctx.demand is not None:
        over = ctx.demand > len(roles)
        if over.any():
            row = ctx.mentees.first(over)
            raise InputError(Msg("compile.roles_short", n=ctx.demand[row], roles=len(roles)),
                             column="mentors_per_mentee", **ctx.mentees.at(row))
    table = ctx.mentors if per == "mentee" else ctx.mentees
    codes, _ = pd.factorize(pd.Series(value_keys(
        table.require(rule.column, type(rule).__name__)), dtype=object))
    if per == "mentee":
        type_of, owner = codes[ctx.edge_mentor], ctx.edge_mentee
    else:
        type_of, owner = codes[ctx.edge_mentee], ctx.edge_mentor
    n_types = int(codes.max(initial=-1)) + 1
    key = np.where(type_of >= 0, owner.astype(np.int64) * max(n_types, 1) + type_of, -1)
    groups = [g for g in group_positions(key) if g.size > 1]
    return AtMostOneGroups(rule.label(), groups, side=per, spec=rule)


@dataclass(frozen=True, eq=False)
class AtMostOneGroups:
    """Sets of edges of which at most one may be chosen (distinct types / roles)."""

    label: str
    groups: list[np.ndarray]
    couples_components: bool = False
    #: the side every set belongs to (one mentee's or one mentor's pairs); None: unknown
    side: str | None = None
    #: the rule it was compiled from (distinct types or a role template), if any
    spec: Any = None

    def network(self, compiled: Any) -> NetworkForm | None:
        """One node per set, entering its owner by an arc of capacity 1; None when the sets
        overlap or a set spans two owners.

        Example
        -------
        >>> import numpy as np, pandas as pd, banghdai as bd
        >>> c = bd.Problem(pd.DataFrame({"mentor_id": ["A", "B"], "type": ["x", "x"]}),
        ...                pd.DataFrame({"mentee_id": ["E"]}), pairing=bd.ManyToMany(1, 2)
        ...                ).require(bd.DistinctTypes("type")).compile()
        >>> fam = c.group_rules[0].network(c).families[0]
        >>> fam.side, fam.group_of_edge.tolist(), fam.capacity.tolist()
        ('mentee', [0, 0], [1])
        """
        big = [g for g in self.groups if g.size > 1]
        group = np.full(compiled.n_edges, -1, np.int64)
        if not big:
            return NetworkForm()
        idx, gid = _member_ids(big)
        if np.unique(idx).size != idx.size:
            return None  # overlapping sets: not one family
        first = idx[np.r_[0, np.cumsum([g.size for g in big])[:-1]]]
        side = self.side
        if side is None:
            side = "mentee" if bool(np.all(compiled.edge_mentee[idx] ==
                                           compiled.edge_mentee[first[gid]])) else "mentor"
        own = compiled.edge_mentee if side == "mentee" else compiled.edge_mentor
        if not bool(np.all(own[idx] == own[first[gid]])):
            return None  # pragma: no cover - sets always share an owner
        group[idx] = gid
        return NetworkForm(families=(FlowFamily(side, group, np.ones(len(big), np.int64)),))

    def blocked(self, compiled: Any, chosen: np.ndarray) -> np.ndarray:
        """Unchosen edges of a set that already has its one chosen pair."""
        idx, gid = self._members()
        full = np.bincount(gid[chosen[idx]], minlength=len(self.groups)) >= 1
        out = np.zeros(chosen.size, bool)
        out[idx[full[gid]]] = True
        return out & ~chosen

    def couples(self, compiled: Any, edge_label: np.ndarray) -> bool:
        """Never: a set is one mentee's (or mentor's) pairs."""
        return False

    def restrict(self, local_edge: np.ndarray,
                 local_node: dict[str, np.ndarray]) -> AtMostOneGroups:
        """The sets' edges kept by ``local_edge`` (a component's, or the pairs a result
        keeps for its reasons), renumbered; sets left without an edge dropped."""
        kept = (local_edge[g] for g in self.groups)
        return replace(self, groups=[g[g >= 0] for g in kept if (g >= 0).any()])

    def precheck(self, compiled: Any, lang: str) -> list[Finding]:
        """None here: explain/check.py counts the types each mentee can reach."""
        return []

    def parts(self, compiled: Any) -> list[Part]:
        """One named part: all the at-most-one sets."""
        def add(model: Any, x: list, enforce: Any) -> None:
            for g in self.groups:
                ct = model.add(sum(x[j] for j in g.tolist()) <= 1)
                if enforce is not None:
                    ct.only_enforce_if(enforce)

        return [(self.label, add)] if self.groups else []

    def _members(self) -> tuple[np.ndarray, np.ndarray]:
        cached = self.__dict__.get("_member_cache")
        if cached is None:
            cached = _member_ids(self.groups)
            object.__setattr__(self, "_member_cache", cached)
        return cached

    def satisfied(self, compiled: Any, chosen: np.ndarray) -> bool:
        """True when no set has two chosen pairs.

        Example
        -------
        >>> import numpy as np
        >>> rule = AtMostOneGroups("types", [np.array([0, 1])])
        >>> rule.satisfied(None, np.array([True, False])), rule.satisfied(None, np.ones(2, bool))
        (True, False)
        """
        idx, gid = self._members()
        return bool((np.bincount(gid[chosen[idx]], minlength=len(self.groups)) <= 1).all())

    def repair(self, compiled: Any, chosen: np.ndarray, weight: np.ndarray,
               kit: Any = None) -> np.ndarray:
        """Keep the best chosen pair of each set (a fixed pair first), drop the others.

        Example
        -------
        >>> import numpy as np, pandas as pd, banghdai as bd
        >>> c = bd.Problem(pd.DataFrame({"mentor_id": ["A", "B"], "type": ["x", "x"]}),
        ...                pd.DataFrame({"mentee_id": ["E"]}), pairing=bd.ManyToMany(1, 2)
        ...                ).require(bd.DistinctTypes("type")).compile()
        >>> c.group_rules[0].repair(c, np.ones(2, bool), np.array([1.0, 2.0])).tolist()
        [False, True]
        """
        out = chosen.copy()
        idx, gid = self._members()
        on = chosen[idx]
        idx, gid = idx[on], gid[on]
        order = np.lexsort((-weight[idx], ~compiled.edge_fixed[idx], gid))
        idx, gid = idx[order], gid[order]
        later = np.r_[False, gid[1:] == gid[:-1]] if gid.size else np.zeros(0, bool)
        out[idx[later]] = False
        return out




def _type_violations(rule: Rule, per: str, view: Any,
                     roles: tuple[str, ...] | None = None) -> list[pd.DataFrame]:
    """Distinct types / role templates re-checked on ``view.pairs`` from the input columns."""
    p = view.pairs
    if per == "mentee":
        kind = value_keys(view.mentors[rule.column])[p["_m"].to_numpy()]  # type: ignore[attr-defined]
        owner, other = p["mentee_id"], p["mentor_id"]
    else:
        kind = value_keys(view.mentees[rule.column])[p["_e"].to_numpy()]  # type: ignore[attr-defined]
        owner, other = p["mentor_id"], p["mentee_id"]
    frame = pd.DataFrame({"owner": owner.to_numpy(), "other": other.to_numpy(), "kind": kind})
    out = []
    if roles is not None:
        off = ~frame["kind"].isin(roles).to_numpy()
        if off.any():
            bad = frame[off]
            out.append(pd.DataFrame({"rule": rule.label(), "mentor_id": bad["other"],
                                     "mentee_id": bad["owner"],
                                     "detail": "mentor's role is not in the template"}))
    known = frame[frame["kind"].notna()]
    dup = known[known.duplicated(["owner", "kind"], keep="first")]
    if len(dup):
        mentor_col = dup["other"] if per == "mentee" else dup["owner"]
        mentee_col = dup["owner"] if per == "mentee" else dup["other"]
        out.append(pd.DataFrame({"rule": rule.label(), "mentor_id": mentor_col.to_numpy(),
                                 "mentee_id": mentee_col.to_numpy(),
                                 "detail": [f"second {k}" for k in dup["kind"]]}))
    return out


def quota_bounds(bound: Bound, names: list[str]) -> list[int | None]:
    """A quota's bound per group name (None: unbounded), from an int or a mapping."""
    if bound is None:
        return [None] * len(names)
    if isinstance(bound, Mapping):
        by_name = {str(k): int(v) for k, v in bound.items()}
        return [by_name.get(n) for n in names]
    return [int(bound)] * len(names)
