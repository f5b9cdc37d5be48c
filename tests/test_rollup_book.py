"""The rollup workbook (汇总分析表), opened with openpyxl the way an inspector would."""
from __future__ import annotations

import openpyxl
import pytest

from reporter import api
from reporter.render.rollup_book import FIRST_ROUND, OVERVIEW_KEYS, SHEETS, score_rule, write_rollup_book
from reporter.rollup.status import Status
from reporter.rollup.summary import summarise

from .conftest import SAMPLE_LEDGER

HISTORY = [{"任务编号": "MS2025-001", "地区": "=武汉市", "上期累计": 5.0, "本期累计": 7.76, "本月新增": 2.76,
            "上期状态": "按序时", "本期状态": "滞后", "变化": "新增滞后"}]


@pytest.fixture(scope="module")
def rollup(tmp_path_factory):
    out = tmp_path_factory.mktemp("rollup")
    run = api.sample(SAMPLE_LEDGER, "2025-05", out)
    return summarise(api.collect(run.folder, SAMPLE_LEDGER, "2025-05", out).round_ledger)


@pytest.fixture(scope="module")
def book(rollup, tmp_path_factory):
    path = write_rollup_book(rollup, tmp_path_factory.mktemp("book") / "汇总分析表.xlsx")
    return openpyxl.load_workbook(path)


def rows(ws, start: int = 2) -> list[tuple]:
    return [r for r in ws.iter_rows(min_row=start, values_only=True) if any(v is not None for v in r)]


def header_index(ws, row: int = 1) -> dict[str, int]:
    return {c.value: c.column for c in ws[row] if c.value is not None}


def plain(header: str) -> str:
    return header.split("(")[0]


def test_sheet_names_and_order(book):
    assert book.sheetnames == SHEETS == ["总体情况", "分地区", "分单位", "分领域", "分地区汇总值", "滞后任务", "排名", "环比",
                                        "待核实数值", "汇总问题"]


def test_overview_figures_match_rollup(book, rollup):
    ws, overview = book["总体情况"], rollup.overview()
    assert ws["A1"].value == "2025年5月民生实事任务推进情况汇总"
    figures = {plain(ws.cell(2, c).value): ws.cell(3, c).value for c in range(1, len(OVERVIEW_KEYS) + 1)}
    assert figures == {k: overview[k] for k in OVERVIEW_KEYS}
    classes = {ws.cell(r, 1).value: ws.cell(r, 3).value for r in range(6, 6 + len(Status))}
    assert classes == overview["分类"]
    assert ws.cell(3, 3).number_format == "0.0"


def test_regions_outline_counties_under_cities(book, rollup):
    ws = book["分地区"]
    assert ws.sheet_properties.outlinePr.summaryBelow is False
    cities = {r.name for r in rollup.region_ranking(1)}
    levels = {ws.cell(r, 1).value: ws.row_dimensions[r].outline_level for r in range(2, ws.max_row + 1)}
    assert {levels[name] for name in cities} == {0}
    first = ws.cell(2, 1).value
    assert first in cities and ws.row_dimensions[3].outline_level == 1  # a county, grouped under its city
    tree = rollup.ledger.regions
    county = next(tree.get(c) for c in rollup.region_groups(2) if tree.get(c).parent)
    assert levels[county.name] == 1
    # 应报行数 of a city counts its own rows and its counties'
    col = header_index(ws)
    city_row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == first)
    code = next(c for c in rollup.region_groups(1) if rollup.region_name(c) == first)
    assert ws.cell(city_row, col["应报行数"]).value == len(rollup.region_groups(1)[code])


def test_lagging_sheet_rows_sorted_and_coloured(book, rollup):
    ws = book["滞后任务"]
    col = header_index(ws)
    data = rows(ws)
    assert len(data) == len(rollup.lagging())
    gaps = [r[col["差距(百分点)"] - 1] for r in data]
    known = [g for g in gaps if g is not None]
    assert known == sorted(known) and gaps[: len(known)] == known  # most behind first, blanks last
    status_col = openpyxl.utils.get_column_letter(col["状态"])
    rules = [rule for cf in ws.conditional_formatting if str(cf.sqref).startswith(f"{status_col}2:")
             for rule in cf.rules]
    severe = [r for r in rules if r.formula == ['"严重滞后"']]
    assert severe and severe[0].type == "cellIs" and severe[0].operator == "equal"
    assert severe[0].dxf.fill.bgColor.rgb.endswith(Status.SEVERE.hex.lstrip("#"))
    assert {r.formula[0].strip('"') for r in rules} == {s.value for s in Status}


def test_class_headers_coloured_conditionally(book):
    for name in ("分地区", "分单位", "分领域"):
        ws = book[name]
        col = header_index(ws)
        first, last = (openpyxl.utils.get_column_letter(col[s.value]) for s in (Status.DONE_EARLY, Status.UNKNOWN))
        ranges = {str(cf.sqref): len(cf.rules) for cf in ws.conditional_formatting}
        assert ranges.get(f"{first}1:{last}1") == len(Status), name


def test_rankings_share_ranks_on_ties(book, rollup):
    ws = book["排名"]
    assert ws["A1"].value.startswith("地区排名") and ws["F1"].value == "单位排名"
    units = [r[5:9] for r in ws.iter_rows(min_row=3, values_only=True) if isinstance(r[5], int)]
    assert [(rank, name, score) for rank, name, score, _ in units] == [
        (r.rank, r.name, r.score) for r in rollup.unit_ranking()]
    assert len({score for _, _, score, _ in units}) < len(units)  # the sample has ties
    for i, (rank, _, score, _) in enumerate(units):
        previous = units[i - 1] if i else None
        expected = previous[0] if previous and previous[2] == score else i + 1
        assert rank == expected  # competition ranking: 1, 1, 3
    assert ws.cell(3, 1).fill.fgColor.rgb.endswith(Status.DONE.hex.lstrip("#"))  # 前三
    last = 2 + len(rollup.region_ranking(1))
    assert ws.cell(last, 1).fill.fgColor.rgb.endswith(Status.SEVERE.hex.lstrip("#"))  # 后三
    notes = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str) and c.value.startswith("得分为")]
    assert notes == [score_rule("地区"), score_rule("单位")]
    assert "严重滞后 30 分" in notes[0]


def test_rolled_values_group_counties(book, rollup):
    ws = book["分地区汇总值"]
    decomposed = {t.code for t in rollup.ledger if t.region_targets}
    assert {r[0] for r in rows(ws)} <= decomposed
    expected = sum(len(rollup.task_nodes(t)) for t in rollup.ledger if t.region_targets)
    assert len(rows(ws)) == expected  # parents from the rollup, leaves from their own rows
    assert {ws.row_dimensions[r].outline_level for r in range(2, ws.max_row + 1)} >= {0, 1, 2}


def test_print_setup(book):
    for ws in book:
        assert ws.page_setup.orientation == "landscape", ws.title
        assert str(ws.page_setup.paperSize) == "9", ws.title
        assert ws.freeze_panes is not None and ws.print_title_rows, ws.title


def test_history_first_round_and_rows(book, rollup, tmp_path):
    assert book["环比"]["A2"].value == FIRST_ROUND
    ws = openpyxl.load_workbook(write_rollup_book(rollup, tmp_path / "h.xlsx", HISTORY))["环比"]
    assert [c.value for c in ws[2]] == ["MS2025-001", "=武汉市", 5, 7.76, 2.76, "按序时", "滞后", "新增滞后"]
    assert ws["B2"].data_type == "s"  # formula-like text stays text
