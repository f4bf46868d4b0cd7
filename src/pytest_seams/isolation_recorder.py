"""A pytest plugin for ``seams isolation``'s runs (``-p pytest_seams.isolation_recorder``):
appends each test's phase outcomes, in the order they ran, to the file named by
``SEAMS_ISOLATION_RECORD``; does nothing without it."""

from __future__ import annotations

import json
import os

import pytest

RECORD_VARIABLE = "SEAMS_ISOLATION_RECORD"


class _Recorder:
    def __init__(self, path: str) -> None:
        self.path = path

    def _write(self, line: dict[str, str]) -> None:
        with open(self.path, "a", encoding="utf-8") as record:
            record.write(json.dumps(line) + "\n")

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        # Under xdist the tests that ran before a test are those of its own worker.
        node = getattr(report, "node", None)
        worker = str(getattr(getattr(node, "gateway", None), "id", "main"))
        self._write(
            {
                "nodeid": report.nodeid,
                "when": report.when,
                "outcome": report.outcome,
                "worker": worker,
            }
        )

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        self._write({"rootdir": str(session.config.rootpath)})


def pytest_configure(config: pytest.Config) -> None:
    path = os.environ.get(RECORD_VARIABLE)
    # Under xdist the controller records every test; a worker records nothing. Asked of the
    # config, not of PYTEST_XDIST_WORKER, which a run started from inside a worker inherits.
    if path and not hasattr(config, "workerinput"):
        config.pluginmanager.register(_Recorder(path), "seams-isolation-recorder")
