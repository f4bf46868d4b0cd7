"""The docstring contract read from source, for ``seams lint`` (no pytest session, no import).

A session checks the contract on collected items (collect.py, contract.py); lint finds the same
tests in the source: functions and classes named as the project's ``python_functions`` and
``python_classes`` say (``unittest.TestCase`` subclasses too), integration tests when their file
matches ``seam_integration_paths`` or an integration marker is written on the function, its
class or the module (decorators, ``pytestmark``). Each breach becomes the finding a session
reports: one per test function, at the same line, with the same node id (without parameters).
Tests made at run time (by plugins, ``pytest_generate_tests`` classes, imported tests) are a
session's alone.
"""

from __future__ import annotations

import ast
import warnings
from collections.abc import Iterable
from pathlib import Path

from pytest_seams.codes import DOCSTRING_MISSING
from pytest_seams.config import Config
from pytest_seams.discovery import PytestNaming
from pytest_seams.model import Finding
from pytest_seams.paths import matches_any, read_regular_file

Function = ast.FunctionDef | ast.AsyncFunctionDef


class ImportNames:
    """Dotted names of expressions through a module's top-level imports (a call names what it
    calls)."""

    def __init__(self, tree: ast.Module) -> None:
        self.aliases: dict[str, str] = {}
        for node in tree.body:
            if isinstance(node, ast.Import):
                for alias in node.names:
                    local = alias.asname or alias.name.partition(".")[0]
                    self.aliases[local] = alias.name if alias.asname else local
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                for alias in node.names:
                    self.aliases[alias.asname or alias.name] = f"{node.module}.{alias.name}"

    def dotted(self, node: ast.expr) -> str | None:
        if isinstance(node, ast.Call):
            node = node.func
        parts: list[str] = []
        while isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        if not isinstance(node, ast.Name):
            return None
        return ".".join([self.aliases.get(node.id, node.id), *reversed(parts)])

    def marks(self, expressions: Iterable[ast.expr]) -> set[str]:
        """The names of the ``pytest.mark.NAME`` among the expressions."""
        names = set()
        for expression in expressions:
            dotted = self.dotted(expression)
            if dotted and dotted.startswith(("pytest.mark.", "_pytest.mark.")):
                names.add(dotted.rpartition(".")[2])
        return names

    def pytestmark(self, body: list[ast.stmt]) -> set[str]:
        value = pytestmark_value(body)
        if value is None:
            return set()
        return self.marks(value.elts if isinstance(value, (ast.List, ast.Tuple)) else [value])

    def is_fixture(self, node: Function) -> bool:
        return any(
            (self.dotted(decorator) or "").endswith("fixture") for decorator in node.decorator_list
        )


def pytestmark_value(body: list[ast.stmt]) -> ast.expr | None:
    """The value of a module's or class's ``pytestmark`` (its last assignment wins; a bare
    annotation assigns nothing)."""
    value: ast.expr | None = None
    for node in body:
        if (
            isinstance(node, ast.Assign)
            and any(
                isinstance(target, ast.Name) and target.id == "pytestmark"
                for target in node.targets
            )
        ) or (
            isinstance(node, ast.AnnAssign)
            and isinstance(node.target, ast.Name)
            and node.target.id == "pytestmark"
            and node.value is not None
        ):
            value = node.value
    return value


def _docstring(node: ast.Module | ast.ClassDef | Function) -> tuple[str | None, int | None]:
    """A docstring as the object's ``__doc__`` holds it, and the line its quotes open on."""
    body = node.body
    if (
        body
        and isinstance(body[0], ast.Expr)
        and isinstance(body[0].value, ast.Constant)
        and isinstance(body[0].value.value, str)
    ):
        return body[0].value.value, body[0].value.lineno
    return None, None


def contract_findings(
    file: Path, path: str, settings: Config, naming: PytestNaming
) -> list[Finding]:
    """The docstring-contract findings of the integration tests in one test module (none
    when it does not parse: the static analysis reports that)."""
    from pytest_seams.docstrings import check_contract

    try:
        with warnings.catch_warnings():  # the source's own warnings are not lint's output
            warnings.simplefilter("ignore")
            tree = ast.parse(read_regular_file(file))
    except (OSError, SyntaxError, ValueError, RecursionError, MemoryError):
        return []
    names = ImportNames(tree)
    markers = set(settings.integration_markers)
    by_path = matches_any(path, settings.integration_paths)
    module_doc, _ = _docstring(tree)
    findings: list[Finding] = []

    def check(node: Function, nodeid: str, outer: tuple[str | None, ...]) -> None:
        docstring, opening = _docstring(node)
        def_line = node.lineno
        if docstring is None or not docstring.strip():
            message = (
                "integration test has no docstring: document it with the sections "
                + ", ".join(f'"{name}:"' for name in settings.required_sections)
                + "."
            )
            code = DOCSTRING_MISSING
            findings.append(
                Finding(code.code, code.category, code.severity, path, def_line, nodeid, message)
            )
            return
        for breach in check_contract(
            docstring, outer, settings.required_sections, settings.inherited_sections
        ):
            line = opening + breach.line if opening and breach.line is not None else opening
            code = breach.code
            findings.append(
                Finding(code.code, code.category, code.severity, path, line, nodeid, breach.message)
            )

    def visit(
        body: list[ast.stmt],
        prefix: str,
        marked: set[str],
        class_doc: str | None,
        in_unittest: bool,
        is_class: bool,
    ) -> None:
        for node in body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                is_test = (
                    node.name.startswith("test")
                    if in_unittest
                    else naming.is_test_function(node.name)
                )
                if not is_test or names.is_fixture(node):
                    continue
                own = names.marks(node.decorator_list)
                if by_path or not markers.isdisjoint(marked | own):
                    outer = (class_doc, module_doc) if is_class else (None, module_doc)
                    check(node, f"{prefix}::{node.name}", outer)
            elif isinstance(node, ast.ClassDef):
                unittest_class = any(
                    (names.dotted(base) or "").endswith("TestCase") for base in node.bases
                )
                if unittest_class or naming.is_test_class(node.name):
                    inner = marked | names.marks(node.decorator_list) | names.pytestmark(node.body)
                    doc, _ = _docstring(node)
                    visit(node.body, f"{prefix}::{node.name}", inner, doc, unittest_class, True)

    visit(tree.body, path, names.pytestmark(tree.body), None, False, False)
    return findings
