#!/usr/bin/env bash
# Render the example project's HTML seam report in headless Chromium (Debian's `chromium`
# package) and save a screenshot to docs/html-report.png.
#   bash scripts/screenshot_html_report.sh
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
.venv/bin/pytest -q -p seams examples/shop --seam-report=html:"$out/html" >/dev/null || true
chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --user-data-dir="$out/profile" --hide-scrollbars --window-size=1200,900 \
  --screenshot=docs/html-report.png "file://$out/html/index.html"
echo "wrote docs/html-report.png"
