"""The workspace folder: one sub-folder per round, the history database beside them."""
from __future__ import annotations

import os
import re
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from .files import safe_filename
from .model.schedule import Round


LOCK_NAME = ".reporter.lock"
# Set while a process holds a workspace: "<folder>|<pid>". The worker processes a run starts (forked or
# spawned, they inherit it) work under their parent's hold instead of waiting for it.
HELD_BY = "REPORTER_WORKSPACE_HELD"
LOCK_WAIT = 10  # seconds a run waits for another run on the same workspace before saying so
# The temporary files files.atomic_path writes beside an output (mkstemp: '.~' and 8 characters): what a
# crashed or killed run leaves behind. Office's own lock files (~$a.docx, .~lock.a.xlsx#) do not match.
_TEMPORARY = re.compile(r"^\.~[a-z0-9_]{8}(\.[A-Za-z0-9]{1,5})?$")


class WorkspaceBusy(Exception):
    """Another run holds the workspace; the message is Chinese."""


@dataclass(frozen=True)
class Workspace:
    root: Path

    def round_dir(self, rnd: Round) -> Path:
        return self.root / rnd.key

    def templates_dir(self, rnd: Round) -> Path:
        """填报模板: the fill-in workbooks sent to units."""
        return self.round_dir(rnd) / "填报模板"

    def sample_dir(self, rnd: Round) -> Path:
        """样例报送: generated sample submissions (sample year only)."""
        return self.round_dir(rnd) / "样例报送"

    def submissions_dir(self, rnd: Round) -> Path:
        """报送文件: where files uploaded on the web page are kept, when reporter.toml names no folder."""
        return self.round_dir(rnd) / "报送文件"

    def uploads_log(self, rnd: Round) -> Path:
        """Which files of the round came through the web page, and when."""
        return self.round_dir(rnd) / "上传记录.json"

    def checks_dir(self, rnd: Round) -> Path:
        return self.round_dir(rnd) / "台帐检查"

    def inbox_dir(self, rnd: Round) -> Path:
        """收件邮箱: the round's messages fetched from the mailbox (.eml), read again by every re-run."""
        return self.round_dir(rnd) / "收件邮箱"

    def returns_dir(self, rnd: Round) -> Path:
        """退回修改: each unit's own submission with the offending cells marked, ready to mail back."""
        return self.round_dir(rnd) / "退回修改"

    def return_workbook(self, rnd: Round, label: str) -> Path:
        return self.returns_dir(rnd) / safe_filename(f"{label}_退回修改.xlsx")

    def bulletin_dir(self, rnd: Round) -> Path:
        """通报: the 月度通报 in Word and PDF."""
        return self.round_dir(rnd) / "通报"

    def notices_dir(self, rnd: Round) -> Path:
        """督办通知: one notice (and 回执) per lagging unit, the index and a zip of all."""
        return self.round_dir(rnd) / "督办通知"

    def brief_dir(self, rnd: Round) -> Path:
        """领导参阅: the two-page brief with charts."""
        return self.round_dir(rnd) / "领导参阅"

    def mail_dir(self, rnd: Round) -> Path:
        """邮件: .eml drafts and the size report."""
        return self.round_dir(rnd) / "邮件"

    def cache_dir(self, rnd: Round) -> Path:
        """What a rerun of the round may reuse (each submission's reading, by its bytes); safe to delete."""
        return self.round_dir(rnd) / ".cache"

    @property
    def history_db(self) -> Path:
        return self.root / "history.sqlite"

    @contextmanager
    def locked(self, wait: float | None = None) -> Iterator["Workspace"]:
        """Hold the workspace for one run: a second run (another window, the web app, a scheduled task) waits
        up to `wait` seconds and then stops with a Chinese message, rather than write the same files at the
        same time. Re-entrant within a thread (`run` calls `collect`). On taking it, temporary files a crashed
        run left behind are removed."""
        from filelock import FileLock, Timeout

        wait = LOCK_WAIT if wait is None else wait
        self.root.mkdir(parents=True, exist_ok=True)
        held = f"{self.root.resolve()}|{os.getppid()}"
        if os.environ.get(HELD_BY) == held:  # a worker process of the run that holds it (run's documents)
            yield self
            return
        lock = FileLock(self.root / LOCK_NAME, is_singleton=True)
        try:
            lock.acquire(timeout=wait)
        except Timeout:
            raise WorkspaceBusy(f"另一个运行正在使用工作区“{self.root}”（可能是另一个窗口、网页端或定时任务中的 reporter），"
                                f"已等待 {wait:g} 秒。请等它结束后再试。") from None
        outer = lock.lock_counter == 1
        before = os.environ.get(HELD_BY)
        try:
            if outer:
                self.clear_temporary()
                os.environ[HELD_BY] = f"{self.root.resolve()}|{os.getpid()}"  # seen by the run's workers
            yield self
        finally:
            if outer:
                if before is None:
                    os.environ.pop(HELD_BY, None)
                else:
                    os.environ[HELD_BY] = before
            lock.release()

    def clear_temporary(self) -> list[Path]:
        """Remove the temporary files earlier runs left (a crash between writing and renaming)."""
        removed = []
        for path in self.root.rglob(".~*"):
            if _TEMPORARY.match(path.name) and path.is_file():
                path.unlink(missing_ok=True)
                removed.append(path)
        return removed
