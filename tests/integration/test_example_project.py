"""Integration tests for the bundled example project (examples/shop)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import RunJson

EXAMPLE = Path(__file__).parents[2] / "examples" / "shop"


def test_example_project_shows_every_finding(pytester: pytest.Pytester, run_json: RunJson) -> None:
    """The example project demonstrates each docstring and suppression finding.

    Integration Scope: examples/shop with its own pyproject settings, a full pytest session.
    Business Impact: The README's first command runs this project; it must show the features.
    Success Criteria:
        - all example tests pass and the run exits 0 in warn mode
        - SEAM001, SEAM101, SEAM102, SEAM103 and SEAM104 are all present
        - the per-path and marker suppressions hide their findings
    """
    shutil.copytree(EXAMPLE, pytester.path, dirs_exist_ok=True)
    result, report = run_json()
    assert result.ret == pytest.ExitCode.OK
    result.assert_outcomes(passed=12)
    assert set(report["counts"]["by_code"]) == {
        "SEAM001",
        "SEAM101",
        "SEAM102",
        "SEAM103",
        "SEAM104",
    }
    flagged = {finding["nodeid"] for finding in report["findings"]}
    assert "tests/integration/legacy/test_old_flow.py::test_old_flow" not in flagged
    assert not any("TestLegacyPricing" in (nodeid or "") for nodeid in flagged)
    strict = pytester.runpytest("--seam-mode=strict")
    assert strict.ret == pytest.ExitCode.TESTS_FAILED
