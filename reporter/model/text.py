"""Text normalisation shared by every layer: full-width → half-width, 繁体 → 简体, whitespace."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_SPACE = re.compile(r"\s+")
# Brackets that carry a unit in a header: 年度目标（万人）, 目标值[%]
_BRACKETED = re.compile(r"[（(\[【]([^）)\]】]*)[）)\]】]")


@lru_cache(maxsize=1)
def _converter():
    import opencc

    return opencc.OpenCC("t2s")


@lru_cache(maxsize=65536)
def to_simplified(text: str) -> str:
    """Convert 繁体 to 简体 with OpenCC (phrase-aware, not a character table)."""
    if not text or text.isascii():
        return text
    return _converter().convert(text)


def normalize_text(value: object) -> str:
    """NFKC (full-width digits/letters/brackets → half-width), 简体, trimmed, inner whitespace collapsed."""
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    # Codes, numbers and phone numbers are plain ASCII with no whitespace at all: nothing to change, and
    # skipping the cache matters because such texts are mostly unique (the cache would only miss).
    if text.isascii() and " " not in text and text.isprintable():
        return text
    return _normalize(text)


@lru_cache(maxsize=65536)
def _normalize(text: str) -> str:
    if text.isascii():
        return _SPACE.sub(" ", text).strip()
    text = _nfkc(text)
    text = _SPACE.sub(" ", text).strip()
    return to_simplified(text)


# What NFKC changes in Chinese office text is nearly always full-width punctuation (，：（）) and the
# ideographic space, each of which becomes one ASCII character. unicodedata.normalize costs microseconds
# whenever it has anything to change, so these few are replaced first and NFKC only checks the result; when
# that is already normalized it is NFKC's own answer (a character and its one-starter replacement decompose
# alike), otherwise NFKC does the whole job.
_WIDE = tuple((ch, unicodedata.normalize("NFKC", ch)) for ch in "，：；（）！？％\u3000")


def _nfkc(text: str) -> str:
    quick = text
    for wide, narrow in _WIDE:
        if wide in quick:
            quick = quick.replace(wide, narrow)
    return quick if unicodedata.is_normalized("NFKC", quick) else unicodedata.normalize("NFKC", text)


def compact(value: object) -> str:
    """normalize_text with every space removed: the key used to compare names and headers."""
    return normalize_text(value).replace(" ", "")


def split_header(value: object) -> tuple[str, str | None]:
    """Split a header into its name and the unit in brackets: '年度目标（万人）' → ('年度目标', '万人')."""
    text = compact(value)
    unit = None
    match = _BRACKETED.search(text)
    if match:
        unit = match.group(1) or None
        text = (text[: match.start()] + text[match.end():])
    return text, unit


_LIST_SEP = re.compile(r"[、,，;；/\n]+")


def split_names(value: object) -> list[str]:
    """Split a cell listing several names ('市教育局、市财政局') into clean names."""
    text = normalize_text(value)
    return [part.strip() for part in _LIST_SEP.split(text) if part.strip()]
