"""The monthly report page and its exports: who may open them, months, numbers, escaping."""

import csv
import io
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from babel.dates import format_date
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook
from sqlmodel import select

from planner.plans import plan_json
from planner.reports import VILLAGE_COLUMNS
from planner.store import Village, published_plan
from tests.conftest import AuthActions
from tests.factories import TODAY, finish_visit_with_event, plan_start, publish_demo_plan
from web.db import get_session
from web.ui.charts import Series, bar_chart

XSS = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
ATTENDANCE = {"anak": {"L": 6, "P": 8}, "dewasa": {"L": 1, "P": 2}}
URLS = ("/laporan/", "/laporan/ekspor.csv", "/laporan/ekspor.xlsx")


@pytest.fixture(scope="module")
def app_database_template(
    app_database_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """The demo database with a published week of this month, up to today."""
    path = tmp_path_factory.mktemp("reports") / "planned.db"
    shutil.copyfile(app_database_template, path)
    publish_demo_plan(path, plan_start())
    return path


def log_visit(app: Flask, librarian: str = "Siti Aminah", notes: str = "") -> dict[str, Any]:
    """A selesai check-in at the plan's first visit and an event there; the visit's JSON."""
    with app.app_context():
        session = get_session()
        plan = published_plan(session)
        assert plan is not None and plan.id is not None
        visit: dict[str, Any] = plan_json(session, plan.id)["routes"][0]["visits"][0]
    finish_visit_with_event(
        app, visit, librarians=[librarian], attendance=ATTENDANCE, books_lent=7,
        new_members=2, satisfaction={"5": 3}, notes=notes,
    )  # fmt: skip
    return visit


def planned_visits(app: Flask) -> int:
    with app.app_context():
        session = get_session()
        plan = published_plan(session)
        assert plan is not None and plan.id is not None
        return sum(len(r["visits"]) for r in plan_json(session, plan.id)["routes"])


def cell(page: str, code: str, column: str, table: str = "village-table") -> str:
    """The text of a report table cell by village code and data-col."""
    body = page.split(f'id="{table}"', 1)[1].split("</table>", 1)[0]
    row = re.search(rf'<tr data-code="{re.escape(code)}"[^>]*>(.*?)</tr>', body, re.S)
    assert row, f"no row for {code} in {table}"
    found = re.search(rf'data-col="{column}">([^<]*)<', row[1])
    assert found, f"no {column} cell"
    return found[1]


@pytest.fixture
def office(client: FlaskClient, auth: AuthActions) -> FlaskClient:
    auth.login("koordinator")
    return client


@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize(
    ("role", "status"),
    [(None, 302), ("sopir", 403), ("staf", 200), ("koordinator", 200), ("admin", 200)],
)
def test_who_may_open_the_report(
    client: FlaskClient, auth: AuthActions, url: str, role: str | None, status: int
) -> None:
    if role:
        auth.login(role)
    response = client.get(url)
    assert response.status_code == status
    if role is None:
        assert response.headers["Location"].startswith("/login?next=")


@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize("value", ["2026-13", "november", "2026-1", "1999-12", "<b>x</b>"])
def test_a_bad_month_is_refused_in_indonesian(office: FlaskClient, url: str, value: str) -> None:
    response = office.get(url, query_string={"bulan": value})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "bukan bulan yang sah" in page and "YYYY-MM" in page
    assert "<b>x</b>" not in page


def test_a_bad_month_is_explained_in_json_to_api_clients(office: FlaskClient) -> None:
    response = office.get("/laporan/?bulan=13-2026", headers={"Accept": "application/json"})
    assert response.status_code == 400
    assert "bukan bulan yang sah" in response.json["error"]["message"]


def test_an_unknown_csv_section_is_refused(office: FlaskClient) -> None:
    response = office.get("/laporan/ekspor.csv?bagian=gaji")
    assert response.status_code == 400
    assert "Bagian laporan" in response.get_data(as_text=True)


def test_this_month_counts_the_plan_a_done_visit_and_the_event(
    app: Flask, office: FlaskClient
) -> None:
    visit = log_visit(app)
    page = office.get("/laporan/").get_data(as_text=True)
    assert format_date(TODAY, "LLLL yyyy", locale="id") in page
    totals = dict(re.findall(r'data-total="(\w+)">([^<]*)<', page))
    assert totals["planned"] == str(planned_visits(app))
    assert (totals["done"], totals["skipped"], totals["events"]) == ("1", "0", "1")
    assert (totals["participants"], totals["books"], totals["members"]) == ("17", "7", "2")
    code = visit["village_code"]
    assert cell(page, code, "done") == "1" and cell(page, code, "participants") == "17"
    assert [cell(page, code, f"anak_{s}", "attendance-table") for s in "LP"] == ["6", "8"]
    assert cell(page, code, "satisfaction") == "5,0"
    librarians = page.split('id="librarian-table"', 1)[1].split("</table>", 1)[0]
    assert "Siti Aminah" in librarians
    iplm = page.split('id="iplm-table"', 1)[1].split("</table>", 1)[0]
    assert "Layanan perpustakaan keliling" in iplm and "Partisipasi masyarakat" in iplm
    assert "formulir IPLM resmi" not in iplm and "indikator" in page.split('id="iplm"')[1]


def test_month_navigation_and_an_empty_month(office: FlaskClient) -> None:
    page = office.get("/laporan/?bulan=2031-01").get_data(as_text=True)
    assert "Laporan bulanan · Januari 2031" in page
    assert 'href="/laporan/?bulan=2030-12"' in page and 'href="/laporan/?bulan=2031-02"' in page
    totals = dict(re.findall(r'data-total="(\w+)">([^<]*)<', page))
    assert totals["planned"] == totals["done"] == totals["events"] == "0"
    assert "Tidak ada rencana terbit" in page and "<svg" not in page
    assert page.count("<tr data-code=") == 25
    office.get("/bahasa/en")
    english = office.get("/laporan/?bulan=2031-01").get_data(as_text=True)
    assert "Monthly report · January 2031" in english and "No published plan" in english


@pytest.mark.parametrize(
    ("month", "shown", "missing"),
    [("2100-12", "bulan=2100-11", "bulan=2101-01"), ("2000-01", "bulan=2000-02", "bulan=1999-12")],
)
def test_the_first_and_last_months_allowed_show_without_a_link_beyond(
    office: FlaskClient, month: str, shown: str, missing: str
) -> None:
    response = office.get(f"/laporan/?bulan={month}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Laporan bulanan" in page
    assert shown in page and missing not in page
    assert office.get(f"/laporan/ekspor.csv?bulan={month}").status_code == 200


def test_the_page_prints_on_a4_without_the_navigation(app: Flask, office: FlaskClient) -> None:
    page = office.get("/laporan/").get_data(as_text=True)
    assert "@page { size: A4" in page and 'id="print" data-print' in page
    assert "js/page-actions.js" in page  # wires the button (the CSP runs no onclick attribute)
    assert 'class="month-nav no-print"' in page
    css = (Path(app.static_folder or "") / "css" / "app.css").read_text()
    print_rules = css.split("/* Monthly report", 1)[1]
    assert ".no-print, .month-nav { display: none" in print_rules
    assert "@media print { header.top, footer { display: none; } }" in css


def test_charts_are_svg_with_every_label_escaped(app: Flask, office: FlaskClient) -> None:
    visit = log_visit(app, librarian=XSS, notes=XSS)
    with app.app_context():
        session = get_session()
        village = session.exec(select(Village).where(Village.code == visit["village_code"])).one()
        village.name = f"{XSS} & Co"
        session.commit()
    page = office.get("/laporan/").get_data(as_text=True)
    assert XSS not in page
    charts = re.findall(r'<figure class="chart-box" id="(chart-\w+)">(.*?)</figure>', page, re.S)
    assert [name for name, _svg in charts] == ["chart-visits", "chart-attendance"]
    for _name, svg in charts:
        assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img"')
        assert "<rect" in svg and "<script" not in svg
        assert f"{ESCAPED} &amp; Co · " in svg  # the bar's tooltip
    assert "Anak" in charts[1][1] and "Lansia" in charts[1][1]
    assert page.count(ESCAPED) >= 4  # librarian, event's librarian and notes, village rows


def test_csv_exports_parse_and_keep_text_as_typed(app: Flask, office: FlaskClient) -> None:
    visit = log_visit(app, librarian=XSS, notes='=HYPERLINK("x"), "kutip"\nbaris 2')
    month = TODAY.strftime("%Y-%m")
    response = office.get(f"/laporan/ekspor.csv?bulan={month}")
    assert response.mimetype == "text/csv"
    assert f'filename="laporan-{month}-desa.csv"' in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True), newline="")))
    assert list(rows[0]) == list(VILLAGE_COLUMNS) and len(rows) == 26
    row = next(r for r in rows if r["kode_desa"] == visit["village_code"])
    assert (row["kunjungan_selesai"], row["anak_L"], row["anak_P"], row["peserta"]) == (
        "1", "6", "8", "17",
    )  # fmt: skip
    assert rows[-1]["desa"] == "Total kota"
    assert rows[-1]["kunjungan_rencana"] == str(planned_visits(app))
    people = _csv(office, month, "pustakawan")
    assert people == [
        {"pustakawan": XSS, "kegiatan": "1", "peserta": "17", "buku_dipinjam": "7",
         "anggota_baru": "2"},
    ]  # fmt: skip
    [event] = _csv(office, month, "kegiatan")
    assert event["catatan"] == '=HYPERLINK("x"), "kutip"\nbaris 2'
    iplm = {r["indikator"]: r["nilai"] for r in _csv(office, month, "iplm")}
    assert iplm["Layanan perpustakaan keliling (kunjungan terlaksana)"] == "1"
    assert iplm["Partisipasi masyarakat dalam kegiatan literasi (orang)"] == "17"


def _csv(client: FlaskClient, month: str, section: str) -> list[dict[str, str]]:
    body = client.get(f"/laporan/ekspor.csv?bulan={month}&bagian={section}").get_data(as_text=True)
    return list(csv.DictReader(io.StringIO(body, newline="")))


def test_xlsx_export_has_a_sheet_per_section(app: Flask, office: FlaskClient) -> None:
    log_visit(app, librarian=XSS, notes="=1+1")
    response = office.get("/laporan/ekspor.xlsx")
    assert response.mimetype.endswith("spreadsheetml.sheet")
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == [
        "Ringkasan",
        "Per desa",
        "Per pustakawan",
        "Indikator IPLM",
        "Kegiatan",
    ]
    summary = {r[0]: r[1] for r in book["Ringkasan"].iter_rows(min_row=2, values_only=True)}
    assert summary["Bulan"] == TODAY.strftime("%Y-%m")
    assert (
        summary["Kunjungan selesai"],
        summary["Peserta"],
        summary["Kepuasan rata-rata (1-5)"],
    ) == (1, 17, 5)
    villages = book["Per desa"]
    assert villages.max_row == 27 and villages["B27"].value == "Total kota"
    assert book["Per pustakawan"]["A2"].value == XSS
    notes = book["Kegiatan"]["L2"]
    assert notes.value == "=1+1" and notes.data_type == "s" and notes.quotePrefix


def test_xlsx_export_in_english_for_an_english_reader(office: FlaskClient) -> None:
    office.get("/bahasa/en")
    book = load_workbook(io.BytesIO(office.get("/laporan/ekspor.xlsx?bulan=2031-01").data))
    assert book.sheetnames == [
        "Summary",
        "Per village",
        "Per librarian",
        "IPLM indicators",
        "Events",
    ]
    summary = {r[0]: r[1] for r in book["Summary"].iter_rows(min_row=2, values_only=True)}
    assert summary["Month"] == "2031-01" and summary["Visits planned"] == 0
    assert book["Per village"]["B27"].value == "City total"


def test_bar_chart_escapes_titles_labels_and_long_names() -> None:
    long_name = "Kelurahan " + "sangat " * 6 + XSS
    svg = str(
        bar_chart(
            f"{XSS} & judul",
            ["Balokang", long_name],
            [Series(f"<b>{XSS}</b>", (3, 0)), Series("Selesai", (1, 2))],
        )
    )
    assert XSS not in svg and "<b>" not in svg
    assert f"<title>{ESCAPED} &amp; judul</title>" in svg
    assert f"<title>Kelurahan {'sangat ' * 6}{ESCAPED}</title>" in svg  # full name on hover
    assert svg.count("<rect") == 2 + 3  # two legend keys, three non-zero bars
    with pytest.raises(ValueError, match="one value per category"):
        bar_chart("x", ["a", "b"], [Series("s", (1,))])
