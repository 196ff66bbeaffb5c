"""Which kinds of mentor a category of mentee may have (对象类别 → 导师类型).

A village with a weak collective economy (集体经济薄弱村) is helped by a local
entrepreneur (致富能人); a weak party branch by an excellent village secretary.
:class:`AllowedTypes` says so per mentee category; categories it does not list
may take any mentor.

Example
-------
>>> import banghdai as bd
>>> rule = bd.AllowedTypes({"集体经济薄弱村": ["致富能人"]}, mentee_column="category",
...                        mentor_column="source")
>>> rule.label(), rule.label("zh")
('source allowed per category', '按类别限定导师source')
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from ...core.errors import InputError, Msg
from ...core.ids import value_keys
from ...core.messages import column_word, register
from ..context import CompileContext, ValidatorView
from ..rule import Rule
from ._checks import check_name

register("rule.allowed_types", en="{mentor_column} allowed per {mentee_column}",
         zh="按{mentee_column}限定导师{mentor_column}")


@dataclass(frozen=True, eq=False)
class AllowedTypes(Rule):
    """Mentees of a listed category take only mentors of the allowed types.

    ``allowed`` maps a value of the mentees' ``mentee_column`` (the category)
    to the values of the mentors' ``mentor_column`` (the type) allowed for it.
    Categories not in ``allowed``, and mentees with an empty category, may take
    any mentor; a mentor with an empty type serves no listed category.

    Example
    -------
    >>> import pandas as pd, banghdai as bd
    >>> mentors = pd.DataFrame({"mentor_id": ["A", "B"], "type": ["致富能人", "老乡镇"]})
    >>> mentees = pd.DataFrame({"mentee_id": ["V"], "category": ["集体经济薄弱村"]})
    >>> p = bd.Problem(mentors, mentees).require(
    ...     bd.AllowedTypes({"集体经济薄弱村": ["致富能人"]}))
    >>> p.solve().pairs.mentor_id.tolist()
    ['A']
    """

    key: ClassVar[str] = "allowed_types"
    principle: ClassVar[str] = "types"
    kind: ClassVar[str] = "edge"
    stage: ClassVar[int] = 65

    allowed: Mapping[str, tuple[str, ...]]
    mentee_column: str = "category"
    mentor_column: str = "type"

    def __post_init__(self) -> None:
        check_name(self.mentee_column, "mentee_column")
        check_name(self.mentor_column, "mentor_column")
        if not isinstance(self.allowed, Mapping) or not self.allowed:
            raise InputError(Msg("input.allowed_map"),
                             column="allowed")
        clean: dict[str, tuple[str, ...]] = {}
        for category, kinds in self.allowed.items():
            if isinstance(kinds, str) or not isinstance(kinds, list | tuple) or not all(
                    isinstance(k, str) for k in kinds):
                raise InputError(Msg("input.allowed_list", category=category, value=kinds),
                                 column="allowed")
            clean[str(category)] = tuple(kinds)
        object.__setattr__(self, "allowed", clean)

    def label_params(self, lang: str) -> dict[str, object]:
        return {"mentor_column": column_word(self.mentor_column, lang),
                "mentee_column": column_word(self.mentee_column, lang)}

    def _ok(self, category: np.ndarray, kind: np.ndarray) -> np.ndarray:
        """Vectorised: pairs whose mentee category is unlisted or whose mentor type is allowed."""
        cat = pd.Series(category, dtype=object)
        typ = pd.Series(kind, dtype=object)
        listed = cat.isin(list(self.allowed)).to_numpy()
        pair = cat.astype(str) + "\x1f" + typ.astype(str)
        allowed = pair.isin([f"{c}\x1f{t}" for c, kinds in self.allowed.items() for t in kinds])
        return ~listed | (allowed.to_numpy() & typ.notna().to_numpy())

    def mask(self, ctx: CompileContext, m: np.ndarray, e: np.ndarray) -> np.ndarray:
        name = type(self).__name__
        category = value_keys(ctx.mentees.require(self.mentee_column, name))
        kind = value_keys(ctx.mentors.require(self.mentor_column, name))
        return self._ok(category[e], kind[m])

    def violations(self, view: ValidatorView) -> tuple[np.ndarray, Any]:
        category = value_keys(view.mentee_rows[self.mentee_column])
        kind = value_keys(view.mentor_rows[self.mentor_column])
        bad = ~self._ok(category, kind)
        return bad, [f"{t} not allowed for {c}" for c, t in zip(category[bad], kind[bad],
                                                                strict=True)]

    def compared(self, mentor: pd.Series, mentee: pd.Series) -> tuple | None:
        return mentor[self.mentor_column], mentee[self.mentee_column]
