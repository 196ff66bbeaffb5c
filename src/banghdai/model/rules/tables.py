"""Rules given as a table of pairs: vetoes (:class:`ForbiddenPairs`), designations
(:class:`FixedPairs`, 组织统筹) and scores computed elsewhere (:class:`PairScore`).

Example
-------
>>> import pandas as pd, banghdai as bd
>>> t = pd.DataFrame({"mentor_id": ["M1"], "mentee_id": ["E1"], "score": [2.0]})
>>> bd.ForbiddenPairs(t).label("zh"), bd.PairScore(t).label("zh")
('未被禁止', '列于score表')
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal

import numpy as np
import pandas as pd

from ...core.messages import register
from ..context import CompileContext, ValidatorView
from ..rule import Rule, listed
from ._checks import check_bool, check_choice, check_name, check_table, check_weight

register("rule.forbidden_pairs", en="not forbidden", zh="未被禁止")
register("rule.fixed_pairs", en="fixed pair", zh="固定结对")
register("rule.pair_score", en="listed in {table} table", zh="列于{table}表")

SENSES = ("max", "min")


class PairTableRule(Rule):
    """A rule whose parameter ``table`` lists pairs by ``mentor`` and ``mentee`` ids."""

    tables: ClassVar[tuple[str, ...]] = ("table",)
    #: How the side table is called in messages and in a roster folder.
    table_name: ClassVar[str] = "pairs"

    def acceptable_rows(self) -> np.ndarray:
        """Rows of the table that list a pair (all of them unless a rule says otherwise)."""
        return np.ones(len(self.table), dtype=bool)  # type: ignore[attr-defined]

    def mask(self, ctx: CompileContext, m: np.ndarray, e: np.ndarray) -> np.ndarray:
        return ctx.in_table(self, m, e)

    def listed_in_view(self, view: ValidatorView) -> np.ndarray:
        """Which pairs of the validator's view appear in the table's acceptable rows."""
        rows = self.acceptable_rows()
        return listed(view.pairs, self.table[rows], self.mentor, self.mentee)  # type: ignore[attr-defined]


@dataclass(frozen=True, eq=False)
class ForbiddenPairs(PairTableRule):
    """Pairs that must not be formed (回避, vetoes): a table of mentor and mentee ids.

    Example
    -------
    >>> import pandas as pd, banghdai as bd
    >>> rule = bd.ForbiddenPairs(pd.DataFrame({"mentor_id": ["M1"], "mentee_id": ["E1"]}))
    >>> len(rule.table)
    1
    """

    key: ClassVar[str] = "forbidden_pairs"
    principle: ClassVar[str] = "consent"
    kind: ClassVar[str] = "edge"
    stage: ClassVar[int] = 90
    table_name: ClassVar[str] = "forbidden"

    table: pd.DataFrame
    mentor: str = "mentor_id"
    mentee: str = "mentee_id"

    def __post_init__(self) -> None:
        check_table(self.table, "forbidden")

    def mask(self, ctx: CompileContext, m: np.ndarray, e: np.ndarray) -> np.ndarray:
        return ~ctx.in_table(self, m, e)

    def violations(self, view: ValidatorView) -> tuple[np.ndarray, Any]:
        return self.listed_in_view(view), "pair is forbidden"


@dataclass(frozen=True, eq=False)
class FixedPairs(PairTableRule):
    """Pairs that must be formed (组织统筹 designations): a hard rule, never a cost.

    It is an error if a fixed pair breaks another hard rule.

    Example
    -------
    >>> import pandas as pd, banghdai as bd
    >>> rule = bd.FixedPairs(pd.DataFrame({"mentor_id": ["M1"], "mentee_id": ["E1"]}))
    >>> rule.mentor
    'mentor_id'
    """

    key: ClassVar[str] = "fixed_pairs"
    principle: ClassVar[str] = "override"
    kind: ClassVar[str] = "fixed"
    table_name: ClassVar[str] = "fixed"

    table: pd.DataFrame
    mentor: str = "mentor_id"
    mentee: str = "mentee_id"

    def __post_init__(self) -> None:
        check_table(self.table, "fixed")

    def missing(self, view: ValidatorView) -> pd.DataFrame:
        """Fixed pairs absent from the validator's view (mentor_id, mentee_id)."""
        from ...core.ids import ids_as_str

        f = pd.DataFrame({"mentor_id": ids_as_str(self.table[self.mentor]),
                          "mentee_id": ids_as_str(self.table[self.mentee])})
        merged = f.merge(view.pairs[["mentor_id", "mentee_id"]].assign(_in=True),
                         on=["mentor_id", "mentee_id"], how="left")
        return merged[merged["_in"].isna()]


@dataclass(frozen=True, eq=False)
class PairScore(PairTableRule):
    """A score per pair computed elsewhere (affinities, costs, ranks).

    ``table`` has mentor ids, mentee ids and the ``column`` score. With
    ``restrict=True`` only the listed pairs are candidates; otherwise
    unlisted pairs score 0. ``sense="min"`` treats the column as a cost.

    Example
    -------
    >>> import pandas as pd, banghdai as bd
    >>> t = pd.DataFrame({"mentor_id": ["M1"], "mentee_id": ["E1"], "cost": [4]})
    >>> bd.PairScore(t, column="cost", sense="min").sense
    'min'
    """

    key: ClassVar[str] = "pair_score"
    kind: ClassVar[str] = "score"
    stage: ClassVar[int] = 0
    table_name: ClassVar[str] = "pair_scores"

    table: pd.DataFrame
    column: str = "score"
    weight: float = 1.0
    sense: Literal["max", "min"] = "max"
    restrict: bool = True
    mentor: str = "mentor_id"
    mentee: str = "mentee_id"
    name: str | None = field(default=None)

    def __post_init__(self) -> None:
        check_table(self.table, "pair_scores")
        check_name(self.column, "column")
        check_weight(self.weight)
        check_choice(self.sense, SENSES, "sense")
        check_bool(self.restrict, "restrict")
        if self.name is not None:
            check_name(self.name, "name")

    @property
    def result_column(self) -> str:
        """Column used for this score in ``result.pairs``."""
        return self.name or self.column

    @property
    def restricts(self) -> bool:
        return self.restrict

    def label_params(self, lang: str) -> dict[str, object]:
        return {"table": self.result_column}

    def estimate(self, ctx: CompileContext) -> float | None:
        """A restricting table gives at most its rows as candidates."""
        return float(len(self.table)) if self.restrict else None

    def sample(self, ctx: CompileContext, size: int) -> tuple[np.ndarray, np.ndarray, float] | None:
        return ctx.sample_table(self, size) if self.restrict else None

    def generate(self, ctx: CompileContext) -> tuple[np.ndarray, np.ndarray]:
        return ctx.table_pairs(self)

    @property
    def exact_generator(self) -> bool:
        """Its generator yields exactly the listed pairs (no mask needed after it)."""
        return True

    def violations(self, view: ValidatorView) -> tuple[np.ndarray, Any]:
        return ~self.listed_in_view(view), "pair not in the table"

    def score(self, ctx: CompileContext, m: np.ndarray, e: np.ndarray) -> np.ndarray:
        return ctx.table_values(self, m, e)

    def check_score(self, view: ValidatorView) -> np.ndarray:
        from ...core.ids import ids_as_str

        f = pd.DataFrame({"mentor_id": ids_as_str(self.table[self.mentor]),
                          "mentee_id": ids_as_str(self.table[self.mentee]),
                          "_v": pd.to_numeric(self.table[self.column]).to_numpy(float)})
        merged = view.pairs[["mentor_id", "mentee_id"]].merge(f, on=["mentor_id", "mentee_id"],
                                                              how="left")
        return merged["_v"].fillna(0.0).to_numpy(float)
