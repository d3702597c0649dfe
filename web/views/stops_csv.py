"""Stops as CSV in the browser: the import of `keliling stops import` and the export of
`keliling stops --format csv`, so a file round-trips between the two."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from werkzeug.wrappers import Response

from planner.core import ImportRejectedError, write_csv
from planner.editing import EXPORT_COLUMNS, import_stops, stop_rows
from planner.store import current_region
from web.auth import PLANNING_ROLES, roles_required
from web.db import get_session

bp = Blueprint("stops_csv", __name__, url_prefix="/titik")
EXPORT_NAME = "titik-layanan.csv"


class StopsUploadForm(FlaskForm):  # type: ignore[misc]  # flask_wtf is untyped
    file = FileField(_l("Stops file (CSV)"), validators=[FileRequired()])


def _page(
    form: StopsUploadForm, problems: ImportRejectedError | None = None, status: int = 200
) -> tuple[str, int]:
    return render_template("stops/csv.html", form=form, problems=problems), status


@bp.get("/csv")
@roles_required(*PLANNING_ROLES)
def upload_page() -> tuple[str, int]:
    """The upload form, the expected columns and the export link."""
    return _page(StopsUploadForm())


@bp.post("/csv")
@roles_required(*PLANNING_ROLES)
def upload() -> tuple[str, int] | Response:
    """Create or update stops from the file, all rows or none, or show each row's problem."""
    form = StopsUploadForm()
    if not form.validate_on_submit():
        return _page(form, status=400)
    session = get_session()
    try:
        summary = import_stops(session, current_region(session), form.file.data.read())
    except ImportRejectedError as rejected:
        session.rollback()
        return _page(form, rejected, status=400)
    session.commit()
    flash(
        _(
            "%(created)s new service points, %(updated)s updated.",
            created=summary.created,
            updated=summary.updated,
        ),
        "info",
    )
    return redirect(url_for("stops.index"))


@bp.get("/ekspor.csv")
@roles_required(*PLANNING_ROLES)
def export() -> Response:
    """Every stop in the import format (plus id and village name), ready to edit and upload."""
    body = write_csv(stop_rows(get_session()), EXPORT_COLUMNS)
    disposition = f'attachment; filename="{EXPORT_NAME}"'
    return Response(body, mimetype="text/csv", headers={"Content-Disposition": disposition})
