"""Exceptions and warnings raised by banghdai.

Example
-------
>>> import banghdai as bd
>>> issubclass(bd.InputError, ValueError)
True
"""

from __future__ import annotations


class BanghdaiError(Exception):
    """Base class of every error banghdai raises on purpose.

    Example
    -------
    >>> import banghdai as bd
    >>> issubclass(bd.InputError, bd.BanghdaiError)
    True
    """


class InputError(BanghdaiError, ValueError):
    """Bad input, refused before any solving.

    The message names the table, the row (0-based position in the caller's
    table), the id, the column and, where there is a closed set, the valid
    choices. A table read from a file also names the file and the row a
    spreadsheet shows (``excel_row``: the header is row 1 when it is the first
    line). The same facts are kept as attributes for programs.

    Example
    -------
    >>> import banghdai as bd
    >>> err = bd.InputError("capacity must be >= 0", table="mentors", row=3, column="capacity")
    >>> print(err)
    mentors row 3, column 'capacity': capacity must be >= 0
    >>> print(bd.InputError("duplicate id", table="mentors", row=3, file="mentors.csv",
    ...                     excel_row=5))
    mentors row 3 (mentors.csv row 5): duplicate id
    >>> print(bd.InputError("2 fields, the header has 3", table="mentors.csv",
    ...                     file="mentors.csv", excel_row=5))
    mentors.csv row 5: 2 fields, the header has 3
    """

    def __init__(
        self,
        message: str,
        *,
        table: str | None = None,
        row: int | None = None,
        id: object | None = None,  # noqa: A002 - the natural name in messages
        column: str | None = None,
        choices: list[str] | tuple[str, ...] | None = None,
        file: str | None = None,
        excel_row: int | None = None,
    ) -> None:
        self.table = table
        self.file = file
        self.excel_row = excel_row
        self.row = row
        self.id = id
        self.column = column
        self.choices = list(choices) if choices is not None else None
        where = []
        if table is not None:
            where.append(str(table))
        if row is not None:
            where.append(f"row {row}")
        if file is not None and file == table and row is None:
            if excel_row is not None:  # an error in the file itself: its row as a spreadsheet shows it
                where.append(f"row {excel_row}")
        elif excel_row is not None or file is not None:
            shown = f"{file or 'spreadsheet'} row {excel_row}" if excel_row is not None else file
            where.append(f"({shown})")
        if id is not None:
            where.append(f"id {id!r}")
        prefix = " ".join(where)
        if column is not None:
            prefix = f"{prefix}, column {column!r}" if prefix else f"column {column!r}"
        text = f"{prefix}: {message}" if prefix else message
        if self.choices is not None:
            shown = ", ".join(repr(c) for c in self.choices[:30])
            more = " …" if len(self.choices) > 30 else ""
            text += f" (valid choices: {shown}{more})"
        self.message = message
        super().__init__(text)


class StatusError(BanghdaiError, RuntimeError):
    """Raised by :meth:`Result.raise_for_status` when no usable pairing exists.

    Example
    -------
    >>> import banghdai as bd
    >>> issubclass(bd.StatusError, RuntimeError)
    True
    """


class ValidationError(BanghdaiError, AssertionError):
    """Raised by :meth:`Validation.raise_if_invalid`; ``.violations`` holds the table.

    Example
    -------
    >>> import banghdai as bd
    >>> issubclass(bd.ValidationError, AssertionError)
    True
    """

    def __init__(self, message: str, violations: object = None) -> None:
        super().__init__(message)
        self.violations = violations


class ScalingWarning(UserWarning):
    """Float scores had to be rounded to integers and precision was lost.

    Example
    -------
    >>> import banghdai as bd
    >>> issubclass(bd.ScalingWarning, UserWarning)
    True
    """


class DataWarning(UserWarning):
    """The input is usable but something in it will surprise you (e.g. rows without
    coordinates under a distance rule: they get no candidate).

    Example
    -------
    >>> import banghdai as bd
    >>> issubclass(bd.DataWarning, UserWarning)
    True
    """


# Shown as ``banghdai.InputError`` etc. in tracebacks: the public name, not the module path.
for _cls in (BanghdaiError, InputError, StatusError, ValidationError, ScalingWarning,
             DataWarning):
    _cls.__module__ = "banghdai"
del _cls
