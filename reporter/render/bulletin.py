"""The 月度通报 (monthly bulletin): a round's rollup turned into a `Document` for the Word and PDF renderers.

What it says is decided here and in the clerk-editable templates under `templates/bulletin/`; how it looks is
the renderers' business. One context (see `bulletin_context`) feeds every template, so a clerk may use any
variable in any of them. Choices worth knowing:
- Tasks are counted and named at task level (`Rollup.tasks`), not per region row.
- 三、 names every 牵头单位 with lagging tasks (公开曝光 as the Wuhan opinion asks) but at most
  `NAMED_TASKS` tasks, most behind first; the others are counted per unit and referred to 附件1.
- 二、 lists the 前三 only among scores of 90 (按序时) and above; 三、 the 后三 only below 90, so a round where
  everyone is on schedule praises no one falsely and shames no one.
"""
from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections import defaultdict
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Mapping

from ..model.round_ledger import TOTAL
from ..rollup.rankings import POINTS, rank
from ..rollup.status import LAGGING, Status
from ..rollup.summary import Rollup
from .document import Attachment, Block, Document, Heading, Paragraph, Table, issue_day
from .wording import (TEMPLATES_DIR, WordingError, cn_numeral, environment, fmt_number, fmt_percent, render,
                      render_text)

OFFICE_TOML = TEMPLATES_DIR / "office.toml"
NAMED_TASKS = 10  # lagging tasks named in the text; the rest are in 附件1
PRAISE = POINTS[Status.ON_SCHEDULE]  # 前三 must score at least this, 后三 less
INTRO = "bulletin/intro.j2"
SECTIONS = ("bulletin/overview.j2", "bulletin/highlights.j2", "bulletin/problems.j2", "bulletin/requirements.j2")
TITLE = "bulletin/title.j2"
ANNEX_TASKS_TITLE = "bulletin/annex_tasks_title.j2"
ANNEX_RANKING_TITLE = "bulletin/annex_ranking_title.j2"
DONE = {Status.DONE, Status.DONE_EARLY}
ON_TRACK = DONE | {Status.AHEAD, Status.ON_SCHEDULE}
# Severity order for picking which lagging tasks the text names
SEVERITY = {Status.OVERDUE: 0, Status.SEVERE: 1, Status.NOT_STARTED: 2, Status.BEHIND: 3, Status.NOT_REPORTED: 4}


# --------------------------------------------------------------------------- office


@dataclass
class Office:
    """An office's fixed texts (templates/office.toml, or the [office] table of reporter.toml)."""

    name: str  # 发文机关全称
    short: str = ""  # 简称, e.g. 省民生办
    issuer: str = ""  # 发文机关标志; defaults to name
    doc_number: str = ""  # 发文字号 pattern: {year} {seq} {month}, e.g. 鄂民生办〔{year}〕{seq}号
    addressee: str = ""  # 主送机关, ends with '：'
    signature: str = ""  # 落款; defaults to name
    cc: str = ""  # 抄送机关, comma-separated, ending '。', without the '抄送：' label
    printed_by: str = ""  # 印发机关; defaults to name
    note: str = ""  # 附注, e.g. （此件公开发布）
    scope: str = ""  # 全省 / 全市 / 全县; '' → from the ledger's office (see fitted)
    region_word: str = ""  # what the ranked regions are called (市州 / 县（市、区）); '' → from the ledger
    requirements: list[str] = field(default_factory=list)  # 下步工作要求, one paragraph each

    def __post_init__(self) -> None:
        self.issuer = self.issuer or self.name
        self.signature = self.signature or self.name
        self.printed_by = self.printed_by or self.name

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], source: str = "") -> "Office":
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        where = f"“{source}”" if source else ""
        if not str(values.get("name") or "").strip():
            raise WordingError(f"发文机关配置{where}缺少 name（发文机关全称）。")
        reqs = values.get("requirements", [])
        values["requirements"] = [reqs] if isinstance(reqs, str) else [str(r).strip() for r in reqs if str(r).strip()]
        for key in known - {"requirements"}:
            if key in values:
                values[key] = str(values[key]).strip()
        return cls(**values)

    def fitted(self, ledger) -> "Office":
        """The words this file leaves blank taken from the ledger's own office: 全市 and 县（市、区） for a city."""
        office = getattr(ledger, "office", None)
        scope = self.scope or ledger.scope
        word = self.region_word or (office.children_word if office else "") or "地区"
        return self if (scope, word) == (self.scope, self.region_word) else replace(self, scope=scope,
                                                                                    region_word=word)

    def number(self, year: int, seq: int, month: int) -> str:
        """发文字号 from the pattern; '' when the office numbers nothing."""
        try:
            return self.doc_number.format(year=year, seq=seq, month=month)
        except (KeyError, IndexError, ValueError) as exc:
            raise WordingError(f"发文字号格式“{self.doc_number}”有误（{exc}）：只能使用 {{year}}、{{seq}}、{{month}}。") from None


def load_office(path: str | Path | None = None, ledger=None) -> Office:
    """Read an office file: its [office] table when it has one (reporter.toml does), else its top-level keys.

    Keys: name (required), short, issuer, doc_number, addressee, signature, cc, printed_by, note, scope,
    region_word, requirements (list of paragraphs). Unknown keys are ignored, so reporter.toml's [office]
    may carry keys for other documents too. Without a path: the sample office, templates/office.toml — or,
    for a `ledger` of another office, that office's texts derived from its ledger (render/office_texts.py).
    """
    table = office_table(path, ledger)
    return Office.from_mapping(table["office"], str(path or OFFICE_TOML))


def office_table(path: str | Path | None = None, ledger=None) -> dict[str, Any]:
    """The whole office file as a dict ({'office': …, 'notices': …}), derived from the ledger as load_office says."""
    derived = _derived(ledger) if path is None else None
    if derived is not None:
        return derived
    path = Path(path) if path else OFFICE_TOML
    if not path.is_file():
        raise WordingError(f"找不到发文机关配置文件“{path}”。")
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise WordingError(f"发文机关配置文件“{path}”格式有误：{exc}") from None
    return {**raw, "office": raw.get("office", raw)}


def _derived(ledger) -> dict[str, Any] | None:
    """The ledger's own office texts when the packaged sample office (region = 湖北省) is not its office."""
    region = getattr(ledger, "office", None)
    if region is None:
        return None
    sample = tomllib.loads(OFFICE_TOML.read_text(encoding="utf-8")).get("office", {})
    if sample.get("region") == region.name:
        return None
    from .office_texts import derived_texts

    return derived_texts(region)


# --------------------------------------------------------------------------- content


def _task_item(ro: Rollup, code: str) -> dict[str, Any]:
    task, j = ro.ledger.tasks[code], ro.tasks[code]
    return {"code": code, "name": task.name, "lead": ro.label(task.lead), "status": j.status.value,
            "gap": j.gap, "completion": j.completion, "time_progress": j.time_progress,
            "runs": ro.consecutive.get((code, TOTAL), 1)}


def _severity(item: dict[str, Any]) -> tuple:
    gap = item["gap"]
    return SEVERITY.get(Status(item["status"]), 9), gap is None, gap if gap is not None else 0.0


def lag_groups(ro: Rollup, limit: int = NAMED_TASKS) -> tuple[list[dict], list[dict]]:
    """(groups naming tasks, groups only counted): lagging tasks by 牵头单位, the `limit` most behind named.

    Named groups come in the order of their worst task; counted ones by count, then name.
    """
    items = sorted((_task_item(ro, c) for c, j in ro.tasks.items() if j.status.lagging), key=_severity)
    named = {id(i) for i in items[:limit]}
    by_lead: dict[str, list[dict]] = defaultdict(list)
    for item in items:
        by_lead[item["lead"]].append(item)
    groups, rest = [], []
    for lead, tasks in by_lead.items():  # insertion order = order of each lead's worst task
        shown = [t for t in tasks if id(t) in named]
        if shown:
            groups.append({"lead": lead, "count": len(tasks), "named": shown, "more": len(shown) < len(tasks)})
        else:
            rest.append({"lead": lead, "count": len(tasks)})
    rest.sort(key=lambda g: (-g["count"], g["lead"]))
    return groups, rest


def _classes(counts: Mapping[str, int]) -> list[dict[str, Any]]:
    done = counts.get(Status.DONE.value, 0) + counts.get(Status.DONE_EARLY.value, 0)
    out = [{"status": Status.DONE.value, "count": done}]
    out += [{"status": s.value, "count": counts.get(s.value, 0)} for s in Status if s not in DONE]
    return [c for c in out if c["count"]]


def _missing(ro: Rollup) -> tuple[list[str], int]:
    """Non-submitting units (short names) and how many tasks they left unreported."""
    missing = set(ro.round_ledger.missing)
    tasks = {row.task for row in ro.round_ledger if row.owner in missing and not row.reported}
    return [ro.label(u) for u in ro.round_ledger.missing], len(tasks)


def praised(ro: Rollup, top: list) -> list:
    """The top of a ranking worth praising: scoring at least PRAISE, and none whose figure is held as suspect
    (its rows are judged on its status word until it confirms or corrects the figure)."""
    held = {name for h in ro.held for name in (h.unit, h.region, ro.label(h.submitter) if h.submitter else "")}
    return [r for r in top if r.score >= PRAISE and r.name not in held]


def bulletin_context(ro: Rollup, office: Office) -> dict[str, Any]:
    """Every variable the bulletin templates may use. Numbers stay numbers: templates format them."""
    rnd, ov = ro.round_ledger.round, ro.overview()
    office = office.fitted(ro.ledger)
    regions, units = ro.region_ranking(1), ro.unit_ranking()
    # a region's government is praised or named among the regions already: 从责任单位看 is about departments
    ranked = {r.name for r in regions}
    units = [u for u in units if u.name not in ranked] or units
    regions_top, regions_bottom = ro.top_bottom(regions)
    units_top, units_bottom = ro.top_bottom(units)
    groups, rest = lag_groups(ro)
    missing, missing_tasks = _missing(ro)
    late = sorted({ro.label(f.unit) for f in ro.round_ledger.late if f.unit} - set(missing))
    return {
        "office": office, "scope": office.scope, "region_word": office.region_word,
        "requirements": office.requirements,
        "round_label": rnd.label, "round_end": rnd.end, "year": rnd.year, "month": rnd.month,
        "task_count": ov["任务数"], "classes": _classes(ov["分类"]), "done_count": ov["已完成数"],
        "completion_rate": ov["完成率"], "on_track_rate": ov["序时达标率"],
        "lagging_count": ov["滞后任务数"], "lagging_not_reported": ov["分类"].get(Status.NOT_REPORTED.value, 0),
        "lag_groups": groups, "rest_groups": rest,
        "missing_units": missing, "missing_task_count": missing_tasks, "late_units": late,
        "region_count": len(regions), "unit_count": len(units),
        "top_regions": praised(ro, regions_top),
        "top_units": praised(ro, units_top),
        "bottom_regions": [r for r in regions_bottom if r.score < PRAISE],
        "bottom_units": [r for r in units_bottom if r.score < PRAISE],
        "held": [{"unit": h.unit, "task": h.task_name, "region": h.region,
                  "value": fmt_number(h.value, h.measure, TABLE_WAN_PLACES), "target": h.target, "place": h.place}
                 for h in ro.held],
    }


# --------------------------------------------------------------------------- text → blocks

_LEAD = re.compile(r"^(（[一二三四五六七八九十]+）[^。；：（）]{1,24}。)(.+)$")


def paragraphs(text: str) -> list[Paragraph]:
    """Blank lines separate paragraphs; lines within one are joined without spaces (Chinese text).
    A paragraph opening with '（一）小标题。' gets it as its run-in `lead`."""
    out = []
    for chunk in re.split(r"\n\s*\n", text):
        joined = "".join(line.strip() for line in chunk.splitlines())
        if not joined:
            continue
        m = _LEAD.match(joined)
        out.append(Paragraph(m.group(2), lead=m.group(1)) if m else Paragraph(joined))
    return out


def _sections(env, context: dict[str, Any]) -> list[Block]:
    """一、二、… numbered in order, skipping sections whose template renders nothing."""
    blocks: list[Block] = []
    for name in SECTIONS:
        module = render(env, name, context)
        body = paragraphs(str(module))
        if not body:
            continue
        heading = getattr(module, "heading", "") or Path(name).stem
        number = sum(isinstance(b, Heading) and b.level == 1 for b in blocks) + 1
        blocks += [Heading(1, f"{cn_numeral(number)}、{heading}"), *body]
    return blocks


# --------------------------------------------------------------------------- attachments

TASK_HEADERS = ["序号", "任务编号", "任务名称", "牵头单位", "年度目标", "累计完成", "完成率", "序时进度", "状态"]
TABLE_WAN_PLACES = 2  # 17500 → '1.75万个': a table is checked against the ledger, prose is read


def _target_text(target) -> str:
    if target is None:
        return "—"
    if target.value is None or (target.unit or "").startswith("1/"):
        return target.describe()  # 全覆盖, 9/10万: as written
    sign = target.comparator.symbol if target.comparator else ""
    return sign + fmt_number(target.value, target.unit, TABLE_WAN_PLACES)


def _task_value(ro: Rollup, task) -> tuple[float | None, str]:
    """累计完成 of the whole task (the lead's own row, else the rollup of its regions), or the words instead."""
    return ro.task_figure(task)


def task_table(ro: Rollup) -> Table:
    """附件1: every ledger task in ledger order; the 状态 cell filled with its class colour."""
    rows, colours = [], {}
    status_col = TASK_HEADERS.index("状态")
    for i, task in enumerate(ro.ledger):
        j = ro.tasks[task.code]
        value, reported = _task_value(ro, task)
        unit = task.target.unit if task.target else ""
        done = fmt_number(value, unit, TABLE_WAN_PLACES) if value is not None else (reported or "—")
        rows.append([i + 1, task.code, task.name, ro.label(task.lead), _target_text(task.target), done,
                     fmt_percent(j.completion), fmt_percent(j.time_progress), j.status.value])
        colours[(i, status_col)] = j.status.hex
    return Table(TASK_HEADERS, rows, colours=colours)


def ranking_table(ro: Rollup, region_word: str) -> Table:
    """附件2: level-1 regions by score, with how many of their rows are on track and how many lag."""
    groups = ro.region_groups(1)  # code → statuses; ranked here so the big walk is done once
    rows = []
    for r in rank(groups):
        mine = groups[r.name]
        rows.append([r.rank, ro.region_name(r.name), fmt_number(r.score), r.rows, sum(s in ON_TRACK for s in mine),
                     sum(s in LAGGING for s in mine)])
    return Table(["排名", region_word, "得分", "参评项次", "达到序时进度", "滞后"], rows)


# --------------------------------------------------------------------------- the document


def build_bulletin(ro: Rollup, office: Office, issue_date: dt.date | None = None, *,
                   templates_dir: str | Path | None = None, seq: int | None = None) -> Document:
    """The 月度通报 of one round. `issue_date` (成文日期, also 印发日期) defaults to the round's 报送 deadline, else
    today; `seq` (the 发文字号 number) to the round's month; `templates_dir` to the repository's templates/."""
    env = environment(templates_dir)
    office = office.fitted(ro.ledger)
    context = bulletin_context(ro, office)
    rnd = ro.round_ledger.round
    day = issue_day(rnd, issue_date)
    body = [*paragraphs(str(render(env, INTRO, context))), *_sections(env, context)]
    attachments = [
        Attachment(1, render_text(env, ANNEX_TASKS_TITLE, context), [task_table(ro)], landscape=True),
        Attachment(2, render_text(env, ANNEX_RANKING_TITLE, context), [ranking_table(ro, office.region_word)],
                   landscape=False),
    ]
    return Document(
        issuer=office.issuer, title=render_text(env, TITLE, context), body=body,
        doc_number=office.number(rnd.year, seq or rnd.month, rnd.month) if office.doc_number else "",
        addressee=office.addressee, attachments=attachments, signature=office.signature, date=day,
        cc=office.cc, printed_by=office.printed_by, print_date=day, note=office.note)


def document_text(doc: Document) -> str:
    """All words of a document, one block a line: for checks and previews, not for printing."""
    lines = [doc.issuer, doc.doc_number, doc.title, doc.addressee, *_block_lines(doc.body), *doc.attachment_lines()]
    for a in doc.attachments:
        lines += [a.title, *_block_lines(a.blocks)]
    lines += [doc.signature, doc.cc, doc.printed_by, doc.note]
    return "\n".join(line for line in lines if line)


def _block_lines(blocks: list[Block]) -> list[str]:
    lines = []
    for b in blocks:
        if isinstance(b, Table):
            lines += ["\t".join(map(str, r)) for r in (b.headers, *b.rows)]
        else:
            lines.append(f"{getattr(b, 'lead', '')}{b.text}")
    return lines
