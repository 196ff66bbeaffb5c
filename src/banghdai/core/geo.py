"""Great-circle geometry on numpy arrays.

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


def unit_vectors(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """Points on the unit sphere, shape (n, 3), for chord-distance spatial indexes."""
    phi, lmb = np.radians(lat), np.radians(lon)
    cos_phi = np.cos(phi)
    return np.column_stack([cos_phi * np.cos(lmb), cos_phi * np.sin(lmb), np.sin(phi)])


def chord_for_km(km: float) -> float:
    """Chord length on the unit sphere that corresponds to ``km`` along the surface."""
    angle = min(km / EARTH_RADIUS_KM, np.pi)
    return float(2 * np.sin(angle / 2))
