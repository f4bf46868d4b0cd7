"""Whether a session asked for pytest-seams.

Installed, the plugin autoloads into every pytest session of its environment. Like pytest-cov
without ``--cov`` it stays silent unless the project asked for it: ``-p seams`` (command line,
``addopts`` or ``PYTEST_ADDOPTS``), any ``--seam-*`` option, any ``seam_*`` ini key, or a test
plan where a project keeps one (``plan_nearby``). An inactive session registers the markers and
does nothing else.
"""

from __future__ import annotations

import glob
import os
from pathlib import Path

import pytest

from pytest_seams.config import Config
from pytest_seams.discovery import skipped_directory
from pytest_seams.paths import directory_entries, matches_any

PLUGIN_NAMES = frozenset({"seams", "pytest_seams", "pytest_seams.plugin"})
"""The names ``-p`` loads pytest-seams by: its entry point's and its modules'."""

PLAN_SEARCH_DEPTH = 2
"""How many directory levels below a ``testpaths`` folder (or rootdir) ``plan_nearby`` looks
(tests/integration/ is 2 below rootdir)."""


def asked_with_p(config: pytest.Config, plugin: object) -> bool:
    """Whether ``-p seams`` was given (pytest puts addopts and PYTEST_ADDOPTS among the
    arguments it parses), or the plugin was loaded by anything but its entry point (a
    ``pytest_plugins`` variable, ``-p`` with its module name while autoloading is off)."""
    plugins = config.getoption("plugins", default=None) or []
    if any(name in PLUGIN_NAMES for name in plugins):
        return True
    return not any(loaded is plugin for loaded, _ in config.pluginmanager.list_plugin_distinfo())


def plan_nearby(config: pytest.Config) -> bool:
    """Whether a file matching the default plan globs (TEST_PLAN*.md, test_plan*.md) lies where
    an active session would find it, and not deeper than ``PLAN_SEARCH_DEPTH`` levels: in a
    ``testpaths`` folder (rootdir when unset) or below it, skipping what pytest's
    ``norecursedirs`` skips, or in a folder between rootdir and a ``testpaths`` folder.

    Not the full plan search of an active session (no depth limit): an inactive session must
    cost next to nothing, and every session looks here, so a run of one file finds the same
    answer as a run of the suite. A plan outside ``testpaths`` (a drafts/ folder next to
    tests/) covers no test and asks for nothing. A plan kept elsewhere is named with
    ``seam_plans``.
    """
    globs = Config().plans
    rootdir = config.rootpath
    roots = [
        os.path.abspath(match)
        for entry in config.getini("testpaths")
        for match in sorted(glob.glob(str(rootdir / entry), recursive=True))
    ] or [str(rootdir)]
    norecursedirs = [str(pattern) for pattern in config.getini("norecursedirs")]
    parents: set[str] = set()
    for root in roots:
        parents.update(
            str(parent)
            for parent in Path(root).parents
            if parent == rootdir or rootdir in parent.parents
        )
    if any(_has_plan(directory_entries(parent)[0], globs) for parent in sorted(parents)):
        return True
    level = [root for root in roots if os.path.isdir(root)]
    for depth in range(PLAN_SEARCH_DEPTH + 1):
        below: list[str] = []
        for directory in level:
            files, subdirs = directory_entries(directory)
            if _has_plan(files, globs):
                return True
            if depth < PLAN_SEARCH_DEPTH:
                below += [
                    path
                    for path in (os.path.join(directory, name) for name in subdirs)
                    if not skipped_directory(path, norecursedirs)
                ]
        level = below
    return False


def _has_plan(files: list[str], globs: tuple[str, ...]) -> bool:
    return any(name.endswith(".md") and matches_any(name, globs) for name in files)
