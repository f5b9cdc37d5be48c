"""Benchmark `reporter run` on the sample year: each step's time and share, beside a baseline's.

    python bench/bench_run.py [--format docx,pdf] [--baseline REV | --baseline saved.json] [--save now.json]
                              [--repeat 1] [--no-rerun] [--profile 0]

bench/baseline-run-e729a47.json: main before issue 18 (2026-12-06, load 1.1): 22.8 s, of which 督办通知 12.3 s;
pass it as --baseline. Wall times on a shared machine follow its load: compare CPU seconds, or runs side by side.
Side by side at load ≈ 6 (2026-12-06 22:58, --baseline 4b0f97c): 7666f06 16.6 s, CPU 16.5 s (督办通知 8.0 s,
CPU 7.6; 月度通报 2.8 s) against 32.6 s, CPU 30.0 s — the 版记 laid out once (banji), the trimmed stylesheet,
the collector paused and jieba/WeasyPrint loaded once before the document processes are forked.

For each tree measured (this one; the baseline revision checked out into a temporary git worktree) a fresh
process imports `reporter` from that tree, writes the sample submissions (`api.sample`) into a temporary
workspace and times `api.run` on them, step by step, through the run's progress reports; then runs it again
on the same inputs (重跑: a rerun of an unchanged round). With --repeat N each figure is the median of N
runs. Prints `uptime` before and after: the machine is shared, so read the figures with its load; the CPU
seconds (worker processes included) are less swayed by it than the wall times. A worker's CPU counts in the step
during which it was reaped: the 参阅件, written aside, may show under 督办通知; the total is exact.
--profile N prints the N functions with the most cumulative time in the first run (cProfile, this tree).
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parents[1]
LEDGER = "ledgers/sample/2025年民生实事任务台帐.xlsx"
OFFICES = ("reporter/templates/office.toml", "templates/office.toml")  # package data now; older revisions
ROUND = "2025-05"
STEPS = ("台帐检查", "填报模板", "汇总报送", "汇总分析", "月度通报", "督办通知", "领导参阅", "邮件草稿")

# Runs in the measured tree's own interpreter process; uses only api.sample and api.run, which every
# revision since the progress reports has, so an older revision can be measured the same way.
CHILD = r"""
import cProfile, io, json, pstats, resource, sys, tempfile, time
start = time.perf_counter()
from reporter import api
imported = time.perf_counter() - start
ledger, office, rnd, formats, runs, profile = sys.argv[1:7]

def cpu():  # this process and its finished workers (a step's pool is joined when the step ends)
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime

class Timer:
    def __init__(self):
        self.began, self.seconds, self.cpu, self.notes = {}, {}, {}, {}
    def start(self, step, total=None):
        self.began.setdefault(step, (time.perf_counter(), cpu()))
    def advance(self, step, done=1):
        pass
    def finish(self, step, note="", ok=True):
        wall, used = self.began.get(step, (time.perf_counter(), cpu()))
        self.seconds[step], self.cpu[step] = time.perf_counter() - wall, cpu() - used
        self.notes[step] = note

out = {"import": imported, "runs": []}
with tempfile.TemporaryDirectory() as ws:
    sample = api.sample(ledger, rnd, ws)
    for i in range(int(runs)):
        timer, prof = Timer(), cProfile.Profile() if int(profile) and i == 0 else None
        t0, c0 = time.perf_counter(), cpu()
        if prof:
            prof.enable()
        result = api.run(ledger, rnd, ws, submissions=sample.folder, office=office, progress=timer,
                         formats=tuple(formats.split(",")))
        if prof:
            prof.disable()
        out["runs"].append({"total": time.perf_counter() - t0, "cpu_total": cpu() - c0, "steps": timer.seconds,
                            "cpu": timer.cpu, "notes": timer.notes,
                            "failed": result.failed, "documents": len(result.documents)})
        if prof:
            text = io.StringIO()
            pstats.Stats(prof, stream=text).sort_stats("cumulative").print_stats(int(profile))
            out["profile"] = text.getvalue()
print("BENCH-JSON " + json.dumps(out, ensure_ascii=False))
"""


def measure(tree: Path, formats: str, runs: int, profile: int = 0) -> dict:
    """One process in `tree`: import time, then `runs` runs of the sample round (the first fresh)."""
    python = HERE / ".venv" / "bin" / "python"
    python = python if python.exists() else Path(sys.executable)
    env = {**_env(), "PYTHONPATH": str(tree)}
    office = next((o for o in OFFICES if (tree / o).is_file()), OFFICES[0])
    done = subprocess.run([str(python), "-c", CHILD, LEDGER, office, ROUND, formats, str(runs), str(profile)],
                          cwd=tree, env=env, capture_output=True, text=True)
    line = next((ln for ln in done.stdout.splitlines() if ln.startswith("BENCH-JSON ")), None)
    if done.returncode or line is None:
        sys.exit(f"在 {tree} 中运行失败：\n{done.stderr[-3000:]}")
    return json.loads(line.removeprefix("BENCH-JSON "))


def _env() -> dict:
    import os

    return {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}


def median_of(samples: list[dict], rerun: bool) -> dict:
    """Per step median over processes; `rerun` picks each process's second run, else its first."""
    picked = [s["runs"][1 if rerun else 0] for s in samples]
    names = list(dict.fromkeys(name for p in picked for name in p["steps"]))
    return {"total": statistics.median(p["total"] for p in picked),
            "cpu_total": statistics.median(p.get("cpu_total", 0.0) for p in picked),
            "steps": {n: statistics.median(p["steps"].get(n, 0.0) for p in picked) for n in names},
            "cpu": {n: statistics.median(p.get("cpu", {}).get(n, 0.0) for p in picked) for n in names},
            "notes": picked[0]["notes"], "failed": picked[0]["failed"], "documents": picked[0]["documents"]}


def summarise(samples: list[dict], label: str) -> dict:
    figures = {"label": label, "import": statistics.median(s["import"] for s in samples),
               "run": median_of(samples, rerun=False)}
    if len(samples[0]["runs"]) > 1:
        figures["rerun"] = median_of(samples, rerun=True)
    return figures


def baseline_tree(rev: str, stack) -> Path:
    """`rev` checked out (detached) into a temporary worktree, removed on exit."""
    folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-baseline-"))) / "tree"
    subprocess.run(["git", "-C", str(HERE), "worktree", "add", "--detach", "--quiet", str(folder), rev], check=True)
    stack.callback(subprocess.run, ["git", "-C", str(HERE), "worktree", "remove", "--force", str(folder)],
                   check=False)
    return folder


def revision(tree: Path) -> str:
    done = subprocess.run(["git", "-C", str(tree), "log", "-1", "--format=%h %s"], capture_output=True, text=True)
    dirty = subprocess.run(["git", "-C", str(tree), "status", "--porcelain", "--untracked-files=no"],
                           capture_output=True, text=True).stdout.strip()
    return (done.stdout.strip()[:60] or str(tree)) + ("（有未提交的修改）" if dirty else "")


def width(text: str) -> int:
    return len(text) + sum(ord(c) > 0x2E80 for c in text)  # CJK characters take two columns


def cell(text: str, size: int, left: bool = False) -> str:
    pad = " " * max(size - width(text), 0)
    return text + pad if left else pad + text


def table(title: str, now: dict, base: dict | None) -> None:
    print(f"\n{title}")
    head = cell("步骤", 12, True) + cell("本次(s)", 10) + cell("占比", 7) + cell("CPU(s)", 9)
    if base:
        head += cell("基线(s)", 10) + cell("占比", 7) + cell("CPU(s)", 9) + cell("变化", 8)
    print(head)
    names = [n for n in STEPS if n in now["steps"] or (base and n in base["steps"])]
    for name in names:
        a = now["steps"].get(name)
        row = (cell(name, 12, True) + cell(_s(a), 10) + cell(_share(a, now["total"]), 7)
               + cell(_s(now.get("cpu", {}).get(name)), 9))
        if base:
            b = base["steps"].get(name)
            row += (cell(_s(b), 10) + cell(_share(b, base["total"]), 7) + cell(_s(base.get("cpu", {}).get(name)), 9)
                    + cell(_ratio(a, b), 8))
        print(row + ("   " + now["notes"].get(name, "") if name in now["notes"] else ""))
    total = (cell("合计", 12, True) + cell(_s(now["total"]), 10) + cell("100%", 7)
             + cell(_s(now.get("cpu_total")), 9))
    if base:
        total += (cell(_s(base["total"]), 10) + cell("100%", 7) + cell(_s(base.get("cpu_total")), 9)
                  + cell(_ratio(now["total"], base["total"]), 8))
    print(total + f"   {now['documents']} 个文件" + (f"，失败：{'、'.join(now['failed'])}" if now["failed"] else ""))


def _s(value: float | None) -> str:
    return "—" if not value and value != 0.0 else f"{value:.2f}"


def _share(value: float | None, total: float) -> str:
    return "—" if value is None or not total else f"{100 * value / total:.0f}%"


def _ratio(now: float | None, base: float | None) -> str:
    return "—" if not now or not base else f"×{now / base:.2f}"


def uptime() -> str:
    try:
        return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    except OSError:
        return "（无 uptime）"


def main() -> None:
    from contextlib import ExitStack

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--format", default="docx,pdf", help="公文格式（默认 docx,pdf）")
    ap.add_argument("--baseline", help="对照：git 版本（如 main、HEAD~3），或 --save 存下的 .json 文件")
    ap.add_argument("--save", type=Path, help="把本次的数字存为 .json，供以后作 --baseline")
    ap.add_argument("--repeat", type=int, default=1, help="每个版本运行几个进程，取中位数（默认 1）")
    ap.add_argument("--no-rerun", action="store_true", help="不测同一输入的第二次运行")
    ap.add_argument("--profile", type=int, default=0, help="打印本次首次运行中累计耗时最多的 N 个函数")
    args = ap.parse_args()
    runs = 1 if args.no_rerun else 2
    load = [uptime()]
    print(f"负载（开始）：{load[0]}")
    with ExitStack() as stack:
        base = None
        if args.baseline and Path(args.baseline).is_file():
            base = json.loads(Path(args.baseline).read_text(encoding="utf-8"))
        elif args.baseline:
            tree = baseline_tree(args.baseline, stack)
            base = summarise([measure(tree, args.format, runs) for _ in range(args.repeat)], revision(tree))
        samples = [measure(HERE, args.format, runs, args.profile if i == 0 else 0) for i in range(args.repeat)]
    now = summarise(samples, revision(HERE))
    load.append(uptime())
    now["uptime"] = load
    print(f"负载（结束）：{load[1]}")
    print(f"\n本次：{now['label']}（导入 {now['import']:.2f} s）")
    if base:
        print(f"基线：{base['label']}（导入 {base['import']:.2f} s）")
        if base.get("uptime"):
            print(f"基线测量时的负载：{base['uptime'][0]}")
    table(f"首次运行 reporter run --format {args.format}（样例年度 {ROUND}，{args.repeat} 次取中位数）",
          now["run"], base and base["run"])
    if "rerun" in now:
        table("重跑（输入未变）", now["rerun"], base and base.get("rerun"))
    if samples[0].get("profile"):
        print("\n" + samples[0]["profile"])
    if args.save:
        args.save.write_text(json.dumps(now, ensure_ascii=False, indent=2), encoding="utf-8")
        print(f"已存：{args.save}")


if __name__ == "__main__":
    main()
