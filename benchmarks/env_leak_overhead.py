"""Overhead of runtime environment-leak detection on a suite of 2,000 small tests.

Generates the suite in a temporary folder, then runs it with pytest-seams and
``seam_env_leak = restore`` (the default) and with ``seam_env_leak = off``, alternating, and
prints the median wall time of each and the difference. Usage:
``python benchmarks/env_leak_overhead.py [--tests 2000] [--rounds 3]``.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PER_FILE = 50


def generate(root: Path, tests: int) -> None:
    (root / "pytest.ini").write_text(
        "[pytest]\naddopts = -p seams -p no:randomly -p no:cacheprovider\n"
    )
    for number in range(tests // PER_FILE):
        body = "".join(
            f"def test_{number}_{index}():\n    assert {index} + 1 == {index + 1}\n\n\n"
            for index in range(PER_FILE)
        )
        (root / f"test_small_{number}.py").write_text(body)


def timed(root: Path, mode: str) -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "pytest", "-q", f"--seam-env-leak={mode}", "--seam-report="],
        cwd=root,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tests", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        generate(root, args.tests)
        timed(root, "off")  # warm the file system and the byte-code cache
        times: dict[str, list[float]] = {"off": [], "restore": []}
        for _ in range(args.rounds):
            for mode in times:
                times[mode].append(timed(root, mode))
    off, on = (statistics.median(times[mode]) for mode in ("off", "restore"))
    print(f"{args.tests} tests, median of {args.rounds} runs")
    print(f"seam_env_leak = off:     {off:.3f} s")
    print(f"seam_env_leak = restore: {on:.3f} s")
    print(f"overhead: {on - off:+.3f} s ({(on - off) / off:+.1%})")


if __name__ == "__main__":
    main()
