"""A new password ends every other session of that user; the one that changed it goes on."""

from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import DEMO_PASSWORD
from tests.web.views.test_users import NEW_PASSWORD, _user_id

NEW = "jalan-desa-berkelok"


def _logged_in(app: Flask, username: str) -> FlaskClient:
    client = app.test_client()
    response = client.post("/login", data={"username": username, "password": DEMO_PASSWORD})
    assert response.status_code == 302
    return client


def _opens_plans(client: FlaskClient) -> bool:
    return client.get("/rencana/").status_code == 200


def test_changing_ones_password_ends_the_other_browsers_sessions(app: Flask) -> None:
    office, phone = _logged_in(app, "koordinator"), _logged_in(app, "koordinator")
    assert _opens_plans(office) and _opens_plans(phone)
    change = {"current_password": DEMO_PASSWORD, "new_password": NEW, "confirm": NEW}
    assert office.post("/akun/kata-sandi", data=change).status_code == 302
    assert _opens_plans(office)
    response = phone.get("/rencana/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_reset_by_the_admin_ends_the_users_sessions(app: Flask) -> None:
    coordinator, admin = _logged_in(app, "koordinator"), _logged_in(app, "admin")
    user_id = _user_id(app, "koordinator")
    reset = admin.post(f"/pengguna/{user_id}/kata-sandi", data={"password": ""})
    assert NEW_PASSWORD.search(reset.get_data(as_text=True))
    assert coordinator.get("/rencana/").status_code == 302
    assert _opens_plans(admin)


def test_a_cookie_from_before_this_scheme_or_forged_is_no_session(app: Flask) -> None:
    client = app.test_client()
    for stored in ("1", "1.0000000000000000", "x.y"):
        with client.session_transaction() as session:
            session["_user_id"] = stored
            session["_fresh"] = True
        assert client.get("/rencana/").status_code == 302
