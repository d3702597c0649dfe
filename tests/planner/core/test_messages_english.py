"""The planner's own sentences: Bahasa Indonesia by default, English when the page is English."""

import datetime as dt
from dataclasses import replace

import pytest

from geodata import load_region
from planner.core import ImportProblem, ImportRejectedError, day_name, parse_hhmm, weekday_name
from planner.core.i18n import language
from planner.editing import VehicleEntry, check_vehicle, new_vehicle_entry
from planner.store import Region, password_problem, region_settings

MONDAY = dt.date(2026, 11, 30)


@pytest.fixture(scope="module")
def blank_vehicle() -> VehicleEntry:
    pack = load_region("kota_banjar")
    region = Region(slug=pack.slug, code=pack.code, name=pack.name, settings=region_settings(pack))
    return new_vehicle_entry(region)


def test_day_names_follow_the_language() -> None:
    assert (day_name(MONDAY), weekday_name("fri")) == ("Senin", "Jumat")
    with language("en"):
        assert (day_name(MONDAY), weekday_name("fri")) == ("Monday", "Friday")


def test_a_vehicle_form_check_reads_in_english(blank_vehicle: VehicleEntry) -> None:
    entry = replace(blank_vehicle, name="", shifts={}, speed_kmh="300")
    problems = check_vehicle(entry, []).problems
    assert problems["name"] == "Nama kendaraan wajib diisi."
    assert problems["speed_kmh"] == "Kecepatan rata-rata harus antara 5 dan 100 km/jam."
    with language("en"):
        problems = check_vehicle(entry, []).problems
    assert problems["name"] == "The vehicle's name is required."
    assert problems["speed_kmh"] == "The average speed must be between 5 and 100 km/h."
    assert problems["shifts"] == "This vehicle never works: enter a shift for at least one day."


def test_an_overlapping_break_names_the_day_in_english(blank_vehicle: VehicleEntry) -> None:
    breaks = blank_vehicle.breaks
    clash = replace(breaks[0], name="Rapat")
    entry = replace(blank_vehicle, breaks=[breaks[0], clash])
    with language("en"):
        problems = check_vehicle(entry, []).problems
    assert problems["breaks-1-times"] == f"Overlaps '{breaks[0].name}' on Monday."


def test_errors_raised_in_english_stay_english() -> None:
    with language("en"):
        with pytest.raises(ValueError, match=r"^'25:00' is not a valid time; write HH:MM"):
            parse_hhmm("25:00")
        rejected = ImportRejectedError([ImportProblem(2, "lat", "x")], total=3)
        assert password_problem("12345678901") == "The password may not be digits only."
    assert str(rejected) == (
        "Import cancelled, nothing was stored (3 problems):\n- row 2, column lat: x\n"
        "- ... and 2 other problems"
    )
    with pytest.raises(ValueError, match=r"^'25:00' bukan jam yang sah; tulis JJ:MM"):
        parse_hhmm("25:00")
