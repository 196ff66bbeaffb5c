"""Progress while it works: a bar over components and levels, and one log line per step.

The bar is :mod:`tqdm`'s (``tqdm.auto``: a widget in Jupyter, text on a terminal's
stderr); each finished component or level also logs one INFO line on the
``banghdai`` logger, which the CLI shows on stderr unless ``--quiet``.

Example
-------
>>> from banghdai.core.progress import Progress
>>> with Progress(2, "levels", enabled=False) as bar:
...     bar.step("level 1 coverage: OPTIMAL")
...     bar.step("level 2 DomainFit: OPTIMAL")
>>> bar.done
2
"""

from __future__ import annotations

import logging
import sys
from typing import Any

from .errors import Msg

_LOG = logging.getLogger("banghdai")


def progress_default() -> bool:
    """Show a bar by default in a notebook or when stderr is a terminal."""
    if "ipykernel" in sys.modules:
        return True
    return bool(getattr(sys.stderr, "isatty", lambda: False)())


class Progress:
    """A progress bar (when enabled and tqdm is installed) plus an INFO log line per step."""

    def __init__(self, total: int, desc: str | Msg, *, enabled: bool | None = None) -> None:
        self.total = int(total)
        self.desc = desc
        self.done = 0
        self._bar: Any = None
        if enabled is None:
            enabled = progress_default()
        if enabled and self.total > 1:
            try:
                from tqdm.auto import tqdm
            except ImportError:  # pragma: no cover - tqdm is a dependency
                tqdm = None
            if tqdm is not None:
                self._bar = tqdm(total=self.total, desc=str(desc), unit="", leave=False,
                                 file=sys.stderr)

    def step(self, line: str | Msg) -> None:
        """One more step finished; ``line`` says how it ended (a :class:`~banghdai.Msg` is
        written in the language current now, see :func:`banghdai.use_lang`)."""
        self.done += 1
        _LOG.info("%s %d/%d: %s", self.desc, self.done, self.total, line)
        if self._bar is not None:
            self._bar.set_postfix_str(str(line)[:60], refresh=False)
            self._bar.update(1)

    def close(self) -> None:
        """Remove the bar."""
        if self._bar is not None:
            self._bar.close()
            self._bar = None

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
