"""The Markdown report: for $GITHUB_STEP_SUMMARY and pull request comments."""

from __future__ import annotations

import re

from pytest_seams.checklist import ITEM_NAMES
from pytest_seams.model import Report, Seam, TestRecord
from pytest_seams.report import shown

# GitHub truncates step summaries and comments at 65,536 characters.
LIMIT = 65_000
_MARKS = {
    "verified": "x",
    "failing": " ",
    "skipped": " ",
    "not-run": " ",
    "untested": " ",
    "deferred": " ",
}


# Untrusted text is shown literally: every character Markdown (GitHub's included: tables,
# strikethrough, math, mentions) could read as markup or an entity is backslash-escaped, so no
# raw HTML, link or emphasis comes from a title or a file name; ``shown`` first keeps it on one
# line (each seam is one checklist line) and free of control characters.
_MARKUP = frozenset("\\`*_[]<>|#!~&$@")


def _text(text: str) -> str:
    return "".join("\\" + ch if ch in _MARKUP else ch for ch in shown(text))


def _code(text: str) -> str:
    """Untrusted text as a code span, fenced by more backticks than it holds in a row."""
    text = shown(text)
    fence = "`" * (max(map(len, re.findall("`+", text)), default=0) + 1)
    padding = " " if text.startswith(("`", " ")) or text.endswith(("`", " ")) else ""
    return f"{fence}{padding}{text}{padding}{fence}"


def _seam_line(seam: Seam) -> str:
    tests = f" ({len(seam.tests)} test{'s' if len(seam.tests) != 1 else ''})" if seam.tests else ""
    return (
        f"- [{_MARKS[seam.status]}] **{_text(seam.priority or '-')}** {_text(seam.title)}: "
        f"`{seam.status}`{tests}, {_code(f'{seam.plan}:{seam.line}')}"
    )


def render_markdown(report: Report) -> str:
    lines = ["## Seam coverage", ""]
    if not report.seams:
        lines.append("No seams: no TEST_PLAN.md file lists any.")
    else:
        lines += [
            "| priority | covered | total | failing | untested |",
            "| --- | ---: | ---: | ---: | ---: |",
        ]
        for summary in report.seam_summary:
            lines.append(
                f"| {_text(summary.priority or '-')} | {summary.verified} | {summary.total} "
                f"| {summary.failing} | {summary.untested} |"
            )
        deferred = sum(1 for seam in report.seams if seam.status == "deferred")
        if deferred:
            lines += ["", f"{deferred} deferred seam{'s' if deferred != 1 else ''} not counted."]
        lines += ["", "### Seams", ""]
        lines += [_seam_line(seam) for seam in report.seams]
        if report.unlinked_integration_tests:
            count = len(report.unlinked_integration_tests)
            tests = "integration test links" if count == 1 else "integration tests link"
            lines += ["", f"{count} {tests} to no seam."]
    lines += _checklist(report)
    counts = report.counts
    lines += [
        "",
        f"Findings: {counts.error} errors, {counts.warning} warnings, {counts.info} info.",
    ]
    text = "\n".join(lines) + "\n"
    if len(text) <= LIMIT:
        return text
    note = "\n\n_Report cut to stay under GitHub's size limit; the JSON report has everything._\n"
    cut = text[: LIMIT - len(note)]
    return cut[: cut.rfind("\n")] + note


_STATUS = {"pass": "✅", "fail": "❌", "unknown": "❔"}
_CHECKLIST_ROWS = 100  # failing tests shown: a pull request comment stays readable


def _failed(test: TestRecord) -> int:
    return sum(1 for item in test.checklist if item.status == "fail")


def _checklist(report: Report) -> list[str]:
    """The pre-merge checklist: how many integration tests pass it, then a table of the tests
    that fail an item (most failed items first, at most ``_CHECKLIST_ROWS``) and the reasons
    of their failed items."""
    tests = [test for test in report.tests if test.checklist]
    if not tests:
        return []
    failing = sorted((test for test in tests if _failed(test)), key=lambda t: -_failed(t))
    passing = sum(1 for t in tests if all(item.status == "pass" for item in t.checklist))
    lines = [
        "",
        "### Pre-merge checklist",
        "",
        f"{len(failing)} of {len(tests)} integration tests fail an item, {passing} pass every "
        f"item and {len(tests) - len(failing) - passing} pass all items but some unknown ones.",
    ]
    if not failing:
        return lines
    legend = "; ".join(f"{number} {name}" for number, name in enumerate(ITEM_NAMES, 1))
    shown_tests = failing[:_CHECKLIST_ROWS]
    lines += [
        "",
        f"Items: {legend}. ✅ pass, ❌ fail, ❔ unknown.",
        "",
        "| test | " + " | ".join(str(n) for n in range(1, len(ITEM_NAMES) + 1)) + " |",
        "| --- |" + " :-: |" * len(ITEM_NAMES),
    ]
    for test in shown_tests:
        marks = " | ".join(_STATUS[item.status] for item in test.checklist)
        lines.append(f"| {_code(test.nodeid)} | {marks} |")
    lines += ["", "| test | failed item | why |", "| --- | --- | --- |"]
    lines += [
        f"| {_code(test.nodeid)} | {item.number} {item.name} | {_text(item.reason)} |"
        for test in shown_tests
        for item in test.checklist
        if item.status == "fail"
    ]
    if len(failing) > len(shown_tests):
        more = len(failing) - len(shown_tests)
        lines += ["", f"{more} more failing tests are in the JSON report."]
    return lines
