"""The import summary names the workbook sheet it read, so a librarian can check it was the data."""

from pathlib import Path

from sqlalchemy.engine import Engine

from planner.core import language
from planner.store import Region, session_scope
from planner.survey import describe_import, import_survey
from tests.factories import survey_csv, survey_xlsx

CORPUS = Path(__file__).parent / "corpus"


def _summary(engine: Engine, region: Region, data: bytes) -> str:
    with session_scope(engine) as session:
        return describe_import(import_survey(session, region, data, "survei"))


def test_a_workbook_import_names_the_sheet_it_read(engine: Engine, region: Region) -> None:
    data = (CORPUS / "workbook_data_on_third_sheet.xlsx").read_bytes()
    with session_scope(engine) as session:
        result = import_survey(session, region, data, "survei.xlsx", dry_run=True)
    assert result.sheet == "data"  # the third sheet, after the choices and settings sheets
    summary = describe_import(result)
    assert f"Baris dibaca dari lembar '{result.sheet}'." in summary
    assert summary.startswith("Pemeriksaan berhasil: 6 responden")


def test_the_sheet_is_named_in_english_too(engine: Engine, region: Region) -> None:
    with language("en"):
        summary = _summary(engine, region, survey_xlsx())
    assert "Rows read from sheet '" in summary


def test_a_csv_import_names_no_sheet(engine: Engine, region: Region) -> None:
    assert "lembar" not in _summary(engine, region, survey_csv().encode())
