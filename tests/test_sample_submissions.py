"""`reporter sample`: the messy month of submissions is deterministic, and truth.json says exactly what is in it."""
import csv
import datetime as dt
import io
import json
import os
import time
import unicodedata
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from reporter.intake.annual import read_ledger
from reporter.intake.submission_schema import META_KEYS, META_SHEET, PROGRESS, STATUSES
from reporter.model.text import compact
from reporter.sample.submissions import DONE, KINDS, LAGGING, NOT_STARTED, ON_TRACK, TRUTH_FILE, make_sample

SAMPLE_LEDGER = Path(__file__).resolve().parents[1] / "ledgers" / "sample" / "2025年民生实事任务台帐.xlsx"

TASKS = [
    ["MS-01", "新增公办幼儿园学位", "教育", "新增学位数", "万个", "7", "省教育厅", "省财政厅", "年底前"],
    ["MS-02", "城镇新增就业", "就业", "城镇新增就业人数", "万人", "70", "省人社厅", "", "年底前"],
    ["MS-03", "困难群众基本生活保障", "社会救助", "保障情况", "", "应保尽保", "省民政厅", "", "年底前"],
    ["MS-04", "改造城镇老旧小区", "住房", "改造小区数", "个", "2400", "省住建厅", "", "11月底前"],
    ["MS-05", "城乡居民基本医保参保", "医疗保障", "参保率", "%", "≥95%", "省医保局", "", "年底前"],
    ["MS-06", "新增养老服务床位", "养老", "新增床位", "张", "20000", "省民政厅", "", "年底前"],
    ["MS-07", "建设村卫生室", "医疗卫生", "建成村卫生室", "所", "600", "省卫健委", "", "10月底前"],
    ["MS-08", "职业技能培训", "就业", "培训人次", "人次", "300000", "省人社厅", "", "年底前"],
    ["MS-09", "完善医保异地结算", "医疗保障", "", "", "住院费用跨省直接结算全覆盖", "省医保局", "", "6月底前"],
]
REGION_TARGETS = [["MS-01", "武汉市", 3], ["MS-01", "咸宁市", 2], ["MS-01", "恩施州", 2],
                  ["MS-02", "武汉市", 30], ["MS-02", "黄石市", 15], ["MS-02", "咸宁市", 10], ["MS-02", "恩施州", 15],
                  ["MS-04", "武汉市", 1000], ["MS-04", "黄石市", 400], ["MS-04", "咸宁市", 500], ["MS-04", "恩施州", 500],
                  ["MS-06", "武汉市", 8000], ["MS-06", "黄石市", 4000], ["MS-06", "咸宁市", 4000],
                  ["MS-06", "恩施州", 4000],
                  ["MS-07", "武汉市", 200], ["MS-07", "黄石市", 150], ["MS-07", "咸宁市", 250]]
UNITS = [["湖北省教育厅", "省教育厅", "部门"], ["湖北省人力资源和社会保障厅", "省人社厅", "部门"],
         ["湖北省民政厅", "省民政厅", "部门"], ["湖北省住房和城乡建设厅", "省住建厅", "部门"],
         ["湖北省医疗保障局", "省医保局", "部门"], ["湖北省卫生健康委员会", "省卫健委", "部门"],
         ["湖北省财政厅", "省财政厅", "部门"], ["武汉市人民政府", "武汉市", "地区"], ["咸宁市人民政府", "咸宁市", "地区"],
         ["恩施土家族苗族自治州人民政府", "恩施州", "地区"], ["黄石市人民政府", "黄石市", "地区"]]


def write_ledger(path: Path) -> Path:
    wb = Workbook()
    wb.remove(wb.active)
    sheets = {
        "任务": [["任务编号", "任务名称", "领域", "指标名称", "计量单位", "年度目标", "牵头单位", "责任单位", "完成时限"], *TASKS],
        "分地区目标": [["任务编号", "地区", "年度目标"], *REGION_TARGETS],
        "责任单位": [["单位名称", "简称", "单位类型"], *UNITS],
    }
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


@pytest.fixture(scope="module")
def ledger(tmp_path_factory):
    path = write_ledger(tmp_path_factory.mktemp("ledger") / "2025年民生实事任务台帐.xlsx")
    return read_ledger(path)[0]


@pytest.fixture(scope="module")
def runs(ledger, tmp_path_factory):
    """Two runs with the default seed and one with another seed."""
    return [make_sample(ledger, "2025-05", tmp_path_factory.mktemp(name), seed=seed)
            for name, seed in (("a", 2025), ("b", 2025), ("c", 7))]


def truth_of(result) -> dict:
    return json.loads(result.truth.read_text(encoding="utf-8"))


def file_bytes(out: Path, entry: dict) -> bytes:
    path = out / entry["path"]
    if entry.get("member"):
        with zipfile.ZipFile(path) as zf:
            return zf.read(entry["member"])
    return path.read_bytes()


def cells(out: Path, entry: dict) -> dict[str, dict[str, object]]:
    """sheet → {A1 ref → literal content} (formulas as written, CSV cells as text)."""
    data = file_bytes(out, entry)
    if entry["path"].endswith(".csv"):
        rows = list(csv.reader(io.StringIO(data.decode("gb18030"))))
        grid = {f"{chr(65 + c)}{r + 1}": v for r, row in enumerate(rows) for c, v in enumerate(row) if v != ""}
        return {Path(entry["path"]).stem: grid}
    book = load_workbook(io.BytesIO(data))
    return {ws.title: {c.coordinate: c.value for row in ws.iter_rows() for c in row if c.value is not None}
            for ws in book.worksheets}


def literal(value):
    return value.isoformat() if isinstance(value, (dt.date, dt.datetime)) else value


def test_same_seed_same_truth_and_cells_other_seed_differs(runs):
    a, b, c = runs
    assert truth_of(a) == truth_of(b)
    assert truth_of(a) != truth_of(c)
    assert [p.relative_to(a.out_dir) for p in a.files] == [p.relative_to(b.out_dir) for p in b.files]
    for entry in truth_of(a)["files"]:
        assert cells(a.out_dir, entry) == cells(b.out_dir, entry), entry["file"]
    for path in a.files:  # down to the bytes: no wall clock in the packages
        assert path.read_bytes() == (b.out_dir / path.relative_to(a.out_dir)).read_bytes(), path.name


def test_status_words_are_the_schema_statuses():
    assert {DONE, ON_TRACK, LAGGING, NOT_STARTED} == set(STATUSES)


@pytest.mark.parametrize("run", [0, 2])
def test_every_kind_is_planted(runs, run):
    assert set(truth_of(runs[run])["planted"]) == set(KINDS)


@pytest.mark.parametrize("run", [0, 2])
def test_planted_literals_are_in_the_files(runs, run):
    result = runs[run]
    for kind, entries in truth_of(result)["planted"].items():
        for entry in entries:
            if "cell" not in entry:
                continue
            sheet = cells(result.out_dir, entry)[entry["sheet"]]
            assert literal(sheet.get(entry["cell"])) == entry["written"], (kind, entry)
            for ref, text in entry.get("headers", {}).items():
                assert sheet[ref] == text
            if "lower" in entry:
                assert sheet[entry["lower"]["cell"]] == entry["lower"]["written"]


@pytest.mark.parametrize("run", [0, 2])
def test_every_row_is_where_truth_says(runs, run):
    result = runs[run]
    for entry in truth_of(result)["files"]:
        sheet = cells(result.out_dir, entry)[entry["sheet"]]
        for row in entry["rows"]:
            assert row["status"] in STATUSES
            assert literal(sheet.get(row["cell"])) == row["written"], (entry["file"], row)
            assert sheet.get(row["status_cell"]) == row["status_written"], (entry["file"], row)
            if "finish_cell" in row:
                assert literal(sheet[row["finish_cell"]])[:10] == row["finish_date"]


def test_two_row_headers_are_merged(runs):
    result = runs[0]
    for entry in truth_of(result)["planted"]["two_row_header"]:
        ws = load_workbook(io.BytesIO(file_bytes(result.out_dir, entry)))[entry["sheet"]]
        merged = {str(m) for m in ws.merged_cells.ranges}
        assert entry["merged"] in merged
        assert any(m.endswith(str(entry["rows"][1])) and m.startswith("A") for m in merged)  # 序号 spans both rows


def interpret(written) -> float | None:
    """What a value cell means, as intake must read it: the check that truth values are exact."""
    if written is None or isinstance(written, (int, float)):
        return written
    text = unicodedata.normalize("NFKC", written).replace(",", "").removeprefix("约")
    if text.startswith("="):
        return None
    scale = 1e4 if text.endswith("万") else 1
    return float(text.rstrip("万%")) * scale


def test_truth_values_match_what_is_written(runs):
    for entry in truth_of(runs[0])["files"]:
        for row in entry["rows"]:
            if isinstance(row["written"], str) and row["written"].startswith("="):
                continue
            expected = interpret(row["written"])
            assert (expected is None) == (row["value"] is None), row
            if expected is not None:
                assert expected == pytest.approx(row["value"]), row


def test_formula_has_no_cached_value_and_refers_to_the_target(runs):
    result = runs[0]
    (entry,) = truth_of(result)["planted"]["formula_no_cache"]
    book = load_workbook(io.BytesIO(file_bytes(result.out_dir, entry)), data_only=True)
    assert book[entry["sheet"]][entry["cell"]].value is None  # no cached value
    ref = entry["written"].removeprefix("=").split("*")[0]
    assert book[entry["sheet"]][ref].value == entry["target_value"]
    assert entry["value"] == pytest.approx(entry["target_value"] * entry["ratio"])


def test_value_headers_match_the_schema(runs):
    result = runs[0]
    for entry in truth_of(result)["files"]:
        sheet = cells(result.out_dir, entry)[entry["sheet"]]
        column = "".join(ch for ch in entry["rows"][0]["cell"] if ch.isalpha())
        header = sheet[f"{column}{entry['header_rows'][-1]}"]
        assert PROGRESS.match(compact(header)).key == "value", (entry["file"], header)


def test_exactly_one_unit_is_missing(runs, ledger):
    truth = truth_of(runs[0])
    (missing,) = truth["missing_units"]
    senders = {f["unit"] for f in truth["files"]}
    assert missing not in senders
    assert senders | {missing} == set(ledger.submitters())


def test_resubmission_is_newer_and_changes_values(runs):
    result = runs[0]
    truth = truth_of(result)
    ((unit, (old, new)),) = truth["resubmitted"].items()
    files = {f["file"]: f for f in truth["files"] if f["unit"] == unit}
    assert set(files) == {old, new} and "(修改版)" in new and files[new]["winning"] and not files[old]["winning"]
    assert os.stat(result.out_dir / new).st_mtime > os.stat(result.out_dir / old).st_mtime
    (change,) = truth["planted"]["resubmission"]
    assert change["changes"]
    assert all(c["old"] != c["new"] for c in change["changes"])


def test_file_times_are_the_truth(runs):
    result = runs[0]
    for entry in truth_of(result)["files"]:
        if entry["member"]:
            with zipfile.ZipFile(result.out_dir / entry["path"]) as zf:
                stamp = dt.datetime(*zf.getinfo(entry["member"]).date_time)
            assert stamp == dt.datetime.fromisoformat(entry["mtime"])
        else:
            mtime = os.stat(result.out_dir / entry["path"]).st_mtime
            assert mtime == time.mktime(dt.datetime.fromisoformat(entry["mtime"]).timetuple())


def test_zip_holds_two_readable_workbooks(runs):
    result = runs[0]
    (entry,) = truth_of(result)["planted"]["zip"]
    with zipfile.ZipFile(result.out_dir / entry["path"]) as zf:
        assert sorted(zf.namelist()) == sorted(entry["members"]) and len(entry["members"]) == 2
        for name in zf.namelist():
            assert load_workbook(io.BytesIO(zf.read(name))).worksheets


def test_csv_is_gb18030(runs):
    result = runs[0]
    (entry,) = truth_of(result)["planted"]["csv_gb18030"]
    raw = (result.out_dir / entry["path"]).read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    assert raw.decode("gb18030").startswith(entry["written"])


def test_templates_keep_their_metadata_and_are_filled(runs):
    result = runs[0]
    templates = [f for f in truth_of(result)["files"] if f["form"] == "template"]
    if not templates:
        pytest.skip("render.fillin not available")
    for entry in templates:
        book = load_workbook(io.BytesIO(file_bytes(result.out_dir, entry)))
        assert book[META_SHEET].sheet_state == "veryHidden"
        meta = {a: b for a, b in book[META_SHEET].iter_rows(values_only=True)}
        assert meta[META_KEYS["unit"]] == entry["unit"]


def test_hand_made_files_have_no_metadata_and_name_their_unit_somewhere(runs):
    result = runs[0]
    for entry in truth_of(result)["files"]:
        if entry["form"] == "template":
            continue
        sheets = cells(result.out_dir, entry)
        assert META_SHEET not in sheets
        texts = " ".join(str(v) for grid in sheets.values() for v in grid.values())
        if "content" in entry["identified_by"]:
            assert f"填报单位：{entry['label']}" in texts
        if "filename" in entry["identified_by"]:
            assert entry["label"] in Path(entry["file"]).name
        else:
            assert entry["label"] not in entry["file"]


def test_truth_json_is_readable_chinese(runs):
    text = runs[0].truth.read_text(encoding="utf-8")
    assert "\\u" not in text and runs[0].truth.name == TRUTH_FILE


@pytest.mark.skipif(not SAMPLE_LEDGER.exists(), reason="sample ledger not built yet")
def test_sample_ledger(tmp_path):
    ledger, _ = read_ledger(SAMPLE_LEDGER)
    result = make_sample(ledger, "2025-05", tmp_path)
    truth = truth_of(result)
    assert len(truth["missing_units"]) == 1 and truth["resubmitted"]
    for kind, entries in truth["planted"].items():
        for entry in entries:
            if "cell" in entry:
                assert literal(cells(result.out_dir, entry)[entry["sheet"]].get(entry["cell"])) == entry["written"]
