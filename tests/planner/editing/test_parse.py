"""Reading the texts people type: time windows, shifts, day patterns, weekdays, decimals."""

import pytest

from planner.editing import (
    format_day_patterns,
    format_weekdays,
    format_windows,
    parse_day_patterns,
    parse_decimal,
    parse_shift,
    parse_weekdays,
    parse_windows,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("07:30-12:00, 13:00-15:00", [["07:30", "12:00"], ["13:00", "15:00"]]),
        ("13.00 – 15.00; 7:30 s/d 12:00", [["07:30", "12:00"], ["13:00", "15:00"]]),
        ("", []),
        ("   ", []),
    ],
)
def test_windows_are_read_as_people_write_them(text: str, expected: list[list[str]]) -> None:
    assert parse_windows(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("12:00-07:30", "Jam selesai 07:30 harus setelah jam mulai 12:00."),
        ("07:30", "'07:30' bukan rentang jam"),
        ("07:30-25:00", "'25:00' bukan jam yang sah; tulis JJ:MM"),
        ("07:30-12:61", "'12:61' bukan jam yang sah"),
        ("pagi", "'pagi' bukan rentang jam"),
        ("07:30-12:00, 11:00-13:00", "Rentang 07:30-12:00 dan 11:00-13:00 tumpang tindih."),
    ],
)
def test_bad_windows_name_the_problem(text: str, message: str) -> None:
    with pytest.raises(ValueError, match="^" + message.replace(".", r"\.")):
        parse_windows(text)


def test_windows_round_trip_through_text() -> None:
    windows = [["07:30", "12:00"], ["13:00", "15:00"]]
    assert parse_windows(format_windows(windows)) == windows


def test_a_shift_is_one_range_or_a_day_off() -> None:
    assert parse_shift("07:30-15:30") == ["07:30", "15:30"]
    assert parse_shift("") is None
    with pytest.raises(ValueError, match="Satu sif per hari"):
        parse_shift("07:30-11:00, 13:00-15:30")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("senin+kamis; selasa+jumat", [["mon", "thu"], ["tue", "fri"]]),
        ("Kamis + Senin;\nmon+thu", [["mon", "thu"]]),  # same pattern twice counts once
        ("sen+kam; Rabu dan Sabtu", [["mon", "thu"], ["wed", "sat"]]),
        ("jum'at", [["fri"]]),
        ("", []),
    ],
)
def test_day_patterns(text: str, expected: list[list[str]]) -> None:
    assert parse_day_patterns(text) == expected


def test_day_patterns_round_trip_in_indonesian() -> None:
    text = format_day_patterns([["mon", "thu"], ["tue", "fri"]])
    assert text == "senin+kamis; selasa+jumat"
    assert parse_day_patterns(text) == [["mon", "thu"], ["tue", "fri"]]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("senin+senn", "'senn' bukan nama hari (senin, selasa"),
        ("senin+senin", "Pola 'senin+senin' menyebut hari yang sama dua kali."),
    ],
)
def test_bad_day_patterns(text: str, message: str) -> None:
    with pytest.raises(ValueError) as raised:
        parse_day_patterns(text)
    assert str(raised.value).startswith(message)


def test_weekday_lists_take_ranges() -> None:
    assert parse_weekdays("senin - kamis, sabtu") == ["mon", "tue", "wed", "thu", "sat"]
    assert format_weekdays(["sat", "mon"]) == "senin, sabtu"
    assert format_weekdays(["mon", "tue", "wed", "thu", "sat"]) == "senin-kamis, sabtu"
    assert format_weekdays(["fri", "sat", "sun", "mon"]) == "senin, jumat-minggu"
    with pytest.raises(ValueError, match="terbalik"):
        parse_weekdays("kamis-senin")


def test_decimal_comma_is_accepted() -> None:
    assert parse_decimal("-7,3675") == -7.3675
    with pytest.raises(ValueError, match="'tujuh' bukan angka."):
        parse_decimal("tujuh")
