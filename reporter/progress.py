"""How a long job reports its steps: the library calls a `Progress`; the CLI shows it with rich.

The library never prints. A script passes nothing (silent) or its own object with the same three methods.
"""
from __future__ import annotations

from typing import Protocol


class Progress(Protocol):
    def start(self, step: str, total: int | None = None) -> None:
        """A step begins; `total` is its count of items (files, documents) when known."""

    def advance(self, step: str, done: int = 1) -> None:
        """`done` more items of the step are finished."""

    def finish(self, step: str, note: str = "", ok: bool | None = True) -> None:
        """The step ended, with a one-line note: ok True done, False failed (note = the error), None skipped."""


class Silent:
    """The default: report nothing."""

    def start(self, step: str, total: int | None = None) -> None:
        pass

    def advance(self, step: str, done: int = 1) -> None:
        pass

    def finish(self, step: str, note: str = "", ok: bool | None = True) -> None:
        pass
