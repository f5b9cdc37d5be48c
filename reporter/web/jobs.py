"""Long jobs started from the page (collect, the monthly run): one at a time per workspace, in a thread,
their steps kept as events the page follows live (server-sent events).

The guard is per workspace folder in this process (two browser tabs, two clicks: the second is refused at once
with a 409), and the workspace's file lock (Workspace.locked) keeps out a run in another process.
"""
from __future__ import annotations

import datetime as dt
import threading
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from ..progress import Progress
from ..workspace import Workspace

_GUARD = threading.Lock()
_BUSY: dict[Path, "Job"] = {}  # workspace (resolved) → the job running in it
_JOBS: dict[str, "Job"] = {}
_KEEP = 20  # finished jobs kept for late readers of their events


class Busy(Exception):
    """A job is already running in the workspace; the message says which and since when."""

    def __init__(self, job: "Job") -> None:
        super().__init__(f"本工作区正在{job.label}（{job.started:%H:%M:%S} 开始），请等它完成后再试。")
        self.job = job


@dataclass
class Job:
    kind: str  # "run" or "collect"
    label: str  # 运行本月全部步骤 / 汇总报送, for messages
    workspace: Path
    id: str = field(default_factory=lambda: uuid.uuid4().hex)
    started: dt.datetime = field(default_factory=dt.datetime.now)
    events: list[dict[str, Any]] = field(default_factory=list)
    done: bool = False
    ok: bool | None = None
    result: dict[str, Any] = field(default_factory=dict)
    error: str = ""
    changed: threading.Condition = field(default_factory=threading.Condition)

    def add(self, event: dict[str, Any]) -> None:
        with self.changed:
            self.events.append(event)
            self.changed.notify_all()

    def wait(self, seen: int, timeout: float) -> list[dict[str, Any]]:
        """Events after the first `seen`, waiting up to `timeout` seconds for one."""
        with self.changed:
            if len(self.events) <= seen and not self.done:
                self.changed.wait(timeout)
            return self.events[seen:]

    def state(self) -> dict[str, Any]:
        return {"id": self.id, "kind": self.kind, "label": self.label, "done": self.done, "ok": self.ok,
                "error": self.error, "events": self.events, "result": self.result,
                "started": self.started.isoformat(timespec="seconds")}


class JobProgress(Progress):
    """The library's progress calls as events."""

    def __init__(self, job: Job) -> None:
        self.job = job

    def start(self, step: str, total: int | None = None) -> None:
        self.job.add({"type": "start", "step": step, "total": total})

    def advance(self, step: str, done: int = 1) -> None:
        self.job.add({"type": "advance", "step": step, "done": done})

    def finish(self, step: str, note: str = "", ok: bool | None = True) -> None:
        self.job.add({"type": "finish", "step": step, "note": note, "ok": ok})


def start(workspace: Path, kind: str, label: str, work: Callable[[Progress], Any]) -> Job:
    """Start `work` in a thread unless a job runs in the workspace (Busy). `work` returns an api result (with
    summary(), and problem when it has one) and may raise: the error is the job's, shown on the page."""
    key = workspace.resolve()
    with _GUARD:
        running = _BUSY.get(key)
        if running is not None:
            raise Busy(running)
        job = _BUSY[key] = Job(kind, label, key)
        _JOBS[job.id] = job
        _forget_old()
    threading.Thread(target=_run, args=(job, work), name=f"reporter-{kind}", daemon=True).start()
    return job


def current(workspace: Path) -> Job | None:
    with _GUARD:
        return _BUSY.get(workspace.resolve())


def get(job_id: str) -> Job | None:
    with _GUARD:
        return _JOBS.get(job_id)


def _run(job: Job, work: Callable[[Progress], Any]) -> None:
    try:
        with workspace_lock(job.workspace):
            result = work(JobProgress(job))
        job.result = result.summary()
        problem = getattr(result, "problem", None)  # RunResult: a failed step, or a round that cannot go on
        job.ok, job.error = problem is None, problem[0] if problem else ""
    except Exception as exc:  # noqa: BLE001 — the page shows it; the server goes on
        job.ok, job.error = False, _message(exc)
    finally:
        with _GUARD:
            _BUSY.pop(job.workspace, None)
        with job.changed:
            job.done = True
            job.events.append({"type": "done", "ok": job.ok, "error": job.error})
            job.changed.notify_all()


def workspace_lock(workspace: Path):
    """The workspace's lock across processes (a `reporter run` in a terminal, a scheduled task, another
    server): taken without waiting, so the page says at once that the workspace is busy."""
    return Workspace(workspace).locked(wait=0)


def _message(exc: Exception) -> str:
    text = str(exc) or type(exc).__name__
    return text if any("\u4e00" <= ch <= "\u9fff" for ch in text) else f"运行出错：{type(exc).__name__}: {text}"


def _forget_old() -> None:
    finished = [j for j in _JOBS.values() if j.done]
    for job in finished[:-_KEEP]:
        _JOBS.pop(job.id, None)
