"""Parsing and checking the stop and vehicle forms: values out, or one clear message per field."""

import json
from dataclasses import replace

import pytest
from shapely.geometry import shape

from geodata import load_region
from planner.editing import (
    BreakEntry,
    StopEntry,
    VehicleEntry,
    VillageShapes,
    check_stop,
    check_vehicle,
    format_day_patterns,
    format_weekdays,
    format_windows,
    new_stop_entry,
    new_vehicle_entry,
    parse_day_patterns,
    parse_decimal,
    parse_shift,
    parse_weekdays,
    parse_windows,
    stop_entry,
    vehicle_entry,
)
from planner.store import Region, Stop, Vehicle, Village, region_settings

BALOKANG = "32.79.01.2003"
WORKDAY = "07:30-15:30"


@pytest.fixture(scope="module")
def shapes() -> VillageShapes:
    pack = load_region("kota_banjar")
    villages = [
        Village(code=v.code, name=v.name, geometry=v.geometry_geojson) for v in pack.villages
    ]
    return VillageShapes(villages, pack.name)


@pytest.fixture(scope="module")
def region() -> Region:
    pack = load_region("kota_banjar")
    return Region(slug=pack.slug, code=pack.code, name=pack.name, settings=region_settings(pack))


@pytest.fixture(scope="module")
def inside() -> tuple[float, float]:
    village = next(v for v in load_region("kota_banjar").villages if v.code == BALOKANG)
    return village.inside_lat, village.inside_lon


@pytest.fixture
def entry(inside: tuple[float, float]) -> StopEntry:
    return StopEntry(
        name="SDN 1 Balokang", village=BALOKANG, kind="sekolah",
        lat=str(inside[0]), lon=str(inside[1]), service_minutes="60",
        windows={"mon": "07:30-12:00, 13:00-15:00", "thu": "07:30-11:00"},
        vehicle_kinds=["van", "motor"], visits_override="", day_patterns="senin+kamis",
        crates="2", notes=" Parkir di halaman ", approximate=False, active=True,
    )  # fmt: skip


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


def test_a_good_stop_form_gives_the_values_to_store(
    entry: StopEntry, shapes: VillageShapes
) -> None:
    checked = check_stop(entry, shapes, [])
    assert checked.problems == {}
    values = checked.value
    assert values is not None
    assert values.time_windows == {
        "mon": [["07:30", "12:00"], ["13:00", "15:00"]],
        "thu": [["07:30", "11:00"]],
    }
    assert values.day_patterns == [["mon", "thu"]]
    assert (values.crates, values.notes, values.visits_override) == (2, "Parkir di halaman", None)
    stop = Stop(village_id=1, name="", lat=0, lon=0)
    values.apply_to(stop, 7)
    assert (stop.village_id, stop.name, stop.kind, stop.service_minutes) == (
        7, "SDN 1 Balokang", "sekolah", 60,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": "  "}, "name", "Nama titik layanan wajib diisi."),
        ({"village": "32.79.09.9999"}, "village", "Pilih desa/kelurahan"),
        ({"kind": "pasar"}, "kind", "Pilih salah satu jenis: sekolah, balai desa"),
        ({"lat": ""}, "lat", "Lintang wajib diisi: ketik angkanya atau klik peta."),
        ({"lon": "abc"}, "lon", "'abc' bukan angka."),
        ({"lat": "-97"}, "lat", "Lintang harus antara -90 dan 90."),
        ({"service_minutes": "3"}, "service_minutes", "Isi bilangan antara 5 dan 480."),
        ({"service_minutes": "satu jam"}, "service_minutes", "'satu jam' bukan bilangan bulat."),
        ({"service_minutes": "300"}, "service_minutes", "Layanan 300 menit tidak muat"),
        ({"windows": {"mon": "12:00-07:30"}}, "windows-mon", "Jam selesai 07:30 harus setelah"),
        ({"windows": {}}, "windows", "Titik ini tutup setiap hari"),
        ({"vehicle_kinds": []}, "vehicle_kinds", "Pilih minimal satu jenis kendaraan"),
        ({"vehicle_kinds": ["bus"]}, "vehicle_kinds", "Pilih minimal satu jenis kendaraan"),
        ({"visits_override": "0"}, "visits_override", "Isi bilangan antara 1 dan 28."),
        (
            {"day_patterns": "senin+sabtu"},
            "day_patterns",
            "Pola senin+sabtu memakai hari Sabtu, padahal",
        ),
        ({"day_patterns": "senin+kmis"}, "day_patterns", "'kmis' bukan nama hari"),
        ({"crates": "-1"}, "crates", "Isi bilangan antara 0 dan 50."),
        ({"notes": "x" * 2001}, "notes", "Catatan paling panjang 2000 karakter."),
    ],
)
def test_each_stop_problem_is_named_on_its_field(
    entry: StopEntry, shapes: VillageShapes, changes: dict[str, object], field: str, message: str
) -> None:
    checked = check_stop(replace(entry, **changes), shapes, [])  # type: ignore[arg-type]
    assert checked.value is None
    assert field in checked.problems, checked.problems
    assert checked.problems[field].startswith(message), checked.problems[field]


def test_stop_names_are_unique_within_their_village(
    entry: StopEntry, shapes: VillageShapes
) -> None:
    taken = [(BALOKANG, "sdn 1 BALOKANG")]
    checked = check_stop(entry, shapes, taken)
    assert checked.problems == {"name": "Sudah ada titik bernama 'SDN 1 Balokang' di Balokang."}
    assert check_stop(entry, shapes, [("32.79.01.1001", "SDN 1 Balokang")]).problems == {}


def test_a_point_in_another_village_says_where_it_is(
    entry: StopEntry, shapes: VillageShapes
) -> None:
    far = next(v for v in load_region("kota_banjar").villages if v.code == "32.79.04.2001")
    moved = replace(entry, lat=str(far.inside_lat), lon=str(far.inside_lon))
    message = check_stop(moved, shapes, []).problems["lat"]
    assert message.endswith("berada di Langensari, bukan di Balokang.")


def test_a_point_outside_the_city_and_a_missing_minus_sign(
    entry: StopEntry, shapes: VillageShapes, inside: tuple[float, float]
) -> None:
    far = check_stop(replace(entry, lat="-6.2", lon="106.8"), shapes, []).problems["lat"]
    assert far == "Titik (-6.2, 106.8) berada di luar Kota Banjar."
    north = check_stop(replace(entry, lat=str(-inside[0])), shapes, []).problems["lat"]
    assert f"bernilai negatif: maksud Anda {inside[0]}?" in north


def test_a_point_just_past_the_village_edge_is_accepted(
    entry: StopEntry, shapes: VillageShapes
) -> None:
    # The polygons are simplified; the importer's ~1 km slack applies to the form too.
    village = next(v for v in load_region("kota_banjar").villages if v.code == BALOKANG)
    edge = shape(json.loads(village.geometry_geojson)).exterior.coords[0]
    moved = replace(entry, lat=str(edge[1] + 0.0001), lon=str(edge[0]))
    assert "lat" not in check_stop(moved, shapes, []).problems


def test_a_stored_stop_shows_as_form_texts(entry: StopEntry, shapes: VillageShapes) -> None:
    values = check_stop(entry, shapes, []).value
    assert values is not None
    stop = Stop(village_id=1, name="", lat=0, lon=0)
    values.apply_to(stop, 1)
    shown = stop_entry(stop, BALOKANG)
    assert shown.windows["mon"] == "07:30-12:00, 13:00-15:00"
    assert shown.windows["sun"] == ""
    assert shown.day_patterns == "senin+kamis"
    assert check_stop(shown, shapes, []).value == values


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
