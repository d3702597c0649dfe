"""A rotation that is one week repeated: every stop comes back the same number of times each
week, every week has the same working days, and nothing ties a visit to one date. Such a
rotation is planned as its first week and repeated, so a month costs what a week costs and
residents see the same weekday every week."""

from dataclasses import replace

from planner.routing.problem import Plan, Problem, SolveParams, SolveProgress
from planner.routing.solver.days import shift_route

DAYS_PER_WEEK = 7


def week_template(problem: Problem) -> Problem | None:
    """The rotation's first week as a problem of its own, or None if the weeks differ."""
    weeks = problem.weeks
    if weeks == 1:
        return None
    working = set(problem.working_day_indexes())
    first = {d for d in working if d < DAYS_PER_WEEK}
    if working != {d + DAYS_PER_WEEK * w for d in first for w in range(weeks)}:
        return None  # a holiday: the weeks differ
    if any(s.visits % weeks for s in problem.stops):
        return None
    if any(p.date is not None for s in problem.stops for p in s.pins):
        return None
    end = problem.date_of(DAYS_PER_WEEK)
    return replace(
        problem,
        weeks=1,
        stops=tuple(replace(s, visits=s.visits // weeks) for s in problem.stops),
        previous=tuple(v for v in problem.previous if v.date < end),
        holidays=frozenset(),
    )


def template_params(params: SolveParams, weeks: int) -> SolveParams:
    """The same search for the template, its progress reported for the whole rotation."""
    report = params.progress
    if report is None:
        return params

    def scaled(progress: SolveProgress) -> None:
        report(
            replace(
                progress,
                visits_planned=progress.visits_planned * weeks,
                visits_required=progress.visits_required * weeks,
                distance_m=progress.distance_m * weeks,
                objective=progress.objective * weeks,
            )
        )

    return replace(params, progress=scaled)


def repeat_weeks(problem: Problem, week: Plan) -> Plan:
    """The first week's plan repeated over the rotation."""
    weeks = problem.weeks
    routes = tuple(
        sorted(
            (
                shift_route(r, r.day_index + DAYS_PER_WEEK * w)
                for w in range(weeks)
                for r in week.routes
            ),
            key=lambda r: (r.day_index, r.vehicle_id),
        )
    )
    return replace(
        week,
        start=problem.start,
        weeks=weeks,
        routes=routes,
        unserved=tuple(replace(u, visits=u.visits * weeks) for u in week.unserved),
        objective=week.objective * weeks,
    )
