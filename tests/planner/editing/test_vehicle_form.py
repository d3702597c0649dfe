"""The vehicle form and its breaks, and the blank forms a region's settings open with."""

from dataclasses import replace

import pytest

from geodata import load_region
from planner.editing import (
    BreakEntry,
    VehicleEntry,
    check_vehicle,
    new_stop_entry,
    new_vehicle_entry,
    vehicle_entry,
)
from planner.store import Region, Vehicle, region_settings
from tests.planner.editing.helpers import BALOKANG

WORKDAY = "07:30-15:30"


@pytest.fixture(scope="module")
def region() -> Region:
    pack = load_region("kota_banjar")
    return Region(slug=pack.slug, code=pack.code, name=pack.name, settings=region_settings(pack))


def test_a_new_stop_form_opens_on_the_working_days(region: Region) -> None:
    blank = new_stop_entry(region, BALOKANG)
    assert (blank.lat, blank.lon, blank.village) == ("", "", BALOKANG)
    assert blank.windows["mon"] == WORKDAY and blank.windows["sun"] == ""
    assert list(blank.vehicle_kinds) == ["van", "motor"]


def _vehicle(region: Region, **changes: object) -> VehicleEntry:
    return replace(new_vehicle_entry(region), **{"name": "Mobil 2", **changes})  # type: ignore[arg-type]


def test_a_new_vehicle_has_the_region_shift_lunch_and_friday_prayer(region: Region) -> None:
    blank = new_vehicle_entry(region)
    assert blank.shifts["mon"] == WORKDAY and blank.shifts["sun"] == ""
    assert [(b.name, b.weekdays, b.times) for b in blank.breaks] == [
        ("Istirahat siang", "senin-kamis, sabtu", "12:00-13:00"),
        ("Istirahat salat Jumat", "jumat", "11:30-13:00"),
    ]


def test_a_good_vehicle_form_gives_the_values_to_store(region: Region) -> None:
    rows = [*_vehicle(region).breaks, BreakEntry("", "", "")]  # blank rows are ignored
    checked = check_vehicle(_vehicle(region, breaks=rows, speed_kmh="32,5"), ["Mobil 1"])
    assert checked.problems == {}
    values = checked.value
    assert values is not None
    assert values.shifts["sat"] == ["07:30", "15:30"] and "sun" not in values.shifts
    assert values.breaks[1] == {
        "name": "Istirahat salat Jumat", "weekdays": ["fri"], "start": "11:30", "end": "13:00",
    }  # fmt: skip
    assert values.speed_kmh == 32.5
    vehicle = Vehicle(region_id=1, depot_id=1, name="", kind="van")
    values.apply_to(vehicle)
    assert vehicle_entry(vehicle).breaks == _vehicle(region).breaks


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": ""}, "name", "Nama kendaraan wajib diisi."),
        ({"name": "mobil 1"}, "name", "Sudah ada kendaraan bernama 'mobil 1'."),
        ({"kind": "bus"}, "kind", "Pilih jenis kendaraan: van, motor."),
        ({"shifts": {"mon": "7:30-"}}, "shifts-mon", "'7:30-' bukan rentang jam"),
        ({"shifts": {"mon": "15:30-07:30"}}, "shifts-mon", "Jam selesai 07:30 harus setelah"),
        ({"shifts": {}}, "shifts", "Kendaraan ini tidak pernah bertugas"),
        ({"speed_kmh": "300"}, "speed_kmh", "Kecepatan rata-rata harus antara 5 dan 100 km/jam."),
        ({"speed_kmh": "cepat"}, "speed_kmh", "'cepat' bukan angka."),
        ({"capacity_crates": "1.5"}, "capacity_crates", "'1.5' bukan bilangan bulat."),
        ({"max_stops_per_day": "0"}, "max_stops_per_day", "Isi bilangan antara 1 dan 50."),
    ],
)
def test_each_vehicle_problem_is_named_on_its_field(
    region: Region, changes: dict[str, object], field: str, message: str
) -> None:
    checked = check_vehicle(_vehicle(region, **changes), ["Mobil 1"])
    assert checked.value is None
    assert checked.problems.get(field, "").startswith(message), checked.problems


@pytest.mark.parametrize(
    ("row", "field", "message"),
    [
        (BreakEntry("", "senin", "12:00-13:00"), "name", "Beri nama istirahat ini"),
        (BreakEntry("Rapat", "", "12:00-13:00"), "weekdays", "Tulis hari berlakunya"),
        (BreakEntry("Rapat", "senin, libur", "12:00-13:00"), "weekdays", "'libur' bukan nama"),
        (BreakEntry("Rapat", "senin", ""), "times", "Jam kosong: tulis mulai-selesai"),
        (BreakEntry("Rapat", "senin", "13:00-12:00"), "times", "Jam selesai 12:00 harus"),
        (BreakEntry("Rapat", "sabtu", "15:00-16:00"), "times", "Istirahat 15:00-16:00 berada di "
         "luar sif Sabtu (07:30-15:30)."),
        (BreakEntry("Rapat", "senin", "12:30-13:30"), "times", "Bertumpang tindih dengan "
         "'Istirahat siang' pada hari Senin."),
    ],
)  # fmt: skip
def test_each_break_problem_is_named_on_its_row(
    region: Region, row: BreakEntry, field: str, message: str
) -> None:
    breaks = [*new_vehicle_entry(region).breaks, row]
    checked = check_vehicle(_vehicle(region, breaks=breaks), [])
    assert checked.problems.get(f"breaks-2-{field}", "").startswith(message), checked.problems


def test_a_break_on_a_day_off_is_harmless(region: Region) -> None:
    shifts = {**new_vehicle_entry(region).shifts, "sat": ""}
    assert check_vehicle(_vehicle(region, shifts=shifts), []).problems == {}
