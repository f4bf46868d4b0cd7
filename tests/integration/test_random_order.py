"""Integration tests for pytest-randomly: the seed in the report, the reproducing command, and
runs without random order."""

from __future__ import annotations

import json
import shlex
import sys
from typing import Any

import pytest

SUITE = {
    "tests/integration/test_orders": '''\
"""Orders."""


def test_places_order():
    """Places an order.

    Integration Scope: cart and orders
    Business Impact: orders are taken
    Success Criteria: the order is placed
    """
    assert len("order") == 5


def test_refunds_order():
    """Refunds an order.

    Integration Scope: orders and payments
    Business Impact: money goes back
    Success Criteria: the refund is made
    """
    assert len("refund") == 7  # fails: "refund" has 6 letters
''',
    "tests/integration/test_cart": '''\
"""Cart."""


def test_adds_item():
    """Adds an item.

    Integration Scope: cart
    Business Impact: customers buy
    Success Criteria: the item is in the cart
    """
    assert len("item") == 4
''',
}

FILE_ORDER = [
    "tests/integration/test_cart.py::test_adds_item",
    "tests/integration/test_orders.py::test_places_order",
    "tests/integration/test_orders.py::test_refunds_order",
]
SHUFFLED = [FILE_ORDER[2], FILE_ORDER[1], FILE_ORDER[0]]  # seed 5 reverses file order

NOT_EXERCISED = "seams checklist: random order was not exercised: pytest-randomly was not active *"


def run(pytester: pytest.Pytester, *args: str) -> tuple[pytest.RunResult, dict[str, Any]]:
    result = pytester.runpytest_subprocess(
        "-p", "seams", "-v", "--seam-checklist", "--seam-report=json:out.json", *args
    )
    return result, json.loads((pytester.path / "out.json").read_text())


def ran(result: pytest.RunResult) -> list[str]:
    return [
        line.split(" ")[0]
        for line in result.stdout.lines
        if line.startswith("tests/") and (" PASSED " in line or " FAILED " in line)
    ]


class TestRandomOrder:
    """What pytest-seams records and prints about pytest-randomly's order.

    Seam Under Test:
        pytest-randomly (seed, reorganize) -> random_order_of -> ReportMeta and the terminal
        summary's reproducing command
    """

    def test_seed_and_the_command_that_reproduces_the_order(
        self, pytester: pytest.Pytester
    ) -> None:
        """A failing run in random order records its seed and prints the command that runs
        the same order again; the report does not depend on the seed.

        Integration Scope: pytest-randomly -> hooks (sessionfinish, terminal summary) ->
            report_builder meta -> JSON report and terminal line.
        Business Impact: A failure that shows in one order only is lost unless its order
            can be replayed exactly.
        Success Criteria:
            - meta.random_order is true and meta.random_seed is 5
            - the terminal prints the command in pytest-randomly's spelling
              (-p randomly --randomly-seed=5), and running it repeats the order, which is
              not file order
            - the report of seed 99 equals that of seed 5 apart from meta
        """
        pytester.makepyfile(**SUITE)
        result, report = run(pytester, "-p", "randomly", "--randomly-seed=5")
        assert result.ret == 1
        assert (report["meta"]["random_order"], report["meta"]["random_seed"]) == (True, 5)
        prefix = "seams: tests failed in a random order; to run the same order: "
        lines = [line for line in result.stdout.lines if line.startswith(prefix)]
        assert len(lines) == 1
        command = shlex.split(lines[0][len(prefix) :])
        assert command[0] == "pytest"
        assert command[-3:] == ["-p", "randomly", "--randomly-seed=5"]
        again = pytester.run(sys.executable, "-m", *command)
        assert ran(again) == ran(result) == SHUFFLED
        _, other = run(pytester, "-p", "randomly", "--randomly-seed=99")
        assert other["meta"]["random_seed"] == 99
        assert {k: v for k, v in other.items() if k != "meta"} == {
            k: v for k, v in report.items() if k != "meta"
        }

    def test_file_order_with_no_randomly(self, pytester: pytest.Pytester) -> None:
        """-p no:randomly runs in file order: no seed, no command, and the checklist says so.

        Integration Scope: -p no:randomly -> random_order_of -> meta, terminal summary,
            checklist.
        Business Impact: A team must know its suite was never shuffled, since order
            dependencies then stay hidden.
        Success Criteria:
            - meta.random_order is false, meta.random_seed null
            - no reproducing command, though a test fails
            - the checklist says random order was not exercised
        """
        pytester.makepyfile(**SUITE)
        result, report = run(pytester, "-p", "no:randomly")
        assert result.ret == 1
        assert (report["meta"]["random_order"], report["meta"]["random_seed"]) == (False, None)
        assert "to run the same order" not in result.stdout.str()
        result.stdout.fnmatch_lines([NOT_EXERCISED])

    def test_without_pytest_randomly_installed(
        self, pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A Python where pytest-randomly cannot be imported, and whose plugins are not
        autoloaded, is a Python without it: the session works and says so.

        Integration Scope: an interpreter that blocks `import pytest_randomly`
            (sitecustomize) with plugin autoload off -> pytest -p seams -> meta, checklist;
            seams isolation's usage error.
        Business Impact: pytest-randomly is an optional extra; without it nothing may break.
        Success Criteria:
            - the run ends with pytest's status 1 (one test fails), no internal error
            - meta.random_order is false; the checklist says random order was not exercised
            - seams isolation exits 2 saying pytest-randomly is not installed
        """
        pytester.makepyfile(**SUITE)
        blocker = pytester.mkdir("blocker")
        (blocker / "sitecustomize.py").write_text(
            "import sys\nsys.modules['pytest_randomly'] = None  # as if not installed\n"
        )
        monkeypatch.setenv("PYTHONPATH", str(blocker))
        monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")
        result, report = run(pytester)
        assert result.ret == 1
        assert "INTERNALERROR" not in result.stdout.str() + result.stderr.str()
        assert (report["meta"]["random_order"], report["meta"]["random_seed"]) == (False, None)
        result.stdout.fnmatch_lines([NOT_EXERCISED])
        finder = pytester.run(sys.executable, "-m", "pytest_seams.cli", "isolation")
        assert finder.ret == 2
        assert finder.stderr.lines == [
            "seams: error: pytest-randomly is not installed: install it "
            "(pip install 'pytest-seams[randomly]')"
        ]
