"""A table merged column by column: the fast path of merge.

What a text means — a status, a note, a number written as text — is worked out once per distinct text, as a
file repeats the same few down its rows, and numbers come from the reader as floats already. A row whose
every cell is plain (a known task, nothing to report about it) is merged straight from those columns; every
other row — a blind cell, an unknown task or region, a duplicate, anything a finding is about — goes through
Merger.merge_row, cell by cell, which is the reference for what a row gives. So this path decides only which
rows it may take, never a finding.
"""
from __future__ import annotations

from itertools import repeat
from typing import Any

from ..model import findings as F
from ..model.round_ledger import TOTAL
from .merge import FAR_ABOVE_FACTOR, Merger, is_qualitative, same_target
from .normalize import is_pct_unit, normalize_date, normalize_status, normalize_value, unit_factor
from .results import MergedRow
from .submission_schema import PARTS
from .submission import Grid
from .values import cell_text, free_text, number_value, parse_number


class ColumnMerger(Merger):
    """A Merger that takes each table's plain rows column by column (merge_grid) and the others row by row."""

    def merge_grid(self, grid: Grid) -> None:
        """Merge a table's rows: plain ones from its columns, the others through merge_row, in row order."""
        values = grid.values
        n = len(values)
        if not n:
            return
        width = len(values[0])
        if len(set(map(len, values))) > 1:  # ragged rows (a CSV file): row by row
            for i in range(n):
                self.merge_row(grid.raw_row(i))
            return
        layout = grid.layout
        field_cols, other_cols = layout.plan(width)
        cols = list(zip(*values))
        slow: set[int] = set()  # rows for merge_row
        if layout.blind:
            blind_rows = {r for r, _ in layout.blind}
            slow.update(i for i, r in enumerate(grid.rows) if r in blind_rows)
        fields: dict[str, tuple[list, set]] = {}  # key → its cells (None where empty) and their distinct values
        present: list[tuple[str, int, list[bool] | None]] = []  # RoundRow.columns key, column, non-empty
        for key, col in field_cols:
            cells, mask, distinct = _non_empty(cols[col])
            if cells is not None:
                fields[key] = cells, distinct
                present.append((key, col, mask))
        parts, ragged = [], False
        for col, header, key in other_cols:
            cells, mask, distinct = _non_empty(cols[col])
            if cells is not None:
                parts.append(self.note_column(header, cells, distinct))
                present.append((key, col, mask))
                ragged = ragged or mask is not None
        for key in PARTS:  # 分子, 分母, 权重 are read and checked against the rate in merge_row
            if key in fields:
                slow.update(i for i, cell in enumerate(fields[key][0]) if cell is not None)
        if "code" not in fields:  # every row is matched by name, and reported: row by row
            for i in range(n):
                self.merge_row(grid.raw_row(i))
            return
        columns = _columns(layout, present, n)
        notes = self.notes_column(parts, n, ragged)

        ledger, ctx, own_region = self.ledger, self.ctx, self.own_region
        tasks_get = ledger.tasks.get
        # a code as written is looked up first: the ledger's codes are normalised text, so a cell equal to
        # one is already normal (and cell_text would give it back); only the others are normalised first
        codes = fields["code"][0]
        tasks = list(map(tasks_get, codes))
        for i in [i for i, task in enumerate(tasks) if task is None]:
            tasks[i] = tasks_get(cell_text(codes[i]))
        cells_of = {key: cells for key, (cells, _) in fields.items()}
        names = cells_of.get("name") or repeat(None, n)
        targets = cells_of.get("target") or repeat(None, n)
        raw_values = cells_of.get("value") or repeat(None, n)
        written_previous = repeat(None, n)
        if "previous" in fields:  # number_value: a number cell is itself; only texts need parsing
            cells, distinct = fields["previous"]
            # a text with 万/亿 scales by the task's unit: its rows go to merge_row (_SCALED)
            parsed = {v: _SCALED if (number := parse_number(v)) and number.scale else number_value(v)
                      for v in distinct if v is None or v.__class__ is str}
            written_previous = [v if v.__class__ is float else parsed[v] if v is None or v.__class__ is str
                                else number_value(v) for v in cells]
        statuses = _mapped(*fields["status"], _status_of) if "status" in fields else repeat(_NO_STATUS, n)
        texts = [_mapped(*fields[k], free_text) if k in fields else repeat("", n)
                 for k in ("progress", "problems", "measures")]
        year = ctx.round.year
        finish = (_mapped(*fields["finish_date"], lambda v: normalize_date(v, year), texts_only=True)
                  if "finish_date" in fields else repeat(("", ()), n))
        if "region" in fields:
            cells, distinct = fields["region"]
            found = {v: self.region_of(v) for v in distinct if v.__class__ is str}
            regions = [found.get(v, _NO_REGION) if v is not None else None for v in cells]
        else:  # a sheet named for a region gives it to every row (merge_row drops it where the task has none)
            regions = repeat(self.sheet_region(layout), n)
        previous, seen, merged, sheet, unit = ctx.previous, self.seen, self.merged, layout.sheet, self.unit
        at = self.at
        is_within = ledger.regions.is_within
        sub_unit, prev_unit = layout.units.get("value"), layout.units.get("previous")  # this table's own
        same_targets: dict[tuple, bool] = {}  # (type, written, target) → same_target
        unknown: set[tuple] = set()  # (code, name) cells merge_row said were no task of the ledger, and no more
        for i, (task, r, region, name, written_target, prev_cell, raw, (status, status_raw, ok),
                progress, problems, measures, (finish_date, date_problems), note, cols_of_row) in enumerate(zip(
                tasks, grid.rows, regions, names, targets, written_previous, raw_values, statuses,
                *texts, finish, notes, columns)):
            # what merge_row does, step by step, as long as there is nothing to report; at the first thing
            # to report (or anything out of the ordinary) the row goes to merge_row instead
            try:
                if (task is None or not ok or date_problems or i in slow or (name is not None and name != task.name)
                        or prev_cell is _SCALED or (prev_unit and prev_cell is not None and task.unit
                                                    and unit_factor(prev_unit, task.unit) not in (1.0, None))):
                    raise _Slow
                if region is None:
                    place = own_region or (TOTAL if task.lead == unit else self.place_of(task))
                elif region is _NO_REGION or (own_region and region.code != own_region
                                              and not is_within(region.code, own_region)):
                    raise _Slow
                else:
                    place = region.code
                if place:  # a region's row: the task must be split to it (not a whole-task row written as 湖北省)
                    if place not in task.region_targets:
                        raise _Slow
                    owner, target = task.region_units.get(place, ""), task.region_targets[place]
                else:
                    owner, target = task.lead, task.target
                key = (task.code, place)
                if key in seen:
                    earlier = at.get(key)
                    if earlier is not None and not merged[earlier].filled:
                        raise _Slow  # the template's blank row, which this one may replace
                    self.duplicate(task, key, layout.sheet, r, cols_of_row["code"], codes[i])
                    continue
                if written_target is not None and target is not None and written_target != target.raw:
                    same = same_targets.get((written_target.__class__, written_target, id(target)))
                    if same is None:
                        same = same_targets[written_target.__class__, written_target, id(target)] = \
                            same_target(written_target, target)
                    if not same:
                        raise _Slow
                if raw is None:
                    value = None
                elif sub_unit and task.unit and unit_factor(sub_unit, task.unit) not in (1.0, None):
                    raise _Slow  # 累计完成（个） for a task counted in 万个: converted, and said so, in merge_row
                elif raw.__class__ is float and raw >= 0 and (raw >= 1 or raw == 0
                                                              or not is_pct_unit(task.unit or sub_unit)):
                    value = raw  # a plain number: what normalize_value gives it
                else:
                    value, value_problems = normalize_value(raw, task.unit or sub_unit,
                                                            qualitative=is_qualitative(target))
                    if value_problems:
                        raise _Slow
                prev = previous.get(key)
                if prev is None:
                    prev = prev_cell
                if value is not None:  # check_consistency
                    if prev is not None and value < prev:
                        raise _Slow
                    goal = target.value if target is not None else None
                    if goal and ((value > FAR_ABOVE_FACTOR * goal and not task.lower_is_better(target))
                                 or (status == "已完成" and task.meets(target, value) is False)):
                        raise _Slow
                if status == "滞后" and not problems:
                    raise _Slow
            except _Slow:
                if task is None and i not in slow and (codes[i], name) in unknown and self.counted(_UNKNOWN):
                    continue  # a task merge_row found unknown on an earlier row, its findings only counted now
                told = len(self.findings), self.more.get(_UNKNOWN.code, 0)
                if not self.merge_row(grid.raw_row(i)) and task is None and i not in slow:
                    if self._only_unknown(told):
                        unknown.add((codes[i], name))
                continue
            seen[key] = r + 1
            at[key] = len(merged)
            # the text as written, made for a row taken only: a file may repeat its keys a million times
            value_text = "" if raw is None else _value_text(raw)
            merged.append(MergedRow(task.code, place, owner, value, value_text, prev, status, status_raw, progress,
                                    problems, measures, finish_date, note, sheet, r, cols_of_row))

    def _only_unknown(self, told: tuple[int, int]) -> bool:
        """Whether merge_row's one word on the row it just refused was 任务不在台帐中 (said or counted): then
        every row with the same code and name cells gets the same, and is counted without a RawRow."""
        items, more = told
        if self.more.get(_UNKNOWN.code, 0) == more + 1:
            return len(self.findings) == items
        return len(self.findings) == items + 1 and self.findings.items[-1].code == _UNKNOWN.code

    def region_of(self, text: str):
        """The region a cell names, as match_key finds it (_NO_REGION when it names none)."""
        return self.find_region(cell_text(text)) or _NO_REGION


    def note_column(self, header: str, cells: list, distinct: set) -> list[str | None]:
        """'header：text' for each non-empty cell of another column (None where empty), as notes_of has it."""
        known = self.note_parts

        def part(v: Any) -> str | None:
            if v is None:
                return None
            if isinstance(v, str):
                return known.setdefault((header, v), f"{header}：{free_text(v)}")
            return f"{header}：{free_text(v)}"
        return _mapped(cells, distinct, part)

    def notes_column(self, parts: list[list[str | None]], n: int, ragged: bool) -> list[str]:
        """Each row's notes, made once for each distinct combination of parts (a file repeats a few)."""
        if not parts:
            return [""] * n
        intern = self.notes.setdefault
        if all(part.count(part[0]) == n for part in parts):  # the same in every row (责任人, 联系电话)
            combo = [part[0] for part in parts]
            text = "；".join([p for p in combo if p is not None])
            return [intern(text, text)] * n
        joined = {}
        for combo in dict.fromkeys(zip(*parts)):
            text = "；".join([p for p in combo if p is not None] if ragged else combo)
            joined[combo] = intern(text, text)
        return list(map(joined.__getitem__, zip(*parts)))



_UNKNOWN = F.INTAKE_UNKNOWN_TASK


class _Slow(Exception):
    """A row the fast path leaves to merge_row."""


_NO_STATUS = (None, "", True)
_NO_REGION = object()  # a region cell naming no known region
_SCALED = object()  # a 上月累计完成 text with 万/亿, scaled by the task's unit in merge_row


def _value_text(raw: Any) -> str:
    """cell_text, its usual case first: a whole number (most 累计完成 cells)."""
    return str(int(raw)) if raw.__class__ is float and raw.is_integer() else cell_text(raw)


def _status_of(raw: Any) -> tuple[str | None, str, bool]:
    """(status, as written, whether nothing is to be reported about it) of a 进展状态 cell."""
    status, problems = normalize_status(raw)
    return status, free_text(raw), not problems


def _non_empty(column: tuple) -> tuple[tuple | list | None, list[bool] | None, set | None]:
    """A column's cells with None for each empty one (blank or spaces, as _raw_row decides), which are not
    empty, and the distinct values of the cells: (the column, None, …) when none is empty, and
    (None, None, None) when all are."""
    distinct = set(column)
    empty = {v for v in distinct if v is None or (isinstance(v, str) and (not v or v.isspace()))}
    if not empty:
        return column, None, distinct
    if len(empty) == len(distinct):
        return None, None, None
    distinct -= empty
    distinct.add(None)
    cells = [None if v in empty else v for v in column]
    return cells, [v is not None for v in cells], distinct


def _columns(layout, present: list[tuple[str, int, list[bool] | None]], n: int) -> list[dict[str, int]]:
    """RoundRow.columns of each row: the layout's one shared dict for each set of non-empty columns."""
    mixed = [j for j, (_, _, mask) in enumerate(present) if mask is not None]
    if not mixed:
        return [layout.shared({key: col for key, col, _ in present})] * n
    by_pattern: dict[tuple[bool, ...], dict[str, int]] = {}
    for pattern in dict.fromkeys(zip(*(present[j][2] for j in mixed))):
        empty = {j for j, filled in zip(mixed, pattern) if not filled}
        by_pattern[pattern] = layout.shared({key: col for j, (key, col, _) in enumerate(present) if j not in empty})
    return list(map(by_pattern.__getitem__, zip(*(present[j][2] for j in mixed))))


def _mapped(cells: list, distinct: set, fn, texts_only: bool = False) -> list:
    """fn of each cell (None for an empty one), worked out once per distinct value — a file repeats the same
    texts and numbers down its rows. Equal values must give equal results: 1 and 1.0 (and 0.0 and -0.0) are
    one key, which suits cell_text and what is made from it; True == 1 does not, so a column holding a
    True or False is worked out cell by cell. With `texts_only`, only texts are looked up once."""
    if texts_only:
        table = {v: fn(v) for v in distinct if v is None or v.__class__ is str}
        return [table[v] if v is None or v.__class__ is str else fn(v) for v in cells]
    # a set keeps one of True and 1, so the cells themselves are looked at for a bool
    if (True in distinct or False in distinct) and any(v.__class__ is bool for v in cells):
        return [fn(v) for v in cells]
    table = {v: fn(v) for v in distinct}
    return list(map(table.__getitem__, cells))


