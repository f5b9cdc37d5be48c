"""Findings: problems found in the user's files, as data with a stable code and a place.

Bad data never raises; it becomes a Finding in a Findings collection that renders to Excel, JSON and the
terminal. Exceptions are for I/O and configuration only.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from enum import Enum
from typing import Iterable, Iterator


class Severity(str, Enum):
    ERROR = "错误"
    WARNING = "警告"
    INFO = "提示"


@dataclass(frozen=True)
class FindingType:
    code: str
    severity: Severity
    title: str
    description: str


CATALOGUE: dict[str, FindingType] = {}


def finding_type(code: str, severity: Severity, title: str, description: str) -> FindingType:
    ft = FindingType(code, severity, title, description)
    CATALOGUE[code] = ft
    return ft


# Ledger (annual workbook) findings.
LEDGER_NO_TASK_SHEET = finding_type("ledger-no-task-sheet", Severity.ERROR, "找不到任务表",
                                    "台帐工作簿中没有一张工作表含有任务编号和任务名称等表头。")
LEDGER_MISSING_COLUMN = finding_type("ledger-missing-column", Severity.ERROR, "缺少必需列",
                                     "任务表缺少必需的列（如任务编号、任务名称、年度目标、牵头单位）。")
LEDGER_EMPTY_CELL = finding_type("ledger-empty-cell", Severity.ERROR, "必填项为空",
                                 "任务的必填项（任务编号、任务名称、牵头单位）为空。")
LEDGER_DUPLICATE_TASK = finding_type("ledger-duplicate-task", Severity.ERROR, "任务编号重复",
                                     "同一任务编号出现多次，后出现的行未载入。")
LEDGER_TARGET_UNPARSED = finding_type("ledger-target-unparsed", Severity.WARNING, "目标值无法识别",
                                      "年度目标无法解析为数值或定性目标，已按原文保留，不参与数值判断。")
LEDGER_DEADLINE_UNPARSED = finding_type("ledger-deadline-unparsed", Severity.WARNING, "完成时限无法识别",
                                        "完成时限无法解析为日期，按年底计算序时进度。")
LEDGER_UNKNOWN_UNIT = finding_type("ledger-unknown-unit", Severity.WARNING, "责任单位不在单位表中",
                                   "牵头或责任单位未在责任单位表中登记，已按原名新增。")
LEDGER_UNKNOWN_REGION = finding_type("ledger-unknown-region", Severity.ERROR, "地区无法识别",
                                     "分地区目标中的地区不在地区表中，该行未载入。")
LEDGER_UNKNOWN_TASK = finding_type("ledger-unknown-task", Severity.ERROR, "任务编号不存在",
                                   "分地区目标或计划进度引用了任务表中没有的任务编号，该行未载入。")
LEDGER_BAD_PLAN = finding_type("ledger-bad-plan", Severity.ERROR, "计划进度有误",
                               "计划进度不是 0–100 之间的数，或后一期低于前一期。")
LEDGER_BAD_VALUE = finding_type("ledger-bad-value", Severity.WARNING, "取值无法识别",
                                "单元格的值无法识别，已按原文保留或使用默认值。")
LEDGER_REGION_SUM = finding_type("ledger-region-sum", Severity.WARNING, "分解目标之和与总目标不符",
                                 "可求和指标的分地区目标之和与年度目标不一致。")
LEDGER_UNREADABLE = finding_type("ledger-unreadable", Severity.ERROR, "文件无法读取",
                                 "文件不存在、已损坏或格式不受支持。")


@dataclass(frozen=True)
class Finding:
    code: str
    message: str
    file: str = ""
    sheet: str = ""
    cell: str = ""
    field: str = ""
    value: str = ""

    @property
    def type(self) -> FindingType:
        return CATALOGUE[self.code]

    @property
    def severity(self) -> Severity:
        return self.type.severity

    @property
    def place(self) -> str:
        """'文件 › 工作表 › C12' for messages."""
        return " › ".join(part for part in (self.file, self.sheet, self.cell) if part)

    def to_dict(self) -> dict:
        data = asdict(self)
        data["severity"] = self.severity.value
        data["title"] = self.type.title
        return data

    def __str__(self) -> str:
        where = f"{self.place}：" if self.place else ""
        return f"[{self.severity.value}] {where}{self.message}"


@dataclass
class Findings:
    """An ordered collection of findings with counts by severity."""

    items: list[Finding] = field(default_factory=list)

    def add(self, ftype: FindingType, message: str, **place: object) -> Finding:
        finding = Finding(ftype.code, message, **{k: "" if v is None else str(v) for k, v in place.items()})
        self.items.append(finding)
        return finding

    def extend(self, other: Iterable[Finding]) -> None:
        self.items.extend(other)

    def __iter__(self) -> Iterator[Finding]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def by_severity(self) -> dict[str, int]:
        counts = Counter(f.severity.value for f in self.items)
        return {s.value: counts.get(s.value, 0) for s in Severity}

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.items if f.severity is Severity.ERROR]

    def codes(self) -> list[str]:
        return [f.code for f in self.items]


def cell_ref(row: int, col: int) -> str:
    """Zero-based (row, col) → A1 reference: (11, 2) → 'C12'."""
    letters = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return f"{letters}{row + 1}"
