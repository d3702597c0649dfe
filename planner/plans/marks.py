"""What the plan page marks: the pending adjustments (on their visit rows and in a list, each
with what an undo needs), and the active stops the plan gives no visit, with why."""

from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from sqlmodel import Session, col, select

from planner.plans.pending import Adjustment, VisitRef, applied_in, marks_by_visit, read_adjustments
from planner.plans.view import PlanView
from planner.store import Plan, Stop, Vehicle, Village


@dataclass(frozen=True)
class PendingChange:
    """A pending adjustment with the names the page shows."""

    adjustment: Adjustment
    stop_name: str
    village: str
    vehicle: str | None = None


@dataclass(frozen=True)
class StopWithoutVisit:
    """An active stop with no visit in the plan and no reason from the search.

    Its village's visits are shared among the village's stops: `village_visits` went to
    `served_by`; `requested` visits are asked for by pending additions."""

    stop_id: int
    stop_name: str
    village: str
    village_visits: int
    served_by: tuple[str, ...]
    requested: int


@dataclass(frozen=True)
class PlanMarks:
    """Everything the plan page marks while changes are pending."""

    pending: tuple[PendingChange, ...]
    by_visit: Mapping[int, tuple[PendingChange, ...]]
    added_by_stop: Mapping[int, int]
    without_visit: tuple[StopWithoutVisit, ...]
    applied_in: int | None

    @property
    def counts(self) -> Mapping[str, int]:
        """Pending pins, removals and additions by kind."""
        found = Counter(p.adjustment.kind for p in self.pending)
        return {kind: found[kind] for kind in ("pins", "removed", "added")}


def _visit_refs(view: PlanView) -> list[VisitRef]:
    return [
        VisitRef(v.visit_id, v.stop_id, v.village_code, route.date, route.vehicle_id)
        for route in view.routes
        for v in route.visits
    ]


def _pending(session: Session, row: Plan) -> tuple[PendingChange, ...]:
    items = read_adjustments(row.adjustments)
    stops = {
        s.id: s
        for s in session.exec(select(Stop).where(col(Stop.id).in_({a.stop_id for a in items})))
    }
    villages = {v.id: v.name for v in session.exec(select(Village))}
    vehicles = {v.id: v.name for v in session.exec(select(Vehicle))}
    changes = []
    for item in items:
        stop = stops.get(item.stop_id)
        changes.append(
            PendingChange(
                item,
                stop.name if stop is not None else f"#{item.stop_id}",
                villages.get(stop.village_id, "") if stop is not None else "",
                vehicles.get(item.vehicle_id) if item.vehicle_id is not None else None,
            )
        )
    return tuple(changes)


def _without_visit(
    session: Session, view: PlanView, added: Mapping[int, int]
) -> tuple[StopWithoutVisit, ...]:
    visited: dict[int, int] = Counter(v.stop_id for r in view.routes for v in r.visits)
    left_out = {u["stop_id"] for u in view.unserved}
    rows = session.exec(
        select(Stop, Village)
        .join(Village, col(Stop.village_id) == col(Village.id))
        .where(col(Stop.active))
        .order_by(col(Village.name), col(Stop.name))
    ).all()
    by_village: dict[int, list[Stop]] = defaultdict(list)
    for stop, village in rows:
        by_village[village.id or 0].append(stop)
    return tuple(
        StopWithoutVisit(
            stop.id,
            stop.name,
            village.name,
            sum(visited[s.id or 0] for s in by_village[village.id or 0]),
            tuple(s.name for s in by_village[village.id or 0] if visited[s.id or 0]),
            added.get(stop.id, 0),
        )
        for stop, village in rows
        if stop.id is not None and not visited[stop.id] and stop.id not in left_out
    )


def plan_marks(session: Session, row: Plan, view: PlanView) -> PlanMarks:
    """The pending adjustments of a plan and its stops without a visit, as the page marks them."""
    pending = _pending(session, row)
    by_id = {(p.adjustment.kind, p.adjustment.index): p for p in pending}
    marks = marks_by_visit([p.adjustment for p in pending], _visit_refs(view))
    added = Counter(p.adjustment.stop_id for p in pending if p.adjustment.kind == "added")
    return PlanMarks(
        pending,
        {v: tuple(by_id[(a.kind, a.index)] for a in found) for v, found in marks.items()},
        added,
        _without_visit(session, view, added),
        applied_in(row.adjustments),
    )
