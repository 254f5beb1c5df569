"""RareTrace: offline, traceable rare-disease differential diagnosis."""

import os as _os

__version__ = "0.1.0"

# Patient data never leaves the machine, and RareTrace opens no network connection: onnxruntime's Linux wheels
# (onnxruntime-gpu 1.31) carry Microsoft's 1DS telemetry client, which, unless this is "1" when onnxruntime is
# loaded, writes a device ID and an event queue under ~/.cache/Microsoft and a session file in $TMPDIR, and looks
# up its collector (mobile.events.data.microsoft.com) over the network a few seconds after start. Set here, on
# import of the package, so it holds before any module of it loads onnxruntime (inference.py, the benchmarks);
# onnxruntime's own disable_telemetry_events() comes too late for it. Forced, not defaulted: a "0" inherited from
# the environment must not turn the upload on.
_os.environ["ORT_DISABLE_TELEMETRY"] = "1"
