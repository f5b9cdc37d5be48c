"""Time: 填报轮次 (rounds), 完成时限 (deadlines) and 计划进度 (plans) — all pure date arithmetic."""
from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from .text import compact

_CN_NUM = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10,
           "十一": 11, "十二": 12}


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _number(text: str) -> int | None:
    if text.isdigit():
        return int(text)
    return _CN_NUM.get(text)


@dataclass(frozen=True, order=True)
class Round:
    """A 填报轮次: a month (or a quarter, month = its last month) of a year, with its submission deadline."""

    year: int
    month: int
    quarterly: bool = False
    deadline: dt.date | None = None

    @property
    def key(self) -> str:
        return f"{self.year}-Q{self.month // 3}" if self.quarterly else f"{self.year}-{self.month:02d}"

    @property
    def label(self) -> str:
        return f"{self.year}年第{'一二三四'[self.month // 3 - 1]}季度" if self.quarterly else f"{self.year}年{self.month}月"

    @property
    def end(self) -> dt.date:
        return month_end(self.year, self.month)

    def previous(self) -> "Round":
        step = 3 if self.quarterly else 1
        year, month = (self.year, self.month - step) if self.month > step else (self.year - 1, 12)
        return Round(year, month, self.quarterly)

    def with_deadline(self, deadline: dt.date | None) -> "Round":
        return Round(self.year, self.month, self.quarterly, deadline)

    def default_deadline(self, day: int = 5) -> dt.date:
        """The 5th of the following month, the usual 报送 deadline."""
        year, month = (self.year + 1, 1) if self.month == 12 else (self.year, self.month + 1)
        return dt.date(year, month, day)


_ROUND = [
    (re.compile(r"^(\d{4})[-/.年]?Q([1-4])季?度?$", re.I), True),
    (re.compile(r"^(\d{4})年第?([一二三四1-4])季度$"), True),
    (re.compile(r"^(\d{4})[-/.年](\d{1,2})月?$"), False),
    (re.compile(r"^(\d{4})(\d{2})$"), False),
]


def parse_round(text: object) -> Round:
    """'2025-05', '2025年5月', '202505', '2025-Q2', '2025年第二季度' → Round. ValueError when not a round."""
    key = compact(text)
    for pattern, quarterly in _ROUND:
        m = pattern.match(key)
        if m:
            n = _number(m.group(2))
            month = n * 3 if quarterly else n
            if n and 1 <= month <= 12:
                return Round(int(m.group(1)), month, quarterly)
    raise ValueError(f"无法识别的填报轮次“{text}”，应写作 2025-05 或 2025-Q2")


@dataclass(frozen=True)
class Deadline:
    """完成时限: the date a task must be done by, and the text it was written as."""

    date: dt.date
    raw: str
    parsed: bool = True


_DATE = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?")
_YEAR_MONTH = re.compile(r"(?:(\d{4})年)?(\d{1,2}|[一二三四五六七八九十]{1,2})月(?:底|末|份|中旬|下旬)?(?:前|以前|之前)?$")
_NUMERIC_MONTH = re.compile(r"^(\d{4})[-/.](\d{1,2})(?:月)?(?:底|末)?(?:前|以前|之前)?$")  # 2025.12, 2025-06
_MONTH_DAY = re.compile(r"^(\d{1,2})月(\d{1,2})日(?:前|以前|之前)?$")  # 12月31日前: the ledger's year
_QUARTER = re.compile(r"(?:(\d{4})年)?(?:第)?([一二三四1-4])季度(?:末|底)?(?:前)?$")
_HALF = {"上半年": 6, "年中": 6, "下半年": 12, "年底": 12, "年末": 12, "全年": 12, "年内": 12}


def parse_deadline(value: object, year: int) -> Deadline:
    """Parse 完成时限 as offices write it; unknown text falls back to 31 December, marked parsed=False."""
    if isinstance(value, dt.datetime):
        return Deadline(value.date(), value.strftime("%Y-%m-%d"))
    if isinstance(value, dt.date):
        return Deadline(value, value.isoformat())
    raw = "" if value is None else str(value).strip()
    key = compact(raw).rstrip("。")
    m = _DATE.search(key)
    if m:
        try:
            return Deadline(dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))), raw)
        except ValueError:
            pass
    m = _NUMERIC_MONTH.match(key.removesuffix("完成")) or _MONTH_DAY.match(key.removesuffix("完成"))
    if m:
        try:
            if m.re is _MONTH_DAY:
                return Deadline(dt.date(year, int(m.group(1)), int(m.group(2))), raw)
            if 1 <= int(m.group(2)) <= 12:
                return Deadline(month_end(int(m.group(1)), int(m.group(2))), raw)
        except ValueError:
            pass
    m = _QUARTER.search(key.removesuffix("完成"))
    if m:
        return Deadline(month_end(int(m.group(1) or year), _number(m.group(2)) * 3), raw)
    m = _YEAR_MONTH.search(key.removesuffix("完成"))
    if m and (month := _number(m.group(2))) and 1 <= month <= 12:
        return Deadline(month_end(int(m.group(1) or year), month), raw)
    for word, month in _HALF.items():
        if word in key:
            return Deadline(month_end(year, month), raw)
    return Deadline(month_end(year, 12), raw, parsed=False)


@dataclass(frozen=True)
class Plan:
    """计划进度: planned cumulative progress (percent of the annual target) at month ends.

    Quarterly plans are stored as milestones at months 3, 6, 9, 12. Between milestones progress is
    interpolated linearly; after the last milestone it stays there until the deadline.
    """

    milestones: tuple[tuple[int, float], ...]  # (month, percent), months ascending
    kind: str = "月度"  # 月度 / 季度

    def percent_at(self, month: int, deadline: dt.date, year: int) -> float:
        """Planned cumulative percent at the end of `month` of `year`."""
        if (year, month) >= (deadline.year, deadline.month):
            return 100.0
        prev_month, prev_pct = 0, 0.0
        for m, pct in self.milestones:
            if month == m:
                return pct
            if month < m:
                return prev_pct + (pct - prev_pct) * (month - prev_month) / (m - prev_month)
            prev_month, prev_pct = m, pct
        return prev_pct


def linear_percent(month: int, year: int, deadline: dt.date, start: dt.date | None = None) -> float:
    """序时进度 with no plan: linear from the start of the year (or `start`) to the deadline."""
    start = start or dt.date(deadline.year if deadline.year == year else year, 1, 1)
    point = month_end(year, month)
    if point >= deadline:
        return 100.0
    span = (deadline - start).days + 1
    return max(0.0, min(100.0, 100.0 * ((point - start).days + 1) / span))
