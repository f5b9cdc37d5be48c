"""Benchmark the web page: how long its pages take on the sample round (generated, collected, rolled up).

    python bench/bench_web.py [--repeat 10]

Prints each page's mean and worst time over `repeat` requests (after one warm-up), its size, the CPU seconds
and `uptime` (a busy machine inflates wall time). Building the round is not counted.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from reporter import api  # noqa: E402
from reporter.config import Config  # noqa: E402
from reporter.web.app import WebSettings, create_app  # noqa: E402

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient  # noqa: E402

LEDGER = Path(__file__).resolve().parents[1] / "ledgers" / "sample" / "2025年民生实事任务台帐.xlsx"
ROUND = "2025-05"
PAGES = ("/r/2025-05/", "/r/2025-05/outputs", "/r/2025-05/findings", "/r/2025-05/findings?unit=省卫健委")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        folder = api.sample(LEDGER, ROUND, out).folder
        api.collect(folder, LEDGER, ROUND, out)
        api.rollup(LEDGER, ROUND, out)
        cfg = Config(ledger=LEDGER, out=out, round=ROUND, submissions=folder)
        client = TestClient(create_app(WebSettings(LEDGER, ROUND, out, cfg)), base_url="http://127.0.0.1")
        print(f"{'页面':<36}{'平均':>9}{'最慢':>9}{'大小':>9}")
        cpu = time.process_time()
        for page in PAGES:
            client.get(page)
            times = []
            for _ in range(args.repeat):
                start = time.perf_counter()
                response = client.get(page)
                times.append(time.perf_counter() - start)
            assert response.status_code == 200, (page, response.status_code)
            print(f"{page:<36}{sum(times) / len(times) * 1000:>7.0f}ms{max(times) * 1000:>7.0f}ms"
                  f"{len(response.content) / 1024:>7.0f}KB")
        print(f"CPU {time.process_time() - cpu:.2f} s；", subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())


if __name__ == "__main__":
    main()
