"""Safe output files: write beside the target and rename, never over an input.

* :func:`atomic_write` writes through a temporary file in the target's folder and
  ``os.replace``-s it into place, so the old file stays whole until the new one
  is complete (a full disk, an error or Ctrl-C leave it untouched and no debris);
* :func:`write_together` writes several files all or nothing: each to a temporary file
  first, then all renamed into place at once — an error or Ctrl-C at any moment (the
  renames included) leaves every existing file as it was;
* :func:`check_writable` refuses a missing folder, a folder given as a file or a
  read-only place with an :class:`~banghdai.InputError`, before any work;
* :func:`check_outputs` refuses an output that is one of the inputs, or two
  outputs that are the same file;
* :func:`neutralise_formulas` makes text that a spreadsheet would run as a formula
  (``=``, ``+``, ``-``, ``@`` …) show as typed;
* :func:`write_csv` writes a table as CSV the safe way (OWASP's CSV-injection advice):
  every field quoted, formula-leading text prefixed with ``'`` (:data:`NEUTRAL_PREFIX`),
  atomically.

Example
-------
>>> import os, tempfile
>>> from banghdai.core.safeio import atomic_write
>>> path = os.path.join(tempfile.mkdtemp(), "out.txt")
>>> atomic_write(path, lambda tmp: tmp.write_text("hello", encoding="utf-8")).name
'out.txt'
>>> open(path, encoding="utf-8").read()
'hello'
"""

from __future__ import annotations

import contextlib
import csv
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from . import interrupt
from .errors import InputError, Msg

#: First characters that make a spreadsheet read a cell as a formula (OWASP's list).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
#: What :func:`neutralise_formulas` puts before such text: a reader strips one leading
#: ``'`` from a value whose next character is in :data:`FORMULA_START` to get it back.
NEUTRAL_PREFIX = "'"

_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?%?")


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def atomic_write(path: str | os.PathLike[str], write: Callable[[Path], object]) -> Path:
    """Call ``write(tmp)`` on a temporary file beside ``path``, then rename it to ``path``.

    The temporary file has the same suffix (Excel writers look at it) and is
    removed on any failure, including ``KeyboardInterrupt``; ``path`` is then as
    it was. The new file gets the usual permissions (``0o666`` less the umask,
    or the old file's mode when it is replaced).

    Example
    -------
    >>> import os, tempfile
    >>> from banghdai.core.safeio import atomic_write
    >>> path = os.path.join(tempfile.mkdtemp(), "p.csv")
    >>> _ = atomic_write(path, lambda tmp: tmp.write_text("old", encoding="utf-8"))
    >>> def broken(tmp):
    ...     tmp.write_text("half", encoding="utf-8")
    ...     raise OSError(28, "No space left on device")
    >>> try:
    ...     atomic_write(path, broken)
    ... except OSError:
    ...     pass
    >>> open(path, encoding="utf-8").read(), sorted(os.listdir(os.path.dirname(path)))
    ('old', ['p.csv'])
    """
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    fd, name = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=f".tmp{path.suffix}")
    os.close(fd)
    tmp = Path(name)
    try:
        write(tmp)
        try:
            mode = path.stat().st_mode & 0o7777 if path.exists() else 0o666 & ~_umask()
            os.chmod(tmp, mode)
        except OSError:  # pragma: no cover - e.g. a file system without modes
            pass
        with contextlib.suppress(OSError), open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    return path


def _temp_beside(path: Path, suffix: str) -> Path:
    folder = path.parent if str(path.parent) else Path(".")
    fd, name = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=suffix)
    os.close(fd)
    return Path(name)


def write_together(writes: Sequence[tuple[str | Path, Callable[[Path], object]]]) -> list[Path]:
    """Write several files all or nothing; returns their paths.

    ``writes`` holds ``(path, write)`` pairs: ``write(tmp)`` fills a temporary file beside
    ``path`` (same suffix). Only when every one is complete are they renamed into place, with
    Ctrl-C held back meanwhile; an error or an interrupt at any moment — while writing, or
    during the renames, which are then undone — leaves every existing file as it was and no
    debris, and is raised again.

    Example
    -------
    >>> import os, tempfile
    >>> from pathlib import Path
    >>> from banghdai.core.safeio import write_together
    >>> d = Path(tempfile.mkdtemp())
    >>> _ = write_together([(d / "a.txt", lambda t: t.write_text("A1")),
    ...                     (d / "b.txt", lambda t: t.write_text("B1"))])
    >>> def broken(tmp):
    ...     raise OSError(28, "No space left on device")
    >>> try:
    ...     write_together([(d / "a.txt", lambda t: t.write_text("A2")), (d / "b.txt", broken)])
    ... except OSError:
    ...     pass
    >>> (d / "a.txt").read_text(), sorted(os.listdir(d))
    ('A1', ['a.txt', 'b.txt'])
    """
    staged: list[tuple[Path, Path]] = []
    try:
        for target, write in writes:
            path = Path(target)
            tmp = _temp_beside(path, f".tmp{path.suffix}")
            staged.append((path, tmp))
            write(tmp)
            try:
                mode = path.stat().st_mode & 0o7777 if path.exists() else 0o666 & ~_umask()
                os.chmod(tmp, mode)
            except OSError:  # pragma: no cover - e.g. a file system without modes
                pass
            with contextlib.suppress(OSError), open(tmp, "rb+") as fh:
                os.fsync(fh.fileno())
    except BaseException:
        for _, tmp in staged:
            with contextlib.suppress(OSError):
                tmp.unlink()
        raise
    done: list[tuple[Path, Path | None]] = []
    with interrupt.watching(raising=False) as watch:
        try:
            for path, tmp in staged:
                old = None
                if path.exists():  # keep the old file under another name until all are in
                    old = _temp_beside(path, ".old")
                    old.unlink()
                    try:
                        os.link(path, old)
                    except OSError:  # pragma: no cover - no hard links here: copy it
                        shutil.copy2(path, old)
                os.replace(tmp, path)
                done.append((path, old))
            if watch.requested:
                raise KeyboardInterrupt
        except BaseException:
            for path, old in reversed(done):
                with contextlib.suppress(OSError):
                    if old is None:
                        path.unlink()
                    else:
                        os.replace(old, path)
            for _, tmp in staged:
                with contextlib.suppress(OSError):
                    tmp.unlink()
            raise
        for _, old in done:
            if old is not None:
                with contextlib.suppress(OSError):
                    old.unlink()
    return [path for path, _ in staged]


def check_writable(path: str | os.PathLike[str], what: str = "output") -> Path:
    """Refuse an output path that cannot be written, before any work is done.

    The folder must exist and take a new file (a temporary file is created and
    removed to make sure); the path must not be a folder or a read-only file.

    Example
    -------
    >>> import os, tempfile
    >>> from banghdai.core.safeio import check_writable
    >>> check_writable(os.path.join(tempfile.mkdtemp(), "pairs.xlsx")).suffix
    '.xlsx'
    >>> check_writable("/no/such/folder/pairs.xlsx")
    Traceback (most recent call last):
    ...
    banghdai.InputError: column 'output': the folder /no/such/folder does not exist; how to fix: create the folder first, or write somewhere else
    """
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.exists():
        raise InputError(Msg("io.no_folder", folder=folder), column=what)
    if not folder.is_dir():
        raise InputError(Msg("io.not_folder", folder=folder), column=what)
    if path.is_dir():
        raise InputError(Msg("io.is_folder", path=path), column=what)
    if path.exists() and not os.access(path, os.W_OK):
        raise InputError(Msg("io.read_only", path=path), column=what)
    try:
        fd, name = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".check")
    except OSError as err:
        raise InputError(Msg("io.cannot_write", folder=folder, reason=err.strerror or err),
                         column=what) from err
    os.close(fd)
    with contextlib.suppress(OSError):
        os.unlink(name)
    return path


def _same(a: Path, b: Path) -> bool:
    try:
        if a.exists() and b.exists():
            return os.path.samefile(a, b)
    except OSError:  # pragma: no cover
        pass
    return os.path.normcase(os.path.abspath(a)) == os.path.normcase(os.path.abspath(b)) or (
        a.resolve() == b.resolve()
    )


def check_outputs(outputs: Mapping[str, str | Path], inputs: Iterable[str | Path]) -> None:
    """Refuse an output that is an input file, or two outputs naming one file.

    ``outputs`` maps an option name (``"--out"``) to its path; ``inputs`` are the
    files that were read.

    Example
    -------
    >>> from banghdai.core.safeio import check_outputs
    >>> check_outputs({"--out": "a.csv", "--unmatched-out": "./a.csv"}, [])
    Traceback (most recent call last):
    ...
    banghdai.InputError: column '--unmatched-out': names the same file as --out (a.csv)
    """
    seen: list[tuple[str, Path]] = []
    read = [Path(p) for p in inputs]
    for option, value in outputs.items():
        path = Path(value)
        for source in read:
            if _same(path, source):
                raise InputError(Msg("io.is_input", value=value), column=option)
        for other, other_path in seen:
            if _same(path, other_path):
                raise InputError(Msg("io.same_file", other=other, path=other_path), column=option)
        seen.append((option, path))


def _needs_quote(value: object) -> bool:
    return (isinstance(value, str) and value != "" and value.startswith(FORMULA_START)
            and not _PLAIN_NUMBER.fullmatch(value))


def formula_cells(frame: pd.DataFrame) -> list[tuple[int, int]]:
    """Positions ``(row, column)`` of the text cells a spreadsheet would run as formulas.

    Example
    -------
    >>> import pandas as pd
    >>> from banghdai.core.safeio import formula_cells
    >>> formula_cells(pd.DataFrame({"a": ["x", "=1"], "b": [1, 2], "c": ["@y", "-2"]}))
    [(1, 0), (0, 2)]
    """
    cells: list[tuple[int, int]] = []
    for j, column in enumerate(frame.columns):
        series = frame[column]
        if series.dtype.kind not in "OUS" and not pd.api.types.is_string_dtype(series.dtype):
            continue
        starts = series.str.startswith(FORMULA_START, na=False) if len(series) else series
        for i in np.flatnonzero(np.asarray(starts, dtype=bool)):
            if _needs_quote(series.iloc[i]):
                cells.append((int(i), j))
    return cells


def _needs_prefix(value: object) -> bool:
    """Formula text, or formula text already behind prefixes (so the prefix can come off
    again exactly: ``'=1`` typed by a person is written ``''=1``)."""
    return isinstance(value, str) and _needs_quote(value.lstrip(NEUTRAL_PREFIX))


def neutralise_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy in which text a spreadsheet would run as a formula starts with ``'``.

    Text cells starting with ``=``, ``+``, ``-``, ``@``, tab or a line break are
    prefixed with an apostrophe (:data:`NEUTRAL_PREFIX`), which spreadsheets show as
    the text typed (OWASP's advice for CSV files); so is such text that already starts
    with apostrophes, so that :func:`restore_formulas` gives every value back exactly.
    Plain numbers such as ``-3.5`` stay as they are, and so does every non-text
    column. The caller's frame is not changed.

    Example
    -------
    >>> import pandas as pd
    >>> from banghdai.core.safeio import neutralise_formulas
    >>> neutralise_formulas(pd.DataFrame({"name": ["=1+2", "-3", "王", "'=1"]}))["name"].tolist()
    ["'=1+2", '-3', '王', "''=1"]
    """
    out = frame.copy()
    lead = (*FORMULA_START, NEUTRAL_PREFIX)
    for j, _column in enumerate(frame.columns):
        series = frame.iloc[:, j]
        if series.dtype.kind not in "OUS" and not pd.api.types.is_string_dtype(series.dtype):
            continue
        values = series.to_numpy(dtype=object)
        starts = np.fromiter((isinstance(v, str) and v.startswith(lead) for v in values),
                             dtype=bool, count=len(values))
        rows = [i for i in np.flatnonzero(starts) if _needs_prefix(values[i])]
        if not rows:
            continue
        values = values.copy()
        values[rows] = [NEUTRAL_PREFIX + values[i] for i in rows]
        # pandas-stubs types isetitem's value as a scalar; pandas takes an array-like too
        out.isetitem(j, pd.Series(values, index=out.index, dtype=object))  # type: ignore[arg-type]
    return out


def formula_text(value: object) -> bool:
    """True for text that a spreadsheet program would treat as a formula (see
    :func:`neutralise_formulas`).

    Example
    -------
    >>> from banghdai.core.safeio import formula_text
    >>> formula_text("=SUM(A1)"), formula_text("-2"), formula_text("王")
    (True, False, False)
    """
    return _needs_quote(value)


def restore_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy with the :data:`NEUTRAL_PREFIX` that :func:`neutralise_formulas` added taken off.

    Undoes :func:`neutralise_formulas` exactly: a text cell that is ``'`` followed by
    text a spreadsheet would run as a formula (possibly behind more ``'``) loses one
    ``'``; anything else stays.

    Example
    -------
    >>> import pandas as pd
    >>> from banghdai.core.safeio import neutralise_formulas, restore_formulas
    >>> frame = pd.DataFrame({"name": ["=1+2", "'x", "王", "-3", "'=1"]})
    >>> restore_formulas(neutralise_formulas(frame))["name"].tolist()
    ['=1+2', "'x", '王', '-3', "'=1"]
    """
    out = frame.copy()
    for column in out.columns:
        series = out[column]
        if series.dtype.kind not in "OUS" and not pd.api.types.is_string_dtype(series.dtype):
            continue
        text = series.astype(object)
        marked = text.str.startswith(NEUTRAL_PREFIX, na=False).to_numpy(dtype=bool)
        if not marked.any():
            continue
        values = text.to_numpy(dtype=object).copy()
        rows = np.flatnonzero(marked)
        rest = [values[i][1:] for i in rows]
        keep = np.array([_needs_prefix(v) for v in rest], dtype=bool)
        values[rows[keep]] = [v for v, k in zip(rest, keep, strict=True) if k]
        out[column] = pd.Series(values, index=out.index, dtype=object)
    return out


def write_csv(frame: pd.DataFrame, path: str | Path, *, encoding: str = "utf-8-sig") -> Path:
    """Write ``frame`` to a CSV file that no spreadsheet runs and no reader splits.

    Following OWASP's advice on CSV injection: every field is quoted (a value with a
    carriage return or a line break stays one field of one record in every reader),
    text starting with ``=``, ``+``, ``-``, ``@``, tab, CR or LF gets a leading
    :data:`NEUTRAL_PREFIX` (``'``; plain numbers such as ``-3.5`` are left as they are)
    and quotes inside a value are doubled. UTF-8 with a BOM by default, so Excel shows
    Chinese; written beside ``path`` and renamed into place. :func:`restore_formulas`
    takes the prefix off again.

    Example
    -------
    >>> import os, tempfile, pandas as pd
    >>> from banghdai.core.safeio import write_csv
    >>> path = write_csv(pd.DataFrame({"name": ["\\r=1+2", "王"], "n": [1, 2]}),
    ...                  os.path.join(tempfile.mkdtemp(), "t.csv"))
    >>> import csv
    >>> list(csv.reader(open(path, encoding="utf-8-sig", newline="")))
    [['name', 'n'], ["'\\r=1+2", '1'], ['王', '2']]
    """
    return atomic_write(path, csv_writer(frame, encoding=encoding))


def csv_writer(frame: pd.DataFrame, *, encoding: str = "utf-8-sig") -> Callable[[Path], None]:
    """The writer :func:`write_csv` uses, for :func:`write_together`: ``writer(tmp)`` writes
    ``frame`` to ``tmp`` quoted and neutralised.

    Example
    -------
    >>> import os, tempfile, pandas as pd
    >>> from pathlib import Path
    >>> from banghdai.core.safeio import csv_writer
    >>> tmp = Path(tempfile.mkdtemp()) / "t.csv"
    >>> csv_writer(pd.DataFrame({"a": ["=1"]}))(tmp)
    >>> import csv
    >>> list(csv.reader(open(tmp, encoding="utf-8-sig", newline="")))
    [['a'], ["'=1"]]
    """
    safe = neutralise_formulas(frame)
    safe = safe.set_axis([_safe_header(c) for c in safe.columns], axis=1)

    def write(tmp: Path) -> None:
        safe.to_csv(tmp, index=False, encoding=encoding, quoting=csv.QUOTE_ALL,
                    lineterminator="\r\n")

    return write


def _safe_header(column: object) -> object:
    return NEUTRAL_PREFIX + column if isinstance(column, str) and _needs_prefix(column) else column
