"""The event form sent twice (Back then Save, a double tap) stores one event."""

import re

from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import AuthActions
from tests.web.views.events_helpers import _events, _form, _stop_id


def _key(page: str) -> str:
    found = re.search(r'name="key" type="hidden" value="([^"]+)"', page) or re.search(
        r'type="hidden" name="key" value="([^"]+)"', page
    )
    assert found, "the blank form carries an idempotency key"
    return found[1]


def test_each_blank_form_has_its_own_key(client: FlaskClient, auth: AuthActions) -> None:
    auth.login("staf")
    first = _key(client.get("/kegiatan/baru").get_data(as_text=True))
    second = _key(client.get("/kegiatan/baru").get_data(as_text=True))
    assert first != second and len(first) >= 16


def test_the_same_form_sent_twice_stores_one_event(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    auth.login("staf")
    key = _key(client.get("/kegiatan/baru").get_data(as_text=True))
    data = _form(_stop_id(app), key=key)
    first = client.post("/kegiatan/baru", data=data)
    assert first.status_code == 302
    again = client.post("/kegiatan/baru", data=data, follow_redirects=True)
    (event,) = _events(app)
    assert again.request.path == f"/kegiatan/{event.id}"
    assert "sudah tersimpan" in again.get_data(as_text=True)
    # A form rendered afresh with other counts is another event.
    fresh = _key(client.get("/kegiatan/baru").get_data(as_text=True))
    other = _form(_stop_id(app), key=fresh, anak_L="7")
    assert client.post("/kegiatan/baru", data=other).status_code == 302
    assert len(_events(app)) == 2


def test_back_then_save_under_a_fresh_key_stores_one_event(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    # Back reloads the form with a new key while the browser fills the typed fields in again.
    auth.login("staf")
    first_key = _key(client.get("/kegiatan/baru").get_data(as_text=True))
    assert (
        client.post("/kegiatan/baru", data=_form(_stop_id(app), key=first_key)).status_code == 302
    )
    second_key = _key(client.get("/kegiatan/baru").get_data(as_text=True))
    again = client.post(
        "/kegiatan/baru", data=_form(_stop_id(app), key=second_key), follow_redirects=True
    )
    (event,) = _events(app)
    assert again.request.path == f"/kegiatan/{event.id}"
    assert "sudah tersimpan" in again.get_data(as_text=True)


def test_a_refused_form_keeps_its_key_until_it_is_stored(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    auth.login("staf")
    key = _key(client.get("/kegiatan/baru").get_data(as_text=True))
    refused = client.post("/kegiatan/baru", data=_form(_stop_id(app), key=key, anak_L="abc"))
    assert refused.status_code == 400 and _key(refused.get_data(as_text=True)) == key
    assert client.post("/kegiatan/baru", data=_form(_stop_id(app), key=key)).status_code == 302
    assert client.post("/kegiatan/baru", data=_form(_stop_id(app), key=key)).status_code == 302
    assert len(_events(app)) == 1
