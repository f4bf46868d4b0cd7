"""Integration tests for the report pipeline: the format registry, the verdict in the report,
and ``seams lint`` building the same report."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import jsonschema
import pytest

from tests.conftest import COMPLETE_DOCSTRING, RunJson

SCHEMA_PATH = Path(__file__).parents[2] / "docs" / "report.schema.json"

PROJECT = {
    "tests/integration/test_flow": f"""
import os

def test_undocumented():
    os.environ["MODE"] = "x"

def test_documented():
    {COMPLETE_DOCSTRING}
""",
}


def _lint(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    return pytester.run(sys.executable, "-m", "pytest_seams.cli", "lint", "--no-cache", *args)


class TestFormatRegistry:
    """Report formats as one registry.

    Seam Under Test:
        --seam-report value -> format registry -> renderer -> report file
    """

    def test_unknown_format_is_a_usage_error_naming_the_known_ones(
        self, pytester: pytest.Pytester
    ) -> None:
        """A format name that is not registered stops the session with one line.

        Integration Scope: --seam-report parsing through the registry, pytest usage errors.
        Business Impact: A typo in CI must not silently write some other report.
        Success Criteria:
            - exit status 4 (usage error) and one line naming the value and the known formats
            - no report file is written
        """
        pytester.makepyfile(**PROJECT)
        result = pytester.runpytest("--seam-report=junit:out.xml")
        assert result.ret == pytest.ExitCode.USAGE_ERROR
        result.stderr.fnmatch_lines(
            [
                "ERROR: pytest-seams: invalid value 'junit:out.xml' for --seam-report / "
                "seam_report: unknown report format 'junit' (known: term, term-missing, json, "
                "md, md-append, html, sarif, github, gitlab); allowed: term, term-missing, "
                "json[:PATH], md[:PATH], md-append[:PATH], html[:DIR], sarif[:PATH], github, "
                "gitlab[:PATH]"
            ]
        )
        assert not (pytester.path / "out.xml").exists()

    def test_every_file_format_is_written_by_its_own_renderer(
        self, pytester: pytest.Pytester
    ) -> None:
        """json, md and html go to their paths, each rendered as itself.

        Integration Scope: the registry's renderers and paths, the file writer.
        Business Impact: CI publishes each of these files; one must never be another's text.
        Success Criteria:
            - out.json is JSON, out.md Markdown, site/index.html HTML; three "wrote" lines
        """
        pytester.makepyfile(**PROJECT)
        result = pytester.runpytest(
            "--seam-report=json:out.json", "--seam-report=md:out.md", "--seam-report=html:site"
        )
        assert result.ret == pytest.ExitCode.OK
        assert json.loads((pytester.path / "out.json").read_text())["counts"]["error"] == 2
        assert (pytester.path / "out.md").read_text().startswith("## Seam coverage\n")
        assert (pytester.path / "site" / "index.html").read_text().startswith("<!DOCTYPE html>")
        assert result.stdout.str().count("seams: wrote ") == 3


class TestVerdictInReport:
    """The verdict is judged before the reports are written, and carried by them.

    Seam Under Test:
        Report -> judge (strict mode) -> Report.verdict -> JSON report, exit status
    """

    def test_strict_verdict_is_in_the_json_report(
        self, pytester: pytest.Pytester, run_json: RunJson
    ) -> None:
        """A strict session's JSON report says which condition failed and why.

        Integration Scope: strict mode condition, verdict in the Report, JSON writer, schema.
        Business Impact: CI tools read why the session failed from the report, not the log.
        Success Criteria:
            - exit status 1; verdict has one failed "strict" condition naming the codes
            - the report validates against docs/report.schema.json
        """
        pytester.makepyfile(**PROJECT)
        result, report = run_json("--seam-mode=strict")
        assert result.ret == pytest.ExitCode.TESTS_FAILED
        assert report["verdict"] == {
            "conditions": [
                {
                    "name": "strict",
                    "passed": False,
                    "message": "2 error findings (SEAM101 x1, SEAM201 x1); fix them or "
                    "suppress them (see docs/suppression.md)",
                }
            ]
        }
        jsonschema.validate(report, json.loads(SCHEMA_PATH.read_text()))

    def test_no_condition_no_verdict(self, pytester: pytest.Pytester, run_json: RunJson) -> None:
        """In warn mode nothing is judged: the report's verdict is null.

        Integration Scope: verdict registry with no applicable condition, JSON report.
        Business Impact: Warn mode must not pretend to have judged the session.
        Success Criteria: exit status 0 and "verdict": null despite error findings.
        """
        pytester.makepyfile(**PROJECT)
        result, report = run_json()
        assert result.ret == pytest.ExitCode.OK
        assert report["counts"]["error"] == 2
        assert report["verdict"] is None


class TestLintReport:
    """``seams lint`` builds the same Report as a session and renders it through the registry.

    Seam Under Test:
        seams lint -> static analysis evidence -> build_report -> format registry -> stdout
    """

    def test_lint_json_is_a_report_valid_against_the_schema(
        self, pytester: pytest.Pytester, run_json: RunJson
    ) -> None:
        """``seams lint --format json`` prints a whole Report that validates against the schema.

        Integration Scope: seams lint, Evidence from the static analysis, build_report,
            render_json, docs/report.schema.json.
        Business Impact: Tools read lint's output and the session's JSON with one schema.
        Success Criteria:
            - exit status 1 (SEAM201 is an error), the output validates against the schema
            - its findings are the session's docstring and static findings; no tests, no seams
        """
        pytester.makepyfile(**PROJECT)
        lint = _lint(pytester, "--format=json", "tests")
        assert lint.ret == 1
        report = json.loads(lint.stdout.str())
        jsonschema.validate(report, json.loads(SCHEMA_PATH.read_text()))
        assert [(f["code"], f["line"]) for f in report["findings"]] == [
            ("SEAM101", 3),
            ("SEAM501", 3),
            ("SEAM201", 4),
        ]
        assert report["counts"] == {
            "error": 2,
            "warning": 1,
            "info": 0,
            "by_code": {"SEAM101": 1, "SEAM201": 1, "SEAM501": 1},
        }
        assert report["tests"] == report["seams"] == []
        assert report["meta"]["args"] == ["tests"]
        assert report["meta"]["analysis"]["files"] == 1
        _, session = run_json()
        linted = ("docstring", "env-write", "assertion")
        assert report["findings"] == [f for f in session["findings"] if f["category"] in linted]

    def test_lint_markdown_and_default_text(self, pytester: pytest.Pytester) -> None:
        """Any file format of the registry prints; the default stays one line per finding.

        Integration Scope: seams lint --format md through the registry, its own text view.
        Business Impact: Teams paste lint's Markdown into reviews and grep its text in CI.
        Success Criteria:
            - --format md prints the Markdown report with the finding counts
            - the default prints "path:line: CODE [severity] message" and a summary on stderr
            - an unknown --format is a usage error (exit status 2)
        """
        pytester.makepyfile(**PROJECT)
        markdown = _lint(pytester, "--format=md", "tests")
        assert markdown.ret == 1
        assert markdown.stdout.lines[0] == "## Seam coverage"
        markdown.stdout.fnmatch_lines(["Findings: 2 errors, 1 warnings, 0 info."])
        text = _lint(pytester, "tests")
        assert text.ret == 1
        assert [line.partition("] ")[0] for line in text.stdout.lines] == [
            "tests/integration/test_flow.py:3: SEAM101 [error",
            "tests/integration/test_flow.py:3: SEAM501 [warning",
            "tests/integration/test_flow.py:4: SEAM201 [error",
        ]
        text.stderr.fnmatch_lines(["seams lint: 3 findings in 1 files (1 parsed, 0 from cache)"])
        assert _lint(pytester, "--format=nonexistent", "tests").ret == 2
