from __future__ import annotations

import pytest

from pytest_seams.docstrings import check_contract, is_placeholder_only, parse_sections

REQUIRED = ("Integration Scope", "Business Impact", "Success Criteria")
INHERITED = ("Seam Under Test", "Critical Paths")


def sections(docstring: str) -> dict[str, tuple[int, str]]:
    return {s.name: (s.line, s.body) for s in parse_sections(docstring)}


def test_indented_and_same_line_bodies() -> None:
    doc = """Summary line.

        Integration Scope:
            API -> Service
            Service -> Cache

        Business Impact: Orders are not lost.
            Continued here.
        """
    assert sections(doc) == {
        "Integration Scope": (2, "API -> Service\nService -> Cache"),
        "Business Impact": (6, "Orders are not lost.\nContinued here."),
    }


def test_first_line_section_with_indented_rest() -> None:
    doc = """Integration Scope: API.
    Business Impact: money.
    """
    assert sections(doc) == {"Integration Scope": (0, "API."), "Business Impact": (1, "money.")}


def test_flat_body_under_heading_runs_to_blank_line() -> None:
    doc = """Summary.

    Success Criteria:
    Row exists
    Cache cleared

    Trailing prose.
    """
    assert sections(doc)["Success Criteria"] == (2, "Row exists\nCache cleared")


def test_bullets_with_colons_stay_in_the_body() -> None:
    doc = """Summary.

    Critical Paths:
        - Path 1: cache miss
        - Path 2: cache hit
    """
    assert sections(doc) == {"Critical Paths": (2, "- Path 1: cache miss\n- Path 2: cache hit")}


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("[List components being integrated]", True),
        ("[Why this integration matters]", True),
        ("- [Path 1]: [Description]", True),
        ("[Component A] → [Component B] → [Component C]", True),
        ("- [Observable outcome 1]\n- [Observable outcome 2]", True),
        ("TODO", True),
        ("TBD.", True),
        ("...", True),
        ("API → [Component B]", False),
        ("cache[0] is returned", False),
        ("d[key] holds the value", False),
        ("Orders persist", False),
        ("", False),
    ],
)
def test_placeholder_detection(body: str, expected: bool) -> None:
    assert is_placeholder_only(body) is expected


def test_contract_codes_and_lines() -> None:
    doc = """Summary.

    Integration Scope:
    Success Criteria: [Observable outcome 1]
    """
    breaches = check_contract(doc, (), REQUIRED, INHERITED)
    assert [(b.code.code, b.line) for b in breaches] == [
        ("SEAM103", 2),
        ("SEAM102", None),
        ("SEAM104", 3),
    ]


def test_section_names_match_case_insensitively() -> None:
    doc = """Summary.

    integration scope: API
    BUSINESS IMPACT: money
    Success  Criteria: rows
    """
    assert check_contract(doc, (), REQUIRED, INHERITED) == ()


def test_inherited_section_from_outer_docstring_but_not_placeholder() -> None:
    required = ("Seam Under Test",)
    assert check_contract("Doc.", ("Seam Under Test: A -> B",), required, INHERITED) == ()
    placeholder = ("Seam Under Test:\n    [Component A] → [Component B]",)
    assert [b.code.code for b in check_contract("Doc.", placeholder, required, INHERITED)] == [
        "SEAM102"
    ]
    assert [b.code.code for b in check_contract("Doc.", ("Business Impact: x",), REQUIRED, ())] == [
        "SEAM102",
        "SEAM102",
        "SEAM102",
    ]
