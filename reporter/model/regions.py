"""Administrative region hierarchy (行政区划) and fuzzy region-name matching.

The built-in table ``reporter/data/regions_hubei.csv`` holds 湖北省 down to county level,
following GB/T 2260 (2023 edition):

* ``420000`` 湖北省 (level ``省``) is the single root;
* 17 city-level children (level ``市``): 12 地级市, 恩施土家族苗族自治州 ``422800`` and the four
  units directly administered by the province (省直管) — 仙桃市 ``429004``, 潜江市 ``429005``,
  天门市 ``429006``, 神农架林区 ``429021`` — which sit directly under ``420000`` and have no
  children in the table;
* every county-level division (level ``县``: 市辖区, 县, 县级市, 自治县) under its city.

Wuhan's functional zones have no GB/T 2260 code. They are listed as county-level children of
武汉市 with *synthetic* codes: the city's four digits, the letter ``A`` and a sequence number
(``4201A1`` 武汉东湖新技术开发区, ``4201A2`` 武汉经济技术开发区, ``4201A3``
武汉市东湖生态旅游风景区, ``4201A4`` 武汉长江新区). :func:`is_synthetic_code` tells them
apart. 汉南区 ``420113`` is administered by 武汉经济技术开发区 but stays a region of its own.

CSV columns: ``code,name,parent,level,short,aliases`` (aliases separated by ``|``).
:meth:`RegionTree.from_rows` also accepts Chinese headers (地区代码, 地区名称, 上级代码,
层级, 简称, 别名 …), so a user's own sheet can extend or override the built-in table with
:meth:`RegionTree.extend` / :meth:`RegionTree.merged`.

Name matching (:meth:`RegionTree.match`) accepts full names, names without the
administrative suffix (咸安 → 咸安区, 恩施 → 恩施州, 长阳 → 长阳土家族自治县), names prefixed
by an ancestor (湖北省咸宁市咸安区), 繁体, full-width characters and stray spaces. It never
guesses: an unknown name, or a tie it cannot break, gives ``None``.
"""
from __future__ import annotations

import csv
import math
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources
from os import PathLike

from reporter.model.text import compact

__all__ = [
    "Region",
    "RegionTree",
    "load_builtin_regions",
    "is_synthetic_code",
    "BUILTIN_REGIONS_FILE",
]

BUILTIN_REGIONS_FILE = "regions_hubei.csv"

# Header aliases (compared after ``compact`` and lower-casing).
_HEADERS: dict[str, tuple[str, ...]] = {
    "code": ("code", "地区代码", "代码", "行政区划代码", "区划代码", "地区编码", "编码"),
    "name": ("name", "地区名称", "名称", "地区", "区划名称", "行政区划名称", "行政区划"),
    "parent": ("parent", "上级代码", "上级", "上级地区代码", "上级地区", "上级区划代码"),
    "level": ("level", "层级", "级别", "行政级别"),
    "short": ("short", "简称"),
    "aliases": ("aliases", "alias", "别名", "其他名称"),
}
_HEADER_LOOKUP = {compact(h).lower(): field for field, hs in _HEADERS.items() for h in hs}

# Level of a child row whose own level is blank, inferred from its parent's level.
_CHILD_LEVEL = {"省": "市", "市": "县", "县": "乡"}

_ALIAS_SEP = re.compile(r"[|｜]")

# Ethnic names that may appear between a place name and 自治州/自治县 (longest first so that
# 土家族 wins over 土族).
_ETHNIC = sorted(
    """土家族 苗族 侗族 回族 蒙古族 满族 藏族 彝族 壮族 瑶族 白族 哈尼族 傣族 黎族 傈僳族 佤族
    畲族 拉祜族 水族 东乡族 纳西族 景颇族 柯尔克孜族 土族 达斡尔族 仫佬族 羌族 布朗族 撒拉族
    毛南族 仡佬族 锡伯族 阿昌族 普米族 塔吉克族 怒族 鄂温克族 德昂族 保安族 裕固族 京族 独龙族
    鄂伦春族 赫哲族 门巴族 珞巴族 基诺族 布依族 朝鲜族 维吾尔族 哈萨克族 乌孜别克族 俄罗斯族
    塔塔尔族 各族""".split(),
    key=len,
    reverse=True,
)
_AUTONOMOUS = re.compile(
    r"^(?P<stem>.{2,}?)(?:%s)*自治(?P<kind>州|县|旗|区)$" % "|".join(_ETHNIC)
)
# Administrative suffixes stripped to get a stem (longest first).
_SUFFIXES = ("林区", "地区", "街道", "省", "市", "州", "盟", "县", "旗", "区", "镇", "乡")
# Names ending like this are functional zones, not administrative units: no stem is derived.
_ZONE_ENDINGS = (
    "开发区", "风景区", "新区", "管理区", "示范区", "园区", "试验区", "高新区", "保税区", "景区",
    "新城", "自治区",
)
_MIN_STEM = 2

# Match ranks: lower is better.
_RANK_NAME, _RANK_ALIAS, _RANK_DERIVED = 0, 1, 2


def is_synthetic_code(code: str) -> bool:
    """True for codes that are not GB/T 2260 codes (e.g. ``4201A1`` for a functional zone)."""
    return not str(code).isdigit()


def _clean_code(value: object) -> str | None:
    """A code cell as a string: ints and Excel floats (421202.0) accepted; blank → None."""
    if value is None:
        return None
    if isinstance(value, float):
        if math.isnan(value):
            return None
        if value.is_integer():
            value = int(value)
    text = compact(value)
    if text.endswith(".0") and text[:-2].isdigit():
        text = text[:-2]
    if not text or text.lower() in {"nan", "none"}:
        return None
    return text.upper()


def _clean_text(value: object) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    text = compact(value)
    return text or None


def _split_aliases(value: object) -> tuple[str, ...]:
    text = _clean_text(value)
    if not text:
        return ()
    seen: dict[str, None] = {}
    for part in _ALIAS_SEP.split(text):
        part = part.strip()
        if part:
            seen.setdefault(part, None)
    return tuple(seen)


@lru_cache(maxsize=131072)
def _key(name: str) -> str:
    """The comparison key of a name: NFKC, 简体, no spaces."""
    return compact(name)


def _stems(name: str) -> list[str]:
    """Short forms of an administrative name: 咸安区 → [咸安]; 恩施土家族苗族自治州 → [恩施, 恩施州]."""
    if name.endswith(_ZONE_ENDINGS):
        return []
    found = _AUTONOMOUS.match(name)
    if found:
        stem = found.group("stem")
        return [stem, stem + found.group("kind")]
    for suffix in _SUFFIXES:
        if name.endswith(suffix):
            stem = name[: -len(suffix)]
            return [stem] if len(stem) >= _MIN_STEM else []
    return []


@dataclass(frozen=True)
class Region:
    """One administrative region (or functional zone)."""

    code: str
    name: str
    parent: str | None = None
    level: str = ""
    short: str | None = None
    aliases: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """The name to show in tight places: the short name if any, else the full name."""
        return self.short or self.name

    @property
    def synthetic(self) -> bool:
        return is_synthetic_code(self.code)

    def names(self) -> tuple[str, ...]:
        """Full name, short name and aliases, without duplicates."""
        out = [self.name]
        if self.short and self.short not in out:
            out.append(self.short)
        out.extend(a for a in self.aliases if a not in out)
        return tuple(out)


class RegionTree:
    """A set of regions linked by parent codes, with a name index for matching.

    Regions whose parent is blank or not in the tree are roots. Navigation methods raise
    ``KeyError`` for unknown codes; :meth:`get` and :meth:`match` return ``None``.
    """

    def __init__(self, regions: Iterable[Region] = ()):
        self._regions: dict[str, Region] = {}
        for region in regions:
            if region.code in self._regions:
                raise ValueError(f"地区代码重复：{region.code}")
            self._regions[region.code] = region
        self._invalidate()

    # ------------------------------------------------------------------ construction
    @classmethod
    def from_rows(cls, rows: Iterable[Mapping[str, object]]) -> "RegionTree":
        """Build a tree from dict rows (CSV columns or Chinese headers such as 地区代码/地区名称).

        Blank fields stay blank (``parent`` None, ``level`` ""), so that :meth:`extend` can keep
        the existing values of an overridden region. Rows without code and name are skipped;
        a row with only one of them, or a code given twice, raises ``ValueError``.
        """
        regions: list[Region] = []
        seen: set[str] = set()
        for number, row in enumerate(rows, start=2):
            fields: dict[str, object] = {}
            for header, value in row.items():
                if header is None:
                    continue
                field = _HEADER_LOOKUP.get(compact(header).lower())
                if field and field not in fields:
                    fields[field] = value
            code = _clean_code(fields.get("code"))
            name = _clean_text(fields.get("name"))
            if code is None and name is None:
                continue
            if code is None or name is None:
                raise ValueError(f"第 {number} 行：地区代码和地区名称都必须填写")
            if code in seen:
                raise ValueError(f"第 {number} 行：地区代码重复：{code}")
            seen.add(code)
            regions.append(
                Region(
                    code=code,
                    name=name,
                    parent=_clean_code(fields.get("parent")),
                    level=_clean_text(fields.get("level")) or "",
                    short=_clean_text(fields.get("short")),
                    aliases=_split_aliases(fields.get("aliases")),
                )
            )
        tree = cls(regions)
        tree._fill_levels()
        return tree

    @classmethod
    def from_csv(cls, path: str | PathLike[str]) -> "RegionTree":
        """Read a CSV file (UTF-8 with or without BOM; GB18030 as a fallback)."""
        try:
            with open(path, encoding="utf-8-sig", newline="") as handle:
                return cls.from_rows(list(csv.DictReader(handle)))
        except UnicodeDecodeError:
            with open(path, encoding="gb18030", newline="") as handle:
                return cls.from_rows(list(csv.DictReader(handle)))

    def extend(self, other: "RegionTree | Iterable[Region]") -> "RegionTree":
        """Add or replace regions in place (same code → ``other`` wins). Returns ``self``.

        For a replaced region, fields left blank in ``other`` keep their current value, and
        the old name and aliases stay usable as aliases, so renaming never breaks matching.
        """
        incoming = other if isinstance(other, RegionTree) else RegionTree(other)
        for region in incoming:
            old = self._regions.get(region.code)
            if old is not None:
                aliases = list(region.aliases)
                for name in (old.name, *old.aliases):
                    if name != region.name and name not in aliases:
                        aliases.append(name)
                region = Region(
                    code=region.code,
                    name=region.name,
                    parent=region.parent if region.parent is not None else old.parent,
                    level=region.level or old.level,
                    short=region.short if region.short is not None else old.short,
                    aliases=tuple(a for a in aliases if a != region.short),
                )
            self._regions[region.code] = region
        self._fill_levels()
        self._invalidate()
        return self

    def merged(self, other: "RegionTree | Iterable[Region]") -> "RegionTree":
        """A new tree: this one extended with ``other`` (this tree is left unchanged)."""
        return self.copy().extend(other)

    def copy(self) -> "RegionTree":
        return RegionTree(self._regions.values())

    def subtree(self, code: object) -> "RegionTree":
        """A new tree of ``code`` and everything below it, ``code`` its root.

        The root keeps its ancestors' names as prefixes it may be written with (湖北省咸宁市, 湖北咸宁), so
        湖北省咸宁市咸安区 still matches within a city's tree."""
        key = self._require(code)
        root = self._regions[key]
        heads = [n for a in self.ancestors(key) for n in (a.name, *_stems(_key(a.name)))]
        prefixed = [h + n for h in heads for n in (root.name, *_stems(_key(root.name)))]
        aliases = tuple(dict.fromkeys(a for a in (*root.aliases, *prefixed) if a != root.name))
        top = replace(root, parent=None, aliases=aliases)
        return RegionTree([top, *self.descendants(key)])

    def _fill_levels(self) -> None:
        """Give a blank level the level implied by the parent (省 → 市 → 县)."""
        changed = True
        while changed:
            changed = False
            for code, region in self._regions.items():
                if region.level or region.parent not in self._regions:
                    continue
                level = _CHILD_LEVEL.get(self._regions[region.parent].level)
                if level:
                    self._regions[code] = replace(region, level=level)
                    changed = True

    # ------------------------------------------------------------------ container
    def get(self, code: object) -> Region | None:
        key = _clean_code(code)
        return self._regions.get(key) if key else None

    def __getitem__(self, code: object) -> Region:
        region = self.get(code)
        if region is None:
            raise KeyError(code)
        return region

    def __contains__(self, code: object) -> bool:
        return self.get(code) is not None

    def __len__(self) -> int:
        return len(self._regions)

    def __iter__(self) -> Iterator[Region]:
        """Regions in code order."""
        return iter(sorted(self._regions.values(), key=lambda r: r.code))

    def __repr__(self) -> str:
        return f"RegionTree({len(self)} regions)"

    def __getstate__(self) -> dict:
        """Picklable for worker processes started with spawn (Windows, macOS): drop the bound lru_cache."""
        state = self.__dict__.copy()
        state.pop("_resolve_cached", None)
        return state

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self._resolve_cached = lru_cache(maxsize=65536)(self._resolve)

    # ------------------------------------------------------------------ navigation
    def _invalidate(self) -> None:
        self._children: dict[str | None, list[str]] | None = None
        self._depths: dict[str, int] | None = None
        self._chains: dict[str, tuple[str, ...]] = {}
        self._index: dict[str, dict[str, int]] | None = None
        self._first_chars: set[str] = set()
        self._key_lengths: list[int] = []
        self._resolve_cached = lru_cache(maxsize=65536)(self._resolve)

    def _child_map(self) -> dict[str | None, list[str]]:
        if self._children is None:
            children: dict[str | None, list[str]] = {}
            for code in sorted(self._regions):
                parent = self._regions[code].parent
                if parent not in self._regions or parent == code:
                    parent = None
                children.setdefault(parent, []).append(code)
            self._children = children
        return self._children

    def _depth_map(self) -> dict[str, int]:
        if self._depths is None:
            depths: dict[str, int] = {}
            stack = [(code, 0) for code in self._child_map().get(None, [])]
            while stack:
                code, depth = stack.pop()
                depths[code] = depth
                stack.extend((child, depth + 1) for child in self._child_map().get(code, []))
            # Regions caught in a parent cycle are unreachable from a root: give them a depth
            # anyway so that nothing downstream crashes.
            for code in self._regions:
                depths.setdefault(code, len(self._regions))
            self._depths = depths
        return self._depths

    def _require(self, code: object) -> str:
        key = _clean_code(code)
        if not key or key not in self._regions:
            raise KeyError(code)
        return key

    def roots(self) -> list[Region]:
        """Regions without a parent in the tree, in code order."""
        return [self._regions[c] for c in self._child_map().get(None, [])]

    def root(self) -> Region:
        """The single root (湖北省 for the built-in table); ValueError if there is not exactly one."""
        roots = self.roots()
        if len(roots) != 1:
            raise ValueError(f"地区树应有且只有一个根，实际 {len(roots)} 个")
        return roots[0]

    def children(self, code: object) -> list[Region]:
        """Direct children in code order."""
        key = self._require(code)
        return [self._regions[c] for c in self._child_map().get(key, [])]

    def descendants(self, code: object) -> list[Region]:
        """All regions below ``code``, depth-first, siblings in code order (``code`` excluded)."""
        key = self._require(code)
        out: list[Region] = []
        stack = list(reversed(self._child_map().get(key, [])))
        seen = {key}
        while stack:
            current = stack.pop()
            if current in seen:
                continue
            seen.add(current)
            out.append(self._regions[current])
            stack.extend(reversed(self._child_map().get(current, [])))
        return out

    def ancestors(self, code: object) -> list[Region]:
        """Regions above ``code``, from the root down (``code`` excluded)."""
        return [self._regions[c] for c in self.chain(code)]

    def chain(self, code: object) -> tuple[str, ...]:
        """Codes of the regions above ``code``, root first; cached, for rollups over 100k rows."""
        found = self._chains.get(code) if isinstance(code, str) else None
        if found is not None:
            return found
        key = self._require(code)
        out: list[str] = []
        seen = {key}
        parent = self._regions[key].parent
        while parent in self._regions and parent not in seen:
            seen.add(parent)
            out.append(parent)
            parent = self._regions[parent].parent
        out.reverse()
        self._chains[key] = chain = tuple(out)
        return chain

    def depth(self, code: object) -> int:
        """0 for a root, 1 for its children, …"""
        return self._depth_map()[self._require(code)]

    def path(self, code: object) -> list[str]:
        """Names from the root down to ``code``: ['湖北省', '咸宁市', '咸安区']."""
        key = self._require(code)
        return [r.name for r in self.ancestors(key)] + [self._regions[key].name]

    def is_within(self, code: object, ancestor: object, *, inclusive: bool = True) -> bool:
        """True if ``code`` lies below ``ancestor`` (or is it, when ``inclusive``)."""
        key, top = _clean_code(code), _clean_code(ancestor)
        if not key or not top or key not in self._regions:
            return False
        if key == top:
            return inclusive
        return any(r.code == top for r in self.ancestors(key))

    # ------------------------------------------------------------------ matching
    def _build_index(self) -> dict[str, dict[str, int]]:
        if self._index is not None:
            return self._index
        index: dict[str, dict[str, int]] = {}

        def add(name: str | None, code: str, rank: int) -> None:
            if not name:
                return
            key = _key(name)
            if len(key) < _MIN_STEM and rank == _RANK_DERIVED:
                return
            slot = index.setdefault(key, {})
            if rank < slot.get(code, 99):
                slot[code] = rank

        for code, region in self._regions.items():
            add(region.name, code, _RANK_NAME)
            explicit = [n for n in (region.short, *region.aliases) if n]
            for name in explicit:
                add(name, code, _RANK_ALIAS)
            parent = self._regions.get(region.parent) if region.parent else None
            prefixes = []
            if parent is not None:
                prefixes = [_key(n) for n in parent.names()]
                prefixes += [s for n in parent.names() for s in _stems(_key(n))]
            for name in (region.name, *explicit):
                key = _key(name)
                for stem in _stems(key):
                    add(stem, code, _RANK_DERIVED)
                # 武汉东湖新技术开发区 → 东湖新技术开发区
                for prefix in sorted(set(prefixes), key=len, reverse=True):
                    rest = key[len(prefix):]
                    if key.startswith(prefix) and len(rest) >= _MIN_STEM and rest not in _SUFFIXES:
                        add(rest, code, _RANK_DERIVED)
                        for stem in _stems(rest):
                            add(stem, code, _RANK_DERIVED)
                        break
        self._index = index
        self._first_chars = {k[0] for k in index}
        self._key_lengths = sorted({len(k) for k in index}, reverse=True)
        return index

    def _sort_key(self, code: str, rank: int) -> tuple[int, int, str]:
        return (rank, self._depth_map()[code], code)

    def _resolve(self, key: str, within: str | None, inclusive: bool) -> tuple[tuple[str, int], ...]:
        """Candidate (code, rank) pairs for a name key, best first."""
        index = self._build_index()

        def allowed(code: str) -> bool:
            return within is None or self.is_within(code, within, inclusive=inclusive)

        direct = index.get(key)
        if direct:
            hits = [(c, r) for c, r in direct.items() if allowed(c)]
            if hits:
                return tuple(sorted(hits, key=lambda cr: self._sort_key(*cr)))
        if key in self._regions and allowed(key):  # a bare code
            return ((key, _RANK_NAME),)
        # An ancestor prefix: 湖北省咸宁市咸安区 → 湖北省 + 咸宁市咸安区 → …
        if key[0] not in self._first_chars:
            return ()
        for cut in self._key_lengths:
            if cut >= len(key):
                continue
            head = index.get(key[:cut])
            if not head:
                continue
            rest = key[cut:]
            for code, _ in sorted(head.items(), key=lambda cr: self._sort_key(*cr)):
                if within is not None and not (
                    self.is_within(code, within) or self.is_within(within, code)
                ):
                    continue
                narrower = code if within is None or self.is_within(code, within) else within
                found = self._resolve_cached(rest, narrower, False)
                if found:
                    return tuple((c, max(r, _RANK_ALIAS)) for c, r in found)
        return ()

    def _candidates(self, name: object, within: object) -> tuple[tuple[str, int], ...]:
        if name is None or (isinstance(name, float) and math.isnan(name)):
            return ()
        key = _key(str(name))
        if not key:
            return ()
        top: str | None = None
        if within is not None:
            top = _clean_code(within)
            if top not in self._regions:
                parent = self.match(within)
                if parent is None:
                    return ()
                top = parent.code
            # Below the ancestor first (恩施 within 恩施州 → 恩施市), the ancestor itself last.
            return self._resolve_cached(key, top, False) or self._resolve_cached(key, top, True)
        return self._resolve_cached(key, None, True)

    def match(self, name: object, within: object = None) -> Region | None:
        """The region a name refers to, or None if unknown or ambiguous.

        Preference: exact full name, then short name/alias, then derived short forms; among
        equals the higher level wins (恩施 → 恩施州, 荆州 → 荆州市). ``within`` (an ancestor's
        code, or a name that matches one) keeps only what lies below it (恩施 within 422800 →
        恩施市); the ancestor itself is the answer only when nothing below fits. Two candidates of
        the same rank and depth are a tie: the answer is None, never a guess.
        """
        found = self._candidates(name, within)
        if not found:
            return None
        if len(found) > 1 and self._sort_key(*found[0])[:2] == self._sort_key(*found[1])[:2]:
            return None
        return self._regions[found[0][0]]

    def match_all(self, name: object, within: object = None) -> list[Region]:
        """Every region the name may refer to, best first (empty when unknown)."""
        return [self._regions[c] for c, _ in self._candidates(name, within)]

    def match_code(self, name: object, within: object = None) -> str | None:
        region = self.match(name, within)
        return region.code if region else None


@lru_cache(maxsize=1)
def _builtin_regions() -> tuple[Region, ...]:
    source = resources.files("reporter").joinpath("data").joinpath(BUILTIN_REGIONS_FILE)
    with source.open("r", encoding="utf-8-sig", newline="") as handle:
        return tuple(RegionTree.from_rows(list(csv.DictReader(handle))))


def load_builtin_regions() -> RegionTree:
    """The packaged 湖北省 region table (a fresh tree each call, safe to extend)."""
    return RegionTree(_builtin_regions())
