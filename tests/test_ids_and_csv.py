"""Float ids normalised value by value; pairs CSV written safely; empty tables warned."""

from __future__ import annotations

import pandas as pd
import pytest

import banghdai as bd


def test_whole_float_ids_match_across_tables_whatever_else_the_column_holds():
    mentors = pd.DataFrame({"mentor_id": [1.0, 2.5]})
    mentees = pd.DataFrame({"mentee_id": ["E"]})
    fixed = pd.DataFrame({"mentor_id": [1.0], "mentee_id": ["E"]})  # this column has no 2.5
    p = bd.Problem(mentors, mentees).fix(fixed)
    result = p.solve()
    bd.validate(p, result.pairs).raise_if_invalid()
    assert result.pairs.mentor_id.tolist() == ["1"]


def test_pairs_csv_neutralises_formulas_and_replaces_atomically(tmp_path):
    mentors = pd.DataFrame({"mentor_id": ["=1+1"], "name": ["@cmd"]})
    mentees = pd.DataFrame({"mentee_id": ["+E"], "name": ["-x"]})
    path = tmp_path / "pairs.csv"
    path.write_text("old", encoding="utf-8")
    bd.Problem(mentors, mentees).solve().to_csv(path)
    text = path.read_text(encoding="utf-8-sig")
    assert "'=1+1" in text and "'+E" in text
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pairs.csv"]  # no temporary left


def test_an_empty_table_is_warned():
    with pytest.warns(bd.DataWarning, match="no rows"):
        bd.Problem(pd.DataFrame({"mentor_id": []}), pd.DataFrame({"mentee_id": ["E"]}))
