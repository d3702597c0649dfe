"""Logging outreach events through the pages, shared by the event page tests."""

import shutil
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, select

from planner.outreach import TodayVisit, today_visits
from planner.store import OutreachEvent, Stop, Village
from tests.factories import TODAY, publish_for_today

BALOKANG, HEGARSARI = "32.79.01.2003", "32.79.02.1001"
XSS = "<script>alert(1)</script>"


def planned_copy(template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the demo database with a published week starting today."""
    path = tmp_path_factory.mktemp("events") / "planned.db"
    shutil.copyfile(template, path)
    publish_for_today(path)
    return path


def _db(app: Flask) -> Session:
    return Session(app.extensions["keliling.engine"], expire_on_commit=False)


def _stop_id(app: Flask, code: str = BALOKANG) -> int:
    with _db(app) as session:
        stop = session.exec(select(Stop).join(Village).where(Village.code == code)).first()
        assert stop is not None and stop.id is not None
        return stop.id


def _events(app: Flask) -> list[OutreachEvent]:
    with _db(app) as session:
        return list(session.exec(select(OutreachEvent).order_by(OutreachEvent.id)))


def _visits(app: Flask) -> list[TodayVisit]:
    with _db(app) as session:
        return today_visits(session, TODAY)


def _stop_select(page: str) -> str:
    return page.split('<select id="stop"')[1].split("</select>")[0]


def _form(stop_id: int, **changes: object) -> dict[str, object]:
    """A valid form for today 08:00-09:00: 12 children, 3 teenagers, 9 books."""
    form: dict[str, object] = {
        "date": TODAY.isoformat(), "start": "08:00", "end": "09:00", "stop": str(stop_id),
        "event_type": "dongeng", "librarians": "Ani, Budi", "anak_L": "5", "anak_P": "7",
        "remaja_L": "", "remaja_P": "3", "dewasa_L": "", "dewasa_P": "", "lansia_L": "",
        "lansia_P": "", "books_lent": "9", "new_members": "1", "satisfaction_5": "4",
        "notes": "Anak-anak minta buku dongeng lagi", "visit": "",
    }  # fmt: skip
    form.update(changes)
    return form


def _log(client: FlaskClient, stop_id: int, **changes: object) -> int:
    response = client.post("/kegiatan/baru", data=_form(stop_id, **changes))
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.headers["Location"].rsplit("event-", 1)[1])
