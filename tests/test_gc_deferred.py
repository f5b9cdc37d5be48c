"""memory.gc_deferred: the collector paused while a document renders, and on again whatever happens."""
from __future__ import annotations

import gc

import pytest

from reporter.memory import gc_deferred
from reporter.render.document import Document, Table
from reporter.render.formats import write_document


def test_collector_back_on_after_a_render_that_failed(tmp_path):
    doc = Document(issuer="", title="测试", body=[Table(["甲"], [["乙"]], colours={(0, 0): "red;x:y"})])
    assert gc.isenabled()
    with pytest.raises(ValueError, match="颜色"):
        write_document(doc, tmp_path / "坏", formats=("pdf",))
    assert gc.isenabled()
    assert list(tmp_path.iterdir()) == []  # nothing half-written


def test_pause_inside_a_pause_leaves_it_to_the_outer_one():
    with gc_deferred():
        assert not gc.isenabled()
        with gc_deferred():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the inner block did not turn it back on under the outer one
    assert gc.isenabled()


def test_a_caller_who_turned_it_off_keeps_it_off():
    gc.disable()
    try:
        with gc_deferred():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_garbage_made_while_paused_is_collected_after():
    class Node:
        pass

    with gc_deferred():
        a, b = Node(), Node()
        a.other, b.other = b, a  # a cycle: only the collector frees it
        del a, b
        assert any(type(o) is Node for o in gc.get_objects())
    assert not any(type(o) is Node for o in gc.get_objects())
