"""CUDA vs CPU check of the real disease ranker on real feature matrices (numpy + onnxruntime only).

Run on a GPU machine next to `disease_ranker.onnx` and `features.npz` (feature-major matrices of held-out cases,
written by the ranker); prints and writes gpu_check.json: both timings, the ratio and whether rankings agree.
"""

import json
import os
import time

import numpy as np

# (before onnxruntime loads: its Linux wheels carry Microsoft's telemetry client; see raretrace/__init__.py)
os.environ["ORT_DISABLE_TELEMETRY"] = "1"
import onnxruntime as ort  # noqa: E402


def median_ms(session, features: np.ndarray, repeats: int) -> float:
    session.run(None, {"features": features})  # warm-up
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        session.run(None, {"features": features})
        times.append(time.perf_counter() - start)
    return float(np.median(times)) * 1000


def top10(scores: np.ndarray) -> np.ndarray:
    return np.lexsort((np.arange(scores.shape[-1]), -scores))[:10]


def main() -> None:
    here = os.path.dirname(os.path.abspath(__file__))
    ort.preload_dlls()
    features = np.load(os.path.join(here, "features.npz"))["features"]
    model = os.path.join(here, "disease_ranker.onnx")
    n = features.shape[0]
    res = {"onnxruntime": ort.__version__, "available": ort.get_available_providers(), "cases": int(n),
           "diseases": int(features.shape[2])}
    outputs = {}
    for name, providers in (("cpu", ["CPUExecutionProvider"]),
                            ("cuda", ["CUDAExecutionProvider", "CPUExecutionProvider"])):
        session = ort.InferenceSession(model, providers=providers)
        res[f"{name}_providers"] = session.get_providers()
        outputs[name] = session.run(None, {"features": features})
        res[f"{name}_ms_per_batch_of_{n}"] = round(median_ms(session, features, 20), 3)
        res[f"{name}_ms_per_case"] = round(res[f"{name}_ms_per_batch_of_{n}"] / n, 4)
        res[f"{name}_ms_single_case"] = round(median_ms(session, features[:1].copy(), 50), 4)
    (lc, pc), (lg, pg) = outputs["cpu"], outputs["cuda"]
    res["max_abs_logit_diff"] = float(np.abs(lc - lg).max())
    res["max_abs_posterior_diff"] = float(np.abs(pc - pg).max())
    res["identical_top10"] = int(sum(np.array_equal(top10(lc[i]), top10(lg[i])) for i in range(n)))
    res["identical_top1"] = int(sum(int(np.argmax(lc[i])) == int(np.argmax(lg[i])) for i in range(n)))
    res["cpu_over_cuda_batch"] = round(res[f"cpu_ms_per_batch_of_{n}"] / res[f"cuda_ms_per_batch_of_{n}"], 2)
    print(json.dumps(res, indent=1))
    with open(os.path.join(os.environ.get("OUT", here), "gpu_check.json"), "w") as handle:
        json.dump(res, handle, indent=1)


if __name__ == "__main__":
    main()
