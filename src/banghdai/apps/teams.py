"""Small teams (多对多、小团队 差异化培养): mentors and mentees grouped into teams.

Teams are formed inside each value of a region column (the mentors and
mentees of one township only). Each team has a size range of mentors and of
mentees; every mentee joins at most one team (exactly one with
``unmatched="forbid"``) and every mentor at most ``mentor_teams`` teams.
Composition rules: ``require_each`` (at least one mentor of each listed value
of a mentor column, e.g. 专家型 / 经验型 / 群众型) and ``cover_needs`` (the union of
the team's mentors' ``domains`` covers every need tag of each of its mentees).

The objective, maximised, is a weighted sum of team-level terms:

* ``placed`` — mentees in a team; weight ``None`` (default) puts it first,
  lexicographically (most mentees placed, then the rest);
* ``shared`` — over every mentor–mentee pair in the same team, the number of
  tags the mentor's ``domains`` share with the mentee's ``domains`` (default
  weight 1 when both tables have ``domains``);
* ``covered`` — over every placed mentee, the number of its need tags that
  some mentor of its team offers;
* ``km`` — a cost: over every mentor–mentee pair in the same team, their
  great-circle distance (team spread).

Each pair's score ``shared·w − km·w`` and each covered need's weight are
rounded to 1/100 so that CP-SAT works on integers; ``objective`` and
``bound`` are sums of these rounded scores. Teams of a region are
interchangeable, so the model orders them by their first mentee (team ``t``
exists only with team ``t-1``, and its smallest mentee comes after team
``t-1``'s) — every solution is counted once and proofs stay fast. Regions are
independent and solved one after another, each with a share of the time
limit (in proportion to its size; time a region leaves unused goes to the
next). Each region's model starts from a complete hint found by a fast
heuristic (alternating exact assignments of mentors to teams and of mentees
to teams, from random starts), so large regions get good teams early and
CP-SAT spends its time improving them and raising the bound.

:func:`validate_teams` re-checks a teams table from the input tables with
pandas only (no solver).

Example
-------
>>> import pandas as pd, banghdai as bd
>>> mentors = pd.DataFrame({"mentor_id": ["A", "B", "C"], "township": ["x"] * 3,
...                         "domains": ["党建", "电商", "党建;电商"]})
>>> mentees = pd.DataFrame({"mentee_id": ["E1", "E2", "E3"], "township": ["x"] * 3,
...                         "domains": ["党建", "电商", "党建"]})
>>> r = bd.form_teams(mentors, mentees, team_mentors=(1, 2), team_mentees=(1, 2))
>>> r.status.name, r.summary()["mentees_placed"], r.objective
('OPTIMAL', 3, 5.0)
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd

from ..checks.validate import Validation
from ..core.errors import InputError, StatusError
from ..core.ids import ids_as_str, value_keys
from ..core.status import Status, gap_of
from ..data.schema import Table, degree_values, prepare_table, require_frame, tag_pairs

#: Objective terms and their default weights (``placed=None``: lexicographically first).
OBJECTIVE_TERMS = ("placed", "shared", "covered", "km")
ROLES = ("mentor", "mentee")
#: Scores are rounded to 1/SCALE before CP-SAT sees them.
SCALE = 100
_TEAM_COLUMNS = ["region", "team", "member_id", "role"]
_VIOLATION_COLUMNS = ["rule", "region", "team", "member_id", "detail"]

SizeRange = int | tuple[int, int]
TeamCount = None | int | tuple[int, int] | Mapping[Any, int | tuple[int, int]] | str


# ----------------------------------------------------------------------------- parsing
def _size_range(value: object, what: str) -> tuple[int, int]:
    """``(lo, hi)`` whole numbers with 1 <= lo <= hi (an int n means (n, n))."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = (value, value)
    ok = (
        isinstance(value, tuple | list)
        and len(value) == 2
        and all(isinstance(v, int) and not isinstance(v, bool) for v in value)
    )
    if not ok:
        raise InputError(f"{what} must be an int or a (lo, hi) pair of ints, got {value!r}",
                         column=what)
    lo, hi = int(value[0]), int(value[1])
    if lo < 1 or hi < lo:
        raise InputError(f"{what} needs 1 <= lo <= hi, got ({lo}, {hi})", column=what)
    return lo, hi


def _count_range(value: object, what: str) -> tuple[int, int | None]:
    """A team-count bound: int n → (n, n); (lo, hi) with 0 <= lo <= hi."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = (value, value)
    ok = (
        isinstance(value, tuple | list)
        and len(value) == 2
        and all(isinstance(v, int) and not isinstance(v, bool) for v in value)
    )
    if not ok or value[0] < 0 or value[1] < value[0]:
        raise InputError(
            f"{what} must be an int >= 0 or a (lo, hi) pair with 0 <= lo <= hi, got {value!r}",
            column="n_teams",
        )
    return int(value[0]), int(value[1])


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
            "require_each must map a mentor column to the values every team needs, "
            "e.g. {'type': ['专家型', '经验型', '群众型']}",
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
                f"require_each[{column!r}] must be a list of values or a {{value: count}} mapping",
                table="mentors", column=mentors.shown(column), choices=present,
            )
        else:
            items = [(v, 1) for v in values]
        for value, count in items:
            key = _value_key(value)
            if isinstance(count, bool) or not isinstance(count, int) or count < 1:
                raise InputError(
                    f"require_each[{column!r}][{value!r}] must be a whole number >= 1, got {count!r}",
                    table="mentors", column=mentors.shown(column),
                )
            if key not in present:
                raise InputError(
                    f"require_each value {value!r} never occurs in the column",
                    table="mentors", column=mentors.shown(column), choices=present,
                )
            out.append(_Composition(str(column), key, int(count), keys == key))
    return out


def _parse_objective(objective: object, has_domains: bool, has_coords: bool) -> dict:
    if objective is None:
        return {"placed": None, "shared": 1.0 if has_domains else 0.0, "covered": 0.0, "km": 0.0}
    if not isinstance(objective, Mapping):
        raise InputError("objective must map terms to weights, e.g. {'shared': 1, 'km': 0.1}",
                         column="objective", choices=OBJECTIVE_TERMS)
    out: dict[str, float | None] = {"placed": None, "shared": 0.0, "covered": 0.0, "km": 0.0}
    for term, weight in objective.items():
        if term not in OBJECTIVE_TERMS:
            raise InputError(f"unknown objective term {term!r}", column="objective",
                             choices=OBJECTIVE_TERMS)
        if weight is None and term == "placed":
            continue
        if isinstance(weight, bool) or not isinstance(weight, int | float) or not weight >= 0 \
                or not np.isfinite(weight):
            raise InputError(f"objective weight of {term!r} must be a number >= 0, got {weight!r}",
                             column="objective")
        out[term] = float(weight)
    if (out["shared"] or out["covered"]) and not has_domains:
        raise InputError("objective terms 'shared' and 'covered' need a 'domains' column in "
                         "both tables", column="domains")
    if out["km"] and not has_coords:
        raise InputError("objective term 'km' needs 'lat' and 'lon' in both tables", column="lat")
    return out


# ----------------------------------------------------------------------------- results
@dataclass(eq=False)
class TeamResult:
    """Teams keyed by the caller's ids, with proof of quality.

    Attributes
    ----------
    status
        :class:`Status` over all regions: OPTIMAL when every region is proven,
        INFEASIBLE when one region is proven impossible, UNKNOWN when one ran
        out of time without teams, FEASIBLE otherwise.
    teams
        One row per member: ``region``, ``team`` (1, 2, … within the region),
        ``member_id``, ``role`` (mentor / mentee). Empty without a solution.
    unplaced
        One row per mentee in no team: ``mentee_id``, ``region``, ``reason``.
    regions
        One row per region: status, mentors, mentees, teams, placed,
        placed_bound (most mentees that can be placed, proven; with
        lexicographic placing), objective, bound, gap, seconds.
    objective, bound, gap
        Summed over regions (placed excluded when it is lexicographic: then
        ``bound`` is the best possible at the same number placed).
    placed, seconds, spec, info
        Mentees placed, wall time, the :class:`Teams` spec, solver details.

    Example
    -------
    >>> import pandas as pd, banghdai as bd
    >>> r = bd.form_teams(pd.DataFrame({"mentor_id": ["M"]}), pd.DataFrame({"mentee_id": ["E"]}),
    ...                   region=None)
    >>> r.teams.values.tolist()
    [[None, 1, 'M', 'mentor'], [None, 1, 'E', 'mentee']]
    """

    status: Status
    teams: pd.DataFrame
    unplaced: pd.DataFrame
    regions: pd.DataFrame
    objective: float | None
    bound: float | None
    gap: float | None
    placed: int
    seconds: float
    spec: Teams
    info: dict[str, Any] = field(default_factory=dict)

    def summary(self) -> dict[str, Any]:
        """Key figures: status, teams, members, mentees placed, objective, bound, gap, seconds.

        Example
        -------
        >>> import pandas as pd, banghdai as bd
        >>> r = bd.form_teams(pd.DataFrame({"mentor_id": ["M"]}),
        ...                   pd.DataFrame({"mentee_id": ["E1", "E2"]}), region=None)
        >>> r.summary()["teams"], r.summary()["coverage"]
        (1, 1.0)
        """
        t = self.teams
        n_teams = int(t.groupby(["region", "team"], dropna=False).ngroups) if len(t) else 0
        total = len(self.spec.mentee_table)
        reg = self.regions
        return {
            "status": self.status.value,
            "regions": int(len(reg)),
            "regions_optimal": int((reg["status"] == Status.OPTIMAL.value).sum()) if len(reg) else 0,
            "teams": n_teams,
            "mentors_used": int(t.loc[t["role"] == "mentor", "member_id"].nunique()) if len(t) else 0,
            "mentees_placed": int(self.placed),
            "mentees_unplaced": int(total - self.placed),
            "coverage": round(self.placed / total, 4) if total else 1.0,
            "objective": None if self.objective is None else round(self.objective, 6),
            "bound": None if self.bound is None else round(self.bound, 6),
            "gap": None if self.gap is None else round(self.gap, 6),
            "seconds": round(self.seconds, 3),
        }

    def raise_for_status(self) -> TeamResult:
        """Raise :class:`StatusError` unless teams were found; returns self.

        Example
        -------
        >>> import pandas as pd, banghdai as bd
        >>> r = bd.form_teams(pd.DataFrame({"mentor_id": ["M"]}), pd.DataFrame({"mentee_id": ["E"]}),
        ...                   region=None, unmatched="forbid", team_mentors=2)
        >>> r.raise_for_status()
        Traceback (most recent call last):
        ...
        banghdai.StatusError: team formation ended INFEASIBLE (proven: no teams ...
        """
        if not self.status.has_solution:
            bad = self.regions.loc[~self.regions["status"].isin(["OPTIMAL", "FEASIBLE"]), "region"]
            where = (f"; regions: {', '.join(map(str, bad.tolist()))}"
                     if len(bad) and self.spec.region is not None else "")
            why = self.info.get("reason")
            hint = (" (proven: no teams satisfy the rules)" if self.status is Status.INFEASIBLE
                    else " (time ran out before teams were found; raise time_limit)")
            raise StatusError(f"team formation ended {self.status.value}{hint}{where}"
                              + (f": {why}" if why else ""))
        return self

    def __repr__(self) -> str:
        s = self.summary()
        return (f"TeamResult(status={s['status']}, teams={s['teams']}, "
                f"placed={s['mentees_placed']}, objective={s['objective']}, gap={s['gap']}, "
                f"seconds={s['seconds']})")


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
        self.mentor_table = prepare_table(mentors, "mentors", {**(columns or {}),
                                                              **(mentor_columns or {})})
        self.mentee_table = prepare_table(mentees, "mentees", {**(columns or {}),
                                                              **(mentee_columns or {})})
        mt, et = self.mentor_table, self.mentee_table
        if unmatched not in ("allow", "forbid"):
            raise InputError(f"unknown unmatched {unmatched!r}", column="unmatched",
                             choices=["allow", "forbid"])
        if not isinstance(cover_needs, bool):
            raise InputError(f"cover_needs must be True or False, got {cover_needs!r}",
                             column="cover_needs")
        self.region = region
        self.unmatched = unmatched
        self.cover_needs = cover_needs
        self.team_mentors = _size_range(team_mentors, "team_mentors")
        self.team_mentees = _size_range(team_mentees, "team_mentees")
        if region is not None:
            if not isinstance(region, str):
                raise InputError(f"region must be a column name or None, got {region!r}",
                                 column="region")
            mt.require(region, "teams by region")
            et.require(region, "teams by region")
        if isinstance(mentor_teams, bool) or not isinstance(mentor_teams, int | str) or (
                isinstance(mentor_teams, int) and mentor_teams < 1):
            raise InputError(f"mentor_teams must be an int >= 1 or a column, got {mentor_teams!r}",
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
        """The checked copy of the mentors table (canonical column names)."""
        return self.mentor_table.frame

    @property
    def mentees(self) -> pd.DataFrame:
        """The checked copy of the mentees table (canonical column names)."""
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
            raise InputError("with region=None, n_teams must be None, an int or a (lo, hi) pair",
                             column="n_teams")
        if isinstance(n_teams, Mapping):
            out = dict(free)
            for key, value in n_teams.items():
                k = _value_key(key)
                if k not in free:
                    raise InputError(f"n_teams names region {key!r}, which no mentee is in",
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
                    raise InputError(f"n_teams column differs within region {r!r}",
                                     table="mentees", row=row, id=et.ids[row],
                                     column=et.shown(n_teams))
                n = float(known.iloc[0])
                if n < 0 or n != np.floor(n):
                    row = int(known.index[0])
                    raise InputError(f"n_teams must be a whole number >= 0, got {n:g}",
                                     table="mentees", row=row, id=et.ids[row],
                                     column=et.shown(n_teams))
                out[r] = (int(n), int(n))
            return out
        raise InputError(f"n_teams must be None, an int, (lo, hi), a mapping or a column, "
                         f"got {n_teams!r}", column="n_teams")

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
            raise InputError(f"time_limit must be a number > 0 or None, got {time_limit!r}",
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


# ----------------------------------------------------------------------------- model data
def _pair_scores(spec: Teams) -> pd.DataFrame:
    """Integer score per mentor–mentee pair of one region (nonzero only): m, e, score."""
    w = spec.objective
    mr, er = spec.mentor_region, spec.mentee_region
    parts = []
    if w["shared"]:
        mtag, etag = spec._tags(spec.mentor_table), spec._tags(spec.mentee_table)
        mtag["r"], etag["r"] = mr[mtag["row"].to_numpy()], er[etag["row"].to_numpy()]
        j = mtag.dropna(subset=["r"]).merge(etag.dropna(subset=["r"]), on=["r", "tag"],
                                            suffixes=("_m", "_e"))
        shared = j.groupby(["row_m", "row_e"]).size().rename("shared").reset_index()
        shared.columns = ["m", "e", "shared"]
        parts.append(shared)
    if w["km"]:
        left = pd.DataFrame({"m": np.arange(len(mr)), "r": mr}).dropna(subset=["r"])
        right = pd.DataFrame({"e": np.arange(len(er)), "r": er}).dropna(subset=["r"])
        allp = left.merge(right, on="r")[["m", "e"]]
        from ..core.geo import haversine_km

        mf, ef = spec.mentors, spec.mentees
        m_idx, e_idx = allp["m"].to_numpy(), allp["e"].to_numpy()
        allp["km"] = haversine_km(
            pd.to_numeric(mf["lat"]).to_numpy(float)[m_idx],
            pd.to_numeric(mf["lon"]).to_numpy(float)[m_idx],
            pd.to_numeric(ef["lat"]).to_numpy(float)[e_idx],
            pd.to_numeric(ef["lon"]).to_numpy(float)[e_idx],
        )
        parts.append(allp)
    if not parts:
        return pd.DataFrame({"m": np.array([], np.int64), "e": np.array([], np.int64),
                             "score": np.array([], np.int64)})
    out = parts[0]
    for extra in parts[1:]:
        out = out.merge(extra, on=["m", "e"], how="outer")
    shared = out["shared"].fillna(0).to_numpy(float) if "shared" in out else 0.0
    km = out["km"].fillna(0).to_numpy(float) if "km" in out else 0.0
    out["score"] = np.rint(SCALE * (w["shared"] * shared - w["km"] * km)).astype(np.int64)
    out = out.loc[out["score"] != 0, ["m", "e", "score"]]
    return out.astype({"m": np.int64, "e": np.int64}).reset_index(drop=True)


def _need_offers(spec: Teams) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Mentee needs (e, tag) and which same-region mentors offer them (e, tag, m)."""
    if not (spec.cover_needs or spec.objective["covered"]):
        empty = pd.DataFrame({"e": np.array([], np.int64), "tag": np.array([], object)})
        return empty, empty.assign(m=np.array([], np.int64))
    mtag, etag = spec._tags(spec.mentor_table), spec._tags(spec.mentee_table)
    mtag["r"] = spec.mentor_region[mtag["row"].to_numpy()]
    etag["r"] = spec.mentee_region[etag["row"].to_numpy()]
    mtag = mtag[spec.capacity[mtag["row"].to_numpy()] > 0]
    needs = etag.rename(columns={"row": "e"})
    offers = needs.dropna(subset=["r"]).merge(mtag.dropna(subset=["r"]).rename(columns={"row": "m"}),
                                              on=["r", "tag"])
    return needs[["e", "tag"]], offers[["e", "tag", "m"]]


@dataclass
class _RegionOutcome:
    region: str
    status: Status
    mentors: int
    mentees: int
    teams: list[tuple[list[int], list[int]]]
    objective: int | None
    bound: int | None
    seconds: float
    reasons: dict[int, str]
    note: str | None = None
    placed_bound: int | None = None


#: Full-problem subsolvers, first ones first: with 2 workers CP-SAT runs max_lp plus LNS.
_SUBSOLVERS = ("max_lp", "default_lp", "no_lp", "quick_restart", "core", "pseudo_costs")

_CP_STATUS_NAMES = {"OPTIMAL": Status.OPTIMAL, "FEASIBLE": Status.FEASIBLE,
                    "INFEASIBLE": Status.INFEASIBLE, "UNKNOWN": Status.UNKNOWN}


def _solve_region(
    spec: Teams,
    region: str,
    mentors: np.ndarray,
    mentees: np.ndarray,
    pairs: pd.DataFrame,
    needs: pd.DataFrame,
    offers: pd.DataFrame,
    n_range: tuple[int, int | None],
    budget: float | None,
    seed: int,
    workers: int,
    log: bool,
) -> _RegionOutcome:
    from ortools.sat.python import cp_model

    started = time.perf_counter()
    lo_m, hi_m = spec.team_mentors
    lo_e, hi_e = spec.team_mentees
    forbid = spec.unmatched == "forbid"
    mentors = mentors[spec.capacity[mentors] > 0]
    cap = spec.capacity[mentors]
    reasons: dict[int, str] = {}
    note = None

    def done(status: Status, teams=(), obj=None, bnd=None) -> _RegionOutcome:
        return _RegionOutcome(region, status, int(mentors.size), int(mentees.size), list(teams),
                              obj, bnd, time.perf_counter() - started, reasons, note,
                              sum(len(es) for _, es in teams) if status is Status.OPTIMAL else None)

    # mentees whose needs no mentor of the region offers can join no team
    placeable = np.ones(mentees.size, dtype=bool)
    if spec.cover_needs and len(needs):
        pos = pd.Index(mentees)
        rn = needs[needs["e"].isin(mentees)]
        ro = offers[offers["e"].isin(mentees)].drop_duplicates(["e", "tag"])
        missing = rn.merge(ro, on=["e", "tag"], how="left", indicator=True)
        missing = missing[missing["_merge"] == "left_only"].drop_duplicates("e")
        for e, tag in zip(missing["e"].to_numpy(), missing["tag"].to_numpy(), strict=True):
            placeable[pos.get_loc(e)] = False
            reasons[int(e)] = f"no mentor of the region offers the need {tag!r}"
    # most teams that can exist, and why
    limits = [(int(placeable.sum()) // lo_e, f"{int(placeable.sum())} placeable mentees"),
              (int(cap.sum()) // lo_m, f"{int(cap.sum())} mentor places")]
    for comp in spec.composition:
        n = int(cap[comp.mask[mentors]].sum())
        limits.append((n // comp.count, f"{n} mentor places with {comp.column} = {comp.value!r}"))
        if n < comp.count:
            for e in mentees[placeable]:
                reasons.setdefault(int(e), f"the region lacks mentors with {comp.column} = "
                                           f"{comp.value!r}")
    if n_range[1] is not None:
        limits.append((n_range[1], f"n_teams at most {n_range[1]}"))
    n_max, why = min(limits, key=lambda lw: lw[0])
    n_max = max(0, n_max)
    if mentors.size == 0:
        for e in mentees:
            reasons.setdefault(int(e), "the region has no mentor")
    if n_max < n_range[0] or (forbid and not placeable.all()) or (
            forbid and n_max * hi_e < mentees.size):
        return done(Status.INFEASIBLE)
    if n_max == 0:
        return done(Status.OPTIMAL, obj=0, bnd=0)
    if n_max * hi_e < placeable.sum():
        note = f"left out: at most {n_max} teams of at most {hi_e} mentees fit ({why})"

    E = mentees[placeable]  # noqa: N806 - the model's mentee set
    nE, nM, T = E.size, mentors.size, n_max  # noqa: N806
    model = cp_model.CpModel()
    x = [[model.new_bool_var(f"x{i}_{t}") for t in range(T)] for i in range(nM)]
    z = [[model.new_bool_var(f"z{j}_{t}") for t in range(min(T, j + 1))] for j in range(nE)]
    u = [model.new_bool_var(f"u{t}") for t in range(T)]
    team_mentees: list[list] = [[] for _ in range(T)]
    for j in range(nE):
        for t, var in enumerate(z[j]):
            team_mentees[t].append(var)
        if forbid:
            model.add_exactly_one(z[j])
        else:
            model.add_at_most_one(z[j])
        # symmetry: a mentee joins team t only if team t-1 already holds a smaller mentee
        for t in range(1, len(z[j])):
            model.add(z[j][t] <= sum(z[k][t - 1] for k in range(t - 1, j)))
    for i in range(nM):
        model.add(sum(x[i]) <= int(cap[i]))
    for t in range(T):
        ze, xm = sum(team_mentees[t]), sum(x[i][t] for i in range(nM))
        model.add(ze >= lo_e * u[t])
        model.add(ze <= hi_e * u[t])
        model.add(xm >= lo_m * u[t])
        model.add(xm <= hi_m * u[t])
        if t:
            model.add_implication(u[t], u[t - 1])
    model.add(sum(u) >= n_range[0])
    for comp in spec.composition:
        idx = np.flatnonzero(comp.mask[mentors])
        for t in range(T):
            model.add(sum(x[i][t] for i in idx.tolist()) >= comp.count * u[t])

    local_e = pd.Index(E)
    local_m = pd.Index(mentors)
    # coverage of needs: the team's mentors offer every need of each member
    cover_terms: list = []
    cover_vars: list = []
    need_rows: list[list[list[int]]] = [[] for _ in range(nE)]  # per mentee: offering mentors per need
    covered_coef = int(round(SCALE * spec.objective["covered"]))
    if len(needs) and (spec.cover_needs or covered_coef):
        rn = needs[needs["e"].isin(E)]
        ro = offers[offers["e"].isin(E) & offers["m"].isin(mentors)]
        offer_sets = {k: local_m.get_indexer(g["m"].to_numpy()).tolist()
                      for k, g in ro.groupby(["e", "tag"])}
        n_needs = rn.groupby("e").size()
        for (e, tag) in zip(rn["e"].to_numpy(), rn["tag"].to_numpy(), strict=True):
            j = local_e.get_loc(e)
            ms = offer_sets.get((e, tag), [])
            need_rows[j].append(ms)
            for t in range(len(z[j])):
                offered = sum(x[i][t] for i in ms) if ms else 0
                if spec.cover_needs:
                    model.add(z[j][t] <= offered)
                elif covered_coef:
                    if not ms:
                        continue
                    c = model.new_bool_var(f"c{j}_{t}_{tag}")
                    model.add(c <= z[j][t])
                    model.add(c <= offered)
                    cover_terms.append((c, covered_coef))
                    cover_vars.append((c, j, t, ms))
        if spec.cover_needs and covered_coef:
            for e, k in n_needs.items():
                for var in z[local_e.get_loc(e)]:
                    cover_terms.append((var, covered_coef * int(k)))

    # pair scores: y = x AND z, only for nonzero scores
    pr = pairs[pairs["e"].isin(E) & pairs["m"].isin(mentors)]
    pos_total = int(pr.loc[pr["score"] > 0, "score"].sum()) + sum(c for _, c in cover_terms)
    neg_total = int(pr.loc[pr["score"] < 0, "score"].sum())
    fit_terms = list(cover_terms)
    per_mentee: dict[tuple[int, int], list] = {}
    per_mentor: dict[tuple[int, int], list] = {}
    pair_vars: list = []
    W = np.zeros((nM, nE), dtype=np.int64)  # noqa: N806 - the pair score matrix
    for m, e, s in zip(pr["m"].to_numpy(), pr["e"].to_numpy(), pr["score"].to_numpy(), strict=True):
        i, j = local_m.get_loc(m), local_e.get_loc(e)
        W[i, j] = s
        for t in range(len(z[j])):
            y = model.new_bool_var(f"y{i}_{j}_{t}")
            pair_vars.append((y, i, j, t))
            if s > 0:
                model.add_implication(y, x[i][t])
                model.add_implication(y, z[j][t])
                per_mentee.setdefault((j, t), []).append(y)
                per_mentor.setdefault((i, t), []).append(y)
            else:
                model.add_bool_or([y, x[i][t].Not(), z[j][t].Not()])
            fit_terms.append((y, int(s)))
    # redundant cuts that tighten the LP bound of the pair terms
    for (j, t), ys in per_mentee.items():
        if len(ys) > hi_m:
            model.add(sum(ys) <= hi_m * z[j][t])
    for (i, t), ys in per_mentor.items():
        if len(ys) > hi_e:
            model.add(sum(ys) <= hi_e * x[i][t])

    placed_w = spec.objective["placed"]
    big = pos_total - neg_total + 1 if placed_w is None else int(round(SCALE * placed_w))
    if forbid:
        big = 0
    all_z = [v for row in z for v in row]
    obj = cp_model.LinearExpr.weighted_sum([v for v, _ in fit_terms], [c for _, c in fit_terms])
    if big:
        obj = obj + big * sum(all_z)
    model.maximize(obj)

    # a complete hint from a fast alternating-assignment heuristic
    hint_budget = 1.0 if budget is None else min(1.0, 0.1 * budget)
    heuristic = _heuristic(
        W, [[np.isin(np.arange(nM), ms) for ms in rows] for rows in need_rows],
        [(comp.mask[mentors], comp.count) for comp in spec.composition], cap,
        spec.team_mentors, spec.team_mentees, n_range[0], T, forbid,
        big if big else 0, covered_coef, spec.cover_needs, seed, hint_budget)
    if heuristic is not None:
        teams_hint = sorted(heuristic, key=lambda team: min(team[1]))
        xin = np.zeros((nM, T), dtype=bool)
        zin = np.zeros((nE, T), dtype=bool)
        for t, (ms, es) in enumerate(teams_hint):
            xin[ms, t] = True
            zin[es, t] = True
        for i in range(nM):
            for t in range(T):
                model.add_hint(x[i][t], bool(xin[i, t]))
        for j in range(nE):
            for t in range(len(z[j])):
                model.add_hint(z[j][t], bool(zin[j, t]))
        for t in range(T):
            model.add_hint(u[t], t < len(teams_hint))
        for y, i, j, t in pair_vars:
            model.add_hint(y, bool(xin[i, t] and zin[j, t]))
        for c, j, t, ms in cover_vars:
            model.add_hint(c, bool(zin[j, t] and xin[ms, t].any()))

    solver = cp_model.CpSolver()
    p = solver.parameters
    if budget is not None:
        p.max_time_in_seconds = max(float(budget) - (time.perf_counter() - started), 0.05)
    p.random_seed = int(seed)
    p.num_workers = int(workers)
    p.log_search_progress = bool(log)
    if workers > 1:
        # max_lp's cuts give far better bounds on the pair terms than the default portfolio
        p.subsolvers.extend(_SUBSOLVERS)
    code = solver.solve(model)
    status = _CP_STATUS_NAMES.get(solver.status_name(code))
    if status is None:
        raise RuntimeError(f"CP-SAT returned {solver.status_name(code)} for region {region!r}")
    teams: list[tuple[list[int], list[int]]] = []
    if status.has_solution:
        for t in range(T):
            if not solver.boolean_value(u[t]):
                continue
            ms = [int(mentors[i]) for i in range(nM) if solver.boolean_value(x[i][t])]
            es = [int(E[j]) for j in range(nE) if t < len(z[j]) and solver.boolean_value(z[j][t])]
            teams.append((ms, es))
    elif heuristic is not None and status is Status.UNKNOWN:
        status = Status.FEASIBLE  # time ran out in CP-SAT: the checked hint is the answer
    else:
        return done(status)

    def combined(found: list[tuple[list[int], list[int]]]) -> int:
        # the objective of the teams themselves (a pair variable may lag in a FEASIBLE answer)
        placed = sum(len(es) for _, es in found)
        return _units(found, pr, needs, offers, covered_coef) + big * placed

    if heuristic is not None:
        hinted = [([int(mentors[i]) for i in ms], [int(E[j]) for j in es]) for ms, es in heuristic]
        if not teams or combined(hinted) > combined(teams):
            teams = hinted
    placed = sum(len(es) for _, es in teams)
    value = combined(teams)
    trivial = big * nE + pos_total
    raw = solver.best_objective_bound
    bound = min(int(np.floor(raw + 1e-6)), trivial) if np.isfinite(raw) else trivial
    most = placed if status is Status.OPTIMAL else None
    if placed_w is None and not forbid:
        value -= big * placed
        most = max(placed, min(nE, bound // big)) if most is None else most
        bound = min(bound - big * placed, pos_total)
    bound = max(bound, value)
    if status is Status.OPTIMAL:
        bound = value
    if forbid:
        most = nE
    outcome = done(status, teams, value, bound)
    outcome.placed_bound = most
    return outcome


def _heuristic(
    W: np.ndarray,  # noqa: N803 - pair scores, mentors x mentees
    need_masks: list[list[np.ndarray]],
    comps: list[tuple[np.ndarray, int]],
    cap: np.ndarray,
    team_m: tuple[int, int],
    team_e: tuple[int, int],
    n_lo: int,
    n_max: int,
    forbid: bool,
    place_bonus: int,
    cov_coef: int,
    cover_needs: bool,
    seed: int,
    seconds: float,
) -> list[tuple[list[int], list[int]]] | None:
    """Good feasible teams fast, for the CP-SAT hint (local indices), or None.

    Alternates two exact assignment steps (scipy's linear_sum_assignment) from
    random starts: mentors to the teams of fixed mentee groups (slots reserved
    for required types and minimum sizes), then mentees to the teams of fixed
    mentor groups (a mentee only where its needs are covered). Every
    candidate is checked against all rules and scored exactly; the best wins.
    """
    from scipy.optimize import linear_sum_assignment

    deadline = time.perf_counter() + seconds
    n_m, n_e = W.shape
    lo_m, hi_m = team_m
    lo_e, hi_e = team_e
    if n_e == 0 or n_m == 0 or n_max == 0:
        return None
    rng = np.random.default_rng(seed)
    need_mats = [np.array(rows, dtype=np.int64).reshape(len(rows), n_m) for rows in need_masks]
    scale = float(np.abs(W).sum() + cov_coef * sum(len(r) for r in need_masks) + 1)
    place = float(place_bonus)
    fill = (place + scale) * (n_e + n_m + 1)  # reaching a minimum size beats everything
    reserve = fill * (n_m + 1)
    never = -reserve * (n_m + n_e + 1)
    # approximate coverage gain of a mentor for a mentee: needs it offers
    offer_gain = np.zeros((n_m, n_e))
    if cov_coef:
        for j, mat in enumerate(need_mats):
            if mat.size:
                offer_gain[:, j] = cov_coef * mat.sum(axis=0) / max(1, mat.shape[0])
    # each mentor's copies (capacity) and its composition values
    copies = np.repeat(np.arange(n_m), np.minimum(cap, n_max).astype(np.int64))
    reserved = sum(k for _, k in comps)
    if reserved > hi_m:
        return None

    def mentors_step(groups: list[np.ndarray]) -> np.ndarray:
        k = len(groups)
        gain = np.stack([(W[:, g] + offer_gain[:, g]).sum(axis=1) for g in groups], axis=1)
        cols_team, cols_bonus, cols_mask = [], [], []
        for t in range(k):
            for mask, count in comps:
                for _ in range(count):
                    cols_team.append(t)
                    cols_bonus.append(reserve)
                    cols_mask.append(mask)
            for r in range(reserved, hi_m):
                cols_team.append(t)
                cols_bonus.append(fill if r < lo_m else 1.0)
                cols_mask.append(None)
        team = np.array(cols_team)
        profit = gain[copies][:, team] + np.array(cols_bonus)[None, :]
        for c, mask in enumerate(cols_mask):
            if mask is not None:
                profit[~mask[copies], c] = never
        profit = np.hstack([profit, np.zeros((copies.size, copies.size))])
        rows, cols = linear_sum_assignment(profit, maximize=True)
        inteam = np.zeros((n_m, k), dtype=bool)
        keep = (cols < team.size) & (profit[rows, cols] > never / 2)
        inteam[copies[rows[keep]], team[cols[keep]]] = True
        return inteam

    def mentees_step(inteam: np.ndarray) -> np.ndarray:
        k = inteam.shape[1]
        gain = W.T.astype(float) @ inteam
        ok = np.ones((n_e, k), dtype=bool)
        for j, mat in enumerate(need_mats):
            if mat.size:
                covered = (mat @ inteam) > 0
                if cover_needs:
                    ok[j] = covered.all(axis=0)
                if cov_coef:
                    gain[j] += cov_coef * covered.sum(axis=0)
        team = np.repeat(np.arange(k), hi_e)
        rank = np.tile(np.arange(hi_e), k)
        profit = gain[:, team] + place + np.where(rank < lo_e, fill, 0.0)[None, :]
        profit[~ok[:, team]] = never
        dummy = np.full((n_e, n_e), -reserve if forbid else 0.0)
        rows, cols = linear_sum_assignment(np.hstack([profit, dummy]), maximize=True)
        team_of = np.full(n_e, -1)
        sel = cols < team.size
        sel[sel] &= profit[rows[sel], cols[sel]] > never / 2
        team_of[rows[sel]] = team[cols[sel]]
        return team_of

    def check(inteam: np.ndarray, team_of: np.ndarray):
        teams, placed, fit = [], 0, 0
        for t in range(inteam.shape[1]):
            es = np.flatnonzero(team_of == t)
            if es.size == 0:
                continue
            ms = np.flatnonzero(inteam[:, t])
            if not (lo_m <= ms.size <= hi_m and lo_e <= es.size <= hi_e):
                return None
            if any(mask[ms].sum() < count for mask, count in comps):
                return None
            for j in es:
                mat = need_mats[j]
                if mat.size:
                    covered = mat[:, ms].any(axis=1)
                    if cover_needs and not covered.all():
                        return None
                    fit += cov_coef * int(covered.sum())
            fit += int(W[np.ix_(ms, es)].sum())
            placed += es.size
            teams.append((ms.tolist(), es.tolist()))
        if not (n_lo <= len(teams) <= n_max) or (forbid and placed < n_e):
            return None
        return (placed * place_bonus + fit, placed, fit), teams

    k_min = min(n_max, max(n_lo, 1, -(-n_e // hi_e)))
    best = None
    stall = 0
    for attempt in range(200):
        if attempt and (time.perf_counter() > deadline or stall >= 30):
            break
        stall += 1
        k = min(n_max, k_min + attempt % 3)
        order = rng.permutation(n_e)
        groups = [order[t::k] for t in range(k)]
        last = None
        for _ in range(12):
            inteam = mentors_step(groups)
            team_of = mentees_step(inteam)
            found = check(inteam, team_of)
            if found is not None and (best is None or found[0] > best[0]):
                best, stall = found, 0
            key = None if found is None else found[0]
            if key is not None and last is not None and key <= last:
                break
            last = key
            groups = [g for g in (np.flatnonzero(team_of == t) for t in range(k)) if g.size]
            if not groups:
                break
    return None if best is None else best[1]


def _units(teams: list[tuple[list[int], list[int]]], pairs: pd.DataFrame, needs: pd.DataFrame,
           offers: pd.DataFrame, covered_coef: int) -> int:
    """Integer objective (without placed) of a list of teams: pair scores plus covered needs."""
    if not teams:
        return 0
    member = pd.DataFrame([(k, m, e) for k, (ms, es) in enumerate(teams) for m in ms for e in es],
                          columns=["k", "m", "e"])
    total = int(member.merge(pairs, on=["m", "e"])["score"].sum()) if len(member) else 0
    if covered_coef:
        got = member.merge(offers, on=["m", "e"]).drop_duplicates(["e", "tag"])
        total += covered_coef * len(got)
    return total


def _solve(spec: Teams, *, time_limit: float | None, seed: int, workers: int,
           log: bool) -> TeamResult:
    started = time.perf_counter()
    pairs = _pair_scores(spec)
    needs, offers = _need_offers(spec)
    regions = spec.region_values
    m_groups = pd.Series(np.arange(len(spec.mentor_table))).groupby(
        pd.Series(spec.mentor_region, dtype=object)).apply(lambda s: s.to_numpy())
    e_groups = pd.Series(np.arange(len(spec.mentee_table))).groupby(
        pd.Series(spec.mentee_region, dtype=object)).apply(lambda s: s.to_numpy())
    empty = np.array([], dtype=np.int64)
    work = {r: (m_groups.get(r, empty), e_groups[r]) for r in regions}
    weight = {r: 1 + len(e) * max(1, len(m)) for r, (m, e) in work.items()}
    left = float(sum(weight.values()))
    outcomes: list[_RegionOutcome] = []
    for r in regions:
        budget = None
        if time_limit is not None:
            remaining = max(time_limit - (time.perf_counter() - started), 0.0)
            budget = remaining * weight[r] / left
        left -= weight[r]
        m, e = work[r]
        outcomes.append(_solve_region(spec, r, m, e, pairs, needs, offers, spec.n_teams[r],
                                      budget, seed, workers, log))
    return _collect(spec, outcomes, time.perf_counter() - started,
                    {"seed": seed, "workers": workers, "time_limit": time_limit})


def _collect(spec: Teams, outcomes: list[_RegionOutcome], seconds: float,
             info: dict[str, Any]) -> TeamResult:
    statuses = [o.status for o in outcomes]
    if Status.INFEASIBLE in statuses:
        status = Status.INFEASIBLE
    elif Status.UNKNOWN in statuses:
        status = Status.UNKNOWN
    elif Status.FEASIBLE in statuses:
        status = Status.FEASIBLE
    else:
        status = Status.OPTIMAL
    none_region = spec.unmatched == "forbid" and any(k is None for k in spec.mentee_region)
    if none_region:
        status = Status.INFEASIBLE
        info["reason"] = "a mentee has no region value, so it can join no team"
    mt_ids, et_ids = spec.mentor_table.ids, spec.mentee_table.ids
    rows: list[tuple] = []
    placed_rows: set[int] = set()
    region_rows = []
    for o in outcomes:
        label = o.region if spec.region is not None else None
        n_placed = 0
        for k, (ms, es) in enumerate(o.teams, start=1):
            rows.extend((label, k, mt_ids[i], "mentor") for i in ms)
            rows.extend((label, k, et_ids[j], "mentee") for j in es)
            placed_rows.update(es)
            n_placed += len(es)
        region_rows.append({
            "region": label, "status": o.status.value, "mentors": o.mentors,
            "mentees": o.mentees, "teams": len(o.teams), "placed": n_placed,
            "placed_bound": o.placed_bound if o.status.has_solution else None,
            "objective": None if o.objective is None else o.objective / SCALE,
            "bound": None if o.bound is None else o.bound / SCALE,
            "gap": gap_of(None if o.objective is None else o.objective / SCALE,
                          None if o.bound is None else o.bound / SCALE),
            "seconds": round(o.seconds, 3),
        })
    has = status.has_solution
    teams = pd.DataFrame(rows if has else [], columns=_TEAM_COLUMNS)
    teams["team"] = teams["team"].astype(np.int64)
    # unplaced mentees with a reason
    reason = {}
    by_region = {o.region: o for o in outcomes}
    for j, r in enumerate(spec.mentee_region):
        if has and j in placed_rows:
            continue
        if r is None:
            reason[j] = "no region value"
            continue
        o = by_region[r]
        if j in o.reasons:
            reason[j] = o.reasons[j]
        elif not o.status.has_solution:
            reason[j] = f"no teams: the region is {o.status.value}"
        elif not has:
            reason[j] = f"no teams: another region is {status.value}"
        elif o.note:
            reason[j] = o.note
        else:
            reason[j] = "left out: team sizes and composition rules leave no room"
    idx = np.array(sorted(reason), dtype=np.int64)
    unplaced = pd.DataFrame({
        "mentee_id": et_ids[idx] if idx.size else np.array([], dtype=object),
        "region": spec.mentee_region[idx] if idx.size else np.array([], dtype=object),
        "reason": [reason[j] for j in idx.tolist()],
    })
    if spec.region is None:
        unplaced["region"] = None
    objective = bound = gap = None
    if has:
        objective = sum(o.objective for o in outcomes) / SCALE
        bound = sum(o.bound for o in outcomes) / SCALE
        gap = gap_of(objective, bound)
    regions = pd.DataFrame(region_rows, columns=["region", "status", "mentors", "mentees", "teams",
                                                 "placed", "placed_bound", "objective", "bound",
                                                 "gap", "seconds"])
    return TeamResult(status, teams, unplaced, regions, objective, bound, gap,
                      len(placed_rows) if has else 0, seconds, spec, info)


# ----------------------------------------------------------------------------- validator
def _angle_km(lat1, lon1, lat2, lon2) -> np.ndarray:
    """Great-circle km by the atan2 (Vincenty) form, independent of geo.haversine_km."""
    r = 6371.0088
    a1, b1, a2, b2 = (np.radians(np.asarray(v, dtype=float)) for v in (lat1, lon1, lat2, lon2))
    dl = b2 - b1
    y = np.hypot(np.cos(a2) * np.sin(dl), np.cos(a1) * np.sin(a2) - np.sin(a1) * np.cos(a2) * np.cos(dl))
    x = np.sin(a1) * np.sin(a2) + np.cos(a1) * np.cos(a2) * np.cos(dl)
    return r * np.arctan2(y, x)


def validate_teams(spec: Teams, teams: pd.DataFrame) -> Validation:
    """Re-check a teams table against ``spec`` from the input tables (pandas only, no solver).

    ``teams`` has columns ``region``, ``team``, ``member_id`` and ``role``
    (mentor / mentee), like :attr:`TeamResult.teams`. Checks: known ids and
    roles, members in their team's region, no member twice in a team, each
    mentee in at most one team (exactly one with ``unmatched="forbid"``),
    mentors within ``mentor_teams``, team sizes, teams per region,
    ``require_each`` and ``cover_needs``. Returns a :class:`Validation` whose
    ``violations`` has columns rule, region, team, member_id, detail and whose
    ``objective`` is recomputed like :attr:`TeamResult.objective`.

    Example
    -------
    >>> import pandas as pd, banghdai as bd
    >>> spec = bd.Teams(pd.DataFrame({"mentor_id": ["M"]}), pd.DataFrame({"mentee_id": ["E1", "E2"]}),
    ...                 region=None, team_mentees=(1, 1))
    >>> bad = pd.DataFrame({"region": None, "team": 1, "member_id": ["M", "E1", "E2"],
    ...                     "role": ["mentor", "mentee", "mentee"]})
    >>> bd.validate_teams(spec, bad).violations.rule.tolist()
    ['team mentees']
    """
    require_frame(teams, "teams", _TEAM_COLUMNS)
    mt, et = spec.mentor_table, spec.mentee_table
    mentors, mentees = mt.frame, et.frame
    found: list[pd.DataFrame] = []

    def report(rule: str, frame: pd.DataFrame, detail) -> None:
        if len(frame):
            found.append(pd.DataFrame({
                "rule": rule, "region": frame["region"].to_numpy(), "team": frame["team"].to_numpy(),
                "member_id": frame["member_id"].to_numpy() if "member_id" in frame else None,
                "detail": detail}))

    t = pd.DataFrame({
        "region": value_keys(teams["region"]) if len(teams) else np.array([], dtype=object),
        "team": teams["team"].to_numpy(),
        "member_id": ids_as_str(teams["member_id"]) if len(teams) else np.array([], dtype=object),
        "role": teams["role"].astype(object).to_numpy(),
    })
    t["key"] = [f"{r}\x1f{k}" for r, k in zip(t["region"], t["team"], strict=True)]
    bad_role = ~t["role"].isin(ROLES)
    report("role", t[bad_role], "role must be 'mentor' or 'mentee'")
    t = t[~bad_role].copy()
    is_m = (t["role"] == "mentor").to_numpy()
    row = np.where(is_m, pd.Index(mt.ids).get_indexer(t["member_id"]),
                   pd.Index(et.ids).get_indexer(t["member_id"]))
    t["row"] = row
    report("unknown id", t[row < 0], [f"not in the {r}s table" for r in t.loc[row < 0, "role"]])
    t = t[row >= 0].reset_index(drop=True)
    is_m = (t["role"] == "mentor").to_numpy()
    rows = t["row"].to_numpy()
    dup = t.duplicated(["key", "member_id", "role"]).to_numpy()
    report("duplicate member", t[dup], "listed twice in the team")
    t = t[~dup].reset_index(drop=True)
    is_m, rows = (t["role"] == "mentor").to_numpy(), t["row"].to_numpy()
    tm, te = t[is_m], t[~is_m]

    if spec.region is not None:
        mreg = value_keys(mentors[spec.region])
        ereg = value_keys(mentees[spec.region])
        member_region = np.where(is_m, mreg[np.where(is_m, rows, 0)] if len(mreg) else None,
                                 ereg[np.where(~is_m, rows, 0)] if len(ereg) else None)
        off = np.array([a is None or a != b for a, b in zip(member_region, t["region"], strict=True)],
                       dtype=bool)
        report("region", t[off], [f"member's {spec.region} is {a!r}" for a in member_region[off]])

    # degrees
    n_of = te.groupby("member_id")["key"].nunique()
    many = te[te["member_id"].isin(n_of.index[n_of > 1])].drop_duplicates("member_id")
    report("mentee in one team", many, [f"in {n_of[i]} teams" for i in many["member_id"]])
    cap = pd.Series(degree_values(mt, spec.mentor_teams, "mentor_teams"), index=mt.ids)
    k_of = tm.groupby("member_id")["key"].nunique()
    over = k_of[k_of > cap.reindex(k_of.index).to_numpy()]
    first = tm[tm["member_id"].isin(over.index)].drop_duplicates("member_id")
    report("mentor_teams", first, [f"in {over[i]} teams, may join {cap[i]}" for i in first["member_id"]])
    if spec.unmatched == "forbid":
        missing = np.setdiff1d(et.ids.astype(str), te["member_id"].to_numpy().astype(str))
        if missing.size:
            report("unplaced", pd.DataFrame({"region": None, "team": None, "member_id": missing}),
                   "unmatched='forbid' but the mentee is in no team")

    # team sizes and counts
    keys = t.drop_duplicates("key")[["key", "region", "team"]].set_index("key")
    for what, side, (lo, hi) in (("team mentors", tm, spec.team_mentors),
                                 ("team mentees", te, spec.team_mentees)):
        size = side.groupby("key").size().reindex(keys.index, fill_value=0)
        bad = keys[(size < lo) | (size > hi)]
        report(what, bad.reset_index(), [f"{size[k]} members, range ({lo}, {hi})" for k in bad.index])
    per_region = keys.groupby(keys["region"].map(str)).size()
    for r in spec.region_values:
        label = r if spec.region is not None else None
        n = int(per_region.get(str(label), 0))
        lo, hi = spec.n_teams[r]
        if n < lo or (hi is not None and n > hi):
            report("n_teams", pd.DataFrame({"region": [label], "team": [None], "member_id": [None]}),
                   f"{n} teams, range ({lo}, {hi})")

    # composition: at least k mentors of each required value
    for comp in spec.composition:
        vals = value_keys(mentors[comp.column])
        hit = tm[vals[tm["row"].to_numpy()] == comp.value] if len(tm) else tm
        count = hit.groupby("key").size().reindex(keys.index, fill_value=0)
        bad = keys[count < comp.count]
        report(f"require_each {comp.column}", bad.reset_index(),
               [f"{count[k]} mentors with {comp.value!r}, needs {comp.count}" for k in bad.index])

    # needs and the team's offers
    if spec.cover_needs or spec.objective["shared"] or spec.objective["covered"]:
        mr, mtag = tag_pairs(mt, "domains", "validate_teams")
        er, etag = tag_pairs(et, "domains", "validate_teams")
        offers = tm[["key", "row"]].merge(pd.DataFrame({"row": mr, "tag": mtag.astype(str)}), on="row")
        wants = te[["key", "row", "member_id", "region", "team"]].merge(
            pd.DataFrame({"row": er, "tag": etag.astype(str)}), on="row")
        got = wants.merge(offers[["key", "tag"]].drop_duplicates(), on=["key", "tag"], how="left",
                          indicator=True)
        lacking = got[got["_merge"] == "left_only"]
        if spec.cover_needs:
            report("cover_needs", lacking, [f"need {g!r} not offered by the team" for g in lacking["tag"]])
        n_covered = int((got["_merge"] == "both").sum())
        pair_shared = wants.merge(offers, on=["key", "tag"], suffixes=("_e", "_m"))
        shared = pair_shared.groupby(["key", "row_m", "row_e"]).size().rename("shared").reset_index()
    else:
        n_covered = 0
        shared = pd.DataFrame({"key": [], "row_m": [], "row_e": [], "shared": []})

    # objective, rounded per pair like the solver
    w = spec.objective
    pairs_in_team = tm[["key", "row"]].merge(te[["key", "row"]], on="key", suffixes=("_m", "_e"))
    pairs_in_team = pairs_in_team.merge(shared, on=["key", "row_m", "row_e"], how="left")
    s = pairs_in_team["shared"].fillna(0).to_numpy(float)
    km = np.zeros(len(pairs_in_team))
    if w["km"] and len(pairs_in_team):
        a, b = pairs_in_team["row_m"].to_numpy(), pairs_in_team["row_e"].to_numpy()
        km = _angle_km(pd.to_numeric(mentors["lat"]).to_numpy(float)[a],
                       pd.to_numeric(mentors["lon"]).to_numpy(float)[a],
                       pd.to_numeric(mentees["lat"]).to_numpy(float)[b],
                       pd.to_numeric(mentees["lon"]).to_numpy(float)[b])
    units = int(np.rint(SCALE * (w["shared"] * s - w["km"] * km)).sum())
    units += int(round(SCALE * w["covered"])) * n_covered
    if w["placed"] is not None and spec.unmatched != "forbid":
        units += int(round(SCALE * w["placed"])) * int(te["member_id"].nunique())
    violations = (pd.concat(found, ignore_index=True) if found
                  else pd.DataFrame({c: pd.Series([], dtype=object) for c in _VIOLATION_COLUMNS}))
    return Validation(violations[_VIOLATION_COLUMNS], units / SCALE)
