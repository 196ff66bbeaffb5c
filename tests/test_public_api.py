"""The flat public API: every exported name resolves and is documented."""

from __future__ import annotations

import inspect

import banghdai as bd


def test_every_exported_name_resolves():
    for name in bd.__all__:
        assert hasattr(bd, name), name


def test_star_import_matches_all():
    namespace: dict = {}
    exec("from banghdai import *", namespace)
    assert set(bd.__all__) <= set(namespace)


def test_every_public_name_has_a_docstring_with_an_example():
    for name in bd.__all__:
        obj = getattr(bd, name)
        doc = inspect.getdoc(obj) or ""
        assert doc, f"{name} has no docstring"
        if not isinstance(obj, type) or not issubclass(obj, BaseException):
            assert ">>>" in doc, f"{name} docstring has no example"


def test_no_global_logging_or_warning_changes_at_import():
    import logging

    handlers = logging.getLogger("banghdai").handlers
    assert all(isinstance(h, logging.NullHandler) for h in handlers)
    assert not logging.getLogger().handlers or all(
        not isinstance(h, logging.StreamHandler) or h.stream is not None
        for h in logging.getLogger().handlers
    )


def test_version():
    assert bd.__version__.count(".") == 2
