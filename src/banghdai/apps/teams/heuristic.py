"""Good feasible teams fast, to hint the CP-SAT model of a region.

Alternates two exact assignment steps (scipy's ``linear_sum_assignment``)
from random starts: mentors to the teams of fixed mentee groups (slots
reserved for required types and minimum sizes), then mentees to the teams of
fixed mentor groups (a mentee only where its needs are covered). Every
candidate is checked against all rules and scored exactly; the best wins.
Everything here works on local indices (rows and columns of the score
matrix ``W``, mentors × mentees).

Example
-------
>>> import numpy as np
>>> from banghdai.apps.teams.heuristic import _heuristic
>>> W = np.array([[5, 0], [0, 5]])  # mentor 0 suits mentee 0, mentor 1 mentee 1
>>> sorted(_heuristic(W, [[], []], [], np.array([1, 1]), (1, 1), (1, 1), 0, 2, False,
...                   3, 0, False, 0, 1.0))
[([0], [0]), ([1], [1])]
"""

from __future__ import annotations

import time

import numpy as np

#: Teams as (mentor indices, mentee indices) pairs.
TeamList = list[tuple[list[int], list[int]]]


class _Alternating:
    """State of the alternating-assignment heuristic: scores, rules and slot profits."""

    def __init__(
        self,
        W: np.ndarray,  # noqa: N803 - pair scores, mentors x mentees
        need_masks: list[list[np.ndarray]],
        comps: list[tuple[np.ndarray, int]],
        cap: np.ndarray,
        team_m: tuple[int, int],
        team_e: tuple[int, int],
        n_lo: int,
        n_max: int,
        forbid: bool,
        place_bonus: int,
        cov_coef: int,
        cover_needs: bool,
    ) -> None:
        self.W, self.comps = W, comps
        self.n_m, self.n_e = W.shape
        self.lo_m, self.hi_m = team_m
        self.lo_e, self.hi_e = team_e
        self.n_lo, self.n_max, self.forbid = n_lo, n_max, forbid
        self.place_bonus, self.cov_coef, self.cover_needs = place_bonus, cov_coef, cover_needs
        n_m, n_e = self.n_m, self.n_e
        self.need_mats = [np.array(rows, dtype=np.int64).reshape(len(rows), n_m)
                          for rows in need_masks]
        scale = float(np.abs(W).sum() + cov_coef * sum(len(r) for r in need_masks) + 1)
        self.place = float(place_bonus)
        self.fill = (self.place + scale) * (n_e + n_m + 1)  # reaching a minimum size beats everything
        self.reserve = self.fill * (n_m + 1)
        self.never = -self.reserve * (n_m + n_e + 1)
        # approximate coverage gain of a mentor for a mentee: needs it offers
        self.offer_gain = np.zeros((n_m, n_e))
        if cov_coef:
            for j, mat in enumerate(self.need_mats):
                if mat.size:
                    self.offer_gain[:, j] = cov_coef * mat.sum(axis=0) / max(1, mat.shape[0])
        # each mentor's copies (capacity) and the slots reserved for composition values
        self.copies = np.repeat(np.arange(n_m), np.minimum(cap, n_max).astype(np.int64))
        self.reserved = sum(k for _, k in comps)

    def mentors_step(self, groups: list[np.ndarray]) -> np.ndarray:
        """Best mentors for fixed mentee groups: an (n_m, k) membership matrix."""
        from scipy.optimize import linear_sum_assignment

        W, copies = self.W, self.copies  # noqa: N806
        k = len(groups)
        gain = np.stack([(W[:, g] + self.offer_gain[:, g]).sum(axis=1) for g in groups], axis=1)
        cols_team: list[int] = []
        cols_bonus: list[float] = []
        cols_mask: list[np.ndarray | None] = []
        for t in range(k):
            for mask, count in self.comps:
                for _ in range(count):
                    cols_team.append(t)
                    cols_bonus.append(self.reserve)
                    cols_mask.append(mask)
            for r in range(self.reserved, self.hi_m):
                cols_team.append(t)
                cols_bonus.append(self.fill if r < self.lo_m else 1.0)
                cols_mask.append(None)
        team = np.array(cols_team)
        profit = gain[copies][:, team] + np.array(cols_bonus)[None, :]
        for c, allowed in enumerate(cols_mask):
            if allowed is not None:
                profit[~allowed[copies], c] = self.never
        profit = np.hstack([profit, np.zeros((copies.size, copies.size))])
        rows, cols = linear_sum_assignment(profit, maximize=True)
        inteam = np.zeros((self.n_m, k), dtype=bool)
        keep = (cols < team.size) & (profit[rows, cols] > self.never / 2)
        inteam[copies[rows[keep]], team[cols[keep]]] = True
        return inteam

    def mentees_step(self, inteam: np.ndarray) -> np.ndarray:
        """Best team (or -1) of each mentee for fixed mentor groups."""
        from scipy.optimize import linear_sum_assignment

        n_e, hi_e = self.n_e, self.hi_e
        k = inteam.shape[1]
        gain = self.W.T.astype(float) @ inteam
        ok = np.ones((n_e, k), dtype=bool)
        for j, mat in enumerate(self.need_mats):
            if mat.size:
                covered = (mat @ inteam) > 0
                if self.cover_needs:
                    ok[j] = covered.all(axis=0)
                if self.cov_coef:
                    gain[j] += self.cov_coef * covered.sum(axis=0)
        team = np.repeat(np.arange(k), hi_e)
        rank = np.tile(np.arange(hi_e), k)
        profit = gain[:, team] + self.place + np.where(rank < self.lo_e, self.fill, 0.0)[None, :]
        profit[~ok[:, team]] = self.never
        dummy = np.full((n_e, n_e), -self.reserve if self.forbid else 0.0)
        rows, cols = linear_sum_assignment(np.hstack([profit, dummy]), maximize=True)
        team_of = np.full(n_e, -1)
        sel = cols < team.size
        sel[sel] &= profit[rows[sel], cols[sel]] > self.never / 2
        team_of[rows[sel]] = team[cols[sel]]
        return team_of

    def check(self, inteam: np.ndarray, team_of: np.ndarray):
        """``((score, placed, fit), teams)`` when every rule holds, else None."""
        comps, cov_coef = self.comps, self.cov_coef
        teams, placed, fit = [], 0, 0
        for t in range(inteam.shape[1]):
            es = np.flatnonzero(team_of == t)
            if es.size == 0:
                continue
            ms = np.flatnonzero(inteam[:, t])
            if not (self.lo_m <= ms.size <= self.hi_m and self.lo_e <= es.size <= self.hi_e):
                return None
            if any(mask[ms].sum() < count for mask, count in comps):
                return None
            for j in es:
                mat = self.need_mats[j]
                if mat.size:
                    covered = mat[:, ms].any(axis=1)
                    if self.cover_needs and not covered.all():
                        return None
                    fit += cov_coef * int(covered.sum())
            fit += int(self.W[np.ix_(ms, es)].sum())
            placed += es.size
            teams.append((ms.tolist(), es.tolist()))
        if not (self.n_lo <= len(teams) <= self.n_max) or (self.forbid and placed < self.n_e):
            return None
        return (placed * self.place_bonus + fit, placed, fit), teams

    def run(self, seed: int, deadline: float) -> TeamList | None:
        """Random starts, each improved by alternating steps until it stops gaining."""
        rng = np.random.default_rng(seed)
        n_e, n_max = self.n_e, self.n_max
        k_min = min(n_max, max(self.n_lo, 1, -(-n_e // self.hi_e)))
        best = None
        stall = 0
        for attempt in range(200):
            if attempt and (time.perf_counter() > deadline or stall >= 30):
                break
            stall += 1
            k = min(n_max, k_min + attempt % 3)
            order = rng.permutation(n_e)
            groups = [order[t::k] for t in range(k)]
            last = None
            for _ in range(12):
                inteam = self.mentors_step(groups)
                team_of = self.mentees_step(inteam)
                found = self.check(inteam, team_of)
                if found is not None and (best is None or found[0] > best[0]):
                    best, stall = found, 0
                key = None if found is None else found[0]
                if key is not None and last is not None and key <= last:
                    break
                last = key
                groups = [g for g in (np.flatnonzero(team_of == t) for t in range(k)) if g.size]
                if not groups:
                    break
        return None if best is None else best[1]


def _heuristic(
    W: np.ndarray,  # noqa: N803 - pair scores, mentors x mentees
    need_masks: list[list[np.ndarray]],
    comps: list[tuple[np.ndarray, int]],
    cap: np.ndarray,
    team_m: tuple[int, int],
    team_e: tuple[int, int],
    n_lo: int,
    n_max: int,
    forbid: bool,
    place_bonus: int,
    cov_coef: int,
    cover_needs: bool,
    seed: int,
    seconds: float,
) -> TeamList | None:
    """Good feasible teams fast, for the CP-SAT hint (local indices), or None.

    ``need_masks[j]`` holds, per need of mentee j, a mask of the mentors
    offering it; ``comps`` pairs a mentor mask with the count every team needs.
    Runs for about ``seconds`` (at least one start) and returns the best
    checked teams as (mentor indices, mentee indices) pairs.
    """
    deadline = time.perf_counter() + seconds
    n_m, n_e = W.shape
    if n_e == 0 or n_m == 0 or n_max == 0:
        return None
    if sum(k for _, k in comps) > team_m[1]:
        return None
    state = _Alternating(W, need_masks, comps, cap, team_m, team_e, n_lo, n_max, forbid,
                         place_bonus, cov_coef, cover_needs)
    return state.run(seed, deadline)
