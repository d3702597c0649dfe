"""The monthly report from a hand-built month, on SQLite and PostgreSQL.

The week of Monday 30 Nov 2026 is solved once and stored three times: plan A, published on
27 Nov; plan B, the same routes, published on Wednesday 2 Dec at noon (A becomes archived);
and a draft. So Mon 30 Nov and Tue 1 Dec count A's visits, Wed 2 - Sat 5 Dec count B's, and
the draft never counts:

    day      30/11  1/12 | 2/12  3/12  4/12  5/12
    counted    A     A   |  B     B     B     B
"""

import datetime as dt
from collections import Counter
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from planner.core.i18n import language
from planner.plans import build_problem, plan_json, publish_plan, record_checkin, store_plan
from planner.reports import Activity, Month, monthly_report, plans_by_day
from planner.store import OutreachEvent, Region, Stop, Village, Visit, session_scope
from tests.factories import WIB, solved_once

MONDAY = dt.date(2026, 11, 30)
DECEMBER, NOVEMBER, JANUARY = Month(2026, 12), Month(2026, 11), Month(2027, 1)


def wib(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=WIB)


def _visits(session: Session, plan_id: int, day: str) -> list[dict[str, Any]]:
    routes = plan_json(session, plan_id)["routes"]
    return [v for r in routes if r["date"] == day for v in r["visits"]]


def _checkin(session: Session, visit: dict[str, Any], *statuses: str) -> None:
    row = session.get(Visit, visit["visit_id"])
    assert row is not None
    for status in statuses:
        note = "jalan banjir" if status == "dilewati" else ""
        # Tapped at the stop on the route's day: only such taps count.
        record_checkin(session, row, status, note, now=row.planned_departure)


def _stop_of(session: Session, index: int) -> tuple[int, str]:
    village = session.exec(select(Village).order_by(col(Village.code))).all()[index]
    stop = session.exec(select(Stop).where(Stop.village_id == village.id)).first()
    assert stop is not None and stop.id is not None
    return stop.id, village.code


def _event(stop_id: int, starts_at: dt.datetime, librarians: list[str], **fields: Any) -> Any:
    return OutreachEvent(
        stop_id=stop_id, starts_at=starts_at, librarians=librarians,
        event_type=fields.pop("event_type", "dongeng"), **fields,
    )  # fmt: skip


@pytest.fixture
def month(engine: Engine, region: Region) -> dict[str, Any]:
    """Plans A, B and a draft; check-ins on counted and uncounted visits; five events."""
    with session_scope(engine) as session:
        problem, context = build_problem(session, MONDAY, 1)
        solved = solved_once(problem)
        a, b, draft = (store_plan(session, problem, solved, context, 1) for _ in range(3))
        assert a.id and b.id and draft.id
        publish_plan(session, a.id)
        publish_plan(session, b.id)
        a.published_at, b.published_at = wib(2026, 11, 27, 10), wib(2026, 12, 2, 12)
        session.add_all([a, b])
        tuesday_a, tuesday_b = (_visits(session, p, "2026-12-01") for p in (a.id, b.id))
        thursday_a, thursday_b = (_visits(session, p, "2026-12-03") for p in (a.id, b.id))
        assert len(tuesday_a) >= 2 and len(thursday_b) >= 2
        _checkin(session, tuesday_a[0], "tiba", "selesai")  # counted: done
        _checkin(session, tuesday_a[1], "dilewati")  # counted: skipped
        _checkin(session, thursday_b[0], "selesai")  # counted: done
        _checkin(session, thursday_b[1], "dilewati", "selesai")  # counted: done, not skipped
        _checkin(session, tuesday_b[0], "selesai")  # B was not yet published on Tuesday
        _checkin(session, thursday_a[0], "selesai")  # A was archived by Thursday
        drafted = [v for r in plan_json(session, draft.id)["routes"] for v in r["visits"]]
        _checkin(session, drafted[-1], "selesai")  # a draft's visit: never counted
        x, x_code = _stop_of(session, 0)
        y, y_code = _stop_of(session, 1)
        session.add_all([
            _event(x, wib(2026, 12, 1, 9), ["Siti Aminah", "Budi Santoso"],
                   attendance={"anak": {"L": 5, "P": 7}, "remaja": {"L": 1, "P": 0}},
                   books_lent=12, new_members=3, satisfaction={"4": 2, "5": 6}),
            _event(x, wib(2026, 12, 3, 13, 30), ["  siti   AMINAH "], event_type="bedah buku",
                   attendance={"dewasa": {"L": 2, "P": 4}, "lansia": {"L": 0, "P": 3}},
                   books_lent=5, new_members=1, satisfaction={"3": 1, "5": 1}),
            _event(y, wib(2026, 12, 31, 23, 30), [], event_type="literasi digital",
                   attendance={"remaja": {"L": 4, "P": 6}}, new_members=2),
            _event(y, wib(2027, 1, 1, 0, 30), ["Budi Santoso"],
                   attendance={"anak": {"L": 9, "P": 9}}, books_lent=9),
            _event(x, wib(2026, 11, 30, 23, 59), ["Budi Santoso"],
                   attendance={"dewasa": {"L": 1, "P": 1}}, books_lent=1),
        ])  # fmt: skip
        counted = {d: a.id if d == "2026-12-01" else b.id for d in _december_days()}
        expected = Counter(
            v["village_code"]
            for day, plan_id in counted.items()
            for v in _visits(session, plan_id, day)
        )
        done = Counter(v["village_code"] for v in (tuesday_a[0], thursday_b[0], thursday_b[1]))
        return {
            "ids": (a.id, b.id, draft.id), "planned": expected, "done": done,
            "skipped": Counter([tuesday_a[1]["village_code"]]), "x": x_code, "y": y_code,
        }  # fmt: skip


def _december_days() -> list[str]:
    return [(MONDAY + dt.timedelta(days=n)).isoformat() for n in range(1, 6)]


def _by_code(report: Any) -> dict[str, Any]:
    return {v.code: v for v in report.villages}


def test_each_day_counts_the_plan_drivers_followed(engine: Engine, month: dict[str, Any]) -> None:
    a, b, _draft = month["ids"]
    with Session(engine) as session:
        days = plans_by_day(session, DECEMBER)
        assert plans_by_day(session, NOVEMBER) == {MONDAY: a}
    assert days[dt.date(2026, 12, 1)] == a and days[dt.date(2026, 12, 3)] == b
    assert {p for d, p in days.items() if d >= dt.date(2026, 12, 2)} == {b}


def test_visits_planned_done_and_skipped_per_village(engine: Engine, month: dict[str, Any]) -> None:
    with Session(engine) as session:
        report = monthly_report(session, DECEMBER)
    villages = _by_code(report)
    assert len(villages) == 25
    assert {c: v.visits.planned for c, v in villages.items() if v.visits.planned} == month[
        "planned"
    ]
    assert {c: v.visits.done for c, v in villages.items() if v.visits.done} == month["done"]
    assert {c: v.visits.skipped for c, v in villages.items() if v.visits.skipped} == (
        month["skipped"]
    )
    assert (report.visits.done, report.visits.skipped) == (3, 1)
    assert report.plan_ids == month["ids"][:2]
    assert report.iplm()["service_visits"] == 3
    assert report.iplm()["villages_served"] == len(month["done"])


def test_events_by_village_with_attendance_books_members_and_satisfaction(
    engine: Engine, month: dict[str, Any]
) -> None:
    with Session(engine) as session:
        report = monthly_report(session, DECEMBER)
    x, y = _by_code(report)[month["x"]].activity, _by_code(report)[month["y"]].activity
    assert x.events == 2 and y.events == 1
    assert [x.people(g, s) for g in ("anak", "remaja", "dewasa", "lansia") for s in "LP"] == [
        5, 7, 1, 0, 2, 4, 0, 3,
    ]  # fmt: skip
    assert (x.participants, x.books_lent, x.new_members) == (22, 17, 4)
    assert x.satisfaction == (0, 0, 1, 2, 7) and x.satisfaction_mean == pytest.approx(4.6)
    assert (y.group_total("remaja"), y.participants, y.new_members) == (10, 10, 2)
    assert y.satisfaction_mean is None
    city = report.activity
    assert (city.events, city.participants, city.books_lent, city.new_members) == (3, 32, 17, 6)
    assert (city.answers, city.satisfaction_mean) == (10, pytest.approx(4.6))
    assert report.events_by_type(["dongeng", "bedah buku", "literasi digital", "lomba"]) == [
        ("dongeng", 1), ("bedah buku", 1), ("literasi digital", 1), ("lomba", 0),
    ]  # fmt: skip
    assert [e.starts_at for e in report.events][-1] == wib(2026, 12, 31, 23, 30)


def test_per_librarian_names_match_ignoring_case_and_spacing(
    engine: Engine, month: dict[str, Any]
) -> None:
    with Session(engine) as session:
        rows = monthly_report(session, DECEMBER).librarians
    assert [(r.name, r.activity.events, r.activity.participants) for r in rows] == [
        ("Budi Santoso", 1, 13), ("Siti Aminah", 2, 22), ("", 1, 10),
    ]  # fmt: skip
    assert [(r.activity.books_lent, r.activity.new_members) for r in rows] == [
        (12, 3), (17, 4), (0, 2),
    ]  # fmt: skip


def test_month_edges_follow_wib(engine: Engine, month: dict[str, Any]) -> None:
    with Session(engine) as session:
        january, november = monthly_report(session, JANUARY), monthly_report(session, NOVEMBER)
    assert [(e.librarians, e.activity.participants) for e in january.events] == [
        (("Budi Santoso",), 18),
    ]
    assert january.visits.planned == 0 and january.plan_ids == ()
    assert [e.starts_at for e in november.events] == [wib(2026, 11, 30, 23, 59)]
    assert november.visits.done == 0 and november.visits.planned > 0


def test_a_month_without_data_gives_zeros(engine: Engine, region: Region) -> None:
    with Session(engine) as session:
        report = monthly_report(session, Month(2027, 3))
    assert len(report.villages) == 25 and report.librarians == () and report.events == ()
    assert report.visits.planned == report.visits.done == report.visits.skipped == 0
    assert report.activity == Activity()
    assert report.visits.done_share is None and report.activity.satisfaction_mean is None
    assert set(report.iplm().values()) == {0}


def test_unreadable_counts_count_as_zero() -> None:
    activity = Activity.of_event(
        {"anak": {"L": "3", "P": -2}, "bayi": {"L": 4}, "remaja": "banyak"},
        True,  # type: ignore[arg-type]
        7,
        {"5": 2, "6": 9, "x": 1},
    )
    assert (activity.participants, activity.books_lent, activity.new_members) == (3, 0, 7)
    assert activity.satisfaction == (0, 0, 0, 0, 2)


@pytest.mark.parametrize(
    ("text", "month", "previous", "following", "last"),
    [
        ("2026-12", Month(2026, 12), Month(2026, 11), Month(2027, 1), dt.date(2026, 12, 31)),
        (" 2028-02 ", Month(2028, 2), Month(2028, 1), Month(2028, 3), dt.date(2028, 2, 29)),
        ("2027-01", Month(2027, 1), Month(2026, 12), Month(2027, 2), dt.date(2027, 1, 31)),
    ],
)
def test_month_parses_and_steps(
    text: str, month: Month, previous: Month, following: Month, last: dt.date
) -> None:
    parsed = Month.parse(text)
    assert (parsed, parsed.previous, parsed.next, parsed.last) == (month, previous, following, last)
    assert parsed.bounds(WIB)[0] == dt.datetime.combine(month.first, dt.time(0), tzinfo=WIB)


@pytest.mark.parametrize("text", ["2026-13", "2026-00", "2026-1", "26-11", "abc", "1999-12", ""])
def test_month_refuses_anything_else(text: str) -> None:
    with pytest.raises(ValueError, match="bulan tidak valid"):
        Month.parse(text)


def test_the_last_month_allowed_has_its_days_but_no_month_after() -> None:
    last = Month.parse("2100-12")
    assert last.last == dt.date(2100, 12, 31)
    assert last.bounds(WIB)[1] == dt.datetime(2101, 1, 1, tzinfo=WIB)
    with pytest.raises(ValueError, match="bulan tidak valid"):
        _ = last.next
    with pytest.raises(ValueError, match="bulan tidak valid"):
        _ = Month.parse("2000-01").previous


def test_a_bad_month_is_explained_in_english_on_request() -> None:
    with language("en"), pytest.raises(ValueError, match=r"not a valid month: 'abc' \(use YYYY"):
        Month.parse("abc")
