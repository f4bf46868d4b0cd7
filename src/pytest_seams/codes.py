"""The stable finding codes, with what each means and how to fix it.

docs/codes.md is generated from this table (``python scripts/generate_docs.py``), so the reference
and the code cannot drift apart. Codes are never renumbered; retired codes stay reserved.
"""

from __future__ import annotations

from dataclasses import dataclass

from pytest_seams.model import Category, Finding, Severity


@dataclass(frozen=True)
class Code:
    code: str
    name: str
    category: Category
    severity: Severity
    summary: str
    fix: str

    def finding(
        self, message: str, *, path: str | None, line: int | None, nodeid: str | None = None
    ) -> Finding:
        return Finding(
            code=self.code,
            category=self.category,
            severity=self.severity,
            path=path,
            line=line,
            nodeid=nodeid,
            message=message,
        )


INTERNAL_ERROR = Code(
    "SEAM000",
    "internal-error",
    "internal-error",
    "error",
    "pytest-seams itself failed while checking part of the session; that part was not checked.",
    "Report it with the traceback in the message. The test outcomes are unaffected.",
)
UNUSED_SUPPRESSION = Code(
    "SEAM001",
    "unused-suppression",
    "suppression",
    "warning",
    "A suppression (inline comment, marker or per-path setting) matches no finding.",
    "Remove the suppression, or correct its codes so it matches the finding it was meant for.",
)
UNKNOWN_SUPPRESSION_CODE = Code(
    "SEAM002",
    "unknown-suppression-code",
    "suppression",
    "warning",
    "A suppression names a code that pytest-seams does not have.",
    "Use a code from docs/codes.md, e.g. SEAM101.",
)
DOCSTRING_MISSING = Code(
    "SEAM101",
    "docstring-missing",
    "docstring",
    "error",
    "An integration test has no docstring.",
    "Add a docstring with the required sections (by default Integration Scope, Business Impact "
    "and Success Criteria).",
)
SECTION_MISSING = Code(
    "SEAM102",
    "section-missing",
    "docstring",
    "error",
    "An integration test's docstring lacks a required section.",
    "Add the section as a line 'Section Name:' followed by an indented body.",
)
SECTION_EMPTY = Code(
    "SEAM103",
    "section-empty",
    "docstring",
    "error",
    "A required section of an integration test's docstring has an empty body.",
    "Write the section's body on the heading line or indented on the lines below it.",
)
SECTION_PLACEHOLDER = Code(
    "SEAM104",
    "section-placeholder",
    "docstring",
    "error",
    "A section's body is only unfilled template placeholders such as "
    "'[List components being integrated]' or 'TODO'.",
    "Replace the placeholders with the real content.",
)

ALL_CODES: dict[str, Code] = {
    code.code: code
    for code in (
        INTERNAL_ERROR,
        UNUSED_SUPPRESSION,
        UNKNOWN_SUPPRESSION_CODE,
        DOCSTRING_MISSING,
        SECTION_MISSING,
        SECTION_EMPTY,
        SECTION_PLACEHOLDER,
    )
}
