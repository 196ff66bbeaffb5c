"""One clock for every time limit, and the deadline of the call in progress.

Every deadline in the library is a value of :func:`now` (``time.perf_counter()`` unless a
test injects another clock with :func:`use_clock`), so a test can make time run out at a
chosen step without waiting or timing the machine. :func:`within` makes a deadline the
*current* one (a context variable): long steps that take no deadline argument — compiling
the candidate graph, building a model — call :func:`checkpoint`, which raises
:class:`OutOfTime` once it has passed.

Example
-------
>>> from banghdai.core import clock
>>> ticks = iter([0.0, 5.0, 11.0])
>>> with clock.use_clock(lambda: next(ticks)):
...     deadline = clock.deadline_in(10)          # now() = 0
...     clock.left(deadline), clock.passed(deadline)  # now() = 5, then 11
(5.0, True)
"""

from __future__ import annotations

import contextlib
import contextvars
import time
from collections.abc import Callable, Iterator

__all__ = ["OutOfTime", "checkpoint", "current", "deadline_in", "left", "now", "passed",
           "perf_deadline", "use_clock", "within"]

_source: Callable[[], float] = time.perf_counter
_current: contextvars.ContextVar[float | None] = contextvars.ContextVar(
    "banghdai_deadline", default=None)


class OutOfTime(Exception):  # noqa: N818 - reads as what happened
    """The deadline passed before a step could finish (nothing partial is returned).

    Example
    -------
    >>> from banghdai.core.clock import OutOfTime
    >>> str(OutOfTime("compile"))
    'compile'
    """


def now() -> float:
    """The library's clock, in seconds (``time.perf_counter()`` unless injected).

    Example
    -------
    >>> from banghdai.core import clock
    >>> clock.now() <= clock.now()
    True
    """
    return _source()


@contextlib.contextmanager
def use_clock(source: Callable[[], float]) -> Iterator[None]:
    """Use ``source`` as the clock inside the block (tests: time runs out when they say).

    Example
    -------
    >>> from banghdai.core import clock
    >>> with clock.use_clock(lambda: 42.0):
    ...     clock.now()
    42.0
    """
    global _source
    before = _source
    _source = source
    try:
        yield
    finally:
        _source = before


def deadline_in(seconds: float | None) -> float | None:
    """The deadline ``seconds`` from now on :func:`now` (None: no limit).

    Example
    -------
    >>> from banghdai.core import clock
    >>> clock.deadline_in(None) is None
    True
    """
    return None if seconds is None else now() + float(seconds)


def left(deadline: float | None) -> float | None:
    """Seconds left before ``deadline`` (never negative; None: no limit).

    Example
    -------
    >>> from banghdai.core import clock
    >>> clock.left(clock.now() - 5)
    0.0
    """
    return None if deadline is None else max(deadline - now(), 0.0)


def passed(deadline: float | None) -> bool:
    """True once ``deadline`` is reached (never for None).

    Example
    -------
    >>> from banghdai.core import clock
    >>> clock.passed(None), clock.passed(clock.now() - 1)
    (False, True)
    """
    return deadline is not None and now() >= deadline


def perf_deadline(deadline: float | None) -> float | None:
    """``deadline`` on the real ``time.perf_counter()`` clock, for code that compares with it
    (OR-Tools limits, the CP-SAT backend): the same seconds left, counted from now.

    Example
    -------
    >>> import time
    >>> from banghdai.core import clock
    >>> with clock.use_clock(lambda: 100.0):
    ...     d = clock.perf_deadline(103.0)
    >>> 2.9 < d - time.perf_counter() <= 3.0
    True
    """
    rest = left(deadline)
    return None if rest is None else time.perf_counter() + rest


@contextlib.contextmanager
def within(deadline: float | None) -> Iterator[None]:
    """Make ``deadline`` the current one for :func:`checkpoint` inside the block (an earlier
    current deadline still holds: the nearer one counts).

    Example
    -------
    >>> from banghdai.core import clock
    >>> with clock.within(clock.now() - 1):
    ...     clock.checkpoint("compile")
    Traceback (most recent call last):
    ...
    banghdai.core.clock.OutOfTime: compile
    """
    outer = _current.get()
    nearer = deadline if outer is None else (outer if deadline is None else min(outer, deadline))
    token = _current.set(nearer)
    try:
        yield
    finally:
        _current.reset(token)


def current() -> float | None:
    """The current deadline set by :func:`within` (None: none).

    Example
    -------
    >>> from banghdai.core import clock
    >>> clock.current() is None
    True
    """
    return _current.get()


def checkpoint(step: str = "") -> None:
    """Raise :class:`OutOfTime` (naming ``step``) when the current deadline has passed.

    Example
    -------
    >>> from banghdai.core import clock
    >>> clock.checkpoint("anything")  # no current deadline: never raises
    """
    if passed(_current.get()):
        raise OutOfTime(step)
