"""Certificates of optimality, checked against the problem without any solver.

The network engine (:mod:`banghdai.solvers.network`) proves each level it solves with node
potentials. :func:`verify_certificate` re-checks that proof for a :class:`~banghdai.Result`
from ``result.problem`` (its input tables and rules) and the returned pairs; the potentials
the result carries are only the *claim* under test. :func:`check_certificate` is the same
complementary-slackness check for a bare network given as arrays. Like the validator, this
module imports no solver and nothing from the compiler.

Why the check is sound
----------------------
1. **The network is rebuilt from the problem** (:class:`_Net`), never read from the result:
   a pair arc for every admissible pair, ``source -> mentor`` arcs bounded by ``min_load``
   and ``capacity``, ``mentee -> sink`` arcs by the demand (exact when unmatched is
   forbidden), a ``(mentee, type)`` node of capacity 1 per type rule (三型, a role template;
   ``(mentor, type)`` for ``per="mentor"``), a node per bounded quota group on pairs, nested
   as the groups nest (crossing groups: refused), fixed pairs as lower bounds, and per
   connected component a ``sink -> source`` arc bounded by what the component can carry.
   Level costs are rebuilt too: coverage (by priority) from the mentees table, scores from
   each rule's own validator score (``check_score``), scaled and rounded.
2. **It is a relaxation of the problem**: every pairing that satisfies the hard rules is an
   integral flow of this network (1 on its pair arcs, the counts elsewhere) whose level
   costs are minus the pairing's level values. So if the returned pairs' flow is
   lexicographically least among *all* flows of the network, no feasible pairing is
   lexicographically better.
3. **The admissible pairs are complete**: a superset is enumerated from one rule's own
   definition (a join on the region column, a k-d tree ball with a little slack for a
   distance, the k-th nearest distance for ``Nearest``, a tag join, the rows of a
   restricting table, or the whole grid up to 30 million pairs) and then filtered by every
   restricting rule's validator check (``violations``) and the role templates. A missing
   arc is exactly how a forged network hides a better pairing; an extra one would only make
   a genuine certificate fail, never a false one pass.
4. **The pairs are checked, not trusted**: unknown ids, a pair listed twice, a pair that is
   not admissible, or a flow outside the bounds (capacity, demand, quota, type) is refused.
5. **Each level is proved on its face**: with the claimed potentials ``pi_k`` and
   ``rc = cost - pi[tail] + pi[head]``, the flow must sit at the face's lower bound where
   ``rc > 0`` and at its upper bound where ``rc < 0``. For a circulation ``cost @ y =
   rc @ y`` for every flow ``y``, so every ``y`` in the face costs at least as much, and the
   optimal flows of the face are exactly the next face (nonzero-``rc`` arcs fixed). By
   induction the flow is lexicographically optimal for every level the claim covers.
6. **The claim cannot blur the costs**: each score level's claimed scale must be the one
   the compiler's rule (:func:`banghdai.core.integers.choose_scale`) gives for the rebuilt
   scores, or finer and exact. A score within 1e-6 of a rounding tie may be rounded either
   way (the validator's distance formula differs from the compiler's in the last bits): the
   proof then holds for a valid rounding.

What is proved is optimality for the integer costs the solver optimises (scores rounded at
the scale), level by level, for the levels the claim covers (a ``TIMEOUT`` result covers
fewer). Only network rules can be certified (one type family per side, quotas on pairs,
unit loads, linear levels); anything else gives ``"cannot certify: ..."``.

Example
-------
>>> import pandas as pd, banghdai as bd
>>> mentors = pd.DataFrame({"mentor_id": ["A", "B"], "type": ["x", "y"]})
>>> p = bd.Problem(mentors, pd.DataFrame({"mentee_id": ["E"]}), pairing=bd.ManyToOne(2))
>>> r = p.require(bd.DistinctTypes("type")).solve()
>>> bd.verify_certificate(r)
[]
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import numpy as np
import pandas as pd

from ..core.ids import ids_as_str
from ..core.integers import FLOW_LIMIT, int_array, node_balance

#: the checker refuses larger costs / potentials (keeps its int64 reduced costs exact).
_CHECK_LIMIT = 2**60


def _arc_list(idx: np.ndarray, limit: int = 5) -> str:
    shown = ", ".join(str(int(i)) for i in idx[:limit])
    return shown + (", ..." if idx.size > limit else "")


def check_certificate(net: Any, level_costs, flow, outcomes, *,
                      complete: bool = True) -> list[str]:
    """Verify a lexicographic flow and its certificates without any solver (empty list: valid).

    Checks that ``flow`` is integral, meets the supplies, and, level by level: lies in the
    level's face; the face is the network's bounds (level 0) or the previous face with every
    arc of nonzero reduced cost fixed; the potentials satisfy complementary slackness on
    the face (``rc = cost - pi[tail] + pi[head]``; ``rc > 0`` needs the lower bound, ``rc < 0``
    the upper one); and ``value == cost @ flow``.  Together these prove the flow
    lexicographically optimal for the levels in ``outcomes``.  ``complete=False`` accepts
    fewer outcomes than levels (a ``"TIMEOUT"`` result).

    ``net`` is anything with ``tail``, ``head``, ``lower``, ``upper``, ``supply``,
    ``n_arcs`` and ``n_nodes`` (a :class:`~banghdai.solvers.netflow.Network`, or the arrays
    of a result's certificate); each outcome has ``value``, ``potentials``, ``face_lower``
    and ``face_upper``.

    >>> from types import SimpleNamespace as NS
    >>> net = NS(tail=[0, 0, 1], head=[1, 2, 2], lower=[0, 0, 0], upper=[2, 2, 2],
    ...          supply=[2, 0, -2], n_arcs=3, n_nodes=3)
    >>> outcomes = [NS(value=4, potentials=[0, -1, -2], face_lower=[0, 0, 0],
    ...                face_upper=[2, 2, 2])]
    >>> check_certificate(net, [[1, 3, 1]], [2, 0, 2], outcomes)
    []
    >>> for problem in check_certificate(net, [[1, 3, 1]], [1, 1, 1], outcomes):
    ...     print(problem)
    level 0: 1 arc(s) with positive reduced cost are above the face lower bound: 1
    level 0: value 4 claimed but cost @ flow is 5
    """
    m, n = int(net.n_arcs), int(net.n_nodes)
    net = SimpleNamespace(tail=int_array("tail", net.tail, (m,)),
                          head=int_array("head", net.head, (m,)),
                          lower=int_array("lower", net.lower, (m,)),
                          upper=int_array("upper", net.upper, (m,)),
                          supply=int_array("supply", net.supply, (n,)))
    try:
        costs = [int_array(f"level_costs[{k}]", c, (m,)) for k, c in enumerate(level_costs)]
        x = int_array("flow", flow, (m,))
    except ValueError as err:
        return [str(err)]
    problems: list[str] = []
    if len(outcomes) > len(costs):
        problems.append(f"{len(outcomes)} outcomes for {len(costs)} levels")
    elif complete and len(outcomes) < len(costs):
        problems.append(f"only {len(outcomes)} of {len(costs)} levels are certified")
    if float(np.abs(x.astype(np.float64)).sum()) < FLOW_LIMIT:
        balance = node_balance(n, net.tail, net.head, x)
    else:  # exact Python integers rather than wrapping int64 sums
        balance = np.zeros(n, dtype=object)
        np.add.at(balance, net.tail, x.astype(object))
        np.subtract.at(balance, net.head, x.astype(object))
    off = np.flatnonzero(balance != net.supply)
    if off.size:
        problems.append(f"conservation fails at {off.size} node(s): {_arc_list(off)}")
    lower, upper = net.lower, net.upper  # the face level k must have been solved on
    for k, (cost, out) in enumerate(zip(costs, outcomes, strict=False)):
        try:
            face_lo = int_array(f"level {k} face_lower", out.face_lower, (m,))
            face_hi = int_array(f"level {k} face_upper", out.face_upper, (m,))
            pi = int_array(f"level {k} potentials", out.potentials, (n,))
        except ValueError as err:
            problems.append(str(err))
            break
        what = "the network's bounds" if k == 0 else f"level {k - 1}'s face with nonzero-rc arcs fixed"
        differ = np.flatnonzero((face_lo != lower) | (face_hi != upper))
        if differ.size:
            problems.append(f"level {k}: face differs from {what} on {differ.size} arc(s): "
                            f"{_arc_list(differ)}")
        outside = np.flatnonzero((x < face_lo) | (x > face_hi))
        if outside.size:
            problems.append(f"level {k}: flow leaves the face on {outside.size} arc(s): "
                            f"{_arc_list(outside)}")
        if (cost.size and np.abs(cost).max() >= _CHECK_LIMIT) or (
                pi.size and np.abs(pi).max() >= _CHECK_LIMIT):
            problems.append(f"level {k}: costs or potentials reach 2**60; cannot check exactly")
            break
        rc = cost - pi[net.tail] + pi[net.head]
        high = np.flatnonzero((rc > 0) & (x != face_lo))
        if high.size:
            problems.append(f"level {k}: {high.size} arc(s) with positive reduced cost are "
                            f"above the face lower bound: {_arc_list(high)}")
        low = np.flatnonzero((rc < 0) & (x != face_hi))
        if low.size:
            problems.append(f"level {k}: {low.size} arc(s) with negative reduced cost are "
                            f"below the face upper bound: {_arc_list(low)}")
        value = int(np.dot(cost.astype(object), x.astype(object))) if m else 0
        if out.value != value:
            problems.append(f"level {k}: value {out.value} claimed but cost @ flow is {value}")
        lower, upper = np.where(rc < 0, face_hi, face_lo), np.where(rc > 0, face_lo, face_hi)
    return problems


# =========================================================================== the problem's network
class _Refused(Exception):
    """The problem (or the claim) is outside what the checker can prove; the text says why."""


#: rebuild the candidate pairs by enumerating the full grid only up to this many pairs
_GRID_LIMIT = 30_000_000
#: pairs handed to the rules' validator checks at a time (bounds the checker's memory)
_CHUNK = 400_000


def _positions(table: Any, ids: Any) -> np.ndarray:
    return pd.Index(table.ids).get_indexer(ids_as_str(ids))


def _xyz(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    a, b = np.radians(lat), np.radians(lon)
    return np.column_stack([np.cos(a) * np.cos(b), np.cos(a) * np.sin(b), np.sin(a)])


def _coords(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    lat = pd.to_numeric(frame["lat"], errors="coerce").to_numpy(float)
    lon = pd.to_numeric(frame["lon"], errors="coerce").to_numpy(float)
    ok = ~(np.isnan(lat) | np.isnan(lon))
    return np.flatnonzero(ok), _xyz(lat[ok], lon[ok])


def _superset(problem: Any, rule: Any) -> tuple[float, Any] | None:
    """(size, maker) of a superset of the pairs ``rule`` allows, from the input tables alone
    (a second implementation, not the compiler's generators); None: no enumeration."""
    from scipy.spatial import cKDTree

    from ..core.ids import value_keys
    from ..data.schema import tag_pairs
    from ..model.rules import MaxDistance, Nearest, PairScore, Preferences, SameRegion, SharesDomain

    mt, et = problem.mentor_table, problem.mentee_table
    if isinstance(rule, PairScore | Preferences) and rule.restricts:  # the pairs it lists
        def listed():
            m = _positions(mt, rule.table[rule.mentor])
            e = _positions(et, rule.table[rule.mentee])
            ok = (m >= 0) & (e >= 0)
            return m[ok], e[ok]
        return float(len(rule.table)), listed
    if isinstance(rule, SameRegion):
        a = pd.Series(value_keys(mt.frame[rule.level]), dtype=object)
        b = pd.Series(value_keys(et.frame[rule.level]), dtype=object)
        size = float((a.value_counts() * b.value_counts()).sum())

        def same():
            left = pd.DataFrame({"k": a, "m": np.arange(len(a))}).dropna()
            right = pd.DataFrame({"k": b, "e": np.arange(len(b))}).dropna()
            j = left.merge(right, on="k")
            return j["m"].to_numpy(np.int64), j["e"].to_numpy(np.int64)
        return size, same
    if isinstance(rule, SharesDomain) and rule.min_shared >= 1:
        rm, tm = tag_pairs(mt, rule.mentor_column, "certificate")
        re_, te = tag_pairs(et, rule.mentee_column, "certificate")
        left = pd.DataFrame({"t": tm.astype(str), "m": rm})
        right = pd.DataFrame({"t": te.astype(str), "e": re_})
        size = float((left["t"].value_counts() * right["t"].value_counts()).sum())

        def shared():
            j = left.merge(right, on="t")[["m", "e"]].drop_duplicates()
            return j["m"].to_numpy(np.int64), j["e"].to_numpy(np.int64)
        return size, shared
    if isinstance(rule, MaxDistance | Nearest):
        if not all(c in f.columns for f in (mt.frame, et.frame) for c in ("lat", "lon")):
            return None
        rows_m, pm = _coords(mt.frame)
        rows_e, pe = _coords(et.frame)
        if isinstance(rule, MaxDistance):
            km = np.full(rows_e.size, float(rule.km))
        else:
            from .validate import _kth_nearest_km

            km = _kth_nearest_km(problem, rule.k, rows_e)
            keep = ~np.isnan(km)
            rows_e, pe, km = rows_e[keep], pe[keep], km[keep]
        radius = 2 * np.sin(np.minimum(km / 6371.0088, np.pi) / 2) * (1 + 1e-6) + 1e-9
        if rows_m.size == 0 or rows_e.size == 0:
            return 0.0, lambda: (np.empty(0, np.int64), np.empty(0, np.int64))
        tree = cKDTree(pm)
        size = float(tree.query_ball_point(pe, radius, return_length=True).sum())

        def near():
            balls = tree.query_ball_point(pe, radius)
            sizes = np.fromiter((len(x) for x in balls), dtype=np.int64, count=len(balls))
            if not sizes.sum():
                return np.empty(0, np.int64), np.empty(0, np.int64)
            m = np.concatenate([np.asarray(x, np.int64) for x in balls])
            return rows_m[m], np.repeat(rows_e, sizes)
        return size, near
    return None


def _admissible(problem: Any) -> tuple[np.ndarray, np.ndarray]:
    """Every pair the problem's hard rules allow, as (mentor rows, mentee rows) sorted by
    (mentee, mentor): a superset enumerated from one rule, then every restricting rule's
    validator check (``violations``) and the role templates, chunk by chunk."""
    from .validate import PairView, _restricting

    mt, et = problem.mentor_table, problem.mentee_table
    n_m, n_e = len(mt), len(et)
    rules = _restricting(problem)
    found = [x for x in (_superset(problem, r) for r in rules) if x is not None]
    if found:
        m, e = min(found, key=lambda x: x[0])[1]()
    elif n_m * n_e <= _GRID_LIMIT:
        m = np.tile(np.arange(n_m, dtype=np.int64), n_e)
        e = np.repeat(np.arange(n_e, dtype=np.int64), n_m)
    else:
        raise _Refused(f"cannot enumerate the admissible pairs of {n_m:,} x {n_e:,}: no "
                       "region, distance, domain or pair-table rule bounds them")
    keep = np.ones(m.size, dtype=bool)
    mid, eid = mt.ids, et.ids
    for start in range(0, m.size, _CHUNK):
        cm, ce = m[start: start + _CHUNK], e[start: start + _CHUNK]
        view = PairView(problem, pd.DataFrame({"mentor_id": mid[cm], "mentee_id": eid[ce],
                                               "_m": cm, "_e": ce}))
        ok = np.ones(cm.size, dtype=bool)
        for rule in rules:
            bad, _ = rule.violations(view)
            ok &= ~np.asarray(bad, dtype=bool)
        keep[start: start + _CHUNK] = ok
    from ..core.ids import value_keys

    for rule in problem.group_rules:
        if rule.key == "role_template":
            role = value_keys(mt.frame[rule.column])
            keep &= np.isin(role[m], list(rule.roles))
    m, e = m[keep], e[keep]
    key = e * max(n_m, 1) + m
    key, first = np.unique(key, return_index=True)
    return m[first], e[first]


class _Net:
    """The checker's own network of ``problem``: nodes, arcs, the pairs' flow, level costs."""

    def __init__(self, problem: Any, pairs: pd.DataFrame) -> None:
        from ..core.ids import value_keys
        from ..data.schema import degree_values
        from ..model.groups import quota_bounds

        self.problem = problem
        mt, et = problem.mentor_table, problem.mentee_table
        n_m, n_e = len(mt), len(et)
        self.problems: list[str] = []
        for rule in problem.group_rules:
            if rule.key not in ("distinct_types", "role_template", "quota", "load"):
                raise _Refused(f"{type(rule).__name__} is not a network rule")
        # ---- the candidate pairs and the returned pairs among them
        cm, ce = _admissible(problem)
        self.cm, self.ce = cm, ce
        ids_m, ids_e = ids_as_str(pairs["mentor_id"]), ids_as_str(pairs["mentee_id"])
        pm, pe = _positions(mt, ids_m), _positions(et, ids_e)
        unknown = np.flatnonzero((pm < 0) | (pe < 0))
        if unknown.size:
            self.problems.append(f"{unknown.size} pair row(s) name an unknown mentor or mentee")
        pm, pe = pm[(pm >= 0) & (pe >= 0)], pe[(pm >= 0) & (pe >= 0)]
        width = max(n_m, 1)
        cand_key = ce * width + cm
        pair_key = pe.astype(np.int64) * width + pm
        uniq, counts = np.unique(pair_key, return_counts=True)
        if (counts > 1).any():
            self.problems.append(f"{int((counts > 1).sum())} pair(s) listed more than once "
                                 f"(e.g. {mt.ids[uniq[counts > 1][0] % width]} - "
                                 f"{et.ids[uniq[counts > 1][0] // width]})")
        pos = np.searchsorted(cand_key, uniq)
        hit = (pos < cand_key.size) & (cand_key[np.minimum(pos, max(cand_key.size - 1, 0))]
                                       == uniq) if cand_key.size else np.zeros(uniq.size, bool)
        if not hit.all():
            self.problems.append(f"{int((~hit).sum())} pair(s) are not admissible candidates "
                                 "of the problem")
        chosen = np.zeros(cm.size, dtype=np.int64)
        chosen[pos[hit]] = 1
        # ---- degree bounds
        pairing = problem.pairing
        cap_hi = degree_values(mt, pairing.capacity, "capacity")
        cap_lo = degree_values(mt, pairing.min_load, "min_load")
        demand = degree_values(et, pairing.mentors_per_mentee, "mentors_per_mentee")
        self.must = pairing.unmatched == "forbid"
        need_lo = demand if self.must else np.zeros(n_e, np.int64)
        fixed = np.zeros(cm.size, dtype=np.int64)
        for rule in problem.fixed:
            fm, fe = _positions(mt, rule.table[rule.mentor]), _positions(et, rule.table[rule.mentee])
            k = fe.astype(np.int64) * width + fm
            at = np.searchsorted(cand_key, k)
            ok = (fm >= 0) & (fe >= 0) & (at < cand_key.size)
            ok[ok] &= cand_key[at[ok]] == k[ok]
            if not ok.all():
                raise _Refused("a fixed pair is not an admissible candidate")
            fixed[at] = 1
        for rule in problem.group_rules:
            if rule.key == "load":
                from .validate import _pair_loads

                view = pd.DataFrame({"mentor_id": mt.ids[cm], "mentee_id": et.ids[ce],
                                     "_m": cm, "_e": ce})
                if not np.all(_pair_loads(problem, view) == 1):
                    raise _Refused("weighted loads are not a network")
        # ---- type families: (mentee, mentor's type) and (mentor, mentee's type) nodes
        fam: dict[str, np.ndarray] = {}
        for rule in problem.group_rules:
            if rule.key in ("distinct_types", "role_template"):
                per = getattr(rule, "per", "mentee")
                if per in fam:
                    raise _Refused(f"two type rules per {per}: not a network")
                other = mt if per == "mentee" else et
                fam[per] = value_keys(other.frame[rule.column])
        type_node: dict[str, tuple[np.ndarray, pd.DataFrame]] = {}
        for side, values in fam.items():
            owner = ce if side == "mentee" else cm
            kind = values[cm] if side == "mentee" else values[ce]
            has = pd.notna(kind)
            kcodes, kinds = pd.factorize(pd.Series(kind[has], dtype=object))
            width_k = max(len(kinds), 1)
            keys, codes = np.unique(owner[has] * width_k + kcodes, return_inverse=True)
            node_of = np.full(cm.size, -1, np.int64)
            node_of[has] = codes
            table = pd.DataFrame({"owner": keys // width_k, "kind": np.asarray(kinds)[keys % width_k]})
            table.attrs["key"] = (keys, pd.Index(kinds), width_k)
            type_node[side] = (node_of, table)
        # ---- quota groups (pairs), laminar per side
        groups: dict[str, list] = {"mentor": [], "mentee": []}
        for q, rule in enumerate(r for r in problem.group_rules if r.key == "quota"):
            if rule.count != "pairs":
                raise _Refused(f"a quota on {rule.count} is not a network")
            table = mt if rule.side == "mentor" else et
            col = value_keys(table.frame[rule.column])
            names = sorted({str(v) for v in col if v is not None})
            lo, hi = quota_bounds(rule.min, names), quota_bounds(rule.max, names)
            for name, a, b in zip(names, lo, hi, strict=True):
                if a is None and b is None:
                    continue
                members = np.flatnonzero(col == name)
                groups[rule.side].append((q, name, members, a or 0, b))
        parent: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        for side, n in (("mentor", n_m), ("mentee", n_e)):
            inner = np.full(n, -1, np.int64)
            up = np.full(len(groups[side]), -1, np.int64)
            for i in sorted(range(len(groups[side])), key=lambda i: -groups[side][i][2].size):
                members = groups[side][i][2]
                if members.size == 0:
                    continue
                owners = np.unique(inner[members])
                if owners.size != 1:
                    raise _Refused("two quota groups cross: not a network")
                up[i] = owners[0]
                inner[members] = i
            parent[side] = (inner, up)
        # ---- components (each its own source and sink), then node numbers
        from scipy.sparse import coo_array
        from scipy.sparse.csgraph import connected_components

        links_a, links_b = [cm], [n_m + ce]
        for side, base in (("mentor", 0), ("mentee", n_m)):
            for _, _, members, _, _ in groups[side]:
                if members.size > 1:
                    links_a.append(base + members[:-1])
                    links_b.append(base + members[1:])
        la, lb = np.concatenate(links_a), np.concatenate(links_b)
        graph = coo_array((np.ones(la.size, np.int8), (la, lb)), shape=(n_m + n_e,) * 2)
        n_c, label = connected_components(graph, directed=False)
        comp_m, comp_e = label[:n_m], label[n_m:]
        n_te = len(type_node["mentee"][1]) if "mentee" in type_node else 0
        n_tm = len(type_node["mentor"][1]) if "mentor" in type_node else 0
        n_gm, n_ge = len(groups["mentor"]), len(groups["mentee"])
        s0, t0 = 0, n_c
        m0 = 2 * n_c
        e0 = m0 + n_m
        te0 = e0 + n_e
        tm0 = te0 + n_te
        gm0 = tm0 + n_tm
        ge0 = gm0 + n_gm
        self.n_nodes = ge0 + n_ge
        self.layout = dict(n_c=n_c, m0=m0, e0=e0, te0=te0, tm0=tm0, gm0=gm0, ge0=ge0,
                           comp_m=comp_m, comp_e=comp_e, type_node=type_node, groups=groups)

        def comp_of_group(side: str, i: int) -> int:
            members = groups[side][i][2]
            lab = comp_m if side == "mentor" else comp_e
            return int(lab[members[0]]) if members.size else 0

        tails, heads, lows, ups, flows, arc_kinds = [], [], [], [], [], []

        def arcs(kind, t, h, lo, hi, x):
            tails.append(np.asarray(t, np.int64))
            heads.append(np.asarray(h, np.int64))
            lows.append(np.asarray(lo, np.int64))
            ups.append(np.asarray(hi, np.int64))
            flows.append(np.asarray(x, np.int64))
            arc_kinds.append((kind, np.asarray(t).size))

        tail_pair = m0 + cm
        head_pair = e0 + ce
        if "mentee" in type_node:
            node_of = type_node["mentee"][0]
            head_pair = np.where(node_of >= 0, te0 + node_of, head_pair)
        if "mentor" in type_node:
            node_of = type_node["mentor"][0]
            tail_pair = np.where(node_of >= 0, tm0 + node_of, tail_pair)
        arcs("pair", tail_pair, head_pair, fixed, np.ones(cm.size, np.int64), chosen)
        if n_te:
            node_of, table = type_node["mentee"]
            x = np.bincount(node_of[(node_of >= 0) & (chosen > 0)], minlength=n_te)
            arcs("type", te0 + np.arange(n_te), e0 + table["owner"].to_numpy(np.int64),
                 np.zeros(n_te), np.ones(n_te), x)
        if n_tm:
            node_of, table = type_node["mentor"]
            x = np.bincount(node_of[(node_of >= 0) & (chosen > 0)], minlength=n_tm)
            arcs("type", m0 + table["owner"].to_numpy(np.int64), tm0 + np.arange(n_tm),
                 np.zeros(n_tm), np.ones(n_tm), x)
        load = np.bincount(cm[chosen > 0], minlength=n_m)
        got = np.bincount(ce[chosen > 0], minlength=n_e)
        inner_m, up_m = parent["mentor"]
        inner_e, up_e = parent["mentee"]
        arcs("capacity", np.where(inner_m >= 0, gm0 + inner_m, s0 + comp_m), m0 + np.arange(n_m),
             cap_lo, cap_hi, load)
        for i, (_, _, members, a, b) in enumerate(groups["mentor"]):
            c = comp_of_group("mentor", i)
            room = int(cap_hi[members].sum())
            arcs("quota", [gm0 + up_m[i] if up_m[i] >= 0 else s0 + c], [gm0 + i], [a],
                 [room if b is None else b], [int(load[members].sum())])
        arcs("demand", e0 + np.arange(n_e), np.where(inner_e >= 0, ge0 + inner_e, t0 + comp_e),
             need_lo, demand, got)
        for i, (_, _, members, a, b) in enumerate(groups["mentee"]):
            c = comp_of_group("mentee", i)
            room = int(demand[members].sum())
            arcs("quota", [ge0 + i], [ge0 + up_e[i] if up_e[i] >= 0 else t0 + c], [a],
                 [room if b is None else b], [int(got[members].sum())])
        cap_c = np.bincount(comp_m, weights=cap_hi, minlength=n_c).astype(np.int64)
        dem_c = np.bincount(comp_e, weights=demand, minlength=n_c).astype(np.int64)
        arcs("circulation", t0 + np.arange(n_c), s0 + np.arange(n_c), np.zeros(n_c),
             np.minimum(cap_c, dem_c), np.bincount(comp_e[ce[chosen > 0]], minlength=n_c))
        self.tail, self.head = np.concatenate(tails), np.concatenate(heads)
        self.lower, self.upper = np.concatenate(lows), np.concatenate(ups)
        self.flow = np.concatenate(flows)
        self.kind = np.concatenate([np.full(n, k, dtype=object) for k, n in arc_kinds])
        self.n_pairs = cm.size

    def named(self, arcs: np.ndarray, limit: int = 3) -> str:
        """'pair M1-E2, capacity, ...': the first arcs by what they stand for."""
        mt, et = self.problem.mentor_table, self.problem.mentee_table
        words = [f"pair {mt.ids[self.cm[a]]}-{et.ids[self.ce[a]]}" if a < self.n_pairs
                 else str(self.kind[a]) for a in arcs[:limit].tolist()]
        return ", ".join(words) + (", ..." if arcs.size > limit else "")

    # ------------------------------------------------------------------ level costs
    def levels(self, scales: list[float]) -> list[tuple[str, np.ndarray, np.ndarray]]:
        """(name, lowest, highest integer cost) per level on the pair arcs — the compiler's
        levels rebuilt from the problem with the validator's own scores; the two costs differ
        only where a score sits on a rounding tie at the claimed scale."""
        from ..core.integers import choose_scale, fits
        from ..model.levels import BalanceLoad, Coverage, MaxMin
        from .validate import PairView

        problem, cm, ce = self.problem, self.cm, self.ce
        mt, et = problem.mentor_table, problem.mentee_table
        pairing = problem.pairing
        ones = np.ones(cm.size, np.int64)

        def scores(terms) -> np.ndarray:
            total = np.zeros(cm.size)
            for start in range(0, cm.size, _CHUNK):
                sm, se = cm[start: start + _CHUNK], ce[start: start + _CHUNK]
                view = PairView(problem, pd.DataFrame({"mentor_id": mt.ids[sm],
                                                       "mentee_id": et.ids[se],
                                                       "_m": sm, "_e": se}))
                for term in terms:
                    sign = -1.0 if term.sense == "min" else 1.0
                    total[start: start + _CHUNK] += sign * term.weight * np.asarray(
                        term.check_score(view), float)
            return total

        def scaled(values: np.ndarray, k: int, extra: float | None = None):
            if k >= len(scales):
                raise _Refused(f"no scale claimed for level {k}")
            sc = float(scales[k])
            with_extra = values if extra is None else np.append(values, extra)
            own = {choose_scale(values, 0, None), choose_scale(with_extra, 0, None)}
            top = float(np.abs(with_extra).max()) if with_extra.size else 0.0
            finer_and_exact = sc >= min(own) and fits(with_extra, sc, 1e-9 * max(1.0, top * sc))
            if not (sc in own or finer_and_exact):
                raise _Refused(f"level {k}: claimed scale {sc:g} is coarser than the problem "
                               f"needs ({max(own):g})")
            x = values * sc
            lo_, hi_ = np.floor(x), np.ceil(x)
            tie = np.abs(x - lo_ - 0.5) < 1e-6
            r = np.rint(x)
            return (np.where(tie, lo_, r).astype(np.int64), np.where(tie, hi_, r).astype(np.int64),
                    sc)

        out: list[tuple[str, np.ndarray, np.ndarray]] = []
        if problem.levels:
            entries = list(problem.levels)
            if (not self.must and pairing.unmatched_penalty is None
                    and not any(isinstance(x, Coverage) for x in entries)):
                entries.insert(0, Coverage())
            if problem.scores:
                entries.append(tuple(problem.scores))
            for entry in entries:
                if isinstance(entry, BalanceLoad | MaxMin):
                    raise _Refused(f"{type(entry).__name__} is not a network level")
                if isinstance(entry, Coverage):
                    if entry.priority is None:
                        out.append(("coverage", -ones, -ones))
                        continue
                    pri = pd.to_numeric(et.frame[entry.priority], errors="coerce").to_numpy(float)
                    for value in np.unique(pri[~np.isnan(pri)]):
                        c = -(pri[ce] == value).astype(np.int64)
                        out.append((f"coverage {entry.priority}={value:g}", c, c))
                    continue
                terms = tuple(entry) if isinstance(entry, list | tuple) else (entry,)
                lo_, hi_, _ = scaled(scores(terms), len(out))
                out.append(("score", -hi_, -lo_))
            return out
        total = scores(problem.scores) if problem.scores else np.zeros(cm.size)
        pen = pairing.unmatched_penalty
        if self.must or pen is not None:
            lo_, hi_, sc = scaled(total, 0, None if self.must or pen is None else float(pen))
            slot = 0 if self.must else int(round(pen * sc))
            return [("objective", -(hi_ + slot), -(lo_ + slot))]
        lo_, hi_, _ = scaled(total, 1)
        return [("coverage", -ones, -ones), ("objective", -hi_, -lo_)]

    # ------------------------------------------------------------------ the claim's potentials
    def potentials(self, cert: dict, k: int) -> np.ndarray:
        """Level ``k``'s claimed potentials on this network's nodes (unclaimed nodes: 0, a type
        node its owner's); refuses a claim naming a node twice or sink potentials that differ
        within a component."""
        lay = self.layout
        mt, et = self.problem.mentor_table, self.problem.mentee_table
        pi = np.zeros(self.n_nodes, np.int64)

        def row(name: str, n: int) -> np.ndarray:
            a = np.asarray(cert[name])
            if a.ndim != 2 or a.shape[1] != n or k >= a.shape[0]:
                raise _Refused(f"certificate field {name} has the wrong shape")
            return int_array(name, a[k])

        def place(table: Any, ids: Any, values: np.ndarray, base: int, what: str) -> np.ndarray:
            pos = _positions(table, ids)
            if (pos < 0).any():
                raise _Refused(f"the certificate names an unknown {what}")
            if np.unique(pos).size != pos.size:
                raise _Refused(f"the certificate names a {what} twice")
            pi[base + pos] = values
            return pos

        ids_m, ids_e = np.asarray(cert["mentor_id"]), np.asarray(cert["mentee_id"])
        place(mt, ids_m, row("pi_mentor", ids_m.size), lay["m0"], "mentor")
        pos_e = place(et, ids_e, row("pi_mentee", ids_e.size), lay["e0"], "mentee")
        sink = row("pi_sink", ids_e.size)
        comp = lay["comp_e"][pos_e]
        t_pi = np.zeros(lay["n_c"], np.int64)
        if comp.size:
            order = np.lexsort((sink, comp))
            c_sorted, s_sorted = comp[order], sink[order]
            first = np.r_[True, c_sorted[1:] != c_sorted[:-1]]
            last = np.r_[c_sorted[1:] != c_sorted[:-1], True]
            if (s_sorted[first] != s_sorted[last]).any():
                raise _Refused("sink potentials differ within one component")
            t_pi[c_sorted[first]] = s_sorted[first]
        pi[lay["n_c"]: 2 * lay["n_c"]] = t_pi
        # type nodes: unclaimed ones take their owner's potential (their one arc then has rc 0)
        from ..core.ids import value_keys

        types = cert["types"]
        t_pi_all = np.asarray(types["pi"])
        t_side = np.asarray(types["side"], dtype=object)
        for per, base, owner_base, own_t, mem_t in (
                ("mentee", lay["te0"], lay["e0"], et, mt),
                ("mentor", lay["tm0"], lay["m0"], mt, et)):
            if per not in lay["type_node"]:
                if (t_side == per).any():
                    raise _Refused(f"the certificate has {per} type nodes the problem has not")
                continue
            _, table = lay["type_node"][per]
            owners = table["owner"].to_numpy(np.int64)
            pi[base + np.arange(owners.size)] = pi[owner_base + owners]
            sel = np.flatnonzero(t_side == per)
            if not sel.size:
                continue
            owner = _positions(own_t, np.asarray(types["owner"])[sel])
            member = _positions(mem_t, np.asarray(types["member"])[sel])
            if (owner < 0).any() or (member < 0).any():
                raise _Refused("the certificate names an unknown type node")
            rule = next(r for r in self.problem.group_rules
                        if getattr(r, "per", "mentee") == per and hasattr(r, "column")
                        and type(r).__name__ in ("DistinctTypes", "RoleTemplate"))
            kind = value_keys(mem_t.frame[rule.column])[member]
            keys, kinds, width_k = table.attrs["key"]
            code = kinds.get_indexer(pd.Index(kind, dtype=object))
            want = owner.astype(np.int64) * width_k + code
            at = np.minimum(np.searchsorted(keys, want), max(keys.size - 1, 0))
            at = np.where((code >= 0) & (keys.size > 0) & (keys[at] == want), at, -1)
            if (at < 0).any() or np.unique(at).size != at.size:
                raise _Refused("the certificate's type nodes do not match the problem's")
            if t_pi_all.ndim != 2 or k >= t_pi_all.shape[0]:
                raise _Refused("certificate field types.pi has the wrong shape")
            pi[base + at] = int_array("types.pi", t_pi_all[k][sel])
        groups = cert["groups"]
        g_pi = np.asarray(groups["pi"])
        labels = list(zip(np.asarray(groups["side"], dtype=object).tolist(),
                          np.asarray(groups["quota"]).tolist(),
                          np.asarray(groups["name"], dtype=object).tolist(), strict=True))
        if len(set(labels)) != len(labels):
            raise _Refused("the certificate names a quota group twice")
        where = {("mentor", q, str(n)): lay["gm0"] + i
                 for i, (q, n, *_) in enumerate(lay["groups"]["mentor"])}
        where.update({("mentee", q, str(n)): lay["ge0"] + i
                      for i, (q, n, *_) in enumerate(lay["groups"]["mentee"])})
        for j, (side, q, name) in enumerate(labels):
            node = where.get((side, int(q), str(name)))
            if node is None:
                raise _Refused(f"the certificate names a quota group the problem has not: {name}")
            pi[node] = int(g_pi[k][j])
        return pi


def verify_certificate(result: Any, pairs: pd.DataFrame | None = None, *,
                       problem: Any = None) -> list[str]:
    """Re-check a network-engine result's optimality proof against its problem (empty list:
    verified).

    The network, its bounds, capacities, quotas and level costs are rebuilt from
    ``result.problem`` (the input tables and rules) and the candidate pairs from the rules'
    own validator checks; ``pairs`` (default ``result.pairs``) give the flow; the potentials
    the result carries are only the claim checked against that network (see the module doc).
    Fails when a pair is unknown, listed twice or not admissible, when the pairs break a
    bound, or when a level's potentials do not prove it optimal. ``problem`` (default
    ``result.problem``) is the problem to prove the pairs optimal for: pass your own to rule
    out a result that names another. A result without a certificate (from another backend)
    gives ``["no certificate: ..."]``.

    Example
    -------
    >>> import pandas as pd, banghdai as bd
    >>> p = bd.Problem(pd.DataFrame({"mentor_id": ["A", "B"], "q": ["x", "y"]}),
    ...                pd.DataFrame({"mentee_id": ["E"]})).require(bd.DistinctTypes("q"))
    >>> r = p.solve()
    >>> bd.verify_certificate(r), bd.verify_certificate(r, r.pairs.iloc[:0])[:1]
    ([], ['level 0: 1 arc(s) with negative reduced cost are below the face upper bound: demand'])
    """
    cert = getattr(result, "info", {}).get("certificate")
    if cert is None:
        return [f"no certificate: the {getattr(result, 'backend', '?')} backend gives none"]
    problem = getattr(result, "problem", None) if problem is None else problem
    if problem is None:
        return ["no problem: a certificate is checked against the problem it was solved for "
                "(result.problem)"]
    if not isinstance(cert, dict) or cert.get("format") != 2:
        return ["unknown certificate format: it must hold node potentials only (format 2)"]
    pairs = result.pairs if pairs is None else pairs
    try:
        net = _Net(problem, pairs)
        levels = net.levels(list(cert.get("scales", [])))
        problems = list(net.problems)
        problems += _check_levels(net, levels, cert)
    except _Refused as err:
        return [f"cannot certify: {err}"]
    except (KeyError, TypeError, ValueError) as err:
        return [f"malformed certificate: {err}"]
    return problems


def _check_levels(net: _Net, levels: list, cert: dict) -> list[str]:
    """Bounds, conservation and, level by level, complementary slackness of the pairs' flow
    on the face the earlier levels leave, with the claimed potentials."""
    problems: list[str] = []
    x, lower, upper = net.flow, net.lower, net.upper
    out = np.flatnonzero((x < lower) | (x > upper))
    if out.size:
        kinds = sorted(set(net.kind[out].tolist()))
        problems.append(f"the pairs break {out.size} bound(s) of the problem ({', '.join(kinds)})")
    balance = node_balance(net.n_nodes, net.tail, net.head, x)
    if np.any(balance != 0):  # pragma: no cover - the flow is built to conserve
        problems.append("the pairs' flow does not conserve")
    claimed = list(cert.get("values", []))
    n_claimed = np.asarray(cert["pi_mentor"]).shape[0] if np.asarray(cert["pi_mentor"]).ndim == 2 \
        else 0
    if n_claimed > len(levels):
        problems.append(f"{n_claimed} levels claimed, the problem has {len(levels)}")
        return problems
    n = net.n_pairs
    for k in range(n_claimed):
        name, cost_lo, cost_hi = levels[k]
        pi = net.potentials(cert, k)
        if np.abs(pi).max(initial=0) >= _CHECK_LIMIT or np.abs(cost_lo).max(initial=0) >= _CHECK_LIMIT:
            problems.append(f"level {k}: costs or potentials reach 2**60; cannot check exactly")
            break
        d = pi[net.head] - pi[net.tail]
        full_lo = np.zeros(x.size, np.int64)
        full_hi = np.zeros(x.size, np.int64)
        full_lo[:n], full_hi[:n] = cost_lo, cost_hi
        rc_lo, rc_hi = full_lo + d, full_hi + d
        at_lo, at_hi = x == lower, x == upper  # the face of level k
        # a rounding tie may take either cost: the one complementary slackness asks for
        rc = np.where(at_lo & ~at_hi, rc_hi, np.where(at_hi & ~at_lo, rc_lo,
                                                      np.where(rc_lo == 0, rc_lo, rc_hi)))
        high = np.flatnonzero((rc > 0) & ~at_lo)
        if high.size:
            problems.append(f"level {k}: {high.size} arc(s) with positive reduced cost are "
                            f"above the face lower bound: {net.named(high)}")
        low = np.flatnonzero((rc < 0) & ~at_hi)
        if low.size:
            problems.append(f"level {k}: {low.size} arc(s) with negative reduced cost are "
                            f"below the face upper bound: {net.named(low)}")
        cost = (rc - d)[:n]
        value = int(np.dot(cost.astype(object), x[:n].astype(object))) if n else 0
        ties = int(np.count_nonzero((cost_lo != cost_hi) & (x[:n] > 0)))
        if k < len(claimed) and abs(int(claimed[k]) - value) > ties:
            problems.append(f"level {k}: value {claimed[k]} claimed but the pairs give {value}")
        lower, upper = np.where(rc < 0, upper, lower), np.where(rc > 0, lower, upper)
    return problems
