"""The workspace folder: one sub-folder per round, the history database beside them."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .model.schedule import Round


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

    def checks_dir(self, rnd: Round) -> Path:
        return self.round_dir(rnd) / "台帐检查"

    @property
    def history_db(self) -> Path:
        return self.root / "history.sqlite"
