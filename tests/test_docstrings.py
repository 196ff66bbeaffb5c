"""Every example in the installed package's docstrings runs and prints what it says."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import banghdai

MODULES = sorted(
    m.name for m in pkgutil.walk_packages(banghdai.__path__, prefix="banghdai.")
)


@pytest.mark.parametrize("name", ["banghdai", *MODULES])
def test_doctests(name):
    module = importlib.import_module(name)
    failures, _ = doctest.testmod(
        module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE, verbose=False
    )
    assert failures == 0, f"{failures} doctest failure(s) in {name}"
