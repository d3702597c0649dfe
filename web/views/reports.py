"""The monthly report for the head of the library: visits, events, librarians, IPLM counts."""

import datetime as dt

from flask import Blueprint, Response, abort, render_template, request
from flask_babel import format_decimal
from flask_babel import gettext as _
from markupsafe import Markup

from planner.reports import (
    AGE_GROUPS,
    IPLM_COUNTS,
    SECTIONS,
    Month,
    MonthlyReport,
    monthly_report,
    report_csv,
    report_xlsx,
)
from planner.store import EVENT_TYPES
from web.auth import OFFICE_ROLES, roles_required
from web.db import get_session
from web.i18n import current_zone, month_name
from web.ui.charts import Series, bar_chart

bp = Blueprint("reports", __name__, url_prefix="/laporan")
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EVENT_ROWS = 100  # events listed on the page; the events list and the downloads hold all


def this_month() -> Month:
    """The current month in the region's zone."""
    return Month.of(dt.datetime.now(current_zone()).date())


def _month() -> Month:
    text = request.args.get("bulan", "").strip()
    if not text:
        return this_month()
    try:
        return Month.parse(text)
    except ValueError:
        message = _("“%(value)s” is not a month: use YYYY-MM, e.g. 2026-11.", value=text[:20])
        abort(400, description=message)


def group_labels() -> dict[str, str]:
    """Age groups as the page names them."""
    return {
        "anak": _("Children"),
        "remaja": _("Teenagers"),
        "dewasa": _("Adults"),
        "lansia": _("Elderly"),
    }


def iplm_labels() -> dict[str, str]:
    """How this app arrives at each IPLM count, in the user's language."""
    return {
        "service_visits": _("Visits of the plan with a “selesai” check-in"),
        "villages_served": _("Villages with at least one visit done"),
        "literacy_events": _("Outreach events logged"),
        "participants": _("People attending those events, every age group"),
        "new_members": _("New members signed up at the events"),
        "books_lent": _("Books lent at the events"),
    }


def _number(value: float) -> str:
    return str(format_decimal(value))


def charts(report: MonthlyReport) -> dict[str, Markup]:
    """Visits planned vs done, and attendance by age group, per village."""
    visited = [v for v in report.villages if v.visits.planned or v.visits.done]
    visits = bar_chart(
        _("Visits planned vs done per village"),
        [v.name for v in visited],
        [
            Series(_("Planned"), tuple(v.visits.planned for v in visited)),
            Series(_("Done"), tuple(v.visits.done for v in visited)),
            Series(_("Skipped"), tuple(v.visits.skipped for v in visited)),
        ],
        number=_number,
    )
    attended = [v for v in report.villages if v.activity.participants]
    labels = group_labels()
    attendance = bar_chart(
        _("Attendance by age group per village"),
        [v.name for v in attended],
        [Series(labels[g], tuple(v.activity.group_total(g) for v in attended)) for g in AGE_GROUPS],
        stacked=True,
        number=_number,
    )
    return {
        "visits": visits if visited else Markup(""),
        "attendance": attendance if attended else Markup(""),
    }


@bp.get("/")
@roles_required(*OFFICE_ROLES)
def index() -> str:
    """The month's report, with charts, ready to print."""
    month = _month()
    report = monthly_report(get_session(), month)
    previous, following = month.neighbours()
    return render_template(
        "reports/index.html",
        report=report,
        month=month,
        previous=previous,
        following=following,
        month_name=month_name,
        current=this_month(),
        today=dt.datetime.now(current_zone()).date(),
        charts=charts(report),
        groups=group_labels(),
        iplm=[(key, label, iplm_labels()[key]) for key, label in IPLM_COUNTS],
        iplm_values=report.iplm(),
        event_types=report.events_by_type(EVENT_TYPES),
        sections=list(SECTIONS),
        event_rows=report.events[:EVENT_ROWS],
    )


@bp.get("/ekspor.csv")
@roles_required(*OFFICE_ROLES)
def export_csv() -> Response:
    """One section of the report as CSV (`bagian`: desa, pustakawan, iplm or kegiatan)."""
    month = _month()
    section = request.args.get("bagian", "desa")
    if section not in SECTIONS:
        abort(400, description=_("Unknown report section “%(value)s”.", value=section[:20]))
    body = report_csv(monthly_report(get_session(), month), section)
    return _download(body, "text/csv; charset=utf-8", f"laporan-{month.key}-{section}.csv")


@bp.get("/ekspor.xlsx")
@roles_required(*OFFICE_ROLES)
def export_xlsx() -> Response:
    """The whole report as a workbook, one sheet per section."""
    month = _month()
    body = report_xlsx(monthly_report(get_session(), month))
    return _download(body, XLSX_MIME, f"laporan-{month.key}.xlsx")


def _download(body: bytes, mimetype: str, name: str) -> Response:
    disposition = f'attachment; filename="{name}"'
    return Response(body, mimetype=mimetype, headers={"Content-Disposition": disposition})
