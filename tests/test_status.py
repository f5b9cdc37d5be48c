"""Known answers for 序时进度 and the status classes, around deadlines and quarter ends."""

import pytest

from reporter.model.round_ledger import RoundRow
from reporter.model.schedule import Plan, Round, parse_deadline
from reporter.model.status import COLOURS
from reporter.model.targets import Direction, Indicator, Nature, Aggregation, parse_target
from reporter.model.tasks import Task
from reporter.rollup.status import Status, Thresholds, judge


def task(target="100", unit="个", deadline="年底前", plan=None, direction=Direction.HIGHER):
    t = parse_target(target, unit)
    return Task("T", "测试任务", target=t, deadline=parse_deadline(deadline, 2025), plan=plan,
                indicator=Indicator("测试", unit, direction, Nature.EXPECTED, Aggregation.SUM))


def row(value=None, status=None, reported=True):
    return RoundRow("T", value=value, status=status, submitter="单位" if reported else None)


def verdict(t, r, month):
    return judge(t, t.target, r, Round(2025, month))


@pytest.mark.parametrize("deadline, month, expected", [
    ("6月底前", 5, 100 * 151 / 181),  # linear to the deadline
    ("6月底前", 6, 100.0),  # 100% from the round that contains the deadline
    ("6月底前", 9, 100.0),
    ("年底前", 6, 100 * 181 / 365),
    ("年底前", 12, 100.0),
    ("三季度末", 9, 100.0),
])
def test_time_progress_linear(deadline, month, expected):
    assert task(deadline=deadline).planned_percent(Round(2025, month)) == pytest.approx(expected, abs=0.01)


@pytest.mark.parametrize("month, expected", [(3, 20.0), (4, 30.0), (6, 50.0), (9, 80.0), (12, 100.0)])
def test_time_progress_quarterly_plan(month, expected):
    t = task(plan=Plan(((3, 20.0), (6, 50.0), (9, 80.0), (12, 100.0)), "季度"))
    assert t.planned_percent(Round(2025, month)) == pytest.approx(expected)


@pytest.mark.parametrize("value, month, expected", [
    (100, 5, Status.DONE_EARLY),
    (100, 12, Status.DONE),
    (50, 5, Status.AHEAD),  # 50% vs 41.1%
    (42, 5, Status.ON_SCHEDULE),
    (30, 5, Status.BEHIND),  # −11.1 points
    (10, 5, Status.SEVERE),  # −31.1 points
    (0, 5, Status.NOT_STARTED),
    (90, 12, Status.OVERDUE),
])
def test_classes_for_a_higher_is_better_target(value, month, expected):
    assert verdict(task(), row(value), month).status is expected


def test_quarter_end_milestone_decides():
    t = task(plan=Plan(((3, 20.0), (6, 60.0), (9, 80.0), (12, 100.0)), "季度"))
    assert verdict(t, row(55), 6).status is Status.BEHIND  # 55% vs 60% at the June milestone
    assert verdict(t, row(55), 5).status is Status.AHEAD  # 55% vs 46.7% in May


def test_lower_is_better_target():
    t = task("≤5.5", "%", direction=Direction.LOWER)
    assert verdict(t, row(5.2), 5).status is Status.ON_SCHEDULE
    assert verdict(t, row(5.2), 12).status is Status.DONE
    assert verdict(t, row(6.0), 5).status is Status.BEHIND
    assert verdict(t, row(6.0), 12).status is Status.OVERDUE


def test_bare_number_on_a_lower_indicator_is_a_ceiling():
    t = task("9", "1/10万", direction=Direction.LOWER)
    assert verdict(t, row(8), 5).status is Status.ON_SCHEDULE
    assert verdict(t, row(10), 5).status is Status.BEHIND


@pytest.mark.parametrize("status, month, expected", [
    ("已完成", 5, Status.DONE_EARLY),
    ("正常推进", 5, Status.ON_SCHEDULE),
    ("滞后", 5, Status.BEHIND),
    ("未启动", 5, Status.NOT_STARTED),
    ("正常推进", 12, Status.OVERDUE),
    (None, 5, Status.UNKNOWN),
])
def test_qualitative_targets_follow_the_reported_status(status, month, expected):
    assert verdict(task("全覆盖", ""), row(status=status), month).status is expected


def test_not_reported():
    assert verdict(task(), row(reported=False), 5).status is Status.NOT_REPORTED


def test_thresholds_from_config():
    th = Thresholds.from_config({"ahead": 10, "severe": 30})
    t = task()
    assert judge(t, t.target, row(50), Round(2025, 5), th).status is Status.ON_SCHEDULE
    assert judge(t, t.target, row(15), Round(2025, 5), th).status is Status.BEHIND


def test_every_class_has_one_of_five_colours():
    assert {COLOURS[s][0] for s in Status} == {"绿", "蓝", "黄", "红", "灰"}


# -- judge_round: the whole round at once (arrays) gives judge()'s answers ------------------------------------

def _round_of(t, rows, month):
    from reporter.model.round_ledger import RoundLedger
    from reporter.model.regions import RegionTree
    from reporter.model.tasks import AnnualLedger
    from reporter.model.units import UnitDirectory

    tree = RegionTree.from_rows([{"code": "100000", "name": "甲省", "parent": ""},
                                 {"code": "100100", "name": "甲市", "parent": "100000"}])
    t.region_targets = {"100100": t.target}
    lg = AnnualLedger(2025, {t.code: t}, UnitDirectory(), tree)
    return RoundLedger(lg, Round(2025, month), rows={(t.code, r.region): r for r in rows})


@pytest.mark.parametrize("value, month, expected", [
    (100.0, 5, Status.DONE_EARLY),
    (100.0 * (1 - 1e-12), 5, Status.DONE_EARLY),  # within rounding of the target: met (Target.is_met)
    (100.0 * (1 - 1e-12), 12, Status.DONE),
    (50.0, 5, Status.AHEAD),
    (42.0, 5, Status.ON_SCHEDULE),
    (30.0, 5, Status.BEHIND),
    (10.0, 5, Status.SEVERE),
    (0.0, 5, Status.NOT_STARTED),
    (90.0, 12, Status.OVERDUE),
])
def test_judge_round_gives_the_known_answers(value, month, expected):
    from reporter.rollup.status import judge_round

    t = task()
    rows = [RoundRow("T", "", value=value, submitter="单位"), RoundRow("T", "100100", value=value, submitter="单位")]
    judged = judge_round(_round_of(t, rows, month))
    assert [k for k in judged] == [("T", ""), ("T", "100100")]
    for key, row in zip(judged, rows):
        assert judged[key] == judge(t, t.target, row, Round(2025, month)) and judged[key].status is expected


def test_judge_round_table_behaves_like_a_dict():
    from reporter.rollup.status import judge_round

    t = task()
    rows = [RoundRow("T", "", value=30.0, submitter="单位"), RoundRow("T", "100100", status="滞后", submitter="单位")]
    judged = judge_round(_round_of(t, rows, 5))
    plain = dict(judged.items())
    assert len(judged) == len(plain) == 2 and list(judged.keys()) == list(plain) and judged == plain
    assert ("T", "100100") in judged and ("T", "100200") not in judged and "T" not in judged
    assert judged.get(("T", "100200")) is None and list(judged.values()) == list(plain.values())
    assert judged[("T", "100100")].basis == "status" and judged[("T", "")].reason == plain[("T", "")].reason
    with pytest.raises(KeyError):
        judged[("T", "100200")]
