"""Files worked on by a team of processes, the main one included, each result handed back in input order.

What a file is, and what working on it gives, is the caller's business: this module sees only `work(item)`
and each item's `name` (for the message of a fault). It knows how to share the files out, to hand their
results back in order, and to lose no more than one file to a worker that dies.
"""
from __future__ import annotations

import gc
import os
from contextlib import contextmanager
from typing import Any, Callable, Iterator, Sequence, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

# Fewer files than this are worked on in the calling process: starting workers would cost more than it saves.
MIN_ITEMS = 8
# A worker works with the cyclic garbage collector paused, as the main process does: reading a file makes
# ten thousand cells, and the young collections they set off cost ~10% of the time (measured). What a file
# makes is freed by reference counting (reading the sample year's messy files leaves no cycle behind); a
# full collection now and then bounds whatever a damaged file might leave.
COLLECT_EVERY = 50  # files
_UNTAKEN, _MAIN = -2, -1  # _Team.taker: nobody has taken the file yet; the main process took it


@contextmanager
def in_parallel(items: Sequence[Item], work: Callable[[Item], Result], workers: int | None = None, *,
                setup: Callable[[Any], None], context: Any, lost: Callable[[Item], Result],
                arrived: Callable[[Result], Any] | None = None) -> Iterator[Iterator[Result]]:
    """work(item) of each item, in input order, as the results come. `workers` processes do the work (by
    default one per core, at most 4), the main one included (see _Team): with enough items, the others
    start on entering, so the caller can do its own work meanwhile. `setup(context)` runs once in every
    process before its first item; `lost(item)` is the result of an item whose work killed its process;
    `arrived(result)` runs in the main process on each result as it comes in (work the caller would do
    anyway, done while the workers go on)."""
    workers = workers if workers is not None else min(os.cpu_count() or 1, 4)
    setup(context)
    if workers <= 1 or len(items) < MIN_ITEMS:
        yield map(work, items)
        return
    team = _Team(items, work, setup, context, lost, arrived, workers - 1)
    try:
        yield team.results()
    finally:
        team.stop()


class _Team:
    """Worker processes and the main one taking items one at a time from a shared counter: nobody waits while
    an item is left, and nothing goes between them but the results. The main process handles what it works
    on at once as it handles what the workers send (`arrived`), and hands all results back in input order.
    Each worker sends through a pipe of its own, so one that dies (a reader crashing on a damaged file) can
    hold up no other: the item it was working on is `lost`, what it had done but not yet sent is done again
    here, and the others do the rest."""

    def __init__(self, items: Sequence, work: Callable, setup: Callable, context: Any, lost: Callable,
                 arrived: Callable | None, count: int):
        import multiprocessing

        mp = multiprocessing.get_context()
        self.items, self.work, self.lost = items, work, lost
        self.arrived = arrived or (lambda result: None)
        self.counter = mp.Value("q", 0)  # the next item nobody has taken
        self.taker = mp.Array("b", [_UNTAKEN] * len(items), lock=False)  # who took each item (-1: main)
        self.doing = mp.Array("q", [-1] * count, lock=False)  # the item each worker is working on, -1 none
        self.readers: dict = {}  # pipe → worker number
        self.procs = []
        for slot in range(count):
            reader, writer = mp.Pipe(duplex=False)
            proc = mp.Process(target=_work, daemon=True,
                              args=(items, work, setup, context, self.counter, self.taker, self.doing, slot, writer))
            proc.start()
            writer.close()  # the worker's end: once the worker has ended, reading gives EOFError
            self.procs.append(proc)
            self.readers[reader] = slot

    def results(self) -> Iterator:
        done: dict[int, Any] = {}
        for i in range(len(self.items)):
            while i not in done:
                self._receive(done, block=False)
                if i in done:
                    break
                k = _take(self.counter, len(self.items))
                if k is not None:  # work on one more item here rather than wait
                    self.taker[k] = _MAIN
                    done[k] = self._here(k)
                elif not self._receive(done, block=True) and i not in done:
                    # taken, but its worker died before it could mark the item as its own
                    done[i] = self.lost(self.items[i])
            yield done.pop(i)

    def _here(self, i: int):
        result = self.work(self.items[i])
        self.arrived(result)
        return result

    def _receive(self, done: dict[int, Any], block: bool) -> bool:
        """Take in what the workers have sent, waiting for something first if `block`; False when no worker
        is left to send anything."""
        from multiprocessing.connection import wait

        while self.readers:
            ready = wait(list(self.readers), None if block else 0)
            if not ready:
                return True
            for reader in ready:
                try:
                    i, result = reader.recv()
                except (EOFError, OSError):  # the worker has ended, or died (perhaps halfway through a result)
                    self._ended(self.readers.pop(reader), done)
                    reader.close()
                    continue
                if isinstance(result, BaseException):
                    raise result
                self.arrived(result)
                done[i] = result
                block = False
            if not block:
                return True
        return False

    def _ended(self, slot: int, done: dict[int, Any]) -> None:
        """A worker's pipe is closed and all it sent is in: if it died, the item it was working on is lost,
        and the items it had done but not sent are done again here."""
        crashed = self.doing[slot]
        for i, taker in enumerate(self.taker):
            if taker == slot and i not in done:
                done[i] = self.lost(self.items[i]) if i == crashed else self._here(i)

    def stop(self) -> None:
        with self.counter.get_lock():
            self.counter.value = len(self.items)
        for proc in self.procs:
            proc.join(1.0)
            if proc.is_alive():  # stopped early (the caller failed): a worker may wait to send a result
                proc.terminate()
                proc.join()
        for reader in self.readers:
            reader.close()


def _take(counter, n: int) -> int | None:
    """The index of the next item to work on, None when all are taken."""
    with counter.get_lock():
        i = counter.value
        if i >= n:
            return None
        counter.value = i + 1
        return i


def _work(items: Sequence, work: Callable, setup: Callable, context: Any, counter, taker, doing, slot: int,
          writer) -> None:
    """A worker process: work on items until none is left, sending each result as it is made. A thread sends
    them, so that the next item is worked on while the main process is too busy to take the last one.
    `taker` and `doing` say which items it took and which one it is working on, should it die."""
    import queue
    import threading

    setup(context)
    # What setup made stays alive, unchanged, for the worker's whole life: freezing it keeps the collector's
    # periodic full collections from walking it.
    gc.disable()  # already, when forked from a main process that paused it; not when spawned
    gc.freeze()
    outbox: queue.SimpleQueue = queue.SimpleQueue()
    sender = threading.Thread(target=_send_all, args=(outbox, writer))
    sender.start()
    count = 0
    while (i := _take(counter, len(items))) is not None:
        taker[i], doing[slot] = slot, i  # this item is ours, and being worked on
        count += 1
        if count % COLLECT_EVERY == 0:
            gc.collect()
        try:
            result = work(items[i])
        except Exception:  # a fault of the program, not of the item: raised again in the main process
            import traceback

            result = RuntimeError(f"读取“{items[i].name}”时出错：\n{traceback.format_exc()}")
        doing[slot] = -1
        outbox.put((i, result))
    outbox.put(None)
    sender.join()


def _send_all(outbox, writer) -> None:
    while (item := outbox.get()) is not None:
        writer.send(item)
    writer.close()
