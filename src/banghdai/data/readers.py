"""Reading rosters (CSV / Excel, Chinese headers welcome) and writing results.

Example
-------
>>> import banghdai as bd
>>> roster = bd.read_roster(bd.samples.sample_path("fanxian"))
>>> mentors, mentees = roster
>>> len(mentors), len(mentees)
(77, 150)
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from ..core import hooks
from ..core.errors import InputError

if TYPE_CHECKING:
    pass

MENTOR_NAMES = ("mentors", "导师", "导师库")
MENTEE_NAMES = ("mentees", "帮带对象", "对象")
EXTRA_NAMES = {"fixed": ("fixed", "固定结对"), "forbidden": ("forbidden", "禁止结对"),
               "pair_scores": ("pair_scores", "scores")}
SUFFIXES = (".csv", ".xlsx", ".xls")


def _id_like(column: object) -> bool:
    text = str(column).lower()
    return text.endswith("id") or "编号" in text


def read_table(path: str | Path, sheet: str | int | None = None) -> pd.DataFrame:
    """Read one table from CSV (UTF-8, UTF-8 with BOM or GBK) or Excel.

    Columns that look like ids (ending in ``id`` or containing 编号) are read as
    text so leading zeros survive.

    Example
    -------
    >>> import banghdai as bd
    >>> t = bd.read_table(bd.samples.sample_path("fanxian") / "mentors.csv")
    >>> t["mentor_id"].iloc[0]
    'M001'
    """
    path = Path(path)
    if not path.exists():
        raise InputError(f"file not found: {path}", table=str(path))
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xls"):
        try:
            head = pd.read_excel(path, sheet_name=sheet or 0, nrows=0)
            dtype = {c: str for c in head.columns if _id_like(c)}
            return pd.read_excel(path, sheet_name=sheet or 0, dtype=dtype)
        except ImportError as err:  # pragma: no cover - depends on the environment
            raise InputError("reading Excel needs openpyxl: pip install 'banghdai[excel]'") from err
    if suffix not in (".csv", ".txt", ".tsv"):
        raise InputError(f"unsupported file type {suffix!r}", table=str(path),
                         choices=[".csv", ".tsv", ".xlsx"])
    sep = "\t" if suffix == ".tsv" else ","
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            head = pd.read_csv(path, nrows=0, sep=sep, encoding=encoding)
            dtype = {c: str for c in head.columns if _id_like(c)}
            return pd.read_csv(path, sep=sep, encoding=encoding, dtype=dtype)
        except UnicodeDecodeError:
            continue
    raise InputError("cannot decode the file as UTF-8 or GBK", table=str(path))  # pragma: no cover


@dataclass
class Roster:
    """Mentors, mentees and optional side tables read from a folder or workbook.

    Unpacks as ``mentors, mentees = roster``.

    Example
    -------
    >>> import banghdai as bd
    >>> roster = bd.read_roster(bd.samples.sample_path("yinchuan"))
    >>> roster.rules["pairing"]["shape"], len(roster.fixed)
    ('many_to_many', 5)
    """

    mentors: pd.DataFrame
    mentees: pd.DataFrame
    fixed: pd.DataFrame | None = None
    forbidden: pd.DataFrame | None = None
    pair_scores: pd.DataFrame | None = None
    rules: dict[str, Any] | None = None
    source: Path | None = None
    extra: dict[str, pd.DataFrame] = field(default_factory=dict)

    def __iter__(self) -> Iterator[pd.DataFrame]:
        yield self.mentors
        yield self.mentees

    def problem(self, rules: dict[str, Any] | str | Path | None = None):
        """Build the :class:`~banghdai.Problem` these tables and their rules describe."""
        if isinstance(rules, str | Path):
            rules = hooks.use("read_rules")(rules)
        return hooks.use("problem_from_rules")(self, rules if rules is not None else self.rules or {})


def _find(folder: Path, names: tuple[str, ...]) -> Path | None:
    for name in names:
        for suffix in SUFFIXES:
            candidate = folder / f"{name}{suffix}"
            if candidate.exists():
                return candidate
    return None


def read_roster(path: str | Path, *, rules: str | Path | None = None) -> Roster:
    """Read a roster: a folder of CSV/Excel files, or one workbook with sheets.

    A folder holds ``mentors`` and ``mentees`` tables (``.csv`` or ``.xlsx``;
    导师 / 帮带对象 also work), optionally ``fixed``, ``forbidden``,
    ``pair_scores`` and a ``rules.toml``. A workbook holds sheets of those
    names.

    Example
    -------
    >>> import banghdai as bd
    >>> mentors, mentees = bd.read_roster(bd.samples.sample_path("fushan"))
    >>> "导师编号" in mentors.columns
    True
    """
    path = Path(path)
    tables: dict[str, pd.DataFrame | None] = {}
    rules_data: dict[str, Any] | None = None
    if path.is_dir():
        rules_path = Path(rules) if rules is not None else path / "rules.toml"
        if rules_path.exists():
            rules_data = hooks.use("read_rules")(rules_path)
        elif rules is not None:
            raise InputError(f"rules file not found: {rules_path}", table="rules")
        files = dict((rules_data or {}).get("files", {}))
        found_m, found_e = _find(path, MENTOR_NAMES), _find(path, MENTEE_NAMES)
        if found_m is None or found_e is None:
            missing = "mentors" if found_m is None else "mentees"
            raise InputError(
                f"no {missing} table in {path}", table=missing,
                choices=[f"{n}{s}" for n in (MENTOR_NAMES if found_m is None else MENTEE_NAMES)
                         for s in SUFFIXES],
            )
        tables["mentors"], tables["mentees"] = read_table(found_m), read_table(found_e)
        for key, names in EXTRA_NAMES.items():
            named = files.get(key)
            if named is not None:
                target = path / named
                if not target.exists():
                    raise InputError(f"rules.toml names {named!r}, which is missing", table="files",
                                     column=key)
                tables[key] = read_table(target)
            else:
                found = _find(path, names)
                tables[key] = read_table(found) if found is not None else None
    elif path.suffix.lower() in (".xlsx", ".xls"):
        sheets = pd.ExcelFile(path).sheet_names
        def sheet(names: tuple[str, ...]) -> str | None:
            return next((s for s in sheets if s in names), None)
        sm, se = sheet(MENTOR_NAMES), sheet(MENTEE_NAMES)
        if sm is None or se is None:
            raise InputError("workbook needs 'mentors' and 'mentees' sheets", table=str(path),
                             choices=list(sheets))
        tables["mentors"], tables["mentees"] = read_table(path, sm), read_table(path, se)
        for key, names in EXTRA_NAMES.items():
            s = sheet(names)
            tables[key] = read_table(path, s) if s is not None else None
        if rules is not None:
            rules_data = hooks.use("read_rules")(rules)
    else:
        raise InputError(f"not a folder or workbook: {path}", table=str(path))
    return Roster(
        mentors=tables["mentors"], mentees=tables["mentees"], fixed=tables.get("fixed"),
        forbidden=tables.get("forbidden"), pair_scores=tables.get("pair_scores"),
        rules=rules_data, source=path,
    )


def load_toml(path: str | Path) -> dict[str, Any]:
    """Parse a TOML file, turning syntax errors into InputError."""
    path = Path(path)
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as err:
        raise InputError(f"bad TOML: {err}", table=str(path)) from err
    except FileNotFoundError as err:
        raise InputError(f"file not found: {path}", table=str(path)) from err
