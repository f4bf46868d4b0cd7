#!/bin/bash
# User-space instructions (valgrind's callgrind) of warm `--collect-only` sessions of a suite:
# plain (-p no:seams), pytest-seams installed but not asked for, and asked for (-p seams);
# with OLD_SRC (the src/ folder of another checkout, e.g. from `git archive REV src`), also
# that code asked for. Each variant runs twice first, to write bytecode and pytest-seams caches.
#
# Usage: benchmarks/warm_instructions.sh SUITE_DIR [OLD_SRC]
#   SUITE_DIR: e.g. made by `python benchmarks/generate_suite.py --modules 60 SUITE_DIR`
#   (it must have no seam_* settings and no TEST_PLAN*.md, or "inactive" is active)
set -euo pipefail
unset PYTHONDONTWRITEBYTECODE
SRC="$(cd "$(dirname "$0")/.." && pwd)/src"
PY="${PYTHON:-python}"
SUITE="$1"
OLD_SRC="${2:-}"
export PYTHONHASHSEED=0
cd "$SUITE"
session() { PYTHONPATH=$1 "$PY" -m pytest -q --collect-only -p no:randomly $2 >/dev/null 2>&1 || true; }
count() {
    session "$1" "$2"; session "$1" "$2"
    PYTHONPATH=$1 valgrind --tool=callgrind --callgrind-out-file=/dev/null \
        "$PY" -m pytest -q --collect-only -p no:randomly $2 2>&1 |
        grep -o "Collected : [0-9]*" | grep -o "[0-9]*"
}
echo "plain $(count "$SRC" "-p no:seams")"
echo "inactive $(count "$SRC" "")"
if [ -n "$OLD_SRC" ]; then echo "active-old $(count "$OLD_SRC" "-p seams")"; fi
echo "active $(count "$SRC" "-p seams")"
