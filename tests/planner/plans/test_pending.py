"""A draft's pending adjustments: read from the plan row, undone one by one, marked on their
visit, and no longer pending once a re-plan applied them."""

import datetime as dt

import pytest

from planner.plans import VisitRef, marks_by_visit, read_adjustments
from planner.plans.pending import applied, applied_in, without

MONDAY = dt.date(2026, 11, 30)
ADJUSTMENTS = {
    "pins": [{"stop_id": 4, "date": "2026-12-01", "vehicle_id": 2, "visit_id": 41}],
    "removed": [{"stop_id": 5, "visit_id": 51}, 6],  # an older row holds a bare stop id
    "added": [7],
}


def test_adjustments_read_as_typed_values_in_order() -> None:
    found = read_adjustments(ADJUSTMENTS)
    assert [(a.kind, a.index, a.stop_id, a.visit_id) for a in found] == [
        ("pins", 0, 4, 41),
        ("removed", 0, 5, 51),
        ("removed", 1, 6, None),
        ("added", 0, 7, None),
    ]
    assert found[0].date == dt.date(2026, 12, 1) and found[0].vehicle_id == 2


def test_undo_takes_back_exactly_one_entry_and_refuses_a_stale_one() -> None:
    left = without(ADJUSTMENTS, "removed", 0, 5)
    assert left["removed"] == [6] and left["pins"] == ADJUSTMENTS["pins"]
    assert "added" not in without(ADJUSTMENTS, "added", 0, 7)
    with pytest.raises(KeyError):
        without(left, "removed", 1, 6)  # undone in another tab: index 1 is gone
    with pytest.raises(KeyError):
        without(ADJUSTMENTS, "removed", 0, 6)  # the entry at 0 is another stop's
    with pytest.raises(KeyError):
        without(ADJUSTMENTS, "bogus", 0, 5)


def test_marks_land_on_their_visit_rows() -> None:
    visits = [
        VisitRef(41, 4, "V", MONDAY + dt.timedelta(days=1), 2),
        VisitRef(51, 5, "V", MONDAY, 1),
        VisitRef(52, 5, "V", MONDAY + dt.timedelta(days=3), 1),
        VisitRef(61, 6, "V", MONDAY, 1),
        VisitRef(71, 7, "V", MONDAY, 1),
    ]
    marks = marks_by_visit(read_adjustments(ADJUSTMENTS), visits)
    assert {v: [m.kind for m in found] for v, found in marks.items()} == {
        41: ["pins"],
        51: ["removed"],
        61: ["removed"],  # no visit id: the stop's first visit
    }


def test_a_replan_moves_what_it_read_to_applied_and_keeps_newer_ones_pending() -> None:
    later = {**ADJUSTMENTS, "added": [7, 8]}  # stop 8 was added while the re-plan was solving
    done = applied(later, ADJUSTMENTS, 12)
    assert read_adjustments(done) == read_adjustments({"added": [8]})
    assert applied_in(done) == 12 and applied_in(ADJUSTMENTS) is None
