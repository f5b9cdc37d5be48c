"""Starting the web page: settings from reporter.toml, then uvicorn on the chosen address."""
from __future__ import annotations

from pathlib import Path

from ..config import Config
from .app import SettingsError, WebSettings, create_app


def serve(cfg: Config, host: str = "127.0.0.1", port: int = 8700, out: Path | None = None) -> None:
    """Serve the page until interrupted. Raises SettingsError (Chinese) when it cannot start as asked, e.g. a
    non-local host without a password."""
    import uvicorn

    settings = WebSettings.from_config(cfg, host, out)
    _check_free(host, port)
    app = create_app(settings)
    shown = f"[{host}]" if ":" in host else host
    print(f"民生实事任务台帐网页已启动：请在浏览器中打开 http://{shown}:{port}/ （按 Ctrl+C 停止）", flush=True)
    uvicorn.run(app, host=host, port=port, log_level="warning", server_header=False)


def _check_free(host: str, port: int) -> None:
    """Say in Chinese that the port is taken (uvicorn would say it in English and exit)."""
    import socket

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            raise SettingsError(f"无法在 {host}:{port} 上开放网页：端口已被占用，或该地址不是本机的。可能已有一个 "
                                "reporter serve 在运行；请用 --port 换一个端口，或用 --host 写本机的地址。") from None
