"""Backends and their registry.

Example
-------
>>> from banghdai.solvers import available_backends
>>> "cpsat" in available_backends()
True
"""

from __future__ import annotations

from ..core.errors import InputError, Msg
from .base import Backend, RawSolution, SolveParams
from .cpsat import CpSatBackend
from .flow import FlowBackend
from .network import NetworkBackend
from .stable import StableBackend

BACKENDS: dict[str, Backend] = {
    "flow": FlowBackend(), "stable": StableBackend(), "network": NetworkBackend(),
    "cpsat": CpSatBackend(),
}
#: Order in which ``backend="auto"`` tries backends (fastest exact first).
AUTO_ORDER: tuple[str, ...] = ("flow", "stable", "network", "cpsat")


def available_backends() -> list[str]:
    """Names accepted by ``solve(backend=...)`` besides ``"auto"``."""
    return list(BACKENDS)


def get_backend(name: str) -> Backend:
    """The backend called ``name``; unknown names raise listing the valid ones."""
    if name not in BACKENDS:
        raise InputError(
            Msg("solve.unknown_backend", name=name), column="backend",
            choices=["auto", *BACKENDS]
        )
    return BACKENDS[name]


__all__ = ["BACKENDS", "AUTO_ORDER", "Backend", "RawSolution", "SolveParams", "available_backends", "get_backend"]
