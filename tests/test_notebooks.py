"""Every notebook in notebooks/ runs top to bottom; the planners' notebooks show their figures.

Each notebook is executed with nbclient in a temporary working folder (the files it writes,
such as 帮带对子名单.xlsx, land there, not in the repository). A cell is put in front of the
in-memory copy (the file is not changed) that turns matplotlib's missing-glyph warning
("Glyph 20013 ... missing from font(s) DejaVu Sans", i.e. Chinese drawn as boxes) and the
library's "no font with Chinese glyphs" warning into errors.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))
# The notebooks for planners (Chinese prose): they end with the workbook and the map.
PLANNER_NOTEBOOKS = {"quickstart.ipynb", "rules_tour.ipynb"}
WORKBOOK = "帮带对子名单.xlsx"
CELL_TIMEOUT = 120  # seconds per cell; each notebook takes about 10-20 s in all

GUARD = """\
import warnings
warnings.filterwarnings("error", message=r".*missing from (current )?font")
warnings.filterwarnings("error", message=r".*no font with Chinese glyphs")
"""
GLYPH = re.compile(r"Glyph \d+|missing from (current )?font|no font with Chinese glyphs")


def run(path: Path, cwd: Path):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    nb = nbformat.read(path, as_version=4)
    nb.cells.insert(0, nbformat.v4.new_code_cell(GUARD))
    client = nbclient.NotebookClient(nb, timeout=CELL_TIMEOUT, kernel_name="python3",
                                     allow_errors=True,
                                     resources={"metadata": {"path": str(cwd)}})
    client.execute()
    return [c for c in nb.cells[1:] if c.cell_type == "code"]


def outputs(cells, output_type):
    return [(i, o) for i, c in enumerate(cells) for o in c.get("outputs", [])
            if o.get("output_type") == output_type]


def has_png(cell) -> bool:
    return any("image/png" in o.get("data", {}) for o in cell.get("outputs", []))


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_runs(path, tmp_path):
    cells = run(path, tmp_path)

    errors = [f"code cell {i}: {o.get('ename')}: {o.get('evalue')}"
              for i, o in outputs(cells, "error")]
    assert not errors, "\n".join(errors)

    glyphs = [f"code cell {i}: {o.get('text', '').strip()[:300]}"
              for i, o in outputs(cells, "stream") if GLYPH.search(o.get("text", ""))]
    assert not glyphs, "Chinese text drawn without a CJK font:\n" + "\n".join(glyphs)

    if path.name in PLANNER_NOTEBOOKS:
        assert any(has_png(c) for c in cells), "no figure displayed inline (image/png)"
        assert has_png(cells[-1]), "the notebook should end with the map"
        assert (tmp_path / WORKBOOK).is_file(), f"{WORKBOOK} not written to the working folder"
        # one image per figure: the map is not shown twice
        assert sum("image/png" in o.get("data", {}) for o in cells[-1].outputs) == 1
