"""Memory helpers shared by the layers that build hundreds of thousands of rows."""
from __future__ import annotations

import gc
from contextlib import contextmanager
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
