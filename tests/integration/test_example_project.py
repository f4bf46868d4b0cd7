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
        - every docstring, suppression and static code it demonstrates is present
        - the boundary mock through shop.receipts is not flagged
        - TEST_PLAN.md gives each seam its status through each kind of link
        - the Redis cache seam passes on the seams_redis fixtures
        - the per-path and marker suppressions hide their findings
        - env writes, direct and through a first-party helper, are caught at run time
    """
    shutil.copytree(EXAMPLE, pytester.path, dirs_exist_ok=True)
    # In a subprocess: the example writes os.environ on purpose, which must not reach us.
    # Env-leak detection at its default (our conftest turns it off for pytester projects).
    result, report = run_json("--seam-env-leak=restore", subprocess=True)
    assert result.ret == pytest.ExitCode.OK
    result.assert_outcomes(passed=20, skipped=1)
    assert set(report["counts"]["by_code"]) == {
        "SEAM001",
        "SEAM101",
        "SEAM102",
        "SEAM103",
        "SEAM104",
        "SEAM201",
        "SEAM301",
        "SEAM501",
        "SEAM701",
    }
    leaks = {
        f["nodeid"].rsplit("::", 1)[1]: f["message"]
        for f in report["findings"]
        if f["code"] == "SEAM701"
    }
    assert set(leaks) == {"test_env_write_leaks", "test_region_helper_leaks_at_run_time"}
    assert "SHOP_TAX_REGION" in leaks["test_region_helper_leaks_at_run_time"]
    assert "EU" not in leaks["test_region_helper_leaks_at_run_time"]
    boundary = "test_static_findings_integration.py::TestReceipts::test_boundary_mock_is_fine"
    assert not [f for f in report["findings"] if (f["nodeid"] or "").endswith(boundary)]
    flagged = {finding["nodeid"] for finding in report["findings"]}
    assert "tests/integration/legacy/test_old_flow.py::test_old_flow" not in flagged
    assert not any("TestLegacyPricing" in (nodeid or "") for nodeid in flagged)
    statuses = {seam["title"]: seam["status"] for seam in report["seams"]}
    assert statuses == {
        "Checkout → PriceCache → pricing": "verified",
        "pricing → receipts → json": "verified",
        "PriceCache → catalogue": "verified",
        "PriceCache → Redis": "verified",
        "Cart → Promotions": "untested",
        "pricing → tax rules": "verified",
        "Receipts → Archive": "skipped",
        "Admin UI → Reports": "deferred",
    }
    reasons = {link["reason"] for seam in report["seams"] for link in seam["links"]}
    # Docstrings outrank plan-file; tests/unit/test_marked.py's "Integration Scope: Checkout
    # and PriceCache." is inferred to describe seam 1.
    assert reasons == {"docstring", "marker", "file-name", "inferred"}
    strict = pytester.runpytest_subprocess("--seam-mode=strict")
    assert strict.ret == pytest.ExitCode.TESTS_FAILED
