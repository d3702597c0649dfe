"""Reading one month from the database into a MonthlyReport (rules in model.py)."""

import datetime as dt
from collections import defaultdict

from sqlalchemy import select as sql_select
from sqlmodel import Session, col, select

from planner.plans import on_route_day
from planner.reports.model import (
    Activity,
    EventLine,
    LibrarianRow,
    Month,
    MonthlyReport,
    VillageRow,
    VisitCounts,
)
from planner.store import CheckIn, OutreachEvent, Plan, Route, Stop, Village, Visit, region_zone

COUNTED_STATUSES = ("published", "archived")


def _aware(moment: dt.datetime) -> dt.datetime:
    # Databases without time zones hand back UTC without an offset.
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def plans_by_day(session: Session, month: Month) -> dict[dt.date, int]:
    """For each day of the month with routes, the id of the plan drivers followed that day."""
    query = (
        select(
            col(Route.service_date),
            col(Route.plan_id),
            col(Plan.published_at),
            col(Plan.created_at),
        )
        .join(Plan, col(Route.plan_id) == col(Plan.id))
        .where(col(Plan.status).in_(COUNTED_STATUSES))
        .where(col(Route.service_date) >= month.first, col(Route.service_date) <= month.last)
        .distinct()
    )
    candidates: dict[dt.date, list[tuple[dt.datetime, int]]] = defaultdict(list)
    for day, plan_id, published_at, created_at in session.exec(query):
        candidates[day].append((_aware(published_at or created_at), plan_id))
    chosen = {}
    zone = region_zone(session)
    for day, plans in candidates.items():
        day_end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tzinfo=zone)
        before = [p for p in plans if p[0] < day_end]
        chosen[day] = max(before)[1] if before else min(plans)[1]
    return chosen


def _counted_routes(session: Session, month: Month, plans: dict[dt.date, int]) -> list[int]:
    query = select(col(Route.id), col(Route.service_date), col(Route.plan_id)).where(
        col(Route.plan_id).in_(set(plans.values())),
        col(Route.service_date) >= month.first,
        col(Route.service_date) <= month.last,
    )
    rows = session.exec(query)
    return [route_id for route_id, day, plan_id in rows if route_id and plans[day] == plan_id]


def visit_counts(session: Session, month: Month) -> tuple[dict[int, VisitCounts], list[int]]:
    """Visits planned, done and skipped per village id; the ids of the plans counted.

    A check-in tapped outside its route's day (a week early, a phone clock in 1999) counts for
    nothing, even if it was stored before such taps were refused.
    """
    plans = plans_by_day(session, month)
    query = (
        select(col(Visit.id), col(Stop.village_id), col(Route.service_date), CheckIn)
        .join(Stop, col(Visit.stop_id) == col(Stop.id))
        .join(Route, col(Visit.route_id) == col(Route.id))
        .outerjoin(CheckIn, col(CheckIn.visit_id) == col(Visit.id))
        .where(col(Visit.route_id).in_(_counted_routes(session, month, plans)))
    )
    zone = region_zone(session)
    statuses: dict[int, set[str]] = defaultdict(set)
    villages: dict[int, int] = {}
    for visit_id, village_id, day, checkin in session.exec(query):
        assert visit_id is not None  # a stored row
        villages[visit_id] = village_id
        if checkin and on_route_day(checkin.tapped_at or checkin.recorded_at, day, zone):
            statuses[visit_id].add(checkin.status)
    counts: dict[int, VisitCounts] = defaultdict(VisitCounts)
    for visit_id, village_id in villages.items():
        done = "selesai" in statuses[visit_id]
        skipped = not done and "dilewati" in statuses[visit_id]
        counts[village_id] += VisitCounts(1, int(done), int(skipped))
    return dict(counts), sorted(set(plans.values()))


def _name(text: str) -> str:
    return " ".join(str(text).split())


def month_events(session: Session, month: Month) -> list[EventLine]:
    """The month's outreach events (by their local start), oldest first."""
    zone = region_zone(session)
    start, end = month.bounds(zone)
    event = OutreachEvent
    query = (  # the columns, not the events: no ORM objects for a month of events
        sql_select(
            col(event.id),
            col(event.starts_at),
            col(event.event_type),
            col(event.librarians),
            col(event.attendance),
            col(event.books_lent),
            col(event.new_members),
            col(event.satisfaction),
            col(event.notes),
            col(Stop.name),
            col(Village.code),
            col(Village.name),
        )
        .join(Stop, col(event.stop_id) == col(Stop.id))
        .join(Village, col(Stop.village_id) == col(Village.id))
        .where(col(event.starts_at) >= start, col(event.starts_at) < end)
        .order_by(col(event.starts_at), col(event.id))
    )
    lines = []
    for row in session.execute(query):
        (event_id, starts_at, kind, librarians, attendance, books, members, satisfaction, notes,
         stop, code, village) = row  # fmt: skip
        activity = Activity.of_event(attendance or {}, books, members, satisfaction or {})
        names = tuple(n for n in (_name(x) for x in librarians or ()) if n)
        lines.append(
            EventLine(
                event_id or 0,
                _aware(starts_at).astimezone(zone),
                code,
                village,
                stop,
                kind,
                names,
                activity,
                notes,
            )  # fmt: skip
        )
    return lines


def librarian_rows(events: list[EventLine]) -> list[LibrarianRow]:
    """Per librarian (names matched ignoring case and spacing), then events naming nobody."""
    spelling: dict[str, str] = {}
    totals: dict[str, Activity] = defaultdict(Activity)
    for event in events:
        keys = {name.casefold(): name for name in event.librarians} or {"": ""}
        for key, name in keys.items():
            spelling.setdefault(key, name)
            totals[key] += event.activity
    named = sorted((k for k in totals if k), key=lambda k: (spelling[k].casefold(), k))
    rows = [LibrarianRow(spelling[k], totals[k]) for k in named]
    return rows + ([LibrarianRow("", totals[""])] if "" in totals else [])


def monthly_report(session: Session, month: Month) -> MonthlyReport:
    """The month's report: every village (by code), every librarian, every event."""
    visits, plan_ids = visit_counts(session, month)
    events = month_events(session, month)
    activity: dict[str, Activity] = defaultdict(Activity)
    for event in events:
        activity[event.village_code] += event.activity
    villages = tuple(
        VillageRow(
            v.code, v.name, v.kecamatan, visits.get(v.id or 0, VisitCounts()), activity[v.code]
        )
        for v in session.exec(select(Village).order_by(col(Village.code)))
    )
    return MonthlyReport(
        month, villages, tuple(librarian_rows(events)), tuple(events), tuple(plan_ids)
    )
