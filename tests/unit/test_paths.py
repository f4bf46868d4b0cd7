from __future__ import annotations

from pathlib import Path

import pytest

from pytest_seams.paths import glob_match, relative_posix
from pytest_seams.session import relative_args


@pytest.mark.parametrize(
    ("path", "pattern", "expected"),
    [
        ("tests/integration/test_a.py", "**/integration/**", True),
        ("integration/test_a.py", "**/integration/**", True),
        ("tests/api/integration/deep/test_a.py", "**/integration/**", True),
        ("tests/integration_helpers/test_a.py", "**/integration/**", False),
        ("tests/test_integration.py", "**/integration/**", False),
        ("tests/legacy/test_a.py", "tests/legacy/*", True),
        ("tests/legacy/sub/test_a.py", "tests/legacy/*", False),
        ("tests/legacy/sub/test_a.py", "tests/legacy/**", True),
        ("tests/sub/test_slow_x.py", "test_slow_*.py", True),
        ("tests/test_a.py", "./tests/test_?.py", True),
    ],
)
def test_glob_match(path: str, pattern: str, expected: bool) -> None:
    assert glob_match(path, pattern) is expected


def test_relative_posix_inside_and_outside(tmp_path: Path) -> None:
    assert relative_posix(tmp_path / "a" / "b.py", tmp_path) == "a/b.py"
    assert relative_posix("/elsewhere/c.py", tmp_path) == "/elsewhere/c.py"


def test_relative_args(tmp_path: Path) -> None:
    (tmp_path / "tests").mkdir()
    args = ["-k", "x", "tests::test_a", f"{tmp_path}/tests", "--seam-report=json:out.json", "-q"]
    assert relative_args(args, tmp_path, tmp_path) == [
        "-k",
        "x",
        "tests::test_a",
        "tests",
        "--seam-report=json:out.json",
        "-q",
    ]
