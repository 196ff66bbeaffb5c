"""Cell values normalised once, the same way everywhere (reading, matching, reports, maps).

A planner's cells carry invisible differences: a trailing space or a no-break space
after a township, an ideographic space (U+3000) before an id, a zero-width space or a
byte-order mark pasted from a web page, full-width digits and letters typed with a
Chinese input method (``３``, ``Ｍ００１``). :func:`clean_text` removes them: every
kind of blank is trimmed at both ends, zero-width characters and BOMs are dropped
anywhere, and full-width digits and Latin letters become ASCII (the NFKC form of
those characters only — full-width brackets in a township name stay as typed).

Example
-------
>>> from banghdai.data.normalize import clean_text
>>> clean_text("\\u3000城关镇\\xa0"), clean_text("Ｍ００１\\u200b"), clean_text("３")
('城关镇', 'M001', '3')
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ..core.messages import register

register("read.id_collision",
         en="ids {first!r} (row {row1}) and {second!r} (row {row2}) are the same id {id!r} once "
            "blanks, invisible and full-width characters are removed: one person entered twice? "
            "Keep one row or give them different ids",
         zh="编号 {first!r}（第 {row1} 行）与 {second!r}（第 {row2} 行）去掉空格、不可见字符和全角"
            "字符后是同一个编号 {id!r}：同一人录入了两次？请保留一行或改用不同编号")

#: Characters that are invisible in a cell: zero-width spaces and joiners, word joiner, BOM.
INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u180e"

#: Full-width digits and Latin letters → ASCII (the NFKC of exactly these characters).
_WIDE_ALNUM = {
    **{0xFF10 + i: 0x30 + i for i in range(10)},
    **{0xFF21 + i: 0x41 + i for i in range(26)},
    **{0xFF41 + i: 0x61 + i for i in range(26)},
}
_TABLE = str.maketrans({**_WIDE_ALNUM, **dict.fromkeys(map(ord, INVISIBLE))})
#: In a cell that is a number once cleaned: full-width sign and decimal point too.
_NUMBER_TABLE = str.maketrans({0xFF0E: ".", 0xFF0D: "-", 0xFF0B: "+", 0x2212: "-"})
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")

#: Separators of a tag list (domains): the punctuation planners use, and any blank.
TAG_SPLIT = re.compile(r"[\s;；、,，|/／\u200b\ufeff]+")


def clean_text(value: str) -> str:
    """``value`` with blanks trimmed, invisible characters dropped and full-width digits and
    Latin letters made ASCII; a cell that is then a number also gets its full-width sign and
    decimal point made ASCII (``－１．５`` → ``-1.5``).

    Example
    -------
    >>> from banghdai.data.normalize import clean_text
    >>> clean_text("\\ufeff M 001 \\u3000"), clean_text("－１．５")
    ('M 001', '-1.5')
    """
    text = value.translate(_TABLE).strip()
    if text and not text.isascii():
        number = text.translate(_NUMBER_TABLE)
        if _NUMBER.fullmatch(number):
            return number
    return text


def needs_cleaning(value: str) -> bool:
    """True when :func:`clean_text` would change ``value`` (a cheap test first).

    Example
    -------
    >>> from banghdai.data.normalize import needs_cleaning
    >>> needs_cleaning("M001"), needs_cleaning("M001 "), needs_cleaning("３")
    (False, True, True)
    """
    if value.isascii():
        return value != value.strip()
    return _SPECIAL.search(value) is not None


#: What :func:`clean_text` changes in a non-ASCII text: full-width ASCII forms, invisible
#: characters, blanks at either end.
_SPECIAL = re.compile(r"[\uff01-\uff5e\u200b-\u200d\u2060\ufeff\u180e\u2212]|^\s|\s$")


def is_blank(value: object) -> bool:
    """True for an empty cell: None, NaN, or text of only blanks and invisible characters.

    Example
    -------
    >>> from banghdai.data.normalize import is_blank
    >>> is_blank("\u3000\u200b"), is_blank(" x"), is_blank(float("nan")), is_blank(0)
    (True, False, True, False)
    """
    if isinstance(value, str):
        if value.isascii():
            return not value.strip()
        return not value.translate(_DROP).strip()
    if value is None:
        return True
    return isinstance(value, float) and value != value


_DROP = str.maketrans(dict.fromkeys(map(ord, INVISIBLE)))


def clean_array(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Clean every text cell of an object array: ``(cleaned copy, changed mask)``; other
    cells (numbers, None, NaN) are kept. Each distinct text is cleaned once.

    Example
    -------
    >>> import numpy as np
    >>> from banghdai.data.normalize import clean_array
    >>> out, changed = clean_array(np.array(["a ", 3, "b", "a "], dtype=object))
    >>> out.tolist(), changed.tolist()
    (['a', 3, 'b', 'a'], [True, False, False, True])
    """
    out = np.asarray(values, dtype=object).copy()
    changed = np.zeros(len(out), dtype=bool)
    if not len(out):
        return out, changed
    try:
        codes, uniques = pd.factorize(out, use_na_sentinel=True)
    except TypeError:  # unhashable cells (lists of tags): one by one
        for i, value in enumerate(out):
            if isinstance(value, str) and needs_cleaning(value):
                out[i], changed[i] = clean_text(value), True
            elif isinstance(value, list | tuple) and any(
                    isinstance(v, str) and needs_cleaning(v) for v in value):
                out[i] = type(value)(clean_text(v) if isinstance(v, str) else v for v in value)
                changed[i] = True
        return out, changed
    fixed = {}
    for k, value in enumerate(uniques):
        if isinstance(value, str) and needs_cleaning(value):
            fixed[k] = clean_text(value)
    if not fixed:
        return out, changed
    keys = np.fromiter(fixed, dtype=np.int64, count=len(fixed))
    hit = np.isin(codes, keys)
    lookup = np.empty(len(uniques), dtype=object)
    for k, v in fixed.items():
        lookup[k] = v
    out[hit] = lookup[codes[hit]]
    changed[hit] = True
    return out, changed


def clean_series(series: pd.Series) -> pd.Series:
    """A column with its text cells cleaned (:func:`clean_text`); the caller's is untouched;
    a column with nothing to clean comes back as it is.

    Example
    -------
    >>> import pandas as pd
    >>> from banghdai.data.normalize import clean_series
    >>> clean_series(pd.Series(["城关镇 ", "城关镇", "河口镇"])).tolist()
    ['城关镇', '城关镇', '河口镇']
    """
    if series.dtype.kind not in "OSU" and not isinstance(series.dtype, pd.StringDtype):
        return series
    out, changed = clean_array(series.to_numpy(dtype=object))
    if not changed.any():
        return series
    return pd.Series(out, index=series.index, name=series.name, dtype=object)


def split_tags(value: object) -> list[str]:
    """The tags of one cell: split on 、，,;；/| and on any blank, empty pieces dropped.

    Example
    -------
    >>> from banghdai.data.normalize import split_tags
    >>> split_tags("电商销售 集体经济　财务管理"), split_tags("党建、电商/物流")
    (['电商销售', '集体经济', '财务管理'], ['党建', '电商', '物流'])
    """
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return []
    return [t for t in TAG_SPLIT.split(clean_text(str(value))) if t]


__all__ = ["INVISIBLE", "TAG_SPLIT", "clean_array", "clean_series", "clean_text",
           "needs_cleaning", "split_tags"]
