"""Bad input is refused before solving, naming table, row, id and column; inputs never change."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import banghdai as bd

from oracle import refused


def mentors(**extra):
    data = {"mentor_id": ["M1", "M2", "M3"], "county": ["A", "A", "B"],
            "lat": [38.4, 38.5, 38.6], "lon": [106.2, 106.3, 106.4],
            "rating": [5.0, 4.0, 4.5], "capacity": [1, 2, 1]}
    data.update(extra)
    return pd.DataFrame(data)


def mentees(**extra):
    data = {"mentee_id": ["E1", "E2"], "county": ["A", "B"], "lat": [38.45, 38.55],
            "lon": [106.25, 106.35], "rating": [2.0, 3.0]}
    data.update(extra)
    return pd.DataFrame(data)


def test_missing_id_column_takes_the_row_numbers_with_a_warning():
    with pytest.warns(bd.DataWarning, match="no id column") as seen:
        p = bd.Problem(mentors().drop(columns="mentor_id"), mentees())
    assert p.mentors["mentor_id"].tolist() == ["1", "2", "3"]
    text = str(seen[0].message)
    assert "columns={'mentor_id': ...}" in text and '[columns.mentors] mentor_id = "' in text


def test_row_number_column_is_the_id_only_without_an_id_column():
    with pytest.warns(bd.DataWarning, match="'序号' column is used"):
        p = bd.Problem(mentors().drop(columns="mentor_id").assign(序号=[3, 1, 2]), mentees())
    assert p.mentors["mentor_id"].tolist() == ["3", "1", "2"]
    p = bd.Problem(mentors(序号=[1, 2, 3]), mentees())  # an id column: 序号 stays as it is
    assert p.mentors["mentor_id"].tolist() == ["M1", "M2", "M3"]
    assert p.mentors["序号"].tolist() == [1, 2, 3]
    with pytest.warns(bd.DataWarning, match="blank or repeated"):  # repeated 序号: row numbers
        p = bd.Problem(mentors().drop(columns="mentor_id").assign(序号=[1, 1, 2]), mentees())
    assert p.mentors["mentor_id"].tolist() == ["1", "2", "3"]


def test_mapped_id_header_missing_names_python_and_rules_toml():
    err = refused(lambda: bd.Problem(mentors().drop(columns="mentor_id"), mentees(),
                                     mentor_columns={"mentor_id": "工号"}),
                  table="mentors", column="工号")
    assert "county" in err.choices
    text = str(err)
    assert "columns={'mentor_id': ...}" in text and '[columns.mentors] mentor_id = "' in text


def test_one_mapping_for_both_ids():
    m = mentors().rename(columns={"mentor_id": "导师代号"})
    e = mentees().rename(columns={"mentee_id": "对象代号"})
    p = bd.Problem(m, e, columns={"mentor_id": "导师代号", "mentee_id": "对象代号"})
    assert p.mentors["mentor_id"].tolist() == ["M1", "M2", "M3"]
    assert p.mentees["mentee_id"].tolist() == ["E1", "E2"]


def test_unknown_mapping_key_with_a_missing_header_is_refused_with_the_known_names():
    err = refused(lambda: bd.Problem(mentors(), mentees(), columns={"towns": "乡镇"}),
                  table="mentors", column="towns")
    assert "township" in err.choices and "not a column name the library knows" in str(err)
    # a column of your own is fine when its header exists
    p = bd.Problem(mentors(层级=["a", "b", "c"]), mentees(), mentor_columns={"tier": "层级"})
    assert p.mentors["tier"].tolist() == ["a", "b", "c"]


@pytest.mark.parametrize("side, header, canonical", [
    ("mentors", "擅长领域", "domains"), ("mentees", "需求领域", "domains"),
    ("mentors", "帮带人数上限", "capacity"), ("mentors", "导师类型", "type"),
    ("mentees", "对象类别", "category"), ("mentees", "类别", "category"),
    ("mentors", "工号", "mentor_id"), ("mentors", "导师编号", "mentor_id"),
    ("mentees", "对象编号", "mentee_id"), ("mentors", "姓名", "name"),
    ("mentees", "单位职务", "unit_post"), ("mentors", "单位", "unit"), ("mentors", "职务", "post"),
    ("mentees", "所在县区", "county"), ("mentees", "所在乡镇/街道", "township"),
    ("mentees", "所在乡镇（街道）", "township"), ("mentors", "所在乡镇", "township"),
    ("mentees", "所在村/社区", "village"), ("mentees", "所在村", "village"),
    ("mentors", "纬度", "lat"), ("mentors", "经度", "lon"),
])
def test_header_aliases_per_side(side, header, canonical):
    from banghdai.data.schema import prepare_table

    base = {"mentors": {"mentor_id": ["M1"]}, "mentees": {"mentee_id": ["E1"]}}[side]
    if canonical.endswith("_id"):
        base = {}
    value = 38.5 if canonical == "lat" else 106.2 if canonical == "lon" else "x"
    table = prepare_table(pd.DataFrame({**base, header: [value]}), side)
    assert canonical in table.frame.columns and table.shown(canonical) == header


def test_domain_aliases_belong_to_their_side():
    from banghdai.data.schema import prepare_table

    needs = prepare_table(pd.DataFrame({"mentor_id": ["M1"], "需求领域": ["党建"]}), "mentors")
    assert "domains" not in needs.frame.columns  # a mentor's 需求领域 is not its expertise
    skills = prepare_table(pd.DataFrame({"mentee_id": ["E1"], "擅长领域": ["党建"]}), "mentees")
    assert "domains" not in skills.frame.columns


def test_id_column_named_id_is_accepted():
    p = bd.Problem(mentors().rename(columns={"mentor_id": "id"}), mentees())
    assert p.mentors["mentor_id"].tolist() == ["M1", "M2", "M3"]


def test_duplicate_ids():
    err = refused(lambda: bd.Problem(mentors(mentor_id=["M1", "M2", "M1"]), mentees()),
                  table="mentors", row=2, id="M1", column="mentor_id")
    assert "first seen at row 0" in str(err)


def test_nan_ids():
    refused(lambda: bd.Problem(mentors(), mentees(mentee_id=["E1", None])),
            table="mentees", row=1, column="mentee_id")


def test_negative_capacity():
    p = bd.Problem(mentors(capacity=[1, -1, 1]), mentees(), pairing=bd.OneToMany("capacity"))
    refused(p.compile, table="mentors", row=1, id="M2", column="capacity")


def test_non_integer_capacity():
    p = bd.Problem(mentors(capacity=[1, 2, 1.5]), mentees(), pairing=bd.OneToMany("capacity"))
    err = refused(p.compile, table="mentors", row=2, id="M3", column="capacity")
    assert "whole number" in str(err)


def test_missing_capacity_value():
    p = bd.Problem(mentors(capacity=[1, np.nan, 1]), mentees(), pairing=bd.OneToMany("capacity"))
    refused(p.compile, table="mentors", row=1, column="capacity")


def test_capacity_int_must_be_non_negative():
    refused(lambda: bd.OneToMany(capacity=-2), column="capacity")


def test_min_load_above_capacity():
    p = bd.Problem(mentors(), mentees(), pairing=bd.OneToMany(capacity=1, min_load=2))
    refused(p.compile, table="mentors", row=0, column="min_load")


def test_latitude_out_of_range():
    refused(lambda: bd.Problem(mentors(lat=[38.4, 95.0, 38.6]), mentees()),
            table="mentors", row=1, id="M2", column="lat")


def test_longitude_out_of_range():
    refused(lambda: bd.Problem(mentors(), mentees(lon=[106.0, -181.0])),
            table="mentees", row=1, id="E2", column="lon")


def test_latitude_text():
    refused(lambda: bd.Problem(mentors(), mentees(lat=["38.4", "north"])),
            table="mentees", row=1, column="lat")


def test_chinese_latitude_header_checked_under_its_own_name():
    m = mentors().rename(columns={"lat": "纬度"})
    m.loc[2, "纬度"] = 120.0
    refused(lambda: bd.Problem(m, mentees()), table="mentors", row=2, column="纬度")


@pytest.mark.parametrize("table_kind", ["forbidden", "fixed", "pair_scores"])
def test_unknown_ids_in_pair_tables(table_kind):
    bad = pd.DataFrame({"mentor_id": ["M1", "M9"], "mentee_id": ["E1", "E1"], "score": [1, 2]})
    p = bd.Problem(mentors(), mentees())
    if table_kind == "forbidden":
        p.forbid(bad)
    elif table_kind == "fixed":
        p.fix(bad)
    else:
        p.prefer(bd.PairScore(bad))
    err = refused(p.compile, table=table_kind, row=1, column="mentor_id")
    assert "M9" in str(err)


def test_unknown_mentee_id_in_pair_table():
    bad = pd.DataFrame({"mentor_id": ["M1"], "mentee_id": ["E7"]})
    refused(bd.Problem(mentors(), mentees()).forbid(bad).compile,
            table="forbidden", row=0, column="mentee_id")


def test_pair_table_missing_column():
    bad = pd.DataFrame({"mentor": ["M1"], "mentee_id": ["E1"]})
    err = refused(bd.Problem(mentors(), mentees()).forbid(bad).compile,
                  table="forbidden", column="mentor_id")
    assert err.choices == ["mentor", "mentee_id"]


def test_pair_score_duplicate_pair():
    t = pd.DataFrame({"mentor_id": ["M1", "M1"], "mentee_id": ["E1", "E1"], "score": [1, 2]})
    refused(bd.Problem(mentors(), mentees()).prefer(bd.PairScore(t)).compile,
            table="pair_scores", row=1)


def test_pair_score_not_a_number():
    t = pd.DataFrame({"mentor_id": ["M1", "M2"], "mentee_id": ["E1", "E1"], "score": [1, "high"]})
    refused(bd.Problem(mentors(), mentees()).prefer(bd.PairScore(t)).compile,
            table="pair_scores", row=1, column="score")


def test_pair_score_unknown_column():
    t = pd.DataFrame({"mentor_id": ["M1"], "mentee_id": ["E1"], "affinity": [1.0]})
    err = refused(bd.Problem(mentors(), mentees()).prefer(bd.PairScore(t)).compile,
                  table="pair_scores", column="score")
    assert "affinity" in err.choices


def test_unknown_column_named_in_rule():
    p = bd.Problem(mentors(), mentees()).require(bd.SameRegion("township"))
    err = refused(p.compile, table="mentors", column="township")
    assert "county" in err.choices


def test_unknown_strength_column():
    p = bd.Problem(mentors(), mentees()).require(bd.Stronger(by="level"))
    refused(p.compile, column="level")


def test_strength_column_with_text():
    p = bd.Problem(mentors(rating=[5, "good", 4]), mentees()).require(bd.Stronger("rating"))
    refused(p.compile, table="mentors", row=1, id="M2", column="rating")


def test_unknown_capacity_column():
    p = bd.Problem(mentors(), mentees(), pairing=bd.OneToMany("places"))
    refused(p.compile, table="mentors", column="places")


def test_unknown_column_mapping():
    err = refused(lambda: bd.Problem(mentors(), mentees(), columns={"county": "区县"}),
                  table="mentors", column="区县")
    assert "county" in err.choices


def test_unknown_unmatched_option():
    err = refused(lambda: bd.OneToOne(unmatched="maybe"), column="unmatched")
    assert err.choices == ["allow", "forbid"]


def test_unknown_backend():
    p = bd.Problem(mentors(), mentees())
    err = refused(lambda: p.solve(backend="gurobi"), column="backend")
    assert "cpsat" in err.choices


def test_unknown_solver_parameter():
    p = bd.Problem(mentors(), mentees())
    err = refused(lambda: p.solve(backend="cpsat", params={"max_seconds": 3}), column="params")
    assert "max_time_in_seconds" in err.choices


def test_flow_backend_refuses_solver_parameters():
    p = bd.Problem(mentors(), mentees())
    err = refused(lambda: p.solve(params={"num_workers": 1}), column="params")
    assert "backend='cpsat'" in str(err)


def test_bad_time_limit():
    refused(lambda: bd.Problem(mentors(), mentees()).solve(time_limit=0), column="time_limit")


def test_require_refuses_a_score():
    err = refused(lambda: bd.Problem(mentors(), mentees()).require(bd.DomainFit()), column="rule")
    assert "SameRegion" in err.choices


def test_prefer_refuses_a_rule():
    refused(lambda: bd.Problem(mentors(), mentees()).prefer(bd.SameRegion()), column="score")


def test_negative_weight():
    refused(lambda: bd.DomainFit(weight=-1), column="weight")


def test_fixed_pair_breaking_a_hard_rule_is_an_error():
    p = bd.Problem(mentors(), mentees()).require(bd.SameRegion("county"))
    p.fix(pd.DataFrame({"mentor_id": ["M3"], "mentee_id": ["E1"]}))
    err = refused(p.compile, table="fixed", row=0)
    assert "same county" in str(err) and "M3" in str(err)


def test_fixed_pair_that_is_forbidden_is_an_error():
    pair = pd.DataFrame({"mentor_id": ["M1"], "mentee_id": ["E1"]})
    p = bd.Problem(mentors(), mentees()).forbid(pair).fix(pair)
    err = refused(p.compile, table="fixed", row=0)
    assert "not forbidden" in str(err)


def test_fixed_pairs_over_capacity_is_an_error():
    pairs = pd.DataFrame({"mentor_id": ["M1", "M1"], "mentee_id": ["E1", "E2"]})
    p = bd.Problem(mentors(), mentees(), pairing=bd.OneToMany(capacity="capacity")).fix(pairs)
    refused(p.compile, table="mentors", id="M1", column="capacity")


def test_not_a_dataframe():
    refused(lambda: bd.Problem([{"mentor_id": 1}], mentees()), table="mentors")


def test_dense_limit_refused(monkeypatch):
    import importlib

    compile_module = importlib.import_module("banghdai.compile.graph")
    monkeypatch.setattr(compile_module, "MAX_DENSE_PAIRS", 5)
    refused(bd.Problem(mentors(), mentees()).compile)


def test_message_names_everything():
    err = bd.InputError("bad", table="mentees", row=4, id="E5", column="纬度", choices=["a"])
    assert str(err) == "mentees row 4 id 'E5', column '纬度': bad (valid choices: 'a')"


def test_inputs_not_mutated_by_solve_and_validate():
    m = mentors(domains=["a;b", ["b", "c"], "c"]).rename(columns={"lat": "纬度"})
    e = mentees(domains=["a", "c"])
    forbidden = pd.DataFrame({"mentor_id": ["M2"], "mentee_id": ["E2"]})
    fixed = pd.DataFrame({"mentor_id": ["M1"], "mentee_id": ["E1"]})
    scores = pd.DataFrame({"mentor_id": ["M1", "M3"], "mentee_id": ["E1", "E2"], "score": [1.5, 2]})
    before = [t.copy(deep=True) for t in (m, e, forbidden, fixed, scores)]
    p = bd.Problem(m, e, pairing=bd.OneToMany("capacity"))
    p.require(bd.SharesDomain(), bd.MaxDistance(50)).forbid(forbidden).fix(fixed)
    p.prefer(bd.DomainFit(), bd.PairScore(scores, restrict=False), bd.Closeness())
    result = p.solve(time_limit=10)
    bd.validate(p, result.pairs).raise_if_invalid()
    for old, new in zip(before, (m, e, forbidden, fixed, scores), strict=True):
        pd.testing.assert_frame_equal(old, new)
    # the problem holds copies, not the caller's objects
    assert p.mentors is not m and p.mentees is not e


def test_integer_and_float_ids_match_pair_tables():
    m = pd.DataFrame({"mentor_id": [1, 2]})
    e = pd.DataFrame({"mentee_id": [10.0, 20.0]})
    fixed = pd.DataFrame({"mentor_id": ["2"], "mentee_id": [10]})
    result = bd.Problem(m, e).fix(fixed).solve()
    bd.validate(bd.Problem(m, e).fix(fixed), result.pairs).raise_if_invalid()
    assert ("2", "10") in set(zip(result.pairs.mentor_id, result.pairs.mentee_id, strict=True))


def test_stronger_margin_compares_decimals_as_written():
    mentors = pd.DataFrame({"mentor_id": ["A"], "rating": [4.4]})
    mentees = pd.DataFrame({"mentee_id": ["E"], "rating": [3.4]})
    strict = bd.Problem(mentors, mentees).require(bd.Stronger("rating", margin=1.0))
    assert strict.compile().n_edges == 0  # 4.4 - 3.4 is not more than 1.0
    loose = bd.Problem(mentors, mentees).require(bd.Stronger("rating", margin=1.0, strict=False))
    r = loose.solve()
    assert len(r.pairs) == 1 and bd.validate(loose, r.pairs).ok
    assert not bd.validate(strict, r.pairs).ok


# ------------------------------------------------------- finite numbers, blank ids, file rows

@pytest.mark.parametrize("bad", [np.inf, -np.inf, "inf", 1e16])
def test_rating_must_be_finite_and_in_range(bad):
    p = bd.Problem(mentors(rating=[5.0, bad, 4.0]), mentees()).require(bd.Stronger("rating"))
    err = refused(p.compile, table="mentors", row=1, id="M2", column="rating")
    assert "finite" in str(err)


@pytest.mark.parametrize("bad", [1e20, np.inf, 2**62, 10**9 + 1])
def test_capacity_beyond_range_is_refused_readably(bad):
    caps = pd.Series([1, bad, 1], dtype=object if isinstance(bad, int) else float)
    p = bd.Problem(mentors(capacity=caps), mentees(), pairing=bd.OneToMany("capacity"))
    err = refused(p.compile, table="mentors", row=1, id="M2", column="capacity")
    assert "-9223372036854775808" not in str(err) and "1000000000" in str(err)


def test_whitespace_ids_are_empty_and_padded_ids_are_trimmed():
    refused(lambda: bd.Problem(mentors(mentor_id=["M1", "\u3000", "M3"]), mentees()),
            table="mentors", row=1, column="mentor_id")
    p = bd.Problem(mentors(mentor_id=["M1", " M2", "M3"]), mentees())  # issue 19: one value
    assert p.mentor_table.ids.tolist() == ["M1", "M2", "M3"]


def test_errors_name_the_spreadsheet_row_of_the_file(tmp_path):
    path = tmp_path / "mentors.csv"
    path.write_text("mentor_id,rating\n\nM1,5\nM2,inf\nM3,4\n", encoding="utf-8")
    table = bd.read_table(path)  # a blank line: the rows after it move down one
    p = bd.Problem(table, mentees()).require(bd.Stronger("rating"))
    err = refused(p.compile, table="mentors", row=1, id="M2", column="rating")
    assert err.excel_row == 4 and err.file == str(path)
    # a filtered copy keeps its rows' numbers; a re-indexed one no longer claims any
    sub = table[table.mentor_id != "M1"]
    err = refused(bd.Problem(sub, mentees()).require(bd.Stronger("rating")).compile,
                  table="mentors", row=0, id="M2")
    assert err.excel_row == 4
    err = refused(bd.Problem(sub.reset_index(drop=True), mentees())
                  .require(bd.Stronger("rating")).compile, table="mentors", row=0)
    assert err.excel_row is None


def test_pair_table_error_names_the_file_row(tmp_path):
    path = tmp_path / "forbidden.csv"
    path.write_text("mentor_id,mentee_id\nM1,E1\nM9,E2\n", encoding="utf-8")
    p = bd.Problem(mentors(), mentees()).forbid(bd.read_table(path))
    err = refused(p.compile, table="forbidden", row=1, column="mentor_id")
    assert err.excel_row == 3 and "forbidden.csv row 3" in str(err)
