"""Same or different value of a column: 帮带便捷 (same region) and 跨村 / 回避 (avoid same).

Example
-------
>>> import banghdai as bd
>>> bd.SameRegion("township").label("zh"), bd.AvoidSame("village").label("zh")
('同乡镇', '不同村')
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from ...core.messages import column_word, register
from ..context import CompileContext, ValidatorView
from ..rule import Rule
from ._checks import check_name

register("rule.same_region", en="same {level}", zh="同{level}")
REGION_LEVELS = ("province", "city", "county", "township", "village")

register("rule.avoid_same", en="different {column}", zh="不同{column}")



@dataclass(frozen=True)
class SameRegion(Rule):
    """Mentor and mentee in the same region at ``level`` (帮带便捷, 就地就近).

    ``level`` is a column present in both tables, usually one of
    province/city/county/township/village. Empty values never match.

    Example
    -------
    >>> import banghdai as bd
    >>> bd.SameRegion("township").level
    'township'
    """

    key: ClassVar[str] = "same_region"
    principle: ClassVar[str] = "convenient"
    kind: ClassVar[str] = "edge"
    stage: ClassVar[int] = 20

    level: str = "county"

    def __post_init__(self) -> None:
        check_name(self.level, "level")

    def label_params(self, lang: str) -> dict[str, object]:
        return {"level": column_word(self.level, lang)}

    def estimate(self, ctx: CompileContext) -> float:
        cm, ce = ctx.codes(self.level, type(self).__name__)
        size = int(max(cm.max(initial=-1), ce.max(initial=-1))) + 1
        a = np.bincount(cm[cm >= 0], minlength=size).astype(float)
        b = np.bincount(ce[ce >= 0], minlength=size).astype(float)
        return float(a @ b)

    def sample(self, ctx: CompileContext, size: int) -> tuple[np.ndarray, np.ndarray, float]:
        return ctx.sample_same_code(self.level, type(self).__name__, size)

    def generate(self, ctx: CompileContext) -> tuple[np.ndarray, np.ndarray]:
        cm, ce = ctx.codes(self.level, type(self).__name__)
        left = pd.DataFrame({"c": cm, "m": np.arange(cm.size)})
        right = pd.DataFrame({"c": ce, "e": np.arange(ce.size)})
        left, right = left[left["c"] >= 0], right[right["c"] >= 0]
        joined = left.merge(right, on="c", how="inner", sort=False)
        return joined["m"].to_numpy(np.int64), joined["e"].to_numpy(np.int64)

    def compared(self, mentor: pd.Series, mentee: pd.Series) -> tuple | None:
        return mentor[self.level], mentee[self.level]

    def mask(self, ctx: CompileContext, m: np.ndarray, e: np.ndarray) -> np.ndarray:
        cm, ce = ctx.codes(self.level, type(self).__name__)
        a, b = cm[m], ce[e]
        return (a == b) & (a >= 0)

    def violations(self, view: ValidatorView) -> tuple[np.ndarray, Any]:
        return ~view.same_value(self.level), "different region"


@dataclass(frozen=True)
class AvoidSame(Rule):
    """Mentor and mentee must differ in ``column`` (跨村: not the same village or unit).

    Empty values never count as the same.

    Example
    -------
    >>> import banghdai as bd
    >>> bd.AvoidSame("village").column
    'village'
    """

    key: ClassVar[str] = "avoid_same"
    principle: ClassVar[str] = "avoid"
    kind: ClassVar[str] = "edge"
    stage: ClassVar[int] = 70

    column: str

    def __post_init__(self) -> None:
        check_name(self.column, "column")

    def label_params(self, lang: str) -> dict[str, object]:
        return {"column": column_word(self.column, lang)}

    def compared(self, mentor: pd.Series, mentee: pd.Series) -> tuple | None:
        return mentor[self.column], mentee[self.column]

    def mask(self, ctx: CompileContext, m: np.ndarray, e: np.ndarray) -> np.ndarray:
        cm, ce = ctx.codes(self.column, type(self).__name__)
        a, b = cm[m], ce[e]
        return ~((a == b) & (a >= 0))

    def violations(self, view: ValidatorView) -> tuple[np.ndarray, Any]:
        return view.same_value(self.column), "same value"
