"""Who a row is: edited Kobo/ODK submissions replace their earlier version; rows without ids are
never merged by their answers alone (SQLite and PostgreSQL)."""

import sqlite3
from collections.abc import Sequence
from pathlib import Path

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, func, select

from geodata import load_region
from planner.core import ImportRejectedError, language
from planner.store import (
    Region,
    SurveyBatch,
    SurveyResponse,
    install_region,
    make_engine,
    migrate,
    session_scope,
)
from planner.survey import describe_import, import_survey
from planner.survey.store import SurveyImportResult
from tests.factories import SURVEY_HEADER, SURVEY_ROWS, survey_csv

KOBO_IDS = ("_id", "_uuid", "meta/rootUuid", "meta/deprecatedID")
ODK_IDS = ("meta-instanceID", "KEY")
MINAT = SURVEY_HEADER.index("minat")


def _kobo(rows: Sequence[tuple[Sequence[str], str, str, str]]) -> bytes:
    """A Kobo CSV: each row's answers, _uuid, meta/rootUuid and meta/deprecatedID."""
    lines = [
        [*answers, str(100 + n), uuid, f"uuid:{root}", f"uuid:{old}" if old else ""]
        for n, (answers, uuid, root, old) in enumerate(rows)
    ]
    return survey_csv(lines, SURVEY_HEADER + KOBO_IDS).encode()


def _odk(rows: Sequence[tuple[Sequence[str], str, str]]) -> bytes:
    """An ODK Central CSV: each row's answers, meta-instanceID and KEY."""
    lines = [[*answers, f"uuid:{instance}", f"uuid:{key}"] for answers, instance, key in rows]
    return survey_csv(lines, SURVEY_HEADER + ODK_IDS).encode()


def _edited(row: Sequence[str], minat: str) -> list[str]:
    changed = list(row)
    changed[MINAT] = minat
    return changed


def _import(engine: Engine, region: Region, data: bytes, **kwargs: object) -> SurveyImportResult:
    with session_scope(engine) as session:
        return import_survey(session, region, data, "survei.csv", **kwargs)  # type: ignore[arg-type]


def _stored_minat(engine: Engine) -> list[int]:
    with Session(engine) as session:
        rows = session.exec(select(SurveyResponse).order_by(col(SurveyResponse.id)))
        return [r.answers["minat"] for r in rows]


def _count(engine: Engine) -> int:
    with Session(engine) as session:
        return session.exec(select(func.count()).select_from(SurveyResponse)).one()


FIRST = [(SURVEY_ROWS[0], "a1", "a1", ""), (SURVEY_ROWS[1], "b1", "b1", "")]


def test_kobo_edited_submission_replaces_its_earlier_version(
    engine: Engine, region: Region
) -> None:
    assert _import(engine, region, _kobo(FIRST)).new == 2
    again = [
        (SURVEY_ROWS[0], "a1", "a1", ""),
        (_edited(SURVEY_ROWS[1], "1"), "b2", "b1", "b1"),
        (SURVEY_ROWS[2], "c1", "c1", ""),
    ]
    result = _import(engine, region, _kobo(again))
    assert (result.new, result.updated, result.duplicates) == (1, 1, 1)
    assert _stored_minat(engine) == [5, 1, 2]
    assert "Submisi yang disunting menggantikan versi sebelumnya: 1." in describe_import(result)
    with Session(engine) as session:
        batch = session.exec(select(SurveyBatch).order_by(col(SurveyBatch.id).desc())).first()
    assert batch is not None and (batch.response_count, batch.updated_count) == (2, 1)


def test_odk_central_edit_keeps_its_key_and_replaces_the_answers(
    engine: Engine, region: Region
) -> None:
    _import(engine, region, _odk([(SURVEY_ROWS[0], "x1", "x1"), (SURVEY_ROWS[1], "y1", "y1")]))
    edited = [(_edited(SURVEY_ROWS[0], "2"), "x2", "x1"), (SURVEY_ROWS[1], "y1", "y1")]
    result = _import(engine, region, _odk(edited))
    assert (result.new, result.updated, result.duplicates) == (0, 1, 1)
    assert _stored_minat(engine) == [2, 4]
    unchanged = _import(engine, region, _odk(edited[::-1]))
    assert (unchanged.new, unchanged.updated, unchanged.duplicates) == (0, 0, 2)


def test_an_edit_seen_twice_in_a_row_of_downloads_is_stored_once(
    engine: Engine, region: Region
) -> None:
    """Without meta/rootUuid, the edit history (deprecatedID) still finds the stored row."""
    header = SURVEY_HEADER + ("_uuid", "meta/deprecatedID")
    first = survey_csv([[*SURVEY_ROWS[0], "a1", ""]], header).encode()
    second = survey_csv([[*_edited(SURVEY_ROWS[0], "3"), "a2", "uuid:a1"]], header).encode()
    third = survey_csv([[*_edited(SURVEY_ROWS[0], "1"), "a3", "uuid:a2"]], header).encode()
    for data in (first, second, third):
        _import(engine, region, data)
    assert _stored_minat(engine) == [1]


def test_the_same_uuid_twice_in_one_file_is_refused_naming_both_rows(
    engine: Engine, region: Region
) -> None:
    rows = [(SURVEY_ROWS[0], "a1", "a1", ""), (SURVEY_ROWS[1], "a1", "a1", "")]
    with pytest.raises(ImportRejectedError, match=r"baris 3: .*'a1'.* baris 2"):
        _import(engine, region, _kobo(rows))
    assert _count(engine) == 0


def test_the_same_root_twice_without_an_edit_is_refused(engine: Engine, region: Region) -> None:
    rows = [(SURVEY_ROWS[0], "a1", "r", ""), (SURVEY_ROWS[1], "a2", "r", "")]
    with language("en"), pytest.raises(ImportRejectedError, match=r"row 3: .*'r'.* row 2"):
        _import(engine, region, _kobo(rows))
    assert _count(engine) == 0


def test_both_versions_in_one_file_store_the_edit(engine: Engine, region: Region) -> None:
    rows = [(SURVEY_ROWS[0], "a1", "a1", ""), (_edited(SURVEY_ROWS[0], "1"), "a2", "a1", "a1")]
    result = _import(engine, region, _kobo(rows))
    assert (result.responses, result.new, result.duplicates) == (2, 1, 1)
    assert _stored_minat(engine) == [1]


def test_two_enumerators_with_identical_answers_need_a_choice(
    engine: Engine, region: Region
) -> None:
    first = survey_csv(SURVEY_ROWS[:2]).encode()
    second = survey_csv([SURVEY_ROWS[0], SURVEY_ROWS[2]]).encode()
    _import(engine, region, first)
    asked = _import(engine, region, second)
    assert (asked.needs_choice, asked.overlap, asked.batch_id) == (True, 1, None)
    assert "1 dari 2 responden" in describe_import(asked)
    assert _count(engine) == 2
    added = _import(engine, region, second, overlap="add")
    assert (added.new, added.overlap, added.needs_choice) == (2, 1, False)
    assert _count(engine) == 4


def test_skipping_the_overlap_stores_only_the_other_rows(engine: Engine, region: Region) -> None:
    _import(engine, region, survey_csv(SURVEY_ROWS[:2]).encode())
    result = _import(engine, region, survey_csv(SURVEY_ROWS).encode(), overlap="skip")
    assert (result.new, result.duplicates, result.overlap) == (1, 2, 2)
    assert _count(engine) == 3
    assert _import(engine, region, survey_csv(SURVEY_ROWS).encode()).already_imported


def test_identical_rows_within_one_file_are_all_stored(engine: Engine, region: Region) -> None:
    result = _import(engine, region, survey_csv([SURVEY_ROWS[0]] * 12).encode())
    assert (result.new, result.overlap) == (12, 0)
    assert _count(engine) == 12


def test_a_dry_run_reports_the_overlap_and_stores_nothing(engine: Engine, region: Region) -> None:
    _import(engine, region, survey_csv(SURVEY_ROWS[:1]).encode())
    result = _import(engine, region, survey_csv(SURVEY_ROWS).encode(), dry_run=True)
    assert (result.overlap, result.needs_choice, result.new) == (1, True, 2)
    assert _count(engine) == 1


def test_progress_is_reported_up_to_the_total(engine: Engine, region: Region) -> None:
    seen: list[tuple[int, int]] = []
    _import(
        engine, region, survey_csv(SURVEY_ROWS).encode(), progress=lambda d, t: seen.append((d, t))
    )
    assert seen[0] == (0, 3) and seen[-1] == (3, 3)


def test_rows_stored_before_migration_0012_are_still_recognised(
    engine: Engine, region: Region
) -> None:
    """Earlier imports keyed rows "id:<instance id>" (with or without "uuid:") or
    "h:<digest>:<n>"; 0012 copies the ids and digests out, so re-imports still find them."""
    from alembic import command
    from sqlalchemy import text

    from planner.store import alembic_config

    _import(engine, region, _kobo(FIRST))
    _import(engine, region, survey_csv(SURVEY_ROWS[2:]).encode())
    with engine.begin() as connection:
        connection.execute(text(
            "UPDATE surveyresponse SET response_key = CASE response_key"
            " WHEN 'id:a1' THEN 'id:uuid:a1' WHEN 'id:b1' THEN 'id:b1'"
            " ELSE 'h:' || answers_digest || '\\:1' END"
        ))  # fmt: skip
    config = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.connect() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0011")
        connection.commit()
    migrate(engine)
    again = [(SURVEY_ROWS[0], "a1", "a1", ""), (_edited(SURVEY_ROWS[1], "1"), "b2", "b1", "b1")]
    result = _import(engine, region, _kobo(again))
    assert (result.new, result.updated, result.duplicates) == (0, 1, 1)
    assert _stored_minat(engine) == [5, 1, 2]
    overlapping = _import(engine, region, survey_csv([SURVEY_ROWS[2]] * 2).encode())
    assert (overlapping.needs_choice, overlapping.overlap) == (True, 1)


def test_more_rows_than_one_sql_statement_may_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLite built with the old limit of 999 variables: 1,500 ids import, then re-import."""
    engine = make_engine(f"sqlite:///{tmp_path / 'limited.db'}")
    event.listen(
        engine,
        "connect",
        lambda connection, _record: connection.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 999),
    )
    migrate(engine)
    with session_scope(engine) as session:
        region, _ = install_region(session, load_region("kota_banjar"))
    monkeypatch.setattr("planner.survey.bulk.WRITE_ROWS", 500)
    rows: list[tuple[Sequence[str], str, str, str]] = [
        (SURVEY_ROWS[n % 3], f"u{n}", f"u{n}", "") for n in range(1500)
    ]
    seen: list[tuple[int, int]] = []
    first = _import(engine, region, _kobo(rows), progress=lambda d, t: seen.append((d, t)))
    assert first.new == 1500 and seen == [(0, 1500), (500, 1500), (1000, 1500), (1500, 1500)]
    rows[700] = (_edited(SURVEY_ROWS[1], "1"), "u700-2", "u700", "u700")
    again = _import(engine, region, _kobo(rows))
    assert (again.new, again.updated, again.duplicates) == (0, 1, 1499)
    assert _count(engine) == 1500
    engine.dispose()


def test_rows_stored_meanwhile_by_another_import_refuse_cleanly(
    engine: Engine, region: Region, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Looked up as new, stored by a concurrent import before this one writes: one message."""
    from planner.survey import store

    _import(engine, region, _kobo(FIRST))
    monkeypatch.setattr(
        store, "_match_submissions", lambda _s, chunk, _c, plan, _k: plan.new.extend(chunk)
    )
    with pytest.raises(ImportRejectedError, match="impor lain baru saja menyimpan"):
        _import(engine, region, _kobo(FIRST[::-1]))
    assert _count(engine) == 2


def test_kobo_export_with_every_id_column_recognises_its_edit(
    engine: Engine, region: Region
) -> None:
    """`_uuid` (bare) and `meta/instanceID` ("uuid:...") name the same version."""
    header = (*SURVEY_HEADER, "meta/instanceID", "meta/rootUuid", "meta/deprecatedID", "_uuid")
    first = [[*SURVEY_ROWS[0], "uuid:a1", "uuid:a1", "", "a1"]]
    edited = [[*_edited(SURVEY_ROWS[0], "2"), "uuid:a2", "uuid:a1", "uuid:a1", "a2"]]
    assert _import(engine, region, survey_csv(first, header).encode()).new == 1
    result = _import(engine, region, survey_csv(edited, header).encode())
    assert (result.new, result.updated) == (0, 1)
    with Session(engine) as session:
        stored = session.exec(select(SurveyResponse)).one()
    assert (stored.response_key, stored.instance_id, stored.answers["minat"]) == ("id:a1", "a2", 2)
