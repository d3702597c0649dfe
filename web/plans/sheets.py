"""A printable A4 sheet per route-day: map, order, times, notes and the driver link's QR code."""

import segno
from flask import Blueprint, abort, current_app, render_template
from markupsafe import Markup

from planner.core import NotFoundError
from planner.plans import driver_token, driver_url, load_route
from web.auth import PLANNING_ROLES, roles_required
from web.db import get_session
from web.ui.plan_map import plan_map
from web.urls import base_url

bp = Blueprint("route_sheets", __name__, url_prefix="/rencana")
QR_SCALE = 4


def qr_svg(text: str) -> Markup:
    """An inline SVG QR code (segno writes no user text into it but the encoded data)."""
    svg = segno.make(text, error="m").svg_inline(scale=QR_SCALE, dark="#111827")
    return Markup(svg)  # noqa: S704 - segno's own markup, the data is encoded, not echoed


@bp.get("/<int:plan_id>/rute/<int:route_id>/lembar")
@roles_required(*PLANNING_ROLES)
def sheet(plan_id: int, route_id: int) -> str:
    """The route sheet; the QR code appears once the plan is published."""
    try:
        plan, route = load_route(get_session(), route_id)
    except NotFoundError:
        abort(404)
    if plan.id != plan_id:
        abort(404)
    link = None
    if plan.status == "published":
        token = driver_token(route_id, route.date, current_app.config["SECRET_KEY"])
        link = driver_url(base_url(), token)
    return render_template(
        "plans/sheet.html",
        plan=plan,
        route=route,
        map=plan_map(plan),
        link=link,
        qr=qr_svg(link) if link else None,
    )
