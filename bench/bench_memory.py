"""Peak memory (and time) of reading each hostile file, next to a good file of the same format and size.

    python bench/bench_memory.py [--only ods,csv,collect]

Each file is read in a fresh process the way `collect` reads one (discover → parse_submission) and the
process's peak RSS is taken from the kernel (wait4's ru_maxrss). A hostile file must be refused (or read)
with a Chinese message while its peak stays near the good file's: the budget (reporter.memory.BUDGET) is
checked before anything big is allocated. The files are made at full size into a temporary folder:

- zip bomb: a 2 MB zip whose one member inflates to 2 GiB;     good: a zip of submissions, same size
- ods: 1 KB declaring 95 million cells (one cell repeated);      good: a 1 KB .ods holding a table
- xlsb: a sheet with values in four far corners (16 M cells);   good: a small .xlsb
- xls: a cell record moved to IV65536 (16.7 M cells);            good: the same .xls unmoved
- xlsx: <dimension> A1:C3 with one far cell in ZZ900000;         good: the same .xlsx without it
- csv: 10,000,000 rows (690 MB), and one row past the row budget; good: 1,000,000 rows (68 MB), read in full
- collect: the whole `collect` (api.collect: merge, findings, 本轮台帐 and the other workbooks, the history
  store) of a round holding the 1,000,000-row CSV, an export of 省教育厅's 40 tasks × 17 市州 (680 keys
  repeating down the rows), against its ledger (write_ledger): what a clerk's run costs; and of one whose
  1,000,000 rows are all of tasks the ledger does not have (an error each: 21 named, the rest counted, and a
  退回修改 workbook that lists them without copying the file).

Prints a table and the machine load (uptime): these figures vary with what else runs. On 2 shared cores
(load 4.3–5.0, three other engineers testing), the 1M-row export:

                               before (4b0f97c, its row budget raised)     after
  read (discover → parse)      5.1 s, 700 MB (load 1.7)                     4.1 s wall, 2.7 s CPU, 226 MB
  whole collect, 680 keys      91.5 s wall, 36.8 s CPU, 1,359 MB            7.2 s wall, 5.5 s CPU, 346 MB
  whole collect, unknown tasks 168 s for 100k rows (~30 min for 1M)         8.7 s wall, 5.5 s CPU, 359 MB
  1.1M rows (past the budget)  refused once 250k rows were read             refused once 1.1M were read: 247 MB
  10M rows (690 MB)            refused by its size before it is read, as before: 26 MB
"""
from __future__ import annotations

import argparse
import io
import os
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from reporter import memory  # noqa: E402
from tests.hostile_files import ods, ods_cell, ods_row, xls_patched, xlsb  # noqa: E402
from tests.test_reader_cases import XLS, xlsx_bytes  # noqa: E402

READ = """
import sys, time
from reporter.intake.discover import discover
from reporter.intake.submission import parse_submission
start = time.perf_counter()
for source in discover(sys.argv[1]):
    sub = parse_submission(source, 5)
    said = (sub.error or f"读取 {sub.row_count} 行").replace("\\n", " ")
    print(f"{time.perf_counter() - start:.2f}\\t{said[:70]}")
"""


def deflated_zeros(size: int) -> bytes:
    """A zip with one member of `size` zero bytes, written piece by piece (never held inflated)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        info = zipfile.ZipInfo("省教育厅5月进展.xlsx", (2025, 6, 2, 10, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        with zf.open(info, "w", force_zip64=True) as member:
            piece = b"\0" * (1 << 24)
            for _ in range(size // len(piece)):
                member.write(piece)
    return out.getvalue()


def table_rows(n: int) -> list[list]:
    return [["填报单位：省教育厅"], ["任务编号", "任务名称", "地区", "累计完成", "进展状态", "工作进展"]] + [
        [f"T{i % 40 + 1}", f"民生任务{i % 40 + 1}", f"地区{i % 17}", i * 1.5, "正常推进", "按计划推进，已完成年度目标的大部分"]
        for i in range(n)]


# 湖北省's 17 市州: with 40 tasks, a CSV's rows cycle through 680 task × region keys
REGIONS = ["武汉市", "黄石市", "十堰市", "宜昌市", "襄阳市", "鄂州市", "荆门市", "孝感市", "荆州市", "黄冈市", "咸宁市",
           "随州市", "恩施土家族苗族自治州", "仙桃市", "潜江市", "天门市", "神农架林区"]


def csv_lines(rows: int, start: int = 0, code: str = "T"):
    """An export's CSV lines: 6 columns, codes, names, regions and statuses repeating down the rows. Codes
    other than T (and their names) are tasks write_ledger's ledger does not have."""
    name = "民生任务" if code == "T" else "城乡公益性岗位开发"
    if start == 0:
        yield "任务编号,任务名称,地区,累计完成,进展状态,工作进展"
    for i in range(start, rows):
        yield f"{code}{i % 40 + 1},{name}{i % 40 + 1},{REGIONS[i % 17]},{i * 1.5},正常推进,按计划推进"


def csv_bytes(rows: int) -> bytes:
    return "\n".join(csv_lines(rows)).encode()


def write_csv(path: Path, rows: int, code: str = "T") -> int:
    """csv_bytes(rows) written piece by piece (10M rows are 690 MB: never held whole); its size."""
    with open(path, "wb") as out:
        for start in range(0, rows, 100_000):
            lines = "\n".join(csv_lines(min(rows, start + 100_000), start, code))
            out.write(("" if start == 0 else "\n").encode() + lines.encode())
    return path.stat().st_size


def write_ledger(path: Path) -> None:
    """The ledger csv_bytes' rows belong to: 40 tasks of 省教育厅, each split to the 17 市州."""
    import openpyxl

    book = openpyxl.Workbook()
    tasks = book.active
    tasks.title = "任务"
    tasks.append(["任务编号", "任务名称", "领域", "计量单位", "年度目标", "牵头单位", "完成时限"])
    for t in range(1, 41):
        tasks.append([f"T{t}", f"民生任务{t}", "教育", "个", 17 * 100_000, "省教育厅", "年底前"])
    split = book.create_sheet("任务分解")
    split.append(["任务编号", "地区", "年度目标", "责任单位"])
    for t in range(1, 41):
        for region in REGIONS:
            split.append([f"T{t}", region, 100_000, "省教育厅"])
    units = book.create_sheet("责任单位")
    units.append(["单位名称", "简称", "单位类型", "联系邮箱"])
    units.append(["湖北省教育厅", "省教育厅", "部门", "jyt@example.org"])
    book.save(path)


def far_xlsx(far: str | None) -> bytes:
    book = xlsx_bytes(table_rows(20))
    if far is None:
        return book
    src, out = zipfile.ZipFile(io.BytesIO(book)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                row = "".join(ch for ch in far if ch.isdigit())
                data = data.replace(b"</sheetData>", f'<row r="{row}"><c r="{far}"><v>1</v></c></row></sheetData>'.encode())
            zf.writestr(info, data)
    return out.getvalue()


def good_zip(size: int) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        n = 0
        while out.tell() < size:
            zf.writestr(f"单位{n:03d}5月进展.xlsx", xlsx_bytes(table_rows(400)))
            n += 1
    return out.getvalue()


CASES = {  # name → (hostile file, good file)
    "zip": lambda: (("炸弹.zip", deflated_zeros(2 << 30)), ("正常.zip", good_zip(2 << 20))),
    "ods": lambda: (("单元格炸弹.ods", ods(ods_row(ods_cell("1", 16384), 5800))),
                    ("正常.ods", ods(ods_row(ods_cell("任务编号") + ods_cell("累计完成")) + ods_row(ods_cell("T1") + ods_cell("3"))))),
    "xlsb": lambda: (("四角.xlsb", xlsb({(0, 0): 1, (0, 3999): 2, (3999, 0): 3, (3999, 3999): 4})),
                     ("正常.xlsb", xlsb({(r, c): r + c for r in range(60) for c in range(8)}))),
    "xls": lambda: (("远处单元格.xls", xls_patched(XLS, far=(65535, 255))), ("正常.xls", XLS)),
    "xlsx": lambda: (("远处单元格.xlsx", far_xlsx("ZZ900000")), ("正常.xlsx", far_xlsx(None))),
    "csv": lambda: (("千万行.csv", lambda path: write_csv(path, 10_000_000)),
                    ("超限行.csv", lambda path: write_csv(path, memory.BUDGET.rows)),  # the header is one more
                    ("百万行.csv", lambda path: write_csv(path, 1_000_000))),
    "collect": lambda: (("省教育厅5月进展.csv", lambda path: write_csv(path, 1_000_000)),
                        ("省教育厅5月导出.csv", lambda path: write_csv(path, 1_000_000, code="X"))),
}


COLLECT = """
import sys, time
from pathlib import Path
from reporter import api
folder = Path(sys.argv[1])
start = time.perf_counter()
rl = api.collect(folder, folder.parent / "台帐.xlsx", "2025-05", folder.parent / "工作区").round_ledger
grouped = [f.message[:14] for f in rl.findings if f.field == "（同类问题）"]
print(f"{time.perf_counter() - start:.2f}\t本轮台帐 {len(rl.rows)} 行，问题 {len(rl.findings)} 条（{'；'.join(grouped)}）")
"""


def measure(path: Path, script: str = READ) -> tuple[float, float, float, str]:
    """(peak RSS in MB, seconds, CPU seconds, what the reader said) of reading `path` in a fresh process,
    measured by GNU time, a small process: a child forked from this one would count this one's own peak as
    its own. CPU time (user + system) moves less than wall time with what else the machine runs."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(["/usr/bin/time", "-f", "%M %e %U %S", sys.executable, "-c", script, str(path)],
                          capture_output=True, text=True, env=env)
    peak_kb, seconds, user, system = done.stderr.strip().splitlines()[-1].split()
    out = done.stdout.strip()
    said = out.splitlines()[-1].split("\t", 1)[-1] if out else f"（进程退出码 {done.returncode}）"
    return int(peak_kb) / 1024, float(seconds), float(user) + float(system), said


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", default=",".join(CASES), help="cases, comma-separated: " + ",".join(CASES))
    args = parser.parse_args()
    print(f"uptime: {subprocess.run(['uptime'], capture_output=True, text=True).stdout.strip()}")
    print(f"{'file':<16}{'bytes':>14}{'peak MB':>10}{'seconds':>9}{'cpu s':>7}  result")
    with tempfile.TemporaryDirectory() as tmp:
        files = []
        for case in args.only.split(","):  # all made first: a child's peak counts its parent's size at fork
            for name, data in CASES[case]():
                folder = Path(tmp) / f"{case}-{name}" / "报送"
                folder.mkdir(parents=True)
                if callable(data):  # written piece by piece
                    size = data(folder / name)
                else:
                    size = (folder / name).write_bytes(data)
                if case == "collect":
                    write_ledger(folder.parent / "台帐.xlsx")
                files.append((folder, name, size, COLLECT if case == "collect" else READ))
                del data
        for folder, name, size, script in files:
            peak, seconds, cpu, said = measure(folder, script)
            label = f"{name}（汇总）" if script is COLLECT else name
            print(f"{label:<16}{size:>14,}{peak:>10.0f}{seconds:>9.2f}{cpu:>7.2f}  {said}")
    print(f"uptime: {subprocess.run(['uptime'], capture_output=True, text=True).stdout.strip()}")


if __name__ == "__main__":
    main()
