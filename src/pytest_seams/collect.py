"""What collection tells us: test records, docstring-contract findings and suppressions.

This runs wherever pytest collects (the single process, or each xdist worker); its result is a
serialisable ``CollectionData`` that the reporting process merges.
"""

from __future__ import annotations

import functools
import gc
import inspect
import linecache
import traceback
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import pytest
from _pytest.nodes import Node
from pydantic import BaseModel, ConfigDict, Field

from pytest_seams.codes import DOCSTRING_MISSING, INTERNAL_ERROR
from pytest_seams.config import Config
from pytest_seams.docstrings import check_contract, section_bodies
from pytest_seams.mapping import MARKER as SEAM_MARKER
from pytest_seams.mapping import SeamHints
from pytest_seams.model import AnalysisStats, Finding, TestRecord
from pytest_seams.paths import glob_match, relative_posix
from pytest_seams.suppression import (
    MARKER,
    Suppression,
    comment_suppressions,
    marker_suppression,
)


class CollectionData(BaseModel):
    """The part of a report that collection produces; what an xdist worker sends back."""

    model_config = ConfigDict(extra="forbid")

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

    After collection the heap holds every test node; the collector passes that our own small
    allocations trigger would rescan all of it (several times the cost of the work itself).
    Frozen objects are skipped until ``unfreeze``, which returns them to the oldest generation
    without scheduling a collection. Left alone if someone else already froze objects.
    """
    if gc.get_freeze_count():
        yield
        return
    gc.freeze()
    try:
        yield
    finally:
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


def is_integration(item: pytest.Item, path: str, config: Config) -> bool:
    if integration_path(path, config.integration_paths):
        return True
    # Marker lookup walks the node chain; item.keywords (marker and node names) rules most
    # tests out cheaply first.
    return any(
        name in item.keywords and item.get_closest_marker(name) is not None
        for name in config.integration_markers
    )


@functools.lru_cache(maxsize=4096)
def integration_path(path: str, patterns: tuple[str, ...]) -> bool:
    return any(glob_match(path, pattern) for pattern in patterns)


def _definition(item: pytest.Function, rootdir: Path) -> tuple[str, int, list[str]] | None:
    """The file, 1-based ``def`` line and source lines of a test function."""
    function = item.function
    if hasattr(function, "__wrapped__"):
        function = inspect.unwrap(function)
    code = getattr(function, "__code__", None)
    if code is None:
        return None
    lines = linecache.getlines(code.co_filename)
    line = code.co_firstlineno  # the first decorator's line, when decorated
    for number in range(line, min(line + 50, len(lines)) + 1):
        if lines[number - 1].lstrip().startswith(("def ", "async def ")):
            line = number
            break
    return relative_posix(code.co_filename, rootdir), line, lines


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


def check_docstring(
    item: pytest.Function, definition: tuple[str, int, list[str]] | None, config: Config
) -> list[Finding]:
    path, def_line, lines = definition if definition else (None, None, [])
    docstring = item.obj.__doc__
    if not isinstance(docstring, str) or not docstring.strip():
        return [
            DOCSTRING_MISSING.finding(
                "integration test has no docstring: document it with the sections "
                + ", ".join(f'"{name}:"' for name in config.required_sections)
                + ".",
                path=path,
                line=def_line,
                nodeid=item.nodeid,
            )
        ]
    outer = [getattr(item.cls, "__doc__", None) if item.cls else None, item.module.__doc__]
    breaches = check_contract(
        docstring,
        tuple(doc if isinstance(doc, str) else None for doc in outer),
        config.required_sections,
        config.inherited_sections,
    )
    opening = _docstring_line(lines, def_line) if def_line is not None else None
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


def collect(
    items: Sequence[pytest.Item],
    deselected: Iterable[str],
    modules: Iterable[Path],
    config: Config,
    rootdir: Path,
    with_seams: bool = True,
) -> CollectionData:
    """Records, docstring findings and suppressions of the collected items.

    ``with_seams`` is False when no plan lists seams: then nothing about seams is gathered.
    """
    data = CollectionData()
    deselected = set(deselected)
    # Rootdir-relative path -> file, for every file to analyse and read comments from.
    files: dict[str, Path] = {relative_posix(path, rootdir): path for path in modules}
    marker_targets: dict[tuple[str, int], tuple[Node, pytest.Mark, list[str]]] = {}
    for item in items:
        nodeid = item.nodeid
        path = relative_posix(item.path, rootdir)
        files.setdefault(path, item.path)
        with guarded(data.findings, "checking a test", path=path, nodeid=nodeid):
            integration = is_integration(item, path, config)
            definition = _definition(item, rootdir) if isinstance(item, pytest.Function) else None
            if definition is not None:
                line: int | None = definition[1]
                data.definitions[nodeid] = (definition[0], definition[1])
                if definition[0] not in files:
                    files[definition[0]] = rootdir / definition[0]
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
            for node, mark in item.iter_markers_with_node(MARKER):
                target = marker_targets.setdefault((node.nodeid, id(mark)), (node, mark, []))
                target[2].append(nodeid)
            if integration and isinstance(item, pytest.Function):
                data.findings += check_docstring(item, definition, config)
            hints = seam_hints(item) if with_seams else None
            if hints is not None:
                data.hints[nodeid] = hints
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
    for path, file in files.items():
        with guarded(data.findings, "reading suppression comments", path=path):
            try:
                source = file.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                continue
            data.suppressions += comment_suppressions(source, path)
    return data
