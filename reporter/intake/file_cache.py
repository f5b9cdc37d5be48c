"""Each file's result kept between runs of a round, so that a rerun reads again only what changed.

A unit that sends a new version, or one more unit's file arriving, is the usual reason to collect again:
every other file comes back as it was read last time, and only the new ones are read. An entry is found by
the file's bytes and name (its findings name it; the unit may be told from it; for an e-mail's attachment,
the sender and message too), and by everything else a result depends on: the ledger, the round, last round's values and this program (its intake and model
code, the memory budget). Anything else that differs — a changed ledger, another program version — finds
no entry and reads the file afresh. Entries are pickled FileResults (rows packed, as a worker sends them),
written atomically; those of files no longer in the round are removed after each run.
"""
from __future__ import annotations

import hashlib
import pickle
from functools import lru_cache
from pathlib import Path

from .. import memory
from ..files import atomic_path
from .discover import Source
from .results import FileResult

SUFFIX = ".result"


class FileCache:
    """Results of files by content, in `folder`, valid for one `context` (see context_digest)."""

    def __init__(self, folder: str | Path, context: str):
        self.folder = Path(folder)
        self.context = context

    def key(self, source: Source, data: bytes) -> str:
        """The entry of a file: its bytes and name, and for an e-mail's attachment who sent it in what message
        (what a unit may be told from), under this cache's context."""
        digest = hashlib.sha256(self.context.encode())
        letter = source.letter
        sender = (letter.sender, letter.sender_name, letter.subject, letter.message_id) if letter else ()
        digest.update(repr((source.name, sender)).encode("utf-8", "surrogatepass") + b"\0")
        digest.update(data)
        return digest.hexdigest()

    def get(self, key: str, source: Source) -> FileResult | None:
        """The result kept for `key`, given the current `source` (its arrival time may differ), or None."""
        path = self.folder / (key + SUFFIX)
        try:
            with open(path, "rb") as f:
                res = pickle.load(f)
        except FileNotFoundError:
            return None
        except Exception:  # a damaged or foreign entry: read the file again (and the entry is replaced)
            return None
        if not isinstance(res, FileResult) or res.name != source.name:
            return None
        res.source = source
        for part in res.parts:
            part.source = source
        return res

    def put(self, key: str, res: FileResult) -> None:
        """Keep a file's result; a cache that cannot be written only costs the next run its time."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            with atomic_path(self.folder / (key + SUFFIX)) as tmp:
                tmp.write_bytes(pickle.dumps(res, protocol=pickle.HIGHEST_PROTOCOL))
        except OSError:
            pass

    def keep_only(self, keys: set[str]) -> None:
        """Remove the entries of files not read in this run (an older version, a file taken away)."""
        if not self.folder.is_dir():
            return
        for path in self.folder.glob("*" + SUFFIX):  # a worker's unfinished .~*.result too
            if path.name[:-len(SUFFIX)] not in keys:
                try:
                    path.unlink(missing_ok=True)
                except OSError:
                    pass


def context_digest(*parts: bytes | str) -> str:
    """A digest of what every result depends on besides the file itself: the `parts` the caller names (the
    ledger file's bytes, the round, last round's values), this program's intake and model code, and the
    memory budget."""
    digest = hashlib.sha256(_code_digest().encode())
    digest.update(repr(memory.BUDGET).encode())
    for part in parts:
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "little") + data)
    return digest.hexdigest()


@lru_cache(maxsize=1)
def _code_digest() -> str:
    """The source of the code a file's result is made by (intake, and the model it builds)."""
    package = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    for folder in ("intake", "model"):
        for path in sorted((package / folder).glob("*.py")):
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()
