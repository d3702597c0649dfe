"""Hari libur: national holidays and cuti bersama (read-only) and the library's own closed days."""

import datetime as dt

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import DateField, StringField
from wtforms.validators import InputRequired, Length

from planner.calendar import (
    REASON_MAX,
    ClosedDayTakenError,
    add_closed_day,
    library_closed_days,
    national_days_off,
    remove_closed_day,
)
from planner.core import KelilingError
from planner.store import current_region
from web.auth import PLANNING_ROLES, roles_required
from web.db import get_session
from web.i18n import current_zone, select_locale
from web.ui.days_off import days_off_in_period, days_off_text
from web.ui.forms import StatusForm

bp = Blueprint("closed_days", __name__, url_prefix="/hari-libur")
DAYS_AHEAD = 365
MAX_WEEKS = 4


class ClosedDayForm(FlaskForm):  # type: ignore[misc]  # flask_wtf is untyped
    date = DateField(_l("Date"), validators=[InputRequired(_l("Choose a date."))])
    reason = StringField(
        _l("Reason"),
        validators=[
            InputRequired(_l("Write why the library is closed.")),
            Length(max=REASON_MAX, message=_l("At most 200 characters.")),
        ],
    )


def _today() -> dt.date:
    return dt.datetime.now(current_zone()).date()


def _page(form: ClosedDayForm) -> str:
    session = get_session()
    region = current_region(session)
    assert region.id is not None
    today = _today()
    return render_template(
        "closed_days/index.html",
        form=form,
        delete_form=StatusForm(),
        national=national_days_off(today, today + dt.timedelta(days=DAYS_AHEAD), select_locale()),
        closed=library_closed_days(session, region.id, today),
    )


@bp.get("/")
@roles_required(*PLANNING_ROLES)
def index() -> str:
    """Upcoming holidays and cuti bersama, the library's closed days and a form to add one."""
    return _page(ClosedDayForm())


@bp.post("/")
@roles_required(*PLANNING_ROLES)
def add() -> str | tuple[str, int] | Response:
    """Add a closed day; planning skips it from the next solve on."""
    form = ClosedDayForm()
    if not form.validate_on_submit():
        return _page(form), 400
    session = get_session()
    try:
        add_closed_day(session, current_region(session), form.date.data, form.reason.data)
    except ClosedDayTakenError:
        form.date.errors = [_("This date is already a closed day.")]
        return _page(form), 400
    except KelilingError as error:
        form.reason.errors = [str(error)]
        return _page(form), 400
    session.commit()
    flash(
        _("%(date)s is a closed day now.", date=format_date(form.date.data, "d MMMM yyyy")), "info"
    )
    return redirect(url_for("closed_days.index"))


@bp.post("/<int:closed_day_id>/hapus")
@roles_required(*PLANNING_ROLES)
def delete(closed_day_id: int) -> Response:
    """Delete a closed day; plans made already keep their days."""
    if not StatusForm().validate_on_submit():
        abort(400)
    session = get_session()
    removed = remove_closed_day(session, current_region(session), closed_day_id)
    session.commit()
    flash(
        _("%(date)s is no longer a closed day.", date=format_date(removed.date, "d MMMM yyyy")),
        "info",
    )
    return redirect(url_for("closed_days.index"))


@bp.get("/periode.json")
@roles_required(*PLANNING_ROLES)
def period() -> Response:
    """The days off of a planning period as the plan form shows them (for its script)."""
    try:
        start = dt.date.fromisoformat(request.args.get("start", ""))
        weeks = int(request.args.get("weeks", "1"))
    except ValueError:
        abort(400)
    if not 1 <= weeks <= MAX_WEEKS or start.year >= dt.MAXYEAR:
        abort(400)  # the last year has no room for a planning period
    return jsonify(text=days_off_text(days_off_in_period(start, weeks)))
