#!/usr/bin/env python3
"""The table at the end of `make bench`, from the figures the benchmarks recorded (scripts/bench/results.py).

    summary.py --bin BIN --results DIR --json OUT.json --markdown OUT.md NAME...

Prints every figure of the benchmarks NAME (in that order) with its reference, goal and verdict; a
benchmark that failed or recorded nothing says so in the table. OUT.json holds the same rows with the
date, the git commit and the machine (CPU, cores, OpenBLAS core, library versions); OUT.md is the
table in Markdown, for docs/BENCHMARKS.md's record.
"""
import argparse
import datetime
import json
import os
import platform
import subprocess


def run(command):
    try:
        return subprocess.run(command, capture_output=True, text=True, timeout=60).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        return ""


def lines(path):
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def debian_versions():
    wanted = ["libopenblas0-pthread", "libopenblas0", "libavcodec59", "libcurl4", "libarchive13", "libsqlite3-0", "libcairo2", "ffmpeg",
              "curl", "libarchive-tools"]
    out = run(["dpkg-query", "-W", "-f", "${Package} ${Version} ${Status}\\n"] + wanted)
    return {p: v for p, v, *status in (l.split(" ", 2) for l in out.splitlines()) if status and "installed" in status[0] and "not" not in status[0]}


def machine(bin_dir, facts):
    cpu = ""
    if os.path.exists("/proc/cpuinfo"):
        with open("/proc/cpuinfo") as f:
            cpu = next((l.split(":", 1)[1].strip() for l in f if l.startswith("model name")), "")
    memory = ""
    if os.path.exists("/proc/meminfo"):
        with open("/proc/meminfo") as f:
            kb = next((int(l.split()[1]) for l in f if l.startswith("MemTotal")), 0)
            memory = f"{kb / 1048576:.1f} GiB"
    flags = run(["grep", "-m1", "-o", "-w", "avx512f", "/proc/cpuinfo"])
    core = facts.get("openblas_core_train") or facts.get("openblas_core_onnx") or os.environ.get("OPENBLAS_CORETYPE") or "auto-detected"
    versions = {"swift": run(["swift", "--version"]).splitlines()[0] if run(["swift", "--version"]) else "",
                "biomech": run([os.path.join(bin_dir, "biomech-train"), "--version"]), "python": platform.python_version()}
    versions.update(debian_versions())
    for key in ("torch", "onnxruntime"):
        if key in facts:
            versions[key] = facts[key]
    mediapipe = ".mediapipe/venv/bin/python"
    if os.path.exists(mediapipe):
        versions["mediapipe (reference loop)"] = run([mediapipe, "-c", "import mediapipe; print(mediapipe.__version__)"])
    return {"cpu": cpu, "cores": os.cpu_count(), "memory": memory, "kernel": platform.release(),
            "avx512": bool(flags), "openblas_core": core, "versions": versions}


def figure(row):
    if row.get("failed"):
        return "FAILED"
    if row.get("missing"):
        return "not measured: " + row["missing"]
    value, unit = row["value"], row["unit"]
    if value == int(value) and unit not in ("x", "s", "ms", "%"):
        return f"{int(value)} {unit}"
    if unit == "x":
        return f"{value:.2f}x"
    if unit == "%":
        return f"{value:.1f}%"
    return f"{value:.2f} {unit}" if abs(value) < 100 else f"{value:.0f} {unit}"


def verdict(row):
    if row.get("failed"):
        return "FAILED"
    if row.get("missing"):
        return "not measured"
    return {True: "met", False: "NOT MET", None: ""}[row["met"]]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bin", required=True)
    parser.add_argument("--results", required=True)
    parser.add_argument("--json", required=True)
    parser.add_argument("--markdown", required=True)
    parser.add_argument("names", nargs="+")
    args = parser.parse_args()

    runs = {}
    for line in open(os.path.join(args.results, "runs.txt")) if os.path.exists(os.path.join(args.results, "runs.txt")) else []:
        name, status, seconds = line.split()
        runs[name] = (int(status), int(seconds))
    facts = {row["fact"]: row["value"] for row in lines(os.path.join(args.results, "facts.jsonl"))}
    rows = []
    for name in args.names:
        recorded = lines(os.path.join(args.results, name + ".jsonl"))
        status, seconds = runs.get(name, (None, None))
        if status not in (0, None):
            recorded.append({"bench": name, "figure": f"the benchmark exited {status}: its output above says why", "failed": True,
                             "value": None, "unit": None, "reference": None, "goal": None, "met": False})
        elif not recorded:
            recorded.append({"bench": name, "figure": "no figure recorded", "missing": "the benchmark recorded nothing",
                             "value": None, "unit": None, "reference": None, "goal": None, "met": None})
        for row in recorded:
            row["seconds"] = seconds
        rows += recorded

    header = ["bench", "figure", "biomech", "reference", "goal", "verdict"]
    table = [[r["bench"], r["figure"], figure(r), r.get("reference") or "", r.get("goal") or "", verdict(r)] for r in rows]
    widths = [max(len(header[i]), *(len(t[i]) for t in table)) for i in range(len(header))]
    print("")
    print("=== make bench: summary (ratios: above 1 means biomech is faster or smaller) ===")
    for cells in [header, ["-" * w for w in widths]] + table:
        print("  ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip())

    facts_machine = machine(args.bin, facts)
    commit = run(["git", "rev-parse", "--short", "HEAD"])
    dirty = bool(run(["git", "status", "--porcelain", "--untracked-files=no"]))
    date = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    met = sum(1 for r in rows if r.get("met") is True)
    missed = sum(1 for r in rows if r.get("met") is False and not r.get("failed"))
    unmeasured = sum(1 for r in rows if r.get("missing"))
    failures = sum(1 for r in rows if r.get("failed"))
    print(f"{len(rows)} figures; goals met: {met}, not met: {missed}; not measured: {unmeasured}; benchmarks failed: {failures}; "
          f"commit {commit}{' (uncommitted changes)' if dirty else ''}, {date}")
    print(f"machine: {facts_machine['cpu']}, {facts_machine['cores']} cores, {facts_machine['memory']}, OpenBLAS core {facts_machine['openblas_core']}")
    result = {"date": date, "commit": commit, "dirty": dirty, "machine": facts_machine, "benchmarks": args.names,
              "seconds": {n: runs[n][1] for n in runs}, "results": rows}
    tmp = args.json + ".tmp"
    with open(tmp, "w") as f:
        json.dump(result, f, indent=2, sort_keys=True)
        f.write("\n")
    os.replace(tmp, args.json)
    md = [f"{date}, commit {commit}{' (uncommitted changes)' if dirty else ''}, {facts_machine['cpu']}, {facts_machine['cores']} cores, "
          f"OpenBLAS core {facts_machine['openblas_core']}:", "", "| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    md += ["| " + " | ".join(c.replace("|", "\\|") for c in t) + " |" for t in table]
    with open(args.markdown + ".tmp", "w") as f:
        f.write("\n".join(md) + "\n")
    os.replace(args.markdown + ".tmp", args.markdown)
    print(f"wrote {args.json} and {args.markdown}")


if __name__ == "__main__":
    main()
