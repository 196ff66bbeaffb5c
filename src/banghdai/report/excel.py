"""Plain Excel export of a Result (pairs, unmatched, summary)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from ..core import hooks
from ..core.errors import InputError

if TYPE_CHECKING:
    from ..result import Result


def write_excel(result: Result, path: str | Path) -> Path:
    """Write ``pairs``, ``unmatched`` and ``summary`` sheets to ``path``."""
    path = Path(path)
    try:
        with pd.ExcelWriter(path, engine="openpyxl") as writer:
            result.pairs.to_excel(writer, sheet_name="pairs", index=False)
            result.unmatched.to_excel(writer, sheet_name="unmatched", index=False)
            pd.DataFrame(list(result.summary().items()), columns=["item", "value"]).astype(
                {"value": str}
            ).to_excel(writer, sheet_name="summary", index=False)
    except ImportError as err:  # pragma: no cover
        raise InputError("writing Excel needs openpyxl: pip install 'banghdai[excel]'") from err
    return path


hooks.provide("write_excel", write_excel)
