"""pytest-xdist roles: workers send all their evidence, the controller merges it.

Registered only when xdist is loaded, as in pytest-randomly and pytest-cov.
"""

from __future__ import annotations

import os
from collections.abc import Generator
from typing import Any

import pytest

from pytest_seams.collect import guarded
from pytest_seams.evidence import Evidence
from pytest_seams.model import TestRecord, adapter
from pytest_seams.paths import matches_any
from pytest_seams.session import SeamsSession

WORKER_OUTPUT_KEY = "seams"


def is_worker(config: pytest.Config) -> bool:
    return hasattr(config, "workerinput")


def send_from_worker(config: pytest.Config, state: SeamsSession) -> None:
    """Put everything the worker learned (internal errors and problems included) where xdist
    hands it to the controller."""
    workeroutput: dict[str, Any] = config.workeroutput  # type: ignore[attr-defined]
    evidence = state.complete_evidence()
    workeroutput[WORKER_OUTPUT_KEY] = adapter(Evidence).dump_json(evidence).decode()


def worker_share(files: list[str], config: pytest.Config) -> list[str]:
    """The files this process analyses: all of them, or an xdist worker's slice.

    Worker gwN takes every file whose position in the sorted list is N modulo the worker
    count, so each file is analysed once in total. A replacement worker (after a crash) takes
    none; the controller analyses whatever no worker reported.
    """
    workerinput = getattr(config, "workerinput", None)
    if workerinput is None:
        return files
    count = int(workerinput.get("workercount", 1))
    index = int(str(workerinput.get("workerid", "gw0")).removeprefix("gw") or 0)
    return [file for position, file in enumerate(sorted(files)) if position % count == index]


class XdistController:
    """Hooks of the xdist controller, which runs no tests and collects nothing itself.

    Workers send their evidence when they stop. One that crashes (a test calling
    ``os._exit``, a SIGKILL, ``--max-worker-restart=0``) sends nothing; when no worker sent
    data for a test, the controller still knows its node id (from the workers' collection and
    the test reports it received): such tests are reported from that, and their files are
    analysed by the controller.
    """

    def __init__(self, state: SeamsSession) -> None:
        self.state = state
        self.workers: set[str] = set()
        self.sent: set[str] = set()  # workers whose evidence arrived
        self.collected_ids: dict[str, None] = {}  # ordered set of the workers' node ids
        self.reported: dict[str, tuple[str, int | None, bool]] = {}  # path, line, integration

    @pytest.hookimpl(optionalhook=True)
    def pytest_testnodeready(self, node: Any) -> None:
        self.workers.add(node.gateway.id)
        self.state.xdist_workers = len(self.workers)

    @pytest.hookimpl(optionalhook=True)
    def pytest_testnodedown(self, node: Any, error: object) -> None:
        worker = node.gateway.id
        payload = getattr(node, "workeroutput", {}).get(WORKER_OUTPUT_KEY)
        if payload is None:
            lines = str(error).strip().splitlines() if error else []
            reason = f": {lines[-1]}" if lines else ""  # the last line of a traceback says it
            self.state.evidence.problems.append(
                f"xdist worker {worker} stopped without sending its data{reason}"
            )
            return
        try:
            self.state.evidence.merge(adapter(Evidence).validate_json(payload))
        except (ValueError, TypeError) as invalid:  # ValidationError is a ValueError
            self.state.evidence.problems.append(
                f"xdist worker {worker} sent unreadable data: {invalid}"
            )
            return
        self.sent.add(worker)

    @pytest.hookimpl(optionalhook=True)
    def pytest_xdist_node_collection_finished(self, node: Any, ids: list[str]) -> None:
        if len(self.collected_ids) < len(ids):  # every worker collects the same tests
            self.collected_ids = dict.fromkeys(ids)

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        # Registered whenever xdist is installed: nothing to note in a session without workers.
        if not self.workers or report.nodeid in self.reported:
            return
        with guarded(self.state.evidence.findings, "noting a test report", nodeid=report.nodeid):
            # A crashed worker's report, made by xdist, may lack a line, or a location.
            path, line = (report.location or (None, None))[:2]
            markers = self.state.config.integration_markers
            self.reported[report.nodeid] = (
                str(path).replace(os.sep, "/") if path else report.nodeid.partition("::")[0],
                line + 1 if isinstance(line, int) else None,
                any(marker in report.keywords for marker in markers),
            )

    @pytest.hookimpl(wrapper=True)
    def pytest_sessionfinish(self) -> Generator[None, None, None]:
        # Before the report is built (a wrapper runs ahead of every plain implementation).
        with guarded(self.state.evidence.findings, "reporting the tests of crashed xdist workers"):
            self._add_unreported_tests()
        return (yield)

    def _add_unreported_tests(self) -> None:
        """Tests no worker sent data for, recorded from what the controller saw of them.

        Their docstring contract is not checked (that needs the test objects, which only the
        crashed worker had); they count as integration tests by path, or by the integration
        markers in their reports. Their files join those the controller analyses statically.

        Every worker collects every test, so once one worker's evidence arrived, the tests it
        did not record are those its collection failed on: its internal-error finding says
        so, as in a run without xdist, and they are not made up from node ids.
        """
        if not (self.collected_ids or self.reported):  # no workers: all tests are known
            return
        if self.sent:
            return
        collected = self.state.evidence
        known = {test.nodeid for test in collected.tests}
        missing = [
            nodeid
            for nodeid in {**self.collected_ids, **dict.fromkeys(self.reported)}
            if nodeid not in known
        ]
        if not missing:
            return
        paths = self.state.config.integration_paths
        files = set(collected.files)
        for nodeid in missing:
            path, line, marked = self.reported.get(nodeid, (nodeid.partition("::")[0], None, False))
            integration = marked or matches_any(path, paths)
            collected.tests.append(TestRecord(nodeid, path, line, integration))
            if path.endswith(".py"):  # not a doctest file or a plugin's YAML test file
                files.add(path)
        collected.files = sorted(files)
        self.state.evidence.problems.append(
            f"{len(missing)} tests are reported from their node ids alone, as no xdist worker "
            "sent data for them: their docstring contracts were not checked; rerun without "
            "the crashing test, or with -p no:xdist, for a full report"
        )
