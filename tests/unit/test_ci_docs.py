"""docs/ci.md: every YAML block parses, and the workflows have the structure CI needs."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

CI_DOC = Path(__file__).resolve().parents[2] / "docs" / "ci.md"


def _yaml_blocks() -> list[Any]:
    blocks = re.findall(r"^```yaml\n(.*?)^```$", CI_DOC.read_text(encoding="utf-8"), re.M | re.S)
    return [yaml.safe_load(block) for block in blocks]


def _runs(steps: list[dict[str, Any]]) -> str:
    return "\n".join(step.get("run", "") for step in steps)


def test_every_yaml_block_parses_and_there_are_two_workflows() -> None:
    documents = _yaml_blocks()
    assert len(documents) == 2
    assert all(isinstance(document, dict) for document in documents)


def test_github_workflow_shards_combines_gates_and_publishes() -> None:
    workflow = _yaml_blocks()[0]
    # YAML 1.1 reads the key "on" as true; GitHub reads it as "on".
    assert {"push", "pull_request"} <= set(workflow.get("on") or workflow[True])
    jobs = workflow["jobs"]
    assert set(jobs) == {"test", "seams"}
    for job in jobs.values():
        assert job["runs-on"] == "ubuntu-latest"
        for step in job["steps"]:
            assert ("run" in step) != ("uses" in step), step
    test = jobs["test"]
    assert test["strategy"]["matrix"]["shard"] == [1, 2, 3, 4]
    assert "-n auto" in _runs(test["steps"])
    assert "--seam-report=json:seams-${{ matrix.shard }}.json" in _runs(test["steps"])
    upload = [step for step in test["steps"] if step.get("uses", "").startswith("actions/upload")]
    assert upload[0]["with"]["path"] == "seams-${{ matrix.shard }}.json"
    assert upload[0]["if"] == "always()"

    seams = jobs["seams"]
    assert seams["needs"] == "test"
    assert seams["permissions"]["security-events"] == "write"
    uses = [step["uses"].split("@")[0] for step in seams["steps"] if "uses" in step]
    assert "actions/download-artifact" in uses
    assert "github/codeql-action/upload-sarif" in uses
    runs = [step["run"] for step in seams["steps"] if "run" in step]
    assert runs[1:] == [
        "seams combine seams-*.json -o seams.json",
        'seams report seams.json --format "md-append:$GITHUB_STEP_SUMMARY"',
        "seams report seams.json --format github",
        "seams report seams.json --format sarif:seams.sarif",
        "seams check seams.json",  # the gate last: everything is published either way
    ]
    sarif = next(s for s in seams["steps"] if s.get("uses", "").startswith("github/codeql"))
    assert sarif["with"]["sarif_file"] == "seams.sarif"


def test_gitlab_pipeline_shards_combines_and_reports_code_quality() -> None:
    pipeline = _yaml_blocks()[1]
    assert pipeline["stages"] == ["test", "report"]
    tests, seams = pipeline["tests"], pipeline["seams"]
    assert tests["parallel"] == 4
    assert '--seam-report="json:seams-$CI_NODE_INDEX.json"' in "\n".join(tests["script"])
    assert tests["artifacts"]["paths"] == ["seams-*.json"]
    assert seams["needs"] == [{"job": "tests", "artifacts": True}]
    assert seams["script"][1:] == [
        "seams combine seams-*.json -o seams.json",
        "seams report seams.json --format gitlab:gl-code-quality.json",
        "seams report seams.json --format md:seams.md",
        "seams check seams.json",
    ]
    assert seams["artifacts"]["reports"]["codequality"] == "gl-code-quality.json"
