"""Installing the Kota Banjar pack into the database, on SQLite and PostgreSQL."""

from sqlalchemy.engine import Engine
from sqlmodel import Session, func, select

from geodata import load_region
from planner.store import (
    Depot,
    Region,
    Stop,
    Vehicle,
    Village,
    install_default_stops,
    install_default_vehicles,
    install_region,
    session_scope,
)


def test_region_villages_and_population_are_stored(region: Region, session: Session) -> None:
    villages = session.exec(select(Village)).all()
    assert len(villages) == 25
    assert sum(v.population_estimate for v in villages) == 209_317
    assert sum(v.population_2010 for v in villages) == 175_157
    stored = session.exec(select(Region)).one()
    assert stored.timezone == "Asia/Jakarta"
    assert stored.settings["working_days"] == ["mon", "tue", "wed", "thu", "fri", "sat"]
    assert stored.settings["shift"] == {"start": "07:30", "end": "15:30"}


def test_default_stops_are_one_approximate_stop_per_village(
    region: Region, session: Session
) -> None:
    stops = session.exec(select(Stop, Village).join(Village)).all()
    assert len(stops) == 25
    assert all(stop.approximate for stop, _ in stops)
    assert {stop.name for stop, _ in stops} == {f"Titik layanan {v.name}" for _, v in stops}
    banjar = next(stop for stop, village in stops if village.code == "32.79.01.1001")
    assert banjar.time_windows["mon"] == [["07:30", "15:30"]]
    assert "sun" not in banjar.time_windows


def test_demo_fleet_has_a_van_and_a_motorbike_with_friday_prayer_break(
    region: Region, session: Session
) -> None:
    vehicles = session.exec(select(Vehicle).order_by(Vehicle.kind)).all()
    assert [v.kind for v in vehicles] == ["motor", "van"]
    van = vehicles[1]
    assert van.shifts["fri"] == ["07:30", "15:30"]
    friday = [b for b in van.breaks if "fri" in b["weekdays"]]
    assert [(b["start"], b["end"]) for b in friday] == [("11:30", "13:00")]
    lunch = [b for b in van.breaks if "mon" in b["weekdays"]]
    assert [(b["start"], b["end"]) for b in lunch] == [("12:00", "13:00")]


def test_installing_again_keeps_the_users_corrections(region: Region, engine: Engine) -> None:
    with session_scope(engine) as session:
        depot = session.exec(select(Depot)).one()
        depot.lat, depot.lon, depot.approximate = -7.3700, 108.5300, False
        stop = session.exec(select(Stop).order_by(Stop.id)).first()
        assert stop is not None
        stop.name, stop.approximate = "SDN 1 Banjar", False
        session.add_all([depot, stop])
    pack = load_region("kota_banjar")
    with session_scope(engine) as session:
        installed, summary = install_region(session, pack)
        assert (summary.villages_created, summary.villages_updated) == (0, 25)
        assert install_default_stops(session, installed, pack) == 0
        assert install_default_vehicles(session, installed) == 0
    with Session(engine) as session:
        depot = session.exec(select(Depot)).one()
        assert (depot.lat, depot.lon, depot.approximate) == (-7.37, 108.53, False)
        assert session.exec(select(func.count()).select_from(Stop)).one() == 25
        assert session.exec(select(Stop).where(Stop.name == "SDN 1 Banjar")).one()
        assert session.exec(select(func.count()).select_from(Vehicle)).one() == 2
