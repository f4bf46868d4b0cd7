"""Integration tests for link evidence by strength: which evidence links a test to a seam."""

from __future__ import annotations

from textwrap import dedent
from typing import Any

import pytest

from tests.conftest import RunJson

SECTIONS = "Integration Scope: desk and store\n    Business Impact: b\n    Success Criteria: c"

PLAN = """\
# Plan

| # | Seam | Priority | File |
|---|------|----------|------|
| 7 | Payment Gateway → Ledger | P1 | `test_ledger_calls.py` |

### 1. SEAM: OrderService → Inventory Flow

**Priority**: P0
**Location**: `tests/integration/test_orders.py`

### 2. SEAM: Cart → Pricing

**Priority**: P2

Consider adding cases to the existing `test_misc.py` one day.

```
tests/
|-- integration/
    |-- test_cart_tree.py
```

### 3. SEAM: Search Index

**Priority**: P3
"""


def _module(doc: str, body: str) -> str:
    return f'"""{doc}"""\n\nimport pytest\n\n{dedent(body)}'


def _test(name: str, doc: str = "Runs the flow.", indent: str = "") -> str:
    lines = [
        f"def {name}({'self' if indent else ''}):",
        f'    """{doc}\n\n    {SECTIONS}\n    """',
        "    assert True",
    ]
    return "\n".join(indent + line.replace("\n", "\n" + indent) for line in lines) + "\n"


def _links(report: dict[str, Any]) -> dict[str, list[tuple[str, str, str]]]:
    """Test name -> (seam title, reason, evidence) of each link."""
    found: dict[str, list[tuple[str, str, str]]] = {}
    for seam in report["seams"]:
        for link in seam["links"]:
            name = link["nodeid"].split("::", 1)[1]
            found.setdefault(name, []).append((seam["title"], link["reason"], link["evidence"]))
    return found


def _project(pytester: pytest.Pytester) -> None:
    pytester.makepyprojecttoml('[tool.pytest.ini_options]\ntestpaths = ["tests"]\n')
    files = {
        "TEST_PLAN.md": PLAN,
        # A module docstring "<title> Integration Tests" outranks the plan naming the file.
        "test_orders.py": _module(
            "Order Service -> Inventory Integration Tests",
            _test("test_from_module_docstring")
            + "\n\nclass TestRefunds:\n    '''Integration tests for Cart -> Pricing seam.'''\n\n"
            + _test("test_class_docstring_beats_module", indent="    ")
            + "\n\n"
            + _test("test_own_docstring_first", doc="Refund path.\n\n    Seam Under Test: Seam 7")
            + "\n\n@pytest.mark.seam('Search Index')\n"
            + _test("test_marker_beats_docstrings"),
        ),
        # Plan-file evidence: a table File column, a file tree in a fenced block.
        "test_ledger_calls.py": _module("Ledger calls.", _test("test_named_by_table_column")),
        "test_cart_tree.py": _module("Cart.", _test("test_named_by_file_tree")),
        # Numbered references: "TEST 2.1" (sub-item of seam 2); lower-case "test 3.5" is prose.
        "test_numbers.py": _module(
            "Numbered references.",
            _test("test_sub_item", doc="Covers TEST 2.1 of the plan.")
            + "\n\n"
            + _test("test_prose_number", doc="Waits a test 3.5 seconds long."),
        ),
        # A prose mention in the plan is no evidence; the file name convention is.
        "test_misc.py": _module("Misc.", _test("test_prose_mention_only")),
        "test_search_index_integration.py": _module("Search.", _test("test_file_name")),
    }
    for name, text in files.items():
        path = pytester.path / "tests" / "integration" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


class TestLinkEvidence:
    """Each class of link evidence, and the strongest deciding per test.

    Seam Under Test:
        collection (seam markers, docstring clues) -> plan parser (seam numbers, test files)
        -> linking by evidence strength -> JSON and term-missing reports
    """

    def test_strongest_evidence_decides_with_its_reason(
        self, pytester: pytest.Pytester, run_json: RunJson
    ) -> None:
        """Per test, the strongest evidence links it, and the link says what that evidence is.

        Integration Scope: docstring first lines of modules and classes, "Seam Under Test:"
            naming a seam number, numbered sub-items, plan File columns, file trees,
            prose mentions, the file-name convention, markers; the JSON report.
        Business Impact: A test linked to seams it does not cover, or not linked to the seam
            it does, makes the coverage report wrong where a CI gate reads it.
        Success Criteria:
            - each test links to exactly the expected seams with the expected reason and evidence
            - a prose mention and lower-case "test 3.5" link nothing
        """
        _project(pytester)
        result, report = run_json("--collect-only", "-p", "no:randomly")
        assert result.ret == pytest.ExitCode.OK
        plan = "tests/integration/TEST_PLAN.md"
        assert _links(report) == {
            "test_from_module_docstring": [
                (
                    "OrderService → Inventory Flow",
                    "docstring",
                    "module docstring 'Order Service -> Inventory Integration Tests'",
                )
            ],
            "TestRefunds::test_class_docstring_beats_module": [
                (
                    "Cart → Pricing",
                    "docstring",
                    "class docstring 'Integration tests for Cart -> Pricing seam.'",
                )
            ],
            "test_own_docstring_first": [
                ("Payment Gateway → Ledger", "docstring", "test docstring 'Seam 7'")
            ],
            "test_marker_beats_docstrings": [
                ("Search Index", "marker", "@pytest.mark.seam('Search Index')")
            ],
            "test_named_by_table_column": [
                (
                    "Payment Gateway → Ledger",
                    "plan-file",
                    f"{plan} names test_ledger_calls.py in this seam's entry",
                )
            ],
            "test_named_by_file_tree": [
                (
                    "Cart → Pricing",
                    "plan-file",
                    f"{plan} names test_cart_tree.py in this seam's entry",
                )
            ],
            "test_sub_item": [("Cart → Pricing", "docstring", "test docstring 'TEST 2.1'")],
            "test_file_name": [
                (
                    "Search Index",
                    "file-name",
                    "test_search_index_integration.py = test_<slug of 'Search Index'>"
                    "_integration.py",
                )
            ],
        }
        unlinked = {nodeid.split("::", 1)[1] for nodeid in report["unlinked_integration_tests"]}
        assert unlinked == {"test_prose_number", "test_prose_mention_only"}

    def test_term_missing_shows_each_links_evidence(self, pytester: pytest.Pytester) -> None:
        """--seam-report=term-missing prints each linked test with the evidence behind it.

        Integration Scope: linking, the terminal report with term-missing.
        Business Impact: A reader who disagrees with a link sees why it was made and can fix
            it with a marker instead of guessing.
        Success Criteria: the test line carries its evidence in brackets.
        """
        _project(pytester)
        result = pytester.runpytest("-p", "no:randomly", "--seam-report=term-missing")
        result.stdout.fnmatch_lines(
            [
                "  P2       verified  Cart → Pricing (tests/integration/TEST_PLAN.md:12)",
                "      tests/integration/test_cart_tree.py::test_named_by_file_tree  "
                "[tests/integration/TEST_PLAN.md names test_cart_tree.py in this seam's entry]",
            ]
        )

    def test_same_links_under_xdist_and_any_order(
        self, pytester: pytest.Pytester, run_json: RunJson
    ) -> None:
        """-n 2 and a random order give the same links, reasons and evidence as a plain run.

        Integration Scope: xdist workers sending docstring clues, pytest-randomly seeds.
        Business Impact: The coverage report must not depend on how the suite was run.
        Success Criteria: the links of -n 2 with a seed equal those of a plain run.
        """
        _project(pytester)
        _, plain = run_json("-p", "no:randomly")
        _, distributed = run_json("-n", "2", "-p", "randomly", "--randomly-seed=5", subprocess=True)
        assert _links(plain)
        assert _links(distributed) == _links(plain)


INFERENCE_PLAN = """\
# Plan

### 1. SEAM: Login API → UserRepository → Postgres
**Priority**: P0

### 2. SEAM: Orders API → OrderService → Redis Cache
**Priority**: P1

### 3. SEAM: Orders API → OrderService → Postgres
**Priority**: P1

### 4. SEAM: Notification Worker → SMTP Gateway
**Priority**: P2

### 5. SEAM: Renewal Flow
**Priority**: P2

### 6. SEAM: Renewal Integration
**Priority**: P3
"""


def _scoped_test(name: str, scope: str, seam_under_test: str = "", indent: str = "") -> str:
    extra = f"\n\n    Seam Under Test: {seam_under_test}" if seam_under_test else ""
    doc = (
        f"Checks one flow.{extra}\n\n    Integration Scope: {scope}\n"
        "    Business Impact: b\n    Success Criteria: c\n    "
    )
    lines = [f"def {name}({'self' if indent else ''}):", f'    """{doc}"""', "    assert True"]
    return "\n".join(indent + line.replace("\n", "\n" + indent) for line in lines) + "\n"


def _inference_project(pytester: pytest.Pytester) -> None:
    pytester.makepyprojecttoml('[tool.pytest.ini_options]\ntestpaths = ["tests"]\n')
    tests = (
        _scoped_test(
            "test_paraphrased_chain", "sign-in", seam_under_test="Auth API ↔ user repo (PG)"
        )
        + "\n\n"
        + _scoped_test("test_prose_scope", "OrderService writes the order and caches it in Redis")
        + "\n\n"
        + _scoped_test("test_two_seams_alike", "Orders API → OrderService")
        + "\n\n"
        + _scoped_test("test_unplanned", "Search index refresh after a bulk import")
        + "\n\nclass TestNotices:\n    '''Tests for Notification Worker -> SMTP Gateway.'''\n\n"
        + _scoped_test("test_stronger_evidence_wins", "Auth API ↔ user repo (PG)", indent="    ")
        + "\n\nclass TestRenewals:\n    '''Tests for Renewal.'''\n\n"
        + _scoped_test("test_loose_title_of_two_seams", "Renewal Flow", indent="    ")
    )
    path = pytester.path / "tests" / "integration"
    path.mkdir(parents=True)
    (path / "TEST_PLAN.md").write_text(INFERENCE_PLAN)
    (path / "test_accounts.py").write_text(_module("Accounts and orders.", tests))


class TestInferredLinks:
    """Class 5 of link evidence: a docstring describing a seam in its own words.

    Seam Under Test:
        docstring clues (Seam Under Test, Integration Scope) -> inference against the seams
        of the covering plans -> links with reason inferred and a score -> JSON report
    """

    def test_a_seam_described_in_other_words_links_when_it_stands_out(
        self, pytester: pytest.Pytester, run_json: RunJson
    ) -> None:
        """The most similar seam links when its score clears the threshold and the margin.

        Integration Scope: "Seam Under Test" and "Integration Scope" sections, the seam
            titles of one plan, the inference threshold and margin, the JSON report.
        Business Impact: Teams describe seams in their own words; without inference those
            tests count for no seam and tested seams show as untested.
        Success Criteria:
            - a paraphrased chain and a prose scope link with reason inferred and a score
            - two equally similar seams, and an unplanned integration, link nothing
            - a class docstring naming a seam outranks inference
            - a loose title matching two seams of one plan is a SEAM601 finding naming both
        """
        _inference_project(pytester)
        result, report = run_json("--collect-only", "-p", "no:randomly")
        assert result.ret == pytest.ExitCode.OK
        links = {
            link["nodeid"].split("::", 1)[1]: (seam["title"], link["reason"], link["score"])
            for seam in report["seams"]
            for link in seam["links"]
        }
        assert set(links) == {
            "test_paraphrased_chain",
            "test_prose_scope",
            "TestNotices::test_stronger_evidence_wins",
        }
        title, reason, score = links["test_paraphrased_chain"]
        assert (title, reason) == ("Login API → UserRepository → Postgres", "inferred")
        assert 0.5 <= score <= 1
        title, reason, score = links["test_prose_scope"]
        assert (title, reason) == ("Orders API → OrderService → Redis Cache", "inferred")
        assert links["TestNotices::test_stronger_evidence_wins"] == (
            "Notification Worker → SMTP Gateway",
            "docstring",
            None,
        )
        evidence = next(
            link["evidence"]
            for seam in report["seams"]
            for link in seam["links"]
            if link["nodeid"].endswith("test_paraphrased_chain")
        )
        assert evidence.startswith(
            "test docstring 'Seam Under Test: Auth API ↔ user repo (PG)' resembles "
            "'Login API → UserRepository → Postgres' (score 0."
        )
        [ambiguous] = [f for f in report["findings"] if f["code"] == "SEAM601"]
        assert ambiguous["nodeid"].endswith("TestRenewals::test_loose_title_of_two_seams")
        assert ambiguous["message"].startswith(
            "The class docstring's 'Tests for Renewal.' is ambiguous: it names seams "
            "'Renewal Flow' (line 15) and 'Renewal Integration' (line 18) of "
            "tests/integration/TEST_PLAN.md"
        )

    def test_seam_infer_links_false_turns_inference_off(
        self, pytester: pytest.Pytester, run_json: RunJson
    ) -> None:
        """With seam_infer_links = false only the four stronger classes link tests.

        Integration Scope: the seam_infer_links ini key, linking.
        Business Impact: A team that wants only explicit links can have them.
        Success Criteria: no link has reason inferred; the docstring link stays.
        """
        _inference_project(pytester)
        pytester.makepyprojecttoml(
            '[tool.pytest.ini_options]\ntestpaths = ["tests"]\nseam_infer_links = false\n'
        )
        result, report = run_json("--collect-only", "-p", "no:randomly")
        assert result.ret == pytest.ExitCode.OK
        reasons = [link["reason"] for seam in report["seams"] for link in seam["links"]]
        assert reasons == ["docstring"]

    def test_same_inferred_links_under_xdist_and_any_order(
        self, pytester: pytest.Pytester, run_json: RunJson
    ) -> None:
        """-n 2 with a random seed gives the same inferred links and scores as a plain run.

        Integration Scope: xdist workers sending Integration Scope clues, pytest-randomly.
        Business Impact: The coverage report must not depend on how the suite was run.
        Success Criteria: the seams' links of -n 2 with a seed equal those of a plain run.
        """
        _inference_project(pytester)
        _, plain = run_json("-p", "no:randomly")
        _, distributed = run_json("-n", "2", "-p", "randomly", "--randomly-seed=3", subprocess=True)
        assert [seam["links"] for seam in plain["seams"]] == [
            seam["links"] for seam in distributed["seams"]
        ]
        assert any(link["reason"] == "inferred" for s in plain["seams"] for link in s["links"])


AUTH_PLAN = """\
# Auth plan

### 1. SEAM: Login API → Session Store
**Priority**: P0

### 2. SEAM: Token Refresh → Session Store
**Priority**: P1
"""
MIGRATED_PLAN = """\
# Migrated tests

## 1. SEAM: Production Error Messages
**Priority**: P2

## 2. SEAM: Override Warnings
**Priority**: P3
"""


def _real_shapes_project(pytester: pytest.Pytester) -> None:
    pytester.makepyprojecttoml('[tool.pytest.ini_options]\ntestpaths = ["tests"]\n')
    folder = pytester.path / "tests" / "integration" / "auth"
    folder.mkdir(parents=True)
    (folder / "TEST_PLAN.md").write_text(AUTH_PLAN)
    (folder / "TEST_PLAN_migrated.md").write_text(MIGRATED_PLAN)
    # Drafts the final plan was merged from, listing its seams again.
    for draft in ("TEST_PLAN_DRAFT.md", "TEST_PLAN_2.md", "TEST_PLAN_REVIEW.md"):
        (folder / draft).write_text(AUTH_PLAN)
    files = {
        "test_login.py": _module(
            "Login.\n\nThis module tests SEAM 1: Login API → Session Store\nas defined in "
            "TEST_PLAN.md.",
            _test("test_numbered_with_its_title"),
        ),
        "test_warnings.py": _module(
            "Integration tests for override warning content (SEAM 2).", _test("test_told_apart")
        ),
        "test_numbers.py": _module("Covers SEAM 1.", _test("test_number_alone")),
        "test_title_lines.py": _module(
            "Title lines.",
            "class TestRefresh:\n    '''End-to-end integration tests for Token Refresh -> "
            "Session Store.'''\n\n"
            + _test("test_end_to_end_title", indent="    ")
            + "\n\nclass TestMessages:\n    '''Shared Contract Tests for production error "
            "messages.'''\n\n"
            + _test("test_contract_title", indent="    ")
            + "\n\nclass TestLogin:\n    '''Tests for Login API -> Session Store.'''\n\n"
            + _test("test_title_listed_by_drafts_too", indent="    "),
        ),
    }
    for name, text in files.items():
        (folder / name).write_text(text)


class TestRealPlanShapes:
    """Shapes of a real FastAPI backend's plans: drafts beside the final plan, two plans of a
    folder numbering their seams alike, title lines in other words.

    Seam Under Test:
        plan discovery (draft names) -> docstring clues (numbers with titles, title lines)
        -> linking by evidence strength -> JSON report
    """

    def test_drafts_are_skipped_and_a_shared_number_is_told_apart_by_its_title(
        self, pytester: pytest.Pytester, run_json: RunJson
    ) -> None:
        """Only the final plans count; a seam number followed by a title picks its plan.

        Integration Scope: plan discovery with TEST_PLAN_DRAFT/_2/_REVIEW beside TEST_PLAN.md,
            two plans of one folder, numbered references, title lines, the JSON report.
        Business Impact: Drafts doubled a real project's seams and made every exact title
            ambiguous; numbered references in two plans linked tests to four wrong seams.
        Success Criteria:
            - only TEST_PLAN.md and TEST_PLAN_migrated.md are read
            - each test links to the seam a reader picks, as docstring evidence
            - a bare seam number stays ambiguous: one SEAM601 naming both plans
        """
        _real_shapes_project(pytester)
        result, report = run_json("--collect-only", "-p", "no:randomly")
        assert result.ret == pytest.ExitCode.OK
        folder = "tests/integration/auth"
        assert {seam["plan"] for seam in report["seams"]} == {
            f"{folder}/TEST_PLAN.md",
            f"{folder}/TEST_PLAN_migrated.md",
        }
        assert _links(report) == {
            "test_numbered_with_its_title": [
                (
                    "Login API → Session Store",
                    "docstring",
                    "module docstring 'SEAM 1: Login API → Session Store'",
                )
            ],
            "test_told_apart": [
                (
                    "Override Warnings",
                    "docstring",
                    "module docstring 'SEAM 2', told apart by 'Integration tests for "
                    "override warning content (SEAM 2).'",
                )
            ],
            "TestRefresh::test_end_to_end_title": [
                (
                    "Token Refresh → Session Store",
                    "docstring",
                    "class docstring 'End-to-end integration tests for Token Refresh -> "
                    "Session Store.'",
                )
            ],
            "TestMessages::test_contract_title": [
                (
                    "Production Error Messages",
                    "docstring",
                    "class docstring 'Shared Contract Tests for production error messages.'",
                )
            ],
            "TestLogin::test_title_listed_by_drafts_too": [
                (
                    "Login API → Session Store",
                    "docstring",
                    "class docstring 'Tests for Login API -> Session Store.'",
                )
            ],
        }
        [ambiguous] = [f for f in report["findings"] if f["code"] == "SEAM601"]
        assert ambiguous["path"] == f"{folder}/test_numbers.py"
        assert "'SEAM 1' is ambiguous" in ambiguous["message"]
        assert f"{folder}/TEST_PLAN.md" in ambiguous["message"]
        assert f"{folder}/TEST_PLAN_migrated.md" in ambiguous["message"]
