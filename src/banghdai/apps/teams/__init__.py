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

The package is split by job: :mod:`.spec` (the :class:`Teams` spec, its
parsing and :func:`form_teams`), :mod:`.model` (the CP-SAT model of a
region and the assembly of the result), :mod:`.heuristic` (the hint),
:mod:`.validation` (:func:`validate_teams`) and :mod:`.result`
(:class:`TeamResult`).

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

from .result import SCALE, TeamResult
from .spec import OBJECTIVE_TERMS, Teams, form_teams
from .validation import validate_teams

__all__ = ["OBJECTIVE_TERMS", "SCALE", "TeamResult", "Teams", "form_teams", "validate_teams"]
