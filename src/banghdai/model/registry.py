"""The one registry of rules: rules-file name → class, read by every layer above.

The rules file, :func:`banghdai.validate`, :func:`banghdai.check`,
:func:`banghdai.explain`, ``explain_pairs`` and the candidate funnel all look
rules up here. Adding a rule is one file, its tests and one line below (see
CONTRIBUTING.md).

Example
-------
>>> from banghdai.model.registry import RULES, of_kind
>>> RULES["same_region"].__name__
'SameRegion'
>>> sorted(of_kind("level"))
['balance_load', 'coverage', 'max_min']
"""

from __future__ import annotations

from .groups import DistinctTypes, Load, Quota, RoleTemplate, Stable
from .levels import BalanceLoad, Coverage, MaxMin
from .rule import Rule
from .rules.distance import Closeness, MaxDistance, Nearest
from .rules.domain import DomainFit, SharesDomain
from .rules.max_from_same_unit import MaxFromSameUnit
from .rules.preferences import PreferenceFit, Preferences
from .rules.region import AvoidSame, SameRegion
from .rules.strength import Stronger, StrongToWeak
from .rules.tables import FixedPairs, ForbiddenPairs, PairScore
from .rules.types import AllowedTypes

_CLASSES: tuple[type[Rule], ...] = (
    # edge rules (hard: which pairs may exist)
    SameRegion,
    AvoidSame,
    MaxDistance,
    Nearest,
    SharesDomain,
    Stronger,
    ForbiddenPairs,
    Preferences,
    AllowedTypes,
    # designations
    FixedPairs,
    # scores
    DomainFit,
    Closeness,
    StrongToWeak,
    PairScore,
    PreferenceFit,
    # group rules
    DistinctTypes,
    RoleTemplate,
    Quota,
    Load,
    Stable,
    MaxFromSameUnit,
    # objective levels
    Coverage,
    MaxMin,
    BalanceLoad,
)

#: Rules-file name → class.
RULES: dict[str, type[Rule]] = {cls.key: cls for cls in _CLASSES}
if len(RULES) != len(_CLASSES):  # pragma: no cover - a programming error
    raise RuntimeError("two rules share a rules-file name")


def of_kind(*kinds: str) -> dict[str, type[Rule]]:
    """The registered rules of the given kinds (edge, score, group, level, fixed; all
    when none is given)."""
    return {k: c for k, c in RULES.items() if not kinds or c.kind in kinds}


def classes(*kinds: str) -> tuple[type[Rule], ...]:
    """The registered classes of the given kinds, as a tuple for ``isinstance``."""
    return tuple(of_kind(*kinds).values())
