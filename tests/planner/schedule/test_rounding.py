"""Published times: 5-minute steps inside the stop's windows, one time per stop where it fits."""

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from planner.schedule import (
    STEP,
    TOLERANCE,
    ExactVisit,
    on_step,
    published_spans,
    round_visit,
    windows_on,
)
from tests.planner.schedule.helpers import MONDAY, WEDNESDAY, at, week

ALL_DAY = ((dt.time(6, 0), dt.time(18, 0)),)


def exact(day: dt.date, begin: str, minutes: int = 45, windows: tuple = ALL_DAY) -> ExactVisit:
    """A visit starting at `begin` (seconds allowed: `10:06:42`) for `minutes`."""
    start = dt.datetime.combine(day, dt.time.fromisoformat(begin), at(day, "00:00").tzinfo)
    return ExactVisit(start, start + dt.timedelta(minutes=minutes), windows)


def clock(spans: list[tuple[dt.datetime, dt.datetime]]) -> list[str]:
    return [f"{s:%H:%M}–{e:%H:%M}" for s, e in spans]


def test_solver_minutes_become_clean_times() -> None:
    assert clock([round_visit(exact(MONDAY, "10:06:42"))]) == ["10:05–10:50"]
    assert clock([round_visit(exact(MONDAY, "10:07:31"))]) == ["10:10–10:55"]
    assert clock([round_visit(exact(MONDAY, "10:05"))]) == ["10:05–10:50"]


def test_rounding_keeps_the_service_inside_its_window() -> None:
    opens_late = ((dt.time(10, 6), dt.time(12, 0)),)
    # the start moves up, the end stays the nearest step: never posted long after the van left
    assert clock([round_visit(exact(MONDAY, "10:06", 45, opens_late))]) == ["10:10–10:50"]
    closes_early = ((dt.time(8, 0), dt.time(10, 54)),)
    assert clock([round_visit(exact(MONDAY, "10:08", 45, closes_early))]) == ["10:10–10:50"]


def test_monday_1440_and_wednesday_1442_read_the_same() -> None:
    spans = published_spans([exact(MONDAY, "14:40:12"), exact(WEDNESDAY, "14:42:50")])
    assert clock(spans) == ["14:40–15:25", "14:40–15:25"]
    assert [s.date() for s, _ in spans] == [MONDAY, WEDNESDAY]


def test_the_same_weekday_keeps_one_time_every_week() -> None:
    starts = ["08:06:10", "08:08:00", "08:03:59", "08:12:30"]
    spans = published_spans([exact(MONDAY + week(i), t) for i, t in enumerate(starts)])
    assert len(set(clock(spans))) == 1
    assert all(s.date() == MONDAY + week(i) for i, (s, _) in enumerate(spans))


def test_a_shared_time_respects_every_weeks_window() -> None:
    """Wednesday's window opens at 14:41, so both days start 14:45, not at Monday's 14:40."""
    wednesday = ((dt.time(14, 41), dt.time(16, 0)),)
    spans = published_spans([exact(MONDAY, "14:40"), exact(WEDNESDAY, "14:42", 45, wednesday)])
    assert clock(spans) == ["14:45–15:25", "14:45–15:25"]


def test_times_too_far_apart_stay_apart() -> None:
    spans = published_spans([exact(MONDAY, "08:05"), exact(MONDAY + week(1), "09:40")])
    assert clock(spans) == ["08:05–08:50", "09:40–10:25"]
    same_day = published_spans([exact(MONDAY, "08:02", 20), exact(MONDAY, "08:24", 20)])
    assert clock(same_day) == ["08:00–08:20", "08:25–08:45"]


def test_stop_windows_by_weekday() -> None:
    windows = {"mon": [["07:30", "12:00"], ["13:00", "15:00"]], "wed": [["x", "y"]], "fri": []}
    assert windows_on(windows, MONDAY) == (
        (dt.time(7, 30), dt.time(12, 0)),
        (dt.time(13, 0), dt.time(15, 0)),
    )
    assert windows_on(windows, WEDNESDAY) == () == windows_on(windows, MONDAY + dt.timedelta(4))


minutes_of_day = st.integers(min_value=6 * 60, max_value=20 * 60)


@st.composite
def visit_in_window(draw: st.DrawFn, day: dt.date = MONDAY) -> ExactVisit:
    """A visit of 15–120 minutes (with seconds) inside a window of minute precision."""
    service = draw(st.integers(min_value=15, max_value=120))
    start_s = draw(st.integers(min_value=6 * 3600, max_value=20 * 3600))
    before = draw(st.integers(min_value=0, max_value=90 * 60))
    after = draw(st.integers(min_value=0, max_value=90 * 60))
    start = at(day, "00:00") + dt.timedelta(seconds=start_s)
    end = start + dt.timedelta(minutes=service)
    opens = (start - dt.timedelta(seconds=before)).replace(second=0)
    closes = end + dt.timedelta(seconds=after)
    closes = closes.replace(second=0) + (
        dt.timedelta(minutes=1) if closes.second else dt.timedelta()
    )
    return ExactVisit(start, end, ((opens.time(), min(closes.time(), dt.time(23, 59))),))


def inside(span: tuple[dt.datetime, dt.datetime], visit: ExactVisit) -> bool:
    opens, closes = visit.windows[0]
    return opens <= span[0].time() and span[1].time() <= closes and span[0] < span[1]


@given(visit_in_window())
def test_rounded_visit_is_on_steps_inside_its_window_and_close(visit: ExactVisit) -> None:
    start, end = round_visit(visit)
    assert on_step(start) and on_step(end)
    assert inside((start, end), visit)
    assert abs(start - visit.start) < STEP and abs(end - visit.end) < STEP


@given(st.lists(st.tuples(st.integers(0, 3), st.integers(0, 4)), min_size=1, max_size=8), st.data())
def test_shared_times_stay_on_steps_inside_windows_and_near(
    days: list[tuple[int, int]], data: st.DataObject
) -> None:
    visits = [data.draw(visit_in_window(MONDAY + week(w) + dt.timedelta(days=d))) for w, d in days]
    spans = published_spans(visits)
    for visit, (start, end) in zip(visits, spans, strict=True):
        assert on_step(start) and on_step(end) and start.date() == visit.start.date()
        assert inside((start, end), visit)
        assert abs(start - visit.start) <= TOLERANCE and abs(end - visit.end) <= TOLERANCE
