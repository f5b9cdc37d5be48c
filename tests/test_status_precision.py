"""Lag is judged on the figures as printed: no '41.4% vs 41.4%, 滞后', no '差距 -0'."""
import pytest

from reporter.model.round_ledger import TOTAL, RoundLedger, RoundRow
from reporter.model.schedule import Round, parse_deadline
from reporter.model.targets import parse_target
from reporter.model.tasks import AnnualLedger, Task
from reporter.model.units import UnitDirectory
from reporter.model.regions import RegionTree
from reporter.rollup.status import Status, Thresholds, judge, judge_round, shown, shown_gap
from reporter.render.wording import fmt_percent

MAY = Round(2025, 5)


def task(target="1000个"):
    return Task("T1", "新增学位", target=parse_target(target), lead="教育厅", deadline=parse_deadline("年底前", 2025))


def judged(value, target="1000个", thresholds=Thresholds()):
    t = task(target)
    row = RoundRow("T1", TOTAL, owner="教育厅", submitter="教育厅", value=value)
    one = judge(t, t.target, row, MAY, thresholds)
    rl = RoundLedger(AnnualLedger(2025, {"T1": t}, UnitDirectory(), RegionTree()), MAY, rows={("T1", TOTAL): row})
    assert judge_round(rl, thresholds)[("T1", TOTAL)] == one  # the array path says the same
    return one


def test_a_completion_that_prints_as_the_time_progress_is_on_schedule():
    planned = task().planned_percent(MAY)  # 41.37…% of the year by the end of May
    assert fmt_percent(planned) == "41.4%"
    j = judged(413.6)  # 41.36%: printed 41.4% as well
    assert fmt_percent(j.completion) == "41.4%"
    assert j.status is Status.ON_SCHEDULE and j.gap == 0.0
    assert "相差 +0.0 个百分点" in j.reason


def test_a_gap_that_shows_is_lag():
    j = judged(413.0)  # 41.3% against 41.4%
    assert j.status is Status.BEHIND and j.gap == -0.1
    assert "完成率 41.3%，序时进度 41.4%，相差 -0.1 个百分点" == j.reason


def test_tolerance_from_the_config_keeps_small_gaps_on_schedule():
    th = Thresholds.from_config({"tolerance": 0.5, "places": 1})
    assert judged(410.0, thresholds=th).status is Status.ON_SCHEDULE  # 41.0 vs 41.4: 0.4 points
    assert judged(408.0, thresholds=th).status is Status.BEHIND  # 40.8 vs 41.4: 0.6 points


@pytest.mark.parametrize("x, expected", [(41.35, 41.4), (41.349, 41.3), (0.05, 0.1), (99.95, 100.0), (7.0, 7.0)])
def test_shown_rounds_half_up_as_documents_print(x, expected):
    assert shown(x) == expected
    assert fmt_percent(x) == f"{expected:g}%"


def test_a_gap_is_never_minus_zero():
    assert str(shown_gap(41.36, 41.37)) == "0.0"
