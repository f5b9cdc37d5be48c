"""Outputs are written atomically, under safe names, readable by colleagues on a shared folder."""
import os
import stat

import pytest

from reporter.files import atomic_path, safe_filename, write_text


def test_outputs_get_the_usual_permissions(tmp_path):
    old = os.umask(0o022)
    try:
        path = write_text(tmp_path / "本轮运行摘要.json", "{}")
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o644  # not mkstemp's owner-only 0600


def test_a_failed_write_leaves_the_old_file_and_no_temp(tmp_path):
    path = write_text(tmp_path / "a.txt", "旧")
    with pytest.raises(RuntimeError):
        with atomic_path(path) as tmp:
            tmp.write_text("新", encoding="utf-8")
            raise RuntimeError("renderer failed")
    assert path.read_text(encoding="utf-8") == "旧" and [p.name for p in tmp_path.iterdir()] == ["a.txt"]


@pytest.mark.parametrize("name, safe", [
    ("CON.xlsx", "_CON.xlsx"), ("lpt1", "_lpt1"), ("报表. . ", "报表"), ("a/b:c.docx", "a_b_c.docx"),
    ("十堰市政府_退回修改.xlsx", "十堰市政府_退回修改.xlsx"), ("武汉市.东湖高新区 督办通知", "武汉市.东湖高新区 督办通知"),
])
def test_safe_names(name, safe):
    assert safe_filename(name) == safe
