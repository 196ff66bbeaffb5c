"""The report's words, kept in the message catalogue, and column headers in the reader's language.

Every label the printed papers show is registered in :mod:`banghdai.core.messages`
under ``report.<key>`` (or ``papers.<key>``) in English and Chinese; the report modules
read their tables from here. :func:`column_label` gives a column's header as a
reader sees it: the roster's own header always wins, and a library column name
(``unit_post``, ``phone``, ``county`` …) is shown in Chinese under ``lang="zh"``.

Example
-------
>>> from banghdai.report.words import column_label
>>> column_label("unit_post", "unit_post", "zh"), column_label("unit_post", "职务", "zh")
('单位职务', '职务')
>>> column_label("county", "county", "en")
'county'
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..core.messages import CATALOGUE, register

__all__ = ["ZH_HEADERS", "catalogue", "column_label", "word"]

#: Chinese headers for the library's own column names (used only where the roster itself
#: used the English name: its own words always win).
ZH_HEADERS: dict[str, str] = {
    "mentor_id": "导师编号", "mentee_id": "对象编号", "id": "编号", "name": "姓名",
    "kind": "主体类型", "province": "省", "city": "市", "county": "县区", "township": "乡镇",
    "village": "村（社区）", "unit": "单位", "post": "职务", "position": "职务",
    "unit_post": "单位职务", "phone": "联系电话", "mobile": "手机号码", "tel": "联系电话",
    "gender": "性别", "sex": "性别", "age": "年龄", "birth": "出生年月", "education": "学历",
    "party": "政治面貌", "ethnicity": "民族", "note": "备注", "notes": "备注", "remark": "备注",
    "category": "类别", "type": "类型", "tier": "层级", "source": "来源", "role": "角色",
    "domains": "领域", "rating": "评分", "capacity": "帮带上限", "load": "帮带负荷",
    "mentors_required": "导师人数", "priority": "优先级", "lat": "纬度", "lon": "经度",
    "email": "电子邮箱", "address": "地址",
}


def column_label(column: str, own: str | None, lang: str) -> str:
    """The header a reader sees for canonical ``column`` whose roster header is ``own``.

    The roster's own header wins; where the roster used the library's English name
    (or none), Chinese readers get :data:`ZH_HEADERS`.

    Example
    -------
    >>> from banghdai.report.words import column_label
    >>> column_label("phone", "phone", "zh"), column_label("phone", "手机", "zh")
    ('联系电话', '手机')
    """
    own = column if own is None else str(own)
    if lang == "zh" and own == column:
        return ZH_HEADERS.get(column, own)
    return own


def catalogue(prefix: str, table: Mapping[str, Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
    """Register every text of ``table`` (``{"en": {key: text}, "zh": {...}}``) as
    ``<prefix>.<key>`` in the message catalogue and return the table read back from it.

    Values that are not text (a tuple of words, a mapping of words) are registered
    item by item (``<prefix>.<key>.<item>``) and rebuilt in the same shape.

    Example
    -------
    >>> from banghdai.report.words import catalogue
    >>> t = catalogue("demo", {"en": {"hi": "Hello {n}"}, "zh": {"hi": "你好 {n}"}})
    >>> t["zh"]["hi"].format(n=1)
    '你好 1'
    """
    langs = list(table)
    out: dict[str, dict[str, Any]] = {lang: {} for lang in langs}
    for key, value in table[langs[0]].items():
        code = f"{prefix}.{key}"
        if isinstance(value, str):
            register(code, **{lang: table[lang][key] for lang in langs})
            for lang in langs:
                out[lang][key] = CATALOGUE[code][lang]
        elif isinstance(value, Mapping):
            parts = catalogue(code, {lang: {str(k): v for k, v in table[lang][key].items()}
                                     for lang in langs})
            for lang in langs:
                keys = list(table[lang][key])
                out[lang][key] = {k: parts[lang][str(k)] for k in keys}
        else:  # a tuple of words
            parts = catalogue(code, {lang: {str(i): v for i, v in enumerate(table[lang][key])}
                                     for lang in langs})
            for lang in langs:
                out[lang][key] = tuple(parts[lang][str(i)] for i in range(len(value)))
    return out


def word(code: str, lang: str, **params: object) -> str:
    """A registered report text, filled in (``word("report.total", "zh")`` → 合计).

    Example
    -------
    >>> import banghdai.report  # registers the words
    >>> from banghdai.report.words import word
    >>> word("report.total", "zh")
    '合计'
    """
    from ..core.messages import text

    return text(code, lang, **params)
