"""Writes the small hand-built model folders that the serving tests of `functions` load.

    /usr/bin/python3 models/training/test_models.py [--out functions/src/test/resources/models]

Each graph is a handful of ONNX operators with fixed weights, built with onnx.helper, so the files
are a few hundred bytes, the outputs are known in advance, and no torch is needed (Debian's
python3-onnx and python3-numpy are enough). All read a window of 3 bars of 2 features
(log_return, range) and predict horizon steps 1 and 2:

  quantile/          output [batch, 2, 3]: quantiles 0.1, 0.5, 0.9 per step; for a zero window the
                     median is 0.001 (step 1) and 0.002 (step 2), the outer quantiles lie 0.01 and
                     0.02 below and above it
  wrong-input/       a valid model whose input is fixed at 5 bars while its model.json says 3
  dynamic-sequence/  a valid model whose input leaves the window length dynamic ([batch, time, 2])
  double-input/      a valid model that reads doubles instead of floats
  non-finite/        a valid model whose every output is NaN
  biased/            a valid model that always forecasts the price 2% up a bar ahead and 3% up two
                     bars ahead (plus a little of the window's mean): every forecast drifts from
                     the actual bars, so validation asks for repredictions

A corrupt model.onnx is not here: tests write garbage bytes themselves.
"""

import argparse
import json
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OPSET = 17
INPUT_NAME = "window"
OUTPUT_NAME = "log_returns"
SEQUENCE_LENGTH = 3
FEATURES = ["log_return", "range"]
HORIZON_STEPS = [1, 2]
QUANTILES = [0.1, 0.5, 0.9]
# The median for a zero window, per step, and how far the outer quantiles lie from it.
BIAS = [0.001, 0.002]
SPREAD = [0.01, 0.02]
# How much the window's mean moves every output, so different windows forecast differently.
SLOPE = [0.5, 1.0]


def constant(name, values):
    return numpy_helper.from_array(np.array(values, dtype=np.float32), name)


def model(
    out_dir,
    version,
    description,
    sequence=SEQUENCE_LENGTH,
    input_type=TensorProto.FLOAT,
    quantiles=False,
    bias=BIAS,
):
    """Writes out_dir/model.onnx and out_dir/model.json; the spec always says a window of 3."""
    steps = len(HORIZON_STEPS)
    # mean over bars and features: [batch, 1, 1]
    nodes = [helper.make_node("ReduceMean", [INPUT_NAME], ["mean"], axes=[1, 2], keepdims=1)]
    if input_type != TensorProto.FLOAT:
        nodes.append(helper.make_node("Cast", ["mean"], ["mean_float"], to=TensorProto.FLOAT))
        mean = "mean_float"
    else:
        mean = "mean"
    if quantiles:
        # center [batch, steps, 1] + offsets [1, steps, 3] -> [batch, steps, 3], step-major
        initializers = [
            constant("slope", np.reshape(SLOPE, (1, steps, 1))),
            constant("bias", np.reshape(bias, (1, steps, 1))),
            constant("offsets", [[[-s, 0.0, s] for s in SPREAD]]),
        ]
        nodes += [
            helper.make_node("Mul", [mean, "slope"], ["scaled"]),
            helper.make_node("Add", ["scaled", "bias"], ["center"]),
            helper.make_node("Add", ["center", "offsets"], [OUTPUT_NAME]),
        ]
        output_shape = ["batch", steps, len(QUANTILES)]
    else:
        # [batch, 1, 1] -> [batch, 1]; * slope [1, steps] + bias [1, steps] -> [batch, steps]
        initializers = [
            numpy_helper.from_array(np.array([-1, 1], dtype=np.int64), "flat"),
            constant("slope", [SLOPE]),
            constant("bias", [bias]),
        ]
        nodes += [
            helper.make_node("Reshape", [mean, "flat"], ["mean_2d"]),
            helper.make_node("Mul", ["mean_2d", "slope"], ["scaled"]),
            helper.make_node("Add", ["scaled", "bias"], [OUTPUT_NAME]),
        ]
        output_shape = ["batch", steps]
    graph = helper.make_graph(
        nodes,
        os.path.basename(out_dir.rstrip("/")),
        [helper.make_tensor_value_info(INPUT_NAME, input_type, ["batch", sequence, len(FEATURES)])],
        [helper.make_tensor_value_info(OUTPUT_NAME, TensorProto.FLOAT, output_shape)],
        initializers,
    )
    onnx_model = helper.make_model(
        graph,
        opset_imports=[helper.make_opsetid("", OPSET)],
        producer_name="barcast models/training/test_models.py",
    )
    onnx.checker.check_model(onnx_model, full_check=True)
    os.makedirs(out_dir, exist_ok=True)
    onnx.save(onnx_model, os.path.join(out_dir, "model.onnx"))

    output = {
        "name": OUTPUT_NAME,
        "kind": "direct",
        "target": "cumulative_log_return",
        "horizon_steps": HORIZON_STEPS,
    }
    if quantiles:
        output["quantiles"] = QUANTILES
    spec = {
        "name": "test-" + os.path.basename(out_dir.rstrip("/")),
        "version": version,
        "interval": "PT15M",
        "calendars": ["XNYS", "24x7"],
        "input": {
            "name": INPUT_NAME,
            "sequence_length": SEQUENCE_LENGTH,
            "features": FEATURES,
            "scaler": {
                "kind": "standard",
                "mean": [0.0] * len(FEATURES),
                "scale": [1.0] * len(FEATURES),
            },
        },
        "output": output,
        "training": {
            "description": description + "; hand-built for tests, its forecasts mean nothing",
            "command": "models/training/test_models.py",
        },
    }
    with open(os.path.join(out_dir, "model.json"), "w") as f:
        json.dump(spec, f, indent=2)
        f.write("\n")
    print(f"wrote {out_dir}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="functions/src/test/resources/models")
    args = parser.parse_args()
    out = args.out

    model(f"{out}/quantile", "1", "quantiles 0.1/0.5/0.9 around a median", quantiles=True)
    model(f"{out}/wrong-input", "1", "input fixed at 5 bars, model.json says 3", sequence=5)
    model(f"{out}/dynamic-sequence", "1", "window length left dynamic", sequence="time")
    model(f"{out}/double-input", "1", "reads doubles", input_type=TensorProto.DOUBLE)
    model(f"{out}/non-finite", "1", "every output NaN", bias=[float("nan")] * len(BIAS))
    model(f"{out}/biased", "1", "always 2% and 3% up", bias=[0.02, 0.03])


if __name__ == "__main__":
    main()
