"""What collection knows about an integration test that the pre-merge checklist needs.

pytest computes each test's fixture closure at collection (``item.fixturenames``, transitive
fixtures included): whether an entry-point fixture (``client``, ``cli_runner``...) or a
high-fidelity fake (``fakeredis``, a testcontainers fixture...) is in it is known there and
nowhere later. The docstrings' "Seam Under Test" section is read here too, as seam hints are
gathered only when plans list seams. xdist workers send these facts: they hold names only,
and only for tests with something to note.
"""

from __future__ import annotations

import fnmatch
import functools
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pytest

from pytest_seams.config import Config
from pytest_seams.model import PYDANTIC_CONFIG
from pytest_seams.paths import relative_posix


# Positional and not frozen, as model.TestRecord: made for thousands of tests.
@dataclass(slots=True)
class TestFacts:
    """Facts about one integration test for its checklist (see checklist.py)."""

    __test__ = False  # not a pytest test class, despite the name
    __pydantic_config__ = PYDANTIC_CONFIG

    entry_fixtures: tuple[str, ...] = ()
    """Entry-point fixtures (seam_entry_point_fixtures) in the test's fixture closure."""
    fake_fixtures: tuple[str, ...] = ()
    """High-fidelity fake fixtures (seam_fake_fixtures) in the test's fixture closure."""
    seam_under_test: str | None = None
    """The first line of the "Seam Under Test" section of the test's, its class's or its
    module's docstring (the nearest one), when there is one."""
    fixtures: tuple[str, ...] = ()
    """The project's own fixtures in the test's fixture closure, as the node ids of their
    functions ("tests/conftest.py::api"): the static analysis says which of them call an
    entry point."""


_ENTRY, _FAKE = 1, 2


class FactsReader:
    """Reads the ``TestFacts`` of items; which fixture names match is worked out once per name
    (a suite has few fixture names and many tests)."""

    def __init__(self, config: Config, rootdir: Path) -> None:
        self.entry = _Names(config.entry_point_fixtures)
        self.fake = _Names(config.fake_fixtures)
        self.rootdir = rootdir
        self._kinds: dict[str, int] = {}
        self._functions: dict[object, str | None] = {}  # fixture definition -> its node id
        self._parents: dict[object, str | None] = {}  # parent node -> its Seam Under Test

    def _above(self, item: pytest.Item) -> str | None:
        """The Seam Under Test of the item's class or module docstring, once per parent (the
        ``cls`` and ``module`` properties walk up the node tree on every call)."""
        parent = item.parent
        if parent in self._parents:
            return self._parents[parent]
        seam = None
        for owner in (getattr(item, "cls", None), getattr(item, "module", None)):
            seam = _seam_under_test(getattr(owner, "__doc__", None))
            if seam is not None:
                break
        self._parents[parent] = seam
        return seam

    def _kind(self, name: str) -> int:
        kind = self._kinds.get(name)
        if kind is None:
            kind = self._kinds[name] = (_ENTRY if self.entry.match(name) else 0) | (
                _FAKE if self.fake.match(name) else 0
            )
        return kind

    def _function(self, definition: object) -> str | None:
        """The node id of a fixture's function when the project defines it (under rootdir),
        as the static analysis keys its entry-point calls; once per fixture definition."""
        if definition not in self._functions:
            function = getattr(definition, "func", None)
            code = getattr(function, "__code__", None)
            node_id = None
            if code is not None:
                path = Path(code.co_filename)
                if path.is_relative_to(self.rootdir):
                    qualname = str(getattr(function, "__qualname__", code.co_name))
                    node_id = f"{relative_posix(path, self.rootdir)}::" + qualname.replace(
                        ".", "::"
                    )
            self._functions[definition] = node_id
        return self._functions[definition]

    def __call__(self, item: pytest.Item) -> TestFacts | None:
        """The item's facts, None when there is nothing to note."""
        entry: list[str] = []
        fake: list[str] = []
        own: list[str] = []
        info = getattr(item, "_fixtureinfo", None)
        definitions = getattr(info, "name2fixturedefs", {})
        for name in getattr(item, "fixturenames", ()):
            kind = self._kind(name)
            if kind & _ENTRY:
                entry.append(name)
            if kind & _FAKE:
                fake.append(name)
            if not kind and definitions.get(name):
                function = self._function(definitions[name][-1])
                if function is not None:
                    own.append(function)
        seam = _seam_under_test(getattr(getattr(item, "obj", None), "__doc__", None))
        if seam is None:
            seam = self._above(item)
        if not (entry or fake or seam or own):
            return None
        return TestFacts(tuple(sorted(entry)), tuple(sorted(fake)), seam, tuple(own))


class _Names:
    """Fixture names and globs (``fakeredis*``, ``*_container``)."""

    def __init__(self, patterns: Iterable[str]) -> None:
        patterns = tuple(patterns)
        self.exact = frozenset(p for p in patterns if not _is_glob(p))
        self.globs = tuple(p for p in patterns if _is_glob(p))

    def match(self, name: str) -> bool:
        return name in self.exact or any(fnmatch.fnmatchcase(name, g) for g in self.globs)


def _is_glob(pattern: str) -> bool:
    return any(ch in pattern for ch in "*?[")


@functools.lru_cache(maxsize=256)  # a class's or module's docstring serves many tests
def _seam_under_test_of(docstring: str) -> str | None:
    from pytest_seams.docstrings import section_bodies

    for body in section_bodies(docstring, "Seam Under Test"):
        first = body.strip().partition("\n")[0].strip()
        if first:
            return first[:200]
    return None


def _seam_under_test(docstring: object) -> str | None:
    """The first line of a docstring's Seam Under Test section (checked cheaply first: most
    test docstrings have none, and each is seen once)."""
    if not isinstance(docstring, str) or "seam under test" not in docstring.lower():
        return None
    return _seam_under_test_of(docstring)
