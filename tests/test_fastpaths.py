"""Compiler fast paths give the same answers as the general paths.

* integer ids are looked up through an identity map, a direct-address array or a
  hash index (``schema.Table.index_of``) — the answers equal those of the same
  problem with text ids, and unknown ids are refused by row and column;
* a PairScore table listing every pair once is scattered into a grid
  (``compile._complete_grid``) and other pair tables are sorted by a scatter or a
  sort (``compile._sorted_unique_keys``) — the optimum equals SciPy's linear
  assignment whatever the row order, and a pair listed twice is refused;
* integer scores with integer weights stay exact integers;
* ``result.unmatched`` has one shape whether or not anybody is unmatched.

Every solve goes through :func:`banghdai.validate` (``oracle.assert_valid``).
"""

from __future__ import annotations

import itertools
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pandas.testing import assert_frame_equal
from scipy.optimize import linear_sum_assignment

import banghdai as bd

from oracle import assert_valid, mincostflow_reference, quick_settings, refused, rounding_tolerance

SETTINGS = quick_settings(30)


# --------------------------------------------------------------------------- helpers
def solved(problem: bd.Problem, **kwargs) -> bd.Result:
    """Solve, insist on a pairing, and push it through bd.validate."""
    result = problem.solve(time_limit=20, **kwargs)
    assert_valid(problem, result)
    return result


def pair_set(result: bd.Result) -> list[tuple[str, str]]:
    return sorted(zip(result.pairs["mentor_id"].astype(str), result.pairs["mentee_id"].astype(str),
                      strict=True))


def int_ids(layout: str, n: int, rng: np.random.Generator) -> np.ndarray:
    """Integer ids laid out for one lookup path."""
    if layout == "identity0":  # 0, 1, 2, ... in row order
        return np.arange(n, dtype=np.int64)
    if layout == "identity1":  # 1, 2, 3, ... in row order
        return np.arange(1, n + 1, dtype=np.int64)
    if layout == "lut":  # compact, every value of the span, shuffled
        return rng.permutation(np.arange(7, 7 + n, dtype=np.int64))
    if layout == "lut_gaps":  # compact with holes, shuffled
        return rng.permutation(np.arange(3, 3 + 2 * n, 2, dtype=np.int64))
    if layout == "hash":  # sparse: multiples of 10**9
        return rng.permutation(n).astype(np.int64) * 10**9
    raise AssertionError(layout)


def lookup_kind(table) -> str:
    """Which integer lookup ``Table.index_of`` will use (private, asserted to pin the path)."""
    lookup = table._int_lookup
    if lookup is None:
        return "text"
    if isinstance(lookup, pd.Index):
        return "hash"
    return "identity" if lookup[1] is None else "lut"


EXPECTED_KIND = {"identity0": "identity", "identity1": "identity", "lut": "lut",
                 "lut_gaps": "lut", "hash": "hash"}


def as_text(df: pd.DataFrame, *cols: str) -> pd.DataFrame:
    return df.astype({c: str for c in cols})


def int_case(m_layout: str, e_layout: str, seed: int, *, presorted: bool = False,
             id_dtype: str = "int64", n_m: int = 6, n_e: int = 5):
    """Mentors, mentees and pair tables with integer ids.

    ``scores`` lists about 60% of the pairs in random order (mentee-major when
    ``presorted``) with distinct float scores; ``forbidden`` two of them and
    ``fixed`` one other.
    """
    rng = np.random.default_rng(seed)
    mid, eid = int_ids(m_layout, n_m, rng), int_ids(e_layout, n_e, rng)
    mentors = pd.DataFrame({"mentor_id": mid, "rating": rng.integers(1, 6, n_m)})
    mentees = pd.DataFrame({"mentee_id": eid, "rating": rng.integers(1, 6, n_e)})
    grid = [(i, j) for j in range(n_e) for i in range(n_m)]  # mentee-major positions
    keep = sorted(rng.choice(len(grid), size=int(0.6 * len(grid)), replace=False))
    chosen = [grid[k] for k in keep]
    if not presorted:
        chosen = [chosen[k] for k in rng.permutation(len(chosen))]
    mi = np.array([i for i, _ in chosen])
    ej = np.array([j for _, j in chosen])
    scores = pd.DataFrame({
        "mentor_id": mid[mi].astype(id_dtype),
        "mentee_id": eid[ej].astype(id_dtype),
        "score": np.round(rng.permutation(len(chosen)) + rng.random(len(chosen)), 3),
    })
    forbidden = scores.iloc[[1, 3], :2].reset_index(drop=True)
    fixed = scores.iloc[[0], :2].reset_index(drop=True)
    return mentors, mentees, scores, forbidden, fixed


def build(mentors, mentees, scores, forbidden, fixed, pairing=None) -> bd.Problem:
    p = bd.Problem(mentors, mentees, pairing=pairing)
    p.prefer(bd.PairScore(scores))
    if forbidden is not None:
        p.forbid(forbidden)
    if fixed is not None:
        p.fix(fixed)
    return p


def assert_same_compiled(a: bd.Compiled, b: bd.Compiled) -> None:
    np.testing.assert_array_equal(a.edge_mentor, b.edge_mentor)
    np.testing.assert_array_equal(a.edge_mentee, b.edge_mentee)
    np.testing.assert_array_equal(a.edge_value, b.edge_value)
    np.testing.assert_array_equal(a.edge_fixed, b.edge_fixed)
    assert_frame_equal(a.edge_info, b.edge_info, check_dtype=False)
    assert_frame_equal(a.funnel, b.funnel, check_dtype=False)
    assert a.scale == b.scale and a.sense == b.sense


# =========================================================================== 1. integer ids
LAYOUT_PAIRS = [
    ("identity0", "identity0"),
    ("identity1", "identity1"),
    ("lut", "lut"),
    ("lut_gaps", "hash"),
    ("hash", "hash"),
    ("identity0", "hash"),
    ("hash", "identity1"),
    ("lut", "identity0"),
]


@pytest.mark.parametrize("presorted", [False, True], ids=["shuffled", "presorted"])
@pytest.mark.parametrize(("m_layout", "e_layout"), LAYOUT_PAIRS)
def test_integer_ids_match_text_ids(m_layout, e_layout, presorted):
    mentors, mentees, scores, forbidden, fixed = int_case(m_layout, e_layout, 11,
                                                          presorted=presorted)
    frames = (mentors, mentees, scores, forbidden, fixed)
    before = [f.copy(deep=True) for f in frames]

    p_int = build(*frames)
    assert lookup_kind(p_int.mentor_table) == EXPECTED_KIND[m_layout]
    assert lookup_kind(p_int.mentee_table) == EXPECTED_KIND[e_layout]
    p_txt = build(as_text(mentors, "mentor_id"), as_text(mentees, "mentee_id"),
                  as_text(scores, "mentor_id", "mentee_id"),
                  as_text(forbidden, "mentor_id", "mentee_id"),
                  as_text(fixed, "mentor_id", "mentee_id"))
    assert lookup_kind(p_txt.mentor_table) == "text"

    assert_same_compiled(p_int.compile(), p_txt.compile())
    r_int, r_txt = solved(p_int), solved(p_txt)
    assert r_int.objective == r_txt.objective
    assert pair_set(r_int) == pair_set(r_txt)
    assert len(r_int.pairs) > 0
    # the fixed pair is formed, no forbidden pair is
    got = set(pair_set(r_int))
    assert (str(fixed.iloc[0, 0]), str(fixed.iloc[0, 1])) in got
    assert not got & {(str(a), str(b)) for a, b in forbidden.itertuples(index=False)}

    for frame, copy in zip(frames, before, strict=True):
        assert_frame_equal(frame, copy)


@pytest.mark.parametrize("backend", ["flow", "cpsat"])
@pytest.mark.parametrize("layout", ["identity0", "identity1", "lut", "hash"])
def test_solve_leaves_callers_id_columns_writable_and_unchanged(layout, backend):
    rng = np.random.default_rng(5)
    n = 5
    mid, eid = int_ids(layout, n, rng), int_ids(layout, n, rng)
    order = np.argsort(eid, kind="stable")  # scores listed mentee-major: no reordering needed
    pm = mid[rng.permutation(n)][order]
    pe = eid[order]
    # the caller's own numpy arrays back the pair table
    arr_m, arr_e = pm.copy(), pe.copy()
    scores = pd.DataFrame({"mentor_id": arr_m, "mentee_id": arr_e,
                           "score": np.arange(1, n + 1)}, copy=False)
    assert np.shares_memory(scores["mentor_id"].to_numpy(), arr_m)
    mentors = pd.DataFrame({"mentor_id": mid})
    mentees = pd.DataFrame({"mentee_id": eid})
    frames = (mentors, mentees, scores)
    before = [f.copy(deep=True) for f in frames]

    p = bd.Problem(mentors, mentees).prefer(bd.PairScore(scores))
    result = solved(p, backend=backend)
    assert len(result.pairs) == n
    for frame, copy in zip(frames, before, strict=True):
        assert_frame_equal(frame, copy)

    # the caller's arrays are still theirs to write
    assert arr_m.flags.writeable and arr_e.flags.writeable
    arr_m[0], arr_e[0] = arr_m[1], arr_e[1]
    arr_m[0], arr_e[0] = pm[0], pe[0]
    # and the DataFrames' id columns too
    for frame, col in ((scores, "mentor_id"), (scores, "mentee_id"), (mentors, "mentor_id"),
                       (mentees, "mentee_id")):
        old = frame[col].iloc[0]
        frame.loc[0, col] = old + 1
        assert frame[col].iloc[0] == old + 1
        frame.loc[0, col] = old
    for frame, copy in zip(frames, before, strict=True):
        assert_frame_equal(frame, copy)
    # the problem still solves the same after those writes
    again = solved(p, backend=backend)
    assert pair_set(again) == pair_set(result) and again.objective == result.objective


def test_compiled_graph_does_not_alias_callers_pair_table():
    """``Compiled`` is frozen: later writes to the caller's pair table must not reach it."""
    mentors = pd.DataFrame({"mentor_id": np.arange(3)})
    mentees = pd.DataFrame({"mentee_id": np.arange(3)})
    # ids 0, 1, 2 in row order (identity lookup), listed mentee-major and incomplete
    scores = pd.DataFrame({"mentor_id": [0, 2, 1], "mentee_id": [0, 1, 2], "score": [1, 2, 3]})
    compiled = bd.Problem(mentors, mentees).prefer(bd.PairScore(scores)).compile()
    edges = (compiled.edge_mentor.copy(), compiled.edge_mentee.copy())
    scores.loc[0, "mentor_id"] = 1
    scores.loc[2, "mentee_id"] = 0
    np.testing.assert_array_equal(compiled.edge_mentor, edges[0])
    np.testing.assert_array_equal(compiled.edge_mentee, edges[1])


def _bad_value(layout: str, ids: np.ndarray, where: str) -> int | None:
    lo, hi = int(ids.min()), int(ids.max())
    if where == "below":
        return lo - 1
    if where == "above":
        return hi + 1
    if layout == "hash":
        return lo + 10**9 // 2
    absent = sorted(set(range(lo, hi)) - set(ids.tolist()))
    return absent[0] if absent else None


UNKNOWN_CASES = [
    (layout, where)
    for layout in ("identity0", "identity1", "lut", "lut_gaps", "hash")
    for where in ("below", "above", "inside")
    if not (where == "inside" and layout in ("identity0", "identity1", "lut"))
]


@pytest.mark.parametrize("side", ["mentor", "mentee"])
@pytest.mark.parametrize("table_kind", ["pair_scores", "forbidden", "fixed"])
@pytest.mark.parametrize(("layout", "where"), UNKNOWN_CASES)
def test_unknown_integer_ids_refused_at_first_bad_row(layout, where, table_kind, side):
    rng = np.random.default_rng(3)
    n = 6
    mid, eid = int_ids(layout, n, rng), int_ids(layout, n, rng)
    mentors, mentees = pd.DataFrame({"mentor_id": mid}), pd.DataFrame({"mentee_id": eid})
    col = f"{side}_id"
    ids = mid if side == "mentor" else eid
    bad = _bad_value(layout, ids, where)
    assert bad is not None and bad not in set(ids.tolist())
    other = {"below": int(ids.max()) + 5, "above": int(ids.min()) - 5,
             "inside": int(ids.max()) + 5}[where]
    table = pd.DataFrame({"mentor_id": mid[[0, 1, 2, 3, 4]], "mentee_id": eid[[1, 2, 3, 4, 5]],
                          "score": [1, 2, 3, 4, 5]})
    table.loc[2, col] = bad  # first bad row
    table.loc[4, col] = other  # a later bad row of another kind
    assert table[col].dtype == np.int64
    p = bd.Problem(mentors, mentees)
    if table_kind == "pair_scores":
        p.prefer(bd.PairScore(table))
    elif table_kind == "forbidden":
        p.forbid(table)
    else:
        p.fix(table.iloc[[0, 2, 4]].reset_index(drop=True))
    row = 1 if table_kind == "fixed" else 2
    err = refused(p.compile, table=table_kind, row=row, column=col)
    assert repr(str(bad)) in str(err)


@pytest.mark.parametrize("layout", ["identity0", "lut", "hash"])
def test_unknown_integer_id_in_renamed_column(layout):
    rng = np.random.default_rng(8)
    mid, eid = int_ids(layout, 4, rng), int_ids(layout, 4, rng)
    table = pd.DataFrame({"导师": mid[[0, 1, 2]], "对象": eid[[0, 1, 2]]})
    table.loc[1, "对象"] = int(eid.max()) + 1
    p = bd.Problem(pd.DataFrame({"mentor_id": mid}), pd.DataFrame({"mentee_id": eid}))
    p.forbid(table, mentor="导师", mentee="对象")
    refused(p.compile, table="forbidden", row=1, column="对象")


def test_empty_integer_pair_table():
    mid = np.arange(3)
    p = bd.Problem(pd.DataFrame({"mentor_id": mid}), pd.DataFrame({"mentee_id": mid}))
    p.forbid(pd.DataFrame({"mentor_id": np.empty(0, np.int64), "mentee_id": np.empty(0, np.int64)}))
    r = solved(p)
    assert len(r.pairs) == 3


def _text_twin(mentors, mentees, scores):
    return (as_text(mentors, "mentor_id"), as_text(mentees, "mentee_id"),
            as_text(scores, "mentor_id", "mentee_id"))


def _uint_case(mentor_dtype: str, pair_dtype: str, base: int):
    rng = np.random.default_rng(21)
    n = 5
    mid = (np.uint64(base) + rng.permutation(n).astype(np.uint64) * np.uint64(3))
    eid = (np.uint64(base) + rng.permutation(n).astype(np.uint64) * np.uint64(5))
    mentors = pd.DataFrame({"mentor_id": mid.astype(mentor_dtype)})
    mentees = pd.DataFrame({"mentee_id": eid.astype(mentor_dtype)})
    pairs = [(i, j) for i in range(n) for j in range(n) if (i + 2 * j) % 3]
    pairs = [pairs[k] for k in rng.permutation(len(pairs))]
    scores = pd.DataFrame({"mentor_id": mid[[i for i, _ in pairs]].astype(pair_dtype),
                           "mentee_id": eid[[j for _, j in pairs]].astype(pair_dtype),
                           "score": rng.integers(1, 100, len(pairs))})
    return mentors, mentees, scores


@pytest.mark.parametrize(("mentor_dtype", "pair_dtype", "base"), [
    ("uint64", "uint64", 2**63 + 10),  # beyond int64: the text path
    ("uint64", "uint64", 10),
    ("int64", "uint64", 10),  # uint64 pair table looked up in int64 ids
    ("uint64", "int64", 10),
    ("int64", "int32", 10),
])
def test_unsigned_and_mixed_integer_id_columns(mentor_dtype, pair_dtype, base):
    mentors, mentees, scores = _uint_case(mentor_dtype, pair_dtype, base)
    p = bd.Problem(mentors, mentees).prefer(bd.PairScore(scores))
    assert lookup_kind(p.mentor_table) == ("text" if mentor_dtype == "uint64" else "lut")
    text_m, text_e, text_scores = _text_twin(mentors, mentees, scores)
    twin = bd.Problem(text_m, text_e).prefer(bd.PairScore(text_scores))
    assert_same_compiled(p.compile(), twin.compile())
    r, r_txt = solved(p), solved(twin)
    assert pair_set(r) == pair_set(r_txt) and r.objective == r_txt.objective
    assert set(r.pairs["mentor_id"]) <= set(text_m["mentor_id"])


def test_uint64_pair_id_beyond_int64_refused():
    mentors, mentees, scores = _uint_case("int64", "uint64", 10)
    scores.loc[1, "mentor_id"] = np.uint64(2**63 + 5)
    scores.loc[3, "mentor_id"] = np.uint64(2**64 - 1)
    assert scores["mentor_id"].dtype == np.uint64
    p = bd.Problem(mentors, mentees).prefer(bd.PairScore(scores))
    err = refused(p.compile, table="pair_scores", row=1, column="mentor_id")
    assert str(2**63 + 5) in str(err)


def test_integer_pair_table_against_text_mentor_ids():
    mentors, mentees, scores, forbidden, fixed = int_case("identity0", "lut", 4)
    # mentors' ids are text that reads like the integers: the pair table's ints go the text way
    text_mentors = as_text(mentors, "mentor_id")
    p = build(text_mentors, mentees, scores, forbidden, fixed)
    assert lookup_kind(p.mentor_table) == "text"
    assert lookup_kind(p.mentee_table) == "lut"
    twin = build(text_mentors, as_text(mentees, "mentee_id"),
                 as_text(scores, "mentor_id", "mentee_id"),
                 as_text(forbidden, "mentor_id", "mentee_id"), as_text(fixed, "mentor_id", "mentee_id"))
    assert_same_compiled(p.compile(), twin.compile())
    r, r_txt = solved(p), solved(twin)
    assert pair_set(r) == pair_set(r_txt) and r.objective == r_txt.objective

    # text ids that are not numbers: every integer is unknown, the first row is named
    named = mentors.assign(mentor_id=[f"M{i}" for i in range(len(mentors))])
    bad = build(named, mentees, scores, None, None)
    refused(bad.compile, table="pair_scores", row=0, column="mentor_id")


# =========================================================================== 2. complete grid
def matrix(kind: str, n_m: int, n_e: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    if kind == "int":
        return rng.integers(-40, 100, size=(n_m, n_e)).astype(np.int64)
    return np.round(rng.normal(0, 10, size=(n_m, n_e)), 3)


def table_from(values: np.ndarray, order: str, seed: int = 0, *, mentor_ids=None,
               mentee_ids=None, column: str = "v") -> pd.DataFrame:
    n_m, n_e = values.shape
    mentor_ids = np.array([f"M{i}" for i in range(n_m)]) if mentor_ids is None else mentor_ids
    mentee_ids = np.array([f"E{j}" for j in range(n_e)]) if mentee_ids is None else mentee_ids
    if order == "mentor_major":
        i, j = np.repeat(np.arange(n_m), n_e), np.tile(np.arange(n_e), n_m)
    else:
        i, j = np.tile(np.arange(n_m), n_e), np.repeat(np.arange(n_e), n_m)
    if order == "random":
        perm = np.random.default_rng(seed).permutation(i.size)
        i, j = i[perm], j[perm]
    return pd.DataFrame({"mentor_id": mentor_ids[i], "mentee_id": mentee_ids[j],
                         column: values[i, j]})


def people(n_m: int, n_e: int, ids: str = "str"):
    if ids == "int":
        return (pd.DataFrame({"mentor_id": np.arange(n_m)}),
                pd.DataFrame({"mentee_id": np.arange(n_e)}))
    return (pd.DataFrame({"mentor_id": [f"M{i}" for i in range(n_m)]}),
            pd.DataFrame({"mentee_id": [f"E{j}" for j in range(n_e)]}))


def lsa(values: np.ndarray, sense: str) -> float:
    rows, cols = linear_sum_assignment(values, maximize=sense == "max")
    return float(values[rows, cols].sum())


@pytest.mark.parametrize("ids", ["str", "int"])
@pytest.mark.parametrize("sense", ["min", "max"])
@pytest.mark.parametrize("kind", ["int", "float"])
@pytest.mark.parametrize("order", ["mentor_major", "mentee_major", "random"])
@pytest.mark.parametrize("shape", [(5, 5), (7, 4)])
def test_complete_table_matches_linear_sum_assignment(shape, order, kind, sense, ids):
    n_m, n_e = shape
    values = matrix(kind, n_m, n_e, seed=n_m * 10 + n_e)
    id_m = np.arange(n_m) if ids == "int" else None
    id_e = np.arange(n_e) if ids == "int" else None
    table = table_from(values, order, seed=1, mentor_ids=id_m, mentee_ids=id_e)
    assert table["v"].dtype.kind == ("i" if kind == "int" else "f")
    before = table.copy(deep=True)
    mentors, mentees = people(n_m, n_e, ids)
    p = bd.Problem(mentors, mentees, pairing=bd.OneToOne(unmatched="forbid"))
    p.prefer(bd.PairScore(table, column="v", sense=sense))

    c = p.compile()
    assert c.n_edges == n_m * n_e
    keys = c.edge_mentee * n_m + c.edge_mentor
    np.testing.assert_array_equal(keys, np.arange(n_m * n_e))
    np.testing.assert_array_equal(c.edge_info["v"].to_numpy(), values[c.edge_mentor, c.edge_mentee])
    if kind == "int":
        assert c.scale == 1.0
        sign = -1 if sense == "min" else 1
        np.testing.assert_array_equal(c.edge_value, sign * values[c.edge_mentor, c.edge_mentee])

    r = solved(p)
    assert len(r.pairs) == n_e
    assert r.objective == pytest.approx(lsa(values, sense), abs=1e-6)
    assert_frame_equal(table, before)


@pytest.mark.parametrize("ids", ["str", "int"])
@pytest.mark.parametrize("kind", ["int", "float"])
@pytest.mark.parametrize(("first", "second"), [(0, 19), (3, 4), (18, 19), (7, 12), (0, 1)])
@pytest.mark.parametrize("order", ["mentor_major", "mentee_major", "random"])
def test_complete_size_table_with_a_pair_listed_twice(order, first, second, kind, ids):
    n_m, n_e = 5, 4
    values = matrix(kind, n_m, n_e, seed=2)
    table = table_from(values, order, seed=3,
                       mentor_ids=np.arange(n_m) if ids == "int" else None,
                       mentee_ids=np.arange(n_e) if ids == "int" else None)
    assert len(table) == n_m * n_e == 20
    table.loc[second, ["mentor_id", "mentee_id"]] = table.loc[first, ["mentor_id", "mentee_id"]]
    mentors, mentees = people(n_m, n_e, ids)
    p = bd.Problem(mentors, mentees).prefer(bd.PairScore(table, column="v"))
    err = refused(p.compile, table="pair_scores", row=second, column="mentor_id")
    assert "pair listed twice" in str(err)


@pytest.mark.parametrize("n_rows", [8, 60], ids=["sparse_sort", "dense_scatter"])
def test_incomplete_table_with_a_pair_listed_twice(n_rows):
    n_m = n_e = 10
    values = matrix("float", n_m, n_e, seed=4)
    table = table_from(values, "random", seed=5).iloc[:n_rows].reset_index(drop=True)
    table.loc[n_rows - 2, ["mentor_id", "mentee_id"]] = table.loc[1, ["mentor_id", "mentee_id"]]
    mentors, mentees = people(n_m, n_e)
    p = bd.Problem(mentors, mentees).prefer(bd.PairScore(table, column="v"))
    err = refused(p.compile, table="pair_scores", row=n_rows - 2, column="mentor_id")
    assert "pair listed twice" in str(err)


def test_pair_row_is_position_not_index_label():
    values = matrix("int", 3, 3, seed=6)
    table = table_from(values, "random", seed=7)
    table.loc[8, ["mentor_id", "mentee_id"]] = table.loc[2, ["mentor_id", "mentee_id"]]
    table.index = np.arange(100, 109)[::-1]
    p = bd.Problem(*people(3, 3)).prefer(bd.PairScore(table, column="v"))
    refused(p.compile, table="pair_scores", row=8)


@pytest.mark.parametrize("kind", ["int", "float"])
@pytest.mark.parametrize("n_rows", [100, 60, 8], ids=["complete", "dense", "sparse"])
def test_presorted_and_shuffled_tables_agree(n_rows, kind):
    n_m = n_e = 10
    values = matrix(kind, n_m, n_e, seed=9)
    rng = np.random.default_rng(10)
    full = table_from(values, "mentee_major")  # already sorted by (mentee, mentor)
    keep = np.sort(rng.choice(n_m * n_e, size=n_rows, replace=False))
    presorted = full.iloc[keep].reset_index(drop=True)
    shuffled = presorted.iloc[rng.permutation(n_rows)].reset_index(drop=True)
    mentor_major = presorted.sort_values(["mentor_id", "mentee_id"]).reset_index(drop=True)
    results = []
    compiled = []
    for table in (presorted, shuffled, mentor_major):
        p = bd.Problem(*people(n_m, n_e), pairing=bd.OneToMany(2))
        p.prefer(bd.PairScore(table, column="v", sense="min"))
        compiled.append(p.compile())
        results.append(solved(p))
    for c in compiled[1:]:
        assert_same_compiled(compiled[0], c)
    assert compiled[0].n_edges == n_rows
    for r in results[1:]:
        assert pair_set(r) == pair_set(results[0]) and r.objective == results[0].objective
        assert_frame_equal(r.unmatched, results[0].unmatched)


@pytest.mark.parametrize("backend", ["auto", "cpsat"])
def test_complete_table_with_costs_spread_over_a_million(backend):
    """A complete 1:1 table goes to a dense assignment; costs above 1e6 apart must stay exact."""
    cost = np.array([[506_924, 687_743], [1_237_851, 1_403_843]], dtype=np.int64)  # mentor x mentee
    table = table_from(cost, "mentor_major", column="cost")
    p = bd.Problem(*people(2, 2), pairing=bd.OneToOne(unmatched="forbid"))
    p.prefer(bd.PairScore(table, column="cost", sense="min"))
    r = solved(p, backend=backend)
    assert r.objective == lsa(cost, "min") == 506_924 + 1_403_843
    assert pair_set(r) == [("M0", "E0"), ("M1", "E1")]

    values = matrix("int", 6, 6, seed=22) * 100_000  # spread ~1.4e7
    table = table_from(values, "random", seed=23)
    p = bd.Problem(*people(6, 6), pairing=bd.OneToOne(unmatched="forbid"))
    p.prefer(bd.PairScore(table, column="v", sense="max"))
    r = solved(p, backend=backend)
    assert r.objective == lsa(values, "max")


def _coverage_first_reference(n_m: int, n_e: int, listed: dict, sense: str) -> tuple[float, int]:
    """Most pairs first, then the best total, for one-to-one: LSA on BIG + score."""
    score = {k: (v if sense == "max" else -v) for k, v in listed.items()}
    big = 2 * sum(abs(v) for v in score.values()) + 1
    weights = np.zeros((n_m, n_e))
    for (i, j), v in score.items():
        weights[i, j] = big + v
    rows, cols = linear_sum_assignment(weights, maximize=True)
    used = [(i, j) for i, j in zip(rows, cols, strict=True) if (i, j) in listed]
    total = float(sum(listed[k] for k in used))
    return total, len(used)


@SETTINGS
@given(
    n_m=st.integers(1, 5),
    n_e=st.integers(1, 5),
    data=st.data(),
    integral=st.booleans(),
    sense=st.sampled_from(["min", "max"]),
    int_ids_=st.booleans(),
)
def test_property_random_pair_tables(n_m, n_e, data, integral, sense, int_ids_):
    cells = [(i, j) for i in range(n_m) for j in range(n_e)]
    complete = data.draw(st.booleans(), label="complete")
    if complete:
        chosen = cells
    else:
        chosen = data.draw(st.lists(st.sampled_from(cells), unique=True, max_size=len(cells)),
                           label="cells")
    order = data.draw(st.permutations(range(len(chosen))), label="order")
    chosen = [chosen[k] for k in order]
    raw = data.draw(st.lists(st.integers(-300, 300), min_size=len(chosen), max_size=len(chosen)),
                    label="values")
    values = (np.array(raw, dtype=np.int64) if integral
              else np.array(raw, dtype=float) / 100.0 + 0.005)
    listed = {cell: v for cell, v in zip(chosen, values.tolist(), strict=True)}

    if int_ids_:
        mid, eid = np.arange(10, 10 + n_m)[::-1].copy(), np.arange(n_e) * 10**9
    else:
        mid = np.array([f"M{i}" for i in range(n_m)])
        eid = np.array([f"E{j}" for j in range(n_e)])
    table = pd.DataFrame({
        "mentor_id": mid[[i for i, _ in chosen]] if chosen else mid[:0],
        "mentee_id": eid[[j for _, j in chosen]] if chosen else eid[:0],
        "v": values,
    })
    mentors, mentees = pd.DataFrame({"mentor_id": mid}), pd.DataFrame({"mentee_id": eid})

    # one-to-one, unmatched allowed: coverage first, then the score
    p = bd.Problem(mentors, mentees).prefer(bd.PairScore(table, column="v", sense=sense))
    r = solved(p)
    ref_total, ref_pairs = _coverage_first_reference(n_m, n_e, listed, sense)
    assert len(r.pairs) == ref_pairs
    assert r.objective == pytest.approx(ref_total, abs=1e-6)

    # complete with n_m >= n_e: every mentee matched, SciPy's assignment
    if complete and n_m >= n_e:
        dense = np.zeros((n_m, n_e))
        for (i, j), v in listed.items():
            dense[i, j] = v
        pf = bd.Problem(mentors, mentees, pairing=bd.OneToOne(unmatched="forbid"))
        pf.prefer(bd.PairScore(table, column="v", sense=sense))
        rf = solved(pf)
        assert rf.objective == pytest.approx(lsa(dense, sense), abs=1e-6)

    # one-to-many (capacity 2), integer scores: an independent min-cost flow
    if integral and chosen:
        pm = bd.Problem(mentors, mentees, pairing=bd.OneToMany(2))
        pm.prefer(bd.PairScore(table, column="v", sense=sense))
        rm = solved(pm)
        sign = 1 if sense == "max" else -1
        ref = mincostflow_reference(
            np.array([i for i, _ in chosen]), np.array([j for _, j in chosen]),
            sign * values, np.full(n_m, 2), np.ones(n_e, np.int64))
        assert ref is not None
        assert len(rm.pairs) == ref[1]
        assert rm.objective == pytest.approx(sign * ref[0])
        if len(chosen) > 1:
            rc = solved(pm, backend="cpsat")
            assert rc.objective == pytest.approx(rm.objective) and len(rc.pairs) == len(rm.pairs)


# =========================================================================== 3. exact integers
@pytest.mark.parametrize("sense", ["max", "min"])
@pytest.mark.parametrize("weight", [1, 2, 3.0])
def test_integer_scores_and_weights_stay_exact(weight, sense):
    n_m, n_e = 4, 3
    rng = np.random.default_rng(12)
    # up to 3e8: times weight 3 still within the 1e9 the compiler keeps unscaled
    values = rng.integers(10**7, 3 * 10**8, size=(n_m, n_e)).astype(np.int64)
    values[0, 0] = 299_999_977
    table = table_from(values, "random", seed=13, column="s")
    p = bd.Problem(*people(n_m, n_e), pairing=bd.OneToOne(unmatched="forbid"))
    p.prefer(bd.PairScore(table, column="s", sense=sense, weight=weight))
    c = bd.compile_problem(p)
    assert c.scale == 1.0
    assert c.edge_value.dtype == np.int64
    sign = -1 if sense == "min" else 1
    expected = sign * int(weight) * values[c.edge_mentor, c.edge_mentee]
    np.testing.assert_array_equal(c.edge_value, expected)
    assert [int(x) for x in c.edge_value] == [int(x) for x in expected]
    r = solved(p)
    assert r.objective == pytest.approx(weight * lsa(values, sense), rel=1e-12)


@pytest.mark.parametrize("sense", ["max", "min"])
def test_float_weight_on_integer_scores(sense):
    values = matrix("int", 5, 5, seed=14)
    table = table_from(values, "random", seed=15)
    p = bd.Problem(*people(5, 5), pairing=bd.OneToOne(unmatched="forbid"))
    p.prefer(bd.PairScore(table, column="v", sense=sense, weight=0.5))
    r = solved(p)
    assert r.objective == pytest.approx(0.5 * lsa(values, sense), abs=1e-9)
    c = p.compile()
    assert c.edge_value.dtype == np.int64
    rows, cols = linear_sum_assignment(values, maximize=sense == "max")
    assert r.objective == pytest.approx(0.5 * float(values[rows, cols].sum()))


@pytest.mark.parametrize("spread", [10**6, 10**3, 0])
def test_huge_integer_costs_do_not_overflow(spread):
    n = 5
    rng = np.random.default_rng(16)
    values = 10**12 + rng.integers(0, spread + 1, size=(n, n)).astype(np.int64)
    table = table_from(values, "random", seed=17, column="cost")
    p = bd.Problem(*people(n, n), pairing=bd.OneToOne(unmatched="forbid"))
    p.prefer(bd.PairScore(table, column="cost", sense="min"))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        c = p.compile()
        r = solved(p)
    scaling = [w for w in caught if issubclass(w.category, bd.ScalingWarning)]
    assert not [w for w in caught if issubclass(w.category, RuntimeWarning)]  # no int overflow
    assert r.status is bd.Status.OPTIMAL and len(r.pairs) == n
    best = lsa(values, "min")
    assert r.objective >= best - 1e-3
    # rounding 10**12 + small to ~6 digits erases the differences: that must be said
    assert bool(scaling) == (spread > 0)
    if not scaling:
        # the library rounds scaled costs silently: the answer is within its rounding error
        assert r.objective - best <= rounding_tolerance(c)
    assert np.isfinite(c.edge_value.astype(float)).all()
    assert int(np.abs(c.edge_value).max()) < 2**60


def _brute_force_assignment(total: np.ndarray) -> float:
    n_m, n_e = total.shape
    best = -np.inf
    for perm in itertools.permutations(range(n_m), n_e):
        best = max(best, float(sum(total[perm[j], j] for j in range(n_e))))
    return best


@pytest.mark.parametrize("int_first", [True, False])
@pytest.mark.parametrize("int_weight", [1, 2])
def test_integer_and_float_scores_combined(int_first, int_weight):
    n_m, n_e = 5, 4
    rng = np.random.default_rng(18)
    cost = rng.integers(0, 50, size=(n_m, n_e)).astype(np.int64)
    bonus = np.round(rng.random((n_m, n_e)) * 20, 2)
    extra = rng.integers(-5, 6, size=(n_m, n_e)).astype(np.int64)
    terms = [bd.PairScore(table_from(cost, "random", seed=19, column="cost"), column="cost",
                          sense="min", weight=int_weight)]
    floats = [bd.PairScore(table_from(bonus, "mentor_major", column="bonus"), column="bonus",
                           weight=1.5)]
    ints2 = [bd.PairScore(table_from(extra, "mentee_major", column="extra"), column="extra",
                          weight=3)]
    ordered = terms + ints2 + floats if int_first else floats + terms + ints2
    p = bd.Problem(*people(n_m, n_e), pairing=bd.OneToOne(unmatched="forbid")).prefer(*ordered)
    total = -int_weight * cost + 1.5 * bonus + 3 * extra
    best = _brute_force_assignment(total)
    r = solved(p)
    assert r.objective == pytest.approx(best, abs=1e-6)
    picked = {(int(a[1:]), int(b[1:])) for a, b in pair_set(r)}
    assert sum(total[i, j] for i, j in picked) == pytest.approx(best, abs=1e-6)
    c = p.compile()
    np.testing.assert_allclose(c.edge_info["score"].to_numpy(),
                               total[c.edge_mentor, c.edge_mentee], atol=1e-9)


def test_two_integer_terms_stay_integer():
    n_m, n_e = 4, 4
    rng = np.random.default_rng(20)
    a = rng.integers(0, 10**6, size=(n_m, n_e)).astype(np.int64)
    b = rng.integers(0, 10**6, size=(n_m, n_e)).astype(np.int64)
    p = bd.Problem(*people(n_m, n_e), pairing=bd.OneToOne(unmatched="forbid")).prefer(
        bd.PairScore(table_from(a, "random", seed=1, column="a"), column="a", weight=2),
        bd.PairScore(table_from(b, "random", seed=2, column="b"), column="b", sense="min",
                     weight=7),
    )
    c = p.compile()
    total = 2 * a - 7 * b
    assert c.scale == 1.0
    assert c.edge_info["score"].dtype.kind == "i"
    np.testing.assert_array_equal(c.edge_value, total[c.edge_mentor, c.edge_mentee])
    r = solved(p)
    assert r.objective == _brute_force_assignment(total.astype(float))


# =========================================================================== 4. unmatched frame
TEXT_COLUMNS = ("mentee_id", "reason", "funnel", "full_mentors")


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("with_names", [False, True])
def test_unmatched_frame_has_one_shape(with_names, lang):
    mentors = pd.DataFrame({"mentor_id": ["M1", "M2"], "county": ["A", "A"]})
    few = pd.DataFrame({"mentee_id": ["E1", "E2"], "county": ["A", "A"]})
    many = pd.DataFrame({"mentee_id": ["E1", "E2", "E3", "E4"], "county": ["A", "A", "A", "B"]})
    if with_names:
        few["name"] = ["甲", "乙"]
        many["name"] = ["甲", "乙", "丙", "丁"]
    frames = []
    for mentees in (few, many):
        p = bd.Problem(mentors, mentees).require(bd.SameRegion("county"))
        frames.append(solved(p, lang=lang).unmatched)
    empty, full = frames
    assert len(empty) == 0 and len(full) == 2
    assert list(empty.columns) == list(full.columns)
    expected = ["mentee_id", "needed", "got", "candidates", "reason", "funnel", "full_mentors"]
    if with_names:
        expected.insert(1, "name")
    assert list(full.columns) == expected
    text_columns = TEXT_COLUMNS + (("name",) if with_names else ())
    differ = {col: (str(empty[col].dtype), str(full[col].dtype)) for col in text_columns
              if empty[col].dtype != full[col].dtype}
    assert not differ, differ
    # text columns hold text: object, or pandas' own string dtype (the default from pandas 3)
    for col in text_columns:
        dtype = full[col].dtype
        assert pd.api.types.is_object_dtype(dtype) or isinstance(dtype, pd.StringDtype), (col, dtype)
        assert all(isinstance(v, str) for v in full[col].tolist()), col
    for col in ("needed", "got", "candidates"):
        assert empty[col].dtype.kind == full[col].dtype.kind == "i"
    assert_frame_equal(empty, full.iloc[:0].reset_index(drop=True), check_index_type=False)
