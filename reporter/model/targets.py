"""Target expressions of 民生 ledgers ('≥95%', '7万个', '应保尽保') parsed into a `Target`.

Pure Python, no I/O. Rules a reader must know:

* The text is normalised first (NFKC, 繁体→简体, spaces removed), so '≧80', '不低於90%', '１２００' and
  '1,200' parse like their plain forms. `Target.raw` always keeps the text exactly as written.
* No guessing. A text is numeric only when exactly one number in it can be the target: a lone number, or
  the single number that carries a cue ('达到', '不少于', '≥', …, or '以上/以下' at the end of a clause).
  Years ('2025年'), list numbering ('1.'), '5G'/'3A' and qualifiers such as '3岁以下婴幼儿' never count.
  Two targets in one cell ('9/10万、2.5‰以下'), a number glued to a letter ('L7万元', an OCR error) or a
  comparator contradicting itself ('≥90%以下') give UNPARSED with a Chinese `flag`; nothing is invented.
* Numeric wins over wording: '100%全覆盖' is RATE 100 % with comparator GE and label '全覆盖' (a HIGHER
  label turns a bare number into a floor). A wording without a usable number is QUALITATIVE.
* Ranges ('80-90%', '80%～90%', '1—2个') become one bound with note '区间目标…': the lower bound with GE,
  or the upper bound with LE when the text says the indicator must stay low ('控制在5%-6%以内').
* `value` is in the unit as written ('7万个' → 7.0, unit '万个', scale 1e4); `base_value`/`base_unit` give
  70000.0 '个'. When the text has no unit, the ledger's 计量单位 is used; when both exist and differ in
  their base unit, the text's unit is kept and `note` says so.
* `is_met`: GE/GT/LE/LT as written; EQ or no comparator means "at least" unless the direction is LOWER
  ("at most"). Equality is tolerant to float noise.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache

from reporter.model.text import compact

# --------------------------------------------------------------------------- enums


def _key(text: object) -> str:
    """Lookup key for enum labels: normalised, no spaces, lower-case."""
    return compact(text).lower()


class Comparator(str, Enum):
    GE = ">="
    GT = ">"
    LE = "<="
    LT = "<"
    EQ = "="

    @property
    def symbol(self) -> str:
        """The sign used in Chinese documents: ≥ > ≤ < =."""
        return {"GE": "≥", "LE": "≤"}.get(self.name, self.value)

    @property
    def direction(self) -> Direction | None:
        if self in (Comparator.GE, Comparator.GT):
            return Direction.HIGHER
        if self in (Comparator.LE, Comparator.LT):
            return Direction.LOWER
        return None


class TargetKind(str, Enum):
    QUANTITY = "数量"
    RATE = "比率"
    QUALITATIVE = "定性"
    UNPARSED = "未识别"


class Direction(str, Enum):
    HIGHER = "正向"
    LOWER = "逆向"

    @classmethod
    def parse(cls, text: object) -> Direction | None:
        """'正向'/'越高越好'/'higher' → HIGHER; '逆向'/'越低越好'/'lower' → LOWER; anything else → None."""
        return _DIRECTION_WORDS.get(_key(text))


class Nature(str, Enum):
    BINDING = "约束性"
    EXPECTED = "预期性"

    @classmethod
    def parse(cls, text: object) -> Nature | None:
        """'约束性'/'約束性'/'约束' → BINDING; '预期性'/'预期' → EXPECTED; else None."""
        return _NATURE_WORDS.get(_key(text))


class Aggregation(str, Enum):
    SUM = "求和"
    RATE = "比率"
    WEIGHTED_MEAN = "加权平均"
    MIN = "最小值"
    MAX = "最大值"
    COUNT_MET = "达标个数"
    NONE = "不汇总"

    @classmethod
    def parse(cls, text: object) -> Aggregation | None:
        """The Chinese labels, the member names and a few synonyms (合计, 累加, 按分子分母, 不适用…)."""
        return _AGGREGATION_WORDS.get(_key(text))


_DIRECTION_WORDS = {
    **dict.fromkeys(["正向", "正", "越高越好", "越大越好", "higher", "high", "up"], Direction.HIGHER),
    **dict.fromkeys(["逆向", "反向", "逆", "越低越好", "越小越好", "lower", "low", "down"], Direction.LOWER),
}
_NATURE_WORDS = {
    **dict.fromkeys(["约束性", "约束", "binding"], Nature.BINDING),
    **dict.fromkeys(["预期性", "预期", "expected"], Nature.EXPECTED),
}
_AGGREGATION_WORDS = {
    **dict.fromkeys(["求和", "合计", "累加", "加总", "相加", "sum"], Aggregation.SUM),
    **dict.fromkeys(["比率", "重新计算比率", "按分子分母", "按分子分母计算", "分子分母", "rate"], Aggregation.RATE),
    **dict.fromkeys(["加权平均", "加权", "weighted_mean"], Aggregation.WEIGHTED_MEAN),
    **dict.fromkeys(["最小值", "最小", "最低值", "min"], Aggregation.MIN),
    **dict.fromkeys(["最大值", "最大", "最高值", "max"], Aggregation.MAX),
    **dict.fromkeys(["达标个数", "达标数", "达标数量", "count_met"], Aggregation.COUNT_MET),
    **dict.fromkeys(["不汇总", "不可汇总", "不适用", "不合计", "none"], Aggregation.NONE),
}

# --------------------------------------------------------------------------- Target

FLAG_EMPTY = "目标值为空"
FLAG_UNKNOWN = "无法识别的目标值，已按原文保留"
FLAG_PENDING = "目标值待定，已按原文保留"
FLAG_MULTIPLE = "包含多个数值，无法确定唯一目标值，已按原文保留"
FLAG_DAMAGED = "数值与字母相连，疑似识别错误，已按原文保留"
FLAG_CONFLICT = "比较关系前后矛盾，已按原文保留"


@dataclass(frozen=True)
class Target:
    """One parsed target; see the module docstring for the rules behind each field."""

    raw: str
    kind: TargetKind
    value: float | None = None
    comparator: Comparator | None = None
    unit: str | None = None
    scale: float = 1.0
    label: str | None = None
    direction: Direction | None = None
    flag: str | None = None
    note: str | None = None

    @property
    def is_parsed(self) -> bool:
        return self.kind is not TargetKind.UNPARSED

    @property
    def is_numeric(self) -> bool:
        return self.value is not None

    @property
    def base_value(self) -> float | None:
        """`value` in the base unit: '7万个' → 70000.0."""
        return None if self.value is None else self.value * self.scale

    @property
    def base_unit(self) -> str | None:
        """`unit` without its scale prefix: '万个' → '个', '万套(间)' → '套(间)'."""
        return _split_scale(self.unit)[1]

    def describe(self) -> str:
        """Short display form: '≥95%', '7万个', '应保尽保', or the raw text when unparsed."""
        if self.value is None:
            return self.label or self.raw
        sign = self.comparator.symbol if self.comparator else ""
        unit = self.unit or ""
        if unit.startswith("1/"):
            unit = unit[1:]  # '18' + '1/10万' reads '18/10万'
        return f"{sign}{self.value:g}{unit}"

    def is_met(self, actual: float | None) -> bool | None:
        """Judge `actual` (same unit as `value`); None for qualitative/unparsed targets or no actual."""
        if self.value is None or actual is None:
            return None
        try:
            actual = float(actual)
        except (TypeError, ValueError):
            return None
        if math.isnan(actual):
            return None
        comparator = self.comparator
        if comparator in (None, Comparator.EQ):
            comparator = Comparator.LE if self.direction is Direction.LOWER else Comparator.GE
        return _compare(actual, comparator, self.value)


def _compare(actual: float, comparator: Comparator, target: float) -> bool:
    close = math.isclose(actual, target, rel_tol=1e-9, abs_tol=1e-9)
    if comparator is Comparator.GE:
        return actual > target or close
    if comparator is Comparator.GT:
        return actual > target and not close
    if comparator is Comparator.LE:
        return actual < target or close
    return actual < target and not close  # LT


# --------------------------------------------------------------------------- units

# Longest first so '千万' wins over '千' and '十万' over '万'.
_SCALES = {"十万": 1e5, "百万": 1e6, "千万": 1e7, "亿": 1e8, "万": 1e4, "千": 1e3, "百": 1e2}
# Measure words accepted right after a number. A closed list, because free text follows numbers in
# sentences ('50家市级创业孵化基地' must give '家', not '家市级…').
_UNIT_WORDS = (
    "个百分点 百分点 平方公里 平方米 平米 公顷 公里 千米 千瓦 千克 人次 户次 家次 场次 个次 批次 台次 车次 周岁 小时 分钟 "
    "个 所 人 户 套 间 张 家 元 台 辆 座 处 场 次 项 条 支 名 亩 米 岁 年 天 日 月 周 床 路 件 批 吨 篇 部 "
    "册 班 组 栋 幢 只 头 株 棵 位 倍 分 口"
).split()
_ADDITIVE_UNITS = frozenset(
    "个 所 人 户 套 间 张 家 元 台 辆 座 处 场 次 项 条 支 名 亩 米 公里 千米 平方米 平米 公顷 平方公里 床 路 "
    "件 批 吨 篇 部 册 班 组 栋 幢 只 头 株 棵 位 口 人次 户次 家次 场次 个次 批次 台次 车次".split()
)


def _split_scale(unit: str | None) -> tuple[float, str | None]:
    """'万个' → (1e4, '个'); '千米' stays metres ×1 (千 is part of the unit); rates keep scale 1."""
    if not unit or _is_rate_unit(unit):
        return 1.0, unit or None
    for prefix, scale in _SCALES.items():
        rest = unit[len(prefix):]
        if unit.startswith(prefix) and not rest.startswith(("米", "瓦", "克", "分")):
            return scale, rest or None
    return 1.0, unit


def _is_rate_unit(unit: str | None) -> bool:
    return bool(unit) and (any(sign in unit for sign in "%‰‱/") or unit.endswith("百分点"))


# --------------------------------------------------------------------------- number scanning

# A number not glued to another number ('4.504.605' from a flattened table matches nothing).
_NUMBER = re.compile(r"(?<![\d.])\d+(?:\.\d+)?(?!\.?\d)")
# '80-90%', '80%~90%', '1—2个', '2至3所': a second number right after a dash makes a range.
_RANGE = re.compile(r"(?P<unit>%|‰)?(?:-|~|〜|—|–|至)(?P<high>\d+(?:\.\d+)?)(?!\.?\d)")
# Thousands separators only between digit groups of three: '1,200' but not a list '9,10'.
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
# Clause boundaries after NFKC (',' ';' ':' come from '，' '；' '：'). A number followed by one of _FINAL
# ends its clause ('110万人以上,'); '、' and ')' end a list item but do not start a new clause.
_CLAUSE = ",;。:"
_FINAL = _CLAUSE + "、)"
_SYMBOL_FIXES = (("≧", "≥"), ("⩾", "≥"), (">=", "≥"), ("≦", "≤"), ("⩽", "≤"), ("<=", "≤"), ("〜", "~"))

# Words (or signs) right before a number, longest first. Strong ones are exact comparisons; verbs carry
# a direction that must agree with a trailing 以上/以下; neutral ones only mark the number as the target.
_CUES: dict[str, tuple[Comparator | None, str]] = {}
for _words, _cmp, _strength in (
    ("大于等于 不少于 不低于 不小于 不得低于 不得少于 至少 最少 ≥", Comparator.GE, "strong"),
    ("小于等于 不超过 不高于 不大于 不多于 不得超过 不得高于 最多 至多 ≤", Comparator.LE, "strong"),
    ("低于 小于 少于 <", Comparator.LT, "strong"),
    ("高于 超过 大于 多于 >", Comparator.GT, "strong"),
    ("=", Comparator.EQ, "strong"),
    ("提升至 提升到 提高至 提高到 增加到 增加至 增长到 增长至 上升到 上升至 扩大到 扩大至", Comparator.GE, "verb"),
    ("控制在 下降到 下降至 降至 降到 降低到 降低至 减少到 减少至 压减到 压减至 压降到 压降至", Comparator.LE, "verb"),
    ("达到 达", Comparator.GE, "neutral"),
    ("保持在 稳定在 维持在 保持 为", None, "neutral"),
):
    _CUES.update(dict.fromkeys(_words.split(), (_cmp, _strength)))
_CUE_WORDS = sorted(_CUES, key=len, reverse=True)

_SUFFIX = {"以上": Comparator.GE, "以下": Comparator.LE, "以内": Comparator.LE, "之内": Comparator.LE}
# Per-capita prefix: '每千人口3.2张', '每千常住人口…', '每万老年人口…' → unit '张/千人'.
_PER_CAPITA = re.compile(r"每(?P<scale>十万|百万|万|千|百)名?(?:常住|户籍)?(?P<old>老年|老)?人口?")
# Ratio wording used to call a unit-less number a RATE.
_RATIO_WORDS = re.compile(r"率|占比|比例|比重")
_YEAR = re.compile(r"(?:19|20)\d{2}(?:(?:19|20)\d{2})?")  # also '20232027' (a lost dash between years)
_PENDING = re.compile(r"待定|待下达|另行下达|另定|待明确")
_PLACEHOLDERS = {"", "-", "--", "—", "——", "/", "\\"}


@lru_cache(maxsize=64)
def _tail(extra_unit: str | None) -> re.Pattern[str]:
    """What may follow a number: rate sign, per-100k, scale + measure word, then 以上/以下/左右."""
    words = sorted({*_UNIT_WORDS, *([extra_unit] if extra_unit else [])}, key=len, reverse=True)
    units = "|".join(map(re.escape, words))
    return re.compile(
        rf"""
        (?P<approx>余|多)?                             # '3600余个': more than the number
        (?:
            (?P<rate>%|‰|‱)
          | /(?P<per>(?:10|100)?(?:十万|万|千))人?口?     # '18/10万' = 18 per 100 000 → unit '1/10万'
          | (?P<scale>十万|百万|千万|亿|万|千(?![米瓦克])|百(?!分))?   # '千米' is a unit, not 1000 米
            (?:余|多)?                                 # '200余万人次'
            (?:(?P<word>{units})(?P<bracket>\([^()\d]{{1,3}}\))?)?     # '套(间)' keeps its bracket
            (?:/(?P<denom>(?:十万|万|千|百)?人口?|户|年|月|日|天|床))?  # '3.2张/千人'
        )
        (?P<suffix>(?:及|或)?(?:以上|以下|以内|之内)(?:\(含\))?|左右)?
        """,
        re.X,
    )


@dataclass
class _Hit:
    """One number found in the text, with what surrounds it."""

    start: int
    end: int
    low: float
    high: float | None
    unit: str | None
    cue: Comparator | None
    strength: str  # "strong" | "verb" | "neutral" | ""
    suffix: Comparator | None
    approx: bool
    final: bool  # ends its clause: '110万人以上,' yes; '3岁以下婴幼儿' no
    skip: str | None  # "year", "numbering", "qualifier", "damaged": never the target

    @property
    def target_like(self) -> bool:
        return bool(self.strength) or (self.suffix is not None and self.final)


def _clean(text: str) -> str:
    for old, new in _SYMBOL_FIXES:
        text = text.replace(old, new)
    return _THOUSANDS.sub("", text)


def _scan(text: str, ledger_base: str | None) -> list[_Hit]:
    hits: list[_Hit] = []
    pos = 0
    while (m := _NUMBER.search(text, pos)) is not None:
        hit = _read_hit(text, m, ledger_base)
        hits.append(hit)
        pos = max(hit.end, m.end())
    return hits


def _read_hit(text: str, m: re.Match[str], ledger_base: str | None) -> _Hit:
    end, high, range_unit = m.end(), None, None
    if r := _RANGE.match(text, end):
        end, high, range_unit = r.end(), float(r["high"]), r["unit"]
    t = _tail(ledger_base).match(text, end)
    unit = _tail_unit(t) or range_unit
    cue, strength = _prefix_cue(text, m.start())
    suffix = _SUFFIX.get(re.sub(r"^[及或]|\(含\)$", "", t["suffix"] or ""))
    final = t.end() == len(text) or text[t.end()] in _FINAL
    return _Hit(
        m.start(), t.end(), float(m[0]), high, unit, cue, strength, suffix,
        approx=bool(t["approx"]), final=final, skip=_skip_reason(text, m, end),
    )


def _tail_unit(t: re.Match[str]) -> str | None:
    if t["rate"]:
        return t["rate"]
    if t["per"]:
        return "1/" + t["per"]
    unit = (t["scale"] or "") + (t["word"] or "") + (t["bracket"] if t["word"] and t["bracket"] else "")
    if t["denom"]:
        unit = f"{unit or '1'}/{t['denom'].removesuffix('口')}"
    return unit or None


def _prefix_cue(text: str, start: int) -> tuple[Comparator | None, str]:
    before = text[:start]
    for word in _CUE_WORDS:
        if before.endswith(word):
            return _CUES[word]
    return None, ""


def _skip_reason(text: str, m: re.Match[str], end: int) -> str | None:
    before, after = text[: m.start()], text[end:]
    if before[-1:].isascii() and before[-1:].isalpha():
        return "damaged"  # 'L7万元': OCR turned '1.' into a letter
    if after[:1].isascii() and after[:1].isalpha():
        return "qualifier"  # '5G', '3A级'
    if after.startswith("年") and _YEAR.fullmatch(m[0]):
        return "year"
    if (before.endswith("年") and after.startswith("月")) or (before.endswith("月") and after.startswith(("日", "号"))) \
            or after.startswith(("月底", "月末", "月份")):
        return "date"  # '2025年12月', '12月31日', '6月底'
    if (not before or before[-1] in _FINAL) and after[:1] in (".", "、"):
        return "numbering"  # '1.构建…', '2、…'
    if (before.endswith("(") and after.startswith(")")) or before.endswith("第"):
        return "numbering"  # '(3)', '第3批'
    return None


def _choose(text: str, hits: list[_Hit]) -> _Hit | str:
    """The single target number, or the flag saying why there is none."""
    live = [h for h in hits if not h.skip]
    if len(live) == 1 and _is_qualifier(text, live[0]):
        return FLAG_UNKNOWN
    if len(live) == 1:
        return live[0]
    if not live:
        return FLAG_DAMAGED if any(h.skip == "damaged" for h in hits) else FLAG_UNKNOWN
    marked = [h for h in live if h.target_like]
    return marked[0] if len(marked) == 1 else FLAG_MULTIPLE


def _is_qualifier(text: str, hit: _Hit) -> bool:
    """'0-3岁儿童…全覆盖': an uncued number inside a noun phrase, in a text whose target is a wording.

    '100%全覆盖' is not a qualifier: the wording follows the number directly.
    """
    if hit.target_like or hit.final or not _LABELS.search(text):
        return False
    return _LABELS.match(text, hit.end) is None


# --------------------------------------------------------------------------- qualitative wording

# (pattern, direction, label template). One alternation, so '动态清零' is not also read as '清零'.
_LABEL_RULES: tuple[tuple[str, Direction | None, str], ...] = (
    (r"全(?:面)?覆盖", Direction.HIGHER, "全覆盖"),
    (r"应(?P<w>.)尽(?P=w)", Direction.HIGHER, r"\g<0>"),  # 应保尽保, 应救尽救, 应助尽助 …
    (r"动态清零|清零", Direction.LOWER, r"\g<0>"),
    (r"零(?:发生|事故|死亡|伤亡)", Direction.LOWER, r"\g<0>"),
    (r"完成(?P<lvl>国家|省|市|县|区)(?:定|下达)的?(?:目标)?任务", Direction.HIGHER, r"完成\g<lvl>定任务"),
    (r"(?:持续|稳步|逐步|逐年|不断|进一步|明显|显著|有所)(?:提升|提高|增长|增加|扩大|改善|上升)", Direction.HIGHER, r"\g<0>"),
    (r"(?:持续|稳步|逐步|逐年|不断|进一步|明显|显著|有所)(?:下降|降低|减少|压减)", Direction.LOWER, r"\g<0>"),
    (r"只增不减", Direction.HIGHER, r"\g<0>"),
    (r"(?:位居|保持|居|处于)?(?:全国|全省|全市)(?:前列|领先)", Direction.HIGHER, r"\g<0>"),
    (r"不(?:低|少)于(?:上年|去年|上一年|全国|全省|全市)(?:平均)?(?:水平)?", Direction.HIGHER, r"\g<0>"),
    (r"不(?:高|超)(?:于|过)(?:上年|去年|上一年|全国|全省|全市)(?:平均)?(?:水平)?", Direction.LOWER, r"\g<0>"),
    (r"稳定在[^\d,;。、]{1,10}|保持稳定", None, r"\g<0>"),
)
_LABELS = re.compile("|".join(f"(?P<r{i}>{p})" for i, (p, _, _) in enumerate(_LABEL_RULES)))


def _labels(text: str) -> tuple[str | None, Direction | None]:
    """Normalised qualitative wording found in `text`, joined with '、', and its common direction."""
    found: dict[str, Direction | None] = {}
    for m in _LABELS.finditer(text):
        # The outer group closes last, so lastgroup is 'r<i>' even when the rule has inner groups.
        _, direction, template = _LABEL_RULES[int(m.lastgroup[1:])]
        found.setdefault(m.expand(template), direction)
    if not found:
        return None, None
    directions = set(found.values())
    return "、".join(found), directions.pop() if len(directions) == 1 else None


# --------------------------------------------------------------------------- parse_target

_FALLBACK_UP = re.compile(r"新增|增加|提升|提高|增长|扩大|新建|建成")
_FALLBACK_DOWN = re.compile(r"下降|降低|减少|压减|压降|控制")


def parse_target(text: object, unit: str | None = None) -> Target:
    """Parse one target cell; `unit` is the ledger's 计量单位 (used for bare numbers and the kind)."""
    raw = "" if text is None else str(text)
    norm = _clean(compact(raw))
    if norm in _PLACEHOLDERS:
        return Target(raw, TargetKind.UNPARSED, flag=FLAG_EMPTY)
    ledger_unit = compact(unit) or None
    chosen = _choose(norm, _scan(norm, _split_scale(ledger_unit)[1]))
    if isinstance(chosen, _Hit):
        return _numeric(raw, norm, chosen, ledger_unit)
    label, direction = _labels(norm)
    if label and chosen == FLAG_UNKNOWN:
        return Target(raw, TargetKind.QUALITATIVE, label=label, direction=direction)
    if chosen == FLAG_UNKNOWN and _PENDING.search(norm):
        chosen = FLAG_PENDING
    return Target(raw, TargetKind.UNPARSED, flag=chosen)


def _numeric(raw: str, norm: str, hit: _Hit, ledger_unit: str | None) -> Target:
    comparator = _resolve_comparator(hit)
    if comparator == "conflict":
        return Target(raw, TargetKind.UNPARSED, flag=FLAG_CONFLICT)
    unit, notes = _merge_units(hit.unit, ledger_unit)
    unit, per_capita = _apply_per_capita(norm, hit, unit)
    label, label_direction = _labels(_clause(norm, hit))
    if comparator is None and label_direction is Direction.HIGHER:
        comparator = Comparator.GE  # '100%全覆盖': the wording makes the number a floor
    if comparator is None and hit.approx:
        comparator, notes = Comparator.GE, notes + ["约数目标（余/多），按下限判断"]
    direction = (comparator.direction if comparator else None) or label_direction or _fallback_direction(norm)
    value, comparator, range_note = _range_bound(hit, comparator, direction, unit)
    direction = direction or (comparator.direction if comparator else None)
    kind = _kind(unit, norm, per_capita)
    return Target(
        raw, kind, value=value, comparator=comparator, unit=unit, scale=_split_scale(unit)[0],
        label=label, direction=direction, note="；".join(filter(None, [range_note, *notes])) or None,
    )


def _resolve_comparator(hit: _Hit) -> Comparator | str | None:
    """Strong prefix > trailing 以上/以下 > verb/neutral prefix; contradictions are reported, not resolved."""
    cue, suffix = hit.cue, hit.suffix
    cue_direction = cue.direction if cue and hit.strength in ("strong", "verb") else None
    if suffix and cue_direction and cue_direction != suffix.direction:
        return "conflict"
    if hit.strength == "strong" and cue is not Comparator.EQ:
        return cue
    return suffix or cue


def _merge_units(text_unit: str | None, ledger_unit: str | None) -> tuple[str | None, list[str]]:
    """Text unit wins; a bare scale borrows the ledger's measure word ('7万' + '个' → '万个')."""
    if not text_unit:
        return ledger_unit, []
    if not ledger_unit:
        return text_unit, []
    scale, base = _split_scale(text_unit)
    if base is None:  # scale only, e.g. '7万'
        if _split_scale(ledger_unit)[0] == scale:
            return ledger_unit, []
        return text_unit + (_split_scale(ledger_unit)[1] or ""), []
    if base != _split_scale(ledger_unit)[1]:
        return text_unit, [f"目标值单位“{text_unit}”与计量单位“{ledger_unit}”不一致"]
    return text_unit, []


def _apply_per_capita(norm: str, hit: _Hit, unit: str | None) -> tuple[str | None, bool]:
    """'每千人口3.2张' → '张/千人' (the per-capita phrase sits before the number, in the same clause)."""
    if unit and "/" in unit:
        return unit, True
    matches = list(_PER_CAPITA.finditer(_clause(norm, hit, upto=hit.start)))
    if not matches:
        return unit, False
    per = matches[-1]
    denom = per["scale"] + ("老年人" if per["old"] else "人")
    return f"{unit or '1'}/{denom}", True


def _clause(norm: str, hit: _Hit, upto: int | None = None) -> str:
    """The clause holding the hit (between boundary signs), cut at `upto` when given."""
    start = max(norm.rfind(sign, 0, hit.start) for sign in _CLAUSE) + 1
    ends = [i for i in (norm.find(sign, hit.end) for sign in _CLAUSE) if i >= 0]
    return norm[start: upto if upto is not None else min(ends, default=len(norm))]


def _range_bound(
    hit: _Hit, comparator: Comparator | None, direction: Direction | None, unit: str | None
) -> tuple[float, Comparator | None, str | None]:
    if hit.high is None:
        return hit.low, comparator, None
    span = f"区间目标{hit.low:g}～{hit.high:g}{unit or ''}"
    if direction is Direction.LOWER:
        return hit.high, comparator or Comparator.LE, span + "，按上限判断"
    return hit.low, Comparator.GE if comparator in (None, Comparator.EQ) else comparator, span + "，按下限判断"


def _fallback_direction(norm: str) -> Direction | None:
    up, down = bool(_FALLBACK_UP.search(norm)), bool(_FALLBACK_DOWN.search(norm))
    if up == down:
        return None
    return Direction.HIGHER if up else Direction.LOWER


def _kind(unit: str | None, norm: str, per_capita: bool) -> TargetKind:
    if per_capita or _is_rate_unit(unit) or (unit is None and _RATIO_WORDS.search(norm)):
        return TargetKind.RATE
    return TargetKind.QUANTITY


# --------------------------------------------------------------------------- indicators


@dataclass(frozen=True)
class Indicator:
    """How one indicator is judged and rolled up across regions."""

    name: str
    unit: str | None
    direction: Direction
    nature: Nature | None
    aggregation: Aggregation
    numerator: str | None = None
    denominator: str | None = None
    weight_base: str | None = None


_PER_SCALE = {"十万": 1e5, "百万": 1e6, "万": 1e4, "千": 1e3, "百": 1e2}


def rate_scale(unit: str | None) -> float:
    """What 分子/分母 is multiplied by to read in a rate's unit: '%' → 100, '‰' → 1000, '1/10万' → 100000,
    '张/千人' → 1000; 1 for a plain quotient ('平方米' of 体育场地面积 per 常住人口)."""
    unit = compact(unit)
    if not unit:
        return 1.0
    if unit.endswith("百分点") or unit in ("%", "％"):
        return 100.0
    if unit in ("‰",):
        return 1000.0
    if unit in ("‱",):
        return 10000.0
    if "/" in unit:
        per = re.match(r"(10|100)?(十万|百万|万|千|百)?", unit.split("/", 1)[1])
        return float(per[1] or 1) * _PER_SCALE.get(per[2] or "", 1.0)
    return 1.0


# Names that describe a ratio or per-capita figure even when the unit looks additive ('人均…(元)').
_RATIO_NAME = re.compile(r"率|占比|比例|比重|人均|平均|每(?:十万|百万|万|千|百)")


def infer_aggregation(
    target: Target,
    unit: str | None = None,
    *,
    numerator: str | None = None,
    denominator: str | None = None,
    weight_base: str | None = None,
    name: str | None = None,
) -> Aggregation:
    """Default roll-up for an indicator; never MIN/MAX (those are a human choice).

    RATE targets (or ratio/per-capita names) → RATE with numerator and denominator, WEIGHTED_MEAN with a
    weight base, else NONE. QUANTITY in an additive unit → SUM; 岁/年/天 and unknown units → NONE.
    QUALITATIVE → COUNT_MET. UNPARSED → NONE.
    """
    if target.kind is TargetKind.UNPARSED:
        return Aggregation.NONE
    if target.kind is TargetKind.QUALITATIVE:
        return Aggregation.COUNT_MET
    per_head = "人均" in compact(target.raw)  # '年人均标准达到17000元' does not add up across regions
    ratio_like = target.kind is TargetKind.RATE or per_head or bool(_RATIO_NAME.search(compact(name)))
    if ratio_like:
        if numerator and denominator:
            return Aggregation.RATE
        return Aggregation.WEIGHTED_MEAN if weight_base else Aggregation.NONE
    base = _split_scale(target.unit or compact(unit) or None)[1]
    base = re.sub(r"\(.*?\)", "", base or "")  # '套(间)' adds up like '套'
    return Aggregation.SUM if base in _ADDITIVE_UNITS else Aggregation.NONE
