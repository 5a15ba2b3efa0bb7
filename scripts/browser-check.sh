#!/usr/bin/env bash
# The browser check: serves the m demo with `tandem serve --demo` on a fresh SQLite file and
# runs scripts/browser-check.py in headless chromium (Debian's chromium and chromium-driver,
# selenium from PyPI): the main journeys, a crawl of every page reachable from the dashboard,
# and screenshots (desktop and phone widths) in $BROWSER_SHOTS (default .ci-work/screenshots).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
VENV=${BROWSER_VENV:-.ci-venv}
SHOTS=${BROWSER_SHOTS:-.ci-work/screenshots}
for tool in /usr/bin/chromium /usr/bin/chromedriver; do
    [[ -x $tool ]] || { echo "error: $tool is missing (apt-get install chromium chromium-driver)" >&2; exit 1; }
done
if ! "$VENV/bin/python" -c 'import selenium' 2>/dev/null; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q "selenium==4.*"
fi
swift build --product tandem 2>&1 | tail -1
TANDEM="$(swift build --show-bin-path)/tandem"
WORK=$(mktemp -d)
source scripts/serve-lib.sh
trap 'stop_tandem; rm -rf "$WORK"' EXIT
serve_tandem "$WORK/serve.log" --demo --db "$WORK/demo.sqlite"
read -r ADMIN ADMIN_PW < <(sed -n 's/^sign in as \([^ ]*\) with password \([^ ]*\)$/\1 \2/p' "$WORK/serve.log")
read -r GUEST GUEST_PW < <(sed -n 's/^or as the partner guest \([^ ]*\) with password \([^ ]*\) .*/\1 \2/p' "$WORK/serve.log")
[[ -n "${ADMIN:-}" && -n "${GUEST:-}" ]] || { echo "error: no demo credentials in the server's output:" >&2; cat "$WORK/serve.log" >&2; exit 1; }
mkdir -p "$SHOTS"
rc=0
"$VENV/bin/python" scripts/browser-check.py "http://127.0.0.1:$PORT" "$ADMIN" "$ADMIN_PW" "$GUEST" "$GUEST_PW" "$SHOTS" || rc=$?
cp "$WORK/serve.log" "$SHOTS/server.log"
exit "$rc"
