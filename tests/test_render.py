"""The printed list and papers, measured instead of looked at: page size, glyph size after
fit-to-width, header words never broken, fonts embedded, pages counted, titles repeated.

The workbook is measured the way Excel prints it: the columns' widths in points against
A4 landscape's printable width give the fit-to-width scale, and the 11-pt body text
times that scale is the printed glyph size. The PDF is read back with pypdf: page boxes,
the font sizes set in every page's content stream, the embedded font files, the text.
"""

from __future__ import annotations

import re

import pytest

import banghdai as bd
from banghdai.report.content import BODY_PT, CJK, column_points, print_scale
from banghdai.report.workbook import text_width

openpyxl = pytest.importorskip("openpyxl")
pypdf = pytest.importorskip("pypdf")
pytest.importorskip("fpdf")

A4 = (595.28, 841.89)


def _solved(name):
    problem = bd.load_sample(name).problem()
    result = problem.solve(seed=0, time_limit=30)
    bd.validate(problem, result.pairs).raise_if_invalid()
    return problem, result


@pytest.fixture(scope="module")
def samples():
    return {name: _solved(name) for name in ("yinchuan", "fanxian", "fushan")}


def _widths(ws):
    from openpyxl.utils import get_column_letter

    return [ws.column_dimensions[get_column_letter(j)].width or 8.43
            for j in range(1, ws.max_column + 1)]


@pytest.mark.parametrize("name", ["yinchuan", "fanxian", "fushan"])
def test_list_prints_on_a4_landscape_at_9pt_or_more(samples, tmp_path, name):
    problem, result = samples[name]
    wb = openpyxl.load_workbook(result.to_excel(tmp_path / f"{name}.xlsx"))
    ws = wb["帮带对子名单"]
    setup = ws.page_setup
    assert int(setup.paperSize) == 9 and setup.orientation == "landscape"  # A4 landscape
    assert ws.sheet_properties.pageSetUpPr.fitToPage and setup.fitToWidth == 1
    assert not ws.print_area  # no column is cut off the print
    widths = _widths(ws)
    printable = A4[1] - (ws.page_margins.left + ws.page_margins.right) * 72
    scale = min(1.0, printable / sum(column_points(w) for w in widths))
    assert scale == pytest.approx(print_scale(widths), rel=1e-3)
    fonts = {c.font.sz or 11 for row in ws.iter_rows(min_row=4) for c in row}
    assert min(fonts) == BODY_PT
    assert min(fonts) * scale >= 9.0, (name, scale)
    for row in (2, 3):  # every header word fits on one line of its column (no mid-word break)
        j = 0
        for cell in ws[row]:
            j += 1
            if not isinstance(cell.value, str):
                continue
            span = 1
            while j + span <= len(widths) and ws.cell(row, j + span).value is None and row == 2:
                span += 1
            room = sum(widths[j - 1:j - 1 + span])
            for word in cell.value.split("\n"):
                assert text_width(word) * CJK <= room, (name, word, room)


def _font_sizes(page):
    data = page.get_contents().get_data()
    return [float(x) for x in re.findall(rb"/F\d+\s+([\d.]+)\s+Tf", data)]


def _embedded(reader):
    fonts = {}
    for page in reader.pages:
        for _name, ref in (page["/Resources"].get("/Font") or {}).items():
            font = ref.get_object()
            for desc in font.get("/DescendantFonts", [font]):
                d = desc.get_object().get("/FontDescriptor")
                d = d.get_object() if d is not None else {}
                fonts[str(font.get("/BaseFont"))] = any(
                    k in d for k in ("/FontFile", "/FontFile2", "/FontFile3"))
    return fonts


def _text(page):
    """A page's text, decoded through each font's ToUnicode map (two-byte codes).

    pypdf's own ``extract_text`` misreads the code-to-CID map fpdf2 writes for a CFF font
    (poppler's pdftotext reads it right), so the text is decoded here from the content
    stream and the ToUnicode map — as a PDF reader searching the text would.
    """
    from pypdf.generic import ContentStream

    maps = {}
    for name, ref in (page["/Resources"].get("/Font") or {}).items():
        data = ref.get_object()["/ToUnicode"].get_object().get_data().decode("latin-1")
        maps[name] = {int(a, 16): chr(int(b, 16)) for a, b in
                      re.findall(r"<([0-9A-Fa-f]{4})>\s*<([0-9A-Fa-f]{4})>", data)}
    out, cmap = [], {}
    for operands, op in ContentStream(page.get_contents(), page.pdf).operations:
        if op == b"Tf":
            cmap = maps.get(operands[0], {})
        elif op == b"Tj":
            raw = operands[0]
            raw = raw.original_bytes if hasattr(raw, "original_bytes") else bytes(raw)
            out.append("".join(cmap.get(int.from_bytes(raw[i:i + 2], "big"), "")
                               for i in range(0, len(raw) - 1, 2)))
        elif op == b"ET":
            out.append("\n")
    return "".join(out)


def _check_pdf(path, landscape_first):
    reader = pypdf.PdfReader(str(path))
    n = len(reader.pages)
    assert n >= 1
    for i, page in enumerate(reader.pages):
        w, h = float(page.mediabox.width), float(page.mediabox.height)
        assert sorted((round(w), round(h))) == [595, 842], (i, w, h)  # A4
        sizes = _font_sizes(page)
        assert sizes and min(sizes) >= 9.0, (i, min(sizes or [0]))
    first = reader.pages[0]
    assert (float(first.mediabox.width) > float(first.mediabox.height)) == landscape_first
    fonts = _embedded(reader)
    assert fonts and all(fonts.values()), fonts  # every font embedded
    assert all("+" in name for name in fonts)  # as a subset
    return reader


def test_list_pdf_a4_fonts_embedded_titles_and_page_numbers(samples, tmp_path):
    problem, result = samples["fanxian"]
    path = result.to_pdf(tmp_path / "名单.pdf")
    reader = _check_pdf(path, landscape_first=True)
    n = len(reader.pages)
    texts = [_text(page) for page in reader.pages]
    assert f"第 1 页 共 {n} 页" in texts[0].replace("\n", " ")
    list_pages = [t for t in texts if "帮带对子名单" in t]
    assert len(list_pages) >= 2  # the list runs over pages ...
    for text in list_pages:  # ... and every page repeats the title and the header words
        assert "濮阳市 范县 帮带对子名单" in text and "序号" in text and "导师" in text
    assert any("规则与参数" in t for t in texts) and any("县区汇总" in t or "帮带结对汇总" in t
                                                     for t in texts)
    names = set(problem.mentees["name"])
    assert sum(name in "".join(texts) for name in names) == len(names)  # every mentee listed


def test_papers_pdf_one_growth_file_per_mentee(samples, tmp_path):
    problem, result = samples["fushan"]
    path = result.to_pdf(tmp_path / "一人一册.pdf", pairs=False, papers=True)
    reader = _check_pdf(path, landscape_first=False)
    texts = [_text(page) for page in reader.pages]
    files = [t for t in texts if "成长档案（一人一册）" in t]
    assert len(files) == len(problem.mentees)  # each growth file on a page of its own
    assert "目录" in texts[0] or "档案目录" in texts[0]
    duties = [t for t in texts if "导师职责清单" in t]
    assert len(duties) >= result.pairs["mentor_id"].nunique()
    assert result.to_papers(tmp_path / "p.pdf").suffix == ".pdf"  # to_papers takes .pdf too


def test_papers_for_a_city_as_pdf_in_one_document(samples, tmp_path):
    """The city's papers (600 mentees, every mentor) as one PDF: every page A4, fonts
    embedded; the count of growth files is the count of mentees."""
    problem, result = samples["yinchuan"]
    path = result.to_pdf(tmp_path / "银川.pdf", pairs=False, papers=True)
    reader = pypdf.PdfReader(str(path))
    assert len(reader.pages) >= len(problem.mentees)
    for i in (0, 1, len(reader.pages) // 2, len(reader.pages) - 1):
        page = reader.pages[i]
        assert sorted((round(float(page.mediabox.width)), round(float(page.mediabox.height)))) \
            == [595, 842]
        assert min(_font_sizes(page)) >= 9.0


def test_pdf_refuses_nothing_to_write(samples, tmp_path):
    problem, result = samples["fushan"]
    with pytest.raises(bd.InputError, match="nothing to write"):
        result.to_pdf(tmp_path / "x.pdf", pairs=False)


def test_papers_index_over_two_pages_numbers_every_book_right(tmp_path):
    """An index longer than a page is counted before the books are drawn, so the page it
    gives for each township is the page its book starts on, and the footers agree."""
    roster = bd.load_sample("fanxian")
    mentees = roster.mentees.assign(township=[f"第{i % 70}镇" for i in range(len(roster.mentees))])
    problem = bd.Problem(roster.mentors, mentees, pairing=bd.OneToMany(capacity=2))
    result = problem.solve(seed=0)
    bd.validate(problem, result.pairs).raise_if_invalid()
    reader = _check_pdf(result.to_pdf(tmp_path / "p.pdf", pairs=False, papers=True),
                        landscape_first=False)
    texts = [_text(page) for page in reader.pages]
    n = len(texts)
    assert all(f"第 {i} 页 共 {n} 页" in t for i, t in enumerate(texts, 1))
    index = [t for t in texts if "档案目录" in t]
    assert len(index) == 2 and index == texts[:2]
    lines = "\n".join(index).split("\n")
    for town in ("第0镇", "第35镇", "第69镇"):
        page = int(lines[lines.index(town) + 1])  # the index's page column, after the name
        assert f"范县 {town} 导师帮带档案" in texts[page - 1]
        assert f"范县 {town} 导师帮带档案" not in texts[page - 2]


def test_papers_workbook_header_words_fit_their_columns(samples, tmp_path):
    problem, result = samples["fanxian"]
    wb = openpyxl.load_workbook(result.to_papers(tmp_path / "p.xlsx"))
    checked = 0
    for ws in wb.worksheets[1:3]:
        widths = _widths(ws)
        for row in ws.iter_rows(max_row=400):
            for cell in row:
                fill = cell.fill.fgColor.rgb if cell.fill and cell.fill.fgColor else None
                if isinstance(cell.value, str) and str(fill).endswith("D9E1F2"):
                    for word in cell.value.split("\n"):
                        assert text_width(word) * CJK <= widths[cell.column - 1], (ws.title, word)
                    checked += 1
    assert checked > 50
