"""Whether a session asked for pytest-seams.

Installed, the plugin autoloads into every pytest session of its environment. Like pytest-cov
without ``--cov`` it stays silent unless the project asked for it: ``-p seams`` (command line,
``addopts`` or ``PYTEST_ADDOPTS``), any ``--seam-*`` option, any ``seam_*`` ini key, or a test
plan where a project keeps one (``plan_nearby``). An inactive session registers the markers and
does nothing else.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pytest_seams.config import Config
from pytest_seams.paths import SKIPPED_DIRS, directory_entries, matches_any

PLUGIN_NAMES = frozenset({"seams", "pytest_seams", "pytest_seams.plugin"})
"""The names ``-p`` loads pytest-seams by: its entry point's and its modules'."""

PLAN_SEARCH_DEPTH = 2
"""How many directory levels below rootdir ``plan_nearby`` looks (tests/integration/ is 2)."""


def asked_with_p(config: pytest.Config, plugin: object) -> bool:
    """Whether ``-p seams`` was given (pytest puts addopts and PYTEST_ADDOPTS among the
    arguments it parses), or the plugin was loaded by anything but its entry point (a
    ``pytest_plugins`` variable, ``-p`` with its module name while autoloading is off)."""
    plugins = config.getoption("plugins", default=None) or []
    if any(name in PLUGIN_NAMES for name in plugins):
        return True
    return not any(loaded is plugin for loaded, _ in config.pluginmanager.list_plugin_distinfo())


def plan_nearby(config: pytest.Config) -> bool:
    """Whether a file matching the default plan globs (TEST_PLAN*.md, test_plan*.md) lies in
    rootdir or at most ``PLAN_SEARCH_DEPTH`` directory levels below it, or directly in a
    ``testpaths`` directory.

    Not the full plan search of an active session (all of rootdir): an inactive session must
    cost next to nothing, and every session looks here, so a run of one file finds the same
    answer as a run of the suite. A plan kept elsewhere is named with ``seam_plans``.
    """
    globs = Config().plans
    rootdir = str(config.rootpath)
    level = [rootdir]
    for depth in range(PLAN_SEARCH_DEPTH + 1):
        below: list[str] = []
        for directory in level:
            files, subdirs = _entries(directory)
            if any(matches_any(name, globs) for name in files):
                return True
            if depth < PLAN_SEARCH_DEPTH:
                below += [os.path.join(directory, name) for name in subdirs]
        level = below
    for entry in config.getini("testpaths"):
        if not any(char in entry for char in "*?["):  # a glob: expanded by pytest, not here
            files, _ = _entries(str(Path(rootdir, entry)))
            if any(matches_any(name, globs) for name in files):
                return True
    return False


def _entries(directory: str) -> tuple[list[str], list[str]]:
    """Names of the Markdown files and of the subdirectories worth a look in a directory."""
    files, subdirs = directory_entries(directory)
    return [name for name in files if name.endswith(".md")], [
        name
        for name in subdirs
        if not name.startswith(".") and name not in SKIPPED_DIRS and not name.endswith(".egg-info")
    ]
