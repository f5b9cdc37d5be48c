"""The rollup workbook (汇总分析表): one round's 序时 classes, rollups and rankings, for leaders and clerks.

Sheets, in order: 总体情况, 分地区, 分单位, 分领域, 分地区汇总值, 滞后任务, 排名, 环比, 待核实数值 (figures held
out of every total as a likely unit error, with their cells), 汇总问题 (what the rollup found, such as a
whole-task figure that differs from the sum of its regions, laid out as 问题清单's sheets). Status colours are
conditional formats (a cell rule per class), not static fills, so a clerk who edits a status sees the colour
follow. Counties are Excel outline groups under their city. All text goes through `safe_value`.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path
from typing import Any, Iterable

import xlsxwriter

from ..files import atomic_path
from ..model.round_ledger import TOTAL
from ..model.targets import Aggregation
from ..rollup.rankings import POINTS, Ranked
from ..rollup.regions import TOLERANCE, RegionValue
from ..rollup.status import Status
from ..rollup.summary import Rollup
from .excel import display_width, fit_widths, header_format, plain_number, safe_value
from .findings_book import add_findings_sheet
from .round_book import BOOK_OPTIONS, number_format, put

SHEETS = ["总体情况", "分地区", "分单位", "分领域", "分地区汇总值", "滞后任务", "排名", "环比", "待核实数值", "汇总问题"]
CLASSES = [s.value for s in Status]
PCT = "0.0"
OVERVIEW_KEYS = ["任务数", "已完成数", "完成率", "序时达标率", "滞后任务数", "未报送单位数"]
# Percent figures carry their unit in the header, as 本轮台帐 does; keys are the Rollup's dict keys.
SHOWN = {"完成率": "完成率(%)", "序时达标率": "序时达标率(%)", "平均完成率": "平均完成率(%)",
         "序时进度": "序时进度(%)", "差距": "差距(百分点)"}
PCT_KEYS = set(SHOWN)
WRAP_WIDTH = {"任务名称": 28, "滞后任务": 60, "存在问题": 30, "说明": 36}
LEVEL_NAME = {1: "市（州）", 2: "县（市、区）"}
HISTORY_KEYS = ["任务编号", "地区", "上期累计", "本期累计", "本月新增", "上期状态", "本期状态", "变化"]
CHANGE_COLOURS = {"新增滞后": Status.SEVERE.hex, "恢复": Status.DONE.hex}
TOP_FILL, BOTTOM_FILL = Status.DONE.hex, Status.SEVERE.hex  # 前三 light green, 后三 light red
MAX_OUTLINE = 7  # Excel's deepest outline level
_KIND_PROPS = {"wrap": {"text_wrap": True}, "int": {"num_format": "#,##0"}, "pct": {"num_format": PCT}}


def write_rollup_book(ro: Rollup, path: str | Path, history: list[dict] | None = None) -> Path:
    """Write the 汇总分析表; `history` is the 环比 rows (None on the first round of the year)."""
    with atomic_path(path) as tmp:
        book = xlsxwriter.Workbook(str(tmp), BOOK_OPTIONS)
        wb = _Book(book)
        _overview_sheet(wb, ro)
        _region_sheet(wb, ro)
        _group_sheet(wb, "分单位", "单位", ro.by_unit())
        _group_sheet(wb, "分领域", "领域", ro.by_domain())
        _rolled_sheet(wb, ro)
        _lagging_sheet(wb, ro)
        _ranking_sheet(wb, ro)
        _history_sheet(wb, ro, history)
        _held_sheet(wb, ro)
        _findings(wb, ro)
        book.close()
    return Path(path)


# -- formats and tables --------------------------------------------------------------------------------
class _Book:
    """The workbook with its formats, each created once."""

    def __init__(self, book):
        self.book, self.head, self._cells, self._fills = book, header_format(book), {}, {}

    def cell(self, **props):
        key = tuple(sorted(props.items()))
        if key not in self._cells:
            self._cells[key] = self.book.add_format({"valign": "top", "border": 1, "border_color": "#BFBFBF",
                                                     "font_name": "宋体", **props})
        return self._cells[key]

    def kind(self, kind: str, unit: str | None = None, value: Any = None, **extra):
        """text, wrap, int, pct, or num (formatted by the task's unit)."""
        if kind == "num":
            return self.cell(num_format=number_format(unit, value), **extra)
        return self.cell(**_KIND_PROPS.get(kind, {}), **extra)

    def fill(self, colour: str):
        """A conditional-format (dxf) fill."""
        if colour not in self._fills:
            self._fills[colour] = self.book.add_format({"bg_color": colour})
        return self._fills[colour]


def _status_colours(wb: _Book, sheet, first_row: int, first_col: int, last_row: int, last_col: int) -> None:
    """One `==` rule per class, so the fill follows whatever status text the cell holds."""
    if last_row < first_row:
        return
    for s in Status:
        sheet.conditional_format(first_row, first_col, last_row, last_col,
                                 {"type": "cell", "criteria": "==", "value": f'"{s.value}"', "format": wb.fill(s.hex)})


def _write(wb: _Book, sheet, top: int, left: int, headers: list[str], rows: list[list], kinds: list[str],
           units: list[str | None] | None = None) -> None:
    """Header row at `top`, then the rows; numbers stay numbers, text is neutralised by `put`."""
    sheet.write_row(top, left, headers, wb.head)
    for i, row in enumerate(rows):
        unit = units[i] if units else None
        for c, (kind, value) in enumerate(zip(kinds, row)):
            put(sheet, top + 1 + i, left + c, value, wb.kind(kind, unit, value))


def _widths(sheet, headers: list[str], rows: list[list]) -> None:
    """Fitted widths (floats measured as shown, not as 10.341099999999999); long text columns capped."""
    shown = [[f"{v:,.2f}" if isinstance(v, float) else safe_value(v) for v in row] for row in rows]
    for c, width in enumerate(fit_widths([headers, *shown], maximum=40)):
        sheet.set_column(c, c, WRAP_WIDTH.get(headers[c], width))


def _page(sheet, header_rows: int = 1, filter_to: tuple[int, int] | None = None) -> None:
    """Frozen, repeated header rows; A4 landscape, one page wide; optional autofilter (last row, last col)."""
    sheet.freeze_panes(header_rows, 0)
    sheet.repeat_rows(0, header_rows - 1)
    sheet.set_landscape()
    sheet.set_paper(9)
    sheet.fit_to_pages(1, 0)
    sheet.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    if filter_to and filter_to[0] >= header_rows:
        sheet.autofilter(header_rows - 1, 0, *filter_to)


def _kinds(headers: Iterable[str]) -> list[str]:
    return ["pct" if h in PCT_KEYS else "int" if h in CLASSES or h in ("任务数", "行数", "应报行数") else
            "wrap" if h in WRAP_WIDTH else "text" for h in headers]


# -- 总体情况 -------------------------------------------------------------------------------------------
def _overview_sheet(wb: _Book, ro: Rollup) -> None:
    sheet = wb.book.add_worksheet(SHEETS[0])
    ov = ro.overview()
    headers = [SHOWN.get(k, k) for k in OVERVIEW_KEYS]
    title = wb.book.add_format({"bold": True, "font_size": 16, "align": "center", "valign": "vcenter",
                                "font_name": "宋体"})
    sheet.merge_range(0, 0, 0, len(headers) - 1, f"{ro.round_ledger.round.label}民生实事任务推进情况汇总", title)
    sheet.set_row(0, 30)
    _write(wb, sheet, 1, 0, headers, [[ov[k] for k in OVERVIEW_KEYS]], _kinds(OVERVIEW_KEYS))
    n = ov["任务数"]
    class_headers = ["分类", "颜色", "任务数", "占比(%)"]
    rows = [[s.value, s.colour, ov["分类"][s.value], round(100 * ov["分类"][s.value] / n, 1) if n else None]
            for s in Status]
    _write(wb, sheet, 4, 0, class_headers, rows, ["text", "text", "int", "pct"])
    _status_colours(wb, sheet, 5, 0, 4 + len(rows), 0)
    for c, width in enumerate(fit_widths([headers, class_headers, *rows], minimum=12)):
        sheet.set_column(c, c, width)
    _page(sheet, header_rows=1)


# -- 分地区 ---------------------------------------------------------------------------------------------
def _region_sheet(wb: _Book, ro: Rollup) -> None:
    """Cities under the root, each followed by its counties as an outline group; only regions with rows."""
    tree = ro.ledger.regions
    groups = {d: ro.region_groups(d) for d in (1, 2)}
    # region_ranking names its regions rather than coding them, so look the scores up by name
    ranks = {d: {r.name: r for r in ro.region_ranking(d)} for d in (1, 2)}
    rows, levels = [], []
    for root in tree.roots():
        for city in tree.children(root.code):
            if city.code not in groups[1]:
                continue
            rows.append(_region_row(city, 1, groups[1][city.code], ranks[1]))
            levels.append(0)
            for county in tree.children(city.code):
                if county.code in groups[2]:
                    rows.append(_region_row(county, 2, groups[2][county.code], ranks[2]))
                    levels.append(1)
    headers = ["地区", "层级", "应报行数", *CLASSES, "得分", "排名"]
    sheet = wb.book.add_worksheet(SHEETS[1])
    _write(wb, sheet, 0, 0, headers, rows, [*_kinds(headers[:-2]), "pct", "int"])
    _status_colours(wb, sheet, 0, 3, 0, 2 + len(CLASSES))
    _outline(sheet, levels, first=1)
    _widths(sheet, headers, rows)
    _page(sheet, filter_to=(len(rows), len(headers) - 1))


def _region_row(region, depth: int, statuses: list[Status], ranks: dict[str, Ranked]) -> list:
    counts = Counter(statuses)
    ranked = ranks.get(region.name)
    return [region.name, region.level or LEVEL_NAME.get(depth, ""), len(statuses), *(counts.get(s, 0) for s in Status),
            ranked.score if ranked else None, ranked.rank if ranked else None]


def _outline(sheet, levels: list[int], first: int) -> None:
    """Group rows by outline level with the +/- on the summary row above its group."""
    sheet.outline_settings(True, False, True, False)
    for i, level in enumerate(levels):
        if level:
            sheet.set_row(first + i, None, None, {"level": min(level, MAX_OUTLINE), "hidden": False})


# -- 分单位, 分领域 --------------------------------------------------------------------------------------
def _group_sheet(wb: _Book, name: str, key: str, groups: list[dict[str, Any]]) -> None:
    keys = list(groups[0]) if groups else [key, "任务数", *CLASSES, "平均完成率", "滞后任务"]
    rows = [["；".join(g[k]) if isinstance(g[k], list) else g[k] for k in keys] for g in groups]
    headers = [SHOWN.get(k, k) for k in keys]
    sheet = wb.book.add_worksheet(name)
    _write(wb, sheet, 0, 0, headers, rows, _kinds(keys))
    _status_colours(wb, sheet, 0, keys.index(CLASSES[0]), 0, keys.index(CLASSES[-1]))
    _widths(sheet, headers, rows)
    _page(sheet, filter_to=(len(rows), len(keys) - 1))


# -- 分地区汇总值 ----------------------------------------------------------------------------------------
ROLLED_HEADERS = ["任务编号", "任务名称", "汇总方式", "计量单位", "地区", "累计完成", "目标", "本级报送", "已报/应报", "说明"]
ROLLED_KINDS = ["text", "wrap", "text", "text", "text", "num", "num", "num", "text", "wrap"]


def _rolled_sheet(wb: _Book, ro: Rollup) -> None:
    """Each decomposed task's rolled-up values, top region first, counties grouped under their city."""
    tree = ro.ledger.regions
    rows, units, depths = [], [], []
    for task in ro.ledger:
        if not task.region_targets:
            continue
        nodes = ro.task_nodes(task)
        aggregation = task.indicator.aggregation if task.indicator else Aggregation.NONE
        for node, depth in _tree_order(tree, nodes):
            # a 达标个数 task has no figure to add up: its regions say 已完成 or not, the parents count them (说明)
            counted = aggregation is Aggregation.COUNT_MET
            unit = "" if counted else task.unit
            own, note = _own(ro, task, node)
            rows.append([task.code, task.name, aggregation.value, unit or "", ro.region_name(node.region),
                         node.value, node.target, own, f"{node.reported}/{node.expected}", note])
            units.append(None if counted else task.unit)
            depths.append(depth)
    sheet = wb.book.add_worksheet(SHEETS[4])
    _write(wb, sheet, 0, 0, ROLLED_HEADERS, rows, ROLLED_KINDS, units)
    column = ROLLED_HEADERS.index("地区")
    for i, (row, depth) in enumerate(zip(rows, depths), start=1):  # indent the name as well as outlining it
        if depth:
            put(sheet, i, column, row[column], wb.cell(indent=depth))
    _outline(sheet, depths, first=1)
    _widths(sheet, ROLLED_HEADERS, rows)
    _page(sheet, filter_to=(len(rows), len(ROLLED_HEADERS) - 1))


def _own(ro: Rollup, task, node: RegionValue) -> tuple[float | None, str]:
    """本级报送 and 说明 of a node: the whole task's region shows the lead's figure for the whole (the one the
    bulletin prints), and says so when its regions add up to something else."""
    whole = ro.ledger.whole_region(task)
    total = ro.round_ledger.rows.get((task.code, TOTAL))
    if node.own is not None or whole is None or node.region != whole.code or total is None or total.value is None:
        return node.own, node.note or ""
    note = f"本级报送为{ro.label(task.lead)}所报"
    if node.value is not None and abs(total.value - node.value) > TOLERANCE * max(abs(total.value), abs(node.value)):
        note += f"，与下级汇总 {node.value:g} 不一致，请核对"
    return total.value, "；".join(n for n in (node.note, note) if n)


def _tree_order(tree, nodes: dict[str, RegionValue]) -> list[tuple[RegionValue, int]]:
    """Depth-first from each top node, siblings in code order; depth relative to the task's top region."""
    tops = [code for code in nodes if (tree.get(code) is None or tree.get(code).parent not in nodes)]
    out = []
    for top in sorted(tops):
        out.append((nodes[top], 0))
        if tree.get(top) is None:
            continue
        base = tree.depth(top)
        out.extend((nodes[r.code], tree.depth(r.code) - base) for r in tree.descendants(top) if r.code in nodes)
    return out


# -- 滞后任务 -------------------------------------------------------------------------------------------
LAGGING_KEYS = ["任务编号", "任务名称", "地区", "牵头单位", "责任单位", "状态", "年度目标", "累计完成", "完成率",
                "序时进度", "差距", "连续滞后轮次", "督办级别", "存在问题", "说明"]
NONE_LAGGING = "（本轮无滞后任务）"


def _lagging_sheet(wb: _Book, ro: Rollup) -> None:
    """Most behind first (差距 ascending); rows without a gap (未报送, qualitative) last."""
    items = sorted(ro.lagging(), key=lambda d: (d["差距"] is None, d["差距"] or 0))
    keys = list(items[0]) if items else LAGGING_KEYS
    rows = [[plain_number(d[k]) if k == "年度目标" else d[k] for k in keys] for d in items]
    units = [ro.ledger.tasks[d["任务编号"]].unit if d["任务编号"] in ro.ledger.tasks else None for d in items]
    kinds = ["num" if k == "累计完成" else "int" if k == "连续滞后轮次" else kind for k, kind in zip(keys, _kinds(keys))]
    headers = [SHOWN.get(k, k) for k in keys]
    sheet = wb.book.add_worksheet(SHEETS[5])
    _write(wb, sheet, 0, 0, headers, rows, kinds, units)
    if not rows:
        sheet.write_string(1, 0, NONE_LAGGING)
    status = keys.index("状态")
    _status_colours(wb, sheet, 1, status, max(len(rows), 1), status)
    _widths(sheet, headers, rows)
    _page(sheet, filter_to=(len(rows), len(keys) - 1))


# -- 待核实数值 -------------------------------------------------------------------------------------------
HELD_HEADERS = ["任务编号", "任务名称", "地区", "报送单位", "报送的累计完成", "计量单位", "年度目标", "说明", "文件",
                "工作表", "单元格"]
HELD_KINDS = ["text", "wrap", "text", "text", "num", "text", "text", "wrap", "wrap", "text", "text"]
NONE_HELD = "（本轮没有待核实的数值）"
NO_FINDINGS = "（本轮汇总没有发现问题）"


def _held_sheet(wb: _Book, ro: Rollup) -> None:
    """Figures kept out of every total until the unit confirms or corrects them, each with its cell."""
    rows = [[h.task, h.task_name, h.region or "（全部）", h.unit, h.value, h.measure, h.target, h.reason, h.file,
             h.sheet, h.cell] for h in ro.held]
    sheet = wb.book.add_worksheet(SHEETS[8])
    _write(wb, sheet, 0, 0, HELD_HEADERS, rows, HELD_KINDS, [h.measure for h in ro.held])
    if not rows:
        sheet.write_string(1, 0, NONE_HELD)
    _widths(sheet, HELD_HEADERS, rows)
    _page(sheet, filter_to=(max(len(rows), 1), len(HELD_HEADERS) - 1))


def _findings(wb: _Book, ro: Rollup) -> None:
    """The rollup's own findings, each with the cell of the figure it doubts."""
    add_findings_sheet(wb.book, SHEETS[9], ro.findings)
    if not len(ro.findings):
        wb.book.get_worksheet_by_name(SHEETS[9]).write_string(1, 0, NO_FINDINGS)


# -- 排名 -----------------------------------------------------------------------------------------------
RANK_HEADERS = ["排名", "名称", "得分", "行数"]
RANK_KINDS = ["int", "text", "pct", "int"]


def score_rule(kind: str) -> str:
    """The score rule of rankings.py in one sentence, built from its POINTS so the two cannot drift apart."""
    by_points: dict[float, list[str]] = defaultdict(list)
    for status, points in POINTS.items():
        by_points[points].append(status.value)
    parts = "，".join(f"{'/'.join(names)} {points:g} 分" for points, names in sorted(by_points.items(), reverse=True))
    left_out = "、".join(s.value for s in Status if s not in POINTS)
    return f"得分为该{kind}已判断各行的平均分（{parts}；{left_out}不计），得分相同者名次并列。"


def _ranking_sheet(wb: _Book, ro: Rollup) -> None:
    """地区排名 (cities) at the left, 单位排名 beside it, each with its 前三/后三 filled and the rule below."""
    sheet = wb.book.add_worksheet(SHEETS[6])
    office = ro.ledger.office
    tables = [(f"地区排名（{office.children_word if office else '市州'}）", "地区", ro.region_ranking(1), 0),
              ("单位排名", "单位", ro.unit_ranking(), len(RANK_HEADERS) + 1)]
    note, lines = max(len(ranked) for _, _, ranked, _ in tables) + 3, 1  # both notes on one row, below both
    for title, kind, ranked, left in tables:
        _rank_table(wb, sheet, ro, title, ranked, left)
        rule = score_rule(kind)
        sheet.merge_range(note, left, note, left + len(RANK_HEADERS) - 1, rule, wb.cell(text_wrap=True, border=0))
        widths = fit_widths([RANK_HEADERS, *[[r.rank, r.name, r.score, r.rows] for r in ranked]], minimum=8)
        for c, width in enumerate(widths):
            sheet.set_column(left + c, left + c, width)
        lines = max(lines, -(-display_width(rule) // sum(widths)))
    sheet.set_column(len(RANK_HEADERS), len(RANK_HEADERS), 3)  # the gap between the tables
    sheet.set_row(note, 16 * lines)  # merged cells do not grow to fit wrapped text
    _page(sheet, header_rows=2)


def _rank_table(wb: _Book, sheet, ro: Rollup, title: str, ranked: list[Ranked], left: int) -> None:
    sheet.merge_range(0, left, 0, left + len(RANK_HEADERS) - 1, title, wb.head)
    top, bottom = ro.top_bottom(ranked)
    fills = {r: TOP_FILL for r in top} | {r: BOTTOM_FILL for r in bottom}
    sheet.write_row(1, left, RANK_HEADERS, wb.head)
    for i, r in enumerate(ranked, start=2):
        fill = {"bg_color": fills[r]} if r in fills else {}
        for c, (cell_kind, value) in enumerate(zip(RANK_KINDS, [r.rank, r.name, r.score, r.rows])):
            put(sheet, i, left + c, value, wb.kind(cell_kind, **fill))


# -- 环比 -----------------------------------------------------------------------------------------------
FIRST_ROUND = "（首轮汇总，无上期数据可比）"
NOTHING_COMPARABLE = "（上期与本期无可比数据）"


def _history_sheet(wb: _Book, ro: Rollup, history: list[dict] | None) -> None:
    items = history or []
    keys = HISTORY_KEYS + list(dict.fromkeys(k for d in items for k in d if k not in HISTORY_KEYS))
    rows = [[d.get(k) for k in keys] for d in items]
    tasks = ro.ledger.tasks
    units = [tasks[d["任务编号"]].unit if d.get("任务编号") in tasks else None for d in items]
    kinds = ["num" if k in ("上期累计", "本期累计", "本月新增") else "text" for k in keys]
    sheet = wb.book.add_worksheet(SHEETS[7])
    _write(wb, sheet, 0, 0, keys, rows, kinds, units)
    if not rows:
        sheet.write_string(1, 0, FIRST_ROUND if history is None else NOTHING_COMPARABLE)
    last = max(len(rows), 1)
    for k in ("上期状态", "本期状态"):
        _status_colours(wb, sheet, 1, keys.index(k), last, keys.index(k))
    change = keys.index("变化")
    for text, colour in CHANGE_COLOURS.items():
        sheet.conditional_format(1, change, last, change, {"type": "cell", "criteria": "==", "value": f'"{text}"',
                                                           "format": wb.fill(colour)})
    _widths(sheet, keys, rows)
    _page(sheet, filter_to=(len(rows), len(keys) - 1))
