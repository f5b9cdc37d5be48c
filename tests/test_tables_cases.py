"""Progress tables as units really build them: header wordings, months in headers and sheet names, region
headers with brackets, instruction sheets, 填报单位 lines far down or with a seal mark, section headings.
Each case is checked by what a clerk would look at: which column became 累计完成, which unit sent the file."""
import pytest
from openpyxl import Workbook

from reporter.intake.annual import read_ledger
from reporter.intake.discover import discover
from reporter.intake.headers import is_heading
from reporter.intake.identify import identify
from reporter.intake.submission import parse_submission

from .conftest import write_book


@pytest.fixture
def ledger(book):
    path = book("台帐.xlsx", {
        "任务": [
            ["任务编号", "任务名称", "计量单位", "年度目标", "牵头单位", "完成时限"],
            ["T1", "新增公办学前教育学位", "个", "70000", "省教育厅", "年底前"],
            ["T2", "建设急救站点", "个", "140", "省卫健委", "6月底前"],
        ],
        "分地区目标": [["任务编号", "地区", "年度目标"], ["T2", "江岸区", 80], ["T2", "江汉区", 60]],
        "责任单位": [
            ["单位名称", "简称", "单位类型"],
            ["湖北省教育厅", "省教育厅", "部门"],
            ["湖北省卫生健康委员会", "省卫健委", "部门"],
            ["江岸区人民政府", "江岸区政府", "地区"],
            ["江汉区人民政府", "江汉区政府", "地区"],
        ],
    })
    return read_ledger(path, year=2025)[0]


workbook = write_book  # sheets in order, cells merged per sheet


def parse(path, month=None):
    return parse_submission(next(discover(path)), month=month)


def read(tmp_path, rows, month=None, merges=()):
    """The one sheet's submission: a file named 报送.xlsx holding `rows`."""
    return parse(workbook(tmp_path / "报送.xlsx", {"进展": rows}, {"进展": merges}), month)


def header_of(sub, key):
    """The header written over the column read as field `key`, or None."""
    grid = sub.grids[0]
    col = sub.tables[0][2].get(key)
    return None if col is None else grid.layout.headers[col]


# -- 1. any 累计完成 header --------------------------------------------------------------------------------

@pytest.mark.parametrize("header", ["1-5月累计完成", "1至5月累计完成", "截至5月31日累计完成", "累计完成量",
                                    "本年累计完成", "今年以来累计完成", "１—５月累计完成（个）"])
def test_any_header_saying_cumulative_is_the_value(tmp_path, header):
    sub = read(tmp_path, [["任务编号", "任务名称", header], ["T1", "新增公办学前教育学位", 30]])
    assert sub.error is None
    assert header_of(sub, "value") == header
    assert sub.rows[0].fields["value"] == 30


@pytest.mark.parametrize("header", ["上月累计完成数", "截至上月底累计完成", "上期累计完成"])
def test_last_months_cumulative_is_not_the_value(tmp_path, header):
    sub = read(tmp_path, [["任务编号", header, "累计完成"], ["T1", 20, 30]])
    assert header_of(sub, "previous") == header and header_of(sub, "value") == "累计完成"
    assert sub.rows[0].fields == {"code": "T1", "previous": 20, "value": 30}


def test_a_rate_or_last_years_figure_is_not_the_value(tmp_path):
    sub = read(tmp_path, [["任务编号", "累计完成率", "去年同期累计完成", "累计完成量"], ["T1", "40%", 25, 30]])
    assert header_of(sub, "value") == "累计完成量"
    assert sub.rows[0].others == {"累计完成率": "40%", "去年同期累计完成": 25}


# -- 2. the better match wins ----------------------------------------------------------------------------

@pytest.mark.parametrize("headers, value", [
    (["完成情况", "累计完成数"], "累计完成数"),
    (["累计完成数", "完成情况"], "累计完成数"),
    (["完成值", "累计完成数", "累计完成"], "累计完成"),
    (["实际完成", "完成情况"], "实际完成"),  # two loose aliases: the leftmost
])
def test_the_closest_header_wins_then_the_leftmost(tmp_path, headers, value):
    numbers = {"累计完成数": 41, "累计完成": 41, "实际完成": 41}
    row = ["T1"] + [numbers.get(h, "按计划推进") for h in headers]
    sub = read(tmp_path, [["任务编号", *headers], row])
    assert header_of(sub, "value") == value
    assert sub.rows[0].fields["value"] == 41
    assert set(sub.rows[0].others) == set(headers) - {value}  # the others are kept as notes


# -- 3. months in the headers ----------------------------------------------------------------------------

@pytest.mark.parametrize("month", [5, None])
def test_the_month_asked_for_is_the_value_and_the_month_before_is_last_months(tmp_path, month):
    sub = read(tmp_path, [["任务编号", "截至3月底累计完成", "截至4月底累计完成", "截至5月底累计完成"],
                          ["T1", 18, 30, 41]], month=month)
    assert header_of(sub, "value") == "截至5月底累计完成"
    assert header_of(sub, "previous") == "截至4月底累计完成"
    assert sub.rows[0].fields == {"code": "T1", "previous": 30, "value": 41}
    assert sub.rows[0].others == {"截至3月底累计完成": 18}


def test_an_earlier_round_picks_its_own_month(tmp_path):
    sub = read(tmp_path, [["任务编号", "4月累计完成", "5月累计完成"], ["T1", 30, 41]], month=4)
    assert sub.rows[0].fields == {"code": "T1", "value": 30}
    assert sub.rows[0].others == {"5月累计完成": 41}


def test_months_in_the_upper_row_of_a_two_row_header(tmp_path):
    sub = read(tmp_path, [["任务编号", "截至4月底", "截至5月底"], [None, "累计完成", "累计完成"], ["T1", 30, 41]],
               month=5, merges=["A1:A2"])
    assert sub.rows[0].fields == {"code": "T1", "previous": 30, "value": 41}


@pytest.mark.parametrize("headers", [["截至4月底累计完成", "上月累计完成"], ["完成情况", "截至4月底累计完成"]])
def test_a_header_not_updated_since_last_month_is_still_read(tmp_path, headers):
    """No column names May: the April column is this month's figure (a copied header), not a text column."""
    cells = {"截至4月底累计完成": 41, "上月累计完成": 30, "完成情况": "按计划推进"}
    sub = read(tmp_path, [["任务编号", *headers], ["T1", *map(cells.get, headers)]], month=5)
    assert header_of(sub, "value") == "截至4月底累计完成" and sub.rows[0].fields["value"] == 41


def test_an_undated_standard_header_beside_last_months(tmp_path):
    sub = read(tmp_path, [["任务编号", "截至4月底累计完成", "累计完成"], ["T1", 30, 41]], month=5)
    assert sub.rows[0].fields == {"code": "T1", "previous": 30, "value": 41}


# -- 4. a sheet per month --------------------------------------------------------------------------------

def month_sheets(path, names):
    rows = {name: [["任务编号", "累计完成"], ["T1", 30 + i * 11]] for i, name in enumerate(names)}
    return workbook(path, rows)


@pytest.mark.parametrize("april", ["4月", "2025年4月", "4月份", "四月"])
def test_last_months_sheet_is_not_read(tmp_path, april):
    sub = parse(month_sheets(tmp_path / "报送.xlsx", [april, "5月"]), month=5)
    assert [t[0] for t in sub.tables] == ["5月"]
    assert [row.fields["value"] for row in sub.rows] == [41]
    assert sub.skipped == [(april, "表名为4月，本轮为5月，未读取。")]


def test_a_sheet_naming_no_month_is_this_months(tmp_path):
    sub = parse(month_sheets(tmp_path / "报送.xlsx", ["4月", "进展填报"]), month=5)
    assert [t[0] for t in sub.tables] == ["进展填报"] and [s for s, _ in sub.skipped] == ["4月"]


def test_a_single_sheet_naming_another_month_is_read(tmp_path):
    sub = parse(month_sheets(tmp_path / "报送.xlsx", ["4月"]), month=5)
    assert [t[0] for t in sub.tables] == ["4月"] and sub.skipped == []


def test_without_a_month_the_latest_sheet_is_read(tmp_path):
    sub = parse(month_sheets(tmp_path / "报送.xlsx", ["4月", "5月"]))
    assert [t[0] for t in sub.tables] == ["5月"]
    assert sub.skipped == [("4月", "表名为4月，文件中另有5月的工作表，未读取。")]


# -- 5. region headers with brackets ---------------------------------------------------------------------

@pytest.mark.parametrize("header", ["县（市、区）", "县(市、区)", "市（州）", "县（市）", "区（县）"])
def test_bracketed_region_headers_are_the_region(tmp_path, header):
    sub = read(tmp_path, [["任务编号", header, "累计完成"], ["T2", "江岸区", 30]])
    assert header_of(sub, "region") == header
    assert sub.rows[0].fields["region"] == "江岸区" and "region" not in sub.units


def test_bracketed_region_headers_in_the_ledgers_region_targets():
    from reporter.intake.headers import find_table
    from reporter.intake.ledger_schema import REGION_TARGETS
    from reporter.intake.workbook import Sheet

    table = find_table(Sheet("分地区目标", [["任务编号", "县（市、区）", "年度目标"], ["T2", "江岸区", 80]]),
                       REGION_TARGETS)
    assert table.columns == {"code": 0, "region": 1, "target": 2}


def test_a_unit_in_brackets_is_still_split_off(tmp_path):
    sub = read(tmp_path, [["任务编号", "年度目标（万人）", "累计完成（万人）"], ["T1", 70, 30]])
    assert sub.units == {"target": "万人", "value": "万人"}


# -- 6. instruction sheets -------------------------------------------------------------------------------

GUIDE = [["序号", "栏目", "填写要求"], [1, "任务编号", "按台帐填写"], [2, "累计完成", "填写……"]]
DATA = [["任务编号", "任务名称", "累计完成"], ["T1", "新增公办学前教育学位", 30]]


@pytest.mark.parametrize("name", ["填报说明", "填表说明", "说明", "指标解释", "填报要求"])
def test_an_instruction_sheet_before_the_data_is_not_read(tmp_path, name):
    sub = parse(workbook(tmp_path / "报送.xlsx", {name: GUIDE, "数据": DATA}))
    assert sub.error is None and [t[0] for t in sub.tables] == ["数据"]
    assert [row.fields for row in sub.rows] == [{"code": "T1", "name": "新增公办学前教育学位", "value": 30}]


def test_a_value_column_without_a_task_column_is_no_table(tmp_path):
    sub = parse(workbook(tmp_path / "报送.xlsx", {"Sheet2": GUIDE, "数据": DATA}))
    assert [t[0] for t in sub.tables] == ["数据"]
    only = parse(workbook(tmp_path / "说明.xlsx", {"Sheet2": GUIDE}))
    assert only.error and "找不到进展填报表" in only.error


# -- 7 and 8. 填报单位 -----------------------------------------------------------------------------------

def test_the_unit_line_below_a_long_title_block_is_found(tmp_path, ledger):
    title = [[f"第{i}行标题"] for i in range(1, 9)]
    sub = read(tmp_path, [*title, ["填报单位：江岸区人民政府"], ["任务编号", "地区", "累计完成"], ["T2", "江岸区", 30]])
    assert sub.declared == [("江岸区人民政府", "进展", "A9")]
    assert identify(sub, ledger).unit == "江岸区人民政府"


def test_the_unit_line_on_a_cover_sheet_without_a_table(tmp_path, ledger):
    cover = [[None]] * 14 + [["填报单位：", "江汉区人民政府"]]
    sub = parse(workbook(tmp_path / "报送.xlsx", {"封面": cover, "数据": DATA}))
    assert identify(sub, ledger).unit == "江汉区人民政府"


def test_rows_below_the_header_are_not_a_unit_line(tmp_path):
    sub = read(tmp_path, [["任务编号", "累计完成", "备注"], ["T1", 30, "填报单位：江汉区人民政府"]])
    assert sub.declared == []


@pytest.mark.parametrize("line, unit", [
    (["填报单位（盖章）：江岸区人民政府"], "江岸区人民政府"),
    (["填报单位：江汉区人民政府（盖章）"], "江汉区人民政府"),
    (["填报单位：江汉区人民政府(章)   填报日期：2025年6月3日"], "江汉区人民政府"),
    (["报送单位（盖章）：江岸区人民政府"], "江岸区人民政府"),
    (["单位名称（公章）：江汉区人民政府"], "江汉区人民政府"),
    (["填报单位（盖章）：", "江岸区人民政府（公章）"], "江岸区人民政府"),
])
def test_seal_marks_are_no_part_of_the_label_or_the_name(tmp_path, ledger, line, unit):
    sub = read(tmp_path, [line, ["任务编号", "地区", "累计完成"], ["T2", "江岸区", 30]])
    assert [name for name, _, _ in sub.declared] == [unit]
    assert identify(sub, ledger).unit == unit and identify(sub, ledger).how == "填报单位栏"


# -- 9. section headings ---------------------------------------------------------------------------------

def test_numbered_headings_in_the_data_area_are_labels(tmp_path):
    sub = read(tmp_path, [
        ["序号", "任务编号", "任务名称", "累计完成"],
        ["一", None, "就业创业（2项）"],
        [1, "T1", "新增公办学前教育学位", 30],
        ["（二）", "医疗卫生"],
        [2, "T2", "建设急救站点", 12],
        ["三", "T3"],  # a mark and a task code: a row of data
    ])
    assert [row.fields.get("code") for row in sub.rows] == ["T1", "T2", "T3"]


@pytest.mark.parametrize("values, heading", [
    (["一、就业创业"], True),
    (["一", None, "就业创业（2项）"], True),
    (["（二）", "教育"], True),
    (["(3)", None, "社会保障"], True),
    (["十二、", "住房保障"], True),
    (["一", "T1"], False),  # a task code
    (["一", "MS-2025-01"], False),
    (["一", "民生01"], False),
    (["一", "教育", 30], False),  # a number: data
    (["一", "教育", "按计划推进"], False),  # three cells
    ([1, "教育"], False),  # a number in the 序号 column
    (["完成", "教育"], False),  # no numbering
])
def test_is_heading(values, heading):
    assert is_heading(values) is heading


# -- 10. the wordings of 累计完成 on 市/县 forms -----------------------------------------------------------

@pytest.mark.parametrize("header", ["1-5月完成", "1-5月累计", "截至5月底完成数", "累计数", "完成数", "完成量",
                                    "截至目前完成情况", "1—5月完成情况", "实际完成值", "2025年1-5月累计",
                                    "一至五月完成情况"])
def test_common_wordings_of_the_value_column_are_read(tmp_path, header):
    sub = read(tmp_path, [["填报单位：省教育厅"], ["序号", "任务编号", "任务名称", "计量单位", "年度目标", header, "进展状态"],
                          [1, "T1", "新增公办学前教育学位", "个", 70000, 41, "正常推进"]], month=5)
    assert sub.error is None
    assert header_of(sub, "value") == header
    assert sub.rows[0].fields["value"] == 41 and "年度目标" not in sub.rows[0].others


@pytest.mark.parametrize("header", ["1-5月完成率", "1-5月计划完成", "上年1-5月完成", "截至5月底完成时间",
                                    "去年同期累计数", "5月完成"])
def test_wordings_that_are_not_the_value(tmp_path, header):
    sub = read(tmp_path, [["任务编号", header, "累计完成"], ["T1", 7, 41]], month=5)
    assert header_of(sub, "value") == "累计完成" and sub.rows[0].fields["value"] == 41
    assert header_of(sub, "previous") in (None, header)  # never the value


@pytest.mark.parametrize("loose", ["完成数", "完成量", "实际完成值"])
def test_a_precise_header_wins_over_a_loose_one(tmp_path, loose):
    sub = read(tmp_path, [["任务编号", loose, "1-5月累计"], ["T1", 3, 41]], month=5)
    assert header_of(sub, "value") == "1-5月累计" and sub.rows[0].others == {loose: 3}


def test_month_spans_follow_the_round(tmp_path):
    sub = read(tmp_path, [["任务编号", "1-4月完成", "1-5月完成"], ["T1", 30, 41]], month=5)
    assert sub.rows[0].fields == {"code": "T1", "previous": 30, "value": 41}
    april = read(tmp_path, [["任务编号", "1-4月完成", "1-5月完成"], ["T1", 30, 41]], month=4)
    assert april.rows[0].fields == {"code": "T1", "value": 30} and april.rows[0].others == {"1-5月完成": 41}


# -- 11. a two-row header whose upper cell spans a rate and a count -------------------------------------

TWO_ROW = [["任务编号", "任务名称", "1-5月累计完成", None, "进展状态"]]
TWO_ROW_MERGES = ["A1:A2", "B1:B2", "C1:D1", "E1:E2"]


@pytest.mark.parametrize("lower", [["完成率（%）", "完成数"], ["完成率", "数量"], ["占比（%）", "完成值"]])
def test_a_rate_under_the_cumulative_header_is_not_the_value(tmp_path, lower):
    sub = read(tmp_path, [*TWO_ROW, [None, None, *lower, None], ["T1", "新增公办学前教育学位", 30, 41, "正常推进"]],
               month=5, merges=TWO_ROW_MERGES)
    assert sub.tables[0][1] == (0, 1)
    assert header_of(sub, "value") == lower[1]
    assert sub.rows[0].fields["value"] == 41 and sub.rows[0].others == {lower[0]: 30}


def test_the_count_under_the_cumulative_header_beats_a_loose_text_column(tmp_path):
    """完成数 under 1-5月累计完成 is as good as the upper header: a 完成情况 text column to its left is a note."""
    sub = read(tmp_path, [["任务编号", "完成情况", "1-5月累计完成", None], [None, None, "完成率（%）", "完成数"],
                          ["T1", "按计划推进", 30, 41]], month=5, merges=["A1:A2", "B1:B2", "C1:D1"])
    assert header_of(sub, "value") == "完成数" and sub.rows[0].fields["value"] == 41


# -- 12. hidden sheets -----------------------------------------------------------------------------------

def hide(monkeypatch, *names):
    """Sheets read as hidden (Sheet.hidden), whatever the reader knows of the file."""
    from reporter.intake import submission

    real = submission.read_workbook

    def read_workbook(*args, **kwargs):
        sheets = real(*args, **kwargs)
        for sheet in sheets:
            sheet.hidden = sheet.name in names
        return sheets

    monkeypatch.setattr(submission, "read_workbook", read_workbook)


def helper_and_form(path):
    return workbook(path, {
        "上报底稿": [["填报单位：江汉区人民政府"], ["任务编号", "地区", "累计完成"], ["T2", "江岸区", 30]],
        "进展填报": [["填报单位：江岸区人民政府"], ["任务编号", "地区", "累计完成"], ["T2", "江岸区", 41]],
    })


def test_a_hidden_sheet_before_the_form_is_not_read(tmp_path, monkeypatch, ledger):
    hide(monkeypatch, "上报底稿")
    sub = parse(helper_and_form(tmp_path / "报送.xlsx"), month=5)
    assert [t[0] for t in sub.tables] == ["进展填报"]
    assert [row.fields["value"] for row in sub.rows] == [41]
    assert sub.skipped == [("上报底稿", "该工作表为隐藏工作表，文件中另有可见的进展填报表，未读取。")]
    assert identify(sub, ledger).unit == "江岸区人民政府"  # the visible sheet's 填报单位 comes first


def test_hidden_sheets_are_read_when_no_visible_sheet_has_a_table(tmp_path, monkeypatch):
    hide(monkeypatch, "上报底稿", "进展填报")
    sub = parse(helper_and_form(tmp_path / "报送.xlsx"), month=5)
    assert [t[0] for t in sub.tables] == ["上报底稿", "进展填报"] and sub.skipped == []


def test_a_hidden_sheet_in_a_real_file(tmp_path):
    from reporter.intake.workbook import Sheet

    if "hidden" not in getattr(Sheet, "__dataclass_fields__", {}):
        pytest.skip("workbook.Sheet has no `hidden` yet")
    wb = Workbook()
    helper = wb.active
    helper.title = "上报底稿"
    form = wb.create_sheet("进展填报")
    for sheet, value in ((helper, 30), (form, 41)):
        sheet.append(["任务编号", "累计完成"])
        sheet.append(["T1", value])
    helper.sheet_state = "hidden"
    wb.active = 1
    wb.save(tmp_path / "报送.xlsx")
    sub = parse(tmp_path / "报送.xlsx", month=5)
    assert [row.fields["value"] for row in sub.rows] == [41] and [s for s, _ in sub.skipped] == ["上报底稿"]


# -- 13. the office that fills the form for its unit ----------------------------------------------------

@pytest.fixture
def office_ledger(book):
    path = book("台帐.xlsx", {
        "任务": [["任务编号", "任务名称", "计量单位", "年度目标", "牵头单位"], ["T1", "新增公办学前教育学位", "个", "70000", "省教育厅"]],
        "责任单位": [
            ["单位名称", "简称", "单位类型"],
            ["湖北省教育厅", "省教育厅", "部门"],
            ["江岸区人民政府", "江岸区政府", "地区"],
            ["江岸区人民政府教育局", "", "部门"],
        ],
    })
    return read_ledger(path, year=2025)[0]


@pytest.mark.parametrize("line, unit", [
    ("填报单位：江岸区人民政府办公室", "江岸区人民政府"),
    ("填报单位：江岸区民生实事办", "江岸区人民政府"),
    ("填报单位：江岸区政府办", "江岸区人民政府"),
    ("填报单位：江岸区民生实事领导小组办公室", "江岸区人民政府"),
    ("填报单位：省教育厅办公室", "湖北省教育厅"),
    ("填报单位：湖北省教育厅综合处", "湖北省教育厅"),
    ("填报单位：江岸区人民政府教育局", "江岸区人民政府教育局"),
    ("填报单位：江岸区人民政府教育局办公室", "江岸区人民政府教育局"),  # the longest name, never its government
])
def test_the_office_filling_in_for_its_unit(tmp_path, office_ledger, line, unit):
    sub = read(tmp_path, [[line], ["任务编号", "累计完成"], ["T1", 41]])
    found = identify(sub, office_ledger)
    assert found.unit == unit and found.how == "填报单位栏"


@pytest.mark.parametrize("text", ["江岸区卫健局办公室", "江岸区人民政府卫健局", "江岸区卫健局", "江岸区财政办公厅"])
def test_another_unit_of_the_region_is_not_its_government(office_ledger, text):
    from reporter.intake.identify import resolve_unit

    assert resolve_unit(text, office_ledger) is None


# -- 14. one sheet per region ----------------------------------------------------------------------------

def test_a_table_without_a_region_column_offers_its_sheet_name(tmp_path):
    sub = parse(workbook(tmp_path / "报送.xlsx", {
        "咸安区": [["任务编号", "累计完成"], ["T1", 10]],
        "嘉鱼县": [["任务编号", "地区", "累计完成"], ["T1", "嘉鱼县", 2]],
    }))
    assert [grid.layout.region_hint for grid in sub.grids] == ["咸安区", None]
