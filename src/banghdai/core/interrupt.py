"""Ctrl-C (SIGINT) handled one way everywhere: noted, then acted on where it is safe.

A long call (``solve``, ``form_teams``, ``explain``, writing outputs) opens a
:func:`watching` scope. Inside it, SIGINT always sets a flag that any step — in any thread —
reads with :func:`requested`; what else happens depends on the innermost scope's mode:

* ``raising=True`` — also raise :class:`KeyboardInterrupt` at once, as Python does by
  default: for steps that hold nothing worth keeping yet (compiling, building a model); the
  caller catches it and returns "no pairing yet, interrupted";
* ``raising=False`` — only the flag (and the callbacks registered with :func:`on_interrupt`,
  e.g. a solver's ``stop_search``): for steps that hold a pairing, which stop at their next
  safe point and hand back the best they have.

Only the main thread can receive signals: elsewhere a scope installs nothing and
:func:`requested` reads the main thread's flag. The handler that was there before is put
back when the outermost scope ends.

Example
-------
>>> import os, signal
>>> from banghdai.core import interrupt
>>> with interrupt.watching(raising=False) as watch:
...     os.kill(os.getpid(), signal.SIGINT)   # noted, not raised
...     interrupt.requested()
True
>>> watch.requested
True
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Watch", "check", "on_interrupt", "requested", "stoppable", "watching"]


@dataclass(eq=False)
class Watch:
    """The state of the outermost scope: whether Ctrl-C came, and what to call when it does.

    Example
    -------
    >>> from banghdai.core.interrupt import Watch
    >>> Watch().requested
    False
    """

    requested: bool = False
    modes: list[bool] = field(default_factory=list)
    callbacks: list[Callable[[], Any]] = field(default_factory=list)


_watch: Watch | None = None


def _on_sigint(signum: int, frame: Any) -> None:  # noqa: ARG001 - signal handler signature
    watch = _watch
    if watch is None:  # pragma: no cover - the handler is removed with the last scope
        raise KeyboardInterrupt
    watch.requested = True
    for callback in list(watch.callbacks):
        with contextlib.suppress(Exception):
            callback()
    if not watch.modes or watch.modes[-1]:
        raise KeyboardInterrupt


def _main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


@contextlib.contextmanager
def watching(*, raising: bool) -> Iterator[Watch]:
    """A scope in which SIGINT sets the flag and, when ``raising``, also raises
    :class:`KeyboardInterrupt` (see the module doc). Scopes nest; the flag is shared.

    Example
    -------
    >>> import os, signal
    >>> from banghdai.core import interrupt
    >>> with interrupt.watching(raising=False) as outer:
    ...     try:
    ...         with interrupt.watching(raising=True):
    ...             os.kill(os.getpid(), signal.SIGINT)
    ...     except KeyboardInterrupt:
    ...         print("raised")
    raised
    >>> outer.requested
    True
    """
    global _watch
    if not _main_thread():
        yield _watch if _watch is not None else Watch()
        return
    outermost = _watch is None
    watch: Watch
    if outermost:
        watch = Watch()
        previous = signal.getsignal(signal.SIGINT)
        _watch = watch
        try:
            signal.signal(signal.SIGINT, _on_sigint)
        except ValueError:  # pragma: no cover - not the main interpreter
            _watch = None
            yield watch
            return
    else:
        assert _watch is not None
        watch = _watch
    watch.modes.append(raising)
    try:
        yield watch
    finally:
        watch.modes.pop()
        if outermost:
            _watch = None
            signal.signal(signal.SIGINT, previous)


def requested() -> bool:
    """True once Ctrl-C came during the current (outermost) scope, from any thread.

    Example
    -------
    >>> from banghdai.core import interrupt
    >>> interrupt.requested()
    False
    """
    watch = _watch
    return watch is not None and watch.requested


def check() -> None:
    """Raise :class:`KeyboardInterrupt` when Ctrl-C has come (a safe point to stop at).

    Example
    -------
    >>> from banghdai.core import interrupt
    >>> interrupt.check()  # nothing came: returns
    """
    if requested():
        raise KeyboardInterrupt


@contextlib.contextmanager
def on_interrupt(callback: Callable[[], Any]) -> Iterator[None]:
    """Call ``callback`` (e.g. a solver's ``stop_search``) when Ctrl-C comes inside the block.

    Example
    -------
    >>> from banghdai.core import interrupt
    >>> with interrupt.watching(raising=False), interrupt.on_interrupt(lambda: None):
    ...     interrupt.requested()
    False
    """
    watch = _watch
    if watch is None:
        yield
        return
    watch.callbacks.append(callback)
    try:
        yield
    finally:
        with contextlib.suppress(ValueError):
            watch.callbacks.remove(callback)


def stoppable(run: Callable[[], Any], stop: Callable[[], Any]) -> Any:
    """``run()`` (a long call into native code that releases the GIL, e.g. a CP-SAT search)
    such that Ctrl-C calls ``stop()`` (e.g. ``solver.stop_search``) and ``run`` returns early
    with what it has; the interrupt is noted (:func:`requested`), never raised.

    In the main thread ``run`` goes to a helper thread while the main thread waits, free to
    take the signal; elsewhere it runs in place.

    Example
    -------
    >>> from banghdai.core import interrupt
    >>> interrupt.stoppable(lambda: 42, lambda: None)
    42
    """
    if not _main_thread():
        with on_interrupt(stop):
            return run()
    out: dict[str, Any] = {}

    def target() -> None:
        try:
            out["value"] = run()
        except BaseException as err:  # pragma: no cover - re-raised below
            out["error"] = err

    with watching(raising=False), on_interrupt(stop):
        worker = threading.Thread(target=target, name="banghdai-search", daemon=True)
        worker.start()
        worker.join()
    if "error" in out:  # pragma: no cover
        raise out["error"]
    return out["value"]
