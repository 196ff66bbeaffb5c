"""Explanations: unmatched reasons, pre-solve checks, conflicts (planted), relaxation, pairs."""

from __future__ import annotations

import copy
import dataclasses
import itertools

import numpy as np
import pandas as pd
import pytest

import banghdai as bd
from banghdai.explain.diagnostic import _diagnostic
from banghdai.explain.relax import _relax, _relax_costs, _relax_flow
from banghdai.explain.words import rule_label

#: explain's time limit in these tests: ample, so that "minimal" (every deletion test
#: answered) holds on a loaded machine too; a quiet one finishes in a few seconds
SLACK = 120.0


# --------------------------------------------------------------------------- fixtures
@pytest.fixture(scope="module")
def yinchuan_forbid():
    """The Yinchuan sample made feasible with unmatched='forbid' (its short mentees removed)."""
    roster = bd.load_sample("yinchuan")
    first = roster.problem().solve()
    short = set(first.unmatched.mentee_id)
    mentees = roster.mentees[~roster.mentees.mentee_id.isin(short)].reset_index(drop=True)
    forbidden = roster.forbidden[~roster.forbidden.mentee_id.isin(short)]
    rules = copy.deepcopy(roster.rules)
    rules["pairing"]["unmatched"] = "forbid"
    base = dataclasses.replace(roster, mentees=mentees, forbidden=forbidden)
    return base, rules


def build(base, rules, **tables) -> bd.Problem:
    return bd.problem_from_rules(dataclasses.replace(base, **tables), rules)


def conflict_set(ex: bd.Explanation, n: int = 1) -> set[tuple[str, str]]:
    rows = ex.conflicts[ex.conflicts["conflict"] == n]
    return set(zip(rows["kind"], rows["subject"], strict=True))


def assert_relaxation_listed(problem: bd.Problem, ex: bd.Explanation) -> None:
    """The relaxed problem differs from the original exactly by the listed relaxations."""
    relaxed, listing = ex.relaxed_problem, ex.relaxations
    assert ex.result is not None and ex.result.status.has_solution
    bd.validate(relaxed, ex.pairs).raise_if_invalid()
    assert bd.validate(relaxed, ex.pairs).objective == pytest.approx(ex.result.objective)
    listed = {(k, s): a for k, s, a in zip(listing["kind"], listing["subject"], listing["amount"],
                                           strict=True)}
    pair = problem.pairing
    cap_old = pd.to_numeric(problem.mentors[pair.capacity]).to_numpy() if isinstance(
        pair.capacity, str) else np.full(len(problem.mentors), pair.capacity)
    rp = relaxed.pairing
    cap_new = pd.to_numeric(relaxed.mentors[rp.capacity]).to_numpy() if isinstance(
        rp.capacity, str) else np.full(len(relaxed.mentors), rp.capacity)
    for i in np.flatnonzero(cap_new != cap_old):
        assert listed.pop(("capacity", problem.mentor_table.ids[i])) == cap_new[i] - cap_old[i]
    need_old = pd.to_numeric(problem.mentees[pair.mentors_per_mentee]).to_numpy() if isinstance(
        pair.mentors_per_mentee, str) else np.full(len(problem.mentees), pair.mentors_per_mentee)
    need_new = pd.to_numeric(relaxed.mentees[rp.mentors_per_mentee]).to_numpy() if isinstance(
        rp.mentors_per_mentee, str) else np.full(len(relaxed.mentees), rp.mentors_per_mentee)
    for i in np.flatnonzero(need_new != need_old):
        assert listed.pop(("unmatched", problem.mentee_table.ids[i])) == need_old[i] - need_new[i]
    lo_old = pd.to_numeric(problem.mentors[pair.min_load]).to_numpy() if isinstance(
        pair.min_load, str) else np.full(len(problem.mentors), pair.min_load)
    lo_new = pd.to_numeric(relaxed.mentors[rp.min_load]).to_numpy() if isinstance(
        rp.min_load, str) else np.full(len(relaxed.mentors), rp.min_load)
    for i in np.flatnonzero(lo_new != lo_old):
        assert listed.pop(("min_load", problem.mentor_table.ids[i])) == lo_old[i] - lo_new[i]
    old_fixed = set().union(*[set(zip(f.table[f.mentor].astype(str), f.table[f.mentee].astype(str),
                                      strict=True)) for f in problem.fixed] or [set()])
    new_fixed = set().union(*[set(zip(f.table[f.mentor].astype(str), f.table[f.mentee].astype(str),
                                      strict=True)) for f in relaxed.fixed] or [set()])
    for m, e in old_fixed - new_fixed:
        assert listed.pop(("fixed", f"({m}, {e})")) == 1
    quotas_old = [q for q in problem.group_rules if isinstance(q, bd.Quota)]
    quotas_new = [q for q in relaxed.group_rules if isinstance(q, bd.Quota)]
    for qo, qn in zip(quotas_old, quotas_new, strict=True):
        for bound in ("min", "max"):
            old, new = getattr(qo, bound) or {}, getattr(qn, bound) or {}
            for name in set(old) | set(new):
                if old.get(name) != new.get(name):
                    key = ("group", f"{qo.side} {qo.column}={name}")
                    assert key in listed
                    listed.pop(key)
    assert not listed, f"relaxations listed but not applied: {listed}"


# --------------------------------------------------------------------------- planted conflicts
def test_planted_capacity_short_in_one_county(yinchuan_forbid):
    base, rules = yinchuan_forbid
    assert bd.explain(build(base, rules)).feasible
    mentors = base.mentors.copy()
    inside = (mentors.county == "金凤区").to_numpy()
    need = int(base.mentees.loc[base.mentees.county == "金凤区", "mentors_required"].sum())
    cap = mentors.loc[inside, "capacity"].to_numpy().copy()
    excess, i = int(cap.sum()) - (need - 3), 0
    while excess > 0:  # take places away round-robin until the county is 3 short
        if cap[i % cap.size] > 0:
            cap[i % cap.size] -= 1
            excess -= 1
        i += 1
    mentors.loc[inside, "capacity"] = cap
    problem = build(base, rules, mentors=mentors)
    ex = bd.explain(problem, relax=True, time_limit=SLACK)
    assert ex.feasible is False and ex.minimal and len(ex.messages) == 1
    assert conflict_set(ex) == {("capacity", "金凤区"), ("must", "金凤区")}
    assert "capacity of 金凤区 mentors" in ex.messages[0] and f"({need})" in ex.messages[0]
    assert ex.relaxations["amount"].sum() == 3  # exactly the shortage
    assert set(ex.relaxations["region"]) == {"金凤区"}
    assert_relaxation_listed(problem, ex)
    findings = bd.check(problem)
    assert ((findings["check"] == "capacity") & (findings["subject"] == "金凤区")
            & (findings["severity"] == "error")).any()


def test_planted_fixed_pair_breaking_distance(yinchuan_forbid):
    base, rules = yinchuan_forbid
    problem = build(base, rules)
    from banghdai.explain.common import broken_rules

    n_m, n_e = len(problem.mentors), len(problem.mentees)
    m = np.repeat(np.arange(n_m), n_e)
    e = np.tile(np.arange(n_e), n_m)
    same = problem.mentors.county.to_numpy()[m] == problem.mentees.county.to_numpy()[e]
    m, e = m[same], e[same]
    only = [(a, b) for a, b, r in zip(m, e, broken_rules(problem, m, e), strict=True)
            if r == ["within 60 km"]]
    mi, ei = only[0]
    pair = (problem.mentor_table.ids[mi], problem.mentee_table.ids[ei])
    fixed = pd.concat([base.fixed, pd.DataFrame({"mentor_id": [pair[0]],
                                                 "mentee_id": [pair[1]]})], ignore_index=True)
    planted = build(base, rules, fixed=fixed)
    with pytest.raises(bd.InputError):
        planted.compile()  # solving refuses it; check and explain report it instead
    findings = bd.check(planted)
    hit = findings[findings["check"] == "fixed_pair"]
    assert hit["subject"].tolist() == [f"({pair[0]}, {pair[1]})"]
    assert "'within 60 km'" in hit["message"].iloc[0] and "km)" in hit["message"].iloc[0]
    ex = bd.explain(planted, relax=True, time_limit=SLACK)
    assert ex.minimal and len(ex.messages) == 1
    assert conflict_set(ex) == {("fixed", f"({pair[0]}, {pair[1]})"), ("rule", "within 60 km")}
    names = (problem.mentors["name"].iloc[mi], problem.mentees["name"].iloc[ei])
    # the message names the pair as the roster does: id and name
    assert ex.messages[0].startswith(
        f"fixed pair ({pair[0]} {names[0]}, {pair[1]} {names[1]}) breaks rule")
    assert ex.relaxations[["kind", "subject"]].values.tolist() == [
        ["fixed", f"({pair[0]}, {pair[1]})"]]
    assert_relaxation_listed(planted, ex)


def test_planted_mentee_with_no_candidate(yinchuan_forbid):
    base, rules = yinchuan_forbid
    extra = base.mentees.iloc[[0]].copy()
    extra["mentee_id"] = "E9999"
    extra["domains"] = "航天"  # no mentor shares it
    problem = build(base, rules, mentees=pd.concat([base.mentees, extra], ignore_index=True))
    ex = bd.explain(problem, relax=True, lang="zh", time_limit=SLACK)
    assert ex.minimal and conflict_set(ex) == {("mentee", "E9999")}
    assert "E9999" in ex.messages[0] and "领域相同≥1项" in ex.messages[0]
    assert ex.relaxations[["kind", "subject", "amount"]].values.tolist() == [
        ["unmatched", "E9999", 1]]
    assert_relaxation_listed(problem, ex)
    findings = bd.check(problem)
    row = findings[findings["check"] == "no_candidate"]
    assert row["subject"].tolist() == ["E9999"]
    assert "'shares >= 1 domain'" in row["message"].iloc[0]


def test_planted_type_quota_with_no_such_mentor(yinchuan_forbid):
    base, rules = yinchuan_forbid
    mentors = base.mentors.copy()
    grass = (mentors.type == "群众型").to_numpy()
    mentors.loc[grass, "domains"] = "无"  # no 群众型 mentor shares a domain with anyone
    mentors.loc[~grass, "capacity"] += 2  # the others make up for them
    problem = build(base, rules, mentors=mentors)
    assert bd.explain(problem).feasible
    problem.require(bd.Quota("type", side="mentor", min={"群众型": 5}))
    ex = bd.explain(problem, relax=True, time_limit=SLACK)
    assert ex.minimal and len(ex.messages) == 1
    assert conflict_set(ex) == {("group", "mentor type=群众型: pairs >= 5")}
    assert "quota on mentor type" in ex.messages[0]
    assert ex.relaxations[["kind", "amount"]].values.tolist() == [["group", 5]]
    assert_relaxation_listed(problem, ex)
    findings = bd.check(problem)
    row = findings[findings["check"] == "quota"]
    assert row["subject"].tolist() == ["type=群众型"] and "at most 0 possible" in row[
        "message"].iloc[0]


def test_several_independent_conflicts_are_all_named():
    mentors = pd.DataFrame({"mentor_id": ["A1", "B1", "C1"], "county": ["A", "B", "C"],
                            "capacity": [1, 1, 5], "min_load": [0, 0, 0]})
    mentees = pd.DataFrame({"mentee_id": ["a1", "a2", "b1", "b2", "c1"],
                            "county": ["A", "A", "B", "B", "C"]})
    p = bd.Problem(mentors, mentees, pairing=bd.OneToMany("capacity", unmatched="forbid"))
    p.require(bd.SameRegion("county"))
    ex = bd.explain(p)
    assert ex.minimal and len(ex.messages) == 2
    found = {frozenset(conflict_set(ex, n)) for n in (1, 2)}
    assert found == {frozenset({("capacity", "A"), ("must", "A")}),
                     frozenset({("capacity", "B"), ("must", "B")})}
    assert "infeasible: 2 minimal set(s)" in str(ex)


def test_conflict_drills_down_to_one_mentor_and_its_fixed_pairs():
    mentors = pd.DataFrame({"mentor_id": ["M1", "M2", "M3"], "capacity": [1, 2, 2]})
    mentees = pd.DataFrame({"mentee_id": ["E1", "E2", "E3"]})
    fixed = pd.DataFrame({"mentor_id": ["M1", "M1"], "mentee_id": ["E1", "E2"]})
    p = bd.Problem(mentors, mentees, pairing=bd.OneToMany("capacity")).fix(fixed)
    with pytest.raises(bd.InputError):
        p.compile()
    assert bd.check(p)["check"].tolist() == ["fixed_capacity"]
    ex = bd.explain(p, relax=True)
    assert conflict_set(ex) == {("mentor_cap", "M1"), ("fixed", "(M1, E1)"),
                                ("fixed", "(M1, E2)")}
    assert ex.relaxations["amount"].sum() == 1
    assert_relaxation_listed(p, ex)


def test_min_load_conflict_and_its_relaxation_by_cpsat():
    mentors = pd.DataFrame({"mentor_id": ["M1", "M2"], "capacity": [3, 3], "lo": [2, 0],
                            "county": ["A", "B"]})
    mentees = pd.DataFrame({"mentee_id": ["E1", "E2", "E3"], "county": ["A", "B", "B"]})
    p = bd.Problem(mentors, mentees, pairing=bd.OneToMany("capacity", min_load="lo"))
    p.require(bd.SameRegion("county"))
    assert bd.check(p)["check"].tolist() == ["min_load", "min_load"]
    ex = bd.explain(p, relax=True)
    assert conflict_set(ex) == {("mentor", "M1")}
    assert ex.relaxations[["kind", "subject", "amount"]].values.tolist() == [["min_load", "M1", 1]]
    assert_relaxation_listed(p, ex)


def test_distinct_types_missing_in_reach():
    # one county: a single component
    mentors = pd.DataFrame({"mentor_id": ["A", "B", "C"], "type": ["专家型", "专家型", "经验型"],
                            "county": ["X", "X", "X"], "capacity": [2, 2, 2]})
    mentees = pd.DataFrame({"mentee_id": ["E1", "E2"], "county": ["X", "X"], "k": [3, 1]})
    p = bd.Problem(mentors, mentees, pairing=bd.ManyToMany("capacity", "k", unmatched="forbid"))
    p.require(bd.SameRegion("county"), bd.DistinctTypes("type"))
    findings = bd.check(p)
    assert findings["check"].tolist() == ["types"]
    assert "E1" in findings["message"].iloc[0] and "only 2" in findings["message"].iloc[0]
    ex = bd.explain(p, relax=True)
    assert conflict_set(ex) == {("mentee", "E1"), ("group", "distinct type per mentee")}
    assert ex.relaxations[["kind", "subject", "amount"]].values.tolist() == [["unmatched", "E1", 1]]
    assert_relaxation_listed(p, ex)


def test_feasible_problem_explains_as_feasible_and_relax_returns_its_solution():
    roster = bd.load_sample("fanxian")
    p = roster.problem()
    ex = bd.explain(p, relax=True)
    assert ex.feasible and ex.conflicts.empty and ex.relaxations.empty
    assert ex.result.objective == pytest.approx(p.solve().objective)
    assert str(ex).startswith("feasible")


def test_flow_and_cpsat_relaxations_cost_the_same():
    rng = np.random.default_rng(5)
    for _ in range(6):
        n_m, n_e = 5, 8
        mentors = pd.DataFrame({"mentor_id": [f"M{i}" for i in range(n_m)],
                                "county": rng.choice(["A", "B"], n_m),
                                "capacity": rng.integers(0, 3, n_m),
                                "rating": rng.integers(3, 6, n_m)})
        mentees = pd.DataFrame({"mentee_id": [f"E{i}" for i in range(n_e)],
                                "county": rng.choice(["A", "B"], n_e),
                                "k": rng.integers(1, 3, n_e), "rating": rng.integers(1, 5, n_e)})
        p = bd.Problem(mentors, mentees, pairing=bd.ManyToMany("capacity", "k",
                                                                unmatched="forbid"))
        p.require(bd.SameRegion("county"), bd.Stronger("rating")).prefer(bd.StrongToWeak())
        d = _diagnostic(p, "en")
        costs = _relax_costs({})
        state_f, flow = _relax_flow(d, costs)
        state_c, sat = _relax(d, costs, 10, 0)
        assert state_f == "optimal" and state_c == "optimal"

        def total(s):
            return int(s["capacity"].sum() + s["unmatched"].sum() + s["fixed"].sum())

        assert total(flow) == total(sat)


# --------------------------------------------------------------------------- unmatched reasons
def small_full():
    mentors = pd.DataFrame({"mentor_id": ["M1", "M2"], "name": ["张三", "李四"],
                            "county": ["A", "A"], "capacity": [1, 1], "rating": [5, 4]})
    mentees = pd.DataFrame({"mentee_id": ["E1", "E2", "E3", "E4"], "county": ["A", "A", "A", "B"],
                            "rating": [1, 2, 3, 1]})
    p = bd.Problem(mentors, mentees, pairing=bd.OneToMany("capacity"))
    return p.require(bd.SameRegion("county"), bd.Stronger("rating")).prefer(bd.StrongToWeak())


def test_unmatched_reasons_funnel_and_full_mentors_in_two_languages():
    p = small_full()
    en = bd.solve(p).unmatched.set_index("mentee_id")
    assert en.loc["E4", "reason"] == "no candidate mentor: none left after rule 'same county'"
    assert en.loc["E4", "funnel"] == "2 mentors → same county 0 → stronger by rating 0"
    assert en.loc["E3", "reason"] == "all 2 candidate mentors are at capacity"
    assert en.loc["E3", "funnel"] == "2 mentors → same county 2 → stronger by rating 2"
    full = en.loc["E3", "full_mentors"]
    assert "M1 张三 full 1/1 with E" in full and "M2 李四 full 1/1 with E" in full
    zh = bd.solve(p, lang="zh").unmatched.set_index("mentee_id")
    assert zh.loc["E4", "reason"] == "没有候选导师：经“同县区”规则筛选后无人符合"
    assert zh.loc["E4", "funnel"] == "导师2名 → 同县区0 → 评分高于对象0"
    assert zh.loc["E3", "reason"] == "2名候选导师均已满额"
    assert "已满1/1" in zh.loc["E3", "full_mentors"]
    with pytest.raises(bd.InputError):
        bd.solve(p, lang="fr")


def test_rule_labels_in_chinese():
    forbidden = pd.DataFrame({"mentor_id": ["M"], "mentee_id": ["E"]})
    rules = [bd.SameRegion("township"), bd.MaxDistance(km=25), bd.Nearest(5),
             bd.SharesDomain(min_shared=2), bd.Stronger("rating"), bd.AvoidSame("village"),
             bd.ForbiddenPairs(forbidden)]
    english = [r.label() for r in rules]
    assert english == ["same township", "within 25 km", "5 nearest", "shares >= 2 domain",
                       "stronger by rating", "different village", "not forbidden"]
    # a funnel name is shown in Chinese by re-rendering the rule's message code
    assert [rule_label(n, "zh") for n in english] == [r.label("zh") for r in rules] == [
        "同乡镇", "25公里内", "最近5名", "领域相同≥2项", "评分高于对象", "不同村", "未被禁止"]


# --------------------------------------------------------------------------- check
def test_check_on_the_yinchuan_sample_predicts_the_unmatched():
    roster = bd.load_sample("yinchuan")
    p = roster.problem()
    findings = bd.check(p)
    r = p.solve()
    short = findings[(findings["check"] == "capacity") & findings["subject"].isin(
        set(p.mentees.county))]
    # Hall's bound per county equals the places left unfilled there
    missing = (r.unmatched.assign(county=r.unmatched.mentee_id.map(
        p.mentees.set_index("mentee_id").county)).assign(gap=lambda f: f.needed - f.got)
        .groupby("county").gap.sum())
    got = {s: int(m.split("short by ")[1].rstrip(")")) for s, m in zip(
        short["subject"], short["message"], strict=True)}
    assert got == missing.to_dict()
    assert set(findings["severity"]) == {"warning"}
    assert findings["suggestion"].str.len().gt(10).all()
    zh = bd.check(p, lang="zh")
    assert zh["message"].str.contains("缺").all()


def test_check_quota_bounds_and_category():
    mentors = pd.DataFrame({"mentor_id": ["A", "B"], "tier": ["city", "county"],
                            "capacity": [1, 1]})
    mentees = pd.DataFrame({"mentee_id": ["E1", "E2", "E3"], "category": ["x", "x", "y"]})
    p = bd.Problem(mentors, mentees, pairing=bd.OneToMany("capacity", unmatched="forbid"))
    p.require(bd.Quota("category", side="mentee", max={"x": 1}))
    findings = bd.check(p)
    assert set(findings["check"]) == {"capacity", "quota"}
    q = findings[findings["check"] == "quota"]
    assert q["subject"].tolist() == ["category=x"] and "at least 2 forced" in q["message"].iloc[0]


# --------------------------------------------------------------------------- per pair
def test_explain_pairs_alternative_cost_is_the_objective_change():
    roster = bd.load_sample("fanxian")
    p = roster.problem()
    r = p.solve()
    ex = r.explain_pairs(p)
    assert len(ex) == len(r.pairs) and (ex["rank"] >= 1).all()
    assert (ex["rank"] <= ex["candidates"]).all()
    assert ex["score"].to_numpy() == pytest.approx(r.pairs["score"].to_numpy())
    base = bd.validate(p, r.pairs).objective
    with_alt = ex[ex["alt_mentor_id"] != "none"]
    assert len(with_alt) > 0
    for k in with_alt.index[:15]:
        moved = r.pairs[["mentor_id", "mentee_id"]].copy()
        moved.loc[k, "mentor_id"] = ex.loc[k, "alt_mentor_id"]
        v = bd.validate(p, moved)
        assert v.ok  # the alternative had free capacity and passes every rule
        assert v.objective - base == pytest.approx(ex.loc[k, "objective_change"], abs=1e-6)
    # optimal pairing: no single move improves it
    assert (with_alt["objective_change"] <= 1e-9).all()
    assert ex["why"].str.contains("rank").all()
    zh = bd.explain_pairs(p, r.pairs, lang="zh")
    assert zh["why"].str.contains("候选导师中排第").all()


def test_explain_pairs_flags_a_pair_that_is_not_a_candidate():
    p = small_full()
    ex = bd.explain_pairs(p, pd.DataFrame({"mentor_id": ["M1"], "mentee_id": ["E4"]}))
    assert ex["why"].tolist() == ["not a candidate pair under the rules"]
    assert ex["alt_mentor_id"].tolist() == ["none"]


def test_explain_pairs_best_alternative_by_brute_force():
    rng = np.random.default_rng(2)
    mentors = pd.DataFrame({"mentor_id": [f"M{i}" for i in range(5)],
                            "capacity": rng.integers(1, 3, 5), "rating": rng.integers(3, 9, 5)})
    mentees = pd.DataFrame({"mentee_id": [f"E{i}" for i in range(4)],
                            "rating": rng.integers(1, 5, 4)})
    p = bd.Problem(mentors, mentees, pairing=bd.OneToMany("capacity"))
    p.require(bd.Stronger("rating")).prefer(bd.StrongToWeak())
    r = p.solve()
    ex = bd.explain_pairs(p, r.pairs)
    base = bd.validate(p, r.pairs).objective
    for k in range(len(r.pairs)):
        best = None
        for m in mentors.mentor_id:
            if m == r.pairs.mentor_id.iloc[k]:
                continue
            moved = r.pairs[["mentor_id", "mentee_id"]].copy()
            moved.loc[k, "mentor_id"] = m
            v = bd.validate(p, moved)
            if v.ok and (best is None or v.objective - base > best):
                best = v.objective - base
        if best is None:
            assert ex["alt_mentor_id"].iloc[k] == "none"
        else:
            assert ex["objective_change"].iloc[k] == pytest.approx(best, abs=1e-9)


def test_explain_rejects_unknown_relaxation_kind():
    p = small_full()
    with pytest.raises(bd.InputError):
        bd.explain(p, relax={"budget": 1})
    assert list(itertools.islice(bd.explain(p).findings.columns, 2)) == ["check", "severity"]


def test_full_mentors_lists_a_mentor_with_no_places():
    mentors = pd.DataFrame({"mentor_id": ["M0", "M1"], "capacity": [0, 1]})
    mentees = pd.DataFrame({"mentee_id": ["E1", "E2"]})
    r = bd.Problem(mentors, mentees, pairing=bd.OneToMany("capacity")).solve()
    row = r.unmatched.iloc[0]
    assert row["reason"] == "all 2 candidate mentors are at capacity"
    assert set(row["full_mentors"].split("; ")) == {"M0 full 0/0", f"M1 full 1/1 with "
                                                     f"{r.pairs.mentee_id.iloc[0]}"}


def test_conflict_texts_name_people_as_the_roster_does():
    """A planner reads '帮带对象E3 钱七', not a bare id; the subject column keeps the id."""
    m = pd.DataFrame({"mentor_id": ["M1", "M2"], "name": ["张三", "李四"], "county": ["A", "A"],
                      "capacity": [1, 1]})
    e = pd.DataFrame({"mentee_id": ["E1", "E2", "E3"], "name": ["王五", "赵六", "钱七"],
                      "county": ["A", "A", "B"]})
    p = bd.Problem(m, e, pairing=bd.OneToMany("capacity", unmatched="forbid"))
    p.require(bd.SameRegion("county"))
    zh = bd.explain(p, lang="zh")
    assert zh.messages == ["帮带对象E3 钱七须配1名导师，有0名候选导师：经“同县区”规则筛选后无人符合"]
    assert "mentee E3 钱七 must get 1 mentor(s)" in bd.explain(p).messages[0]
    assert zh.conflicts["subject"].tolist() == ["E3"]
    q = bd.Problem(m, e, pairing=bd.OneToMany("capacity")).require(bd.SameRegion("county"))
    q.fix(pd.DataFrame({"mentor_id": ["M1"], "mentee_id": ["E3"]}))
    assert bd.explain(q, lang="zh").messages[0].startswith("固定结对(M1 张三, E3 钱七)违反规则“同县区”")
