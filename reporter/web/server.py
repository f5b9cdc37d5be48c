"""Starting the web page: settings from reporter.toml, then uvicorn on the chosen address."""
from __future__ import annotations

from pathlib import Path

from ..config import Config
from .app import WebSettings, create_app


def serve(cfg: Config, host: str = "127.0.0.1", port: int = 8700, out: Path | None = None) -> None:
    """Serve the page until interrupted. Raises SettingsError (Chinese) when it cannot start as asked, e.g. a
    non-local host without a password."""
    import uvicorn

    settings = WebSettings.from_config(cfg, host, out)
    app = create_app(settings)
    shown = f"[{host}]" if ":" in host else host
    print(f"民生实事任务台帐网页已启动：请在浏览器中打开 http://{shown}:{port}/ （按 Ctrl+C 停止）", flush=True)
    uvicorn.run(app, host=host, port=port, log_level="warning", server_header=False)
