"""The villages page: a map of the region's desa/kelurahan and stops beside a table."""

from flask import Blueprint, render_template
from flask_babel import gettext as _

from planner.store import active_stops, region_depot, stop_counts, villages_by_code
from web.auth import OFFICE_ROLES, roles_required
from web.db import get_session
from web.ui.maps import add_depot, add_stops, add_villages, base_map, region_bounds, render_parts

bp = Blueprint("villages", __name__, url_prefix="/desa")


@bp.get("/")
@roles_required(*OFFICE_ROLES)
def index() -> str:
    """Villages on a map and in a table, with their stops."""
    session = get_session()
    villages = villages_by_code(session)
    stops = active_stops(session)
    depot = region_depot(session)
    parts = None
    if villages:
        fmap = base_map(*region_bounds(villages))
        add_villages(fmap, villages, _("Population (2025 est.)"))
        add_stops(fmap, stops, _("Approximate location"))
        if depot is not None:
            add_depot(fmap, depot, _("Approximate location"))
        parts = render_parts(fmap)
    return render_template(
        "villages/index.html",
        villages=villages,
        stop_counts=stop_counts(session),
        total_population=sum(v.population_estimate for v in villages),
        approximate_stops=sum(1 for s in stops if s.approximate),
        stops=stops,
        depot=depot,
        map=parts,
    )
