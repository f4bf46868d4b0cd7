"""The stable finding codes, with what each means and how to fix it.

docs/codes.md is generated from this table (``python scripts/generate_docs.py``), so the reference
and the code cannot drift apart. Codes are never renumbered; retired codes stay reserved.
"""

from __future__ import annotations

from typing import NamedTuple

from pytest_seams.model import Category, CodeName, Finding, Severity


# A NamedTuple: defined on every session, in a fraction of a dataclass' time.
class Code(NamedTuple):
    code: CodeName
    name: str
    category: Category
    severity: Severity
    summary: str
    fix: str

    def finding(
        self, message: str, *, path: str | None, line: int | None, nodeid: str | None = None
    ) -> Finding:
        # Positional: code, category, severity, path, line, nodeid, message.
        return Finding(self.code, self.category, self.severity, path, line, nodeid, message)


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
FILE_NOT_ANALYSED = Code(
    "SEAM003",
    "file-not-analysed",
    "internal-error",
    "warning",
    "A test module or conftest could not be read, decoded, parsed or analysed, so its static "
    "checks were skipped (pytest may still have run it). Files nested deeper than the parser "
    "handles safely are skipped on purpose (see docs/reliability.md).",
    "The message says why: save the file in its declared encoding (or UTF-8), fix the syntax "
    "for the running Python, or split a deeply nested or long chained expression; silence it "
    "for a file with seam_per_path_ignores.",
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

ENV_WRITE = Code(
    "SEAM201",
    "env-write",
    "env-write",
    "error",
    "Test code writes the process environment directly (os.environ, os.putenv, ...; also as "
    "one target of a tuple, starred or for-loop assignment), so the change leaks into every "
    "later test, or is restored by hand with a save/set/restore.",
    "Use monkeypatch.setenv/delenv, which pytest undoes after the test, or "
    "mock.patch.dict(os.environ, ...), which restores the environment itself; replace a "
    "save/set/restore done by hand as a whole. A write at module level belongs in a "
    "pytest_configure hook in conftest.py or a session-scoped fixture using "
    "pytest.MonkeyPatch.context(). `seams fix` rewrites the simple forms for you.",
)

INTERNAL_MOCK = Code(
    "SEAM301",
    "internal-mock",
    "internal-mock",
    "error",
    "An integration test replaces first-party code (code defined in this project) with a "
    "mock or fake, so the collaboration it should exercise never happens: by patching it, by "
    "a FastAPI dependency override with a mock, or by passing in a mock shaped like a "
    "first-party class (spec=, create_autospec).",
    "Use the real collaborator, with a high-fidelity fake (fakeredis, a test database) only at "
    "the true external boundary; configure adapters that wrap third parties as boundaries "
    "(seam_boundaries).",
)
UNRESOLVED_MOCK_TARGET = Code(
    "SEAM302",
    "unresolved-mock-target",
    "internal-mock",
    "info",
    "pytest-seams cannot tell whether a mock replaces first-party code: its target is not a "
    "literal dotted name (a variable, an f-string, a dynamic attribute), or is an object the "
    "analysis cannot trace (a fixture, a parameter, the result of a call it does not follow).",
    "Check the target by hand; a literal dotted string, or patching through the module or "
    "class that defines the target, lets pytest-seams check it.",
)

PATCH_NOT_STOPPED = Code(
    "SEAM401",
    "patch-not-stopped",
    "mock-hygiene",
    "warning",
    "patch(...).start() is called but the patch is never stopped in that function or fixture.",
    "Use the patch as a decorator or context manager, or pair start() with stop(), "
    "addCleanup(p.stop) or request.addfinalizer(p.stop).",
)
MONKEYPATCH_NOT_UNDONE = Code(
    "SEAM402",
    "monkeypatch-not-undone",
    "mock-hygiene",
    "warning",
    "pytest.MonkeyPatch() is built directly and never undone.",
    "Use the monkeypatch fixture, `with pytest.MonkeyPatch.context() as mp:`, or call undo().",
)
NO_CHECK = Code(
    "SEAM501",
    "no-check",
    "assertion",
    "warning",
    "An integration test contains no check: no assert, no pytest.raises/warns/fail, no call of "
    "an assert*/check*/verify*/expect* helper.",
    "Assert on the observable outcome of the integration.",
)
MOCK_ONLY_CHECKS = Code(
    "SEAM502",
    "mock-only-checks",
    "assertion",
    "warning",
    "An integration test's only checks are on mock calls: a mock's own assertion methods "
    "(assert_called_once_with, assert_awaited, assert_has_calls, ...) or what a mock recorded "
    "(call_count, call_args, mock_calls, ...). Functions named assert_* (numpy.testing, "
    "hamcrest, the project's own helpers) are real checks.",
    "Also check an observable outcome: a response, a stored record, a message on a fake.",
)
PRIVATE_ATTRIBUTE_CHECK = Code(
    "SEAM503",
    "private-attribute-check",
    "assertion",
    "warning",
    "An integration test asserts on a private attribute (obj._x) of a first-party object: one "
    "built in the test (awaited or not), or provided by a fixture of the same module that "
    "returns or yields one or is annotated with its class.",
    "Check behaviour through the public interface instead of internal state.",
)

PLAN_PROBLEM = Code(
    "SEAM601",
    "plan-problem",
    "plan",
    "warning",
    "A TEST_PLAN.md entry cannot be read as a seam: a seam heading without a title, or two "
    "seams with the same id in one plan; or a seam marker or docstring title that matches "
    "seams of two plans equally near the test, so it links to neither.",
    "Fix the plan entry the message points at; give each seam a title after 'SEAM:' and a "
    "unique title or ID. For an ambiguous reference, name the seam by an id only one plan "
    "gives it, or keep each plan in the folder of its own tests.",
)
UNKNOWN_SEAM_MARKER = Code(
    "SEAM602",
    "unknown-seam-marker",
    "plan",
    "error",
    "@pytest.mark.seam(...) names a seam that no TEST_PLAN.md covering the test lists (a plan "
    "covers the tests in its folder and below).",
    "Use a seam id or its exact title from a plan in the test's folder or a parent, or add the "
    "seam to such a plan.",
)

ENV_LEAK = Code(
    "SEAM701",
    "env-var-leak",
    "env-leak",
    "error",
    "At run time, a test left environment variables added, removed or changed once its "
    "function-scoped fixtures had torn down, or a fixture of wider scope left them so after its "
    "teardown; the write may be in code the test calls, where static analysis cannot see it. "
    "Only names are reported, never values.",
    "Make the change with monkeypatch.setenv/delenv (or mock.patch.dict(os.environ, ...)), "
    "which is undone after the test; in a wider fixture, undo it after the yield or use "
    "pytest.MonkeyPatch.context(). By default pytest-seams restores the environment after "
    "reporting (seam_env_leak, docs/isolation.md).",
)
CWD_LEAK = Code(
    "SEAM702",
    "cwd-leak",
    "env-leak",
    "warning",
    "At run time, a test (or a fixture of wider scope, at its teardown) left the working "
    "directory changed, so later tests resolve relative paths elsewhere.",
    "Use monkeypatch.chdir, which pytest undoes after the test; in a wider fixture, change "
    "back after the yield.",
)
SYS_PATH_LEAK = Code(
    "SEAM703",
    "sys-path-leak",
    "env-leak",
    "warning",
    "At run time, a test (or a fixture of wider scope, at its teardown) left sys.path changed, "
    "so later tests import from different places.",
    "Use monkeypatch.syspath_prepend, which pytest undoes after the test; in a wider fixture, "
    "restore sys.path after the yield.",
)
MODULE_LEAK = Code(
    "SEAM704",
    "module-leak",
    "env-leak",
    "warning",
    "At run time, a test (or a fixture of wider scope, at its teardown) removed or replaced a "
    "first-party module in sys.modules, or registered an object that no import made there, so "
    "later tests see a different module (a first import is not a leak).",
    "Use monkeypatch.setitem(sys.modules, ...) or monkeypatch.delitem(sys.modules, ...), which "
    "pytest undoes after the test. pytest-seams reports these and never unloads modules.",
)

STATIC_CATEGORIES: frozenset[str] = frozenset(
    {"env-write", "internal-mock", "mock-hygiene", "assertion"}
)
"""The categories of the static rules: what ``seams lint`` finds without a pytest session."""

ALL_CODES: dict[str, Code] = {
    code.code: code
    for code in (
        INTERNAL_ERROR,
        UNUSED_SUPPRESSION,
        UNKNOWN_SUPPRESSION_CODE,
        FILE_NOT_ANALYSED,
        DOCSTRING_MISSING,
        SECTION_MISSING,
        SECTION_EMPTY,
        SECTION_PLACEHOLDER,
        ENV_WRITE,
        INTERNAL_MOCK,
        UNRESOLVED_MOCK_TARGET,
        PATCH_NOT_STOPPED,
        MONKEYPATCH_NOT_UNDONE,
        NO_CHECK,
        MOCK_ONLY_CHECKS,
        PRIVATE_ATTRIBUTE_CHECK,
        PLAN_PROBLEM,
        UNKNOWN_SEAM_MARKER,
        ENV_LEAK,
        CWD_LEAK,
        SYS_PATH_LEAK,
        MODULE_LEAK,
    )
}
