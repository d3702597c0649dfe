"""Parsing real-world survey exports: variants that must import, files that must be refused."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.core import ImportRejectedError, VillageMatcher
from planner.survey import parse_survey
from tests.factories import SURVEY_HEADER, SURVEY_ROWS, survey_csv, survey_xlsx, village_pairs

VILLAGES = village_pairs()


def _parse(data: bytes):  # type: ignore[no-untyped-def]
    return parse_survey(data, VILLAGES)


def _codes(data: bytes) -> list[str]:
    return [r.village_code for r in _parse(data).responses]


EXPECTED_CODES = ["32.79.01.2003", "32.79.02.1001", "32.79.01.2005"]

VARIANTS = {
    "comma": survey_csv().encode(),
    "semicolon": survey_csv(delimiter=";").encode(),
    "utf8 bom": ("\ufeff" + survey_csv()).encode(),
    "crlf": survey_csv(line_end="\r\n").encode(),
    "trailing blank lines": (survey_csv() + "\n\n,,,\n\n").encode(),
    "xlsx": survey_xlsx(),
}


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_export_variants_import_each_respondent_once(variant: str) -> None:
    parsed = _parse(VARIANTS[variant])
    assert [r.village_code for r in parsed.responses] == EXPECTED_CODES
    first = parsed.responses[0].answers
    assert (first["fm"], first["dm"], first["minat"]) == (5, 90, 5)
    assert first["hari"] == ["mon", "sat"] and first["topik"] == ["agama", "kesehatan"]
    assert first["anggota_perpustakaan"] is True
    assert parsed.source_format == ("xlsx" if variant == "xlsx" else "csv")


def test_windows_1252_accents_survive() -> None:
    rows = [(*SURVEY_ROWS[0][:-1], "agama")]
    header = (*SURVEY_HEADER, "kebutuhan_informasi")
    text = survey_csv([(*rows[0], "Buku résep & café")], header)
    parsed = _parse(text.encode("cp1252"))
    assert parsed.responses[0].answers["kebutuhan_informasi"] == "Buku résep & café"


def test_group_prefixes_with_slash_or_dash() -> None:
    slash = [f"grp/{h}" for h in SURVEY_HEADER]
    dash = [f"grp-{h}" for h in SURVEY_HEADER]
    assert _codes(survey_csv(header=slash).encode()) == EXPECTED_CODES
    assert _codes(survey_csv(header=dash).encode()) == EXPECTED_CODES


def test_question_labels_as_headers_and_google_forms_answers() -> None:
    from planner.survey import QUESTION_BY_NAME

    header = [QUESTION_BY_NAME[h].label_id for h in SURVEY_HEADER]
    rows = [list(SURVEY_ROWS[0])]
    rows[0][11] = "5 – Sangat berminat"
    rows[0][12] = "Senin, Sabtu"
    rows[0][14] = "Kesehatan, Agama"
    parsed = _parse(survey_csv(rows, header).encode())
    answers = parsed.responses[0].answers
    assert (answers["minat"], answers["hari"], answers["topik"]) == (
        5,
        ["mon", "sat"],
        ["agama", "kesehatan"],
    )


def test_select_multiple_as_01_columns_with_indonesian_yes_no() -> None:
    header = [h for h in SURVEY_HEADER if h != "topik"] + [
        "topik/anak",
        "topik/agama",
        "topik/fiksi",
    ]
    row = [v for h, v in zip(SURVEY_HEADER, SURVEY_ROWS[0], strict=True) if h != "topik"]
    parsed = _parse(survey_csv([row + ["Ya", "tidak", "1"]], header).encode())
    assert parsed.responses[0].answers["topik"] == ["anak", "fiksi"]


def test_kobo_export_with_both_forms_of_select_multiple_counts_once() -> None:
    header = (*SURVEY_HEADER, "topik/anak", "_uuid")
    row = (*SURVEY_ROWS[0], "1", "uuid-1")
    parsed = _parse(survey_csv([row, row], header).encode())
    assert parsed.responses[0].answers["topik"] == ["anak", "agama", "kesehatan"]
    assert parsed.responses[0].key == parsed.responses[1].key == "id:uuid-1"


def test_identical_answers_without_ids_get_distinct_keys_that_repeat_across_imports() -> None:
    data = survey_csv([SURVEY_ROWS[0], SURVEY_ROWS[0]]).encode()
    first = [r.key for r in _parse(data).responses]
    assert len(set(first)) == 2
    assert [r.key for r in _parse(data).responses] == first


def _problems(data: bytes) -> str:
    with pytest.raises(ImportRejectedError) as caught:
        _parse(data)
    return str(caught.value)


def test_unknown_village_names_row_column_and_suggests() -> None:
    rows = [list(r) for r in SURVEY_ROWS]
    rows[1][0] = "Desa Balokan"
    message = _problems(survey_csv(rows).encode())
    assert "baris 3, kolom desa: 'Desa Balokan' tidak dikenal — maksud Anda 'Balokang'?" in message


def test_non_numeric_and_out_of_range_answers_are_located() -> None:
    rows = [list(r) for r in SURVEY_ROWS]
    rows[0][4] = "sering"
    rows[2][11] = "7"
    message = _problems(survey_csv(rows).encode())
    assert "baris 2, kolom fm: 'sering' bukan angka" in message
    assert "baris 4, kolom minat: 7 di luar rentang 1–5" in message


def test_missing_required_column_is_reported_on_the_header() -> None:
    header = [h for h in SURVEY_HEADER if h != "minat"]
    rows = [[v for h, v in zip(SURVEY_HEADER, r, strict=True) if h != "minat"] for r in SURVEY_ROWS]
    assert "baris 1, kolom minat: kolom wajib tidak ditemukan" in _problems(
        survey_csv(rows, header).encode()
    )


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", "berkas kosong"),
        (b"\n\n  \n", "berkas kosong"),
        (survey_csv(rows=[]).encode(), "berkas hanya berisi baris judul"),
        (bytes(range(256)) * 40, "bukan teks CSV"),
        (b"PK\x03\x04" + b"rusak" * 100, "XLSX rusak"),
        (b"x" * (50 * 1024 * 1024), "berkas terlalu besar (50.0 MB; batas 10 MB)"),
    ],
    ids=["empty", "blank lines", "header only", "random bytes", "broken xlsx", "50 MB"],
)
def test_broken_files_are_refused_with_a_reason(data: bytes, expected: str) -> None:
    assert expected in _problems(data)


def test_problem_report_is_capped_but_counts_everything() -> None:
    rows = [["Atlantis", *SURVEY_ROWS[0][1:]] for _ in range(80)]
    with pytest.raises(ImportRejectedError) as caught:
        _parse(survey_csv(rows).encode())
    assert caught.value.total == 80
    assert len(caught.value.problems) == 50
    assert "dan 30 masalah lain" in str(caught.value)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.lists(st.text(max_size=12), min_size=0, max_size=18),
        min_size=0,
        max_size=6,
    ),
    st.sampled_from([",", ";", "\t"]),
    st.booleans(),
)
def test_generated_csv_never_crashes_the_importer(
    rows: list[list[str]], delimiter: str, real_header: bool
) -> None:
    header = SURVEY_HEADER if real_header else (rows[0] if rows else [])
    text = survey_csv(rows, header, delimiter=delimiter)
    try:
        parsed = _parse(text.encode("utf-8"))
    except ImportRejectedError as error:
        assert error.problems
    else:
        assert all(r.village_code in dict(VILLAGES) for r in parsed.responses)


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("Ds. Balokang", "32.79.01.2003"),
        ("BALOKANG", "32.79.01.2003"),
        ("Kel. Hegarsari", "32.79.02.1001"),
        ("desa karyamukti", "32.79.02.2005"),
        ("Kelurahan Banjar", "32.79.01.1001"),
        ("DS BOJONG KANTONG", "32.79.04.1005"),
        ("3279012003", "32.79.01.2003"),
        ("32.79.04.2006", "32.79.04.2006"),
        ("Désa Mekarsari", "32.79.01.1002"),
        ("Desa Atlantis", None),
        ("32.79.09.9999", None),
        ("Banjarsari", None),
    ],
)
def test_village_name_matching_table(written: str, code: str | None) -> None:
    assert VillageMatcher(VILLAGES).match(written) == code
