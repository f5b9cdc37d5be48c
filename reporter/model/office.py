"""The office a ledger belongs to: its region (the root of every rollup) and what documents call things.

A province's office rolls up to 湖北省 and says 全省, a city's to 咸宁市 and says 全市, a county's to 长兴县 and
says 全县, a 街道's to itself and says 全街道. Its children (what rankings rank) are named by their kind:
市州, 县（市、区）, 乡镇（街道）. Pure Python, no I/O.
"""
from __future__ import annotations

from dataclasses import dataclass

from .regions import Region, RegionTree

# Name endings → the scope word, longest first (林区 before 区, 自治州 before 州).
_SCOPES = (("街道", "全街道"), ("自治区", "全区"), ("林区", "全区"), ("省", "全省"), ("市", "全市"),
           ("州", "全州"), ("盟", "全盟"), ("县", "全县"), ("旗", "全旗"), ("区", "全区"), ("镇", "全镇"),
           ("乡", "全乡"))
# Endings of a child's name → the kind it counts as in the collective word.
_KINDS = (("街道", "街道"), ("社区", "社区"), ("林区", "林区"), ("市", "市"), ("州", "州"), ("盟", "盟"), ("县", "县"),
          ("旗", "旗"), ("区", "区"), ("镇", "镇"), ("乡", "乡"), ("村", "村"))
# How the found-by is said in 识读结果.
FOUND_BY = {"config": "reporter.toml 的设置", "title": "台帐标题", "regions": "地区表", "targets": "分解到的地区",
            "tree": "地区表的唯一上级"}


@dataclass(frozen=True)
class Office:
    """Whose ledger it is: the region at the root of the rollup and the words that follow from its level."""

    region: str  # region code of the root
    name: str  # 咸宁市
    level: str  # 省 / 市 / 县 / 乡 (as the region tree has it)
    scope: str  # 全市: what the whole office is called in documents and on whole-task rows
    children_word: str  # 县（市、区）: what the root's children (the ranked regions) are called
    found_by: str = "tree"  # key of FOUND_BY

    @property
    def how_found(self) -> str:
        return FOUND_BY.get(self.found_by, self.found_by)


def scope_word(name: str) -> str:
    """全省 / 全市 / 全县 / 全镇 / 全街道 from a region's name; 全域 when the name says nothing."""
    for ending, word in _SCOPES:
        if name.endswith(ending):
            return word
    return "全域"


def children_word(children: list[Region], level: str = "") -> str:
    """市州 / 县（市、区） / 各区 / 乡镇（街道） — the collective name of a root's children, from their names."""
    kinds = []
    for child in children:
        kind = next((k for ending, k in _KINDS if child.name.endswith(ending)), "")
        if kind and kind not in kinds:
            kinds.append(kind)
    if not kinds:
        return {"省": "市州", "市": "县（市、区）", "县": "乡镇（街道）", "乡": "村（社区）"}.get(level, "地区")
    if set(kinds) <= {"市", "州", "林区"} and level == "省":
        return "市州"
    if set(kinds) <= {"村", "社区"}:
        return "村（社区）" if len(kinds) == 2 else kinds[0]
    if set(kinds) <= {"乡", "镇", "街道"}:
        towns = [k for k in ("乡", "镇") if k in kinds]
        if "街道" in kinds:
            return "乡镇（街道）" if towns else "街道"
        return "乡镇"
    if len(kinds) == 1:
        return {"县": "县", "区": "区", "市": "市", "州": "州"}.get(kinds[0], kinds[0])
    if "县" in kinds:
        rest = [k for k in ("市", "区") if k in kinds]
        return f"县（{'、'.join(rest)}）" if rest else "县"
    return "、".join(kinds)


def office_of(tree: RegionTree, code: str, found_by: str = "tree") -> Office:
    """The office whose region is `code` in `tree`."""
    region = tree[code]
    kids = tree.children(code)
    return Office(region=region.code, name=region.name, level=region.level, scope=scope_word(region.name),
                  children_word=children_word(kids, region.level), found_by=found_by)
