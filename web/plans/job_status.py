"""A planning run as its page and poller show it: time spent, the best plan so far, the outcome.

The bar follows the clock, not the search: while a run is going, its elapsed time is counted
from when it started, so it moves between the search's improvements too. The best plan so far
reads as visits scheduled of those required and kilometres, never as the solver's raw cost.
"""

from typing import Any

from flask import url_for
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from planner.core import _ as planner_gettext
from planner.core import language as planner_language
from planner.plans import QUEUE_UNAVAILABLE, WORKER_STOPPED
from planner.store import SolveJob, utcnow
from web.i18n import select_locale

PLANNER_LANGUAGE = "id"  # the language of the planner's messages (job.message)
# Why no visit could be placed, by the code of the most common reason (planner.routing).
NO_PLAN_REASONS = {
    "no_vehicle": _l("no vehicle may go to the stops"),
    "no_window": _l("the stops have no opening hours on any day"),
    "window_too_short": _l("the stops' opening hours are shorter than their service"),
    "unreachable": _l("the stops cannot be reached and served within any shift"),
    "too_many_visits": _l("the stops need more visits than there are possible days"),
    "no_pattern": _l("no pattern of days fits the stops' visits"),
    "pin_impossible": _l("the stops are pinned to an impossible day or vehicle"),
    "crowded_out": _l("the vehicles' shifts on the possible days are full"),
    "time_limit": _l("the search ran out of time before placing a visit"),
    "no_solution": _l("the search found no plan within the time limit"),
}


# Why a run failed without its solve saying so, by the planner's msgid (stored in the planner's
# language; shown here in the page's language).
JOB_FAILURES = {
    WORKER_STOPPED: _l(
        "The planning process stopped (a restart or a crash); the existing plans are unchanged. "
        "Run it again."
    ),
    QUEUE_UNAVAILABLE: _l(
        "The job queue is not available (Redis cannot be reached); the run was not started."
    ),
}


def elapsed_s(job: SolveJob) -> float:
    """Seconds the run has taken: by the clock while it runs, else as the search reported."""
    if job.status == "running" and job.started_at is not None:
        return max(job.elapsed_s, (utcnow() - job.started_at).total_seconds())
    return job.elapsed_s


def best_plan(job: SolveJob) -> str | None:
    """'48 / 50 visits scheduled · 123.4 km', or None before the search has found a plan."""
    if job.visits_planned is None or job.visits_required is None:
        return None
    km = format_decimal((job.distance_m or 0) / 1000, format="#,##0.0")
    text: str = _(
        "%(planned)s / %(required)s visits scheduled · %(km)s km",
        planned=job.visits_planned,
        required=job.visits_required,
        km=km,
    )
    return text


def job_message(job: SolveJob) -> str:
    """How the run ended, in the page's language when no plan was found.

    The planner writes job messages in Bahasa Indonesia; the sentence for a run that placed no
    visit is rebuilt in another language from its reason's code."""
    for msgid, failure in JOB_FAILURES.items():
        with planner_language(PLANNER_LANGUAGE):
            stored = planner_gettext(msgid)
        if job.message in (stored, msgid):
            return str(failure)
    reason = NO_PLAN_REASONS.get(job.no_plan_reason or "")
    if reason is None or select_locale() == PLANNER_LANGUAGE:
        return job.message
    sentence: str = _(
        "No plan: not one of the %(required)s visits could be scheduled "
        "(most common reason: %(reason)s).",
        required=job.visits_required or 0,
        reason=reason,
    )
    return sentence


def status_of(job: SolveJob) -> dict[str, Any]:
    """What the job page shows and its script polls."""
    elapsed = elapsed_s(job)
    return {
        "id": job.id,
        "status": job.status,
        "elapsed_s": round(elapsed, 1),
        "elapsed_text": format_decimal(round(elapsed, 1), format="#,##0.0"),
        "time_limit_s": job.time_limit_s,
        "progress": round(min(elapsed / job.time_limit_s, 1.0), 3) if job.time_limit_s else 0,
        "visits_planned": job.visits_planned,
        "visits_required": job.visits_required,
        "distance_km": None if job.distance_m is None else round(job.distance_m / 1000, 1),
        "best_plan": best_plan(job),
        "solutions": job.solutions,
        "message": job_message(job),
        "no_plan": job.no_plan_reason is not None,
        "plan_url": url_for("plans.detail", plan_id=job.plan_id) if job.plan_id else None,
    }
