"""The command line as a clerk uses it: defaults from reporter.toml, Chinese errors, --json = library result."""
import contextlib
import json
import shutil

from click.testing import CliRunner

from reporter import api
from reporter.cli import main

from .conftest import SAMPLE_LEDGER


def run_cli(args, cwd=None):
    """Invoke the CLI; with `cwd`, from that folder (so no reporter.toml of the repository applies)."""
    runner = CliRunner()
    if cwd is None:
        return runner.invoke(main, args, catch_exceptions=False)
    with contextlib.chdir(cwd):
        return runner.invoke(main, args, catch_exceptions=False)


def test_help_is_chinese():
    out = run_cli(["--help"]).output
    assert "民生实事年度任务台帐" in out and "collect" in out and "template" in out


def test_missing_ledger_is_one_chinese_line(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run_cli(["check", "--round", "2025-05"])
    assert result.exit_code == 1
    assert result.output.strip().startswith("错误：未指定年度任务台帐")


def test_bad_round_is_refused(tmp_path):
    result = run_cli(["check", "--ledger", str(SAMPLE_LEDGER), "--round", "2025-13", "--out", str(tmp_path)])
    assert result.exit_code == 1 and "无法识别的填报轮次" in result.output


def test_config_in_the_current_folder_gives_the_defaults(tmp_path, monkeypatch):
    shutil.copy(SAMPLE_LEDGER, tmp_path / "台帐.xlsx")
    (tmp_path / "reporter.toml").write_text(
        '[workspace]\nledger = "台帐.xlsx"\nout = "ws"\nround = "2025-05"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = run_cli(["check", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["任务数"] == 99 and data["年度"] == 2025
    assert (tmp_path / "ws" / "2025-05" / "台帐检查" / "台帐问题清单.xlsx").is_file()


def test_json_equals_the_library_result(tmp_path):
    args = ["template", "--ledger", str(SAMPLE_LEDGER), "--round", "2025-05", "--out", str(tmp_path), "--json"]
    data = json.loads(run_cli(args).output)
    lib = api.template(SAMPLE_LEDGER, "2025-05", tmp_path).summary()
    assert data == json.loads(json.dumps(lib, ensure_ascii=False, default=str))
    assert data["模板数"] == 58


def test_sample_then_collect_end_to_end(tmp_path):
    base = ["--ledger", str(SAMPLE_LEDGER), "--round", "2025-05", "--out", str(tmp_path)]
    assert run_cli(["sample", *base]).exit_code == 0
    result = run_cli(["collect", str(tmp_path / "2025-05" / "样例报送"), *base, "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["未报送单位"] and data["汇总行数"] > 500
    for path in ("本轮台帐", "问题清单", "未报送迟报名单"):
        assert (tmp_path / "2025-05" / f"{path}.xlsx").is_file()
    assert data["输出"]["退回修改"], "the sample round has errors, so some units get a 退回修改 workbook"


def test_rollup_after_collect_and_its_history(tmp_path):
    base = ["--ledger", str(SAMPLE_LEDGER), "--round", "2025-05", "--out", str(tmp_path)]
    assert run_cli(["rollup", *base]).output.startswith("错误：2025年5月尚未汇总")
    run_cli(["sample", *base])
    run_cli(["collect", str(tmp_path / "2025-05" / "样例报送"), *base])
    result = run_cli(["rollup", *base, "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["总体情况"]["任务数"] == 99
    assert sum(data["总体情况"]["分类"].values()) == 99
    assert len(data["地区前三"]) >= 3 and data["滞后行数"] > 0
    assert (tmp_path / "2025-05" / "汇总分析表.xlsx").is_file() and (tmp_path / "history.sqlite").is_file()
    again = json.loads(run_cli(["rollup", *base, "--json"]).output)  # idempotent
    assert again["总体情况"] == data["总体情况"]


def test_bulletin_in_word_and_pdf(tmp_path):
    from docx import Document as Docx

    base = ["--ledger", str(SAMPLE_LEDGER), "--round", "2025-05", "--out", str(tmp_path)]
    run_cli(["sample", *base])
    run_cli(["collect", str(tmp_path / "2025-05" / "样例报送"), *base])
    result = run_cli(["report", "bulletin", *base, "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    docx_path, pdf_path = (tmp_path / "2025-05" / "通报" / f"2025年5月民生实事推进情况通报.{s}" for s in ("docx", "pdf"))
    assert [str(docx_path), str(pdf_path)] == data["文件"]
    text = "\n".join(p.text for p in Docx(docx_path).paragraphs)
    assert data["标题"] in text.replace("\n", "") and "鄂民生办〔2025〕5号" in text
    assert "2025年6月5日" in text  # 成文日期 per GB/T 9704: the round's deadline by default
    assert pdf_path.read_bytes().startswith(b"%PDF")
    assert run_cli(["report", "bulletin", *base, "--format", "odt"]).output.startswith("错误：不支持的格式")


def test_run_does_the_whole_month_and_again(tmp_path):
    """`reporter run` on the sample round: every step, every document, a clean exit — twice, same files."""
    import email
    from email import policy

    base = ["--ledger", str(SAMPLE_LEDGER), "--round", "2025-05", "--out", str(tmp_path)]
    run_cli(["sample", *base])
    args = ["run", *base, "--submissions", str(tmp_path / "2025-05" / "样例报送")]
    result = run_cli([*args, "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert list(data["步骤"]) == list(api.STEPS) and data["失败步骤"] == [] and not data["是否受阻"]
    folder = tmp_path / "2025-05"
    listed = json.loads((folder / "督办通知" / "清单.json").read_text(encoding="utf-8"))
    assert data["概要"]["督办单位数"] == len(listed) > 0
    for sub, pattern in [("通报", "*.pdf"), ("领导参阅", "*.pdf"), ("督办通知", "*.docx"), ("邮件", "*.eml")]:
        assert list((folder / sub).glob(pattern)), sub
    # every notified unit has a mail, and its notice is attached under its Chinese name
    drafts = {p.stem: email.message_from_bytes(p.read_bytes(), policy=policy.default) for p in (folder / "邮件").glob("*.eml")}
    for item in listed:
        names = {part.get_filename() for part in drafts[item["label"]].iter_attachments()}
        assert {n for n in item["files"] if n.endswith(".pdf")} <= names
    before = sorted(p.relative_to(folder) for p in folder.rglob("*") if p.is_file())
    again = run_cli([*args, "--json"])
    assert again.exit_code == 0 and json.loads(again.output)["概要"] == data["概要"]
    assert sorted(p.relative_to(folder) for p in folder.rglob("*") if p.is_file()) == before


def test_run_shows_progress_and_a_final_table(tmp_path):
    base = ["--ledger", str(SAMPLE_LEDGER), "--round", "2025-05", "--out", str(tmp_path)]
    result = run_cli(["run", *base], cwd=tmp_path)  # no submissions yet: the month starts with templates only
    assert result.exit_code == 0, result.output
    assert "✓ 台帐检查" in result.output and "✓ 填报模板" in result.output and "本月汇总" in result.output
    assert "跳过汇总" in result.output


def test_run_refuses_an_unknown_format_before_doing_anything(tmp_path):
    base = ["--ledger", str(SAMPLE_LEDGER), "--round", "2025-05", "--out", str(tmp_path)]
    result = run_cli(["run", *base, "--format", "docx,odt"], cwd=tmp_path)
    assert result.exit_code == 1 and "不支持的格式：odt" in result.output
    assert not (tmp_path / "2025-05").exists()
