"""Keliling's solver on periodic VRP instances: Cordeau's p01-p08 (matrix format, a relaxation)
and Vidal's multi-depot pr01-pr05 (one vehicle kind per depot, each customer kept on one depot by
the solver: Problem.one_kind_per_stop; --depot-split least-distance|greedy fix the depots before
solving instead, --depot-choice and --depot-probe are experiments, see bench/README.md).

    .venv/bin/python bench/pvrp.py --time-limit 60
    .venv/bin/python bench/pvrp.py --instances p01 pr01 --time-limit 10

Days 1..t are Monday.. (t <= 6: one week; t = 10: Mon-Fri of two weeks). Every plan is checked
by `check` below (real-valued distances, capacity, duration, visit days) and planner.validate.
"""

import argparse
import gzip
import itertools
import math
import sys
import time
from dataclasses import dataclass, replace

from vrpbench import MONDAY, Row, benchmarks_dir, print_table, write_results

import planner.routing.solver.model
from planner.core import WEEKDAYS
from planner.routing import (
    MAX_DROPPED_PER_STOP,
    Depot,
    Plan,
    Problem,
    RoutePlan,
    SolveParams,
    StopSpec,
    VehicleSpec,
    solve,
    validate,
)
from planner.routing import Window as Win
from planner.travel import TravelMatrix

DIST_SCALE = 1000  # integer distances: round(1000 * d); costs are reported / 1000
TIME_SCALE = 100  # integer times: ceil(100 * d), so integer-feasible is real-feasible
PENALTY = 10**9
PROBE_LOAD_SHARE = 0.9  # a depot keeps its probe customers until this much of its capacity
ASSIGN_S = 2.0  # seconds for assign_depots_cp, taken from the solve's time limit
WHOLE_DAY = Win(0, 86_400)
INSTANCES = [f"p0{k}" for k in range(1, 9)] + [f"pr0{k}" for k in range(1, 6)]


@dataclass(frozen=True)
class DepotRule:
    """How the harness gives pr customers their depots (command-line options of the same names)."""

    share: float = 0.85  # a depot takes customers until this share of its fleet capacity is used
    choice: int = 1  # depots that may serve a customer (0 = every one: breaks the one-depot rule)
    split: str = "solver"  # chosen by the solver; "least-distance" or "greedy": fixed before
    probe: float = 0.0  # share of the time limit for an all-depot solve that chooses the depots


@dataclass
class Periodic:
    """Nodes 0..depots-1 are depots, then customers; `dist` is real-valued."""

    name: str
    days: int
    per_depot: int  # vehicles per depot and day
    capacity: int
    duration: float  # route duration limit incl. service, 0 = none
    depots: int
    demand: list[int]
    service: list[float]
    combos: list[list[tuple[int, ...]]]  # allowed day sets (0-based) per customer
    dist: list[list[float]]
    note: str = ""


def _all_combos(days: int, freq: int) -> list[tuple[int, ...]]:
    return list(itertools.combinations(range(days), freq))


def read_matrix_format(name: str) -> Periodic:
    """`pvrp_matrix_format/NAME.txt.gz`: header lines `value ; meaning`, then the cost matrix."""
    path = benchmarks_dir() / "pvrp" / "pvrp_matrix_format" / f"{name}.txt.gz"
    with gzip.open(path, "rt") as handle:
        rows = [line.split(";")[0].split() for line in handle]
    days, capacity = int(rows[1][0]), int(float(rows[5][0]))
    at = 7 + days  # after `days` lines of per-vehicle duration limits (0 = none)
    limits = {float(v) for r in rows[7:at] for v in r}
    clients = int(rows[at][0])
    freq = [int(v) for v in rows[at + 1]]
    service = [float(v) for v in rows[at + 2]]
    demand = [round(float(v)) for v in rows[at + 3]]
    dist = [[float(v) for v in r] for r in rows[at + 5 :] if r]
    if len(dist) != clients + 1 or limits != {0.0}:
        msg = f"{name}: unexpected layout"
        raise ValueError(msg)
    note = "relaxation: any day set of the right size"
    # p01 lists the depot once more as a last client (distance 0, demand = capacity)
    if dist[0][clients] == 0 and demand[-1] >= capacity:
        clients -= 1
        freq, service, demand = freq[:-1], service[:-1], demand[:-1]
        dist = [r[:-1] for r in dist[:-1]]
        note += "; dropped a depot copy listed as last client"
    return Periodic(
        name, days, int(rows[4][0]), capacity, 0.0, 1, demand, service,
        [_all_combos(days, f) for f in freq], dist, note,
    )  # fmt: skip


def read_cordeau(name: str) -> Periodic:
    """Cordeau's MDPVRP format: `type m n t d`, t*d lines `D Q`, depots then customers."""
    path = benchmarks_dir() / "pvrp" / "mdpvrp_cordeau_format" / name
    rows = [r.split() for r in path.read_text().splitlines() if r.strip()]
    _, per_depot, n, days, depots = (int(v) for v in rows[0])
    limits = {(float(r[0]), int(r[1])) for r in rows[1 : 1 + days * depots]}
    if len(limits) != 1:
        msg = f"{name}: duration/capacity differ by day or depot"
        raise ValueError(msg)
    duration, capacity = limits.pop()
    nodes = rows[1 + days * depots :]
    nodes = nodes[n:] + nodes[:n] if int(nodes[0][5]) > 0 else nodes  # depots first
    xy = [(float(r[1]), float(r[2])) for r in nodes]
    customers = nodes[depots:]

    def combo(code: int) -> tuple[int, ...]:  # leftmost of t bits is day 1
        return tuple(d for d in range(days) if code >> (days - 1 - d) & 1)

    return Periodic(
        name, days, per_depot, capacity, duration, depots,
        [int(r[4]) for r in customers], [float(r[3]) for r in customers],
        [[combo(int(c)) for c in r[7 : 7 + int(r[6])]] for r in customers],
        [[math.dist(a, b) for b in xy] for a in xy],
        "time windows ignored (upstream README)",
    )  # fmt: skip


def day_slot(inst: Periodic, day: int) -> tuple[int, str]:
    """Horizon day index and weekday of instance day `day` (0-based)."""
    if inst.days <= 6:
        return day, WEEKDAYS[day]
    if inst.days % 5 == 0 and inst.days <= 20:
        return 7 * (day // 5) + day % 5, WEEKDAYS[day % 5]
    msg = f"{inst.name}: {inst.days} days do not map onto Monday-Saturday weeks"
    raise ValueError(msg)


def _matrix(inst: Periodic, depot: int, scale: int, rounding) -> tuple[tuple[int, ...], ...]:  # type: ignore[no-untyped-def]
    nodes = [depot, *range(inst.depots, inst.depots + len(inst.demand))]
    return tuple(tuple(int(rounding(scale * inst.dist[a][b])) for b in nodes) for a in nodes)


def route_depot(inst: Periodic, route: RoutePlan) -> int:
    """The depot whose vehicle drives `route` (vehicle ids are 1.. depot by depot)."""
    return (route.vehicle_id - 1) // inst.per_depot


def assign_depots(inst: Periodic, share: float, prefer: list[int] | None = None) -> list[int]:
    """Each customer's depot: the nearest one (or the one in `prefer`) with load room left,
    largest regret first."""
    budget = share * inst.days * inst.per_depot * inst.capacity
    load = [0.0] * inst.depots
    chosen = [0] * len(inst.demand)

    def by_distance(c: int) -> list[int]:
        return sorted(range(inst.depots), key=lambda k: inst.dist[k][inst.depots + c])

    def regret(c: int) -> float:
        near = [inst.dist[k][inst.depots + c] for k in by_distance(c)]
        return near[1] - near[0] if len(near) > 1 else 0.0

    for c in sorted(range(len(inst.demand)), key=regret, reverse=True):
        need = inst.demand[c] * len(inst.combos[c][0])
        order = by_distance(c)
        if prefer is not None:
            order = [prefer[c], *(k for k in order if k != prefer[c])]
        k = next((k for k in order if load[k] + need <= budget), min(order, key=load.__getitem__))
        chosen[c], load[k] = k, load[k] + need
    return chosen


def assign_depots_cp(inst: Periodic, share: float) -> list[int]:
    """Each customer's depot so that the visits' distance to their depots is least, every depot
    within `share` of its fleet's capacity over the horizon (CP-SAT, at most ASSIGN_S seconds;
    the greedy `assign_depots` if it finds nothing)."""
    from ortools.sat.python import cp_model

    budget = int(share * inst.days * inst.per_depot * inst.capacity)
    customers, depots = range(len(inst.demand)), range(inst.depots)
    model = cp_model.CpModel()
    x = {(c, k): model.new_bool_var(f"x{c}_{k}") for c in customers for k in depots}
    for c in customers:
        model.add_exactly_one(x[c, k] for k in depots)
    need = [inst.demand[c] * len(inst.combos[c][0]) for c in customers]
    for k in depots:
        model.add(sum(need[c] * x[c, k] for c in customers) <= budget)
    model.minimize(
        sum(
            round(100 * inst.dist[k][inst.depots + c]) * len(inst.combos[c][0]) * x[c, k]
            for c in customers
            for k in depots
        )
    )
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = ASSIGN_S
    solver.parameters.num_workers = 1
    if solver.solve(model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return assign_depots(inst, share)
    return [next(k for k in depots if solver.value(x[c, k])) for c in customers]


def depot_kinds(inst: Periodic, c: int, assigned: int, choice: int) -> frozenset[str]:
    """The assigned depot and the `choice - 1` others nearest to customer `c` (0: every one)."""
    near = sorted(range(inst.depots), key=lambda k: inst.dist[k][inst.depots + c])
    others = [k for k in near if k != assigned][: (choice or inst.depots) - 1]
    return frozenset(f"depot{k}" for k in [assigned, *others])


def to_problem(
    inst: Periodic, rule: DepotRule = DepotRule(), depot_of: list[int] | None = None
) -> Problem:
    """One vehicle kind per depot (its matrix has that depot at index 0), shifts on days 1..t."""
    slots = [day_slot(inst, d) for d in range(inst.days)]
    weekdays = tuple(dict.fromkeys(w for _, w in slots))
    shift = Win(0, math.floor(TIME_SCALE * inst.duration)) if inst.duration else WHOLE_DAY
    vehicles = tuple(
        VehicleSpec(
            id=k * inst.per_depot + v + 1,
            name=f"d{k}v{v}",
            kind=f"depot{k}",
            shifts=tuple((w, shift) for w in weekdays),
            capacity_crates=inst.capacity,
        )
        for k in range(inst.depots)
        for v in range(inst.per_depot)
    )  # fmt: skip
    solver_split = inst.depots > 1 and rule.split == "solver" and depot_of is None
    if solver_split:  # every depot may serve a customer; the solver keeps it on one
        rule = replace(rule, choice=0)
    if depot_of is None and rule.choice == 0:
        depot_of = [0] * len(inst.demand)  # every depot serves everyone: no split needed
    elif depot_of is None:
        assign = assign_depots_cp if rule.split == "least-distance" else assign_depots
        depot_of = assign(inst, rule.share)
    stops = []
    for c, combos in enumerate(inst.combos):
        size = len(combos[0])
        everything = size == 1 and len(combos) == inst.days
        patterns = () if everything else tuple(tuple(slots[d][1] for d in cb) for cb in combos)
        if patterns and inst.days > 6:
            msg = f"{inst.name}: day patterns over more than one week are not weekday sets"
            raise ValueError(msg)
        stops.append(
            StopSpec(
                id=c + 1, name=f"c{c + 1}", village_code="-", lat=0.0, lon=0.0,
                service_s=max(1, math.ceil(TIME_SCALE * inst.service[c])),
                windows=tuple((w, (WHOLE_DAY,)) for w in weekdays),
                vehicle_kinds=depot_kinds(inst, c, depot_of[c], rule.choice),
                visits=size, patterns=patterns, crates=inst.demand[c], penalty=PENALTY,
            )
        )  # fmt: skip
    travel = {
        f"depot{k}": TravelMatrix(
            provider="estimate",
            label=f"{inst.name} matrix ×{DIST_SCALE}",
            vehicle_kind=f"depot{k}",
            distance_m=_matrix(inst, k, DIST_SCALE, round),
            duration_s=_matrix(inst, k, TIME_SCALE, math.ceil),
        )
        for k in range(inst.depots)
    }
    return Problem(
        MONDAY, max(1, (max(d for d, _ in slots) // 7) + 1), weekdays,
        Depot("depot0", 0.0, 0.0), vehicles, tuple(stops), travel,
        one_kind_per_stop=solver_split,
    )  # fmt: skip


def check(inst: Periodic, plan: Plan) -> tuple[float, list[str]]:
    """Real-valued cost and every broken rule of the periodic problem."""
    day_of = {day_slot(inst, d)[0]: d for d in range(inst.days)}
    errors: list[str] = []
    cost = 0.0
    visits: dict[int, list[int]] = {}
    per_slot: dict[tuple[int, int], int] = {}
    depots: dict[int, set[int]] = {}  # a customer is served from one depot (Vidal et al. 2012)
    for route in plan.routes:
        depot, day = route_depot(inst, route), day_of[route.day_index]
        per_slot[depot, day] = per_slot.get((depot, day), 0) + 1
        path = [depot] + [inst.depots + v.stop_id - 1 for v in route.visits] + [depot]
        length = sum(inst.dist[a][b] for a, b in itertools.pairwise(path))
        cost += length
        busy = length + sum(inst.service[v.stop_id - 1] for v in route.visits)
        if inst.duration and busy > inst.duration + 1e-6:
            errors.append(f"day {day + 1} depot {depot}: duration {busy:.1f} > {inst.duration}")
        if sum(inst.demand[v.stop_id - 1] for v in route.visits) > inst.capacity:
            errors.append(f"day {day + 1} depot {depot}: over capacity")
        for v in route.visits:
            visits.setdefault(v.stop_id - 1, []).append(day)
            depots.setdefault(v.stop_id - 1, set()).add(depot)
    if any(count > inst.per_depot for count in per_slot.values()):
        errors.append("more routes than vehicles on some day")
    for c, combos in enumerate(inst.combos):
        if tuple(sorted(visits.get(c, []))) not in combos:
            errors.append(f"customer {c + 1}: days {sorted(visits.get(c, []))} not allowed")
        if len(depots.get(c, ())) > 1:
            errors.append(f"customer {c + 1}: visits from depots {sorted(depots[c])}")
    return cost, errors


def positional_assignments(pattern: tuple[int, ...], copies: int) -> list[tuple[int, ...]]:
    """Experiment (--positional-copies): copy i always takes the pattern's i-th day or -1, so a
    dropped visit comes back by one move. planner.routing.patterns.partial_assignments instead gives
    the kept days to the first copies in order when a stop has more than 4 copies."""
    rows = [(-1,) * copies]
    for dropped in range(min(MAX_DROPPED_PER_STOP, len(pattern)) + 1):
        for kept in itertools.combinations(pattern, len(pattern) - dropped):
            row = [d if d in kept else -1 for d in pattern]
            rows += [tuple(row + [-1] * (copies - len(row)))] if kept else []
    return rows


def depots_from(inst: Periodic, plan: Plan, share: float) -> list[int]:
    """Each customer's depot: the one that served most of its visits in `plan` (the nearer one
    on a tie), else the one `assign_depots` gives it."""
    served: dict[int, list[int]] = {}
    for route in plan.routes:
        for v in route.visits:
            served.setdefault(v.stop_id - 1, []).append(route_depot(inst, route))
    fallback = assign_depots(inst, share)

    def best(c: int) -> int:
        ks = served.get(c)
        if not ks:
            return fallback[c]
        return min(set(ks), key=lambda k: (-ks.count(k), inst.dist[k][inst.depots + c]))

    majority = [best(c) for c in range(len(inst.demand))]
    return assign_depots(inst, PROBE_LOAD_SHARE, majority)


def solve_multi_depot(inst: Periodic, params: SolveParams, rule: DepotRule) -> tuple[Problem, Plan]:
    """Vidal et al.'s MDPVRP serves each customer from one depot, which a StopSpec cannot say:
    a first solve on `rule.probe` of the time lets every depot serve every visit, each customer
    then keeps the depot that served most of its visits, and the rest of the time solves that."""
    everyone = to_problem(inst, replace(rule, choice=0, split="least-distance"))  # kinds free
    first = solve(everyone, replace(params, time_limit_s=rule.probe * params.time_limit_s))
    rest = max(1.0, params.time_limit_s - first.solve_seconds)
    problem = to_problem(inst, replace(rule, choice=1), depots_from(inst, first, rule.share))
    plan = solve(problem, replace(params, time_limit_s=rest))
    return problem, replace(plan, solve_seconds=first.solve_seconds + plan.solve_seconds)


def run(name: str, params: SolveParams, bks: dict[str, float], rule: DepotRule) -> Row:
    """Read, solve and check one instance."""
    inst = read_matrix_format(name) if name.startswith("p0") else read_cordeau(name)
    if inst.depots > 1 and rule.probe > 0:
        problem, plan = solve_multi_depot(inst, params, rule)
    else:
        started = time.monotonic()
        problem = to_problem(inst, rule)  # the depot split's time comes out of the limit
        split_s = time.monotonic() - started if inst.depots > 1 else 0.0
        plan = solve(problem, replace(params, time_limit_s=params.time_limit_s - split_s))
        plan = replace(plan, solve_seconds=round(plan.solve_seconds + split_s, 2))
    cost, errors = check(inst, plan)
    errors += [f"validate: {v.code} {v.message}" for v in validate(problem, plan)[:5]]
    errors += [f"{sum(u.visits for u in plan.unserved)} visits unserved"] if plan.unserved else []
    extra = {
        "note": inst.note,
        "visits": sum(s.visits for s in problem.stops),
        "routing_vehicles": len(problem.vehicles) * inst.days,
        "integer_cost": plan.objective,
    }
    cost_or_none = round(cost, 2) if plan.routes else None
    return Row(
        name, "OR-Tools", params.time_limit_s, plan.solve_seconds, cost_or_none, bks[name],
        len(plan.routes), not errors, errors, extra,
    )  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    """Run the periodic benchmark and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--instances", nargs="+", default=INSTANCES)
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--first-solution", default=SolveParams.first_solution)
    parser.add_argument("--metaheuristic", default=SolveParams.metaheuristic)
    parser.add_argument("--tag", default="", help="suffix of the results file name")
    parser.add_argument("--positional-copies", action="store_true", help="experiment, see code")
    parser.add_argument("--method", default="AUTO", choices=["AUTO", "SINGLE", "DAYS", "HYBRID"])
    parser.add_argument("--workers", type=int, default=1, help="day-by-day worker processes")
    parser.add_argument("--depot-share", type=float, default=DepotRule.share, help="see DepotRule")
    parser.add_argument(
        "--depot-choice",
        type=int,
        default=DepotRule.choice,
        help="depots that may serve a customer: its assigned one and the nearest others (0: all)",
    )
    parser.add_argument(
        "--depot-split",
        default=DepotRule.split,
        choices=["least-distance", "greedy", "solver"],
        help="how each pr customer's depot is chosen (solver: by the planner, one kind per stop; "
        "least-distance, greedy: fixed before solving)",
    )
    parser.add_argument(
        "--depot-probe",
        type=float,
        default=DepotRule.probe,
        help="share of the limit for an all-depot solve that picks each depot (0: fixed split)",
    )
    args = parser.parse_args(argv)
    rule = DepotRule(args.depot_share, args.depot_choice, args.depot_split, args.depot_probe)
    if args.positional_copies:
        # this process only
        planner.routing.solver.model.partial_assignments = positional_assignments
    params = SolveParams(
        args.time_limit, 0, args.first_solution, args.metaheuristic,
        method=args.method, workers=args.workers,
    )  # fmt: skip
    lines = (benchmarks_dir() / "pvrp" / "bks.csv").read_text().splitlines()[1:]
    bks = {r.split(",")[1]: float(r.split(",")[2]) for r in lines if r}
    rows = []
    for name in args.instances:
        rows.append(run(name, params, bks, rule))
        print(f"{name}: {rows[-1].cost} feasible={rows[-1].feasible}", file=sys.stderr)
    print_table(rows)
    for r in rows:
        print(f"- {r.instance}: {r.extra['note']}; {r.extra['visits']} visits")
    settings = vars(args) | {"command": "bench/pvrp.py " + " ".join(sys.argv[1:])}
    print(f"\nresults: {write_results(f'pvrp_{args.time_limit:g}s{args.tag}', rows, settings)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
