"""What a rule may ask of the compiler and of the validator: two typed Protocols.

A rule's methods receive ``ctx`` (``mask(ctx, m, e)``, ``score(ctx, m, e)``,
``generate(ctx)``, ``estimate(ctx)``) or ``view`` (``violations(view)``,
``check_score(view)``). The compiler's context lives in :mod:`banghdai.compile.graph`
and the validator's view in :mod:`banghdai.checks.validate`, both above this layer, so a
rule names them by these Protocols: a type checker then checks every call a rule makes,
and the two implementations are checked against them (``tests/test_layers.py``).

``m`` and ``e`` are arrays of mentor and mentee row positions (one entry per pair);
``rule`` is the name used in error messages (the rule's class name).

Example
-------
>>> import pandas as pd, banghdai as bd
>>> from banghdai.compile.graph import _Context
>>> from banghdai.model.context import CompileContext
>>> p = bd.Problem(pd.DataFrame({"mentor_id": ["M"]}), pd.DataFrame({"mentee_id": ["E"]}))
>>> isinstance(_Context(p.mentor_table, p.mentee_table), CompileContext)
True
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from ..data.schema import Table

__all__ = ["CompileContext", "ValidatorView"]


@runtime_checkable
class CompileContext(Protocol):
    """The compiler's shared, cached view of both tables while it builds the candidate graph
    (implemented by ``banghdai.compile.graph._Context``)."""

    mentors: Table
    mentees: Table

    def codes(self, column: str, rule: str) -> tuple[np.ndarray, np.ndarray]:
        """Integer codes of ``column`` for mentors and mentees, over one shared vocabulary
        (-1 where empty)."""
        ...

    def coords(self, rule: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Latitudes and longitudes of mentors and mentees (NaN where a row has none)."""
        ...

    def distance(self, m: np.ndarray, e: np.ndarray, rule: str) -> np.ndarray:
        """Great-circle km of the pairs (NaN where a row has no coordinates)."""
        ...

    def require_coords(self, rule: str) -> None:
        """Refuse rows without coordinates."""
        ...

    def within_km(self, km: float, rule: str) -> tuple[np.ndarray, np.ndarray]:
        """Every pair within ``km``: (mentor rows, mentee rows)."""
        ...

    def estimate_within_km(self, km: float, rule: str, sample: int = 2000) -> float:
        """Pairs within ``km``, estimated from a sample."""
        ...

    def sample_same_code(self, column: str, rule: str, size: int
                         ) -> tuple[np.ndarray, np.ndarray, float]:
        """About ``size`` pairs sharing a value of ``column``, and how many each stands for
        (the size guard's samples, like every ``sample_*``)."""
        ...

    def sample_within_km(self, km: float, rule: str, size: int
                         ) -> tuple[np.ndarray, np.ndarray, float]:
        """Pairs within ``km`` of a spread sample of mentees, and the weight of each."""
        ...

    def sample_nearest(self, k: int, rule: str, size: int
                       ) -> tuple[np.ndarray, np.ndarray, float]:
        """The k nearest mentors of a spread sample of mentees."""
        ...

    def sample_tag_join(self, mentor_col: str, mentee_col: str, rule: str, size: int
                        ) -> tuple[np.ndarray, np.ndarray, float]:
        """Pairs sharing a tag with a spread sample of mentees, and the weight of each."""
        ...

    def sample_table(self, rule: Any, size: int) -> tuple[np.ndarray, np.ndarray, float]:
        """A spread sample of the pairs a restricting table lists, and the weight of each."""
        ...

    def points(self, rule: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Unit-sphere points of mentors and mentees, and which rows have coordinates."""
        ...

    def nearest(self, k: int, rule: str) -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray]]:
        """Per mentee: chord distance to its k-th nearest mentor, and the candidate pairs."""
        ...

    def tags(self, mentor_col: str, mentee_col: str, rule: str
             ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Bit masks of each row's tags over a shared vocabulary, and the mentees' tag counts."""
        ...

    def shared(self, mentor_col: str, mentee_col: str, rule: str, m: np.ndarray,
               e: np.ndarray) -> np.ndarray:
        """Tags each pair shares."""
        ...

    def tag_join(self, mentor_col: str, mentee_col: str, rule: str
                 ) -> tuple[np.ndarray, np.ndarray]:
        """Every pair sharing at least one tag."""
        ...

    def estimate_tag_join(self, mentor_col: str, mentee_col: str, rule: str) -> float:
        """Upper bound on the pairs sharing a tag."""
        ...

    def strength(self, by: str, rule: str) -> tuple[np.ndarray, np.ndarray]:
        """The numeric column ``by`` of mentors and mentees."""
        ...

    def in_table(self, rule: Any, m: np.ndarray, e: np.ndarray) -> np.ndarray:
        """Which pairs the pair-table rule ``rule`` lists."""
        ...

    def table_pairs(self, rule: Any) -> tuple[np.ndarray, np.ndarray]:
        """The pairs a table rule lists, sorted by key."""
        ...

    def table_values(self, rule: Any, m: np.ndarray, e: np.ndarray) -> np.ndarray:
        """A pair-score table's value per pair (0 where it has no row)."""
        ...

    def preference_fit(self, side: str, m: np.ndarray, e: np.ndarray) -> np.ndarray:
        """(L - rank + 1) / L of the side's rank of each pair, 0 when unranked."""
        ...


@runtime_checkable
class ValidatorView(Protocol):
    """The validator's independent view of a pairing: the input tables and the pairs only,
    recomputed with pandas (implemented by ``banghdai.checks.validate.PairView``)."""

    pairs: pd.DataFrame
    mentors: pd.DataFrame
    mentees: pd.DataFrame
    mentor_rows: pd.DataFrame
    mentee_rows: pd.DataFrame

    def same_value(self, column: str) -> np.ndarray:
        """Pairs whose mentor and mentee have the same known value of ``column``."""
        ...

    def km(self) -> np.ndarray:
        """Great-circle km of each pair."""
        ...

    def kth_nearest_km(self, k: int) -> np.ndarray:
        """Per pair, km from its mentee to the mentee's k-th nearest mentor."""
        ...

    def shared(self, mentor_column: str, mentee_column: str) -> tuple[np.ndarray, np.ndarray]:
        """Per pair: tags shared, and the mentee's number of tags."""
        ...

    def preference_fit(self, side: str) -> np.ndarray:
        """(L - rank + 1) / L per pair from the Preferences table."""
        ...
