#!/usr/bin/env python3
"""An exported biomech model in onnxruntime: INT8 quantization, the four metrics on a split, latency.

    onnx_evaluate.py quantize FLOAT.onnx INT8.onnx
    onnx_evaluate.py evaluate MODEL.onnx SPLIT_FOLDER [--json OUT] [--batch 64]
    onnx_evaluate.py latency MODEL.onnx [--seconds 5] [--threads 1] [--json OUT]
    onnx_evaluate.py table FOLDER SPLIT...

`evaluate` computes what `biomech-train evaluate` does (docs/TRAINING.md, "Metrics"): form MAE and
risk MAE in points, angle MAE in degrees over every known angle, exercise accuracy (argmax, first
index on ties), each over the windows whose label is known. Shards are read as docs/SHARDS.md
specifies them. Exit 1 when the work fails, 2 on bad usage or a model and split that do not fit.
Needs .onnx/venv (make setup).
"""
import argparse
import json
import os
import sys
import tempfile
import time

import numpy as np
import onnx
import onnxruntime as ort


def fail(message, code=1):
    print(f"onnx_evaluate: {message}", file=sys.stderr)
    sys.exit(code)


def session(path, threads=1):
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    return ort.InferenceSession(path, options, providers=["CPUExecutionProvider"])


def metadata(path):
    return {p.key: p.value for p in onnx.load(path, load_external_data=False).metadata_props}


def write_json(value, path):
    """Writes atomically: a temporary file beside the target, then a rename."""
    folder = os.path.dirname(os.path.abspath(path))
    with tempfile.NamedTemporaryFile("w", dir=folder, delete=False, suffix=".tmp") as f:
        json.dump(value, f, indent=2, sort_keys=True)
        f.write("\n")
    os.replace(f.name, path)


def quantize(args):
    import logging

    from onnxruntime.quantization import QuantType, quantize_dynamic

    # Its advice to pre-process first (symbolic shape inference, which needs sympy) does not apply:
    # every shape in the exported graph is static but the batch.
    logging.getLogger().setLevel(logging.ERROR)
    # onnxruntime's own dynamic quantization: int8 weights, activations quantized per batch at run
    # time; MatMul, Gemm and LSTM become their integer forms.
    out = args.int8 + ".tmp"
    quantize_dynamic(args.model, out, weight_type=QuantType.QInt8)
    os.replace(out, args.int8)
    print(f"wrote {args.int8}: {os.path.getsize(args.int8)} bytes (float {os.path.getsize(args.model)} bytes)")


def read_split(folder):
    """The split's arrays, concatenated over its shards, after checking index.json's promises."""
    index_path = os.path.join(folder, "index.json")
    try:
        with open(index_path) as f:
            index = json.load(f)
    except (OSError, ValueError) as error:
        fail(f"{index_path}: cannot read: {error}", 2)
    if index.get("format") != "biomech-shards" or index.get("version") != 1:
        fail(f"{index_path}: not a biomech-shards index of version 1", 2)
    arrays = {name: [] for name in ("x", "form", "angles", "exercise", "risk")}
    for shard in index["shards"]:
        for file in shard["files"]:
            if file["array"] in arrays:
                path = os.path.join(folder, file["name"])
                array = np.load(path)
                if list(array.shape) != file["shape"]:
                    fail(f"{path}: shape {list(array.shape)}, index.json says {file['shape']}")
                arrays[file["array"]].append(array)
    if not arrays["x"]:
        fail(f"{folder}: the split has no windows", 2)
    return index, {name: np.concatenate(parts) for name, parts in arrays.items()}


def evaluate(args):
    info = metadata(args.model)
    index, data = read_split(args.shards)
    names = json.loads(info.get("biomech.class_names", "[]"))
    if names != index["exercises"]:
        fail(f"{args.shards}/index.json: classes {index['exercises']}, but {args.model} has {names}", 2)
    if info.get("biomech.normalize_in_graph") == "true":
        fail(f"{args.model} normalizes its input, but shard windows are normalized already: export without --normalize-in-graph", 2)
    if int(info.get("biomech.window", "0")) != index["window"]:
        fail(f"{args.shards}: {index['window']}-frame windows, {args.model} takes {info.get('biomech.window')}", 2)
    run = session(args.model, args.threads)
    fixed = run.get_inputs()[0].shape[0]
    batch = fixed if isinstance(fixed, int) else args.batch
    x = data["x"]
    out = {name: [] for name in ("form", "angles", "exercise_logits", "risk")}
    for start in range(0, len(x), batch):
        chunk = x[start:start + batch]
        pad = batch - len(chunk) if isinstance(fixed, int) else 0
        if pad:
            chunk = np.concatenate([chunk, np.zeros((pad,) + chunk.shape[1:], np.float32)])
        results = dict(zip([o.name for o in run.get_outputs()], run.run(None, {"x": chunk})))
        for name in out:
            out[name].append(results[name][:len(chunk) - pad])
    pred = {name: np.concatenate(parts).astype(np.float64) for name, parts in out.items()}
    form, angles, risk = (data[k].astype(np.float64) for k in ("form", "angles", "risk"))
    exercise = data["exercise"]

    def mae(p, label):
        known = ~np.isnan(label)
        return (float(np.abs(p[known] - label[known]).mean()) if known.any() else None), int(known.sum())

    form_mae, form_n = mae(pred["form"], form)
    angle_mae, angle_n = mae(pred["angles"], angles)
    risk_mae, risk_n = mae(pred["risk"], risk)
    known = exercise >= 0
    predicted = np.argmax(pred["exercise_logits"], axis=1)   # first index on ties, like the Swift evaluator
    accuracy = float((predicted[known] == exercise[known]).mean()) if known.any() else None
    metrics = {
        "model": args.model, "shards": args.shards, "windows": int(len(x)),
        "form_mae": form_mae, "angle_mae_deg": angle_mae, "exercise_accuracy": accuracy, "risk_mae": risk_mae,
        # Windows with a known label per head (angles: windows with at least one known angle), as biomech-train evaluate counts them.
        "counts": {"form": form_n, "angles": int((~np.isnan(angles)).any(axis=1).sum()), "exercise": int(known.sum()), "risk": risk_n},
        "angle_values": angle_n,
    }
    if args.json:
        write_json(metrics, args.json)
    print(json.dumps(metrics, sort_keys=True))


def latency(args):
    run = session(args.model, args.threads)
    shape = run.get_inputs()[0].shape
    x = np.random.default_rng(0).standard_normal((1,) + tuple(shape[1:])).astype(np.float32)
    for _ in range(10):
        run.run(None, {"x": x})
    times = []
    deadline = time.perf_counter() + args.seconds
    while time.perf_counter() < deadline or len(times) < 20:
        start = time.perf_counter()
        run.run(None, {"x": x})
        times.append(time.perf_counter() - start)
    result = {"model": args.model, "threads": args.threads, "runs": len(times), "bytes": os.path.getsize(args.model),
              "median_ms": 1000 * float(np.median(times)), "p90_ms": 1000 * float(np.percentile(times, 90))}
    if args.json:
        write_json(result, args.json)
    print(json.dumps(result, sort_keys=True))


def table(args):
    """The float-against-INT8 comparison as Markdown (FOLDER/summary.md) and JSON (FOLDER/summary.json)."""
    def load(name):
        path = os.path.join(args.folder, name)
        try:
            with open(path) as f:
                return json.load(f)
        except (OSError, ValueError) as error:
            fail(f"{path}: cannot read: {error}")

    def figure(value, percent=False):
        if value is None:
            return "n/a"
        return f"{100 * value:.1f}%" if percent else f"{value:.2f}"

    summary = {"splits": {}, "models": {}}
    lines = ["| split | model | windows | form MAE (points) | angle MAE (degrees) | exercise accuracy | risk MAE (points) |",
             "|---|---|---|---|---|---|---|"]
    for split in args.splits:
        rows = [("biomech-train evaluate (Swift, float32)", "swift"), ("onnxruntime, float32", "float"), ("onnxruntime, INT8", "int8")]
        summary["splits"][split] = {}
        for label, key in rows:
            m = load(f"{split}.{key}.json")
            summary["splits"][split][key] = {k: m.get(k) for k in ("windows", "form_mae", "angle_mae_deg", "exercise_accuracy", "risk_mae")}
            lines.append(f"| {split} | {label} | {m['windows']} | {figure(m.get('form_mae'))} | {figure(m.get('angle_mae_deg'))} | "
                         f"{figure(m.get('exercise_accuracy'), True)} | {figure(m.get('risk_mae'))} |")
    lines += ["", "| model | file size | latency per window, 1 thread, batch 1 (median) | p90 | runs |", "|---|---|---|---|---|"]
    for key, label in (("float", "float32"), ("int8", "INT8 (quantize_dynamic)")):
        lat = load(f"latency.{key}.json")
        summary["models"][key] = lat
        lines.append(f"| {label} | {lat['bytes'] / 1e6:.2f} MB | {lat['median_ms']:.2f} ms | {lat['p90_ms']:.2f} ms | {lat['runs']} |")
    f, q = summary["models"]["float"], summary["models"]["int8"]
    lines.append("")
    lines.append(f"INT8 is {f['bytes'] / q['bytes']:.2f}x smaller and {f['median_ms'] / q['median_ms']:.2f}x faster per window.")
    text = "\n".join(lines) + "\n"
    with open(os.path.join(args.folder, "summary.md.tmp"), "w") as out:
        out.write(text)
    os.replace(os.path.join(args.folder, "summary.md.tmp"), os.path.join(args.folder, "summary.md"))
    write_json(summary, os.path.join(args.folder, "summary.json"))
    print(text, end="")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    q = commands.add_parser("quantize", help="onnxruntime's quantize_dynamic: float model -> INT8 model")
    q.add_argument("model")
    q.add_argument("int8")
    e = commands.add_parser("evaluate", help="the four metrics on one split folder")
    e.add_argument("model")
    e.add_argument("shards")
    e.add_argument("--json")
    e.add_argument("--batch", type=int, default=64)
    e.add_argument("--threads", type=int, default=1)
    lat = commands.add_parser("latency", help="milliseconds per window at batch 1")
    lat.add_argument("model")
    lat.add_argument("--seconds", type=float, default=5)
    lat.add_argument("--threads", type=int, default=1)
    lat.add_argument("--json")
    t = commands.add_parser("table", help="the comparison of the files the other commands wrote into FOLDER")
    t.add_argument("folder")
    t.add_argument("splits", nargs="+")
    args = parser.parse_args()
    if args.command != "table" and not os.path.isfile(args.model):
        fail(f"{args.model}: no such file", 2)
    {"quantize": quantize, "evaluate": evaluate, "latency": latency, "table": table}[args.command](args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
