"""Region hierarchy: built-in 湖北省 table, navigation, name matching and user extension."""
from __future__ import annotations

import time

import pytest

from reporter.model.regions import Region, RegionTree, is_synthetic_code, load_builtin_regions

HUBEI = "420000"
WUHAN = "420100"
XIANNING = "421200"
ENSHI = "422800"


@pytest.fixture(scope="module")
def tree() -> RegionTree:
    return load_builtin_regions()


# ---------------------------------------------------------------------- data integrity
def test_single_root_is_hubei(tree):
    assert tree.root().code == HUBEI
    assert tree.root().name == "湖北省"
    assert tree.root().level == "省"


@pytest.mark.parametrize(
    ("code", "count"),
    [
        (HUBEI, 17),  # 12 地级市 + 恩施州 + 仙桃/潜江/天门/神农架
        (WUHAN, 17),  # 13 districts + 4 functional zones
        ("420200", 6),  # 黄石
        ("420300", 8),  # 十堰
        ("420500", 13),  # 宜昌
        ("420600", 9),  # 襄阳
        ("420700", 3),  # 鄂州
        ("420800", 5),  # 荆门
        ("420900", 7),  # 孝感
        ("421000", 8),  # 荆州
        ("421100", 10),  # 黄冈
        (XIANNING, 6),
        ("421300", 3),  # 随州
        (ENSHI, 8),
        ("429004", 0),
        ("429005", 0),
        ("429006", 0),
        ("429021", 0),
    ],
)
def test_children_counts(tree, code, count):
    assert len(tree.children(code)) == count


def test_total_count(tree):
    # 1 province + 17 city-level + 99 county-level under 地级市/州 + 4 Wuhan functional zones
    assert len(tree) == 121
    county = [r for r in tree if r.level == "县"]
    assert len(county) == 103
    # GB/T 2260 counts 103 county-level divisions: 99 under cities + the 4 省直管 units
    real_county = [r for r in county if not r.synthetic]
    assert len(real_county) + 4 == 103


def test_city_level_children_of_hubei(tree):
    children = tree.children(HUBEI)
    assert all(r.level == "市" for r in children)
    assert [r.code for r in children] == sorted(r.code for r in children)
    names = {r.name for r in children}
    assert {"武汉市", "恩施土家族苗族自治州", "仙桃市", "潜江市", "天门市", "神农架林区"} <= names


def test_xianning_children(tree):
    assert [(r.code, r.name) for r in tree.children(XIANNING)] == [
        ("421202", "咸安区"),
        ("421221", "嘉鱼县"),
        ("421222", "通城县"),
        ("421223", "崇阳县"),
        ("421224", "通山县"),
        ("421281", "赤壁市"),
    ]


def test_wuhan_districts_and_zones(tree):
    children = tree.children(WUHAN)
    districts = [r for r in children if not r.synthetic]
    zones = [r for r in children if r.synthetic]
    assert len(districts) == 13
    assert len(zones) == 4
    assert {r.code for r in districts} == {
        "420102", "420103", "420104", "420105", "420106", "420107", "420111",
        "420112", "420113", "420114", "420115", "420116", "420117",
    }
    assert {r.short for r in zones} == {"东湖高新区", "武汉经开区", "东湖风景区", "长江新区"}
    assert "420113" in tree  # 汉南区 stays although administered by 武汉经开区


def test_codes_unique_and_parents_exist(tree):
    codes = [r.code for r in tree]
    assert len(codes) == len(set(codes))
    for region in tree:
        if region.code == HUBEI:
            assert region.parent is None
        else:
            assert region.parent in tree, region


def test_county_codes_start_with_city_digits(tree):
    for region in tree:
        if region.level != "县":
            continue
        parent = tree.get(region.parent)
        assert parent.level == "市"
        if not is_synthetic_code(region.code):
            assert len(region.code) == 6 and region.code.isdigit()
            assert region.code[:4] == parent.code[:4], region
        assert region.code.startswith(parent.code[:4])


def test_levels_and_codes_shape(tree):
    for region in tree:
        assert region.level in {"省", "市", "县"}
        if region.level == "市" and not region.synthetic:
            assert region.code.endswith("00") or region.code.startswith("4290")


# ---------------------------------------------------------------------- navigation
def test_navigation(tree):
    assert [r.name for r in tree.ancestors("421202")] == ["湖北省", "咸宁市"]
    assert tree.path("421202") == ["湖北省", "咸宁市", "咸安区"]
    assert tree.depth(HUBEI) == 0
    assert tree.depth(XIANNING) == 1
    assert tree.depth("421202") == 2
    desc = tree.descendants(HUBEI)
    assert len(desc) == len(tree) - 1
    # depth-first in code order: 武汉市 is followed by its own districts
    assert [r.code for r in desc[:3]] == ["420100", "420102", "420103"]
    assert desc[desc.index(tree["420100"]) + 18].code == "420200"
    assert tree.descendants("421202") == []
    assert tree.is_within("421202", HUBEI)
    assert not tree.is_within("421202", WUHAN)
    with pytest.raises(KeyError):
        tree.children("999999")
    assert tree.get("999999") is None
    assert tree.get(421202).name == "咸安区"
    assert tree.get("421202.0").name == "咸安区"


def test_builtin_is_fresh_each_call():
    a = load_builtin_regions()
    a.extend([Region("429999", "测试市", HUBEI, "市")])
    assert "429999" not in load_builtin_regions()


# ---------------------------------------------------------------------- matching
@pytest.mark.parametrize(
    ("name", "code"),
    [
        # full names and suffix-less names
        ("咸安区", "421202"),
        ("咸安", "421202"),
        ("赤壁市", "421281"),
        ("赤壁", "421281"),
        ("恩施土家族苗族自治州", ENSHI),
        ("恩施州", ENSHI),
        ("长阳土家族自治县", "420528"),
        ("长阳", "420528"),
        ("长阳县", "420528"),
        ("五峰", "420529"),
        ("神农架林区", "429021"),
        ("神农架", "429021"),
        ("湖北省", HUBEI),
        ("湖北", HUBEI),
        ("武汉", WUHAN),
        ("房县", "420325"),
        ("随县", "421321"),
        ("沙市区", "421002"),
        ("沙市", "421002"),
        ("郧阳", "420304"),
        ("郧县", "420304"),
        ("监利县", "421088"),
        ("襄樊市", "420600"),
        # parent prefixes
        ("咸宁市咸安区", "421202"),
        ("湖北省咸宁市", XIANNING),
        ("湖北省咸宁市咸安区", "421202"),
        ("湖北咸宁咸安", "421202"),
        ("湖北省咸安区", "421202"),
        ("宜昌市长阳县", "420528"),
        ("恩施州恩施市", "422801"),
        ("恩施州恩施", "422801"),
        ("湖北省神农架林区", "429021"),
        # 繁体, full-width, spaces
        ("鹹寧市", XIANNING),
        ("東西湖區", "420112"),
        ("咸 安 区", "421202"),
        ("　咸安区　", "421202"),
        ("湖北省 咸宁市 赤壁市", "421281"),
        ("鄖陽區", "420304"),
        # Wuhan functional zones
        ("武汉东湖新技术开发区", "4201A1"),
        ("东湖高新区", "4201A1"),
        ("武汉市东湖高新区", "4201A1"),
        ("东湖新技术开发区", "4201A1"),
        ("武汉经开区", "4201A2"),
        ("武汉经开区（汉南区）", "4201A2"),
        ("经开区", "4201A2"),
        ("汉南区", "420113"),
        ("东湖风景区", "4201A3"),
        ("武汉市东湖生态旅游风景区", "4201A3"),
        ("长江新区", "4201A4"),
        ("武汉长江新区", "4201A4"),
        # a code is accepted as well
        ("421202", "421202"),
    ],
)
def test_match(tree, name, code):
    region = tree.match(name)
    assert region is not None, name
    assert region.code == code


@pytest.mark.parametrize(
    ("name", "code", "all_codes"),
    [
        ("恩施", ENSHI, [ENSHI, "422801"]),  # higher level wins
        ("恩施市", "422801", ["422801"]),  # exact full name wins
        ("荆州", "421000", ["421000", "421003"]),
        ("荆州区", "421003", ["421003"]),
        ("荆州市", "421000", ["421000"]),
    ],
)
def test_ambiguity(tree, name, code, all_codes):
    assert tree.match(name).code == code
    assert [r.code for r in tree.match_all(name)] == all_codes


def test_within_narrows(tree):
    assert tree.match("恩施", within=ENSHI).code == "422801"
    assert tree.match("恩施", within="恩施州").code == "422801"
    assert tree.match("荆州", within="421000").code == "421003"
    assert tree.match("咸安", within=XIANNING).code == "421202"
    assert tree.match("咸安", within=WUHAN) is None
    assert tree.match("咸宁市", within=XIANNING).code == XIANNING


@pytest.mark.parametrize(
    "name",
    ["", None, float("nan"), "某某区", "黄冈市咸安区", "咸宁市某某局", "省", "区", "999999"],
)
def test_unknown_is_none(tree, name):
    assert tree.match(name) is None
    assert tree.match_all(name) == []


def test_tie_is_none():
    t = RegionTree(
        [
            Region("1", "甲省", None, "省"),
            Region("11", "乙市", "1", "市"),
            Region("12", "丙市", "1", "市"),
            Region("111", "新城区", "11", "县"),
            Region("121", "新城县", "12", "县"),
        ]
    )
    assert t.match("新城") is None
    assert {r.code for r in t.match_all("新城")} == {"111", "121"}
    assert t.match("新城", within="乙市").code == "111"
    assert t.match("丙市新城").code == "121"


def test_short_names_unique_in_builtin(tree):
    shorts = [r.short for r in tree if r.short]
    assert len(shorts) == len(set(shorts))
    for region in tree:
        for name in region.names():
            assert tree.match(name) == region, name


def test_match_speed(tree):
    names = [n for r in tree for n in r.names()] + ["湖北省咸宁市咸安区", "鹹寧市", "不存在"]
    batch = (names * (100_000 // len(names) + 1))[:100_000]
    tree.match("warm up")
    start = time.perf_counter()
    for name in batch:
        tree.match(name)
    assert time.perf_counter() - start < 1.0


# ---------------------------------------------------------------------- user extension
def test_extend_with_chinese_headers(tree):
    user = RegionTree.from_rows(
        [
            {"地区代码": "4201A2", "地区名称": "武汉经开区（汉南区）", "上级代码": "", "层级": "", "简称": "经开区"},
            {"地区代码": "421202001", "地区名称": "永安街道", "上级代码": "421202", "层级": "乡", "别名": "永安|永安办事处"},
            {"代码": "", "名称": ""},  # blank row skipped
        ]
    )
    assert len(user) == 2
    merged = tree.merged(user)
    assert "421202001" not in tree  # merged leaves the original alone
    zone = merged["4201A2"]
    assert zone.name == "武汉经开区(汉南区)"
    assert zone.parent == WUHAN and zone.level == "县"  # blank fields keep the old values
    assert merged.match("经开区").code == "4201A2"
    assert merged.match("武汉经济技术开发区").code == "4201A2"  # old name still matches
    assert merged.match("咸安区永安街道").code == "421202001"
    assert merged.match("永安办事处").code == "421202001"
    assert merged.path("421202001") == ["湖北省", "咸宁市", "咸安区", "永安街道"]
    assert len(merged) == len(tree) + 1


def test_extend_overrides_name_in_place():
    t = load_builtin_regions()
    result = t.extend(RegionTree.from_rows([{"行政区划代码": 421202, "名称": "咸安新区", "上级": 421200}]))
    assert result is t
    assert t["421202"].name == "咸安新区"
    assert t.match("咸安新区").code == "421202"
    assert t.match("咸安区").code == "421202"


def test_from_rows_infers_level_and_rejects_bad_rows():
    t = RegionTree.from_rows(
        [
            {"code": "1", "name": "甲省", "parent": "", "level": "省"},
            {"code": "11", "name": "乙市", "parent": "1"},
            {"code": "111", "name": "丙县", "parent": "11"},
        ]
    )
    assert [t["11"].level, t["111"].level] == ["市", "县"]
    with pytest.raises(ValueError):
        RegionTree.from_rows([{"code": "1", "name": ""}])
    with pytest.raises(ValueError):
        RegionTree.from_rows([{"code": "1", "name": "甲"}, {"code": "1", "name": "乙"}])


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "gb18030"])
def test_from_csv(tmp_path, encoding):
    path = tmp_path / "regions.csv"
    path.write_text(
        "地区代码,地区名称,上级代码,层级,简称,别名\n"
        "420000,湖北省,,省,湖北,\n"
        "421200,咸宁市,420000,市,咸宁,\n"
        "421202,咸安区,421200,县,咸安,温泉|咸安城区\n",
        encoding=encoding,
    )
    t = RegionTree.from_csv(path)
    assert len(t) == 3
    assert t.root().code == "420000"  # BOM does not leak into the first header
    assert t["421202"].aliases == ("温泉", "咸安城区")
    assert t.match("鹹寧咸安").code == "421202"


def test_builtin_csv_header():
    from importlib import resources

    text = resources.files("reporter").joinpath("data").joinpath("regions_hubei.csv").read_text("utf-8")
    assert text.splitlines()[0] == "code,name,parent,level,short,aliases"


def test_tree_survives_pickling_for_spawned_workers():
    import pickle

    from reporter.model.regions import load_builtin_regions

    tree = load_builtin_regions()
    tree.match("咸安")  # fill the caches first
    copy = pickle.loads(pickle.dumps(tree))
    assert copy.match("鹹寧市").code == "421200" and len(copy) == len(tree)
