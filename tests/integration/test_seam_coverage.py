"""Integration tests for TEST_PLAN.md seams: plans, links, statuses and the reports."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import COMPLETE_DOCSTRING, RunJson

SECTIONS_PLAN = """
# Shop test plan

## P0 - Must Have (Critical Path)

### 1. SEAM: Checkout API → Order Service
Business Impact: orders are revenue.
Tests live in `test_checkout_integration.py`.

### 2. **SEAM**: Order Service → Payment Gateway

## P1 - Should Have

### SEAM 3: Cart → Price Cache
**Priority**: P2

## Deferred/Eliminated

### SEAM 4: Admin UI → Reports
"""
TABLE_PLAN = """
# Search plan

| ID | Seam | Priority | Test file |
|----|------|----------|-----------|
| S-1 | Search API → Query Parser | HIGH | |
| S-2 | Indexer → Store | LOW | |
"""


def _test(name: str, body: str = "assert True", decorators: str = "") -> str:
    return f"{decorators}\ndef {name}():\n    {COMPLETE_DOCSTRING}\n    {body}\n"


PROJECT = {
    "tests/integration/test_checkout_integration": _test("test_checkout"),
    "tests/integration/test_payments": "import pytest\n"
    + _test("test_pay", "assert False", '@pytest.mark.seam("Order Service -> Payment Gateway")')
    + _test("test_unknown", decorators='@pytest.mark.seam("No Such Seam")'),
    "tests/integration/test_cart": '''
import pytest

class TestCart:
    """Cart pricing.

    Seam Under Test:
        Cart → Price Cache
    """

    def test_cart(self):
        """Doc.

        Integration Scope: cart
        Business Impact: money
        Success Criteria: priced
        """
        pytest.skip("cache down")
''',
    "tests/integration/test_search": '"""Integration tests for **Search API -> Query Parser**."""\n'
    + _test("test_search"),
    "tests/integration/test_indexer_store_integration": _test("test_index"),
    "tests/integration/test_orphan": _test("test_orphan"),
}


def seams_by_title(report: dict[str, Any]) -> dict[str, tuple[str | None, str, list[str]]]:
    return {
        seam["title"]: (
            seam["priority"],
            seam["status"],
            [f"{link['nodeid'].rpartition('::')[2]}:{link['reason']}" for link in seam["links"]],
        )
        for seam in report["seams"]
    }


def make_project(pytester: pytest.Pytester) -> None:
    pytester.makefile(".md", TEST_PLAN=SECTIONS_PLAN)
    (pytester.path / "services" / "search").mkdir(parents=True)
    (pytester.path / "services" / "search" / "test_plan.md").write_text(TABLE_PLAN)
    pytester.makepyfile(**PROJECT)


EXPECTED = {
    "Checkout API → Order Service": ("P0", "verified", ["test_checkout:plan-file"]),
    "Order Service → Payment Gateway": ("P0", "failing", ["test_pay:marker"]),
    "Cart → Price Cache": ("P2", "skipped", ["test_cart:docstring"]),
    "Admin UI → Reports": ("deferred", "deferred", []),
    "Search API → Query Parser": ("P1", "not-run", ["test_search:docstring"]),
    "Indexer → Store": ("P3", "verified", ["test_index:file-name"]),
}


class TestSeamCoverage:
    """Seam coverage from the plans a project keeps.

    Seam Under Test:
        TEST_PLAN.md files -> plan parser -> links from collection -> statuses -> reports
    """

    def test_every_link_reason_and_status(
        self, pytester: pytest.Pytester, run_json: RunJson
    ) -> None:
        """Two plans of different shapes give each seam its priority, status and tests.

        Integration Scope: plan discovery at any depth, parsing, markers, docstrings, plan file
            names, the naming convention, outcomes and deselection, the JSON report.
        Business Impact: Teams stop hand-maintaining seam manifests that drift from the plans.
        Success Criteria:
            - each seam has the expected priority, status and links with their reasons
            - the unlinked integration test is listed; the unknown marker is a plan finding
            - the term report shows coverage per plan and priority
        """
        make_project(pytester)
        result, report = run_json("--strict-markers", "-k", "not test_search")
        assert seams_by_title(report) == EXPECTED
        assert report["unlinked_integration_tests"] == [
            "tests/integration/test_orphan.py::test_orphan",
            "tests/integration/test_payments.py::test_unknown",
        ]
        unknown = [f for f in report["findings"] if f["code"] == "SEAM602"]
        assert len(unknown) == 1
        assert unknown[0]["category"] == "plan"
        assert "'No Such Seam'" in unknown[0]["message"]
        tests = {t["nodeid"].rpartition("::")[2]: t["seams"] for t in report["tests"]}
        assert tests["test_checkout"] == ["checkout-api-order-service"]
        assert tests["test_orphan"] == []
        summary = {s["priority"]: (s["verified"], s["total"]) for s in report["seam_summary"]}
        assert summary == {"P0": (1, 2), "P1": (0, 1), "P2": (0, 1), "P3": (1, 1)}
        result.stdout.fnmatch_lines(
            [
                "seams of TEST_PLAN.md: P0 1/2, P2 0/1, 1 deferred",
                "  P0       failing   Order Service → Payment Gateway (TEST_PLAN.md:*)",
                "seams of services/search/test_plan.md: P1 0/1, P3 1/1",
                "seams: 2 integration tests link to no seam",
            ]
        )

    def test_term_missing_lists_every_seam_with_its_tests(
        self, pytester: pytest.Pytester, run_json: RunJson
    ) -> None:
        """term-missing shows every seam, verified ones too, with the tests behind it.

        Integration Scope: the term-missing report format.
        Business Impact: Reviewers see which test covers which seam without opening the JSON.
        Success Criteria: a verified seam and its test node id are both printed.
        """
        make_project(pytester)
        result = pytester.runpytest("--seam-report=term-missing")
        result.stdout.fnmatch_lines(
            [
                "  P3       verified  Indexer → Store (services/search/test_plan.md:*)",
                "      tests/integration/test_indexer_store_integration.py::test_index",
            ]
        )

    def test_same_seams_under_xdist_and_any_order(
        self, pytester: pytest.Pytester, run_json: RunJson
    ) -> None:
        """-n 2 and different random orders give the same seams and statuses.

        Integration Scope: xdist workers sending seam hints, pytest-randomly seeds.
        Business Impact: The coverage report must not depend on how the suite was run.
        Success Criteria: the seams of -n 2 and two seeds equal those of a plain run.
        """
        make_project(pytester)
        _, plain = run_json("-p", "no:randomly", "-k", "not test_search", subprocess=True)
        _, distributed = run_json("-n", "2", "-k", "not test_search", subprocess=True)
        _, seeded = run_json("--randomly-seed=7", "-k", "not test_search", subprocess=True)
        assert seams_by_title(plain) == EXPECTED
        assert distributed["seams"] == plain["seams"]
        assert seeded["seams"] == plain["seams"]
        assert distributed["tests"] == plain["tests"]

    def test_plan_problems_are_findings(self, pytester: pytest.Pytester, run_json: RunJson) -> None:
        """A seam heading without a title and a duplicate seam are plan findings.

        Integration Scope: plan parser problems, findings, JSON report.
        Business Impact: A broken plan must be reported where it is, not silently skipped.
        Success Criteria: two SEAM601 findings with the plan path and heading lines.
        """
        pytester.makefile(
            ".md",
            TEST_PLAN="# Plan\n\n### SEAM:\n\n### SEAM: A → B\n\n### SEAM: A → B\n",
        )
        pytester.makepyfile(**{"tests/integration/test_x": _test("test_x")})
        _, report = run_json()
        problems = [(f["code"], f["path"], f["line"]) for f in report["findings"]]
        assert ("SEAM601", "TEST_PLAN.md", 3) in problems
        assert ("SEAM601", "TEST_PLAN.md", 7) in problems
        assert [seam["title"] for seam in report["seams"]] == ["A → B"]
