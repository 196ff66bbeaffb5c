"""The list and the papers as an A4 PDF the office can print, Chinese font embedded.

:func:`write_pdf` draws the same sheets as the workbook (:mod:`banghdai.report.content`:
帮带对子名单, the summary, the unmatched mentees, the pair details, 规则与参数) and, on
request, the papers of :mod:`banghdai.report.papers` (目录, 一乡一库 · 一村一册 ·
一人一册, 导师职责清单) as one PDF: A4 (the list landscape, the papers portrait), the
title and the table header repeated on every page, page numbers in the footer
(第 n 页 共 N 页), body text at 9 pt or more.

It is made with `fpdf2 <https://py-pdf.github.io/fpdf2/>`_ (the ``pdf`` extra): pure
Python, maintained, fast enough to draw a city's papers (hundreds of pages) in
seconds, and it embeds a **subset** of an OpenType font with CFF outlines as a
CID font — so the Noto Sans CJK SC face of the ``noto-cjk-sans-otc`` package (the
one the maps use) goes into the file as the few hundred glyphs the pages use, and
the PDF prints the same on any machine.

Example
-------
>>> import os, tempfile, banghdai as bd
>>> from banghdai.report.pdf import write_pdf
>>> problem = bd.load_sample("fushan").problem()
>>> path = write_pdf(problem.solve(time_limit=10), problem,
...                  os.path.join(tempfile.mkdtemp(), "名单.pdf"))
>>> open(path, "rb").read(5)
b'%PDF-'
"""

from __future__ import annotations

import functools
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..core.errors import InputError, Msg
from ..core.safeio import atomic_write, check_writable
from .content import Block, Context, Sheet, sheets, value_text
from .words import catalogue
from .workbook import text_width

__all__ = ["check_pdf", "cjk_font", "write_pdf"]

WORDS = catalogue("pdf", {
    "zh": {"page": "第 {n} 页 共 {nb} 页", "cont": "（续）"},
    "en": {"page": "Page {n} of {nb}", "cont": " (continued)"},
})

MM = 72 / 25.4  # points per millimetre
_NO_START = set("、，。；：！？）》」』】%,.;:!?)")  # never the first character of a line
MARGIN = 10.0  # mm, every side
BODY_PT = 9.5  # body text (never below 9 pt)
MIN_PT = 9.0
HEAD_PT = 9.5
TITLE_PT = 14.0
LINE = 1.25  # line height as a multiple of the font size
PAD = 1.0  # mm inside a cell, left and right
NB = "{nb_pages}"  # fpdf2 alias for the number of pages (wide enough for 5 digits)


def check_pdf() -> None:
    """Refuse early (InputError naming the extra) when fpdf2 or the CJK font is missing.

    Example
    -------
    >>> from banghdai.report.pdf import check_pdf
    >>> check_pdf()
    """
    try:
        import fpdf  # noqa: F401
    except ImportError as err:  # pragma: no cover - depends on the environment
        raise InputError(Msg("report.needs_fpdf")) from err
    cjk_font()


@functools.lru_cache(maxsize=1)
def cjk_font() -> tuple[str, int]:
    """(font file, face number) of the Chinese font embedded: Noto Sans CJK SC from the
    ``noto-cjk-sans-otc`` package (an OpenType collection; face 2 is Simplified Chinese).

    Example
    -------
    >>> from banghdai.report.pdf import cjk_font
    >>> path, face = cjk_font()
    >>> path.endswith(".ttc"), face
    (True, 2)
    """
    try:
        import noto_cjk_sans_otc
    except ImportError as err:  # pragma: no cover - depends on the environment
        raise InputError(Msg("report.needs_cjk_font")) from err
    folder = Path(noto_cjk_sans_otc.__file__).parent
    path = next(iter(sorted(folder.glob("*.tt[cf]")) + sorted(folder.glob("*.ot[cf]"))), None)
    if path is None:  # pragma: no cover
        raise InputError(Msg("report.no_font_file", folder=folder))
    return str(path), 2 if path.suffix.lower() in (".ttc", ".otc") else 0


class Document:
    """An fpdf2 document with the CJK font, A4 pages, a running header and page numbers."""

    def __init__(self, lang: str) -> None:
        from fpdf import FPDF

        words = WORDS[lang]

        class _Pdf(FPDF):
            running: str = ""
            on_page: Any = None

            def header(self) -> None:
                if self.running:
                    self.set_font("cjk", size=9)
                    self.set_text_color(90)
                    self.set_xy(MARGIN, 4)
                    self.cell(self.w - 2 * MARGIN, 5, self.running, align="C")
                    self.set_text_color(0)
                    self.set_xy(MARGIN, MARGIN)
                if self.on_page is not None:
                    self.on_page()

            def footer(self) -> None:
                self.set_font("cjk", size=9)
                self.set_xy(MARGIN, self.h - 8)
                self.cell(self.w - 2 * MARGIN, 4,
                          words["page"].format(n=self.page_no(), nb=NB), align="C")

        pdf = _Pdf(unit="mm", format="A4")
        pdf.alias_nb_pages(NB)
        path, face = cjk_font()
        pdf.add_font("cjk", fname=path, collection_font_number=face)
        pdf.set_margins(MARGIN, MARGIN, MARGIN)
        pdf.set_font("cjk", size=BODY_PT)
        self._font = pdf.current_font
        pdf.set_auto_page_break(False, margin=MARGIN + 4)
        pdf.set_creator("banghdai")
        pdf.set_draw_color(120)
        pdf.set_line_width(0.2)
        self.pdf, self.lang, self.words = pdf, lang, words
        self._widths: dict[tuple[str, float], float] = {}
        self._wrapped: dict[tuple[str, float, float], list[str]] = {}
        self.dry = False  # measuring: rows, titles and pages only move a virtual cursor
        self.vy, self.vpages = MARGIN, 1

    # -- text measure (cached per character: fast for tens of thousands of cells) --
    def text_width(self, text: str, size: float) -> float:
        total = 0.0
        for ch in text:
            key = (ch, size)
            w = self._widths.get(key)
            if w is None:
                w = self._widths[key] = self._font.get_text_width(ch, size, None)[1] / self.pdf.k
            total += w
        return total

    def wrap(self, text: str, width: float, size: float) -> list[str]:
        """Lines of ``text`` within ``width`` mm (CJK breaks anywhere, Latin at spaces)."""
        out: list[str] = []
        for para in str(text).split("\n"):
            line, used, last_space = "", 0.0, -1
            for ch in para:
                w = self.text_width(ch, size)
                if used + w > width and line and ch not in _NO_START:
                    if ch != " " and last_space > 0 and ch.isascii() and line[-1:].isascii():
                        out.append(line[:last_space])
                        line = line[last_space + 1:]
                        used = self.text_width(line, size)
                    else:
                        out.append(line)
                        line, used = "", 0.0
                    last_space = -1
                    if ch == " ":
                        continue
                if ch == " ":
                    last_space = len(line)
                line += ch
                used += w
            out.append(line)
        return out or [""]

    def page(self, landscape: bool, running: str = "") -> None:
        if self.dry:
            self.vpages += 1
            self.vy = MARGIN
            return
        self.pdf.running = running
        self.pdf.add_page(orientation="L" if landscape else "P")

    def y(self) -> float:
        """The cursor's height on the page (the virtual one while measuring)."""
        return self.vy if self.dry else self.pdf.get_y()

    def heading(self, text: str) -> None:
        """A block's heading line (11 pt)."""
        if self.dry:
            self.vy += 7
            return
        self.pdf.set_font("cjk", size=11)
        self.pdf.set_x(MARGIN)
        self.pdf.cell(self.width, 7, text, new_x="LMARGIN", new_y="NEXT")

    def gap(self, mm: float) -> None:
        if self.dry:
            self.vy += mm
        else:
            self.pdf.ln(mm)

    def measure(self, draw: Any) -> int:
        """Pages ``draw()`` takes from the top of a fresh page, found without drawing."""
        self.dry, self.vy, self.vpages = True, MARGIN, 1
        try:
            draw()
        finally:
            self.dry = False
        return self.vpages

    @property
    def width(self) -> float:
        return self.pdf.w - 2 * MARGIN

    @property
    def bottom(self) -> float:
        return self.pdf.h - MARGIN - 4

    def lines(self, text: str, width: float, size: float) -> list[str]:
        """:meth:`wrap`, remembered (the calendar's and the forms' words repeat on every page)."""
        key = (text, round(width, 2), size)
        got = self._wrapped.get(key)
        if got is None:
            got = self._wrapped[key] = self.wrap(text, width, size)
        return got

    def row(self, x0: float, widths: Sequence[float], cells: Sequence[str], size: float, *,
            fill: int | None = None, bold: bool = False, aligns: Sequence[str] = (),
            min_height: float = 0.0, borders: Sequence[str] | None = None) -> float:
        """Draw one row of cells from the cursor; returns its height (mm).

        Text goes through fpdf2's ``text()`` (a quarter of the cost of ``cell()``),
        placed by the cached glyph widths; bold is the face filled and stroked.
        """
        pdf = self.pdf
        lines = [self.lines(c, max(1.0, w - 2 * PAD), size) for c, w in zip(cells, widths,
                                                                             strict=True)]
        lh = size * LINE / MM
        height = max(min_height, max(len(x) for x in lines) * lh + 1.2)
        if self.dry:
            self.vy += height
            return height
        y = pdf.get_y()
        if pdf.font_size_pt != size or pdf.font_family != "cjk":
            pdf.set_font("cjk", size=size)
        if bold:
            pdf.text_mode = "FILL_STROKE"
            pdf.set_line_width(0.12)
        ascent = size * 0.88 / MM
        x = x0
        for j, (w, text_lines) in enumerate(zip(widths, lines, strict=True)):
            if fill is not None:
                pdf.set_fill_color(fill)
                pdf.rect(x, y, w, height, style="F")
            align = aligns[j] if j < len(aligns) else "L"
            top = y + 0.6 + ((height - 1.2 - len(text_lines) * lh) / 2 if align == "C" else 0)
            for k, line in enumerate(text_lines):
                if not line:
                    continue
                if align == "L":
                    tx = x + PAD
                else:
                    used = self.text_width(line, size)
                    tx = x + w - PAD - used if align == "R" else x + (w - used) / 2
                pdf.text(tx, top + k * lh + ascent + (lh - size / MM) / 2, line)
            x += w
        if bold:
            pdf.text_mode = "FILL"
            pdf.set_line_width(0.2)
        x = x0
        for j, w in enumerate(widths):
            border = borders[j] if borders is not None else "LTRB"
            if border == "LTRB":
                pdf.rect(x, y, w, height)
            else:
                for side in border:
                    a, b = {"L": ((x, y), (x, y + height)),
                            "R": ((x + w, y), (x + w, y + height)),
                            "T": ((x, y), (x + w, y)),
                            "B": ((x, y + height), (x + w, y + height))}[side]
                    pdf.line(*a, *b)
            x += w
        pdf.set_xy(x0, y + height)
        return height

    def title(self, text: str, size: float = TITLE_PT) -> None:
        if self.dry:
            self.vy += len(self.wrap(text, self.width, size)) * size * 1.4 / MM + 1.5
            return
        pdf = self.pdf
        pdf.set_font("cjk", size=size)
        pdf.set_x(MARGIN)
        for line in self.wrap(text, self.width, size):
            pdf.cell(self.width, size * 1.4 / MM, line, align="C",
                     new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1.5)

    def output(self, path: str | os.PathLike[str]) -> Path:
        return atomic_write(Path(path), lambda tmp: self.pdf.output(str(tmp)))


# ---------------------------------------------------------------------------- the list
def _unbreakable(block: Block, j: int, header: bool = True) -> float:
    """Width units column ``j`` needs so that no id or number (nor, with ``header``, no
    header word) breaks."""
    need = max((text_width(part) for part in str(block.headers[j]).split("\n")),
               default=0) if header else 0
    for row in block.rows:
        v = row[j]
        if v is None:
            continue
        t = value_text(v, block.formats.get(j))
        if isinstance(v, int | float) or (t.isascii() and len(t) <= 12) or text_width(t) <= 10:
            need = max(need, text_width(t))  # numbers, ids, names and places stay whole
    return float(need)


def _fit(block: Block, page_width: float) -> tuple[list[float], float]:
    """Column widths (mm) over the page width and the body font size (≥ 9 pt).

    Every column first gets what its header words, ids and numbers need (never broken
    over lines); the page's remaining width goes to the columns in proportion to how
    much more their content wants.
    """
    units = [max(3.0, float(w)) for w in block.widths]
    total = sum(units)
    # one width unit is about half an em of the body font, plus the cell's padding
    size = max(MIN_PT, min(BODY_PT, page_width * MM / (total * 0.5 * 1.05)))

    def mm(u: float) -> float:
        return u * 0.5 * 1.02 * size / MM + 2 * PAD

    natural = [mm(u) for u in units]
    if sum(natural) <= page_width:
        widths = natural
        if total > 40:  # wide tables fill the page
            widths = [w * page_width / sum(widths) for w in widths]
        return widths, size
    least = [min(mm(_unbreakable(block, j)), n) for j, n in enumerate(natural)]
    if sum(least) > page_width:  # header words may break, numbers and ids still not
        least = [min(mm(_unbreakable(block, j, header=False)), n)
                 for j, n in enumerate(natural)]
    room = page_width - sum(least)
    if room <= 0:
        return [w * page_width / sum(least) for w in least], size
    want = [n - m for n, m in zip(natural, least, strict=True)]
    share = room / sum(want) if sum(want) else 0.0
    return [m + x * share for m, x in zip(least, want, strict=True)], size


def _draw_block(doc: Document, block: Block, running: str, landscape: bool,
                title: str | None) -> None:
    block = block.trimmed()
    widths, size = _fit(block, doc.width)
    x0 = MARGIN + (doc.width - sum(widths)) / 2
    numeric = [all(isinstance(r[j], int | float) or r[j] is None for r in block.rows)
               for j in range(len(block.headers))]
    aligns = ["R" if n and any(r[j] is not None for r in block.rows) else "L"
              for j, n in enumerate(numeric)]

    def heading_rows() -> None:
        if block.groups:
            cells, ws = [], []
            j = 0
            for label, span in block.groups:
                cells.append(label)
                ws.append(sum(widths[j:j + span]))
                j += span
            doc.row(x0, ws, cells, HEAD_PT, fill=225, aligns=["C"] * len(ws),
                    borders=["LTRB" if c else "LTR" for c in cells])
        doc.row(x0, widths, [str(h) for h in block.headers], HEAD_PT, fill=225,
                aligns=["C"] * len(widths),
                borders=["LRB" if block.groups and not g else "LTRB"
                         for g in _group_of(block)])

    def new_page() -> None:
        doc.page(landscape, running)
        if title:
            doc.title(title + doc.words["cont"], size=11)
        heading_rows()

    if block.heading:
        if doc.y() + 20 > doc.bottom:
            doc.page(landscape, running)
        doc.heading(block.heading)
    heading_rows()
    for i, row in enumerate(block.rows):
        cells = [value_text(v, block.formats.get(j)) for j, v in enumerate(row)]
        lines = max(len(doc.lines(c, max(1.0, w - 2 * PAD), size))
                    for c, w in zip(cells, widths, strict=True))
        if doc.y() + lines * size * LINE / MM + 1.2 > doc.bottom:
            new_page()
        doc.row(x0, widths, cells, size, bold=i in block.bold,
                fill=242 if i in block.bold else None, aligns=aligns)


def _group_of(block: Block) -> list[str]:
    out: list[str] = []
    for label, span in block.groups or []:
        out += [label] * span
    return out or [""] * len(block.headers)


def draw_sheet(doc: Document, sheet: Sheet, *, new_page: bool = True) -> None:
    """Draw a :class:`~banghdai.report.content.Sheet` from a new page (or the current one):
    its title, its blocks, the title and the header rows again on every page a block
    runs onto."""
    if new_page:
        doc.page(sheet.landscape, sheet.title)
    doc.title(sheet.title)
    for block in sheet.blocks:
        _draw_block(doc, block, sheet.title, sheet.landscape,
                    None if block.heading else sheet.title)
        doc.gap(3)


# ---------------------------------------------------------------------------- papers
class PdfBook:
    """The papers' page writer (:mod:`banghdai.report.papers`) drawing on A4 portrait pages.

    The same calls as the workbook's book — ``title``, ``section``, ``header``,
    ``line``, ``spans``, ``new_page`` — over eight columns as wide as the workbook's;
    ``heading`` runs at the top of every page.
    """

    def __init__(self, doc: Document, heading: str, *, reuse: bool = False) -> None:
        from .papers import WIDTHS

        self.doc, self.heading = doc, heading
        unit = 210.0 - 2 * MARGIN  # A4 portrait
        self.cols = [w * unit / sum(WIDTHS) for w in WIDTHS]
        if reuse:  # a blank page made without a heading (after the index's pages)
            doc.pdf.running = heading
            doc.pdf.header()
        else:
            doc.page(False, heading)
        self.first_page = doc.pdf.page_no()
        self.fresh = True

    def new_page(self) -> None:
        if not self.fresh:
            self.doc.page(False, self.heading)
            self.fresh = True

    def _room(self, height: float) -> None:
        if self.doc.pdf.get_y() + height > self.doc.bottom:
            self.doc.page(False, self.heading)

    def _row(self, cells: list[str], widths: list[float], **kw: Any) -> None:
        size = BODY_PT
        lines = max(len(self.doc.lines(c, max(1.0, w - 2 * PAD), size))
                    for c, w in zip(cells, widths, strict=True))
        self._room(max(kw.get("min_height", 0.0), lines * size * LINE / MM + 1.2))
        self.doc.row(MARGIN, widths, cells, size, **kw)
        self.fresh = False

    def title(self, text: str, sub: str | None = None) -> None:
        self._room(18)
        self.doc.title(text)
        if sub:
            self.doc.title(sub, size=10)
        self.fresh = False

    def section(self, text: str) -> None:
        self._room(16)
        self.doc.pdf.ln(1.5)
        self._row([text], [sum(self.cols)], fill=235, bold=True)

    def header(self, labels: list[str]) -> None:
        self._row([str(x) for x in labels], self.cols, fill=225, aligns=["C"] * len(labels))

    def line(self, values: list[Any], *, formats: dict[int, str] | None = None,
             height: float | None = None) -> None:
        formats = formats or {}
        cells = [value_text(v, formats.get(j)) for j, v in enumerate(values, 1)]
        self._row(cells, self.cols, min_height=(height or 0) / MM * 0.85)

    def spans(self, cells: list[tuple[int, int, Any]], *, kinds: tuple[str, ...] = (),
              height: float | None = None) -> None:
        widths = [sum(self.cols[a - 1:b]) for a, b, _ in cells]
        texts = [value_text(v) for _, _, v in cells]
        kinds = (tuple(kinds) + ("value",) * len(cells))[:len(cells)]
        if "section" in kinds or all(k in ("label",) for k in kinds):
            self._row(texts, widths, fill=235, bold=True)
            return
        size = BODY_PT
        lines = max(len(self.doc.lines(c, max(1.0, w - 2 * PAD), size))
                    for c, w in zip(texts, widths, strict=True))
        h = max((height or 0) / MM * 0.85, lines * size * LINE / MM + 1.2)
        self._room(h)
        pdf, x, y = self.doc.pdf, MARGIN, self.doc.pdf.get_y()
        for (w, text, kind) in zip(widths, texts, kinds, strict=True):
            pdf.set_xy(x, y)
            self.doc.row(x, [w], [text], size, min_height=h,
                         fill=242 if kind == "label" else None, bold=kind == "label")
            x += w
        pdf.set_xy(MARGIN, y + h)
        self.fresh = False


# ---------------------------------------------------------------------------- writing
def write_pdf(result: Any, problem: Any, path: str | os.PathLike[str], *, lang: str = "zh",
              pairs: bool = True, papers: bool = False, start: Any = "2027-01-01",
              rules_text: str | None = None, roster: Any = None, title: str | None = None,
              headers: Any = None) -> Path:
    """Write the list (and, with ``papers=True``, the papers) as one A4 PDF.

    Parameters
    ----------
    result, problem
        The :class:`~banghdai.Result` and the :class:`~banghdai.Problem` it solved.
    path
        Where to write (written beside it first, then moved into place).
    lang
        ``"zh"`` (default) or ``"en"``.
    pairs
        Draw the list: 帮带对子名单 (A4 landscape), the summary, the unmatched mentees,
        the pair details and 规则与参数, as the workbook has them.
    papers
        Draw the papers that follow the match (一人一册 …, :func:`write_papers`): an
        index, per township its villages, each village's cover and each mentee's growth
        file on pages of their own, then a page per mentor (A4 portrait).
    start
        First day of the programme year, for the papers' calendar.
    rules_text, roster, title, headers
        As for :func:`banghdai.report.write_workbook`.

    Returns
    -------
    pathlib.Path
        ``path``.

    Example
    -------
    >>> import os, tempfile, banghdai as bd
    >>> from banghdai.report.pdf import write_pdf
    >>> problem = bd.load_sample("fushan").problem()
    >>> path = write_pdf(problem.solve(time_limit=10), problem,
    ...                  os.path.join(tempfile.mkdtemp(), "册.pdf"), pairs=False, papers=True)
    >>> path.suffix
    '.pdf'
    """
    check_pdf()
    from .workbook import check_lang

    check_lang(lang)
    check_writable(path)
    if not (pairs or papers):
        raise InputError(Msg("report.pdf_nothing"), column="papers")
    doc = Document(lang)
    if pairs:
        ctx = Context(result, problem, lang, headers=headers, title=title)
        for sheet in sheets(ctx, rules_text=rules_text, roster=roster):
            draw_sheet(doc, sheet)
    if papers:
        from .papers import draw_papers

        draw_papers(doc, result, problem, start=start, lang=lang)
    return doc.output(path)
