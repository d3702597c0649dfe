"""Uploading the corpus's damaged and real-shaped exports on /survei/: a page, never a 500."""

import io
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, func, select

from planner.store import SurveyResponse
from tests.conftest import AuthActions

CORPUS = Path(__file__).parents[2] / "planner" / "survey" / "corpus"


def _responses(app: Flask) -> int:
    with Session(app.extensions["keliling.engine"]) as session:
        return session.exec(select(func.count()).select_from(SurveyResponse)).one()


def _upload(client: FlaskClient, name: str):  # type: ignore[no-untyped-def]
    form = {"file": (io.BytesIO((CORPUS / name).read_bytes()), name)}
    return client.post("/survei/", data=form, content_type="multipart/form-data")


@pytest.mark.parametrize(
    ("name", "cells"),
    [
        ("corrupt_deflate.xlsx", ["–", "berkas XLSX rusak atau tidak dapat dibaca"]),
        ("bad_sheet_xml.xlsx", ["–", "XML salah satu lembar rusak"]),
        ("blank_rows_above_header.xlsx", ["5", "minat", "7 di luar rentang 1–5"]),
        ("quote_swallows_rows.csv", ["3", "kebutuhan_informasi", "tanda kutip (&#34;)"]),
        ("mixed_encodings.csv", ["5", "berkas mencampur UTF-8"]),
    ],
)
def test_a_broken_export_shows_its_problem_and_stores_nothing(
    app: Flask, client: FlaskClient, auth: AuthActions, name: str, cells: list[str]
) -> None:
    auth.login("koordinator")
    response = _upload(client, name)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    problems = page.split('id="import-problems"', 1)[1]
    for cell in cells:
        assert cell in problems
    assert _responses(app) == 0


def test_google_forms_export_with_the_form_labels_imports(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    auth.login("koordinator")
    assert _upload(client, "google_forms_id.csv").status_code == 302
    assert "Impor berhasil: 6 responden baru disimpan" in client.get("/survei/").get_data(
        as_text=True
    )
    assert _responses(app) == 6
