"""Planning screens: start a solve, watch it, read the result, re-plan, compare (publishing and
adjusting a draft: editing.py)."""

import datetime as dt
import math

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from planner.core import KelilingError, next_monday
from planner.plans import (
    PlanView,
    all_plans,
    cancel_job,
    compare_plans,
    create_job,
    driver_token,
    driver_url,
    fail_unqueued_job,
    load_plan,
    open_jobs,
    plan_marks,
    travel_setting,
)
from planner.store import Plan, SolveJob, active_stops, get_or_raise, published_plan
from web import jobs
from web.auth import PLANNING_ROLES, roles_required
from web.db import get_session
from web.i18n import current_zone
from web.plans.exports import FORMAT_NAMES
from web.plans.job_status import status_of
from web.ui.days_off import days_off_in_period, days_off_text
from web.ui.plan_map import plan_map
from web.ui.travel import PROVIDER_LABELS
from web.urls import base_url

bp = Blueprint("plans", __name__, url_prefix="/rencana")
TIME_LIMITS_S = (5, 10, 30, 60, 120)
MAX_WEEKS = 4
FIRST_YEAR, LAST_YEAR = 2000, 2100  # a plan's first day; beyond them is a typo


def _replannable(plan_id: int) -> Plan:
    """A draft, or the published plan (whose pending changes were kept when it was published)."""
    plan = get_or_raise(get_session(), Plan, plan_id, _("Plan"))
    if plan.status == "archived":
        raise KelilingError(_("Only a draft plan can be changed; start a new plan instead."))
    return plan


@bp.get("/")
@roles_required(*PLANNING_ROLES)
def index() -> str:
    """The planning form, running jobs and every plan."""
    session = get_session()
    jobs.check_jobs(session)
    default_start = next_monday(current_zone())
    return render_template(
        "plans/index.html",
        plans=all_plans(session),
        running=open_jobs(session),
        default_start=default_start,
        days_off_text=days_off_text(days_off_in_period(default_start, 1)),
        time_limits=TIME_LIMITS_S,
        max_weeks=MAX_WEEKS,
        travel=travel_setting(session),
        travel_labels=PROVIDER_LABELS,
    )


def _form_start() -> tuple[dt.date, int, float]:
    try:
        start = dt.date.fromisoformat(request.form.get("start", ""))
        weeks = int(request.form.get("weeks", "1"))
        time_limit = float(request.form.get("time_limit", "10"))
    except ValueError:
        raise KelilingError(_("Enter a start date (YYYY-MM-DD), weeks and a time limit.")) from None
    if not 1 <= weeks <= MAX_WEEKS or not 1 <= time_limit <= max(TIME_LIMITS_S):
        raise KelilingError(_("Weeks must be 1–4 and the time limit 1–120 seconds."))
    if not FIRST_YEAR <= start.year <= LAST_YEAR:
        raise KelilingError(
            _(
                "Choose a start date between %(first)s and %(last)s.",
                first=FIRST_YEAR,
                last=LAST_YEAR,
            )
        )
    return start, weeks, time_limit


def _replan_time_limit(text: str) -> float:
    """The re-plan's time limit in seconds, kept within 1–120; a non-number is refused."""
    try:
        seconds = float(text)
    except ValueError:
        seconds = math.nan
    if not math.isfinite(seconds):
        raise KelilingError(_("Weeks must be 1–4 and the time limit 1–120 seconds."))
    return min(max(seconds, 1), max(TIME_LIMITS_S))


@bp.post("/")
@roles_required(*PLANNING_ROLES)
def start() -> Response:
    """Queue a solve and show its progress."""
    first, weeks, time_limit = _form_start()
    return _submit(first, weeks, time_limit, None)


def _submit(first: dt.date, weeks: int, time_limit: float, based_on: int | None) -> Response:
    session = get_session()
    job = create_job(session, first, weeks, time_limit, based_on, current_user.id)
    session.commit()
    assert job.id is not None
    try:
        jobs.submit(job.id, time_limit)
    except jobs.QueueUnavailable:  # Redis down: the run ends failed now, never stuck queued
        fail_unqueued_job(session, job)
        session.commit()
        flash(
            _(
                "The planning queue is not available right now (Redis cannot be reached), so "
                "the run was not started. Try again in a few minutes or tell the administrator."
            ),
            "error",
        )
    return redirect(url_for("plans.job", job_id=job.id))


def _checked_job(job_id: int) -> SolveJob:
    """The job, after failing it if its process stopped beating (or re-queueing it if Redis
    lost it)."""
    session = get_session()
    found = session.get(SolveJob, job_id)
    if found is None:
        abort(404)
    jobs.check_jobs(session, found)
    return found


@bp.get("/tugas/<int:job_id>")
@roles_required(*PLANNING_ROLES)
def job(job_id: int) -> str:
    """A progress bar that follows the job, then leads to the plan."""
    found = _checked_job(job_id)
    return render_template("plans/job.html", job=found, status=status_of(found))


@bp.get("/tugas/<int:job_id>.json")
@roles_required(*PLANNING_ROLES)
def job_status(job_id: int) -> Response:
    """The job's progress for the page's poller."""
    return jsonify(status_of(_checked_job(job_id)))


@bp.post("/tugas/<int:job_id>/ulang")
@roles_required(*PLANNING_ROLES)
def restart(job_id: int) -> Response:
    """Run a failed job again: a new job with the same period, time limit and base plan."""
    failed = get_or_raise(get_session(), SolveJob, job_id, _("Planning run"))
    if failed.status != "failed":
        raise KelilingError(_("Only a failed planning run can be run again."))
    if failed.based_on_id is not None:
        _replannable(failed.based_on_id)
    return _submit(failed.start_date, failed.weeks, failed.time_limit_s, failed.based_on_id)


@bp.post("/tugas/<int:job_id>/batal")
@roles_required(*PLANNING_ROLES)
def cancel(job_id: int) -> Response:
    """Stop a job; nothing it planned is kept."""
    session = get_session()
    cancel_job(session, job_id)
    session.commit()
    flash(_("The planning run was asked to stop; existing plans are unchanged."), "info")
    return redirect(url_for("plans.job", job_id=job_id))


def _driver_links(plan: PlanView) -> dict[int, str]:
    if plan.status != "published":
        return {}
    secret = current_app.config["SECRET_KEY"]
    return {
        r.route_id: driver_url(base_url(), driver_token(r.route_id, r.date, secret))
        for r in plan.routes
    }


@bp.get("/<int:plan_id>")
@roles_required(*PLANNING_ROLES)
def detail(plan_id: int) -> str:
    """Map, route tables, unserved visits with reasons, diagnostics and metrics."""
    session = get_session()
    view = load_plan(session, plan_id)
    row = get_or_raise(session, Plan, plan_id, _("Plan"))
    return render_template(
        "plans/detail.html",
        plan=view,
        row=row,
        marks=plan_marks(session, row, view),
        map=plan_map(view),
        published=published_plan(session),
        driver_links=_driver_links(view),
        stops=active_stops(session),
        time_limits=TIME_LIMITS_S,
        export_formats=FORMAT_NAMES,
        days_off=days_off_in_period(view.start, view.weeks),
    )


@bp.post("/<int:plan_id>/rencana-ulang")
@roles_required(*PLANNING_ROLES)
def replan(plan_id: int) -> Response:
    """Solve again from this draft (or the published plan), keeping its days and applying its
    pending adjustments; the result is a new draft."""
    plan = _replannable(plan_id)
    time_limit = _replan_time_limit(request.form.get("time_limit", str(plan.time_limit_s)))
    return _submit(plan.start_date, plan.weeks, time_limit, plan_id)


@bp.get("/<int:plan_id>/banding")
@roles_required(*PLANNING_ROLES)
def compare(plan_id: int) -> str:
    """What changes for each village against the published plan."""
    session = get_session()
    published = published_plan(session)
    changes = compare_plans(session, plan_id, published.id if published else None)
    return render_template(
        "plans/compare.html", plan_id=plan_id, published=published, changes=changes
    )
