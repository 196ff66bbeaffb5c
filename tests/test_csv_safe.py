"""CSV outputs are safe (OWASP's CSV-injection advice): every field quoted, every value that a
spreadsheet would run as a formula neutralised with a leading ``'``, no record ever split —
read back with Python's csv module, with pandas and with the library's own reader."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import banghdai as bd
from banghdai.cli import main
from banghdai.core.safeio import (
    FORMULA_START,
    NEUTRAL_PREFIX,
    formula_text,
    restore_formulas,
    write_csv,
)

LIVE = tuple(FORMULA_START)


def _live(field: str) -> bool:
    """A field a spreadsheet would evaluate: formula-leading and not a plain number."""
    return formula_text(field)


text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12)
risky = st.builds(lambda lead, mid, rest: lead + mid + rest,
                  st.sampled_from(LIVE + ("\r\n", "\r=", "\n+", " =", "'=", '"=')),
                  st.sampled_from(("", "=", "+", "-", "@", "\t", "\r", "\n", ",", '"')),
                  text)
cell = st.one_of(risky, text, st.sampled_from(("-3.5", "+7", "1e5", "=1+2", "@SUM(A1)",
                                               "=HYPERLINK(\"x\")", "-2+3", "\r=cmd|' /C calc'!A0")))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.tuples(cell, cell), min_size=1, max_size=6))
def test_no_live_field_and_no_split_record_in_any_reader(tmp_path, rows):
    frame = pd.DataFrame(rows, columns=["name", "note"])
    path = write_csv(frame, tmp_path / "out.csv")
    raw = path.read_bytes().decode("utf-8-sig")
    # Python's csv module: one record per row, two fields each, none live
    records = list(csv.reader(io.StringIO(raw, newline="")))
    assert records[0] == ["name", "note"]
    assert len(records) == len(rows) + 1
    for record, row in zip(records[1:], rows, strict=True):
        assert len(record) == 2
        for got, want in zip(record, row, strict=True):
            assert not _live(got), (got, want)
            assert got.lstrip(NEUTRAL_PREFIX) == want.lstrip(NEUTRAL_PREFIX)
    # every field quoted: the file is exactly what a quote-everything writer makes of it
    again = io.StringIO(newline="")
    csv.writer(again, quoting=csv.QUOTE_ALL, lineterminator="\r\n").writerows(records)
    assert raw == again.getvalue()
    # pandas reads the same records, and restore_formulas gives the values back
    back = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert len(back) == len(rows)
    assert not back.map(_live).to_numpy().any()
    assert restore_formulas(back).values.tolist() == [list(r) for r in rows]


@pytest.mark.parametrize("lead", LIVE)
def test_every_formula_leading_character_is_neutralised(tmp_path, lead):
    frame = pd.DataFrame({"name": [lead + "1+1", lead + "cmd|' /C calc'!A0", "王"]})
    path = write_csv(frame, tmp_path / "o.csv")
    back = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert back["name"].tolist() == [NEUTRAL_PREFIX + lead + "1+1",
                                     NEUTRAL_PREFIX + lead + "cmd|' /C calc'!A0", "王"]
    # the library's own reader reads the file back: the same rows, the prefix documented
    table = bd.read_table(path)
    assert table["name"].tolist() == back["name"].tolist()


def test_result_and_cli_csv_outputs_are_quoted_and_neutralised(tmp_path):
    mentors = pd.DataFrame({"mentor_id": ["M1", "M2"], "name": ["\r=1+1", "@SUM(A1)"]})
    mentees = pd.DataFrame({"mentee_id": ["E1", "E2"], "name": ["-2+3", "\t=cmd"]})
    problem = bd.Problem(mentors, mentees)
    result = problem.solve()
    bd.validate(problem, result.pairs).raise_if_invalid()
    path = result.to_csv(tmp_path / "pairs.csv")
    records = list(csv.reader(open(path, encoding="utf-8-sig", newline="")))
    assert len(records) == 1 + len(result.pairs)
    fields = [f for r in records for f in r]
    assert not any(_live(f) for f in fields)
    assert {"'@SUM(A1)", "'-2+3"} <= set(fields)  # the names as the tables hold them, neutralised
    assert any(f.startswith("'") and f.endswith("=1+1") for f in fields)
    assert any(f.startswith("'") and f.endswith("=cmd") for f in fields)

    folder = tmp_path / "roster"
    folder.mkdir()
    write_csv(mentors, folder / "mentors.csv")  # the library's reader reads its own output
    write_csv(mentees, folder / "mentees.csv")
    out = tmp_path / "out" / "pairs.csv"
    out.parent.mkdir()
    assert main(["match", str(folder / "mentors.csv"), str(folder / "mentees.csv"),
                 "--out", str(out), "--quiet"]) == 0
    for file in out.parent.iterdir():
        raw = file.read_bytes().decode("utf-8-sig")
        records = list(csv.reader(io.StringIO(raw, newline="")))
        assert all(not _live(f) for r in records for f in r), file.name
        again = io.StringIO(newline="")
        csv.writer(again, quoting=csv.QUOTE_ALL, lineterminator="\r\n").writerows(records)
        assert raw == again.getvalue(), file.name  # every field quoted
