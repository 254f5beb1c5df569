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
