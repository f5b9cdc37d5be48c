"""The repository is the sample year's workspace: templates/ holds the editable copies `reporter init` lays out
(office.toml and the wording templates), and they are the packaged ones, so the two never drift apart."""
import tomllib
from pathlib import Path

from reporter.render.wording import TEMPLATES_DIR

ROOT = Path(__file__).resolve().parents[1]
WORKSPACE_TEMPLATES = ROOT / "templates"


def _files(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*")
            if p.is_file() and p.suffix in (".j2", ".toml") and "gongwen" not in p.parts}


def test_the_repository_workspace_uses_its_own_templates():
    config = tomllib.loads((ROOT / "reporter.toml").read_text(encoding="utf-8"))
    assert config["workspace"]["office"] == "templates/office.toml"


def test_workspace_templates_are_the_packaged_ones():
    assert _files(WORKSPACE_TEMPLATES) == _files(TEMPLATES_DIR)
    for name in sorted(_files(TEMPLATES_DIR)):
        packaged = (TEMPLATES_DIR / name).read_text(encoding="utf-8")
        assert (WORKSPACE_TEMPLATES / name).read_text(encoding="utf-8") == packaged, (
            f"templates/{name} differs from reporter/templates/{name}: edit the packaged copy, then copy it here")
