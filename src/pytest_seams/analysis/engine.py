"""The analysis engine: one libcst parse per file, every rule in one walk of the tree.

libcst's visitor framework rebuilds every node it visits and costs more than half a parse; this
walker reads the tree in place (about 4% of a parse) and hands each node to the rules that asked
for its type. Line numbers are computed only for statements that hold a finding (see
``node_lines``), because libcst's PositionProvider over a whole file costs two parses.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, ClassVar

import libcst as cst
from libcst._nodes.internal import CodegenState

from pytest_seams.analysis.names import Scope
from pytest_seams.analysis.results import OwnerKind, RawFinding
from pytest_seams.codes import Code
from pytest_seams.discovery import DEFAULT_NAMING, PytestNaming

# The statements enclosing a node, outermost first: how its line number is found.
StatementPath = tuple[cst.BaseStatement, ...]

_FIXTURE_DECORATORS = frozenset(
    {"pytest.fixture", "_pytest.fixtures.fixture", "pytest_asyncio.fixture", "fixture"}
)


@dataclass
class Function:
    """A function being walked, and what the rules noticed in it so far."""

    name: str
    qualname: str
    kind: OwnerKind
    node: cst.FunctionDef
    calls: list[str] = field(default_factory=list)  # origin of every call, in order
    notes: dict[str, list[tuple[cst.CSTNode, StatementPath]]] = field(default_factory=dict)


@dataclass
class Context:
    """What a rule handler may read and do while the walk is at a node."""

    path: str
    package: str | None
    scope: Scope
    functions: list[Function]
    classes: list[str]
    statements: list[cst.BaseStatement]
    emit: Callable[[Code, cst.CSTNode, str, str | None, bool, StatementPath], None]

    @property
    def function(self) -> Function | None:
        return self.functions[-1] if self.functions else None

    @property
    def owner(self) -> Function | None:
        """The outermost test or fixture holding the code, else the innermost function."""
        for function in self.functions:
            if function.kind in ("test", "fixture"):
                return function
        return self.functions[-1] if self.functions else None

    def report(
        self,
        code: Code,
        node: cst.CSTNode,
        message: str,
        *,
        target: str | None = None,
        fixable: bool = False,
    ) -> None:
        self.emit(code, node, message, target, fixable, tuple(self.statements))

    def note(self, key: str, node: cst.CSTNode) -> None:
        """Remember a node in the current function for a rule to judge when it ends."""
        function = self.function
        if function is not None:
            function.notes.setdefault(key, []).append((node, tuple(self.statements)))


Handler = Callable[[Any, Context], None]


class Rule:
    """A rule: a code, the node types it looks at, and examples that are its tests and docs.

    ``INVALID`` examples mark each line that must be flagged with ``# expect: CODE``;
    ``VALID`` examples must produce no finding of the rule's codes.
    """

    codes: ClassVar[tuple[Code, ...]]
    VALID: ClassVar[tuple[str, ...]] = ()
    INVALID: ClassVar[tuple[str, ...]] = ()

    def handlers(self) -> dict[type[cst.CSTNode], Handler]:
        return {}

    def leave_function(self, function: Function, context: Context) -> None:
        """Judge what was noted in a function once all of it has been walked."""


@dataclass
class _LineCounter(CodegenState):
    """Code generation that only notes the line where each wanted node starts.

    libcst's PositionProvider records a range for every node and costs about two parses; one
    plain code generation pass that counts newlines costs about a fifth of one.
    """

    wanted: frozenset[int] = frozenset()
    line: int = 1
    lines: dict[int, int] = field(default_factory=dict)

    def add_token(self, value: str) -> None:
        self.tokens.append(value)
        if "\n" in value:
            self.line += value.count("\n")

    def before_codegen(self, node: cst.CSTNode) -> None:
        if id(node) in self.wanted:
            self.lines.setdefault(id(node), self.line)

    @contextmanager
    def record_syntactic_position(
        self,
        node: cst.CSTNode,
        *,
        start_node: cst.CSTNode | None = None,
        end_node: cst.CSTNode | None = None,
    ) -> Iterator[None]:
        # A statement's own line, after its leading blank lines, comments and decorators.
        if id(node) in self.wanted and start_node is None:
            self.lines[id(node)] = self.line
        yield


class LineFinder:
    """1-based lines of nodes, from their enclosing statements.

    Lines before a statement are counted from the Newline nodes (and multi-line strings) of the
    statements before it, descending through classes and functions; only the innermost
    statement holding the node is generated as code, with ``_LineCounter``. Most of a file is
    thus never generated, which keeps line numbers cheap even in large test classes.
    """

    def __init__(self, module: cst.Module) -> None:
        self.module = module
        self._newlines: dict[int, int] = {}

    def newlines(self, node: cst.CSTNode) -> int:
        cached = self._newlines.get(id(node))
        if cached is None:
            cached = self._newlines[id(node)] = _count_newlines(node)
        return cached

    def lines(self, wanted: list[tuple[cst.CSTNode, StatementPath]]) -> list[int]:
        by_statement: dict[int, tuple[int, cst.BaseStatement, list[cst.CSTNode]]] = {}
        for node, path in wanted:
            start, statement = self._start(path)
            entry = by_statement.setdefault(id(statement), (start, statement, []))
            entry[2].append(node)
        relative: dict[int, int] = {}
        starts: dict[int, int] = {}
        for start, statement, nodes in by_statement.values():
            state = _LineCounter(
                default_indent=self.module.default_indent,
                default_newline=self.module.default_newline,
                wanted=frozenset(id(node) for node in nodes),
            )
            statement._codegen(state)
            for node in nodes:
                relative[id(node)] = state.lines.get(id(node), 1)
                starts[id(node)] = start
        return [starts[id(node)] + relative[id(node)] - 1 for node, _ in wanted]

    def _start(self, path: StatementPath) -> tuple[int, cst.BaseStatement]:
        """First line (leading blank lines included) of the innermost statement to generate."""
        line = 1 + sum(self.newlines(empty) for empty in self.module.header)
        body: Sequence[cst.BaseStatement] = self.module.body
        statement = path[0]
        for depth, statement in enumerate(path):
            line += sum(self.newlines(before) for before in _before(body, statement))
            inner = path[depth + 1] if depth + 1 < len(path) else None
            block = getattr(statement, "body", None)
            if (
                inner is None
                or not isinstance(statement, (cst.FunctionDef, cst.ClassDef))
                or not isinstance(block, cst.IndentedBlock)
            ):
                return line, statement
            # Lines of the header: decorators, a multi-line signature, the line break after ':'.
            header = [child for child in _all_children(statement) if child is not block]
            line += sum(self.newlines(child) for child in (*header, block.header))
            body = block.body
        return line, statement


def _before(
    body: Sequence[cst.BaseStatement], statement: cst.BaseStatement
) -> Iterator[cst.CSTNode]:
    for sibling in body:
        if sibling is statement:
            return
        yield sibling


_TEXT_NODES = frozenset({cst.SimpleWhitespace, cst.SimpleString, cst.FormattedStringText})
# Field values that are not nodes. Checking the exact type is much faster than isinstance
# against CSTNode, an ABC, and this loop runs for every node of a file.
_LEAF_TYPES = frozenset({str, int, bool, type(None), cst.MaybeSentinel})


def _count_newlines(node: cst.CSTNode) -> int:
    """Line breaks in a node's code: its Newline nodes plus breaks inside strings and
    backslash continuations, without generating the code."""
    count = 0
    stack = [node]
    while stack:
        current = stack.pop()
        if type(current) is cst.Newline:
            count += 1
            continue
        if type(current) in _TEXT_NODES:
            count += current.value.count("\n")  # type: ignore[attr-defined]
        # A string's own parentheses may span lines too: ``x = (\n    b"..."\n)``.
        stack.extend(_all_children(current))
    return count


_SKIPPED_FIELDS = frozenset(
    {
        "lpar",
        "rpar",
        "comma",
        "semicolon",
        "leading_lines",
        "lines_after_decorators",
        "header",
        "footer",
        "trailing_whitespace",
        "colon",
        "dot",
        "equal",
        "star",
        "operator",
        "newline",
        "whitespace",
        "asynchronous",
    }
)
# Per node type: the fields that may hold nodes, all of them or without whitespace/punctuation.
_ALL_FIELDS: dict[type[cst.CSTNode], tuple[str, ...]] = {}
_CODE_FIELDS: dict[type[cst.CSTNode], tuple[str, ...]] = {}


def _field_nodes(node: cst.CSTNode, names: tuple[str, ...]) -> Iterator[cst.CSTNode]:
    for name in names:
        value = getattr(node, name)
        kind = type(value)
        if kind is list or kind is tuple:
            yield from value
        elif kind not in _LEAF_TYPES:
            yield value


def _all_children(node: cst.CSTNode) -> Iterator[cst.CSTNode]:
    names = _ALL_FIELDS.get(type(node))
    if names is None:
        names = _ALL_FIELDS[type(node)] = tuple(f.name for f in dataclasses.fields(node))
    return _field_nodes(node, names)


def children(node: cst.CSTNode) -> Iterator[cst.CSTNode]:
    """Child nodes that hold code, in field order (source order for expressions and simple
    statements), skipping whitespace and punctuation."""
    names = _CODE_FIELDS.get(type(node))
    if names is None:
        names = _CODE_FIELDS[type(node)] = tuple(
            f.name
            for f in dataclasses.fields(node)
            if f.name not in _SKIPPED_FIELDS and not f.name.startswith("whitespace")
        )
    return _field_nodes(node, names)


_STATEMENT_TYPES: dict[type[cst.CSTNode], bool] = {}


def _is_statement(kind: type[cst.CSTNode]) -> bool:
    known = _STATEMENT_TYPES.get(kind)
    if known is None:
        known = _STATEMENT_TYPES[kind] = issubclass(kind, cst.BaseStatement)
    return known


class Walker:
    """Walks one module once, dispatching nodes to every rule, and collects raw findings."""

    def __init__(
        self,
        rules: list[Rule],
        module: cst.Module,
        path: str,
        package: str | None,
        naming: PytestNaming = DEFAULT_NAMING,
    ):
        self.rules = rules
        self.naming = naming
        self.dispatch: dict[type[cst.CSTNode], list[Handler]] = {}
        for rule in rules:
            for node_type, handler in rule.handlers().items():
                self.dispatch.setdefault(node_type, []).append(handler)
        self.module = module
        self.findings: list[RawFinding] = []
        # pytest marks written on each test (its own, its classes' and the module's), so that
        # `seams lint` knows marker-based integration tests without collecting. Tests without
        # marks are left out when the walk ends: the file index, read by every warm session,
        # would otherwise hold every test's name.
        self.marks: dict[str, list[str]] = {}
        # Test qualname -> the entry points it calls (see ``walk_module``), for the checklist.
        self.entry_calls: dict[str, list[str]] = {}
        self._class_marks: list[list[str]] = []
        # Per enclosing class: how pytest finds its test methods ("pytest": python_functions,
        # "unittest": the test* methods of a TestCase), or None when it is no test class.
        self._class_kinds: list[str | None] = []
        self._unittest_classes: set[str] = set()  # TestCase subclasses defined in this module
        self._module_marks: list[str] = []
        self.flagged: list[tuple[RawFinding, cst.CSTNode]] = []
        self._pending: list[tuple[cst.CSTNode, StatementPath, dict[str, Any]]] = []
        self.context = Context(
            path=path,
            package=package,
            scope=Scope(),
            functions=[],
            classes=[],
            statements=[],
            emit=self._emit,
        )

    def _emit(
        self,
        code: Code,
        node: cst.CSTNode,
        message: str,
        target: str | None,
        fixable: bool,
        path: StatementPath,
    ) -> None:
        owner = self.context.owner
        fields = {
            "code": code.code,
            "owner": owner.qualname if owner else None,
            "owner_kind": owner.kind if owner else "module",
            "message": message,
            "target": target,
            "fixable": fixable,
        }
        self._pending.append((node, path, fields))

    def run(self) -> list[RawFinding]:
        for statement in self.module.body:
            self._walk(statement)
        for names in self.marks.values():
            names.extend(self._module_marks)
        self.marks = {qualname: names for qualname, names in self.marks.items() if names}
        if self._pending:
            lines = LineFinder(self.module).lines([(n, path) for n, path, _ in self._pending])
            for line, (node, _, fields) in zip(lines, self._pending, strict=True):
                finding = RawFinding(line=line, **fields)
                self.findings.append(finding)
                self.flagged.append((finding, node))
        return self.findings

    def _walk(self, node: cst.CSTNode) -> None:
        # Exact-type tests throughout: isinstance against libcst's ABCs is slow, and this
        # runs for every node of every file.
        kind = type(node)
        statement = _is_statement(kind)
        if statement:
            self.context.statements.append(node)  # type: ignore[arg-type]
        for handler in self.dispatch.get(kind, ()):
            handler(node, self.context)
        if kind is cst.FunctionDef:
            self._walk_function(node)  # type: ignore[arg-type]
        elif kind is cst.ClassDef:
            self._walk_class(node)  # type: ignore[arg-type]
        elif kind is cst.Import or kind is cst.ImportFrom:
            self.context.scope.bind_import(node, self.context.package)  # type: ignore[arg-type]
        else:
            for child in children(node):
                self._walk(child)
            if kind is cst.Assign or kind is cst.WithItem:
                self._bind(node)  # type: ignore[arg-type]
        if statement:
            self.context.statements.pop()

    def _bind(self, node: cst.Assign | cst.WithItem) -> None:
        scope = self.context.scope
        if isinstance(node, cst.Assign):
            if len(node.targets) == 1 and isinstance(node.targets[0].target, cst.Name):
                name = node.targets[0].target.value
                scope.bind_name(name, node.value)
                if name == "pytestmark" and not self.context.functions:
                    owner = self._class_marks[-1] if self._class_marks else self._module_marks
                    owner.extend(self._mark_names(node.value))
        elif node.asname is not None and isinstance(node.asname.name, cst.Name):
            scope.bind_name(node.asname.name.value, node.item)

    def _walk_class(self, node: cst.ClassDef) -> None:
        for decorator in node.decorators:
            self._walk(decorator)
        self.context.classes.append(node.name.value)
        self._class_marks.append(self._decorator_marks(node.decorators))
        self._class_kinds.append(self._class_kind(node))
        self._walk(node.body)
        self._class_kinds.pop()
        self._class_marks.pop()
        self.context.classes.pop()

    def _class_kind(self, node: cst.ClassDef) -> str | None:
        """How pytest would find tests in a class: see ``_class_kinds``."""
        name = node.name.value
        for base in node.bases:
            if base.keyword is not None:
                continue
            dotted = self.context.scope.resolve(base.value)
            if (dotted is not None and dotted.endswith("TestCase")) or (
                isinstance(base.value, cst.Name) and base.value.value in self._unittest_classes
            ):
                if not self.context.functions:
                    self._unittest_classes.add(name)
                return "unittest"
        return "pytest" if self.naming.is_test_class(name) else None

    def _decorator_marks(self, decorators: Sequence[cst.Decorator]) -> list[str]:
        return [name for d in decorators for name in self._mark_names(d.decorator)]

    def _mark_names(self, expression: cst.BaseExpression) -> list[str]:
        """Names of the ``pytest.mark.NAME`` marks an expression (or a list of them) applies."""
        if isinstance(expression, (cst.List, cst.Tuple)):
            values = [element.value for element in expression.elements]
        else:
            values = [expression]
        names = []
        for value in values:
            if isinstance(value, cst.Call):
                value = value.func
            dotted = self.context.scope.resolve(value)
            if dotted is not None and dotted.startswith("pytest.mark."):
                names.append(dotted.split(".")[2])
        return names

    def _walk_function(self, node: cst.FunctionDef) -> None:
        context = self.context
        for decorator in node.decorators:
            self._walk(decorator)
        for default in _defaults(node.params):
            self._walk(default)
        kind = self._kind(node)
        qualname = ".".join([*context.classes, node.name.value])
        if context.functions:
            qualname = f"{context.functions[-1].qualname}.<locals>.{node.name.value}"
        function = Function(node.name.value, qualname, kind, node)
        if kind == "test":
            marks = self._decorator_marks(node.decorators)
            self.marks[qualname] = [*marks, *(n for names in self._class_marks for n in names)]
        outer_scope, outer_classes = context.scope, context.classes
        context.scope, context.classes = outer_scope.child(), []
        context.functions.append(function)
        self._walk(node.body)
        for rule in self.rules:
            rule.leave_function(function, context)
        context.functions.pop()
        context.scope, context.classes = outer_scope, outer_classes

    def _kind(self, node: cst.FunctionDef) -> OwnerKind:
        scope = self.context.scope
        for decorator in node.decorators:
            expression = decorator.decorator
            if isinstance(expression, cst.Call):
                expression = expression.func
            if scope.resolve(expression) in _FIXTURE_DECORATORS:
                return "fixture"
        if self.context.functions:
            return "helper"
        name = node.name.value
        kinds = self._class_kinds
        if not kinds:
            return "test" if self.naming.is_test_function(name) else "helper"
        if None in kinds:
            return "helper"
        if kinds[-1] == "unittest":
            return "test" if name.startswith("test") else "helper"
        return "test" if self.naming.is_test_function(name) else "helper"


def fixture_scope(node: cst.FunctionDef) -> str | None:
    """A fixture's ``scope=`` as written when it is wider than "function" (``"session"``,
    ``scope_of_env()``), else None."""
    for decorator in node.decorators:
        expression = decorator.decorator
        if not isinstance(expression, cst.Call):
            continue
        for arg in expression.args:
            if arg.keyword is None or arg.keyword.value != "scope":
                continue
            value = arg.value
            if isinstance(value, cst.SimpleString) and value.evaluated_value == "function":
                return None
            return cst.Module(body=[]).code_for_node(value)
    return None


def _defaults(params: cst.Parameters) -> Iterator[cst.BaseExpression]:
    for param in (*params.posonly_params, *params.params, *params.kwonly_params):
        if param.default is not None:
            yield param.default
