import pytest

from reporter.model.units import Unit, UnitDirectory, UnitKind

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
