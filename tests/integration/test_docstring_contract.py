"""Integration tests for the docstring contract, through real pytest sessions."""

from __future__ import annotations

import pytest

from tests.conftest import COMPLETE_DOCSTRING, RunJson, codes_by_test


class TestDocstringContract:
    """The contract that integration test docstrings are held to.

    Seam Under Test:
        pytest collection -> docstring contract -> findings -> JSON report
    """

    def test_each_way_to_fail_is_found_and_complete_docstrings_pass(
        self, pytester: pytest.Pytester, run_json: RunJson
    ) -> None:
        """Every way a docstring can fail the contract gives its own finding, at the right line.

        Integration Scope: collection of tests/integration, contract check, JSON report writer.
        Business Impact: Teams rely on the report to enforce documentation before merge.
        Success Criteria:
            - no docstring, missing, empty and placeholder sections each give their code
            - complete docstrings and unit tests give no finding
            - each finding points at the def line or the section heading
        """
        pytester.makepyfile(
            **{
                "tests/integration/test_orders": f'''
def test_no_docstring():
    assert True

def test_missing_sections():
    """Only a scope.

    Integration Scope:
        API -> DB
    """

def test_empty_section():
    """Empty scope.

    Integration Scope:
    Business Impact: Orders persist.
    Success Criteria:
        - a row exists
    """

def test_placeholder_section():
    """Template left unfilled.

    Integration Scope:
        [List components being integrated]
    Business Impact:
        [Why this integration matters]
    Success Criteria: TODO
    """

def test_complete():
    {COMPLETE_DOCSTRING}
''',
                "tests/unit/test_pure": "def test_unit_without_docstring():\n    assert 1\n",
            }
        )
        result, report = run_json()
        result.assert_outcomes(passed=6)
        assert codes_by_test(report) == {
            "test_no_docstring": ["SEAM101"],
            "test_missing_sections": ["SEAM102", "SEAM102"],
            "test_empty_section": ["SEAM103"],
            "test_placeholder_section": ["SEAM104", "SEAM104", "SEAM104"],
        }
        lines = {(f["nodeid"].rpartition("::")[2], f["line"]) for f in report["findings"]}
        assert ("test_no_docstring", 1) in lines
        assert ("test_missing_sections", 5) in lines
        assert ("test_empty_section", 14) in lines
        assert ("test_placeholder_section", 23) in lines
        contract = [f for f in report["findings"] if f["category"] == "docstring"]
        messages = " ".join(f["message"] for f in contract)
        assert '"Business Impact"' in messages
        assert '"Success Criteria"' in messages
        assert all(f["path"] == "tests/integration/test_orders.py" for f in contract)
        integration = {t["nodeid"].rpartition("::")[2]: t["integration"] for t in report["tests"]}
        assert integration["test_unit_without_docstring"] is False
        assert integration["test_complete"] is True

    def test_marker_makes_a_test_integration_anywhere(
        self, pytester: pytest.Pytester, run_json: RunJson
    ) -> None:
        """A test marked integration outside an integration folder is held to the contract.

        Integration Scope: marker lookup, integration classification, contract check.
        Business Impact: Teams that mark rather than move tests still get the checks.
        Success Criteria: the marked test is reported, the unmarked one is not.
        """
        pytester.makepyfile(
            test_mixed="""
import pytest

@pytest.mark.integration
def test_marked():
    pass

def test_plain():
    pass
"""
        )
        result, report = run_json("--strict-markers")
        result.assert_outcomes(passed=2)
        assert codes_by_test(report) == {"test_marked": ["SEAM101"]}

    def test_a_parametrized_test_is_reported_once_for_its_one_docstring(
        self, pytester: pytest.Pytester, run_json: RunJson
    ) -> None:
        """The cases of a parametrized test share one docstring, hence one finding.

        Integration Scope: collection of parametrized items, contract check, suppression marker.
        Business Impact: Ten cases of one undocumented test are one thing to fix, not ten
            findings to wade through.
        Success Criteria:
            - one SEAM101 finding, named by the test's node id without parameters
            - a case marked integration makes the whole function's docstring count
            - a seam_ignore marker on one case suppresses the function's finding
        """
        pytester.makepyfile(
            test_params="""
import pytest

@pytest.mark.integration
@pytest.mark.parametrize("n", range(10))
def test_cases(n):
    assert n >= 0

@pytest.mark.parametrize("n", [1, pytest.param(2, marks=pytest.mark.integration)])
def test_one_case_marked(n):
    assert n

@pytest.mark.integration
@pytest.mark.parametrize("n", [1, pytest.param(2, marks=pytest.mark.seam_ignore("SEAM101"))])
def test_one_case_ignored(n):
    assert n
"""
        )
        result, report = run_json("--strict-markers")
        result.assert_outcomes(passed=14)
        docstring = sorted(
            (f["code"], f["nodeid"]) for f in report["findings"] if f["category"] == "docstring"
        )
        assert docstring == [
            ("SEAM101", "test_params.py::test_cases"),
            ("SEAM101", "test_params.py::test_one_case_marked"),
        ]

    def test_inherited_sections_may_come_from_class_or_module(
        self, pytester: pytest.Pytester, run_json: RunJson
    ) -> None:
        """Seam Under Test may come from the class docstring, required sections may not.

        Integration Scope: settings from ini, class and module docstrings, the contract.
        Business Impact: The template puts Seam Under Test on the class; it must count there.
        Success Criteria:
            - Seam Under Test on the class or module satisfies the requirement
            - Business Impact on the class does not: it must be on the test
        """
        pytester.makeini(
            """
[pytest]
seam_required_sections = Integration Scope, Seam Under Test
"""
        )
        pytester.makepyfile(
            **{
                "tests/integration/test_inherit": '''
"""Module without seam."""

class TestWithSeam:
    """Orders.

    Seam Under Test:
        API -> Cache
    """

    def test_in_class(self):
        """Scope only.

        Integration Scope: API
        """

def test_module_level():
    """Scope only.

    Integration Scope: API
    """
''',
                "tests/integration/test_module_seam": '''
"""Orders.

Seam Under Test: API -> Cache
"""

def test_module_provides_seam():
    """Scope only.

    Integration Scope: API
    """
''',
            }
        )
        _, report = run_json()
        assert codes_by_test(report) == {"test_module_level": ["SEAM102"]}
        contract = [f for f in report["findings"] if f["category"] == "docstring"]
        assert "Seam Under Test" in contract[0]["message"]

    def test_required_sections_are_configurable_on_the_command_line(
        self, pytester: pytest.Pytester, run_json: RunJson
    ) -> None:
        """The command line replaces the ini list of required sections.

        Integration Scope: command-line option, ini option, precedence, the contract.
        Business Impact: Teams choose their own documentation standard.
        Success Criteria: only the section named on the command line is required.
        """
        pytester.makeini("[pytest]\nseam_required_sections = Business Impact\n")
        pytester.makepyfile(
            **{
                "tests/integration/test_one": '''
def test_documented():
    """Doc.

    test strategy: call the API
    """
'''
            }
        )
        _, report = run_json("--seam-required-sections=Test Strategy")
        assert codes_by_test(report) == {}
        _, report = run_json()
        assert codes_by_test(report) == {"test_documented": ["SEAM102"]}
