"""A unit's CSV export of many rows (a business system's, every entry of the year down the rows): read within
the memory budget, each task × region taken once, its repeats counted in one finding, and a file beyond
the budget refused with a finding naming it. The budget is scaled down here (rows=1,100 stands for the
default's 1,100,000) so that the files stay small; bench/bench_memory.py reads the full-size ones."""
from dataclasses import replace

import openpyxl
import pytest

from reporter import api, memory

from .conftest import write_book

COUNTIES = ["咸安区", "嘉鱼县", "通城县", "崇阳县", "通山县", "赤壁市"]  # seed 002, 咸宁市
HEADER = "任务编号,任务名称,地区,累计完成,进展状态,工作进展"


@pytest.fixture
def ledger(tmp_path):
    """咸宁市's ledger, two tasks of 市人社局 split to its six counties (a long 任务分解 sheet, 市人社局 filling
    in every county's row)."""
    tasks = [["咸宁市2025年民生实事任务台帐"],
             ["任务编号", "任务名称", "领域", "计量单位", "年度目标", "牵头单位", "完成时限"],
             ["XN-01", "城镇新增就业", "就业创业", "人", "25000", "市人社局", "2025年12月底"],
             ["XN-05", "职业技能培训", "就业创业", "人次", "12000", "市人社局", "2025年12月底"]]
    split = [["任务编号", "地区", "年度目标", "责任单位"]]
    split += [[code, county, target, "市人社局"] for code, target in (("XN-01", 4000), ("XN-05", 2000))
              for county in COUNTIES]
    units = [["单位名称", "简称", "单位类型", "联系邮箱"], ["咸宁市人力资源和社会保障局", "市人社局", "部门", "rsj@xianning.example.gov.cn"]]
    return write_book(tmp_path / "咸宁市2025年民生实事任务台帐.xlsx", {"任务": tasks, "任务分解": split, "责任单位": units})


def export(rows: int) -> bytes:
    """市人社局's system export in GBK: every entry of the year, so each task × county comes back ~every 12th
    row with a later (larger) figure."""
    tasks = [("XN-01", "城镇新增就业"), ("XN-05", "职业技能培训")]
    lines = [HEADER]
    for i in range(rows):
        code, name = tasks[i % 2]
        lines.append(f"{code},{name},{COUNTIES[i // 2 % 6]},{100 + i},正常推进,按计划推进")
    return "\r\n".join(lines).encode("gbk")


@pytest.fixture
def budget(monkeypatch):
    monkeypatch.setattr(memory, "BUDGET", replace(memory.BUDGET, rows=1_100, text_cells=1_100 * 6))


def collect(tmp_path, ledger, data: bytes):
    folder = tmp_path / "报送"
    folder.mkdir()
    (folder / "市人社局进展导出.csv").write_bytes(data)
    return api.collect(folder, ledger, "2025-05", tmp_path / "工作区")


def test_the_budget_reads_a_million_row_export():
    """What the default budget admits: a 1,000,000-row export of 6 columns (and its header), which the old
    budget (250,000 rows) refused; bench/bench_memory.py measures it read and collected."""
    assert memory.BUDGET.rows > 1_000_001 and memory.BUDGET.text_cells >= 1_000_001 * 6


def test_an_export_of_repeated_rows_within_the_budget_gives_each_task_and_county_once(tmp_path, ledger, budget):
    result = collect(tmp_path, ledger, export(1_000))
    rl = result.round_ledger
    assert not [f for f in rl.findings if f.code == "intake-unreadable"]
    # each task × county taken from its first row, the figure of that row
    assert rl.rows[("XN-01", rl.ledger.regions.match("咸安区").code)].value == 100
    assert rl.rows[("XN-05", rl.ledger.regions.match("赤壁市").code)].value == 111
    assert {f.rows for f in rl.files if f.name == "市人社局进展导出.csv"} == {12}
    # the clerk's 本轮台帐 has the ledger's rows (2 tasks and their 12 county rows), not the export's thousand
    book = openpyxl.load_workbook(result.outputs["本轮台帐"], read_only=True)
    listed = [row for row in book.worksheets[0].iter_rows(min_row=2, values_only=True) if row[0] in ("XN-01", "XN-05")]
    assert len(listed) == 14
    # the 988 repeats: 21 named with their row, the rest counted in one finding, in the unit's 问题清单
    repeats = [f for f in rl.findings if f.code == "intake-duplicate-row" and f.file == "市人社局进展导出.csv"]
    assert len(repeats) == 22
    assert repeats[0].cell == "A14" and "在第 2 行已填报，本行重复，未汇总" in repeats[0].message
    assert repeats[-1].message.startswith("另有 967 处同类问题") and repeats[-1].value == "967"
    issues = openpyxl.load_workbook(result.outputs["问题清单"], read_only=True)
    text = "\n".join(str(c) for ws in issues.worksheets for row in ws.iter_rows(values_only=True) for c in row)
    assert "另有 967 处同类问题" in text


def test_an_export_beyond_the_row_budget_is_refused_by_name(tmp_path, ledger, budget):
    rl = collect(tmp_path, ledger, export(1_200)).round_ledger
    said = [f.message for f in rl.findings if f.file == "市人社局进展导出.csv"]
    assert any("文件“市人社局进展导出.csv”超过 1,100 行，超过一次可读取的上限，未读取" in m for m in said)
    assert ("XN-01", "") in rl.rows and rl.rows[("XN-01", "")].value is None  # nothing of it taken


def test_an_export_beyond_the_cells_budget_is_refused_by_name(tmp_path, ledger, budget):
    wide = "\r\n".join([HEADER + ",备注" * 10] + [f"XN-01,城镇新增就业,咸安区,{i}" + ",无" * 12 for i in range(600)])
    rl = collect(tmp_path, ledger, wide.encode("gbk")).round_ledger
    said = [f.message for f in rl.findings if f.file == "市人社局进展导出.csv"]
    assert any("文件“市人社局进展导出.csv”的表格范围达 6," in m and "上限（6,600 个）" in m for m in said)


def unknown_tasks(rows: int) -> bytes:
    """An export of another office's tasks (codes and names this ledger does not have)."""
    lines = [HEADER] + [f"HB-{i % 7 + 1:02d},城乡公益性岗位开发,{COUNTIES[i % 6]},{i},正常推进,按计划推进" for i in range(rows)]
    return "\r\n".join(lines).encode("gbk")


@pytest.mark.parametrize("rows, copied", [(1_000, False), (100, True)])
def test_an_export_of_unknown_tasks_is_returned_with_its_problems_listed(tmp_path, ledger, budget, monkeypatch,
                                                                         rows, copied):
    """Each row's task is unknown (an error): 21 named, the rest counted; the 退回修改 workbook carries a copy
    of the file with its cells marked, unless the file is too big to copy (RETURN_CELLS, scaled down here
    as the budget is): then 修改说明 lists the problems and says why the file is not in it."""
    from reporter.render import returns

    monkeypatch.setattr(returns, "RETURN_CELLS", 3_000)
    result = collect(tmp_path, ledger, unknown_tasks(rows))
    unknown = [f for f in result.round_ledger.findings if f.code == "intake-unknown-task"]
    assert len(unknown) == 22 and unknown[0].message == "任务编号“HB-01”不在台帐中，本行未汇总。"
    assert unknown[-1].message.startswith(f"另有 {rows - 21} 处同类问题（任务不在台帐中）")
    (path,) = result.outputs["退回修改"]
    book = openpyxl.load_workbook(path)
    guide = book["修改说明"]["A2"].value
    if copied:
        assert book.sheetnames == ["修改说明", "市人社局进展导出"] and "标红的单元格为错误" in guide
        assert book["市人社局进展导出"]["A2"].comment.text.startswith("【错误】任务编号“HB-01”不在台帐中")
    else:
        assert book.sheetnames == ["修改说明"]
        assert f"原文件“市人社局进展导出.csv”有 {(rows + 1) * 6:,} 个单元格，过大，未附在本工作簿中" in guide
