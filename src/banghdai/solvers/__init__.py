"""Solvers: the backend protocol and registry, flow, CP-SAT, stable; ``run.solve`` chooses one.

Example
-------
>>> from banghdai.solvers import available_backends
>>> "cpsat" in available_backends()
True
"""

from .base import Backend, RawSolution, SolveParams
from .registry import AUTO_ORDER, BACKENDS, available_backends, get_backend

__all__ = ["AUTO_ORDER", "BACKENDS", "Backend", "RawSolution", "SolveParams",
           "available_backends", "get_backend"]
