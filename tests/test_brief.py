"""The leadership brief (领导参阅) on the sample round: what a leader reads (two pages, headline figures, the five
biggest risks, charts in the class colours, the trend over every stored round) and what the clerk checks
(Word pictures, PDF fonts and glyphs, wording that reads with fewer risks, editable templates)."""
from __future__ import annotations

import datetime as dt
import logging
import re
import shutil
import subprocess
import zipfile
from dataclasses import replace

import pytest
from lxml import etree

from reporter.intake.annual import read_ledger
from reporter.ledger.history import History
from reporter.model.round_ledger import TOTAL
from reporter.model.schedule import parse_round
from reporter.render.brief import build_brief, risks, write_brief
from reporter.render.bulletin import SEVERITY, document_text, load_office
from reporter.render.document import Figure, Heading, Paragraph
from reporter.render.docx_gongwen import TEXT_W
from reporter.render.pdf_gongwen import render_html
from reporter.render.wording import TEMPLATES_DIR, fmt_percent
from reporter.rollup.rankings import rank
from reporter.rollup.status import Judgement, Status

from .conftest import on_schedule
from .test_bulletin import assert_reads_naturally
from .test_history import make_round
from .test_pdf_gongwen import CHINESE_FONT, PORTRAIT, bbox_pages, pdffonts, visible_chars

needs_poppler = pytest.mark.skipif(not shutil.which("pdftotext"), reason="需要 poppler-utils（pdfinfo、pdftotext）")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
STORED = ["2025-02", "2025-03", "2025-04", "2025-05"]  # the year's rounds in the history, up to the brief's


@pytest.fixture(scope="module")
def ro(sample_rollup):
    return sample_rollup


@pytest.fixture(scope="module")
def office():
    return load_office()


@pytest.fixture(scope="module")
def history(ro, tmp_path_factory):
    """The sample ledger's history: 2024-12 (last year), 2025-02 (collected, never rolled up), 2025-03 (all 按序时),
    2025-04 (50 of 98 judged tasks on track, one 无法判断), 2025-05 (this round) and 2025-06 (after it)."""
    store = History(tmp_path_factory.mktemp("history") / "history.sqlite").create()
    rl = ro.round_ledger
    codes = list(ro.ledger.tasks)
    this = {k: {"status_class": j.status.value} for k, j in ro.judgements.items()}
    april = {(c, TOTAL): {"status_class": "按序时" if i < 50 else "无法判断" if i == len(codes) - 1 else "滞后"}
             for i, c in enumerate(codes)}
    for key, classes in [("2024-12", this), ("2025-02", None), ("2025-03", {k: {"status_class": "按序时"} for k in this}),
                         ("2025-04", april), ("2025-05", this), ("2025-06", this)]:
        store.save_round(replace(rl, round=parse_round(key)), classes=classes)
    yield store
    store.close()


@pytest.fixture(scope="module")
def trend(history):
    return history.on_schedule_trend("2025-05")


@pytest.fixture(scope="module")
def doc(ro, office, trend):
    return build_brief(ro, office, trend)


@pytest.fixture(scope="module")
def written(ro, trend, tmp_path_factory):
    """write_brief's files, with WeasyPrint's warnings."""
    records: list[logging.LogRecord] = []
    handler = logging.Handler(logging.WARNING)
    handler.emit = records.append
    logger = logging.getLogger("weasyprint")
    logger.addHandler(handler)
    try:
        files = write_brief(ro, tmp_path_factory.mktemp("领导参阅"), trend=trend)
    finally:
        logger.removeHandler(handler)
    return files, [r.getMessage() for r in records]


def calm(ro, lagging: dict[str, Judgement] | None = None):
    """The sample round with every task on schedule except `lagging` (code → judgement)."""
    return on_schedule(ro, lagging)


def section(doc, heading: str) -> list[str]:
    out, inside = [], False
    for block in doc.body:
        if isinstance(block, Heading):
            inside = heading in block.text
        elif inside and isinstance(block, Paragraph):
            out.append(block.lead + block.text)
    return out


def figures(doc) -> list[Figure]:
    return [b for b in doc.body if isinstance(b, Figure)]


def svg_texts(svg: str) -> list[str]:
    return re.findall(r"<text[^>]*>([^<]*)</text>", svg)


def pdf_pages(pdf) -> int:
    out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", out, re.M).group(1))


# --------------------------------------------------------------------------- history: the trend


@pytest.fixture
def small_ledger(book):
    path = book("台帐.xlsx", {
        "任务": [["任务编号", "任务名称", "计量单位", "年度目标", "牵头单位", "完成时限"],
                 ["T1", "新增公办学前教育学位", "个", "70000", "省教育厅", "年底前"],
                 ["T2", "城镇新增就业", "万人", "70", "省人社厅", "年底前"],
                 ["T3", "建设急救站点", "个", "140", "省卫健委", "6月底前"]],
        "分地区目标": [["任务编号", "地区", "年度目标"], ["T3", "咸安区", 80], ["T3", "嘉鱼县", 60]],
    })
    return read_ledger(path, year=2025)[0]


def test_trend_counts_tasks_not_region_rows(tmp_path, small_ledger):
    """T3's two district rows lag in April, but the task as a whole is on schedule: 3 of 3 tasks on track."""
    with History(tmp_path / "h.sqlite").create() as store:
        for key, whole, district in [("2025-03", ["按序时", "滞后", "无法判断"], "按序时"),
                                     ("2025-04", ["超序时", "提前完成", "按序时"], "严重滞后")]:
            store.save_round(make_round(small_ledger, key, {("T1", ""): 1}))
            classes = {(t, ""): {"status_class": c} for t, c in zip(["T1", "T2", "T3"], whole)}
            classes.update({("T3", r): {"status_class": district} for r in ("421202", "421221")})
            store.save_classes(key, classes)
        assert store.on_schedule_trend("2025-04") == [("2025-03", 50.0), ("2025-04", 100.0)]
        assert store.on_schedule_trend("2025-03") == [("2025-03", 50.0)]  # 无法判断 is out of the base


def test_trend_covers_every_stored_round_of_the_year_in_order(trend):
    assert [k for k, _ in trend] == STORED  # not 2024-12 (last year), not 2025-06 (after the brief's round)
    assert trend == [("2025-02", None), ("2025-03", 100.0), ("2025-04", 51.0), ("2025-05", 73.7)]


def test_trend_chart_shows_every_round_and_ends_on_the_headline(doc, ro):
    chart = figures(doc)[0]
    texts = svg_texts(chart.svg)
    assert [t for t in texts if t.endswith("月")] == ["2月", "3月", "4月", "5月"]
    assert {"100.0%", "51.0%", f"{ro.overview()['序时达标率']:.1f}%"} <= set(texts)
    assert chart.caption == "图1　2025年全省民生实事任务序时达标率"


def test_without_history_the_trend_is_this_round(ro, office):
    doc = build_brief(ro, office, None)
    assert [t for t in svg_texts(figures(doc)[0].svg) if t.endswith("月")] == ["5月"]
    assert "较上月" not in " ".join(section(doc, "总体情况"))


# --------------------------------------------------------------------------- masthead and headline


def test_masthead_is_a_periodical_not_a_red_header_document(doc, office):
    head = doc.periodical
    assert (head.name, head.issue, head.editor, head.date) == ("领导参阅", "第5期", office.name, dt.date(2025, 6, 5))
    assert doc.title == "2025年5月全省民生实事任务推进情况"
    assert not (doc.doc_number or doc.addressee or doc.signature or doc.cc or doc.printed_by or doc.attachments)


def test_sections_and_figures_in_reading_order(doc):
    kinds = [b.text if isinstance(b, Heading) else type(b).__name__ for b in doc.body]
    assert [k for k in kinds if k.endswith("情况") or k.endswith("风险")] == [
        "一、总体情况", "二、需要关注的主要风险", "三、分领域和分市州情况"]
    assert kinds.index("Figure") < kinds.index("二、需要关注的主要风险") and kinds[-1] == "Figure"
    assert [f.caption[:3] for f in figures(doc)] == ["图1　", "图2　"]


def test_headline_figures_are_the_rollups(doc, ro):
    ov, text = ro.overview(), "".join(section(doc, "总体情况"))
    counts = ov["分类"]
    on_schedule = counts["超序时"] + counts["按序时"]
    assert text.startswith(f"截至2025年5月31日，全省{ov['任务数']}项民生实事任务中，已完成{ov['已完成数']}项，"
                           f"达到序时进度{on_schedule}项，进度滞后{ov['滞后任务数']}项（其中严重滞后2项和未报送1项）。")
    assert f"序时达标率{fmt_percent(ov['序时达标率'])}，较上月提高22.7个百分点。" in text  # 73.7 − 51.0
    assert "省残联未按时报送本期进展。" in text


def test_one_class_making_up_all_lagging_says_jun_wei(ro, office):
    j = ro.tasks["MS2025-046"]
    doc = build_brief(calm(ro, {"MS2025-046": j, "MS2025-034": ro.tasks["MS2025-034"]}), office)
    text = "".join(section(doc, "总体情况"))
    assert "进度滞后2项（均为严重滞后）" in text and "其中" not in text


# --------------------------------------------------------------------------- risks


def expected_risks(ro) -> list[str]:
    """The rule, written out again: worst class, then largest gap, then longest lagging run, then ledger order."""
    order = list(ro.ledger.tasks)
    lagging = [c for c, j in ro.tasks.items() if j.status.lagging]

    def key(c):
        j = ro.tasks[c]
        return (SEVERITY[j.status], j.gap is None, j.gap or 0.0, -ro.consecutive.get((c, TOTAL), 1), order.index(c))
    return sorted(lagging, key=key)[:5]


def test_the_five_biggest_risks_one_line_each(doc, ro):
    lines = section(doc, "需要关注的主要风险")
    codes = expected_risks(ro)
    assert len(lines) == 5 and [r["code"] for r in risks(ro)] == codes
    severe = [c for c, j in ro.tasks.items() if j.status is Status.SEVERE]
    assert set(codes[:2]) == set(severe)  # the two 严重滞后 tasks before any 滞后 one
    gaps = [ro.tasks[c].gap for c in codes[2:]]
    assert gaps == sorted(gaps)  # then the most behind
    for i, (line, code) in enumerate(zip(lines, codes), 1):
        task, j = ro.ledger.tasks[code], ro.tasks[code]
        assert line.startswith(f"{i}.{task.name}（{ro.label(task.lead)}牵头）：") and line.endswith("。")
        assert f"落后序时进度{-j.gap:.1f}个百分点" in line
        assert "\n" not in line
    assert lines[0].split("：", 1)[1].startswith("严重滞后，完成")


def test_risk_order_breaks_ties_by_lagging_run(ro):
    """Two tasks of the same class with the same gap: the one lagging longer comes first."""
    a, b = "MS2025-002", "MS2025-013"
    same = Judgement(Status.BEHIND, 40.0, 30.0, -10.0)
    tilted = replace(calm(ro, {a: same, b: same}), consecutive={(b, TOTAL): 3, (a, TOTAL): 1})
    assert [r["code"] for r in risks(tilted)] == [b, a]


def test_fewer_lagging_tasks_shrink_the_list_and_it_still_reads(ro, office):
    lagging = {"MS2025-046": ro.tasks["MS2025-046"], "MS2025-035": ro.tasks["MS2025-035"]}
    doc = build_brief(calm(ro, lagging), office)
    lines = section(doc, "需要关注的主要风险")
    assert len(lines) == 2 and lines[0].startswith("1.筹集保障性租赁住房") and lines[1].startswith("2.")
    assert "报送进展为滞后，序时进度" in lines[1]  # judged by the reported status: no completion to quote
    text = "\n".join([doc.title, *(p for h in ("总体情况", "风险", "分领域") for p in section(doc, h))])
    assert_reads_naturally(text)
    assert "进度滞后2项（其中严重滞后1项）" in text
    assert "从领域看" in text


def test_nothing_lagging_reads_naturally(ro, office):
    doc = build_brief(calm(ro), office)
    assert section(doc, "需要关注的主要风险") == ["本期各项任务均达到序时进度，暂未发现需要特别关注的风险。"]
    overview = "".join(section(doc, "总体情况"))
    assert "滞后" not in overview and "已完成" not in overview
    assert overview == "截至2025年5月31日，全省99项民生实事任务均达到序时进度。序时达标率100%。"
    assert "".join(section(doc, "分领域")) == "从市州看，各地综合得分均为90分。"
    text = "\n".join(p for h in ("总体情况", "风险", "分领域") for p in section(doc, h))
    assert_reads_naturally(text)


def test_no_broken_wording(doc):
    text = "\n".join(p for h in ("总体情况", "风险", "分领域") for p in section(doc, h))
    assert_reads_naturally(text)
    assert "None" not in document_text(doc) and "nan" not in document_text(doc)


# --------------------------------------------------------------------------- the domain and region chart


def test_domain_and_region_chart_uses_the_class_colours(doc, ro):
    svg = figures(doc)[1].svg
    fills = {f.lower() for f in re.findall(r'fill="(#[0-9A-Fa-f]{6})"', svg)}
    used = {j.status for j in ro.tasks.values()} | {j.status for j in ro.judgements.values()}
    assert {s.hex.lower() for s in used} <= fills
    assert fills - {s.hex.lower() for s in Status} <= {"#ffffff", "#7f7f7f", "#262626", "#d9d9d9", "#000000"}


def test_domains_listed_and_regions_in_ranking_order(doc, ro):
    texts = svg_texts(figures(doc)[1].svg)
    domains = [d["领域"] for d in ro.by_domain()]
    assert [t for t in texts if t in domains] == domains
    ranked = rank(ro.region_groups(1))
    labels = [ro.ledger.regions.get(r.name).label for r in ranked]
    assert [t for t in texts if t in labels] == labels
    assert [t for t in texts if re.fullmatch(r"\d+\.\d", t)] == [f"{r.score:.1f}" for r in ranked]
    assert ranked[0].name == "421200" and texts.count("咸宁") == 1  # 咸宁市 first at 91.1


def test_the_chart_paragraph_names_domains_and_regions(doc):
    text = "".join(section(doc, "分领域"))
    assert text.startswith("从领域看，养老服务（4项）、交通出行（4项）和文化体育（4项）领域滞后任务较多。")
    assert "从市州看，咸宁市（91.1分）综合得分居前" in text and "神农架林区（64分）相对靠后。" in text


# --------------------------------------------------------------------------- files: PDF


def test_write_brief_names_both_files(written):
    files, _ = written
    assert [f.name for f in files] == ["2025年5月民生实事领导参阅.docx", "2025年5月民生实事领导参阅.pdf"]
    assert all(f.stat().st_size > 0 for f in files)
    assert not list(files[0].parent.glob(".~*"))  # no temporary file left behind


def test_unknown_format_is_refused_before_writing(ro, tmp_path):
    with pytest.raises(ValueError, match="不支持的格式"):
        write_brief(ro, tmp_path / "out", formats=("docx", "xlsx"))
    assert not (tmp_path / "out").exists()


@needs_poppler
def test_pdf_is_at_most_two_pages_and_opens_with_the_masthead(written):
    pdf = written[0][1]
    assert pdf_pages(pdf) <= 2
    lines = bbox_pages(pdf)[0].lines
    assert [ln.text for ln in lines[:5]] == ["领导参阅", "第5期", "湖北省民生工作领导小组办公室", "2025年6月5日",
                                             "2025年5月全省民生实事任务推进情况"]
    editor, date = lines[2], lines[3]
    assert editor.y0 == pytest.approx(date.y0)  # one line: editor flush left, date flush right in the 版心
    assert editor.x0 == pytest.approx(PORTRAIT[0], abs=1) and date.x1 == pytest.approx(PORTRAIT[2], abs=1.5)
    assert lines[0].x0 - PORTRAIT[0] == pytest.approx(PORTRAIT[2] - lines[0].x1, abs=1)  # name centred
    everything = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "鄂民生办" not in everything and "印发" not in everything  # not a 文件: no 字号, no 版记


@needs_poppler
def test_pdf_charts_are_inline_svg_with_their_text_as_text(written, doc):
    html = render_html(doc)
    assert html.count("<svg") == 2 and "<img" not in html
    text = subprocess.run(["pdftotext", str(written[0][1]), "-"], capture_output=True, text=True, check=True).stdout
    for label in ("分领域任务分类（项）", "咸宁", "恩施州", "养老服务", "超序时、按序时", "序时达标率"):
        assert label in text, label
    missing = visible_chars(html) - set(text)
    assert not missing, "".join(sorted(missing))


@needs_poppler
def test_pdf_fonts_are_chinese_and_embedded_with_no_warnings(written):
    files, warnings = written
    fonts = pdffonts(files[1])
    assert fonts and all(embedded for _, embedded in fonts)
    assert all(CHINESE_FONT.match(name) for name, _ in fonts), fonts
    assert warnings == []


def test_pdf_draws_no_missing_glyph(doc, tmp_path):
    """The chart text goes through the same fonts as the body: no glyph 0 (.notdef) anywhere in the PDF."""
    from weasyprint import HTML

    from reporter.render.pdf_gongwen import font_configuration

    path = tmp_path / "raw.pdf"
    HTML(string=render_html(doc)).write_pdf(path, font_config=font_configuration(), uncompressed_pdf=True)
    pdf = path.read_bytes()
    glyphs = [h[i:i + 4] for tj in re.findall(rb"\[([^\[\]]*)\] TJ", pdf)  # a TJ array holds no brackets
              for h in re.findall(rb"<([0-9a-f]*)>", tj) for i in range(0, len(h), 4)]
    assert glyphs and b"0000" not in glyphs


@needs_poppler
def test_long_risk_lines_still_fit_two_pages(ro, office, tmp_path):
    """A clerk's wordier risk lines (three lines each) shrink the last chart, not the page limit."""
    folder = tmp_path / "templates"
    shutil.copytree(TEMPLATES_DIR, folder)
    path = folder / "brief" / "risks.j2"
    wordy = "，请牵头单位逐项分析原因、制定整改措施并于下月报送整改进展"
    path.write_text(path.read_text(encoding="utf-8").replace("{% endif %}。\n", "{% endif %}" + wordy + "。\n", 1),
                    encoding="utf-8")
    doc = build_brief(ro, office, None, templates_dir=folder)
    assert all(wordy in line for line in section(doc, "风险"))
    assert figures(doc)[1].height < figures(build_brief(ro, office, None))[1].height
    from reporter.render.pdf_gongwen import write_pdf

    assert pdf_pages(write_pdf(doc, tmp_path / "wordy.pdf")) <= 2


# --------------------------------------------------------------------------- files: Word


def test_docx_carries_the_charts_as_pictures(written, doc):
    with zipfile.ZipFile(written[0][0]) as z:
        media = sorted(n for n in z.namelist() if re.fullmatch(r"word/media/[^/]+\.png", n))
        body = etree.fromstring(z.read("word/document.xml"))
    assert len(media) == 2
    extents = body.findall(".//{*}inline/{*}extent")
    assert len(extents) == 2
    for extent, figure in zip(extents, figures(doc)):
        assert int(extent.get("cx")) == pytest.approx(figure.width * 36000, rel=0.01)  # EMU: 36,000 a mm
    texts = ["".join(t.text or "" for t in p.iter(f"{W}t")) for p in body.iter(f"{W}p")]
    assert [t for t in texts if t.startswith("图")] == [f.caption for f in figures(doc)]


def test_docx_masthead(written):
    with zipfile.ZipFile(written[0][0]) as z:
        body = etree.fromstring(z.read("word/document.xml"))
    paras = list(body.iter(f"{W}p"))
    name, issue, line = paras[:3]
    run = name.find(f".//{W}r")
    assert "".join(name.itertext()) == "领导参阅"
    assert run.find(f"{W}rPr/{W}color").get(f"{W}val") == "FF0000"
    assert run.find(f"{W}rPr/{W}rFonts").get(f"{W}eastAsia") == "方正小标宋简体"
    assert "".join(issue.itertext()) == "第5期"
    assert "".join(line.itertext()) == "湖北省民生工作领导小组办公室2025年6月5日"
    assert line.find(f"{W}r/{W}tab") is not None  # the date pushed to a right tab on the 版心's edge
    stop = line.find(f"{W}pPr/{W}tabs/{W}tab")
    assert (stop.get(f"{W}val"), stop.get(f"{W}pos")) == ("right", str(TEXT_W))
    rule = line.find(f"{W}pPr/{W}pBdr/{W}bottom")
    assert rule.get(f"{W}color") == "FF0000"


@pytest.mark.skipif(not (shutil.which("soffice") and shutil.which("pdfinfo")), reason="需要 LibreOffice 和 poppler-utils")
def test_docx_is_at_most_two_pages_in_libreoffice(written, tmp_path):
    docx = written[0][0]
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(docx)], capture_output=True, timeout=120)
    assert pdf_pages(tmp_path / docx.with_suffix(".pdf").name) <= 2


# --------------------------------------------------------------------------- clerk-editable wording


def test_a_clerk_renames_the_periodical_and_numbers_it(ro, office, tmp_path):
    folder = tmp_path / "templates"
    shutil.copytree(TEMPLATES_DIR, folder)
    path = folder / "brief" / "masthead.j2"
    path.write_text(path.read_text(encoding="utf-8").replace('"领导参阅"', '"民生工作参阅"'), encoding="utf-8")
    doc = build_brief(ro, office, None, dt.date(2025, 6, 10), templates_dir=folder, seq=12)
    assert (doc.periodical.name, doc.periodical.issue, doc.periodical.date) == ("民生工作参阅", "第12期",
                                                                              dt.date(2025, 6, 10))


def test_document_text_reads_figure_captions(doc):
    text = document_text(doc)
    assert "图1　2025年全省民生实事任务序时达标率" in text and "<svg" not in text
