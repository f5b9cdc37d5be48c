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
LEDGER_REGION_BASE_UNIT = finding_type("ledger-region-base-unit", Severity.INFO, "分地区目标按基本单位读取",
                                       "年度目标带“万”“亿”等量级（2.8万人），分地区目标是不带单位的数，且其和等于"
                                       "以基本单位计的年度目标（28000）：该任务改按基本单位（人）汇总和填报。")
LEDGER_AMBIGUOUS_REGION = finding_type("ledger-ambiguous-region", Severity.ERROR, "地区名称重名",
                                       "办公室所辖范围内有两个同名地区，无法确定指哪一个；该处未载入。")
LEDGER_BAD_REGION_ROW = finding_type("ledger-bad-region-row", Severity.ERROR, "地区表行有误",
                                     "地区表中的一行缺少名称、代码重复或上级无法识别，该行未载入。")
LEDGER_COLLECTIVE_EMPTY = finding_type("ledger-collective-empty", Severity.ERROR, "统称单位没有对应地区",
                                       "“各县（市、区）人民政府”等统称在台帐所属地区之下找不到该级地区，没有展开。")
LEDGER_NO_OFFICE = finding_type("ledger-no-office", Severity.WARNING, "无法确定台帐所属地区",
                                "台帐标题、地区表和分解到的地区都不能确定本台帐属于哪一级哪个地区。")
OFFICE_TEXTS_GUESSED = finding_type("office-texts-guessed", Severity.INFO, "发文机关文字为推定",
                                    "公文的发文机关、发文字号、主送机关是按台帐所属地区推定的（没有 office.toml，或其中仍是"
                                    " reporter init 推定的写法），请核对。")
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


# Findings of one kind in one file listed one by one (20, and room for a caller's own line saying how many
# more, as merge says of rows without a task); any beyond are counted in one more finding.
GROUP_AFTER = 21
GROUPED = "（同类问题）"  # the `field` of that one


@dataclass
class Findings:
    """An ordered collection of findings with counts by severity. Findings of one kind in one file beyond
    GROUP_AFTER are folded into one that counts them (a file of a million unknown rows is one line to read,
    not a million, and costs no memory per row)."""

    items: list[Finding] = field(default_factory=list)
    _counts: dict[tuple[str, str], int] | None = field(default=None, init=False, repr=False, compare=False)
    _folded: dict[tuple[str, str], int] = field(default_factory=dict, init=False, repr=False, compare=False)

    def add(self, ftype: FindingType, message: str, **place: object) -> Finding:
        finding = Finding(ftype.code, message, **{k: "" if v is None else str(v) for k, v in place.items()})
        if finding.file:
            key = (finding.code, finding.file)
            counts = self._tally()
            if counts.get(key, 0) >= GROUP_AFTER:
                self._fold(key, ftype)
                return finding
            counts[key] = counts.get(key, 0) + 1
        self.items.append(finding)
        return finding

    def _tally(self) -> dict[tuple[str, str], int]:
        """How many findings of each kind each file has here (counted once: a collection may wrap a list)."""
        if self._counts is None:
            self._counts, self._folded = {}, {}
            for at, f in enumerate(self.items):
                if f.field == GROUPED:
                    self._folded[(f.code, f.file)] = at
                elif f.file:
                    self._counts[(f.code, f.file)] = self._counts.get((f.code, f.file), 0) + 1
        return self._counts

    def grouped(self, ftype: FindingType, file: str) -> bool:
        """Whether findings of this kind in this file are counted now, not listed: the caller may count the
        next ones itself and give the number to `group` (a million rows of one file need no message each)."""
        self._tally()
        return (ftype.code, file) in self._folded

    def group(self, ftype: FindingType, file: str, more: int) -> None:
        """Count `more` findings of this kind in this file, once they are `grouped`."""
        self._fold((ftype.code, file), ftype, more)

    def _fold(self, key: tuple[str, str], ftype: FindingType, more: int = 1) -> None:
        at = self._folded.get(key)
        more += int(self.items[at].value) if at is not None else 0
        folded = Finding(key[0], f"另有 {more} 处同类问题（{ftype.title}）未逐条列出，请按上面各条一并核对修改。",
                         file=key[1], field=GROUPED, value=str(more))
        if at is None:
            self._folded[key] = len(self.items)
            self.items.append(folded)
        else:
            self.items[at] = folded

    def extend(self, other: Iterable[Finding]) -> None:
        self.items.extend(other)
        self._counts = None

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


# Office file (templates/office.toml) findings.
OFFICE_PLACEHOLDER = finding_type("office-placeholder", Severity.WARNING, "发文机关配置中仍是示例文字",
                                  "office.toml 中仍有示例文字（如 王××、example.gov.cn）：联系人、电话、邮箱为示例时，"
                                  "督办通知和邮件都不印出，其他项照印；请改为本单位的实际信息。")


# Intake (monthly submissions) findings.
_I = Severity.INFO
_W = Severity.WARNING
_E = Severity.ERROR
INTAKE_UNSUPPORTED = finding_type("intake-unsupported-file", _E, "文件格式不支持", "文件不是 .xlsx/.xlsm/.xls/.csv/.zip，无法读取。")
INTAKE_UNREADABLE = finding_type("intake-unreadable", _E, "文件无法读取", "文件已损坏、加密或不是所声称的格式。")
INTAKE_NO_TABLE = finding_type("intake-no-table", _E, "找不到填报表", "文件中没有一张含“累计完成”等表头的工作表。")
INTAKE_UNKNOWN_SUBMITTER = finding_type("intake-unknown-submitter", _E, "无法确定报送单位",
                                        "元数据页、填报单位栏、表中地区和任务、文件名都不能确定是哪个单位报送的，文件未汇总。")
INTAKE_SUBMITTER_FROM_NAME = finding_type("intake-submitter-from-filename", _W, "仅凭文件名确定报送单位",
                                          "文件中没有填报单位信息，报送单位是从文件名推断的，请核对。")
INTAKE_SUBMITTER_FROM_TASKS = finding_type("intake-submitter-from-tasks", _W, "仅凭表中任务确定报送单位",
                                           "文件中没有填报单位、地区和可识别的发件人，按其中任务的牵头单位认定，请核对。")
INTAKE_SUPERSEDED = finding_type("intake-superseded", _I, "已被新版本替代",
                                 "同一单位报送了多个版本，本文件被较新的版本替代，未汇总。")
INTAKE_CHANGED = finding_type("intake-changed-in-resubmission", _I, "修改版中改动的数值", "新版本与旧版本相比改动了该数值。")
INTAKE_NOT_NUMBER = finding_type("intake-not-a-number", _E, "不是数值", "累计完成值应为数值，原文已保留但未汇总。")
INTAKE_NEGATIVE = finding_type("intake-negative", _E, "负数", "累计完成值为负数，未汇总。")
INTAKE_BELOW_PREVIOUS = finding_type("intake-below-previous", _E, "累计值低于上期", "累计完成值低于上一轮，累计数不应下降。")
INTAKE_FAR_ABOVE = finding_type("intake-far-above-target", _W, "远超目标",
                                "累计完成值远超年度目标，可能把“万个”填成了“个”，请核对单位。")
INTAKE_DONE_BELOW = finding_type("intake-completed-below-target", _W, "已完成但未达目标",
                                 "进展状态为“已完成”，但累计完成值低于年度目标。")
INTAKE_LAG_NO_REASON = finding_type("intake-lagging-without-problem", _W, "滞后未说明原因",
                                    "进展状态为“滞后”，但“存在问题”栏为空。")
INTAKE_FORMULA = finding_type("intake-formula-no-value", _E, "公式没有计算结果",
                              "单元格是公式但文件中没有保存计算结果（常见于程序生成的文件），不能当作 0，请在 Excel 中打开保存后重报。")
INTAKE_ERROR_CELL = finding_type("intake-error-cell", _E, "单元格为错误值", "单元格的值是 #REF!、#N/A 等错误值。")
INTAKE_LOCKED = finding_type("intake-locked-changed", _W, "改动了锁定列",
                             "报送表中的任务名称、年度目标等与台帐不一致；以台帐为准。")
INTAKE_DUPLICATE = finding_type("intake-duplicate-row", _W, "重复行", "同一任务（和地区）填报了多行，只汇总第一行。")
INTAKE_UNKNOWN_TASK = finding_type("intake-unknown-task", _E, "任务不在台帐中", "任务编号和名称都无法对应台帐中的任务，本行未汇总。")
INTAKE_FUZZY = finding_type("intake-fuzzy-match", _I, "按名称近似匹配任务", "任务编号缺失或不符，按任务名称近似匹配到台帐任务，请核对。")
INTAKE_TASK_MISSING = finding_type("intake-task-missing", _W, "漏报任务", "该单位负责的任务在报送文件中没有对应的行。")
INTAKE_REGION_NOT_COVERED = finding_type("intake-region-not-covered", _E, "地区不属于本单位",
                                         "报送行的地区不在该单位负责的范围内，本行未汇总。")
INTAKE_UNKNOWN_REGION = finding_type("intake-unknown-region", _E, "地区无法识别", "地区名称不在地区表中，本行未汇总。")
INTAKE_SCALED = finding_type("intake-scaled", _I, "数值已换算", "带“万”“亿”或单位的数值已按任务的计量单位换算。")
INTAKE_APPROX = finding_type("intake-approximate", _I, "约数", "数值带“约”“近”等字样，已按数值汇总。")
INTAKE_PERCENT_FRACTION = finding_type("intake-percent-fraction", _W, "小数形式的百分数",
                                       "百分比指标填了 0 到 1 之间的小数，已按百分数换算（0.95 → 95%），请核对。")
INTAKE_PERCENT_FOR_COUNT = finding_type("intake-percent-for-count", _E, "百分数填在数量指标",
                                        "任务的计量单位不是 %，却填了百分数，无法换算，未汇总。")
INTAKE_PART_NOT_NUMBER = finding_type("intake-part-not-a-number", _E, "分子分母不是数值",
                                      "分子、分母或权重应为不小于 0 的数值；原文记入备注，不参与上级汇总。")
INTAKE_ZERO_DENOMINATOR = finding_type("intake-zero-denominator", _W, "分母为 0",
                                       "分母（或权重）为 0，本行不参与上级的比率（或加权平均）计算。")
INTAKE_RATE_PARTS_DIFFER = finding_type("intake-rate-parts-differ", _W, "比率与分子分母不一致",
                                        "填报的比率与分子 ÷ 分母算出的比率相差超过 0.1 个百分点（或 0.5%），请核对；"
                                        "上级按分子、分母计算。")
INTAKE_RATE_FROM_PARTS = finding_type("intake-rate-from-parts", _I, "比率由分子分母算出",
                                      "只填了分子、分母，没有填比率：按分子 ÷ 分母算出本行的比率。")
INTAKE_STATUS_UNKNOWN = finding_type("intake-status-unknown", _W, "进展状态无法识别",
                                     "进展状态不是“已完成/正常推进/滞后/未启动”之一，已按原文保留。")
INTAKE_DATE_UNPARSED = finding_type("intake-date-unparsed", _W, "日期无法识别", "完成日期无法识别，已按原文保留。")
INTAKE_MISSING = finding_type("intake-missing-submission", _E, "未报送", "本轮应报送的单位没有报送文件。")
INTAKE_SENT_UNREADABLE = finding_type("intake-submission-unreadable", _E, "报送文件无法读取",
                                      "单位报送了文件，但文件无法读取或其中找不到进展填报表，本轮按未报送处理，需重新报送。")
INTAKE_LATE = finding_type("intake-late", _W, "迟报",
                           "文件在本轮报送截止日期之后才送达（按邮件日期、收件登记或 --received 指定的收到时间）。")
INTAKE_LATE_BY_MTIME = finding_type("intake-late-by-mtime", _I, "按文件修改时间可能迟报",
                                    "文件不是随邮件收到的，也没有登记收到时间，其修改时间晚于截止日期；修改时间不等于送达时间"
                                    "（复制、另存都会改变它），不计为迟报。")
INTAKE_MESSAGE = finding_type("intake-message", _E, "邮件中没有可汇总的附件",
                              "保存的邮件没有附件、格式有误或过大，其中的报送未汇总；问题说明中写明发件人、主题和日期。")
INTAKE_MESSAGE_OTHER = finding_type("intake-message-other-attachment", _I, "邮件中的其他附件",
                                    "邮件的这个附件不是报送表格（如盖章扫描件、说明文档、照片），未读取；同一邮件中的表格照常汇总。")
INTAKE_SENDER_DIFFERS = finding_type("intake-sender-differs", _W, "发件人与填报单位不一致",
                                     "文件内容（元数据、填报单位栏或表中任务）指向的单位与邮件发件人的联系邮箱所属单位不同，"
                                     "已按文件内容汇总，请核对。")
INTAKE_SUBMITTER_FROM_SENDER = finding_type("intake-submitter-from-sender", _I, "按发件人确定报送单位",
                                            "文件中没有填报单位信息，按邮件发件人的地址（台帐责任单位表的联系邮箱）确定报送单位。")
INTAKE_MAILBOX = finding_type("intake-mailbox", _W, "收件邮箱读取不完整",
                              "连接邮件服务器失败、登录被拒或连接中断；已取得的邮件照常汇总，其余邮件未读取。")
INTAKE_ARRIVAL_REGISTER = finding_type("intake-arrival-register", _W, "收件登记有误",
                                       "收件登记（文件、收到时间两列）无法读取或某行的收到时间无法识别。")
INTAKE_CONFLICT = finding_type("intake-conflict", _W, "多个单位报送同一项",
                               "同一任务和地区被多个单位报送，采用负责单位的数值。")
INTAKE_CLEARED = finding_type("intake-cleared-in-resubmission", _W, "修改版中清空的数值",
                              "新版本把旧版本填写的累计完成清空了，请核对是否漏填。")
INTAKE_NAME_DIFFERS = finding_type("intake-submitter-name-differs", _W, "填报单位与文件名不一致",
                                   "表中写的填报单位与文件名中的单位不同（常见于沿用其他单位的文件），按表中填报单位汇总，请核对。")
INTAKE_SHEET_SKIPPED = finding_type("intake-sheet-skipped", _I, "未读取的工作表",
                                    "工作表名写的是其他月份（如本轮为5月时的“4月”），或是隐藏的工作表（文件中另有可见的"
                                    "进展填报表），该表不读取。")
INTAKE_OTHER_ROUND = finding_type("intake-other-round", _W, "其他轮次的模板",
                                  "文件是其他轮次的填报模板（常见于沿用上月文件），已按本轮汇总，请核对是否为本期数据。")
INTAKE_FINER = finding_type("intake-finer-breakdown", _I, "更细的分项",
                            "报送了台帐不考核的下级地区分项，按本单位所在地区的数汇总，分项不单独汇总。")
INTAKE_TOTAL_ROW = finding_type("intake-total-row", _I, "合计行不汇总",
                                "“合计”“小计”等行的数值由各行相加而来，本系统按任务和地区自行汇总，该行不汇总。")


# Rollup findings.
ROLLUP_MISMATCH = finding_type("rollup-mismatch", _W, "上报数与下级汇总数不一致",
                               "某地区（或牵头单位）报送的合计数与其下级地区报送数的汇总结果不一致（超出舍入误差）。")
ROLLUP_NOT_AGGREGABLE = finding_type("rollup-not-aggregable", _I, "指标无法汇总",
                                     "比率或加权平均指标缺少分子、分母或权重数据，上级数值未计算（不会简单相加或平均）。")
