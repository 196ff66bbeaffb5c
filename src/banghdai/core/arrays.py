"""Positions grouped by key: the package's one "edges by node" helper.

Candidate pairs are stored as parallel arrays (``edge_mentor``, ``edge_mentee``);
most models and explanations need "the edges of each mentor" or "the runs of equal
keys in a sorted array". These helpers do it with one stable argsort and array
arithmetic; only the final list of per-key arrays is built in Python.

Example
-------
>>> import numpy as np
>>> from banghdai.core.arrays import group_positions, segments
>>> edge_mentor = np.array([2, 0, 2, 1, 0])
>>> [g.tolist() for g in group_positions(edge_mentor)]
[[1, 4], [3], [0, 2]]
>>> starts, counts = segments(np.sort(edge_mentor))
>>> starts.tolist(), counts.tolist()
([0, 2, 3], [2, 1, 2])
"""

from __future__ import annotations

import numpy as np

__all__ = ["group_positions", "offsets", "segments"]


def segments(sorted_keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Start and length of each run of equal values in ``sorted_keys``.

    ``sorted_keys`` only needs equal values next to each other (sorted, or
    grouped). Returns two int64 arrays ``(starts, counts)``, one entry per run,
    in order; both are empty for an empty input.

    Example
    -------
    >>> import numpy as np
    >>> starts, counts = segments(np.array([3, 3, 5, 7, 7, 7]))
    >>> starts.tolist(), counts.tolist()
    ([0, 2, 3], [2, 1, 3])
    >>> segments(np.array([], dtype=int))[0].size
    0
    """
    keys = np.asarray(sorted_keys)
    if keys.size == 0:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    starts = np.r_[0, np.flatnonzero(keys[1:] != keys[:-1]) + 1].astype(np.int64)
    return starts, np.diff(np.r_[starts, keys.size]).astype(np.int64)


def offsets(sorted_keys: np.ndarray, n: int) -> np.ndarray:
    """Where each key ``0 … n-1`` starts in ``sorted_keys`` (CSR offsets, ``n + 1`` values).

    The positions holding key ``k`` are ``offsets[k]:offsets[k + 1]``; keys
    outside ``0 … n-1`` fall outside every range.

    Example
    -------
    >>> import numpy as np
    >>> offsets(np.array([0, 0, 2]), 4).tolist()
    [0, 2, 2, 3, 3]
    """
    return np.searchsorted(np.asarray(sorted_keys), np.arange(n + 1))


def group_positions(keys: np.ndarray, n: int | None = None, *,
                    drop_negative: bool = True) -> list[np.ndarray]:
    """Positions of ``keys`` grouped by key value, in increasing key order.

    Within a group positions keep their order (stable sort). Without ``n``:
    one array per distinct key that occurs; negative keys (the "no key" mark)
    are left out unless ``drop_negative=False``. With ``n``: exactly ``n``
    arrays, the ``k``-th holding the positions whose key is ``k`` (empty when
    none); keys outside ``0 … n-1`` are left out.

    Example
    -------
    >>> import numpy as np
    >>> keys = np.array([1, -1, 0, 1, 3])
    >>> [g.tolist() for g in group_positions(keys)]
    [[2], [0, 3], [4]]
    >>> [g.tolist() for g in group_positions(keys, drop_negative=False)]
    [[1], [2], [0, 3], [4]]
    >>> [g.tolist() for g in group_positions(keys, 4)]
    [[2], [0, 3], [], [4]]
    """
    keys = np.asarray(keys)
    if n is not None:
        order = np.argsort(keys, kind="stable")
        bounds = offsets(keys[order], n).tolist()
        return [order[a:b] for a, b in zip(bounds[:-1], bounds[1:], strict=True)]
    if drop_negative:
        valid = np.flatnonzero(keys >= 0)
        order = valid[np.argsort(keys[valid], kind="stable")]
    else:
        order = np.argsort(keys, kind="stable")
    starts, counts = segments(keys[order])
    return [order[a:a + k] for a, k in zip(starts.tolist(), counts.tolist(), strict=True)]


def pair_keys(m: np.ndarray, e: np.ndarray, n_mentors: int) -> np.ndarray:
    """Mentee-major key of each (mentor row, mentee row) pair: sorting by key sorts the pairs
    by (mentee, mentor).

    Example
    -------
    >>> import numpy as np
    >>> from banghdai.core.arrays import pair_keys
    >>> pair_keys(np.array([1, 0]), np.array([0, 2]), 3).tolist()
    [1, 6]
    """
    keys = e.astype(np.int64, copy=False) * np.int64(max(n_mentors, 1))
    keys += m
    return keys
