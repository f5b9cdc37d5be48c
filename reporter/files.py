"""Writing outputs safely: atomically, under Windows-safe names, never over the user's inputs."""
from __future__ import annotations

import errno
import os
import re
import tempfile
from contextlib import contextmanager
from itertools import count
from pathlib import Path
from typing import Iterator

_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}


NAME_BYTES = 240  # of a file name: file systems allow 255 bytes (not characters: a Chinese one takes 3)


def safe_filename(name: str, limit: int = NAME_BYTES) -> str:
    """A file name that Windows, macOS and Linux all accept, keeping the Chinese text: forbidden and control
    characters become _, no trailing dot or space, not a reserved device name (CON, lpt1.xlsx), at most
    `limit` bytes in UTF-8 with the extension kept (a 'suffix' longer than 10 characters is not one)."""
    cleaned = _cleaned(name)
    stem, dot, suffix = cleaned.rpartition(".")
    if not dot or not suffix or len(suffix) > 10 or " " in suffix:
        stem, suffix = cleaned, ""
    suffix = f".{suffix}" if suffix else ""
    room = max(3, limit - len(suffix.encode()))
    stem = fit_bytes(stem, room).rstrip(". ") or "_"
    if stem.split(".")[0].upper() in _RESERVED:
        stem = fit_bytes(f"_{stem}", room)
    return stem + suffix


def unique_filename(part: str, taken: set[str], prefix: str = "", suffix: str = "", mark: str = "_{}",
                    limit: int = NAME_BYTES) -> str:
    """prefix + part + suffix as a safe file name of at most `limit` bytes, `part` cut to fit; when that name
    is in `taken` (compared without case, as Windows does), part + mark (_2, _3, …) with room kept for the
    mark, so that names cut short stay apart. The name is added to `taken`."""
    part = _cleaned(part).rstrip(". ") or "_"
    for n in count(1):
        tail = (mark.format(n) if n > 1 else "") + suffix
        name = safe_filename(prefix + fit_bytes(part, limit - len((prefix + tail).encode())) + tail, limit)
        if name.casefold() not in taken:
            taken.add(name.casefold())
            return name
    raise AssertionError("unreachable")


def fit_bytes(text: str, limit: int) -> str:
    """`text` cut to at most `limit` bytes of UTF-8, never inside a character."""
    return text.encode()[:max(0, limit)].decode(errors="ignore")


def _cleaned(name: str) -> str:
    return re.sub(r"\s+", " ", _UNSAFE.sub("_", str(name))).strip().rstrip(". ")


@contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path beside `path`; it replaces `path` only if the block finishes. The file gets
    the usual permissions (mkstemp's are owner-only, which hides outputs from colleagues on a shared folder)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".~", suffix=path.suffix, dir=path.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        os.chmod(tmp_path, 0o666 & ~_umask())
        os.replace(tmp_path, path)
    except PermissionError as exc:
        raise PermissionError(f"无法写入“{path}”：文件可能正被 Excel、WPS 或 Word 打开，请关闭后重试。") from exc
    except Exception as exc:
        found = os_error_in(exc)  # a full disk, a read-only folder: said of the output, not of its temporary
        if found is None or found.filename not in (None, str(tmp_path), tmp_path):
            raise
        raise OSError(found.errno, found.strerror, str(path)) from exc
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_text(path: str | Path, text: str) -> Path:
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return Path(path)


# What an operating-system error means for the clerk, by errno (never the English strerror).
_OS_ERRORS = {
    errno.ENOSPC: "磁盘空间已满，无法写入“{path}”。请清理磁盘或换一个工作区文件夹后重试。",
    errno.EDQUOT: "磁盘配额已用完，无法写入“{path}”。请清理空间后重试。",
    errno.EFBIG: "文件过大或磁盘空间不足，无法写入“{path}”。请清理磁盘后重试。",
    errno.EROFS: "“{path}”所在的磁盘或文件夹是只读的，无法写入。请换一个可写的工作区文件夹（--out）。",
    errno.EACCES: "没有权限读写“{path}”（或文件正被 Excel、WPS、Word 打开）。请关闭文件或检查文件夹权限后重试。",
    errno.EPERM: "没有权限读写“{path}”（或文件正被 Excel、WPS、Word 打开）。请关闭文件或检查文件夹权限后重试。",
    errno.ENOENT: "找不到“{path}”。",
    errno.ENOTDIR: "“{path}”中有一段不是文件夹（同名文件占用了该位置）。",
    errno.EISDIR: "“{path}”是文件夹，不是文件。",
    errno.ENAMETOOLONG: "文件名或路径过长：“{path}”。请使用更短的文件夹路径。",
    errno.EIO: "读写“{path}”时磁盘出错（可能是网络盘断开或磁盘故障）。",
}


def os_error_message(exc: OSError) -> str:
    """An OSError in Chinese, naming the file (or folder) it concerns."""
    path = exc.filename2 or exc.filename or ""
    if isinstance(exc, PermissionError) and str(exc).startswith("无法写入"):  # atomic_path's own message
        return str(exc)
    template = _OS_ERRORS.get(exc.errno or 0)
    if template:
        return template.format(path=path) if path else template.replace("“{path}”", "文件")
    return f"读写“{path}”时出错（系统错误代码 {exc.errno}）。" if path else f"读写文件时出错（系统错误代码 {exc.errno}）。"


def os_error_in(exc: BaseException) -> OSError | None:
    """The OSError behind an exception: itself, or the one a library wrapped (xlsxwriter's FileCreateError
    holds it as its argument; others raise from it)."""
    seen = 0
    while exc is not None and seen < 5:
        if isinstance(exc, OSError):
            return exc
        inner = exc.args[0] if exc.args and isinstance(exc.args[0], BaseException) else None
        exc = inner or exc.__cause__ or exc.__context__
        seen += 1
    return None
