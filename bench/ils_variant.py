"""Run bench/solomon.py with the iterated-local-search settings changed in this process only,
to judge a candidate setting on Solomon and GH200 together before changing the planner.

    .venv/bin/python bench/ils_variant.py --removed 30 --string 15 \\
        --set gh200 --time-limit 30 --tag _r30s15
"""

import argparse
import sys

import solomon

from planner.routing.solver import search


def main() -> int:
    """Patch the ILS constants, then hand the remaining arguments to solomon.py."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--removed", type=int, help="fixed average removed (default: by size)")
    parser.add_argument("--string", type=int, help="fixed longest string (default: by size)")
    parser.add_argument("--temperature", type=float, default=search.START_TEMPERATURE_SHARE)
    parser.add_argument("--no-improve", action="store_true", help="no descent after recreate")
    parser.add_argument("--off", nargs="*", default=[], help="more descent operators off")
    parser.add_argument("--full", action="store_true", help="every default operator (before)")
    parser.add_argument("--bandit", action="store_true", help="multi-armed bandit operator order")
    args, rest = parser.parse_known_args()
    if args.removed is not None:
        search.SISR_REMOVED_VISITS = (args.removed, args.removed)
    if args.string is not None:
        search.SISR_MAX_STRING = (args.string, args.string)
    search.START_TEMPERATURE_SHARE = args.temperature
    search.IMPROVE_PERTURBED = not args.no_improve
    search.ILS_OFF_OPERATORS = (() if args.full else search.ILS_OFF_OPERATORS) + tuple(args.off)
    search.ILS_BANDIT = args.bandit
    return solomon.main([a for a in rest if a != "--"])


if __name__ == "__main__":
    sys.exit(main())
