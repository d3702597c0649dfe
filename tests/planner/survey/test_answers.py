"""Reading single answers and header cells the way export tools and people write them."""

from decimal import Decimal

import pytest

from planner.survey.answers import (
    AMBIGUOUS_NUMBER,
    NOT_A_NUMBER,
    read_choices,
    read_number,
)
from planner.survey.columns import map_columns, match_header


@pytest.mark.parametrize(
    ("written", "value"),
    [
        ("12", Decimal(12)),
        ("1.000", Decimal(1000)),
        ("12.345.678", Decimal(12345678)),
        ("1,000,000", Decimal(1000000)),
        ("2,5", Decimal("2.5")),
        ("2.5", Decimal("2.5")),
        ("0,500", Decimal("0.5")),
        ("0.500", Decimal("0.5")),
        ("1.000,5", Decimal("1000.5")),
        ("1,000.5", Decimal("1000.5")),
        ("3,0", Decimal(3)),
        (" 7 ", Decimal(7)),
    ],
)
def test_numbers_read_where_the_reading_is_certain(written: str, value: Decimal) -> None:
    assert read_number(written).value == value


@pytest.mark.parametrize(
    ("written", "problem"),
    [
        ("1,000", AMBIGUOUS_NUMBER),
        ("12,345", AMBIGUOUS_NUMBER),
        ("nan", NOT_A_NUMBER),
        ("inf", NOT_A_NUMBER),
        ("-inf", NOT_A_NUMBER),
        ("1e3", NOT_A_NUMBER),
        ("1.2.3", NOT_A_NUMBER),
        ("sering", NOT_A_NUMBER),
    ],
)
def test_numbers_that_would_be_guesses_are_reported(written: str, problem: str) -> None:
    assert read_number(written) == read_number(written)
    assert read_number(written).value is None
    assert read_number(written).problem == problem


@pytest.mark.parametrize(
    ("question", "written", "values"),
    [
        ("topik", "Pertanian/peternakan Usaha/UMKM", ("pertanian", "usaha")),
        ("topik", "Buku anak Pelajaran sekolah", ("anak", "pelajaran")),
        ("topik", "Agriculture/livestock, Fiction", ("pertanian", "fiksi")),
        (
            "waktu",
            "Pagi (07.30–11.00), Sore, setelah sekolah/Ashar (14.00–17.00)",
            ("pagi", "sore"),
        ),
        ("waktu", "Sore, setelah sekolah/Ashar", ("sore",)),
        ("waktu", "Morning, Afternoon", ("pagi", "sore")),
        ("waktu", "Afternoon (14:00–17:00)", ("sore",)),
        ("hari", "senin sabtu", ("mon", "sat")),
        ("hari", "Sabtu; Senin", ("mon", "sat")),
    ],
)
def test_choice_lists_are_matched_against_the_questionnaire(
    question: str, written: str, values: tuple[str, ...]
) -> None:
    assert read_choices(question, written).values == values


def test_an_unknown_choice_is_named() -> None:
    reading = read_choices("topik", "Pertanian/peternakan, Komik")
    assert reading.unknown == "komik" and reading.values == ()


@pytest.mark.parametrize(
    ("header", "question", "choice"),
    [
        ("Bacaan yang diinginkan/Pertanian/peternakan", "topik", "pertanian"),
        (
            "Kebutuhan layanan perpustakaan keliling/Bacaan yang diinginkan/Fiksi/novel",
            "topik",
            "fiksi",
        ),
        ("Waktu kunjungan yang cocok/Sore, setelah sekolah/Ashar (14.00–17.00)", "waktu", "sore"),
        ("Preferred time of day/Afternoon (14:00–17:00)", "waktu", "sore"),
        ("Topik yang diminati/Pertanian/peternakan", "topik", "pertanian"),
        ("layanan/topik/usaha", "topik", "usaha"),
        ("layanan-topik-usaha", "topik", "usaha"),
        ("layanan-topik/usaha", "topik", "usaha"),
        ("layanan.topik.usaha", "topik", "usaha"),
        ("identitas.desa", "desa", None),
        ("Waktu kunjungan yang cocok.Pagi (07.30–11.00)", "waktu", "pagi"),
        ("Identitas responden/Desa/kelurahan tempat tinggal", "desa", None),
        ("identitas-desa", "desa", None),
        ("Topics wanted", "topik", None),
    ],
)
def test_headers_name_their_question_and_choice(
    header: str, question: str, choice: str | None
) -> None:
    match = match_header(header)
    assert match is not None and match.question.name == question
    assert (match.choice.value if match.choice else None) == choice


def test_a_0_1_column_of_no_known_choice_is_kept_for_checking() -> None:
    columns, _problems = map_columns(["Bacaan yang diinginkan/Komik", "start"])
    assert columns.unknown_choices == (("topik", "Komik", 0),)
    assert columns.ignored == ("start",)


def test_interest_is_read_from_its_label_with_or_without_the_number() -> None:
    from planner.survey.columns import choice_for
    from planner.survey.questionnaire import QUESTION_BY_NAME

    minat = QUESTION_BY_NAME["minat"]
    for written in ("5", "5 – Sangat berminat", "Sangat berminat", "Very interested"):
        choice = choice_for(minat, written)
        assert choice is not None and choice.name == "5"
    tidak = choice_for(minat, "Tidak berminat")
    assert tidak is not None and tidak.name == "2"
