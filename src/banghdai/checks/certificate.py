"""Certificates of optimality, checked without any solver (numpy only).

The network engine (:mod:`banghdai.solvers.network`) proves each level it solves with node
potentials. :func:`check_certificate` re-verifies a lexicographic flow and its potentials;
:func:`verify_certificate` does it for a :class:`~banghdai.Result`, from the pairs the
result hands back: the pairs must be exactly the flow's pair arcs, so a planted "optimal"
pairing that is not the certified one is caught. Like the validator, this module imports no
solver and nothing from the compiler.

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


def verify_certificate(result: Any, pairs: pd.DataFrame | None = None) -> list[str]:
    """Re-check a network-engine result's optimality certificate (empty list: verified).

    ``pairs`` defaults to ``result.pairs``; the check fails if they are not exactly the
    certified flow's pairs, if the flow breaks a bound or conservation, or if a level's
    potentials do not prove it optimal on its face. A result without a certificate (from
    another backend) gives ``["no certificate: ..."]``.

    Example
    -------
    >>> import pandas as pd, banghdai as bd
    >>> p = bd.Problem(pd.DataFrame({"mentor_id": ["A", "B"], "q": ["x", "y"]}),
    ...                pd.DataFrame({"mentee_id": ["E"]})).require(bd.DistinctTypes("q"))
    >>> r = p.solve()
    >>> bd.verify_certificate(r), bd.verify_certificate(r, r.pairs.iloc[:0])
    ([], ['the pairs differ from the certified flow on 1 pair(s)'])
    """
    cert = getattr(result, "info", {}).get("certificate")
    if cert is None:
        return [f"no certificate: the {getattr(result, 'backend', '?')} backend gives none"]
    pairs = result.pairs if pairs is None else pairs
    flow = np.array(cert["flow"], dtype=np.int64, copy=True)
    n_edges = len(cert["edge_mentor"])
    # the pairs decide the flow on the pair arcs; the rest of the flow must then conserve
    given = pd.DataFrame({"m": ids_as_str(pairs["mentor_id"]),
                          "e": ids_as_str(pairs["mentee_id"])}).drop_duplicates()
    arcs = pd.DataFrame({"m": np.asarray(cert["edge_mentor"], dtype=object),
                         "e": np.asarray(cert["edge_mentee"], dtype=object),
                         "arc": np.arange(n_edges)})
    hit = given.merge(arcs, on=["m", "e"], how="left")
    problems = []
    unknown = int(hit["arc"].isna().sum())
    if unknown:
        problems.append(f"{unknown} pair(s) are not arcs of the certified network")
    chosen = np.zeros(n_edges, dtype=np.int64)
    chosen[hit["arc"].dropna().to_numpy(np.int64)] = 1
    differ = int(np.count_nonzero(chosen != flow[:n_edges]))
    if differ:
        problems.append(f"the pairs differ from the certified flow on {differ} pair(s)")
    net = SimpleNamespace(
        tail=np.asarray(cert["tail"]), head=np.asarray(cert["head"]),
        lower=np.asarray(cert["lower"]), upper=np.asarray(cert["upper"]),
        supply=np.asarray(cert["supply"]), n_arcs=len(cert["tail"]),
        n_nodes=len(cert["supply"]))
    outcomes = [SimpleNamespace(value=v, potentials=pi, face_lower=lo, face_upper=hi)
                for v, pi, lo, hi in zip(cert["values"], cert["potentials"],
                                         cert["face_lower"], cert["face_upper"], strict=True)]
    problems += check_certificate(net, cert["costs"], flow, outcomes, complete=False)
    return problems
