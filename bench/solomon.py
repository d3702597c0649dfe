"""Keliling's solver (planner.routing.solve) on Solomon or GH200 VRPTW instances (DIMACS).

    .venv/bin/python bench/solomon.py --time-limit 10
    .venv/bin/python bench/solomon.py --time-limit 60 --instances R101 RC101
    .venv/bin/python bench/solomon.py --set gh200 --time-limit 30

`--set solomon` (default): the 13 Solomon instances (100 customers, up to 25 routes);
`--set gh200`: the 12 Gehring-Homberger 200-customer instances (up to 50 routes). Each instance
becomes a one-day Problem (Monday, the file's VEHICLES vehicles, one stop per customer, a huge
drop penalty). Every plan is re-checked by bench/vrpbench.check_routes and planner.validate.
"""

import argparse
import sys
import time
from pathlib import Path

from vrpbench import (
    MONDAY,
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

from planner.routing import (
    Depot,
    Plan,
    Problem,
    SolveParams,
    StopSpec,
    VehicleSpec,
    Window,
    solve,
    validate,
)
from planner.travel import TravelMatrix

BIG_PENALTY = 10**7  # leaving a customer out must never pay
KIND = "truck"
LABEL = "Solomon floor(10·d)"


def to_problem(inst: Instance) -> Problem:
    """The instance as a single-Monday Keliling problem: stop i+1 is customer i+1."""
    matrix = TravelMatrix(
        provider="estimate",
        label=LABEL,
        vehicle_kind=KIND,
        distance_m=inst.matrix,
        duration_s=inst.matrix,
    )
    shift = Window(inst.ready[0], inst.due[0])
    vehicles = tuple(
        VehicleSpec(
            id=v + 1,
            name=f"v{v + 1}",
            kind=KIND,
            shifts=(("mon", shift),),
            capacity_crates=inst.capacity,
        )
        for v in range(inst.vehicles)
    )
    stops = tuple(
        StopSpec(
            id=c,
            name=f"c{c}",
            village_code="-",
            lat=inst.xy[c][1],
            lon=inst.xy[c][0],
            service_s=inst.service[c],
            # latest start `due`, so service must end by due + service
            windows=(("mon", (Window(inst.ready[c], inst.due[c] + inst.service[c]),)),),
            vehicle_kinds=frozenset({KIND}),
            crates=inst.demand[c],
            penalty=BIG_PENALTY,
        )
        for c in range(1, inst.customers + 1)
    )
    return Problem(
        start=MONDAY,
        weeks=1,
        working_days=("mon",),
        depot=Depot("depot", inst.xy[0][1], inst.xy[0][0]),
        vehicles=vehicles,
        stops=stops,
        travel={KIND: matrix},
    )


def plan_routes(plan: Plan) -> list[list[int]]:
    """Customer numbers per route (stop ids are customer numbers)."""
    return [[v.stop_id for v in r.visits] for r in plan.routes]


def run_one(name: str, params: SolveParams, bks: float, solver: str, vrptw_set: str) -> Row:
    """Solve one instance and check the plan twice (own checker and planner.validate)."""
    inst = load_solomon(name, vrptw_set)
    problem = to_problem(inst)
    cpu = time.process_time()
    plan = solve(problem, params)
    cpu = time.process_time() - cpu  # below the wall time when other work shares the CPU
    check = check_routes(inst, plan_routes(plan))
    violations = validate(problem, plan)
    errors = check.errors + [f"validate: {v.code} {v.message}" for v in violations[:5]]
    if plan.status != "ok":
        errors.append(f"status {plan.status}")
    if plan.unserved:
        errors.append(f"{sum(u.visits for u in plan.unserved)} visits unserved")
    plan_km = sum(r.distance_m for r in plan.routes)
    if plan_km != check.cost:
        errors.append(f"plan distance {plan_km} != recomputed {check.cost}")
    return Row(
        instance=name,
        solver=solver,
        time_limit_s=params.time_limit_s,
        seconds=plan.solve_seconds,
        cost=check.cost / 10 if plan.routes else None,
        bks=bks,
        routes=check.routes,
        feasible=not errors,
        errors=errors,
        extra={
            "objective": plan.objective,
            "validate_violations": len(violations),
            "cpu_share": round(cpu / max(plan.solve_seconds, 1e-9), 2),
        },
    )


def median_row(runs: list[Row]) -> Row:
    """The run with the median cost among repeats (infeasible runs count as worst)."""
    ordered = sorted(runs, key=lambda r: (not r.feasible, r.cost or 0.0))
    chosen = ordered[(len(ordered) - 1) // 2]
    chosen.extra["repeat_costs"] = [r.cost for r in runs]
    return chosen


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--set", choices=VRPTW_SETS, default="solomon", help="instance set (default: solomon)"
    )
    parser.add_argument("--instances", nargs="+", help="default: every instance of the set")
    parser.add_argument("--time-limit", type=float, default=10.0)
    parser.add_argument(
        "--seeds",
        type=int,
        default=1,
        help="repeats; OR-Tools has no seed and is deterministic, so 1 is enough (median kept)",
    )
    parser.add_argument("--first-solution", default=SolveParams.first_solution)
    parser.add_argument("--metaheuristic", default=SolveParams.metaheuristic)
    parser.add_argument("--tag", default="", help="suffix of the results file name")
    args = parser.parse_args(argv)
    params = SolveParams(
        time_limit_s=args.time_limit,
        first_solution=args.first_solution,
        metaheuristic=args.metaheuristic,
    )
    solver = f"OR-Tools {args.first_solution}+{args.metaheuristic}"
    bks = read_bks(args.set)
    args.instances = args.instances or instance_names(args.set)
    unknown = [name for name in args.instances if name not in bks]
    if unknown:
        parser.error(f"not in {args.set}/bks_dimacs.csv: {' '.join(unknown)}")
    rows = []
    for name in args.instances:
        runs = [
            run_one(name, params, bks[name], solver, args.set) for _ in range(max(1, args.seeds))
        ]
        rows.append(median_row(runs))
        r = rows[-1]
        print(f"{name}: {r.cost} (BKS {r.bks}), feasible={r.feasible}", file=sys.stderr)
    print_table(rows)
    # solomon_10s_...: the set first, as before gh200 existed (report.py and RESULTS.md use it)
    stem = f"{args.set}_{args.time_limit:g}s_{args.first_solution}_{args.metaheuristic}{args.tag}"
    settings = vars(args) | {"command": "bench/solomon.py " + " ".join(sys.argv[1:])}
    path = write_results(stem.lower(), rows, settings)
    print(f"\nresults: {path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
