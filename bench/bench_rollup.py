"""Benchmark the rollup at national scale: 31 provinces, ~2,900 county-level regions, 200 tasks ≈ 600k rows.

    python bench/bench_rollup.py [--tasks 200]

Prints the time of each step and the total beside the issue's target (under 5 s on this 2-core machine).
"""
from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from reporter.model.regions import RegionTree  # noqa: E402
from reporter.model.round_ledger import RoundLedger, RoundRow, expected_rows  # noqa: E402
from reporter.model.schedule import Round, parse_deadline  # noqa: E402
from reporter.model.targets import Aggregation, Direction, Indicator, parse_target  # noqa: E402
from reporter.model.tasks import AnnualLedger, Task  # noqa: E402
from reporter.model.units import UnitDirectory  # noqa: E402
from reporter.rollup.summary import summarise  # noqa: E402

TARGET_SECONDS = 5.0


def national_tree(provinces=31, cities=10, counties=9.4) -> RegionTree:
    rng = random.Random(1)
    rows = [{"code": "000000", "name": "全国", "parent": ""}]
    for p in range(provinces):
        pc = f"{11 + p:02d}0000"
        rows.append({"code": pc, "name": f"省{p}", "parent": "000000"})
        for c in range(cities):
            cc = f"{11 + p:02d}{c + 1:02d}00"
            rows.append({"code": cc, "name": f"省{p}市{c}", "parent": pc})
            for k in range(rng.choice([8, 9, 10, 11]) if counties else 0):
                rows.append({"code": f"{11 + p:02d}{c + 1:02d}{k + 1:02d}", "name": f"省{p}市{c}县{k}", "parent": cc})
    return RegionTree.from_rows(rows)


def national_round(n_tasks: int) -> RoundLedger:
    tree = national_tree()
    leaves = [r.code for r in tree if not r.code.endswith("00")]
    rng = random.Random(2)
    deadline = parse_deadline("年底前", 2025)
    tasks = {}
    for i in range(n_tasks):
        unit = "%" if i % 5 == 0 else "个"
        agg = Aggregation.MAX if i % 5 == 0 else Aggregation.SUM
        target = parse_target("95" if unit == "%" else "100000", unit)
        t = Task(f"T{i:03d}", f"任务{i}", target=target, lead=f"部门{i % 20}", deadline=deadline,
                 indicator=Indicator(f"指标{i}", unit, Direction.HIGHER, None, agg))
        leaf_target = parse_target("95" if unit == "%" else "40", unit)
        t.region_targets = dict.fromkeys(leaves, leaf_target)
        t.region_units = {leaf: f"{leaf}政府" for leaf in leaves}
        tasks[t.code] = t
    ledger = AnnualLedger(2025, tasks, UnitDirectory(), tree)
    rl = RoundLedger(ledger, ledger.round(Round(2025, 5)), rows=expected_rows(ledger))
    for key, row in rl.rows.items():
        if key[1] and rng.random() > 0.02:
            value = rng.uniform(80, 100) if key[0].endswith(("0", "5")) else rng.uniform(0, 40)
            rl.rows[key] = RoundRow(key[0], key[1], owner=row.owner, submitter=row.owner, value=value)
    return rl


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--tasks", type=int, default=200)
    args = ap.parse_args()
    start = time.perf_counter()
    rl = national_round(args.tasks)
    built = time.perf_counter() - start
    regions = len(rl.ledger.regions)
    print(f"数据：{regions} 个地区，{args.tasks} 项任务，{len(rl.rows):,} 行（构造 {built:.1f} s，不计入）")
    steps: list[tuple[str, float]] = []

    def timed(label, work):
        start = time.perf_counter()
        result = work()
        steps.append((label, time.perf_counter() - start))
        return result

    # everything `reporter rollup` needs from the rollup: judgements, region rollups, rankings, groupings and the
    # list of lagging rows (real dicts, as the workbook and the 通报 read them)
    ro = timed("判断+逐级汇总", lambda: summarise(rl))
    regions_ranked = timed("地区排名", lambda: ro.region_ranking(1))
    timed("单位排名", ro.unit_ranking)
    timed("分单位+分领域", lambda: (ro.by_unit(), ro.by_domain()))
    lagging = timed("滞后清单", ro.lagging)
    total = sum(t for _, t in steps)
    print(f"{'步骤':<24}{'耗时(s)':>10}")
    for label, seconds in steps:  # CJK characters take two columns
        print(f"{label:<{24 - sum(ord(c) > 0x2E80 for c in label)}}{seconds:>10.2f}")
    print(f"{'合计':<22}{total:>10.2f}   目标 < {TARGET_SECONDS:.0f} s：{'达到' if total < TARGET_SECONDS else '未达到'}")
    print(f"滞后行 {len(lagging):,}，省级排名 {len(regions_ranked)} 个")

if __name__ == "__main__":
    main()
