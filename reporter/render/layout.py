"""Layout decisions both 公文 renderers share: where text may break, how wide table columns are, how titles
are broken into lines. The Word and PDF versions call the same functions, so they break alike.

Words. A run of Latin letters and digits (task codes MS2025-001, numbers 12.5%, dates) is one unbreakable word;
Chinese runs are cut into words by jieba, which first learns the project's own terms (`TERMS`: 序时进度,
严重滞后 … stay whole). Closing marks, the particle 的 and one-character words (年, 月, 率) stay with the word
before them, opening marks with the word after.

Tables. Each column is at least as wide as its longest unbreakable word (in the header or any cell: codes,
numbers; short cells such as region names and statuses are one word) and at most as wide as its longest
text; the page width left over goes to the columns whose text would otherwise wrap, in proportion to what
they lack (the way browsers lay out automatic tables). Headers are then broken at word boundaries only,
with explicit line breaks, since Word and LibreOffice would break Chinese between any two characters.

Titles. GB/T 9704 7.3.1: a title of several lines breaks at word boundaries, in a balanced 梯形 or 菱形. Of
the breaks that fit, the one with the shortest longest line wins; ties go to a 梯形 or 菱形 shape.
"""
from __future__ import annotations

import itertools
import logging
import math
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

TERMS = ("序号", "任务编号", "任务名称", "牵头单位", "责任单位", "年度目标", "累计完成", "上月累计完成",
         "完成率", "完成情况", "序时进度", "严重滞后", "未启动", "已完成", "未报送", "迟报", "逾期", "参评项次",
         "百分点", "民生实事", "督办通知", "月度通报", "领导参阅", "整改要求", "推进情况", "滞后任务", "得分",
         "排名", "地区", "状态", "差距", "备注", "联系人", "联系电话", "截止日期", "办理时限", "本月", "上月",
         "督办", "级别", "连续", "期数", "牵头", "单位", "任务", "名称", "编号", "年度", "目标", "进展",
         "计量", "领域", "达到", "参评", "项次", "滞后", "整改", "进度", "情况", "措施", "回执", "说明")
_TERMS_LONGEST = sorted(TERMS, key=len, reverse=True)
SHORT_CELL = 8.0  # characters: a cell this short (a region, a unit's short name, a status) is one word
_LATIN = r"[0-9A-Za-z＋+\-–.,/:%％_~～#@&·]"
_TOKEN = re.compile(rf"{_LATIN}+|[\u3400-\u9fff\U00020000-\U0002ffff]+|\s+|.", re.S)
_CJK = re.compile(r"[\u3400-\u9fff\U00020000-\U0002ffff]+")
_CLOSING = set("，。、；：！？）》」』”’%％)]}·的")
_OPENING = set("（《「『“‘([{")


# Advance widths (em) of ASCII in the widest of the faces the 公文 fonts fall back to (Noto Sans/Serif CJK SC,
# AR PL UMing/KaitiM): Latin in them is proportional, not half-width, so MS2025-001 is 5.9 em, not 5.
_EM = {**dict.fromkeys("!\"'()*,-./:;?I[\\]fijlrstz{|} ", 0.5), **dict.fromkeys("Jc", 0.54),
       **dict.fromkeys("evy", 0.55), **dict.fromkeys("$0123456789_ax", 0.56), **dict.fromkeys("#g", 0.57),
       **dict.fromkeys("+<=>^~", 0.58), **dict.fromkeys("SZ", 0.6), **dict.fromkeys("`ko", 0.61),
       **dict.fromkeys("Lq", 0.62), **dict.fromkeys("Fd", 0.63), **dict.fromkeys("Pbp", 0.64),
       **dict.fromkeys("Eu", 0.65), **dict.fromkeys("Thn", 0.66), "B": 0.67, **dict.fromkeys("CY", 0.69), "X": 0.7,
       **dict.fromkeys("RV", 0.71), "A": 0.72, "K": 0.73, "G": 0.74, **dict.fromkeys("DOQ", 0.77), "&": 0.78,
       **dict.fromkeys("NU", 0.8), "w": 0.84, "H": 0.85, "%": 0.92, "@": 0.95, **dict.fromkeys("Mm", 0.97),
       "W": 1.05}


def width(text: str) -> float:
    """Width in characters (em) of the text at its size: CJK and full-width 1, Latin by `_EM`, plus the
    ¼-character gap Word and LibreOffice put between Chinese and Latin or digits (autoSpaceDE/DN)."""
    chars = [c for c in text if c != "\n"]
    wide = [unicodedata.east_asian_width(c) in "WFA" for c in chars]
    gaps = sum(a != b for a, b in zip(wide, wide[1:]))
    return sum(1.0 if w else _EM.get(c, 0.6) for c, w in zip(chars, wide)) + 0.25 * gaps


def load_dictionary() -> None:
    """Load jieba's dictionary now (about 0.7 s of CPU), e.g. before forking processes that will break words."""
    _jieba()


@lru_cache(maxsize=1)
def _jieba():
    import jieba

    jieba.setLogLevel(logging.WARNING)
    for term in TERMS:
        jieba.add_word(term, freq=10**6)
    return jieba


@lru_cache(maxsize=4096)
def words(text: str) -> tuple[str, ...]:
    """`text` as the words a line may break between (see the module's docstring)."""
    pieces: list[str] = []
    for token in _TOKEN.findall(text):
        if _CJK.fullmatch(token) and len(token) > 1:
            pieces.extend(_terms(token) or _jieba().lcut(token, HMM=False))
        else:
            pieces.append(token)
    out: list[str] = []
    glue_next = False
    for piece in pieces:
        single = len(piece) == 1 and _CJK.fullmatch(piece)  # 年, 月, 率: with the word before
        if out and (glue_next or single or piece[0] in _CLOSING or piece.isspace()):
            out[-1] += piece
        else:
            out.append(piece)
        glue_next = piece[-1] in _OPENING
    return tuple(out)


def _terms(run: str) -> list[str] | None:
    """`run` cut into the project's terms, longest first, when they cover all of it: headers need no jieba
    (loading its dictionary takes a second)."""
    out, i = [], 0
    while i < len(run):
        term = next((t for t in _TERMS_LONGEST if run.startswith(t, i)), None)
        if term is None:
            return None
        out.append(term)
        i += len(term)
    return out


def unbreakable(text: str) -> float:
    """Width of the longest piece of a body cell that must not break: the whole text when short, else its
    widest Latin run (a code, a number) — Word and browsers break Chinese between any two characters — but
    never less than a short cell, so a column of long task names is not squeezed to a few characters."""
    text = str(text)
    if "\n" not in text and width(text) <= SHORT_CELL:
        return width(text)
    latin = max((1.0 if _CJK.fullmatch(t) else width(t) for t in _TOKEN.findall(text) if not t.isspace()),
                default=0.0)
    return max(latin, SHORT_CELL if "\n" not in text else 0.0)  # long text: at least a short cell's width


def header_unbreakable(text: str) -> float:
    return max((width(w.strip()) for w in words(str(text))), default=0.0)


@dataclass(frozen=True)
class Columns:
    """A table's layout at one font size: column widths in points and the headers broken into lines."""

    size: float
    widths: list[float]
    headers: list[str]
    fits: bool  # every column is at least as wide as its longest unbreakable word


def column_widths(headers: Sequence[str], rows: Sequence[Sequence[object]], total: float, size: float,
                  padding: float) -> Columns:
    """Widths (points, summing to `total`) for a table at font `size` with `padding` points per column."""
    n = len(headers)
    cells = [[_cell(row[c]) for row in rows if c < len(row)] for c in range(n)]
    low = [max([header_unbreakable(h)] + [unbreakable(v) for v in cells[c]]) for c, h in enumerate(headers)]
    # a header may take two lines; body text as long as its longest line
    high = [max([low[c], _header_line(h)] + [max(map(width, v.split("\n"))) for v in cells[c]])
            for c, h in enumerate(headers)]
    low_pt = [w * size + padding + 1 for w in low]  # 1 pt: rounding and the rule's width
    high_pt = [w * size + padding + 1 for w in high]
    fits = sum(low_pt) <= total
    if not fits:
        widths = [w * total / sum(low_pt) for w in low_pt]
    elif sum(high_pt) <= total:
        spare = total - sum(high_pt)
        widths = [w + spare * w / sum(high_pt) for w in high_pt]
    else:
        lack = [h - lo for h, lo in zip(high_pt, low_pt)]
        spare = total - sum(low_pt)
        widths = [lo + spare * d / sum(lack) for lo, d in zip(low_pt, lack)]
    broken = [break_header(h, (w - padding - 1) / size) for h, w in zip(headers, widths)]
    return Columns(size, widths, broken, fits)


def fit_columns(headers: Sequence[str], rows: Sequence[Sequence[object]], total: float, sizes: Sequence[float],
                padding: float) -> Columns:
    """The first of `sizes` at which every column takes its longest word; else the smallest size."""
    layout = None
    for size in sizes:
        layout = column_widths(headers, rows, total, size, padding)
        if layout.fits:
            return layout
    return layout


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".")
    return str(value)


def _header_line(header: str) -> float:
    """The width a header needs to take at most two lines, broken between words."""
    ws = [width(w) for w in words(str(header))]
    if len(ws) < 2:
        return sum(ws)
    return min(max(sum(ws[:i]), sum(ws[i:])) for i in range(1, len(ws)))


def break_header(header: str, room: float) -> str:
    """`header` with line breaks between words so that no line is wider than `room` characters."""
    return "\n".join(fill(words(str(header)), room))


def fill(tokens: Sequence[str], room: float) -> list[str]:
    """Greedy lines of whole tokens, each at most `room` wide (a token wider than `room` gets a line alone)."""
    lines: list[str] = []
    for token in tokens:
        if lines and width((lines[-1] + token).rstrip()) <= room + 1e-6:
            lines[-1] += token
        else:
            lines.append(token.lstrip() if lines else token)
    return [line.strip() for line in lines if line.strip()]


def title_lines(title: str, room: float, max_lines: int = 4) -> list[str]:
    """A title in lines of at most `room` characters, broken between words in a balanced shape."""
    title = "".join(title.split("\n"))
    if width(title) <= room:
        return [title]
    tokens = words(title)
    for n in range(max(2, math.ceil(width(title) / room)), max_lines + 1):
        best = None
        for cuts in itertools.combinations(range(1, len(tokens)), n - 1):
            bounds = (0, *cuts, len(tokens))
            lines = ["".join(tokens[a:b]).strip() for a, b in zip(bounds, bounds[1:])]
            widths = [width(line) for line in lines]
            if max(widths) > room:
                continue
            key = (round(max(widths) * 2), 0 if _balanced(widths) else 1, _spread(widths))
            if best is None or key < best[0]:
                best = (key, lines)
        if best:
            return best[1]
    return fill(tokens, room)


def _balanced(widths: list[float]) -> bool:
    """梯形 (each line at least as long as the one above, or at most) or 菱形 (the middle longest)."""
    up = all(a <= b + 0.5 for a, b in zip(widths, widths[1:]))
    down = all(a + 0.5 >= b for a, b in zip(widths, widths[1:]))
    middle = len(widths) == 3 and widths[1] + 0.5 >= max(widths[0], widths[2])
    return up or down or middle


def _spread(widths: list[float]) -> float:
    mean = sum(widths) / len(widths)
    return sum((w - mean) ** 2 for w in widths)
