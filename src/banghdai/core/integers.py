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

import math

import numpy as np

from .errors import InputError, Msg

#: Largest absolute integer objective coefficient aimed for when scaling floats.
TARGET_MAGNITUDE = 1_000_000
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


def fits(values: np.ndarray, k: float, tol: float) -> bool:
    """True when every ``values * k`` is within ``tol`` of an integer.

    >>> fits(np.array([0.25, 0.5]), 4, 1e-9)
    True
    """
    scaled = values * k
    return bool(np.all(np.abs(scaled - np.round(scaled)) < tol))


def choose_scale(values: np.ndarray, slots: int, scale: float | None) -> float:
    """Integer multiplier for float scores: 1 if whole, a small denominator, else 10^k.

    Candidates are tried on a sample first, so a large edge table is read in
    full only for the multiplier that is finally chosen. Shared by the compiler and the
    certificate checker (which re-derives each level's scale from the problem).

    >>> choose_scale(np.array([0.5, 1.5]), 0, None), choose_scale(np.array([3, 4]), 0, None)
    (2.0, 1.0)
    """
    if scale is not None:
        if not scale > 0:
            raise InputError(Msg("compile.scale", value=scale), column="scale")
        return float(scale)
    if values.size == 0:
        return 1.0
    if values.dtype.kind in "iu":
        biggest = float(max(int(values.max()), -int(values.min())))
        if biggest <= TARGET_MAGNITUDE * 1000:
            return 1.0
    else:
        biggest = float(np.abs(values).max())
    if biggest == 0.0:
        return 1.0
    sample = values[:: max(1, values.size // 4096)]
    for k in (1, 2, 3, 4, 5, 6, 8, 10, 12, 20, 24, 60, 120):
        if k == 1:
            if biggest <= TARGET_MAGNITUDE * 1000 and bool(np.all(sample == np.rint(sample))) \
                    and bool(np.all(values == np.rint(values))):
                return 1.0
            continue
        if biggest * k > TARGET_MAGNITUDE:
            break
        tol = 1e-9 * max(1.0, biggest * k)
        if fits(sample, k, tol) and fits(values, k, tol):
            return float(k)
    exponent = math.floor(math.log10(TARGET_MAGNITUDE / biggest))
    return float(10.0**exponent)
