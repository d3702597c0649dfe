"""The Kota Banjar demo week: the default 10-second plan, a long solve, and a hand-made baseline.

    .venv/bin/python bench/banjar.py                    # 10 s and 300 s
    .venv/bin/python bench/banjar.py --long 60
    .venv/bin/python bench/banjar.py --long 30 --metaheuristic ITERATED_LOCAL_SEARCH --tag _ils
    .venv/bin/python bench/banjar.py --long 0 --repeat 12   # twelve 10 s plans and their median

The demo database is built in a temporary folder with the project's own code, exactly as
`keliling demo` does (region pack, default stops and vehicles, synthetic survey 600/2025).
The baseline is what a coordinator might do by hand: each kecamatan on a fixed weekday, its
stops split between the two vehicles, driven in nearest-neighbour order, each stop once a week.
"""

import argparse
import datetime as dt
import json
import statistics
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

from vrpbench import RESULTS_DIR, machine, versions

from geodata import load_region
from planner.core import WEEKDAYS
from planner.plans import PlanningContext, build_problem
from planner.routing import (
    SECONDS_PER_DAY,
    Plan,
    PlannedVisit,
    Problem,
    RoutePlan,
    SolveParams,
    Unserved,
    VehicleSpec,
    solve,
    validate,
)
from planner.store import (
    install_default_stops,
    install_default_vehicles,
    install_region,
    make_engine,
    migrate,
    session_scope,
)
from planner.survey import import_survey, synthesize, villages_from_pack

START = dt.date(2025, 3, 3)  # a Monday
RESPONDENTS, SEED = 600, 2025


def demo_problem(folder: Path) -> tuple[Problem, PlanningContext]:
    """The demo database in `folder`, and its one-week planning problem."""
    engine = make_engine(f"sqlite:///{folder / 'keliling.db'}")
    migrate(engine)
    pack = load_region()
    with session_scope(engine) as session:
        region, _ = install_region(session, pack)
        install_default_stops(session, region, pack)
        install_default_vehicles(session, region)
        survey = synthesize(villages_from_pack(pack), RESPONDENTS, SEED)
        import_survey(session, region, survey, "survei-sintetis-demo.csv")
        problem = build_problem(session, START, 1, cache_dir=folder)
    engine.dispose()
    return problem


def _drive(clock: int, travel_s: int, breaks: list[tuple[int, int]]) -> int:
    """Arrival after driving `travel_s` from `clock`, pausing during breaks."""
    for start, end in sorted(breaks):
        if clock >= end:
            continue
        if clock + travel_s <= start:
            break
        travel_s -= max(0, start - clock)
        clock = end
    return clock + travel_s


def _after_breaks(start_s: int, length_s: int, breaks: list[tuple[int, int]]) -> int:
    moved = True
    while moved:
        moved = False
        for a, b in breaks:
            if start_s < b and a < start_s + length_s:
                start_s, moved = b, True
    return start_s


def _nn_order(problem: Problem, indexes: list[int], kind: str) -> list[int]:
    matrix, order, here = problem.travel[kind].distance_m, [], 0
    left = set(indexes)
    while left:
        here = min(left, key=lambda i: (matrix[here][i + 1], i)) + 1
        left.discard(here - 1)
        order.append(here - 1)
    return order


def drive_day(
    problem: Problem, vehicle: VehicleSpec, day: int, order: list[int]
) -> tuple[RoutePlan | None, list[int]]:
    """Serve stops in the given order; a stop that does not fit is skipped (unserved)."""
    weekday = WEEKDAYS[(START.weekday() + day) % 7]
    shift, base = vehicle.shift_on(weekday), day * SECONDS_PER_DAY
    assert shift is not None
    breaks = [(base + b.window.start_s, base + b.window.end_s) for b in vehicle.breaks_on(weekday)]
    matrix = problem.travel[vehicle.kind]
    start_s = clock = base + shift.start_s
    here, visits, skipped, load = 0, [], [], 0
    for i in order:
        stop = problem.stops[i]
        arrival = _drive(clock, matrix.duration_s[here][i + 1], breaks)
        fits = None
        for window in stop.windows_on(weekday):
            begin = _after_breaks(max(arrival, base + window.start_s), stop.service_s, breaks)
            home = _drive(begin + stop.service_s, matrix.duration_s[i + 1][0], breaks)
            if begin + stop.service_s <= base + window.end_s and home <= base + shift.end_s:
                fits = begin
                break
        full = vehicle.capacity_crates is not None and load + stop.crates > vehicle.capacity_crates
        if fits is None or full or len(visits) >= (vehicle.max_stops_per_day or 10**6):
            skipped.append(i)
            continue
        travel_s, distance_m = matrix.duration_s[here][i + 1], matrix.distance_m[here][i + 1]
        visits.append(
            PlannedVisit(stop.id, arrival, fits, fits + stop.service_s, travel_s, distance_m)
        )
        clock, here, load = fits + stop.service_s, i + 1, load + stop.crates
    if not visits:
        return None, skipped
    end_s = _drive(clock, matrix.duration_s[here][0], breaks)
    back = (matrix.duration_s[here][0], matrix.distance_m[here][0])
    return RoutePlan(vehicle.id, day, start_s, end_s, tuple(visits), *back), skipped


def baseline(problem: Problem, context: PlanningContext, weekdays: list[str]) -> Plan:
    """Each kecamatan on one weekday, both vehicles splitting its nearest-neighbour tour."""
    by_kecamatan: dict[str, list[int]] = defaultdict(list)
    for i, stop in enumerate(problem.stops):
        if stop.visits > 0:
            village = context.villages[context.stops[stop.id].village_id]
            by_kecamatan[village.kecamatan].append(i)
    routes, unserved = [], []
    for weekday, kecamatan in zip(weekdays, sorted(by_kecamatan), strict=False):
        day = (WEEKDAYS.index(weekday) - START.weekday()) % 7
        tour = _nn_order(problem, by_kecamatan[kecamatan], problem.vehicles[0].kind)
        half = (len(tour) + 1) // 2
        for vehicle, part in zip(problem.vehicles, (tour[:half], tour[half:]), strict=False):
            route, skipped = drive_day(
                problem, vehicle, day, _nn_order(problem, part, vehicle.kind)
            )
            routes += [route] if route else []
            unserved += skipped
    served = {v.stop_id for r in routes for v in r.visits}
    missing = [
        Unserved(s.id, s.visits - (s.id in served), "baseline", "tidak dijadwalkan")
        for s in problem.stops
        if s.visits - (s.id in served) > 0
    ]
    return Plan(START, 1, problem.provider, problem.provider_label, "ok", tuple(routes),
                tuple(missing), (), 0, 0.0)  # fmt: skip


def summary(label: str, problem: Problem, plan: Plan) -> dict[str, object]:
    """Kilometres, driving minutes, visits and expected attendance of a plan."""
    attendance = {s.id: s.expected_attendance for s in problem.stops}
    served = sum(attendance[v.stop_id] for r in plan.routes for v in r.visits)
    wanted = sum(s.visits * s.expected_attendance for s in problem.stops)
    return {
        "plan": label,
        "km": round(sum(r.distance_m for r in plan.routes) / 1000, 1),
        "driving_min": round(sum(r.driving_s for r in plan.routes) / 60),
        "visits": plan.visits_planned,
        "required": sum(s.visits for s in problem.stops),
        "attendance": round(served),
        "attendance_wanted": round(wanted),
        "routes": len(plan.routes),
        "violations": [f"{v.code}: {v.message}" for v in validate(problem, plan)],
        "seconds": plan.solve_seconds,
    }


def main(argv: list[str] | None = None) -> int:
    """Build the demo, plan it three ways and print the comparison."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--short", type=float, default=10.0, help="default plan's seconds")
    parser.add_argument("--long", type=float, default=300.0, help="long solve's seconds (0: none)")
    parser.add_argument(
        "--repeat", type=int, default=1, help="solve the short plan this many times (its spread)"
    )
    parser.add_argument("--baseline-days", default="mon,tue,wed,thu")
    parser.add_argument("--metaheuristic", default=SolveParams.metaheuristic)
    parser.add_argument("--method", default="AUTO", choices=["AUTO", "SINGLE", "DAYS", "HYBRID"])
    parser.add_argument("--tag", default="", help="suffix of the results file name")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        problem, context = demo_problem(Path(folder))
    hand = baseline(problem, context, args.baseline_days.split(","))
    rows = [summary("hand-made baseline", problem, hand)]
    for seconds in [args.short] * args.repeat + ([args.long] if args.long > 0 else []):
        params = SolveParams(seconds, metaheuristic=args.metaheuristic, method=args.method)
        plan = solve(problem, params)
        rows.append(summary(f"solver {seconds:g} s", problem, plan))
        print(f"{rows[-1]}", file=sys.stderr)
    print("| plan | km | driving min | visits planned / required | expected attendance served "
          "| validate() |")  # fmt: skip
    print("|---|---|---|---|---|---|")
    for r in rows:
        bad = len(r["violations"])  # type: ignore[arg-type]
        print(f"| {r['plan']} | {r['km']} | {r['driving_min']} | {r['visits']} / {r['required']} "
              f"| {r['attendance']} of {r['attendance_wanted']} | {bad or 'ok'} |")  # fmt: skip
    if args.repeat > 1:
        short = sorted(float(r["km"]) for r in rows[1 : 1 + args.repeat])  # type: ignore[arg-type]
        print(
            f"\n{args.short:g} s plans, {len(short)}: median {statistics.median(short)} km, {short}"
        )
    fleet = [(v.name, v.kind, v.capacity_crates) for v in problem.vehicles]
    print(f"\n{len(problem.stops)} stops, fleet {fleet}, provider: {problem.provider_label}")
    RESULTS_DIR.mkdir(exist_ok=True)
    path = RESULTS_DIR / f"banjar{args.tag}.json"
    settings = vars(args) | {"command": "bench/banjar.py " + " ".join(sys.argv[1:])}
    payload = {"settings": settings, "versions": versions(), "machine": machine(), "plans": rows}
    path.write_text(json.dumps(payload, indent=1) + "\n")
    print(f"results: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
