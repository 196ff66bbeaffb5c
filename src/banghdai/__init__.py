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

from . import report as report
from .api import Problem as Problem
from .api import Result as Result
from .api import Roster as Roster
from .api import explain as explain
from .api import load_sample as load_sample
from .api import problem_from_rules as problem_from_rules
from .api import read_roster as read_roster
from .api import rematch as rematch
from .api import solve as solve
from .api import year2_scenario as year2_scenario
from .apps.teams import TeamResult as TeamResult
from .apps.teams import Teams as Teams
from .apps.teams import form_teams as form_teams
from .apps.teams import validate_teams as validate_teams
from .checks.certificate import verify_certificate as verify_certificate
from .checks.validate import Validation as Validation
from .checks.validate import blocking_pairs as blocking_pairs
from .checks.validate import validate as validate
from .compile.graph import Compiled as Compiled
from .compile.graph import compile_problem as compile_problem
from .core.errors import BanghdaiError as BanghdaiError
from .core.errors import DataWarning as DataWarning
from .core.errors import InputError as InputError
from .core.errors import Msg as Msg
from .core.errors import ScalingWarning as ScalingWarning
from .core.errors import StatusError as StatusError
from .core.errors import ValidationError as ValidationError
from .core.messages import use_lang as use_lang
from .core.status import Status as Status
from .core.version import version
from .data import samples as samples
from .data.readers import read_table as read_table
from .data.samples import sample_names as sample_names
from .explain import Explanation as Explanation
from .explain import check as check
from .explain import explain_pairs as explain_pairs
from .model.groups import DistinctTypes as DistinctTypes
from .model.groups import Load as Load
from .model.groups import Quota as Quota
from .model.groups import RoleTemplate as RoleTemplate
from .model.groups import Stable as Stable
from .model.levels import BalanceLoad as BalanceLoad
from .model.levels import Coverage as Coverage
from .model.levels import MaxMin as MaxMin
from .model.rules import AvoidSame as AvoidSame
from .model.rules import Closeness as Closeness
from .model.rules import DomainFit as DomainFit
from .model.rules import FixedPairs as FixedPairs
from .model.rules import ForbiddenPairs as ForbiddenPairs
from .model.rules import ManyToMany as ManyToMany
from .model.rules import ManyToOne as ManyToOne
from .model.rules import MaxDistance as MaxDistance
from .model.rules import Nearest as Nearest
from .model.rules import OneToMany as OneToMany
from .model.rules import OneToOne as OneToOne
from .model.rules import Pairing as Pairing
from .model.rules import PairScore as PairScore
from .model.rules import PreferenceFit as PreferenceFit
from .model.rules import Preferences as Preferences
from .model.rules import SameRegion as SameRegion
from .model.rules import SharesDomain as SharesDomain
from .model.rules import Stronger as Stronger
from .model.rules import StrongToWeak as StrongToWeak
from .model.rules.max_from_same_unit import MaxFromSameUnit as MaxFromSameUnit
from .model.rules.types import AllowedTypes as AllowedTypes
from .rulesfile import read_rules as read_rules
from .rulesfile import write_rules as write_rules

__version__ = version()

logging.getLogger("banghdai").addHandler(logging.NullHandler())

# Every registered rule is public under its class name (``bd.SameRegion`` ...), imported by
# name above and listed below so that type checkers see it; tests/test_layers.py fails
# naming a registered rule missing here (see CONTRIBUTING.md).

__all__ = [
    "AllowedTypes",
    "AvoidSame",
    "BalanceLoad",
    "BanghdaiError",
    "Closeness",
    "Compiled",
    "Coverage",
    "DataWarning",
    "DistinctTypes",
    "DomainFit",
    "Explanation",
    "FixedPairs",
    "ForbiddenPairs",
    "InputError",
    "Msg",
    "use_lang",
    "Load",
    "ManyToMany",
    "ManyToOne",
    "MaxDistance",
    "MaxFromSameUnit",
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
    "compile_problem",
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
    "verify_certificate",
    "write_rules",
    "year2_scenario",
]
