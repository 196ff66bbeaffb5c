"""A county organisation department's own roster goes through ``banghdai match`` as it is:
a Chinese title row above the header, alias headers (序号, 姓名, 所在县区, 擅长领域, 需求领域,
帮带人数上限, 导师类型 …), no id column the library knows, sheets 导师名单 and 帮带对象名单 and a
rules.toml beside the workbook — and comes out as the printable zh workbook. Errors name the
row a spreadsheet shows (title rows counted) and the CSV line; an infeasible run prints the
conflict and leaves existing outputs alone.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

import banghdai as bd
from banghdai.cli import main

MENTOR_HEADER = ["序号", "姓名", "单位职务", "所在县区", "所在乡镇", "擅长领域", "帮带人数上限",
                 "导师类型", "纬度", "经度"]
MENTORS = [
    ("张建国", "县农业农村局局长", "甲县", "良田镇", "产业发展;电商", 2, "专家型", 38.40, 106.20),
    ("李红", "良田镇党委书记", "甲县", "良田镇", "基层治理;党建", 2, "经验型", 38.41, 106.21),
    ("孙立", "丰登镇镇长", "甲县", "丰登镇", "集体经济;党建;电商", 2, "经验型", 38.45, 106.30),
    ("王强", "乙县司法局副局长", "乙县", "河口镇", "矛盾调解;基层治理", 2, "专家型", 38.70, 106.60),
    ("赵敏", "河口镇种植大户", "乙县", "河口镇", "产业发展;集体经济", 1, "群众型", 38.71, 106.62),
    ("钱进", "乙县组织部干部", "乙县", "河口镇", "党建;集体经济", 2, "经验型", 38.72, 106.61),
]
MENTEE_HEADER = ["序号", "姓名", "单位职务", "所在县区", "所在乡镇", "所在村", "需求领域",
                 "对象类别", "需配导师数", "纬度", "经度"]
MENTEES = [  # counties and townships interleaved: the workbook groups them
    ("刘一", "东湾村党支部书记", "乙县", "河口镇", "东湾村", "集体经济", "后进村书记", 1, 38.70, 106.61),
    ("陈二", "王家村党支部书记", "甲县", "良田镇", "王家村", "党建;基层治理", "新任村书记", 2, 38.40, 106.22),
    ("周三", "西沟村主任", "甲县", "丰登镇", "西沟村", "电商", "新任村书记", 1, 38.46, 106.31),
    ("吴四", "河口村党支部书记", "乙县", "河口镇", "河口村", "矛盾调解", "新任村书记", 1, 38.73, 106.60),
    ("郑五", "丰登村主任", "甲县", "良田镇", "丰登村", "产业发展", "后进村书记", 1, 38.41, 106.19),
    ("冯六", "南坪村党支部书记", "甲县", "丰登镇", "南坪村", "集体经济;党建", "新任村书记", 1, 38.44, 106.29),
    ("褚七", "北庄村主任", "乙县", "河口镇", "北庄村", "党建", "后进村书记", 1, 38.71, 106.63),
]
RULES = """\
[pairing]
shape = "many_to_many"
capacity = "capacity"
mentors_per_mentee = "mentors_required"
{unmatched}
[[require]]
rule = "same_region"
level = "county"

[[require]]
rule = "shares_domain"

[[prefer]]
score = "domain_fit"
weight = 2

[[prefer]]
score = "closeness"
scale_km = 30
"""


def planner_workbook(folder: Path, *, mentees=MENTEES, rules: str | None = None,
                     name: str = "导师帮带名单.xlsx") -> Path:
    """The roster a 组织部 keeps: titles above the headers, its own header words, no ids."""
    folder.mkdir(parents=True, exist_ok=True)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "导师名单"
    ws.append(["XX县导师帮带导师名单"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(MENTOR_HEADER))
    ws.append([])  # a blank row under the title
    ws.append(MENTOR_HEADER)
    for i, row in enumerate(MENTORS, 1):
        ws.append([i, *row])
    ws = wb.create_sheet("帮带对象名单")
    ws.append(["XX县导师帮带对象名单"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(MENTEE_HEADER))
    ws.append(["填报单位：XX县委组织部", None, None, None, None, None, "填报时间：2027年1月"])
    ws.append(MENTEE_HEADER)
    for i, row in enumerate(mentees, 1):
        ws.append([i, *row])
    path = folder / name
    wb.save(path)
    (folder / "rules.toml").write_text(rules if rules is not None else RULES.format(unmatched=""),
                                       encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def workbook_out(tmp_path_factory):
    folder = tmp_path_factory.mktemp("planner")
    book = planner_workbook(folder / "roster")
    out = folder / "帮带对子名单.xlsx"
    code = main(["match", str(book), "--out", str(out), "--quiet"])
    assert code == 0
    return book, out


# ------------------------------------------------------------------------ reading as it is
def test_roster_is_read_with_titles_skipped_aliases_and_ids_from_the_row_numbers(tmp_path):
    book = planner_workbook(tmp_path)
    roster = bd.read_roster(book)  # rules.toml beside the workbook is picked up
    assert roster.rules["pairing"]["shape"] == "many_to_many"
    assert list(roster.mentors.columns) == MENTOR_HEADER
    assert list(roster.mentees.columns) == MENTEE_HEADER and len(roster.mentees) == len(MENTEES)
    with pytest.warns(bd.DataWarning) as seen:
        problem = roster.problem()
    assert [f"'序号' column is used as the {side} id" in str(w.message)
            for w, side in zip(seen, ("mentor", "mentee"), strict=True)] == [True, True]
    assert problem.mentees["mentee_id"].tolist() == [str(i) for i in range(1, 8)]
    assert {"name", "unit_post", "county", "township", "village", "domains", "category",
            "mentors_required", "lat", "lon"} <= set(problem.mentees.columns)
    assert {"domains", "capacity", "type"} <= set(problem.mentors.columns)
    assert problem.mentor_table.shown("domains") == "擅长领域"
    assert problem.mentee_table.shown("domains") == "需求领域"
    assert problem.mentee_table.excel_rows.tolist() == list(range(4, 11))  # header on row 3


def test_workbook_rules_named_after_it_win_over_rules_toml(tmp_path):
    book = planner_workbook(tmp_path)
    (tmp_path / f"{book.stem}.rules.toml").write_text(
        '[pairing]\nshape = "one_to_many"\ncapacity = 1\n', encoding="utf-8")
    roster = bd.read_roster(book)
    assert roster.rules["pairing"]["shape"] == "one_to_many"
    assert tmp_path / f"{book.stem}.rules.toml" in roster.files


def test_sheet_names_are_listed_when_the_workbook_lacks_them(tmp_path):
    book = planner_workbook(tmp_path)
    wb = openpyxl.load_workbook(book)
    wb["帮带对象名单"].title = "Sheet2"
    wb.save(book)
    with pytest.raises(bd.InputError) as info:
        bd.read_roster(book)
    text = str(info.value)
    assert "'帮带对象名单'" in text and "'mentees'" in text and info.value.choices == [
        "导师名单", "Sheet2"]


@pytest.mark.filterwarnings("ignore::banghdai.DataWarning")  # 序号 as the ids
def test_mapping_errors_name_python_and_rules_toml(tmp_path):
    book = planner_workbook(tmp_path, rules=RULES.format(unmatched="") +
                            '\n[columns.mentors]\nmentor_id = "导师工号"\n')
    with pytest.raises(bd.InputError) as info:
        bd.read_roster(book).problem()
    text = str(info.value)
    assert "columns={'mentor_id': ...}" in text and '[columns.mentors] mentor_id = "' in text
    assert "姓名" in info.value.choices
    book = planner_workbook(tmp_path, rules=RULES.format(unmatched="") +
                            '\n[columns.mentees]\nneeds = "需求"\n')
    with pytest.raises(bd.InputError, match="not a column name the library knows") as info:
        bd.read_roster(book).problem()
    assert "domains" in info.value.choices


# ------------------------------------------------------------------------ the workbook
def _rows(ws):
    return [list(r) for r in ws.iter_rows(values_only=True)]


def test_cli_writes_the_printable_zh_workbook(workbook_out):
    _, out = workbook_out
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["帮带对子名单", "县区汇总", "未匹配名单", "配对明细", "规则与参数",
                             "读表报告"]
    ws = wb["帮带对子名单"]
    rows = _rows(ws)
    groups, header = rows[1], rows[2]
    assert header == ["序号", "所在县区", "所在乡镇", "所在村", "姓名", "单位职务", "对象类别",
                      "姓名", "单位职务", "姓名", "单位职务"]  # the roster's own words
    assert [g for g in groups if g] == ["帮带对象", "导师1", "导师2"]  # mentors side by side
    body = rows[3:]
    name = header.index("姓名")
    assert sorted(r[name] for r in body) == sorted(m[0] for m in MENTEES)  # one row per mentee
    key = body[[r[name] for r in body].index("陈二")]  # a key mentee: two mentors, one row
    assert key[7] and key[9]
    county, town = header.index("所在县区"), header.index("所在乡镇")
    for keys in ([r[county] for r in body], [(r[county], r[town]) for r in body]):
        blocks = [k for i, k in enumerate(keys) if i == 0 or keys[i - 1] != k]
        assert len(blocks) == len(set(blocks)), keys  # each county, each township one block
    assert ws.freeze_panes is not None and ws.freeze_panes.endswith("4")
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9
    assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == "$2:$3"
    details = wb["配对明细"]
    drows = _rows(details)
    dheader = drows[1]
    for word in ("需求领域", "导师导师类型", "距离(公里)"):
        assert word in dheader, word
    assert not any(str(h).startswith(("Unnamed", "mentee_id", "mentor_id")) for h in dheader if h)
    # numbers are stored as numbers, rounded
    distance = dheader.index("距离(公里)")
    cells = [details.cell(row=i + 3, column=distance + 1) for i in range(len(drows) - 2)]
    assert all(c.data_type == "n" and c.value == round(c.value, 3) for c in cells)
    summary = wb["县区汇总"]
    srows = _rows(summary)
    assert srows[1][0] == "所在县区 / 所在乡镇"
    block = srows[2:[r[0] for r in srows].index(None)]  # the counts; categories below
    assert [r[0] for r in block if not r[0].startswith("　")] == ["乙县", "甲县", "合计"]
    assert all(c.data_type == "n" for row in summary.iter_rows(min_row=3, max_row=2 + len(block),
                                                                min_col=2)
               for c in row if c.value is not None)
    assert summary.freeze_panes is not None


def test_cli_csv_out_writes_unmatched_and_summary_beside(tmp_path, capsys):
    book = planner_workbook(tmp_path / "roster")
    out = tmp_path / "对子.csv"
    assert main(["match", str(book), "--out", str(out), "--quiet"]) == 0
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == [
        "对子.csv", "对子_summary.csv", "对子_unmatched.csv"]
    pairs = pd.read_csv(out, encoding="utf-8-sig", dtype=str)
    assert pairs["mentee_id"].nunique() == len(MENTEES)
    err = capsys.readouterr().err
    assert "banghdai: warning:" in err and "序号" in err  # the DataWarning, one line each


# ------------------------------------------------------------------------ rows as Excel shows
def test_xlsx_error_names_the_sheet_row_with_title_rows_counted(tmp_path, capsys):
    bad = list(MENTEES)
    bad[2] = (*bad[2][:8], "北纬38度", bad[2][9])  # third mentee: sheet row 3 + 3 = 6
    book = planner_workbook(tmp_path, mentees=bad)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", bd.DataWarning)
        with pytest.raises(bd.InputError) as info:
            bd.read_roster(book).problem()
    assert info.value.excel_row == 6 and info.value.column == "纬度"
    assert main(["match", str(book), "--quiet"]) == 2
    assert "row 6" in capsys.readouterr().err


def test_csv_error_names_the_line_with_title_lines_counted(tmp_path, capsys):
    folder = tmp_path / "roster"
    folder.mkdir()
    lines = ["XX县导师帮带对象名单,,,", ",,,", "序号,姓名,所在县区,纬度",
             "1,刘一,甲县,38.4", "2,陈二,甲县,abc", "3,周三,甲县,38.5"]
    (folder / "帮带对象名单.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "导师名单.csv").write_text("XX县导师名单\n序号,姓名,所在县区,纬度\n1,张三,甲县,38.4\n",
                                      encoding="utf-8")
    roster = bd.read_roster(folder)
    assert list(roster.mentees.columns) == ["序号", "姓名", "所在县区", "纬度"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", bd.DataWarning)
        with pytest.raises(bd.InputError) as info:
            roster.problem()
    assert info.value.excel_row == 5 and info.value.file.endswith("帮带对象名单.csv")
    assert main(["match", str(folder), "--quiet"]) == 2
    assert "帮带对象名单.csv row 5" in capsys.readouterr().err


def test_table_without_row_numbers_takes_the_spreadsheet_rows_as_ids(tmp_path):
    path = tmp_path / "mentees.csv"
    path.write_text("名单\n姓名,所在县区\n刘一,甲县\n陈二,乙县\n", encoding="utf-8")
    table = bd.read_table(path)
    with pytest.warns(bd.DataWarning, match="row numbers of"):
        problem = bd.Problem(pd.DataFrame({"mentor_id": ["M"], "county": ["甲县"]}), table)
    assert problem.mentees["mentee_id"].tolist() == ["3", "4"]


# ------------------------------------------------------------------------ no pairing
def test_cli_infeasible_prints_the_conflict_and_keeps_the_old_output(tmp_path, capsys):
    rules = RULES.format(unmatched='unmatched = "forbid"').replace(
        'capacity = "capacity"', "capacity = 1")
    book = planner_workbook(tmp_path / "roster", rules=rules)
    out = tmp_path / "对子.xlsx"
    out.write_bytes(b"last year's list")
    os.utime(out, (1_000_000_000, 1_000_000_000))
    assert main(["match", str(book), "--out", str(out), "--lang", "zh", "--quiet"]) == 1
    printed = capsys.readouterr().out
    assert "INFEASIBLE" in printed and "没有写出任何文件" in printed  # the summary in Chinese too
    assert "nothing was written" not in printed
    assert "不可行" in printed and "帮带上限" in printed  # the conflict, in planner words
    assert "代价最小的放宽方案" in printed  # and the cheapest way out
    assert out.read_bytes() == b"last year's list" and out.stat().st_mtime == 1_000_000_000
    assert sorted(p.name for p in tmp_path.iterdir()) == ["roster", "对子.xlsx"]  # no debris


def test_cli_interrupted_solve_writes_nothing_and_exits_130(tmp_path, capsys, monkeypatch):
    book = planner_workbook(tmp_path / "roster")
    out = tmp_path / "对子.xlsx"
    out.write_bytes(b"old")
    solve = bd.Problem.solve

    def interrupted(self, **kw):
        result = solve(self, **kw)
        result.info["interrupted"] = True  # as CP-SAT returns after Ctrl-C
        return result

    monkeypatch.setattr(bd.Problem, "solve", interrupted)
    assert main(["match", str(book), "--out", str(out), "--quiet"]) == 130
    assert out.read_bytes() == b"old"
    assert "interrupted" in capsys.readouterr().err


# ------------------------------------------------------------------------ the documented table
def test_readme_alias_table_is_what_the_library_recognises():
    from banghdai.data.schema import aliases, header_key

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    start = readme.index("| column | mentors | mentees |")
    rows = readme[start:readme.index("\n\n", start)].splitlines()[2:]
    checked = 0
    for row in rows:
        names, *cells = [c.strip() for c in row.strip("|").split("|")]
        canonical = [n.strip(" `") for n in names.replace(" / ", ",").split(",")]
        for side, cell in zip(("mentors", "mentees"), cells, strict=True):
            cell = cells[0] if cell == "the same" else cell
            if cell == "—":
                assert not set(canonical) & set(aliases(side)), (side, canonical)
                continue
            known = {header_key(a) for c in canonical for a in aliases(side).get(c, ())}
            for alias in cell.replace(" · ", ", ").split(", "):
                assert header_key(alias) in known, (side, canonical, alias)
                checked += 1
    assert checked > 80
    # and the README names the side-specific domain words on their own side
    assert "擅长领域" in aliases("mentors")["domains"] and "需求领域" in aliases("mentees")["domains"]
