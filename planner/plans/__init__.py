"""Plans: the problem from the database, plan storage and view, adjustments, publishing, jobs."""

from planner.plans.adjust import (
    add_visit,
    all_plans,
    open_jobs,
    pin_visit,
    remove_visit,
)
from planner.plans.build import PlanningContext, build_problem, previous_visits
from planner.plans.compare import compare_plans
from planner.plans.dashboard import Overview, week_overview
from planner.plans.jobs import (
    PlanRequest,
    StoredPlan,
    cancel_job,
    create_job,
    plan_and_store,
    run_job,
)
from planner.plans.json_form import plan_json, plan_to_json, visit_to_json
from planner.plans.links import (
    ExpiredDriverLink,
    InvalidDriverLink,
    driver_token,
    driver_url,
    read_driver_token,
)
from planner.plans.no_plan import NoPlanFoundError
from planner.plans.publishing import checkins_by_visit, publish_plan, record_checkin
from planner.plans.store import plan_from_json, store_plan
from planner.plans.travel import (
    OSM_SUFFIXES,
    TRAVEL_PROVIDERS,
    TravelSetting,
    install_osm_extract,
    matrix_cache_dir,
    region_provider,
    travel_setting,
    use_estimate,
    use_osrm,
    use_stored_osm,
)
from planner.plans.view import (
    BreakView,
    PlaceView,
    PlanView,
    RouteView,
    VisitView,
    load_plan,
    load_route,
)

__all__ = [
    "NoPlanFoundError",
    "PlanRequest",
    "StoredPlan",
    "plan_and_store",
    "add_visit",
    "all_plans",
    "open_jobs",
    "pin_visit",
    "remove_visit",
    "BreakView",
    "PlaceView",
    "PlanView",
    "RouteView",
    "VisitView",
    "load_plan",
    "load_route",
    "plan_to_json",
    "visit_to_json",
    "ExpiredDriverLink",
    "InvalidDriverLink",
    "Overview",
    "PlanningContext",
    "build_problem",
    "cancel_job",
    "checkins_by_visit",
    "compare_plans",
    "create_job",
    "driver_token",
    "driver_url",
    "plan_from_json",
    "plan_json",
    "previous_visits",
    "publish_plan",
    "read_driver_token",
    "record_checkin",
    "run_job",
    "store_plan",
    "week_overview",
    "OSM_SUFFIXES",
    "TRAVEL_PROVIDERS",
    "TravelSetting",
    "install_osm_extract",
    "matrix_cache_dir",
    "region_provider",
    "travel_setting",
    "use_estimate",
    "use_osrm",
    "use_stored_osm",
]
