"""Integration tests for plan scope: which plans count, and which tests each plan covers."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import RunJson

DOCSTRING = '''"""{summary}

    Integration Scope: lending service and its store
    Business Impact: a wrong seam report misleads the team about what is tested.
    Success Criteria: the call returns
    """'''


def _test(name: str, seam_under_test: str = "", marker: str = "") -> str:
    """A passing test function; ``marker`` a seam marker value, ``seam_under_test`` a title."""
    summary = "Runs the flow."
    if seam_under_test:
        summary += f"\n\n    Seam Under Test:\n        {seam_under_test}"
    decorator = f"@pytest.mark.seam({marker!r})\n" if marker else ""
    docstring = DOCSTRING.format(summary=summary)
    return f"import pytest\n\n\n{decorator}def {name}():\n    {docstring}\n    assert True\n"


def _plan(*titles: str) -> str:
    return "# Plan\n\n" + "".join(
        f"### {number}. SEAM: {title}\n**Priority**: P1\n\n"
        for number, title in enumerate(titles, 1)
    )


def _write(pytester: pytest.Pytester, files: dict[str, str]) -> None:
    for relative, text in files.items():
        path = pytester.path / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def _links(report: dict[str, Any]) -> dict[tuple[str, str], list[str]]:
    """(plan, title) → the linked test names with their reasons."""
    return {
        (seam["plan"], seam["title"]): [
            f"{link['nodeid'].rpartition('::')[2]}:{link['reason']}" for link in seam["links"]
        ]
        for seam in report["seams"]
    }


PYPROJECT = '[tool.pytest.ini_options]\ntestpaths = ["tests"]\nnorecursedirs = ["archive"]\n'

SIBLINGS = {
    "pyproject.toml": '[tool.pytest.ini_options]\ntestpaths = ["tests"]\n',
    "tests/integration/TEST_PLAN.md": _plan("Renewal Flow", "Loan API → Catalog"),
    "tests/integration/loans/TEST_PLAN.md": _plan("Return → Fine Assessment", "Renewal Flow"),
    "tests/integration/fines/TEST_PLAN.md": _plan("Return → Fine Assessment"),
    "tests/integration/loans/test_returns.py": _test(
        "test_loan_return", seam_under_test="Return → Fine Assessment"
    ),
    "tests/integration/fines/test_fines.py": _test(
        "test_fine_return", marker="Return → Fine Assessment"
    ),
    "tests/integration/loans/test_renewals.py": _test("test_loan_renewal", marker="Renewal Flow"),
    "tests/integration/loans/desk/test_desk.py": _test("test_desk_renewal", marker="renewal-flow"),
    "tests/integration/test_api.py": _test("test_api_renewal", marker="Renewal Flow"),
    "tests/integration/fines/test_catalog.py": _test(
        "test_fines_catalog", seam_under_test="Loan API → Catalog"
    ),
}

SIBLING_LINKS = {
    ("tests/integration/TEST_PLAN.md", "Renewal Flow"): ["test_api_renewal:marker"],
    ("tests/integration/TEST_PLAN.md", "Loan API → Catalog"): ["test_fines_catalog:docstring"],
    ("tests/integration/loans/TEST_PLAN.md", "Return → Fine Assessment"): [
        "test_loan_return:docstring"
    ],
    ("tests/integration/loans/TEST_PLAN.md", "Renewal Flow"): [
        "test_desk_renewal:marker",
        "test_loan_renewal:marker",
    ],
    ("tests/integration/fines/TEST_PLAN.md", "Return → Fine Assessment"): [
        "test_fine_return:marker"
    ],
}


class TestPlanScope:
    """Plans count only where tests live, and each covers its own folder.

    Seam Under Test:
        testpaths / norecursedirs -> plan search -> per-folder plan scope -> links -> JSON report
    """

    def test_draft_plan_outside_testpaths_contributes_nothing(
        self, pytester: pytest.Pytester, run_json: RunJson, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A plan in drafts/ next to tests/, or in a norecursedirs folder, adds no seam.

        Integration Scope: ini testpaths and norecursedirs, plan search, seams in the JSON report.
        Business Impact: Draft plans used to add dozens of untested seams to the headline report.
        Success Criteria:
            - only the seams of tests/integration/TEST_PLAN.md are reported, the test linked
            - drafts/TEST_PLAN.md and tests/archive/TEST_PLAN.md are in no seam
            - without -p seams, a plan only in drafts/ does not switch the plugin on
        """
        _write(
            pytester,
            {
                "pyproject.toml": PYPROJECT,
                "drafts/TEST_PLAN.md": _plan("Draft Idea → Nowhere", "Orders API → Store"),
                "tests/archive/TEST_PLAN.md": _plan("Archived → Seam"),
                "tests/integration/TEST_PLAN.md": _plan("Orders API → Store"),
                "tests/integration/test_orders.py": _test(
                    "test_orders", marker="Orders API → Store"
                ),
            },
        )
        _, report = run_json()
        assert _links(report) == {
            ("tests/integration/TEST_PLAN.md", "Orders API → Store"): ["test_orders:marker"]
        }
        assert report["seams"][0]["status"] == "verified"
        assert [f for f in report["findings"] if f["category"] == "plan"] == []

        (pytester.path / "tests" / "integration" / "TEST_PLAN.md").unlink()
        monkeypatch.delenv("PYTEST_ADDOPTS", raising=False)  # the suite's own "-p seams"
        unasked = pytester.runpytest()
        unasked.assert_outcomes(passed=1)
        output = unasked.stdout.str()
        assert "seams:" not in output
        assert "= seams =" not in output

    def test_rootdir_plan_covers_tests_under_testpaths(
        self, pytester: pytest.Pytester, run_json: RunJson
    ) -> None:
        """A TEST_PLAN.md in rootdir, a parent of testpaths, still covers the whole suite.

        Integration Scope: plan search in the folders between rootdir and testpaths.
        Business Impact: The most common layout (plan at the top, tests/ below) must keep working.
        Success Criteria: the rootdir plan's seam is linked to the test in tests/integration.
        """
        _write(
            pytester,
            {
                "pyproject.toml": PYPROJECT,
                "TEST_PLAN.md": _plan("Orders API → Store"),
                "tests/integration/test_orders.py": _test(
                    "test_orders", seam_under_test="Orders API -> Store"
                ),
            },
        )
        _, report = run_json()
        assert _links(report) == {("TEST_PLAN.md", "Orders API → Store"): ["test_orders:docstring"]}

    def test_each_test_links_to_the_nearest_plan(
        self, pytester: pytest.Pytester, run_json: RunJson
    ) -> None:
        """Same title in two sibling plans, and in a parent plan: each test gets its own.

        Integration Scope: per-folder plan scope, markers, ids and docstring titles.
        Business Impact: Teams with one plan per feature folder saw tests linked to the wrong
            feature's seam (first plan wins).
        Success Criteria:
            - loans/ and fines/ tests link to their own plan's "Return → Fine Assessment"
            - a test in loans/desk/ links to loans/TEST_PLAN.md (nearest parent), by id
            - a test in tests/integration/ links to the parent plan's "Renewal Flow"
            - a title only the parent plan lists links a fines/ test to the parent's seam
        """
        _write(pytester, SIBLINGS)
        _, report = run_json()
        assert _links(report) == SIBLING_LINKS
        assert [f for f in report["findings"] if f["category"] == "plan"] == []

    def test_marker_naming_a_sibling_plans_seam_says_where_it_is(
        self, pytester: pytest.Pytester, run_json: RunJson
    ) -> None:
        """A marker naming a seam of a plan that does not cover the test is an unknown seam.

        Integration Scope: plan scope, unknown-seam-marker finding and its message.
        Business Impact: A test must not count for another folder's plan; the user must learn
            why its marker matches nothing.
        Success Criteria: one SEAM602 at the test naming fines/TEST_PLAN.md and how to fix it.
        """
        _write(
            pytester,
            {
                "pyproject.toml": PYPROJECT,
                "tests/integration/fines/TEST_PLAN.md": _plan("Fine Payment Ledger"),
                "tests/integration/loans/TEST_PLAN.md": _plan("Renewal Flow"),
                "tests/integration/loans/test_pay.py": _test(
                    "test_pay", marker="Fine Payment Ledger"
                ),
            },
        )
        _, report = run_json()
        unknown = [f for f in report["findings"] if f["code"] == "SEAM602"]
        assert [(f["path"], f["line"], f["message"]) for f in unknown] == [
            (
                "tests/integration/loans/test_pay.py",
                4,
                "@pytest.mark.seam('Fine Payment Ledger') names no seam in the test plans over "
                "tests/integration/loans/: only tests/integration/fines/TEST_PLAN.md lists it, "
                "and a plan covers only the tests in its folder and below. Move the test under "
                "that plan's folder, or the seam into a plan in this folder or a parent.",
            )
        ]
        assert all(seam["tests"] == [] for seam in report["seams"])

    def test_ambiguous_reference_is_a_plan_finding_naming_both(
        self, pytester: pytest.Pytester, run_json: RunJson
    ) -> None:
        """A marker or docstring title matching seams of two equally near plans links nowhere.

        Integration Scope: two plans in one folder, markers, docstring titles, plan findings.
        Business Impact: First-plan-wins silently credited a seam the test may not cover.
        Success Criteria:
            - one SEAM601 for the marker and one for the docstring, each naming both seams
              with their plans and lines, and how to fix it
            - neither seam is linked; a reference by an id only one plan has still links
        """
        _write(
            pytester,
            {
                "pyproject.toml": PYPROJECT,
                "tests/integration/TEST_PLAN.md": _plan("Checkout → Payment"),
                "tests/integration/TEST_PLAN_api.md": "# API plan\n\n"
                "### SEAM: Checkout -> Payment\n**ID**: API-1\n",
                "tests/integration/test_marked.py": _test(
                    "test_marked", marker="Checkout → Payment"
                ),
                "tests/integration/test_described.py": _test(
                    "test_described", seam_under_test="checkout -> payment"
                ),
                "tests/integration/test_by_id.py": _test("test_by_id", marker="API-1"),
            },
        )
        _, report = run_json()
        both = (
            "seam 'checkout-payment' of tests/integration/TEST_PLAN.md (line 3) and seam "
            "'API-1' of tests/integration/TEST_PLAN_api.md (line 3), plans equally near this "
            "test, so it links to neither. Name the seam by an id only one plan gives it (add "
            "an ID to the plan entry if both share one), or keep each plan in the folder of its "
            "own tests."
        )
        ambiguous = [
            (f["path"], f["message"]) for f in report["findings"] if f["code"] == "SEAM601"
        ]
        assert sorted(ambiguous) == [
            (
                "tests/integration/test_described.py",
                "The test docstring's 'Seam Under Test: checkout -> payment' is ambiguous: it "
                f"names {both}",
            ),
            (
                "tests/integration/test_marked.py",
                f"@pytest.mark.seam('Checkout → Payment') is ambiguous: it names {both}",
            ),
        ]
        assert _links(report) == {
            ("tests/integration/TEST_PLAN.md", "Checkout → Payment"): [],
            ("tests/integration/TEST_PLAN_api.md", "Checkout -> Payment"): ["test_by_id:marker"],
        }

    def test_same_links_under_xdist_and_any_order(
        self, pytester: pytest.Pytester, run_json: RunJson
    ) -> None:
        """-n 2 and two random orders give the same scoped seams and links.

        Integration Scope: xdist workers sending seam hints, pytest-randomly seeds, plan scope.
        Business Impact: The coverage report must not depend on how the suite was run.
        Success Criteria: the seams and tests of -n 2 and two seeds equal those of a plain run.
        """
        _write(pytester, SIBLINGS)
        _, plain = run_json("-p", "no:randomly", subprocess=True)
        _, distributed = run_json("-n", "2", subprocess=True)
        _, seeded = run_json("--randomly-seed=7", subprocess=True)
        _, reseeded = run_json("--randomly-seed=12345", subprocess=True)
        assert _links(plain) == SIBLING_LINKS
        for other in (distributed, seeded, reseeded):
            assert other["seams"] == plain["seams"]
            assert other["tests"] == plain["tests"]
