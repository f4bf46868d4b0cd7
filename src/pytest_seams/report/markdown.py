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
    counts = report.counts
    lines += [
        "",
        f"Findings: {counts.error} errors, {counts.warning} warnings, {counts.info} info.",
    ]
    lines += _checklist(report)  # last: the part cut first when the report is too long
    text = "\n".join(lines) + "\n"
    if len(text) <= LIMIT:
        return text
    note = "\n\n_Report cut to stay under GitHub's size limit; the JSON report has everything._\n"
    cut = text[: LIMIT - len(note)]
    return cut[: cut.rfind("\n")] + note


_STATUS = {"pass": "✅", "fail": "❌", "unknown": "❔"}


def _failed(test: TestRecord) -> int:
    return sum(1 for item in test.checklist if item.status == "fail")


def _checklist(report: Report) -> list[str]:
    """The pre-merge checklist: one table row per integration test, failing tests first, then
    the reasons of every failed item."""
    tests = sorted((t for t in report.tests if t.checklist), key=lambda t: -_failed(t))
    if not tests:
        return []
    failing = [test for test in tests if _failed(test)]
    passing = sum(1 for t in tests if all(item.status == "pass" for item in t.checklist))
    legend = "; ".join(f"{number} {name}" for number, name in enumerate(ITEM_NAMES, 1))
    lines = [
        "",
        "### Pre-merge checklist",
        "",
        f"{len(failing)} of {len(tests)} integration tests fail an item; {passing} pass every "
        "item (❔: unknown, which does not fail).",
        "",
        f"Items: {legend}.",
        "",
        "| test | " + " | ".join(str(n) for n in range(1, len(ITEM_NAMES) + 1)) + " |",
        "| --- |" + " :-: |" * len(ITEM_NAMES),
    ]
    for test in tests:
        marks = " | ".join(_STATUS[item.status] for item in test.checklist)
        lines.append(f"| {_code(test.nodeid)} | {marks} |")
    if failing:
        lines += ["", "#### Failed items", ""]
        for test in failing:
            lines.append(f"- {_code(test.nodeid)}")
            lines += [
                f"  - {item.number} {item.name}: {_text(item.reason)}"
                for item in test.checklist
                if item.status == "fail"
            ]
    return lines
