"""CP-SAT backend (OR-Tools): one Boolean per candidate pair, everything exact.

The network is the backbone of every solve (:mod:`banghdai.solvers.repair`): the network
relaxation (the rules a flow holds) is solved first, in milliseconds, and its pairing
repaired rule by rule into one that keeps every rule. That pairing is the first incumbent:
CP-SAT gets it (or the best pairing found since) as its hint at every level, searches only
for better ones, and the relaxation's level values are the ceilings that prove a level at
once. ``time_limit`` is one budget for the whole call; a level that finds nothing better
keeps the incumbent and passes the rest on. Each level row carries ``value``, ``bound``,
``gap`` and a status: ``OPTIMAL``, ``OPTIMAL_GIVEN`` (optimal given the earlier levels'
values, after an unproven level), ``FEASIBLE``, ``UNKNOWN`` or ``NOT_SOLVED``.

Parameters that matter on this model family (2 cores, measured): the full-LP
worker (``subsolvers=["max_lp"]``) closes assignment-shaped models far faster
than the default portfolio. The defaults below are overridable through
``params={"name": value}`` with any ``SatParameters`` field.

Example
-------
>>> import pandas as pd, banghdai as bd
>>> p = bd.Problem(pd.DataFrame({"mentor_id": ["M"]}), pd.DataFrame({"mentee_id": ["E"]}))
>>> p.solve(backend="cpsat").backend
'cpsat'
"""

from __future__ import annotations

import logging
import signal
import threading
import time
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import numpy as np
from ortools.sat import sat_parameters_pb2
from ortools.sat.python import cp_model

from ..core.errors import InputError, Msg, Word
from ..core.progress import Progress
from ..core.status import Status, gap_of
from ..result import OPTIMAL_GIVEN
from .base import RawSolution, SolveParams, trivially_infeasible
from .repair import (
    Backbone,
    backbone,
    feasible,
    level_value,
    polish,
    unit_relaxation_valid,
    values_of,
)
from .stable import is_stability

if TYPE_CHECKING:
    from ..compile.graph import Compiled

_STATUS = {
    cp_model.OPTIMAL: Status.OPTIMAL,
    cp_model.FEASIBLE: Status.FEASIBLE,
    cp_model.INFEASIBLE: Status.INFEASIBLE,
    cp_model.UNKNOWN: Status.UNKNOWN,
}

#: Defaults measured on assignment-shaped models (see module docstring).
DEFAULT_PARAMS: dict[str, Any] = {"subsolvers": ["max_lp", "core", "default_lp", "no_lp"]}


def _groups(index: np.ndarray, n: int) -> list[np.ndarray]:
    """Edge positions per node, for every node 0..n-1 (empty arrays included)."""
    order = np.argsort(index, kind="stable")
    bounds = np.searchsorted(index[order], np.arange(n + 1))
    return [order[bounds[i] : bounds[i + 1]] for i in range(n)]


def apply_params(solver: cp_model.CpSolver, params: SolveParams) -> None:
    """Set time limit, seed, workers, log and any extra SatParameters by name."""
    p = solver.parameters
    merged: dict[str, Any] = dict(DEFAULT_PARAMS)
    merged.update(params.extra)
    left = params.remaining()
    if left is not None:
        p.max_time_in_seconds = max(float(left), 0.01)
    p.random_seed = int(params.seed)
    workers = params.workers if params.workers is not None else 2
    p.num_workers = int(workers)
    if workers == 1 and "subsolvers" not in params.extra:
        merged.pop("subsolvers", None)
    # the search log goes to the ``banghdai.solvers.cpsat`` logger at DEBUG, never to stdout
    if params.log or _LOG.isEnabledFor(logging.DEBUG):
        p.log_search_progress = True
        p.log_to_stdout = False
        solver.log_callback = _log_line
    else:
        p.log_search_progress = False
    fields = sat_parameters_pb2.SatParameters.DESCRIPTOR.fields_by_name
    for key, value in merged.items():
        if key not in fields:
            raise InputError(
                Msg("solve.cpsat_param", key=key), column="params", choices=sorted(fields)
            )
        target = getattr(p, key)
        if hasattr(target, "extend") and not isinstance(value, str | bytes):
            target.clear()
            target.extend(list(value))
        else:
            setattr(p, key, value)


_LOG = logging.getLogger(__name__)


def _solve_interruptible(solver: cp_model.CpSolver, model: cp_model.CpModel
                         ) -> tuple[cp_model.CpSolverStatus, bool]:
    """``solver.solve(model)``; Ctrl-C (SIGINT) stops the search and keeps the best found.

    Returns the status code and whether the search was interrupted. CP-SAT's own SIGINT
    handler would stop the search without telling us (and the Python handler cannot run
    while the main thread is inside the solver), so in the main thread the search runs in
    a helper thread with CP-SAT's handler off, and the main thread waits, free to run ours.
    """
    stopped = [False]
    if threading.current_thread() is not threading.main_thread():
        return solver.solve(model), False

    def on_interrupt(signum, frame) -> None:  # noqa: ARG001 - signal handler signature
        stopped[0] = True
        solver.stop_search()

    solver.parameters.catch_sigint_signal = False
    out: dict[str, Any] = {}

    def search() -> None:
        try:
            out["code"] = solver.solve(model)
        except BaseException as err:  # pragma: no cover - re-raised in the caller below
            out["error"] = err

    previous = signal.signal(signal.SIGINT, on_interrupt)
    try:
        worker = threading.Thread(target=search, name="banghdai-cpsat", daemon=True)
        worker.start()
        worker.join()  # interruptible: the handler above runs while we wait
    finally:
        signal.signal(signal.SIGINT, previous)
    if "error" in out:  # pragma: no cover
        raise out["error"]
    return out["code"], stopped[0]


class _OutOfTime(Exception):
    """The deadline passed while building the model (no search was started)."""


#: CP-SAT loads and presolves a model before it looks at its time limit: 1-1.6 s for
#: 400k Booleans (9.15, 2 cores). A search is not started with less time left than that.
_STARTUP_SECONDS_PER_VAR = 4e-6


def _check_time(deadline: float | None, model: cp_model.CpModel | None = None) -> None:
    """Raise :class:`_OutOfTime` past ``deadline``; with ``model``, also when the time left
    is shorter than CP-SAT needs to start searching on it."""
    if deadline is None:
        return
    if time.perf_counter() + (0.0 if model is None else _startup(model)) > deadline:
        raise _OutOfTime


def _startup(model: cp_model.CpModel) -> float:
    """Seconds CP-SAT takes to load and presolve ``model`` (an estimate)."""
    return _STARTUP_SECONDS_PER_VAR * len(model.proto.variables)


def _maximize_sum(model: cp_model.CpModel, x: list, coeffs: np.ndarray) -> None:
    """``model.maximize(sum(coeffs * x))`` written straight into the proto: the same
    objective, without flattening a Python expression (0.1 s instead of 2 s at 400k pairs)."""
    model.clear_objective()
    coeffs = np.asarray(coeffs, dtype=np.int64)
    on = np.flatnonzero(coeffs)
    obj = model.proto.objective
    obj.vars.extend([x[j].index for j in on.tolist()])
    obj.coeffs.extend((-coeffs[on]).tolist())
    obj.scaling_factor = -1.0


def _set_hint(model: cp_model.CpModel, x: list, hint: np.ndarray) -> None:
    """``model.add_hint(x[j], hint[j])`` for every edge, straight into the proto."""
    model.clear_hints()
    h = model.proto.solution_hint
    h.vars.extend([v.index for v in x])
    h.values.extend(np.asarray(hint, dtype=bool).astype(np.int64).tolist())


def _log_line(line: str) -> None:
    _LOG.debug("%s", line.rstrip())


class CpSatBackend:
    """Exact CP-SAT model over the candidate edges: degree bounds, fixed pairs, objective.

    Example
    -------
    >>> from banghdai.solvers import get_backend
    >>> get_backend("cpsat").name
    'cpsat'
    """

    name = "cpsat"

    def supports(self, compiled: Compiled) -> bool:
        """CP-SAT handles every rule banghdai has."""
        return True

    def build(self, compiled: Compiled, deadline: float | None = None
              ) -> tuple[cp_model.CpModel, list]:
        """The model and its edge variables (also used by explanations).

        ``deadline`` (a ``time.perf_counter()`` value) is checked as the model grows; past
        it, :class:`_OutOfTime` is raised.
        """
        model = cp_model.CpModel()
        n_edges = compiled.n_edges
        x: list = []
        for s in range(0, n_edges, 50_000):
            _check_time(deadline)
            x.extend(model.new_bool_var("") for _ in range(min(50_000, n_edges - s)))
        _check_time(deadline)
        load = compiled.edge_load
        for i, edges in enumerate(_groups(compiled.edge_mentor, compiled.n_mentors)):
            lo, hi = int(compiled.cap_lo[i]), int(compiled.cap_hi[i])
            if not edges.size:
                continue
            if i % 256 == 0:
                _check_time(deadline)
            if load is None:
                if lo > 0 or hi < edges.size:
                    model.add_linear_constraint(
                        cp_model.LinearExpr.sum([x[j] for j in edges.tolist()]), lo, hi)
            elif lo > 0 or hi < int(load[edges].sum()):
                model.add_linear_constraint(
                    cp_model.LinearExpr.weighted_sum([x[j] for j in edges.tolist()],
                                                     load[edges].tolist()), lo, hi)
        for i, edges in enumerate(_groups(compiled.edge_mentee, compiled.n_mentees)):
            k = int(compiled.demand[i])
            if not edges.size:
                continue
            if i % 256 == 0:
                _check_time(deadline)
            if compiled.must_match:
                model.add_linear_constraint(cp_model.LinearExpr.sum([x[j] for j in edges.tolist()]), k, k)
            elif k < edges.size:
                model.add_linear_constraint(cp_model.LinearExpr.sum([x[j] for j in edges.tolist()]), 0, k)
        _check_time(deadline)
        for j in np.flatnonzero(compiled.edge_fixed).tolist():
            model.add(x[j] == 1)
        for rule in compiled.group_rules:
            for _, add in rule.parts(compiled):
                _check_time(deadline)
                add(model, x, None)
        _check_time(deadline)
        _maximize_sum(model, x, compiled.edge_value + compiled.slot_penalty)
        return model, x

    def solve(self, compiled: Compiled, params: SolveParams) -> RawSolution:
        """Relax, repair, then search; statuses map onto :class:`banghdai.Status`.

        The network relaxation (the problem without its non-network rules) is solved
        first and its pairing repaired (:mod:`banghdai.solvers.repair`): that pairing is
        the first incumbent, and the relaxation's values are the bounds. CP-SAT then
        searches from the best pairing known, level by level, within one time budget for
        the whole call. Ctrl-C at any point returns the best pairing so far with
        ``info["interrupted"]`` set.
        """
        start = time.perf_counter()
        deadline = params.deadline_perf()  # the whole call: relaxation, build and search
        # unknown parameters are refused up front, even when the backbone proves the
        # problem without a search
        apply_params(cp_model.CpSolver(), params)
        reason = trivially_infeasible(compiled)
        if reason is not None:
            return RawSolution(
                Status.INFEASIBLE, None, None, None, time.perf_counter() - start,
                {"reason": reason},
            )
        run = _Run(compiled, params, start, deadline)
        try:
            run.prepare()
            if run.infeasible is not None:
                return run.infeasible
            if compiled.levels:
                return self._solve_levels(run)
            return self._solve_single(run)
        except KeyboardInterrupt:  # Ctrl-C outside a CP-SAT search: the best pairing so far
            return run.interrupted()

    # ------------------------------------------------------------------ one objective
    def _solve_single(self, run: _Run) -> RawSolution:
        """One objective: incumbent and relaxation bound, then CP-SAT between them."""
        compiled, params = run.compiled, run.params
        coeff = compiled.edge_value + compiled.slot_penalty
        bound = run.bb.values[0] if run.bb.values else None
        inc = run.incumbent
        inc_value = None if inc is None else int(coeff[inc].sum())
        info: dict[str, Any] = {"relaxation_bound": bound, "interrupted": False,
                                **run.backbone_info()}
        if inc_value is not None and bound is not None and inc_value >= bound:
            # the repaired relaxation reaches the relaxation's optimum: proven, no search
            return RawSolution(Status.OPTIMAL, inc, inc_value, inc_value,
                               time.perf_counter() - run.start, {**info, "solver_seconds": 0.0})
        try:
            model, x = run.model()
            _check_time(run.deadline, model)
        except _OutOfTime:
            seconds = time.perf_counter() - run.start
            if inc is not None:
                return RawSolution(Status.FEASIBLE, inc, inc_value, bound, seconds,
                                   {**info, "reason": "the time limit was reached before the "
                                    "CP-SAT search; the repaired network relaxation is kept",
                                    "build_seconds": seconds})
            return RawSolution(Status.UNKNOWN, None, None, None, seconds,
                               {**info, "reason": "the time limit was reached while building "
                                "the CP-SAT model; no pairing found yet",
                                "build_seconds": seconds})
        build_seconds = time.perf_counter() - run.start
        _maximize_sum(model, x, coeff)
        _set_domain(model, coeff, inc_value, bound)
        if run.hint is not None:
            _set_hint(model, x, run.hint)
        share = None if run.deadline is None else max(
            run.deadline - time.perf_counter() - _startup(model), 0.01)
        out = _search(model, x, params, share)
        status = out.status
        chosen, objective = out.chosen, out.value
        best = out.bound
        if bound is not None:
            best = bound if best is None else min(best, bound)
        if status is Status.INFEASIBLE and inc is not None:  # pragma: no cover - a repair bug
            _LOG.warning("CP-SAT found no pairing as good as the repaired relaxation's; "
                         "keeping CP-SAT's answer")
        elif inc is not None and inc_value is not None and (
                chosen is None or objective is None or objective < inc_value):
            chosen, objective = inc, inc_value
            status = Status.FEASIBLE
        if chosen is not None and objective is not None and best is not None and objective >= best:
            status, best = Status.OPTIMAL, objective
        elif chosen is not None:
            status = Status.FEASIBLE
        if out.stopped and chosen is None:
            status = Status.UNKNOWN
        return RawSolution(
            status, chosen, objective, best, time.perf_counter() - run.start,
            {**info, "build_seconds": build_seconds, "solver_seconds": out.seconds,
             "branches": out.branches, "response": out.response, "interrupted": out.stopped},
        )

    # ------------------------------------------------------------------ levels
    def _solve_levels(self, run: _Run) -> RawSolution:
        """Lexicographic solve: each level maximised, then fixed for the next.

        At every level the best complete pairing known (the repaired relaxation, or the
        previous level's best) is CP-SAT's hint and the floor of the level's objective; the
        relaxation's value is its ceiling while the earlier levels sit at their relaxation
        values, and a level already at its ceiling is proven without a search. Each level
        gets an equal share of the time left (what one level does not use goes on to the
        next). A level that ends without a better pairing keeps the incumbent, is fixed at
        its value, and the rest of the budget goes on. Levels after an unproven one are
        labelled ``OPTIMAL_GIVEN`` when proven given the earlier levels' values. Every row
        has ``value``, ``bound`` and ``gap`` (relative, None when unknown).
        """
        compiled, params = run.compiled, run.params
        levels = compiled.levels
        rows: list[dict] = run.rows  # kept on the run: a Ctrl-C between searches keeps them
        bar = Progress(len(levels), Msg("progress.levels"), enabled=params.progress)
        net = run.bb.values
        reached: list[int] = []  # each level's value as fixed (internal units)
        proven = True  # every level so far proven optimal (no "given")
        all_optimal = True
        interrupted = False
        last_bound: int | None = None
        solver_seconds = 0.0
        exprs: list = []
        retried = False

        def fix(k: int, value: int) -> None:
            reached.append(value)
            if run.built is not None:
                model, x = run.built
                while len(exprs) <= k:
                    exprs.append(levels[len(exprs)].expression(model, x, compiled))
                model.add(exprs[k] >= value)

        def row(k: int, status: str, value: int | None, bound: int | None,
                seconds: float) -> dict:
            lv = levels[k]
            v = None if value is None else lv.sign * value / lv.scale
            b = None if bound is None else lv.sign * bound / lv.scale
            return {"level": k + 1, "name": lv.name, "status": status, "value": v,
                    "bound": b, "gap": gap_of(v, b), "seconds": seconds}

        def rest_unsolved(k0: int) -> None:
            """Levels from ``k0`` on: not searched; the incumbent's values, bounds where
            the relaxation still gives them."""
            for k in range(k0, len(levels)):
                value = (None if run.incumbent is None
                         else level_value(levels[k], compiled, run.incumbent))
                b = (net[k] if k < len(net) and reached == list(net[:k])
                     and value is not None else None)
                rows.append(row(k, "NOT_SOLVED", value, b, 0.0))
                if value is not None:
                    reached.append(value)

        i = 0
        while i < len(levels):
            level = levels[i]
            ceiling = net[i] if i < len(net) and reached == list(net[:i]) else None
            inc = run.incumbent
            inc_value = None if inc is None else level_value(level, compiled, inc)
            if inc_value is not None and ceiling is not None and inc_value >= ceiling:
                # the incumbent reaches the relaxation's value: proven, no search needed
                rows.append(row(i, Status.OPTIMAL.value if proven else OPTIMAL_GIVEN,
                                inc_value, inc_value, 0.0))
                last_bound = inc_value
                fix(i, inc_value)
                bar.step(Msg("progress.level_bound", name=Word(level.name),
                             status=Msg(f"cli.status.{rows[-1]['status']}"),
                             value=f"{rows[-1]['value']:g}"))
                i += 1
                continue
            try:
                model, x = run.model()
                while len(exprs) < len(reached):  # the levels fixed before the model existed
                    k = len(exprs)
                    exprs.append(levels[k].expression(model, x, compiled))
                    model.add(exprs[k] >= reached[k])
                _check_time(run.deadline, model)
            except _OutOfTime:
                # no time to start this level's search: the incumbent stands
                all_optimal = False
                if run.incumbent is None:
                    rows.append(row(i, Status.UNKNOWN.value, None, None, 0.0))
                    rows.extend(row(k, "NOT_SOLVED", None, None, 0.0)
                                for k in range(i + 1, len(levels)))
                else:
                    rest_unsolved(i)
                break
            if i == 0 and ceiling is None and inc is None and level.kind == "linear" \
                    and params.warm_start and not net:
                # no network relaxation: the flow relaxation of the first level bounds it
                relaxation, hint = self._level_relaxation(compiled, level, run.hint)
                if relaxation is None and hint is None:
                    rows.append(row(0, "INFEASIBLE", None, None, 0.0))
                    bar.close()
                    return RawSolution(Status.INFEASIBLE, None, None, None,
                                       time.perf_counter() - run.start,
                                       {"levels": rows, "interrupted": False,
                                        **run.backbone_info()})
                ceiling, run.hint = relaxation, hint
            while len(exprs) <= i:
                exprs.append(levels[len(exprs)].expression(model, x, compiled))
            expr = exprs[i]
            if level.kind == "linear":
                _maximize_sum(model, x, level.coeff)
                _set_domain(model, level.coeff, inc_value, ceiling)
            else:
                model.maximize(expr)
            hint = inc if inc is not None else run.hint
            if hint is not None:
                _set_hint(model, x, hint)
            share = None
            if run.deadline is not None:  # less what CP-SAT takes to start, at each level left
                left_levels = len(levels) - i
                left = run.deadline - time.perf_counter() - _startup(model) * left_levels
                # with no pairing yet the first level decides whether any exists: half
                share = max(left / 2 if inc is None and left_levels > 1
                            else left / left_levels, 0.05)
            out = _search(model, x, params, share)
            model.proto.objective.domain.clear()
            solver_seconds += out.seconds
            interrupted = interrupted or out.stopped
            value, chosen, best = out.value, out.chosen, out.bound
            if ceiling is not None:
                best = ceiling if best is None else min(best, ceiling)
            if chosen is not None:
                # CP-SAT's pairing is arbitrary on the later levels: re-optimise them on
                # the network around it (its pairs that count so far fixed) and repair;
                # the incumbent, CP-SAT's pairing and that one: the lexicographic best
                pool = [chosen] if inc is None else [inc, chosen]
                polished = None if inc is not None and np.array_equal(chosen, inc) \
                    else polish(compiled, chosen, i, params, run.bb.relax_seconds)
                if polished is not None:
                    pool.append(polished)
                chosen = max(pool, key=lambda c: tuple(values_of(compiled, c)))
                value = level_value(level, compiled, chosen)
                run.incumbent = chosen
            elif inc is not None:
                value = inc_value
            else:  # no pairing at all yet
                if out.status is Status.INFEASIBLE:
                    rows.append(row(i, "INFEASIBLE", None, None, out.seconds))
                    bar.close()
                    return RawSolution(Status.INFEASIBLE, None, None, None,
                                       time.perf_counter() - run.start,
                                       {"levels": rows, "interrupted": False,
                                        "solver_seconds": solver_seconds,
                                        **run.backbone_info()})
                if (not out.stopped and not retried and run.deadline is not None
                        and run.deadline - time.perf_counter() > _startup(model) + 0.2):
                    retried = True  # the first level found nothing in its share: once more,
                    continue  # with all the time left
                rows.append(row(i, Status.UNKNOWN.value, None, best, out.seconds))
                rows.extend(row(k, "NOT_SOLVED", None, None, 0.0)
                            for k in range(i + 1, len(levels)))
                all_optimal = False
                last_bound = best
                break
            assert value is not None  # a pairing is in hand (the branch without one broke out)
            if best is not None and value >= best:
                best = value
                status = Status.OPTIMAL.value if proven else OPTIMAL_GIVEN
            else:
                status = Status.FEASIBLE.value
                proven = all_optimal = False
            if status == OPTIMAL_GIVEN:
                all_optimal = False
            rows.append(row(i, status, value, best, out.seconds))
            last_bound = best
            fix(i, value)
            bar.step(Msg("progress.level_value", name=Word(level.name),
                         status=Msg(f"cli.status.{status}"), value=f"{rows[-1]['value']:g}",
                         seconds=f"{out.seconds:.2f}"))
            i += 1
            if out.stopped:  # Ctrl-C: keep the best pairing, solve no further level
                if i < len(levels):
                    all_optimal = False
                    rest_unsolved(i)
                break
        bar.close()
        chosen = run.incumbent
        _refresh(rows, compiled, chosen)
        if chosen is None:
            status_all = Status.UNKNOWN
        elif all_optimal and len(rows) == len(levels) and all(
                r["status"] == Status.OPTIMAL.value for r in rows):
            status_all = Status.OPTIMAL
        else:
            status_all = Status.FEASIBLE
        raw_obj = None if chosen is None else level_value(levels[-1], compiled, chosen)
        last = rows[-1] if rows else None
        raw_bound = last_bound if last is not None and last["level"] == len(levels) \
            and last["status"] != "NOT_SOLVED" else None
        return RawSolution(status_all, chosen, raw_obj, raw_bound,
                           time.perf_counter() - run.start,
                           {"levels": rows, "solver_seconds": solver_seconds,
                            "interrupted": interrupted, **run.backbone_info()})

    @staticmethod
    def _level_relaxation(compiled: Compiled, level, hint):
        """Flow optimum of the first level without group rules: (bound, hint).

        Returns (None, None) when even the relaxation is infeasible, and
        (None, hint) when the level is too large for the flow's 64-bit costs.
        """
        from .flow import FlowBackend

        if not unit_relaxation_valid(compiled):
            return None, hint
        pairing = compiled.pairing
        if not compiled.must_match:
            pairing = replace(pairing, unmatched_penalty=0.0)
        relaxed = replace(compiled, edge_value=level.coeff.astype(np.int64), slot_penalty=0,
                          pairing=pairing, group_rules=(), levels=(), edge_load=None,
                          cap_lo=np.zeros_like(compiled.cap_lo) if compiled.edge_load
                          is not None else compiled.cap_lo)
        if float(np.abs(level.coeff).max(initial=0)) * (compiled.n_mentors
                                                        + compiled.n_mentees + 2) > 2**62:
            return None, hint
        raw = FlowBackend().solve_relaxation(relaxed)
        if raw.status is Status.INFEASIBLE:
            return None, None
        return raw.objective, raw.chosen


def _refresh(rows: list[dict], compiled: Compiled, chosen: np.ndarray | None) -> None:
    """Each row's value (and gap) from the pairing returned: a later level's pairing may
    exceed an unproven earlier level's value, never its bound."""
    if chosen is None:
        return
    for r in rows:
        if r["value"] is None:
            continue
        lv = compiled.levels[r["level"] - 1]
        r["value"] = lv.sign * level_value(lv, compiled, chosen) / lv.scale
        r["gap"] = gap_of(r["value"], r["bound"])


@dataclass
class _Outcome:
    """One CP-SAT search: status, best pairing and value, bound, time, interruption."""

    status: Status
    chosen: np.ndarray | None
    value: int | None
    bound: int | None
    seconds: float
    stopped: bool
    branches: int = 0
    response: str = ""


def _search(model: cp_model.CpModel, x: list, params: SolveParams,
            share: float | None) -> _Outcome:
    """Run CP-SAT on ``model`` for ``share`` seconds (interruptible by Ctrl-C)."""
    solver = cp_model.CpSolver()
    apply_params(solver, replace(params, time_limit=share) if share is not None
                 else replace(params, deadline=None))
    t0 = time.perf_counter()
    code, stopped = _solve_interruptible(solver, model)
    seconds = time.perf_counter() - t0
    if code == cp_model.MODEL_INVALID:  # pragma: no cover - a bug in the model builder
        raise RuntimeError(f"CP-SAT model invalid: {model.validate()}")
    status = _STATUS[code]
    chosen = value = bound = None
    if status in (Status.OPTIMAL, Status.FEASIBLE):  # an UNKNOWN search's bound is unset
        b = solver.best_objective_bound
        if np.isfinite(b) and abs(b) < 2**62:
            bound = int(np.floor(b + 1e-6))
    if status in (Status.OPTIMAL, Status.FEASIBLE):
        chosen = np.fromiter((solver.boolean_value(v) for v in x), dtype=bool, count=len(x))
        value = int(round(solver.objective_value))
        if status is Status.OPTIMAL:
            bound = value
    return _Outcome(status, chosen, value, bound, seconds, stopped,
                    int(solver.num_branches), solver.response_stats())


def _set_domain(model: cp_model.CpModel, coeff: np.ndarray, floor: int | None,
                ceiling: int | None) -> None:
    """Restrict the maximised sum to ``[floor, ceiling]`` (written on the minimised, negated
    objective): nothing worse than the incumbent is searched, and reaching the relaxation's
    value proves optimality at once."""
    obj = model.proto.objective
    obj.domain.clear()
    if floor is None and ceiling is None:
        return
    top = int(np.abs(np.asarray(coeff, dtype=np.int64)).sum())
    hi = top if ceiling is None else int(ceiling)
    lo = -top if floor is None else int(floor)
    if lo > hi:
        return
    obj.domain.extend([-hi, -lo])


class _Run:
    """The state of one CP-SAT call: backbone, incumbent, hint and (lazily) the model."""

    def __init__(self, compiled: Compiled, params: SolveParams, start: float,
                 deadline: float | None) -> None:
        self.compiled, self.params = compiled, params
        self.start, self.deadline = start, deadline
        self.bb = Backbone()
        self.incumbent: np.ndarray | None = None
        self.hint: np.ndarray | None = params.hint
        self.built: tuple | None = None
        self.infeasible: RawSolution | None = None
        self.rows: list[dict] = []  # the level rows so far

    def prepare(self) -> None:
        """Network relaxation and repair: the first incumbent and the bounds."""
        compiled, params = self.compiled, self.params
        if params.warm_start:
            self.bb = backbone(compiled, params)
        if self.bb.infeasible:
            self.infeasible = RawSolution(
                Status.INFEASIBLE, None, None, None, time.perf_counter() - self.start,
                {"reason": "even without its non-network rules the problem has no pairing",
                 "proof": "network relaxation infeasible", "interrupted": False,
                 **({"levels": [{"level": 1, "name": compiled.levels[0].name,
                                 "status": "INFEASIBLE", "value": None, "bound": None,
                                 "gap": None, "seconds": 0.0}]} if compiled.levels else {})})
            return
        candidates = [c for c in (self.bb.repaired,) if c is not None]
        if params.hint is not None:
            given = np.asarray(params.hint, dtype=bool)
            if given.size == compiled.n_edges and feasible(compiled, given):
                candidates.append(given)
        if candidates:
            self.incumbent = max(candidates, key=lambda c: tuple(values_of(compiled, c)))
        if self.hint is None:
            self.hint = self.bb.attempt if self.bb.attempt is not None else self.bb.relaxed
        if self.hint is None and params.warm_start and not compiled.levels:
            from .flow import FlowBackend  # no network relaxation: the flow's, as a hint

            relaxed = FlowBackend().solve_relaxation(compiled)
            self.hint = relaxed.chosen
        stable = [g for g in compiled.group_rules if is_stability(g)]
        if stable and self.incumbent is None and params.warm_start:
            from .stable import deferred_acceptance_of  # a stable start: "stable and best"

            self.hint = deferred_acceptance_of(compiled, stable[0].spec.proposer)

    def model(self) -> tuple[cp_model.CpModel, list]:
        """The CP-SAT model, built once (within the deadline)."""
        if self.built is None:
            self.built = CpSatBackend().build(self.compiled, self.deadline)
        return self.built

    def backbone_info(self) -> dict[str, Any]:
        bb = self.bb
        return {"backbone": {
            "relaxation_values": list(bb.values), "repaired": bb.repaired is not None,
            "seconds": round(bb.seconds, 4),
            "repaired_values": (values_of(self.compiled, bb.repaired)
                                if bb.repaired is not None else None)}}

    def interrupted(self) -> RawSolution:
        """Ctrl-C outside a search: the incumbent (FEASIBLE) or nothing (UNKNOWN)."""
        compiled = self.compiled
        inc = self.incumbent
        info: dict[str, Any] = {"interrupted": True, **self.backbone_info()}
        if compiled.levels:
            done = [r for r in self.rows if r["status"] != "NOT_SOLVED"]
            _refresh(done, compiled, inc)
            info["levels"] = done + [
                {"level": k + 1, "name": lv.name, "status": "NOT_SOLVED",
                 "value": (None if inc is None
                           else lv.sign * level_value(lv, compiled, inc) / lv.scale),
                 "bound": None, "gap": None, "seconds": 0.0}
                for k, lv in enumerate(compiled.levels) if k >= len(done)]
        if inc is None:
            return RawSolution(Status.UNKNOWN, None, None, None,
                               time.perf_counter() - self.start, info)
        value = values_of(compiled, inc)[-1]
        return RawSolution(Status.FEASIBLE, inc, value, None,
                           time.perf_counter() - self.start, info)
