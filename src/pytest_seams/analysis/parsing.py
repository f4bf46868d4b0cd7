"""Parsing a file with libcst without letting the file crash or stall the process.

libcst's native parser recurses on the C stack and holds the GIL: a module that CPython runs
fine (an 8,000-term ``and`` chain) overflows that stack and kills the process, and some shapes
take time that grows with the square of their length (1,000 chained subscripts: 2 s; 3,000:
21 s) with no way to interrupt them. So before libcst sees a source:

- CPython's own parser (``ast.parse``, about a tenth of libcst's time) must accept it: that
  bounds brackets at 200 levels and rejects what pytest could not import anyway;
- its nesting, counted on that tree, must stay within ``MAX_NESTING`` levels, where each extra
  operand of an ``and``/``or`` chain counts as a level (libcst nests them; CPython does not).

Then libcst parses on a thread with a large stack (``run_with_large_stack``), so the outcome
does not depend on the caller's stack (1 MB on a Windows main thread, less on other threads).
"""

from __future__ import annotations

import ast
import os
import sys
import threading
import warnings
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    import libcst as cst

_PYTHON = ".".join(map(str, sys.version_info[:2]))

MAX_NESTING = 200
"""Deepest nesting parsed. Measured here (libcst 1.9, 8 MB stack): chains of this length parse
in under 0.1 s and are walked far below Python's recursion limit; libcst crashed from about
1,300 nested brackets and 8,000 ``and`` terms."""

LARGE_STACK_BYTES = 64 * 2**20
"""Stack of the parsing thread: virtual memory, committed only as far as it is used."""

_T = TypeVar("_T")


class Unparsable(Exception):
    """A source pytest-seams does not parse; the message says why, where and what to do."""


MAX_TREE_DEPTH = 400
"""Deepest libcst tree ``parse_module`` returns: one level takes about two frames of the
recursive walks and code generation that follow, within Python's limit of 1,000."""


def parse_module(source: str | bytes) -> cst.Module:
    """The libcst tree of a module, or ``Unparsable`` for one that CPython rejects, that is
    nested too deeply for libcst or for recursive walks of its tree, or that libcst rejects.
    Bytes are decoded as Python does (coding cookie, BOM, else UTF-8).

    For `seams fix`; the analysis instead catches the RecursionError of a tree too deep for
    its walk, which costs nothing on the files that have none.
    """
    module = run_with_large_stack(parse_checked, source)
    if tree_depth(module, MAX_TREE_DEPTH) > MAX_TREE_DEPTH:
        raise Unparsable(
            f"an expression is nested deeper than {MAX_TREE_DEPTH} levels in libcst's tree "
            "(such as hundreds of implicitly concatenated strings); split it into smaller ones"
        )
    return module


def tree_depth(module: cst.Module, limit: int) -> int:
    """The depth of a libcst tree, counted without recursion; stops once past ``limit``."""
    from pytest_seams.analysis.engine import children

    deepest = 0
    stack: list[tuple[cst.CSTNode, int]] = [(module, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > deepest:
            deepest = depth
            if depth > limit:
                break
        stack.extend((child, depth + 1) for child in children(node))
    return deepest


def parse_checked(source: str | bytes) -> cst.Module:
    """``parse_module`` on the caller's own stack: for code already on a large one."""
    import libcst as cst

    check_nesting(source)
    try:
        return cst.parse_module(source)
    except cst.ParserSyntaxError as error:
        raise Unparsable(f"cannot parse: {error.message} (line {error.raw_line})") from None


def check_nesting(source: str | bytes) -> None:
    """Raise ``Unparsable`` unless CPython parses the source and its nesting stays within
    ``MAX_NESTING`` levels."""
    try:
        # Warnings of the source (an invalid escape sequence) are pytest's to show when it
        # imports the file: here they would be noise, or false errors under -W error.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = ast.parse(source)
    except SyntaxError as error:
        # Named: a file written for a newer Python is invalid syntax to this one.
        raise Unparsable(
            f"cannot parse with Python {_PYTHON}: {error.msg} (line {error.lineno})"
        ) from None
    except (RecursionError, MemoryError):
        raise Unparsable(
            "cannot parse: an expression is nested too deeply for Python's own parser; "
            "split it into smaller ones"
        ) from None
    except ValueError as error:  # e.g. null bytes, before Python 3.12
        raise Unparsable(f"cannot parse: {error}") from None
    depth, line = deepest_nesting(tree, MAX_NESTING)
    if depth > MAX_NESTING:
        raise Unparsable(
            f"nesting deeper than {MAX_NESTING} levels at line {line}, more than pytest-seams "
            "parses safely: a deeply nested or long chained expression, such as a long 'and' "
            "chain; split it into smaller ones, or silence SEAM003 for the file with "
            "seam_per_path_ignores"
        )


def deepest_nesting(tree: ast.AST, limit: int) -> tuple[int, int | None]:
    """The deepest nesting level in a tree and the line where it is reached, stopping once past
    ``limit``. Every node is a level, and each extra operand of an ``and``/``or`` chain one
    more (libcst nests ``a and b and c`` as ``(a and b) and c``)."""
    node_type = ast.AST
    bool_op = ast.BoolOp
    deepest, line = 0, None
    stack: list[tuple[ast.AST, int, int | None]] = [(tree, 0, None)]
    pop, push = stack.pop, stack.append
    while stack:
        node, depth, at = pop()
        depth += len(node.values) if type(node) is bool_op else 1
        at = getattr(node, "lineno", at)
        if depth > deepest:
            deepest, line = depth, at
            if depth > limit:
                break
        for name in node._fields:
            value = getattr(node, name, None)
            if type(value) is list:
                for item in value:
                    if isinstance(item, node_type):
                        push((item, depth, at))
            elif isinstance(value, node_type) and name != "ctx":
                push((value, depth, at))
    return deepest, line


_THREAD_NAME = "pytest-seams-parse"
_parser_thread: tuple[int, ThreadPoolExecutor] | None = None  # (pid, executor) once started


def run_with_large_stack(function: Callable[..., _T], *args: object) -> _T:
    """``function(*args)`` on a thread with a ``LARGE_STACK_BYTES`` stack, waited for; its
    exception, if any, is raised here. Inline where no such thread can be had.

    One thread per process, started on first use and then reused: starting a thread with a
    large stack for every file cost about a fifth as much as the parse itself.
    """
    global _parser_thread
    if threading.current_thread().name.startswith(_THREAD_NAME):
        return function(*args)
    if _parser_thread is not None and _parser_thread[0] == os.getpid():
        return _parser_thread[1].submit(function, *args).result()
    # None yet, or one inherited through fork() whose thread does not exist in this process.
    try:
        previous = threading.stack_size(LARGE_STACK_BYTES)
    except (ValueError, RuntimeError):  # a platform without settable thread stacks
        return function(*args)
    executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix=_THREAD_NAME)
    try:
        future = executor.submit(function, *args)  # starts the thread, with the large stack
    except RuntimeError:  # no thread to be had (a process or memory limit): the caller's stack
        return function(*args)
    finally:
        threading.stack_size(previous)
    _parser_thread = (os.getpid(), executor)
    return future.result()
