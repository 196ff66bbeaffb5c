"""Two-sided stable matching (双向自愿) in index space: deferred acceptance, blocking pairs.

The model is the hospital–resident problem with incomplete lists, generalised to
capacities on both sides:

* ``n_mentees`` mentees and ``n_mentors`` mentors, indexed ``0..n-1``;
* candidate pairs as parallel arrays ``pair_mentee``, ``pair_mentor`` — a pair
  that is absent is unacceptable to both sides;
* ``mentee_rank`` (how the mentee ranks the pair's mentor) and ``mentor_rank``
  (how the mentor ranks the pair's mentee), lower = preferred, any real numbers;
* ``capacity`` per mentor and ``demand`` per mentee (default 1: one-to-many).
  With ``demand > 1`` the problem is many-to-many with responsive preferences
  and the result is pairwise stable (see :func:`blocking_pairs`).

**Ties are broken deterministically by index**: a mentee ranks two mentors of
equal ``mentee_rank`` by the lower mentor index first, a mentor two mentees of
equal ``mentor_rank`` by the lower mentee index first. Every function here
(including :func:`blocking_pairs`) uses these strict orders.

Optionally every mentor belongs to a ``group`` with its own ``group_capacity``
(student–project allocation, SPA-S: a project is a mentor, its supervisor the
group). The group ranks mentees by ``mentor_rank``, which must then be the same
for a mentee at all mentors of one group (a mentor's order is the group's
restricted to it). :func:`deferred_acceptance` then runs SPA-student (Abraham,
Irving & Manlove 2007) and returns the student-optimal stable matching;
groups are supported for mentee proposing with ``demand == 1`` only.

The algorithm is Gale–Shapley deferred acceptance in vectorised rounds, with
no recursion and no Python object per proposal:

* proposers' lists are CSR-ordered (pairs sorted by proposer, rank, other
  index; one int64 key and one sort) and read through a pointer per proposer;
* receivers' lists are CSR-ordered the same way; the pairs a receiver holds
  are marked in that order, and each receiver keeps a *rank threshold* (one
  past its worst held entry once full — every later entry is rejected);
* in a round every proposer with free slots walks down its list, all at once
  with look-ahead windows that double, skipping entries at or beyond their
  receiver's threshold (rejections the receiver would make anyway), until its
  slots are filled by proposals that reach a receiver or its list ends;
* each receiver over capacity drops its worst holds by scanning its marked
  entries downward from the threshold, which only moves towards better
  entries, so all scans together read each pair O(1) times.

The result does not depend on the order of proposals (the proposer-optimal
stable matching is unique), so rounds give the same answer as the textbook
one-at-a-time algorithm. Extra memory peaks at about 75 bytes per pair
(int64 orders and positions, sorting included).

Example
-------
>>> import numpy as np
>>> from banghdai.solvers.deferred import deferred_acceptance
>>> e = np.array([0, 0, 1, 1, 2, 2]); m = np.array([0, 1, 0, 1, 0, 1])
>>> chosen = deferred_acceptance(3, 2, e, m, mentee_rank=[0, 1, 1, 0, 0, 1],
...                              mentor_rank=[1, 0, 0, 1, 2, 2], capacity=[1, 1])
>>> np.flatnonzero(chosen).tolist()  # mentee 0 with mentor 0, mentee 1 with mentor 1
[0, 3]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np

from ..core.errors import InputError, Msg

__all__ = ["blocking_pairs", "deferred_acceptance", "is_stable"]

ArrayLike = np.ndarray | Sequence[int] | Sequence[float]
Proposer = Literal["mentee", "mentor"]


# --------------------------------------------------------------------------- input


def _int_array(name: str, values: object, size: int | None = None) -> np.ndarray:
    arr = np.asarray(values)
    if arr.ndim == 0 and size is not None:
        arr = np.full(size, arr)
    if arr.ndim != 1:
        raise InputError(Msg("arrays.one_dim", shape=arr.shape), column=name)
    if arr.size == 0:
        return arr.astype(np.int64)
    if arr.dtype.kind == "b" or arr.dtype.kind not in "iuf":
        raise InputError(Msg("arrays.int_dtype", dtype=arr.dtype), column=name)
    if arr.dtype.kind == "f":
        bad = ~np.isfinite(arr) | (arr != np.round(arr))
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise InputError(Msg("arrays.int_value", value=arr[i]), row=i, column=name)
    arr = arr.astype(np.int64)
    if size is not None and arr.size != size:
        raise InputError(Msg("arrays.length", size=size, got=arr.size), column=name)
    return arr


def _rank_array(name: str, values: object, size: int) -> np.ndarray:
    arr = np.asarray(values)
    if arr.ndim != 1 or arr.size != size:
        raise InputError(Msg("arrays.per_pair", size=size), column=name)
    if arr.size and arr.dtype.kind not in "iuf":
        raise InputError(Msg("arrays.number_dtype", dtype=arr.dtype), column=name)
    if arr.dtype.kind == "f":
        bad = np.isnan(arr)
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise InputError(Msg("arrays.nan"), table="pairs", row=i, column=name)
    return arr


def _check_range(name: str, arr: np.ndarray, n: int) -> None:
    bad = (arr < 0) | (arr >= n)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise InputError(
            Msg("arrays.index", value=int(arr[i]), last=n - 1), table="pairs", row=i,
            column=name
        )


def _check_nonnegative(name: str, arr: np.ndarray) -> None:
    bad = arr < 0
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise InputError(Msg("arrays.nonnegative", value=int(arr[i])), row=i, column=name)


class _Instance:
    """Validated arrays of one instance (int64 indices, numeric ranks)."""

    def __init__(
        self,
        n_mentees: int | None,
        n_mentors: int | None,
        pair_mentee: ArrayLike,
        pair_mentor: ArrayLike,
        mentee_rank: ArrayLike,
        mentor_rank: ArrayLike,
        capacity: ArrayLike | int,
        demand: ArrayLike | int | None,
        group: ArrayLike | None,
        group_capacity: ArrayLike | None,
    ) -> None:
        self.e = _int_array("pair_mentee", pair_mentee)
        self.m = _int_array("pair_mentor", pair_mentor)
        n = self.e.size
        if self.m.size != n:
            raise InputError(
                Msg("arrays.pair_lengths", a=n, b=self.m.size),
                column="pair_mentor",
            )
        if n_mentors is None:
            cap = np.asarray(capacity)
            n_mentors = int(cap.size) if cap.ndim == 1 else int(self.m.max(initial=-1)) + 1
        if n_mentees is None:
            dem = np.asarray(demand) if demand is not None else np.asarray(1)
            n_mentees = int(dem.size) if dem.ndim == 1 else int(self.e.max(initial=-1)) + 1
        self.n_e, self.n_m, self.n = int(n_mentees), int(n_mentors), n
        _check_range("pair_mentee", self.e, self.n_e)
        _check_range("pair_mentor", self.m, self.n_m)
        self.er = _rank_array("mentee_rank", mentee_rank, n)
        self.mr = _rank_array("mentor_rank", mentor_rank, n)
        self.cap = _int_array("capacity", capacity, self.n_m)
        self.dem = _int_array("demand", 1 if demand is None else demand, self.n_e)
        _check_nonnegative("capacity", self.cap)
        _check_nonnegative("demand", self.dem)
        if n:
            key = self.e * np.int64(self.n_m) + self.m
            if not np.all(key[1:] > key[:-1]):  # pairs not already in (mentee, mentor) order
                key = np.sort(key)
            dup = np.flatnonzero(key[1:] == key[:-1])
            if dup.size:
                i = int(np.flatnonzero(self.e * np.int64(self.n_m) + self.m == key[dup[0]])[1])
                raise InputError(
                    Msg("arrays.pair_twice", e=int(self.e[i]), m=int(self.m[i])),
                    table="pairs",
                    row=i,
                )
        self.group: np.ndarray | None = None
        self.gcap: np.ndarray | None = None
        if group is not None or group_capacity is not None:
            if group is None or group_capacity is None:
                raise InputError(Msg("arrays.group_pair"), column="group")
            gcap = _int_array("group_capacity", group_capacity)
            _check_nonnegative("group_capacity", gcap)
            grp = _int_array("group", group, self.n_m)
            bad = (grp < 0) | (grp >= gcap.size)
            if bad.any():
                i = int(np.flatnonzero(bad)[0])
                raise InputError(
                    Msg("arrays.group_range", value=int(grp[i]), last=gcap.size - 1), row=i,
                    column="group"
                )
            if n:
                # A group ranks a mentee once: mentor_rank must agree across its mentors.
                pg = grp[self.m]
                order = np.lexsort((self.e, pg))
                same = (pg[order][1:] == pg[order][:-1]) & (self.e[order][1:] == self.e[order][:-1])
                diff = same & (self.mr[order][1:] != self.mr[order][:-1])
                if diff.any():
                    i = int(order[np.flatnonzero(diff)[0] + 1])
                    raise InputError(
                        Msg("arrays.group_ranks", e=int(self.e[i]), group=int(pg[i])),
                        table="pairs",
                        row=i,
                        column="mentor_rank",
                    )
            self.group, self.gcap = grp, gcap


def _order(major: np.ndarray, rank: np.ndarray, minor: np.ndarray) -> np.ndarray:
    """Permutation sorting the pairs by (major, rank, minor); (major, minor) are unique.

    One int64 key and a quicksort when it fits (ranks compressed to dense
    integers when they are not small integers), else ``np.lexsort``.
    """
    if major.size == 0:
        return np.zeros(0, dtype=np.int64)
    n_major = int(major.max()) + 1
    n_minor = int(minor.max()) + 1
    dense = None
    if rank.dtype.kind in "iu":
        lo, hi = int(rank.min()), int(rank.max())
        span = hi - lo + 1
        if span <= 4 * rank.size + 16 and -(2**62) < lo and hi < 2**62:
            dense = rank.astype(np.int64) - lo
    if dense is None:
        values, dense = np.unique(rank, return_inverse=True)
        span = values.size
    if n_major * span * n_minor < 2**62:
        key = (major * np.int64(span) + dense) * np.int64(n_minor) + minor
        return np.argsort(key)
    return np.lexsort((minor, rank, major))


def _inverse(order: np.ndarray) -> np.ndarray:
    inv = np.empty_like(order)
    inv[order] = np.arange(order.size, dtype=order.dtype)
    return inv


def _csr(index: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    deg = np.bincount(index, minlength=n).astype(np.int64)
    end = np.cumsum(deg)
    return end - deg, end


def _chosen_mask(chosen: ArrayLike, n: int) -> np.ndarray:
    arr = np.asarray(chosen)
    if arr.dtype.kind == "b":
        if arr.shape != (n,):
            raise InputError(Msg("arrays.mask_length", n=n), column="chosen")
        return arr
    idx = _int_array("chosen", arr)
    _check_range("chosen", idx, n)
    mask = np.zeros(n, dtype=bool)
    mask[idx] = True
    return mask


# --------------------------------------------------------------------------- engine


def _top_marks(
    marked: np.ndarray, top: np.ndarray, bottom: np.ndarray, need: np.ndarray
) -> np.ndarray:
    """Positions of the first ``need[i]`` marked entries scanning down from ``top[i]``.

    Scans ``marked[top[i]], marked[top[i] - 1], ...`` (never below ``bottom[i]``)
    in windows that double, all segments at once. Returns a flat array: for
    segment 0 its ``need[0]`` positions (highest first), then segment 1, ...
    The caller guarantees the marks exist.
    """
    k = top.size
    seg = np.arange(k)
    cur = top.astype(np.int64, copy=True)
    rem = need.astype(np.int64, copy=True)
    win = np.maximum(2 * rem, 32)
    pos_parts: list[np.ndarray] = []
    seg_parts: list[np.ndarray] = []
    while seg.size:
        length = np.minimum(win, cur - bottom[seg] + 1)
        if (length <= 0).any():  # pragma: no cover - an engine invariant broke
            raise RuntimeError("stable matching engine: held entries missing")
        ends = np.cumsum(length)
        starts = ends - length
        total = int(ends[-1])
        offset = np.arange(total) - np.repeat(starts, length)
        pos = np.repeat(cur, length) - offset
        hit = marked[pos]
        csum = np.cumsum(hit)
        before = csum[starts] - hit[starts]
        within = csum - np.repeat(before, length)
        take = hit & (within <= np.repeat(rem, length))
        pos_parts.append(pos[take])
        seg_parts.append(np.repeat(seg, length)[take])
        got = csum[ends - 1] - before
        rem = rem - np.minimum(got, rem)
        cur = cur - length
        more = rem > 0
        seg, cur, rem, win = seg[more], cur[more], rem[more], 2 * win[more]
    if len(pos_parts) == 1:  # one window was enough for every segment: already in order
        return pos_parts[0]
    pos = np.concatenate(pos_parts) if pos_parts else np.zeros(0, np.int64)
    segs = np.concatenate(seg_parts) if seg_parts else np.zeros(0, np.int64)
    return pos[np.argsort(segs, kind="stable")]


def _distinct(values: np.ndarray, stamp: np.ndarray) -> np.ndarray:
    """The distinct entries of ``values`` (each once, any order) without sorting.

    ``stamp`` is scratch space indexed by value (its contents are overwritten).
    """
    if values.size <= 1:
        return values
    slot = np.arange(values.size)
    stamp[values] = slot
    return values[stamp[values] == slot]


def _da(
    prop: np.ndarray,
    recv: np.ndarray,
    prop_rank: np.ndarray,
    recv_rank: np.ndarray,
    prop_cap: np.ndarray,
    recv_cap: np.ndarray,
) -> tuple[np.ndarray, int]:
    """Proposer-optimal stable b-matching by deferred acceptance; (mask, rounds)."""
    n = prop.size
    n_p, n_r = prop_cap.size, recv_cap.size
    order_p = _order(prop, prop_rank, recv)  # proposer lists, best first
    order_r = _order(recv, recv_rank, prop)  # receiver lists, best first
    rpos = _inverse(order_r)
    next_recv = recv[order_p]  # receiver of each proposer-list entry
    next_q = rpos[order_p]  # its position in the receiver's list
    owner = prop[order_r]  # proposer of each receiver-list entry
    p_start, p_end = _csr(prop, n_p)
    r_start, r_end = _csr(recv, n_r)

    lim = np.where(recv_cap > 0, r_end, r_start)  # accept q < lim
    held = np.zeros(n_r, dtype=np.int64)
    marked = np.zeros(n, dtype=bool)
    ptr = p_start.copy()
    free = np.minimum(prop_cap, p_end - p_start)
    stamp_r = np.zeros(n_r, dtype=np.int64)
    stamp_p = np.zeros(n_p, dtype=np.int64)
    active = np.flatnonzero(free > 0)
    rounds = 0
    while active.size:
        rounds += 1
        who, q = _walk(active, ptr, p_end, free, next_q, next_recv, lim)
        if not q.size:
            break
        r = next_recv[q]
        q = next_q[q]
        marked[q] = True
        np.add.at(held, r, 1)
        full = _distinct(r[held[r] >= recv_cap[r]], stamp_r)
        if not full.size:
            break  # every proposal held, nobody evicted: done
        need = held[full] - recv_cap[full] + 1
        found = _top_marks(marked, lim[full] - 1, r_start[full], need)
        last = np.cumsum(need) - 1
        lim[full] = found[last] + 1
        drop = np.ones(found.size, dtype=bool)
        drop[last] = False
        out = found[drop]
        marked[out] = False
        held[full] = recv_cap[full]
        evicted = owner[out]
        np.add.at(free, evicted, 1)
        active = _distinct(evicted, stamp_p)
        active = active[ptr[active] < p_end[active]]
    mask = np.zeros(n, dtype=bool)
    mask[order_r[marked]] = True
    return mask, rounds


def _walk(
    cur: np.ndarray,
    ptr: np.ndarray,
    p_end: np.ndarray,
    free: np.ndarray,
    next_q: np.ndarray,
    next_recv: np.ndarray,
    lim: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Proposers ``cur`` propose down their lists until their free slots are used.

    Entries at or beyond the receiver's threshold are refused on the spot
    (the threshold only tightens, so that is what the receiver would do);
    the walk looks ahead in windows that double, for all proposers at once.
    Advances ``ptr`` and lowers ``free`` in place; returns (proposer,
    proposer-list position) of the proposals that reach a receiver.
    """
    who_parts: list[np.ndarray] = []
    pos_parts: list[np.ndarray] = []
    width = 1
    cur = cur[ptr[cur] < p_end[cur]]
    while cur.size:
        want = free[cur]
        length = np.minimum(want * width, p_end[cur] - ptr[cur])
        ends = np.cumsum(length)
        starts = ends - length
        pos = np.repeat(ptr[cur], length) + (np.arange(int(ends[-1])) - np.repeat(starts, length))
        ok = next_q[pos] < lim[next_recv[pos]]
        csum = np.cumsum(ok)
        before = csum[starts] - ok[starts]
        within = csum - np.repeat(before, length)
        wanted = np.repeat(want, length)
        take = ok & (within <= wanted)
        who_parts.append(np.repeat(cur, length)[take])
        pos_parts.append(pos[take])
        got = np.minimum(csum[ends - 1] - before, want)
        done = got == want
        ptr[cur] += length
        ptr[cur[done]] = pos[take & (within == wanted)] + 1
        free[cur] -= got
        cur = cur[~done]
        cur = cur[ptr[cur] < p_end[cur]]
        width *= 2
    if len(pos_parts) == 1:
        return who_parts[0], pos_parts[0]
    return np.concatenate(who_parts), np.concatenate(pos_parts)


def _spa_student(
    e: np.ndarray,
    m: np.ndarray,
    e_rank: np.ndarray,
    m_rank: np.ndarray,
    cap: np.ndarray,
    group: np.ndarray,
    gcap: np.ndarray,
    n_e: int,
) -> tuple[np.ndarray, int]:
    """Student-optimal stable matching of SPA-S (mentors = projects, groups = lecturers).

    SPA-student of Abraham, Irving & Manlove (2007) with its deletions kept as
    rank thresholds; each round takes at most one proposal per group, which is
    a valid sequential order of that algorithm (groups do not interact).
    """
    n = e.size
    n_m, n_g = cap.size, gcap.size
    g = group[m]
    order_p = _order(e, e_rank, m)
    order_r = _order(m, m_rank, e)
    order_g = np.lexsort((m, e, m_rank, g))
    rpos, gpos = _inverse(order_r), _inverse(order_g)
    next_m, next_g = m[order_p], g[order_p]
    next_q, next_gq = rpos[order_p], gpos[order_p]
    q_to_g = gpos[order_r]
    g_to_q = rpos[order_g]
    owner_q = e[order_r]
    owner_g = e[order_g]
    mentor_of_g = m[order_g]
    p_start, p_end = _csr(e, n_e)
    r_start, r_end = _csr(m, n_m)
    g_start, g_end = _csr(g, n_g)

    lim = np.where(cap > 0, r_end, r_start)
    glim = np.where(gcap > 0, g_end, g_start)
    held = np.zeros(n_m, dtype=np.int64)
    gheld = np.zeros(n_g, dtype=np.int64)
    marked = np.zeros(n, dtype=bool)
    gmarked = np.zeros(n, dtype=bool)
    ptr = p_start.copy()
    active = np.flatnonzero(p_end > p_start)
    rounds = 0
    while active.size:
        rounds += 1
        pos = ptr[active]
        r, lg = next_m[pos], next_g[pos]
        q, gq = next_q[pos], next_gq[pos]
        deleted = (q >= lim[r]) | (gq >= glim[lg])
        ptr[active[deleted]] += 1
        live = np.flatnonzero(~deleted)
        _, first = np.unique(lg[live], return_index=True)
        go = live[first]
        wait = np.ones(live.size, dtype=bool)
        wait[first] = False
        nxt = [active[deleted], active[live[wait]]]
        who, r, lg, q, gq = active[go], r[go], lg[go], q[go], gq[go]
        ptr[who] += 1
        marked[q] = True
        gmarked[gq] = True
        held[r] += 1
        gheld[lg] += 1
        # Project over-subscribed: it drops its worst student.
        over = held[r] > cap[r]
        if over.any():
            ro = r[over]
            out = _top_marks(marked, lim[ro] - 1, r_start[ro], np.ones(ro.size, np.int64))
            marked[out] = False
            gmarked[q_to_g[out]] = False
            held[ro] -= 1
            gheld[lg[over]] -= 1
            nxt.append(owner_q[out])
        # Else the group over-subscribed: it drops its worst student anywhere.
        gover = ~over & (gheld[lg] > gcap[lg])
        if gover.any():
            lo = lg[gover]
            out = _top_marks(gmarked, glim[lo] - 1, g_start[lo], np.ones(lo.size, np.int64))
            gmarked[out] = False
            marked[g_to_q[out]] = False
            held[mentor_of_g[out]] -= 1
            gheld[lo] -= 1
            nxt.append(owner_g[out])
        # Full project: delete the successors of its worst student.
        pf = r[held[r] == cap[r]]
        if pf.size:
            lim[pf] = _top_marks(marked, lim[pf] - 1, r_start[pf], np.ones(pf.size, np.int64)) + 1
        # Full group: delete its projects from the successors of its worst student.
        gf = lg[gheld[lg] == gcap[lg]]
        if gf.size:
            glim[gf] = (
                _top_marks(gmarked, glim[gf] - 1, g_start[gf], np.ones(gf.size, np.int64)) + 1
            )
        active = np.concatenate(nxt)
        active = active[ptr[active] < p_end[active]]
    mask = np.zeros(n, dtype=bool)
    mask[order_r[marked]] = True
    return mask, rounds


def _solve(inst: _Instance, proposer: str) -> tuple[np.ndarray, int]:
    if proposer not in ("mentee", "mentor"):
        raise InputError(Msg("input.unknown_choice", what="proposer", value=proposer),
                         choices=["mentee", "mentor"])
    if inst.n == 0:
        return np.zeros(0, dtype=bool), 0
    if inst.group is not None:
        assert inst.gcap is not None
        if proposer != "mentee":
            raise InputError(
                Msg("arrays.spa_proposer"), column="proposer"
            )
        if np.any(inst.dem > 1):
            raise InputError(Msg("arrays.spa_demand"), column="demand")
        keep = inst.dem[inst.e] > 0
        idx = np.flatnonzero(keep)
        sub, rounds = _spa_student(
            inst.e[idx], inst.m[idx], inst.er[idx], inst.mr[idx],
            inst.cap, inst.group, inst.gcap, inst.n_e,
        )  # fmt: skip
        mask = np.zeros(inst.n, dtype=bool)
        mask[idx[sub]] = True
        return mask, rounds
    if proposer == "mentee":
        return _da(inst.e, inst.m, inst.er, inst.mr, inst.dem, inst.cap)
    return _da(inst.m, inst.e, inst.mr, inst.er, inst.cap, inst.dem)


# --------------------------------------------------------------------------- public


def deferred_acceptance(
    n_mentees: int | None,
    n_mentors: int | None,
    pair_mentee: ArrayLike,
    pair_mentor: ArrayLike,
    mentee_rank: ArrayLike,
    mentor_rank: ArrayLike,
    capacity: ArrayLike | int,
    *,
    demand: ArrayLike | int | None = None,
    proposer: Proposer = "mentee",
    group: ArrayLike | None = None,
    group_capacity: ArrayLike | None = None,
) -> np.ndarray:
    """Proposer-optimal stable matching by Gale–Shapley deferred acceptance.

    Parameters
    ----------
    n_mentees, n_mentors : int or None
        Number of mentees and mentors (``None``: from ``demand``/``capacity``
        when they are arrays, else one past the largest index in the pairs).
    pair_mentee, pair_mentor : array of int, shape (n_pairs,)
        The acceptable pairs; each (mentee, mentor) at most once.
    mentee_rank, mentor_rank : array of numbers, shape (n_pairs,)
        The mentee's rank of the pair's mentor and the mentor's rank of the
        pair's mentee; lower is preferred. Ties: lower index of the other side
        first.
    capacity : int or array of int, shape (n_mentors,)
        Most mentees per mentor (0 allowed).
    demand : int or array of int, shape (n_mentees,), optional
        Most mentors per mentee; default 1. Above 1 the matching is many-to-many
        and pairwise stable, optimal for the proposing side (each proposer's set
        is its best choice out of its set in any stable matching joined with it).
    proposer : {"mentee", "mentor"}
        ``"mentee"`` gives the mentee-optimal (mentor-pessimal) stable
        matching, ``"mentor"`` the mentor-optimal one.
    group, group_capacity : array of int, optional
        Mentor ``i`` belongs to group ``group[i]`` taking at most
        ``group_capacity[group[i]]`` mentees across its mentors (SPA-S:
        mentor = project, group = supervisor). ``mentor_rank`` is then the
        group's rank of the mentee and must agree across a group's mentors.
        Mentee proposing and ``demand <= 1`` only; the result is the
        student-optimal SPA-S stable matching.

    Returns
    -------
    numpy.ndarray of bool, shape (n_pairs,)
        ``True`` for the pairs in the matching.

    Raises
    ------
    InputError
        Out-of-range indices, duplicate pairs, negative capacities, NaN ranks,
        an unknown ``proposer`` or an unsupported group setting.

    Examples
    --------
    Three mentees, two mentors of capacity 1:

    >>> import numpy as np
    >>> from banghdai.solvers.deferred import deferred_acceptance
    >>> e = np.array([0, 0, 1, 1, 2, 2]); m = np.array([0, 1, 0, 1, 0, 1])
    >>> er = [0, 1, 1, 0, 0, 1]; mr = [1, 0, 0, 1, 2, 2]
    >>> np.flatnonzero(deferred_acceptance(3, 2, e, m, er, mr, [1, 1])).tolist()
    [0, 3]
    >>> np.flatnonzero(deferred_acceptance(3, 2, e, m, er, mr, [1, 1], proposer="mentor")).tolist()
    [1, 2]
    """
    inst = _Instance(
        n_mentees, n_mentors, pair_mentee, pair_mentor, mentee_rank, mentor_rank,
        capacity, demand, group, group_capacity,
    )  # fmt: skip
    return _solve(inst, proposer)[0]


def blocking_pairs(
    pair_mentee: ArrayLike,
    pair_mentor: ArrayLike,
    mentee_rank: ArrayLike,
    mentor_rank: ArrayLike,
    capacity: ArrayLike,
    chosen: ArrayLike,
    *,
    demand: ArrayLike | int | None = None,
    group: ArrayLike | None = None,
    group_capacity: ArrayLike | None = None,
    n_mentees: int | None = None,
) -> np.ndarray:
    """Indices of the candidate pairs that block ``chosen``.

    A pair (e, m) not in the matching blocks when

    * e has fewer than ``demand[e]`` mentors (1 by default: e is unmatched) or
      prefers m to its worst current mentor, **and**
    * m has fewer than ``capacity[m]`` mentees or prefers e to its worst
      current mentee.

    With groups (SPA-S, ``demand <= 1``), the second condition is the
    Abraham–Irving–Manlove one for project m of group g: (a) m and g both
    under capacity; or (b) m under capacity, g full, and e already with g or
    g prefers e to its worst mentee; or (c) m full and g prefers e to m's
    worst mentee. Preferences are the ranks with ties broken by index, as in
    :func:`deferred_acceptance`. ``chosen`` is assumed to respect the
    capacities (:func:`is_stable` checks that too).

    Parameters
    ----------
    pair_mentee, pair_mentor, mentee_rank, mentor_rank : array, shape (n_pairs,)
        The candidate pairs and their ranks (see :func:`deferred_acceptance`).
    capacity : array of int, shape (n_mentors,)
        Mentor capacities; its length is the number of mentors.
    chosen : array of bool, shape (n_pairs,), or array of int
        The matching, as a mask over the pairs or as pair indices.
    demand : int or array of int, optional
        Mentee capacities (default 1).
    group, group_capacity : array of int, optional
        The SPA-S extension (see :func:`deferred_acceptance`).
    n_mentees : int, optional
        Number of mentees (default: ``len(demand)`` or the largest index + 1).

    Returns
    -------
    numpy.ndarray of int
        Pair indices, ascending; empty when ``chosen`` is stable.

    Examples
    --------
    >>> import numpy as np
    >>> from banghdai.solvers.deferred import blocking_pairs
    >>> e = np.array([0, 0, 1, 1, 2, 2]); m = np.array([0, 1, 0, 1, 0, 1])
    >>> er = [0, 1, 1, 0, 0, 1]; mr = [1, 0, 0, 1, 2, 2]
    >>> blocking_pairs(e, m, er, mr, [1, 1], [0, 3]).tolist()
    []
    >>> blocking_pairs(e, m, er, mr, [1, 1], [0, 5]).tolist()  # unmatched mentee 1 blocks twice
    [2, 3]
    """
    cap_arr = np.asarray(capacity)
    inst = _Instance(
        n_mentees, int(cap_arr.size) if cap_arr.ndim == 1 else None, pair_mentee, pair_mentor,
        mentee_rank, mentor_rank, capacity, demand, group, group_capacity,
    )  # fmt: skip
    chosen_mask = _chosen_mask(chosen, inst.n)
    return _blocking(inst, chosen_mask)


def _blocking(inst: _Instance, chosen: np.ndarray) -> np.ndarray:
    e, m, n = inst.e, inst.m, inst.n
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    ekey = _inverse(_order(e, inst.er, m))  # position in the mentee's list
    ce, cm = e[chosen], m[chosen]
    e_load = np.bincount(ce, minlength=inst.n_e)
    e_worst = np.full(inst.n_e, -1, dtype=np.int64)
    np.maximum.at(e_worst, ce, ekey[chosen])
    e_wants = ~chosen & ((e_load[e] < inst.dem[e]) | (ekey < e_worst[e]))
    m_load = np.bincount(cm, minlength=inst.n_m)
    m_under = m_load[m] < inst.cap[m]
    if inst.group is None:
        mkey = _inverse(_order(m, inst.mr, e))  # position in the mentor's list
        m_worst = np.full(inst.n_m, -1, dtype=np.int64)
        np.maximum.at(m_worst, cm, mkey[chosen])
        m_wants = m_under | (mkey < m_worst[m])
        return np.flatnonzero(e_wants & m_wants)
    assert inst.gcap is not None
    grp = inst.group
    g = grp[m]
    gkey = _inverse(np.lexsort((m, e, inst.mr, g)))  # the group's order, mentee-major
    g_load = np.bincount(g[chosen], minlength=inst.gcap.size)
    g_worst = np.full(inst.gcap.size, -1, dtype=np.int64)
    np.maximum.at(g_worst, g[chosen], gkey[chosen])
    p_worst = np.full(inst.n_m, -1, dtype=np.int64)
    np.maximum.at(p_worst, cm, gkey[chosen])
    e_group = np.full(inst.n_e, -1, dtype=np.int64)
    e_group[ce] = grp[cm]
    g_under = g_load[g] < inst.gcap[g]
    a = m_under & g_under
    b = m_under & ~g_under & ((e_group[e] == g) | (gkey < g_worst[g]))
    c = ~m_under & (gkey < p_worst[m])
    return np.flatnonzero(e_wants & (a | b | c))


def is_stable(
    pair_mentee: ArrayLike,
    pair_mentor: ArrayLike,
    mentee_rank: ArrayLike,
    mentor_rank: ArrayLike,
    capacity: ArrayLike,
    chosen: ArrayLike,
    *,
    demand: ArrayLike | int | None = None,
    group: ArrayLike | None = None,
    group_capacity: ArrayLike | None = None,
    n_mentees: int | None = None,
) -> bool:
    """True when ``chosen`` respects every capacity and no pair blocks it.

    Same arguments as :func:`blocking_pairs`; ``chosen`` holds candidate pairs
    only, so every matched pair is acceptable to both sides by construction.

    Examples
    --------
    >>> from banghdai.solvers.deferred import is_stable
    >>> e = [0, 0, 1, 1, 2, 2]; m = [0, 1, 0, 1, 0, 1]
    >>> er = [0, 1, 1, 0, 0, 1]; mr = [1, 0, 0, 1, 2, 2]
    >>> is_stable(e, m, er, mr, [1, 1], [1, 2]), is_stable(e, m, er, mr, [1, 1], [0, 5])
    (True, False)
    >>> is_stable(e, m, er, mr, [1, 1], [2, 4])  # mentor 0 over capacity
    False
    """
    cap_arr = np.asarray(capacity)
    inst = _Instance(
        n_mentees, int(cap_arr.size) if cap_arr.ndim == 1 else None, pair_mentee, pair_mentor,
        mentee_rank, mentor_rank, capacity, demand, group, group_capacity,
    )  # fmt: skip
    mask = _chosen_mask(chosen, inst.n)
    if np.any(np.bincount(inst.e[mask], minlength=inst.n_e) > inst.dem):
        return False
    if np.any(np.bincount(inst.m[mask], minlength=inst.n_m) > inst.cap):
        return False
    if inst.group is not None:
        assert inst.gcap is not None
        load = np.bincount(inst.group[inst.m[mask]], minlength=inst.gcap.size)
        if np.any(load > inst.gcap):
            return False
    return _blocking(inst, mask).size == 0
