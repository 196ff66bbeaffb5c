"""Workbooks written the way a 组织部 formats them, and their clean versions.

:func:`roster` draws a seeded county roster (mentors, mentees, designated pairs);
:func:`write_clean` writes it plainly (one header row, ids, ``;``-separated domains,
designations by id) and :func:`write_formatted` writes the same people as a county
sends them, with any mix of the layouts in :class:`Layout`: a title, 填报单位 / 日期
and note lines above; a header of one to three rows with merged cells (基本信息 over
姓名 / 性别, 所在地 over 乡镇 / 村); 合计 and 小计 rows; the header repeated on each
printed page; blank separator rows; 填表人 / 审核人 / 联系电话 / 注 lines below; hidden
rows (people withdrawn) and a hidden column; full-width digits, space-separated
domains, trailing blanks of every kind; sheets named ``附件1 导师库``; one mentees
sheet per township (the township then only in the sheet's name); township cells
merged down; a ``组织指定结对`` sheet giving the designated pairs by name and unit.

Every extra row written (titles, totals, footers, blank, hidden, repeated headers) is
listed in ``Written.noise`` by sheet and Excel row, so tests can check the read
report names each one.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
import pandas as pd
from hypothesis import strategies as st

TOWNSHIPS = {"城关镇": (38.47, 106.27), "河口镇": (38.60, 106.05), "良田乡": (38.30, 106.45),
             "丰登镇": (38.75, 106.40), "新华街道": (38.52, 106.20)}
TAGS = ("电商销售", "集体经济", "财务管理", "党建", "基层治理", "产业发展", "矛盾调解", "乡村旅游")
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = "建国红军伟芳敏静丽强磊洋艳勇军杰娟涛明超秀霞平刚"
RULES = """\
[pairing]
shape = "many_to_many"
capacity = "capacity"
mentors_per_mentee = "mentors_required"

[columns.mentors]
capacity = "帮带人数上限"

[[require]]
rule = "same_region"
level = "township"

[[require]]
rule = "shares_domain"

[[prefer]]
score = "domain_fit"
weight = 2

[[prefer]]
score = "closeness"
scale_km = 30
"""


@dataclass
class Roster:
    mentors: pd.DataFrame
    mentees: pd.DataFrame
    fixed: pd.DataFrame  # mentor_id, mentee_id


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def roster(n_mentors: int = 95, n_mentees: int = 180, seed: int = 0, n_fixed: int = 3) -> Roster:
    """A county roster: mentors (some sharing a name, told apart by their unit), mentees,
    and designated pairs that keep every rule (same township, a shared domain)."""
    rng = random.Random(seed)
    towns = list(TOWNSHIPS)

    def person(i: int, side: str) -> dict:
        town = towns[i % len(towns)] if i < len(towns) else rng.choice(towns)
        lat, lon = TOWNSHIPS[town]
        tags = rng.sample(TAGS, rng.choice((1, 2, 3)))
        return {"姓名": _name(rng), "性别": rng.choice("男女"),
                "出生年月": f"19{rng.randrange(60, 99)}.{rng.randrange(1, 13):02d}",
                "乡镇": town, "村（社区）": f"{rng.choice('东西南北')}{rng.choice('湾沟坪庄')}村",
                "工作单位": f"{town}{rng.choice(['党委', '政府', '农业站', '司法所'])}"
                            if side == "m" else "",
                "领域": tags, "纬度": round(lat + rng.uniform(-0.05, 0.05), 4),
                "经度": round(lon + rng.uniform(-0.05, 0.05), 4)}

    mentors = []
    for i in range(n_mentors):
        p = person(i, "m")
        p["工作单位"] = f"{p['乡镇']}单位{i % 7}"
        mentors.append({"导师编号": f"M{i + 1:03d}", **p, "帮带人数上限": rng.choice((1, 2, 2, 3)),
                        "导师类型": rng.choice(("专家型", "经验型", "群众型"))})
    for i in range(0, n_mentors - 1, 17):  # namesakes in different units
        mentors[i + 1]["姓名"] = mentors[i]["姓名"]
    mentees = []
    for i in range(n_mentees):
        p = person(i, "e")
        p["工作单位"] = f"{p['村（社区）']}党支部"
        mentees.append({"对象编号": f"E{i + 1:03d}", **p,
                        "对象类别": rng.choice(("新任村书记", "后进村书记")), "需配导师数": 1})
    m, e = pd.DataFrame(mentors), pd.DataFrame(mentees)
    fixed, used_m, used_e = [], set(), set()
    for a in m.itertuples():
        if len(fixed) >= n_fixed:
            break
        if (m["姓名"] == a.姓名).sum() > 1 and len(fixed) == 0:
            pass  # the first designation goes to a namesake: its unit tells them apart
        elif len(fixed) == 0:
            continue
        for b in e.itertuples():
            if b.对象编号 in used_e or a.导师编号 in used_m:
                continue
            if (a.乡镇 == b.乡镇 and set(a.领域) & set(b.领域)
                    and (e["姓名"] == b.姓名).sum() == 1):
                fixed.append((a.导师编号, b.对象编号))
                used_m.add(a.导师编号)
                used_e.add(b.对象编号)
                break
    return Roster(m, e, pd.DataFrame(fixed, columns=["mentor_id", "mentee_id"]))


MENTOR_COLS = ["导师编号", "姓名", "性别", "出生年月", "工作单位", "乡镇", "村（社区）", "领域",
               "帮带人数上限", "导师类型", "纬度", "经度"]
MENTEE_COLS = ["对象编号", "姓名", "性别", "出生年月", "工作单位", "乡镇", "村（社区）", "领域",
               "对象类别", "需配导师数", "纬度", "经度"]
#: Header groups of the formatted sheets: (parent label, its columns).
GROUPS = [("基本信息", ("姓名", "性别", "出生年月", "工作单位")), ("所在地", ("乡镇", "村（社区）"))]
OWN = {"领域": ("擅长领域", "需求领域")}  # the domain column as each side calls it


def _header(cols: list[str], side: int) -> list[str]:
    return [OWN[c][side] if c in OWN else c for c in cols]


def write_clean(r: Roster, folder: Path) -> Path:
    """The roster plainly: sheets 导师名单, 帮带对象名单, 固定结对 and rules.toml beside it."""
    folder.mkdir(parents=True, exist_ok=True)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "导师名单"
    ws.append(_header(MENTOR_COLS, 0))
    for row in r.mentors[MENTOR_COLS].itertuples(index=False):
        ws.append([";".join(v) if isinstance(v, list) else v for v in row])
    ws = wb.create_sheet("帮带对象名单")
    ws.append(_header(MENTEE_COLS, 1))
    for row in r.mentees[MENTEE_COLS].itertuples(index=False):
        ws.append([";".join(v) if isinstance(v, list) else v for v in row])
    if len(r.fixed):
        ws = wb.create_sheet("固定结对")
        ws.append(["mentor_id", "mentee_id"])
        for row in r.fixed.itertuples(index=False):
            ws.append(list(row))
    path = folder / "clean.xlsx"
    wb.save(path)
    (folder / "clean.rules.toml").write_text(RULES, encoding="utf-8")
    return path


@dataclass(frozen=True)
class Layout:
    """How a 组织部 formats its workbook (each switch one habit)."""

    title: bool = True
    fill_line: bool = True  # 填报单位：… 填报日期：…
    header_rows: int = 2  # 1, 2 or 3 rows with merged cells
    totals: bool = True  # 合计 at the end, 小计 per township
    footer: bool = True  # 填表人 / 联系电话 / 审核人, 注 lines
    page_rows: int = 0  # the header printed again every n rows (0: never)
    blank_between: bool = True  # a blank row between townships
    hidden_rows: int = 1  # people withdrawn, hidden (not read by default)
    hidden_column: bool = True  # an internal column, hidden
    wide_digits: bool = True  # some capacities typed as full-width digits
    space_domains: bool = True  # some domains separated by spaces
    blanks: bool = True  # trailing spaces, NBSP, U+3000 in township cells, ZWSP in ids
    sheet_names: str = "attachment"  # "plain" (导师名单) or "attachment" (附件1 导师库)
    split_mentees: bool = True  # one mentees sheet per township
    drop_township: bool = False  # per-township sheets without a township column
    merge_township: bool = False  # township cells merged down over their rows
    designations: bool = True  # a 组织指定结对 sheet by name (and unit)
    seed: int = 0


@dataclass
class Written:
    path: Path
    noise: dict[str, list[int]] = field(default_factory=dict)  # sheet → Excel rows skipped
    withdrawn: list[str] = field(default_factory=list)  # ids of the hidden people


class _Sheet:
    def __init__(self, ws, layout: Layout, rng: random.Random, written: Written) -> None:
        self.ws, self.layout, self.rng, self.written = ws, layout, rng, written
        self.noise = written.noise.setdefault(ws.title, [])

    @property
    def row(self) -> int:
        return self.ws.max_row + 1 if self.ws.max_row > 1 or self.ws["A1"].value else 1

    def add(self, values: list, *, noise: bool = False) -> int:
        r = self.row
        for j, v in enumerate(values, 1):
            if v is not None:
                self.ws.cell(r, j, v)
        if noise:
            self.noise.append(r)
        return r

    def blank(self, *, noise: bool = True) -> int:
        r = self.row
        self.ws.cell(r, 1, None)
        self.ws.row_dimensions[r].height = 8
        # openpyxl's max_row counts a row only with a cell: keep a styled empty cell
        self.ws.cell(r, 1).number_format = "@"
        if noise:
            self.noise.append(r)
        return r

    def header(self, names: list[str], *, noise: bool = False) -> None:
        """The header block: one row, or 基本信息 / 所在地 over their columns (2 rows), or a
        third row on top (人员情况 over both groups)."""
        depth = self.layout.header_rows
        width = len(names)
        top = self.row
        rows = [[None] * width for _ in range(depth)]
        for j, n in enumerate(names):
            rows[-1][j] = n
        merges = []
        if depth >= 2:
            for label, members in GROUPS:
                idx = [j for j, n in enumerate(names) if n in members]
                if not idx:
                    continue
                rows[-2][idx[0]] = label
                rows[-1][idx[0]: idx[-1] + 1] = [names[j] for j in range(idx[0], idx[-1] + 1)]
                merges.append((depth - 2, idx[0], depth - 2, idx[-1]))
            grouped = {j for label, members in GROUPS for j, n in enumerate(names) if n in members}
            for j, n in enumerate(names):
                if j not in grouped:  # a label spanning the header's rows
                    rows[0][j] = n
                    for k in range(1, depth):
                        rows[k][j] = None
                    merges.append((0, j, depth - 1, j))
        if depth == 3:
            idx = sorted({j for label, members in GROUPS for j, n in enumerate(names)
                          if n in members})
            rows[0][idx[0]] = "人员情况"
            merges.append((0, idx[0], 0, idx[-1]))
        for values in rows:
            self.add(values, noise=noise)
        for r0, c0, r1, c1 in merges:
            if (r0, c0) != (r1, c1):
                self.ws.merge_cells(start_row=top + r0, start_column=c0 + 1,
                                    end_row=top + r1, end_column=c1 + 1)


def _cell(value, column: str, layout: Layout, rng: random.Random):
    if isinstance(value, list):
        sep = " " if layout.space_domains and rng.random() < 0.5 else rng.choice(["、", "；", ","])
        return sep.join(value)
    if column == "帮带人数上限" and layout.wide_digits and rng.random() < 0.3:
        return str(value).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    if column == "乡镇" and layout.blanks and rng.random() < 0.3:
        return value + rng.choice([" ", "\xa0", "\u3000", "  "])
    if column in ("导师编号", "对象编号") and layout.blanks and rng.random() < 0.1:
        return rng.choice(["\u200b", " ", "\ufeff"]) + value
    return value


def _people(sheet: _Sheet, frame: pd.DataFrame, cols: list[str], names: list[str],
            start: int, layout: Layout, rng: random.Random) -> int:
    """The rows of ``frame`` grouped by township (序号 from ``start``), with the habits of
    ``layout``; returns the next 序号."""
    n = start
    towns = list(dict.fromkeys(frame["乡镇"]))
    since_header = 0
    for t, town in enumerate(towns):
        group = frame[frame["乡镇"] == town]
        if t and layout.blank_between:
            sheet.blank()
        first = None
        for row in group.to_dict("records"):
            if layout.page_rows and since_header >= layout.page_rows:
                sheet.add(names, noise=True)  # the header again on the next printed page
                since_header = 0
            values = [n] + [_cell(row[c], c, layout, rng) for c in cols]
            if layout.hidden_column:
                values.append(f"内部{rng.randrange(100)}")
            r = sheet.add(values)
            first = first or r
            n += 1
            since_header += 1
        if layout.merge_township and "乡镇" in cols and first is not None:
            j = cols.index("乡镇") + 2
            last = sheet.row - 1
            if last > first:
                for r in range(first + 1, last + 1):
                    sheet.ws.cell(r, j).value = None
                sheet.ws.merge_cells(start_row=first, start_column=j, end_row=last, end_column=j)
        if layout.totals:
            total = {"乡镇": town, "姓名": f"{len(group)}人"}
            if "帮带人数上限" in cols:
                total["帮带人数上限"] = int(group["帮带人数上限"].sum())
            sheet.add(_row("小计", cols, total), noise=True)
    return n


def _row(first: object, cols: list[str], values: dict) -> list:
    """A row of the sheet: ``first`` in the 序号 column, ``values`` by column."""
    return [first] + [values.get(c) for c in cols]


def _hidden(sheet: _Sheet, frame: pd.DataFrame, cols: list[str], layout: Layout,
            rng: random.Random, id_col: str) -> None:
    """People withdrawn: real-looking rows with new ids, hidden."""
    for k in range(layout.hidden_rows):
        row = dict(frame.iloc[k % len(frame)])
        row[id_col] = f"{'M' if id_col == '导师编号' else 'E'}9{len(sheet.written.withdrawn):02d}X"
        sheet.written.withdrawn.append(row[id_col])
        values = _row(900 + k, cols, {c: _cell(row[c], c, layout, rng) for c in cols})
        r = sheet.add(values)
        sheet.ws.row_dimensions[r].hidden = True
        sheet.noise.append(r)


def _footer(sheet: _Sheet, layout: Layout, rng: random.Random, width: int) -> None:
    if rng.random() < 0.5:
        sheet.add(["填表人：张三　　联系电话：13800000000　　审核人：李四"], noise=True)
    else:
        sheet.add(["填表人：", "张三", None, "联系电话：", "13800000000", None, "审核人：李四"],
                  noise=True)
    sheet.add(["注：1.帮带人数上限按导师实际情况填写。"], noise=True)
    sheet.add(["2.领域可填多个。"], noise=True)


def _top(sheet: _Sheet, title: str, layout: Layout, width: int) -> None:
    if layout.title:
        r = sheet.add([title], noise=True)
        sheet.ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=width)
    if layout.fill_line:
        sheet.add(["填报单位：XX县委组织部（盖章）"] + [None] * (width - 4) + ["填报日期：2027年3月"],
                  noise=True)


def _table(wb, title: str, sheet_title: str, frame: pd.DataFrame, cols: list[str], side: int,
           layout: Layout, rng: random.Random, written: Written) -> None:
    ws = wb.create_sheet(sheet_title)
    sheet = _Sheet(ws, layout, rng, written)
    names = ["序号", *_header(cols, side)] + (["内部备注"] if layout.hidden_column else [])
    _top(sheet, title, layout, len(names))
    sheet.header(names)
    if layout.hidden_column:
        letter = openpyxl.utils.get_column_letter(len(names))
        ws.column_dimensions[letter].hidden = True
    _people(sheet, frame, cols, names, 1, layout, rng)
    _hidden(sheet, frame, cols, layout, rng, cols[0])
    if layout.totals:
        total = {"姓名": f"{len(frame)}人"}
        if "帮带人数上限" in cols:
            total["帮带人数上限"] = int(frame["帮带人数上限"].sum())
        sheet.add(_row("合计", cols, total), noise=True)
    if layout.footer:
        _footer(sheet, layout, rng, len(names))


def write_formatted(r: Roster, folder: Path, layout: Layout) -> Written:
    """The same roster as a county sends it (see the module doc)."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(layout.seed)
    path = folder / "导师帮带名单（报送）.xlsx"
    written = Written(path)
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    attach = layout.sheet_names == "attachment"
    _table(wb, "XX县导师库名单", "附件1 导师库" if attach else "导师名单", r.mentors, MENTOR_COLS, 0,
           layout, rng, written)
    if layout.split_mentees:
        cols = [c for c in MENTEE_COLS if not (layout.drop_township and c == "乡镇")]
        for town in dict.fromkeys(r.mentees["乡镇"]):
            part = r.mentees[r.mentees["乡镇"] == town]
            name = f"附件2 帮带对象名单（{town}）" if attach else f"帮带对象（{town}）"
            _table(wb, f"{town}帮带对象名单", name, part, cols, 1,
                   layout, rng, written)
    else:
        _table(wb, "XX县帮带对象名单", "附件2 帮带对象名单" if attach else "帮带对象名单",
               r.mentees, MENTEE_COLS, 1, layout, rng, written)
    if len(r.fixed):
        ws = wb.create_sheet("组织指定结对")
        sheet = _Sheet(ws, layout, rng, written)
        if layout.designations:
            sheet.add(["序号", "导师姓名", "导师单位", "帮带对象姓名", "对象单位"])
            m = r.mentors.set_index("导师编号")
            e = r.mentees.set_index("对象编号")
            for k, (a, b) in enumerate(r.fixed.itertuples(index=False), 1):
                sheet.add([k, m.loc[a, "姓名"], m.loc[a, "工作单位"], e.loc[b, "姓名"],
                           e.loc[b, "工作单位"]])
        else:
            sheet.add(["导师编号", "对象编号"])
            for row in r.fixed.itertuples(index=False):
                sheet.add(list(row))
        if layout.footer:
            sheet.add(["注：以上结对由组织指定。"], noise=True)
    wb.save(path)
    (folder / "rules.toml").write_text(RULES, encoding="utf-8")
    return written


def layouts() -> st.SearchStrategy[Layout]:
    """Any mix of the habits of :class:`Layout` (hypothesis)."""
    return st.builds(
        Layout, title=st.booleans(), fill_line=st.booleans(), header_rows=st.sampled_from((1, 2, 3)),
        totals=st.booleans(), footer=st.booleans(), page_rows=st.sampled_from((0, 0, 7, 15)),
        blank_between=st.booleans(), hidden_rows=st.integers(0, 2),
        hidden_column=st.booleans(), wide_digits=st.booleans(), space_domains=st.booleans(),
        blanks=st.booleans(), sheet_names=st.sampled_from(("plain", "attachment")),
        split_mentees=st.booleans(), drop_township=st.booleans(),
        merge_township=st.booleans(), designations=st.booleans(),
        seed=st.integers(0, 10**6))
