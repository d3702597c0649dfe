"""Storing surveys on SQLite and PostgreSQL: all or nothing, each respondent once."""

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, func, select

from geodata import load_region
from planner.core import ImportRejectedError
from planner.store import Region, SurveyBatch, SurveyResponse, session_scope
from planner.survey import import_survey, synthesize, villages_from_pack
from tests.factories import SURVEY_HEADER, SURVEY_ROWS, survey_csv, survey_xlsx


def _counts(engine: Engine) -> tuple[int, int]:
    with Session(engine) as session:
        batches = session.exec(select(func.count()).select_from(SurveyBatch)).one()
        responses = session.exec(select(func.count()).select_from(SurveyResponse)).one()
    return batches, responses


def _import(engine: Engine, region: Region, data: bytes, **kwargs: object):  # type: ignore[no-untyped-def]
    with session_scope(engine) as session:
        return import_survey(session, region, data, "survei.csv", **kwargs)  # type: ignore[arg-type]


def test_import_stores_one_batch_with_its_respondents(engine: Engine, region: Region) -> None:
    result = _import(engine, region, survey_csv().encode())
    assert (result.new, result.duplicates, result.synthetic) == (3, 0, False)
    assert _counts(engine) == (1, 3)


def test_same_file_again_adds_nothing(engine: Engine, region: Region) -> None:
    data = survey_csv().encode()
    _import(engine, region, data)
    again = _import(engine, region, data)
    assert again.already_imported and again.new == 0
    assert _counts(engine) == (1, 3)


def test_same_answers_in_another_format_wait_for_the_users_choice(
    engine: Engine, region: Region
) -> None:
    """Without ids, matching answers may be other people: nothing is stored until asked."""
    _import(engine, region, survey_csv().encode())
    again = _import(engine, region, survey_xlsx())
    assert (again.needs_choice, again.overlap, again.new) == (True, 3, 0)
    assert _counts(engine) == (1, 3)
    skipped = _import(engine, region, survey_xlsx(), overlap="skip")
    assert (skipped.new, skipped.duplicates, skipped.needs_choice) == (0, 3, False)
    assert _counts(engine) == (1, 3)


def test_a_new_export_with_more_answers_adds_only_the_new_ones(
    engine: Engine, region: Region
) -> None:
    _import(engine, region, survey_csv(SURVEY_ROWS[:2]).encode())
    result = _import(engine, region, survey_csv().encode(), overlap="skip")
    assert (result.new, result.duplicates) == (1, 2)
    assert _counts(engine) == (2, 3)


def test_dry_run_stores_nothing(engine: Engine, region: Region) -> None:
    result = _import(engine, region, survey_csv().encode(), dry_run=True)
    assert (result.responses, result.new, result.dry_run) == (3, 3, True)
    assert _counts(engine) == (0, 0)


def test_bad_row_leaves_the_database_unchanged(engine: Engine, region: Region) -> None:
    _import(engine, region, survey_csv(SURVEY_ROWS[:1]).encode())
    rows = [list(r) for r in SURVEY_ROWS]
    rows[2][0] = "Atlantis"
    with pytest.raises(ImportRejectedError, match="baris 4, kolom desa"):
        _import(engine, region, survey_csv(rows).encode())
    assert _counts(engine) == (1, 1)


def test_synthetic_survey_is_flagged_and_spread_unevenly(engine: Engine, region: Region) -> None:
    data = synthesize(villages_from_pack(load_region("kota_banjar")), 400, seed=7)
    result = _import(engine, region, data)
    assert (result.new, result.synthetic) == (400, True)
    with Session(engine) as session:
        batch = session.exec(select(SurveyBatch)).one()
        per_village = session.exec(
            select(SurveyResponse.village_id, func.count()).group_by(SurveyResponse.village_id)
        ).all()
    assert batch.synthetic
    counts = sorted(count for _, count in per_village)
    assert len(counts) < 25  # some villages have no answers at all
    assert counts[0] <= 3  # and some only a handful
    assert counts[-1] >= 30


def test_synthetic_generator_is_reproducible() -> None:
    villages = villages_from_pack(load_region("kota_banjar"))
    assert synthesize(villages, 50, seed=1) == synthesize(villages, 50, seed=1)
    assert synthesize(villages, 50, seed=1) != synthesize(villages, 50, seed=2)


def test_free_text_is_stored_exactly(engine: Engine, region: Region) -> None:
    """Tabs, backslashes, quotes and non-ASCII survive the bulk insert (COPY on PostgreSQL)."""
    text = "Buku\tanak \\ \"kutip\" 'x' — é, NULL \\N"
    header = (*SURVEY_HEADER, "kebutuhan_informasi")
    _import(engine, region, survey_csv([[*SURVEY_ROWS[0], text]], header).encode())
    with Session(engine) as session:
        stored = session.exec(select(SurveyResponse)).one()
    assert stored.answers["kebutuhan_informasi"] == text
    assert stored.answers["minat"] == 5 and stored.instance_id is None
