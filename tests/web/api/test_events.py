"""Logging outreach events through the API: stored as sent, filtered, checked, kept as data."""

import datetime as dt
from pathlib import Path

import pytest

from tests.web.api.helpers import DAY, XSS, Call, event_body, planned_copy


@pytest.fixture(scope="module")
def app_database_template(
    app_database_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """The demo database with a published week starting today (planned once per module)."""
    return planned_copy(app_database_template, tmp_path_factory)


def test_a_logged_event_is_stored_as_sent_and_found_by_its_filters(call: Call) -> None:
    response = call("/events", role="staf", method="POST", json=event_body())
    assert response.status_code == 201
    event = response.json
    assert response.headers["Location"] == f"/api/v1/events/{event['id']}"
    assert event["attendance"]["anak"] == {"L": 3, "P": 4} and event["attendance_total"] == 9
    assert event["attendance"]["remaja"] == {"L": 0, "P": 0}
    assert event["satisfaction"] == {"1": 0, "2": 0, "3": 0, "4": 2, "5": 5}
    assert event["starts_at"] == f"{DAY.isoformat()}T09:00:00+07:00"
    assert event["village_code"] == "32.79.01.1001" and event["librarians"] == ["Ani", "Budi"]
    assert call(f"/events/{event['id']}", role="staf").json == event
    day = DAY.isoformat()
    matching = [f"from={day}&to={day}", "village=32.79.01.1001", "type=dongeng", ""]
    for query in matching:
        assert call(f"/events?{query}").json == {"items": [event], "total": 1}, query
    later = (DAY + dt.timedelta(days=1)).isoformat()
    for query in (f"from={later}", "village=32.79.01.2003", "type=lomba"):
        assert call(f"/events?{query}").json == {"items": [], "total": 0}, query


def test_bad_events_are_refused_with_a_reason_per_field(call: Call) -> None:
    bad = event_body(
        stop_id=999,
        starts_at="besok pagi",
        event_type="konser",
        attendance={"anak": {"L": -1, "X": 2}, "bayi": {"L": 1}},
        books_lent="12",
        new_members=1.5,
        satisfaction={"6": 1},
    )
    response = call("/events", method="POST", json=bad)
    assert response.status_code == 422
    fields = response.json["error"]["fields"]
    assert fields == {
        "starts_at": "harus tanggal-waktu ISO 8601, mis. 2025-03-03T09:00:00+07:00",
        "attendance.anak.L": "tidak boleh negatif",
        "attendance.anak.X": "kolom tidak dikenal",
        "attendance.bayi": "kolom tidak dikenal",
        "books_lent": "harus bilangan bulat",
        "new_members": "harus bilangan bulat",
        "satisfaction.6": "kolom tidak dikenal",
    }
    rules = call("/events", method="POST", json=event_body(stop_id=999, event_type="konser"))
    assert rules.json["error"]["fields"]["stop_id"] == "titik layanan #999 tidak ada"
    assert "jenis kegiatan" in rules.json["error"]["fields"]["event_type"]
    future = call("/events", method="POST", json=event_body(starts_at="2099-01-01T09:00:00"))
    assert "terlalu jauh ke depan" in future.json["error"]["fields"]["starts_at"]
    malformed = call("/events", method="POST", data="{", content_type="application/json")
    assert malformed.status_code == 400
    assert call("/events", method="POST", data="stop_id=1").status_code == 415
    assert call("/events", method="POST", json=[1]).json["error"]["fields"] == {
        "body": "harus berupa objek JSON"
    }
    assert call("/events").json["total"] == 0


def test_text_that_looks_like_html_is_data_never_markup(call: Call) -> None:
    created = call("/events", method="POST", json=event_body(notes=XSS, librarians=[XSS]))
    raw = call(f"/events/{created.json['id']}")
    assert raw.mimetype == "application/json" and raw.headers["X-Content-Type-Options"] == "nosniff"
    assert b"<script>" not in raw.data and b"\\u003cscript\\u003e" in raw.data
    assert raw.json["notes"] == XSS and raw.json["librarians"] == [XSS]
