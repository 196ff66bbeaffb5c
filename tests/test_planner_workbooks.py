"""The roster as a 组织部 sends it (issue 19): read without a hand edit, the same pairs as its
clean version, every skipped row named by its Excel row, and nothing that is not a person
(title, footer, 合计, blank, repeated header, hidden) ever read as one.

The workbooks come from ``tests/planner_workbooks.py`` (seeded, hypothesis-driven layouts).
"""

from __future__ import annotations

import io
import sys
import warnings
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

import banghdai as bd
from banghdai.cli import main

sys.path.insert(0, str(Path(__file__).resolve().parent))
import planner_workbooks as pw  # noqa: E402

FAST = settings(deadline=None, database=None, suppress_health_check=list(HealthCheck),
                derandomize=True, phases=(Phase.explicit, Phase.generate))  # no slow shrinking
NOT_PEOPLE = ("合计", "小计", "填表人", "审核人", "联系电话", "注：", "填报单位", "XX县", "撤回")


def _read(path, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return bd.read_roster(path, **kw)


def _pairs(roster) -> tuple[set, object, object]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        problem = roster.problem()
        result = problem.solve(time_limit=30, seed=0)
    assert result.status is bd.Status.OPTIMAL
    bd.validate(problem, result.pairs).raise_if_invalid()
    return set(zip(result.pairs.mentor_id, result.pairs.mentee_id, strict=True)), problem, result


def _skipped(roster) -> set[tuple[str, int]]:
    s = roster.report[roster.report.event == "skipped"]
    return {(sheet, int(row)) for sheet, row in zip(s.sheet, s.excel_row, strict=True)}


def _noise(written) -> set[tuple[str, int]]:
    return {(sheet, row) for sheet, rows in written.noise.items() for row in rows}


# ------------------------------------------------------------------ the workbook as sent
@pytest.fixture(scope="module")
def as_sent(tmp_path_factory):
    """95 mentors, 180 mentees, 5 townships, every habit of issue 19 at once."""
    folder = tmp_path_factory.mktemp("sent")
    r = pw.roster(95, 180, seed=19)
    clean = pw.write_clean(r, folder / "clean")
    layout = pw.Layout(header_rows=2, page_rows=30, hidden_rows=2, merge_township=False,
                       split_mentees=True, drop_township=False, seed=19)
    written = pw.write_formatted(r, folder / "sent", layout)
    return r, clean, written


def test_the_workbook_as_sent_gives_the_pairs_of_its_clean_version(as_sent):
    r, clean, written = as_sent
    sent = _read(written.path)
    assert len(sent.mentors) == 95 and len(sent.mentees) == 180  # no 合计 mentor, no footer
    got, problem, result = _pairs(sent)
    want, _, _ = _pairs(_read(clean))
    assert got == want and len(got) > 100
    # one value per township everywhere (trailing blanks and NBSP cleaned once)
    assert sorted(problem.mentees["township"].unique()) == sorted(pw.TOWNSHIPS)
    assert sorted(problem.mentors["township"].unique()) == sorted(pw.TOWNSHIPS)
    # full-width capacities read as numbers; space-separated domains are several tags
    capacity = dict(zip(problem.mentors["mentor_id"], problem.mentors["capacity"], strict=True))
    assert capacity == dict(zip(r.mentors["导师编号"], r.mentors["帮带人数上限"], strict=True))
    # the designations sheet gave its pairs by name and unit: all of them are in the pairing
    assert set(map(tuple, r.fixed.to_numpy())) <= got
    assert sent.fixed["mentor_id"].tolist() == r.fixed["mentor_id"].tolist()


def test_the_read_report_lists_every_skipped_row_by_excel_row(as_sent):
    _, _, written = as_sent
    sent = _read(written.path)
    assert _skipped(sent) == _noise(written)
    reasons = set(sent.report.loc[sent.report.event == "skipped", "reason"])
    assert {"title", "total", "footer", "blank", "repeated_header", "hidden"} <= reasons
    text = sent.report_text("zh")
    assert "合计行" in text and "表尾" in text and "隐藏行" in text and "5 个工作表合并" in text
    assert "跳过" in sent.report_text("zh") and "skipped" in sent.report_text("en")


def test_the_workbook_as_sent_runs_through_the_cli_with_no_hand_edit(as_sent, tmp_path):
    _, _, written = as_sent
    out = tmp_path / "帮带对子名单.xlsx"
    err = io.StringIO()
    with redirect_stdout(io.StringIO()), redirect_stderr(err), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        code = main(["match", str(written.path), "--out", str(out), "--lang", "zh",
                     "--quiet"])
    assert code == 0, err.getvalue()
    book = openpyxl.load_workbook(out)
    assert "读表报告" in book.sheetnames
    rows = [[c.value for c in row] for row in book["读表报告"].iter_rows()]
    skipped = [r for r in rows[1:] if r[2] == "跳过的行"]
    assert len(skipped) == len(_noise(written))
    # the CLI says what it skipped on stderr (unless quiet)
    err = io.StringIO()
    with redirect_stdout(io.StringIO()), redirect_stderr(err), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        main(["match", str(written.path), "--lang", "zh", "--time-limit", "5"])
    assert "读表报告" in err.getvalue() and "合计行" in err.getvalue()


# ----------------------------------------------------------------------- the properties
@settings(FAST, max_examples=14)
@given(pw.layouts(), st.integers(0, 10**6))
def test_a_formatted_workbook_gives_exactly_the_pairs_of_its_clean_version(layout, seed):
    import tempfile

    r = pw.roster(24, 40, seed=seed, n_fixed=2)
    with tempfile.TemporaryDirectory() as tmp:
        clean = pw.write_clean(r, Path(tmp) / "clean")
        written = pw.write_formatted(r, Path(tmp) / "sent", layout)
        sent = _read(written.path)
        assert _skipped(sent) == _noise(written)
        got, _, _ = _pairs(sent)
        want, _, _ = _pairs(_read(clean))
    assert got == want


RULE_SETS = [
    "",  # no rules at all: the footer case of the issue (no distance rule)
    '[pairing]\nshape = "one_to_one"\n',
    '[pairing]\nshape = "one_to_many"\ncapacity = 3\n[[require]]\nrule = "shares_domain"\n',
    '[pairing]\nshape = "one_to_one"\n[read]\nhidden = "read"\n',
    '[columns]\ntownship = "乡镇"\n[pairing]\nshape = "one_to_one"\n'
    '[[require]]\nrule = "same_region"\nlevel = "township"\n',
]


@settings(FAST, max_examples=14)
@given(pw.layouts(), st.sampled_from(RULE_SETS), st.integers(0, 10**6))
def test_no_footer_total_or_blank_row_becomes_a_person_under_any_rules(layout, rules, seed):
    import tempfile

    r = pw.roster(12, 20, seed=seed, n_fixed=0)
    with tempfile.TemporaryDirectory() as tmp:
        written = pw.write_formatted(r, Path(tmp) / "sent", layout)
        (written.path.parent / "rules.toml").write_text(rules, encoding="utf-8")
        sent = _read(written.path)
        hidden = 'hidden = "read"' in rules
        for side, table, id_col in (("mentors", r.mentors, "导师编号"),
                                    ("mentees", r.mentees, "对象编号")):
            frame = getattr(sent, side)
            ids = set(frame[id_col])
            extra = {i for i in ids if i.endswith("X")}  # the hidden, withdrawn people
            assert ids - extra == set(table[id_col])
            assert extra == ({i for i in written.withdrawn if i[0] == id_col[0].replace("导", "M")
                              .replace("对", "E")} if hidden else set())
            names = " ".join(frame.astype(str).to_numpy().ravel())
            assert not any(w in names for w in NOT_PEOPLE if w != "撤回") or hidden
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            problem = sent.problem()
            result = problem.solve(time_limit=10, seed=0)
        bd.validate(problem, result.pairs).raise_if_invalid()
        assert set(result.pairs.mentee_id) <= set(sent.mentees["对象编号"])


# --------------------------------------------------------------------------- the pieces
def _book(path: Path, sheets: dict[str, list[list]], *, merges=(), hidden_rows=(),
          hidden_cols=()) -> Path:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
        for rng in merges:
            ws.merge_cells(rng)
        for r in hidden_rows:
            ws.row_dimensions[r].hidden = True
        for c in hidden_cols:
            ws.column_dimensions[c].hidden = True
    wb.save(path)
    return path


def test_two_row_header_in_a_csv_is_joined_parent_and_child(tmp_path):
    path = tmp_path / "mentees.csv"
    path.write_text("XX县帮带对象名单,,,,\n序号,基本信息,,所在地,\n,姓名,性别,乡镇,村\n"
                    "1,张三,男,城关镇,东村\n2,李四,女,河口镇 ,西村\n合计,2人,,,\n"
                    "填表人：王五,,联系电话：123,,\n", encoding="utf-8")
    report = bd.data.readreport.ReadReport()
    t = bd.read_table(path, report=report, table="mentees")
    assert list(t.columns) == ["序号", "姓名", "性别", "乡镇", "村"]
    assert t["乡镇"].tolist() == ["城关镇", "河口镇"]
    labels = report.frame().query("event == 'column'")["detail"].tolist()
    assert "所在地/乡镇" in labels and "基本信息/姓名" in labels
    assert [(int(e), r) for e, r in report.frame().query("event == 'skipped'")[
        ["excel_row", "reason"]].to_numpy()] == [(1, "title"), (6, "total"), (7, "footer")]


def test_a_footer_in_the_id_column_is_never_a_mentee(tmp_path):
    folder = tmp_path / "roster"
    folder.mkdir()
    (folder / "mentors.csv").write_text("mentor_id,name\nM1,甲\nM2,乙\n", encoding="utf-8")
    (folder / "mentees.csv").write_text("mentee_id,name\nE1,丙\nE2,丁\n填表人：张三,\n",
                                        encoding="utf-8")
    roster = _read(folder)
    assert roster.mentees["mentee_id"].tolist() == ["E1", "E2"]


def test_a_total_row_is_never_a_96th_mentor(tmp_path):
    path = _book(tmp_path / "r.xlsx", {
        "导师名单": [["导师编号", "姓名", "帮带人数上限"], ["M1", "甲", 2], ["M2", "乙", "３"],
                 [None, "合计", 5]],
        "帮带对象名单": [["对象编号", "姓名"], ["E1", "丙"]]})
    roster = _read(path)
    assert roster.mentors["导师编号"].tolist() == ["M1", "M2"]
    assert roster.mentors["帮带人数上限"].tolist() == [2, 3]  # full-width ３ is 3


def test_hidden_rows_and_columns_are_said_and_rules_decide(tmp_path):
    sheets = {"导师名单": [["导师编号", "姓名", "备注"], ["M1", "甲", "x"], ["M2", "乙", "y"],
                        ["M3", "丙", "z"]],
              "帮带对象名单": [["对象编号", "姓名"], ["E1", "丁"]]}
    path = _book(tmp_path / "r.xlsx", sheets, hidden_rows=[3], hidden_cols=["C"])
    with pytest.warns(bd.DataWarning) as seen:
        roster = bd.read_roster(path)
    said = [str(w.message) for w in seen]
    assert any("hidden rows 3 skipped" in m for m in said)
    assert any("hidden columns C (备注) skipped" in m for m in said)
    assert roster.mentors["导师编号"].tolist() == ["M1", "M3"]
    assert "备注" not in roster.mentors.columns
    (tmp_path / "rules.toml").write_text('[read]\nhidden = "read"\n', encoding="utf-8")
    with pytest.warns(bd.DataWarning) as seen:
        roster = bd.read_roster(path)
    assert any("hidden rows 3 read" in str(w.message) for w in seen)
    assert roster.mentors["导师编号"].tolist() == ["M1", "M2", "M3"]
    assert "备注" in roster.mentors.columns
    (tmp_path / "rules.toml").write_text('[read]\nhidden = "maybe"\n', encoding="utf-8")
    with pytest.raises(bd.InputError, match="hidden"):
        bd.read_roster(path)


def test_a_cached_excel_error_is_refused_naming_the_cell(tmp_path):
    path = _book(tmp_path / "r.xlsx", {
        "导师名单": [["导师编号", "姓名"], ["M1", "甲"], ["M2", "乙"]],
        "帮带对象名单": [["对象编号", "姓名"], ["E1", "丁"]]})
    wb = openpyxl.load_workbook(path)
    ws = wb["导师名单"]
    ws["A3"] = "#VALUE!"
    ws["A3"].data_type = "e"  # what a failed formula leaves cached
    wb.save(path)
    with pytest.raises(bd.InputError, match="A3") as err:
        bd.read_roster(path)
    assert "#VALUE!" in str(err.value) and err.value.excel_row == 3


@pytest.mark.parametrize("twin", ["M1 ", "\u200bM1", "M1\xa0", "\u3000M1", "\ufeffM1", "Ｍ１"])
def test_ids_that_collide_once_cleaned_are_refused_naming_both_rows(tmp_path, twin):
    folder = tmp_path / "roster"
    folder.mkdir()
    (folder / "mentors.csv").write_text(f"mentor_id,capacity\nM1,2\nM2,1\n{twin},2\n",
                                        encoding="utf-8")
    (folder / "mentees.csv").write_text("mentee_id\nE1\n", encoding="utf-8")
    with pytest.raises(bd.InputError) as err:
        bd.read_roster(folder)
    assert "row 2" in str(err.value) and "row 4" in str(err.value)
    # the same in Python: a mentor entered twice never gets double capacity
    frame = pd.DataFrame({"mentor_id": ["M1", twin], "capacity": [2, 2]})
    with pytest.raises(bd.InputError, match="same id"):
        bd.Problem(frame, pd.DataFrame({"mentee_id": ["E1"]}))


def test_id_text_is_kept_as_typed_in_csv(tmp_path):
    path = tmp_path / "mentors.csv"
    path.write_text("mentor_id,name\n1.0,甲\n2.0,乙\n007,丙\n", encoding="utf-8")
    assert bd.read_table(path)["mentor_id"].tolist() == ["1.0", "2.0", "007"]


def test_space_separated_domains_are_several_tags():
    mentors = pd.DataFrame({"mentor_id": ["M1"], "domains": ["电商销售 集体经济　财务管理"],
                            "capacity": [3]})
    mentees = pd.DataFrame({"mentee_id": ["E1", "E2", "E3"],
                            "domains": ["集体经济", "财务管理/党建", "电商销售"]})
    problem = bd.Problem(mentors, mentees, pairing=bd.OneToMany("capacity")).require(
        bd.SharesDomain())
    result = problem.solve(time_limit=5)
    bd.validate(problem, result.pairs).raise_if_invalid()
    assert len(result.pairs) == 3


def test_trailing_blanks_give_one_township_in_every_output():
    mentees = pd.DataFrame({"mentee_id": ["E1", "E2", "E3"],
                            "township": ["城关镇", "城关镇 ", "城关镇\u3000"]})
    problem = bd.Problem(pd.DataFrame({"mentor_id": ["M1"], "township": ["城关镇\xa0"]}),
                         mentees)
    assert problem.mentees["township"].unique().tolist() == ["城关镇"]
    assert problem.mentors["township"].tolist() == ["城关镇"]
    assert mentees["township"].tolist()[1] == "城关镇 "  # the caller's table untouched


def test_designations_by_name_unknown_or_ambiguous_are_refused_naming_the_row(tmp_path):
    base = {"导师名单": [["导师编号", "姓名", "工作单位"], ["M1", "王伟", "城关镇政府"],
                     ["M2", "王伟", "河口镇政府"], ["M3", "李红", "城关镇政府"]],
            "帮带对象名单": [["对象编号", "姓名"], ["E1", "张三"], ["E2", "李四"]]}
    ok = {**base, "组织指定结对": [["导师姓名", "导师单位", "帮带对象姓名"],
                               ["王伟", "河口镇政府", "张三"], ["李红", None, "李四"]]}
    roster = _read(_book(tmp_path / "ok.xlsx", ok))
    assert roster.fixed[["mentor_id", "mentee_id"]].values.tolist() == [["M2", "E1"],
                                                                        ["M3", "E2"]]
    ambiguous = {**base, "组织指定结对": [["导师姓名", "帮带对象姓名"], ["李红", "李四"],
                                       ["王伟", "张三"]]}
    with pytest.raises(bd.InputError, match="2 mentors are called '王伟'") as err:
        _read(_book(tmp_path / "amb.xlsx", ambiguous))
    assert err.value.excel_row == 3
    unknown = {**base, "回避": [["导师姓名", "帮带对象姓名"], ["李红", "赵六"]]}
    with pytest.raises(bd.InputError, match="赵六") as err:
        _read(_book(tmp_path / "unk.xlsx", unknown))
    assert err.value.excel_row == 2


def test_sheets_with_the_same_header_are_stacked_and_differing_ones_refused(tmp_path):
    head = ["对象编号", "姓名"]
    sheets = {"附件1 导师库": [["导师编号", "姓名"], ["M1", "甲"]],
              "附件2 帮带对象（城关镇）": [head, ["E1", "乙"]],
              "河口镇": [head, ["E2", "丙"]],  # no keyword, but the mentees' header
              "说明": [["本表由组织部填报"]]}
    roster = _read(_book(tmp_path / "ok.xlsx", sheets))
    assert roster.mentees["对象编号"].tolist() == ["E1", "E2"]
    assert roster.mentees["乡镇"].tolist() == ["城关镇", "河口镇"]
    assert "ignored" in set(roster.report.event)
    sheets["附件3 帮带对象"] = [["对象编号", "姓名", "电话"], ["E3", "丁", "1"]]
    with pytest.raises(bd.InputError, match="headers differ"):
        _read(_book(tmp_path / "bad.xlsx", sheets))


def test_a_swapped_coordinate_is_warned_with_its_row(tmp_path):
    rows = [["导师编号", "乡镇", "纬度", "经度"]] + [
        [f"M{i}", "城关镇", 38.4 + i / 100, 106.2 + i / 100] for i in range(6)]
    rows[4][2], rows[4][3] = 76.2, 38.43  # latitude and longitude swapped, both in range
    path = _book(tmp_path / "r.xlsx", {"导师名单": rows,
                                       "帮带对象名单": [["对象编号"], ["E1"]]})
    with pytest.warns(bd.DataWarning, match="row 5"):
        roster = bd.read_roster(path)
    assert (roster.report.event == "coordinate").sum() == 1
