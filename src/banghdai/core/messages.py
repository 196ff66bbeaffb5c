"""The message catalogue: codes → text in every language the library speaks.

Rules, scores and reasons are named by a *code* and parameters; the text a
person reads is looked up here, so a label is written once per language and
never translated back by pattern matching.

Example
-------
>>> from banghdai.core.messages import text
>>> import banghdai as bd  # the rules register their messages
>>> text("rule.same_region", "zh", level="县区")
'同县区'
>>> text("rule.same_region", "en", level="county")
'same county'
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator, Mapping
from contextvars import ContextVar

from .errors import InputError, Msg, Word

LANGS = ("en", "zh")

#: The language messages are rendered in when no language is given (see :func:`use_lang`).
_LANG: ContextVar[str] = ContextVar("banghdai_lang", default="en")

#: Column names as a Chinese planner says them (used inside labels).
COLUMN_ZH: dict[str, str] = {
    "province": "省", "city": "市", "county": "县区", "township": "乡镇", "village": "村",
    "rating": "评分", "domains": "领域", "type": "类型", "category": "类别", "tier": "层级",
    "unit": "单位", "role": "角色", "kind": "类型",
    "mentor_id": "导师", "mentee_id": "帮带对象",
}

CATALOGUE: dict[str, Mapping[str, str]] = {}


def register(code: str, **texts: str) -> str:
    """Add ``code`` with its text per language (``en=...``, ``zh=...``); returns the code."""
    missing = [lang for lang in LANGS if lang not in texts]
    if missing:
        raise ValueError(f"message {code!r} lacks {missing}")
    CATALOGUE[code] = dict(texts)
    return code


def check_lang(lang: str) -> str:
    """``lang`` if the library speaks it, else an InputError listing the choices."""
    if lang not in LANGS:
        raise InputError(Msg("lang.unknown", name=lang), column="lang", choices=list(LANGS))
    return lang


def current_lang() -> str:
    """The language errors and warnings are written in now: ``en`` unless :func:`use_lang`
    chose another.

    Example
    -------
    >>> from banghdai.core.messages import current_lang, use_lang
    >>> with use_lang("zh"):
    ...     current_lang()
    'zh'
    >>> current_lang()
    'en'
    """
    return _LANG.get()


@contextlib.contextmanager
def use_lang(lang: str) -> Iterator[str]:
    """Write errors and warnings raised inside the block in ``lang`` (``str(err)``; every
    error can still be shown in another language with ``err.text(lang)``).

    Example
    -------
    >>> import banghdai as bd
    >>> from banghdai.core.messages import use_lang
    >>> with use_lang("zh"):
    ...     err = bd.InputError(bd.Msg("input.empty_id"), table="mentors", row=0)
    >>> print(err)
    导师表第0行（从0数）：编号为空；请填写编号，或删去这一行
    >>> print(err.text("en"))
    mentors row 0: empty id; how to fix: fill in the id, or delete the row
    """
    token = _LANG.set(check_lang(lang))
    try:
        yield lang
    finally:
        _LANG.reset(token)


def env_lang(default: str = "en") -> str:
    """The language ``BANGHDAI_LANG`` (``en`` or ``zh``) asks for, else ``default``: how the
    command line picks its language when ``--lang`` is not given.

    Example
    -------
    >>> from banghdai.core.messages import env_lang
    >>> env_lang() in ("en", "zh")
    True
    """
    asked = os.environ.get("BANGHDAI_LANG", "").strip().lower()
    return asked if asked in LANGS else default


def table_word(table: str, lang: str) -> str:
    """A table as a planner says it: ``mentors`` → 导师表 in Chinese; a file name unchanged.

    Example
    -------
    >>> from banghdai.core.messages import table_word
    >>> table_word("fixed", "zh"), table_word("fixed", "en"), table_word("a.csv", "zh")
    ('固定结对表', 'fixed', 'a.csv')
    """
    code = f"table.{table}"
    return text(code, lang) if code in CATALOGUE else table


def word(name: str, lang: str) -> str:
    """``name`` (a column, table or rule label) as a planner says it in ``lang``.

    Example
    -------
    >>> from banghdai.core.messages import word
    >>> word("capacity", "zh"), word("mentors", "zh"), word("capacity", "en")
    ('导师带教人数上限（capacity）', '导师表', 'capacity')
    """
    name = str(name)
    if lang == "en":
        return name
    for code in (f"word.{name}", f"table.{name}"):
        if code in CATALOGUE:
            return text(code, lang)
    if name in COLUMN_ZH:
        return COLUMN_ZH[name]
    return translate_label(name, lang)


def column_word(column: str, lang: str) -> str:
    """A column as a planner says it: ``county`` → 县区 in Chinese, unchanged in English."""
    return COLUMN_ZH.get(column, column) if lang == "zh" else column


def register_hint(code: str, **texts: str) -> str:
    """Add how to fix the error ``code`` (``en=...``, ``zh=...``): shown after its message.

    Example
    -------
    >>> from banghdai.core.messages import hint_of
    >>> hint_of("input.empty_id", "en")
    'fill in the id, or delete the row'
    """
    return register(f"{code}.hint", **texts)


def hint_of(code: str, lang: str, **params: object) -> str | None:
    """The registered hint of ``code`` in ``lang`` (None when it has none)."""
    if f"{code}.hint" not in CATALOGUE:
        return None
    return text(f"{code}.hint", lang, **params)


def text(code: str, lang: str = "en", **params: object) -> str:
    """The text of ``code`` in ``lang`` with ``params`` filled in (a parameter that is a
    :class:`~banghdai.Msg` is rendered in ``lang`` too)."""
    check_lang(lang)
    try:
        template = CATALOGUE[code][lang]
    except KeyError:
        raise KeyError(f"no message {code!r}") from None
    shown = {k: v.text(lang) if isinstance(v, Msg) else word(v, lang) if isinstance(v, Word)
             else v for k, v in params.items()}
    return template.format(**shown)


#: English label of a rule instance → (code, parameters per language), recorded by the
#: rules when they name themselves, so a label can be shown in another language by
#: re-rendering its code — never by parsing the English words.
_LABELS: dict[str, tuple[str, dict[str, Mapping[str, object]]]] = {}


def labelled(code: str, params: Mapping[str, Mapping[str, object]]) -> str:
    """Render ``code`` in English, remembering how to render it in every language."""
    en = text(code, "en", **params["en"])
    _LABELS[en] = (code, dict(params))
    return en


def translate_label(label: str, lang: str) -> str:
    """A rule label (as the rule rendered it in English) in ``lang``; unknown text unchanged.

    Example
    -------
    >>> import banghdai as bd
    >>> from banghdai.core.messages import translate_label
    >>> translate_label(bd.SameRegion("county").label(), "zh")
    '同县区'
    """
    check_lang(lang)
    if lang == "en" or label not in _LABELS:
        return label
    code, params = _LABELS[label]
    return text(code, lang, **params[lang])


class Templates:
    """The catalogue's texts under ``<prefix>.`` as a table per language: ``table[lang]`` is
    ``{key: template}`` for a module that fills many templates (``w["none"].format(...)``).
    The words stay in the catalogue; this is only a view of them.

    Example
    -------
    >>> from banghdai.core.messages import Templates
    >>> Templates("unmatched")["zh"]["full"].format(c=2)
    '2名候选导师均已满额'
    """

    def __init__(self, prefix: str) -> None:
        self.prefix = f"{prefix}."

    def __getitem__(self, lang: str) -> dict[str, str]:
        check_lang(lang)
        cut = len(self.prefix)
        return {code[cut:]: texts[lang] for code, texts in CATALOGUE.items()
                if code.startswith(self.prefix)}


from . import catalogue as _catalogue  # noqa: E402,F401 - registers the input/CLI texts
