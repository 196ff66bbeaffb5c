"""Parameter checks shared by the rule classes (finite numbers, counts, choices, tables)."""

from __future__ import annotations

import math

import pandas as pd

from ...core.errors import InputError, Msg, Word


def check_choice(value: object, choices: tuple[str, ...], what: str) -> None:
    """``value`` must be one of ``choices``."""
    if value not in choices:
        raise InputError(Msg("input.unknown_choice", what=Word(what), value=value), column=what,
                         choices=list(choices))


def check_count(value: object, what: str, *, column_ok: bool = False) -> None:
    """A whole number >= 0 (or, with ``column_ok``, a column name)."""
    if column_ok and isinstance(value, str):
        return
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InputError(Msg("input.count", what=Word(what), value=value), column=what)


def check_number(value: object, what: str, *, positive: bool = False, minimum: float | None = None
                 ) -> None:
    """A finite real number (not a bool), optionally > 0 or >= ``minimum``."""
    number = (float(value) if not isinstance(value, bool) and isinstance(value, int | float)
              else math.nan)
    ok = math.isfinite(number)
    if ok and positive:
        ok = number > 0
    if ok and minimum is not None:
        ok = number >= minimum
    if not ok:
        need = Msg("input.need_positive") if positive else (
            Msg("input.need_at_least", minimum=f"{minimum:g}") if minimum is not None
            else Msg("input.need_finite"))
        raise InputError(Msg("input.must_be", what=Word(what), need=need, value=value),
                         column=what)


def check_weight(weight: object) -> None:
    """A score weight: a finite number >= 0."""
    check_number(weight, "weight", minimum=0)


def check_name(value: object, what: str) -> None:
    """A column or group name: a non-empty string."""
    if not isinstance(value, str) or not value.strip():
        raise InputError(Msg("input.column_name", what=Word(what), value=value), column=what)


def check_bool(value: object, what: str) -> None:
    """A true boolean (not the text "false")."""
    if not isinstance(value, bool):
        raise InputError(Msg("input.bool", what=Word(what), value=value), column=what)


def check_table(table: object, what: str) -> None:
    """A side table must be a pandas DataFrame."""
    if not isinstance(table, pd.DataFrame):
        raise InputError(Msg("input.table_not_frame", table=Word(what), got=type(table).__name__),
                         table=what)
