"""Static analysis of a project's test files: cache, first-party resolution, final findings.

The per-file part (``FileAnalysis``) depends only on a file's bytes and is cached. What depends
on the rest of the project (is a mock target first-party? is the owner an integration test?)
is decided here, on every run, from the cached raw findings.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from pytest_seams import __version__
from pytest_seams.analysis import ANALYSIS_VERSION, FileAnalysis, analyze_source
from pytest_seams.analysis.firstparty import FirstParty
from pytest_seams.analysis.results import RawFinding
from pytest_seams.cache import AnalysisCache, FileIndex
from pytest_seams.codes import (
    ALL_CODES,
    FILE_NOT_ANALYSED,
    INTERNAL_MOCK,
    PRIVATE_ATTRIBUTE_CHECK,
    UNRESOLVED_MOCK_TARGET,
)
from pytest_seams.config import Config
from pytest_seams.model import AnalysisStats, Finding, TestRecord
from pytest_seams.paths import glob_match, relative_posix
from pytest_seams.suppression import Suppression, comment_suppressions

_INTEGRATION_ONLY = frozenset({"SEAM501", "SEAM502", "SEAM503"})
_MOCK_CODES = frozenset({INTERNAL_MOCK.code, UNRESOLVED_MOCK_TARGET.code})


def owner_of(nodeid: str) -> tuple[str, str]:
    """``tests/a.py::TestX::test_y[1]`` -> (``tests/a.py``, ``TestX.test_y``)."""
    path, _, rest = nodeid.partition("::")
    return path, rest.split("[", 1)[0].replace("::", ".")


@dataclass
class Checked:
    """What the analysis of some files found, and the suppression comments they hold."""

    findings: list[Finding] = field(default_factory=list)
    suppressions: list[Suppression] = field(default_factory=list)


@dataclass
class ProjectAnalysis:
    config: Config
    rootdir: Path
    cache: AnalysisCache
    index: FileIndex = field(default_factory=lambda: FileIndex(None))
    firstparty: FirstParty = field(init=False)
    counts: Counter[str] = field(default_factory=Counter)  # files, parsed, cached, failed

    def __post_init__(self) -> None:
        self.firstparty = FirstParty.detect(
            self.rootdir, self.config.first_party, self.config.boundaries
        )

    @property
    def stats(self) -> AnalysisStats:
        return AnalysisStats(**self.counts)

    def analyze_file(self, file: Path) -> FileAnalysis:
        path = relative_posix(file, self.rootdir)
        module = self.firstparty.module_of_file(file)
        package = module if file.name == "__init__.py" else (module or "").rpartition(".")[0]
        salt = f"{__version__}:{ANALYSIS_VERSION}:{package}"
        try:
            stat = os.stat(file)
            indexed = self.index.get(path, stat, salt)
            if indexed is not None:
                self.counts.update(files=1, cached=1, failed=int(indexed.error is not None))
                return indexed
            content = file.read_bytes()
        except OSError as error:
            self.counts.update(files=1, failed=1)
            return FileAnalysis(error=f"cannot read: {error.strerror}")
        key = self.cache.key(content, salt)
        analysis = self.cache.get(key)
        if analysis is not None:
            self.counts.update(files=1, cached=1, failed=int(analysis.error is not None))
        else:
            try:
                source = content.decode("utf-8")
            except UnicodeDecodeError:
                source = content.decode("latin-1")
            analysis = analyze_source(source, path, package or None)
            self.counts.update(files=1, parsed=1, failed=int(analysis.error is not None))
            self.cache.put(key, analysis)
        self.index.put(path, stat, salt, key, analysis)
        return analysis

    def check(self, files: Iterable[Path], tests: Iterable[TestRecord]) -> Checked:
        """Analyse files and turn their raw findings into the session's findings."""
        integration_owners: dict[str, set[str]] = {}
        for test in tests:
            if test.integration:
                path, owner = owner_of(test.nodeid)
                integration_owners.setdefault(path, set()).add(owner)
        checked = Checked()
        found = checked.findings
        for file in files:
            path = relative_posix(file, self.rootdir)
            analysis = self.analyze_file(file)
            checked.suppressions += comment_suppressions(analysis.comments, path)
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
            # Collected tests decide in a pytest session; marks read from the source stand in
            # for them in `seams lint`.
            markers = set(self.config.integration_markers)
            owners = integration_owners.get(path, set()) | {
                owner for owner, names in analysis.marks.items() if markers.intersection(names)
            }
            integration_path = any(
                glob_match(path, pattern) for pattern in self.config.integration_paths
            )
            for raw in analysis.findings:
                if raw.owner_kind == "test":
                    integration = integration_path or raw.owner in owners
                else:
                    integration = integration_path or bool(owners)
                finding = self._decide(raw, path, integration)
                if finding is not None:
                    found.append(finding)
        self.index.save()
        self.index.forget()
        return checked

    def _decide(self, raw: RawFinding, path: str, integration: bool) -> Finding | None:
        nodeid = None
        if raw.owner is not None and raw.owner_kind in ("test", "fixture"):
            nodeid = f"{path}::{raw.owner.replace('.', '::')}"
        code = ALL_CODES[raw.code]
        message = raw.message
        if raw.code in _INTEGRATION_ONLY and not integration:
            return None
        if raw.code in _MOCK_CODES:
            if self.config.internal_mock_scope == "integration" and not integration:
                return None
            if raw.target is not None:
                resolution = self.firstparty.resolve(raw.target)
                if resolution.kind in ("external", "boundary"):
                    return None
                if resolution.kind == "unresolved":
                    code = UNRESOLVED_MOCK_TARGET
                    message = (
                        f"{raw.message}: cannot tell whether {raw.target} is first-party "
                        f"({resolution.reason}); check it by hand."
                    )
                else:
                    message = (
                        f"{raw.message} replaces {raw.target}, first-party code "
                        f"({resolution.reason}): exercise the real collaborator and fake only "
                        "true external boundaries (or list an adapter module in seam_boundaries)."
                    )
        elif raw.code == PRIVATE_ATTRIBUTE_CHECK.code:
            if raw.target is None:
                return None
            if self.firstparty.resolve(raw.target).kind not in ("internal", "boundary"):
                return None
        return code.finding(message, path=path, line=raw.line, nodeid=nodeid)
