"""The pre-commit hook definition at the repository root."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).parents[2]


def test_seams_lint_hook_runs_the_installed_command_on_test_files() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    (hook,) = hooks
    assert hook["id"] == "seams-lint"
    assert hook["language"] == "python"
    assert hook["types"] == ["python"]
    assert hook["pass_filenames"] is True
    command, subcommand = hook["entry"].split()
    # The [project.scripts] line (no tomllib before Python 3.11).
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert f'\n{command} = "pytest_seams.cli:main"\n' in pyproject
    assert subcommand == "lint"
    files = re.compile(hook["files"])
    linted = ["tests/test_cart.py", "conftest.py", "tests/unit/cart_test.py", "a/conftest.py"]
    skipped = ["src/shop/cart.py", "test_data/fixture.py", "tests/helpers.py", "test_x.pyi"]
    assert [bool(files.search(path)) for path in linted] == [True] * 4
    assert [bool(files.search(path)) for path in skipped] == [False] * 4
