"""The HTML report: one self-contained page (no network, no external asset): coverage per
priority, every seam with its tests (outcome, link evidence, findings, checklist), the findings,
the checklist; filters by priority, status and text, sortable columns, a narrow-window layout."""

from __future__ import annotations

from html import escape as _escape_html

from pytest_seams.checklist import ITEM_NAMES
from pytest_seams.model import PRIORITY_ORDER, Finding, Report, SeamLink, TestRecord
from pytest_seams.report import shown


def escape(text: str) -> str:
    """Untrusted text as HTML text or attribute value: ``shown`` (one line, no control
    characters, a non-UTF-8 byte as \\xff), then HTML-escaped, quotes included."""
    return _escape_html(shown(text))


_STYLE = """
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, sans-serif; margin: 1.5em auto; padding: 0 1em;
  max-width: 75em; color: #1f2328; overflow-wrap: anywhere; }
h1 { font-size: 1.5em; margin-bottom: .2em; } h2 { font-size: 1.2em; margin-top: 2em; }
.meta, .outcome { color: #57606a; font-size: .85em; }
table { border-collapse: collapse; width: 100%; margin: .5em 0; }
th, td { border-bottom: 1px solid #d0d7de; padding: .35em .6em; text-align: left;
  vertical-align: top; }
th { background: #f6f8fa; overflow-wrap: normal; }
th[data-sort] { cursor: pointer; user-select: none; white-space: nowrap; }
th[data-sort]::after { content: " \\2195"; color: #8c959f; }
th[aria-sort=ascending]::after { content: " \\2191"; color: #1f2328; }
th[aria-sort=descending]::after { content: " \\2193"; color: #1f2328; }
.status, .badge { display: inline-block; padding: .05em .6em; border-radius: 1em;
  font-weight: 600; font-size: .85em; white-space: nowrap; }
.verified, .passed, .xfailed { background: #dafbe1; color: #116329; }
.failing, .failed, .error { background: #ffebe9; color: #a40e26; }
.skipped, .warning, .xpassed { background: #fff8c5; color: #7d4e00; }
.not-run { background: #ddf4ff; color: #0550ae; }
.untested, .info { background: #eaeef2; color: #57606a; }
.deferred { background: #f6f8fa; color: #8c959f; }
tr.seam-failing > td:first-child, li.test-failed, li.test-error {
  border-left: 4px solid #cf222e; }
li.test-failed, li.test-error { padding-left: .4em; background: #fff5f5; }
ul.tests { margin: 0; padding-left: 1.2em; } ul.tests > li { margin: .2em 0; }
.coverage td, .coverage th { text-align: right; }
.coverage td:first-child, .coverage th:first-child { text-align: left; }
.bar { display: inline-block; width: 5em; height: .6em; background: #eaeef2;
  border-radius: .3em; overflow: hidden; vertical-align: middle; margin-left: .4em; }
.bar > span { display: block; height: 100%; background: #2da44e; }
.filters { display: flex; flex-wrap: wrap; gap: .5em 1.2em; align-items: center;
  margin: 1em 0; }
.filters input { min-width: 12em; flex: 1; max-width: 30em; }
.findings { color: #a40e26; font-size: .85em; }
td.pass, td.fail, td.unknown { text-align: center; font-weight: 600; }
td.pass { color: #116329; } td.fail { background: #ffebe9; color: #a40e26; }
td.unknown { color: #7d4e00; } .checklist-fail { color: #a40e26; }
.verdict-passed { color: #116329; font-weight: 600; }
.verdict-failed { color: #a40e26; font-weight: 600; }
@media (max-width: 40em) {
  body { margin: .5em auto; padding: 0 .5em; }
  table.stack, table.stack tbody, table.stack tr, table.stack td { display: block;
    width: 100%; }
  table.stack thead { display: none; }
  table.stack tr { border-bottom: 2px solid #d0d7de; padding: .3em 0; }
  table.stack td { border: 0; padding: .15em .3em; }
  table.stack td[data-label]::before { content: attr(data-label) ": "; font-weight: 600; }
  .checklist-table th, .checklist-table td, .coverage th, .coverage td { padding: .2em;
    font-size: .85em; }
  .bar { display: none; }
}
"""
# Filters by priority, status and text, and sortable columns; no external asset, so the
# page works offline and from a CI artifact.
_SCRIPT = """
function applyFilters() {
  const priority = document.getElementById('priority').value;
  const status = document.getElementById('status').value;
  const text = document.getElementById('search').value.toLowerCase();
  for (const row of document.querySelectorAll('tr[data-priority]')) {
    row.hidden = (priority !== 'all' && row.dataset.priority !== priority)
      || (status !== 'all' && row.dataset.status !== status)
      || (text !== '' && !row.textContent.toLowerCase().includes(text));
  }
  for (const row of document.querySelectorAll('tr[data-severity]')) {
    row.hidden = text !== '' && !row.textContent.toLowerCase().includes(text);
  }
}
function sortBy(header) {
  const table = header.closest('table');
  const body = table.tBodies[0];
  const column = Array.prototype.indexOf.call(header.parentNode.children, header);
  const ascending = header.getAttribute('aria-sort') !== 'ascending';
  for (const other of table.querySelectorAll('th')) other.removeAttribute('aria-sort');
  header.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
  const key = row => {
    const cell = row.children[column];
    return cell.dataset.key !== undefined ? cell.dataset.key : cell.textContent.trim();
  };
  const rows = Array.from(body.rows);
  rows.sort((a, b) => {
    const order = key(a).localeCompare(key(b), undefined, {numeric: true});
    return ascending ? order : -order;
  });
  for (const row of rows) body.appendChild(row);
}
document.addEventListener('DOMContentLoaded', () => {
  for (const id of ['priority', 'status', 'search']) {
    const control = document.getElementById(id);
    if (control) control.addEventListener('input', applyFilters);
  }
  for (const header of document.querySelectorAll('th[data-sort]')) {
    header.addEventListener('click', () => sortBy(header));
  }
});
"""
# Outcomes: colour, an icon and the word, so a failed test reads as failed without colour.
_OUTCOME_ICONS = {
    "passed": "✔",
    "failed": "✘",
    "error": "✘",
    "skipped": "⊘",
    "xfailed": "✔",
    "xpassed": "!",
}
_STATUS_ICONS = {
    "verified": "✔",
    "failing": "✘",
    "skipped": "⊘",
    "not-run": "•",
    "untested": "○",
    "deferred": "-",
}
_STATUSES = ("failing", "untested", "skipped", "not-run", "verified", "deferred")


def _outcome_badge(outcome: str | None) -> str:
    word = outcome or "not run"
    icon = _OUTCOME_ICONS.get(outcome or "", "•")
    kind = outcome or "not-run"
    return f'<span class="badge {escape(kind)}">{icon} {escape(word)}</span>'


def _status_badge(status: str) -> str:
    icon = _STATUS_ICONS.get(status, "")
    return f'<span class="status {escape(status)}">{icon} {escape(status)}</span>'


def _rank(priority: str | None) -> str:
    """A sort key for priorities: P0 first, no priority last."""
    return str(PRIORITY_ORDER.index(priority)) if priority in PRIORITY_ORDER else "9"


def render_html(report: Report) -> str:
    records = {test.nodeid: test for test in report.tests}
    findings_of: dict[str, list[Finding]] = {}
    for finding in report.findings:
        if finding.nodeid:
            findings_of.setdefault(finding.nodeid, []).append(finding)
    priorities = sorted({seam.priority or "none" for seam in report.seams})
    when = report.meta.timestamp or "time not recorded"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>Seam coverage</title>",
        f"<style>{_STYLE}</style><script>{_SCRIPT}</script></head><body>",
        "<h1>Seam coverage</h1>",
        f'<p class="meta">Run of <time>{escape(when)}</time> · {escape(report.meta.mode)} mode · '
        f"{len(report.tests)} tests · pytest-seams {escape(report.meta.plugin_version)}</p>",
    ]
    parts += _verdict(report)
    if not report.seams:
        parts.append("<p>No seams: no TEST_PLAN.md file lists any.</p>")
    else:
        parts += _coverage(report)
        options = "".join(f'<option value="{escape(p)}">{escape(p)}</option>' for p in priorities)
        statuses = "".join(
            f'<option value="{status}">{status}</option>'
            for status in _STATUSES
            if any(seam.status == status for seam in report.seams)
        )
        parts.append(
            '<p class="filters"><label>Priority <select id="priority">'
            f'<option value="all">all</option>{options}</select></label>'
            '<label>Status <select id="status"><option value="all">all</option>'
            f"{statuses}</select></label>"
            '<label>Search <input id="search" type="search" '
            'placeholder="seam, test, code, file"></label></p>'
        )
        parts += [
            "<h2>Seams</h2>",
            '<table class="stack seams"><thead><tr>'
            '<th data-sort="priority">priority</th><th data-sort="seam">seam</th>'
            '<th data-sort="status">status</th><th data-sort="tests">tests</th>'
            "</tr></thead><tbody>",
        ]
        ordered = sorted(report.seams, key=lambda s: (_rank(s.priority), s.plan, s.line))
        for seam in ordered:
            tests = "".join(
                _test_item(link, records.get(link.nodeid), findings_of.get(link.nodeid, []))
                for link in seam.links
            )
            parts.append(
                f'<tr class="seam-{escape(seam.status)}" '
                f'data-priority="{escape(seam.priority or "none")}" '
                f'data-status="{escape(seam.status)}">'
                f'<td data-label="priority" data-key="{_rank(seam.priority)}">'
                f"{escape(seam.priority or '-')}</td>"
                f'<td data-label="seam">{escape(seam.title)}<br><span class="outcome">'
                f"{escape(seam.plan)}:{seam.line}</span></td>"
                f'<td data-label="status" data-key="{_STATUSES.index(seam.status)}">'
                f"{_status_badge(seam.status)}</td>"
                f'<td data-label="tests" data-key="{len(seam.links)}">'
                f'<ul class="tests">{tests}</ul></td></tr>'
            )
        parts.append("</tbody></table>")
    if report.unlinked_integration_tests:
        items = "".join(f"<li>{escape(n)}</li>" for n in report.unlinked_integration_tests)
        parts.append(f"<h2>Integration tests linked to no seam</h2><ul>{items}</ul>")
    parts += _findings(report)
    parts += _checklist(report)
    counts = report.counts
    parts.append(
        f'<p class="outcome">Findings: {counts.error} errors, {counts.warning} warnings, '
        f"{counts.info} info. pytest-seams {escape(report.meta.plugin_version)}.</p>"
    )
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def _verdict(report: Report) -> list[str]:
    if report.verdict is None:
        return []
    if report.verdict.passed:
        return ['<p class="verdict-passed">✔ pytest-seams conditions passed</p>']
    # Paragraphs, not a list: list items are the seams' tests.
    failed = "".join(
        f'<p class="checklist-fail">✘ {escape(c.message)}</p>' for c in report.verdict.failed
    )
    return ['<p class="verdict-failed">✘ pytest-seams conditions failed:</p>', failed]


def _coverage(report: Report) -> list[str]:
    """Covered (verified) seams of each priority, with a percent and a bar."""
    parts = [
        '<table class="coverage"><thead><tr><th>priority</th><th>covered</th><th>cover</th>'
        "<th>failing</th><th>skipped</th><th>not run</th><th>untested</th></tr></thead><tbody>"
    ]
    for summary in report.seam_summary:
        percent = 100 * summary.verified // summary.total if summary.total else 0
        parts.append(
            f"<tr><td>{escape(summary.priority or '-')}</td>"
            f"<td>{summary.verified}/{summary.total}</td>"
            f'<td>{percent}%<span class="bar"><span style="width:{percent}%"></span></span></td>'
            f"<td>{summary.failing}</td><td>{summary.skipped}</td>"
            f"<td>{summary.not_run}</td><td>{summary.untested}</td></tr>"
        )
    parts.append("</tbody></table>")
    return parts


def _test_item(link: SeamLink, test: TestRecord | None, findings: list[Finding]) -> str:
    """One test of a seam: its outcome (colour, icon and word), why it links, its findings and
    its checklist."""
    outcome = test.outcome if test else None
    found = ""
    if findings:
        codes = ", ".join(sorted({finding.code for finding in findings}))
        plural = "s" if len(findings) > 1 else ""
        found = f' <span class="findings">{len(findings)} finding{plural}: {escape(codes)}</span>'
    return (
        f'<li class="test-{escape(outcome or "not-run")}">{_outcome_badge(outcome)} '
        f'{escape(link.nodeid)} <span class="outcome">linked by '
        f"{escape(link.reason)}: {escape(link.evidence or link.reason)}</span>"
        f"{found}{_checklist_note(test)}</li>"
    )


def _findings(report: Report) -> list[str]:
    """Every finding, grouped by test (file order), sortable and searchable."""
    if not report.findings:
        return []
    parts = [
        "<h2>Findings</h2>",
        '<table class="stack findings-table"><thead><tr><th data-sort="test">test</th>'
        '<th data-sort="code">code</th><th data-sort="severity">severity</th>'
        '<th data-sort="where">where</th><th>message</th></tr></thead><tbody>',
    ]
    severity_rank = {"error": "0", "warning": "1", "info": "2"}
    for finding in report.findings:
        where = finding.path or "<session>"
        if finding.line is not None:
            where = f"{where}:{finding.line}"
        parts.append(
            f'<tr data-severity="{finding.severity}">'
            f'<td data-label="test">{escape(finding.nodeid or "-")}</td>'
            f'<td data-label="code">{escape(finding.code)}</td>'
            f'<td data-label="severity" data-key="{severity_rank[finding.severity]}">'
            f'<span class="badge {finding.severity}">{finding.severity}</span></td>'
            f'<td data-label="where">{escape(where)}</td>'
            f'<td data-label="message">{escape(finding.message)}</td></tr>'
        )
    parts.append("</tbody></table>")
    return parts


_MARKS = {"pass": "✓", "fail": "✗", "unknown": "?"}


def _failed(test: TestRecord) -> list[str]:
    return [str(item.number) for item in test.checklist if item.status == "fail"]


def _checklist_note(test: TestRecord | None) -> str:
    """Beside a seam's test: the checklist items it fails, if any."""
    if test is None or not test.checklist:
        return ""
    failed = _failed(test)
    if not failed:
        return ' <span class="outcome">checklist passed</span>'
    reasons = "; ".join(
        f"{item.number} {item.name}: {item.reason}"
        for item in test.checklist
        if item.status == "fail"
    )
    return (
        f' <span class="checklist-fail" title="{escape(reasons)}">checklist fails item'
        f"{'s' if len(failed) > 1 else ''} {', '.join(failed)}</span>"
    )


def _checklist(report: Report) -> list[str]:
    """The pre-merge checklist of every integration test, failing tests first; each cell's
    reason is its tooltip, and failed items are spelled out below the test."""
    tests = sorted((t for t in report.tests if t.checklist), key=lambda t: -len(_failed(t)))
    if not tests:
        return []
    heads = "".join(
        f'<th title="{escape(name)}">{number}</th>' for number, name in enumerate(ITEM_NAMES, 1)
    )
    legend = "; ".join(f"{number} {name}" for number, name in enumerate(ITEM_NAMES, 1))
    parts = [
        "<h2>Pre-merge checklist</h2>",
        f'<p class="outcome">Items: {escape(legend)}. ✓ pass, ✗ fail, ? unknown (does not '
        "fail); hover a cell for its reason.</p>",
        f'<table class="checklist-table"><thead><tr><th>test</th>{heads}</tr></thead><tbody>',
    ]
    for test in tests:
        cells = "".join(
            f'<td class="{item.status}" title="{escape(item.reason)}">{_MARKS[item.status]}</td>'
            for item in test.checklist
        )
        failed = "".join(
            f"<li>{item.number} {escape(item.name)}: {escape(item.reason)}</li>"
            for item in test.checklist
            if item.status == "fail"
        )
        below = f'<ul class="tests checklist-fail">{failed}</ul>' if failed else ""
        parts.append(f"<tr><td>{escape(test.nodeid)}{below}</td>{cells}</tr>")
    parts.append("</tbody></table>")
    return parts
