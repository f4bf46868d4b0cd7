"""SEAM201: direct writes to the process environment."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import ClassVar

import libcst as cst

from pytest_seams.analysis.engine import (
    Context,
    Function,
    Handler,
    Rule,
    StatementPath,
    children,
    fixture_scope,
)
from pytest_seams.analysis.rules._mockapi import mock_api
from pytest_seams.codes import ENV_WRITE, Code

ENVIRON = frozenset({"os.environ", "os.environb"})
_SETTERS = {"update": "setenv", "setdefault": "setenv", "__setitem__": "setenv"}
_DELETERS = {"pop": "delenv", "popitem": "delenv", "__delitem__": "delenv"}
# Reads that save the environment (or one variable of it) to put it back later.
_SAVING_READS = frozenset({"os.environ.get", "os.environ.copy", "os.environ.pop", "os.getenv"})
_COPIES = frozenset({"dict", "copy.copy", "copy.deepcopy"})  # of os.environ
_CLEAR_ADVICE = "mock.patch.dict(os.environ, clear=True)"
_MONKEYPATCH_BLOCK = (
    "replace the whole save/set/restore with monkeypatch.setenv(name, value) or "
    "monkeypatch.delenv(name, raising=False), which pytest undoes after the test, even when it "
    "fails."
)
_CLEAR_BLOCK = (
    f"replace the whole save/set/restore with a `with {_CLEAR_ADVICE}:` block around the code "
    "(in a fixture, around its yield); patch.dict restores the environment itself, even when "
    "the test fails."
)
_WHOLE_BLOCK = (
    "seams fix leaves this alone: it restores saved values, so the whole save/set/restore "
    "must be rewritten by hand, not one line of it."
)
_LINE_BY_LINE = (
    "seams fix rewrites it line by line, which is safe; the rewritten restore is then "
    "redundant and can be deleted."
)


def is_environ(node: cst.BaseExpression, context: Context) -> bool:
    return context.scope.resolve(node) in ENVIRON


def _is_str_environ(node: cst.BaseExpression, context: Context) -> bool:
    return context.scope.resolve(node) == "os.environ"


def _in_test_or_fixture(context: Context) -> bool:
    function = context.function
    return function is not None and function is context.owner and function.kind != "helper"


def _code(node: cst.CSTNode) -> str:
    return cst.Module(body=[]).code_for_node(node)


@dataclass
class _Write:
    """One write to the environment inside a function, judged when the function ends.

    Whether it is half of a save/set/restore done by hand is known only once the whole
    function has been seen (the restore usually comes after the set).
    """

    node: cst.CSTNode
    path: StatementPath
    form: str
    replacement: str
    fixable: bool
    why_not_fixable: str
    key: str | None  # the variable's expression as written; None for the whole environment
    restore: str  # how it restores by hand ("restores ... in a finally block"), "" if it does not
    within: str | None  # an enclosing `with` that may restore the environment (EnvVars(...))


def _subscript_key(target: cst.Subscript) -> str | None:
    if len(target.slice) == 1 and isinstance(target.slice[0].slice, cst.Index):
        return _code(target.slice[0].slice.value)
    return None


def _first_argument_key(node: cst.Call) -> str | None:
    if node.args and node.args[0].keyword is None and not node.args[0].star:
        return _code(node.args[0].value)
    return None


def _unpacked(target: cst.BaseExpression) -> list[cst.BaseExpression]:
    """The targets inside a tuple or list target, nested and starred ones included."""
    found: list[cst.BaseExpression] = []
    stack = [target]
    while stack:
        current = stack.pop()
        if isinstance(current, (cst.Tuple, cst.List)):
            stack.extend(element.value for element in reversed(current.elements))
        else:
            found.append(current)
    return found


class EnvWriteRule(Rule):
    """Writing ``os.environ`` directly leaks into other tests; monkeypatch undoes its changes.

    Every form of write is found: item assignment (also as one target of a tuple or starred
    unpacking, or of a ``for`` loop), ``del``, the mutating methods, ``|=``, rebinding,
    ``os.putenv``/``os.unsetenv``. The message fits the form: a write that restores the
    environment by hand (the restore half of a save/set/restore, a write in a ``finally``
    block or in a fixture's teardown) and the set it undoes are both pointed at the whole
    block, which monkeypatch replaces; ``clear()`` is pointed at ``mock.patch.dict``, which
    restores the environment itself; a write at module level runs at import, for the whole
    session, and belongs in a ``pytest_configure`` hook or a session-scoped fixture.

    Writes that ``patch.dict(os.environ)`` puts back (inside its ``with`` block, in a function
    it decorates, after ``mocker.patch.dict(os.environ)``) are not reported. A write inside
    another ``with`` whose context manager speaks of the environment (``with temp_env():``)
    may be restored by it, which the analysis cannot know: its message says the write lasts
    for the block, and for every later test unless that context manager restores it. In a
    fixture with a scope wider than ``function``, where the ``monkeypatch`` fixture cannot
    be used, the advice is ``pytest.MonkeyPatch.context()``.
    """

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
    first, second = os.environ["A"], os.environ["B"]
""",
        """
import os
from unittest.mock import patch

@patch.dict("os.environ", {"MODE": "x"})
def test_decorated():
    os.environ["LEVEL"] = "debug"

def test_inside_patch_dict():
    with patch.dict(os.environ):
        os.environ["MODE"] = "x"

def test_after_mocker_patch_dict(mocker):
    mocker.patch.dict(os.environ)
    os.environ.pop("MODE", None)
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

def test_unpacking(old, new, values):
    previous, os.environ["A"] = old, new  # expect: SEAM201
    first, *os.environ["B"] = values  # expect: SEAM201
    (x, (y, os.environ["C"])) = values  # expect: SEAM201
    for os.environ["D"] in values:  # expect: SEAM201
        pass
    os.environ["E"]: str = new  # expect: SEAM201
""",
        """
import os
import pytest

def test_save_set_restore_by_hand():
    saved = os.environ.get("MODE")
    os.environ["MODE"] = "production"  # expect: SEAM201
    try:
        pass
    finally:
        if saved is None:
            del os.environ["MODE"]  # expect: SEAM201
        else:
            os.environ["MODE"] = saved  # expect: SEAM201

@pytest.fixture
def clean_environment():
    saved = dict(os.environ)
    os.environ.clear()  # expect: SEAM201
    yield
    os.environ.update(saved)  # expect: SEAM201
""",
        """
import contextlib
import os
import pytest

@contextlib.contextmanager
def temp_env():  # a project's own helper, which may or may not restore the environment
    yield

def test_in_a_project_context_manager():
    with temp_env():  # the message says the write lasts for the block, or longer
        os.environ["MODE"] = "x"  # expect: SEAM201

@pytest.fixture(scope="session")
def isolation():
    os.environ.pop("MODE", None)  # expect: SEAM201
    yield
""",
        """
import os

os.environ["AT_IMPORT"] = "1"  # expect: SEAM201
reset = lambda: os.environ.pop("LATER", None)  # expect: SEAM201

def helper():
    os.environ["IN_HELPER"] = "1"  # expect: SEAM201
""",
    )

    def __init__(self) -> None:
        self._writes: dict[int, list[_Write]] = {}  # per function, by id of its Function
        self._saved: dict[int, set[str]] = {}  # local names holding saved env values
        self._torn_down: set[int] = set()  # fixtures whose walk has passed their yield
        self._dict_patched: set[int] = set()  # functions that called mocker.patch.dict(environ)

    def handlers(self) -> dict[type[cst.CSTNode], Handler]:
        return {
            cst.Assign: self._assign,
            cst.AnnAssign: self._annotated,
            cst.AugAssign: self._augmented,
            cst.For: self._for,
            cst.Del: self._delete,
            cst.Call: self._call,
            cst.Yield: self._yield,
        }

    # Recording -------------------------------------------------------------------------------

    def _record(
        self,
        node: cst.CSTNode,
        context: Context,
        form: str,
        replacement: str,
        fixable: bool,
        *,
        key: str | None = None,
        restores_value: bool = False,
        deletes: bool = False,
        why_not: str | None = None,
    ) -> None:
        function = context.function
        if _patched_by_dict(context) or (function and id(function) in self._dict_patched):
            return  # patch.dict(os.environ) restores the whole environment when it ends
        in_place = _in_test_or_fixture(context)
        # Where the write is (module level, a helper) outweighs what form it has.
        if why_not is None or not in_place:
            why_not_fixable = _why_not_fixable(context, replacement)
        else:
            why_not_fixable = why_not
        if function is None:
            if _in_lambda(context.statements[-1], node):  # runs when called, not on import
                message = f"{_advice(form, replacement)} seams fix leaves this alone: it is "
                message += "inside a lambda, which would need a monkeypatch passed in."
            else:
                message = _at_import(form, why_not_fixable)
            context.report(ENV_WRITE, node, message, fixable=False)
            return
        write = _Write(
            node=node,
            path=tuple(context.statements),
            form=form,
            replacement=replacement,
            fixable=fixable and in_place and why_not is None,
            why_not_fixable=why_not_fixable,
            key=key,
            restore=self._restore_kind(context, function, restores_value),
            within=_environment_block(context.statements),
        )
        writes = self._writes.setdefault(id(function), [])
        if deletes and not write.restore and key is not None and any(w.key == key for w in writes):
            write.restore = f"undoes by hand a write made earlier in this {function.kind}"
        writes.append(write)

    def _restore_kind(self, context: Context, function: Function, restores_value: bool) -> str:
        """How a write restores the environment by hand; empty when it does not."""
        if _in_finally(context.statements):
            return "restores the environment by hand in a finally block"
        if id(function) in self._torn_down:
            return "restores the environment by hand in the fixture's teardown"
        if restores_value:
            return "restores the environment by hand from a saved value"
        return ""

    def _restores_saved(self, value: cst.BaseExpression, context: Context) -> bool:
        function = context.function
        return (
            function is not None
            and isinstance(value, cst.Name)
            and value.value in self._saved.get(id(function), ())
        )

    # Handlers --------------------------------------------------------------------------------

    def _assign(self, node: cst.Assign, context: Context) -> None:
        self._note_saves(node, context)
        tuple_targets = len(node.targets) == 1 and isinstance(
            node.targets[0].target, (cst.Tuple, cst.List)
        )
        for assign_target in node.targets:
            for target in _unpacked(assign_target.target):
                if tuple_targets:
                    self._unpacking_target(node, target, context, "an unpacking assignment")
                elif isinstance(target, cst.Subscript) and is_environ(target.value, context):
                    # monkeypatch.setenv takes str: os.environb writes are left for a person.
                    simple = len(node.targets) == 1 and _is_str_environ(target.value, context)
                    self._record(
                        node,
                        context,
                        "os.environ[...] = ...",
                        "monkeypatch.setenv(name, value)",
                        simple,
                        key=_subscript_key(target),
                        restores_value=self._restores_saved(node.value, context),
                    )
                elif isinstance(target, cst.Attribute) and is_environ(target, context):
                    self._record(
                        node,
                        context,
                        "rebinding os.environ",
                        "monkeypatch.setattr(os, 'environ', ...)",
                        False,
                        restores_value=self._restores_saved(node.value, context),
                    )

    def _unpacking_target(
        self, node: cst.CSTNode, target: cst.BaseExpression, context: Context, where: str
    ) -> None:
        if isinstance(target, cst.StarredElement):
            target = target.value
        if isinstance(target, cst.Subscript) and is_environ(target.value, context):
            self._record(
                node,
                context,
                f"os.environ[...] as a target of {where}",
                "monkeypatch.setenv(name, value)",
                False,
                key=_subscript_key(target),
                why_not=(
                    "seams fix leaves this alone: give the variable its own statement, then "
                    "use monkeypatch.setenv(name, value)."
                ),
            )

    def _note_saves(self, node: cst.Assign, context: Context) -> None:
        """Remember ``saved = os.environ.get("X")`` and the like: the save of a save/set/restore."""
        function = context.function
        if function is None or len(node.targets) != 1:
            return
        target, value = node.targets[0].target, node.value
        if not isinstance(target, cst.Name):
            return
        if isinstance(value, cst.Subscript):
            saves = is_environ(value.value, context)  # saved = os.environ["X"]
        elif isinstance(value, cst.Call):
            callee = context.scope.resolve(value.func)
            copies = callee in _COPIES and len(value.args) == 1
            saves = callee in _SAVING_READS or (copies and is_environ(value.args[0].value, context))
        else:
            saves = False
        if saves:
            self._saved.setdefault(id(function), set()).add(target.value)

    def _annotated(self, node: cst.AnnAssign, context: Context) -> None:
        target = node.target
        if (
            node.value is not None
            and isinstance(target, cst.Subscript)
            and is_environ(target.value, context)
        ):
            self._record(
                node,
                context,
                "os.environ[...]: type = ...",
                "monkeypatch.setenv(name, value)",
                False,
                key=_subscript_key(target),
                restores_value=self._restores_saved(node.value, context),
            )

    def _for(self, node: cst.For, context: Context) -> None:
        for target in _unpacked(node.target):
            self._unpacking_target(node, target, context, "a for loop")

    def _augmented(self, node: cst.AugAssign, context: Context) -> None:
        target = node.target
        if isinstance(target, cst.Subscript) and is_environ(target.value, context):
            self._record(
                node,
                context,
                "os.environ[...] op= ...",
                "monkeypatch.setenv(name, value)",
                False,
                key=_subscript_key(target),
            )
        elif is_environ(target, context):
            self._record(
                node,
                context,
                "os.environ |= ...",
                "monkeypatch.setenv(name, value) for each variable",
                False,
                restores_value=self._restores_saved(node.value, context),
            )

    def _delete(self, node: cst.Del, context: Context) -> None:
        for target in _unpacked(node.target):
            if isinstance(target, cst.Subscript) and is_environ(target.value, context):
                fixable = _is_str_environ(target.value, context) and target is node.target
                self._record(
                    node,
                    context,
                    "del os.environ[...]",
                    "monkeypatch.delenv(name)",
                    fixable,
                    key=_subscript_key(target),
                    deletes=True,
                )
            elif is_environ(target, context):
                self._record(node, context, "del os.environ", "monkeypatch.delenv(name)", False)

    def _call(self, node: cst.Call, context: Context) -> None:
        func = node.func
        callee = context.scope.resolve(func)
        function = context.function
        if (
            function is not None
            and callee is not None
            and callee.split(".")[0].endswith("mocker")
            and _patches_environ(node, context)
        ):
            self._dict_patched.add(id(function))  # undone by pytest-mock after the test
        if isinstance(func, cst.Attribute) and is_environ(func.value, context):
            method = func.attr.value
            str_environ = _is_str_environ(func.value, context)
            if method in _SETTERS:
                restores = method == "update" and any(
                    self._restores_saved(arg.value, context) for arg in node.args
                )
                self._record(
                    node,
                    context,
                    f"os.environ.{method}(...)",
                    "monkeypatch.setenv(name, value)",
                    str_environ and method != "__setitem__",
                    key=_first_argument_key(node) if method != "update" else None,
                    restores_value=restores,
                )
            elif method in _DELETERS:
                self._record(
                    node,
                    context,
                    f"os.environ.{method}(...)",
                    "monkeypatch.delenv(name)",
                    str_environ and method == "pop",
                    key=_first_argument_key(node) if method != "popitem" else None,
                    deletes=True,
                )
            elif method == "clear":
                self._record(node, context, "os.environ.clear()", _CLEAR_ADVICE, False)
        elif callee == "os.putenv":
            self._record(
                node,
                context,
                "os.putenv(...)",
                "monkeypatch.setenv(name, value)",
                True,
                key=_first_argument_key(node),
            )
        elif callee == "os.unsetenv":
            self._record(
                node,
                context,
                "os.unsetenv(...)",
                "monkeypatch.delenv(name)",
                True,
                key=_first_argument_key(node),
                deletes=True,
            )
        elif callee == "setattr" and len(node.args) >= 2:
            owner = context.scope.resolve(node.args[0].value)
            attribute = node.args[1].value
            if (
                owner == "os"
                and isinstance(attribute, cst.SimpleString)
                and attribute.evaluated_value in ("environ", "environb")
            ):
                self._record(
                    node,
                    context,
                    "setattr(os, 'environ', ...)",
                    "monkeypatch.setattr(os, 'environ', ...)",
                    False,
                )

    def _yield(self, node: cst.Yield, context: Context) -> None:
        function = context.function
        if function is not None and function.kind == "fixture":
            self._torn_down.add(id(function))

    # Judging ---------------------------------------------------------------------------------

    def leave_function(self, function: Function, context: Context) -> None:
        writes = self._writes.pop(id(function), [])
        # A saved value may be None (the variable was unset): monkeypatch.setenv(name, saved)
        # would set the text "None", so a block that restores saved values is left whole.
        restores_saved = bool(self._saved.pop(id(function), None))
        self._torn_down.discard(id(function))
        self._dict_patched.discard(id(function))
        scope = fixture_scope(function.node) if function.kind == "fixture" else None
        restores = [write for write in writes if write.restore]
        clears = any(write.replacement == _CLEAR_ADVICE for write in writes)
        whole_block = _CLEAR_BLOCK if clears else _MONKEYPATCH_BLOCK
        for write in writes:
            half = None
            if write.restore:
                half = f"{write.restore} (the restore half of a save/set/restore)"
            elif any(_undoes(restore, write) for restore in restores):
                half = f"is undone by hand later in this {function.kind} (a save/set/restore)"
            fixable = write.fixable and not (half and restores_saved)
            if half is None:
                message = _advice(write.form, write.replacement, write.within, scope)
            else:
                message = f"{write.form} {half}: {whole_block}"
            if half and restores_saved:
                message += " " + _WHOLE_BLOCK
            elif half and fixable:
                message += " " + _LINE_BY_LINE
            elif not fixable:
                message += " " + write.why_not_fixable
            context.emit(ENV_WRITE, write.node, message, None, fixable, write.path)


def _in_lambda(statement: cst.CSTNode, node: cst.CSTNode) -> bool:
    """Whether ``node`` lies inside a lambda within ``statement``."""
    stack: list[tuple[cst.CSTNode, bool]] = [(statement, False)]
    while stack:
        current, inside = stack.pop()
        if current is node:
            return inside
        inside = inside or isinstance(current, cst.Lambda)
        stack.extend((child, inside) for child in children(current))
    return False


def _patches_environ(call: cst.Call, context: Context) -> bool:
    """Whether ``call`` is ``patch.dict(os.environ, ...)`` (any spelling, also mocker's)."""
    if mock_api(context.scope.resolve(call.func)) != "patch.dict" or not call.args:
        return False
    first = call.args[0].value
    if isinstance(first, cst.SimpleString):
        return first.evaluated_value in ENVIRON
    return is_environ(first, context)


def _patched_by_dict(context: Context) -> bool:
    """Whether the write lies in a ``with patch.dict(os.environ)`` block or in a function
    decorated with ``@patch.dict(os.environ)``, which put the environment back themselves."""
    for statement in context.statements:
        if isinstance(statement, cst.With) and any(
            isinstance(item.item, cst.Call) and _patches_environ(item.item, context)
            for item in statement.items
        ):
            return True
    return any(
        isinstance(decorator.decorator, cst.Call) and _patches_environ(decorator.decorator, context)
        for function in context.functions
        for decorator in function.node.decorators
    )


def _environment_block(statements: list[cst.BaseStatement]) -> str | None:
    """The innermost enclosing ``with`` whose context manager speaks of the environment by
    name or argument (``EnvVars()``, ``temp_env(...)``, ``d.as_cwd(env_vars)``), as written:
    it may put the environment back, which the analysis cannot know."""
    for statement in reversed(statements):
        if not isinstance(statement, cst.With):
            continue
        for item in statement.items:
            if isinstance(item.item, cst.Call) and "env" in _code(item.item).lower():
                callee = _code(item.item.func)
                return f"{callee}(...)" if item.item.args else f"{callee}()"
    return None


def _undoes(restore: _Write, write: _Write) -> bool:
    return restore.key is None or write.key is None or restore.key == write.key


def _in_finally(statements: list[cst.BaseStatement]) -> bool:
    """Whether the innermost statement lies in the ``finally:`` block of an enclosing try."""
    for outer, inner in itertools.pairwise(statements):
        if (
            isinstance(outer, (cst.Try, cst.TryStar))
            and outer.finalbody is not None
            and any(inner is statement for statement in _block(outer.finalbody.body))
        ):
            return True
    return False


def _block(suite: cst.BaseSuite) -> list[cst.BaseStatement]:
    if isinstance(suite, cst.IndentedBlock):
        return list(suite.body)
    return []


def _advice(
    form: str, replacement: str, within: str | None = None, scope: str | None = None
) -> str:
    clears = replacement == _CLEAR_ADVICE
    changes = "empties" if clears else "changes"
    if within is not None:
        # A context manager of the project's own (hatch's EnvVars) may restore it: say both.
        effect = (
            f"{form} inside `with {within}` {changes} the environment for the rest of that "
            f"block, and of every later test unless {within} restores it"
        )
    else:
        effect = f"{form} {changes} the environment of every later test"
    if clears:  # patch.dict works in a fixture of any scope
        return (
            f"{effect}: use {replacement} as a decorator or with block; patch.dict restores "
            "the environment itself when it ends."
        )
    if scope is not None:
        return (
            f"{effect}: in this fixture with scope={scope} (the monkeypatch fixture is "
            "function-scoped), use `with pytest.MonkeyPatch.context() as mp:` around its yield "
            f"and mp.{replacement.removeprefix('monkeypatch.')}, which restores it when the "
            "fixture ends."
        )
    return f"{effect}: use {replacement}, which pytest undoes after the test."


def _at_import(form: str, why_not_fixable: str) -> str:
    return (
        f"{form} runs when this module is imported, so it changes the environment of the whole "
        "test session: set it in a pytest_configure hook in conftest.py, or in a session-scoped "
        "fixture with pytest.MonkeyPatch.context(), which restores it when the session ends. "
        f"{why_not_fixable}"
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
