"""The Report, built from a session's evidence, its plans and its settings by one pure function.

Everything the Report holds is computed here (outcomes on the tests, seams and links,
suppressions, scoping, de-duplication, counts and summaries, meta): renderers only render and
the verdict only judges. Reading files (plans, the source lines suppression comments sit on)
happens before, or through the ``def_line`` function given in ``ReportContext``.
"""

from __future__ import annotations

import dataclasses
import platform
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pytest

from pytest_seams import __version__
from pytest_seams.config import Config
from pytest_seams.discovery import DEFAULT_NAMING, PytestNaming
from pytest_seams.evidence import Evidence
from pytest_seams.model import Finding, Outcome, Report, ReportMeta, Seam, TestRecord
from pytest_seams.severity import with_severities
from pytest_seams.suppression import apply_suppressions

if TYPE_CHECKING:
    from pytest_seams.plan import PlanSeam


@dataclass(frozen=True, kw_only=True)
class Plans:
    """The session's TEST_PLAN files, read and parsed."""

    seams: tuple[PlanSeam, ...] = ()
    findings: tuple[Finding, ...] = ()
    """Problems of the plans' contents (SEAM4xx), each at its line."""
    scopes: dict[str, str] = field(default_factory=dict)
    """Plan path -> the folder (rootdir-relative, "" for all) whose tests it covers."""
    problems: tuple[str, ...] = ()
    """Plans that could not be read, each with why."""


NO_PLANS = Plans()


def _same_line(path: str, line: int) -> int:
    return line


@dataclass(frozen=True, kw_only=True)
class ReportContext:
    """What the report needs to know about the run besides evidence, plans and settings."""

    args: tuple[str, ...] = ()
    """Command line arguments, rootdir-relative and redacted (``session.relative_args``)."""
    config_file: str | None = None
    """The ini file, rootdir-relative: where per-path ignores come from."""
    narrowed: bool = False
    """Whether the arguments leave out part of the suite (``SelectionScope.narrowed``)."""
    naming: PytestNaming = DEFAULT_NAMING
    xdist_workers: int = 0
    def_line: Callable[[str, int], int] = _same_line
    """The ``def`` line of a function whose code starts at a line (reads the source)."""
    seen_paths: tuple[str, ...] | None = None
    """The files per-path ignores are judged unused against; None: the selected tests'."""
    judged_codes: Collection[str] | None = None
    """The codes whose findings the evidence can hold (None: all); ``seams lint`` sees only the
    static ones, so a suppression meant for another code is not called unused there."""
    timestamp: str | None = None
    """When the session started (``ReportMeta.timestamp``)."""
    random_order: bool = False
    """Whether pytest-randomly shuffled the tests (``ReportMeta.random_order``)."""
    random_seed: int | None = None
    """pytest-randomly's seed, when it was active (``ReportMeta.random_seed``)."""


def build_report(
    evidence: Evidence, plans: Plans, settings: Config, context: ReportContext
) -> Report:
    """The Report of ``evidence``: tests with their outcomes and seams, findings after
    suppressions (each once, in file order), seams with their statuses, counts and meta."""
    tests = _with_outcomes(evidence.tests, evidence.outcomes)
    seams, seams_of_test, link_findings = _seams(evidence, plans, settings, tests, context)
    if seams_of_test:
        tests = [
            dataclasses.replace(test, seams=tuple(seams_of_test[test.nodeid]))
            if test.nodeid in seams_of_test
            else test
            for test in tests
        ]
    partial = set(evidence.partial)
    findings = apply_suppressions(
        [*evidence.findings, *evidence.runtime_findings, *plans.findings, *link_findings],
        evidence.suppressions,
        settings.per_path_ignores,
        evidence.definitions,
        (
            context.seen_paths
            if context.seen_paths is not None
            else (test.path for test in evidence.tests if test.selected)
        ),
        context.config_file,
        context.def_line,
        judged=context.judged_codes,
        partial=partial,
    )
    findings = with_severities(
        _in_scope(findings, evidence.tests, partial, context.naming), settings.severity
    )
    # Workers of an xdist session may report the same finding: kept once.
    by_key = {finding.sort_key(): finding for finding in findings}
    problems = (*evidence.problems, *plans.problems)
    return Report.build(
        meta=ReportMeta(
            plugin_version=__version__,
            pytest_version=pytest.__version__,
            python_version=platform.python_version(),
            args=context.args,
            mode=settings.mode,
            xdist_workers=context.xdist_workers,
            partial=bool(problems),
            problems=problems,
            analysis=evidence.stats,
            timestamp=context.timestamp,
            random_order=context.random_order,
            random_seed=context.random_seed,
        ),
        findings=[by_key[key] for key in sorted(by_key)],
        tests=_in_file_order(tests),
        seams=seams,
    )


def _with_outcomes(tests: list[TestRecord], outcomes: dict[str, Outcome]) -> list[TestRecord]:
    if not outcomes:
        return list(tests)
    return [
        dataclasses.replace(test, outcome=outcomes[test.nodeid])
        if test.nodeid in outcomes
        else test
        for test in tests
    ]


def _seams(
    evidence: Evidence,
    plans: Plans,
    settings: Config,
    tests: list[TestRecord],
    context: ReportContext,
) -> tuple[list[Seam], dict[str, list[str]], list[Finding]]:
    """The plans' seams with their tests, each test's seams, and the findings of linking."""
    if not plans.seams:
        return [], {}, []
    from pytest_seams.mapping import build_seams

    # Only a session over the whole suite can tell that no test links to a seam.
    narrowed = context.narrowed or not all(test.selected for test in tests)
    return build_seams(
        list(plans.seams),
        tests,
        evidence.hints,
        narrowed=narrowed,
        plan_scopes=plans.scopes,
        infer_links=settings.infer_links,
    )


def _in_scope(
    findings: list[Finding], tests: list[TestRecord], partial: set[str], naming: PytestNaming
) -> list[Finding]:
    """The findings about the session's selected tests: those about a test that was
    deselected, or (in a file named by node ids) not collected, are dropped."""
    if not partial and all(test.selected for test in tests):
        return findings
    selected = {test.nodeid.partition("[")[0] for test in tests if test.selected}
    known = {test.nodeid.partition("[")[0] for test in tests}

    def out_of_scope(finding: Finding) -> bool:
        if finding.nodeid is None:
            return False
        function = finding.nodeid.partition("[")[0]
        if function in selected:
            return False
        if function in known:
            return True
        # A node-id run collects only the named tests: another test of the file is
        # unknown here, and told from a fixture by pytest's python_functions.
        name = function.rpartition("::")[2]
        return finding.path in partial and naming.is_test_function(name)

    return [finding for finding in findings if not out_of_scope(finding)]


def _in_file_order(tests: Iterable[TestRecord]) -> list[TestRecord]:
    """Tests sorted by file, line and node id.

    Sorted file by file: one sort of all tests keyed by (path, ...) spends most of its time
    comparing the same long paths over and over.
    """
    by_file: dict[str, list[TestRecord]] = {}
    for test in tests:
        by_file.setdefault(test.path, []).append(test)
    ordered: list[TestRecord] = []
    for path in sorted(by_file):
        ordered += sorted(by_file[path], key=lambda test: (test.line or 0, test.nodeid))
    return ordered
