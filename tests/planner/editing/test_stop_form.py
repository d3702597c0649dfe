"""Checking the stop form: values out, or one clear message per field."""

import json
from dataclasses import replace

import pytest
from shapely.geometry import shape

from geodata import load_region
from planner.editing import StopEntry, VillageShapes, check_stop, stop_entry
from planner.store import Stop, Village
from tests.planner.editing.helpers import BALOKANG


@pytest.fixture(scope="module")
def shapes() -> VillageShapes:
    pack = load_region("kota_banjar")
    villages = [
        Village(code=v.code, name=v.name, geometry=v.geometry_geojson) for v in pack.villages
    ]
    return VillageShapes(villages, pack.name)


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
