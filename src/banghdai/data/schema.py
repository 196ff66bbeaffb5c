"""Input checks: turn the caller's tables into checked, canonical copies.

Nothing here mutates the caller's DataFrames: every function works on a copy.
Errors are :class:`~banghdai.InputError` naming table, row (0-based position in
the caller's table), id, column and valid choices.

Example
-------
>>> import pandas as pd
>>> from banghdai.data.schema import prepare_table
>>> t = prepare_table(pd.DataFrame({"导师编号": ["M1", "M2"]}), "mentors",
...                   columns={"mentor_id": "导师编号"})
>>> list(t.ids)
['M1', 'M2']
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import cached_property

import numpy as np
import pandas as pd

from ..core.errors import At, DataWarning, InputError, Msg, Place, Word
from ..core.ids import ids_as_str
from ..core.messages import text
from .normalize import TAG_SPLIT, clean_array, clean_series

ID_COLUMN = {"mentors": "mentor_id", "mentees": "mentee_id"}

#: ``DataFrame.attrs`` key under which the readers note the file and spreadsheet rows.
SOURCE_ATTR = "banghdai.source"

#: Largest magnitude accepted for ratings, priorities and other numbers in the tables
#: (differences and scaled scores of larger values lose precision or overflow).
MAX_NUMBER = 1e15

#: Largest capacity / number of mentors accepted per row.
MAX_DEGREE = 10**9

#: Header aliases of planners' spreadsheets, **per side**: ``{canonical name: headers}``.
#: A header is renamed to its canonical name only when the table has no column of that
#: name already and no mapping says otherwise; the first alias present wins and the
#: others keep their own names. Matching ignores surrounding spaces, and full-width
#: brackets and slashes count as their ASCII forms ("县（市、区）" is "县(市、区)").
#: ``序号`` (a row number) is not an id: it becomes the id only when the table has no id
#: column (see :func:`prepare_table`).
ALIASES_BY_SIDE: dict[str, dict[str, tuple[str, ...]]] = {
    "mentors": {
        "mentor_id": ("导师编号", "导师ID", "导师id", "导师代码", "工号", "编号", "ID"),
        "domains": ("擅长领域", "专长领域", "专业特长", "专长", "擅长", "领域"),
        "capacity": ("帮带人数上限", "帮带上限", "可帮带人数", "帮带人数", "容量"),
        "type": ("导师类型", "导师类别", "类型"),
        "category": ("类别", "人员类别"),
    },
    "mentees": {
        "mentee_id": ("对象编号", "帮带对象编号", "学员编号", "编号", "ID"),
        "domains": ("需求领域", "帮带需求", "需求", "领域"),
        "mentors_required": ("导师人数", "需要导师数", "需配导师数", "所需导师数"),
        "category": ("对象类别", "帮带对象类别", "类别", "人员类别"),
        "priority": ("优先级",),
    },
}

#: Aliases both sides share (names, places, coordinates, unit and post, ratings).
SHARED_ALIASES: dict[str, tuple[str, ...]] = {
    "name": ("姓名", "名称", "姓名(名称)"),
    "kind": ("主体类型",),
    "province": ("省", "省份", "所在省", "所在省份"),
    "city": ("市", "地市", "市州", "所在市", "所在地市", "所在市州"),
    "county": ("县区", "区县", "县(市、区)", "所在县区", "所在区县", "所在县(市、区)", "县(区)",
               "所在县"),
    "township": ("乡镇", "乡镇(街道)", "乡镇街道", "乡镇/街道", "所在乡镇", "所在乡镇/街道",
                 "所在乡镇(街道)", "所在乡镇街道", "街道"),
    "village": ("村", "村(社区)", "村社区", "村/社区", "所在村", "所在村/社区", "所在村(社区)",
                "所在村社区", "社区", "行政村"),
    "lat": ("纬度", "latitude", "Latitude"),
    "lon": ("经度", "longitude", "Longitude", "lng"),
    "rating": ("评分", "等级分"),
    "unit": ("单位", "工作单位", "所在单位"),
    "post": ("职务", "现任职务", "职位"),
    "unit_post": ("单位职务", "单位及职务", "工作单位及职务", "单位和职务", "单位职务(职称)"),
}

#: Every alias of either side, by canonical name (the union of the tables above).
ALIASES: dict[str, tuple[str, ...]] = {}
for _table in (SHARED_ALIASES, *ALIASES_BY_SIDE.values()):
    for _key, _names in _table.items():
        ALIASES[_key] = tuple(dict.fromkeys((*ALIASES.get(_key, ()), *_names)))
del _table, _key, _names

#: Headers holding a row number (序号): the id only when a table has no id column.
ROW_NUMBER_HEADERS = ("序号", "No.", "NO.", "No", "行号")

#: Canonical column names the library knows (what a mapping's keys usually are); a
#: mapping may also name a column of your own (``{"tier": "层级"}``) as long as its
#: header exists.
KNOWN_COLUMNS = (
    "mentor_id", "mentee_id", "id", "name", "kind", "province", "city", "county", "township",
    "village", "lat", "lon", "domains", "rating", "capacity", "mentors_required", "type",
    "category", "priority", "unit", "post", "unit_post", "role", "load",
)

_WIDE = str.maketrans({"（": "(", "）": ")", "／": "/", "，": "、", "　": " "})


def header_key(header: object) -> str:
    """A header as aliases are matched: stripped, full-width brackets and slashes made ASCII.

    Example
    -------
    >>> from banghdai.data.schema import header_key
    >>> header_key(" 县（市、区） ")
    '县(市、区)'
    """
    return str(header).strip().translate(_WIDE)


def aliases(side: str) -> dict[str, tuple[str, ...]]:
    """The header aliases of one side (``"mentors"`` or ``"mentees"``): side-specific first.

    Example
    -------
    >>> from banghdai.data.schema import aliases
    >>> aliases("mentors")["domains"][0], aliases("mentees")["domains"][0]
    ('擅长领域', '需求领域')
    >>> aliases("mentees")["township"][:3]
    ('乡镇', '乡镇(街道)', '乡镇街道')
    """
    if side not in ALIASES_BY_SIDE:
        raise InputError(Msg("input.unknown_side", side=side), choices=list(ALIASES_BY_SIDE))
    return {**ALIASES_BY_SIDE[side], **SHARED_ALIASES}


#: Words that mark a header row (canonical names, every alias, 序号): a row holding some of
#: them, below narrower title rows, is where a planner's table starts.
HEADER_WORDS = frozenset(
    {*KNOWN_COLUMNS, *(header_key(a) for names in ALIASES.values() for a in names),
     *ROW_NUMBER_HEADERS}
)


def alias_table(lang: str = "zh") -> pd.DataFrame:
    """The header aliases as a table (side, canonical name, headers recognised), for docs.

    Example
    -------
    >>> from banghdai.data.schema import alias_table
    >>> t = alias_table()
    >>> t[t.column == "capacity"].values.tolist()[0][:2]
    ['mentors', 'capacity']
    """
    rows = []
    for side in ("mentors", "mentees"):
        for canonical, names in aliases(side).items():
            rows.append((side, canonical, text("list.sep", lang).join(names)))
    return pd.DataFrame(rows, columns=["side", "column", "headers"])



@dataclass(frozen=True, eq=False)
class Table:
    """A checked copy of one side's table (mentors or mentees).

    ``frame`` has a fresh RangeIndex and canonical column names; ``ids`` are
    strings; ``source`` maps canonical names back to the caller's headers for
    messages.

    Example
    -------
    >>> import pandas as pd
    >>> from banghdai.data.schema import prepare_table
    >>> prepare_table(pd.DataFrame({"mentee_id": [1, 2]}), "mentees").ids.tolist()
    ['1', '2']
    """

    side: str
    frame: pd.DataFrame
    ids: np.ndarray
    source: Mapping[str, str]
    int_ids: np.ndarray | None = None  # the caller's ids when they were integers
    file: str | None = None  # the file the table was read from, if any
    excel_rows: np.ndarray | None = None  # spreadsheet row of each row of that file
    rows: np.ndarray | None = None  # the caller's 0-based row of each row (None: the same)

    def __len__(self) -> int:
        return len(self.ids)

    def place(self, row: int) -> Place:
        """Keyword arguments naming position ``row`` in the file the table came from (for
        InputError): the file and its spreadsheet row.

        Example
        -------
        >>> import banghdai as bd
        >>> t = bd.Problem(*bd.load_sample("fanxian")).mentor_table
        >>> t.place(0)["excel_row"], t.place(0)["file"].endswith("mentors.csv")
        (2, True)
        """
        return _place(self.file, self.excel_rows, row)

    def at(self, row: int) -> At:
        """Keyword arguments naming position ``row`` for an InputError: table, the caller's
        row, id, and the file and spreadsheet row when the table came from a file.

        Example
        -------
        >>> import pandas as pd
        >>> from banghdai.data.schema import prepare_table
        >>> t = prepare_table(pd.DataFrame({"mentor_id": ["B", "A"]}), "mentors").in_id_order()
        >>> t.at(0)
        {'table': 'mentors', 'row': 1, 'id': 'A'}
        """
        return {"table": self.side, "row": self.caller_row(row), "id": self.ids[row],
                **self.place(row)}

    def caller_row(self, row: int) -> int:
        """The caller's 0-based row of position ``row`` (they differ once in id order)."""
        return int(row if self.rows is None else self.rows[row])

    def first(self, mask: np.ndarray) -> int:
        """The position of the True row of ``mask`` that comes first in the caller's table.

        Errors name that row, so the first bad row of the caller's file is reported
        whatever order the library holds the rows in.
        """
        hits = np.flatnonzero(mask)
        if self.rows is None or hits.size <= 1:
            return int(hits[0])
        return int(hits[np.argmin(self.rows[hits])])

    def in_caller_order(self, positions: np.ndarray) -> np.ndarray:
        """``positions`` reordered as their rows come in the caller's table (stable)."""
        positions = np.asarray(positions, dtype=np.int64)
        if self.rows is None or positions.size <= 1:
            return positions
        return positions[np.argsort(self.rows[positions], kind="stable")]

    def in_id_order(self) -> Table:
        """This table with its rows sorted by id: shorter ids first, equal lengths as text.

        So ``E2`` comes before ``E10``, whole-number ids are in numeric order, and the ids
        ``7`` and ``"7"`` sort alike (ids are text).

        The solver sees every roster in this order, so ties between pairings of equal value
        are broken by ids, never by the caller's row order: the same roster in any row order
        gives the same pairs. ``rows`` keeps each row's place in the caller's table, so
        messages still name the caller's rows.

        Example
        -------
        >>> import pandas as pd
        >>> from banghdai.data.schema import prepare_table
        >>> t = prepare_table(pd.DataFrame({"mentor_id": ["M2", "M10", "M1"]}), "mentors")
        >>> s = t.in_id_order()
        >>> s.ids.tolist(), s.rows.tolist()
        (['M1', 'M2', 'M10'], [2, 0, 1])
        """
        n = len(self.ids)
        if n <= 1:
            return self
        text = self.ids.astype(str)
        order = np.lexsort((text, np.char.str_len(text)))  # shorter first, then as text
        if bool((order == np.arange(n)).all()):
            return self
        return replace(
            self,
            frame=self.frame.take(order).reset_index(drop=True),
            ids=self.ids[order],
            int_ids=None if self.int_ids is None else self.int_ids[order],
            excel_rows=None if self.excel_rows is None else self.excel_rows[order],
            rows=order if self.rows is None else self.rows[order],
        )

    def shown(self, column: str) -> str:
        """The caller's name for canonical ``column``."""
        return self.source.get(column, column)

    def require(self, column: str, rule: str) -> pd.Series:
        """Return ``column`` or raise an InputError naming the rule and the choices."""
        if column not in self.frame.columns:
            renamed = next((k for k, v in self.source.items() if v == column), None)
            if renamed is not None:
                raise InputError(
                    Msg("input.column_renamed", rule=Word(rule), column=column, renamed=renamed),
                    table=self.side,
                    column=column,
                    choices=[str(c) for c in self.frame.columns],
                )
            raise InputError(
                Msg("input.column_missing", rule=Word(rule), column=column,
                    side=Word(self.side)),
                table=self.side,
                column=column,
                choices=[str(c) for c in self.frame.columns],
            )
        return self.frame[column]

    def numeric(self, column: str, rule: str, *, allow_nan: bool = False) -> np.ndarray:
        """Column as float64, refusing text, infinities, numbers beyond ±1e15 and (unless
        allowed) empty cells, naming the row.

        Example
        -------
        >>> import pandas as pd
        >>> from banghdai.data.schema import prepare_table
        >>> t = prepare_table(pd.DataFrame({"mentor_id": ["A", "B"], "rating": [4, "inf"]}),
        ...                   "mentors")
        >>> t.numeric("rating", "Stronger")
        Traceback (most recent call last):
        ...
        banghdai.InputError: mentors row 1 id 'B', column 'rating': rule Stronger needs a finite number between -1e+15 and 1e+15 here, got 'inf'; how to fix: write a number in this cell
        """
        series = self.require(column, rule)
        values = pd.to_numeric(series, errors="coerce").to_numpy(dtype=float)
        nan = np.isnan(values)
        bad = nan & series.notna().to_numpy()
        bad |= ~nan & ~(np.abs(values) <= MAX_NUMBER)
        if not allow_nan:
            bad |= nan
        if bad.any():
            row = self.first(bad)
            raise InputError(
                Msg("input.number", rule=Word(rule), lo=f"{-MAX_NUMBER:g}", hi=f"{MAX_NUMBER:g}",
                    value=_shown(series.iloc[row])),
                column=self.shown(column),
                **self.at(row),
            )
        return values

    @cached_property
    def _int_lookup(self) -> tuple[int, np.ndarray | None] | pd.Index | None:
        """Integer ids → positions: a direct-address array when the ids are compact (None for
        ids numbered in row order), a hash index otherwise."""
        if self.int_ids is None or len(self.int_ids) == 0:
            return None
        lo, hi = int(self.int_ids.min()), int(self.int_ids.max())
        span = hi - lo + 1
        if span > 4 * len(self.int_ids) + 4096:
            return pd.Index(self.int_ids)
        if span == len(self.int_ids) and bool((np.diff(self.int_ids) == 1).all()):
            return lo, None  # ids lo, lo+1, ... in row order: the position is id - lo
        lut = np.full(span, -1, dtype=np.int64)
        lut[self.int_ids - lo] = np.arange(len(self.int_ids), dtype=np.int64)
        return lo, lut

    @cached_property
    def _id_index(self) -> pd.Index:
        """The ids as a hash index (built once per table)."""
        return pd.Index(self.ids, dtype=object)

    def _index_of_ints(self, values: np.ndarray) -> np.ndarray | None:
        """Positions of integer ``values`` (-1 when unknown), or None if this table's ids are not
        integers. One gather through a lookup array: no hashing, no text."""
        lookup = self._int_lookup
        if lookup is None:
            return None
        if isinstance(lookup, pd.Index):
            return lookup.get_indexer(pd.Index(values)).astype(np.int64, copy=False)
        lo, lut = lookup
        if values.size == 0:
            return np.empty(0, dtype=np.int64)
        size = len(self.ids) if lut is None else lut.size
        vmin, vmax = int(values.min()), int(values.max())
        if vmin >= lo and vmax < lo + size:
            if lut is None:
                if lo:
                    return values - lo
                view = values.view()  # the caller's own array: hand out a read-only view
                view.flags.writeable = False
                return view
            return lut.take(values - lo if lo else values)
        inside = (values >= lo) & (values < lo + size)
        shifted = np.where(inside, values - lo, 0)
        return np.where(inside, shifted if lut is None else lut.take(shifted), -1)

    def _index_of_cleaned(self, ids: pd.Series, pos: np.ndarray) -> np.ndarray:
        """``pos`` with the unknown ids looked up again once cleaned (``'M001 '`` is ``M001``)."""
        missing = np.flatnonzero(pos < 0)
        values = pd.Series(ids).reset_index(drop=True).iloc[missing]
        keys = ids_as_str(values)
        cleaned, changed = clean_array(keys)
        if not changed.any():
            return pos
        pos = pos.copy()
        pos[missing] = self._id_index.get_indexer(pd.Index(cleaned))
        return pos

    def index_of(self, ids: pd.Series, *, table: str, column: str) -> np.ndarray:
        """Positions of ``ids`` (caller's values) in this table; unknown ids raise."""
        kind = getattr(ids, "dtype", np.dtype(object)).kind
        pos = None
        if kind == "i" or (kind == "u" and len(ids) and ids.max() < 2**63):
            pos = self._index_of_ints(np.asarray(ids, dtype=np.int64))
        if pos is None and _all_text(ids):  # text ids are their own keys: one hash lookup
            pos = self._id_index.get_indexer(pd.Index(ids)).astype(np.int64, copy=False)
        if pos is None:
            series = pd.Series(ids).reset_index(drop=True)
            codes, uniques = pd.factorize(series, use_na_sentinel=True)
            keys = ids_as_str(pd.Series(uniques))
            pos_u = pd.Index(self.ids).get_indexer(keys)
            pos = (np.where(codes >= 0, pos_u[np.maximum(codes, 0)], -1).astype(np.int64)
                   if len(uniques) else np.full(len(codes), -1, dtype=np.int64))  # all empty
        if pos.size and int(pos.min()) < 0:
            pos = self._index_of_cleaned(ids, pos)
        if pos.size and int(pos.min()) < 0:
            row = int(np.flatnonzero(pos < 0)[0])
            value = pd.Series(ids).iloc[row]
            shown = None if pd.isna(value) else ids_as_str(pd.Series([value]))[0]
            raise InputError(
                Msg("input.unknown_id", side=Word(self.side[:-1]), value=shown),
                table=table,
                row=row,
                column=column,
            )
        return pos


#: Canonical columns whose text is cleaned (:func:`banghdai.data.normalize.clean_text`) when a
#: table is checked, so matching, summaries, papers and maps all see one value.
CLEANED_COLUMNS = ("province", "city", "county", "township", "village", "unit", "post",
                   "unit_post", "category", "type", "kind", "domains", "role", "name")


def _clean_values(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with the text of :data:`CLEANED_COLUMNS` cleaned (a copy when any changes)."""
    changed = {}
    for column in CLEANED_COLUMNS:
        if column in frame.columns and frame[column].dtype.kind == "O":
            cleaned = clean_series(frame[column])
            if cleaned is not frame[column]:
                changed[column] = cleaned.to_numpy(dtype=object)
    return frame.assign(**changed) if changed else frame


def _clean_ids(ids: np.ndarray, side: str, column: str, file: str | None,
               excel_rows: np.ndarray | None) -> np.ndarray:
    """Ids with blanks, invisible and full-width characters cleaned; two ids typed differently
    that become one are refused naming both rows."""
    cleaned, changed = clean_array(ids)
    if not changed.any():
        return ids
    dup = pd.Series(cleaned).duplicated(keep=False).to_numpy()
    for hit in np.flatnonzero(dup & changed).tolist():
        same = np.flatnonzero(cleaned == cleaned[hit])
        other = [int(i) for i in same if ids[i] != ids[hit]]
        if not other:
            continue  # typed the same twice: the duplicate-id check names it
        a, b = min(other[0], hit), max(other[0], hit)
        shown = (lambda i: int(excel_rows[i])) if excel_rows is not None else (lambda i: i)
        raise InputError(Msg("read.id_collision", first=ids[a], row1=shown(a),
                              second=ids[b], row2=shown(b), id=cleaned[b]),
                         table=side, row=b, column=column, **_place(file, excel_rows, b))
    return cleaned


def _all_text(values: object) -> bool:
    """True when every value is a Python string (a text column): no id normalisation needed."""
    dtype = getattr(values, "dtype", None)
    if isinstance(dtype, pd.StringDtype):  # an empty cell is no id: looked up, it is unknown
        return True
    if dtype is None or getattr(dtype, "kind", "") != "O" or not len(values):  # type: ignore[arg-type]
        return False
    return pd.api.types.infer_dtype(values, skipna=False) == "string"


def _mapping_hint(side: str, canonical: str) -> Msg:
    """How to map ``canonical`` for one table, in Python and in rules.toml."""
    python = "mentor_columns" if side == "mentors" else "mentee_columns"
    return Msg("input.mapping_how", python=python, canonical=canonical, side=side)


def _rename(
    df: pd.DataFrame, side: str, columns: Mapping[str, str] | None
) -> tuple[pd.DataFrame, dict[str, str]]:
    present = [str(c) for c in df.columns]
    other_id = {c for s, c in ID_COLUMN.items() if s != side}
    mapping: dict[str, str] = {}
    for canonical, actual in (columns or {}).items():
        if not isinstance(canonical, str) or not isinstance(actual, str):
            raise InputError(Msg("input.mapping_strings"), table=side)
        if actual in present:
            mapping[actual] = canonical
            continue
        if canonical in other_id:
            continue  # the other table's id in a mapping for both tables
        if canonical not in KNOWN_COLUMNS:
            raise InputError(
                Msg("input.mapping_unknown", canonical=canonical, actual=actual,
                    side=Word(side), headers=", ".join(map(repr, present[:20]))
                    + (" …" if len(present) > 20 else "")),
                table=side,
                column=canonical,
                choices=list(KNOWN_COLUMNS),
            )
        where = (Msg("input.the_id_column") if canonical == ID_COLUMN[side]
                 else Msg("input.the_column", column=canonical))
        raise InputError(
            Msg("input.mapping_absent", canonical=canonical, actual=actual, side=Word(side),
                where=where, how=_mapping_hint(side, canonical)),
            table=side,
            column=actual,
            choices=present,
        )
    taken = set(mapping.values()) | (set(present) - set(mapping))
    keyed: dict[str, str] = {}
    for header in present:
        keyed.setdefault(header_key(header), header)
    for canonical, names in aliases(side).items():
        if canonical in taken:
            continue
        for alias in names:
            found = keyed.get(header_key(alias))
            if found is not None and found not in mapping:
                mapping[found] = canonical
                taken.add(canonical)
                break
    out = df.rename(columns=mapping)
    dupes = out.columns[out.columns.duplicated()].tolist()
    if dupes:
        raise InputError(
            Msg("input.renamed_twice", name=dupes[0]),
            table=side,
            column=str(dupes[0]),
        )
    source = {canonical: actual for actual, canonical in mapping.items()}
    return out, source


def _fallback_ids(frame: pd.DataFrame, side: str, source: dict[str, str], file: str | None,
                  excel_rows: np.ndarray | None) -> pd.DataFrame:
    """A table without an id column: its 序号 as the ids when filled and unique, else the
    row numbers (the spreadsheet's when the table came from a file), with a DataWarning."""
    id_col = ID_COLUMN[side]
    known = f"{id_col}, id, " + ", ".join(ALIASES_BY_SIDE[side][id_col][:2])
    how = _mapping_hint(side, id_col)
    number = next((c for c in frame.columns if header_key(c) in ROW_NUMBER_HEADERS), None)
    why: str | Msg = ""
    if number is not None:
        raw = frame[number]
        text = pd.Series(ids_as_str(raw), dtype=object) if raw.notna().all() else None
        if text is not None and text.str.strip().ne("").all() and not text.duplicated().any():
            warnings.warn(DataWarning(Msg(
                "input.ids_from_number", side=Word(side), file=f" ({file})" if file else "",
                known=known, number=number, one=Word(side[:-1]), how=how)), stacklevel=4)
            source[id_col] = str(number)
            return frame.rename(columns={number: id_col})
        why = Msg("input.number_unusable", number=number,
                  rows=_rows_shown(_unusable_numbers(raw), excel_rows))
    if excel_rows is not None and len(excel_rows) == len(frame):
        values = np.asarray(excel_rows, dtype=np.int64)
        shown: Msg = Msg("input.rows_of_file", file=file)
    else:
        values, shown = np.arange(1, len(frame) + 1, dtype=np.int64), Msg("input.rows_1_2")
    warnings.warn(DataWarning(Msg(
        "input.ids_from_rows", side=Word(side), file=f" ({file})" if file else "", known=known,
        why=why, shown=shown, one=Word(side[:-1]), how=how)), stacklevel=4)
    out = frame.copy()
    out.insert(0, id_col, pd.Series(values, dtype=np.int64).astype(str).to_numpy(dtype=object))
    return out


def prepare_table(
    df: pd.DataFrame, side: str, columns: Mapping[str, str] | None = None
) -> Table:
    """Check one side's table and return a canonical copy.

    Parameters
    ----------
    df
        The caller's table; never modified.
    side
        ``"mentors"`` or ``"mentees"``.
    columns
        Optional mapping ``{canonical name: column in df}`` such as
        ``{"mentor_id": "导师编号", "township": "乡镇"}``. A header that is not
        there is refused with the table's headers as choices (the other side's
        id is skipped, so one mapping can name both ids); a key that is neither
        a name the library knows (:data:`KNOWN_COLUMNS`) nor mapped to an existing
        header is refused with the known names. Common headers of planners'
        spreadsheets (:func:`aliases`: 姓名, 所在乡镇, 擅长领域 / 需求领域,
        帮带人数上限, 纬度 …) are recognised without a mapping.

    A table with no id column (``mentor_id`` / ``mentee_id``, ``id``, or an alias
    such as 导师编号, 工号, 对象编号) takes its ``序号`` column as ids when that
    is filled and unique, else the row numbers (the spreadsheet rows for a
    table read from a file, 1, 2, … otherwise), with a :class:`~banghdai.DataWarning`
    saying which.

    Example
    -------
    >>> import pandas as pd
    >>> from banghdai.data.schema import prepare_table
    >>> prepare_table(pd.DataFrame({"mentor_id": ["A"], "纬度": [38.5]}), "mentors").frame.columns.tolist()
    ['mentor_id', 'lat']
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as seen:
    ...     warnings.simplefilter("always")
    ...     t = prepare_table(pd.DataFrame({"序号": [1, 2], "姓名": ["甲", "乙"],
    ...                                     "需求领域": ["党建", "电商"]}), "mentees")
    >>> t.ids.tolist(), t.frame.columns.tolist(), type(seen[0].message).__name__
    (['1', '2'], ['mentee_id', 'name', 'domains'], 'DataWarning')
    """
    if side not in ID_COLUMN:
        raise InputError(Msg("input.unknown_side", side=side), choices=list(ID_COLUMN))
    if not isinstance(df, pd.DataFrame):
        raise InputError(Msg("input.not_frame", got=type(df).__name__), table=side)
    file, excel_rows = _origin(df)
    frame, source = _rename(df, side, columns)
    frame = frame.reset_index(drop=True)
    id_col = ID_COLUMN[side]
    if id_col not in frame.columns:
        if "id" in frame.columns:
            frame = frame.rename(columns={"id": id_col})
            source[id_col] = "id"
        else:
            frame = _fallback_ids(frame, side, source, file, excel_rows)
    raw_ids = frame[id_col]
    nan = raw_ids.isna().to_numpy()
    if nan.any():
        row = int(np.flatnonzero(nan)[0])
        raise InputError(Msg("input.empty_id"), table=side, row=row,
                         column=source.get(id_col, id_col),
                         **_place(file, excel_rows, row))
    ids = ids_as_str(raw_ids)
    if raw_ids.dtype.kind not in "iufb":
        ids = _clean_ids(ids, side, source.get(id_col, id_col), file, excel_rows)
    frame = _clean_values(frame)
    if raw_ids.dtype.kind not in "iufb":
        blank = pd.Series(ids, dtype=object).str.strip().eq("").to_numpy()
        if blank.any():
            row = int(np.flatnonzero(blank)[0])
            raise InputError(Msg("input.blank_id", value=ids[row]), table=side, row=row,
                             column=source.get(id_col, id_col), **_place(file, excel_rows, row))
    dup = pd.Series(ids).duplicated(keep="first").to_numpy()
    if dup.any():
        row = int(np.flatnonzero(dup)[0])
        first = int(np.flatnonzero(ids == ids[row])[0])
        first_place = _place(file, excel_rows, first)
        raise InputError(
            Msg("input.duplicate_id", first=first) if "excel_row" not in first_place else
            Msg("input.duplicate_id_at", first=first, excel=first_place["excel_row"]),
            table=side,
            row=row,
            id=ids[row],
            column=source.get(id_col, id_col),
            **_place(file, excel_rows, row),
        )
    frame[id_col] = ids
    int_ids = raw_ids.to_numpy(dtype=np.int64) if raw_ids.dtype.kind == "i" else None
    for coord, lo, hi in (("lat", -90.0, 90.0), ("lon", -180.0, 180.0)):
        if coord in frame.columns:
            values = pd.to_numeric(frame[coord], errors="coerce").to_numpy(dtype=float)
            text = np.isnan(values) & frame[coord].notna().to_numpy()
            out = ~np.isnan(values) & ((values < lo) | (values > hi))
            bad = text | out
            if bad.any():
                row = int(np.flatnonzero(bad)[0])
                raise InputError(
                    Msg(f"input.{coord}_range", lo=f"{lo:g}", hi=f"{hi:g}",
                        value=_shown(frame[coord].iloc[row])),
                    table=side,
                    row=row,
                    id=ids[row],
                    column=source.get(coord, coord),
                    **_place(file, excel_rows, row),
                )
            frame[coord] = values
    return Table(side=side, frame=frame, ids=ids, source=source, int_ids=int_ids, file=file,
                 excel_rows=excel_rows)


def degree_values(table: Table, value: int | str, what: str) -> np.ndarray:
    """A degree bound per row from an int or a column: whole numbers from 0 to 10**9.

    Example
    -------
    >>> import pandas as pd
    >>> from banghdai.data.schema import degree_values, prepare_table
    >>> t = prepare_table(pd.DataFrame({"mentor_id": ["A", "B"], "cap": [2, 1e20]}), "mentors")
    >>> degree_values(t, "cap", "capacity")
    Traceback (most recent call last):
    ...
    banghdai.InputError: mentors row 1 id 'B', column 'cap': capacity must be a whole number from 0 to 1000000000, got 1e+20; how to fix: write a whole number such as 2 in this cell
    """
    n = len(table)
    if not isinstance(value, str):
        try:
            number = float(value) if not isinstance(value, bool) else float("nan")
        except (TypeError, ValueError):
            number = float("nan")
        if not (np.isfinite(number) and 0 <= number <= MAX_DEGREE and number == int(number)):
            raise InputError(Msg("input.degree", what=Word(what), max=MAX_DEGREE, value=value),
                             column=what)
        return np.full(n, int(number), dtype=np.int64)
    series = table.require(value, what)
    if series.dtype.kind in "iu":  # whole numbers already: only the range to check
        numbers = series.to_numpy(dtype=np.int64)
        if not len(numbers) or (int(numbers.min()) >= 0 and int(numbers.max()) <= MAX_DEGREE):
            return numbers.copy()
    numbers = pd.to_numeric(series, errors="coerce").to_numpy(dtype=float)
    with np.errstate(invalid="ignore"):
        bad = ~np.isfinite(numbers) | (numbers < 0) | (numbers > MAX_DEGREE) | (
            numbers != np.floor(numbers))
    if bad.any():
        row = table.first(bad)
        raise InputError(
            Msg("input.degree", what=Word(what), max=MAX_DEGREE, value=_shown(series.iloc[row])),
            column=table.shown(value),
            **table.at(row),
        )
    return numbers.astype(np.int64)


def tag_pairs(table: Table, column: str, rule: str) -> tuple[np.ndarray, np.ndarray]:
    """Domain tags as an exploded (row, tag) table, vectorised.

    A cell may hold a list/tuple/set of tags or a string separated by ``;``
    (also ``；``, ``、``, ``,``, ``，``, ``|``, ``/``) or by blanks (``电商销售 集体经济`` is
    two tags). Empty cells have no tags.

    Returns
    -------
    rows, tags
        Parallel arrays: row position and tag text, each (row, tag) once.
    """
    series = table.require(column, rule)
    s = series.reset_index(drop=True).explode().dropna()
    s = s.astype(str).str.split(TAG_SPLIT).explode().str.strip()
    s = s[s.notna() & (s != "")]
    frame = pd.DataFrame({"row": s.index.to_numpy(dtype=np.int64), "tag": s.to_numpy(dtype=object)})
    frame = frame.drop_duplicates()
    return frame["row"].to_numpy(dtype=np.int64), frame["tag"].to_numpy(dtype=object)


def require_frame(df: pd.DataFrame, table: str, columns: tuple[str, ...] | list[str]) -> None:
    """Refuse anything but a DataFrame holding ``columns``, naming the table and the column.

    Example
    -------
    >>> import pandas as pd
    >>> from banghdai.data.schema import require_frame
    >>> require_frame(pd.DataFrame({"mentor_id": [1]}), "pairs", ["mentor_id"])
    """
    if not isinstance(df, pd.DataFrame):
        raise InputError(Msg("input.table_not_frame", table=Word(table), got=type(df).__name__),
                         table=table)
    for col in columns:
        if col not in df.columns:
            raise InputError(Msg("input.table_needs_column", table=Word(table)), table=table,
                             column=col, choices=[str(c) for c in df.columns])


def pair_table(
    df: pd.DataFrame,
    name: str,
    mentors: Table,
    mentees: Table,
    mentor_col: str = "mentor_id",
    mentee_col: str = "mentee_id",
) -> tuple[np.ndarray, np.ndarray]:
    """Positions of the mentor and mentee of each row of a pair table; unknown ids raise."""
    for col in (mentor_col, mentee_col):
        if col not in df.columns:
            raise InputError(
                Msg("input.pair_table_column", column=col),
                table=name,
                column=col,
                choices=[str(c) for c in df.columns],
            )
    file, excel_rows = _origin(df)
    try:
        m = mentors.index_of(df[mentor_col], table=name, column=mentor_col)
        e = mentees.index_of(df[mentee_col], table=name, column=mentee_col)
    except InputError as err:
        # an empty cell is never a known id: on this error path only, name the first empty
        # cell before any unknown id (the checks' order, without an isna pass on success)
        for col in (mentor_col, mentee_col):
            if df[col].dtype.kind in "iub":  # integer columns hold no empty cells
                continue
            nan = df[col].isna().to_numpy()
            if nan.any():
                row = int(np.flatnonzero(nan)[0])
                raise InputError(Msg("input.empty_id"), table=name, row=row, column=col,
                                 **_place(file, excel_rows, row)) from None
        if err.row is None or file is None:
            raise
        where, place = err.where(), _place(file, excel_rows, err.row)
        where["file"] = place.get("file", where["file"])
        where["excel_row"] = place.get("excel_row", where["excel_row"])
        raise InputError(err.content, **where) from None
    return m, e


def _origin(df: pd.DataFrame) -> tuple[str | None, np.ndarray | None]:
    """The file a table was read from and the spreadsheet row of each of its rows, as noted by
    the readers in ``df.attrs``; ``(None, None)`` when unknown or no longer trustworthy (the
    rows were reordered into a new index, or the table was built another way)."""
    note = getattr(df, "attrs", {}).get(SOURCE_ATTR)
    if not isinstance(note, Mapping) or not isinstance(note.get("file"), str):
        return None, None
    n = note.get("n")
    labels = df.index
    if not isinstance(n, int) or labels.dtype.kind not in "iu" or labels.has_duplicates:
        return note["file"], None
    positions = labels.to_numpy(dtype=np.int64)
    if len(positions) and (positions.min() < 0 or positions.max() >= n):
        return note["file"], None
    if isinstance(labels, pd.RangeIndex) and labels.start == 0 and labels.step == 1 and (
            len(labels) != n or note.get("fingerprint") != fingerprint(df)):
        return note["file"], None  # re-indexed after a filter or a sort: positions lost
    rows = note.get("rows")
    if rows is not None:
        table = np.asarray(rows, dtype=np.int64)
        if len(table) != n:
            return note["file"], None
        return note["file"], table[positions]
    return note["file"], positions + int(note.get("first_row", 2))


def fingerprint(df: pd.DataFrame) -> int:
    """An order-sensitive hash of a table's first column (to tell a table as read from the
    same rows re-ordered and re-indexed).

    Example
    -------
    >>> import pandas as pd
    >>> from banghdai.data.schema import fingerprint
    >>> a = pd.DataFrame({"id": ["x", "y"]})
    >>> fingerprint(a) == fingerprint(a.copy()), fingerprint(a) == fingerprint(a[::-1])
    (True, False)
    """
    if df.shape[1] == 0 or len(df) == 0:
        return 0
    try:
        hashes = pd.util.hash_pandas_object(df.iloc[:, 0], index=False).to_numpy(np.uint64)
    except TypeError:  # unhashable cells (lists)
        return -1
    weights = np.arange(1, len(hashes) + 1, dtype=np.uint64)
    with np.errstate(over="ignore"):
        return int((hashes * weights).sum(dtype=np.uint64))


def _shown(value: object) -> object:
    """A cell value as a message shows it: numpy scalars as plain Python numbers."""
    return value.item() if isinstance(value, np.generic) else value


def _unusable_numbers(raw: pd.Series) -> np.ndarray:
    """Positions of the cells of a 序号 column that keep it from being ids: blank or repeated."""
    text = pd.Series(ids_as_str(raw.where(raw.notna(), "")), dtype=object).str.strip()
    return np.flatnonzero((text.eq("") | text.duplicated(keep=False)).to_numpy())


def _rows_shown(positions: np.ndarray, excel_rows: np.ndarray | None, most: int = 10) -> str:
    """Rows for a message: the spreadsheet's when known (else 0-based), the first ``most``.

    Example
    -------
    >>> import numpy as np
    >>> from banghdai.data.schema import _rows_shown
    >>> _rows_shown(np.array([0, 2]), np.array([3, 4, 5]))
    '3, 5'
    """
    if excel_rows is not None and len(positions) and int(positions.max()) < len(excel_rows):
        rows = np.asarray(excel_rows)[positions]
    else:
        rows = positions
    shown = ", ".join(str(int(r)) for r in rows[:most])
    return shown + (f" … ({len(rows)})" if len(rows) > most else "")


def place_in(df: pd.DataFrame, row: int) -> Place:
    """Keyword arguments naming row ``row`` of a side table as read from a file (for
    InputError): the file and the spreadsheet row; empty when the table was not read.

    Example
    -------
    >>> import pandas as pd
    >>> from banghdai.data.schema import place_in
    >>> place_in(pd.DataFrame({"x": [1]}), 0)
    {}
    """
    file, excel_rows = _origin(df)
    return _place(file, excel_rows, row)


def _place(file: str | None, excel_rows: np.ndarray | None, row: int) -> Place:
    if file is None:
        return {}
    if excel_rows is None or not 0 <= row < len(excel_rows):
        return {"file": file}
    return {"file": file, "excel_row": int(excel_rows[row])}
