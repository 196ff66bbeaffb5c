"""Shipped samples solve to proven optimality; rosters, rules files and the CLI work."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

import banghdai as bd
from banghdai.cli import main


@pytest.fixture(scope="module")
def yinchuan():
    roster = bd.load_sample("yinchuan")
    problem = roster.problem()
    return roster, problem, problem.solve(time_limit=120, seed=0)


def test_sample_names():
    assert bd.sample_names() == ["fanxian", "fushan", "villages", "yinchuan"]
    with pytest.raises(bd.InputError) as info:
        bd.load_sample("beijing")
    assert info.value.choices == ["fanxian", "fushan", "villages", "yinchuan"]


def test_yinchuan_is_proven_optimal_and_valid(yinchuan):
    roster, problem, result = yinchuan
    assert len(roster.mentors) == 483 and 550 <= len(roster.mentees) <= 650
    assert result.status is bd.Status.OPTIMAL and result.gap == 0.0
    check = bd.validate(problem, result.pairs).raise_if_invalid()
    assert check.objective == pytest.approx(result.objective, rel=1e-9)
    # organisation designations are kept, vetoes respected
    got = set(zip(result.pairs.mentor_id, result.pairs.mentee_id, strict=True))
    assert set(zip(roster.fixed.mentor_id, roster.fixed.mentee_id, strict=True)) <= got
    assert not set(zip(roster.forbidden.mentor_id, roster.forbidden.mentee_id, strict=True)) & got
    assert result.pairs["fixed"].sum() == len(roster.fixed)


def test_yinchuan_unmatched_have_reasons(yinchuan):
    _, _, result = yinchuan
    # demand exceeds what the rules allow in two counties: a few stay unmatched, each explained
    assert 0 < len(result.unmatched) < 20
    assert result.unmatched["reason"].str.len().gt(10).all()
    assert result.coverage == pytest.approx(len(result.pairs) / (len(result.pairs) + (
        result.unmatched["needed"] - result.unmatched["got"]).sum()))


def test_yinchuan_people_and_organisations_on_both_sides(yinchuan):
    roster, _, result = yinchuan
    kinds_m = roster.mentors.set_index("mentor_id")["kind"]
    kinds_e = roster.mentees.set_index("mentee_id")["kind"]
    assert set(kinds_m.loc[result.pairs.mentor_id]) == {"person", "org"}
    assert set(kinds_e.loc[result.pairs.mentee_id]) == {"person", "org"}


def test_fushan_chinese_columns_one_mentor_from_own_township():
    roster = bd.load_sample("fushan")
    assert "导师编号" in roster.mentors.columns
    problem = roster.problem()
    result = problem.solve(time_limit=30)
    bd.validate(problem, result.pairs).raise_if_invalid()
    assert result.status is bd.Status.OPTIMAL
    assert result.pairs.mentee_id.is_unique and len(result.pairs) == len(roster.mentees)
    town_m = roster.mentors.set_index("导师编号")["乡镇"]
    town_e = roster.mentees.set_index("对象编号")["乡镇"]
    assert (town_m.loc[result.pairs.mentor_id].to_numpy()
            == town_e.loc[result.pairs.mentee_id].to_numpy()).all()


def test_fanxian_capacity_two():
    roster = bd.load_sample("fanxian")
    problem = roster.problem()
    result = problem.solve(time_limit=30)
    bd.validate(problem, result.pairs).raise_if_invalid()
    assert result.status is bd.Status.OPTIMAL
    assert result.pairs.groupby("mentor_id").size().max() <= 2


def test_cli_match_sample_to_excel(tmp_path, capsys):
    out = tmp_path / "pairs.xlsx"
    assert main(["match", "sample:yinchuan", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    for word in ("pairs", "coverage", "mean_distance_km", "mean_domain_fit", "status", "gap",
                 "seconds", "OPTIMAL"):
        assert word in printed
    sheets = pd.read_excel(out, sheet_name=None)
    assert list(sheets) == ["帮带对子名单", "县区汇总", "未匹配名单", "配对明细",
                            "规则与参数"]  # zh by default
    assert main(["match", "sample:yinchuan", "--out", str(out), "--lang", "en", "--quiet"]) == 0
    assert list(pd.read_excel(out, sheet_name=None)) == [
        "Pairs", "By county", "Unmatched", "Pair details", "Rules and parameters"]


def test_cli_writes_the_list_as_pdf_and_the_papers(tmp_path):
    """``--out 名单.pdf --papers 一人一册.pdf --papers 一人一册.xlsx``: all three written."""
    pytest.importorskip("fpdf")
    out, pdf, book = tmp_path / "名单.pdf", tmp_path / "一人一册.pdf", tmp_path / "一人一册.xlsx"
    assert main(["match", "sample:fushan", "--out", str(out), "--papers", str(pdf),
                 "--papers", str(book), "--quiet"]) == 0
    for path in (out, pdf):
        assert path.read_bytes()[:5] == b"%PDF-" and b"/FontFile3" in path.read_bytes()
    assert list(pd.read_excel(book, sheet_name=None))[0] == "目录"
    assert main(["match", "sample:fushan", "--papers", str(tmp_path / "x.docx")]) == 2
    assert main(["match", "sample:fushan", "--out", str(tmp_path / "x.txt")]) == 2
    assert main(["match", "sample:fushan", "--out", str(out), "--papers", str(out)]) == 2


def test_cli_csv_out_writes_unmatched_and_summary_beside_the_pairs(tmp_path, capsys):
    out = tmp_path / "pairs.csv"
    assert main(["match", "sample:yinchuan", "--out", str(out), "--quiet"]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "pairs.csv", "pairs_summary.csv", "pairs_unmatched.csv"]
    pairs = pd.read_csv(out, encoding="utf-8-sig", dtype={"mentor_id": str, "mentee_id": str})
    assert bd.validate(bd.load_sample("yinchuan").problem(), pairs).ok
    unmatched = pd.read_csv(tmp_path / "pairs_unmatched.csv", encoding="utf-8-sig")
    summary = pd.read_csv(tmp_path / "pairs_summary.csv", encoding="utf-8-sig")
    assert len(unmatched) == 600 - pairs["mentee_id"].nunique() and unmatched["reason"].notna().all()
    assert dict(zip(summary["item"], summary["value"], strict=True))["status"] == "OPTIMAL"
    printed = capsys.readouterr().out
    assert str(tmp_path / "pairs_unmatched.csv") in printed
    assert str(tmp_path / "pairs_summary.csv") in printed


def test_cli_two_files_honour_files_of_the_rules(tmp_path, capsys):
    folder = bd.samples.sample_path("yinchuan")
    out = tmp_path / "pairs.csv"
    assert main(["match", str(folder / "mentors.csv"), str(folder / "mentees.csv"), "--rules",
                 str(folder / "rules.toml"), "--out", str(out), "--quiet"]) == 0
    pairs = pd.read_csv(out, encoding="utf-8-sig", dtype={"mentor_id": str, "mentee_id": str})
    fixed = pd.read_csv(folder / "fixed.csv", dtype=str)
    got = set(zip(pairs["mentor_id"], pairs["mentee_id"], strict=True))
    assert set(zip(fixed["mentor_id"], fixed["mentee_id"], strict=True)) <= got
    forbidden = pd.read_csv(folder / "forbidden.csv", dtype=str)
    assert not set(zip(forbidden["mentor_id"], forbidden["mentee_id"], strict=True)) & got


def test_cli_match_two_files_and_rules_to_csv(tmp_path, capsys):
    folder = bd.samples.sample_path("fanxian")
    out = tmp_path / "pairs.csv"
    code = main(["match", str(folder / "mentors.csv"), str(folder / "mentees.csv"),
                 "--rules", str(folder / "rules.toml"), "--out", str(out), "--time-limit", "30"])
    assert code == 0
    pairs = pd.read_csv(out, encoding="utf-8-sig", dtype={"mentor_id": str, "mentee_id": str})
    roster = bd.load_sample("fanxian")
    assert bd.validate(roster.problem(), pairs).ok and len(pairs) == 150


def test_cli_bad_input_names_row_and_column(tmp_path, capsys):
    folder = tmp_path / "roster"
    shutil.copytree(bd.samples.sample_path("fanxian"), folder)
    mentors = pd.read_csv(folder / "mentors.csv")
    mentors.loc[4, "mentor_id"] = mentors.loc[1, "mentor_id"]
    mentors.to_csv(folder / "mentors.csv", index=False)
    assert main(["match", str(folder)]) == 2
    err = capsys.readouterr().err
    assert "mentors row 4" in err and "duplicate id" in err and "'mentor_id'" in err


def test_cli_unknown_rule_option(tmp_path, capsys):
    folder = tmp_path / "roster"
    shutil.copytree(bd.samples.sample_path("fanxian"), folder)
    with (folder / "rules.toml").open("a", encoding="utf-8") as fh:
        fh.write('\n[[require]]\nrule = "same_region"\nlevle = "county"\n')
    assert main(["match", str(folder)]) == 2
    err = capsys.readouterr().err
    assert "unknown option 'levle'" in err and "'level'" in err


def test_cli_infeasible_exits_one(tmp_path, capsys):
    folder = tmp_path / "roster"
    shutil.copytree(bd.samples.sample_path("fanxian"), folder)
    text = (folder / "rules.toml").read_text(encoding="utf-8")
    text = text.replace('unmatched = "allow"', 'unmatched = "forbid"').replace("capacity = 2",
                                                                              "capacity = 1")
    (folder / "rules.toml").write_text(text, encoding="utf-8")
    assert main(["match", str(folder)]) == 1
    printed = capsys.readouterr().out
    assert "INFEASIBLE" in printed and "infeasible: 1 minimal set" in printed
    assert "cheapest relaxation" in printed


def test_read_roster_from_workbook_with_chinese_sheet_names(tmp_path):
    roster = bd.load_sample("fushan")
    book = tmp_path / "roster.xlsx"
    with pd.ExcelWriter(book) as writer:
        roster.mentors.to_excel(writer, sheet_name="导师", index=False)
        roster.mentees.to_excel(writer, sheet_name="帮带对象", index=False)
    again = bd.read_roster(book, rules=bd.samples.sample_path("fushan") / "rules.toml")
    pd.testing.assert_frame_equal(again.mentors, roster.mentors, check_dtype=False)
    problem = again.problem()
    result = problem.solve(time_limit=30)
    assert bd.validate(problem, result.pairs).ok and len(result.pairs) == 30


def test_unknown_keys_in_rules_are_refused():
    roster = bd.load_sample("fanxian")
    with pytest.raises(bd.InputError) as info:
        bd.problem_from_rules(roster, {"pairing": {"shape": "one_to_many", "capcity": 2}})
    assert "capacity" in info.value.choices
    with pytest.raises(bd.InputError) as info:
        bd.problem_from_rules(roster, {"prefer": [{"score": "fairness"}]})
    assert "domain_fit" in info.value.choices
    with pytest.raises(bd.InputError):
        bd.problem_from_rules(roster, {"pairing": {"shape": "triangle"}})


def test_result_exports(tmp_path, yinchuan):
    _, problem, result = yinchuan
    path = result.to_csv(tmp_path / "p.csv")
    back = pd.read_csv(path, encoding="utf-8-sig", dtype={"mentor_id": str, "mentee_id": str})
    assert len(back) == len(result.pairs)
    assert bd.validate(problem, back).ok
    s = result.summary()
    assert s["pairs"] == len(result.pairs) and s["status"] == "OPTIMAL"
    assert "OPTIMAL" in repr(result)
    assert result.raise_for_status() is result


def test_readme_python_example_runs(tmp_path, monkeypatch):
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    block = readme.split("```python\n", 1)[1].split("```", 1)[0]
    monkeypatch.chdir(tmp_path)
    namespace: dict = {}
    exec(compile(block, "README.md", "exec"), namespace)
    assert namespace["result"].status is bd.Status.OPTIMAL
    assert (tmp_path / "pairs.xlsx").exists()


def test_cli_reasons_in_chinese(tmp_path, capsys):
    why = tmp_path / "why.csv"
    assert main(["match", "sample:yinchuan", "--lang", "zh", "--unmatched-out", str(why)]) == 0
    reasons = pd.read_csv(why, encoding="utf-8-sig")["reason"]
    assert len(reasons) > 0
    assert reasons.str.contains(r"[\u4e00-\u9fff]").all()  # every reason is written in Chinese


def test_read_table_gbk_csv_keeps_leading_zero_ids(tmp_path):
    # a CSV exported by Chinese Excel: GBK encoding, ids with leading zeros
    path = tmp_path / "导师.csv"
    pd.DataFrame({"导师编号": ["007", "010"], "乡镇": ["良田镇", "丰登镇"]}).to_csv(
        path, index=False, encoding="gbk")
    table = bd.read_table(path)
    assert table["导师编号"].tolist() == ["007", "010"] and table["乡镇"].iloc[0] == "良田镇"
    rules = bd.read_rules(bd.samples.sample_path("fushan") / "rules.toml")
    assert rules["pairing"]["unmatched"] == "forbid"


def test_rule_objects_for_forbidden_and_fixed_pairs():
    mentors = pd.DataFrame({"mentor_id": ["A", "B"]})
    mentees = pd.DataFrame({"mentee_id": ["x", "y"]})
    veto = pd.DataFrame({"mentor_id": ["A"], "mentee_id": ["x"]})
    lock = pd.DataFrame({"mentor_id": ["B"], "mentee_id": ["y"]})
    p = bd.Problem(mentors, mentees, pairing=bd.Pairing("one_to_one"))
    p.require(bd.ForbiddenPairs(veto), bd.FixedPairs(lock))
    r = p.solve()
    bd.validate(p, r.pairs).raise_if_invalid()
    # B-y is locked, A-x vetoed: A and x stay unmatched rather than break either rule
    assert set(zip(r.pairs.mentor_id, r.pairs.mentee_id, strict=True)) == {("B", "y")}
    assert sorted(r.unmatched.mentee_id) == ["x"]


@pytest.mark.parametrize("argv, word", [
    (["match", "sample:beijing"], "beijing"),
    (["match", "sample:fanxian", "--time-limit", "nan"], "--time-limit"),
    (["match", "sample:fanxian", "--time-limit", "-1"], "--time-limit"),
    (["match", "sample:fanxian", "--workers", "0"], "--workers"),
    (["match", "a.csv", "b.csv", "c.csv"], "give one roster"),
    (["match", "no/such/folder"], "not found"),
])
def test_cli_bad_arguments_exit_two(argv, word, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "input error" in err and word in err


def test_cli_gbk_roster_with_chinese_headers(tmp_path, capsys):
    folder = tmp_path / "roster"
    shutil.copytree(bd.samples.sample_path("fushan"), folder)
    for name in ("mentors.csv", "mentees.csv", "rules.toml"):
        text = (folder / name).read_text(encoding="utf-8")
        (folder / name).write_bytes(text.encode("gbk"))
    out = tmp_path / "pairs.csv"
    assert main(["match", str(folder), "--out", str(out)]) == 0
    pairs = pd.read_csv(out, encoding="utf-8-sig", dtype=str)
    assert len(pairs) == 30 and pairs["mentor_name"].str.contains(r"[\u4e00-\u9fff]").all()
