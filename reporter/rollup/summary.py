"""Everything a 通报 and a 督办通知 are made of, for one round: judgements, rollups, rankings, escalation."""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any, Mapping

from ..memory import gc_paused
from ..ledger.round import TOTAL, RoundLedger, RoundRow
from ..model import findings as F
from .rankings import Ranked, rank, top_and_bottom
from .regions import RegionValue, compare_totals, leaf_value, rollup_regions_async
from .status import LAGGING, Judgement, Status, Thresholds, judge, judge_round


@dataclass(frozen=True)
class Escalation:
    """Consecutive lagging rounds → 提醒 / 督办 / 通报 (reporter.toml [escalation])."""

    remind: int = 1
    supervise: int = 2
    publicise: int = 3

    @classmethod
    def from_config(cls, section: Mapping[str, Any]) -> "Escalation":
        return cls(**{k: int(section[k]) for k in ("remind", "supervise", "publicise") if k in section})

    def level(self, consecutive: int) -> str:
        if consecutive >= self.publicise:
            return "通报约谈"
        if consecutive >= self.supervise:
            return "督办"
        if consecutive >= self.remind:
            return "提醒"
        return ""


@dataclass
class Rollup:
    round_ledger: RoundLedger
    judgements: dict[tuple[str, str], Judgement]
    tasks: dict[str, Judgement]  # task-level judgement: the whole-task row, else the rolled-up top region
    rolled: dict[tuple[str, str], RegionValue]
    consecutive: dict[tuple[str, str], int]
    escalation: Escalation
    findings: F.Findings = field(default_factory=F.Findings)
    _labels: dict[str, str] = field(default_factory=dict, repr=False)
    _whole: dict[str, str] = field(default_factory=dict, repr=False)
    _by_task: dict[str, dict[str, RegionValue]] = field(default_factory=dict, repr=False)

    @property
    def ledger(self):
        return self.round_ledger.ledger

    def label(self, unit: str) -> str:
        if unit not in self._labels:  # cached: called once per row in rankings and lists
            found = self.ledger.units.match(unit) if unit else None
            self._labels[unit] = found.label if found else unit
        return self._labels[unit]

    def region_name(self, code: str) -> str:
        region = self.ledger.regions.get(code) if code else None
        return region.name if region else code

    # -- overview ------------------------------------------------------------------------------------
    def class_counts(self) -> dict[str, int]:
        counts = Counter(j.status for j in self.tasks.values())
        return {s.value: counts.get(s, 0) for s in Status}

    def overview(self) -> dict[str, Any]:
        n = len(self.tasks)
        counts = self.class_counts()
        done = counts["已完成"] + counts["提前完成"]
        on_track = done + counts["超序时"] + counts["按序时"]
        judged = n - counts["无法判断"]
        return {"任务数": n, "分类": counts, "已完成数": done,
                "完成率": round(100 * done / n, 1) if n else None,
                "序时达标率": round(100 * on_track / judged, 1) if judged else None,
                "滞后任务数": sum(1 for j in self.tasks.values() if j.status.lagging),
                "未报送单位数": len(self.round_ledger.missing)}

    # -- groupings -----------------------------------------------------------------------------------
    def by_unit(self) -> list[dict[str, Any]]:
        groups: dict[str, list[str]] = defaultdict(list)
        for task in self.ledger:
            groups[task.lead].append(task.code)
        return [self._group_row("单位", self.label(unit), codes) for unit, codes in groups.items() if unit]

    def by_domain(self) -> list[dict[str, Any]]:
        groups: dict[str, list[str]] = defaultdict(list)
        for task in self.ledger:
            groups[task.domain or "未分类"].append(task.code)
        return [self._group_row("领域", domain, codes) for domain, codes in groups.items()]

    def _group_row(self, kind: str, name: str, codes: list[str]) -> dict[str, Any]:
        statuses = [self.tasks[c].status for c in codes]
        counts = Counter(statuses)
        completions = [self.tasks[c].completion for c in codes if self.tasks[c].completion is not None]
        lagging = [c for c in codes if self.tasks[c].status.lagging]
        return {kind: name, "任务数": len(codes), **{s.value: counts.get(s, 0) for s in Status},
                "平均完成率": round(sum(completions) / len(completions), 1) if completions else None,
                "滞后任务": [self._lag_text(c) for c in lagging]}

    def _lag_text(self, code: str) -> str:
        j = self.tasks[code]
        gap = f"，落后序时 {-j.gap:.1f} 个百分点" if j.gap is not None and j.gap < 0 else ""
        return f"{code} {self.ledger.tasks[code].name}（{j.status.value}{gap}）"

    # -- regions -------------------------------------------------------------------------------------
    def task_nodes(self, task) -> dict[str, RegionValue]:
        """Region code → rolled value for a decomposed task: parents from the rollup, leaves from their rows."""
        if not self._by_task:
            for (code, region), node in self.rolled.items():
                self._by_task.setdefault(code, {})[region] = node
        out = {code: leaf_value(self.round_ledger, task, code) for code in task.region_targets}
        out.update(self._by_task.get(task.code, {}))
        return out

    def region_groups(self, depth: int) -> dict[str, list[Status]]:
        """Region code → statuses of the rows of that region and every region below it, at one tree depth."""
        tree = self.ledger.regions
        groups: dict[str, list[Status]] = defaultdict(list)
        for (task, region), judgement in self.judgements.items():
            if region == TOTAL:
                continue
            chain = (*tree.chain(region), region)
            if len(chain) > depth:
                groups[chain[depth]].append(judgement.status)
        return groups

    def region_ranking(self, depth: int = 1) -> list[Ranked]:
        ranked = rank(self.region_groups(depth))
        return [Ranked(self.region_name(r.name), r.score, r.rank, r.rows) for r in ranked]

    def unit_ranking(self) -> list[Ranked]:
        with gc_paused():
            return self._unit_ranking()

    def _unit_ranking(self) -> list[Ranked]:
        rows = self.round_ledger.rows
        pairs = Counter((rows[key].owner, j.status) for key, j in self.judgements.items())
        groups: dict[str, Counter] = defaultdict(Counter)
        for (owner, status), n in pairs.items():
            if owner:
                groups[self.label(owner)][status] += n
        return rank(groups)

    def top_bottom(self, ranked: list[Ranked], n: int = 3):
        return top_and_bottom(ranked, n)

    # -- lagging -------------------------------------------------------------------------------------
    def lagging(self) -> list[dict[str, Any]]:
        with gc_paused():
            return self._lagging()

    def _lagging(self) -> list[dict[str, Any]]:
        """Lagging rows, most behind first (rows with no gap after those with one)."""
        rows, tasks, regions = self.round_ledger.rows, self.ledger.tasks, self.ledger.regions
        names: dict[str, str] = {}
        out = []
        for key, judgement in self.judgements.items():
            if judgement.status not in LAGGING:
                continue
            code, region = key
            row, task = rows[key], tasks[code]
            if region not in names:
                names[region] = regions.get(region).name if region and regions.get(region) else ""
            target = task.target if region == TOTAL else task.region_targets.get(region)
            runs = self.consecutive.get(key, 1)
            out.append({
                "任务编号": code, "任务名称": task.name, "地区": names[region] or self.whole_name(task),
                "牵头单位": self.label(task.lead), "责任单位": self.label(row.owner), "状态": judgement.status.value,
                "年度目标": target.raw if target else "", "累计完成": row.value, "完成率": judgement.completion,
                "序时进度": judgement.time_progress, "差距": judgement.gap, "连续滞后轮次": runs,
                "督办级别": self.escalation.level(runs), "存在问题": row.problems, "说明": judgement.reason,
            })
        out.sort(key=lambda r: (r["差距"] is None, r["差距"] if r["差距"] is not None else 0))
        return out

    def whole_name(self, task) -> str:
        """What a whole-task row is called: the region the task is split under, else the top region."""
        if task.code not in self._whole:
            self._whole[task.code] = self._whole_name(task)
        return self._whole[task.code]

    def _whole_name(self, task) -> str:
        whole = self.ledger.whole_region(task) if task.region_targets else None
        if whole is None:
            roots = self.ledger.regions.roots()
            whole = roots[0] if len(roots) == 1 else None
        return f"{whole.name}（全部）" if whole else "（全部）"


def summarise(rl: RoundLedger, thresholds: Thresholds = Thresholds(),
              consecutive: Mapping[tuple[str, str], int] | None = None,
              escalation: Escalation = Escalation()) -> Rollup:
    """Judge every row, roll decomposed tasks up the region tree and compare reported totals."""
    with gc_paused():
        rolling = rollup_regions_async(rl)  # forked for national-scale rounds: overlaps the judging
        judgements = judge_round(rl, thresholds)
        rolled, findings = rolling()
        compare_totals(rl, rolled, findings)
        tasks = {task.code: _task_judgement(rl, task, judgements, rolled, thresholds) for task in rl.ledger}
    runs = dict(consecutive or {})
    for key, j in judgements.items():  # without history, a lagging row has lagged for this round at least
        if j.status.lagging:
            runs.setdefault(key, 1)
    return Rollup(rl, judgements, tasks, rolled, runs, escalation, findings)


def _task_judgement(rl: RoundLedger, task, judgements, rolled, thresholds) -> Judgement:
    """The whole-task row when the lead reported it; else the rollup of its regions against the target."""
    own = judgements[(task.code, TOTAL)]
    if own.status is not Status.NOT_REPORTED or not task.region_targets:
        return own
    whole = rl.ledger.whole_region(task)
    node = rolled.get((task.code, whole.code)) if whole else None
    if node is None or node.value is None:
        return own
    proxy = RoundRow(task.code, TOTAL, owner=task.lead, submitter="（下级汇总）", value=node.value)
    return judge(task, task.target, proxy, rl.round, thresholds)
