import pytest

from reporter.model.units import Unit, UnitDirectory, UnitKind, split_units

DIRECTORY = UnitDirectory.of([
    Unit("湖北省民政厅", "省民政厅", ("民政厅",)),
    Unit("湖北省教育厅", "省教育厅"),
    Unit("湖北省人力资源和社会保障厅", "省人社厅", ("人社厅", "省人力资源社会保障厅")),
    Unit("咸安区人民政府", kind=UnitKind.REGION, region="421202"),
    Unit("武汉市人民政府", "武汉市政府", kind=UnitKind.REGION, region="420100"),
])


@pytest.mark.parametrize("written, canonical", [
    ("湖北省民政厅", "湖北省民政厅"),
    ("省民政厅", "湖北省民政厅"),
    ("民政厅", "湖北省民政厅"),
    ("省 教育厅", "湖北省教育厅"),
    ("省人社厅", "湖北省人力资源和社会保障厅"),
    ("人社廳", "湖北省人力资源和社会保障厅"),
    ("咸安区政府", "咸安区人民政府"),
    ("咸安区", "咸安区人民政府"),
    ("武汉市", "武汉市人民政府"),
])
def test_units_match_by_any_name(written, canonical):
    assert DIRECTORY.match(written).name == canonical


@pytest.mark.parametrize("written", ["市教育局", "", "省卫健委"])
def test_unknown_units_are_not_guessed(written):
    assert DIRECTORY.match(written) is None


def test_match_list_keeps_unknown_names():
    assert DIRECTORY.match_list("省民政厅、省财政厅") == ["湖北省民政厅", "省财政厅"]


def test_label_is_the_short_name():
    assert DIRECTORY.match("民政厅").label == "省民政厅"


@pytest.mark.parametrize("cell, names", [
    ("咸安区、赤壁市人民政府", ["咸安区人民政府", "赤壁市人民政府"]),
    ("雉城街道、画溪街道办事处", ["雉城街道办事处", "画溪街道办事处"]),
    ("市教育局、咸安区人民政府", ["市教育局", "咸安区人民政府"]),  # a department keeps its own name
    ("市委、市政府", ["市委", "市政府"]),
    ("市财政局、各县（市、区）人民政府", ["市财政局", "各县(市、区)人民政府"]),
    # roles written beside the names, names a space apart, a trailing 等
    ("县教育局（牵头）、县财政局（配合）", ["县教育局", "县财政局"]),
    ("县人社局牵头，各乡镇人民政府配合", ["县人社局", "各乡镇人民政府"]),
    ("县住建局 县自然资源局", ["县住建局", "县自然资源局"]),
    ("县交通运输局、县公路中心等", ["县交通运输局", "县公路中心"]),
])
def test_places_share_the_last_name_s_government(cell, names):
    assert split_units(cell) == names
