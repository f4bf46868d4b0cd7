"""Integration tests for settings of the wrong type in pyproject.toml, ini files and options."""

from __future__ import annotations

import pytest

from pytest_seams.config import SETTINGS

UNDOCUMENTED = {"tests/integration/test_flow": "def test_flow():\n    pass\n"}
LIST_SETTINGS = [s.ini for s in SETTINGS if s.kind not in ("value", "flag")]
VALUE_SETTINGS = [s.ini for s in SETTINGS if s.kind in ("value", "flag")]
# TOML values that no list setting can take: pytest passes list items through untouched.
WRONG_LIST_ITEMS = {
    "int": "[1]",
    "bool": "[true]",
    "float": '[1.5, "term"]',
    "nested list": '[["a"]]',
    "table": '[{ a = "b" }]',
    "date": "[1979-05-27]",
}


def _usage_error_line(result: pytest.RunResult, setting: str) -> str:
    """The single 'ERROR:' line of a usage error, checked for the documented form."""
    assert result.ret == pytest.ExitCode.USAGE_ERROR, result.stdout.str() + result.stderr.str()
    output = result.stdout.str() + result.stderr.str()
    assert "Traceback" not in output
    assert "INTERNALERROR" not in output
    errors = [line for line in result.errlines if line.startswith("ERROR:")]
    assert len(errors) == 1, result.errlines
    label = next(s.label for s in SETTINGS if s.ini == setting)
    assert errors[0].startswith("ERROR: pytest-seams: invalid value")
    assert f" for {label}: " in errors[0]
    assert "; allowed: " in errors[0]
    return errors[0]


class TestWrongTypesInPyproject:
    """Settings of the wrong type stop the run with one usage error line, never a traceback.

    Seam Under Test:
        pyproject.toml -> pytest ini reader -> pytest-seams read_config -> pytest UsageError
    """

    @pytest.mark.parametrize("setting", LIST_SETTINGS)
    @pytest.mark.parametrize("item", list(WRONG_LIST_ITEMS), ids=list(WRONG_LIST_ITEMS))
    def test_list_setting_with_non_string_item(
        self, pytester: pytest.Pytester, setting: str, item: str
    ) -> None:
        """A TOML list holding a number, bool, list, table or date is a usage error.

        Integration Scope: [tool.pytest.ini_options] lists as pytest passes them, Config.
        Business Impact: `seam_plans = [1]` used to crash the run or lose the report.
        Success Criteria:
            - exit status 4 and exactly one line naming the option, the value and what is
              allowed, e.g. "expected a string, got int"
            - no traceback and no INTERNALERROR
        """
        pytester.makepyfile(**UNDOCUMENTED)
        toml = f"[tool.pytest.ini_options]\n{setting} = {WRONG_LIST_ITEMS[item]}\n"
        (pytester.path / "pyproject.toml").write_text(toml)
        line = _usage_error_line(pytester.runpytest(), setting)
        assert "expected a string, got" in line

    @pytest.mark.parametrize("setting", VALUE_SETTINGS)
    def test_value_setting_given_a_list(
        self, pytester: pytest.Pytester, setting: str, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A list for a single-value setting is a usage error, even with warnings as errors.

        Integration Scope: pytest's deprecation warning for non-string ini values, Config.
        Business Impact: `-W error` is common in CI; the warning must not become a crash.
        Success Criteria: exit status 4 with the one-line error; no traceback.
        """
        # Without our conftest's --seam-env-leak=off, which would win over seam_env_leak's ini.
        monkeypatch.setenv("PYTEST_ADDOPTS", "-p seams")
        pytester.makepyfile(**UNDOCUMENTED)
        toml = f'[tool.pytest.ini_options]\n{setting} = ["warn", 2]\n'
        (pytester.path / "pyproject.toml").write_text(toml)
        line = _usage_error_line(pytester.runpytest("-W", "error"), setting)
        assert "['warn', 2]" in line

    @pytest.mark.parametrize(
        ("setting", "value", "shown"),
        [
            ("seam_report", "[1, 2]", "1"),
            ("seam_per_path_ignores", "[1]", "1"),
            ("seam_mode", "1", "'1'"),
            ("seam_internal_mock_scope", "true", "'True'"),
            ("seam_plan_max_bytes", '"lots"', "'lots'"),
            ("seam_plan_max_bytes", "0", "'0'"),
            ("seam_plan_max_bytes", "-5", "'-5'"),
            ("seam_priority_words", '["URGENT=P9"]', "'URGENT=P9'"),
            ("seam_per_path_ignores", '["tests/*: SEAM999"]', "'tests/*: SEAM999'"),
        ],
    )
    def test_named_wrong_values(
        self, pytester: pytest.Pytester, setting: str, value: str, shown: str
    ) -> None:
        """The cases named in the issue, and wrong scalars, each give the one-line error.

        Integration Scope: [tool.pytest.ini_options] scalars (pytest makes them strings), Config.
        Business Impact: `seam_report = [1, 2]` used to lose the report without a word.
        Success Criteria: exit status 4 and one line naming the setting and the value as read.
        """
        pytester.makepyfile(**UNDOCUMENTED)
        toml = f"[tool.pytest.ini_options]\n{setting} = {value}\n"
        (pytester.path / "pyproject.toml").write_text(toml)
        line = _usage_error_line(pytester.runpytest(), setting)
        assert f"invalid value {shown} for" in line

    @pytest.mark.parametrize(
        ("setting", "value"),
        [
            ("seam_plans", "[1]"),
            ("seam_plans", '"TEST_PLAN.md"'),
            ("seam_mode", "1"),
            ("seam_report", "[[1]]"),
        ],
    )
    def test_native_toml_table(self, pytester: pytest.Pytester, setting: str, value: str) -> None:
        """In [tool.pytest] (native TOML types) pytest checks types itself: same one-line form.

        Integration Scope: pytest's own type check of [tool.pytest] values, read_config.
        Business Impact: Projects moving to native TOML get the same message as before.
        Success Criteria: exit status 4 with one line naming the option and pytest's reason.
        """
        pytester.makepyfile(**UNDOCUMENTED)
        toml = f"[tool.pytest]\n{setting} = {value}\n"
        (pytester.path / "pyproject.toml").write_text(toml)
        line = _usage_error_line(pytester.runpytest(), setting)
        assert "pyproject.toml" in line

    def test_right_types_still_work(self, pytester: pytest.Pytester) -> None:
        """Well-typed TOML values, including the new size limit, are accepted.

        Integration Scope: [tool.pytest.ini_options] with lists of strings and scalars.
        Business Impact: The stricter checks must not reject any valid configuration.
        Success Criteria: exit status 0 and the seams section printed.
        """
        pytester.makepyfile(**UNDOCUMENTED)
        toml = (
            "[tool.pytest.ini_options]\n"
            'seam_plans = ["TEST_PLAN*.md", "docs/*.md"]\n'
            'seam_report = ["term"]\n'
            "seam_plan_max_bytes = 100000\n"
            'seam_priority_words = ["URGENT=P0"]\n'
            'seam_mode = "warn"\n'
        )
        (pytester.path / "pyproject.toml").write_text(toml)
        result = pytester.runpytest()
        assert result.ret == pytest.ExitCode.OK
        assert "= seams =" in result.stdout.str()

    def test_command_line_size_limit(self, pytester: pytest.Pytester) -> None:
        """--seam-plan-max-bytes takes a whole number and rejects anything else.

        Integration Scope: command-line option parsing, Config validation.
        Business Impact: A wrong limit must not silently read (or skip) every plan.
        Success Criteria: '2MB' is a usage error naming the option; 5000 is accepted.
        """
        pytester.makepyfile(**UNDOCUMENTED)
        line = _usage_error_line(
            pytester.runpytest("--seam-plan-max-bytes=2MB"), "seam_plan_max_bytes"
        )
        assert "'2MB'" in line
        assert pytester.runpytest("--seam-plan-max-bytes=5000").ret == pytest.ExitCode.OK
