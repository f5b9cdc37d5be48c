"""`reporter init`: a workspace of a city office's own, its texts derived from its ledger, its templates preferred."""
from __future__ import annotations

import tomllib

import docx
from click.testing import CliRunner

from reporter.cli import main
from reporter.config import load_config

from . import office_ledgers as L
from .conftest import write_book

ROUND = "2025-05"


def _ledger(tmp_path):
    sheets, merges = L.xianning_city()
    return write_book(tmp_path / "咸宁市2025年民生实事任务台帐.xlsx", sheets, merges)


def test_init_writes_config_and_derived_office_texts(tmp_path):
    ledger = _ledger(tmp_path)
    ws = tmp_path / "咸宁工作区"
    result = CliRunner().invoke(main, ["init", str(ws), "--ledger", str(ledger)])
    assert result.exit_code == 0, result.output
    cfg = load_config(ws / "reporter.toml")
    assert cfg.ledger.resolve() == ledger.resolve() and cfg.region == "咸宁市"
    assert cfg.office == ws / "templates" / "office.toml"
    office = tomllib.loads(cfg.office.read_text(encoding="utf-8"))
    assert office["office"]["name"] == "咸宁市民生工作领导小组办公室"
    assert office["office"]["addressee"] == "各县（市、区）人民政府，市直有关单位："
    assert office["office"]["doc_number"] == "咸民生办〔{year}〕{seq}号"
    assert office["office"]["scope"] == "全市" and office["office"]["region_word"] == "县（市、区）"
    assert office["notices"]["contact"] == ""  # no 王×× placeholder reaches a real office's notices
    assert "推定，请核对" in cfg.office.read_text(encoding="utf-8")
    assert (ws / "templates" / "bulletin" / "title.j2").is_file()
    assert not (ws / "templates" / "gongwen").exists()  # the GB/T 9704 layout is not an office's wording
    # a second init never overwrites the clerk's files
    again = CliRunner().invoke(main, ["init", str(ws), "--ledger", str(ledger)])
    assert again.exit_code != 0 and "已存在" in again.output


def test_init_office_name_is_taken_as_given(tmp_path):
    ledger = _ledger(tmp_path)
    result = CliRunner().invoke(main, ["init", str(tmp_path / "ws"), "--ledger", str(ledger),
                                       "--office", "咸宁市人民政府办公室"])
    assert result.exit_code == 0, result.output
    office = tomllib.loads((tmp_path / "ws" / "templates" / "office.toml").read_text(encoding="utf-8"))
    assert office["office"]["name"] == office["office"]["signature"] == "咸宁市人民政府办公室"


def test_a_workspace_s_own_templates_are_used(tmp_path, monkeypatch):
    ledger = _ledger(tmp_path)
    ws = tmp_path / "ws"
    assert CliRunner().invoke(main, ["init", str(ws), "--ledger", str(ledger)]).exit_code == 0
    title = ws / "templates" / "bulletin" / "title.j2"
    title.write_text("{{ round_label }}{{ scope }}民生实事专项通报\n", encoding="utf-8")
    monkeypatch.chdir(ws)
    runner = CliRunner()
    assert runner.invoke(main, ["template", "--round", ROUND]).exit_code == 0
    values = {"XN-01": 1.0, "XN-02": 50, "XN-03": 92, "XN-04": 3}
    L.fill(ws / "output" / ROUND / "填报模板", ws / "报送", lambda code, region: values[code], whole="咸宁市")
    assert runner.invoke(main, ["collect", str(ws / "报送"), "--round", ROUND]).exit_code == 0
    assert runner.invoke(main, ["rollup", "--round", ROUND]).exit_code == 0
    done = runner.invoke(main, ["report", "bulletin", "--round", ROUND, "--format", "docx"])
    assert done.exit_code == 0, done.output
    path = next((ws / "output" / ROUND / "通报").glob("*.docx"))
    text = "\n".join(p.text for p in docx.Document(str(path)).paragraphs)
    assert "2025年5月全市民生实事专项通报" in text  # the workspace's own title template
    assert "咸宁市民生工作领导小组办公室" in text and "咸民生办〔2025〕5号" in text
    assert "各县（市、区）人民政府，市直有关单位：" in text and "湖北" not in text


def test_check_says_when_documents_would_carry_guessed_texts(tmp_path):
    from reporter import api

    ledger = _ledger(tmp_path)
    bare = api.check(ledger, ROUND, None)  # no office file: the city's texts are guessed
    notes = [f for f in bare.findings if f.code == "office-texts-guessed"]
    assert len(notes) == 1 and "咸宁市民生工作领导小组办公室" in notes[0].message and notes[0].severity.value == "提示"
    ws = tmp_path / "ws"
    api.init(ws, ledger)
    office = ws / "templates" / "office.toml"
    assert [f.code for f in api.check(ledger, ROUND, None, office=office).findings].count("office-texts-guessed") == 1
    text = office.read_text(encoding="utf-8")
    office.write_text(text.replace('name = "咸宁市民生工作领导小组办公室"', 'name = "咸宁市人民政府办公室"')
                      .replace("咸民生办〔", "咸政办〔").replace("市直有关单位：", "市直各有关单位："), encoding="utf-8")
    assert "office-texts-guessed" not in [f.code for f in api.check(ledger, ROUND, None, office=office).findings]
