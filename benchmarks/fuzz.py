"""Fuzzing the front door: corrupted rosters through the CLI and the Python API.

    python benchmarks/fuzz.py --examples 10000          # long run, counts per class
    python benchmarks/fuzz.py --examples 200 --show 5   # print a few cases of each bad class

Hypothesis strategies copy a shipped sample roster (``fanxian``, ``fushan``,
``villages`` and ``xingqing``: one district of ``yinchuan`` with its fixed and
forbidden tables) to a temporary folder and corrupt it the way files get
corrupted in practice: bytes cut short or flipped, another encoding (UTF-8 with
BOM, UTF-16 with and without BOM, GBK, GB18030, Big5, cp1252, Shift-JIS), 0-byte
files, a folder where a file should be, ragged rows, an unterminated quote,
blank lines, cells blanked or set to ``nan``, ``inf``, ``1e20``, text or a formula,
duplicate and weird ids (``NA``, ``None``, white space, ``007``, ``1.0``,
``=1+2`` …), header-only tables, dropped / renamed / duplicated headers, rows
shuffled, tables converted to ``.xlsx`` (or garbage ``.xlsx``, or both ``.csv``
and ``.xlsx``), one workbook with right or wrong sheet names, a ``rules.toml`` in
another encoding, cut short, or naming side tables outside the folder, and side
tables with random, unknown or float-looking ids.

Each case runs through ``banghdai.cli.main`` (with an existing output file that
must survive anything but a successful run) and through ``bd.read_roster`` +
``solve`` + ``bd.validate``, and lands in one class:

* ``refused``: a clean ``InputError`` (API) and exit 2 naming it (CLI);
* ``validated``: a pairing that ``bd.validate`` accepts (exit 0, output written);
* ``no pairing``: proven infeasible or out of time (exit 1, old output kept);
* ``traceback``: any other exception — a bug;
* ``accepted-and-wrong``: a result that fails validation, a roster read
  differently from what the file says (mojibake, lost leading zeros, a header-only
  table accepted), an output overwritten or left half-written, CLI and API
  disagreeing, or a roster whose rows only moved (shuffled, blank lines, xlsx, a
  lossless encoding) paired differently from the original — a bug;
* ``accepted-and-ambiguous``: a roster accepted although it could be read two ways: two ids
  that are one once blanks, invisible and full-width characters are removed, or hidden rows
  read or skipped without a warning — a bug;
* ``harness error``: the fuzzer itself failed to lay out the case (not banghdai).

Issue 19 added the layouts a 组织部 sends (``decorate``: a table as an .xlsx with a merged
title, 填报单位 line, a two-row merged header, blank separator rows, the header repeated,
合计 rows, footer lines, a hidden row and a hidden column — the pairing must be the
original's), near-duplicate ids (``near_dup``: a row entered twice with a trailing space,
NBSP, U+3000, ZWSP, BOM or full-width letters — must be refused) and cached Excel errors
(``excel_error``: a cell whose formula cached #VALUE!, #REF!, #N/A … — must be refused).

``tests/test_fuzz.py`` runs the same strategies for a few hundred examples in CI.
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import csv
import io
import os
import random
import shutil
import sys
import tempfile
import time
import traceback
import warnings
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
import pandas as pd
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

ROOT = Path(__file__).resolve().parents[1]
try:
    import banghdai as bd
except ImportError:  # run from a checkout without installing
    sys.path.insert(0, str(ROOT / "src"))
    import banghdai as bd
from banghdai.cli import main as cli_main  # noqa: E402
from banghdai.data.normalize import clean_text  # noqa: E402

SAMPLES = ("fanxian", "fushan", "villages", "xingqing")
CLASSES = ("refused", "validated", "no pairing", "traceback", "accepted-and-wrong",
           "accepted-and-ambiguous", "harness error")
#: Near-duplicates of an id (issue 19): the same id to a reader, another to a naive one.
NEAR_DUPS = ("{} ", " {}", "\u200b{}", "{}\xa0", "\u3000{}", "\ufeff{}", "<wide>")
EXCEL_ERRORS = ("#VALUE!", "#REF!", "#N/A", "#DIV/0!", "#NAME?")
#: Words of rows that are never people (titles, totals, footers) as the decorations write them.
NOT_PEOPLE = ("合计", "小计", "填表人", "审核人", "联系电话", "注：", "填报单位", "导师帮带名单")
TABLES = ("mentors", "mentees")
SENTINEL = "an existing output that only a successful run may replace\n"

CELL_VALUES = ("", " ", "nan", "NaN", "inf", "-inf", "1e20", "-1e20", "1e400", "-1", "0",
               "0.5", "abc", "NA", "None", "null", "N/A", "=1+2", "+1", "@SUM(A1)",
               "99999999999999999999", "1,5", "３", "是", "\t", '"', "'", "TRUE")
WEIRD_IDS = ("NA", "None", "null", "N/A", "nan", "#N/A", "", " ", "\t", "  x", "x  ", "007",
             "0007", "1.0", "2.50", "-1", "1e3", "=1+2", "@x", "+1", "-x", "导师", "ID",
             "x" * 300, "a,b", 'q"q', "ＡＢ", "\u200b")
RULE_VALUES = ("nan", "inf", "-inf", '"abc"', "true", "false", '"false"', '"true"', "[1, 2]",
               "3", "-1", "0", "1e20", "0.5", '""', "{}", '"../x.csv"', "2.5", "-0.0",
               '"one_to_one"', '"county"', '"rating"', "<table>")
ENCODINGS = ("utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "gbk", "gb18030", "big5",
             "cp1252", "shift_jis", "latin-1")
LOSSLESS = ("utf-8-sig", "utf-16", "gbk", "gb18030")


# ----------------------------------------------------------------------------------- rosters

_BASE: dict[str, Path] = {}


def _base(name: str) -> Path:
    """A pristine copy of sample ``name`` (``xingqing``: one district of yinchuan)."""
    if name in _BASE:
        return _BASE[name]
    root = Path(tempfile.mkdtemp(prefix="banghdai-fuzz-base-"))
    atexit.register(shutil.rmtree, root, True)
    folder = root / name
    if name != "xingqing":
        shutil.copytree(bd.samples.sample_path(name), folder)
    else:
        src = bd.samples.sample_path("yinchuan")
        folder.mkdir()
        m = pd.read_csv(src / "mentors.csv", dtype={"mentor_id": str})
        e = pd.read_csv(src / "mentees.csv", dtype={"mentee_id": str})
        m, e = m[m.county == "兴庆区"], e[e.county == "兴庆区"]
        m.to_csv(folder / "mentors.csv", index=False)
        e.to_csv(folder / "mentees.csv", index=False)
        for side in ("fixed", "forbidden"):
            t = pd.read_csv(src / f"{side}.csv", dtype=str)
            t = t[t.mentor_id.isin(m.mentor_id) & t.mentee_id.isin(e.mentee_id)]
            t.to_csv(folder / f"{side}.csv", index=False)
        shutil.copy(src / "rules.toml", folder / "rules.toml")
    _BASE[name] = folder
    return folder


def _table_path(folder: Path, side: str) -> Path | None:
    for suffix in (".csv", ".xlsx"):
        if (folder / f"{side}{suffix}").exists():
            return folder / f"{side}{suffix}"
    return None


def _records(path: Path) -> list[list[str]] | None:
    """The rows of a CSV as text (None when the file is not readable as UTF-8 CSV)."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
        return list(csv.reader(io.StringIO(text, newline="")))
    except (OSError, UnicodeDecodeError, csv.Error):
        return None


def _write_records(path: Path, rows: list[list[str]]) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    path.write_bytes(buffer.getvalue().encode("utf-8"))


def _as_cell(text: str):
    text = ILLEGAL_CHARACTERS_RE.sub("", text)  # control bytes a worksheet cannot hold
    try:
        number = float(text)
    except ValueError:
        return text
    if text.strip() != text or text.lower() in ("nan", "inf", "-inf", "infinity") or (
            text[:1] == "0" and len(text) > 1 and text[1:2].isdigit()):
        return text  # keep text that only looks like a number (ids with leading zeros)
    return int(number) if number.is_integer() and abs(number) < 2**53 and "." not in text \
        else number


def _to_xlsx(csv_path: Path, xlsx_path: Path, sheet: str = "Sheet1") -> bool:
    rows = _records(csv_path)
    if rows is None:
        return False
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = sheet
    for row in rows:
        ws.append([_as_cell(c) for c in row])
    book.save(xlsx_path)
    return True


_WIDE = str.maketrans({**{chr(0x30 + i): chr(0xFF10 + i) for i in range(10)},
                       **{chr(0x41 + i): chr(0xFF21 + i) for i in range(26)},
                       **{chr(0x61 + i): chr(0xFF41 + i) for i in range(26)}})


def _decorate(csv_path: Path, xlsx_path: Path, rng: random.Random, flags: int) -> bool:
    """The table as a 组织部 formats it (same people): title and 填报单位 lines, a two-row
    merged header, blank separators, the header repeated, 合计, footer lines, a hidden row
    (someone withdrawn, with a new id) and a hidden column. ``flags`` picks the habits."""
    rows = _records(csv_path)
    if not rows or len(rows) < 2 or len(rows[0]) < 2 or any(not h.strip() for h in rows[0]):
        return False
    header, body = rows[0], [r for r in rows[1:] if any(c.strip() for c in r)]
    width = len(header)
    on = [bool(flags >> k & 1) for k in range(8)]
    book = openpyxl.Workbook()
    ws = book.active

    def add(values) -> int:
        r = ws.max_row + 1 if ws.max_row > 1 or ws.cell(1, 1).value is not None else 1
        for j, v in enumerate(values, 1):
            if v is not None and v != "":
                ws.cell(r, j, _as_cell(v) if isinstance(v, str) else v)
        return r

    if on[0]:
        r = add(["XX县导师帮带名单"])
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=width)
    if on[1]:
        add(["填报单位：XX县委组织部"] + [None] * (width - 2) + ["填报日期：2027年3月"])
    if on[2] and width >= 3:  # 基本信息 over columns 2.., the first column spanning both rows
        r = add([header[0], "基本信息"])
        add([None, *header[1:]])
        ws.merge_cells(start_row=r, start_column=2, end_row=r, end_column=width)
        ws.merge_cells(start_row=r, start_column=1, end_row=r + 1, end_column=1)
    else:
        add(header)
    for i, row in enumerate(body):
        if on[3] and i and rng.random() < 0.1:
            r = add([None])
            ws.cell(r, 1).number_format = "@"  # a blank separator row
        if on[4] and i and i % 25 == 0:
            add(header)  # the header printed again
        add(row)
    if on[5]:
        r = add(list(body[0][:1]) and [body[0][0] + "_withdrawn", *body[0][1:]])
        ws.row_dimensions[r].hidden = True
        add(["合计", f"{len(body)}人"])
    if on[6]:
        add(["填表人：张三", None, "联系电话：13800000000", None, "审核人：李四"][:max(width, 1)])
        add(["注：1.本表由各乡镇填报。"])
    if on[7]:
        letter = openpyxl.utils.get_column_letter(width + 1)
        for r in range(1, ws.max_row + 1):
            if ws.cell(r, 1).value is not None and not ws.row_dimensions[r].hidden:
                ws.cell(r, width + 1, "内部")
        ws.column_dimensions[letter].hidden = True
    book.save(xlsx_path)
    return True


# --------------------------------------------------------------------------------- mutations

@dataclass
class Case:
    sample: str
    mutations: list[tuple]
    via_workbook: bool = False
    sheet_names: tuple[str, str] = ("mentors", "mentees")
    out_suffix: str = ".csv"
    unmatched_out: bool = False
    expect: dict = field(default_factory=dict)

    def __str__(self) -> str:
        extra = f" workbook sheets={self.sheet_names}" if self.via_workbook else ""
        extra += f" --out pairs{self.out_suffix}" + (" --unmatched-out" if self.unmatched_out
                                                     else "")
        return f"{self.sample}{extra}: " + "; ".join(repr(m) for m in self.mutations)


def _apply(folder: Path, mutation: tuple, expect: dict) -> None:  # noqa: C901 - one branch per kind
    kind, target, *params = mutation
    rng = random.Random(params[-1] if params else 0)
    if target == "rules":
        path = folder / "rules.toml"
    elif target in ("fixed", "forbidden"):
        path = folder / f"{target}.csv"
    else:
        path = _table_path(folder, target)
    if path is None:
        return
    if kind in ("truncate", "zero", "flip", "encode", "dir", "garbage") and not path.is_file():
        return
    if kind == "truncate":
        data = path.read_bytes()
        path.write_bytes(data[: int(len(data) * params[0])])
    elif kind == "zero":
        path.write_bytes(b"")
    elif kind == "flip":
        data = bytearray(path.read_bytes())
        for _ in range(params[0]):
            if data:
                data[rng.randrange(len(data))] = rng.randrange(256)
        path.write_bytes(bytes(data))
    elif kind == "garbage":
        path.write_bytes(bytes(rng.randrange(256) for _ in range(params[0])))
    elif kind == "encode":
        encoding = params[0]
        try:
            text = path.read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError:
            return
        try:
            data = text.encode(encoding)
            if encoding in LOSSLESS:
                expect.setdefault("same_as_original", set()).add(target)
        except UnicodeEncodeError:
            data = text.encode(encoding, errors="replace")
        path.write_bytes(data)
    elif kind == "dir":
        path.unlink()
        path.mkdir()
        (path / "inside.csv").write_text("a\n1\n", encoding="utf-8")
    elif kind == "xlsx_garbage":
        if path.suffix == ".csv" and path.is_file():
            path.unlink()
        elif path.suffix == ".csv":
            return
        (folder / f"{target}.xlsx").write_bytes(params[0])
    elif kind == "delete":
        if path.is_file():
            path.unlink()
    elif kind == "alias":  # the Chinese name of the table, instead of or beside the English one
        alias = {"mentors": "导师", "mentees": "帮带对象"}.get(target)
        if alias is None or not path.is_file():
            return
        shutil.copy(path, folder / f"{alias}{path.suffix}")
        if params[0]:
            path.unlink()
    elif kind == "to_xlsx":
        if path.suffix == ".csv" and _to_xlsx(path, folder / f"{target}.xlsx"):
            path.unlink()
    elif kind == "both":
        if path.suffix == ".csv":
            _to_xlsx(path, folder / f"{target}.xlsx")
    elif kind == "rules_files":
        if not path.is_file():
            return
        line = f'{params[0]} = "{params[1]}"'
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            return
        if "\n[files]\n" in text:
            kept = [t for t in text.split("\n") if not t.startswith(f"{params[0]} =")]
            text = "\n".join(kept).replace("\n[files]\n", f"\n[files]\n{line}\n")
        else:
            text += f"\n[files]\n{line}\n"
        path.write_text(text, encoding="utf-8")
        outside = folder.parent / "outside"
        outside.mkdir(exist_ok=True)
        (outside / "creds.csv").write_text("mentor_id,mentee_id\nSECRET,HUNTER2\n", encoding="utf-8")
        expect["no_secret"] = True
    elif kind == "rules_value":
        if not path.is_file():
            return
        try:
            lines = path.read_text(encoding="utf-8").split("\n")
        except UnicodeDecodeError:
            return
        slots = [i for i, t in enumerate(lines) if " = " in t and not t.lstrip().startswith("#")]
        if params[0] == "<table>":
            slots = [i for i, t in enumerate(lines) if t.startswith("[")]
        if not slots:
            return
        i = slots[rng.randrange(len(slots))]
        if params[0] == "<table>":
            name = lines[i].strip("[] ")
            lines[i] = name + " = " + rng.choice(["3", "[1, 2]", '"x"', "true"])
        else:
            lines[i] = lines[i].split(" = ", 1)[0] + " = " + params[0]
        path.write_text("\n".join(lines), encoding="utf-8")
    elif kind == "side_table":
        if (folder / f"{target}.csv").is_dir():
            return
        m = bd.read_table(_base(expect["sample"]) / "mentors.csv")
        e = bd.read_table(_base(expect["sample"]) / "mentees.csv")
        mid, eid = _id_header(m, "mentor"), _id_header(e, "mentee")
        rows = [["mentor_id", "mentee_id"]]
        for _ in range(params[0]):
            pick = rng.random()
            a = str(m[mid].iloc[rng.randrange(len(m))])
            b = str(e[eid].iloc[rng.randrange(len(e))])
            if pick < 0.15:
                a = rng.choice(WEIRD_IDS)
            elif pick < 0.3:
                b = a + ".0"
            rows.append([a, b])
        _write_records(folder / f"{target}.csv", rows)
    elif kind == "decorate":
        if path.suffix == ".csv" and path.is_file() and _decorate(path, folder / f"{target}.xlsx",
                                                                   rng, params[0]):
            path.unlink()
            expect.setdefault("hidden", set()).add(target)
    elif kind == "near_dup":
        rows = _records(path) if path.suffix == ".csv" and path.is_file() else None
        if not rows or len(rows) < 2 or not rows[0]:
            return
        row = list(rows[1 + rng.randrange(len(rows) - 1)])
        if not row or not row[0].strip():
            return
        form = params[0]
        row[0] = (row[0].translate(_WIDE) if form == "<wide>" else form.format(row[0]))
        if row[0] == rows[1][0]:
            return
        rows.insert(1 + rng.randrange(len(rows)), row)
        _write_records(path, rows)
        expect.setdefault("must_refuse", []).append(f"near-duplicate id {row[0]!r}")
    elif kind == "excel_error":
        rows = _records(path) if path.suffix == ".csv" and path.is_file() else None
        if not rows or len(rows) < 2 or not rows[0]:
            return
        xlsx = folder / f"{target}.xlsx"
        if not _to_xlsx(path, xlsx):
            return
        path.unlink()
        book = openpyxl.load_workbook(xlsx)
        ws = book.active
        r, c = 2 + rng.randrange(len(rows) - 1), 1 + rng.randrange(len(rows[0]))
        ws.cell(r, c).value = params[0]
        ws.cell(r, c).data_type = "e"
        book.save(xlsx)
        expect.setdefault("must_refuse", []).append(f"cached {params[0]} in {target} row {r}")
    elif path.suffix != ".csv" or not path.is_file():
        return
    else:  # cell-level mutations of a CSV table
        rows = _records(path)
        if not rows or not rows[0]:
            return
        header, body = rows[0], [r for r in rows[1:] if r]
        i = rng.randrange(len(body)) if body else 0
        j = rng.randrange(len(header))
        if kind == "cell" and body:
            body[i][j % len(body[i])] = params[0]
        elif kind == "id" and body:
            body[i][0] = params[0]
            expect.setdefault("ids", []).append((target, params[0]))
        elif kind == "dup_id" and len(body) > 1:
            body[i][0] = body[(i + 1 + rng.randrange(len(body) - 1)) % len(body)][0]
        elif kind == "ragged" and body:
            if params[0] and len(body[i]) > 1:
                body[i] = body[i][:-1]
            else:
                body[i] = [*body[i], "extra"]
        elif kind == "quote" and body:
            body[i][j % len(body[i])] = '"' + body[i][j % len(body[i])]
            text = "\n".join(",".join(r) for r in [header, *body]) + "\n"
            path.write_bytes(text.encode("utf-8"))
            return
        elif kind == "header_only":
            body = []
            expect.setdefault("header_only", set()).add(target)
        elif kind == "drop_column":
            header = header[:j] + header[j + 1:]
            body = [r[:j] + r[j + 1:] for r in body]
        elif kind == "rename_header":
            header[j] = params[0] if params[0] != "<dup>" else header[(j + 1) % len(header)]
        elif kind == "blank_lines" and body:
            body.insert(i, [""] * len(header) if params[0] else [])
        elif kind == "shuffle":
            rng.shuffle(body)
        _write_records(path, [header, *body])


def _id_header(frame: pd.DataFrame, side: str) -> str:
    for name in (f"{side}_id", "导师编号" if side == "mentor" else "对象编号"):
        if name in frame.columns:
            return name
    return frame.columns[0]


def _bytes_kinds(target):
    return st.one_of(
        st.tuples(st.just("truncate"), st.just(target), st.floats(0.0, 0.999)),
        st.tuples(st.just("zero"), st.just(target)),
        st.tuples(st.just("flip"), st.just(target), st.integers(1, 6), st.integers(0, 10**6)),
        st.tuples(st.just("encode"), st.just(target), st.sampled_from(ENCODINGS)),
        st.tuples(st.just("dir"), st.just(target)),
        st.tuples(st.just("garbage"), st.just(target), st.integers(0, 300), st.integers(0, 10**6)),
    )


def _table_kinds(target):
    seed = st.integers(0, 10**6)
    return st.one_of(
        st.tuples(st.just("cell"), st.just(target), st.sampled_from(CELL_VALUES), seed),
        st.tuples(st.just("id"), st.just(target), st.sampled_from(WEIRD_IDS), seed),
        st.tuples(st.just("dup_id"), st.just(target), seed),
        st.tuples(st.just("ragged"), st.just(target), st.booleans(), seed),
        st.tuples(st.just("quote"), st.just(target), seed),
        st.tuples(st.just("header_only"), st.just(target)),
        st.tuples(st.just("drop_column"), st.just(target), seed),
        st.tuples(st.just("rename_header"), st.just(target),
                  st.sampled_from(["", "<dup>", "x", "=1", "mentor_id", "mentee_id", "id"]), seed),
        st.tuples(st.just("blank_lines"), st.just(target), st.booleans(), seed),
        st.tuples(st.just("shuffle"), st.just(target), seed),
        st.tuples(st.just("to_xlsx"), st.just(target)),
        st.tuples(st.just("decorate"), st.just(target), st.integers(0, 255), seed),
        st.tuples(st.just("near_dup"), st.just(target), st.sampled_from(NEAR_DUPS), seed),
        st.tuples(st.just("excel_error"), st.just(target), st.sampled_from(EXCEL_ERRORS), seed),
        st.tuples(st.just("both"), st.just(target)),
        st.tuples(st.just("xlsx_garbage"), st.just(target),
                  st.sampled_from([b"", b"mentor_id,name\nM1,A\n", b"PK\x03\x04garbage",
                                   b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 50])),
    )


def mutations():
    """One corruption: of bytes, cells, the rules file or a side table."""
    table = st.sampled_from(TABLES)
    return st.one_of(
        table.flatmap(_table_kinds),
        table.flatmap(_table_kinds),
        table.flatmap(_bytes_kinds),
        _bytes_kinds("rules"),
        st.tuples(st.just("rules_files"), st.just("rules"),
                  st.sampled_from(["fixed", "forbidden"]),
                  st.sampled_from(["../outside/creds.csv", "/etc/passwd", "nothere.csv",
                                   "mentors.csv", ".", "sub/../mentees.csv"])),
        st.tuples(st.just("side_table"), st.sampled_from(["fixed", "forbidden"]),
                  st.integers(0, 6), st.integers(0, 10**6)),
        st.sampled_from(["fixed", "forbidden"]).flatmap(_bytes_kinds),
        st.tuples(st.just("rules_value"), st.just("rules"), st.sampled_from(RULE_VALUES),
                  st.integers(0, 10**6)),
        st.tuples(st.just("delete"), st.sampled_from(["rules", "fixed", "mentors"])),
        st.tuples(st.just("alias"), table, st.booleans()),
    )


def benign():
    """A change that keeps the roster valid: the result must validate (or be refused for a
    reason the case's other changes give)."""
    table = st.sampled_from(TABLES)
    seed = st.integers(0, 10**6)
    return st.one_of(
        st.tuples(st.just("shuffle"), table, seed),
        st.tuples(st.just("encode"), table, st.sampled_from(LOSSLESS)),
        st.tuples(st.just("encode"), st.just("rules"), st.sampled_from(LOSSLESS)),
        st.tuples(st.just("blank_lines"), table, st.booleans(), seed),
        st.tuples(st.just("to_xlsx"), table),
        st.tuples(st.just("decorate"), table, st.integers(0, 255), seed),
        st.tuples(st.just("id"), table,
                  st.sampled_from([v for v in WEIRD_IDS if v.strip()]), seed),
        st.tuples(st.just("side_table"), st.sampled_from(["fixed", "forbidden"]),
                  st.integers(0, 3), seed),
    )


@st.composite
def cases(draw, samples=SAMPLES):
    """A sample, one to three corruptions (or harmless changes), and maybe one workbook
    instead of a folder."""
    sample = draw(st.sampled_from(samples))
    muts = draw(st.lists(st.one_of(mutations(), benign()), min_size=1, max_size=3))
    workbook = draw(st.booleans()) and draw(st.booleans())
    names = draw(st.sampled_from([("mentors", "mentees"), ("导师", "帮带对象"),
                                  ("Mentors", "mentees"), ("mentors ", "mentees"),
                                  ("Sheet1", "Sheet2"), ("mentors", "mentors")])) if workbook \
        else ("mentors", "mentees")
    return Case(sample, muts, workbook, names, draw(st.sampled_from([".csv", ".xlsx"])),
                draw(st.booleans()))


# ------------------------------------------------------------------------------------ running

@dataclass
class Outcome:
    kind: str
    detail: str = ""


def _build(case: Case, root: Path) -> tuple[Path, Path | None]:
    """Lay out the corrupted roster; returns (roster path, rules path for a workbook)."""
    folder = root / case.sample
    shutil.copytree(_base(case.sample), folder)
    case.expect["sample"] = case.sample
    for mutation in case.mutations:
        _apply(folder, mutation, case.expect)
    if not case.via_workbook:
        return folder, None
    book = root / "roster.xlsx"
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for side, sheet in zip(TABLES, case.sheet_names, strict=True):
        path = _table_path(folder, side)
        rows = _records(path) if path is not None and path.suffix == ".csv" and path.is_file() \
            else None
        if sheet in wb.sheetnames:
            continue
        ws = wb.create_sheet(sheet)
        for row in rows or []:
            ws.append([_as_cell(c) for c in row])
    wb.save(book)
    rules = folder / "rules.toml"
    return book, rules if rules.exists() else None


def _api(target: Path, rules: Path | None, time_limit: float):
    """Read, solve and validate through the Python API: (outcome, problem or None, result)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            roster = bd.read_roster(target, rules=rules)
            problem = roster.problem()
            result = problem.solve(time_limit=time_limit, seed=0)
    except bd.InputError as err:
        return Outcome("refused", str(err)), None, None, None
    except Exception:  # noqa: BLE001 - the point is to catch every unexpected error
        return Outcome("traceback", traceback.format_exc(limit=6)), None, None, None
    if not result.status.has_solution:
        return Outcome("no pairing", result.status.name), problem, result, roster
    check = bd.validate(problem, result.pairs)
    if not check.ok:
        return Outcome("accepted-and-wrong", f"validate: {check}"), problem, result, roster
    return Outcome("validated"), problem, result, roster


def _ambiguous(case: Case, roster) -> str | None:
    """A roster accepted that could be read two ways: ids that are one once cleaned."""
    if roster is None:
        return None
    for side in TABLES:
        table = getattr(roster, side)
        column = _id_header(table, side[:-1])
        ids = table[column].dropna().astype(str)
        cleaned = ids.map(clean_text)
        if cleaned.duplicated().any() and not ids.duplicated().any():
            twin = cleaned[cleaned.duplicated(keep=False)].index[:2]
            return f"{side}: ids {ids[twin].tolist()!r} are one id once cleaned, read as two"
    return None


def _read_as_written(case: Case, roster) -> str | None:
    """What the reader must have kept, when it accepted the roster: None when it did."""
    if roster is None:
        return None
    if all(m[0] in ("shuffle", "blank_lines", "near_dup", "excel_error")
           for m in case.mutations):
        for why in case.expect.get("must_refuse", ()):
            return f"accepted with a {why}"
    for side in TABLES:
        table = getattr(roster, side)
        column = _id_header(table, side[:-1])
        cells = table[column].astype(str)
        noise = cells[cells.map(lambda v: any(w in v for w in NOT_PEOPLE))]
        if len(noise):
            return f"{side}: a title, total or footer row read as a person ({noise.iloc[0]!r})"
    for side in case.expect.get("header_only", ()):
        if side in TABLES:
            return f"header-only {side} accepted"
    base = bd.read_roster(_base(case.sample))
    for side in case.expect.get("same_as_original", ()):
        if side in TABLES and not case.via_workbook and len(case.mutations) == 1:
            got, want = getattr(roster, side), getattr(base, side)
            if not got.equals(want):
                return f"{side} re-encoded without loss but read differently (mojibake?)"
    for side, value in case.expect.get("ids", ()):
        if side not in TABLES or len(case.mutations) > 1 or case.via_workbook:
            continue
        table = getattr(roster, side)
        column = _id_header(table, side[:-1])
        shown = clean_text(value)  # ids as typed, blanks and invisible characters trimmed
        if shown and shown not in set(table[column].astype(str)):
            return f"id {value!r} was not read as typed"
    return None


#: Changes that keep every row's content: after them the pairing must be the original's.
_SAME_ROWS = ("shuffle", "blank_lines", "to_xlsx", "decorate")
_BASELINE: dict[tuple[str, float], tuple[str, set] | None] = {}


def _order_only(case: Case) -> bool:
    """Only rows moved (or the file re-encoded without loss): the same roster, other order."""
    return any(m[0] in ("shuffle", "decorate") for m in case.mutations) and all(
        m[0] in _SAME_ROWS or (m[0] == "encode" and m[2] in LOSSLESS) for m in case.mutations)


def _pairs_of(result) -> set:
    return set(zip(result.pairs["mentor_id"].astype(str), result.pairs["mentee_id"].astype(str),
                   strict=True))


def _same_pairs_as_original(case: Case, result, time_limit: float) -> str | None:
    """Ties are broken by ids: a roster whose rows only moved gives the original's pairs."""
    if result is None or result.status is not bd.Status.OPTIMAL or not _order_only(case):
        return None
    key = (case.sample, time_limit)
    if key not in _BASELINE:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            base = bd.read_roster(_base(case.sample)).problem().solve(time_limit=time_limit,
                                                                     seed=0)
        _BASELINE[key] = ((base.status.name, _pairs_of(base))
                          if base.status is bd.Status.OPTIMAL else None)
    base = _BASELINE[key]
    if base is None or base[1] == _pairs_of(result):
        return None
    return f"rows moved and the pairing changed ({len(base[1] ^ _pairs_of(result))} pairs differ)"


def run_case(case: Case, *, time_limit: float = 2.0, cli: bool = True) -> Outcome:
    """Build the case in a temporary folder and classify what the API and the CLI do."""
    with tempfile.TemporaryDirectory(prefix="banghdai-fuzz-") as tmp:
        root = Path(tmp)
        try:
            target, rules = _build(case, root)
        except Exception:  # noqa: BLE001 - a harness failure must be visible
            return Outcome("harness error", traceback.format_exc(limit=4))
        api, problem, result, roster = _api(target, rules, time_limit)
        if api.kind in ("traceback", "accepted-and-wrong"):
            return api
        wrong = _read_as_written(case, roster) if api.kind != "refused" else None
        wrong = wrong or (_same_pairs_as_original(case, result, time_limit)
                          if api.kind == "validated" else None)
        if wrong:
            return Outcome("accepted-and-wrong", wrong)
        ambiguous = _ambiguous(case, roster) if api.kind != "refused" else None
        if ambiguous:
            return Outcome("accepted-and-ambiguous", ambiguous)
        if case.expect.get("no_secret") and ("SECRET" in api.detail or "HUNTER2" in api.detail):
            return Outcome("accepted-and-wrong", f"outside file read: {api.detail}")
        if not cli:
            return api
        out_dir = root / "out"
        out_dir.mkdir()
        out = out_dir / f"pairs{case.out_suffix}"
        why = out_dir / "why.csv"
        outputs = [out, why] if case.unmatched_out else [out]
        for path in outputs:
            path.write_text(SENTINEL, encoding="utf-8")
        argv = ["match", str(target), "--out", str(out), "--time-limit", str(time_limit)]
        if case.unmatched_out:
            argv += ["--unmatched-out", str(why)]
        if rules is not None:
            argv += ["--rules", str(rules)]
        stderr = io.StringIO()
        try:
            with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(stderr), \
                    warnings.catch_warnings():
                warnings.simplefilter("ignore")
                code = cli_main(argv)
        except SystemExit as exc:  # argparse
            code = exc.code
        except Exception:  # noqa: BLE001
            return Outcome("traceback", "cli: " + traceback.format_exc(limit=6))
        left = sorted(p.name for p in out_dir.iterdir())
        siblings = [out_dir / f"pairs_{k}.csv" for k in ("unmatched", "summary")] \
            if out.suffix == ".csv" and code == 0 else []
        if left != sorted(p.name for p in outputs + siblings):
            return Outcome("accepted-and-wrong", f"debris in the output folder: {left}")
        kept = [path.read_bytes() == SENTINEL.encode("utf-8") for path in outputs]
        if code == 2:
            if "input error" not in stderr.getvalue() or not all(kept):
                return Outcome("accepted-and-wrong", f"exit 2 but {stderr.getvalue()!r}, kept={kept}")
            if api.kind != "refused":
                return Outcome("accepted-and-wrong", f"CLI refused what the API accepted: "
                               f"{stderr.getvalue().strip()}")
            return api
        if api.kind == "refused":
            return Outcome("accepted-and-wrong", f"API refused ({api.detail}) but CLI exit {code}")
        if code == 1:
            if not all(kept) or api.kind != "no pairing":
                return Outcome("accepted-and-wrong", f"exit 1, outputs kept={kept}, API {api.kind}")
            return api
        if code != 0 or any(kept):
            return Outcome("accepted-and-wrong", f"exit {code}, outputs kept={kept}")
        if out.suffix == ".xlsx":  # the printable workbook: it must open, and hold no formula
            book = openpyxl.load_workbook(out)
            live = [c.coordinate for ws in book.worksheets for row in ws.iter_rows()
                    for c in row if c.data_type == "f" and isinstance(c.value, str)
                    and c.value in CELL_VALUES + WEIRD_IDS]
            if not book.worksheets or live:
                return Outcome("accepted-and-wrong", f"workbook: live formulas at {live[:3]}")
        else:
            pairs = pd.read_csv(out, encoding="utf-8-sig", dtype=str, keep_default_na=False)
            for column in ("mentor_id", "mentee_id"):
                pairs[column] = [v[1:] if v[:2] in ("'=", "'+", "'-", "'@", "'\t", "'\r") else v
                                 for v in pairs[column]]
            check = bd.validate(problem, pairs[["mentor_id", "mentee_id"]])
            if not check.ok or len(pairs) != len(result.pairs):
                return Outcome("accepted-and-wrong", f"CLI output does not validate: {check}")
        if case.unmatched_out:
            unmatched = pd.read_csv(why, encoding="utf-8-sig", dtype=str, keep_default_na=False)
            if len(unmatched) != len(result.unmatched):
                return Outcome("accepted-and-wrong", "unmatched output differs from the result")
        return api


# ------------------------------------------------------------------------------------ driver

def run(examples: int, *, samples=SAMPLES, seed: int | None = None, time_limit: float = 2.0,
        show: int = 3) -> Counter:
    counts: Counter = Counter()
    by_kind: dict[str, Counter] = {}
    shown: dict[str, list[str]] = {}

    @settings(max_examples=examples, deadline=None, database=None, derandomize=seed is not None,
              phases=[Phase.generate], suppress_health_check=list(HealthCheck))
    @given(cases(samples))
    def body(case):
        outcome = run_case(case, time_limit=time_limit)
        counts[outcome.kind] += 1
        for kind in {m[0] for m in case.mutations}:
            by_kind.setdefault(kind, Counter())[outcome.kind] += 1
        if _order_only(case):  # rows only moved: checked against the shipped pairing
            by_kind.setdefault("(rows only moved)", Counter())[outcome.kind] += 1
        if outcome.kind in ("traceback", "accepted-and-wrong", "accepted-and-ambiguous",
                            "harness error"):
            shown.setdefault(outcome.kind, []).append(f"{case}\n    {outcome.detail}")
        if not sum(counts.values()) % 500:
            print(f"... {sum(counts.values())} cases: {dict(counts)}", file=sys.stderr, flush=True)

    body()
    run.by_kind = by_kind
    for kind, items in shown.items():
        print(f"\n== {kind}: {len(items)} (first {min(show, len(items))})")
        for item in items[:show]:
            print(item)
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--examples", type=int, default=1000, help="number of cases (1000)")
    parser.add_argument("--samples", nargs="+", default=list(SAMPLES), choices=SAMPLES)
    parser.add_argument("--time-limit", type=float, default=2.0, help="solver seconds per case")
    parser.add_argument("--seed", type=int, default=None, help="derandomise (same cases each run)")
    parser.add_argument("--show", type=int, default=3, help="bad cases to print per class")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    counts = run(args.examples, samples=tuple(args.samples), seed=args.seed,
                 time_limit=args.time_limit, show=args.show)
    total = sum(counts.values())
    seconds = time.perf_counter() - start
    print(f"\n{total} cases in {seconds:.0f} s ({', '.join(args.samples)}; "
          f"time limit {args.time_limit:g} s)\n")
    print("| class | cases |\n|---|---:|")
    for kind in CLASSES:
        print(f"| {kind} | {counts.get(kind, 0)} |")
    print("\nCases per corruption (a case may hold up to three):\n")
    print("| corruption | " + " | ".join(CLASSES[:6]) + " |\n|---|" + "---:|" * 6)
    for kind, c in sorted(getattr(run, "by_kind", {}).items()):
        print(f"| {kind} | " + " | ".join(str(c.get(k, 0)) for k in CLASSES[:6]) + " |")
    bad = ("traceback", "accepted-and-wrong", "accepted-and-ambiguous", "harness error")
    return 1 if any(counts.get(k) for k in bad) else 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    sys.exit(main())
