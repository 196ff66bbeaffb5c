"""Rules files (TOML) for batch runs: every rule of the Python API, as data.

Every rule, score, group rule and level in the registry
(:mod:`banghdai.model.registry`) can be written, with the same names and
parameters as in Python; values are checked against the parameters' types
before anything runs, and :meth:`Problem.to_rules <banghdai.Problem.to_rules>`
writes a file that reads back to the same problem.

Format (every table optional)::

    [pairing]
    shape = "many_to_many"        # one_to_one | one_to_many | many_to_one | many_to_many
    capacity = "capacity"         # integer or mentor column
    mentors_per_mentee = 1        # integer or mentee column
    min_load = 0                  # integer or mentor column
    unmatched = "allow"           # allow | forbid
    # unmatched_penalty = 5.0     # score units per missing mentor (default: coverage first)

    [columns]                     # canonical = your header, both tables
    township = "乡镇"
    [columns.mentors]             # one side only
    mentor_id = "导师编号"
    [columns.mentees]
    mentee_id = "对象编号"

    [[require]]                   # edge, fixed and group rules: rule = its name
    rule = "same_region"
    level = "county"

    [[require]]
    rule = "distinct_types"       # 三型: a key mentee's mentors of different types
    column = "type"

    [[require]]
    rule = "quota"
    column = "tier"
    side = "mentor"
    max = { city = 60 }           # an integer for every group, or a table of them

    [[require]]
    rule = "preferences"
    table = "preferences.csv"     # side tables: a file beside the rules file

    [[prefer]]                    # scores: score = its name
    score = "domain_fit"
    weight = 3

    [[levels]]                    # lexicographic levels, most important first
    level = "coverage"
    priority = "priority"
    [[levels]]
    level = "domain_fit"          # a score as a level, its parameters beside it
    [[levels]]
    level = "sum"                 # several scores summed as one level
    scores = [{ score = "closeness", scale_km = 30 }, { score = "strong_to_weak" }]
    [[levels]]
    level = "max_min"
    terms = [{ score = "closeness" }]

    [files]                       # the roster's side tables (default: found by name)
    fixed = "fixed.csv"
    forbidden = "forbidden.csv"
    pair_scores = "pair_scores.csv"

    [solve]                       # time_limit, seed, workers, backend, lang
    time_limit = 60

An optional parameter that Python sets to ``None`` is written ``false`` (for
example ``mentor_rank = false``: the mentors gave no ranks). Side-table files
must lie inside the folder of the rules file.

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

import csv
import dataclasses
import math
import types
import typing
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

import pandas as pd

from .core.errors import InputError, Msg, Word
from .core.messages import LANGS, use_lang
from .data.readers import Roster, load_toml, read_table
from .model import pairing as shapes
from .model.levels import MaxMin
from .model.problem import Problem
from .model.registry import RULES, of_kind
from .model.rule import Rule
from .solvers.registry import BACKENDS

TOP_KEYS = ("pairing", "columns", "require", "prefer", "levels", "files", "solve", "read")
SHAPES = {"one_to_one": shapes.OneToOne, "one_to_many": shapes.OneToMany,
          "many_to_one": shapes.ManyToOne, "many_to_many": shapes.ManyToMany}
PAIRING_KEYS = ("capacity", "mentors_per_mentee", "min_load", "unmatched", "unmatched_penalty")
SHAPE_KEYS = {
    "one_to_one": ("unmatched", "unmatched_penalty"),
    "one_to_many": ("capacity", "min_load", "unmatched", "unmatched_penalty"),
    "many_to_one": ("mentors_per_mentee", "unmatched", "unmatched_penalty"),
    "many_to_many": PAIRING_KEYS,
}
FILES = ("fixed", "forbidden", "pair_scores")
SOLVE_KEYS = ("time_limit", "seed", "workers", "backend", "lang")
#: Which roster side table a table parameter falls back to when the rules file names none.
DEFAULT_TABLES = {"forbidden_pairs": "forbidden", "fixed_pairs": "fixed",
                  "pair_score": "pair_scores"}


class Rules(dict):
    """A rules mapping read from a file; ``folder`` is where its side tables are looked up.

    Example
    -------
    >>> import banghdai as bd
    >>> rules = bd.read_rules(bd.samples.sample_path("fanxian") / "rules.toml")
    >>> rules.folder.name
    'fanxian'
    """

    folder: Path | None = None


def read_rules(path: str | Path) -> Rules:
    """Read and check a rules TOML file; unknown names and wrong value types are refused.

    Example
    -------
    >>> import banghdai as bd
    >>> bd.read_rules(bd.samples.sample_path("fanxian") / "rules.toml")["pairing"]["capacity"]
    2
    """
    path = Path(path)
    data = Rules(load_toml(path))
    data.folder = path.resolve().parent
    with use_lang(_rules_lang(data)):
        check_rules(data, str(path))
    return data


def _rules_lang(rules: Any) -> str:
    """The language a rules mapping asks for (``[solve] lang``), else the current one."""
    from .core.messages import current_lang

    solve = rules.get("solve") if isinstance(rules, Mapping) else None
    lang = solve.get("lang") if isinstance(solve, Mapping) else None
    return lang if lang in LANGS else current_lang()


# --------------------------------------------------------------------------- type checks
def _where(where: str, section: str, index: int | None = None, name: str | None = None) -> str:
    out = f"{where} {section}"
    if index is not None:
        out += f" #{index + 1}"
    if name:
        out += f" ({name})"
    return out


def _type_name(hint: Any) -> Msg | str:
    origin = typing.get_origin(hint)
    simple = {bool: "type.bool", int: "type.int", float: "type.float", str: "type.text",
              pd.DataFrame: "type.file"}
    if hint in simple:
        return Msg(simple[hint])
    if origin is Literal:
        return Msg("type.one_of", values=", ".join(repr(a) for a in typing.get_args(hint)))
    if origin in (types.UnionType, typing.Union):
        names = [_type_name(a) for a in typing.get_args(hint) if a is not type(None)]
        out = names[0]
        for name in names[1:]:
            out = Msg("type.or", a=out, b=name)
        return out
    if origin is tuple or hint is tuple:
        return Msg("type.list")
    if origin is Mapping or hint is Mapping:
        return Msg("type.int_table")
    return str(hint)


def _fits(value: Any, hint: Any) -> bool:
    """Does a TOML value fit the parameter's annotation?"""
    origin = typing.get_origin(hint)
    if hint is Any:
        return True
    if hint is type(None):
        return value is None
    if hint is bool:
        return isinstance(value, bool)
    if hint is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if hint is float:
        return (isinstance(value, int | float) and not isinstance(value, bool)
                and math.isfinite(value))
    if hint is str:
        return isinstance(value, str)
    if hint is pd.DataFrame:
        return isinstance(value, str | pd.DataFrame)
    if origin is Literal:
        return any(value == a and type(value) is type(a) for a in typing.get_args(hint))
    if origin in (types.UnionType, typing.Union):
        return any(_fits(value, a) for a in typing.get_args(hint))
    if origin is tuple or hint is tuple:
        args = typing.get_args(hint)
        if not isinstance(value, list | tuple):
            return False
        item = args[0] if args else Any
        return all(_fits(v, item) for v in value) if item is not Any else True
    if origin is Mapping or hint is Mapping:
        args = typing.get_args(hint) or (str, int)
        return isinstance(value, Mapping) and all(
            isinstance(k, str) and _fits(v, args[1]) for k, v in value.items())
    return True  # pragma: no cover - every registered annotation is handled above


def _hints(cls: type) -> dict[str, Any]:
    hints = typing.get_type_hints(cls)
    return {f.name: hints[f.name] for f in dataclasses.fields(cls) if f.init}


def _check_params(cls: type[Rule], item: Mapping[str, Any], head: str, where: str) -> None:
    hints = _hints(cls)
    for key, value in item.items():
        if key == head:
            continue
        if key not in hints:
            raise InputError(Msg("rules.unknown_option_for", key=key, name=cls.__name__),
                             table=where,
                             column=key, choices=list(hints))
        hint = hints[key]
        if value is False and hint is not bool and _fits(None, hint):
            continue  # ``false`` stands for None
        if cls is MaxMin and key == "terms":
            _check_score_list(value, where, key)
            continue
        if not _fits(value, hint):
            raise InputError(Msg("rules.must_be", key=key, need=_type_name(hint), value=value),
                             table=where, column=key)
    # every registered rule is a frozen dataclass (CONTRIBUTING.md; tests/test_registry.py)
    required = [f.name for f in dataclasses.fields(typing.cast(Any, cls))
                if f.init and f.default is dataclasses.MISSING
                and f.default_factory is dataclasses.MISSING
                and f.name not in cls.tables]
    missing = [k for k in required if k not in item]
    if missing:
        raise InputError(Msg("rules.needs", name=cls.__name__, key=missing[0]), table=where,
                         column=missing[0])


def _check_item(item: Any, head: str, kinds: tuple[str, ...], where: str, i: int) -> type:
    section = {"rule": "[[require]]", "score": "[[prefer]]", "level": "[[levels]]"}[head]
    loc = _where(where, section, i)
    if not isinstance(item, Mapping):
        raise InputError(Msg("rules.entry_table", section=section, value=item), table=loc)
    name = item.get(head)
    valid = of_kind(*kinds)
    if not isinstance(name, str) or name not in valid:
        raise InputError(Msg(f"rules.unknown_{head}", name=name), table=loc, column=head,
                         choices=list(valid))
    cls = valid[name]
    _check_params(cls, item, head, _where(where, section, i, name))
    return cls


def _check_score_list(value: Any, where: str, key: str) -> None:
    if not isinstance(value, list) or not value:
        raise InputError(Msg("rules.score_list", key=key), table=where, column=key)
    for j, term in enumerate(value):
        _check_item(term, "score", ("score",), f"{where} {key}", j)


def _check_section(data: Mapping[str, Any], key: str, where: str, kind: type = dict) -> Any:
    value = data.get(key, kind())
    if not isinstance(value, kind):
        what = Msg("type.table") if kind is dict else Msg("type.array")
        raise InputError(Msg("rules.section_type", key=key, what=what, value=value), table=where,
                         column=key)
    return value


def check_rules(data: Mapping[str, Any], where: str = "rules") -> None:
    """Refuse unknown tables, options and names, and values of the wrong type.

    Example
    -------
    >>> from banghdai.rulesfile import check_rules
    >>> check_rules({"require": [{"rule": "max_distance", "km": "far"}]})
    Traceback (most recent call last):
    ...
    banghdai.InputError: rules [[require]] #1 (max_distance), column 'km': km must be a finite number, got 'far'; how to fix: see the rules file section of the README for this option
    """
    if not isinstance(data, Mapping):
        raise InputError(Msg("rules.not_table"), table=where)
    for key in data:
        if key not in TOP_KEYS:
            raise InputError(Msg("rules.unknown_section", key=key), table=where, column=key,
                             choices=list(TOP_KEYS))
    pairing = _check_section(data, "pairing", where)
    shape = pairing.get("shape", "one_to_one")
    if not isinstance(shape, str) or shape not in SHAPES:
        raise InputError(Msg("rules.unknown_shape", shape=shape), table=f"{where} [pairing]",
                         column="shape",
                         choices=list(SHAPES))
    allowed = ("shape", *SHAPE_KEYS[shape])
    hints = _hints(shapes.Pairing)
    for key, value in pairing.items():
        if key not in allowed:
            raise InputError(Msg("rules.unknown_option", key=key), table=f"{where} [pairing]",
                             column=key, choices=list(allowed))
        if key != "shape" and not _fits(value, hints[key]):
            raise InputError(Msg("rules.must_be", key=key, need=_type_name(hints[key]),
                                 value=value), table=f"{where} [pairing]", column=key)
    columns = _check_section(data, "columns", where)
    for key, value in columns.items():
        if isinstance(value, Mapping):
            if key not in ("mentors", "mentees"):
                raise InputError(Msg("rules.column_side", key=key), table=f"{where} [columns]",
                                 column=key, choices=["mentors", "mentees"])
            bad = [k for k, v in value.items() if not isinstance(v, str)]
            if bad:
                raise InputError(Msg("rules.mapping_text"),
                                 table=f"{where} [columns.{key}]", column=bad[0])
        elif not isinstance(value, str):
            raise InputError(Msg("rules.column_text", key=key, value=value),
                             table=f"{where} [columns]", column=key)
        elif key in ("mentors", "mentees"):
            raise InputError(Msg("rules.columns_side_text", key=key, value=value),
                             table=f"{where} [columns]", column=key)
    for section, head, kinds in (("require", "rule", ("edge", "fixed", "group")),
                                 ("prefer", "score", ("score",))):
        for i, item in enumerate(_check_section(data, section, where, list)):
            _check_item(item, head, kinds, where, i)
    for i, item in enumerate(_check_section(data, "levels", where, list)):
        _check_level(item, where, i)
    files = _check_section(data, "files", where)
    for key, value in files.items():
        if key not in FILES:
            raise InputError(Msg("rules.unknown_option", key=key), table=f"{where} [files]",
                             column=key, choices=list(FILES))
        if not isinstance(value, str):
            raise InputError(Msg("rules.file_text", key=key, value=value),
                             table=f"{where} [files]", column=key)
    _check_solve(_check_section(data, "solve", where), f"{where} [solve]")
    for key, value in _check_section(data, "read", where).items():
        if key != "hidden":
            raise InputError(Msg("rules.unknown_option", key=key), table=f"{where} [read]",
                             column=key, choices=["hidden"])
        if value not in ("skip", "read"):
            raise InputError(Msg("read.hidden_value", value=value),
                             table=f"{where} [read]", column=key, choices=["skip", "read"])


def _check_level(item: Any, where: str, i: int) -> None:
    loc = _where(where, "[[levels]]", i)
    if not isinstance(item, Mapping):
        raise InputError(Msg("rules.entry_table", section="[[levels]]", value=item), table=loc)
    name = item.get("level")
    if name == "sum":
        extra = [k for k in item if k not in ("level", "scores")]
        if extra:
            raise InputError(Msg("rules.unknown_option", key=extra[0]), table=loc,
                             column=extra[0],
                             choices=["scores"])
        _check_score_list(item.get("scores"), loc, "scores")
        return
    valid = {**of_kind("level"), **of_kind("score")}
    if not isinstance(name, str) or name not in valid:
        raise InputError(Msg("rules.unknown_level", name=name), table=loc, column="level",
                         choices=[*valid, "sum"])
    _check_params(valid[name], item, "level", _where(where, "[[levels]]", i, name))


def _check_solve(solve: Mapping[str, Any], where: str) -> None:
    for key, value in solve.items():
        if key not in SOLVE_KEYS:
            raise InputError(Msg("rules.unknown_option", key=key), table=where, column=key,
                             choices=list(SOLVE_KEYS))
        ok = {
            "time_limit": _fits(value, float) and value > 0,
            "seed": _fits(value, int),
            "workers": _fits(value, int) and value >= 1,
            "backend": isinstance(value, str) and value in ("auto", *BACKENDS),
            "lang": isinstance(value, str) and value in LANGS,
        }[key]
        if not ok:
            need = {"time_limit": Msg("type.seconds"), "seed": Msg("type.int"),
                    "workers": Msg("type.workers"),
                    "backend": Msg("type.one_of", values=", ".join(["auto", *BACKENDS])),
                    "lang": Msg("type.one_of", values=", ".join(LANGS))}[key]
            raise InputError(Msg("rules.must_be", key=key, need=need, value=value), table=where,
                             column=key)


# --------------------------------------------------------------------------- building
class _Builder:
    """Turns checked rules-file entries into rule objects (tables read from files)."""

    def __init__(self, roster: Roster | None, folder: Path | None) -> None:
        self.roster = roster
        self.folder = folder

    def table(self, value: Any, rule: str, key: str) -> pd.DataFrame:
        if isinstance(value, pd.DataFrame):
            return value
        if value is None:
            side = DEFAULT_TABLES.get(rule)
            found = getattr(self.roster, side, None) if side and self.roster else None
            if found is None:
                raise InputError(Msg("rules.needs_table", rule=rule, key=key,
                                     side=Word(side or key)), table="rules", column=key)
            return found
        if self.folder is None:
            raise InputError(Msg("rules.no_folder", rule=rule, key=key),
                             table="rules", column=key)
        path = (self.folder / value).resolve()
        if not path.is_relative_to(self.folder):
            raise InputError(Msg("rules.outside", key=key, value=value),
                             table="rules", column=key)
        return read_table(path)

    def make(self, cls: type[Rule], item: Mapping[str, Any], head: str) -> Rule:
        kwargs: dict[str, Any] = {}
        hints = _hints(cls)
        for key, value in item.items():
            if key == head:
                continue
            if value is False and hints[key] is not bool:
                value = None
            elif isinstance(value, list) and key != "terms":
                value = tuple(value)
            kwargs[key] = value
        for key in cls.tables:
            optional = _fits(None, hints[key])
            if key in kwargs and kwargs[key] is not None:
                kwargs[key] = self.table(kwargs[key], cls.key, key)
            elif not optional:
                kwargs[key] = self.table(None, cls.key, key)
        if cls is MaxMin and "terms" in kwargs:
            kwargs["terms"] = tuple(self.make(RULES[t["score"]], t, "score")
                                    for t in kwargs["terms"])
        return cls(**kwargs)


def problem_from_rules(
    roster: Roster | tuple[pd.DataFrame, pd.DataFrame], rules: Mapping[str, Any],
    *, folder: str | Path | None = None,
) -> Problem:
    """Build a :class:`Problem` from tables and a rules mapping (as in a rules.toml); errors
    are written in the rules' ``[solve] lang`` (see :func:`_problem_from_rules`).

    Example
    -------
    >>> import banghdai as bd, pandas as pd
    >>> rules = {"solve": {"lang": "zh"}, "pairing": {"shape": "one_to_many", "capacity": -1}}
    >>> tables = pd.DataFrame({"mentor_id": ["M"]}), pd.DataFrame({"mentee_id": ["E"]})
    >>> bd.problem_from_rules(tables, rules)
    Traceback (most recent call last):
    ...
    banghdai.InputError: 设置项“capacity”：导师带教人数上限（capacity）必须是不小于0的整数或列名，现为“-1”
    """
    with use_lang(_rules_lang(rules)):
        return _problem_from_rules(roster, rules, folder=folder)


def _problem_from_rules(
    roster: Roster | tuple[pd.DataFrame, pd.DataFrame], rules: Mapping[str, Any],
    *, folder: str | Path | None = None,
) -> Problem:
    """Build a :class:`Problem` from tables and a rules mapping (as in a rules.toml).

    ``roster`` is a :class:`Roster` (its fixed / forbidden / pair_scores
    tables are used) or a ``(mentors, mentees)`` tuple. Side-table files named
    in the rules are read from ``folder`` (default: the rules file's folder,
    else the roster's).

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
        fixed, forbidden = roster.fixed, roster.forbidden
    else:
        mentors, mentees = roster
        fixed = forbidden = None
        roster = Roster(mentors=mentors, mentees=mentees)
    if folder is None:
        folder = getattr(rules, "folder", None)
    if folder is None and roster.source is not None:
        src = Path(roster.source)
        folder = src if src.is_dir() else src.parent
    builder = _Builder(roster, Path(folder).resolve() if folder is not None else None)

    pairing_cfg = dict(rules.get("pairing", {}))
    shape = pairing_cfg.pop("shape", "one_to_one")
    pairing = SHAPES[shape](**pairing_cfg)
    cols = rules.get("columns", {})
    flat = {k: v for k, v in cols.items() if not isinstance(v, Mapping)}
    problem = Problem(mentors, mentees, pairing=pairing, columns=flat,
                      mentor_columns=cols.get("mentors"), mentee_columns=cols.get("mentees"))
    named_tables = set()
    for item in rules.get("require", []):
        rule = builder.make(RULES[item["rule"]], item, "rule")
        named_tables.add(item["rule"])
        problem.require(rule)
    for item in rules.get("prefer", []):
        problem.prefer(builder.make(RULES[item["score"]], item, "score"))
    levels: list[Rule | list[Rule]] = []
    for item in rules.get("levels", []):
        if item["level"] == "sum":
            levels.append([builder.make(RULES[t["score"]], t, "score") for t in item["scores"]])
        else:
            levels.append(builder.make(RULES[item["level"]], item, "level"))
    if levels:
        problem.prefer(levels=levels)
    if forbidden is not None and "forbidden_pairs" not in named_tables:
        problem.forbid(forbidden)
    if fixed is not None and "fixed_pairs" not in named_tables:
        problem.fix(fixed)
    return problem


# --------------------------------------------------------------------------- writing
def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, Mapping):
        return "{ " + ", ".join(f"{_toml_key(k)} = {_toml_value(v)}"
                                for k, v in value.items()) + " }"
    raise TypeError(f"cannot write {value!r} to a rules file")  # pragma: no cover


def _toml_key(key: str) -> str:
    plain = key.replace("_", "").replace("-", "").isascii() and key.replace(
        "_", "").replace("-", "").isalnum()
    return key if plain else _toml_value(key)


class _Writer:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.written: dict[int, str] = {}

    def table_file(self, table: pd.DataFrame, stem: str) -> str:
        if id(table) in self.written:
            return self.written[id(table)]
        name = f"{self.path.stem}_{stem}_{len(self.written) + 1}.csv"
        table.to_csv(self.path.parent / name, index=False, encoding="utf-8",
                     quoting=csv.QUOTE_ALL)  # a value with a line break stays one record
        self.written[id(table)] = name
        return name

    def fields(self, rule: Rule) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in dataclasses.fields(rule):  # type: ignore[arg-type]
            if not f.init:
                continue
            value = getattr(rule, f.name)
            if f.name in rule.tables:
                if value is not None:
                    out[f.name] = self.table_file(value, rule.key)
                continue
            if f.default is not dataclasses.MISSING and _same(value, f.default):
                continue
            if value is None:
                value = False
            if isinstance(rule, MaxMin) and f.name == "terms":
                value = [{"score": t.key, **self.fields(t)} for t in value]
            out[f.name] = value
        return out

    def entry(self, head: str, rule: Rule, extra: Mapping[str, Any] | None = None) -> str:
        lines = [f"{head} = {_toml_value(rule.key)}"]
        for key, value in {**self.fields(rule), **(extra or {})}.items():
            lines.append(f"{_toml_key(key)} = {_toml_value(value)}")
        return "\n".join(lines)


def _same(a: Any, b: Any) -> bool:
    try:
        return bool(a == b) and type(a) is type(b)
    except (TypeError, ValueError):  # pragma: no cover - DataFrames compare elementwise
        return False


def write_rules(problem: Problem, path: str | Path) -> Path:
    """Write ``problem``'s pairing, column mapping and every rule to a rules TOML file.

    Side tables (fixed, forbidden, preferences, pair scores, loads) are saved
    as CSV files beside it. Reading the file back with the same roster gives
    the same problem (:func:`read_rules` + :func:`problem_from_rules`).

    Example
    -------
    >>> import tempfile, pathlib, banghdai as bd
    >>> mentors, mentees = bd.load_sample("fanxian")
    >>> p = bd.Problem(mentors, mentees, pairing=bd.OneToMany(2)).require(bd.MaxDistance(km=25))
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "rules.toml"
    >>> q = bd.problem_from_rules((mentors, mentees), bd.read_rules(p.to_rules(path)))
    >>> q.edge_rules
    [MaxDistance(km=25)]
    """
    path = Path(path)
    w = _Writer(path)
    out: list[str] = ["# banghdai rules file, written by Problem.to_rules", ""]
    pairing = problem.pairing
    out.append("[pairing]")
    out.append(f"shape = {_toml_value(pairing.shape)}")
    for key in SHAPE_KEYS[pairing.shape]:
        value = getattr(pairing, key)
        if value is not None:
            out.append(f"{key} = {_toml_value(value)}")
    cols = problem.column_mapping()
    flat = {k: v for k, v in cols.items() if not isinstance(v, Mapping)}
    if flat:
        out += ["", "[columns]", *[f"{_toml_key(k)} = {_toml_value(v)}" for k, v in flat.items()]]
    for side in ("mentors", "mentees"):
        if cols.get(side):
            out += ["", f"[columns.{side}]",
                    *[f"{_toml_key(k)} = {_toml_value(v)}" for k, v in cols[side].items()]]
    for rule in [*problem.edge_rules, *problem.fixed, *problem.group_rules]:
        out += ["", "[[require]]", w.entry("rule", rule)]
    for term in problem.scores:
        out += ["", "[[prefer]]", w.entry("score", term)]
    for level in problem.levels:
        out += ["", "[[levels]]"]
        if isinstance(level, list | tuple):
            scores = [{"score": t.key, **w.fields(t)} for t in level]
            out.append(f"level = \"sum\"\nscores = {_toml_value(scores)}")
        else:
            out.append(w.entry("level", level))
    text = "\n".join(out) + "\n"
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
    return path

