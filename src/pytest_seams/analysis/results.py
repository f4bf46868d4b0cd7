"""What the analysis of one file produces: the unit of caching. Free of libcst, so a warm
run that reads every result from the cache never imports the parser."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

OwnerKind = Literal["test", "fixture", "helper", "module"]


class RawFinding(BaseModel):
    """A finding as the analysis of one file sees it, before project-wide decisions.

    Whether a mock target is first-party, and whether its owner is an integration test, depend
    on other files and on collection; they are settled later, so this can be cached per file.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    code: str
    line: int
    owner: str | None  # qualified name of the test, fixture or helper holding the code
    owner_kind: OwnerKind
    message: str
    target: str | None = None  # dotted name whose first-party status decides the finding
    fixable: bool = False


class FileAnalysis(BaseModel):
    """What the analysis of one file found."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    findings: list[RawFinding] = Field(default_factory=list)
    marks: dict[str, list[str]] = Field(default_factory=dict)  # test qualname -> pytest marks
    # `# seams: ignore[...]` comments: line and codes (None: every code).
    comments: list[tuple[int, tuple[str, ...] | None]] = Field(default_factory=list)
    error: str | None = None  # why the file could not be analysed
