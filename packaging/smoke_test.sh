#!/usr/bin/env bash
# Start the built application headless on a fresh data folder with --selftest and check it
# exits 0 (opens the database, builds the demo, shows the main window). Prints the start times.
set -euo pipefail
cd "$(dirname "$0")/.."
APP=${1:-dist/kpi-desktop/kpi-desktop}
DATA=$(mktemp -d)
trap 'rm -rf "$DATA"' EXIT
export QT_QPA_PLATFORM=offscreen
ms() { echo $(( $(date +%s%N) / 1000000 )); }
start=$(ms)
"$APP" --data-dir "$DATA" --selftest
first=$(( $(ms) - start ))
start=$(ms)
"$APP" --data-dir "$DATA" --selftest
second=$(( $(ms) - start ))
"$APP" --data-dir "$DATA" --lang en check
echo "smoke test OK: first start (creates the demo) ${first} ms, next start ${second} ms, size $(du -sh "$(dirname "$APP")" | cut -f1)"
