"""Static analysis of a project's test files: cache, first-party resolution, final findings.

The per-file part (``FileAnalysis``) depends only on a file's bytes and is cached. What depends
on the rest of the project (is a mock target first-party? is the owner an integration test?)
is decided here, on every run, from the cached raw findings.
"""

from __future__ import annotations

import io
import os
import tokenize
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from pytest_seams import __version__
from pytest_seams.analysis import ANALYSIS_VERSION, FileAnalysis, analyze_source
from pytest_seams.analysis.firstparty import FirstParty, Resolution
from pytest_seams.analysis.results import RawFinding
from pytest_seams.cache import AnalysisCache, FileIndex, FileStats
from pytest_seams.codes import (
    ALL_CODES,
    FILE_NOT_ANALYSED,
    INTERNAL_MOCK,
    PRIVATE_ATTRIBUTE_CHECK,
    UNRESOLVED_MOCK_TARGET,
    Code,
)
from pytest_seams.config import Config
from pytest_seams.discovery import DEFAULT_NAMING, PytestNaming
from pytest_seams.model import AnalysisStats, Finding, TestRecord
from pytest_seams.paths import matches_any, read_regular_file, relative_posix
from pytest_seams.suppression import MARKER, Suppression, comment_suppressions

_INTEGRATION_ONLY = frozenset({"SEAM501", "SEAM502", "SEAM503"})
_MOCK_CODES = frozenset({INTERNAL_MOCK.code, UNRESOLVED_MOCK_TARGET.code})


class Undecodable(NamedTuple):
    error: str


def decode_source(content: bytes) -> str | Undecodable:
    """A Python file's text, decoded as Python does: by its coding cookie or BOM, else UTF-8."""
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(content).readline)  # 2 lines: cheap
        return content.decode(encoding)
    except SyntaxError as error:  # not UTF-8 and no cookie, an unknown encoding, a bad BOM
        return Undecodable(
            f"cannot decode: {error}; save it as UTF-8, or declare its encoding with a "
            "'# -*- coding: NAME -*-' line"
        )
    except UnicodeDecodeError as error:
        line = content.count(b"\n", 0, error.start) + 1
        why = "declared by its coding line" if encoding != "utf-8" else "Python's default"
        return Undecodable(
            f"cannot decode as {encoding} ({why}): byte {content[error.start]:#04x} on line "
            f"{line}; save the file in that encoding, or declare the right one with a "
            "'# -*- coding: NAME -*-' line"
        )


class Checked(NamedTuple):  # a NamedTuple: defined every session, faster than a dataclass
    """What the analysis of some files found, and the suppression comments they hold."""

    findings: list[Finding]
    suppressions: list[Suppression]
    marker_files: list[str]
    """Files with a test under a ``seam_ignore`` mark: ``seams lint`` reads those marks from
    their source (a pytest session has them from its items)."""
    entry_calls: dict[str, tuple[str, ...]]
    """Test function (node id without parameters) -> the entry points its code calls; only
    tests that call one (checklist item 4)."""


@dataclass
class ProjectAnalysis:
    config: Config
    rootdir: Path
    cache: AnalysisCache
    index: FileIndex = field(default_factory=lambda: FileIndex(None))
    file_stats: FileStats = field(default_factory=FileStats)
    naming: PytestNaming = DEFAULT_NAMING  # what pytest counts as a test in this project
    firstparty: FirstParty = field(init=False)
    counts: Counter[str] = field(default_factory=Counter)  # AnalysisStats' fields
    _packages: dict[str, str] = field(default_factory=dict)  # folder -> package
    _naming_key: str = field(init=False)

    def __post_init__(self) -> None:
        # What decides a file's analysis besides its bytes: pytest's discovery settings (a
        # changed python_classes never serves results found under the old one) and the entry
        # points whose calls are noted.
        self._naming_key = self.naming.key + ":" + ",".join(sorted(set(self.config.entry_points)))
        self.firstparty = FirstParty.detect(
            self.rootdir, self.config.first_party, self.config.boundaries
        )

    @property
    def stats(self) -> AnalysisStats:
        return AnalysisStats(**self.counts)

    def _package_of(self, file: str) -> str:
        """The package a file belongs to (it decides relative imports): one lookup per folder."""
        folder, name = os.path.split(file)
        if name == "__init__.py":
            return self.firstparty.module_of_file(Path(file)) or ""
        package = self._packages.get(folder)
        if package is None:
            module = self.firstparty.module_of_file(Path(folder, "__init__.py")) or ""
            package = self._packages[folder] = module
        return package

    def analyze_file(self, file: str | Path, path: str | None = None) -> FileAnalysis:
        """The analysis of one file (absolute, or relative to rootdir); ``path`` is its
        rootdir-relative form when the caller knows it."""
        file = os.path.join(self.rootdir, file)
        path = path or relative_posix(file, self.rootdir)
        package = self._package_of(file)
        salt = f"{__version__}:{ANALYSIS_VERSION}:{package}{self._naming_key}"
        counts = self.counts
        counts["files"] += 1
        try:
            stat = self.file_stats.stat(file)
            indexed = self.index.get(path, stat, salt)
            if indexed is not None:
                counts["cached"] += 1
                counts["failed"] += indexed.error is not None
                return indexed
            content = read_regular_file(file)  # a FIFO named test_x.py must not block lint
        except OSError as error:
            counts["failed"] += 1
            return FileAnalysis(error=f"cannot read: {error.strerror}")
        key = self.cache.key(content, salt)
        analysis = self.cache.get(key, max_line=len(content) + 1)
        if analysis is not None:
            counts["cached"] += 1
        else:
            source = decode_source(content)
            analysis = (
                FileAnalysis(error=source.error)
                if isinstance(source, Undecodable)
                else analyze_source(
                    source, path, package or None, self.naming, self.config.entry_points
                )
            )
            counts["parsed"] += 1
            self.cache.put(key, analysis)
        counts["failed"] += analysis.error is not None
        self.index.put(path, stat, salt, key, analysis)
        return analysis

    def check(self, files: Iterable[str | Path], tests: Iterable[TestRecord]) -> Checked:
        """Analyse files and turn their raw findings into the session's findings.

        ``files`` are absolute or rootdir-relative; ``tests`` are the collected tests, which
        tell which test functions count as integration tests.
        """
        # Static findings name a test function without its parameters.
        integration_tests = {test.nodeid.partition("[")[0] for test in tests if test.integration}
        integration_files = {nodeid.partition("::")[0] for nodeid in integration_tests}
        checked = Checked([], [], [], {})
        found = checked.findings
        markers = set(self.config.integration_markers)
        for file in files:
            path = (
                file
                if isinstance(file, str) and not os.path.isabs(file)
                else relative_posix(file, self.rootdir)
            )
            try:
                analysis = self.analyze_file(file, path)
            except Exception as error:  # a bug of ours: it costs this file only, and says so
                analysis = FileAnalysis(
                    error=f"the analysis failed ({type(error).__name__}: {error}); please "
                    "report this to pytest-seams with the file"
                )
            if analysis.comments:
                checked.suppressions.extend(comment_suppressions(analysis.comments, path))
            if analysis.marks and any(MARKER in names for names in analysis.marks.values()):
                checked.marker_files.append(path)
            if analysis.error is not None:
                found.append(
                    FILE_NOT_ANALYSED.finding(
                        f"pytest-seams could not analyse this file ({analysis.error}); its "
                        "static checks were skipped.",
                        path=path,
                        line=None,
                    )
                )
                continue
            for qualname, names in analysis.entry_calls.items():
                checked.entry_calls[f"{path}::{qualname.replace('.', '::')}"] = tuple(names)
            if not analysis.findings:
                continue
            integration_path = matches_any(path, self.config.integration_paths)
            # Collected tests decide in a pytest session; marks read from the source stand in
            # for them in `seams lint`. Worked out only when path and collection do not decide.
            marked: set[str] | None = None
            for raw in analysis.findings:
                nodeid = None
                if raw.owner is not None and raw.owner_kind in ("test", "fixture"):
                    nodeid = f"{path}::{raw.owner.replace('.', '::')}"
                integration = integration_path or (
                    nodeid in integration_tests
                    if raw.owner_kind == "test"
                    else path in integration_files
                )
                if not integration:
                    if marked is None:
                        marked = _marked(path, analysis.marks, markers)
                    integration = nodeid in marked if raw.owner_kind == "test" else bool(marked)
                finding = self._decide(raw, path, nodeid, integration)
                if finding is not None:
                    found.append(finding)
        self.index.save()
        self.index.forget()
        if self.counts["parsed"]:  # warm sessions never look for stale cache entries
            self.cache.prune()
        return checked

    def _decide(
        self, raw: RawFinding, path: str, nodeid: str | None, integration: bool
    ) -> Finding | None:
        code = ALL_CODES[raw.code]
        message = raw.message
        if raw.code in _INTEGRATION_ONLY and not integration:
            return None
        if raw.code in _MOCK_CODES:
            if self.config.internal_mock_scope == "integration" and not integration:
                return None
            if raw.target is not None:
                decided = self._mock_message(raw.message, raw.target)
                if decided is None:
                    return None
                code, message = decided
        elif raw.code == PRIVATE_ATTRIBUTE_CHECK.code:
            if raw.target is None:
                return None
            if self.firstparty.resolve(raw.target).kind not in ("internal", "boundary"):
                return None
            from pytest_seams.analysis.returns import name_returned_class  # seldom needed

            message = name_returned_class(message, raw.target, self.firstparty)
        return code.finding(message, path=path, line=raw.line, nodeid=nodeid)

    def _mock_message(self, template: str, target: str) -> tuple[Code, str] | None:
        """The code and message of a mock finding, or None when it replaces no first-party
        collaborator (see rules/mocks.py for how ``template`` and ``target`` are written)."""
        target, _, passed_to = target.partition("|")
        if passed_to and self._replaced(passed_to)[0].kind != "internal":
            return None  # a spec mock handed to code that is not the project's
        resolution, described = self._replaced(target)
        if resolution.kind in ("external", "boundary"):
            return None
        if resolution.kind == "unresolved":
            message = template.replace("{target}", described)
            return UNRESOLVED_MOCK_TARGET, (
                f"{message.partition(':')[0]}, but pytest-seams cannot tell whether it is "
                f"first-party code ({resolution.reason[:-1]}); check it by hand."
            )
        if resolution.what == "value":
            return None  # a module constant or flag: configuration, not a collaborator
        message = template.replace("{target}", described)
        if template.endswith("{target}"):
            message += f": {_ADVICE[resolution.what]}"
        return INTERNAL_MOCK, message

    def _replaced(self, target: str) -> tuple[Resolution, str]:
        """How ``target`` resolves, and what to call it in a message.

        ``X().attr`` is an attribute of what calling ``X`` returns: first-party when ``X`` is.
        """
        callee, called, attributes = target.partition("()")
        resolution = self.firstparty.resolve(callee)
        if resolution.kind != "internal":
            return resolution, target
        kind = _kind_phrase(resolution)
        if not called:
            return resolution, f"{target}, {kind}"
        if resolution.what != "class" or resolution.member or "()" in attributes:
            # What a function or method returns (a dulwich Repo, a requests Session...) is
            # not known without running it: whether it is first-party cannot be told.
            returned = f"{callee}{called}{attributes}".rpartition("()")[0]
            return (
                resolution._replace(
                    kind="unresolved", reason=f"what {returned} returns is not known statically."
                ),
                target,
            )
        attribute = attributes.lstrip(".")
        made = f"a {callee} object"
        data = attribute.partition(".")[0]
        if resolution.owner and data in self.firstparty.instance_data(resolution.owner):
            # Set by the class's own methods (self._process = Process(...)): what it holds,
            # the project's code or a boundary object, is known only at runtime.
            return (
                resolution._replace(
                    kind="unresolved",
                    reason=f"{data} is set at runtime by the methods of {resolution.owner} "
                    "or its bases, so what it holds is not known statically.",
                ),
                f"attribute {attribute} of {made}",
            )
        shown = f"attribute {attribute} of {made}" if attribute else made
        return resolution._replace(what="object"), f"{shown} ({kind})"


_ADVICE = {
    "module": "use the real module, and fake only the external boundary it reaches (or list "
    "it in seam_boundaries if it is an adapter to an external service).",
    "object": "use the real object, configured for the test, and fake only the external "
    "boundary it reaches.",
}
_DEFAULT_ADVICE = (
    "use the real one, and fake only the external boundary it reaches (or list its module in "
    "seam_boundaries if it is an adapter to an external service)."
)
for _what in ("class", "function", "name", "value"):
    _ADVICE[_what] = _DEFAULT_ADVICE


def _kind_phrase(resolution: Resolution) -> str:
    """``a class defined in first-party module shop.cache`` and the like."""
    module = resolution.defined_in
    if resolution.what == "module":
        return "a first-party module"
    noun = {"class": "class", "function": "function", "object": "object"}.get(resolution.what)
    where = f"defined in first-party module {module}"
    if resolution.what == "object":
        where = f"built at import time by first-party module {module}"
    if resolution.member:
        short = (resolution.owner or "").rpartition(".")[2]
        return f"part of {noun} {short} {where}" if noun else f"part of {short} {where}"
    return f"a {noun} {where}" if noun else where


def _marked(path: str, marks: dict[str, list[str]], markers: set[str]) -> set[str]:
    """Node ids of the tests in a file whose source marks make them integration tests."""
    return {
        f"{path}::{owner.replace('.', '::')}"
        for owner, names in marks.items()
        if markers.intersection(names)
    }
