"""The home page: each role lands where its work is."""

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from web.auth import OFFICE_ROLES, PLANNING_ROLES

bp = Blueprint("main", __name__)


@bp.get("/")
@login_required  # type: ignore[untyped-decorator]  # flask_login is untyped
def index() -> Response | str:
    """Planners land on the dashboard, staf on today's visits; a sopir is told about route links."""
    if current_user.role in PLANNING_ROLES:
        return redirect(url_for("dashboard.index"))
    if current_user.role in OFFICE_ROLES:
        return redirect(url_for("events.today"))
    return render_template("main/sopir.html")
