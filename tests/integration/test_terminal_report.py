"""The terminal section at pytest's three verbosities, in colour through pytest's writer."""

from __future__ import annotations

import re

import pytest

PLAN = """# Plan

## P0

### SEAM: Checkout → Payments

### SEAM: Orders → Store
"""

TESTS = '''
import pytest


@pytest.mark.seam("Checkout → Payments")
def test_pay():
    """Paying stores the payment.

    Integration Scope: checkout and payments.
    Business Impact: Lost payments are lost revenue.
    Success Criteria: the payment is stored.
    """
    assert 1 + 1 == 3


@pytest.mark.seam("Orders → Store")
def test_store():
    assert "order"
'''


def _project(pytester: pytest.Pytester) -> None:
    pytester.makefile(".md", TEST_PLAN=PLAN)
    pytester.makepyfile(**{"tests/integration/test_flow": TESTS})


class TestTerminalLevels:
    """-q, the default and -v show the same report at three lengths.

    Seam Under Test:
        Report -> report.term.term_lines -> hooks' terminal summary -> pytest's writer
    """

    def test_default_quiet_and_verbose(self, pytester: pytest.Pytester) -> None:
        """The default shows the table and the unverified seams; -q one totals line; -v
        every seam's tests and every finding's message.

        Integration Scope: a real session with a plan, a failing and a passing linked test.
        Business Impact: A CI log must stay readable; a developer must be able to see all.
        Success Criteria:
            - default: the P0 row (2 seams, 1 verified, 1 failing, 50%), the failing seam,
              each finding once with its location and the first line of its message
            - -q: one line of totals, the failing seam, the counts by code, no locations
            - -v: the link evidence of each seam's test and each finding's full message
        """
        _project(pytester)
        default = pytester.runpytest("-p", "seams", "--color=no")
        default.stdout.fnmatch_lines(
            [
                "*= seams =*",
                "Plan          Priority  Seams  Verified  Failing  Skipped  Not run  Untested  "
                "Cover",
                "*",
                "TEST_PLAN.md  P0            2         1        1        0        0         0"
                "    50%",
                "not verified: 1",
                "  P0       failing   Checkout → Payments (TEST_PLAN.md:5)",
                "SEAM101 docstring-missing (error): 1",
                "  tests/integration/test_flow.py:16 test_store: integration test has no "
                "docstring: *",
                "seams: 1 error, 0 warnings in 2 tests (2 integration), warn mode",
            ]
        )
        assert "[@pytest.mark.seam(" not in default.stdout.str()
        quiet = pytester.runpytest("-p", "seams", "--color=no", "-q")
        quiet.stdout.fnmatch_lines(
            [
                "*= seams =*",
                "seams: 1 of 2 verified (50%), 1 failing",
                "failing: 1",
                "  P0       failing   Checkout → Payments (TEST_PLAN.md:5)",
                "SEAM101 docstring-missing (error): 1",
                "seams: 1 error, 0 warnings in 2 tests (2 integration), warn mode",
                "seams: -v, --seam-report=term-missing or a file report (--seam-report=html) "
                "lists all",
            ]
        )
        assert "tests/integration/test_flow.py:16" not in quiet.stdout.str()
        verbose = pytester.runpytest("-p", "seams", "--color=no", "-v")
        verbose.stdout.fnmatch_lines(
            [
                "  P0       failing   Checkout → Payments (TEST_PLAN.md:5)",
                "      tests/integration/test_flow.py::test_pay  "
                "[@pytest.mark.seam('Checkout → Payments')]",
                "  P0       verified  Orders → Store (TEST_PLAN.md:7)",
                "SEAM101 docstring-missing (error): 1",
                "  tests/integration/test_flow.py:16 test_store",
                "      integration test has no docstring: *",
            ]
        )
        assert "lists all" not in verbose.stdout.str()

    def test_colours_follow_pytests_color_option(self, pytester: pytest.Pytester) -> None:
        """--color=yes colours a failing seam red, an error code red and a verified seam
        green; --color=no writes no escape sequence in the section.

        Integration Scope: pytest's terminal writer, its --color option, term-missing.
        Business Impact: Red and green let a reader find what fails in a long log.
        Success Criteria: the ANSI red and green codes around the exact lines, none with no.
        """
        _project(pytester)
        coloured = pytester.runpytest("-p", "seams", "--color=yes", "--seam-report=term-missing")
        section = coloured.stdout.str().split("= seams =")[-1]
        # A run of lines of one colour is one write: the escape opens before its first line
        # and closes after its last.
        runs = re.findall(r"\x1b\[(3[12])m([^\x1b]*)\x1b\[0m", section)
        lines = {line: colour for colour, text in runs for line in text.split("\n")}
        row = "TEST_PLAN.md  P0            2         1        1        0        0         0    50%"
        assert lines[row] == "31"
        assert lines["  P0       failing   Checkout → Payments (TEST_PLAN.md:5)"] == "31"
        assert lines["  P0       verified  Orders → Store (TEST_PLAN.md:7)"] == "32"
        assert lines["SEAM101 docstring-missing (error): 1"] == "31"
        assert not [line for line in lines if line.startswith("      tests/")]  # links: plain
        plain = pytester.runpytest("-p", "seams", "--color=no", "--seam-report=term-missing")
        assert "\x1b[" not in plain.stdout.str()
