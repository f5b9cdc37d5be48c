"""Benchmark the GB/T 9704 Word renderer on the shared sample 通报 (31 body paragraphs, a landscape table).

    python bench/bench_docx.py [--rows 300] [--repeat 3]

Prints the seconds of each `write_docx(sample_document(rows))` and the best of them (building the sample
and the first import are not counted).
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from reporter.render.docx_gongwen import write_docx  # noqa: E402
from tests.fixtures_gongwen import sample_document  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--rows", type=int, default=300, help="附件表格行数")
    ap.add_argument("--repeat", type=int, default=3, help="重复次数")
    args = ap.parse_args()
    doc = sample_document(args.rows)
    times = []
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "通报.docx"
        for _ in range(args.repeat):
            start = time.perf_counter()
            write_docx(doc, path)
            times.append(time.perf_counter() - start)
        size = path.stat().st_size
    print(f"write_docx(sample_document({args.rows}))：" + "，".join(f"{t:.2f} s" for t in times))
    print(f"最快 {min(times):.2f} s，文件 {size / 1024:.0f} KB")


if __name__ == "__main__":
    main()
