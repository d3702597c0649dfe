"""Collect the demand model's inputs from the database and run it."""

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, select

from planner.core import WEEKDAYS, NotFoundError, _, haversine_m
from planner.demand.inputs import DemandParams, Observation, Respondent, VillageInfo
from planner.demand.model import estimate_demand
from planner.demand.results import DemandResult
from planner.store import Depot, OutreachEvent, Stop, SurveyResponse, Village
from planner.survey import QUESTIONS


def event_attendance(attendance: Mapping[str, Any]) -> int:
    """Total people in an event's attendance ({"anak": {"L": 3, "P": 4}, ...})."""
    total = 0
    for value in attendance.values():
        if isinstance(value, Mapping):
            total += sum(int(v) for v in value.values() if isinstance(v, int | float))
        elif isinstance(value, int | float):
            total += int(value)
    return total


def respondent_from_answers(village_code: str, answers: Mapping[str, Any]) -> Respondent:
    """A stored, normalised survey response as the model's Respondent."""

    def number(key: str) -> float:
        value = answers.get(key)
        return float(value) if isinstance(value, int | float) else 0.0

    travel = answers.get("waktu_tempuh")
    return Respondent(
        village_code=village_code,
        interest=int(answers.get("minat") or 1),
        fm=number("fm"),
        dm=number("dm"),
        jb=number("jb"),
        fai=number("fai"),
        dai=number("dai"),
        days=frozenset(d for d in answers.get("hari") or () if d in WEEKDAYS),
        slots=frozenset(answers.get("waktu") or ()),
        topics=frozenset(answers.get("topik") or ()),
        travel_minutes=float(travel) if isinstance(travel, int | float) else None,
        age_group=answers.get("usia"),
        gender=answers.get("jenis_kelamin"),
    )


def load_inputs(
    session: Session,
) -> tuple[list[VillageInfo], list[Respondent], list[Observation]]:
    """Villages with their distance from the depot, every survey response, logged visits."""
    villages = list(session.exec(select(Village).order_by(Village.code)))
    depot = session.exec(select(Depot)).first()
    infos = [
        VillageInfo(
            code=v.code,
            name=v.name,
            population=v.population_estimate,
            distance_km=(
                haversine_m(depot.lat, depot.lon, v.inside_lat, v.inside_lon) / 1000
                if depot is not None
                else 0.0
            ),
        )
        for v in villages
    ]
    codes = {v.id: v.code for v in villages}
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


def compute_demand(session: Session, params: DemandParams | None = None) -> DemandResult:
    """The demand model over everything in the database."""
    villages, respondents, observations = load_inputs(session)
    return estimate_demand(villages, respondents, observations, params or DemandParams())


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


def answer_breakdown(session: Session, village_code: str) -> list[Breakdown]:
    """How a village answered each closed question (for the village detail charts)."""
    village = session.exec(select(Village).where(Village.code == village_code)).first()
    if village is None:
        msg = _("No village with code '{code}'.").format(code=village_code)
        raise NotFoundError(msg)
    answers = [
        r.answers
        for r in session.exec(select(SurveyResponse).where(SurveyResponse.village_id == village.id))
    ]
    breakdowns = []
    for question in QUESTIONS:
        if question.type not in ("select_one", "select_multiple") or question.name == "desa":
            continue
        counts: Counter[str] = Counter()
        answered = 0
        for answer in answers:
            value = answer.get(question.name)
            values = value if isinstance(value, list) else [value]
            picked = [_choice_value(v) for v in values if v is not None and v != []]
            answered += bool(picked)
            counts.update(picked)
        rows = tuple((c.label(), counts.get(c.value, 0)) for c in question.choices)
        breakdowns.append(Breakdown(question.name, question.label(), rows, answered))
    return breakdowns


def _choice_value(value: Any) -> str:
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    return str(value)
