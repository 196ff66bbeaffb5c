"""Issue 11, the files side: every bad file refused cleanly, nothing lost, nothing silent.

One test per bullet of the issue's "Why" that belongs to the readers, the numeric checks of
the tables, the CLI's writes and the security of paths and outputs. Each failed on the code
before the front door was built (a raw traceback, a silently altered roster or a lost file).
"""

from __future__ import annotations

import os
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

import banghdai as bd
from banghdai.cli import main

SAMPLES = bd.samples.sample_path("fanxian").parent


def roster(tmp_path: Path, name: str = "fanxian") -> Path:
    folder = tmp_path / name
    shutil.copytree(SAMPLES / name, folder)
    return folder


def refused_cli(argv, capsys, *words) -> str:
    """The CLI exits 2 with an input error naming every word."""
    code = main([str(a) for a in argv])
    err = capsys.readouterr().err
    assert code == 2, err
    assert "input error" in err and "Traceback" not in err
    for word in words:
        assert word in err, (word, err)
    return err


# ----------------------------------------------------------------- tracebacks: broken files

@pytest.mark.parametrize("content", [
    b"",                                              # 0 bytes
    b"this is not a workbook at all \x00\x01\x02",    # garbage
    b"mentor_id,name\nM1,A\n",                        # CSV text saved as .xlsx
    "truncated",                                      # the first half of a real workbook
])
def test_broken_xlsx_is_an_input_error_naming_the_file(tmp_path, capsys, content):
    folder = roster(tmp_path)
    mentors = pd.read_csv(folder / "mentors.csv")
    (folder / "mentors.csv").unlink()
    book = folder / "mentors.xlsx"
    if content == "truncated":
        mentors.to_excel(book, index=False)
        content = book.read_bytes()[: book.stat().st_size // 2]
    book.write_bytes(content)
    with pytest.raises(bd.InputError) as info:
        bd.read_roster(folder)
    assert "mentors.xlsx" in str(info.value)
    refused_cli(["match", folder], capsys, "mentors.xlsx")
    with pytest.raises(bd.InputError):  # a workbook given as the roster itself
        bd.read_roster(book)


def test_zero_byte_csv_and_side_table(tmp_path, capsys):
    folder = roster(tmp_path)
    (folder / "mentees.csv").write_bytes(b"")
    refused_cli(["match", folder], capsys, "mentees.csv", "empty")
    folder = roster(tmp_path / "b", "yinchuan")
    (folder / "fixed.csv").write_bytes(b"")
    # an empty side table holds no pairs: read as none, with a warning
    with pytest.warns(UserWarning, match="fixed.csv"):
        got = bd.read_roster(folder)
    assert got.fixed is None or len(got.fixed) == 0


def test_ragged_rows_and_unterminated_quote_name_the_line(tmp_path, capsys):
    folder = roster(tmp_path)
    lines = (folder / "mentors.csv").read_text(encoding="utf-8").splitlines()
    lines[6] += ",extra"          # spreadsheet row 7 has one field too many
    (folder / "mentors.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    refused_cli(["match", folder], capsys, "mentors.csv", "row 7")
    lines[6] = lines[6].removesuffix(",extra")
    lines[1] = lines[1] + ",extra"  # the first data row: pandas would take ids as the index
    (folder / "mentors.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    refused_cli(["match", folder], capsys, "mentors.csv", "row 2")
    lines[1] = lines[1].removesuffix(",extra")
    short = list(lines)
    short[9] = short[9].rsplit(",", 2)[0]  # a short row: the columns would shift silently
    (folder / "mentors.csv").write_text("\n".join(short) + "\n", encoding="utf-8")
    refused_cli(["match", folder], capsys, "mentors.csv", "row 10")
    (folder / "mentors.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    lines = (folder / "mentees.csv").read_text(encoding="utf-8").splitlines()
    lines[4] = lines[4].replace(",", ',"', 1)  # a quote that never closes
    (folder / "mentees.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    refused_cli(["match", folder], capsys, "mentees.csv", "row 5", "quote")


def test_a_folder_where_a_file_is_expected(tmp_path, capsys):
    folder = roster(tmp_path)
    (folder / "mentees.csv").unlink()
    (folder / "mentees.csv").mkdir()
    refused_cli(["match", folder], capsys, "mentees.csv", "folder")
    folder = roster(tmp_path / "b")
    (folder / "rules.toml").unlink()
    (folder / "rules.toml").mkdir()
    refused_cli(["match", folder], capsys, "rules.toml", "folder")
    refused_cli(["match", folder / "mentors.csv", folder], capsys, "folder")


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "gbk"])
def test_rules_toml_in_other_encodings_is_read(tmp_path, encoding):
    folder = roster(tmp_path, "fushan")
    text = (folder / "rules.toml").read_text(encoding="utf-8")
    (folder / "rules.toml").write_bytes(text.encode(encoding))
    rules = bd.read_rules(folder / "rules.toml")
    assert rules == bd.read_rules(SAMPLES / "fushan" / "rules.toml")
    assert rules["columns"]["mentors"]["township"] == "乡镇"


def test_rules_toml_in_an_unknown_encoding_is_refused_naming_the_encodings(tmp_path):
    path = tmp_path / "rules.toml"
    path.write_bytes(b'[pairing]\nshape = "one_to_one"\n# \xff\xfe\xfa\xfb\x80\x81\n')
    with pytest.raises(bd.InputError) as info:
        bd.read_rules(path)
    assert "rules.toml" in str(info.value) and "UTF-8" in str(info.value)


def test_toml_syntax_error_names_the_line(tmp_path):
    path = tmp_path / "rules.toml"
    path.write_text('[pairing]\nshape = "one_to_one\n', encoding="utf-8")
    with pytest.raises(bd.InputError) as info:
        bd.read_rules(path)
    assert "rules.toml" in str(info.value) and "line 2" in str(info.value)


# ------------------------------------------------------------------- numbers in the tables

def test_rating_inf_is_refused_with_the_row(tmp_path, capsys):
    folder = roster(tmp_path, "yinchuan")
    mentees = pd.read_csv(folder / "mentees.csv", dtype={"mentee_id": str})
    mentees.loc[7, "rating"] = float("inf")
    mentees.to_csv(folder / "mentees.csv", index=False)
    err = refused_cli(["match", folder, "--time-limit", "5"], capsys, "mentees row 7", "rating",
                      "mentees.csv row 9")
    assert "finite" in err


def test_rating_inf_is_refused_in_python_too():
    m = pd.DataFrame({"mentor_id": ["A", "B"], "rating": [5.0, float("inf")]})
    e = pd.DataFrame({"mentee_id": ["x"], "rating": [1.0]})
    p = bd.Problem(m, e).prefer(bd.StrongToWeak(by="rating"))
    with pytest.raises(bd.InputError) as info:
        p.solve()
    assert info.value.row == 1 and info.value.column == "rating"


def test_capacity_1e20_is_refused_readably(tmp_path, capsys):
    folder = roster(tmp_path, "yinchuan")
    mentors = pd.read_csv(folder / "mentors.csv", dtype={"mentor_id": str})
    mentors["capacity"] = mentors["capacity"].astype(float)
    mentors.loc[3, "capacity"] = 1e20
    mentors.to_csv(folder / "mentors.csv", index=False)
    err = refused_cli(["match", folder, "--time-limit", "5"], capsys, "mentors row 3", "capacity")
    assert "-9223372036854775808" not in err and "1e+20" in err


# ------------------------------------------------------------------------------ ids as text

def test_mapped_id_header_keeps_leading_zeros(tmp_path):
    folder = roster(tmp_path, "fanxian")
    for side, col in (("mentors", "mentor_id"), ("mentees", "mentee_id")):
        t = pd.read_csv(folder / f"{side}.csv", dtype={col: str})
        t[col] = [f"{i:06d}" for i in range(1, len(t) + 1)]
        t.rename(columns={col: "工号"}).to_csv(folder / f"{side}.csv", index=False)
    with (folder / "rules.toml").open("a", encoding="utf-8") as fh:
        fh.write('\n[columns.mentors]\nmentor_id = "工号"\n[columns.mentees]\nmentee_id = "工号"\n')
    got = bd.read_roster(folder)
    assert got.mentors["工号"].iloc[0] == "000001"
    result = got.problem().solve(time_limit=10)
    assert result.pairs["mentor_id"].str.len().eq(6).all()


@pytest.mark.parametrize("blank", [" ", "\t", "   "])
def test_whitespace_only_ids_are_refused_as_empty(tmp_path, capsys, blank):
    folder = roster(tmp_path)
    text = (folder / "mentors.csv").read_text(encoding="utf-8").replace("M005,", f"{blank},", 1)
    (folder / "mentors.csv").write_text(text, encoding="utf-8")
    refused_cli(["match", folder], capsys, "mentors row 4", "empty id", "mentors.csv row 6")
    with pytest.raises(bd.InputError, match="empty id"):
        bd.Problem(pd.DataFrame({"mentor_id": ["A", blank]}), pd.DataFrame({"mentee_id": ["x"]}))


def test_na_like_strings_are_ids_like_any_other(tmp_path):
    folder = roster(tmp_path, "fushan")
    weird = ["NA", "None", "null", "N/A", "nan", "NULL", "#N/A", "-"]
    t = pd.read_csv(folder / "mentors.csv", dtype={"导师编号": str})
    t.loc[: len(weird) - 1, "导师编号"] = weird
    t.to_csv(folder / "mentors.csv", index=False)
    got = bd.read_roster(folder)
    assert got.mentors["导师编号"].iloc[: len(weird)].tolist() == weird
    # other columns still read "NA" as missing and numbers as numbers
    assert got.mentors["评分"].dtype.kind == "f"
    problem = got.problem()
    result = problem.solve(time_limit=10)
    bd.validate(problem, result.pairs).raise_if_invalid()


def test_float_ids_in_roster_and_pair_table_agree(tmp_path):
    folder = roster(tmp_path, "yinchuan")
    mentors = pd.read_csv(folder / "mentors.csv", dtype={"mentor_id": str})
    fixed = pd.read_csv(folder / "fixed.csv", dtype=str)
    new = {old: f"{i}.0" for i, old in enumerate(mentors["mentor_id"], start=1)}
    mentors["工号"] = mentors.pop("mentor_id").map(new)
    mentors.to_csv(folder / "mentors.csv", index=False)
    fixed["mentor_id"] = fixed["mentor_id"].map(new)
    fixed.to_csv(folder / "fixed.csv", index=False)
    forbidden = pd.read_csv(folder / "forbidden.csv", dtype=str)
    forbidden["mentor_id"] = forbidden["mentor_id"].map(new)
    forbidden.to_csv(folder / "forbidden.csv", index=False)
    with (folder / "rules.toml").open("a", encoding="utf-8") as fh:
        fh.write('\n[columns.mentors]\nmentor_id = "工号"\n')
    got = bd.read_roster(folder)
    problem = got.problem()
    result = problem.solve(time_limit=20)
    bd.validate(problem, result.pairs).raise_if_invalid()
    chosen = set(zip(result.pairs.mentor_id, result.pairs.mentee_id, strict=True))
    locked = {(bd.core.ids.ids_as_str(pd.Series([m]))[0], e)
              for m, e in zip(got.fixed.mentor_id, got.fixed.mentee_id, strict=True)}
    assert locked <= chosen


# ----------------------------------------------------------------------- encodings of CSVs

TRADITIONAL = (
    "導師編號,姓名,鄉鎮,專長,評分\n"
    "T001,陳志明,竹東鎮,農業技術;集體經濟,4.5\n"
    "T002,林美玲,關西鎮,基層治理;黨建,4.2\n"
    "T003,黃國華,峨眉鄉,產業發展;電商,3.9\n"
    "T004,張淑芬,北埔鄉,鄉村規劃;群眾工作,4.0\n"
)


def test_big5_csv_is_not_read_as_gb18030_mojibake(tmp_path):
    path = tmp_path / "mentors.csv"
    path.write_bytes(TRADITIONAL.encode("big5"))
    try:
        table = bd.read_table(path)
    except bd.InputError as err:  # refusing is fine, naming the encodings tried
        assert "Big5" in str(err) and "GB18030" in str(err)
    else:
        assert table["姓名"].tolist() == ["陳志明", "林美玲", "黃國華", "張淑芬"]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16"])
def test_simplified_csv_in_common_encodings(tmp_path, encoding):
    text = (SAMPLES / "fushan" / "mentors.csv").read_text(encoding="utf-8")
    path = tmp_path / "mentors.csv"
    path.write_bytes(text.encode(encoding))
    table = bd.read_table(path)
    expect = bd.read_table(SAMPLES / "fushan" / "mentors.csv")
    pd.testing.assert_frame_equal(table, expect)


def test_undecodable_csv_is_refused_naming_the_encodings_tried(tmp_path):
    path = tmp_path / "mentors.csv"
    path.write_bytes("mentor_id,name\nM1,José Müller\n".encode("cp1252") + b"\x81\xff\xfe\n")
    with pytest.raises(bd.InputError) as info:
        bd.read_table(path)
    text = str(info.value)
    assert "mentors.csv" in text and "UTF-8" in text and "GB18030" in text and "Big5" in text


# ------------------------------------------------------------------------- empty / ambiguous

def test_header_only_mentors_or_mentees_are_refused(tmp_path, capsys):
    folder = roster(tmp_path)
    head = (folder / "mentees.csv").read_text(encoding="utf-8").splitlines()[0]
    (folder / "mentees.csv").write_text(head + "\n", encoding="utf-8")
    refused_cli(["match", folder], capsys, "mentees.csv", "no rows")


def test_header_only_side_table_warns(tmp_path):
    folder = roster(tmp_path, "yinchuan")
    (folder / "forbidden.csv").write_text("mentor_id,mentee_id\n", encoding="utf-8")
    with pytest.warns(UserWarning, match="forbidden.csv"):
        got = bd.read_roster(folder)
    assert len(got.forbidden) == 0


def test_mentors_csv_and_xlsx_both_present_is_refused(tmp_path, capsys):
    folder = roster(tmp_path)
    pd.read_csv(folder / "mentors.csv").to_excel(folder / "mentors.xlsx", index=False)
    refused_cli(["match", folder], capsys, "mentors.csv", "mentors.xlsx")


def test_excel_row_of_a_duplicate_id(tmp_path, capsys):
    folder = roster(tmp_path)
    mentors = pd.read_csv(folder / "mentors.csv")
    mentors.loc[4, "mentor_id"] = mentors.loc[1, "mentor_id"]
    mentors.to_excel(folder / "mentors.xlsx", index=False)
    (folder / "mentors.csv").unlink()
    refused_cli(["match", folder], capsys, "mentors row 4", "mentors.xlsx row 6", "duplicate id")


# ------------------------------------------------------------------------------ safe writes

def test_out_over_an_input_file_is_refused(tmp_path, capsys):
    folder = roster(tmp_path)
    before = (folder / "mentors.csv").read_bytes()
    refused_cli(["match", folder, "--out", folder / "mentors.csv"], capsys, "input")
    refused_cli(["match", folder, "--unmatched-out", folder / "rules.toml"], capsys, "input")
    assert (folder / "mentors.csv").read_bytes() == before


def test_out_and_unmatched_out_the_same_file_is_refused(tmp_path, capsys):
    folder = roster(tmp_path)
    out = tmp_path / "pairs.csv"
    refused_cli(["match", folder, "--out", out, "--unmatched-out", tmp_path / "." / "pairs.csv"],
                capsys, "--unmatched-out")
    assert not out.exists()


def test_missing_output_folder_is_refused_before_solving(tmp_path, capsys, monkeypatch):
    folder = roster(tmp_path)
    monkeypatch.setattr(bd.Problem, "solve", lambda *a, **k: pytest.fail("solved"))
    refused_cli(["match", folder, "--out", tmp_path / "nowhere" / "pairs.xlsx"], capsys,
                "nowhere")
    refused_cli(["match", folder, "--out", tmp_path / "pairs.txt"], capsys, "--out")


def test_infeasible_run_leaves_existing_outputs_untouched(tmp_path, capsys):
    folder = roster(tmp_path)
    text = (folder / "rules.toml").read_text(encoding="utf-8")
    text = text.replace('unmatched = "allow"', 'unmatched = "forbid"').replace(
        "capacity = 2", "capacity = 1")
    (folder / "rules.toml").write_text(text, encoding="utf-8")
    out, why = tmp_path / "pairs.csv", tmp_path / "why.csv"
    out.write_text("last year's pairs\n", encoding="utf-8")
    why.write_text("last year's reasons\n", encoding="utf-8")
    assert main(["match", str(folder), "--out", str(out), "--unmatched-out", str(why)]) == 1
    printed = capsys.readouterr().out
    assert "INFEASIBLE" in printed and "nothing was written" in printed
    assert out.read_text(encoding="utf-8") == "last year's pairs\n"
    assert why.read_text(encoding="utf-8") == "last year's reasons\n"


def test_interrupt_leaves_outputs_untouched_and_exits_130(tmp_path, capsys, monkeypatch):
    folder = roster(tmp_path)
    out = tmp_path / "pairs.xlsx"
    out.write_bytes(b"old")

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(bd.Problem, "solve", interrupted)
    assert main(["match", str(folder), "--out", str(out)]) == 130
    captured = capsys.readouterr()
    assert "nothing was written" in captured.out + captured.err
    assert out.read_bytes() == b"old"


def test_a_failed_write_keeps_the_old_file(tmp_path, capsys, monkeypatch):
    folder = roster(tmp_path)
    out = tmp_path / "pairs.csv"
    out.write_text("keep me\n", encoding="utf-8")
    real = pd.DataFrame.to_csv

    def disk_full(self, path_or_buf=None, *args, **kwargs):
        real(self.head(3), path_or_buf, *args, **kwargs)  # part of the table, then the disk fills
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(pd.DataFrame, "to_csv", disk_full)
    code = main(["match", str(folder), "--out", str(out)])
    captured = capsys.readouterr()
    assert code == 2 and "No space left" in captured.err + captured.out
    assert "nothing was written" in captured.out + captured.err
    assert out.read_text(encoding="utf-8") == "keep me\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fanxian", "pairs.csv"]  # no debris


def test_written_files_are_complete_and_readable(tmp_path, capsys):
    folder = roster(tmp_path)
    out, why = tmp_path / "pairs.xlsx", tmp_path / "why.csv"
    assert main(["match", str(folder), "--out", str(out), "--unmatched-out", str(why)]) == 0
    assert "written" in capsys.readouterr().out
    assert len(openpyxl.load_workbook(out).worksheets) >= 2
    assert oct(out.stat().st_mode & 0o777) == oct(0o666 & ~_umask())
    pd.read_csv(why, encoding="utf-8-sig")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# -------------------------------------------------------------------------------- security

def test_side_table_paths_stay_inside_the_roster_folder(tmp_path, capsys):
    folder = roster(tmp_path, "yinchuan")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "creds.csv").write_text("secret_user,secret_password\nroot,hunter2\n",
                                       encoding="utf-8")
    text = (folder / "rules.toml").read_text(encoding="utf-8")
    (folder / "rules.toml").write_text(text.replace('forbidden = "forbidden.csv"',
                                                    'forbidden = "../outside/creds.csv"'),
                                       encoding="utf-8")
    err = refused_cli(["match", folder], capsys, "../outside/creds.csv", "roster folder")
    assert "secret" not in err and "hunter2" not in err
    for bad in ("/etc/passwd", str(outside / "creds.csv")):
        text = (folder / "rules.toml").read_text(encoding="utf-8").replace(
            "../outside/creds.csv", bad.replace("\\", "/"))
        (folder / "rules.toml").write_text(text, encoding="utf-8")
        refused_cli(["match", folder], capsys, "roster folder")


FORMULAS = ["=1+2", "+SUM(A1:A2)", "-2+3+cmd|' /C calc'!A0", "@SUM(1)", "=HYPERLINK(\"x\")"]


def _named_roster(tmp_path) -> Path:
    folder = roster(tmp_path)
    mentors = pd.read_csv(folder / "mentors.csv", dtype={"mentor_id": str})
    mentors.loc[: len(FORMULAS) - 1, "name"] = FORMULAS
    mentors.to_csv(folder / "mentors.csv", index=False)
    return folder


def test_formula_injection_neutralised_in_xlsx(tmp_path, capsys):
    folder = _named_roster(tmp_path)
    out = tmp_path / "pairs.xlsx"
    assert main(["match", str(folder), "--out", str(out)]) == 0
    book = openpyxl.load_workbook(out)
    cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row]
    assert not [c.value for c in cells if c.data_type == "f" and c.value in FORMULAS]
    shown = {c.value for c in cells if isinstance(c.value, str)}
    assert shown & set(FORMULAS)  # names show exactly as typed
    # the plain workbook too: no formula at all
    why = tmp_path / "why.xlsx"
    assert main(["match", str(folder), "--unmatched-out", str(why)]) == 0
    with zipfile.ZipFile(why) as z:
        assert "<f>" not in z.read("xl/worksheets/sheet1.xml").decode("utf-8")
    # the Python API's workbooks hold no live formula either
    result = bd.read_roster(folder).problem().solve(time_limit=10)
    for path in (result.to_excel(tmp_path / "api.xlsx"),
                 bd.report.write_excel(result, tmp_path / "plain.xlsx")):
        book = openpyxl.load_workbook(path)
        assert not [c for ws in book.worksheets for row in ws.iter_rows() for c in row
                    if c.data_type == "f" and str(c.value) in FORMULAS]


def test_formula_injection_neutralised_in_csv(tmp_path, capsys):
    folder = _named_roster(tmp_path)
    out = tmp_path / "pairs.csv"
    assert main(["match", str(folder), "--out", str(out)]) == 0
    pairs = pd.read_csv(out, encoding="utf-8-sig", dtype=str)
    names = set(pairs["mentor_name"])
    assert not {n for n in names if n[0] in "=+-@"}
    assert names & {"'" + f for f in FORMULAS}
    # plain negative numbers are numbers, not formulas: left alone
    assert pd.to_numeric(pairs["score"]).notna().all()


def test_neutralise_leaves_numbers_and_plain_text():
    from banghdai.core.safeio import neutralise_formulas

    t = pd.DataFrame({"a": ["=1+2", "-3.5", "x", None, "@x"], "b": [-1, 2, 3, 4, 5]})
    out = neutralise_formulas(t)
    assert out["a"].tolist()[:3] == ["'=1+2", "-3.5", "x"] and out["a"].iloc[4] == "'@x"
    assert out["b"].tolist() == [-1, 2, 3, 4, 5] and t["a"].iloc[0] == "=1+2"


def test_read_table_error_attributes_name_the_file(tmp_path):
    path = tmp_path / "mentors.csv"
    path.write_text("a,b\n1,2,3\n", encoding="utf-8")
    with pytest.raises(bd.InputError) as info:
        bd.read_table(path)
    assert info.value.excel_row == 2 and info.value.file.endswith("mentors.csv")
    assert isinstance(info.value, ValueError)


def test_error_code_text_is_kept_as_text_in_xlsx(tmp_path, capsys):
    folder = roster(tmp_path)
    text = (folder / "mentors.csv").read_text(encoding="utf-8").replace("M005,", "#N/A,", 1)
    (folder / "mentors.csv").write_text(text, encoding="utf-8")
    problem = bd.read_roster(folder).problem()
    path = bd.report.write_excel(problem.solve(time_limit=10), tmp_path / "pairs.xlsx")
    pairs = pd.read_excel(path, sheet_name="pairs", dtype=str, keep_default_na=False)
    assert "#N/A" in set(pairs["mentor_id"])
    assert bd.validate(problem, pairs[["mentor_id", "mentee_id"]]).ok


def test_trailing_empty_columns_read_and_duplicate_headers_refused(tmp_path):
    path = tmp_path / "mentors.csv"
    path.write_text("mentor_id,x,,\nM1,1,,\nM2,2,,\n", encoding="utf-8")
    assert bd.read_table(path)["x"].tolist() == [1, 2]
    path.write_text("mentor_id,name,name\nM1,a,b\n", encoding="utf-8")
    with pytest.raises(bd.InputError, match="both called 'name'"):
        bd.read_table(path)
