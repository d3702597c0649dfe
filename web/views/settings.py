"""Settings: where web solves take their travel times from (estimate, OSM extract, OSRM server)."""

from pathlib import Path

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from werkzeug.wrappers import Response
from wtforms import RadioField, StringField

from planner.core import KelilingError
from planner.plans import (
    install_osm_extract,
    travel_setting,
    use_estimate,
    use_osrm,
    use_stored_osm,
)
from web.auth import PLANNING_ROLES, csrf, roles_required
from web.db import get_session
from web.ui.forms import choices
from web.ui.travel import PROVIDER_LABELS

bp = Blueprint("settings", __name__, url_prefix="/pengaturan")
DEFAULT_OSM_UPLOAD_MAX_MB = 200
BYTES_PER_MB = 1024 * 1024


class TravelForm(FlaskForm):  # type: ignore[misc]  # flask_wtf is untyped
    provider = RadioField(_l("Travel times from"), choices=choices(PROVIDER_LABELS))
    osm_file = FileField(_l("OpenStreetMap extract (.osm or .osm.pbf)"))
    osrm_url = StringField(_l("OSRM server address"))


def osm_upload_limit_mb() -> int:
    """How large an extract may be (OSM_UPLOAD_MAX_MB, above the app's usual upload limit)."""
    return int(current_app.config.get("OSM_UPLOAD_MAX_MB", DEFAULT_OSM_UPLOAD_MAX_MB))


def _page(form: TravelForm, error: str | None = None, status: int = 200) -> tuple[str, int]:
    setting = travel_setting(get_session())
    return render_template(
        "settings/travel.html",
        form=form,
        setting=setting,
        labels=PROVIDER_LABELS,
        error=error,
        limit_mb=osm_upload_limit_mb(),
    ), status


@bp.get("/waktu-tempuh")
@roles_required(*PLANNING_ROLES)
def travel() -> tuple[str, int]:
    """The current travel-time source and the form to change it."""
    setting = travel_setting(get_session())
    return _page(TravelForm(data={"provider": setting.provider, "osrm_url": setting.osrm_url}))


# The global CSRF check would read the body under the app's upload limit before this view can
# raise it for an extract; the form checks its own CSRF token instead.
@bp.post("/waktu-tempuh")
@csrf.exempt  # type: ignore[untyped-decorator]  # flask_wtf is untyped
@roles_required(*PLANNING_ROLES)
def save_travel() -> tuple[str, int] | Response:
    """Switch the travel-time source; a refused extract or URL keeps the one in use."""
    request.max_content_length = osm_upload_limit_mb() * BYTES_PER_MB
    form = TravelForm()
    if not form.validate_on_submit():
        return _page(form, _("Choose where the travel times come from."), status=400)
    session = get_session()
    try:
        message = _apply(form, Path(current_app.instance_path))
    except KelilingError as error:  # a broken extract, a bad URL: nothing changed
        session.rollback()
        return _page(form, str(error), status=400)
    session.commit()
    flash(message, "info")
    return redirect(url_for("settings.travel"))


def _apply(form: TravelForm, instance_path: Path) -> str:
    session = get_session()
    if form.provider.data == "osrm":
        use_osrm(session, form.osrm_url.data or "")
        return str(_("Plans now take their travel times from the OSRM server."))
    if form.provider.data == "osm":
        upload = form.osm_file.data
        if upload is not None and upload.filename:
            setting = install_osm_extract(session, instance_path, upload.stream, upload.filename)
            done = _(
                "The extract %(name)s reaches every service point by road; plans now take "
                "their travel times from it.",
                name=setting.osm_name,
            )
            return str(done)
        use_stored_osm(session, instance_path)
        return str(_("Plans now take their travel times from the uploaded OpenStreetMap extract."))
    use_estimate(session)
    return str(_("Plans now use the straight-line estimate of travel times."))
