"""Side-by-side Markdown table of gap % from result files, for RESULTS.md.

    .venv/bin/python bench/report.py bench/results/solomon_10s_*.json bench/results/compare_10s*
    .venv/bin/python bench/report.py --cost bench/results/pvrp_60s.json

One column per (file, solver); a dash where a run has no feasible solution.
"""

import argparse
import json
import re
import sys
from pathlib import Path


def _initials(match: re.Match[str]) -> str:
    return "".join(word[0] for word in match.group().split("_"))


def columns(paths: list[Path], by_file: bool = False) -> dict[str, dict[str, dict[str, object]]]:
    """Runs by column label, then by instance; `by_file` puts the file name in the label."""
    found: dict[str, dict[str, dict[str, object]]] = {}
    for path in paths:
        payload = json.loads(path.read_text())
        for run in payload["runs"]:
            solver = re.sub(r"[A-Z]+(?:_[A-Z]+)+", _initials, run["solver"])
            label = f"{solver} {run['time_limit_s']:g}s"
            label = f"{path.stem}: {label}" if by_file else label
            found.setdefault(label, {})[run["instance"]] = run
    return found


def cell(run: dict[str, object] | None, cost: bool) -> str:
    """One table cell: gap % (or cost) or a dash for no feasible solution."""
    if run is None:
        return ""
    if not run["feasible"]:
        return "infeasible"
    value = run["cost"] if cost else run["gap_pct"]
    return f"{value:.1f}" if cost else f"{value:.2f}"  # type: ignore[str-format]


def main(argv: list[str] | None = None) -> int:
    """Print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--cost", action="store_true", help="also show cost")
    parser.add_argument("--by-file", action="store_true", help="a column per file and solver")
    args = parser.parse_args(argv)
    table = columns(args.files, args.by_file)
    instances = list(dict.fromkeys(i for runs in table.values() for i in runs))
    print("| instance | " + " | ".join(table) + " |")
    print("|---" * (len(table) + 1) + "|")
    for name in instances:
        cells = []
        for runs in table.values():
            text = cell(runs.get(name), False)
            if args.cost and runs.get(name) and runs[name]["cost"] is not None:
                text = f"{runs[name]['cost']:.1f} ({text})"
            cells.append(text)
        print(f"| {name} | " + " | ".join(cells) + " |")
    means, worsts, feasible = [], [], []
    for runs in table.values():
        gaps = [r["gap_pct"] for r in runs.values() if r["feasible"]]
        ok = len(gaps) == len(runs)
        means.append(f"**{sum(gaps) / len(gaps):.2f}**" if ok and gaps else "–")  # type: ignore[arg-type]
        worsts.append(f"{max(gaps):.2f}" if gaps else "–")  # type: ignore[type-var]
        feasible.append(f"{len(gaps)}/{len(runs)}")
    print("| **mean gap %** | " + " | ".join(means) + " |")
    print("| worst gap % | " + " | ".join(worsts) + " |")
    print("| feasible | " + " | ".join(feasible) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
