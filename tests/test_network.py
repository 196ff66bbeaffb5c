"""The network engine against CP-SAT and a brute force that reads only the input tables.

Random small instances (at most 5 mentors x 5 mentees) of every rule mix the network engine
supports — edge rules, capacities and demands, minimum loads, fixed pairs, distinct types per
mentee and per mentor, a role template, pair quotas on either side (disjoint groups, and nested
ones from two quota rules on nested columns), unit loads, unmatched allow / forbid / penalty and
lexicographic levels (coverage, coverage by priority, scores, sums, pair scores) — must be
solved by ``backend="auto"`` with the network engine, give the same status and level values as
``backend="cpsat"`` and as the brute force, pass ``bd.validate`` and carry a certificate that
``bd.verify_certificate`` accepts. Planted rules the network cannot express go to CP-SAT and
still match the brute force. (Forged and tampered certificates: ``test_certificate.py``.)

The brute force (:func:`brute_force`) never looks at ``Problem.compile()``: it derives the
candidate pairs, every rule and every level value from the input tables and the rule mix, and
enumerates every subset of candidate pairs with numpy over bitmasks. Score values are chosen
exact in halves (domain fit 0 / 0.5 / 1, integer pair scores), so the brute force compares
level values exactly in integers (units of 1/2) and no rounding can reorder two pairings.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import banghdai as bd

TYPES = ("x", "y", "z")
TIERS = ("a1", "a2", "b1")  # zone = first letter: a ⊃ {a1, a2}, b ⊃ {b1} (nested groups)
SUBS = ("c1a", "c1b", "c2a")  # category = first two letters: c1 ⊃ {c1a, c1b}
ROLES = ("r1", "r2", "r3")
DOMAINS = ("a", "b", "a;b")
LATS = (30.0, 30.3, 30.6)  # along one meridian: 0, 33.4 and 66.7 km apart; MaxDistance(50)
MAX_KM = 50.0
MAX_EDGES = 14  # at most 2**14 subsets for the brute force
HALF = 2  # score values are exact in halves: the brute force counts in units of 1/2


def _settings(n: int) -> settings:
    return settings(max_examples=n, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.filter_too_much])


# =========================================================================== instances
@dataclass
class Case:
    """One random instance: tables, rule mix, the Problem and the brute force's own data."""

    mix: dict
    mentors: pd.DataFrame
    mentees: pd.DataFrame
    problem: bd.Problem
    cm: np.ndarray  # candidate pairs (mentor row, mentee row), from the input tables
    ce: np.ndarray
    fixed: np.ndarray  # per candidate pair: fixed
    tables: dict = field(default_factory=dict)


def _haversine_km(lat1, lon1, lat2, lon2):
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp, dl = p2 - p1, np.radians(lon2 - lon1)
    a = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * 6371.0088 * np.arcsin(np.sqrt(a))


def _tags(text: str) -> set[str]:
    return set(text.split(";"))


def make_case(mix: dict) -> Case:
    """Tables and Problem for a rule mix (see :func:`network_mix` / :func:`planted_mix`)."""
    rng = np.random.default_rng(mix["seed"])
    n_m, n_e = mix["n_m"], mix["n_e"]
    tier = rng.choice(TIERS, n_m)
    kind = rng.choice(["p", "q"], n_m)
    if mix.get("quota_mentor") == "crossing":  # tier a1 = {0, 1} and kind p = {0, 2} cross
        tier[:3], kind[:3] = ["a1", "a1", "a2"], ["p", "q", "p"]
    mentors = pd.DataFrame({
        "mentor_id": [f"M{i}" for i in range(n_m)],
        "county": rng.choice(["A", "B"], n_m, p=[0.8, 0.2]),
        "lat": rng.choice(LATS, n_m), "lon": 110.0,
        "type": rng.choice(TYPES, n_m, p=[0.5, 0.3, 0.2]), "tier": tier, "zone": [t[0] for t in tier],
        "kind": kind, "role": rng.choice([*ROLES, "r9"], n_m, p=[0.3, 0.3, 0.3, 0.1]),
        "capacity": rng.integers(1, 4, n_m), "domains": rng.choice(DOMAINS, n_m),
    })
    mentors["min_load"] = (rng.random(n_m) < 0.2).astype(np.int64)
    sub = rng.choice(SUBS, n_e)
    mentees = pd.DataFrame({
        "mentee_id": [f"E{j}" for j in range(n_e)],
        "county": rng.choice(["A", "B"], n_e, p=[0.8, 0.2]),
        "lat": rng.choice(LATS, n_e), "lon": 110.0,
        "sub": sub, "category": [s[:2] for s in sub],
        "k": rng.integers(1, 4, n_e), "priority": rng.integers(1, 3, n_e),
        "domains": rng.choice(DOMAINS, n_e), "unit": 1, "w2": rng.integers(1, 3, n_e),
    })

    # candidate pairs from the input tables: region, distance, role template, forbidden
    mm, ee = (a.ravel() for a in np.meshgrid(np.arange(n_m), np.arange(n_e), indexing="ij"))
    ok = np.ones(mm.size, dtype=bool)
    if mix["same_region"]:
        ok &= mentors["county"].to_numpy()[mm] == mentees["county"].to_numpy()[ee]
    if mix["max_distance"]:
        km = _haversine_km(mentors["lat"].to_numpy()[mm], 110.0, mentees["lat"].to_numpy()[ee],
                           110.0)
        assert not np.any(np.abs(km - MAX_KM) < 5)  # far from the threshold: no rounding call
        ok &= km <= MAX_KM
    if mix["distinct_mentee"] in ("role", "two_families"):
        ok &= np.isin(mentors["role"].to_numpy()[mm], ROLES)
    forbidden = rng.random(mm.size) < (0.15 if mix["forbid"] else 0.0)
    idx = np.flatnonzero(ok & ~forbidden)
    if idx.size > MAX_EDGES:  # trim with more forbidden pairs: the brute force stays small
        drop = rng.choice(idx, idx.size - MAX_EDGES, replace=False)
        forbidden[drop] = True
    forbidden &= ok  # only pairs the other rules allow need to be listed
    cand = ok & ~forbidden
    cm, ce = mm[cand], ee[cand]

    shape = mix["shape"]
    if shape == "one_to_one":
        mentees["k"] = 1
        mentors["capacity"] = 1
    elif shape == "one_to_many":
        mentees["k"] = 1
    elif shape == "many_to_one":
        mentors["capacity"] = 1
    if not mix["min_load"] or shape in ("one_to_one", "many_to_one") or (
            mix["unmatched"] == "forbid"):
        mentors["min_load"] = 0
    if mix["distinct_mentee"] in ("role", "two_families"):
        mentees["k"] = np.minimum(mentees["k"], len(ROLES))
    if mix["unmatched"] == "forbid":  # fewer needs, more room (else mostly infeasible)
        if shape in ("many_to_one", "many_to_many"):
            mentees["k"] = np.minimum(rng.integers(0, 3, n_e), np.bincount(ce, minlength=n_e))
        if shape in ("one_to_many", "many_to_many"):
            mentors["capacity"] += 1
    load_col = {"unit": "unit", "weighted": "w2"}.get(mix.get("load"))
    if mix.get("load") == "weighted" and ce.size:
        mentees.loc[ce[0], "w2"] = 2  # at least one candidate pair uses 2 units
    load = mentees[load_col].to_numpy()[ce] if load_col else np.ones(ce.size, np.int64)

    # fixed pairs: within each mentor's capacity and each mentee's demand
    fixed = np.zeros(ce.size, dtype=bool)
    used_m = np.zeros(n_m, np.int64)
    used_e = np.zeros(n_e, np.int64)
    for p in rng.permutation(ce.size)[: mix["n_fixed"]]:
        i, j = cm[p], ce[p]
        if (used_m[i] + load[p] <= mentors["capacity"][i] and used_e[j] < mentees["k"][j]):
            fixed[p] = True
            used_m[i] += load[p]
            used_e[j] += 1

    pen = mix["unmatched"] == "penalty" and mix["levels"] is None
    unmatched = "forbid" if mix["unmatched"] == "forbid" else "allow"
    penalty = mix["penalty"] if pen else None
    pairing = {
        "one_to_one": lambda: bd.OneToOne(unmatched=unmatched, unmatched_penalty=penalty),
        "one_to_many": lambda: bd.OneToMany("capacity", min_load="min_load", unmatched=unmatched,
                                            unmatched_penalty=penalty),
        "many_to_one": lambda: bd.ManyToOne("k", unmatched=unmatched, unmatched_penalty=penalty),
        "many_to_many": lambda: bd.ManyToMany("capacity", "k", min_load="min_load",
                                              unmatched=unmatched, unmatched_penalty=penalty),
    }[shape]()
    mix = {**mix, "penalty_on": pen}

    p = bd.Problem(mentors, mentees, pairing=pairing)
    if mix["same_region"]:
        p.require(bd.SameRegion("county"))
    if mix["max_distance"]:
        p.require(bd.MaxDistance(km=MAX_KM))
    if forbidden.any():
        p.forbid(pd.DataFrame({"mentor_id": mentors["mentor_id"].to_numpy()[mm[forbidden]],
                               "mentee_id": mentees["mentee_id"].to_numpy()[ee[forbidden]]}))
    if fixed.any():
        p.fix(pd.DataFrame({"mentor_id": mentors["mentor_id"].to_numpy()[cm[fixed]],
                            "mentee_id": mentees["mentee_id"].to_numpy()[ce[fixed]]}))
    if mix["distinct_mentee"] in ("distinct", "two_families"):
        p.require(bd.DistinctTypes("type"))
    if mix["distinct_mentee"] in ("role", "two_families"):
        p.require(bd.RoleTemplate(ROLES, column="role"))
    if mix["distinct_mentor"]:
        p.require(bd.DistinctTypes("category", per="mentor"))
    for q in quota_rules(mix, mentors, mentees):
        p.require(q)
    if load_col:
        p.require(bd.Load(mentee_column=load_col))

    # scores: domain fit (0, 1/2, 1), integer pair scores to maximise (s) and to minimise (t)
    s = rng.integers(0, 6, mm.size)
    t = rng.integers(0, 6, mm.size)
    ids = {"mentor_id": mentors["mentor_id"].to_numpy()[mm],
           "mentee_id": mentees["mentee_id"].to_numpy()[ee]}
    tables = {"s": pd.DataFrame({**ids, "s": s}), "t": pd.DataFrame({**ids, "t": t})}
    if mix.get("stable"):
        er = np.argsort(rng.random((n_e, n_m)), axis=1).argsort(axis=1) + 1
        mr = np.argsort(rng.random((n_m, n_e)), axis=1).argsort(axis=1) + 1
        tables["prefs"] = pd.DataFrame({**ids, "mentee_rank": er[ee, mm],
                                        "mentor_rank": mr[mm, ee]})
        p.require(bd.Preferences(tables["prefs"]), bd.Stable())

    def term(tok, where="level"):
        def pair(col, **kw):
            return bd.PairScore(tables[col], col, restrict=False, name=f"{col}_{where}_{tok}",
                                **kw)

        return {"fit": [bd.DomainFit()], "pair": [pair("s")],
                "pairmin": [pair("t", sense="min")],
                "sum": [bd.DomainFit(weight=2), pair("s")]}[tok]

    levels = []
    for tok in mix["levels"] or []:
        if tok == "cov":
            levels.append(bd.Coverage())
        elif tok == "pri":
            levels.append(bd.Coverage(priority="priority"))
        elif tok == "maxmin":
            levels.append(bd.MaxMin(tuple(term(mix["maxmin_term"]))))
        elif tok == "balance":
            levels.append(bd.BalanceLoad())
        else:
            terms = term(tok)
            levels.append(terms if len(terms) > 1 else terms[0])
    scores = [x for tok in mix["prefer"] for x in term(tok, "prefer")]
    if levels:
        p.prefer(*scores, levels=levels)
    elif scores:
        p.prefer(*scores)
    return Case(mix, mentors, mentees, p, cm, ce, fixed, tables)


def quota_rules(mix: dict, mentors: pd.DataFrame, mentees: pd.DataFrame) -> list:
    """The quota rules of a mix (also read by the brute force, as specs).

    A ``{group: bound}`` mapping keeps only the groups some row has (naming another is an
    input error); a quota left with no bound is dropped.
    """
    b = mix.get("quota_bounds", {})
    specs = []
    qm = mix.get("quota_mentor")
    if qm in ("disjoint", "nested", "crossing"):
        specs.append(("tier", "mentor", "pairs", b.get("tier_min"), b.get("tier", 1)))
    if qm == "nested":
        specs.append(("zone", "mentor", "pairs", None, b.get("zone", 2)))
    if qm == "crossing":
        specs.append(("kind", "mentor", "pairs", None, b.get("zone", 2)))
    if qm == "mentors":
        specs.append(("tier", "mentor", "mentors", None, 1))
    qe = mix.get("quota_mentee")
    if qe in ("disjoint", "nested"):
        specs.append(("sub", "mentee", "pairs", None, b.get("sub", 2)))
    if qe == "nested":
        specs.append(("category", "mentee", "pairs", b.get("category_min"),
                      b.get("category", 2)))
    if qe == "mentees":
        specs.append(("category", "mentee", "mentees", *((None, 1) if b.get("served_max", True)
                                                         else (1, None))))
    out = []
    for column, side, count, lo, hi in specs:
        present = set((mentors if side == "mentor" else mentees)[column].astype(str))

        def known(bound, present=present):
            if not isinstance(bound, dict):
                return bound
            kept = {k: v for k, v in bound.items() if k in present}
            return kept or None

        lo, hi = known(lo), known(hi)
        if lo is not None or hi is not None:
            out.append(bd.Quota(column, side=side, count=count, min=lo, max=hi))
    return out


# =========================================================================== brute force
def _onehot(index: np.ndarray, n: int) -> np.ndarray:
    out = np.zeros((index.size, n), dtype=np.int64)
    out[np.arange(index.size), index] = 1
    return out


def _bound_map(bound, names: list[str]) -> dict[str, int]:
    if bound is None:
        return {}
    if isinstance(bound, dict):
        return {str(k): int(v) for k, v in bound.items()}
    return dict.fromkeys(names, int(bound))


def score_vector(case: Case, tokens: list[str]) -> tuple[np.ndarray, bool]:
    """Per candidate pair, the signed weighted score of ``tokens`` in halves; all-min flag."""
    mt, et = case.mentors, case.mentees
    fit = np.array([len(_tags(mt["domains"][i]) & _tags(et["domains"][j]))
                    / len(_tags(et["domains"][j])) for i, j in zip(case.cm, case.ce, strict=True)])
    n_e = len(et)
    s = case.tables["s"]["s"].to_numpy().reshape(-1, n_e)[case.cm, case.ce]
    t = case.tables["t"]["t"].to_numpy().reshape(-1, n_e)[case.cm, case.ce]
    vec = np.zeros(case.cm.size, dtype=np.int64)
    senses = []
    for tok in tokens:
        if tok == "fit":
            vec += np.round(HALF * fit).astype(np.int64)
            senses.append("max")
        elif tok == "pair":
            vec += HALF * s
            senses.append("max")
        elif tok == "pairmin":
            vec -= HALF * t
            senses.append("min")
        elif tok == "sum":
            vec += np.round(HALF * 2 * fit).astype(np.int64) + HALF * s
            senses += ["max", "max"]
    return vec, bool(senses) and all(x == "min" for x in senses)


def level_plan(case: Case) -> list[tuple[str, object]]:
    """The levels, in order, as the library documents them: coverage first when unmatched
    mentees are allowed without a penalty and no Coverage level is given; one coverage level
    per priority value; the ``prefer`` scores as the last level."""
    mix = case.mix
    toks = list(mix["levels"])
    plan: list[tuple[str, object]] = []
    if mix["unmatched"] != "forbid" and not any(t in ("cov", "pri") for t in toks):
        toks.insert(0, "cov")
    for tok in toks:
        if tok == "cov":
            plan.append(("cov", None))
        elif tok == "pri":
            for value in np.unique(case.mentees["priority"]):
                plan.append(("pri", int(value)))
        elif tok == "maxmin":
            plan.append(("maxmin", score_vector(case, [mix["maxmin_term"]])[0]))
        elif tok == "balance":
            plan.append(("balance", None))
        else:
            plan.append(("score", score_vector(case, [tok])))
    if mix["prefer"]:
        plan.append(("score", score_vector(case, list(mix["prefer"]))))
    return plan


def evaluate(case: Case, bits: np.ndarray) -> tuple[np.ndarray, np.ndarray, list[float],
                                                     np.ndarray]:
    """For each row of ``bits`` (a subset of the candidate pairs): feasible, keys to maximise
    lexicographically (int64 matrix), how each key is reported (a factor; NaN: not reported)
    and the objective ``Result.objective`` reports (the last level, or the score total)."""
    mix, mt, et = case.mix, case.mentors, case.mentees
    n_m, n_e = len(mt), len(et)
    cm, ce = case.cm, case.ce
    bits = bits.astype(np.int64)
    on_m, on_e = _onehot(cm, n_m), _onehot(ce, n_e)
    cnt_m, cnt_e = bits @ on_m, bits @ on_e
    if mix.get("load") == "weighted":
        w = et["w2"].to_numpy()[ce]
    else:
        w = np.ones(ce.size, np.int64)
    load_m = bits @ (on_m * w[:, None])
    cap = mt["capacity"].to_numpy()
    need = et["k"].to_numpy()
    ok = np.all(load_m <= cap, axis=1) & np.all(load_m >= mt["min_load"].to_numpy(), axis=1)
    ok &= np.all(cnt_e == need, axis=1) if mix["unmatched"] == "forbid" else np.all(
        cnt_e <= need, axis=1)
    if case.fixed.any():
        ok &= np.all(bits[:, case.fixed] == 1, axis=1)

    def at_most_one(owner, kind):  # one pair per (owner, kind)
        codes = pd.factorize(pd.Series(list(zip(owner, kind, strict=True))))[0]
        return np.all(bits @ _onehot(codes, int(codes.max(initial=-1)) + 1) <= 1, axis=1)

    if mix["distinct_mentee"] in ("distinct", "two_families"):
        ok &= at_most_one(ce, mt["type"].to_numpy()[cm])
    if mix["distinct_mentee"] in ("role", "two_families"):
        ok &= np.isin(mt["role"].to_numpy()[cm], ROLES).all() & at_most_one(
            ce, mt["role"].to_numpy()[cm])
    if mix["distinct_mentor"]:
        ok &= at_most_one(cm, et["category"].to_numpy()[ce])
    for q in quota_rules(mix, mt, et):
        table = mt if q.side == "mentor" else et
        col = table[q.column].astype(str).to_numpy()
        names = sorted(set(col))
        lo, hi = _bound_map(q.min, names), _bound_map(q.max, names)
        if q.count == "pairs":
            group = col[cm] if q.side == "mentor" else col[ce]
            per = {n: bits @ (group == n).astype(np.int64) for n in names}
        elif q.count == "mentees":
            served = ((cnt_e >= need) & (need > 0)).astype(np.int64)
            per = {n: served @ (col == n).astype(np.int64) for n in names}
        else:
            used = (cnt_m >= 1).astype(np.int64)
            per = {n: used @ (col == n).astype(np.int64) for n in names}
        for n in names:
            ok &= (per[n] >= lo.get(n, 0)) & (per[n] <= hi.get(n, 10**9))
    if mix.get("stable"):
        ok &= no_blocking_pair(case, bits, cnt_m, cnt_e)

    keys, report = [], []
    if mix["levels"]:
        for what, data in level_plan(case):
            if what == "cov":
                keys.append(cnt_e.sum(axis=1))
                report.append(1.0)
            elif what == "pri":
                keys.append(bits @ (et["priority"].to_numpy()[ce] == data).astype(np.int64))
                report.append(1.0)
            elif what == "score":
                vec, all_min = data
                keys.append(bits @ vec)
                report.append((-1.0 if all_min else 1.0) / HALF)
            elif what == "maxmin":
                totals = bits @ (on_e * data[:, None])
                worst = np.where(cnt_e >= 1, totals, np.iinfo(np.int64).max).min(axis=1)
                keys.append(np.where(cnt_e.sum(axis=1) > 0, worst, 0))
                report.append(1.0 / HALF)
            elif what == "balance":
                keys.append(-cnt_m.max(axis=1, initial=0))
                report.append(-1.0)
    else:
        vec, all_min = score_vector(case, list(mix["prefer"]))
        total = bits @ vec
        sign = (-1.0 if all_min else 1.0) / HALF
        if mix["unmatched"] == "forbid":
            keys, report = [total], [sign]
        elif mix["penalty_on"]:  # score - penalty per missing mentor: one key, not unique
            missing = int(need.sum()) - cnt_e.sum(axis=1)
            pen = round(HALF * mix["penalty"])
            keys, report = [total - pen * missing], [np.nan]
        else:  # most filled slots first, then the score
            keys, report = [cnt_e.sum(axis=1), total], [np.nan, sign]
        objective = total * sign
    keys_ = np.column_stack(keys).astype(np.int64)
    if mix["levels"]:
        objective = keys_[:, -1] * report[-1]
    return ok, keys_, report, objective


def no_blocking_pair(case: Case, bits, cnt_m, cnt_e) -> np.ndarray:
    """No candidate pair left out whose mentee and mentor would both rather be together."""
    prefs = case.tables["prefs"]
    n_e = len(case.mentees)
    er = prefs["mentee_rank"].to_numpy().reshape(-1, n_e)[case.cm, case.ce]
    mr = prefs["mentor_rank"].to_numpy().reshape(-1, n_e)[case.cm, case.ce]
    same_e = case.ce[:, None] == case.ce[None, :]
    same_m = case.cm[:, None] == case.cm[None, :]
    # [q, p]: pair q is held by p's mentee / mentor and ranked worse than p
    worse_e = (same_e & (er[:, None] > er[None, :])).astype(np.int64)
    worse_m = (same_m & (mr[:, None] > mr[None, :])).astype(np.int64)
    e_open = cnt_e[:, case.ce] < case.mentees["k"].to_numpy()[case.ce]
    m_open = cnt_m[:, case.cm] < case.mentors["capacity"].to_numpy()[case.cm]
    blocks = (bits == 0) & (e_open | (bits @ worse_e > 0)) & (m_open | (bits @ worse_m > 0))
    return ~blocks.any(axis=1)


@dataclass
class Best:
    bits: np.ndarray  # one optimal subset
    keys: np.ndarray
    values: list[float]  # reported level values (keys with a report factor)
    objective: float  # of the optimal subset found (unique unless with a penalty)
    n_feasible: int


def all_subsets(n: int) -> np.ndarray:
    codes = np.arange(1 << n, dtype=np.int64)
    return ((codes[:, None] >> np.arange(n)) & 1).astype(np.int8)


def brute_force(case: Case) -> Best | None:
    """Lexicographically best subset of candidate pairs (None: no subset is feasible)."""
    bits = all_subsets(case.cm.size)
    ok, keys, report, objective = evaluate(case, bits)
    if not ok.any():
        return None
    rows = np.flatnonzero(ok)
    for col in range(keys.shape[1]):
        rows = rows[keys[rows, col] == keys[rows, col].max()]
    best = keys[rows[0]]
    return Best(bits[rows[0]], best, reported(best, report), float(objective[rows[0]]),
                int(ok.sum()))


def reported(keys: np.ndarray, report: list[float]) -> list[float]:
    return [float(k) * f for k, f in zip(keys, report, strict=True) if not math.isnan(f)]


def bits_of(case: Case, pairs: pd.DataFrame) -> np.ndarray:
    """The subset of candidate pairs a result's pairs table selects (all must be candidates)."""
    mi = pd.Index(case.mentors["mentor_id"]).get_indexer(pairs["mentor_id"].astype(str))
    ei = pd.Index(case.mentees["mentee_id"]).get_indexer(pairs["mentee_id"].astype(str))
    where = pd.Index(case.cm * 100 + case.ce).get_indexer(mi * 100 + ei)
    assert (where >= 0).all(), "a pair that is not a candidate from the input tables"
    out = np.zeros((1, case.cm.size), dtype=np.int8)
    out[0, where] = 1
    return out


def check_against(case: Case, best: Best | None, result: bd.Result) -> None:
    """Status, the brute force's own check of the pairs, values, validate."""
    if best is None:
        assert result.status is bd.Status.INFEASIBLE, (result.backend, result.status)
        return
    assert result.status is bd.Status.OPTIMAL, (result.backend, result.status,
                                                result.info.get("reason"))
    ok, keys, _, objective = evaluate(case, bits_of(case, result.pairs))
    assert ok[0], f"{result.backend}: the pairs break a rule (brute-force check)"
    assert keys[0].tolist() == best.keys.tolist(), (result.backend, keys[0], best.keys)
    # the objective the result reports is its own pairs' (the brute force's arithmetic)
    assert result.objective == pytest.approx(float(objective[0]), abs=1e-6)
    if case.mix["levels"]:
        got = result.levels["value"].astype(float).tolist()
        assert got == pytest.approx(best.values, abs=1e-6), (result.backend, got, best.values)
    elif not case.mix["penalty_on"]:  # the optimum's objective is unique
        assert result.objective == pytest.approx(best.objective, abs=1e-6)
    bd.validate(case.problem, result.pairs).raise_if_invalid()


# =========================================================================== rule mixes
LEVEL_TOKENS = ("cov", "pri", "fit", "pair", "pairmin", "sum")


@st.composite
def common_mix(draw) -> dict:
    # richer shapes first: hypothesis leans towards the first choices
    shape = draw(st.sampled_from(["many_to_many", "many_to_one", "one_to_many", "one_to_one"]))
    levels = draw(st.one_of(st.none(), st.lists(st.sampled_from(LEVEL_TOKENS), min_size=1,
                                                max_size=3, unique=True)))
    return {
        "seed": draw(st.integers(0, 2**32 - 1)),
        "n_m": draw(st.sampled_from([2, 3, 4, 5, 5])), "n_e": draw(st.sampled_from([2, 3, 4, 5, 5])),
        "shape": shape, "min_load": draw(st.booleans()),
        "unmatched": draw(st.sampled_from(["allow", "allow", "forbid", "penalty"])),
        "penalty": draw(st.sampled_from([0.5, 1, 3])),
        "same_region": draw(st.booleans()), "max_distance": draw(st.booleans()),
        "forbid": draw(st.booleans()), "n_fixed": draw(st.sampled_from([0, 0, 1, 2])),
        "levels": levels,
        "prefer": draw(st.sampled_from([(), ("fit",), ("pair",), ("pairmin",),
                                        ("fit", "pairmin")])),
        "quota_bounds": {
            "tier": draw(st.sampled_from([1, 2, 3, {"a1": 1}, {"b1": 0, "a2": 2}])),
            "tier_min": draw(st.sampled_from([None, None, {"a1": 1}])),
            "zone": draw(st.integers(1, 3)), "sub": draw(st.sampled_from([1, 2, 3, {"c1a": 1}])),
            "category": draw(st.integers(1, 4)),
            "category_min": draw(st.sampled_from([None, None, {"c2": 1}])),
            "served_max": draw(st.booleans()),
        },
    }


@st.composite
def network_mix(draw) -> dict:
    """A mix of rules the network engine supports."""
    mix = draw(common_mix())
    mix.update({
        "distinct_mentee": draw(st.sampled_from(["distinct", "role", None])),
        "distinct_mentor": draw(st.sampled_from([True, False])),
        "quota_mentor": draw(st.sampled_from(["nested", "disjoint", None])),
        "quota_mentee": draw(st.sampled_from(["nested", "disjoint", None])),
        "load": draw(st.sampled_from([None, None, "unit"])),
    })
    return mix


PLANTS = ("quota_mentees", "quota_mentors", "crossing", "load2", "stable", "maxmin", "balance",
          "two_families")


@st.composite
def planted_mix(draw, plant: str) -> dict:
    """A mix with one rule the network cannot express (it must go to CP-SAT)."""
    mix = draw(network_mix())
    mix["plant"] = plant
    if plant == "quota_mentees":
        mix["quota_mentee"] = "mentees"
    elif plant == "quota_mentors":
        mix["quota_mentor"] = "mentors"
    elif plant == "crossing":
        mix["quota_mentor"] = "crossing"
        mix["n_m"] = max(mix["n_m"], 3)
        mix["quota_bounds"].update(tier=2, tier_min=None)  # every group bounded: they cross
    elif plant == "load2":
        mix["load"] = "weighted"
    elif plant == "stable":
        mix.update(stable=True, min_load=False, distinct_mentee=None, distinct_mentor=False,
                   quota_mentor=None, quota_mentee=None, load=None)
        if not mix["levels"] and not mix["prefer"]:
            mix["prefer"] = ("fit",)  # Stable alone would go to the stable backend
    elif plant in ("maxmin", "balance"):
        toks = [t for t in (mix["levels"] or []) if t in ("cov", "pri")][:1]
        mix["levels"] = [*toks, plant]
        mix["maxmin_term"] = draw(st.sampled_from(["fit", "pair"]))
        if plant == "maxmin":  # several mentors per mentee: no bottleneck shortcut
            mix["shape"] = draw(st.sampled_from(["many_to_one", "many_to_many"]))
        mix["prefer"] = ()
    elif plant == "two_families":
        mix["distinct_mentee"] = "two_families"
    return mix


# =========================================================================== the tests
@_settings(150)
@given(mix=network_mix())
def test_network_equals_cpsat_equals_brute_force(mix):
    case = make_case(mix)
    best = brute_force(case)
    auto = case.problem.solve(time_limit=30)
    compiled = case.problem.compile()
    if compiled.group_rules or compiled.levels:
        assert auto.backend == "network", mix
        network = auto
    else:  # edge and degree rules only: the plain flow backend comes first
        assert auto.backend == "flow", mix
        network = case.problem.solve(backend="network", time_limit=30)
        check_against(case, best, network)
    cpsat = case.problem.solve(backend="cpsat", time_limit=30)
    check_against(case, best, auto)
    check_against(case, best, cpsat)
    if best is not None:
        assert bd.verify_certificate(network) == []
        if network.levels is not None:
            assert network.levels["certified"].all()
            assert (network.levels["status"] == "OPTIMAL").all()


@pytest.mark.parametrize("plant", PLANTS)
@_settings(7)
@given(data=st.data())
def test_non_network_rules_go_to_cpsat_and_match_brute_force(plant, data):
    mix = data.draw(planted_mix(plant))
    case = make_case(mix)
    compiled = case.problem.compile()
    from banghdai.solvers.network import network_supported

    if network_supported(compiled):
        # the planted rule can be harmless on this draw only when it has nothing to act on
        assert mix["plant"] in ("two_families", "load2", "quota_mentors", "quota_mentees",
                                "crossing"), mix["plant"]
        assert compiled.n_edges == 0 or mix["plant"] == "two_families"
        return
    best = brute_force(case)
    result = case.problem.solve(time_limit=30)
    assert result.backend == "cpsat", (mix["plant"], result.backend)
    check_against(case, best, result)
    with pytest.raises(bd.InputError):
        case.problem.solve(backend="network")
    assert bd.verify_certificate(result)[0].startswith("no certificate")


def test_the_generators_cover_every_mix():
    """The strategies above do reach every rule and level token (a guard on the generators)."""
    seen: set = set()

    @_settings(300)
    @given(mix=network_mix())
    def collect(mix):
        seen.update({("shape", mix["shape"]), ("unmatched", mix["unmatched"]),
                     ("dm", mix["distinct_mentee"]), ("dr", mix["distinct_mentor"]),
                     ("qm", mix["quota_mentor"]), ("qe", mix["quota_mentee"]),
                     ("load", mix["load"]), ("fixed", mix["n_fixed"] > 0)})
        seen.update(("level", t) for t in mix["levels"] or [])

    collect()
    for key in [("shape", s) for s in ("one_to_one", "one_to_many", "many_to_one",
                                       "many_to_many")] + \
            [("unmatched", u) for u in ("allow", "forbid", "penalty")] + \
            [("dm", "distinct"), ("dm", "role"), ("dr", True), ("qm", "disjoint"),
             ("qm", "nested"), ("qe", "disjoint"), ("qe", "nested"), ("load", "unit"),
             ("fixed", True)] + [("level", t) for t in LEVEL_TOKENS]:
        assert key in seen, key


def test_nested_quotas_are_laminar_and_crossing_ones_are_not():
    base = {"seed": 3, "n_m": 5, "n_e": 4, "shape": "many_to_many", "min_load": False,
            "unmatched": "allow", "penalty": 1, "same_region": False, "max_distance": False,
            "forbid": False, "n_fixed": 0, "levels": None, "prefer": ("pair",),
            "distinct_mentee": None, "distinct_mentor": False, "quota_mentee": None,
            "load": None, "quota_bounds": {"tier": 1, "zone": 2}}
    from banghdai.solvers.network import network_supported

    nested = make_case({**base, "quota_mentor": "nested"})
    crossing = make_case({**base, "quota_mentor": "crossing"})
    assert network_supported(nested.problem.compile())
    assert not network_supported(crossing.problem.compile())
    for case, backend in ((nested, "network"), (crossing, "cpsat")):
        r = case.problem.solve()
        assert r.backend == backend
        check_against(case, brute_force(case), r)


# =========================================================================== certificates
def city_like_case() -> tuple[Case, bd.Result, Best]:
    """A certified result with levels and a worse feasible alternative to plant."""
    mix = {"seed": 11, "n_m": 4, "n_e": 4, "shape": "many_to_many", "min_load": False,
           "unmatched": "allow", "penalty": 1, "same_region": False, "max_distance": True,
           "forbid": True, "n_fixed": 0, "levels": ["pri", "fit", "pair"], "prefer": (),
           "distinct_mentee": "distinct", "distinct_mentor": False, "quota_mentor": "disjoint",
           "quota_mentee": None, "load": None, "quota_bounds": {"tier": 2}}
    case = make_case(mix)
    result = case.problem.solve()
    assert result.backend == "network" and result.status is bd.Status.OPTIMAL
    assert bd.verify_certificate(result) == []
    best = brute_force(case)
    check_against(case, best, result)
    return case, result, best


def worse_feasible(case: Case, best: Best) -> np.ndarray:
    """A feasible subset that is lexicographically worse than the optimum (bits)."""
    bits = all_subsets(case.cm.size)
    ok, keys, _, _ = evaluate(case, bits)
    worse = np.flatnonzero(ok & np.any(keys != best.keys, axis=1))
    assert worse.size, "no worse feasible pairing to plant"
    # the worse one that agrees with the optimum on the most levels: hardest to catch
    agree = [int(np.argmax(np.append(keys[r] != best.keys, True))) for r in worse]
    return bits[worse[int(np.argmax(agree))]].astype(bool)


def pairs_of(case: Case, chosen: np.ndarray) -> pd.DataFrame:
    return pd.DataFrame({"mentor_id": case.mentors["mentor_id"].to_numpy()[case.cm[chosen]],
                         "mentee_id": case.mentees["mentee_id"].to_numpy()[case.ce[chosen]]})
