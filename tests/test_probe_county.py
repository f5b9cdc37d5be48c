"""通山县 (咸宁市) as its own office keeps its ledger: written by hand the way a county clerk writes it — a title
row, a two-row merged header with the code in 序号 and the task in 民生实事项目, 责任单位 "县教育局、各乡镇人民政府",
qualitative targets and rates, no 地区 and no 责任单位 sheet, the 乡镇 named only in 附表2 乡镇任务分解 (wide, a
合计 column, 各乡镇任务 merged over the towns). The built-in table knows 通山县 but none of its 乡镇."""
from __future__ import annotations

from reporter import api
from reporter.render.findings_book import HEADERS

from .conftest import write_book

ROUND = "2025-05"
TOWNS = ["通羊镇", "南林桥镇", "黄沙铺镇", "厦铺镇", "九宫山镇", "闯王镇", "洪港镇", "大畈镇", "杨芳林乡", "燕厦乡", "慈口乡"]
TASKS = [
    ["TS-01", "就业创业", "城镇新增就业", "城镇新增就业人数", "人", "2600人", "县人社局", "各乡镇人民政府", "2025年12月底"],
    ["TS-02", "教育", "义务教育课后服务", "义务教育学校课后服务覆盖", "", "全覆盖", "县教育局", "县教育局、各乡镇人民政府",
     "2025年9月底"],
    ["TS-03", "健康", "村卫生室标准化建设", "标准化村卫生室", "个", "35个", "县卫健局", "各乡镇人民政府", "2025年11月底"],
    ["TS-05", "住房", "农村低收入群体危房改造", "危房改造户数", "户", "120户", "县住建局", "", "2025年10月底"],
    ["TS-06", "健康", "适龄妇女两癌筛查", "两癌筛查率", "%", "≥90%", "县卫健局", "县妇联、各乡镇人民政府", "2025年12月底"],
]
SPLIT = {"TS-01": ("城镇新增就业人数", "人", [900, 220, 180, 160, 260, 150, 140, 150, 160, 130, 150], 2600),
         "TS-02": ("义务教育学校课后服务覆盖", "", ["全覆盖"] * 11, "全覆盖"),
         "TS-03": ("标准化村卫生室", "个", [5, 4, 3, 3, 4, 3, 3, 3, 3, 2, 2], 35),
         "TS-06": ("两癌筛查率", "%", ["90%"] * 11, "≥90%")}


def tongshan_ledger(path):
    task_sheet = [["通山县2025年民生实事年度任务台帐"],
                  ["序号", "领域", "民生实事项目", "主要指标", None, "2025年目标", "牵头单位", "责任单位", "完成时限"],
                  [None, None, None, "指标名称", "计量单位", None, None, None, None], *TASKS]
    split = [["通山县2025年民生实事乡镇任务分解表"], ["序号", "指标", "单位", "合计", "各乡镇任务"],
             [None, None, None, None, *TOWNS],
             *[[code, ind, unit, total, *vals] for code, (ind, unit, vals, total) in SPLIT.items()]]
    merges = {"附表1 年度任务台帐": ["A1:I1", "D2:E2", *(f"{c}2:{c}3" for c in "ABCFGHI")],
              "附表2 乡镇任务分解": ["A1:O1", "E2:O2", *(f"{c}2:{c}3" for c in "ABCD")]}
    return write_book(path, {"附表1 年度任务台帐": task_sheet, "附表2 乡镇任务分解": split}, merges)


def test_a_county_ledger_with_codes_in_xuhao_and_towns_only_in_its_decomposition(tmp_path):
    ledger = tongshan_ledger(tmp_path / "通山县2025年民生实事年度任务台帐.xlsx")
    checked = api.check(ledger, ROUND, tmp_path / "工作区")
    assert not [f for f in checked.findings if f.severity.name == "ERROR"], [f.message for f in checked.findings]
    led = checked.ledger
    assert list(led.tasks) == ["TS-01", "TS-02", "TS-03", "TS-05", "TS-06"]
    assert led.tasks["TS-02"].name == "义务教育课后服务"
    assert led.office.name == "通山县" and [r.name for r in led.regions.children(led.office.region)] == TOWNS
    by_name = {r.name: r.code for r in led.regions.children(led.office.region)}
    assert led.tasks["TS-01"].region_targets[by_name["九宫山镇"]].value == 260
    assert set(led.tasks["TS-03"].region_targets) == set(by_name.values())
    assert led.tasks["TS-02"].region_targets[by_name["慈口乡"]].raw == "全覆盖"
    units = {led.tasks["TS-06"].region_units[code] for code in by_name.values()}
    assert len(units) == 11 and any("洪港镇" in u for u in units)
    assert not led.tasks["TS-05"].region_targets  # not split: the bureau reports it whole


def test_a_lead_repeated_in_责任单位_is_read_as_lead_only(tmp_path):
    """TS-02: 牵头单位 县教育局, 责任单位 "县教育局、各乡镇人民政府": 识读结果 says 牵头 县教育局 once, never also 配合."""
    import openpyxl

    ledger = tongshan_ledger(tmp_path / "通山县2025年民生实事年度任务台帐.xlsx")
    checked = api.check(ledger, ROUND, tmp_path / "工作区")
    line = next(l for l in checked.reading() if l.part == "任务" and l.item.startswith("TS-02"))
    assert "牵头 县教育局" in line.note and line.note.count("县教育局") == 1, line.note
    sheet = openpyxl.load_workbook(checked.findings_path)["识读结果"]
    written = next(r for r in sheet.iter_rows(values_only=True) if r[1] and str(r[1]).startswith("TS-02"))
    assert sum(str(v).count("县教育局") for v in written if v) == 1, written


def test_a_code_column_beats_xuhao(book, tmp_path):
    rows = [["序号", "任务编号", "任务名称", "指标名称", "计量单位", "年度目标", "牵头单位"],
            *[[n, t[0], t[2], t[3], t[4], t[5], t[6]] for n, t in enumerate(TASKS, 1)]]
    checked = api.check(book("通山县2025年民生实事年度任务台帐.xlsx", {"任务": rows}), ROUND, tmp_path / "工作区")
    assert list(checked.ledger.tasks) == ["TS-01", "TS-02", "TS-03", "TS-05", "TS-06"]


def test_a_county_round_speaks_of_its_towns(tmp_path):
    """init → template → fill (闯王镇 sends nothing) → collect → rollup → bulletin: the towns are 乡镇, never
    乡镇（街道） (通山县 has no 街道), in the 汇总分析表's ranking, the 主送机关 and the bulletin."""
    import docx
    import openpyxl

    from .office_ledgers import fill

    ledger = tongshan_ledger(tmp_path / "通山县2025年民生实事年度任务台帐.xlsx")
    api.init(tmp_path / "工作区", ledger)
    office = tmp_path / "工作区" / "templates" / "office.toml"
    assert 'addressee = "各乡镇人民政府，县直有关单位："' in office.read_text(encoding="utf-8")
    out = tmp_path / "工作区" / "output"
    templates = api.template(ledger, ROUND, out).folder
    done = {"TS-01": {**dict(zip(TOWNS, [400, 90, 80, 70, 110, 0, 60, 60, 70, 50, 60])), "": 1100},
            "TS-03": dict(zip(TOWNS, [2, 2, 1, 1, 2, 0, 1, 1, 1, 1, 1])), "TS-05": {"": 70}}
    fill(templates, tmp_path / "报送", lambda code, town: done.get(code, {}).get(town),
         skip={"闯王镇人民政府"}, whole="通山县")
    api.collect(tmp_path / "报送", ledger, ROUND, out)
    rolled = api.rollup(ledger, ROUND, out)
    assert rolled.rollup.ledger.office.children_word == "乡镇"
    book = openpyxl.load_workbook(next(out.rglob("汇总分析表.xlsx")))
    assert book["排名"]["A1"].value == "地区排名（乡镇）"
    rows = {(r[0], r[4]): r for r in book["分地区汇总值"].iter_rows(values_only=True)}
    county = rows[("TS-01", "通山县")]  # 累计完成 (its towns), 本级报送 (县人社局's whole county), 说明
    assert county[5] == sum(v for t, v in done["TS-01"].items() if t not in ("闯王镇", ""))
    assert county[7] == 1100 and "县人社局" in county[9] and "不一致" in county[9]
    # the same difference is a finding the clerk can act on: 汇总问题 names the task, both figures and the cell
    found = [dict(zip(HEADERS, r)) for r in book["汇总问题"].iter_rows(min_row=2, values_only=True)]
    whole = [f for f in found if "县人社局（全部）" in (f["问题说明"] or "")]
    assert len(whole) == 1 and whole[0]["严重程度"] == "警告", found
    assert "TS-01" in whole[0]["问题说明"] and "1100" in whole[0]["问题说明"] and str(county[5]) in whole[0]["问题说明"]
    assert whole[0]["文件"] and whole[0]["单元格"] and whole[0]["原值"] == "1100"
    assert rolled.summary()["问题"]["警告"] >= 1
    report = api.bulletin(ledger, ROUND, out, formats=("docx",), office=office)
    text = "\n".join(p.text for p in docx.Document(next(f for f in report.files if str(f).endswith(".docx")))
                     .paragraphs)
    assert "各乡镇人民政府，县直有关单位：" in text and "街道" not in text
    by_units = [part for para in text.split("\n") for part in para.split("从")[1:] if part.startswith("责任单位看")]
    assert by_units and not [t for t in TOWNS for part in by_units if t in part], by_units  # towns rank as 乡镇


def test_a_towns_own_table_names_it_without_镇_and_a_stray_comma_is_asked_about(tmp_path):
    """通羊镇's own sheet writes 地区 as “通羊”; 闯王镇 types “1,20” (1.20? 120?): the first is 通羊镇's row, the
    second is kept out and asked about at its cell, never read as 120."""
    ledger = tongshan_ledger(tmp_path / "通山县2025年民生实事年度任务台帐.xlsx")
    folder = tmp_path / "报送"
    folder.mkdir()
    head = ["任务编号", "地区", "累计完成", "进展状态"]
    write_book(folder / "通羊5月进展.xlsx", {"Sheet1": [["填报单位：通羊镇人民政府（盖章）"], head,
                                                     ["TS-01", "通羊", "410", "正常推进"], ["TS-03", "通羊", 2, "正常推进"]]})
    write_book(folder / "闯王镇5月.xlsx", {"Sheet1": [["填报单位：闯王镇"], head, ["TS-01", "闯王镇", "1,20", "正常推进"],
                                                  ["TS-03", "闯王镇", "1,200", "正常推进"]]})
    result = api.collect(folder, ledger, ROUND, tmp_path / "工作区")
    rl = result.round_ledger
    towns = {r.name: r.code for r in rl.ledger.regions.children(rl.ledger.office.region)}
    assert rl.rows[("TS-01", towns["通羊镇"])].value == 410 and rl.rows[("TS-03", towns["通羊镇"])].value == 2
    assert rl.rows[("TS-01", towns["闯王镇"])].value is None
    assert rl.rows[("TS-03", towns["闯王镇"])].value == 1200
    asked = [f for f in rl.findings if f.value == "1,20"]
    assert asked and asked[0].cell == "C3" and "不是数值" in asked[0].message
    assert not [f for f in rl.findings if "无法识别" in f.message]


def test_a_file_naming_no_unit_and_no_region_is_a_guess_said_as_one(tmp_path):
    """“新建 Microsoft Excel 工作表.xlsx” with one TS-01 row and no 地区: the county total of the lead (县人社局) is
    the only owner the rows point to, so it is taken as theirs — and the clerk is told it is a guess."""
    ledger = tongshan_ledger(tmp_path / "通山县2025年民生实事年度任务台帐.xlsx")
    folder = tmp_path / "报送"
    folder.mkdir()
    write_book(folder / "新建 Microsoft Excel 工作表.xlsx",
               {"Sheet1": [["进展情况"], ["任务编号", "累计完成", "进展状态"], ["TS-01", 66, "正常推进"]]})
    rl = api.collect(folder, ledger, ROUND, tmp_path / "工作区").round_ledger
    said = [f for f in rl.findings if f.code == "intake-submitter-from-tasks"]
    assert len(said) == 1 and "县人社局" in said[0].message and said[0].file == "新建 Microsoft Excel 工作表.xlsx"


def test_the_run_summary_counts_the_rollups_findings_with_collects():
    """The 本月汇总 问题 line adds the 汇总分析表's 汇总问题 to 问题清单's, so a mismatch is not seen only in a note."""
    from reporter.model.schedule import parse_round

    run = api.RunResult(parse_round(ROUND), steps={"汇总报送": {"问题": {"错误": 1, "警告": 2, "提示": 0}},
                                                   "汇总分析": {"问题": {"错误": 0, "警告": 1, "提示": 3}}})
    assert run.headline()["问题"] == {"错误": 1, "警告": 3, "提示": 3}
    assert api.RunResult(parse_round(ROUND)).headline()["问题"] is None
