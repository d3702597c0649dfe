"""What residents wrote in the survey's free-text questions, per village: read and export."""

from flask import Blueprint, Response, render_template, request
from flask_babel import gettext as _

from planner.core import NotFoundError
from planner.store import Village, village_by_code
from planner.survey import free_text_csv, free_text_page, free_text_xlsx
from web.auth import OFFICE_ROLES, roles_required
from web.db import get_session

bp = Blueprint("survey_answers", __name__, url_prefix="/survei/jawaban")
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MIME = {"csv": "text/csv", "xlsx": XLSX_MIME}
PER_PAGE = 50
# The export of every village's answers.
ALL_VILLAGES = "semua"


def _village(code: str) -> Village:
    found = village_by_code(get_session(), code)
    if found is None:
        raise NotFoundError(_("No village with code %(code)s.", code=code))
    return found


@bp.get("/<code>")
@roles_required(*OFFICE_ROLES)
def village(code: str) -> str:
    """A village's free-text answers, a page at a time (each one escaped by the template)."""
    found = _village(code)
    page_number = request.args.get("halaman", 1, type=int) or 1
    page = free_text_page(get_session(), found.code, page_number, PER_PAGE)
    return render_template("surveys/answers.html", village=found, answers=page)


@bp.get("/<code>/<any(csv, xlsx):fmt>")
@roles_required(*OFFICE_ROLES)
def export(code: str, fmt: str) -> Response:
    """A village's free-text answers (every village's with `semua`) as CSV or XLSX."""
    village_code = None if code == ALL_VILLAGES else _village(code).code
    session = get_session()
    if fmt == "csv":
        body = free_text_csv(session, village_code)
    else:
        body = free_text_xlsx(session, village_code)
    name = f"jawaban-{(village_code or ALL_VILLAGES).replace('.', '')}.{fmt}"
    disposition = f'attachment; filename="{name}"'
    return Response(body, mimetype=MIME[fmt], headers={"Content-Disposition": disposition})
