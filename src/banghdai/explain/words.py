"""Planner words for explanations: rule labels, column names, people, vectorised text.

Every explanation module builds its sentences from these helpers, so a rule,
a column or a person reads the same in every table (English or Chinese).

Example
-------
>>> import banghdai as bd
>>> from banghdai.explain.words import rule_label
>>> rule_label(bd.SameRegion("township").label(), "zh")
'同乡镇'
"""

from __future__ import annotations

import string

import numpy as np
import pandas as pd

from ..core.messages import COLUMN_ZH, check_lang, column_word, text, translate_label

LANGS = ("en", "zh")



def _check_lang(lang: str) -> str:
    return check_lang(lang)


def _zh_col(column: str) -> str:
    return COLUMN_ZH.get(column, column)


def rule_label(name: str, lang: str = "en") -> str:
    """A rule's funnel name (as in ``compiled.funnel``) in planner words.

    The name is the label a rule gave itself in English; the rule's message
    code renders it again in ``lang`` (see :mod:`banghdai.core.messages`).

    Example
    -------
    >>> import banghdai as bd
    >>> from banghdai.explain.words import rule_label
    >>> names = bd.MaxDistance(km=60).label(), bd.SameRegion("county").label()
    >>> rule_label(names[0], "zh"), rule_label(names[1], "zh")
    ('60公里内', '同县区')
    """
    return translate_label(name, lang)


def _quote(name: str, lang: str) -> str:
    return text("explain.quoted", lang, name=rule_label(name, lang))


def _texts(values: np.ndarray) -> np.ndarray:
    """Any array as an object array of Python strings."""
    values = np.asarray(values)
    if values.dtype == object:
        return np.array([v if isinstance(v, str) else str(v) for v in values.tolist()],
                        dtype=object)
    return values.astype(str).astype(object)


def _vformat(template: str, size: int, **columns: np.ndarray | str) -> np.ndarray:
    """``template.format(**row)`` for every row of equal-length columns, as an object array.

    Only plain ``{name}`` fields are supported; the loop runs over the
    template's pieces, never over the rows.
    """
    out = np.full(size, "", dtype=object)
    for literal, name, _spec, _conv in string.Formatter().parse(template):
        if literal:
            out = out + literal
        if name is not None:
            value = columns[name]
            out = out + (value if isinstance(value, str) else _texts(value))
    return out


def _joined(items: np.ndarray, heads: np.ndarray, counts: np.ndarray, show: int, sep: str,
            more: str) -> np.ndarray:
    """Per group of ``items`` (runs given by heads/counts): the first ``show`` joined by ``sep``,
    then ``more`` (a template with ``{n}``) when the group has more."""
    out = items[heads].copy()
    for r in range(1, show):
        has = counts > r
        out[has] = out[has] + sep + items[heads[has] + r]
    over = counts > show
    if over.any():
        out[over] = out[over] + sep + _vformat(more, int(over.sum()), n=counts[over] - show)
    return out


def _labels_of(table, rows: np.ndarray | None = None) -> np.ndarray:
    """'M0012 熊涛刚' per row (id and name when the table has names); all rows or ``rows``."""
    ids = _texts(table.ids if rows is None else table.ids[rows])
    if "name" in table.frame.columns:
        names = table.frame["name"].to_numpy(dtype=object)
        names = names if rows is None else names[rows]
        ok = np.fromiter((isinstance(v, str) and v != "" for v in names.tolist()), dtype=bool,
                         count=names.size)
        ids[ok] = ids[ok] + " " + names[ok]
    return ids


def _named(table, pos: int) -> str:
    """'M0012 熊涛刚' (id and name when the table has names)."""
    ident = str(table.ids[pos])
    if "name" in table.frame.columns:
        name = table.frame["name"].iloc[pos]
        if isinstance(name, str) and name:
            return f"{ident} {name}"
    return ident


def _labels(frame: pd.DataFrame, column: str | None, lang: str) -> np.ndarray:
    """Each row's value of ``column`` as text (regions), '(no county)' when empty."""
    if column is None or column not in frame.columns:
        return np.full(len(frame), "", dtype=object)
    values = frame[column].astype(object).where(frame[column].notna(), None).to_numpy(dtype=object)
    empty = text("explain.no_value", lang, column=column_word(column, lang))
    return np.array([empty if v is None or str(v).strip() == "" else str(v).strip()
                     for v in values], dtype=object)
