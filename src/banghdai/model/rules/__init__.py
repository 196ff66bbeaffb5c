"""Edge rules and scores, one file per family.

* ``region.py`` — :class:`SameRegion` (帮带便捷), :class:`AvoidSame` (跨村 / 回避);
* ``distance.py`` — :class:`MaxDistance`, :class:`Nearest`, :class:`Closeness`;
* ``domain.py`` — :class:`SharesDomain`, :class:`DomainFit` (领域相近);
* ``strength.py`` — :class:`Stronger`, :class:`StrongToWeak` (以强带弱);
* ``tables.py`` — :class:`ForbiddenPairs`, :class:`FixedPairs` (组织统筹), :class:`PairScore`;
* ``preferences.py`` — :class:`Preferences`, :class:`PreferenceFit` (双向自愿).

The pairing shapes (degree rules) are in :mod:`banghdai.model.pairing`.

Example
-------
>>> import banghdai as bd
>>> bd.SameRegion("county")
SameRegion(level='county')
"""

from ..pairing import (
    SHAPES,
    ManyToMany,
    ManyToOne,
    OneToMany,
    OneToOne,
    Pairing,
)
from .distance import Closeness, MaxDistance, Nearest
from .domain import DomainFit, SharesDomain
from .preferences import PreferenceFit, Preferences
from .region import REGION_LEVELS, AvoidSame, SameRegion
from .strength import Stronger, StrongToWeak
from .tables import FixedPairs, ForbiddenPairs, PairScore, PairTableRule

__all__ = [
    "REGION_LEVELS", "SHAPES", "AvoidSame", "Closeness", "DomainFit", "FixedPairs",
    "ForbiddenPairs", "ManyToMany", "ManyToOne", "MaxDistance", "Nearest", "OneToMany",
    "OneToOne", "PairScore", "PairTableRule", "Pairing", "PreferenceFit", "Preferences",
    "SameRegion", "SharesDomain", "StrongToWeak", "Stronger",
]
