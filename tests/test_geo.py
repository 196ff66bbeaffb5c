"""core.geo: the compiler's haversine and the validators' independent Vincenty formula agree."""

from __future__ import annotations

import numpy as np
import pytest

from banghdai.core.geo import EARTH_RADIUS_KM, haversine_km, vincenty_km


def test_vincenty_matches_haversine_on_random_points():
    rng = np.random.default_rng(0)
    lat1, lat2 = rng.uniform(-89, 89, (2, 2000))
    lon1, lon2 = rng.uniform(-180, 180, (2, 2000))
    np.testing.assert_allclose(vincenty_km(lat1, lon1, lat2, lon2),
                               haversine_km(lat1, lon1, lat2, lon2), rtol=1e-9, atol=1e-6)


@pytest.mark.parametrize(("a", "b", "km"), [
    ((0, 0), (0, 0), 0.0),
    ((0, 0), (0, 180), np.pi * EARTH_RADIUS_KM),          # antipodes: haversine's weak spot
    ((90, 0), (-90, 0), np.pi * EARTH_RADIUS_KM),
    ((0, 0), (0, 90), np.pi / 2 * EARTH_RADIUS_KM),
    ((38.47, 106.27), (38.47, 106.2700001), 0.0),          # a centimetre apart
])
def test_vincenty_known_distances(a, b, km):
    assert float(vincenty_km(*a, *b)) == pytest.approx(km, abs=1e-3)


def test_vincenty_accepts_scalars_lists_and_series():
    import pandas as pd

    got = vincenty_km(pd.Series([38.0, 39.0]), [106.0, 106.0], 38.0, pd.Series([106.0, 107.0]))
    assert got.shape == (2,) and got[0] == 0.0 and got[1] > 0
