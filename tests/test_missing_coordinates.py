"""A row without coordinates under a distance rule is reported as missing, not as far away."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import banghdai as bd


@pytest.mark.parametrize("rule", [bd.MaxDistance(km=30), bd.Nearest(k=1)])
def test_missing_coordinates_warned_and_named_in_the_funnel(rule):
    mentors = pd.DataFrame({"mentor_id": ["A", "B"], "lat": [38.0, 38.1], "lon": [106.0, 106.1]})
    mentees = pd.DataFrame({"mentee_id": ["x", "y"], "lat": [38.0, np.nan],
                            "lon": [106.0, np.nan]})
    p = bd.Problem(mentors, mentees, pairing=bd.OneToMany(2)).require(rule)
    with pytest.warns(bd.DataWarning, match=r"1 mentees \(y\) have no coordinates"):
        result = p.solve()
    bd.validate(p, result.pairs).raise_if_invalid()
    assert result.pairs.mentee_id.tolist() == ["x"]
    why = result.unmatched.set_index("mentee_id")
    assert "coordinates known" in why.loc["y", "reason"]
    assert "coordinates known 0" in why.loc["y", "funnel"]
    with pytest.warns(bd.DataWarning):
        zh = bd.solve(p, lang="zh").unmatched.set_index("mentee_id")
    assert "经纬度齐全" in zh.loc["y", "reason"]


def test_no_warning_when_every_row_has_coordinates():
    mentors = pd.DataFrame({"mentor_id": ["A"], "lat": [38.0], "lon": [106.0]})
    mentees = pd.DataFrame({"mentee_id": ["x"], "lat": [38.0], "lon": [106.0]})
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error", bd.DataWarning)
        r = bd.Problem(mentors, mentees).require(bd.MaxDistance(km=5)).solve()
    assert "coordinates known" not in " ".join(r.unmatched.columns)
