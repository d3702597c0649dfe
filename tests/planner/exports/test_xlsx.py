"""The XLSX export: sheets, Indonesian labels, formula-looking text kept as text."""

import datetime as dt
import io
import zipfile
from typing import Any

from openpyxl import load_workbook

from planner.core.i18n import language
from planner.exports import plan_xlsx
from tests.planner.exports.helpers import FORMULA_NAME


def test_xlsx_has_route_summary_and_unserved_sheets(plan: dict[str, Any]) -> None:
    book = load_workbook(io.BytesIO(plan_xlsx(plan)))
    assert book.sheetnames == ["Rute", "Ringkasan", "Tidak terlayani"]
    route = book["Rute"]
    header = [cell.value for cell in route[1]]
    assert header[:4] == ["date", "hari", "vehicle", "order"]
    assert route.freeze_panes == "A2"
    assert all(cell.font.bold for cell in route[1])
    assert route.max_row == 4  # header + 3 visits
    assert route["A2"].value == dt.datetime(2026, 11, 30)  # a real date, sortable
    assert route["A2"].number_format == "yyyy-mm-dd"
    assert book["Tidak terlayani"]["B2"].value == "SDN 2 Langensari"
    assert book["Tidak terlayani"]["E2"].value == "di luar jam layanan semua kendaraan"


def test_xlsx_summary_uses_indonesian_labels(plan: dict[str, Any]) -> None:
    sheet = load_workbook(io.BytesIO(plan_xlsx(plan)))["Ringkasan"]
    summary = {row[0]: row[1] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert summary["Total jarak (km)"] == 41.2
    assert summary["Kunjungan terjadwal"] == 3
    assert summary["Sumber waktu tempuh"] == "Perkiraan garis lurus × 1,3"
    assert summary["Jumlah minggu"] == 1


def test_xlsx_stores_a_formula_looking_name_as_text(plan: dict[str, Any]) -> None:
    data = plan_xlsx(plan)
    sheet = load_workbook(io.BytesIO(data))["Rute"]
    cell = sheet["F4"]  # header, two Monday visits, then the Tuesday one
    assert cell.value == FORMULA_NAME
    assert cell.data_type == "s"
    assert cell.quotePrefix  # Excel's stored "'" prefix: stays text even after editing
    sheet_xml = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in sheet_xml


# GPX


def test_xlsx_in_english_for_an_english_reader(plan: dict[str, Any]) -> None:
    with language("en"):
        book = load_workbook(io.BytesIO(plan_xlsx(plan)))
    assert book.sheetnames == ["Routes", "Summary", "Not served"]
    summary = {row[0]: row[1] for row in book["Summary"].iter_rows(min_row=2, values_only=True)}
    assert summary["Total distance (km)"] == 41.2 and summary["Number of weeks"] == 1
