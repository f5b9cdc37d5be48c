"""How reporter starts worker processes (the notices' renderers, the run's side documents)."""
from __future__ import annotations

import multiprocessing as mp
import threading


def start_method():
    """fork (no re-import, no main guard needed) unless another thread runs: a thread holding a lock at the
    fork leaves it held forever in the child. Else spawn."""
    if "fork" in mp.get_all_start_methods() and threading.active_count() == 1:
        return mp.get_context("fork")
    return mp.get_context("spawn")


def forks() -> bool:
    """Whether worker processes started now are forked, so inherit what this process has loaded."""
    return start_method().get_start_method() == "fork"


class Background:
    """`fn(*args, **kwargs)` run now in a worker process of its own; `result()` waits for its value or raises
    its error. A plain process and a pipe, no pool: a pool's manager thread in this process would make every
    later pool spawn instead of fork (start_method)."""

    def __init__(self, fn, *args, **kwargs):
        context = start_method()
        self._receive, send = context.Pipe(duplex=False)
        self._process = context.Process(target=_call, args=(send, fn, args, kwargs))
        self._process.start()
        send.close()  # the worker holds the only sending end: its death ends the pipe

    def result(self):
        try:
            ok, value = self._receive.recv()
        except EOFError:
            self._process.join()
            raise RuntimeError(f"工作进程意外退出（退出码 {self._process.exitcode}）") from None
        finally:
            self._receive.close()
        self._process.join()
        if ok:
            return value
        raise value


def _call(send, fn, args, kwargs) -> None:
    try:
        outcome = (True, fn(*args, **kwargs))
    except Exception as exc:  # noqa: BLE001 — handed to the parent, which raises it
        outcome = (False, exc)
    try:
        send.send(outcome)
    except Exception as exc:  # noqa: BLE001 — a value or error that does not pickle
        send.send((False, RuntimeError(f"{type(exc).__name__}: {exc}")))
    finally:
        send.close()
