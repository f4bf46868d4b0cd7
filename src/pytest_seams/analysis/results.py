"""What the analysis of one file produces: the unit of caching. Free of libcst, so a warm
run that reads every result from the cache never imports the parser."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from pytest_seams.codes import ALL_CODES
from pytest_seams.model import PYDANTIC_CONFIG

OwnerKind = Literal["test", "fixture", "helper", "module"]
_OWNER_KINDS = frozenset(("test", "fixture", "helper", "module"))

MAX_LINE = 2**31 - 1
"""The highest line number believed from disk when the file's size is unknown."""


@dataclass(slots=True)  # not frozen, nor keyword-only: see model.Finding
class RawFinding:
    """A finding as the analysis of one file sees it, before project-wide decisions.

    Whether a mock target is first-party, and whether its owner is an integration test, depend
    on other files and on collection; they are settled later, so this can be cached per file.
    """

    __pydantic_config__ = PYDANTIC_CONFIG

    code: str
    line: int
    owner: str | None  # qualified name of the test, fixture or helper holding the code
    owner_kind: OwnerKind
    message: str
    target: str | None = None  # dotted name whose first-party status decides the finding
    fixable: bool = False


@dataclass(frozen=True, kw_only=True)
class FileAnalysis:
    """What the analysis of one file found."""

    __pydantic_config__ = PYDANTIC_CONFIG

    findings: list[RawFinding] = field(default_factory=list)
    marks: dict[str, list[str]] = field(default_factory=dict)  # marked test qualname -> marks
    # `# seams: ignore[...]` comments: line and codes (None: every code).
    comments: list[tuple[int, tuple[str, ...] | None]] = field(default_factory=list)
    error: str | None = None  # why the file could not be analysed
    # Test qualname -> the entry points its code calls (analysis/entrypoints.py); only tests
    # that call one.
    entry_calls: dict[str, list[str]] = field(default_factory=dict)

    def to_plain(self) -> list[Any]:
        """Compact JSON-ready form (rows, not objects), read back by ``from_plain``."""
        rows = [
            [f.code, f.line, f.owner, f.owner_kind, f.message, f.target, f.fixable]
            for f in self.findings
        ]
        comments = [[line, None if codes is None else list(codes)] for line, codes in self.comments]
        return [rows, self.marks, comments, self.error, self.entry_calls]

    @classmethod
    def from_plain(cls, data: object, max_line: int = MAX_LINE) -> FileAnalysis:
        """Rebuild from ``to_plain`` output; ValueError for anything else.

        What is read back comes from disk, where anything may be: every value is checked
        (known codes, lines from 1 to ``max_line``, strings where strings belong), so a damaged
        entry is a miss, never a bogus finding nor a crash further on. Plain checks, not
        pydantic: the file index is read on every warm session.
        """
        if not (type(data) is list and len(data) == 5):
            raise ValueError("not a file analysis")
        rows, marks, comments, error, entry_calls = data
        if not (
            type(rows) is list
            and type(marks) is dict
            and type(entry_calls) is dict
            and type(comments) is list
            and (error is None or type(error) is str)
        ):
            raise ValueError("not a file analysis")
        findings = []
        for row in rows:  # inline, not a call per row: thousands of rows on a warm session
            if not (type(row) is list and len(row) == 7):
                raise ValueError(f"not a finding: {row!r}")
            code, line, owner, kind, message, target, fixable = row
            if not (
                type(code) is str  # before the lookup: an unhashable code would raise TypeError
                and code in ALL_CODES
                and type(line) is int  # not isinstance: no bools
                and 1 <= line <= max_line
                and (owner is None or type(owner) is str)
                and type(kind) is str
                and kind in _OWNER_KINDS
                and type(message) is str
                and (target is None or type(target) is str)
                and type(fixable) is bool
            ):
                raise ValueError(f"not a finding: {row!r}")
            findings.append(RawFinding(code, line, owner, kind, message, target, fixable))  # type: ignore[arg-type]
        for names in marks.values():  # JSON object keys are strings already
            if not (type(names) is list and all(type(name) is str for name in names)):
                raise ValueError(f"marks are not lists of names: {names!r}")
        for names in entry_calls.values():
            if not (type(names) is list and all(type(name) is str for name in names)):
                raise ValueError(f"entry-point calls are not lists of names: {names!r}")
        return cls(
            findings=findings,
            marks=marks,
            comments=[_comment_from_row(row, max_line) for row in comments],
            error=error,
            entry_calls=entry_calls,
        )


def _valid_line(line: object, max_line: int) -> bool:
    return type(line) is int and 1 <= line <= max_line  # type() is int: no bools


def _comment_from_row(row: object, max_line: int) -> tuple[int, tuple[str, ...] | None]:
    if not (type(row) is list and len(row) == 2):
        raise ValueError(f"not a suppression comment: {row!r}")
    line, codes = row
    if not _valid_line(line, max_line):
        raise ValueError(f"not a suppression comment: {row!r}")
    if codes is None:
        return (line, None)
    if not (type(codes) is list and all(type(code) is str for code in codes)):
        raise ValueError(f"not a suppression comment: {row!r}")
    return (line, tuple(codes))
