"""Publishing a draft plan (the previous one is archived, never lost) and recording check-ins."""

from datetime import UTC, datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from planner.core import KelilingError
from planner.store import CHECKIN_STATUSES, CheckIn, Plan, Route, Visit, get_or_raise, utcnow

MAX_NOTE_LENGTH = 1000


def publish_plan(session: Session, plan_id: int) -> Plan:
    """Publish a draft; the plan published before it becomes archived."""
    plan = get_or_raise(session, Plan, plan_id, "Rencana")
    if plan.status == "published":
        return plan
    if plan.solve_status != "ok":
        msg = f"Rencana #{plan_id} gagal disusun dan tidak dapat diterbitkan."
        raise KelilingError(msg)
    if session.exec(select(Route).where(Route.plan_id == plan_id)).first() is None:
        msg = f"Rencana #{plan_id} tidak berisi rute; tidak ada yang diterbitkan."
        raise KelilingError(msg)
    for old in session.exec(select(Plan).where(Plan.status == "published")):
        old.status = "archived"
        session.add(old)
    plan.status = "published"
    plan.published_at = utcnow()
    session.add(plan)
    session.flush()
    return plan


def record_checkin(
    session: Session,
    visit: Visit,
    status: str,
    note: str = "",
    tapped_at: datetime | None = None,
) -> tuple[CheckIn, bool]:
    """Record tiba/selesai/dilewati once per visit; a repeated tap returns the first one."""
    if status not in CHECKIN_STATUSES:
        msg = f"Status '{status}' tidak dikenal; pilih {', '.join(CHECKIN_STATUSES)}."
        raise KelilingError(msg)
    if status == "dilewati" and not note.strip():
        raise KelilingError("Tuliskan alasan mengapa titik ini dilewati.")
    existing = session.exec(
        select(CheckIn).where(CheckIn.visit_id == visit.id, CheckIn.status == status)
    ).first()
    if existing is not None:
        return existing, False
    assert visit.id is not None
    now = utcnow()
    tapped = tapped_at.astimezone(UTC) if tapped_at is not None else now
    checkin = CheckIn(
        visit_id=visit.id,
        status=status,
        note=note.strip()[:MAX_NOTE_LENGTH],
        recorded_at=now,
        tapped_at=min(tapped, now),
    )
    try:
        with session.begin_nested():
            session.add(checkin)
    except IntegrityError:  # the same tap arrived twice at once
        found = session.exec(
            select(CheckIn).where(CheckIn.visit_id == visit.id, CheckIn.status == status)
        ).one()
        return found, False
    return checkin, True


def checkins_by_visit(session: Session, visit_ids: list[int]) -> dict[int, dict[str, CheckIn]]:
    """Check-ins of the given visits, keyed by visit and status."""
    found: dict[int, dict[str, CheckIn]] = {}
    if not visit_ids:
        return found
    for checkin in session.exec(select(CheckIn).where(col(CheckIn.visit_id).in_(visit_ids))):
        found.setdefault(checkin.visit_id, {})[checkin.status] = checkin
    return found
