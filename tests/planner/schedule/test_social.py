"""The shareable text naming a stop's days, times and link."""

from sqlalchemy.engine import Engine

from planner.core.i18n import language
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


def test_social_text_in_english_for_an_english_page(engine: Engine, region: Region) -> None:
    slots = two_week_slots(MONDAY)
    with session_scope(engine) as session:
        store(session, "published", MONDAY, 2, slots)
        schedule = load_schedule(session)
    stop = _stop(schedule, 0)
    with language("en"):
        text = social_text(schedule, stop, at(MONDAY, "07:00"), LINK)
    assert text.startswith(f"📚 The mobile library is coming to {stop.name}, ")
    assert "Every Monday and Thursday, 08:05–08:50 WIB" in text
    assert "(until Sunday, 13 December 2026)" in text and f"Full timetable: {LINK}" in text
    assert "Setiap" not in text
