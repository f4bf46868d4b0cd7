"""Stable fingerprints of findings, for code scanning (SARIF) and GitLab Code Quality.

A fingerprint is the finding's baseline key (baseline.py: its path, its code and the
whitespace-normalised source line it points at; its message when it points at no line), so it
survives moving the code within its file, plus which occurrence of that key it is, so two
findings of one key stay two issues. Hashed to 32 hex digits.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from pytest_seams.baseline import keys
from pytest_seams.model import Finding


def fingerprints(findings: Sequence[Finding], rootdir: Path) -> list[str]:
    """One fingerprint per finding, in order; sources are read from ``rootdir``."""
    seen: Counter[tuple[str, str, str, str]] = Counter()
    result = []
    for key in keys(findings, rootdir):
        occurrence = seen[key]
        seen[key] += 1
        data = json.dumps([*key, occurrence], ensure_ascii=True).encode()
        result.append(hashlib.sha256(data).hexdigest()[:32])
    return result
