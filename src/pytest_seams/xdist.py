"""pytest-xdist roles: workers send their collection data, the controller merges it.

Registered only when xdist is loaded, as in pytest-randomly and pytest-cov.
"""

from __future__ import annotations

from typing import Any

import pytest

from pytest_seams.collect import CollectionData
from pytest_seams.model import adapter
from pytest_seams.session import SeamsSession

WORKER_OUTPUT_KEY = "seams"


def is_worker(config: pytest.Config) -> bool:
    return hasattr(config, "workerinput")


def send_from_worker(config: pytest.Config, state: SeamsSession) -> None:
    workeroutput: dict[str, Any] = config.workeroutput  # type: ignore[attr-defined]
    state.collected.stats = state.analysis_stats()
    workeroutput[WORKER_OUTPUT_KEY] = adapter(CollectionData).dump_json(state.collected).decode()


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
    """Hooks of the xdist controller, which runs no tests and collects nothing itself."""

    def __init__(self, state: SeamsSession) -> None:
        self.state = state
        self.workers: set[str] = set()

    @pytest.hookimpl(optionalhook=True)
    def pytest_testnodeready(self, node: Any) -> None:
        self.workers.add(node.gateway.id)
        self.state.xdist_workers = len(self.workers)

    @pytest.hookimpl(optionalhook=True)
    def pytest_testnodedown(self, node: Any, error: object) -> None:
        worker = node.gateway.id
        payload = getattr(node, "workeroutput", {}).get(WORKER_OUTPUT_KEY)
        if payload is None:
            reason = f": {str(error).strip().splitlines()[-1]}" if error else ""
            self.state.problems.append(
                f"xdist worker {worker} stopped without sending its data{reason}"
            )
            return
        try:
            self.state.collected.merge(adapter(CollectionData).validate_json(payload))
        except ValueError as invalid:  # pydantic's ValidationError is a ValueError
            self.state.problems.append(f"xdist worker {worker} sent unreadable data: {invalid}")
