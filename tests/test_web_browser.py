"""The web page in a real browser: Debian's Chromium through Selenium, the server in a thread on a free port.

A clerk's month: open the page, upload the sample round's files, collect, run, see the board change, download a
PDF and a workbook, find a unit's problems; and the login on a non-local bind. With REPORTER_SCREENSHOTS=docs/images
the board's screenshot for the README is written there.
"""
from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

from reporter import api
from reporter.config import Config
from reporter.web.app import WebSettings, create_app

from .conftest import SAMPLE_LEDGER

CHROMIUM, DRIVER = shutil.which("chromium"), shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(not (CHROMIUM and DRIVER), reason="需要 chromium 和 chromium-driver（scripts/system-deps.sh test）")
ROUND = "2025-05"
LONG = 300  # seconds a step may take on a loaded machine before the test gives up (not a speed check)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Served:
    """uvicorn serving the app in a thread until stopped."""

    def __init__(self, settings: WebSettings) -> None:
        import uvicorn

        self.port = free_port()
        self.server = uvicorn.Server(uvicorn.Config(create_app(settings, allowed_hosts=["127.0.0.1"]),
                                                    host="127.0.0.1", port=self.port, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        while not self.server.started:
            if not self.thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.05)
        self.url = f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(30)


@pytest.fixture
def sample_workspace(tmp_path) -> Path:
    """A workspace with the sample round's files generated (not yet in its submissions folder)."""
    api.sample(SAMPLE_LEDGER, ROUND, tmp_path / "work")
    return tmp_path / "work"


def settings_for(ws: Path, **kw) -> WebSettings:
    cfg = Config(ledger=SAMPLE_LEDGER, out=ws, round=ROUND)
    return WebSettings(SAMPLE_LEDGER, ROUND, ws, cfg, **kw)


@pytest.fixture
def browser(tmp_path):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    downloads = tmp_path / "downloads"
    downloads.mkdir()
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--window-size=1360,1000",
                "--lang=zh-CN", f"--user-data-dir={tmp_path / 'profile'}"):
        options.add_argument(arg)
    options.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                              "download.prompt_for_download": False})
    driver = webdriver.Chrome(options=options, service=Service(DRIVER))
    driver.downloads = downloads
    yield driver
    driver.quit()


def wait_for(driver, condition, timeout: float = LONG):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout, poll_frequency=0.2).until(condition)


def text_of(driver, css: str) -> str:
    from selenium.webdriver.common.by import By

    return driver.find_element(By.CSS_SELECTOR, css).text


def downloaded(driver, suffix: str) -> Path:
    """The finished download with this suffix (Chromium writes .crdownload until it is done)."""
    def done(_):
        files = [p for p in driver.downloads.iterdir() if p.suffix == suffix]
        return files[0] if files else False
    return wait_for(driver, done, 60)


def test_a_clerks_month_in_the_browser(sample_workspace, browser):
    from selenium.webdriver.common.by import By

    served = Served(settings_for(sample_workspace))
    try:
        browser.get(served.url + "/")
        assert "本轮尚未汇总" in browser.page_source
        expected = len(api.board(SAMPLE_LEDGER, ROUND, sample_workspace).units)
        assert text_of(browser, "#n-missing") == str(expected)

        sample = sample_workspace / ROUND / "样例报送"
        files = sorted(p for p in sample.rglob("*") if p.is_file() and p.name != "truth.json")
        browser.find_element(By.ID, "picker").send_keys("\n".join(str(p) for p in files))
        wait_for(browser, lambda d: "最近汇总" in d.page_source)  # collected, and the page reloaded itself

        board = api.board(SAMPLE_LEDGER, ROUND, sample_workspace)
        stored = {p.name for p in (sample_workspace / ROUND / "报送文件").iterdir()}
        assert stored == {p.name for p in files}
        assert text_of(browser, "#n-submitted") == str(board.counts()["已报送"]) and board.counts()["已报送"] > 40
        assert "省残联" in browser.find_element(By.ID, "chase").get_attribute("value")
        assert "网页上传" in browser.find_element(By.ID, "units").text

        browser.find_element(By.ID, "run").click()
        wait_for(browser, lambda d: "✓ 台帐检查" in text_of(d, "#job-steps"), 60)  # steps show while it runs
        wait_for(browser, lambda d: d.find_elements(By.ID, "on-schedule"))
        headline = api.board(SAMPLE_LEDGER, ROUND, sample_workspace).headline
        assert text_of(browser, "#on-schedule") == f"{headline['序时达标率']:.1f}%"
        assert text_of(browser, "#n-lagging") == str(headline["滞后任务数"])
        assert browser.find_elements(By.CSS_SELECTOR, "#lagging tbody tr")
        shots = os.environ.get("REPORTER_SCREENSHOTS")
        if shots:
            browser.execute_script("window.scrollTo(0, 0)")
            browser.save_screenshot(str(Path(shots) / "web-board.png"))

        browser.find_element(By.LINK_TEXT, "输出文件").click()
        pdf = next(a for a in browser.find_elements(By.CSS_SELECTOR, "a.dl") if a.text.endswith("通报.pdf"))
        pdf.click()
        assert downloaded(browser, ".pdf").read_bytes()[:5] == b"%PDF-"
        book = next(a for a in browser.find_elements(By.CSS_SELECTOR, "a.dl") if a.text == "本轮台帐.xlsx")
        book.click()
        assert downloaded(browser, ".xlsx").read_bytes()[:2] == b"PK"
        browser.find_element(By.CSS_SELECTOR, "button.preview").click()
        frame = browser.find_element(By.ID, "preview")
        assert frame.is_displayed() and frame.get_attribute("src").endswith(".pdf?inline=1")

        browser.find_element(By.LINK_TEXT, "问题清单").click()
        unit = next(u for u in board.units if u.findings)
        box = browser.find_element(By.ID, "unit")
        box.send_keys(unit.label)
        box.submit()
        wait_for(browser, lambda d: f"“{unit.label}”的问题" in d.page_source, 30)
        rows = browser.find_elements(By.CSS_SELECTOR, "#findings tbody tr")
        assert len(rows) == unit.findings + unit.hints and all(r.text.startswith(unit.label) for r in rows)
    finally:
        served.stop()


def test_login_on_a_non_local_bind(sample_workspace, browser):
    from selenium.webdriver.common.by import By

    served = Served(settings_for(sample_workspace, host="0.0.0.0", password="民生2025"))
    try:
        browser.get(served.url + f"/r/{ROUND}/outputs")
        assert "请输入密码" in browser.page_source and "/login" in browser.current_url
        browser.find_element(By.ID, "password").send_keys("不对的密码")
        browser.find_element(By.ID, "login").click()
        assert "密码不正确" in text_of(browser, ".alert")
        browser.find_element(By.ID, "password").send_keys("民生2025")
        browser.find_element(By.ID, "login").click()
        wait_for(browser, lambda d: "输出文件" in d.title, 30)
        assert d_path(browser) == f"/r/{ROUND}/outputs"  # back where the clerk was going
        browser.find_element(By.CSS_SELECTOR, ".logout button").click()
        wait_for(browser, lambda d: "请输入密码" in d.page_source, 30)
        browser.get(served.url + f"/r/{ROUND}/")
        assert "请输入密码" in browser.page_source
    finally:
        served.stop()


def d_path(driver) -> str:
    from urllib.parse import urlparse

    return urlparse(driver.current_url).path
