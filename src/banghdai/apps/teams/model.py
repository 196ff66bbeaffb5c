"""The CP-SAT model of team formation, one region at a time, and the assembly of the result.

:func:`_solve` cuts the spec into regions, gives each a share of the time
limit and solves it with :func:`_solve_region`, which screens the region
(:func:`_screen_region`), builds a :class:`_RegionModel` step by step
(teams, needs, pair scores, objective), hints it with the heuristic of
:mod:`.heuristic` and reads the teams and the proven bound back;
:func:`_collect` turns the regions' outcomes into a :class:`TeamResult`.

Example
-------
>>> import pandas as pd
>>> from banghdai.apps.teams import Teams
>>> from banghdai.apps.teams.model import _pair_scores
>>> spec = Teams(pd.DataFrame({"mentor_id": ["A"], "domains": ["党建;电商"]}),
...              pd.DataFrame({"mentee_id": ["E"], "domains": ["电商"]}), region=None)
>>> _pair_scores(spec).values.tolist()  # one shared tag, weight 1, in 1/100 units
[[0, 0, 100]]
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ...core import clock, interrupt
from ...core.geo import haversine_km
from ...core.status import Status, gap_of
from .heuristic import TeamList, _heuristic
from .result import SCALE, TEAM_COLUMNS, TeamResult

if TYPE_CHECKING:
    from .spec import Teams


# ----------------------------------------------------------------------------- model data
def _pair_scores(spec: Teams) -> pd.DataFrame:
    """Integer score per mentor–mentee pair of one region (nonzero only): m, e, score."""
    w = spec.objective
    mr, er = spec.mentor_region, spec.mentee_region
    parts = []
    if w["shared"]:
        mtag, etag = spec._tags(spec.mentor_table), spec._tags(spec.mentee_table)
        mtag["r"], etag["r"] = mr[mtag["row"].to_numpy()], er[etag["row"].to_numpy()]
        j = mtag.dropna(subset=["r"]).merge(etag.dropna(subset=["r"]), on=["r", "tag"],
                                            suffixes=("_m", "_e"))
        shared = j.groupby(["row_m", "row_e"]).size().rename("shared").reset_index()
        shared.columns = ["m", "e", "shared"]
        parts.append(shared)
    if w["km"]:
        left = pd.DataFrame({"m": np.arange(len(mr)), "r": mr}).dropna(subset=["r"])
        right = pd.DataFrame({"e": np.arange(len(er)), "r": er}).dropna(subset=["r"])
        allp = left.merge(right, on="r")[["m", "e"]]
        mf, ef = spec.mentors, spec.mentees
        m_idx, e_idx = allp["m"].to_numpy(), allp["e"].to_numpy()
        allp["km"] = haversine_km(
            pd.to_numeric(mf["lat"]).to_numpy(float)[m_idx],
            pd.to_numeric(mf["lon"]).to_numpy(float)[m_idx],
            pd.to_numeric(ef["lat"]).to_numpy(float)[e_idx],
            pd.to_numeric(ef["lon"]).to_numpy(float)[e_idx],
        )
        parts.append(allp)
    if not parts:
        return pd.DataFrame({"m": np.array([], np.int64), "e": np.array([], np.int64),
                             "score": np.array([], np.int64)})
    out = parts[0]
    for extra in parts[1:]:
        out = out.merge(extra, on=["m", "e"], how="outer")
    n_shared = out["shared"].fillna(0).to_numpy(float) if "shared" in out else 0.0
    km = out["km"].fillna(0).to_numpy(float) if "km" in out else 0.0
    out["score"] = np.rint(SCALE * (w["shared"] * n_shared - w["km"] * km)).astype(np.int64)
    out = out.loc[out["score"] != 0, ["m", "e", "score"]]
    return out.astype({"m": np.int64, "e": np.int64}).reset_index(drop=True)


def _need_offers(spec: Teams) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Mentee needs (e, tag) and which same-region mentors offer them (e, tag, m)."""
    if not (spec.cover_needs or spec.objective["covered"]):
        empty = pd.DataFrame({"e": np.array([], np.int64), "tag": np.array([], object)})
        return empty, empty.assign(m=np.array([], np.int64))
    mtag, etag = spec._tags(spec.mentor_table), spec._tags(spec.mentee_table)
    mtag["r"] = spec.mentor_region[mtag["row"].to_numpy()]
    etag["r"] = spec.mentee_region[etag["row"].to_numpy()]
    mtag = mtag[spec.capacity[mtag["row"].to_numpy()] > 0]
    needs = etag.rename(columns={"row": "e"})
    offers = needs.dropna(subset=["r"]).merge(mtag.dropna(subset=["r"]).rename(columns={"row": "m"}),
                                              on=["r", "tag"])
    return needs[["e", "tag"]], offers[["e", "tag", "m"]]


def _units(teams: TeamList, pairs: pd.DataFrame, needs: pd.DataFrame,
           offers: pd.DataFrame, covered_coef: int) -> int:
    """Integer objective (without placed) of a list of teams: pair scores plus covered needs."""
    if not teams:
        return 0
    member = pd.DataFrame([(k, m, e) for k, (ms, es) in enumerate(teams) for m in ms for e in es],
                          columns=["k", "m", "e"])
    total = int(member.merge(pairs, on=["m", "e"])["score"].sum()) if len(member) else 0
    if covered_coef:
        got = member.merge(offers, on=["m", "e"]).drop_duplicates(["e", "tag"])
        total += covered_coef * len(got)
    return total


# ----------------------------------------------------------------------------- one region
@dataclass
class _RegionOutcome:
    region: str
    status: Status
    mentors: int
    mentees: int
    teams: TeamList
    objective: int | None
    bound: int | None
    seconds: float
    reasons: dict[int, str]
    note: str | None = None
    placed_bound: int | None = None


#: Full-problem subsolvers, first ones first: with 2 workers CP-SAT runs max_lp plus LNS.
_SUBSOLVERS = ("max_lp", "default_lp", "no_lp", "quick_restart", "core", "pseudo_costs")

_CP_STATUS_NAMES = {"OPTIMAL": Status.OPTIMAL, "FEASIBLE": Status.FEASIBLE,
                    "INFEASIBLE": Status.INFEASIBLE, "UNKNOWN": Status.UNKNOWN}


def _screen_region(spec: Teams, mentors: np.ndarray, mentees: np.ndarray, needs: pd.DataFrame,
                   offers: pd.DataFrame, n_range: tuple[int, int | None],
                   reasons: dict[int, str]) -> tuple[np.ndarray, int, str]:
    """Before any model: which mentees can be placed, the most teams that can exist and why.

    Fills ``reasons`` for mentees that cannot join a team; ``mentors`` are
    those with capacity. Returns (placeable mask over ``mentees``, n_max, why).
    """
    lo_m, lo_e = spec.team_mentors[0], spec.team_mentees[0]
    cap = spec.capacity[mentors]
    # mentees whose needs no mentor of the region offers can join no team
    placeable = np.ones(mentees.size, dtype=bool)
    if spec.cover_needs and len(needs):
        pos = pd.Index(mentees)
        rn = needs[needs["e"].isin(mentees)]
        ro = offers[offers["e"].isin(mentees)].drop_duplicates(["e", "tag"])
        missing = rn.merge(ro, on=["e", "tag"], how="left", indicator=True)
        missing = missing[missing["_merge"] == "left_only"].drop_duplicates("e")
        for e, tag in zip(missing["e"].to_numpy(), missing["tag"].to_numpy(), strict=True):
            placeable[pos.get_loc(e)] = False
            reasons[int(e)] = f"no mentor of the region offers the need {tag!r}"
    # most teams that can exist, and why
    limits = [(int(placeable.sum()) // lo_e, f"{int(placeable.sum())} placeable mentees"),
              (int(cap.sum()) // lo_m, f"{int(cap.sum())} mentor places")]
    for comp in spec.composition:
        n = int(cap[comp.mask[mentors]].sum())
        limits.append((n // comp.count, f"{n} mentor places with {comp.column} = {comp.value!r}"))
        if n < comp.count:
            for e in mentees[placeable]:
                reasons.setdefault(int(e), f"the region lacks mentors with {comp.column} = "
                                           f"{comp.value!r}")
    if n_range[1] is not None:
        limits.append((n_range[1], f"n_teams at most {n_range[1]}"))
    n_max, why = min(limits, key=lambda lw: lw[0])
    if mentors.size == 0:
        for e in mentees:
            reasons.setdefault(int(e), "the region has no mentor")
    return placeable, max(0, n_max), why


class _RegionModel:
    """One region: its data (cheap, vectorised: enough for the heuristic, the objective of any
    teams and the trivial bound), then — with :meth:`build`, which checks the deadline as it
    grows — its CP-SAT model; local indices i (mentor), j (mentee), t (team).

    ``x[i][t]``: mentor i in team t; ``z[j][t]``: mentee j in team t (only
    t <= j: teams are ordered by their first mentee); ``u[t]``: team t exists.
    Call :meth:`heuristic` (data only), then :meth:`build`, :meth:`add_hint`, :meth:`solve`.
    """

    def __init__(self, spec: Teams, mentors: np.ndarray, mentees: np.ndarray,
                 n_range: tuple[int, int | None], n_max: int, needs: pd.DataFrame,
                 offers: pd.DataFrame, pairs: pd.DataFrame) -> None:
        self.spec = spec
        self.mentors, self.E = mentors, mentees
        self.cap = spec.capacity[mentors]
        self.forbid = spec.unmatched == "forbid"
        self.nE, self.nM, self.T = mentees.size, mentors.size, n_max
        self.n_range, self.n_lo = n_range, n_range[0]
        self.local_e, self.local_m = pd.Index(mentees), pd.Index(mentors)
        self.slots = np.minimum(self.T, np.arange(self.nE) + 1)  # team slots of mentee j
        self._needs_data(needs, offers)
        self._pair_data(pairs)
        self.placed_w = placed_w = spec.objective["placed"]
        big = (self.pos_total - self.neg_total + 1 if placed_w is None
               else int(round(SCALE * placed_w)))
        self.big = 0 if self.forbid else big
        self.model: Any = None  # the CP-SAT model, once built

    # ------------------------------------------------------------------ data
    def _needs_data(self, needs: pd.DataFrame, offers: pd.DataFrame) -> None:
        """Per mentee its needs' offering mentors, and the total of the cover terms."""
        spec = self.spec
        self.needs, self.offers = needs, offers
        self.need_rows: list[list[list[int]]] = [[] for _ in range(self.nE)]
        self.need_list: list[tuple[int, str, list[int]]] = []
        self.covered_coef = covered_coef = int(round(SCALE * spec.objective["covered"]))
        self.cover_total = 0
        if not (len(needs) and (spec.cover_needs or covered_coef)):
            return
        rn = needs[needs["e"].isin(self.E)]
        ro = offers[offers["e"].isin(self.E) & offers["m"].isin(self.mentors)]
        offer_sets = {k: self.local_m.get_indexer(g["m"].to_numpy()).tolist()
                      for k, g in ro.groupby(["e", "tag"])}
        for e, tag in zip(rn["e"].to_numpy(), rn["tag"].to_numpy(), strict=True):
            j = self.local_e.get_loc(e)
            ms = offer_sets.get((e, tag), [])
            self.need_rows[j].append(ms)
            self.need_list.append((j, tag, ms))
        if spec.cover_needs and covered_coef:  # a cover term per placement, k needs each
            j = self.local_e.get_indexer(rn["e"].to_numpy())
            self.cover_total = covered_coef * int(self.slots[j].sum())
        elif covered_coef:  # one per (need with an offer, team slot)
            self.cover_total = covered_coef * sum(int(self.slots[j]) for j, _, ms
                                                  in self.need_list if ms)

    def _pair_data(self, pairs: pd.DataFrame) -> None:
        """The pair scores of the region as a matrix, and their positive / negative totals."""
        self.pr = pr = pairs[pairs["e"].isin(self.E) & pairs["m"].isin(self.mentors)]
        self.W = np.zeros((self.nM, self.nE), dtype=np.int64)  # the pair score matrix
        if len(pr):
            self.W[self.local_m.get_indexer(pr["m"].to_numpy()),
                   self.local_e.get_indexer(pr["e"].to_numpy())] = pr["score"].to_numpy()
        self.pos_total = int(pr.loc[pr["score"] > 0, "score"].sum()) + self.cover_total
        self.neg_total = int(pr.loc[pr["score"] < 0, "score"].sum())

    # ------------------------------------------------------------------ model
    def build(self, deadline: float | None = None) -> None:
        """The CP-SAT model; :class:`~banghdai.core.clock.OutOfTime` once ``deadline`` (on
        :func:`banghdai.core.clock.now`) passes while it grows."""
        from ortools.sat.python import cp_model

        with clock.within(deadline):
            self.model = model = cp_model.CpModel()
            T = self.T  # noqa: N806 - the number of team slots
            self.x = [[model.new_bool_var(f"x{i}_{t}") for t in range(T)]
                      for i in range(self.nM)]
            clock.checkpoint("teams")
            self.z = []
            for j in range(self.nE):
                if j % 16 == 0:
                    clock.checkpoint("teams")
                self.z.append([model.new_bool_var(f"z{j}_{t}")
                               for t in range(int(self.slots[j]))])
            self.u = [model.new_bool_var(f"u{t}") for t in range(T)]
            clock.checkpoint("teams")
            self._add_teams(self.n_range)
            self.add_needs()
            self.add_pair_scores()
            self.set_objective()

    def _add_teams(self, n_range: tuple[int, int | None]) -> None:
        """Each mentee in at most (exactly) one team, capacities, team sizes, order, composition."""
        model, x, z, u, nM, T = self.model, self.x, self.z, self.u, self.nM, self.T  # noqa: N806
        lo_m, hi_m = self.spec.team_mentors
        lo_e, hi_e = self.spec.team_mentees
        team_mentees: list[list] = [[] for _ in range(T)]
        for j in range(self.nE):
            clock.checkpoint("teams")
            for t, var in enumerate(z[j]):
                team_mentees[t].append(var)
            if self.forbid:
                model.add_exactly_one(z[j])
            else:
                model.add_at_most_one(z[j])
            # symmetry: a mentee joins team t only if team t-1 already holds a smaller mentee
            for t in range(1, len(z[j])):
                if t % 8 == 0:
                    clock.checkpoint("teams")
                model.add(z[j][t] <= sum(z[k][t - 1] for k in range(t - 1, j)))
        for i in range(nM):
            model.add(sum(x[i]) <= int(self.cap[i]))
        for t in range(T):
            clock.checkpoint("teams")
            ze, xm = sum(team_mentees[t]), sum(x[i][t] for i in range(nM))
            model.add(ze >= lo_e * u[t])
            model.add(ze <= hi_e * u[t])
            model.add(xm >= lo_m * u[t])
            model.add(xm <= hi_m * u[t])
            if t:
                model.add_implication(u[t], u[t - 1])
        model.add(sum(u) >= n_range[0])
        for comp in self.spec.composition:
            idx = np.flatnonzero(comp.mask[self.mentors])
            for t in range(T):
                model.add(sum(x[i][t] for i in idx.tolist()) >= comp.count * u[t])

    def add_needs(self) -> None:
        """Coverage of needs: the team's mentors offer every need of each member (or score it)."""
        spec, model, x, z = self.spec, self.model, self.x, self.z
        self.cover_terms: list = []
        self.cover_vars: list = []
        covered_coef = self.covered_coef
        for j, tag, ms in self.need_list:
            clock.checkpoint("teams")
            for t in range(len(z[j])):
                offered = sum(x[i][t] for i in ms) if ms else 0
                if spec.cover_needs:
                    model.add(z[j][t] <= offered)
                elif covered_coef:
                    if not ms:
                        continue
                    c = model.new_bool_var(f"c{j}_{t}_{tag}")
                    model.add(c <= z[j][t])
                    model.add(c <= offered)
                    self.cover_terms.append((c, covered_coef))
                    self.cover_vars.append((c, j, t, ms))
        if spec.cover_needs and covered_coef and self.need_list:
            n_needs = pd.Series([j for j, _, _ in self.need_list]).value_counts()
            for need, times in zip(n_needs.index.tolist(), n_needs.tolist(), strict=True):
                for var in z[int(need)]:
                    self.cover_terms.append((var, covered_coef * int(times)))

    def add_pair_scores(self) -> None:
        """Pair scores: y = x AND z, only for nonzero scores, plus cuts that tighten the LP bound."""
        model, x, z, pr = self.model, self.x, self.z, self.pr
        hi_m, hi_e = self.spec.team_mentors[1], self.spec.team_mentees[1]
        self.fit_terms = list(self.cover_terms)
        per_mentee: dict[tuple[int, int], list] = {}
        per_mentor: dict[tuple[int, int], list] = {}
        self.pair_vars: list = []
        mi = self.local_m.get_indexer(pr["m"].to_numpy()).tolist()
        ej = self.local_e.get_indexer(pr["e"].to_numpy()).tolist()
        for n, (i, j, s) in enumerate(zip(mi, ej, pr["score"].to_numpy().tolist(), strict=True)):
            if n % 16 == 0:
                clock.checkpoint("teams")
            for t in range(len(z[j])):
                y = model.new_bool_var(f"y{i}_{j}_{t}")
                self.pair_vars.append((y, i, j, t))
                if s > 0:
                    model.add_implication(y, x[i][t])
                    model.add_implication(y, z[j][t])
                    per_mentee.setdefault((j, t), []).append(y)
                    per_mentor.setdefault((i, t), []).append(y)
                else:
                    model.add_bool_or([y, x[i][t].Not(), z[j][t].Not()])
                self.fit_terms.append((y, int(s)))
        # redundant cuts that tighten the LP bound of the pair terms
        for (j, t), ys in per_mentee.items():
            if len(ys) > hi_m:
                model.add(sum(ys) <= hi_m * z[j][t])
        for (i, t), ys in per_mentor.items():
            if len(ys) > hi_e:
                model.add(sum(ys) <= hi_e * x[i][t])

    def set_objective(self) -> None:
        """Maximise the fit terms plus ``big`` per placed mentee (lexicographic when placed=None)."""
        from ortools.sat.python import cp_model

        clock.checkpoint("teams")
        all_z = [v for row in self.z for v in row]
        obj = cp_model.LinearExpr.weighted_sum([v for v, _ in self.fit_terms],
                                               [c for _, c in self.fit_terms])
        if self.big:
            obj = obj + self.big * sum(all_z)
        self.model.maximize(obj)
        clock.checkpoint("teams")

    def heuristic(self, seed: int, seconds: float) -> TeamList | None:
        """Teams (local indices) from the alternating-assignment heuristic, or None."""
        spec = self.spec
        return _heuristic(
            self.W, [[np.isin(np.arange(self.nM), ms) for ms in rows] for rows in self.need_rows],
            [(comp.mask[self.mentors], comp.count) for comp in spec.composition], self.cap,
            spec.team_mentors, spec.team_mentees, self.n_lo, self.T, self.forbid,
            self.big if self.big else 0, self.covered_coef, spec.cover_needs, seed, seconds)

    def add_hint(self, teams: TeamList, deadline: float | None = None) -> None:
        """A complete hint from teams in local indices (renumbered by their first mentee)."""
        model, nM, nE, T = self.model, self.nM, self.nE, self.T  # noqa: N806
        teams_hint = sorted(teams, key=lambda team: min(team[1]))
        xin = np.zeros((nM, T), dtype=bool)
        zin = np.zeros((nE, T), dtype=bool)
        for t, (ms, es) in enumerate(teams_hint):
            xin[ms, t] = True
            zin[es, t] = True
        with clock.within(deadline):
            for i in range(nM):
                for t in range(T):
                    model.add_hint(self.x[i][t], bool(xin[i, t]))
            for j in range(nE):
                for t in range(len(self.z[j])):
                    model.add_hint(self.z[j][t], bool(zin[j, t]))
            for t in range(T):
                model.add_hint(self.u[t], t < len(teams_hint))
            for n, (y, i, j, t) in enumerate(self.pair_vars):
                if n % 4096 == 0:
                    clock.checkpoint("teams")
                model.add_hint(y, bool(xin[i, t] and zin[j, t]))
            for c, j, t, ms in self.cover_vars:
                model.add_hint(c, bool(zin[j, t] and xin[ms, t].any()))

    def startup(self) -> float:
        """Seconds CP-SAT takes to load and presolve the model before its limit counts (an
        estimate, as in the pairing backend: 4 µs per variable)."""
        return 4e-6 * len(self.model.proto.variables)

    def solve(self, seconds: float | None, seed: int, workers: int, log: bool) -> Any:
        """Run CP-SAT for at most ``seconds`` (None: no limit); returns the solver and its code.
        Ctrl-C stops the search and keeps what it found (see :func:`_search`)."""
        from ortools.sat.python import cp_model

        solver = cp_model.CpSolver()
        p = solver.parameters
        if seconds is not None:
            p.max_time_in_seconds = max(float(seconds), 0.05)
        p.random_seed = int(seed)
        p.num_workers = int(workers)
        p.log_search_progress = bool(log)
        p.catch_sigint_signal = False  # Ctrl-C is ours: it stops the search, see below
        if workers > 1:
            # max_lp's cuts give far better bounds on the pair terms than the default portfolio
            p.subsolvers.extend(_SUBSOLVERS)
        return solver, interrupt.stoppable(lambda: solver.solve(self.model), solver.stop_search)

    def teams_of(self, solver: Any) -> TeamList:
        """The teams of CP-SAT's solution, in table rows."""
        teams: TeamList = []
        for t in range(self.T):
            if not solver.boolean_value(self.u[t]):
                continue
            ms = [int(self.mentors[i]) for i in range(self.nM)
                  if solver.boolean_value(self.x[i][t])]
            es = [int(self.E[j]) for j in range(self.nE)
                  if t < len(self.z[j]) and solver.boolean_value(self.z[j][t])]
            teams.append((ms, es))
        return teams

    def rows_of(self, teams: TeamList) -> TeamList:
        """Teams in local indices as table rows."""
        return [([int(self.mentors[i]) for i in ms], [int(self.E[j]) for j in es])
                for ms, es in teams]

    def value(self, teams: TeamList) -> int:
        """The objective of the teams themselves (a pair variable may lag in a FEASIBLE answer)."""
        placed = sum(len(es) for _, es in teams)
        return _units(teams, self.pr, self.needs, self.offers, self.covered_coef) + self.big * placed

    def bounds(self, teams: TeamList, status: Status, raw: float) -> tuple[int, int, int | None]:
        """Objective, proven bound (placed excluded when lexicographic) and most placeable."""
        big, nE = self.big, self.nE  # noqa: N806
        placed = sum(len(es) for _, es in teams)
        value = self.value(teams)
        trivial = big * nE + self.pos_total
        bound = min(int(np.floor(raw + 1e-6)), trivial) if np.isfinite(raw) else trivial
        most = placed if status is Status.OPTIMAL else None
        if self.placed_w is None and not self.forbid:
            value -= big * placed
            most = max(placed, min(nE, bound // big)) if most is None else most
            bound = min(bound - big * placed, self.pos_total)
        bound = max(bound, value)
        if status is Status.OPTIMAL:
            bound = value
        if self.forbid:
            most = nE
        return value, bound, most


def _solve_region(
    spec: Teams,
    region: str,
    mentors: np.ndarray,
    mentees: np.ndarray,
    pairs: pd.DataFrame,
    needs: pd.DataFrame,
    offers: pd.DataFrame,
    n_range: tuple[int, int | None],
    deadline: float | None,
    seed: int,
    workers: int,
    log: bool,
) -> _RegionOutcome:
    """Screen, hint, model and solve one region by ``deadline`` (on
    :func:`banghdai.core.clock.now`; None: no limit).

    The heuristic runs first (on the region's data alone); the CP-SAT model is built and
    searched only in the time left, and a model that cannot be built, or started, in time
    leaves the heuristic's teams as the answer (FEASIBLE, with the trivial bound). Ctrl-C
    stops the search (or the building) the same way, and is noted in ``interrupted``.
    """
    started = time.perf_counter()
    hi_e = spec.team_mentees[1]
    forbid = spec.unmatched == "forbid"
    mentors = mentors[spec.capacity[mentors] > 0]
    reasons: dict[int, str] = {}
    note = None

    def done(status: Status, teams=(), obj=None, bnd=None) -> _RegionOutcome:
        return _RegionOutcome(region, status, int(mentors.size), int(mentees.size), list(teams),
                              obj, bnd, time.perf_counter() - started, reasons, note,
                              sum(len(es) for _, es in teams) if status is Status.OPTIMAL else None)

    placeable, n_max, why = _screen_region(spec, mentors, mentees, needs, offers, n_range, reasons)
    if n_max < n_range[0] or (forbid and not placeable.all()) or (
            forbid and n_max * hi_e < mentees.size):
        return done(Status.INFEASIBLE)
    if n_max == 0:
        return done(Status.OPTIMAL, obj=0, bnd=0)
    if n_max * hi_e < placeable.sum():
        note = f"left out: at most {n_max} teams of at most {hi_e} mentees fit ({why})"

    rm = _RegionModel(spec, mentors, mentees[placeable], n_range, n_max, needs, offers, pairs)
    # a complete answer first, from a fast alternating-assignment heuristic
    budget = clock.left(deadline)
    heuristic = rm.heuristic(seed, 1.0 if budget is None else min(1.0, 0.1 * budget))
    solver = code = None
    if not interrupt.requested():
        try:  # Ctrl-C while building: the heuristic's teams stand
            with interrupt.watching(raising=True):
                rm.build(deadline)
                if heuristic is not None:
                    rm.add_hint(heuristic, deadline)
                left = clock.left(deadline)
                if left is not None and left < rm.startup() + 0.05:
                    raise clock.OutOfTime("teams")  # CP-SAT could not even start in time
        except (clock.OutOfTime, KeyboardInterrupt):
            pass
        else:
            left = clock.left(deadline)
            solver, code = rm.solve(None if left is None else left - rm.startup(), seed,
                                    workers, log)
    if solver is None:  # no search: the heuristic's teams (checked) or nothing
        if heuristic is None:
            return done(Status.UNKNOWN)
        found = rm.rows_of(heuristic)
        value, bound, most = rm.bounds(found, Status.FEASIBLE, float("inf"))
        outcome = done(Status.FEASIBLE, found, value, bound)
        outcome.placed_bound = most
        return outcome
    status = _CP_STATUS_NAMES.get(solver.status_name(code))
    if status is None:
        raise RuntimeError(f"CP-SAT returned {solver.status_name(code)} for region {region!r}")
    teams: TeamList = []
    if status.has_solution:
        teams = rm.teams_of(solver)
    elif heuristic is not None and status is Status.UNKNOWN:
        status = Status.FEASIBLE  # time ran out in CP-SAT: the checked hint is the answer
    else:
        return done(status)
    if heuristic is not None:
        hinted = rm.rows_of(heuristic)
        if not teams or rm.value(hinted) > rm.value(teams):
            teams = hinted
    value, bound, most = rm.bounds(teams, status, solver.best_objective_bound)
    outcome = done(status, teams, value, bound)
    outcome.placed_bound = most
    return outcome


# ----------------------------------------------------------------------------- all regions
def _solve(spec: Teams, *, time_limit: float | None, seed: int, workers: int,
           log: bool) -> TeamResult:
    """Solve region after region, each by a deadline that gives it a share of the time left
    (in proportion to its size, its model building included). Ctrl-C keeps the regions done
    and the best teams of the one in progress; the regions not started are UNKNOWN."""
    started = time.perf_counter()
    deadline = clock.deadline_in(time_limit)
    with interrupt.watching(raising=False) as watch:
        pairs = _pair_scores(spec)
        needs, offers = _need_offers(spec)
        regions = spec.region_values
        m_groups = pd.Series(np.arange(len(spec.mentor_table))).groupby(
            pd.Series(spec.mentor_region, dtype=object)).apply(lambda s: s.to_numpy())
        e_groups = pd.Series(np.arange(len(spec.mentee_table))).groupby(
            pd.Series(spec.mentee_region, dtype=object)).apply(lambda s: s.to_numpy())
        empty = np.array([], dtype=np.int64)
        work = {r: (m_groups.get(r, empty), e_groups[r]) for r in regions}
        weight = {r: 1 + len(e) * max(1, len(m)) for r, (m, e) in work.items()}
        left = float(sum(weight.values()))
        outcomes: list[_RegionOutcome] = []
        for r in regions:
            m, e = work[r]
            if watch.requested:  # Ctrl-C: no further region is started; with unplaced mentees
                # allowed, a region left out is a valid answer (no teams there), else UNKNOWN
                allowed = spec.unmatched != "forbid"
                outcomes.append(_RegionOutcome(
                    r, Status.FEASIBLE if allowed else Status.UNKNOWN, int(m.size),
                    int(e.size), [], 0 if allowed else None, None, 0.0, {},
                    "not solved: interrupted (Ctrl-C) before this region was started"))
                continue
            region_deadline = None
            if deadline is not None:
                region_deadline = clock.now() + max(deadline - clock.now(), 0.0) * weight[r] / left
            left -= weight[r]
            outcomes.append(_solve_region(spec, r, m, e, pairs, needs, offers, spec.n_teams[r],
                                          region_deadline, seed, workers, log))
        info = {"seed": seed, "workers": workers, "time_limit": time_limit,
                "interrupted": watch.requested}
        return _collect(spec, outcomes, time.perf_counter() - started, info)


def _overall_status(spec: Teams, outcomes: list[_RegionOutcome], info: dict[str, Any]) -> Status:
    """The worst region status; INFEASIBLE when a mentee without region must be placed."""
    statuses = [o.status for o in outcomes]
    if Status.INFEASIBLE in statuses:
        status = Status.INFEASIBLE
    elif Status.UNKNOWN in statuses:
        status = Status.UNKNOWN
    elif Status.FEASIBLE in statuses:
        status = Status.FEASIBLE
    else:
        status = Status.OPTIMAL
    if spec.unmatched == "forbid" and any(k is None for k in spec.mentee_region):
        status = Status.INFEASIBLE
        info["reason"] = "a mentee has no region value, so it can join no team"
    return status


def _region_row(label: object, o: _RegionOutcome, n_placed: int) -> dict[str, Any]:
    objective = None if o.objective is None else o.objective / SCALE
    bound = None if o.bound is None else o.bound / SCALE
    return {
        "region": label, "status": o.status.value, "mentors": o.mentors,
        "mentees": o.mentees, "teams": len(o.teams), "placed": n_placed,
        "placed_bound": o.placed_bound if o.status.has_solution else None,
        "objective": objective, "bound": bound, "gap": gap_of(objective, bound),
        "seconds": round(o.seconds, 3),
    }


def _unplaced(spec: Teams, outcomes: list[_RegionOutcome], status: Status,
              placed_rows: set[int]) -> pd.DataFrame:
    """One row per mentee in no team, with the reason."""
    has = status.has_solution
    reason = {}
    by_region = {o.region: o for o in outcomes}
    for j, r in enumerate(spec.mentee_region):
        if has and j in placed_rows:
            continue
        if r is None:
            reason[j] = "no region value"
            continue
        o = by_region[r]
        if j in o.reasons:
            reason[j] = o.reasons[j]
        elif not o.status.has_solution:
            reason[j] = f"no teams: the region is {o.status.value}"
        elif not has:
            reason[j] = f"no teams: another region is {status.value}"
        elif o.note:
            reason[j] = o.note
        else:
            reason[j] = "left out: team sizes and composition rules leave no room"
    idx = np.array(sorted(reason), dtype=np.int64)
    unplaced = pd.DataFrame({
        "mentee_id": spec.mentee_table.ids[idx] if idx.size else np.array([], dtype=object),
        "region": spec.mentee_region[idx] if idx.size else np.array([], dtype=object),
        "reason": [reason[j] for j in idx.tolist()],
    })
    if spec.region is None:
        unplaced["region"] = None
    return unplaced


def _collect(spec: Teams, outcomes: list[_RegionOutcome], seconds: float,
             info: dict[str, Any]) -> TeamResult:
    """The :class:`TeamResult` of all regions: teams by id, unplaced mentees, per-region table."""
    status = _overall_status(spec, outcomes, info)
    mt_ids, et_ids = spec.mentor_table.ids, spec.mentee_table.ids
    rows: list[tuple] = []
    placed_rows: set[int] = set()
    region_rows = []
    for o in outcomes:
        label = o.region if spec.region is not None else None
        n_placed = 0
        for k, (ms, es) in enumerate(o.teams, start=1):
            rows.extend((label, k, mt_ids[i], "mentor") for i in ms)
            rows.extend((label, k, et_ids[j], "mentee") for j in es)
            placed_rows.update(es)
            n_placed += len(es)
        region_rows.append(_region_row(label, o, n_placed))
    has = status.has_solution
    teams = pd.DataFrame(rows if has else [], columns=TEAM_COLUMNS)
    teams["team"] = teams["team"].astype(np.int64)
    unplaced = _unplaced(spec, outcomes, status, placed_rows)
    objective = bound = gap = None
    if has:
        objective = sum(o.objective or 0 for o in outcomes) / SCALE
        bounds = [o.bound for o in outcomes if o.bound is not None]
        bound = None if len(bounds) < len(outcomes) else sum(bounds) / SCALE
        gap = gap_of(objective, bound)
    regions = pd.DataFrame(region_rows, columns=["region", "status", "mentors", "mentees", "teams",
                                                 "placed", "placed_bound", "objective", "bound",
                                                 "gap", "seconds"])
    return TeamResult(status, teams, unplaced, regions, objective, bound, gap,
                      len(placed_rows) if has else 0, seconds, spec, info)
