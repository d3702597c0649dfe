"""Collect the demand model's inputs from the database and run it."""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, select

from planner import survey  # the module, not its names: planner.survey imports planner.demand
from planner.core import NotFoundError, _, haversine_m
from planner.demand.aggregates import current_aggregates
from planner.demand.breakdown import count_answers
from planner.demand.from_tallies import estimate_from_tallies
from planner.demand.inputs import DemandParams, Observation, Respondent, VillageInfo
from planner.demand.model import estimate_demand
from planner.demand.results import DemandResult
from planner.demand.tally import event_attendance, respondent_from_answers
from planner.demand.tgm import DEFAULT_TGM_SCALE
from planner.store import Depot, OutreachEvent, Stop, SurveyResponse, Village


def village_infos(session: Session) -> list[tuple[int, VillageInfo]]:
    """Every village (by code) with its id and its distance from the depot."""
    depot = session.exec(select(Depot)).first()
    columns = select(  # type: ignore[call-overload]  # six columns: beyond sqlmodel's overloads
        Village.id,
        Village.code,
        Village.name,
        Village.population_estimate,
        Village.inside_lat,
        Village.inside_lon,
    )
    return [
        (
            village_id,
            VillageInfo(
                code=code,
                name=name,
                population=population,
                distance_km=(
                    haversine_m(depot.lat, depot.lon, lat, lon) / 1000 if depot is not None else 0.0
                ),
            ),
        )
        for village_id, code, name, population, lat, lon in session.exec(
            columns.order_by(Village.code)
        )
        if village_id is not None
    ]


def load_inputs(
    session: Session,
) -> tuple[list[VillageInfo], list[Respondent], list[Observation]]:
    """Villages with their distance from the depot, every survey response, logged visits."""
    villages = village_infos(session)
    infos = [info for _, info in villages]
    codes = {village_id: info.code for village_id, info in villages}
    respondents = [
        respondent_from_answers(codes[r.village_id], r.answers)
        for r in session.exec(select(SurveyResponse))
    ]
    events = session.exec(select(OutreachEvent, Stop).join(Stop))
    observations = [
        Observation(codes[stop.village_id], event_attendance(event.attendance))
        for event, stop in events
    ]
    return infos, respondents, observations


def compute_demand_from_answers(
    session: Session, params: DemandParams | None = None
) -> DemandResult:
    """The demand model over every stored answer and visit, read one by one (slow at size)."""
    villages, respondents, observations = load_inputs(session)
    return estimate_demand(villages, respondents, observations, params or DemandParams())


def compute_demand(session: Session, params: DemandParams | None = None) -> DemandResult:
    """The demand model over everything in the database, read from the stored tallies."""
    params = params or DemandParams()
    if params.tgm != DEFAULT_TGM_SCALE:  # tallies hold TGM scores on the default scale
        return compute_demand_from_answers(session, params)
    villages = village_infos(session)
    aggregates = current_aggregates(session)
    tallies = {info.code: aggregates[vid].tally for vid, info in villages if vid in aggregates}
    return estimate_from_tallies([info for _, info in villages], tallies, params)


PRIORITY_PARTS = ("attendance", "interest", "access", "literacy_need")
DEMAND_CSV_COLUMNS = (
    "code",
    "name",
    "population",
    "respondents",
    "interested",
    "raw_interest_rate",
    "interest_rate",
    "tgm_mean",
    "tgm_band",
    "distance_km",
    "travel_minutes_mean",
    "model_attendance",
    "observed_visits",
    "expected_attendance",
    "priority",
    *(f"priority_{part}" for part in PRIORITY_PARTS),
    "visits_per_rotation",
    "preferred_windows",
    "preferred_days",
    "topics",
)


def _percentages(shares: Mapping[str, float], limit: int) -> str:
    top = list(shares.items())[:limit]
    return "; ".join(f"{key} {share * 100:.0f}%" for key, share in top)


def demand_csv_row(village: Mapping[str, Any]) -> dict[str, Any]:
    """One village of `DemandResult.as_dict()` flattened for a spreadsheet."""
    row = {column: village.get(column) for column in DEMAND_CSV_COLUMNS}
    for factor in village["factors"]:
        if factor["kind"] == "priority":
            row[f"priority_{factor['name']}"] = factor["contribution"]
    row["preferred_windows"] = "; ".join(
        f"{w['slot']} {w['start']}-{w['end']} ({w['share'] * 100:.0f}%)"
        for w in village["preferred_windows"]
    )
    row["preferred_days"] = _percentages(village["preferred_days"], 7)
    row["topics"] = _percentages(village["topics"], 10)
    return row


@dataclass(frozen=True)
class Breakdown:
    """Answer counts for one question in one village, in questionnaire order."""

    question: str
    label: str
    counts: tuple[tuple[str, int], ...]
    answered: int


def _village(session: Session, village_code: str) -> Village:
    village = session.exec(select(Village).where(Village.code == village_code)).first()
    if village is None or village.id is None:
        msg = _("No village with code '{code}'.").format(code=village_code)
        raise NotFoundError(msg)
    return village


def _breakdowns(counted: Mapping[str, Any]) -> list[Breakdown]:
    breakdowns = []
    for question in survey.QUESTIONS:
        if question.name not in counted:
            continue
        counts = counted[question.name]["counts"]
        rows = tuple((c.label(), counts.get(c.value, 0)) for c in question.choices)
        answered = counted[question.name]["answered"]
        breakdowns.append(Breakdown(question.name, question.label(), rows, answered))
    return breakdowns


def answer_breakdown(session: Session, village_code: str) -> list[Breakdown]:
    """How a village answered each closed question (for the village detail charts)."""
    village = _village(session, village_code)
    assert village.id is not None
    return _breakdowns(current_aggregates(session, [village.id])[village.id].breakdown)


def answer_breakdown_from_answers(session: Session, village_code: str) -> list[Breakdown]:
    """answer_breakdown counted from every stored answer of the village (slow at size)."""
    village = _village(session, village_code)
    query = select(SurveyResponse.answers).where(SurveyResponse.village_id == village.id)
    return _breakdowns(count_answers(session.exec(query)))
