"""``solve``: compile, pick the backend, decode the answer into a :class:`Result`.

Example
-------
>>> import pandas as pd, banghdai as bd
>>> p = bd.Problem(pd.DataFrame({"mentor_id": ["M"]}), pd.DataFrame({"mentee_id": ["E"]}))
>>> bd.solve(p, seed=0).status.name
'OPTIMAL'
"""

from __future__ import annotations

import platform
import time
from collections.abc import Mapping
from concurrent.futures import Executor
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..compile.graph import compile_problem
from ..compile.split import components, coupling
from ..core import clock, interrupt
from ..core.errors import InputError, Msg
from ..core.messages import check_lang, register, text
from ..core.progress import progress_default
from ..core.status import Status, as_bool, gap_of
from ..core.version import version
from ..result import Idle, Reasons, Result, label_levels, stopped_unmatched
from .base import RawSolution, trivially_infeasible
from .parallel import solve_split
from .registry import AUTO_ORDER, BACKENDS, SolveParams, get_backend

if TYPE_CHECKING:
    from ..compile.graph import Compiled
    from ..model.problem import Problem

register("solve.out_of_time_compile",
         en="not paired: the time limit was reached while compiling the problem",
         zh="未结对：编译问题时已到时间限制")
register("solve.interrupted_compile",
         en="not paired: interrupted (Ctrl-C) before the solve started",
         zh="未结对：求解开始前已中断（Ctrl-C）")
register("solve.out_of_time_before",
         en="the time limit was reached before the solver started; no pairing found",
         zh="求解器开始前已到时间限制，未找到结对")


def choose_backend(compiled: Compiled, name: str) -> str:
    """The backend to run: ``name`` itself, or for ``"auto"`` the fastest that supports it."""
    if name == "auto":
        for candidate in AUTO_ORDER:
            if BACKENDS[candidate].supports(compiled):
                return candidate
        raise InputError("no backend supports this problem", column="backend")  # pragma: no cover
    backend = get_backend(name)
    if not backend.supports(compiled):
        raise InputError(
            Msg("solve.backend_cannot", name=name), column="backend",
            choices=[n for n, b in BACKENDS.items() if b.supports(compiled)],
        )
    return name


def solve(
    problem: Problem,
    *,
    backend: str = "auto",
    time_limit: float | None = 60.0,
    seed: int = 0,
    workers: int | None = None,
    log: bool = False,
    params: Mapping[str, Any] | None = None,
    scale: float | None = None,
    split: bool | str = "auto",
    executor: Executor | None = None,
    lang: str = "en",
    progress: bool | None = None,
) -> Result:
    """Solve ``problem`` and return a :class:`Result`.

    Parameters
    ----------
    backend
        ``"auto"`` (the fastest exact backend that supports the rules) or a
        name from :func:`banghdai.solvers.available_backends`.
    time_limit
        Seconds for the whole call (compiling, building, searching); on timeout the
        status is FEASIBLE (with a gap per level, see :meth:`Result.outcome`) or UNKNOWN
        (no pairing yet: also when compiling alone took the time).
    seed, workers, log
        Solver seed, threads (default 2) and search log on stdout. Keep at
        least 2 for CP-SAT: with 1 it runs a single search strategy instead
        of its portfolio, and lexicographic levels can take 10-40x longer.
    params
        Extra backend parameters by name (CP-SAT ``SatParameters`` fields);
        unknown names raise.
    scale
        Float-to-integer score multiplier (see :func:`banghdai.compile_problem`).
    split
        Solve independent components of the candidate graph apart (regions
        that share no candidate pair): ``"auto"`` splits for CP-SAT or when an
        executor is given unless a rule ties the components together (a quota
        spanning them, MaxMin, BalanceLoad), ``True`` always (an error if a
        rule ties them), ``False`` never. Group rules local to a mentee or
        mentor, and sum levels, are solved per component.
    executor
        Any ``concurrent.futures.Executor`` (a process pool, or a Dask
        cluster's ``client.get_executor()``) to solve the components on.
    lang
        Language of ``result.unmatched`` reasons: ``"en"`` or ``"zh"``.
    progress
        A progress bar over components and levels (tqdm; a widget in Jupyter) and one
        INFO log line per finished step on the ``banghdai`` logger. Default: shown in a
        notebook or when stderr is a terminal.

    Ctrl-C (SIGINT) at any moment returns instead of raising: the best pairing found so
    far (status FEASIBLE, or OPTIMAL for what was proven) with ``info["interrupted"]``
    True, or — before any pairing exists — status UNKNOWN with no pairs.

    Example
    -------
    >>> import pandas as pd, banghdai as bd
    >>> p = bd.Problem(pd.DataFrame({"mentor_id": ["M"]}), pd.DataFrame({"mentee_id": ["E"]}))
    >>> bd.solve(p, backend="cpsat", time_limit=5).backend
    'cpsat'
    """
    if time_limit is not None and not time_limit > 0:
        raise InputError(Msg("solve.time_limit", value=time_limit), column="time_limit")
    if workers is not None and (not isinstance(workers, int) or workers < 1):
        raise InputError(Msg("solve.workers", value=workers), column="workers")
    check_lang(lang)
    start = time.perf_counter()
    deadline = clock.deadline_in(time_limit)
    if split not in ("auto", True, False):
        raise InputError(Msg("input.unknown_choice", what="split", value=split), column="split",
                         choices=["auto", "True", "False"])
    options = {"seed": seed, "time_limit": time_limit, "workers": workers,
               "params": dict(params or {}), "lang": lang}
    # Ctrl-C: noted always; raised (nothing to keep yet) until a backend hands back a pairing
    with interrupt.watching(raising=True) as watch:
        try:
            with clock.within(deadline):
                # the solver sees the rows in id order: ties are broken by ids, not row order
                compiled = compile_problem(problem.in_id_order(), scale=scale)
                clock.checkpoint("compile")
        except clock.OutOfTime:
            return _no_pairing(problem, "compile", False, start, options)
        except KeyboardInterrupt:
            return _no_pairing(problem, "compile", True, start, options)
        compile_seconds = time.perf_counter() - start
        name = choose_backend(compiled, backend)
        sp = SolveParams(time_limit=time_limit, seed=seed, workers=workers, log=log,
                         extra=dict(params or {}), deadline=deadline,
                         progress=progress_default() if progress is None else bool(progress))
        do_split = False
        try:
            do_split = split is True or (split == "auto" and (name == "cpsat"
                                                              or executor is not None))
            parts = components(compiled) if do_split else []
            coupled = coupling(compiled, parts) if do_split else []
            if coupled and split is True:
                raise InputError(Msg("solve.cannot_split", rule=coupled[0]), column="split")
            if coupled:  # "auto": solve it whole
                do_split, parts = False, []
            if clock.passed(deadline):
                raw = RawSolution(Status.UNKNOWN, None, None, None, 0.0,
                                  {"reason": text("solve.out_of_time_before", "en")})
            elif len(parts) > 1 and trivially_infeasible(compiled) is None:
                raw = solve_split(compiled, name, sp, parts, executor)
            else:
                raw = BACKENDS[name].solve(compiled, sp)
        except KeyboardInterrupt:  # before the backend had any pairing to hand back
            raw = RawSolution(Status.UNKNOWN, None, None, None, time.perf_counter() - start,
                              {"interrupted": True})
        # a pairing is in hand: from here Ctrl-C is only noted, and the result says so
        with interrupt.watching(raising=False):
            result = decode(compiled, raw, name)
            result.problem = problem
            final = as_bool(raw.chosen if raw.status.has_solution else None, compiled.n_edges)
            # small copies, not the whole graph: a result does not keep it alive, and pickles;
            # data, not words: banghdai.explain writes the reasons in any language
            slim, slim_chosen = compiled.for_reasons(final)
            result.reasons_from = Reasons(slim, slim_chosen)
            result.idle_from = Idle(problem, slim)
            result.seconds = time.perf_counter() - start
            result.info.update(
                {
                    "compile_seconds": compile_seconds,
                    "n_edges": compiled.n_edges,
                    "scale": compiled.scale,
                    "split": do_split,
                    "versions": _versions(),
                    **options,
                }
            )
        if watch.requested or raw.info.get("interrupted"):
            result.info["interrupted"] = True
        else:
            result.info.setdefault("interrupted", False)
    return result


def _no_pairing(problem: Problem, step: str, interrupted: bool, start: float,
                options: dict[str, Any]) -> Result:
    """The result of a solve stopped before the candidate graph was built: UNKNOWN, no pairs,
    every mentee unmatched with the reason (out of time, or Ctrl-C)."""
    ids = problem.mentee_table.ids
    code = "solve.interrupted_compile" if interrupted else "solve.out_of_time_compile"
    lang = options.get("lang", "en")
    result = Result(status=Status.UNKNOWN, pairs=pd.DataFrame(
        {"mentor_id": pd.Series([], dtype=object), "mentee_id": pd.Series([], dtype=object)}),
        unmatched=stopped_unmatched(ids, code, lang), objective=None, bound=None, gap=None,
        seconds=time.perf_counter() - start, backend="none", coverage=0.0,
        info={"reason": text(code, "en"), "stopped_in": step, "interrupted": interrupted,
              "versions": _versions(), **options})
    result.problem = problem
    result.reasons_from = Reasons(ids=ids, stopped=code)
    return result


def _versions() -> dict[str, str]:
    out = {"banghdai": version(), "python": platform.python_version(),
           "numpy": np.__version__, "pandas": pd.__version__}
    try:
        from importlib.metadata import version as installed

        out["ortools"] = installed("ortools")
    except Exception:  # pragma: no cover
        pass
    return out


def pairs_frame(compiled: Compiled, chosen: np.ndarray) -> pd.DataFrame:
    """The pairs table for a boolean edge selection, keyed by the caller's ids, listed in the
    caller's mentee (then mentor) row order."""
    idx = np.flatnonzero(chosen)
    mrows, erows = compiled.mentors.rows, compiled.mentees.rows
    if (mrows is not None or erows is not None) and idx.size > 1:  # the caller's row order
        m, e = compiled.edge_mentor[idx], compiled.edge_mentee[idx]
        idx = idx[np.lexsort((m if mrows is None else mrows[m], e if erows is None else erows[e]))]
    m, e = compiled.edge_mentor[idx], compiled.edge_mentee[idx]
    cols: dict[str, Any] = {
        "mentor_id": compiled.mentors.ids[m],
        "mentee_id": compiled.mentees.ids[e],
    }
    for side, table, pos in (("mentor", compiled.mentors, m), ("mentee", compiled.mentees, e)):
        if "name" in table.frame.columns:
            cols[f"{side}_name"] = table.frame["name"].to_numpy()[pos]
    for name in compiled.edge_info.columns:
        cols.setdefault(name, compiled.edge_info[name].to_numpy()[idx])
    cols["fixed"] = compiled.edge_fixed[idx]
    return pd.DataFrame(cols)


def unmatched_counts(compiled: Compiled, chosen: np.ndarray) -> pd.DataFrame:
    """Mentees with fewer mentors than needed, as numbers: ``mentee_id``, ``needed``, ``got``,
    ``candidates`` in the caller's row order. The words (``reason``, the funnel, the full
    mentors) are made by :func:`banghdai.explain.unmatched_reasons` from
    ``result.reasons_from``: ``bd.solve`` and ``problem.solve()`` add them.

    Example
    -------
    >>> import numpy as np, pandas as pd, banghdai as bd
    >>> from banghdai.solvers.run import unmatched_counts
    >>> p = bd.Problem(pd.DataFrame({"mentor_id": ["M"]}), pd.DataFrame({"mentee_id": ["E", "F"]}))
    >>> unmatched_counts(p.compile(), np.array([True, False])).values.tolist()
    [['F', 1, 0, 1]]
    """
    chosen = np.asarray(chosen, dtype=bool)
    ee = compiled.edge_mentee
    got = np.bincount(ee[chosen], minlength=compiled.n_mentees)
    missing = compiled.mentees.in_caller_order(np.flatnonzero(got < compiled.demand))
    cand = np.bincount(ee, minlength=compiled.n_mentees)
    return pd.DataFrame({"mentee_id": compiled.mentees.ids[missing],
                         "needed": compiled.demand[missing].astype(np.int64),
                         "got": got[missing].astype(np.int64),
                         "candidates": cand[missing].astype(np.int64)})


def decode(compiled: Compiled, raw: RawSolution, backend: str) -> Result:
    """Turn a backend's raw solution into a :class:`Result` in the caller's units."""
    chosen = as_bool(raw.chosen, compiled.n_edges)
    pairs = pairs_frame(compiled, chosen)
    unmatched = unmatched_counts(compiled, chosen if raw.status.has_solution
                                 else np.zeros(compiled.n_edges, dtype=bool))
    demand = int(compiled.demand.sum())
    filled = int(chosen.sum())
    coverage = filled / demand if demand else 1.0
    sign = -1.0 if compiled.sense == "min" else 1.0
    objective = bound = None
    levels = raw.info.get("levels")
    if levels:
        last = levels[-1]
        objective, bound = (last["value"], last["bound"]) if raw.status.has_solution else (None,
                                                                                           None)
    elif raw.status.has_solution:
        objective = sign * float(compiled.edge_info["score"].to_numpy()[chosen].sum())
        if raw.bound is not None:
            score_bound = (raw.bound - compiled.slot_penalty * filled) / compiled.scale
            bound = sign * score_bound
            if raw.status is Status.OPTIMAL:
                bound = objective
    level_frame = pd.DataFrame(label_levels(levels)) if levels else None
    if level_frame is not None:  # proven by node potentials (network engine) or not
        level_frame["certified"] = (level_frame["certified"].fillna(False).astype(bool)
                                    if "certified" in level_frame else False)
    return Result(
        levels=level_frame,
        status=raw.status,
        pairs=pairs,
        unmatched=unmatched,
        objective=objective,
        bound=bound,
        gap=gap_of(objective, bound),
        seconds=raw.seconds,
        backend=backend,
        coverage=coverage,
        sense=compiled.sense,
        info=dict(raw.info),
    )

