"""Objective levels compiled to integer data, and their CP-SAT expressions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from ..core.arrays import group_positions
from ..core.errors import InputError

if TYPE_CHECKING:
    from .graph import Compiled


@dataclass(frozen=True, eq=False)
class CompiledLevel:
    """A level as integer data: ``kind`` is linear, maxmin or minmaxload."""

    name: str
    kind: str
    coeff: np.ndarray | None = None  # per edge, integer
    scale: float = 1.0
    sign: float = 1.0  # reported value = sign * internal / scale

    def expression(self, model: Any, x: list, compiled: Compiled):
        """The CP-SAT expression to maximise for this level (may add variables)."""
        from ortools.sat.python import cp_model

        coeff = self.coeff if self.coeff is not None else np.zeros(compiled.n_edges, np.int64)

        if self.kind == "linear":
            return cp_model.LinearExpr.weighted_sum(x, coeff.tolist())
        if self.kind == "minmaxload":
            load = model.new_int_var(0, int(compiled.cap_hi.max(initial=0)), "max_load")
            for edges in _by_node(compiled.edge_mentor):
                model.add(cp_model.LinearExpr.sum([x[j] for j in edges.tolist()]) <= load)
            return -load
        if self.kind == "maxmin":
            big = int(np.abs(coeff).sum()) + 1
            low = model.new_int_var(-big, big, "worst_mentee")
            served_any = []
            for edges in _by_node(compiled.edge_mentee):
                served = model.new_bool_var("")
                vars_ = [x[j] for j in edges.tolist()]
                for v in vars_:
                    model.add_implication(v, served)
                model.add(cp_model.LinearExpr.sum(vars_) >= 1).only_enforce_if(served)
                total = cp_model.LinearExpr.weighted_sum(vars_, coeff[edges].tolist())
                model.add(low <= total).only_enforce_if(served)
                served_any.append(served)
            if served_any:  # nobody served: the worst is 0 by convention
                model.add(low == 0).only_enforce_if([s.Not() for s in served_any])
            else:
                model.add(low == 0)
            return low
        raise InputError(f"unknown level kind {self.kind!r}")  # pragma: no cover

    @property
    def couples_components(self) -> bool:
        """Max-min and balance levels tie regions together; sums do not."""
        return self.kind != "linear"


def _by_node(index: np.ndarray) -> list[np.ndarray]:
    """Edge positions grouped by node (nodes with edges only)."""
    return group_positions(index, drop_negative=False)
