"""Normalise what a unit wrote into the task's terms: value in the task's unit, status, dates.

Each function returns the clean value (or None) and the problems found, as (finding type, message) pairs.
Rules, documented in docs/intake.md:
- A scale word after a number ('2.5万', '6千', '0.07亿') is read against the task unit's own scale prefix
  (千/万/百万/千万/亿, the table unit_factor uses): value × scale written / scale of the unit, so '2.5万' is 25000
  个, 2.5 万户, 0.00025 亿元, and '6千' is 0.6 万个. 千米/千克/千瓦… are units, not 千 of a unit.
- For a % indicator, '95%' and '95' are 95; a bare number between 0 and 1 ('0.95') is read as a fraction
  (95) and reported, because no real 完成率 target is below 1%.
- A % written for a task whose unit is not % cannot be converted: it is kept verbatim and reported.
- '约300' is 300, reported as 提示. '—', '/', '无' and blanks mean 'not filled'.
- A unit after the number ('9个', '1.1万户') is read when it is the task's unit or a 万/亿/千 multiple of it
  (converted and reported like '2.5万'); any other unit is not a number of this task. Brackets around it are just
  brackets ('2600（套）'), and a task unit with an alternative in brackets ('套(户)') accepts either ('套', '户').
- Status: negated and slower-than-plan wordings ('未按序时推进', '未完成目标任务') are 滞后 (or 未启动), never the
  positive word inside them; 基本完成 is 正常推进, not 已完成, and so are a completion percent below 100 ('已完成90%')
  and a stage ('已完成阶段性任务'). Words in brackets are qualifiers: '滞后（资金未到位）' is 滞后.
"""
from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from typing import Any

from ..model import findings as F
from ..model.schedule import month_end, parse_deadline
from ..model.text import compact
from .values import Number, cell_text, is_empty_mark, parse_quantity

Problem = tuple[F.FindingType, str]

STATUS_WORDS: dict[str, tuple[str, ...]] = {
    "已完成": ("已完成", "完成", "全部完成", "已全部完成", "提前完成", "超额完成", "已完工", "已竣工", "已建成",
            "已投用", "已投入使用", "已办结", "已达标", "完成目标", "已验收", "通过验收", "已交付", "全面完成",
            "圆满完成"),
    "正常推进": ("正常推进", "序时推进", "按计划推进", "按序时推进", "推进中", "进行中", "有序推进", "正常",
             "按时推进", "超序时", "超序时推进", "按序时", "基本按序时推进", "顺利推进", "持续推进", "序时推进中",
             "正在推进", "正在实施", "进度正常", "基本完成", "稳步推进", "序时", "按期推进", "进展顺利",
             "已完成序时进度", "完成序时进度", "已达序时进度", "达到序时进度", "已启动", "快于序时进度", "超过序时进度"),
    "滞后": ("滞后", "进度滞后", "未完成", "慢序时", "落后", "推进滞后", "严重滞后", "滞后于序时", "进度缓慢",
           "未按序时推进", "慢于序时", "落后于序时", "未达序时", "进度较慢", "进度偏慢", "进展缓慢", "尚未完成",
           "没有完成", "落后序时进度", "落后于序时进度", "低于序时进度"),
    "未启动": ("未启动", "未开工", "尚未启动", "未开始", "暂未启动", "尚未开工", "待启动", "未动工", "尚未实施",
            "待开工"),
}
_STATUS_INDEX = {word: status for status, words in STATUS_WORDS.items() for word in words}
# words looked for inside a longer text: 3+ characters, longest first
_INNER_WORDS = sorted((w for w in _STATUS_INDEX if len(w) >= 3), key=len, reverse=True)
_NEG = "(?:尚未|暂未|还未|仍未|并未|未能|没有|没能|不能|无法|未|没)"
_CLAUSE = "[^,;。.]"  # a negation reaches to the end of its clause, no further
# 'no delay' means on track; it is taken out before the rest is read, so '已完成，无滞后' stays 已完成
_NO_DELAY = re.compile(r"(?:没有|并未|未|无|不|没)(?:出现)?(?:滞后|落后|低于|慢于)于?(?:序时|计划)?(?:进度)?(?:情况|现象)?")
# phrases read before any word inside them: a negation or a slower-than-plan wording decides, whatever
# positive word it contains ('未完成目标任务' holds 完成目标, '未按序时推进' holds 按序时推进)
_PHRASES = (
    (re.compile(_NEG + "(?:按期|如期|按时|按计划|正式)?(?:启动|开工|动工|开始|实施|开展)"), "未启动"),
    (re.compile(_NEG + _CLAUSE + "{0,4}?(?:完成|完工|竣工|建成|投用|达|实现|推进|序时|计划|进度|到位)"
                "|(?:慢|落后|滞后|迟|低)于|(?:进度|进展|推进)" + _CLAUSE + "{0,2}?(?:慢|迟缓)|缓慢|停滞"), "滞后"),
    (re.compile("(?:基本|即将|接近|大部分)(?:完成|完工|竣工|建成)"), "正常推进"),  # nearly done is not done
)
_POSITIVE = ("已完成", "正常推进")
_BRACKETED = re.compile(r"\([^()]*\)|\[[^\[\]]*\]|【[^【】]*】")  # full-width brackets are half-width by now
# done only in part: a percent below 100 after 完成 ('已完成年度目标的85%'), or a stage ('完成第一阶段')
_DONE_PERCENT = re.compile(r"完成" + _CLAUSE.replace(".", "") + r"{0,12}?(\d+(?:\.\d+)?)%")
_DONE_STAGE = re.compile(r"完成" + _CLAUSE + r"{0,4}?阶段")


def normalize_status(raw: Any) -> tuple[str | None, list[Problem]]:
    if isinstance(raw, str):  # a handful of distinct texts per file: worth caching
        status, problems = _status_of_text(raw)
        return status, list(problems)
    return _status(raw)


@lru_cache(maxsize=4096)
def _status_of_text(raw: str) -> tuple[str | None, tuple[Problem, ...]]:
    status, problems = _status(raw)
    return status, tuple(problems)


def _status(raw: Any) -> tuple[str | None, list[Problem]]:
    if is_empty_mark(raw):
        return None, []
    key = compact(raw).rstrip("。.")
    status = _STATUS_INDEX.get(key) or _stated_first(key)
    if status is None:
        bare = _BRACKETED.sub("", key) if "(" in key or "[" in key or "【" in key else key
        if bare != key and bare:  # '完成（提前）', '滞后（资金未到位）': the bracket qualifies, the word outside decides
            status = _STATUS_INDEX.get(bare) or _status_in_phrase(bare)
        status = _partly_done(key, status or _status_in_phrase(key))
    if status is None:
        return None, [(F.INTAKE_STATUS_UNKNOWN, f"进展状态“{cell_text(raw)}”无法识别：不是已完成、正常推进、滞后、未启动"
                                                "四种状态之一，已按原文保留。")]
    return status, []


_FIRST_CLAUSE = re.compile(r"^([^,;:，；：、]+)[,;:，；：、]")


def _stated_first(key: str) -> str | None:
    """'正常推进，部分项目未开工', '已完成，资金未到位': a status word standing alone before the first comma is
    the status stated; what follows explains it (and must not overturn it)."""
    m = _FIRST_CLAUSE.match(key)
    return _STATUS_INDEX.get(m.group(1)) if m else None


def _partly_done(key: str, status: str | None) -> str | None:
    """'已完成90%', '完成80%', '已完成阶段性任务' → 正常推进: done in part is not 已完成 ('完成100%' is)."""
    if status not in (None, "已完成"):
        return status
    m = _DONE_PERCENT.search(key)
    if m:
        return "已完成" if float(m.group(1)) >= 100 else "正常推进"
    return "正常推进" if _DONE_STAGE.search(key) else status


def _status_in_phrase(key: str) -> str | None:
    """The status a longer text states: '未按序时推进' → 滞后, '项目已完成验收' → 已完成, '目前无滞后' → 正常推进."""
    rest = _NO_DELAY.sub("", key)
    if rest != key:
        rest = rest.strip(",;。.、")
        return _STATUS_INDEX.get(rest) or _status_in_words(rest) or "正常推进"
    return _status_in_words(key)


def _status_in_words(key: str) -> str | None:
    for pattern, status in _PHRASES:
        if pattern.search(key):
            return status
    for word in _INNER_WORDS:
        at = key.find(word)
        if at >= 0:
            status = _STATUS_INDEX[word]
            # a positive word right after a negation is denied, not stated ('不是正常推进'): unknown, not read
            if status in _POSITIVE and any(ch in "未没不无非" for ch in key[max(0, at - 2):at]):
                return None
            return status
    return None


def normalize_value(raw: Any, unit: str | None, *, qualitative: bool = False) -> tuple[float | None, list[Problem]]:
    """The cumulative value in the task's unit, or None with the reason.

    `qualitative`: the task's target is not a number ('实现全覆盖'), so a text that is not a value in the task's
    unit ('已实现全覆盖', '100%', '3个') is an answer, kept verbatim by the caller: (None, []), not an error.
    """
    if raw.__class__ is float and raw >= 0 and not (raw < 1 and raw > 0 and is_pct_unit(unit)):
        return raw, []  # a plain number cell, the common case: what the rules below give it, without parsing
    if is_empty_mark(raw):
        return None, []
    number = parse_quantity(raw)
    text = cell_text(raw)
    pct_unit = is_pct_unit(unit)
    unit = compact(unit or "")
    refusal = _not_a_value(number, text, unit, pct_unit)
    if refusal:
        return None, [] if qualitative else [refusal]
    problems: list[Problem] = []
    value = number.value
    factor = unit_factor(number.unit, unit) if number.unit else _scale_factor(number.scale, unit)
    if factor != 1:
        value = _plain(value * factor)
        problems.append((F.INTAKE_SCALED, f"“{text}”已换算为 {_fmt(value)}{unit}。"))
    elif pct_unit and not number.percent and 0 < value < 1 and isinstance(raw, str | float):
        value = _plain(value * 100)
        problems.append((F.INTAKE_PERCENT_FRACTION, f"“{text}”按百分数 {_fmt(value)}% 汇总，请核对。"))
    if number.approximate:
        problems.append((F.INTAKE_APPROX, f"“{text}”是约数，按 {_fmt(value)} 汇总。"))
    if value < 0:
        return None, problems + [(F.INTAKE_NEGATIVE, f"累计完成“{text}”为负数，未汇总。")]
    return value, problems


def _not_a_value(number: Number | None, text: str, unit: str, pct_unit: bool) -> Problem | None:
    """Why what was written cannot be a value in the task's unit, if it cannot."""
    if number is None:
        return F.INTAKE_NOT_NUMBER, f"累计完成“{text}”不是数值，已原样保留，未汇总。"
    if number.percent and not pct_unit:
        return F.INTAKE_PERCENT_FOR_COUNT, f"累计完成“{text}”是百分数，但本任务的计量单位是“{unit or '未注明'}”，请填写实际数量。"
    if number.unit and not unit:
        return F.INTAKE_NOT_NUMBER, (f"累计完成“{text}”带有单位“{number.unit}”，但本任务未注明计量单位，无法核对，"
                                     "已原样保留，未汇总。")
    if number.unit and unit_factor(number.unit, unit) is None:  # '9个' for a task counted in 万元
        return F.INTAKE_NOT_NUMBER, (f"累计完成“{text}”的单位“{number.unit}”与本任务的计量单位“{unit}”不同，无法换算，"
                                     "已原样保留，未汇总。")
    return None


def _scale_factor(scale: str | None, unit: str) -> float:
    """'2.5万' with no unit after it: the scale written over the scale the task's unit carries — 2.5 of a task
    counted in 万户, 25000 of one in 个, 0.00025 of one in 亿元; '6千' is 0.6 万个."""
    if not scale:
        return 1.0
    return _SCALE[scale] / _unit_scale(unit)


def _unit_scale(unit: str) -> float:
    """The scale a task's unit starts with: 万个 → 10,000, 千万元 → 1e7, 个 → 1; 千米, 千克, 千瓦 are units of
    their own (2万 千米 is 20,000 千米), so 1."""
    if unit.startswith(_KILO_UNITS):
        return 1.0
    for prefix, factor in _UNIT_PREFIXES:
        if unit.startswith(prefix):
            return factor
    return 1.0


def _plain(value: float) -> float:
    """A scaled value without binary noise: 1.1 × 10,000 is 11000, not 11000.000000000002."""
    return float(f"{value:.12g}")


def _fmt(value: float) -> str:
    """A number for a message, never in exponent form (2500000, not 2.5e+06; 0.0009, not 9e-04)."""
    return f"{value:.10f}".rstrip("0").rstrip(".") if value != int(value) else str(int(value))


# prefixes that make a unit a multiple of another: 万元 = 10,000 元; longest first so 千万元 is 1e7 元
_UNIT_PREFIXES = (("千万", 1e7), ("百万", 1e6), ("亿", 1e8), ("万", 1e4), ("千", 1e3))
_SCALE = dict(_UNIT_PREFIXES)  # the same words written after a number: '6千', '1.2亿', '3百万'
_KILO_UNITS = ("千米", "千克", "千瓦", "千伏", "千帕", "千焦", "千卡", "千兆")
_PERCENT_UNITS = {"%": 1.0, "百分比": 1.0, "‰": 0.1}


@lru_cache(maxsize=1024)
def unit_factor(written: str | None, task_unit: str | None) -> float | None:
    """The factor that turns a value in the `written` unit (a column header's) into the task's unit:
    ('个', '万个') → 0.0001, ('万人', '人') → 10000, same unit or either unknown → 1.0, unrelated units → None.
    A unit with an alternative in brackets is either: ('户', '套(户)') → 1.0, ('套', '万套（户）') → 0.0001."""
    written, task_unit = compact(written or ""), compact(task_unit or "")
    if not written or not task_unit or written == task_unit:
        return 1.0
    if written in _PERCENT_UNITS and task_unit in _PERCENT_UNITS:
        return _PERCENT_UNITS[written] / _PERCENT_UNITS[task_unit]
    for w_unit in _alternatives(written):
        for t_unit in _alternatives(task_unit):
            if w_unit == t_unit:
                return 1.0
            for w_factor, w_base in _multiples(w_unit):
                for t_factor, t_base in _multiples(t_unit):
                    if w_base == t_base:
                        return w_factor / t_factor
    return None


_ALTERNATIVE = re.compile(r"^([^()]+)\(([^()]+)\)$")


def _alternatives(unit: str) -> tuple[str, ...]:
    """'套(户)' → ('套(户)', '套', '户'); '万套(户)' → (…, '万套', '万户'): a unit and the one in brackets after it."""
    m = _ALTERNATIVE.match(unit)
    if not m:
        return (unit,)
    first, second = m.groups()
    prefix = next((p for p, _ in _UNIT_PREFIXES if first.startswith(p) and len(first) > len(p)
                   and not second.startswith(p)), "")
    return unit, first, prefix + second


def _multiples(unit: str) -> list[tuple[float, str]]:
    """'万元' → [(1, '万元'), (10000, '元')]: the unit itself, and what it is a multiple of."""
    return [(1.0, unit)] + [(factor, unit[len(prefix):]) for prefix, factor in _UNIT_PREFIXES
                            if unit.startswith(prefix) and len(unit) > len(prefix)]


def is_pct_unit(unit: str | None) -> bool:
    return compact(unit or "") in ("%", "‰", "百分比")


def normalize_date(raw: Any, year: int) -> tuple[str, list[Problem]]:
    """完成日期 from an Excel date, serial number, '2025.5.31', '2025/5/31' or '2025年5月31日' → ISO text.

    Also as text: '5月31日' and '5.28' (the round's year), '20250531' (text or number), '2025.05', '2025年5月' and
    '5月底' (the month's last day). A number cell 5.28 is not read as a date: 5.3 may have been 5.30 before Excel
    dropped the zero. A period is not the date something was finished: '6月中旬', '6月前', '第二季度', '上半年',
    '年底' are kept verbatim and reported (a 完成时限 reads them, parse_deadline; a 完成日期 does not)."""
    if is_empty_mark(raw):
        return "", []
    if isinstance(raw, (dt.date, dt.datetime)):
        return raw.strftime("%Y-%m-%d"), []
    if isinstance(raw, (int, float)) and 30000 < raw < 60000:  # an Excel serial date
        return (dt.date(1899, 12, 30) + dt.timedelta(days=int(raw))).isoformat(), []
    if isinstance(raw, (int, float)) and 19000101 <= raw <= 21001231 and raw == int(raw):  # 20250531
        raw = str(int(raw))
    key = compact(raw) if isinstance(raw, str) else ""
    date = _short_date(key, year) if key else None
    if date:
        return date.isoformat(), []
    if _VAGUE.search(key):
        return cell_text(raw), [(F.INTAKE_DATE_UNPARSED, f"完成日期“{cell_text(raw)}”是一段时间，不是完成的日期，"
                                                         "已按原文保留。请填写完成当天，如 2025-05-31。")]
    deadline = parse_deadline(raw, year)
    if deadline.parsed:
        return deadline.date.isoformat(), []
    return cell_text(raw), [(F.INTAKE_DATE_UNPARSED, f"完成日期“{cell_text(raw)}”无法识别，已按原文保留。")]


_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
# periods parse_deadline reads as their last day, which a 完成日期 must not be: 旬, before, quarters, halves, year end
_VAGUE = re.compile(r"旬|(?<!提)前|季|半年|年底|年末|年内|全年|年中")
_MONTH_DAY = re.compile(r"^(?:(\d{4})年)?(\d{1,2})[月./-](\d{1,2})[日号]?$")
_YEAR_MONTH = re.compile(r"^(\d{4})[./-](\d{1,2})$")


def _short_date(key: str, year: int) -> dt.date | None:
    """Dates parse_deadline does not read: '5月31日', '5.28' (month.day, in `year`), '2025.05' (the month's end)."""
    m = _YEAR_MONTH.match(key)
    if m:
        month = int(m.group(2))
        return month_end(int(m.group(1)), month) if 1 <= month <= 12 else None
    m = _MONTH_DAY.match(key) or _COMPACT_DATE.match(key)
    if not m:
        return None
    try:
        return dt.date(int(m.group(1) or year), int(m.group(2)), int(m.group(3)))
    except ValueError:  # 2月30日, 5.32: not a date, reported as unreadable
        return None
