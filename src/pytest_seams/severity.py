"""``seam_severity``: a code's severity overridden, or its findings switched off.

Applied once, before the report is built, so the reports, strict mode and the gate all see the
same severities.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence

from pytest_seams.model import Finding


def with_severities(findings: Sequence[Finding], overrides: Mapping[str, str]) -> list[Finding]:
    """``findings`` with each overridden code at its new severity; codes set ``off`` dropped."""
    if not overrides:
        return list(findings)
    kept = []
    for finding in findings:
        severity = overrides.get(finding.code)
        if severity is None or severity == finding.severity:
            kept.append(finding)
        elif severity != "off":
            kept.append(dataclasses.replace(finding, severity=severity))  # type: ignore[arg-type]
    return kept
