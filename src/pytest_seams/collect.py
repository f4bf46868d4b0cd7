"""What collection tells us: test records, docstring-contract findings and marker suppressions.

This runs wherever pytest collects (the single process, or each xdist worker); its result is
``Evidence`` (evidence.py) that the session merges into its own.
"""

from __future__ import annotations

import functools
import gc
import inspect
import os
import posixpath
import re
import traceback
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import CodeType
from typing import NamedTuple

import pytest
from _pytest.nodes import Node

from pytest_seams.cache import ContractMemo, FileStats
from pytest_seams.codes import INTERNAL_ERROR
from pytest_seams.config import Config
from pytest_seams.contract import ContractCheck

# DocstringClue and SeamHints are re-exported: mapping.py reads them from here.
from pytest_seams.evidence import DocstringClue as DocstringClue
from pytest_seams.evidence import Evidence
from pytest_seams.evidence import SeamHints as SeamHints
from pytest_seams.facts import FactsReader
from pytest_seams.model import Finding, TestRecord
from pytest_seams.paths import matches_any, relative_posix
from pytest_seams.suppression import MARKER, marker_suppression

SEAM_MARKER = "seam"
"""Links a test to seams: ``@pytest.mark.seam("id or exact title")``."""


def internal_error(
    phase: str, error: BaseException, *, path: str | None = None, nodeid: str | None = None
) -> Finding:
    frames = traceback.format_exception(type(error), error, error.__traceback__, limit=-4)
    return INTERNAL_ERROR.finding(
        f"pytest-seams failed while {phase} ({type(error).__name__}: {error}); this part was not "
        "checked. Please report this with the traceback:\n" + "".join(frames).rstrip(),
        path=path,
        line=None,
        nodeid=nodeid,
    )


@contextmanager
def heap_frozen() -> Iterator[None]:
    """Keep the cyclic garbage collector off the objects that already exist, for a while.

    After collection the heap holds every test node; the collector passes that our own
    allocations trigger would rescan all of it (several times the cost of the work itself).
    Frozen objects are skipped until ``unfreeze``. Before unfreezing, one collection of just
    the objects made meanwhile settles them: otherwise they count as new long-lived objects, and
    soon after ``unfreeze`` they tip CPython into an extra full collection of the whole heap
    (about 0.2 s on a 12,000-test suite). Left alone if someone else already froze objects.
    """
    if gc.get_freeze_count():
        yield
        return
    gc.freeze()
    try:
        yield
    finally:
        if gc.isenabled():
            gc.collect()  # only the objects made since freeze() are examined
        gc.unfreeze()


@contextmanager
def guarded(
    findings: list[Finding], phase: str, *, path: str | None = None, nodeid: str | None = None
) -> Iterator[None]:
    """Turn an exception inside pytest-seams into one internal-error finding."""
    try:
        yield
    except Exception as error:
        findings.append(internal_error(phase, error, path=path, nodeid=nodeid))


def conftest_paths(config: pytest.Config) -> list[Path]:
    """conftest.py files pytest loaded from inside rootdir."""
    found = []
    for plugin in config.pluginmanager.get_plugins():
        filename = getattr(plugin, "__file__", None)
        if filename and Path(filename).name == "conftest.py":
            path = Path(filename)
            if path.is_relative_to(config.rootpath):
                found.append(path)
    return sorted(found)


class MarkerLookup:
    """Which of some marker names apply to items, looking at each parent node once.

    A marker applies to an item when the item or any node above it carries it (as with
    ``get_closest_marker``); parents are shared by many items, so their answer is kept.
    """

    def __init__(self, names: Iterable[str]) -> None:
        self.names = frozenset(names)
        self._parents: dict[Node, frozenset[str]] = {}

    def __call__(self, node: Node) -> frozenset[str]:
        parent = node.parent
        if parent is None:
            return self.own(node, frozenset())
        above = self._parents.get(parent)
        if above is None:
            above = self._parents[parent] = self(parent)
        return self.own(node, above)

    def own(self, node: Node, above: frozenset[str]) -> frozenset[str]:
        """The markers of ``node``, given those of its parent (``above``)."""
        marks = node.own_markers
        if not marks:
            return above
        names = self.names
        own = [mark.name for mark in marks if mark.name in names]
        return above.union(own) if own else above


def function_code(function: object) -> CodeType | None:
    """The code object of a test function, through decorators that keep ``__wrapped__``."""
    if hasattr(function, "__wrapped__"):
        function = inspect.unwrap(function)  # type: ignore[arg-type]
    return getattr(function, "__code__", None)


# A module or class docstring's first line that names the seam its tests cover.
_TITLE_LINES = (
    re.compile(r"^integration tests? for (?P<title>.+?)[.:]?$", re.IGNORECASE),
    re.compile(r"^(?P<title>.+?) integration tests?[.:]?$", re.IGNORECASE),
    re.compile(r"^tests for (?P<title>.+?)[.:]?$", re.IGNORECASE),
    # "End-to-end integration tests for ...", "Shared Contract Tests for ...", "Test suite for
    # verifying ...": up to three words before "tests for".
    re.compile(
        r"^(?:[\w-]+ ){1,3}?(?:integration )?tests? for (?:verifying )?(?P<title>.+?)[.:]?$",
        re.IGNORECASE,
    ),
    re.compile(r"^test suite for (?:verifying )?(?P<title>.+?)[.:]?$", re.IGNORECASE),
)
# "SEAM 3", "(Seam 3)"; "TEST 3.1", "Tests 3.1-3.2" (sub-items of seam 3). Lower-case "test"
# is left out: "the test 2.5 seconds later" is prose, not a reference.
_SEAM_NUMBER = re.compile(
    # One \s* before the optional "#": two in a row would try every split of a long run of
    # spaces after "seam" (quadratic in it).
    r"\b(?:(?i:seam)\s*(?:#\s*)?(?P<seam>\d+)\b(?!\.\d)"
    r"|(?:TESTS?|Tests?)\s+(?P<item>\d+)\.\d+(?:\s*[-\u2013]\s*\d+\.\d+)?)"
)

_NAMED_AFTER = re.compile(r"[ \t]*[:\u2014\u2013-][ \t]*(?P<title>[^\n]{3,200})")


def docstring_clues(docstring: object, where: str) -> tuple[DocstringClue, ...]:
    """The seam titles and numbers a test's, class's or module's docstring names."""
    if not isinstance(docstring, str):
        return ()
    return _docstring_clues(docstring, where)


@functools.lru_cache(maxsize=256)  # a class's and module's docstring serve each of their tests
def _docstring_clues(docstring: str, where: str) -> tuple[DocstringClue, ...]:
    from pytest_seams.docstrings import section_bodies  # only when plans list seams

    clues = []
    if "seam under test" in docstring.lower():
        for body in section_bodies(docstring, "Seam Under Test"):
            first = body.strip().partition("\n")[0]
            quote = f"Seam Under Test: {first}"
            clues.append(DocstringClue(where=where, title=body, described=body, quote=quote))
    if "integration scope" in docstring.lower():
        for body in section_bodies(docstring, "Integration Scope"):
            first = body.strip().partition("\n")[0]
            quote = f"Integration Scope: {first}"
            clues.append(DocstringClue(where=where, scope=body, quote=quote))
    first_line = docstring.strip().partition("\n")[0].strip()
    if where != "test":  # a test's first line says what it checks, not which seam
        for pattern in _TITLE_LINES:
            match = pattern.match(first_line)
            if match:
                title = match["title"]
                clue = DocstringClue(
                    where=where, title=title, described=first_line, quote=first_line
                )
                clues.append(clue)
                break
    for match in _SEAM_NUMBER.finditer(docstring):
        number = match["seam"] or match["item"]
        # "SEAM 1: Environment Detection → ...": the title after the number tells which plan's
        # seam 1 is meant when two plans of a folder number their seams alike.
        named = _NAMED_AFTER.match(docstring, match.end())
        if named:
            described = named["title"].strip()
            quote = f"{match[0]}: {described}"
            clues.append(
                DocstringClue(where=where, number=number, described=described, quote=quote)
            )
        else:
            clues.append(DocstringClue(where=where, number=number, quote=match[0]))
    return tuple(clues)


def seam_hints(item: pytest.Item) -> SeamHints | None:
    """The seam marker values and docstring clues that apply to a test, if any."""
    marks: tuple[str, ...] = ()
    if SEAM_MARKER in item.keywords:  # cheap test before walking the node chain for markers
        marks = tuple(str(arg) for mark in item.iter_markers(SEAM_MARKER) for arg in mark.args)
    clues = (
        *docstring_clues(getattr(getattr(item, "obj", None), "__doc__", None), "test"),
        *docstring_clues(getattr(getattr(item, "cls", None), "__doc__", None), "class"),
        *docstring_clues(getattr(getattr(item, "module", None), "__doc__", None), "module"),
    )
    if not (marks or clues):
        return None
    return SeamHints(marks=marks, clues=clues)


class _Parent(NamedTuple):
    """What the items under one parent node share."""

    path: str
    """The items' file, rootdir-relative."""
    markers: frozenset[str]
    """Integration and suppression markers on the parent or above."""
    integration: bool
    """Integration by path or by a marker on the parent or above."""
    functions: dict[object, _Function]
    """Its test functions (unbound), each with what its items share."""


class _Function:
    """What the items of one test function under one parent share (parametrized cases).

    A plain class: these helpers are defined on every session, a dataclass takes far longer.
    """

    __slots__ = ("checked", "code", "definition", "file", "line", "nodeid")

    def __init__(
        self,
        nodeid: str,
        code: CodeType | None,
        definition: tuple[str, int] | None,
        file: str | None = None,
    ) -> None:
        self.nodeid = nodeid
        """The node id of the function without parameters, as static findings name tests."""
        self.code = code
        """The code of the unwrapped function; None when it has none (then no definition)."""
        self.definition = definition
        """The function's file (rootdir-relative) and the first line of its code."""
        self.line = definition[1] if definition and definition[1] >= 1 else None
        """The first line of its code, pytest's location of the test (its first decorator)."""
        self.checked = False
        """Whether its docstring was checked (once an item of it counts as integration)."""
        self.file = file
        """The file defining it, to analyse when it is selected; None when there is none."""


def collect(
    items: Sequence[pytest.Item],
    deselected: Iterable[str],
    conftests: Iterable[Path],
    config: Config,
    rootdir: Path,
    with_seams: bool = True,
    memo: ContractMemo | None = None,
    stats: FileStats | None = None,
    narrowed_files: Iterable[str] = (),
    modules: Iterable[Path] = (),
) -> Evidence:
    """Records, docstring findings and marker suppressions of the collected items.

    Findings and suppressions cover the selected items only (``items`` not in ``deselected``),
    the files they live in and the ``conftests`` that apply to them (in a directory holding a
    selected test's file); deselected items get a record (for seam statuses) and nothing else.
    ``narrowed_files`` (rootdir-relative) were named by node ids on the command line: only
    some of their tests were collected, so they are partial like files with deselected tests.
    ``modules`` are test modules within the session's path arguments: one without any
    collected test is analysed too (its findings, such as a parse failure, are about a file
    the session collected), unlike a module only created beside a selected file.

    ``with_seams`` is False when no plan lists seams: then nothing about seams is gathered.
    ``memo`` keeps docstring-contract verdicts across sessions; ``stats`` are the session's
    file stats, shared with the analysis. This runs for every item of
    every session, so what items share is worked out once: per parent node, per function.
    """
    data = Evidence()
    deselected = set(deselected)
    contract = ContractCheck(config, memo or ContractMemo(None), stats)
    integration_markers = frozenset(config.integration_markers)
    markers_of = MarkerLookup([*integration_markers, MARKER])
    # Rootdir-relative paths of the files to analyse statically.
    files: set[str] = set()
    partial = set(narrowed_files)
    with_tests: set[str] = set()  # files holding any collected test, selected or not
    # code file name -> rootdir-relative path, and whether it is a file to analyse
    code_files: dict[str, tuple[str, bool]] = {}
    parents: dict[Node | None, _Parent] = {}
    marker_targets: dict[tuple[str, int], tuple[Node, pytest.Mark, list[str]]] = {}
    append_test = data.tests.append
    facts_of = FactsReader(config, rootdir) if config.wants_checklist else None
    function_type = pytest.Function
    for item in items:
        nodeid = item.nodeid
        parent_node = item.parent
        parent = parents.get(parent_node)
        try:
            if parent is None:
                parent = parents[parent_node] = _parent(
                    item, rootdir, config, markers_of, integration_markers
                )
                with_tests.add(parent.path)
            path, markers, integration, functions = parent
            selected = nodeid not in deselected
            if selected:
                files.add(path)
            else:
                partial.add(path)
            if item.own_markers:
                markers = markers_of.own(item, markers)
                integration = integration or not integration_markers.isdisjoint(markers)
            line: int | None = None
            if isinstance(item, function_type):
                obj = item.obj
                unbound = getattr(obj, "__func__", obj)  # a method of the test class instance
                function = functions.get(unbound)
                if function is None:
                    function = functions[unbound] = _function(
                        item, nodeid, unbound, rootdir, code_files, path
                    )
                    if function.definition is not None:
                        data.definitions[function.nodeid] = function.definition
                line = function.line
                if selected and function.file is not None:
                    files.add(function.file)
                # One finding per function, not per parametrized case: they share one docstring.
                if integration and selected and not function.checked:
                    function.checked = True
                    def_path = function.definition[0] if function.definition else None
                    function_nodeid = function.nodeid
                    # Positional Finding: code, category, severity, path, line, nodeid, message.
                    data.findings += [
                        Finding(c.code, c.category, c.severity, def_path, at, function_nodeid, text)
                        for c, text, at in contract.templates(item, function.code)
                    ]
            if line is None:
                # item.location is costly (it finds the source): only when the code is unknown.
                location_line = item.location[1]
                line = location_line + 1 if isinstance(location_line, int) else None
            append_test(TestRecord(nodeid, path, line, integration, selected))
            if integration and selected and facts_of is not None:
                facts = facts_of(item)
                if facts is not None:
                    data.facts[nodeid] = facts
            if MARKER in markers and selected:
                for node, mark in item.iter_markers_with_node(MARKER):
                    target = marker_targets.setdefault((node.nodeid, id(mark)), (node, mark, []))
                    target[2].append(nodeid)
            if with_seams:
                hints = seam_hints(item)
                if hints is not None:
                    data.hints[nodeid] = hints
        except Exception as error:
            data.findings.append(
                internal_error(
                    "checking a test", error, path=parent.path if parent else None, nodeid=nodeid
                )
            )
    for node, mark, nodeids in marker_targets.values():
        with guarded(data.findings, "reading a seam_ignore marker", nodeid=node.nodeid):
            reportinfo = getattr(node, "reportinfo", None)
            node_path, node_line, _ = reportinfo() if reportinfo else (node.path, None, "")
            data.suppressions.append(
                marker_suppression(
                    mark.args,
                    relative_posix(node_path, rootdir),
                    node_line + 1 if isinstance(node_line, int) else None,
                    node.nodeid,
                    nodeids,
                )
            )
    for module in modules:
        path = relative_posix(module, rootdir)
        if path not in with_tests:
            files.add(path)
    test_dirs = {posixpath.dirname(path) for path in files}
    for conftest in conftests:
        path = relative_posix(conftest, rootdir)
        if _applies(posixpath.dirname(path), test_dirs):
            files.add(path)
    data.files = sorted(path for path in files if path.endswith(".py") and not path.startswith("/"))
    data.partial = sorted(partial.intersection(data.files))
    return data


def _applies(conftest_dir: str, test_dirs: set[str]) -> bool:
    """Whether a conftest in ``conftest_dir`` applies to a test file in one of ``test_dirs``
    (its own directory or one below it; all paths rootdir-relative, '' is rootdir)."""
    if not conftest_dir:
        return bool(test_dirs)
    prefix = conftest_dir + "/"
    return any(test_dir == conftest_dir or test_dir.startswith(prefix) for test_dir in test_dirs)


def _parent(
    item: pytest.Item,
    rootdir: Path,
    config: Config,
    markers_of: MarkerLookup,
    integration_markers: frozenset[str],
) -> _Parent:
    path = relative_posix(item.path, rootdir)
    above = markers_of(item.parent) if item.parent is not None else frozenset[str]()
    integration = matches_any(path, config.integration_paths) or not (
        integration_markers.isdisjoint(above)
    )
    return _Parent(path, above, integration, {})


def _function(
    item: pytest.Function,
    nodeid: str,
    unbound: object,
    rootdir: Path,
    code_files: dict[str, tuple[str, bool]],
    module_path: str,
) -> _Function:
    # The node id without parameters: the item's, with its name cut back to the function's.
    function_nodeid = nodeid[: len(nodeid) - len(item.name)] + item.originalname
    code = function_code(unbound)
    if code is None:
        return _Function(function_nodeid, None, None)
    known = code_files.get(code.co_filename)
    if known is None:
        def_path = relative_posix(code.co_filename, rootdir)
        # Code compiled from a string (exec, compile) names a file that may not exist, such
        # as "<string>": no file to analyse. The item's own module is known to exist.
        exists = def_path == module_path or os.path.isfile(code.co_filename)
        known = code_files[code.co_filename] = (def_path, exists)
    def_path, exists = known
    return _Function(
        function_nodeid, code, (def_path, code.co_firstlineno), def_path if exists else None
    )
