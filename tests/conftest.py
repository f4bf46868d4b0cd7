"""Shared helpers: run a real pytest session with pytest-seams and read its JSON report."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

COMPLETE_DOCSTRING = '''"""Checkout stores the order.

    Integration Scope:
        API -> OrderService -> database
    Business Impact: Lost orders are lost revenue.
    Success Criteria:
        - the order row exists
    """
    assert True'''

RunJson = Callable[..., tuple[pytest.RunResult, dict[str, Any]]]


@pytest.fixture
def run_json(pytester: pytest.Pytester) -> RunJson:
    """Run pytest in-process with a JSON report and return the result and the parsed report."""

    def run(*args: str, subprocess: bool = False) -> tuple[pytest.RunResult, dict[str, Any]]:
        runner = pytester.runpytest_subprocess if subprocess else pytester.runpytest
        result = runner("-p", "seams", "--seam-report=term", "--seam-report=json:out.json", *args)
        report_path = pytester.path / "out.json"
        report = json.loads(report_path.read_text()) if report_path.exists() else {}
        return result, report

    return run


CONTRACT_CATEGORIES = ("docstring", "suppression", "internal-error")


def codes_by_test(
    report: dict[str, Any], categories: tuple[str, ...] = CONTRACT_CATEGORIES
) -> dict[str, list[str]]:
    """Finding codes per node id (test name only), sorted, from a JSON report.

    Only the given categories count: the static rules also report the tiny test bodies that
    tests about the docstring contract use.
    """
    found: dict[str, list[str]] = {}
    for finding in report["findings"]:
        if finding["category"] not in categories:
            continue
        name = (finding["nodeid"] or "").rpartition("::")[2]
        found.setdefault(name, []).append(finding["code"])
    return {name: sorted(codes) for name, codes in found.items()}
