"""A real install: the wheel `pip install .` builds, in a fresh venv, run in an empty folder with no reporter.toml.

The fresh venv has no copy of the repository: templates, fonts config and region data must come with the package.
Its third-party libraries are the test interpreter's (a .pth line, so nothing is downloaded); the editable
install of the repository in that environment is not active there (.pth files of an added path are not run).
"""
from __future__ import annotations

import json
import os
import shutil
import site
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("install")
    wheels = base / "wheels"
    # as `pip install .` builds it: in an isolated build environment with the build-system's setuptools, from a
    # copy of the tracked files (setuptools writes build/ into the tree it builds: never the repository's own,
    # where a stale build/lib would also slip removed files into the wheel)
    source = _tracked_copy(base / "source")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", str(wheels), str(source)], check=True,
                   capture_output=True, timeout=600, env=_clean())
    env_dir = base / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    purelib = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                             check=True, capture_output=True, text=True).stdout.strip()
    wheel = next(wheels.glob("reporter-*.whl"))
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", str(wheel)],
                   check=True, capture_output=True, timeout=600, env=_clean())
    # after the install: pip must not see the repository's editable install there and call it satisfied
    (Path(purelib) / "test_deps.pth").write_text("\n".join(site.getsitepackages()) + "\n", encoding="utf-8")
    return env_dir


def _tracked_copy(target: Path) -> Path:
    """The repository's tracked files (or, outside a git checkout, its tree less local folders) under target."""
    try:
        names = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, check=True, capture_output=True).stdout
        files = [n for n in names.decode().split("\0") if n and (ROOT / n).is_file()]
    except (OSError, subprocess.CalledProcessError):
        shutil.copytree(ROOT, target, ignore=shutil.ignore_patterns(".venv", ".git", "build", "output", "*.egg-info"))
        return target
    for name in files:
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, target / name)
    return target


def _clean() -> dict[str, str]:
    """The environment without PYTHONPATH: the repository must not be reachable (nor seen as installed)."""
    return {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}


def _run(env_dir: Path, args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(env_dir / "bin" / "reporter"), *args], cwd=cwd, env=_clean(), capture_output=True,
                          text=True, timeout=900)


def test_the_installed_package_is_not_the_repository(installed, tmp_path):
    probe = subprocess.run([str(installed / "bin" / "python"), "-c", "import reporter; print(reporter.__file__)"],
                           cwd=tmp_path, env=_clean(),
                           capture_output=True, text=True, check=True)
    assert str(installed) in probe.stdout and str(ROOT) not in probe.stdout


def test_sample_then_run_in_an_empty_folder(installed, tmp_path):
    made = _run(installed, ["sample", "--json"], tmp_path)
    assert made.returncode == 0, made.stderr
    assert (tmp_path / "reporter.toml").is_file()
    assert json.loads(made.stdout)["文件数"] > 10
    done = _run(installed, ["run", "--format", "docx", "--json"], tmp_path)
    assert done.returncode == 0, done.stderr + done.stdout
    summary = json.loads(done.stdout)
    assert summary["失败步骤"] == [] and summary["概要"]["生成文档数"] > 10
    bulletin = next((tmp_path / "output" / "2025-05" / "通报").glob("*.docx"))
    assert bulletin.stat().st_size > 10_000
