"""GitLab Code Quality: the findings as the merge request's Code Quality widget reads them
(``artifacts: reports: codequality:``), a JSON array of issues with description, check_name,
fingerprint, severity and location (path and first line)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pytest_seams.codes import ALL_CODES
from pytest_seams.model import Finding, Report
from pytest_seams.report import without_surrogates
from pytest_seams.report.fingerprints import fingerprints

# GitLab's scale is info, minor, major, critical, blocker; an error fails the run: major.
_SEVERITIES = {"error": "major", "warning": "minor", "info": "info"}
SESSION_PATH = "."
"""The path of a finding about the whole session (GitLab requires one)."""


def render_gitlab(report: Report, rootdir: Path | None = None) -> str:
    """The report's findings as GitLab Code Quality issues; sources are read from ``rootdir``
    (the current directory when None) for the fingerprints."""
    prints = fingerprints(report.findings, rootdir or Path.cwd())
    issues = [_issue(finding, key) for finding, key in zip(report.findings, prints, strict=True)]
    return without_surrogates(json.dumps(issues, indent=2, ensure_ascii=False)) + "\n"


def _issue(finding: Finding, fingerprint: str) -> dict[str, Any]:
    code = ALL_CODES.get(finding.code)
    message = finding.message
    if finding.nodeid is not None:
        message = f"{message} ({finding.nodeid})"
    return {
        "type": "issue",
        "description": f"{finding.code}: {message}",
        "check_name": f"{finding.code} {code.name}" if code else finding.code,
        "categories": [finding.category],
        "fingerprint": fingerprint,
        "severity": _SEVERITIES[finding.severity],
        "location": {
            "path": finding.path if finding.path is not None else SESSION_PATH,
            "lines": {"begin": finding.line or 1},
        },
    }
