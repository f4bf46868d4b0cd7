"""``seams fix``: rewrite SEAM201 env writes in tests and fixtures into monkeypatch calls.

Each file is parsed once; the analysis walk runs on that module and reports the flagged nodes, and
a libcst transformer rewrites the ones the rule judged fixable, matching them by identity, so every
other byte of the file (comments, blank lines, quotes, newlines, encoding) stays as it was.

What is rewritten (``name`` and ``value`` are kept exactly as written)::

    os.environ[name] = value             monkeypatch.setenv(name, value)
    del os.environ[name]                 monkeypatch.delenv(name)
    os.environ.update({"A": x}, B=y)     monkeypatch.setenv("A", x); monkeypatch.setenv("B", y)
    os.environ.setdefault(name, value)   monkeypatch.setenv(name, os.environ.get(name, value))
    os.environ.pop(name)                 monkeypatch.delenv(name)
    os.environ.pop(name, default)        monkeypatch.delenv(name, raising=False)
    os.putenv(name, value)               monkeypatch.setenv(name, value)
    os.unsetenv(name)                    monkeypatch.delenv(name, raising=False)

and the owning test or fixture gets a ``monkeypatch`` parameter. Anything else is left alone and
reported with the reason; the rule decides which writes are fixable, so unpacking and ``for``
targets, and a save/set/restore that puts saved values back (a saved ``None`` would become the
text "None"), reach this module already marked as not fixable.
"""

from __future__ import annotations

import contextlib
import dataclasses
import difflib
import os
import stat
import tempfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar, Literal, TextIO

import libcst as cst

from pytest_seams.analysis import walk_module
from pytest_seams.analysis.engine import Context, Handler, Rule, Walker, fixture_scope
from pytest_seams.analysis.parsing import Unparsable, parse_module
from pytest_seams.analysis.project import Undecodable, decode_source
from pytest_seams.analysis.results import RawFinding
from pytest_seams.codes import ENV_WRITE, Code
from pytest_seams.discovery import DEFAULT_NAMING, PytestNaming
from pytest_seams.paths import read_regular_file, relative_posix
from pytest_seams.suppression import ignore_comments

MONKEYPATCH = "monkeypatch"
_ENVIRON = "os.environ"
_ENVIRONB = "os.environb"


@dataclass
class FixResult:
    """The rewritten source, how many env writes were rewritten, and the ones left alone."""

    source: str
    fixed: int
    unfixed: list[RawFinding] = field(default_factory=list)


class _Targets(Rule):
    """Records what each env-write candidate refers to, through the walk's alias tracking.

    ``os.environ[...] = ...`` and ``del os.environ[...]`` map to the dotted name of the mapping
    (``os.environ`` or ``os.environb``), calls to the dotted name of the callee
    (``os.environ.update``, ``os.putenv``), whatever alias the source uses.
    """

    codes: ClassVar[tuple[Code, ...]] = ()

    def __init__(self) -> None:
        self.resolved: dict[int, str | None] = {}

    def handlers(self) -> dict[type[cst.CSTNode], Handler]:
        return {cst.Assign: self._assign, cst.Del: self._delete, cst.Call: self._call}

    def _assign(self, node: cst.Assign, context: Context) -> None:
        target = node.targets[0].target
        if isinstance(target, cst.Subscript):
            self.resolved[id(node)] = context.scope.resolve(target.value)

    def _delete(self, node: cst.Del, context: Context) -> None:
        if isinstance(node.target, cst.Subscript):
            self.resolved[id(node)] = context.scope.resolve(node.target.value)

    def _call(self, node: cst.Call, context: Context) -> None:
        self.resolved[id(node)] = context.scope.resolve(node.func)


class _NotFixable(Exception):
    """Why one env write is left alone."""


@dataclass
class _Frame:
    """A class, function or lambda the transformer is inside."""

    kind: Literal["class", "function", "lambda"]
    node: cst.CSTNode
    qualname: str = ""
    blocked: str | None = None  # why writes in this function cannot be rewritten
    scope_reason: str | None = None  # set for fixtures with a scope wider than function
    has_param: bool = False
    rewritten: bool = False


def fix_source(
    source: str, path: str = "<string>", naming: PytestNaming = DEFAULT_NAMING
) -> FixResult:
    """Rewrite the fixable env writes of one module's source; ``naming`` (pytest's discovery
    settings) says which functions are tests."""
    module = cst.parse_module(source)
    fixed_module, fixed, unfixed = _fix_module(module, path, naming)
    return FixResult(fixed_module.code, fixed, unfixed)


def _fix_module(
    module: cst.Module, path: str, naming: PytestNaming
) -> tuple[cst.Module, int, list[RawFinding]]:
    walker = walk_module(module, path, None, naming)
    targets = _Targets()
    Walker([targets], module, path, None, naming).run()
    suppressed = {
        line
        for line, codes in ignore_comments(module.code)
        if codes is None or ENV_WRITE.code in codes
    }
    flagged: dict[int, tuple[cst.CSTNode, list[RawFinding]]] = {}
    for finding, node in walker.flagged:
        if finding.code != ENV_WRITE.code or finding.line in suppressed:
            continue
        flagged.setdefault(id(node), (node, []))[1].append(finding)
    rewriter = _Rewriter(flagged, targets.resolved)
    fixed_module = module.visit(rewriter)
    unfixed = list(rewriter.unfixed)
    for node, findings in flagged.values():
        if id(node) not in rewriter.seen:
            unfixed.extend(_left_alone(finding, "it was not found") for finding in findings)
    unfixed.sort(key=lambda finding: finding.line)
    return fixed_module, rewriter.fixed, unfixed


def _left_alone(finding: RawFinding, reason: str) -> RawFinding:
    if not finding.fixable:
        return finding
    message = f"{finding.message} seams fix leaves this alone: {reason}."
    return dataclasses.replace(finding, message=message, fixable=False)


class _Rewriter(cst.CSTTransformer):
    def __init__(
        self,
        flagged: dict[int, tuple[cst.CSTNode, list[RawFinding]]],
        resolved: dict[int, str | None],
    ) -> None:
        super().__init__()
        self.flagged = flagged
        self.resolved = resolved
        self.frames: list[_Frame] = []
        self.statement_calls: set[int] = set()
        self.seen: set[int] = set()
        self.fixed = 0
        self.unfixed: list[RawFinding] = []

    def _findings(self, node: cst.CSTNode) -> list[RawFinding] | None:
        entry = self.flagged.get(id(node))
        if entry is None or entry[0] is not node:
            return None
        self.seen.add(id(node))
        return entry[1]

    # Scopes -----------------------------------------------------------------------------------

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        self.frames.append(_Frame("class", node))
        return True

    def leave_ClassDef(
        self, original_node: cst.ClassDef, updated_node: cst.ClassDef
    ) -> cst.BaseStatement:
        self.frames.pop()
        return updated_node

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        self.frames.append(_Frame("lambda", node))
        return True

    def leave_Lambda(
        self, original_node: cst.Lambda, updated_node: cst.Lambda
    ) -> cst.BaseExpression:
        self.frames.pop()
        return updated_node

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        classes = [frame for frame in self.frames if frame.kind == "class"]
        frame = _Frame(
            "function",
            node,
            qualname=".".join([*(_class_name(c.node) for c in classes), node.name.value]),
        )
        frame.scope_reason = _fixture_scope_reason(node)
        existing = _monkeypatch_param(node.params)
        frame.has_param = existing is not None
        if existing is not None and existing.default is not None:
            frame.blocked = (
                "its monkeypatch parameter has a default, so pytest does not pass the fixture"
            )
        elif existing is None and any(p.default is not None for p in node.params.posonly_params):
            frame.blocked = "a monkeypatch parameter cannot follow its defaulted parameters"
        if self.frames and self.frames[-1].kind == "class" and _has_bases(self.frames[-1].node):
            frame.blocked = (
                "its class has base classes (perhaps unittest.TestCase), whose methods cannot "
                "take fixtures"
            )
        self.frames.append(frame)
        return True

    def leave_FunctionDef(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.BaseStatement:
        frame = self.frames.pop()
        if frame.rewritten and not frame.has_param:
            return _with_monkeypatch(updated_node)
        return updated_node

    # Statements -------------------------------------------------------------------------------

    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> bool:
        self._note_statement_calls(node.body)
        return True

    def visit_SimpleStatementSuite(self, node: cst.SimpleStatementSuite) -> bool:
        self._note_statement_calls(node.body)
        return True

    def _note_statement_calls(self, body: Sequence[cst.BaseSmallStatement]) -> None:
        for statement in body:
            if isinstance(statement, cst.Expr) and isinstance(statement.value, cst.Call):
                self.statement_calls.add(id(statement.value))

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        if id(original_node) in self.statement_calls:
            return updated_node  # judged with its statement
        findings = self._findings(original_node)
        if findings:
            inside_lambda = any(frame.kind == "lambda" for frame in self.frames)
            reason = (
                "it is inside a lambda"
                if inside_lambda
                else "it is part of a larger expression, not a statement of its own"
            )
            self.unfixed.extend(_left_alone(finding, reason) for finding in findings)
        return updated_node

    def leave_SimpleStatementLine(
        self, original_node: cst.SimpleStatementLine, updated_node: cst.SimpleStatementLine
    ) -> cst.BaseStatement | cst.FlattenSentinel[cst.BaseStatement]:
        body = self._rewrite_body(original_node.body, updated_node.body)
        if body is None:
            return updated_node
        if len(updated_node.body) == 1 and len(body) > 1:
            # One statement became several: one line each, the first keeps the comments.
            lines = [
                cst.SimpleStatementLine(body=[statement.with_changes(semicolon=_DEFAULT)])
                for statement in body
            ]
            lines[0] = lines[0].with_changes(
                leading_lines=updated_node.leading_lines,
                trailing_whitespace=updated_node.trailing_whitespace,
            )
            return cst.FlattenSentinel(lines)
        return updated_node.with_changes(body=body)

    def leave_SimpleStatementSuite(
        self, original_node: cst.SimpleStatementSuite, updated_node: cst.SimpleStatementSuite
    ) -> cst.BaseSuite:
        body = self._rewrite_body(original_node.body, updated_node.body)
        return updated_node if body is None else updated_node.with_changes(body=body)

    def _rewrite_body(
        self,
        original: Sequence[cst.BaseSmallStatement],
        updated: Sequence[cst.BaseSmallStatement],
    ) -> list[cst.BaseSmallStatement] | None:
        body: list[cst.BaseSmallStatement] = []
        changed = False
        for before, after in zip(original, updated, strict=True):
            replacement = self._rewrite_statement(before, after)
            if replacement is None:
                body.append(after)
            else:
                body.extend(replacement)
                changed = True
        return body if changed else None

    def _rewrite_statement(
        self, original: cst.BaseSmallStatement, updated: cst.BaseSmallStatement
    ) -> list[cst.BaseSmallStatement] | None:
        node: cst.CSTNode = original
        if isinstance(original, cst.Expr) and isinstance(original.value, cst.Call):
            node = original.value
        findings = self._findings(node)
        if not findings:
            return None
        fixable = [finding for finding in findings if finding.fixable]
        self.unfixed.extend(finding for finding in findings if not finding.fixable)
        if not fixable:
            return None
        try:
            frame = self._owner_frame(fixable)
            calls = _replacement(updated, self.resolved.get(id(node)))
            _check_comments(updated, calls)
        except _NotFixable as reason:
            self.unfixed.extend(_left_alone(finding, str(reason)) for finding in fixable)
            return None
        frame.rewritten = True
        self.fixed += len(fixable)
        statements: list[cst.BaseSmallStatement] = [cst.Expr(call) for call in calls]
        statements[-1] = statements[-1].with_changes(semicolon=updated.semicolon)
        return statements

    def _owner_frame(self, findings: list[RawFinding]) -> _Frame:
        """The test or fixture that will receive ``monkeypatch``, if the write is directly in it."""
        functions = [frame for frame in self.frames if frame.kind != "class"]
        innermost = self.frames[-1] if self.frames else None
        if innermost is None or innermost.kind != "function" or len(functions) != 1:
            raise _NotFixable("it is inside a nested function or class; monkeypatch is not there")
        finding = findings[0]
        if finding.owner_kind not in ("test", "fixture") or finding.owner != innermost.qualname:
            raise _NotFixable("the test or fixture that owns it could not be found")
        if innermost.blocked is not None:
            raise _NotFixable(innermost.blocked)
        if finding.owner_kind == "fixture" and innermost.scope_reason is not None:
            raise _NotFixable(innermost.scope_reason)
        return innermost


_DEFAULT = cst.MaybeSentinel.DEFAULT


def _replacement(statement: cst.BaseSmallStatement, resolved: str | None) -> list[cst.Call]:
    """The monkeypatch calls that replace one env-write statement."""
    if resolved is not None and resolved.startswith(_ENVIRONB):
        raise _NotFixable("os.environb takes bytes, and monkeypatch.setenv takes str")
    if isinstance(statement, cst.Assign):
        if resolved != _ENVIRON or len(statement.targets) != 1:
            raise _NotFixable("seams fix does not know this form")
        name = _subscript_name(statement.targets[0].target)
        return [_monkeypatch("setenv", name, statement.value)]
    if isinstance(statement, cst.Del):
        if resolved != _ENVIRON:
            raise _NotFixable("seams fix does not know this form")
        return [_monkeypatch("delenv", _subscript_name(statement.target))]
    if isinstance(statement, cst.Expr) and isinstance(statement.value, cst.Call):
        return _call_replacement(statement.value, resolved)
    raise _NotFixable("seams fix does not know this form")


def _call_replacement(call: cst.Call, resolved: str | None) -> list[cst.Call]:
    if resolved == "os.putenv":
        name, value = _positional(call, 2)
        return [_monkeypatch("setenv", name, value)]
    if resolved == "os.unsetenv":
        (name,) = _positional(call, 1)
        return [_monkeypatch("delenv", name, raising=False)]
    if resolved == f"{_ENVIRON}.update":
        return [_monkeypatch("setenv", name, value) for name, value in _update_pairs(call)]
    if resolved == f"{_ENVIRON}.setdefault" and isinstance(call.func, cst.Attribute):
        arguments = _bind(call, ("key", "default"))
        if "default" not in arguments:
            raise _NotFixable("without a default it would set the variable to None")
        name = arguments["key"]
        if not _is_plain(name):
            raise _NotFixable("its name expression would be evaluated twice")
        current = cst.Call(
            func=cst.Attribute(value=call.func.value, attr=cst.Name("get")),
            args=[cst.Arg(name.deep_clone()), cst.Arg(arguments["default"])],
        )
        return [_monkeypatch("setenv", name, current)]
    if resolved == f"{_ENVIRON}.pop":
        arguments = _bind(call, ("key", "default"))
        if "default" in arguments:
            return [_monkeypatch("delenv", arguments["key"], raising=False)]
        return [_monkeypatch("delenv", arguments["key"])]
    raise _NotFixable("seams fix does not know this form")


def _subscript_name(target: cst.BaseExpression) -> cst.BaseExpression:
    if isinstance(target, cst.Subscript) and len(target.slice) == 1:
        index = target.slice[0].slice
        if isinstance(index, cst.Index) and index.star is None:
            return index.value
    raise _NotFixable("its subscript is not a single name")


def _positional(call: cst.Call, count: int) -> list[cst.BaseExpression]:
    if len(call.args) != count or any(arg.keyword or arg.star for arg in call.args):
        raise _NotFixable(f"it does not have exactly {count} positional arguments")
    return [arg.value for arg in call.args]


def _bind(call: cst.Call, names: tuple[str, ...]) -> dict[str, cst.BaseExpression]:
    """Arguments by parameter name; the first parameter is required."""
    bound: dict[str, cst.BaseExpression] = {}
    for position, arg in enumerate(call.args):
        if arg.star:
            raise _NotFixable("it unpacks its arguments with * or **")
        name = (
            arg.keyword.value if arg.keyword else names[position] if position < len(names) else ""
        )
        if name not in names or name in bound:
            raise _NotFixable("its arguments are not the ones os.environ takes")
        bound[name] = arg.value
    if names[0] not in bound:
        raise _NotFixable("it has no variable name argument")
    return bound


def _update_pairs(call: cst.Call) -> list[tuple[cst.BaseExpression, cst.BaseExpression]]:
    """``update({"A": x}, B=y)`` -> [("A", x), ("B", y)]; only literal dicts and keywords."""
    pairs: list[tuple[cst.BaseExpression, cst.BaseExpression]] = []
    for position, arg in enumerate(call.args):
        if arg.star:
            raise _NotFixable("os.environ.update gets ** unpacking, not a dict literal or keywords")
        if arg.keyword is not None:
            pairs.append((cst.SimpleString(f'"{arg.keyword.value}"'), arg.value))
        elif position == 0 and isinstance(arg.value, cst.Dict):
            for element in arg.value.elements:
                if not isinstance(element, cst.DictElement):
                    raise _NotFixable("its dict literal unpacks another mapping with **")
                pairs.append((element.key, element.value))
        else:
            raise _NotFixable("os.environ.update gets something other than a dict literal")
    if not pairs:
        raise _NotFixable("os.environ.update sets no variable")
    return pairs


def _is_plain(node: cst.BaseExpression) -> bool:
    """A string literal, name or attribute chain: evaluating it twice is harmless."""
    while isinstance(node, cst.Attribute):
        node = node.value
    if isinstance(node, cst.ConcatenatedString):
        return _is_plain(node.left) and _is_plain(node.right)
    return isinstance(node, (cst.Name, cst.SimpleString))


def _monkeypatch(method: str, *args: cst.BaseExpression, raising: bool = True) -> cst.Call:
    arguments = [cst.Arg(arg) for arg in args]
    if not raising:
        arguments.append(
            cst.Arg(
                cst.Name("False"),
                keyword=cst.Name("raising"),
                equal=cst.AssignEqual(
                    whitespace_before=cst.SimpleWhitespace(""),
                    whitespace_after=cst.SimpleWhitespace(""),
                ),
            )
        )
    return cst.Call(
        func=cst.Attribute(value=cst.Name(MONKEYPATCH), attr=cst.Name(method)), args=arguments
    )


class _Comments(cst.CSTVisitor):
    def __init__(self) -> None:
        super().__init__()
        self.found: Counter[str] = Counter()

    def visit_Comment(self, node: cst.Comment) -> None:
        self.found[node.value] += 1


def _comments(nodes: Sequence[cst.CSTNode]) -> Counter[str]:
    visitor = _Comments()
    for node in nodes:
        node.visit(visitor)
    return visitor.found


def _check_comments(statement: cst.BaseSmallStatement, calls: list[cst.Call]) -> None:
    """Refuse a rewrite that would drop a comment written inside the statement."""
    if _comments([statement]) - _comments(calls):
        raise _NotFixable("rewriting it would drop a comment inside it")


# The owning function ------------------------------------------------------------------------


def _class_name(node: cst.CSTNode) -> str:
    return node.name.value if isinstance(node, cst.ClassDef) else ""


def _has_bases(node: cst.CSTNode) -> bool:
    if not isinstance(node, cst.ClassDef):
        return False
    return any(
        arg.keyword is None
        and not (isinstance(arg.value, cst.Name) and arg.value.value == "object")
        for arg in node.bases
    )


def _fixture_scope_reason(node: cst.FunctionDef) -> str | None:
    """Why a fixture's writes cannot use monkeypatch: a scope wider than "function"."""
    scope = fixture_scope(node)
    if scope is None:
        return None
    return (
        f"the fixture has scope={scope}, and monkeypatch is function-scoped; "
        "move the writes into a function-scoped fixture or use pytest.MonkeyPatch.context()"
    )


def _monkeypatch_param(params: cst.Parameters) -> cst.Param | None:
    for param in (*params.posonly_params, *params.params, *params.kwonly_params):
        if param.name.value == MONKEYPATCH:
            return param
    return None


def _with_monkeypatch(node: cst.FunctionDef) -> cst.FunctionDef:
    """Add a ``monkeypatch`` parameter after the positional ones, in the signature's layout.

    It goes before the first parameter with a default (a parameter without one cannot follow
    it) and before ``*args`` and keyword-only parameters; a multi-line signature stays one
    parameter per line.
    """
    params = node.params
    space = node.whitespace_before_params
    separator = cst.Comma(
        whitespace_after=space
        if isinstance(space, cst.ParenthesizedWhitespace)
        else cst.SimpleWhitespace(" ")
    )
    new = cst.Param(cst.Name(MONKEYPATCH))
    positional = list(params.params)
    index = next(
        (i for i, param in enumerate(positional) if param.default is not None), len(positional)
    )
    if index < len(positional):
        positional.insert(index, new.with_changes(comma=separator))
        return node.with_changes(params=params.with_changes(params=positional))
    if positional:
        last = positional[-1]
        positional[-1] = last.with_changes(
            comma=separator, whitespace_after_param=cst.SimpleWhitespace("")
        )
        positional.append(
            new.with_changes(comma=last.comma, whitespace_after_param=last.whitespace_after_param)
        )
        return node.with_changes(params=params.with_changes(params=positional))
    slash = params.posonly_ind
    if isinstance(slash, cst.ParamSlash) and isinstance(slash.comma, cst.Comma):
        params = params.with_changes(posonly_ind=slash.with_changes(comma=separator))
        new = new.with_changes(comma=slash.comma)
    elif params.star_arg is not _DEFAULT or params.kwonly_params or params.star_kwarg is not None:
        new = new.with_changes(comma=separator)
    return node.with_changes(params=params.with_changes(params=[new]))


# The command --------------------------------------------------------------------------------


def run_fix(
    files: list[Path], write: bool, out: TextIO, naming: PytestNaming = DEFAULT_NAMING
) -> int:
    """Show (or, with ``write``, apply) the env-write fixes for some files; ``naming``: the
    project's pytest discovery settings, which decide what is a test.

    Exit status: without ``write``, 1 when a file would change; with ``write``, 0. A file that
    cannot be read, parsed or written is reported and makes the status 1 either way; the other
    files are still fixed. A file is either left untouched or replaced by its fixed version as a
    whole (see ``_replace_atomically``).
    """
    status = 0
    for file in files:
        display = relative_posix(file, Path.cwd())
        try:
            original = _read_source(file)
            module = parse_module(original)
        except OSError as error:
            print(f"{display}: error: cannot read: {_reason(error)}", file=out)
            status = 1
            continue
        except Unparsable as error:
            print(f"{display}: error: {error}", file=out)
            status = 1
            continue
        fixed_module, fixed, unfixed = _fix_module(module, display, naming)
        if fixed_module.code != module.code:
            if write:
                try:
                    _replace_atomically(file, fixed_module.bytes)
                except OSError as error:
                    print(
                        f"{display}: error: cannot write the fix ({_reason(error)}); "
                        "the file is unchanged",
                        file=out,
                    )
                    status = 1
                else:
                    print(f"fixed {fixed} env writes in {display}", file=out)
            else:
                _print_diff(module.code, fixed_module.code, display, out)
                status = 1
        for finding in unfixed:
            print(f"{display}:{finding.line}: not fixed: {finding.message}", file=out)
    return status


class SourceError(OSError):
    """A test file that cannot be fixed as it is: its message says why and what to do."""

    def __str__(self) -> str:
        return str(self.args[0])


def _reason(error: OSError) -> str:
    """What went wrong, without the file name the caller prints already."""
    if isinstance(error, SourceError):
        return str(error)
    return error.strerror or str(error)


def _read_source(file: Path) -> bytes:
    """The bytes of a test file, checked to decode as Python reads them (its encoding cookie
    or BOM, else UTF-8); SourceError or OSError when they cannot be read or decoded."""
    content = read_regular_file(file)  # never a FIFO or device named like a test file
    decoded = decode_source(content)
    if isinstance(decoded, Undecodable):
        raise SourceError(decoded.error)
    return content


def _replace_atomically(file: Path, content: bytes) -> None:
    """Replace a file's content so that it is either untouched or entirely new, never torn.

    The new bytes go to a temporary file next to it, which takes the original's permission
    bits (and owner, where allowed) and is then renamed over it. A symbolic link is kept: its
    target is replaced. A file without write permission is not changed (root could replace
    it, but a read-only file says it is not to be edited); SourceError then.
    """
    target = Path(os.path.realpath(file))
    original = os.stat(target)
    if not (original.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)) or not os.access(
        target, os.W_OK
    ):
        raise SourceError("it is read-only: make it writable to let seams fix change it")
    handle, temporary = tempfile.mkstemp(
        dir=target.parent, prefix=f".{target.name}.", suffix=".seams-fix.tmp"
    )
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
            stream.flush()
            os.fsync(stream.fileno())  # the new content is on disk before the rename
        os.chmod(temporary, stat.S_IMODE(original.st_mode))
        if hasattr(os, "chown"):
            with contextlib.suppress(OSError):  # only root may give a file to another owner
                os.chown(temporary, original.st_uid, original.st_gid)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def _print_diff(before: str, after: str, display: str, out: TextIO) -> None:
    header = display.lstrip("/")
    for line in difflib.unified_diff(
        before.splitlines(keepends=True),
        after.splitlines(keepends=True),
        fromfile=f"a/{header}",
        tofile=f"b/{header}",
    ):
        out.write(line)
        if not line.endswith("\n"):
            out.write("\n\\ No newline at end of file\n")
