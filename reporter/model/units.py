"""Responsible units (责任单位): departments and region governments, with the names people write.

One unit is written many ways: 湖北省民政厅 / 省民政厅 / 民政厅; 咸安区人民政府 / 咸安区政府 / 咸安区.
`UnitDirectory.match` accepts all of them, in 繁体 or full-width too.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from enum import Enum
from typing import Iterable, Iterator

from .text import compact, normalize_text, split_names


class UnitKind(str, Enum):
    DEPARTMENT = "部门"
    REGION = "地区"

    @classmethod
    def parse(cls, text: object, name: str = "") -> "UnitKind":
        """From the 单位类型 cell; when it is blank, a name ending in 人民政府/政府/管委会 is a region."""
        key = compact(text)
        if key in {"地区", "地方", "区域", "市州", "县市区", "政府"}:
            return cls.REGION
        if not key and re.search(r"(人民政府|政府|管委会|管理委员会)$", compact(name)):
            return cls.REGION
        return cls.DEPARTMENT


class Role(str, Enum):
    LEAD = "牵头"
    CO = "配合"


@dataclass(frozen=True)
class Unit:
    name: str
    short: str | None = None
    aliases: tuple[str, ...] = ()
    kind: UnitKind = UnitKind.DEPARTMENT
    group: str | None = None  # 所属工作组 / 专班
    contact: str | None = None
    email: str | None = None
    region: str | None = None  # region code, for region governments
    registered: bool = True  # False when only seen in the task sheet, not the units sheet

    @property
    def label(self) -> str:
        """The name used in documents: the short form offices write (省民政厅)."""
        return self.short or self.name

    def names(self) -> tuple[str, ...]:
        return tuple(n for n in (self.name, self.short, *self.aliases) if n)

    def addresses(self) -> tuple[str, ...]:
        """The unit's e-mail addresses (联系邮箱 may hold several: 'a@x.cn；b@y.cn'), lower case."""
        return tuple(dict.fromkeys(m.lower() for m in _ADDRESS.findall(self.email or "")))


_ADDRESS = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+", re.ASCII)
# Government suffixes that do not change which unit is meant.
_GOV_SUFFIX = re.compile(r"(人民政府|政府)$")
# A province/city prefix: 湖北省民政厅 ≈ 省民政厅 ≈ 民政厅.
_PREFIX = re.compile(r"^(湖北省|湖北|省|市|区|县)")


def unit_keys(name: str) -> list[str]:
    """Keys a name is indexed under, most specific first."""
    key = compact(name)
    keys = [key]
    stripped = _GOV_SUFFIX.sub("", key)
    if stripped and stripped != key:
        keys.append(stripped)
    bare = _PREFIX.sub("", key)
    if bare and len(bare) >= 2 and bare not in keys:
        keys.append(bare)
    return keys


@dataclass
class UnitDirectory:
    """All known units, matched by any of their names."""

    units: dict[str, Unit] = field(default_factory=dict)
    _index: dict[str, list[str]] = field(default_factory=dict, repr=False)

    def add(self, unit: Unit) -> Unit:
        self.units[unit.name] = unit
        for alias in unit.names():
            for rank, key in enumerate(unit_keys(alias)):
                owners = self._index.setdefault(key, [])
                if unit.name not in owners:
                    # exact names go before derived keys so a full name never loses to a stripped one
                    owners.insert(0 if rank == 0 else len(owners), unit.name)
        return unit

    def match(self, name: object) -> Unit | None:
        """The unit a written name means, or None when unknown or ambiguous."""
        for key in unit_keys(str(name or "")):
            owners = self._index.get(key)
            if owners and (len(owners) == 1 or key == compact(name)):
                return self.units[owners[0]]
        return None

    def ensure(self, name: str, kind: UnitKind = UnitKind.DEPARTMENT) -> tuple[Unit, bool]:
        """Match a name, or register it as an unregistered unit. Returns (unit, was_known)."""
        found = self.match(name)
        if found:
            return found, True
        return self.add(Unit(name=compact(name), kind=kind, registered=False)), False

    def match_list(self, text: object) -> list[str]:
        """Names in a cell like '省教育厅、省财政厅' resolved to canonical names (unknown kept as written)."""
        out = []
        for part in split_names(text):
            unit = self.match(part)
            out.append(unit.name if unit else part)
        return out

    def with_email(self, name: str, email: str) -> None:
        self.units[name] = replace(self.units[name], email=email)

    def __iter__(self) -> Iterator[Unit]:
        return iter(self.units.values())

    def __len__(self) -> int:
        return len(self.units)

    def __contains__(self, name: object) -> bool:
        return self.match(name) is not None

    @classmethod
    def of(cls, units: Iterable[Unit]) -> "UnitDirectory":
        directory = cls()
        for unit in units:
            directory.add(unit)
        return directory


# -- collective units: 各县（市、区）人民政府 means every county government under the office ----------------------
# 各 + a list of region kinds (市、州、县 / 县（市、区） / 乡镇（街道）) + an optional government word.
_KIND = r"(?:市|州|县|区|乡|镇|街道|社区|村|居|地区|地)"
_COLLECTIVE_HEAD = re.compile(rf"各(?:有关|相关)?{_KIND}(?:[、,]?\(?{_KIND}(?:[、,]{_KIND})*\)?)*")
_COLLECTIVE = re.compile(rf"^各(?:有关|相关)?(?P<kinds>[市州县区乡镇街道社村居委地、,()]+?)"
                         r"(?:人民政府|政府|党委和政府|党委政府|党委、政府|办事处|管委会|居委会|村委会|委员会)?$")


def collective_level(name: object) -> str | None:
    """The level of region a collective unit means: 各县（市、区）人民政府 → 县, 各市州 → 市, 各乡镇（街道） → 乡,
    各地 → 'children' (the office's children, whatever their level); None for a single unit's name."""
    found = _COLLECTIVE.match(compact(name))
    if not found:
        return None
    kinds = re.sub(r"[、,()]", "", found.group("kinds"))
    if re.search(r"村|社区|居委", kinds):
        return "村"
    if re.search(r"乡|镇|街道", kinds):
        return "乡"
    if kinds in ("地", "地区"):
        return "children"
    if "县" in kinds:
        return "市" if "市" in kinds and "州" in kinds else "县"
    if kinds in ("区", "区县", "县区"):
        return "县"
    if re.fullmatch(r"[市州]+", kinds):
        return "市"
    return None


def split_units(value: object) -> list[str]:
    """Names in a 责任单位 cell, a collective kept whole: '市教育局、各县（市、区）人民政府' → two names, not four."""
    text = normalize_text(value)
    keep = {}

    def protect(m: re.Match) -> str:
        keep[f"\x00{len(keep)}\x00"] = m.group(0)
        return f"\x00{len(keep) - 1}\x00"
    text = _COLLECTIVE_HEAD.sub(protect, text)
    names = [piece for name in split_names(text) for piece in _spaced(name)]
    for token, original in keep.items():
        names = [n.replace(token, original) for n in names]
    names = [_ROLE.sub("", n) or n for n in names]
    return _shared_body([n for n in names if n])


# A role written beside a name: '县教育局（牵头）', '县人社局牵头', '各乡镇人民政府配合', '县公路中心等'.
_ROLE = re.compile(r"(?<=..)(?:[(（](?:牵头|配合|协办|责任|主责|负责)(?:单位)?[)）]|牵头|配合|协办|负责|等)$")


def _spaced(name: str) -> list[str]:
    """'县住建局 县自然资源局': names a space apart are two units (a unit's own name has no space)."""
    pieces = name.split()
    return pieces if len(pieces) > 1 and all(len(p) >= 3 for p in pieces) else [name]


_BODY_WORD = re.compile(r"(人民政府|政府|办事处|管委会)$")
_PLACE_NAME = re.compile(r"^[^各]\w*(省|市|州|盟|县|区|旗|镇|乡|街道)$")


def _shared_body(names: list[str]) -> list[str]:
    """'咸安区、赤壁市人民政府' means both governments: the last name's 人民政府 goes to the bare place names
    before it (a department's name never ends in a place word)."""
    body = _BODY_WORD.search(names[-1]) if len(names) > 1 else None
    if body is None:
        return names
    return [n + body.group(1) if _PLACE_NAME.match(n) else n for n in names[:-1]] + names[-1:]
