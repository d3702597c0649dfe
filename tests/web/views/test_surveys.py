"""The survey upload page as a koordinator uses it."""

import io

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, func, select

from planner.store import SurveyResponse
from tests.conftest import AuthActions
from tests.factories import SURVEY_ROWS, survey_csv


def _responses(app: Flask) -> int:
    with Session(app.extensions["keliling.engine"]) as session:
        return session.exec(select(func.count()).select_from(SurveyResponse)).one()


def _upload(client: FlaskClient, data: bytes, name: str = "survei.csv", **fields: str):  # type: ignore[no-untyped-def]
    form = {"file": (io.BytesIO(data), name), **fields}
    return client.post("/survei/", data=form, content_type="multipart/form-data")


@pytest.mark.parametrize(
    ("role", "status"), [("admin", 200), ("koordinator", 200), ("staf", 403), ("sopir", 403)]
)
def test_only_planners_open_the_survey_page(
    client: FlaskClient, auth: AuthActions, role: str, status: int
) -> None:
    auth.login(role)
    assert client.get("/survei/").status_code == status
    assert _upload(client, survey_csv().encode()).status_code in (302 if status == 200 else 403,)


def test_anonymous_upload_goes_to_login(client: FlaskClient) -> None:
    response = _upload(client, survey_csv().encode())
    page = response.get_data(as_text=True)
    assert response.status_code == 401 and 'name="password"' in page
    assert "Berkas harus dipilih lagi." in page  # the other fields are kept, a file is not


def test_upload_stores_and_lists_the_batch(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    auth.login("koordinator")
    response = _upload(client, survey_csv().encode())
    assert response.status_code == 302
    page = client.get("/survei/").get_data(as_text=True)
    assert "Impor berhasil: 3 responden baru disimpan" in page
    assert "survei.csv" in page
    assert _responses(app) == 3


def test_dry_run_checks_without_storing(app: Flask, client: FlaskClient, auth: AuthActions) -> None:
    auth.login("koordinator")
    _upload(client, survey_csv().encode(), dry_run="y")
    assert "Tidak ada yang disimpan" in client.get("/survei/").get_data(as_text=True)
    assert _responses(app) == 0


def test_bad_file_shows_every_problem_and_stores_nothing(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    auth.login("koordinator")
    rows = [list(r) for r in SURVEY_ROWS]
    rows[0][0] = "Desa Atlantis"
    rows[2][4] = "sering"
    response = _upload(client, survey_csv(rows).encode())
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Impor ditolak: tidak ada yang disimpan" in page
    assert "<td>2</td><td>desa</td><td>&#39;Desa Atlantis&#39; tidak dikenal" in page
    assert "<td>4</td><td>fm</td>" in page
    assert _responses(app) == 0


def test_file_names_and_answers_are_escaped(client: FlaskClient, auth: AuthActions) -> None:
    auth.login("koordinator")
    rows = [list(r) for r in SURVEY_ROWS]
    rows[0][0] = "<script>alert(1)</script>"
    page = _upload(client, survey_csv(rows).encode()).get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    _upload(client, survey_csv().encode(), name="<script>alert(1)</script>.csv")
    listing = client.get("/survei/").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in listing


def test_upload_without_csrf_token_is_refused(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    auth.login("koordinator")
    app.config["WTF_CSRF_ENABLED"] = True
    assert _upload(client, survey_csv().encode()).status_code == 400
    assert _responses(app) == 0


def test_too_large_upload_is_explained(app: Flask, client: FlaskClient, auth: AuthActions) -> None:
    auth.login("koordinator")
    body = b"x" * (13 * 1024 * 1024)  # a raw body: multipart would spool to a temp file
    response = client.post("/survei/", data=body, content_type="multipart/form-data; boundary=x")
    assert response.status_code == 413
    assert "terlalu besar" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("fmt", "mime"),
    [("xlsform", "spreadsheetml"), ("xlsx", "spreadsheetml"), ("csv", "text/csv")],
)
def test_questionnaire_downloads(
    client: FlaskClient, auth: AuthActions, fmt: str, mime: str
) -> None:
    auth.login("koordinator")
    response = client.get(f"/survei/templat/{fmt}")
    assert response.status_code == 200
    assert mime in response.headers["Content-Type"]
    assert "attachment" in response.headers["Content-Disposition"]
