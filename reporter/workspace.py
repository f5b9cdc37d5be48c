"""The workspace folder: one sub-folder per round, the history database beside them."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .files import safe_filename
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
