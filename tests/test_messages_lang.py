"""Issue 19, item 5: every message in the planner's language.

The catalogue is walked (every code has English and Chinese text, the Chinese is Chinese);
the command line is run under ``--lang zh`` on bad inputs and must print no English
sentence; errors name the spreadsheet row, side tables included, and carry a hint; the
序号 fallback names the rows that caused it; mentors that can never be offered a mentee
are reported by ``bd.check``, the CLI and the workbook; ``--version`` and the Chinese
summary keys.
"""

from __future__ import annotations

import re
import shutil
import warnings
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

import banghdai as bd
from banghdai.cli import main
from banghdai.core.geo import haversine_km
from banghdai.core.messages import CATALOGUE, text, use_lang
from banghdai.explain.check import idle_mentors

SAMPLES = bd.samples.sample_path("fanxian").parent
CJK = re.compile(r"[\u4e00-\u9fff]")

#: ASCII words a Chinese text may keep: names the planner types or sees as they are.
ALLOWED = {
    "csv", "xlsx", "xls", "tsv", "txt", "toml", "rules", "utf", "gb18030", "gbk", "big5",
    "bom", "nul", "excel", "python", "pandas", "dataframe", "pip", "install", "openpyxl", "xlrd",
    "cp", "sat", "lat", "lon", "km", "gib", "true", "false", "id", "ids", "files", "columns",
    "require", "prefer", "levels", "solve", "pairing", "mentors", "mentees", "mentor", "mentee",
    "fixed", "forbidden", "scores", "sum", "name", "allow", "forbid", "auto", "en", "zh", "lang",
    "readme", "sample", "banghdai", "bd", "explain", "problem", "relax", "optimal", "feasible",
    "infeasible", "unknown", "none", "capacity", "township", "column", "side", "count", "min",
    "max", "roles", "allowed", "scale", "rank", "k", "float", "onetoone", "onetomany",
    "manytoone", "manytomany", "pairscore", "preferences", "load", "table", "prog", "message",
    "value", "choices", "argument", "type", "option", "matches", "s", "r", "time", "limit",
    "backend", "shape", "unmatched", "penalty", "weight", "level", "stable", "cpsat", "flow",
    "network", "objective", "region", "shared", "covered", "domains", "nan", "spa",
    "group", "dtype", "pdf",
}


def _english_words(zh: str) -> list[str]:
    """ASCII words of a Chinese text that are not placeholders, names or allowed words."""
    stripped = re.sub(r"\{[^}]*\}", " ", zh)            # placeholders
    stripped = re.sub(r"\[[^\]]*\]", " ", stripped)     # [sections] of rules.toml
    stripped = re.sub(r"“[^”]*”|\"[^\"]*\"|'[^']*'", " ", stripped)  # quoted values
    words = re.findall(r"[\-.]*[A-Za-z][A-Za-z0-9_.\-]*", stripped)
    return [w for w in words
            if not re.search(r"[_.\-]|\d", w) and w.lower() not in ALLOWED]


def test_every_code_has_english_and_chinese_text():
    assert len(CATALOGUE) > 200
    for code, texts in CATALOGUE.items():
        assert texts.get("en", "").strip(), code
        assert texts.get("zh", "").strip(), code


def test_chinese_texts_are_chinese():
    names = ("table.", "side.", "word.", "type.bool", "argparse.", "cli.status.",
             "cli.help.metavar_", "cli.sep", "cli.paren", "cli.none", "compile.with_rule")
    for code, texts in CATALOGUE.items():
        zh = texts["zh"]
        if code.startswith(names) or code.startswith("rule.") or code.startswith("stage."):
            continue  # a word, a rule label or punctuation: checked where it is used
        words = re.sub(r"\{[^}]*\}", "", zh)
        if not re.search(r"\w", words):
            continue  # only placeholders and punctuation
        assert CJK.search(zh), (code, zh)
        assert not _english_words(zh), (code, zh, _english_words(zh))


def test_every_code_a_raise_site_names_is_in_the_catalogue():
    src = Path(bd.__file__).parent
    for path in src.rglob("*.py"):
        for code in re.findall(r'Msg\(\s*"([^"]+)"', path.read_text(encoding="utf-8")):
            assert code in CATALOGUE, (path.name, code)


# ------------------------------------------------------------------------ errors as objects

def test_an_error_holds_its_code_and_renders_in_either_language():
    mentors = pd.DataFrame({"mentor_id": ["M1", "M1"]})
    mentees = pd.DataFrame({"mentee_id": ["E1"]})
    with pytest.raises(bd.InputError) as info:
        bd.Problem(mentors, mentees)
    err = info.value
    assert err.code == "input.duplicate_id" and err.params == {"first": 0}
    assert "duplicate id (first seen at row 0)" in str(err)  # English by default
    assert "how to fix:" in str(err)
    zh = err.text("zh")
    assert "编号重复" in zh and "请删去重复的一行" in zh and not _english_sentence(zh)
    with use_lang("zh"), pytest.raises(bd.InputError) as info:
        bd.Problem(mentors, mentees)
    assert str(info.value) == zh  # str() speaks the language chosen when it was raised
    assert info.value.text("en") == str(err)


def test_a_plain_text_error_still_works():
    err = bd.InputError("capacity must be >= 0", table="mentors", row=3, column="capacity")
    assert str(err) == "mentors row 3, column 'capacity': capacity must be >= 0"
    assert err.code is None and err.text("zh").startswith("导师表第3行")


def test_columns_side_given_as_text_is_a_clean_error(tmp_path):
    folder = _roster(tmp_path)
    (folder / "rules.toml").write_text(
        (folder / "rules.toml").read_text(encoding="utf-8") + '\n[columns]\nmentors = "x"\n',
        encoding="utf-8")
    with pytest.raises(bd.InputError, match=r"\[columns.mentors\]") as info:
        bd.read_roster(folder)
    assert info.value.code == "rules.columns_side_text"
    with pytest.raises(bd.InputError, match="mentor_columns must map"):
        bd.Problem(pd.DataFrame({"mentor_id": [1]}), pd.DataFrame({"mentee_id": [1]}),
                   mentor_columns="x")


# ----------------------------------------------------------------------- rows as Excel shows

def _roster(tmp_path: Path, name: str = "fanxian") -> Path:
    folder = tmp_path / name
    shutil.copytree(SAMPLES / name, folder)
    return folder


def test_side_table_errors_name_the_spreadsheet_row(tmp_path, capsys):
    folder = _roster(tmp_path)
    (folder / "fixed.csv").write_text("mentor_id,mentee_id\nM001,E001\nM002,E999\n",
                                      encoding="utf-8")
    assert main(["match", str(folder), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "fixed.csv row 3" in err and "E999" in err
    assert main(["match", str(folder), "--quiet", "--lang", "zh"]) == 2
    err = capsys.readouterr().err
    assert "fixed.csv 第3行" in err and "固定结对表" in err and "请对照名单核对编号" in err


def test_a_fixed_pair_breaking_a_rule_names_its_spreadsheet_row(tmp_path):
    folder = _roster(tmp_path)
    mentors = pd.read_csv(folder / "mentors.csv")
    mentees = pd.read_csv(folder / "mentees.csv")
    km = haversine_km(np.full(len(mentees), mentors["lat"][0]),
                      np.full(len(mentees), mentors["lon"][0]),
                      mentees["lat"].to_numpy(), mentees["lon"].to_numpy())
    far = mentees["mentee_id"][int(np.argmax(km))]
    assert km.max() > 25  # breaks max_distance 25 of the sample's rules
    (folder / "fixed.csv").write_text(
        f"mentor_id,mentee_id\nM002,E002\n{mentors['mentor_id'][0]},{far}\n", encoding="utf-8")
    roster = bd.read_roster(folder)
    with pytest.raises(bd.InputError) as info:
        roster.problem().compile()
    err = info.value
    assert err.code == "compile.fixed_breaks" and err.excel_row == 3 and err.row == 1
    assert "fixed.csv 第3行" in err.text("zh") and "25公里内" in err.text("zh")


def test_row_number_fallback_names_the_rows_that_caused_it(tmp_path):
    path = tmp_path / "mentors.csv"
    path.write_text("序号,姓名\n1,甲\n,乙\n2,丙\n2,丁\n", encoding="utf-8")
    table = bd.data.readers.read_table(path)
    mentees = pd.DataFrame({"mentee_id": ["E1"]})
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        bd.Problem(table, mentees)
    said = [w.message for w in seen if issubclass(w.category, bd.DataWarning)]
    assert len(said) == 1
    assert "in rows 3, 4, 5" in str(said[0])  # the blank and the two repeated numbers
    assert "第 3, 4, 5 行为空或重复" in said[0].text("zh")


# ---------------------------------------------------------------- the command line in Chinese

def _english_sentence(printed: str) -> list[str]:
    """Runs of three or more English words (paths, ids and option names aside)."""
    cleaned = re.sub(r"\S*[/\\]\S*", " ", printed)  # paths
    cleaned = re.sub(r"--?[a-z][a-z\-]*", " ", cleaned)  # options
    cleaned = re.sub(r"“[^”]*”|\"[^\"]*\"|'[^']*'", " ", cleaned)  # quoted values
    return re.findall(r"\b[A-Za-z]{2,}(?:[ ,]+[A-Za-z]{2,}){2,}\b", cleaned)


def _bad_capacity(folder: Path) -> None:
    rules = (folder / "rules.toml").read_text(encoding="utf-8")
    (folder / "rules.toml").write_text(rules.replace("capacity = 2", 'capacity = "capacity"'),
                                       encoding="utf-8")
    mentors = pd.read_csv(folder / "mentors.csv", dtype=str)
    mentors.loc[4, "capacity"] = "两"
    mentors.to_csv(folder / "mentors.csv", index=False)


def _unknown_column(folder: Path) -> None:
    rules = (folder / "rules.toml").read_text(encoding="utf-8")
    (folder / "rules.toml").write_text(
        rules + '\n[[require]]\nrule = "same_region"\nlevel = "片区"\n', encoding="utf-8")


def _missing_file(folder: Path) -> None:
    (folder / "mentees.csv").unlink()


def _bad_rules(folder: Path) -> None:
    (folder / "rules.toml").write_text("[pairing]\nshape = one_to_many\n", encoding="utf-8")


def _unknown_rule(folder: Path) -> None:
    (folder / "rules.toml").write_text('[[require]]\nrule = "same_villag"\n', encoding="utf-8")


def _columns_text(folder: Path) -> None:
    rules = (folder / "rules.toml").read_text(encoding="utf-8")
    (folder / "rules.toml").write_text(rules + '\n[columns]\nmentors = "x"\n', encoding="utf-8")


def _duplicate_id(folder: Path) -> None:
    mentors = pd.read_csv(folder / "mentors.csv", dtype=str)
    mentors.loc[6, "mentor_id"] = mentors.loc[2, "mentor_id"]
    mentors.to_csv(folder / "mentors.csv", index=False)


def _bad_coordinate(folder: Path) -> None:
    mentees = pd.read_csv(folder / "mentees.csv", dtype=str)
    mentees.loc[3, "lat"] = "北纬35度"
    mentees.to_csv(folder / "mentees.csv", index=False)


def _ragged(folder: Path) -> None:
    lines = (folder / "mentors.csv").read_text(encoding="utf-8").splitlines()
    lines[3] += ",extra"
    (folder / "mentors.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.mark.parametrize("spoil, words", [
    (_bad_capacity, ["导师带教人数上限", "mentors.csv 第6行", "请在这个单元格中填写整数"]),
    (_unknown_column, ["片区", "可选"]),
    (_missing_file, ["没有帮带对象表"]),
    (_bad_rules, ["规则文件格式错误", "第2行"]),
    (_unknown_rule, ["无法识别的规则", "same_villag"]),
    (_columns_text, ["[columns.mentors]"]),
    (_duplicate_id, ["编号重复", "第4行"]),
    (_bad_coordinate, ["纬度", "mentees.csv 第5行"]),
    (_ragged, ["字段", "第4行"]),
])
def test_cli_under_zh_prints_no_english_sentence(tmp_path, capsys, spoil, words):
    folder = _roster(tmp_path)
    spoil(folder)
    code = main(["match", str(folder), "--lang", "zh", "--quiet", "--out",
                 str(tmp_path / "out.xlsx")])
    captured = capsys.readouterr()
    assert code == 2, captured.err
    err = captured.err
    assert "输入有误" in err and "没有写出任何文件" in err and "Traceback" not in err
    for word in words:
        assert word in err, (word, err)
    assert not _english_sentence(err), err
    assert not _english_sentence(captured.out), captured.out


def test_cli_zh_infeasible_and_summary_keys(tmp_path, capsys):
    folder = _roster(tmp_path)
    rules = (folder / "rules.toml").read_text(encoding="utf-8")
    (folder / "rules.toml").write_text(rules.replace('unmatched = "allow"', 'unmatched = "forbid"')
                                       .replace("capacity = 2", "capacity = 1"), encoding="utf-8")
    assert main(["match", str(folder), "--lang", "zh", "--quiet", "--out",
                 str(tmp_path / "out.csv")]) == 1
    captured = capsys.readouterr()
    printed = captured.out
    assert "求解状态" in printed and "无可行方案" in printed and "没有写出任何文件" in printed
    assert not re.search(r"^(status|pairs|written)\b", printed, re.M)
    assert not _english_sentence(printed) and not _english_sentence(captured.err)


def test_cli_zh_summary_keys(tmp_path, capsys):
    out = tmp_path / "pairs.csv"
    assert main(["match", "sample:fanxian", "--lang", "zh", "--quiet", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    keys = [line.split()[0] for line in printed.splitlines()]
    assert keys[:3] == ["求解状态", "结对数", "已匹配帮带对象"] and keys[-1] == "已写出"
    assert not {"status", "pairs", "written"} & set(keys)
    assert main(["match", "sample:fanxian", "--quiet"]) == 0
    keys = [line.split()[0] for line in capsys.readouterr().out.splitlines()]
    assert keys[:2] == ["status", "pairs"]  # English stays the default


def test_cli_language_from_the_environment_and_from_the_rules(tmp_path, capsys, monkeypatch):
    folder = _roster(tmp_path)
    _duplicate_id(folder)
    monkeypatch.setenv("BANGHDAI_LANG", "zh")
    assert main(["match", str(folder), "--quiet"]) == 2
    assert "编号重复" in capsys.readouterr().err
    monkeypatch.delenv("BANGHDAI_LANG")
    rules = (folder / "rules.toml").read_text(encoding="utf-8")
    (folder / "rules.toml").write_text(rules + '\n[solve]\nlang = "zh"\n', encoding="utf-8")
    assert main(["match", str(folder), "--quiet"]) == 2  # read after the rules: in Chinese
    assert "编号重复" in capsys.readouterr().err
    assert main(["match", str(folder), "--quiet", "--lang", "en"]) == 2  # --lang wins
    assert "duplicate id" in capsys.readouterr().err


def test_version(capsys):
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0
    assert capsys.readouterr().out.strip() == f"banghdai {bd.core.version.version()}"


def test_help_in_chinese(capsys):
    with pytest.raises(SystemExit):
        main(["match", "--help", "--lang", "zh"])
    shown = capsys.readouterr().out
    assert shown.startswith("用法：") and "选项" in shown and "显示本帮助并退出" in shown
    assert "--time-limit 秒数" in shown
    assert not _english_sentence(shown), _english_sentence(shown)
    with pytest.raises(SystemExit) as info:
        main(["match", "--lang", "zh"])
    assert info.value.code == 2 and "缺少以下参数" in capsys.readouterr().err


# ------------------------------------------------------------ mentors never offered a mentee

def _county_mentors(tmp_path: Path) -> Path:
    folder = _roster(tmp_path)
    mentors = pd.read_csv(folder / "mentors.csv")
    extra = mentors.head(3).copy()
    extra["mentor_id"] = ["X1", "X2", "X3"]
    extra["township"] = "县直单位"
    pd.concat([mentors, extra]).to_csv(folder / "mentors.csv", index=False)
    rules = (folder / "rules.toml").read_text(encoding="utf-8")
    (folder / "rules.toml").write_text(
        rules + '\n[[require]]\nrule = "same_region"\nlevel = "township"\n', encoding="utf-8")
    return folder


def test_idle_mentors_in_check_cli_and_workbook(tmp_path, capsys):
    folder = _county_mentors(tmp_path)
    roster = bd.read_roster(folder)
    problem = roster.problem()
    idle = idle_mentors(problem, "zh")
    assert idle["mentor_id"].tolist() == ["X1", "X2", "X3"]
    assert idle["row"].tolist() == [79, 80, 81]  # the spreadsheet rows of mentors.csv
    assert set(idle["reason"]) == {"同乡镇：没有乡镇为“县直单位”的帮带对象"}
    found = bd.check(problem)
    rows = found[found["check"] == "idle_mentor"]
    assert rows["subject"].tolist() == ["X1", "X2", "X3"]
    assert (rows["severity"] == "warning").all()
    assert "no mentee has township = '县直单位'" in rows["message"].iloc[0]
    result = problem.solve()
    bd.validate(problem, result.pairs).raise_if_invalid()
    assert not set(result.pairs["mentor_id"]) & {"X1", "X2", "X3"}

    out = tmp_path / "对子.xlsx"
    assert main(["match", str(folder), "--quiet", "--lang", "zh", "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert "有3名导师在硬性规则下不可能分到帮带对象：X1、X2、X3" in err
    book = openpyxl.load_workbook(out)
    cells = [c for row in book["规则与参数"].iter_rows(values_only=True) for c in row if c]
    assert any(str(c).endswith("、不可能分到帮带对象的导师（3名）") for c in cells)  # a numbered section
    assert "X2" in cells and 80 in cells
    assert main(["match", str(folder), "--quiet"]) == 0
    assert "3 mentors can never be offered a mentee" in capsys.readouterr().err


def test_no_idle_mentors_no_line(capsys):
    assert main(["match", "sample:fanxian", "--quiet"]) == 0
    assert "never be offered" not in capsys.readouterr().err
    problem = bd.load_sample("fanxian").problem()
    assert idle_mentors(problem).empty and idle_mentors(problem).attrs["summary"]["en"] == ""


def test_text_fills_nested_messages_in_the_same_language():
    said = bd.Msg("rules.must_be", key="seed", need=bd.Msg("type.int"), value="x")
    assert said.text("en") == "seed must be a whole number, got 'x'"
    assert said.text("zh") == "seed 必须是整数，现为 'x'"
    assert text("cli.summary.pairs", "zh") == "结对数"


def test_progress_lines_in_the_language_of_the_run(capsys):
    assert main(["match", "sample:fushan", "--backend", "cpsat", "--lang", "zh"]) == 0
    err = capsys.readouterr().err
    assert "banghdai: 分区 1/" in err and "最优（OPTIMAL）" in err and "component" not in err
    assert main(["match", "sample:fushan", "--backend", "cpsat"]) == 0
    assert "banghdai: components 1/" in capsys.readouterr().err


def test_warnings_speak_the_language_they_were_raised_in():
    mentors = pd.DataFrame({"mentor_id": ["M1"], "lat": [35.0], "lon": [115.0]})
    mentees = pd.DataFrame({"mentee_id": ["E1", "E2"], "lat": [35.0, None],
                            "lon": [115.0, None]})
    for lang, words in (("en", "have no coordinates"), ("zh", "没有坐标")):
        with use_lang(lang), warnings.catch_warnings(record=True) as seen:
            warnings.simplefilter("always")
            bd.Problem(mentors, mentees).require(bd.MaxDistance(km=10)).compile()
        said = [w.message for w in seen if issubclass(w.category, bd.DataWarning)]
        assert said and words in str(said[0])
        assert said[0].text("en") != said[0].text("zh")
