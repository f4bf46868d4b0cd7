"""Integration tests for suppressions: inline comments, markers, per-path settings."""

from __future__ import annotations

import pytest

from tests.conftest import RunJson, codes_by_test


class TestSuppression:
    """Silencing findings on purpose, and catching suppressions that rot.

    Seam Under Test:
        source comments / markers / ini -> suppression matching -> findings
    """

    def test_each_kind_of_suppression_silences_its_finding(
        self, pytester: pytest.Pytester, run_json: RunJson
    ) -> None:
        """A comment, a test marker, a class marker and a per-path setting each suppress.

        Integration Scope: tokenizer-based comment reading, marker lookup, ini globs.
        Business Impact: Legacy tests can be adopted step by step without noise.
        Success Criteria:
            - suppressed tests give no finding; the unsuppressed one still does
            - a comment naming another code does not suppress
        """
        pytester.makeini("[pytest]\nseam_per_path_ignores = tests/integration/legacy/*: SEAM101\n")
        pytester.makepyfile(
            **{
                "tests/integration/test_flow": '''
import pytest

def test_comment():  # seams: ignore[SEAM101]
    pass

def test_bare_comment():  # seams: ignore
    pass

def test_other_code():  # seams: ignore[SEAM104]
    pass

@pytest.mark.seam_ignore("SEAM101")
def test_marker():
    pass

@pytest.mark.seam_ignore("SEAM101", "SEAM102")
class TestLegacy:
    def test_in_class(self):
        pass

def test_not_suppressed():
    """A string that mentions # seams: ignore is not a comment."""
''',
                "tests/integration/legacy/test_old": "def test_old():\n    pass\n",
            }
        )
        _, report = run_json()
        codes = codes_by_test(report)
        # The comment naming SEAM104 suppresses nothing and is reported against its test.
        assert codes["test_other_code"] == ["SEAM001", "SEAM101"]
        assert codes["test_not_suppressed"] == ["SEAM102", "SEAM102", "SEAM102"]
        for suppressed in ("test_comment", "test_bare_comment", "test_marker", "test_in_class"):
            assert suppressed not in codes
        assert "test_old" not in codes

    def test_unused_and_unknown_suppressions_are_reported(
        self, pytester: pytest.Pytester, run_json: RunJson
    ) -> None:
        """Suppressions that match nothing, or name unknown codes, are findings themselves.

        Integration Scope: suppression bookkeeping after all findings are known.
        Business Impact: Stale suppressions would hide future regressions.
        Success Criteria:
            - SEAM001 for an unused comment, marker and per-path entry, at their lines
            - SEAM002 for a comment naming an unknown code
        """
        pytester.makeini("[pytest]\nseam_per_path_ignores = tests/integration/*: SEAM103\n")
        pytester.makepyfile(
            **{
                "tests/integration/test_flow": '''
import pytest

@pytest.mark.seam_ignore("SEAM104")
def test_marker_unused():
    """Fine.

    Integration Scope: API
    Business Impact: Money
    Success Criteria: Rows
    """

x = 1  # seams: ignore[SEAM101]

def test_unknown():  # seams: ignore[SEAM999]
    """Fine.

    Integration Scope: API
    Business Impact: Money
    Success Criteria: Rows
    """
'''
            }
        )
        _, report = run_json()
        found = sorted(
            (f["code"], f["line"] or 0, f["path"])
            for f in report["findings"]
            if f["category"] == "suppression"
        )
        assert found == [
            ("SEAM001", 0, "tox.ini"),
            ("SEAM001", 3, "tests/integration/test_flow.py"),
            ("SEAM001", 12, "tests/integration/test_flow.py"),
            ("SEAM002", 14, "tests/integration/test_flow.py"),
        ]
        messages = " ".join(f["message"] for f in report["findings"])
        assert "SEAM999" in messages
        assert "tests/integration/*: SEAM103" in messages

    def test_suppressions_cover_static_findings_of_parametrized_tests(
        self, pytester: pytest.Pytester, run_json: RunJson
    ) -> None:
        """Markers and def-line comments also silence static findings of parametrized tests.

        Integration Scope: static analysis findings (named without parameters) and
            suppressions collected per parametrized item.
        Business Impact: Parametrized integration tests are common; their suppressions must work.
        Success Criteria: neither test reports SEAM501; an unsuppressed twin still does.
        """
        pytester.makepyfile(
            **{
                "tests/integration/test_param": '''
import pytest

@pytest.mark.seam_ignore("SEAM501")
@pytest.mark.parametrize("n", [1, 2])
def test_marked(n):
    """Doc.

    Integration Scope: a
    Business Impact: b
    Success Criteria: c
    """

@pytest.mark.parametrize("n", [1, 2])
def test_commented(n):  # seams: ignore[SEAM501]
    """Doc.

    Integration Scope: a
    Business Impact: b
    Success Criteria: c
    """

@pytest.mark.parametrize("n", [1, 2])
def test_plain(n):
    """Doc.

    Integration Scope: a
    Business Impact: b
    Success Criteria: c
    """
'''
            }
        )
        _, report = run_json()
        assert codes_by_test(report, ("assertion", "suppression")) == {"test_plain": ["SEAM501"]}
