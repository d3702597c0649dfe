"""Small builders for test inputs."""

import csv
import datetime as dt
import io
import pickle
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from flask import Flask
from sqlmodel import Session, select

from geodata import load_region
from planner.core import zone_of
from planner.plans import (
    build_problem,
    driver_token,
    plan_json,
    publish_plan,
    record_checkin,
    store_plan,
)
from planner.routing import (
    BreakRule,
    Depot,
    Plan,
    Problem,
    SolveParams,
    StopSpec,
    VehicleSpec,
    Window,
    solve,
)
from planner.store import (
    CheckIn,
    OutreachEvent,
    Region,
    Stop,
    Vehicle,
    Visit,
    make_engine,
    published_plan,
    session_scope,
)
from planner.travel import TravelMatrix
from web.db import get_session

WIB = zone_of("Asia/Jakarta")  # the demo region's zone (Kota Banjar)

SURVEY_HEADER = (
    "desa", "usia", "jenis_kelamin", "pekerjaan", "fm", "dm", "jb", "fai", "dai",
    "anggota_perpustakaan", "waktu_tempuh", "minat", "hari", "waktu", "topik",
)  # fmt: skip
SURVEY_ROWS = (
    ("Ds. BALOKANG", "dewasa", "P", "irt", "5", "90", "3", "7", "60", "ya", "20", "5",
     "senin sabtu", "pagi", "kesehatan agama"),
    ("Kel. Hegarsari", "remaja", "L", "pelajar", "3", "45", "1", "7", "120", "tidak", "15", "4",
     "sabtu", "sore", "fiksi teknologi"),
    ("3279012005", "lansia", "P", "tidak_bekerja", "2", "30", "0", "0", "0", "tidak", "40", "2",
     "jumat", "pagi", "agama"),
)  # fmt: skip


def village_pairs() -> list[tuple[str, str]]:
    """(code, name) of Kota Banjar's villages."""
    return [(v.code, v.name) for v in load_region("kota_banjar").villages]


def survey_csv(
    rows: Sequence[Sequence[str]] = SURVEY_ROWS,
    header: Sequence[str] = SURVEY_HEADER,
    delimiter: str = ",",
    line_end: str = "\n",
) -> str:
    """A survey export as text."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator=line_end)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def survey_xlsx(rows: Sequence[Sequence[str]] = SURVEY_ROWS) -> bytes:
    """The same export as an XLSX workbook (numbers stored as numbers, as Excel does)."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(list(SURVEY_HEADER))
    for row in rows:
        sheet.append([int(v) if v.isdigit() and len(v) < 6 else v for v in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


HOUR_S = 3600
WORK_WEEK = ("mon", "tue", "wed", "thu", "fri", "sat")


def hours(start: float, end: float) -> Window:
    """A time-of-day window from decimal hours (8.5 = 08:30)."""
    return Window(round(start * HOUR_S), round(end * HOUR_S))


def line_matrix(
    positions_m: Sequence[float], speed_mps: float = 10.0, kind: str = "van"
) -> TravelMatrix:
    """Travel between points on a straight road (index 0 = depot): |x_i - x_j| metres."""
    distance = tuple(tuple(round(abs(a - b)) for b in positions_m) for a in positions_m)
    duration = tuple(tuple(round(abs(a - b) / speed_mps) for b in positions_m) for a in positions_m)
    return TravelMatrix("estimate", "garis lurus (uji)", kind, distance, duration)


def van(
    vehicle_id: int = 1,
    days: Sequence[str] = WORK_WEEK,
    shift: tuple[float, float] = (7.5, 15.5),
    kind: str = "van",
    capacity: int | None = None,
) -> VehicleSpec:
    """A vehicle with the Kota Banjar breaks: lunch 12-13, Friday prayer 11:30-13:00."""
    lunch = BreakRule("Istirahat siang", ("mon", "tue", "wed", "thu", "sat"), hours(12, 13))
    friday = BreakRule("Istirahat salat Jumat", ("fri",), hours(11.5, 13))
    return VehicleSpec(
        vehicle_id, f"Kendaraan {vehicle_id}", kind, tuple((d, hours(*shift)) for d in days),
        (lunch, friday), capacity_crates=capacity,
    )  # fmt: skip


def stop_spec(
    stop_id: int, visits: int = 1, window: tuple[float, float] = (8, 15), **changes: object
) -> StopSpec:
    """A stop open on every working day in `window`, 45 minutes of service."""
    base = StopSpec(
        id=stop_id, name=f"Titik {stop_id}", village_code="32.79.01.2003", lat=-7.37, lon=108.5,
        service_s=45 * 60, windows=tuple((d, (hours(*window),)) for d in WORK_WEEK),
        vehicle_kinds=frozenset({"van", "motor"}), visits=visits,
    )  # fmt: skip
    return replace(base, **changes)  # type: ignore[arg-type]


def problem_on_a_line(
    positions_m: Sequence[float],
    stops: Sequence[StopSpec],
    vehicles: Sequence[VehicleSpec] | None = None,
    **changes: object,
) -> Problem:
    """A one-week problem starting Monday 30 Nov 2026 with the depot at position 0."""
    fleet = tuple(vehicles or (van(),))
    kinds = {v.kind for v in fleet}
    base = Problem(
        start=dt.date(2026, 11, 30), weeks=1, working_days=WORK_WEEK,
        depot=Depot("Perpustakaan", -7.37, 108.52), vehicles=fleet, stops=tuple(stops),
        travel={k: line_matrix([0.0, *positions_m], kind=k) for k in kinds},
    )  # fmt: skip
    return replace(base, **changes)  # type: ignore[arg-type]


def open_only_in_the_evening(session: Session) -> None:
    """Every stop open 19:00-21:00 only, after every shift: no visit can be planned."""
    evening = {day: [["19:00", "21:00"]] for day in WORK_WEEK}
    for stop in session.exec(select(Stop)):
        stop.time_windows = evening
        session.add(stop)


# --- published plans and driver links -------------------------------------------------------
TODAY = dt.datetime.now(WIB).date()
_SOLVED: dict[tuple[bytes, float], Plan] = {}
RETRY_S = 5


def solved_once(problem: Problem, time_limit_s: float = 1) -> Plan:
    """`problem` solved within `time_limit_s`, once per test process: tests that only need a
    plan to store, publish, export or report share it (the same demo week recurs in dozens of
    them); solved again for RETRY_S if a busy machine (browsers, other workers) left the first
    solve too little time to place anything. The solver's own tests call `solve`."""
    key = (pickle.dumps(problem), time_limit_s)
    if key not in _SOLVED:
        plan = solve(problem, SolveParams(time_limit_s=time_limit_s))
        if plan.status != "ok":
            plan = solve(problem, SolveParams(time_limit_s=RETRY_S))
        _SOLVED[key] = plan
    return _SOLVED[key]


def publish_demo_plan(database: Path, start: dt.date) -> int:
    """Plan one week from `start` on the demo database file and publish it; the plan's id."""
    engine = make_engine(f"sqlite:///{database}")
    try:
        with session_scope(engine) as session:
            problem, context = build_problem(session, start, 1)
            row = store_plan(session, problem, solved_once(problem), context, 1)
            assert row.id is not None
            publish_plan(session, row.id)
            return row.id
    finally:
        engine.dispose()


def route_data(app: Flask, index: int = 0) -> dict[str, Any]:
    """A route of the published plan in its JSON form.

    Routes are ordered by day, then longest first, so index 0 is the first day's longest route
    (a short time limit may leave another route of that day with a single visit).
    """
    with app.app_context():
        session = get_session()
        plan = published_plan(session)
        assert plan is not None and plan.id is not None
        routes = plan_json(session, plan.id)["routes"]
        ordered = sorted(routes, key=lambda r: (r["date"], -len(r["visits"])))
        data: dict[str, Any] = ordered[index]
        return data


def link(app: Flask, route: dict[str, Any], day: dt.date | None = None) -> str:
    """The driver link's path for the route (for another date when `day` is given)."""
    service_date = day or dt.date.fromisoformat(route["date"])
    return "/sopir/" + driver_token(route["route_id"], service_date, app.config["SECRET_KEY"])


def checkins(app: Flask, visit_id: int) -> list[CheckIn]:
    with app.app_context():
        return list(get_session().exec(select(CheckIn).where(CheckIn.visit_id == visit_id)))


def plan_start(today: dt.date = TODAY) -> dt.date:
    """A week's first day keeping today in the week and every day of it in today's month."""
    return max(today - dt.timedelta(days=6), today.replace(day=1))


SUNDAY = 6


def open_on_sundays(database: Path) -> None:
    """Let the region, its vehicles and stops work on Sundays (the demo week is Mon-Sat)."""
    engine = make_engine(f"sqlite:///{database}")
    with session_scope(engine) as session:
        for region in session.exec(select(Region)):
            days = [*region.settings["working_days"], "sun"]
            region.settings = {**region.settings, "working_days": days}
        for vehicle in session.exec(select(Vehicle)):
            vehicle.shifts = {**vehicle.shifts, "sun": vehicle.shifts["sat"]}
        for stop in session.exec(select(Stop)):
            windows = stop.time_windows.get("sat") or stop.time_windows["mon"]
            stop.time_windows = {**stop.time_windows, "sun": windows}
    engine.dispose()


def publish_for_today(database: Path) -> None:
    """Publish the demo week starting today, so that today has routes even on a Sunday."""
    if TODAY.weekday() == SUNDAY:
        open_on_sundays(database)
    publish_demo_plan(database, TODAY)


def finish_visit_with_event(app: Flask, visit: dict[str, Any], **event: Any) -> None:
    """Record a selesai check-in at a published visit and an outreach event held there."""
    with app.app_context():
        session = get_session()
        row = session.get(Visit, visit["visit_id"])
        assert row is not None
        record_checkin(session, row, "selesai", now=row.planned_departure)  # on its day
        session.add(
            OutreachEvent(
                stop_id=visit["stop_id"],
                visit_id=row.id,
                event_type="dongeng",
                starts_at=dt.datetime.fromisoformat(visit["start"]),
                **event,
            )
        )
        session.commit()
