"""The page's routes: the board, upload, run, progress, outputs, findings, downloads and login.

Each handler checks its input, calls reporter.api (in a worker thread: the library is synchronous) and
renders a template or answers JSON for the page's script. Messages are Chinese and say what to do.
"""
from __future__ import annotations

import asyncio
import datetime as dt
import json
import threading
from pathlib import Path
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException
from starlette.requests import Request
from starlette.responses import (FileResponse, HTMLResponse, JSONResponse, PlainTextResponse, RedirectResponse,
                                 Response, StreamingResponse)
from starlette.routing import Route

from .. import api
from ..intake.inbox import State, accepted_suffixes
from ..model.schedule import Round, parse_round
from . import jobs
from .auth import COOKIE, csrf_ok
from .downloads import INLINE, resolve_download

_SEVERITY_ORDER = {"错误": 0, "警告": 1, "提示": 2}
_FOLDER_LOCKS: dict[Path, threading.Lock] = {}
_FOLDER_GUARD = threading.Lock()


def routes() -> list[Route]:
    return [
        Route("/", home),
        Route("/r/{round}/", board_page),
        Route("/r/{round}/upload", upload, methods=["POST"]),
        Route("/r/{round}/collect", start_collect, methods=["POST"]),
        Route("/r/{round}/run", start_run, methods=["POST"]),
        Route("/r/{round}/outputs", outputs_page),
        Route("/r/{round}/findings", findings_page),
        Route("/jobs/{job}", job_state),
        Route("/jobs/{job}/events", job_events),
        Route("/files/{path:path}", download),
        Route("/login", login, methods=["GET", "POST"]),
        Route("/logout", logout, methods=["POST"]),
    ]


class NotFound(Exception):
    """A round or file the page does not have; the message is shown."""


# -- pages -------------------------------------------------------------------------------------------------
async def home(request: Request) -> Response:
    return RedirectResponse(f"/r/{request.app.state.settings.round}/", status_code=303)


async def board_page(request: Request) -> Response:
    s = request.app.state.settings
    try:
        rnd = await _round(request)
    except NotFound as exc:
        return _error(request, str(exc), 404)
    cfg = s.config
    rolled = api.rollup_settings(cfg)
    board = await run_in_threadpool(api.board, s.ledger, rnd, s.out, s.submissions(rnd),
                                    rolled["thresholds"], rolled["escalation"], rolled["database"])
    return _render(request, "board.html", board=board, rnd=board.round, job=jobs.current(s.out),
                   accept=",".join(accepted_suffixes()), max_file_mb=s.max_file_bytes // 1_000_000,
                   folder=_shown_folder(s, s.submissions(rnd)))


async def outputs_page(request: Request) -> Response:
    s = request.app.state.settings
    try:
        rnd = await _round(request)
    except NotFound as exc:
        return _error(request, str(exc), 404)
    groups = await run_in_threadpool(api.outputs, s.ledger, rnd, s.out)
    per_unit = {g.kind: _by_unit(g.files) for g in groups if g.kind in ("督办通知", "退回修改")}
    return _render(request, "outputs.html", rnd=rnd, groups=groups, per_unit=per_unit)


async def findings_page(request: Request) -> Response:
    s = request.app.state.settings
    try:
        rnd = await _round(request)
    except NotFound as exc:
        return _error(request, str(exc), 404)
    unit = request.query_params.get("unit", "").strip()[:100]
    rows = await run_in_threadpool(api.findings, rnd, s.out, unit)
    rows.sort(key=lambda r: _SEVERITY_ORDER[r.finding.severity.value])  # errors first; stable within each
    units = sorted({r.unit for r in await run_in_threadpool(api.findings, rnd, s.out)} - {""})
    return _render(request, "findings.html", rnd=rnd, rows=rows, unit=unit, units=units)


# -- actions -----------------------------------------------------------------------------------------------
async def upload(request: Request) -> Response:
    s = request.app.state.settings
    try:
        rnd = await _round(request)
    except NotFound as exc:
        return _json_error(str(exc), 404)
    if not csrf_ok(request.state.session, request.headers.get("x-csrf-token")):
        return _json_error("页面已过期，请刷新页面后重新上传。", 403)
    limit = s.max_upload_bytes
    if int(request.headers.get("content-length") or 0) > limit:
        return _json_error(f"一次上传的文件合计不能超过 {limit // 1_000_000} MB，请分批上传。", 413)
    limited = Request(request.scope, _capped(request.receive, limit))
    try:
        form = await limited.form(max_files=s.max_files, max_fields=s.max_files + 10)
    except _TooLarge:
        return _json_error(f"一次上传的文件合计不能超过 {limit // 1_000_000} MB，请分批上传。", 413)
    except (MultiPartException, HTTPException) as exc:  # Starlette turns the former into the latter
        many = "Too many files" in str(getattr(exc, "message", None) or getattr(exc, "detail", ""))
        return _json_error(f"一次最多上传 {s.max_files} 个文件，请分批上传。" if many else "上传的内容无法识别，请重新选择文件。", 400)
    try:
        files = [f for f in form.getlist("files") if isinstance(f, UploadFile)]
        if not files:
            return _json_error("没有收到文件：请选择或拖入要上传的报送文件。", 400)
        stamps = list(form.getlist("mtimes")) + [""] * len(files)
        incoming = [api.Incoming(f.filename or "", f.file, f.size or 0, _stamp(m)) for f, m in zip(files, stamps)]
        folder = s.submissions(rnd)
        received = await run_in_threadpool(_receive_locked, folder, incoming, rnd, s)
    finally:
        await form.close()
    answer: dict[str, Any] = {"files": [{"name": r.original, "state": r.state, "message": r.message,
                                         "stored_as": r.stored_as} for r in received], "job": None, "busy": ""}
    if any(r.state == State.STORED for r in received):
        try:
            answer["job"] = _collect_job(s, rnd).id
        except jobs.Busy as exc:
            answer["busy"] = f"{exc} 文件已保存，完成后请点“汇总报送”。"
    return JSONResponse(answer)


async def start_collect(request: Request) -> Response:
    return await _start(request, "collect")


async def start_run(request: Request) -> Response:
    return await _start(request, "run")


async def _start(request: Request, kind: str) -> Response:
    s = request.app.state.settings
    try:
        rnd = await _round(request)
    except NotFound as exc:
        return _json_error(str(exc), 404)
    if not await _csrf(request):
        return _json_error("页面已过期，请刷新页面后重试。", 403)
    try:
        job = _collect_job(s, rnd) if kind == "collect" else _run_job(s, rnd)
    except jobs.Busy as exc:
        return JSONResponse({"message": str(exc), "job": exc.job.id}, status_code=409)
    return JSONResponse({"job": job.id, "message": f"已开始{job.label}。"})


async def job_state(request: Request) -> Response:
    job = jobs.get(request.path_params["job"])
    if job is None:
        return _json_error("找不到这次运行（服务已重启或记录已清除），请刷新页面。", 404)
    return JSONResponse(job.state())


async def job_events(request: Request) -> Response:
    """The job's events as server-sent events, from the first, until it is done."""
    job = jobs.get(request.path_params["job"])
    if job is None:
        return _json_error("找不到这次运行（服务已重启或记录已清除），请刷新页面。", 404)

    async def stream():
        seen, quiet = 0, 0.0
        while True:
            events = job.events[seen:]
            for event in events:
                yield f"data: {json.dumps(event, ensure_ascii=False, default=str)}\n\n"
            seen += len(events)
            if job.done and seen >= len(job.events):
                return
            quiet = 0.0 if events else quiet + 0.2
            if quiet >= 15:
                yield ": 仍在运行\n\n"
                quiet = 0.0
            await asyncio.sleep(0.2)
    return StreamingResponse(stream(), media_type="text/event-stream", headers={"cache-control": "no-store"})


async def download(request: Request) -> Response:
    s = request.app.state.settings
    path = resolve_download(s.out, request.path_params["path"])
    if path is None:
        return _error(request, "找不到这个文件：它不在工作区的输出中，或已被删除。", 404)
    inline = request.query_params.get("inline") == "1" and path.suffix.lower() in INLINE
    return FileResponse(path, filename=path.name, content_disposition_type="inline" if inline else "attachment")


async def login(request: Request) -> Response:
    sessions, session = request.app.state.sessions, request.state.session
    target = _local_target(request.query_params.get("next", "/"))
    if not sessions.required or (session.logged_in and request.method == "GET"):
        return RedirectResponse(target, status_code=303)
    if request.method == "GET":
        return _render(request, "login.html", target=target, message="")
    form = await request.form(max_files=0, max_fields=5)
    target = _local_target(str(form.get("next") or "/"))  # kept through a wrong password
    if not csrf_ok(session, form.get("csrf")):
        return _render(request, "login.html", target=target, message="页面已过期，请重新输入密码。", status=403)
    client = request.client.host if request.client else ""
    result = sessions.login(session, str(form.get("password") or ""), client)
    if isinstance(result, str):
        return _render(request, "login.html", target=target, message=result, status=401)
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(COOKIE, result.id, httponly=True, samesite="strict", path="/")
    return response


async def logout(request: Request) -> Response:
    if not await _csrf(request):
        return _error(request, "页面已过期，请刷新页面后重试。", 403)
    request.app.state.sessions.logout(request.state.session)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(COOKIE, path="/")
    return response


# -- jobs --------------------------------------------------------------------------------------------------
def _collect_job(s, rnd: Round) -> jobs.Job:
    folder = s.submissions(rnd)

    def work(progress) -> api.CollectResult:
        if not folder.exists():
            raise FileNotFoundError(f"本轮报送文件夹“{folder}”还不存在：请先上传报送文件。")
        result = api.collect(folder, s.ledger, rnd, s.out, database=s.config.database, progress=progress)
        progress.finish("汇总报送", f"{len(result.round_ledger.files)} 个文件")
        return result
    return jobs.start(s.out, "collect", "汇总报送", work)


def _run_job(s, rnd: Round) -> jobs.Job:
    cfg = s.config

    def work(progress) -> api.RunResult:
        return api.run(s.ledger, rnd, s.out, submissions=s.submissions(rnd), office=cfg.office,
                       mail_settings=api.mail_settings(cfg), progress=progress, **api.rollup_settings(cfg))
    return jobs.start(s.out, "run", "运行本月全部步骤", work)


def _receive_locked(folder: Path, incoming, rnd: Round, s):
    """One upload at a time into a folder, so the same file sent twice at once is still stored once."""
    with _FOLDER_GUARD:
        lock = _FOLDER_LOCKS.setdefault(folder.resolve(), threading.Lock())
    with lock:
        return api.receive(incoming, rnd, s.out, folder, s.max_file_bytes)


# -- helpers -----------------------------------------------------------------------------------------------
async def _round(request: Request) -> Round:
    """The round in the address, when it is one of the ledger's year."""
    text = request.path_params["round"]
    try:
        rnd = parse_round(text)
    except ValueError:
        raise NotFound(f"轮次“{text[:20]}”无法识别：请写成 2025-05 的形式。") from None
    year = await _ledger_year(request)
    if rnd.year != year:
        raise NotFound(f"年度任务台帐是 {year} 年的，没有“{rnd.key}”这一轮。")
    return rnd


async def _ledger_year(request: Request) -> int:
    state = request.app.state
    if getattr(state, "ledger_year", None) is None:
        state.ledger_year = (await run_in_threadpool(api.check, state.settings.ledger)).ledger.year
    return state.ledger_year


async def _csrf(request: Request) -> bool:
    token = request.headers.get("x-csrf-token")
    if token is None and request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
        token = (await request.form(max_files=0, max_fields=5)).get("csrf")
    return csrf_ok(request.state.session, token)


class _TooLarge(Exception):
    pass


def _capped(receive, limit: int):
    """The request body, refused once it passes `limit` bytes (a body sent without a length)."""
    total = 0

    async def capped():
        nonlocal total
        message = await receive()
        total += len(message.get("body", b""))
        if total > limit:
            raise _TooLarge()
        return message
    return capped


def _stamp(value: Any) -> dt.datetime | None:
    """The browser's lastModified (ms since 1970) when it is a plausible time: not before 2000, not ahead."""
    try:
        when = dt.datetime.fromtimestamp(int(str(value)) / 1000)
    except (ValueError, OverflowError, OSError):
        return None
    return when if dt.datetime(2000, 1, 1) <= when <= dt.datetime.now() + dt.timedelta(days=1) else None


def _by_unit(files) -> dict[str, list]:
    """A unit's short name → its files, by name; files for no one unit (the zip, the index) last."""
    units: dict[str, list] = {}
    for f in sorted(files, key=lambda f: (not f.unit, f.unit)):
        units.setdefault(f.unit or "（全部单位）", []).append(f)
    return units


def _shown_folder(s, folder: Path) -> str:
    try:
        return str(folder.resolve().relative_to(s.out.resolve().parent))
    except ValueError:
        return str(folder)


def _local_target(target: str) -> str:
    """Only a path on this site (not '//evil.example')."""
    return target if target.startswith("/") and not target.startswith("//") and "\\" not in target else "/"


def _render(request: Request, name: str, status: int = 200, **context: Any) -> Response:
    state = request.app.state
    page = state.templates.get_template(name).render(
        request=request, settings=state.settings, csrf=request.state.session.csrf,
        password=state.sessions.required, **context)
    return HTMLResponse(page, status_code=status, headers={"cache-control": "no-store"})


def error_page(request: Request, message: str, status: int) -> Response:
    if "session" not in request.scope.get("state", {}):
        return PlainTextResponse(message, status_code=status)
    return _error(request, message, status)


def _error(request: Request, message: str, status: int) -> Response:
    return _render(request, "message.html", status=status, message=message)


def _json_error(message: str, status: int) -> Response:
    return JSONResponse({"message": message}, status_code=status)
