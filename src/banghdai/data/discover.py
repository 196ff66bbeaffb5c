"""Finding the table inside a sheet as a 组织部 formats it.

A planner's sheet is a printed form: a title and 填报单位 / 日期 lines above the
header, a header of one to three rows with merged cells (基本信息 over 姓名 / 性别,
所在地 over 乡镇 / 村), 合计 / 小计 rows, blank separator rows, the header again on
each printed page, 填表人 / 审核人 / 联系电话 / 注 lines below, hidden rows and
columns. :func:`discover` takes a sheet as a :class:`Grid` and says which rows are
people and which are not, and why: every row it skips is named with its reason
and its spreadsheet row, and none of the skipped rows can ever become a person.

Example
-------
>>> from banghdai.data.discover import Grid, discover
>>> grid = Grid.of([["XX县导师名单", None, None], ["序号", "姓名", "乡镇"],
...                 [1, "张三", "城关镇"], ["合计", None, None],
...                 ["填表人：李四", None, None]])
>>> found = discover(grid)
>>> found.header, (found.body + 1).tolist(), [(row, why) for row, why, _ in found.skipped]
(['序号', '姓名', '乡镇'], [3], [(1, 'title'), (4, 'total'), (5, 'footer')])
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .normalize import clean_text, is_blank
from .schema import HEADER_WORDS, header_key

#: How many non-blank rows from the top are looked at for the header row.
HEADER_SCAN_ROWS = 12

#: Reasons a row is not read, in the order they are tested.
REASONS = ("title", "blank", "total", "footer", "repeated_header", "section", "hidden")

#: First characters of the totals and footers below (a text starting otherwise is neither).
_INITIALS = "合小总共累總填制审核负联电手单(盖分主经注说备附（"
_TOTAL = re.compile(r"(合计|小计|总计|共计|累计|總計|合計|小計)([:：(（\d].*)?")
_FOOTER = re.compile(
    r"(填表人|填报人|制表人|审核人|审批人|审核|核稿人|负责人|联系人|联系电话|电话|手机|"
    r"填表日期|填报日期|制表日期|报送日期|填表时间|填报时间|单位盖章|单位\(盖章\)|\(盖章\)|盖章|"
    r"分管领导|主要负责人|经办人)\s*[:：]|"
    r"(注|说明|备注|附注|填表说明|填报说明|注意事项)\s*\d*\s*[:：]|"
    r"(注|说明|填表说明|填报说明)$")


_blank = is_blank


def _text(value: object) -> str | None:
    """A cell as a label: cleaned text that is not a number, else None."""
    if not isinstance(value, str):
        return None
    text = clean_text(value)
    if not text:
        return None
    try:
        float(text)
    except ValueError:
        return text
    return None


def _squeezed(value: object) -> str:
    return re.sub(r"\s+", "", clean_text(value)) if isinstance(value, str) else ""


@dataclass
class Grid:
    """A sheet as cells (0-based rows and columns) with what the workbook says about them.

    ``errors`` marks cells whose formula cached an Excel error (#VALUE!, #REF!, #N/A …);
    ``merges`` are ``(first row, first column, last row, last column)``, inclusive.

    Example
    -------
    >>> from banghdai.data.discover import Grid
    >>> Grid.of([["a", "b"], [1, 2]]).cells.shape
    (2, 2)
    """

    cells: np.ndarray
    errors: np.ndarray | None = None
    hidden_rows: np.ndarray | None = None
    hidden_cols: np.ndarray | None = None
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    lengths: np.ndarray | None = None  # fields per record (CSV): ragged rows are refused

    @classmethod
    def of(cls, rows: list[list[object]], **kw: object) -> Grid:
        """A grid from rows of cells (shorter rows padded with None)."""
        width = max((len(r) for r in rows), default=0)
        cells = np.full((len(rows), width), None, dtype=object)
        for i, row in enumerate(rows):
            cells[i, : len(row)] = row
        return cls(cells, **kw)  # type: ignore[arg-type]

    def filled(self) -> np.ndarray:
        """Non-blank cells (blank: empty, NaN, or only blanks and invisible characters);
        computed once per grid (the cells are not changed by the readers before it)."""
        cached = self.__dict__.get("_filled")
        if cached is not None and cached.shape == self.cells.shape:
            return cached
        if self.cells.size == 0:
            out = np.zeros(self.cells.shape, dtype=bool)
        else:
            codes, uniques = self.factorized()
            blank_u = np.fromiter((_blank(v) for v in uniques), dtype=bool, count=len(uniques))
            blank = (codes < 0) | (blank_u[np.maximum(codes, 0)] if len(uniques) else True)
            out = ~blank.reshape(self.cells.shape)
        self.__dict__["_filled"] = out
        return out

    def factorized(self) -> tuple[np.ndarray, np.ndarray]:
        """Codes (flat, -1 for missing) and distinct values of the cells, computed once."""
        cached = self.__dict__.get("_factorized")
        if cached is None:
            cached = pd.factorize(self.cells.ravel(), use_na_sentinel=True)
            self.__dict__["_factorized"] = cached
        return cached


@dataclass
class Found:
    """What :func:`discover` found: the header, the columns and rows to read, and every row
    skipped with its reason (``(spreadsheet row, reason, first text of the row)``)."""

    header: list[str]
    labels: list[str]  # the header as printed: parent / child joined
    columns: np.ndarray  # grid column of each header name
    body: np.ndarray  # grid rows read
    skipped: list[tuple[int, str, str]]
    header_rows: tuple[int, int]  # first and last spreadsheet row of the header block
    hidden_columns: list[tuple[str, str]] = field(default_factory=list)  # (letter, label)
    filled_down: int = 0  # body cells filled from a vertical merge
    hidden_read: list[int] = field(default_factory=list)  # hidden rows read (hidden="read")


def column_letter(j: int) -> str:
    """Excel's letter of 0-based column ``j``.

    Example
    -------
    >>> from banghdai.data.discover import column_letter
    >>> column_letter(0), column_letter(27)
    ('A', 'AB')
    """
    out = ""
    j += 1
    while j:
        j, r = divmod(j - 1, 26)
        out = chr(65 + r) + out
    return out


def header_row(rows: list[list[object]], known: Iterable[str] = ()) -> int:
    """Position in ``rows`` (the top of a sheet or CSV) of the header row.

    The first non-blank row, unless title rows sit above the header: then the first
    row whose cells look like headers — at least two text cells (not numbers), at
    least one a header the library knows (:data:`~banghdai.data.schema.HEADER_WORDS`,
    or ``known``) — with every non-blank row above it narrower than it.

    Example
    -------
    >>> from banghdai.data.discover import header_row
    >>> header_row([["XX县导师帮带对象名单", None, None], [None, None, None],
    ...             ["序号", "姓名", "所在乡镇"], [1, "张三", "良田镇"]])
    2
    """
    words = HEADER_WORDS | {header_key(k) for k in known}
    seen: list[tuple[int, int, int, int]] = []
    for i, row in enumerate(rows):
        filled = [v for v in row if not _blank(v)]
        if not filled:
            continue
        texts = [t for t in map(_text, filled) if t is not None]
        hits = sum(header_key(t) in words or _known_tail(t, words) for t in texts)
        seen.append((i, len(filled), len(texts), hits))
        if len(seen) >= HEADER_SCAN_ROWS:
            break
    if not seen:
        return 0
    widest_above = 0
    for position, n_filled, n_texts, n_hits in seen:
        if n_hits and n_texts >= 2 and n_texts >= 0.8 * n_filled and n_filled > widest_above:
            return position
        widest_above = max(widest_above, n_filled)
    return seen[0][0]


def _known_tail(text: str, words: frozenset[str] | set[str]) -> bool:
    """``所在地/乡镇``: the part after the last slash is a known header."""
    key = header_key(text)
    return "/" in key and key.rsplit("/", 1)[1] in words


def _labelish(value: object) -> bool:
    text = _text(value)
    return text is not None and not re.search(r"[:：]", text) and len(text) <= 40


def _merge_map(grid: Grid) -> dict[tuple[int, int], tuple[int, int, int, int]]:
    """Top-left cell of each merge → the merge."""
    return {(r0, c0): (r0, c0, r1, c1) for r0, c0, r1, c1 in grid.merges}


def _is_child(grid: Grid, filled: np.ndarray, parent: int, child: int, words: set[str],
              width: int) -> bool:
    """Is row ``child`` (just below ``parent``) a lower header row of ``parent``'s block?"""
    if child >= len(grid.cells) or parent < 0:
        return False
    cells = grid.cells[child, :width]
    row_filled = filled[child, :width]
    if not row_filled.any() or not all(_labelish(v) for v in cells[row_filled]):
        return False
    groups = np.zeros(width, dtype=bool)  # columns under a parent cell spanning several
    for r0, c0, r1, c1 in grid.merges:
        if r0 == parent and c1 > c0 and r1 == parent:
            groups[c0: min(c1, width - 1) + 1] = True
    if not grid.merges:  # a CSV: a parent label followed by blanks the child row fills
        p = filled[parent, :width]
        for j in np.flatnonzero(p):
            k = j + 1
            while k < width and not p[k] and row_filled[k]:
                k += 1
            if k > j + 1 and row_filled[j]:
                groups[j:k] = True
    under = row_filled & groups
    if not under.any():
        return False
    hits = sum(header_key(str(_text(v))) in words or _known_tail(str(_text(v)), words)
               for v in cells[under])
    return hits >= 1 or bool(grid.merges)


def _is_parent(grid: Grid, filled: np.ndarray, parent: int, header: int, width: int) -> bool:
    """Is row ``parent`` (just above the header row) an upper header row over it?

    Yes when a label of it spans down into the header row (序号 merged over both rows), or
    when it has a label spanning several columns that is not the whole table's title; in a
    CSV, when it holds two labels or more and one sits over a column the header row leaves
    blank (the CSV form of a label merged over both rows)."""
    if parent < 0:
        return False
    row_filled = filled[parent, :width]
    if not row_filled.any() or not all(_labelish(v) for v in grid.cells[parent, :width][row_filled]):
        return False
    if grid.merges:
        if any(r0 == parent and r1 >= header for r0, _, r1, _ in grid.merges):
            return True
        spans = [(c0, c1) for r0, c0, r1, c1 in grid.merges if r0 == parent and c1 > c0]
        cols = np.flatnonzero(filled[header, :width])
        if not spans or not len(cols):
            return False
        return not any(c0 <= cols[0] and c1 >= cols[-1] for c0, c1 in spans)
    return bool(row_filled.sum() >= 2 and (row_filled & ~filled[header, :width]).any())


def _names(grid: Grid, filled: np.ndarray, block: list[int], width: int,
           known: set[str]) -> tuple[list[str], list[str]]:
    """Column names of a header block: the lowest label of each column, or its labels joined
    with ``/`` when the lowest one repeats (``导师/姓名``, ``对象/姓名``)."""
    rows = []
    for r in block:
        row = [((_text(v) or _shown(v)) if filled[r, j] else None)  # a number: its digits
               for j, v in enumerate(grid.cells[r, :width])]
        rows.append(row)
    merged = [(r0, c0, r1, c1) for r0, c0, r1, c1 in grid.merges if r0 in block]
    pos = {r: k for k, r in enumerate(block)}
    for r0, c0, r1, c1 in merged:  # a parent spanning columns, a label spanning rows
        value = rows[pos[r0]][c0] if c0 < width else None
        for r in range(r0, r1 + 1):
            if r in pos:
                for j in range(c0, min(c1, width - 1) + 1):
                    if rows[pos[r]][j] is None:
                        rows[pos[r]][j] = value
    if not grid.merges:  # CSV: a group label covers the blanks its child row fills
        for k in range(len(block) - 1):
            upper, lower = rows[k], rows[k + 1]
            current = None
            for j in range(width):
                if upper[j] is not None:
                    current = upper[j] if lower[j] is not None else None
                elif current is not None and lower[j] is not None:
                    upper[j] = current
                else:
                    current = None
    labels, lows = [], []
    for j in range(width):
        parts: list[str] = []
        for row in rows:
            cell = row[j]
            if cell is not None and (not parts or parts[-1] != cell):
                parts.append(cell)
        labels.append("/".join(parts))
        lows.append(parts[-1] if parts else "")
    counts = pd.Series([x for x in lows if x]).value_counts()
    names = []
    for j in range(width):
        if not lows[j]:
            names.append(f"Unnamed: {j}")
        elif labels[j] in known or counts.get(lows[j], 0) > 1:
            names.append(labels[j])
        else:
            names.append(lows[j])
    return names, labels


def discover(grid: Grid, known: Iterable[str] = (), *, hidden: str = "skip") -> Found:
    """Find the header block and the rows that are people (see the module doc).

    ``hidden="skip"`` leaves hidden rows and columns out, ``"read"`` reads them; either way
    they are listed (``Found.skipped`` / ``Found.hidden_columns``).

    Example
    -------
    >>> from banghdai.data.discover import Grid, discover
    >>> grid = Grid.of([["序号", "基本信息", None, "所在地", None],
    ...                 [None, "姓名", "性别", "乡镇", "村"],
    ...                 [1, "张三", "男", "城关镇", "东村"]],
    ...                merges=[(0, 0, 1, 0), (0, 1, 0, 2), (0, 3, 0, 4)])
    >>> f = discover(grid)
    >>> f.header, f.labels[3], f.header_rows
    (['序号', '姓名', '性别', '乡镇', '村'], '所在地/乡镇', (1, 2))
    """
    known = {header_key(k) for k in known}
    words = set(HEADER_WORDS) | known
    filled = grid.filled()
    n, width = grid.cells.shape
    rows_filled = (np.asarray(filled.any(axis=1), dtype=bool) if grid.cells.size
                   else np.zeros(n, dtype=bool))
    scan = np.flatnonzero(rows_filled)[:HEADER_SCAN_ROWS]
    if not len(scan):
        return Found([], [], np.array([], dtype=np.int64), np.array([], dtype=np.int64), [],
                     (1, 1))
    top = int(scan[header_row([list(grid.cells[i]) for i in scan], known)])
    # the header's width: up to its last filled cell or the last column holding data below
    last_col = width
    first = top
    if _is_parent(grid, filled, top - 1, top, width):
        first = top - 1
    block = [first] if first < top else []
    block.append(top)
    while len(block) < 3 and _is_child(grid, filled, block[-1], block[-1] + 1, words, last_col):
        block.append(block[-1] + 1)
    end = block[-1]
    names, labels = _names(grid, filled, block, width, known)
    keep_cols = np.ones(width, dtype=bool)
    # trailing columns with neither a header nor data are dropped
    below = filled[end + 1:]
    for j in range(width - 1, -1, -1):
        if names[j].startswith("Unnamed: ") and not below[:, j].any():
            keep_cols[j] = False
        else:
            break
    hidden_columns: list[tuple[str, str]] = []
    if grid.hidden_cols is not None:
        for j in np.flatnonzero(grid.hidden_cols[:width] & keep_cols).tolist():
            hidden_columns.append((column_letter(j), labels[j] or names[j]))
            if hidden == "skip":
                keep_cols[j] = False
    cols = np.flatnonzero(keep_cols)
    skipped: list[tuple[int, str, str]] = []
    for i in range(top if first == top else first):
        if rows_filled[i]:
            skipped.append((i + 1, "title", _first_text(grid.cells[i])))
    body, more, filled_down = _classify(grid, filled, block, end, cols, labels, hidden)
    skipped += more
    skipped.sort()
    hidden_read = ([int(r) + 1 for r in body if grid.hidden_rows[r]]
                   if grid.hidden_rows is not None else [])
    return Found([names[j] for j in cols], [labels[j] for j in cols], cols, body, skipped,
                 (first + 1, end + 1), hidden_columns, filled_down, hidden_read)


def _shown(value: object) -> str:
    """A cell as text: a whole number without ``.0``, text cleaned, anything else as str."""
    if isinstance(value, float) and np.isfinite(value) and value == int(value):
        return str(int(value))
    return clean_text(value) if isinstance(value, str) else str(value)


def _first_text(row: np.ndarray) -> str:
    for v in row:
        if not _blank(v):
            return _shown(v)[:40]
    return ""


def _classify(grid: Grid, filled: np.ndarray, block: list[int], end: int, cols: np.ndarray,
              labels: list[str], hidden: str) -> tuple[np.ndarray, list, int]:
    n = len(grid.cells)
    rows = np.arange(end + 1, n)
    sub = filled[end + 1:][:, cols] if len(cols) else np.zeros((len(rows), 0), dtype=bool)
    count = sub.sum(axis=1)
    width = max(len(cols), 1)
    # texts of every cell once: totals, footers, repeated header labels
    cells = grid.cells[end + 1:]
    all_codes, uniques = grid.factorized()
    codes = all_codes[(end + 1) * grid.cells.shape[1]:]
    # only texts that could be a total, a footer or a header label are looked at closely
    initials = set(_INITIALS)
    for r in block:
        initials.update(_squeezed(v)[:1] for v in grid.cells[r] if isinstance(v, str))
    for label in labels:
        initials.update(p[:1] for p in label.split("/"))
    initials.discard("")
    squeezed = [_squeezed(v) if isinstance(v, str) and v.lstrip("\u3000\xa0\u200b\ufeff \t")[:1]
                in initials else "" for v in uniques]
    is_total = np.zeros(len(squeezed), dtype=bool)
    is_footer = np.zeros(len(squeezed), dtype=bool)
    for k, text in enumerate(squeezed):
        if text and text[0] in _INITIALS:
            is_total[k] = _TOTAL.fullmatch(text) is not None
            is_footer[k] = _FOOTER.match(text.replace("（", "(").replace("）", ")")) is not None
    safe = np.maximum(codes, 0)
    has = codes >= 0
    total = ((is_total[safe] & has) if len(uniques) else has & False).reshape(cells.shape)
    footer = ((is_footer[safe] & has) if len(uniques) else has & False).reshape(cells.shape)
    total_row = total.any(axis=1) if cells.size else np.zeros(len(rows), dtype=bool)
    footer_cell = footer.any(axis=1) if cells.size else np.zeros(len(rows), dtype=bool)
    # a row that repeats a header row (the header printed again on each page): most of its
    # cells are labels of their column's header block
    repeat = np.zeros(len(rows), dtype=bool)
    if len(rows) and cells.size:
        sq = np.array(squeezed + [""], dtype=object)[np.where(has, codes, len(uniques))]
        sq = sq.reshape(cells.shape)
        hit = np.zeros(len(rows), dtype=np.int64)
        for j in cols:  # the columns read (a hidden column's own label does not count)
            own = {re.sub(r"\s+", "", p) for p in labels[j].split("/") if p} if j < len(labels) \
                else set()
            own |= {_squeezed(grid.cells[r, j]) for r in block if filled[r, j]}
            own.discard("")
            if own:
                hit += np.isin(sq[:, j], list(own))
        nonblank = sub.sum(axis=1)  # every filled cell read, not only the candidates
        repeat = (hit >= np.maximum(2, np.ceil(0.6 * nonblank))) | ((hit >= 1) & (hit == nonblank))
    # a section row: one label merged across at least half the table
    section = np.zeros(len(rows), dtype=bool)
    for r0, c0, r1, c1 in grid.merges:
        if r0 > end and r0 == r1 and c1 - c0 + 1 >= max(3, width // 2) and count[r0 - end - 1] == 1:
            section[r0 - end - 1] = True
    hidden_row = (grid.hidden_rows[end + 1:] if grid.hidden_rows is not None
                  else np.zeros(len(rows), dtype=bool))
    reason = np.full(len(rows), "", dtype=object)
    blank = count == 0
    reason[blank] = "blank"
    sparse = count <= max(1, width // 2)
    reason[(reason == "") & total_row] = "total"
    foot = (reason == "") & footer_cell & sparse
    reason[foot] = "footer"
    if foot.any():  # note lines after the first footer line belong to it
        after = np.arange(len(rows)) > int(np.flatnonzero(foot)[0])
        reason[(reason == "") & after & sparse] = "footer"
    reason[(reason == "") & repeat] = "repeated_header"
    reason[(reason == "") & section] = "section"
    if hidden == "skip":
        reason[(reason == "") & hidden_row] = "hidden"
    read = reason == ""
    skipped = [(int(rows[k]) + 1, str(reason[k]), _first_text(grid.cells[rows[k]]))
               for k in np.flatnonzero(~read & ~blank)]
    skipped += [(int(rows[k]) + 1, "blank", "") for k in np.flatnonzero(blank).tolist()
                if _inside(k, read)]
    # a vertical merge in the body: its value in every row it spans (what the sheet shows)
    filled_down = 0
    for r0, c0, r1, c1 in grid.merges:
        if r0 > end and r1 > r0:
            value = grid.cells[r0, c0]
            for r in range(r0 + 1, r1 + 1):
                for j in range(c0, c1 + 1):
                    if _blank(grid.cells[r, j]):
                        grid.cells[r, j] = value
                        filled_down += read[r - end - 1]
    return rows[read], skipped, filled_down


def _inside(k: int, read: np.ndarray) -> bool:
    """A blank row between rows read (trailing blank rows at the end are not reported)."""
    return bool(read[:k].any() and read[k + 1:].any())


__all__ = ["Found", "Grid", "REASONS", "column_letter", "discover", "header_row"]
