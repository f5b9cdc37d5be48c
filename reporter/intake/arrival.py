"""When each submission reached the office, which 迟报 is judged on.

A message's attachments arrived with the message (its Date, or its first Received header: see messages.py).
A plain file's modification time says when it was last saved or copied, not when it arrived: a file copied
out of a mail client or between folders is dated the day of the copy. So for files that came another way the
time is stated: a 收件登记 (a sheet or CSV in the submissions source whose name holds 收件登记, with the
columns 文件 and 收到时间), or `--received` for all the others. A file with neither keeps its modification
time only as a hint (never 迟报 by itself).
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Mapping

from ..model.text import compact
from .discover import Source
from .normalize import normalize_date
from .values import cell_text
from .workbook import UnreadableFile, read_workbook

REGISTER = "收件登记"
_FILE_HEADERS = ("文件", "文件名", "文件名称", "附件", "报送文件")
_TIME_HEADERS = ("收到时间", "收到日期", "收件时间", "收件日期", "接收时间", "接收日期", "送达时间", "送达日期", "报送时间",
                 "报送日期")

# How a file's arrival is known, as listed in 报送文件.
BY_MESSAGE, BY_REGISTER, BY_OPTION, BY_MTIME = "邮件日期", "收件登记", "指定收到日期", "文件修改时间"
BY_UPLOAD = "网页上传时间"


@dataclass
class Arrivals:
    """The sources to read (the register itself taken out), each with its `received` time where known."""

    sources: list[Source]
    how: dict[str, str] = field(default_factory=dict)  # file name → how its arrival is known (BY_…)
    problems: list[tuple[str, str]] = field(default_factory=list)  # (file, what is wrong with the register)


def dated(sources: list[Source], year: int, received: dt.date | dt.datetime | None = None,
          uploaded: Mapping[str, dt.datetime] | None = None) -> Arrivals:
    """`sources` with their arrival times: a message's already, a file listed in a 收件登记 from it, a file
    uploaded on the web page (`uploaded`: name → when) from that, any other file from `received` (a date:
    its start). `year`: the round's, for a register's '6月4日'."""
    registers = [s for s in sources if REGISTER in s.stem and s.readable and s.letter is None]
    out = Arrivals([s for s in sources if s not in registers])
    listed: dict[str, dt.datetime] = {}
    for register in registers:
        listed.update(_read_register(register, year, out.problems))
    default = (dt.datetime.combine(received, dt.time()) if isinstance(received, dt.date)
               and not isinstance(received, dt.datetime) else received)
    for i, source in enumerate(out.sources):
        if source.received is not None:
            out.how[source.name] = BY_MESSAGE
            continue
        when = _listed_time(source, listed)
        if when is not None:
            out.sources[i], out.how[source.name] = replace(source, received=when), BY_REGISTER
        elif uploaded and source.name in uploaded:
            out.sources[i], out.how[source.name] = replace(source, received=uploaded[source.name]), BY_UPLOAD
        elif default is not None:
            out.sources[i], out.how[source.name] = replace(source, received=default), BY_OPTION
        else:
            out.how[source.name] = BY_MTIME
    return out


def _listed_time(source: Source, listed: dict[str, dt.datetime]) -> dt.datetime | None:
    """The register's time for a file: by its whole shown name, else its own name, else its stem."""
    name = source.name.replace("\\", "/")
    for key in (name, name.rsplit("/", 1)[-1], Path(name).stem):
        when = listed.get(compact(key))
        if when is not None:
            return when
    return None


def _read_register(source: Source, year: int, problems: list[tuple[str, str]]) -> dict[str, dt.datetime]:
    try:
        sheets = read_workbook(source.name, source.read_bytes())
    except UnreadableFile as exc:
        problems.append((source.name, f"收件登记“{source.name}”无法读取：{exc}"))
        return {}
    found: dict[str, dt.datetime] = {}
    for sheet in sheets:
        header = _header(sheet.rows)
        if header is None:
            continue
        at, file_col, time_col = header
        for r, row in enumerate(sheet.rows[at + 1:], start=at + 2):
            name = cell_text(row[file_col]) if file_col < len(row) else ""
            raw = row[time_col] if time_col < len(row) else None
            if not name:
                continue
            when = _when(raw, year)
            if when is None:
                problems.append((source.name, f"收件登记“{source.name}”第 {r} 行“{name}”的收到时间“{cell_text(raw)}”"
                                              "无法识别，该文件按文件修改时间提示。"))
                continue
            found[compact(name)] = when
            found.setdefault(compact(Path(name).stem), when)
        return found
    problems.append((source.name, f"收件登记“{source.name}”中找不到“文件”和“收到时间”两列，未使用。"))
    return found


def _header(rows: list[list]) -> tuple[int, int, int] | None:
    for at, row in enumerate(rows[:10]):
        texts = [compact(cell_text(v)) for v in row]
        file_col = next((i for i, t in enumerate(texts) if t in _FILE_HEADERS), None)
        time_col = next((i for i, t in enumerate(texts) if t in _TIME_HEADERS), None)
        if file_col is not None and time_col is not None:
            return at, file_col, time_col
    return None


_CLOCK = re.compile(r"(\d{1,2})[:：时点](\d{1,2})?")


def _when(raw, year: int) -> dt.datetime | None:
    """A cell's date and time: a real datetime, a date, or text such as 2025-06-04 16:30 / 6月4日 下午4:30."""
    if isinstance(raw, dt.datetime):
        return raw
    if isinstance(raw, dt.date):
        return dt.datetime.combine(raw, dt.time())
    if isinstance(raw, (int, float)) and 30000 < raw < 60000:  # an Excel serial date and time
        return dt.datetime(1899, 12, 30) + dt.timedelta(days=float(raw))
    text = cell_text(raw).strip()
    if not text:
        return None
    head, _, rest = re.sub(r"(日|号)(?=\S)", r"\1 ", text).partition(" ")
    iso, problems = normalize_date(head, year)
    try:
        day = dt.date.fromisoformat(iso)
    except ValueError:
        return None
    if problems:
        return None
    clock = _CLOCK.search(rest)
    if clock:
        hour = int(clock.group(1)) + (12 if re.search("下午|晚上", rest) and int(clock.group(1)) < 12 else 0)
        return dt.datetime.combine(day, dt.time(min(hour, 23), min(int(clock.group(2) or 0), 59)))
    return dt.datetime.combine(day, dt.time())
