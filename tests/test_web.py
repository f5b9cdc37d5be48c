"""The web page at HTTP level (Starlette's TestClient): every route with good and bad input.

The ledger and submissions are written by hand the way 咸宁市's office and its units would (seed 002)."""
from __future__ import annotations

import datetime as dt
import io
import os
import re
import threading
import warnings
from pathlib import Path

import pytest
from click.testing import CliRunner
with warnings.catch_warnings():  # Starlette 1.x asks for httpx2, which is not packaged yet; httpx works
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from reporter.config import Config
from reporter.web import jobs
from reporter.web.app import SettingsError, WebSettings, create_app

from .conftest import write_book

ROUND = "2025-05"


@pytest.fixture
def workspace(tmp_path) -> Path:
    """A county-level office's small ledger: three tasks, two departments, two county governments."""
    write_book(tmp_path / "2025年民生实事台帐.xlsx", {
        "任务": [
            ["任务编号", "任务名称", "领域", "计量单位", "年度目标", "牵头单位", "完成时限"],
            ["1", "新增城镇就业", "就业", "人", "4500", "市人社局", "年底前"],
            ["2", "改造老旧小区", "住房", "个", "60", "市住建局", "年底前"],
            ["3", "建设村级卫生室", "医疗卫生", "个", "40", "市卫健委", "年底前"],
        ],
        "分地区目标": [["任务编号", "地区", "年度目标"], ["3", "咸安区", 25], ["3", "嘉鱼县", 15]],
        "责任单位": [
            ["单位名称", "简称", "单位类型", "联系人"],
            ["咸宁市人力资源和社会保障局", "市人社局", "部门", "张敏 0715-8120001"],
            ["咸宁市住房和城乡建设局", "市住建局", "部门", ""],
            ["咸宁市卫生健康委员会", "市卫健委", "部门", ""],
            ["咸安区人民政府", "咸安区政府", "地区", ""],
            ["嘉鱼县人民政府", "嘉鱼县政府", "地区", ""],
        ],
    })
    return tmp_path


def settings(ws: Path, **kw) -> WebSettings:
    cfg = Config(ledger=ws / "2025年民生实事台帐.xlsx", out=ws / "out", round=ROUND)
    return WebSettings(cfg.ledger, ROUND, cfg.out, cfg, **kw)


def client(ws: Path, **kw) -> TestClient:
    return TestClient(create_app(settings(ws, **kw)), base_url="http://127.0.0.1")


def csrf_of(c: TestClient, path: str = f"/r/{ROUND}/") -> str:
    return re.search(r'name="csrf-token" content="([^"]+)"', c.get(path).text).group(1)


def submission(unit: str, rows: list[list]) -> bytes:
    """A unit's own sheet, not the template: a title, a 填报单位 line, then its rows."""
    from openpyxl import Workbook

    tmp = io.BytesIO()
    wb = Workbook()
    ws = wb.active
    ws.title = "5月进展"
    for row in [["2025年5月民生实事进展表"], [f"填报单位：{unit}"],
                ["任务编号", "任务名称", "地区", "累计完成", "进展状态", "存在问题"], *rows]:
        ws.append(row)
    wb.save(tmp)
    return tmp.getvalue()


HR = submission("市人社局", [["1", "新增城镇就业", "", 2100, "正常推进", ""]])
HOUSING = submission("市住建局", [["2", "改造老旧小区", "", "二十", "正常推进", ""]])  # a value in words: a finding
HEALTH = submission("市卫健委", [["3", "建设村级卫生室", "", 12, "正常推进", ""]])


def upload(c: TestClient, files: list[tuple[str, bytes]], token: str, mtimes: list[str] | None = None):
    data = {"mtimes": mtimes} if mtimes else None
    return c.post(f"/r/{ROUND}/upload", files=[("files", (n, b)) for n, b in files], data=data,
                  headers={"X-CSRF-Token": token})


def finish(job_id: str) -> jobs.Job:
    job = jobs.get(job_id)
    while not job.done:
        job.wait(len(job.events), 5)
    return job


# -- board and upload ------------------------------------------------------------------------------------------
def test_board_before_anything_lists_every_unit_as_missing_with_a_chase_list(workspace):
    c = client(workspace)
    page = c.get("/", follow_redirects=True)
    assert page.status_code == 200 and "2025年5月 本轮报送情况" in page.text
    for label in ("市人社局", "市住建局", "市卫健委", "咸安区政府", "嘉鱼县政府"):
        assert label in page.text
    chase = re.search(r'<textarea id="chase"[^>]*>(.*?)</textarea>', page.text, re.S).group(1)
    assert "截止日期：2025年6月5日" in chase and "市人社局（张敏 0715-8120001）" in chase
    assert "本轮尚未汇总" in page.text


def test_upload_stores_each_file_once_collects_and_the_board_updates(workspace):
    c = client(workspace)
    token = csrf_of(c)
    clerk_pc = str(int(dt.datetime(2025, 6, 3, 10, 0).timestamp() * 1000))  # the file's time on the clerk's PC
    answer = upload(c, [("市人社局5月进展.xlsx", HR), ("住建局.xlsx", HOUSING)], token, mtimes=[clerk_pc] * 2).json()
    assert [f["state"] for f in answer["files"]] == ["已保存", "已保存"]
    job = finish(answer["job"])
    assert job.ok, job.error
    folder = workspace / "out" / ROUND / "报送文件"
    assert sorted(p.name for p in folder.iterdir()) == ["住建局.xlsx", "市人社局5月进展.xlsx"]

    again = upload(c, [("人社局（再次发送）.xlsx", HR), ("住建局.xlsx", HEALTH)], token).json()
    assert again["files"][0]["state"] == "重复" and "市人社局5月进展.xlsx" in again["files"][0]["message"]
    assert again["files"][1]["stored_as"] == "住建局 (2).xlsx"  # another file of that name stays as it was
    assert (folder / "住建局.xlsx").read_bytes() == HOUSING
    finish(again["job"])

    page = c.get(f"/r/{ROUND}/").text
    row = _row(page, "市人社局")
    assert "已报送" in row and "网页上传" in row and "6月3日 10:00" in row
    assert "未报送" not in _row(page, "市卫健委") and "网页上传" in _row(page, "市卫健委")
    assert "未报送" in _row(page, "嘉鱼县政府")
    assert "有问题" in _row(page, "市住建局")
    chase = re.search(r'<textarea id="chase"[^>]*>(.*?)</textarea>', page, re.S).group(1)
    assert "嘉鱼县政府" in chase and "市人社局" not in chase


def _row(page: str, label: str) -> str:
    return next(r for r in re.findall(r"<tr data-unit=.*?</tr>", page, re.S) if f"<b>{label}</b>" in r)


def test_bad_files_each_get_a_chinese_message_and_nothing_lands_outside_the_folder(workspace):
    c = client(workspace, max_file_bytes=50_000)
    token = csrf_of(c)
    big = b"PK" + os.urandom(60_000)
    answer = upload(c, [("../../逃逸.xlsx", HR), ("C:\\报送\\..\\县里.xlsx", HOUSING), ("病毒.exe", b"MZ"),
                        ("空.xlsx", b""), ("大.zip", big), ("..", HR)], token).json()
    states = {f["name"]: (f["state"], f["message"]) for f in answer["files"]}
    assert states["../../逃逸.xlsx"][0] == "已保存" and answer["files"][0]["stored_as"] == "逃逸.xlsx"
    assert answer["files"][1]["stored_as"] == "县里.xlsx"
    assert states["病毒.exe"] == ("未保存", states["病毒.exe"][1]) and "不接收 .exe" in states["病毒.exe"][1]
    assert "空的" in states["空.xlsx"][1]
    assert "文件过大" in states["大.zip"][1] and "0.05 MB" not in states["大.zip"][1]
    assert "无效" in states[".."][1]
    finish(answer["job"])
    stored = {p.name for p in (workspace / "out" / ROUND / "报送文件").iterdir()}
    assert stored == {"逃逸.xlsx", "县里.xlsx"}
    assert not (workspace / "逃逸.xlsx").exists() and not (workspace / "out" / "逃逸.xlsx").exists()


def test_upload_refuses_too_much_too_many_no_files_no_csrf_and_a_wrong_round(workspace):
    c = client(workspace, max_upload_bytes=100_000, max_files=3)
    token = csrf_of(c)
    r = upload(c, [("a.xlsx", os.urandom(120_000))], token)
    assert r.status_code == 413 and "合计不能超过" in r.json()["message"]
    r = upload(c, [(f"{n}.xlsx", HR) for n in range(4)], token)
    assert r.status_code == 400 and "一次最多上传 3 个文件" in r.json()["message"]
    r = c.post(f"/r/{ROUND}/upload", data={"x": "1"}, headers={"X-CSRF-Token": token})
    assert r.status_code == 400 and "没有收到文件" in r.json()["message"]
    r = upload(c, [("a.xlsx", HR)], "forged")
    assert r.status_code == 403 and "刷新页面" in r.json()["message"]
    r = c.post(f"/r/{ROUND}/upload", files=[("files", ("a.xlsx", HR))])
    assert r.status_code == 403
    assert upload(c, [("a.xlsx", HR)], token).status_code == 200
    r = c.post("/r/2024-05/upload", files=[("files", ("a.xlsx", HR))], headers={"X-CSRF-Token": token})
    assert r.status_code == 404 and "2025 年" in r.json()["message"]
    assert not (workspace / "out" / "2024-05").exists()
    for bad in ("2025-13", "abc", "2025-Q5"):
        assert c.get(f"/r/{bad}/").status_code == 404


def test_a_body_with_no_length_is_cut_off_at_the_limit(workspace):
    c = client(workspace, max_upload_bytes=10_000)
    token = csrf_of(c)

    def chunks():
        boundary = b"--b\r\n"
        yield boundary + b'Content-Disposition: form-data; name="files"; filename="x.xlsx"\r\n\r\n'
        for _ in range(50):
            yield os.urandom(1000)
        yield b"\r\n--b--\r\n"
    r = c.post(f"/r/{ROUND}/upload", content=chunks(),
               headers={"X-CSRF-Token": token, "content-type": "multipart/form-data; boundary=b"})
    assert r.status_code == 413
    assert not any((workspace / "out" / ROUND / "报送文件").glob("x*"))


# -- runs ------------------------------------------------------------------------------------------------------
def test_one_run_at_a_time_per_workspace(workspace):
    c = client(workspace)
    token = csrf_of(c)
    release = threading.Event()
    blocker = jobs.start(workspace / "out", "run", "运行本月全部步骤", lambda p: release.wait(60) and Done())
    try:
        for action in ("run", "collect"):
            r = c.post(f"/r/{ROUND}/{action}", headers={"X-CSRF-Token": token})
            assert r.status_code == 409 and "本工作区正在运行本月全部步骤" in r.json()["message"]
        answer = upload(c, [("人社.xlsx", HR)], token).json()
        assert answer["files"][0]["state"] == "已保存" and answer["job"] is None and "完成后请点“汇总报送”" in answer["busy"]
        assert "data-job" in c.get(f"/r/{ROUND}/").text  # the page follows the running job
    finally:
        release.set()
        finish(blocker.id)
    r = c.post(f"/r/{ROUND}/collect", headers={"X-CSRF-Token": token})
    assert r.status_code == 200
    assert finish(r.json()["job"]).ok


class Done:
    def summary(self) -> dict:
        return {}


def test_run_needs_the_csrf_token_and_reports_its_steps(workspace):
    c = client(workspace)
    token = csrf_of(c)
    assert c.post(f"/r/{ROUND}/run").status_code == 403
    assert c.post(f"/r/{ROUND}/run", data={"csrf": "forged"}).status_code == 403
    finish(upload(c, [("人社.xlsx", HR), ("住建.xlsx", HOUSING)], token).json()["job"])
    r = c.post(f"/r/{ROUND}/run", data={"csrf": token})
    assert r.status_code == 200
    job = finish(r.json()["job"])
    steps = [e["step"] for e in job.events if e["type"] == "finish"]
    assert steps[:4] == ["台帐检查", "填报模板", "汇总报送", "汇总分析"] and "督办通知" in steps
    events = c.get(f"/jobs/{job.id}/events").text
    assert events.count("data: ") == len(job.events) and '"type": "done"' in events
    page = c.get(f"/r/{ROUND}/").text
    assert 'id="on-schedule"' in page and "序时达标率" in page
    assert c.get("/jobs/nonexistent").status_code == 404


# -- outputs, findings, downloads -------------------------------------------------------------------------------
def test_outputs_findings_and_downloads_stay_inside_the_workspace(workspace, tmp_path_factory):
    c = client(workspace)
    token = csrf_of(c)
    finish(upload(c, [("人社.xlsx", HR), ("住建.xlsx", HOUSING)], token).json()["job"])
    outputs = c.get(f"/r/{ROUND}/outputs").text
    assert "本轮台帐.xlsx" in outputs and "退回修改" in outputs
    links = re.findall(r'href="/files/([^"]+)"', outputs)
    book = next(link for link in links if link.endswith(".xlsx"))
    r = c.get(f"/files/{book}")
    assert r.status_code == 200 and r.headers["content-disposition"].startswith("attachment")
    assert r.content[:2] == b"PK"

    findings = c.get(f"/r/{ROUND}/findings", params={"unit": "市住建局"}).text
    assert "住建.xlsx" in findings and "人社.xlsx" not in findings

    outside = tmp_path_factory.mktemp("outside") / "secret.xlsx"
    outside.write_bytes(b"secret")
    round_dir = workspace / "out" / ROUND
    (round_dir / "link.xlsx").symlink_to(outside)
    (workspace / "out" / "reporter.toml").write_text("[web]\npassword = 'x'\n", encoding="utf-8")
    for bad in ("2025-05/link.xlsx", "2025-05/%2e%2e/reporter.toml", "reporter.toml", "2025-05/..%2F..%2Fsecret",
                "%2Fetc%2Fpasswd", "2025-05/.~hidden.xlsx", "2025-05/%5C..%5Creporter.toml", "2025-05/无此文件.pdf",
                "history.sqlite"):
        r = c.get(f"/files/{bad}")
        assert r.status_code == 404 and b"secret" not in r.content, bad


def test_pdfs_are_shown_inline_other_files_downloaded(workspace):
    c = client(workspace)
    folder = workspace / "out" / ROUND / "通报"
    folder.mkdir(parents=True)
    (folder / "通报.pdf").write_bytes(b"%PDF-1.7\n")
    (folder / "通报.docx").write_bytes(b"PK")
    assert c.get("/files/2025-05/通报/通报.pdf?inline=1").headers["content-disposition"].startswith("inline")
    assert c.get("/files/2025-05/通报/通报.docx?inline=1").headers["content-disposition"].startswith("attachment")


# -- safety ----------------------------------------------------------------------------------------------------
def test_a_non_local_bind_needs_a_password(workspace, monkeypatch):
    cfg = Config(ledger=workspace / "2025年民生实事台帐.xlsx", out=workspace / "out", round=ROUND)
    monkeypatch.delenv("REPORTER_WEB_PASSWORD", raising=False)
    with pytest.raises(SettingsError, match="需要设置密码"):
        WebSettings.from_config(cfg, "0.0.0.0")
    monkeypatch.setenv("REPORTER_WEB_PASSWORD", "民生2025")
    assert WebSettings.from_config(cfg, "0.0.0.0").password == "民生2025"

    from reporter.cli import main

    (workspace / "reporter.toml").write_text(
        f'[workspace]\nledger = "2025年民生实事台帐.xlsx"\nround = "{ROUND}"\nout = "out"\n', encoding="utf-8")
    monkeypatch.delenv("REPORTER_WEB_PASSWORD")
    monkeypatch.chdir(workspace)
    result = CliRunner().invoke(main, ["serve", "--host", "0.0.0.0"])
    assert result.exit_code == 1 and "需要设置密码" in result.output


def test_login_session_and_csrf_on_a_non_local_bind(workspace):
    c = TestClient(create_app(settings(workspace, host="0.0.0.0", password="民生2025")), base_url="http://192.0.2.10")
    r = c.get(f"/r/{ROUND}/", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/login?next=/r/{ROUND}/"
    assert c.post(f"/r/{ROUND}/run").status_code == 401
    assert c.get("/files/2025-05/本轮台帐.xlsx", follow_redirects=False).status_code == 303
    login = c.get("/login").text
    token = re.search(r'name="csrf" value="([^"]+)"', login).group(1)
    before = c.cookies["reporter_session"]
    assert c.post("/login", data={"password": "民生2025"}).status_code == 403  # no CSRF token
    r = c.post("/login", data={"csrf": token, "password": "wrong"})
    assert r.status_code == 401 and "密码不正确" in r.text
    r = c.post("/login", data={"csrf": token, "password": "民生2025", "next": "//evil.example/"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/"
    assert c.cookies["reporter_session"] != before  # a new session id after login
    assert c.get(f"/r/{ROUND}/").status_code == 200
    token = csrf_of(c)
    assert c.post("/logout").status_code == 403
    assert c.post("/logout", data={"csrf": token}, follow_redirects=False).status_code == 303
    assert c.get(f"/r/{ROUND}/", follow_redirects=False).status_code == 303


def test_repeated_wrong_passwords_lock_the_address_out(workspace):
    c = TestClient(create_app(settings(workspace, host="0.0.0.0", password="民生2025")), base_url="http://192.0.2.10")
    token = re.search(r'name="csrf" value="([^"]+)"', c.get("/login").text).group(1)
    for _ in range(5):
        c.post("/login", data={"csrf": token, "password": "guess"})
    r = c.post("/login", data={"csrf": token, "password": "民生2025"})
    assert r.status_code == 401 and "错误次数过多" in r.text


def test_a_local_bind_answers_only_to_local_host_names(workspace):
    app = create_app(settings(workspace))
    assert TestClient(app, base_url="http://127.0.0.1").get(f"/r/{ROUND}/").status_code == 200
    assert TestClient(app, base_url="http://localhost:8700").get(f"/r/{ROUND}/").status_code == 200
    assert TestClient(app, base_url="http://attacker.example").get(f"/r/{ROUND}/").status_code == 400


def test_pages_forbid_framing_by_other_sites_and_type_sniffing(workspace):
    r = client(workspace).get(f"/r/{ROUND}/")
    assert "frame-ancestors 'self'" in r.headers["content-security-policy"]
    assert r.headers["x-content-type-options"] == "nosniff"
    assert "HttpOnly" in r.headers["set-cookie"] and "SameSite=Strict" in r.headers["set-cookie"]


def test_static_files_come_from_the_package(workspace):
    c = client(workspace)
    page = c.get(f"/r/{ROUND}/").text
    assert "http://" not in page.replace("http://127.0.0.1", "") and "https://" not in page
    assert c.get("/static/app.js").status_code == 200 and c.get("/static/style.css").status_code == 200
    assert c.get("/static/../app.py").status_code == 404


def test_a_saved_e_mail_is_accepted_and_the_board_says_the_file_came_by_e_mail(workspace):
    from email.message import EmailMessage

    msg = EmailMessage()
    msg["From"], msg["To"] = "市卫健委 <wjw@xianning.example.gov.cn>", "msb@xianning.example.gov.cn"
    msg["Subject"], msg["Date"] = "5月民生实事进展（市卫健委）", "Tue, 03 Jun 2025 09:30:00 +0800"
    msg.set_content("附件是我委5月进展，请查收。")
    msg.add_attachment(HEALTH, maintype="application", subtype="vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                       filename="市卫健委5月进展.xlsx")
    c = client(workspace)
    answer = upload(c, [("5月民生实事进展（市卫健委）.eml", msg.as_bytes())], csrf_of(c)).json()
    assert answer["files"][0]["state"] == "已保存"
    assert finish(answer["job"]).ok
    row = _row(c.get(f"/r/{ROUND}/").text, "市卫健委")
    assert "已报送" in row and "电子邮件" in row and "6月3日 09:30" in row and "网页上传" in row
    assert "wjw@xianning.example.gov.cn" in row and "邮件主题：5月民生实事进展（市卫健委）" in row


def test_a_non_editable_install_carries_the_templates_and_static_files():
    import fnmatch
    import tomllib

    root = Path(__file__).resolve().parents[1]
    patterns = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["package-data"]["reporter"]
    web = root / "reporter" / "web"
    files = [p.relative_to(root / "reporter").as_posix() for folder in ("templates", "static") for p in (web / folder).iterdir()]
    assert files and all(any(fnmatch.fnmatch(f, pat) for pat in patterns) for f in files)


def test_a_ledger_that_cannot_be_read_is_a_chinese_message_not_a_crash(workspace):
    (workspace / "2025年民生实事台帐.xlsx").write_bytes(b"not a workbook")
    c = TestClient(create_app(settings(workspace)), base_url="http://127.0.0.1", raise_server_exceptions=False)
    r = c.get(f"/r/{ROUND}/")
    assert r.status_code == 500 and "无法打开" in r.text and "台帐" in r.text


def test_serve_says_in_chinese_when_the_port_is_taken(workspace, monkeypatch):
    import socket

    from reporter.cli import main

    (workspace / "reporter.toml").write_text(
        f'[workspace]\nledger = "2025年民生实事台帐.xlsx"\nround = "{ROUND}"\nout = "out"\n', encoding="utf-8")
    monkeypatch.chdir(workspace)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(main, ["serve", "--port", str(port)])
    assert result.exit_code == 1 and f"无法在 127.0.0.1:{port} 上开放网页：端口已被占用" in result.output


def test_every_page_and_action_refuses_a_wrong_round_a_missing_token_or_an_unknown_job(workspace):
    c = client(workspace)
    token = csrf_of(c)
    for page in ("", "outputs", "findings"):
        r = c.get(f"/r/2026-05/{page}")
        assert r.status_code == 404 and "没有“2026-05”这一轮" in r.text
    for action in ("run", "collect", "upload"):
        r = c.post(f"/r/2025-13/{action}", headers={"X-CSRF-Token": token})
        assert r.status_code == 404 and "无法识别" in r.json()["message"]
        assert c.post(f"/r/{ROUND}/{action}").status_code == 403
    assert not (workspace / "out" / ROUND).exists()  # nothing ran, nothing was written
    assert c.get("/jobs/0123/events").status_code == 404
    r = c.get(f"/r/{ROUND}/findings", params={"unit": "<script>alert(1)</script>" * 20})
    assert r.status_code == 200 and "<script>alert" not in r.text


def test_the_board_follows_an_edited_ledger(workspace):
    c = client(workspace)
    assert "市民政局" not in c.get(f"/r/{ROUND}/").text
    path = workspace / "2025年民生实事台帐.xlsx"
    from openpyxl import load_workbook

    wb = load_workbook(path)
    wb["任务"].append(["4", "新建社区养老服务中心", "养老", "个", "12", "市民政局", "年底前"])
    wb.save(path)
    assert "市民政局" in c.get(f"/r/{ROUND}/").text


def test_a_run_in_another_process_holding_the_workspace_is_said_on_the_page(workspace):
    import subprocess
    import sys

    out = workspace / "out"
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys; from pathlib import Path; from reporter.workspace import Workspace\n"
         f"with Workspace(Path({str(out)!r})).locked():\n    print('held', flush=True); sys.stdin.read()"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])})
    try:
        assert holder.stdout.readline().strip() == "held"
        c = client(workspace)
        r = c.post(f"/r/{ROUND}/run", headers={"X-CSRF-Token": csrf_of(c)})
        job = finish(r.json()["job"])
        assert not job.ok and "另一个运行正在使用工作区" in job.error
        assert '"type": "done"' in c.get(f"/jobs/{job.id}/events").text
    finally:
        holder.communicate("")
    r = c.post(f"/r/{ROUND}/run", headers={"X-CSRF-Token": csrf_of(c)})
    assert finish(r.json()["job"]).ok


def test_a_returned_workbook_is_waiting_until_the_units_mail_is_sent(workspace):
    from reporter.ledger.history import History

    c = client(workspace)
    wrong = submission("市人社局", [["1", "新增城镇就业", "", 2100, "正常推进", ""], ["99", "不存在的任务", "", 5, "正常推进", ""]])
    assert finish(upload(c, [("人社.xlsx", wrong)], csrf_of(c)).json()["job"]).ok
    row = _row(c.get(f"/r/{ROUND}/").text, "市人社局")
    assert "待退回" in row and "已退回" not in row and "下载工作簿" in row
    History(workspace / "out" / "history.sqlite").create().record_delivery(
        "2025-05|市人社局", ROUND, "市人社局", "关于退回修改的函", ["rsj@xianning.example.gov.cn"], "<1@x>")
    page = c.get(f"/r/{ROUND}/").text
    assert "已退回" in _row(page, "市人社局") and "待退回" not in _row(page, "市人社局")
    assert re.search(r'id="n-returned">1<', page)
