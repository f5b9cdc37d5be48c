"""Charts for the leadership brief (领导参阅), drawn with matplotlib and returned as `document.Figure` blocks.

Each chart is drawn once and saved twice: SVG for the PDF (text kept as text in a CJK family WeasyPrint finds
through fontconfig, so it prints crisply and can be searched) and PNG at `PNG_DPI` for Word. Settings are
applied with `rc_context` on an object-oriented `Figure` (Agg canvas, no pyplot state), so nothing leaks into
the caller's matplotlib.

Colours: bars take the class colours of `model.status.COLOURS`, the fills of the Excel and Word tables, one
segment per colour (绿 已完成, 蓝 达到序时进度, 黄 滞后, 红 严重滞后/逾期/未启动, 灰 未报送/无法判断); a legend entry
names the classes that actually occur in it. The fills are light, so bars get a thin grey edge.

Fonts: the first of `CJK_FAMILIES` matplotlib can find. matplotlib keeps its font list in a cache file made the
first time it ran, so fonts installed later stay unknown to it: when none is found, the list is rebuilt once
from the system's fonts (and the cache rewritten). Without any even then, a chart would print empty boxes
(豆腐块) for every Chinese character, so `cjk_family()` refuses with a message saying how to fix it.
"""
from __future__ import annotations

import io
import re
from pathlib import Path
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import Mapping, Sequence

import matplotlib
from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure as MplFigure
from matplotlib.patches import Rectangle
from matplotlib.ticker import MaxNLocator

from ..model.schedule import parse_round
from ..model.status import COLOURS, Status
from .document import Figure, RenderError

MM = 1 / 25.4  # inches in a millimetre
MAX_BARS_MM = 100.0
BAR_MM, BAR_FRAME_MM = 4.2, 24.0  # per bar; titles, axis and legend
PNG_DPI = 220  # Word scales the picture to `width` mm; 220 dpi stays sharp on a 600 dpi office printer
FONT_PT = 9.0
CJK_FAMILIES = ("Noto Sans CJK SC", "Source Han Sans SC", "Source Han Sans CN", "SimHei", "Microsoft YaHei",
                "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "Noto Serif CJK SC", "AR PL UMing CN")
SVG_FALLBACK = "黑体"  # reporter/data/fonts.conf maps it to a simplified Chinese face when the family is absent
EDGE, INK, GRID = "#7F7F7F", "#262626", "#D9D9D9"
LINE = "#2F5597"  # the trend line: a darker shade of the 按序时 blue, which is too light to draw a line with
COLOUR_ORDER = ("绿", "蓝", "黄", "红", "灰")


class ChartError(RenderError):
    """A chart cannot be drawn legibly (no Chinese font); the message says what to install."""


# --------------------------------------------------------------------------- fonts and rendering


@lru_cache(maxsize=1)
def cjk_family() -> str:
    """The first Chinese font family matplotlib knows, checked against its own font list."""
    for attempt in range(2):
        known = {entry.name for entry in font_manager.fontManager.ttflist}
        for family in CJK_FAMILIES:
            if family in known:
                return family
        if attempt == 0:
            rebuild_font_list()
    raise ChartError("找不到中文字体（已重新扫描本机字体），图表中的汉字会显示为方框。请先安装中文字体："
                     "Debian/Ubuntu 运行 sudo apt-get install fonts-noto-cjk（或 sudo bash scripts/system-deps.sh），"
                     "然后重新运行本命令。")


def font_cache() -> Path:
    """matplotlib's cached font list (the file `rebuild_font_list` rewrites)."""
    return Path(matplotlib.get_cachedir(), f"fontlist-v{font_manager.FontManager.__version__}.json")


def rebuild_font_list() -> None:
    """Scan the system's fonts again into matplotlib's font manager (in place: its bound `findfont` stays
    valid) and rewrite the cache file, so the next run starts with the fonts installed since."""
    fresh = font_manager.FontManager()
    current = font_manager.fontManager
    current.ttflist, current.afmlist = fresh.ttflist, fresh.afmlist
    current._findfont_cached.cache_clear()  # noqa: SLF001 — addfont() clears it the same way
    font_manager.json_dump(fresh, font_cache())  # logs and goes on if the cache folder is read-only


def _rc(salt: str) -> dict:
    return {
        "font.family": [cjk_family()], "font.size": FONT_PT,
        "svg.fonttype": "none", "svg.hashsalt": salt,  # fixed: clip-path ids, so the same chart, the same SVG
        "axes.edgecolor": EDGE, "axes.labelcolor": INK, "xtick.color": INK, "ytick.color": INK,
        "text.color": INK, "axes.linewidth": 0.6, "xtick.major.width": 0.6, "ytick.major.width": 0.6,
    }


def _render(draw, width: float, height: float, caption: str, salt: str) -> Figure:
    """Draw with `draw(fig)` at width × height mm and save it as SVG and PNG."""
    with matplotlib.rc_context(_rc(salt)):
        fig = MplFigure(figsize=(width * MM, height * MM), layout="constrained")
        FigureCanvasAgg(fig)
        draw(fig)
        fig.draw_without_rendering()  # lay out once: both saves then reuse the positions
        fig.set_layout_engine("none")
        svg, png = io.StringIO(), io.BytesIO()
        fig.savefig(svg, format="svg", metadata={"Date": None})  # no timestamp: same data, same file
        fig.savefig(png, format="png", dpi=PNG_DPI, metadata={"Software": None})
    return Figure(inline_svg(svg.getvalue(), width, height, salt), png.getvalue(), width, height, caption)


_STYLE = re.compile(r'\sstyle="([^"]*)"')
_DECL = re.compile(r"\s*([a-z-]+)\s*:\s*([^;]+?)\s*(?:;|$)")


def inline_svg(svg: str, width: float, height: float, prefix: str) -> str:
    """matplotlib's SVG made fit to sit inside an HTML page: no XML prolog, size in mm, no <style> sheet
    (it would style the whole page), ids prefixed (every chart has a 'figure_1'; ids must be unique in the
    page), and style="" turned into presentation attributes, which WeasyPrint's SVG renderer reads and its
    HTML stylesheet parser does not warn about."""
    svg = svg[svg.index("<svg"):]
    svg = re.sub(r'(\sid="|url\(#|href="#)', rf"\g<1>{prefix}-", svg)
    svg = re.sub(r"<defs>\s*<style[^>]*>.*?</style>\s*</defs>", "", svg, flags=re.S)
    svg = re.sub(r'<svg([^>]*?) width="[\d.]+pt" height="[\d.]+pt"',
                 rf'<svg\1 width="{width:g}mm" height="{height:g}mm" stroke-linejoin="round" stroke-linecap="butt"',
                 svg, count=1)
    svg = re.sub(r"<metadata>.*?</metadata>", "", svg, flags=re.S)
    return _STYLE.sub(_attributes, svg)


def _attributes(match: re.Match) -> str:
    out = []
    for name, value in _DECL.findall(match.group(1)):
        if name == "font-family":
            value = f"{value}, {SVG_FALLBACK}"
        out.append(f' {name}="{value}"')
    return "".join(out)


# --------------------------------------------------------------------------- class colours


def colour_groups(statuses: Sequence[Status] = tuple(Status)) -> list[tuple[str, list[Status], str]]:
    """(colour name, its classes in Status order, fill hex) for each class colour, green to grey."""
    groups: dict[str, list[Status]] = {}
    for status in statuses:
        groups.setdefault(COLOURS[status][0], []).append(status)
    return [(name, groups[name], COLOURS[groups[name][0]][1]) for name in COLOUR_ORDER if name in groups]


def _segments(rows: Sequence[Mapping[Status, int]]) -> list[tuple[str, str, list[Status]]]:
    """The class colours that occur in `rows`: (legend label naming the classes that occur, fill, its classes)."""
    total: Counter = Counter()
    for row in rows:
        total.update(row)
    return [("、".join(s.value for s in statuses if total[s]), fill, statuses)
            for _, statuses, fill in colour_groups() if any(total[s] for s in statuses)]


# --------------------------------------------------------------------------- charts


@dataclass(frozen=True)
class Panel:
    """One bar panel of a class chart: a bar per label (first at the top), stacked in the class colours."""

    title: str
    labels: Sequence[str]
    counts: Sequence[Mapping[Status, int]]
    notes: Sequence[str] = ()  # printed right of each bar, e.g. a ranking's scores
    share: bool = False  # each bar as 100% (shares of its items) instead of counts
    xlabel: str = ""


def class_chart(panels: Sequence[Panel], caption: str, *, width: float = 156, height: float | None = None,
                salt: str = "classes") -> Figure:
    """Panels side by side sharing one legend, e.g. tasks by domain (counts) and regions by score (shares):
    one figure, so Word and the PDF cannot part them and two rankings fit half a page."""
    rows = max((len(p.labels) for p in panels), default=0)
    height = height or bar_height(rows)
    segments = _segments([c for p in panels for c in p.counts])
    size = _tick_size(rows, height)

    def draw(fig):
        axes = fig.subplots(1, len(panels), squeeze=False)[0]
        for ax, panel in zip(axes, panels):
            _panel(ax, panel, segments, size)
        handles = [Rectangle((0, 0), 1, 1, facecolor=fill, edgecolor=EDGE, linewidth=0.4) for _, fill, _ in segments]
        if handles:
            fig.legend(handles, [label for label, _, _ in segments], loc="outside lower center", frameon=False,
                       ncols=min(len(handles), 5), handlelength=1.2, handleheight=0.8, columnspacing=1.2)

    return _render(draw, width, height, caption, salt)


def _panel(ax, panel: Panel, segments, size: float) -> None:
    n = len(panel.labels)
    y = list(range(n))[::-1]
    totals = [sum(c.values()) or 1 for c in panel.counts] if panel.share else [1] * n
    left = [0.0] * n
    for _, fill, statuses in segments:
        values = [sum(c.get(s, 0) for s in statuses) for c in panel.counts]
        widths = [100 * v / t for v, t in zip(values, totals)] if panel.share else values
        ax.barh(y, widths, left=left, color=fill, edgecolor=EDGE, linewidth=0.4, height=0.72)
        if not panel.share:  # counts are read off the bar; shares are compared by eye
            for yi, x0, v in zip(y, left, values):
                if v:
                    ax.text(x0 + v / 2, yi, str(v), ha="center", va="center", fontsize=size - 1)
        left = [a + b for a, b in zip(left, widths)]
    for yi, x1, note in zip(y, left, panel.notes):
        ax.text(x1 + (1.5 if panel.share else 0.15), yi, note, ha="left", va="center", fontsize=size - 1)
    ax.set_yticks(y, panel.labels, fontsize=size)
    ax.set_ylim(-0.6, n - 0.4)
    if panel.share:
        ax.set_xlim(0, 100)
        ax.set_xticks(range(0, 101, 25), [f"{x}%" for x in range(0, 101, 25)])
    else:
        ax.set_xlim(0, max(left, default=0) * 1.05 or 1)
        ax.xaxis.set_major_locator(MaxNLocator(nbins=5, integer=True))
    ax.set_title(panel.title, fontsize=FONT_PT)
    if panel.xlabel:
        ax.set_xlabel(panel.xlabel)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.tick_params(axis="y", length=0)
    ax.xaxis.grid(True, color=GRID, linewidth=0.5)
    ax.set_axisbelow(True)


def trend_line(points: Sequence[tuple[str, float | None]], caption: str, *, width: float = 156,
               height: float = 40, salt: str = "trend") -> Figure:
    """The 序时达标率 by round (round key, percent): a line over the 按序时 blue, each value printed above its
    point; a round without a value leaves a gap. With a single value (the year's first round) a bar instead:
    a line chart of one point is a dot on an empty axis. Rounds are labelled 1月, 2月 … (一季度 … for quarters)."""
    labels = [round_tick(key) for key, _ in points]
    fill = Status.ON_SCHEDULE.hex

    bars = sum(v is not None for _, v in points) < 2  # one value is a lone dot on a line chart: a bar says it

    def draw(fig):
        ax = fig.add_subplot()
        x = list(range(len(points)))
        y = [float("nan") if v is None else v for _, v in points]
        if bars:
            ax.bar(x, [0 if v is None else v for _, v in points], width=0.45, color=fill, edgecolor=EDGE,
                   linewidth=0.5)
            ax.set_xlim(-1.5, max(len(points) + 0.5, 1.5))
        else:
            ax.fill_between(x, y, color=fill, linewidth=0)
            ax.plot(x, y, color=LINE, linewidth=1.4, marker="o", markersize=3.5)
            ax.set_xlim(-0.5, max(len(points) - 0.5, 0.5))
        for xi, (_, v) in zip(x, points):
            if v is not None:
                ax.annotate(f"{v:.1f}%", (xi, v), xytext=(0, 4), textcoords="offset points", ha="center",
                            va="bottom")
        ax.set_xticks(x, labels)
        ax.set_ylim(0, 112)  # headroom for the value printed above a 100% point
        ax.set_yticks(range(0, 101, 25), [f"{t}%" for t in range(0, 101, 25)])
        ax.set_ylabel("序时达标率")
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        ax.yaxis.grid(True, color=GRID, linewidth=0.5)
        ax.set_axisbelow(True)

    return _render(draw, width, height, caption, salt)


def round_tick(key: str) -> str:
    """'2025-05' → '5月', '2025-Q2' → '二季度'."""
    rnd = parse_round(key)
    return f"{'一二三四'[rnd.month // 3 - 1]}季度" if rnd.quarterly else f"{rnd.month}月"


def bar_height(rows: int) -> float:
    """mm: `BAR_MM` a bar plus room for titles, axis and legend; at most `MAX_BARS_MM`, so the chart and the
    brief's other half page still fit however many regions there are."""
    return min(MAX_BARS_MM, BAR_MM * rows + BAR_FRAME_MM)


def _tick_size(rows: int, height: float) -> float:
    """Label size in pt: `FONT_PT`, smaller when bars get thinner than the text (a national round's 31 provinces)."""
    pitch_pt = (height - BAR_FRAME_MM) / max(rows, 1) * 72 / 25.4
    return max(6.0, min(FONT_PT, 0.8 * pitch_pt))
