"""Exceptions and warnings raised by banghdai.

Example
-------
>>> import banghdai as bd
>>> issubclass(bd.InputError, ValueError)
True
"""

from __future__ import annotations

from typing import TypedDict


class BanghdaiError(Exception):
    """Base class of every error banghdai raises on purpose.

    Example
    -------
    >>> import banghdai as bd
    >>> issubclass(bd.InputError, bd.BanghdaiError)
    True
    """


class Msg:
    """A message by catalogue code and parameters, written in any language on demand.

    The texts live in :mod:`banghdai.core.messages` (``register(code, en=..., zh=...)``);
    a parameter may itself be a ``Msg`` (rendered in the same language).

    Example
    -------
    >>> import banghdai as bd
    >>> m = bd.Msg("input.duplicate_id", first=3)
    >>> m.text("en"), m.text("zh")
    ('duplicate id (first seen at row 3)', '编号重复（第一次出现在第3行）')
    """

    __slots__ = ("code", "params")

    def __init__(self, code: str, /, **params: object) -> None:
        self.code = code
        self.params = params

    def text(self, lang: str = "en") -> str:
        """This message in ``lang``."""
        from .messages import text

        return text(self.code, lang, **self.params)

    def hint(self, lang: str = "en") -> str | None:
        """How to fix it in ``lang``, when the catalogue has a hint for this code."""
        from .messages import hint_of

        return hint_of(self.code, lang, **self.params)

    def __str__(self) -> str:
        from .messages import current_lang

        return self.text(current_lang())

    def __repr__(self) -> str:
        return f"Msg({self.code!r}, **{self.params!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Msg) and (self.code, self.params) == (other.code, other.params)

    def __hash__(self) -> int:
        return hash(self.code)


class Word(str):
    """A word inside a message that has a planner's name in each language: a column
    (``capacity``), a table (``mentors``) or a rule label; shown as is in English and
    from the catalogue (``word.<name>``, ``table.<name>``, the rule's own label) in Chinese.

    Example
    -------
    >>> import banghdai as bd
    >>> from banghdai.core.errors import Word
    >>> bd.Msg("input.degree", what=Word("capacity"), max=9, value=-1).text("zh")
    '导师带教人数上限（capacity）必须是0到9之间的整数，现为 -1'
    """

    __slots__ = ()


def _render(value: str | Msg | None, lang: str) -> str | None:
    return value.text(lang) if isinstance(value, Msg) else value


class Place(TypedDict, total=False):
    """Keyword arguments that place an :class:`InputError` in the file a table came from
    (``InputError(msg, table=..., **place)``): the file and its spreadsheet row.

    Example
    -------
    >>> from banghdai.core.errors import InputError, Place
    >>> place: Place = {"file": "mentors.csv", "excel_row": 7}
    >>> InputError("bad", table="mentors", **place).excel_row
    7
    """

    file: str
    excel_row: int


class At(Place, total=False):
    """A :class:`Place` with the table, the caller's 0-based row and the id.

    Example
    -------
    >>> from banghdai.core.errors import At, InputError
    >>> at: At = {"table": "mentors", "row": 0, "id": "M1"}
    >>> InputError("bad", column="x", **at).row
    0
    """

    table: str
    row: int
    id: object


class Where(TypedDict):
    """Every keyword argument that places an :class:`InputError` (see
    :meth:`InputError.where`).

    Example
    -------
    >>> import banghdai as bd
    >>> sorted(bd.InputError("bad", table="fixed").where())[:3]
    ['choices', 'column', 'excel_row']
    """

    table: str | None
    row: int | None
    id: object
    column: str | None
    choices: list[str] | tuple[str, ...] | None
    file: str | None
    excel_row: int | None
    hint: str | Msg | None
    lang: str | None


class InputError(BanghdaiError, ValueError):
    """Bad input, refused before any solving.

    The message names the table, the row (0-based position in the caller's
    table), the id, the column and, where there is a closed set, the valid
    choices. A table read from a file also names the file and the row a
    spreadsheet shows (``excel_row``: the header is row 1 when it is the first
    line). The same facts are kept as attributes for programs.

    The message is a :class:`Msg` (a catalogue code and its parameters) or plain
    text; a catalogued message carries its hint (how to fix it) and is written in
    any language: ``str(err)`` in the language current when it was raised
    (English unless :func:`banghdai.core.messages.use_lang` chose another),
    ``err.text("zh")`` in Chinese, where the place is the spreadsheet row alone.

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
    >>> err = bd.InputError(bd.Msg("input.duplicate_id", first=2), table="mentors", row=3,
    ...                     id="M1", file="mentors.csv", excel_row=5)
    >>> print(err.text("zh"))
    导师表（mentors.csv 第5行），编号“M1”：编号重复（第一次出现在第2行）；请删去重复的一行，或给其中一人换一个编号
    >>> err.code, err.params
    ('input.duplicate_id', {'first': 2})
    """

    def __init__(
        self,
        message: str | Msg,
        *,
        table: str | None = None,
        row: int | None = None,
        id: object | None = None,  # noqa: A002 - the natural name in messages
        column: str | None = None,
        choices: list[str] | tuple[str, ...] | None = None,
        file: str | None = None,
        excel_row: int | None = None,
        hint: str | Msg | None = None,
        lang: str | None = None,
    ) -> None:
        from .messages import current_lang

        self.table = table
        self.file = file
        self.excel_row = excel_row
        self.row = row
        self.id = id
        self.column = column
        self.choices = list(choices) if choices is not None else None
        self.msg = message if isinstance(message, Msg) else None
        self.code = self.msg.code if self.msg is not None else None
        self.params = dict(self.msg.params) if self.msg is not None else {}
        self._message = message
        self._hint = hint
        self.message = _render(message, "en")
        self.lang = lang or current_lang()
        super().__init__(self.text(self.lang))

    def where(self) -> Where:
        """The place as keyword arguments (to raise the same error again with more facts).

        Example
        -------
        >>> import banghdai as bd
        >>> bd.InputError("bad", table="fixed", row=1).where()["row"]
        1
        """
        return {"table": self.table, "row": self.row, "id": self.id, "column": self.column,
                "choices": self.choices, "file": self.file, "excel_row": self.excel_row,
                "hint": self._hint, "lang": self.lang}

    @property
    def content(self) -> str | Msg:
        """The message as given: a :class:`Msg` or plain text."""
        return self._message

    def hint(self, lang: str = "en") -> str | None:
        """How to fix the input, in ``lang`` (None when the message has no hint)."""
        if self._hint is not None:
            return _render(self._hint, lang)
        return self.msg.hint(lang) if self.msg is not None else None

    def text(self, lang: str = "en") -> str:
        """The whole error (place, message, choices, hint) in ``lang``."""
        message = _render(self._message, lang) or ""
        if lang == "zh":
            return self._zh(message)
        where = []
        table, row, file, excel_row = self.table, self.row, self.file, self.excel_row
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
        if self.id is not None:
            where.append(f"id {self.id!r}")
        prefix = " ".join(where)
        if self.column is not None:
            prefix = f"{prefix}, column {self.column!r}" if prefix else f"column {self.column!r}"
        out = f"{prefix}: {message}" if prefix else message
        if self.choices is not None:
            shown = ", ".join(repr(c) for c in self.choices[:30])
            more = " …" if len(self.choices) > 30 else ""
            out += f" (valid choices: {shown}{more})"
        hint = self.hint("en")
        if hint:
            out += f"; how to fix: {hint}"
        return out

    def _zh(self, message: str) -> str:
        from .messages import table_word

        table, file, excel_row = self.table, self.file, self.excel_row
        head = ""
        if table is not None and not (file is not None and file == table):
            head = table_word(str(table), "zh")
        if excel_row is not None:
            head += f"（{file or '表格'} 第{excel_row}行）" if head else f"{file or '表格'} 第{excel_row}行"
        elif file is not None:
            head += f"（{file}）" if head else str(file)
        elif self.row is not None:
            head += f"第{self.row}行（从0数）"
        parts = [head] if head else []
        if self.id is not None:
            parts.append(f"编号“{self.id}”")
        if self.column is not None:
            column = str(self.column)
            kind = "列" if table is not None else "选项" if column.startswith("-") else "设置项"
            parts.append(f"{kind}“{column}”")
        prefix = "，".join(parts)
        out = f"{prefix}：{message}" if prefix else message
        if self.choices is not None:
            shown = "、".join(f"“{c}”" for c in self.choices[:30])
            more = "……" if len(self.choices) > 30 else ""
            out += f"（可选：{shown}{more}）"
        hint = self.hint("zh")
        if hint:
            out += f"；{hint}"
        return out


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


class _SaysWarning(UserWarning):
    """A warning whose message is a :class:`Msg` (or plain text), written in the language
    current when it was raised; ``text(lang)`` writes it in another."""

    def __init__(self, message: str | Msg = "", lang: str | None = None) -> None:
        from .messages import current_lang

        self.msg = message if isinstance(message, Msg) else None
        self._message = message
        self.lang = lang or current_lang()
        super().__init__(self.text(self.lang))

    def text(self, lang: str = "en") -> str:
        """The warning in ``lang``."""
        return _render(self._message, lang) or ""


class ScalingWarning(_SaysWarning):
    """Float scores had to be rounded to integers and precision was lost.

    Example
    -------
    >>> import banghdai as bd
    >>> issubclass(bd.ScalingWarning, UserWarning)
    True
    """


class DataWarning(_SaysWarning):
    """The input is usable but something in it will surprise you (e.g. rows without
    coordinates under a distance rule: they get no candidate).

    Example
    -------
    >>> import banghdai as bd
    >>> issubclass(bd.DataWarning, UserWarning)
    True
    """


# Shown as ``banghdai.InputError`` etc. in tracebacks: the public name, not the module path.
for _cls in (Msg, Word, BanghdaiError, InputError, StatusError, ValidationError, ScalingWarning,
             DataWarning):
    _cls.__module__ = "banghdai"
del _cls
