"""fix_source and run_fix: each env-write form, what is left alone, and what is preserved."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from pytest_seams.analysis.fix import fix_source, run_fix

FORMS = [
    pytest.param(
        'os.environ["A"] = "1"',
        'monkeypatch.setenv("A", "1")',
        id="setitem",
    ),
    pytest.param(
        "os.environ[NAME] = compute(2)",
        "monkeypatch.setenv(NAME, compute(2))",
        id="setitem-expressions-kept",
    ),
    pytest.param(
        'del os.environ["A"]',
        'monkeypatch.delenv("A")',
        id="del",
    ),
    pytest.param(
        'os.environ.update({"A": "1", "B": value})',
        'monkeypatch.setenv("A", "1")\n    monkeypatch.setenv("B", value)',
        id="update-dict",
    ),
    pytest.param(
        'os.environ.update(A="1", B=value)',
        'monkeypatch.setenv("A", "1")\n    monkeypatch.setenv("B", value)',
        id="update-keywords",
    ),
    pytest.param(
        'os.environ.setdefault("A", "1")',
        'monkeypatch.setenv("A", os.environ.get("A", "1"))',
        id="setdefault",
    ),
    pytest.param(
        'os.environ.pop("A")',
        'monkeypatch.delenv("A")',
        id="pop",
    ),
    pytest.param(
        'os.environ.pop("A", None)',
        'monkeypatch.delenv("A", raising=False)',
        id="pop-default",
    ),
    pytest.param(
        'os.putenv("A", "1")',
        'monkeypatch.setenv("A", "1")',
        id="putenv",
    ),
    pytest.param(
        'os.unsetenv("A")',
        'monkeypatch.delenv("A", raising=False)',
        id="unsetenv",
    ),
]


def in_test(body: str, params: str = "") -> str:
    return f"import os\n\n\ndef test_env({params}):\n    {body}\n"


@pytest.mark.parametrize(("written", "rewritten"), FORMS)
def test_each_form_becomes_monkeypatch(written: str, rewritten: str) -> None:
    result = fix_source(in_test(written))
    assert result.source == in_test(rewritten, "monkeypatch")
    assert result.fixed == 1
    assert result.unfixed == []


def test_aliases_resolve_and_stay_as_written() -> None:
    source = """\
import os as o
from os import environ as e, putenv, unsetenv as drop


def test_aliases():
    o.environ["A"] = "1"
    e.setdefault("B", "2")
    env = o.environ
    env.pop("C", None)
    del e["D"]
    putenv("E", "5")
    drop("F")
"""
    expected = """\
import os as o
from os import environ as e, putenv, unsetenv as drop


def test_aliases(monkeypatch):
    monkeypatch.setenv("A", "1")
    monkeypatch.setenv("B", e.get("B", "2"))
    env = o.environ
    monkeypatch.delenv("C", raising=False)
    monkeypatch.delenv("D")
    monkeypatch.setenv("E", "5")
    monkeypatch.delenv("F", raising=False)
"""
    result = fix_source(source)
    assert result.source == expected
    assert result.fixed == 6


def test_comments_blank_lines_and_quotes_are_preserved() -> None:
    source = """\
import os  # the os module


def test_config():
    # Configure the client.
    os.environ['MODE'] = 'test'  # single quotes stay

    os.environ.update({"A": "1", "B": "2"})  # both at once


    value = 1  # untouched
    assert value
"""
    expected = """\
import os  # the os module


def test_config(monkeypatch):
    # Configure the client.
    monkeypatch.setenv('MODE', 'test')  # single quotes stay

    monkeypatch.setenv("A", "1")  # both at once
    monkeypatch.setenv("B", "2")


    value = 1  # untouched
    assert value
"""
    assert fix_source(source).source == expected


def test_parameter_goes_after_self_and_before_defaults_and_star() -> None:
    source = """\
import os


class TestEnv:
    def test_method(self):
        os.environ["A"] = "1"

    def test_default(self, tmp_path, flag=True):
        os.environ["A"] = "1"

    def test_star(self, tmp_path, *args, key):
        os.environ["A"] = "1"

    def test_multiline(
        self,
        tmp_path,
    ):
        os.environ["A"] = "1"
"""
    expected = """\
import os


class TestEnv:
    def test_method(self, monkeypatch):
        monkeypatch.setenv("A", "1")

    def test_default(self, tmp_path, monkeypatch, flag=True):
        monkeypatch.setenv("A", "1")

    def test_star(self, tmp_path, monkeypatch, *args, key):
        monkeypatch.setenv("A", "1")

    def test_multiline(
        self,
        tmp_path,
        monkeypatch,
    ):
        monkeypatch.setenv("A", "1")
"""
    result = fix_source(source)
    assert result.source == expected
    assert result.fixed == 4


def test_existing_monkeypatch_parameter_is_reused() -> None:
    source = """\
import os
import pytest


@pytest.fixture
def configured(tmp_path, monkeypatch):
    os.environ["A"] = "1"
    yield
    del os.environ["A"]
"""
    expected = """\
import os
import pytest


@pytest.fixture
def configured(tmp_path, monkeypatch):
    monkeypatch.setenv("A", "1")
    yield
    monkeypatch.delenv("A")
"""
    result = fix_source(source)
    assert result.source == expected
    assert result.fixed == 2


def test_function_scoped_fixture_is_fixed_and_session_fixture_is_not() -> None:
    source = """\
import os
import pytest


@pytest.fixture(scope="function")
def per_test():
    os.environ["A"] = "1"


@pytest.fixture(scope="session")
def per_session():
    os.environ["B"] = "2"
"""
    expected = source.replace("def per_test():", "def per_test(monkeypatch):").replace(
        'os.environ["A"] = "1"', 'monkeypatch.setenv("A", "1")'
    )
    result = fix_source(source)
    assert result.source == expected
    assert [finding.line for finding in result.unfixed] == [12]
    assert 'scope="session", and monkeypatch is function-scoped' in result.unfixed[0].message


@pytest.mark.parametrize(
    ("statement", "reason"),
    [
        pytest.param(
            'value = os.environ.pop("A")', "part of a larger expression", id="pop-value-used"
        ),
        pytest.param(
            'print(os.environ.setdefault("A", "1"))',
            "part of a larger expression",
            id="setdefault-value-used",
        ),
        pytest.param("os.environ.update(config)", "other than a dict literal", id="update-var"),
        pytest.param("os.environ.update(**config)", "** unpacking", id="update-starstar"),
        pytest.param(
            'os.environ.update({"A": "1", **config})', "unpacks another mapping", id="dict-star"
        ),
        pytest.param('os.environ.setdefault(name(), "1")', "evaluated twice", id="setdefault-call"),
        pytest.param('os.environb[b"A"] = b"1"', "cannot rewrite this form safely", id="environb"),
        pytest.param(
            'callback = lambda: os.environ.pop("A", None)', "inside a lambda", id="lambda"
        ),
        pytest.param(
            'os.environ.update({\n        "A": "1",  # why\n    })',
            "drop a comment",
            id="comment-inside",
        ),
        pytest.param("os.environ.clear()", "mock.patch.dict", id="clear"),
        pytest.param("os.environ = {}", "monkeypatch.setattr", id="rebind"),
    ],
)
def test_unsafe_forms_are_left_alone_with_a_reason(statement: str, reason: str) -> None:
    source = in_test(statement)
    result = fix_source(source)
    assert result.source == source
    assert result.fixed == 0
    assert len(result.unfixed) == 1
    assert result.unfixed[0].line == 5
    assert reason in result.unfixed[0].message
    assert not result.unfixed[0].fixable


def test_writes_outside_a_test_or_directly_in_it_are_left_alone() -> None:
    source = """\
import os
import unittest

os.environ["AT_IMPORT"] = "1"


def helper():
    os.environ["IN_HELPER"] = "1"


def test_nested():
    def inner():
        os.environ["IN_INNER"] = "1"

    inner()


class TestCaseStyle(unittest.TestCase):
    def test_method(self):
        os.environ["IN_TESTCASE"] = "1"
"""
    result = fix_source(source)
    assert result.source == source
    reasons = {finding.line: finding.message for finding in result.unfixed}
    assert sorted(reasons) == [4, 8, 13, 20]
    assert "at module level" in reasons[4]
    assert "in a helper" in reasons[8]
    assert "in a helper" in reasons[13]
    assert "base classes" in reasons[20]


def test_value_used_inside_a_fixed_write_is_reported_and_the_outer_write_fixed() -> None:
    result = fix_source(in_test('os.environ["A"] = os.environ.pop("B")'))
    assert result.source == in_test('monkeypatch.setenv("A", os.environ.pop("B"))', "monkeypatch")
    assert result.fixed == 1
    assert [finding.line for finding in result.unfixed] == [5]


def test_semicolons_and_one_line_suites() -> None:
    source = """\
import os


def test_short(flag):
    x = 1; os.environ.update(A="1", B="2"); y = 2
    if flag: del os.environ["C"]
"""
    expected = """\
import os


def test_short(flag, monkeypatch):
    x = 1; monkeypatch.setenv("A", "1"); monkeypatch.setenv("B", "2"); y = 2
    if flag: monkeypatch.delenv("C")
"""
    assert fix_source(source).source == expected


def test_suppressed_write_is_neither_fixed_nor_reported() -> None:
    source = in_test('os.environ["A"] = "1"  # seams: ignore[SEAM201]')
    result = fix_source(source)
    assert result.source == source
    assert result.unfixed == []


def test_fixing_twice_changes_nothing() -> None:
    once = fix_source(in_test('os.environ.update(A="1")\n    os.environ.clear()'))
    twice = fix_source(once.source)
    assert twice.source == once.source
    assert twice.fixed == 0
    assert len(twice.unfixed) == 1


def test_run_fix_keeps_encoding_and_newlines(tmp_path: Path) -> None:
    path = tmp_path / "test_latin.py"
    original = (
        b"# -*- coding: latin-1 -*-\r\nimport os\r\n\r\n\r\n"
        b'def test_env():\r\n    os.environ["A"] = "\xe9"\r\n'
    )
    path.write_bytes(original)
    out = io.StringIO()
    assert run_fix([path], write=False, out=out) == 1
    assert path.read_bytes() == original
    assert '+    monkeypatch.setenv("A", "\xe9")' in out.getvalue()
    out = io.StringIO()
    assert run_fix([path], write=True, out=out) == 0
    assert path.read_bytes() == original.replace(b"test_env()", b"test_env(monkeypatch)").replace(
        b'os.environ["A"] = "\xe9"', b'monkeypatch.setenv("A", "\xe9")'
    )
    assert out.getvalue().startswith("fixed 1 env writes in ")


def test_run_fix_reports_files_it_cannot_parse(tmp_path: Path) -> None:
    path = tmp_path / "test_broken.py"
    path.write_text("def test_(:\n")
    out = io.StringIO()
    assert run_fix([path], write=True, out=out) == 1
    assert "error: cannot parse" in out.getvalue()
