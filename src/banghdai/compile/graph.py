"""Compile a :class:`~banghdai.Problem` into a frozen, index-based candidate graph.

The candidate graph is a long edge table (mentor index, mentee index, integer
value), never a dense mentors × mentees matrix unless no rule restricts the
pairs. The first restricting rule generates candidates with an index — a pair
table, a merge on the region column, a k-d tree radius query on unit-sphere
vectors, or an exploded tag join — and every edge rule is then applied as a
vectorised mask, recording a per-mentee funnel of how many mentors survive each
rule.

Example
-------
>>> import pandas as pd, banghdai as bd
>>> mentors = pd.DataFrame({"mentor_id": ["M1", "M2"], "county": ["A", "B"]})
>>> mentees = pd.DataFrame({"mentee_id": ["E1", "E2"], "county": ["A", "A"]})
>>> c = bd.Problem(mentors, mentees).require(bd.SameRegion("county")).compile()
>>> c.n_edges
2
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

from ..core import clock
from ..core.arrays import pair_keys as _pair_keys
from ..core.errors import DataWarning, InputError, Msg, ScalingWarning, Word
from ..core.geo import chord_for_km, haversine_km, unit_vectors
from ..core.ids import value_keys
from ..core.integers import choose_scale as _choose_scale
from ..core.integers import fits as _fits
from ..data.schema import Table, degree_values, pair_table, place_in, tag_pairs
from ..model.levels import BalanceLoad, Coverage, MaxMin
from ..model.pairing import Pairing
from ..model.rules import ForbiddenPairs, MaxDistance, Nearest, PairScore, Preferences
from ..model.rules.distance import KnownCoordinates
from .groups import CompiledStable, compile_groups, preference_orders
from .levels import CompiledLevel

if TYPE_CHECKING:
    from ..model.problem import Problem

#: Beyond this many pairs, refuse to enumerate every mentor × mentee pair.
MAX_DENSE_PAIRS = 60_000_000
#: Largest absolute integer objective coefficient we aim for when scaling floats.
TARGET_MAGNITUDE = 1_000_000
#: Keep the largest possible objective below this (CP-SAT and flow use int64).
MAX_TOTAL = 2**60


def stage_name(rule: object, lang: str = "en") -> str:
    """A restricting rule's name in the candidate funnel (its ``stage_label`` or ``label``)."""
    named = getattr(rule, "stage_label", None) or rule.label  # type: ignore[attr-defined]
    return named(lang)


def stage_rules(problem: Problem) -> list:
    """The rules that remove candidate pairs, in funnel order (cheap restricting rules first).

    Edge rules, restricting pair tables and group rules that filter candidates
    (a role template), each ordered by its class's ``stage``.
    """
    rules = [r for r in [*problem.edge_rules, *problem.scores, *problem.level_terms(),
                         *problem.group_rules] if r.restricts]
    seen: set[int] = set()
    out = []
    for r in rules:
        if id(r) not in seen:
            seen.add(id(r))
            out.append(r)
    if any(isinstance(r, MaxDistance | Nearest) for r in out):
        missing = _missing_coordinates(problem)
        if missing:
            warnings.warn(DataWarning(Msg("compile.no_coordinates", missing=missing)),
                          stacklevel=4)
            out.append(KnownCoordinates())
    out.sort(key=lambda r: r.stage)
    return out


def _missing_coordinates(problem: Problem) -> str:
    """'3 mentees (E1, E7, E9)'-style text for rows lacking lat/lon, or '' when none do."""
    parts = []
    for table in (problem.mentor_table, problem.mentee_table):
        cols = table.frame.columns
        if "lat" not in cols or "lon" not in cols:
            continue  # the distance rule itself refuses a table without the columns
        lat = pd.to_numeric(table.frame["lat"], errors="coerce").to_numpy(float)
        lon = pd.to_numeric(table.frame["lon"], errors="coerce").to_numpy(float)
        rows = np.flatnonzero(np.isnan(lat) | np.isnan(lon))
        if rows.size:
            shown = ", ".join(str(i) for i in table.ids[rows[:3]])
            parts.append(f"{rows.size} {table.side} ({shown}{', ...' if rows.size > 3 else ''})")
    return " and ".join(parts)


@dataclass(frozen=True, eq=False)
class Compiled:
    """The frozen candidate graph a backend solves.

    Attributes
    ----------
    mentors, mentees
        The checked copies of the input tables.
    edge_mentor, edge_mentee
        Index arrays (int64) of each candidate pair, sorted by mentee then mentor.
    edge_value
        Integer objective value of each pair (maximised), ``round(score * scale)``.
    edge_fixed
        True where the pair is fixed (must be formed).
    edge_info
        Per-pair DataFrame: distance_km, shared_domains and each score.
    cap_lo, cap_hi
        Each mentor's minimum and maximum number of pairs.
    demand
        Each mentee's number of mentors needed.
    must_match
        True when every mentee must get exactly ``demand`` mentors.
    slot_penalty
        Integer penalty per missing mentor slot (0 when ``must_match``).
    scale, sense
        ``edge_value = round(sign * score * scale)``; ``sense`` is "min" when
        every score term is a cost (objective reported as a positive cost).
    funnel
        DataFrame, one row per mentee: candidates left after each rule.
    funnel_rules
        The rule object of each stage column of ``funnel``, in order (rule identity is
        the rule, never its label).

    Example
    -------
    >>> import pandas as pd, banghdai as bd
    >>> p = bd.Problem(pd.DataFrame({"mentor_id": ["M"]}), pd.DataFrame({"mentee_id": ["E"]}))
    >>> p.compile().cap_hi.tolist()
    [1]
    >>> p.compile()
    Compiled(1 mentors x 1 mentees, 1 candidate pairs, one_to_one, unmatched allowed, group rules: none, levels: 0, scale 1)
    """

    mentors: Table
    mentees: Table
    pairing: Pairing
    edge_mentor: np.ndarray
    edge_mentee: np.ndarray
    edge_value: np.ndarray
    edge_fixed: np.ndarray
    edge_info: pd.DataFrame
    cap_lo: np.ndarray
    cap_hi: np.ndarray
    demand: np.ndarray
    must_match: bool
    slot_penalty: int
    scale: float
    sense: str
    funnel: pd.DataFrame
    group_rules: tuple = field(default=())
    edge_load: np.ndarray | None = None
    levels: tuple = field(default=())
    #: the rule object behind each stage column of ``funnel``, in column order: explain
    #: finds a stage's rule here, never by comparing labels
    funnel_rules: tuple = field(default=())

    @property
    def n_mentors(self) -> int:
        """Number of mentors."""
        return len(self.mentors)

    @property
    def n_mentees(self) -> int:
        """Number of mentees."""
        return len(self.mentees)

    @property
    def n_edges(self) -> int:
        """Number of candidate pairs."""
        return int(self.edge_mentor.size)

    def __repr__(self) -> str:
        groups = ", ".join(type(g).__name__ for g in self.group_rules) or "none"
        return (f"Compiled({self.n_mentors} mentors x {self.n_mentees} mentees, "
                f"{self.n_edges:,} candidate pairs, {self.pairing.shape}, "
                f"{'must match' if self.must_match else 'unmatched allowed'}, "
                f"group rules: {groups}, levels: {len(self.levels)}, scale {self.scale:g})")

    def for_reasons(self, chosen: np.ndarray) -> tuple[Compiled, np.ndarray]:
        """A slim copy holding what the unmatched reasons read, and ``chosen`` on it.

        Only the chosen pairs, the candidate pairs of the mentees left short and one useful
        candidate of each mentor are kept (with the degree bounds, the funnel and the
        tables), and the group rules restricted to those pairs (each rule's own
        ``restrict``: the reasons ask them which pairs they hold back); no scores or
        levels. A result keeps this instead of the whole graph, so it does not hold the
        candidate graph alive (issue 16) and it pickles.

        Example
        -------
        >>> import numpy as np, pandas as pd, banghdai as bd
        >>> p = bd.Problem(pd.DataFrame({"mentor_id": ["M"]}),
        ...                pd.DataFrame({"mentee_id": ["E", "F"]}))
        >>> slim, chosen = p.compile().for_reasons(np.array([True, False]))
        >>> slim.n_edges, chosen.tolist()
        (2, [True, False])
        """
        from dataclasses import replace

        chosen = np.asarray(chosen, dtype=bool)
        got = np.bincount(self.edge_mentee[chosen], minlength=self.n_mentees)
        keep = chosen | (got < self.demand)[self.edge_mentee]
        # and one useful candidate per mentor, so the idle mentors (none) are still known
        useful = np.flatnonzero(self.demand[self.edge_mentee] > 0)
        _, first = np.unique(self.edge_mentor[useful], return_index=True)
        keep[useful[first]] = True
        local_edge = np.full(self.n_edges, -1, np.int64)
        local_edge[keep] = np.arange(int(keep.sum()), dtype=np.int64)
        same = {"mentor": np.arange(self.n_mentors, dtype=np.int64),
                "mentee": np.arange(self.n_mentees, dtype=np.int64)}
        groups = tuple(g.restrict(local_edge, same) for g in self.group_rules)
        return replace(
            self, edge_mentor=self.edge_mentor[keep], edge_mentee=self.edge_mentee[keep],
            edge_value=self.edge_value[keep], edge_fixed=self.edge_fixed[keep],
            edge_info=pd.DataFrame(index=pd.RangeIndex(int(keep.sum()))), group_rules=groups,
            edge_load=None if self.edge_load is None else self.edge_load[keep], levels=(),
        ), chosen[keep]

    def objective_of(self, chosen: np.ndarray) -> float:
        """Objective (in the caller's units and sense) of a boolean edge selection."""
        total = float(self.edge_info["score"].to_numpy()[chosen].sum())
        return -total if self.sense == "min" else total


class _Context:
    """Per-table arrays computed once and shared by the rule masks."""

    def __init__(self, mentors: Table, mentees: Table) -> None:
        self.mentors = mentors
        self.mentees = mentees
        self._codes: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self._tags: dict[tuple[str, str], tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
        self._coords: tuple[np.ndarray, ...] | None = None
        #: per pair-table rule (by id): sorted unique keys of its acceptable pairs
        self.listed: dict[int, np.ndarray] = {}
        #: per pair-table rule: (sorted keys, values...) for scores and ranks
        self.values: dict[int, tuple] = {}
        #: per generating pair table: its pairs already sorted by key
        self.sorted_pairs: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        #: the final candidate edges' sorted keys, once known (speeds up table lookups)
        self.edge_keys: np.ndarray | None = None
        self.edge_m: np.ndarray | None = None
        self.edge_distance: np.ndarray | None = None
        self.prefs: Preferences | None = None
        self.ranks: dict[str, np.ndarray] = {}

    # ------------------------------------------------------------ pair tables
    def pair_keys(self, m: np.ndarray, e: np.ndarray) -> np.ndarray:
        """Unique integer key per (mentor row, mentee row) pair."""
        if self.edge_keys is not None and m is self.edge_m:
            return self.edge_keys
        return _pair_keys(m, e, len(self.mentors))

    def keys_of(self, rule) -> np.ndarray:
        """Sorted unique keys of the pairs ``rule``'s table lists (resolved on first use)."""
        if id(rule) not in self.listed:
            tm, te = pair_table(rule.table, rule.table_name, self.mentors, self.mentees,
                                rule.mentor, rule.mentee)
            ok = rule.acceptable_rows()
            self.listed[id(rule)] = np.unique(_pair_keys(tm[ok], te[ok], len(self.mentors)))
        return self.listed[id(rule)]

    def in_table(self, rule, m: np.ndarray, e: np.ndarray) -> np.ndarray:
        """Which pairs (m, e) the rule's table lists."""
        keys = self.keys_of(rule)
        k = self.pair_keys(m, e)
        if keys.size == 0:
            return np.zeros(k.size, dtype=bool)
        pos = np.minimum(np.searchsorted(keys, k), keys.size - 1)
        return keys[pos] == k

    def table_pairs(self, rule) -> tuple[np.ndarray, np.ndarray]:
        """The pairs a table lists, as (mentor rows, mentee rows) sorted by key."""
        if id(rule) in self.sorted_pairs:
            return self.sorted_pairs[id(rule)]
        keys = self.keys_of(rule)
        n_m = max(len(self.mentors), 1)
        return keys % n_m, keys // n_m

    def table_values(self, rule, m: np.ndarray, e: np.ndarray) -> np.ndarray:
        """A PairScore's value per pair (0 where the table has no row)."""
        skeys, svals = self.values[id(rule)]
        keys = self.pair_keys(m, e)
        if skeys is keys or (skeys.size == keys.size and np.array_equal(skeys, keys)):
            return svals  # the table itself generated the candidates
        score = np.zeros(keys.size)
        if skeys.size:
            pos = np.minimum(np.searchsorted(skeys, keys), skeys.size - 1)
            hit = skeys[pos] == keys
            score[hit] = svals[pos[hit]]
        return score

    def preference_fit(self, side: str, m: np.ndarray, e: np.ndarray) -> np.ndarray:
        """(L - rank + 1) / L of the side's rank of each pair, 0 when unranked."""
        if self.prefs is None or side not in self.ranks:
            raise InputError(Msg("compile.preference_fit", side=side),
                             table="preferences", column=f"{side}_rank")
        _, _, lengths = self.values[id(self.prefs)]
        owner = e if side == "mentee" else m
        length = lengths[side][owner].astype(float)
        rank = self.ranks[side]
        ok = ~np.isnan(rank) & (length > 0)
        return np.where(ok, (length - np.nan_to_num(rank) + 1) / np.maximum(length, 1), 0.0)

    # ------------------------------------------------------------ geography
    def distance(self, m: np.ndarray, e: np.ndarray, rule: str) -> np.ndarray:
        """Great-circle km of the pairs (NaN where a row has no coordinates)."""
        if self.edge_distance is not None and m is self.edge_m:
            return self.edge_distance
        lat_m, lon_m, lat_e, lon_e = self.coords(rule)
        return haversine_km(lat_m[m], lon_m[m], lat_e[e], lon_e[e])

    def require_coords(self, rule: str) -> None:
        """Refuse rows without coordinates (a score cannot treat them as far away)."""
        lat_m, lon_m, lat_e, lon_e = self.coords(rule)
        for table, arr in ((self.mentors, (lat_m, lon_m)), (self.mentees, (lat_e, lon_e))):
            nan = np.isnan(arr[0]) | np.isnan(arr[1])
            if nan.any():
                raise InputError(Msg("compile.coordinates_everywhere", rule=Word(rule)),
                                 column=table.shown("lat"), **table.at(table.first(nan)))

    def within_km(self, km: float, rule: str) -> tuple[np.ndarray, np.ndarray]:
        """Every pair within ``km``: a k-d tree radius query on unit-sphere points."""
        lat_m, lon_m, lat_e, lon_e = self.coords(rule)
        ok_m = np.flatnonzero(~(np.isnan(lat_m) | np.isnan(lon_m)))
        ok_e = np.flatnonzero(~(np.isnan(lat_e) | np.isnan(lon_e)))
        if ok_m.size == 0 or ok_e.size == 0:
            return np.empty(0, np.int64), np.empty(0, np.int64)
        tm = cKDTree(unit_vectors(lat_m[ok_m], lon_m[ok_m]))
        te = cKDTree(unit_vectors(lat_e[ok_e], lon_e[ok_e]))
        radius = chord_for_km(km) * (1 + 1e-9) + 1e-12
        hits = tm.sparse_distance_matrix(te, radius, output_type="ndarray")
        return ok_m[hits["i"]].astype(np.int64), ok_e[hits["j"]].astype(np.int64)

    def estimate_within_km(self, km: float, rule: str, sample: int = 2000) -> float:
        """Pairs within ``km``, estimated from a sample of mentees (k-d tree ball counts)."""
        lat_m, lon_m, lat_e, lon_e = self.coords(rule)
        ok_m = ~(np.isnan(lat_m) | np.isnan(lon_m))
        rows = np.flatnonzero(~(np.isnan(lat_e) | np.isnan(lon_e)))
        if not ok_m.any() or rows.size == 0:
            return 0.0
        pick = rows[np.linspace(0, rows.size - 1, min(sample, rows.size)).astype(np.int64)]
        tree = cKDTree(unit_vectors(lat_m[ok_m], lon_m[ok_m]))
        radius = chord_for_km(km) * (1 + 1e-9) + 1e-12
        counts = tree.query_ball_point(unit_vectors(lat_e[pick], lon_e[pick]), radius,
                                       return_length=True)
        return float(np.mean(counts)) * rows.size

    # ------------------------------------------------------------ samples for the size guard
    def sample_same_code(self, column: str, rule: str, size: int
                         ) -> tuple[np.ndarray, np.ndarray, float]:
        """``size`` pairs drawn uniformly from the pairs sharing a value of ``column``.

        A region is drawn in proportion to its mentors × mentees, then one mentor and one
        mentee of it: each same-region pair is equally likely. Returns the pairs and how many
        candidate pairs each stands for.
        """
        cm, ce = self.codes(column, rule)
        n = int(max(cm.max(initial=-1), ce.max(initial=-1))) + 1
        a = np.bincount(cm[cm >= 0], minlength=n)
        b = np.bincount(ce[ce >= 0], minlength=n)
        w = a.astype(float) * b
        total = float(w.sum())
        if total == 0 or size < 1:
            return np.empty(0, np.int64), np.empty(0, np.int64), 0.0
        rng = np.random.default_rng(0)
        region = rng.choice(n, size=size, p=w / total)

        def member(codes: np.ndarray, count: np.ndarray) -> np.ndarray:
            order = np.argsort(codes, kind="stable")
            start = np.searchsorted(codes[order], np.arange(n))
            pick = (rng.random(size) * count[region]).astype(np.int64)
            return order[start[region] + np.minimum(pick, count[region] - 1)]

        return member(cm, a), member(ce, b), total / size

    def _sample_rows(self, rows: np.ndarray, per_row: float, size: int) -> np.ndarray:
        """Evenly spread rows, about ``size / per_row`` of them (at least 50)."""
        want = int(min(rows.size, max(50, size / max(per_row, 1.0))))
        return rows[np.linspace(0, rows.size - 1, want).astype(np.int64)] if want else rows

    def sample_within_km(self, km: float, rule: str, size: int
                         ) -> tuple[np.ndarray, np.ndarray, float]:
        """Every pair within ``km`` of a spread sample of mentees, and the weight of each."""
        lat_m, lon_m, lat_e, lon_e = self.coords(rule)
        ok_m = np.flatnonzero(~(np.isnan(lat_m) | np.isnan(lon_m)))
        rows = np.flatnonzero(~(np.isnan(lat_e) | np.isnan(lon_e)))
        if ok_m.size == 0 or rows.size == 0:
            return np.empty(0, np.int64), np.empty(0, np.int64), 0.0
        per_row = self.estimate_within_km(km, rule, sample=200) / rows.size
        pick = self._sample_rows(rows, per_row, size)
        tree = cKDTree(unit_vectors(lat_m[ok_m], lon_m[ok_m]))
        radius = chord_for_km(km) * (1 + 1e-9) + 1e-12
        balls = tree.query_ball_point(unit_vectors(lat_e[pick], lon_e[pick]), radius)
        sizes = np.fromiter((len(b) for b in balls), dtype=np.int64, count=pick.size)
        m = ok_m[np.concatenate([np.asarray(b, np.int64) for b in balls])] if sizes.sum() \
            else np.empty(0, np.int64)
        return m, np.repeat(pick, sizes), rows.size / pick.size

    def sample_nearest(self, k: int, rule: str, size: int
                       ) -> tuple[np.ndarray, np.ndarray, float]:
        """The k nearest mentors of a spread sample of mentees (ties left out)."""
        pm, pe, ok_m, ok_e = self.points(rule)
        idx_m, rows = np.flatnonzero(ok_m), np.flatnonzero(ok_e)
        if idx_m.size == 0 or rows.size == 0:
            return np.empty(0, np.int64), np.empty(0, np.int64), 0.0
        kk = min(k, idx_m.size)
        pick = self._sample_rows(rows, kk, size)
        _, nb = cKDTree(pm[ok_m]).query(pe[pick], k=kk)
        nb = np.asarray(nb).reshape(pick.size, kk)
        return idx_m[nb.ravel()], np.repeat(pick, kk), len(self.mentees) / pick.size

    def sample_tag_join(self, mentor_col: str, mentee_col: str, rule: str, size: int
                        ) -> tuple[np.ndarray, np.ndarray, float]:
        """Every pair sharing a tag with a spread sample of mentees, and the weight of each."""
        n_e = len(self.mentees)
        if n_e == 0:
            return np.empty(0, np.int64), np.empty(0, np.int64), 0.0
        bound = self.estimate_tag_join(mentor_col, mentee_col, rule)
        pick = self._sample_rows(np.arange(n_e), bound / n_e, size)
        rm, tm_ = tag_pairs(self.mentors, mentor_col, rule)
        re_, te = tag_pairs(self.mentees, mentee_col, rule)
        chosen = np.isin(re_, pick)
        left = pd.DataFrame({"t": tm_.astype(str), "m": rm})
        right = pd.DataFrame({"t": te[chosen].astype(str), "e": re_[chosen]})
        joined = left.merge(right, on="t", how="inner")[["m", "e"]].drop_duplicates()
        return (joined["m"].to_numpy(np.int64), joined["e"].to_numpy(np.int64),
                n_e / pick.size)

    def sample_table(self, rule, size: int) -> tuple[np.ndarray, np.ndarray, float]:
        """A spread sample of the pairs a restricting table lists, and the weight of each."""
        m, e = self.table_pairs(rule)
        if m.size == 0:
            return m, e, 0.0
        pick = np.linspace(0, m.size - 1, min(size, m.size)).astype(np.int64)
        return m[pick], e[pick], m.size / pick.size

    def estimate_tag_join(self, mentor_col: str, mentee_col: str, rule: str) -> float:
        """Upper bound on pairs sharing a tag: sum over tags of mentors × mentees with it."""
        _, tm = tag_pairs(self.mentors, mentor_col, rule)
        _, te = tag_pairs(self.mentees, mentee_col, rule)
        a = pd.Series(tm.astype(str)).value_counts()
        b = pd.Series(te.astype(str)).value_counts()
        return float((a * b.reindex(a.index, fill_value=0)).sum())

    def tag_join(self, mentor_col: str, mentee_col: str, rule: str
                 ) -> tuple[np.ndarray, np.ndarray]:
        """Every pair sharing at least one tag: a join of the exploded tag lists."""
        rm, tm_ = tag_pairs(self.mentors, mentor_col, rule)
        re_, te = tag_pairs(self.mentees, mentee_col, rule)
        left = pd.DataFrame({"t": tm_.astype(str), "m": rm})
        right = pd.DataFrame({"t": te.astype(str), "e": re_})
        joined = left.merge(right, on="t", how="inner")[["m", "e"]].drop_duplicates()
        return joined["m"].to_numpy(np.int64), joined["e"].to_numpy(np.int64)

    # shared categorical codes for a column present in both tables (-1 = empty)
    def codes(self, column: str, rule: str) -> tuple[np.ndarray, np.ndarray]:
        if column not in self._codes:
            a = value_keys(self.mentors.require(column, rule))
            b = value_keys(self.mentees.require(column, rule))
            codes, _ = pd.factorize(pd.Series(np.concatenate([a, b]), dtype=object),
                                    use_na_sentinel=True)
            self._codes[column] = (codes[: len(a)], codes[len(a) :])
        return self._codes[column]

    def coords(self, rule: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        if self._coords is None:
            lat_m = self.mentors.numeric("lat", rule, allow_nan=True)
            lon_m = self.mentors.numeric("lon", rule, allow_nan=True)
            lat_e = self.mentees.numeric("lat", rule, allow_nan=True)
            lon_e = self.mentees.numeric("lon", rule, allow_nan=True)
            self._coords = (lat_m, lon_m, lat_e, lon_e)
        return self._coords

    def points(self, rule: str):
        """Unit-sphere points of mentors and mentees, and which rows have coordinates."""
        lat_m, lon_m, lat_e, lon_e = self.coords(rule)
        ok_m = ~(np.isnan(lat_m) | np.isnan(lon_m))
        ok_e = ~(np.isnan(lat_e) | np.isnan(lon_e))
        pm = np.full((lat_m.size, 3), np.nan)
        pe = np.full((lat_e.size, 3), np.nan)
        pm[ok_m] = unit_vectors(lat_m[ok_m], lon_m[ok_m])
        pe[ok_e] = unit_vectors(lat_e[ok_e], lon_e[ok_e])
        return pm, pe, ok_m, ok_e

    def nearest(self, k: int, rule: str):
        """Per mentee: chord distance to its k-th nearest mentor, and a (k + slack)-NN query."""
        key = ("nearest", k)
        if key not in self._codes:
            pm, pe, ok_m, ok_e = self.points(rule)
            idx_m = np.flatnonzero(ok_m)
            kth = np.full(len(self.mentees), -1.0)  # no coordinates: no candidate
            hits = (np.empty(0, np.int64), np.empty(0, np.int64))
            if idx_m.size and ok_e.any():
                tree = cKDTree(pm[ok_m])
                kk = min(k, idx_m.size)
                extra = min(kk + 8, idx_m.size)
                rows = np.flatnonzero(ok_e)
                dist, nb = tree.query(pe[ok_e], k=extra)
                dist, nb = dist.reshape(rows.size, extra), nb.reshape(rows.size, extra)
                limit = dist[:, kk - 1] * (1 + 1e-12) + 1e-15
                kth[rows] = limit
                keep = dist <= limit[:, None]
                e_idx = np.repeat(rows, extra).reshape(rows.size, extra)[keep]
                m_idx = idx_m[nb[keep]]
                more = np.flatnonzero(keep[:, -1]) if extra < idx_m.size else np.empty(0, int)
                if more.size:  # more ties than the slack: ask the tree for the whole ball
                    balls = tree.query_ball_point(pe[rows[more]], limit[more])
                    sizes = np.fromiter((len(b) for b in balls), dtype=np.int64, count=more.size)
                    drop = np.isin(e_idx, rows[more])
                    e_idx = np.concatenate([e_idx[~drop], np.repeat(rows[more], sizes)])
                    m_idx = np.concatenate([m_idx[~drop],
                                            idx_m[np.concatenate(balls).astype(np.int64)]])
                hits = (m_idx.astype(np.int64), e_idx.astype(np.int64))
            self._codes[key] = (kth, hits)
        return self._codes[key]

    def has_coords(self) -> bool:
        cols_m, cols_e = self.mentors.frame.columns, self.mentees.frame.columns
        return all(c in cols_m and c in cols_e for c in ("lat", "lon"))

    def tags(self, mentor_col: str, mentee_col: str, rule: str):
        """Bit masks of each row's tags over a shared vocabulary, and tag counts."""
        key = (mentor_col, mentee_col)
        if key not in self._tags:
            rm, tm = tag_pairs(self.mentors, mentor_col, rule)
            re_, te = tag_pairs(self.mentees, mentee_col, rule)
            vocab, inv = np.unique(np.concatenate([tm, te]).astype(str), return_inverse=True)
            words = max(1, math.ceil(len(vocab) / 64))

            def masks(rows: np.ndarray, ids: np.ndarray, n: int) -> np.ndarray:
                out = np.zeros((n, words), dtype=np.uint64)
                bits = np.left_shift(np.uint64(1), (ids % 64).astype(np.uint64))
                np.bitwise_or.at(out, (rows, ids // 64), bits)
                return out

            mm = masks(rm, inv[: len(tm)], len(self.mentors))
            me = masks(re_, inv[len(tm) :], len(self.mentees))
            count_e = np.bincount(re_, minlength=len(self.mentees))
            self._tags[key] = (mm, me, count_e)
        return self._tags[key]

    def shared(self, mentor_col: str, mentee_col: str, rule: str, m: np.ndarray, e: np.ndarray):
        mm, me, _ = self.tags(mentor_col, mentee_col, rule)
        return np.bitwise_count(mm[m] & me[e]).sum(axis=1).astype(np.int64)

    def strength(self, by: str, rule: str) -> tuple[np.ndarray, np.ndarray]:
        return self.mentors.numeric(by, rule), self.mentees.numeric(by, rule)


def _grid(n_m: int, n_e: int, out: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Mentor and mentee of every pair of a complete table, sorted by (mentee, mentor).

    ``out``: a spare int64 array of n_m * n_e items to write the mentors into.
    """
    m = np.empty((n_e, n_m), dtype=np.int64) if out is None else out.reshape(n_e, n_m)
    m[:] = np.arange(n_m, dtype=np.int64)
    e = np.empty((n_e, n_m), dtype=np.int64)
    e[:] = np.arange(n_e, dtype=np.int64)[:, None]
    return m.reshape(-1), e.reshape(-1)


def _per_mentee(e: np.ndarray, n_e: int, in_order: bool) -> np.ndarray:
    """Number of pairs of each mentee; ``in_order`` says ``e`` is sorted (then no pass over e)."""
    if in_order:
        return np.diff(np.searchsorted(e, np.arange(n_e + 1, dtype=np.int64)))
    return np.bincount(e, minlength=n_e)


def _complete_grid(keys: np.ndarray, values: np.ndarray) -> np.ndarray | None:
    """``values`` in key order when ``keys`` are each of 0..n-1 once (a complete table), else None.

    One scatter into a marked array: a mark left over means some pair is
    missing, hence (as there are exactly n keys) another one is listed twice.
    """
    n = keys.size
    if values.dtype.kind == "f":
        out = np.full(n, np.nan)
        out[keys] = values
        return None if bool(np.isnan(out).any()) else out
    low = int(values.min())
    if low == np.iinfo(np.int64).min:
        return None
    out = np.full(n, low - 1, dtype=np.int64)
    out[keys] = values
    return None if bool((out == low - 1).any()) else out


def _sorted_unique_keys(keys: np.ndarray, space: int) -> tuple[np.ndarray | None, np.ndarray, int]:
    """Order that sorts ``keys`` (None: already sorted), the sorted keys, first duplicate's row.

    The first duplicate's row is -1 when the keys are unique. Keys already in
    order cost one comparison pass; dense key sets (a large share of the key
    space) use a scatter, O(space); sparse ones a sort.
    """
    n = keys.size
    head = keys[:1024]
    if n < 2 or (bool((head[1:] > head[:-1]).all()) and bool((keys[1:] > keys[:-1]).all())):
        return None, keys, -1
    if n * 3 >= space:
        slot = np.full(space, -1, dtype=np.int64)
        slot[keys] = np.arange(n, dtype=np.int64)
        if n == space and int(slot.min()) >= 0:  # every pair once: a complete grid
            return slot, np.arange(space, dtype=np.int64), -1
        filled = slot >= 0
        order = slot[filled]
        if order.size == n:
            return order, np.flatnonzero(filled).astype(np.int64, copy=False), -1
        counts = np.bincount(keys, minlength=space)
        rows = np.flatnonzero(keys == int(np.flatnonzero(counts > 1)[0]))
        return None, np.empty(0, np.int64), int(rows[1])
    order = np.argsort(keys)  # unique keys need no stable sort (introsort is 2-3x faster)
    sk = keys[order]
    same = np.flatnonzero(sk[1:] == sk[:-1])
    if same.size:
        rows = np.flatnonzero(keys == sk[same[0]])
        return order, sk, int(rows[1])
    return order, sk, -1


def _take(values: np.ndarray, order: np.ndarray | None) -> np.ndarray:
    """``values`` reordered; without an order, a copy unless the array is already our own
    (the compiled graph must never alias the caller's tables)."""
    if order is not None:
        return values[order]
    return values if values.flags.owndata and values.flags.writeable else values.copy()


def _rule_mask(rule: object, ctx: _Context, m: np.ndarray, e: np.ndarray) -> np.ndarray:
    """Boolean mask: which of the pairs (m, e) the restricting rule allows."""
    return rule.mask(ctx, m, e)  # type: ignore[attr-defined]


#: Refuse to generate more candidate pairs than this (about 100 bytes each while compiling,
#: some 5.6 KB each in a CP-SAT model): beyond it a problem needs a tighter rule.
MAX_CANDIDATES = 40_000_000
#: Pairs the size guard draws to measure the share of candidates every rule keeps.
GUARD_SAMPLE = 20_000


def _estimate(stages: list, ctx: _Context) -> tuple[object | None, float]:
    """The rule that bounds the candidates best, and an estimate of the final candidate count.

    Each restricting rule's cheap estimate gives an upper bound (the smallest one wins); a
    sample of that rule's own pairs (drawn by its ``sample``, per region for
    :class:`~banghdai.SameRegion`) then goes through every rule's mask, so the estimate is
    the bound times the share that survives all of them — within a few per cent of the real
    count instead of the bound's 2x under SameRegion + distance + domain rules.
    """
    n_m, n_e = len(ctx.mentors), len(ctx.mentees)
    known = [(r, x) for r, x in ((r, r.estimate(ctx)) for r in stages) if x is not None]
    if not known:  # nothing generates: every pair of the grid is enumerated
        return None, float(n_m) * float(n_e)
    rule, bound = min(known, key=lambda t: t[1])
    drawn = rule.sample(ctx, GUARD_SAMPLE) if bound > 0 else None
    if drawn is None:
        return rule, bound
    m, e, weight = drawn
    keep = np.ones(m.size, dtype=bool)
    for stage in stages:
        keep &= _rule_mask(stage, ctx, m, e)
    return rule, min(bound, weight * int(keep.sum()))


def estimate_candidates(problem: Problem) -> float:
    """The size guard's estimate of the number of candidate pairs of ``problem``.

    Example
    -------
    >>> import pandas as pd, banghdai as bd
    >>> from banghdai.compile.graph import estimate_candidates
    >>> p = bd.Problem(pd.DataFrame({"mentor_id": ["M1", "M2"], "county": ["A", "B"]}),
    ...                pd.DataFrame({"mentee_id": ["E1", "E2"], "county": ["A", "A"]}))
    >>> estimate_candidates(p.require(bd.SameRegion("county")))
    2.0
    """
    ctx = _Context(problem.mentor_table, problem.mentee_table)
    return _estimate(stage_rules(problem), ctx)[1]


def _guard_size(stages: list, ctx: _Context) -> None:
    """Refuse, with advice and before generating anything, a candidate graph too big to hold."""
    n_m, n_e = len(ctx.mentors), len(ctx.mentees)
    rule, size = _estimate(stages, ctx)
    if size > MAX_CANDIDATES:
        by = (Msg("compile.with_rule", rule=Word(stage_name(rule))) if rule is not None
              else Msg("compile.no_restricting_rule"))
        raise InputError(
            Msg("compile.too_many_candidates", n_m=f"{n_m:,}", n_e=f"{n_e:,}",
                size=f"{size:,.0f}", by=by, gib=f"{size * 100 / 2**30:.0f}",
                most=f"{MAX_CANDIDATES:,}"),
            column="rules")


def _generate(first: object | None, ctx: _Context) -> tuple[np.ndarray, np.ndarray]:
    """Candidate pairs from the first restricting rule with an index, else every pair."""
    if first is not None:
        found = first.generate(ctx)  # type: ignore[attr-defined]
        if found is not None:
            return found
    n_m, n_e = len(ctx.mentors), len(ctx.mentees)
    if n_m * n_e > MAX_DENSE_PAIRS:
        raise InputError(Msg("compile.dense", n_m=n_m, n_e=n_e, pairs=f"{n_m * n_e:,}"))
    m = np.repeat(np.arange(n_m, dtype=np.int64), n_e)
    e = np.tile(np.arange(n_e, dtype=np.int64), n_m)
    return m, e


def _scaled(values: np.ndarray, scale: float | None) -> tuple[np.ndarray, float]:
    sc = _choose_scale(values, 0, scale)
    return np.round(values * sc).astype(np.int64), sc


def _compile_levels(problem, mentees, e, must, weighted, total, scale) -> list[CompiledLevel]:
    """Lexicographic levels as integer data (empty without ``prefer(levels=...)``)."""
    if not problem.levels:
        return []
    entries = list(problem.levels)
    if (not must and problem.pairing.unmatched_penalty is None
            and not any(isinstance(x, Coverage) for x in entries)):
        entries.insert(0, Coverage())
    if problem.scores:
        entries.append(tuple(problem.scores))
    out: list[CompiledLevel] = []
    for entry in entries:
        if isinstance(entry, Coverage):
            if entry.priority is None:
                out.append(CompiledLevel("coverage", "linear", np.ones(e.size, dtype=np.int64)))
                continue
            pri = mentees.numeric(entry.priority, "Coverage")
            for value in np.unique(pri[~np.isnan(pri)]):
                out.append(CompiledLevel(f"coverage {entry.priority}={value:g}", "linear",
                                         (pri[e] == value).astype(np.int64)))
        elif isinstance(entry, BalanceLoad):
            out.append(CompiledLevel("largest mentor load", "minmaxload", sign=-1.0))
        elif isinstance(entry, MaxMin):
            values, _ = weighted(entry.terms) if entry.terms else (total, [])
            coeff, sc = _scaled(values, scale)
            out.append(CompiledLevel("worst served mentee's score", "maxmin", coeff, sc))
        else:
            terms = tuple(entry) if isinstance(entry, list | tuple) else (entry,)
            values, senses = weighted(terms)
            coeff, sc = _scaled(values, scale)
            sign = -1.0 if senses and all(s == "min" for s in senses) else 1.0
            name = " + ".join(type(t).__name__ if not isinstance(t, PairScore) else t.result_column
                              for t in terms)
            out.append(CompiledLevel(name, "linear", coeff, sc, sign))
    return out


def compile_problem(problem: Problem, *, scale: float | None = None) -> Compiled:
    """Build the candidate graph, degree bounds and integer objective of ``problem``.

    Parameters
    ----------
    problem
        The problem to compile.
    scale
        Multiplier turning float scores into integers; chosen automatically
        (1 for integral scores, else a power of ten giving about six
        significant digits). A :class:`ScalingWarning` says when a chosen or
        forced scale loses precision.

    Example
    -------
    >>> import pandas as pd, banghdai as bd
    >>> p = bd.Problem(pd.DataFrame({"mentor_id": ["M"]}), pd.DataFrame({"mentee_id": ["E"]}))
    >>> bd.compile_problem(p).n_edges
    1
    """
    mentors, mentees = problem.mentor_table, problem.mentee_table
    n_m, n_e = len(mentors), len(mentees)
    ctx = _Context(mentors, mentees)

    # pair tables, resolved once (fast paths for the known tables; others resolve lazily)
    extra = ctx.listed
    pair_values = ctx.values
    pair_edges = ctx.sorted_pairs
    for rule in [*problem.edge_rules, *problem.scores, *problem.level_terms()]:
        if id(rule) in extra:
            continue
        if isinstance(rule, ForbiddenPairs | PairScore):
            tname = "forbidden" if isinstance(rule, ForbiddenPairs) else "pair_scores"
            m, e = pair_table(rule.table, tname, mentors, mentees, rule.mentor, rule.mentee)
            keys = _pair_keys(m, e, n_m)
            if isinstance(rule, PairScore):
                if rule.column not in rule.table.columns:
                    raise InputError(
                        Msg("compile.score_column"),
                        table=tname,
                        column=rule.column,
                        choices=[str(c) for c in rule.table.columns],
                    )
                vals = rule.table[rule.column]
                if vals.dtype.kind not in "iuf":
                    vals = pd.to_numeric(vals, errors="coerce")
                vals = vals.to_numpy(np.int64 if vals.dtype.kind == "i" else float)
                bad = ~np.isfinite(vals) if vals.dtype.kind == "f" else np.zeros(0, dtype=bool)
                if bad.any():
                    row = int(np.flatnonzero(bad)[0])
                    raise InputError(
                        Msg("compile.score_number", value=rule.table[rule.column].iloc[row]),
                        table=tname,
                        row=row,
                        **place_in(rule.table, row),
                        column=rule.column,
                    )
                grid = _complete_grid(keys, vals) if keys.size == n_m * n_e else None
                if grid is not None:  # every pair once: sorted, the pairs are a grid
                    skeys = np.arange(keys.size, dtype=np.int64)
                    pair_values[id(rule)] = (skeys, grid)
                    pair_edges[id(rule)] = _grid(n_m, n_e, out=keys)  # keys: spare now
                else:
                    order, skeys, dup_row = _sorted_unique_keys(keys, n_m * n_e)
                    if dup_row >= 0:
                        raise InputError(Msg("compile.pair_twice"), table=tname, row=dup_row,
                                         column=rule.mentor, **place_in(rule.table, dup_row))
                    pair_values[id(rule)] = (skeys, _take(vals, order))
                    pair_edges[id(rule)] = (_take(m, order), _take(e, order))
            else:
                _, skeys, dup_row = _sorted_unique_keys(keys, n_m * n_e)
                if dup_row >= 0:
                    skeys = np.unique(keys)
            extra[id(rule)] = skeys
        elif isinstance(rule, Preferences):
            m, e = pair_table(rule.table, "preferences", mentors, mentees, rule.mentor,
                              rule.mentee)
            keys = _pair_keys(m, e, n_m)
            order, skeys, dup_row = _sorted_unique_keys(keys, n_m * n_e)
            if dup_row >= 0:
                raise InputError(Msg("compile.pair_twice"), table="preferences", row=dup_row,
                                 column=rule.mentor, **place_in(rule.table, dup_row))
            ranks, lengths, acceptable = {}, {}, np.ones(keys.size, dtype=bool)
            for side, col, owner in (("mentee", rule.mentee_rank, e), ("mentor", rule.mentor_rank, m)):
                if col is None:
                    continue
                if col not in rule.table.columns:
                    raise InputError(Msg("compile.rank_column"), table="preferences", column=col,
                                     choices=[str(x) for x in rule.table.columns])
                raw = rule.table[col]
                if raw.dtype.kind in "iu":  # whole numbers: no empty cell, no text
                    vals = raw.to_numpy(dtype=float)
                    bad = vals < 1
                else:
                    vals = pd.to_numeric(raw, errors="coerce").to_numpy(float)
                    bad = (np.isnan(vals) & raw.notna().to_numpy()) | (vals < 1)
                if bad.any():
                    row = int(np.flatnonzero(bad)[0])
                    raise InputError(Msg("compile.rank_number", value=raw.iloc[row]),
                                     table="preferences", row=row, column=col,
                                     **place_in(rule.table, row))
                ranked = ~np.isnan(vals)
                every = bool(ranked.all())
                if not every:
                    acceptable &= ranked
                size = (len(mentees) if side == "mentee" else len(mentors))
                lengths[side] = np.bincount(owner if every else owner[ranked], minlength=size)
                ranks[side] = _take(vals, order)
            pair_values[id(rule)] = (skeys, ranks, lengths)
            extra[id(rule)] = skeys if acceptable.all() else np.sort(keys[acceptable])
            if ctx.prefs is None:
                ctx.prefs = rule

    stages = stage_rules(problem)
    _guard_size(stages, ctx)
    first, generated = None, None
    for rule in stages:  # the first rule with an index-based generator makes the candidates
        clock.checkpoint("compile")  # a solve's time limit covers compiling too
        generated = rule.generate(ctx)
        if generated is not None:
            first = rule
            break

    keys_edges: np.ndarray | None = None
    if isinstance(first, PairScore) and id(first) in pair_edges:
        m, e = pair_edges[id(first)]  # already sorted by (mentee, mentor), unique
        keys_edges = extra[id(first)]
    elif generated is not None:
        m, e = generated
    else:
        m, e = _generate(None, ctx)
    funnel = {"mentors": np.full(n_e, n_m, dtype=np.int64)}
    for rule in stages:
        clock.checkpoint("compile")
        if rule is not first or not getattr(rule, "exact_generator", False):
            keep = _rule_mask(rule, ctx, m, e)
            if not keep.all():
                m, e = m[keep], e[keep]
                keys_edges = None if keys_edges is None else keys_edges[keep]
        funnel[stage_name(rule)] = _per_mentee(e, n_e, keys_edges is not None)
    if keys_edges is None:
        keys_edges = _pair_keys(m, e, n_m)
        if keys_edges.size > 1 and not bool((keys_edges[1:] > keys_edges[:-1]).all()):
            order = np.argsort(keys_edges)  # unique pairs: no stable sort needed
            m, e, keys_edges = m[order], e[order], keys_edges[order]

    # degree bounds
    pairing = problem.pairing
    cap_hi = degree_values(mentors, pairing.capacity, "capacity")
    cap_lo = degree_values(mentors, pairing.min_load, "min_load")
    demand = degree_values(mentees, pairing.mentors_per_mentee, "mentors_per_mentee")
    low_over = cap_lo > cap_hi
    if low_over.any():
        row = mentors.first(low_over)
        raise InputError(
            Msg("compile.min_load", low=cap_lo[row], high=cap_hi[row]),
            **mentors.at(row),
            column=mentors.shown(pairing.min_load) if isinstance(pairing.min_load, str) else "min_load",
        )

    groups, edge_load = compile_groups(problem, {"edge_mentor": m, "edge_mentee": e,
                                                 "demand": demand})

    # fixed pairs: must pass every hard rule, and fit the degree bounds
    fixed = np.zeros(m.size, dtype=bool)
    for rule in problem.fixed:
        fm, fe = pair_table(rule.table, "fixed", mentors, mentees, rule.mentor, rule.mentee)
        for stage in stages:
            ok = _rule_mask(stage, ctx, fm, fe)
            if not ok.all():
                row = int(np.flatnonzero(~ok)[0])
                raise InputError(
                    Msg("compile.fixed_breaks", m=mentors.ids[fm[row]], e=mentees.ids[fe[row]],
                        rule=Word(stage_name(stage))),
                    table="fixed",
                    row=row,
                    column=rule.mentor,
                    **place_in(rule.table, row),
                )
        where = np.searchsorted(keys_edges, _pair_keys(fm, fe, n_m))
        fixed[where] = True
    if fixed.any():
        fixed_use = edge_load[fixed] if edge_load is not None else None
        over_m = np.bincount(m[fixed], weights=fixed_use, minlength=n_m) > cap_hi
        over_e = np.bincount(e[fixed], minlength=n_e) > demand
        if over_m.any():
            i = mentors.first(over_m)
            raise InputError(
                Msg("compile.fixed_over_capacity", capacity=cap_hi[i]),
                column="capacity", **mentors.at(i),
            )
        if over_e.any():
            i = mentees.first(over_e)
            raise InputError(
                Msg("compile.fixed_over_demand", n=demand[i]),
                column="mentors_per_mentee", **mentees.at(i),
            )

    # per-edge facts and scores
    info: dict[str, np.ndarray] = {}
    if ctx.has_coords():
        lat_m, lon_m, lat_e, lon_e = ctx.coords("distance")
        info["distance_km"] = haversine_km(lat_m[m], lon_m[m], lat_e[e], lon_e[e])
    if "domains" in mentors.frame.columns and "domains" in mentees.frame.columns:
        info["shared_domains"] = ctx.shared("domains", "domains", "domains", m, e)
    prefs = next((r for r in problem.edge_rules if isinstance(r, Preferences)), None)
    if prefs is not None:
        skeys, ranks, lengths = pair_values[id(prefs)]
        if skeys.size == keys_edges.size and np.array_equal(skeys, keys_edges):
            pos, hit = np.arange(skeys.size), np.ones(skeys.size, bool)  # the menu itself
        else:
            pos = np.minimum(np.searchsorted(skeys, keys_edges), max(skeys.size - 1, 0))
            hit = skeys[pos] == keys_edges if skeys.size else np.zeros(m.size, bool)
        for side in ("mentee", "mentor"):
            if side in ranks:
                col = np.full(m.size, np.nan)
                col[hit] = ranks[side][pos[hit]]
                info[f"{side}_rank"] = col

    ctx.edge_keys, ctx.edge_m = keys_edges, m
    ctx.edge_distance = info.get("distance_km")
    ctx.ranks = {side: info[f"{side}_rank"] for side in ("mentee", "mentor")
                 if f"{side}_rank" in info}

    def term_score(term) -> tuple[str, np.ndarray, str]:
        """(result column, per-edge score, sense) of one score term."""
        return term.result_column, term.score(ctx, m, e), term.sense

    def weighted(terms) -> tuple[np.ndarray, list[str]]:
        out: np.ndarray | None = None
        senses_ = []
        for term in terms:
            label, score, term_sense = term_score(term)
            info.setdefault(label, score)
            factor = (-1.0 if term_sense == "min" else 1.0) * term.weight
            if score.dtype.kind == "i" and factor.is_integer():
                factor = int(factor)  # whole scores, whole weights: the part stays exact
            part = np.multiply(score, factor)
            out = part if out is None else out + part
            senses_.append(term_sense)
        return (np.zeros(m.size) if out is None else out), senses_

    total, senses = weighted(problem.scores)
    sense = "min" if senses and all(s == "min" for s in senses) else "max"
    info["score"] = total

    slots = int(min(demand.sum(), cap_hi.sum()))
    sc = _choose_scale(total, slots, scale)
    penalty_value = pairing.unmatched_penalty
    if (scale is None and penalty_value is not None and pairing.unmatched != "forbid"
            and not _fits(np.array([float(penalty_value)]), sc, 1e-9)):
        # the penalty is a score too: scale so that it stays exact (0.5 must not round to 0)
        sc = _choose_scale(np.append(total.astype(float), float(penalty_value)), slots, None)
    if scale is None and sc == 1.0 and total.dtype.kind in "iu":
        value = total.astype(np.int64, copy=False)  # every score is whole (checked)
        vmax = int(value.max()) if value.size else 0
        vmin = int(value.min()) if value.size else 0
        if max(vmax, -vmin) > 2**53:
            warnings.warn(ScalingWarning(Msg("compile.big_scores_objective")), stacklevel=3)
    elif scale is None and sc == 1.0:
        value = total.astype(np.int64)  # whole numbers stored as floats (checked)
    else:
        if total.dtype.kind in "iu" and total.size and \
                max(int(total.max()), -int(total.min())) > 2**53:
            warnings.warn(ScalingWarning(Msg("compile.big_scores_scaled", scale=f"{sc:g}")),
                          stacklevel=3)
        scaled = total * sc
        value = np.rint(scaled)
        if total.size:
            err = float(np.abs(scaled - value).max())
            spread = float(scaled.max() - scaled.min())  # the differences decide the optimum
            ref = spread if spread > 0 else np.inf  # equal scores: nothing to tell apart
            if err / ref > 1e-4:
                warnings.warn(ScalingWarning(Msg("compile.rounded", scale=f"{sc:g}",
                                                 error=f"{err / ref:.1e}")), stacklevel=3)
        value = value.astype(np.int64)

    must = pairing.unmatched == "forbid"
    if not (scale is None and sc == 1.0 and total.dtype.kind in "iu"):
        vmax = int(value.max()) if value.size else 0
        vmin = int(value.min()) if value.size else 0
    if must:
        penalty = 0
    elif pairing.unmatched_penalty is not None:
        penalty = int(round(pairing.unmatched_penalty * sc))
        if abs(penalty - pairing.unmatched_penalty * sc) > 1e-6 * max(1.0, abs(penalty)):
            warnings.warn(ScalingWarning(Msg(
                "compile.penalty_rounded", penalty=f"{pairing.unmatched_penalty:g}",
                rounded=f"{penalty / sc:g}", scale=f"{sc:g}")), stacklevel=3)
    else:
        penalty = slots * (vmax - vmin) + max(-vmin, 0) + 1
    if (penalty + max(vmax, -vmin)) * max(slots, 1) >= MAX_TOTAL:
        raise InputError(
            Msg("compile.objective_too_large"),
            column="scale",
        )

    clock.checkpoint("compile")
    levels = _compile_levels(problem, mentees, e, must, weighted, total, scale)

    edge_info = pd.DataFrame(info, copy=False)  # no copy: the columns are read, never written
    if any(isinstance(g, tuple) for g in groups):  # needs both ranks (checked now, built lazily)
        preference_orders(edge_info.iloc[:0], m[:0], e[:0])
    groups = [CompiledStable(g[1].label(), g[1], source=(edge_info, m, e))
              if isinstance(g, tuple) else g for g in groups]
    funnel_df = pd.DataFrame({"mentee_id": mentees.ids, **funnel})
    return Compiled(
        mentors=mentors,
        mentees=mentees,
        pairing=pairing,
        edge_mentor=m,
        edge_mentee=e,
        edge_value=value,
        edge_fixed=fixed,
        edge_info=edge_info,
        cap_lo=cap_lo,
        cap_hi=cap_hi,
        demand=demand,
        must_match=must,
        slot_penalty=int(penalty),
        scale=sc,
        sense=sense,
        funnel=funnel_df,
        funnel_rules=tuple(stages),
        group_rules=tuple(groups),
        edge_load=edge_load,
        levels=tuple(levels),
    )

