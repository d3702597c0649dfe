"""The survey reader on the layouts spreadsheets produce: row numbers, sheets, separators."""

import io
from collections.abc import Mapping, Sequence

import pytest
from openpyxl import Workbook

from planner.core import ImportRejectedError
from planner.survey import parse_survey
from tests.factories import SURVEY_HEADER, SURVEY_ROWS, survey_csv, village_pairs

VILLAGES = village_pairs()


def _refusal(data: bytes) -> str:
    with pytest.raises(ImportRejectedError) as caught:
        parse_survey(data, VILLAGES)
    return str(caught.value)


def _with(row: int, column: str, value: str) -> list[list[str]]:
    rows = [list(r) for r in SURVEY_ROWS]
    rows[row][SURVEY_HEADER.index(column)] = value
    return rows


def _book(sheets: Mapping[str, Sequence[Sequence[object]]]) -> bytes:
    book = Workbook()
    book.remove(book.worksheets[0])
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _sheet_rows() -> list[list[object]]:
    return [list(SURVEY_HEADER), *(list[object](r) for r in SURVEY_ROWS)]


def test_csv_rows_are_numbered_as_a_spreadsheet_shows_them_with_blank_lines_above() -> None:
    text = "\n\n" + survey_csv(_with(1, "minat", "9"))
    assert "baris 5, kolom minat: 9 di luar rentang 1–5" in _refusal(text.encode())


def test_excel_sep_line_sets_the_separator_and_is_not_a_row() -> None:
    text = "sep=,\n" + survey_csv(_with(0, "fm", "x"))
    assert "baris 2, kolom fm: 'x' bukan angka" in _refusal(text.encode())
    semicolons = "sep=;\r\n" + survey_csv(delimiter=";", line_end="\r\n")
    assert len(parse_survey(semicolons.encode(), VILLAGES).responses) == 3


def test_utf16_without_bom_and_trailing_empty_fields_import() -> None:
    text = survey_csv(delimiter="\t").replace("\n", "\t\t\n")
    assert len(parse_survey(text.encode("utf-16-le"), VILLAGES).responses) == 3


def test_a_header_with_trailing_separators_fits_rows_without_them() -> None:
    text = survey_csv().replace("topik\n", "topik,,\n", 1)
    assert len(parse_survey(text.encode(), VILLAGES).responses) == 3
    short = survey_csv().replace(",kesehatan agama\n", "\n", 1)
    assert "baris 2: baris ini berisi 14 nilai" in _refusal(short.encode())


def test_whole_number_questions_refuse_fractions_by_name() -> None:
    message = _refusal(survey_csv(_with(0, "dm", "2,5")).encode())
    assert "baris 2, kolom dm: '2,5' bukan bilangan bulat" in message
    assert "di luar rentang" not in message


def test_thousands_point_is_read_as_thousands() -> None:
    parsed = parse_survey(survey_csv(_with(0, "dm", "1.000"), delimiter=";").encode(), VILLAGES)
    assert parsed.responses[0].answers["dm"] == 1000


def test_a_stored_decimal_in_a_workbook_is_not_read_as_thousands() -> None:
    rows = _sheet_rows()
    rows[1][SURVEY_HEADER.index("dm")] = 1.125
    assert "baris 2, kolom dm: '1.1250' bukan bilangan bulat" in _refusal(_book({"d": rows}))


def test_the_data_sheet_is_found_after_other_sheets_and_named() -> None:
    rows = _sheet_rows()
    notes = [["Catatan"], ["desa = nama desa"]]
    parsed = parse_survey(_book({"Catatan": notes, "Jawaban": rows}), VILLAGES)
    assert parsed.sheet == "Jawaban" and len(parsed.responses) == 3
    rows[2][SURVEY_HEADER.index("minat")] = 0
    message = _refusal(_book({"Catatan": notes, "Jawaban": rows}))
    assert "baris dan kolom merujuk ke lembar 'Jawaban'" in message
    assert "baris 3, kolom minat: 0 di luar rentang 1–5" in message


def test_a_value_beside_the_table_in_a_workbook_is_reported() -> None:
    rows = _sheet_rows()
    rows[1] = [*rows[1], "", "catatan"]
    assert "baris 2, kolom Q: ada nilai di kolom tanpa judul: 'catatan'" in _refusal(
        _book({"d": rows})
    )


def _choice_columns(combined: str, ticked: set[str]) -> bytes:
    header = [*SURVEY_HEADER, "topik/anak", "topik/agama", "topik/kesehatan"]
    row = [*_with(0, "topik", combined)[0], *("1" if c in ticked else "0" for c in header[15:])]
    return survey_csv([row], header).encode()


def test_0_1_columns_of_some_choices_add_to_the_answer() -> None:
    parsed = parse_survey(_choice_columns("fiksi", {"topik/anak"}), VILLAGES)
    assert parsed.responses[0].answers["topik"] == ["anak", "fiksi"]


def test_an_unknown_choice_column_stops_the_import_only_when_ticked() -> None:
    header = [*SURVEY_HEADER, "Bacaan yang diinginkan/Komik"]
    rows = [[*SURVEY_ROWS[0], "0"], [*SURVEY_ROWS[1], "1"]]
    message = _refusal(survey_csv(rows, header).encode())
    assert "baris 3, kolom Bacaan yang diinginkan/Komik: 'Komik' bukan pilihan" in message
    assert len(parse_survey(survey_csv(rows[:1], header).encode(), VILLAGES).responses) == 1


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b",,,\n;;\n\n", "berkas tidak memiliki baris judul"),
        (survey_csv([]).encode(), "berkas hanya berisi baris judul"),
        (b"a,b,c\n1,2,3\n", "baris 1: tidak ada pertanyaan survei di baris judul"),
        ("desa\nBalokang\n".encode("utf-16"), "kolom usia: kolom wajib tidak ditemukan"),
        (b"\xd0\xcf\x11\xe0" + bytes(600), "berkas Excel lama (.xls)"),
        (
            (",".join(SURVEY_HEADER) + '\n"Balokang,dewasa\n').encode(),
            'baris 2, kolom desa: tanda kutip (") yang dibuka di sel ini tidak pernah ditutup',
        ),
    ],
)
def test_files_without_data_are_refused_with_one_clear_reason(data: bytes, expected: str) -> None:
    assert expected in _refusal(data)


def test_a_column_written_almost_like_an_optional_question_is_reported() -> None:
    header = [*SURVEY_HEADER, "Informasi apa yg Anda butuhkan?"]
    rows = [[*row, "Harga pupuk"] for row in SURVEY_ROWS]
    message = _refusal(survey_csv(rows, header).encode())
    assert "baris 1, kolom Informasi apa yg Anda butuhkan?: kolom ini tampak seperti" in message
    assert "beri nama 'kebutuhan_informasi'" in message


def test_a_long_free_text_answer_is_reported_not_cut() -> None:
    header = [*SURVEY_HEADER, "kebutuhan_informasi"]
    rows = [[*SURVEY_ROWS[0], "buku " * 500]]
    assert "jawaban lebih panjang dari 2000 karakter" in _refusal(survey_csv(rows, header).encode())


def test_progress_is_told_the_rows_read() -> None:
    rows = [SURVEY_ROWS[0]] * 12000
    heard: list[int] = []
    parsed = parse_survey(survey_csv(rows).encode(), VILLAGES, progress=heard.append)
    assert heard == [5000, 10000] and len(parsed.responses) == 12000


def test_a_title_line_above_the_csv_header_is_passed_over() -> None:
    text = "Survei kebutuhan informasi 2024;;;\n\n" + survey_csv(_with(0, "fm", "x"), delimiter=";")
    assert "baris 4, kolom fm: 'x' bukan angka" in _refusal(text.encode())
    assert len(parse_survey(text.replace(";x;", ";5;", 1).encode(), VILLAGES).responses) == 3


def test_a_file_wrong_in_every_row_keeps_a_bounded_report_with_the_full_count() -> None:
    rows = [["Atlantis", "tua", *SURVEY_ROWS[0][2:]] for _ in range(3000)]
    with pytest.raises(ImportRejectedError) as caught:
        parse_survey(survey_csv(rows).encode(), VILLAGES)
    assert caught.value.total == 6000 and len(caught.value.problems) == 50
    assert "dan 5950 masalah lain" in str(caught.value)
