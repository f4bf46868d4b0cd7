"""The HTML report: one self-contained page (no network), seams by plan and priority."""

from __future__ import annotations

from html import escape as _escape_html
from itertools import groupby

from pytest_seams.model import Report
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
                f"{escape(link.reason)}: {escape(link.evidence or link.reason)}</span></li>"
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
    counts = report.counts
    parts.append(
        f'<p class="outcome">Findings: {counts.error} errors, {counts.warning} warnings, '
        f"{counts.info} info. pytest-seams {escape(report.meta.plugin_version)}.</p>"
    )
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"
