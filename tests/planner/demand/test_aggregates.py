"""Stored demand tallies give the numbers of every answer (SQLite and PostgreSQL), kept current.

The reference is the old path: every answer and visit read one by one
(compute_demand_from_answers, answer_breakdown_from_answers).
"""

import random
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, delete, func, select

from geodata import load_region
from planner.demand import (
    DemandParams,
    answer_breakdown,
    answer_breakdown_from_answers,
    compute_demand,
    compute_demand_from_answers,
    refresh_aggregates,
    refresh_stale_aggregates,
)
from planner.demand.tgm import TgmScale
from planner.outreach import create_event, update_event
from planner.store import (
    DemandAggregate,
    OutreachEvent,
    Region,
    Stop,
    SurveyBatch,
    SurveyResponse,
    Village,
    session_scope,
)
from planner.survey import import_survey, synthesize, villages_from_pack

PARAMS = (
    DemandParams(),
    DemandParams(weeks=3, interest_threshold=3),
    DemandParams(weeks=2, interest_threshold=5, share_prior_strength=0.0),
    DemandParams(interest_threshold=1, small_sample_n=0, kappa_cap=4.0),
)
ODD_ANSWERS: list[dict[str, Any]] = [
    {},  # nothing answered but the village: interest 1, no habits, no preferences
    {"minat": 4, "fm": 0.25, "dm": 1e-9, "waktu_tempuh": 0, "usia": "", "jenis_kelamin": None},
    {"minat": 5, "fm": 700, "dm": 10_000, "jb": 99, "fai": 7, "dai": 1.5, "hari": ["sun"]},
    {"minat": 3, "waktu_tempuh": 12.7, "hari": ["mon", "xyz"], "waktu": [], "topik": ["fiksi"]},
    {"minat": 2, "anggota_perpustakaan": True, "pekerjaan": "guru_pns", "usia": "lansia"},
]


def _same_everywhere(session: Session) -> None:
    """Every parameter set gives the same result, and every village the same answer counts."""
    for params in PARAMS:
        assert compute_demand(session, params) == compute_demand_from_answers(session, params)
    for code in session.exec(select(Village.code)):
        assert answer_breakdown(session, code) == answer_breakdown_from_answers(session, code)


def _log_visits(session: Session, rng: random.Random, count: int) -> None:
    stops = list(session.exec(select(Stop).order_by(col(Stop.id))))
    for _ in range(count):
        stop = rng.choice(stops)
        assert stop.id is not None
        people = {"L": rng.randint(0, 60), "P": rng.randint(0, 60)}
        session.add(
            OutreachEvent(
                stop_id=stop.id,
                starts_at=datetime(2026, 11, rng.randint(1, 28), 2, 0, tzinfo=UTC),
                event_type="dongeng",
                attendance={"anak": people, "dewasa": {"L": rng.randint(0, 9)}},
            )
        )


def _add_odd_answers(session: Session, region: Region) -> None:
    batch = SurveyBatch(region_id=region.id or 0, filename="tangan.csv", sha256="f" * 64)
    session.add(batch)
    session.flush()
    villages = list(session.exec(select(Village).order_by(col(Village.id))))
    for index, answers in enumerate(ODD_ANSWERS * 3):
        village = villages[(index * 7) % len(villages)]
        session.add(
            SurveyResponse(
                batch_id=batch.id or 0,
                village_id=village.id or 0,
                response_key=f"tangan-{index}",
                answers=answers,
            )
        )
    session.flush()


@pytest.mark.parametrize(("answers", "seed"), [(40, 1), (700, 2)])
def test_stored_tallies_give_the_numbers_of_every_answer(
    engine: Engine, region: Region, answers: int, seed: int
) -> None:
    pack = load_region("kota_banjar")
    rng = random.Random(seed)
    with session_scope(engine) as session:
        import_survey(session, region, synthesize(villages_from_pack(pack), answers, seed), "a.csv")
        import_survey(session, region, synthesize(villages_from_pack(pack), 30, seed + 9), "b.csv")
        _log_visits(session, rng, 3 + 20 * seed)
        _add_odd_answers(session, region)
        refresh_aggregates(session)
    with Session(engine) as session:
        assert refresh_stale_aggregates(session) == 0  # nothing left to compute on a read
        _same_everywhere(session)
        assert compute_demand(session).city.respondents == answers + 30 + 3 * len(ODD_ANSWERS)


@pytest.fixture
def surveyed(engine: Engine, region: Region) -> Engine:
    data = synthesize(villages_from_pack(load_region("kota_banjar")), 400, seed=5)
    with session_scope(engine) as session:
        import_survey(session, region, data, "sintetis.csv")
    return engine


def test_an_import_leaves_every_tally_current(surveyed: Engine) -> None:
    with Session(surveyed) as session:
        stored = session.exec(select(func.count()).select_from(DemandAggregate)).one()
        assert stored == 25
        assert refresh_stale_aggregates(session) == 0
        _same_everywhere(session)


def _stop_of(session: Session, code: str) -> Stop:
    village = session.exec(select(Village).where(Village.code == code)).one()
    stop = session.exec(select(Stop).where(Stop.village_id == village.id)).first()
    assert stop is not None
    return stop


def test_logged_and_moved_visits_keep_the_tallies_current(surveyed: Engine) -> None:
    from planner.outreach import EventValues

    with session_scope(surveyed) as session:
        first, second = _stop_of(session, "32.79.01.2003"), _stop_of(session, "32.79.01.1001")
        values = EventValues(
            stop_id=first.id or 0,
            visit_id=None,
            starts_at=datetime(2026, 11, 3, 2, 0, tzinfo=UTC),
            ends_at=None,
            event_type="dongeng",
            librarians=["Sari"],
            attendance={"anak": {"L": 30, "P": 41}},
            books_lent=5,
            new_members=1,
            satisfaction={},
            notes="",
        )
        event = create_event(session, values, None)
    with Session(surveyed) as session:
        assert refresh_stale_aggregates(session) == 0
        village = compute_demand(session).village("32.79.01.2003")
        assert (village.observed_visits, village.observed_mean) == (1, 71.0)
    with session_scope(surveyed) as session:
        stored = session.get(OutreachEvent, event.id)
        assert stored is not None
        moved = replace(values, stop_id=second.id or 0)
        update_event(session, stored, moved, None)
    with Session(surveyed) as session:
        assert refresh_stale_aggregates(session) == 0
        result = compute_demand(session)
        assert result.village("32.79.01.2003").observed_visits == 0
        assert result.village("32.79.01.1001").observed_visits == 1
        _same_everywhere(session)


def test_answers_stored_behind_the_tallies_back_are_still_counted(surveyed: Engine) -> None:
    with session_scope(surveyed) as session:
        _log_visits(session, random.Random(4), 5)  # no refresh
        session.exec(delete(SurveyResponse).where(col(SurveyResponse.id) % 3 == 0))
    with Session(surveyed) as session:
        _same_everywhere(session)
        assert refresh_stale_aggregates(session) > 0


def test_an_empty_table_is_filled_by_the_first_refresh(surveyed: Engine) -> None:
    with session_scope(surveyed) as session:
        session.exec(delete(DemandAggregate))
    with Session(surveyed) as session:
        _same_everywhere(session)  # computed for the read
    with session_scope(surveyed) as session:
        assert refresh_stale_aggregates(session) == 25
    with Session(surveyed) as session:
        assert refresh_stale_aggregates(session) == 0


def test_another_tgm_scale_reads_every_answer(surveyed: Engine) -> None:
    params = DemandParams(tgm=TgmScale(fm_max_per_week=3.0))
    with Session(surveyed) as session:
        assert compute_demand(session, params) == compute_demand_from_answers(session, params)
        assert compute_demand(session, params) != compute_demand(session)


def test_the_upgrade_to_0013_computes_the_tallies(engine: Engine, region: Region) -> None:
    from alembic import command

    from planner.store import alembic_config

    data = synthesize(villages_from_pack(load_region("kota_banjar")), 120, seed=8)
    with session_scope(engine) as session:
        import_survey(session, region, data, "lama.csv")
    config = alembic_config(engine.url.render_as_string(hide_password=False))
    command.downgrade(config, "0012")
    command.upgrade(config, "head")
    with Session(engine) as session:
        assert session.exec(select(func.count()).select_from(DemandAggregate)).one() == 25
        assert refresh_stale_aggregates(session) == 0
        _same_everywhere(session)


def test_a_stop_moved_to_another_village_takes_its_visits_along(surveyed: Engine) -> None:
    from planner.editing import save_record

    with session_scope(surveyed) as session:
        stop = _stop_of(session, "32.79.01.2003")
        _log_visits_at(session, stop, 2)
        refresh_aggregates(session)
    with Session(surveyed, expire_on_commit=False) as session:
        stop = _stop_of(session, "32.79.01.2003")
        target = session.exec(select(Village).where(Village.code == "32.79.01.1001")).one()
        stop.village_id = target.id or 0
        save_record(session, stop)
    with Session(surveyed) as session:
        assert refresh_stale_aggregates(session) == 0
        result = compute_demand(session)
        assert result.village("32.79.01.2003").observed_visits == 0
        assert result.village("32.79.01.1001").observed_visits == 2
        _same_everywhere(session)


def _log_visits_at(session: Session, stop: Stop, count: int) -> None:
    for day in range(1, count + 1):
        session.add(
            OutreachEvent(
                stop_id=stop.id or 0,
                starts_at=datetime(2026, 11, day, 2, 0, tzinfo=UTC),
                event_type="dongeng",
                attendance={"anak": {"L": 10, "P": 12}},
            )
        )
    session.flush()
