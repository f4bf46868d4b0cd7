"""The SARIF 2.1.0 report: for GitHub code scanning (``github/codeql-action/upload-sarif``).

One run of one tool, pytest-seams: a rule per finding code (its summary, its fix and a link to
docs/codes.md) and a result per finding, at its rootdir-relative path under ``%SRCROOT%``. A
result's ``partialFingerprints`` is the finding's baseline key (its path, its code and the
normalised source line it points at, see baseline.py), so code scanning follows a finding when
the code around it moves; a finding with no source line is keyed by its message.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pytest_seams import __version__
from pytest_seams.codes import ALL_CODES, Code
from pytest_seams.model import Finding, Report
from pytest_seams.report import without_surrogates
from pytest_seams.report.fingerprints import fingerprints

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
PROJECT_URL = "https://github.com/pytest-seams/pytest-seams"
"""Where the tool's documentation lives; each rule's help links to its code in docs/codes.md."""
FINGERPRINT_NAME = "seamsBaselineKey/v1"
_LEVELS = {"error": "error", "warning": "warning", "info": "note"}


def help_uri(code: Code) -> str:
    """The code's section of docs/codes.md, as GitHub anchors its heading."""
    return f"{PROJECT_URL}/blob/main/docs/codes.md#{code.code.lower()}-{code.name}"


def render_sarif(report: Report, rootdir: Path | None = None) -> str:
    """The report's findings as a SARIF 2.1.0 log; sources are read from ``rootdir`` (the
    current directory when None) for the fingerprints."""
    rules = list(ALL_CODES.values())
    index = {code.code: number for number, code in enumerate(rules)}
    prints = fingerprints(report.findings, rootdir or Path.cwd())
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "pytest-seams",
                        "version": __version__,
                        "informationUri": PROJECT_URL,
                        "rules": [_rule(code) for code in rules],
                    }
                },
                "originalUriBaseIds": {"%SRCROOT%": {"description": {"text": "pytest's rootdir"}}},
                "results": [
                    _result(finding, index[finding.code], key)
                    for finding, key in zip(report.findings, prints, strict=True)
                ],
                "columnKind": "unicodeCodePoints",
            }
        ],
    }
    text = json.dumps(log, indent=2, ensure_ascii=False)
    return without_surrogates(text) + "\n"


def _rule(code: Code) -> dict[str, Any]:
    return {
        "id": code.code,
        "name": code.name,
        "shortDescription": {"text": code.summary},
        "fullDescription": {"text": code.summary},
        "help": {
            "text": f"{code.summary}\n\nHow to fix: {code.fix}",
            "markdown": f"{code.summary}\n\n**How to fix:** {code.fix}",
        },
        "helpUri": help_uri(code),
        "defaultConfiguration": {"level": _LEVELS[code.severity]},
        "properties": {"category": code.category, "tags": [code.category]},
    }


def _result(finding: Finding, rule_index: int, fingerprint: str) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": finding.code,
        "ruleIndex": rule_index,
        "level": _LEVELS[finding.severity],
        "message": {"text": finding.message},
        "partialFingerprints": {FINGERPRINT_NAME: fingerprint},
        "properties": {"category": finding.category},
    }
    if finding.nodeid is not None:
        result["properties"]["nodeid"] = finding.nodeid
    if finding.path is not None:
        location: dict[str, Any] = {
            "artifactLocation": {"uri": _uri(finding.path), "uriBaseId": "%SRCROOT%"}
        }
        if finding.line is not None:
            location["region"] = {"startLine": finding.line}
        result["locations"] = [{"physicalLocation": location}]
    return result


def _uri(path: str) -> str:
    """A relative URI reference for a '/'-separated path: what is not allowed in one
    (space, '%', '#', '?', non-ASCII) percent-encoded."""
    from urllib.parse import quote

    return quote(without_surrogates(path), safe="/!$&'()*+,;=:@-._~")
