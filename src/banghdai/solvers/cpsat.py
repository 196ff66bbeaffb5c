"""CP-SAT backend (OR-Tools): one Boolean per candidate pair, everything exact.

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
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import numpy as np
from ortools.sat import sat_parameters_pb2
from ortools.sat.python import cp_model

from ..core.errors import InputError, Msg, Word
from ..core.progress import Progress
from ..core.status import Status
from .base import RawSolution, SolveParams, trivially_infeasible

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


def _solve_interruptible(solver: cp_model.CpSolver, model: cp_model.CpModel) -> tuple[int, bool]:
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


def _unit_relaxation_valid(compiled: Compiled) -> bool:
    """The flow without group rules counts every pair as one unit of capacity: a valid
    relaxation only when no pair uses less (a load of 0 would let more pairs fit)."""
    load = compiled.edge_load
    return load is None or bool((load >= 1).all())


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
        """Build and solve; statuses map onto :class:`banghdai.Status`."""
        start = time.perf_counter()
        deadline = params.deadline_perf()  # the whole call: relaxation, build and search
        reason = trivially_infeasible(compiled)
        if reason is not None:
            return RawSolution(
                Status.INFEASIBLE, None, None, None, time.perf_counter() - start,
                {"reason": reason},
            )
        hint, relaxation = params.hint, None
        if hint is None and params.warm_start:
            # the flow optimum of the relaxation without group rules: a hint, and a bound
            from .flow import FlowBackend

            relaxed = FlowBackend().solve_relaxation(compiled)
            if not _unit_relaxation_valid(compiled):
                # a pair of load 0 uses no capacity: the unit-load flow is no relaxation,
                # so it proves nothing (neither a bound nor infeasibility); a hint at most
                relaxed = replace(relaxed, objective=None) if relaxed.chosen is not None \
                    else None
                hint = None if relaxed is None else relaxed.chosen
            elif relaxed.status is Status.INFEASIBLE:
                return RawSolution(
                    Status.INFEASIBLE, None, None, None, time.perf_counter() - start,
                    {"reason": relaxed.info.get("reason", "the degree bounds cannot be met"),
                     "proof": "flow relaxation infeasible"},
                )
            if relaxed is not None:
                hint, relaxation = relaxed.chosen, relaxed.objective
            from ..compile.groups import CompiledStable

            stable = [g for g in compiled.group_rules if isinstance(g, CompiledStable)]
            if stable:  # deferred acceptance gives a stable start: "stable and best"
                from .stable import deferred_acceptance_of

                hint = deferred_acceptance_of(compiled, stable[0].spec.proposer)
        try:  # time_limit covers building the model too: past the deadline, stop here
            model, x = self.build(compiled, deadline)
            if not compiled.levels:
                _check_time(deadline, model)
        except _OutOfTime:
            seconds = time.perf_counter() - start
            return RawSolution(Status.UNKNOWN, None, None, None, seconds,
                               {"reason": "the time limit was reached while building the "
                                          "CP-SAT model; no pairing found yet",
                                "build_seconds": seconds, "interrupted": False})
        if compiled.levels:
            return self._solve_levels(compiled, params, model, x, hint, start, deadline)
        if relaxation is not None:
            # nothing beats the relaxation: restrict the objective's domain (the solver
            # minimises the negated sum internally), so reaching it proves optimality
            top = int(np.abs(compiled.edge_value + compiled.slot_penalty).sum())
            obj = model.proto.objective
            obj.domain.clear()
            obj.domain.extend([-int(relaxation), max(top, -int(relaxation))])
        if hint is not None:
            _set_hint(model, x, hint)
        solver = cp_model.CpSolver()
        apply_params(solver, params if deadline is None else replace(
            params, time_limit=max(deadline - time.perf_counter() - _startup(model), 0.01)))
        build_seconds = time.perf_counter() - start
        code, stopped = _solve_interruptible(solver, model)
        if code == cp_model.MODEL_INVALID:  # pragma: no cover - a bug in the model builder
            raise RuntimeError(f"CP-SAT model invalid: {model.validate()}")
        status = _STATUS[code]
        chosen = None
        objective = bound = None
        if status in (Status.OPTIMAL, Status.FEASIBLE, Status.UNKNOWN):
            bound = int(np.floor(solver.best_objective_bound + 1e-6))
            if relaxation is not None:
                bound = min(bound, int(relaxation))
        if status in (Status.OPTIMAL, Status.FEASIBLE):
            chosen = np.fromiter((solver.boolean_value(v) for v in x), dtype=bool, count=len(x))
            objective = int(round(solver.objective_value))
            if objective == bound:
                status = Status.OPTIMAL
        return RawSolution(
            status,
            chosen,
            objective,
            bound,
            time.perf_counter() - start,
            {
                "build_seconds": build_seconds,
                "solver_seconds": solver.wall_time,
                "branches": solver.num_branches,
                "relaxation_bound": relaxation,
                "response": solver.response_stats(),
                "interrupted": stopped,
            },
        )

    @staticmethod
    def _network_relaxation(compiled: Compiled, params: SolveParams):
        """Network optimum of the problem without its non-network rules, level by level.

        Returns (level values in internal units, the flow's pairing as a hint), or
        ("INFEASIBLE", None) when even the relaxation has no pairing, or (None, None)
        when no valid network relaxation exists (a pair of load 0, no linear level).
        """
        from ..compile.groups import AtMostOneGroups, CompiledQuota
        from .network import NetworkBackend, network_supported

        if not _unit_relaxation_valid(compiled):
            return None, None
        levels = []
        for level in compiled.levels:
            if level.kind != "linear":
                break
            levels.append(level)
        if not levels:
            return None, None
        groups = tuple(g for g in compiled.group_rules
                       if isinstance(g, AtMostOneGroups)
                       or (isinstance(g, CompiledQuota) and g.spec.count == "pairs"))
        relaxed = replace(compiled, group_rules=groups, edge_load=None, levels=tuple(levels))
        if not network_supported(relaxed):
            groups = tuple(g for g in groups if isinstance(g, AtMostOneGroups))
            relaxed = replace(relaxed, group_rules=groups)
            if not network_supported(relaxed):
                return None, None
        try:
            raw = NetworkBackend().solve(relaxed, replace(params, progress=False))
        except ValueError:  # costs too large for the flow's 64-bit arithmetic
            return None, None
        if raw.status is Status.INFEASIBLE:
            return "INFEASIBLE", None
        rows = raw.info.get("network_rows", [])
        values = [r["value"] for r in rows if r.get("proven")]
        return values, raw.chosen

    @staticmethod
    def _level_relaxation(compiled: Compiled, level, hint):
        """Flow optimum of the first level without group rules: (bound, hint).

        Returns (None, None) when even the relaxation is infeasible, and
        (None, hint) when the level is too large for the flow's 64-bit costs.
        """
        from dataclasses import replace as _replace

        from .flow import FlowBackend

        if not _unit_relaxation_valid(compiled):
            return None, hint
        pairing = compiled.pairing
        if not compiled.must_match:
            pairing = _replace(pairing, unmatched_penalty=0.0)
        relaxed = _replace(compiled, edge_value=level.coeff.astype(np.int64), slot_penalty=0,
                           pairing=pairing, group_rules=(), levels=(), edge_load=None)
        if float(np.abs(level.coeff).max(initial=0)) * (compiled.n_mentors
                                                        + compiled.n_mentees + 2) > 2**62:
            return None, hint
        raw = FlowBackend().solve_relaxation(relaxed)
        if raw.status is Status.INFEASIBLE:
            return None, None
        return raw.objective, raw.chosen

    def _solve_levels(self, compiled: Compiled, params: SolveParams, model, x, hint,
                      start: float, deadline: float | None = None) -> RawSolution:
        """Lexicographic solve: each level maximised, then fixed for the next.

        Each level gets an equal share of the time left. A level that ends
        FEASIBLE (time out) is fixed at the value found, and the whole result
        is then FEASIBLE; INFEASIBLE or UNKNOWN at any level ends the solve.
        """
        if deadline is None:
            deadline = params.deadline_perf()
        rows: list[dict] = []
        chosen = None
        status = Status.OPTIMAL
        interrupted = False
        bar = Progress(len(compiled.levels), Msg("progress.levels"), enabled=params.progress)
        raw_obj = raw_bound = None
        try:  # no time for the network bound either when no search can start any more
            _check_time(deadline, model)
            warm = params.warm_start
        except _OutOfTime:
            warm = False
        net_values, net_hint = (self._network_relaxation(compiled, params)
                                if warm else (None, None))
        if net_values == "INFEASIBLE":
            bar.close()
            return RawSolution(Status.INFEASIBLE, None, None, None, time.perf_counter() - start,
                               {"levels": [{"level": 1, "name": compiled.levels[0].name,
                                            "status": "INFEASIBLE", "value": None,
                                            "bound": None, "seconds": 0.0}],
                                "reason": "even without its non-network rules the problem "
                                          "has no pairing", "interrupted": False})
        if net_hint is not None:
            hint = net_hint
        reached: list[int] = []  # each solved level's value (internal units)

        def out_of_time(i: int, seconds: float) -> None:
            """Level ``i`` ran out of time: the previous level's pairing stands (FEASIBLE),
            and the levels from ``i`` on are reported as not proven."""
            for k in range(i, len(compiled.levels)):
                lv = compiled.levels[k]
                value = (lv.sign * float(lv.coeff[chosen].sum()) / lv.scale
                         if lv.kind == "linear" else None)
                rows.append({"level": len(rows) + 1, "name": lv.name,
                             "status": "UNKNOWN" if k == i else "NOT_SOLVED",
                             "value": value, "bound": None,
                             "seconds": seconds if k == i else 0.0})

        for i, level in enumerate(compiled.levels):
            try:
                _check_time(deadline, model)
            except _OutOfTime:
                # no time left to even start this level's search (building took it all)
                if chosen is not None:
                    status = Status.FEASIBLE
                    out_of_time(i, 0.0)
                else:
                    rows.append({"level": len(rows) + 1, "name": level.name,
                                 "status": Status.UNKNOWN.value, "value": None,
                                 "bound": None, "seconds": 0.0})
                    status, raw_obj, raw_bound = Status.UNKNOWN, None, None
                break
            expr = level.expression(model, x, compiled)
            if level.kind == "linear":
                _maximize_sum(model, x, level.coeff)
            else:
                model.maximize(expr)
            relaxation = None
            if net_values and i < len(net_values) and reached == list(net_values[:i]):
                # the previous levels sit at the network optimum: the network's next
                # level value bounds this one (its face contains every pairing left)
                relaxation = net_values[i]
            elif i == 0 and level.kind == "linear" and params.warm_start:
                relaxation, hint = self._level_relaxation(compiled, level, hint)
                if relaxation is None and hint is None:
                    rows.append({"level": 1, "name": level.name, "status": "INFEASIBLE",
                                 "value": None, "bound": None, "seconds": 0.0})
                    status, chosen, raw_obj = Status.INFEASIBLE, None, None
                    break
            if relaxation is not None:
                top = int(np.abs(level.coeff).sum())
                obj = model.proto.objective
                obj.domain.clear()
                obj.domain.extend([-int(relaxation), max(top, -int(relaxation))])
            if hint is not None:
                _set_hint(model, x, hint)
            share = None
            if deadline is not None:  # less what CP-SAT takes to start, at each level left
                left = (deadline - time.perf_counter()
                        - _startup(model) * (len(compiled.levels) - i))
                # the first level decides whether any pairing exists: give it half the time;
                # then an equal share of what is left (time a level does not use flows on)
                share = max(left / 2 if i == 0 and len(compiled.levels) > 1
                            else left / (len(compiled.levels) - i), 0.05)
            solver = cp_model.CpSolver()
            apply_params(solver, replace(params, time_limit=share))
            t0 = time.perf_counter()
            code, stopped = _solve_interruptible(solver, model)
            model.proto.objective.domain.clear()
            level_status = _STATUS[code]
            seconds = time.perf_counter() - t0
            if level_status in (Status.OPTIMAL, Status.FEASIBLE):
                value = int(round(solver.objective_value))
                best = int(np.floor(solver.best_objective_bound + 1e-6))
                if relaxation is not None:
                    best = min(best, int(relaxation))
                if value == best:
                    level_status = Status.OPTIMAL
                chosen = np.fromiter((solver.boolean_value(v) for v in x), dtype=bool,
                                     count=len(x))
                hint = chosen
                raw_obj, raw_bound = value, best
                reached.append(value)
                model.add(expr >= value)
                if level_status is Status.FEASIBLE:
                    status = Status.FEASIBLE
                rows.append({
                    "level": len(rows) + 1, "name": level.name, "status": level_status.value,
                    "value": level.sign * value / level.scale,
                    "bound": level.sign * best / level.scale, "seconds": seconds,
                })
                bar.step(Msg("progress.level_value", name=Word(level.name),
                             status=Msg(f"cli.status.{level_status.value}"),
                             value=f"{rows[-1]['value']:g}", seconds=f"{seconds:.2f}"))
                if stopped:  # Ctrl-C: keep this pairing, solve no further level
                    interrupted = True
                    if i + 1 < len(compiled.levels):
                        status = Status.FEASIBLE
                        for lv in compiled.levels[i + 1:]:
                            rows.append({"level": len(rows) + 1, "name": lv.name,
                                         "status": "NOT_SOLVED",
                                         "value": (lv.sign * float(lv.coeff[chosen].sum())
                                                   / lv.scale if lv.kind == "linear" else None),
                                         "bound": None, "seconds": 0.0})
                    break
                continue
            if level_status is Status.UNKNOWN and chosen is not None:
                # out of time at this level: the previous level's pairing stands (FEASIBLE)
                status = Status.FEASIBLE
                out_of_time(i, seconds)
                break
            rows.append({"level": len(rows) + 1, "name": level.name,
                         "status": level_status.value, "value": None, "bound": None,
                         "seconds": seconds})
            status, chosen, raw_obj = level_status, None, None
            raw_bound = (int(np.floor(solver.best_objective_bound + 1e-6))
                         if level_status is Status.UNKNOWN else None)
            break
        bar.close()
        return RawSolution(status, chosen, raw_obj, raw_bound, time.perf_counter() - start,
                           {"levels": rows, "solver_seconds": sum(r["seconds"] for r in rows),
                            "interrupted": interrupted})
