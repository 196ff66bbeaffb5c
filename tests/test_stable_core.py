"""Two-sided stable matching core (:mod:`banghdai.stable`).

* random instances (hypothesis): no blocking pair on either proposer side,
  capacities respected, checked by an independent pure-Python checker too,
  and the same matching as a textbook one-proposal-at-a-time DA;
* brute force on tiny instances: DA returns the proposer-optimal stable
  matching of the enumerated stable set; rural-hospitals theorem;
  many-to-many (``demand > 1``) and SPA-S groups likewise;
* the peer library ``matching`` (daffidwilde) on random hospital–resident and
  student–project instances: identical resident/hospital-optimal matchings;
* the SPA tutorial data set: the published student-optimal matching exactly.

Independent checkers here re-derive preferences from the raw ranks with the
documented tie-break (lower index of the other side first) and never call
:func:`banghdai.solvers.deferred.blocking_pairs`.
"""

from __future__ import annotations

import csv
import itertools
import json
import warnings
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from banghdai.core.errors import InputError
from banghdai.solvers.deferred import blocking_pairs, deferred_acceptance, is_stable

SETTINGS = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
SPA_DIR = Path(__file__).resolve().parents[2] / "shared" / "benchmarks" / "spa-daffidwilde-tutorial"


# ----------------------------------------------------------------------------- instances


def random_instance(
    seed: int,
    n_e: int,
    n_m: int,
    *,
    density: float = 0.6,
    max_cap: int = 3,
    max_dem: int = 1,
    ties: bool = False,
    n_groups: int = 0,
    anti: bool = False,
) -> dict:
    """A random instance as keyword arguments of :func:`deferred_acceptance`.

    ``anti``: the mentors' ranks run against the mentees' (a mentor likes least
    the mentees that like it most), which makes several stable matchings common.
    """
    rng = np.random.default_rng(seed)
    acc = rng.random((n_e, n_m)) < density
    e, m = np.nonzero(acc)
    perm = rng.permutation(e.size)  # pairs in no particular order
    e, m = e[perm], m[perm]
    if ties:
        er = rng.integers(0, 3, e.size)
        mr = rng.integers(0, 3, e.size)
    else:
        er = rng.permutation(e.size)
        mr = rng.permutation(e.size)
    # position of the pair in its mentee's list (0 = first choice)
    pos = np.empty(e.size, dtype=np.int64)
    order = np.lexsort((m, er, e))
    starts = np.searchsorted(e[order], e[order])
    pos[order] = np.arange(e.size) - starts
    if anti:
        mr = -3 * pos + rng.integers(0, 4, e.size)
    inst = dict(
        n_mentees=n_e,
        n_mentors=n_m,
        pair_mentee=e,
        pair_mentor=m,
        mentee_rank=er,
        mentor_rank=mr,
        capacity=rng.integers(0 if max_cap > 1 else 1, max_cap + 1, n_m),
    )
    if max_dem > 1:
        inst["demand"] = rng.integers(0, max_dem + 1, n_e)
    if n_groups:
        group = rng.integers(0, n_groups, n_m)
        # a group ranks each mentee once: mentor_rank = the group's rank of the mentee
        if ties:
            grank = rng.integers(0, 3, (n_groups, n_e))
        else:
            grank = rng.permutation(n_groups * n_e).reshape(n_groups, n_e)
        if anti:  # a group likes least the mentees keenest on its mentors
            keen = np.full((n_groups, n_e), 99)
            np.minimum.at(keen, (group[m], e), pos)
            grank = -3 * keen + rng.integers(0, 4, (n_groups, n_e))
        inst["mentor_rank"] = grank[group[m], e]
        inst["group"] = group
        inst["group_capacity"] = rng.integers(0, max_cap + 1, n_groups)
    return inst


def drawn_instance(seed: int, *, kind: str = "hr") -> dict:
    """Up to 40 x 8 with sizes and options drawn from ``seed`` (hypothesis draws the seed).

    ``kind``: "hr" (demand 1), "b" (demands up to 3) or "spa" (groups).
    """
    rng = np.random.default_rng([seed, 1])
    n_m = int(rng.integers(1, 9))
    return random_instance(
        seed,
        int(rng.integers(0, 41)),
        n_m,
        density=float(rng.uniform(0.1, 1.0)),
        max_cap=int(rng.integers(1, 6)),
        max_dem=3 if kind == "b" else 1,
        ties=bool(rng.random() < 0.3),
        n_groups=int(rng.integers(1, max(2, n_m))) if kind == "spa" else 0,
        anti=bool(rng.random() < 0.5),
    )


def tiny_instance(seed: int, kind: str = "hr") -> dict:
    """At most 4 mentees x 3 mentors with conflicting (cyclic or opposed) preferences.

    About one in eight has several stable matchings, so optimality is tested
    for real; ``kind`` as in :func:`drawn_instance`.
    """
    rng = np.random.default_rng([seed, 2])
    if kind == "b":
        n_e, n_m = int(rng.choice([2, 3, 3])), int(rng.choice([2, 3]))
    else:
        n_e, n_m = int(rng.choice([3, 4, 4])), int(rng.choice([2, 3, 3]))
    e, m = np.nonzero(rng.random((n_e, n_m)) < rng.choice([0.8, 1.0, 1.0]))
    perm = rng.permutation(e.size)
    e, m = e[perm], m[perm]
    shift = rng.integers(0, n_m)
    er = (m - e * shift) % n_m * 4 + rng.integers(0, 3, e.size)
    mr = (e - m - 1) % n_e * 4 + rng.integers(0, 3, e.size)
    if rng.random() < 0.4:  # mentors like least the mentees keenest on them
        mr = -er + rng.integers(0, 6, e.size)
    inst = dict(
        n_mentees=n_e,
        n_mentors=n_m,
        pair_mentee=e,
        pair_mentor=m,
        mentee_rank=er,
        mentor_rank=mr,
        capacity=rng.integers(1, 3, n_m),
    )
    if kind == "b":
        inst["demand"] = rng.integers(1, 3, n_e)
    if kind == "spa":
        n_g = 2 if n_m > 1 else 1
        group = rng.permutation(np.arange(n_m) % n_g)
        grank = rng.permutation(n_g * n_e).reshape(n_g, n_e)
        if rng.random() < 0.7:  # a group likes least the mentees keenest on its mentors
            keen = np.full((n_g, n_e), 99)
            np.minimum.at(keen, (group[m], e), er)
            grank = -keen + rng.integers(0, 6, (n_g, n_e))
        inst["mentor_rank"] = grank[group[m], e]
        inst["group"] = group
        inst["group_capacity"] = rng.integers(1, 4, n_g)
    return inst


def check_args(inst: dict) -> dict:
    """The keyword arguments of blocking_pairs / is_stable for ``inst``."""
    out = {
        k: inst[k] for k in ("pair_mentee", "pair_mentor", "mentee_rank", "mentor_rank", "capacity")
    }
    for k in ("demand", "group", "group_capacity"):
        if k in inst:
            out[k] = inst[k]
    out["n_mentees"] = inst["n_mentees"]
    return out


class Naive:
    """Pure-Python view of an instance: preference keys, loads, stability."""

    def __init__(self, inst: dict) -> None:
        self.e = [int(x) for x in inst["pair_mentee"]]
        self.m = [int(x) for x in inst["pair_mentor"]]
        self.n = len(self.e)
        self.cap = [int(x) for x in inst["capacity"]]
        n_e = inst["n_mentees"]
        dem = inst.get("demand", 1)
        self.dem = [int(x) for x in np.broadcast_to(dem, (n_e,))]
        # strict preference keys: (rank, index of the other side)
        self.ekey = [(inst["mentee_rank"][i], self.m[i]) for i in range(self.n)]
        self.mkey = [(inst["mentor_rank"][i], self.e[i]) for i in range(self.n)]
        self.group = None
        if "group" in inst:
            self.group = [int(x) for x in inst["group"]]
            self.gcap = [int(x) for x in inst["group_capacity"]]

    def feasible(self, S: set[int]) -> bool:
        for who, caps in ((self.e, self.dem), (self.m, self.cap)):
            load: dict[int, int] = {}
            for i in S:
                load[who[i]] = load.get(who[i], 0) + 1
            if any(v > caps[k] for k, v in load.items()):
                return False
        if self.group is not None:
            load = {}
            for i in S:
                g = self.group[self.m[i]]
                load[g] = load.get(g, 0) + 1
            if any(v > self.gcap[k] for k, v in load.items()):
                return False
        return True

    def blocking(self, S: set[int]) -> list[int]:
        out = []
        for i in range(self.n):
            if i in S:
                continue
            e, m = self.e[i], self.m[i]
            e_set = [j for j in S if self.e[j] == e]
            m_set = [j for j in S if self.m[j] == m]
            e_wants = len(e_set) < self.dem[e] or any(self.ekey[i] < self.ekey[j] for j in e_set)
            if not e_wants:
                continue
            if self.group is None:
                m_wants = len(m_set) < self.cap[m] or any(
                    self.mkey[i] < self.mkey[j] for j in m_set
                )
            else:  # SPA-S (Abraham, Irving & Manlove 2007), demand <= 1
                g = self.group[m]
                g_set = [j for j in S if self.group[self.m[j]] == g]
                p_under = len(m_set) < self.cap[m]
                g_under = len(g_set) < self.gcap[g]
                with_g = any(self.e[j] == e for j in g_set)
                m_wants = (
                    (p_under and g_under)
                    or (
                        p_under
                        and not g_under
                        and (with_g or any(self.mkey[i] < self.mkey[j] for j in g_set))
                    )
                    or (not p_under and any(self.mkey[i] < self.mkey[j] for j in m_set))
                )
            if m_wants:
                out.append(i)
        return out

    def partners(self, S: set[int], side: str, who: int) -> list:
        """Preference keys of ``who``'s partners in ``S``, best first."""
        if side == "mentee":
            return sorted(self.ekey[j] for j in S if self.e[j] == who)
        return sorted(self.mkey[j] for j in S if self.m[j] == who)

    def matchings(self):
        """Every set of pairs within the capacities (by mentee when demands are <= 1)."""
        if max(self.dem, default=0) <= 1:
            options: dict[int, list] = {e: [None] for e in range(len(self.dem))}
            for i in range(self.n):
                if self.dem[self.e[i]]:
                    options[self.e[i]].append(i)
            for combo in itertools.product(*options.values()):
                S = {i for i in combo if i is not None}
                if self.feasible(S):
                    yield S
            return
        assert self.n <= 14
        for bits in range(1 << self.n):
            S = {i for i in range(self.n) if bits >> i & 1}
            if self.feasible(S):
                yield S

    def stable_matchings(self) -> list[set[int]]:
        return [S for S in self.matchings() if not self.blocking(S)]


def reference_da(inst: dict, proposer: str) -> set[int]:
    """Textbook one-proposal-at-a-time deferred acceptance (many-to-many), in Python."""
    naive = Naive(inst)
    if proposer == "mentee":
        me, other, key, other_key, cap, other_cap = (
            naive.e, naive.m, naive.ekey, naive.mkey, naive.dem, naive.cap
        )  # fmt: skip
    else:
        me, other, key, other_key, cap, other_cap = (
            naive.m, naive.e, naive.mkey, naive.ekey, naive.cap, naive.dem
        )  # fmt: skip
    lists: dict[int, list[int]] = {}
    for i in sorted(range(naive.n), key=lambda i: key[i]):
        lists.setdefault(me[i], []).append(i)
    nxt = dict.fromkeys(lists, 0)
    holds: dict[int, list[int]] = {}  # receiver -> pair indices held
    count = dict.fromkeys(lists, 0)
    queue = [p for p in lists if cap[p] > 0]
    while queue:
        p = queue.pop()
        while count[p] < cap[p] and nxt[p] < len(lists[p]):
            i = lists[p][nxt[p]]
            nxt[p] += 1
            r = other[i]
            held = sorted([*holds.get(r, []), i], key=lambda j: other_key[j])
            holds[r] = held[: other_cap[r]]
            count[p] += 1
            for j in held[other_cap[r] :]:
                count[me[j]] -= 1
                queue.append(me[j])
    return {i for held in holds.values() for i in held}


def solve(inst: dict, proposer: str) -> np.ndarray:
    chosen = deferred_acceptance(**inst, proposer=proposer)
    assert chosen.dtype == bool and chosen.shape == (len(inst["pair_mentee"]),)
    return chosen


# ----------------------------------------------------------------------------- random


@SETTINGS
@given(seed=st.integers(0, 2**32 - 1), kind=st.sampled_from(["hr", "hr", "b"]))
def test_random_instances_are_stable(seed, kind):
    inst = drawn_instance(seed, kind=kind)
    naive = Naive(inst)
    args = check_args(inst)
    for proposer in ("mentee", "mentor"):
        chosen = solve(inst, proposer)
        S = set(np.flatnonzero(chosen).tolist())
        assert naive.feasible(S)  # capacities and demands respected
        assert blocking_pairs(**args, chosen=chosen).size == 0
        assert is_stable(**args, chosen=chosen)
        assert naive.blocking(S) == []
        # indices and masks are interchangeable
        assert blocking_pairs(**args, chosen=np.flatnonzero(chosen)).size == 0
        # the same as the textbook one-proposal-at-a-time algorithm
        assert S == reference_da(inst, proposer)


@SETTINGS
@given(seed=st.integers(0, 2**32 - 1))
def test_random_spa_instances_are_stable(seed):
    inst = drawn_instance(seed, kind="spa")
    chosen = solve(inst, "mentee")
    S = set(np.flatnonzero(chosen).tolist())
    naive = Naive(inst)
    assert naive.feasible(S)
    assert naive.blocking(S) == []
    assert is_stable(**check_args(inst), chosen=chosen)


@SETTINGS
@given(seed=st.integers(0, 2**32 - 1), kind=st.sampled_from(["hr", "b", "spa"]))
def test_blocking_pairs_agrees_with_naive_on_arbitrary_matchings(seed, kind):
    rng = np.random.default_rng(seed)
    inst = tiny_instance(seed, kind)
    naive = Naive(inst)
    n = len(inst["pair_mentee"])
    for _ in range(10):  # random feasible matchings, greedy in random order
        S: set[int] = set()
        for i in rng.permutation(n).tolist():
            if rng.random() < 0.7 and naive.feasible(S | {i}):
                S.add(i)
        got = blocking_pairs(**check_args(inst), chosen=sorted(S)).tolist()
        assert got == naive.blocking(S)
        assert is_stable(**check_args(inst), chosen=sorted(S)) == (not got)


# ----------------------------------------------------------------------------- brute force


def best(keys: list, k: int) -> list:
    return sorted(keys)[:k]


def check_against_enumeration(inst: dict) -> int:
    """DA is the proposer-optimal stable matching; rural hospitals. Returns #stable."""
    naive = Naive(inst)
    stable = naive.stable_matchings()
    assert stable  # a stable matching exists
    n_e, n_m = inst["n_mentees"], inst["n_mentors"]
    men = set(np.flatnonzero(solve(inst, "mentee")).tolist())
    assert men in stable
    # each mentee's set is its choice out of (its DA set ∪ its set in any stable matching)
    for S in stable:
        for e in range(n_e):
            assert best(naive.partners(men | S, "mentee", e), naive.dem[e]) == naive.partners(
                men, "mentee", e
            )
    if "group" not in inst:
        mor = set(np.flatnonzero(solve(inst, "mentor")).tolist())
        assert mor in stable
        for S in stable:
            for m in range(n_m):
                assert best(naive.partners(mor | S, "mentor", m), naive.cap[m]) == (
                    naive.partners(mor, "mentor", m)
                )
    # rural hospitals: every stable matching has the same degree on both sides
    if "group" not in inst:
        degrees = {
            (tuple(sorted(naive.e[i] for i in S)), tuple(sorted(naive.m[i] for i in S)))
            for S in stable
        }
    else:  # SPA-S (Abraham et al. 2007, thm 3.4): same students, same group loads,
        # and the same load on each project of an under-subscribed group
        g_load = np.bincount(inst["group"][inst["pair_mentor"][sorted(men)]], minlength=2)
        under = g_load < inst["group_capacity"]
        degrees = {
            (
                tuple(sorted(naive.e[i] for i in S)),
                tuple(sorted(naive.group[naive.m[i]] for i in S)),
                tuple(sorted(naive.m[i] for i in S if under[naive.group[naive.m[i]]])),
            )
            for S in stable
        }
    assert len(degrees) == 1
    return len(stable)


@SETTINGS
@given(seed=st.integers(0, 2**32 - 1), kind=st.sampled_from(["hr", "b", "spa"]))
def test_brute_force_proposer_optimal(seed, kind):
    check_against_enumeration(tiny_instance(seed, kind))


@pytest.mark.parametrize("kind", ["hr", "b", "spa"])
def test_brute_force_sweep_with_several_stable_matchings(kind):
    """A fixed sweep, so instances with several stable matchings are surely covered."""
    counts = [check_against_enumeration(tiny_instance(seed, kind)) for seed in range(1000)]
    several = sum(c > 1 for c in counts)
    assert several >= 50, several


# ----------------------------------------------------------------------------- edge cases


def test_edge_cases_and_input_errors():
    empty = dict(pair_mentee=[], pair_mentor=[], mentee_rank=[], mentor_rank=[])
    assert deferred_acceptance(0, 0, **empty, capacity=[]).size == 0
    assert deferred_acceptance(2, 1, **empty, capacity=[3]).size == 0
    one = dict(pair_mentee=[0], pair_mentor=[0], mentee_rank=[0], mentor_rank=[0])
    assert deferred_acceptance(1, 1, **one, capacity=[0]).tolist() == [False]
    assert deferred_acceptance(1, 1, **one, capacity=[1], demand=0).tolist() == [False]
    assert deferred_acceptance(1, 1, **one, capacity=2, proposer="mentor").tolist() == [True]
    # floats and negative ranks are fine; ties go to the lower index
    tie = dict(pair_mentee=[0, 0], pair_mentor=[1, 0], mentee_rank=[0.5, 0.5], mentor_rank=[-1, 7])
    assert deferred_acceptance(1, 2, **tie, capacity=[1, 1]).tolist() == [False, True]
    with pytest.raises(InputError, match="listed twice"):
        deferred_acceptance(1, 1, [0, 0], [0, 0], [0, 1], [0, 1], [1])
    with pytest.raises(InputError, match="out of range"):
        deferred_acceptance(1, 1, [0], [1], [0], [0], [1])
    with pytest.raises(InputError, match=">= 0"):
        deferred_acceptance(1, 1, [0], [0], [0], [0], [-1])
    with pytest.raises(InputError, match="NaN"):
        deferred_acceptance(1, 1, [0], [0], [np.nan], [0], [1])
    with pytest.raises(InputError, match="valid choices"):
        deferred_acceptance(1, 1, [0], [0], [0], [0], [1], proposer="both")
    with pytest.raises(InputError, match="mentee proposing only"):
        deferred_acceptance(1, 1, [0], [0], [0], [0], [1], proposer="mentor", group=[0],
                            group_capacity=[1])  # fmt: skip
    with pytest.raises(InputError, match="ranks each mentee once"):
        deferred_acceptance(1, 2, [0, 0], [0, 1], [0, 1], [0, 1], [1, 1], group=[0, 0],
                            group_capacity=[1])  # fmt: skip


def test_order_of_pairs_does_not_matter():
    inst = random_instance(7, 40, 6, max_cap=4, ties=True)
    chosen = solve(inst, "mentee")
    perm = np.random.default_rng(1).permutation(len(inst["pair_mentee"]))
    shuffled = dict(inst)
    for k in ("pair_mentee", "pair_mentor", "mentee_rank", "mentor_rank"):
        shuffled[k] = np.asarray(inst[k])[perm]
    assert np.array_equal(solve(shuffled, "mentee"), chosen[perm])


def test_medium_instance_full_lists():
    rng = np.random.default_rng(3)
    n_e, n_m = 600, 60
    e = np.repeat(np.arange(n_e), n_m)
    m = np.tile(np.arange(n_m), n_e)
    er = rng.random((n_e, n_m)).argsort(axis=1).argsort(axis=1).ravel()
    mr = rng.random((n_m, n_e)).argsort(axis=1).argsort(axis=1).T.ravel()
    cap = rng.integers(5, 15, n_m)
    for proposer in ("mentee", "mentor"):
        chosen = deferred_acceptance(n_e, n_m, e, m, er, mr, cap, proposer=proposer)
        assert chosen.sum() == min(n_e, cap.sum())
        assert is_stable(e, m, er, mr, cap, chosen)


# ----------------------------------------------------------------------------- peer library


def _hr_instance(seed: int, n_r: int, n_h: int):
    rng = np.random.default_rng(seed)
    length = rng.integers(1, 6, n_r)
    resident_prefs = {r: rng.permutation(n_h)[: length[r]].tolist() for r in range(n_r)}
    hosp_order = {h: rng.permutation(n_r).tolist() for h in range(n_h)}
    hospital_prefs = {h: [r for r in hosp_order[h] if h in resident_prefs[r]] for h in range(n_h)}
    capacities = {h: int(rng.integers(1, 8)) for h in range(n_h)}
    return resident_prefs, hospital_prefs, capacities


def _to_arrays(student_prefs: dict, owner_prefs: dict, owner_of=lambda p: p):
    """Pairs (student, project) with the student's and the owner's rank."""
    e, m, er, mr = [], [], [], []
    for s, prefs in student_prefs.items():
        for k, p in enumerate(prefs):
            e.append(s)
            m.append(p)
            er.append(k)
            mr.append(owner_prefs[owner_of(p)].index(s))
    return np.array(e), np.array(m), np.array(er), np.array(mr)


@pytest.mark.parametrize("seed", range(8))
def test_matches_peer_library_hospital_resident(seed):
    matching = pytest.importorskip("matching")
    from matching.games import HospitalResident

    n_r, n_h = 60, 10
    rp, hp, caps = _hr_instance(seed, n_r, n_h)
    hp = {h: prefs for h, prefs in hp.items() if prefs}
    caps = {h: c for h, c in caps.items() if h in hp}
    e, m, er, mr = _to_arrays(rp, hp)
    cap = np.array([caps.get(h, 0) for h in range(n_h)])
    for optimal, proposer in (("resident", "mentee"), ("hospital", "mentor")):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            game = HospitalResident.create_from_dictionaries(rp, hp, caps)
            theirs = game.solve(optimal=optimal)
        expected = {(r.name, h.name) for h, rs in theirs.items() for r in rs}
        chosen = deferred_acceptance(n_r, n_h, e, m, er, mr, cap, proposer=proposer)
        ours = set(zip(e[chosen].tolist(), m[chosen].tolist(), strict=True))
        assert ours == expected, matching.__version__


@pytest.mark.parametrize("seed", range(8))
def test_matches_peer_library_student_allocation(seed):
    pytest.importorskip("matching")
    from matching.games import StudentAllocation

    rng = np.random.default_rng(seed)
    n_s, n_p, n_l = 40, 12, 5
    supervisor = {p: int(rng.integers(0, n_l)) for p in range(n_p)}
    length = rng.integers(1, 5, n_s)
    sp = {s: rng.permutation(n_p)[: length[s]].tolist() for s in range(n_s)}
    order = {lec: rng.permutation(n_s).tolist() for lec in range(n_l)}
    lp = {
        lec: [s for s in order[lec] if any(supervisor[p] == lec for p in sp[s])]
        for lec in range(n_l)
    }
    used = {p for prefs in sp.values() for p in prefs}
    pcap = {p: int(rng.integers(1, 4)) for p in used}
    lcap = {lec: int(rng.integers(1, 6)) for lec in range(n_l) if lp[lec]}
    lp = {lec: prefs for lec, prefs in lp.items() if prefs}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        game = StudentAllocation.create_from_dictionaries(
            sp, lp, {p: supervisor[p] for p in used}, pcap, lcap
        )
        theirs = game.solve(optimal="student")
    expected = {(s.name, p.name) for p, ss in theirs.items() for s in ss}
    e, m, er, mr = _to_arrays(sp, lp, owner_of=supervisor.__getitem__)
    chosen = deferred_acceptance(
        n_s, n_p, e, m, er, mr, [pcap.get(p, 0) for p in range(n_p)],
        group=[supervisor[p] for p in range(n_p)],
        group_capacity=[lcap.get(lec, 0) for lec in range(n_l)],
    )  # fmt: skip
    assert set(zip(e[chosen].tolist(), m[chosen].tolist(), strict=True)) == expected


# ----------------------------------------------------------------------------- SPA data set


def _spa_instance(folder: Path):
    """The tutorial's cleaning rules 1–6 (README of the data set)."""
    with open(folder / "projects.csv", newline="") as f:
        projects = list(csv.DictReader(f))
    with open(folder / "supervisors.csv", newline="") as f:
        sup_cap = {row["name"]: int(row["capacity"]) for row in csv.DictReader(f)}
    with open(folder / "students.csv", newline="") as f:
        students = list(csv.reader(f))[1:]
    p_cap = {row["code"]: int(row["capacity"]) for row in projects}
    p_sup = {row["code"]: row["supervisor"] for row in projects}
    choices, cohort = {}, {}
    for row in students:
        name, rank, picks = int(row[0]), int(row[1]), row[2:]
        kept: list[str] = []
        for code in picks:  # rule 2: existing codes, first occurrence
            if code in p_cap and code not in kept:
                kept.append(code)
        if kept:  # rule 1
            choices[name], cohort[name] = kept, rank
    ranked = {c for kept in choices.values() for c in kept}
    codes = [row["code"] for row in projects if row["code"] in ranked]  # rule 4
    sups = sorted({p_sup[c] for c in codes})
    p_cap = {c: min(p_cap[c], sup_cap[p_sup[c]]) for c in codes}  # rule 5
    s_cap = {s: min(sup_cap[s], sum(p_cap[c] for c in codes if p_sup[c] == s)) for s in sups}
    names = sorted(choices)
    e, m, er, mr = [], [], [], []
    for i, name in enumerate(names):
        for k, code in enumerate(choices[name]):
            e.append(i)
            m.append(codes.index(code))
            er.append(k)
            mr.append(cohort[name])  # rule 3: supervisors rank by cohort rank
    inst = dict(
        n_mentees=len(names),
        n_mentors=len(codes),
        pair_mentee=np.array(e),
        pair_mentor=np.array(m),
        mentee_rank=np.array(er),
        mentor_rank=np.array(mr),
        capacity=np.array([p_cap[c] for c in codes]),
        group=np.array([sups.index(p_sup[c]) for c in codes]),
        group_capacity=np.array([s_cap[s] for s in sups]),
    )
    return inst, names, codes


def test_spa_tutorial_student_optimal_matching():
    if not SPA_DIR.is_dir():
        pytest.skip(f"data set not present: {SPA_DIR}")
    inst, names, codes = _spa_instance(SPA_DIR)
    assert (len(names), len(codes), len(set(inst["group"].tolist()))) == (97, 69, 26)
    expected = json.loads((SPA_DIR / "expected_student_optimal_matching.json").read_text())
    chosen = solve(inst, "mentee")
    got = {c: [] for c in codes}
    for i in np.flatnonzero(chosen):
        got[codes[inst["pair_mentor"][i]]].append(names[inst["pair_mentee"][i]])
    want = expected["project_to_students"]
    assert set(want) == set(codes)
    assert {c: sorted(v) for c, v in got.items()} == {c: sorted(v) for c, v in want.items()}
    matched = {names[i] for i in inst["pair_mentee"][chosen]}
    assert sorted(set(names) - matched) == expected["unmatched_students_with_choices"]
    assert len(matched) == expected["n_matched"] == 93
    assert is_stable(**check_args(inst), chosen=chosen)
