"""Survey pages: upload an export (all rows or none), see the batches, download the form.

A file up to SURVEY_INLINE_MAX_BYTES (1 MB) is imported during the request; a larger one is
saved and imported as a background job whose page shows its progress (web.survey_jobs)."""

from flask import Blueprint, Response, current_app, flash, redirect, render_template, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from werkzeug.wrappers import Response as BaseResponse
from wtforms import BooleanField

from geodata import load_region
from planner.core import ImportRejectedError
from planner.store import current_region
from planner.survey import (
    ask_overlap,
    blank_sheet_csv,
    blank_sheet_xlsx,
    create_import_job,
    describe_import,
    import_survey,
    list_batches,
    save_upload,
    xlsform_bytes,
)
from web import survey_jobs
from web.auth import PLANNING_ROLES, roles_required
from web.db import get_session

bp = Blueprint("surveys", __name__, url_prefix="/survei")
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Larger files are imported in the background (a web worker's timeout never cuts them off).
INLINE_MAX_BYTES = 1024 * 1024


class UploadForm(FlaskForm):  # type: ignore[misc]  # flask_wtf is untyped
    file = FileField(_l("Survey export (CSV or XLSX)"), validators=[FileRequired()])
    dry_run = BooleanField(_l("Check only, store nothing"))


def _page(
    form: UploadForm, problems: ImportRejectedError | None = None, status: int = 200
) -> tuple[str, int]:
    batches = list_batches(get_session())
    return render_template(
        "surveys/index.html", form=form, batches=batches, problems=problems
    ), status


@bp.get("/")
@roles_required(*PLANNING_ROLES)
def index() -> tuple[str, int]:
    """The upload form and the list of imported batches."""
    return _page(UploadForm())


@bp.post("/")
@roles_required(*PLANNING_ROLES)
def upload() -> tuple[str, int] | BaseResponse:
    """Import the uploaded export, or show every problem with its row and column."""
    form = UploadForm()
    if not form.validate_on_submit():
        return _page(form, status=400)
    upload = form.file.data
    data, filename = upload.read(), upload.filename or "survei"
    if len(data) > current_app.config.get("SURVEY_INLINE_MAX_BYTES", INLINE_MAX_BYTES):
        return _start_job(data, filename, dry_run=form.dry_run.data)
    session = get_session()
    try:
        result = import_survey(
            session,
            current_region(session),
            data,
            filename,
            dry_run=form.dry_run.data,
            imported_by_id=current_user.id,
        )
    except ImportRejectedError as rejected:
        session.rollback()
        return _page(form, rejected, status=400)
    if result.needs_choice:  # nothing stored: the file waits for the user's choice
        session.rollback()
        stored = save_upload(survey_jobs.uploads(), data)
        job = ask_overlap(session, filename, stored, result, current_user.id)
        session.commit()
        return redirect(url_for("survey_imports.job", job_id=job.id))
    session.commit()
    flash(describe_import(result), "info")
    return redirect(url_for("surveys.index"))


def _start_job(data: bytes, filename: str, *, dry_run: bool) -> BaseResponse:
    """Save the upload and import it in the background; its page follows the progress."""
    session = get_session()
    stored = save_upload(survey_jobs.uploads(), data)
    job = create_import_job(
        session, filename, stored, len(data), dry_run=dry_run, created_by_id=current_user.id
    )
    survey_jobs.start(session, job)
    return redirect(url_for("survey_imports.job", job_id=job.id))


@bp.get("/templat/<fmt>")
@roles_required(*PLANNING_ROLES)
def template(fmt: str) -> BaseResponse:
    """Download the XLSForm or a blank answer sheet."""
    pack = load_region(current_app.config["REGION"])
    villages = [(v.code, v.name) for v in pack.villages]
    if fmt == "xlsform":
        title = f"Survei Kebutuhan Informasi Masyarakat — {pack.name}"
        body, mime, name = xlsform_bytes(villages, title), XLSX_MIME, "survei-xlsform.xlsx"
    elif fmt == "xlsx":
        body, mime, name = blank_sheet_xlsx(villages), XLSX_MIME, "survei-lembar-jawaban.xlsx"
    elif fmt == "csv":
        body, mime, name = blank_sheet_csv(), "text/csv", "survei-lembar-jawaban.csv"
    else:
        return redirect(url_for("surveys.index"))
    disposition = f'attachment; filename="{name}"'
    return Response(body, mimetype=mime, headers={"Content-Disposition": disposition})
