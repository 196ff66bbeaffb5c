"""Late-bound services: a lower layer calls them, a higher layer provides them.

The layers import only downwards (``core`` → ``data`` → ``model`` → ``compile``
→ ``result`` → ``solvers`` → ``checks`` → ``explain`` → ``apps`` → ``report`` →
``rulesfile`` → ``cli``). A few conveniences still point upwards —
``problem.solve()`` runs the solvers, ``result.to_excel()`` the report layer,
``roster.problem()`` the rules file — so the higher layer registers the
function here when it is imported and the lower one looks it up by name when
called. ``import banghdai`` imports every layer, so every service is there.

Example
-------
>>> import banghdai as bd
>>> from banghdai.core import hooks
>>> hooks.use("solve") is bd.solve
True
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .errors import BanghdaiError

_SERVICES: dict[str, Callable[..., Any]] = {}


def provide(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """Register ``function`` as the service ``name`` (returns it, usable as a decorator)."""
    _SERVICES[name] = function
    return function


def use(name: str) -> Callable[..., Any]:
    """The function registered as ``name``; importing ``banghdai`` registers them all."""
    try:
        return _SERVICES[name]
    except KeyError:
        import importlib

        importlib.import_module("banghdai")  # registers every layer's services
        if name in _SERVICES:
            return _SERVICES[name]
        raise BanghdaiError(f"no service {name!r}; known: {sorted(_SERVICES)}") from None
