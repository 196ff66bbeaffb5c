"""Layers without hidden upward calls (issue 17 item 2): no service locator, a Result that is
plain data and pickles, the public conveniences on the top layer, every registered rule
visible to type checkers."""

from __future__ import annotations

import ast
import importlib.util
import pickle
from pathlib import Path

import pandas as pd
import pytest

import banghdai as bd
from banghdai.data.readers import Roster as PlainRoster
from banghdai.model.problem import Problem as PlainProblem
from banghdai.model.registry import RULES
from banghdai.result import Result as PlainResult
from banghdai.solvers.run import solve as solve_numbers

SRC = Path(bd.__file__).parent


def levelled_problem() -> bd.Problem:
    """Lexicographic levels, a mentee left short and an idle mentor."""
    mentors = pd.DataFrame({"mentor_id": ["A", "B", "C"], "county": ["x", "x", "z"],
                            "rating": [5, 3, 4], "capacity": [1, 1, 1]})
    mentees = pd.DataFrame({"mentee_id": ["E1", "E2", "E3"], "county": ["x", "x", "x"],
                            "rating": [1, 2, 1]})
    p = bd.Problem(mentors, mentees, pairing=bd.OneToMany("capacity"))
    return p.require(bd.SameRegion("county")).prefer(
        levels=[bd.Coverage(), bd.StrongToWeak("rating")])


def test_no_service_locator_and_no_dynamic_import():
    assert importlib.util.find_spec("banghdai.core.hooks") is None
    for path in SRC.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                name = ast.unparse(node.func)
                assert name not in ("importlib.import_module", "__import__", "import_module"), (
                    f"{path.relative_to(SRC)}:{node.lineno} imports dynamically: "
                    "the layer contracts would not see it")
            if isinstance(node, ast.Attribute) and node.attr in ("use", "provide"):
                assert ast.unparse(node.value) != "hooks", f"{path.relative_to(SRC)}:{node.lineno}"


@pytest.mark.parametrize("backend", ["network", "cpsat"])
def test_a_result_round_trips_through_pickle(backend):
    p = levelled_problem()
    r = p.solve(backend=backend, time_limit=20)
    bd.validate(p, r.pairs).raise_if_invalid()
    assert r.levels is not None and len(r.unmatched) == 1
    back = pickle.loads(pickle.dumps(r))
    assert type(back) is bd.Result
    pd.testing.assert_frame_equal(back.pairs, r.pairs)
    pd.testing.assert_frame_equal(back.levels, r.levels)
    pd.testing.assert_frame_equal(back.unmatched, r.unmatched)
    assert back.summary() == r.summary()
    bd.validate(back.problem, back.pairs).raise_if_invalid()
    # the words are made when asked, from the data the result carries
    pd.testing.assert_frame_equal(back.reasons("zh"), r.reasons("zh"))
    assert back.reasons("en")["reason"].tolist() == r.unmatched["reason"].tolist()
    assert back.idle_mentors("en")["mentor_id"].tolist() == ["C"]


def test_a_result_holds_no_function():
    p = levelled_problem()
    r = p.solve(backend="network")
    bd.validate(p, r.pairs).raise_if_invalid()
    for name, value in vars(r).items():
        assert not callable(value) or isinstance(value, type), name
    assert not callable(r.reasons_from) and not callable(r.idle_from)


def test_lower_layers_hand_back_data_and_the_top_layer_the_words():
    p = levelled_problem()
    numbers = solve_numbers(p, backend="network")
    bd.validate(p, numbers.pairs).raise_if_invalid()
    assert type(numbers) is PlainResult
    assert list(numbers.unmatched.columns) == ["mentee_id", "needed", "got", "candidates"]
    words = bd.solve(p, backend="network", lang="zh")
    bd.validate(p, words.pairs).raise_if_invalid()
    assert words.unmatched[["mentee_id", "needed", "got", "candidates"]].values.tolist() == \
        numbers.unmatched.values.tolist()
    assert "候选导师" in words.unmatched["reason"].iloc[0]
    # the plain classes carry no upward convenience
    for cls, names in ((PlainProblem, ("solve", "compile", "to_rules")),
                       (PlainResult, ("to_excel", "to_papers", "plot", "reasons",
                                      "idle_mentors", "explain_pairs")),
                       (PlainRoster, ("problem",))):
        assert not any(hasattr(cls, n) for n in names), cls


def test_public_functions_hand_back_the_public_classes(tmp_path):
    roster = bd.load_sample("fanxian")
    assert type(roster) is bd.Roster
    p = roster.problem()
    assert type(p) is bd.Problem
    assert type(bd.problem_from_rules(roster, roster.rules)) is bd.Problem
    r = p.solve(time_limit=20)
    bd.validate(p, r.pairs).raise_if_invalid()
    assert type(r) is bd.Result and r.to_excel(tmp_path / "pairs.xlsx").exists()
    assert type(bd.read_roster(bd.samples.sample_path("fushan"))) is bd.Roster
    assert type(bd.year2_scenario(roster)) is bd.Roster
    again = bd.rematch(p, r.pairs.head(20))
    bd.validate(p, again.pairs).raise_if_invalid()
    assert type(again) is bd.Result and len(again.reasons("zh")) == len(again.unmatched)
    # a plain object from a lower layer becomes a public one, sharing its tables
    plain = PlainProblem(pd.DataFrame({"mentor_id": ["M"]}), pd.DataFrame({"mentee_id": ["E"]}))
    lifted = bd.Problem.of(plain)
    assert lifted.mentor_table is plain.mentor_table
    assert bd.solve(plain).status is bd.Status.OPTIMAL


def test_read_roster_checks_its_rules_file(tmp_path):
    folder = bd.samples.sample_path("fanxian")
    for name in ("mentors.csv", "mentees.csv"):
        (tmp_path / name).write_bytes((folder / name).read_bytes())
    (tmp_path / "rules.toml").write_text('[[require]]\nrule = "no_such_rule"\n', encoding="utf-8")
    with pytest.raises(bd.InputError, match="no_such_rule"):
        bd.read_roster(tmp_path)


def test_every_registered_rule_is_imported_by_name():
    """``bd.<Rule>`` is an explicit import listed in ``__all__``: a type checker sees it."""
    tree = ast.parse((SRC / "__init__.py").read_text(encoding="utf-8"))
    imported = {a.asname or a.name for node in tree.body if isinstance(node, ast.ImportFrom)
                for a in node.names}
    missing = [cls.__name__ for cls in RULES.values()
               if cls.__name__ not in imported or cls.__name__ not in bd.__all__]
    assert not missing, f"add to banghdai/__init__.py (import and __all__): {missing}"
    assert all(getattr(bd, cls.__name__) is cls for cls in RULES.values())


def test_the_compiler_context_and_validator_view_meet_their_protocols():
    from banghdai.checks.validate import PairView
    from banghdai.compile.graph import _Context
    from banghdai.model.context import CompileContext, ValidatorView

    p = levelled_problem()
    ctx = _Context(p.mentor_table, p.mentee_table)
    assert isinstance(ctx, CompileContext)
    pairs = pd.DataFrame({"mentor_id": ["A"], "mentee_id": ["E1"], "_m": [0], "_e": [0]})
    view = PairView(p, pairs)
    assert isinstance(view, ValidatorView)
    assert view.same_value("county").tolist() == [True]
    assert ctx.codes("county", "test")[0].tolist()[:2] == ctx.codes("county", "test")[1].tolist()[:2]
