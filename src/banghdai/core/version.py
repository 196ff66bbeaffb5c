"""The installed version, read from the package metadata.

Example
-------
>>> from banghdai.core.version import version
>>> isinstance(version(), str)
True
"""

from __future__ import annotations

from functools import cache
from importlib import metadata


@cache
def version() -> str:
    """``banghdai``'s version from its installed metadata (``0+unknown`` when run from source)."""
    try:
        return metadata.version("banghdai")
    except metadata.PackageNotFoundError:  # pragma: no cover - running from a bare checkout
        return "0+unknown"
