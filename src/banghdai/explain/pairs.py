"""Why each pair: its score breakdown, its rank among the candidates, the best alternative.

Example
-------
>>> import pandas as pd, banghdai as bd
>>> mentors = pd.DataFrame({"mentor_id": ["M1", "M2"], "rating": [5, 4], "capacity": [1, 1]})
>>> mentees = pd.DataFrame({"mentee_id": ["E1"], "rating": [1]})
>>> p = bd.Problem(mentors, mentees).prefer(bd.StrongToWeak("rating"))
>>> print(bd.explain_pairs(p, p.solve().pairs, lang="zh")["why"].iloc[0])
以强带弱1.00（+1.00），评分差+4；在2名候选导师中排第1；最佳可用替代导师M2，目标值变化-0.25
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..compile.graph import compile_problem
from ..core.arrays import offsets, segments
from ..core.arrays import pair_keys as _pair_keys
from ..core.ids import ids_as_str
from ..core.messages import column_word, text
from ..data.schema import require_frame
from ..model.rules import PairScore, Stronger, StrongToWeak
from .words import _check_lang, _named

if TYPE_CHECKING:
    from ..compile.graph import Compiled
    from ..model.problem import Problem


def explain_pairs(problem: Problem, pairs: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """Why each pair: score breakdown, rank among the candidates, best alternative.

    For each row of ``pairs`` (columns ``mentor_id``, ``mentee_id``): the facts
    (``distance_km``, ``shared_domains``, the strength gap of each Stronger /
    StrongToWeak column), each score term and its weighted ``points``, the
    pair's ``score``, its ``rank`` among the mentee's candidate mentors (1 =
    best score) out of ``candidates``, and the best alternative: the mentee's
    best other candidate mentor with free capacity (``alt_mentor_id``) and
    ``objective_change``, the change of the objective (in the caller's sense, a
    cost when every term minimises) if the mentee moved there — or "none".
    ``why`` says it in a sentence (``lang`` "en" or "zh").

    Example
    -------
    >>> import pandas as pd, banghdai as bd
    >>> mentors = pd.DataFrame({"mentor_id": ["M1", "M2"], "rating": [5, 4], "capacity": [1, 1]})
    >>> mentees = pd.DataFrame({"mentee_id": ["E1"], "rating": [1]})
    >>> p = bd.Problem(mentors, mentees).prefer(bd.StrongToWeak("rating"))
    >>> ex = bd.explain_pairs(p, p.solve().pairs)
    >>> ex[["mentor_id", "rank", "alt_mentor_id", "objective_change"]].values.tolist()
    [['M1', 1, 'M2', -0.25]]
    """
    _check_lang(lang)
    c = compile_problem(problem.in_id_order())  # equal alternatives named by ids, as the solver picks
    require_frame(pairs, "pairs", ("mentor_id", "mentee_id"))
    pm, pe, is_edge, edge = _locate(c, pairs)
    chosen = np.zeros(c.n_edges, dtype=bool)
    chosen[edge[is_edge]] = True
    score = c.edge_info["score"].to_numpy(float)
    sign = -1.0 if c.sense == "min" else 1.0
    rank = _ranks(c, score)
    cand = np.bincount(c.edge_mentee, minlength=c.n_mentees)
    best_alt = _best_alternatives(c, chosen, score)

    out, labels, names = _facts(problem, c, pairs, pm, pe, is_edge, edge, lang)
    out["rank"] = np.where(is_edge, rank[np.maximum(edge, 0)] if c.n_edges else 0, 0)
    out["candidates"] = np.where(pe >= 0, cand[np.maximum(pe, 0)], 0)
    alt = np.where(pe >= 0, best_alt[np.maximum(pe, 0)], -1)
    has_alt = (alt >= 0) & is_edge
    alt_ids = np.full(len(pairs), "none", dtype=object)
    alt_ids[has_alt] = c.mentors.ids[c.edge_mentor[alt[has_alt]]]
    change = np.full(len(pairs), np.nan)
    change[has_alt] = sign * (score[alt[has_alt]] - score[edge[has_alt]])
    out["alt_mentor_id"] = alt_ids
    out["objective_change"] = np.round(change, 9)
    out["why"] = _whys(c, out, labels, names, is_edge, has_alt, alt, change, lang)
    return out


def _locate(c: Compiled, pairs: pd.DataFrame):
    """Mentor and mentee rows of each pair (-1: unknown id), whether it is a candidate
    edge, and its edge position (-1 when not)."""
    n_m = c.n_mentors
    pm = pd.Index(c.mentors.ids).get_indexer(ids_as_str(pairs["mentor_id"]))
    pe = pd.Index(c.mentees.ids).get_indexer(ids_as_str(pairs["mentee_id"]))
    keys = _pair_keys(c.edge_mentor, c.edge_mentee, n_m)
    pk = _pair_keys(np.maximum(pm, 0), np.maximum(pe, 0), n_m)
    pos = np.minimum(np.searchsorted(keys, pk), max(keys.size - 1, 0))
    known = (pm >= 0) & (pe >= 0) & (keys.size > 0)
    is_edge = known & (keys[pos] == pk) if keys.size else np.zeros(len(pairs), bool)
    return pm, pe, is_edge, np.where(is_edge, pos, -1)


def _ranks(c: Compiled, score: np.ndarray) -> np.ndarray:
    """Rank of each edge among its mentee's candidates (1 = best; equal scores share a rank)."""
    order = np.lexsort((-score, c.edge_mentee))
    starts = offsets(c.edge_mentee[order], c.n_mentees)
    rank = np.empty(c.n_edges, dtype=np.int64)
    if c.n_edges:
        s_sorted, e_sorted = score[order], c.edge_mentee[order]
        new_run = np.r_[True, (np.diff(s_sorted) != 0) | (np.diff(e_sorted) != 0)]
        run_start = np.maximum.accumulate(np.where(new_run, np.arange(c.n_edges), 0))
        rank[order] = run_start - starts[e_sorted] + 1
    return rank


def _best_alternatives(c: Compiled, chosen: np.ndarray, score: np.ndarray) -> np.ndarray:
    """Per mentee, its best-scoring candidate edge to a mentor with room that is not
    already its mentor (-1 when none)."""
    load = np.bincount(c.edge_mentor[chosen], minlength=c.n_mentors)
    free = (load[c.edge_mentor] < c.cap_hi[c.edge_mentor]) & ~chosen
    best_alt = np.full(c.n_mentees, -1, dtype=np.int64)
    if free.any():
        idx = np.flatnonzero(free)
        idx = idx[np.lexsort((-score[idx], c.edge_mentee[idx]))]
        first = idx[segments(c.edge_mentee[idx])[0]]
        best_alt[c.edge_mentee[first]] = first
    return best_alt


def _facts(problem: Problem, c: Compiled, pairs: pd.DataFrame, pm: np.ndarray, pe: np.ndarray,
           is_edge: np.ndarray, edge: np.ndarray, lang: str):
    """The pairs table with its facts, strength gaps, score terms, points and score;
    and the score columns with their names in ``lang``."""
    facts = {}
    info = c.edge_info
    for col in info.columns:
        vals = np.full(len(pairs), np.nan)
        vals[is_edge] = info[col].to_numpy(float)[edge[is_edge]]
        facts[col] = vals
    out = pd.DataFrame({"mentor_id": ids_as_str(pairs["mentor_id"]),
                        "mentee_id": ids_as_str(pairs["mentee_id"])})
    for col in ("distance_km", "shared_domains"):
        if col in facts:
            out[col] = facts[col]
    for rule in [*problem.edge_rules, *problem.scores]:
        if isinstance(rule, Stronger | StrongToWeak):
            col = f"{rule.by}_gap"
            if col in out.columns or rule.by not in c.mentors.frame.columns:
                continue
            a = pd.to_numeric(c.mentors.frame[rule.by], errors="coerce").to_numpy(float)
            b = pd.to_numeric(c.mentees.frame[rule.by], errors="coerce").to_numpy(float)
            gap = np.full(len(pairs), np.nan)
            ok = (pm >= 0) & (pe >= 0)
            gap[ok] = a[pm[ok]] - b[pe[ok]]
            out[col] = gap
    labels = []
    names: dict[str, str] = {}
    for term in problem.scores:
        label = term.result_column
        w = -term.weight if term.sense == "min" else term.weight
        out[label] = facts[label]
        out[f"{label}_points"] = facts[label] * w
        labels.append(label)
        names[label] = label if lang == "en" or isinstance(term, PairScore) else term.label(lang)
    out["score"] = facts["score"] if "score" in facts else np.nan
    return out, labels, names


def _whys(c: Compiled, out: pd.DataFrame, labels: list[str], names: dict[str, str],
          is_edge: np.ndarray, has_alt: np.ndarray, alt: np.ndarray, change: np.ndarray,
          lang: str) -> list[str]:
    """One sentence per pair: its score terms and facts, its rank, its best alternative."""
    distance = (out["distance_km"].to_numpy(dtype=float) if "distance_km" in out.columns
                else None)
    whys = []
    for k in range(len(out)):
        if not is_edge[k]:
            whys.append(text("why.not_candidate", lang))
            continue
        bits = []
        for label in labels:
            bits.append(text("why.term", lang, name=names[label], value=out.at[k, label],
                             points=out.at[k, f"{label}_points"]))
        km = distance[k] if distance is not None else math.nan
        if math.isfinite(km):
            bits.append(text("why.km", lang, km=km))
        for col in [x for x in out.columns if x.endswith("_gap")]:
            bits.append(text("why.gap", lang, name=column_word(col[:-4], lang),
                             gap=out.at[k, col]))
        head = text("why.list", lang).join(bits)
        rk = text("why.rank", lang, rank=out.at[k, "rank"], n=out.at[k, "candidates"])
        if has_alt[k]:
            ident = _named(c.mentors, int(c.edge_mentor[alt[k]]))
            tail = text("why.alternative", lang, name=ident, change=change[k])
        else:
            tail = text("why.no_alternative", lang)
        whys.append(text("why.sep", lang).join([s for s in (head, rk, tail) if s]))
    return whys

