"""Check-ins from the route page: recorded once and checked (offline taps: test_offline_checkin)."""

import datetime as dt
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from tests.factories import WIB, checkins, link, route_data


def test_tiba_then_selesai_are_recorded_once_each_even_when_sent_twice(
    app: Flask, client: FlaskClient, route: dict[str, Any]
) -> None:
    path, visit_id = link(app, route), route["visits"][0]["visit_id"]
    now = dt.datetime.now(WIB).replace(microsecond=0)
    # Twenty minutes ago, but on the route's day (today) even just after midnight.
    tapped = max(now - dt.timedelta(minutes=20), now.replace(hour=0, minute=0, second=0))
    body = {"visit_id": visit_id, "status": "tiba", "tapped_at": tapped.isoformat()}
    first = client.post(path + "/checkin", json=body)
    assert first.status_code == 201 and first.json is not None
    assert first.json["created"] is True and first.json["label"] == f"Tiba {tapped:%H:%M}"
    again = client.post(
        path + "/checkin", json={**body, "tapped_at": dt.datetime.now(WIB).isoformat()}
    )
    assert again.status_code == 200 and again.json is not None and again.json["created"] is False
    assert "pertama" in again.json["message"]  # the answer says the first tap is kept
    form = {"visit_id": str(visit_id), "status": "selesai"}
    for _ in range(2):
        response = client.post(path + "/checkin", data=form)
        assert response.status_code == 302
        assert response.headers["Location"].endswith(f"{path}#stop-{visit_id}")
    page = client.get(path).get_data(as_text=True)
    assert "Sudah tercatat: Selesai" in page  # the second form post's flash
    stored = checkins(app, visit_id)
    assert sorted(c.status for c in stored) == ["selesai", "tiba"]
    tiba = next(c for c in stored if c.status == "tiba")
    assert tiba.tapped_at is not None
    assert tiba.tapped_at.replace(tzinfo=tiba.tapped_at.tzinfo or dt.UTC) == tapped
    assert f'<span class="done" data-status="tiba">Tiba {tapped:%H:%M}</span>' in page
    assert 'data-status="selesai">Selesai ' in page


def test_dilewati_needs_a_reason(app: Flask, client: FlaskClient, route: dict[str, Any]) -> None:
    path, visit_id = link(app, route), route["visits"][1]["visit_id"]
    refused = client.post(path + "/checkin", json={"visit_id": visit_id, "status": "dilewati"})
    assert refused.status_code == 400 and refused.json is not None
    assert refused.json["error"]["message"] == "Tuliskan alasan mengapa titik ini dilewati."
    form = client.post(
        path + "/checkin",
        data={"visit_id": visit_id, "status": "dilewati", "note": " "},
        follow_redirects=True,
    )
    assert 'class="flash error"' in form.get_data(as_text=True)
    assert "Tuliskan alasan mengapa titik ini dilewati." in form.get_data(as_text=True)
    assert checkins(app, visit_id) == []
    client.post(
        path + "/checkin",
        data={"visit_id": visit_id, "status": "dilewati", "note": "Jalan ditutup"},
    )
    assert [c.note for c in checkins(app, visit_id)] == ["Jalan ditutup"]
    assert ": Jalan ditutup</span>" in client.get(path).get_data(as_text=True)


def test_a_visit_of_another_route_is_not_found(
    app: Flask, client: FlaskClient, route: dict[str, Any]
) -> None:
    other = route_data(app, 1)["visits"][0]["visit_id"]
    path = link(app, route) + "/checkin"
    response = client.post(path, json={"visit_id": other, "status": "tiba"})
    assert response.status_code == 404 and response.json is not None
    assert client.post(path, data={"visit_id": other, "status": "tiba"}).status_code == 404
    assert client.post(path, data={"visit_id": "x", "status": "tiba"}).status_code == 404
    assert client.post(path, json=[other, "tiba"]).status_code == 404
    assert checkins(app, other) == []


def test_an_unknown_status_or_a_bad_time_is_refused(
    app: Flask, client: FlaskClient, route: dict[str, Any]
) -> None:
    path, visit_id = link(app, route) + "/checkin", route["visits"][0]["visit_id"]
    assert client.post(path, json={"visit_id": visit_id, "status": "pulang"}).status_code == 400
    bad_time = {"visit_id": visit_id, "status": "tiba", "tapped_at": "kemarin"}
    assert client.post(path, json=bad_time).status_code == 400
    assert checkins(app, visit_id) == []
