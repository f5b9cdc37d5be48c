"""`reporter sample`: one month of realistic, messy submissions for a ledger, and the truth planted in them.

Every submitting unit but one sends a workbook for the round: a few return the fill-in template, the rest send
sheets of their own, with the mess clerks really produce (title and footer rows, merged two-row headers,
繁体, "1,200" and "2.5万" as text, a formula without a cached value, a zip, a GB18030 CSV, a corrected
resubmission…). `truth.json` beside the files says, cell by cell, what every file means, so intake can be
tested against it.

Deterministic: everything is drawn from one random.Random(seed) over lists in ledger order; times come from the
round (file mtimes via os.utime, zip entry times, workbook properties), so the same seed gives the same bytes.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import random
import re
import tempfile
import time
import zipfile
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter

from ..intake.submission_schema import META_KEYS, META_SHEET, PROGRESS
from ..model.schedule import Round, parse_round
from ..model.targets import Aggregation, Direction, Target, TargetKind, rate_scale
from ..model.tasks import AnnualLedger, Task

__all__ = ["make_sample", "SampleResult", "KINDS", "TRUTH_FILE"]

TRUTH_FILE = "truth.json"
DONE, ON_TRACK, LAGGING, NOT_STARTED = "已完成", "正常推进", "滞后", "未启动"  # the words of STATUSES

# Planted problems, each present in at least one file when the ledger offers a row that can carry it.
KINDS = (
    "text_number", "fullwidth", "wan_scaled", "approx", "traditional_header", "traditional_status",
    "formula_no_cache", "unknown_task", "negative", "far_above_target", "completed_below_target",
    "lagging_without_problem", "duplicate_row", "two_row_header", "title_rows", "footer_rows",
    "extra_column", "reordered_columns", "renamed_sheet", "extra_sheet", "zip", "csv_gb18030",
    "resubmission",
)
# File-level features of hand-made workbooks: each in at least one file, then in others with this probability.
_FEATURES = {"title": 0.5, "two_row": 0.25, "traditional": 0.02, "extra_column": 0.2, "renamed": 0.25,
             "extra_sheet": 0.1, "reorder": 0.2, "footer": 0.4}
_TRAD_STATUS = {DONE: "已完成", ON_TRACK: "正常推進", LAGGING: "進度滯後", NOT_STARTED: "未啓動"}
_COUNT_UNITS = {"个", "所", "人", "户", "套", "间", "张", "家", "台", "辆", "座", "处", "场", "次", "项", "条",
                "名", "床", "件", "人次", "户次", "场次", "栋", "幢", "位", "口"}
_FULLWIDTH = str.maketrans("0123456789.", "０１２３４５６７８９．")

_PEOPLE = ("张伟", "王芳", "李娜", "刘洋", "陈静", "杨磊", "赵敏", "黄强", "周婷", "吴昊")
_PROGRESS = ("已召开专题推进会，压实各方责任。", "资金已下达到位，项目有序推进。", "已开展专项督导检查2次。",
             "已完成项目选址和招投标工作。", "建立周调度机制，逐项跟踪推进。", "已印发年度实施方案并分解到各地。")
_QUALITATIVE = ("已印发实施方案，建立工作台账，按月调度推进。", "相关政策已出台，正在组织落实。",
                "已完成摸底排查，各项保障措施落实到位。", "工作机制已建立，正在开展督导评估。")
_PROBLEMS = ("部分项目前期手续办理较慢，开工时间推迟。", "地方配套资金到位不及时。", "受持续降雨影响，施工进度放缓。",
             "项目选址调整，部分点位尚未开工。", "专业技术人员不足，组织实施难度较大。")
_MEASURES = ("加快办理前期手续，确保下月底前全部开工。", "加强调度，每周通报进度，对滞后地区专项督办。",
             "督促配套资金及时拨付到位。", "倒排工期、挂图作战，确保按期完成。")


@dataclass
class SampleResult:
    out_dir: Path
    files: list[Path]  # what is on disk, the zip itself rather than its members
    truth: Path


@dataclass
class _Row:
    code: str
    name: str
    region: str | None  # region code; None for a whole-task row
    region_name: str  # as written in the 地区 column
    indicator: str
    unit: str  # 计量单位 of the task; values are in this unit
    additive: bool  # the ledger sums it over regions: a quantity that accumulates through the year
    target: Target | None
    target_text: str
    value: float | None = None  # true cumulative value
    planned: float | None = None  # 序时进度 × target, for cumulative quantities
    status: str = ON_TRACK
    scenario: str = "on_schedule"
    progress: str = ""
    problems: str = ""
    measures: str = ""
    finish: dt.date | None = None
    literal: Any = None  # value cell content when it is not the plain number
    status_text: str | None = None  # status as written when not the canonical word
    plant: str | None = None
    detail: dict = field(default_factory=dict)
    original: "_Row | None" = None  # set on a duplicated row
    unknown: bool = False
    place: dict = field(default_factory=dict)  # sheet and cells (value, status, problems, finish) once written
    parts: Aggregation | None = None  # RATE: the row gives 分子 and 分母; WEIGHTED_MEAN: 权重
    numerator: float | None = None
    denominator: float | None = None
    weight: float | None = None


@dataclass
class _Style:
    sheet: str = "进度表"
    features: set = field(default_factory=set)
    unit_line: bool = True  # a 填报单位：… line above the table
    columns: list = field(default_factory=list)  # [(key, header)]


@dataclass
class _File:
    unit: str  # canonical name
    label: str
    rows: list[_Row]
    form: str  # "template" | "xlsx" | "csv"
    path: str = ""  # relative path on disk (the zip for a member)
    member: str | None = None
    style: _Style = field(default_factory=_Style)
    winning: bool = True
    mtime: dt.datetime | None = None
    identified_by: tuple[str, ...] = ()
    marks: list = field(default_factory=list)  # (kind, entry) of file-level plants, set while writing
    sheet: str = ""
    header_rows: list = field(default_factory=list)  # 1-based rows of the table header

    @property
    def display(self) -> str:
        """The name intake.discover shows: 'a.zip/b.xlsx' for a zip member."""
        return f"{self.path}/{self.member}" if self.member else self.path


# -- entry point ---------------------------------------------------------------------------------------
def make_sample(ledger: AnnualLedger, rnd: Round | str, out_dir: str | Path, seed: int = 2025) -> SampleResult:
    """Write one round of submissions for `ledger` into `out_dir`, with truth.json; same seed, same files."""
    rnd = ledger.round(parse_round(rnd) if isinstance(rnd, str) else rnd)
    rng = random.Random(seed)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    plans = {u: _plan_rows(ledger, u) for u in ledger.submitters()}
    plans = {u: rows for u, rows in plans.items() if rows}
    cast = _cast(rng, plans, _template_writer() is not None)
    _simulate(rng, ledger, rnd, plans, cast)
    files = _build_files(rng, ledger, rnd, plans, cast)
    _plant_rows(rng, ledger, files)
    _write_texts(rng, rnd, files)
    old = _resubmission(rng, rnd, files, cast)
    if old:
        files = sorted([*files, old], key=lambda f: (f.path, f.member or ""))
    paths = _write(ledger, rnd, out, files)
    truth = out / TRUTH_FILE
    data = _truth(ledger, rnd, seed, files, cast, old)
    truth.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return SampleResult(out, paths, truth)


def _template_writer() -> Callable | None:
    try:
        from ..render.fillin import write_templates
    except ImportError:
        return None
    return write_templates


# -- who fills in what (the same rows, in the same order, as render.fillin) ---------------------------------
def _plan_rows(ledger: AnnualLedger, unit: str) -> list[_Row]:
    rows = []
    for task, code in ledger.rows_of(unit):
        if code:
            region = ledger.regions.get(code)
            rows.append(_new_row(task, code, region.name if region else code, task.region_targets.get(code)))
        else:
            whole = ledger.whole_region(task) if task.decomposed else None
            rows.append(_new_row(task, None, whole.name if whole else "", task.target))
    return rows


def _new_row(task: Task, region: str | None, region_name: str, target: Target | None) -> _Row:
    indicator = task.indicator.name if task.indicator else task.name
    additive = bool(task.indicator and task.indicator.aggregation is Aggregation.SUM)
    aggregation = task.indicator.aggregation if task.indicator else None
    return _Row(task.code, task.name, region, region_name, indicator, task.unit or "", additive, target,
                target.raw if target else "",
                parts=aggregation if aggregation in (Aggregation.RATE, Aggregation.WEIGHTED_MEAN) else None)


# -- casting: who is missing, who resubmits, who sends a template, a zip, a CSV ---------------------------------
def _cast(rng: random.Random, plans: dict[str, list[_Row]], templates: bool) -> dict[str, list[str]]:
    units = list(plans)
    rng.shuffle(units)
    # Units whose rows can carry few plants stay out of the hand-made files: absent, or the plain CSV.
    dull = sorted(units, key=lambda u: _interest(plans[u]))[:max(2, len(units) // 3)]
    rng.shuffle(dull)
    cast: dict[str, list[str]] = {"missing": dull[:1], "csv": dull[1:2] if len(units) > 4 else []}
    rest = [u for u in units if u not in cast["missing"] + cast["csv"]]
    n_templates = min(3, max(1, len(units) // 8)) if templates and len(rest) > 3 else 0
    cast["template"] = rest[:n_templates]
    rest = [u for u in rest if u not in cast["template"]]
    # The resubmitter needs a cumulative value to correct.
    rest.sort(key=lambda u: not any(_cumulative(r) for r in plans[u]))
    cast["resubmit"] = rest[:1]
    cast["zip"] = rest[1:3] if len(rest) >= 5 else []
    cast["xlsx"] = [u for u in rest[1:] if u not in cast["zip"]]
    return cast


def _interest(rows: list[_Row]) -> int:
    """How many kinds of planted value a unit's rows can carry (more = keep it among hand-made files)."""
    kinds = {"wan" if _scale(r) > 1 else "count" if _is_count(r) else "rate" if _is_rate(r) else "other"
             for r in rows if _numeric(r)}
    return len(kinds) + min(len(rows), 3)


# -- values ---------------------------------------------------------------------------------------------------
def _simulate(rng: random.Random, ledger: AnnualLedger, rnd: Round, plans: dict[str, list[_Row]],
              cast: dict[str, list[str]]) -> None:
    """Draw every row's true value and status; scenarios are spread over the units that do submit."""
    sending = [u for u in plans if u not in cast["missing"]]
    numeric = [r for u in sending for r in plans[u] if _numeric(r) and not _summed(r)]
    scenarios = _scenarios(rng, numeric)
    for rows in plans.values():
        for row in rows:
            pct = ledger.tasks[row.code].planned_percent(rnd)
            if _numeric(row):
                _draw_value(rng, row, pct, scenarios.get(id(row), "on_schedule"))
            else:
                _draw_qualitative(rng, row, pct)
    every = [r for rows in plans.values() for r in rows]
    for row in every:
        if _summed(row):
            _sum_regions(row, [r for r in every if r.code == row.code and r.region is not None])


def _scenarios(rng: random.Random, rows: list[_Row]) -> dict[int, str]:
    """id(row) → scenario: two 严重滞后, a few 已完成, one 未启动, about a fifth lagging and some ahead."""
    order = list(range(len(rows)))
    rng.shuffle(order)
    cumulative = [i for i in order if _cumulative(rows[i])]
    out: dict[int, str] = {}
    n = len(rows)
    done = max(1, n // 40)
    picks = [("severe", cumulative[:2]), ("done", cumulative[2:2 + done]),
             ("not_started", cumulative[2 + done:3 + done] if n >= 12 else [])]
    for scenario, chosen in picks:
        out.update({id(rows[i]): scenario for i in chosen})
    free = [i for i in order if id(rows[i]) not in out]
    n_lag, n_ahead = max(2, round(n * 0.22)), max(1, round(n * 0.15))
    out.update({id(rows[i]): "lagging" for i in free[:n_lag]})
    out.update({id(rows[i]): "ahead" for i in free[n_lag:n_lag + n_ahead]})
    return out


def _draw_value(rng: random.Random, row: _Row, pct: float, scenario: str) -> None:
    target = row.target.value
    row.scenario = scenario
    if _cumulative(row):
        planned = row.planned = target * pct / 100
        factor = {"ahead": (1.12, 1.4), "lagging": (0.6, 0.84), "severe": (0.08, 0.3),
                  "not_started": (0, 0)}.get(scenario, (0.93, 1.08))
        value = target * rng.uniform(1.0, 1.08) if scenario == "done" else planned * rng.uniform(*factor)
        row.value = _round(row, value)
        row.status = _status(row, planned)
        return
    lower = row.target.direction is Direction.LOWER
    if scenario == "done" and not lower:
        band = (1.0, 1.03)
    elif scenario in ("lagging", "severe", "not_started"):
        band = (1.04, 1.15) if lower else (0.82, 0.96) if scenario != "severe" else (0.65, 0.8)
    else:
        band = (0.85, 0.99) if lower else (0.995, 1.03)
    value = target * rng.uniform(*band)
    row.value = _round(row, min(value, 100.0) if "%" in row.unit and not lower else value)
    if scenario in ("lagging", "severe", "not_started"):
        row.status = LAGGING
    else:
        row.status = DONE if scenario == "done" and row.target.is_met(row.value) else ON_TRACK


def _draw_qualitative(rng: random.Random, row: _Row, pct: float) -> None:
    row.scenario = "qualitative"
    roll = rng.random()
    row.status = DONE if pct >= 100 or roll < 0.15 else LAGGING if roll > 0.9 else ON_TRACK


def _status(row: _Row, planned: float) -> str:
    """The status a careful clerk writes for a cumulative value."""
    target = row.target.value
    if row.value >= target:
        return DONE
    if row.value <= 0:
        return NOT_STARTED
    return ON_TRACK if row.value >= 0.9 * planned else LAGGING


def _summed(row: _Row) -> bool:
    """The lead's whole-task row of a decomposed task (地区 written as the province)."""
    return row.region is None and bool(row.region_name) and _cumulative(row)


def _sum_regions(row: _Row, parts: list[_Row]) -> None:
    """The lead reports the sum of its regions when their targets add up to the task's."""
    targets = [r.target.value for r in parts if r.target and r.target.value is not None]
    if not parts or len(targets) != len(parts) or any(r.value is None for r in parts):
        return
    if abs(sum(targets) - row.target.value) > 0.01 * row.target.value:
        return
    row.value = _round(row, sum(r.value for r in parts))
    row.status = _status(row, row.planned)
    row.scenario = "sum_of_regions"


def _numeric(row: _Row) -> bool:
    return bool(row.target and row.target.is_numeric)


def _cumulative(row: _Row) -> bool:
    """Quantities that grow through the year; rates and capped levels are judged against the target itself."""
    return (_numeric(row) and row.additive and row.target.kind is TargetKind.QUANTITY
            and row.target.direction is not Direction.LOWER and not _is_rate(row))


def _is_rate(row: _Row) -> bool:
    return bool(row.target and row.target.kind is TargetKind.RATE) or any(s in row.unit for s in "%‰/") \
        or row.unit.endswith("百分点")


def _scale(row: _Row) -> float:
    return row.target.scale if row.target and row.target.unit == row.unit else 1.0


def _is_count(row: _Row) -> bool:
    """个, 人, 套(间): things counted one by one."""
    return _scale(row) == 1 and row.unit.split("(")[0].split("（")[0] in _COUNT_UNITS


def _round(row: _Row, value: float) -> float:
    """Whole numbers for things counted one by one; decimals for 万-units, rates and ratios (4.5个/千人)."""
    whole = _is_count(row) and row.target.value is not None and float(row.target.value).is_integer()
    size = abs(row.target.value or 0)
    digits = 1 if _is_rate(row) else 0 if whole else 2 if size >= 1 or not size else 3 if size >= 0.1 else 4
    return float(round(value, digits))


def _write_texts(rng: random.Random, rnd: Round, files: list[_File]) -> None:
    for f in files:
        for row in f.rows:
            if row.original is not None:  # a pasted duplicate says the same
                row.progress, row.problems, row.measures, row.finish = (
                    row.original.progress, row.original.problems, row.original.measures, row.original.finish)
            else:
                _texts(rng, rnd, row)


def _texts(rng: random.Random, rnd: Round, row: _Row) -> None:
    """工作进展 / 存在问题 / 下步措施 as clerks write them, drawn after values are final."""
    row.problems = row.measures = ""
    row.finish = None
    value = row.detail.get("intended", row.value)
    if value is None:
        row.progress = rng.choice(_QUALITATIVE)
    elif row.status == DONE:
        row.progress = f"截至{rnd.month}月底，已完成{_fmt(value)}{row.unit}，年度目标任务已完成。"
    elif _cumulative(row) and row.target.value:
        share = max(value, 0) / row.target.value * 100
        row.progress = f"截至{rnd.month}月底，累计完成{_fmt(value)}{row.unit}，占年度目标的{share:.1f}%。" + \
            rng.choice(_PROGRESS)
    else:
        row.progress = f"截至{rnd.month}月底，{row.indicator}为{_fmt(value)}{row.unit}。" + rng.choice(_PROGRESS)
    if row.status in (LAGGING, NOT_STARTED):
        row.problems = "" if row.detail.get("no_problem") else rng.choice(_PROBLEMS)
        row.measures = rng.choice(_MEASURES)
    elif rng.random() < 0.3:
        row.problems, row.measures = "无", "持续加强调度，确保按期完成。"
    if row.status == DONE:
        row.finish = rnd.end - dt.timedelta(days=rng.randint(3, 40))


# -- files and their styles ----------------------------------------------------------------------------------
def _build_files(rng: random.Random, ledger: AnnualLedger, rnd: Round, plans: dict[str, list[_Row]],
                 cast: dict[str, list[str]]) -> list[_File]:
    label = lambda u: _label(ledger, u)  # noqa: E731
    files = [_File(u, label(u), plans[u], "template", identified_by=("metadata", "content", "filename"))
             for u in cast["template"]]
    if files:
        files[0].style.features.add("renamed")  # a clerk renames the template's sheet
    files += [_File(u, label(u), plans[u], "csv") for u in cast["csv"]]
    files += [_File(u, label(u), plans[u], "xlsx") for u in cast["resubmit"] + cast["zip"] + cast["xlsx"]]
    handmade = [f for f in files if f.form == "xlsx"]
    _assign_styles(rng, rnd, handmade, cast)
    _assign_names(rng, rnd, files, cast)
    _assign_times(rng, rnd, files)
    return sorted(files, key=lambda f: (f.path, f.member or ""))


def _label(ledger: AnnualLedger, unit: str) -> str:
    found = ledger.units.match(unit)
    label = found.label if found else unit
    return label.removesuffix("人民政府") or label


def _assign_styles(rng: random.Random, rnd: Round, files: list[_File], cast: dict[str, list[str]]) -> None:
    order = files[:]
    rng.shuffle(order)
    for i, feature in enumerate(_FEATURES):  # each feature in at least one file
        if order:
            order[i % len(order)].style.features.add(feature)
    if order:  # 繁体 statuses need rows to show in
        max(order, key=lambda f: len(f.rows)).style.features.add("traditional")
    plain = [f for f in order if f.unit in cast["xlsx"]]  # only these get names chosen freely
    for f in order:
        features = f.style.features
        features |= {x for x, p in _FEATURES.items() if rng.random() < p}
        if "footer" in features and rng.random() < 0.5:
            features.add("title")
        if plain and f is plain[0]:  # recognised only by what it says: generic name, 填报单位 line
            features.add("title")
            f.identified_by = ("content",)
        elif (len(plain) > 1 and f is plain[1]) or rng.random() < 0.3:  # recognised only by its file name
            f.style.unit_line = False
            f.identified_by = ("filename",)
        else:
            f.style.unit_line = "title" in features
            f.identified_by = ("content", "filename") if f.style.unit_line else ("filename",)
        f.style.sheet = rng.choice(("Sheet1", f"{rnd.month}月")) if "renamed" in features \
            else rng.choice(PROGRESS.sheet_names[1:])
        f.style.columns = _columns(rng, rnd, f)


def _columns(rng: random.Random, rnd: Round, f: _File) -> list[tuple[str, str]]:
    features = f.style.features
    keys = ["code", "name"] + (["region"] if any(r.region_name for r in f.rows) else [])
    keys += (["indicator"] if rng.random() < 0.5 else []) + ["unit", "target", "value", "status", "progress",
                                                             "problems"]
    keys += ["measures"] if rng.random() < 0.7 else []
    if "reorder" in features:
        head = keys[:2]
        rng.shuffle(keys)
        if keys[:2] == head:
            keys[0], keys[1] = keys[1], keys[0]
    if any(r.parts is Aggregation.WEIGHTED_MEAN for r in f.rows):
        keys.insert(keys.index("value") + 1, "weight")
    if any(r.parts is Aggregation.RATE for r in f.rows):
        keys[keys.index("value") + 1:keys.index("value") + 1] = ["numerator", "denominator"]
    if "two_row" in features:
        keys.insert(keys.index("value") + 1, "rate")
    if "extra_column" in features:
        keys.insert(keys.index("status") + 1 if rng.random() < 0.5 else len(keys), "owner")
    keys.insert(0, "seq")
    return [(k, _header(rng, rnd, k, features)) for k in keys]


def _header(rng: random.Random, rnd: Round, key: str, features: set) -> str:
    # 分子/分母/权重 are named without a draw, so the sample's other draws stay as they were
    fixed = {"seq": "序号", "owner": "责任人", "rate": "完成率", "numerator": "分子", "denominator": "分母", "weight": "权重"}
    if key in fixed:
        return fixed[key]
    f = PROGRESS.field(key)
    if key == "value":
        return f.header if "two_row" in features else rng.choice((f.header, f"截至{rnd.month}月底累计完成", *f.aliases[:2]))
    return rng.choice((f.header, f.header, *f.aliases[:2]))


def _assign_names(rng: random.Random, rnd: Round, files: list[_File], cast: dict[str, list[str]]) -> None:
    used: set[str] = set()
    m, y = rnd.month, rnd.year
    zipped = [f for f in files if f.unit in cast["zip"]]
    zip_path = "邮件附件/" + "、".join(f.label for f in zipped) + f"{m}月民生实事进展.zip" if zipped else ""
    for i, f in enumerate(files):
        if f.form == "template":
            f.path = ""  # the name comes from render.fillin when written
        elif f.form == "csv":
            f.path = _unique(f"{f.label}{m}月民生实事进度（系统导出）.csv", used)
        elif f.unit in cast["resubmit"]:
            f.path = _unique(f"{f.label}{m}月台账(修改版).xlsx", used)
        elif f in zipped:
            f.path, f.member = zip_path, f"{f.label}{m}月进度.xlsx"
        else:
            folder = rng.choice(("", "", "邮件附件/", "微信文件/"))
            f.path = _unique(folder + _handmade_name(rng, f, y, m), used)


def _handmade_name(rng: random.Random, f: _File, y: int, m: int) -> str:
    if f.identified_by == ("content",):
        return rng.choice((f"附件2 民生实事{m}月进度表 最终版.xlsx", "新建 Microsoft Excel 工作表.xlsx",
                           f"{m}月进度表(1).xlsx"))
    return rng.choice((f"{f.label}-{y}年{m}月民生实事进展.xlsx", f"附件2 {f.label}民生实事{m}月进度表 最终版.xlsx",
                       f"{y}年{m}月民生实事任务推进情况（{f.label}）.xlsx", f"{f.label}{m}月份民生实事台账.xlsx"))


def _unique(path: str, used: set[str]) -> str:
    stem, dot, ext = path.rpartition(".")
    candidate, n = path, 1
    while candidate.casefold() in used:
        candidate, n = f"{stem}({n}).{ext}", n + 1
    used.add(candidate.casefold())
    return candidate


def _assign_times(rng: random.Random, rnd: Round, files: list[_File]) -> None:
    """Arrivals spread over the four days before the deadline, in a random order."""
    deadline = rnd.deadline or rnd.default_deadline()
    moment = dt.datetime.combine(deadline - dt.timedelta(days=4), dt.time(8, 30))
    order = files[:]
    rng.shuffle(order)
    longest = max(10, 2 * 4 * 24 * 60 // max(1, len(order)))  # the mean step fills about four days
    for f in order:
        moment += dt.timedelta(minutes=rng.randint(5, longest))
        f.mtime = moment


# -- planted problems in values -------------------------------------------------------------------------------------
def _plant_rows(rng: random.Random, ledger: AnnualLedger, files: list[_File]) -> None:
    """One row per planted kind, preferring hand-made files, spreading plants over files."""
    load: dict[int, int] = {}
    plants: list[tuple[str, Callable[[_File, _Row], bool], Callable]] = [
        ("far_above_target", lambda f, r: _cumulative(r) and _scale(r) > 1 and r.value > 0, _far_above),
        ("wan_scaled", lambda f, r: _cumulative(r) and _is_count(r) and r.value >= 5000, _wan),
        ("text_number", lambda f, r: _is_rate(r) and "%" in r.unit and r.value is not None, _percent_text),
        ("text_number", lambda f, r: _is_count(r) and r.value >= 1000, _thousands),
        ("formula_no_cache", lambda f, r: f.form == "xlsx" and _cumulative(r) and _target_cell_numeric(r)
         and r.value > 0, _formula),
        ("completed_below_target", lambda f, r: _cumulative(r) and r.status != DONE and r.target.value >= 10,
         _completed_below),
        ("negative", lambda f, r: _cumulative(r) and r.value > 0, _negative),
        ("fullwidth", lambda f, r: _numeric(r) and r.value > 0, _fullwidth),
        ("approx", lambda f, r: _cumulative(r) and r.value >= 20, _approx),
        ("duplicate_row", lambda f, r: f.form == "xlsx", None),
    ]
    for kind, fits, apply in plants:
        chosen = _choose(rng, files, load, fits)
        if chosen is None:
            continue
        f, row = chosen
        load[id(f)] = load.get(id(f), 0) + 1
        if apply is None:
            _duplicate(f, row)
        else:
            row.plant = kind
            apply(rng, row)
    _unknown_task(rng, ledger, files, load)
    # A text-only plant: it can share a row with a value plant.
    lagging = [r for f in files if f.form in ("xlsx", "template") for r in f.rows
               if r.status == LAGGING and r.original is None and not any(x.original is r for x in f.rows)]
    if lagging:
        rng.choice(lagging).detail["no_problem"] = True


def _choose(rng: random.Random, files: list[_File], load: dict[int, int], fits) -> tuple[_File, _Row] | None:
    for forms in (("xlsx",), ("template",)):
        pool = [(f, r) for f in files if f.form in forms for r in f.rows
                if r.plant is None and not r.unknown and r.original is None and fits(f, r)]
        if pool:
            least = min(load.get(id(f), 0) for f, _ in pool)
            return rng.choice([(f, r) for f, r in pool if load.get(id(f), 0) == least])
    return None


def _far_above(rng: random.Random, row: _Row) -> None:
    # Entered in 个 instead of 万个: 70000 for 7 万个.
    row.detail["intended"] = row.value
    row.value = float(round(row.value * _scale(row)))
    row.literal = _plain(row.value)


def _wan(rng: random.Random, row: _Row) -> None:
    row.value = float(max(100, round(row.value / 100) * 100))
    row.literal = f"{_fmt(row.value / 10000)}万"


def _percent_text(rng: random.Random, row: _Row) -> None:
    row.literal = f"{_fmt(row.value)}%"


def _thousands(rng: random.Random, row: _Row) -> None:
    row.literal = f"{int(row.value):,}"


def _formula(rng: random.Random, row: _Row) -> None:
    # =<target cell>*ratio, written by openpyxl without a cached value; the cell address is set when written.
    ratio = max(0.01, round(row.value / row.target.value, 2))
    row.value = round(row.target.value * ratio, 6)
    row.detail.update(ratio=ratio, target_value=row.target.value)


def _completed_below(rng: random.Random, row: _Row) -> None:
    row.value = min(_round(row, row.target.value * rng.uniform(0.86, 0.97)), row.target.value - 1)
    row.status, row.scenario = DONE, "completed_below_target"


def _negative(rng: random.Random, row: _Row) -> None:
    row.value = -row.value
    row.literal = _plain(row.value)


def _fullwidth(rng: random.Random, row: _Row) -> None:
    row.literal = _fmt(row.value).translate(_FULLWIDTH)


def _approx(rng: random.Random, row: _Row) -> None:
    row.value = float(round(row.value, -1 if row.value >= 100 else 0))
    row.literal = f"约{_fmt(row.value)}"


def _duplicate(f: _File, row: _Row) -> None:
    """The same row pasted twice."""
    copy = replace(row, detail=dict(row.detail), place={}, original=row)
    f.rows.insert(f.rows.index(row) + 1, copy)


def _unknown_task(rng: random.Random, ledger: AnnualLedger, files: list[_File], load: dict[int, int]) -> None:
    """A department adds a task of its own that the ledger does not have."""
    pool = [f for f in files if f.form == "xlsx" and any(r.region is None for r in f.rows)] or \
        [f for f in files if f.form == "xlsx"]
    if not pool:
        return
    least = min(load.get(id(f), 0) for f in pool)
    f = rng.choice([f for f in pool if load.get(id(f), 0) == least])
    row = _Row(_unknown_code(ledger), "城市社区嵌入式服务设施建设", None, "", "建成设施数", "个", True, None, "30",
               value=float(rng.randint(8, 14)), status=ON_TRACK, scenario="unknown_task", unknown=True,
               plant="unknown_task")
    f.rows.append(row)


def _unknown_code(ledger: AnnualLedger) -> str:
    """A code shaped like the ledger's own ('MS-12' → 'MS-98') that is not in it."""
    last = list(ledger.tasks)[-1] if ledger.tasks else "1"
    digits = len(last) - len(last.rstrip("0123456789"))
    stem = last[: len(last) - digits] if digits else last + "-"
    for n in range(98, 10000):
        code = f"{stem}{n:0{max(digits, 2)}d}"
        if code not in ledger.tasks:
            return code
    raise AssertionError("no free task code")  # unreachable for any real ledger


# -- the corrected resubmission --------------------------------------------------------------------------------
def _resubmission(rng: random.Random, rnd: Round, files: list[_File], cast: dict[str, list[str]]) -> _File | None:
    """The first version of the 修改版: the same sheet a day earlier, with two values the clerk later corrected."""
    if not cast["resubmit"]:
        return None
    new = next(f for f in files if f.unit == cast["resubmit"][0])
    rows = [replace(r, detail=dict(r.detail), place={}) for r in new.rows]
    for copy in rows:
        if copy.original is not None:
            copy.original = rows[new.rows.index(copy.original)]
    changeable = [r for r in rows if _cumulative(r) and r.original is None and not any(x.original is r for x in rows)]
    rng.shuffle(changeable)
    changeable.sort(key=lambda r: r.plant is not None)  # plain rows first; a planted one is plain before
    for row in changeable[:2]:
        base = row.detail.get("intended", row.value)
        row.value = _round(row, abs(base) * rng.uniform(0.7, 0.9))
        row.literal, row.plant, row.detail = None, None, {}
        row.status, row.scenario = _status(row, row.planned or row.target.value), "superseded"
        _texts(rng, rnd, row)
    style = replace(new.style, features=set(new.style.features), columns=list(new.style.columns))
    return replace(new, rows=rows, path=new.path.replace("(修改版)", ""), winning=False, marks=[], style=style,
                   mtime=new.mtime - dt.timedelta(days=1, hours=2))


# -- writing ---------------------------------------------------------------------------------------------
def _write(ledger: AnnualLedger, rnd: Round, out: Path, files: list[_File]) -> list[Path]:
    templates = _render_templates(ledger, rnd, [f for f in files if f.form == "template"])
    blobs: dict[str, list[tuple[_File, bytes]]] = {}
    for i, f in enumerate(f for f in files if f.form == "template"):
        f.path = _template_path(rnd, f, templates[f.unit][0], i)
    for f in files:
        if f.form == "template":
            data = _fill_template(templates[f.unit][1], f, rnd)
        elif f.form == "csv":
            data = _csv(f)
        else:
            data = _handmade(f, rnd)
        blobs.setdefault(f.path, []).append((f, data))
    paths = []
    for rel, items in sorted(blobs.items()):
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(_zip(items) if rel.endswith(".zip") else items[0][1])
        stamp = time.mktime(max(f.mtime for f, _ in items).timetuple())
        os.utime(path, (stamp, stamp))
        paths.append(path)
    return paths


def _render_templates(ledger: AnnualLedger, rnd: Round, files: list[_File]) -> dict[str, tuple[str, bytes]]:
    """Fill-in templates from render.fillin for the chosen units: unit → (file name, bytes)."""
    if not files:
        return {}
    generated = dt.datetime.combine(rnd.end - dt.timedelta(days=6), dt.time(9, 0))
    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        for path in _template_writer()(ledger, rnd, tmp, units=[f.unit for f in files], generated=generated):
            data = path.read_bytes()
            out[_meta_unit(load_workbook(io.BytesIO(data), read_only=True))] = (path.name, data)
    return out


def _meta_unit(book) -> str:
    rows = book[META_SHEET].iter_rows(min_col=1, max_col=2, values_only=True)
    return str({label: value for label, value in rows}[META_KEYS["unit"]])


def _template_path(rnd: Round, f: _File, name: str, i: int) -> str:
    """Templates come back under their own name, from a mail folder, or renamed by the clerk."""
    if i == 2:
        name = f"{f.label}{rnd.month}月民生实事填报（已审核）.xlsx"
    return ("邮件附件/" if i == 1 else "") + name


def _fill_template(template: bytes, f: _File, rnd: Round) -> bytes:
    """Type the values into a fill-in template, as a clerk does; the metadata sheet stays."""
    book = load_workbook(io.BytesIO(template))
    ws, header, cols = _find_header(book)
    pending = list(f.rows)
    for r in range(header + 1, ws.max_row + 1):
        code = ws.cell(r, cols["code"]).value
        region = (ws.cell(r, cols["region"]).value or "") if "region" in cols else ""
        match = next((x for x in pending if x.code == code and x.region_name == region), None)
        if match is None:
            continue
        pending.remove(match)
        _put_row(ws, r, cols, match, trad=False)
        if match.finish and "finish_date" in cols:
            ws.cell(r, cols["finish_date"]).value = match.finish
            match.place["finish_cell"] = _ref(r, cols["finish_date"])
    if pending:
        raise AssertionError(f"template rows differ from the plan for {f.unit}: {[x.code for x in pending]}")
    if "renamed" in f.style.features:
        ws.title = f"{rnd.month}月"
        f.marks.append(("renamed_sheet", {"cell": _ref(header, cols["value"]),
                                          "written": ws.cell(header, cols["value"]).value}))
    f.sheet, f.header_rows = ws.title, [header]
    for row in f.rows:
        row.place["sheet"] = ws.title
    return _save(book, f)


def _find_header(book) -> tuple[Any, int, dict[str, int]]:
    for ws in book.worksheets:
        if ws.sheet_state != "visible":
            continue
        for r in range(1, min(ws.max_row, 20) + 1):
            cols: dict[str, int] = {}
            for c in range(1, ws.max_column + 1):
                found = PROGRESS.match(str(ws.cell(r, c).value or ""))
                if found and found.key not in cols:
                    cols[found.key] = c
            if "code" in cols and "value" in cols:
                return ws, r, cols
    raise AssertionError("fill-in template without a progress table")


def _draw_parts(row: _Row) -> None:
    """分子 and 分母 that give the row's rate (as written, to within its rounding), or its 权重 (常住人口, 万人);
    about one row in seven gives the rate alone. Drawn from the row's own generator, so the sample's other
    draws stay as they were."""
    if row.parts is None or row.value is None or row.plant is not None or row.unknown:
        return
    rng = random.Random(f"{row.code}|{row.region}|parts")
    if rng.random() < 0.15:
        return
    if row.parts is Aggregation.WEIGHTED_MEAN:
        row.weight = round(rng.uniform(15, 130), 1)
        return
    scale = rate_scale(row.unit)
    row.denominator = float(rng.randint(2000, 50000) * max(1, round(scale / 100)))
    row.numerator = float(round(row.value / scale * row.denominator))


def _put_row(ws, r: int, cols: dict[str, int], row: _Row, trad: bool) -> None:
    """Value, status and texts of one row into the columns a sheet has."""
    _draw_parts(row)
    for key in ("numerator", "denominator", "weight"):
        if key in cols and getattr(row, key) is not None:
            ws.cell(r, cols[key]).value = _plain(getattr(row, key))
            row.place[f"{key}_cell"] = _ref(r, cols[key])
    value_cell = ws.cell(r, cols["value"])
    if row.detail.get("ratio") is not None:
        row.literal = f"={_ref(r, cols['target'])}*{row.detail['ratio']}"
    value_cell.value = row.literal if row.literal is not None else _plain(row.value)
    status = _TRAD_STATUS[row.status] if trad else row.status
    row.status_text = status if status != row.status else None
    for key, text in (("status", status), ("progress", row.progress), ("problems", row.problems),
                      ("measures", row.measures)):
        if key in cols:
            ws.cell(r, cols[key]).value = (_s2t(text) if trad and key != "status" else text) or None
    row.place.update(cell=_ref(r, cols["value"]), status_cell=_ref(r, cols["status"]) if "status" in cols else None,
                     problems_cell=_ref(r, cols["problems"]) if "problems" in cols else None)


def _handmade(f: _File, rnd: Round) -> bytes:
    """A sheet a clerk built: any header wording and order, title and footer rows, merges, 繁体."""
    features, trad = f.style.features, "traditional" in f.style.features
    tr = _s2t if trad else (lambda s: s)
    book = Workbook()
    ws = book.active
    ws.title = f.style.sheet
    f.sheet = ws.title
    if "extra_sheet" in features:
        _guide(book, f, rnd)
    width = len(f.style.columns)
    last = get_column_letter(width)
    r = 1
    if "title" in features:
        r = _title_rows(ws, f, rnd, tr, last)
    cols = {key: i + 1 for i, (key, _) in enumerate(f.style.columns)}
    header = r
    if "two_row" in features:
        r = _two_row_header(ws, f, r, cols, tr)
    else:
        for key, text in f.style.columns:
            ws.cell(r, cols[key]).value = tr(text)
        r += 1
    _header_marks(f, ws, header, cols, trad)
    f.header_rows = list(range(header, r))
    seq = 0
    for i, row in enumerate(f.rows):
        seq += row.original is None  # a pasted row keeps the 序号 it was copied with
        _write_locked(ws, r, cols, row, seq, tr, _PEOPLE[(i + len(f.label)) % len(_PEOPLE)])
        _put_row(ws, r, cols, row, trad)
        row.place["sheet"] = ws.title
        r += 1
    if "footer" in features:
        _footer(ws, f, r + 1, tr)
    return _save(book, f)


def _write_locked(ws, r: int, cols: dict[str, int], row: _Row, seq: int, tr, person: str) -> None:
    """The columns a clerk copies from the ledger, plus the extras (序号, 完成率, 责任人)."""
    numeric_target = _target_cell_numeric(row)
    values = {"seq": seq, "code": row.code, "name": tr(row.name), "region": tr(row.region_name) or None,
              "indicator": tr(row.indicator), "unit": tr(row.unit) or None,
              "target": _plain(row.target.value) if numeric_target else tr(row.target_text),
              "owner": tr(person)}
    if "rate" in cols:
        share = row.value / row.target.value * 100 if _cumulative(row) and row.target.value else None
        values["rate"] = f"{share:.1f}%" if share is not None else "—"
    for key, value in values.items():
        if key in cols:
            ws.cell(r, cols[key]).value = value


def _target_cell_numeric(row: _Row) -> bool:
    """年度目标 goes into a hand-made sheet as a bare number (a formula can refer to it)."""
    return _numeric(row) and row.target.comparator is None and row.target.unit == row.unit


def _title_rows(ws, f: _File, rnd: Round, tr, last: str) -> int:
    unit = f.label if f.style.unit_line else ""
    title = tr(f"{unit}{rnd.year}年{rnd.month}月民生实事任务进展情况表")
    ws["A1"] = title
    ws.merge_cells(f"A1:{last}1")
    day = (rnd.deadline or rnd.default_deadline()) - dt.timedelta(days=2)
    line = f"填报单位：{f.label}（盖章）        " if f.style.unit_line else ""
    ws["A2"] = tr(f"{line}填报日期：{day.year}年{day.month}月{day.day}日")
    ws["A3"] = tr(f"说明：累计完成数为1—{rnd.month}月累计数，计量单位与年度目标一致。")
    f.marks.append(("title_rows", {"cell": "A1", "written": title, "rows": [1, 2, 3],
                                   "unit_cell": "A2" if f.style.unit_line else None}))
    return 4


def _two_row_header(ws, f: _File, r: int, cols: dict[str, int], tr) -> int:
    """Each header merged over two rows, except 完成情况 spanning 累计完成 and 完成率."""
    for key, text in f.style.columns:
        c = cols[key]
        if key in ("value", "rate"):
            ws.cell(r + 1, c).value = tr(text)
        else:
            ws.cell(r, c).value = tr(text)
            ws.merge_cells(start_row=r, start_column=c, end_row=r + 1, end_column=c)
    group = tr("完成情况")
    ws.cell(r, cols["value"]).value = group
    ws.merge_cells(start_row=r, start_column=cols["value"], end_row=r, end_column=cols["rate"])
    f.marks.append(("two_row_header", {"cell": _ref(r, cols["value"]), "written": group,
                                       "merged": f"{_ref(r, cols['value'])}:{_ref(r, cols['rate'])}",
                                       "lower": {"cell": _ref(r + 1, cols["value"]),
                                                 "written": ws.cell(r + 1, cols["value"]).value},
                                       "rows": [r, r + 1]}))
    return r + 2


def _header_marks(f: _File, ws, header: int, cols: dict[str, int], trad: bool) -> None:
    lower = header + 1 if "two_row" in f.style.features else header  # where 累计完成 is written
    value_cell, written = _ref(lower, cols["value"]), ws.cell(lower, cols["value"]).value
    if trad:
        rows = {key: lower if key in ("value", "rate") else header for key in cols}
        headers = {_ref(rows[k], c): ws.cell(rows[k], c).value for k, c in cols.items()}
        f.marks.append(("traditional_header", {"cell": value_cell, "written": written, "headers": headers}))
    if "extra_column" in f.style.features:
        f.marks.append(("extra_column", {"cell": _ref(header, cols["owner"]),
                                         "written": ws.cell(header, cols["owner"]).value}))
    if "reorder" in f.style.features:
        f.marks.append(("reordered_columns", {"cell": value_cell, "written": written,
                                              "columns": [k for k, _ in f.style.columns]}))
    if "renamed" in f.style.features:
        f.marks.append(("renamed_sheet", {"cell": value_cell, "written": written}))


def _guide(book, f: _File, rnd: Round) -> None:
    ws = book.create_sheet("说明", 0)
    text = f"填报说明：请于{rnd.month + 1 if rnd.month < 12 else 1}月5日前报送，累计完成填写年初至本月底累计数。"
    ws["A1"] = text
    ws["A2"] = "数据表见下一个工作表。"
    f.marks.append(("extra_sheet", {"sheet": "说明", "cell": "A1", "written": text, "data_sheet": f.style.sheet}))


def _footer(ws, f: _File, r: int, tr) -> None:
    text = tr(f"填表人：{_PEOPLE[len(f.label) % len(_PEOPLE)]}")
    ws.cell(r, 1).value = text
    ws.cell(r, 3).value = tr("联系电话：027-8723" + f"{len(f.rows):04d}")
    ws.cell(r + 1, 1).value = tr("审核人：")
    f.marks.append(("footer_rows", {"cell": _ref(r, 1), "written": text, "rows": [r, r + 1]}))


def _csv(f: _File) -> bytes:
    """A system export opened in Excel and saved as CSV: GB18030, every cell text."""
    keys = ["code", "name"] + (["region"] if any(r.region_name for r in f.rows) else []) + \
        ["unit", "target", "value", "status", "progress", "problems"]
    unit_line = f"填报单位：{f.label}"
    grid = [[unit_line] + [""] * (len(keys) - 1), [PROGRESS.field(k).header for k in keys]]
    for row in f.rows:
        r = len(grid) + 1
        values = {"code": row.code, "name": row.name, "region": row.region_name, "unit": row.unit,
                  "target": row.target_text, "value": "" if row.value is None else _fmt(row.value),
                  "status": row.status, "progress": row.progress, "problems": row.problems}
        grid.append([values[k] for k in keys])
        row.literal = values["value"] or None
        row.place.update(sheet=Path(f.path).stem, cell=_ref(r, keys.index("value") + 1),
                         status_cell=_ref(r, keys.index("status") + 1))
    f.sheet, f.header_rows = Path(f.path).stem, [2]
    f.identified_by = ("content", "filename")
    f.marks.append(("csv_gb18030", {"cell": "A1", "written": unit_line, "encoding": "gb18030"}))
    text = io.StringIO()
    csv.writer(text).writerows(grid)
    return text.getvalue().encode("gb18030")


def _save(book, f: _File) -> bytes:
    book.properties.creator = "Administrator"
    book.properties.created = f.mtime
    buffer = io.BytesIO()
    book.save(buffer)
    return _stable(buffer.getvalue(), f.mtime)


def _stable(data: bytes, moment: dt.datetime) -> bytes:
    """openpyxl stamps the wall clock into the package; put the file's own time there instead."""
    stamp = moment.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info)
            if info.filename == "docProps/core.xml":
                body = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + stamp, body)
            dst.writestr(zipfile.ZipInfo(info.filename, moment.timetuple()[:6]), body, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _zip(items: list[tuple[_File, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for f, data in sorted(items, key=lambda x: x[0].member):
            zf.writestr(zipfile.ZipInfo(f.member, f.mtime.timetuple()[:6]), data, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


# -- truth ---------------------------------------------------------------------------------------------------
def _truth(ledger: AnnualLedger, rnd: Round, seed: int, files: list[_File], cast: dict[str, list[str]],
           old: _File | None) -> dict:
    planted: dict[str, list[dict]] = {k: [] for k in KINDS}
    out_files = []
    for f in files:
        where = {"file": f.display, "path": f.path, "member": f.member}
        out_files.append({**where, "unit": f.unit, "label": f.label, "form": f.form, "winning": f.winning,
                          "mtime": f.mtime.isoformat(), "sheet": f.sheet, "header_rows": f.header_rows,
                          "identified_by": list(f.identified_by),
                          "rows": [_truth_row(r) for r in f.rows]})
        for kind, entry in f.marks:
            planted[kind].append({**where, "sheet": f.sheet, **entry})
        if not f.winning:
            continue
        for row in f.rows:
            for kind, entry in _row_plants(row):
                planted[kind].append({**where, **entry})
    zips = sorted({f.path for f in files if f.member})
    for path in zips:
        members = [f.member for f in files if f.path == path]
        planted["zip"].append({"file": path, "path": path, "member": None, "members": members})
    resubmitted = {}
    if old:
        new = next(f for f in files if f.unit == old.unit and f.winning)
        changes = [{"task": a.code, "region": a.region, "old": _plain(a.value), "new": _plain(b.value),
                    "old_cell": a.place.get("cell"), "new_cell": b.place.get("cell")}
                   for a, b in zip(old.rows, new.rows) if a.value != b.value]
        planted["resubmission"].append({"file": new.display, "path": new.path, "member": None,
                                        "previous_file": old.display, "changes": changes})
        resubmitted[old.unit] = [old.display, new.display]
    return {
        "ledger": Path(ledger.path).name if ledger.path else ledger.title,
        "round": rnd.key,
        "seed": seed,
        "files": out_files,
        "missing_units": list(cast["missing"]),
        "resubmitted": resubmitted,
        "planted": {k: v for k, v in planted.items() if v},
    }


def _truth_row(row: _Row) -> dict:
    out = {"task": row.code, "region": row.region, "value": _plain(row.value), "status": row.status,
           "scenario": row.scenario, "sheet": row.place.get("sheet"), "cell": row.place.get("cell"),
           "written": _written(row),
           "status_cell": row.place.get("status_cell"), "status_written": row.status_text or row.status}
    if row.place.get("finish_cell"):
        out.update(finish_date=row.finish.isoformat(), finish_cell=row.place["finish_cell"])
    for key in ("numerator", "denominator", "weight"):
        if row.place.get(f"{key}_cell"):
            out.update({key: _plain(getattr(row, key)), f"{key}_cell": row.place[f"{key}_cell"]})
    if row.unknown:
        out["unknown_task"] = True
    if row.original is not None:
        out["duplicate_of"] = row.original.place.get("cell")
    if "intended" in row.detail:
        out["intended"] = _plain(row.detail["intended"])
    return out


def _row_plants(row: _Row) -> list[tuple[str, dict]]:
    base = {"sheet": row.place.get("sheet"), "cell": row.place.get("cell"), "task": row.code, "region": row.region,
            "value": _plain(row.value), "written": _written(row)}
    out = []
    if row.plant:
        extra = {k: _plain(v) if isinstance(v, float) else v for k, v in row.detail.items() if k != "no_problem"}
        if row.plant == "formula_no_cache":
            extra["cached"] = None
        if row.plant == "completed_below_target":
            extra.update(status=row.status, target=_plain(row.target.value))
        if row.plant == "far_above_target":
            extra["target"] = _plain(row.target.value)
        out.append((row.plant, {**base, **extra}))
    if row.detail.get("no_problem"):
        out.append(("lagging_without_problem", {**base, "cell": row.place.get("problems_cell"), "written": None,
                                                "value_cell": row.place.get("cell"), "status": row.status}))
    if row.original is not None:
        out.append(("duplicate_row", {**base, "original": row.original.place.get("cell")}))
    if row.status_text:
        out.append(("traditional_status", {**base, "cell": row.place.get("status_cell"), "written": row.status_text,
                                           "status": row.status}))
    return out


# -- small helpers --------------------------------------------------------------------------------------------
def _ref(row: int, col: int) -> str:
    return f"{get_column_letter(col)}{row}"


def _plain(value: float | None) -> int | float | None:
    """A number as a clerk types it: 1200, not 1200.0."""
    if value is None:
        return None
    return int(value) if float(value).is_integer() else round(value, 6)


def _written(row: _Row) -> Any:
    """The literal content of the row's value cell."""
    return row.literal if row.literal is not None else _plain(row.value)


def _fmt(value: float) -> str:
    """1200 → '1200', 2.5 → '2.5' (no exponent, no trailing zeros)."""
    if float(value).is_integer():
        return str(int(value))
    return f"{round(value, 6):f}".rstrip("0").rstrip(".")


@lru_cache(maxsize=1)
def _s2t_converter():
    import opencc

    return opencc.OpenCC("s2t")


def _s2t(text: str) -> str:
    return _s2t_converter().convert(text) if text else text
