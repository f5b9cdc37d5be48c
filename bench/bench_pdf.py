"""Benchmark the PDF 公文: the sample 通报 with a 300-row landscape attachment table.

    python bench/bench_pdf.py [--rows 300] [--repeat 3]

Prints the seconds (wall and CPU) of each write_pdf and the best, with the page count and `uptime`: on a
shared machine the CPU seconds are the steadier figure. WeasyPrint's time grows with the table's rows (about
8 s for 1,000 rows): keep bigger tables in Excel.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from reporter.render.pdf_gongwen import write_pdf  # noqa: E402
from tests.fixtures_gongwen import sample_document  # noqa: E402


def pages(path: Path) -> str:
    try:
        info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return "?"
    return next((line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")), "?")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    doc = sample_document(args.rows)
    times, cpus = [], []
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "通报.pdf"
        for i in range(args.repeat):
            start, cpu = time.perf_counter(), time.process_time()
            write_pdf(doc, path)
            times.append(time.perf_counter() - start)
            cpus.append(time.process_time() - cpu)
            print(f"run {i + 1}: {times[-1]:.2f} s, CPU {cpus[-1]:.2f} s")
        print(f"write_pdf(sample_document({args.rows})): best {min(times):.2f} s, CPU {min(cpus):.2f} s, "
              f"{pages(path)} pages, {path.stat().st_size / 1024:.0f} KB")
    print(f"负载：{subprocess.run(['uptime'], capture_output=True, text=True).stdout.strip()}")


if __name__ == "__main__":
    main()
