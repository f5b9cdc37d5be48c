"""The history store (历史库): every collected round, so the next month can be compared with this one.

SQLAlchemy Core, so one code path serves the workspace's SQLite file and an office's PostgreSQL server.
Re-collecting a round replaces it in one transaction, and the audit table keeps what was replaced.
Comparisons stay within a year: 累计完成 restarts each January, and task codes are the year's own.
"""
from __future__ import annotations

import datetime as dt
from enum import Enum
from pathlib import Path
from typing import Any, Iterable, Mapping

import sqlalchemy as sa

from ..model.findings import cell_ref
from ..model.round_ledger import Provenance, RoundLedger, RoundRow
from ..model.schedule import Round, parse_round
from ..model.status import LAGGING as _STATUS_LAGGING, Status

Key = tuple[str, str]  # (task code, region code — '' for the task as a whole)

# 序时 classes that count as lagging, as the text the store holds (a str Enum does not hash as its text).
LAGGING = frozenset(status.value for status in _STATUS_LAGGING)
ON_TRACK = frozenset(s.value for s in (Status.DONE_EARLY, Status.DONE, Status.AHEAD, Status.ON_SCHEDULE))
UNJUDGED = Status.UNKNOWN.value
NEWLY_LAGGING = "新增滞后"
RECOVERED = "恢复"
CHANGED = "变化"  # a class change within lagging or within not lagging (滞后 → 严重滞后, 按序时 → 超序时)

# Audit reasons and the fields compared when a round is re-collected (labels as clerks read them).
RECOLLECTED = "重新汇总"
RESUBMITTED = "单位重报"
AUDITED_FIELDS = {"value": "累计完成", "status": "进展状态", "submitter": "报送单位"}
CLASS_FIELDS = ("status_class", "time_progress", "completion")

metadata = sa.MetaData()

# Text keys throughout: no length to outgrow on PostgreSQL, and SQLite ignores lengths anyway.
rounds_table = sa.Table(
    "rounds", metadata,
    sa.Column("round_key", sa.Text, primary_key=True, comment="填报轮次，如 2025-05"),
    sa.Column("ledger", sa.Text, nullable=False, comment="年度台帐文件"),
    sa.Column("collected_at", sa.DateTime, nullable=False, comment="汇总时间（本地时间）"),
    sa.Column("files", sa.Integer, nullable=False, comment="收到文件数"),
    sa.Column("rows", sa.Integer, nullable=False, comment="台帐行数"),
    comment="已汇总的轮次",
)
values_table = sa.Table(
    "round_values", metadata,
    sa.Column("round_key", sa.Text, primary_key=True),
    sa.Column("task", sa.Text, primary_key=True, comment="任务编号"),
    sa.Column("region", sa.Text, primary_key=True, comment="地区代码，任务整体为空串"),
    sa.Column("owner", sa.Text, nullable=False, comment="应报单位"),
    sa.Column("submitter", sa.Text, comment="实际报送单位"),
    sa.Column("value", sa.Double, comment="累计完成"),
    sa.Column("raw_value", sa.Text, nullable=False, comment="累计完成原文"),
    sa.Column("status", sa.Text, comment="进展状态"),
    sa.Column("status_class", sa.Text, comment="序时判断，如 按序时、滞后"),
    sa.Column("time_progress", sa.Double, comment="序时进度（%）"),
    sa.Column("completion", sa.Double, comment="完成率（%）"),
    sa.Column("problems", sa.Text, nullable=False, comment="存在问题"),
    sa.Column("progress", sa.Text, comment="工作进展（下一轮模板预填）"),
    sa.Column("file", sa.Text, comment="来源文件"),
    sa.Column("sheet", sa.Text, comment="来源工作表"),
    sa.Column("cell", sa.Text, comment="来源单元格"),
    comment="每轮每项任务（分地区）的数值",
)
audit_table = sa.Table(
    "audit", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("round_key", sa.Text, nullable=False, index=True),
    sa.Column("task", sa.Text, nullable=False),
    sa.Column("region", sa.Text, nullable=False),
    sa.Column("field", sa.Text, nullable=False, comment="字段，如 累计完成"),
    sa.Column("old", sa.Text, nullable=False, comment="原值"),
    sa.Column("new", sa.Text, nullable=False, comment="新值"),
    sa.Column("old_source", sa.Text, nullable=False, comment="原值来源"),
    sa.Column("new_source", sa.Text, nullable=False, comment="新值来源"),
    sa.Column("reason", sa.Text, nullable=False, comment="重新汇总 / 单位重报"),
    sa.Column("replaced_at", sa.DateTime, nullable=False),
    comment="数值替换记录",
)
files_table = sa.Table(
    "files", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("round_key", sa.Text, nullable=False, index=True),
    sa.Column("name", sa.Text, nullable=False, comment="文件名"),
    sa.Column("unit", sa.Text, comment="报送单位"),
    sa.Column("state", sa.Text, nullable=False, comment="采用 / 被替代 / 未识别单位 / 无法读取"),
    sa.Column("arrived", sa.DateTime, comment="收到时间"),
    sa.Column("late", sa.Boolean, nullable=False, comment="迟报"),
    sa.Column("rows", sa.Integer, nullable=False),
    sa.Column("how", sa.Text, nullable=False, comment="单位识别方式"),
    comment="每轮收到的文件",
)

sent_table = sa.Table(
    "sent_mail", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("identity", sa.Text, nullable=False, index=True, comment="邮件标识（轮次、收件单位、主题、收件地址）"),
    sa.Column("round_key", sa.Text, nullable=False, index=True),
    sa.Column("label", sa.Text, nullable=False, comment="收件单位"),
    sa.Column("subject", sa.Text, nullable=False, comment="主题"),
    sa.Column("recipients", sa.Text, nullable=False, comment="收件地址"),
    sa.Column("message_id", sa.Text, nullable=False, comment="所发邮件的 Message-ID"),
    sa.Column("sent_at", sa.DateTime, nullable=False, comment="发送时间（本地时间）"),
    comment="已发送的邮件：每次送达一行，重发再记一行",
)
# How long a writer waits for another to finish with the SQLite file before giving up (a reader holding it,
# another run): SQLite's own default is 5 s, then "database is locked".
BUSY_TIMEOUT = 30


class StoreBusy(Exception):
    """The store cannot be written: held by another program longer than BUSY_TIMEOUT, or on a full or
    read-only disk; the message is Chinese."""


def database_url(url_or_path: str | Path) -> str:
    """A SQLAlchemy URL as given, or a file path as a SQLite URL (creating its folder)."""
    text = str(url_or_path)
    if "://" in text:
        return text
    path = Path(text).expanduser().resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{path.as_posix()}"


class History:
    """The history store at a SQLite path or a database URL (postgresql+psycopg://…)."""

    def __init__(self, url_or_path: str | Path, schema: str | None = None):
        self.url = database_url(url_or_path)
        sqlite = self.url.startswith("sqlite")
        engine = sa.create_engine(self.url, connect_args={"timeout": BUSY_TIMEOUT} if sqlite else {})
        if sqlite:
            sa.event.listen(engine, "handle_error", self._busy)
        if schema and engine.dialect.name == "sqlite":
            raise ValueError("SQLite 历史库不支持 schema 参数")
        self.schema = schema
        # Tables are declared without a schema; a named one is mapped in at execution time.
        self.engine = engine.execution_options(schema_translate_map={None: schema}) if schema else engine

    def _busy(self, context) -> None:
        """SQLite's "database is locked" (another program kept the file past BUSY_TIMEOUT), a full disk or a
        read-only folder, said in Chinese."""
        text, where = str(context.original_exception), self.url.removeprefix("sqlite:///")
        if "disk is full" in text or "disk I/O error" in text:
            raise StoreBusy(f"磁盘空间已满（或磁盘出错），无法写入历史库“{where}”。请清理磁盘后重试。") from None
        if "readonly database" in text:
            raise StoreBusy(f"历史库“{where}”所在的磁盘或文件夹是只读的，无法写入。请换一个可写的工作区文件夹。") from None
        if "database is locked" in text:
            raise StoreBusy(f"历史库被占用：“{where}”正被其他程序（如打开该文件的数据库软件、另一个正在运行的 reporter）"
                            f"使用，等待 {BUSY_TIMEOUT} 秒后仍未释放。请关闭该程序后重试，本次未写入历史库。") from None

    def __enter__(self) -> "History":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self.engine.dispose()

    def create(self) -> "History":
        """Create the schema (when named) and any missing tables."""
        with self.engine.begin() as conn:
            if self.schema:
                conn.execute(sa.schema.CreateSchema(self.schema, if_not_exists=True))
            metadata.create_all(conn)
            _add_columns(conn, self.schema)
        return self

    # -- writing ----------------------------------------------------------------------------------
    def save_round(self, rl: RoundLedger, classes: Mapping[Key, Mapping[str, Any]] | None = None) -> None:
        """Store a round, replacing any earlier save of it; values it replaces go to the audit table."""
        key, now = rl.round.key, _now()
        new = {k: _value_record(key, row, (classes or {}).get(k)) for k, row in rl.rows.items()}
        with self.engine.begin() as conn:
            old = _select_values(conn, key)
            trail = _replaced(key, old, new, now) + _resubmitted(conn, rl, now)
            for table in (values_table, files_table, rounds_table):
                conn.execute(sa.delete(table).where(table.c.round_key == key))
            conn.execute(sa.insert(rounds_table), [{
                "round_key": key, "ledger": rl.ledger.path or rl.ledger.title, "collected_at": now,
                "files": len(rl.files), "rows": len(rl.rows)}])
            _insert(conn, values_table, list(new.values()))
            _insert(conn, files_table, [_file_record(key, f) for f in rl.files])
            _insert(conn, audit_table, trail)

    def save_classes(self, round_key: str, classes: Mapping[Key, Mapping[str, Any]]) -> None:
        """Fill in the rollup's 序时 class, time progress and completion for a stored round."""
        c = values_table.c
        stmt = (sa.update(values_table)
                .where(c.round_key == sa.bindparam("k_round"), c.task == sa.bindparam("k_task"),
                       c.region == sa.bindparam("k_region"))
                .values({f: sa.bindparam(f"v_{f}") for f in CLASS_FIELDS}))
        params = [{"k_round": round_key, "k_task": task, "k_region": region,
                   **{f"v_{f}": v for f, v in _classes(data).items()}}
                  for (task, region), data in classes.items()]
        if params:
            with self.engine.begin() as conn:
                conn.execute(stmt, params)

    def record_delivery(self, identity: str, round_key: str, label: str, subject: str, recipients: Iterable[str],
                        message_id: str) -> None:
        """Record one message as delivered, at once (its own transaction): a run that stops after it, or a
        connection dropped after it, still knows it went."""
        with self.engine.begin() as conn:
            conn.execute(sa.insert(sent_table), [{
                "identity": identity, "round_key": round_key, "label": label, "subject": subject,
                "recipients": "；".join(recipients), "message_id": message_id, "sent_at": _now()}])

    def deliveries(self, round_key: str) -> dict[str, dt.datetime]:
        """Identity → when it was last delivered, for the round's messages."""
        return self._last_sent(round_key, sent_table.c.identity)

    def delivered_to(self, round_key: str) -> dict[str, dt.datetime]:
        """Unit label → when a message of the round was last delivered to it (the board's 已退回)."""
        return self._last_sent(round_key, sent_table.c.label)

    def _last_sent(self, round_key: str, key: sa.Column) -> dict[str, dt.datetime]:
        c = sent_table.c
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(key, sa.func.max(c.sent_at))
                                .where(c.round_key == round_key).group_by(key)).all()
        return {name: when for name, when in rows}

    # -- reading ----------------------------------------------------------------------------------
    def rounds(self) -> list[str]:
        """Stored round keys, earliest first."""
        with self.engine.connect() as conn:
            keys = conn.execute(sa.select(rounds_table.c.round_key)).scalars().all()
        return sorted(keys, key=parse_round)

    def values(self, round_key: str) -> dict[Key, dict[str, Any]]:
        with self.engine.connect() as conn:
            return _select_values(conn, round_key)

    def previous_values(self, rnd: Round | str) -> dict[Key, float]:
        """The previous round's cumulative values (for 本月新增 and 'lower than last round'); {} in January."""
        prev = _previous_key(rnd)
        if prev is None:
            return {}
        return {k: v["value"] for k, v in self.values(prev).items() if v["value"] is not None}

    def last_reported(self, rnd: Round | str) -> dict[Key, dict[str, Any]]:
        """The previous round's rows as stored (value, progress, problems…), for the next round's templates."""
        prev = _previous_key(rnd)
        return {} if prev is None else self.values(prev)

    def increments(self, round_key: str) -> dict[Key, float | None]:
        """本月新增: this round's value minus the previous round's; None when either is missing."""
        before = self.previous_values(round_key)
        return {k: _minus(v["value"], before.get(k)) for k, v in self.values(round_key).items()}

    def class_changes(self, round_key: str) -> list[dict[str, str]]:
        """Keys whose 序时 class differs from the previous round's, with 新增滞后 / 恢复 / 变化."""
        prev = _previous_key(round_key)
        if prev is None:
            return []
        before, now = self._classes(prev), self._classes(round_key)
        changes = []
        for key in sorted(now.keys() & before.keys()):
            old, new = before[key], now[key]
            if old and new and old != new:
                changes.append({"task": key[0], "region": key[1], "old": old, "new": new,
                                "kind": _change_kind(old, new)})
        return changes

    def consecutive_lagging(self, round_key: str) -> dict[Key, int]:
        """Rounds in a row, up to and including this one, each key has been lagging; 0 when it is not."""
        chain = [self._classes(round_key)]
        stored = set(self.rounds())
        prev = _previous_key(round_key)
        while prev in stored:
            chain.append(self._classes(prev))
            prev = _previous_key(prev)
        return {key: _run_length(key, chain) for key in chain[0]}

    def on_schedule_trend(self, round_key: str) -> list[tuple[str, float | None]]:
        """序时达标率 of each stored round of `round_key`'s year up to it, earliest first: (round key, percent).

        Counted at task level, on the whole-task rows (region ''), as the rollup's overview and the bulletin
        count tasks: a task split over 17 regions would otherwise weigh 17 times. On schedule = 提前完成,
        已完成, 超序时, 按序时; 无法判断 is left out of the base. None for a round whose classes were never saved.
        """
        rnd = parse_round(round_key)
        keys = [k for k in self.rounds() if _same_year_through(parse_round(k), rnd)]
        c = values_table.c
        stmt = (sa.select(c.round_key, c.status_class, sa.func.count())
                .where(c.round_key.in_(keys), c.region == "", c.status_class.is_not(None))
                .group_by(c.round_key, c.status_class))
        counts: dict[str, dict[str, int]] = {k: {} for k in keys}
        if keys:
            with self.engine.connect() as conn:
                for key, cls, n in conn.execute(stmt):
                    counts[key][cls] = n
        return [(k, _share(counts[k])) for k in keys]

    def audit(self, round_key: str | None = None) -> list[dict[str, Any]]:
        """The trail of replaced values, oldest first."""
        stmt = sa.select(audit_table).order_by(audit_table.c.id)
        if round_key is not None:
            stmt = stmt.where(audit_table.c.round_key == round_key)
        with self.engine.connect() as conn:
            return [dict(r) for r in conn.execute(stmt).mappings()]

    def provenance(self, round_key: str, task: str, region: str = "") -> dict[str, str | None]:
        """Where a stored value came from: file, sheet, cell and submitting unit; {} when not stored."""
        c = values_table.c
        stmt = (sa.select(c.file, c.sheet, c.cell, c.submitter)
                .where(c.round_key == round_key, c.task == task, c.region == region))
        with self.engine.connect() as conn:
            row = conn.execute(stmt).mappings().first()
        return dict(row) if row else {}

    def _classes(self, round_key: str) -> dict[Key, str | None]:
        c = values_table.c
        stmt = sa.select(c.task, c.region, c.status_class).where(c.round_key == round_key)
        with self.engine.connect() as conn:
            return {(t, r): cls for t, r, cls in conn.execute(stmt)}


# -- records ----------------------------------------------------------------------------------------
def _now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


def _naive(when: dt.datetime | None) -> dt.datetime | None:
    """Wall-clock time as recorded: both backends then store the same timezone-naive value."""
    return when.replace(tzinfo=None) if when is not None and when.tzinfo else when


def _where(row: RoundRow) -> tuple[str | None, str | None, str | None]:
    """(file, sheet, cell) of a row's value — or of its first cell when it has no value column."""
    if row.origin is None:
        return None, None, None
    file, sheet, index = row.origin
    sources = row.sources
    found = sources.get("value") or next(iter(sources.values()), None)
    return file, sheet, found.cell if found else cell_ref(index, 0)


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, Enum) else value


def _classes(data: Mapping[str, Any] | None) -> dict[str, Any]:
    data = data or {}
    cls = _plain(data.get("status_class"))
    numbers = {f: None if data.get(f) is None else float(data[f]) for f in CLASS_FIELDS[1:]}
    return {"status_class": None if cls is None else str(cls), **numbers}


def _value_record(round_key: str, row: RoundRow, classes: Mapping[str, Any] | None) -> dict[str, Any]:
    file, sheet, cell = _where(row)
    return {"round_key": round_key, "task": row.task, "region": row.region, "owner": row.owner or "",
            "submitter": row.submitter, "value": row.value, "raw_value": row.raw_value or "",
            "status": row.status, "problems": row.problems or "", "progress": row.progress or "", "file": file, "sheet": sheet, "cell": cell,
            **_classes(classes)}


def _add_columns(conn: sa.Connection, schema: str | None) -> None:
    """Columns added to a table since a store was created (create_all makes missing tables, not columns)."""
    inspector = sa.inspect(conn)
    quote = conn.dialect.identifier_preparer.quote
    for table in (values_table,):
        have = {c["name"] for c in inspector.get_columns(table.name, schema=schema)}
        name = f"{quote(schema)}.{quote(table.name)}" if schema else quote(table.name)
        for column in table.columns:
            if column.name not in have and column.nullable:
                kind = column.type.compile(dialect=conn.dialect)
                conn.execute(sa.text(f"ALTER TABLE {name} ADD COLUMN {quote(column.name)} {kind}"))


def _file_record(round_key: str, f) -> dict[str, Any]:
    return {"round_key": round_key, "name": f.name, "unit": f.unit, "state": f.state,
            "arrived": _naive(f.arrived), "late": bool(f.late), "rows": f.rows, "how": f.how or ""}


def _select_values(conn: sa.Connection, round_key: str) -> dict[Key, dict[str, Any]]:
    stmt = sa.select(values_table).where(values_table.c.round_key == round_key)
    return {(r["task"], r["region"]): dict(r) for r in conn.execute(stmt).mappings()}


def _insert(conn: sa.Connection, table: sa.Table, records: list[dict[str, Any]]) -> None:
    if records:  # an empty executemany is an error on some drivers
        conn.execute(sa.insert(table), records)


# -- audit ------------------------------------------------------------------------------------------
def _text(value: Any) -> str:
    """An audited value as text: 30.0 → '30', None → ''."""
    value = _plain(value)
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _source(record: Mapping[str, Any] | None) -> str:
    if not record or not record.get("file"):
        return ""
    return str(Provenance(record["file"], record["sheet"] or "", record["cell"] or ""))


def _replaced(round_key: str, old: Mapping[Key, dict], new: Mapping[Key, dict], now: dt.datetime) -> list[dict]:
    """An audit row for each compared field whose stored value the re-collected round changes."""
    if not old:
        return []  # first save of this round: nothing replaced
    trail = []
    for key in sorted(old.keys() | new.keys()):
        before, after = old.get(key), new.get(key)
        for field, label in AUDITED_FIELDS.items():
            was, becomes = (before or {}).get(field), (after or {}).get(field)
            if was != becomes:
                trail.append({"round_key": round_key, "task": key[0], "region": key[1], "field": label,
                              "old": _text(was), "new": _text(becomes), "old_source": _source(before),
                              "new_source": _source(after), "reason": RECOLLECTED, "replaced_at": now})
    return trail


def _resubmitted(conn: sa.Connection, rl: RoundLedger, now: dt.datetime) -> list[dict]:
    """rl.changes (values changed between versions of a unit's file), minus those already recorded."""
    compared = ("task", "region", "field", "old", "new", "old_source", "new_source")
    a = audit_table.c
    stmt = sa.select(*(a[c] for c in compared)).where(a.round_key == rl.round.key, a.reason == RESUBMITTED)
    seen = {tuple(r) for r in conn.execute(stmt)}
    trail = []
    for change in rl.changes:
        region = _region_key(rl, change["task"], change.get("region") or "")
        record = {"task": change["task"], "region": region, "field": change["field"],
                  "old": _text(change.get("old")), "new": _text(change.get("new")),
                  "old_source": change.get("old_file", ""), "new_source": change.get("new_file", "")}
        signature = tuple(record[c] for c in compared)
        if signature not in seen:
            seen.add(signature)
            trail.append({**record, "round_key": rl.round.key, "reason": RESUBMITTED, "replaced_at": now})
    return trail


def _region_key(rl: RoundLedger, task: str, region: str) -> str:
    """rl.changes names regions as written (新洲区, or 湖北省 on a whole-task row): the round's key instead,
    so the audit lines up with round_values; kept as written when it matches no row."""
    found = rl.ledger.regions.match(region) if region else None
    if found is None:
        return region
    if (task, found.code) in rl.rows:
        return found.code
    whole = rl.ledger.whole_region(rl.ledger.tasks[task]) if task in rl.ledger.tasks else None
    return "" if whole is not None and whole.code == found.code else region


# -- comparisons ------------------------------------------------------------------------------------
def _previous_key(rnd: Round | str) -> str | None:
    """The round before, within the same year (cumulative values restart in January)."""
    rnd = rnd if isinstance(rnd, Round) else parse_round(rnd)
    prev = rnd.previous()
    return prev.key if prev.year == rnd.year else None


def _minus(value: float | None, before: float | None) -> float | None:
    if value is None or before is None:
        return None
    return round(value - before, 10)  # 30.5 − 28.2 is 2.3, not 2.3000000000000007


def _change_kind(old: str, new: str) -> str:
    if new in LAGGING and old not in LAGGING:
        return NEWLY_LAGGING
    if old in LAGGING and new not in LAGGING:
        return RECOVERED
    return CHANGED


def _same_year_through(rnd: Round, last: Round) -> bool:
    """Rounds of `last`'s year and cadence up to it: a trend compares like with like."""
    return rnd.year == last.year and rnd.quarterly == last.quarterly and rnd.month <= last.month


def _share(counts: Mapping[str, int]) -> float | None:
    """Percent on track among judged classes, one decimal as the rollup's overview rounds it."""
    judged = sum(n for cls, n in counts.items() if cls != UNJUDGED)
    if not judged:
        return None
    return round(100 * sum(counts.get(cls, 0) for cls in ON_TRACK) / judged, 1)


def _run_length(key: Key, chain: Iterable[Mapping[Key, str | None]]) -> int:
    count = 0
    for classes in chain:
        if classes.get(key) not in LAGGING:
            break
        count += 1
    return count
