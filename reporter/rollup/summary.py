"""Everything a 通报 and a 督办通知 are made of, for one round: judgements, rollups, rankings, escalation."""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import chain, count, repeat
from operator import attrgetter
from typing import Any, Mapping

import numpy as np

from ..memory import gc_paused
from ..model import findings as F
from ..model.round_ledger import TOTAL, RoundLedger, RoundRow
from ..model.targets import Aggregation, TargetKind, parse_target
from .rankings import Ranked, rank, top_and_bottom
from .regions import RegionValue, compare_totals, leaf_value, rollup_regions
from .suspect import HeldValue, hold_out
from .status import (STATUS_OBJECTS, LAGGING, LAGGING_CODES, STATUSES, Judgement, JudgementTable, Status,
                     Thresholds, judge, judge_round, rows_by_task, shown)


_TEXT = {s: s.value for s in Status}
_owner = attrgetter("owner")


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
    judgements: Mapping[tuple[str, str], Judgement]  # a JudgementTable from summarise; any mapping will do
    tasks: dict[str, Judgement]  # task-level judgement: the whole-task row, else the rolled-up top region
    rolled: dict[tuple[str, str], RegionValue]
    consecutive: dict[tuple[str, str], int]
    escalation: Escalation
    findings: F.Findings = field(default_factory=F.Findings)
    held: list[HeldValue] = field(default_factory=list)  # suspect figures kept out of every total
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

    def task_figure(self, task) -> tuple[float | None, str]:
        """累计完成 of the whole task and, when it has none, what to write instead: the lead's own row, else
        the rollup of its regions; a qualitative task's count of regions done ('6 个县市区中 4 个已完成'); a
        rate its regions gave no 分子/分母 for says why; else a qualitative task's reported status."""
        row = self.round_ledger.rows.get((task.code, TOTAL))
        value = figure(task.target, row.value) if row else None
        text = shown_status(task.target, row.status) if row else ""
        if value is None and task.region_targets:
            whole = self.ledger.whole_region(task)
            node = self.rolled.get((task.code, whole.code)) if whole else None
            if node is not None:
                value = node.value
                if value is None and node.note and (not text or _counted(task)):
                    text = node.note
        return value, text

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
        table = self._table()
        if table is not None:
            return self._region_arrays(table, depth, lists=True)
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
        table = self._table()
        groups = self._region_arrays(table, depth, lists=False) if table is not None else self.region_groups(depth)
        ranked = rank(groups)
        return [Ranked(self.region_name(r.name), r.score, r.rank, r.rows) for r in ranked]

    def _table(self) -> JudgementTable | None:
        return self.judgements if isinstance(self.judgements, JudgementTable) else None

    def _region_arrays(self, table: JudgementTable, depth: int, lists: bool):
        """region_groups from the status arrays: statuses (lists=True) or counts per status, by region code."""
        tree = self.ledger.regions
        gid: dict[str, int] = {}  # region code at `depth` → group number
        by_shape: dict[tuple[str, ...], np.ndarray] = {}  # tasks split to the same regions share one
        groups, codes = [], []
        for block in table.blocks:
            index = by_shape.get(block.regions)
            if index is None:
                index = np.empty(len(block.regions), dtype=np.intp)
                for i, region in enumerate(block.regions):
                    path = (*tree.chain(region), region) if region != TOTAL else ()
                    index[i] = gid.setdefault(path[depth], len(gid)) if len(path) > depth else -1
                by_shape[block.regions] = index
            groups.append(index)
            codes.append(block.status)
        g = np.concatenate(groups) if groups else np.empty(0, dtype=np.intp)
        st = np.concatenate(codes) if codes else np.empty(0, dtype=np.int8)
        keep = g >= 0
        g, st = g[keep], st[keep].astype(np.intp)
        names = list(gid)
        found, first = np.unique(g, return_index=True)
        order = found[np.argsort(first, kind="stable")].tolist()  # groups as the rows first name them
        if not lists:
            counts = np.bincount(g * len(STATUSES) + st, minlength=len(gid) * len(STATUSES)).reshape(-1, len(STATUSES))
            return {names[k]: {STATUSES[s]: int(n) for s, n in enumerate(counts[k].tolist()) if n} for k in order}
        sort = np.argsort(g, kind="stable")
        statuses = STATUS_OBJECTS[st[sort]].tolist()
        ends = np.cumsum(np.bincount(g, minlength=len(gid))).tolist()
        out: dict[str, list[Status]] = defaultdict(list)
        for k in order:
            out[names[k]] = statuses[(ends[k - 1] if k else 0):ends[k]]
        return out

    def unit_ranking(self) -> list[Ranked]:
        with gc_paused():
            return self._unit_ranking()

    def _unit_ranking(self) -> list[Ranked]:
        table = self._table()
        if table is not None:  # rows counted by (owner, status) from the arrays
            number = defaultdict(count().__next__)  # owner → 0, 1, 2… as first met
            owners = np.fromiter(map(number.__getitem__, chain.from_iterable(map(_owner, b.rows) for b in table.blocks)),
                                 dtype=np.intp)
            codes = np.concatenate([b.status for b in table.blocks]).astype(np.intp) if table.blocks else owners
            n = len(STATUSES)
            counts = np.bincount(owners * n + codes, minlength=len(number) * n).reshape(-1, n)
            names = list(number)
            pairs = {(names[o], STATUSES[s]): int(counts[o, s]) for o, s in zip(*np.nonzero(counts))}
        else:
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
        table = self._table()
        if table is not None:
            return self._lagging_arrays(table)
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
                "年度目标": target.raw if target else "", "累计完成": figure(target, row.value),
                "完成率": _shown(judgement.completion),
                "序时进度": shown(judgement.time_progress), "差距": judgement.gap, "连续滞后轮次": runs,
                "督办级别": self.escalation.level(runs), "存在问题": row.problems, "说明": judgement.reason,
            })
        out.sort(key=lambda r: (r["差距"] is None, r["差距"] if r["差距"] is not None else 0))
        return out

    def _lagging_arrays(self, table: JudgementTable) -> list[dict[str, Any]]:
        """_lagging from the status arrays: the same rows, made only for the lagging rows and sorted once."""
        tasks, regions, consecutive, labels = self.ledger.tasks, self.ledger.regions, self.consecutive, self._labels
        level = {}  # consecutive rounds → 督办级别
        names: dict[str, str] = {}
        out, gaps = [], []
        for block in table.blocks:
            which = np.flatnonzero(LAGGING_CODES[block.status]).tolist()
            if not which:
                continue
            code, task = block.task, tasks[block.task]
            lead, name_, targets, whole = self.label(task.lead), task.name, task.region_targets, None
            progress = shown(block.planned)  # 序时进度 as printed: the same for every row of a task
            for i, status, completion, gap, reason in zip(which, *block.fields(which)):
                region, row = block.regions[i], block.rows[i]
                name = names.get(region)
                if name is None:
                    found = regions.get(region) if region else None
                    name = names[region] = found.name if found else ""
                if not name:
                    name = whole = whole or self.whole_name(task)
                target = targets.get(region) if region else task.target
                runs = consecutive.get((code, region), 1)
                escalate = level.get(runs)
                if escalate is None:
                    escalate = level[runs] = self.escalation.level(runs)
                owner = labels.get(row.owner)
                if owner is None:
                    owner = self.label(row.owner)
                out.append({
                    "任务编号": code, "任务名称": name_, "地区": name, "牵头单位": lead, "责任单位": owner,
                    "状态": _TEXT[status], "年度目标": target.raw if target else "",
                    "累计完成": figure(target, row.value),
                    "完成率": completion, "序时进度": progress, "差距": gap, "连续滞后轮次": runs,
                    "督办级别": escalate, "存在问题": row.problems, "说明": reason,
                })
            gaps.append(block.gap[which])
        if not out:
            return out
        gap = np.concatenate(gaps)
        missing = np.isnan(gap)  # no gap: after those with one, in row order
        order = np.lexsort((np.where(missing, 0.0, gap), missing))
        return [out[i] for i in order.tolist()]

    def whole_name(self, task) -> str:
        """What a whole-task row is called: the region the task is split under, else the top region."""
        if task.code not in self._whole:
            self._whole[task.code] = self._whole_name(task)
        return self._whole[task.code]

    def _whole_name(self, task) -> str:
        whole = self.ledger.whole_region(task) if task.region_targets else None
        return self.ledger.whole_label(whole)


def summarise(rl: RoundLedger, thresholds: Thresholds = Thresholds(),
              consecutive: Mapping[tuple[str, str], int] | None = None,
              escalation: Escalation = Escalation()) -> Rollup:
    """Judge every row, roll decomposed tasks up the region tree and compare reported totals; suspect figures
    (rollup.suspect) are first moved out of the rows' values, so no total, judgement or document counts them."""
    with gc_paused():
        rows = rows_by_task(rl)  # one pass over the round's rows, shared by the hold-out, judging and rollup
        held = hold_out(rl, rows)
        judgements = judge_round(rl, thresholds, rows)
        findings = F.Findings()
        rolled = rollup_regions(rl, findings, leaves=False, rows=rows)
        compare_totals(rl, rolled, findings)
        tasks = {task.code: _task_judgement(rl, task, judgements, rolled, thresholds) for task in rl.ledger}
        # without history, a lagging row has lagged for this round at least
        lagging = (key for b in judgements.blocks for key in zip(repeat(b.task),
                   map(b.regions.__getitem__, np.flatnonzero(LAGGING_CODES[b.status]).tolist())))
        runs = dict(consecutive or {})
        if runs:
            for key in lagging:
                runs.setdefault(key, 1)
        else:
            runs = dict.fromkeys(lagging, 1)
    return Rollup(rl, judgements, tasks, rolled, runs, escalation, findings, held)


def _task_judgement(rl: RoundLedger, task, judgements, rolled, thresholds) -> Judgement:
    """The whole-task row when the lead reported its figure; else the rollup of its regions against the target
    (a qualitative task: the share of its regions done against 序时进度, all done → 已完成).

    A lead's status word without a figure yields to its regions' figures (a quantity's, not a count of regions
    done) when every region reported, or when the figures contradict the word ('未启动' on a blank row while
    the counties report 43%): a sum over some regions is only a floor, so it may lift a lagging word but never
    lower a word that is not."""
    own = judgements[(task.code, TOTAL)]
    if not task.region_targets or (own.status is not Status.NOT_REPORTED and own.basis != "status"):
        return own
    whole = rl.ledger.whole_region(task)
    node = rolled.get((task.code, whole.code)) if whole else None
    regions = _from_regions(rl, task, node, thresholds)
    if regions is None or own.status is Status.NOT_REPORTED:
        return regions or own
    if node.value is None:  # a qualitative task: its lead's word, not a count of regions done, says how it goes
        return own
    every = node.reported >= node.expected
    started = own.status is Status.NOT_STARTED and bool(node.value)
    return regions if every or started or (own.status.lagging and not regions.status.lagging) else own


def _from_regions(rl: RoundLedger, task, node, thresholds) -> Judgement | None:
    """The task judged on its regions' rollup, None when they give no figure."""
    if node is not None and node.value is None and _counted(task) and node.reported:
        proxy = RoundRow(task.code, TOTAL, owner=task.lead, submitter="（下级汇总）",
                         value=100.0 * node.met / node.expected)
        return judge(task, ALL_DONE, proxy, rl.round, thresholds)
    if node is None or node.value is None:
        return None
    proxy = RoundRow(task.code, TOTAL, owner=task.lead, submitter="（下级汇总）", value=node.value)
    return judge(task, task.target, proxy, rl.round, thresholds)


def _shown(percent: float | None) -> float | None:
    """完成率 as printed (41.4, not 41.30434782608695): the lists are written to workbooks as they are."""
    return None if percent is None else shown(percent)


def figure(target, value: float | None) -> float | None:
    """累计完成 as outputs show it: a qualitative target (全覆盖, 应保尽保) is never shown as a number — a 0 or 1 a
    unit typed there stays in 本轮台帐 as written, the documents show the reported status instead."""
    return None if target is not None and target.kind is TargetKind.QUALITATIVE else value


def shown_status(target, status: str | None) -> str:
    """What a blank 累计完成 shows: a qualitative target's reported 进展状态; a quantitative one left blank shows
    nothing there ('' → '—'), as its status has a column of its own."""
    return (status or "") if target is not None and target.kind is TargetKind.QUALITATIVE else ""


ALL_DONE = parse_target("100%")  # a qualitative task split to regions is done when every region is


def _counted(task) -> bool:
    return task.indicator is not None and task.indicator.aggregation is Aggregation.COUNT_MET
