"""Who may use the page: sessions, the password on a non-local bind, and a CSRF token on every form.

Sessions live in the server's memory (a restart asks for the password again). The cookie is HttpOnly and
SameSite=Strict; every POST must carry the session's CSRF token (form field `csrf` or header X-CSRF-Token),
also on 127.0.0.1, so a web site open in the same browser cannot post to the page. Repeated wrong passwords
from one address are refused for a while.
"""
from __future__ import annotations

import hmac
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import quote

COOKIE = "reporter_session"
OPEN_PATHS = ("/login", "/static/")  # reachable before logging in
MAX_FAILURES, LOCKOUT_SECONDS = 5, 300
SESSION_SECONDS = 12 * 3600


@dataclass
class Session:
    id: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    csrf: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    logged_in: bool = False
    created: float = field(default_factory=time.monotonic)


class Sessions:
    """The server's sessions and the password check."""

    def __init__(self, password: str | None) -> None:
        self.password = password or None
        self._items: dict[str, Session] = {}
        self._failures: dict[str, list[float]] = {}
        self._lock = threading.Lock()

    @property
    def required(self) -> bool:
        return self.password is not None

    def find(self, sid: str | None) -> Session | None:
        with self._lock:
            session = self._items.get(sid or "")
            if session and time.monotonic() - session.created > SESSION_SECONDS:
                self._items.pop(session.id, None)
                return None
            return session

    def new(self) -> Session:
        session = Session(logged_in=not self.required)
        with self._lock:
            self._items[session.id] = session
        return session

    def login(self, old: Session, password: str, client: str) -> Session | str:
        """A fresh logged-in session (a new id: one set before login is worth nothing), or why not."""
        now = time.monotonic()
        with self._lock:
            recent = [t for t in self._failures.get(client, []) if now - t < LOCKOUT_SECONDS]
            self._failures[client] = recent
            if len(recent) >= MAX_FAILURES:
                return f"密码错误次数过多，请 {LOCKOUT_SECONDS // 60} 分钟后再试。"
            if not hmac.compare_digest(password.encode(), (self.password or "").encode()):
                recent.append(now)
                return "密码不正确。"
            self._failures.pop(client, None)
            self._items.pop(old.id, None)
        session = Session(logged_in=True)
        with self._lock:
            self._items[session.id] = session
        return session

    def logout(self, session: Session) -> None:
        with self._lock:
            self._items.pop(session.id, None)


def csrf_ok(session: Session, token: str | None) -> bool:
    return bool(token) and hmac.compare_digest(str(token).encode(), session.csrf.encode())


def cookie_header(session: Session) -> tuple[bytes, bytes]:
    return b"set-cookie", f"{COOKIE}={session.id}; Path=/; HttpOnly; SameSite=Strict".encode()


class SessionMiddleware:
    """Finds or starts the request's session (request.state.session); without a login, pages redirect to
    /login and other requests get 401."""

    def __init__(self, app, sessions: Sessions) -> None:
        self.app, self.sessions = app, sessions

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        session = self.sessions.find(_cookie(scope))
        fresh = session is None
        if fresh:
            session = self.sessions.new()
        scope.setdefault("state", {})["session"] = session
        path = scope["path"]
        if not session.logged_in and not path.startswith(OPEN_PATHS):
            return await _refuse(scope, send, session if fresh else None)

        async def send_with_cookie(message):
            if fresh and message["type"] == "http.response.start":
                message.setdefault("headers", []).append(cookie_header(session))
            await send(message)
        await self.app(scope, receive, send_with_cookie)


def _cookie(scope) -> str | None:
    for name, value in scope.get("headers", []):
        if name == b"cookie":
            jar = SimpleCookie()
            try:
                jar.load(value.decode("latin-1"))
            except Exception:  # noqa: BLE001 — a malformed cookie is no session
                return None
            if COOKIE in jar:
                return jar[COOKIE].value
    return None


async def _refuse(scope, send, fresh: Session | None) -> None:
    headers = [cookie_header(fresh)] if fresh else []
    if scope["method"] == "GET":
        target = "/login?next=" + quote(scope["path"], safe="/")
        headers += [(b"location", target.encode()), (b"content-length", b"0")]
        await send({"type": "http.response.start", "status": 303, "headers": headers})
        await send({"type": "http.response.body", "body": b""})
        return
    body = "请先登录。".encode()
    headers += [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": 401, "headers": headers})
    await send({"type": "http.response.body", "body": body})
