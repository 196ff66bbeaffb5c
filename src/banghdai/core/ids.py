"""Id handling shared by every layer: ids as text, hashable value keys."""

from __future__ import annotations

import numpy as np
import pandas as pd


def ids_as_str(values: pd.Series | np.ndarray | list) -> np.ndarray:
    """Ids as Python strings; whole-number floats lose their ``.0`` (1.0 → '1')."""
    s = pd.Series(values)
    if pd.api.types.is_float_dtype(s.dtype):
        # each whole float on its own: 1.0 -> '1' whether or not the column also holds 2.5,
        # so a roster and a pair table agree on the same id
        arr = s.to_numpy(dtype=float)
        whole = np.isfinite(arr) & (arr == np.floor(arr)) & (np.abs(arr) < 2**63)
        out = s.astype(object).map(lambda v: v if isinstance(v, str) else str(v)).to_numpy(
            dtype=object)
        if whole.any():
            out[whole] = arr[whole].astype(np.int64).astype(str).astype(object)
        return out
    if s.dtype.kind in "iu":
        return s.to_numpy().astype(str).astype(object)
    out = s.astype(object).map(lambda v: v if isinstance(v, str) else str(v)).to_numpy(dtype=object)
    return out


def value_keys(values: pd.Series) -> np.ndarray:
    """Cell values as comparable text: whole floats lose ``.0``, blanks become None.

    Region and unit columns are compared through these keys in the compiler and
    the validator alike, so ``1`` (an int column) equals ``1.0`` (a float
    column made by a blank cell).
    """
    s = pd.Series(values).reset_index(drop=True)
    if pd.api.types.is_numeric_dtype(s.dtype) and not pd.api.types.is_bool_dtype(s.dtype):
        numbers = s.to_numpy(dtype=float)
        whole = np.isfinite(numbers) & (numbers == np.round(numbers))
        text = np.where(
            whole, np.round(np.where(whole, numbers, 0)).astype(np.int64).astype(str), s.astype(str)
        ).astype(object)
        text[np.isnan(numbers)] = None
        return text
    out = s.astype(object).where(s.notna(), None).to_numpy(dtype=object).copy()
    mask = np.array([v is not None for v in out], dtype=bool)
    stripped = pd.Series(out[mask]).astype(str).str.strip().to_numpy(dtype=object).copy()
    stripped[stripped == ""] = None
    out[mask] = stripped
    return out
