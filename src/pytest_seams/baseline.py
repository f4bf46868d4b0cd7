"""The baseline of a legacy suite: known findings that do not fail the gate, new ones do.

The file is pretty JSON, one entry per key, sorted, so a review shows what changed:

    {"version": 1, "findings": [
      {"path": "tests/integration/test_cart.py", "code": "SEAM101",
       "snippet": "def test_totals():", "count": 1}, ...]}

A finding's key is its path, its code and the whitespace-normalised source line it points at
(a decorated definition: its decorators and the ``def`` line), never its line number, so moving
code within its file leaves the file byte-identical; ``count`` is how many findings share the
key. A finding with no source line (a plan finding, an internal error, a file that cannot be
read) is keyed by its message instead.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from pytest_seams.model import Finding
from pytest_seams.paths import read_regular_file, write_atomic

BASELINE_VERSION = 1
_MAX_SOURCE_BYTES = 16 * 1024 * 1024
_MAX_DECORATOR_LINES = 20

Key = tuple[str, str, str, str]
"""Path ("" for none), code, "snippet" or "message", and the text."""


class BaselineError(ValueError):
    """A baseline file that cannot be read or is not one, with why."""


@dataclass(frozen=True, kw_only=True)
class BaselineMatch:
    """A session's findings against a baseline."""

    new: tuple[Finding, ...]
    """The findings the baseline does not record: these may fail the gate."""
    baselined: int
    """How many findings the baseline records."""
    fixed: int
    """How many recorded findings the session no longer has."""


class _Sources:
    """Source lines of the files findings point at, each file read once."""

    def __init__(self, rootdir: Path) -> None:
        self.rootdir = rootdir
        self.lines: dict[str, list[str] | None] = {}

    def snippet(self, path: str, line: int) -> str | None:
        if path not in self.lines:
            try:
                data = read_regular_file(self.rootdir / path, _MAX_SOURCE_BYTES)
                self.lines[path] = data.decode("utf-8", errors="replace").splitlines()
            except OSError:
                self.lines[path] = None
        lines = self.lines[path]
        if lines is None or not 1 <= line <= len(lines):
            return None
        taken = [lines[line - 1]]
        # A decorated definition: its decorators alone say little; take it to its def line.
        index = line
        while (
            taken[-1].lstrip().startswith("@")
            and index < len(lines)
            and len(taken) < _MAX_DECORATOR_LINES
        ):
            taken.append(lines[index])
            index += 1
        text = " ".join(" ".join(taken).split())
        return text or None


def keys(findings: Iterable[Finding], rootdir: Path) -> list[Key]:
    """The baseline key of each finding, in order."""
    sources = _Sources(rootdir)
    result: list[Key] = []
    for finding in findings:
        snippet = (
            sources.snippet(finding.path, finding.line)
            if finding.path is not None and finding.line is not None
            else None
        )
        if snippet is None:
            result.append((finding.path or "", finding.code, "message", finding.message))
        else:
            result.append((finding.path, finding.code, "snippet", snippet))  # type: ignore[arg-type]
    return result


def render(recorded: Counter[Key]) -> str:
    """The file's text: entries sorted by key, one per key with its count."""
    entries = [
        {"path": path or None, "code": code, kind: text, "count": count}
        for (path, code, kind, text), count in sorted(recorded.items())
    ]
    body = ",\n".join("    " + json.dumps(entry, ensure_ascii=False) for entry in entries)
    findings = f"[\n{body}\n  ]" if entries else "[]"
    return f'{{\n  "version": {BASELINE_VERSION},\n  "findings": {findings}\n}}\n'


def write(path: Path, findings: Sequence[Finding], rootdir: Path) -> None:
    """Record ``findings`` in ``path`` (replacing it); raises OSError."""
    write_atomic(path, render(Counter(keys(findings, rootdir))))


def load(path: Path) -> Counter[Key]:
    """The keys recorded in a baseline file, with their counts; raises BaselineError."""
    try:
        data = json.loads(read_regular_file(path, _MAX_SOURCE_BYTES).decode("utf-8"))
    except OSError as error:
        raise BaselineError(error.strerror or str(error)) from None
    except ValueError as error:  # bad UTF-8 or bad JSON
        raise BaselineError(f"not JSON: {error}") from None
    if not isinstance(data, dict) or data.get("version") != BASELINE_VERSION:
        raise BaselineError(f"expected an object with version {BASELINE_VERSION}")
    entries = data.get("findings")
    if not isinstance(entries, list):
        raise BaselineError("expected a 'findings' list")
    recorded: Counter[Key] = Counter()
    for number, entry in enumerate(entries, 1):
        recorded[_entry_key(entry, number)] += entry["count"]
    return recorded


def _entry_key(entry: object, number: int) -> Key:
    if not isinstance(entry, dict):
        raise BaselineError(f"entry {number} is not an object")
    path, code, count = entry.get("path"), entry.get("code"), entry.get("count")
    kinds = [kind for kind in ("snippet", "message") if isinstance(entry.get(kind), str)]
    if (
        not (path is None or isinstance(path, str))
        or not isinstance(code, str)
        or len(kinds) != 1
        or not isinstance(count, int)
        or isinstance(count, bool)
        or count < 1
    ):
        raise BaselineError(
            f"entry {number} needs path, code, snippet or message, and a count of at least 1"
        )
    return (path or "", code, kinds[0], entry[kinds[0]])


def match(findings: Sequence[Finding], recorded: Counter[Key], rootdir: Path) -> BaselineMatch:
    """Which findings the baseline records (as many per key as its count) and which are new."""
    remaining = Counter(recorded)
    new = []
    baselined = 0
    for finding, key in zip(findings, keys(findings, rootdir), strict=True):
        if remaining[key] > 0:
            remaining[key] -= 1
            baselined += 1
        else:
            new.append(finding)
    return BaselineMatch(new=tuple(new), baselined=baselined, fixed=sum(remaining.values()))
