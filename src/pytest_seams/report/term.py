"""The terminal report: a coverage table per plan and priority, the seams not verified, the
findings grouped by code, then a one-line summary.

Three levels of detail, as pytest's own verbosity: ``quiet`` (-q: totals and what fails),
``default`` (bounded: on any suite it stays a screenful) and ``full`` (-v or ``term-missing``:
every seam with the tests linked to it and why, every finding with its message).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import groupby
from typing import Literal

from pytest_seams.codes import ALL_CODES
from pytest_seams.config import Config
from pytest_seams.model import PRIORITY_ORDER, Finding, Report, Seam
from pytest_seams.report import BLANKS, UNSAFE_CHARACTERS, safe_line, starts_with_command

Detail = Literal["quiet", "default", "full"]
Tone = Literal["bad", "warn", "good", "plain"]
"""How a line is coloured: red, yellow, green, or not at all (see ``hooks``)."""
TermLine = tuple[str, Tone]

SEAMS_SHOWN = 10
"""Seams not verified listed by the default view; the rest are counted."""
LOCATIONS_SHOWN = 3
"""Locations listed per finding code by the default view (fewer when many codes are found)."""
FINDING_LINES = 30
"""Lines the default view spends on findings at most, headers included."""
TABLE_ROWS = 12
"""Plan-and-priority rows of the default table; beyond that it shows one row per priority."""
SEE_ALL = "-v, --seam-report=term-missing or a file report (--seam-report=html) lists all"

_STATUS_ORDER = ("failing", "untested", "skipped", "not-run", "verified", "deferred")
_STATUS_TONE: dict[str, Tone] = {
    "failing": "bad",
    "untested": "warn",
    "skipped": "warn",
    "not-run": "warn",
    "verified": "good",
    "deferred": "plain",
}
_SEVERITY_TONE: dict[str, Tone] = {"error": "bad", "warning": "warn", "info": "plain"}
_SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _percent(covered: int, total: int) -> str:
    # Rounded down, as a gate reads it: 199 of 200 is 99%, never 100%.
    return f"{100 * covered // total}%" if total else "-"


def coverage_table(report: Report, detail: Detail = "default") -> list[TermLine]:
    """Seam coverage as pytest-cov prints line coverage: aligned columns, one row per plan and
    priority (one per priority when there are too many for the default view), a TOTAL row.
    Deferred seams are counted below the table, not in it."""
    counted = [seam for seam in report.seams if seam.status != "deferred"]
    if detail == "quiet":  # the TOTAL row alone, as one sentence
        verified = sum(1 for seam in counted if seam.status == "verified")
        failing = sum(1 for seam in counted if seam.status == "failing")
        tone: Tone = "bad" if failing else "warn" if verified < len(counted) else "good"
        return [
            (
                f"seams: {verified} of {len(counted)} verified "
                f"({_percent(verified, len(counted))}), {failing} failing",
                tone,
            )
        ]
    rows: list[tuple[str, str, Sequence[Seam]]] = []
    plans = sorted({seam.plan for seam in counted})
    by_plan = len(plans) > 1
    for plan in plans:
        for priority in PRIORITY_ORDER:
            ranked = [s for s in counted if s.plan == plan and s.priority == priority]
            if ranked:
                rows.append((plan, priority or "none", ranked))
    if detail != "full" and len(rows) > TABLE_ROWS:
        rows = []
        for priority in PRIORITY_ORDER:
            ranked = [s for s in counted if s.priority == priority]
            if ranked:
                rows.append((f"{_plural(len(plans), 'plan')}", priority or "none", ranked))
    heads = ("Plan", "Priority", "Seams", "Verified", "Failing", "Skipped", "Not run", "Untested")
    table: list[tuple[str, ...]] = [(*heads, "Cover")]

    def counts(plan: str, priority: str, seams: Sequence[Seam]) -> tuple[str, ...]:
        statuses = [seam.status for seam in seams]
        verified = statuses.count("verified")
        return (
            plan,
            priority,
            *(str(n) for n in (len(seams), verified, statuses.count("failing"))),
            *(str(statuses.count(s)) for s in ("skipped", "not-run", "untested")),
            _percent(verified, len(seams)),
        )

    table += [counts(*row) for row in rows]
    if by_plan or len(rows) > 1 or not rows:
        table.append(counts("TOTAL", "", counted))
    widths = [max(len(row[i]) for row in table) for i in range(len(table[0]))]

    def line(row: tuple[str, ...]) -> str:
        cells = [row[0].ljust(widths[0]), row[1].ljust(widths[1])]
        cells += [cell.rjust(width) for cell, width in zip(row[2:], widths[2:], strict=True)]
        return "  ".join(cells).rstrip()

    lines: list[TermLine] = [(line(table[0]), "plain")]
    lines.append(("  ".join("-" * width for width in widths), "plain"))
    for row in table[1:]:
        if row[0] == "TOTAL":
            lines.append(("  ".join("-" * width for width in widths), "plain"))
        # Red when a seam fails, yellow when one is not verified, green when all are.
        tone = "bad" if row[4] != "0" else "warn" if row[2] != row[3] else "good"
        lines.append((line(row), tone))
    deferred = len(report.seams) - len(counted)
    if deferred:
        lines.append((f"{_plural(deferred, 'deferred seam')} not counted", "plain"))
    return lines


def _seam_line(seam: Seam) -> TermLine:
    priority = seam.priority or "-"
    text = f"  {priority:<8} {seam.status:<9} {seam.title} ({seam.plan}:{seam.line})"
    return text, _STATUS_TONE[seam.status]


def render_seams(report: Report, detail: Detail = "default") -> list[TermLine]:
    """The coverage table, then the seams that are not verified (in the full view: every seam
    with each test linked to it and why), then the integration tests linked to no seam."""
    if not report.seams:
        return []
    lines = coverage_table(report, detail)
    if detail == "full":
        for _plan, group in groupby(
            sorted(report.seams, key=lambda s: s.plan), key=lambda s: s.plan
        ):
            for seam in group:
                lines.append(_seam_line(seam))
                # Each test with why it links, so a reader can check or correct it.
                lines.extend(
                    (f"      {link.nodeid}  [{link.evidence or link.reason}]", "plain")
                    for link in seam.links
                )
    else:
        missing = sorted(
            (seam for seam in report.seams if seam.status not in ("verified", "deferred")),
            key=lambda s: (
                _STATUS_ORDER.index(s.status),
                PRIORITY_ORDER.index(s.priority if s.priority in PRIORITY_ORDER else None),
            ),
        )
        if detail == "quiet":
            missing = [seam for seam in missing if seam.status == "failing"]
        if missing:
            label = "failing" if detail == "quiet" else "not verified"
            lines.append((f"{label}: {len(missing)}", "plain"))
        shown = missing[:SEAMS_SHOWN]
        lines += [_seam_line(seam) for seam in shown]
        if len(missing) > len(shown):
            lines.append((f"  and {len(missing) - len(shown)} more", "plain"))
    if report.unlinked_integration_tests:
        count = len(report.unlinked_integration_tests)
        verb = "links" if count == 1 else "link"
        lines.append((f"seams: {_plural(count, 'integration test')} {verb} to no seam", "warn"))
        if detail == "full":
            lines.extend(
                (f"      {nodeid}", "plain") for nodeid in report.unlinked_integration_tests
            )
    return lines


def location(finding: Finding) -> str:
    """Where a finding is, said once: ``path:line name`` when the node id starts with the
    path (``tests/a.py:3 TestX::test_y``), else ``path:line  nodeid``."""
    where = finding.path or "<session>"
    if finding.line is not None:
        where = f"{where}:{finding.line}"
    nodeid = finding.nodeid
    if not nodeid:
        return where
    if finding.path and nodeid.startswith(finding.path + "::"):
        return f"{where} {nodeid[len(finding.path) + 2 :]}"
    if nodeid == finding.path:
        return where
    return f"{where}  {nodeid}"


def render_findings(report: Report, detail: Detail = "default") -> tuple[list[TermLine], bool]:
    """The findings grouped by code, most severe first, each code with its count; its
    locations (default: the first few) or, in the full view, every finding and its message.
    Returns the lines and whether some findings were left out."""
    groups: dict[str, list[Finding]] = {}
    for finding in report.findings:  # in sort_key order, kept within each code
        groups.setdefault(finding.code, []).append(finding)
    codes = sorted(groups, key=lambda code: (_SEVERITY_ORDER[groups[code][0].severity], code))
    shown = [0 if detail == "quiet" else LOCATIONS_SHOWN] * len(codes)
    if detail == "default":
        shown = _locations_per_code([len(groups[code]) for code in codes])
    lines: list[TermLine] = []
    cut = False
    for code, per_code in zip(codes, shown, strict=True):
        findings = groups[code]
        severity = findings[0].severity
        name = ALL_CODES[code].name if code in ALL_CODES else code
        lines.append((f"{code} {name} ({severity}): {len(findings)}", _SEVERITY_TONE[severity]))
        if detail == "full":
            for finding in findings:
                lines.append((f"  {location(finding)}", "plain"))
                # splitlines, not isprintable: the latter costs more than the rest of this loop.
                texts = finding.message.splitlines() or [""]
                lines.extend((f"      {text}", "plain") for text in texts)
            continue
        for finding in findings[:per_code]:
            message = finding.message.splitlines() or [""]
            more = " ..." if len(message) > 1 else ""
            lines.append((f"  {location(finding)}: {message[0]}{more}", "plain"))
        if len(findings) > per_code:
            cut = True
            if per_code:
                lines.append((f"  and {len(findings) - per_code} more", "plain"))
    return lines, cut


def _locations_per_code(sizes: list[int]) -> list[int]:
    """Locations to show per code (most severe code first): the most for every code (up to
    LOCATIONS_SHOWN) whose lines, with each code's header and "and N more", fit in
    FINDING_LINES; when not even one each fits, one for as many codes as fit, in order."""
    for shown in range(LOCATIONS_SHOWN, 0, -1):
        cost = sum(1 + min(size, shown) + (size > shown) for size in sizes)
        if cost <= FINDING_LINES:
            return [shown] * len(sizes)
    spare = FINDING_LINES - len(sizes)  # the headers always print
    result = []
    for size in sizes:
        lines = 1 + (size > 1)  # its location, and "and N more"
        fits = lines <= spare
        result.append(1 if fits else 0)
        spare -= lines if fits else 0
    return result


def render_term_missing(report: Report) -> str:
    """The terminal section with every seam's tests and every finding's message."""
    return render_term(report, missing=True)


def render_term(report: Report, missing: bool = False) -> str:
    """The terminal section, one string (one write to the terminal), every line safe to print."""
    return "\n".join(text for text, _tone in term_lines(report, "full" if missing else "default"))


def term_lines(report: Report, detail: Detail = "default") -> list[TermLine]:
    """The terminal section as lines, each with its tone (for colour); every line safe to
    print."""
    lines = render_seams(report, detail)
    finding_lines, cut = render_findings(report, detail)
    lines += finding_lines
    summary = summary_line(report)
    lines.append((summary, "bad" if report.counts.error else "plain"))
    cut = cut or (
        detail != "full"
        and sum(1 for s in report.seams if s.status not in ("verified", "deferred"))
        > (SEAMS_SHOWN if detail == "default" else 0)
    )
    if cut:
        lines.append((f"seams: {SEE_ALL}", "plain"))
    texts = [text for text, _tone in lines]
    if _maybe_unsafe("\n".join(texts), len(texts)):
        lines = [(safe_line(text), tone) for text, tone in lines]
    return lines


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


NOT_RANDOM = (
    "seams checklist: random order was not exercised: pytest-randomly was not active "
    "(install it, e.g. the pytest-seams[randomly] extra, and do not pass -p no:randomly)"
)


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
    if not report.meta.random_order:
        lines.append((NOT_RANDOM, "unknown"))
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
