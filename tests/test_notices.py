"""督办通知 on the sample round: who gets one, what each lists, numbering, deadlines, the 回执, index, zip, manifest."""
from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import zipfile
from collections import Counter
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import replace

import docx
import pytest
from openpyxl import load_workbook

from reporter.intake.discover import discover
from reporter.intake.submission import parse_submission
from reporter.model.round_ledger import TOTAL
from reporter.model.schedule import parse_round
from reporter.render import notices as notices_module
from reporter.render.bulletin import document_text
from reporter.render.document import Table
from reporter.render.formats import write_document
from reporter.render.notices import (DETAIL_HEADERS, INDEX_HEADERS, MANIFEST_NAME, build_notices, load_notice_settings,
                                     next_sequence, write_notices)
from reporter.render.reply_form import GUIDE_SHEET, REPLY_COLUMNS, REPLY_ID, SHEET
from reporter.render.wording import TEMPLATES_DIR, WordingError
from reporter.rollup.status import Judgement, Status
from reporter.workspace import Workspace

from .conftest import on_schedule
from .test_bulletin import assert_reads_naturally

ISSUED = dt.date(2025, 6, 5)
MISSING_UNIT = "湖北省残疾人联合会"


@pytest.fixture(scope="module")
def ro(sample_rollup):
    return sample_rollup


@pytest.fixture(scope="module")
def settings():
    return load_notice_settings()


@pytest.fixture(scope="module")
def notices(ro, settings):
    return build_notices(ro, settings, ISSUED)


@pytest.fixture(scope="module")
def written(ro, tmp_path_factory):
    """Word files, 回执, index, zip and manifest for the sample round (PDFs are tested on one notice)."""
    return write_notices(ro, tmp_path_factory.mktemp("written") / "督办通知", issue_date=ISSUED, formats=("docx",))


@pytest.fixture
def calm(ro):
    """The sample round with every task and row exactly on schedule and every unit reporting."""
    return on_schedule(ro)


def owned_lagging(ro) -> dict[str, set[tuple[str, str]]]:
    """The rollup's own notion: unit → keys of its rows whose class counts as lagging."""
    out: dict[str, set] = {}
    for key, j in ro.judgements.items():
        if j.status.lagging:
            out.setdefault(ro.round_ledger.rows[key].owner, set()).add(key)
    return out


# --------------------------------------------------------------------------- who gets a notice, with what


def test_notices_go_to_exactly_the_lagging_and_missing_units(ro, notices):
    expected = set(owned_lagging(ro)) | set(ro.round_ledger.missing)
    assert len(notices) > 10 and {n.unit for n in notices} == expected
    lagging = {r["责任单位"] for r in ro.lagging()} | {ro.label(u) for u in ro.round_ledger.missing}
    assert {n.label for n in notices} == lagging
    assert MISSING_UNIT in expected and len({n.unit for n in notices}) == len(notices)


def test_each_notice_lists_exactly_its_units_lagging_rows(ro, notices):
    by_unit = owned_lagging(ro)
    for n in notices:
        assert {(r.code, r.region) for r in n.rows} == by_unit.get(n.unit, set()), n.unit
    from_rollup = Counter((r["责任单位"], r["任务编号"], r["地区"], r["状态"]) for r in ro.lagging())
    listed = Counter((n.label, r.code, r.place, r.status.value) for n in notices for r in n.rows)
    assert listed == from_rollup


def test_the_attachment_table_shows_each_row_and_its_figures(ro, notices):
    n = max(notices, key=lambda n: len(n.rows))
    table = n.document.attachments[0].blocks[0]
    places = {r.place for r in n.rows}
    assert isinstance(table, Table) and ("地区" in table.headers) == (len(places) > 1)
    assert table.headers == [h for h in DETAIL_HEADERS if h in table.headers]
    col = {h: i for i, h in enumerate(table.headers)}
    assert [r[col["任务编号"]] for r in table.rows] == [r.code for r in n.rows]
    for cells, row in zip(table.rows, n.rows):
        j = ro.judgements[(row.code, row.region)]
        assert cells[col["状态"]] == j.status.value and cells[col["连续滞后期数"]] == row.runs
        if j.gap is not None:
            assert float(cells[col["差距（百分点）"]]) == pytest.approx(j.gap, abs=0.051)
    assert set(table.colours) == {(i, col["状态"]) for i in range(len(n.rows))}


def test_a_unit_with_nothing_lagging_gets_nothing(ro, notices):
    quiet = [u for u in ro.ledger.submitters() if u not in owned_lagging(ro) and u not in ro.round_ledger.missing]
    assert quiet, "the sample round should have units with nothing lagging"
    assert not {n.unit for n in notices} & set(quiet)


def test_a_calm_round_yields_no_notices(calm, settings, tmp_path):
    assert build_notices(calm, settings) == []
    result = write_notices(calm, tmp_path, formats=("docx",))
    assert result.notices == [] and json.loads(result.manifest.read_text(encoding="utf-8")) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([result.index.name, result.zip.name, MANIFEST_NAME])


def test_a_rerun_removes_the_files_of_units_no_longer_lagging(calm, tmp_path):
    old = ["省民政厅_督办通知.docx", "省民政厅_整改情况回执.xlsx"]
    for name in [*old, "办公室自己的文件.docx"]:
        (tmp_path / name).write_bytes(b"x")
    (tmp_path / MANIFEST_NAME).write_text(json.dumps([{"unit": "湖北省民政厅", "files": old}]), encoding="utf-8")
    write_notices(calm, tmp_path, formats=("docx",))
    assert not any((tmp_path / name).exists() for name in old)
    assert (tmp_path / "办公室自己的文件.docx").exists()  # never listed by us: kept


def test_the_unit_that_sent_nothing_is_told_so(notices):
    n = next(n for n in notices if n.unit == MISSING_UNIT)
    assert n.missing and n.kind == "未报送" and n.rows and all(r.status is Status.NOT_REPORTED for r in n.rows)
    text = document_text(n.document)
    assert "未按时报送2025年5月民生实事任务推进情况" in text and "补报" in text
    assert n.document.title == "关于及时报送民生实事任务推进情况的督办通知"
    others = [m for m in notices if not m.missing]
    assert all(m.kind.startswith("进度滞后") for m in others)


# --------------------------------------------------------------------------- numbers, levels, dates


def test_numbering_is_sequential_and_unique(notices, settings, ro):
    assert [n.number for n in notices] == [f"民生督〔2025〕{i}号" for i in range(1, len(notices) + 1)]
    again = build_notices(ro, replace(settings, first=12), ISSUED)
    assert again[0].number == "民生督〔2025〕12号" and again[-1].seq == 11 + len(notices)
    assert [n.document.doc_number for n in again] == [n.number for n in again]
    order = {u: i for i, u in enumerate(ro.ledger.submitters())}
    assert [order[n.unit] for n in notices] == sorted(order[n.unit] for n in notices)


def test_rectification_deadline_is_issue_date_plus_days(notices, ro, settings):
    n = notices[0]
    assert (n.issue_date, n.deadline) == (ISSUED, dt.date(2025, 6, 15)) and n.document.date == ISSUED
    assert "整改期限为2025年6月15日" in document_text(n.document)
    short = build_notices(ro, replace(settings, days=3), dt.date(2025, 6, 30))[0]
    assert short.deadline == dt.date(2025, 7, 3) and "请于2025年7月3日前" in document_text(short.document)
    assert build_notices(ro, settings)[0].issue_date == ro.round_ledger.round.deadline  # default: 报送截止日


def test_level_is_the_highest_escalation_of_the_units_rows(ro, settings):
    lagging = owned_lagging(ro)
    unit = max(lagging, key=lambda u: len(lagging[u]))
    keys = sorted(lagging[unit])
    runs = {**ro.consecutive, keys[0]: 3, keys[1]: 2}
    n = next(n for n in build_notices(replace(ro, consecutive=runs), settings, ISSUED) if n.unit == unit)
    assert n.level == "通报约谈" and {r.level for r in n.rows} >= {"通报约谈", "督办", "提醒"}
    text = document_text(n.document)
    assert "约谈你单位分管负责同志" in text and "已连续3期滞后" in text
    plain = next(n for n in build_notices(ro, settings, ISSUED) if n.unit == unit)
    assert plain.level == "提醒" and "约谈" not in document_text(plain.document)


def test_words_read_naturally(notices):
    for n in notices:
        assert_reads_naturally("\n".join([n.document.title, *(getattr(b, "text", "") for b in n.document.body)]))
        assert "None" not in document_text(n.document)


# --------------------------------------------------------------------------- files


def test_docx_is_addressed_to_the_unit(written):
    n = written.notices[0]
    path = written.folder / n.docx_name
    text = "\n".join(p.text for p in docx.Document(str(path)).paragraphs)
    assert f"{n.unit}：" in text and n.number in text and "2025年6月15日" in text
    assert written.by_unit[n.unit] == [path, written.folder / n.reply_name]


def test_reply_form_opens_and_lists_the_tasks(written):
    n = next(n for n in written.notices if len(n.rows) > 1)
    book = load_workbook(written.folder / n.reply_name)
    assert book.sheetnames[:2] == [SHEET, GUIDE_SHEET]
    sheet = book[SHEET]
    assert sheet.protection.sheet and n.number in sheet.cell(1, 1).value and n.label in sheet.cell(2, 1).value
    headers = [c.value for c in sheet[3]]
    assert headers[-len(REPLY_COLUMNS):] == [h for h, _, _ in REPLY_COLUMNS]
    codes = [sheet.cell(4 + i, 2).value for i in range(len(n.rows))]
    assert codes == [r.code for r in n.rows]
    assert sheet.cell(4, len(headers)).protection.locked is False and sheet.cell(4, 2).protection.locked
    meta = book["_reporter"]
    assert meta.sheet_state == "veryHidden"
    values = {row[0]: row[1] for row in meta.iter_rows(values_only=True)}
    assert values["模板"] == REPLY_ID and values["填报单位"] == n.unit and values["督办编号"] == n.number


def test_a_returned_reply_form_is_not_taken_for_a_progress_report(written):
    n = written.notices[0]
    sub = parse_submission(next(discover(written.folder / n.reply_name)))
    assert sub.error and not sub.rows and sub.meta == {}


def test_zip_holds_every_notice_under_utf8_names(written):
    with zipfile.ZipFile(written.zip) as zf:
        infos = zf.infolist()
        assert sorted(i.filename for i in infos) == sorted([written.index.name, *(p.name for p in written.files)])
        assert all(i.flag_bits & 0x800 for i in infos)  # Chinese names marked UTF-8
        assert zf.testzip() is None


def test_manifest_shape_for_the_mail_step(written, ro):
    items = json.loads(written.manifest.read_text(encoding="utf-8"))
    assert [i["number"] for i in items] == [n.number for n in written.notices]
    for item in items:
        assert set(item) == {"unit", "label", "number", "level", "title", "files"}
        assert item["title"] == next(n.document.title for n in written.notices if n.unit == item["unit"])
        assert item["unit"] in ro.ledger.units.units and item["label"] == ro.label(item["unit"])
        assert item["files"] and all((written.folder / f).is_file() for f in item["files"])
        assert item["level"] in ("提醒", "督办", "通报约谈")


def test_index_sheet_says_what_was_issued_to_whom(written):
    book = load_workbook(written.index)
    rows = list(book["督办通知清单"].iter_rows(values_only=True))
    assert list(rows[0]) == INDEX_HEADERS and len(rows) == len(written.notices) + 1
    by_unit = {r[1]: r for r in rows[1:]}
    missing = by_unit[MISSING_UNIT]
    assert missing[2] == "未报送" and missing[4] == "是" and missing[6] == "2025年6月15日"
    assert sum(r[3] for r in rows[1:]) == sum(len(n.rows) for n in written.notices)
    detail = list(book["督办任务明细"].iter_rows(values_only=True))
    assert len(detail) == 1 + sum(len(n.rows) for n in written.notices)


def test_pdf_of_a_notice(notices, tmp_path):
    n = notices[0]
    [path] = write_document(n.document, tmp_path / n.stem, ("pdf",))
    assert path.name == n.pdf_name
    assert path.read_bytes()[:5] == b"%PDF-"
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
        assert n.unit in text.replace(" ", "") and n.number in text.replace(" ", "")


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="需要 poppler-utils")
def test_every_notice_has_a_banji_at_the_foot_of_an_even_last_page(notices, settings, tmp_path):
    """印发机关 and 印发日期 (抄送 when the office has one) on the last page, an even one, at the 版心's foot;
    it joins page 2 when page 2 has room: no page is empty, none is added for it there."""
    from .test_pdf_gongwen import PITCH, PORTRAIT, bbox_pages

    for n in notices[:3]:
        doc = n.document
        assert doc.printed_by and doc.print_date == doc.date
        [path] = write_document(doc, tmp_path / n.stem, ("pdf",))
        pages = bbox_pages(path)
        assert len(pages) % 2 == 0 and all(p.text_lines for p in pages), n.unit
        foot = [ln.text for ln in pages[-1].text_lines if abs(ln.y1 - PORTRAIT[3]) < PITCH]
        assert sorted(foot) == sorted([doc.printed_by, "2025年6月5日印发"]), n.unit
        bare = write_document(replace(doc, cc="", printed_by="", print_date=None), tmp_path / f"{n.stem}-bare",
                              ("pdf",))[0]
        if len(bbox_pages(bare)) == 2 and bbox_pages(bare)[1].text_lines[-1].y1 < PORTRAIT[3] - 5 * PITCH:
            assert len(pages) == 2  # room on page 2: the 版记 costs no page


@pytest.fixture(scope="module")
def few(ro):
    """Four notices — the unit that sent nothing and three lagging ones, no figure held —: enough for two workers."""
    keep = {MISSING_UNIT, *sorted(u for u in owned_lagging(ro) if u != MISSING_UNIT)[:3]}
    rows = ro.round_ledger.rows

    def on(key, j):
        return j if rows[key].owner in keep else Judgement(Status.ON_SCHEDULE, j.time_progress)
    return replace(ro, judgements={k: on(k, j) for k, j in ro.judgements.items()}, held=[])  # no figure to confirm


def test_workers_only_when_they_pay_and_pdfs_in_a_few_batches():
    pool = notices_module._pool(40, True, 2)
    assert isinstance(pool, ProcessPoolExecutor) and not isinstance(notices_module._pool(40, False, 2), Executor)
    pool.shutdown()
    assert not isinstance(notices_module._pool(4, True, 2), Executor)
    slices = notices_module._slices
    assert [len(r) for r in slices(48, True, 2)] == [24, 24]  # one batch per worker
    assert [len(r) for r in slices(100, True, 2)] == [25] * 4  # none over BATCH_MAX, an even share each
    assert [len(r) for r in slices(7, True, 1)] == [7] and len(slices(48, False, 2)) == 8
    assert [i for r in slices(101, True, 2) for i in r] == list(range(101))


def test_pdfs_from_worker_processes(few, tmp_path, monkeypatch):
    monkeypatch.setattr(notices_module, "PARALLEL_SECONDS", 0.0)  # workers even for four PDFs
    result = write_notices(few, tmp_path, issue_date=ISSUED, formats=("pdf",), workers=2)
    assert len(result.notices) == 4
    for n in result.notices:
        assert result.by_unit[n.unit] == [tmp_path / n.pdf_name, tmp_path / n.reply_name]
        assert (tmp_path / n.pdf_name).read_bytes()[:5] == b"%PDF-"
    assert not list(tmp_path.glob("*.docx")) and not list(tmp_path.glob(".~*"))


def test_worker_processes_write_the_same_documents(few, tmp_path, monkeypatch):
    monkeypatch.setattr(notices_module, "PARALLEL_SECONDS", 0.0)  # workers even for four docx
    parallel = write_notices(few, tmp_path / "a", issue_date=ISSUED, formats=("docx",), workers=2)
    monkeypatch.setattr(notices_module, "PARALLEL_SECONDS", 1e9)
    serial = write_notices(few, tmp_path / "b", issue_date=ISSUED, formats=("docx",), workers=2)
    assert [n.number for n in parallel.notices] == [n.number for n in serial.notices] and len(serial.notices) == 4
    for n in serial.notices:
        with zipfile.ZipFile(tmp_path / "a" / n.docx_name) as a, zipfile.ZipFile(tmp_path / "b" / n.docx_name) as b:
            assert a.read("word/document.xml") == b.read("word/document.xml")


# --------------------------------------------------------------------------- configuration and templates


def test_settings_from_the_sample_office(settings):
    assert settings.number_for(2025, 12, 5) == "民生督〔2025〕12号"
    assert (settings.first, settings.days) == (1, 10) and settings.contact and settings.email
    assert settings.office.short == "省民生办"


def test_settings_defaults_and_errors(tmp_path):
    path = tmp_path / "reporter.toml"
    path.write_text('[office]\nname = "武汉市民生工作领导小组办公室"\n', encoding="utf-8")
    plain = load_notice_settings(path)
    assert (plain.number, plain.first, plain.days, plain.contact) == ("民生督〔{year}〕{seq}号", 1, 10, "")
    for bad, message in [('number = "民生督〔{year}〕号"', "缺少 {seq}"), ('number = "督{nian}"', "只能使用"),
                         ("days = -1", "days"), ('first = "三"', "first")]:
        path.write_text(f'[office]\nname = "某办"\n\n[notices]\n{bad}\n', encoding="utf-8")
        with pytest.raises(WordingError, match=message):
            load_notice_settings(path)


def test_numbers_continue_from_the_years_earlier_rounds(tmp_path, settings, ro):
    ws = Workspace(tmp_path)
    rnd = ro.round_ledger.round
    for key, number in [("2025-04", "民生督〔2025〕30号"), ("2025-03", "民生督〔2025〕7号"), ("2024-12", "民生督〔2024〕90号"),
                        ("2025-06", "民生督〔2025〕99号"), ("2025-05", "民生督〔2025〕50号")]:
        folder = ws.notices_dir(parse_round(key))
        folder.mkdir(parents=True)
        (folder / MANIFEST_NAME).write_text(json.dumps([{"number": number}], ensure_ascii=False), encoding="utf-8")
    assert next_sequence(ws.notices_dir(rnd), rnd, settings) == 31  # not its own, a later round's or last year's
    assert next_sequence(tmp_path / "elsewhere", rnd, settings) == 1
    assert next_sequence(ws.notices_dir(rnd), rnd, replace(settings, first=40)) == 40


def test_a_clerk_editing_the_wording(ro, settings, tmp_path):
    folder = tmp_path / "templates"
    shutil.copytree(TEMPLATES_DIR, folder)
    title = folder / "notices" / "title.j2"
    title.write_text(title.read_text(encoding="utf-8").replace("滞后任务的督办通知", "滞后任务的督办函"), encoding="utf-8")
    reply = folder / "notices" / "reply.j2"
    reply.write_text(reply.read_text(encoding="utf-8").replace('"反馈要求"', '"回复方式"'), encoding="utf-8")
    n = build_notices(ro, settings, ISSUED, templates_dir=folder)[0]
    assert n.document.title.endswith("滞后任务的督办函")
    assert "三、回复方式" in document_text(n.document)
    intro = folder / "notices" / "intro.j2"
    intro.write_text(intro.read_text(encoding="utf-8") + "{{ 单位负责人 }}", encoding="utf-8")
    with pytest.raises(WordingError, match="notices/intro.j2.*单位负责人"):
        build_notices(ro, settings, ISSUED, templates_dir=folder)


def test_unowned_lagging_rows_are_reported_not_addressed(ro, settings):
    key = next(k for k, j in ro.judgements.items() if j.status.lagging and k[1] != TOTAL)
    rows = dict(ro.round_ledger.rows)
    rows[key] = replace(rows[key], owner="")
    orphaned = replace(ro, round_ledger=replace(ro.round_ledger, rows=rows))
    units = {n.unit for n in build_notices(orphaned, settings, ISSUED)}
    assert "" not in units
    assert notices_module.lagging_by_unit(orphaned)[""][0].code == key[0]


def test_a_rerun_keeps_the_numbers_already_given(ro, few, tmp_path):
    """Run the round's notices, then again after one unit's file arrived (it no longer lags) and one more unit
    lags: the others keep their 督办编号, the new one gets the next number, none is reused."""
    first = write_notices(few, tmp_path, issue_date=ISSUED, formats=("docx",))
    numbers = {n.unit: n.number for n in first.notices}
    gone = next(n.unit for n in first.notices if n.unit != MISSING_UNIT)
    extra = next(u for u in sorted(owned_lagging(ro)) if u not in numbers)
    keep = (set(numbers) - {gone}) | {extra}
    rows = ro.round_ledger.rows

    def on(key, j):
        return j if rows[key].owner in keep else Judgement(Status.ON_SCHEDULE, j.time_progress)
    later = replace(ro, judgements={k: on(k, j) for k, j in ro.judgements.items()})
    again = write_notices(later, tmp_path, issue_date=ISSUED, formats=("docx",))
    renumbered = {n.unit: n.number for n in again.notices}
    assert all(renumbered[u] == numbers[u] for u in keep - {extra}) and gone not in renumbered
    assert renumbered[extra] == f"民生督〔2025〕{len(numbers) + 1}号"
