"""Whose ledger is it: the office's region, the root of every rollup.

Found, first that answers: reporter.toml ([workspace] region); the ledger's title or file name
("咸宁市2025年…台帐"); the 地区 sheet (its one top region, or the one parent of its top regions); the regions the
decomposition names (their lowest common ancestor); the region table's single root (湖北省 for the built-in one).
"""
from __future__ import annotations

import re
from typing import Iterable

from ..model.regions import Region, RegionTree
from ..model.text import compact

# A year, 年度 or a plan period written before the place: 2025年 / 2025年度 / “十四五”
_LEAD = re.compile(r"^(?:(?:19|20)\d{2}\s*年度?|[“\"]?十[一二三四五六七八九]五[”\"]?(?:时期)?)")
# Where the place name ends at the latest: a digit, a quote or bracket, a word that starts the subject.
_STOP = re.compile(r"[\d“”\"《（(【\[]|关于|民生|年度|重点|公共服务|为民|实事|保障|工作|任务|台[帐账]")
# A place name by its ending, for a title naming a place the region table does not hold.
_PLACE = re.compile(r"^(.{2,10}?(?:街道|自治州|自治县|自治区|地区|林区|省|市|州|盟|县|旗|区|镇|乡))")


def leading_place(text: str) -> str:
    """The place a title starts with, as written: '咸宁市2025年保障和改善民生…' → '咸宁市'; '' when none."""
    text = _LEAD.sub("", compact(text))
    stop = _STOP.search(text)
    head = text[: stop.start()] if stop else text
    return head[:16]


def region_in_title(tree: RegionTree, text: str) -> Region | None:
    """The region a title or file name starts with, the longest name that matches; None when none does."""
    head = leading_place(text)
    for end in range(len(head), 1, -1):
        found = tree.match(head[:end])
        if found is not None:
            return found
    return None


def place_in_title(text: str) -> str:
    """A place name ending like one (长兴县, 雉城街道) at the start of a title, for a region not in the table."""
    found = _PLACE.match(leading_place(text))
    return found.group(1) if found else ""


def sheet_root(tree: RegionTree, codes: Iterable[str]) -> Region | None:
    """The root the 地区 sheet implies: its single top row with rows below it, or the one parent its top rows
    share in the region table."""
    codes = [c for c in codes if c in tree]
    if not codes:
        return None
    inside = set(codes)
    tops = [c for c in codes if tree[c].parent not in inside]
    if len(tops) == 1 and len(codes) > 1:
        return tree[tops[0]]
    parents = {tree[c].parent for c in tops}
    if len(parents) == 1:
        parent = parents.pop()
        return tree.get(parent) if parent else None
    return None


def common_root(tree: RegionTree, codes: Iterable[str]) -> Region | None:
    """The lowest region above every region named (their parent when all are siblings); None for none."""
    common: tuple[str, ...] | None = None
    for code in set(codes):
        chain = tree.chain(code)
        if common is None:
            common = chain
            continue
        n = 0
        while n < min(len(common), len(chain)) and common[n] == chain[n]:
            n += 1
        common = common[:n]
    return tree.get(common[-1]) if common else None
