"""Records benchmark figures for the summary table at the end of `make bench` (scripts/bench/summary.py).

Each benchmark appends JSON lines to $BIOMECH_BENCH_RESULTS/<bench>.jsonl (default bench-work/results):
    {"bench": "train", "figure": "...", "value": 1.59, "unit": "x", "reference": "...", "goal": ">= 1.0", "met": true}
`met` is true, false, or null when the figure has no goal; "missing" rows say what could not be measured.

From Python:  sys.path.insert(0, "scripts/bench"); from results import record, fact, missing
From a shell: python3 scripts/bench/results.py record BENCH FIGURE VALUE UNIT [--reference R] [--goal G] [--met yes|no]
              python3 scripts/bench/results.py missing BENCH FIGURE REASON
              python3 scripts/bench/results.py fact KEY VALUE
"""
import argparse
import json
import os


def _append(name, row):
    folder = os.environ.get("BIOMECH_BENCH_RESULTS", "bench-work/results")
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, name + ".jsonl"), "a") as f:
        f.write(json.dumps(row, sort_keys=True) + "\n")


def record(bench, figure, value, unit, reference=None, goal=None, met=None):
    """One measured figure: `value` in `unit` (`x` for a ratio, above 1 meaning biomech is ahead)."""
    _append(bench, {"bench": bench, "figure": figure, "value": float(value), "unit": unit,
                    "reference": reference, "goal": goal, "met": met})


def missing(bench, figure, reason):
    """A figure that could not be measured, and why: shown in the table, never dropped."""
    _append(bench, {"bench": bench, "figure": figure, "value": None, "unit": None, "reference": None,
                    "goal": None, "met": None, "missing": reason})


def fact(key, value):
    """A fact about the machine or the run (e.g. the OpenBLAS core in use), for results.json."""
    _append("facts", {"fact": key, "value": value})


def main():
    parser = argparse.ArgumentParser(description="record a benchmark figure")
    commands = parser.add_subparsers(dest="command", required=True)
    r = commands.add_parser("record")
    r.add_argument("bench"), r.add_argument("figure"), r.add_argument("value", type=float), r.add_argument("unit")
    r.add_argument("--reference"), r.add_argument("--goal"), r.add_argument("--met", choices=["yes", "no"])
    m = commands.add_parser("missing")
    m.add_argument("bench"), m.add_argument("figure"), m.add_argument("reason")
    f = commands.add_parser("fact")
    f.add_argument("key"), f.add_argument("value")
    args = parser.parse_args()
    if args.command == "record":
        record(args.bench, args.figure, args.value, args.unit, args.reference, args.goal,
               None if args.met is None else args.met == "yes")
    elif args.command == "missing":
        missing(args.bench, args.figure, args.reason)
    else:
        fact(args.key, args.value)


if __name__ == "__main__":
    main()
