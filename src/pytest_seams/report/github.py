"""GitHub workflow commands: a finding becomes an annotation on the pull request's diff.

Printed to the terminal (pytest's standard output, which the runner reads), one command per
finding, most severe first: ``::error file=tests/x.py,line=3,title=SEAM101 docstring-missing::...``.
Escaped as GitHub's own toolkit does (actions/toolkit, command.ts): in the message ``%``, CR and
LF become ``%25``, ``%0D`` and ``%0A``; in a property also ``:`` and ``,`` become ``%3A`` and
``%2C``; other control characters are shown as backslash escapes (``report.shown``), so no text
of the user's can end a command or start another.

GitHub shows at most 10 error and 10 warning annotations per step (50 per job); the rest are
dropped silently. So at most ``MAX_ANNOTATIONS`` commands are printed and a last line says how
many findings were left out and where to see them.
"""

from __future__ import annotations

import re

from pytest_seams.codes import ALL_CODES
from pytest_seams.model import Finding, Report
from pytest_seams.report import shown

MAX_ANNOTATIONS = 50
"""Commands printed at most: GitHub keeps 50 annotations per job."""
_COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}
_ORDER = {"error": 0, "warning": 1, "info": 2}


def escape_data(text: str) -> str:
    """The message of a workflow command: ``%``, CR and LF escaped, other controls shown."""
    parts = re.split("([\r\n])", text)
    escaped = []
    for part in parts:
        if part == "\r":
            escaped.append("%0D")
        elif part == "\n":
            escaped.append("%0A")
        else:
            escaped.append(shown(part).replace("%", "%25"))
    return "".join(escaped)


def escape_property(text: str) -> str:
    """A property value of a workflow command: as data, and ``:`` and ``,`` escaped too."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(finding: Finding) -> str:
    """The workflow command that annotates ``finding``."""
    properties = []
    if finding.path is not None:
        properties.append(f"file={escape_property(finding.path)}")
        if finding.line is not None:
            properties.append(f"line={finding.line}")
    code = ALL_CODES.get(finding.code)
    title = f"{finding.code} {code.name}" if code else finding.code
    properties.append(f"title={escape_property(title)}")
    message = finding.message
    if finding.nodeid is not None and finding.path is None:
        message = f"{finding.nodeid}: {message}"
    return f"::{_COMMANDS[finding.severity]} {','.join(properties)}::{escape_data(message)}"


def render_github(report: Report) -> str:
    """One workflow command per finding, most severe first, at most MAX_ANNOTATIONS."""
    findings = sorted(report.findings, key=lambda finding: _ORDER[finding.severity])
    lines = [command(finding) for finding in findings[:MAX_ANNOTATIONS]]
    left_out = len(findings) - MAX_ANNOTATIONS
    if left_out > 0:
        lines.append(
            f"seams: {left_out} more finding{'s' if left_out != 1 else ''} not annotated "
            f"(GitHub keeps at most {MAX_ANNOTATIONS} annotations per job); "
            "see them all with --seam-report=term-missing or json"
        )
    if not findings:
        lines.append("seams: no findings to annotate")
    return "\n".join(lines)
