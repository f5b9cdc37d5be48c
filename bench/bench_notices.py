"""Benchmark the 督办通知: 100 notices (Word, PDF and 回执) from a synthetic round.

    python bench/bench_notices.py [--units 100] [--tasks 8] [--workers 2] [--serial 5]

A province of `units` county governments, `tasks` tasks split to every county, about half the rows behind
schedule: every county gets one notice. Prints the time to build the notices' content, to write the docx
(goal: 100 under 3 s; written without their PDFs, the notices are laid out once, no PDF written, to place
each 版记 as the PDF would: render/formats.py) here and in `workers` processes, the 回执, and the PDFs in `workers` processes (laid out
in batches, goal: 100 under 5 s), beside the time of `serial` PDFs rendered alone one by one here; with the CPU
seconds (worker processes included), which a busy machine does not inflate as it does wall time, and `uptime`.
Building the round is not counted.
"""
from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from reporter.model.regions import RegionTree  # noqa: E402
from reporter.model.round_ledger import RoundLedger, RoundRow, expected_rows  # noqa: E402
from reporter.model.schedule import Round, parse_deadline  # noqa: E402
from reporter.model.targets import Aggregation, Direction, Indicator, parse_target  # noqa: E402
from reporter.model.tasks import AnnualLedger, Task  # noqa: E402
from reporter.model.units import Unit, UnitDirectory, UnitKind  # noqa: E402
from reporter.render.notices import build_notices, load_notice_settings, write_notices  # noqa: E402
from reporter.rollup.summary import summarise  # noqa: E402

DOCX_GOAL = 3.0  # seconds for 100 docx
PDF_GOAL = 5.0  # seconds for 100 PDFs (issue 18)
TASKS = ["新建改扩建公办幼儿园", "老旧小区改造", "新增城镇就业", "社区嵌入式养老服务设施", "农村公路提档升级",
         "新建城市书房", "公共体育设施补短板", "婴幼儿照护服务托位", "雨污分流改造", "新增停车泊位"]


def synthetic_round(n_units: int, n_tasks: int) -> RoundLedger:
    counties = [f"{4290 + i // 100:04d}{i % 100:02d}" for i in range(n_units)]
    rows = [{"code": "420000", "name": "湖北省", "parent": ""}]
    rows += [{"code": code, "name": f"第{i + 1}县", "parent": "420000"} for i, code in enumerate(counties)]
    tree = RegionTree.from_rows(rows)
    units = UnitDirectory.of(
        [Unit(f"第{i + 1}县人民政府", f"第{i + 1}县政府", kind=UnitKind.REGION, region=code)
         for i, code in enumerate(counties)] + [Unit("湖北省民政厅", "省民政厅")])
    deadline = parse_deadline("年底前", 2025)
    tasks = {}
    for t in range(n_tasks):
        task = Task(f"MS2025-{t + 1:03d}", TASKS[t % len(TASKS)], target=parse_target("1000", "个"),
                    lead="湖北省民政厅", deadline=deadline,
                    indicator=Indicator(TASKS[t % len(TASKS)], "个", Direction.HIGHER, None, Aggregation.SUM))
        task.region_targets = dict.fromkeys(counties, parse_target("100", "个"))
        task.region_units = {code: f"第{i + 1}县人民政府" for i, code in enumerate(counties)}
        tasks[task.code] = task
    ledger = AnnualLedger(2025, tasks, units, tree)
    rl = RoundLedger(ledger, ledger.round(Round(2025, 5)), rows=expected_rows(ledger))
    rng = random.Random(5)
    for key, row in rl.rows.items():
        value = rng.uniform(45, 60) if key[1] and rng.random() < 0.5 else rng.uniform(5, 38)
        rl.rows[key] = RoundRow(key[0], key[1], owner=row.owner, submitter=row.owner, value=round(value))
    return rl


def timed(work) -> tuple[object, float]:
    start = time.perf_counter()
    value = work()
    return value, time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--units", type=int, default=100, help="县级政府数（每个一份通知）")
    ap.add_argument("--tasks", type=int, default=8, help="分解到各县的任务数")
    ap.add_argument("--workers", type=int, default=2, help="生成 Word 和 PDF 的进程数")
    ap.add_argument("--serial", type=int, default=5, help="另在本进程逐份生成几份 PDF 作对照（0 为不测）")
    args = ap.parse_args()
    ro = summarise(synthetic_round(args.units, args.tasks))
    settings = load_notice_settings()
    notices, built = timed(lambda: build_notices(ro, settings))
    rows = sum(len(n.rows) for n in notices)
    print(f"数据：{len(notices)} 份通知，共 {rows} 行滞后任务（每份 {rows / max(len(notices), 1):.1f} 行）")
    n, goal = len(notices), DOCX_GOAL * len(notices) / 100
    with tempfile.TemporaryDirectory() as tmp:
        def run(name: str, formats: tuple[str, ...], workers: int):
            return timed(lambda: write_notices(ro, Path(tmp) / name, formats=formats, workers=workers))

        before = cpu_seconds()
        serial_docx, _ = run("docx1", ("docx",), 1)
        docx_cpu = cpu_seconds() - before
        pool_docx, _ = run("docx2", ("docx",), args.workers)
        pool_docx_cpu = cpu_seconds() - before - docx_cpu
        before = cpu_seconds()
        pool_pdf, whole = run("pdf", ("pdf",), args.workers)
        pdf_cpu = cpu_seconds() - before
        serial, serial_cpu = _serial(notices, Path(tmp) / "serial", args.serial)
    print(f"负载：{uptime()}")
    print(f"{'步骤':<22}{'耗时(s)':>10}{'每份(ms)':>10}")
    line("内容（模板）", built, n)
    for label, seconds, cpu in (("Word（本进程）", serial_docx.seconds["文档"], docx_cpu),
                                (f"Word（{args.workers} 进程）", pool_docx.seconds["文档"], pool_docx_cpu)):
        line(label, seconds, n, f"目标 {n} 份 < {goal:.1f} s：{'达到' if seconds < goal else '未达到'}；"
             f"CPU {cpu:.2f} s（连同回执，含子进程；含为定版记位置的排版）")
    line("回执（xlsx）", serial_docx.seconds["回执"], n)
    pdf, pdf_goal = pool_pdf.seconds["文档"], PDF_GOAL * n / 100
    line(f"PDF（{args.workers} 进程）", pdf, n, f"目标 {n} 份 < {pdf_goal:.1f} s：{'达到' if pdf < pdf_goal else '未达到'}；"
         f"连同回执、清单、压缩包 {whole:.2f} s，CPU {pdf_cpu:.2f} s（含子进程）")
    if serial:
        line("PDF（本进程，逐份）", serial * n, n, f"按逐份生成 {args.serial} 份推算，CPU {serial_cpu * n:.2f} s")


def cpu_seconds() -> float:
    """CPU time of this process and its finished worker processes."""
    import resource

    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def uptime() -> str:
    import subprocess

    try:
        return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    except OSError:
        return "（无 uptime）"


def line(label: str, seconds: float, n: int, note: str = "") -> None:
    pad = 20 - sum(ord(c) > 0x2E80 for c in label)  # CJK characters are two columns wide
    print(f"{label:<{pad}}{seconds:>10.2f}{1000 * seconds / max(n, 1):>10.0f}   {note}".rstrip())


def _serial(notices, folder: Path, count: int) -> tuple[float, float]:
    """Seconds and CPU seconds per PDF rendered alone, one after another here (the first, which loads fonts,
    not counted)."""
    from reporter.render.pdf_gongwen import write_pdf

    if count <= 0:
        return 0.0, 0.0
    folder.mkdir()
    write_pdf(notices[0].document, folder / "warm.pdf")
    before = cpu_seconds()
    _, seconds = timed(lambda: [write_pdf(n.document, folder / f"{i}.pdf") for i, n in enumerate(notices[:count])])
    done = min(count, len(notices))
    return seconds / done, (cpu_seconds() - before) / done


if __name__ == "__main__":
    main()
