"""Survey-derived demand per village: an explainable model over plain data, and its inputs."""

from planner.demand.aggregates import (
    current_aggregates,
    refresh_aggregates,
    refresh_for_stops,
    refresh_stale_aggregates,
)
from planner.demand.from_tallies import estimate_from_tallies
from planner.demand.inputs import (
    MAX_ROTATION_WEEKS,
    SLOT_WINDOWS,
    TOPICS,
    DemandParams,
    Observation,
    Respondent,
    VillageInfo,
)
from planner.demand.model import estimate_demand
from planner.demand.results import DemandResult, VillageDemand
from planner.demand.stats import fit_beta_prior, shrink_rate, smoothed_shares, update_attendance
from planner.demand.store import (
    DEMAND_CSV_COLUMNS,
    answer_breakdown,
    answer_breakdown_from_answers,
    compute_demand,
    compute_demand_from_answers,
    demand_csv_row,
)
from planner.demand.tally import (
    VillageTally,
    event_attendance,
    respondent_from_answers,
    tally_village,
)
from planner.demand.tgm import TgmScale, band_label, tgm_band, tgm_score

__all__ = [
    "DEMAND_CSV_COLUMNS",
    "DemandParams",
    "DemandResult",
    "MAX_ROTATION_WEEKS",
    "Observation",
    "Respondent",
    "SLOT_WINDOWS",
    "TOPICS",
    "TgmScale",
    "VillageDemand",
    "VillageInfo",
    "VillageTally",
    "answer_breakdown",
    "answer_breakdown_from_answers",
    "band_label",
    "compute_demand",
    "compute_demand_from_answers",
    "current_aggregates",
    "demand_csv_row",
    "estimate_demand",
    "estimate_from_tallies",
    "event_attendance",
    "fit_beta_prior",
    "refresh_aggregates",
    "refresh_for_stops",
    "refresh_stale_aggregates",
    "respondent_from_answers",
    "shrink_rate",
    "smoothed_shares",
    "tally_village",
    "tgm_band",
    "tgm_score",
    "update_attendance",
]
