"""The contract every registered rule keeps: each part the library asks of it is there.

A group rule must re-check itself for the validator (``group_violations`` on the spec),
compile (its own ``compile_group``, or the table of the older rules), and its compiled form
must keep :class:`~banghdai.model.grouprule.CompiledGroup`: a network form or CP-SAT parts,
repair, the pairs it holds back (unmatched reasons), its pre-check, whether it couples
regions and its restriction to one region. Edge rules need their mask and the validator's
re-check; scores their score and the validator's recomputation. Registering a rule that
lacks a part fails here (see CONTRIBUTING.md, "Adding a rule").
"""

from __future__ import annotations

import numpy as np
import pytest

from banghdai.compile.groups import _COMPILERS
from banghdai.compile.split import components, subproblem
from banghdai.model.grouprule import CompiledGroup, NetworkForm
from banghdai.model.registry import RULES
from banghdai.model.rule import Rule
from test_registry import EXAMPLES, build, main_rule

GROUPS = sorted(k for k, c in RULES.items() if c.kind == "group")


def overrides(cls: type, name: str) -> bool:
    return getattr(cls, name, None) is not getattr(Rule, name, None)


@pytest.mark.parametrize("key", GROUPS)
def test_group_spec_checks_itself_and_compiles(key):
    cls = RULES[key]
    assert callable(getattr(cls, "group_violations", None)), f"{key}: no validator part"
    assert (callable(getattr(cls, "compile_group", None)) or key in _COMPILERS
            or callable(getattr(cls, "pair_loads", None))), f"{key}: no compiled form"


@pytest.mark.parametrize("key", GROUPS)
def test_compiled_group_keeps_the_protocol(key):
    p = build(EXAMPLES[key][0])
    compiled = p.compile()
    spec = main_rule(key)
    mine = [g for g in compiled.group_rules if getattr(g, "spec", None) is spec
            or g.label == spec.label()]
    if key == "load":  # a load is the per-edge capacity use, no group of its own
        assert compiled.edge_load is not None and not mine
        return
    assert mine, f"{key}: compiles to nothing"
    none = np.zeros(compiled.n_edges, bool)
    for rule in mine:
        assert isinstance(rule, CompiledGroup), f"{key}: lacks a part of CompiledGroup"
        form = rule.network(compiled)
        assert form is None or isinstance(form, NetworkForm)
        assert form is not None or isinstance(rule.parts(compiled), list), \
            f"{key}: neither a network nor a CP-SAT form"
        assert rule.satisfied(compiled, none) in (True, False)
        assert rule.repair(compiled, none, np.zeros(compiled.n_edges)).shape == none.shape
        assert rule.blocked(compiled, none).shape == none.shape
        assert isinstance(rule.precheck(compiled, "en"), list)
        assert isinstance(rule.precheck(compiled, "zh"), list)
        label = np.zeros(compiled.n_edges, np.int64)
        assert rule.couples(compiled, label) in (True, False)
    # split: each component's restriction is a compiled group again
    for edges in components(compiled):
        for rule in subproblem(compiled, edges).group_rules:
            assert isinstance(rule, CompiledGroup)


@pytest.mark.parametrize("key", sorted(k for k, c in RULES.items() if c.kind == "edge"))
def test_edge_rule_has_a_mask_and_a_recheck(key):
    cls = RULES[key]
    assert overrides(cls, "mask") or overrides(cls, "generate"), f"{key}: no mask"
    assert overrides(cls, "violations"), f"{key}: no validator re-check"


@pytest.mark.parametrize("key", sorted(k for k, c in RULES.items() if c.kind == "score"))
def test_score_has_a_recomputation(key):
    cls = RULES[key]
    assert overrides(cls, "score") and overrides(cls, "check_score"), key


@pytest.mark.parametrize("key", sorted(RULES))
def test_every_rule_has_words_in_every_language(key):
    rule = main_rule(key)
    assert rule.label("en") != rule.label("zh")


def test_no_isinstance_on_a_group_rule_outside_its_own_file():
    """Every layer asks a group rule through the Protocol; only a rule's own file may test
    for its class."""
    import re
    from pathlib import Path

    import banghdai
    from banghdai.compile import groups as compiled_groups
    from banghdai.model.rules import max_from_same_unit

    classes = {cls.__name__: cls.__module__ for cls in RULES.values() if cls.kind == "group"}
    for module in (compiled_groups, max_from_same_unit):
        for name, obj in vars(module).items():
            if isinstance(obj, type) and hasattr(obj, "repair") and obj.__module__ == \
                    module.__name__:
                classes[name] = module.__name__
    root = Path(banghdai.__file__).parent
    pattern = re.compile(r"isinstance\([^)]*\b(" + "|".join(classes) + r")\b")
    found = []
    for path in root.rglob("*.py"):
        module = "banghdai." + ".".join(path.relative_to(root).with_suffix("").parts)
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            hit = pattern.search(line)
            if hit and classes[hit.group(1)] != module and not line.lstrip().startswith(">>>"):
                found.append(f"{module}:{n}: {line.strip()}")
    assert not found, found
