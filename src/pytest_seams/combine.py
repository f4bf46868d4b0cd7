"""``seams combine``: one report from the JSON reports of CI shards.

Shards run parts of one suite (``-k`` halves, ``--splits``, paths); together they make the
whole. The combined report is what one unsharded run would have written: each test once, with
its worst outcome and selected when any shard selected it; each finding once; each seam's links
merged by node id, its status recomputed from the merged tests (``mapping.seam_status``); the
summaries and counts recomputed by ``Report.build``. The meta says what it can: the first
shard's versions and mode, the earliest timestamp, the problems and analysis statistics of all,
the xdist workers summed. The verdict is left out: ``seams check`` judges the combined report.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path

from pytest_seams.evidence import OUTCOME_RANK
from pytest_seams.model import (
    AnalysisStats,
    Finding,
    Report,
    ReportMeta,
    Seam,
    SeamLink,
    TestRecord,
    adapter,
)


class ReportError(Exception):
    """A report file that cannot be read; the message names it and says why."""


def load_report(path: Path) -> Report:
    """The report in a JSON file written by ``--seam-report=json``."""
    from pydantic import ValidationError

    try:
        data = path.read_bytes()
    except OSError as error:
        raise ReportError(f"cannot read {path}: {error.strerror or error}") from None
    try:
        report: Report = adapter(Report).validate_json(data)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "the top level"
        raise ReportError(
            f"{path} is not a pytest-seams JSON report ({error.error_count()} problems; the "
            f"first at {where}: {first['msg']}); write it with --seam-report=json:PATH"
        ) from None
    return report


def _merged_test(kept: TestRecord, other: TestRecord) -> TestRecord:
    """One test seen by two shards: selected if either selected it, its worst outcome, its
    seams from both, its checklist from the shard that ran it."""
    outcome = kept.outcome
    if other.outcome is not None and (
        outcome is None or OUTCOME_RANK[other.outcome] > OUTCOME_RANK[outcome]
    ):
        outcome = other.outcome
    ran = kept if kept.selected or not other.selected else other
    return dataclasses.replace(
        ran,
        selected=kept.selected or other.selected,
        outcome=outcome,
        seams=tuple(dict.fromkeys([*kept.seams, *other.seams])),
        checklist=ran.checklist or kept.checklist or other.checklist,
    )


def _merged_tests(reports: Sequence[Report]) -> list[TestRecord]:
    by_nodeid: dict[str, TestRecord] = {}
    for report in reports:
        for test in report.tests:
            known = by_nodeid.get(test.nodeid)
            by_nodeid[test.nodeid] = test if known is None else _merged_test(known, test)
    return sorted(by_nodeid.values(), key=lambda test: (test.path, test.line or 0, test.nodeid))


def _merged_findings(reports: Sequence[Report]) -> list[Finding]:
    by_key: dict[tuple[object, ...], Finding] = {}
    for report in reports:
        for finding in report.findings:
            by_key.setdefault((*finding.sort_key(), finding.severity, finding.category), finding)
    return [by_key[key] for key in sorted(by_key, key=lambda key: by_key[key].sort_key())]


def _merged_seams(reports: Sequence[Report], tests: Sequence[TestRecord]) -> list[Seam]:
    from pytest_seams.mapping import seam_status

    by_nodeid = {test.nodeid: test for test in tests}
    # A shard that deselected tests left them out of the combined suite only if no other
    # shard selected them; the merged tests say whether the combination is the whole suite.
    narrowed = not all(test.selected for test in tests)
    order: list[tuple[str, str]] = []
    seams: dict[tuple[str, str], Seam] = {}
    links: dict[tuple[str, str], dict[str, SeamLink]] = {}
    for report in reports:
        for seam in report.seams:
            key = (seam.plan, seam.id)
            if key not in seams:
                order.append(key)
                seams[key] = seam
                links[key] = {}
            for link in seam.links:
                links[key].setdefault(link.nodeid, link)
    merged = []
    for key in order:
        seam = seams[key]
        seam_links = sorted(links[key].values(), key=lambda link: link.nodeid)
        linked = [by_nodeid[link.nodeid] for link in seam_links if link.nodeid in by_nodeid]
        merged.append(
            dataclasses.replace(
                seam,
                status=seam_status(seam.priority, linked, narrowed),
                tests=tuple(link.nodeid for link in seam_links),
                links=tuple(seam_links),
            )
        )
    return merged


def _merged_meta(reports: Sequence[Report]) -> ReportMeta:
    first = reports[0].meta
    problems = tuple(dict.fromkeys(p for report in reports for p in report.meta.problems))
    stats = AnalysisStats()
    for report in reports:
        stats += report.meta.analysis
    timestamps = [report.meta.timestamp for report in reports if report.meta.timestamp]
    return dataclasses.replace(
        first,
        args=(),
        xdist_workers=sum(report.meta.xdist_workers for report in reports),
        partial=any(report.meta.partial for report in reports) or bool(problems),
        problems=problems,
        analysis=stats,
        timestamp=min(timestamps) if timestamps else None,
    )


def combine(reports: Sequence[Report]) -> Report:
    """The report of the shards' runs taken together (see the module docstring)."""
    if not reports:
        raise ValueError("combine needs at least one report")
    tests = _merged_tests(reports)
    return Report.build(
        meta=_merged_meta(reports),
        findings=_merged_findings(reports),
        tests=tests,
        seams=_merged_seams(reports, tests),
    )
