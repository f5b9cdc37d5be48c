"""What one submitted file contributes to the round (FileResult), and its merged rows (MergedRow) on their
way from the process that read the file to the one that builds the round ledger.

A worker sends a file's rows column by column (pack), not as RoundRows: pickled as is, a RoundRow is a dict
of 16 names, and loading them cost the main process more than a worker spends parsing; columns of plain
values (strings and column dicts that rows share are sent once) load fast, and each row is made by one call
(unpack).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from itertools import repeat
from operator import attrgetter
from typing import Any

from ..model import findings as F
from ..model.round_ledger import TOTAL, RoundRow
from ..model.tasks import AnnualLedger
from .discover import Source
from .identify import Identity


@dataclass(slots=True)
class MergedRow:
    """A RoundRow as a file gives it, without what every row of the file shares (its submitter, the file)."""

    task: str
    region: str
    owner: str
    value: float | None
    raw_value: str
    previous: float | None
    status: str | None
    status_raw: str
    progress: str
    problems: str
    measures: str
    finish_date: str
    notes: str
    sheet: str
    row: int  # zero-based, in the sheet
    columns: dict[str, int]
    numerator: float | None = None  # 比率: 分子 and 分母; 加权平均: 权重
    denominator: float | None = None
    weight: float | None = None

    @classmethod
    def of(cls, out: RoundRow) -> MergedRow:
        return cls(out.task, out.region, out.owner, out.value, out.raw_value, out.previous, out.status,
                   out.status_raw, out.progress, out.problems, out.measures, out.finish_date, out.notes,
                   out.origin[1], out.origin[2], out.columns, out.numerator, out.denominator, out.weight)

    @property
    def filled(self) -> bool:
        """Whether it holds anything a unit fills in (a template's row left blank does not)."""
        return bool(self.value or self.raw_value or self.status or self.progress or self.problems
                    or self.measures or self.finish_date or self.numerator is not None
                    or self.denominator is not None or self.weight is not None)


@dataclass
class FileResult:
    """Everything one file contributes, worked out without looking at any other file (so in a worker)."""

    source: Source
    generated: dt.datetime | None = None
    error: str | None = None
    identity: Identity | None = None
    # the merged rows, column by column (see pack): what a worker sends, rather than a RoundRow each
    packed: PackedRows | None = None
    findings: list[F.Finding] = field(default_factory=list)
    row_count: int = 0
    round_written: str = ""  # the round a fill-in template was made for ('2025-04'), from its metadata
    parts: list[FileResult] = field(default_factory=list)  # per unit, for a workbook of several units' sheets
    cache_key: str = ""  # its entry in the file cache, when collect keeps one
    reused: bool = False  # taken from the file cache: the file is as it was at the last run
    _rows: dict[tuple[str, str], RoundRow] | None = field(default=None, repr=False, compare=False)

    @property
    def name(self) -> str:
        return self.source.name

    @property
    def rows(self) -> dict[tuple[str, str], RoundRow]:
        """(task, region) → the RoundRow this file gives, made on first use (in the main process)."""
        if self._rows is None:
            self._rows = unpack(self.packed, self.name, self.identity.unit) if self.packed else {}
            self.packed = None  # now in the rows: holding both for every file would double what a round keeps
        return self._rows

    @property
    def kept(self) -> int:
        """How many merged rows the file gives: what the round keeps of it once it is read (a file of a
        million rows repeating 680 keys keeps 680), whether or not they are made into RoundRows yet."""
        if self._rows is not None:
            return len(self._rows)
        return self.packed.count if self.packed else 0

    def __getstate__(self) -> dict:
        state = {**self.__dict__, "_rows": None}
        if self._rows is not None:  # already made into rows (in the main process): packed again
            state["packed"] = pack(list(map(MergedRow.of, self._rows.values())))
        return state


# The order columns travel in: those whose values rows share first, so that pickle refers back to each shared
# value with a 2-byte code rather than a 5-byte one, and the values of each row (codes, numbers) last.
_WIRE = ("region", "owner", "status", "status_raw", "progress", "problems", "measures", "finish_date", "notes",
         "sheet", "columns", "raw_value", "task", "value", "previous", "row", "numerator", "denominator", "weight")
# 0.0 == -0.0, so never sent as one value for all rows
_NUMBERS = {"value", "previous", "numerator", "denominator", "weight"}
_WIRE_OF = attrgetter(*_WIRE)


@dataclass
class PackedRows:
    """Merged rows column by column: `columns[name]` holds the field `name` of each row, in _WIRE's order,
    or a 1-tuple of the value every row has (the sheet, the owner, often the notes), sent once."""

    count: int
    columns: dict[str, tuple]


def pack(rows: list[MergedRow]) -> PackedRows | None:
    """Rows as columns, to be sent (None for no rows)."""
    if not rows:
        return None
    n = len(rows)
    columns: dict[str, tuple] = {}
    for name, column in zip(_WIRE, zip(*map(_WIRE_OF, rows))):
        if name not in _NUMBERS and column.count(column[0]) == n:
            columns[name] = (column[0],)
        elif name == "owner":  # the owners' names are equal strings but one object per ledger row: sent once each
            seen: dict[str, str] = {}
            columns[name] = tuple(map(seen.setdefault, column, column))
        else:
            columns[name] = column
    return PackedRows(n, columns)


def unpack(packed: PackedRows, file: str, submitter: str) -> dict[tuple[str, str], RoundRow]:
    """The RoundRows of packed rows from `file`, given by `submitter`, by (task, region)."""
    n = packed.count
    columns: dict[str, Any] = {}
    for name, column in packed.columns.items():
        if len(column) == 1:  # one value for every row; the task and region columns are read twice
            column = [column[0]] * n if name in ("task", "region") else repeat(column[0], n)
        columns[name] = column
    c = columns
    task, region = c["task"], c["region"]
    origins = zip(repeat(file, n), c["sheet"], c["row"])
    rows = map(RoundRow, task, region, c["owner"], repeat(submitter, n), c["value"], c["raw_value"], c["previous"],
               c["status"], c["status_raw"], c["progress"], c["problems"], c["measures"], c["finish_date"],
               c["notes"], origins, c["columns"], c["numerator"], c["denominator"], c["weight"])
    return dict(zip(zip(task, region), rows))


def where(ledger: AnnualLedger, key: tuple[str, str]) -> str:
    """The region of a row's key as a message names it: '（咸安区）', or nothing for a task's own row."""
    if key[1] == TOTAL:
        return ""
    region = ledger.regions.get(key[1])
    return f"（{region.name if region else key[1]}）"
