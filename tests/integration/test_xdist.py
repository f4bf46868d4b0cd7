"""Integration tests for pytest-xdist: one report, written once, equal to a plain run."""

from __future__ import annotations

import pytest

from tests.conftest import COMPLETE_DOCSTRING, RunJson

PROJECT = {
    "tests/integration/test_a": f"""
import pytest

def test_undocumented():
    pass

@pytest.mark.parametrize("n", range(6))
def test_many(n):
    {COMPLETE_DOCSTRING}
    assert n != 4

class TestGroup:
    def test_in_class(self):
        '''Only a summary.'''
""",
    "tests/integration/test_b": "def test_b():  # seams: ignore[SEAM101]\n    pass\n",
    "tests/test_unit": "def test_unit():\n    pass\n",
}


def _comparable(report: dict[str, object]) -> dict[str, object]:
    return {key: value for key, value in report.items() if key != "meta"}


class TestXdist:
    """The report under pytest-xdist.

    Seam Under Test:
        xdist workers -> workeroutput -> controller -> one Report
    """

    def test_two_workers_give_the_same_report_as_none(
        self, pytester: pytest.Pytester, run_json: RunJson
    ) -> None:
        """-n 2 gives the same findings and tests as -n 0, each finding once.

        Integration Scope: real xdist workers, worker payloads, controller merge, JSON writer.
        Business Impact: Large suites run under xdist; their report must not change or double.
        Success Criteria:
            - findings and tests are equal between -n 0 and -n 2
            - every finding appears once; the JSON is written once, by the controller
        """
        pytester.makepyfile(**PROJECT)
        plain_result, plain = run_json("-n", "0", subprocess=True)
        plain_result.assert_outcomes(passed=9, failed=1)
        (pytester.path / "out.json").unlink()
        result, distributed = run_json("-n", "2", subprocess=True)
        result.assert_outcomes(passed=9, failed=1)
        assert _comparable(distributed) == _comparable(plain)
        assert distributed["meta"]["xdist_workers"] == 2
        assert distributed["meta"]["partial"] is False
        keys = [(f["code"], f["nodeid"], f["message"]) for f in distributed["findings"]]
        assert len(keys) == len(set(keys)) == 7
        assert result.stdout.str().count("seams: wrote") == 1
        assert result.stdout.str().count("SEAM101 docstring-missing") == 1

    def test_crashed_worker_gives_a_partial_report(
        self, pytester: pytest.Pytester, run_json: RunJson
    ) -> None:
        """A worker that dies marks the report partial; what the others sent is kept.

        Integration Scope: xdist worker crash and replacement, controller bookkeeping.
        Business Impact: A crash must never silently shrink the report.
        Success Criteria:
            - meta.partial is true and names the worker
            - the findings of the surviving workers are present, the session ends normally
        """
        pytester.makepyfile(
            **PROJECT,
            **{
                "tests/integration/test_crash": f"""
import os

def test_crash():
    {COMPLETE_DOCSTRING}
    os._exit(3)
"""
            },
        )
        result, report = run_json("-n", "2", subprocess=True)
        assert "INTERNALERROR" not in result.stdout.str()
        assert report["meta"]["partial"] is True
        assert any("worker" in problem for problem in report["meta"]["problems"])
        assert {f["code"] for f in report["findings"]} == {"SEAM101", "SEAM102", "SEAM501"}
        # The crashed worker's share of the static analysis is redone by the controller.
        assert report["meta"]["analysis"]["files"] == 4
        result.stdout.fnmatch_lines(["seams: *partial: xdist worker gw* stopped*"])
