"""PyVRP and VROOM on the same Solomon or GH200 instances, integer matrix and budget.

    .venv/bin/pip install pyvrp pyvroom      # bench only, not a project dependency
    .venv/bin/python bench/compare_solomon.py --time-limit 10
    .venv/bin/python bench/compare_solomon.py --time-limit 60 --solvers pyvrp
    .venv/bin/python bench/compare_solomon.py --set gh200 --time-limit 30

Both get the floor(10·Euclidean) matrix as distance and duration, one thread, and their
solutions are re-checked by bench/vrpbench.check_routes (the checker used for OR-Tools).
"""

import argparse
import datetime as dt
import statistics
import sys
import time

from vrpbench import (
    VRPTW_SETS,
    Instance,
    Row,
    check_routes,
    instance_names,
    load_solomon,
    print_table,
    read_bks,
    write_results,
)

VROOM_EXPLORATION = 5


def solve_pyvrp(inst: Instance, time_limit_s: float, seed: int) -> list[list[int]]:
    """PyVRP's Model with an explicit matrix; routes as customer numbers."""
    from pyvrp import Model
    from pyvrp.stop import MaxRuntime

    model = Model()
    locations = [model.add_location(x, y) for x, y in inst.xy]
    depot = model.add_depot(locations[0], tw_early=inst.ready[0], tw_late=inst.due[0])
    model.add_vehicle_type(
        num_available=inst.vehicles,
        capacity=inst.capacity,
        start_depot=depot,
        end_depot=depot,
        tw_early=inst.ready[0],
        tw_late=inst.due[0],
    )
    for c in range(1, inst.customers + 1):
        model.add_client(
            locations[c],
            delivery=inst.demand[c],
            service_duration=inst.service[c],
            tw_early=inst.ready[c],
            tw_late=inst.due[c],
        )
    for i, frm in enumerate(locations):
        for j, to in enumerate(locations):
            model.add_edge(frm, to, distance=inst.matrix[i][j], duration=inst.matrix[i][j])
    result = model.solve(stop=MaxRuntime(time_limit_s), seed=seed, display=False)
    # a client activity's idx counts clients from 0, so customer number = idx + 1
    return [[a.idx + 1 for a in route if a.is_client()] for route in result.best.routes()]


def solve_vroom(inst: Instance, time_limit_s: float, seed: int) -> list[list[int]]:
    """VROOM with custom matrices (cost = duration = distance), exploration level 5."""
    del seed  # VROOM has no seed
    import vroom

    problem = vroom.Input()
    problem.set_durations_matrix("car", [list(r) for r in inst.matrix])
    problem.set_costs_matrix("car", [list(r) for r in inst.matrix])
    window = vroom.TimeWindow(inst.ready[0], inst.due[0])
    problem.add_vehicle(
        [
            vroom.Vehicle(v, start=0, end=0, capacity=[inst.capacity], time_window=window)
            for v in range(inst.vehicles)
        ]
    )
    problem.add_job(
        [
            vroom.Job(
                c,
                location=c,
                default_service=inst.service[c],
                delivery=[inst.demand[c]],
                time_windows=[vroom.TimeWindow(inst.ready[c], inst.due[c])],
            )
            for c in range(1, inst.customers + 1)
        ]
    )
    solution = problem.solve(
        exploration_level=VROOM_EXPLORATION,
        nb_threads=1,
        timeout=dt.timedelta(seconds=time_limit_s),
    )
    frame = solution.routes
    jobs = frame[frame["type"] == "job"]
    return [list(group["id"]) for _, group in jobs.groupby("vehicle_id", sort=True)]


SOLVERS = {"pyvrp": solve_pyvrp, "vroom": solve_vroom}


def run(name: str, solver: str, time_limit_s: float, seed: int, bks: float, vrptw_set: str) -> Row:
    """One solver on one instance, checked independently."""
    inst = load_solomon(name, vrptw_set)
    started = time.monotonic()
    try:
        routes = SOLVERS[solver](inst, time_limit_s, seed)
    except Exception as error:  # a benchmark reports a crash as a failed run
        routes = []
        failure = [f"{type(error).__name__}: {error}"]
    else:
        failure = []
    seconds = time.monotonic() - started
    check = check_routes(inst, routes)
    errors = failure + check.errors
    return Row(
        instance=name,
        solver=solver,
        time_limit_s=time_limit_s,
        seconds=round(seconds, 2),
        cost=check.cost / 10 if routes else None,
        bks=bks,
        routes=check.routes,
        feasible=not errors,
        errors=errors,
        extra={"seed": seed},
    )


def median_of(runs: list[Row]) -> Row:
    """The median-cost run among seeds (infeasible ones sort last)."""
    ordered = sorted(runs, key=lambda r: (not r.feasible, r.cost or 0.0))
    chosen = ordered[(len(ordered) - 1) // 2]
    chosen.extra["seed_costs"] = [r.cost for r in runs]
    if all(r.cost is not None for r in runs):
        chosen.extra["mean_cost"] = statistics.fmean(r.cost or 0.0 for r in runs)
    return chosen


def main(argv: list[str] | None = None) -> int:
    """Run the comparison and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--set", choices=VRPTW_SETS, default="solomon", help="instance set (default: solomon)"
    )
    parser.add_argument("--instances", nargs="+", help="default: every instance of the set")
    parser.add_argument("--time-limit", type=float, default=10.0)
    parser.add_argument("--solvers", nargs="+", choices=sorted(SOLVERS), default=sorted(SOLVERS))
    parser.add_argument("--seeds", type=int, default=1, help="PyVRP seeds 1..N (median kept)")
    parser.add_argument("--tag", default="", help="suffix of the results file name")
    args = parser.parse_args(argv)
    bks = read_bks(args.set)
    args.instances = args.instances or instance_names(args.set)
    unknown = [name for name in args.instances if name not in bks]
    if unknown:
        parser.error(f"not in {args.set}/bks_dimacs.csv: {' '.join(unknown)}")
    rows = []
    for solver in args.solvers:
        seeds = range(1, args.seeds + 1) if solver == "pyvrp" else [0]
        for name in args.instances:
            rows.append(
                median_of(
                    [run(name, solver, args.time_limit, s, bks[name], args.set) for s in seeds]
                )
            )
            r = rows[-1]
            print(f"{solver} {name}: {r.cost} feasible={r.feasible} {r.seconds}s", file=sys.stderr)
    print_table(rows)
    settings = vars(args) | {
        "command": "bench/compare_solomon.py " + " ".join(sys.argv[1:]),
        "vroom_exploration": VROOM_EXPLORATION,
    }
    # compare_10s_...: Solomon files keep their old names (report.py and RESULTS.md use them)
    prefix = "compare" if args.set == "solomon" else f"compare_{args.set}"
    stem = f"{prefix}_{args.time_limit:g}s_{'_'.join(args.solvers)}{args.tag}"
    print(f"\nresults: {write_results(stem, rows, settings)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
