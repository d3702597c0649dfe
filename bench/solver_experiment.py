"""A local experiment copy of planner.solver.solve with knobs SolveParams does not expose,
to measure candidate changes to planner/solver.py before proposing them. planner/ is unchanged.

    .venv/bin/python bench/solver_experiment.py --time-limit 10 --neighbors-ratio 0.2
    .venv/bin/python bench/solver_experiment.py --instances R109 RC105 --gls-lambda 0.2

It builds the model with planner.solver's own steps, then changes only what a flag names.
"""

import argparse
import sys
import time

import solomon
from vrpbench import SOLOMON_INSTANCES, Row, check_routes, load_solomon, print_table, read_bks
from vrpbench import write_results as save

from planner import solver as ps
from planner.diagnostics import check_problem
from planner.problem import Problem, SolveParams
from planner.validator import validate


def _vehicles_lean(m: ps.Model, mandatory: bool) -> None:
    """Like _vehicles_and_patterns (no patterns: Solomon has one visit per stop), but no
    VehicleVar domain when every slot is allowed; `mandatory` drops the disjunctions."""
    every = len(m.slots)
    for option in m.options:
        stop = m.problem.stops[option.stop_index]
        allowed = [
            s
            for s, (v, day) in enumerate(m.slots)
            if v.kind in stop.vehicle_kinds and day in option.candidate_days
        ]
        for index in m.copies_of(option.stop_index):
            if len(allowed) < every:
                m.routing.VehicleVar(index).SetValues([-1, *allowed])
            if not mandatory:
                m.routing.AddDisjunction([index], stop.penalty)


def solve_variant(problem: Problem, params: SolveParams, args: argparse.Namespace) -> ps.Plan:
    """planner.solver.solve with the experiment's changes."""
    started = time.monotonic()
    diagnostics, options = check_problem(problem)
    model = ps._build(problem, options)
    ps._add_time(model, ps._register_costs_and_transits(model, params))
    ps._node_windows(model)
    ps._shifts_and_breaks(model)
    if args.lean_vehicles or args.mandatory:
        _vehicles_lean(model, args.mandatory)
    else:
        ps._vehicles_and_patterns(model)
    ps._capacities(model)
    search = ps._search_parameters(params)
    if args.neighbors_ratio is not None:
        search.ls_operator_neighbors_ratio = args.neighbors_ratio
        search.ls_operator_min_neighbors = args.min_neighbors
    if args.gls_lambda is not None:
        search.guided_local_search_lambda_coefficient = args.gls_lambda
    for name in args.enable:
        setattr(search.local_search_operators, name, True)
    solution = model.routing.SolveWithParameters(search)
    return ps._plan(model, solution, diagnostics, time.monotonic() - started)


def main(argv: list[str] | None = None) -> int:
    """Run the variant on Solomon instances and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--instances", nargs="+", default=list(SOLOMON_INSTANCES))
    parser.add_argument("--time-limit", type=float, default=10.0)
    parser.add_argument("--first-solution", default=SolveParams.first_solution)
    parser.add_argument("--metaheuristic", default=SolveParams.metaheuristic)
    parser.add_argument("--neighbors-ratio", type=float, default=None)
    parser.add_argument("--min-neighbors", type=int, default=10)
    parser.add_argument("--gls-lambda", type=float, default=None)
    parser.add_argument("--lean-vehicles", action="store_true")
    parser.add_argument("--mandatory", action="store_true", help="no drop disjunctions")
    parser.add_argument("--enable", nargs="*", default=[], help="local_search_operators flags")
    parser.add_argument("--tag", default="experiment")
    args = parser.parse_args(argv)
    params = SolveParams(args.time_limit, 0, args.first_solution, args.metaheuristic)
    bks = read_bks()
    rows = []
    for name in args.instances:
        inst = load_solomon(name)
        problem = solomon.to_problem(inst)
        plan = solve_variant(problem, params, args)
        check = check_routes(inst, solomon.plan_routes(plan))
        errors = check.errors + [v.code for v in validate(problem, plan)]
        rows.append(
            Row(name, args.tag, args.time_limit, plan.solve_seconds, check.cost / 10,
                bks[name], check.routes, not errors, errors)
        )  # fmt: skip
        print(f"{name}: {check.cost / 10} ok={not errors}", file=sys.stderr)
    print_table(rows)
    settings = vars(args) | {"command": "bench/solver_experiment.py " + " ".join(sys.argv[1:])}
    print(f"\nresults: {save(f'experiment_{args.time_limit:g}s_{args.tag}', rows, settings)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
