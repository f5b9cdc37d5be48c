"""How 公文 write numbers, lists and counts, and the Jinja2 environment the clerk-editable templates use.

Rules (the same in every document this package writes):
- 1万 and above → '2.5万户', '7万个' (one decimal, '.0' dropped); 1亿 and above → '1.2亿元'. A unit that
  already starts with 万 moves up to 亿 ('12000万元' → '1.2亿元').
- Percentages (unit '%') → one decimal, '95.2%'; other numbers → up to two decimals, integers without any.
- Rounding is 四舍五入 (half up), not Python's round-half-even.
- Missing values (None, NaN, '') → '—'.
Templates are plain text (no HTML escaping); an undefined variable is an error, never a silent blank.
"""
from __future__ import annotations

import datetime as dt
import math
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any, Iterable, Mapping

from jinja2 import (Environment, FileSystemLoader, StrictUndefined, TemplateNotFound, TemplateSyntaxError,
                    UndefinedError, meta)

from .document import gongwen_date

TEMPLATES_DIR = Path(__file__).resolve().parents[1] / "templates"  # package data: installed with reporter
MISSING = "—"
_WAN, _YI = 10_000, 100_000_000
_DIGITS = "零一二三四五六七八九"


class WordingError(ValueError):
    """A template or office file that cannot be used; the Chinese message names the file."""


# --------------------------------------------------------------------------- numbers


def _is_missing(value: Any) -> bool:
    if value is None or (isinstance(value, str) and not value.strip()):
        return True
    return isinstance(value, float) and math.isnan(value)


def _decimal(value: float, places: int) -> str:
    """Half-up rounding to at most `places` decimals, trailing zeros (and a bare '.') dropped."""
    quantum = Decimal(1).scaleb(-places)
    text = format(Decimal(repr(float(value))).quantize(quantum, rounding=ROUND_HALF_UP), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def fmt_number(value: Any, unit: str | None = "", wan_places: int = 1) -> str:
    """A number as a 公文 writes it, with its unit: 70000 '个' → '7万个', 95.24 '%' → '95.2%', None → '—'.

    `wan_places`: decimals kept after 万/亿 — 1 in prose, more in tables people check against the ledger."""
    if _is_missing(value):
        return MISSING
    if isinstance(value, str):  # already text ('全覆盖'): keep as written
        return value.strip() + (unit or "")
    unit = unit or ""
    if unit.startswith("1/"):  # '9.2' + '1/10万' reads '9.2/10万'
        unit = unit[1:]
    if unit in ("%", "％"):
        return _decimal(value, 1) + "%"
    size = abs(value)
    if unit.startswith("万") and size >= _WAN:
        return _decimal(value / _WAN, wan_places) + "亿" + unit[1:]
    if size >= _YI:
        return _decimal(value / _YI, wan_places) + "亿" + unit
    if size >= _WAN:
        return _decimal(value / _WAN, wan_places) + "万" + unit
    return _decimal(value, 2) + unit


def fmt_percent(value: Any) -> str:
    """95.24 → '95.2%'; None → '—'. The value is already in percent."""
    return fmt_number(value, "%")


def fmt_points(value: Any) -> str:
    """A gap in percentage points: 23.72 → '23.7个百分点' (sign dropped; the sentence says 落后 or 超出)."""
    return MISSING if _is_missing(value) else _decimal(abs(value), 1) + "个百分点"


def count_phrase(n: int | Iterable[Any], measure: str = "项", noun: str = "") -> str:
    """'26项任务', '1个单位'; a list counts its items."""
    if not isinstance(n, int):
        n = len(list(n))
    return f"{n}{measure}{noun}"


def join_names(names: Iterable[Any], limit: int | None = None, measure: str = "个", noun: str = "") -> str:
    """'甲' / '甲和乙' / '甲、乙和丙'; past `limit` names: '甲、乙等5个单位' (等 only when some are left out)."""
    items = [str(n) for n in names if n not in (None, "")]
    if limit is not None and len(items) > limit > 0:
        return "、".join(items[:limit]) + f"等{len(items)}{measure}{noun}"
    if len(items) <= 1:
        return "".join(items)
    return "、".join(items[:-1]) + "和" + items[-1]


def cn_numeral(n: int) -> str:
    """1 → '一', 10 → '十', 12 → '十二', 20 → '二十' (for （一）（二） numbering, 1–99)."""
    if not 0 < n < 100:
        return str(n)
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _DIGITS[tens] + "十")
    return head + (_DIGITS[ones] if ones else "")


def fmt_date(day: dt.date | None) -> str:
    return MISSING if day is None else gongwen_date(day)


def join_scored(items: Iterable[Any], limit: int = 6, noun: str = "") -> str:
    """Names with their scores, equal scores sharing one: '咸宁市（91.1分）、荆州市和恩施州（均为81.3分）'.

    Items are (name, score) pairs or objects with .name and .score (rankings). Past `limit` names the list
    is cut with 等 and a score range: '甲、乙等8个单位（90—100分）'.
    """
    items = [(i.name, i.score) if hasattr(i, "score") else tuple(i) for i in items]
    if not items:
        return ""
    if len(items) > limit:
        scores = [s for _, s in items]
        lo, hi = fmt_number(min(scores)), fmt_number(max(scores))
        span = f"均为{hi}分" if lo == hi else f"{lo}—{hi}分"
        return join_names([n for n, _ in items], limit=limit, noun=noun) + f"（{span}）"
    groups: list[tuple[list[str], float]] = []
    for name, score in items:
        if groups and groups[-1][1] == score:
            groups[-1][0].append(name)
        else:
            groups.append(([name], score))
    parts = [join_names(names) + (f"（均为{fmt_number(s)}分）" if len(names) > 1 else f"（{fmt_number(s)}分）")
             for names, s in groups]
    return "、".join(parts)


def list_sep(loop: Any, more: bool = False) -> str:
    """Separator after a `{% for %}` item in a Chinese list: '、' between, '和' before the last, '' after it.
    `more` (the list is cut short and 等 follows) keeps '、' before the last one."""
    if loop.last:
        return ""
    return "和" if loop.revindex == 2 and not more else "、"


FILTERS = {"fmt_number": fmt_number, "fmt_percent": fmt_percent, "fmt_points": fmt_points,
           "count_phrase": count_phrase, "join_names": join_names, "cn_numeral": cn_numeral,
           "gongwen_date": fmt_date, "join_scored": join_scored}
GLOBALS = {"list_sep": list_sep}


# --------------------------------------------------------------------------- templates


def environment(templates_dir: str | Path | None = None) -> Environment:
    """Templates from an office's own folder (a workspace's templates/, as reporter init makes it) first, the
    packaged ones for any it does not have."""
    folder = Path(templates_dir) if templates_dir else TEMPLATES_DIR
    if not folder.is_dir():
        raise WordingError(f"找不到模板文件夹“{folder}”。")
    folders = [str(folder)] + ([str(TEMPLATES_DIR)] if folder.resolve() != TEMPLATES_DIR.resolve() else [])
    env = Environment(loader=FileSystemLoader(folders, encoding="utf-8"), undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True, autoescape=False, keep_trailing_newline=False)
    env.filters.update(FILTERS)
    env.globals.update(GLOBALS)
    return env


def _source(env: Environment, name: str) -> str:
    try:
        return env.loader.get_source(env, name)[0]
    except TemplateNotFound:
        raise WordingError(f"找不到模板“{name}”（模板文件夹：{_folder(env)}）。") from None


def _folder(env: Environment) -> str:
    return ", ".join(getattr(env.loader, "searchpath", []))


def check_template(name: str, context: Mapping[str, Any], env: Environment | None = None) -> None:
    """Raise WordingError naming the template and the first variable it uses that `context` lacks.

    Like docxtpl's get_undeclared_template_variables: catches a misspelt variable before rendering, so the
    clerk hears which template and which word, not a Python traceback.
    """
    env = env or environment()
    try:
        tree = env.parse(_source(env, name), name=name)
    except TemplateSyntaxError as exc:
        raise WordingError(f"模板“{name}”第{exc.lineno}行写法有误：{exc.message}") from None
    unknown = sorted(meta.find_undeclared_variables(tree) - set(context) - set(env.globals))
    if unknown:
        raise WordingError(_missing_message(name, unknown[0], context))


def _missing_message(name: str, variable: str, context: Mapping[str, Any]) -> str:
    known = "、".join(sorted(context))
    return f"模板“{name}”用到了变量“{variable}”，但通报数据中没有这个变量。请检查拼写；可用的变量有：{known}。"


def render(env: Environment, name: str, context: Mapping[str, Any]):
    """Render a template as a module, so `{% set heading = … %}` at its top is readable after rendering."""
    check_template(name, context, env)
    try:
        return env.get_template(name).make_module(dict(context))
    except UndefinedError as exc:  # a missing attribute or key, e.g. office.nmae
        raise WordingError(f"模板“{name}”用到了不存在的数据：{exc.message}。") from None
    except TemplateSyntaxError as exc:
        raise WordingError(f"模板“{name}”第{exc.lineno}行写法有误：{exc.message}") from None


def render_text(env: Environment, name: str, context: Mapping[str, Any]) -> str:
    """A one-line template (a title): its text with line breaks and surrounding spaces removed."""
    return "".join(line.strip() for line in str(render(env, name, context)).splitlines())
