"""Writers at once: read-then-write transactions never meet "database is locked", and a busy
database (PostgreSQL deadlock) is tried again."""

import datetime as dt
import threading
import time
from collections.abc import Callable

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, func, select

from planner.store import ClosedDay, Region, in_transaction, make_engine, session_scope

THREADS = 8
WRITES_PER_THREAD = 6
FIRST_DAY = dt.date(2030, 1, 1)


def _at_once(work: Callable[[int], None]) -> list[BaseException]:
    """Run `work(thread_index)` on THREADS threads started together; the errors they raised."""
    errors: list[BaseException] = []
    start = threading.Barrier(THREADS)

    def run(index: int) -> None:
        start.wait()
        try:
            work(index)
        except BaseException as error:  # noqa: BLE001 - collected and asserted on below
            errors.append(error)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def _closed_days(engine: Engine) -> list[dt.date]:
    with Session(engine) as session:
        return sorted(row.date for row in session.exec(select(ClosedDay)).all())


def test_read_then_write_transactions_at_once_all_store_once(
    engine: Engine, region: Region
) -> None:
    """Each transaction counts the rows, then adds one: the shape that used to fail at once
    with "database is locked" on SQLite (deferred BEGIN, another writer committed between)."""
    assert region.id is not None
    region_id = region.id

    def work(index: int) -> None:
        for number in range(WRITES_PER_THREAD):
            with session_scope(engine) as session:
                session.exec(select(func.count()).select_from(ClosedDay)).one()
                day = FIRST_DAY + dt.timedelta(days=index * WRITES_PER_THREAD + number)
                session.add(ClosedDay(region_id=region_id, date=day, reason=f"uji {index}"))

    assert _at_once(work) == []
    expected = [FIRST_DAY + dt.timedelta(days=n) for n in range(THREADS * WRITES_PER_THREAD)]
    assert _closed_days(engine) == expected


def test_a_reader_does_not_wait_for_a_writer(engine: Engine, region: Region) -> None:
    """A transaction holding the write lock does not stop a read (WAL on SQLite)."""
    assert region.id is not None
    with session_scope(engine) as writer:
        writer.add(ClosedDay(region_id=region.id, date=FIRST_DAY, reason="belum tersimpan"))
        writer.flush()
        with session_scope(engine, write=False) as reader:
            assert reader.exec(select(func.count()).select_from(ClosedDay)).one() == 0
    assert _closed_days(engine) == [FIRST_DAY]


@pytest.mark.postgres
def test_a_deadlock_on_postgresql_is_tried_again(postgres_engine: Engine) -> None:
    """Two units of work lock two rows in opposite order: PostgreSQL breaks the deadlock by
    failing one (40P01); in_transaction runs that one again, so both are stored."""
    with postgres_engine.begin() as connection:
        connection.execute(text("DROP TABLE IF EXISTS uji_kunci"))
        connection.execute(text("CREATE TABLE uji_kunci (id int PRIMARY KEY, n int NOT NULL)"))
        connection.execute(text("INSERT INTO uji_kunci VALUES (1, 0), (2, 0)"))
    both_locked = threading.Barrier(2, timeout=10)
    tries = [0, 0]

    def unit(first: int, second: int, index: int) -> Callable[[Session], None]:
        def work(session: Session) -> None:
            tries[index] += 1
            session.execute(text("UPDATE uji_kunci SET n = n + 1 WHERE id = :id"), {"id": first})
            if tries[index] == 1:
                both_locked.wait()
            session.execute(text("UPDATE uji_kunci SET n = n + 1 WHERE id = :id"), {"id": second})

        return work

    def work(index: int) -> None:
        first, second = (1, 2) if index == 0 else (2, 1)
        in_transaction(postgres_engine, unit(first, second, index))

    errors: list[BaseException] = []
    threads = [threading.Thread(target=lambda i=i: _collect(errors, work, i)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    try:
        assert errors == []
        assert sorted(tries) == [1, 2]  # one was chosen as the deadlock victim and ran again
        with postgres_engine.connect() as connection:
            rows = connection.execute(text("SELECT n FROM uji_kunci ORDER BY id")).all()
        assert [n for (n,) in rows] == [2, 2]
    finally:
        with postgres_engine.begin() as connection:
            connection.execute(text("DROP TABLE uji_kunci"))


def _collect(errors: list[BaseException], work: Callable[[int], None], index: int) -> None:
    try:
        work(index)
    except BaseException as error:  # noqa: BLE001 - asserted on by the caller
        errors.append(error)


def _sqlite_only(engine: Engine) -> None:
    if engine.dialect.name != "sqlite":
        pytest.skip("SQLite's write lock")


def _impatient(engine: Engine) -> Engine:
    """Another engine on the same SQLite file that waits briefly for the write lock."""
    return make_engine(engine.url.render_as_string(), busy_timeout_s=0.02, write_retry_s=0.4)


def _add_closed_day(session: Session) -> None:
    session.exec(select(func.count()).select_from(ClosedDay)).one()
    session.add(ClosedDay(region_id=1, date=FIRST_DAY, reason="uji"))


def test_a_writer_waits_for_the_lock_and_then_stores(engine: Engine, region: Region) -> None:
    """The write lock is held by another connection for a moment: BEGIN IMMEDIATE is tried
    again until it is free, and the unit of work is stored once."""
    _sqlite_only(engine)
    impatient = _impatient(engine)
    blocker = engine.raw_connection()
    try:
        blocker.execute("BEGIN IMMEDIATE")
        timer = threading.Timer(0.15, blocker.rollback)
        timer.start()
        in_transaction(impatient, _add_closed_day)
        timer.join()
    finally:
        blocker.close()
        impatient.dispose()
    assert _closed_days(engine) == [FIRST_DAY]


def test_a_busy_database_is_not_waited_for_beyond_the_bound(engine: Engine, region: Region) -> None:
    """The lock stays taken: the writer gives up after its bound with the database's error."""
    _sqlite_only(engine)
    impatient = _impatient(engine)
    blocker = engine.raw_connection()
    try:
        blocker.execute("BEGIN IMMEDIATE")
        started = time.monotonic()
        with pytest.raises(OperationalError, match="locked"):
            in_transaction(impatient, _add_closed_day, within_s=0.5)
        assert time.monotonic() - started < 5
    finally:
        blocker.rollback()
        blocker.close()
        impatient.dispose()
    assert _closed_days(engine) == []
