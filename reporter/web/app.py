"""The web application: settings, the page templates and the middleware around the routes."""
from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

from ..config import Config
from ..model.schedule import Round
from .auth import Sessions, SessionMiddleware

PASSWORD_ENV = "REPORTER_WEB_PASSWORD"
LOOPBACK = ("127.0.0.1", "localhost", "::1")
STATIC = Path(__file__).with_name("static")


class SettingsError(Exception):
    """The server cannot start as asked; the message is Chinese."""


@dataclass
class WebSettings:
    ledger: Path
    round: str  # the round the home page shows
    out: Path  # the workspace
    config: Config = field(default_factory=Config)
    host: str = "127.0.0.1"
    password: str | None = None
    max_file_bytes: int = 30_000_000
    max_upload_bytes: int = 300_000_000  # one upload request, all files together
    max_files: int = 200

    @classmethod
    def from_config(cls, cfg: Config, host: str, out: Path | None = None) -> "WebSettings":
        """Settings from reporter.toml ([workspace], [web]) and the environment; refuses a non-local bind
        without a password."""
        web = cfg.section("web")
        if cfg.ledger is None:
            raise SettingsError("未指定年度任务台帐：请在 reporter.toml 的 [workspace] 中写 ledger。")
        if not cfg.ledger.is_file():
            raise SettingsError(f"找不到年度任务台帐“{cfg.ledger}”。")
        if not cfg.round:
            raise SettingsError("未指定填报轮次：请在 reporter.toml 的 [workspace] 中写 round（如 2025-05）。")
        password = os.environ.get(PASSWORD_ENV) or web.get("password") or None
        if host not in LOOPBACK and not password:
            raise SettingsError(f"在 {host} 上开放网页需要设置密码：请在 reporter.toml 的 [web] 中写 password，"
                                f"或设置环境变量 {PASSWORD_ENV}。只在本机使用时请用默认的 --host 127.0.0.1。")
        mb = 1_000_000
        return cls(cfg.ledger, cfg.round, out or cfg.out, cfg, host, password,
                   int(web.get("max_file_mb", 30)) * mb, int(web.get("max_upload_mb", 300)) * mb,
                   int(web.get("max_files", 200)))

    def submissions(self, rnd: Round) -> Path:
        """The round's submissions folder: reporter.toml's for its round (when a folder), else 报送文件."""
        configured = self.config.submissions
        if configured is not None and rnd.key == self.round and not configured.is_file():
            return configured
        return self.out / rnd.key / "报送文件"


def create_app(settings: WebSettings, allowed_hosts: list[str] | None = None) -> Starlette:
    from .routes import routes

    env = Environment(loader=PackageLoader("reporter.web", "templates"), autoescape=select_autoescape(["html"]))
    env.filters.update(when=_when, size=_size, pct=_pct)
    sessions = Sessions(settings.password)
    hosts = allowed_hosts or _allowed_hosts(settings.host)
    app = Starlette(routes=[*routes(), Mount("/static", StaticFiles(directory=STATIC), name="static")],
                    exception_handlers={Exception: failed},
                    middleware=[Middleware(TrustedHostMiddleware, allowed_hosts=hosts),
                                Middleware(SecurityHeaders),
                                Middleware(SessionMiddleware, sessions=sessions)])
    app.state.settings, app.state.templates, app.state.sessions = settings, env, sessions
    return app


async def failed(request, exc: Exception):
    """An error the library raised (an unreadable ledger, a file another program holds): its Chinese message on
    a page, not a bare 500; the server goes on."""
    from .routes import error_page

    text = str(exc)
    chinese = any("\u4e00" <= ch <= "\u9fff" for ch in text)
    return error_page(request, text if chinese else f"服务器出错（{type(exc).__name__}），请刷新重试；仍出错请联系维护人员。", 500)


def _allowed_hosts(host: str) -> list[str]:
    """On 127.0.0.1 only local names (a web site cannot reach the page by rebinding its DNS name to 127.0.0.1);
    on an intranet address any name the office's machines use."""
    return list(LOOPBACK) + ["[::1]"] if host in LOOPBACK else ["*"]


class SecurityHeaders:
    """No other site may frame the page or run scripts in it; files are never sniffed into another type."""
    HEADERS = [(b"content-security-policy", b"default-src 'self'; object-src 'self'; frame-ancestors 'self'; "
                                            b"base-uri 'none'; form-action 'self'"),
               (b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"same-origin"),
               (b"x-frame-options", b"SAMEORIGIN")]

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def with_headers(message):
            if message["type"] == "http.response.start":
                message.setdefault("headers", []).extend(self.HEADERS)
            await send(message)
        await self.app(scope, receive, with_headers)


def _when(value: dt.datetime | None) -> str:
    if not value:
        return ""
    return f"{value.month}月{value.day}日 {value:%H:%M}"


def _size(value: int) -> str:
    return f"{value / 1e6:.1f} MB" if value >= 1e6 else f"{max(1, round(value / 1e3))} KB"


def _pct(value: Any) -> str:
    return "—" if value is None else f"{value:.1f}%"
