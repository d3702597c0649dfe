"""Outreach events (kegiatan): log one from a phone in under a minute, correct it, list, export."""

import datetime as dt
import secrets
from collections.abc import Mapping

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response as BaseResponse
from wtforms import HiddenField, SelectField, StringField, TextAreaField

from planner.demand import event_attendance
from planner.editing import Checked
from planner.outreach import (
    AGE_GROUPS,
    ATTENDANCE_KEYS,
    SCORES,
    EventEntry,
    EventFilter,
    EventValues,
    check_event,
    create_event_once,
    event_by_key,
    event_entry,
    event_history,
    event_page,
    events_csv,
    events_xlsx,
    filtered_totals,
    get_event,
    idempotency_key,
    list_events,
    new_event_entry,
    published_visit,
    same_event,
    satisfaction_key,
    stop_groups,
    today_visits,
    update_event,
    user_names,
)
from planner.store import (
    EVENT_TYPES,
    OutreachEvent,
    Stop,
    Visit,
    stop_ids,
    utcnow,
    villages_by_name,
)
from web.auth import OFFICE_ROLES, roles_required
from web.db import get_session
from web.i18n import current_zone
from web.ui.forms import choices

bp = Blueprint("events", __name__, url_prefix="/kegiatan")
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TYPE_LABELS = {
    "layanan baca": _l("Reading service"),
    "dongeng": _l("Storytelling"),
    "bedah buku": _l("Book discussion"),
    "literasi digital": _l("Digital literacy"),
    "lomba": _l("Competition"),
    "lainnya": _l("Other"),
}
GROUP_LABELS = {
    "anak": _l("Children"),
    "remaja": _l("Teenagers"),
    "dewasa": _l("Adults"),
    "lansia": _l("Elderly"),
}
SEX_LABELS = {"L": _l("Male"), "P": _l("Female")}
SCORE_LABELS = {
    "1": _l("1 – very dissatisfied"),
    "2": _l("2 – dissatisfied"),
    "3": _l("3 – neutral"),
    "4": _l("4 – satisfied"),
    "5": _l("5 – very satisfied"),
}
FILTER_KEYS = ("dari", "sampai", "desa", "jenis")
PER_PAGE = 50  # events on a page of the list
KEY_BYTES = 18  # 24 characters of a form's idempotency key


class EventForm(FlaskForm):  # type: ignore[misc]  # flask_wtf is untyped
    date = StringField(_l("Date"))
    start = StringField(_l("Start"))
    end = StringField(_l("End"))
    stop = StringField(_l("Service point"))  # a select grouped by village, see the template
    event_type = SelectField(_l("Event type"), choices=choices(TYPE_LABELS), validate_choice=False)
    librarians = StringField(_l("Librarians present"))
    books_lent = StringField(_l("Books lent"))
    new_members = StringField(_l("New members"))
    notes = TextAreaField(_l("Notes"))
    visit = HiddenField()
    # A new key each time a blank form is rendered: sending that form twice stores one event.
    key = HiddenField()


for _key in ATTENDANCE_KEYS:
    setattr(EventForm, _key, StringField(_key))
for _score in SCORES:
    setattr(EventForm, satisfaction_key(_score), StringField(SCORE_LABELS[_score]))


def _form_data(entry: EventEntry) -> dict[str, str]:
    data = {k: v for k, v in vars(entry).items() if k != "counts"}
    return data | dict(entry.counts)


def _entry(form: EventForm) -> EventEntry:
    def text(name: str) -> str:
        return str(form[name].data or "")

    count_keys = [*ATTENDANCE_KEYS, *(satisfaction_key(s) for s in SCORES)]
    return EventEntry(
        date=text("date"),
        start=text("start"),
        end=text("end"),
        stop=text("stop"),
        event_type=text("event_type"),
        librarians=text("librarians"),
        counts={key: text(key) for key in count_keys},
        books_lent=text("books_lent"),
        new_members=text("new_members"),
        notes=text("notes"),
        visit=text("visit"),
    )


def _linked_visit(text: str) -> Visit | None:
    return published_visit(get_session(), int(text)) if text.isdigit() else None


def _check(form: EventForm, visit: Visit | None) -> Checked[EventValues]:
    """The posted form checked; an event may stay linked to `visit` if its stop is kept."""
    known = stop_ids(get_session())
    visit_stops = {visit.id: visit.stop_id} if visit is not None and visit.id else {}
    return check_event(_entry(form), known, utcnow(), current_zone(), visit_stops)


@bp.route("/baru", methods=["GET", "POST"])
@roles_required(*OFFICE_ROLES)
def create() -> str | tuple[str, int] | BaseResponse:
    """A blank form (now, the user as librarian); opened from a visit, its stop is chosen."""
    session = get_session()
    visit = _linked_visit(request.values.get("visit", ""))
    planned = None
    if visit is not None:
        planned = (visit.planned_start or visit.planned_arrival, visit.planned_departure)
    entry = new_event_entry(
        utcnow(),
        current_zone(),
        current_user.display_name,
        visit.stop_id if visit else None,
        visit.id if visit else None,
        planned,
    )
    form = EventForm(data=_form_data(entry) | {"key": secrets.token_urlsafe(KEY_BYTES)})
    if not form.validate_on_submit():
        return _form_page(form)
    key = idempotency_key(form.key.data)
    stored = event_by_key(session, key) if key else None
    if stored is not None:
        return _already_saved(stored)
    checked = _check(form, visit)
    if checked.value is None:
        return _form_page(form, problems=checked.problems), 400
    resent = same_event(session, checked.value, current_user.id)
    if resent is not None:  # Back then Save: the same event under a fresh form key
        return _already_saved(resent)
    event, created = create_event_once(session, checked.value, current_user.id, key)
    session.commit()
    if not created:
        return _already_saved(event)
    stop = session.get(Stop, event.stop_id)
    people = event_attendance(event.attendance)
    flash(
        _(
            "Event at %(stop)s saved: %(count)s people.",
            stop=stop.name if stop else "",
            count=people,
        ),
        "info",
    )
    return redirect(url_for("events.index", _anchor=f"event-{event.id}"))


def _already_saved(event: OutreachEvent) -> BaseResponse:
    """The same form sent again (Back then Save, a double tap): show the event stored the
    first time instead of storing it twice."""
    flash(_("This event was saved already (the form was sent twice); nothing was added."), "info")
    return redirect(url_for("events.edit", event_id=event.id))


@bp.route("/<int:event_id>", methods=["GET", "POST"])
@roles_required(*OFFICE_ROLES)
def edit(event_id: int) -> str | tuple[str, int] | BaseResponse:
    """Correct an event; the state before each save is kept and shown as history."""
    session = get_session()
    event = get_event(session, event_id)
    form = EventForm(data=_form_data(event_entry(event, current_zone())))
    if not form.validate_on_submit():
        return _form_page(form, event)
    visit = session.get(Visit, event.visit_id) if event.visit_id else None
    checked = _check(form, visit)
    if checked.value is None:
        return _form_page(form, event, checked.problems), 400
    revision = update_event(session, event, checked.value, current_user.id)
    session.commit()
    flash(_("Changes saved.") if revision else _("Nothing was changed."), "info")
    return redirect(url_for("events.edit", event_id=event_id))


def _form_page(
    form: EventForm, event: OutreachEvent | None = None, problems: Mapping[str, str] | None = None
) -> str:
    groups = {}
    for key, message in (problems or {}).items():
        if key in form:
            form[key].errors = [*form[key].errors, message]
        else:
            groups[key] = message
    session = get_session()
    visit = _linked_visit(str(form.visit.data or ""))
    history = event_history(session, event) if event else []
    creator = user_names(session, [event.created_by_id]) if event else {}
    return render_template(
        "events/form.html",
        form=form,
        event=event,
        groups=groups,
        refused=bool(problems),
        stops=stop_groups(session),
        visit=visit,
        history=history,
        creator=creator.get(event.created_by_id or 0, "") if event else "",
        labels=_labels(form),
        types=TYPE_LABELS,
        group_labels=GROUP_LABELS,
        sex_labels=SEX_LABELS,
        age_groups=AGE_GROUPS,
        scores=SCORES,
    )


def _labels(form: EventForm) -> dict[str, str]:
    """What each history field is called on screen."""
    labels = {name: str(form[name].label.text) for name in form._fields}
    labels["start"] = _("Date and start")
    for key in ATTENDANCE_KEYS:
        group, sex = key.split("_")
        labels[key] = f"{GROUP_LABELS[group]} ({SEX_LABELS[sex]})"
    for score in SCORES:
        labels[satisfaction_key(score)] = _("Satisfaction %(label)s", label=SCORE_LABELS[score])
    return labels


def _day(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def _filters() -> tuple[EventFilter, dict[str, str]]:
    # A NUL cannot be compared with a text column on PostgreSQL, and nobody types it.
    texts = {key: request.args.get(key, "").replace("\x00", "").strip() for key in FILTER_KEYS}
    start, end = _day(texts["dari"]), _day(texts["sampai"])
    texts["dari"] = start.isoformat() if start else ""
    texts["sampai"] = end.isoformat() if end else ""
    if texts["jenis"] not in EVENT_TYPES:
        texts["jenis"] = ""
    return EventFilter(start, end, texts["desa"], texts["jenis"]), texts


@bp.get("/")
@roles_required(*OFFICE_ROLES)
def index() -> str:
    """Logged events, newest first, a page at a time, filtered by dates, village and type, with
    totals over every matching event."""
    session = get_session()
    chosen, texts = _filters()
    page = event_page(session, chosen, request.args.get("halaman", 1, type=int) or 1, PER_PAGE)
    return render_template(
        "events/index.html",
        page=page,
        rows=page.rows,
        totals=filtered_totals(session, chosen),
        filters=texts,
        query={k: v for k, v in texts.items() if v},
        villages=villages_by_name(session),
        types=TYPE_LABELS,
        age_groups=AGE_GROUPS,
        group_labels=GROUP_LABELS,
    )


@bp.get("/ekspor.<any(csv, xlsx):fmt>")
@roles_required(*OFFICE_ROLES)
def export(fmt: str) -> BaseResponse:
    """The filtered list as CSV or XLSX, one row per event."""
    rows = list_events(get_session(), _filters()[0])
    body, mime = (events_csv(rows), "text/csv") if fmt == "csv" else (events_xlsx(rows), XLSX_MIME)
    name = f"kegiatan-{dt.datetime.now(current_zone()):%Y-%m-%d}.{fmt}"
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    return Response(body, mimetype=mime, headers=headers)


@bp.get("/hari-ini")
@roles_required(*OFFICE_ROLES)
def today() -> str:
    """Today's visits on the published routes, each with a button to log its event."""
    day = dt.datetime.now(current_zone()).date()
    return render_template("events/today.html", day=day, visits=today_visits(get_session(), day))
