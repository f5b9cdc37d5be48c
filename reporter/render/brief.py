"""The leadership brief (领导参阅): one round on at most two A4 pages, for leaders who read nothing longer.

Laid out as an internal periodical (`document.Periodical`: 领导参阅 / 第N期 / 编发单位 and date / red rule), not
as a red-header 文件, and written to Word and PDF by the shared 公文 renderers. Content, in reading order:
- 一、总体情况: the headline figures and the trend of the 序时达标率 over the year's rounds (a chart);
- 二、需要关注的主要风险: the `RISKS` biggest risks, one line each;
- 三、分领域和分地区情况: tasks by domain (counts by class) and level-1 regions by score (shares by class), side by
  side in one chart so that Word and the PDF cannot part them and the whole fits two pages.
Wording is in the clerk-editable templates/brief/*.j2 (same conventions and filters as templates/bulletin/).

The risk rule: lagging tasks at task level (`Rollup.tasks`), worst class first — 逾期未完成, 严重滞后, 未启动,
滞后, 未报送 (the bulletin's order for naming tasks) — then the largest gap behind 序时进度 (tasks without a
figure after those with one), then the most rounds lagging in a row, then ledger order.

The trend comes from `History.on_schedule_trend(round_key)`; this round's point is always the rollup's own
序时达标率, so the chart ends on the headline figure even when history holds no classes for it yet.
"""
from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from pathlib import Path
from typing import Any, Sequence

from ..files import safe_filename
from ..model.round_ledger import TOTAL
from ..rollup.rankings import rank
from ..rollup.status import Status
from ..rollup.summary import Rollup
from .bulletin import PRAISE, SEVERITY, Office, load_office, paragraphs, praised
from .charts import Panel, bar_height, class_chart, trend_line
from .document import (FORMATS, Block, Document, Figure, Heading, Paragraph, Periodical, check_formats,
                       issue_day)
from .formats import write_document
from .layout import title_lines, width
from .wording import cn_numeral, environment, render, render_text

RISKS = 5  # risks listed, one line each
LAGGING_DOMAINS = 3  # domains named as having the most lagging tasks
MASTHEAD, TITLE = "brief/masthead.j2", "brief/title.j2"
OVERVIEW, RISKS_TEMPLATE, CHARTS = "brief/overview.j2", "brief/risks.j2", "brief/charts.j2"
SECTIONS = ((OVERVIEW, "总体情况"), (RISKS_TEMPLATE, "需要关注的主要风险"), (CHARTS, "分领域和分地区情况"))
DONE = {Status.DONE, Status.DONE_EARLY}
ON_SCHEDULE = {Status.AHEAD, Status.ON_SCHEDULE}
# Two pages, for fitting the last chart (GB/T 9704 版心: 225 mm, 22 lines of 28 characters at 3号).
PAGES, BODY_MM, LINE_MM, BODY_CHARS, TITLE_CHARS = 2, 225.0, 28.95 * 25.4 / 72, 28, 20
MASTHEAD_LINES = 5.5  # 领导参阅 (36 pt), 第N期, editor and date, the blank line above the title and Word's below it
CAPTION_MM, SAFETY_MM, MIN_CHART_MM = 9.0, 8.0, 60.0
LAG_DETAIL = (Status.OVERDUE, Status.SEVERE, Status.NOT_STARTED, Status.NOT_REPORTED)  # named after 滞后N项


# --------------------------------------------------------------------------- risks


def risks(ro: Rollup, limit: int = RISKS) -> list[dict[str, Any]]:
    """The `limit` biggest risks by the rule in the module docstring, worst first."""
    order = {code: i for i, code in enumerate(ro.ledger.tasks)}
    items = [_risk(ro, code) for code, j in ro.tasks.items() if j.status.lagging]
    items.sort(key=lambda r: (SEVERITY.get(Status(r["status"]), 9), r["gap"] is None,
                              r["gap"] if r["gap"] is not None else 0.0, -r["runs"], order[r["code"]]))
    return items[:limit]


def _risk(ro: Rollup, code: str) -> dict[str, Any]:
    task, j = ro.ledger.tasks[code], ro.tasks[code]
    return {"code": code, "name": task.name, "lead": ro.label(task.lead), "status": j.status.value,
            "completion": j.completion, "time_progress": j.time_progress, "gap": j.gap, "basis": j.basis,
            "reason": j.reason, "runs": ro.consecutive.get((code, TOTAL), 1)}


# --------------------------------------------------------------------------- trend


def full_trend(ro: Rollup, trend: Sequence[tuple[str, float | None]] | None) -> list[tuple[str, float | None]]:
    """The stored trend up to this round, its last point replaced (or added) by the rollup's 序时达标率."""
    rnd = ro.round_ledger.round
    points = [(k, v) for k, v in (trend or []) if k != rnd.key]
    return [*points, (rnd.key, ro.overview()["序时达标率"])]


def _previous(points: list[tuple[str, float | None]], ro: Rollup) -> float | None:
    """The previous round's 序时达标率 when history holds it (for 较上月)."""
    prev = ro.round_ledger.round.previous().key
    return next((v for k, v in points if k == prev), None)


# --------------------------------------------------------------------------- context


def brief_context(ro: Rollup, office: Office, trend: Sequence[tuple[str, float | None]] | None = None,
                  seq: int | None = None) -> dict[str, Any]:
    """Every variable the brief's templates may use. Numbers stay numbers: templates format them."""
    rnd, ov = ro.round_ledger.round, ro.overview()
    points = full_trend(ro, trend)
    previous = _previous(points, ro)
    rate = ov["序时达标率"]
    ranked = ro.region_ranking(1)
    top, bottom = ro.top_bottom(ranked)
    word, groups = _grouped(ro)
    return {
        "office": office, "scope": office.scope, "region_word": office.region_word,
        "round_label": rnd.label, "round_end": rnd.end, "year": rnd.year, "month": rnd.month,
        "seq": seq or rnd.month, "period_word": "上季度" if rnd.quarterly else "上月",
        "task_count": ov["任务数"], "headline": _headline(ov["分类"]), "lagging_count": ov["滞后任务数"],
        "on_track_rate": rate, "completion_rate": ov["完成率"], "previous_rate": previous,
        "rate_change": None if rate is None or previous is None else round(rate - previous, 1),
        "trend": points, "missing_units": [ro.label(u) for u in ro.round_ledger.missing],
        "risks": risks(ro), "lagging_domains": _lagging(groups) if word == "领域" else [],
        "group_word": word, "lagging_groups": _lagging(groups),
        "top_regions": praised(ro, top), "bottom_regions": [r for r in bottom if r.score < PRAISE],
        "even_score": ranked[0].score if len(ranked) > 1 and len({r.score for r in ranked}) == 1 else None,
    }


def _headline(counts: dict[str, int]) -> list[dict[str, Any]]:
    """The classes in the colours of the charts, the empty ones left out: 已完成, 达到序时进度, 进度滞后 (with
    the worse classes inside it named), 无法判断进展."""
    def n(statuses) -> int:
        return sum(counts.get(s.value, 0) for s in statuses)

    lagging = n(s for s in Status if s.lagging)
    detail = [{"label": s.value, "count": counts.get(s.value, 0)} for s in LAG_DETAIL if counts.get(s.value)]
    # whole: the phrase after 均 when every task is in the one class ('99项任务均达到序时进度')
    rows = [{"label": "已完成", "whole": "已完成", "count": n(DONE), "detail": []},
            {"label": "达到序时进度", "whole": "达到序时进度", "count": n(ON_SCHEDULE), "detail": []},
            # all: one class makes up the whole, so the text says 均为严重滞后, not 其中严重滞后2项 after 滞后2项
            {"label": "进度滞后", "whole": "滞后于序时进度", "count": lagging, "detail": detail,
             "all": len(detail) == 1 and detail[0]["count"] == lagging},
            {"label": "无法判断进展", "whole": "无法判断进展", "count": n([Status.UNKNOWN]), "detail": []}]
    return [{"all": False, **r} for r in rows if r["count"]]


def _grouped(ro: Rollup) -> tuple[str, list[tuple[str, dict[str, Any]]]]:
    """How the brief groups tasks, and each group's (name, row): by 领域 when the ledger has them, else by
    牵头单位 (a city's 十件民生实事 often has no 领域 column: one bar of "未分类" would say nothing)."""
    if any(task.domain for task in ro.ledger):
        return "领域", [(row["领域"], row) for row in ro.by_domain()]
    return "牵头单位", [(row["单位"], row) for row in ro.by_unit()]


def _lagging(groups: list[tuple[str, dict[str, Any]]]) -> list[dict[str, Any]]:
    """The groups with the most lagging tasks (at most `LAGGING_DOMAINS`, ledger order among equals)."""
    rows = [(name, len(row["滞后任务"])) for name, row in groups]
    rows = sorted((r for r in rows if r[1]), key=lambda r: -r[1])[:LAGGING_DOMAINS]
    return [{"name": name, "count": count} for name, count in rows]


# --------------------------------------------------------------------------- charts


def class_figure(ro: Rollup, caption: str, domain_title: str, region_title: str, room: float | None = None) -> Figure:
    """Tasks by domain, else by lead unit (counts by class) beside level-1 regions by score (shares of their
    rows by class); `room` (mm) caps the height, though never below `MIN_CHART_MM`."""
    domains = _grouped(ro)[1]
    domain_panel = Panel(domain_title, [name for name, _ in domains],
                         [{s: d[s.value] for s in Status} for _, d in domains], xlabel="任务数（项）")
    groups = ro.region_groups(1)
    ranked = rank(groups)
    region_panel = Panel(region_title, [_region_label(ro, r.name) for r in ranked],
                         [Counter(groups[r.name]) for r in ranked], notes=[f"{r.score:.1f}" for r in ranked],
                         share=True, xlabel="各类项次占比（右侧为综合得分）")
    height = bar_height(max(len(domains), len(ranked)))
    if room is not None:
        height = max(MIN_CHART_MM, min(height, room))
    return class_chart([domain_panel, region_panel], caption, height=height)


def _region_label(ro: Rollup, code: str) -> str:
    region = ro.ledger.regions.get(code)
    return region.label if region else code


# --------------------------------------------------------------------------- the document


def build_brief(ro: Rollup, office: Office, trend: Sequence[tuple[str, float | None]] | None = None,
                issue_date: dt.date | None = None, *, templates_dir: str | Path | None = None,
                seq: int | None = None) -> Document:
    """The 领导参阅 of one round. `trend`: History.on_schedule_trend(round key), or None without history;
    `issue_date` defaults to the round's 报送 deadline, else today; `seq` (第N期) to the round's month."""
    env = environment(templates_dir)
    office = office.fitted(ro.ledger)
    context = brief_context(ro, office, trend, seq)
    rnd = ro.round_ledger.round
    masthead = render(env, MASTHEAD, context)
    periodical = Periodical(name=str(getattr(masthead, "name", "领导参阅")), issue=str(getattr(masthead, "issue", "")),
                            editor=str(getattr(masthead, "editor", office.name)),
                            date=issue_day(rnd, issue_date))
    title = render_text(env, TITLE, context)
    return Document(issuer=office.issuer, title=title, body=_body(env, context, ro, title), periodical=periodical)


def _body(env, context: dict[str, Any], ro: Rollup, title: str) -> list[Block]:
    """一、二、三、 in order, each a heading and its paragraphs; 图1 (the trend) closes 一、, 图2 (domains and
    regions) closes 三、, drawn as tall as the text leaves room for on two pages."""
    sections = []
    for number, (name, default) in enumerate(SECTIONS, 1):
        module = render(env, name, context)
        heading = Heading(1, f"{cn_numeral(number)}、{getattr(module, 'heading', '') or default}")
        sections.append((name, module, [heading, *paragraphs(str(module))]))
    modules = {name: module for name, module, _ in sections}
    trend = trend_line(context["trend"], f"图1　{getattr(modules[OVERVIEW], 'caption', '')}")
    text = [b for _, _, blocks in sections for b in blocks]
    charts = modules[CHARTS]
    classes = class_figure(ro, f"图2　{getattr(charts, 'caption', '')}",
                           getattr(charts, "domain_title", f"分{context['group_word']}"),
                           getattr(charts, "region_title", f"分{context['region_word']}"),
                           room=_room_left(title, text, trend))
    figures = {OVERVIEW: [trend], CHARTS: [classes]}
    return [b for name, _, blocks in sections for b in (*blocks, *figures.get(name, []))]


def _room_left(title: str, text: Sequence[Block], figure: Figure) -> float:
    """mm of the two pages' 版心 left for the last chart, estimated from the text's lines (paragraphs flow
    across the page break, so only the total counts). Generous with the masthead: Word leaves a blank line
    under the title that the PDF does not."""
    lines = MASTHEAD_LINES + len(title_lines(title, TITLE_CHARS)) + sum(_lines(b) for b in text)
    return PAGES * BODY_MM - lines * LINE_MM - figure.height - 2 * CAPTION_MM - SAFETY_MM


def _lines(block: Block) -> int:
    if isinstance(block, Paragraph):  # first line indented two characters
        return math.ceil((2 + width(block.lead + block.text)) / BODY_CHARS)
    return 1


def write_brief(ro: Rollup, folder: str | Path, office_path: str | Path | None = None,
                trend: Sequence[tuple[str, float | None]] | None = None, issue_date: dt.date | None = None,
                formats: Sequence[str] = FORMATS, *, templates_dir: str | Path | None = None,
                seq: int | None = None) -> list[Path]:
    """Write the brief into `folder` (Workspace.brief_dir) as '2025年5月民生实事领导参阅.docx/.pdf', each atomically.
    Unknown formats are refused before anything is written."""
    check_formats(formats)
    doc = build_brief(ro, load_office(office_path, ro.ledger), trend, issue_date, templates_dir=templates_dir, seq=seq)
    stem = Path(folder) / safe_filename(f"{ro.round_ledger.round.label}民生实事领导参阅")
    return write_document(doc, stem, formats)
