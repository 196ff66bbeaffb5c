"""The network engine: group rules and lexicographic levels as min-cost flows, certified.

Most of what planners ask for is still a network flow (DESIGN.md, "CP-SAT notes"):

* a mentee's mentors of distinct types (三型, :class:`~banghdai.DistinctTypes` per mentee)
  — each pair enters the mentee through a node ``(mentee, type)`` of capacity 1; per mentor
  the mirror, through ``(mentor, type)``; a one-per-role :class:`~banghdai.RoleTemplate`
  is the same thing with roles;
* :class:`~banghdai.Quota` on *pairs* whose groups form a laminar family on each side —
  a tree of group nodes between the source and the mentors (or the mentees and the sink),
  each entered through an arc bounded by the group's min and max;
* any other group rule that offers arcs (``network()`` of
  :class:`~banghdai.model.grouprule.CompiledGroup`): e.g. :class:`~banghdai.MaxFromSameUnit`,
  pairs leaving a mentor through a node ``(mentor, unit)`` of capacity k; the engine never
  asks which rule it is;
* fixed pairs (lower bound 1), minimum loads (lower bounds), unit loads;
* every linear level (coverage, coverage by priority, scores, pair scores), solved
  lexicographically by optimal-face restriction (:mod:`banghdai.solvers.netflow`).

Each level comes with node potentials: a certificate that
:func:`banghdai.checks.certificate.verify_certificate` re-checks from the returned pairs
with numpy alone. Anything else (quotas on served mentees or used mentors, crossing quota
families, weighted loads, stability, max-min over several mentors, balance) goes to CP-SAT.

Example
-------
>>> import pandas as pd, banghdai as bd
>>> mentors = pd.DataFrame({"mentor_id": ["A", "B", "C"], "type": ["专家型", "专家型", "群众型"]})
>>> mentees = pd.DataFrame({"mentee_id": ["E"]})
>>> p = bd.Problem(mentors, mentees, pairing=bd.ManyToOne(2)).require(bd.DistinctTypes("type"))
>>> r = p.solve()
>>> r.backend, r.status.name, len(r.pairs)
('network', 'OPTIMAL', 2)
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from ..core import interrupt
from ..core.errors import Msg, Word
from ..core.progress import Progress
from ..core.status import Status
from .base import RawSolution, SolveParams, trivially_infeasible
from .netflow import Network, solve_lexicographic

if TYPE_CHECKING:
    from ..compile.graph import Compiled
    from ..model.grouprule import NetworkForm

S, T = 0, 1

#: level 0 is started only when the time left covers this many times the time building the
#: network took (measured: one level's flow and potentials take 3-4x the build on 20 copies
#: of the Yinchuan city; both scale with the arcs and with the machine's load alike)
FIRST_LEVEL_PER_BUILD = 4.0


@dataclass(frozen=True, eq=False)
class _Side:
    """How one side's degree arcs hang under quota group nodes (a laminar family)."""

    parent_of_node: np.ndarray  # per mentor (or mentee): -1 = the source (sink), else group
    group_parent: np.ndarray  # per group: -1 = source (sink), else its parent group
    group_lo: np.ndarray
    group_hi: np.ndarray


def _forms(compiled: Compiled) -> list[NetworkForm] | None:
    """Every group rule's network form; None when one of them is no flow."""
    out = []
    for rule in compiled.group_rules:
        form = rule.network(compiled)
        if form is None:
            return None
        out.append(form)
    return out


def _families(compiled: Compiled, forms: list[NetworkForm]
              ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None:
    """Per edge its mentee-side and mentor-side group node (-1: none), and each group
    node's capacity per side; None when two families overlap on one side."""
    n = compiled.n_edges
    per = {"mentee": np.full(n, -1, np.int64), "mentor": np.full(n, -1, np.int64)}
    caps: dict[str, list[np.ndarray]] = {"mentee": [], "mentor": []}
    nxt = {"mentee": 0, "mentor": 0}
    for form in forms:
        for fam in form.families:
            g = np.asarray(fam.group_of_edge, np.int64)
            on = g >= 0
            if (per[fam.side][on] >= 0).any():
                return None  # two families on one side: not a network
            per[fam.side][on] = nxt[fam.side] + g[on]
            nxt[fam.side] += int(fam.capacity.size)
            caps[fam.side].append(np.asarray(fam.capacity, np.int64))

    def cat(side: str) -> np.ndarray:
        return np.concatenate(caps[side]) if caps[side] else np.zeros(0, np.int64)

    return per["mentee"], per["mentor"], cat("mentee"), cat("mentor")


def _laminar(n_nodes: int, groups: list[tuple[np.ndarray, int | None, int | None]]
             ) -> _Side | None:
    """Tree of node groups (largest first); None when two groups cross."""
    order = sorted(range(len(groups)), key=lambda i: -groups[i][0].size)
    inner = np.full(n_nodes, -1, np.int64)
    parent = np.full(len(groups), -1, np.int64)
    lo = np.zeros(len(groups), np.int64)
    hi = np.full(len(groups), -1, np.int64)
    for i in order:
        nodes, a, b = groups[i]
        lo[i] = 0 if a is None else a
        hi[i] = -1 if b is None else b
        if nodes.size == 0:
            continue  # an empty group: its arc carries nothing (a min > 0 is infeasible)
        owners = np.unique(inner[nodes])
        if owners.size != 1:
            return None  # crosses an earlier (larger or equal) group
        parent[i] = owners[0]
        inner[nodes] = i
    return _Side(inner, parent, lo, hi)


def _quota_sides(compiled: Compiled, forms: list[NetworkForm]) -> tuple[_Side, _Side] | None:
    groups: dict[str, list[tuple[np.ndarray, int | None, int | None]]] = {
        "mentor": [], "mentee": []}
    for form in forms:
        for tree in form.trees:
            for nodes, a, b in zip(tree.node_sets, tree.lo, tree.hi, strict=True):
                groups[tree.side].append((np.asarray(nodes, np.int64), a, b))
    ms = _laminar(compiled.n_mentors, groups["mentor"])
    es = _laminar(compiled.n_mentees, groups["mentee"])
    if ms is None or es is None:
        return None
    return ms, es


def _quota_labels(compiled: Compiled) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """(quota's position among the Quota rules, group name) of each group node, per side,
    in the order of :func:`_quota_sides`."""
    labels: dict[str, list[tuple[int, str]]] = {"mentor": [], "mentee": []}
    quotas = [r for r in compiled.group_rules
              if getattr(getattr(r, "spec", None), "key", "") == "quota"]
    for q, rule in enumerate(quotas):
        labels[rule.spec.side].extend((q, str(name)) for name in rule.names)
    return labels["mentor"], labels["mentee"]


def network_supported(compiled: Compiled) -> bool:
    """True when every rule of ``compiled`` is a network flow (see the module doc).

    Example
    -------
    >>> import pandas as pd, banghdai as bd
    >>> from banghdai.solvers.network import network_supported
    >>> p = bd.Problem(pd.DataFrame({"mentor_id": ["A"]}), pd.DataFrame({"mentee_id": ["E"]}))
    >>> network_supported(p.require(bd.Quota("mentee_id", side="mentee", max=1)).compile())
    True
    """
    forms = _forms(compiled)
    if forms is None:
        return False
    if compiled.edge_load is not None and not bool(np.all(compiled.edge_load == 1)):
        return False
    if any(level.kind != "linear" for level in compiled.levels):
        return False
    return _families(compiled, forms) is not None and _quota_sides(compiled, forms) is not None


def build_network(compiled: Compiled) -> tuple[Network, dict[str, Any]]:
    """The circulation whose integral flows are exactly the feasible pairings.

    Arcs ``0 .. n_edges - 1`` are the candidate pairs, in edge order. Returns the network
    and a layout dict (arc ranges, node ranges) for decoding and certificates.
    """
    forms = _forms(compiled)
    assert forms is not None
    fam = _families(compiled, forms)
    sides = _quota_sides(compiled, forms)
    assert fam is not None and sides is not None
    per_e, per_m, cap_te, cap_tm = fam
    ms, es = sides
    n_m, n_e, n_x = compiled.n_mentors, compiled.n_mentees, compiled.n_edges
    m0 = 2
    e0 = m0 + n_m
    te0 = e0 + n_e
    n_te = cap_te.size
    tm0 = te0 + n_te
    n_tm = cap_tm.size
    gm0 = tm0 + n_tm
    n_gm = ms.group_parent.size
    ge0 = gm0 + n_gm
    n_ge = es.group_parent.size
    n_nodes = ge0 + n_ge
    big = int(max(compiled.cap_hi.sum(), compiled.demand.sum(), 1))
    fixed = compiled.edge_fixed.astype(np.int64)

    # node of each (mentee, type) / (mentor, type) group
    te_owner = np.zeros(n_te, np.int64)
    te_owner[per_e[per_e >= 0]] = compiled.edge_mentee[per_e >= 0]
    tm_owner = np.zeros(n_tm, np.int64)
    tm_owner[per_m[per_m >= 0]] = compiled.edge_mentor[per_m >= 0]
    tail_edge = np.where(per_m >= 0, tm0 + per_m, m0 + compiled.edge_mentor)
    head_edge = np.where(per_e >= 0, te0 + per_e, e0 + compiled.edge_mentee)

    def up(parent: np.ndarray, base: int, root: int) -> np.ndarray:
        return np.where(parent >= 0, base + parent, root)

    cap_lo = compiled.cap_lo.astype(np.int64)
    cap_hi = compiled.cap_hi.astype(np.int64)
    dem = compiled.demand.astype(np.int64)
    need_lo = dem if compiled.must_match else np.zeros(n_e, np.int64)
    parts = [
        # candidate pairs
        (tail_edge, head_edge, fixed, np.ones(n_x, np.int64)),
        # (mentee, group) -> mentee, (mentor, group) <- mentor: the group's capacity
        # (1 for distinct types, k for at most k per group)
        (te0 + np.arange(n_te), e0 + te_owner, np.zeros(n_te, np.int64), cap_te),
        (m0 + tm_owner, tm0 + np.arange(n_tm), np.zeros(n_tm, np.int64), cap_tm),
        # source (or the mentor's innermost quota group) -> mentor: the capacity
        (up(ms.parent_of_node, gm0, S), m0 + np.arange(n_m), cap_lo, cap_hi),
        # quota groups of mentors, nested
        (up(ms.group_parent, gm0, S), gm0 + np.arange(n_gm), ms.group_lo,
         np.where(ms.group_hi >= 0, ms.group_hi, big)),
        # mentee -> sink (or its innermost quota group): the mentors it needs
        (e0 + np.arange(n_e), up(es.parent_of_node, ge0, T), need_lo, dem),
        (ge0 + np.arange(n_ge), up(es.group_parent, ge0, T), es.group_lo,
         np.where(es.group_hi >= 0, es.group_hi, big)),
        # circulation
        (np.array([T]), np.array([S]), np.array([0]), np.array([big])),
    ]
    sizes = np.cumsum([0, *[p[0].size for p in parts]])
    tail, head, lower, upper = (np.concatenate([p[i] for p in parts], dtype=np.int64,
                                               casting="unsafe") for i in range(4))
    del parts
    # what each node is, for the certificate (checked against the problem, not this network)
    te_rep = np.zeros(n_te, np.int64)
    te_rep[per_e[per_e >= 0]] = compiled.edge_mentor[per_e >= 0]
    tm_rep = np.zeros(n_tm, np.int64)
    tm_rep[per_m[per_m >= 0]] = compiled.edge_mentee[per_m >= 0]
    layout = {"n_edges": n_x, "demand_arcs": (int(sizes[5]), int(sizes[6])),
              "n_nodes": n_nodes, "big": big, "m0": m0, "e0": e0, "te0": te0, "tm0": tm0,
              "gm0": gm0, "ge0": ge0, "te": (te_owner, te_rep), "tm": (tm_owner, tm_rep),
              "groups": _quota_labels(compiled)}
    net = Network.adopt(n_nodes, tail, head, lower, upper, np.zeros(n_nodes, np.int64))
    return net, layout


class LevelCosts(Sequence):
    """Integer costs to minimise, one vector per level, computed when a level is read (the
    engine reads one level at a time, so a large network never holds every level's costs).

    Example
    -------
    >>> import pandas as pd, banghdai as bd
    >>> from banghdai.solvers.network import build_network, level_costs
    >>> c = bd.Problem(pd.DataFrame({"mentor_id": ["A"]}), pd.DataFrame({"mentee_id": ["E"]})).compile()
    >>> costs, info = level_costs(c, build_network(c)[0].n_arcs)
    >>> len(costs), costs[0][:1].tolist(), info[0]["name"]
    (2, [-1], 'coverage')
    """

    def __init__(self, compiled: Compiled, n_arcs: int) -> None:
        self.compiled, self.n_arcs = compiled, n_arcs
        c = compiled
        if c.levels:
            self.kinds = [("level", i) for i in range(len(c.levels))]
        elif c.must_match or c.pairing.unmatched_penalty is not None:
            self.kinds = [("objective+penalty", 0)]
        else:  # coverage first, then the score: the same optimum as the big slot penalty
            self.kinds = [("coverage", 0), ("objective", 0)]

    def __len__(self) -> int:
        return len(self.kinds)

    def __getitem__(self, k):  # type: ignore[override]
        if isinstance(k, slice):
            return [self[i] for i in range(*k.indices(len(self)))]
        c, n = self.compiled, self.compiled.n_edges
        kind, i = self.kinds[k]
        out = np.zeros(self.n_arcs, np.int64)
        if kind == "level":
            np.negative(c.levels[i].coeff, out=out[:n], casting="unsafe")
        elif kind == "coverage":
            out[:n] = -1
        else:
            np.negative(c.edge_value, out=out[:n], casting="unsafe")
            if kind == "objective+penalty":
                out[:n] -= c.slot_penalty
        return out


def level_costs(compiled: Compiled, n_arcs: int) -> tuple[LevelCosts, list[dict]]:
    """Integer costs to minimise, one vector per level (a lazy :class:`LevelCosts`), and
    each level's reporting info."""
    if compiled.levels:
        info = [{"name": level.name, "scale": level.scale, "sign": level.sign}
                for level in compiled.levels]
    elif compiled.must_match or compiled.pairing.unmatched_penalty is not None:
        info = [{"name": "objective", "raw": True}]
    else:
        info = [{"name": "coverage", "hidden": True}, {"name": "objective", "raw": True}]
    return LevelCosts(compiled, n_arcs), info


def certificate_claim(compiled: Compiled, layout: dict[str, Any], potentials: list[np.ndarray],
                      values: list[int], info: list[dict]) -> dict[str, Any]:
    """What a result keeps of a network solve's proof: each level's node potentials, keyed by
    what the node stands for (a mentor, a mentee, a (mentee, type) node named by its owner and
    one of its mentors, a quota group by its quota and name), and each level's scale.

    Small (one number per node and level, nothing per candidate pair) and only a *claim*:
    :func:`banghdai.verify_certificate` rebuilds the network from the problem and checks these
    potentials against it. The source's potential is shifted to 0; ``pi_sink`` holds the
    sink's for each mentee (per component when the components were solved apart).
    """
    n_levels = len(potentials)
    pi = (np.stack(potentials) if n_levels else np.zeros((0, layout["n_nodes"]), np.int64))
    pi = pi - pi[:, [S]]
    m0, e0, te0, tm0 = layout["m0"], layout["e0"], layout["te0"], layout["tm0"]
    gm0, ge0 = layout["gm0"], layout["ge0"]
    mentor_ids, mentee_ids = compiled.mentors.ids, compiled.mentees.ids
    te_owner, te_rep = layout["te"]
    tm_owner, tm_rep = layout["tm"]
    gm_labels, ge_labels = layout["groups"]
    n_m, n_e = compiled.n_mentors, compiled.n_mentees
    types = {"side": np.array(["mentee"] * te_owner.size + ["mentor"] * tm_owner.size,
                              dtype=object),
             "owner": np.concatenate([mentee_ids[te_owner], mentor_ids[tm_owner]]),
             "member": np.concatenate([mentor_ids[te_rep], mentee_ids[tm_rep]]),
             "pi": pi[:, te0: te0 + te_owner.size + tm_owner.size]}
    labels = [("mentor", q, name) for q, name in gm_labels] + \
             [("mentee", q, name) for q, name in ge_labels]
    groups = {"side": np.array([x[0] for x in labels], dtype=object),
              "quota": np.array([x[1] for x in labels], dtype=np.int64),
              "name": np.array([x[2] for x in labels], dtype=object),
              "pi": pi[:, gm0: gm0 + len(labels)]}
    assert tm0 == te0 + te_owner.size and ge0 == gm0 + len(gm_labels)
    return {
        "format": 2,
        "levels": [str(meta["name"]) for meta in info[:n_levels]],
        "scales": [float(meta.get("scale", compiled.scale)) for meta in info[:n_levels]],
        "values": [int(v) for v in values],
        "mentor_id": mentor_ids, "mentee_id": mentee_ids,
        "pi_mentor": pi[:, m0: m0 + n_m], "pi_mentee": pi[:, e0: e0 + n_e],
        "pi_sink": np.repeat(pi[:, [T]], n_e, axis=1),
        "types": types, "groups": groups,
    }


class NetworkBackend:
    """Exact min-cost-flow engine for group rules and levels that are networks, certified.

    Example
    -------
    >>> from banghdai.solvers import get_backend
    >>> get_backend("network").name
    'network'
    """

    name = "network"

    def supports(self, compiled: Compiled) -> bool:
        """Every group rule and level is a network (see :func:`network_supported`)."""
        return network_supported(compiled)

    def solve(self, compiled: Compiled, params: SolveParams) -> RawSolution:
        """Lexicographic min-cost flow; each level proven by its node potentials.

        Within ``params``' deadline: a level starts only when the time left should cover it
        (level 0: a multiple of the time building the network took; later levels: the
        longest level so far, with a margin), so the call ends in time with the levels
        proven so far (FEASIBLE) or, when not even level 0 fits, UNKNOWN. Ctrl-C ends it
        the same way at the next safe point, with ``info["interrupted"]``.
        """
        start = time.perf_counter()
        reason = trivially_infeasible(compiled)
        if reason is not None:
            return RawSolution(Status.INFEASIBLE, None, None, None,
                               time.perf_counter() - start, {"reason": reason})
        with interrupt.watching(raising=False):
            net, layout = build_network(compiled)
            costs, info = level_costs(compiled, net.n_arcs)
            built = time.perf_counter() - start
            deadline = params.deadline_perf()
            flow, outcomes, status = solve_lexicographic(
                net, costs, deadline=deadline, stop=interrupt.requested,
                first_estimate=FIRST_LEVEL_PER_BUILD * built, keep_faces=False)
        seconds = time.perf_counter() - start
        stopped = status == "INTERRUPTED"
        if flow is None and status in ("TIMEOUT", "INTERRUPTED"):
            return RawSolution(Status.UNKNOWN, None, None, None, seconds,
                               {"reason": "interrupted (Ctrl-C) before the first level was "
                                          "solved" if stopped else
                                          "the time limit was reached before the first level "
                                          "could be solved; no pairing found",
                                "interrupted": stopped, "build_seconds": built})
        if status == "INFEASIBLE" or flow is None:
            return RawSolution(Status.INFEASIBLE, None, None, None, seconds,
                               {"reason": "the degree bounds, fixed pairs and group rules "
                                          "admit no pairing (network flow infeasible)"})
        chosen = flow[: compiled.n_edges] > 0
        objective = int(((compiled.edge_value + compiled.slot_penalty) * chosen).sum())
        rows = []
        for i, meta in enumerate(info):
            done = i < len(outcomes)
            rows.append({"level": i + 1, "name": meta["name"],
                         "status": Status.OPTIMAL.value if done else "NOT_SOLVED",
                         "value": -int(costs[i] @ flow), "proven": done,
                         "seconds": (outcomes[i].flow_seconds + outcomes[i].potential_seconds)
                         if done else 0.0, **{k: v for k, v in meta.items() if k != "name"}})
        with Progress(len(rows), Msg("progress.levels"), enabled=False) as bar:  # log lines only
            for r in rows:
                bar.step(Msg("progress.level_done", name=Word(r["name"]),
                             status=Msg(f"cli.status.{r['status']}"),
                             seconds=f"{r['seconds']:.3f}"))
        all_done = len(outcomes) == len(costs)
        raw_status = Status.OPTIMAL if all_done else Status.FEASIBLE
        certificate = certificate_claim(compiled, layout, [o.potentials for o in outcomes],
                                        [o.value for o in outcomes], info)
        out_info: dict[str, Any] = {"certificate": certificate, "network_rows": rows,
                                    "network_arcs": net.n_arcs, "network_nodes": net.n_nodes,
                                    "build_seconds": built, "interrupted": stopped}
        if compiled.levels:
            out_info["levels"] = [
                {"level": r["level"], "name": r["name"], "status": r["status"],
                 "value": r["sign"] * r["value"] / r["scale"],
                 "bound": r["sign"] * r["value"] / r["scale"] if r["proven"] else None,
                 "seconds": r["seconds"], "certified": r["proven"]}
                for r in rows]
        bound = objective if raw_status is Status.OPTIMAL else None
        return RawSolution(raw_status, chosen, objective, bound, seconds, out_info)
