"""What the analysis of one file produces: the unit of caching. Free of libcst, so a warm
run that reads every result from the cache never imports the parser."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from pytest_seams.model import PYDANTIC_CONFIG

OwnerKind = Literal["test", "fixture", "helper", "module"]


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

    def to_plain(self) -> list[Any]:
        """Compact JSON-ready form (rows, not objects), read back by ``from_plain``."""
        rows = [
            [f.code, f.line, f.owner, f.owner_kind, f.message, f.target, f.fixable]
            for f in self.findings
        ]
        return [rows, self.marks, [[line, codes] for line, codes in self.comments], self.error]

    @classmethod
    def from_plain(cls, data: list[Any]) -> FileAnalysis:
        """Rebuild from ``to_plain`` output; TypeError, KeyError, IndexError or ValueError on
        other input.

        For pytest-seams' own index, read on every warm session: cheaper than validating with
        pydantic (the per-file cache entries, read on misses, are validated).
        """
        rows, marks, comments, error = data
        if not (
            isinstance(marks, dict)
            and all(isinstance(names, list) for names in marks.values())
            and (error is None or isinstance(error, str))
        ):
            raise TypeError("not a file analysis")
        return cls(
            findings=[
                RawFinding(str(code), int(line), owner, kind, str(message), target, bool(fixable))
                for code, line, owner, kind, message, target, fixable in rows
            ],
            marks=marks,
            comments=[
                (int(line), None if codes is None else tuple(map(str, codes)))
                for line, codes in comments
            ],
            error=error,
        )
