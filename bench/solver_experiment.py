"""A local experiment copy of planner.routing.solver.solve with knobs SolveParams does not expose,
to measure candidate changes to planner/solver.py before proposing them. planner/ is unchanged.

    .venv/bin/python bench/solver_experiment.py --time-limit 10 --variants control nbr02 lean
    .venv/bin/python bench/solver_experiment.py --instances R109 RC105 --variants lambda02

It builds the model with planner.routing.solver's own steps, then changes only what a variant names
(see VARIANTS). Variants run one after another on each instance, so they share the load.
"""

import argparse
import sys
import time

import solomon
from ortools.util.optional_boolean_pb2 import BOOL_FALSE, BOOL_TRUE
from vrpbench import SOLOMON_INSTANCES, Row, check_routes, load_solomon, print_table, read_bks
from vrpbench import write_results as save

from planner.routing import Plan, Problem, SolveParams, check_problem, validate
from planner.routing.solver import model as ps
from planner.routing.solver import result as ps_result
from planner.routing.solver import search as ps_search


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


# Operators that only act on pickup-delivery pairs or visit types (none in Keliling's model).
PD_OPERATORS = [
    "use_relocate_pair",
    "use_exchange_pair",
    "use_light_relocate_pair",
    "use_relocate_subtrip",
    "use_exchange_subtrip",
    "use_global_cheapest_insertion_visit_types_lns",
    "use_local_cheapest_insertion_visit_types_lns",
]

VARIANTS: dict[str, dict[str, object]] = {
    "control": {},
    "nbr02": {"neighbors_ratio": 0.2, "min_neighbors": 10},
    "nbr01": {"neighbors_ratio": 0.1, "min_neighbors": 10},
    "lean": {"lean": True},
    "mandatory": {"mandatory": True},
    "lambda02": {"gls_lambda": 0.2},
    "lambda005": {"gls_lambda": 0.05},
    "crossx": {"enable": ["use_cross_exchange", "use_relocate_neighbors"]},
    "mab": {"set": {"use_multi_armed_bandit_concatenate_operators": True}},
    "gls_tabu": {"metaheuristics": ["GUIDED_LOCAL_SEARCH", "TABU_SEARCH"]},
    "gls_sa": {"metaheuristics": ["GUIDED_LOCAL_SEARCH", "SIMULATED_ANNEALING"]},
    "vclass": {"set": {"guided_local_search_penalize_with_vehicle_classes": False}},
    "penops": {"set": {"use_guided_local_search_penalties_in_local_search_operators": True}},
    "nopd": {"disable": PD_OPERATORS},
    "nopd_x": {"disable": PD_OPERATORS, "enable": ["use_cross_exchange", "use_relocate_neighbors"]},
    "closelns": {
        "enable": [
            "use_global_cheapest_insertion_close_nodes_lns",
            "use_local_cheapest_insertion_close_nodes_lns",
        ]
    },
    "ils": {"ils": {"ruin": "sisr", "auto_temp": True}},
    "ils_t100": {"ils": {"ruin": "sisr", "auto_temp": False}},
    "ils_gls": {"ils": {"ruin": "sisr", "auto_temp": True, "keep_mh": True}},
    "ils_rw": {"ils": {"ruin": "random_walk", "auto_temp": True}},
    "ils_pci": {
        "ils": {"ruin": "sisr", "auto_temp": True, "recreate": "PARALLEL_CHEAPEST_INSERTION"}
    },
    "ils_noimp": {"ils": {"ruin": "sisr", "auto_temp": True, "improve": False}},
    "ils_r5": {"ils": {"ruin": "sisr", "auto_temp": True, "removed": 5, "seq": 5}},
    "ils_r20": {"ils": {"ruin": "sisr", "auto_temp": True, "removed": 20, "seq": 10}},
    "ils_r30": {"ils": {"ruin": "sisr", "auto_temp": True, "removed": 30, "seq": 10}},
    "ils_r20_noimp": {"ils": {"ruin": "sisr", "auto_temp": True, "removed": 20, "improve": False}},
    "ils_r20_t100": {"ils": {"ruin": "sisr", "removed": 20, "temps": (100.0, 1.0)}},
    "ils_r20_t300": {"ils": {"ruin": "sisr", "removed": 20, "temps": (300.0, 1.0)}},
    "ils_r30_t100": {"ils": {"ruin": "sisr", "removed": 30, "temps": (100.0, 1.0)}},
    "ils_r20_t50": {"ils": {"ruin": "sisr", "removed": 20, "temps": (50.0, 0.5)}},
    "ils_r25_t100": {"ils": {"ruin": "sisr", "removed": 25, "temps": (100.0, 1.0)}},
}


def _iterated_local_search(search: object, ils: dict[str, object]) -> None:
    """OR-Tools' iterated local search: ruin and recreate, simulated-annealing acceptance."""
    from ortools.constraint_solver import routing_enums_pb2

    search.use_iterated_local_search = True  # type: ignore[attr-defined]
    if not ils.get("keep_mh"):
        search.local_search_metaheuristic = (
            routing_enums_pb2.LocalSearchMetaheuristic.GREEDY_DESCENT
        )  # type: ignore[attr-defined]
    params = search.iterated_local_search_parameters  # type: ignore[attr-defined]
    rr = params.ruin_recreate_parameters
    del rr.ruin_strategies[:]
    ruin = rr.ruin_strategies.add()
    if ils["ruin"] == "sisr":
        ruin.sisr.max_removed_sequence_size = int(ils.get("seq", 10))  # type: ignore[call-overload]
        ruin.sisr.avg_num_removed_visits = int(ils.get("removed", 10))  # type: ignore[call-overload]
        ruin.sisr.bypass_factor = 0.01
    else:
        ruin.random_walk.num_removed_visits = int(ils.get("removed", 10))  # type: ignore[call-overload]
    recreate = str(ils.get("recreate", "LOCAL_CHEAPEST_INSERTION"))
    rr.recreate_strategy.heuristic = getattr(routing_enums_pb2.FirstSolutionStrategy, recreate)
    sa = params.reference_solution_acceptance_strategy.simulated_annealing
    sa.automatic_temperatures = bool(ils.get("auto_temp"))
    if "temps" in ils:
        sa.initial_temperature, sa.final_temperature = ils["temps"]  # type: ignore[misc]
    params.improve_perturbed_solution = bool(ils.get("improve", True))


def solve_variant(problem: Problem, params: SolveParams, knobs: dict[str, object]) -> Plan:
    """planner.routing.solver.solve with the variant's changes."""
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
    chosen = ps_search.choose_metaheuristic(model, params, warm_start=False)
    search = ps_search.search_parameters(params, chosen, model, params.time_limit_s)
    if "neighbors_ratio" in knobs:
        search.ls_operator_neighbors_ratio = knobs["neighbors_ratio"]
        search.ls_operator_min_neighbors = knobs["min_neighbors"]
    if "gls_lambda" in knobs:
        search.guided_local_search_lambda_coefficient = knobs["gls_lambda"]
    for name in knobs.get("enable", []):  # type: ignore[attr-defined]
        setattr(search.local_search_operators, name, BOOL_TRUE)
    for name in knobs.get("disable", []):  # type: ignore[attr-defined]
        setattr(search.local_search_operators, name, BOOL_FALSE)
    for name, value in knobs.get("set", {}).items():  # type: ignore[attr-defined]
        setattr(search, name, value)
    if "metaheuristics" in knobs:
        from ortools.constraint_solver import routing_enums_pb2

        search.local_search_metaheuristic = routing_enums_pb2.LocalSearchMetaheuristic.UNSET
        for name in knobs["metaheuristics"]:  # type: ignore[attr-defined]
            search.local_search_metaheuristics.append(
                getattr(routing_enums_pb2.LocalSearchMetaheuristic, name)
            )
    if "ils" in knobs:
        _iterated_local_search(search, knobs["ils"])  # type: ignore[arg-type]
    if "ils" in knobs and not knobs["ils"].get("keep_mh"):  # type: ignore[attr-defined]
        solution = model.routing.SolveWithIteratedLocalSearch(search)
    else:
        solution = model.routing.SolveWithParameters(search)
    return ps_result.plan_of(model, solution, diagnostics, time.monotonic() - started)


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
