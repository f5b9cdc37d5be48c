"""识读结果: what the reader understood of a ledger, for the clerk to read once before templates go out.

Five parts, in one table (部分 | 项目 | 内容 | 说明) that `reporter check` prints and writes as the sheet 识读结果
of 台帐问题清单.xlsx: the office and its root; the region tree used; each task with its target and how it rolls
up; each reporting unit with the tasks and regions it reports; every cell the reader could not place.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..model.findings import Findings, Severity
from ..model.tasks import AnnualLedger, Task

SHEET = "识读结果"
HEADERS = ["部分", "项目", "内容", "说明"]
# Findings whose cell the reader left out of the ledger: they are 'cells not placed'.
_DROPPED = {"ledger-unknown-region", "ledger-ambiguous-region", "ledger-unknown-task", "ledger-bad-region-row",
            "ledger-empty-cell", "ledger-duplicate-task", "ledger-collective-empty"}


@dataclass(frozen=True)
class Line:
    part: str  # 办公室 / 地区 / 任务 / 报送单位 / 未识读
    item: str
    content: str
    note: str = ""

    def row(self) -> list[str]:
        return [self.part, self.item, self.content, self.note]


def reading(ledger: AnnualLedger, findings: Findings) -> list[Line]:
    return [*_office(ledger), *_regions(ledger), *_tasks(ledger), *_units(ledger), *_unplaced(ledger, findings)]


def _office(lg: AnnualLedger) -> list[Line]:
    office = lg.office
    lines = [Line("办公室", "台帐", lg.title, f"{lg.year}年度，{len(lg)} 项任务")]
    if office is None:
        return lines + [Line("办公室", "所属地区", "未能确定", "请在台帐标题中写明地区，或在 reporter.toml 中写 region")]
    return lines + [
        Line("办公室", "所属地区（汇总的根）", office.name, f"依据：{office.how_found}"),
        Line("办公室", "称呼", office.scope, f"排名的下级地区称为“{office.children_word}”"),
    ]


def _regions(lg: AnnualLedger) -> list[Line]:
    tree = lg.regions
    out = []
    for root in tree.roots():
        for region in [root, *tree.descendants(root.code)]:
            depth = tree.depth(region.code)
            kids = tree.children(region.code)
            note = f"下辖 {len(kids)} 个" if kids else ""
            out.append(Line("地区", region.code, "　" * depth + region.name, "；".join(
                filter(None, [region.level and f"{region.level}级", note]))))
    return out


def _tasks(lg: AnnualLedger) -> list[Line]:
    out = []
    for task in lg:
        target = task.target.describe() if task.target else "（无）"
        how = task.indicator.aggregation.value if task.indicator else ""
        out.append(Line("任务", f"{task.code} {task.name}", f"年度目标 {target}；汇总方式 {how}", _split(lg, task)))
    return out


def _split(lg: AnnualLedger, task: Task) -> str:
    lead = _label(lg, task.lead)
    parts = [f"牵头 {lead or '（统称，见分解）'}"]
    helping = [u for u in dict.fromkeys(_label(lg, u) for u in task.responsible) if u != lead]  # 责任单位 may repeat the lead
    if helping:
        parts.append("配合 " + "、".join(helping))
    if task.collectives:
        parts.append("统称 " + "、".join(task.collectives))
    if task.region_targets:
        shown = [f"{lg.regions[c].name} {t.describe() or '—'}" for c, t in list(task.region_targets.items())[:12]
                 if c in lg.regions]
        more = len(task.region_targets) - len(shown)
        parts.append(f"分解到 {len(task.region_targets)} 个地区：" + "、".join(shown) + (f" 等（另 {more} 个）" if more else ""))
    else:
        parts.append("不分解，由牵头单位报送全部")
    return "；".join(parts)


def _units(lg: AnnualLedger) -> list[Line]:
    out = []
    for name in lg.submitters():
        rows = lg.rows_of(name)
        tasks = list(dict.fromkeys(t.code for t, _ in rows))
        regions = list(dict.fromkeys(lg.regions[c].name for _, c in rows if c and c in lg.regions))
        unit = lg.units.match(name)
        note = []
        if unit is not None and unit.email:
            note.append(f"邮箱 {unit.email}")
        elif unit is None or not unit.registered:
            note.append("没有联系邮箱：不在责任单位表中")
        content = f"{len(tasks)} 项任务：{'、'.join(tasks)}" + (f"；地区：{'、'.join(regions)}" if regions else "")
        out.append(Line("报送单位", _label(lg, name), content, "；".join(note)))
    return out


def _unplaced(lg: AnnualLedger, findings: Findings) -> list[Line]:
    out = [Line("未识读", f"{u.sheet} {u.cell}".strip(), u.text, u.reason) for u in lg.unplaced]
    for f in findings:
        if f.code in _DROPPED or f.severity is Severity.ERROR:
            out.append(Line("未识读", f"{f.sheet} {f.cell}".strip(), f.value, f.message))
    if not out:
        out.append(Line("未识读", "", "无", "台帐中的每个单元格都已读入"))
    return out


def _label(lg: AnnualLedger, name: str) -> str:
    unit = lg.units.match(name) if name else None
    return unit.label if unit else name


def text(lines: list[Line]) -> str:
    """The reading as the terminal shows it: one line each, parts as headings."""
    out, part = [], None
    for line in lines:
        if line.part != part:
            part = line.part
            out.append(f"【{part}】")
        tail = f"（{line.note}）" if line.note else ""
        out.append(f"  {line.item}  {line.content}{tail}".rstrip())
    return "\n".join(out)
