"""SEAM201: direct writes to the process environment."""

from __future__ import annotations

from typing import ClassVar

import libcst as cst

from pytest_seams.analysis.engine import Context, Handler, Rule
from pytest_seams.codes import ENV_WRITE, Code

ENVIRON = frozenset({"os.environ", "os.environb"})
_SETTERS = {"update": "setenv", "setdefault": "setenv", "__setitem__": "setenv"}
_DELETERS = {"pop": "delenv", "popitem": "delenv", "__delitem__": "delenv"}


def is_environ(node: cst.BaseExpression, context: Context) -> bool:
    return context.scope.resolve(node) in ENVIRON


def _is_str_environ(node: cst.BaseExpression, context: Context) -> bool:
    return context.scope.resolve(node) == "os.environ"


def _in_test_or_fixture(context: Context) -> bool:
    function = context.function
    return function is not None and function is context.owner and function.kind != "helper"


def _advice(form: str, replacement: str) -> str:
    return (
        f"{form} changes the environment of every later test: use {replacement}, which "
        "pytest undoes after the test."
    )


class EnvWriteRule(Rule):
    """Writing ``os.environ`` directly leaks into other tests; monkeypatch undoes its changes."""

    codes: ClassVar[tuple[Code, ...]] = (ENV_WRITE,)
    VALID = (
        """
import os
from unittest import mock

def test_safe(monkeypatch):
    monkeypatch.setenv("MODE", "production")
    monkeypatch.delenv("API_KEY", raising=False)
    monkeypatch.setitem(os.environ, "LEVEL", "debug")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("MODE", "test")
    with mock.patch.dict(os.environ, {"MODE": "x"}):
        pass
    with mock.patch.dict("os.environ", {"MODE": "x"}, clear=True):
        pass
    mode = os.environ.get("MODE")
    value = os.environ["HOME"]
    present = "MODE" in os.environ
    copy = dict(os.environ)
    copy["MODE"] = "x"
    env = os.environ.copy()
    env["MODE"] = "y"
    env.update(X="1")
    os.getenv("MODE")
""",
        """
from unittest.mock import patch

@patch.dict("os.environ", {"MODE": "x"})
def test_decorated():
    pass
""",
        """
from os import environ

def test_rebinding_a_local_name_is_not_a_write():
    environ = {}
    environ["X"] = "1"
""",
    )
    INVALID = (
        """
import os

def test_writes():
    os.environ["MODE"] = "production"  # expect: SEAM201
    del os.environ["API_KEY"]  # expect: SEAM201
    os.environ.update({"A": "1"})  # expect: SEAM201
    os.environ.setdefault("B", "2")  # expect: SEAM201
    os.environ.pop("C", None)  # expect: SEAM201
    os.environ.popitem()  # expect: SEAM201
    os.environ.clear()  # expect: SEAM201
    os.environ |= {"D": "4"}  # expect: SEAM201
    os.environ = {}  # expect: SEAM201
    os.environb[b"E"] = b"5"  # expect: SEAM201
    os.putenv("F", "6")  # expect: SEAM201
    os.unsetenv("G")  # expect: SEAM201
    setattr(os, "environ", {})  # expect: SEAM201
""",
        """
import os as o
from os import environ
from os import environ as e

def test_aliases():
    o.environ["A"] = "1"  # expect: SEAM201
    environ["B"] = "2"  # expect: SEAM201
    e.update(C="3")  # expect: SEAM201
    env = o.environ
    env["D"] = "4"  # expect: SEAM201
""",
        """
import os

os.environ["AT_IMPORT"] = "1"  # expect: SEAM201

def helper():
    os.environ["IN_HELPER"] = "1"  # expect: SEAM201
""",
    )

    def handlers(self) -> dict[type[cst.CSTNode], Handler]:
        return {
            cst.Assign: self._assign,
            cst.AugAssign: self._augmented,
            cst.Del: self._delete,
            cst.Call: self._call,
        }

    def _report(
        self, node: cst.CSTNode, context: Context, form: str, replacement: str, fixable: bool
    ) -> None:
        fixable = fixable and _in_test_or_fixture(context)
        message = _advice(form, replacement)
        if not fixable:
            message += " " + _why_not_fixable(context, replacement)
        context.report(ENV_WRITE, node, message, fixable=fixable)

    def _assign(self, node: cst.Assign, context: Context) -> None:
        for assign_target in node.targets:
            target = assign_target.target
            if isinstance(target, cst.Subscript) and is_environ(target.value, context):
                # monkeypatch.setenv takes str: os.environb writes are left for a person.
                simple = len(node.targets) == 1 and _is_str_environ(target.value, context)
                self._report(
                    node,
                    context,
                    "os.environ[...] = ...",
                    "monkeypatch.setenv(name, value)",
                    simple,
                )
            elif isinstance(target, cst.Attribute) and is_environ(target, context):
                self._report(
                    node,
                    context,
                    "rebinding os.environ",
                    "monkeypatch.setattr(os, 'environ', ...)",
                    False,
                )

    def _augmented(self, node: cst.AugAssign, context: Context) -> None:
        target = node.target
        if isinstance(target, cst.Subscript) and is_environ(target.value, context):
            self._report(
                node, context, "os.environ[...] op= ...", "monkeypatch.setenv(name, value)", False
            )
        elif is_environ(target, context):
            self._report(
                node,
                context,
                "os.environ |= ...",
                "monkeypatch.setenv(name, value) for each variable",
                False,
            )

    def _delete(self, node: cst.Del, context: Context) -> None:
        target = node.target
        if isinstance(target, cst.Subscript) and is_environ(target.value, context):
            fixable = _is_str_environ(target.value, context)
            self._report(node, context, "del os.environ[...]", "monkeypatch.delenv(name)", fixable)
        elif is_environ(target, context):
            self._report(node, context, "del os.environ", "monkeypatch.delenv(name)", False)

    def _call(self, node: cst.Call, context: Context) -> None:
        func = node.func
        callee = context.scope.resolve(func)
        if isinstance(func, cst.Attribute) and is_environ(func.value, context):
            method = func.attr.value
            str_environ = _is_str_environ(func.value, context)
            if method in _SETTERS:
                self._report(
                    node,
                    context,
                    f"os.environ.{method}(...)",
                    "monkeypatch.setenv(name, value)",
                    str_environ and method != "__setitem__",
                )
            elif method in _DELETERS:
                self._report(
                    node,
                    context,
                    f"os.environ.{method}(...)",
                    "monkeypatch.delenv(name)",
                    str_environ and method == "pop",
                )
            elif method == "clear":
                self._report(
                    node,
                    context,
                    "os.environ.clear()",
                    "mock.patch.dict(os.environ, clear=True)",
                    False,
                )
        elif callee == "os.putenv":
            self._report(node, context, "os.putenv(...)", "monkeypatch.setenv(name, value)", True)
        elif callee == "os.unsetenv":
            self._report(node, context, "os.unsetenv(...)", "monkeypatch.delenv(name)", True)
        elif callee == "setattr" and len(node.args) >= 2:
            owner = context.scope.resolve(node.args[0].value)
            attribute = node.args[1].value
            if (
                owner == "os"
                and isinstance(attribute, cst.SimpleString)
                and attribute.evaluated_value in ("environ", "environb")
            ):
                self._report(
                    node,
                    context,
                    "setattr(os, 'environ', ...)",
                    "monkeypatch.setattr(os, 'environ', ...)",
                    False,
                )


def _why_not_fixable(context: Context, replacement: str) -> str:
    function = context.function
    if function is None:
        return "seams fix leaves this alone: at module level no test owns the change."
    if function.kind == "helper" or function is not context.owner:
        return (
            "seams fix leaves this alone: it is in a helper, which would need a monkeypatch "
            "passed in."
        )
    return f"seams fix cannot rewrite this form safely; rewrite it by hand with {replacement}."
