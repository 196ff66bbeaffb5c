"""Why a mentee was left short: the candidate funnel and the full candidate mentors.

Example
-------
>>> import numpy as np, pandas as pd, banghdai as bd
>>> from banghdai.explain.unmatched import unmatched_reasons
>>> p = bd.Problem(pd.DataFrame({"mentor_id": ["M"], "county": ["A"]}),
...                pd.DataFrame({"mentee_id": ["E"], "county": ["B"]}))
>>> c = p.require(bd.SameRegion("county")).compile()
>>> unmatched_reasons(c, np.zeros(0, bool))["funnel"].iloc[0]
'1 mentors → same county 0'
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..compile.graph import stage_name
from ..core.arrays import segments
from ..core.messages import CATALOGUE, register, text
from ..result import Result, stopped_unmatched
from .common import _edge_load
from .words import _check_lang, _joined, _labels_of, _texts, _vformat, rule_label

if TYPE_CHECKING:
    from ..compile.graph import Compiled

#: The catalogue templates of an unmatched reason (``unmatched.<key>``), filled row-wise.
_REASON_KEYS = ("none", "none_rules", "paired", "full", "traded", "full_with", "full_none",
                "more", "sep", "list")


def _words(lang: str) -> dict[str, str]:
    """The unmatched-reason templates in ``lang``, from the catalogue."""
    return {key: CATALOGUE[f"unmatched.{key}"][lang] for key in _REASON_KEYS}


# --------------------------------------------------------------------------- the funnel
def _stages(compiled: Compiled) -> list[str]:
    return [c for c in compiled.funnel.columns if c not in ("mentee_id", "mentors")]


def _stage_rules(compiled: Compiled) -> list:
    """The rule object of each funnel stage (by position), or the stage's label when the
    compiled problem does not carry them (e.g. built by hand)."""
    stages = _stages(compiled)
    rules = list(getattr(compiled, "funnel_rules", ()) or ())
    return rules if len(rules) == len(stages) else stages


def _stage_words(rule: object, lang: str) -> str:
    """A funnel stage's name in ``lang``: its rule's own words (a bare label: translated)."""
    return rule_label(rule, lang) if isinstance(rule, str) else stage_name(rule, lang)


def _quote_stage(rule: object, lang: str, *, stage: bool = True) -> str:
    """A rule's words quoted: its funnel stage name, or (``stage=False``) its label."""
    if isinstance(rule, str):
        words = rule_label(rule, lang)
    else:
        words = stage_name(rule, lang) if stage else rule.label(lang)  # type: ignore[attr-defined]
    return text("explain.quoted", lang, name=words)


def _funnel_counts(compiled: Compiled, rows: np.ndarray) -> np.ndarray:
    """Funnel counts of mentee ``rows``: the 'mentors' column, then one per stage."""
    funnel = compiled.funnel
    return np.column_stack([funnel[c].to_numpy()[rows] for c in ["mentors", *_stages(compiled)]])


def _funnel_texts(compiled: Compiled, rows: np.ndarray, lang: str,
                  counts: np.ndarray | None = None) -> list[str]:
    """'483 mentors → same county 89 → …' for each mentee row (vectorised)."""
    stages = _stage_rules(compiled)
    if counts is None:
        counts = _funnel_counts(compiled, rows)
    if rows.size == 0:
        return []
    text = _vformat(CATALOGUE["unmatched.funnel_head"][lang], rows.size, n=counts[:, 0])
    stage_template = CATALOGUE["unmatched.funnel_stage"][lang]
    for k, stage in enumerate(stages, start=1):
        text = text + _vformat(stage_template, rows.size, label=_stage_words(stage, lang),
                               n=counts[:, k])
    return text.tolist()


def _last_rule(compiled: Compiled, rows: np.ndarray,
               counts: np.ndarray | None = None) -> list[str | None]:
    """The funnel label of the rule after which no candidate was left, per mentee row
    (None if some remain); :func:`_last_stage` gives the rule itself."""
    return [None if r is None else r if isinstance(r, str) else stage_name(r)
            for r in _last_stage(compiled, rows, counts)]


def _last_stage(compiled: Compiled, rows: np.ndarray,
                counts: np.ndarray | None = None) -> list:
    """The rule after which no candidate was left, per mentee row (None if some remain)."""
    stages = _stage_rules(compiled)
    if not stages or rows.size == 0:
        return [None] * rows.size
    if counts is None:
        counts = _funnel_counts(compiled, rows)
    zero = counts[:, 1:] == 0
    first = zero.argmax(axis=1)
    return [stages[f] if z else None for f, z in zip(first.tolist(), zero.any(axis=1).tolist(),
                                                      strict=True)]


# --------------------------------------------------------------------------- full mentors
def _top_full(compiled: Compiled, chosen: np.ndarray, blocked: np.ndarray,
              missing: np.ndarray, show: int) -> tuple[np.ndarray, np.ndarray]:
    """The best ``show`` full candidate pairs of each missing mentee (grouped by mentee),
    and how many full candidates each such mentee has in all (same order)."""
    ee = compiled.edge_mentee
    is_missing = np.zeros(compiled.n_mentees, dtype=bool)
    is_missing[missing] = True
    idx = np.flatnonzero(~chosen & blocked & is_missing[ee])
    if idx.size == 0:
        return idx, idx
    # edges are sorted by mentee, so idx is too: order each mentee's run by value, best first
    val = compiled.edge_value[idx]
    span = int(val.max()) - int(val.min()) + 1
    if span * (compiled.n_mentees + 1) < 2**62:
        idx = idx[np.argsort(ee[idx] * span + (int(val.max()) - val), kind="stable")]
    else:  # pragma: no cover - astronomically spread values
        idx = idx[np.lexsort((-val, ee[idx]))]
    start, size = segments(ee[idx])
    rank = np.arange(idx.size) - np.repeat(start, size)
    return idx[rank < show], size


def _mentor_texts(compiled: Compiled, chosen: np.ndarray, load: np.ndarray,
                  mentors: np.ndarray, words: dict, show: int) -> np.ndarray:
    """'<label> full load/cap with E1, E2, E3[, and n more]' for each of ``mentors``
    (an array over all mentors, filled at those rows)."""
    em, ee = compiled.edge_mentor, compiled.edge_mentee
    labels = np.empty(compiled.n_mentors, dtype=object)
    labels[mentors] = _labels_of(compiled.mentors, mentors)
    cap = compiled.cap_hi
    text = np.empty(compiled.n_mentors, dtype=object)
    text[mentors] = _vformat(words["full_none"], mentors.size, mentor=labels[mentors],
                             load=load[mentors], cap=cap[mentors])
    chosen_idx = np.flatnonzero(chosen)
    pick = chosen_idx[np.isin(em[chosen_idx], mentors)]
    if pick.size:
        pick = pick[np.argsort(em[pick], kind="stable")]
        heads, counts = segments(em[pick])
        who = _joined(_texts(compiled.mentees.ids[ee[pick]]), heads, counts, show,
                      words["list"], words["more"])
        with_pairs = em[pick][heads]
        text[with_pairs] = _vformat(words["full_with"], with_pairs.size,
                                    mentor=labels[with_pairs], load=load[with_pairs],
                                    cap=cap[with_pairs], mentees=who)
    return text


def _full_mentors(compiled: Compiled, chosen: np.ndarray, blocked: np.ndarray,
                  load: np.ndarray, missing: np.ndarray, words: dict, show: int) -> list[str]:
    """Per missing mentee: its best ``show`` candidates that were full, and with whom."""
    em, ee = compiled.edge_mentor, compiled.edge_mentee
    if missing.size == 0:
        return []
    top, totals = _top_full(compiled, chosen, blocked, missing, show)
    if totals.size == 0:  # no missing mentee has a full candidate
        return [""] * missing.size
    # each listed mentor once
    text = _mentor_texts(compiled, chosen, load, np.unique(em[top]), words, show)
    heads, counts = segments(ee[top])
    per_mentee = _joined(text[em[top]], heads, counts, show, words["sep"], words["more"])
    over = totals > show  # totals: full candidates per mentee with any (same order as heads)
    if over.any():  # '...; and n more' counts every full candidate, not just the top ones
        per_mentee[over] = per_mentee[over] + words["sep"] + _vformat(
            words["more"], int(over.sum()), n=totals[over] - show)
    out = np.full(compiled.n_mentees, "", dtype=object)
    out[ee[top][heads]] = per_mentee
    return out[missing].tolist()


# --------------------------------------------------------------------------- reasons
@functools.cache
def _no_unmatched(with_name: bool) -> pd.DataFrame:
    """The empty unmatched table (built once: constructing frames costs more than copying)."""
    text = pd.Series([], dtype=pd.Series(["text"]).dtype)
    count = np.empty(0, dtype=np.int64)
    out = pd.DataFrame({"mentee_id": text, "needed": count, "got": count, "candidates": count,
                        "reason": text, "funnel": text, "full_mentors": text})
    if with_name:
        out.insert(1, "name", text)
    return out


register("reason.group_held", en="left unmatched: its candidates with room are held back "
                                 "by the rule {rule}",
         zh="未结对：其有空位的候选导师受{rule}规则限制")


def _reasons(words: dict, lang: str, last: list, cand: np.ndarray,
             got: np.ndarray, open_cand: np.ndarray,
             held: list[str | None] | None = None) -> list[str]:
    """One reason per missing mentee, from its candidates, mentors and open candidates
    (``held``: the group rule that holds back every open candidate, when one does)."""
    none_text = [words["none"].format(rule=_quote_stage(r, lang)) if r is not None
                 else words["none_rules"] for r in last]
    traded = np.array([text("reason.group_held", lang, rule=_quote_stage(h, lang, stage=False))
                       if h is not None else words["traded"]
                       for h in (held or [None] * cand.size)],
                      dtype=object)
    return np.where(
        cand == 0, np.array(none_text, dtype=object),
        np.where(cand <= got, _vformat(words["paired"], cand.size, c=cand),
                 np.where(open_cand == 0, _vformat(words["full"], cand.size, c=cand),
                          traded))).tolist()


def _held_by(compiled: Compiled, chosen: np.ndarray, open_sub: np.ndarray,
             missing: np.ndarray) -> list:
    """Per missing mentee: the first group rule (its spec, else its label) that holds back
    all its open candidates (each rule's own ``blocked``), or None."""
    out: list = [None] * missing.size
    if open_sub.size == 0 or not compiled.group_rules:
        return out
    ee = compiled.edge_mentee
    n_open = np.bincount(ee[open_sub], minlength=compiled.n_mentees)
    pos = np.full(compiled.n_mentees, -1, np.int64)
    pos[missing] = np.arange(missing.size)
    for rule in compiled.group_rules:
        held = open_sub[rule.blocked(compiled, chosen)[open_sub]]
        n_held = np.bincount(ee[held], minlength=compiled.n_mentees)
        for t in np.flatnonzero((n_held == n_open) & (n_open > 0) & (pos >= 0)).tolist():
            if out[pos[t]] is None:
                out[pos[t]] = getattr(rule, "spec", None) or rule.label
    return out


def unmatched_reasons(compiled: Compiled, chosen: np.ndarray, lang: str = "en",
                      *, show: int = 3) -> pd.DataFrame:
    """Mentees with fewer mentors than needed, each with a reason a planner reads.

    Columns: ``mentee_id`` (and ``name``), ``needed``, ``got``, ``candidates``,
    ``reason``, ``funnel`` (candidates left after each edge rule in turn) and
    ``full_mentors`` (the best ``show`` candidates that were full, and with
    whom). ``lang`` is ``"en"`` or ``"zh"``.

    Example
    -------
    >>> import numpy as np, pandas as pd, banghdai as bd
    >>> from banghdai.explain import unmatched_reasons
    >>> p = bd.Problem(pd.DataFrame({"mentor_id": ["M"], "county": ["A"]}),
    ...                pd.DataFrame({"mentee_id": ["E"], "county": ["B"]}))
    >>> c = p.require(bd.SameRegion("county")).compile()
    >>> unmatched_reasons(c, np.zeros(0, bool), "zh")["reason"].iloc[0]
    '没有候选导师：经“同县区”规则筛选后无人符合'
    """
    _check_lang(lang)
    words = _words(lang)
    n_e, n_m = compiled.n_mentees, compiled.n_mentors
    chosen = np.asarray(chosen, dtype=bool)
    em, ee = compiled.edge_mentor, compiled.edge_mentee
    got = np.bincount(ee[chosen], minlength=n_e)
    missing = compiled.mentees.in_caller_order(np.flatnonzero(got < compiled.demand))
    if missing.size == 0:  # same columns and dtypes as a frame with rows
        return _no_unmatched("name" in compiled.mentees.frame.columns).copy()
    cand = np.bincount(ee, minlength=n_e)
    weight = _edge_load(compiled)
    load = np.bincount(em[chosen], weights=weight[chosen], minlength=n_m).astype(np.int64)
    is_missing = np.zeros(n_e, dtype=bool)
    is_missing[missing] = True
    sub = np.flatnonzero(is_missing[ee])  # only the unmatched mentees' candidate pairs matter
    blocked = np.zeros(em.size, dtype=bool)  # the mentor has no room for this pair
    blocked[sub] = load[em[sub]] + weight[sub] > compiled.cap_hi[em[sub]]
    open_sub = sub[~blocked[sub] & ~chosen[sub]]
    open_cand = np.bincount(ee[open_sub], minlength=n_e)
    counts = _funnel_counts(compiled, missing)
    reasons = _reasons(words, lang, _last_stage(compiled, missing, counts), cand[missing],
                       got[missing], open_cand[missing],
                       _held_by(compiled, chosen, open_sub, missing))
    out = pd.DataFrame(
        {
            "mentee_id": compiled.mentees.ids[missing],
            "needed": compiled.demand[missing],
            "got": got[missing],
            "candidates": cand[missing],
            "reason": reasons,
            "funnel": _funnel_texts(compiled, missing, lang, counts),
            "full_mentors": _full_mentors(compiled, chosen, blocked, load, missing, words,
                                          show),
        }
    )
    if "name" in compiled.mentees.frame.columns:
        out.insert(1, "name", compiled.mentees.frame["name"].to_numpy()[missing])
    return out


def reasons_of(result: Result, lang: str) -> pd.DataFrame:
    """``result.unmatched`` with its reasons written in ``lang``, from the data the solve kept
    (``result.reasons_from``); the table as it is when the result has none (built by hand).

    Example
    -------
    >>> import pandas as pd, banghdai as bd
    >>> from banghdai.explain.unmatched import reasons_of
    >>> p = bd.Problem(pd.DataFrame({"mentor_id": ["M"]}), pd.DataFrame({"mentee_id": ["E", "F"]}))
    >>> reasons_of(p.solve(), "zh")["reason"].tolist()
    ['1名候选导师均已满额']
    """
    basis = result.reasons_from
    if basis is None:
        return result.unmatched
    if basis.stopped is not None:
        ids = basis.ids if basis.ids is not None else np.empty(0, dtype=object)
        return stopped_unmatched(ids, basis.stopped, lang)
    assert basis.compiled is not None and basis.chosen is not None
    return unmatched_reasons(basis.compiled, basis.chosen, lang)


def with_reasons(result: Result) -> Result:
    """``result`` with ``unmatched`` in words, in the language of the solve (``info["lang"]``);
    the same object, changed in place (the solvers hand back the numbers only).

    Example
    -------
    >>> import pandas as pd, banghdai as bd
    >>> from banghdai.explain.unmatched import with_reasons
    >>> from banghdai.solvers.run import solve
    >>> p = bd.Problem(pd.DataFrame({"mentor_id": ["M"]}), pd.DataFrame({"mentee_id": ["E", "F"]}))
    >>> r = solve(p)
    >>> "reason" in r.unmatched, "reason" in with_reasons(r).unmatched
    (False, True)
    """
    if result.reasons_from is not None and result.reasons_from.stopped is None:
        result.unmatched = reasons_of(result, result.info.get("lang", "en"))
    return result
