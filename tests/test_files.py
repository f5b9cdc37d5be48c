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


# An 83-character 简称 (a 区 office's full title kept as its short name) is 249 bytes in UTF-8.
LONG = "湖北省武汉市东湖新技术开发区管理委员会社会事业局暨民生实事工作领导小组办公室" * 2 + "教育科技卫生"


def test_long_unit_names_give_file_names_within_255_bytes_and_apart(tmp_path):
    from reporter.deliver.mail import _unique_name
    from reporter.intake.annual import read_ledger
    from reporter.model.schedule import parse_round
    from reporter.render.fillin import write_templates
    from reporter.render.notices import _unique_base

    from .conftest import write_book
    assert len(LONG + "甲") == 83 and len((LONG + "甲").encode()) == 249
    ledger, _ = read_ledger(write_book(tmp_path / "台帐.xlsx", {
        "任务": [["任务编号", "任务名称", "领域", "计量单位", "年度目标", "牵头单位", "完成时限"],
                 ["T1", "新增公办学前教育学位", "教育", "个", "7000", LONG + "甲", "年底前"],
                 ["T2", "城镇新增就业", "就业", "人", "7000", LONG + "乙", "年底前"]],
        "责任单位": [["单位名称", "简称", "单位类型", "联系邮箱"],
                     [LONG + "甲全称", LONG + "甲", "部门", "a@example.org"],
                     [LONG + "乙全称", LONG + "乙", "部门", "b@example.org"]]}), year=2025)
    templates = write_templates(ledger, parse_round("2025-05"), tmp_path / "填报模板")
    assert len({p.name for p in templates}) == 2 and all(p.is_file() for p in templates)
    used: set[str] = set()
    bases = [_unique_base(LONG + s, LONG + s + "全称", used) for s in "甲乙"]
    drafts: set[str] = set()
    emls = [_unique_name(LONG + s, drafts) for s in "甲乙"]
    names = [p.name for p in templates] + [f"{b}_督办通知.docx" for b in bases] + emls
    assert len(set(names)) == len(names)
    for name in names:
        assert len(name.encode()) <= 255, name
        (tmp_path / name).write_bytes(b"x")  # the file system takes it
