"""Planning a rotation day by day (the decomposition of Cordeau, Gendreau & Laporte 1997 and
Vidal et al. 2012): choose each stop's day pattern (assign.py), route each working day with
all its vehicles as a small VRPTW (days.py), then move the visits that did not fit to other
patterns and days and re-route only the days touched (repair.py).

Days with the same weekday, the same stops and nothing date-specific are routed once and
repeated: a rotation whose stops all come back weekly on fixed weekdays is a repeating week.
"""

from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace

from planner.core import weekday_key
from planner.routing.diagnostics import StopOptions, check_problem
from planner.routing.problem import Diagnostic, Plan, Problem, SolveParams, SolveProgress, Unserved
from planner.routing.solver.assign import choose_patterns
from planner.routing.solver.days import (
    MIN_DAY_S,
    DayJob,
    DayResult,
    date_specific,
    day_limit,
    shift_route,
    solve_day,
)
from planner.routing.solver.eject import make_room
from planner.routing.solver.improve import relocate
from planner.routing.solver.kinds import kind_choices, switch_kinds, unify
from planner.routing.solver.parallel import route_in_parallel, start_workers
from planner.routing.solver.repair import Clock, DayPlan, repair
from planner.routing.solver.shake import shake
from planner.routing.solver.single import route_one_day
from planner.routing.unserved import explain_dropped

ASSIGN_SHARE = 0.1  # of the time limit, for choosing patterns (at least / at most below)
ASSIGN_MIN_S, ASSIGN_MAX_S = 0.05, 10.0
POLISH_MIN_S = 0.5
MAX_ROUNDS = 50
ROUND_SHARE = 0.2  # of the time left, for re-routing the days one improvement round touched
PASS_SHARE = 0.1  # of the limit, for one pass over every day when polishing until converged
# Ruin and recreate over patterns (shake.py) takes this share of the time left after the
# improvement rounds (with Pace.converge, once polishing has settled, and polishing resumes
# after it).
SHAKE_SHARE = 0.5
# Kept back from the improvement for putting left-out visits back at the end (at most).
SETTLE_S, SETTLE_SHARE = 0.2, 0.02
# When a day is re-routed, a visit that can go on no other day (the stop's other visits fix
# its pattern) weighs this many times its stop's penalty: a visit that could move to another
# day gives way to it, and is put back there afterwards.
STUCK_WEIGHT = 4


@dataclass(frozen=True)
class Pace:
    """How the day-by-day search spends its time (bench/RESULTS.md, "Ninth pass")."""

    days_share: float  # of the time left after choosing patterns, for the first routing
    # Each new best plan of ruin and recreate has the days it touched re-routed for this long
    # (None: not at all; the polishing at the end re-routes every day).
    shake_day_s: float | None
    converge: bool  # polish in short passes and stop early once a pass brings nothing


# Day by day for the whole limit: a shorter first routing, and ruin and recreate takes more
# steps for not re-routing its bests as they come.
ALONE = Pace(days_share=0.3, shake_day_s=None, converge=False)
# The plan HYBRID's one model starts from: a longer first routing, every best re-routed.
SEED = Pace(days_share=0.6, shake_day_s=0.1, converge=True)


def day_jobs(problem: Problem, patterns: dict[int, tuple[int, ...] | None]) -> list[DayJob]:
    """One job per distinct day: days equal to an earlier one are routed once and copied."""
    by_day: dict[int, list[int]] = {}
    for stop_index, pattern in patterns.items():
        for day in pattern or ():
            by_day.setdefault(day, []).append(stop_index)
    jobs: dict[tuple[object, ...], DayJob] = {}
    for day in sorted(by_day):
        stops = tuple(sorted(by_day[day]))
        weekday = weekday_key(problem.date_of(day))
        key: tuple[object, ...] = (day,) if date_specific(problem, day, stops) else (weekday, stops)
        if key in jobs:
            job = jobs[key]
            jobs[key] = replace(job, copies_to=(*job.copies_to, day))
        else:
            jobs[key] = DayJob(day, stops)
    return list(jobs.values())


class _Reporter:
    """Reports the plan as it is assembled, each time it gets better (more visits placed, or
    fewer metres): its objective is metres plus the penalty of every visit still left out."""

    def __init__(
        self, problem: Problem, params: SolveParams, clock: Clock, options: Sequence[StopOptions]
    ) -> None:
        self.params, self.clock = params, clock
        self.required = sum(s.visits for s in problem.stops)
        self.penalties = {o.stop_index: problem.stops[o.stop_index].penalty for o in options}
        self.best: int | None = None

    def objective(self, plan: DayPlan) -> int:
        served = plan.served()
        left_out = sum(
            penalty * (plan.problem.stops[i].visits - len(served.get(i, ())))
            for i, penalty in self.penalties.items()
        )
        return plan.distance_m() + left_out

    def __call__(self, plan: DayPlan) -> None:
        objective = self.objective(plan)
        if self.params.progress is None or (self.best is not None and objective >= self.best):
            return
        self.best = objective
        distance = plan.distance_m()
        self.params.progress(
            SolveProgress(
                elapsed_s=self.clock.elapsed(),
                time_limit_s=self.params.time_limit_s,
                visits_planned=plan.visits(),
                visits_required=self.required,
                distance_m=distance,
                objective=objective,
            )
        )

    def stopped(self) -> bool:
        return self.params.should_stop is not None and self.params.should_stop()


def _add(plan: DayPlan, result: DayResult, job: DayJob) -> None:
    plan.add(result.routes)
    plan.add(shift_route(r, day) for day in job.copies_to for r in result.routes)


def _route_days(
    plan: DayPlan,
    jobs: Sequence[DayJob],
    params: SolveParams,
    clock: Clock,
    report: _Reporter,
    pool: ProcessPoolExecutor | None,
    days_share: float,
) -> None:
    end = clock.elapsed() + days_share * (clock.left() - clock.safety_s)
    sizes = [len(j.stop_indexes) for j in jobs]
    if pool is not None:
        budget, total = end - clock.elapsed(), sum(sizes) or 1
        limits = [min(budget, budget * params.workers * n / total) for n in sizes]
        ordered = sorted(zip(jobs, limits, strict=True), key=lambda j: -j[1])

        def arrived(result: DayResult, job: DayJob) -> None:
            _add(plan, result, job)
            report(plan)

        route_in_parallel(pool, plan.problem, ordered, params, arrived, report.stopped, budget)
        return
    for position, job in enumerate(jobs):
        if report.stopped():
            return
        share = sizes[position] / (sum(sizes[position:]) or 1)
        limit = max(MIN_DAY_S, min((end - clock.elapsed()) * share, clock.left() - clock.safety_s))
        day_params = replace(params, time_limit_s=limit, progress=None)
        _add(plan, solve_day(plan.problem, job, day_params, route_one_day), job)
        report(plan)


def _wanted(plan: DayPlan, options: Sequence[StopOptions], day: int) -> set[int]:
    """Stops missing a visit that one on this day would bring closer to a pattern: a day
    re-routed as a whole may find room that inserting into its routes could not."""
    served = plan.served()
    found = set()
    for option in options:
        days = served.get(option.stop_index, set())
        if day in days or len(days) >= plan.problem.stops[option.stop_index].visits:
            continue
        if any(day in p and days <= set(p) for p in option.patterns):
            found.add(option.stop_index)
    return found


def _stuck(
    plan: DayPlan, options: Sequence[StopOptions], day: int, stops: Iterable[int]
) -> frozenset[int]:
    """The stops among `stops` whose visit on `day` no pattern without that day could take:
    every pattern that keeps their other visits' days includes it."""
    served = plan.served()
    option_of = {o.stop_index: o for o in options}
    found = set()
    for i in stops:
        others = served.get(i, set()) - {day}
        option = option_of.get(i)
        if option is None:
            continue
        keeping = [p for p in option.patterns if others <= set(p)]
        if keeping and all(day in p for p in keeping):
            found.add(i)
    return frozenset(found)


def _polish(
    plan: DayPlan,
    options: Sequence[StopOptions],
    days: set[int],
    params: SolveParams,
    clock: Clock,
    report: _Reporter,
    budget_s: float | None = None,
    floor_s: float | None = None,
) -> None:
    """Re-route the days the repair touched within `budget_s` (the time left if None), each
    for at least `floor_s`, keeping each day's result only if it is better."""
    remaining = sorted(days)
    end = clock.elapsed() + (clock.left() - clock.safety_s if budget_s is None else budget_s)
    floor = min(POLISH_MIN_S, 0.1 * clock.limit_s) if floor_s is None else floor_s
    for position, day in enumerate(remaining):
        initial = plan.day_routes(day)
        here = {i for seq in initial.values() for i in seq}
        stops = tuple(sorted(here | _wanted(plan, options, day)))
        least = day_limit(len(stops), floor)  # a small day needs less than the floor
        left = min(end - clock.elapsed(), clock.left() - clock.safety_s)
        if left < least or report.stopped():
            return
        limit = max(least, left / (len(remaining) - position))
        stuck = _stuck(plan, options, day, stops)
        day_params = replace(params, time_limit_s=limit, progress=None)
        job = DayJob(day, stops, stuck=stuck, stuck_weight=STUCK_WEIGHT)
        result = solve_day(plan.problem, job, day_params, route_one_day, initial)
        stops_of = plan.problem.stops
        weight = {i: stops_of[i].penalty * (STUCK_WEIGHT if i in stuck else 1) for i in stops}
        before = sum(weight[i] for i in here)
        after = sum(weight[plan.index_of[v.stop_id]] for r in result.routes for v in r.visits)
        old_m = sum(r.distance_m for (_, d), r in plan.routes.items() if d == day)
        # Demand served first (a left-out visit may take the place of a lesser one, or of one
        # that can go on another day), then metres.
        if (after, -sum(r.distance_m for r in result.routes)) > (before, -old_m):
            for key in [k for k in plan.routes if k[1] == day]:
                del plan.routes[key]
            plan.add(result.routes)
            report(plan)


def _put_back(
    plan: DayPlan,
    options: Sequence[StopOptions],
    choices: dict[int, list[str]] | None,
    clock: Clock,
) -> set[int]:
    """Place left-out visits by insertion: on their best pattern, in room made by moving
    another stop, or on another vehicle kind (with `choices`); the days touched."""
    touched = repair(plan, options, clock)
    touched |= make_room(plan, options, clock)
    if choices:
        touched |= switch_kinds(plan, options, choices, clock)
    return touched


def _improve(
    plan: DayPlan,
    options: Sequence[StopOptions],
    params: SolveParams,
    clock: Clock,
    report: _Reporter,
    choices: dict[int, list[str]] | None,
    pace: Pace,
) -> None:
    """Rounds of repair and pattern relocation, each followed by re-routing the days it
    touched, while they change something; then ruin and recreate over patterns, and the rest
    of the time polishes every day (with `pace.converge`, in short passes until one brings
    nothing before and after the ruin and recreate, leaving the rest of the time)."""
    for _ in range(MAX_ROUNDS):
        if report.stopped() or clock.left() < clock.safety_s:
            return
        touched = _put_back(plan, options, choices, clock)
        touched |= relocate(plan, options, clock)
        if not touched:
            break
        budget = ROUND_SHARE * (clock.left() - clock.safety_s)
        _polish(plan, options, touched, params, clock, report, budget)
    days = {d for _, d in plan.routes}
    shaken = False
    while pace.converge and not report.stopped() and clock.left() > clock.safety_s:
        before = (plan.visits(), -plan.distance_m())
        _polish(plan, options, days, params, clock, report, PASS_SHARE * clock.limit_s)
        if (plan.visits(), -plan.distance_m()) <= before:
            if shaken:
                return
            # Settled: ruin and recreate, then polish again until that settles too.
            _shake(plan, options, params, clock, report, choices, pace)
            shaken = True
    if not shaken and not report.stopped():
        _shake(plan, options, params, clock, report, choices, pace)
    if not report.stopped():
        _polish(plan, options, days, params, clock, report)


def _shake(
    plan: DayPlan,
    options: Sequence[StopOptions],
    params: SolveParams,
    clock: Clock,
    report: _Reporter,
    choices: dict[int, list[str]] | None,
    pace: Pace,
) -> None:
    """Ruin and recreate over day patterns (shake.py) for SHAKE_SHARE of the time left, or
    more when polishing every day afterwards needs less; each new best plan has the days it
    touched re-routed briefly (as `pace` says)."""
    left = clock.left() - clock.safety_s
    # Polishing a day takes at most its routing limit (days.day_limit).
    routed = {d for _, d in plan.routes}
    polish_s = sum(day_limit(len(_day_stops(plan, d)), left) for d in routed)
    until = clock.elapsed() + max(SHAKE_SHARE * left, left - polish_s)
    day_s = pace.shake_day_s

    def on_best(days: set[int]) -> None:
        if day_s is not None:
            _polish(plan, options, days, params, clock, report, day_s * len(days), day_s)
        report(plan)  # the new best, re-routed or not

    shake(plan, options, clock, until, on_best, report.stopped, choices)


def _day_stops(plan: DayPlan, day: int) -> list[int]:
    """The stops of every vehicle's route on a day."""
    return [i for seq in plan.day_routes(day).values() for i in seq]


def _unserved(plan: DayPlan, options: Sequence[StopOptions]) -> list[Unserved]:
    problem, served = plan.problem, plan.served()
    routes = list(plan.routes.values())
    found = []
    for option in options:
        stop = problem.stops[option.stop_index]
        dropped = stop.visits - len(served.get(option.stop_index, ()))
        if dropped > 0:
            found.append(
                explain_dropped(
                    problem,
                    routes,
                    option.stop_index,
                    dropped,
                    option.candidate_days,
                    option.patterns,
                )
            )
    return found


def solve_by_days(
    problem: Problem,
    params: SolveParams,
    clock: Clock,
    diagnostics: tuple[Diagnostic, ...],
    options: tuple[StopOptions, ...],
    pace: Pace = ALONE,
) -> Plan:
    """Plan the horizon day by day within the time limit (with `pace.converge`, stop early
    once polishing every day brings nothing)."""
    report = _Reporter(problem, params, clock, options)
    pool = start_workers(params.workers) if params.workers > 1 else None
    try:
        return _solve_by_days(problem, params, clock, diagnostics, options, report, pool, pace)
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)


def _solve_by_days(
    problem: Problem,
    params: SolveParams,
    clock: Clock,
    diagnostics: tuple[Diagnostic, ...],
    options: tuple[StopOptions, ...],
    report: _Reporter,
    pool: ProcessPoolExecutor | None,
    pace: Pace,
) -> Plan:
    assign_s = min(ASSIGN_MAX_S, max(ASSIGN_MIN_S, ASSIGN_SHARE * params.time_limit_s))
    assignment = choose_patterns(
        problem, options, min(assign_s, clock.left() - 2 * clock.safety_s), params.stability_penalty
    )
    plan = DayPlan(problem)
    choices = kind_choices(problem, options)
    jobs = day_jobs(problem, assignment.patterns)
    _route_days(plan, jobs, params, clock, report, pool, pace.days_share)
    if choices:  # each stop keeps one kind from here on
        plan = unify(plan, choices)
        problem = plan.problem
        diagnostics, options = check_problem(problem)
    # The improvement stops a little early, so that a visit its last re-routing left out (a
    # day re-routed as a whole may take in another stop's missing visit in place of one)
    # can still be put back by insertion.
    reserve = min(SETTLE_S, SETTLE_SHARE * clock.limit_s)
    improving = replace(clock, limit_s=clock.limit_s - reserve)
    _improve(plan, options, params, improving, report, choices, pace)
    if not report.stopped():
        _put_back(plan, options, choices, clock)
    report(plan)
    return finish(plan.problem, plan, options, diagnostics, clock)


def finish(
    problem: Problem,
    plan: DayPlan,
    options: Sequence[StopOptions],
    diagnostics: tuple[Diagnostic, ...],
    clock: Clock,
) -> Plan:
    """The Plan of the assembled routes, every left-out visit with its reason."""
    visits_of = {s.id: s.visits for s in problem.stops}
    unserved = [
        Unserved(d.stop_id, visits_of[d.stop_id], d.code, d.message, d.params) for d in diagnostics
    ]
    dropped = _unserved(plan, options)
    penalty = {s.id: s.penalty for s in problem.stops}
    routes = tuple(sorted(plan.routes.values(), key=lambda r: (r.day_index, r.vehicle_id)))
    placed = sum(len(r.visits) for r in routes)
    required = sum(s.visits for s in problem.stops)
    return Plan(
        start=problem.start,
        weeks=problem.weeks,
        provider=problem.provider,
        provider_label=problem.provider_label,
        status="ok" if placed or not required else "no_solution",
        routes=routes,
        unserved=tuple(unserved + dropped),
        diagnostics=diagnostics,
        objective=plan.distance_m() + sum(penalty[u.stop_id] * u.visits for u in dropped),
        solve_seconds=round(clock.elapsed(), 2),
    )
