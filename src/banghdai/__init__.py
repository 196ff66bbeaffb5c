"""banghdai — exact, explainable mentor–mentee pairing (导师帮带).

Tables go in; a :class:`Problem` holds them with declarative rules; the
fastest exact backend solves it; a :class:`Result` hands back DataFrames keyed
by your ids with proof of quality (status, objective, bound, gap).

Example
-------
>>> import banghdai as bd
>>> mentors, mentees = bd.load_sample("fanxian")
>>> problem = bd.Problem(mentors, mentees, pairing=bd.OneToMany(capacity=2))
>>> result = problem.require(bd.MaxDistance(km=25)).prefer(bd.Closeness()).solve()
>>> result.status.name
'OPTIMAL'
"""

from __future__ import annotations

import logging

from .compile import Compiled as Compiled
from .compile import compile_problem as compile
from .config import problem_from_rules as problem_from_rules
from .config import read_rules as read_rules
from .exceptions import BanghdaiError as BanghdaiError
from .exceptions import InputError as InputError
from .exceptions import ScalingWarning as ScalingWarning
from .exceptions import StatusError as StatusError
from .exceptions import ValidationError as ValidationError
from .explain import Explanation as Explanation
from .explain import check as check
from .explain import explain as explain
from .explain import explain_pairs as explain_pairs
from .groups import DistinctTypes as DistinctTypes
from .groups import Load as Load
from .groups import Quota as Quota
from .groups import RoleTemplate as RoleTemplate
from .groups import Stable as Stable
from .io import Roster as Roster
from .io import read_roster as read_roster
from .io import read_table as read_table
from .objectives import BalanceLoad as BalanceLoad
from .objectives import Coverage as Coverage
from .objectives import MaxMin as MaxMin
from .problem import Problem as Problem
from .rematch import rematch as rematch
from .rematch import year2_scenario as year2_scenario
from .result import Result as Result
from .result import Status as Status
from .rules import AvoidSame as AvoidSame
from .rules import Closeness as Closeness
from .rules import DomainFit as DomainFit
from .rules import FixedPairs as FixedPairs
from .rules import ForbiddenPairs as ForbiddenPairs
from .rules import ManyToMany as ManyToMany
from .rules import ManyToOne as ManyToOne
from .rules import MaxDistance as MaxDistance
from .rules import Nearest as Nearest
from .rules import OneToMany as OneToMany
from .rules import OneToOne as OneToOne
from .rules import Pairing as Pairing
from .rules import PairScore as PairScore
from .rules import PreferenceFit as PreferenceFit
from .rules import Preferences as Preferences
from .rules import SameRegion as SameRegion
from .rules import SharesDomain as SharesDomain
from .rules import Stronger as Stronger
from .rules import StrongToWeak as StrongToWeak
from .samples import load_sample as load_sample
from .samples import sample_names as sample_names
from .solve import solve as solve
from .teams import TeamResult as TeamResult
from .teams import Teams as Teams
from .teams import form_teams as form_teams
from .teams import validate_teams as validate_teams
from .validate import Validation as Validation
from .validate import blocking_pairs as blocking_pairs
from .validate import validate as validate

__version__ = "0.1.0"

logging.getLogger("banghdai").addHandler(logging.NullHandler())

__all__ = [
    "AvoidSame",
    "BalanceLoad",
    "BanghdaiError",
    "Closeness",
    "Compiled",
    "Coverage",
    "DistinctTypes",
    "DomainFit",
    "Explanation",
    "FixedPairs",
    "ForbiddenPairs",
    "InputError",
    "Load",
    "ManyToMany",
    "ManyToOne",
    "MaxDistance",
    "MaxMin",
    "Nearest",
    "OneToMany",
    "OneToOne",
    "PairScore",
    "Pairing",
    "PreferenceFit",
    "Preferences",
    "Problem",
    "Quota",
    "Result",
    "RoleTemplate",
    "Roster",
    "SameRegion",
    "ScalingWarning",
    "SharesDomain",
    "Status",
    "Stable",
    "StatusError",
    "StrongToWeak",
    "Stronger",
    "TeamResult",
    "Teams",
    "Validation",
    "ValidationError",
    "check",
    "blocking_pairs",
    "compile",
    "explain",
    "explain_pairs",
    "form_teams",
    "load_sample",
    "problem_from_rules",
    "read_roster",
    "read_rules",
    "read_table",
    "rematch",
    "sample_names",
    "solve",
    "validate",
    "validate_teams",
    "year2_scenario",
]
