"""How long finding and reading submissions takes when they come as saved e-mails rather than plain files.

200 units' workbooks, once as plain files and once each attached to a saved message (Thunderbird and Foxmail
styles alternating): discover() lists them (a message is parsed to find its attachments and their digests)
and read_bytes() takes each out again (the message parsed again, in the worker that reads it). Prints the
figures beside the machine's load (uptime); no assertion.

    PYTHONPATH=. python bench/bench_messages.py [--units 200]
"""
from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import tempfile
import time
from pathlib import Path

from openpyxl import Workbook

from reporter.intake.discover import discover


def workbook(i: int) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append([f"填报单位：单位{i}"])
    ws.append(["任务编号", "任务名称", "累计完成", "进展状态"])
    for t in range(30):
        ws.append([f"T{t}", f"任务{t}", i * 10 + t, "正常推进"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def main() -> None:
    from tests.mails import foxmail, thunderbird

    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=200)
    units = parser.parse_args().units
    root = Path(tempfile.mkdtemp(prefix="bench-messages-"))
    (root / "plain").mkdir()
    (root / "eml").mkdir()
    for i in range(units):
        data = workbook(i)
        (root / "plain" / f"单位{i}.xlsx").write_bytes(data)
        maker = thunderbird if i % 2 else foxmail
        (root / "eml" / f"{i:04d}.eml").write_bytes(
            maker(f"u{i}@example.org", f"5月进展{i}", dt.datetime(2025, 6, 3, 9), {f"单位{i}5月进展.xlsx": data}))
    for kind in ("plain", "eml"):
        start = time.perf_counter()
        sources = list(discover(root / kind))
        listed = time.perf_counter() - start
        start = time.perf_counter()
        size = sum(len(s.read_bytes()) for s in sources)
        read = time.perf_counter() - start
        print(f"{kind:5s}: {len(sources)} files, {size / 1e6:.1f} MB; discover {listed * 1000:.0f} ms "
              f"({listed / len(sources) * 1000:.1f} ms/file), read_bytes {read * 1000:.0f} ms "
              f"({read / len(sources) * 1000:.1f} ms/file)")
    print("load:", os.popen("uptime").read().strip())


if __name__ == "__main__":
    main()
