"""Linking tests to the seams of TEST_PLAN.md files, and each seam's status.

A test links to a seam, each link with its reason, by (nearest first):

1. ``marker``: ``@pytest.mark.seam("id or exact title")`` on the test, its class or module;
2. ``plan-file``: its file is named in the seam's plan entry (Test file column, code spans);
3. ``docstring``: a "Seam Under Test:" section of the test, class or module docstring, or a module
   docstring whose first line is "Integration tests for <title>";
4. ``file-name``: the file is named ``test_<seam_slug>_integration.py``.

Titles compare case-, punctuation-, arrow- and markup-insensitively (``normalize_title``). A test
with a seam marker is linked by its markers only: an explicit marker wins over inference.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from pytest_seams.codes import UNKNOWN_SEAM_MARKER
from pytest_seams.collect import SeamHints
from pytest_seams.model import Finding, Seam, SeamLink, SeamStatus, TestRecord

if TYPE_CHECKING:
    from pytest_seams.plan import PlanSeam


@dataclass
class _Index:
    by_key: dict[str, PlanSeam] = field(default_factory=dict)
    by_file: dict[str, list[PlanSeam]] = field(default_factory=dict)
    by_file_name: dict[str, list[PlanSeam]] = field(default_factory=dict)

    @classmethod
    def of(cls, seams: Iterable[PlanSeam]) -> _Index:
        # The plan module (Markdown parsing, many patterns) loads only when a plan has seams.
        from pytest_seams.plan import normalize_title, slugify

        index = cls()
        for seam in seams:
            index.by_key.setdefault(seam.id, seam)
            index.by_key.setdefault(normalize_title(seam.title), seam)
            for named in seam.test_files:
                index.by_file.setdefault(posixpath.basename(named), []).append(seam)
            name = f"test_{slugify(seam.title).replace('-', '_')}_integration.py"
            index.by_file_name.setdefault(name, []).append(seam)
        return index

    def titled(self, text: str) -> PlanSeam | None:
        from pytest_seams.plan import normalize_title

        return self.by_key.get(text.strip()) or self.by_key.get(normalize_title(text))


def _first_line_title(line: str | None) -> str | None:
    prefix = "integration tests for "
    if line and line.strip().lower().startswith(prefix):
        return line.strip()[len(prefix) :].rstrip(". ")
    return None


def link_tests(
    seams: Sequence[PlanSeam], tests: Sequence[TestRecord], hints: dict[str, SeamHints]
) -> tuple[dict[tuple[str, str], list[SeamLink]], list[Finding]]:
    """Links per (plan, seam id), and a plan finding for each marker value naming no seam."""
    index = _Index.of(seams)
    links: dict[tuple[str, str], list[SeamLink]] = {(seam.plan, seam.id): [] for seam in seams}
    findings: list[Finding] = []
    unknown_reported: set[tuple[str, str]] = set()
    for test in tests:
        hint = hints.get(test.nodeid, SeamHints())
        found: list[tuple[PlanSeam, str]] = []
        if hint.marks:
            for value in hint.marks:
                seam = index.titled(value)
                if seam is not None:
                    found.append((seam, "marker"))
                elif (test.path, value) not in unknown_reported:
                    unknown_reported.add((test.path, value))
                    findings.append(
                        UNKNOWN_SEAM_MARKER.finding(
                            f"@pytest.mark.seam({value!r}) names no seam in the test plans: use "
                            "a seam id or its exact title from TEST_PLAN.md.",
                            path=test.path,
                            line=test.line,
                            nodeid=test.nodeid,
                        )
                    )
        else:
            name = posixpath.basename(test.path)
            found += [(seam, "plan-file") for seam in index.by_file.get(name, [])]
            titles = [*hint.seams_under_test, _first_line_title(hint.module_first_line)]
            for title in titles:
                seam = index.titled(title) if title else None
                if seam is not None:
                    found.append((seam, "docstring"))
            found += [(seam, "file-name") for seam in index.by_file_name.get(name, [])]
        linked: set[tuple[str, str]] = set()
        for seam, reason in found:  # nearest reason first; one link per seam and test
            key = (seam.plan, seam.id)
            if key not in linked:
                linked.add(key)
                links[key].append(SeamLink(nodeid=test.nodeid, reason=reason))
    return links, findings


def seam_status(
    priority: str | None, linked: Sequence[TestRecord], narrowed: bool = False
) -> SeamStatus:
    """A seam's status from its linked tests; ``narrowed``: the session left out part of the
    suite, whose tests may link to the seam, so no linked test means not-run, not untested."""
    if priority == "deferred":
        return "deferred"
    if not linked:
        return "not-run" if narrowed else "untested"
    ran = [test.outcome for test in linked if test.selected and test.outcome is not None]
    if not ran:
        return "not-run"
    if any(outcome in ("failed", "error") for outcome in ran):
        return "failing"
    if any(outcome in ("passed", "xpassed") for outcome in ran):
        return "verified"
    return "skipped"


def build_seams(
    seams: Sequence[PlanSeam],
    tests: Sequence[TestRecord],
    hints: dict[str, SeamHints],
    narrowed: bool = False,
) -> tuple[list[Seam], dict[str, list[str]], list[Finding]]:
    """The report's seams, the seam ids of each test, and plan findings (``narrowed``: see
    ``seam_status``)."""
    links, findings = link_tests(seams, tests, hints)
    by_nodeid = {test.nodeid: test for test in tests}
    per_test: dict[str, list[str]] = {}
    built = []
    for seam in seams:
        seam_links = sorted(links[(seam.plan, seam.id)], key=lambda link: link.nodeid)
        linked = [by_nodeid[link.nodeid] for link in seam_links]
        for link in seam_links:
            per_test.setdefault(link.nodeid, []).append(seam.id)
        built.append(
            Seam(
                id=seam.id,
                title=seam.title,
                priority=seam.priority,
                status=seam_status(seam.priority, linked, narrowed),
                tests=tuple(link.nodeid for link in seam_links),
                links=tuple(seam_links),
                plan=seam.plan,
                line=seam.line,
                components=tuple(seam.components),
            )
        )
    return built, per_test, findings
