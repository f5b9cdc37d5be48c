"""The 月度通报's content on the sample round, its wording rules and the clerk-editable templates."""
from __future__ import annotations

import datetime as dt
import math
import re
import shutil
from dataclasses import replace

import pytest

from reporter.render.bulletin import (NAMED_TASKS, Office, TASK_HEADERS, build_bulletin, bulletin_context,
                                      document_text, load_office, paragraphs)
from reporter.render.document import Heading, Paragraph, Table
from reporter.render.wording import (TEMPLATES_DIR, WordingError, check_template, cn_numeral, count_phrase,
                                     environment, fmt_number, fmt_percent, join_names, join_scored, render)
from reporter.rollup.rankings import Ranked
from reporter.rollup.status import Status

from .conftest import on_schedule

HEADINGS = ["一、总体情况", "二、进展较好的地区和单位", "三、存在的主要问题", "四、下步工作要求"]
# Overview class → how 一、 words it (templates/bulletin/overview.j2)
CLASS_WORDS = {"超序时": "超序时推进", "按序时": "按序时推进", "滞后": "滞后", "严重滞后": "严重滞后",
               "逾期未完成": "逾期未完成", "未启动": "未启动", "未报送": "因责任单位未报送无法掌握进展",
               "无法判断": "无法判断进展"}
# Broken joins a template can leave behind
SEAMS = ["：。", "，。", "、。", "；。", "，，", "。。", "（）", "None", "nan", "undefined", "{{", "{%"]
ZERO_COUNT = re.compile(r"(?<![\d.])0(?:个|项|家|名)")


@pytest.fixture(scope="module")
def ro(sample_rollup):
    return sample_rollup


@pytest.fixture(scope="module")
def office():
    return load_office()


@pytest.fixture(scope="module")
def doc(ro, office):
    return build_bulletin(ro, office)


@pytest.fixture
def calm(ro):
    """The sample round with every task and row exactly on schedule and every unit reporting."""
    return on_schedule(ro)


def section(doc, heading: str) -> str:
    """The prose under one 一、-level heading."""
    out, inside = [], False
    for block in doc.body:
        if isinstance(block, Heading) and block.level == 1:
            inside = heading in block.text
        elif inside and isinstance(block, Paragraph):
            out.append(block.lead + block.text)
    return "\n".join(out)


def prose(doc) -> str:
    """Every sentence a reader reads, tables left out."""
    parts = [doc.title, doc.addressee, *(b.lead + b.text if isinstance(b, Paragraph) else b.text
                                         for b in doc.body if not isinstance(b, Table))]
    return "\n".join(parts + [a.title for a in doc.attachments])


def assert_reads_naturally(text: str) -> None:
    for seam in SEAMS:
        assert seam not in text, f"“{seam}” in: {text}"
    assert not ZERO_COUNT.search(text), text


# --------------------------------------------------------------------------- the document


def test_fixed_texts_come_from_the_office(doc, office, ro):
    assert doc.title == "关于2025年5月全省民生实事任务推进情况的通报"
    assert doc.issuer == office.issuer == "湖北省民生工作领导小组办公室"
    assert doc.doc_number == "鄂民生办〔2025〕5号"
    assert doc.addressee == office.addressee and doc.addressee.endswith("：")
    assert (doc.signature, doc.cc, doc.printed_by, doc.note) == (office.signature, office.cc, office.printed_by,
                                                                 office.note)
    assert doc.date == doc.print_date == ro.round_ledger.round.deadline == dt.date(2025, 6, 5)


def test_issue_date_and_number_can_be_given(ro, office):
    doc = build_bulletin(ro, office, dt.date(2025, 6, 10), seq=12)
    assert doc.date == doc.print_date == dt.date(2025, 6, 10)
    assert doc.doc_number == "鄂民生办〔2025〕12号"


def test_sections_in_order(doc):
    assert [b.text for b in doc.body if isinstance(b, Heading)] == HEADINGS
    assert isinstance(doc.body[0], Paragraph) and doc.body[0].text.endswith("通报如下：")


def test_overview_numbers_are_the_rollups(doc, ro):
    ov, text = ro.overview(), section(doc, "总体情况")
    assert f"{ov['任务数']}项民生实事任务" in text
    assert f"已完成{ov['已完成数']}项" in text
    for status, n in ov["分类"].items():
        if n and status in CLASS_WORDS:
            assert f"{CLASS_WORDS[status]}{n}项" in text, status
    assert f"完成率{fmt_percent(ov['完成率'])}" in text
    assert fmt_percent(ov["序时达标率"]) in text
    assert "截至2025年5月31日" in text


def test_top_regions_and_units_are_named_with_scores(doc, ro):
    text = section(doc, "进展较好")
    top_regions, _ = ro.top_bottom(ro.region_ranking(1))
    top_units, _ = ro.top_bottom(ro.unit_ranking())
    for r in [*top_regions, *top_units]:
        if r.score >= 90:
            assert r.name in text and f"{fmt_number(r.score)}分" in text, r
        else:
            assert r.name not in text, r  # never praised below 按序时


def test_every_lead_with_lagging_tasks_is_named(doc, ro):
    text = section(doc, "存在的主要问题")
    leads = {ro.label(ro.ledger.tasks[c].lead) for c, j in ro.tasks.items() if j.status.lagging}
    assert leads and all(lead in text for lead in leads), leads - {x for x in leads if x in text}
    assert f"{ro.overview()['滞后任务数']}项任务滞后于序时进度" in text
    assert "附件1" in text


def test_at_most_ten_tasks_named_and_the_worst_first(doc, ro):
    text = section(doc, "存在的主要问题")
    text = "\n".join(p for p in text.splitlines() if "有待核实" not in p)  # held figures name their task too
    named = re.findall(r"“([^”]+)”", text)
    lagging = {ro.ledger.tasks[c].name: j for c, j in ro.tasks.items() if j.status.lagging}
    assert 0 < len(named) <= NAMED_TASKS and set(named) <= set(lagging)
    worst = min((j.gap, n) for n, j in lagging.items() if j.gap is not None)[1]
    assert worst in named
    assert f"落后序时进度{-lagging[worst].gap:.1f}个百分点" in text


def test_non_submitting_unit_is_named(doc, ro):
    text = section(doc, "存在的主要问题")
    assert ro.round_ledger.missing == ["湖北省残疾人联合会"]
    assert "省残联未按时报送" in text
    assert "（二）个别单位未按时报送。" in text


def test_no_broken_wording_anywhere(doc):
    assert_reads_naturally(prose(doc))
    everything = document_text(doc)
    for bad in ("None", "nan", "{{"):
        assert bad not in everything


def test_requirements_from_the_office(doc, office):
    paras = [b for b in doc.body if isinstance(b, Paragraph) and b.lead.startswith("（")]
    requirements = section(doc, "下步工作要求")
    assert len(office.requirements) >= 3
    for i, item in enumerate(office.requirements, 1):
        assert f"（{cn_numeral(i)}）{item}" in requirements
    assert any(p.lead == "（一）强化统筹调度。" for p in paras)
    assert "公开曝光" in requirements


def test_task_table_has_every_task_and_colours_only_status(doc, ro):
    annex = doc.attachments[0]
    assert (annex.number, annex.title, annex.landscape) == (1, "2025年5月民生实事任务推进情况表", True)
    table = annex.blocks[0]
    assert table.headers == TASK_HEADERS
    assert [r[1] for r in table.rows] == [t.code for t in ro.ledger]
    assert [r[0] for r in table.rows] == list(range(1, len(ro.ledger) + 1))
    col = TASK_HEADERS.index("状态")
    assert set(table.colours) == {(i, col) for i in range(len(table.rows))}
    for (i, _), colour in table.colours.items():
        assert colour == Status(table.rows[i][col]).hex
    by_code = {r[1]: r for r in table.rows}
    assert by_code["MS2025-011"][4:8] == ["1.75万个", "1.01万个", "57.5%", "55.3%"]  # 17500 / 10062 个


def test_ranking_table(doc, ro):
    annex = doc.attachments[1]
    assert (annex.number, annex.title) == (2, "市州推进情况排名")
    table = annex.blocks[0]
    assert table.headers[:3] == ["排名", "市州", "得分"]
    ranked = ro.region_ranking(1)
    assert [(r[0], r[1], r[2]) for r in table.rows] == [(r.rank, r.name, fmt_number(r.score)) for r in ranked]
    assert all(r[4] + r[5] <= r[3] for r in table.rows)
    assert doc.attachment_lines()[0] == "附件：1.2025年5月民生实事任务推进情况表"


# --------------------------------------------------------------------------- empty and singular cases


def test_nothing_lagging_reads_naturally(calm, office):
    doc = build_bulletin(calm, office)
    problems = section(doc, "存在的主要问题")
    assert "均按序时推进" in problems
    assert "滞后于序时进度" not in problems and "未按时报送" not in problems and "排名靠后" not in problems
    overview = section(doc, "总体情况")
    assert "全省99项民生实事任务均按序时推进。目前尚无已完成的任务，序时达标率" in overview
    assert "滞后" not in overview and "完成率0%" not in overview
    assert section(doc, "进展较好") == "从市州看，各地综合得分均为90分。从责任单位看，各单位综合得分均为90分。"
    assert_reads_naturally(prose(doc))


def _context(ro, office, **changes):
    context = bulletin_context(ro, office)
    empty = {k: ([] if isinstance(v, list) else 0 if isinstance(v, int) else v) for k, v in context.items()}
    empty.update(changes)
    return empty


def _problems(context) -> str:
    env = environment()
    return "\n".join(p.lead + p.text for p in paragraphs(str(render(env, "bulletin/problems.j2", context))))


def test_problems_template_with_an_empty_context(ro, office):
    text = _problems(_context(ro, office))
    assert text == "本期各项任务均按序时推进，各地各部门均按时报送，未发现明显滞后问题。"


def test_one_lagging_task_without_deng(ro, office):
    task = {"code": "X", "name": "新建社区食堂", "lead": "省民政厅", "status": "滞后", "gap": -5.04,
            "completion": 30.0, "time_progress": 35.04, "runs": 3}
    text = _problems(_context(ro, office, lagging_count=1, missing_units=["省妇儿工委办"],
                              lag_groups=[{"lead": "省民政厅", "count": 1, "named": [task], "more": False}]))
    assert "（一）部分任务进度滞后。" in text and "全省有1项任务滞后于序时进度。" in text
    assert "其中，省民政厅牵头的“新建社区食堂”（落后序时进度5个百分点，已连续3期滞后）。" in text
    assert "等" not in text and "此外" not in text
    assert "（二）个别单位未按时报送。省妇儿工委办未按时报送本期推进情况。" in text
    assert_reads_naturally(text)


def test_two_tasks_of_one_lead_joined_with_he(ro, office):
    tasks = [{"code": c, "name": n, "lead": "省住建厅", "status": s, "gap": g, "completion": None,
              "time_progress": 40.0, "runs": 1}
             for c, n, s, g in [("A", "老旧小区改造", "严重滞后", -25.0), ("B", "城市更新", "滞后", None)]]
    text = _problems(_context(ro, office, lagging_count=2,
                              lag_groups=[{"lead": "省住建厅", "count": 2, "named": tasks, "more": False}]))
    assert "省住建厅牵头的“老旧小区改造”（严重滞后，落后序时进度25个百分点）和“城市更新”（滞后）。" in text
    assert_reads_naturally(text)


def test_empty_requirements_drop_the_section(ro, office):
    doc = build_bulletin(ro, replace(office, requirements=[]))
    assert [b.text for b in doc.body if isinstance(b, Heading)] == HEADINGS[:3]


# --------------------------------------------------------------------------- wording rules


@pytest.mark.parametrize("value, unit, expected", [
    (70000, "个", "7万个"),
    (25000, "户", "2.5万户"),
    (2.5, "万户", "2.5万户"),
    (95.24, "%", "95.2%"),
    (95.25, "%", "95.3%"),  # 四舍五入, not round-half-even
    (100.0, "%", "100%"),
    (99, "项", "99项"),
    (10062, "个", "1万个"),
    (9999, "个", "9999个"),
    (0.54, "万人", "0.54万人"),
    (12000, "万元", "1.2亿元"),
    (150_000_000, "元", "1.5亿元"),
    (9.2, "1/10万", "9.2/10万"),
    (91.1, "", "91.1"),
    (72.0, "分", "72分"),
    (None, "个", "—"),
    (math.nan, "", "—"),
    ("全覆盖", "", "全覆盖"),
])
def test_fmt_number(value, unit, expected):
    assert fmt_number(value, unit) == expected


def test_fmt_number_in_tables_keeps_two_decimals_after_wan():
    assert fmt_number(17500, "个", wan_places=2) == "1.75万个"


@pytest.mark.parametrize("names, expected", [
    ([], ""), (["省教育厅"], "省教育厅"), (["省教育厅", "省人社厅"], "省教育厅和省人社厅"),
    (["省教育厅", "省人社厅", "省民政厅"], "省教育厅、省人社厅和省民政厅"),
])
def test_join_names(names, expected):
    assert join_names(names) == expected


def test_join_names_cut_short_says_deng_with_the_count():
    assert join_names(["甲", "乙", "丙", "丁"], limit=2, noun="单位") == "甲、乙等4个单位"
    assert join_names(["甲", "乙"], limit=2) == "甲和乙"


def test_count_phrase_and_numerals():
    assert count_phrase(3, "项", "任务") == "3项任务"
    assert count_phrase(["a", "b"], "个", "单位") == "2个单位"
    assert [cn_numeral(n) for n in (1, 4, 10, 12, 20, 35)] == ["一", "四", "十", "十二", "二十", "三十五"]


def test_join_scored_shares_equal_scores():
    ranked = [Ranked("咸宁市", 91.1, 1, 9), Ranked("荆州市", 81.3, 2, 9), Ranked("恩施州", 81.3, 2, 9)]
    assert join_scored(ranked) == "咸宁市（91.1分）、荆州市和恩施州（均为81.3分）"
    assert join_scored(ranked[:1]) == "咸宁市（91.1分）"
    assert join_scored(ranked, limit=2, noun="地区") == "咸宁市、荆州市等3个地区（81.3—91.1分）"


# --------------------------------------------------------------------------- templates a clerk edits


@pytest.fixture
def own_templates(tmp_path):
    folder = tmp_path / "templates"
    shutil.copytree(TEMPLATES_DIR, folder)
    return folder


def test_a_clerk_editing_a_template_changes_the_bulletin(ro, office, own_templates):
    path = own_templates / "bulletin" / "highlights.j2"
    path.write_text(path.read_text(encoding="utf-8").replace("继续发挥示范带动作用", "当好全省标杆"), encoding="utf-8")
    title = own_templates / "bulletin" / "title.j2"
    title.write_text(title.read_text(encoding="utf-8").replace("推进情况的通报", "推进情况的通报（第五期）"),
                     encoding="utf-8")
    doc = build_bulletin(ro, office, templates_dir=own_templates)
    text = section(doc, "进展较好")
    assert "再接再厉，当好全省标杆。" in text and "示范带动" not in text
    assert doc.title.endswith("（第五期）")


def test_a_clerk_renaming_a_section(ro, office, own_templates):
    path = own_templates / "bulletin" / "highlights.j2"
    path.write_text(path.read_text(encoding="utf-8").replace('heading = "进展较好的地区和单位"', 'heading = "工作亮点"'),
                    encoding="utf-8")
    doc = build_bulletin(ro, office, templates_dir=own_templates)
    assert [b.text for b in doc.body if isinstance(b, Heading)][1] == "二、工作亮点"


def test_a_missing_variable_names_the_template(ro, office, own_templates):
    path = own_templates / "bulletin" / "overview.j2"
    path.write_text(path.read_text(encoding="utf-8") + "\n{{ 上期完成率 | fmt_percent }}\n", encoding="utf-8")
    with pytest.raises(WordingError, match=r"模板“bulletin/overview\.j2”用到了变量“上期完成率”"):
        build_bulletin(ro, office, templates_dir=own_templates)


def test_a_missing_attribute_names_the_template(ro, office, own_templates):
    path = own_templates / "bulletin" / "intro.j2"
    path.write_text(path.read_text(encoding="utf-8").replace("office.short", "office.shrot"), encoding="utf-8")
    with pytest.raises(WordingError, match=r"模板“bulletin/intro\.j2”.*shrot"):
        build_bulletin(ro, office, templates_dir=own_templates)


def test_a_broken_tag_names_the_template_and_line(ro, office, own_templates):
    path = own_templates / "bulletin" / "problems.j2"
    path.write_text(path.read_text(encoding="utf-8").replace("{% endif %}", "{% endiff %}", 1), encoding="utf-8")
    with pytest.raises(WordingError, match=r"模板“bulletin/problems\.j2”第\d+行写法有误"):
        build_bulletin(ro, office, templates_dir=own_templates)


def test_check_template_lists_what_is_missing():
    with pytest.raises(WordingError, match="title.j2.*round_label"):
        check_template("bulletin/title.j2", {"scope": "全省"})
    check_template("bulletin/title.j2", {"scope": "全省", "round_label": "2025年5月"})
    with pytest.raises(WordingError, match="找不到模板"):
        check_template("bulletin/nothing.j2", {})


# --------------------------------------------------------------------------- office config


def test_sample_office(office, ro):
    assert office.short == "省民生办" and office.scope == "" and office.region_word == ""  # from the ledger
    fitted = office.fitted(ro.ledger)
    assert fitted.scope == "全省" and fitted.region_word == "市州"
    assert office.number(2025, 5, 5) == "鄂民生办〔2025〕5号"
    assert 3 <= len(office.requirements) <= 4
    assert office.cc.endswith("。") and not office.cc.startswith("抄送")


def test_office_from_workspace_config(tmp_path):
    path = tmp_path / "reporter.toml"  # a workspace config whose [office] has only name and short
    path.write_text('[workspace]\nround = "2025-05"\n\n[office]\nname = "湖北省民生工作领导小组办公室"\n'
                    'short = "省民生办"\n', encoding="utf-8")
    office = load_office(path)
    assert (office.name, office.short) == ("湖北省民生工作领导小组办公室", "省民生办")
    assert office.issuer == office.signature == office.printed_by == office.name
    assert office.doc_number == "" and office.requirements == []


def test_office_top_level_keys_and_errors(tmp_path):
    path = tmp_path / "office.toml"
    path.write_text('name = "武汉市民生工作领导小组办公室"\nscope = "全市"\nregion_word = "各区"\n'
                    'doc_number = "武民生办〔{year}〕{seq}号"\nrequirements = "抓好落实。"\n', encoding="utf-8")
    office = load_office(path)
    assert (office.scope, office.number(2025, 6, 6), office.requirements) == ("全市", "武民生办〔2025〕6号", ["抓好落实。"])
    path.write_text('short = "办"\n', encoding="utf-8")
    with pytest.raises(WordingError, match="name"):
        load_office(path)
    with pytest.raises(WordingError, match="找不到"):
        load_office(tmp_path / "none.toml")
    with pytest.raises(WordingError, match="发文字号"):
        Office("某办", doc_number="{year}〔{serial}〕号").number(2025, 5, 5)


def test_a_figure_held_out_as_a_likely_unit_error_is_named_with_its_cell(doc, ro):
    """The sample's 宜昌市 wrote 4100 (万个) against a target of 1: the bulletin names it and counts none of it."""
    assert [(h.value, h.target) for h in ro.held] == [(4100.0, "1万个")]
    held = ro.held[0]
    text = section(doc, "存在的主要问题")
    assert f"{held.file} › {held.sheet} › {held.cell}" in text and "核实前未计入本期汇总" in text
    assert all("4100" not in str(cell) and "4,100" not in str(cell) for row in doc.attachments[0].blocks[0].rows
               for cell in row)
