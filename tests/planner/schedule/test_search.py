"""Finding villages and stops by address, code, kecamatan or misspelling."""

from sqlalchemy.engine import Engine
from sqlmodel import Session

from planner.schedule import Schedule, ScheduledStop, VillageInfo, find_places, load_schedule
from planner.store import Region
from tests.factories import WIB


def test_find_places_by_address_code_and_misspelling(engine: Engine, region: Region) -> None:
    with Session(engine) as session:
        schedule = load_schedule(session)
    found = find_places(schedule, "Jl. Siliwangi No. 5, Kel. HEGARSARI")
    assert [v.name for v in found.villages] == ["Hegarsari"]
    assert [s.village.name for s in found.stops] == ["Hegarsari"]
    by_code = find_places(schedule, found.villages[0].code.replace(".", ""))
    assert by_code.villages == found.villages
    typo = find_places(schedule, "Hegarsar1")
    assert not typo.villages and not typo.stops and typo.suggestions[0].name == "Hegarsari"
    assert find_places(schedule, "  ") == find_places(schedule, "x")


def test_a_kecamatan_name_finds_its_villages_when_no_village_has_it() -> None:
    villages = (
        VillageInfo("1", "Alpha", "desa", "Beta"),
        VillageInfo("2", "Gamma", "desa", "Delta"),
    )
    stops = tuple(
        ScheduledStop(int(v.code), f"Balai {v.name}", "balai desa", -7.3, 108.5, False, v, ())
        for v in villages
    )
    schedule = Schedule(None, None, 0, None, villages, stops, WIB)
    found = find_places(schedule, "Kecamatan Beta")
    assert found.villages == villages[:1] and found.stops == stops[:1]
    assert find_places(schedule, "balai gamma").stops == stops[1:]
