"""SEAM502 and SEAM503 on real files: which checks are mock checks, and which objects are
first-party objects whose private attributes a test should not assert on."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import RunJson

PYPROJECT = """
[project]
name = "shop"
version = "0"

[tool.pytest.ini_options]
pythonpath = ["src", "vendor"]
"""

SHOP = {
    "src/shop/__init__": "",
    "src/shop/orders": """
class Order:
    def __init__(self, items):
        self.items = list(items)
        self.total = 3.0 * len(self.items)
        self._state = "new"


def place(items, sender):
    order = Order(items)
    sender.send(f"order of {len(order.items)}")
    return order
""",
    "src/shop/cache": """
class PriceCache:
    def __init__(self):
        self._store = {}

    def _size(self):
        return len(self._store)

    @classmethod
    async def connect(cls):
        return cls()


async def make_cache() -> PriceCache:
    return PriceCache()


async def open_cache():
    return PriceCache()
""",
    # Stand-ins for numpy.testing and hamcrest, whose assert_* functions are real checks.
    "vendor/numpy/__init__": "",
    "vendor/numpy/testing": """
def assert_allclose(actual, desired):
    assert all(abs(a - d) < 1e-9 for a, d in zip(actual, desired, strict=True))
""",
    "vendor/hamcrest/__init__": """
def equal_to(expected):
    return lambda actual: actual == expected


def assert_that(actual, matcher):
    assert matcher(actual), actual
""",
}

DOC = """'''Places an order.

    Integration Scope: orders -> sender
    Business Impact: lost orders are lost revenue.
    Success Criteria: the order is placed
    '''"""

CHECKS = f"""\
from unittest.mock import MagicMock, patch

import pytest
from hamcrest import assert_that, equal_to
from numpy.testing import assert_allclose

from shop.orders import Order, place


def assert_valid_order(order):
    assert order.items


@pytest.fixture
def sender():
    return MagicMock()


def test_numpy_style(sender):
    {DOC}
    order = place(["apple"], sender)
    assert_allclose([order.total], [3.0])


def test_hamcrest_style(sender):
    {DOC}
    order = place(["apple", "pear"], sender)
    assert_that(len(order.items), equal_to(2))


def test_own_helper(sender):
    {DOC}
    assert_valid_order(place(["apple"], sender))


class TestOrders:
    def assert_priced(self, order):
        assert order.total > 0

    def test_self_helper(self, sender):
        {DOC}
        self.assert_priced(place(["apple"], sender))


def test_only_a_mock_factory():
    {DOC}
    sender = MagicMock()
    place(["apple"], sender)
    sender.send.assert_called_once_with("order of 1")
    assert sender.send.call_count == 1


@patch("smtplib.SMTP")
def test_only_a_patch_parameter(smtp, sender):
    {DOC}
    place(["apple"], smtp)
    assert smtp.called is False
    assert smtp.send.called


def test_only_a_fixture_mock(sender):
    {DOC}
    place(["apple"], sender)
    sender.send.assert_called_once()
    assert_that(sender.send.call_count, equal_to(1))


def test_only_a_started_patch():
    {DOC}
    patcher = patch("smtplib.SMTP")
    smtp = patcher.start()
    try:
        place(["apple"], smtp)
    finally:
        patcher.stop()
    assert smtp.send.call_args.args == ("order of 1",)


def test_mock_check_and_an_outcome(sender):
    {DOC}
    order = place(["apple"], sender)
    sender.send.assert_called_once()
    assert order.total == 3.0


def test_an_object_that_is_not_a_mock(sender):
    {DOC}
    order = Order(["apple"])
    order.called = True
    assert order.called and sender.send.call_count == 0


def test_only_a_mocked_attribute():
    {DOC}
    order = Order(["apple"])
    order.notify = MagicMock()
    order.notify("shipped")
    assert order.notify.call_count == 1
"""

PRIVATE = f"""\
from collections import OrderedDict
from typing import Iterator

import pytest

from shop.cache import PriceCache, make_cache, open_cache
from shop.orders import Order


@pytest.fixture
def cache():
    return PriceCache()


@pytest.fixture
def warm_cache() -> Iterator[PriceCache]:
    yield PriceCache()


@pytest.fixture(name="built_order")
def order_fixture():
    order = Order(["apple"])
    yield order


@pytest.fixture
def plain():
    return OrderedDict()


def test_fixture_objects(cache, warm_cache, built_order, plain, untracked):
    {DOC}
    assert cache._store == {{}}
    assert warm_cache._store == {{}}
    assert built_order._state == "new"
    assert plain._OrderedDict__map is not None
    assert untracked._state


async def test_awaited_factories():
    {DOC}
    cache = await make_cache()
    assert cache._store == {{}}
    connected = await PriceCache.connect()
    assert connected._store == {{}}
    opened = await open_cache()
    assert opened._store == {{}}
    assert opened._size() == 0
"""


def codes_by_test(report: dict[str, Any], codes: set[str]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for finding in report["findings"]:
        if finding["code"] in codes:
            name = finding["nodeid"].rpartition("::")[2]
            found.setdefault(name, []).append(finding["code"])
    return found


class TestAssertionPrecision:
    """SEAM501-503 judged on a real project with a first-party package.

    Seam Under Test:
        pytest collection -> libcst analysis (assertion rule) -> first-party resolution -> report
    """

    def test_assert_functions_are_checks_and_mock_checks_are_mock_checks(
        self, pytester: pytest.Pytester, run_json: RunJson
    ) -> None:
        """numpy.testing-, hamcrest- and project-style assert_* helpers are real checks; a
        test whose checks are all on mocks is SEAM502, however the mock was made.

        Integration Scope: a real run of the tests (they pass), collection, the assertion
            rule's mock tracking (MagicMock, @patch parameter, fixture, patcher.start(),
            a mock assigned to an attribute),
            JSON report.
        Business Impact: every assert_allclose/assert_that test of a real suite was called
            "checks only mock calls": a false alarm on each, and the rule ignored.
        Success Criteria:
            - all tests pass
            - no SEAM501/SEAM502 for the helper-based tests, the mixed test and the non-mock
            - exactly the five mock-only tests get SEAM502, with its message
        """
        pytester.makepyfile(**SHOP, **{"tests/integration/test_checks": CHECKS})
        pytester.makefile(".toml", pyproject=PYPROJECT)
        result, report = run_json("-p", "no:randomly")
        result.assert_outcomes(passed=11)
        assert codes_by_test(report, {"SEAM501", "SEAM502"}) == {
            "test_only_a_mock_factory": ["SEAM502"],
            "test_only_a_patch_parameter": ["SEAM502"],
            "test_only_a_fixture_mock": ["SEAM502"],
            "test_only_a_started_patch": ["SEAM502"],
            "test_only_a_mocked_attribute": ["SEAM502"],
        }
        messages = {f["message"] for f in report["findings"] if f["code"] == "SEAM502"}
        assert messages == {
            "this integration test only checks mock calls: assert on an observable outcome "
            "(a response, a stored row, a message on a fake queue) as well."
        }

    def test_private_attributes_of_fixture_and_awaited_objects(
        self, pytester: pytest.Pytester, run_json: RunJson
    ) -> None:
        """SEAM503 follows fixtures of the module and awaited first-party calls, and names
        the object's class.

        Integration Scope: collection, fixture return and annotation tracking, awaited-call
            tracking, first-party resolution of the objects' classes, JSON report.
        Business Impact: `def test_x(cache): assert cache._store == {}` passed unseen, and
            messages named the factory instead of what the test holds.
        Success Criteria:
            - findings at the exact lines of the three fixture-provided and three awaited objects
              of first-party classes (one a call of a private method); none for the OrderedDict
              fixture or an unknown fixture
            - each message names the attribute and the class: from the fixture, the factory's
              return annotation or a classmethod's `return cls()`; else the factory's call
        """
        pytester.makepyfile(**SHOP, **{"tests/integration/test_private": PRIVATE})
        pytester.makefile(".toml", pyproject=PYPROJECT)
        _, report = run_json("--collect-only")
        found = [
            (f["line"], f["message"].partition(", ties")[0])
            for f in report["findings"]
            if f["code"] == "SEAM503"
        ]
        object_from = "a private attribute of a PriceCache object from the fixture"
        assert found == [
            (38, f"asserting on cache._store, {object_from} cache"),
            (39, f"asserting on warm_cache._store, {object_from} warm_cache"),
            (
                40,
                "asserting on built_order._state, a private attribute of an Order object from "
                "the fixture built_order",
            ),
            (
                53,
                "asserting on cache._store, a private attribute of a PriceCache object (from "
                "make_cache())",
            ),
            (
                55,
                "asserting on connected._store, a private attribute of a PriceCache object "
                "(from PriceCache.connect())",
            ),
            (
                57,
                "asserting on opened._store, a private attribute of the object open_cache() "
                "returns",
            ),
            (
                58,
                "asserting on what opened._size() returns, a private attribute of the object "
                "open_cache() returns",
            ),
        ]
