"""Fields of work: 领域相近 as a hard rule (:class:`SharesDomain`) and a score
(:class:`DomainFit`).

Example
-------
>>> import banghdai as bd
>>> bd.SharesDomain().label("zh"), bd.DomainFit().label("zh")
('领域相同≥1项', '领域匹配')
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from ...core.messages import register
from ..context import CompileContext, ValidatorView
from ..rule import Rule
from ._checks import check_count, check_name, check_weight

register("rule.shares_domain", en="shares >= {n} domain", zh="领域相同≥{n}项")
register("rule.domain_fit", en="domain fit", zh="领域匹配")


@dataclass(frozen=True)
class SharesDomain(Rule):
    """Mentor and mentee share at least ``min_shared`` domain tags (领域相近).

    Tags are a list or a ``;``-separated string in ``mentor_column`` and
    ``mentee_column`` (both ``domains`` by default).

    Example
    -------
    >>> import banghdai as bd
    >>> bd.SharesDomain(min_shared=2).min_shared
    2
    """

    key: ClassVar[str] = "shares_domain"
    principle: ClassVar[str] = "field"
    kind: ClassVar[str] = "edge"
    stage: ClassVar[int] = 50

    min_shared: int = 1
    mentor_column: str = "domains"
    mentee_column: str = "domains"

    def __post_init__(self) -> None:
        check_count(self.min_shared, "min_shared")
        check_name(self.mentor_column, "mentor_column")
        check_name(self.mentee_column, "mentee_column")

    def label_params(self, lang: str) -> dict[str, object]:
        return {"n": self.min_shared}

    def estimate(self, ctx: CompileContext) -> float | None:
        if self.min_shared < 1:
            return None
        return ctx.estimate_tag_join(self.mentor_column, self.mentee_column, type(self).__name__)

    def sample(self, ctx: CompileContext, size: int) -> tuple[np.ndarray, np.ndarray, float] | None:
        if self.min_shared < 1:
            return None
        return ctx.sample_tag_join(self.mentor_column, self.mentee_column, type(self).__name__,
                                   size)

    def generate(self, ctx: CompileContext) -> tuple[np.ndarray, np.ndarray] | None:
        if self.min_shared < 1:
            return None
        return ctx.tag_join(self.mentor_column, self.mentee_column, type(self).__name__)

    def mask(self, ctx: CompileContext, m: np.ndarray, e: np.ndarray) -> np.ndarray:
        shared = ctx.shared(self.mentor_column, self.mentee_column, type(self).__name__, m, e)
        return shared >= self.min_shared

    def violations(self, view: ValidatorView) -> tuple[np.ndarray, Any]:
        shared, _ = view.shared(self.mentor_column, self.mentee_column)
        bad = shared < self.min_shared
        return bad, [f"{s} shared" for s in shared[bad]]


@dataclass(frozen=True)
class DomainFit(Rule):
    """Score: share of the mentee's needs the mentor covers, from 0 to 1 (领域相近).

    Example
    -------
    >>> import banghdai as bd
    >>> bd.DomainFit(weight=3).weight
    3
    """

    key: ClassVar[str] = "domain_fit"
    principle: ClassVar[str] = "field"
    kind: ClassVar[str] = "score"

    weight: float = 1.0
    mentor_column: str = "domains"
    mentee_column: str = "domains"

    def __post_init__(self) -> None:
        check_weight(self.weight)
        check_name(self.mentor_column, "mentor_column")
        check_name(self.mentee_column, "mentee_column")

    def score(self, ctx: CompileContext, m: np.ndarray, e: np.ndarray) -> np.ndarray:
        name = type(self).__name__
        shared = ctx.shared(self.mentor_column, self.mentee_column, name, m, e)
        _, _, need = ctx.tags(self.mentor_column, self.mentee_column, name)
        return np.divide(shared, need[e], out=np.zeros(m.size), where=need[e] > 0)

    def check_score(self, view: ValidatorView) -> np.ndarray:
        shared, need = view.shared(self.mentor_column, self.mentee_column)
        return np.where(need > 0, shared / np.maximum(need, 1), 0.0)
