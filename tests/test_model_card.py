"""The disease model's card states the validation figures its training run recorded
(models/disease_ranker.metrics.json), rounded to three places."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

MODELS = Path(__file__).resolve().parents[1] / "models"
COLUMNS = ("recall@1", "recall@3", "recall@10", "mrr")


def _card_rows() -> dict[str, list[str]]:
    rows = {}
    for line in (MODELS / "disease_ranker.md").read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("|") and len(cells) == 5:
            rows.setdefault(cells[0], cells[1:])  # the first table that names the row: the validation summary
    return rows


@pytest.mark.parametrize(
    ("row", "path"),
    [
        ("RareTrace diseases", ("validation", "disease")),
        ("RareTrace genes (1,647 cases naming a causal gene)", ("validation", "gene")),
        ("likelihood ratio only (lr_sum), diseases", ("baselines", "lr_sum", "disease")),
        ("Resnik best-match only, diseases", ("baselines", "resnik_mean", "disease")),
    ],
)
def test_the_model_card_validation_table_matches_the_recorded_metrics(row: str, path: tuple[str, ...]) -> None:
    metrics = json.loads((MODELS / "disease_ranker.metrics.json").read_text(encoding="utf-8"))
    for key in path:
        metrics = metrics[key]
    assert _card_rows()[row] == [f"{metrics[c]:.3f}" for c in COLUMNS]


def test_the_cuda_check_the_card_says_to_rerun_can_be_run(tmp_path, engine) -> None:
    # The card and the README say to rerun checks/gpu_check.py on a GPU to refresh checks/cuda_h200.json, but the
    # script read a features.npz that nothing wrote and a disease_ranker.onnx beside itself that is not there:
    # it could not be rerun. Its first step now writes the held-out cases' features; its second runs the shipped
    # model on them (the CUDA half needs a GPU; here the model is run on the CPU).
    import importlib.util

    import numpy as np
    import onnxruntime as ort

    spec = importlib.util.spec_from_file_location("gpu_check", MODELS / "checks" / "gpu_check.py")
    gpu_check = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gpu_check)
    assert Path(gpu_check.MODEL) == MODELS / "disease_ranker.onnx"
    shape = gpu_check.write_features(str(engine.kb_path), 2, str(tmp_path / "features.npz"))
    features = np.load(tmp_path / "features.npz")["features"]
    session = ort.InferenceSession(gpu_check.MODEL, providers=["CPUExecutionProvider"])
    (declared,) = session.get_inputs()
    assert features.shape == shape and features.shape[:2] == (2, declared.shape[1]) and features.dtype == np.float32
    logits, posterior = session.run(None, {"features": features})
    assert logits.shape == (2, features.shape[2]) and np.allclose(posterior.sum(axis=1), 1, atol=1e-4)
