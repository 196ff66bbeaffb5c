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
from dataclasses import dataclass
from typing import Any, ClassVar, Literal

import numpy as np
import pandas as pd

from ..core.errors import InputError, Msg
from ..core.ids import ids_as_str, value_keys
from ..core.messages import column_word, register
from .rule import Rule

Bound = int | Mapping[str, int] | None

register("rule.distinct_types", en="distinct {column} per {per}", zh="每名{per}的{column}各不相同")
register("rule.role_template", en="role template {roles}", zh="角色模板{roles}")
register("stage.role_template", en="{column} in {roles}", zh="{column}为{roles}")
register("rule.quota", en="quota on {side} {column}", zh="{side}{column}名额")
register("rule.load", en="weighted capacity", zh="加权帮带量")
register("rule.stable", en="stability (no blocking pair)", zh="稳定（无阻塞对）")
_SIDE_ZH = {"mentor": "导师", "mentee": "帮带对象"}


def _side(side: str, lang: str) -> str:
    return _SIDE_ZH.get(side, side) if lang == "zh" else side


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
