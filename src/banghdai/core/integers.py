"""Exact integer arrays shared by the network engine and its independent checker.

Example
-------
>>> from banghdai.core.integers import int_array, node_balance
>>> int_array("x", [1.0, 2.0]).tolist()
[1, 2]
>>> node_balance(3, int_array("t", [0, 1]), int_array("h", [1, 2]), int_array("x", [2, 2])).tolist()
[2, 0, -2]
"""

from __future__ import annotations

import numpy as np

#: bound on ``sum max(|lower|, |upper|) + sum |supply|`` (OR-Tools sums capacities).
FLOW_LIMIT = 2**62


def int_array(name: str, values, shape: tuple[int, ...] | None = None) -> np.ndarray:
    """``values`` as a fresh int64 array; ValueError when not integral or of a wrong shape."""
    a = np.asarray(values)
    if a.dtype.kind == "f":
        if not np.isfinite(a).all() or (a != np.round(a)).any():
            raise ValueError(f"{name} must hold integers")
        if a.size and np.abs(a).max() >= 2.0**63:
            raise ValueError(f"{name} does not fit in int64")
    elif a.dtype.kind == "u":
        if a.size and int(a.max()) > np.iinfo(np.int64).max:
            raise ValueError(f"{name} does not fit in int64")
    elif a.dtype.kind not in "ib" and not (a.dtype == object and a.size == 0):
        raise ValueError(f"{name} must hold integers, got dtype {a.dtype}")
    a = np.array(a, dtype=np.int64, copy=True)
    if a.ndim != 1 and a.size == 0:
        a = a.reshape(0)
    if a.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional, got shape {a.shape}")
    if shape is not None and a.shape != shape:
        raise ValueError(f"{name} must have shape {shape}, got {a.shape}")
    return a


def node_balance(n: int, tail: np.ndarray, head: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Exact ``out(v) - in(v)`` of the arc values ``x`` (int64)."""
    balance = np.zeros(n, dtype=np.int64)
    np.add.at(balance, tail, x)
    np.subtract.at(balance, head, x)
    return balance
