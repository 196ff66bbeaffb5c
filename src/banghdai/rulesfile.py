"""Rules files (TOML) for batch runs: the same rules as the Python API, as data.

Format (every table optional except ``[pairing]``)::

    [pairing]
    shape = "many_to_many"        # one_to_one | one_to_many | many_to_one | many_to_many
    capacity = "capacity"         # integer or mentor column
    mentors_per_mentee = 1        # integer or mentee column
    min_load = 0                  # integer or mentor column
    unmatched = "allow"           # allow | forbid
    # unmatched_penalty = 5.0     # score units per missing mentor (default: coverage first)

    [columns.mentors]             # canonical = column in your file
    mentor_id = "导师编号"
    [columns.mentees]
    mentee_id = "对象编号"

    [[require]]                   # same_region | max_distance | shares_domain | stronger | avoid_same
    rule = "same_region"
    level = "county"

    [[prefer]]                    # domain_fit | closeness | strong_to_weak | pair_score
    score = "domain_fit"
    weight = 3

    [files]                       # side tables in the roster folder
    fixed = "fixed.csv"
    forbidden = "forbidden.csv"

    [solve]                       # time_limit, seed, workers, backend
    time_limit = 60

Example
-------
>>> import banghdai as bd
>>> rules = {"pairing": {"shape": "one_to_many", "capacity": 2},
...          "require": [{"rule": "max_distance", "km": 25}]}
>>> mentors, mentees = bd.load_sample("fanxian")
>>> bd.problem_from_rules((mentors, mentees), rules).pairing.capacity
2
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from .core import hooks
from .core.errors import InputError
from .data.readers import Roster, load_toml
from .model.problem import Problem
from .model.rules import (
    AvoidSame,
    Closeness,
    DomainFit,
    ManyToMany,
    ManyToOne,
    MaxDistance,
    Nearest,
    OneToMany,
    OneToOne,
    PairScore,
    SameRegion,
    SharesDomain,
    Stronger,
    StrongToWeak,
)

TOP_KEYS = ("pairing", "columns", "require", "prefer", "files", "solve")
SHAPE_KEYS = {
    "one_to_one": ("unmatched", "unmatched_penalty"),
    "one_to_many": ("capacity", "min_load", "unmatched", "unmatched_penalty"),
    "many_to_one": ("mentors_per_mentee", "unmatched", "unmatched_penalty"),
    "many_to_many": ("capacity", "mentors_per_mentee", "min_load", "unmatched", "unmatched_penalty"),
}
REQUIRE = {
    "same_region": (SameRegion, ("level",)),
    "max_distance": (MaxDistance, ("km",)),
    "nearest": (Nearest, ("k",)),
    "shares_domain": (SharesDomain, ("min_shared", "mentor_column", "mentee_column")),
    "stronger": (Stronger, ("by", "margin", "strict")),
    "avoid_same": (AvoidSame, ("column",)),
}
PREFER = {
    "domain_fit": (DomainFit, ("weight", "mentor_column", "mentee_column")),
    "closeness": (Closeness, ("weight", "scale_km")),
    "strong_to_weak": (StrongToWeak, ("by", "weight")),
    "pair_score": (PairScore, ("column", "weight", "sense", "restrict", "mentor", "mentee", "name")),
}
SOLVE_KEYS = ("time_limit", "seed", "workers", "backend", "lang")


def read_rules(path: str | Path) -> dict[str, Any]:
    """Read and check a rules TOML file; unknown keys raise with the valid choices.

    Example
    -------
    >>> import banghdai as bd
    >>> bd.read_rules(bd.samples.sample_path("fanxian") / "rules.toml")["pairing"]["capacity"]
    2
    """
    data = load_toml(path)
    check_rules(data, str(path))
    return data


def _unknown(keys: Mapping[str, Any], allowed: tuple[str, ...], where: str) -> None:
    for key in keys:
        if key not in allowed:
            raise InputError(f"unknown option {key!r}", table=where, column=key,
                             choices=list(allowed))


def check_rules(data: Mapping[str, Any], where: str = "rules") -> None:
    """Refuse unknown tables, options, rule and score names."""
    _unknown(data, TOP_KEYS, where)
    pairing = data.get("pairing", {})
    shape = pairing.get("shape", "one_to_one")
    if shape not in SHAPE_KEYS:
        raise InputError(f"unknown shape {shape!r}", table=f"{where} [pairing]", column="shape",
                         choices=list(SHAPE_KEYS))
    _unknown(pairing, ("shape", *SHAPE_KEYS[shape]), f"{where} [pairing]")
    for kind, table, field_name in (("require", REQUIRE, "rule"), ("prefer", PREFER, "score")):
        items = data.get(kind, [])
        if not isinstance(items, list):
            raise InputError(f"[[{kind}]] must be an array of tables", table=where, column=kind)
        for i, item in enumerate(items):
            name = item.get(field_name)
            if name not in table:
                raise InputError(f"unknown {field_name} {name!r}", table=f"{where} [[{kind}]]",
                                 row=i, column=field_name, choices=list(table))
            _unknown(item, (field_name, *table[name][1]), f"{where} [[{kind}]] {name}")
    cols = data.get("columns", {})
    for key, value in cols.items():
        if isinstance(value, dict):
            _unknown({key: 0}, ("mentors", "mentees"), f"{where} [columns]")
    _unknown(data.get("files", {}), ("fixed", "forbidden", "pair_scores"), f"{where} [files]")
    _unknown(data.get("solve", {}), SOLVE_KEYS, f"{where} [solve]")


def problem_from_rules(
    roster: Roster | tuple[pd.DataFrame, pd.DataFrame], rules: Mapping[str, Any]
) -> Problem:
    """Build a :class:`Problem` from tables and a rules mapping (as in a rules.toml).

    ``roster`` is a :class:`Roster` (its fixed / forbidden / pair_scores
    tables are used) or a ``(mentors, mentees)`` tuple.

    Example
    -------
    >>> import banghdai as bd
    >>> roster = bd.load_sample("fushan")
    >>> p = bd.problem_from_rules(roster, roster.rules)
    >>> p.pairing.unmatched
    'forbid'
    """
    check_rules(rules)
    if isinstance(roster, Roster):
        mentors, mentees = roster.mentors, roster.mentees
        fixed, forbidden, scores = roster.fixed, roster.forbidden, roster.pair_scores
    else:
        mentors, mentees = roster
        fixed = forbidden = scores = None
    pairing_cfg = dict(rules.get("pairing", {}))
    shape = pairing_cfg.pop("shape", "one_to_one")
    factory = {"one_to_one": OneToOne, "one_to_many": OneToMany, "many_to_one": ManyToOne,
               "many_to_many": ManyToMany}[shape]
    pairing = factory(**pairing_cfg)
    cols = rules.get("columns", {})
    flat = {k: v for k, v in cols.items() if not isinstance(v, dict)}
    problem = Problem(mentors, mentees, pairing=pairing, columns=flat,
                      mentor_columns=cols.get("mentors"), mentee_columns=cols.get("mentees"))
    for item in rules.get("require", []):
        cls, _ = REQUIRE[item["rule"]]
        problem.require(cls(**{k: v for k, v in item.items() if k != "rule"}))
    for item in rules.get("prefer", []):
        cls, _ = PREFER[item["score"]]
        kwargs = {k: v for k, v in item.items() if k != "score"}
        if cls is PairScore:
            if scores is None:
                raise InputError("pair_score needs a pair_scores table in the roster",
                                 table="rules [[prefer]]", column="pair_score")
            problem.prefer(PairScore(scores, **kwargs))
        else:
            problem.prefer(cls(**kwargs))
    if forbidden is not None:
        problem.forbid(forbidden)
    if fixed is not None:
        problem.fix(fixed)
    return problem


hooks.provide("read_rules", read_rules)
hooks.provide("problem_from_rules", problem_from_rules)
