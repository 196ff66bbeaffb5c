"""The team-formation spec: :class:`Teams`, :func:`form_teams` and the parsing of their arguments.

Size ranges, team counts, ``require_each`` composition and the objective
weights are checked here, against the roster tables
(:func:`~banghdai.data.schema.prepare_table`), before any model is built.

Example
-------
>>> import pandas as pd
>>> from banghdai.apps.teams.spec import Teams
>>> spec = Teams(pd.DataFrame({"mentor_id": ["A", "B"], "township": ["x", "y"]}),
...              pd.DataFrame({"mentee_id": ["E1", "E2"], "township": ["x", "y"]}), n_teams=1)
>>> spec.region_values, spec.n_teams
(['x', 'y'], {'x': (1, 1), 'y': (1, 1)})
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd

from ...core.errors import InputError, Msg
from ...core.ids import value_keys
from ...data.schema import Table, degree_values, prepare_table, tag_pairs
from .model import _solve
from .result import TeamResult

#: Objective terms and their default weights (``placed=None``: lexicographically first).
OBJECTIVE_TERMS = ("placed", "shared", "covered", "km")

SizeRange = int | tuple[int, int]
TeamCount = None | int | tuple[int, int] | Mapping[Any, int | tuple[int, int]] | str


# ----------------------------------------------------------------------------- parsing
def _int_pair(value: object) -> tuple[int, int] | None:
    """``(lo, hi)`` from an int n (as ``(n, n)``) or a pair of ints; None for any other shape."""
    if isinstance(value, int) and not isinstance(value, bool):
        return (value, value)
    if (isinstance(value, tuple | list) and len(value) == 2
            and all(isinstance(v, int) and not isinstance(v, bool) for v in value)):
        return (int(value[0]), int(value[1]))
    return None


def _size_range(value: object, what: str) -> tuple[int, int]:
    """``(lo, hi)`` whole numbers with 1 <= lo <= hi (an int n means (n, n))."""
    pair = _int_pair(value)
    if pair is None:
        raise InputError(Msg("teams.range", what=what, value=value),
                         column=what)
    lo, hi = pair
    if lo < 1 or hi < lo:
        raise InputError(Msg("teams.range_order", what=what, lo=lo, hi=hi), column=what)
    return lo, hi


def _count_range(value: object, what: str) -> tuple[int, int | None]:
    """A team-count bound: int n → (n, n); (lo, hi) with 0 <= lo <= hi."""
    pair = _int_pair(value)
    if pair is None or pair[0] < 0 or pair[1] < pair[0]:
        shown = (value, value) if isinstance(value, int) and not isinstance(value, bool) else value
        raise InputError(
            Msg("teams.count_range", what=what, value=shown),
            column="n_teams",
        )
    return pair


def _value_key(value: object) -> str | None:
    return value_keys(pd.Series([value], dtype=object))[0]


@dataclass(frozen=True)
class _Composition:
    """At least ``count`` mentors whose ``column`` equals ``value`` in every team."""

    column: str
    value: str
    count: int
    mask: np.ndarray = field(repr=False)


def _parse_require_each(require_each: object, mentors: Table) -> list[_Composition]:
    if require_each is None:
        return []
    if not isinstance(require_each, Mapping):
        raise InputError(
            Msg("teams.require_each"),
            column="require_each",
        )
    out: list[_Composition] = []
    for column, values in require_each.items():
        series = mentors.require(column, "require_each")
        keys = value_keys(series)
        present = sorted({k for k in keys if k is not None})
        if isinstance(values, Mapping):
            items = list(values.items())
        elif isinstance(values, str) or not isinstance(values, Sequence | set | frozenset):
            raise InputError(
                Msg("teams.require_each_values", column=column),
                table="mentors", column=mentors.shown(column), choices=present,
            )
        else:
            items = [(v, 1) for v in values]
        for value, count in items:
            key = _value_key(value)
            if isinstance(count, bool) or not isinstance(count, int) or count < 1:
                raise InputError(
                    Msg("teams.require_each_count", column=column, value=value, count=count),
                    table="mentors", column=mentors.shown(column),
                )
            if key is None or key not in present:
                raise InputError(
                    Msg("teams.require_each_absent", value=value),
                    table="mentors", column=mentors.shown(column), choices=present,
                )
            out.append(_Composition(str(column), key, int(count), keys == key))
    return out


def _parse_objective(objective: object, has_domains: bool, has_coords: bool) -> dict:
    if objective is None:
        return {"placed": None, "shared": 1.0 if has_domains else 0.0, "covered": 0.0, "km": 0.0}
    if not isinstance(objective, Mapping):
        raise InputError(Msg("teams.objective"),
                         column="objective", choices=OBJECTIVE_TERMS)
    out: dict[str, float | None] = {"placed": None, "shared": 0.0, "covered": 0.0, "km": 0.0}
    for term, weight in objective.items():
        if term not in OBJECTIVE_TERMS:
            raise InputError(Msg("teams.objective_term", term=term), column="objective",
                             choices=OBJECTIVE_TERMS)
        if weight is None and term == "placed":
            continue
        if isinstance(weight, bool) or not isinstance(weight, int | float) or not weight >= 0 \
                or not np.isfinite(weight):
            raise InputError(Msg("teams.objective_weight", term=term, weight=weight),
                             column="objective")
        out[term] = float(weight)
    if (out["shared"] or out["covered"]) and not has_domains:
        raise InputError(Msg("teams.needs_domains"), column="domains")
    if out["km"] and not has_coords:
        raise InputError(Msg("teams.needs_coords"), column="lat")
    return out


# ----------------------------------------------------------------------------- the spec
class Teams:
    """A team-formation problem: tables, region, size ranges, composition rules, objective.

    Parameters
    ----------
    mentors, mentees
        One row per mentor / mentee, ``mentor_id`` / ``mentee_id`` (or ``id``);
        copied, never modified. ``columns`` / ``mentor_columns`` /
        ``mentee_columns`` map your headers as in :class:`Problem`.
    region
        Column in both tables (default ``"township"``) or ``None`` for one pool.
        Rows with an empty region cell join no team; regions are the values of
        the mentees table.
    n_teams
        Teams per region: ``None`` (as many as fit), an int (exactly), a
        ``(lo, hi)`` pair, a ``{region value: int or (lo, hi)}`` mapping
        (other regions free) or a mentees column holding the count (one value
        per region).
    team_mentors, team_mentees
        Size range ``(lo, hi)`` (or an int for an exact size) of every team;
        ``lo >= 1``.
    require_each
        ``{mentor column: [values]}``: every team has a mentor of each value
        (三型导师); ``{column: {value: k}}`` asks for at least k.
    cover_needs
        Every need tag (mentees' ``domains``) of a team member is offered by
        one of the team's mentors (mentors' ``domains``).
    mentor_teams
        Teams a mentor may join: an int (default 1) or a mentors column.
    unmatched
        ``"allow"`` (default) or ``"forbid"``: every mentee with a region in a team.
    objective
        ``{term: weight}`` over ``placed`` (``None`` = lexicographically
        first, the default), ``shared``, ``covered`` and ``km`` (see the module).

    Example
    -------
    >>> import pandas as pd, banghdai as bd
    >>> mentors = pd.DataFrame({"mentor_id": ["A", "B"], "type": ["专家型", "群众型"]})
    >>> mentees = pd.DataFrame({"mentee_id": ["E1", "E2", "E3"]})
    >>> spec = bd.Teams(mentors, mentees, region=None, team_mentors=(2, 2), team_mentees=(1, 3),
    ...                 require_each={"type": ["专家型", "群众型"]}, unmatched="forbid")
    >>> r = spec.solve()
    >>> r.status.name, len(r.teams), bd.validate_teams(spec, r.teams).ok
    ('OPTIMAL', 5, True)
    """

    def __init__(
        self,
        mentors: pd.DataFrame,
        mentees: pd.DataFrame,
        *,
        region: str | None = "township",
        n_teams: TeamCount = None,
        team_mentors: SizeRange = (1, 3),
        team_mentees: SizeRange = (1, 5),
        require_each: Mapping[str, Any] | None = None,
        cover_needs: bool = False,
        mentor_teams: int | str = 1,
        unmatched: Literal["allow", "forbid"] = "allow",
        objective: Mapping[str, float | None] | None = None,
        columns: Mapping[str, str] | None = None,
        mentor_columns: Mapping[str, str] | None = None,
        mentee_columns: Mapping[str, str] | None = None,
    ) -> None:
        # rows in id order: ties between equal teamings are broken by ids, not row order
        self.mentor_table = prepare_table(
            mentors, "mentors", {**(columns or {}), **(mentor_columns or {})}).in_id_order()
        self.mentee_table = prepare_table(
            mentees, "mentees", {**(columns or {}), **(mentee_columns or {})}).in_id_order()
        mt, et = self.mentor_table, self.mentee_table
        if unmatched not in ("allow", "forbid"):
            raise InputError(Msg("input.unknown_choice", what="unmatched", value=unmatched),
                             column="unmatched",
                             choices=["allow", "forbid"])
        if not isinstance(cover_needs, bool):
            raise InputError(Msg("input.bool", what="cover_needs", value=cover_needs),
                             column="cover_needs")
        self.region = region
        self.unmatched = unmatched
        self.cover_needs = cover_needs
        self.team_mentors = _size_range(team_mentors, "team_mentors")
        self.team_mentees = _size_range(team_mentees, "team_mentees")
        if region is not None:
            if not isinstance(region, str):
                raise InputError(Msg("teams.region", value=region),
                                 column="region")
            mt.require(region, "teams by region")
            et.require(region, "teams by region")
        if isinstance(mentor_teams, bool) or not isinstance(mentor_teams, int | str) or (
                isinstance(mentor_teams, int) and mentor_teams < 1):
            raise InputError(Msg("teams.mentor_teams", value=mentor_teams),
                             column="mentor_teams")
        self.mentor_teams = mentor_teams
        self.capacity = degree_values(mt, mentor_teams, "mentor_teams")
        self.composition = _parse_require_each(require_each, mt)
        has_domains = "domains" in mt.frame.columns and "domains" in et.frame.columns
        has_coords = all(c in t.frame.columns for t in (mt, et) for c in ("lat", "lon"))
        if cover_needs:
            mt.require("domains", "cover_needs")
            et.require("domains", "cover_needs")
        self.objective = _parse_objective(objective, has_domains, has_coords)
        if self.objective["km"]:
            for t in (mt, et):
                for c in ("lat", "lon"):
                    t.numeric(c, "objective km")
        self.mentor_region = (value_keys(mt.frame[region]) if region is not None
                              else np.full(len(mt), "", dtype=object))
        self.mentee_region = (value_keys(et.frame[region]) if region is not None
                              else np.full(len(et), "", dtype=object))
        self.n_teams_spec = n_teams
        self.n_teams = self._parse_n_teams(n_teams)

    # -------------------------------------------------------------- helpers
    @property
    def mentors(self) -> pd.DataFrame:
        """The checked copy of the mentors table (canonical column names, rows in id order)."""
        return self.mentor_table.frame

    @property
    def mentees(self) -> pd.DataFrame:
        """The checked copy of the mentees table (canonical column names, rows in id order)."""
        return self.mentee_table.frame

    @property
    def region_values(self) -> list[str]:
        """Regions that get teams: the non-empty region values of the mentees, sorted."""
        return sorted({k for k in self.mentee_region if k is not None})

    def _parse_n_teams(self, n_teams: object) -> dict[str, tuple[int, int | None]]:
        regions = self.region_values
        free: dict[str, tuple[int, int | None]] = {r: (0, None) for r in regions}
        if n_teams is None:
            return free
        if isinstance(n_teams, int | tuple | list) and not isinstance(n_teams, bool):
            rng = _count_range(n_teams, "n_teams")
            return {r: rng for r in regions}
        if self.region is None:
            raise InputError(Msg("teams.n_teams_no_region"),
                             column="n_teams")
        if isinstance(n_teams, Mapping):
            out = dict(free)
            for key, value in n_teams.items():
                k = _value_key(key)
                if k not in free:
                    raise InputError(Msg("teams.n_teams_region", key=key),
                                     column="n_teams", choices=regions)
                out[k] = _count_range(value, f"n_teams[{key!r}]")
            return out
        if isinstance(n_teams, str):
            et = self.mentee_table
            values = et.numeric(n_teams, "n_teams", allow_nan=True)
            frame = pd.DataFrame({"r": self.mentee_region, "v": values}).dropna(subset=["r"])
            out = dict(free)
            for r, v in frame.groupby("r")["v"]:
                known = v.dropna()
                if known.empty:
                    continue
                if known.nunique() > 1:
                    row = int(known.index[known != known.iloc[0]][0])
                    raise InputError(Msg("teams.n_teams_differs", region=r),
                                     column=et.shown(n_teams), **et.at(row))
                n = float(known.iloc[0])
                if n < 0 or n != np.floor(n):
                    row = int(known.index[0])
                    raise InputError(Msg("teams.n_teams_whole", value=f"{n:g}"),
                                     column=et.shown(n_teams), **et.at(row))
                out[r] = (int(n), int(n))
            return out
        raise InputError(Msg("teams.n_teams", value=n_teams), column="n_teams")

    def _tags(self, table: Table) -> pd.DataFrame:
        rows, tags = tag_pairs(table, "domains", "teams")
        return pd.DataFrame({"row": rows, "tag": tags.astype(str)})

    # -------------------------------------------------------------- solving
    def solve(
        self,
        *,
        time_limit: float | None = 60,
        seed: int = 0,
        workers: int | None = None,
        log: bool = False,
    ) -> TeamResult:
        """Form the teams with CP-SAT, region after region, within ``time_limit`` seconds in all.

        ``workers`` defaults to the CPU count (at most 8); ``seed`` seeds
        CP-SAT and the hint heuristic (when every region is proven optimal the
        objective is the same on every run; time-limited runs may differ);
        ``log`` prints CP-SAT's search log.

        Example
        -------
        >>> import pandas as pd, banghdai as bd
        >>> spec = bd.Teams(pd.DataFrame({"mentor_id": ["M1", "M2"]}),
        ...                 pd.DataFrame({"mentee_id": ["E1", "E2"]}), region=None,
        ...                 team_mentors=1, team_mentees=1)
        >>> spec.solve(time_limit=5).summary()["teams"]
        2
        """
        if time_limit is not None and (not isinstance(time_limit, int | float) or time_limit <= 0):
            raise InputError(Msg("teams.time_limit", value=time_limit),
                             column="time_limit")
        if workers is None:
            workers = max(1, min(8, os.cpu_count() or 1))
        return _solve(self, time_limit=time_limit, seed=seed, workers=int(workers), log=log)

    def __repr__(self) -> str:
        return (f"Teams(mentors={len(self.mentor_table)}, mentees={len(self.mentee_table)}, "
                f"region={self.region!r}, team_mentors={self.team_mentors}, "
                f"team_mentees={self.team_mentees}, unmatched={self.unmatched!r})")


def form_teams(
    mentors: pd.DataFrame,
    mentees: pd.DataFrame,
    *,
    region: str | None = "township",
    n_teams: TeamCount = None,
    team_mentors: SizeRange = (1, 3),
    team_mentees: SizeRange = (1, 5),
    require_each: Mapping[str, Any] | None = None,
    cover_needs: bool = False,
    mentor_teams: int | str = 1,
    unmatched: Literal["allow", "forbid"] = "allow",
    objective: Mapping[str, float | None] | None = None,
    time_limit: float | None = 60,
    seed: int = 0,
    workers: int | None = None,
    columns: Mapping[str, str] | None = None,
    mentor_columns: Mapping[str, str] | None = None,
    mentee_columns: Mapping[str, str] | None = None,
) -> TeamResult:
    """Form small teams of mentors and mentees (多对多、小团队); ``Teams(...).solve(...)`` in one call.

    The parameters are those of :class:`Teams` and :meth:`Teams.solve`; the
    :class:`TeamResult` keeps the spec as ``result.spec`` for
    :func:`validate_teams`.

    Example
    -------
    >>> import pandas as pd, banghdai as bd
    >>> mentors = pd.DataFrame({"mentor_id": ["A", "B", "C"], "乡镇": ["x", "x", "y"]})
    >>> mentees = pd.DataFrame({"mentee_id": ["E1", "E2", "E3"], "乡镇": ["x", "y", "y"]})
    >>> r = bd.form_teams(mentors, mentees, team_mentees=(1, 2), unmatched="forbid")
    >>> r.teams.groupby("region").member_id.apply(list).to_dict()
    {'x': ['A', 'E1'], 'y': ['C', 'E2', 'E3']}
    """
    spec = Teams(
        mentors, mentees, region=region, n_teams=n_teams, team_mentors=team_mentors,
        team_mentees=team_mentees, require_each=require_each, cover_needs=cover_needs,
        mentor_teams=mentor_teams, unmatched=unmatched, objective=objective, columns=columns,
        mentor_columns=mentor_columns, mentee_columns=mentee_columns,
    )
    return spec.solve(time_limit=time_limit, seed=seed, workers=workers)


