"""The workspace config file (reporter.toml): defaults so a clerk types only `reporter run`.

Looked up in this order: --config; reporter.toml in the current folder; reporter.toml in the --out folder.
Relative paths in the file are relative to the file's own folder. docs/config.md documents every key.
"""
from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CONFIG_NAME = "reporter.toml"


class ConfigError(Exception):
    """A config file that cannot be read; the message is Chinese and names the file."""


@dataclass
class Config:
    path: Path | None = None
    ledger: Path | None = None  # [workspace] ledger
    out: Path = Path("output")  # [workspace] out
    round: str | None = None  # [workspace] round, e.g. "2025-05"
    submissions: Path | None = None  # [workspace] submissions: folder or zip that collect reads
    office: Path | None = None  # [workspace] office: the office's fixed texts for 公文 (templates/office.toml)
    database: str | None = None  # [workspace] database: a PostgreSQL URL; default the workspace's SQLite file
    region: str | None = None  # [workspace] region: the office's region (咸宁市), else found from the ledger
    raw: dict[str, Any] = field(default_factory=dict)

    def section(self, name: str) -> dict[str, Any]:
        return dict(self.raw.get(name, {}))


def find_config(explicit: str | Path | None = None, out: str | Path | None = None) -> Path | None:
    if explicit:
        path = Path(explicit)
        if not path.is_file():
            raise ConfigError(f"找不到配置文件“{path}”。")
        return path
    for folder in (Path.cwd(), Path(out) if out else None):
        if folder and (folder / CONFIG_NAME).is_file():
            return folder / CONFIG_NAME
    return None


def load_config(explicit: str | Path | None = None, out: str | Path | None = None) -> Config:
    path = find_config(explicit, out)
    if path is None:
        return Config()
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"配置文件“{path}”格式有误：{exc}") from exc
    ws = raw.get("workspace", {})
    base = path.parent

    def resolve(key: str) -> Path | None:
        value = ws.get(key)
        return (base / value) if value else None

    return Config(path=path, ledger=resolve("ledger"), out=resolve("out") or base / "output",
                  round=str(ws["round"]) if ws.get("round") else None, submissions=resolve("submissions"),
                  office=resolve("office"), database=_database(ws.get("database"), base),
                  region=str(ws["region"]).strip() if ws.get("region") else None, raw=raw)


def _database(value: str | None, base: Path) -> str | None:
    """A URL as written (its password may come from REPORTER_DB_PASSWORD); a bare path is a SQLite file."""
    if not value:
        return None
    if "://" not in value:
        return str(base / value)
    password = os.environ.get("REPORTER_DB_PASSWORD")
    if password:
        from sqlalchemy.engine import make_url

        return make_url(value).set(password=password).render_as_string(hide_password=False)
    return value
