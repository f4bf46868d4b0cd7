"""Integration tests for the JSON report: content, outcomes, schema."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import jsonschema
import pytest

from pytest_seams.model import Report, adapter
from tests.conftest import COMPLETE_DOCSTRING, RunJson

SCHEMA_PATH = Path(__file__).parents[2] / "docs" / "report.schema.json"


class TestJsonReport:
    """The JSON report that CI tools and later issues build on.

    Seam Under Test:
        collection + runtest reports -> Report model -> JSON file
    """

    def test_tests_carry_outcomes_and_selection(
        self, pytester: pytest.Pytester, run_json: RunJson
    ) -> None:
        """Each collected test appears once with its outcome; deselected ones are marked.

        Integration Scope: collection, deselection (-k), runtest log reports, JSON writer.
        Business Impact: Seam coverage later depends on knowing which tests ran and how.
        Success Criteria:
            - outcomes passed, failed, error, skipped, xfailed, xpassed are told apart
            - a -k deselected test is listed with selected false and no outcome
            - meta holds versions and rootdir-relative arguments
        """
        pytester.makepyfile(
            **{
                "tests/integration/test_outcomes": f"""
import pytest

@pytest.fixture
def broken():
    raise RuntimeError("setup fails")

def test_pass():
    {COMPLETE_DOCSTRING}

def test_fail():
    {COMPLETE_DOCSTRING}
    assert False

def test_error(broken):
    {COMPLETE_DOCSTRING}

def test_skip():
    {COMPLETE_DOCSTRING}
    pytest.skip("not today")

@pytest.mark.xfail(reason="known")
def test_xfail():
    {COMPLETE_DOCSTRING}
    assert False

@pytest.mark.xfail(reason="fixed?")
def test_xpass():
    {COMPLETE_DOCSTRING}

def test_deselected():
    {COMPLETE_DOCSTRING}
"""
            }
        )
        target = str(pytester.path / "tests" / "integration")
        _, report = run_json("-k", "not deselected", target)
        outcomes = {t["nodeid"].rpartition("::")[2]: t["outcome"] for t in report["tests"]}
        assert outcomes == {
            "test_pass": "passed",
            "test_fail": "failed",
            "test_error": "error",
            "test_skip": "skipped",
            "test_xfail": "xfailed",
            "test_xpass": "xpassed",
            "test_deselected": None,
        }
        selected = {t["nodeid"].rpartition("::")[2]: t["selected"] for t in report["tests"]}
        assert selected["test_deselected"] is False
        assert selected["test_pass"] is True
        assert report["findings"] == []
        assert report["version"] == 1
        assert report["seams"] == []
        assert "tests/integration" in report["meta"]["args"]
        assert report["meta"]["pytest_version"] == pytest.__version__
        assert all(t["path"] == "tests/integration/test_outcomes.py" for t in report["tests"])

    def test_report_validates_against_the_published_schema(
        self, pytester: pytest.Pytester, run_json: RunJson
    ) -> None:
        """Real reports validate against the published JSON Schema.

        Integration Scope: Report model, docs/report.schema.json, JSON writer.
        Business Impact: Consumers of the JSON build on the published schema.
        Success Criteria: a report with findings and tests validates against the schema; its
            meta has the session's start time in UTC.
        """
        pytester.makepyfile(**{"tests/integration/test_x": "def test_x():\n    pass\n"})
        _, report = run_json()
        assert report["findings"]
        jsonschema.validate(report, json.loads(SCHEMA_PATH.read_text()))
        started = datetime.fromisoformat(report["meta"]["timestamp"])
        assert started.utcoffset() == timedelta(0)
        assert abs(datetime.now(timezone.utc) - started) < timedelta(minutes=5)

    def test_the_written_json_is_the_pydantic_serialisation_of_the_model(
        self, pytester: pytest.Pytester, run_json: RunJson
    ) -> None:
        """The fast JSON writer writes exactly what the Report model serialises to.

        Integration Scope: JSON writer, Report model and its pydantic adapter, a plan with seams.
        Business Impact: The writer skips building the pydantic adapter for speed; it must not
            drift from the model that the schema and the readers of the report rely on.
        Success Criteria: a report with seams, links, outcomes and findings reads back into
            the model, and the model serialises to the very same text.
        """
        pytester.makepyfile(
            **{
                "tests/integration/test_cache_integration": (
                    "import pytest\n\n\n@pytest.mark.seam('API → Cache')\n"
                    "@pytest.mark.parametrize('n', [1, 2])\ndef test_x(n):\n    assert n\n\n\n"
                    "def test_fails():\n    assert False\n"
                ),
            }
        )
        pytester.path.joinpath("TEST_PLAN.md").write_text(
            "# Plan\n\n## P0 - Must Have\n\n### SEAM 1: API → Cache\n\n### SEAM 2: Cache → Redis\n"
        )
        run_json()
        text = (pytester.path / "out.json").read_text()
        model = adapter(Report).validate_json(text)
        assert len(model.seams) == 2
        assert model.findings
        assert {test.outcome for test in model.tests} == {"passed", "failed"}
        assert adapter(Report).dump_json(model, indent=2).decode() + "\n" == text
