"""The users page (/pengguna) as the library's admin uses it, and everyone's own password."""

import logging
import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, select

from planner.store import User, create_token, session_scope
from tests.conftest import DEMO_PASSWORD, AuthActions
from web.db import EXTENSION_KEY

NEW_PASSWORD = re.compile(r'<code id="new-password">([^<]+)</code>')


def _user(app: Flask, username: str) -> User | None:
    with Session(app.extensions[EXTENSION_KEY]) as session:
        return session.exec(select(User).where(User.username == username)).first()


def _user_id(app: Flask, username: str) -> int:
    user = _user(app, username)
    assert user is not None and user.id is not None
    return user.id


def _can_log_in(app: Flask, username: str, password: str) -> bool:
    response = app.test_client().post("/login", data={"username": username, "password": password})
    return response.status_code == 302


@pytest.mark.parametrize("role", ["koordinator", "staf", "sopir"])
def test_only_admins_open_the_users_pages(
    client: FlaskClient, auth: AuthActions, role: str
) -> None:
    auth.login(role)
    assert client.get("/pengguna/").status_code == 403
    assert client.get("/pengguna/baru").status_code == 403
    assert "/pengguna/" not in client.get("/akun/kata-sandi").get_data(as_text=True)


def test_admin_sees_every_user_and_the_nav_link(client: FlaskClient, auth: AuthActions) -> None:
    auth.login("admin")
    page = client.get("/pengguna/").get_data(as_text=True)
    for username in ("admin", "koordinator", "sopir", "staf"):
        assert f">{username}</a>" in page
    assert "Staf (pustakawan)" in page and "Tambah pengguna" in page
    assert 'href="/pengguna/"' in page and 'href="/akun/kata-sandi"' in page


def test_admin_adds_a_coordinator_who_can_log_in(
    app: Flask, client: FlaskClient, auth: AuthActions, caplog: pytest.LogCaptureFixture
) -> None:
    auth.login("admin")
    form = {"username": "siti.aminah", "full_name": "Siti Aminah", "role": "koordinator"}
    with caplog.at_level(logging.INFO, logger="keliling.audit"):
        response = client.post("/pengguna/baru", data={**form, "password": ""})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    shown = NEW_PASSWORD.search(response.get_data(as_text=True))
    assert shown is not None
    assert _can_log_in(app, "siti.aminah", shown.group(1))
    assert "user created: username=siti.aminah role=koordinator by=admin" in caplog.text
    # shown once: the user's page never repeats it
    page = client.get(f"/pengguna/{_user_id(app, 'siti.aminah')}").get_data(as_text=True)
    assert shown.group(1) not in page


def test_a_typed_password_must_follow_the_policy(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    auth.login("admin")
    form = {"username": "budi", "full_name": "", "role": "staf"}
    for password, reason in [
        ("pendek", "Kata sandi terlalu pendek: minimal 10 karakter."),
        ("0812345678901", "Kata sandi tidak boleh hanya angka."),
        ("Budi", "Kata sandi terlalu pendek"),
        ("perpustakaan", "terlalu umum dan mudah ditebak"),
    ]:
        response = client.post("/pengguna/baru", data={**form, "password": password})
        assert response.status_code == 400
        assert reason in response.get_data(as_text=True)
    assert _user(app, "budi") is None
    typed = client.post("/pengguna/baru", data={**form, "password": "buku-di-bawah-pohon"})
    assert typed.status_code == 302
    assert _can_log_in(app, "budi", "buku-di-bawah-pohon")


def test_a_taken_or_malformed_username_is_refused(client: FlaskClient, auth: AuthActions) -> None:
    auth.login("admin")
    for username, reason in [
        ("staf", "Nama pengguna &#39;staf&#39; sudah dipakai."),
        ("Siti Aminah", "Nama pengguna harus 2-64 karakter"),
    ]:
        data = {"username": username, "role": "staf", "password": ""}
        response = client.post("/pengguna/baru", data=data)
        assert response.status_code == 400
        assert reason in response.get_data(as_text=True)


def test_admin_changes_a_role_and_it_applies_at_once(
    app: Flask, client: FlaskClient, auth: AuthActions, caplog: pytest.LogCaptureFixture
) -> None:
    koordinator = app.test_client()
    koordinator.post("/login", data={"username": "koordinator", "password": DEMO_PASSWORD})
    assert koordinator.get("/kendaraan/").status_code == 200
    auth.login("admin")
    user_id = _user_id(app, "koordinator")
    with caplog.at_level(logging.INFO, logger="keliling.audit"):
        response = client.post(f"/pengguna/{user_id}", data={"full_name": "Ani", "role": "staf"})
    assert response.status_code == 302
    assert koordinator.get("/kendaraan/").status_code == 403
    assert "user role changed: username=koordinator role=koordinator->staf by=admin" in caplog.text


def test_a_disabled_user_cannot_log_in_nor_use_a_session_or_token(
    app: Flask, client: FlaskClient, auth: AuthActions, caplog: pytest.LogCaptureFixture
) -> None:
    with session_scope(app.extensions[EXTENSION_KEY]) as session:
        token = create_token(session, "staf", "laporan").secret
    staf = app.test_client()
    staf.post("/login", data={"username": "staf", "password": DEMO_PASSWORD})
    bearer = {"Authorization": f"Bearer {token}"}
    assert staf.get("/desa/").status_code == 200
    assert app.test_client().get("/api/v1/villages", headers=bearer).status_code == 200
    auth.login("admin")
    user_id = _user_id(app, "staf")
    with caplog.at_level(logging.INFO, logger="keliling.audit"):
        disabled = client.post(f"/pengguna/{user_id}/nonaktifkan", follow_redirects=True)
    assert "dinonaktifkan" in disabled.get_data(as_text=True)
    assert "user disabled: username=staf by=admin" in caplog.text
    assert not _can_log_in(app, "staf", DEMO_PASSWORD)
    assert staf.get("/desa/").status_code == 302  # the open session ends too
    assert app.test_client().get("/api/v1/villages", headers=bearer).status_code == 401
    client.post(f"/pengguna/{user_id}/aktifkan")
    assert _can_log_in(app, "staf", DEMO_PASSWORD)
    assert app.test_client().get("/api/v1/villages", headers=bearer).status_code == 200


def test_the_last_active_admin_cannot_disable_or_demote_themself(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    auth.login("admin")
    admin_id = _user_id(app, "admin")
    disabled = client.post(f"/pengguna/{admin_id}/nonaktifkan", follow_redirects=True)
    assert "satu-satunya admin aktif" in disabled.get_data(as_text=True)
    demoted = client.post(f"/pengguna/{admin_id}", data={"full_name": "", "role": "staf"})
    assert demoted.status_code == 400
    assert "satu-satunya admin aktif" in demoted.get_data(as_text=True)
    admin = _user(app, "admin")
    assert admin is not None and admin.active and admin.role == "admin"
    # with a second admin, stepping down is allowed (and the page is then closed to them)
    client.post(f"/pengguna/{_user_id(app, 'koordinator')}", data={"role": "admin"})
    stepped_down = client.post(f"/pengguna/{admin_id}", data={"full_name": "", "role": "staf"})
    assert stepped_down.headers["Location"] == "/"
    assert client.get("/pengguna/").status_code == 403


def test_admin_resets_a_forgotten_password(
    app: Flask, client: FlaskClient, auth: AuthActions, caplog: pytest.LogCaptureFixture
) -> None:
    auth.login("admin")
    user_id = _user_id(app, "sopir")
    with caplog.at_level(logging.INFO, logger="keliling.audit"):
        response = client.post(f"/pengguna/{user_id}/kata-sandi", data={"password": ""})
    shown = NEW_PASSWORD.search(response.get_data(as_text=True))
    assert shown is not None and response.headers["Cache-Control"] == "no-store"
    assert not _can_log_in(app, "sopir", DEMO_PASSWORD)
    assert _can_log_in(app, "sopir", shown.group(1))
    assert "user password reset: username=sopir by=admin" in caplog.text
    weak = client.post(f"/pengguna/{user_id}/kata-sandi", data={"password": "sopir"})
    assert "Kata sandi terlalu pendek" in client.get(weak.headers["Location"]).get_data(
        as_text=True
    )
    assert _can_log_in(app, "sopir", shown.group(1))


def test_a_user_changes_their_own_password(
    app: Flask, client: FlaskClient, auth: AuthActions, caplog: pytest.LogCaptureFixture
) -> None:
    auth.login("sopir")
    page = client.get("/akun/kata-sandi").get_data(as_text=True)
    assert "Ganti kata sandi" in page and "Minimal 10 karakter" in page
    new = "jalan-desa-berkelok"
    wrong = {"current_password": "bukan-ini", "new_password": new, "confirm": new}
    response = client.post("/akun/kata-sandi", data=wrong)
    assert response.status_code == 400
    assert "Kata sandi saat ini salah." in response.get_data(as_text=True)
    differ = {"current_password": DEMO_PASSWORD, "new_password": new, "confirm": new + "x"}
    assert "Kedua kata sandi baru tidak sama." in client.post(
        "/akun/kata-sandi", data=differ
    ).get_data(as_text=True)
    right = {"current_password": DEMO_PASSWORD, "new_password": new, "confirm": new}
    with caplog.at_level(logging.INFO, logger="keliling.audit"):
        assert client.post("/akun/kata-sandi", data=right).status_code == 302
    assert "user password changed: username=sopir by=sopir" in caplog.text
    assert _can_log_in(app, "sopir", new) and not _can_log_in(app, "sopir", DEMO_PASSWORD)


def test_user_forms_need_the_csrf_token(app: Flask, auth: AuthActions) -> None:
    app.config["WTF_CSRF_ENABLED"] = True
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    assert token is not None
    login = {"username": "admin", "password": DEMO_PASSWORD, "csrf_token": token.group(1)}
    client.post("/login", data=login)
    forged = client.post("/pengguna/baru", data={"username": "mallory", "role": "admin"})
    assert forged.status_code == 400
    assert _user(app, "mallory") is None
    form = client.get("/pengguna/baru").get_data(as_text=True)
    assert 'name="csrf_token"' in form


def test_the_users_page_in_english(client: FlaskClient, auth: AuthActions) -> None:
    auth.login("admin")
    client.get("/bahasa/en")
    page = client.get("/pengguna/").get_data(as_text=True)
    assert "<h1>Users</h1>" in page and "Staff (librarian)" in page
