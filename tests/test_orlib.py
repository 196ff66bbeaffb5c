"""OR-Library linear assignment instances (Beasley) against their published optima.

The files live outside the repository, in ``../shared/benchmarks/orlib-assign``
(see its README.md: first token ``n``, then ``n * n`` costs row by row, wrapped
over lines; ``assignopt.txt`` lists the optimal values). The tests skip when
the directory is absent.
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import banghdai as bd

from oracle import assert_valid

ORLIB = Path(__file__).resolve().parents[2] / "shared" / "benchmarks" / "orlib-assign"

pytestmark = pytest.mark.skipif(not ORLIB.is_dir(), reason=f"OR-Library data not found at {ORLIB}")


def read_dense(path: Path) -> np.ndarray:
    """The n × n cost matrix of a dense ``assignN.txt`` file, parsed by tokens."""
    tokens = np.array(path.read_text().split(), dtype=np.int64)
    n = int(tokens[0])
    assert tokens.size == 1 + n * n, f"{path.name}: expected {1 + n * n} tokens, got {tokens.size}"
    return tokens[1:].reshape(n, n)


def published_optima() -> dict[str, float]:
    """``{instance: optimum}`` from assignopt.txt (header line and blank lines skipped)."""
    table = pd.read_csv(ORLIB / "assignopt.txt", sep=r"\s+", skiprows=1, header=None,
                        usecols=[0, 1], names=["name", "optimum"], engine="python")
    return dict(zip(table["name"], table["optimum"].astype(float), strict=True))


def assignment_problem(cost: np.ndarray) -> bd.Problem:
    """Row i → mentor i, column j → mentee j, cost c(i, j), every one paired exactly once."""
    n_m, n_e = cost.shape
    i, j = np.divmod(np.arange(n_m * n_e, dtype=np.int64), n_e)
    table = pd.DataFrame({"mentor_id": i, "mentee_id": j, "cost": cost.ravel()})
    mentors = pd.DataFrame({"mentor_id": np.arange(n_m)})
    mentees = pd.DataFrame({"mentee_id": np.arange(n_e)})
    problem = bd.Problem(mentors, mentees, pairing=bd.OneToOne(unmatched="forbid"))
    return problem.prefer(bd.PairScore(table, column="cost", sense="min"))


def test_published_optima_table_parses():
    optima = published_optima()
    assert optima["assign100"] == 305
    assert optima["assign200"] == 475
    assert optima["assignp5000"] == 48533


def _check_instance(name: str, backend: str) -> float:
    cost = read_dense(ORLIB / f"{name}.txt")
    n = cost.shape[0]
    problem = assignment_problem(cost)
    start = time.perf_counter()
    result = problem.solve(backend=backend, time_limit=120, seed=0)
    seconds = time.perf_counter() - start
    expected = published_optima()[name]
    assert result.status is bd.Status.OPTIMAL
    assert result.backend == backend
    assert result.objective == expected
    assert result.gap == 0.0
    assert len(result.pairs) == n
    # a permutation: every row and every column once, ids back as strings
    assert sorted(result.pairs["mentor_id"].astype(int)) == list(range(n))
    assert sorted(result.pairs["mentee_id"].astype(int)) == list(range(n))
    i = result.pairs["mentor_id"].astype(int).to_numpy()
    j = result.pairs["mentee_id"].astype(int).to_numpy()
    assert cost[i, j].sum() == expected
    validation = assert_valid(problem, result)
    assert validation.objective == expected
    print(f"{name} [{backend}]: n={n} optimum={expected:g} solve {seconds:.2f} s")
    return seconds


@pytest.mark.parametrize("backend", ["flow", "cpsat"])
def test_assign100_reaches_published_optimum(backend):
    _check_instance("assign100", backend)


@pytest.mark.parametrize("backend", ["flow", "cpsat"])
def test_assign200_reaches_published_optimum(backend):
    _check_instance("assign200", backend)
