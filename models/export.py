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
    f = len(features)
    arrays = {
        "mean": np.asarray(mean, dtype=np.float32).reshape(f),
        "scale": np.asarray(scale, dtype=np.float32).reshape(f),
        "W1": np.asarray(w1, dtype=np.float32).reshape(f, -1),
        "b1": np.asarray(b1, dtype=np.float32).ravel(),
        "w2": np.asarray(w2, dtype=np.float32).reshape(-1, 1),
        "b2": np.array([b2], dtype=np.float32),
        "w_linear": np.asarray(w_linear, dtype=np.float32).reshape(f, 1),
        "last_axis": np.array([-1], dtype=np.int64),
    }
    inits = [numpy_helper.from_array(v, k) for k, v in arrays.items()]
    nodes = [
        helper.make_node("Sub", ["features", "mean"], ["centred"]),
        helper.make_node("Div", ["centred", "scale"], ["z"]),
        helper.make_node("MatMul", ["z", "W1"], ["h_linear"]),
        helper.make_node("Add", ["h_linear", "b1"], ["h_pre"]),
        helper.make_node("Tanh", ["h_pre"], ["h"]),
        helper.make_node("MatMul", ["h", "w2"], ["support"]),
        helper.make_node("MatMul", ["z", "w_linear"], ["linear_part"]),
        helper.make_node("Add", ["support", "linear_part"], ["summed"]),
        helper.make_node("Squeeze", ["summed", "last_axis"], ["unbiased"]),
        helper.make_node("Add", ["unbiased", "b2"], ["logits"]),
        helper.make_node("Softmax", ["logits"], ["posterior"], axis=-1),
    ]
    graph = helper.make_graph(
        nodes, "raretrace_disease_ranker",
        [helper.make_tensor_value_info("features", TensorProto.FLOAT, ["batch", "diseases", f])],
        [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["batch", "diseases"]),
         helper.make_tensor_value_info("posterior", TensorProto.FLOAT, ["batch", "diseases"])],
        inits,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], producer_name="raretrace")
    model.ir_version = 8
    helper.set_model_props(model, {"features": json.dumps(list(features)),
                                   "baseline": json.dumps([float(x) for x in arrays["mean"]]),
                                   "training": json.dumps(info)})
    onnx.checker.check_model(model)
    path.parent.mkdir(parents=True, exist_ok=True)
    onnx.save(model, str(path))


def reference_logits(features: np.ndarray, params: dict[str, np.ndarray]) -> np.ndarray:
    """The same computation in numpy (tests compare the ONNX output with it)."""
    z = (features - params["mean"]) / params["scale"]
    support = np.tanh(z @ params["W1"] + params["b1"]) @ params["w2"].reshape(-1, 1)
    return (support + z @ params["w_linear"].reshape(-1, 1))[..., 0] + float(np.ravel(params["b2"])[0])
