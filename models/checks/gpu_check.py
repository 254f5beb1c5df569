"""CUDA vs CPU check of the real disease ranker on real feature matrices (numpy + onnxruntime only)."""
import json, os, sys, time
import numpy as np
import onnxruntime as ort

here = os.path.dirname(os.path.abspath(__file__))
out_dir = os.environ.get("OUT", here)
ort.preload_dlls()
X = np.load(os.path.join(here, "features.npz"))["features"]
model = os.path.join(here, "disease_ranker.onnx")
res = {"onnxruntime": ort.__version__, "available": ort.get_available_providers(), "cases": int(X.shape[0]),
       "diseases": int(X.shape[2])}
sessions = {}
for name, prov in (("cpu", ["CPUExecutionProvider"]), ("cuda", ["CUDAExecutionProvider", "CPUExecutionProvider"])):
    s = ort.InferenceSession(model, providers=prov)
    sessions[name] = s
    res[f"{name}_providers"] = s.get_providers()
outs = {}
for name, s in sessions.items():
    s.run(None, {"features": X})  # warm-up
    times = []
    for _ in range(20):
        t = time.perf_counter(); lg, post = s.run(None, {"features": X}); times.append(time.perf_counter() - t)
    outs[name] = (lg, post)
    res[f"{name}_ms_per_batch_of_{X.shape[0]}"] = round(float(np.median(times)) * 1000, 3)
    res[f"{name}_ms_per_case"] = round(float(np.median(times)) * 1000 / X.shape[0], 4)
    # single-case latency
    one = X[:1].copy(); s.run(None, {"features": one})
    t1 = []
    for _ in range(50):
        t = time.perf_counter(); s.run(None, {"features": one}); t1.append(time.perf_counter() - t)
    res[f"{name}_ms_single_case"] = round(float(np.median(t1)) * 1000, 4)
lc, pc = outs["cpu"]; lg, pg = outs["cuda"]
res["max_abs_logit_diff"] = float(np.abs(lc - lg).max())
res["max_abs_posterior_diff"] = float(np.abs(pc - pg).max())
top = lambda a: np.lexsort((np.arange(a.shape[-1]), -a))[:10]
res["identical_top10"] = int(sum(np.array_equal(top(lc[i]), top(lg[i])) for i in range(len(lc))))
res["identical_top1"] = int(sum(int(np.argmax(lc[i])) == int(np.argmax(lg[i])) for i in range(len(lc))))
res["cpu_over_cuda_batch"] = round(res[f"cpu_ms_per_batch_of_{X.shape[0]}"] / res[f"cuda_ms_per_batch_of_{X.shape[0]}"], 2)
print(json.dumps(res, indent=1))
with open(os.path.join(out_dir, "gpu_check.json"), "w") as f:
    json.dump(res, f, indent=1)
