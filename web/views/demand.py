"""The demand page: a choropleth of village priority, a sortable table, and village details."""

from flask import Blueprint, render_template, request
from flask_babel import gettext as _

from planner.core import NotFoundError
from planner.demand import (
    MAX_ROTATION_WEEKS,
    DemandParams,
    answer_breakdown,
    band_label,
    compute_demand,
)
from planner.store import village_by_code, villages_by_code
from planner.survey import choice_label, list_batches
from web.auth import OFFICE_ROLES, roles_required
from web.db import get_session
from web.ui.maps import (
    PRIORITY_BINS,
    add_priority_choropleth,
    base_map,
    region_bounds,
    render_parts,
)

bp = Blueprint("demand", __name__, url_prefix="/permintaan")


def _weeks() -> int:
    weeks = request.args.get("minggu", default=1, type=int) or 1
    return min(max(weeks, 1), MAX_ROTATION_WEEKS)


def _survey_status() -> dict[str, int | bool]:
    batches = list_batches(get_session())
    return {
        "batches": len(batches),
        "synthetic": any(b.synthetic for b in batches),
        "respondents": sum(b.response_count for b in batches),
    }


@bp.get("/")
@roles_required(*OFFICE_ROLES)
def index() -> str:
    """Priority per village on a map and in a sortable table."""
    session = get_session()
    weeks = _weeks()
    result = compute_demand(session, DemandParams(weeks=weeks))
    villages = villages_by_code(session)
    fmap = base_map(*region_bounds(villages))
    by_code = {v.code: v for v in result.villages}
    labels = {
        "priority": _("Priority"),
        "attendance": _("Expected per visit"),
        "interest": _("Interest"),
        "respondents": _("respondents"),
        "visits": _("Visits per rotation"),
    }
    add_priority_choropleth(fmap, villages, by_code, labels)
    ranked = sorted(result.villages, key=lambda v: -v.priority)
    return render_template(
        "demand/index.html",
        result=result,
        villages=ranked,
        map=render_parts(fmap),
        weeks=weeks,
        max_weeks=MAX_ROTATION_WEEKS,
        bins=PRIORITY_BINS,
        survey=_survey_status(),
        total_visits=sum(v.visits_per_rotation for v in result.villages),
        choice_label=choice_label,
    )


@bp.get("/<code>")
@roles_required(*OFFICE_ROLES)
def village(code: str) -> str:
    """How one village's numbers were reached, and how it answered the survey."""
    session = get_session()
    if village_by_code(session, code) is None:  # before any demand is read
        raise NotFoundError(_("No village with code %(code)s.", code=code))
    result = compute_demand(session, DemandParams(weeks=_weeks()))
    return render_template(
        "demand/village.html",
        village=result.village(code),
        city=result.city,
        params=result.params,
        breakdowns=answer_breakdown(session, code),
        survey=_survey_status(),
        band_label=band_label,
        choice_label=choice_label,
    )
