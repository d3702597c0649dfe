"""Vehicles (kendaraan): the fleet with shifts per weekday and breaks, added or corrected here."""

from collections.abc import Mapping

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import BooleanField, FieldList, Form, FormField, SelectField, StringField

from planner.core import WEEKDAYS, NotFoundError
from planner.editing import (
    BreakEntry,
    NameTakenError,
    VehicleEntry,
    check_vehicle,
    format_weekdays,
    format_windows,
    new_vehicle_entry,
    other_vehicle_names,
    route_count,
    save_record,
    set_active,
    vehicle_entry,
    vehicles_for_list,
)
from planner.store import Vehicle, current_region, region_depot
from web.auth import PLANNING_ROLES, roles_required
from web.db import get_session
from web.ui.forms import VEHICLE_KIND_LABELS, StatusForm, WeekTexts, attach_problems, choices

bp = Blueprint("vehicles", __name__, url_prefix="/kendaraan")


class BreakRow(Form):  # type: ignore[misc]  # wtforms is untyped
    """One break: its name, the weekdays it applies and its times."""

    name = StringField(_l("Break"))
    weekdays = StringField(_l("Weekdays"))
    times = StringField(_l("Time"))


class VehicleForm(FlaskForm):  # type: ignore[misc]  # flask_wtf is untyped
    name = StringField(_l("Name"))
    kind = SelectField(_l("Kind"), choices=choices(VEHICLE_KIND_LABELS), validate_choice=False)
    shifts = FormField(WeekTexts, label=_l("Shift"))
    breaks = FieldList(FormField(BreakRow), label=_l("Breaks"))
    speed_kmh = StringField(_l("Average speed (km/h)"))
    capacity_crates = StringField(_l("Book crates it carries"))
    max_stops_per_day = StringField(_l("At most this many stops a day"))
    active = BooleanField(_l("Active (included in planning)"))


def _entry(form: VehicleForm) -> VehicleEntry:
    rows = [
        BreakEntry(
            row.form.name.data or "", row.form.weekdays.data or "", row.form.times.data or ""
        )
        for row in form.breaks
    ]
    return VehicleEntry(
        name=form.name.data or "",
        kind=form.kind.data or "",
        shifts={day: value or "" for day, value in form.shifts.data.items()},
        breaks=rows,
        speed_kmh=form.speed_kmh.data or "",
        capacity_crates=form.capacity_crates.data or "",
        max_stops_per_day=form.max_stops_per_day.data or "",
        active=bool(form.active.data),
    )


def _form_data(entry: VehicleEntry) -> dict[str, object]:
    data = vars(entry).copy()
    data["breaks"] = [vars(row) for row in entry.breaks]
    return data


def _vehicle(vehicle_id: int) -> Vehicle:
    vehicle = get_session().get(Vehicle, vehicle_id)
    if vehicle is None:
        raise NotFoundError(_("No vehicle with number %(id)s.", id=vehicle_id))
    return vehicle


def shift_summary(vehicle: Vehicle) -> list[tuple[str, str]]:
    """(days, hours) groups for the list: 'Senin, Selasa, ...' with the same shift."""
    groups: dict[str, list[str]] = {}
    for day in WEEKDAYS:
        if day in vehicle.shifts:
            groups.setdefault(format_windows([vehicle.shifts[day]]), []).append(day)
    return [(format_weekdays(days), hours) for hours, days in groups.items()]


def break_summary(vehicle: Vehicle) -> list[tuple[str, str, str]]:
    """(name, days, hours) of each break, for the list."""
    return [
        (b["name"], format_weekdays(b["weekdays"]), format_windows([[b["start"], b["end"]]]))
        for b in vehicle.breaks
    ]


@bp.get("/")
@roles_required(*PLANNING_ROLES)
def index() -> str:
    """The fleet with shifts, breaks, speed and capacity."""
    vehicles = vehicles_for_list(get_session())
    return render_template(
        "vehicles/index.html",
        vehicles=vehicles,
        kinds=VEHICLE_KIND_LABELS,
        shifts={v.id: shift_summary(v) for v in vehicles},
        breaks={v.id: break_summary(v) for v in vehicles},
    )


@bp.route("/baru", methods=["GET", "POST"])
@roles_required(*PLANNING_ROLES)
def create() -> str | tuple[str, int] | Response:
    """A blank form with the region's shift, lunch and Friday prayer breaks."""
    session = get_session()
    region = current_region(session)
    depot = region_depot(session, region.id)
    if depot is None or region.id is None or depot.id is None:
        raise NotFoundError(_('The region has no depot yet: run "keliling init" first.'))
    blank = Vehicle(region_id=region.id, depot_id=depot.id, name="", kind="van")
    return _edit(blank, new_vehicle_entry(region))


@bp.route("/<int:vehicle_id>", methods=["GET", "POST"])
@roles_required(*PLANNING_ROLES)
def edit(vehicle_id: int) -> str | tuple[str, int] | Response:
    """Correct a vehicle: shifts per weekday, breaks, speed, capacity."""
    vehicle = _vehicle(vehicle_id)
    return _edit(vehicle, vehicle_entry(vehicle))


def _edit(vehicle: Vehicle, entry: VehicleEntry) -> str | tuple[str, int] | Response:
    form = VehicleForm(data=_form_data(entry))
    if not form.validate_on_submit():
        return _form_page(form, vehicle)
    session = get_session()
    checked = check_vehicle(_entry(form), other_vehicle_names(session, vehicle.id))
    if checked.value is None:
        return _form_page(form, vehicle, checked.problems), 400
    checked.value.apply_to(vehicle)
    try:
        save_record(session, vehicle)
    except NameTakenError:  # another coordinator saved the same name meanwhile
        taken = {"name": _("A vehicle with this name already exists.")}
        return _form_page(form, vehicle, taken), 400
    flash(_('Vehicle "%(name)s" saved.', name=vehicle.name), "info")
    return redirect(url_for("vehicles.edit", vehicle_id=vehicle.id))


def _form_page(
    form: VehicleForm, vehicle: Vehicle, problems: Mapping[str, str] | None = None
) -> str:
    groups = attach_problems(form, problems or {})
    if not form.breaks.entries or not _blank(form.breaks.entries[-1]):
        form.breaks.append_entry()  # an empty row for one more break, no script needed
    return render_template(
        "vehicles/edit.html",
        form=form,
        vehicle=vehicle,
        groups=groups,
        refused=bool(problems),
        routes=route_count(get_session(), vehicle.id),
        status_form=StatusForm(),
    )


def _blank(row: FormField) -> bool:
    return not any((row.form[name].data or "").strip() for name in ("name", "weekdays", "times"))


@bp.post("/<int:vehicle_id>/nonaktifkan")
@roles_required(*PLANNING_ROLES)
def deactivate(vehicle_id: int) -> Response:
    """Leave the vehicle out of planning; its past routes stay."""
    return _set_active(vehicle_id, active=False)


@bp.post("/<int:vehicle_id>/aktifkan")
@roles_required(*PLANNING_ROLES)
def activate(vehicle_id: int) -> Response:
    """Include the vehicle in planning again."""
    return _set_active(vehicle_id, active=True)


def _set_active(vehicle_id: int, active: bool) -> Response:
    if not StatusForm().validate_on_submit():
        abort(400)
    vehicle = _vehicle(vehicle_id)
    set_active(get_session(), vehicle, active)
    if active:
        flash(_('Vehicle "%(name)s" is active again.', name=vehicle.name), "info")
    else:
        flash(
            _('Vehicle "%(name)s" deactivated; its past routes are kept.', name=vehicle.name),
            "info",
        )
    return redirect(url_for("vehicles.edit", vehicle_id=vehicle_id))
