"""Receiving a submitted file into the round's submissions folder (an upload on the web page).

The file is only written, never opened or run: collect's readers are the only code that reads it. It keeps
its own name (made safe for Windows); a different file already under that name keeps it and the new one
gets '名称 (2).xlsx'; the same bytes sent twice are stored once. Writing is atomic and never replaces a file.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from ..files import safe_filename, write_text
from .discover import READABLE
from .messages import MESSAGE_SUFFIXES

# What a unit sends: table files, zips of them, saved e-mails with them attached.
ACCEPTED = READABLE | {".zip"} | MESSAGE_SUFFIXES
_CHUNK = 1 << 20


class State:
    STORED = "已保存"
    DUPLICATE = "重复"
    REFUSED = "未保存"


@dataclass(frozen=True)
class Received:
    """What became of one uploaded file."""
    original: str  # the name as the browser sent it
    state: str  # State.*
    message: str  # one Chinese sentence for the clerk
    stored_as: str = ""  # the name in the submissions folder (the existing file's for a duplicate)
    size: int = 0
    sha256: str = ""


def accepted_suffixes() -> list[str]:
    return sorted(ACCEPTED)


def receive(folder: Path, original: str, stream: BinaryIO, size: int, max_bytes: int,
            mtime: dt.datetime | None = None) -> Received:
    """Store one uploaded file in `folder`. `mtime` (the file's time on the clerk's computer) is kept as the
    stored file's modification time, as copying the file into the folder would, so 迟报 is judged the same."""
    name = clean_name(original)
    refused = _refusal(original, name, size, max_bytes)
    if refused:
        return Received(original, State.REFUSED, refused, size=size)
    folder.mkdir(parents=True, exist_ok=True)
    tmp, digest = _spool(folder, stream, Path(name).suffix)
    try:
        twin = _same_content(folder, digest, size, skip=tmp)
        if twin is not None:
            return Received(original, State.DUPLICATE, f"与已有文件“{twin}”内容相同，未重复保存。", twin, size, digest)
        if mtime is not None:
            stamp = mtime.timestamp()
            os.utime(tmp, (stamp, stamp))
        target = _link_free_name(tmp, folder, name)
    finally:
        tmp.unlink(missing_ok=True)
    renamed = "" if target.name == name else f"（已有同名的不同文件，保存为“{target.name}”）"
    return Received(original, State.STORED, f"已保存{renamed}。", target.name, size, digest)


def clean_name(original: str) -> str:
    """The upload's own file name: no folder part (a browser may send 'C:\\报送\\x.xlsx' or '../x.xlsx'),
    safe on Windows, and not hidden (collect skips names starting with a dot)."""
    base = original.replace("\\", "/").rsplit("/", 1)[-1].strip()
    name = safe_filename(base) if base not in ("", ".", "..") else ""
    return name.lstrip(".") if name.lstrip(".") else ""


def _refusal(original: str, name: str, size: int, max_bytes: int) -> str:
    suffix = Path(name).suffix.lower()
    if not name or not Path(name).stem:
        return f"文件名“{original}”无效，请改名后重新上传。"
    if suffix not in ACCEPTED:
        kinds = "、".join(accepted_suffixes())
        return f"不接收 {suffix or '无扩展名'} 文件：只接收 {kinds}。"
    if size == 0:
        return "文件是空的（0 字节），请检查后重新上传。"
    if size > max_bytes:
        return f"文件过大（{size / 1e6:.1f} MB），单个文件不能超过 {max_bytes / 1e6:.0f} MB；压缩包可拆分后分别上传。"
    return ""


def _spool(folder: Path, stream: BinaryIO, suffix: str) -> tuple[Path, str]:
    """Copy the upload to a hidden temporary file in the folder (collect skips '.~' names), hashing it."""
    fd, tmp = tempfile.mkstemp(prefix=".~upload-", suffix=suffix, dir=folder)
    digest = hashlib.sha256()
    with os.fdopen(fd, "wb") as out:
        while chunk := stream.read(_CHUNK):
            digest.update(chunk)
            out.write(chunk)
    os.chmod(tmp, 0o644)
    return Path(tmp), digest.hexdigest()


def _same_content(folder: Path, digest: str, size: int, skip: Path) -> str | None:
    """A file already in the folder (any depth) with these bytes, by its path relative to the folder."""
    for path in sorted(folder.rglob("*")):
        if path == skip or path.name.startswith(".") or path.is_symlink() or not path.is_file():
            continue
        if path.stat().st_size == size and _sha256(path) == digest:
            return str(path.relative_to(folder))
    return None


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _link_free_name(tmp: Path, folder: Path, name: str) -> Path:
    """Give the temporary file `name`, or 'stem (2).suffix', … : os.link fails rather than replace a file,
    so two uploads at once never overwrite each other."""
    stem, suffix = Path(name).stem, Path(name).suffix
    for n in range(1, 1000):
        target = folder / (name if n == 1 else f"{stem} ({n}){suffix}")
        try:
            os.link(tmp, target)
            return target
        except FileExistsError:
            continue
    raise FileExistsError(f"文件夹“{folder}”中已有太多名为“{name}”的文件。")


@dataclass(frozen=True)
class Upload:
    """One line of the round's upload record: which stored file came through the web page, and when."""
    stored_as: str
    original: str
    uploaded: dt.datetime
    size: int
    sha256: str


def record(log: Path, received: list[Received], when: dt.datetime) -> None:
    """Add the files just stored to the upload record (a JSON list beside the round's outputs)."""
    entries = read_record(log) + [Upload(r.stored_as, r.original, when, r.size, r.sha256)
                                  for r in received if r.state == State.STORED]
    write_text(log, json.dumps([_upload_dict(u) for u in entries], ensure_ascii=False, indent=1))


def read_record(log: Path) -> list[Upload]:
    if not log.is_file():
        return []
    return [Upload(e["stored_as"], e["original"], dt.datetime.fromisoformat(e["uploaded"]), e["size"], e["sha256"])
            for e in json.loads(log.read_text(encoding="utf-8"))]


def _upload_dict(u: Upload) -> dict:
    return {"stored_as": u.stored_as, "original": u.original, "uploaded": u.uploaded.isoformat(timespec="seconds"),
            "size": u.size, "sha256": u.sha256}
