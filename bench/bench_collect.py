"""Benchmark `collect` against the script a clerk would write and against fastexcel's raw parse.

200 files × 500 rows × 20 columns, generated once into a cache folder. Run on demand:

    python bench/bench_collect.py [--files 200] [--rows 500]

Prints four figures side by side: pandas.read_excel(openpyxl)+concat, fastexcel raw parse, python-calamine raw
parse (the reader collect uses: open, read every sheet, to Python values; nothing else) and reporter collect —
each measured --repeat times, in turn, on the same files: min and median wall time, median CPU time (a
steadier figure when other programs share the machine), and the ratios of the medians, of the minima and of
each round's pair — and the memory of collect with a quarter of the files and with all of them, against the
same ledger (it must stay flat: files are streamed).
The python-calamine row says how near fastexcel a reader built on it can come at all (collect hands it a copy
of each workbook that reads faster than the file itself: --stages shows both).
The collect figure is collect() itself, all of its work; writing the output workbooks is not timed. It is
measured twice: in this process, and in a process of its own holding only the ledger, as the command line
runs it (fresh_collect says why the two differ).
"""
from __future__ import annotations

import argparse
import io
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from reporter.model.regions import load_builtin_regions  # noqa: E402
from reporter.model.schedule import Round, parse_deadline  # noqa: E402
from reporter.model.targets import Direction, Indicator, infer_aggregation, parse_target  # noqa: E402
from reporter.model.tasks import AnnualLedger, Task  # noqa: E402
from reporter.model.units import Unit, UnitDirectory  # noqa: E402

HEADERS = ["任务编号", "任务名称", "地区", "指标名称", "计量单位", "年度目标", "上月累计完成", "累计完成", "进展状态",
           "工作进展", "存在问题", "下步措施", "完成日期", "责任人", "联系电话", "备注一", "备注二", "备注三", "备注四", "备注五"]


def unit_name(i: int) -> str:
    return f"测试单位{i:03d}"


def make_ledger(files: int, rows: int) -> AnnualLedger:
    units = UnitDirectory.of([Unit(unit_name(i), f"单位{i:03d}") for i in range(files)])
    target = parse_target("1000", "个")
    indicator = Indicator("新增数量", "个", Direction.HIGHER, None, infer_aggregation(target, "个"))
    tasks = {}
    deadline = parse_deadline("年底前", 2025)
    for i in range(files):
        for j in range(rows):
            code = f"U{i:03d}-{j:03d}"
            tasks[code] = Task(code, f"第{i}单位第{j}项民生任务", domain="测试", target=target, lead=unit_name(i),
                               deadline=deadline, indicator=indicator)
    return AnnualLedger(2025, tasks, units, load_builtin_regions(), title="基准台帐")


def make_files(folder: Path, files: int, rows: int) -> list[Path]:
    import xlsxwriter

    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(files):
        path = folder / f"{unit_name(i)}_5月进展.xlsx"
        paths.append(path)
        if path.exists():
            continue
        book = xlsxwriter.Workbook(str(path))
        ws = book.add_worksheet("进展填报")
        ws.write_row(0, 0, [f"2025年5月民生实事进展填报表（{unit_name(i)}）"])
        ws.write_row(1, 0, [f"填报单位：{unit_name(i)}"])
        ws.write_row(2, 0, HEADERS)
        for j in range(rows):
            ws.write_row(3 + j, 0, [f"U{i:03d}-{j:03d}", f"第{i}单位第{j}项民生任务", "", "新增数量", "个", "1000",
                                    300 + j % 50, 400 + (j * 7) % 300, "正常推进" if j % 9 else "滞后",
                                    "按计划推进，已完成阶段任务", "资金到位偏慢" if j % 9 == 0 else "", "加快推进",
                                    "", "张三", "027-12345678", "无", "", "", "", ""])
        book.close()
    return paths


def timed(fn) -> tuple[float, float]:
    """(wall, CPU) seconds fn takes to give its result; CPU counts this process and the worker processes
    it waited for. The result is freed after the clock stops, for all three alike: freeing collect's round
    ledger (a hundred thousand rows, each with its provenance) is not collecting — a run writes it out and
    exits — and it took ~30 ms of the figure."""
    import resource

    def cpu() -> float:
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        return time.process_time() + children.ru_utime + children.ru_stime

    start, start_cpu = time.perf_counter(), cpu()
    result = fn()
    elapsed, used = time.perf_counter() - start, cpu() - start_cpu
    del result
    return elapsed, used


def clerk_script(paths: list[Path]):
    import pandas as pd

    return pd.concat([pd.read_excel(p, engine="openpyxl", header=2) for p in paths], ignore_index=True)


def fastexcel_parse(paths: list[Path]) -> None:
    import logging

    import fastexcel

    # fastexcel logs a dtype warning per mostly-empty column of every file; printing them buried the results
    logging.getLogger("fastexcel").setLevel(logging.ERROR)
    for p in paths:
        fastexcel.read_excel(str(p)).load_sheet(0, header_row=2).to_arrow()


def calamine_parse(paths: list[Path]) -> None:
    """python-calamine used as it comes, on each file itself: open the workbook, read every sheet and turn its
    cells into Python values (the calls workbook._read_excel makes), and nothing of reporter's own work."""
    from python_calamine import CalamineWorkbook

    for p in paths:
        book = CalamineWorkbook.from_object(io.BytesIO(p.read_bytes()))
        for name in book.sheet_names:
            book.get_sheet_by_name(name).to_python(skip_empty_area=False)


def own_peak_kib() -> int:
    """Peak RSS of this process in KiB. On Linux ru_maxrss would also count the RSS of the process that
    started this one (the benchmark, pandas loaded: hundreds of MiB), as it carries over exec; VmHWM does not."""
    import resource

    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def peak_rss_of_collect(folder: Path, files: int, rows: int) -> tuple[float, float, float, float]:
    """(MiB) RSS of a fresh process once it holds the ledger, its peak while collecting `folder`, its RSS
    after, with the result still held, and the peak of its largest worker. The ledger is the same (`files`
    units) whatever the folder holds, so only what collect keeps can grow with the number of files."""
    code = (f"import sys; sys.path.insert(0, {str(ROOT)!r}); sys.path.insert(0, {str(ROOT / 'bench')!r});"
            "import resource, bench_collect as b;"
            "from reporter.intake.collect import collect;"
            "from reporter.model.schedule import Round;"
            f"ledger = b.make_ledger({files}, {rows});"
            "base = b.own_rss_kib();"
            f"result = collect(ledger, Round(2025, 5), {str(folder)!r});"
            "print(base, b.own_peak_kib(), b.own_rss_kib(), resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    base, peak, after, worker = (int(x) / 1024 for x in out.strip().splitlines()[-1].split())
    return base, peak, after, worker


def fresh_collect(folder: Path, files: int, rows: int) -> tuple[float, float]:
    """(wall, CPU) seconds of collect in a process of its own, as `reporter collect` runs it: the process holds
    the ledger and nothing else. In this benchmark's process collect works beside what pandas, openpyxl and
    fastexcel left behind, and its worker processes, forked from it, copy more of that memory as either side
    writes to it (copy-on-write): a figure that is the benchmark's, not collect's."""
    code = (f"import sys; sys.path.insert(0, {str(ROOT)!r}); sys.path.insert(0, {str(ROOT / 'bench')!r});"
            "import bench_collect as b;"
            "from reporter.intake.collect import collect;"
            "from reporter.model.schedule import Round;"
            f"ledger = b.make_ledger({files}, {rows});"
            f"wall, cpu = b.timed(lambda: collect(ledger, Round(2025, 5), {str(folder)!r}));"
            "print(wall, cpu)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    wall, cpu = (float(x) for x in out.strip().splitlines()[-1].split())
    return wall, cpu


def own_rss_kib() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def stats(times: list[float]) -> tuple[float, float]:
    return min(times), statistics.median(times)


def stage_shares(paths: list[Path], ledger: AnnualLedger, count: int = 20) -> None:
    """Where one file's CPU time goes, stage by stage, in one process (the best of 5 passes over `count`
    files): what to cut first. The reader's own parse is python-calamine's; the rest is reporter's."""
    import pickle

    from python_calamine import CalamineWorkbook

    from reporter.intake import collect as C
    from reporter.intake.discover import discover
    from reporter.intake.identify import identify
    from reporter.intake.merge_columns import ColumnMerger
    from reporter.intake.results import FileResult
    from reporter.intake.submission import parse_submission
    from reporter.intake.workbook import read_workbook

    folder = paths[0].parent
    sources = [s for s in discover(folder) if s.name in {p.name for p in paths[:count]}]
    datas = [s.read_bytes() for s in sources]
    ctx = C._Context(ledger, ledger.round(Round(2025, 5)), {})
    subs = [parse_submission(s, 5) for s in sources]
    ids = [identify(sub, ledger) for sub in subs]

    def merged(i: int) -> FileResult:
        res = FileResult(sources[i], identity=ids[i])
        ColumnMerger(ctx, replace(subs[i], _rows=None), res).merge()
        return res
    results = [merged(i) for i in range(len(sources))]
    blobs = [pickle.dumps(r) for r in results]

    def cpu_ms(fn) -> float:
        best = min(_cpu_of(lambda: [fn(i) for i in range(len(sources))]) for _ in range(5))
        return best / len(sources) * 1000

    def calamine(data: bytes):
        book = CalamineWorkbook.from_object(io.BytesIO(data))
        return [book.get_sheet_by_name(n).to_python(skip_empty_area=False) for n in book.sheet_names]
    copies = [_reader_copy(data) for data in datas]
    parse = cpu_ms(lambda i: calamine(datas[i]))
    parse_copy = cpu_ms(lambda i: calamine(copies[i]))
    read = cpu_ms(lambda i: read_workbook(sources[i].name, datas[i]))
    submission = cpu_ms(lambda i: parse_submission(sources[i], 5))
    merge = cpu_ms(merged)
    trip = cpu_ms(lambda i: (pickle.dumps(results[i]), pickle.loads(blobs[i]).rows))
    fast = cpu_ms(lambda i: fastexcel_parse([sources[i].path]))
    total = submission + merge + trip
    print(f"每个文件的 CPU 时间（单进程，{len(sources)} 个文件，5 遍取最短；ms）：")
    for label, ms in (("python-calamine 解析（读取所交的副本：打开、读表、转为 Python 值）", parse_copy),
                      ("读取时的其他检查（解压检查、改写副本、公式/错误值、百分比格式、远端单元格）", read - parse_copy),
                      ("找表头、识别数据行、识别单位", submission - read),
                      ("合并（规范化、检查、按列打包）", merge),
                      ("交回主进程（pickle 往返）并建成本轮行", trip)):
        print(f"  {label}：{ms:6.2f}（{ms / total:4.0%}）")
    print(f"  合计 {total:.2f}；fastexcel 原始解析 {fast:.2f}；python-calamine 直接读原文件 {parse:.2f}"
          f"（是 fastexcel 的 {parse / fast:.2f} 倍），读所交副本 {parse_copy:.2f}（{parse_copy / fast:.2f} 倍）")


def _reader_copy(data: bytes) -> bytes:
    """The copy of an .xlsx that read_workbook hands python-calamine (its sheets rewritten: merged cells first)."""
    import zipfile

    from reporter.intake.rezip import replaced
    from reporter.intake.workbook import _xml_marks

    zf = zipfile.ZipFile(io.BytesIO(data))
    worksheets = {n for n in zf.NameToInfo if n.startswith("xl/worksheets/") and n.endswith(".xml")}
    rewritten = _xml_marks(zf, "bench", worksheets)[2]
    return replaced(data, zf, rewritten) if rewritten else data


def _cpu_of(fn) -> float:
    start = time.process_time()
    fn()
    return time.process_time() - start


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--files", type=int, default=200)
    ap.add_argument("--rows", type=int, default=500)
    ap.add_argument("--repeat", type=int, default=5, help="rounds of the three measurements, taken in turn")
    ap.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "reporter-bench-collect")
    ap.add_argument("--skip-clerk", action="store_true", help="跳过最慢的 pandas+openpyxl 基线")
    ap.add_argument("--stages", action="store_true", help="只打印每个文件各阶段的 CPU 时间占比（先看该优化哪里）")
    args = ap.parse_args()
    from importlib.util import find_spec

    if not (find_spec("fastexcel") and find_spec("pyarrow")):
        sys.exit("需要 fastexcel 和 pyarrow 作对照（不是 reporter 的依赖）：pip install -e '.[bench]'")
    folder = args.cache / f"{args.files}x{args.rows}"
    t, _ = timed(lambda: make_files(folder, args.files, args.rows))
    print(f"测试文件：{args.files} 个 × {args.rows} 行 × {len(HEADERS)} 列（生成/复用 {t:.1f} s）：{folder}")
    paths = sorted(folder.glob("*.xlsx"))
    ledger = make_ledger(args.files, args.rows)
    if args.stages:
        stage_shares(paths, ledger)
        return
    from reporter.intake.collect import collect

    rows = args.files * args.rows
    runs: dict[str, list[tuple[float, float]]] = {"clerk": [], "fast": [], "calamine": [], "ours": [], "fresh": []}
    load = [os.getloadavg()[0]]
    for _ in range(args.repeat):  # the same files for all three, each round measuring all three in turn
        runs["ours"].append(timed(lambda: collect(ledger, Round(2025, 5), folder)))
        runs["fast"].append(timed(lambda: fastexcel_parse(paths)))
        runs["calamine"].append(timed(lambda: calamine_parse(paths)))
        runs["fresh"].append(fresh_collect(folder, args.files, args.rows))
        if not args.skip_clerk:
            runs["clerk"].append(timed(lambda: clerk_script(paths)))
        load.append(os.getloadavg()[0])
    times = {key: [wall for wall, _ in each] for key, each in runs.items()}
    print(f"{args.repeat} 轮，每轮依次测各项；机器负载（1 分钟平均）{min(load):.2f}–{max(load):.2f}（{os.cpu_count()} 核）")
    print(f"{'方法':<34}{'最短(s)':>9}{'中位(s)':>9}{'CPU(s)':>8}{'行/秒(中位)':>13}  各轮(s)")
    labels = {"clerk": "pandas.read_excel(openpyxl)+concat", "fast": "fastexcel 原始解析（单进程）",
              "calamine": "python-calamine 原始解析（单进程）", "ours": "reporter collect",
              "fresh": "reporter collect（新进程中）"}
    for key in ("clerk", "fast", "calamine", "ours", "fresh"):
        if times[key]:
            low, mid = stats(times[key])
            label = labels[key]
            pad = 34 - sum(2 if ord(ch) > 127 else 1 for ch in label)
            each = " ".join(f"{x:.2f}" for x in times[key])
            cpu = statistics.median(used for _, used in runs[key])
            print(f"{label}{' ' * pad}{low:>9.2f}{mid:>9.2f}{cpu:>8.2f}{rows / mid:>13,.0f}  {each}")
    print(f"collect 计时：collect() 的全部工作——读取、找表、识别单位、规范化、检查与合并（{min(os.cpu_count() or 1, 4)} "
          "个进程，主进程在内；CPU 含工作进程）；不含写出本轮台帐、问题清单等工作簿。另几项各用一个进程。")
    (ours_min, ours_mid), (fast_min, fast_mid) = stats(times["ours"]), stats(times["fast"])
    if times["clerk"]:
        clerk_min, clerk_mid = stats(times["clerk"])
        each = [c / o for c, o in zip(times["clerk"], times["ours"])]
        print(f"collect 比 pandas+openpyxl 快 {clerk_mid / ours_mid:.1f} 倍（中位；最短之比 {clerk_min / ours_min:.1f} 倍；"
              f"同轮之比 {min(each):.1f}–{max(each):.1f} 倍；目标 ≥ 10 倍）")
    each = [o / f for o, f in zip(times["ours"], times["fast"])]
    print(f"collect 是 fastexcel 原始解析的 {ours_mid / fast_mid:.2f} 倍耗时（中位；最短之比 {ours_min / fast_min:.2f} 倍；"
          f"同轮之比 {min(each):.2f}–{max(each):.2f} 倍；目标 ≤ 1.5 倍）")
    cpu_ours, cpu_fast = (statistics.median(used for _, used in runs[key]) for key in ("ours", "fast"))
    print(f"CPU 时间：collect（所有进程）是 fastexcel 的 {cpu_ours / cpu_fast:.2f} 倍（中位；目标 ≤ 1.5 倍）")
    cpu_new, new_mid = statistics.median(used for _, used in runs["fresh"]), statistics.median(times["fresh"])
    print(f"在新进程中（如命令行 reporter collect，进程中只有台帐）：collect 是 fastexcel 的 {new_mid / fast_mid:.2f} 倍耗时、"
          f"{cpu_new / cpu_fast:.2f} 倍 CPU（中位；目标 ≤ 1.5 倍）")
    cpu_cal = statistics.median(used for _, used in runs["calamine"])
    cal_mid = statistics.median(times["calamine"])
    print(f"读取程序本身：python-calamine 直接读原文件（不含 reporter 的任何工作）是 fastexcel 的 {cal_mid / fast_mid:.2f} 倍"
          f"耗时、{cpu_cal / cpu_fast:.2f} 倍 CPU（中位；collect 交给它的是合并单元格移到前面的副本，"
          "读得更快：见 --stages）")
    small = max(1, args.files // 4)
    part = args.cache / f"part{small}x{args.rows}"
    part.mkdir(parents=True, exist_ok=True)
    for p in paths[:small]:  # hard links (or copies): collect refuses a link pointing out of its folder
        link = part / p.name
        if link.is_symlink():  # made by an earlier version of this script
            link.unlink()
        if not link.exists():
            try:
                os.link(p, link)
            except OSError:
                shutil.copy2(p, link)
    print(f"内存（同一台帐：{args.files} 个单位 × {args.rows} 项任务；结果＝返回的本轮台帐，每个数值连同来源）：")
    for n, where in ((small, part), (args.files, folder)):
        base, peak, after, worker = peak_rss_of_collect(where, args.files, args.rows)
        print(f"  报送 {n:>4} 个文件：主进程 台帐 {base:.0f} MiB，峰值 {peak:.0f} MiB，其中结果 {after - base:.0f} MiB、"
              f"过程中另占 {peak - after:.0f} MiB；最大的工作进程峰值 {worker:.0f} MiB")


if __name__ == "__main__":
    main()
