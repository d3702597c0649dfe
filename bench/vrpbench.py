"""Shared pieces of the benchmark scripts: data paths, a VRPLIB reader for the VRPTW sets
(Solomon, Gehring-Homberger 200), an independent solution checker and result tables.

Not part of the test suite. Every solver is checked by `check_routes`, which shares no code
with any solver: it re-reads the instance and recomputes cost, load and times.
"""

import datetime as dt
import json
import math
import os
import platform
import subprocess
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
RESULTS_DIR = BENCH_DIR / "results"
# VRPTW sets: folders of ../shared/benchmarks with NAME.vrp, NAME.sol and bks_dimacs.csv
VRPTW_SETS = ("solomon", "gh200")
SOLOMON_INSTANCES = [
    "C101",
    "C105",
    "C201",
    "C205",
    "R101",
    "R105",
    "R109",
    "R201",
    "R205",
    "RC101",
    "RC105",
    "RC201",
    "RC205",
]
MONDAY = dt.date(2025, 1, 6)
SCALE = 10  # DIMACS: distances and times are floor(10 * Euclidean) integers


def benchmarks_dir() -> Path:
    """`../shared/benchmarks` beside the repository, or $KELILING_BENCHMARKS."""
    override = os.environ.get("KELILING_BENCHMARKS")
    return Path(override) if override else Path(__file__).resolve().parents[2] / "shared/benchmarks"


def set_dir(vrptw_set: str = "solomon") -> Path:
    """The folder of a VRPTW set (`solomon` or `gh200`) under `benchmarks_dir()`."""
    if vrptw_set not in VRPTW_SETS:
        msg = f"unknown VRPTW set {vrptw_set!r}, expected one of {', '.join(VRPTW_SETS)}"
        raise ValueError(msg)
    return benchmarks_dir() / vrptw_set


def instance_names(vrptw_set: str = "solomon") -> list[str]:
    """Every instance of a set: the `.vrp` files of its folder, sorted (C1.., C2.., R1.., RC..)."""
    return sorted(path.stem for path in set_dir(vrptw_set).glob("*.vrp"))


@dataclass(frozen=True)
class Instance:
    """A Solomon-format VRPTW instance in integer DIMACS units (node 0 is the depot)."""

    name: str
    vehicles: int
    capacity: int
    xy: tuple[tuple[float, float], ...]
    demand: tuple[int, ...]
    ready: tuple[int, ...]  # earliest service start, x10
    due: tuple[int, ...]  # latest service start, x10
    service: tuple[int, ...]  # x10, 0 at the depot
    matrix: tuple[tuple[int, ...], ...] = field(repr=False)

    @property
    def customers(self) -> int:
        """Number of customers."""
        return len(self.xy) - 1


def read_vrplib(path: Path) -> tuple[dict[str, str], dict[str, list[list[float]]]]:
    """Header fields and sections (rows of numbers) of a VRPLIB file."""
    header: dict[str, str] = {}
    sections: dict[str, list[list[float]]] = {}
    current: list[list[float]] | None = None
    for raw in path.read_text().splitlines():
        line = raw.strip()
        if not line or line == "EOF":
            continue
        if line.endswith("_SECTION"):
            current = sections.setdefault(line.removesuffix("_SECTION"), [])
        elif ":" in line and current is None:
            key, value = line.split(":", 1)
            header[key.strip()] = value.strip()
        elif current is not None:
            current.append([float(v) for v in line.split()])
    return header, sections


def floor_matrix(xy: list[tuple[float, float]], scale: int = SCALE) -> list[list[int]]:
    """floor(scale * Euclidean distance) between every pair of points."""
    return [[math.floor(scale * math.dist(a, b)) for b in xy] for a in xy]


def load_solomon(name: str, vrptw_set: str = "solomon") -> Instance:
    """Read `SET/NAME.vrp` (Solomon or GH200 format) into integer DIMACS units; the fleet size
    is the file's `VEHICLES` (25 for Solomon, 50 for GH200)."""
    header, sec = read_vrplib(set_dir(vrptw_set) / f"{name}.vrp")
    xy = [(row[1], row[2]) for row in sec["NODE_COORD"]]
    depot = int(sec["DEPOT"][0][0]) - 1
    if depot != 0:
        msg = f"{name}: depot must be node 1"
        raise ValueError(msg)
    service = round(SCALE * float(header["SERVICE_TIME"]))
    return Instance(
        name=name,
        vehicles=int(header["VEHICLES"]),
        capacity=int(header["CAPACITY"]),
        xy=tuple(xy),
        demand=tuple(int(row[1]) for row in sec["DEMAND"]),
        ready=tuple(round(SCALE * row[1]) for row in sec["TIME_WINDOW"]),
        due=tuple(round(SCALE * row[2]) for row in sec["TIME_WINDOW"]),
        service=(0,) + (service,) * (len(xy) - 1),
        matrix=tuple(tuple(r) for r in floor_matrix(xy)),
    )


def read_sol(name: str, vrptw_set: str = "solomon") -> list[list[int]]:
    """The best-known routes of `SET/NAME.sol` (customers numbered 1..n)."""
    text = (set_dir(vrptw_set) / f"{name}.sol").read_text()
    return [
        [int(v) for v in line.split(":", 1)[1].split()]
        for line in text.splitlines()
        if line.startswith("Route")
    ]


def read_bks(vrptw_set: str = "solomon") -> dict[str, float]:
    """DIMACS best-known distances per instance of a set (`SET/bks_dimacs.csv`)."""
    lines = (set_dir(vrptw_set) / "bks_dimacs.csv").read_text().splitlines()
    return {row.split(",")[0]: float(row.split(",")[1]) for row in lines[1:] if row}


@dataclass
class Check:
    """What the independent checker found."""

    cost: int
    routes: int
    errors: list[str]

    @property
    def feasible(self) -> bool:
        """No rule broken."""
        return not self.errors


def check_routes(inst: Instance, routes: list[list[int]]) -> Check:
    """Recompute a VRPTW solution: cost, capacity, windows (DIMACS), coverage, fleet size."""
    errors: list[str] = []
    routes = [r for r in routes if r]
    cost = 0
    seen: list[int] = []
    for number, route in enumerate(routes, 1):
        load = sum(inst.demand[c] for c in route)
        if load > inst.capacity:
            errors.append(f"route {number}: load {load} > {inst.capacity}")
        clock, previous = inst.ready[0], 0
        for customer in route:
            if not 1 <= customer <= inst.customers:
                errors.append(f"route {number}: unknown customer {customer}")
                break
            cost += inst.matrix[previous][customer]
            start = max(clock + inst.matrix[previous][customer], inst.ready[customer])
            if start > inst.due[customer]:
                errors.append(f"route {number}: customer {customer} starts {start} > due")
            clock, previous = start + inst.service[customer], customer
        cost += inst.matrix[previous][0]
        if clock + inst.matrix[previous][0] > inst.due[0]:
            errors.append(f"route {number}: back at depot after {inst.due[0]}")
        seen.extend(route)
    missing = set(range(1, inst.customers + 1)) - set(seen)
    if missing:
        errors.append(f"{len(missing)} customers not served")
    if len(seen) != len(set(seen)):
        errors.append("a customer is served twice")
    if len(routes) > inst.vehicles:
        errors.append(f"{len(routes)} routes > {inst.vehicles} vehicles")
    return Check(cost, len(routes), errors)


@dataclass
class Row:
    """One solver run on one instance."""

    instance: str
    solver: str
    time_limit_s: float
    seconds: float
    cost: float | None
    bks: float
    routes: int
    feasible: bool
    errors: list[str]
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def gap(self) -> float | None:
        """Gap to the best-known value in percent (None without a feasible solution)."""
        if self.cost is None or not self.feasible:
            return None
        return 100 * (self.cost - self.bks) / self.bks


def versions() -> dict[str, str]:
    """Versions of the solvers in this environment."""
    found = {"python": platform.python_version()}
    for package in ("ortools", "pyvrp", "pyvroom"):
        try:
            found[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            found[package] = "not installed"
    return found


def machine() -> dict[str, Any]:
    """CPU count and model name (lscpu), for RESULTS.md."""
    model = platform.processor() or "?"
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True, check=False).stdout
        model = next(
            (ln.split(":", 1)[1].strip() for ln in out.splitlines() if "Model name" in ln), model
        )
    except OSError:
        pass
    return {"cpus": os.cpu_count(), "model": model, "date": dt.date.today().isoformat()}


def fmt(value: float | None, digits: int = 2) -> str:
    """A number for a table, or a dash."""
    return "–" if value is None else f"{value:.{digits}f}"


def print_table(rows: list[Row]) -> None:
    """A Markdown table of the runs with the mean gap per solver."""
    print("| instance | solver | limit s | cost | BKS | gap % | routes | feasible |")
    print("|---|---|---|---|---|---|---|---|")
    for r in rows:
        ok = "yes" if r.feasible else "NO: " + "; ".join(r.errors)[:60]
        print(
            f"| {r.instance} | {r.solver} | {r.time_limit_s:g} | {fmt(r.cost, 1)} | "
            f"{r.bks:.1f} | {fmt(r.gap)} | {r.routes} | {ok} |"
        )
    for solver in dict.fromkeys(r.solver for r in rows):
        mine = [r for r in rows if r.solver == solver]
        gaps = [r.gap for r in mine if r.gap is not None]
        mean = sum(gaps) / len(gaps) if len(gaps) == len(mine) and gaps else None
        worst = max(gaps) if gaps else None
        print(
            f"\n{solver}: feasible {len(gaps)}/{len(mine)}, mean gap {fmt(mean)} %, "
            f"worst {fmt(worst)} %"
        )


def write_results(stem: str, rows: list[Row], settings: dict[str, Any]) -> Path:
    """Save runs, settings, versions and machine as bench/results/STEM.json."""
    RESULTS_DIR.mkdir(exist_ok=True)
    path = RESULTS_DIR / f"{stem}.json"
    payload = {
        "settings": settings,
        "versions": versions(),
        "machine": machine(),
        "runs": [asdict(r) | {"gap_pct": r.gap} for r in rows],
    }
    path.write_text(json.dumps(payload, indent=1) + "\n")
    return path
