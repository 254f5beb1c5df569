"""Export the disease-scoring model to ONNX (graph built with onnx.helper: small, deterministic, no exporter).

Inputs: "features" float32 [batch, diseases, F] in the order of raretrace.ranking.FEATURES.
Outputs: "logits" [batch, diseases] and "posterior" (softmax over diseases) [batch, diseases].

    z = (features - mean) / scale
    logits = z @ w_linear + tanh(z @ W1 + b1) @ w2 + b2

A linear model with an optional small tanh correction (zero when trained with --hidden 0). Conflicting evidence
(excluded features the disease has, NOT annotations, sex) enters only through the linear part, with weights
constrained in sign, so an excluded feature can only lower a disease (its input rows are zero in W1).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def export_scorer(path: Path, features: list[str], mean: np.ndarray, scale: np.ndarray, w1: np.ndarray,
                  b1: np.ndarray, w2: np.ndarray, b2: float, w_linear: np.ndarray, info: dict) -> None:
    """Write the ONNX graph. It takes features feature-major, [batch, F, diseases], the layout the ranker
    computes them in, so no transposed copy is made on the hot path."""
    f = len(features)
    arrays = {
        "mean": np.asarray(mean, dtype=np.float32).reshape(f, 1),
        "scale": np.asarray(scale, dtype=np.float32).reshape(f, 1),
        "W1T": np.asarray(w1, dtype=np.float32).reshape(f, -1).T.copy(),
        "b1": np.asarray(b1, dtype=np.float32).reshape(-1, 1),
        "w2T": np.asarray(w2, dtype=np.float32).reshape(1, -1),
        "b2": np.array([np.ravel(b2)[0]], dtype=np.float32),
        "w_linearT": np.asarray(w_linear, dtype=np.float32).reshape(1, f),
        "one_axis": np.array([1], dtype=np.int64),
    }
    inits = [numpy_helper.from_array(v, k) for k, v in arrays.items()]
    nodes = [
        helper.make_node("Sub", ["features", "mean"], ["centred"]),
        helper.make_node("Div", ["centred", "scale"], ["z"]),
        helper.make_node("MatMul", ["W1T", "z"], ["h_linear"]),
        helper.make_node("Add", ["h_linear", "b1"], ["h_pre"]),
        helper.make_node("Tanh", ["h_pre"], ["h"]),
        helper.make_node("MatMul", ["w2T", "h"], ["support"]),
        helper.make_node("MatMul", ["w_linearT", "z"], ["linear_part"]),
        helper.make_node("Add", ["support", "linear_part"], ["summed"]),
        helper.make_node("Squeeze", ["summed", "one_axis"], ["unbiased"]),
        helper.make_node("Add", ["unbiased", "b2"], ["logits"]),
        helper.make_node("Softmax", ["logits"], ["posterior"], axis=-1),
    ]
    graph = helper.make_graph(
        nodes, "raretrace_disease_ranker",
        [helper.make_tensor_value_info("features", TensorProto.FLOAT, ["batch", f, "diseases"])],
        [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["batch", "diseases"]),
         helper.make_tensor_value_info("posterior", TensorProto.FLOAT, ["batch", "diseases"])],
        inits,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], producer_name="raretrace")
    model.ir_version = 8
    helper.set_model_props(model, {"features": json.dumps(list(features)),
                                   "baseline": json.dumps([float(x) for x in arrays["mean"].ravel()]),
                                   "training": json.dumps(info)})
    onnx.checker.check_model(model)
    path.parent.mkdir(parents=True, exist_ok=True)
    onnx.save(model, str(path))


def parameters(path: Path) -> dict[str, np.ndarray]:
    """The model's weights read back from the ONNX file, in the orientation reference_logits uses."""
    raw = {i.name: numpy_helper.to_array(i) for i in onnx.load(str(path)).graph.initializer}
    return {"mean": raw["mean"].ravel(), "scale": raw["scale"].ravel(), "W1": raw["W1T"].T, "b1": raw["b1"].ravel(),
            "w2": raw["w2T"].ravel(), "b2": raw["b2"], "w_linear": raw["w_linearT"].ravel()}


def reference_logits(features: np.ndarray, params: dict[str, np.ndarray]) -> np.ndarray:
    """The same computation in numpy on a diseases x F matrix (tests compare the ONNX output with it)."""
    z = (features - params["mean"]) / params["scale"]
    support = np.tanh(z @ params["W1"] + params["b1"]) @ params["w2"].reshape(-1, 1)
    return (support + z @ params["w_linear"].reshape(-1, 1))[..., 0] + float(np.ravel(params["b2"])[0])
