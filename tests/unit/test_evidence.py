"""Evidence.merge: what the controller makes of its workers' evidence."""

from __future__ import annotations

from pytest_seams.evidence import Evidence
from pytest_seams.model import AnalysisStats, Finding, TestRecord


def _internal(message: str) -> Finding:
    return Finding("SEAM000", "internal-error", "error", None, None, None, message)


def test_merge_keeps_each_test_and_problem_once_and_the_worst_outcome() -> None:
    mine = Evidence(
        tests=[TestRecord("t.py::a", "t.py", 1, True)],
        outcomes={"t.py::a": "passed"},
        problems=["cache off"],
        files=["t.py"],
        stats=AnalysisStats(files=1, parsed=1),
    )
    theirs = Evidence(
        tests=[TestRecord("t.py::a", "t.py", 1, True), TestRecord("u.py::b", "u.py", 2, False)],
        findings=[_internal("boom")],
        outcomes={"t.py::a": "error", "u.py::b": "skipped"},
        problems=["cache off", "worker gw1 stopped"],
        files=["u.py"],
        stats=AnalysisStats(files=1, cached=1),
    )
    mine.merge(theirs)
    assert [test.nodeid for test in mine.tests] == ["t.py::a", "u.py::b"]
    assert mine.findings == [_internal("boom")]
    assert mine.outcomes == {"t.py::a": "error", "u.py::b": "skipped"}
    assert mine.problems == ["cache off", "worker gw1 stopped"]
    assert mine.files == ["t.py", "u.py"]
    assert mine.stats == AnalysisStats(files=2, parsed=1, cached=1)


def test_a_passing_call_does_not_hide_a_failed_teardown() -> None:
    evidence = Evidence()
    evidence.record_outcome("t.py::a", "error")
    evidence.record_outcome("t.py::a", "passed")
    assert evidence.outcomes == {"t.py::a": "error"}
