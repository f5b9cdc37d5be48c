"""Python's cyclic garbage collector paused while a document is rendered.

WeasyPrint's box trees and python-docx's XML trees are large, young and garbage once the file is written;
the collector goes over them again and again while they grow, and over everything older the process holds.
Paused, then one collection of the youngest generation, which holds everything made meanwhile. Measured
(bench/bench_notices.py's notices, load ≈ 5): a fresh worker's batch of 40 notice PDFs 4% less CPU, the
same peak memory; 40 Word files 5% less CPU and a lower peak (71 MB instead of 121: each file's garbage goes
before the next); in a process that had laid out batches before (a larger heap) a batch took a fifth less.
"""
from __future__ import annotations

import gc
from contextlib import contextmanager


@contextmanager
def gc_paused():
    """The collector off inside the block (unless someone already turned it off), then one young collection."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
        gc.collect(0)  # everything allocated while paused is still in the youngest generation
