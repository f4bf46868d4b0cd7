from __future__ import annotations

import dataclasses
import json
import random
from pathlib import Path

import pytest

from pytest_seams.plan import (
    DEFAULT_PRIORITY_WORDS,
    ParsedPlan,
    PlanSeam,
    normalize_title,
    parse_plan,
    slugify,
)

PLANS = Path(__file__).parent.parent / "data" / "plans"
SAMPLES = sorted(p for p in PLANS.glob("*.md") if p.name != "README.md")


def parse(text: str) -> ParsedPlan:
    return parse_plan(text, "TEST_PLAN.md")


def only(text: str) -> PlanSeam:
    plan = parse(text)
    assert plan.problems == []
    assert len(plan.seams) == 1, plan.seams
    return plan.seams[0]


def priorities(text: str) -> list[str | None]:
    return [seam.priority for seam in parse(text).seams]


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem)
def test_sample_plans(sample: Path) -> None:
    expected = json.loads(sample.with_suffix(".expected.json").read_text(encoding="utf-8"))
    plan = parse_plan(sample.read_text(encoding="utf-8"), str(sample))
    assert [{"title": s.title, "priority": s.priority} for s in plan.seams] == expected
    assert plan.problems == []
    assert plan.path == str(sample)
    assert all(seam.plan == str(sample) for seam in plan.seams)


def test_there_are_samples() -> None:
    assert len(SAMPLES) >= 5


# --- headings ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "heading",
    [
        "### 1. SEAM: A → B",
        "### 1. **SEAM**: A → B",
        "#### SEAM 3: A → B",
        "### Seam C — A → B",
        "### **SEAM**: A → B",
        "### **SEAM 1:** A → B",
        "### seam: A → B",
        "## SEAM \u2013 A → B",
        "### Seam - A → B",
        "### SEAM-3: A → B",
        "### SEAM #4: A → B",
        "### A) SEAM: A → B",
        "### 2.1 SEAM 2.1: A → B",
        "### 🔴 SEAM 4: A → B",
        "### **Seam 7** \u2013 A → B",
        "# SEAM: A → B",
    ],
)
def test_seam_heading_forms(heading: str) -> None:
    assert only(f"{heading}\n").title == "A → B"


def test_title_strips_emphasis_but_keeps_code_spans() -> None:
    seam = only("### SEAM: **Login** → `SessionStore` → _cache_\n")
    assert seam.title == "Login → `SessionStore` → cache"


def test_hyphen_in_title_after_hyphen_separator() -> None:
    assert only("### Seam - Read-through Cache - Redis\n").title == "Read-through Cache - Redis"


@pytest.mark.parametrize(
    "heading",
    [
        "### **Integration Seams Discovered:**",
        "## Seams",
        "## Integration Seams",
        "### Seam",
        "### Seam inventory",
        "### Seam-to-seam notes",
        "### 1. `test_initialization.py` - Initialization & Setup",
        "### Testing seams: overview",
        "### The seam: where it breaks",
    ],
)
def test_headings_that_only_mention_seams(heading: str) -> None:
    assert parse(f"{heading}\n\nSome text.\n") == ParsedPlan(
        path="TEST_PLAN.md", seams=[], problems=[]
    )


def test_seam_headings_inside_code_are_ignored() -> None:
    text = "# Plan\n\n```\n### SEAM: A → B\n```\n\n    ### SEAM: C → D\n\n> ### SEAM: E → F\n"
    assert parse(text).seams == []


@pytest.mark.parametrize(
    ("heading", "hint"),
    [
        ("### SEAM:", "has no title"),
        ("### 2. **SEAM**:   ", "has no title"),
        ("### SEAM: **", "has no title"),
        ("### SEAM 3", "no ':'"),
        ("### SEAM 3 A → B", "no ':'"),
    ],
)
def test_unreadable_seam_heading_is_a_problem(heading: str, hint: str) -> None:
    plan = parse(f"# Plan\n\n{heading}\n**Priority**: P0\n\n### SEAM: C → D\n")
    assert [seam.title for seam in plan.seams] == ["C → D"]
    assert len(plan.problems) == 1
    problem = plan.problems[0]
    assert (problem.plan, problem.line) == ("TEST_PLAN.md", 3)
    assert hint in problem.message
    assert "e.g." in problem.message  # says how to fix it


# --- priority ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "field",
    [
        "**Priority**: P1",
        "**PRIORITY:** HIGH",
        "Priority: P1",
        "- Priority: P1",
        "- **Priority**: High (data loss)",
        "**Priority** — SHOULD",
        "Priority: 1",
        "#### Priority\nP1",
    ],
)
def test_priority_from_a_field_in_the_body(field: str) -> None:
    assert only(f"### SEAM: A → B\n\nSome context.\n\n{field}\n").priority == "P1"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("**CRITICAL PRIORITY** - every request depends on it", "P0"),
        ("**HIGH PRIORITY** - guards all private data", "P1"),
        ("**MEDIUM PRIORITY** - hygiene", "P2"),
        ("**LOW PRIORITY**", "P3"),
        ("**P2** - nice to have", "P2"),
    ],
)
def test_priority_from_a_bold_line_under_the_heading(line: str, expected: str) -> None:
    assert only(f"### SEAM: A → B\n{line}\n").priority == expected


def test_bold_line_must_name_a_priority_within_the_first_lines() -> None:
    assert only("### SEAM: A → B\n**CRITICAL USER JOURNEY:** login\n").priority is None
    assert only("### SEAM: A → B\nContext first.\n\n**HIGH PRIORITY**\n").priority == "P1"
    assert only("### SEAM: A → B\n**STATUS: DONE**\n**PRIORITY: MEDIUM**\n").priority == "P2"
    assert only("### SEAM: A → B\n**PRIORITY: LOW**\n").priority == "P3"
    later = "### SEAM: A → B\n" + "A line of context.\n" * 5 + "**HIGH PRIORITY**\n"
    assert only(later).priority is None  # past the first five lines: prose, not a label


@pytest.mark.parametrize(
    "section",
    [
        "## Critical Integration Points Identified",
        "## Critical Path Integration Tests",
        "## High Availability",
        "## Low-Latency Paths",
    ],
)
def test_heading_that_merely_contains_a_priority_word_sets_none(section: str) -> None:
    assert only(f"{section}\n\n### SEAM: A → B\n").priority is None


def test_priority_tag_in_the_heading() -> None:
    assert only("### SEAM 2 (P0): A → B\n").priority == "P0"
    assert only("### SEAM [low]: A → B\n").priority == "P3"


@pytest.mark.parametrize(
    ("section", "expected"),
    [
        ("## P0 - Must Have (Critical Path)", "P0"),
        ("## Critical (P0)", "P0"),
        ("## P1 - Should Have (Important)", "P1"),
        ("### Priority 1: HIGH (Data Loss Risks)", "P1"),
        ("### Priority 1: CRITICAL", "P0"),  # the word wins over the number
        ("### Priority 2", "P2"),  # no word: Priority N is PN
        ("## Could Have", "P2"),
        ("## Low", "P3"),
        ("## Deferred/Eliminated", "deferred"),
        ("## Won't Have (this release)", "deferred"),
        ("## Won\u2019t Have", "deferred"),
        ("## Out of Scope", "deferred"),
        ("## Deferred", "deferred"),
        ("## High Priority Seams", "P1"),
        ("## Low-Priority Tests", "P3"),
        ("## P2: Nice to Have", "P2"),
        ("## High-Level Architecture", None),
        ("## Integration Test Scenarios", None),
    ],
)
def test_priority_from_the_enclosing_section(section: str, expected: str | None) -> None:
    assert priorities(f"# Plan\n\n{section}\n\n#### SEAM: A → B\nText.\n") == [expected]


def test_nearest_section_with_a_priority_wins() -> None:
    text = (
        "# Plan\n\n## P0 seams\n\n### Payments\n\n#### SEAM: A → B\n\n"
        "### Low priority corner\n\n#### SEAM: C → D\n\n## Notes\n\n### SEAM: E → F\n"
    )
    assert priorities(text) == ["P0", "P3", None]


def test_section_priority_ends_with_its_section() -> None:
    text = "## P1\n\n### SEAM: A → B\n\n## Appendix\n\n### SEAM: C → D\n"
    assert priorities(text) == ["P1", None]


def test_precedence_is_nearest_first() -> None:
    base = "## Deferred\n\n### SEAM [P3]: A → B\n"
    assert priorities(base + "**HIGH PRIORITY**\n\n**Priority**: P0\n") == ["P0"]
    assert priorities(base + "**HIGH PRIORITY**\n\nText.\n") == ["P1"]
    assert priorities(base + "Text.\n") == ["P3"]
    assert priorities("## Deferred\n\n### SEAM: A → B\nText.\n") == ["deferred"]


def test_unreadable_field_falls_through_to_the_next_source() -> None:
    assert priorities("## P2\n\n### SEAM: A → B\n**Priority**: TBD\n") == ["P2"]


def test_no_priority_anywhere_is_none() -> None:
    assert only("# Plan\n\n## Seams\n\n### SEAM: A → B\nText.\n").priority is None


@pytest.mark.parametrize(("word", "expected"), sorted(DEFAULT_PRIORITY_WORDS.items()))
def test_default_word_table(word: str, expected: str) -> None:
    assert only(f"### SEAM: A → B\n- **Priority**: {word.title()}\n").priority == expected


def test_default_word_table_contents() -> None:
    assert DEFAULT_PRIORITY_WORDS["CRITICAL"] == "P0"
    assert DEFAULT_PRIORITY_WORDS["HIGH"] == "P1"
    assert DEFAULT_PRIORITY_WORDS["COULD"] == "P2"
    assert DEFAULT_PRIORITY_WORDS["LOW"] == "P3"
    assert DEFAULT_PRIORITY_WORDS["OUT OF SCOPE"] == "deferred"
    assert all(word == word.upper() for word in DEFAULT_PRIORITY_WORDS)


@pytest.mark.parametrize(("value", "expected"), [("P3", "P3"), ("p0", "P0"), ("High (P2)", "P2")])
def test_explicit_priority_stands_as_written(value: str, expected: str) -> None:
    assert only(f"### SEAM: A → B\n**Priority**: {value}\n").priority == expected


def test_custom_word_table_replaces_the_default() -> None:
    text = "## Blocker\n\n### SEAM: A → B\n\n## High\n\n### SEAM: C → D\n**Priority**: nice\n"
    plan = parse_plan(text, "plan.md", priority_words={"blocker": "P0", "Nice": "P3"})
    assert [seam.priority for seam in plan.seams] == ["P0", "P3"]
    assert priorities(text) == [None, "P1"]


def test_empty_custom_word_table_keeps_explicit_priorities() -> None:
    plan = parse_plan("## High\n\n### SEAM: A → B\n**Priority**: P1\n", "p.md", priority_words={})
    assert [seam.priority for seam in plan.seams] == ["P1"]
    plan = parse_plan("## High\n\n### SEAM: A → B\n", "p.md", priority_words={})
    assert [seam.priority for seam in plan.seams] == [None]


# --- tables -----------------------------------------------------------------------------------

TABLE = """# Plan

## P2 - Could Have

| ID | Seam | Priority | Components | Test file / Location | Status |
|----|------|----------|------------|----------------------|--------|
| S-1 | **API** → Service | P0 | `GET /x`, Service (real) | `tests/integration/test_api.py` | done |
| S-2 | Service → DB | High | | tests/integration/test_db.py::test_commit | planned |
| | Job → Queue | | | | |
| S-4 | Worker → Queue | P1 | | | Deferred |
"""


def test_table_rows_are_seams() -> None:
    plan = parse(TABLE)
    assert plan.problems == []
    assert [(s.id, s.title, s.priority, s.line) for s in plan.seams] == [
        ("S-1", "API → Service", "P0", 7),
        ("S-2", "Service → DB", "P1", 8),
        ("job-queue", "Job → Queue", "P2", 9),  # no ID: slug; no priority: the section
        ("S-4", "Worker → Queue", "deferred", 10),  # a deferred Status outranks Priority
    ]


def test_table_components_and_test_files() -> None:
    first, second, third, _ = parse(TABLE).seams
    assert first.components == ["GET /x", "Service (real)"]
    assert second.components == ["Service", "DB"]
    assert first.test_files == ["tests/integration/test_api.py"]
    assert second.test_files == ["tests/integration/test_db.py"]
    assert third.test_files == []
    assert first.scenarios == []
    assert first.business_impact is None


def test_tables_without_a_seam_column_are_ignored() -> None:
    text = "| Term | Meaning |\n|---|---|\n| Index client | wrapper |\n"
    assert parse(text).seams == []


def test_table_cell_may_carry_the_seam_label() -> None:
    text = "| Seam | Priority |\n|---|---|\n| SEAM 1: A → B | low |\n| | |\n"
    assert [(s.title, s.priority) for s in parse(text).seams] == [("A → B", "P3")]


def test_table_inside_a_list_item_is_read() -> None:
    text = "- Seams:\n\n  | Seams | Priority |\n  |---|---|\n  | A → B | P1 |\n"
    assert [(s.title, s.priority, s.line) for s in parse(text).seams] == [("A → B", "P1", 5)]


# --- ids, components, files, scenarios, impact, lines ----------------------------------------


def test_id_is_a_slug_of_the_title() -> None:
    assert only("### SEAM: Login Endpoint → Session Store → Cache\n").id == (
        "login-endpoint-session-store-cache"
    )


@pytest.mark.parametrize("field", ["ID: S-3", "- **ID**: `S-3`", "**Seam ID:** S-3"])
def test_explicit_id_field(field: str) -> None:
    assert only(f"### SEAM: A → B\n{field}\n").id == "S-3"


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Login Endpoint → Session Store → Cache", "login-endpoint-session-store-cache"),
        ("API -> `OrderService` ⟶ database", "api-orderservice-database"),
        ("  **Upload** API => S3 (MinIO)!  ", "upload-api-s3-minio"),
        ("snake_case → Café", "snake-case-café"),
        ("→ → ", ""),
    ],
)
def test_slugify(title: str, slug: str) -> None:
    assert slugify(title) == slug


def test_normalize_title_ignores_case_punctuation_arrows_and_markup() -> None:
    variants = [
        "Login Endpoint → Session Store",
        "login endpoint -> session store",
        "**Login Endpoint** ⟶ `Session Store`",
        "LOGIN ENDPOINT — SESSION STORE.",
    ]
    assert {normalize_title(v) for v in variants} == {"login endpoint session store"}
    assert normalize_title("Login → Store") != normalize_title("Logout → Store")


@pytest.mark.parametrize(
    ("field", "expected"),
    [
        ("**COMPONENTS:** `POST /login` → `SessionStore` → cache client (fakeredis)",
         ["POST /login", "SessionStore", "cache client (fakeredis)"]),
        ("**Components**: `POST /uploads`, `Scanner` (faked at its socket, not mocked), store",
         ["POST /uploads", "Scanner (faked at its socket, not mocked)", "store"]),
        ("- Components: a; b -> c", ["a", "b", "c"]),
        ("**Components**:\n\n- API gateway\n- `Billing`", ["API gateway", "Billing"]),
    ],
)  # fmt: skip
def test_components_from_a_field(field: str, expected: list[str]) -> None:
    assert only(f"### SEAM: X → Y\n{field}\n").components == expected


def test_components_default_to_the_title_parts() -> None:
    assert only("### SEAM: API -> Service ⟶ `db` → Cache\n").components == [
        "API",
        "Service",
        "db",
        "Cache",
    ]
    assert only("### SEAM: Nightly export\n").components == ["Nightly export"]


def test_test_files_from_the_body() -> None:
    """A seam's test files are those its section names as its own: a location field, a
    "# File:" line in a fenced block, a file tree; not a file mentioned in prose."""
    text = (
        "### SEAM: A → B\n"
        "Consider adding cases to `test_login_integration.py` and tests/integration/test_x.py.\n\n"
        "- **Test file**: `tests/integration/test_login_integration.py::test_ok`\n"
        "- **Implementation file**: `test_impl.py`, not `conftest` or test_x.pyc\n\n"
        "```python\n# File: tests/integration/test_fenced.py\nimport tests/test_in_code.py\n```\n\n"
        "```\ntests/\n└── test_tree.py\n```\n\n"
        "### SEAM: C → D\n`test_other.py`\n\n**Output file**: test_out.py\n"
    )
    first, second = parse(text).seams
    assert first.test_files == [
        "tests/integration/test_login_integration.py",
        "test_impl.py",
        "tests/integration/test_fenced.py",
        "test_tree.py",
    ]
    assert second.test_files == ["test_out.py"]


@pytest.mark.parametrize(
    "label", ["Scenarios", "Test Scenarios", "Success Criteria", "Critical Paths"]
)
def test_scenarios_labels(label: str) -> None:
    seam = only(f"### SEAM: A → B\n**{label.upper()}:**\n- first\n- `second` one\n")
    assert seam.scenarios == ["first", "`second` one"]


def test_scenarios_in_all_shapes_are_collected_in_order() -> None:
    text = (
        "### SEAM: A → B\n\n"
        "**Scenarios**:\n\n1. ordered one\n2. ordered two\n\n"
        "- **Success Criteria**:\n  * nested one\n    - not a separate scenario\n"
        "- **Source**: review\n\n"
        "#### Test Scenarios\n\n- under a sub-heading\n\n"
        "Critical Paths: a single inline path\n\n"
        "#### Notes\n\n- not a scenario\n"
    )
    assert only(text).scenarios == [
        "ordered one",
        "ordered two",
        "nested one",
        "under a sub-heading",
        "a single inline path",
    ]


def test_scenarios_stop_at_the_next_section() -> None:
    text = "## P1\n\n### SEAM: A → B\nText.\n\n## Success Criteria\n- all seams pass\n"
    assert only(text).scenarios == []


@pytest.mark.parametrize(
    "body",
    [
        "**BUSINESS IMPACT:** users cannot sign in",
        "- **Business Impact**: users cannot sign in",
        "#### Business Impact\n\nusers cannot sign in",
        "**Business Impact**:\nusers cannot sign in",
    ],
)
def test_business_impact(body: str) -> None:
    assert only(f"### SEAM: A → B\n{body}\n").business_impact == "users cannot sign in"


def test_business_impact_absent_is_none() -> None:
    assert only("### SEAM: A → B\nText.\n").business_impact is None


def test_line_numbers_are_one_based() -> None:
    text = "# Plan\n\nIntro.\n\n### SEAM: A → B\n\n| Seam |\n|---|\n| C → D |\n\n## SEAM: E → F\n"
    assert [(s.title, s.line) for s in parse(text).seams] == [
        ("A → B", 5),
        ("C → D", 9),
        ("E → F", 11),
    ]


def test_multiline_field_paragraph() -> None:
    seam = only(
        "### SEAM: A → B\n**COMPONENTS:** a → b\n**CRITICAL USER JOURNEY:** x → y\n"
        "**BUSINESS IMPACT:** lost orders\n**Priority**: low\n"
    )
    assert (seam.components, seam.business_impact, seam.priority) == (
        ["a", "b"],
        "lost orders",
        "P3",
    )


# --- problems and bad input -------------------------------------------------------------------


def test_duplicate_ids_are_a_problem_and_the_first_seam_wins() -> None:
    text = (
        "### SEAM: A → B\n**Priority**: P0\n\n### SEAM: a -> b\n**Priority**: P3\n\n"
        "| ID | Seam |\n|---|---|\n| S-1 | C → D |\n| S-1 | E → F |\n"
    )
    plan = parse(text)
    assert [(s.id, s.priority) for s in plan.seams] == [("a-b", "P0"), ("S-1", None)]
    assert [(p.line, p.plan) for p in plan.problems] == [(4, "TEST_PLAN.md"), (10, "TEST_PLAN.md")]
    assert "same id 'a-b'" in plan.problems[0].message
    assert "line 1" in plan.problems[0].message
    assert "distinct" in plan.problems[0].message


def test_not_a_plan_has_no_seams_and_no_problems() -> None:
    plan = parse((PLANS / "not-a-plan.md").read_text(encoding="utf-8"))
    assert (plan.seams, plan.problems) == ([], [])


@pytest.mark.parametrize(
    "text",
    [
        "",
        "\x00\x01\x02### SEAM",
        "\ufffd" * 100,
        ">" * 5000 + " SEAM: A",
        "- " * 3000 + "SEAM: x",
        "[" * 20000,
        "| Seam |\n|---|\n" + "|\n" * 50,
        "\udcff\udcfe surrogates",
    ],
)
def test_garbage_gives_no_seams(text: str) -> None:
    assert parse(text).seams == []


def test_random_bytes_never_raise() -> None:
    rng = random.Random(1234)
    for _ in range(200):
        data = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 600)))
        for text in (data.decode("utf-8", "replace"), data.decode("latin-1")):
            plan = parse(text)
            assert isinstance(plan, ParsedPlan)


def test_models_are_frozen() -> None:
    seam = only("### SEAM: A → B\n")
    with pytest.raises(dataclasses.FrozenInstanceError):
        seam.title = "other"
    problem = parse("### SEAM:\n").problems[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        problem.line = 3


def test_full_seam_round_trip() -> None:
    seam = parse_plan("## P1\n\n### SEAM: API → DB\n- ID: S-9\n", "docs/TEST_PLAN.md").seams[0]
    assert dataclasses.asdict(seam) == {
        "id": "S-9",
        "title": "API → DB",
        "priority": "P1",
        "components": ["API", "DB"],
        "business_impact": None,
        "scenarios": [],
        "test_files": [],
        "plan": "docs/TEST_PLAN.md",
        "line": 3,
        "number": None,
    }


SEAM_LINKING = Path(__file__).parent.parent / "data" / "seam-linking"


@pytest.mark.parametrize(
    "plan",
    sorted(json.loads((SEAM_LINKING / "expected.json").read_text(encoding="utf-8"))["plans"]),
)
def test_seam_linking_sample_plans(plan: str) -> None:
    """Every seam of the seam-linking sample's plans, with its title, priority and line."""
    expected = json.loads((SEAM_LINKING / "expected.json").read_text(encoding="utf-8"))
    parsed = parse_plan((SEAM_LINKING / plan).read_text(encoding="utf-8"), plan)
    assert parsed.problems == []
    assert [
        {"title": seam.title, "priority": seam.priority, "line": seam.line} for seam in parsed.seams
    ] == expected["plans"][plan]


SUMMARY_AND_SECTIONS = """\
# Plan

| # | Seam | Components Involved | Priority | Test file |
|---|------|---------------------|----------|-----------|
| 1 | Renewal Flow | `LoanService.renew`, `Loan` | P3 | `test_renewals.py` |
| 2 | Checkout -> Catalog | `LoanService`, `Catalog` | P2 | — |
| 3 | Desk -> Ledger | `Desk`, `Ledger` | P1 | — |
| 4 | Only In The Table | `A`, `B` | P0 | — |

## Critical Integration Points Identified

### 1. SEAM: Renewal Flow Integration

**Priority**: P1

#### TEST 1.1: Renewing extends the due date

### 2. SEAM: **Checkout → Catalog** Seam

Checkout and catalog move together.

## P2 - Could Have

### 3. SEAM: Desk → Ledger
"""


def test_a_table_row_and_its_section_are_one_seam() -> None:
    plan = parse(SUMMARY_AND_SECTIONS)
    assert plan.problems == []  # no duplicate-id finding for a seam described twice
    seams = [(s.title, s.priority, s.line) for s in plan.seams]
    assert seams == [
        ("Only In The Table", "P0", 8),  # a table-only seam stays at its row
        ("Renewal Flow Integration", "P1", 12),  # the section's own label wins
        ("Checkout → Catalog Seam", "P2", 18),  # no own label: the table's column
        ("Desk → Ledger", "P1", 24),  # the table's column before the priority heading
    ]
    renewal = plan.seams[1]
    assert renewal.components == ["LoanService.renew", "Loan"]  # "Components Involved"
    assert renewal.test_files == ["test_renewals.py"]
    assert renewal.id == slugify("Renewal Flow Integration")


SHORTENED_SUMMARY = """\
# Encryption plan

| Seam | Components Involved | Priority |
|------|---------------------|----------|
| **Encryption Pipeline Integration** | `EncryptedCacheLayer` → Redis | HIGH |
| **Key Management Integration** | `create_with_generated_key` → Key generation | MEDIUM |
| **Environment Configuration Integration** | env vars → `EncryptedCacheLayer` | HIGH |
| **Error Handling Integration** | `ConfigurationError` → callers | HIGH |

### 1. SEAM: Encryption Pipeline End-to-End Integration

### 2. SEAM: Environment Configuration and Key Management Integration

### 3. SEAM: Error Handling and Exception Propagation Integration

### 4. SEAM: Key Generation and Management Integration
"""


def test_summary_rows_pair_with_the_longer_section_titles_they_shorten() -> None:
    """A row whose words are all in one section's title is that section; "Key Management" is in
    sections 2 and 4 until the row "Environment Configuration" takes section 2."""
    plan = parse(SHORTENED_SUMMARY)
    assert plan.problems == []
    assert [(s.title, s.priority, s.line) for s in plan.seams] == [
        ("Encryption Pipeline End-to-End Integration", "P1", 10),
        ("Environment Configuration and Key Management Integration", "P1", 12),
        ("Error Handling and Exception Propagation Integration", "P1", 14),
        ("Key Generation and Management Integration", "P2", 16),
    ]
    assert plan.seams[0].components == ["EncryptedCacheLayer", "Redis"]


RENAMED_SUMMARY = """\
# Environment plan

| Seam | Components Involved | Priority |
|------|---------------------|----------|
| **Module Initialization** | Module import → Global detector | HIGH |
| **Cache Preset Recommendation** | `CachePresetManager` → `EnvironmentDetector` | MEDIUM |
| **Resilience Preset Recommendation** | `ResiliencePresetManager` → `EnvironmentDetector` | LOW |
| **Multi-Context Environment Detection** | `EnvironmentDetector` → contexts | HIGH |

### 1. SEAM: Module Initialization and Service Integration

### 2. SEAM: Multi-Context Environment Detection

### 3. SEAM: Cache Preset Environment-Aware Configuration

### 4. SEAM: Resilience Preset Environment-Aware Configuration
"""


def test_a_summary_row_renamed_in_its_section_pairs_by_title_and_components() -> None:
    """When most rows pair by title, the rest pair with the section they resemble as an
    inferred link must: "Cache Preset Recommendation" is "Cache Preset Environment-Aware
    Configuration", told from the resilience one by "cache"."""
    plan = parse(RENAMED_SUMMARY)
    assert plan.problems == []
    assert [(s.title, s.priority) for s in plan.seams] == [
        ("Module Initialization and Service Integration", "P1"),
        ("Multi-Context Environment Detection", "P1"),
        ("Cache Preset Environment-Aware Configuration", "P2"),
        ("Resilience Preset Environment-Aware Configuration", "P3"),
    ]


def test_a_table_of_other_seams_than_the_sections_stays_separate() -> None:
    """Rows that name no section's words are seams of their own, however many."""
    plan = parse(
        "| Seam | Priority |\n|---|---|\n| Payments → Ledger | P0 |\n| Search Index | P2 |\n\n"
        "### 1. SEAM: Login API → Users\n\n### 2. SEAM: Orders → Stock\n"
    )
    assert [s.title for s in plan.seams] == [
        "Payments → Ledger",
        "Search Index",
        "Login API → Users",
        "Orders → Stock",
    ]
