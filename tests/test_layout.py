"""Document geometry a clerk would check by eye: codes and numbers whole, no text outside its cell, headers
and titles broken between words, no empty page — in the PDF and in Word as LibreOffice lays it out.

The table is a city office's (咸宁-like codes, 40 regions with long names, long task names), built by hand."""
import re
import shutil
import subprocess

import pdfplumber
import pytest
from docx import Document as Docx

from reporter.render import layout
from reporter.render.docx_gongwen import TEXT_W, write_docx
from reporter.render.document import Attachment, Document, Paragraph, Table
from reporter.render.pdf_gongwen import write_pdf

REGIONS = ["咸安区", "嘉鱼县", "通城县", "崇阳县", "通山县", "赤壁市", "咸宁高新技术产业开发区", "温泉城市新区",
           "恩施土家族苗族自治州", "长阳土家族自治县", "神农架林区", "潜江市", "天门市", "仙桃市", "武汉东湖新技术开发区",
           "黄冈市黄州区", "团风县", "红安县", "罗田县", "英山县", "浠水县", "蕲春县", "黄梅县", "麻城市", "武穴市",
           "龙感湖管理区", "孝南区", "孝昌县", "大悟县", "云梦县", "应城市", "安陆市", "汉川市", "荆州区", "沙市区",
           "公安县", "监利市", "江陵县", "石首市", "洪湖市"]
TASKS = ["城镇老旧小区改造（含完整社区建设和既有住宅加装电梯）", "新建改扩建公办幼儿园和义务教育学校学位",
         "农村供水保障工程（规模化供水和小型工程标准化改造）", "社区嵌入式养老服务设施", "城市书房"]
HEADERS = ["序号", "任务编号", "任务名称", "地区", "年度目标", "累计完成", "完成率（%）", "序时进度（%）",
           "差距（百分点）", "状态"]
STATUSES = ["严重滞后", "滞后", "按序时", "已完成"]


def city_table() -> Table:
    rows = []
    for i, region in enumerate(REGIONS):
        target = 1200 + 37 * i
        done = round(target * (0.2 + (i % 7) / 10), 1)
        rate = round(done / target * 100, 1)
        rows.append([i + 1, f"XNMS2025-{i % len(TASKS) + 1:03d}", TASKS[i % len(TASKS)], region,
                     f"{target}户", done, rate, 41.7, round(rate - 41.7, 1), STATUSES[i % 4]])
    return Table(HEADERS, rows)


def ranking_table() -> Table:
    rows = [[i + 1, region, round(98.5 - i * 1.7, 1), 12 + i % 5, 9 + i % 4, i % 3] for i, region in enumerate(REGIONS)]
    return Table(["排名", "县（市、区）", "得分", "参评项次", "达到序时进度", "滞后"], rows)


def city_document() -> Document:
    return Document(
        issuer="咸宁市民生实事工作领导小组办公室", doc_number="咸民生办〔2025〕7号",
        title="关于2025年5月咸宁市民生实事任务推进情况暨滞后任务整改落实的督办通知",
        addressee="各县（市、区）人民政府，市直有关部门：",
        body=[Paragraph("现将2025年5月全市民生实事任务推进情况通报如下。")],
        attachments=[Attachment(1, "2025年5月咸宁市民生实事滞后任务明细表（按县市区和任务编号排列）", [city_table()]),
                     Attachment(2, "各县市区民生实事任务推进情况排名", [ranking_table()], landscape=False)],
        signature="咸宁市民生实事工作领导小组办公室", cc="市委办公室，市人大常委会办公室，市政府办公室。",
        printed_by="咸宁市民生实事工作领导小组办公室")


# ---------------------------------------------------------------------------------------------- words, titles


def test_terms_and_codes_stay_whole():
    for term in ("序号", "序时进度", "严重滞后", "任务编号"):
        assert layout.words(term) == (term,)
    assert "XNMS2025-001" in layout.words("任务XNMS2025-001滞后")
    assert layout.words("完成率（%）")[-1].endswith("（%）")


@pytest.mark.parametrize("title", [
    "关于加快推进民生实事滞后任务推进情况的督办通知", "关于2025年5月全省民生实事任务推进情况的通报",
    "关于2025年5月咸宁市民生实事任务推进情况暨滞后任务整改落实的督办通知",
    "2025年5月恩施土家族苗族自治州民生实事任务推进情况"])
def test_titles_break_between_words_in_a_balanced_shape(title):
    room = TEXT_W / 20 / 22
    lines = layout.title_lines(title, room)
    assert "".join(lines) == title
    words = layout.words(title)
    bounds = {sum(len(w) for w in words[:i]) for i in range(len(words) + 1)}
    assert all(sum(len(line) for line in lines[:i]) in bounds for i in range(len(lines)))
    widths = [layout.width(line) for line in lines]
    assert max(widths) <= room
    if len(lines) > 1:
        assert len(layout.words(lines[-1])) > 1 and len(layout.words(lines[0])) > 1  # no lone word
        assert max(widths) - min(widths) <= 6  # balanced, not a full line and a stub


def test_headers_break_only_between_words():
    landscape = 225 / 25.4 * 72
    columns = layout.fit_columns(HEADERS, city_table().rows, landscape, (14, 12, 10.5), 5.7)
    for header, broken in zip(HEADERS, columns.headers):
        assert broken.replace("\n", "") == header
        for line in broken.split("\n"):
            assert "".join(layout.words(line)) == line and line not in ("号", "度", "后")
    assert abs(sum(columns.widths) - landscape) < 0.01 and columns.fits


# ---------------------------------------------------------------------------------------------- geometry


def overflow(pdf) -> list[str]:
    """Characters of a table cell lying outside it, and codes broken over two lines, on every page."""
    problems = []
    with pdfplumber.open(pdf) as doc:
        for n, page in enumerate(doc.pages, start=1):
            assert page.chars, f"第{n}页是空白页"
            for table in page.find_tables():
                for x0, top, x1, bottom in table.cells:
                    inside = [c for c in page.chars if x0 <= (c["x0"] + c["x1"]) / 2 <= x1
                              and top <= (c["top"] + c["bottom"]) / 2 <= bottom]
                    problems += [f"第{n}页“{c['text']}”出格" for c in inside
                                 if c["x0"] < x0 - 0.5 or c["x1"] > x1 + 0.5]
                for row in table.extract():
                    for cell in row:
                        text = cell or ""
                        if re.fullmatch(r"[A-Z]+\d{4}-\d{3}|[\d.]+", text.replace("\n", "")) and "\n" in text:
                            problems.append(f"第{n}页“{text}”被折行")
                        if text.replace("\n", "") in ("序号", "序时进度（%）", "严重滞后") and \
                                not all(line in layout.words(text.replace("\n", "")) or
                                        "".join(layout.words(line)) == line for line in text.split("\n")):
                            problems.append(f"第{n}页表头“{text}”从词中间折行")
    return problems


def test_pdf_table_keeps_every_character_in_its_cell(tmp_path):
    pdf = write_pdf(city_document(), tmp_path / "通知.pdf")
    assert overflow(pdf) == []


@pytest.fixture(scope="module")
def city_docx(tmp_path_factory):
    return write_docx(city_document(), tmp_path_factory.mktemp("docx") / "通知.docx")


def test_word_columns_fill_the_text_width(city_docx):
    W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    landscape, portrait = Docx(city_docx).tables
    for table, room in ((landscape, 16838 - 1984 - 2098), (portrait, TEXT_W)):
        assert sum(int(c.get(f"{W}w")) for c in table._tbl.tblGrid) == room
    grid = [int(c.get(f"{W}w")) for c in landscape._tbl.tblGrid]
    size = int(landscape._tbl.findall(f".//{W}tr")[1].find(f".//{W}sz").get(f"{W}val")) / 2
    code_col = grid[HEADERS.index("任务编号")] - 2 * 57
    assert code_col / 20 >= layout.width("XNMS2025-001") * size  # the code fits on one line


def test_word_as_libreoffice_lays_it_out(city_docx, tmp_path):
    if not shutil.which("soffice"):
        pytest.skip("LibreOffice (soffice) not installed: apt-get install libreoffice-writer-nogui")
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(city_docx)],
                   capture_output=True, timeout=180, check=True)
    assert overflow(tmp_path / "通知.pdf") == []
