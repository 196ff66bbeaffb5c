"""Declarative rules: pairing shapes (degree rules), edge rules and scores.

Every rule is a small frozen dataclass: pure data that :func:`banghdai.compile_problem`,
the backends, :func:`banghdai.validate` and the explanations read without the
solver. Three kinds:

* **pairing shapes** (degree rules): how many pairs each mentor and mentee may
  have — :func:`OneToOne`, :func:`OneToMany`, :func:`ManyToOne`,
  :func:`ManyToMany`;
* **edge rules** decide whether one mentor–mentee pair may exist:
  :class:`SameRegion` (帮带便捷), :class:`MaxDistance`, :class:`Nearest`,
  :class:`SharesDomain`
  (领域相近), :class:`Stronger` (以强带弱), :class:`AvoidSame` (跨村),
  :class:`ForbiddenPairs`, :class:`FixedPairs` (组织统筹);
* **scores** rate an allowed pair; their weighted sum is maximised:
  :class:`DomainFit`, :class:`Closeness`, :class:`StrongToWeak`,
  :class:`PairScore` (any affinity computed elsewhere).

Example
-------
>>> import banghdai as bd
>>> bd.SameRegion("county")
SameRegion(level='county')
>>> bd.OneToMany(capacity=2).shape
'one_to_many'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import pandas as pd

from ..core.errors import InputError

REGION_LEVELS = ("province", "city", "county", "township", "village")
UNMATCHED_CHOICES = ("allow", "forbid")
SHAPES = ("one_to_one", "one_to_many", "many_to_one", "many_to_many")
SENSES = ("max", "min")


def _check_choice(value: object, choices: tuple[str, ...], what: str) -> None:
    if value not in choices:
        raise InputError(f"unknown {what} {value!r}", column=what, choices=choices)


def _check_count(value: object, what: str) -> None:
    """A degree bound given as an int must be a non-negative whole number."""
    if isinstance(value, str):
        return
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InputError(
            f"{what} must be a non-negative integer or a column name, got {value!r}",
            column=what,
        )


# --------------------------------------------------------------------------- shapes
@dataclass(frozen=True)
class Pairing:
    """Degree rules: how many pairs each mentor and each mentee may have.

    Build it with :func:`OneToOne`, :func:`OneToMany`, :func:`ManyToOne` or
    :func:`ManyToMany`. ``capacity``, ``min_load`` and ``mentors_per_mentee``
    are an integer for everybody or the name of a column holding one per row.

    ``unmatched="allow"`` lets a mentee get fewer mentors than it needs: with
    ``unmatched_penalty=None`` coverage (the number of filled mentor slots) is
    maximised first and the scores second; a number instead charges that
    penalty (in score units) per missing mentor. ``unmatched="forbid"`` makes
    every mentee get exactly its number of mentors, so the problem may be
    infeasible.

    Example
    -------
    >>> import banghdai as bd
    >>> p = bd.ManyToMany(capacity="capacity", mentors_per_mentee=2)
    >>> (p.shape, p.capacity, p.mentors_per_mentee, p.unmatched)
    ('many_to_many', 'capacity', 2, 'allow')
    """

    shape: str = "one_to_one"
    capacity: int | str = 1
    mentors_per_mentee: int | str = 1
    min_load: int | str = 0
    unmatched: Literal["allow", "forbid"] = "allow"
    unmatched_penalty: float | None = None

    def __post_init__(self) -> None:
        _check_choice(self.shape, SHAPES, "shape")
        _check_choice(self.unmatched, UNMATCHED_CHOICES, "unmatched")
        _check_count(self.capacity, "capacity")
        _check_count(self.mentors_per_mentee, "mentors_per_mentee")
        _check_count(self.min_load, "min_load")
        if self.unmatched_penalty is not None:
            if self.unmatched == "forbid":
                raise InputError(
                    "unmatched_penalty only applies with unmatched='allow'",
                    column="unmatched_penalty",
                )
            if not isinstance(self.unmatched_penalty, int | float) or self.unmatched_penalty < 0:
                raise InputError(
                    f"unmatched_penalty must be a number >= 0, got {self.unmatched_penalty!r}",
                    column="unmatched_penalty",
                )


def OneToOne(  # noqa: N802 - reads as a type in user code
    *, unmatched: Literal["allow", "forbid"] = "allow", unmatched_penalty: float | None = None
) -> Pairing:
    """One mentor, one mentee (一对一 定向帮带).

    Example
    -------
    >>> import banghdai as bd
    >>> bd.OneToOne().capacity
    1
    """
    return Pairing("one_to_one", 1, 1, 0, unmatched, unmatched_penalty)


def OneToMany(  # noqa: N802
    capacity: int | str = 1,
    *,
    min_load: int | str = 0,
    unmatched: Literal["allow", "forbid"] = "allow",
    unmatched_penalty: float | None = None,
) -> Pairing:
    """One mentor, several mentees up to ``capacity`` (一对多 多点培养).

    Example
    -------
    >>> import banghdai as bd
    >>> bd.OneToMany(capacity="capacity", min_load=1).min_load
    1
    """
    return Pairing("one_to_many", capacity, 1, min_load, unmatched, unmatched_penalty)


def ManyToOne(  # noqa: N802
    mentors_per_mentee: int | str = 2,
    *,
    unmatched: Literal["allow", "forbid"] = "allow",
    unmatched_penalty: float | None = None,
) -> Pairing:
    """Several mentors for one key mentee, each mentor with one mentee (多对一 重点培养).

    Example
    -------
    >>> import banghdai as bd
    >>> bd.ManyToOne(3).mentors_per_mentee
    3
    """
    return Pairing("many_to_one", 1, mentors_per_mentee, 0, unmatched, unmatched_penalty)


def ManyToMany(  # noqa: N802
    capacity: int | str = 2,
    mentors_per_mentee: int | str = 2,
    *,
    min_load: int | str = 0,
    unmatched: Literal["allow", "forbid"] = "allow",
    unmatched_penalty: float | None = None,
) -> Pairing:
    """Mentors with capacities and mentees needing several mentors (多对多).

    Example
    -------
    >>> import banghdai as bd
    >>> bd.ManyToMany(capacity=3, mentors_per_mentee="mentors_required").shape
    'many_to_many'
    """
    return Pairing(
        "many_to_many", capacity, mentors_per_mentee, min_load, unmatched, unmatched_penalty
    )


# --------------------------------------------------------------------------- edge rules
@dataclass(frozen=True)
class SameRegion:
    """Mentor and mentee in the same region at ``level`` (帮带便捷, 就地就近).

    ``level`` is a column present in both tables, usually one of
    province/city/county/township/village. Empty values never match.

    Example
    -------
    >>> import banghdai as bd
    >>> bd.SameRegion("township").level
    'township'
    """

    level: str = "county"


@dataclass(frozen=True)
class MaxDistance:
    """Great-circle distance between mentor and mentee at most ``km``.

    Needs ``lat``/``lon`` columns in both tables.

    Example
    -------
    >>> import banghdai as bd
    >>> bd.MaxDistance(km=25).km
    25
    """

    km: float

    def __post_init__(self) -> None:
        if not isinstance(self.km, int | float) or not self.km > 0:
            raise InputError(f"km must be a positive number, got {self.km!r}", column="km")


@dataclass(frozen=True)
class Nearest:
    """Only each mentee's ``k`` geographically nearest mentors (就近), ties included.

    A pair passes when its great-circle distance is at most the distance from
    the mentee to its k-th nearest mentor with coordinates. Found with a k-d
    tree, so it scales to provinces: 200,000 mentees × 20 candidates is 4
    million pairs, never a dense matrix.

    Example
    -------
    >>> import banghdai as bd
    >>> bd.Nearest(k=20).k
    20
    """

    k: int = 20

    def __post_init__(self) -> None:
        if isinstance(self.k, bool) or not isinstance(self.k, int) or self.k < 1:
            raise InputError(f"k must be a positive integer, got {self.k!r}", column="k")


@dataclass(frozen=True)
class SharesDomain:
    """Mentor and mentee share at least ``min_shared`` domain tags (领域相近).

    Tags are a list or a ``;``-separated string in ``mentor_column`` and
    ``mentee_column`` (both ``domains`` by default).

    Example
    -------
    >>> import banghdai as bd
    >>> bd.SharesDomain(min_shared=2).min_shared
    2
    """

    min_shared: int = 1
    mentor_column: str = "domains"
    mentee_column: str = "domains"

    def __post_init__(self) -> None:
        _check_count(self.min_shared, "min_shared")


@dataclass(frozen=True)
class Stronger:
    """The mentor is stronger than the mentee by column ``by`` (以强带弱).

    Holds when ``mentor[by] - mentee[by] > margin`` (``>=`` with
    ``strict=False``), compared with a 1e-9 tolerance so that decimal ratings
    behave as written (4.4 - 3.4 is not "more than 1.0"). The column must be
    numeric in both tables.

    Example
    -------
    >>> import banghdai as bd
    >>> bd.Stronger(by="rating", margin=0.5).margin
    0.5
    """

    by: str = "rating"
    margin: float = 0.0
    strict: bool = True


@dataclass(frozen=True)
class AvoidSame:
    """Mentor and mentee must differ in ``column`` (跨村: not the same village or unit).

    Empty values never count as the same.

    Example
    -------
    >>> import banghdai as bd
    >>> bd.AvoidSame("village").column
    'village'
    """

    column: str


def _pair_table_check(table: object, what: str) -> None:
    if not isinstance(table, pd.DataFrame):
        raise InputError(f"{what} needs a pandas DataFrame, got {type(table).__name__}", table=what)


@dataclass(frozen=True, eq=False)
class ForbiddenPairs:
    """Pairs that must not be formed (回避, vetoes): a table of mentor and mentee ids.

    Example
    -------
    >>> import pandas as pd, banghdai as bd
    >>> rule = bd.ForbiddenPairs(pd.DataFrame({"mentor_id": ["M1"], "mentee_id": ["E1"]}))
    >>> len(rule.table)
    1
    """

    table: pd.DataFrame
    mentor: str = "mentor_id"
    mentee: str = "mentee_id"

    def __post_init__(self) -> None:
        _pair_table_check(self.table, "forbidden")


@dataclass(frozen=True, eq=False)
class FixedPairs:
    """Pairs that must be formed (组织统筹 designations): a hard rule, never a cost.

    It is an error if a fixed pair breaks another hard rule.

    Example
    -------
    >>> import pandas as pd, banghdai as bd
    >>> rule = bd.FixedPairs(pd.DataFrame({"mentor_id": ["M1"], "mentee_id": ["E1"]}))
    >>> rule.mentor
    'mentor_id'
    """

    table: pd.DataFrame
    mentor: str = "mentor_id"
    mentee: str = "mentee_id"

    def __post_init__(self) -> None:
        _pair_table_check(self.table, "fixed")


@dataclass(frozen=True, eq=False)
class Preferences:
    """Two-sided preferences (双向自愿): ranks per pair, 1 = first choice.

    ``table`` has mentor ids, mentee ids, the mentee's rank of the mentor
    (``mentee_rank``) and/or the mentor's rank of the mentee (``mentor_rank``);
    a blank rank means "not on my list". With ``restrict=True`` (the menu:
    你来点单) only pairs ranked by every side given are candidates; vetoes go
    in :class:`ForbiddenPairs`, designations in :class:`FixedPairs`. Use
    :class:`PreferenceFit` to score satisfaction and :class:`Stable` to forbid
    blocking pairs.

    Example
    -------
    >>> import pandas as pd, banghdai as bd
    >>> t = pd.DataFrame({"mentor_id": ["M1"], "mentee_id": ["E1"], "mentee_rank": [1]})
    >>> bd.Preferences(t, mentor_rank=None).mentee_rank
    'mentee_rank'
    """

    table: pd.DataFrame
    mentee_rank: str | None = "mentee_rank"
    mentor_rank: str | None = "mentor_rank"
    restrict: bool = True
    mentor: str = "mentor_id"
    mentee: str = "mentee_id"

    def __post_init__(self) -> None:
        _pair_table_check(self.table, "preferences")
        if self.mentee_rank is None and self.mentor_rank is None:
            raise InputError("Preferences needs mentee_rank= and/or mentor_rank=",
                             table="preferences", column="mentee_rank")


EDGE_RULES = (
    SameRegion, MaxDistance, Nearest, SharesDomain, Stronger, AvoidSame, ForbiddenPairs,
    Preferences,
)


# --------------------------------------------------------------------------- scores
def _check_weight(weight: object) -> None:
    if isinstance(weight, bool) or not isinstance(weight, int | float) or weight < 0:
        raise InputError(f"weight must be a number >= 0, got {weight!r}", column="weight")


@dataclass(frozen=True)
class DomainFit:
    """Score: share of the mentee's needs the mentor covers, from 0 to 1 (领域相近).

    Example
    -------
    >>> import banghdai as bd
    >>> bd.DomainFit(weight=3).weight
    3
    """

    weight: float = 1.0
    mentor_column: str = "domains"
    mentee_column: str = "domains"

    def __post_init__(self) -> None:
        _check_weight(self.weight)


@dataclass(frozen=True)
class Closeness:
    """Score: ``max(0, 1 - km / scale_km)``, 1 at the same place (帮带便捷).

    Example
    -------
    >>> import banghdai as bd
    >>> bd.Closeness(weight=1, scale_km=30).scale_km
    30
    """

    weight: float = 1.0
    scale_km: float = 50.0

    def __post_init__(self) -> None:
        _check_weight(self.weight)
        if not isinstance(self.scale_km, int | float) or not self.scale_km > 0:
            raise InputError("scale_km must be a positive number", column="scale_km")


@dataclass(frozen=True)
class StrongToWeak:
    """Score: strongest mentors to the weakest mentees (以强带弱).

    ``s(mentor) * (1 - s(mentee))`` where ``s`` rescales column ``by`` to
    0..1 over both tables; by the rearrangement inequality the sum is largest
    when strong mentors take weak mentees.

    Example
    -------
    >>> import banghdai as bd
    >>> bd.StrongToWeak(by="rating").by
    'rating'
    """

    by: str = "rating"
    weight: float = 1.0

    def __post_init__(self) -> None:
        _check_weight(self.weight)


@dataclass(frozen=True, eq=False)
class PairScore:
    """A score per pair computed elsewhere (affinities, costs, ranks).

    ``table`` has mentor ids, mentee ids and the ``column`` score. With
    ``restrict=True`` only the listed pairs are candidates; otherwise
    unlisted pairs score 0. ``sense="min"`` treats the column as a cost.

    Example
    -------
    >>> import pandas as pd, banghdai as bd
    >>> t = pd.DataFrame({"mentor_id": ["M1"], "mentee_id": ["E1"], "cost": [4]})
    >>> bd.PairScore(t, column="cost", sense="min").sense
    'min'
    """

    table: pd.DataFrame
    column: str = "score"
    weight: float = 1.0
    sense: Literal["max", "min"] = "max"
    restrict: bool = True
    mentor: str = "mentor_id"
    mentee: str = "mentee_id"
    name: str | None = field(default=None)

    def __post_init__(self) -> None:
        _pair_table_check(self.table, "pair_scores")
        _check_weight(self.weight)
        _check_choice(self.sense, SENSES, "sense")

    @property
    def label(self) -> str:
        """Column name used for this score in ``result.pairs``."""
        return self.name or self.column


@dataclass(frozen=True)
class PreferenceFit:
    """Score: preference satisfaction from :class:`Preferences` ranks, 0 to 1 per side.

    A pair ranked ``r`` in a list of length ``L`` scores ``(L - r + 1) / L``
    (first choice 1); ``side`` is "mentee", "mentor" or "both" (the mean).
    Unranked pairs score 0.

    Example
    -------
    >>> import banghdai as bd
    >>> bd.PreferenceFit(weight=2, side="mentee").side
    'mentee'
    """

    weight: float = 1.0
    side: Literal["mentee", "mentor", "both"] = "both"

    def __post_init__(self) -> None:
        _check_weight(self.weight)
        _check_choice(self.side, ("mentee", "mentor", "both"), "side")


SCORES = (DomainFit, Closeness, StrongToWeak, PairScore, PreferenceFit)

EdgeRule = SameRegion | MaxDistance | Nearest | SharesDomain | Stronger | AvoidSame | ForbiddenPairs
Score = DomainFit | Closeness | StrongToWeak | PairScore | PreferenceFit
