"""SEAM301/SEAM302: integration tests that replace the project's own code with mocks."""

from __future__ import annotations

from typing import ClassVar

import libcst as cst

from pytest_seams.analysis.engine import Context, Handler, Rule
from pytest_seams.analysis.names import string_value
from pytest_seams.analysis.rules._mockapi import MOCK_FACTORIES, MONKEYPATCH_SETATTR, mock_api
from pytest_seams.codes import INTERNAL_MOCK, UNRESOLVED_MOCK_TARGET, Code


def _argument(node: cst.Call, position: int, keyword: str) -> cst.BaseExpression | None:
    for arg in node.args:
        if arg.keyword is not None and arg.keyword.value == keyword:
            return arg.value
    positional = [arg for arg in node.args if arg.keyword is None and not arg.star]
    return positional[position].value if len(positional) > position else None


class InternalMockRule(Rule):
    """Mocking first-party code hides the very collaboration an integration test exists for.

    A target is first-party when the object it names is defined in first-party code; mocks of
    third-party or standard-library objects, even reached through a first-party module path,
    are boundary mocks and allowed. Which modules are first-party, and which are boundaries,
    is decided from the project (see docs/static-analysis.md); these examples assume a
    first-party package ``shop`` whose ``shop.cache`` module does
    ``import redis.asyncio as aioredis`` and defines ``PriceCache``.
    """

    codes: ClassVar[tuple[Code, ...]] = (INTERNAL_MOCK, UNRESOLVED_MOCK_TARGET)
    VALID = (
        """
from unittest.mock import patch
import redis

@patch("shop.cache.aioredis.from_url")
def test_boundary(from_url, mocker, monkeypatch):
    with patch.object(redis.Redis, "get"):
        pass
    mocker.patch("requests.get")
    monkeypatch.setattr("time.sleep", lambda s: None)
""",
    )
    INVALID = (
        """
from unittest import mock as m
from unittest.mock import MagicMock, patch
from shop.cache import PriceCache
import shop.cache

@patch("shop.cache.PriceCache.get")  # expect: SEAM301
@m.patch(target="shop.pricing.with_tax")  # expect: SEAM301
def test_internal(get, with_tax, mocker, monkeypatch):
    with patch.object(PriceCache, "get"):  # expect: SEAM301
        pass
    patch.multiple("shop.cache", PriceCache=MagicMock()).start()  # expect: SEAM301
    mocker.patch("shop.cache.PriceCache")  # expect: SEAM301
    mocker.patch.object(shop.cache, "PriceCache")  # expect: SEAM301
    monkeypatch.setattr("shop.cache.PriceCache", object)  # expect: SEAM301
    monkeypatch.setattr(shop.cache, "PriceCache", object)  # expect: SEAM301
    cache = PriceCache()
    cache.store = MagicMock()  # expect: SEAM301
""",
        """
from unittest.mock import patch

def test_dynamic(name):
    with patch(name):  # expect: SEAM302
        pass
""",
    )

    def handlers(self) -> dict[type[cst.CSTNode], Handler]:
        return {cst.Call: self._call, cst.Assign: self._assign}

    def _flag(self, node: cst.CSTNode, context: Context, target: str | None, how: str) -> None:
        if target is None:
            context.report(
                UNRESOLVED_MOCK_TARGET,
                node,
                f"{how}: the target is not a plain dotted string or name, so pytest-seams "
                "cannot tell whether it is first-party code; check it by hand.",
            )
            return
        context.report(INTERNAL_MOCK, node, how, target=target)

    def _call(self, node: cst.Call, context: Context) -> None:
        callee = context.scope.origin(node.func)
        api = mock_api(callee)
        if api == "patch":
            target = _argument(node, 0, "target")
            dotted = string_value(target) if target is not None else None
            self._flag(node, context, dotted, f"patch({dotted or '...'})")
        elif api in ("patch.object", "patch.multiple"):
            target = _argument(node, 0, "target")
            if target is None:
                return
            dotted = string_value(target) or context.scope.origin(target)
            self._flag(node, context, dotted, f"{api}({dotted or '...'}, ...)")
        elif callee in MONKEYPATCH_SETATTR and node.args:
            first = node.args[0].value
            text = string_value(first)
            if text is not None and len(node.args) == 2 and "." in text:
                self._flag(node, context, text, f"monkeypatch.setattr({text!r}, ...)")
            elif text is None:
                dotted = context.scope.origin(first)
                self._flag(node, context, dotted, f"monkeypatch.setattr({dotted or '...'}, ...)")

    def _assign(self, node: cst.Assign, context: Context) -> None:
        value = node.value
        if not isinstance(value, cst.Call):
            return
        if mock_api(context.scope.origin(value.func)) not in MOCK_FACTORIES:
            return
        for assign_target in node.targets:
            target = assign_target.target
            if isinstance(target, cst.Attribute) and isinstance(target.value, cst.Name):
                built = context.scope.built_from.get(target.value.value)
                if built is not None:
                    self._flag(
                        node,
                        context,
                        built,
                        f"{target.value.value}.{target.attr.value} = <mock> on an object "
                        f"built from {built}",
                    )
