"""Shared helpers: run a real pytest session with pytest-seams and read its JSON report."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import settings
from hypothesis.configuration import set_hypothesis_home_dir

COMPLETE_DOCSTRING = '''"""Checkout stores the order.

    Integration Scope:
        API -> OrderService -> database
    Business Impact: Lost orders are lost revenue.
    Success Criteria:
        - the order row exists
    """
    assert True'''

# Property-based tests: a small fixed budget in the suite and no example database (nothing is
# written outside tmp_path); HYPOTHESIS_PROFILE=long for the longer run of docs/reliability.md.
settings.register_profile("suite", max_examples=60, deadline=None, database=None)
settings.register_profile("long", max_examples=5_000, deadline=None, database=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "suite"))


# Sample projects the tests copy into pytester folders; their own tests are not ours to run.
collect_ignore_glob = ["data/*"]


def pytest_sessionstart(session: pytest.Session) -> None:
    """Hypothesis keeps caches under ./.hypothesis even without a database (from collection
    on): in the session's temporary directory instead."""
    set_hypothesis_home_dir(session.config._tmp_path_factory.mktemp("hypothesis"))  # type: ignore[attr-defined]


@pytest.fixture(autouse=True)
def _pytester_projects_ask_for_seams(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    """Every pytester project here asks for pytest-seams (``-p seams`` in PYTEST_ADDOPTS), as
    a project that uses it does: unasked, the plugin stays silent. Set after pytester's own
    setup, which clears PYTEST_ADDOPTS; tests of an unasked project delete it again.

    Runtime leak detection is off in these projects: many of their tests write os.environ on
    purpose, to show a static finding (tests/integration/test_env_leak.py turns it back on).
    Run in this process, those writes would reach this session's environment: the variables
    they add are removed once the test is over, as pytester does for sys.modules."""
    if "pytester" not in request.fixturenames:
        yield
        return
    request.getfixturevalue("pytester")
    monkeypatch.setenv("PYTEST_ADDOPTS", "-p seams --seam-env-leak=off")
    before = set(os.environ)
    yield
    for name in set(os.environ) - before:
        os.environ.pop(name, None)  # seams: ignore[SEAM201] undoes an in-process inner run


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


@dataclass
class Compared:
    """The same session run with and without pytest-seams."""

    plain: pytest.RunResult
    seams: pytest.RunResult
    report: dict[str, Any]
    """The JSON report of the run with pytest-seams ({} when none was written)."""


def _outcomes(result: pytest.RunResult) -> dict[str, int]:
    try:
        return result.parseoutcomes()
    except ValueError:  # no summary line: the session died before printing one
        return {}


@pytest.fixture
def run_both(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Compared]:
    """Run pytest on the pytester project with ``-p no:seams`` and then with pytest-seams
    (and a JSON report in ``out.json``); assert the plugin changed neither the exit status
    nor the outcomes and that no INTERNALERROR was printed.

    ``subprocess=True`` for inputs that may kill the process (a crash must not take the
    suite down with it); ``seams_args`` only go to the run with the plugin.
    """
    # Both runs compile the test modules from source: otherwise the second run would load
    # the bytecode the first one wrote, and miss the warnings that compiling gives.
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")

    def run(*args: str, subprocess: bool = False, seams_args: tuple[str, ...] = ()) -> Compared:
        runner = pytester.runpytest_subprocess if subprocess else pytester.runpytest
        report_path = pytester.path / "out.json"
        report_path.unlink(missing_ok=True)
        plain = runner("-p", "no:seams", *args)
        seams = runner("-p", "seams", "--seam-report=json:out.json", *seams_args, *args)
        for result in (plain, seams):
            output = result.stdout.str() + result.stderr.str()
            assert "INTERNALERROR" not in output, output
        assert seams.ret == plain.ret, seams.stdout.str() + seams.stderr.str()
        assert _outcomes(seams) == _outcomes(plain)
        report = json.loads(report_path.read_text()) if report_path.exists() else {}
        return Compared(plain, seams, report)

    return run
