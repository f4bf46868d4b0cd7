"""Integration tests for `seams isolation`: order-dependent tests and their polluters."""

from __future__ import annotations

import json
import shlex
import shutil
import sys
from pathlib import Path

import pytest

POLLUTING_MODULE = """\
import os


def test_innocent_1():
    pass


def test_polluter():
    os.environ["SHOP_MODE"] = "test"


def test_innocent_2():
    pass
"""

VICTIM_MODULE = """\
import os


def test_innocent_3():
    pass


def test_victim():
    assert "SHOP_MODE" not in os.environ
"""


def isolation(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    return pytester.run(sys.executable, "-m", "pytest_seams.cli", "isolation", *args)


class TestPolluterFinder:
    """Running a suite in several orders and bisecting the tests before an order-dependent one.

    Seam Under Test:
        seams isolation -> pytest subprocesses (file order, pytest-randomly seeds) ->
        outcomes compared -> bisection runs -> victim, polluter, reproducing command
    """

    def test_names_victim_polluter_and_a_failing_command(self, pytester: pytest.Pytester) -> None:
        """A test that leaks an environment variable is found as the polluter of the test
        that asserts it absent.

        Integration Scope: seams isolation (cli) -> isolation_finder.find -> pytest runs
            with the recorder plugin -> bisection -> text output; then the printed command
            run as it is.
        Business Impact: Order-dependent tests are the costliest flakiness; naming the
            polluter turns hours of guessing into one command.
        Success Criteria:
            - exit status 1; the victim passed with seed 8 and failed in file order
            - the polluter is test_a.py::test_polluter, found by bisection steps shown on
              stderr with the runs done
            - the printed command runs just the two tests and fails on the victim
        """
        pytester.makepyfile(test_a=POLLUTING_MODULE, test_b=VICTIM_MODULE)
        result = isolation(pytester, "--runs", "1", "--seed", "8")
        assert result.ret == 1, result.stderr.str()
        command = "pytest -p no:randomly test_a.py::test_polluter test_b.py::test_victim"
        assert result.stdout.lines == [
            "seams isolation: 1 order-dependent test in 2 runs (file order, seed 8)",
            "",
            "victim:    test_b.py::test_victim",
            "  passed in: seed 8; failed in: file order",
            "polluter:  test_a.py::test_polluter",
            f"reproduce: {command}",
        ]
        result.stderr.fnmatch_lines(
            [
                "seams isolation: run 1/2 (file order): 5 tests, 1 failed",
                "seams isolation: run 2/2 (seed 8): 5 tests, 0 failed",
                "seams isolation: bisecting test_b.py::test_victim: step 1, 4 candidates",
                "seams isolation: bisecting test_b.py::test_victim: step 2, 2 candidates",
            ]
        )
        reproduced = pytester.run(sys.executable, "-m", *shlex.split(command))
        assert reproduced.ret == 1
        reproduced.stdout.fnmatch_lines(
            ["FAILED test_b.py::test_victim - *", "*1 failed, 1 passed*"]
        )

    def test_a_flaky_test_is_not_called_order_dependent(self, pytester: pytest.Pytester) -> None:
        """A test whose outcome varies with nothing before it is reported as flaky, with no
        polluter, instead of as depending on the tests before it.

        Integration Scope: seams isolation -> runs in several orders -> the victim run alone
            three times -> text output.
        Business Impact: Seen on a real suite: a thread-safety test that fails one run in
            three was reported as needing an earlier test, sending its owners the wrong way.
        Success Criteria:
            - exit status 1; the header counts 1 flaky test and no order-dependent one
            - the test is listed as flaky with how often it failed alone; no polluter
        """
        # Fails on every other run of it, whatever ran before: a counter kept beside it.
        pytester.makepyfile(
            test_flaky="""
            from pathlib import Path


            def test_other():
                pass


            def test_sometimes():
                counter = Path(__file__).with_name("runs.txt")
                runs = int(counter.read_text()) if counter.exists() else 0
                counter.write_text(str(runs + 1))
                assert runs % 2 == 0
            """
        )
        result = isolation(pytester, "--runs", "2", "--seed", "8")
        assert result.ret == 1, result.stderr.str()
        assert result.stdout.lines == [
            "seams isolation: 0 order-dependent tests, 1 flaky test in 3 runs "
            "(file order, seed 8, seed 9)",
            "",
            "flaky:     test_flaky.py::test_sometimes",
            "  passed in: file order, seed 9; failed in: seed 8",
            "  it is flaky: run alone, with nothing before it, it failed 2 of 3 times (look for "
            "threads, timing, randomness or outside services)",
        ]

    def test_clean_suite_reports_none(self, pytester: pytest.Pytester) -> None:
        """A suite whose tests keep to themselves has no order-dependent test.

        Integration Scope: seams isolation --format json -> file order and two seeded
            runs -> JSON output; and a usage error.
        Business Impact: A clean verdict must be trustworthy, or teams stop running it.
        Success Criteria:
            - exit status 0 and JSON naming the three runs with no order-dependent test
            - --runs 0 is a usage error: exit status 2 and a message naming the option
        """
        pytester.makepyfile(
            test_clean="def test_one():\n    pass\n\n\ndef test_two():\n    assert 1 + 1 == 2\n"
        )
        result = isolation(pytester, "--runs", "2", "--seed", "5", "--format", "json")
        assert result.ret == 0, result.stderr.str()
        assert json.loads(result.stdout.str()) == {
            "runs": ["file order", "seed 5", "seed 6"],
            "order_dependent": [],
        }
        usage = isolation(pytester, "--runs", "0")
        assert usage.ret == 2
        assert usage.stderr.lines == ["seams: error: --runs must be at least 1, not 0"]

    def test_example_project_output_is_the_documented_one(self, pytester: pytest.Pytester) -> None:
        """examples/isolation finds its planted pair, exactly as its README shows.

        Integration Scope: examples/isolation (copied) -> seams isolation --runs 2 --seed 1
            -> text output compared with the README's block.
        Business Impact: A README whose output drifted from the tool teaches users wrong.
        Success Criteria:
            - exit status 1
            - stdout equals the README's output block line for line
        """
        example = Path(__file__).parents[2] / "examples" / "isolation"
        shutil.copytree(example / "tests", pytester.path / "tests")
        shutil.copy(example / "pyproject.toml", pytester.path / "pyproject.toml")
        readme = (example / "README.md").read_text()
        documented = readme.split("prints (progress goes to stderr):\n\n```\n")[1].split("```")[0]
        result = isolation(pytester, "--runs", "2", "--seed", "1")
        assert result.ret == 1, result.stderr.str()
        assert result.stdout.lines == documented.splitlines()
