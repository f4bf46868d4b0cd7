"""The terminal report: findings grouped by code, then a one-line summary."""

from __future__ import annotations

import re
from itertools import groupby
from operator import attrgetter
from typing import Literal

from pytest_seams.codes import ALL_CODES
from pytest_seams.config import Config
from pytest_seams.model import PRIORITY_ORDER, Report
from pytest_seams.report import BLANKS, UNSAFE_CHARACTERS, safe_line, starts_with_command


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def render_seams(report: Report, missing: bool) -> list[str]:
    """Seam coverage per plan and priority, then the seams that are not verified (or, with
    ``missing``, every seam with its tests)."""
    if not report.seams:
        return []
    lines = []
    for plan, group in groupby(sorted(report.seams, key=lambda s: s.plan), key=lambda s: s.plan):
        seams = list(group)
        parts = []
        for priority in PRIORITY_ORDER:
            ranked = [s for s in seams if s.priority == priority]
            if ranked:
                verified = sum(1 for s in ranked if s.status == "verified")
                parts.append(f"{priority or 'no priority'} {verified}/{len(ranked)}")
        deferred = sum(1 for s in seams if s.status == "deferred")
        if deferred:
            parts.append(f"{deferred} deferred")
        lines.append(f"seams of {plan}: " + ", ".join(parts))
        for seam in seams:
            if missing or seam.status not in ("verified", "deferred"):
                priority = seam.priority or "-"
                lines.append(
                    f"  {priority:<8} {seam.status:<9} {seam.title} ({seam.plan}:{seam.line})"
                )
                if missing:  # each test with why it links, so a reader can check or correct it
                    lines.extend(
                        f"      {link.nodeid}  [{link.evidence or link.reason}]"
                        for link in seam.links
                    )
    if report.unlinked_integration_tests:
        count = len(report.unlinked_integration_tests)
        verb = "links" if count == 1 else "link"
        lines.append(f"seams: {_plural(count, 'integration test')} {verb} to no seam")
        if missing:
            lines.extend(f"      {nodeid}" for nodeid in report.unlinked_integration_tests)
    return lines


def render_term_missing(report: Report) -> str:
    """The terminal section with every seam's tests and every unlinked test listed."""
    return render_term(report, missing=True)


def render_term(report: Report, missing: bool = False) -> str:
    """The terminal section, one string (one write to the terminal), every line safe to print."""
    lines: list[str] = render_seams(report, missing)
    # Report findings are in sort_key order; a stable sort by code keeps it within each code.
    by_code = sorted(report.findings, key=attrgetter("code"))
    for code, group in groupby(by_code, key=attrgetter("code")):
        findings = list(group)
        name = ALL_CODES[code].name if code in ALL_CODES else code
        lines.append(f"{code} {name} ({findings[0].severity}): {len(findings)}")
        for finding in findings:
            where = finding.path or "<session>"
            if finding.line is not None:
                where = f"{where}:{finding.line}"
            lines.append(f"  {where}  {finding.nodeid}" if finding.nodeid else f"  {where}")
            # splitlines, not isprintable: the latter costs more than the rest of this loop.
            texts = finding.message.splitlines()
            if len(texts) == 1:
                lines.append(f"      {texts[0]}")
            else:  # several lines, or an empty message
                lines.extend(f"      {text}" for text in texts or [""])
    lines.append(summary_line(report))
    text = "\n".join(lines)
    if _maybe_unsafe(text, len(lines)):
        text = "\n".join(safe_line(line) for line in lines)
    return text


_PRINTABLE_ASCII = bytes(range(0x20, 0x7F))


def _maybe_unsafe(text: str, line_count: int) -> bool:
    """Whether any of the ``line_count`` lines joined in ``text`` may need ``safe_line``: a line
    break inside a one-line field, a control character, ``##[`` or a line starting with ``::``.

    Checked at C speed over the whole text, about 13 million instructions a megabyte where
    ``safe_line`` on every line costs several times that. In ASCII text the only blanks are
    ASCII whitespace, and deleting the printable characters must leave just the line feeds
    between the lines.
    """
    if not text.isascii():
        return (
            text.count("\n") != line_count - 1
            or re.search(UNSAFE_CHARACTERS, text) is not None
            or "##[" in text
            or starts_with_command(text)
            or re.search(f"\n[{BLANKS}]*::", text) is not None
        )
    if ("#" in text and "##[" in text) or text.lstrip().startswith("::"):
        return True
    # A line feed first: sre skips from one line feed to the next at C speed.
    if re.search(r"\n\s*::", text):
        return True
    controls = text.encode("ascii").translate(None, _PRINTABLE_ASCII)
    return controls != b"\n" * (line_count - 1)


def summary_line(report: Report) -> str:
    counts = report.counts
    found = [_plural(counts.error, "error"), _plural(counts.warning, "warning")]
    if counts.info:
        found.append(_plural(counts.info, "info"))
    integration = sum(1 for test in report.tests if test.integration)
    partial = " (partial: " + "; ".join(report.meta.problems) + ")" if report.meta.partial else ""
    return (
        f"seams: {', '.join(found)} in {_plural(len(report.tests), 'test')} "
        f"({integration} integration), {report.meta.mode} mode{partial}"
    )


def no_integration_line(report: Report, config: Config) -> str | None:
    """One line for a session whose tests include no integration test: how pytest-seams
    recognises them and which settings change that. None when it has no tests at all."""
    selected = sum(1 for test in report.tests if test.selected)
    if not selected:
        return None
    paths = ", ".join(config.integration_paths) or "none"
    markers = ", ".join(config.integration_markers) or "none"
    return safe_line(
        f"seams: no integration test among {_plural(selected, 'test')}: a test is one "
        f"when its file matches seam_integration_paths ({paths}) or it carries a marker named in "
        f"seam_integration_markers ({markers}); set those (or --seam-integration-paths, "
        "--seam-integration-markers) to match your suite."
    )


ChecklistLine = tuple[str, Literal["fail", "unknown", "pass"]]


def render_checklist(report: Report) -> list[ChecklistLine]:
    """The pre-merge checklist of the integration tests, compactly, each line with its kind
    (for colour): a count; each test that fails an item, with the failed items' reasons; then
    the unknown items, grouped by reason. Lines are safe to print."""
    tests = [test for test in report.tests if test.checklist]
    if not tests:
        return [("seams checklist: no integration test selected", "pass")]
    failing = [t for t in tests if any(item.status == "fail" for item in t.checklist)]
    unknown: dict[tuple[int, str, str], list[str]] = {}
    for test in tests:
        for item in test.checklist:
            if item.status == "unknown":
                unknown.setdefault((item.number, item.name, item.reason), []).append(test.nodeid)
    passing = sum(1 for t in tests if all(item.status == "pass" for item in t.checklist))
    lines: list[ChecklistLine] = [
        (
            f"seams checklist: {_plural(len(tests), 'integration test')}: {len(failing)} fail an "
            f"item, {passing} pass every item and {len(tests) - passing - len(failing)} pass all "
            "items but some unknown ones",
            "fail" if failing else "pass",
        )
    ]
    # Most failed items first; file order among equals.
    failing.sort(key=lambda t: -sum(1 for item in t.checklist if item.status == "fail"))
    for test in failing:
        failed = [item for item in test.checklist if item.status == "fail"]
        unsure = [str(item.number) for item in test.checklist if item.status == "unknown"]
        also = f"; unknown {', '.join(unsure)}" if unsure else ""
        numbers = ", ".join(str(item.number) for item in failed)
        lines.append((f"FAIL {test.nodeid}  (fails {numbers}{also})", "fail"))
        lines += [(f"    {item.number} {item.name}: {item.reason}", "fail") for item in failed]
    for (number, name, reason), nodeids in sorted(unknown.items()):
        which = nodeids[0] if len(nodeids) == 1 else _plural(len(nodeids), "test")
        lines.append((f"unknown {number} {name} ({which}): {reason}", "unknown"))
    return [(safe_line(text), kind) for text, kind in lines]
