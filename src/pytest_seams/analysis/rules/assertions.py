"""SEAM501-SEAM503: integration tests that check nothing, only mocks, or private state."""

from __future__ import annotations

from typing import ClassVar

import libcst as cst

from pytest_seams.analysis.engine import Context, Function, Handler, Rule, children
from pytest_seams.analysis.names import attribute_chain
from pytest_seams.codes import MOCK_ONLY_CHECKS, NO_CHECK, PRIVATE_ATTRIBUTE_CHECK, Code

_CHECK_PREFIXES = ("assert", "check", "verify", "expect")
# pytest's own output matchers fail the test on a mismatch, like an assert.
_CHECK_METHODS = frozenset(
    {"fnmatch_lines", "re_match_lines", "no_fnmatch_line", "no_re_match_line"}
)
_PYTEST_CHECKS = frozenset(
    {"pytest.raises", "pytest.warns", "pytest.fail", "pytest.deprecated_call", "pytest.approx"}
)
_MOCK_ATTRIBUTES = frozenset(
    {
        "called",
        "call_count",
        "call_args",
        "call_args_list",
        "mock_calls",
        "method_calls",
        "await_count",
        "await_args",
        "await_args_list",
        "awaited",
    }
)


def _last_name(node: cst.BaseExpression) -> str | None:
    if isinstance(node, cst.Attribute):
        return node.attr.value
    if isinstance(node, cst.Name):
        return node.value
    return None


def _mentions_mock_state(node: cst.CSTNode) -> bool:
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, cst.Attribute) and current.attr.value in _MOCK_ATTRIBUTES:
            return True
        if isinstance(current, cst.Call):
            name = _last_name(current.func)
            if name is not None and name.startswith("assert_"):
                return True
        stack.extend(children(current))
    return False


class AssertionRule(Rule):
    """An integration test must check observable outcomes, not nothing, mocks, or internals."""

    codes: ClassVar[tuple[Code, ...]] = (NO_CHECK, MOCK_ONLY_CHECKS, PRIVATE_ATTRIBUTE_CHECK)
    VALID = (
        """
import pytest

def test_assert(client):
    assert client.get("/").status_code == 200

def test_raises(service):
    with pytest.raises(KeyError):
        service.buy(["durian"])

def test_helper(response):
    check_response(response)

def test_unittest_style(self_like):
    self_like.assertEqual(1, 1)

def test_pytester_output(pytester):
    pytester.runpytest().stdout.fnmatch_lines(["*1 passed*"])
""",
    )
    INVALID = (
        """
from unittest.mock import MagicMock
from shop.cache import PriceCache

def test_nothing(client):  # expect: SEAM501
    client.get("/")

def test_only_mocks(client):  # expect: SEAM502
    sender = MagicMock()
    client.notify(sender)
    sender.send.assert_called_once()
    assert sender.send.call_count == 1

def test_private():
    cache = PriceCache()
    assert cache._store == {}  # expect: SEAM503
""",
    )

    def handlers(self) -> dict[type[cst.CSTNode], Handler]:
        return {cst.Assert: self._assert, cst.Call: self._call}

    def _assert(self, node: cst.Assert, context: Context) -> None:
        context.note("mock-check" if _mentions_mock_state(node.test) else "check", node)
        stack: list[cst.CSTNode] = [node.test]
        while stack:
            current = stack.pop()
            if isinstance(current, cst.Attribute):
                name = current.attr.value
                if name.startswith("_") and not name.startswith("__"):
                    owner = context.scope.origin(current.value)
                    if owner is not None and attribute_chain(current.value) is not None:
                        context.report(
                            PRIVATE_ATTRIBUTE_CHECK,
                            node,
                            f"asserting on the private attribute {name} of {owner} ties the "
                            "test to internals: check the observable outcome instead.",
                            target=owner,
                        )
            stack.extend(children(current))

    def _call(self, node: cst.Call, context: Context) -> None:
        if context.scope.origin(node.func) in _PYTEST_CHECKS:
            context.note("check", node)
            return
        name = _last_name(node.func)
        if name in _CHECK_METHODS:
            context.note("check", node)
            return
        if name is None or not name.lower().startswith(_CHECK_PREFIXES):
            return
        context.note("mock-check" if name.startswith("assert_") else "check", node)

    def leave_function(self, function: Function, context: Context) -> None:
        if function.kind != "test" or function is not context.functions[0]:
            return
        if function.notes.get("check"):
            return
        if function.notes.get("mock-check"):
            message = (
                "this integration test only checks mock calls: assert on an observable outcome "
                "(a response, a stored row, a message on a fake queue) as well."
            )
            context.report(MOCK_ONLY_CHECKS, function.node.name, message)
        else:
            message = (
                "this integration test checks nothing (no assert, pytest.raises/warns/fail, or "
                "assert*/check*/verify*/expect* helper): add a check of its outcome."
            )
            context.report(NO_CHECK, function.node.name, message)
