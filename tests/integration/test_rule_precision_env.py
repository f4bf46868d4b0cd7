"""SEAM201 on real files: every form of write is found, and each message is true for its form."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import RunJson

DOC = """'''Configures the service.

    Integration Scope: settings -> environment
    Business Impact: a wrong mode sends real mail.
    Success Criteria: the mode is read back
    '''"""

UNPACKING = f"""\
import os


def test_unpacking(values):
    {DOC}
    previous, os.environ["SEAMS_A"] = "old", "new"
    first, *os.environ["SEAMS_B"] = values
    (x, (y, os.environ["SEAMS_C"])) = values
    for os.environ["SEAMS_D"] in values:
        pass
    os.environ["SEAMS_E"]: str = "1"
    assert previous == "old"
"""

SAVE_SET_RESTORE = f"""\
import os

import pytest


def test_finally_restore():
    {DOC}
    saved = os.environ.get("SEAMS_MODE")
    os.environ["SEAMS_MODE"] = "production"
    try:
        assert os.environ["SEAMS_MODE"] == "production"
    finally:
        if saved is None:
            del os.environ["SEAMS_MODE"]
        else:
            os.environ["SEAMS_MODE"] = saved


@pytest.fixture
def empty_environment():
    saved = dict(os.environ)
    os.environ.clear()
    yield
    os.environ.update(saved)


def test_clear_leaks():
    {DOC}
    os.environ.clear()
    assert not os.environ
"""

CONFTEST = """\
import os

os.environ["SEAMS_AT_IMPORT"] = "1"
"""

CLEANUP = f"""\
import os


def test_cleanup_at_the_end():
    {DOC}
    os.environ["SEAMS_TMP"] = "1"
    assert os.environ["SEAMS_TMP"] == "1"
    del os.environ["SEAMS_TMP"]
"""

TEARDOWN = """\
import os

import pytest


@pytest.fixture
def configured():
    os.environ["SEAMS_FLAG"] = "1"
    yield
    del os.environ["SEAMS_FLAG"]
"""


def env_findings(report: dict[str, Any], path: str) -> list[tuple[int, str]]:
    return sorted(
        (f["line"], f["message"])
        for f in report["findings"]
        if f["code"] == "SEAM201" and f["path"] == path
    )


class TestEnvWritePrecision:
    """SEAM201's forms and messages inside a real pytest session and in ``seams fix``.

    Seam Under Test:
        pytest collection -> libcst analysis (SEAM201) -> JSON report; seams fix -> file on disk
    """

    def test_unpacking_loop_and_annotated_targets_are_writes(
        self, pytester: pytest.Pytester, run_json: RunJson
    ) -> None:
        """Tuple, starred, nested, for-loop and annotated targets on os.environ are found.

        Integration Scope: collection, the env-write rule on a real test module, JSON report.
        Business Impact: `prev, os.environ[k] = old, new` leaked unseen; a leak the rule
            misses is a flaky suite nobody can explain.
        Success Criteria:
            - one SEAM201 per target, at its line
            - each says it cannot be rewritten as part of an unpacking (or a for loop) and how
              to fix it by hand
        """
        pytester.makepyfile(**{"tests/integration/test_unpacking": UNPACKING})
        _, report = run_json("--collect-only")
        found = env_findings(report, "tests/integration/test_unpacking.py")
        assert [line for line, _ in found] == [11, 12, 13, 14, 16]
        unpacking = (
            "os.environ[...] as a target of an unpacking assignment changes the environment of "
            "every later test: use monkeypatch.setenv(name, value), which pytest undoes after "
            "the test. seams fix leaves this alone: give the variable its own statement, then "
            "use monkeypatch.setenv(name, value)."
        )
        assert [message for _, message in found[:3]] == [unpacking] * 3
        assert found[3][1] == unpacking.replace("an unpacking assignment", "a for loop")
        assert found[4][1].startswith(
            "os.environ[...]: type = ... changes the environment of every later test"
        )

    def test_each_half_of_a_save_set_restore_says_so(
        self, pytester: pytest.Pytester, run_json: RunJson
    ) -> None:
        """A save/set/restore by hand is named as such; clear() credits patch.dict; a
        module-level write says where the setting belongs.

        Integration Scope: collection of a test module and a conftest, the env-write rule's
            judgement of whole functions (finally blocks, fixture teardown), JSON report.
        Business Impact: "changes the environment of every later test" was false for a write
            that is restored in a finally block, and the clear() advice credited pytest
            with an undo that patch.dict does; untrue advice teaches users to ignore the tool.
        Success Criteria:
            - the set half and both restore halves of the finally block say save/set/restore
            - the fixture's clear() and its teardown update() say so, with patch.dict advice
            - a plain clear() says patch.dict restores the environment itself
            - a set deleted again later in the test says so, and that seams fix may rewrite it
            - the conftest's import-time write names pytest_configure and MonkeyPatch.context
        """
        pytester.makepyfile(
            **{
                "tests/integration/conftest": CONFTEST,
                "tests/integration/test_restore": SAVE_SET_RESTORE,
                "tests/integration/test_cleanup": CLEANUP,
            }
        )
        _, report = run_json("--collect-only")
        found = dict(env_findings(report, "tests/integration/test_restore.py"))
        assert sorted(found) == [14, 19, 21, 27, 29, 39]
        monkeypatch_block = (
            "replace the whole save/set/restore with monkeypatch.setenv(name, value) or "
            "monkeypatch.delenv(name, raising=False), which pytest undoes after the test, even "
            "when it fails. seams fix leaves this alone: it restores saved values, so the whole "
            "save/set/restore must be rewritten by hand, not one line of it."
        )
        assert found[14] == (
            "os.environ[...] = ... is undone by hand later in this test (a save/set/restore): "
            + monkeypatch_block
        )
        restore = (
            "restores the environment by hand in a finally block (the restore half of a "
            f"save/set/restore): {monkeypatch_block}"
        )
        assert found[19] == f"del os.environ[...] {restore}"
        assert found[21] == f"os.environ[...] = ... {restore}"
        patch_dict_block = (
            "replace the whole save/set/restore with a `with mock.patch.dict(os.environ, "
            "clear=True):` block around the code (in a fixture, around its yield); patch.dict "
            "restores the environment itself, even when the test fails."
        )
        assert found[27].startswith(
            "os.environ.clear() is undone by hand later in this fixture (a save/set/restore): "
            + patch_dict_block
        )
        assert found[29].startswith(
            "os.environ.update(...) restores the environment by hand in the fixture's teardown "
            "(the restore half of a save/set/restore): " + patch_dict_block
        )
        assert found[39] == (
            "os.environ.clear() empties the environment of every later test: use "
            "mock.patch.dict(os.environ, clear=True) as a decorator or with block; patch.dict "
            "restores the environment itself when it ends. seams fix cannot rewrite this form "
            "safely; rewrite it by hand with mock.patch.dict(os.environ, clear=True)."
        )
        assert "pytest undoes" not in found[39]
        line_by_line = (
            "replace the whole save/set/restore with monkeypatch.setenv(name, value) or "
            "monkeypatch.delenv(name, raising=False), which pytest undoes after the test, even "
            "when it fails. seams fix rewrites it line by line, which is safe; the rewritten "
            "restore is then redundant and can be deleted."
        )
        assert env_findings(report, "tests/integration/test_cleanup.py") == [
            (
                11,
                "os.environ[...] = ... is undone by hand later in this test (a "
                f"save/set/restore): {line_by_line}",
            ),
            (
                13,
                "del os.environ[...] undoes by hand a write made earlier in this test (the "
                f"restore half of a save/set/restore): {line_by_line}",
            ),
        ]
        assert env_findings(report, "tests/integration/conftest.py") == [
            (
                3,
                "os.environ[...] = ... runs when this module is imported, so it changes the "
                "environment of the whole test session: set it in a pytest_configure hook in "
                "conftest.py, or in a session-scoped fixture with pytest.MonkeyPatch.context(), "
                "which restores it when the session ends. seams fix leaves this alone: at module "
                "level no test owns the change.",
            )
        ]

    def test_fix_leaves_saved_value_restores_whole_and_rewrites_a_plain_teardown(
        self, pytester: pytest.Pytester
    ) -> None:
        """seams fix refuses the new forms and saved-value restores with their reasons, and
        still rewrites a set/teardown pair that restores nothing saved.

        Integration Scope: seams CLI subprocess, analysis walk, libcst rewrite, file on disk.
        Business Impact: rewriting `os.environ[k] = saved` into monkeypatch.setenv(k, saved)
            would set the text "None" when the variable was unset: a fix that breaks tests.
        Success Criteria:
            - the unpacking and save/set/restore files are unchanged; each write is listed
              as "not fixed" with its reason
            - the plain fixture and the set-then-delete test are rewritten to monkeypatch calls,
              and the rewritten test passes
        """
        unpacking = pytester.makepyfile(test_unpacking=UNPACKING)
        restore = pytester.makepyfile(test_restore=SAVE_SET_RESTORE)
        teardown = pytester.makepyfile(conftest=TEARDOWN)
        before = {path: path.read_text() for path in (unpacking, restore)}
        result = pytester.run(
            sys.executable, "-m", "pytest_seams.cli", "fix", "--write", *map(str, before)
        )
        assert result.ret == 0
        for path, text in before.items():
            assert Path(path).read_text() == text
        not_fixed = [line for line in result.stdout.lines if ": not fixed: " in line]
        assert [line.split(": not fixed: ")[0] for line in not_fixed] == [
            "test_unpacking.py:11",
            "test_unpacking.py:12",
            "test_unpacking.py:13",
            "test_unpacking.py:14",
            "test_unpacking.py:16",
            "test_restore.py:14",
            "test_restore.py:19",
            "test_restore.py:21",
            "test_restore.py:27",
            "test_restore.py:29",
            "test_restore.py:39",
        ]
        cleanup = pytester.makepyfile(test_cleanup=CLEANUP)
        fixed = pytester.run(
            sys.executable, "-m", "pytest_seams.cli", "fix", "--write", teardown, cleanup
        )
        assert fixed.stdout.lines == [
            "fixed 2 env writes in conftest.py",
            "fixed 2 env writes in test_cleanup.py",
        ]
        assert cleanup.read_text() == CLEANUP.strip().replace(
            "def test_cleanup_at_the_end():", "def test_cleanup_at_the_end(monkeypatch):"
        ).replace('os.environ["SEAMS_TMP"] = "1"', 'monkeypatch.setenv("SEAMS_TMP", "1")').replace(
            'del os.environ["SEAMS_TMP"]', 'monkeypatch.delenv("SEAMS_TMP")'
        )
        assert pytester.runpytest_subprocess("-p", "no:randomly", cleanup).ret == 0
        expected = (
            TEARDOWN.strip()
            .replace("def configured():", "def configured(monkeypatch):")
            .replace('os.environ["SEAMS_FLAG"] = "1"', 'monkeypatch.setenv("SEAMS_FLAG", "1")')
            .replace('del os.environ["SEAMS_FLAG"]', 'monkeypatch.delenv("SEAMS_FLAG")')
        )
        assert teardown.read_text() == expected

    def test_a_parenthesised_multi_line_string_keeps_later_lines_true(
        self, pytester: pytest.Pytester, run_json: RunJson
    ) -> None:
        """Line breaks inside a string's parentheses count: later findings keep their lines.

        Integration Scope: collection, the analysis walk, line numbers computed per statement.
        Business Impact: on redis-py's test_pubsub.py every finding after an
            `assert ev is not None, (\\n "..."\\n)` pointed two lines too early.
        Success Criteria: the env write after such an assert is reported at its own line.
        """
        pytester.makepyfile(
            **{
                "tests/integration/test_lines": f"""\
import os


class TestLines:
    def test_reason_in_parentheses(self, r):
        {DOC}
        assert r is not None, (
            "a reason on its own line"
        )

    def test_env(self):
        {DOC}
        os.environ["SEAMS_LINE"] = "1"
        assert os.environ["SEAMS_LINE"] == "1"
"""
            }
        )
        _, report = run_json("--collect-only")
        assert [line for line, _ in env_findings(report, "tests/integration/test_lines.py")] == [23]

    def test_restoring_blocks_and_wide_fixtures_get_true_messages(
        self, pytester: pytest.Pytester, run_json: RunJson
    ) -> None:
        """patch.dict blocks are left alone; a project's env context manager and a
        session-scoped fixture each get a message true for them.

        Integration Scope: collection of a test module and its helper module, the env-write
            rule's reading of enclosing with blocks, decorators and fixture scopes, JSON report.
        Business Impact: hatch's suite writes inside `with EnvVars():` (which restores the
            environment) and in a session-scoped fixture; "every later test" was false for
            the first, and "use monkeypatch" impossible for the second (monkeypatch is
            function-scoped). Writes inside patch.dict(os.environ) were reported although
            patch.dict restores them.
        Success Criteria:
            - no finding for writes under `with patch.dict(os.environ)`, @patch.dict("os.environ")
              or after mocker.patch.dict(os.environ)
            - the write inside `with EnvVars()` says it lasts for the block, and for later tests
              unless EnvVars() restores it
            - the session fixture's write points at pytest.MonkeyPatch.context() and mp.delenv
            - the run's outcomes are those of a run without the plugin
        """
        pytester.makepyfile(
            envvars="""
import os


class EnvVars:
    def __enter__(self):
        self.saved = dict(os.environ)

    def __exit__(self, *exc):
        os.environ.clear()
        os.environ.update(self.saved)
""",
            **{
                "tests/integration/test_blocks": f"""\
import os
from unittest import mock

import pytest
from envvars import EnvVars


@pytest.fixture(scope="session")
def isolation():
    os.environ.pop("SEAMS_SESSION", None)
    yield


def test_patch_dict_block(isolation):
    {DOC}
    with mock.patch.dict(os.environ):
        os.environ["SEAMS_A"] = "1"
    assert "SEAMS_A" not in os.environ


@mock.patch.dict("os.environ", {{"SEAMS_B": "1"}})
def test_decorated():
    {DOC}
    del os.environ["SEAMS_B"]
    assert "SEAMS_B" not in os.environ


def test_envvars_block():
    {DOC}
    with EnvVars():
        os.environ.pop("SEAMS_C", None)
        assert "SEAMS_C" not in os.environ
""",
            },
        )
        pytester.syspathinsert()
        result, report = run_json("-p", "no:randomly")
        result.assert_outcomes(passed=3)
        assert env_findings(report, "tests/integration/test_blocks.py") == [
            (
                10,
                "os.environ.pop(...) changes the environment of every later test: in this "
                'fixture with scope="session" (the monkeypatch fixture is function-scoped), use '
                "`with pytest.MonkeyPatch.context() as mp:` around its yield and "
                "mp.delenv(name), which restores it when the fixture ends.",
            ),
            (
                46,
                "os.environ.pop(...) inside `with EnvVars()` changes the environment for the "
                "rest of that block, and of every later test unless EnvVars() restores it: use "
                "monkeypatch.delenv(name), which pytest undoes after the test.",
            ),
        ]
