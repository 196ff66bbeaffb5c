"""The report layer: the pair workbook, the papers that follow the match, and the plots."""

from __future__ import annotations

import datetime as dt
import io
import re
import warnings
import zipfile

import numpy as np
import pandas as pd
import pytest

import banghdai as bd
from banghdai.report import papers as papers_mod
from banghdai.report.papers import programme_calendar, write_papers
from banghdai.report.workbook import write_workbook

openpyxl = pytest.importorskip("openpyxl")


@pytest.fixture(scope="module")
def yinchuan():
    """The Yinchuan sample as its rules file describes it: 600 mentees, 多对多, reasons in Chinese."""
    roster = bd.load_sample("yinchuan")
    problem = roster.problem()
    return roster, problem, problem.solve(seed=0, lang="zh")


@pytest.fixture(scope="module")
def roster_book(yinchuan, tmp_path_factory):
    """The zh workbook of the Yinchuan sample, read back."""
    _, problem, result = yinchuan
    path = tmp_path_factory.mktemp("wb") / "帮带对子名单.xlsx"
    out = write_workbook(result, problem, path, rules_text="[pairing]\nshape = \"many_to_many\"")
    assert out == path
    return openpyxl.load_workbook(path)


@pytest.fixture(scope="module")
def township_problem(yinchuan):
    """Two townships of Yinchuan (about 40 mentees): small enough to read the papers back fast."""
    roster, full, _ = yinchuan
    keep = roster.mentees["township"].isin(["掌政镇", "大新镇"])
    problem = bd.Problem(roster.mentors, roster.mentees[keep], pairing=full.pairing)
    problem.require(*[r for r in full.edge_rules if not isinstance(r, bd.ForbiddenPairs)])
    problem.prefer(*full.scores)
    return problem, problem.solve(seed=0, lang="zh")


@pytest.fixture(scope="module")
def papers_book(township_problem, tmp_path_factory):
    problem, result = township_problem
    path = tmp_path_factory.mktemp("papers") / "档案.xlsx"
    write_papers(result, problem, path, start="2027-01-01")
    return openpyxl.load_workbook(path)


def _header(ws, row=2):
    return [c.value for c in ws[row]]


def _rows(ws, first=3):
    return [list(r) for r in ws.iter_rows(min_row=first, values_only=True)]


def _tiny(name="=1+1"):
    """A hand-made problem with text that Excel would read as formulas."""
    mentors = pd.DataFrame({
        "导师编号": ["M1", "M2"], "姓名": ["张三", "@SUM(A1)"], "单位职务": ["-镇党委书记", "+村支书"],
        "县区": ["甲县", "甲县"], "乡镇": ["良田镇", "良田镇"], "纬度": [38.5, 38.6],
        "经度": [106.3, 106.2], "帮带上限": [2, 2],
    })
    mentees = pd.DataFrame({
        "对象编号": ["E1", "E2", "E3"], "姓名": [name, "李四", "王五"],
        "县区": ["甲县", "甲县", "甲县"], "乡镇": ["良田镇", "良田镇", "良田镇"],
        "村": ["东村", "西村", None], "纬度": [38.4, 38.5, 38.45], "经度": [106.4, 106.3, 106.35],
        "类别": ["村书记", "后备干部", "村书记"],
    })
    problem = bd.Problem(mentors, mentees, pairing=bd.OneToMany(capacity="capacity"))
    problem.prefer(bd.Closeness(scale_km=30))
    return problem, problem.solve(seed=0)


# ---------------------------------------------------------------------------- workbook
SHEETS_ZH = ["帮带对子名单", "县区汇总", "未匹配名单", "配对明细", "规则与参数"]


def _table(ws, header_row=3):
    """(header, rows) of a sheet whose header is on ``header_row``."""
    return _header(ws, header_row), _rows(ws, header_row + 1)


def test_workbook_sheets_headers_and_print_setup(roster_book):
    """The list has the columns a 组织部 files, two header rows repeated on every page, A4."""
    assert roster_book.sheetnames == SHEETS_ZH
    ws = roster_book["帮带对子名单"]
    groups, header = _header(ws, 2), _header(ws, 3)
    # the sample's headers are the library's English names: shown in Chinese in a zh workbook
    assert header == ["序号", "县区", "乡镇", "村（社区）", "姓名", "单位", "类别",
                      "姓名", "单位", "姓名", "单位"]
    assert [g for g in groups if g] == ["帮带对象", "导师1", "导师2"]  # two mentors at most
    assert all(c.font.bold for c in ws[3] if c.value)
    assert ws.freeze_panes == "F4"  # 序号 … the mentee's name stay in view
    assert ws.print_title_rows == "$2:$3"
    assert ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) == 9  # A4, not A3
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert "&P" in ws.oddFooter.center.text and "&N" in ws.oddFooter.center.text
    assert ws["A1"].value == "银川市 帮带对子名单"
    for sheet in roster_book.worksheets:
        assert sheet.print_title_rows and sheet.page_setup.fitToWidth == 1
        last = 3 if sheet.title == "帮带对子名单" else 2
        for row in sheet.iter_rows(max_row=last, values_only=True):  # no library names as headers
            assert not {"unit_post", "mentee_id", "county", "township", "name"} & set(row)


def test_list_one_row_per_mentee_grouped_by_county_and_township(yinchuan, roster_book):
    roster, problem, result = yinchuan
    header, rows = _table(roster_book["帮带对子名单"])
    assert len(rows) == result.pairs["mentee_id"].nunique()
    assert [r[0] for r in rows] == list(range(1, len(rows) + 1))
    counties = [r[1] for r in rows]
    first_seen = list(dict.fromkeys(problem.mentees["county"]))
    assert list(dict.fromkeys(counties)) == [c for c in first_seen if c in set(counties)]
    blocks = [(r[1], r[2]) for r in rows]
    changes = sum(a != b for a, b in zip(blocks, blocks[1:], strict=False)) + 1
    assert changes == len(set(blocks))  # each county/township is one contiguous block
    # mentors side by side, names and units: the mentee's pairs, fixed first then best score
    names = dict(zip(roster.mentors["mentor_id"], roster.mentors["name"], strict=True))
    units = dict(zip(roster.mentors["mentor_id"], roster.mentors["unit"], strict=True))
    e_name = dict(zip(roster.mentees["name"], roster.mentees["mentee_id"], strict=False))
    two = next(r for r in rows if r[9] is not None)
    mine = result.pairs[result.pairs["mentee_id"] == e_name[two[4]]]
    assert {two[7], two[9]} == {names[m] for m in mine["mentor_id"]}
    assert {two[8], two[10]} == {units[m] for m in mine["mentor_id"]}
    fixed = result.pairs[result.pairs["fixed"]].iloc[0]
    row = next(r for r in rows if e_name.get(r[4]) == fixed["mentee_id"])
    assert row[7] == names[fixed["mentor_id"]]


def test_details_sheet_has_ids_goals_and_rounded_numbers(yinchuan, roster_book):
    _, _, result = yinchuan
    ws = roster_book["配对明细"]
    header = _header(ws, 2)
    assert header[:5] == ["序号", "对象编号", "帮带对象", "导师编号", "导师"]
    for word in ("距离(公里)", "共同领域", "领域匹配", "以强带弱", "匹配分", "组织指定"):
        assert word in header  # what the goals measure; a score because the goals weigh scores
    rows = _rows(ws, 3)
    assert len(rows) == len(result.pairs)
    assert {(r[1], r[3]) for r in rows} == set(zip(result.pairs["mentee_id"],
                                                   result.pairs["mentor_id"], strict=True))
    cols = {h: header.index(h) + 1 for h in ("距离(公里)", "匹配分", "序号")}
    for r in range(3, ws.max_row + 1):
        for name, j in cols.items():
            assert ws.cell(r, j).data_type == "n", (name, r)
        d, s = ws.cell(r, cols["距离(公里)"]), ws.cell(r, cols["匹配分"])
        assert d.number_format == "0.0" and s.number_format == "0.000"
    pair = result.pairs.sort_values("mentee_id").iloc[0]
    row = next(r for r in rows if (r[1], r[3]) == (pair["mentee_id"], pair["mentor_id"]))
    assert row[header.index("距离(公里)")] == round(pair["distance_km"], 3)
    assert row[header.index("匹配分")] == round(pair["score"], 3)
    assert row[header.index("共同领域")]  # the shared domains by name
    fixed = result.pairs[result.pairs["fixed"]].iloc[0]
    row = next(r for r in rows if (r[1], r[3]) == (fixed["mentee_id"], fixed["mentor_id"]))
    assert row[header.index("组织指定")] == "是"


def test_levels_only_show_what_the_levels_measure(yinchuan, tmp_path):
    """导师N匹配分 was 0 for every pair when the goals are levels: no score column then."""
    roster, full, _ = yinchuan
    problem = bd.Problem(roster.mentors, roster.mentees, pairing=full.pairing)
    problem.require(*full.edge_rules)
    problem.prefer(levels=[bd.Coverage(priority="priority"), bd.DomainFit(), bd.Closeness()])
    result = problem.solve(seed=0)
    bd.validate(problem, result.pairs).raise_if_invalid()
    wb = openpyxl.load_workbook(write_workbook(result, problem, tmp_path / "levels.xlsx"))
    header = _header(wb["配对明细"], 2)
    assert "匹配分" not in header
    assert {"优先级", "领域匹配", "距离(公里)"} <= set(header)
    goals = _audit_block(wb["规则与参数"], "三、目标（按优先顺序）")
    assert [g[1] for g in goals] == ["覆盖（优先级 1）", "覆盖（优先级 2）", "覆盖（优先级 3）",
                                     "领域匹配", "距离近"]
    assert all(g[4] == "最优" and g[5].startswith("✓") for g in goals)
    assert goals[0][2] == int(result.levels["value"].iloc[0])


def _audit_block(ws, heading):
    """The rows of one block of the audit sheet (under its heading and header)."""
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    i = next(k for k, r in enumerate(rows) if r[0] == heading)
    out = []
    for r in rows[i + 2:]:
        if r[0] is None:
            break
        out.append(r)
    return out


def test_workbook_summary_breaks_counties_into_townships(yinchuan, roster_book):
    _, problem, result = yinchuan
    ws = roster_book["县区汇总"]
    header, rows = _table(ws, 2)
    rows = rows[:[r[0] for r in rows].index(None)]  # the first block, before the categories
    assert header[0] == "县区 / 乡镇" and "覆盖率" in header and "使用导师" in header
    cats = _audit_block(ws, "各类别覆盖率")  # per category: a narrow table of its own
    assert {r[1] for r in cats} == set(problem.mentees["category"])
    weak = next(r for r in cats if r[0] == "合计" and r[1] == "薄弱党组织")
    mine = problem.mentees["category"] == "薄弱党组织"
    assert weak[2] == int(mine.sum()) and 0 < weak[6] <= 1
    counties = list(dict.fromkeys(problem.mentees["county"]))
    tops = [r[0] for r in rows[:-1] if not r[0].startswith("　")]
    assert tops == counties
    towns = problem.mentees.groupby("county", sort=False)["township"].unique()
    for county in counties:  # under every county, a line per township with its counts
        i = [r[0] for r in rows].index(county)
        under = []
        for r in rows[i + 1:]:
            if not r[0].startswith("　"):
                break
            under.append(r)
        assert [r[0].strip("　") for r in under] == list(towns[county])
        assert sum(r[1] for r in under) == rows[i][1]
        assert ws.cell(i + 3, 1).font.bold and not ws.cell(i + 4, 1).font.bold
    total = rows[-1]
    assert total[0] == "合计"
    assert total[header.index("帮带对象")] == len(problem.mentees)
    assert total[header.index("对子数")] == len(result.pairs)
    assert total[header.index("覆盖率")] == pytest.approx(result.coverage)
    assert ws.cell(ws.max_row, header.index("覆盖率") + 1).number_format == "0.0%"


def test_county_roster_summary_has_its_townships(tmp_path):
    problem = bd.load_sample("fanxian").problem()
    result = problem.solve(seed=0)
    wb = openpyxl.load_workbook(write_workbook(result, problem, tmp_path / "范县.xlsx"))
    rows = _rows(wb["县区汇总"], 3)
    rows = rows[:[r[0] for r in rows].index(None)]
    assert rows[0][0] == "范县" and rows[-1][0] == "合计"
    assert {r[0].strip("　") for r in rows[1:-1]} == set(problem.mentees["township"])


def test_unmatched_and_audit_in_words(yinchuan, roster_book):
    _, problem, result = yinchuan
    header, rows = _table(roster_book["未匹配名单"], 2)
    assert {"原因", "需配导师数", "已配导师数", "候选导师数"} <= set(header)
    assert sorted(r[header.index("对象编号")] for r in rows) == sorted(result.unmatched["mentee_id"])
    assert all("满额" in r[header.index("原因")] for r in rows)  # reasons in Chinese

    ws = roster_book["规则与参数"]
    values = {r[0]: r[1] for r in ws.iter_rows(min_row=3, values_only=True) if r[0]}
    assert values["求解状态"] == "最优"
    assert values["帮带对象数"] == len(problem.mentees)
    assert values["对子数"] == len(result.pairs)
    assert values["随机种子"] == 0
    assert pd.__version__ in values["软件版本"] and "banghdai" in values["软件版本"]
    assert isinstance(values["用时(秒)"], int | float) and values["用时(秒)"] == round(
        values["用时(秒)"], 2)
    rules = _audit_block(ws, "二、结对规则")
    assert ["帮带便捷", "同县区"] in [r[:2] for r in rules]
    assert ["帮带便捷", "60公里内"] in [r[:2] for r in rules]
    goals = _audit_block(ws, "三、目标（按优先顺序）")
    assert goals[0][2] == pytest.approx(result.objective, abs=1e-3)
    assert goals[0][5].startswith("✓")
    assert any(c.value == 'shape = "many_to_many"' for c in ws["A"])  # rules_text, line by line
    for row in ws.iter_rows():  # no internals on paper: no English keys, reprs or arrays
        if str(row[0].value).endswith("、规则说明"):
            break  # the caller's own rules text follows
        for cell in row:
            v = cell.value
            if isinstance(v, str):
                assert len(v) < 200 and "array(" not in v and "Pairing(" not in v, v
                if cell.column == 1:  # file names (mentors.csv) are the roster's own words
                    words = re.sub(r"[\w\-]+\.(csv|xlsx|xls)", "", v)
                    assert not any("a" <= ch.lower() <= "z" for ch in words), v
            elif isinstance(v, float):
                assert v == round(v, 3), v


def test_workbook_english(township_problem, tmp_path):
    problem, result = township_problem
    path = write_workbook(result, problem, tmp_path / "pairs.xlsx", lang="en", paper="A4")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Pairs", "By county", "Unmatched", "Pair details",
                             "Rules and parameters"]
    header = _header(wb["Pairs"], 3)
    assert header[:2] == ["No.", "township"] and header.count("Name") == 3
    assert "Distance (km)" in _header(wb["Pair details"], 2)
    assert int(wb["Pairs"].page_setup.paperSize) == 9  # A4


def test_workbook_chinese_headers_columns_and_headers_override(tmp_path):
    roster = bd.load_sample("fushan")
    problem = roster.problem()
    result = problem.solve(seed=0)
    path = write_workbook(result, problem, tmp_path / "浮山.xlsx",
                          mentee_columns=["姓名", "township"], headers={"乡镇": "所在乡镇"})
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames[1] == "乡镇汇总"  # no county column: summary by township
    assert _header(wb["帮带对子名单"], 3) == ["序号", "所在乡镇", "派驻村", "姓名", "姓名"]
    details = _header(wb["配对明细"], 2)
    assert "所在乡镇" in details and "导师类型" in details  # the mentor's own column
    with pytest.raises(bd.InputError, match="no column"):
        write_workbook(result, problem, tmp_path / "x.xlsx", mentee_columns=["不存在"])
    with pytest.raises(bd.InputError, match="lang"):
        write_workbook(result, problem, tmp_path / "x.xlsx", lang="fr")


def test_canonical_headers_in_chinese_and_the_rosters_own_words_win(tmp_path):
    mentors = pd.DataFrame({"mentor_id": ["M1", "M2"], "name": ["张三", "李四"],
                            "unit_post": ["良田镇党委书记", "东村支书"], "phone": ["1", "2"]})
    mentees = pd.DataFrame({"对象编号": ["E1", "E2"], "姓名": ["王五", "赵六"],
                            "单位及职务": ["东村村委委员", "西村文书"], "phone": ["3", "4"],
                            "category": ["后备干部", "村书记"]})
    problem = bd.Problem(mentors, mentees, pairing=bd.OneToOne())
    result = problem.solve(seed=0)
    wb = openpyxl.load_workbook(write_workbook(result, problem, tmp_path / "h.xlsx"))
    assert _header(wb["帮带对子名单"], 3) == ["序号", "姓名", "单位及职务", "类别", "姓名", "单位职务"]
    details = _header(wb["配对明细"], 2)
    assert "联系电话" in details and "导师联系电话" in details and "phone" not in details


def test_formula_injection_is_stored_as_text(tmp_path):
    problem, result = _tiny("=1+1")
    path = write_workbook(result, problem, tmp_path / "inj.xlsx")
    papers = write_papers(result, problem, tmp_path / "inj_papers.xlsx")
    for file in (path, papers):
        wb = openpyxl.load_workbook(file)
        risky = [c for ws in wb for row in ws.iter_rows() for c in row
                 if isinstance(c.value, str) and c.value[:1] in "=+-@"]
        assert {"=1+1", "@SUM(A1)", "-镇党委书记"} & {c.value for c in risky}
        for cell in risky:
            assert cell.data_type == "s" and cell.quotePrefix, cell.coordinate
        with zipfile.ZipFile(file) as z:
            for name in z.namelist():
                if name.startswith("xl/worksheets/"):
                    assert "<f>" not in z.read(name).decode("utf-8")  # no formula anywhere
    ws = openpyxl.load_workbook(path)["帮带对子名单"]
    assert "=1+1" in [c.value for row in ws.iter_rows() for c in row]


def test_written_atomically(tmp_path, monkeypatch):
    problem, result = _tiny("甲")
    target = tmp_path / "out.xlsx"
    write_workbook(result, problem, target)
    before = target.read_bytes()

    def boom(self, filename):
        with open(filename, "wb") as fh:
            fh.write(b"half")
        raise OSError("disk full")

    monkeypatch.setattr(openpyxl.Workbook, "save", boom)
    with pytest.raises(OSError, match="disk full"):
        write_workbook(result, problem, target)
    with pytest.raises(OSError, match="disk full"):
        write_papers(result, problem, tmp_path / "papers.xlsx")
    assert target.read_bytes() == before  # the old file is untouched
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.xlsx"]  # no temporary left


def test_result_without_pairs_still_writes(tmp_path):
    mentors = pd.DataFrame({"mentor_id": ["M1"], "county": ["甲县"]})
    mentees = pd.DataFrame({"mentee_id": ["E1"], "county": ["乙县"]})
    problem = bd.Problem(mentors, mentees, pairing=bd.OneToOne()).require(bd.SameRegion("county"))
    result = problem.solve()
    wb = openpyxl.load_workbook(write_workbook(result, problem, tmp_path / "none.xlsx"))
    assert wb["帮带对子名单"].max_row == 3  # title and the two header rows only
    assert [r[1] for r in _rows(wb["未匹配名单"])] == ["E1"]
    wb = openpyxl.load_workbook(write_papers(result, problem, tmp_path / "none_p.xlsx"))
    texts = [c.value for row in wb["乙县"].iter_rows() for c in row if isinstance(c.value, str)]
    assert any(t.startswith("暂未配对") for t in texts)


# ---------------------------------------------------------------------------- papers
def test_calendar_dates():
    cal = programme_calendar("2027-01-01")
    assert len(cal) == 18
    assert cal["stage"].value_counts().to_dict() == {"月了解": 12, "季座谈": 4, "半年评议": 1,
                                                      "全年考核": 1}
    assert cal["date"].iloc[0] == dt.date(2027, 1, 31)
    assert cal.loc[cal["stage"] == "半年评议", "date"].tolist() == [dt.date(2027, 6, 30)]
    assert cal.loc[cal["stage"] == "全年考核", "date"].tolist() == [dt.date(2027, 12, 31)]
    assert cal["date"].is_monotonic_increasing
    late = programme_calendar(dt.date(2027, 3, 15), lang="en")
    assert late["date"].iloc[0] == dt.date(2027, 4, 14) and late["stage"].iloc[-1] == "Annual assessment"
    with pytest.raises(bd.InputError, match="start"):
        programme_calendar("not a date")


def test_papers_filed_by_township_village_and_person(township_problem, papers_book):
    problem, result = township_problem
    wb = papers_book
    assert wb.sheetnames == ["目录", "掌政镇", "大新镇", "导师职责清单"]
    e = problem.mentees
    for name in ("掌政镇", "大新镇"):
        ws = wb[name]
        mine = e[e["township"] == name]
        texts = [c.value for c in ws["A"] if isinstance(c.value, str)]
        files = [t for t in texts if t.endswith("成长档案（一人一册）")]
        covers = [t for t in texts if t.startswith("一村一册")]
        assert len(files) == len(mine)
        assert len(covers) == mine["village"].nunique() + int(mine["village"].isna().any())
        if mine["village"].isna().any():
            assert covers[0] == "一村一册 · 乡镇本级"  # the township's own people first
        # every village book and every person starts on a new printed page
        assert len(ws.row_breaks.brk) == len(files) + len(covers)
        assert ws.print_title_rows == "$1:$1" and ws.freeze_panes == "A2"
        assert ws.page_setup.orientation == "portrait"
        assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
        assert "&P" in ws.oddFooter.center.text
        breaks = {b.id for b in ws.row_breaks.brk}
        for row in range(1, ws.max_row + 1):
            value = ws.cell(row, 1).value
            if isinstance(value, str) and (value.endswith("（一人一册）") or value.startswith("一村一册")):
                assert row - 2 in breaks  # a page break right before (and a spacer row)
    ws = wb["导师职责清单"]
    titles = [c.value for c in ws["A"] if isinstance(c.value, str) and c.value.endswith("导师职责清单")]
    assert len(titles) == result.pairs["mentor_id"].nunique() + 1  # + the sheet's title row
    assert len(ws.row_breaks.brk) == result.pairs["mentor_id"].nunique() - 1


def test_papers_pages_have_plan_dates_and_blanks(township_problem, papers_book):
    problem, result = township_problem
    ws = papers_book["掌政镇"]
    rows = list(ws.iter_rows(values_only=False))
    head = next(i for i, r in enumerate(rows) if r[4].value == "完成情况")
    assert [c.value for c in rows[head]] == ["序号", "完成时限", "环节", "任务内容", "完成情况",
                                              "对象签字", "导师签字", "备注"]
    plan = rows[head + 1: head + 19]
    assert [r[1].value.date() for r in plan] == programme_calendar("2027-01-01")["date"].tolist()
    assert all(r[1].data_type == "d" for r in plan)
    assert all(r[j].value is None and r[j].border.left.style for r in plan for j in (4, 5, 6))
    # the first growth file: its mentors with shared domains, distance and score as numbers
    mentor_rows = [r for r in rows[:head] if r[2].value in set(result.pairs["mentor_id"])]
    assert mentor_rows, "the mentor table of the first growth file"
    first = mentor_rows[0]
    assert first[5].data_type == "n" and first[6].data_type == "n"
    assert first[4].value  # shared domains by name
    index = papers_book["目录"]
    links = [c.hyperlink.location for c in index["D"] if c.hyperlink]
    assert links == ["'掌政镇'!A1", "'大新镇'!A1"]
    cal_rows = [r for r in index.iter_rows(values_only=True) if r[2] in ("月了解", "全年考核")]
    assert len(cal_rows) == 13


def test_papers_continue_on_a_new_sheet_past_the_page_break_limit(yinchuan, tmp_path,
                                                                   monkeypatch):
    roster, full, _ = yinchuan
    keep = roster.mentees["township"] == "掌政镇"
    problem = bd.Problem(roster.mentors, roster.mentees[keep], pairing=full.pairing)
    result = problem.require(bd.SameRegion("township")).solve(seed=0)
    monkeypatch.setattr(papers_mod, "MAX_BREAKS", 5)
    wb = openpyxl.load_workbook(write_papers(result, problem, tmp_path / "p.xlsx", lang="en"))
    assert wb.sheetnames[0] == "Index" and wb.sheetnames[-1].startswith("Mentor duties")
    assert "掌政镇(2)" in wb.sheetnames and "Mentor duties(2)" in wb.sheetnames
    assert all(len(ws.row_breaks.brk) <= 5 for ws in wb)
    assert all(ws.print_title_rows == "$1:$1" for ws in wb.worksheets[1:])


def test_papers_without_regions(tmp_path):
    mentors = pd.DataFrame({"mentor_id": ["M1", "M2"], "name": ["甲", "乙"], "capacity": [2, 1]})
    mentees = pd.DataFrame({"mentee_id": ["E1", "E2", "E3", "E4"]})
    problem = bd.Problem(mentors, mentees, pairing=bd.OneToMany(capacity="capacity"))
    result = problem.solve()
    wb = openpyxl.load_workbook(write_papers(result, problem, tmp_path / "p.xlsx"))
    assert wb.sheetnames == ["目录", "导师帮带档案", "导师职责清单"]
    assert len(wb["导师帮带档案"].row_breaks.brk) == 4  # four growth files, no village covers


def test_papers_for_the_whole_city_stay_printable(yinchuan, tmp_path, monkeypatch):
    """600 mentees and every used mentor: each on its own page, every sheet set up to print and
    under Excel's 1026 manual page breaks (checked in memory; saving is tested above)."""
    _, problem, result = yinchuan
    books = []
    monkeypatch.setattr(papers_mod, "save_atomic", lambda wb, path: books.append(wb) or path)
    write_papers(result, problem, tmp_path / "银川.xlsx")
    (wb,) = books
    breaks = sum(len(ws.row_breaks.brk) for ws in wb)
    assert all(len(ws.row_breaks.brk) <= 1026 for ws in wb)
    assert all(ws.print_title_rows and ws.page_setup.fitToWidth == 1 for ws in wb)
    townships = problem.mentees.groupby("county")["township"].nunique().sum()
    assert len(wb.sheetnames) == townships + 2
    villages = problem.mentees.groupby(["county", "township"], dropna=False)["village"].apply(
        lambda v: v.nunique() + int(v.isna().any())).sum()
    used = result.pairs["mentor_id"].nunique()
    assert breaks == len(problem.mentees) + villages + used - 1


# ---------------------------------------------------------------------------- plots
@pytest.fixture
def no_glyph_warnings():
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    family = list(matplotlib.rcParams["font.family"])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield plt
    plt.close("all")
    assert list(matplotlib.rcParams["font.family"]) == family  # global settings untouched


def test_chinese_font_comes_from_pip():
    pytest.importorskip("matplotlib")
    from banghdai.report.plots import chinese_font

    assert chinese_font() is not None, "pip install noto-cjk-sans-otc (the plot extra)"


def test_plots_render_chinese_without_missing_glyphs(yinchuan, no_glyph_warnings):
    from banghdai.report import plots

    plt = no_glyph_warnings
    _, problem, result = yinchuan
    for draw in (plots.plot_map, plots.plot_load, plots.plot_distance, plots.plot_coverage):
        fig = draw(result, problem)
        assert isinstance(fig, plt.Figure)
        assert fig.axes[0].get_title()
        fig.savefig(io.BytesIO(), format="png", dpi=50)  # drawn outside the functions
    fig = plots.plot_map(result, problem)
    texts = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert {"兴庆区", "导师", "帮带对象", "未匹配对象"} <= set(texts)
    fig = plots.plot_coverage(result, problem, lang="en", by="county")
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()][0] == "兴庆区"
    fig.savefig(io.BytesIO(), format="png", dpi=50)


def test_plots_draw_into_given_axes(yinchuan, no_glyph_warnings):
    from banghdai.report import plots

    plt = no_glyph_warnings
    _, problem, result = yinchuan
    fig, axes = plt.subplots(1, 2)  # made before any Chinese font is set
    assert plots.plot_load(result, problem, ax=axes[0]) is fig
    assert plots.plot_distance(result, problem, ax=axes[1]) is fig
    fig.savefig(io.BytesIO(), format="png", dpi=50)
    load = result.pairs.groupby("mentor_id").size()
    heights = [p.get_height() for p in axes[0].patches]
    assert sum(heights) == len(problem.mentors)
    assert len(heights) == 2 * (int(load.max()) + 1)  # below / at capacity per load
    assert np.isclose(axes[1].lines[0].get_xdata()[0], result.pairs["distance_km"].mean())


def test_plot_map_needs_coordinates(no_glyph_warnings):
    from banghdai.report import plots

    problem = bd.Problem(pd.DataFrame({"mentor_id": ["M"]}), pd.DataFrame({"mentee_id": ["E"]}))
    with pytest.raises(bd.InputError, match="lat"):
        plots.plot_map(problem.solve(), problem)
    with pytest.raises(bd.InputError, match="distance"):
        plots.plot_distance(problem.solve(), problem)


def test_error_like_text_stays_text_in_the_printable_workbook(tmp_path):
    import openpyxl

    mentors = pd.DataFrame({"mentor_id": ["#N/A", "M2"], "name": ["#DIV/0!", "=1+1"]})
    mentees = pd.DataFrame({"mentee_id": ["E1", "E2"], "name": ["@x", "#REF!"]})
    problem = bd.Problem(mentors, mentees)
    path = problem.solve().to_excel(tmp_path / "a.xlsx", lang="zh")
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type not in ("e", "f"), (ws.title, cell.coordinate, cell.value)
    texts = {c.value for ws in wb.worksheets for r in ws.iter_rows() for c in r}
    assert {"#N/A", "#DIV/0!", "=1+1", "@x", "#REF!"} <= texts


def _header_row(path, sheet="配对明细"):
    ws = openpyxl.load_workbook(path)[sheet]
    return [c.value for c in ws[2] if c.value is not None]


def test_a_rosters_own_row_numbers_do_not_make_a_second_row_number_column(tmp_path):
    """The list numbers its rows (序号); the roster's own 序号 column is not printed again,
    and ids taken from 序号 are headed 原名单序号."""
    mentors = pd.DataFrame({"序号": [1, 2], "导师编号": ["M1", "M2"], "姓名": ["张三", "李四"]})
    mentees = pd.DataFrame({"序号": [1, 2], "对象编号": ["E1", "E2"], "姓名": ["王五", "赵六"]})
    p = bd.Problem(mentors, mentees)
    r = p.solve()
    bd.validate(p, r.pairs).raise_if_invalid()
    headers = _header_row(r.to_excel(tmp_path / "a.xlsx"))
    assert headers.count("序号") == 1 and headers[:3] == ["序号", "对象编号", "帮带对象"]

    with pytest.warns(bd.DataWarning):  # 序号 becomes the id
        q = bd.Problem(mentors.drop(columns="导师编号"), mentees.drop(columns="对象编号"))
    r = q.solve()
    bd.validate(q, r.pairs).raise_if_invalid()
    headers = _header_row(r.to_excel(tmp_path / "b.xlsx"))
    assert headers.count("序号") == 1 and headers[:3] == ["序号", "原名单序号", "帮带对象"]


def test_audit_carries_the_read_report_what_is_not_proven_and_idle_mentors():
    """What the readers, the solve and the checks report lands on the audit sheet, in words
    (whichever of them a build has: each is looked up, none is required)."""
    from banghdai.report.content import Context, audit

    problem = bd.load_sample("fanxian").problem()
    result = problem.solve(seed=0)
    bd.validate(problem, result.pairs).raise_if_invalid()

    class Report:
        events = [{"event": "skipped"}]

        def text(self, lang="zh"):
            return "帮带对象：读 150 行\n跳过 2 行（表尾：第 160–161 行）"

    problem.read_report = Report()
    result.outcome = lambda lang=None: ["未能在时限内证明最优：目标值 9，上界 10（差距 11.1%）"]
    result.idle_mentors = lambda lang: pd.DataFrame({"mentor_id": ["M077"], "name": ["张三"]})
    sheet = audit(Context(result, problem, "zh"), rules_text="[pairing]")
    heads = [b.heading for b in sheet.blocks]
    assert heads == ["一、结果", "二、结对规则", "三、目标（按优先顺序）", "四、数据", "五、读表报告",
                     "六、不可能分到帮带对象的导师（1名）", "七、规则说明"]
    first = dict(map(tuple, sheet.blocks[0].rows))
    assert first["未证明之处"].startswith("未能在时限内证明最优")
    assert sheet.blocks[4].rows == [["帮带对象：读 150 行"], ["跳过 2 行（表尾：第 160–161 行）"]]
    assert sheet.blocks[5].headers == ["导师编号", "姓名"] and sheet.blocks[5].rows == [["M077", "张三"]]


def test_audit_coverage_is_a_percentage_even_when_whole():
    from banghdai.report.content import Context, audit

    problem = bd.load_sample("fanxian").problem()
    result = problem.solve(seed=0)
    bd.validate(problem, result.pairs).raise_if_invalid()
    assert result.coverage == 1.0
    rows = dict(map(tuple, audit(Context(result, problem, "zh")).blocks[0].rows))
    assert rows["导师人次覆盖率"] == "100.0%"
