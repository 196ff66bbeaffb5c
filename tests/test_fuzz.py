"""Fuzz suite: corrupted rosters end in a clean InputError or a validated result, never a
raw traceback or a silently wrong pairing, through the CLI and the Python API.

The strategies live in ``benchmarks/fuzz.py`` (``python benchmarks/fuzz.py --examples
10000`` is the long run); here a few hundred cases run on the small samples with short
time limits.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

import fuzz  # noqa: E402

SMALL = ("fanxian", "fushan", "villages")
FAST = settings(deadline=None, database=None, suppress_health_check=list(HealthCheck),
                derandomize=True)


def _assert_clean(case, outcome):
    assert outcome.kind in ("refused", "validated", "no pairing"), f"{case}\n{outcome.detail}"


@settings(FAST, max_examples=130)
@given(fuzz.cases(SMALL))
def test_corrupted_rosters_through_api_and_cli(case):
    _assert_clean(case, fuzz.run_case(case, time_limit=1.0))


@settings(FAST, max_examples=100)
@given(fuzz.cases(("xingqing",)))
def test_corrupted_roster_with_side_tables_through_the_api(case):
    _assert_clean(case, fuzz.run_case(case, time_limit=1.0, cli=False))


@settings(FAST, max_examples=50)
@given(st.sampled_from(SMALL), st.sampled_from(fuzz.TABLES), st.sampled_from(fuzz.ENCODINGS))
def test_every_encoding_is_read_exactly_or_refused(sample, side, encoding):
    case = fuzz.Case(sample, [("encode", side, encoding)])
    outcome = fuzz.run_case(case, time_limit=1.0, cli=False)
    _assert_clean(case, outcome)
    if encoding in fuzz.LOSSLESS:
        assert outcome.kind != "refused", outcome.detail


@pytest.mark.parametrize("value", fuzz.WEIRD_IDS)
def test_weird_ids(value):
    case = fuzz.Case("fanxian", [("id", "mentors", value, 7)])
    outcome = fuzz.run_case(case, time_limit=1.0)
    _assert_clean(case, outcome)
    assert (outcome.kind == "refused") == (not fuzz.clean_text(value)), outcome.detail


@pytest.mark.parametrize("sheets", [("导师", "帮带对象"), ("Sheet1", "Sheet2"), ("mentors ", "mentees")])
def test_workbook_sheet_names(sheets):
    case = fuzz.Case("fushan", [("shuffle", "mentors", 1)], via_workbook=True, sheet_names=sheets)
    outcome = fuzz.run_case(case, time_limit=1.0)
    _assert_clean(case, outcome)
    assert (outcome.kind == "refused") == (sheets == ("Sheet1", "Sheet2")), outcome.detail


@settings(FAST, max_examples=12)
@given(st.sampled_from(SMALL + ("xingqing",)), st.sampled_from(fuzz.TABLES), st.integers(0, 10**6),
       st.booleans())
def test_shuffled_rows_give_the_original_pairs(sample, side, seed, xlsx):
    """Ties are broken by ids: the sample with its rows shuffled is paired exactly as shipped."""
    muts = [("shuffle", side, seed)] + ([("to_xlsx", side)] if xlsx else [])
    case = fuzz.Case(sample, muts)
    assert fuzz._order_only(case)
    outcome = fuzz.run_case(case, time_limit=5.0, cli=False)
    assert outcome.kind == "validated", outcome.detail


@pytest.mark.parametrize("form", fuzz.NEAR_DUPS)
@pytest.mark.parametrize("side", fuzz.TABLES)
def test_near_duplicate_ids_are_refused(form, side):
    """A row entered twice with a blank, an invisible or full-width character is one person."""
    case = fuzz.Case("fanxian", [("near_dup", side, form, 3)])
    outcome = fuzz.run_case(case, time_limit=1.0)
    assert outcome.kind == "refused", outcome.detail


@pytest.mark.parametrize("error", fuzz.EXCEL_ERRORS)
def test_cached_excel_errors_are_refused(error):
    case = fuzz.Case("fushan", [("excel_error", "mentors", error, 5)])
    outcome = fuzz.run_case(case, time_limit=1.0)
    assert outcome.kind == "refused" and "Excel error" in outcome.detail, outcome.detail


@settings(FAST, max_examples=16, phases=(Phase.explicit, Phase.generate))
@given(st.sampled_from(SMALL + ("xingqing",)), st.sampled_from(fuzz.TABLES),
       st.integers(0, 255), st.integers(0, 10**6))
def test_a_roster_formatted_as_sent_gives_the_original_pairs(sample, side, flags, seed):
    """Titles, merged two-row headers, blank and repeated header rows, 合计, footers, a hidden
    row and a hidden column change nothing: the pairing is the original's."""
    case = fuzz.Case(sample, [("decorate", side, flags, seed)])
    assert fuzz._order_only(case)
    outcome = fuzz.run_case(case, time_limit=5.0, cli=False)
    assert outcome.kind == "validated", outcome.detail


def test_a_side_table_whose_id_column_is_all_empty_is_refused():
    """Found by the 10,000-case run: a fixed.csv cut short so its mentee_id column holds no
    value at all was a raw IndexError; it is an empty id, named by its row."""
    case = fuzz.Case("xingqing", [("truncate", "fixed", 0.8187287793791602)])
    outcome = fuzz.run_case(case, time_limit=1.0)
    assert outcome.kind == "refused" and "empty id" in outcome.detail, outcome.detail
