"""The history store on SQLite always, and on PostgreSQL when REPORTER_TEST_PG_URL names a server
(CI starts one with scripts/ci-postgres.sh): the same assertions must hold on both."""
import datetime as dt
import os
import uuid

import pytest
import sqlalchemy as sa

from reporter.intake.annual import read_ledger
from reporter.ledger import history as H
from reporter.ledger.history import History
from reporter.model.round_ledger import FileRecord, RoundLedger, expected_rows
from reporter.model.schedule import parse_round
from reporter.rollup.status import Status

PG_URL = os.environ.get("REPORTER_TEST_PG_URL")
XIANAN, JIAYU = "421202", "421221"  # 咸安区, 嘉鱼县 (咸宁市)


@pytest.fixture(params=["sqlite", "postgresql"])
def history(request, tmp_path):
    if request.param == "sqlite":
        store = History(tmp_path / "历史库" / "history.sqlite").create()
        yield store
        store.close()
        return
    if not PG_URL:
        pytest.skip("未设置 REPORTER_TEST_PG_URL：跳过 PostgreSQL（CI 由 scripts/ci-postgres.sh 提供）")
    schema = f"test_{uuid.uuid4().hex[:12]}"  # a fresh schema per test: parallel runs cannot collide
    store = History(PG_URL, schema=schema).create()
    yield store
    store.close()
    engine = sa.create_engine(PG_URL)
    with engine.begin() as conn:
        conn.execute(sa.schema.DropSchema(schema, cascade=True))
    engine.dispose()


@pytest.fixture
def ledger(book):
    path = book("台帐.xlsx", {
        "任务": [
            ["任务编号", "任务名称", "计量单位", "年度目标", "牵头单位", "完成时限"],
            ["T1", "新增公办学前教育学位", "个", "70000", "省教育厅", "年底前"],
            ["T2", "城镇新增就业", "万人", "70", "省人社厅", "年底前"],
            ["T3", "建设急救站点", "个", "140", "省卫健委", "6月底前"],
        ],
        "分地区目标": [["任务编号", "地区", "年度目标"], ["T3", "咸安区", 80], ["T3", "嘉鱼县", 60]],
    })
    annual, findings = read_ledger(path, year=2025)
    assert not list(findings)
    return annual


def make_round(ledger, key, values, statuses=None, submitters=None) -> RoundLedger:
    """A round as collect would leave it: values from each owner's file, value in column C, status in D."""
    rnd = parse_round(key)
    rows = expected_rows(ledger)
    for i, (k, value) in enumerate(values.items()):
        row = rows[k]
        row.value, row.raw_value = value, "" if value is None else str(value)
        row.status = (statuses or {}).get(k, "正常推进")
        row.submitter = (submitters or {}).get(k, row.owner)
        row.origin = (f"{row.submitter}{rnd.month}月进展.xlsx", "进展表", 4 + i)
        row.columns = {"value": 2, "status": 3}
    arrived = dt.datetime.combine(rnd.default_deadline(day=3), dt.time(9, 30))
    files = [FileRecord(f"{u}{rnd.month}月进展.xlsx", u, "采用", arrived, late=u == "省卫健委", rows=1,
                        how="填报单位栏")
             for u in sorted({rows[k].submitter for k in values})]
    return RoundLedger(ledger, rnd, rows, files=files)


def count(store: History, table: sa.Table, round_key: str) -> int:
    stmt = sa.select(sa.func.count()).select_from(table).where(table.c.round_key == round_key)
    with store.engine.connect() as conn:
        return conn.execute(stmt).scalar_one()


def classes(by_key):
    """What the rollup supplies: the 序时 class of each key."""
    return {k: {"status_class": v} for k, v in by_key.items()}


def test_a_path_becomes_a_sqlite_file_in_a_new_folder(tmp_path, ledger):
    path = tmp_path / "out" / "history.sqlite"
    with History(path).create() as store:
        store.save_round(make_round(ledger, "2025-05", {("T1", ""): 100}))
        assert store.url == f"sqlite:///{path.resolve().as_posix()}"
    assert path.is_file()


def test_a_round_is_stored_with_every_expected_row_and_its_files(history, ledger):
    rl = make_round(ledger, "2025-05", {("T1", ""): 42000, ("T3", ""): 70, ("T3", XIANAN): 50.5})
    history.save_round(rl)
    assert history.rounds() == ["2025-05"]
    values = history.values("2025-05")
    assert set(values) == set(expected_rows(ledger))
    t1 = values[("T1", "")]
    assert t1["value"] == 42000.0 and isinstance(t1["value"], float)
    assert (t1["status"], t1["submitter"], t1["status_class"], t1["completion"]) == ("正常推进", "省教育厅", None, None)
    assert values[("T3", XIANAN)]["value"] == 50.5
    unreported = values[("T2", "")]
    assert unreported["value"] is None and unreported["submitter"] is None and unreported["file"] is None
    with history.engine.connect() as conn:
        files = conn.execute(sa.select(H.files_table)).mappings().all()
    arrived = dt.datetime(2025, 6, 3, 9, 30)
    assert sorted((f["unit"], f["late"], f["arrived"], f["state"]) for f in files) == [
        ("咸安区人民政府", False, arrived, "采用"), ("省卫健委", True, arrived, "采用"), ("省教育厅", False, arrived, "采用")]


def test_previous_values_and_increments(history, ledger):
    history.save_round(make_round(ledger, "2025-03", {("T1", ""): 10000, ("T3", XIANAN): 20}))
    history.save_round(make_round(ledger, "2025-04", {("T1", ""): 25000.5, ("T3", XIANAN): 28.2}))
    history.save_round(make_round(ledger, "2025-05", {("T1", ""): 40000, ("T3", XIANAN): 30.5,
                                                      ("T2", ""): 30}))
    assert history.rounds() == ["2025-03", "2025-04", "2025-05"]
    assert history.previous_values(parse_round("2025-05")) == {("T1", ""): 25000.5, ("T3", XIANAN): 28.2}
    assert history.previous_values("2025-04") == {("T1", ""): 10000, ("T3", XIANAN): 20}
    increments = history.increments("2025-05")
    assert increments[("T1", "")] == 14999.5
    assert increments[("T3", XIANAN)] == 2.3  # no float noise
    assert increments[("T2", "")] is None  # not reported last round
    assert increments[("T3", JIAYU)] is None  # reported in neither
    assert set(history.increments("2025-03").values()) == {None}  # 2025-02 was never collected


def test_january_is_not_compared_with_last_december(history, ledger):
    history.save_round(make_round(ledger, "2024-12", {("T1", ""): 69000}))
    history.save_round(make_round(ledger, "2025-01", {("T1", ""): 3000}))
    assert history.previous_values("2025-01") == {}
    assert history.increments("2025-01")[("T1", "")] is None
    assert history.rounds() == ["2024-12", "2025-01"]


def test_recollecting_replaces_the_round_and_audits_what_it_replaced(history, ledger):
    first = make_round(ledger, "2025-05", {("T1", ""): 40000, ("T3", XIANAN): 30})
    history.save_round(first)
    counts = [count(history, t, "2025-05") for t in (H.values_table, H.files_table, H.rounds_table)]
    history.save_round(first)  # the same round again: nothing replaced
    assert [count(history, t, "2025-05") for t in (H.values_table, H.files_table, H.rounds_table)] == counts
    assert history.audit("2025-05") == []

    again = make_round(ledger, "2025-05", {("T1", ""): 42000, ("T3", XIANAN): 30},
                       statuses={("T3", XIANAN): "滞后"}, submitters={("T3", XIANAN): "咸宁市人民政府"})
    history.save_round(again)
    history.save_round(again)  # re-saving the re-collected round adds no audit rows
    assert [count(history, t, "2025-05") for t in (H.values_table, H.files_table, H.rounds_table)] == counts
    assert history.values("2025-05")[("T1", "")]["value"] == 42000
    trail = {(a["task"], a["region"], a["field"]): a for a in history.audit("2025-05")}
    assert set(trail) == {("T1", "", "累计完成"), ("T3", XIANAN, "进展状态"), ("T3", XIANAN, "报送单位")}
    value = trail[("T1", "", "累计完成")]
    assert (value["old"], value["new"], value["reason"]) == ("40000", "42000", "重新汇总")
    assert value["old_source"] == value["new_source"] == "省教育厅5月进展.xlsx › 进展表 › C5"
    assert isinstance(value["replaced_at"], dt.datetime)
    status = trail[("T3", XIANAN, "进展状态")]
    assert (status["old"], status["new"]) == ("正常推进", "滞后")
    submitter = trail[("T3", XIANAN, "报送单位")]
    assert (submitter["old"], submitter["new"]) == ("咸安区人民政府", "咸宁市人民政府")
    assert submitter["new_source"] == "咸宁市人民政府5月进展.xlsx › 进展表 › C6"


def test_changes_between_file_versions_are_audited_once(history, ledger):
    rl = make_round(ledger, "2025-05", {("T2", ""): 30, ("T3", XIANAN): 12})
    rl.changes += [  # collect names regions as written; the store keys them as round_values does
        {"unit": "省人社厅", "task": "T2", "region": "湖北省", "field": "累计完成", "old": 28.5, "new": 30.0,
         "old_file": "省人社厅5月进展.xlsx", "new_file": "省人社厅5月进展（修改版）.xlsx"},
        {"unit": "咸安区人民政府", "task": "T3", "region": "咸安区", "field": "进展状态", "old": "正常推进",
         "new": "滞后", "old_file": "咸安区5月.xlsx", "new_file": "咸安区5月（二）.xlsx"},
    ]
    history.save_round(rl)
    history.save_round(rl)
    first, second = history.audit()
    assert (first["round_key"], first["task"], first["region"], first["field"], first["old"], first["new"],
            first["reason"]) == ("2025-05", "T2", "", "累计完成", "28.5", "30", "单位重报")
    assert first["new_source"] == "省人社厅5月进展（修改版）.xlsx"
    assert (second["task"], second["region"], second["old"], second["new"]) == ("T3", XIANAN, "正常推进", "滞后")


def test_class_changes_name_newly_lagging_and_recovered(history, ledger):
    keys = {("T1", ""): 1, ("T2", ""): 1, ("T3", ""): 1, ("T3", XIANAN): 1, ("T3", JIAYU): 1}
    history.save_round(make_round(ledger, "2025-04", keys), classes({
        ("T1", ""): "按序时", ("T2", ""): "滞后", ("T3", XIANAN): "滞后", ("T3", JIAYU): "超序时"}))
    may = classes({("T2", ""): "严重滞后", ("T3", XIANAN): Status.ON_SCHEDULE, ("T3", JIAYU): "超序时",
                   ("T3", ""): "按序时"})  # the rollup's enum is stored as its text
    may[("T1", "")] = {"status_class": "滞后", "time_progress": 41.7, "completion": 30}
    history.save_round(make_round(ledger, "2025-05", keys), may)
    assert history.class_changes("2025-05") == [
        {"task": "T1", "region": "", "old": "按序时", "new": "滞后", "kind": "新增滞后"},
        {"task": "T2", "region": "", "old": "滞后", "new": "严重滞后", "kind": "变化"},
        {"task": "T3", "region": XIANAN, "old": "滞后", "new": "按序时", "kind": "恢复"},
    ]  # 嘉鱼县 unchanged; T3 as a whole had no class last round
    t1 = history.values("2025-05")[("T1", "")]
    assert (t1["time_progress"], t1["completion"]) == (41.7, 30.0)
    assert history.class_changes("2025-04") == []  # 2025-03 not collected


def test_consecutive_lagging_counts_rounds_in_a_row(history, ledger):
    a, b, c, d = ("T1", ""), ("T2", ""), ("T3", XIANAN), ("T3", JIAYU)
    rounds = {"2025-03": {a: "滞后", b: "滞后", c: "按序时", d: "按序时"},
              "2025-04": {a: "严重滞后", b: "按序时", c: "按序时", d: "未报送"},
              "2025-05": {a: "逾期未完成", b: "滞后", c: "超序时", d: "滞后"}}
    for key, by_key in rounds.items():
        history.save_round(make_round(ledger, key, {k: 1 for k in by_key}))
        history.save_classes(key, classes(by_key))  # filled in afterwards, as the rollup will
    lagging = history.consecutive_lagging("2025-05")
    assert (lagging[a], lagging[b], lagging[c], lagging[d]) == (3, 1, 0, 2)
    assert lagging[("T3", "")] == 0  # no class: not lagging
    assert history.consecutive_lagging("2025-04")[a] == 2
    assert history.consecutive_lagging("2025-06") == {}


def test_a_missing_round_breaks_the_run(history, ledger):
    key = ("T1", "")
    for month in ("2025-02", "2025-04", "2025-05"):  # 2025-03 never collected
        history.save_round(make_round(ledger, month, {key: 1}), classes({key: "滞后"}))
    assert history.consecutive_lagging("2025-05")[key] == 2


def test_provenance_names_file_sheet_cell_and_unit(history, ledger):
    history.save_round(make_round(ledger, "2025-05", {("T1", ""): 1, ("T3", XIANAN): 50}))
    assert history.provenance("2025-05", "T3", XIANAN) == {
        "file": "咸安区人民政府5月进展.xlsx", "sheet": "进展表", "cell": "C6", "submitter": "咸安区人民政府"}
    assert history.provenance("2025-05", "T2", "")["file"] is None  # expected, not reported
    assert history.provenance("2025-04", "T1", "") == {}


@pytest.mark.skipif(not PG_URL, reason="未设置 REPORTER_TEST_PG_URL：跳过 PostgreSQL 默认 schema 检查")
def test_postgres_default_schema(ledger):
    """Without a schema the tables go where the office's role puts them (public), as production will."""
    store = History(PG_URL)
    if sa.inspect(store.engine).has_table("rounds"):
        pytest.skip("PostgreSQL 库中已有 rounds 表：不覆盖")
    try:
        store.create().create()  # twice: create only adds what is missing
        store.save_round(make_round(ledger, "2025-05", {("T1", ""): 7}))
        assert store.values("2025-05")[("T1", "")]["value"] == 7
    finally:
        H.metadata.drop_all(store.engine)
        store.close()
