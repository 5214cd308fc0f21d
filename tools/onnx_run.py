#!/usr/bin/env python3
"""Checks an exported biomech model with onnx's checker and runs it in onnxruntime (CPU).

    onnx_run.py MODEL [--input X.npy --out DIR] [--threads N]

Prints one JSON object: the checker's verdict, opset, IR version, inputs, outputs and metadata.
With --input, runs x through the model and writes each output to DIR/<name>.npy (float32).
Exit 1 when the checker refuses the model; 2 on bad usage. Needs .onnx/venv (make setup).
"""
import argparse
import json
import os
import sys

import numpy as np
import onnx
import onnxruntime as ort


def dims(value):
    return [d.dim_param or d.dim_value for d in value.type.tensor_type.shape.dim]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model")
    parser.add_argument("--input", help="x as a float32 .npy file")
    parser.add_argument("--out", help="folder for the outputs' .npy files")
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    if bool(args.input) != bool(args.out):
        parser.error("--input and --out go together")

    model = onnx.load(args.model)
    try:
        onnx.checker.check_model(model, full_check=True)
    except onnx.checker.ValidationError as error:
        print(json.dumps({"checker": "failed", "error": str(error)}))
        return 1
    info = {
        "checker": "passed",
        "ir_version": model.ir_version,
        "opset": [o.version for o in model.opset_import if o.domain in ("", "ai.onnx")][0],
        "producer": f"{model.producer_name} {model.producer_version}",
        "inputs": {i.name: dims(i) for i in model.graph.input},
        "outputs": {o.name: dims(o) for o in model.graph.output},
        "metadata": {p.key: p.value for p in model.metadata_props},
        "nodes": len(model.graph.node),
    }
    if args.input:
        options = ort.SessionOptions()
        options.intra_op_num_threads = args.threads
        options.inter_op_num_threads = 1
        session = ort.InferenceSession(args.model, options, providers=["CPUExecutionProvider"])
        x = np.load(args.input)
        outputs = session.run(None, {"x": x})
        os.makedirs(args.out, exist_ok=True)
        for value, array in zip(session.get_outputs(), outputs):
            np.save(os.path.join(args.out, value.name + ".npy"), np.ascontiguousarray(array, dtype=np.float32))
        info["ran"] = {value.name: list(array.shape) for value, array in zip(session.get_outputs(), outputs)}
    print(json.dumps(info, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
