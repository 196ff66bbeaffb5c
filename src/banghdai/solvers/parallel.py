"""Solve independent components apart — in-process or on any Executor — and merge."""

from __future__ import annotations

import time
from concurrent.futures import Executor, as_completed
from dataclasses import replace
from typing import Any

import numpy as np

from ..compile.graph import Compiled
from ..compile.split import subproblem
from ..core import interrupt
from ..core.errors import Msg
from ..core.progress import Progress
from ..core.status import Status, gap_of
from ..result import OPTIMAL_GIVEN
from .base import RawSolution, SolveParams
from .registry import BACKENDS


def _solve_one(backend: str, sub: Compiled, params: SolveParams) -> RawSolution:
    return BACKENDS[backend].solve(sub, params)


def _empty_ok(sub: Compiled) -> bool:
    """Is pairing nobody a valid pairing of this component (nothing forced)?"""
    return (not sub.must_match and not sub.cap_lo.any() and not sub.edge_fixed.any()
            and not any(getattr(g, "lo", None) and any(x for x in g.lo if x)
                        for g in sub.group_rules))


def solve_split(
    compiled: Compiled,
    backend: str,
    params: SolveParams,
    parts: list[np.ndarray],
    executor: Executor | None = None,
) -> RawSolution:
    """Solve each component (in-process, or on ``executor``) and merge the answers.

    In-process, each component gets a share of the time left proportional to its
    number of candidate pairs (at least 0.5 s, never past the deadline); on an
    executor, where components run side by side, each gets all the time left.
    Nothing found is thrown away: a component that runs out of time keeps its best
    pairing (FEASIBLE), finished components are kept, and one with no pairing yet
    counts as pairing nobody when that is allowed there (else the result is UNKNOWN).
    """
    start = time.perf_counter()
    subs = [subproblem(compiled, edges) for edges in parts]
    remaining_edges = max(compiled.n_edges, 1)

    def params_for(edges: np.ndarray) -> SolveParams:
        left = params.remaining()
        if left is None or executor is not None:
            return params
        share = min(max(left * edges.size / remaining_edges, 0.5), left)
        return replace(params, time_limit=share)

    raws: list[RawSolution | None] = [None] * len(parts)
    interrupted = False
    bar = Progress(len(parts), Msg("progress.components"), enabled=params.progress)

    def line(k: int) -> Msg:
        r = raws[k]
        if r is None:
            return Msg("progress.component_unsolved", k=k + 1)
        return Msg("progress.component", k=k + 1, pairs=int(parts[k].size),
                   status=Msg(f"cli.status.{r.status.value}"), seconds=f"{r.seconds:.2f}")

    quiet = replace(params, progress=False)
    if executor is None:
        for k, (sub, edges) in enumerate(zip(subs, parts, strict=True)):
            if interrupted or interrupt.requested():  # Ctrl-C: start no further component
                interrupted = True
                break
            try:
                solved = _solve_one(backend, sub, replace(params_for(edges), progress=False))
            except KeyboardInterrupt:
                interrupted = True
                break
            raws[k] = solved
            bar.step(line(k))
            remaining_edges = max(remaining_edges - int(edges.size), 1)
            interrupted = bool(solved.info.get("interrupted")) or interrupt.requested()
    else:
        futures = {executor.submit(_solve_one, backend, sub, quiet): k
                   for k, sub in enumerate(subs)}
        try:
            for f in as_completed(futures):
                k = futures[f]
                raws[k] = f.result()
                bar.step(line(k))
        except KeyboardInterrupt:
            interrupted = True
            for f, k in futures.items():  # keep what finished; the rest is cancelled
                if f.done() and not f.cancelled() and f.exception() is None and raws[k] is None:
                    raws[k] = f.result()
                f.cancel()
    bar.close()

    statuses = [r.status if r is not None else Status.UNKNOWN for r in raws]
    info: dict = {"components": len(parts), "component_edges": [int(p.size) for p in parts],
                  "component_status": [s.value for s in statuses],
                  "component_seconds": [round(r.seconds, 4) if r is not None else None
                                        for r in raws]}
    if interrupted:
        info["interrupted"] = True
    if Status.INFEASIBLE in statuses:
        i = statuses.index(Status.INFEASIBLE)
        ended = raws[i]  # an INFEASIBLE status came from a solved component
        info["reason"] = (ended.info if ended is not None else {}).get(
            "reason", f"component {i} ended INFEASIBLE")
        return RawSolution(Status.INFEASIBLE, None, None, None, time.perf_counter() - start,
                           info)
    chosen = np.zeros(compiled.n_edges, dtype=bool)
    missing = []
    for k, (raw, edges) in enumerate(zip(raws, parts, strict=True)):
        if raw is not None and raw.chosen is not None and raw.status.has_solution:
            chosen[edges[raw.chosen]] = True
        else:
            missing.append(k)
    forced = [k for k in missing if not _empty_ok(subs[k])]
    if forced:  # a component with no pairing where pairing nobody is not allowed
        info["reason"] = f"component {forced[0]} found no pairing in time"
        info["partial_pairs"] = int(chosen.sum())
        bound = _sum_all([r.bound if r is not None else None for r in raws])
        return RawSolution(Status.UNKNOWN, None, None, bound, time.perf_counter() - start, info)
    if missing:
        info["components_without_pairing"] = missing
    proven = all(s is Status.OPTIMAL for s in statuses)
    status = Status.OPTIMAL if proven else Status.FEASIBLE
    objective = int(((compiled.edge_value + compiled.slot_penalty) * chosen).sum())
    bound = _sum_all([None if r is None or r.bound is None else int(r.bound) for r in raws])
    if compiled.levels:
        info["levels"] = _merge_levels([r.info["levels"] if r is not None else None
                                        for r in raws], compiled, chosen)
    certificate = _merge_certificates(raws)
    if certificate is not None:  # the network engine's proofs, one for the whole problem
        info["certificate"] = certificate
    return RawSolution(status, chosen, objective, bound, time.perf_counter() - start, info)


def _merge_certificates(raws: list[RawSolution | None]) -> dict | None:
    """One certificate for independent components the network engine solved: their node
    potentials side by side (each component's source at 0, its sink's potential kept per
    mentee), values added up — the levels every component proved. None unless every
    component has a certificate."""
    found = [r.info.get("certificate") if r is not None else None for r in raws]
    certs = [c for c in found if c is not None]
    if not certs or len(certs) < len(found):
        return None
    levels = min(len(c["values"]) for c in certs)

    def joined(get) -> np.ndarray:
        return np.concatenate([np.asarray(get(c)) for c in certs], axis=-1)

    def table(key: str) -> dict:
        return {col: joined(lambda c, col=col: c[key][col][:levels] if col == "pi"
                            else c[key][col]) for col in certs[0][key]}

    return {
        "format": certs[0]["format"],
        "levels": certs[0]["levels"][:levels], "scales": certs[0]["scales"][:levels],
        "values": [sum(int(c["values"][i]) for c in certs) for i in range(levels)],
        "mentor_id": joined(lambda c: c["mentor_id"]), "mentee_id": joined(lambda c: c["mentee_id"]),
        **{key: joined(lambda c, key=key: c[key][:levels])
           for key in ("pi_mentor", "pi_mentee", "pi_sink")},
        "types": table("types"), "groups": table("groups"),
    }


def _merge_levels(per_part: list[list[dict] | None], compiled: Compiled,
                  chosen: np.ndarray) -> list[dict]:
    """Lexicographic levels of independent components: values and bounds add up.

    Each component was optimised level by level on its own; as the levels
    are sums over pairs, the whole problem's optimum of each level is the sum
    of the components' (and a bound is a sum of bounds). A level is OPTIMAL
    only if it is in every component, OPTIMAL_GIVEN when every component has it
    OPTIMAL or OPTIMAL_GIVEN (optimal given the earlier levels' values), else
    FEASIBLE; its value is recomputed from the pairs.
    """
    out = []
    for i, level in enumerate(compiled.levels):
        rows = [rows_[i] if rows_ is not None and i < len(rows_) else None
                for rows_ in per_part]
        statuses = {r["status"] if r is not None else "UNKNOWN" for r in rows}
        value = None
        if level.kind == "linear" and level.coeff is not None:
            value = level.sign * float(level.coeff[chosen].sum()) / level.scale
        else:
            value = _sum_all([r["value"] if r is not None else None for r in rows])
        bound = _sum_all([r["bound"] if r is not None else None for r in rows])
        out.append({
            "level": i + 1, "name": level.name,
            "status": Status.OPTIMAL.value if statuses == {Status.OPTIMAL.value}
            else OPTIMAL_GIVEN if statuses <= {Status.OPTIMAL.value, OPTIMAL_GIVEN}
            else Status.FEASIBLE.value,
            "value": value,
            "bound": bound,
            "gap": gap_of(value, bound),
            "seconds": sum(r["seconds"] for r in rows if r is not None),
            "certified": all(r is not None and r.get("certified", False) for r in rows),
        })
    return out


def _sum_all(values: list[Any]) -> Any:
    """The sum of ``values`` when every one is known, else None (a bound or value of a whole
    made of parts: unknown as soon as one part's is).

    Example
    -------
    >>> from banghdai.solvers.parallel import _sum_all
    >>> _sum_all([1, 2]), _sum_all([1, None])
    (3, None)
    """
    return None if any(v is None for v in values) else sum(values)
