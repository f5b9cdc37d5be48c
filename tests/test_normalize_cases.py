"""What a clerk checks when units write status, values and dates their own way (real submissions)."""
import datetime as dt

import pytest

from reporter.intake.normalize import normalize_date, normalize_status, normalize_value, unit_factor
from reporter.intake.values import cell_text, free_text
from reporter.model import findings as F


def codes(problems):
    return [ftype.code for ftype, _ in problems]


# -- 进展状态 --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("written", [
    "未按序时推进", "慢于序时推进", "慢于序时", "落后于序时", "未达序时", "未达到序时进度", "进度较慢", "进度偏慢",
    "进展缓慢", "推进较慢", "尚未完成", "没有完成", "未完成目标任务", "未能按期完成", "没能如期推进", "未按計劃推進",
])
def test_negated_or_slower_wordings_are_lagging(written):
    assert normalize_status(written) == ("滞后", [])


@pytest.mark.parametrize("written", ["未动工", "尚未实施", "暂未开工", "未按期开工", "尚未启动"])
def test_not_started_wordings(written):
    assert normalize_status(written) == ("未启动", [])


@pytest.mark.parametrize("written, status", [
    ("已完工", "已完成"), ("已竣工", "已完成"), ("已建成", "已完成"), ("已投用", "已完成"), ("项目已完成验收", "已完成"),
    ("按序时推进", "正常推进"), ("序时推进中", "正常推进"), ("正在推进", "正常推进"),
    # nearly done is not done: 已完成 is checked against the target, 基本完成 must not be
    ("基本完成", "正常推进"), ("基本完成目标任务", "正常推进"),
])
def test_common_wordings(written, status):
    assert normalize_status(written) == (status, [])


@pytest.mark.parametrize("written, status", [
    ("无滞后", "正常推进"), ("目前无滞后", "正常推进"), ("未落后于序时", "正常推进"), ("不低于序时进度", "正常推进"),
    ("已完成，无滞后", "已完成"), ("已完成，未发现问题", "已完成"),
])
def test_a_denied_delay_is_not_a_delay(written, status):
    assert normalize_status(written) == (status, [])


@pytest.mark.parametrize("written", ["不是正常推进", "非正常推进", "还行吧", "部分完成"])
def test_a_denied_or_unknown_word_is_kept_with_a_warning(written):
    status, problems = normalize_status(written)
    assert status is None and codes(problems) == ["intake-status-unknown"]
    assert written in problems[0][1]


def test_status_fast_path_words_unchanged():
    for written, status in [("已完成", "已完成"), ("正常推进", "正常推进"), ("滞后", "滞后"), ("未启动", "未启动"),
                            ("完成", "已完成"), ("未完成", "滞后"), ("進度滯後", "滞后"), (None, None), ("—", None)]:
        assert normalize_status(written) == (status, [])


# -- 累计完成 with a unit written after the number ---------------------------------------------------------

@pytest.mark.parametrize("written, unit, value", [
    ("9个", "个", 9), ("1,260张", "张", 1260), ("35 人", "人", 35), ("１２个", "個", 12),
    ("1.1万户", "万户", 1.1), ("12.5万元", "万元", 12.5),
])
def test_number_with_the_tasks_unit(written, unit, value):
    assert normalize_value(written, unit) == (value, [])


@pytest.mark.parametrize("written, unit, value, shown", [
    ("1.1万户", "户", 11000, "11000户"), ("9个", "万个", 0.0009, "0.0009万个"),
    ("12.5万元", "亿元", 0.00125, "0.00125亿元"), ("12.5万元", "元", 125000, "125000元"),
])
def test_number_with_a_multiple_of_the_tasks_unit_is_converted_and_said(written, unit, value, shown):
    got, problems = normalize_value(written, unit)
    assert got == pytest.approx(value)
    assert codes(problems) == ["intake-scaled"] and shown in problems[0][1]


def test_number_with_another_unit_is_not_a_number():
    value, problems = normalize_value("9个", "万元")
    assert value is None and codes(problems) == ["intake-not-a-number"]
    assert "“个”" in problems[0][1] and "“万元”" in problems[0][1] and "不同" in problems[0][1]
    value, problems = normalize_value("9个", None)  # nothing to check the unit against
    assert value is None and codes(problems) == ["intake-not-a-number"] and "未注明计量单位" in problems[0][1]


def test_approximate_number_with_unit():
    value, problems = normalize_value("约300人", "人")
    assert value == 300 and codes(problems) == ["intake-approximate"]


def test_scaled_values_are_exact_and_messages_plain():
    value, problems = normalize_value("250万", "个")
    assert value == 2500000 and "2500000个" in problems[0][1]  # not 2.5e+06
    assert normalize_value("1.1万", "户")[0] == 11000  # not 11000.000000000002


def test_existing_value_rules_unchanged():
    assert normalize_value(1200.0, "个") == (1200.0, [])
    assert normalize_value("2.5万", "万户") == (2.5, [])
    assert normalize_value("abc", "个")[1][0][0] is F.INTAKE_NOT_NUMBER
    assert codes(normalize_value("95%", "个")[1]) == ["intake-percent-for-count"]
    assert normalize_value("0.95", "%")[0] == 95


# -- qualitative targets -------------------------------------------------------------------------------

@pytest.mark.parametrize("written", ["已实现全覆盖", "完成改造", "100%", "3个"])
def test_text_for_a_qualitative_target_is_not_an_error(written):
    assert normalize_value(written, None, qualitative=True) == (None, [])
    assert normalize_value(written, "万元", qualitative=True) == (None, [])


def test_qualitative_still_reads_numbers():
    assert normalize_value("3", None, qualitative=True) == (3, [])
    assert normalize_value("—", None, qualitative=True) == (None, [])
    assert codes(normalize_value("已实现全覆盖", None)[1]) == ["intake-not-a-number"]  # default unchanged


# -- unit_factor ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("written, task_unit, factor", [
    ("个", "万个", 1e-4), ("万人", "人", 1e4), ("万元", "亿元", 1e-4), ("亿元", "万元", 1e4), ("千万元", "万元", 1e3),
    ("个", "个", 1.0), ("", "个", 1.0), (None, "万元", 1.0), ("个", None, 1.0),
    ("萬元", "亿元", 1e-4), ("％", "%", 1.0), ("個", "萬个", 1e-4),
])
def test_unit_factor(written, task_unit, factor):
    assert unit_factor(written, task_unit) == pytest.approx(factor)


@pytest.mark.parametrize("written, task_unit", [("个", "万元"), ("%", "个"), ("人", "人次"), ("万户", "万个")])
def test_unit_factor_of_unrelated_units_is_none(written, task_unit):
    assert unit_factor(written, task_unit) is None


# -- 完成日期 --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("written, iso", [
    ("5月31日", "2025-05-31"), ("5月31号", "2025-05-31"),
    ("5.28", "2025-05-28"), ("5/28", "2025-05-28"), ("12.5", "2025-12-05"),  # text month.day: the round's year
    ("2025.05", "2025-05-31"), ("2025-5", "2025-05-31"), ("2025年5月", "2025-05-31"), ("5月底", "2025-05-31"),
    ("2024.12", "2024-12-31"), ("2025.5.31", "2025-05-31"), ("2025年5月31日", "2025-05-31"),
    (dt.date(2025, 5, 20), "2025-05-20"), (45808.0, "2025-05-31"),
])
def test_dates_as_written(written, iso):
    assert normalize_date(written, 2025) == (iso, [])


@pytest.mark.parametrize("written", ["5.32", "2月30日", "2025.13", 5.28, "尽快"])
def test_unreadable_dates_are_kept_verbatim(written):
    text, problems = normalize_date(written, 2025)
    assert text == cell_text(written) and codes(problems) == ["intake-date-unparsed"]


# -- free text ---------------------------------------------------------------------------------------------

def test_free_text_keeps_what_the_unit_wrote():
    written = "  已完成设备招标，正在安装调试；\r\n下步：（一）加快进度  确保6月底前投用。\n"
    assert free_text(written) == "已完成设备招标，正在安装调试；\n下步：（一）加快进度  确保6月底前投用。"
    assert cell_text(written) != free_text(written)  # cell_text flattens it, which is why free_text exists


def test_free_text_converts_traditional_only():
    assert free_text("已完成設備招標，正在安裝調試；\r老舊小區") == "已完成设备招标，正在安装调试；\n老旧小区"


@pytest.mark.parametrize("value, text", [(None, ""), ("", ""), ("  ", ""), (3.0, "3"), (2.5, "2.5"),
                                         (dt.date(2025, 5, 31), "2025-05-31"), ("无", "无")])
def test_free_text_of_other_cells(value, text):
    assert free_text(value) == text


def test_more_than_a_number_is_about_that_number():
    """'300余', '300多人', '2万多', '300左右': the number, reported as 约数 like '约300'."""
    from reporter.intake.normalize import normalize_value

    for raw, unit, expected in (("300余", "人", 300), ("300多人", "人", 300), ("2万多", "个", 20000), ("300左右", "个", 300)):
        value, problems = normalize_value(raw, unit)
        assert value == expected and "intake-approximate" in {p[0].code for p in problems}, raw


# -- a scale word against a unit that carries a scale ------------------------------------------------------

@pytest.mark.parametrize("written, unit, value, shown", [
    ("6千", "万个", 0.6, "0.6万个"), ("0.07亿", "万人", 700, "700万人"), ("1.2亿", "万元", 12000, "12000万元"),
    ("3万", "亿元", 0.0003, "0.0003亿元"), ("6千", "千万元", 0.0006, "0.0006千万元"), ("5千万", "万元", 5000, "5000万元"),
    ("2.5万", "个", 25000, "25000个"), ("2万", "千米", 20000, "20000千米"),  # 千米 is a unit, not 千 米
])
def test_scale_word_is_read_against_the_units_own_scale(written, unit, value, shown):
    got, problems = normalize_value(written, unit)
    assert got == pytest.approx(value) and codes(problems) == ["intake-scaled"]
    assert shown in problems[0][1] and "e-" not in problems[0][1] and "e+" not in problems[0][1]


def test_scale_word_equal_to_the_units_scale_is_as_written():
    assert normalize_value("2.5万", "万户") == (2.5, [])
    assert normalize_value("1.2亿", "亿元") == (1.2, [])


def test_fraction_for_a_percent_task_is_exact_in_value_and_message():
    value, problems = normalize_value("0.07", "%")
    assert value == 7 and "7%" in problems[0][1]  # not 7.000000000000001


# -- a unit in brackets, a task unit with an alternative -----------------------------------------------------

@pytest.mark.parametrize("written, unit", [
    ("2600（套）", "套(户)"), ("2600(套)", "套(户)"), ("2600(套)", "套"), ("2600（套）", "套"), ("2600套", "套（户）"),
    ("2600户", "套（户）"), ("2600（户）", "套(户)"), ("2600", "套(户)"),
])
def test_brackets_around_a_unit_are_just_brackets(written, unit):
    assert normalize_value(written, unit) == (2600, [])


def test_alternative_unit_with_a_scale():
    value, problems = normalize_value("2600套", "万套(户)")
    assert value == pytest.approx(0.26) and codes(problems) == ["intake-scaled"]
    assert unit_factor("户", "套(户)") == 1.0 and unit_factor("套", "万套（户）") == pytest.approx(1e-4)


def test_another_unit_in_brackets_is_still_another_unit():
    value, problems = normalize_value("2600(个)", "套(户)")
    assert value is None and codes(problems) == ["intake-not-a-number"] and "“个”" in problems[0][1]


# -- status: done in part, qualifiers, more words ----------------------------------------------------------

@pytest.mark.parametrize("written, status", [
    ("已完成90%", "正常推进"), ("完成80%", "正常推进"), ("已完成年度目标的85%", "正常推进"), ("完成率92.5%", "正常推进"),
    ("完成100%", "已完成"), ("已完成120%", "已完成"), ("已完成年度目标的100%", "已完成"),
    ("已完成阶段性任务", "正常推进"), ("完成阶段目标", "正常推进"), ("完成第一阶段", "正常推进"),
    ("完成（提前）", "已完成"), ("正常（序时）", "正常推进"), ("滞后（资金未到位）", "滞后"), ("已完成(完成率95%)", "正常推进"),
    ("稳步推进", "正常推进"), ("序时", "正常推进"), ("按期推进", "正常推进"), ("进展顺利", "正常推进"),
    ("已验收", "已完成"), ("通过验收", "已完成"), ("已交付", "已完成"),
    ("完成90%，进度滞后", "滞后"), ("未完成80%", "滞后"), ("已完成，资金支付率80%", "已完成"), ("未按期推进", "滞后"),
])
def test_partly_done_qualified_and_more_wordings(written, status):
    assert normalize_status(written) == (status, [])


@pytest.mark.parametrize("written", ["暂缓", "已取消", "取消", "未通过验收"])
def test_paused_or_cancelled_is_not_one_of_the_four(written):
    status, problems = normalize_status(written)
    assert status is None and codes(problems) == ["intake-status-unknown"]
    assert written in problems[0][1] and "不是已完成、正常推进、滞后、未启动四种状态之一" in problems[0][1]


# -- 完成日期: yyyymmdd, periods -----------------------------------------------------------------------------

@pytest.mark.parametrize("written", ["20250531", 20250531, 20250531.0])
def test_yyyymmdd_date(written):
    assert normalize_date(written, 2025) == ("2025-05-31", [])


@pytest.mark.parametrize("written", ["6月中旬", "6月上旬", "6月下旬", "2025年6月前", "6月底前", "第二季度", "上半年", "年底"])
def test_a_period_is_not_a_finish_date(written):
    text, problems = normalize_date(written, 2025)
    assert text == written and codes(problems) == ["intake-date-unparsed"] and "一段时间" in problems[0][1]


@pytest.mark.parametrize("written, iso", [("5月底", "2025-05-31"), ("5月末", "2025-05-31"), ("5月份", "2025-05-31"),
                                          ("已于2025年5月20日完成", "2025-05-20"), ("2025.5.20提前完成", "2025-05-20")])
def test_month_end_and_dates_in_a_sentence_still_read(written, iso):
    assert normalize_date(written, 2025) == (iso, [])


def test_impossible_yyyymmdd_is_kept_verbatim():
    assert codes(normalize_date("20251301", 2025)[1]) == ["intake-date-unparsed"]
