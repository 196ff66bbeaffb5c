"""Explanations a planner can read: unmatched reasons, pre-solve checks, conflicts, pairs.

* :func:`unmatched_reasons` — for each mentee left short, the candidate funnel
  (how many mentors pass each edge rule in turn) and, when candidates existed,
  which of them were full and with whom; English or Chinese (``lang``);
* :func:`check` — cheap counting checks without a solver: capacity against
  demand per region and per category, mentees with no candidate (naming the
  rule that removed the last one), fixed pairs that break a hard rule, minimum
  loads that cannot be met — each with a suggestion;
* :func:`explain` — when the rules cannot all hold, a set of conflicting rule
  groups named in planner terms, from CP-SAT assumption literals (one worker,
  presolve off) shrunk by deletion; with ``relax=True`` also the cheapest
  relaxation and a pairing that satisfies the relaxed problem;
* :func:`explain_pairs` — per pair, the score breakdown, its rank among the
  mentee's candidates and the best alternative mentor with what it would cost.

One module per job:

* :mod:`.words` — rule labels, column words and vectorised text shared by all;
* :mod:`.common` — problem copies, fixed pairs, edge loads, broken rules;
* :mod:`.unmatched` — the candidate funnel and :func:`unmatched_reasons`;
* :mod:`.check` — :func:`check`;
* :mod:`.diagnostic` — the rules as named groups (the model conflicts and
  relaxation share);
* :mod:`.conflicts` — conflict finding, :func:`explain`, :class:`Explanation`,
  region by region;
* :mod:`.relax` — the cheapest relaxation and the relaxed problem;
* :mod:`.pairs` — :func:`explain_pairs`.

Example
-------
>>> import pandas as pd, banghdai as bd
>>> mentors = pd.DataFrame({"mentor_id": ["M1"], "county": ["A"], "capacity": [1]})
>>> mentees = pd.DataFrame({"mentee_id": ["E1", "E2"], "county": ["A", "A"]})
>>> p = bd.Problem(mentors, mentees, pairing=bd.OneToMany("capacity", unmatched="forbid"))
>>> p = p.require(bd.SameRegion("county"))
>>> print(bd.explain(p).messages[0])
capacity of A mentors (1) < mentor places that mentees who must be matched there need (2)
"""

from .check import check
from .conflicts import Explanation, explain
from .pairs import explain_pairs
from .unmatched import unmatched_reasons

__all__ = ["Explanation", "check", "explain", "explain_pairs", "unmatched_reasons"]
