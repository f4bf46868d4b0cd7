"""Runtime environment-leak detection: what a test or a wide fixture leaves changed behind it.

Static analysis sees ``os.environ[...] = ...`` written in a test file; it cannot see the same
write made by first-party code or a library the test calls. Around each test this module
compares the process environment, the working directory, ``sys.path`` and the first-party
entries of ``sys.modules`` before the test's setup and once its function-scoped fixtures have
torn down (the last finalizer of the item runs before any wider fixture's), and reports what
changed: variable names only, never their values, which may be secrets.

A fixture of wider scope (class, module, package, session) owns what its setup changes until
its teardown: the change is not charged to the test during whose setup it happened, and at the
fixture's teardown whatever it changed must be back as it found it, or the fixture gets the
finding. In ``restore`` mode (the default) the previous state is put back after each finding,
so one leak does not cascade into the results of the tests after it; ``sys.modules`` is only
reported (unloading a module could break the objects that still use it).

Kept cheap: one copy of the environment's C-level dict, one ``getcwd``, a tuple of
``sys.path`` and a look at the known first-party modules per snapshot; ``sys.modules`` is
scanned again only when its size changed.
"""

from __future__ import annotations

import contextlib
import inspect
import linecache
import os
import sys
import types
from collections.abc import Callable, Generator, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import pytest

from pytest_seams.codes import CWD_LEAK, ENV_LEAK, MODULE_LEAK, SYS_PATH_LEAK
from pytest_seams.collect import guarded
from pytest_seams.model import Finding
from pytest_seams.paths import relative_posix

LeakMode = Literal["report", "restore", "off"]
LEAK_MODES: tuple[LeakMode, ...] = ("report", "restore", "off")

# Set and removed by pytest itself around every phase of every test.
IGNORED_VARIABLES = frozenset({"PYTEST_CURRENT_TEST"})

_ENVIRON: Any = os.environ
# The environment's own dict (encoded names and values on POSIX): copied at C speed, ~100
# times faster than dict(os.environ), which decodes every entry.
_RAW: dict[Any, Any] | None = getattr(_ENVIRON, "_data", None)
_decode_name: Callable[[Any], str] = getattr(_ENVIRON, "decodekey", str)
_decode_value: Callable[[Any], str] = getattr(_ENVIRON, "decodevalue", str)


def _environment() -> dict[Any, Any]:
    return _RAW.copy() if _RAW is not None else dict(os.environ)


@dataclass
class Snapshot:
    """The process state one test or fixture must leave as it found it."""

    env: dict[Any, Any]
    """Raw names -> raw values; kept in memory only, never reported."""
    cwd: str | None
    path: tuple[str, ...]
    modules: dict[str, object]
    """First-party module name -> the module object registered under it."""


@dataclass
class Changes:
    """What differs between two snapshots (names only)."""

    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    raw_names: list[Any] = field(default_factory=list)
    cwd: bool = False
    path_added: list[str] = field(default_factory=list)
    path_removed: list[str] = field(default_factory=list)
    modules_removed: list[str] = field(default_factory=list)
    modules_replaced: list[str] = field(default_factory=list)
    modules_faked: list[str] = field(default_factory=list)

    @property
    def path(self) -> bool:
        return bool(self.path_added or self.path_removed)

    @property
    def modules(self) -> bool:
        return bool(self.modules_removed or self.modules_replaced or self.modules_faked)


def changes(before: Snapshot, after: Snapshot) -> Changes:
    """What ``after`` changed compared with ``before``."""
    found = Changes()
    if before.env != after.env:
        for raw in before.env.keys() | after.env.keys():
            name = _decode_name(raw)
            if name in IGNORED_VARIABLES or before.env.get(raw) == after.env.get(raw):
                continue
            found.raw_names.append(raw)
            if raw not in before.env:
                found.added.append(name)
            elif raw not in after.env:
                found.removed.append(name)
            else:
                found.changed.append(name)
        for names in (found.added, found.removed, found.changed):
            names.sort()
    found.cwd = before.cwd != after.cwd
    if before.path != after.path:
        found.path_added, found.path_removed = _path_entries(before.path, after.path)
    if before.modules != after.modules:
        for name, module in before.modules.items():
            now = after.modules.get(name)
            if now is None:
                found.modules_removed.append(name)
            elif now is not module:
                found.modules_replaced.append(name)
        # A module imported for the first time is not a leak; an object that no import made
        # (a fake put into sys.modules) is.
        found.modules_faked = sorted(
            name
            for name, module in after.modules.items()
            if name not in before.modules and not _imported(module)
        )
        found.modules_removed.sort()
        found.modules_replaced.sort()
    return found


def _imported(module: object) -> bool:
    return isinstance(module, types.ModuleType) and getattr(module, "__spec__", None) is not None


class ModuleWatch:
    """The first-party entries of ``sys.modules``, rescanned only when its size changes."""

    def __init__(self, top_level: Iterable[str]) -> None:
        self.top_level = frozenset(top_level)
        self._size = -1
        self._names: list[str] = []

    def snapshot(self) -> dict[str, object]:
        if not self.top_level:
            return {}
        modules = sys.modules
        if len(modules) != self._size:
            self._names = [name for name in list(modules) if name.split(".")[0] in self.top_level]
            self._size = len(modules)
        return {name: modules[name] for name in self._names if name in modules}


@dataclass
class _Running:
    item: pytest.Item
    before: Snapshot
    checked: bool = False
    tearing_down: bool = False


@dataclass
class _Owned:
    before_setup: Snapshot
    after_setup: Snapshot
    before_teardown: Snapshot | None = None


class LeakDetector:
    """The hooks that compare the process state around each test and wide fixture."""

    def __init__(
        self,
        findings: list[Finding],
        mode: LeakMode,
        first_party: Iterable[str],
        rootdir: Path,
    ) -> None:
        self.findings = findings
        self.restore = mode == "restore"
        self.rootdir = rootdir
        self.watch = ModuleWatch(first_party)
        self._test: _Running | None = None
        self._owned: dict[int, _Owned] = {}  # id(fixturedef) -> what its setup changed

    def snapshot(self) -> Snapshot:
        try:
            cwd: str | None = os.getcwd()
        except OSError:  # the directory was removed under us
            cwd = None
        return Snapshot(_environment(), cwd, tuple(sys.path), self.watch.snapshot())

    @pytest.hookimpl(wrapper=True, tryfirst=True)
    def pytest_runtest_protocol(self, item: pytest.Item) -> Generator[None, object, object]:
        __tracebackhide__ = True  # not a frame of the user's failure
        self._test = _Running(item, self.snapshot())
        try:
            return (yield)
        finally:
            with guarded(self.findings, "env-leak check", nodeid=item.nodeid):
                self._check_test()
            self._test = None

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_teardown(self) -> None:
        if self._test is not None:
            self._test.tearing_down = True

    @pytest.hookimpl(wrapper=True)
    def pytest_fixture_setup(
        self, fixturedef: pytest.FixtureDef[Any]
    ) -> Generator[None, object, object]:
        __tracebackhide__ = True  # a failing fixture's traceback shows its code, not ours
        if fixturedef.scope == "function":
            return (yield)
        before = self.snapshot()
        try:
            return (yield)
        finally:
            with guarded(self.findings, f"env-leak check of fixture {fixturedef.argname}"):
                after = self.snapshot()
                self._charge_to_fixture(before, after)
                self._owned[id(fixturedef)] = _Owned(before, after)
                # Added after the fixture's own teardown (a yield fixture adds it during its
                # setup), so it runs first: just before the fixture tears down.
                fixturedef.addfinalizer(lambda: self._teardown_starts(fixturedef))

    def _teardown_starts(self, fixturedef: pytest.FixtureDef[Any]) -> None:
        with guarded(self.findings, f"env-leak check of fixture {fixturedef.argname}"):
            self._before_teardown(fixturedef)

    def _before_teardown(self, fixturedef: pytest.FixtureDef[Any]) -> None:
        running = self._test
        if running is not None and running.tearing_down:
            # The item's own finalizers (its function-scoped fixtures) have all run.
            self._check_test()
        owned = self._owned.get(id(fixturedef))
        if owned is not None:
            owned.before_teardown = self.snapshot()

    def pytest_fixture_post_finalizer(self, fixturedef: pytest.FixtureDef[Any]) -> None:
        with guarded(self.findings, f"env-leak check of fixture {fixturedef.argname}"):
            self._after_teardown(fixturedef)

    def _after_teardown(self, fixturedef: pytest.FixtureDef[Any]) -> None:
        owned = self._owned.pop(id(fixturedef), None)
        if owned is None or owned.before_teardown is None:
            return
        end = self.snapshot()
        self._charge_to_fixture(owned.before_teardown, end)
        setup = changes(owned.before_setup, owned.after_setup)
        teardown = changes(owned.before_teardown, end)
        touched = set(setup.raw_names) | set(teardown.raw_names)
        start = owned.before_setup
        leaked = Changes(
            raw_names=[raw for raw in touched if start.env.get(raw) != end.env.get(raw)]
        )
        for raw in leaked.raw_names:
            name = _decode_name(raw)
            if raw not in start.env:
                leaked.added.append(name)
            elif raw not in end.env:
                leaked.removed.append(name)
            else:
                leaked.changed.append(name)
        for names in (leaked.added, leaked.removed, leaked.changed):
            names.sort()
        leaked.cwd = (setup.cwd or teardown.cwd) and start.cwd != end.cwd
        if setup.path or teardown.path:
            leaked.path_added, leaked.path_removed = _path_entries(start.path, end.path)
        whole = changes(start, end)
        touched_modules = {*setup.modules_removed, *setup.modules_replaced, *setup.modules_faked}
        leaked.modules_removed = [n for n in whole.modules_removed if n in touched_modules]
        leaked.modules_replaced = [n for n in whole.modules_replaced if n in touched_modules]
        leaked.modules_faked = [n for n in whole.modules_faked if n in touched_modules]
        if not _any(leaked):
            return
        path, line = _fixture_location(fixturedef, self.rootdir)
        who = f"{fixturedef.scope}-scoped fixture '{fixturedef.argname}'"
        fix = (
            "undo the change in the fixture's teardown (after its yield), or make it with "
            "pytest.MonkeyPatch.context() inside the fixture so it is undone for you"
        )
        self._report(
            leaked, who, "after its teardown", fix, path, line, f"{path}::{fixturedef.argname}"
        )
        if self.restore:
            _restore(start, leaked)

    def _charge_to_fixture(self, before: Snapshot, after: Snapshot) -> None:
        """Take a wide fixture's setup or teardown out of the running test's account."""
        running = self._test
        if running is None or running.checked:
            return
        found = changes(before, after)
        base = running.before
        for raw in found.raw_names:
            if raw in after.env:
                base.env[raw] = after.env[raw]
            else:
                base.env.pop(raw, None)
        if found.cwd:
            base.cwd = after.cwd
        if found.path:
            base.path = after.path
        if found.modules:
            base.modules = {**base.modules, **after.modules}
            for name in found.modules_removed:
                base.modules.pop(name, None)

    def _shown(self, entry: str) -> str:
        """A sys.path entry as the message shows it: rootdir-relative when under rootdir."""
        try:
            relative = Path(entry).relative_to(self.rootdir).as_posix()
        except ValueError:
            return entry
        return f"<rootdir>/{relative}" if relative != "." else "<rootdir>"

    def _check_test(self) -> None:
        running = self._test
        if running is None or running.checked:
            return
        running.checked = True
        found = changes(running.before, self.snapshot())
        if not _any(found):
            return
        item = running.item
        path, line0, _ = item.location
        path = path.replace(os.sep, "/")
        fix = (
            "make the change with monkeypatch, which pytest undoes after the test (the write "
            "may be in code the test calls)"
        )
        who = f"test {item.name}"
        where = "once its function-scoped fixtures had torn down"
        self._report(found, who, where, fix, path, (line0 or 0) + 1, item.nodeid)
        if self.restore:
            _restore(running.before, found)

    def _report(
        self,
        found: Changes,
        who: str,
        when: str,
        fix: str,
        path: str,
        line: int,
        nodeid: str,
    ) -> None:
        restored = (
            " pytest-seams restored the previous state (seam_env_leak = restore)."
            if self.restore
            else ""
        )
        if found.raw_names:
            parts = [
                f"{label} {', '.join(names)}"
                for label, names in (
                    ("added", found.added),
                    ("removed", found.removed),
                    ("changed", found.changed),
                )
                if names
            ]
            self.findings.append(
                ENV_LEAK.finding(
                    f"{who} left environment variables changed {when}: {'; '.join(parts)} "
                    f"(values not shown). Fix: {fix}; monkeypatch.setenv/delenv for variables."
                    f"{restored}",
                    path=path,
                    line=line,
                    nodeid=nodeid,
                )
            )
        if found.cwd:
            self.findings.append(
                CWD_LEAK.finding(
                    f"{who} left the working directory changed {when}. Fix: {fix}; "
                    f"monkeypatch.chdir for the working directory.{restored}",
                    path=path,
                    line=line,
                    nodeid=nodeid,
                )
            )
        if found.path:
            entries = "; ".join(
                f"{label} {', '.join(repr(self._shown(entry)) for entry in entries)}"
                for label, entries in (("added", found.path_added), ("removed", found.path_removed))
                if entries
            )
            self.findings.append(
                SYS_PATH_LEAK.finding(
                    f"{who} left sys.path changed {when}: {entries}. Fix: {fix}; "
                    f"monkeypatch.syspath_prepend for sys.path.{restored}",
                    path=path,
                    line=line,
                    nodeid=nodeid,
                )
            )
        if found.modules:
            parts = [
                f"{label} {', '.join(names)}"
                for label, names in (
                    ("removed", found.modules_removed),
                    ("replaced", found.modules_replaced),
                    ("registered a non-module object as", found.modules_faked),
                )
                if names
            ]
            self.findings.append(
                MODULE_LEAK.finding(
                    f"{who} left first-party entries of sys.modules changed {when}: "
                    f"{'; '.join(parts)}. Fix: use monkeypatch.setitem(sys.modules, ...) or "
                    "monkeypatch.delitem(sys.modules, ...), which pytest undoes after the test "
                    "(sys.modules is reported, never restored).",
                    path=path,
                    line=line,
                    nodeid=nodeid,
                )
            )


def _path_entries(before: tuple[str, ...], after: tuple[str, ...]) -> tuple[list[str], list[str]]:
    """Entries ``after`` added to sys.path and entries it removed. A new copy of an entry that
    is already there, or a new order, is no change: pytest itself re-inserts a package's root
    at index 0 when it imports the package's ``__init__.py`` while setting the package up
    (prepend import mode), during the first test of each package."""
    old, new = set(map(_entry, before)), set(map(_entry, after))
    added = dict.fromkeys(entry for entry in map(_entry, after) if entry not in old)
    removed = dict.fromkeys(entry for entry in map(_entry, before) if entry not in new)
    return list(added), list(removed)


def _entry(entry: object) -> str:
    """A sys.path entry as text: import ignores entries that are not strings, but anyone may
    put one there (bytes, a Path, even a list)."""
    return entry if isinstance(entry, str) else repr(entry)


def _any(found: Changes) -> bool:
    return bool(found.raw_names or found.cwd or found.path or found.modules)


def _restore(before: Snapshot, found: Changes) -> None:
    """Put back the environment, cwd and sys.path that ``found`` says changed."""
    for raw in found.raw_names:
        name = _decode_name(raw)
        if raw in before.env:
            os.environ[name] = _decode_value(before.env[raw])
        else:
            os.environ.pop(name, None)
    if found.cwd and before.cwd is not None:
        with contextlib.suppress(OSError):  # the directory is gone: nothing to go back to
            os.chdir(before.cwd)
    if found.path:
        sys.path[:] = before.path


def _fixture_location(fixturedef: pytest.FixtureDef[Any], rootdir: Path) -> tuple[str, int]:
    function = inspect.unwrap(fixturedef.func)
    code = getattr(function, "__code__", None)
    try:
        source = inspect.getsourcefile(function)
    except TypeError:
        source = None
    path = relative_posix(Path(source), rootdir) if source else fixturedef.baseid or "conftest.py"
    if code is None:
        return path, 1
    line = code.co_firstlineno  # the first decorator's line: move on to the def's
    if source:
        for number in range(line, line + 50):
            text = linecache.getline(source, number).lstrip()
            if text.startswith(("def ", "async def ")):
                return path, number
    return path, line


__all__ = ["LEAK_MODES", "LeakDetector", "LeakMode", "Snapshot", "changes"]
