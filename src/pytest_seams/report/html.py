"""The HTML report: one self-contained page (no network), seams by plan and priority."""

from __future__ import annotations

from html import escape as _escape_html
from itertools import groupby

from pytest_seams.checklist import ITEM_NAMES
from pytest_seams.model import Report, TestRecord
from pytest_seams.report import shown


def escape(text: str) -> str:
    """Untrusted text as HTML text or attribute value: ``shown`` (one line, no control
    characters, a non-UTF-8 byte as \\xff), then HTML-escaped, quotes included."""
    return _escape_html(shown(text))


_STYLE = """
body { font: 14px/1.45 system-ui, sans-serif; margin: 2em; color: #1f2328; }
h1 { font-size: 1.5em; } h2 { font-size: 1.2em; margin-top: 2em; }
table { border-collapse: collapse; width: 100%; margin: .5em 0; }
th, td { border-bottom: 1px solid #d0d7de; padding: .35em .6em; text-align: left;
  vertical-align: top; }
th { background: #f6f8fa; }
.status { display: inline-block; padding: .05em .6em; border-radius: 1em; font-weight: 600;
  font-size: .85em; }
.verified { background: #dafbe1; color: #116329; }
.failing { background: #ffebe9; color: #a40e26; }
.skipped { background: #fff8c5; color: #7d4e00; }
.not-run { background: #ddf4ff; color: #0550ae; }
.untested { background: #eaeef2; color: #57606a; }
.deferred { background: #f6f8fa; color: #8c959f; }
ul.tests { margin: 0; padding-left: 1.2em; } .outcome { color: #57606a; font-size: .85em; }
.summary td, .summary th { text-align: right; }
.summary td:first-child, .summary th:first-child { text-align: left; }
label { margin-right: 1em; }
td.pass, td.fail, td.unknown { text-align: center; font-weight: 600; }
td.pass { color: #116329; } td.fail { background: #ffebe9; color: #a40e26; }
td.unknown { color: #7d4e00; } .checklist-fail { color: #a40e26; }
"""
_SCRIPT = """
function filterPriority(value) {
  for (const row of document.querySelectorAll('tr[data-priority]')) {
    row.hidden = value !== 'all' && row.dataset.priority !== value;
  }
}
"""


def render_html(report: Report) -> str:
    outcomes = {test.nodeid: test.outcome for test in report.tests}
    records = {test.nodeid: test for test in report.tests}
    priorities = sorted({seam.priority or "none" for seam in report.seams})
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        "<title>Seam coverage</title>",
        f"<style>{_STYLE}</style><script>{_SCRIPT}</script></head><body>",
        "<h1>Seam coverage</h1>",
    ]
    if not report.seams:
        parts.append("<p>No seams: no TEST_PLAN.md file lists any.</p>")
    else:
        parts += [
            '<table class="summary"><tr><th>priority</th><th>covered</th><th>total</th>'
            "<th>failing</th><th>skipped</th><th>not run</th><th>untested</th></tr>"
        ]
        for summary in report.seam_summary:
            parts.append(
                f"<tr><td>{escape(summary.priority or '-')}</td><td>{summary.verified}</td>"
                f"<td>{summary.total}</td><td>{summary.failing}</td><td>{summary.skipped}</td>"
                f"<td>{summary.not_run}</td><td>{summary.untested}</td></tr>"
            )
        parts.append("</table>")
        options = "".join(f'<option value="{escape(p)}">{escape(p)}</option>' for p in priorities)
        parts.append(
            '<p><label for="priority">Priority</label><select id="priority" '
            'onchange="filterPriority(this.value)"><option value="all">all</option>'
            f"{options}</select></p>"
        )
    for plan, group in groupby(sorted(report.seams, key=lambda s: s.plan), key=lambda s: s.plan):
        parts += [
            f"<h2>{escape(plan)}</h2>",
            "<table><tr><th>priority</th><th>seam</th><th>status</th><th>tests</th></tr>",
        ]
        for seam in group:
            tests = "".join(
                f'<li>{escape(link.nodeid)} <span class="outcome">'
                f"{escape(outcomes.get(link.nodeid) or 'not run')}; linked by "
                f"{escape(link.reason)}: {escape(link.evidence or link.reason)}</span>"
                f"{_checklist_note(records.get(link.nodeid))}</li>"
                for link in seam.links
            )
            parts.append(
                f'<tr data-priority="{escape(seam.priority or "none")}">'
                f"<td>{escape(seam.priority or '-')}</td>"
                f'<td>{escape(seam.title)}<br><span class="outcome">'
                f"{escape(seam.plan)}:{seam.line}</span></td>"
                f'<td><span class="status {escape(seam.status)}">{escape(seam.status)}</span></td>'
                f'<td><ul class="tests">{tests}</ul></td></tr>'
            )
        parts.append("</table>")
    if report.unlinked_integration_tests:
        items = "".join(f"<li>{escape(n)}</li>" for n in report.unlinked_integration_tests)
        parts.append(f"<h2>Integration tests linked to no seam</h2><ul>{items}</ul>")
    parts += _checklist(report)
    counts = report.counts
    parts.append(
        f'<p class="outcome">Findings: {counts.error} errors, {counts.warning} warnings, '
        f"{counts.info} info. pytest-seams {escape(report.meta.plugin_version)}.</p>"
    )
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


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
        f"<table><tr><th>test</th>{heads}</tr>",
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
    parts.append("</table>")
    return parts
