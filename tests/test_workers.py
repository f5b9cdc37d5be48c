"""Worker processes (reporter.workers): a function run aside gives back its value or its own error."""
from __future__ import annotations

import os

import pytest

from reporter.workers import Background


def pid_and(value):
    return os.getpid(), value


def refuse(name):
    raise ValueError(f"无法写入“{name}”")


def die():
    os._exit(3)


def test_the_value_comes_back_from_another_process():
    pid, value = Background(pid_and, {"通知数": 48}).result()
    assert value == {"通知数": 48} and pid != os.getpid()


def test_the_error_is_raised_here_with_its_message():
    with pytest.raises(ValueError, match="无法写入“通报.pdf”"):
        Background(refuse, "通报.pdf").result()


def test_a_worker_that_dies_is_an_error_not_a_hang():
    with pytest.raises(RuntimeError, match="工作进程意外退出（退出码 3）"):
        Background(die).result()
