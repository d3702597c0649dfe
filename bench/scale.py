"""Scale benchmark: Kota Banjar-shaped scenarios from a seed, planned, validated and reported.

    .venv/bin/python bench/scale.py --stops-per-village 1 --weeks 1 --time-limit 5   # quick
    .venv/bin/python bench/scale.py --preset banjar125 --weeks 1 --time-limit 30
    .venv/bin/python bench/scale.py --preset banjar125 --time-limit 120 --runs 3
    .venv/bin/python bench/scale.py --preset banjar250 --time-limit 300   # ≈ 1,000 visits
    .venv/bin/python bench/scale.py --stops-per-village 4 --vans 2 --motorbikes 1 --weeks 4 \\
        --frequency mixed --seed 7 --time-limit 60 --tag _mixed

Stops are drawn inside the village polygons of the region pack (bench/scenarios.py has the
stop kinds, their windows and the frequencies). Each run times the whole `solve()` call (model
building included) and checks the plan with `validate()`. For weekly-only scenarios over more
than one week the same stops are also planned for one week (one visit each), the reference
"best 1-week plan repeated": visits and km × weeks, and the two acceptance ratios, planned /
(reference planned × weeks) (target ≥ 0.97) and km per visit against the reference's (target
within 5 %). With `--runs K` every number is the median of K runs. A Markdown row goes to
stdout, the settings and every run to bench/results/scale_*.json.
"""

import argparse
import json
import statistics
import sys
import time
from typing import Any

from scenarios import FREQUENCIES, Scenario, ScenarioSpec, build_scenario, fits, one_week
from vrpbench import RESULTS_DIR, machine, versions

from geodata import load_region
from planner.routing import Problem, SolveParams, solve, validate

PRESETS: dict[str, dict[str, Any]] = {
    # The measured scenario: the 25 demo stops + 4 more inside each village.
    "banjar125": {"stops_per_village": 5, "vans": 2, "motorbikes": 2, "weeks": 4},
    # 250 stops, six vehicles, weekly over four weeks: about 1,000 visits.
    "banjar250": {"stops_per_village": 10, "vans": 3, "motorbikes": 3, "weeks": 4},
}
DEFAULTS: dict[str, Any] = {
    "stops_per_village": 5,
    "vans": 1,
    "motorbikes": 1,
    "weeks": 1,
    "frequency": "weekly",
    "seed": 1,
    "time_limit": 30.0,
}
WALL_SLACK_S = 3.0
PLANNED_TARGET, KM_PER_VISIT_TOLERANCE = 0.97, 0.05


METHOD = ["AUTO"]  # set from --method in main()


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Command line; a preset fills the options not given, then the defaults the rest."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--preset", choices=sorted(PRESETS))
    parser.add_argument("--stops-per-village", type=int)
    parser.add_argument("--vans", type=int)
    parser.add_argument("--motorbikes", type=int)
    parser.add_argument("--weeks", type=int, choices=range(1, 5))  # Problem: 1-4
    parser.add_argument("--frequency", choices=[*FREQUENCIES, "mixed"])
    parser.add_argument("--seed", type=int)
    parser.add_argument("--time-limit", type=float, help="seconds per solve")
    parser.add_argument("--reference-limit", type=float, help="1-week reference's seconds")
    parser.add_argument("--no-reference", action="store_true", help="skip the 1-week reference")
    parser.add_argument(
        "--no-demo-stops", action="store_true", help="no pack stop first in each village"
    )
    parser.add_argument("--runs", type=int, default=1, help="repeat, report the median")
    parser.add_argument("--tag", default="", help="suffix of the results file name")
    parser.add_argument(
        "--method",
        default="AUTO",
        choices=["AUTO", "SINGLE", "DAYS", "HYBRID"],
        help="SolveParams.method",
    )
    args = parser.parse_args(argv)
    for key, value in {**DEFAULTS, **PRESETS.get(args.preset or "", {})}.items():
        if getattr(args, key) is None:
            setattr(args, key, value)
    if args.frequency != "mixed" and not fits(args.frequency, args.weeks):
        visits = FREQUENCIES[args.frequency]
        parser.error(f"{args.frequency} is {visits} visits in 4 weeks, not whole in {args.weeks}")
    return args


def spec_of(args: argparse.Namespace) -> ScenarioSpec:
    """The scenario the options describe."""
    return ScenarioSpec(
        stops_per_village=args.stops_per_village,
        vans=args.vans,
        motorbikes=args.motorbikes,
        weeks=args.weeks,
        frequency=args.frequency,
        seed=args.seed,
        demo_stops=not args.no_demo_stops,
    )


def run_once(problem: Problem, limit_s: float) -> dict[str, Any]:
    """One timed solve and its check."""
    started = time.perf_counter()
    plan = solve(problem, SolveParams(time_limit_s=limit_s, method=METHOD[0]))
    wall_s = time.perf_counter() - started
    violations = validate(problem, plan)
    km = sum(r.distance_m for r in plan.routes) / 1000
    return {
        "status": plan.status,
        "planned": plan.visits_planned,
        "required": sum(s.visits for s in problem.stops),
        "km": round(km, 2),
        "km_per_visit": round(km / plan.visits_planned, 4) if plan.visits_planned else None,
        "routes": len(plan.routes),
        "violations": len(violations),
        "violation_samples": [f"{v.code}: {v.message}" for v in violations[:5]],
        "wall_s": round(wall_s, 2),
        "solve_seconds": round(plan.solve_seconds, 2),
        "limit_s": limit_s,
        "wall_ok": wall_s <= limit_s + WALL_SLACK_S,
    }


def median_of(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Median of every number over the runs; statuses and wall checks as seen."""
    keys = ("planned", "km", "km_per_visit", "routes", "violations", "wall_s", "solve_seconds")
    found: dict[str, Any] = {"required": runs[0]["required"], "limit_s": runs[0]["limit_s"]}
    for key in keys:
        values = [r[key] for r in runs if r[key] is not None]
        found[key] = statistics.median(values) if values else None
    found["status"] = "/".join(sorted({r["status"] for r in runs}))
    found["wall_ok"] = all(r["wall_ok"] for r in runs)
    return found


def repeat(label: str, problem: Problem, limit_s: float, runs: int) -> list[dict[str, Any]]:
    """`runs` solves of the problem, each reported on stderr."""
    found = []
    for k in range(runs):
        found.append(run_once(problem, limit_s))
        print(f"{label} run {k + 1}/{runs}: {found[-1]}", file=sys.stderr)
    return found


def compare(main: dict[str, Any], ref: dict[str, Any], weeks: int) -> dict[str, Any]:
    """The reference repeated over the weeks, and the acceptance ratios against it."""
    planned_ratio = main["planned"] / (ref["planned"] * weeks) if ref["planned"] else None
    kmpv = main["km_per_visit"], ref["km_per_visit"]
    kmpv_ratio = kmpv[0] / kmpv[1] if kmpv[0] and kmpv[1] else None
    return {
        "planned_x_weeks": ref["planned"] * weeks,
        "km_x_weeks": round(ref["km"] * weeks, 2),
        "planned_ratio": planned_ratio,
        "km_per_visit_ratio": kmpv_ratio,
        "planned_ok": planned_ratio is not None and planned_ratio >= PLANNED_TARGET,
        "km_per_visit_ok": kmpv_ratio is not None and abs(kmpv_ratio - 1) <= KM_PER_VISIT_TOLERANCE,
    }


HEADER = (
    "| scenario | seed | stops | fleet | weeks | frequency | runs | limit s | wall s (≤ +3 s) "
    "| status | visits planned / required | km | km/visit | violations "
    "| 1-week ref × weeks: visits / km | planned / ref | km/visit / ref |\n"
    "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
)


def _num(value: float | None, digits: int) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def table_row(args: argparse.Namespace, stops: int, main: dict[str, Any], ref: Any) -> str:
    """One Markdown row: the scenario, its median run and the comparison with the reference."""
    ok = "ok" if main["wall_ok"] else "OVER"
    cells = [
        args.preset or "custom", str(args.seed), str(stops),
        f"{args.vans} van + {args.motorbikes} motor",
        str(args.weeks), args.frequency, str(args.runs), f"{main['limit_s']:g}",
        f"{main['wall_s']:.1f} {ok}", main["status"], f"{main['planned']:g} / {main['required']}",
        f"{main['km']:.1f}", _num(main["km_per_visit"], 3), f"{main['violations']:g}",
    ]  # fmt: skip
    if ref is None:
        cells += ["–", "–", "–"]
    else:
        cells += [
            f"{ref['planned_x_weeks']:g} / {ref['km_x_weeks']:.1f}",
            f"{_num(ref['planned_ratio'], 3)} {'ok' if ref['planned_ok'] else 'MISS'}",
            f"{_num(ref['km_per_visit_ratio'], 3)} {'ok' if ref['km_per_visit_ok'] else 'MISS'}",
        ]
    return "| " + " | ".join(cells) + " |"


def results_name(args: argparse.Namespace) -> str:
    """The results file's name, from the scenario's options."""
    frequency = args.frequency.replace("/", "per")
    name = (
        f"{args.preset}_{frequency}"
        if args.preset
        else f"{args.stops_per_village}pv_{args.vans}v{args.motorbikes}m_{frequency}_s{args.seed}"
    )
    method = "" if args.method == "AUTO" else f"_{args.method.lower()}"
    return f"scale_{name}_{args.weeks}w_{args.time_limit:g}s{method}{args.tag}.json"


def main(argv: list[str] | None = None) -> int:
    """Generate the scenario, plan it (and its 1-week reference), print and save the results."""
    args = parse_args(argv)
    scenario: Scenario = build_scenario(spec_of(args), load_region())
    problem = scenario.problem
    print(f"{len(problem.stops)} stops {scenario.kind_counts()}", file=sys.stderr)
    METHOD[0] = args.method
    runs = repeat("plan", problem, args.time_limit, args.runs)
    METHOD[0] = "AUTO"  # the reference is the planner's own choice for one week
    main_median, ref_runs, comparison = median_of(runs), [], None
    if args.frequency == "weekly" and args.weeks > 1 and not args.no_reference:
        limit = args.reference_limit or args.time_limit
        ref_runs = repeat("1-week reference", one_week(problem), limit, args.runs)
        comparison = compare(main_median, median_of(ref_runs), args.weeks)
    print(HEADER)
    print(table_row(args, len(problem.stops), main_median, comparison))
    RESULTS_DIR.mkdir(exist_ok=True)
    path = RESULTS_DIR / results_name(args)
    settings = vars(args) | {"command": "bench/scale.py " + " ".join(sys.argv[1:])}
    scenario_info = {"stops": len(problem.stops), "kinds": scenario.kind_counts()}
    payload = {
        "settings": settings, "versions": versions(), "machine": machine(),
        "scenario": scenario_info, "median": main_median, "runs": runs,
        "reference": {"median": median_of(ref_runs), "runs": ref_runs} if ref_runs else None,
        "comparison": comparison,
    }  # fmt: skip
    path.write_text(json.dumps(payload, indent=1) + "\n")
    print(f"results: {path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
