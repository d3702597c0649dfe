"""Outreach events in the domain: the form's checks, revisions on every edit, filters, exports."""

import csv
import datetime as dt
import io
from dataclasses import replace

import pytest
from openpyxl import load_workbook
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from planner.outreach import (
    EXPORT_COLUMNS,
    EventEntry,
    EventFilter,
    EventValues,
    check_event,
    create_event,
    event_entry,
    event_history,
    event_totals,
    events_csv,
    events_xlsx,
    export_rows,
    list_events,
    update_event,
)
from planner.store import EventRevision, OutreachEvent, Region, Stop, User, Village, session_scope
from tests.factories import WIB

BALOKANG, HEGARSARI = "32.79.01.2003", "32.79.02.1001"
NOW = dt.datetime(2026, 11, 30, 10, 0, tzinfo=WIB)
XSS = "<script>alert(1)</script>"
FORMULA = '=HYPERLINK("http://example.com")'


def entry(**changes: object) -> EventEntry:
    """A valid form: Monday 30 Nov 2026, 08:00-09:30 WIB at stop 1, 12 people."""
    base = EventEntry(
        date="2026-11-30", start="08:00", end="09:30", stop="1", event_type="dongeng",
        librarians=" Ani ,Budi Santoso, ani, ", counts={"anak_L": "5", "anak_P": "7",
        "satisfaction_5": "4", "satisfaction_4": "1"}, books_lent="9", new_members="2",
        notes="  Ramai sekali\r\n",
    )  # fmt: skip
    return replace(base, **changes)  # type: ignore[arg-type]


def checked(form: EventEntry, stops: tuple[int, ...] = (1, 2)) -> EventValues:
    result = check_event(form, stops, NOW, WIB, {7: 1})
    assert result.problems == {}
    assert result.value is not None
    return result.value


def test_a_valid_form_becomes_values_in_wib() -> None:
    values = checked(entry(visit="7"))
    assert values.starts_at == dt.datetime(2026, 11, 30, 8, 0, tzinfo=WIB)
    assert values.starts_at.astimezone(dt.UTC).hour == 1
    assert values.ends_at == dt.datetime(2026, 11, 30, 9, 30, tzinfo=WIB)
    assert values.librarians == ["Ani", "Budi Santoso"]
    assert values.attendance == {
        "anak": {"L": 5, "P": 7}, "remaja": {"L": 0, "P": 0},
        "dewasa": {"L": 0, "P": 0}, "lansia": {"L": 0, "P": 0},
    }  # fmt: skip
    assert values.satisfaction == {"1": 0, "2": 0, "3": 0, "4": 1, "5": 4}
    assert (values.books_lent, values.new_members, values.notes) == (9, 2, "Ramai sekali")
    assert (values.stop_id, values.visit_id, values.event_type) == (1, 7, "dongeng")


def test_the_visit_link_is_dropped_when_another_stop_is_chosen() -> None:
    assert checked(entry(visit="7", stop="2")).visit_id is None
    assert checked(entry(visit="99")).visit_id is None


@pytest.mark.parametrize(
    ("changes", "key", "message"),
    [
        ({"counts": {"anak_L": "-3"}}, "anak_L", "Tidak boleh negatif"),
        ({"counts": {"lansia_P": "dua"}}, "lansia_P", "'dua' bukan bilangan bulat"),
        ({"counts": {"remaja_P": "2.5"}}, "remaja_P", "bukan bilangan bulat"),
        ({"books_lent": "-1"}, "books_lent", "Tidak boleh negatif"),
        ({"new_members": "100000"}, "new_members", "Paling banyak 10.000"),
        ({"end": "07:45"}, "end", "Jam selesai harus setelah jam mulai 08:00"),
        ({"end": "08:00"}, "end", "Jam selesai harus setelah jam mulai 08:00"),
        ({"start": "25:00"}, "start", "bukan jam yang sah"),
        ({"date": ""}, "date", "Tanggal wajib diisi"),
        ({"date": "31-02-2026"}, "date", "bukan tanggal yang sah"),
        ({"date": "2026-12-02"}, "date", "terlalu jauh ke depan"),
        ({"stop": "3"}, "stop", "Pilih titik layanan"),
        ({"stop": ""}, "stop", "Pilih titik layanan"),
        ({"event_type": "konser"}, "event_type", "Pilih salah satu jenis kegiatan"),
        ({"librarians": " , "}, "librarians", "minimal satu nama pustakawan"),
        ({"counts": {"anak_L": "1", "satisfaction_3": "2"}}, "satisfaction", "lebih banyak"),
        ({"notes": "x" * 2001}, "notes", "paling panjang 2000"),
    ],
)
def test_each_problem_is_explained_on_its_field(
    changes: dict[str, object], key: str, message: str
) -> None:
    result = check_event(entry(**changes), (1, 2), NOW, WIB)
    assert result.value is None
    assert message in result.problems[key]


def test_events_up_to_a_day_ahead_and_in_other_spellings_are_accepted() -> None:
    tomorrow = checked(entry(date="2026-12-01", start="10:00", end=""))
    assert tomorrow.starts_at - NOW == dt.timedelta(days=1) and tomorrow.ends_at is None
    assert "date" in check_event(entry(date="2026-12-01", start="10:01"), (1,), NOW, WIB).problems
    assert checked(entry(date="30/11/2026", start="8.05")).starts_at.minute == 5
    blank = checked(entry(counts={}, books_lent="", new_members=""))
    assert blank.books_lent == 0 and sum(blank.satisfaction.values()) == 0


# --- stored events: both databases ------------------------------------------------------------


def _stop(session: Session, code: str) -> Stop:
    return session.exec(select(Stop).join(Village).where(Village.code == code)).one()


def _staff(session: Session, name: str) -> int:
    user = User(username=name.lower().replace(" ", ""), password_hash="-", role="staf")
    user.full_name = name
    session.add(user)
    session.flush()
    assert user.id is not None
    return user.id


def _log(session: Session, code: str, user_id: int | None = None, **changes: object) -> int:
    stop = _stop(session, code)
    assert stop.id is not None
    values = checked(entry(stop=str(stop.id), **changes), (stop.id,))
    event = create_event(session, values, user_id)
    assert event.id is not None
    return event.id


def test_an_edit_keeps_the_previous_state_and_explains_it(engine: Engine, region: Region) -> None:
    with session_scope(engine) as session:
        ani, budi = _staff(session, "Ani"), _staff(session, "Budi")
        event_id = _log(session, BALOKANG, ani, notes=XSS)
    with session_scope(engine) as session:
        event = session.get(OutreachEvent, event_id)
        assert event is not None and event.created_by_id == ani
        form = event_entry(event, WIB)
        assert (form.date, form.start, form.counts["anak_P"], form.notes) == (
            "2026-11-30", "08:00", "7", XSS,
        )  # fmt: skip
        changed = replace(form, counts={**form.counts, "anak_L": "6"}, event_type="lomba")
        new = checked(changed, (event.stop_id,))
        assert update_event(session, event, new, budi) is not None
        assert update_event(session, event, new, budi) is None  # nothing changed: no revision
    with Session(engine) as session:
        [revision] = session.exec(select(EventRevision)).all()
        assert revision.snapshot["attendance"]["anak"] == {"L": 5, "P": 7}
        assert revision.snapshot["event_type"] == "dongeng"
        assert revision.snapshot["starts_at"] == "2026-11-30T08:00:00+07:00"
        assert revision.changed_by_id == budi
        event = session.get(OutreachEvent, event_id)
        assert event is not None
        assert event.attendance["anak"] == {"L": 6, "P": 7} and event.updated_by_id == budi
        [edit] = event_history(session, event)
    assert edit.changed_by == "Budi"
    assert {(c.field, c.before, c.after) for c in edit.changes} == {
        ("anak_L", "5", "6"),
        ("event_type", "dongeng", "lomba"),
    }


def test_filters_use_wib_days_village_and_type_newest_first(engine: Engine, region: Region) -> None:
    with session_scope(engine) as session:
        late = _log(session, BALOKANG, date="2026-11-29", start="23:30", end="")
        early = _log(session, BALOKANG, date="2026-11-30", start="00:30", end="")
        other = _log(session, HEGARSARI, event_type="lomba")
    with Session(engine) as session:

        def ids(**filters: object) -> list[int | None]:
            return [r.event.id for r in list_events(session, EventFilter(**filters))]  # type: ignore[arg-type]

        assert ids() == [other, early, late]
        day = dt.date(2026, 11, 30)
        assert ids(start=day, end=day) == [other, early]
        assert ids(end=dt.date(2026, 11, 29)) == [late]
        assert ids(village_code=HEGARSARI) == [other]
        assert ids(event_type="dongeng") == [early, late]
        assert ids(event_type="bukan jenis") == [other, early, late]
        assert ids(village_code="99.99") == []
        row = list_events(session, EventFilter(village_code=HEGARSARI))[0]
    assert (row.village_name, row.stop_name) == ("Hegarsari", "Titik layanan Hegarsari")
    assert row.total == 12 and row.by_group["anak"] == 12


def test_totals_and_export_rows(engine: Engine, region: Region) -> None:
    with session_scope(engine) as session:
        _log(session, BALOKANG, notes=XSS, librarians=FORMULA)
        _log(session, HEGARSARI, counts={"lansia_P": "3", "dewasa_L": "4", "satisfaction_1": "2"})
    with Session(engine) as session:
        rows = list_events(session)
        totals = event_totals(rows)
        lines = export_rows(rows)
        csv_text = events_csv(rows).decode("utf-8-sig")
        workbook = load_workbook(io.BytesIO(events_xlsx(rows)))
    assert (totals.events, totals.total, totals.books_lent, totals.new_members) == (2, 19, 18, 4)
    assert totals.by_group == {"anak": 12, "remaja": 0, "dewasa": 4, "lansia": 3}
    assert totals.by_sex == {"L": 9, "P": 10}
    assert totals.satisfaction == {"1": 2, "2": 0, "3": 0, "4": 1, "5": 4}
    assert totals.satisfaction_mean == pytest.approx((2 + 4 + 20) / 7)
    hegarsari, balokang = lines
    assert hegarsari["lansia_P"] == 3 and hegarsari["dewasa"] == 4 and hegarsari["total_hadir"] == 7
    assert balokang["anak"] == 12 and balokang["laki_laki"] == 5 and balokang["perempuan"] == 7
    assert (balokang["tanggal"], balokang["hari"], balokang["mulai"]) == (
        dt.date(2026, 11, 30), "Senin", "08:00",
    )  # fmt: skip
    table = list(csv.DictReader(io.StringIO(csv_text)))
    assert tuple(table[0]) == EXPORT_COLUMNS
    assert table[1]["catatan"] == XSS
    assert table[1]["pustakawan"] == "'" + FORMULA  # a spreadsheet shows it, never runs it
    assert table[1]["anak_P"] == "7" and table[1]["desa"] == "Balokang"
    sheet = workbook["Kegiatan"]
    header = [cell.value for cell in sheet[1]]
    assert header == list(EXPORT_COLUMNS)
    notes = sheet.cell(row=3, column=header.index("catatan") + 1)
    names = sheet.cell(row=3, column=header.index("pustakawan") + 1)
    assert notes.value == XSS and names.value == FORMULA and names.data_type == "s"
    assert sheet.cell(row=3, column=header.index("anak_P") + 1).value == 7
    summary = dict(workbook["Ringkasan"].iter_rows(values_only=True))
    assert summary["Total hadir"] == 19 and summary["Jumlah kegiatan"] == 2
