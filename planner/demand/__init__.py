"""Survey-derived demand per village: an explainable model over plain data, and its inputs."""

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
    compute_demand,
    demand_csv_row,
    event_attendance,
    respondent_from_answers,
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
    "answer_breakdown",
    "band_label",
    "compute_demand",
    "demand_csv_row",
    "estimate_demand",
    "event_attendance",
    "fit_beta_prior",
    "respondent_from_answers",
    "shrink_rate",
    "smoothed_shares",
    "tgm_band",
    "tgm_score",
    "update_attendance",
]
