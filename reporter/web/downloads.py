"""Which file a download link may serve: only an output inside one of the workspace's round folders.

The path is checked as written (no '..', no absolute or hidden parts, no backslashes) and again after
resolving symlinks, so a link placed in the workspace cannot lead outside it. The workspace's own files
(reporter.toml, which may hold the password; the history database) are not round outputs and are never served.
"""
from __future__ import annotations

import re
from pathlib import Path, PurePosixPath

_ROUND_FOLDER = re.compile(r"^\d{4}-(\d{2}|Q[1-4])$")
INLINE = {".pdf"}  # shown in the page; everything else is downloaded


def resolve_download(root: Path, rel: str) -> Path | None:
    """The file `rel` names under the workspace `root`, or None when it is not one that may be served."""
    if not rel or "\x00" in rel or "\\" in rel or rel.startswith("/"):
        return None
    parts = PurePosixPath(rel).parts
    if len(parts) < 2 or not _ROUND_FOLDER.match(parts[0]):
        return None
    if any(p in (".", "..") or p.startswith((".", "~$")) for p in parts):
        return None
    base = root.resolve()
    try:
        target = (base / rel).resolve(strict=True)
    except (OSError, RuntimeError):  # missing, or a symlink loop
        return None
    if not target.is_relative_to(base / parts[0]) or not target.is_file():
        return None
    return target
