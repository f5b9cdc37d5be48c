"""Find every submission in a folder (recursively) or a zip, including zips inside the folder and zips inside
those zips (one level: 'a.zip/b.zip/c.xlsx', as a 市 forwards its 县' zips in one), and the attachments of saved e-mails
(.eml, .msg: see messages.py), each attachment a Source that knows its message (its Letter).

Nothing is extracted to disk and nothing the user gave is touched: members are read into memory. A zip that
cannot be opened (cut short in the mail, damaged, protected with a password) is one Source whose reading
fails with a Chinese message naming it: one file-level finding, and the run goes on with the other files.
"""
from __future__ import annotations

import datetime as dt
import io
import zipfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterator

from .. import memory
from ..memory import OverBudget, too_large
from .extent import read_member
from .messages import MESSAGE_SUFFIXES, Letter, MessageError, attachment_bytes, open_message
from .workbook import EXCEL_SUFFIXES, UnreadableFile

READABLE = EXCEL_SUFFIXES | {".csv"}
# Office lock files and OS clutter, never submissions.
_IGNORED_PREFIXES = ("~$", ".~", "._", ".")
_IGNORED_NAMES = {"thumbs.db", "desktop.ini", ".ds_store", "truth.json"}
_END_RECORD = b"PK\x05\x06"  # a zip's end of central directory record


@dataclass(frozen=True)
class Source:
    """One submitted file: where it is, how to read its bytes, and when it arrived (mtime)."""

    name: str  # the path shown to people: relative to the folder, 'a.zip/b.xlsx' inside a zip
    suffix: str
    mtime: dt.datetime | None
    path: Path  # the file on disk (the zip, for a member)
    member: str | None = None  # the member inside the zip
    inner: str | None = None  # the member inside `member`, itself a zip
    error: str | None = None  # why the file cannot be read (a damaged or locked zip): read_bytes raises it
    # An e-mail's attachment: `path` is the saved message, `part` the attachment's address in it (`inner`
    # the member, when it is a zip), `letter` the message; `copies` other messages with the same file.
    part: str | None = None
    letter: Letter | None = None
    digest: str = ""
    copies: tuple[Letter, ...] = ()
    # When it reached the office, when known (a message's date, a 收件登记 or --received): mtime is not that.
    received: dt.datetime | None = None

    def read_bytes(self) -> bytes:
        """The file's bytes; a file (or zip member) larger than the budget is refused before it is read, a
        member inflating beyond it as soon as it does."""
        if self.error is not None:
            raise UnreadableFile(self.error)
        try:
            if self.part is not None:  # a message's attachment; the message itself a zip's member, or a file
                data = attachment_bytes(self.path, self.part) if self.member is None else attachment_bytes(
                    Path(self.member), self.part, self._member_bytes())
            elif self.member is None:
                if self.path.stat().st_size > memory.BUDGET.inflated:
                    raise too_large(self.name, self.path.stat().st_size, inflated=False)
                return self.path.read_bytes()
            else:
                data = self._member_bytes()
            if self.inner is not None:
                with zipfile.ZipFile(io.BytesIO(data)) as zf:
                    data = read_member(zf, zf.getinfo(self.inner), self.name)
        except OverBudget as exc:
            raise UnreadableFile(str(exc)) from exc
        except OSError:
            raise  # the zip is gone or not readable on disk: not the unit's fault
        except MessageError as exc:
            raise UnreadableFile(str(exc)) from exc
        except RuntimeError as exc:  # 'File … is encrypted, password required for extraction'
            raise UnreadableFile(_locked(self.name)) from exc
        except Exception as exc:  # BadZipFile (CRC), zlib.error, EOFError, NotImplementedError (method)
            raise UnreadableFile(f"压缩包中的文件“{self.name}”已损坏，无法读取。请重新压缩后报送，"
                                 "或直接报送该表格文件。") from exc
        return data

    def _member_bytes(self) -> bytes:
        with zipfile.ZipFile(self.path) as zf:
            return read_member(zf, zf.getinfo(self.member), self.name)

    @property
    def readable(self) -> bool:
        """Whether reading is tried: a table format, or a zip that failed (reading then says why)."""
        return self.error is not None or self.suffix in READABLE

    @property
    def stem(self) -> str:
        return Path(self.name).stem


def discover(source: str | Path) -> Iterator[Source]:
    """Every candidate file under `source` (a folder or a .zip), in a stable order; a file attached to
    several messages once (see _once)."""
    return iter(_once(list(_discover(Path(source)))))


def _discover(source: Path) -> Iterator[Source]:
    if source.is_file():
        yield from _found(source, source.name)
        return
    root = source.resolve()
    for path in sorted(source.rglob("*"), key=lambda p: str(p.relative_to(source))):
        if not path.is_file() or _ignored(path.name):
            continue
        rel = str(path.relative_to(source))
        if not path.resolve().is_relative_to(root):  # a link to a file elsewhere: not something submitted
            yield Source(rel, path.suffix.lower(), None, path, error=_outside(rel))
        else:
            yield from _found(path, rel)


def _found(path: Path, rel: str) -> list[Source]:
    suffix = path.suffix.lower()
    if suffix == ".zip":
        return _zip_members(path, rel)
    if suffix in MESSAGE_SUFFIXES:
        return _attachments(path, rel)
    return [_file(path, rel)]


def _attachments(path: Path, rel: str, member: str | None = None, data: bytes | None = None) -> list[Source]:
    """A saved message's attachments (a zip's members in their place), or the message itself, failing, when
    nothing in it can be read. `member`, `data`: the message is that member of the zip at `path`."""
    opened = open_message(Path(member) if member else path, rel, data)
    letter = opened.letter
    message = Source(rel, Path(rel).suffix.lower(), letter.arrived, path, member, letter=letter,
                     received=letter.arrived)
    if opened.problem:
        return [_failed(message, opened.problem)]
    found: list[Source] = []
    for att in opened.attachments:
        source = replace(message, name=f"{rel}/{att.name}", suffix=Path(att.name).suffix.lower(), part=att.address,
                         digest=att.digest, letter=att.letter or letter)
        if att.problem:
            found.append(_failed(source, att.problem))
        elif source.suffix == ".zip":
            try:
                found.extend(_listed(attachment_bytes(Path(member) if member else path, att.address, data), source))
            except MessageError as exc:
                found.append(_failed(source, str(exc)))
        else:
            found.append(source)
    return found


def _once(sources: list[Source]) -> list[Source]:
    """The same attachment (same content) in several messages is one submission: the first to arrive,
    knowing the others (`copies`)."""
    groups: dict[tuple[str, str | None], list[Source]] = {}
    for source in sources:
        if source.digest:
            groups.setdefault((source.digest, source.inner), []).append(source)
    kept: dict[int, Source] = {}
    dropped: set[int] = set()
    for group in groups.values():
        if len(group) < 2:
            continue
        group.sort(key=lambda s: (s.received or dt.datetime.max, s.name))
        kept[id(group[0])] = replace(group[0], copies=tuple(s.letter for s in group[1:] if s.letter))
        dropped.update(id(s) for s in group[1:])
    return [kept.get(id(s), s) for s in sources if id(s) not in dropped]


def _ignored(name: str) -> bool:
    return name.lower() in _IGNORED_NAMES or name.startswith(_IGNORED_PREFIXES)


def _file(path: Path, rel: str) -> Source:
    mtime = dt.datetime.fromtimestamp(path.stat().st_mtime)
    return Source(rel, path.suffix.lower(), mtime, path)


def _zip_members(path: Path, rel: str) -> list[Source]:
    """The members of the zip at `path`, zips among them opened in turn; or one Source saying it can't be."""
    mtime = dt.datetime.fromtimestamp(path.stat().st_mtime)
    broken = Source(rel, ".zip", mtime, path)
    try:
        with zipfile.ZipFile(path) as zf:
            if not _whole(_tail(path), path.stat().st_size):
                return [_failed(broken, _damaged(rel))]
            infos = _members(zf)
            if any(info.flag_bits & 0x1 for info in infos):
                return [_failed(broken, _locked(rel))]
            found = []
            for info in infos:
                name = _member_name(info)
                member = Source(f"{rel}/{name}", Path(name).suffix.lower(), dt.datetime(*info.date_time), path,
                                info.filename)
                if member.suffix in MESSAGE_SUFFIXES:  # saved e-mails zipped together
                    found.extend(_zipped_message(zf, info, member))
                else:
                    found.extend(_inner(zf, info, member) if member.suffix == ".zip" else [member])
            return found
    except OSError:
        raise  # the folder itself cannot be read: not one unit's file
    except Exception:  # BadZipFile: not a zip at all, or cut short before its end record
        return [_failed(broken, _damaged(rel))]


def _zipped_message(zf: zipfile.ZipFile, info: zipfile.ZipInfo, zipped: Source) -> list[Source]:
    try:
        data = read_member(zf, info, zipped.name)
    except OverBudget as exc:
        return [_failed(zipped, str(exc))]
    except Exception:
        return [_failed(zipped, _damaged(zipped.name))]
    return _attachments(zipped.path, zipped.name, info.filename, data)


def _inner(zf: zipfile.ZipFile, info: zipfile.ZipInfo, zipped: Source) -> list[Source]:
    """The members of a zip inside a zip; zips inside those are not opened."""
    try:
        data = read_member(zf, info, zipped.name)
    except OverBudget as exc:
        return [_failed(zipped, str(exc))]
    except RuntimeError:
        return [_failed(zipped, _locked(zipped.name))]
    except Exception:
        return [_failed(zipped, _damaged(zipped.name))]
    return _listed(data, zipped)


def _listed(data: bytes, zipped: Source) -> list[Source]:
    """The members of the zip `data`, which is `zipped` (a zip's member, or a message's attachment)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as inner:
            if not _whole(data[-(1 << 16) - 22:], len(data)):
                return [_failed(zipped, _damaged(zipped.name))]
            infos = _members(inner)
    except Exception:
        return [_failed(zipped, _damaged(zipped.name))]
    if any(i.flag_bits & 0x1 for i in infos):
        return [_failed(zipped, _locked(zipped.name))]
    found = []
    for i in infos:
        name = _member_name(i)
        # a message's attachments arrived when the message did; a zip's members, as their zip says
        source = replace(zipped, name=f"{zipped.name}/{name}", suffix=Path(name).suffix.lower(), inner=i.filename,
                         mtime=zipped.mtime if zipped.letter else dt.datetime(*i.date_time))
        if source.suffix == ".zip":
            source = _failed(source, f"压缩包“{source.name}”套了太多层压缩包，无法读取。请解压后直接报送其中的表格文件。")
        found.append(source)
    return found


def _members(zf: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    """The files of a zip worth reading, by name: no folders, no lock files or OS clutter."""
    infos = []
    for info in zf.infolist():
        name = _member_name(info)
        if info.is_dir() or _ignored(name.rsplit("/", 1)[-1]) or "__MACOSX" in name:
            continue
        infos.append(info)
    return sorted(infos, key=lambda i: i.filename)


def _tail(path: Path) -> bytes:
    with path.open("rb") as f:
        size = f.seek(0, 2)
        f.seek(max(0, size - (1 << 16) - 22))
        return f.read()


def _whole(tail: bytes, file_size: int) -> bool:
    """Whether a zip's end record ends the file (after its comment). A zip cut short has lost it, but a
    workbook or zip stored uncompressed inside it may still hold one: read, it would list that file's parts
    ('xl/workbook.xml', …) as the zip's own files."""
    at = tail.rfind(_END_RECORD)
    if at == -1 or len(tail) < at + 22:
        return False
    end = at + 22 + int.from_bytes(tail[at + 20:at + 22], "little")
    if end > len(tail) or tail[end:].strip(b"\0"):
        return False
    # cut just after a stored workbook, the file ends with that workbook's end record: its central directory
    # is then not right before it, where the zip's own is (unless a zip64 record stands between)
    size, offset = int.from_bytes(tail[at + 12:at + 16], "little"), int.from_bytes(tail[at + 16:at + 20], "little")
    return (offset == 0xFFFFFFFF or tail[at - 20:at - 16] == b"PK\x06\x07"
            or size + offset == file_size - (len(tail) - at))


def _failed(source: Source, error: str) -> Source:
    return replace(source, error=error)


def _damaged(name: str) -> str:
    return (f"压缩包“{name}”已损坏或不完整（可能没有下载完整），无法打开，其中的文件均未读取。"
            "请重新压缩后报送，或直接报送其中的表格文件。")


def _outside(name: str) -> str:
    return (f"“{name}”是指向报送文件夹以外的快捷方式（链接），未读取。请把报送文件本身放入报送文件夹。")


def _locked(name: str) -> str:
    return (f"压缩包“{name}”设有密码，无法打开，其中的文件均未读取。请解压后直接报送其中的表格文件"
            "（或重新压缩时不设密码）。")


def _member_name(info: zipfile.ZipInfo) -> str:
    """Zips made on Chinese Windows store GBK names without the UTF-8 flag; Python decodes them as cp437."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        return info.filename.encode("cp437").decode("gb18030")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return info.filename
