"""A pytest plugin for ``seams isolation``'s runs (``-p pytest_seams.isolation_recorder``):
appends each test's phase outcomes, in the order they ran, to the file named by
``SEAMS_ISOLATION_RECORD``; does nothing without it."""

from __future__ import annotations

import json
import os

import pytest

RECORD_VARIABLE = "SEAMS_ISOLATION_RECORD"


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    path = os.environ.get(RECORD_VARIABLE)
    if not path or os.environ.get("PYTEST_XDIST_WORKER"):  # the controller records all
        return
    # Under xdist the tests that ran before a test are those of its own worker.
    node = getattr(report, "node", None)
    worker = str(getattr(getattr(node, "gateway", None), "id", "main"))
    line = {"nodeid": report.nodeid, "when": report.when, "outcome": report.outcome}
    with open(path, "a", encoding="utf-8") as record:
        record.write(json.dumps({**line, "worker": worker}) + "\n")


def pytest_sessionfinish(session: pytest.Session) -> None:
    path = os.environ.get(RECORD_VARIABLE)
    if path and not os.environ.get("PYTEST_XDIST_WORKER"):
        with open(path, "a", encoding="utf-8") as record:
            record.write(json.dumps({"rootdir": str(session.config.rootpath)}) + "\n")
