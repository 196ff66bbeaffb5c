"""Great-circle geometry on numpy arrays.

:func:`haversine_km` is the distance the compiler uses; :func:`vincenty_km`
is a second, independent formula kept for the validators (``checks`` and
``validate_teams``), so a slip in one formula cannot hide in both the
model and its check.

Example
-------
>>> import numpy as np
>>> from banghdai.core.geo import haversine_km
>>> round(float(haversine_km(np.array([38.47]), np.array([106.27]),
...                          np.array([38.47]), np.array([106.37]))[0]), 2)
8.71
"""

from __future__ import annotations

import numpy as np

EARTH_RADIUS_KM = 6371.0088


def haversine_km(lat1: np.ndarray, lon1: np.ndarray, lat2: np.ndarray, lon2: np.ndarray) -> np.ndarray:
    """Great-circle distance in km between paired points given in degrees."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dphi = p2 - p1
    dlmb = np.radians(lon2) - np.radians(lon1)
    a = np.sin(dphi / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def vincenty_km(lat1, lon1, lat2, lon2) -> np.ndarray:
    """Great-circle km by Vincenty's atan2 form, independent of :func:`haversine_km`.

    The validators recompute distances with this formula rather than the
    compiler's haversine, so the two agree only when both are right.
    Accepts scalars, lists or arrays in degrees (broadcast like numpy).

    Example
    -------
    >>> round(float(vincenty_km(38.47, 106.27, 38.47, 106.37)), 2)
    8.71
    >>> round(float(vincenty_km(0, 0, 0, 180)), 1)  # antipodes stay exact
    20015.1
    """
    a1, b1, a2, b2 = (np.radians(np.asarray(v, dtype=float)) for v in (lat1, lon1, lat2, lon2))
    dl = b2 - b1
    y = np.hypot(np.cos(a2) * np.sin(dl), np.cos(a1) * np.sin(a2) - np.sin(a1) * np.cos(a2) * np.cos(dl))
    x = np.sin(a1) * np.sin(a2) + np.cos(a1) * np.cos(a2) * np.cos(dl)
    return EARTH_RADIUS_KM * np.arctan2(y, x)


def unit_vectors(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """Points on the unit sphere, shape (n, 3), for chord-distance spatial indexes."""
    phi, lmb = np.radians(lat), np.radians(lon)
    cos_phi = np.cos(phi)
    return np.column_stack([cos_phi * np.cos(lmb), cos_phi * np.sin(lmb), np.sin(phi)])


def chord_for_km(km: float) -> float:
    """Chord length on the unit sphere that corresponds to ``km`` along the surface."""
    angle = min(km / EARTH_RADIUS_KM, np.pi)
    return float(2 * np.sin(angle / 2))
