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
import traceback
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import CodeType

import pytest
from _pytest.nodes import Node
from pydantic import BaseModel, ConfigDict, Field

from pytest_seams.cache import ContractMemo
from pytest_seams.codes import ALL_CODES, DOCSTRING_MISSING, INTERNAL_ERROR
from pytest_seams.config import Config
from pytest_seams.docstrings import Breach, check_contract, section_bodies
from pytest_seams.mapping import MARKER as SEAM_MARKER
from pytest_seams.mapping import SeamHints
from pytest_seams.model import AnalysisStats, Finding, TestRecord
from pytest_seams.paths import glob_match, relative_posix
from pytest_seams.suppression import MARKER, Suppression, marker_suppression


class CollectionData(BaseModel):
    """The part of a report that collection produces; what an xdist worker sends back."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    tests: list[TestRecord] = Field(default_factory=list)
    findings: list[Finding] = Field(default_factory=list)
    suppressions: list[Suppression] = Field(default_factory=list)
    definitions: dict[str, tuple[str, int]] = Field(default_factory=dict)
    hints: dict[str, SeamHints] = Field(default_factory=dict)
    files: list[str] = Field(
        default_factory=list, description="Test modules and conftests to analyse statically."
    )
    analysed: list[str] = Field(default_factory=list, description="Files this process analysed.")
    stats: AnalysisStats = Field(default_factory=AnalysisStats)

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
    """Whether items carry given markers, looking at each parent node once.

    A marker applies to an item when the item or any node above it carries it (as with
    ``get_closest_marker``); parents are shared by many items, so their answer is kept.
    """

    def __init__(self, names: Iterable[str]) -> None:
        self.names = frozenset(names)
        self._parents: dict[Node, bool] = {}

    def __call__(self, item: Node) -> bool:
        if any(mark.name in self.names for mark in item.own_markers):
            return True
        parent = item.parent
        if parent is None:
            return False
        known = self._parents.get(parent)
        if known is None:
            known = self._parents[parent] = self(parent)
        return known


@functools.lru_cache(maxsize=4096)
def integration_path(path: str, patterns: tuple[str, ...]) -> bool:
    return any(glob_match(path, pattern) for pattern in patterns)


def test_code(item: pytest.Function) -> CodeType | None:
    """The code object of a test function, through decorators that keep ``__wrapped__``."""
    function = item.function
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
        self, item: pytest.Function, path: str | None, first_line: int | None, file: str | None
    ) -> list[Finding]:
        """Findings of one integration test; ``first_line`` of its code in ``file``."""
        docstring = item.obj.__doc__
        if not isinstance(docstring, str) or not docstring.strip():
            return [
                DOCSTRING_MISSING.finding(
                    "integration test has no docstring: document it with the sections "
                    + ", ".join(f'"{name}:"' for name in self.config.required_sections)
                    + ".",
                    path=path,
                    line=definition_line(file, first_line) if file and first_line else first_line,
                    nodeid=item.nodeid,
                )
            ]
        breaches = self.breaches(item, docstring)
        if not breaches:
            return []
        opening = None
        if file and first_line:
            # Only breaches need lines: the source is read for these tests alone.
            opening = _docstring_line(linecache.getlines(file), definition_line(file, first_line))
        return [
            breach.code.finding(
                breach.message,
                path=path,
                line=opening + breach.line
                if opening is not None and breach.line is not None
                else opening,
                nodeid=item.nodeid,
            )
            for breach in breaches
        ]


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
    has_integration_marker = MarkerLookup(config.integration_markers)
    has_ignore_marker = MarkerLookup([MARKER])
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
            integration = integration or has_integration_marker(item)
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
            if has_ignore_marker(item):
                for node, mark in item.iter_markers_with_node(MARKER):
                    target = marker_targets.setdefault((node.nodeid, id(mark)), (node, mark, []))
                    target[2].append(nodeid)
            if integration and isinstance(item, pytest.Function):
                data.findings += contract.check(
                    item,
                    code_files[code.co_filename] if code else None,
                    code.co_firstlineno if code else None,
                    code.co_filename if code else None,
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
