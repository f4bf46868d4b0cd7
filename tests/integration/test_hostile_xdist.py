"""Integration tests for xdist workers that die without sending their data."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.conftest import COMPLETE_DOCSTRING, Compared

RunBoth = Callable[..., Compared]

XDIST = ("-n", "2", "--max-worker-restart=0", "-p", "no:randomly")

KILLERS = {
    "tests/integration/test_killers": """
import os
import signal


def test_sigkill_1():
    os.kill(os.getpid(), signal.SIGKILL)


def test_exit_1():
    os._exit(3)


def test_sigkill_2():
    os.kill(os.getpid(), signal.SIGKILL)


def test_exit_2():
    os._exit(3)
""",
    "tests/integration/test_env": f"""
import os


def test_env():
    {COMPLETE_DOCSTRING}
    os.environ["SEAMS_HOSTILE_XDIST"] = "1"
    os._exit(3)


def test_undocumented():
    os._exit(3)
""",
}

SURVIVOR = {
    "tests/integration/test_killer": "import os\n\n\ndef test_exit():\n    os._exit(3)\n",
    "tests/integration/test_env": f"""
import os


def test_env():
    {COMPLETE_DOCSTRING}
    os.environ["SEAMS_HOSTILE_XDIST"] = "1"


def test_undocumented():
    assert True
""",
}


class TestCrashedWorkers:
    """Every xdist worker killed mid-run, with restarts disabled.

    Seam Under Test:
        xdist workers (os._exit, SIGKILL) -> controller hooks -> tests from node ids -> report
    """

    def test_all_workers_killed_still_lists_the_tests(
        self, pytester: pytest.Pytester, run_both: RunBoth
    ) -> None:
        """When no worker sends its data, the controller reports what it knows.

        Integration Scope: real xdist workers killed by SIGKILL and os._exit, controller's
            collection ids and test reports, static analysis in the controller, JSON report.
        Business Impact: A crash once produced a report of 0 tests, hiding the whole suite.
        Success Criteria:
            - same exit status and outcomes as without pytest-seams, no INTERNALERROR
            - every collected test is in the report; the crashed ones failed
            - both workers are named in meta.problems; the files were analysed statically
        """
        pytester.makepyfile(**KILLERS)
        compared = run_both(*XDIST, subprocess=True)
        assert compared.seams.ret == pytest.ExitCode.TESTS_FAILED
        report = compared.report
        nodeids = {test["nodeid"].rpartition("::")[2] for test in report["tests"]}
        assert nodeids == {
            "test_sigkill_1",
            "test_exit_1",
            "test_sigkill_2",
            "test_exit_2",
            "test_env",
            "test_undocumented",
        }
        # Every test kills its worker: each worker dies on its first test, the rest never run.
        outcomes = [test["outcome"] for test in report["tests"] if test["outcome"]]
        assert outcomes == ["failed", "failed"]
        assert all(test["integration"] for test in report["tests"])
        problems = "\n".join(report["meta"]["problems"])
        assert "xdist worker gw0 stopped without sending its data" in problems
        assert "xdist worker gw1 stopped without sending its data" in problems
        assert "6 tests are reported from their node ids alone" in problems
        assert report["meta"]["partial"] is True
        assert report["meta"]["analysis"]["files"] == 2
        env_writes = [f for f in report["findings"] if f["code"] == "SEAM201"]
        assert [f["nodeid"] for f in env_writes] == ["tests/integration/test_env.py::test_env"]

    def test_one_worker_killed_keeps_the_full_records_of_the_other(
        self, pytester: pytest.Pytester, run_both: RunBoth
    ) -> None:
        """A surviving worker's data covers every test, the crashed one included.

        Integration Scope: xdist --dist loadfile, one worker killed by os._exit, the other's
            workeroutput, controller merge, JSON report.
        Business Impact: One crashing test must not cost the docstring findings of the suite.
        Success Criteria:
            - same outcomes as a plain run; the killed test failed, the others passed
            - the docstring finding of the surviving worker's tests is kept
            - no test is reported from node ids alone
        """
        pytester.makepyfile(**SURVIVOR)
        compared = run_both(*XDIST, "--dist", "loadfile", subprocess=True)
        compared.seams.assert_outcomes(failed=1, passed=2)
        report = compared.report
        outcomes = {test["nodeid"].rpartition("::")[2]: test["outcome"] for test in report["tests"]}
        assert outcomes == {
            "test_exit": "failed",
            "test_env": "passed",
            "test_undocumented": "passed",
        }
        codes = {(f["code"], (f["nodeid"] or "").rpartition("::")[2]) for f in report["findings"]}
        assert ("SEAM101", "test_undocumented") in codes
        assert ("SEAM201", "test_env") in codes
        problems = "\n".join(report["meta"]["problems"])
        assert "stopped without sending its data" in problems
        assert "node ids alone" not in problems
