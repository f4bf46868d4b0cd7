"""What collection tells us: test records, docstring-contract findings and marker suppressions.

This runs wherever pytest collects (the single process, or each xdist worker); its result is a
serialisable ``CollectionData`` that the reporting process merges.
"""

from __future__ import annotations

import functools
import gc
import hashlib
import inspect
import linecache
import os
import time
import traceback
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import CodeType

import pytest
from _pytest.nodes import Node

from pytest_seams.cache import ContractMemo
from pytest_seams.codes import ALL_CODES, DOCSTRING_MISSING, INTERNAL_ERROR, Code
from pytest_seams.config import Config
from pytest_seams.docstrings import Breach, check_contract, section_bodies
from pytest_seams.mapping import MARKER as SEAM_MARKER
from pytest_seams.mapping import SeamHints
from pytest_seams.model import PYDANTIC_CONFIG, AnalysisStats, Finding, TestRecord
from pytest_seams.paths import glob_match, relative_posix
from pytest_seams.suppression import MARKER, Suppression, marker_suppression


@dataclass(kw_only=True)
class CollectionData:
    """The part of a report that collection produces; what an xdist worker sends back."""

    __pydantic_config__ = PYDANTIC_CONFIG

    tests: list[TestRecord] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    suppressions: list[Suppression] = field(default_factory=list)
    definitions: dict[str, tuple[str, int]] = field(default_factory=dict)
    hints: dict[str, SeamHints] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)
    """Test modules and conftests to analyse statically."""
    analysed: list[str] = field(default_factory=list)
    """Files this process analysed."""
    stats: AnalysisStats = field(default_factory=AnalysisStats)

    def merge(self, other: CollectionData) -> None:
        known = {test.nodeid for test in self.tests}
        self.tests += [test for test in other.tests if test.nodeid not in known]
        self.findings += other.findings
        self.suppressions += other.suppressions
        self.definitions.update(other.definitions)
        self.hints.update(other.hints)
        self.files = sorted(set(self.files) | set(other.files))
        self.analysed = sorted(set(self.analysed) | set(other.analysed))
        self.stats += other.stats


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
        marks = node.own_markers
        own = self.names.intersection(mark.name for mark in marks) if marks else None
        parent = node.parent
        if parent is None:
            return frozenset(own or ())
        above = self._parents.get(parent)
        if above is None:
            above = self._parents[parent] = self(parent)
        return above.union(own) if own else above


@functools.lru_cache(maxsize=4096)
def integration_path(path: str, patterns: tuple[str, ...]) -> bool:
    return any(glob_match(path, pattern) for pattern in patterns)


def test_code(item: pytest.Function) -> CodeType | None:
    """The code object of a test function, through decorators that keep ``__wrapped__``."""
    function = item.obj
    function = getattr(function, "__func__", function)  # a method of the test class instance
    if hasattr(function, "__wrapped__"):
        function = inspect.unwrap(function)
    return getattr(function, "__code__", None)


def definition_line(file: str | Path, first_line: int) -> int:
    """The ``def`` line of a function whose code starts at ``first_line`` (its first decorator)."""
    lines = linecache.getlines(str(file))
    for number in range(first_line, min(first_line + 50, len(lines)) + 1):
        if lines[number - 1].lstrip().startswith(("def ", "async def ")):
            return number
    return first_line


def _docstring_line(lines: list[str], def_line: int) -> int:
    """Line where the docstring opens: its first text line is on the quote line."""
    for number in range(def_line, min(def_line + 60, len(lines)) + 1):
        if '"""' in lines[number - 1] or "'''" in lines[number - 1]:
            return number
    return def_line


def seam_hints(item: pytest.Item) -> SeamHints | None:
    """The seam marker values and seam docstring sections that apply to a test, if any."""
    marks: tuple[str, ...] = ()
    if SEAM_MARKER in item.keywords:  # cheap test before walking the node chain for markers
        marks = tuple(str(arg) for mark in item.iter_markers(SEAM_MARKER) for arg in mark.args)
    module = getattr(item, "module", None)
    docstrings = [
        getattr(getattr(item, "obj", None), "__doc__", None),
        getattr(getattr(item, "cls", None), "__doc__", None),
        getattr(module, "__doc__", None),
    ]
    under_test = tuple(
        body
        for docstring in docstrings
        if isinstance(docstring, str) and "seam under test" in docstring.lower()
        for body in section_bodies(docstring, "Seam Under Test")
    )
    module_doc = docstrings[2]
    line = module_doc.strip().partition("\n")[0] if isinstance(module_doc, str) else ""
    # Only "Integration tests for <title>" names a seam; other first lines are not kept.
    first_line = line if line.lower().startswith("integration tests for ") else None
    if not (marks or under_test or first_line):
        return None
    return SeamHints(marks=marks, seams_under_test=under_test, module_first_line=first_line)


def _digest(*texts: str | None) -> bytes:
    digest = hashlib.blake2b(digest_size=16)
    for text in texts:
        # A marker byte per text, so None, "" and different splits never collide.
        digest.update(b"\0" if text is None else b"\1" + text.encode("utf-8", "surrogatepass"))
    return digest.digest()


class ContractCheck:
    """The docstring contract of integration tests, each distinct docstring parsed once ever.

    Verdicts are kept per (test, class, module) docstrings in this process and in the
    ``ContractMemo`` across sessions; outer docstrings are looked up once per parent node.
    """

    def __init__(self, config: Config, memo: ContractMemo) -> None:
        self.config = config
        self.memo = memo
        self._outer: dict[Node, tuple[tuple[str | None, str | None], bytes]] = {}
        self._verdicts: dict[tuple[str, bytes], tuple[Breach, ...]] = {}
        self._signatures: dict[str, str | None] = {}
        self._lines: dict[tuple[str, int], tuple[int, int]] = {}
        self._local_parents: dict[Node, bool] = {}
        self._templates: dict[
            tuple[int, Node | None, object], list[tuple[Code, str, int | None]]
        ] = {}

    def _signature(self, file: str) -> str | None:
        """Size and mtime of a file, or None when it cannot be trusted to tell changes."""
        if file not in self._signatures:
            try:
                stat = os.stat(file)
            except OSError:
                self._signatures[file] = None
            else:
                # A file changed within the last seconds could change again unseen.
                settled = time.time() - stat.st_mtime > 2
                self._signatures[file] = f"{stat.st_size}:{stat.st_mtime_ns}" if settled else None
        return self._signatures[file]

    def lines(self, file: str, first_line: int) -> tuple[int, int]:
        """The ``def`` line and the docstring's opening line of a function in ``file``."""
        known = self._lines.get((file, first_line))
        if known is not None:
            return known
        signature = self._signature(file)
        memo_key = f"lines:{file}:{signature}:{first_line}"
        stored = self.memo.get(memo_key) if signature else None
        if (
            isinstance(stored, list)
            and len(stored) == 2
            and all(isinstance(number, int) for number in stored)
        ):
            known = (stored[0], stored[1])
        else:
            def_line = definition_line(file, first_line)
            known = (def_line, _docstring_line(linecache.getlines(file), def_line))
            if signature:
                self.memo.put(memo_key, list(known))
        self._lines[(file, first_line)] = known
        return known

    def _outer_of(self, item: pytest.Function) -> tuple[tuple[str | None, str | None], bytes]:
        parent = item.parent
        known = self._outer.get(parent) if parent is not None else None
        if known is None:
            cls_doc = getattr(item.cls, "__doc__", None) if item.cls else None
            module_doc = item.module.__doc__
            outer = (
                cls_doc if isinstance(cls_doc, str) else None,
                module_doc if isinstance(module_doc, str) else None,
            )
            known = (outer, _digest(*outer))
            if parent is not None:
                self._outer[parent] = known
        return known

    def breaches(self, item: pytest.Function, docstring: str) -> tuple[Breach, ...]:
        outer, outer_digest = self._outer_of(item)
        key = (docstring, outer_digest)
        verdict = self._verdicts.get(key)
        if verdict is None:
            memo_key = _digest(docstring, outer_digest.hex()).hex()
            stored = self.memo.get(memo_key)
            verdict = _from_stored(stored) if stored is not None else None
            if verdict is None:
                verdict = check_contract(
                    docstring, outer, self.config.required_sections, self.config.inherited_sections
                )
                self.memo.put(memo_key, [[b.code.code, b.message, b.line] for b in verdict])
            self._verdicts[key] = verdict
        return verdict

    def check(
        self, item: pytest.Function, path: str | None, code: CodeType | None
    ) -> list[Finding]:
        """Findings of one integration test whose (unwrapped) function has ``code``."""
        docstring = item.obj.__doc__
        # Parametrized cases share their function, parent and docstring, hence their verdict.
        # id(code): hashing a code object hashes its bytecode; functions keep theirs alive.
        key = (id(code), item.parent, docstring)
        templates = self._templates.get(key)
        if templates is None:
            memo_key = self._memo_key(item, code)
            templates = _templates_from_stored(self.memo.get(memo_key)) if memo_key else None
            if templates is None:
                templates = self._templates_of(item, docstring, code)
                if memo_key:
                    self.memo.put(memo_key, [[c.code, text, line] for c, text, line in templates])
            self._templates[key] = templates
        nodeid = item.nodeid
        return [
            breach_code.finding(message, path=path, line=line, nodeid=nodeid)
            for breach_code, message, line in templates
        ]

    def _memo_key(self, item: pytest.Function, code: CodeType | None) -> str | None:
        """A key for the findings of a test function that its module file's state covers.

        When the function, its class and its module all come from the collected file, its
        docstring verdict and their lines depend only on that file (and on the settings in the
        memo's name), so size and mtime stand for the docstrings: no digest is needed.
        """
        parent = item.parent
        if code is None or parent is None or code.co_filename != str(item.path):
            return None
        local = self._local_parents.get(parent)
        if local is None:
            cls = item.cls
            local = self._local_parents[parent] = cls is None or (
                getattr(cls, "__module__", None) == item.module.__name__
            )
        signature = self._signature(code.co_filename) if local else None
        if signature is None:
            return None
        return f"findings:{code.co_filename}:{signature}:{code.co_firstlineno}:{parent.nodeid}"

    def _templates_of(
        self, item: pytest.Function, docstring: object, code: CodeType | None
    ) -> list[tuple[Code, str, int | None]]:
        """(code, message, line) of each breach of one test function's docstring."""
        file, first_line = (code.co_filename, code.co_firstlineno) if code else (None, None)
        if not isinstance(docstring, str) or not docstring.strip():
            message = (
                "integration test has no docstring: document it with the sections "
                + ", ".join(f'"{name}:"' for name in self.config.required_sections)
                + "."
            )
            line = self.lines(file, first_line)[0] if file and first_line else first_line
            return [(DOCSTRING_MISSING, message, line)]
        breaches = self.breaches(item, docstring)
        if not breaches:
            return []
        # Only breaches need lines: the source is read for these tests alone, once.
        opening = self.lines(file, first_line)[1] if file and first_line else None
        return [
            (
                breach.code,
                breach.message,
                opening + breach.line
                if opening is not None and breach.line is not None
                else opening,
            )
            for breach in breaches
        ]


def _templates_from_stored(stored: object) -> list[tuple[Code, str, int | None]] | None:
    """Findings templates from their memo form; None when the entry is not what we write."""
    if not isinstance(stored, list):
        return None
    templates = []
    for entry in stored:
        if not (isinstance(entry, list) and len(entry) == 3):
            return None
        code, message, line = entry
        if code not in ALL_CODES or not isinstance(message, str):
            return None
        if line is not None and not isinstance(line, int):
            return None
        templates.append((ALL_CODES[code], message, line))
    return templates


def _from_stored(stored: list[list[object]]) -> tuple[Breach, ...] | None:
    """Breaches from their memo form; None when the entry is not what this version writes."""
    try:
        return tuple(
            Breach(ALL_CODES[str(code)], str(message), line if isinstance(line, int) else None)
            for code, message, line in stored
        )
    except (KeyError, TypeError, ValueError):
        return None


def collect(
    items: Sequence[pytest.Item],
    deselected: Iterable[str],
    modules: Iterable[Path],
    config: Config,
    rootdir: Path,
    with_seams: bool = True,
    memo: ContractMemo | None = None,
) -> CollectionData:
    """Records, docstring findings and marker suppressions of the collected items.

    ``with_seams`` is False when no plan lists seams: then nothing about seams is gathered.
    ``memo`` keeps docstring-contract verdicts across sessions. This runs for every item of
    every session, so per-file and per-parent facts are looked up once, not per item.
    """
    data = CollectionData()
    deselected = set(deselected)
    contract = ContractCheck(config, memo or ContractMemo(None))
    integration_markers = frozenset(config.integration_markers)
    markers_of = MarkerLookup([*integration_markers, MARKER])
    # Rootdir-relative path -> file, for every file to analyse statically.
    files: dict[str, Path] = {relative_posix(path, rootdir): path for path in modules}
    # item.path -> (relative path, integration by path); code file name -> relative path.
    item_files: dict[Path, tuple[str, bool]] = {}
    code_files: dict[str, str] = {}
    marker_targets: dict[tuple[str, int], tuple[Node, pytest.Mark, list[str]]] = {}
    for item in items:
        nodeid = item.nodeid
        known = item_files.get(item.path)
        if known is None:
            path = relative_posix(item.path, rootdir)
            known = item_files[item.path] = (path, integration_path(path, config.integration_paths))
            files.setdefault(path, item.path)
        path, integration = known
        try:
            markers = markers_of(item)
            integration = integration or not integration_markers.isdisjoint(markers)
            code = test_code(item) if isinstance(item, pytest.Function) else None
            if code is not None:
                # The first line of the code (pytest's location of the test): the first
                # decorator of a decorated function.
                line: int | None = code.co_firstlineno
                def_path = code_files.get(code.co_filename)
                if def_path is None:
                    def_path = code_files[code.co_filename] = relative_posix(
                        code.co_filename, rootdir
                    )
                    if def_path not in files:
                        files[def_path] = rootdir / def_path
                data.definitions[nodeid] = (def_path, code.co_firstlineno)
            else:
                # item.location is costly (it finds the source), so only for non-functions.
                location_line = item.location[1]
                line = location_line + 1 if isinstance(location_line, int) else None
            data.tests.append(
                TestRecord(
                    nodeid=nodeid,
                    path=path,
                    line=line if line is not None and line >= 1 else None,
                    integration=integration,
                    selected=nodeid not in deselected,
                )
            )
            if MARKER in markers:
                for node, mark in item.iter_markers_with_node(MARKER):
                    target = marker_targets.setdefault((node.nodeid, id(mark)), (node, mark, []))
                    target[2].append(nodeid)
            if integration and isinstance(item, pytest.Function):
                data.findings += contract.check(
                    item, code_files[code.co_filename] if code else None, code
                )
            hints = seam_hints(item) if with_seams else None
            if hints is not None:
                data.hints[nodeid] = hints
        except Exception as error:
            data.findings.append(internal_error("checking a test", error, path=path, nodeid=nodeid))
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
    data.files = sorted(path for path in files if path.endswith(".py") and not path.startswith("/"))
    return data
