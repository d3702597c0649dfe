"""Malformed input named in the page's language: WTForms' own messages, dates out of range, NUL."""

from flask.testing import FlaskClient

from tests.conftest import AuthActions


def test_a_wtforms_message_is_in_indonesian_and_in_english(
    client: FlaskClient, auth: AuthActions
) -> None:
    auth.login("koordinator")
    page = client.post("/hari-libur/", data={"date": "abc", "reason": "Rapat"})
    assert page.status_code == 400
    assert "Bukan tanggal yang sah." in page.get_data(as_text=True)
    client.get("/bahasa/en")
    page = client.post("/hari-libur/", data={"date": "abc", "reason": "Rapat"})
    assert "Not a valid date value." in page.get_data(as_text=True)


def test_a_plan_in_year_1_or_9999_is_refused(client: FlaskClient, auth: AuthActions) -> None:
    auth.login("koordinator")
    for start in ("0001-01-01", "9999-12-31"):
        page = client.post("/rencana/", data={"start": start, "weeks": "1", "time_limit": "5"})
        assert page.status_code == 400
        assert "Pilih tanggal mulai antara tahun 2000 dan 2100." in page.get_data(as_text=True)


def test_days_off_of_a_period_in_the_last_year_is_a_bad_request(
    client: FlaskClient, auth: AuthActions
) -> None:
    auth.login("koordinator")
    answer = client.get(
        "/hari-libur/periode.json?start=9999-12-31", headers={"Accept": "application/json"}
    )
    assert answer.status_code == 400
    assert answer.json is not None and answer.json["error"]["message"]


def test_a_nul_in_a_stop_name_is_a_form_error(client: FlaskClient, auth: AuthActions) -> None:
    auth.login("koordinator")
    page = client.post(
        "/titik/baru",
        data={
            "village": "32.79.01.1001",
            "lat": "-7.37",
            "lon": "108.54",
            "name": "Pojok\x00Baca",
            "kind": "balai desa",
            "service_minutes": "45",
            "vehicle_kinds": "van",
            "windows-mon": "08:00-12:00",
        },
    )
    text = page.get_data(as_text=True)
    assert page.status_code == 400
    assert "karakter yang tidak sah (NUL)" in text
    assert "Pojok" not in client.get("/titik/").get_data(as_text=True)
