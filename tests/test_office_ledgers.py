"""Office ledgers of every level, end to end: template → fill → collect → rollup → bulletin → notices.

Ledgers are written by hand (tests/office_ledgers.py) the way a city (咸宁市, seed 002), a county (长兴县, seed
003) and a province lay them out; the clerk's checks are asserted at every level: who reports what, the rolled
values at each region, what is ranked, what documents call the whole office.
"""
from __future__ import annotations

from pathlib import Path

import docx
import pytest

from reporter import api
from reporter.intake.annual import read_ledger

from . import office_ledgers as L
from .conftest import write_book

ROUND = "2025-05"


def _text(path: Path) -> str:
    d = docx.Document(str(path))
    cells = [c.text for t in d.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in d.paragraphs] + cells)


def _run(tmp_path: Path, builder, values, skip=frozenset(), whole=""):
    sheets, merges = builder()
    ledger = write_book(tmp_path / "台帐.xlsx", sheets, merges)
    out = tmp_path / "ws"
    made = api.template(ledger, ROUND, out)
    L.fill(made.folder, tmp_path / "报送", values, skip=skip, whole=whole)
    collected = api.collect(tmp_path / "报送", ledger, ROUND, out)
    rolled = api.rollup(ledger, ROUND, out).rollup
    bulletin = api.bulletin(ledger, ROUND, out, formats=("docx",), rolled=rolled)
    notices = api.notices(ledger, ROUND, out, formats=("docx",), rolled=rolled)
    return ledger, collected, rolled, bulletin, notices


def _code(ledger, name: str) -> str:
    return ledger.regions.match(name).code


# -- 咸宁市: a city, wide 任务分解 with a 合计, county governments named collectively ------------------------------
CITY_VALUES = {  # 累计完成 by (task, county); 通山县 sends nothing
    "XN-01": {"": 1.15, "咸安区": 0.3, "嘉鱼县": 0.2, "通城县": 0.15, "崇阳县": 0.2, "赤壁市": 0.3},
    "XN-02": {"": 40, "咸安区": 14, "嘉鱼县": 6, "通城县": 5, "崇阳县": 7, "赤壁市": 8},
    "XN-03": {"": 91, "咸安区": 95, "嘉鱼县": 92, "通城县": 88, "崇阳县": 91, "赤壁市": 93},
    "XN-04": {"": 3},
}


@pytest.fixture(scope="module")
def city(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("xianning")
    return _run(tmp, L.xianning_city, lambda code, region: CITY_VALUES[code].get(region),
                skip={"通山县人民政府"}, whole="咸宁市")


def test_city_ledger_is_read_as_the_city_s_own(city):
    ledger_path = city[0]
    checked = api.check(ledger_path, ROUND, None)
    lg = checked.ledger
    assert (lg.office.name, lg.office.scope, lg.office.children_word) == ("咸宁市", "全市", "县（市、区）")
    assert lg.regions.root().name == "咸宁市" and len(lg.regions) == 7  # the city and its six counties
    # 各县（市、区）人民政府 / 各县市区政府: every county reports, no 责任单位 sheet needed
    assert lg.submitters() == ["市人社局", "市住建局", "市教育局", "市民政局",
                               *(f"{c}人民政府" for c in L.XIANNING_COUNTIES)]
    xn3 = lg.tasks["XN-03"]
    assert {lg.regions[c].name: t.raw for c, t in xn3.region_targets.items()} == dict.fromkeys(
        L.XIANNING_COUNTIES, "≥90%")
    # the wide sheet's 合计 of XN-02 (125) is not the sum of its counties (120): a finding at that cell
    sums = [(f.sheet, f.cell) for f in checked.findings if f.code == "ledger-region-sum"]
    assert sums == [("任务分解", "J4")]
    assert {lg.regions[c].name: t.value for c, t in lg.tasks["XN-02"].region_targets.items()} == {
        "咸安区": 40, "嘉鱼县": 15, "通城县": 15, "崇阳县": 15, "通山县": 10, "赤壁市": 25}


def test_city_counties_report_and_roll_up_to_the_city(city):
    ledger_path, collected, ro, _, _ = city
    lg = ro.ledger
    assert [ro.label(u) for u in collected.round_ledger.missing] == ["通山县"]
    root = lg.office.region
    assert ro.rolled[("XN-01", root)].value == pytest.approx(1.15)
    assert ro.rolled[("XN-01", root)].reported == 5 and ro.rolled[("XN-01", root)].expected == 6
    assert ro.rolled[("XN-02", root)].value == pytest.approx(40)
    assert ro.rolled[("XN-02", root)].target == pytest.approx(120)
    row = collected.round_ledger.rows[("XN-01", _code(lg, "赤壁市"))]
    assert row.value == pytest.approx(0.3) and row.owner == "赤壁市人民政府"


def test_city_ranks_its_counties_and_says_quan_shi(city):
    _, _, ro, bulletin, notices = city
    ranked = [r.name for r in ro.region_ranking(1)]
    assert sorted(ranked) == sorted(L.XIANNING_COUNTIES)  # the city's counties, not 湖北's cities
    assert ro.whole_name(ro.ledger.tasks["XN-04"]) == "全市"
    assert ro.whole_name(ro.ledger.tasks["XN-01"]) == "全市"
    text = _text(next(p for p in bulletin.files if p.suffix == ".docx"))
    assert "湖北" not in text and "全部）" not in text
    assert "全市" in text and "县（市、区）推进情况排名" in text
    assert "通山县" in text and "未按时报送" in text  # the county that sent nothing is named
    notice_units = {p.name.split("_")[0] for p in notices.files if p.suffix == ".docx"}
    assert "通山县" in notice_units


# -- 长兴县: a county of 浙江 (not in the built-in table), 乡镇（街道） from its 地区 sheet, long decomposition -----------
def town_values(code: str, region: str):
    if code == "CX-01":
        return {"": 30, "雉城街道": 6, "画溪街道": 4, "太湖街道": 3, "龙山街道": 3, "洪桥镇": 4, "李家巷镇": 3,
                "夹浦镇": 3, "煤山镇": 2, "水口乡": 2}.get(region)
    if code == "CX-02":
        return 100 if region != "水口乡" else 80
    return {"CX-03": 4.6, "CX-04": 2}.get(code)


@pytest.fixture(scope="module")
def county(tmp_path_factory):
    return _run(tmp_path_factory.mktemp("changxing"), L.changxing_county, town_values, whole="长兴县")


def test_county_ledger_roots_at_the_county_with_its_towns(county):
    _, collected, ro, bulletin, _ = county
    lg = ro.ledger
    assert (lg.office.name, lg.office.scope, lg.office.children_word) == ("长兴县", "全县", "乡镇（街道）")
    assert [r.name for r in lg.regions.children(lg.office.region)] == L.CHANGXING_TOWNS
    assert collected.round_ledger.missing == []
    root = lg.office.region
    assert ro.rolled[("CX-01", root)].value == pytest.approx(30)
    assert ro.rolled[("CX-01", root)].target == pytest.approx(54)
    # 各乡镇人民政府、各街道办事处 on a rate: every town's target is the county's
    assert {lg.regions[c].name for c in lg.tasks["CX-02"].region_targets} == set(L.CHANGXING_TOWNS)
    assert lg.tasks["CX-02"].region_units[_code(lg, "雉城街道")] == "雉城街道办事处"
    ranked = [r.name for r in ro.region_ranking(1)]
    assert sorted(ranked) == sorted(L.CHANGXING_TOWNS)
    text = _text(next(p for p in bulletin.files if p.suffix == ".docx"))
    assert "全县" in text and "湖北" not in text and "乡镇（街道）推进情况排名" in text
    # the 通讯录 only adds detail: 雉城街道's e-mail is known
    assert lg.units.match("雉城街道办事处").email == "zc@changxing.example.gov.cn"


# -- 雉城街道: a 街道's own ledger, its 社区 below it ---------------------------------------------------------------
def test_a_street_office_ranks_its_communities(tmp_path):
    values = {"ZC-01": {"": 5, "长中社区": 2, "金陵社区": 1, "解放社区": 1, "画溪社区": 1}}
    _, collected, ro, bulletin, _ = _run(tmp_path, L.zhicheng_street,
                                         lambda code, region: values[code].get(region) if code in values else 100,
                                         whole="雉城街道")
    lg = ro.ledger
    assert (lg.office.name, lg.office.scope, lg.office.children_word) == ("雉城街道", "全街道", "社区")
    assert ro.rolled[("ZC-01", lg.office.region)].value == pytest.approx(5)
    assert lg.tasks["ZC-02"].region_units[_code(lg, "长中社区")] == "长中社区居民委员会"
    assert sorted(r.name for r in ro.region_ranking(1)) == sorted(L.COMMUNITIES)
    assert collected.round_ledger.missing == []
    text = _text(next(p for p in bulletin.files if p.suffix == ".docx"))
    assert "全街道" in text and "社区推进情况排名" in text and "各社区居委会，街道各有关单位：" in text


# -- 湖北省: a province, a 附表2 grouping counties under their cities; 各市、州、县人民政府 on a rate ------------------
@pytest.fixture(scope="module")
def province(tmp_path_factory):
    values = {"HB-01": {"": 50, "咸安区": 16, "嘉鱼县": 10, "通山县": 4, "大冶市": 12, "阳新县": 8}}
    return _run(tmp_path_factory.mktemp("hubei"), L.hubei_province,
                lambda code, region: values[code].get(region) if code in values else 96, whole="湖北省")


def test_province_rolls_counties_up_through_their_cities(province):
    _, _, ro, bulletin, _ = province
    lg = ro.ledger
    assert (lg.office.name, lg.office.scope, lg.office.children_word) == ("湖北省", "全省", "市州")
    assert ro.rolled[("HB-01", _code(lg, "咸宁市"))].value == pytest.approx(30)
    assert ro.rolled[("HB-01", _code(lg, "黄石市"))].value == pytest.approx(20)
    assert ro.rolled[("HB-01", lg.office.region)].value == pytest.approx(50)
    assert ro.rolled[("HB-01", lg.office.region)].target == pytest.approx(100)
    assert len(lg.tasks["HB-02"].region_targets) == 17  # 各市、州、县人民政府: the 17 市州
    ranked = {r.name for r in ro.region_ranking(1)}
    assert {"咸宁市", "黄石市", "武汉市"} <= ranked and not ranked & {"咸安区", "大冶市"}
    text = _text(next(p for p in bulletin.files if p.suffix == ".docx"))
    assert "全省" in text and "湖北省（全部）" not in text


# -- per-region columns in the task sheet ------------------------------------------------------------------------
def test_region_columns_in_the_task_sheet(tmp_path):
    values = {"XN-01": {"": 1.0, "咸安区": 0.3, "嘉鱼县": 0.1, "通城县": 0.1, "崇阳县": 0.1, "通山县": 0.1,
                        "赤壁市": 0.3},
              "XN-02": {"": 50, "咸安区": 20, "嘉鱼县": 5, "通城县": 5, "崇阳县": 5, "通山县": 5, "赤壁市": 10},
              "XN-04": {"": 2}}
    _, collected, ro, _, _ = _run(tmp_path, L.xianning_task_columns,
                                  lambda code, region: values[code].get(region), whole="咸宁市")
    lg = ro.ledger
    assert {lg.regions[c].name: t.value for c, t in lg.tasks["XN-01"].region_targets.items()} == dict(
        zip(L.XIANNING_COUNTIES, [0.6, 0.35, 0.35, 0.35, 0.3, 0.55]))
    assert lg.tasks["XN-04"].region_targets == {}
    assert ro.rolled[("XN-01", lg.office.region)].value == pytest.approx(1.0)
    assert ro.rolled[("XN-02", lg.office.region)].value == pytest.approx(50)
    assert collected.round_ledger.missing == []


# -- ledgers the reader cannot place -----------------------------------------------------------------------------
def test_no_task_sheet_says_what_is_needed(book):
    from reporter.intake.annual import LedgerError

    path = book("台帐.xlsx", {"Sheet1": [["序号", "内容"], [1, "城镇新增就业"]]})
    with pytest.raises(LedgerError) as err:
        read_ledger(path)
    assert [f.code for f in err.value.findings] == ["ledger-no-task-sheet"]
    assert "任务编号" in str(err.value) and "任务名称" in str(err.value)


def test_unknown_and_ambiguous_regions_are_named_at_their_cells(book):
    sheets, merges = L.xianning_city()
    sheets["任务分解"][1][5] = "九宫山镇"  # not a county of 咸宁市
    sheets["地区"] = [["地区名称", "上级地区"], ["城关镇", "通城县"], ["城关镇", "通城县"], ["城关镇", "崇阳县"]]
    sheets["任务分解"].append(["XN-04", "新建设施数", "个", None, None, None, None, None, None, None])
    sheets["任务分解"][1].append("城关镇")
    sheets["任务分解"][-1].append(2)
    lg, findings = read_ledger(book("台帐.xlsx", sheets, merges))
    got = {(f.code, f.sheet, f.cell): f.message for f in findings}
    unknown = got[("ledger-unknown-region", "任务分解", "F2")]
    assert "九宫山镇" in unknown and "咸宁市" in unknown and "地区" in unknown  # says what to change
    assert ("ledger-ambiguous-region", "地区", "A3") in got  # two 城关镇 under 通城县
    ambiguous = got[("ledger-ambiguous-region", "任务分解", "K2")]
    assert "通城县" in ambiguous and "崇阳县" in ambiguous
    assert "通城县" not in {lg.regions[c].name for c in lg.tasks["XN-01"].region_targets}  # that column is out


# -- 识读结果: what check understood, printed and written beside the findings ---------------------------------------
def test_check_writes_and_prints_what_it_understood(tmp_path):
    import openpyxl
    from click.testing import CliRunner

    from reporter.cli import main

    sheets, merges = L.xianning_city()
    sheets["填表说明"] = [["各县（市、区）请于每月5日前报送。"]]
    ledger = write_book(tmp_path / "咸宁市台帐.xlsx", sheets, merges)
    out = tmp_path / "ws"
    result = CliRunner().invoke(main, ["check", "--ledger", str(ledger), "--round", ROUND, "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "所属地区（汇总的根）  咸宁市（依据：台帐标题）" in result.output
    assert "通山县  3 项任务：XN-01、XN-02、XN-03；地区：通山县" in result.output
    book = openpyxl.load_workbook(out / ROUND / "台帐检查" / "台帐问题清单.xlsx")
    assert book.sheetnames == ["全部问题", "识读结果"]
    rows = [list(r) for r in book["识读结果"].iter_rows(values_only=True)]
    assert rows[0] == ["部分", "项目", "内容", "说明"]
    by_item = {(r[0], r[1]): r for r in rows[1:]}
    assert by_item[("办公室", "所属地区（汇总的根）")][2] == "咸宁市"
    assert [r[2].strip() for r in rows if r[0] == "地区"] == ["咸宁市", *L.XIANNING_COUNTIES]
    xn3 = by_item[("任务", "XN-03 普惠性幼儿园覆盖率")]
    assert "≥90%" in xn3[2] and "统称 各县(市、区)人民政府" not in xn3[3] and "分解到 6 个地区" in xn3[3]
    assert "各县市区政府" in xn3[3]
    unplaced = [r for r in rows if r[0] == "未识读"]
    assert any(r[1] == "填表说明" for r in unplaced)  # a sheet with no table is named, not dropped silently
    assert any(r[1] == "任务分解 J4" for r in unplaced) is False  # a finding that loads the data is not 'unread'


def test_county_files_written_by_hand_are_matched_within_the_city(tmp_path):
    """A county's own sheet, named 通山县政府 or 崇阳县人民政府, regions written short or with the province."""
    sheets, merges = L.xianning_city()
    ledger = write_book(tmp_path / "台帐.xlsx", sheets, merges)
    folder = tmp_path / "报送"
    folder.mkdir()
    head = ["任务编号", "地区", "累计完成", "进展状态"]
    write_book(folder / "通山县政府_5月报送.xlsx", {"Sheet1": [["2025年5月民生实事推进情况"], head,
                                                              ["XN-01", "通山", 0.12, "正常推进"],
                                                              ["XN-02", "通山县", 4, "正常推进"],
                                                              ["XN-03", "通山县", 90, "正常推进"]]})
    write_book(folder / "崇阳县人民政府.xlsx", {"进展": [head, ["XN-01", "湖北省咸宁市崇阳县", 0.2, "正常推进"],
                                                        ["XN-02", "崇阳县", 7, "正常推进"],
                                                        ["XN-03", "崇阳县", 91, "正常推进"]]})
    rl = api.collect(folder, ledger, ROUND, tmp_path / "ws").round_ledger
    lg = rl.ledger
    tongshan, chongyang = _code(lg, "通山县"), _code(lg, "崇阳县")
    assert rl.rows[("XN-01", tongshan)].value == pytest.approx(0.12)
    assert rl.rows[("XN-01", tongshan)].submitter == "通山县人民政府"
    assert rl.rows[("XN-02", tongshan)].value == 4 and rl.rows[("XN-03", chongyang)].value == 91
    assert rl.rows[("XN-01", chongyang)].value == pytest.approx(0.2)
    assert {"通山县人民政府", "崇阳县人民政府"}.isdisjoint(rl.missing)


def test_the_city_s_own_part_is_its_lead_department_s(tmp_path):
    """A 市本级 column: the part the city's departments carry themselves, beside the counties'."""
    sheets, merges = L.xianning_city()
    split = sheets["任务分解"]
    split[1].insert(9, "市本级")
    split[2][9:9], split[3][9:9] = [0.1], [5]
    split[2][-1], split[3][-1] = 2.6, 125
    sheets["任务台帐"][2][5], sheets["任务台帐"][3][5] = "2.6万人", "125个"
    values = {"XN-01": {"": 1.3, "咸宁市本级": 0.15, "咸安区": 0.3, "嘉鱼县": 0.2, "通城县": 0.15, "崇阳县": 0.2,
                        "通山县": 0.1, "赤壁市": 0.2},
              "XN-02": {"": 50, "咸宁市本级": 2, "咸安区": 14, "嘉鱼县": 6, "通城县": 5, "崇阳县": 7, "通山县": 8,
                        "赤壁市": 8},
              "XN-03": {}, "XN-04": {"": 3}}
    _, collected, ro, _, _ = _run(tmp_path, lambda: (sheets, merges),
                                  lambda code, region: values[code].get(region, 90), whole="咸宁市")
    lg = ro.ledger
    own = _code(lg, "咸宁市本级")
    assert lg.tasks["XN-01"].region_targets[own].value == 0.1
    assert lg.tasks["XN-01"].region_units[own] == "市人社局"  # the lead reports the city's own part
    assert ro.rolled[("XN-01", lg.office.region)].value == pytest.approx(1.3)
    assert ro.rolled[("XN-02", lg.office.region)].value == pytest.approx(50)
    assert collected.round_ledger.rows[("XN-02", own)].submitter == "市住建局"
    assert not [f for f in api.check(tmp_path / "台帐.xlsx", ROUND, None).findings if f.code == "ledger-region-sum"]


def test_a_region_sheet_of_names_only_lists_the_office_s_towns(book):
    sheets, merges = L.changxing_county()
    sheets["地区"] = [["地区名称"], *[[t] for t in L.CHANGXING_TOWNS]]
    lg, findings = read_ledger(book("台帐.xlsx", sheets, merges))
    assert (lg.office.name, lg.office.scope, lg.office.found_by) == ("长兴县", "全县", "title")
    assert [r.name for r in lg.regions.children(lg.office.region)] == L.CHANGXING_TOWNS
    assert len(lg.tasks["CX-01"].region_targets) == len(lg.tasks["CX-02"].region_targets) == 9
    assert not [f for f in findings if f.severity.value == "错误"]


# -- 咸宁市 again: "2.8万人" for the city, 7000 (人) for a county ---------------------------------------------------
PEOPLE = {"1": {"咸安区": 3500, "嘉鱼县": 1400, "赤壁市": 3200, "通城县": 2100, "崇阳县": 1900},
          "2": {"": 50, "咸安区": 18, "嘉鱼县": 6, "赤壁市": 10, "通城县": 5, "崇阳县": 6},
          "3": {"": 5, "咸安区": 3, "赤壁市": 2}}


def test_county_shares_in_people_of_a_target_in_wan_ren(tmp_path):
    ledger_path, collected, ro, _, notices = _run(
        tmp_path, L.xianning_by_people, lambda code, region: PEOPLE[code].get(region),
        skip={"通山县人民政府"}, whole="咸宁市")
    checked = api.check(ledger_path, ROUND, None)
    lg = checked.ledger
    jobs = lg.tasks["1"]
    # read as 7000万人, every county's figure would be a thousandfold out: the task is counted in 人
    assert (jobs.unit, jobs.target.value) == ("人", 28000)
    assert {lg.regions[c].name: t.value for c, t in jobs.region_targets.items()} == {
        "咸安区": 7000, "嘉鱼县": 3000, "赤壁市": 6000, "通城县": 4000, "崇阳县": 4000, "通山县": 4000}
    said = [(f.code, f.cell) for f in checked.findings if f.code.startswith("ledger-region")]
    assert said == [("ledger-region-base-unit", "A4")]
    assert lg.tasks["2"].unit == "个" and lg.tasks["2"].target.value == 120  # plain units stay as they are
    # "咸安区、赤壁市人民政府" are the two governments, the same units as the counties' rows of the other tasks
    xianan = lg.units.match("咸安区")
    assert (xianan.name, xianan.kind.value, xianan.region) == ("咸安区人民政府", "地区", _code(lg, "咸安区"))
    assert lg.tasks["3"].region_units == {_code(lg, "咸安区"): "咸安区人民政府", _code(lg, "赤壁市"): "赤壁市人民政府"}
    rl = collected.round_ledger
    assert rl.rows[("1", _code(lg, "咸安区"))].value == 3500
    assert not ro.held and not [f for f in rl.findings if f.code == "intake-far-above-target"]
    root = ro.rolled[("1", lg.office.region)]
    assert (root.value, root.target, root.reported, root.expected) == (12100, 28000, 5, 6)
    # 市人社局 left its whole row blank (未启动): the task is judged on its counties' 12100 of 28000
    assert rl.rows[("1", "")].value is None and rl.rows[("1", "")].status == "未启动"
    assert ro.tasks["1"].status.value == "按序时" and ro.tasks["1"].completion == pytest.approx(43.2, abs=0.05)
    assert "通山县" in {p.name.split("_")[0] for p in notices.files if p.suffix == ".docx"}
    # no 领域 column: the brief groups the tasks by 牵头单位, never one bar of "未分类"
    from reporter.render.brief import build_brief
    from reporter.render.bulletin import document_text, load_office

    text = document_text(build_brief(ro, load_office(None, ro.ledger)))
    assert "未分类" not in text and "三、分牵头单位和分县（市、区）情况" in text
    assert "从牵头单位看，市住建局（1项）和市教育局（1项）牵头的任务滞后较多。" in text
