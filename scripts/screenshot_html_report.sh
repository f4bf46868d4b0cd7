#!/usr/bin/env bash
# Render the example project's HTML seam report in headless Chromium (Debian's `chromium`
# package) and save screenshots: docs/html-report.png (a desktop window) and
# docs/html-report-narrow.png (a 400 px wide window, as on a phone).
#   bash scripts/screenshot_html_report.sh
# tests/integration/test_seam_coverage.py loads the same page in Chromium and checks its
# filters, sorting and the narrow layout; this script only refreshes the pictures in docs/.
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
.venv/bin/pytest -q -p seams -p no:randomly examples/shop --seam-report=html:"$out/html" \
  >/dev/null || true
shoot() {  # shoot WIDTH,HEIGHT FILE
  chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$out/profile" --hide-scrollbars --window-size="$1" \
    --screenshot="$2" "file://$out/html/index.html" 2>/dev/null
  echo "wrote $2"
}
shoot 1200,1400 docs/html-report.png
shoot 400,1400 docs/html-report-narrow.png
