"""Why the hard rules cannot all hold: conflicting rule groups, in planner words.

:func:`explain` puts the rules of the diagnostic model (:mod:`.diagnostic`)
behind CP-SAT assumption literals, shrinks each conflict by deletion, drills
region groups down to the people in them and, with ``relax``, hands over to the
cheapest relaxation (:mod:`.relax`). Large problems with a required
``SameRegion`` are diagnosed region by region.

Example
-------
>>> import pandas as pd, banghdai as bd
>>> mentors = pd.DataFrame({"mentor_id": ["M1"], "county": ["A"], "capacity": [1]})
>>> mentees = pd.DataFrame({"mentee_id": ["E1", "E2"], "county": ["A", "A"]})
>>> p = bd.Problem(mentors, mentees, pairing=bd.OneToMany("capacity", unmatched="forbid"))
>>> ex = bd.explain(p.require(bd.SameRegion("county")), lang="zh")
>>> print(ex)
不可行：1组最小冲突规则
  1. A导师的帮带容量（1）< 当地必须结对的帮带对象所需导师名额（2）
>>> ex.conflicts[["kind", "subject"]].values.tolist()
[['capacity', 'A'], ['must', 'A']]
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from ortools.sat.python import cp_model

from ..compile.split import _sub_table
from ..core import interrupt
from ..core.ids import ids_as_str, value_keys
from ..core.messages import register, text
from ..data.schema import pair_table
from ..model.rules import SameRegion
from .check import _pair_detail, check
from .common import copy_problem
from .diagnostic import _SPECIFIC, _Diag, _diagnostic, _Group
from .relax import _relaxation
from .words import _check_lang, _named, _quote

if TYPE_CHECKING:
    from ..model.problem import Problem
    from ..result import Result


# --------------------------------------------------------------------------- in planner words
def _describe(d: _Diag, g: _Group) -> tuple[str, str]:
    """(description, suggestion) of one rule group in planner words."""
    lang, level = d.lang, d.level

    def say(code: str, **params: object) -> str:
        return text(f"conflict.{code}", lang, **params)

    where = g.subject if level else say("everywhere")
    if g.kind == "capacity":
        return say("capacity", where=where, cap=g.data["cap"]), say("capacity_fix", where=where)
    if g.kind == "mentor_cap":
        name = _named(d.compiled.mentors, g.data["row"])
        return say("mentor_cap", name=name, cap=g.data["cap"]), say("mentor_cap_fix", name=name)
    if g.kind == "must":
        return (say("must", where=where, need=g.data["need"]),
                say("must_fix", where=where, setting="unmatched='allow'"))
    if g.kind == "at_most":
        return say("at_most", where=where), say("at_most_fix")
    if g.kind == "mentee":
        rule = g.data["rule"]
        after = (say("none_after", rule=_quote(rule, lang)) if g.data["deg"] == 0 and rule
                 else "")
        who = _named(d.compiled.mentees, g.data["row"]) if "row" in g.data else g.subject
        desc = say("mentee_must" if d.compiled.must_match else "mentee_most", who=who,
                   need=g.data["need"], deg=g.data["deg"], after=after)
        fix = say("mentee_rule_fix", rule=_quote(rule, lang)) if rule else say("mentee_fix")
        return desc, fix
    if g.kind == "mentor":
        name = _named(d.compiled.mentors, g.data["row"])
        return (say("mentor", name=name, lo=g.data["lo"], deg=g.data["deg"]),
                say("mentor_fix", name=name))
    if g.kind == "min_load":
        return say("min_load", where=where, lo=g.data["lo"]), say("min_load_fix", where=where)
    if g.kind == "fixed":
        return say("fixed", pair=_pair_named(d, g)), say("fixed_fix")
    if g.kind == "rule":
        rule = _quote(g.subject, lang)
        return say("rule", rule=rule), say("rule_fix", rule=rule)
    label = g.data.get("label", "")
    said = g.subject if g.subject != label else ""
    return (say("labelled", label=label, text=said) if said else label,
            say("soften", label=label))


def _pair_named(d: _Diag, g: _Group) -> str:
    """'(M1 张三, E1 王五)': a fixed pair with the names the roster gives."""
    c = d.compiled
    return f"({_named(c.mentors, g.data['m'])}, {_named(c.mentees, g.data['e'])})"


def _sentence(d: _Diag, core: list[_Group]) -> str:
    """One sentence for a conflict, in planner terms."""
    lang = d.lang
    kinds = sorted(g.kind for g in core)
    if kinds == ["capacity", "must"] and core[0].subject == core[1].subject:
        cap = next(g for g in core if g.kind == "capacity").data["cap"]
        need = next(g for g in core if g.kind == "must").data["need"]
        where = core[0].subject if d.level else text("conflict.everywhere", lang)
        return text("conflict.short" if cap < need else "conflict.hall", lang, where=where,
                    cap=cap, need=need)
    if len(core) == 1:
        return _describe(d, core[0])[0]
    if kinds == ["fixed", "rule"]:
        f = next(g for g in core if g.kind == "fixed")
        broken = next(g for g in core if g.kind == "rule")
        rule = broken.subject
        detail = _pair_detail(d.problem, f.data["m"], f.data["e"], broken.data.get("rule"),
                              lang)
        return text("conflict.fixed_breaks", lang, pair=_pair_named(d, f),
                    rule=_quote(rule, lang), detail=detail)
    parts = text("conflict.sep", lang).join(_describe(d, g)[0] for g in core)
    return text("conflict.together", lang, parts=parts)


def _solver(time_limit: float, seed: int):
    """A CP-SAT solver for assumption cores: one worker, presolve off, LP from the start."""
    solver = cp_model.CpSolver()
    p = solver.parameters
    p.num_workers = 1
    p.cp_model_presolve = False
    p.linearization_level = 2  # enforced (assumption) constraints enter the LP too ...
    p.add_lp_constraints_lazily = False  # ... from the start: Hall-type shortages at the root
    p.random_seed = int(seed)
    p.max_time_in_seconds = max(float(time_limit), 0.01)
    p.catch_sigint_signal = False  # Ctrl-C is ours: it stops the search (interrupt.stoppable)
    return solver


#: Drill a region group of a conflict down to single mentors / mentees when at most this
#: many of them are involved (more reads better as the region).
_DRILL_MAX = 3


class _ConflictSearch:
    """Conflicting sets of groups of one diagnostic model, found within ``time_limit``.

    Every group is posted once behind its own literal; each question is a solve
    under assumptions (the active groups' literals).
    """

    def __init__(self, d: _Diag, time_limit: float, seed: int) -> None:
        self.start = time.perf_counter()
        self.d, self.time_limit, self.seed = d, time_limit, seed
        self.model = cp_model.CpModel()
        x = [self.model.new_bool_var("") for _ in range(d.em.size)]
        self.lits = []
        for k, g in enumerate(d.groups):
            lit = self.model.new_bool_var(f"g{k}")
            g.post(self.model, x, lit)
            self.lits.append(lit)
        self.index = {lit.index: k for k, lit in enumerate(self.lits)}
        self.children: dict[int, list[int]] = {}
        for k, g in enumerate(d.groups):
            if g.parent is not None:
                self.children.setdefault(g.parent, []).append(k)
        self.minimal = True  # every deletion test answered so far

    def left(self) -> float:
        if interrupt.requested():  # Ctrl-C: ask nothing more, keep what was found
            return 0.0
        return self.time_limit - (time.perf_counter() - self.start)

    def run(self, active: list[int]) -> tuple[str, list[int]]:
        """Solve with the ``active`` groups on.

        Returns ``('infeasible', core)``, ``('feasible', [])`` or ``('unknown', [])``.
        """
        self.model.clear_assumptions()
        self.model.add_assumptions([self.lits[k] for k in active])
        solver = _solver(self.left(), self.seed)
        code = interrupt.stoppable(lambda: solver.solve(self.model), solver.stop_search)
        if code == cp_model.INFEASIBLE:
            core = [self.index[i] for i in solver.sufficient_assumptions_for_infeasibility()
                    if i in self.index]
            return "infeasible", core or list(active)
        if code in (cp_model.FEASIBLE, cp_model.OPTIMAL):
            return "feasible", []
        return "unknown", []

    def shrink(self, core: list[int], candidates: set[int]) -> list[int]:
        """Delete each of ``candidates`` from ``core`` whose removal keeps it infeasible."""
        i = 0
        while i < len(core):
            if core[i] not in candidates:
                i += 1
                continue
            if self.left() <= 0:
                self.minimal = False
                break
            trial = core[:i] + core[i + 1:]
            state, sub = self.run(trial)
            if state == "infeasible":
                inner = set(sub)
                core = [k for k in trial if k in inner]
            else:
                self.minimal = self.minimal and state == "feasible"
                i += 1
        return core

    def drill(self, core: list[int]) -> list[int]:
        """Replace a region group of ``core`` by the few people in it that conflict."""
        children = self.children
        for k in [k for k in core if k in children]:
            if self.left() <= 0:
                break
            rest = [q for q in core if q != k]
            state, sub = self.run(rest + children[k])
            kids = [q for q in sub if q in set(children[k])]
            if state != "infeasible" or len(kids) > 4 * _DRILL_MAX:
                continue
            inner = set(sub)
            trial = [q for q in rest if q in inner] + kids
            trial = self.shrink(trial, set(kids))
            n_kids = sum(q in set(children[k]) for q in trial)
            if n_kids <= _DRILL_MAX and n_kids < len(children[k]):
                core = trial
        return core

    def find(self, max_conflicts: int) -> tuple[list[list[int]], bool | None, bool]:
        """Conflicts one after the other, switching off the most specific group of each."""
        groups = self.d.groups
        active = [k for k, g in enumerate(groups) if g.parent is None]
        conflicts: list[list[int]] = []
        state, core = self.run(active)
        feasible: bool | None = {"feasible": True, "infeasible": False}.get(state)
        while state == "infeasible" and len(conflicts) < max_conflicts:
            keep = set(core)
            core = [k for k in active if k in keep]
            core = self.drill(self.shrink(core, set(core)))
            conflicts.append(core)
            if self.left() <= 0:
                break
            drop = min(core, key=lambda k: _SPECIFIC.index(groups[k].kind)
                       if groups[k].kind in _SPECIFIC else len(_SPECIFIC))
            parent = groups[drop].parent
            if parent is not None and parent in active:
                active = [k for k in active if k != parent] + self.children[parent]
            active = [k for k in active if k != drop]
            state, core = self.run(active)
            if state == "unknown":
                self.minimal = False
        return conflicts, feasible, self.minimal


def _find_conflicts(d: _Diag, time_limit: float, seed: int, max_conflicts: int):
    """Conflicting sets of groups (indices), each shrunk by deletion.

    Returns ``(conflicts, feasible, minimal)``: ``feasible`` is True when all groups
    hold together, False when proven not, None when time ran out first; ``minimal``
    says every deletion test was answered.
    """
    return _ConflictSearch(d, time_limit, seed).find(max_conflicts)


# --------------------------------------------------------------------------- explain
@dataclass(eq=False)
class Explanation:
    """What :func:`explain` found.

    Attributes
    ----------
    feasible
        True when every hard rule can hold together, False when proven not,
        None when time ran out.
    conflicts
        DataFrame, one row per rule group in a conflict: ``conflict`` (number),
        ``kind``, ``subject``, ``rule`` (the group in planner words) and
        ``suggestion``.
    messages
        One sentence per conflict.
    minimal
        True when each conflict was shrunk by deletion until removing any group
        makes the rest feasible (a minimal conflicting set).
    findings
        The cheap :func:`check` findings.
    seconds, timings
        Wall time, and per phase: ``check``, ``conflicts`` (diagnostic model,
        cores, deletion), ``relax`` (cheapest relaxation and solving it).
    relaxations, relaxed_problem, result
        With ``relax=True``: every relaxation applied (``kind``, ``region``,
        ``subject``, ``amount``, ``message``), the relaxed :class:`Problem` and its
        solved :class:`Result` (``result.pairs`` satisfies the relaxed problem).
    interrupted
        True when Ctrl-C stopped the diagnosis: what was found until then is kept
        (``feasible`` None when not even the first question was answered, ``minimal``
        False when a shrinking was cut short, no relaxation searched after it).

    Example
    -------
    >>> import pandas as pd, banghdai as bd
    >>> p = bd.Problem(pd.DataFrame({"mentor_id": ["M"]}), pd.DataFrame({"mentee_id": ["E"]}))
    >>> bd.explain(p).feasible
    True
    """

    feasible: bool | None
    conflicts: pd.DataFrame
    messages: list[str]
    minimal: bool
    findings: pd.DataFrame
    seconds: float
    relaxations: pd.DataFrame | None = None
    relaxed_problem: Problem | None = None
    result: Result | None = None
    lang: str = "en"
    timings: dict[str, float] = field(default_factory=dict)
    interrupted: bool = False

    @property
    def pairs(self) -> pd.DataFrame | None:
        """The relaxed solution's pairs (``None`` without ``relax=True``)."""
        return None if self.result is None else self.result.pairs

    def __str__(self) -> str:
        lang = self.lang
        if self.feasible:
            head = text("conflict.feasible", lang)
        elif self.feasible is None:
            head = text("conflict.unknown", lang)
        else:
            head = text("conflict.infeasible_minimal" if self.minimal else "conflict.infeasible",
                        lang, n=len(self.messages))
        lines = [head, *[f"  {i + 1}. {m}" for i, m in enumerate(self.messages)]]
        if self.interrupted:
            lines.insert(0, text("explain.interrupted", lang))
        if self.relaxations is not None and len(self.relaxations):
            lines.append(text("conflict.cheapest", lang))
            lines += [f"  - {m}" for m in self.relaxations["message"]]
        return "\n".join(lines)

    def __repr__(self) -> str:
        return (f"Explanation(feasible={self.feasible}, conflicts={len(self.messages)}, "
                f"minimal={self.minimal}, seconds={self.seconds:.2f})")



def explain(
    problem: Problem,
    relax: bool | Mapping[str, float | None] = False,
    *,
    lang: str = "en",
    time_limit: float = 10.0,
    seed: int = 0,
    max_conflicts: int = 5,
) -> Explanation:
    """Say why the hard rules cannot all hold, and optionally the cheapest way out.

    The rules are put into named groups — capacity of each region's mentors,
    mentees that must be matched in each region (one group per mentee short of
    candidates), each fixed pair, the edge rules a fixed pair breaks, minimum
    loads, and each part of a group rule — each behind an assumption literal of
    a diagnostic CP-SAT model (one worker, presolve off, so the core is not
    over-reported). The core is shrunk by deletion; then the most specific group
    of it is switched off to look for further independent conflicts (at most
    ``max_conflicts``). A large problem (over ``REGION_SPLIT_SIZE`` people)
    with a required ``SameRegion`` is diagnosed region by region, each with a
    share of the time, when no fixed pair or bounded quota group crosses
    regions (then ``timings["regions"]`` says how many); with ``relax`` it is
    diagnosed whole.

    ``relax=True`` (or a mapping of unit costs per kind: ``unmatched``,
    ``capacity``, ``min_load``, ``fixed``, ``group``; ``None`` forbids a kind)
    also finds the cheapest relaxation — fewest unmatched mentor places, extra
    capacity, lowered minimum loads, dropped fixed pairs (a fixed pair that
    breaks an edge rule is always dropped) — breaks ties by coverage and then the
    problem's own objective, builds the relaxed problem and solves it. Pure
    problems are relaxed exactly by one min-cost flow with elastic arcs; others by
    CP-SAT (cost first, then coverage and objective as a tie-break within a
    tenth of ``time_limit``).

    Example
    -------
    >>> import pandas as pd, banghdai as bd
    >>> mentors = pd.DataFrame({"mentor_id": ["M1"], "capacity": [1]})
    >>> mentees = pd.DataFrame({"mentee_id": ["E1", "E2"]})
    >>> p = bd.Problem(mentors, mentees, pairing=bd.OneToMany("capacity", unmatched="forbid"))
    >>> ex = bd.explain(p, relax=True)
    >>> ex.feasible, ex.relaxations["kind"].tolist(), len(ex.pairs)
    (False, ['capacity'], 2)

    Ctrl-C returns at the next safe point instead of raising, with what was found so far
    and ``interrupted`` True.
    """
    with interrupt.watching(raising=False) as watch:
        out = _explain(problem, relax, lang=lang, time_limit=time_limit, seed=seed,
                       max_conflicts=max_conflicts)
    out.interrupted = out.interrupted or watch.requested
    return out


def _explain(problem: Problem, relax: bool | Mapping[str, float | None], *, lang: str,
             time_limit: float, seed: int, max_conflicts: int) -> Explanation:
    _check_lang(lang)
    start = time.perf_counter()
    findings = check(problem, lang)
    t_check = time.perf_counter() - start
    relaxing = relax is not False and relax is not None
    regions = None if relaxing else _by_region(problem)
    if regions:
        return _explain_regions(problem, regions, findings, lang, time_limit, seed,
                                max_conflicts, start, t_check)
    d = _diagnostic(problem, lang)
    budget = max(time_limit - (time.perf_counter() - start), 0.5)
    conflicts, feasible, minimal = _find_conflicts(d, budget, seed, max_conflicts)
    t_conflicts = time.perf_counter() - start - t_check
    rows: list[dict[str, Any]] = []
    messages: list[str] = []
    _add_conflicts(d, conflicts, rows, messages)
    table = pd.DataFrame(rows, columns=CONFLICT_COLUMNS)
    out = Explanation(feasible=feasible, conflicts=table, messages=messages,
                      minimal=bool(minimal and conflicts), findings=findings, seconds=0.0,
                      lang=lang)
    if relaxing and not interrupt.requested():
        found = _relaxation(d, relax if isinstance(relax, Mapping) else {}, feasible,
                            time_limit, seed)
        if found is not None:
            out.relaxations, out.relaxed_problem, out.result = found
    out.seconds = time.perf_counter() - start
    out.timings = {"check": t_check, "conflicts": t_conflicts,
                   "relax": out.seconds - t_check - t_conflicts}
    return out


CONFLICT_COLUMNS = ["conflict", "kind", "subject", "rule", "suggestion"]

register("explain.interrupted", en="interrupted (Ctrl-C): what was found until then",
         zh="已中断（Ctrl-C）：以下为中断前找到的结果")


def _add_conflicts(d: _Diag, conflicts: list[list[int]], rows: list, messages: list) -> None:
    """Append one sentence per conflict to ``messages`` and one row per group to ``rows``,
    numbering the conflicts on from those already there."""
    for core in conflicts:
        groups = [d.groups[k] for k in core]
        messages.append(_sentence(d, groups))
        for g in groups:
            desc, fix = _describe(d, g)
            rows.append({"conflict": len(messages), "kind": g.kind, "subject": g.subject,
                         "rule": desc, "suggestion": fix})


# --------------------------------------------------------------------------- by region
#: Problems with more people than this are diagnosed region by region when they can be.
REGION_SPLIT_SIZE = 1000


def _by_region(problem: Problem) -> list[Problem] | None:
    """The problem cut into its regions, when that changes no hard rule; else None.

    Only for large problems (over ``REGION_SPLIT_SIZE`` people): with a required
    ``SameRegion(level)`` no candidate pair crosses a region, so each region's
    conflicts are its own — provided every row has a region, every fixed pair
    lies inside one, and every bounded quota group does too.
    """
    n_m, n_e = len(problem.mentor_table), len(problem.mentee_table)
    levels = [r.level for r in problem.edge_rules if isinstance(r, SameRegion)]
    if n_m + n_e <= REGION_SPLIT_SIZE or not levels:
        return None
    level = levels[0]
    reg_m = value_keys(problem.mentors[level])
    reg_e = value_keys(problem.mentees[level])
    if any(v is None for v in reg_m) or any(v is None for v in reg_e):
        return None
    names = sorted(set(reg_m.tolist()) | set(reg_e.tolist()))
    if len(names) < 2:
        return None
    for rule in problem.fixed:
        m, e = pair_table(rule.table, "fixed", problem.mentor_table, problem.mentee_table,
                          rule.mentor, rule.mentee)
        if (reg_m[m] != reg_e[e]).any():
            return None
    for rule in problem.group_rules:
        if rule.key == "quota" and (rule.min is not None or rule.max is not None):
            frame, reg = ((problem.mentors, reg_m) if rule.side == "mentor"
                          else (problem.mentees, reg_e))
            groups = pd.DataFrame({"g": value_keys(frame[rule.column]), "r": reg})
            if (groups.dropna().groupby("g")["r"].nunique() > 1).any():
                return None
    return [_sub_problem(problem, np.flatnonzero(reg_m == name), np.flatnonzero(reg_e == name))
            for name in names]


def _sub_problem(problem: Problem, rows_m: np.ndarray, rows_e: np.ndarray) -> Problem:
    """``problem`` on some mentor and mentee rows; pair tables keep only their pairs."""
    sub = copy_problem(problem)
    sub.mentor_table = _sub_table(problem.mentor_table, rows_m)
    sub.mentee_table = _sub_table(problem.mentee_table, rows_e)
    keep_m = np.zeros(len(problem.mentor_table), dtype=bool)
    keep_m[rows_m] = True
    keep_e = np.zeros(len(problem.mentee_table), dtype=bool)
    keep_e[rows_e] = True

    def inside(rule):
        table = getattr(rule, "table", None)
        if table is None or not hasattr(rule, "mentor"):
            return rule
        m = pd.Index(problem.mentor_table.ids).get_indexer(ids_as_str(table[rule.mentor]))
        e = pd.Index(problem.mentee_table.ids).get_indexer(ids_as_str(table[rule.mentee]))
        ok = (m >= 0) & (e >= 0)
        ok[ok] = keep_m[m[ok]] & keep_e[e[ok]]
        return replace(rule, table=table[ok].reset_index(drop=True))

    for key in ("edge_rules", "group_rules", "scores", "fixed"):
        setattr(sub, key, [inside(r) for r in getattr(sub, key)])
    sub.levels = []  # explain checks the hard rules only
    return sub


def _explain_regions(problem: Problem, regions: list[Problem],
                     findings: pd.DataFrame, lang: str, time_limit: float, seed: int,
                     max_conflicts: int, start: float, t_check: float) -> Explanation:
    """Diagnose each region on its own (a share of the time each) and gather the conflicts."""
    rows: list[dict[str, Any]] = []
    messages: list[str] = []
    states: list[bool | None] = []
    minimal = True
    total = sum(len(p.mentor_table) + len(p.mentee_table) for p in regions)
    for sub in regions:
        if interrupt.requested():
            states.append(None)
            minimal = False
            break
        left = max(time_limit - (time.perf_counter() - start), 0.5)
        size = len(sub.mentor_table) + len(sub.mentee_table)
        budget = max(left * size / max(total, 1), 0.5)
        total -= size
        d = _diagnostic(sub, lang)
        conflicts, feasible, is_min = _find_conflicts(d, budget, seed,
                                                      max_conflicts - len(messages))
        states.append(feasible)
        minimal = minimal and is_min
        _add_conflicts(d, conflicts, rows, messages)
        if len(messages) >= max_conflicts:
            break
    feasible = (False if False in states else
                True if len(states) == len(regions) and all(states) else None)
    table = pd.DataFrame(rows, columns=CONFLICT_COLUMNS)
    out = Explanation(feasible=feasible, conflicts=table, messages=messages,
                      minimal=bool(minimal and messages), findings=findings, seconds=0.0,
                      lang=lang)
    out.seconds = time.perf_counter() - start
    out.timings = {"check": t_check, "conflicts": out.seconds - t_check, "relax": 0.0,
                   "regions": len(regions)}
    return out
