"""Independent validator: re-check a pairs table against the problem's input tables.

It recomputes every hard rule and degree bound from the input tables with
pandas/numpy only — it imports no solver and reads nothing a backend produced
except the ``mentor_id``/``mentee_id`` columns of the pairs — and recomputes
the objective, so tests can compare it with ``result.objective``.

Example
-------
>>> import pandas as pd, banghdai as bd
>>> p = bd.Problem(pd.DataFrame({"mentor_id": ["M"]}), pd.DataFrame({"mentee_id": ["E1", "E2"]}))
>>> bad = pd.DataFrame({"mentor_id": ["M", "M"], "mentee_id": ["E1", "E2"]})
>>> v = bd.validate(p, bad)
>>> v.ok, v.violations["rule"].tolist()
(False, ['capacity'])
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..core.errors import InputError, Msg, ValidationError
from ..core.geo import vincenty_km as _angle_km
from ..core.ids import ids_as_str, value_keys
from ..data.schema import require_frame, tag_pairs
from ..model.rules import Preferences

if TYPE_CHECKING:
    from ..model.problem import Problem

_COLUMNS = ["rule", "mentor_id", "mentee_id", "detail"]


@dataclass(frozen=True, eq=False)
class Validation:
    """Outcome of :func:`validate`: ``violations`` table, ``ok`` flag, recomputed ``objective``.

    Example
    -------
    >>> import pandas as pd, banghdai as bd
    >>> p = bd.Problem(pd.DataFrame({"mentor_id": ["M"]}), pd.DataFrame({"mentee_id": ["E"]}))
    >>> bd.validate(p, p.solve().pairs).raise_if_invalid().ok
    True
    """

    violations: pd.DataFrame
    objective: float

    @property
    def ok(self) -> bool:
        """True when no hard rule or degree bound is broken."""
        return self.violations.empty

    def raise_if_invalid(self) -> Validation:
        """Raise :class:`ValidationError` listing the first violations; returns self."""
        if not self.ok:
            head = self.violations.head(10).to_string(index=False)
            raise ValidationError(
                f"{len(self.violations)} violation(s) of the hard rules:\n{head}", self.violations
            )
        return self

    def __repr__(self) -> str:
        return f"Validation(ok={self.ok}, violations={len(self.violations)}, objective={self.objective:g})"


def _numbers(frame: pd.DataFrame, column: object, default: int) -> np.ndarray:
    if isinstance(column, str):
        return pd.to_numeric(frame[column], errors="coerce").to_numpy(dtype=float)
    return np.full(len(frame), float(column if column is not None else default))


def _kth_nearest_km(problem: Problem, k: int, mentee_rows: np.ndarray) -> np.ndarray:
    """Great-circle km from each listed mentee to its k-th nearest mentor (NaN: none)."""
    from scipy.spatial import cKDTree

    m, e = problem.mentors, problem.mentees
    lat_m = pd.to_numeric(m["lat"], errors="coerce").to_numpy(float)
    lon_m = pd.to_numeric(m["lon"], errors="coerce").to_numpy(float)
    ok = ~(np.isnan(lat_m) | np.isnan(lon_m))
    out = np.full(mentee_rows.size, np.nan)
    if not ok.any() or mentee_rows.size == 0:
        return out
    rows, inverse = np.unique(mentee_rows, return_inverse=True)
    lat_e = pd.to_numeric(e["lat"], errors="coerce").to_numpy(float)[rows]
    lon_e = pd.to_numeric(e["lon"], errors="coerce").to_numpy(float)[rows]

    def xyz(lat, lon):
        a, b = np.radians(lat), np.radians(lon)
        return np.column_stack([np.cos(a) * np.cos(b), np.cos(a) * np.sin(b), np.sin(a)])

    good = ~(np.isnan(lat_e) | np.isnan(lon_e))
    kk = min(k, int(ok.sum()))
    chord = np.full(rows.size, np.nan)
    if good.any():
        dist, _ = cKDTree(xyz(lat_m[ok], lon_m[ok])).query(xyz(lat_e[good], lon_e[good]), k=[kk])
        chord[good] = dist[:, 0]
    km = 2 * 6371.0088 * np.arcsin(np.clip(chord / 2, 0, 1))
    return km[inverse]


def _shared_counts(problem: Problem, pairs: pd.DataFrame, mcol: str, ecol: str, rule: str):
    """Shared tag count and mentee tag count per pair row, by joining exploded tags."""
    rm, tm = tag_pairs(problem.mentor_table, mcol, rule)
    re_, te = tag_pairs(problem.mentee_table, ecol, rule)
    left = pd.DataFrame({"m": rm, "tag": tm.astype(str)})
    right = pd.DataFrame({"e": re_, "tag": te.astype(str)})
    rows = pd.DataFrame({"k": np.arange(len(pairs)), "m": pairs["_m"].to_numpy(),
                         "e": pairs["_e"].to_numpy()})
    joined = rows.merge(left, on="m").merge(right, on=["e", "tag"])
    shared = np.bincount(joined["k"].to_numpy(dtype=np.int64), minlength=len(pairs))
    need = right.groupby("e").size().reindex(pairs["_e"].to_numpy(), fill_value=0).to_numpy()
    return shared, need


class PairView:
    """The validator's view of a pairing, handed to each rule's ``violations`` check.

    Built from the input tables and the pairs alone (no compiled data): the
    pairs with their row positions (``pairs``: mentor_id, mentee_id, _m, _e),
    the matching table rows, and independent helpers — great-circle km by a
    second formula, k-th nearest distances, shared tags by a join.

    Example
    -------
    >>> import pandas as pd, banghdai as bd
    >>> from banghdai.checks.validate import PairView
    >>> p = bd.Problem(pd.DataFrame({"mentor_id": ["M"], "county": ["A"]}),
    ...                pd.DataFrame({"mentee_id": ["E"], "county": ["A"]}))
    >>> pairs = pd.DataFrame({"mentor_id": ["M"], "mentee_id": ["E"], "_m": [0], "_e": [0]})
    >>> PairView(p, pairs).same_value("county").tolist()
    [True]
    """

    def __init__(self, problem: Problem, pairs: pd.DataFrame) -> None:
        self.problem = problem
        self.pairs = pairs
        self.mentors = problem.mentors
        self.mentees = problem.mentees
        self.mentor_rows = self.mentors.iloc[pairs["_m"].to_numpy()].reset_index(drop=True)
        self.mentee_rows = self.mentees.iloc[pairs["_e"].to_numpy()].reset_index(drop=True)
        self._km: np.ndarray | None = None

    def blocking_pairs(self) -> pd.DataFrame:
        """The blocking pairs of these pairs under the problem's preferences (see
        :func:`blocking_pairs`)."""
        return blocking_pairs(self.problem, self.pairs[["mentor_id", "mentee_id"]])

    def same_value(self, column: str) -> np.ndarray:
        """Pairs whose mentor and mentee have the same known value of ``column``."""
        a = value_keys(self.mentors[column])[self.pairs["_m"].to_numpy()]
        b = value_keys(self.mentees[column])[self.pairs["_e"].to_numpy()]
        known = pd.notna(a) & pd.notna(b)
        return known & (a == b)

    def km(self) -> np.ndarray:
        """Great-circle km of each pair (Vincenty's formula, not the compiler's haversine)."""
        if self._km is None:
            m, e = self.mentor_rows, self.mentee_rows
            self._km = np.asarray(_angle_km(m["lat"], m["lon"], e["lat"], e["lon"]), float)
        return self._km

    def kth_nearest_km(self, k: int) -> np.ndarray:
        """Per pair, km from its mentee to the mentee's k-th nearest mentor."""
        return _kth_nearest_km(self.problem, k, self.pairs["_e"].to_numpy())

    def shared(self, mentor_column: str, mentee_column: str) -> tuple[np.ndarray, np.ndarray]:
        """Per pair: tags shared, and the mentee's number of tags."""
        return _shared_counts(self.problem, self.pairs, mentor_column, mentee_column, "validate")

    def preference_fit(self, side: str) -> np.ndarray:
        """(L - rank + 1) / L per pair from the Preferences table."""
        return _preference_fit(self.problem, self.pairs, side)


def validate(problem: Problem, pairs: pd.DataFrame) -> Validation:
    """Re-check ``pairs`` (columns ``mentor_id``, ``mentee_id``) against every hard rule.

    Checks: known ids, no duplicate pair, mentor capacity and minimum load,
    each mentee's number of mentors (exact when unmatched is forbidden), every
    edge rule (region, distance, domains, strength, avoid-same, forbidden,
    restricting pair tables) and that every fixed pair is present. Returns a
    :class:`Validation` whose ``violations`` has columns rule, mentor_id,
    mentee_id, detail, and whose ``objective`` is the total score recomputed
    from the input tables.

    Example
    -------
    >>> import pandas as pd, banghdai as bd
    >>> p = bd.Problem(pd.DataFrame({"mentor_id": ["M"], "county": ["A"]}),
    ...                pd.DataFrame({"mentee_id": ["E"], "county": ["B"]}))
    >>> p.require(bd.SameRegion("county"))  # doctest: +ELLIPSIS
    Problem(...)
    >>> bd.validate(p, pd.DataFrame({"mentor_id": ["M"], "mentee_id": ["E"]})).violations.rule.tolist()
    ['same county']
    """
    require_frame(pairs, "pairs", ("mentor_id", "mentee_id"))
    mt, et = problem.mentor_table, problem.mentee_table
    mentors, mentees = mt.frame, et.frame
    rows: list[pd.DataFrame] = []

    def report(rule: str, frame: pd.DataFrame, detail) -> None:
        if len(frame):
            rows.append(pd.DataFrame({"rule": rule, "mentor_id": frame["mentor_id"].to_numpy(),
                                      "mentee_id": frame["mentee_id"].to_numpy(),
                                      "detail": detail}))

    p = pd.DataFrame({"mentor_id": ids_as_str(pairs["mentor_id"]),
                      "mentee_id": ids_as_str(pairs["mentee_id"])})
    p["_m"] = pd.Index(mt.ids).get_indexer(p["mentor_id"])
    p["_e"] = pd.Index(et.ids).get_indexer(p["mentee_id"])
    report("unknown mentor", p[p["_m"] < 0], "mentor id not in the mentors table")
    report("unknown mentee", p[p["_e"] < 0], "mentee id not in the mentees table")
    p = p[(p["_m"] >= 0) & (p["_e"] >= 0)].reset_index(drop=True)
    dup = p.duplicated(["_m", "_e"])
    report("duplicate pair", p[dup], "the same pair is listed twice")
    p = p[~dup].reset_index(drop=True)

    # degree bounds, recomputed from the input columns
    pairing = problem.pairing
    pair_load = _pair_loads(problem, p)
    load = np.bincount(p["_m"].to_numpy(dtype=np.int64), weights=pair_load,
                       minlength=len(mentors))
    hi = _numbers(mentors, pairing.capacity, 1)
    lo = _numbers(mentors, pairing.min_load, 0)
    for rule, bad, what in (("capacity", load > hi, hi), ("min_load", load < lo, lo)):
        idx = np.flatnonzero(bad)
        if idx.size:
            rows.append(pd.DataFrame({"rule": rule, "mentor_id": mt.ids[idx], "mentee_id": None,
                                      "detail": [f"load {load[i]:g}, bound {what[i]:g}"
                                                 for i in idx]}))
    got = p.groupby("_e").size().reindex(range(len(mentees)), fill_value=0).to_numpy()
    need = _numbers(mentees, pairing.mentors_per_mentee, 1)
    bad = got > need
    if pairing.unmatched == "forbid":
        bad |= got < need
    idx = np.flatnonzero(bad)
    if idx.size:
        rows.append(pd.DataFrame({"rule": "mentors_per_mentee", "mentor_id": None,
                                  "mentee_id": et.ids[idx],
                                  "detail": [f"{got[i]} mentors, needs {need[i]:g}" for i in idx]}))

    view = PairView(problem, p)
    for rule in _restricting(problem):
        bad, detail = rule.violations(view)
        if bad.any():
            detail = detail if isinstance(detail, str) else list(detail)
            report(rule.stage_label() if hasattr(rule, "stage_label") else rule.label(),
                   p[bad], detail)
    for rule in problem.fixed:
        report(rule.label(), rule.missing(view), "fixed pair missing")

    rows.extend(_group_violations(problem, view, got, need))
    objective = _objective(problem, view)
    violations = pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(columns=_COLUMNS)
    return Validation(violations=violations, objective=objective)


def blocking_pairs(problem: Problem, pairs: pd.DataFrame) -> pd.DataFrame:
    """Pairs not formed that would both rather be together (双向自愿 stability check).

    From the problem's :class:`Preferences` (both ranks needed): a ranked
    pair that passes every hard edge rule blocks ``pairs`` when the mentee has
    a free slot or ranks this mentor above one of its own, and the mentor has
    room or ranks this mentee above one of its own. Equal ranks are broken by
    table order (the lower row first), as the stable backend does. Returns
    mentor_id, mentee_id, mentee_rank, mentor_rank of every blocking pair.

    Example
    -------
    >>> import pandas as pd, banghdai as bd
    >>> prefs = pd.DataFrame({"mentor_id": ["A", "A", "B", "B"], "mentee_id": ["x", "y", "x", "y"],
    ...                       "mentee_rank": [1, 1, 2, 2], "mentor_rank": [1, 2, 1, 2]})
    >>> p = bd.Problem(pd.DataFrame({"mentor_id": ["A", "B"]}),
    ...                pd.DataFrame({"mentee_id": ["x", "y"]})).require(bd.Preferences(prefs))
    >>> bd.blocking_pairs(p, pd.DataFrame({"mentor_id": ["A", "B"], "mentee_id": ["y", "x"]}))
      mentor_id mentee_id  mentee_rank  mentor_rank
    0         A         x          1.0          1.0
    """
    prefs = next((r for r in problem.edge_rules if isinstance(r, Preferences)), None)
    if prefs is None or prefs.mentee_rank is None or prefs.mentor_rank is None:
        raise InputError(Msg("validate.blocking_ranks"),
                         table="preferences", column="mentor_rank")
    ordered = problem.in_id_order()  # equal ranks are broken by ids, as the solver breaks them
    mt, et = ordered.mentor_table, ordered.mentee_table
    t = prefs.table
    cand = pd.DataFrame({
        "mentor_id": ids_as_str(t[prefs.mentor]), "mentee_id": ids_as_str(t[prefs.mentee]),
        "re": pd.to_numeric(t[prefs.mentee_rank], errors="coerce").to_numpy(float),
        "rm": pd.to_numeric(t[prefs.mentor_rank], errors="coerce").to_numpy(float),
    })
    cand = cand[cand["re"].notna() & cand["rm"].notna()].reset_index(drop=True)
    # acceptable: passes every hard edge rule (the validator's own per-pair checks)
    edge_only = _without_group_rules(problem)
    flagged = validate(edge_only, cand[["mentor_id", "mentee_id"]]).violations
    flagged = flagged[flagged["mentor_id"].notna() & flagged["mentee_id"].notna()
                      & ~flagged["rule"].isin(["duplicate pair"])]
    bad = set(zip(flagged["mentor_id"], flagged["mentee_id"], strict=True))
    keep = ~pd.Series(list(zip(cand["mentor_id"], cand["mentee_id"], strict=True))).isin(bad)
    cand = cand[keep.to_numpy()].reset_index(drop=True)
    cand["_m"] = pd.Index(mt.ids).get_indexer(cand["mentor_id"])
    cand["_e"] = pd.Index(et.ids).get_indexer(cand["mentee_id"])
    # strict orders: rank, then the other side's id (its row in id order)
    big = float(max(len(mt), len(et)) + 1)
    cand["ke"] = cand["re"] * big + cand["_m"]
    cand["km"] = cand["rm"] * big + cand["_e"]
    chosen = pd.DataFrame({"mentor_id": ids_as_str(pairs["mentor_id"]),
                           "mentee_id": ids_as_str(pairs["mentee_id"]), "_in": True})
    cand = cand.merge(chosen.drop_duplicates(["mentor_id", "mentee_id"]),
                      on=["mentor_id", "mentee_id"], how="left")
    held = cand[cand["_in"].notna()]
    worst_e = held.groupby("mentee_id")["ke"].max()
    worst_m = held.groupby("mentor_id")["km"].max()
    got = chosen.groupby("mentee_id").size()
    load = chosen.groupby("mentor_id").size()
    pairing = problem.pairing
    need = pd.Series(_numbers(et.frame, pairing.mentors_per_mentee, 1), index=et.ids)
    cap = pd.Series(_numbers(mt.frame, pairing.capacity, 1), index=mt.ids)
    free = cand[cand["_in"].isna()]
    e_got = got.reindex(free["mentee_id"]).fillna(0).to_numpy()
    m_load = load.reindex(free["mentor_id"]).fillna(0).to_numpy()
    e_open = e_got < need.reindex(free["mentee_id"]).to_numpy()
    m_open = m_load < cap.reindex(free["mentor_id"]).to_numpy()
    e_wants = free["ke"].to_numpy() < worst_e.reindex(free["mentee_id"]).fillna(-np.inf).to_numpy()
    m_wants = free["km"].to_numpy() < worst_m.reindex(free["mentor_id"]).fillna(-np.inf).to_numpy()
    block = (e_open | e_wants) & (m_open | m_wants)
    out = free[block][["mentor_id", "mentee_id", "re", "rm"]]
    return out.rename(columns={"re": "mentee_rank", "rm": "mentor_rank"}).reset_index(drop=True)


def _without_group_rules(problem: Problem) -> Problem:
    """A shallow copy of ``problem`` keeping tables and edge rules only."""
    import copy

    clone = copy.copy(problem)
    clone.group_rules = []
    clone.fixed = []
    clone.scores = []
    clone.levels = []
    return clone


def _preference_fit(problem: Problem, p: pd.DataFrame, side: str) -> np.ndarray:
    """(L - rank + 1) / L per pair from the Preferences table; "both" is the mean."""
    if side == "both":
        return (_preference_fit(problem, p, "mentee") + _preference_fit(problem, p, "mentor")) / 2
    prefs = next(r for r in problem.edge_rules if isinstance(r, Preferences))
    col = prefs.mentee_rank if side == "mentee" else prefs.mentor_rank
    t = pd.DataFrame({"mentor_id": ids_as_str(prefs.table[prefs.mentor]),
                      "mentee_id": ids_as_str(prefs.table[prefs.mentee]),
                      "r": pd.to_numeric(prefs.table[col], errors="coerce")})
    t = t[t["r"].notna()]
    owner = "mentee_id" if side == "mentee" else "mentor_id"
    t["L"] = t.groupby(owner)["r"].transform("size").astype(float)
    merged = p[["mentor_id", "mentee_id"]].merge(t, on=["mentor_id", "mentee_id"], how="left")
    fit = (merged["L"] - merged["r"] + 1) / merged["L"]
    return fit.fillna(0.0).to_numpy(float)


def _pair_loads(problem: Problem, p: pd.DataFrame) -> np.ndarray:
    """Capacity units each pair uses: 1, or the loads the group rules give, summed."""
    view = PairView(problem, p)
    loads = [g.pair_loads(view) for g in problem.group_rules if hasattr(g, "pair_loads")]
    return np.sum(loads, axis=0) if loads else np.ones(len(p))


def _group_violations(problem: Problem, view: PairView, got: np.ndarray,
                      need: np.ndarray) -> list[pd.DataFrame]:
    """Each group rule re-checks the pairs from the input columns (its own
    ``group_violations``)."""
    out: list[pd.DataFrame] = []
    for rule in problem.group_rules:
        out.extend(rule.group_violations(view, got, need))
    return out


def _restricting(problem: Problem) -> list:
    """Every rule that removes candidate pairs: edge rules, restricting pair tables (also
    inside levels) — each checked once (a restricting group rule, the role template,
    checks itself in ``group_violations``)."""
    seen: set[int] = set()
    out = []
    for rule in [*problem.edge_rules, *problem.scores, *problem.level_terms(),
                 *problem.group_rules]:
        if rule.restricts and id(rule) not in seen and rule.kind != "group":
            seen.add(id(rule))
            out.append(rule)
    return out


def _objective(problem: Problem, view: PairView) -> float:
    total = 0.0
    senses = []
    for term in problem.scores:
        score = term.check_score(view)
        senses.append(term.sense)
        if term.sense == "min":
            score = -score
        total += term.weight * float(np.sum(score))
    if senses and all(s == "min" for s in senses):
        return -total
    return total
