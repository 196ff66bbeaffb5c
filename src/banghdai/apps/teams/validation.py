"""Independent validator of a teams table: :func:`validate_teams`.

It recomputes every rule of a :class:`Teams` spec from the input tables with
pandas/numpy only — no solver, nothing the model produced except the teams
table — and reuses the pair validator's pieces where a team rule is the same
as a pair rule: the :class:`~banghdai.checks.validate.Validation` outcome,
the shared-tag count of a mentor–mentee pair and the great-circle distance
:func:`~banghdai.core.geo.vincenty_km` (a different formula from the model's
haversine).

Example
-------
>>> import pandas as pd, banghdai as bd
>>> spec = bd.Teams(pd.DataFrame({"mentor_id": ["M"]}), pd.DataFrame({"mentee_id": ["E"]}),
...                 region=None)
>>> teams = pd.DataFrame({"region": None, "team": 1, "member_id": ["M", "X"],
...                       "role": ["mentor", "mentee"]})
>>> bd.validate_teams(spec, teams).violations[["rule", "detail"]].values.tolist()
[['unknown id', 'not in the mentees table'], ['team mentees', '0 members, range (1, 5)']]
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ...checks.validate import Validation, _shared_counts
from ...core.geo import vincenty_km
from ...core.ids import ids_as_str, value_keys
from ...data.schema import degree_values, require_frame, tag_pairs
from .result import ROLES, SCALE, TEAM_COLUMNS

if TYPE_CHECKING:
    from .spec import Teams

_VIOLATION_COLUMNS = ["rule", "region", "team", "member_id", "detail"]


class _Found:
    """Violation rows, collected rule by rule."""

    def __init__(self) -> None:
        self.frames: list[pd.DataFrame] = []

    def report(self, rule: str, frame: pd.DataFrame, detail) -> None:
        if len(frame):
            self.frames.append(pd.DataFrame({
                "rule": rule, "region": frame["region"].to_numpy(), "team": frame["team"].to_numpy(),
                "member_id": frame["member_id"].to_numpy() if "member_id" in frame else None,
                "detail": detail}))

    def table(self) -> pd.DataFrame:
        violations = (pd.concat(self.frames, ignore_index=True) if self.frames
                      else pd.DataFrame({c: pd.Series([], dtype=object) for c in _VIOLATION_COLUMNS}))
        return violations[_VIOLATION_COLUMNS]


def _members(spec: Teams, teams: pd.DataFrame, found: _Found) -> pd.DataFrame:
    """Known members once per team: region, team, member_id, role, key (the team) and table row."""
    mt, et = spec.mentor_table, spec.mentee_table
    t = pd.DataFrame({
        "region": value_keys(teams["region"]) if len(teams) else np.array([], dtype=object),
        "team": teams["team"].to_numpy(),
        "member_id": ids_as_str(teams["member_id"]) if len(teams) else np.array([], dtype=object),
        "role": teams["role"].astype(object).to_numpy(),
    })
    t["key"] = [f"{r}\x1f{k}" for r, k in zip(t["region"], t["team"], strict=True)]
    bad_role = ~t["role"].isin(ROLES)
    found.report("role", t[bad_role], "role must be 'mentor' or 'mentee'")
    t = t[~bad_role].copy()
    is_m = (t["role"] == "mentor").to_numpy()
    row = np.where(is_m, pd.Index(mt.ids).get_indexer(t["member_id"]),
                   pd.Index(et.ids).get_indexer(t["member_id"]))
    t["row"] = row
    found.report("unknown id", t[row < 0],
                 [f"not in the {r}s table" for r in t.loc[row < 0, "role"]])
    t = t[row >= 0].reset_index(drop=True)
    dup = t.duplicated(["key", "member_id", "role"]).to_numpy()
    found.report("duplicate member", t[dup], "listed twice in the team")
    return t[~dup].reset_index(drop=True)


def _check_regions(spec: Teams, t: pd.DataFrame, found: _Found) -> None:
    """Every member belongs to its team's region."""
    if spec.region is None:
        return
    is_m, rows = (t["role"] == "mentor").to_numpy(), t["row"].to_numpy()
    mreg = value_keys(spec.mentors[spec.region])
    ereg = value_keys(spec.mentees[spec.region])
    nothing = np.full(len(rows), None, dtype=object)
    member_region = np.where(is_m, mreg[np.where(is_m, rows, 0)] if len(mreg) else nothing,
                             ereg[np.where(~is_m, rows, 0)] if len(ereg) else nothing)
    off = np.array([a is None or a != b for a, b in zip(member_region, t["region"], strict=True)],
                   dtype=bool)
    found.report("region", t[off], [f"member's {spec.region} is {a!r}" for a in member_region[off]])


def _check_degrees(spec: Teams, tm: pd.DataFrame, te: pd.DataFrame, found: _Found) -> None:
    """A mentee in at most one team (every mentee with ``unmatched="forbid"``), mentor_teams."""
    mt, et = spec.mentor_table, spec.mentee_table
    n_of = te.groupby("member_id")["key"].nunique()
    many = te[te["member_id"].isin(n_of.index[n_of > 1])].drop_duplicates("member_id")
    found.report("mentee in one team", many, [f"in {n_of[i]} teams" for i in many["member_id"]])
    cap = pd.Series(degree_values(mt, spec.mentor_teams, "mentor_teams"), index=mt.ids)
    k_of = tm.groupby("member_id")["key"].nunique()
    over = k_of[k_of > cap.reindex(k_of.index).to_numpy()]
    first = tm[tm["member_id"].isin(over.index)].drop_duplicates("member_id")
    found.report("mentor_teams", first,
                 [f"in {over[i]} teams, may join {cap[i]}" for i in first["member_id"]])
    if spec.unmatched == "forbid":
        missing = np.setdiff1d(et.ids.astype(str), te["member_id"].to_numpy().astype(str))
        if missing.size:
            found.report("unplaced", pd.DataFrame({"region": None, "team": None,
                                                   "member_id": missing}),
                         "unmatched='forbid' but the mentee is in no team")


def _check_sizes(spec: Teams, t: pd.DataFrame, tm: pd.DataFrame, te: pd.DataFrame,
                 found: _Found) -> pd.DataFrame:
    """Team sizes and teams per region; returns the teams (key → region, team)."""
    keys = t.drop_duplicates("key")[["key", "region", "team"]].set_index("key")
    for what, side, (lo, hi) in (("team mentors", tm, spec.team_mentors),
                                 ("team mentees", te, spec.team_mentees)):
        size = side.groupby("key").size().reindex(keys.index, fill_value=0)
        bad = keys[(size < lo) | (size > hi)]
        found.report(what, bad.reset_index(),
                     [f"{size[k]} members, range ({lo}, {hi})" for k in bad.index])
    per_region = keys.groupby(keys["region"].map(str)).size()
    for r in spec.region_values:
        label = r if spec.region is not None else None
        n = int(per_region.get(str(label), 0))
        lo_n, hi_n = spec.n_teams[r]
        if n < lo_n or (hi_n is not None and n > hi_n):
            found.report("n_teams",
                         pd.DataFrame({"region": [label], "team": [None], "member_id": [None]}),
                         f"{n} teams, range ({lo_n}, {hi_n})")
    return keys


def _check_composition(spec: Teams, tm: pd.DataFrame, keys: pd.DataFrame, found: _Found) -> None:
    """``require_each``: at least k mentors of each required value in every team."""
    for comp in spec.composition:
        vals = value_keys(spec.mentors[comp.column])
        hit = tm[vals[tm["row"].to_numpy()] == comp.value] if len(tm) else tm
        count = hit.groupby("key").size().reindex(keys.index, fill_value=0)
        bad = keys[count < comp.count]
        found.report(f"require_each {comp.column}", bad.reset_index(),
                     [f"{count[k]} mentors with {comp.value!r}, needs {comp.count}"
                      for k in bad.index])


def _check_needs(spec: Teams, tm: pd.DataFrame, te: pd.DataFrame, found: _Found) -> int:
    """``cover_needs``: the team's mentors offer each member's needs; returns the needs covered."""
    if not (spec.cover_needs or spec.objective["covered"]):
        return 0
    mr, mtag = tag_pairs(spec.mentor_table, "domains", "validate_teams")
    er, etag = tag_pairs(spec.mentee_table, "domains", "validate_teams")
    offers = tm[["key", "row"]].merge(pd.DataFrame({"row": mr, "tag": mtag.astype(str)}), on="row")
    wants = te[["key", "row", "member_id", "region", "team"]].merge(
        pd.DataFrame({"row": er, "tag": etag.astype(str)}), on="row")
    got = wants.merge(offers[["key", "tag"]].drop_duplicates(), on=["key", "tag"], how="left",
                      indicator=True)
    lacking = got[got["_merge"] == "left_only"]
    if spec.cover_needs:
        found.report("cover_needs", lacking,
                     [f"need {g!r} not offered by the team" for g in lacking["tag"]])
    return int((got["_merge"] == "both").sum())


def _objective_units(spec: Teams, tm: pd.DataFrame, te: pd.DataFrame, n_covered: int) -> int:
    """The objective in 1/SCALE units, rounded per pair like the solver."""
    w = spec.objective
    mentors, mentees = spec.mentors, spec.mentees
    pairs = tm[["key", "row"]].merge(te[["key", "row"]], on="key", suffixes=("_m", "_e"))
    pairs = pairs.rename(columns={"row_m": "_m", "row_e": "_e"})
    s = np.zeros(len(pairs))
    if w["shared"]:
        # the pair validator's count; a Teams spec has the mentor_table/mentee_table it reads
        shared, _ = _shared_counts(spec, pairs, "domains", "domains", "validate_teams")
        s = shared.astype(float)
    km = np.zeros(len(pairs))
    if w["km"] and len(pairs):
        a, b = pairs["_m"].to_numpy(), pairs["_e"].to_numpy()
        km = vincenty_km(pd.to_numeric(mentors["lat"]).to_numpy(float)[a],
                         pd.to_numeric(mentors["lon"]).to_numpy(float)[a],
                         pd.to_numeric(mentees["lat"]).to_numpy(float)[b],
                         pd.to_numeric(mentees["lon"]).to_numpy(float)[b])
    units = int(np.rint(SCALE * (w["shared"] * s - w["km"] * km)).sum())
    units += int(round(SCALE * w["covered"])) * n_covered
    if w["placed"] is not None and spec.unmatched != "forbid":
        units += int(round(SCALE * w["placed"])) * int(te["member_id"].nunique())
    return units


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
    require_frame(teams, "teams", TEAM_COLUMNS)
    found = _Found()
    t = _members(spec, teams, found)
    is_m = (t["role"] == "mentor").to_numpy()
    tm, te = t[is_m], t[~is_m]
    _check_regions(spec, t, found)
    _check_degrees(spec, tm, te, found)
    keys = _check_sizes(spec, t, tm, te, found)
    _check_composition(spec, tm, keys, found)
    n_covered = _check_needs(spec, tm, te, found)
    units = _objective_units(spec, tm, te, n_covered)
    return Validation(found.table(), units / SCALE)
