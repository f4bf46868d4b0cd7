"""Integration tests for the CI formats: SARIF, GitHub annotations, GitLab Code Quality,
the appended step summary, JUnit properties and the JSON report's totals."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from tests.conftest import COMPLETE_DOCSTRING, RunJson

SARIF_SCHEMA = Path(__file__).parents[1] / "data" / "sarif" / "sarif-schema-2.1.0.json"

PLAN = """\
# Plan

### SEAM: Checkout → Ledger

**Priority**: P0

### SEAM: Refunds → Ledger

**Priority**: P1
"""

FLOW = f"""
import os

import pytest

def test_undocumented():
    os.environ["MODE"] = "x"
    assert os.environ["MODE"] == "x"

@pytest.mark.seam("Checkout → Ledger")
def test_checkout():
    {COMPLETE_DOCSTRING}

@pytest.mark.seam("Refunds → Ledger")
def test_refund():
    {COMPLETE_DOCSTRING.replace("assert True", "assert False")}
"""


def _project(pytester: pytest.Pytester, module: str = "test_flow") -> None:
    pytester.makeini("[pytest]\naddopts = -p no:randomly\n")
    pytester.makefile(".md", TEST_PLAN=PLAN)
    pytester.makepyfile(**{f"tests/integration/{module}": FLOW})


def _sarif(pytester: pytest.Pytester, name: str = "out.sarif") -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((pytester.path / name).read_text(encoding="utf-8"))
    return loaded


class TestCodeScanning:
    """SARIF for GitHub code scanning and GitLab Code Quality.

    Seam Under Test:
        report model → format registry → renderers → files
    """

    def test_sarif_validates_against_the_official_schema_and_points_at_the_code(
        self, pytester: pytest.Pytester
    ) -> None:
        """A session's SARIF log is valid SARIF 2.1.0 with rules, locations and node ids.

        Integration Scope: a pytest session → Report → sarif renderer → the file on disk.
        Business Impact: code scanning rejects an invalid upload, and a result without its
            file and line cannot annotate the pull request.
        Success Criteria:
            - the log validates against the OASIS SARIF 2.1.0 JSON schema
            - SEAM101 and SEAM201 results at tests/integration/test_flow.py lines 5 and 6,
              under %SRCROOT%, with the test's node id and a docs URL on their rule
        """
        _project(pytester)
        result = pytester.runpytest("--seam-report=sarif:out.sarif")
        assert result.ret == pytest.ExitCode.TESTS_FAILED
        log = _sarif(pytester)
        schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
        jsonschema.validate(log, schema)
        run = log["runs"][0]
        rules = run["tool"]["driver"]["rules"]
        results = {item["ruleId"]: item for item in run["results"]}
        assert sorted(results) == ["SEAM101", "SEAM201"]
        missing = results["SEAM101"]
        assert missing["level"] == "error"
        assert missing["locations"] == [
            {
                "physicalLocation": {
                    "artifactLocation": {
                        "uri": "tests/integration/test_flow.py",
                        "uriBaseId": "%SRCROOT%",
                    },
                    "region": {"startLine": 5},
                }
            }
        ]
        assert missing["properties"]["nodeid"] == (
            "tests/integration/test_flow.py::test_undocumented"
        )
        assert results["SEAM201"]["locations"][0]["physicalLocation"]["region"] == {"startLine": 6}
        rule = rules[missing["ruleIndex"]]
        assert rule["id"] == "SEAM101"
        assert rule["helpUri"].endswith("/docs/codes.md#seam101-docstring-missing")
        assert rule["shortDescription"]["text"] == "An integration test has no docstring."

    def test_fingerprints_survive_moving_the_code(self, pytester: pytest.Pytester) -> None:
        """Lines added above a finding move it but keep its partial fingerprint.

        Integration Scope: the sarif and gitlab renderers → baseline keys → source lines.
        Business Impact: a moved finding that looks new to code scanning reopens closed alerts.
        Success Criteria:
            - the lines change by 3 and the fingerprints of both findings stay equal
            - the GitLab issues carry the same fingerprints, severities and lines
        """
        _project(pytester)
        # In subprocesses: an in-process run keeps the first run's module, and its lines.
        pytester.runpytest_subprocess("--seam-report=sarif:before.sarif")
        flow = pytester.path / "tests" / "integration" / "test_flow.py"
        flow.write_text("# one\n# two\n# three\n" + flow.read_text())
        pytester.runpytest_subprocess(
            "--seam-report=sarif:after.sarif", "--seam-report=gitlab:gl.json"
        )

        def located(log: dict[str, Any]) -> dict[str, tuple[int, str]]:
            return {
                item["ruleId"]: (
                    item["locations"][0]["physicalLocation"]["region"]["startLine"],
                    item["partialFingerprints"]["seamsBaselineKey/v1"],
                )
                for item in log["runs"][0]["results"]
            }

        before, after = (
            located(_sarif(pytester, "before.sarif")),
            located(_sarif(pytester, "after.sarif")),
        )
        assert {code: line for code, (line, _) in before.items()} == {"SEAM101": 5, "SEAM201": 6}
        assert {code: line for code, (line, _) in after.items()} == {"SEAM101": 8, "SEAM201": 9}
        assert {code: key for code, (_, key) in before.items()} == {
            code: key for code, (_, key) in after.items()
        }
        gitlab = json.loads((pytester.path / "gl.json").read_text())
        assert [
            (issue["check_name"], issue["severity"], issue["location"], issue["fingerprint"])
            for issue in gitlab
        ] == [
            (
                "SEAM101 docstring-missing",
                "major",
                {"path": "tests/integration/test_flow.py", "lines": {"begin": 8}},
                after["SEAM101"][1],
            ),
            (
                "SEAM201 env-write",
                "major",
                {"path": "tests/integration/test_flow.py", "lines": {"begin": 9}},
                after["SEAM201"][1],
            ),
        ]


class TestPullRequestOutputs:
    """Annotations, the step summary and JUnit XML.

    Seam Under Test:
        report model → format registry → renderers → files
    """

    def test_github_annotations_escape_a_hostile_file_name(self, pytester: pytest.Pytester) -> None:
        """A test file named with '%', ',' and ':' gives commands GitHub reads correctly.

        Integration Scope: a pytest session → github renderer → the terminal summary.
        Business Impact: an unescaped ',' or ':' cuts the path short, and the annotation
            lands on no file, or a crafted name writes another workflow command.
        Success Criteria:
            - one ::error command per finding, error first, with the path's '%', ',' and ':'
              written %25, %2C and %3A
            - no other line of the output starts a workflow command
        """
        _project(pytester, "test_50%,a:b")
        pytester.makeini("[pytest]\naddopts = -p no:randomly --import-mode=importlib\n")
        result = pytester.runpytest("--seam-report=github")
        path = "tests/integration/test_50%25%2Ca%3Ab.py"
        commands = [line for line in result.outlines if line.lstrip().startswith("::")]
        assert commands[0] == (
            f"::error file={path},line=5,title=SEAM101 docstring-missing::integration test has "
            'no docstring: document it with the sections "Integration Scope:", '
            '"Business Impact:", "Success Criteria:".'
        )
        assert commands[1].startswith(f"::error file={path},line=6,title=SEAM201 env-write::")
        assert len(commands) == 2

    def test_md_append_keeps_what_the_summary_held(self, pytester: pytest.Pytester) -> None:
        """md-append adds the Markdown after what other steps wrote.

        Integration Scope: a pytest session → markdown renderer → appending file writer.
        Business Impact: $GITHUB_STEP_SUMMARY holds other tools' sections (pytest-cov's
            markdown-append); overwriting them loses them.
        Success Criteria:
            - the file starts with the earlier text, unchanged, then the seams section
            - the status line marks the failing seam ❌ and the totals count every test
            - a missing file is created; a file not ending in a line feed gets one first
        """
        _project(pytester)
        summary = pytester.path / "summary.md"
        summary.write_text("## Coverage\n\n91% covered\n", encoding="utf-8")
        (pytester.path / "bare.md").write_text("no line feed", encoding="utf-8")
        pytester.runpytest(
            "--seam-report=md-append:summary.md",
            "--seam-report=md-append:new.md",
            "--seam-report=md-append:bare.md",
        )
        text = summary.read_text(encoding="utf-8")
        assert text.startswith("## Coverage\n\n91% covered\n## Seam coverage\n")
        assert "❌ **1 of 2 seams verified**: 1 failing, 0 untested, 0 skipped, 0 not run." in text
        assert (
            "Tests: 3 collected: 2 passed, 1 failed, 0 errors, 0 skipped, 0 xfailed, "
            "0 xpassed, 0 not run, 0 deselected."
        ) in text
        assert (
            "| SEAM101 docstring-missing | error | 1 | `tests/integration/test_flow.py:5` |" in text
        )
        new = (pytester.path / "new.md").read_text(encoding="utf-8")
        assert new.startswith("## Seam coverage\n")
        bare = (pytester.path / "bare.md").read_text(encoding="utf-8")
        assert bare == "no line feed\n" + new

    @pytest.mark.parametrize("workers", [None, "2"])
    def test_junit_xml_carries_seams_statuses_and_checklist(
        self, pytester: pytest.Pytester, workers: str | None
    ) -> None:
        """--junitxml has each test's seams, their statuses and its checklist result.

        Integration Scope: pytest's junitxml → seams session (xdist controller) → XML file.
        Business Impact: CI dashboards that read JUnit XML show which seam a failure breaks.
        Success Criteria:
            - test_checkout: seam CHECKOUT-LEDGER... verified; test_refund: failing
            - every test carries its checklist result; the XML is complete (3 test cases)
            - the same with two xdist workers
        """
        _project(pytester)
        extra = ["-n", workers] if workers else ["-p", "no:xdist"]
        result = pytester.runpytest_subprocess(
            "-p", "seams", "--junitxml=junit.xml", "--seam-checklist", *extra
        )
        assert result.ret == pytest.ExitCode.TESTS_FAILED
        root = ET.parse(pytester.path / "junit.xml").getroot()
        cases = {case.get("name"): case for case in root.iter("testcase")}
        assert sorted(cases) == ["test_checkout", "test_refund", "test_undocumented"]

        def props(name: str) -> list[tuple[str | None, str | None]]:
            return [(p.get("name"), p.get("value")) for p in cases[name].iter("property")]

        checkout, refund = props("test_checkout"), props("test_refund")
        seam_id = checkout[0][1]
        assert checkout[:2] == [("seam", seam_id), ("seam_status", f"{seam_id}=verified")]
        assert refund[:2] == [("seam", refund[0][1]), ("seam_status", f"{refund[0][1]}=failing")]
        assert [name for name, _ in checkout[2:]] == ["seam_checklist"]
        undocumented = props("test_undocumented")
        assert [name for name, _ in undocumented] == ["seam_checklist"]
        assert undocumented == [("seam_checklist", "fail: 1, 2, 4, 7")]
        assert cases["test_refund"].find("failure") is not None


class TestReportTotals:
    """The JSON report's totals.

    Seam Under Test:
        report model → format registry → renderers → files
    """

    def test_json_report_counts_every_test_and_seam(
        self, pytester: pytest.Pytester, run_json: RunJson
    ) -> None:
        """The JSON report's totals add up to what was collected.

        Integration Scope: a pytest session with deselection → build_report → JSON totals.
        Business Impact: dashboards read the totals; a deselected test missing from them
            makes coverage look complete.
        Success Criteria:
            - tests: 3 collected, 1 passed, 1 failed, 1 deselected; seams: 1 failing, 1 not-run
        """
        _project(pytester)
        _, report = run_json("-k", "not checkout")
        assert report["totals"] == {
            "tests": {
                "total": 3,
                "passed": 1,
                "failed": 1,
                "error": 0,
                "skipped": 0,
                "xfailed": 0,
                "xpassed": 0,
                "not_run": 0,
                "deselected": 1,
            },
            "seams": {
                "total": 2,
                "verified": 0,
                "failing": 1,
                "skipped": 0,
                "not_run": 1,
                "untested": 0,
                "deferred": 0,
            },
        }
