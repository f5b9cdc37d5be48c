"""Scores and rankings of regions and units, ties shared (competition ranking: 1, 2, 2, 4).

Score (documented in docs/status.md): the mean of points over the unit's or region's judged rows —
提前完成/已完成/超序时 100, 按序时 90, 滞后 60, 严重滞后 30, 逾期未完成/未启动 20, 未报送 0; 无法判断 rows are left
out. Ties share a rank and are listed by name.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Iterable, Mapping

from .status import Status

POINTS: dict[Status, float] = {
    Status.DONE_EARLY: 100, Status.DONE: 100, Status.AHEAD: 100, Status.ON_SCHEDULE: 90, Status.BEHIND: 60,
    Status.SEVERE: 30, Status.OVERDUE: 20, Status.NOT_STARTED: 20, Status.NOT_REPORTED: 0,
}


@dataclass(frozen=True)
class Ranked:
    name: str
    score: float
    rank: int
    rows: int  # judged rows the score is over


def score(statuses: Iterable[Status] | Mapping[Status, int]) -> tuple[float | None, int]:
    """Mean points over the judged rows; `statuses` may be a list or counts per status."""
    counts = statuses if isinstance(statuses, Mapping) else Counter(statuses)
    judged = {s: n for s, n in counts.items() if s in POINTS}
    rows = sum(judged.values())
    return (sum(POINTS[s] * n for s, n in judged.items()) / rows, rows) if rows else (None, 0)


def rank(groups: Mapping[str, Iterable[Status] | Mapping[Status, int]]) -> list[Ranked]:
    """Best first; equal scores share the rank and are ordered by name."""
    scored = [(name, *score(statuses)) for name, statuses in groups.items()]
    scored = [(n, round(s, 1), k) for n, s, k in scored if s is not None]
    scored.sort(key=lambda x: (-x[1], x[0]))
    out: list[Ranked] = []
    for i, (name, value, rows) in enumerate(scored):
        place = out[-1].rank if out and out[-1].score == value else i + 1
        out.append(Ranked(name, value, place, rows))
    return out


def top_and_bottom(ranked: list[Ranked], n: int = 3) -> tuple[list[Ranked], list[Ranked]]:
    """前三 / 后三, extended to keep ties together; the two never overlap."""
    if not ranked:
        return [], []
    top = [r for r in ranked if r.rank <= ranked[min(n, len(ranked)) - 1].rank]
    cut = ranked[max(0, len(ranked) - n)].rank
    bottom = [r for r in ranked if r.rank >= cut and r not in top]
    return top, bottom
