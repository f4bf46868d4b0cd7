"""SEAM401/SEAM402: patches and MonkeyPatch objects that are never undone."""

from __future__ import annotations

from typing import ClassVar

import libcst as cst

from pytest_seams.analysis.engine import Context, Function, Handler, Rule, StatementPath
from pytest_seams.analysis.rules._mockapi import MONKEYPATCH_CLASSES, is_patcher
from pytest_seams.codes import MONKEYPATCH_NOT_UNDONE, PATCH_NOT_STOPPED, Code

_STOPPERS = frozenset({"stop", "stopall", "addCleanup", "addfinalizer", "enter_context"})


class MockHygieneRule(Rule):
    """A started patch or a bare MonkeyPatch stays in force after the test unless undone."""

    codes: ClassVar[tuple[Code, ...]] = (PATCH_NOT_STOPPED, MONKEYPATCH_NOT_UNDONE)
    VALID = (
        """
import pytest
from unittest import mock

@pytest.fixture
def patched():
    patcher = mock.patch("requests.get")
    patcher.start()
    yield
    patcher.stop()

def test_cleanup(request):
    mock.patch("requests.post").start()
    request.addfinalizer(mock.patch.stopall)

def test_undo():
    mp = pytest.MonkeyPatch()
    mp.setenv("A", "1")
    mp.undo()

def test_context():
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("A", "1")
""",
    )
    INVALID = (
        """
import pytest
from unittest.mock import patch

def test_started():
    patch("requests.get").start()  # expect: SEAM401
    patcher = patch("requests.post")
    patcher.start()  # expect: SEAM401

def test_bare_monkeypatch():
    mp = pytest.MonkeyPatch()  # expect: SEAM402
    mp.setenv("A", "1")
""",
    )

    def handlers(self) -> dict[type[cst.CSTNode], Handler]:
        return {cst.Call: self._call}

    def _call(self, node: cst.Call, context: Context) -> None:
        func = node.func
        if isinstance(func, cst.Attribute):
            method = func.attr.value
            if method == "start" and is_patcher(self._patcher_origin(func.value, context)):
                self._note_or_report(node, context, "start")
            elif method in _STOPPERS:
                context.note("stop", node)
            elif method == "undo":
                context.note("undo", node)
        if context.scope.origin(func) in MONKEYPATCH_CLASSES:
            self._note_or_report(node, context, "monkeypatch")

    @staticmethod
    def _patcher_origin(node: cst.BaseExpression, context: Context) -> str | None:
        if isinstance(node, cst.Call):
            return context.scope.origin(node.func)
        return context.scope.origin(node)

    def _note_or_report(self, node: cst.Call, context: Context, key: str) -> None:
        if context.function is None:  # module level: nothing will undo it
            self._report(node, context, key)
        else:
            context.note(key, node)

    def _report(
        self, node: cst.CSTNode, context: Context, key: str, path: StatementPath | None = None
    ) -> None:
        if key == "start":
            message = (
                "patch(...).start() is never stopped here, so the patch outlives the test: use "
                "it as a decorator or context manager, or call stop() / addCleanup(p.stop) / "
                "request.addfinalizer(p.stop)."
            )
            code = PATCH_NOT_STOPPED
        else:
            message = (
                "pytest.MonkeyPatch() built directly is never undone: use the monkeypatch "
                "fixture or `with pytest.MonkeyPatch.context() as mp:`, or call undo()."
            )
            code = MONKEYPATCH_NOT_UNDONE
        context.emit(code, node, message, None, False, path or tuple(context.statements))

    def leave_function(self, function: Function, context: Context) -> None:
        for key, undo in (("start", "stop"), ("monkeypatch", "undo")):
            if function.notes.get(undo):
                continue
            for node, path in function.notes.get(key, ()):
                self._report(node, context, key, path)
