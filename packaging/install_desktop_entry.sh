#!/usr/bin/env bash
# Add RareTrace to the desktop's application menu for the current user (run from inside the bundle folder,
# wherever it was unpacked: the entry points at this folder). Remove with --remove.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
APPS="${XDG_DATA_HOME:-$HOME/.local/share}/applications"
ICONS="${XDG_DATA_HOME:-$HOME/.local/share}/icons/hicolor"
if [ "${1:-}" = "--remove" ]; then
    rm -f "$APPS/raretrace.desktop" "$ICONS/256x256/apps/raretrace.png" "$ICONS/scalable/apps/raretrace.svg"
    exit 0
fi
mkdir -p "$APPS" "$ICONS/256x256/apps" "$ICONS/scalable/apps"
install -m 644 "$HERE/raretrace.png" "$ICONS/256x256/apps/raretrace.png"
install -m 644 "$HERE/raretrace.svg" "$ICONS/scalable/apps/raretrace.svg"
sed "s|^Exec=.*|Exec=\"$HERE/raretrace-gui\" %f|; s|^TryExec=.*|TryExec=$HERE/raretrace-gui|" \
    "$HERE/raretrace.desktop" > "$APPS/raretrace.desktop"
command -v update-desktop-database >/dev/null && update-desktop-database "$APPS" || true
echo "RareTrace added to the application menu ($APPS/raretrace.desktop)"
