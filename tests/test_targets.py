"""parse_target and friends, table-driven. Rows marked 'seed NNN' are copied verbatim from /work/shared/seeds."""
import pytest
from hypothesis import given
from hypothesis import strategies as st

from reporter.model.targets import (
    FLAG_CONFLICT,
    FLAG_DAMAGED,
    FLAG_EMPTY,
    FLAG_MULTIPLE,
    FLAG_PENDING,
    FLAG_UNKNOWN,
    Aggregation,
    Comparator,
    Direction,
    Indicator,
    Nature,
    Target,
    TargetKind,
    infer_aggregation,
    parse_target,
)

Q, R, L = TargetKind.QUANTITY, TargetKind.RATE, TargetKind.QUALITATIVE
GE, GT, LE, LT = Comparator.GE, Comparator.GT, Comparator.LE, Comparator.LT
UP, DOWN = Direction.HIGHER, Direction.LOWER

# text, ledger unit, kind, value, comparator, unit, direction
NUMERIC = [
    # plain numbers with units
    ("250所", None, Q, 250, None, "所", None),
    ("250", "所", Q, 250, None, "所", None),
    ("7万个", None, Q, 7, None, "万个", None),
    ("2.5万户", None, Q, 2.5, None, "万户", None),
    ("1050万人", None, Q, 1050, None, "万人", None),
    ("25万套（间）", None, Q, 25, None, "万套(间)", None),
    ("140个", None, Q, 140, None, "个", None),
    ("1200", None, Q, 1200, None, None, None),
    ("1,200", None, Q, 1200, None, None, None),
    ("１２００", None, Q, 1200, None, None, None),
    ("3.5亿元", None, Q, 3.5, None, "亿元", None),
    ("7万", "个", Q, 7, None, "万个", None),
    ("新增公办学前教育学位不少于7万个", None, Q, 7, GE, "万个", UP),
    # comparators
    ("≥80", None, Q, 80, GE, None, UP),
    ("≧80", None, Q, 80, GE, None, UP),
    (">95", None, Q, 95, GT, None, UP),
    ("≤10", None, Q, 10, LE, None, DOWN),
    ("<0.9", None, Q, 0.9, LT, None, DOWN),
    ("≥95%", None, R, 95, GE, "%", UP),
    (">=90", None, Q, 90, GE, None, UP),
    ("＞95", None, Q, 95, GT, None, UP),
    ("不低于90%", None, R, 90, GE, "%", UP),
    ("不低於90%", None, R, 90, GE, "%", UP),
    ("不少于250所", None, Q, 250, GE, "所", UP),
    ("不超过5.5%", None, R, 5.5, LE, "%", DOWN),
    ("不高于10‰", None, R, 10, LE, "‰", DOWN),
    ("达到95%以上", None, R, 95, GE, "%", UP),
    ("90%以上", None, R, 90, GE, "%", UP),
    ("5%以内", None, R, 5, LE, "%", DOWN),
    ("控制在5.5%以内", None, R, 5.5, LE, "%", DOWN),
    ("≤5.5%", None, R, 5.5, LE, "%", DOWN),
    ("低于0.9%", None, R, 0.9, LT, "%", DOWN),
    ("高于95%", None, R, 95, GT, "%", UP),
    ("超过95%", None, R, 95, GT, "%", UP),
    # rates and per-capita
    ("95%", None, R, 95, None, "%", None),
    ("8‰", None, R, 8, None, "‰", None),
    ("≤18/10万", None, R, 18, LE, "1/10万", DOWN),
    ("18/10万", None, R, 18, None, "1/10万", None),
    ("3.2张/千人", None, R, 3.2, None, "张/千人", None),
    ("每千人口3.2张", None, R, 3.2, None, "张/千人", None),
    ("人均预期寿命达到79岁", None, Q, 79, GE, "岁", UP),
    ("100%全覆盖", None, R, 100, GE, "%", UP),
    # seed 002 (咸宁) indicator table: target cell with the 计量单位 from the indicator name
    ("≥80", "%", R, 80, GE, "%", UP),
    (">80", "%", R, 80, GT, "%", UP),
    (">95", "%", R, 95, GT, "%", UP),
    ("≥30", "%", R, 30, GE, "%", UP),
    ("≤10", "1/10万", R, 10, LE, "1/10万", DOWN),
    ("<0.9", "%", R, 0.9, LT, "%", DOWN),
    (">2.6", "平方米", Q, 2.6, GT, "平方米", UP),
    ("18.62", "万个", Q, 18.62, None, "万个", None),
    ("4.5", "个", Q, 4.5, None, "个", None),
    # seed 001 (武汉, 繁体, with the extraction's pinyin glosses)
    ("新增公辦學前教育學位不少于7萬個", None, Q, 7, GE, "万个", UP),
    ("城鎮(zhèn)登記失業(yè)率控制在5%以內", None, R, 5, LE, "%", DOWN),
    ("農村低保標準占城市低保標準比例不低于90%", None, R, 90, GE, "%", UP),
    ("每千人口病床數(shù)達到8.8張", None, R, 8.8, GE, "张/千人", UP),
    ("人均預期壽命提升至82.4歲以上", None, Q, 82.4, GE, "岁", UP),
    ("每千人口擁有3歲以下嬰幼兒托位數(shù)達到4.5個以上", None, R, 4.5, GE, "个/千人", UP),
    ("建設籌集保障性租賃住房25萬套(間)", None, Q, 25, None, "万套(间)", None),
    # seed 003 (长兴) and 004 (central opinion)
    ("新增ICU床位不少于50张", None, Q, 50, GE, "张", UP),
    ("0-3岁儿童发育监测筛查率达到95%以上", None, R, 95, GE, "%", UP),
    ("新建机构护理型床位占比不低于80%", None, R, 80, GE, "%", UP),
    ("新建改扩建1000所以上优质普通高中", None, Q, 1000, GE, "所", UP),
]


@pytest.mark.parametrize("text, unit, kind, value, comparator, out_unit, direction", NUMERIC)
def test_numeric_targets(text, unit, kind, value, comparator, out_unit, direction):
    t = parse_target(text, unit)
    assert (t.kind, t.value, t.comparator, t.unit, t.direction) == (kind, value, comparator, out_unit, direction)
    assert t.raw == text and t.flag is None and t.is_parsed and t.is_numeric


@pytest.mark.parametrize("text, value, unit, scale, base_value, base_unit", [
    ("7万个", 7, "万个", 1e4, 70000, "个"),
    ("25万套（间）", 25, "万套(间)", 1e4, 250000, "套(间)"),
    ("3.5亿元", 3.5, "亿元", 1e8, 350_000_000, "元"),
    ("3千人", 3, "千人", 1e3, 3000, "人"),
    ("5百万元", 5, "百万元", 1e6, 5_000_000, "元"),
    ("12千米", 12, "千米", 1, 12, "千米"),
    ("完成食品安全抽检1.2万批次", 1.2, "万批次", 1e4, 12000, "批次"),  # 批次 is one measure word, not 批 + 次
    ("95%", 95, "%", 1, 95, "%"),
    ("250所", 250, "所", 1, 250, "所"),
])
def test_scale_and_base_unit(text, value, unit, scale, base_value, base_unit):
    t = parse_target(text)
    assert (t.value, t.unit, t.scale, t.base_value, t.base_unit) == (value, unit, scale, base_value, base_unit)


# text, label, direction
QUALITATIVE = [
    ("全覆盖", "全覆盖", UP),
    ("全覆蓋", "全覆盖", UP),
    ("应保尽保", "应保尽保", UP),
    ("應保盡保", "应保尽保", UP),
    ("动态清零", "动态清零", DOWN),
    ("完成市定任务", "完成市定任务", UP),
    ("完成省定任务", "完成省定任务", UP),
    ("完成省下达任务", "完成省定任务", UP),
    ("稳步提升", "稳步提升", UP),
    ("逐步提高", "逐步提高", UP),
    ("持续下降", "持续下降", DOWN),
    ("稳定在合理区间", "稳定在合理区间", None),
    ("应保尽保、应救尽救", "应保尽保、应救尽救", UP),
    ("到2025年实现全覆盖", "全覆盖", UP),  # the year is not a target
    ("0-3岁儿童健康管理全覆盖", "全覆盖", UP),  # '0-3岁' qualifies the noun
    # seed 001 and 002 verbatim
    ("實現(xiàn)教育關愛“全覆蓋”", "全覆盖", UP),
]


@pytest.mark.parametrize("text, label, direction", QUALITATIVE)
def test_qualitative_targets(text, label, direction):
    t = parse_target(text, "%")
    assert (t.kind, t.label, t.direction) == (L, label, direction)
    assert t.value is None and t.comparator is None and t.flag is None and t.is_parsed and not t.is_numeric


@pytest.mark.parametrize("text, flag", [
    ("", FLAG_EMPTY),
    ("  ", FLAG_EMPTY),
    ("-", FLAG_EMPTY),
    (None, FLAG_EMPTY),
    ("待定", FLAG_PENDING),
    ("按国家要求", FLAG_UNKNOWN),
    ("详见附表", FLAG_UNKNOWN),
    ("不少于", FLAG_UNKNOWN),
    ("百分之九十", FLAG_UNKNOWN),
    ("≥90%以下", FLAG_CONFLICT),
    ("4.504.605.005.505.60", FLAG_UNKNOWN),  # seed 003: a table flattened into one line
    # seed 001: two targets in one sentence
    ("孕產婦和嬰兒死亡率分別控制在9/10萬、2.5‰以下", FLAG_MULTIPLE),
    ("到2025年,實現(xiàn)城鎮(zhèn)新增就業(yè)110萬人以上,城鎮(zhèn)登記失業(yè)率控制在5%以內", FLAG_MULTIPLE),
    # seed 003: OCR turned '1.' into 'L'; two rates in one cell
    ("城乡居民最低生活保障年人均标准达到L7万元", FLAG_DAMAGED),
    ("县域就诊率、基层就诊率持续保持在90%、70%以上", FLAG_MULTIPLE),
    # seed 004
    ("10年左右推动大城市嵌入式普惠托育覆盖80%以上社区", FLAG_MULTIPLE),
])
def test_unparsed_targets_keep_the_raw_text(text, flag):
    t = parse_target(text)
    assert (t.kind, t.flag, t.value, t.label) == (TargetKind.UNPARSED, flag, None, None)
    assert t.raw == ("" if text is None else text) and not t.is_parsed and t.is_met(1) is None


@pytest.mark.parametrize("text, kind, value, comparator, direction, note", [
    ("80-90%", R, 80, GE, UP, "区间目标80～90%，按下限判断"),
    ("80%～90%", R, 80, GE, UP, "区间目标80～90%，按下限判断"),
    ("1—2个", Q, 1, GE, UP, "区间目标1～2个，按下限判断"),
    ("控制在5%-6%以内", R, 6, LE, DOWN, "区间目标5～6%，按上限判断"),
    ("3600余个", Q, 3600, GE, UP, "约数目标（余/多），按下限判断"),
    ("95%", R, 95, None, None, None),
])
def test_ranges_and_approximations_keep_a_note(text, kind, value, comparator, direction, note):
    t = parse_target(text)
    assert (t.kind, t.value, t.comparator, t.direction, t.note) == (kind, value, comparator, direction, note)


def test_unit_mismatch_is_noted_not_hidden():
    t = parse_target("95%", "个")
    assert (t.unit, t.note) == ("%", "目标值单位“%”与计量单位“个”不一致")
    assert parse_target("7万个", "个").note is None


@pytest.mark.parametrize("text, actual, met", [
    ("≤10", 9.5, True), ("≤10", 10, True), ("≤10", 10.0000000001, True), ("≤10", 10.5, False),
    ("<0.9", 0.8, True), ("<0.9", 0.9, False),
    ("控制在5.5%以内", 5.5, True), ("控制在5.5%以内", 5.6, False),
    ("≥95%", 95, True), ("≥95%", 94.9, False), (">95", 95, False), (">95", 95.1, True),
    ("250所", 250, True), ("250所", 249, False),  # no comparator, no direction: at least
    ("持续下降", 1, None), ("待定", 1, None), ("≥95%", None, None),
])
def test_is_met(text, actual, met):
    assert parse_target(text).is_met(actual) is met


@pytest.mark.parametrize("direction, actual, met", [
    (DOWN, 4, True), (DOWN, 6, False), (UP, 6, True), (None, 4, False),
])
def test_is_met_without_comparator_follows_the_direction(direction, actual, met):
    t = Target("5", TargetKind.QUANTITY, value=5.0, direction=direction)
    assert t.is_met(actual) is met
    exact = Target("5", TargetKind.QUANTITY, value=5.0, comparator=Comparator.EQ, direction=direction)
    assert exact.is_met(actual) is met


@pytest.mark.parametrize("text, unit, kwargs, expected", [
    ("250", "所", {}, Aggregation.SUM),
    ("7万个", None, {}, Aggregation.SUM),
    ("25万套（间）", None, {}, Aggregation.SUM),
    ("3.5亿元", None, {}, Aggregation.SUM),
    ("1500场以上", None, {}, Aggregation.SUM),
    ("79.5", "岁", {}, Aggregation.NONE),
    ("11.4", "年", {}, Aggregation.NONE),
    ("1200", None, {}, Aggregation.NONE),  # unknown unit: not guessed
    ("≥95%", "%", {}, Aggregation.NONE),
    ("≥95%", "%", {"numerator": "参保人数", "denominator": "应参保人数"}, Aggregation.RATE),
    ("≥95%", "%", {"weight_base": "常住人口"}, Aggregation.WEIGHTED_MEAN),
    ("≤10", "1/10万", {"numerator": "死亡数"}, Aggregation.NONE),
    ("3.2", "人", {"name": "每千常住人口拥有执业(助理)医师数"}, Aggregation.NONE),
    ("城乡居民最低生活保障年人均标准达到17000元", None, {}, Aggregation.NONE),
    ("应保尽保", "%", {}, Aggregation.COUNT_MET),
    ("待定", "个", {}, Aggregation.NONE),
])
def test_infer_aggregation(text, unit, kwargs, expected):
    assert infer_aggregation(parse_target(text, unit), unit, **kwargs) is expected


@pytest.mark.parametrize("text, expected", [
    ("求和", Aggregation.SUM), ("合计", Aggregation.SUM), ("累加", Aggregation.SUM),
    ("比率", Aggregation.RATE), ("重新计算比率", Aggregation.RATE), ("按分子分母", Aggregation.RATE),
    ("加权平均", Aggregation.WEIGHTED_MEAN), ("最小值", Aggregation.MIN), ("最大值", Aggregation.MAX),
    ("达标个数", Aggregation.COUNT_MET), ("不汇总", Aggregation.NONE), ("不可汇总", Aggregation.NONE),
    ("不适用", Aggregation.NONE), (" 加權平均 ", Aggregation.WEIGHTED_MEAN), ("平均", None), ("", None), (None, None),
])
def test_aggregation_parse(text, expected):
    assert Aggregation.parse(text) is expected


@pytest.mark.parametrize("text, expected", [
    ("正向", UP), ("越高越好", UP), ("higher", UP), ("Higher", UP),
    ("逆向", DOWN), ("越低越好", DOWN), ("lower", DOWN), ("向上", None), ("", None),
])
def test_direction_parse(text, expected):
    assert Direction.parse(text) is expected


@pytest.mark.parametrize("text, expected", [
    ("约束性", Nature.BINDING), ("約束性", Nature.BINDING), ("预期性", Nature.EXPECTED),
    ("預期性", Nature.EXPECTED), ("指导性", None),
])
def test_nature_parse(text, expected):
    assert Nature.parse(text) is expected


def test_indicator_defaults():
    ind = Indicator("基本医疗保险参保率", "%", UP, Nature.BINDING, Aggregation.RATE, "参保人数", "应参保人数")
    assert (ind.weight_base, ind.numerator, ind.denominator) == (None, "参保人数", "应参保人数")


def test_enum_values_are_the_chinese_labels():
    assert [c.value for c in Comparator] == [">=", ">", "<=", "<", "="]
    assert (UP.value, DOWN.value, Nature.BINDING.value, Aggregation.COUNT_MET.value) == ("正向", "逆向", "约束性", "达标个数")
    assert [parse_target(t).describe() for t in ("≥95%", "7万个", "应保尽保", "待定")] == ["≥95%", "7万个", "应保尽保", "待定"]


@given(st.text(max_size=40))
def test_never_raises_and_keeps_the_raw_text(text):
    t = parse_target(text)
    assert t.raw == text
    assert (t.flag is None) == t.is_parsed
    assert t.is_numeric == (t.kind in (TargetKind.QUANTITY, TargetKind.RATE))


@pytest.mark.parametrize("text, value", [
    ("到2025年12月底完成250所", 250),  # year and month are dates, not targets
    ("1.新改扩建公办幼儿园不少于250所", 250),  # list numbering
    ("=95%以上", 95),
])
def test_dates_and_numbering_are_not_targets(text, value):
    assert parse_target(text).value == value


def test_describe_per_100k():
    assert parse_target("≤18/10万").describe() == "≤18/10万"
