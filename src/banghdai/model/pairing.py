"""Pairing shapes (degree rules): how many pairs each mentor and mentee may have.

Build one with :func:`OneToOne`, :func:`OneToMany`, :func:`ManyToOne` or
:func:`ManyToMany`; :class:`Pairing` is the plain data they return.

Example
-------
>>> import banghdai as bd
>>> bd.OneToMany(capacity=2).shape
'one_to_many'
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from ..core.errors import InputError, Msg, Word

UNMATCHED_CHOICES = ("allow", "forbid")
SHAPES = ("one_to_one", "one_to_many", "many_to_one", "many_to_many")
SENSES = ("max", "min")


def _check_choice(value: object, choices: tuple[str, ...], what: str) -> None:
    if value not in choices:
        raise InputError(Msg("input.unknown_choice", what=Word(what), value=value), column=what,
                         choices=choices)


def _check_count(value: object, what: str) -> None:
    """A degree bound given as an int must be a non-negative whole number."""
    if isinstance(value, str):
        return
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InputError(
            Msg("input.count_or_column", what=Word(what), value=value),
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
                    Msg("input.penalty_needs_allow"),
                    column="unmatched_penalty",
                )
            if (isinstance(self.unmatched_penalty, bool)
                    or not isinstance(self.unmatched_penalty, int | float)
                    or not math.isfinite(self.unmatched_penalty) or self.unmatched_penalty < 0):
                raise InputError(
                    Msg("input.penalty_number", value=self.unmatched_penalty),
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
