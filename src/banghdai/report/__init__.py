"""Report layer: the printable 帮带对子名单 workbook, the papers that follow it, maps and charts.

Example
-------
>>> from banghdai.report import write_workbook, write_papers, plot_map
>>> callable(write_workbook) and callable(write_papers) and callable(plot_map)
True
"""

from .excel import write_excel
from .papers import programme_calendar, write_papers
from .pdf import write_pdf
from .plots import chinese_font, plot_coverage, plot_distance, plot_load, plot_map
from .workbook import write_workbook

__all__ = ["chinese_font", "plot_coverage", "plot_distance", "plot_load", "plot_map",
           "programme_calendar", "write_excel", "write_papers", "write_pdf", "write_workbook"]
