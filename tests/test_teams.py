"""Small teams (多对多、小团队): feasibility, infeasibility, brute-force optimality, validator."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import banghdai as bd

TYPES = ["专家型", "经验型", "群众型"]
TAGS = ["党建", "电商", "农业技术", "矛盾调解"]


# ----------------------------------------------------------------------------- instances
def random_instance(rng: np.random.Generator, n_regions: int = 1, max_m: int = 5, max_e: int = 5,
                    coords: bool = False, min_size: int = 1):
    """Tiny mentors/mentees tables with types, tags and (optionally) coordinates."""
    mrows, erows = [], []
    for r in range(n_regions):
        region = f"乡{r}"
        for _ in range(int(rng.integers(min(min_size, max_m), max_m + 1))):
            tags = rng.choice(TAGS, size=int(rng.integers(1, 3)), replace=False)
            mrows.append({"mentor_id": f"M{len(mrows)}", "township": region,
                          "type": TYPES[int(rng.integers(0, 3))], "domains": ";".join(tags),
                          "lat": 38.4 + rng.random() * 0.2, "lon": 106.2 + rng.random() * 0.2})
        for _ in range(int(rng.integers(min(min_size, max_e), max_e + 1))):
            tags = rng.choice(TAGS, size=int(rng.integers(0, 3)), replace=False)
            erows.append({"mentee_id": f"E{len(erows)}", "township": region,
                          "domains": "、".join(tags),
                          "lat": 38.4 + rng.random() * 0.2, "lon": 106.2 + rng.random() * 0.2})
    mentors, mentees = pd.DataFrame(mrows), pd.DataFrame(erows)
    if not coords:
        mentors, mentees = mentors.drop(columns=["lat", "lon"]), mentees.drop(columns=["lat", "lon"])
    return mentors, mentees


def random_rules(rng: np.random.Generator, mentors: pd.DataFrame, coords: bool = False) -> dict:
    lo_m = 1 if rng.random() < 0.7 else 2
    lo_e = 1 if rng.random() < 0.7 else 2
    rules: dict = {
        "team_mentors": (lo_m, lo_m + int(rng.integers(0, 3))),
        "team_mentees": (lo_e, lo_e + int(rng.integers(0, 3))),
        "cover_needs": bool(rng.random() < 0.3),
        "unmatched": "forbid" if rng.random() < 0.2 else "allow",
    }
    if rng.random() < 0.3:
        present = sorted(set(mentors.type))
        k = int(rng.integers(1, min(2, len(present)) + 1))
        rules["require_each"] = {"type": [str(v) for v in rng.choice(present, size=k, replace=False)]}
    objectives = [{"shared": 1}, {"covered": 1}, {"shared": 1, "covered": 2},
                  {"placed": 0.5, "shared": 1}, {"shared": 2, "placed": 0}]
    if coords:
        objectives.append({"shared": 1, "km": 0.1})
    rules["objective"] = objectives[int(rng.integers(0, len(objectives)))]
    if rng.random() < 0.2:
        rules["n_teams"] = (1, 2)
    return rules


# ----------------------------------------------------------------------------- brute force
def _tags(cell) -> set[str]:
    return {t for t in str(cell).replace("、", ";").split(";") if t} if isinstance(cell, str) else set()


def _km(a, b) -> float:
    p1, p2 = math.radians(a["lat"]), math.radians(b["lat"])
    dl = math.radians(b["lon"] - a["lon"])
    c = math.sin(p1) * math.sin(p2) + math.cos(p1) * math.cos(p2) * math.cos(dl)
    return 6371.0088 * math.acos(max(-1.0, min(1.0, c)))


def _partitions(n: int):
    """Every labelling of n mentees: -1 (no team) or a team, teams numbered by first member."""

    def rec(i: int, labels: list[int], k: int):
        if i == n:
            yield list(labels), k
            return
        for lab in [-1, *range(k + 1)]:
            labels.append(lab)
            yield from rec(i + 1, labels, max(k, lab + 1))
            labels.pop()

    yield from rec(0, [], 0)


def brute_region(mentors: pd.DataFrame, mentees: pd.DataFrame, rules: dict):
    """Best (placed, fit in 1/100 units) key of one region by enumerating every team formation.

    Returns (key, placed, fit) of the best formation or None when none is feasible.
    Mentors join at most ``rules["mentor_teams"]`` teams (an int or a column).
    """
    w = {"placed": None, "shared": 0.0, "covered": 0.0, "km": 0.0, **rules.get("objective", {})}
    lo_m, hi_m = rules.get("team_mentors", (1, 3))
    lo_e, hi_e = rules.get("team_mentees", (1, 5))
    forbid = rules.get("unmatched", "allow") == "forbid"
    n_lo, n_hi = rules.get("n_teams", (0, 99))
    cap_rule = rules.get("mentor_teams", 1)
    cap = mentors[cap_rule].tolist() if isinstance(cap_rule, str) else [cap_rule] * len(mentors)
    m_tags = [_tags(c) for c in mentors["domains"]]
    e_tags = [_tags(c) for c in mentees["domains"]]
    nM, nE = len(mentors), len(mentees)  # noqa: N806
    score = np.zeros((nM, nE))
    for i in range(nM):
        for j in range(nE):
            km = _km(mentors.iloc[i], mentees.iloc[j]) if w["km"] else 0.0
            score[i, j] = round(100 * (w["shared"] * len(m_tags[i] & e_tags[j]) - w["km"] * km))
    need = {}
    for comp_col, values in rules.get("require_each", {}).items():
        for v in values:
            need[v] = (mentors[comp_col] == v).to_numpy()
    best = None
    for labels, k in _partitions(nE):
        if forbid and -1 in labels:
            continue
        if not (n_lo <= k <= n_hi):
            continue
        members = [[j for j in range(nE) if labels[j] == t] for t in range(k)]
        if any(not (lo_e <= len(g) <= hi_e) for g in members):
            continue
        # every mentor: a set of at most cap teams (a bitmask), vectorised over all choices
        options = [[sum(1 << t for t in c) for n in range(min(cap[i], k) + 1)
                    for c in itertools.combinations(range(k), n)] for i in range(nM)]
        grid = np.array(list(itertools.product(*options)), dtype=np.int64).reshape(-1, nM)
        ok = np.ones(len(grid), dtype=bool)
        fit = np.zeros(len(grid))
        for t, g in enumerate(members):
            in_t = ((grid >> t) & 1).astype(bool)
            size = in_t.sum(axis=1)
            ok &= (size >= lo_m) & (size <= hi_m)
            for mask in need.values():
                ok &= (in_t & mask).sum(axis=1) >= 1
            for j in g:
                fit += in_t @ score[:, j]
                for tag in e_tags[j]:
                    offered = (in_t & np.array([tag in s for s in m_tags], dtype=bool)).any(axis=1)
                    if rules.get("cover_needs"):
                        ok &= offered
                    fit += round(100 * w["covered"]) * offered
        if not ok.any():
            continue
        placed = sum(len(g) for g in members)
        top = float(fit[ok].max())
        if forbid:
            key = (0.0, top)
        elif w["placed"] is None:
            key = (placed, top)
        else:
            key = (0.0, top + round(100 * w["placed"]) * placed)
        if best is None or key > best[0]:
            best = (key, placed, key[1])
    return best


# ----------------------------------------------------------------------------- checks
def assert_valid(result: bd.TeamResult) -> bd.Validation:
    v = bd.validate_teams(result.spec, result.teams)
    v.raise_if_invalid()
    assert v.objective == pytest.approx(result.objective, abs=1e-9)
    return v


@pytest.fixture
def township():
    mentors = pd.DataFrame({
        "mentor_id": ["M1", "M2", "M3", "M4", "M5", "M6"],
        "township": ["良田镇"] * 6,
        "type": ["专家型", "经验型", "群众型", "专家型", "经验型", "群众型"],
        "domains": ["党建;电商", "农业技术", "矛盾调解", "电商", "党建", "农业技术;矛盾调解"],
    })
    mentees = pd.DataFrame({
        "mentee_id": [f"E{i}" for i in range(1, 7)],
        "township": ["良田镇"] * 6,
        "domains": ["党建", "电商", "农业技术", "矛盾调解", "党建;电商", "农业技术"],
    })
    return mentors, mentees


def test_feasible_three_types_cover_needs(township):
    mentors, mentees = township
    before = (mentors.copy(deep=True), mentees.copy(deep=True))
    r = bd.form_teams(mentors, mentees, team_mentors=(3, 3), team_mentees=(2, 4),
                      require_each={"type": TYPES}, cover_needs=True, unmatched="forbid",
                      time_limit=10)
    assert r.status is bd.Status.OPTIMAL and r.gap == 0.0
    assert list(r.teams.columns) == ["region", "team", "member_id", "role"]
    assert r.placed == 6 and r.unplaced.empty
    types = dict(zip(mentors.mentor_id, mentors.type, strict=True))
    for _, team in r.teams.groupby("team"):
        assert sorted(types[m] for m in team.loc[team.role == "mentor", "member_id"]) == sorted(TYPES)
    assert_valid(r)
    s = r.summary()
    assert s["teams"] == 2 and s["mentees_placed"] == 6 and s["status"] == "OPTIMAL"
    pd.testing.assert_frame_equal(mentors, before[0])
    pd.testing.assert_frame_equal(mentees, before[1])


def test_infeasible_township_lacks_a_type(township):
    mentors, mentees = township
    other = mentors.assign(mentor_id=mentors.mentor_id + "x", township="望远镇")
    lacking = mentors.assign(type=mentors.type.replace({"群众型": "经验型"}))
    mentors = pd.concat([lacking, other], ignore_index=True)
    mentees = pd.concat([mentees, mentees.assign(mentee_id=mentees.mentee_id + "x",
                                                 township="望远镇")], ignore_index=True)
    r = bd.form_teams(mentors, mentees, require_each={"type": TYPES}, unmatched="forbid",
                      team_mentors=(3, 3), time_limit=10)
    assert r.status is bd.Status.INFEASIBLE
    assert r.teams.empty and r.objective is None
    assert dict(zip(r.regions.region, r.regions.status, strict=True)) == {
        "望远镇": "OPTIMAL", "良田镇": "INFEASIBLE"}
    reasons = r.unplaced.set_index("mentee_id").reason
    assert reasons[mentees.mentee_id[mentees.township == "良田镇"]].str.contains("群众型").all()
    with pytest.raises(bd.StatusError, match="INFEASIBLE"):
        r.raise_for_status()
    allow = bd.form_teams(mentors, mentees, require_each={"type": TYPES},
                          team_mentors=(3, 3), time_limit=10)
    assert allow.status is bd.Status.OPTIMAL and allow.placed == 6
    assert set(allow.teams.region) == {"望远镇"}
    assert_valid(allow)


def test_infeasible_by_search_not_counting():
    # two mentees whose needs no single small team can cover together, both must be placed
    mentors = pd.DataFrame({"mentor_id": ["A", "B"], "domains": ["党建", "电商"]})
    mentees = pd.DataFrame({"mentee_id": ["E1", "E2"], "domains": ["党建;电商", "党建;电商"]})
    r = bd.form_teams(mentors, mentees, region=None, team_mentors=(1, 1), team_mentees=(1, 2),
                      cover_needs=True, unmatched="forbid", time_limit=10)
    assert r.status is bd.Status.INFEASIBLE
    ok = bd.form_teams(mentors, mentees, region=None, team_mentors=(1, 2), team_mentees=(1, 2),
                       cover_needs=True, unmatched="forbid", time_limit=10)
    assert ok.status is bd.Status.OPTIMAL and ok.summary()["teams"] == 1


def test_regions_are_separate_and_reported():
    mentors = pd.DataFrame({"mentor_id": ["A", "B", "C", "D"], "乡镇": ["x", "x", "y", None]})
    mentees = pd.DataFrame({"mentee_id": ["E1", "E2", "E3", "E4"], "乡镇": ["x", "y", "y", None]})
    r = bd.form_teams(mentors, mentees, team_mentees=(1, 1), time_limit=10)
    assert set(r.regions.region) == {"x", "y"}
    merged = r.teams.merge(pd.concat([
        mentors.rename(columns={"mentor_id": "member_id"}),
        mentees.rename(columns={"mentee_id": "member_id"})]), on="member_id")
    assert (merged["region"] == merged["乡镇"]).all()
    assert "D" not in set(r.teams.member_id)
    # y has one mentor and two mentees in teams of one: one of E2/E3 is left out; E4 has no region
    assert r.placed == 2
    reasons = dict(zip(r.unplaced.mentee_id, r.unplaced.reason, strict=True))
    assert reasons["E4"] == "no region value"
    assert_valid(r)


def test_n_teams_forms_and_mentor_capacity():
    mentors = pd.DataFrame({"mentor_id": ["A", "B"], "township": "t", "cap": [2, 1],
                            "domains": ["党建", "电商"]})
    mentees = pd.DataFrame({"mentee_id": ["E1", "E2", "E3"], "township": "t", "k": 3,
                            "domains": ["党建", "党建", "电商"]})
    r = bd.form_teams(mentors, mentees, n_teams="k", team_mentees=(1, 1), mentor_teams="cap",
                      unmatched="forbid", time_limit=10)
    assert r.status is bd.Status.OPTIMAL and r.summary()["teams"] == 3
    assert (r.teams.member_id == "A").sum() == 2
    assert_valid(r)
    r2 = bd.form_teams(mentors, mentees, n_teams={"t": (0, 1)}, team_mentees=(1, 3), time_limit=10)
    assert r2.summary()["teams"] == 1
    assert bd.form_teams(mentors, mentees, n_teams=4, team_mentees=(1, 1),
                         time_limit=10).status is bd.Status.INFEASIBLE


def test_km_objective_keeps_teams_close():
    mentors = pd.DataFrame({"mentor_id": ["near", "far"], "lat": [38.50, 39.50],
                            "lon": [106.30, 106.30]})
    mentees = pd.DataFrame({"mentee_id": ["E"], "lat": [38.51], "lon": [106.30]})
    r = bd.form_teams(mentors, mentees, region=None, team_mentors=(1, 2),
                      objective={"km": 1}, time_limit=10)
    assert r.teams.loc[r.teams.role == "mentor", "member_id"].tolist() == ["near"]
    v = bd.validate_teams(r.spec, r.teams)
    assert v.ok and v.objective == pytest.approx(r.objective, abs=0.02)
    assert r.objective == pytest.approx(-1.11, abs=0.01)


# ----------------------------------------------------------------------------- brute force
@pytest.mark.parametrize("seed", range(60))
def test_brute_force_optimal_tiny(seed):
    rng = np.random.default_rng(1000 + seed)
    coords = seed % 4 == 3
    two = seed % 3 == 2
    shared = seed % 5 == 4  # mentors may join two teams: at most 4 x 4
    size = 3 if two else 4 if shared else 5
    mentors, mentees = random_instance(rng, n_regions=1 + two, coords=coords, min_size=3,
                                       max_m=size, max_e=size)
    rules = random_rules(rng, mentors, coords=coords)
    if shared:
        mentors = mentors.assign(cap=rng.integers(1, 3, size=len(mentors)))
        rules["mentor_teams"] = "cap"
    r = bd.form_teams(mentors, mentees, time_limit=20, **rules)
    bests = [brute_region(mentors[mentors.township == g].reset_index(drop=True),
                          mentees[mentees.township == g].reset_index(drop=True), rules)
             for g in sorted(mentees.township.unique())]
    if any(b is None for b in bests):
        assert r.status is bd.Status.INFEASIBLE, (rules, r.regions)
        return
    assert r.status is bd.Status.OPTIMAL, (rules, r.regions)
    tol = 0.02 * len(mentors) * len(mentees) if coords else 1e-9
    assert r.objective == pytest.approx(sum(b[2] for b in bests) / 100, abs=tol), rules
    if "placed" not in rules["objective"] and rules["unmatched"] == "allow":
        assert r.placed == sum(b[1] for b in bests)  # lexicographic: most placed first
        assert (r.regions.placed_bound == r.regions.placed).all()
    v = bd.validate_teams(r.spec, r.teams)
    assert v.ok and v.objective == pytest.approx(r.objective, abs=tol)


# ----------------------------------------------------------------------------- validator
def reference_violations(mentors, mentees, rules, teams) -> set[str]:
    """Rule names broken by a teams table, by plain Python loops (cap 1 per mentor)."""
    lo_m, hi_m = rules["team_mentors"]
    lo_e, hi_e = rules["team_mentees"]
    region_of = {**dict(zip(mentors.mentor_id, mentors.township, strict=True)),
                 **dict(zip(mentees.mentee_id, mentees.township, strict=True))}
    mtype = dict(zip(mentors.mentor_id, mentors.type, strict=True))
    mtags = {m: _tags(c) for m, c in zip(mentors.mentor_id, mentors.domains, strict=True)}
    etags = {e: _tags(c) for e, c in zip(mentees.mentee_id, mentees.domains, strict=True)}
    broken = set()
    groups = {}
    for row in teams.itertuples(index=False):
        groups.setdefault((row.region, row.team), []).append((row.member_id, row.role))
        if region_of[row.member_id] != row.region:
            broken.add("region")
    seen_e, seen_m = {}, {}
    for key, members in groups.items():
        ms = [m for m, role in members if role == "mentor"]
        es = [e for e, role in members if role == "mentee"]
        if not lo_m <= len(ms) <= hi_m:
            broken.add("team mentors")
        if not lo_e <= len(es) <= hi_e:
            broken.add("team mentees")
        for e in es:
            seen_e.setdefault(e, set()).add(key)
        for m in ms:
            seen_m.setdefault(m, set()).add(key)
        for v in rules.get("require_each", {}).get("type", []):
            if not any(mtype[m] == v for m in ms):
                broken.add("require_each type")
        if rules["cover_needs"]:
            offered = set().union(*(mtags[m] for m in ms)) if ms else set()
            if any(not etags[e] <= offered for e in es):
                broken.add("cover_needs")
    if any(len(k) > 1 for k in seen_e.values()):
        broken.add("mentee in one team")
    if any(len(k) > 1 for k in seen_m.values()):
        broken.add("mentor_teams")
    if rules["unmatched"] == "forbid" and set(mentees.mentee_id) - set(seen_e):
        broken.add("unplaced")
    lo_n, hi_n = rules.get("n_teams", (0, 10**9))
    for g in set(mentees.township):
        n = sum(1 for (reg, _) in groups if reg == g)
        if not lo_n <= n <= hi_n:
            broken.add("n_teams")
    return broken


@settings(max_examples=20, derandomize=True, deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10**6), n_teams=st.integers(1, 3), perturb=st.booleans())
def test_validator_agrees_with_reference(seed, n_teams, perturb):
    rng = np.random.default_rng(seed)
    mentors, mentees = random_instance(rng, n_regions=2, max_m=4, max_e=4)
    rules = random_rules(rng, mentors)
    rules.pop("objective")
    spec = bd.Teams(mentors, mentees, **rules)
    if perturb:  # an arbitrary, usually broken, teams table
        rows = []
        for who, role in ((mentors, "mentor"), (mentees, "mentee")):
            for mid, reg in zip(who.iloc[:, 0], who.township, strict=True):
                t = int(rng.integers(0, n_teams + 1))
                if t:
                    other = "乡0" if rng.random() < 0.1 else reg
                    rows.append((other, t, mid, role))
        teams = pd.DataFrame(rows, columns=["region", "team", "member_id", "role"])
    else:
        result = spec.solve(time_limit=10)
        teams = result.teams
        if result.status.has_solution:
            assert bd.validate_teams(spec, teams).objective == pytest.approx(result.objective)
    got = set(bd.validate_teams(spec, teams).violations.rule)
    assert got == reference_violations(mentors, mentees, rules, teams)


def test_validator_flags_unknown_ids_roles_and_duplicates(township):
    mentors, mentees = township
    spec = bd.Teams(mentors, mentees, team_mentors=(1, 2), team_mentees=(1, 2))
    teams = pd.DataFrame({"region": "良田镇", "team": 1,
                          "member_id": ["M1", "M1", "E1", "ZZ", "E2"],
                          "role": ["mentor", "mentor", "mentee", "mentee", "boss"]})
    rules = set(bd.validate_teams(spec, teams).violations.rule)
    assert rules == {"duplicate member", "unknown id", "role"}
    with pytest.raises(bd.InputError, match="team"):
        bd.validate_teams(spec, teams.drop(columns=["team"]))


# ----------------------------------------------------------------------------- bad input
def test_bad_input_errors(township):
    mentors, mentees = township
    with pytest.raises(bd.InputError) as err:
        bd.Teams(mentors, mentees, region="county")
    assert err.value.column == "county" and "township" in err.value.choices
    with pytest.raises(bd.InputError) as err:
        bd.Teams(mentors, mentees, require_each={"tier": ["city"]})
    assert err.value.table == "mentors" and err.value.column == "tier"
    with pytest.raises(bd.InputError) as err:
        bd.Teams(mentors, mentees, require_each={"type": ["专家", "群众型"]})
    assert "专家型" in err.value.choices
    for bad in [(0, 2), (3, 2), (1,), "2", (1.5, 2), True]:
        with pytest.raises(bd.InputError) as err:
            bd.Teams(mentors, mentees, team_mentees=bad)
        assert err.value.column == "team_mentees"
    with pytest.raises(bd.InputError):
        bd.Teams(mentors, mentees, team_mentors=(2, 1))
    with pytest.raises(bd.InputError) as err:
        bd.Teams(mentors, mentees, objective={"fit": 1})
    assert "shared" in err.value.choices
    with pytest.raises(bd.InputError):
        bd.Teams(mentors, mentees, objective={"shared": -1})
    with pytest.raises(bd.InputError):
        bd.Teams(mentors, mentees, objective={"km": 1})  # no lat/lon
    with pytest.raises(bd.InputError) as err:
        bd.Teams(mentors, mentees, n_teams={"月亮镇": 2})
    assert err.value.choices == ["良田镇"]
    with pytest.raises(bd.InputError):
        bd.Teams(mentors, mentees, n_teams=(3, 1))
    with pytest.raises(bd.InputError):
        bd.Teams(mentors, mentees, unmatched="never")
    with pytest.raises(bd.InputError):
        bd.Teams(mentors, mentees, mentor_teams=0)
    with pytest.raises(bd.InputError):
        bd.Teams(mentors.drop(columns=["domains"]), mentees, cover_needs=True)
    with pytest.raises(bd.InputError) as err:
        bd.Teams(mentors, mentees.assign(k=["2", "2", "2", "x", "2", "2"]), n_teams="k")
    assert err.value.row == 3 and err.value.table == "mentees"
    with pytest.raises(bd.InputError):
        bd.Teams(mentors, mentees).solve(time_limit=0)


def test_inputs_unchanged_and_deterministic():
    rng = np.random.default_rng(7)
    mentors, mentees = random_instance(rng, n_regions=2, max_m=5, max_e=5)
    before = (mentors.copy(deep=True), mentees.copy(deep=True))
    rules = {"team_mentors": (1, 2), "team_mentees": (1, 3), "objective": {"shared": 1}}
    a = bd.form_teams(mentors, mentees, time_limit=10, **rules)
    b = bd.form_teams(mentors, mentees, time_limit=10, **rules)
    assert a.status is bd.Status.OPTIMAL
    assert a.objective == b.objective and a.placed == b.placed
    pd.testing.assert_frame_equal(mentors, before[0])
    pd.testing.assert_frame_equal(mentees, before[1])


def test_yinchuan_two_townships_time_limited():
    mentors, mentees = bd.load_sample("yinchuan")
    keep = ["崇兴镇", "掌政镇"]
    r = bd.form_teams(mentors[mentors.township.isin(keep)], mentees[mentees.township.isin(keep)],
                      team_mentors=(3, 4), team_mentees=(2, 6),
                      require_each={"type": TYPES}, cover_needs=True, time_limit=8)
    assert r.status.has_solution and r.gap is not None and r.gap >= 0
    assert list(r.regions.region) == keep
    assert (r.regions.placed_bound >= r.regions.placed).all()
    assert_valid(r)


def test_tiny_time_limit_still_gives_checked_teams():
    # CP-SAT gets 0.05 s on a 22 x 28 township: the heuristic hint carries the answer
    mentors, mentees = bd.load_sample("yinchuan")
    r = bd.form_teams(mentors[mentors.township == "习岗镇"], mentees[mentees.township == "习岗镇"],
                      time_limit=0.05)
    assert r.status.has_solution and r.placed == 28
    assert r.bound >= r.objective > 0
    assert_valid(r)


# ----------------------------------------------------------------------------- package layout
def test_package_split_by_job_keeps_public_path():
    import banghdai.apps.teams as teams
    from banghdai.apps.teams import heuristic, model, result, spec, validation

    assert bd.Teams is teams.Teams is spec.Teams
    assert bd.TeamResult is teams.TeamResult is result.TeamResult
    assert bd.form_teams is teams.form_teams is spec.form_teams
    assert bd.validate_teams is teams.validate_teams is validation.validate_teams
    assert callable(model._solve_region) and callable(heuristic._heuristic)


@pytest.mark.parametrize("seed", range(12))
def test_heuristic_teams_keep_every_rule(seed):
    """The hint heuristic alone: whatever it returns passes validate_teams."""
    from banghdai.apps.teams.model import _need_offers, _pair_scores, _RegionModel

    rng = np.random.default_rng(100 + seed)
    mentors, mentees = random_instance(rng, n_regions=1, max_m=6, max_e=8, min_size=2)
    rules = random_rules(rng, mentors)
    rules.pop("n_teams", None)
    spec = bd.Teams(mentors, mentees, **rules)
    m = np.arange(len(mentors))
    e = np.arange(len(mentees))
    needs, offers = _need_offers(spec)
    n_max = min(len(e) // spec.team_mentees[0], len(m) // spec.team_mentors[0])
    if n_max == 0:
        return
    rm = _RegionModel(spec, m, e, (0, None), n_max, needs, offers, _pair_scores(spec))
    found = rm.heuristic(seed, 1.0)  # the region's data alone: no model is built for it
    if found is None:
        return
    rows = [(k, i, "mentor") for k, (ms, _) in enumerate(rm.rows_of(found), 1) for i in ms]
    rows += [(k, j, "mentee") for k, (_, es) in enumerate(rm.rows_of(found), 1) for j in es]
    table = pd.DataFrame({
        "region": "乡0", "team": [k for k, _, _ in rows],
        "member_id": [(mentors.mentor_id if r == "mentor" else mentees.mentee_id).iloc[i]
                      for _, i, r in rows],
        "role": [r for _, _, r in rows]})
    v = bd.validate_teams(spec, table)
    assert v.ok, v.violations
    # the model's own count of the heuristic's teams matches the validator's
    if not (spec.objective["placed"] is None and spec.unmatched != "forbid"):
        return
    placed = sum(len(es) for _, es in found)
    assert rm.value(rm.rows_of(found)) - rm.big * placed == round(v.objective * 100)
