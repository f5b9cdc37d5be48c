"""Writing outputs safely: atomically, under Windows-safe names, never over the user's inputs."""
from __future__ import annotations

import os
import re
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}


def safe_filename(name: str, limit: int = 150) -> str:
    """A file name that Windows, macOS and Linux all accept, keeping the Chinese text: forbidden and control
    characters become _, no trailing dot or space, not a reserved device name (CON, lpt1.xlsx), at most
    `limit` characters with the extension kept (a 'suffix' longer than 10 characters is not one)."""
    cleaned = re.sub(r"\s+", " ", _UNSAFE.sub("_", str(name))).strip().rstrip(". ")
    stem, dot, suffix = cleaned.rpartition(".")
    if not dot or not suffix or len(suffix) > 10 or " " in suffix:
        stem, suffix = cleaned, ""
    suffix = f".{suffix}" if suffix else ""
    stem = stem[: max(1, limit - len(suffix))].rstrip(". ") or "_"
    if stem.split(".")[0].upper() in _RESERVED:
        stem = f"_{stem}"[: max(1, limit - len(suffix))]
    return stem + suffix


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
