#!/usr/bin/env python3
"""Load client for biomech-serve (scripts/bench-serve.sh): one round of POST /analyze-form requests.

--clients threads share --requests requests, a fixed seeded mix of good uploads (the --good clips, as a
multipart form or a raw video/mp4 body) and bad ones (each file of --bad-dir as the form's video field, plus
a form with no video field). Every request is answered once: a 503 is recorded, not retried. Prints the
throughput, latencies, the answers by status and error code, and the service's reject counters; --json
writes the same as a summary for the shell script. Python 3 standard library only.
"""
import argparse
import collections
import http.client
import json
import math
import os
import random
import sys
import threading
import time
import uuid

# What each kind of upload may get: its own answer, or 503 queue_full when every place is taken.
EXPECTED = {
    "good_form": {200}, "good_raw": {200},
    "not_video": {415}, "truncated": {415, 422}, "too_big": {413}, "no_video_field": {400},
}


def multipart(fields, file_field=None, path=None):
    """A multipart/form-data body (bytes) and its Content-Type; the file is read whole (clips are small)."""
    boundary = uuid.uuid4().hex
    out = []
    for name, value in fields.items():
        out += [f"--{boundary}\r\n", f'Content-Disposition: form-data; name="{name}"\r\n\r\n', f"{value}\r\n"]
    parts = [("".join(out)).encode()]
    if file_field:
        head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{file_field}\"; "
                f"filename=\"{os.path.basename(path)}\"\r\nContent-Type: video/mp4\r\n\r\n")
        with open(path, "rb") as f:
            parts += [head.encode(), f.read(), b"\r\n"]
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def bad_kind(path):
    name = os.path.basename(path)
    for prefix, kind in (("text", "not_video"), ("trunc", "truncated"), ("big", "too_big")):
        if name.startswith(prefix):
            return kind
    return "not_video"


def schedule(args):
    """The round's requests in a fixed order: (kind, file or None), good clips taken in turn."""
    rng = random.Random(args.seed)
    bads = sorted(os.path.join(args.bad_dir, f) for f in os.listdir(args.bad_dir))
    kinds = [(bad_kind(p), p) for p in bads] + [("no_video_field", None)]
    order, turn = [], 0
    for _ in range(args.requests):
        if rng.random() < args.good_share:
            # One good upload in four is a raw body, to cover both ways in.
            order.append(("good_raw" if rng.random() < 0.25 else "good_form", args.good[turn % len(args.good)]))
            turn += 1
        else:
            order.append(rng.choice(kinds))
    return order


def percentile(values, q):
    """Nearest-rank percentile; None when there are no values."""
    if not values:
        return None
    values = sorted(values)
    return values[max(0, math.ceil(q * len(values)) - 1)]


def get(args, path):
    conn = http.client.HTTPConnection(args.host, args.port, timeout=30)
    try:
        conn.request("GET", path)
        return conn.getresponse().read().decode()
    finally:
        conn.close()


def worker_seconds(metrics):
    """Total worker time of the analyses so far (the analysis_duration histogram's sum)."""
    for line in metrics.splitlines():
        if line.startswith("biomech_serve_analysis_duration_seconds_sum"):
            return float(line.split()[-1])
    return 0.0


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--clients", type=int, default=32)
    p.add_argument("--requests", type=int, default=200)
    p.add_argument("--good", nargs="+", required=True, help="clips that analyse (biomech-analyze exits 0)")
    p.add_argument("--bad-dir", required=True, help="bad uploads: text*, trunc*, big* files")
    p.add_argument("--good-share", type=float, default=0.4, help="share of good uploads in the mix")
    p.add_argument("--exercise", default="jumping_jack")
    p.add_argument("--max-pause", type=float, default=5.0,
                   help="after a 503 a client waits min(Retry-After, this) s before its next request (not a retry), "
                        "so the round is not spent on rejects in its first second; clients holding places keep the workers busy")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--label", default="round")
    p.add_argument("--json", help="write the summary here")
    args = p.parse_args()

    order = schedule(args)
    # Bodies built once per file and shared by the threads (read-only bytes): memory stays at one copy each.
    bodies = {}
    for kind, path in set(order):
        if kind == "good_raw":
            with open(path, "rb") as f:
                bodies[(kind, path)] = (f.read(), "video/mp4")
        elif kind == "no_video_field":
            bodies[(kind, path)] = multipart({"exercise": args.exercise})
        else:
            bodies[(kind, path)] = multipart({}, "video", path)

    results = [None] * len(order)
    next_index = iter(range(len(order)))
    lock = threading.Lock()

    def one(i):
        kind, path = order[i]
        body, ctype = bodies[(kind, path)]
        start = time.monotonic()
        status, code, retry_after, note = None, None, None, None
        conn = http.client.HTTPConnection(args.host, args.port, timeout=400)
        try:
            try:
                conn.request("POST", f"/analyze-form?exercise={args.exercise}", body=body,
                             headers={"Content-Type": ctype, "Content-Length": str(len(body))})
            except (BrokenPipeError, ConnectionResetError):
                pass  # the service may answer (413) before it has read the whole body: read the answer anyway
            response = conn.getresponse()
            data = response.read()
            status, retry_after = response.status, response.getheader("Retry-After")
            try:
                doc = json.loads(data)
            except ValueError:
                doc, note = None, "body is not JSON"
            if status == 200:
                if not (isinstance(doc, dict) and doc.get("format") == "biomech-report"):
                    note = "200 without a report"
            elif isinstance(doc, dict) and isinstance(doc.get("error"), dict):
                code = doc["error"].get("code")
                if doc["error"].get("status") != status:
                    note = f"error.status {doc['error'].get('status')} != HTTP {status}"
            else:
                note = note or "error without {error: {code, message, status}}"
            if status == 503 and not retry_after:
                note = "503 without Retry-After"
        except (OSError, http.client.HTTPException) as e:
            note = f"{type(e).__name__}: {e}"
        finally:
            conn.close()
        seconds = time.monotonic() - start
        ok_answer = status in EXPECTED[kind] or (status == 503 and code == "queue_full")
        if not ok_answer and note is None:
            note = f"unexpected {status} {code} for {kind}"
        return {"kind": kind, "file": path, "status": status, "code": code, "seconds": seconds,
                "retry_after": retry_after, "problem": note}

    def client():
        while True:
            with lock:
                i = next(next_index, None)
            if i is None:
                return
            r = results[i] = one(i)
            if r["status"] == 503 and (r["retry_after"] or "").isdigit():
                time.sleep(min(int(r["retry_after"]), args.max_pause))

    workers = json.loads(get(args, "/healthz"))["workers"]
    busy_before = worker_seconds(get(args, "/metrics"))
    began = time.monotonic()
    threads = [threading.Thread(target=client) for _ in range(args.clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.monotonic() - began

    ok = [r for r in results if r["status"] == 200]
    by_status = collections.Counter(str(r["status"]) for r in results)
    by_code = collections.Counter(r["code"] for r in results if r["code"])
    problems = [r for r in results if r["problem"]]
    lat_ok = [r["seconds"] for r in ok]
    lat_all = [r["seconds"] for r in results]

    metrics = get(args, "/metrics")
    # Share of the round the workers spent analysing: near 100% means the load kept them busy.
    busy = (worker_seconds(metrics) - busy_before) / (wall * workers)
    reject_lines = [l for l in metrics.splitlines() if l.startswith("biomech_serve_rejects_total")]

    summary = {
        "label": args.label, "requests": len(results), "clients": args.clients, "wall_seconds": round(wall, 3),
        "ok": len(ok), "ok_per_s": round(len(ok) / wall, 4), "requests_per_s": round(len(results) / wall, 3), "workers_busy": round(busy, 3),
        "load_average": os.getloadavg()[0],
        "latency_ok_s": {"p50": percentile(lat_ok, 0.5), "p99": percentile(lat_ok, 0.99)},
        "latency_all_s": {"p50": percentile(lat_all, 0.5), "p99": percentile(lat_all, 0.99)},
        "by_status": dict(sorted(by_status.items())), "by_code": dict(sorted(by_code.items())),
        "problems": problems, "rejects_metrics": reject_lines,
        # What the workers analysed (200) or turned away after opening it (415, 422), for the reference run.
        "worker_files": [[r["file"], r["status"]] for r in results if r["status"] in (200, 415, 422)],
    }
    fmt = lambda v: "-" if v is None else f"{v:.2f} s"
    print(f"{args.label}: {len(results)} requests from {args.clients} clients in {wall:.1f} s: "
          f"{len(ok)} analyses ({summary['ok_per_s']:.3f}/s), {summary['requests_per_s']:.2f} requests/s")
    print(f"  workers busy {busy * 100:.0f}% of the round; machine load average {summary['load_average']:.1f}")
    print(f"  latency of 200s: p50 {fmt(summary['latency_ok_s']['p50'])}, p99 {fmt(summary['latency_ok_s']['p99'])}; "
          f"of all: p50 {fmt(summary['latency_all_s']['p50'])}, p99 {fmt(summary['latency_all_s']['p99'])}")
    print("  by status: " + ", ".join(f"{k}: {v}" for k, v in summary["by_status"].items()))
    print("  rejects by reason (error code): " + ", ".join(f"{k}: {v}" for k, v in summary["by_code"].items()))
    print("  /metrics (totals since the service started):")
    for line in reject_lines:
        print("    " + line)
    for r in problems[:10]:
        print(f"  PROBLEM: {r['kind']} {os.path.basename(r['file'] or '-')}: {r['problem']}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(summary, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
