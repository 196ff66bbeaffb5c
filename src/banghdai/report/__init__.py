"""Report layer: the printable 帮带对子名单 workbook, the papers that follow it, maps and charts.

Example
-------
>>> from banghdai.report import write_workbook, write_papers, plot_map
>>> callable(write_workbook) and callable(write_papers) and callable(plot_map)
True
"""

from ..core import hooks
from .excel import write_excel
from .papers import programme_calendar, write_papers
from .pdf import write_pdf
from .plots import chinese_font, plot_coverage, plot_distance, plot_load, plot_map
from .workbook import write_workbook

hooks.provide("write_workbook", write_workbook)
hooks.provide("write_papers", write_papers)
hooks.provide("write_pdf", write_pdf)
hooks.provide("plot_map", plot_map)
hooks.provide("plot_load", plot_load)
hooks.provide("plot_distance", plot_distance)
hooks.provide("plot_coverage", plot_coverage)

__all__ = ["chinese_font", "plot_coverage", "plot_distance", "plot_load", "plot_map",
           "programme_calendar", "write_excel", "write_papers", "write_pdf", "write_workbook"]
