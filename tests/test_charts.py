"""The brief's charts (reporter.render.charts): Chinese text that renders, the class colours, sharp pictures for
Word, SVG that can sit inside the PDF's HTML, and no change to the caller's matplotlib settings."""
from __future__ import annotations

import re
import struct
import warnings

import matplotlib
import pytest
from matplotlib import font_manager

from reporter.model.status import COLOURS, Status
from reporter.render import charts
from reporter.render.charts import Panel, class_chart, cjk_family, trend_line

DOMAINS = ["就业创业", "养老服务", "食品药品安全"]
DOMAIN_COUNTS = [{Status.AHEAD: 8, Status.BEHIND: 1}, {Status.DONE_EARLY: 4, Status.ON_SCHEDULE: 3, Status.SEVERE: 1},
                 {Status.DONE_EARLY: 3, Status.NOT_REPORTED: 1}]
REGIONS = ["咸宁", "恩施州", "神农架"]
REGION_COUNTS = [{Status.ON_SCHEDULE: 10, Status.BEHIND: 2}, {Status.ON_SCHEDULE: 5, Status.NOT_STARTED: 1},
                 {Status.BEHIND: 3, Status.OVERDUE: 2}]
TREND = [("2025-01", 80.0), ("2025-02", None), ("2025-03", 100.0), ("2025-04", 70.2), ("2025-05", 73.7)]
NEUTRAL = {"#ffffff", charts.EDGE.lower(), charts.INK.lower(), charts.GRID.lower(), "none", "#000000"}


def chart(**kw):
    panels = [Panel("分领域任务分类（项）", DOMAINS, DOMAIN_COUNTS, xlabel="任务数（项）"),
              Panel("分市州（按综合得分排序）", REGIONS, REGION_COUNTS, notes=["91.1", "81.3", "64.0"], share=True)]
    return class_chart(panels, "图2　各领域和各市州", **kw)


def glyph_warnings(draw) -> list[str]:
    """matplotlib's 'Glyph N (…) missing from font(s)' warnings while drawing: each is an empty box on paper."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        draw()
    return [str(w.message) for w in caught if "missing from font" in str(w.message)]


def svg_texts(svg: str) -> list[str]:
    return [t for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg)]


def fills(svg: str) -> set[str]:
    return {f.lower() for f in re.findall(r'fill="(#[0-9A-Fa-f]{6}|none)"', svg)}


def png_size(png: bytes) -> tuple[int, int]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", png[16:24])


# --------------------------------------------------------------------------- Chinese text


def test_the_chart_font_is_simplified_chinese_and_covers_the_labels():
    path = font_manager.findfont(font_manager.FontProperties(family=cjk_family()), fallback_to_default=False)
    font = font_manager.get_font(path)
    assert "CJK JP" not in font.family_name and "CJK KR" not in font.family_name  # no Japanese shapes
    text = "".join(DOMAINS + REGIONS) + "分领域任务分类（项）按综合得分排序序时达标率提前完成超序时按序时滞后严重滞后未报送月%"
    missing = [ch for ch in set(text) if not font.get_char_index(ord(ch))]
    assert not missing, "".join(missing)


def test_no_glyph_is_missing_when_drawing():
    assert glyph_warnings(lambda: (chart(), trend_line(TREND, "图1"))) == []


def test_the_glyph_check_would_catch_a_latin_font(monkeypatch):
    """The check above is not vacuous: with a font lacking hanzi, matplotlib warns for every one."""
    monkeypatch.setattr(charts, "cjk_family", lambda: "DejaVu Sans")
    assert glyph_warnings(lambda: trend_line(TREND, "图1"))


def test_without_a_chinese_font_it_refuses_in_chinese(monkeypatch):
    charts.cjk_family.cache_clear()
    monkeypatch.setattr(charts, "CJK_FAMILIES", ("No Such Font SC",))
    try:
        with pytest.raises(charts.ChartError, match="fonts-noto-cjk"):
            charts.cjk_family()
    finally:
        charts.cjk_family.cache_clear()


# --------------------------------------------------------------------------- SVG for the PDF


def test_svg_keeps_text_as_text_in_a_chinese_family():
    svg = chart().svg
    texts = svg_texts(svg)
    for label in [*DOMAINS, *REGIONS, "分领域任务分类（项）", "91.1", "提前完成"]:
        assert label in texts, label
    families = set(re.findall(r'font-family="([^"]+)"', svg))
    assert families == {f"'{cjk_family()}', {charts.SVG_FALLBACK}"}


def test_svg_fits_inside_html():
    a, b = chart().svg, trend_line(TREND, "图1").svg
    for svg in (a, b):
        assert svg.startswith("<svg") and "<?xml" not in svg and "<!DOCTYPE" not in svg
        assert "<style" not in svg and ' style="' not in svg  # nothing for the HTML stylesheet to misread
        assert "<metadata" not in svg
    assert re.search(r'<svg[^>]* width="156mm" height="[\d.]+mm"', a)
    ids = [set(re.findall(r'\sid="([^"]+)"', svg)) for svg in (a, b)]
    assert ids[0] and ids[1] and not ids[0] & ids[1]  # two charts in one page: no id twice
    for svg in (a, b):  # every reference points at an id of its own chart
        refs = set(re.findall(r'url\(#([^)]+)\)', svg))
        assert refs <= set(re.findall(r'\sid="([^"]+)"', svg))


def test_same_data_same_svg():
    assert chart().svg == chart().svg  # no timestamp or random ids: outputs can be compared


# --------------------------------------------------------------------------- colours


def test_bars_use_the_class_colours_and_nothing_else():
    svg = chart().svg
    present = {s for counts in DOMAIN_COUNTS + REGION_COUNTS for s in counts}
    expected = {s.hex.lower() for s in present}
    assert expected <= fills(svg)
    assert fills(svg) - expected <= NEUTRAL  # no colour of matplotlib's own


def test_legend_names_the_classes_that_occur_per_colour():
    texts = svg_texts(chart().svg)
    assert "提前完成" in texts  # 已完成 does not occur: not named
    assert "超序时、按序时" in texts
    assert "严重滞后、逾期未完成、未启动" in texts
    assert "未报送" in texts and "无法判断" not in " ".join(texts)


def test_colour_groups_follow_the_status_colours():
    groups = charts.colour_groups()
    assert [g[0] for g in groups] == ["绿", "蓝", "黄", "红", "灰"]
    for name, statuses, fill in groups:
        assert all(COLOURS[s] == (name, fill) for s in statuses)
    assert sorted(s for _, statuses, _ in groups for s in statuses) == sorted(Status)


def test_trend_fill_is_the_on_schedule_blue():
    assert Status.ON_SCHEDULE.hex.lower() in fills(trend_line(TREND, "图1").svg)


# --------------------------------------------------------------------------- PNG for Word


def test_png_is_sharp_enough_for_print():
    fig = chart()
    width_px, height_px = png_size(fig.png)
    assert width_px / (fig.width / 25.4) >= 200
    assert height_px / (fig.height / 25.4) >= 200


def test_sizes_given_and_capped():
    assert chart(height=70).height == 70
    assert chart().height == charts.bar_height(3)
    assert charts.bar_height(31) == charts.MAX_BARS_MM  # a national round's 31 provinces still fit


# --------------------------------------------------------------------------- trend


def test_trend_labels_every_round_in_order_and_prints_values():
    texts = svg_texts(trend_line(TREND, "图1").svg)
    ticks = [t for t in texts if t.endswith("月")]
    assert ticks == ["1月", "2月", "3月", "4月", "5月"]
    assert {"80.0%", "100.0%", "70.2%", "73.7%"} <= set(texts)


def test_round_ticks():
    assert charts.round_tick("2025-05") == "5月"
    assert charts.round_tick("2025-Q2") == "二季度"


def test_a_single_round_and_an_empty_panel_draw():
    assert "5月" in svg_texts(trend_line([("2025-05", 73.7)], "图1").svg)
    empty = class_chart([Panel("分领域", ["教育"], [{}])], "图")
    assert empty.png and "教育" in svg_texts(empty.svg)


# --------------------------------------------------------------------------- no leaks


def test_matplotlib_settings_are_left_as_they_were():
    before = dict(matplotlib.rcParams)
    backend = matplotlib.get_backend()
    chart()
    trend_line(TREND, "图1")
    assert dict(matplotlib.rcParams) == before
    assert matplotlib.get_backend() == backend


def filled_share(figure) -> float:
    """Share of the PNG's pixels in the 按序时 blue the trend is filled with."""
    import io

    from PIL import Image

    target = tuple(int(Status.ON_SCHEDULE.hex.lstrip("#")[i:i + 2], 16) for i in (0, 2, 4))
    image = Image.open(io.BytesIO(figure.png)).convert("RGB")
    pixels = list(image.get_flattened_data() if hasattr(image, "get_flattened_data") else image.getdata())
    return sum(1 for p in pixels if all(abs(a - b) <= 6 for a, b in zip(p, target))) / len(pixels)


def test_one_month_of_history_is_a_bar_not_a_lone_dot():
    one = trend_line([("2025-01", 73.7)], "图1")
    assert filled_share(one) > 0.02  # a bar's worth of the fill, not a dot on an empty axis
    assert "73.7%" in svg_texts(one.svg)
    several = trend_line([("2025-01", 60.0), ("2025-02", 73.7)], "图1")
    assert filled_share(several) > 0.05
