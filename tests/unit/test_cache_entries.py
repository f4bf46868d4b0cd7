"""Property tests: whatever JSON a cache file holds, reading it back gives a valid result or a
miss, never an exception of another kind nor a value that breaks the session later."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from pytest_seams.analysis.results import FileAnalysis, RawFinding
from pytest_seams.codes import ALL_CODES
from pytest_seams.contract import _from_stored, _templates_from_stored

MAX_LINE = 500

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False)
    | st.text(max_size=12)
    | st.sampled_from(sorted(ALL_CODES)),
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=8), children, max_size=5)
    ),
    max_leaves=30,
)

lines = st.integers(min_value=1, max_value=MAX_LINE)
names = st.text(min_size=1, max_size=20)
raw_findings = st.builds(
    RawFinding,
    code=st.sampled_from(sorted(ALL_CODES)),
    line=lines,
    owner=st.none() | names,
    owner_kind=st.sampled_from(["test", "fixture", "helper", "module"]),
    message=st.text(max_size=40),
    target=st.none() | names,
    fixable=st.booleans(),
)
analyses = st.builds(
    FileAnalysis,
    findings=st.lists(raw_findings, max_size=5),
    marks=st.dictionaries(names, st.lists(names, max_size=3), max_size=3),
    comments=st.lists(
        st.tuples(lines, st.none() | st.lists(names, max_size=3).map(tuple)), max_size=3
    ),
    error=st.none() | st.text(max_size=20),
)


def assert_valid(analysis: FileAnalysis) -> None:
    """What the rest of the session relies on (project.py, suppression, the report)."""
    for finding in analysis.findings:
        assert finding.code in ALL_CODES
        assert type(finding.line) is int
        assert 1 <= finding.line <= MAX_LINE
        assert finding.owner is None or isinstance(finding.owner, str)
        assert finding.owner_kind in ("test", "fixture", "helper", "module")
        assert isinstance(finding.message, str)
        assert finding.target is None or isinstance(finding.target, str)
        assert isinstance(finding.fixable, bool)
    for owner, marks in analysis.marks.items():
        assert isinstance(owner, str)
        assert isinstance(marks, list)
        assert all(isinstance(mark, str) for mark in marks)
    for line, codes in analysis.comments:
        assert type(line) is int
        assert 1 <= line <= MAX_LINE
        assert codes is None or all(isinstance(code, str) for code in codes)
    assert analysis.error is None or isinstance(analysis.error, str)


def from_disk(data: Any) -> FileAnalysis | None:
    """``from_plain`` of data as it comes back from a JSON file; None for a miss."""
    try:
        return FileAnalysis.from_plain(json.loads(json.dumps(data)), MAX_LINE)
    except ValueError:
        return None


@given(analyses)
def test_a_written_analysis_reads_back_equal(analysis: FileAnalysis) -> None:
    assert from_disk(analysis.to_plain()) == analysis


@given(json_values)
def test_any_json_is_a_valid_analysis_or_a_miss(data: Any) -> None:
    read = from_disk(data)
    if read is not None:
        assert_valid(read)


def _replace_one(data: Any, choice: int, value: Any) -> Any:
    """``data`` with the ``choice``-th node (in a depth-first walk) replaced by ``value``."""
    nodes: list[tuple[Any, Any]] = []

    def walk(node: Any) -> None:
        children = (
            list(enumerate(node))
            if isinstance(node, list)
            else list(node.items())
            if isinstance(node, dict)
            else []
        )
        for key, child in children:
            nodes.append((node, key))
            walk(child)

    walk(data)
    if nodes:
        parent, key = nodes[choice % len(nodes)]
        parent[key] = value
    return data


@given(analyses, st.integers(min_value=0), json_values)
def test_a_damaged_analysis_is_valid_or_a_miss(
    analysis: FileAnalysis, choice: int, value: Any
) -> None:
    """One value anywhere in a real entry replaced by any JSON value."""
    damaged = _replace_one(json.loads(json.dumps(analysis.to_plain())), choice, value)
    read = from_disk(damaged)
    if read is not None:
        assert_valid(read)


@given(json_values)
def test_stored_breaches_are_valid_or_a_miss(stored: Any) -> None:
    breaches = _from_stored(stored)
    for breach in breaches or ():
        assert breach.code in ALL_CODES.values()
        assert isinstance(breach.message, str)
        assert breach.line is None or (type(breach.line) is int and breach.line >= 0)


@given(json_values, st.lists(st.text(max_size=10) | st.integers(), max_size=4))
def test_stored_templates_are_valid_or_a_miss(stored: Any, messages: list[Any]) -> None:
    def message(message_id: object) -> str | None:
        if type(message_id) is int and 0 <= message_id < len(messages):
            text = messages[message_id]
            return text if isinstance(text, str) else None
        return None

    for code, text, line in _templates_from_stored(stored, message) or ():
        assert code in ALL_CODES.values()
        assert isinstance(text, str)
        assert line is None or (type(line) is int and line >= 1)
