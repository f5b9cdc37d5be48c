"""A figure intake suspects of a unit error (≥ 100× its target) is held out of every total until confirmed."""
from __future__ import annotations

import openpyxl
import pytest

from reporter.model.round_ledger import TOTAL, Provenance, RoundLedger, RoundRow, expected_rows
from reporter.model.regions import RegionTree
from reporter.model.schedule import Round, parse_deadline
from reporter.model.targets import Aggregation, Direction, Indicator, parse_target
from reporter.model.tasks import AnnualLedger, Task
from reporter.model.units import UnitDirectory
from reporter.render.bulletin import build_bulletin, document_text, load_office, task_table
from reporter.render.rollup_book import write_rollup_book
from reporter.rollup.summary import summarise

TREE = RegionTree.from_rows(
    [{"code": "421200", "name": "咸宁市", "parent": "", "level": "市"}]
    + [{"code": code, "name": name, "parent": "421200", "level": "县"} for code, name in
       [("421202", "咸安区"), ("421221", "嘉鱼县"), ("421222", "通城县")]])
COUNTIES = ["421202", "421221", "421222"]


def round_with(figures: dict[str, float], notes: str = "") -> RoundLedger:
    """新增城镇就业 (万人) split to three counties with a target of 1 万人 each, reported as given."""
    task = Task("XN-01", "新增城镇就业", target=parse_target("3万人"), lead="市人社局",
                deadline=parse_deadline("年底前", 2025),
                indicator=Indicator("新增城镇就业人数", "万人", Direction.HIGHER, None, Aggregation.SUM))
    task.region_targets = {c: parse_target("1万人") for c in COUNTIES}
    task.region_units = {c: f"{TREE[c].name}人民政府" for c in COUNTIES}
    lg = AnnualLedger(2025, {task.code: task}, UnitDirectory(), TREE)
    rl = RoundLedger(lg, Round(2025, 5), rows=expected_rows(lg))
    for n, (code, value) in enumerate(figures.items()):
        rl.rows[("XN-01", code)] = RoundRow("XN-01", code, owner=task.region_units[code],
                                            submitter=task.region_units[code], value=value, raw_value=f"{value:g}",
                                            problems=notes if code == "421222" else "",
                                            origin=(f"{TREE[code].name}.xlsx", "进展填报", 4), columns={"value": 7})
    return rl


def test_a_figure_a_hundred_times_its_target_is_kept_out_of_every_total(tmp_path):
    rl = round_with({"421202": 0.46, "421221": 0.41, "421222": 4100.0})  # 通城县 wrote 人 for 万人
    ro = summarise(rl)
    top = ro.rolled[("XN-01", "421200")]
    assert top.value == pytest.approx(0.87)  # not 4100.87
    held = rl.rows[("XN-01", "421222")]
    assert held.value is None and held.held == 4100.0
    assert [(h.region, h.value, h.file, h.sheet, h.cell) for h in ro.held] == [
        ("通城县", 4100.0, "通城县.xlsx", "进展填报", "H5")]
    # the bulletin's annex and the 汇总分析表 use the same 0.87, and both name the held cell
    table = task_table(ro)
    assert table.rows[0][5] == "0.87万人"
    text = document_text(build_bulletin(ro, load_office()))
    assert "通城县人民政府报送的“新增城镇就业”通城县累计完成4100万人" in text and "通城县.xlsx › 进展填报 › H5" in text
    assert "核实前未计入本期汇总" in text
    book = openpyxl.load_workbook(write_rollup_book(ro, tmp_path / "汇总分析表.xlsx"))
    rolled = [r for r in book["分地区汇总值"].iter_rows(min_row=2, values_only=True) if r[4] == "咸宁市"]
    assert rolled[0][5] == pytest.approx(0.87)
    held_rows = list(book["待核实数值"].iter_rows(min_row=2, values_only=True))
    assert held_rows[0][:5] == ("XN-01", "新增城镇就业", "通城县", "通城县人民政府", 4100)
    assert held_rows[0][-3:] == ("通城县.xlsx", "进展填报", "H5")
    assert summarise(rl).rolled[("XN-01", "421200")].value == pytest.approx(0.87)  # summarising again: the same


def test_a_confirmed_figure_counts_and_a_merely_high_one_is_only_warned_about():
    ro = summarise(round_with({"421202": 0.46, "421221": 0.41, "421222": 4100.0}, notes="数值已核实，系全县招聘会集中签约"))
    assert ro.held == [] and ro.rolled[("XN-01", "421200")].value == pytest.approx(4100.87)
    ro = summarise(round_with({"421202": 0.46, "421221": 0.41, "421222": 99.0}))  # 99×: intake's warning only
    assert ro.held == [] and ro.rolled[("XN-01", "421200")].value == pytest.approx(99.87)


def test_the_unit_is_asked_to_confirm_or_correct_its_held_figure():
    from reporter.render.bulletin import document_text
    from reporter.render.notices import build_notices, load_notice_settings

    ro = summarise(round_with({"421202": 0.46, "421221": 0.46, "421222": 4100.0}))
    notices = {n.unit: n for n in build_notices(ro, load_notice_settings())}
    assert "通城县人民政府" in notices and "咸安区人民政府" not in notices  # on schedule: no notice
    text = document_text(notices["通城县人民政府"].document)
    assert "经核对，你单位报送的部分数据有待核实。" in text
    assert "“新增城镇就业”通城县累计完成4100万人（年度目标1万人，见报送表“进展填报”H5单元格）" in text
    assert ".xlsx" not in text  # the unit knows its own file: the notice names the sheet and cell
    assert "核实前未计入汇总" in text and "已核实" in text


def test_a_region_whose_figure_is_held_is_not_praised():
    """通城县 wrote 4100 (万人) and 正常推进: judged on its word it would score among the best, but the bulletin
    and the brief praise nobody whose figure waits to be confirmed."""
    from dataclasses import replace

    from reporter.render.brief import brief_context
    from reporter.render.bulletin import bulletin_context

    rl = round_with({"421202": 0.46, "421221": 0.12, "421222": 4100.0})
    rl.rows[("XN-01", "421222")] = replace(rl.rows[("XN-01", "421222")], status="正常推进")
    ro = summarise(rl)
    scores = {r.name: r.score for r in ro.region_ranking(1)}
    assert scores["通城县"] >= scores["咸安区"] >= 90 > scores["嘉鱼县"]
    office = load_office()
    assert [r.name for r in bulletin_context(ro, office)["top_regions"]] == ["咸安区"]
    assert [r.name for r in brief_context(ro, office)["top_regions"]] == ["咸安区"]
