"""The shareable text naming a stop's days, times and link."""

from sqlalchemy.engine import Engine

from planner.schedule import load_schedule, social_text
from planner.store import Region, session_scope
from tests.planner.schedule.helpers import LINK, MONDAY, _stop, at, store, two_week_slots, week


def test_social_text_names_the_place_days_times_and_link(engine: Engine, region: Region) -> None:
    slots = two_week_slots(MONDAY)
    with session_scope(engine) as session:
        store(session, "published", MONDAY, 2, slots)
        schedule = load_schedule(session)
    now = at(MONDAY, "07:00")
    weekly = social_text(schedule, _stop(schedule, 0), now, LINK)
    stop = _stop(schedule, 0)
    assert weekly.startswith(f"📚 Perpustakaan Keliling datang ke {stop.name}, ")
    assert stop.village.name in weekly
    assert "Setiap Senin dan Kamis, pukul 08:05–08:50 WIB" in weekly
    assert "Setiap Sabtu, pukul 13:00–13:45 WIB" in weekly
    assert "(sampai Minggu, 13 Desember 2026)" in weekly and f"Jadwal lengkap: {LINK}" in weekly
    moving = social_text(schedule, _stop(schedule, 1), now, LINK)
    assert "- Selasa, 1 Desember 2026, pukul 09:00–09:45 WIB" in moving
    assert "- Rabu, 9 Desember 2026, pukul 10:00–10:45 WIB" in moving
    late = social_text(schedule, _stop(schedule, 1), at(MONDAY + week(2), "07:00"), LINK)
    assert "Belum ada jadwal kunjungan berikutnya." in late
