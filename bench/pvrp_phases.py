"""Where a multi-depot periodic plan loses its metres: the day-by-day solve of one pr instance
with its progress, the plan as first routed (every depot free) next to the plan once each
customer keeps one depot, and, with --reroute S, the final plan's days and depots kept and
routed again for S seconds (what longer routing alone would gain).

    .venv/bin/python bench/pvrp_phases.py pr04 --time-limit 60 --reroute 240
"""

import argparse
import sys
from dataclasses import replace

from pvrp import DepotRule, check, read_cordeau, to_problem

import planner.routing.solver.periodic as periodic
from planner.core import weekday_key
from planner.routing import Plan, Problem, SolveParams, SolveProgress, solve
from planner.routing.solver.repair import DayPlan


def _fixed(problem: Problem, plan: Plan) -> Problem:
    """The problem with each customer held to its days and depot in `plan`."""
    kind_of = {v.id: v.kind for v in problem.vehicles}
    days: dict[int, list[int]] = {}
    kinds: dict[int, str] = {}
    for route in plan.routes:
        for visit in route.visits:
            days.setdefault(visit.stop_id, []).append(route.day_index)
            kinds[visit.stop_id] = kind_of[route.vehicle_id]

    def weekdays(stop_id: int) -> tuple[str, ...]:
        return tuple(weekday_key(problem.date_of(d)) for d in sorted(days[stop_id]))

    stops = tuple(
        replace(s, patterns=(weekdays(s.id),), vehicle_kinds=frozenset({kinds[s.id]}))
        for s in problem.stops
    )
    return replace(problem, stops=stops, one_kind_per_stop=False)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("instance")
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--reroute", type=float, default=0.0, help="seconds; 0: skip")
    args = parser.parse_args(argv)
    inst = read_cordeau(args.instance)
    problem = to_problem(inst, DepotRule())
    unify = periodic.unify

    def traced(plan: DayPlan, choices: dict[int, list[str]]) -> DayPlan:
        kept = unify(plan, choices)
        print(
            f"first routing, every depot free: {plan.visits()} visits, "
            f"{plan.distance_m() / 1000:.1f}; one depot each: {kept.visits()} visits, "
            f"{kept.distance_m() / 1000:.1f} (before the repair)"
        )
        return kept

    periodic.unify = traced  # type: ignore[assignment]

    def progress(p: SolveProgress) -> None:
        print(
            f"{p.elapsed_s:6.2f} s  {p.visits_planned}/{p.visits_required}  "
            f"{p.distance_m / 1000:.1f}"
        )

    plan = solve(problem, SolveParams(time_limit_s=args.time_limit, progress=progress))
    cost, errors = check(inst, plan)
    print(f"final: {cost:.1f} ({plan.solve_seconds} s) {errors[:3] or 'feasible'}")
    if args.reroute:
        fixed = _fixed(problem, plan)
        again = solve(fixed, SolveParams(time_limit_s=args.reroute, method="DAYS"))
        cost2, errors2 = check(inst, again)
        print(
            f"same days and depots, routed for {args.reroute:.0f} s: {cost2:.1f} "
            f"{errors2[:3] or 'feasible'}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
