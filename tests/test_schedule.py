import datetime as dt

import pytest

from reporter.model.schedule import Plan, Round, linear_percent, parse_deadline, parse_round


@pytest.mark.parametrize("text, expected", [
    ("6月底前", dt.date(2025, 6, 30)),
    ("年底前", dt.date(2025, 12, 31)),
    ("2025年12月31日", dt.date(2025, 12, 31)),
    ("2025.6.30", dt.date(2025, 6, 30)),
    ("2025/9/30", dt.date(2025, 9, 30)),
    ("三季度末", dt.date(2025, 9, 30)),
    ("2025年第二季度末", dt.date(2025, 6, 30)),
    ("9月底", dt.date(2025, 9, 30)),
    ("十月底前完成", dt.date(2025, 10, 31)),
    ("上半年", dt.date(2025, 6, 30)),
    ("１２月底前", dt.date(2025, 12, 31)),
    (dt.datetime(2025, 11, 30), dt.date(2025, 11, 30)),
    ("2025.12", dt.date(2025, 12, 31)),  # year and month only: the month's end
    ("2025-06", dt.date(2025, 6, 30)),
    ("12月31日前", dt.date(2025, 12, 31)),  # a day without a year: the ledger's year
    ("10月15日", dt.date(2025, 10, 15)),
])
def test_deadlines_as_offices_write_them(text, expected):
    deadline = parse_deadline(text, 2025)
    assert deadline.date == expected and deadline.parsed


def test_unknown_deadline_is_year_end_and_flagged():
    deadline = parse_deadline("长期坚持", 2025)
    assert deadline.date == dt.date(2025, 12, 31) and not deadline.parsed and deadline.raw == "长期坚持"


@pytest.mark.parametrize("text, key, label", [
    ("2025-05", "2025-05", "2025年5月"),
    ("2025年5月", "2025-05", "2025年5月"),
    ("202512", "2025-12", "2025年12月"),
    ("2025-Q2", "2025-Q2", "2025年第二季度"),
    ("2025年第三季度", "2025-Q3", "2025年第三季度"),
])
def test_rounds(text, key, label):
    rnd = parse_round(text)
    assert (rnd.key, rnd.label) == (key, label)


@pytest.mark.parametrize("bad", ["2025-13", "五月", "", "2025-Q5"])
def test_bad_round_is_a_chinese_error(bad):
    with pytest.raises(ValueError, match="填报轮次"):
        parse_round(bad)


def test_round_deadline_default_and_previous():
    assert Round(2025, 12).default_deadline() == dt.date(2026, 1, 5)
    assert Round(2025, 1).previous() == Round(2024, 12)
    assert Round(2025, 6, quarterly=True).previous().key == "2025-Q1"


def test_quarterly_plan_interpolates_and_reaches_100_at_deadline():
    plan = Plan(((3, 20.0), (6, 50.0), (9, 80.0), (12, 100.0)), "季度")
    deadline = dt.date(2025, 12, 31)
    assert plan.percent_at(3, deadline, 2025) == 20.0
    assert plan.percent_at(5, deadline, 2025) == pytest.approx(40.0)
    assert plan.percent_at(12, deadline, 2025) == 100.0


def test_plan_is_100_from_the_deadline_round_on():
    plan = Plan(((3, 10.0), (6, 30.0)), "季度")
    assert plan.percent_at(6, dt.date(2025, 6, 30), 2025) == 100.0
    assert plan.percent_at(8, dt.date(2025, 6, 30), 2025) == 100.0


def test_linear_progress_to_deadline():
    june = dt.date(2025, 6, 30)
    assert linear_percent(6, 2025, june) == 100.0
    assert linear_percent(3, 2025, june) == pytest.approx(100 * 90 / 181, abs=0.01)
    assert linear_percent(12, 2025, dt.date(2025, 12, 31)) == 100.0
