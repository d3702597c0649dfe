"""Stops as CSV in the browser: the CLI's import (all or nothing, row/column report) and export."""

import io
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import select

from planner.store import Stop
from tests.conftest import AuthActions
from tests.web.views.stops_helpers import BALOKANG, _db, _inside
from web.cli import main

HEADER = "name,village_code,kind,lat,lon,service_minutes,notes\n"


def _stops(app: Flask) -> dict[str, tuple[object, ...]]:
    """Every stop by name with what an import can change."""
    with _db(app) as session:
        return {
            s.name: (s.kind, s.lat, s.lon, s.service_minutes, s.approximate, s.active, s.notes)
            for s in session.exec(select(Stop))
        }


def _upload(client: FlaskClient, data: bytes, name: str = "titik.csv") -> tuple[int, str]:
    response = client.post(
        "/titik/csv",
        data={"file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    return response.status_code, response.get_data(as_text=True)


@pytest.fixture
def planner(client: FlaskClient, auth: AuthActions) -> FlaskClient:
    auth.login("koordinator")
    return client


def test_stops_page_leads_to_the_csv_page(planner: FlaskClient) -> None:
    assert 'href="/titik/csv"' in planner.get("/titik/").get_data(as_text=True)
    page = planner.get("/titik/csv").get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in page and 'href="/titik/ekspor.csv"' in page
    assert "Kolom wajib: name, village_code, kind, lat, lon, service_minutes" in page


def test_a_good_file_adds_and_updates_stops(app: Flask, planner: FlaskClient) -> None:
    lat, lon = _inside()
    body = (
        HEADER + f"SDN 2 Balokang,{BALOKANG},sekolah,{lat:.6f},{lon:.6f},60,Di halaman\n"
        f"Titik layanan Balokang,{BALOKANG.replace('.', '')},Balai_Desa,{lat},{lon},30,\n"
    )
    before = _stops(app)
    status, page = _upload(planner, body.encode())
    assert status == 200
    assert "1 titik layanan baru, 1 diperbarui." in page
    after = _stops(app)
    assert set(after) - set(before) == {"SDN 2 Balokang"}
    assert after["SDN 2 Balokang"][0] == "sekolah" and after["SDN 2 Balokang"][-1] == "Di halaman"
    assert after["Titik layanan Balokang"][:4] == ("balai desa", lat, lon, 30)


def test_a_broken_file_shows_row_and_column_and_stores_nothing(
    app: Flask, planner: FlaskClient
) -> None:
    lat, lon = _inside()
    body = (
        HEADER + f"SD Baru,{BALOKANG},sekolah,{lat},{lon},60,\n"
        f"Pos Atlantis,32.79.09.9999,sekolah,{lat},{lon},60,\n"
        f"Titik layanan Balokang,{BALOKANG},kapal,{lat},{lon},2,\n"
    )
    before = _stops(app)
    status, page = _upload(planner, body.encode())
    assert status == 400
    assert "Impor ditolak: tidak ada yang disimpan" in page
    assert "<td>3</td><td>village_code</td>" in page
    assert "kode desa &#39;32.79.09.9999&#39; tidak ada di Kota Banjar" in page
    assert "<td>4</td><td>kind</td>" in page and "<td>4</td><td>service_minutes</td>" in page
    assert _stops(app) == before


def test_windows_1252_text_is_read_and_a_binary_or_empty_file_refused(
    app: Flask, planner: FlaskClient
) -> None:
    lat, lon = _inside()
    latin = HEADER + f"Pos Café,{BALOKANG},lainnya,{lat},{lon},45,Dekat kafé\n"
    status, page = _upload(planner, latin.encode("cp1252"))
    assert status == 200 and "1 titik layanan baru, 0 diperbarui." in page
    assert _stops(app)["Pos Café"][-1] == "Dekat kafé"
    before = _stops(app)
    status, page = _upload(planner, b"\x00\x01\x02PK binary\x00", "foto.csv")
    assert status == 400 and "berkas bukan teks CSV maupun XLSX" in page
    status, page = _upload(planner, b"", "kosong.csv")
    assert status == 400 and "berkas kosong" in page
    status, page = _upload(planner, b"name;kind\nA;sekolah\n", "kurang.csv")
    assert status == 400 and "kolom wajib tidak ada di baris judul" in page
    assert _stops(app) == before


def test_no_file_chosen_is_explained(planner: FlaskClient) -> None:
    response = planner.post("/titik/csv", data={}, content_type="multipart/form-data")
    assert response.status_code == 400
    assert "Pilih berkas terlebih dahulu." in response.get_data(as_text=True)


def test_export_is_the_cli_file_and_imports_back_unchanged(
    app: Flask, planner: FlaskClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    response = planner.get("/titik/ekspor.csv")
    assert response.status_code == 200
    assert response.content_type == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"] == 'attachment; filename="titik-layanan.csv"'
    monkeypatch.setenv("DATABASE_URL", app.config["DATABASE_URL"])
    monkeypatch.setenv("SECRET_KEY", "cli-test-secret-key-0123456789")
    monkeypatch.setenv("KELILING_INSTANCE_PATH", str(tmp_path))
    cli = CliRunner().invoke(main, ["stops", "--format", "csv"], catch_exceptions=False)
    assert response.get_data(as_text=True) == cli.output
    before = _stops(app)
    status, page = _upload(planner, response.data, "titik-layanan.csv")
    assert status == 200 and f"0 titik layanan baru, {len(before)} diperbarui." in page
    assert _stops(app) == before
    assert planner.get("/titik/ekspor.csv").data == response.data


@pytest.mark.parametrize(("role", "status"), [("sopir", 403), ("staf", 403), ("admin", 200)])
def test_only_planners_import_and_export(
    app: Flask, client: FlaskClient, auth: AuthActions, role: str, status: int
) -> None:
    auth.login(role)
    assert client.get("/titik/csv").status_code == status
    assert client.get("/titik/ekspor.csv").status_code == status
    before = _stops(app)
    upload = client.post(
        "/titik/csv",
        data={"file": (io.BytesIO(b"name\n"), "x.csv")},
        content_type="multipart/form-data",
    )
    assert upload.status_code == (403 if status == 403 else 400)
    assert _stops(app) == before


def test_anonymous_visitors_are_sent_to_login(client: FlaskClient) -> None:
    for url in ("/titik/csv", "/titik/ekspor.csv"):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_the_upload_needs_a_csrf_token(app: Flask, planner: FlaskClient) -> None:
    app.config["WTF_CSRF_ENABLED"] = True
    status, page = _upload(planner, (HEADER + "A,B,C,1,2,3,\n").encode())
    assert status == 400
    assert "Impor ditolak" not in page
