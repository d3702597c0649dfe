"""A local experiment copy of planner.solver.solve with knobs SolveParams does not expose,
to measure candidate changes to planner/solver.py before proposing them. planner/ is unchanged.

    .venv/bin/python bench/solver_experiment.py --time-limit 10 --variants control nbr02 lean
    .venv/bin/python bench/solver_experiment.py --instances R109 RC105 --variants lambda02

It builds the model with planner.solver's own steps, then changes only what a variant names
(see VARIANTS). Variants run one after another on each instance, so they share the load.
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


VARIANTS: dict[str, dict[str, object]] = {
    "control": {},
    "nbr02": {"neighbors_ratio": 0.2, "min_neighbors": 10},
    "nbr01": {"neighbors_ratio": 0.1, "min_neighbors": 10},
    "lean": {"lean": True},
    "mandatory": {"mandatory": True},
    "lambda02": {"gls_lambda": 0.2},
    "lambda005": {"gls_lambda": 0.05},
    "crossx": {"enable": ["use_cross_exchange", "use_relocate_neighbors"]},
}


def solve_variant(problem: Problem, params: SolveParams, knobs: dict[str, object]) -> ps.Plan:
    """planner.solver.solve with the variant's changes."""
    started = time.monotonic()
    diagnostics, options = check_problem(problem)
    model = ps._build(problem, options)
    ps._add_time(model, ps._register_costs_and_transits(model, params))
    ps._node_windows(model)
    ps._shifts_and_breaks(model)
    if knobs.get("lean") or knobs.get("mandatory"):
        _vehicles_lean(model, bool(knobs.get("mandatory")))
    else:
        ps._vehicles_and_patterns(model)
    ps._capacities(model)
    search = ps._search_parameters(params)
    if "neighbors_ratio" in knobs:
        search.ls_operator_neighbors_ratio = knobs["neighbors_ratio"]
        search.ls_operator_min_neighbors = knobs["min_neighbors"]
    if "gls_lambda" in knobs:
        search.guided_local_search_lambda_coefficient = knobs["gls_lambda"]
    for name in knobs.get("enable", []):  # type: ignore[attr-defined]
        setattr(search.local_search_operators, name, True)
    solution = model.routing.SolveWithParameters(search)
    return ps._plan(model, solution, diagnostics, time.monotonic() - started)


def run(name: str, variant: str, params: SolveParams, bks: float) -> Row:
    """One variant on one instance, checked like bench/solomon.py; CPU share recorded."""
    inst = load_solomon(name)
    problem = solomon.to_problem(inst)
    cpu = time.process_time()
    plan = solve_variant(problem, params, VARIANTS[variant])
    cpu = time.process_time() - cpu
    check = check_routes(inst, solomon.plan_routes(plan))
    errors = check.errors + [v.code for v in validate(problem, plan)]
    errors += [f"{len(plan.unserved)} unserved"] if plan.unserved else []
    share = round(cpu / max(plan.solve_seconds, 1e-9), 2)
    return Row(name, variant, params.time_limit_s, plan.solve_seconds, check.cost / 10, bks,
               check.routes, not errors, errors, {"cpu_share": share})  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    """Run the variants interleaved (instance by instance) and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--instances", nargs="+", default=list(SOLOMON_INSTANCES))
    parser.add_argument("--time-limit", type=float, default=10.0)
    parser.add_argument("--first-solution", default=SolveParams.first_solution)
    parser.add_argument("--metaheuristic", default=SolveParams.metaheuristic)
    parser.add_argument("--variants", nargs="+", choices=list(VARIANTS), default=["control"])
    parser.add_argument("--tag", default="")
    args = parser.parse_args(argv)
    params = SolveParams(args.time_limit, 0, args.first_solution, args.metaheuristic)
    bks = read_bks()
    rows = []
    for name in args.instances:
        for variant in args.variants:  # interleaved, so every variant sees the same load
            rows.append(run(name, variant, params, bks[name]))
            r = rows[-1]
            print(f"{name} {variant}: {r.cost} cpu {r.extra['cpu_share']}", file=sys.stderr)
    rows.sort(key=lambda r: args.variants.index(r.solver))
    print_table(rows)
    settings = vars(args) | {"command": "bench/solver_experiment.py " + " ".join(sys.argv[1:])}
    stem = f"experiment_{args.time_limit:g}s_{'_'.join(args.variants)}{args.tag}"
    print(f"\nresults: {save(stem, rows, settings)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
