"""What changed for each village between two plans (a draft against the published one)."""

from collections import defaultdict
from dataclasses import dataclass

from sqlmodel import Session, col, select

from planner.core import _, day_name
from planner.store import Plan, Route, Stop, Vehicle, Village, Visit


@dataclass(frozen=True)
class VillageChange:
    """A village's visits in both plans, as weekday/vehicle labels."""

    code: str
    name: str
    before: tuple[str, ...]
    after: tuple[str, ...]

    @property
    def changed(self) -> bool:
        """Whether residents would see different days or vehicles."""
        return self.before != self.after


def _slots(session: Session, plan_id: int | None) -> dict[int, list[str]]:
    """Village id -> "Senin · stop · vehicle" labels (with the week in longer rotations)."""
    slots: dict[int, list[str]] = defaultdict(list)
    plan = session.get(Plan, plan_id) if plan_id is not None else None
    if plan is None:
        return slots
    query = (
        select(Route, Stop, Vehicle)
        .join(Visit, col(Visit.route_id) == col(Route.id))
        .join(Stop, col(Visit.stop_id) == col(Stop.id))
        .join(Vehicle, col(Route.vehicle_id) == col(Vehicle.id))
        .where(Route.plan_id == plan_id)
    )
    for route, stop, vehicle in session.exec(query):
        day = day_name(route.service_date)
        if plan.weeks > 1:
            week = (route.service_date - plan.start_date).days // 7 + 1
            day += " " + _("(week {week})").format(week=week)
        slots[stop.village_id].append(f"{day} · {stop.name} · {vehicle.name}")
    return slots


def compare_plans(session: Session, draft_id: int, published_id: int | None) -> list[VillageChange]:
    """Per village, the visits of the published plan and of the draft, changed ones first."""
    before, after = _slots(session, published_id), _slots(session, draft_id)
    changes = [
        VillageChange(
            village.code,
            village.name,
            tuple(sorted(before.get(village.id or 0, []))),
            tuple(sorted(after.get(village.id or 0, []))),
        )
        for village in session.exec(select(Village).order_by(Village.code))
    ]
    return sorted(changes, key=lambda c: (not c.changed, c.code))
