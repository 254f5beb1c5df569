#!/usr/bin/env bash
# Build the one-folder desktop bundle dist/RareTrace/ with PyInstaller (Linux; see README.md for Windows/macOS).
#
#   packaging/build.sh              # CPU bundle; builds the knowledge base into build/bundle/ first if missing
#   REBUILD_KB=1 packaging/build.sh # rebuild that knowledge base too
#   RARETRACE_BUNDLE_CUDA=1 ...     # keep onnxruntime's CUDA provider (needs CUDA 13 + cuDNN 9 on the target)
#
# Needs the project venv with the `package` extra: .venv/bin/pip install -e '.[package]' (PY=OTHER/bin/python picks
# another environment). On a 2-core machine the whole build takes about a minute; run it with `nice` when others share
# the machine.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PY="${PY:-$ROOT/.venv/bin/python}"
cd "$ROOT"

if ! "$PY" -c "import PyInstaller" 2>/dev/null; then
    echo "error: PyInstaller is not installed in $PY; run: $PY -m pip install -e '.[package]'" >&2
    exit 2
fi

KB="${RARETRACE_BUNDLE_KB:-$ROOT/build/bundle/knowledge.sqlite}"
if [ ! -f "$KB" ] || [ "${REBUILD_KB:-0}" = 1 ]; then
    echo "building the knowledge base to ship: $KB"
    mkdir -p "$(dirname "$KB")"
    rm -f "$KB"
    "$PY" -m raretrace kb build --out "$KB"
fi
[ -f packaging/icons/raretrace.png ] || "$PY" packaging/make_icon.py
export RARETRACE_BUNDLE_KB="$KB"

started=$(date +%s)
"$PY" -m PyInstaller --noconfirm --clean --log-level WARN \
    --distpath "$ROOT/dist" --workpath "$ROOT/build/pyinstaller" packaging/raretrace.spec

# The Linux desktop entry, its icon and the installer of both travel inside the bundle.
install -m 644 packaging/raretrace.desktop packaging/icons/raretrace.png packaging/icons/raretrace.svg dist/RareTrace/
install -m 755 packaging/install_desktop_entry.sh dist/RareTrace/

echo "bundle: $ROOT/dist/RareTrace ($(du -sh dist/RareTrace | cut -f1), built in $(( $(date +%s) - started )) s)"
echo "check it: packaging/check_bundle.sh"
