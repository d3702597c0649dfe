"""What publishing changes, visit by visit: added, moved (day, time, vehicle) and removed per
stop, against the published plan; the driver links it replaces."""

import datetime as dt

from planner.plans import (
    TIME_TOLERANCE_MIN,
    PlaceView,
    PlanView,
    RouteView,
    VisitSlot,
    VisitView,
    diff_visits,
    plan_changes,
    replaced_links,
)


def slot(
    stop: int, weekday: str = "mon", start: str = "08:00", vehicle: str = "Motor 1", week: int = 1
) -> VisitSlot:
    hours, minutes = start.split(":")
    return VisitSlot(
        stop, f"Titik {stop}", f"V{stop % 2}", f"Desa {stop % 2}", week, weekday,
        int(hours) * 60 + int(minutes), vehicle,
    )  # fmt: skip


def test_nothing_published_makes_every_visit_new() -> None:
    changes = diff_visits((), (slot(1), slot(2, "tue")))
    assert changes.first_publication
    assert (changes.added, changes.moved, changes.removed, changes.unchanged) == (2, 0, 0, 0)


def test_same_visits_with_small_time_drift_are_unchanged() -> None:
    before = (slot(1, start="08:00"), slot(2, "wed", "10:00"))
    after = (slot(1, start=f"08:0{TIME_TOLERANCE_MIN - 1}"), slot(2, "wed", "10:00"))
    changes = diff_visits(before, after, published_id=7)
    assert not changes.first_publication and changes.stops == ()
    assert changes.unchanged == 2


def test_day_time_and_vehicle_moves_are_named() -> None:
    #   stop 1: Mon 08:00 Motor 1 -> Thu 08:00 Motor 1   (day)
    #   stop 2: Tue 09:00 Motor 1 -> Tue 11:30 Motor 1   (time)
    #   stop 3: Wed 10:00 Motor 1 -> Wed 10:00 Van 2     (vehicle)
    before = (slot(1), slot(2, "tue", "09:00"), slot(3, "wed", "10:00"))
    after = (slot(1, "thu"), slot(2, "tue", "11:30"), slot(3, "wed", "10:00", "Van 2"))
    changes = diff_visits(before, after, published_id=1)
    moves = {s.stop_id: s.moved[0].changes for s in changes.stops}
    assert moves == {1: ("day",), 2: ("time",), 3: ("vehicle",)}
    assert (changes.added, changes.moved, changes.removed) == (0, 3, 0)


def test_extra_and_dropped_visits_are_added_and_removed() -> None:
    # Stop 1 keeps Monday and gains Thursday; stop 2 loses its only visit; stop 3 is new.
    before = (slot(1), slot(2, "fri"))
    after = (slot(1), slot(1, "thu"), slot(3, "sat"))
    changes = diff_visits(before, after, published_id=1)
    by_stop = {s.stop_id: s for s in changes.stops}
    assert [a.weekday for a in by_stop[1].added] == ["thu"] and by_stop[1].removed == ()
    assert [r.weekday for r in by_stop[2].removed] == ["fri"] and by_stop[2].added == ()
    assert [a.weekday for a in by_stop[3].added] == ["sat"]
    assert (changes.added, changes.moved, changes.removed, changes.unchanged) == (2, 0, 1, 1)
    # Grouped by village for the page: Desa 0 (stop 2), Desa 1 (stops 1 and 3).
    assert [(v, [s.stop_id for s in stops]) for v, stops in changes.villages] == [
        ("Desa 0", [2]),
        ("Desa 1", [1, 3]),
    ]


def test_a_one_week_rotation_matches_a_two_week_one_repeating_it() -> None:
    before = (slot(1, "mon"),)
    after = (slot(1, "mon", week=1), slot(1, "mon", week=2))
    changes = diff_visits(before, after, (1, 2), published_id=1)
    assert changes.stops == () and changes.unchanged == 2


def _view(plan_id: int, start: dt.date, days: list[tuple[int, str]]) -> PlanView:
    """A plan with one route per (day offset, vehicle), each visiting stop 1 at 08:00."""
    routes = []
    for index, (offset, vehicle) in enumerate(days):
        day = start + dt.timedelta(days=offset)
        at = dt.datetime.combine(day, dt.time(8))
        visit = VisitView(index, 1, "Titik 1", "V1", "Desa 1", 0.0, 0.0, at, at, at, 0.0, 0, (), "")
        routes.append(
            RouteView(
                index,
                plan_id,
                vehicle,
                1,
                "motor",
                day,
                None,
                None,
                0,
                PlaceView("Depo", 0.0, 0.0),
                (),
                (visit,),
            )  # fmt: skip
        )
    return PlanView(
        plan_id, "draft", start, 1, "estimate", "", "ok", "UTC", "", {}, tuple(routes), (), ()
    )


def test_plans_starting_on_different_dates_compare_by_weekday() -> None:
    # Published from Monday 30 Nov, draft from Monday 7 Dec: the same Tuesday visit is unchanged,
    # the Friday one moves to Saturday.
    published = _view(1, dt.date(2026, 11, 30), [(1, "Motor 1"), (4, "Motor 1")])
    draft = _view(2, dt.date(2026, 12, 7), [(1, "Motor 1"), (5, "Motor 1")])
    changes = plan_changes(draft, published)
    assert changes.published_id == 1 and changes.unchanged == 1
    (stop,) = changes.stops
    assert [(m.before.weekday, m.after.weekday) for m in stop.moved] == [("fri", "sat")]


def test_replaced_links_are_the_published_routes_still_open_today() -> None:
    published = _view(1, dt.date(2026, 11, 30), [(0, "Motor 1"), (2, "Motor 1"), (5, "Van 2")])
    # On Friday 4 Dec the Monday link has expired (two days after its route), Wednesday's and
    # Saturday's still open a route.
    links = replaced_links(published, dt.date(2026, 12, 4))
    assert [(link.date.isoformat(), link.vehicle) for link in links] == [
        ("2026-12-02", "Motor 1"),
        ("2026-12-05", "Van 2"),
    ]
    assert replaced_links(None, dt.date(2026, 12, 4)) == ()
