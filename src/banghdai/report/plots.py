"""Plots of a pairing: a map, mentor loads, distances and coverage, with Chinese text that renders.

Each function takes the :class:`~banghdai.Result` and the
:class:`~banghdai.Problem` it solved, draws on ``ax`` (or a new figure) and
returns the matplotlib Figure; nothing is shown or closed, so a notebook
displays it. Chinese text uses a CJK font found in this order: the Noto Sans CJK
font shipped by the ``noto-cjk-sans-otc`` package (``pip install
"banghdai[plot]"``), the one in ``mplfonts`` if that is installed, then a system
font (Microsoft YaHei, SimHei, PingFang SC, Noto Sans CJK SC, WenQuanYi …).
Global matplotlib settings are never changed: fonts are set on each text and
inside ``plt.rc_context`` while drawing.

Example
-------
>>> import pandas as pd, matplotlib.pyplot as plt, banghdai as bd
>>> from banghdai.report.plots import plot_coverage
>>> mentors = pd.DataFrame({"mentor_id": ["M1"], "capacity": [1]})
>>> mentees = pd.DataFrame({"mentee_id": ["E1", "E2"], "category": ["村书记", "后备干部"]})
>>> problem = bd.Problem(mentors, mentees, pairing=bd.OneToMany(capacity="capacity"))
>>> fig = plot_coverage(problem.solve(), problem)
>>> fig.axes[0].get_title()
'各类别帮带覆盖率'
>>> plt.close(fig)
"""

from __future__ import annotations

import contextlib
import functools
import os
import warnings
from collections.abc import Iterator
from typing import Any

import numpy as np
import pandas as pd

from .words import column_label
from .workbook import _input_error, check_lang, demand, ordered_pairs, read_side

__all__ = ["chinese_font", "plot_coverage", "plot_distance", "plot_load", "plot_map"]

# Fonts with Chinese glyphs that Windows, macOS and Linux desktops ship, best first.
SYSTEM_FONTS = (
    "Noto Sans CJK SC", "Source Han Sans SC", "Source Han Sans CN", "Microsoft YaHei",
    "SimHei", "PingFang SC", "Hiragino Sans GB", "Heiti SC", "STHeiti", "Noto Sans SC",
    "WenQuanYi Micro Hei", "WenQuanYi Zen Hei", "Sarasa Gothic SC", "Droid Sans Fallback",
    "Noto Sans CJK JP", "Arial Unicode MS",
)

WORDS = {
    "zh": {
        "map": "帮带结对分布图", "lon": "经度", "lat": "纬度", "mentor": "导师",
        "mentee": "帮带对象", "unmatched": "未匹配对象", "idle": "未结对导师",
        "load": "导师帮带人数分布", "load_x": "帮带对象人数", "load_y": "导师人数",
        "full": "已满额", "open": "未满额", "mentors_n": "导师",
        "distance": "结对距离分布", "distance_x": "距离（公里）", "distance_y": "对子数",
        "mean": "平均 {v:.1f} 公里", "median": "中位数 {v:.1f} 公里",
        "coverage": "各类别帮带覆盖率", "coverage_by": "各{by}帮带覆盖率",
        "coverage_all": "帮带覆盖率", "coverage_x": "覆盖率（已配导师人次 / 需配导师人次）",
        "all": "全部", "blank": "（空）", "other": "其他",
    },
    "en": {
        "map": "Pairs", "lon": "Longitude", "lat": "Latitude", "mentor": "Mentor",
        "mentee": "Mentee", "unmatched": "Unmatched mentee", "idle": "Mentor without mentee",
        "load": "Mentor load", "load_x": "Mentees per mentor", "load_y": "Mentors",
        "full": "at capacity", "open": "below capacity", "mentors_n": "mentors",
        "distance": "Pair distances", "distance_x": "Distance (km)", "distance_y": "Pairs",
        "mean": "mean {v:.1f} km", "median": "median {v:.1f} km",
        "coverage": "Coverage by category", "coverage_by": "Coverage by {by}",
        "coverage_all": "Coverage", "coverage_x": "Coverage (mentor places filled / needed)",
        "all": "all", "blank": "(blank)", "other": "other",
    },
}


# ---------------------------------------------------------------------------- fonts
def _packaged_fonts() -> list[str]:
    """CJK font files shipped by pip packages that are installed (none is imported eagerly)."""
    import importlib.util

    out = []
    spec = importlib.util.find_spec("noto_cjk_sans_otc")
    if spec is not None and spec.origin:
        out.append(os.path.join(os.path.dirname(spec.origin), "NotoSansCJK-Regular.ttc"))
    spec = importlib.util.find_spec("mplfonts")
    if spec is not None and spec.origin:
        out.append(os.path.join(os.path.dirname(spec.origin), "fonts",
                                "NotoSansCJKsc-Regular.otf"))
    return [p for p in out if os.path.isfile(p)]


@functools.lru_cache(maxsize=1)
def chinese_font() -> str | None:
    """The family name of a font with Chinese glyphs, registering a pip-installed one first.

    Looks for the Noto Sans CJK collection of the ``noto-cjk-sans-otc`` package
    (or the Noto Sans CJK SC of ``mplfonts``), adds it to matplotlib's font list
    (``fontManager.addfont``; no global setting changes), and prefers its
    Simplified Chinese face; otherwise returns the first of :data:`SYSTEM_FONTS`
    matplotlib knows, or None.

    Example
    -------
    >>> from banghdai.report.plots import chinese_font
    >>> isinstance(chinese_font(), (str, type(None)))
    True
    """
    from matplotlib import font_manager

    manager = font_manager.fontManager
    for path in _packaged_fonts():
        real = os.path.realpath(path)
        try:
            manager.addfont(path)
        except (OSError, RuntimeError, ValueError):  # pragma: no cover - a broken file
            continue
        names = [f.name for f in manager.ttflist if os.path.realpath(f.fname) == real]
        for wanted in ("Noto Sans CJK SC", *names):
            if wanted in names:
                return wanted
    known = {f.name for f in manager.ttflist}
    return next((name for name in SYSTEM_FONTS if name in known), None)


def _families() -> list[str]:
    font = chinese_font()
    return [font, "DejaVu Sans"] if font else ["DejaVu Sans"]


@contextlib.contextmanager
def _cjk() -> Iterator[list[str]]:
    """Matplotlib settings for Chinese text, for the duration of the drawing only."""
    import matplotlib.pyplot as plt

    families = _families()
    if len(families) == 1:
        warnings.warn("no font with Chinese glyphs found: pip install noto-cjk-sans-otc "
                      "(or banghdai[plot]) so Chinese text is not drawn as boxes",
                      UserWarning, stacklevel=3)
    with plt.rc_context({"font.family": families, "axes.unicode_minus": False}):
        yield families


def _axes(ax: Any, figsize: tuple[float, float]) -> tuple[Any, bool]:
    """The caller's axes, or new ones on a Figure made without pyplot: a notebook then shows
    the returned figure once (as the cell's value), and nothing is left open in pyplot."""
    from matplotlib.figure import Figure

    if ax is not None:
        return ax, False
    fig = Figure(figsize=figsize)
    return fig.add_subplot(), True


def _finish(ax: Any, families: list[str], made: bool) -> Any:
    ax.tick_params(labelfontfamily=families[0])
    for label in (*ax.get_xticklabels(), *ax.get_yticklabels()):
        label.set_fontfamily(families)
    if made:
        ax.figure.tight_layout()
    return ax.figure


def _words(lang: str) -> dict[str, str]:
    check_lang(lang)
    return WORDS[lang]


def _by_label(side: Any, column: str, lang: str) -> str:
    return column_label(column, side.shown(column), lang)  # the roster's own words win


# ---------------------------------------------------------------------------- plots
def plot_map(result: Any, problem: Any, ax: Any = None, *, lang: str = "zh",
             color_by: str | None = None) -> Any:
    """Map of the pairs: mentors (▲) and mentees (●) at their lat/lon, a line per pair.

    Colours follow ``color_by`` (default: the mentees' county, else township);
    unmatched mentees are red crosses, mentors without a mentee small grey
    triangles. The axes keep true proportions at the mean latitude.

    Returns
    -------
    matplotlib.figure.Figure

    Example
    -------
    >>> import pandas as pd, matplotlib.pyplot as plt, banghdai as bd
    >>> from banghdai.report.plots import plot_map
    >>> mentors = pd.DataFrame({"mentor_id": ["M1"], "lat": [38.5], "lon": [106.3],
    ...                         "county": ["兴庆区"]})
    >>> mentees = pd.DataFrame({"mentee_id": ["E1"], "lat": [38.4], "lon": [106.4],
    ...                         "county": ["兴庆区"]})
    >>> problem = bd.Problem(mentors, mentees)
    >>> fig = plot_map(problem.solve(), problem)
    >>> fig.axes[0].get_title()
    '帮带结对分布图'
    >>> plt.close(fig)
    """
    from matplotlib.collections import LineCollection
    from matplotlib.lines import Line2D

    w = _words(lang)
    mentors, mentees = read_side(problem, "mentors"), read_side(problem, "mentees")
    for side in (mentors, mentees):
        for col in ("lat", "lon"):
            if not side.has(col):
                raise _input_error(f"plot_map needs column {col!r}", table=side.side,
                                   column=col)
    pairs = ordered_pairs(result)
    if color_by is None:
        color_by = next((c for c in ("county", "township", "city") if mentees.has(c)), None)
    elif not mentees.has(color_by):
        color_by = mentees.resolve([color_by])[0]
    m, e = mentors.frame, mentees.frame
    m_xy = m.set_index("mentor_id")[["lon", "lat"]].astype(float)
    e_xy = e.set_index("mentee_id")[["lon", "lat"]].astype(float)

    if color_by:
        groups = e[color_by].astype(object).where(e[color_by].notna(), w["blank"]).astype(str)
    else:
        groups = pd.Series(w["all"], index=e.index)
    names = list(pd.unique(groups))
    palette = _palette(len(names))
    colour = dict(zip(names, palette, strict=True))
    e_colour = pd.Series([colour[g] for g in groups], index=e["mentee_id"].to_numpy())

    lon = pd.concat([m["lon"], e["lon"]]).astype(float)
    lat = pd.concat([m["lat"], e["lat"]]).astype(float)
    mean_lat = float(np.nanmean(lat)) if lat.notna().any() else 0.0
    squeeze = max(np.cos(np.deg2rad(mean_lat)), 0.1)
    span_x = (lon.max() - lon.min()) * squeeze if lon.notna().any() else 1.0
    span_y = lat.max() - lat.min() if lat.notna().any() else 1.0
    height = float(np.clip(6.0 * span_y / span_x, 3.5, 9.0)) if span_x > 0 else 6.0
    with _cjk() as families:
        ax, made = _axes(ax, (8.5, height + 1.0))
        if len(pairs):
            a = m_xy.reindex(pairs["mentor_id"]).to_numpy()
            b = e_xy.reindex(pairs["mentee_id"]).to_numpy()
            ok = np.isfinite(a).all(axis=1) & np.isfinite(b).all(axis=1)
            segments = np.stack([a[ok], b[ok]], axis=1)
            cols = [e_colour[x] for x in pairs["mentee_id"][ok]]
            ax.add_collection(LineCollection(segments, colors=cols, linewidths=0.8, alpha=0.45,
                                             zorder=1))
        used = m["mentor_id"].isin(set(pairs["mentor_id"]))
        idle = m[~used]
        ax.scatter(idle["lon"], idle["lat"], marker="^", s=10, c="#BBBBBB", zorder=2,
                   label=w["idle"])
        first_partner = (pairs.drop_duplicates("mentor_id").set_index("mentor_id")["mentee_id"]
                         if len(pairs) else pd.Series(dtype=object))
        busy = m[used]
        ax.scatter(busy["lon"], busy["lat"], marker="^", s=36, edgecolors="black",
                   linewidths=0.4, zorder=3,
                   c=[e_colour[first_partner[x]] for x in busy["mentor_id"]] or None)
        short = set()
        u = getattr(result, "unmatched", None)
        if isinstance(u, pd.DataFrame) and len(u):
            short = set(u["mentee_id"].map(str))
        matched = e[~e["mentee_id"].isin(short)]
        ax.scatter(matched["lon"], matched["lat"], marker="o", s=16, zorder=4,
                   c=[e_colour[x] for x in matched["mentee_id"]] or None,
                   edgecolors="white", linewidths=0.3)
        missing = e[e["mentee_id"].isin(short)]
        ax.scatter(missing["lon"], missing["lat"], marker="x", s=40, c="red", zorder=5,
                   linewidths=1.2)

        ax.set_aspect(1.0 / squeeze)
        ax.autoscale_view()
        handles = [Line2D([], [], color=colour[g], lw=2, label=g) for g in names[:20]]
        handles += [
            Line2D([], [], ls="", marker="^", color="#555555", label=w["mentor"]),
            Line2D([], [], ls="", marker="o", color="#555555", label=w["mentee"]),
            Line2D([], [], ls="", marker="x", color="red", label=w["unmatched"]),
            Line2D([], [], ls="", marker="^", color="#BBBBBB", markersize=4, label=w["idle"]),
        ]
        title = _by_label(mentees, color_by, lang) if color_by else None
        ax.legend(handles=handles, loc="center left", bbox_to_anchor=(1.01, 0.5),
                  frameon=False, title=title, prop={"family": families, "size": 8},
                  title_fontproperties={"family": families, "size": 9})
        ax.set_title(w["map"], fontfamily=families)
        ax.set_xlabel(w["lon"], fontfamily=families)
        ax.set_ylabel(w["lat"], fontfamily=families)
        return _finish(ax, families, made)


def _palette(n: int) -> list[Any]:
    import matplotlib

    base = matplotlib.colormaps["tab10" if n <= 10 else "tab20"]
    count = 10 if n <= 10 else 20
    return [base(i % count) for i in range(n)]


def plot_load(result: Any, problem: Any, ax: Any = None, *, lang: str = "zh") -> Any:
    """Histogram of mentor loads: how many mentors take 0, 1, 2 … mentees.

    With a ``capacity`` column the bars split into mentors at capacity and
    below it.

    Returns
    -------
    matplotlib.figure.Figure

    Example
    -------
    >>> import pandas as pd, matplotlib.pyplot as plt, banghdai as bd
    >>> from banghdai.report.plots import plot_load
    >>> mentors = pd.DataFrame({"mentor_id": ["M1", "M2"], "capacity": [2, 2]})
    >>> mentees = pd.DataFrame({"mentee_id": ["E1", "E2", "E3"]})
    >>> problem = bd.Problem(mentors, mentees, pairing=bd.OneToMany(capacity="capacity"))
    >>> fig = plot_load(problem.solve(), problem)
    >>> fig.axes[0].get_xlabel()
    '帮带对象人数'
    >>> plt.close(fig)
    """
    w = _words(lang)
    mentors = read_side(problem, "mentors")
    pairs = ordered_pairs(result)
    m = mentors.frame
    load = pairs.groupby("mentor_id").size().reindex(m["mentor_id"]).fillna(0).astype(int)
    top = int(load.max()) if len(load) else 0
    x = np.arange(top + 1)
    with _cjk() as families:
        ax, made = _axes(ax, (7, 4.5))
        if mentors.has("capacity"):
            cap = pd.to_numeric(m["capacity"], errors="coerce").to_numpy()
            full = (load.to_numpy() >= cap) & np.isfinite(cap)
            n_full = np.bincount(load.to_numpy()[full], minlength=top + 1)
            n_open = np.bincount(load.to_numpy()[~full], minlength=top + 1)
            ax.bar(x, n_open, color="#4C72B0", label=w["open"])
            ax.bar(x, n_full, bottom=n_open, color="#DD8452", label=w["full"])
            totals = n_open + n_full
            ax.legend(prop={"family": families}, frameon=False)
        else:
            totals = np.bincount(load.to_numpy(), minlength=top + 1)
            ax.bar(x, totals, color="#4C72B0")
        for xi, t in zip(x, totals, strict=True):
            if t:
                ax.annotate(str(int(t)), (xi, t), ha="center", va="bottom", fontsize=8,
                            xytext=(0, 2), textcoords="offset points", fontfamily=families)
        ax.set_xticks(x)
        ax.set_title(w["load"], fontfamily=families)
        ax.set_xlabel(w["load_x"], fontfamily=families)
        ax.set_ylabel(w["load_y"], fontfamily=families)
        ax.spines[["top", "right"]].set_visible(False)
        return _finish(ax, families, made)


def plot_distance(result: Any, problem: Any = None, ax: Any = None, *, lang: str = "zh",
                  bins: int | str = "auto") -> Any:
    """Histogram of the pairs' distances (km) with the mean and median marked.

    ``problem`` is not needed (the distances are in ``result.pairs``); it is
    accepted so every plot is called the same way.

    Returns
    -------
    matplotlib.figure.Figure

    Example
    -------
    >>> import pandas as pd, matplotlib.pyplot as plt, banghdai as bd
    >>> from banghdai.report.plots import plot_distance
    >>> mentors = pd.DataFrame({"mentor_id": ["M1", "M2"], "lat": [38.5, 38.6], "lon": [106.3, 106.2]})
    >>> mentees = pd.DataFrame({"mentee_id": ["E1", "E2"], "lat": [38.4, 38.5], "lon": [106.4, 106.3]})
    >>> problem = bd.Problem(mentors, mentees)
    >>> fig = plot_distance(problem.solve(), problem)
    >>> fig.axes[0].get_title()
    '结对距离分布'
    >>> plt.close(fig)
    """
    w = _words(lang)
    pairs = getattr(result, "pairs", None)
    if not isinstance(pairs, pd.DataFrame) or "distance_km" not in pairs.columns:
        raise _input_error("plot_distance needs distances: give both tables lat and lon",
                           table="pairs", column="distance_km")
    d = pd.to_numeric(pairs["distance_km"], errors="coerce").dropna().to_numpy(dtype=float)
    with _cjk() as families:
        ax, made = _axes(ax, (7, 4.5))
        if d.size:
            ax.hist(d, bins=bins, color="#4C72B0", edgecolor="white")
            ax.axvline(float(d.mean()), color="#C44E52", lw=1.5,
                       label=w["mean"].format(v=float(d.mean())))
            ax.axvline(float(np.median(d)), color="#55A868", lw=1.5, ls="--",
                       label=w["median"].format(v=float(np.median(d))))
            ax.legend(prop={"family": families}, frameon=False)
        ax.set_title(w["distance"], fontfamily=families)
        ax.set_xlabel(w["distance_x"], fontfamily=families)
        ax.set_ylabel(w["distance_y"], fontfamily=families)
        ax.spines[["top", "right"]].set_visible(False)
        return _finish(ax, families, made)


def plot_coverage(result: Any, problem: Any, ax: Any = None, *, lang: str = "zh",
                  by: str | None = None) -> Any:
    """Coverage per group: mentor places filled / needed, one bar per category.

    ``by`` is a mentee column (default: ``category``, else ``county``, else one
    bar for everyone); each bar is labelled with the percentage and the counts.

    Returns
    -------
    matplotlib.figure.Figure

    Example
    -------
    >>> import pandas as pd, matplotlib.pyplot as plt, banghdai as bd
    >>> from banghdai.report.plots import plot_coverage
    >>> mentors = pd.DataFrame({"mentor_id": ["M1"]})
    >>> mentees = pd.DataFrame({"mentee_id": ["E1", "E2"], "county": ["甲县", "乙县"]})
    >>> problem = bd.Problem(mentors, mentees)
    >>> fig = plot_coverage(problem.solve(), problem)
    >>> [t.get_text() for t in fig.axes[0].get_yticklabels()]
    ['甲县', '乙县']
    >>> plt.close(fig)
    """
    from matplotlib.ticker import PercentFormatter

    w = _words(lang)
    mentees = read_side(problem, "mentees")
    pairs = ordered_pairs(result)
    need = demand(result, mentees, pairs)
    if by is None:
        by = next((c for c in ("category", "county") if mentees.has(c)), None)
    elif not mentees.has(by):
        by = mentees.resolve([by])[0]
    e = mentees.frame
    if by:
        need["group"] = e[by].astype(object).where(e[by].notna(), w["blank"]).astype(str)
    else:
        need["group"] = w["all"]
    table = need.groupby("group", sort=False)[["needed", "filled"]].sum()
    table = table[table["needed"] > 0]
    share = (table["filled"] / table["needed"]).to_numpy(dtype=float)
    if by == "category":
        title = w["coverage"]
    elif by:
        title = w["coverage_by"].format(by=_by_label(mentees, by, lang))
    else:
        title = w["coverage_all"]
    with _cjk() as families:
        ax, made = _axes(ax, (7, 0.9 + 0.45 * max(len(table), 1)))
        y = np.arange(len(table))
        ax.barh(y, share, color=["#4C72B0" if s >= 1 else "#DD8452" for s in share])
        for yi, s, (f, n) in zip(y, share, zip(table["filled"], table["needed"], strict=True),
                                 strict=True):
            ax.text(min(s, 1.0) + 0.01, yi, f"{s:.1%}  ({int(f)}/{int(n)})", va="center",
                    fontsize=8, fontfamily=families)
        ax.set_yticks(y, [str(g) for g in table.index])
        ax.invert_yaxis()
        ax.set_xlim(0, 1.3)
        ax.xaxis.set_major_formatter(PercentFormatter(1.0))
        ax.set_xticks([0, 0.25, 0.5, 0.75, 1.0])
        ax.set_title(title, fontfamily=families)
        ax.set_xlabel(w["coverage_x"], fontfamily=families)
        ax.spines[["top", "right"]].set_visible(False)
        return _finish(ax, families, made)
