"""The demand model fed from the database (SQLite and PostgreSQL), logged visits included."""

from datetime import UTC, datetime

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from geodata import load_region
from planner.core import NotFoundError
from planner.demand import (
    answer_breakdown,
    compute_demand,
    event_attendance,
    respondent_from_answers,
)
from planner.store import OutreachEvent, Region, Stop, Village, session_scope
from planner.survey import import_survey, synthesize, villages_from_pack

BALOKANG = "32.79.01.2003"


@pytest.fixture
def surveyed(engine: Engine, region: Region) -> Engine:
    data = synthesize(villages_from_pack(load_region("kota_banjar")), 300, seed=3)
    with session_scope(engine) as session:
        import_survey(session, region, data, "sintetis.csv")
    return engine


def _village(result, code: str):  # type: ignore[no-untyped-def]
    return next(v for v in result.villages if v.code == code)


def test_every_village_gets_a_row_and_respondents_add_up(surveyed: Engine) -> None:
    with Session(surveyed) as session:
        result = compute_demand(session)
    assert len(result.villages) == 25
    assert sum(v.respondents for v in result.villages) == 300 == result.city.respondents
    depot_village = _village(result, "32.79.01.1001")
    assert depot_village.distance_km == pytest.approx(0.0, abs=0.01)  # the library is there
    assert max(v.distance_km for v in result.villages) > 10


def test_logged_visits_pull_expected_attendance_toward_what_was_seen(surveyed: Engine) -> None:
    with Session(surveyed) as session:
        before = _village(compute_demand(session), BALOKANG)
    with session_scope(surveyed) as session:
        village = session.exec(select(Village).where(Village.code == BALOKANG)).one()
        stop = session.exec(select(Stop).where(Stop.village_id == village.id)).one()
        assert stop.id is not None
        for total in (70, 80):
            session.add(
                OutreachEvent(
                    stop_id=stop.id,
                    starts_at=datetime(2026, 11, 2, 2, 0, tzinfo=UTC),
                    event_type="dongeng",
                    attendance={"anak": {"L": total // 2, "P": total - total // 2}},
                )
            )
    with Session(surveyed) as session:
        after = _village(compute_demand(session), BALOKANG)
    assert (after.observed_visits, after.observed_mean) == (2, 75.0)
    # Three model-visits of weight against two observed visits: (3·model + 150) / 5.
    expected = (3 * before.model_attendance + 150) / 5
    assert after.expected_attendance == pytest.approx(min(expected, 80), abs=0.1)
    assert after.expected_attendance > before.expected_attendance


def test_breakdown_counts_each_answer(surveyed: Engine) -> None:
    with Session(surveyed) as session:
        result = compute_demand(session)
        breakdown = {b.question: b for b in answer_breakdown(session, BALOKANG)}
    village = _village(result, BALOKANG)
    interest = breakdown["minat"]
    assert interest.answered == village.respondents
    assert sum(count for _, count in interest.counts) == village.respondents
    assert [label[0] for label, _ in interest.counts] == ["1", "2", "3", "4", "5"]
    with Session(surveyed) as session, pytest.raises(NotFoundError):
        answer_breakdown(session, "32.79.09.9999")


def test_event_attendance_sums_every_group() -> None:
    attendance = {"anak": {"L": 3, "P": 4}, "dewasa": {"L": 1, "P": 2}, "lansia": {}}
    assert event_attendance(attendance) == 10


def test_stored_answers_become_model_respondents() -> None:
    answers = {
        "minat": 4, "fm": 5, "dm": 90, "jb": 3, "fai": 7, "dai": 60, "hari": ["mon", "sat"],
        "waktu": ["sore"], "topik": ["anak"], "waktu_tempuh": 25, "usia": "anak",
        "jenis_kelamin": "P",
    }  # fmt: skip
    respondent = respondent_from_answers(BALOKANG, answers)
    assert respondent.interest == 4 and respondent.days == frozenset({"mon", "sat"})
    assert (respondent.travel_minutes, respondent.age_group) == (25.0, "anak")
