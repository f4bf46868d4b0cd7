"""SEAM301/SEAM302 on real projects: exact targets, boundary objects, new forms, no silent pass."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import RunJson

# A first-party package with a logger, a module constant, a class with a private method, a
# dependency provider and a function that takes a repository.
SHOP = {
    "src/shop/__init__": "",
    "src/shop/deps": """
class Repo:
    def save(self, item):
        return item


def get_repo():
    return Repo()
""",
    "src/shop/api": """
import logging

from shop.deps import Repo

logger = logging.getLogger(__name__)
TIMEOUT = 5


class Git:
    def _clone(self):
        return "cloned"


def place_order(repo, item):
    logger.info("placing %s", item)
    return repo.save(item)
""",
}
PYPROJECT = """
[project]
name = "shop"
version = "0"

[tool.pytest.ini_options]
pythonpath = ["src"]
"""
CONFTEST = """
import types

import pytest

from shop.deps import Repo


@pytest.fixture
def app():
    return types.SimpleNamespace(dependency_overrides={})


@pytest.fixture
def service():
    return Repo()
"""
DOCSTRING = '''"""Checks an order.

    Integration Scope: shop.api
    Business Impact: orders
    Success Criteria: the order is placed
    """'''
ADVICE = (
    "use the real one, and fake only the external boundary it reaches (or list its module in "
    "seam_boundaries if it is an adapter to an external service)."
)


def make_project(pytester: pytest.Pytester, test_code: str) -> None:
    pytester.makepyfile(
        **SHOP,
        **{
            "tests/integration/conftest": CONFTEST,
            "tests/integration/test_orders": test_code.replace("DOCSTRING", DOCSTRING),
        },
    )
    pytester.makefile(".toml", pyproject=PYPROJECT)


def mock_findings(report: dict[str, Any]) -> list[tuple[int, str, str, str]]:
    return sorted(
        (f["line"], f["code"], f["severity"], f["message"])
        for f in report["findings"]
        if f["category"] == "internal-mock"
    )


class TestMockTargets:
    """What SEAM301 and SEAM302 say a test replaces, and what they leave alone.

    Seam Under Test:
        test file -> libcst mock rule -> first-party resolution of shop's modules -> JSON report
    """

    def test_patch_messages_name_the_exact_target_once(
        self, pytester: pytest.Pytester, run_json: RunJson
    ) -> None:
        """patch.object of a method names the method, monkeypatch.setattr names the attribute.

        Integration Scope: the mock rule, first-party resolution of shop.api through its
            definitions, message composition in the project analysis, the JSON report.
        Business Impact: A message that names Git when Git._clone was replaced, repeats the
            target, or prints an internal placeholder sends the user to the wrong code.
        Success Criteria:
            - patch.object(Git, "_clone") replaces shop.api.Git._clone, part of class Git
            - monkeypatch.setattr(shop.api, "place_order", fake) replaces shop.api.place_order,
              a function, and a mock assigned to a first-party object's attribute names it
            - each message names its target exactly once and holds no "<...>" placeholder
        """
        make_project(
            pytester,
            """
from unittest.mock import MagicMock, patch

import shop.api
from shop.api import Git
from shop.deps import Repo


def fake_place_order(repo, item):
    return item


def test_order(monkeypatch):
    DOCSTRING
    with patch.object(Git, "_clone"):
        pass
    monkeypatch.setattr(shop.api, "place_order", fake_place_order)
    repo = Repo()
    repo.save = MagicMock()
    assert repo
""",
        )
        result, report = run_json("--collect-only")
        assert result.ret == 0
        assert mock_findings(report) == [
            (
                19,
                "SEAM301",
                "error",
                "patch.object(...) replaces shop.api.Git._clone, part of class Git defined in "
                f"first-party module shop.api: {ADVICE}",
            ),
            (
                21,
                "SEAM301",
                "error",
                "monkeypatch.setattr(...) replaces shop.api.place_order, a function defined in "
                f"first-party module shop.api: {ADVICE}",
            ),
            (
                23,
                "SEAM301",
                "error",
                "MagicMock(...) replaces attribute save of a shop.deps.Repo object (a class "
                "defined in first-party module shop.deps): use the real object, configured for "
                "the test, and fake only the external boundary it reaches.",
            ),
        ]
        for _, _, _, message in mock_findings(report):
            assert "<" not in message
        assert mock_findings(report)[0][3].count("Git._clone") == 1

    def test_logger_constant_and_real_fakes_stay_quiet(
        self, pytester: pytest.Pytester, run_json: RunJson
    ) -> None:
        """Patching a stdlib-made logger, a module constant or a plain value is no finding.

        Integration Scope: first-party resolution of module globals (logger =
            logging.getLogger(...), TIMEOUT = 5), the mock rule's reading of replacements,
            strict mode's verdict.
        Business Impact: A logger patch or a config tweak flagged as an internal mock is a
            false alarm that teaches users to ignore the rule.
        Success Criteria:
            - patch("shop.api.logger"), patch.object(shop.api.logger, "info") and the
              logger imported by name give no finding
            - patch("shop.api.TIMEOUT"), setattr to a plain value or to a real object built
              by a call, and a mock set on a mock give no finding
            - the strict-mode session passes
        """
        make_project(
            pytester,
            """
from unittest.mock import Mock, patch

import shop.api
from shop.api import logger
from shop.deps import Repo


class FakeStore(dict):
    pass


def test_order(monkeypatch):
    DOCSTRING
    with patch("shop.api.logger"), patch.object(shop.api.logger, "info"):
        pass
    with patch.object(logger, "warning"), patch("shop.api.TIMEOUT"):
        pass
    monkeypatch.setattr(shop.api, "TIMEOUT", 0)
    monkeypatch.setattr(shop.api, "logger", Mock())
    repo = Repo()
    monkeypatch.setattr(repo, "store", FakeStore(), raising=False)
    mock = Mock()
    mock.child = Mock()
    assert shop.api.place_order(repo, "x") == "x"
""",
        )
        result, report = run_json("--seam-mode=strict")
        assert mock_findings(report) == []
        assert result.ret == 0
        result.assert_outcomes(passed=1)

    def test_dependency_override_with_a_mock(
        self, pytester: pytest.Pytester, run_json: RunJson
    ) -> None:
        """A FastAPI dependency override with a mock is SEAM301; with a real fake it is not.

        Integration Scope: the mock rule's dependency_overrides forms (subscript assignment,
            .update, a test-file function returning a mock), first-party resolution of the
            provider.
        Business Impact: Overriding the repository provider with a MagicMock skips the real
            persistence path the integration test should cover.
        Success Criteria:
            - app.dependency_overrides[get_repo] = MagicMock() is SEAM301 naming
              shop.deps.get_repo
            - .update({get_repo: override}) where override returns an AsyncMock is SEAM301
            - lambda: FakeRepo() (a real fake) and lambda: service (a fixture) pass
        """
        make_project(
            pytester,
            """
from unittest.mock import AsyncMock, MagicMock

from shop.deps import get_repo


class FakeRepo:
    def save(self, item):
        return item


def override():
    repo = AsyncMock()
    return repo


def test_order(app, service):
    DOCSTRING
    app.dependency_overrides[get_repo] = MagicMock()
    app.dependency_overrides.update({get_repo: override})
    app.dependency_overrides[get_repo] = lambda: FakeRepo()
    app.dependency_overrides[get_repo] = lambda: service
    assert app.dependency_overrides
""",
        )
        _, report = run_json("--collect-only")
        message = (
            "app.dependency_overrides[...] puts a mock in place of shop.deps.get_repo, a "
            "function defined in first-party module shop.deps: keep the real provider, or "
            "override it with a real fake (an in-memory implementation, fakeredis), and fake "
            "only the external boundary it reaches."
        )
        assert mock_findings(report) == [
            (23, "SEAM301", "error", message),
            (24, "SEAM301", "error", message),
        ]

    def test_spec_mock_passed_as_a_collaborator(
        self, pytester: pytest.Pytester, run_json: RunJson
    ) -> None:
        """A mock shaped like a first-party class and passed to first-party code is SEAM301.

        Integration Scope: the mock rule's spec mock tracking (Mock(spec=...),
            create_autospec), the call it is passed to, first-party resolution of both.
        Business Impact: Mock(spec=Repo) handed to place_order replaces the repository the
            integration test should exercise, though no patch() appears.
        Success Criteria:
            - a name bound to Mock(spec=Repo) passed to place_order is SEAM301
            - create_autospec(Repo) passed directly is SEAM301
            - a spec mock only asserted on, and one shaped like a stdlib class, pass
        """
        make_project(
            pytester,
            """
import logging
from unittest.mock import Mock, create_autospec

from shop.api import place_order
from shop.deps import Repo


def test_order():
    DOCSTRING
    repo = Mock(spec=Repo)
    place_order(repo, "book")
    place_order(create_autospec(Repo), "pen")
    unused = Mock(spec=Repo)
    unused.save.assert_not_called()
    place_order(Repo(), Mock(spec=logging.Logger))
    assert repo.save.called
""",
        )
        _, report = run_json("--collect-only")
        advice = (
            "is passed to place_order(...) and stands in for it: pass the real object, with a "
            "high-fidelity fake only at the external boundary it reaches."
        )
        shaped = "shop.deps.Repo, a class defined in first-party module shop.deps,"
        assert mock_findings(report) == [
            (16, "SEAM301", "error", f"repo, a mock shaped like {shaped} {advice}"),
            (17, "SEAM301", "error", f"a mock shaped like {shaped} {advice}"),
        ]

    def test_untraceable_targets_give_info_not_silence(
        self, pytester: pytest.Pytester, run_json: RunJson
    ) -> None:
        """patch.object and mock assignment on a fixture's object are SEAM302 info.

        Integration Scope: the mock rule's tracing of names (fixture parameters, results
            of untraced calls), severity handling and strict mode.
        Business Impact: A silent pass on patch.object(service, "save") could hide a
            first-party mock; an error would be a guess. Info says: check it by hand.
        Success Criteria:
            - patch.object(service, "save") and service.save = Mock() are SEAM302 info naming
              service.save and why it cannot be traced
            - the test case's own attribute (self.client = Mock()) is no finding
            - info does not fail a strict session
        """
        make_project(
            pytester,
            """
from unittest.mock import Mock, patch


class TestOrders:
    def setup_method(self):
        self.client = Mock()

    def test_order(self, service):
        DOCSTRING
        with patch.object(service, "save"):
            pass
        service.save = Mock()
        assert self.client
""",
        )
        result, report = run_json("--seam-mode=strict")
        why = (
            "but pytest-seams cannot trace service to where it is defined (a fixture, a "
            "parameter, an attribute set elsewhere, or the result of a call it does not "
            "follow), so it cannot tell whether "
            "this is first-party code; check it by hand, or patch it by its dotted path so it "
            "can be checked."
        )
        assert mock_findings(report) == [
            (15, "SEAM302", "info", f"patch.object(...) replaces service.save, {why}"),
            (17, "SEAM302", "info", f"Mock(...) replaces service.save, {why}"),
        ]
        assert result.ret == 0

    def test_boundary_globals_spies_and_returned_objects(
        self, pytester: pytest.Pytester, run_json: RunJson
    ) -> None:
        """Stdlib-built globals and decorator attributes are boundaries; spies pass; what a
        first-party method returns is SEAM302; lines stay right after a multi-line string.

        Integration Scope: first-party resolution of module globals made by stdlib calls
            and of functions wrapped by a stdlib decorator, the mock rule's reading of
            wraps= and of call results, line numbers of the analysis.
        Business Impact: Patching an HTTP connection or lru_cache's cache_clear is mocking
            the boundary; flagging it, or a spy that runs the real code, is a false alarm.
        Success Criteria:
            - patching shop.net.conn.request and shop.net.lookup.cache_clear gives nothing
            - patch.object(..., wraps=...) and a list of data as replacement give nothing
            - patching an attribute of what Repo().load() returns is SEAM302 naming it
            - a SEAM301 after a parenthesized multi-line string is reported on its own line
        """
        pytester.makepyfile(
            **{
                "src/shop/net": """
import functools
import http.client

conn = http.client.HTTPConnection("example.org")


@functools.lru_cache
def lookup(name):
    return name
""",
                "src/shop/store": """
class Repo:
    items = ["a"]

    def load(self):
        return self

    def save(self, item):
        return item
""",
            }
        )
        make_project(
            pytester,
            """
from unittest.mock import patch

from shop.store import Repo


def test_order():
    DOCSTRING
    with patch("shop.net.conn.request"), patch("shop.net.lookup.cache_clear"):
        pass
    repo = Repo()
    with patch.object(repo, "save", wraps=repo.save), patch.object(Repo, "items", [str(1)]):
        pass
    with patch.object(repo.load(), "save"):
        pass
    label = (
        b"multi-line"
    )
    with patch.object(Repo, "load"):
        assert label
""",
        )
        _, report = run_json("--collect-only")
        assert mock_findings(report) == [
            (
                18,
                "SEAM302",
                "info",
                "patch.object(...) replaces shop.store.Repo().load().save, but pytest-seams "
                "cannot tell whether it is first-party code (what shop.store.Repo().load returns "
                "is not known statically); check it by hand.",
            ),
            (
                23,
                "SEAM301",
                "error",
                "patch.object(...) replaces shop.store.Repo.load, part of class Repo defined in "
                f"first-party module shop.store: {ADVICE}",
            ),
        ]

    def test_instance_data_of_a_first_party_object_is_info(
        self, pytester: pytest.Pytester, run_json: RunJson
    ) -> None:
        """A mock put in an attribute the class's methods set is info; in a method, an error.

        Integration Scope: first-party resolution of a class's own and inherited instance
            attributes (self.x = ... in its methods) -> the mock rule's verdict and message.
        Business Impact: rq's tests put a mock in place of the scheduler's process, a stdlib
            multiprocessing object the class holds; calling that "first-party code" was a
            false alarm, while replacing a method of the class is a true one.
        Success Criteria:
            - a mock in worker._process (set in Worker.__init__) is SEAM302 info naming why
            - a mock in worker.scheduler (set by a base class's method) is SEAM302 info too
            - a mock in worker.run (a method of Worker) stays SEAM301
        """
        pytester.makepyfile(
            **{
                "src/shop/workers": """
class Base:
    def start(self):
        self.scheduler = None


class Worker(Base):
    def __init__(self):
        self._process = None

    def run(self):
        return self._process
""",
            }
        )
        make_project(
            pytester,
            """
from unittest.mock import MagicMock

from shop.workers import Worker


def test_order():
    DOCSTRING
    worker = Worker()
    worker._process = MagicMock()
    worker.scheduler = MagicMock()
    worker.run = MagicMock()
    assert worker
""",
        )
        _, report = run_json("--collect-only")
        why = "or its bases, so what it holds is not known statically); check it by hand."
        assert mock_findings(report) == [
            (
                14,
                "SEAM302",
                "info",
                "MagicMock(...) replaces attribute _process of a shop.workers.Worker object, but "
                "pytest-seams cannot tell whether it is first-party code (_process is set at "
                f"runtime by the methods of shop.workers.Worker {why}",
            ),
            (
                15,
                "SEAM302",
                "info",
                "MagicMock(...) replaces attribute scheduler of a shop.workers.Worker object, but "
                "pytest-seams cannot tell whether it is first-party code (scheduler is set at "
                f"runtime by the methods of shop.workers.Worker {why}",
            ),
            (
                16,
                "SEAM301",
                "error",
                "MagicMock(...) replaces attribute run of a shop.workers.Worker object (a class "
                "defined in first-party module shop.workers): use the real object, configured "
                "for the test, and fake only the external boundary it reaches.",
            ),
        ]
