"""A real IMAP server for the mailbox tests: Debian's Dovecot (dovecot-imapd) started as a child process on
127.0.0.1 with a throw-away config, passwd-file user and maildir; messages are delivered by writing files into
the maildir's new/ folder, as a local delivery agent does.

scripts/system-deps.sh installs dovecot-imapd for the tests (./dev test, .ci/run); without it the tests that
need the server are skipped with a line saying so.
"""
from __future__ import annotations

import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"
USER, PASSWORD = "msb", "mima-2025"
# Dovecot never opens mail as root: run as root (CI), the mail belongs to nobody; otherwise to us.
MAIL_UID, MAIL_GID = (65534, 65534) if os.geteuid() == 0 else (os.geteuid(), os.getegid())


def _own(path: Path) -> None:
    if os.geteuid() == 0:
        os.chown(path, MAIL_UID, MAIL_GID)


@dataclass
class Dovecot:
    root: Path
    port: int
    process: subprocess.Popen
    user: str = USER
    password: str = PASSWORD
    _count: int = 0

    def url(self, folder: str = "INBOX") -> str:
        return f"imap://{self.user}@127.0.0.1:{self.port}/{folder}"

    def maildir(self, folder: str = "INBOX") -> Path:
        from imap_tools.imap_utf7 import utf7_encode

        base = self.root / "mail" / self.user
        path = base if folder == "INBOX" else base / ("." + utf7_encode(folder).decode())
        for sub in (None, "cur", "new", "tmp"):
            folder = path / sub if sub else path
            folder.mkdir(parents=True, exist_ok=True)
            _own(folder)
        return path

    def deliver(self, raw: bytes, folder: str = "INBOX", seen: bool = False) -> Path:
        """Put a message into the folder; `seen` files it under cur/ with the \\Seen flag."""
        self._count += 1
        name = f"{1_749_000_000 + self._count}.M{self._count}P{os.getpid()}.reporter-test"
        box = self.maildir(folder)
        path = box / "cur" / f"{name}:2,S" if seen else box / "new" / name
        tmp = box / "tmp" / name
        tmp.write_bytes(raw)
        _own(tmp)
        tmp.rename(path)
        return path

    def files(self, folder: str = "INBOX") -> dict[str, bytes]:
        """Every message file of the folder (new/ and cur/, name → bytes): what the server holds."""
        box = self.maildir(folder)
        return {f"{p.parent.name}/{p.name}": p.read_bytes() for sub in ("new", "cur")
                for p in sorted((box / sub).iterdir())}

    def stop(self) -> None:
        """Stop the server (a test may, to see the server go away); the folder stays until remove()."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def drop_connections(self) -> None:
        """Kill the server's session processes (children of our Dovecot master, by pid): every open
        connection drops at once, as when the server crashes or the network goes."""
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self.process.pid and b"imap" in Path(stat.parent, "cmdline").read_bytes():
                try:
                    os.kill(int(stat.parent.name), signal.SIGKILL)
                except ProcessLookupError:
                    pass

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.root, ignore_errors=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _config(root: Path, port: int) -> str:
    me = pwd.getpwuid(os.geteuid()).pw_name
    root_user = os.geteuid() == 0
    return f"""
protocols = imap
listen = 127.0.0.1
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
info_log_path = {root}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_login_user = {'dovenull' if root_user else me}
default_internal_user = {'dovecot' if root_user else me}
first_valid_uid = 0
mail_location = maildir:{root}/mail/%u
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = static
  args = uid={MAIL_UID} gid={MAIL_GID} home={root}/home/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
service imap-login {{
  chroot =
}}
"""


def start_dovecot() -> Dovecot:
    """A server in a fresh folder under the system's temp folder (pytest's are private to us, and Dovecot's
    own processes run as its users); stop() removes it."""
    if not Path(DOVECOT).exists():
        pytest.skip("没有安装 dovecot-imapd（scripts/system-deps.sh test 会安装），跳过真实 IMAP 服务器测试")
    root = Path(tempfile.mkdtemp(prefix="reporter-dovecot-"))
    for sub in ("run", "state", "mail", "home"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    for sub in ("mail", "home"):
        _own(root / sub)
    os.chmod(root, 0o755)
    (root / "passwd").write_text(f"{USER}:{{PLAIN}}{PASSWORD}::::::\n", encoding="utf-8")
    port = _free_port()
    conf = root / "dovecot.conf"
    conf.write_text(_config(root, port), encoding="utf-8")
    process = subprocess.Popen([DOVECOT, "-F", "-c", str(conf)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    server = Dovecot(root, port, process)
    server.maildir()
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            out = process.stdout.read().decode(errors="replace")
            log = (root / "dovecot.log").read_text(errors="replace") if (root / "dovecot.log").exists() else ""
            raise RuntimeError(f"dovecot exited: {out}\n{log}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
                if s.recv(100).startswith(b"* OK"):
                    return server
        except OSError:
            time.sleep(0.1)
    server.stop()
    raise RuntimeError("dovecot did not start listening within 20 s")
