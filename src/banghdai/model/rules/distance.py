"""Distance: 帮带便捷 as a hard limit (:class:`MaxDistance`, :class:`Nearest`) and a score
(:class:`Closeness`).

Example
-------
>>> import banghdai as bd
>>> bd.MaxDistance(km=25).label("zh"), bd.Nearest(5).label("zh"), bd.Closeness().label("zh")
('25公里内', '最近5名', '距离近')
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from ...core.errors import InputError, Msg
from ...core.geo import haversine_km
from ...core.messages import register
from ..context import CompileContext, ValidatorView
from ..rule import Rule
from ._checks import check_count, check_number, check_weight

register("rule.max_distance", en="within {km:g} km", zh="{km:g}公里内")
register("rule.nearest", en="{k} nearest", zh="最近{k}名")
register("rule.closeness", en="closeness", zh="距离近")
register("rule.known_coordinates", en="coordinates known", zh="经纬度齐全")


def _km(mentor: pd.Series, mentee: pd.Series) -> float:
    """Great-circle km between one mentor row and one mentee row (NaN without coordinates)."""
    try:
        pts = [np.array([float(v)]) for v in (mentor["lat"], mentor["lon"],
                                                mentee["lat"], mentee["lon"])]
    except (KeyError, TypeError, ValueError):
        return float("nan")
    return float(haversine_km(*pts)[0])


@dataclass(frozen=True)
class MaxDistance(Rule):
    """Great-circle distance between mentor and mentee at most ``km``.

    Needs ``lat``/``lon`` columns in both tables.

    Example
    -------
    >>> import banghdai as bd
    >>> bd.MaxDistance(km=25).km
    25
    """

    key: ClassVar[str] = "max_distance"
    principle: ClassVar[str] = "convenient"
    kind: ClassVar[str] = "edge"
    stage: ClassVar[int] = 30

    km: float

    def __post_init__(self) -> None:
        check_number(self.km, "km", positive=True)

    def label_params(self, lang: str) -> dict[str, object]:
        return {"km": self.km}

    def estimate(self, ctx: CompileContext) -> float:
        return ctx.estimate_within_km(self.km, type(self).__name__)

    def sample(self, ctx: CompileContext, size: int) -> tuple[np.ndarray, np.ndarray, float]:
        return ctx.sample_within_km(self.km, type(self).__name__, size)

    def generate(self, ctx: CompileContext) -> tuple[np.ndarray, np.ndarray]:
        return ctx.within_km(self.km, type(self).__name__)

    def compared(self, mentor: pd.Series, mentee: pd.Series) -> tuple | None:
        return "km", _km(mentor, mentee)

    def mask(self, ctx: CompileContext, m: np.ndarray, e: np.ndarray) -> np.ndarray:
        return ctx.distance(m, e, type(self).__name__) <= self.km  # NaN compares False

    def violations(self, view: ValidatorView) -> tuple[np.ndarray, Any]:
        d = view.km()
        bad = ~(d <= self.km + 1e-6)
        return bad, [f"{x:.3f} km" for x in d[bad]]


@dataclass(frozen=True)
class Nearest(Rule):
    """Only each mentee's ``k`` geographically nearest mentors (就近), ties included.

    A pair passes when its great-circle distance is at most the distance from
    the mentee to its k-th nearest mentor with coordinates. Found with a k-d
    tree, so it scales to provinces: 200,000 mentees × 20 candidates is 4
    million pairs, never a dense matrix.

    Example
    -------
    >>> import banghdai as bd
    >>> bd.Nearest(k=20).k
    20
    """

    key: ClassVar[str] = "nearest"
    principle: ClassVar[str] = "convenient"
    kind: ClassVar[str] = "edge"
    stage: ClassVar[int] = 40

    k: int = 20

    def __post_init__(self) -> None:
        check_count(self.k, "k")
        if self.k < 1:
            raise InputError(Msg("input.nearest_k", value=self.k), column="k")

    def label_params(self, lang: str) -> dict[str, object]:
        return {"k": self.k}

    def estimate(self, ctx: CompileContext) -> float:
        return float(min(self.k, len(ctx.mentors))) * len(ctx.mentees)

    def sample(self, ctx: CompileContext, size: int) -> tuple[np.ndarray, np.ndarray, float]:
        return ctx.sample_nearest(self.k, type(self).__name__, size)

    def generate(self, ctx: CompileContext) -> tuple[np.ndarray, np.ndarray]:
        _, (m, e) = ctx.nearest(self.k, type(self).__name__)
        return m, e

    @property
    def exact_generator(self) -> bool:
        """Its generator yields exactly the pairs that pass (no mask needed after it)."""
        return True

    def compared(self, mentor: pd.Series, mentee: pd.Series) -> tuple | None:
        return "km", _km(mentor, mentee)

    def mask(self, ctx: CompileContext, m: np.ndarray, e: np.ndarray) -> np.ndarray:
        kth, _ = ctx.nearest(self.k, type(self).__name__)
        pm, pe, _, _ = ctx.points(type(self).__name__)
        chord = np.linalg.norm(pm[m] - pe[e], axis=1)
        return chord <= kth[e]  # NaN (no coordinates) and -1 (no mentor) fail

    def violations(self, view: ValidatorView) -> tuple[np.ndarray, Any]:
        kth = view.kth_nearest_km(self.k)
        d = view.km()
        bad = ~(d <= kth + 1e-6)
        return bad, [f"{x:.3f} km, k-th nearest at {y:.3f} km"
                     for x, y in zip(d[bad], kth[bad], strict=True)]


@dataclass(frozen=True)
class Closeness(Rule):
    """Score: ``max(0, 1 - km / scale_km)``, 1 at the same place (帮带便捷).

    Example
    -------
    >>> import banghdai as bd
    >>> bd.Closeness(weight=1, scale_km=30).scale_km
    30
    """

    key: ClassVar[str] = "closeness"
    principle: ClassVar[str] = "convenient"
    kind: ClassVar[str] = "score"

    weight: float = 1.0
    scale_km: float = 50.0

    def __post_init__(self) -> None:
        check_weight(self.weight)
        check_number(self.scale_km, "scale_km", positive=True)

    def score(self, ctx: CompileContext, m: np.ndarray, e: np.ndarray) -> np.ndarray:
        ctx.require_coords(type(self).__name__)
        return np.maximum(0.0, 1.0 - ctx.distance(m, e, type(self).__name__) / self.scale_km)

    def check_score(self, view: ValidatorView) -> np.ndarray:
        return np.maximum(0.0, 1.0 - view.km() / self.scale_km)


@dataclass(frozen=True)
class KnownCoordinates(Rule):
    """Both rows have coordinates: added before a distance rule when some row lacks them.

    Not a rule you write: the compiler adds it so that a row without ``lat``/``lon`` is
    reported as missing its coordinates (in the funnel, the reasons and a warning), not as
    "too far". It is therefore not in the registry.

    Example
    -------
    >>> from banghdai.model.rules.distance import KnownCoordinates
    >>> KnownCoordinates().label("zh")
    '经纬度齐全'
    """

    key: ClassVar[str] = "known_coordinates"
    principle: ClassVar[str] = "convenient"
    kind: ClassVar[str] = "edge"
    stage: ClassVar[int] = 25

    def mask(self, ctx: CompileContext, m: np.ndarray, e: np.ndarray) -> np.ndarray:
        lat_m, lon_m, lat_e, lon_e = ctx.coords(type(self).__name__)
        return ~(np.isnan(lat_m[m]) | np.isnan(lon_m[m]) | np.isnan(lat_e[e]) | np.isnan(lon_e[e]))

    def violations(self, view: ValidatorView) -> tuple[np.ndarray, Any]:
        d = view.km()
        return np.isnan(d), "no coordinates"
