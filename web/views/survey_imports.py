"""A survey file imported in the background: its progress bar, then the summary, the refusal
with every problem by row and column, or the question about overlapping respondents."""

from typing import Any

from flask import Blueprint, Response, jsonify, redirect, render_template, url_for
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response as BaseResponse
from wtforms import StringField
from wtforms.validators import AnyOf

from planner.core import NotFoundError
from planner.store import SurveyImportJob, aware, utcnow
from planner.survey import (
    IMPORT_QUEUE_UNAVAILABLE,
    IMPORT_STOPPED,
    choose_overlap,
    describe_import,
    read_progress,
    result_of,
)
from web import survey_jobs
from web.auth import PLANNING_ROLES, roles_required
from web.db import get_session

bp = Blueprint("survey_imports", __name__, url_prefix="/survei/impor")
# Why an import failed without the file saying so, by the planner's msgid.
FAILURES = {
    IMPORT_STOPPED: _l(
        "The import stopped (a restart or a crash); nothing was stored. Upload the file again."
    ),
    IMPORT_QUEUE_UNAVAILABLE: _l(
        "The job queue is not available (Redis cannot be reached); the import was not started."
    ),
}


class ChoiceForm(FlaskForm):  # type: ignore[misc]  # flask_wtf is untyped
    choice = StringField(validators=[AnyOf(("add", "skip"))])


def _checked(job_id: int) -> SurveyImportJob:
    """The import, after failing it if its process stopped beating (or re-queueing it)."""
    session = get_session()
    found = session.get(SurveyImportJob, job_id)
    if found is None:
        raise NotFoundError(_("No survey import #%(id)s.", id=job_id))
    survey_jobs.check_imports(session, found)
    return found


def _elapsed_s(job: SurveyImportJob) -> float:
    if job.started_at is None:
        return 0.0
    end = job.finished_at or utcnow()
    return max((aware(end) - aware(job.started_at)).total_seconds(), 0.0)


def _message(job: SurveyImportJob) -> str:
    """How the import ended (or that it is still going), in the page's language."""
    if job.status == "failed":
        known = FAILURES.get(job.message)
        if known is not None:
            return str(known)
        return str(_("The import failed; nothing was stored: %(error)s", error=job.message))
    if job.status == "done" and not job.problem_total:
        return describe_import(result_of(job))
    if job.status == "done":
        return str(_("Import refused: nothing was stored"))
    return str(_("Importing… you can keep using the other pages."))


def _rows_text(job: SurveyImportJob, done: int, total: int | None) -> str:
    if total:
        return str(_("%(done)s of %(total)s rows", done=done, total=total))
    if job.status == "running":  # the file is read and checked before any row is stored
        return str(_("Reading and checking the file…"))
    return "–"


def status_of(job: SurveyImportJob) -> dict[str, Any]:
    """What the import's page shows and its script polls."""
    done, total = read_progress(survey_jobs.uploads(), job)
    elapsed = _elapsed_s(job)
    return {
        "id": job.id,
        "status": job.status,
        "rows_done": done,
        "rows_total": total,
        "progress": round(min(done / total, 1.0), 3) if total else None,
        "rows_text": _rows_text(job, done, total),
        "elapsed_s": round(elapsed, 1),
        "elapsed_text": format_decimal(round(elapsed, 1), format="#,##0.0"),
        "refused": job.status == "done" and job.problem_total > 0,
        "needs_choice": job.status == "done" and job.needs_choice,
        "message": _message(job),
    }


@bp.get("/<int:job_id>")
@roles_required(*PLANNING_ROLES)
def job(job_id: int) -> str:
    """A progress bar that follows the import, then its outcome."""
    found = _checked(job_id)
    status = status_of(found)
    return render_template("surveys/import_job.html", job=found, status=status, form=ChoiceForm())


@bp.get("/<int:job_id>.json")
@roles_required(*PLANNING_ROLES)
def job_status(job_id: int) -> Response:
    """The import's progress for the page's poller."""
    return jsonify(status_of(_checked(job_id)))


@bp.post("/<int:job_id>/pilihan")
@roles_required(*PLANNING_ROLES)
def choose(job_id: int) -> BaseResponse:
    """Import the file again with the user's answer: other people (add) or the same (skip)."""
    form = ChoiceForm()
    session = get_session()
    if not form.validate_on_submit():
        return redirect(url_for("survey_imports.job", job_id=job_id))
    created = choose_overlap(session, job_id, form.choice.data, current_user.id)
    if created is None:  # chosen before (or nothing to choose): the page says how it ended
        return redirect(url_for("survey_imports.job", job_id=job_id))
    survey_jobs.start(session, created)
    return redirect(url_for("survey_imports.job", job_id=created.id))
