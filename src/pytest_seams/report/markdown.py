"""The Markdown report: for $GITHUB_STEP_SUMMARY and pull request comments."""

from __future__ import annotations

import re

from pytest_seams.checklist import ITEM_NAMES
from pytest_seams.codes import ALL_CODES
from pytest_seams.model import Finding, Report, Seam, TestRecord
from pytest_seams.report import shown

# GitHub truncates step summaries and comments at 65,536 characters.
LIMIT = 65_000
_MARKS = {
    "verified": "✅",
    "failing": "❌",
    "skipped": "⚠️",
    "not-run": "⚠️",
    "untested": "⚠️",
    "deferred": "💤",
}
_FINDING_ROWS = 50  # codes shown in the findings table; there are fewer codes than that today


# Untrusted text is shown literally: every character Markdown (GitHub's included: tables,
# strikethrough, math, mentions) could read as markup or an entity is backslash-escaped, so no
# raw HTML, link or emphasis comes from a title or a file name; ``shown`` first keeps it on one
# line (each seam is one list line) and free of control characters.
_MARKUP = frozenset("\\`*_[]<>|#!~&$@")


def _text(text: str) -> str:
    return "".join("\\" + ch if ch in _MARKUP else ch for ch in shown(text))


def _code(text: str) -> str:
    """Untrusted text as a code span, fenced by more backticks than it holds in a row."""
    text = shown(text)
    fence = "`" * (max(map(len, re.findall("`+", text)), default=0) + 1)
    padding = " " if text.startswith(("`", " ")) or text.endswith(("`", " ")) else ""
    return f"{fence}{padding}{text}{padding}{fence}"


def _cell_code(text: str) -> str:
    """A code span inside a table cell: GitHub splits cells at every unescaped ``|``, even
    inside a code span, so each is escaped (the table parser removes the backslash)."""
    return _code(text).replace("|", "\\|")


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _seam_line(seam: Seam) -> str:
    tests = f" ({_plural(len(seam.tests), 'test')})" if seam.tests else ""
    return (
        f"- {_MARKS[seam.status]} **{_text(seam.priority or '-')}** {_text(seam.title)}: "
        f"`{seam.status}`{tests}, {_code(f'{seam.plan}:{seam.line}')}"
    )


def _status(report: Report) -> str:
    """One line: ❌ when a seam fails or the verdict failed, ⚠️ when a seam is not verified,
    ✅ otherwise."""
    seams = report.totals.seams
    failed = report.verdict is not None and not report.verdict.passed
    if seams.failing or failed:
        mark = "❌"
    elif seams.total - seams.deferred - seams.verified > 0:
        mark = "⚠️"
    else:
        mark = "✅"
    counted = seams.total - seams.deferred
    parts = [f"{mark} **{seams.verified} of {counted} seams verified**"]
    if counted:
        parts.append(
            f": {seams.failing} failing, {seams.untested} untested, {seams.skipped} skipped, "
            f"{seams.not_run} not run"
        )
    if seams.deferred:
        parts.append(f" ({seams.deferred} deferred, not counted)")
    if report.verdict is not None:
        parts.append(". Verdict: " + ("passed" if report.verdict.passed else "**failed**"))
    return "".join(parts) + "."


def _tests_line(report: Report) -> str:
    tests = report.totals.tests
    counts = [
        ("passed", tests.passed),
        ("failed", tests.failed),
        ("errors", tests.error),
        ("skipped", tests.skipped),
        ("xfailed", tests.xfailed),
        ("xpassed", tests.xpassed),
        ("not run", tests.not_run),
        ("deselected", tests.deselected),
    ]
    return f"Tests: {tests.total} collected: " + ", ".join(f"{n} {w}" for w, n in counts) + "."


def _percent(verified: int, total: int) -> str:
    return f"{100 * verified // total}%" if total else "-"


def render_markdown(report: Report) -> str:
    lines = ["## Seam coverage", ""]
    if not report.seams:
        lines.append("No seams: no TEST_PLAN.md file lists any.")
    else:
        lines.append(_status(report))
    lines += ["", _tests_line(report)]
    if report.verdict is not None and report.verdict.failed:
        failed = "; ".join(_text(condition.message) for condition in report.verdict.failed)
        lines += ["", f"❌ Failed: {failed}"]
    if report.seams:
        lines += [
            "",
            "| priority | covered | verified | failing | skipped | not run | untested | total |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        for summary in report.seam_summary:
            lines.append(
                f"| {_text(summary.priority or '-')} "
                f"| {_percent(summary.verified, summary.total)} | {summary.verified} "
                f"| {summary.failing} | {summary.skipped} | {summary.not_run} "
                f"| {summary.untested} | {summary.total} |"
            )
        lines += ["", "### Seams", ""]
        lines += [_seam_line(seam) for seam in report.seams]
        lines += ["", "✅ verified, ❌ failing, ⚠️ skipped, not run or untested, 💤 deferred."]
        if report.unlinked_integration_tests:
            count = len(report.unlinked_integration_tests)
            tests = "integration test links" if count == 1 else "integration tests link"
            lines += ["", f"{count} {tests} to no seam."]
    lines += _checklist(report)
    lines += _findings(report)
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


def _findings(report: Report) -> list[str]:
    """The findings by code: how many, of what severity, and where the first one is."""
    if not report.findings:
        return []
    first: dict[str, Finding] = {}
    for finding in report.findings:
        first.setdefault(finding.code, finding)
    lines = ["", "### Findings by code", "", "| code | severity | count | first at |"]
    lines.append("| --- | --- | ---: | --- |")
    for code, count in list(report.counts.by_code.items())[:_FINDING_ROWS]:
        finding = first[code]
        known = ALL_CODES.get(code)
        name = f"{code} {known.name}" if known else code
        where = (
            _cell_code(f"{finding.path}:{finding.line}" if finding.line else finding.path)
            if finding.path
            else "-"
        )
        lines.append(f"| {name} | {finding.severity} | {count} | {where} |")
    return lines


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
    if not report.meta.random_order:
        lines += ["", "Random order was not exercised: pytest-randomly was not active."]
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
        lines.append(f"| {_cell_code(test.nodeid)} | {marks} |")
    lines += ["", "| test | failed item | why |", "| --- | --- | --- |"]
    lines += [
        f"| {_cell_code(test.nodeid)} | {item.number} {item.name} | {_text(item.reason)} |"
        for test in shown_tests
        for item in test.checklist
        if item.status == "fail"
    ]
    if len(failing) > len(shown_tests):
        more = len(failing) - len(shown_tests)
        lines += ["", f"{more} more failing tests are in the JSON report."]
    return lines
