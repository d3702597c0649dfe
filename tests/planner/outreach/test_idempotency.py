"""One event per idempotency key, on every database (its unique constraint meets a race)."""

import pytest
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, func, select

from planner.outreach import create_event, create_event_once, idempotency_key
from planner.store import OutreachEvent, Region, Stop, session_scope
from tests.planner.outreach.test_events import checked, entry

KEY = "form-0123456789abcdef"


def _count(engine: Engine) -> int:
    with Session(engine) as session:
        return session.exec(select(func.count()).select_from(OutreachEvent)).one()


@pytest.mark.postgres
def test_a_key_stores_one_event_even_when_two_sends_race(engine: Engine, region: Region) -> None:
    with Session(engine) as session:
        stop_id = session.exec(select(Stop.id)).first()
    assert stop_id is not None
    values = checked(entry(stop=str(stop_id)), (stop_id,))
    with session_scope(engine) as session:
        first, created = create_event_once(session, values, None, KEY)
        assert created
    with session_scope(engine) as session:
        again, created = create_event_once(session, values, None, KEY)
        assert (again.id, created) == (first.id, False)
    # The database itself refuses a second row under the key (what a racing send meets).
    with Session(engine) as session, pytest.raises(IntegrityError):
        create_event(session, values, None, KEY)
    assert _count(engine) == 1
    with session_scope(engine) as session:
        create_event_once(session, values, None, None)
        create_event_once(session, values, None, None)
    assert _count(engine) == 3


@pytest.mark.parametrize("sent", ["", "short", "a b c d e f g h", "x" * 65, "kunci\x00kunci"])
def test_what_is_not_a_key_is_ignored(sent: str) -> None:
    assert idempotency_key(sent) is None


def test_a_key_is_kept_as_sent() -> None:
    assert idempotency_key(f" {KEY} ") == KEY
