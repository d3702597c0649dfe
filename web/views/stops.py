"""Service points (titik layanan): a filtered list on a map, and a form to add or correct one."""

from collections.abc import Mapping

import folium
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import (
    BooleanField,
    FormField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)

from planner.core import WEEKDAYS, NotFoundError
from planner.editing import (
    NameTakenError,
    StopEntry,
    StopValues,
    VillageShapes,
    check_stop,
    day_pattern_refusal,
    new_stop_entry,
    other_active_stops,
    other_stop_names,
    possible_rotations,
    save_record,
    set_active,
    stop_entry,
    stops_with_villages,
    village_id_of,
    visit_count,
)
from planner.store import Stop, Village, current_region, region_depot, villages_by_name
from web.auth import PLANNING_ROLES, roles_required
from web.db import get_session
from web.ui.day_patterns import refusal_text
from web.ui.forms import (
    VEHICLE_KIND_LABELS,
    CheckboxesField,
    StatusForm,
    WeekTexts,
    attach_problems,
    choices,
)
from web.ui.map_render import CircleMarker, FeatureGroup
from web.ui.maps import (
    APPROXIMATE_COLOUR,
    STOP_COLOUR,
    SafeLabel,
    add_depot,
    add_stops,
    add_villages,
    base_map,
    region_bounds,
    render_parts,
)

bp = Blueprint("stops", __name__, url_prefix="/titik")

KIND_LABELS = {
    "sekolah": _l("School"),
    "balai desa": _l("Village hall"),
    "masjid": _l("Mosque"),
    "posyandu": _l("Posyandu (health post)"),
    "TBM": _l("TBM (community reading corner)"),
    "lainnya": _l("Other"),
}
STATUS_FILTERS = {
    "aktif": _l("Active"),
    "nonaktif": _l("Inactive"),
    "perkiraan": _l("Approximate location"),
}


class StopForm(FlaskForm):  # type: ignore[misc]  # flask_wtf is untyped
    name = StringField(_l("Name"))
    village = SelectField(_l("Village"), validate_choice=False)
    kind = SelectField(_l("Kind"), choices=choices(KIND_LABELS), validate_choice=False)
    lat = StringField(_l("Latitude"))
    lon = StringField(_l("Longitude"))
    approximate = BooleanField(_l("Location is still approximate"))
    service_minutes = StringField(_l("Service time (minutes)"))
    windows = FormField(WeekTexts, label=_l("Opening hours"))
    vehicle_kinds = CheckboxesField(
        _l("Vehicles that can reach it"),
        choices=choices(VEHICLE_KIND_LABELS),
        validate_choice=False,
    )
    visits_override = StringField(_l("Visits per rotation"))
    day_patterns = StringField(_l("Day patterns"))
    crates = StringField(_l("Book crates to drop off"))
    notes = TextAreaField(_l("Notes"))
    active = BooleanField(_l("Active (included in planning)"))


def _entry(form: StopForm) -> StopEntry:
    def text(name: str) -> str:
        return str(form[name].data or "")

    return StopEntry(
        name=text("name"),
        village=text("village"),
        kind=text("kind"),
        lat=text("lat"),
        lon=text("lon"),
        service_minutes=text("service_minutes"),
        windows={day: value or "" for day, value in form.windows.data.items()},
        vehicle_kinds=list(form.vehicle_kinds.data or []),
        visits_override=text("visits_override"),
        day_patterns=text("day_patterns"),
        crates=text("crates"),
        notes=text("notes"),
        approximate=bool(form.approximate.data),
        active=bool(form.active.data),
    )


def _stop(stop_id: int) -> Stop:
    stop = get_session().get(Stop, stop_id)
    if stop is None:
        raise NotFoundError(_("No service point with number %(id)s.", id=stop_id))
    return stop


@bp.get("/")
@roles_required(*PLANNING_ROLES)
def index() -> str:
    """Every stop, filtered by village, kind and status, in a table and on a map."""
    session = get_session()
    villages = villages_by_name(session)
    filters = {key: request.args.get(key, "") for key in ("desa", "jenis", "status")}
    chosen = [v for v in villages if v.code == filters["desa"]]
    rows = stops_with_villages(
        session, filters["desa"] if chosen else "", filters["jenis"], filters["status"]
    )
    fmap = base_map(*region_bounds(chosen or villages))
    add_villages(fmap, villages, _("Population (2025 est.)"))
    add_stops(fmap, [stop for stop, _v in rows if stop.active], _("Approximate location"))
    depot = region_depot(session)
    if depot is not None:
        add_depot(fmap, depot, _("Approximate location"))
    return render_template(
        "stops/index.html",
        rows=rows,
        villages=villages,
        filters=filters,
        kinds=KIND_LABELS,
        statuses=STATUS_FILTERS,
        map=render_parts(fmap),
    )


@bp.route("/baru", methods=["GET", "POST"])
@roles_required(*PLANNING_ROLES)
def create() -> str | tuple[str, int] | Response:
    """A blank form with the region's working hours; the stop is stored once it is valid."""
    entry = new_stop_entry(current_region(get_session()), request.args.get("desa", ""))
    return _edit(Stop(village_id=0, name="", lat=0.0, lon=0.0), entry)


@bp.route("/<int:stop_id>", methods=["GET", "POST"])
@roles_required(*PLANNING_ROLES)
def edit(stop_id: int) -> str | tuple[str, int] | Response:
    """Correct a stop: position (typed or clicked on the map), hours, vehicles, visits."""
    stop = _stop(stop_id)
    village = get_session().get(Village, stop.village_id)
    assert village is not None
    return _edit(stop, stop_entry(stop, village.code))


def _edit(stop: Stop, entry: StopEntry) -> str | tuple[str, int] | Response:
    session = get_session()
    villages = villages_by_name(session)
    form = StopForm(data=vars(entry))
    form.village.choices = [SelectChoice("", _("Choose a village"))] + [
        SelectChoice(v.code, f"{v.name} (Kec. {v.kecamatan})") for v in villages
    ]
    if not form.validate_on_submit():
        return _form_page(form, stop, villages)
    shapes = VillageShapes(villages, current_region(session).name)
    checked = check_stop(_entry(form), shapes, other_stop_names(session, stop.id))
    if checked.value is None:
        return _form_page(form, stop, villages, checked.problems), 400
    working_days = current_region(session).settings.get("working_days", WEEKDAYS)
    values = checked.value
    refusal = day_pattern_refusal(
        values.visits_override, values.day_patterns, values.time_windows, working_days
    )
    if refusal is not None:
        return _form_page(form, stop, villages, {refusal.field: refusal_text(refusal)}), 400
    checked.value.apply_to(stop, village_id_of(villages, checked.value.village_code))
    try:
        save_record(session, stop)
    except NameTakenError:  # another coordinator saved the same name meanwhile
        taken = {"name": _("A service point with this name already exists.")}
        return _form_page(form, stop, villages, taken), 400
    flash(_('Service point "%(name)s" saved.', name=stop.name), "info")
    if values.visits_override is not None:
        _flash_short_rotations(values.visits_override, values, working_days)
    return redirect(url_for("stops.edit", stop_id=stop.id))


def _flash_short_rotations(visits: int, values: StopValues, working_days: list[str]) -> None:
    """Say when the stop's visits fit only the longer rotations."""
    weeks = possible_rotations(visits, values.day_patterns, values.time_windows, working_days)
    if weeks and weeks[0] > 1:
        flash(
            _(
                "Note: %(visits)s visits fit only in a rotation of %(weeks)s weeks or more; "
                "a shorter plan will leave some out.",
                visits=visits,
                weeks=weeks[0],
            ),
            "info",
        )


def _form_page(
    form: StopForm, stop: Stop, villages: list[Village], problems: Mapping[str, str] | None = None
) -> str:
    groups = attach_problems(form, problems or {})
    session = get_session()
    focus = [v for v in villages if v.code == form.village.data]
    fmap = base_map(*region_bounds(focus or villages))
    add_villages(fmap, villages, _("Population (2025 est.)"))
    _add_neighbours(fmap, other_active_stops(session, stop.id))
    return render_template(
        "stops/edit.html",
        form=form,
        stop=stop,
        groups=groups,
        refused=bool(problems),
        visits=visit_count(session, stop.id),
        status_form=StatusForm(),
        map=render_parts(fmap),
        map_name=fmap.get_name(),
    )


def _add_neighbours(fmap: folium.Map, stops: list[Stop]) -> None:
    """The other stops, small and with a tooltip only, so a click still moves this stop."""
    layer = FeatureGroup(name=_("Other service points")).add_to(fmap)
    for other in stops:
        CircleMarker(
            location=(other.lat, other.lon),
            radius=5,
            color=APPROXIMATE_COLOUR if other.approximate else STOP_COLOUR,
            weight=1,
            fill=True,
            fill_opacity=0.5,
            class_name="stop-neighbour",
        ).add_child(SafeLabel([other.name, other.kind])).add_to(layer)


@bp.post("/<int:stop_id>/nonaktifkan")
@roles_required(*PLANNING_ROLES)
def deactivate(stop_id: int) -> Response:
    """Leave the stop out of planning; its past visits and events stay."""
    return _set_active(stop_id, active=False)


@bp.post("/<int:stop_id>/aktifkan")
@roles_required(*PLANNING_ROLES)
def activate(stop_id: int) -> Response:
    """Include the stop in planning again."""
    return _set_active(stop_id, active=True)


def _set_active(stop_id: int, active: bool) -> Response:
    if not StatusForm().validate_on_submit():
        abort(400)
    stop = _stop(stop_id)
    set_active(get_session(), stop, active)
    if active:
        flash(_('Service point "%(name)s" is active again.', name=stop.name), "info")
    else:
        flash(
            _('Service point "%(name)s" deactivated; its history is kept.', name=stop.name), "info"
        )
    return redirect(url_for("stops.edit", stop_id=stop_id))
