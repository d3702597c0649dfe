"""Changing a plan before and while it is published: the publishing step (what changes for
residents and drivers, confirmed), and the draft's pending adjustments (pin, remove, add, undo),
each answered on the plan page at the row it came from."""

import datetime as dt

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from planner.core import WEEKDAYS, KelilingError
from planner.plans import (
    TIME_TOLERANCE_MIN,
    add_visit,
    load_plan,
    pin_visit,
    plan_changes,
    plan_marks,
    publish_plan,
    read_adjustments,
    remove_visit,
    replaced_links,
    undo_adjustment,
    village_visits_left,
    visit_of,
)
from planner.store import Plan, Stop, get_or_raise, published_plan
from web.auth import PLANNING_ROLES, roles_required
from web.db import get_session
from web.i18n import current_zone
from web.logs import AUDIT

bp = Blueprint("plan_edits", __name__, url_prefix="/rencana")
MONDAY = dt.date(2024, 1, 1)  # to name the weekdays in the page's language


def _plan(plan_id: int) -> Plan:
    return get_or_raise(get_session(), Plan, plan_id, _("Plan"))


def _draft(plan_id: int) -> Plan:
    plan = _plan(plan_id)
    if plan.status != "draft":
        raise KelilingError(_("Only a draft plan can be changed; start a new plan instead."))
    return plan


def _back_to(plan_id: int, anchor: str) -> Response:
    """The plan page at the row or section the coordinator acted on."""
    return redirect(url_for("plans.detail", plan_id=plan_id, _anchor=anchor))


@bp.get("/<int:plan_id>/terbitkan")
@roles_required(*PLANNING_ROLES)
def confirm_publish(plan_id: int) -> str | Response:
    """What publishing changes for residents and drivers, and the pending changes' choice."""
    session = get_session()
    row = _plan(plan_id)
    if row.status != "draft":
        return redirect(url_for("plans.detail", plan_id=plan_id))
    published = published_plan(session)
    current = load_plan(session, published.id) if published and published.id else None
    view = load_plan(session, plan_id)
    today = dt.datetime.now(current_zone()).date()
    return render_template(
        "plans/publish.html",
        plan=view,
        published=current,
        changes=plan_changes(view, current),
        links=replaced_links(current, today),
        marks=plan_marks(session, row, view),
        day_names={
            day: format_date(MONDAY + dt.timedelta(days=i), "EEEE")
            for i, day in enumerate(WEEKDAYS)
        },
        tolerance=TIME_TOLERANCE_MIN,
    )


def _refused(message: str, plan_id: int) -> Response:
    flash(message, "error")
    return redirect(url_for("plan_edits.confirm_publish", plan_id=plan_id))


@bp.post("/<int:plan_id>/terbitkan")
@roles_required(*PLANNING_ROLES)
def publish(plan_id: int) -> Response:
    """Publish the draft once confirmed; the plan published before is archived, never lost.

    Pending adjustments stay on the plan, still pending, when the coordinator chose so."""
    session = get_session()
    row = _plan(plan_id)
    pending = bool(read_adjustments(row.adjustments))
    if row.status == "draft" and request.form.get("confirm") != "yes":
        return _refused(_("Nothing was published: read what changes, then confirm."), plan_id)
    if row.status == "draft" and pending and request.form.get("pending") != "keep":
        return _refused(
            _(
                "Nothing was published: choose what happens to the pending changes "
                "(publish without them, or re-plan first)."
            ),
            plan_id,
        )
    publish_plan(session, plan_id)
    session.commit()
    AUDIT.info("plan published: plan=%s by=%s", plan_id, current_user.username)
    flash(
        _("Plan #%(id)s is published; drivers can now open their route links.", id=plan_id), "info"
    )
    if pending:
        flash(_("The pending changes are kept: re-plan to apply them."), "info")
    return redirect(url_for("plans.detail", plan_id=plan_id))


@bp.post("/<int:plan_id>/sematkan")
@roles_required(*PLANNING_ROLES)
def pin(plan_id: int) -> Response:
    """Keep this visit on its day and vehicle in the next re-plan."""
    session = get_session()
    visit_id = request.form.get("visit_id", type=int)
    day = pin_visit(session, _draft(plan_id), visit_id)
    session.commit()
    flash(_("The visit is pinned to %(date)s; press “Re-plan” to apply.", date=day), "info")
    return _back_to(plan_id, f"visit-{visit_id}")


@bp.post("/<int:plan_id>/hapus")
@roles_required(*PLANNING_ROLES)
def remove(plan_id: int) -> str | Response:
    """Drop one visit of this stop from the next re-plan; a village's last visit only once the
    coordinator confirms that the village will get no visit."""
    session = get_session()
    plan = _draft(plan_id)
    visit_id = request.form.get("visit_id", type=int)
    visit, stop, village = visit_of(session, plan, visit_id)
    last = village_visits_left(session, plan, stop.village_id) <= 1
    if last and request.form.get("confirm") != "yes":
        return render_template(
            "plans/confirm_remove.html", plan=plan, visit=visit, stop=stop, village=village
        )
    remove_visit(session, plan, visit_id)
    session.commit()
    if last:
        flash(_("%(village)s gets no visit in the next re-plan.", village=village.name), "error")
    flash(_("One visit fewer for this stop; press “Re-plan” to apply."), "info")
    return _back_to(plan_id, f"visit-{visit_id}")


@bp.post("/<int:plan_id>/tambah")
@roles_required(*PLANNING_ROLES)
def add(plan_id: int) -> Response:
    """Ask for one more visit of a stop in the next re-plan."""
    plan = _draft(plan_id)
    session = get_session()
    stop = session.get(Stop, request.form.get("stop_id", type=int) or 0)
    if stop is None or not stop.active:
        raise KelilingError(_("Choose an active service point."))
    add_visit(session, plan, stop)
    session.commit()
    flash(_("One more visit for %(name)s; press “Re-plan” to apply.", name=stop.name), "info")
    return _back_to(plan_id, "pending")


@bp.post("/<int:plan_id>/urungkan")
@roles_required(*PLANNING_ROLES)
def undo(plan_id: int) -> Response:
    """Take back one pending change (the plan itself stays as it is)."""
    session = get_session()
    plan = _plan(plan_id)
    index = request.form.get("index", type=int)
    stop_id = request.form.get("stop_id", type=int)
    if index is None or stop_id is None:
        raise KelilingError(_("This change cannot be undone: the form is incomplete."))
    undo_adjustment(session, plan, request.form.get("kind", ""), index, stop_id)
    session.commit()
    flash(_("The change is undone."), "info")
    visit_id = request.form.get("visit_id", type=int)
    return _back_to(plan_id, f"visit-{visit_id}" if visit_id else "pending")
