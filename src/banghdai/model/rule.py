"""The base every rule, score, group rule and level derives from.

A rule is defined once, in its own file under :mod:`banghdai.model.rules` (or
``model/groups.py``, ``model/levels.py``), as a frozen dataclass whose class
carries everything the rest of the library needs to know about it:

* ``key`` — its name in a rules file (``rule = "same_region"``) and in the
  registry (:mod:`banghdai.model.registry`); ``kind`` — ``edge``, ``score``,
  ``group``, ``level`` or ``fixed``; its parameters are the dataclass fields
  (typed: the rules file checks values against the annotations);
* ``label(lang)`` — its name in planner words, from the message catalogue
  (code ``rule.<name>``), never translated back by pattern matching;
* edge rules: ``mask(ctx, m, e)`` (which candidate pairs pass), optionally
  ``generate(ctx)`` (an index-based generator when it is the first rule),
  and ``violations(view)`` (the validator's pandas re-check of finished pairs);
* scores: ``column`` (their column in ``result.pairs``), ``score(ctx, m, e)``
  and ``check_score(view)`` (the validator's independent recomputation);
* group rules: the Protocol of :mod:`banghdai.model.grouprule` (``compile_group``,
  ``group_violations`` and the compiled form's network arcs, CP-SAT parts, repair,
  pre-check, blocked pairs and region split).

``ctx`` is the compiler's per-table context and ``view`` the validator's view
of the pairs; both are passed in, so a rule imports neither the compiler nor
the validator, and the validator stays independent of the compiler.

Example
-------
>>> import banghdai as bd
>>> r = bd.SameRegion("county")
>>> r.key, r.kind, r.label("en"), r.label("zh")
('same_region', 'edge', 'same county', '同县区')
>>> r.params()
{'level': 'county'}
"""

from __future__ import annotations

import dataclasses
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from ..core.ids import ids_as_str
from ..core.messages import LANGS, labelled, register, text
from .context import CompileContext, ValidatorView

#: The pairing principles of 帮带 programmes a rule serves (``Rule.principle``), in planner
#: words: the audit sheet of the printable list files each rule under one.
PRINCIPLES = {
    "convenient": ("convenient distance", "帮带便捷"),
    "field": ("similar field", "领域相近"),
    "strong_weak": ("the strong lead the weak", "以强带弱"),
    "consent": ("two-sided consent", "双向自愿"),
    "override": ("organisational override", "组织统筹"),
    "avoid": ("avoidance", "回避"),
    "types": ("mentor types", "导师类型"),
}
for _code, (_en, _zh) in PRINCIPLES.items():
    register(f"principle.{_code}", en=_en, zh=_zh)
del _code, _en, _zh


class Rule:
    """Base class of every rule (a mixin for frozen dataclasses).

    Example
    -------
    >>> import banghdai as bd
    >>> bd.MaxDistance(km=30).label("zh")
    '30公里内'
    """

    #: Name in rules files and the registry.
    key: ClassVar[str] = ""
    #: ``edge``, ``score``, ``group``, ``level`` or ``fixed``.
    kind: ClassVar[str] = ""
    #: Position among the edge rules in the candidate funnel (cheap, restricting first).
    stage: ClassVar[int] = 50
    #: Parameters holding a DataFrame (side tables: a file name in a rules file).
    tables: ClassVar[tuple[str, ...]] = ()
    #: The pairing principle it serves (a key of :data:`PRINCIPLES`; "" for none).
    principle: ClassVar[str] = ""

    # ------------------------------------------------------------ words
    def label(self, lang: str = "en") -> str:
        """The rule in planner words (``lang`` "en" or "zh"), from the message catalogue."""
        return self._render(f"rule.{self.key}", lang, self.label_params)

    def principled_label(self, lang: str = "en") -> str:
        """The label filed under its principle: ``帮带便捷：同县区`` (as the audit sheet shows it).

        Example
        -------
        >>> import banghdai as bd
        >>> bd.SameRegion("county").principled_label("zh"), bd.Stronger().principled_label()
        ('帮带便捷：同县区', 'the strong lead the weak: stronger by rating')
        """
        if not self.principle:
            return self.label(lang)
        return text("rule.principled", lang, principle=text(f"principle.{self.principle}", lang),
                    label=self.label(lang))

    def _render(self, code: str, lang: str, params: Any) -> str:
        """``code`` in ``lang``; the English text is remembered for :func:`translate_label`."""
        if lang == "en":
            return labelled(code, {lg: params(lg) for lg in LANGS})
        return text(code, lang, **params(lang))

    def label_params(self, lang: str) -> dict[str, object]:
        """Values filled into the label's template (override when a label has fields)."""
        return {}

    def params(self) -> dict[str, Any]:
        """The rule's parameters by name (side tables included as DataFrames)."""
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}  # type: ignore[arg-type]

    # ------------------------------------------------------------ edge rules
    @property
    def restricts(self) -> bool:
        """True when the rule removes candidate pairs (a hard edge rule)."""
        return self.kind == "edge"

    def estimate(self, ctx: CompileContext) -> float | None:
        """About how many pairs :meth:`generate` would make, computed cheaply (None: unknown).

        The compiler refuses, with advice, a problem whose estimate would not fit in memory,
        before generating anything.
        """
        return None

    def sample(self, ctx: CompileContext, size: int) -> tuple[np.ndarray, np.ndarray, float] | None:
        """About ``size`` of the pairs :meth:`generate` would make, drawn without making them,
        and how many pairs each stands for (None: no sampler). The size guard passes them
        through every rule's mask to estimate the final candidate count.
        """
        return None

    def generate(self, ctx: CompileContext) -> tuple[np.ndarray, np.ndarray] | None:
        """Candidate pairs (mentor rows, mentee rows) from an index, or None (no generator)."""
        return None

    def mask(self, ctx: CompileContext, m: np.ndarray, e: np.ndarray) -> np.ndarray:
        """Boolean mask: which of the pairs (mentor rows ``m``, mentee rows ``e``) pass."""
        raise NotImplementedError(f"{type(self).__name__} is not an edge rule")

    def violations(self, view: ValidatorView) -> tuple[np.ndarray, Any]:
        """The validator's re-check: (bad pair rows of ``view.pairs``, detail text(s))."""
        raise NotImplementedError(f"{type(self).__name__} has no pair check")

    def compared(self, mentor: pd.Series, mentee: pd.Series) -> tuple | None:
        """The two values this rule compares for one pair (for explanations), or None;
        ``("km", distance)`` for distance rules."""
        return None

    # ------------------------------------------------------------ scores
    @property
    def result_column(self) -> str:
        """Column of this score in ``result.pairs``."""
        return self.key

    @property
    def sense(self) -> str:  # pragma: no cover - overridden by PairScore's field
        return "max"

    def score(self, ctx: CompileContext, m: np.ndarray, e: np.ndarray) -> np.ndarray:
        """Per-pair score of the candidate pairs (higher is better unless ``sense`` is min)."""
        raise NotImplementedError(f"{type(self).__name__} is not a score")

    def check_score(self, view: ValidatorView) -> np.ndarray:
        """The validator's independent per-pair score of ``view.pairs``."""
        raise NotImplementedError(f"{type(self).__name__} is not a score")


def listed(view_pairs: pd.DataFrame, table: pd.DataFrame, mentor: str, mentee: str
           ) -> np.ndarray:
    """Which rows of ``view_pairs`` (mentor_id, mentee_id as text) appear in ``table``.

    Example
    -------
    >>> import pandas as pd
    >>> from banghdai.model.rule import listed
    >>> pairs = pd.DataFrame({"mentor_id": ["A", "B"], "mentee_id": ["x", "x"]})
    >>> listed(pairs, pd.DataFrame({"mentor_id": ["B"], "mentee_id": ["x"]}),
    ...        "mentor_id", "mentee_id").tolist()
    [False, True]
    """
    t = pd.DataFrame({"mentor_id": ids_as_str(table[mentor]),
                      "mentee_id": ids_as_str(table[mentee])}).drop_duplicates().assign(_in=True)
    merged = view_pairs[["mentor_id", "mentee_id"]].merge(t, on=["mentor_id", "mentee_id"],
                                                          how="left")
    return merged["_in"].notna().to_numpy()
