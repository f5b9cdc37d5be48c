"""A unit's resubmissions: which of its files wins (the latest version), why, and what changed between the
version it replaced and it, for the audit trail."""
from __future__ import annotations

import datetime as dt
import re

from ..model import findings as F
from ..model.findings import cell_ref
from ..model.round_ledger import RoundLedger, RoundRow
from .results import FileResult, where

# Markers in a file name, each with its rank (None: the version number written)
MARKERS = [(re.compile(r"最终版|终版|定稿|正式版"), 100), (re.compile(r"[vV](\d+)|第(\d+)版"), None),
           (re.compile(r"修改(?!前)|修订(?!前)|更正(?!前)|更新|补报|重报"), 1)]  # 修改前 is the version before


def version_key(res: FileResult) -> tuple:
    """Latest wins: a 最终版/v2/修改版 marker first, then the fill-in template's time (a template issued
    again), then arrival (a message's date, a registered time; else the modification time). Markers come
    before the template's time, as a unit that corrects its filled template by hand sends a 修改版 without one."""
    arrived = res.source.received or res.source.mtime
    return (_marker(res), res.generated or dt.datetime.min, arrived or dt.datetime.min, res.name)


def _marker(res: FileResult) -> int:
    for pattern, rank in MARKERS:
        m = pattern.search(res.source.stem)
        if m:
            return rank if rank is not None else int(next(g for g in m.groups() if g))
    return 0


def why_newer(old: FileResult, new: FileResult) -> str:
    if _marker(new) != _marker(old):
        return "标明为修改版或最终版"
    if (new.generated or dt.datetime.min) != (old.generated or dt.datetime.min):
        return "用的是较新的填报模板"
    return "送达较晚"


_CHANGE_FIELDS = {"value": "累计完成", "numerator": "分子", "denominator": "分母", "weight": "权重", "status": "进展状态",
                  "problems": "存在问题"}
_PARTS = ("numerator", "denominator", "weight")  # counts: compared and shown as numbers


def list_changes(rl: RoundLedger, old: FileResult, new: FileResult, unit: str) -> None:
    """What changed between a unit's previous and latest file, for the audit trail: compared row by row as
    merged (task and region as matched, 合计 and county rows as the round reads them, values as numbers — 82.1
    and 82.1% of a % task are one value), each change named at the new file's cell."""
    before, after = old.rows, new.rows
    for key in sorted(before.keys() | after.keys()):
        was, now = before.get(key), after.get(key)
        for name, label in _CHANGE_FIELDS.items():
            shown_was, shown_now = _shown(was, name), _shown(now, name)
            if _compared(was, name) == _compared(now, name):
                continue
            region = where(rl.ledger, key)
            rl.changes.append({"unit": unit, "task": key[0], "region": region.strip("（）"), "field": label,
                               "old": shown_was, "new": shown_now, "old_file": old.name, "new_file": new.name})
            cell = _cell_of(now, name, new.name)
            rl.findings.add(F.INTAKE_CHANGED, f"任务“{key[0]}”{region}的{label}由“{shown_was}”改为“{shown_now}”。",
                            field=label, value=shown_now, **cell)
            if name == "value" and was is not None and was.value is not None and (now is None or now.value is None):
                rl.findings.add(F.INTAKE_CLEARED, f"新版本中任务“{key[0]}”{region}的累计完成是空的（旧版本填的是"
                                                  f"“{shown_was}”），请核对是否漏填。", field=label, value="", **cell)


def _compared(row: RoundRow | None, field: str):
    if row is None:
        return None
    if field in _PARTS:
        return getattr(row, field)
    return {"value": row.value, "status": row.status, "problems": row.problems or None}[field]


def _shown(row: RoundRow | None, field: str) -> str:
    if row is None:
        return ""
    if field in _PARTS:
        number = getattr(row, field)
        return "" if number is None else f"{number:g}"
    return {"value": row.raw_value, "status": row.status_raw, "problems": row.problems}[field]


def _cell_of(row: RoundRow | None, field: str, file: str) -> dict[str, str]:
    if row is None or row.origin is None:
        return {"file": file}
    _, sheet, r = row.origin
    return {"file": file, "sheet": sheet, "cell": cell_ref(r, row.columns.get(field, row.columns.get("code", 0)))}

