"""Tallies (as stored, through JSON) give exactly the result of the model over every answer."""

from collections import defaultdict

from hypothesis import given, settings
from hypothesis import strategies as st

from planner.core import WEEKDAYS
from planner.demand import (
    DemandParams,
    Observation,
    Respondent,
    VillageInfo,
    VillageTally,
    estimate_demand,
    estimate_from_tallies,
    tally_village,
)
from planner.demand.inputs import AGE_GROUPS, GENDERS, SLOTS, TOPICS
from planner.demand.tally import exact_mean, exact_sum

CODES = ("A", "B", "C", "D")
amounts = st.one_of(
    st.integers(0, 300).map(float),
    st.floats(0, 1e4, allow_nan=False, allow_infinity=False),
    st.sampled_from([0.0, 1e-9, 5e-324, 0.1, 6.999999]),
)


@st.composite
def respondents(draw: st.DrawFn) -> Respondent:
    return Respondent(
        village_code=draw(st.sampled_from(CODES)),
        interest=draw(st.integers(1, 5)),
        fm=draw(amounts),
        dm=draw(amounts),
        jb=draw(amounts),
        fai=draw(amounts),
        dai=draw(amounts),
        days=draw(st.frozensets(st.sampled_from(WEEKDAYS))),
        slots=draw(st.frozensets(st.sampled_from(SLOTS))),
        topics=draw(st.frozensets(st.sampled_from(TOPICS))),
        travel_minutes=draw(st.none() | amounts),
        age_group=draw(st.sampled_from((None, "", *AGE_GROUPS))),
        gender=draw(st.sampled_from((None, *GENDERS))),
    )


villages = st.lists(
    st.builds(
        VillageInfo,
        code=st.sampled_from(CODES),
        name=st.just("Desa"),
        population=st.integers(0, 80_000),
        distance_km=st.floats(0, 30, allow_nan=False),
    ),
    min_size=1,
    max_size=4,
    unique_by=lambda v: v.code,
)
params = st.builds(
    DemandParams,
    weeks=st.integers(1, 4),
    interest_threshold=st.integers(1, 5),
    small_sample_n=st.integers(0, 5),
    share_prior_strength=st.sampled_from([0.0, 2.5, 10.0]),
)


@settings(max_examples=150, deadline=None)
@given(
    villages,
    st.lists(respondents(), max_size=60),
    st.lists(st.tuples(st.sampled_from(CODES), st.integers(0, 500)), max_size=12),
    params,
)
def test_tallies_give_the_same_result_as_every_answer(
    places: list[VillageInfo],
    answers: list[Respondent],
    visits: list[tuple[str, int]],
    knobs: DemandParams,
) -> None:
    codes = {v.code for v in places}
    answers = [r for r in answers if r.village_code in codes]
    observations = [Observation(code, n) for code, n in visits if code in codes]
    groups: dict[str, list[Respondent]] = defaultdict(list)
    seen: dict[str, list[int]] = defaultdict(list)
    for r in answers:
        groups[r.village_code].append(r)
    for o in observations:
        seen[o.village_code].append(o.attendance)
    stored = {
        v.code: VillageTally.from_json(tally_village(groups[v.code], seen[v.code]).as_json())
        for v in places
    }
    expected = estimate_demand(places, answers, observations, knobs)
    assert estimate_from_tallies(places, stored, knobs) == expected


@given(st.lists(amounts, max_size=40))
def test_an_exact_mean_is_the_float_mean(values: list[float]) -> None:
    from statistics import fmean

    assert exact_mean(exact_sum(values), len(values)) == (fmean(values) if values else None)
