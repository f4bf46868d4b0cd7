"""PytestNaming and folder skipping match as pytest's own collection does."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pytest_seams.analysis import analyze_source
from pytest_seams.discovery import (
    DEFAULT_NAMING,
    DEFAULT_NORECURSEDIRS,
    PytestNaming,
    find_test_modules,
    path_matches,
    skipped_directory,
)


def test_names_are_prefixes_or_globs_as_in_pytest() -> None:
    naming = PytestNaming(("check_*.py",), ("Check", "test_*"), ("check", "*_test"))
    assert naming.is_test_class("CheckOrders")  # a prefix
    assert naming.is_test_class("test_orders")  # a glob
    assert not naming.is_test_class("TestOrders")
    assert naming.is_test_function("check_total")
    assert naming.is_test_function("total_test")
    assert not naming.is_test_function("test_total")
    assert naming.is_test_file("/project/tests/check_orders.py")
    assert not naming.is_test_file("/project/tests/test_orders.py")
    assert DEFAULT_NAMING.is_test_file("/p/tests/orders_test.py")
    assert DEFAULT_NAMING.key == ""
    assert naming.key != ""


def test_path_patterns_match_whole_paths_and_bare_ones_base_names() -> None:
    path = os.path.join(os.sep, "project", "tests", "fixtures", "data")
    assert path_matches("data", path)
    assert path_matches("tests/fixtures/*", path)
    assert not path_matches("fixtures", path)
    assert path_matches(".*", os.path.join(os.sep, "project", ".git"))
    assert not skipped_directory(os.path.join(os.sep, "p", "tests", "env"), DEFAULT_NORECURSEDIRS)
    assert skipped_directory(os.path.join(os.sep, "p", "tests", "build"), DEFAULT_NORECURSEDIRS)
    assert skipped_directory(os.path.join(os.sep, "p", "tests", "__pycache__"), ())


def test_find_test_modules_enters_given_folders_and_skips_virtualenvs(tmp_path: Path) -> None:
    for relative in ("build/test_a.py", "build/inner/test_b.py", "ok/test_c.py", "ok/helper.py"):
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text("")
    (tmp_path / "ok/conftest.py").write_text("")
    (tmp_path / "ok/env/pyvenv.cfg").parent.mkdir()
    (tmp_path / "ok/env/pyvenv.cfg").write_text("")
    (tmp_path / "ok/env/test_d.py").write_text("")
    found = find_test_modules([tmp_path], DEFAULT_NAMING, ("build",))
    assert sorted(p.relative_to(tmp_path).as_posix() for p in found) == [
        "ok/conftest.py",
        "ok/test_c.py",
    ]
    given = find_test_modules([tmp_path / "build"], DEFAULT_NAMING, ("build", "inner"))
    assert [p.relative_to(tmp_path).as_posix() for p in given] == ["build/test_a.py"]


def test_walker_follows_the_naming_and_unittest_classes() -> None:
    source = (
        "import os\nimport unittest\n\n\n"
        "class test_things:\n    def check_env(self):\n        os.environ['A'] = '1'\n\n\n"
        "class Base(unittest.TestCase):\n    pass\n\n\n"
        "class Legacy(Base):\n    def test_env(self):\n        os.environ['B'] = '1'\n"
        "    def check_helper(self):\n        os.environ['C'] = '1'\n"
    )
    naming = PytestNaming(classes=("test_*",), functions=("check_",))
    owners = {
        (f.owner, f.owner_kind) for f in analyze_source(source, "t.py", None, naming).findings
    }
    assert owners == {
        ("test_things.check_env", "test"),
        ("Legacy.test_env", "test"),
        ("Legacy.check_helper", "helper"),
    }
    default = {(f.owner, f.owner_kind) for f in analyze_source(source, "t.py").findings}
    assert ("test_things.check_env", "helper") in default


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_a_fifo_given_by_name_is_handed_on_not_called_missing(tmp_path: Path) -> None:
    fifo = tmp_path / "test_fifo.py"
    os.mkfifo(fifo)
    assert list(find_test_modules([fifo], DEFAULT_NAMING, ())) == [fifo]
    with pytest.raises(FileNotFoundError):
        list(find_test_modules([tmp_path / "missing.py"], DEFAULT_NAMING, ()))
