"""Every registered rule: rules-file round trip, a planted violation the validator catches,
labels in en and zh, and explain_pairs on every score.

Adding a rule to the registry without an example here fails ``test_every_rule_has_an_example``
(the checklist in CONTRIBUTING.md).
"""

from __future__ import annotations

import dataclasses
import re

import numpy as np
import pandas as pd
import pytest

import banghdai as bd
from banghdai.core.messages import translate_label
from banghdai.model.registry import RULES

MENTORS = pd.DataFrame({
    "mentor_id": ["M1", "M2", "M3"],
    "county": ["A", "A", "B"],
    "village": ["v1", "v2", "v3"],
    "lat": [38.0, 38.01, 39.0],
    "lon": [106.0, 106.01, 107.0],
    "domains": ["a;b", "b", "c"],
    "rating": [5.0, 4.0, 2.0],
    "type": ["专家型", "经验型", "专家型"],
    "role": ["村书记", "第一书记", "包村领导"],
    "tier": ["city", "county", "county"],
    "capacity": [2, 2, 2],
})
MENTEES = pd.DataFrame({
    "mentee_id": ["E1", "E2"],
    "county": ["A", "B"],
    "village": ["v1", "v4"],
    "lat": [38.0, 39.0],
    "lon": [106.0, 107.0],
    "domains": ["a", "c"],
    "rating": [1.0, 3.0],
    "category": ["集体经济薄弱村", "新任村书记"],
    "weight": [1, 2],
    "priority": [1, 2],
    "mentors_required": [2, 1],
    "unit": ["u1", "u1"],
})
PREFS = pd.DataFrame({"mentor_id": ["M1", "M2", "M3"], "mentee_id": ["E1", "E1", "E2"],
                      "mentee_rank": [1, 2, 1], "mentor_rank": [1, 1, 1]})
PAIR_SCORES = pd.DataFrame({"mentor_id": ["M1", "M2", "M3", "M3"],
                            "mentee_id": ["E1", "E1", "E2", "E1"],
                            "affinity": [3.0, 1.0, 2.0, 0.5]})


def pairs(*items: tuple[str, str]) -> pd.DataFrame:
    return pd.DataFrame(items, columns=["mentor_id", "mentee_id"])


# key -> (the rules to add (a list: some need a companion), pairs that break the rule or None)
EXAMPLES: dict[str, tuple[list, pd.DataFrame | None]] = {
    "same_region": ([bd.SameRegion("county")], pairs(("M1", "E2"))),
    "avoid_same": ([bd.AvoidSame("village")], pairs(("M1", "E1"))),
    "max_distance": ([bd.MaxDistance(km=5)], pairs(("M1", "E2"))),
    "nearest": ([bd.Nearest(k=1)], pairs(("M2", "E1"))),
    "shares_domain": ([bd.SharesDomain(min_shared=1)], pairs(("M2", "E1"))),
    "stronger": ([bd.Stronger("rating", margin=0.5)], pairs(("M3", "E2"))),
    "forbidden_pairs": ([bd.ForbiddenPairs(pairs(("M1", "E1")))], pairs(("M1", "E1"))),
    "preferences": ([bd.Preferences(PREFS)], pairs(("M1", "E2"))),
    "allowed_types": ([bd.AllowedTypes({"集体经济薄弱村": ["经验型"]})], pairs(("M1", "E1"))),
    "fixed_pairs": ([bd.FixedPairs(pairs(("M2", "E1")))], pairs(("M1", "E1"))),
    "distinct_types": ([bd.DistinctTypes("type")], pairs(("M1", "E1"), ("M3", "E1"))),
    "role_template": ([bd.RoleTemplate(("村书记", "第一书记"), column="role")],
                      pairs(("M3", "E1"))),
    "quota": ([bd.Quota("tier", side="mentor", max={"city": 0})], pairs(("M1", "E1"))),
    "load": ([bd.Load(mentee_column="weight")], pairs(("M1", "E1"), ("M1", "E2"))),
    "stable": ([bd.Preferences(PREFS), bd.Stable()], pairs(("M2", "E1"))),
    "max_from_same_unit": ([bd.MaxFromSameUnit("unit", 1)], pairs(("M1", "E1"), ("M1", "E2"))),
    "domain_fit": ([bd.DomainFit(weight=2)], None),
    "closeness": ([bd.Closeness(scale_km=80)], None),
    "strong_to_weak": ([bd.StrongToWeak("rating")], None),
    "pair_score": ([bd.PairScore(PAIR_SCORES, column="affinity", restrict=False)], None),
    "preference_fit": ([bd.Preferences(PREFS, restrict=False), bd.PreferenceFit(side="mentee")],
                       None),
    "coverage": ([bd.Coverage(priority="priority")], None),
    "max_min": ([bd.MaxMin(bd.Closeness(scale_km=200))], None),
    "balance_load": ([bd.BalanceLoad()], None),
}


def build(rules: list, pairing: bd.Pairing | None = None) -> bd.Problem:
    pairing = pairing or bd.ManyToMany(capacity="capacity", mentors_per_mentee="mentors_required")
    p = bd.Problem(MENTORS, MENTEES, pairing=pairing)
    levels = [r for r in rules if r.kind == "level"]
    scores = [r for r in rules if r.kind == "score"]
    p.require(*[r for r in rules if r.kind in ("edge", "group", "fixed")])
    if scores:
        p.prefer(*scores)
    if levels:
        p.prefer(levels=levels)
    return p


def main_rule(key: str):
    return next(r for r in EXAMPLES[key][0] if r.key == key)


def test_every_rule_has_an_example():
    assert set(EXAMPLES) == set(RULES)
    for key, cls in RULES.items():
        assert isinstance(main_rule(key), cls)
        assert getattr(bd, cls.__name__) is cls, f"{cls.__name__} is not public"
        assert cls.__name__ in bd.__all__


def same_rule(a, b) -> bool:
    if type(a) is not type(b):
        return False
    for f in dataclasses.fields(a):
        x, y = getattr(a, f.name), getattr(b, f.name)
        if isinstance(x, pd.DataFrame):
            pd.testing.assert_frame_equal(x.reset_index(drop=True).astype(str),
                                          y.reset_index(drop=True).astype(str))
        elif isinstance(x, tuple) and x and hasattr(x[0], "key"):
            if not all(same_rule(s, t) for s, t in zip(x, y, strict=True)):
                return False
        elif x != y:
            return False
    return True


@pytest.mark.parametrize("key", sorted(EXAMPLES))
def test_rules_file_round_trip(key, tmp_path):
    rules, _ = EXAMPLES[key]
    p = build(rules)
    path = p.to_rules(tmp_path / "rules.toml")
    back = bd.problem_from_rules((MENTORS, MENTEES), bd.read_rules(path))
    for attr in ("edge_rules", "group_rules", "fixed", "scores", "levels"):
        got, want = getattr(back, attr), getattr(p, attr)
        assert len(got) == len(want), attr
        assert all(same_rule(a, b) for a, b in zip(got, want, strict=True)), (attr, got, want)
    assert back.pairing == p.pairing
    # and the problem read back solves to the same value
    a, b = p.solve(time_limit=20), back.solve(time_limit=20)
    assert a.status == b.status
    if a.status.has_solution:
        assert a.objective == pytest.approx(b.objective)


@pytest.mark.parametrize("key", sorted(k for k, (_, bad) in EXAMPLES.items() if bad is not None))
def test_validator_catches_a_planted_violation(key):
    rules, bad = EXAMPLES[key]
    with_rule = bd.validate(build(rules), bad)
    assert not with_rule.ok, f"{key}: the planted violation was not caught"
    companions = [r for r in rules if r.key != key]
    assert bd.validate(build(companions), bad).ok, f"{key}: pairs are bad even without the rule"


@pytest.mark.parametrize("key", sorted(EXAMPLES))
def test_labels_in_english_and_chinese(key):
    rule = main_rule(key)
    en, zh = rule.label("en"), rule.label("zh")
    assert en and zh and en != zh
    assert re.search(r"[\u4e00-\u9fff]", zh), zh
    assert translate_label(en, "zh") == zh
    with pytest.raises(bd.InputError):
        rule.label("fr")


@pytest.mark.parametrize("key", sorted(EXAMPLES))
def test_every_rule_files_under_a_principle(key):
    """The audit sheet's words come from the rule class: principle code, then the label."""
    from banghdai.model.rule import PRINCIPLES

    rule = main_rule(key)
    if key == "pair_score":  # the caller's own affinities: no principle of its own
        assert rule.principle == "" and rule.principled_label("zh") == rule.label("zh")
        return
    assert rule.principle in PRINCIPLES, key
    en, zh = PRINCIPLES[rule.principle]
    assert rule.principled_label("zh") == f"{zh}：{rule.label('zh')}"
    assert rule.principled_label("en") == f"{en}: {rule.label('en')}"


@pytest.mark.parametrize("key", sorted(k for k, c in RULES.items() if c.kind == "score"))
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_explain_pairs_on_every_score(key, lang):
    p = build(EXAMPLES[key][0])
    result = p.solve(time_limit=20)
    assert result.status is bd.Status.OPTIMAL
    v = bd.validate(p, result.pairs).raise_if_invalid()
    assert v.objective == pytest.approx(result.objective)
    score = main_rule(key)
    table = result.explain_pairs(p, lang=lang)
    assert len(table) == len(result.pairs)
    assert {score.result_column, f"{score.result_column}_points", "why"} <= set(table.columns)
    assert np.isfinite(table[score.result_column]).all()
    if lang == "zh" and not isinstance(score, bd.PairScore):
        assert table["why"].str.contains(score.label("zh"), regex=False).all()


@pytest.mark.parametrize("key", sorted(k for k, c in RULES.items() if c.kind == "level"))
def test_every_level_solves_and_validates(key):
    p = build(EXAMPLES[key][0])
    result = p.solve(time_limit=20)
    assert result.status is bd.Status.OPTIMAL
    bd.validate(p, result.pairs).raise_if_invalid()
    assert result.levels is not None and len(result.levels) >= 1


def test_rules_file_refuses_unknown_names_and_wrong_types(tmp_path):
    cases = {
        '[[require]]\nrule = "same_regoin"\n': "same_region",
        '[[require]]\nrule = "max_distance"\nkm = "far"\n': "finite number",
        '[[require]]\nrule = "max_distance"\nkm = nan\n': "finite number",
        '[[prefer]]\nscore = "domain_fit"\nweight = inf\n': "finite number",
        '[[require]]\nrule = "stronger"\nstrict = "false"\n': "true or false",
        '[[require]]\nrule = "stronger"\nmargin = "abc"\n': "finite number",
        '[pairing]\nshape = "one_to_many"\nunmatched_penalty = inf\n': "finite number",
        '[solve]\ntime_limit = true\n': "positive number",
        '[solve]\nseed = "x"\n': "whole number",
        '[files]\nfixed = 3\n': "file name",
        'pairing = 3\n': "must be a table",
        'require = [1, 2]\n': "must be a table",
        'columns = "x"\n': "must be a table",
        '[[levels]]\nlevel = "coverage"\npriority = 3\n': "text",
        '[[require]]\nrule = "quota"\ncolumn = "tier"\nmax = { city = 1.5 }\n': "whole numbers",
    }
    for i, (text, words) in enumerate(cases.items()):
        path = tmp_path / f"r{i}.toml"
        path.write_text(text, encoding="utf-8")
        with pytest.raises(bd.InputError, match=re.escape(words)):
            bd.read_rules(path)
