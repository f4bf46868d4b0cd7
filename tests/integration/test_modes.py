"""Integration tests for the off, warn and strict modes and the exit status."""

from __future__ import annotations

import pytest

from tests.conftest import COMPLETE_DOCSTRING

PROJECT = {
    "tests/integration/test_flow": f"""
def test_undocumented():
    assert True

def test_documented():
    {COMPLETE_DOCSTRING}

def test_failing():
    {COMPLETE_DOCSTRING}
    assert False
"""
}


UNDOCUMENTED = {"tests/integration/test_flow": "def test_undocumented():\n    assert True\n"}


class TestModes:
    """How findings affect the session.

    Seam Under Test:
        findings -> mode -> session exit status and terminal summary
    """

    def test_warn_mode_reports_but_leaves_exit_status(self, pytester: pytest.Pytester) -> None:
        """Warn mode (the default) shows findings and keeps pytest's own exit status.

        Integration Scope: terminal report, session finish, exit status.
        Business Impact: Adopting the plugin must not break an existing green build.
        Success Criteria:
            - exit 0 with only passing tests despite an error finding
            - the seams section lists the finding with path:line and node id
        """
        pytester.makepyfile(
            **{"tests/integration/test_flow": "def test_undocumented():\n    assert True\n"}
        )
        result = pytester.runpytest()
        assert result.ret == pytest.ExitCode.OK
        result.stdout.fnmatch_lines(
            [
                "*= seams =*",
                "SEAM101 docstring-missing (error): 1",
                "  tests/integration/test_flow.py:1 test_undocumented: integration test has no "
                "docstring: *",
                "seams: 1 error, 0 warnings in 1 test (1 integration), warn mode",
            ]
        )

    def test_strict_mode_fails_with_a_summary_and_keeps_outcomes(
        self, pytester: pytest.Pytester
    ) -> None:
        """Strict mode exits 1 on error findings and says why, test outcomes unchanged.

        Integration Scope: strict mode, exit status, summary line, test outcome counting.
        Business Impact: CI must block undocumented integration tests from merging.
        Success Criteria:
            - exit status 1, not an internal error
            - a summary line names the count and codes
            - outcomes stay 2 passed, 1 failed
        """
        pytester.makepyfile(**PROJECT)
        result = pytester.runpytest("--seam-mode=strict")
        assert result.ret == pytest.ExitCode.TESTS_FAILED
        result.assert_outcomes(passed=2, failed=1)
        result.stdout.fnmatch_lines(
            ["seams: failing the session (strict mode): 1 error finding (SEAM101 x1)*"]
        )
        assert "INTERNALERROR" not in result.stdout.str()

    def test_strict_mode_fails_an_otherwise_green_session(self, pytester: pytest.Pytester) -> None:
        """Strict mode turns a passing session with error findings into exit status 1.

        Integration Scope: strict mode with only passing tests, also under --collect-only.
        Business Impact: A green test run must not hide an undocumented test.
        Success Criteria: exit status 1 both when running and when only collecting.
        """
        pytester.makepyfile(
            **{"tests/integration/test_flow": "def test_undocumented():\n    assert True\n"}
        )
        result = pytester.runpytest("--seam-mode=strict")
        assert result.ret == pytest.ExitCode.TESTS_FAILED
        result.assert_outcomes(passed=1)
        assert pytester.runpytest("--seam-mode=strict", "--collect-only").ret == 1

    def test_strict_mode_passes_a_clean_session(self, pytester: pytest.Pytester) -> None:
        """Strict mode leaves a session with no error finding alone.

        Integration Scope: strict mode, exit status.
        Business Impact: Documented suites stay green.
        Success Criteria: exit status 0 and a summary with no errors.
        """
        pytester.makepyfile(
            **{"tests/integration/test_flow": f"def test_documented():\n    {COMPLETE_DOCSTRING}\n"}
        )
        result = pytester.runpytest("--seam-mode=strict")
        assert result.ret == pytest.ExitCode.OK
        result.stdout.fnmatch_lines(
            ["seams: 0 errors, 0 warnings in 1 test (1 integration), strict mode"]
        )

    def test_off_mode_does_nothing(self, pytester: pytest.Pytester) -> None:
        """Mode off disables every check and report.

        Integration Scope: mode off, report writers.
        Business Impact: Teams can switch the plugin off without uninstalling it.
        Success Criteria: no seams section, no JSON file, exit status from tests alone.
        """
        pytester.makepyfile(**PROJECT)
        result = pytester.runpytest("--seam-mode=off", "--seam-report=json:out.json")
        assert result.ret == pytest.ExitCode.TESTS_FAILED
        result.assert_outcomes(passed=2, failed=1)
        assert "= seams =" not in result.stdout.str()
        assert not (pytester.path / "out.json").exists()
