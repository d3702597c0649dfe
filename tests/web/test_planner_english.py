"""The planner's sentences on a page follow the page's language: a form check, a refusal, a
missing record; Bahasa Indonesia stays the default."""

import re

from flask.testing import FlaskClient

from tests.conftest import AuthActions
from tests.web.views.stops_helpers import _form


def _field_error(page: str, field: str) -> str:
    shown = re.search(rf'<p class="field-error" id="{field}-error">([^<]*)</p>', page)
    assert shown is not None, page[:2000]
    return shown[1]


def test_a_stop_form_check_reads_in_english(client: FlaskClient, auth: AuthActions) -> None:
    auth.login("koordinator")
    form = _form(name="", day_patterns="senin+selasa")
    page = client.post("/titik/baru", data=form).get_data(as_text=True)
    assert _field_error(page, "name") == "Nama titik layanan wajib diisi."
    client.get("/bahasa/en")
    response = client.post("/titik/baru", data=form)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert _field_error(page, "name") == "The service point&#39;s name is required."
    assert _field_error(page, "day_patterns") == (
        "The pattern senin+selasa uses Tuesday, but this point is closed on that day."
    )


def test_a_refused_account_change_reads_in_english(client: FlaskClient, auth: AuthActions) -> None:
    auth.login("admin")
    client.get("/bahasa/en")
    data = {"username": "staf", "role": "staf", "password": ""}
    response = client.post("/pengguna/baru", data=data)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "The username &#39;staf&#39; is already taken." in page
    assert "sudah dipakai" not in page


def test_a_missing_plan_reads_in_english(client: FlaskClient, auth: AuthActions) -> None:
    auth.login("koordinator")
    assert "Rencana #999 tidak ada." in client.get("/rencana/999").get_data(as_text=True)
    client.get("/bahasa/en")
    response = client.get("/rencana/999")
    assert response.status_code == 404
    assert "Plan #999 does not exist." in response.get_data(as_text=True)
