#!/usr/bin/env bash
# Packaging check (not a unit test): the built bundle starts outside the source tree with nothing but itself,
# installs its knowledge base, runs the demo case headless (offscreen Qt) and writes the PDF report; the window
# opens offscreen on the demo case and reaches "interactive" and "KB ready". Prints the bundle's size.
#
#   packaging/check_bundle.sh [BUNDLE_DIR]     # default dist/RareTrace
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUNDLE="$(cd "${1:-$ROOT/dist/RareTrace}" && pwd)"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/raretrace-bundle-check.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

# Only the bundle: no source tree, no venv, no user settings, no KB from elsewhere.
unset RARETRACE_KB RARETRACE_RESOURCES RARETRACE_MODELS RARETRACE_STORE PYTHONPATH PYTHONHOME VIRTUAL_ENV
export QT_QPA_PLATFORM=offscreen RARETRACE_HOME="$WORK/home" HOME="$WORK/userhome"
export RARETRACE_GUI_SETTINGS="$WORK/settings.ini"
mkdir -p "$HOME"
cd "$WORK"
fail() { echo "FAILED: $*" >&2; exit 1; }

echo "== bundle: $BUNDLE ($(du -sh "$BUNDLE" | cut -f1), $(find "$BUNDLE" -type f | wc -l) files)"
for exe in raretrace raretrace-gui; do
    [ -x "$BUNDLE/$exe" ] || fail "$exe missing"
done
# What the app reads from the bundle (raretrace_entry.py installs kb/knowledge.sqlite under that name only).
for f in kb/knowledge.sqlite models/disease_ranker.onnx resources/demo/demo_case.json resources/demo/demo_exome.vcf.gz \
         resources/fonts/DejaVuSansCondensed.ttf resources/fonts/DejaVuSansMono.ttf resources/gencode_grch37.txt.gz \
         resources/gencode_grch38.txt.gz resources/published_variants.tsv.gz resources/population_af_1000g.tsv.gz resources/proteins.tsv.gz resources/conservation.tsv.gz \
         resources/case_library.tsv.gz resources/gencode_cds.tsv.gz resources/gene_symbol_updates.tsv resources/ba1_exceptions.tsv resources/disease_equivalents.tsv.gz \
         resources/text/clinical_synonyms.tsv resources/text/abbreviations.tsv resources/text/abbreviation_contexts.tsv \
         resources/text/analyte_abbreviations.tsv resources/text/blocked_names.txt resources/text/word_equivalents.txt \
         resources/icons/raretrace.png resources/fonts/DroidSansFallbackFull.ttf resources/fonts/NanumSquareR.ttf \
         resources/help/user_guide.md README.md; do
    [ -s "$BUNDLE/_internal/$f" ] || fail "$f missing from the bundle"
done
# From a checkout: every file of its resources/ (lists added after the list above too) is in the bundle, unchanged.
if [ -d "$ROOT/resources" ]; then
    stale=$(cd "$ROOT/resources" && find . -type f | sort | while read -r f; do
        cmp -s "$f" "$BUNDLE/_internal/resources/$f" || echo "${f#./}"; done)
    [ -z "$stale" ] || fail "missing from the bundle or not as in $ROOT/resources: $(echo $stale)"
fi
# Offline: the demo runs without a network when the system lets us take it away (a user namespace).
OFFLINE=()
if unshare -rn true 2>/dev/null; then OFFLINE=(unshare -rn); fi

echo "== raretrace --version"
"$BUNDLE/raretrace" --version

echo "== raretrace --demo (headless, first start installs the knowledge base${OFFLINE:+; no network})"
SECONDS=0
"${OFFLINE[@]}" "$BUNDLE/raretrace" --demo --out "$WORK/demo" | tee "$WORK/demo.log"
echo "demo took ${SECONDS} s"
[ -f "$RARETRACE_HOME/knowledge.sqlite" ] || fail "the bundled knowledge base was not installed"
report="$WORK/demo/demo_report.pdf"
[ -f "$report" ] || fail "no demo report written"
[ "$(head -c 5 "$report")" = "%PDF-" ] || fail "demo_report.pdf is not a PDF"
[ "$(stat -c %s "$report")" -gt 10000 ] || fail "demo_report.pdf is suspiciously small"
[ -s "$WORK/demo/demo_result.json" ] || fail "no demo_result.json"
grep -q "report written to" "$WORK/demo.log" || fail "demo did not report its output"
echo "demo report: $(stat -c %s "$report") bytes"

echo "== raretrace kb info (the installed KB)"
"$BUNDLE/raretrace" kb info | head -3

echo "== raretrace terms search seizures"
"$BUNDLE/raretrace" terms search seizures --limit 1 | grep -q "HP:0001250" || fail "term search"

echo "== raretrace extract (the text lists: an analyte abbreviation)"
echo "Low CSF HVA and 5-HIAA" | "$BUNDLE/raretrace" extract - | tee "$WORK/extract.txt"
grep -q "HP:0025455" "$WORK/extract.txt" || fail "extract did not read resources/text/analyte_abbreviations.tsv"

echo "== raretrace-gui --demo (offscreen window, start-up probe)"
RARETRACE_GUI_STARTUP_PROBE=1 timeout 180 "$BUNDLE/raretrace-gui" --demo > "$WORK/gui.log" 2> "$WORK/gui.err" || {
    cat "$WORK/gui.err" >&2; fail "the window did not start"; }
cat "$WORK/gui.log"
grep -q "^interactive " "$WORK/gui.log" || fail "the window never became interactive"
grep -q "^kb_ready " "$WORK/gui.log" || fail "the window never loaded the knowledge base"

echo "== raretrace-gui without a display: one error line, exit 2"
set +e
env -u DISPLAY -u WAYLAND_DISPLAY -u QT_QPA_PLATFORM "$BUNDLE/raretrace-gui" --demo 2> "$WORK/err.txt"
status=$?
set -e
[ "$status" = 2 ] && [ "$(wc -l < "$WORK/err.txt")" = 1 ] || fail "no display: exit $status, $(cat "$WORK/err.txt")"

echo "== bad input stays one line, exit 2"
set +e
"$BUNDLE/raretrace" analyze "$WORK/missing.json" 2> "$WORK/err.txt"
status=$?
set -e
[ "$status" = 2 ] && [ "$(wc -l < "$WORK/err.txt")" = 1 ] || fail "bad input: exit $status, $(cat "$WORK/err.txt")"

echo "packaging check passed: $BUNDLE ($(du -sh "$BUNDLE" | cut -f1))"
