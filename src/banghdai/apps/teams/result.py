"""The answer of a team formation: :class:`TeamResult` and the shape of its tables.

Example
-------
>>> import pandas as pd, banghdai as bd
>>> r = bd.form_teams(pd.DataFrame({"mentor_id": ["M"]}), pd.DataFrame({"mentee_id": ["E"]}),
...                   region=None)
>>> list(r.teams.columns) == TEAM_COLUMNS
True
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd

from ...core.errors import StatusError
from ...core.status import Status

if TYPE_CHECKING:
    from .spec import Teams

#: Scores are rounded to 1/SCALE before CP-SAT sees them (the objective's unit).
SCALE = 100
#: Columns of :attr:`TeamResult.teams` (and of the table :func:`validate_teams` checks).
TEAM_COLUMNS = ["region", "team", "member_id", "role"]
#: Values of the ``role`` column.
ROLES = ("mentor", "mentee")


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
