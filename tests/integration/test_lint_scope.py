"""Integration tests for what ``seams lint`` and ``seams fix`` look at: the folders pytest
walks, and the suppression marks a pytest session would apply."""

from __future__ import annotations

import json
import sys

import pytest

from tests.conftest import RunJson

ENV_WRITE = 'import os\n\n\ndef test_writes():\n    os.environ["SEAMS_SCOPE"] = "1"\n'
STATIC = ("env-write", "internal-mock", "mock-hygiene", "assertion", "suppression")

# Every way of putting a seam_ignore mark on tests, used and unused.
MARKED = """\
import os

import pytest
from pytest import mark

pytestmark = [pytest.mark.slow, pytest.mark.seam_ignore("SEAM101", "SEAM102")]


@pytest.mark.seam_ignore("SEAM201")
@pytest.mark.parametrize("n", [1, 2])
def test_decorated(n):
    os.environ["SEAMS_MARKED_A"] = str(n)
    assert n


@mark.seam_ignore("SEAM501")
class TestThings:
    pytestmark = pytest.mark.seam_ignore("SEAM201")

    def test_method(self):
        os.environ["SEAMS_MARKED_B"] = "1"
        assert True

    def test_other(self):
        assert True


def test_plain():
    os.environ["SEAMS_MARKED_C"] = "1"
    assert True


@pytest.mark.seam_ignore("SEAM999")
def test_unknown():
    assert True
"""

MODULE_MARKED = """\
import os

import pytest as pt

pytestmark = pt.mark.seam_ignore("SEAM201")


def test_module_wide():
    os.environ["SEAMS_MARKED_D"] = "1"
    assert True
"""


def lint_paths(pytester: pytest.Pytester, *args: str) -> list[str]:
    """The files of the SEAM201 findings of ``seams lint ARGS``."""
    lint = pytester.run(
        sys.executable, "-m", "pytest_seams.cli", "lint", "--format=json", "--no-cache", *args
    )
    assert lint.ret in (0, 1), lint.stderr.str()
    return sorted(
        f["path"] for f in json.loads(lint.stdout.str())["findings"] if f["code"] == "SEAM201"
    )


def collected_paths(pytester: pytest.Pytester) -> list[str]:
    """The files of the tests pytest itself collects from ``tests``."""
    result = pytester.runpytest_subprocess("-p", "no:seams", "--collect-only", "-q", "tests")
    return sorted({line.partition("::")[0] for line in result.outlines if "::" in line})


class TestLintScope:
    """seams lint and seams fix see what a pytest session sees.

    Seam Under Test:
        ini file (norecursedirs) and test sources (seam_ignore marks) -> seams CLI -> findings
    """

    def test_lint_walks_the_folders_pytest_walks(self, pytester: pytest.Pytester) -> None:
        """Folders are skipped by norecursedirs and virtualenv detection, not by their name.

        Integration Scope: the ini file -> seams lint / seams fix file discovery, compared
            with pytest's own collection of the same tree.
        Business Impact: Lint skipped every folder named env, build or dist inside a test
            tree, so tests pytest runs went unchecked, and checked folders pytest skips.
        Success Criteria:
            - pytest's default norecursedirs: tests/env is linted, tests/build is not, nor a
              virtualenv folder; the same files pytest collects
            - norecursedirs = .* : both folders are linted
            - norecursedirs = build env : neither is, unless given on the command line
            - seams fix shows a change for exactly the files lint checks
        """
        pytester.makepyfile(
            **{
                "tests/build/test_build": ENV_WRITE,
                "tests/env/test_env": ENV_WRITE,
                "tests/unit/test_unit": ENV_WRITE,
                "tests/venvlike/test_venv": ENV_WRITE,
            }
        )
        (pytester.path / "tests/venvlike/pyvenv.cfg").write_text("home = /usr/bin\n")
        unit, env, build = (
            "tests/unit/test_unit.py",
            "tests/env/test_env.py",
            "tests/build/test_build.py",
        )
        pytester.makeini("[pytest]\n")
        assert lint_paths(pytester, "tests") == [env, unit]
        assert collected_paths(pytester) == [env, unit]
        fix = pytester.run(sys.executable, "-m", "pytest_seams.cli", "fix", "tests")
        assert sorted(
            line.removeprefix("--- a/") for line in fix.outlines if line.startswith("--- ")
        ) == [env, unit]

        pytester.makeini("[pytest]\nnorecursedirs = .*\n")
        assert lint_paths(pytester, "tests") == [build, env, unit]
        assert collected_paths(pytester) == [build, env, unit]

        pytester.makeini("[pytest]\nnorecursedirs = build env\n")
        assert lint_paths(pytester, "tests") == [unit]
        assert collected_paths(pytester) == [unit]
        assert lint_paths(pytester, "tests/build") == [build]  # given, so entered

    def test_lint_and_plugin_apply_the_same_suppression_marks(
        self, pytester: pytest.Pytester, run_json: RunJson
    ) -> None:
        """Decorator marks, class and module pytestmark suppress the same findings in both.

        Integration Scope: seam_ignore marks in the source -> the plugin (from pytest's items)
            and seams lint (read statically) -> apply_suppressions -> findings.
        Business Impact: lint ignored pytestmark suppressions and failed CI on findings the
            pytest run had been told to accept.
        Success Criteria:
            - the plugin and lint report the same static and suppression findings, with the
              same codes, paths, lines and node ids
            - those are exactly: the unsuppressed env write, the unused class mark (SEAM001 at
              the class's decorator line) and the unknown code (SEAM002)
        """
        pytester.makepyfile(
            **{
                "tests/integration/test_marked": MARKED,
                "tests/integration/test_module_marked": MODULE_MARKED,
            }
        )
        pytester.makeini("[pytest]\nmarkers =\n    slow: slow tests\n")
        _, report = run_json("--collect-only", subprocess=True)
        plugin = [f for f in report["findings"] if f["category"] in STATIC]
        lint = pytester.run(
            sys.executable, "-m", "pytest_seams.cli", "lint", "--format=json", "tests"
        )
        linted = json.loads(lint.stdout.str())["findings"]
        # lint checks the docstring contract too, with the same findings as the plugin.
        assert linted == [f for f in report["findings"] if f["category"] in (*STATIC, "docstring")]
        assert [f for f in linted if f["category"] in STATIC] == plugin
        path = "tests/integration/test_marked.py"
        assert [(f["code"], f["path"], f["line"], f["nodeid"]) for f in plugin] == [
            ("SEAM001", path, 16, f"{path}::TestThings"),
            ("SEAM201", path, 29, f"{path}::test_plain"),
            ("SEAM002", path, 33, f"{path}::test_unknown"),
        ]
        assert lint.ret == 1


class TestLintOnProjectSettings:
    """seams lint reads a project's pytest settings without the plugins its sessions load.

    Seam Under Test:
        ini file (filterwarnings, addopts) -> seams CLI (pytest's config parsing) -> findings
    """

    def test_lint_survives_filterwarnings_error(self, pytester: pytest.Pytester) -> None:
        """A project that turns every warning into an error is still linted.

        Integration Scope: pyproject.toml with filterwarnings = ["error"] -> seams lint ->
            pytest's config parsing -> findings.
        Business Impact: lint crashed with a PytestAssertRewriteWarning traceback on projects
            such as arq, whose pytest settings make every warning an error.
        Success Criteria:
            - lint exits 1 with the env write found, and no traceback on stderr
        """
        pytester.makepyfile(**{"tests/test_env": ENV_WRITE})
        pytester.makepyprojecttoml('[tool.pytest.ini_options]\nfilterwarnings = ["error"]\n')
        lint = pytester.run(sys.executable, "-m", "pytest_seams.cli", "lint", "--no-cache")
        assert lint.ret == 1, lint.stderr.str()
        assert "tests/test_env.py:5: SEAM201" in lint.stdout.str()
        assert "Traceback" not in lint.stderr.str()

    def test_lint_ignores_addopts_of_plugins_it_does_not_load(
        self, pytester: pytest.Pytester
    ) -> None:
        """addopts naming another plugin's options are set aside, and lint says so.

        Integration Scope: pyproject.toml addopts with pytest-cov options -> seams lint ->
            pytest's config parsing (retried without addopts) -> findings and one note.
        Business Impact: lint stopped with a usage error on every project whose addopts
            carry --cov (dramatiq, among many), so it could not be run there at all.
        Success Criteria:
            - lint exits 1 with the env write found
            - stderr names the options set aside and says --seam-* options there are
              ignored too
        """
        pytester.makepyfile(**{"tests/test_env": ENV_WRITE})
        pytester.makepyprojecttoml(
            '[tool.pytest.ini_options]\naddopts = "--cov=pkg --no-cov-on-fail"\n'
        )
        lint = pytester.run(sys.executable, "-m", "pytest_seams.cli", "lint", "--no-cache")
        assert lint.ret == 1, lint.stderr.str()
        assert "tests/test_env.py:5: SEAM201" in lint.stdout.str()
        assert (
            "seams: ignoring addopts: they need plugins seams lint does not load "
            "(--cov=pkg --no-cov-on-fail); --seam-* options in addopts are ignored too"
        ) in lint.stderr.str()
