"""以强带弱 — the strong lead the weak: a hard rule (:class:`Stronger`) and a score
(:class:`StrongToWeak`).

Example
-------
>>> import banghdai as bd
>>> bd.Stronger("rating").label("zh"), bd.StrongToWeak().label("zh")
('评分高于对象', '以强带弱')
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from ...core.messages import column_word, register
from ..context import CompileContext, ValidatorView
from ..rule import Rule
from ._checks import check_bool, check_name, check_number, check_weight

register("rule.stronger", en="stronger by {by}", zh="{by}高于对象")
register("rule.strong_to_weak", en="strong to weak", zh="以强带弱")


@dataclass(frozen=True)
class Stronger(Rule):
    """The mentor is stronger than the mentee by column ``by`` (以强带弱).

    Holds when ``mentor[by] - mentee[by] > margin`` (``>=`` with
    ``strict=False``), compared with a 1e-9 tolerance so that decimal ratings
    behave as written (4.4 - 3.4 is not "more than 1.0"). The column must be
    numeric in both tables.

    Example
    -------
    >>> import banghdai as bd
    >>> bd.Stronger(by="rating", margin=0.5).margin
    0.5
    """

    key: ClassVar[str] = "stronger"
    principle: ClassVar[str] = "strong_weak"
    kind: ClassVar[str] = "edge"
    stage: ClassVar[int] = 60

    by: str = "rating"
    margin: float = 0.0
    strict: bool = True

    def __post_init__(self) -> None:
        check_name(self.by, "by")
        check_number(self.margin, "margin")
        check_bool(self.strict, "strict")

    def label_params(self, lang: str) -> dict[str, object]:
        return {"by": column_word(self.by, lang)}

    def compared(self, mentor: pd.Series, mentee: pd.Series) -> tuple | None:
        return (float(pd.to_numeric(mentor[self.by], errors="coerce")),
                float(pd.to_numeric(mentee[self.by], errors="coerce")))

    def mask(self, ctx: CompileContext, m: np.ndarray, e: np.ndarray) -> np.ndarray:
        sm, se = ctx.strength(self.by, type(self).__name__)
        gap = sm[m] - se[e]
        return gap > self.margin + 1e-9 if self.strict else gap >= self.margin - 1e-9

    def violations(self, view: ValidatorView) -> tuple[np.ndarray, Any]:
        gap = (pd.to_numeric(view.mentor_rows[self.by], errors="coerce")
               - pd.to_numeric(view.mentee_rows[self.by], errors="coerce")).to_numpy(float)
        ok = gap > self.margin + 1e-9 if self.strict else gap >= self.margin - 1e-9
        return ~ok, [f"gap {g:g}" for g in gap[~ok]]


@dataclass(frozen=True)
class StrongToWeak(Rule):
    """Score: strongest mentors to the weakest mentees (以强带弱).

    ``s(mentor) * (1 - s(mentee))`` where ``s`` rescales column ``by`` to
    0..1 over both tables; by the rearrangement inequality the sum is largest
    when strong mentors take weak mentees.

    Example
    -------
    >>> import banghdai as bd
    >>> bd.StrongToWeak(by="rating").by
    'rating'
    """

    key: ClassVar[str] = "strong_to_weak"
    principle: ClassVar[str] = "strong_weak"
    kind: ClassVar[str] = "score"

    by: str = "rating"
    weight: float = 1.0

    def __post_init__(self) -> None:
        check_name(self.by, "by")
        check_weight(self.weight)

    def score(self, ctx: CompileContext, m: np.ndarray, e: np.ndarray) -> np.ndarray:
        sm, se = ctx.strength(self.by, type(self).__name__)
        lo = min(sm.min(initial=np.inf), se.min(initial=np.inf))
        hi = max(sm.max(initial=-np.inf), se.max(initial=-np.inf))
        span = hi - lo if np.isfinite(hi - lo) and hi > lo else 1.0
        return ((sm[m] - lo) / span) * (1.0 - (se[e] - lo) / span)

    def check_score(self, view: ValidatorView) -> np.ndarray:
        a = pd.to_numeric(view.mentors[self.by], errors="coerce")
        b = pd.to_numeric(view.mentees[self.by], errors="coerce")
        lo, hi = min(a.min(), b.min()), max(a.max(), b.max())
        span = hi - lo if hi > lo else 1.0
        sm = (pd.to_numeric(view.mentor_rows[self.by]).to_numpy(float) - lo) / span
        se = (pd.to_numeric(view.mentee_rows[self.by]).to_numpy(float) - lo) / span
        return sm * (1 - se)
