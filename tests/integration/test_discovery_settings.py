"""Integration tests for pytest's own test discovery settings in the analysis, lint and fix."""

from __future__ import annotations

import json
import sys
from typing import Any

import pytest

from tests.conftest import RunJson

# Test methods of a suite whose test classes are lowercase (python_classes = test_*), and a
# unittest class, whose test* methods pytest collects whatever python_classes says.
LOWERCASE_CLASSES = """\
import os
import unittest


class test_settings:
    def test_writes(self):
        os.environ["SEAMS_DISCOVERY_A"] = "1"
        assert os.environ["SEAMS_DISCOVERY_A"] == "1"


class Legacy(unittest.TestCase):
    def test_legacy(self):
        os.environ["SEAMS_DISCOVERY_B"] = "1"
        self.assertEqual(os.environ["SEAMS_DISCOVERY_B"], "1")


def test_environment_is_clean():
    assert "SEAMS_DISCOVERY_A" not in os.environ


class test_more:
    def test_checks_nothing(self):
        print(os.environ.get("SEAMS_DISCOVERY_A"))
"""

# A suite of check_*.py files with check_* functions.
CHECK_FUNCTIONS = """\
import os


def check_writes():
    os.environ["SEAMS_DISCOVERY_C"] = "1"
    assert os.environ["SEAMS_DISCOVERY_C"] == "1"


def check_environment_is_clean():
    assert "SEAMS_DISCOVERY_C" not in os.environ
"""


def seams(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    return pytester.run(sys.executable, "-m", "pytest_seams.cli", *args)


def env_writes(findings: list[dict[str, Any]]) -> list[tuple[int, str | None]]:
    return sorted((f["line"], f["nodeid"]) for f in findings if f["code"] == "SEAM201")


def no_checks(findings: list[dict[str, Any]]) -> list[tuple[int, str | None]]:
    return sorted((f["line"], f["nodeid"]) for f in findings if f["code"] == "SEAM501")


class TestDiscoverySettings:
    """What counts as a test comes from the user's pytest settings, everywhere.

    Seam Under Test:
        ini file (python_files, python_classes, python_functions) -> pytest config / seams CLI
        -> analysis walker -> node ids, fixability and the analysis cache
    """

    def test_lowercase_test_classes_are_tests_in_plugin_lint_and_fix(
        self, pytester: pytest.Pytester, run_json: RunJson
    ) -> None:
        """With python_classes = test_*, a lowercase class's methods are tests everywhere.

        Integration Scope: pytest's ini -> the plugin's analysis (config.getini), seams lint
            and seams fix (the ini found as pytest finds it) -> the analysis cache key.
        Business Impact: Suites that name test classes their own way had their env writes
            reported without a test, their integration rules skipped and their fixes refused.
        Success Criteria:
            - under python_classes = Check, the method is a helper (no node id) for lint
            - under python_classes = test_*, the plugin and lint give SEAM201 the node id
              test_settings::test_writes (not a stale cached result), and judge the
              integration-only SEAM501 on test_more::test_checks_nothing; the unittest
              TestCase's test method keeps its node id under both settings
            - seams fix --write rewrites the method's write into monkeypatch.setenv, leaves the
              TestCase's alone, and the suite then passes in any order
        """
        pytester.makeini("[pytest]\npython_classes = Check\n")
        pytester.makepyfile(**{"tests/integration/test_env": LOWERCASE_CLASSES})
        method = "tests/integration/test_env.py::test_settings::test_writes"
        legacy = "tests/integration/test_env.py::Legacy::test_legacy"
        lint = seams(pytester, "lint", "--format=json", "tests")
        assert env_writes(json.loads(lint.stdout.str())["findings"]) == [(7, None), (13, legacy)]
        assert no_checks(json.loads(lint.stdout.str())["findings"]) == []  # a helper is not judged

        pytester.makeini("[pytest]\npython_classes = test_*\n")
        unchecked = [(22, "tests/integration/test_env.py::test_more::test_checks_nothing")]
        lint = seams(pytester, "lint", "--format=json", "tests")
        assert env_writes(json.loads(lint.stdout.str())["findings"]) == [(7, method), (13, legacy)]
        assert no_checks(json.loads(lint.stdout.str())["findings"]) == unchecked
        _, report = run_json("-p", "no:randomly", subprocess=True)
        assert env_writes(report["findings"]) == [(7, method), (13, legacy)]
        assert no_checks(report["findings"]) == unchecked

        fix = seams(pytester, "fix", "--write", "tests")
        assert fix.ret == 0, fix.stdout.str()
        assert "fixed 1 env writes in tests/integration/test_env.py" in fix.stdout.str()
        assert "Legacy" not in fix.stdout.str()  # its env write is reported, not rewritten
        fixed = (pytester.path / "tests/integration/test_env.py").read_text()
        assert "    def test_writes(self, monkeypatch):\n" in fixed
        assert '        monkeypatch.setenv("SEAMS_DISCOVERY_A", "1")\n' in fixed
        assert 'os.environ["SEAMS_DISCOVERY_B"] = "1"' in fixed

    def test_check_files_and_functions_are_tests_in_plugin_lint_and_fix(
        self, pytester: pytest.Pytester, run_json: RunJson
    ) -> None:
        """With python_files = check_*.py and python_functions = check_*, those are tests.

        Integration Scope: pytest's ini -> the plugin's collection and analysis, seams lint's
            file discovery and analysis, seams fix.
        Business Impact: A suite named its own way was invisible to seams lint and its test
            functions were helpers to the analysis.
        Success Criteria:
            - the plugin and lint both analyse tests/integration/check_env.py and give SEAM201
              the node id check_env.py::check_writes
            - seams fix --write gives check_writes a monkeypatch parameter, and the suite's
              two checks then pass
        """
        pytester.makeini(
            "[pytest]\npython_files = check_*.py\npython_functions = check_*\n"
            "addopts = -p no:randomly\n"
        )
        pytester.makepyfile(**{"tests/integration/check_env": CHECK_FUNCTIONS})
        nodeid = "tests/integration/check_env.py::check_writes"
        _, report = run_json(subprocess=True)
        assert env_writes(report["findings"]) == [(5, nodeid)]
        assert [test["nodeid"] for test in report["tests"]] == [
            nodeid,
            "tests/integration/check_env.py::check_environment_is_clean",
        ]
        lint = seams(pytester, "lint", "--format=json", "tests")
        assert env_writes(json.loads(lint.stdout.str())["findings"]) == [(5, nodeid)]

        fix = seams(pytester, "fix", "--write", "tests")
        assert fix.ret == 0, fix.stdout.str()
        fixed = (pytester.path / "tests/integration/check_env.py").read_text()
        assert "def check_writes(monkeypatch):\n" in fixed
        assert '    monkeypatch.setenv("SEAMS_DISCOVERY_C", "1")\n' in fixed
        result = pytester.runpytest_subprocess("-p", "no:seams")
        result.assert_outcomes(passed=2)
