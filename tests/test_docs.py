"""Docs that are generated from the code must be current: run `python scripts/gen_docs.py` to refresh."""
import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location("gen_docs", ROOT / "scripts" / "gen_docs.py")
gen_docs = importlib.util.module_from_spec(spec)
spec.loader.exec_module(gen_docs)


@pytest.mark.parametrize("rel", sorted(gen_docs.GENERATED))
def test_generated_docs_are_current(rel):
    expected = gen_docs.GENERATED[rel]()
    assert (ROOT / rel).read_text(encoding="utf-8") == expected, f"{rel} 已过期：请运行 python scripts/gen_docs.py"


def test_readme_gives_the_two_commands_and_they_exist():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "./dev demo" in readme and "./dev test" in readme
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "./dev test" in ci


def test_every_command_is_in_the_readme():
    from reporter.cli import main

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in main.commands:
        assert f"reporter {name}" in readme, f"README 未介绍 reporter {name}"


def test_glossary_covers_the_domain_terms():
    glossary = (ROOT / "docs" / "glossary.md").read_text(encoding="utf-8")
    for term in ("序时进度", "年度任务台帐", "牵头单位", "责任单位", "填报轮次", "分解到地区", "约束性", "预期性"):
        assert term in glossary
