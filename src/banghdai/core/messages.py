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

from collections.abc import Mapping

from .errors import InputError

LANGS = ("en", "zh")

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
        raise InputError(f"unknown language {lang!r}", column="lang", choices=list(LANGS))
    return lang


def column_word(column: str, lang: str) -> str:
    """A column as a planner says it: ``county`` → 县区 in Chinese, unchanged in English."""
    return COLUMN_ZH.get(column, column) if lang == "zh" else column


def text(code: str, lang: str = "en", **params: object) -> str:
    """The text of ``code`` in ``lang`` with ``params`` filled in."""
    check_lang(lang)
    try:
        template = CATALOGUE[code][lang]
    except KeyError:
        raise KeyError(f"no message {code!r}") from None
    return template.format(**params)


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
