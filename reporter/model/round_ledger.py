"""The merged round (本轮合并台帐): one row per task × region with values and where each came from."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Iterator

from .findings import Findings, cell_ref
from .schedule import Round
from .tasks import AnnualLedger, Task

TOTAL = ""  # region key of a task's own (whole-office) row


@dataclass(frozen=True)
class Provenance:
    file: str
    sheet: str
    cell: str  # A1 reference of the value

    def __str__(self) -> str:
        return f"{self.file} › {self.sheet} › {self.cell}"


@dataclass(slots=True)
class RoundRow:
    task: str  # task code
    region: str = TOTAL  # region code, TOTAL for the task as a whole
    owner: str = ""  # unit expected to report it
    submitter: str | None = None  # unit whose file supplied it
    value: float | None = None  # 累计完成, in the task's unit
    raw_value: str = ""  # as written
    previous: float | None = None  # last round's cumulative value
    status: str | None = None  # normalised 进展状态
    status_raw: str = ""
    progress: str = ""
    problems: str = ""
    measures: str = ""
    finish_date: str = ""
    notes: str = ""  # extra columns, 'header：value' joined
    origin: tuple[str, str, int] | None = None  # (file, sheet, zero-based row) of the submission row
    # field key → zero-based column in that row; rows read alike share one dict: replace it, don't edit it
    columns: dict[str, int] = field(default_factory=dict)
    # 比率 / 加权平均 rows: the parts the rate is made of, in the units they were written in (分子 and 分母 as
    # counts, 权重 such as 常住人口); parents recompute their rate from these, never from the rates
    numerator: float | None = None
    denominator: float | None = None
    weight: float | None = None
    # a figure intake suspects (≥ 100× the target, a unit mix-up): kept here, out of `value` and so out of
    # every total, until the unit confirms or corrects it; `held_reason` says why, in Chinese
    held: float | None = None
    held_reason: str = ""

    @property
    def sources(self) -> dict[str, Provenance]:
        """Field key → where its value came from (file, sheet, A1 cell)."""
        if self.origin is None:
            return {}
        file, sheet, row = self.origin
        return {key: Provenance(file, sheet, cell_ref(row, col)) for key, col in self.columns.items()}

    @property
    def reported(self) -> bool:
        return self.submitter is not None

    @property
    def increment(self) -> float | None:
        """本月新增."""
        if self.value is None or self.previous is None:
            return None
        return float(f"{self.value - self.previous:.12g}")  # 4.72, not 4.720000000000001


UNREADABLE = "无法读取"  # FileRecord.state of a file that could not be read at all
NO_TABLE = "未找到填报表"  # of a readable file holding no progress table


@dataclass
class FileRecord:
    name: str
    unit: str | None  # for a file not taken (无法读取, 未找到填报表), the unit its name names, if any
    state: str  # 采用 / 被替代 / 未识别单位 / 无法读取 / 未找到填报表
    arrived: dt.datetime | None = None
    late: bool = False
    rows: int = 0
    how: str = ""  # how the submitter was identified: 元数据/填报单位栏/表中内容/发件人/文件名
    arrival: str = ""  # how `arrived` is known: 邮件日期 / 收件登记 / 指定收到日期 / 文件修改时间 (only a hint)
    # the e-mail the file came in (a saved .eml/.msg or the mailbox's), with who sent it and its subject
    message: str = ""
    sender: str = ""
    subject: str = ""


@dataclass
class RoundLedger:
    ledger: AnnualLedger
    round: Round
    rows: dict[tuple[str, str], RoundRow] = field(default_factory=dict)
    findings: Findings = field(default_factory=Findings)
    files: list[FileRecord] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # units that sent nothing (未报送)
    changes: list[dict] = field(default_factory=list)  # values changed between versions of a unit's file
    held: list[tuple[str, str]] = field(default_factory=list)  # rows whose suspect figure is held (rollup.suspect)
    arrival: dict[str, str] = field(default_factory=dict)  # file → how its arrival time is known (intake.arrival)

    def __iter__(self) -> Iterator[RoundRow]:
        return iter(self.rows.values())

    def task(self, row: RoundRow) -> Task:
        return self.ledger.tasks[row.task]

    def target(self, row: RoundRow):
        task = self.task(row)
        return task.target if row.region == TOTAL else task.region_targets.get(row.region)

    def region_name(self, row: RoundRow) -> str:
        if row.region == TOTAL:
            return ""
        region = self.ledger.regions.get(row.region)
        return region.name if region else row.region

    def completion(self, row: RoundRow) -> float | None:
        """完成率 in percent: cumulative value over the numeric target (higher-is-better targets only)."""
        target = self.target(row)
        if row.value is None or target is None or not target.is_numeric or not target.value:
            return None
        if self.task(row).lower_is_better(target):
            return None  # a ≤ target is met or not; a ratio would mislead
        return 100.0 * row.value / target.value

    @property
    def late(self) -> list[FileRecord]:
        return [f for f in self.files if f.late and f.state == "采用"]


def expected_rows(ledger: AnnualLedger) -> dict[tuple[str, str], RoundRow]:
    """Every row the round should have: each task as a whole (its lead), and each region it is split to."""
    return {(task.code, region): RoundRow(task.code, region, owner=owner)
            for task, region, owner in ledger.assignments()}
