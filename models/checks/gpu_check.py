"""CUDA vs CPU check of the real disease ranker on real feature matrices.

Two steps, as the GPU machine may have no knowledge base (and needs only numpy and onnxruntime-gpu there):

    python models/checks/gpu_check.py --write-features [--kb KB] [--cases 32]   # here: features.npz
    python models/checks/gpu_check.py                                          # on the GPU machine

The first writes `features.npz` beside this script: the feature-major matrices ([cases, features, diseases]) of
held-out published cases (fold 0, their publications left out of the case library, as `raretrace bench` ranks
them). The second runs `models/disease_ranker.onnx` on them with the CPU and the CUDA provider and prints and
writes gpu_check.json (to $OUT, else beside this script; kept as `cuda_h200.json` for the record): both timings,
the ratio and whether the rankings agree. It stops with an error when onnxruntime cannot use CUDA.
"""

import argparse
import json
import os
import sys
import time

import numpy as np

# (before onnxruntime loads: its Linux wheels carry Microsoft's telemetry client; see raretrace/__init__.py)
os.environ["ORT_DISABLE_TELEMETRY"] = "1"
import onnxruntime as ort  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
FEATURES = os.path.join(HERE, "features.npz")
MODEL = os.path.join(os.path.dirname(HERE), "disease_ranker.onnx")


def write_features(kb: str | None, cases: int, path: str = FEATURES) -> tuple[int, ...]:
    """The feature matrices of `cases` held-out published cases, as the ranker computes them for the model."""
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(HERE)), "app"))  # a source checkout
    from raretrace.bench.accuracy import library_case_to_input, pmid_fold
    from raretrace.bench.runner import HELD_OUT_FOLD, spread
    from raretrace.engine import Engine
    from raretrace.library import load_library
    from raretrace.ranking import Ranker

    engine = Engine(kb, device="cpu")
    library = load_library(engine.db)
    fold = [c for c in library if pmid_fold(c.pmid) == HELD_OUT_FOLD]
    ranker = Ranker(engine.db, engine.ontology, device="cpu", library=library,
                    exclude_pmids=frozenset(c.pmid for c in fold))  # fmt: skip
    chosen = [case for case, _ in spread([library_case_to_input(c) for c in fold], cases)]
    matrices = np.stack([ranker.features(ranker.patient(case)).values.T for case in chosen]).astype(np.float32)
    np.savez_compressed(path, features=matrices)
    return matrices.shape


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


def check() -> None:
    if not os.path.isfile(FEATURES):
        sys.exit(f"error: no {FEATURES}; write it first with `gpu_check.py --write-features` where a KB is")
    ort.preload_dlls()
    features = np.load(FEATURES)["features"]
    n = features.shape[0]
    res = {"onnxruntime": ort.__version__, "available": ort.get_available_providers(), "cases": int(n),
           "diseases": int(features.shape[2])}
    outputs = {}
    for name, providers in (("cpu", ["CPUExecutionProvider"]),
                            ("cuda", ["CUDAExecutionProvider", "CPUExecutionProvider"])):
        session = ort.InferenceSession(MODEL, providers=providers)
        res[f"{name}_providers"] = session.get_providers()
        if name == "cuda" and "CUDAExecutionProvider" not in res["cuda_providers"]:
            sys.exit("error: onnxruntime cannot use CUDA here (providers: "
                     f"{', '.join(res['available'])}); run this step on an NVIDIA GPU with onnxruntime-gpu")
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
    with open(os.path.join(os.environ.get("OUT", HERE), "gpu_check.json"), "w") as handle:
        json.dump(res, handle, indent=1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--write-features", action="store_true", help="write features.npz (needs a KB), then stop")
    parser.add_argument("--kb", help="knowledge base (default: $RARETRACE_KB or the user data directory)")
    parser.add_argument("--cases", type=int, default=32, help="held-out cases (default 32)")
    args = parser.parse_args()
    if args.write_features:
        print(f"{FEATURES}: {write_features(args.kb, args.cases)}")
    else:
        check()


if __name__ == "__main__":
    main()
