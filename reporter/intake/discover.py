"""Find every submission in a folder (recursively) or a zip, including zips inside the folder.

Nothing is extracted to disk and nothing the user gave is touched: members are read into memory.
"""
from __future__ import annotations

import datetime as dt
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from .workbook import EXCEL_SUFFIXES

READABLE = EXCEL_SUFFIXES | {".csv"}
# Office lock files and OS clutter, never submissions.
_IGNORED_PREFIXES = ("~$", ".~", "._", ".")
_IGNORED_NAMES = {"thumbs.db", "desktop.ini", ".ds_store", "truth.json"}


@dataclass(frozen=True)
class Source:
    """One submitted file: where it is, how to read its bytes, and when it arrived (mtime)."""

    name: str  # the path shown to people: relative to the folder, 'a.zip/b.xlsx' inside a zip
    suffix: str
    mtime: dt.datetime | None
    path: Path  # the file on disk (the zip, for a member)
    member: str | None = None  # the member inside the zip

    def read_bytes(self) -> bytes:
        if self.member is None:
            return self.path.read_bytes()
        with zipfile.ZipFile(self.path) as zf:
            return zf.read(self.member)

    @property
    def readable(self) -> bool:
        return self.suffix in READABLE

    @property
    def stem(self) -> str:
        return Path(self.name).stem


def discover(source: str | Path) -> Iterator[Source]:
    """Every candidate file under `source` (a folder or a .zip), in a stable order."""
    source = Path(source)
    if source.is_file() and source.suffix.lower() == ".zip":
        yield from _zip_members(source, source.name)
        return
    if source.is_file():
        yield _file(source, source.name)
        return
    for path in sorted(source.rglob("*"), key=lambda p: str(p.relative_to(source))):
        if not path.is_file() or _ignored(path.name):
            continue
        rel = str(path.relative_to(source))
        if path.suffix.lower() == ".zip":
            yield from _zip_members(path, rel)
        else:
            yield _file(path, rel)


def _ignored(name: str) -> bool:
    return name.lower() in _IGNORED_NAMES or name.startswith(_IGNORED_PREFIXES)


def _file(path: Path, rel: str) -> Source:
    mtime = dt.datetime.fromtimestamp(path.stat().st_mtime)
    return Source(rel, path.suffix.lower(), mtime, path)


def _zip_members(path: Path, rel: str) -> Iterator[Source]:
    with zipfile.ZipFile(path) as zf:
        infos = [i for i in zf.infolist() if not i.is_dir()]
    for info in sorted(infos, key=lambda i: i.filename):
        name = _member_name(info)
        base = name.rsplit("/", 1)[-1]
        if _ignored(base) or "__MACOSX" in name:
            continue
        mtime = dt.datetime(*info.date_time)
        yield Source(f"{rel}/{name}", Path(base).suffix.lower(), mtime, path, info.filename)


def _member_name(info: zipfile.ZipInfo) -> str:
    """Zips made on Chinese Windows store GBK names without the UTF-8 flag; Python decodes them as cp437."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        return info.filename.encode("cp437").decode("gb18030")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return info.filename
