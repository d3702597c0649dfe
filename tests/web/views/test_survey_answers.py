"""Free-text answers per village: staff read them escaped, a page at a time, and export them
as CSV or XLSX where no answer can become a spreadsheet formula."""

import csv
import io

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook

from tests.conftest import AuthActions
from tests.web.views.survey_import_helpers import upload, with_free_text

BALOKANG = "32.79.01.2003"  # the first factory row's village
SCRIPT = "<script>alert('x')</script> buku resep"
FORMULA = '=HYPERLINK("http://contoh.invalid","klik")'
URL = f"/survei/jawaban/{BALOKANG}"


@pytest.fixture
def answered(app: Flask, client: FlaskClient, auth: AuthActions) -> FlaskClient:
    """Three answers imported (one per factory village), then logged in as staf."""
    auth.login("koordinator")
    assert upload(client, with_free_text([SCRIPT, "Info pertanian", FORMULA])).status_code == 302
    auth.logout()
    auth.login("staf")
    return client


def test_staff_read_the_answers_escaped(answered: FlaskClient) -> None:
    page = answered.get(URL).get_data(as_text=True)
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; buku resep" in page
    assert "<script>alert" not in page
    assert "Informasi apa yang Anda butuhkan?" in page
    assert "Info pertanian" not in page  # another village's answer


def test_the_demand_page_links_to_the_answers(answered: FlaskClient) -> None:
    page = answered.get(f"/permintaan/{BALOKANG}").get_data(as_text=True)
    assert f'href="{URL}"' in page


def test_csv_export_guards_formulas(answered: FlaskClient) -> None:
    response = answered.get("/survei/jawaban/semua/csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    answers = {row["jawaban"] for row in rows}
    assert answers == {SCRIPT, "Info pertanian", "'" + FORMULA}
    assert {row["pertanyaan"] for row in rows} == {"kebutuhan_informasi"}


def test_xlsx_export_keeps_answers_as_text(answered: FlaskClient) -> None:
    response = answered.get("/survei/jawaban/semua/xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    assert sheet is not None
    cells = {row[3].value: row[3] for row in sheet.iter_rows(min_row=2)}
    assert set(cells) == {SCRIPT, "Info pertanian", FORMULA}
    assert cells[FORMULA].data_type == "s" and cells[FORMULA].quotePrefix
    one_village = answered.get(URL + "/xlsx")
    sheet = load_workbook(io.BytesIO(one_village.data)).active
    assert sheet is not None and [r[3].value for r in sheet.iter_rows(min_row=2)] == [SCRIPT]


def test_answers_come_a_page_at_a_time(app: Flask, client: FlaskClient, auth: AuthActions) -> None:
    auth.login("koordinator")
    texts = [f"jawaban nomor {i}" for i in range(3 * 60)]  # 60 in each of three villages
    assert upload(client, with_free_text(texts)).status_code == 302
    first = client.get(URL).get_data(as_text=True)
    assert "Halaman 1 dari 2" in first and "jawaban nomor 0<" in first
    second = client.get(URL + "?halaman=2").get_data(as_text=True)
    assert "Halaman 2 dari 2" in second and "jawaban nomor 177<" in second
    assert "jawaban nomor 0<" not in second
    assert client.get(URL + "?halaman=999").status_code == 200


def test_a_village_without_answers_says_so(client: FlaskClient, auth: AuthActions) -> None:
    auth.login("staf")
    assert "Belum ada warga desa ini" in client.get(URL).get_data(as_text=True)
    assert client.get("/survei/jawaban/99.99").status_code == 404
    assert client.get("/survei/jawaban/99.99/csv").status_code == 404
    assert client.get(URL + "/pdf").status_code == 404


@pytest.mark.parametrize(("role", "status"), [("sopir", 403), ("admin", 200), ("koordinator", 200)])
def test_only_office_roles_read_and_export(
    client: FlaskClient, auth: AuthActions, role: str, status: int
) -> None:
    auth.login(role)
    assert client.get(URL).status_code == status
    assert client.get(URL + "/csv").status_code == status


def test_anonymous_visitors_go_to_the_login(client: FlaskClient) -> None:
    assert client.get(URL).status_code in (302, 401)
    assert client.get(URL + "/csv").status_code in (302, 401)
