"""The recorder's file as seams isolation reads it."""

from __future__ import annotations

from pytest_seams.isolation_finder import _record, as_run


def test_a_record_cut_short_is_skipped() -> None:
    """A run killed while the recorder wrote a line leaves half a line: the finder reads the
    lines before it instead of stopping with a traceback."""
    lines = [
        '{"nodeid": "t.py::a", "when": "call", "outcome": "passed", "worker": "main"}',
        '{"nodeid": "t.py::b", "when": "ca',
    ]
    records = [entry for line in lines if (entry := _record(line)) is not None]
    assert as_run("file order", None, records).outcomes == {"t.py::a": "passed"}
