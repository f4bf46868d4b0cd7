"""Calibrate inferred links: precision and recall on labelled plans, per threshold and margin.

    python benchmarks/calibrate_inference.py [PROJECT_DIR ...]

Each project (default: every folder of tests/data/inference/) is a pytest project with
TEST_PLAN.md files, test files, and labels.json mapping every test's node id to the title of
the seam a careful reader links it to (null: none). Each setting runs a real collection
(`pytest --co -p seams --seam-report=json:...`) in this process, with the inference module's
THRESHOLD and MARGIN set, and compares the report's links with the labels:

- precision: inferred links to the labelled seam / all inferred links;
- recall: inferred links to the labelled seam / labelled tests no stronger evidence links;
- overall: all links (any class) against all labels.

Prints one row per setting; the row of the shipped setting is marked with *.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import sys
import tempfile
from pathlib import Path

import pytest

from pytest_seams import inference

ROOT = Path(__file__).resolve().parents[1]
THRESHOLDS = (0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7)
MARGINS = (0.0, 0.05, 0.1, 0.15, 0.2)


def links_of(project: Path, threshold: float, margin: float) -> dict[str, list[tuple[str, str]]]:
    """Node id -> [(seam title, reason)] from a real collection of the project."""
    inference.THRESHOLD, inference.MARGIN = threshold, margin
    with tempfile.TemporaryDirectory() as out:
        report = Path(out) / "seams.json"
        args = [
            "--co",
            "-q",
            "-p",
            "seams",
            "-p",
            "no:randomly",
            "-p",
            "no:cacheprovider",
            f"--seam-report=json:{report}",
            "--rootdir",
            str(project),
            "-c",
            str(project / "pyproject.toml"),
            str(project),
        ]
        cwd = Path.cwd()
        os.chdir(project)
        try:
            with contextlib.redirect_stdout(io.StringIO()):
                pytest.main(args)
        finally:
            os.chdir(cwd)
        data = json.loads(report.read_text())
    found: dict[str, list[tuple[str, str]]] = {}
    for seam in data["seams"]:
        for link in seam["links"]:
            found.setdefault(link["nodeid"], []).append((seam["title"], link["reason"]))
    return found


def measure(projects: list[Path], threshold: float, margin: float) -> dict[str, float]:
    inferred = inferred_right = inferable = 0
    linked = linked_right = positives = 0
    for project in projects:
        labels: dict[str, str | None] = json.loads((project / "labels.json").read_text())
        found = links_of(project, threshold, margin)
        for nodeid, label in labels.items():
            links = found.get(nodeid, [])
            positives += label is not None
            linked += len(links)
            linked_right += sum(title == label for title, _ in links)
            stronger = [link for link in links if link[1] != "inferred"]
            if label is not None and not stronger:
                inferable += 1
            for title, reason in links:
                if reason == "inferred":
                    inferred += 1
                    inferred_right += title == label
    return {
        "inferred": inferred,
        "precision": inferred_right / inferred if inferred else 1.0,
        "recall": inferred_right / inferable if inferable else 1.0,
        "overall_precision": linked_right / linked if linked else 1.0,
        "overall_recall": linked_right / positives if positives else 1.0,
    }


def main() -> None:
    shipped = (inference.THRESHOLD, inference.MARGIN)
    given = [Path(arg).resolve() for arg in sys.argv[1:]]
    data = ROOT / "tests" / "data" / "inference"
    projects = given or sorted(p for p in data.iterdir() if (p / "labels.json").exists())
    print(f"projects: {', '.join(p.name for p in projects)}")
    print("threshold margin inferred precision recall overall-precision overall-recall")
    for threshold in THRESHOLDS:
        for margin in MARGINS:
            row = measure(projects, threshold, margin)
            mark = "*" if (threshold, margin) == shipped else " "
            print(
                f"{mark}{threshold:8.2f} {margin:6.2f} {row['inferred']:8d} "
                f"{row['precision']:9.2f} {row['recall']:6.2f} "
                f"{row['overall_precision']:17.2f} {row['overall_recall']:14.2f}"
            )


if __name__ == "__main__":
    main()
