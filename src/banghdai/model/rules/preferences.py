"""双向自愿 — two-sided preferences: the menu (:class:`Preferences`) and satisfaction
(:class:`PreferenceFit`).

Example
-------
>>> import pandas as pd, banghdai as bd
>>> t = pd.DataFrame({"mentor_id": ["M1"], "mentee_id": ["E1"], "mentee_rank": [1]})
>>> bd.Preferences(t, mentor_rank=None).label("zh"), bd.PreferenceFit().label("zh")
('在双方志愿内', '志愿满足度')
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar, Literal

import numpy as np
import pandas as pd

from ...core.errors import InputError, Msg
from ...core.messages import register
from ..context import CompileContext, ValidatorView
from ..rule import Rule
from ._checks import check_bool, check_choice, check_name, check_table, check_weight
from .tables import PairTableRule

register("rule.preferences", en="on both preference lists", zh="在双方志愿内")
register("rule.preference_fit", en="preference fit", zh="志愿满足度")


@dataclass(frozen=True, eq=False)
class Preferences(PairTableRule):
    """Two-sided preferences (双向自愿): ranks per pair, 1 = first choice.

    ``table`` has mentor ids, mentee ids, the mentee's rank of the mentor
    (``mentee_rank``) and/or the mentor's rank of the mentee (``mentor_rank``);
    a blank rank means "not on my list". With ``restrict=True`` (the menu:
    你来点单) only pairs ranked by every side given are candidates; vetoes go
    in :class:`ForbiddenPairs`, designations in :class:`FixedPairs`. Use
    :class:`PreferenceFit` to score satisfaction and :class:`Stable` to forbid
    blocking pairs.

    Example
    -------
    >>> import pandas as pd, banghdai as bd
    >>> t = pd.DataFrame({"mentor_id": ["M1"], "mentee_id": ["E1"], "mentee_rank": [1]})
    >>> bd.Preferences(t, mentor_rank=None).mentee_rank
    'mentee_rank'
    """

    key: ClassVar[str] = "preferences"
    principle: ClassVar[str] = "consent"
    kind: ClassVar[str] = "edge"
    stage: ClassVar[int] = 10
    table_name: ClassVar[str] = "preferences"

    table: pd.DataFrame
    mentee_rank: str | None = "mentee_rank"
    mentor_rank: str | None = "mentor_rank"
    restrict: bool = True
    mentor: str = "mentor_id"
    mentee: str = "mentee_id"

    def __post_init__(self) -> None:
        check_table(self.table, "preferences")
        check_bool(self.restrict, "restrict")
        if self.mentee_rank is None and self.mentor_rank is None:
            raise InputError(Msg("input.preferences_ranks"),
                             table="preferences", column="mentee_rank")
        for col in (self.mentee_rank, self.mentor_rank):
            if col is not None:
                check_name(col, "rank column")

    @property
    def restricts(self) -> bool:
        return self.restrict

    def acceptable_rows(self) -> np.ndarray:
        """Rows ranked by every side given (a blank rank: not on that side's list)."""
        ok = np.ones(len(self.table), dtype=bool)
        for col in (self.mentee_rank, self.mentor_rank):
            if col is not None:
                ok &= pd.to_numeric(self.table[col], errors="coerce").notna().to_numpy()
        return ok

    def estimate(self, ctx: CompileContext) -> float | None:
        return float(self.acceptable_rows().sum()) if self.restrict else None

    def sample(self, ctx: CompileContext, size: int) -> tuple[np.ndarray, np.ndarray, float] | None:
        return ctx.sample_table(self, size) if self.restrict else None

    def generate(self, ctx: CompileContext) -> tuple[np.ndarray, np.ndarray] | None:
        """The menu itself: exactly the ranked pairs (no full grid to mask)."""
        return ctx.table_pairs(self) if self.restrict else None

    @property
    def exact_generator(self) -> bool:
        """Its generator yields exactly the listed pairs (no mask needed after it)."""
        return True

    def violations(self, view: ValidatorView) -> tuple[np.ndarray, Any]:
        return ~self.listed_in_view(view), "pair not ranked by both sides"


@dataclass(frozen=True)
class PreferenceFit(Rule):
    """Score: preference satisfaction from :class:`Preferences` ranks, 0 to 1 per side.

    A pair ranked ``r`` in a list of length ``L`` scores ``(L - r + 1) / L``
    (first choice 1); ``side`` is "mentee", "mentor" or "both" (the mean).
    Unranked pairs score 0.

    Example
    -------
    >>> import banghdai as bd
    >>> bd.PreferenceFit(weight=2, side="mentee").result_column
    'mentee_preference_fit'
    """

    key: ClassVar[str] = "preference_fit"
    principle: ClassVar[str] = "consent"
    kind: ClassVar[str] = "score"

    weight: float = 1.0
    side: Literal["mentee", "mentor", "both"] = "both"

    def __post_init__(self) -> None:
        check_weight(self.weight)
        check_choice(self.side, ("mentee", "mentor", "both"), "side")

    @property
    def result_column(self) -> str:
        return "preference_fit" if self.side == "both" else f"{self.side}_preference_fit"

    def score(self, ctx: CompileContext, m: np.ndarray, e: np.ndarray) -> np.ndarray:
        if self.side == "both":
            return (ctx.preference_fit("mentee", m, e) + ctx.preference_fit("mentor", m, e)) / 2
        return ctx.preference_fit(self.side, m, e)

    def check_score(self, view: ValidatorView) -> np.ndarray:
        if self.side == "both":
            return (view.preference_fit("mentee") + view.preference_fit("mentor")) / 2
        return view.preference_fit(self.side)
