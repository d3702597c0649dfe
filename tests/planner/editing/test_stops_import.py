"""Stops CSV import: creates, updates by name, refuses a bad file whole with row/column errors."""

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from planner.core import ImportRejectedError
from planner.editing import import_stops, normalise_village_code, stop_rows
from planner.store import Region, Stop, Village, session_scope

HEADER = "name,village_code,kind,lat,lon,service_minutes\n"
# Points inside Balokang (32.79.01.2003) and Banjar (32.79.01.1001).
BALOKANG = "-7.3675,108.5068"
BANJAR = "-7.3712,108.5249"


def _import(engine: Engine, region: Region, text: str, encoding: str = "utf-8") -> object:
    with session_scope(engine) as session:
        return import_stops(session, region, text.encode(encoding))


def _stops_named(session: Session, name: str) -> list[Stop]:
    return list(session.exec(select(Stop).where(Stop.name == name)))


def test_new_rows_create_surveyed_stops(engine: Engine, region: Region, session: Session) -> None:
    summary = _import(
        engine,
        region,
        HEADER + f"SDN 1 Balokang,32.79.01.2003,sekolah,{BALOKANG},60\n"
        f"Masjid Agung,3279011001,Masjid,{BANJAR},30\n",
    )
    assert (summary.created, summary.updated) == (2, 0)  # type: ignore[attr-defined]
    school = _stops_named(session, "SDN 1 Balokang")[0]
    assert (school.kind, school.service_minutes, school.approximate) == ("sekolah", 60, False)
    assert school.time_windows["sat"] == [["07:30", "15:30"]]
    assert _stops_named(session, "Masjid Agung")[0].kind == "masjid"


def test_a_row_naming_an_existing_stop_updates_it(
    engine: Engine, region: Region, session: Session
) -> None:
    text = HEADER + f"Titik layanan Balokang,32.79.01.2003,balai desa,{BALOKANG},40\n"
    summary = _import(engine, region, text)
    assert (summary.created, summary.updated) == (0, 1)  # type: ignore[attr-defined]
    stops = _stops_named(session, "Titik layanan Balokang")
    assert len(stops) == 1
    assert (stops[0].kind, stops[0].service_minutes, stops[0].lat) == ("balai desa", 40, -7.3675)
    assert stops[0].approximate is False


def test_semicolons_decimal_commas_and_windows_1252(
    engine: Engine, region: Region, session: Session
) -> None:
    text = (
        "name;village_code;kind;lat;lon;service_minutes\n"
        "TBM Pelangi Café;32.79.01.1001;tbm;-7,3712;108,5249;45\n"
    )
    _import(engine, region, text, encoding="cp1252")
    stop = _stops_named(session, "TBM Pelangi Café")[0]
    assert (stop.kind, stop.lat, stop.lon) == ("TBM", -7.3712, 108.5249)


def test_utf8_bom_header_is_understood(engine: Engine, region: Region, session: Session) -> None:
    _import(
        engine, region, "\ufeff" + HEADER + f"Posyandu Mawar,32.79.01.1001,posyandu,{BANJAR},30\n"
    )
    assert _stops_named(session, "Posyandu Mawar")


def test_a_bad_file_is_refused_whole_with_every_problem_located(
    engine: Engine, region: Region, session: Session
) -> None:
    text = (
        HEADER
        + f"SD Baik,32.79.01.2003,sekolah,{BALOKANG},60\n"
        + f"Pos Atlantis,32.79.09.9999,sekolah,{BALOKANG},60\n"
        + f"Kios,32.79.01.2003,warung,{BALOKANG},60\n"
        + "Lapangan,32.79.01.2003,lainnya,abc,108.5068,60\n"
        + f"Balai,32.79.01.2003,balai desa,{BALOKANG},0\n"
        + "Tertukar,32.79.01.2003,lainnya,108.5068,-7.3675,30\n"
    )
    with pytest.raises(ImportRejectedError) as caught:
        _import(engine, region, text)
    message = str(caught.value)
    assert "baris 3, kolom village_code: kode desa '32.79.09.9999' tidak ada" in message
    assert "baris 4, kolom kind: jenis 'warung' tidak dikenal" in message
    assert "baris 5, kolom lat: 'abc' bukan angka" in message
    assert "baris 6, kolom service_minutes" in message
    assert "baris 7, kolom lat" in message
    assert caught.value.total == 5
    assert _stops_named(session, "SD Baik") == []


def test_point_in_the_wrong_village_names_the_village(engine: Engine, region: Region) -> None:
    with pytest.raises(ImportRejectedError, match="baris 2, kolom lat/lon: .* desa Balokang"):
        _import(
            engine,
            region,
            HEADER + f"Salah,32.79.01.2003,lainnya,{BANJAR.replace('-7.3712', '-7.43')},30\n",
        )


def test_missing_required_column_is_reported_on_the_header_row(
    engine: Engine, region: Region
) -> None:
    with pytest.raises(ImportRejectedError, match="baris 1, kolom service_minutes"):
        _import(
            engine, region, "name,village_code,kind,lat,lon\nX,32.79.01.1001,TBM,-7.37,108.52\n"
        )


def test_duplicate_names_in_one_file_are_refused(engine: Engine, region: Region) -> None:
    text = (
        HEADER
        + f"SD A,32.79.01.2003,sekolah,{BALOKANG},60\nsd a,32.79.01.2003,sekolah,{BALOKANG},60\n"
    )
    with pytest.raises(
        ImportRejectedError, match="baris 3, kolom name: 'sd a' sudah ada di baris 2"
    ):
        _import(engine, region, text)


def test_export_rows_round_trip_through_import(
    engine: Engine, region: Region, session: Session
) -> None:
    from planner.core import write_csv
    from planner.editing import EXPORT_COLUMNS

    rows = stop_rows(session)
    assert len(rows) == 25
    assert {"name", "village_code", "kind", "lat", "lon", "service_minutes"} <= set(rows[0])
    summary = _import(engine, region, write_csv(rows, EXPORT_COLUMNS))
    assert (summary.created, summary.updated) == (0, 25)  # type: ignore[attr-defined]
    session.expire_all()
    assert all(stop.approximate for stop in session.exec(select(Stop)))


@pytest.mark.parametrize(
    ("given", "expected"),
    [("3279012003", "32.79.01.2003"), (" 32.79.01.2003 ", "32.79.01.2003"), ("abc", "abc")],
)
def test_village_codes_with_or_without_dots(given: str, expected: str) -> None:
    assert normalise_village_code(given) == expected


def test_villages_are_untouched_by_a_stop_import(
    engine: Engine, region: Region, session: Session
) -> None:
    _import(engine, region, HEADER + f"SD X,32.79.01.2003,sekolah,{BALOKANG},60\n")
    assert len(session.exec(select(Village)).all()) == 25
