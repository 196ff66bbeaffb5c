"""The one Protocol of a group rule: its spec (model) and its compiled form.

A group rule ties several candidate pairs together. Every layer asks the rule, never
dispatches on its class:

* the **spec** (a frozen dataclass, :class:`GroupSpec`) is pure data; it compiles itself
  from the numpy arrays compile hands it (:meth:`GroupSpec.compile_group` with a
  :class:`GroupContext`), re-checks finished pairs from the input tables for the validator
  (:meth:`GroupSpec.group_violations`), and says what its pre-check finds
  (:meth:`CompiledGroup.precheck`);
* the **compiled form** (:class:`CompiledGroup`) says how it couples components
  (:meth:`~CompiledGroup.couples`), restricts itself to one region
  (:meth:`~CompiledGroup.restrict`), offers network arcs when it is a flow
  (:meth:`~CompiledGroup.network`: :class:`FlowFamily` and :class:`FlowTree`, with
  capacities), its CP-SAT constraints (:meth:`~CompiledGroup.parts`: callables that receive
  the CP-SAT model, so this layer never imports ortools), its repair
  (:meth:`~CompiledGroup.satisfied`, :meth:`~CompiledGroup.repair`) and which pairs it
  holds back (:meth:`~CompiledGroup.blocked`, for the unmatched reasons).

Nothing here imports compile, the solvers or ortools (import-linter keeps it so): the
compiled form works on the arrays of the compiled problem it is handed.

Example
-------
>>> import numpy as np
>>> fam = FlowFamily("mentor", np.array([0, 0, -1]), np.array([1]))
>>> fam.capacity.tolist(), NetworkForm(families=(fam,)).trees
([1], ())
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, Protocol, runtime_checkable

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from ..data.schema import Table

#: A named piece of CP-SAT constraints: ``(name, add(model, x, enforce))``; ``x`` holds the
#: edges' Boolean variables, ``enforce`` an assumption literal or None.
Part = tuple[str, Callable[[Any, list, Any], None]]

#: A pre-check finding: (code, severity, who, text, fix).
Finding = tuple[str, str, str, str, str]


@dataclass(frozen=True, eq=False)
class FlowFamily:
    """Edges routed through a node per group, entered by an arc of ``capacity[g]``.

    On ``side="mentee"`` the edges of group ``g`` (all of one mentee) end in a node
    ``(mentee, g)`` that enters the mentee by an arc of capacity ``capacity[g]``; on
    ``side="mentor"`` they start from a node ``(mentor, g)`` fed from the mentor by such an
    arc. ``group_of_edge`` is -1 for an edge in no group. At most k per group is one arc of
    capacity k.

    Example
    -------
    >>> import numpy as np
    >>> FlowFamily("mentee", np.array([0, 0]), np.array([1])).side
    'mentee'
    """

    side: Literal["mentor", "mentee"]
    group_of_edge: np.ndarray
    capacity: np.ndarray


@dataclass(frozen=True, eq=False)
class FlowTree:
    """Bounded groups of mentors (or mentees) on *pairs*: a laminar family of node sets,
    each entered from the source (left to the sink) by an arc bounded by ``lo``/``hi``.

    Example
    -------
    >>> import numpy as np
    >>> FlowTree("mentor", [np.array([0, 1])], [None], [3]).hi
    [3]
    """

    side: Literal["mentor", "mentee"]
    node_sets: list[np.ndarray]
    lo: list[int | None]
    hi: list[int | None]


@dataclass(frozen=True)
class NetworkForm:
    """What a group rule adds to the min-cost-flow network.

    Example
    -------
    >>> NetworkForm().families
    ()
    """

    families: tuple[FlowFamily, ...] = ()
    trees: tuple[FlowTree, ...] = ()


@dataclass(frozen=True, eq=False)
class GroupContext:
    """What compile hands a group spec: the tables, the candidate edges' rows and the
    mentors each mentee needs.

    Example
    -------
    >>> import numpy as np
    >>> GroupContext(None, None, np.array([0]), np.array([0])).edge_mentor.tolist()
    [0]
    """

    mentors: Table
    mentees: Table
    edge_mentor: np.ndarray
    edge_mentee: np.ndarray
    #: mentors each mentee needs (None when compile does not know it yet)
    demand: np.ndarray | None = None


@runtime_checkable
class CompiledGroup(Protocol):
    """A group rule compiled against the candidate edges (see the module doc).

    Example
    -------
    >>> import numpy as np, pandas as pd, banghdai as bd
    >>> c = bd.Problem(pd.DataFrame({"mentor_id": ["A"], "type": ["x"]}),
    ...                pd.DataFrame({"mentee_id": ["E"]})).require(bd.DistinctTypes()).compile()
    >>> isinstance(c.group_rules[0], CompiledGroup)
    True
    """

    label: str
    couples_components: bool

    def parts(self, compiled: Any) -> list[Part]:
        """CP-SAT constraints in named parts."""
        ...

    def network(self, compiled: Any) -> NetworkForm | None:
        """Its arcs when it is a network flow, else None (it goes to CP-SAT)."""
        ...

    def satisfied(self, compiled: Any, chosen: np.ndarray) -> bool:
        """True when ``chosen`` (a boolean edge mask) keeps the rule."""
        ...

    def repair(self, compiled: Any, chosen: np.ndarray, weight: np.ndarray,
               kit: Any = None) -> np.ndarray:
        """A pairing near ``chosen`` that keeps the rule."""
        ...

    def blocked(self, compiled: Any, chosen: np.ndarray) -> np.ndarray:
        """Per edge: True when adding it to ``chosen`` would break the rule."""
        ...

    def couples(self, compiled: Any, edge_label: np.ndarray) -> bool:
        """True when it ties the components ``edge_label`` numbers together."""
        ...

    def restrict(self, local_edge: np.ndarray,
                 local_node: dict[str, np.ndarray]) -> CompiledGroup:
        """Itself on one component: edges and nodes renumbered (-1: not in it)."""
        ...

    def precheck(self, compiled: Any, lang: str) -> list[Finding]:
        """What a planner should fix before solving (obviously infeasible demands)."""
        ...


@runtime_checkable
class GroupSpec(Protocol):
    """The spec of a group rule: compiles itself and re-checks finished pairs.

    (Quotas and stability re-check themselves the same way but are still compiled by a
    table in ``compile/groups.py`` keyed by their registry code.)

    Example
    -------
    >>> import banghdai as bd
    >>> isinstance(bd.MaxFromSameUnit("unit", 2), GroupSpec)
    True
    """

    key: str

    def label(self, lang: str = "en") -> str:
        """Its name in planner words."""
        ...

    def compile_group(self, ctx: GroupContext) -> CompiledGroup | None:
        """Its compiled form against the candidate edges (None: nothing to add)."""
        ...

    def group_violations(self, view: Any, got: np.ndarray,
                         need: np.ndarray) -> list[pd.DataFrame]:
        """Rows (rule, mentor_id, mentee_id, detail) for every breach in ``view.pairs``,
        from the input tables only; ``got``/``need``: mentors per mentee row."""
        ...


def edge_groups(keys: np.ndarray) -> tuple[np.ndarray, int]:
    """Dense group numbers (-1 kept) of integer ``keys``, and how many groups.

    Example
    -------
    >>> import numpy as np
    >>> g, n = edge_groups(np.array([7, -1, 7, 3]))
    >>> g.tolist(), n
    ([1, -1, 1, 0], 2)
    """
    out = np.full(keys.size, -1, np.int64)
    ok = keys >= 0
    uniq, inv = np.unique(keys[ok], return_inverse=True)
    out[ok] = inv
    return out, int(uniq.size)
