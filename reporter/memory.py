"""Memory: helpers shared by the layers that build hundreds of thousands of rows, and the budget of reading."""
from __future__ import annotations

import gc
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Iterator


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while many long-lived, acyclic objects are made.

    Each allocation burst would otherwise set off full collections that walk every row already built
    (measured: ~40% of a national-scale rollup, ~2 s of collecting 100k rows). Nothing made under it forms a
    reference cycle; whatever else is garbage is collected by the collector's next full collection.

    On leaving, what was made is moved straight to the oldest generation (gc.freeze then gc.unfreeze: a list
    splice, no walk), as it would be after surviving the young collections: otherwise the first collection
    after turning the collector back on walks every object made under the pause (~0.1 s for the 100k rows
    of a round) only to find them all alive. Skipped when someone else keeps objects frozen (a server that
    froze its start-up state before forking): unfreezing would hand those back to the collector. (Counting
    the frozen objects walks them: this is for a few long pauses, not for one per file in a worker.)
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            if gc.get_freeze_count() == 0:
                gc.freeze()
                gc.unfreeze()
            gc.enable()


@contextmanager
def gc_deferred() -> Iterator[None]:
    """The collector paused while a document renders (unlike `gc_paused`, what is made here is soon garbage).

    WeasyPrint's box trees and python-docx's XML trees are large, young and garbage once the file is written;
    the collector goes over them again and again while they grow, and over everything older the process holds.
    Paused, then one collection of the youngest generation, which holds everything made meanwhile. Measured
    (bench/bench_notices.py's notices, load ≈ 5): a fresh worker's batch of 40 notice PDFs 4% less CPU, the
    same peak memory; 40 Word files 5% less CPU and a lower peak (71 MB instead of 121: each file's garbage goes
    before the next); in a process that had laid out batches before (a larger heap) a batch took a fifth less.
    Nothing is done when someone already turned the collector off.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
        gc.collect(0)


# -- the memory budget of reading ------------------------------------------------------------------------------
# Reading a file costs memory in proportion to the cells it becomes (a Python object and a list slot each, ~60
# bytes; the Rust reader's grid ~32 bytes more while it is made) and to the bytes its zip members inflate to.
# Both are known, or bounded, before anything is allocated: the budget is checked then, and a file beyond it
# is refused with a finding naming it, while the rest of the round goes on.


@dataclass(frozen=True)
class Budget:
    """What one file, and one round's files together, may cost to read."""

    cells: int = 5_000_000  # cells one file's sheets hold (declared or present), from A1 to the farthest cell
    inflated: int = 256 << 20  # bytes one file's zip members inflate to, together (a workbook, or a zip's member)
    # A text (CSV) file's rows cost their list and what is new in them (textfile.Cells shares each repeated
    # text): ~250 bytes a row of a 6-column export read, ~400 collected. A file is refused only once its rows
    # pass the limit, so the limit is what a refused one costs too: a little above the million rows that
    # bench/bench_memory.py reads and collects within 500 MB.
    rows: int = 1_100_000  # rows of one text file
    text_cells: int = 10_000_000  # cells of one text file (a million rows of 10 columns)
    round_rows: int = 1_000_000  # merged rows the round's files give together (ten national-scale rounds)


BUDGET = Budget()


class OverBudget(Exception):
    """A file (or the round) beyond the budget; the message is Chinese and names the file."""


def too_many_cells(name: str, cells: int, where: str = "", limit: int | None = None) -> OverBudget:
    limit = BUDGET.cells if limit is None else limit
    return OverBudget(f"文件“{name}”{where}的表格范围达 {cells:,} 个单元格，超过一次可读取的上限（{limit:,} 个），"
                      "未读取。请删除多余的行和列（或拆分为多个文件）后重报。")


def too_large(name: str, size: int, inflated: bool = True) -> OverBudget:
    """`inflated`: the size a zip member inflates to (a workbook's parts, a zip's file); else the file's own."""
    if not inflated:
        return OverBudget(f"文件“{name}”有 {size >> 20} MB，超过一次可读取的上限（{BUDGET.inflated >> 20} MB），未读取。"
                          "请拆分为多个文件（或删除多余的行和列）后重报。")
    return OverBudget(f"文件“{name}”解压后超过 {BUDGET.inflated >> 20} MB（已达 {size >> 20} MB 以上），"
                      "可能是异常文件，未读取。请检查后重新保存再报送。")


def round_too_large(name: str) -> str:
    return (f"本轮报送文件的表格合计已超过 {BUDGET.round_rows:,} 行（一次汇总的上限），“{name}”未汇总。"
            "请检查是否重复放入了大量文件，或分批汇总。")
