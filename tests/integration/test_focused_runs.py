"""Integration tests for focused runs: a file, node ids, -k, -m report only their scope."""

from __future__ import annotations

import pytest

from tests.conftest import COMPLETE_DOCSTRING, RunJson

PROJECT = {
    "tests/integration/test_clean": f"""
def test_clean():
    {COMPLETE_DOCSTRING}

def test_other():
    {COMPLETE_DOCSTRING}
""",
    # A dirty neighbour: an undocumented test, and a marker that suppresses its finding.
    "tests/integration/test_dirty": """
import pytest

def test_undocumented():
    assert True

@pytest.mark.seam_ignore("SEAM101")
def test_excused():
    assert True
""",
    "tests/integration/test_marked": """
import pytest

@pytest.mark.slow
def test_slow_undocumented():
    assert True

def test_fast_undocumented():
    assert True
""",
}
PLAN = """# Plan

## P0 - Must Have

### 1. SEAM: API -> OrderService

Tests: `test_clean.py`

### 2. SEAM: OrderService -> database

Tests: `test_dirty.py`

### 3. SEAM: Cart -> Promotions

No tests yet.
"""
# A conftest (and its test) that applies to no test of tests/integration/.
CONFTEST = """
import os
import pytest

@pytest.fixture
def legacy_env():
    os.environ["LEGACY"] = "1"
"""
INI = "[pytest]\nmarkers =\n    slow: slow tests\n"


def _findings(report: dict[str, object]) -> list[tuple[str, str | None]]:
    return sorted((f["code"], f["nodeid"]) for f in report["findings"])  # type: ignore[index, union-attr, attr-defined]


def _statuses(report: dict[str, object]) -> dict[str, str]:
    return {seam["title"]: seam["status"] for seam in report["seams"]}  # type: ignore[index, union-attr, attr-defined]


@pytest.fixture
def project(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.makefile(".ini", pytest=INI)
    pytester.makepyfile(
        **PROJECT,
        **{"tests/other/conftest": CONFTEST, "tests/other/test_unit": "def test_unit(): pass"},
    )
    (pytester.path / "TEST_PLAN.md").write_text(PLAN)
    return pytester


class TestFocusedRuns:
    """Findings, suppression checks, the strict verdict and seam statuses of a focused run.

    Seam Under Test:
        pytest selection (paths, node ids, -k, -m) -> collect scope -> report and exit status
    """

    def test_clean_file_passes_strict_beside_a_dirty_neighbour(
        self, project: pytest.Pytester, run_json: RunJson
    ) -> None:
        """A run of one clean file in strict mode passes, whatever its neighbours hold.

        Integration Scope: pytest 8 directory collection, collect scope, suppression checks,
            strict verdict, JSON report.
        Business Impact: Developers run one file while they work; a red run caused by a file
            they did not touch teaches them to switch the plugin off.
        Success Criteria:
            - exit status 0 and no finding at all (no SEAM101, no unused-suppression SEAM001)
            - the report's tests are the two of the file
            - seams linked to unselected files, and the seam with no tests, are not-run
        """
        result, report = run_json("--seam-mode=strict", "tests/integration/test_clean.py")
        assert result.ret == pytest.ExitCode.OK
        assert _findings(report) == []
        assert [test["nodeid"] for test in report["tests"]] == [
            "tests/integration/test_clean.py::test_clean",
            "tests/integration/test_clean.py::test_other",
        ]
        assert _statuses(report) == {
            "API -> OrderService": "verified",
            "OrderService -> database": "not-run",
            "Cart -> Promotions": "not-run",
        }

    def test_full_run_reports_everything(self, project: pytest.Pytester, run_json: RunJson) -> None:
        """The whole suite: every finding, the seam without tests untested, strict fails.

        Integration Scope: full collection, collect scope, seam statuses, strict verdict.
        Business Impact: Focusing must not hide anything from the run CI makes.
        Success Criteria:
            - SEAM101 for each undocumented test, none for the suppressed one, and the
              SEAM201 of the conftest of tests/other/ (which a run of tests/integration/
              files leaves out: it applies to none of their tests)
            - the seam without tests is untested; exit status 1
        """
        result, report = run_json("--seam-mode=strict")
        assert result.ret == pytest.ExitCode.TESTS_FAILED
        assert _findings(report) == [
            ("SEAM101", "tests/integration/test_dirty.py::test_undocumented"),
            ("SEAM101", "tests/integration/test_marked.py::test_fast_undocumented"),
            ("SEAM101", "tests/integration/test_marked.py::test_slow_undocumented"),
            ("SEAM201", "tests/other/conftest.py::legacy_env"),
        ]
        assert _statuses(report)["Cart -> Promotions"] == "untested"
        assert _statuses(report)["OrderService -> database"] == "verified"

    def test_node_id_run_reports_only_that_test(
        self, project: pytest.Pytester, run_json: RunJson
    ) -> None:
        """A node id run: the marker suppression of the named test is used, the other test of
        the file (never collected) neither reported nor making the run fail.

        Integration Scope: node id arguments, collect scope, suppression checks.
        Business Impact: Rerunning one failing test must not turn red on its neighbours.
        Success Criteria:
            - no finding, exit 0, the one test in the report
        """
        result, report = run_json(
            "--seam-mode=strict", "tests/integration/test_dirty.py::test_excused"
        )
        assert result.ret == pytest.ExitCode.OK
        assert _findings(report) == []
        assert [test["nodeid"] for test in report["tests"]] == [
            "tests/integration/test_dirty.py::test_excused"
        ]

    def test_k_run_reports_only_selected_and_keeps_suppressions_quiet(
        self, project: pytest.Pytester, run_json: RunJson
    ) -> None:
        """-k selects the undocumented test only: its finding is reported, the marker on the
        deselected test is not called unused, deselected tests are listed as not selected.

        Integration Scope: -k deselection, collect scope, suppression checks, seam statuses.
        Business Impact: -k is how people focus; the report must be about what they ran.
        Success Criteria:
            - exactly SEAM101 for test_undocumented, no SEAM001
            - deselected tests are in the report with selected false
        """
        result, report = run_json("-k", "undocumented and not fast and not slow")
        assert result.ret == pytest.ExitCode.OK
        assert _findings(report) == [
            ("SEAM101", "tests/integration/test_dirty.py::test_undocumented")
        ]
        selected = {test["nodeid"]: test["selected"] for test in report["tests"]}
        assert selected["tests/integration/test_dirty.py::test_undocumented"] is True
        assert selected["tests/integration/test_dirty.py::test_excused"] is False
        assert _statuses(report)["API -> OrderService"] == "not-run"

    def test_m_run_reports_only_marked(self, project: pytest.Pytester, run_json: RunJson) -> None:
        """-m slow: only the slow test's finding, the seams of other files not-run.

        Integration Scope: -m deselection, collect scope, seam statuses.
        Business Impact: Marker-selected runs in CI must gate on what they ran.
        Success Criteria:
            - exactly SEAM101 for test_slow_undocumented
        """
        result, report = run_json("-m", "slow")
        assert result.ret == pytest.ExitCode.OK
        assert _findings(report) == [
            ("SEAM101", "tests/integration/test_marked.py::test_slow_undocumented")
        ]
        assert _statuses(report)["OrderService -> database"] == "not-run"

    def test_collect_only_reports_everything(
        self, project: pytest.Pytester, run_json: RunJson
    ) -> None:
        """--collect-only covers every collected test, as a lint step in CI uses it.

        Integration Scope: --collect-only, collect scope.
        Business Impact: A collect-only check must see the whole suite.
        Success Criteria:
            - the four findings of the full run
        """
        _, report = run_json("--collect-only")
        assert [code for code, _ in _findings(report)] == ["SEAM101"] * 3 + ["SEAM201"]

    def test_xdist_file_run_has_the_scope_of_a_single_process(
        self, project: pytest.Pytester, run_json: RunJson
    ) -> None:
        """Under xdist, a file run reports the same scope as without it.

        Integration Scope: pytest-xdist workers, collect scope, controller merge.
        Business Impact: Parallel CI runs must agree with local ones.
        Success Criteria:
            - exit 0 and no finding for the clean file; the same seam statuses
        """
        result, report = run_json(
            "--seam-mode=strict",
            "-n",
            "2",
            "-p",
            "no:randomly",
            "tests/integration/test_clean.py",
            subprocess=True,
        )
        assert result.ret == pytest.ExitCode.OK
        assert _findings(report) == []
        assert _statuses(report)["OrderService -> database"] == "not-run"
