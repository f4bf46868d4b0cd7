"""Rootdir-relative '/'-separated paths and the glob dialect used in settings."""

from __future__ import annotations

import functools
import os
import re
import tempfile
from collections.abc import Sequence
from pathlib import Path


def relative_posix(path: str | os.PathLike[str], rootdir: Path) -> str:
    """``path`` relative to ``rootdir`` with '/' separators; absolute when outside rootdir."""
    return _relative_posix(os.fspath(path), rootdir)


@functools.lru_cache(maxsize=8192)
def _relative_posix(path: str, rootdir: Path) -> str:
    # The common case by string operations: Path arithmetic costs ~20 µs per file.
    root = str(rootdir)
    if os.path.isabs(path) and path.startswith(root + os.sep) and "." + os.sep not in path:
        return path[len(root) + 1 :].replace(os.sep, "/")
    absolute = Path(os.path.abspath(path))
    try:
        return absolute.relative_to(rootdir).as_posix()
    except ValueError:
        return absolute.as_posix()


@functools.lru_cache(maxsize=256)
def _compile(pattern: str) -> re.Pattern[str]:
    parts: list[str] = []
    index = 0
    while index < len(pattern):
        if pattern.startswith("**/", index):
            parts.append("(?:.*/)?")
            index += 3
        elif pattern.startswith("**", index):
            parts.append(".*")
            index += 2
        elif pattern[index] == "*":
            parts.append("[^/]*")
            index += 1
        elif pattern[index] == "?":
            parts.append("[^/]")
            index += 1
        else:
            parts.append(re.escape(pattern[index]))
            index += 1
    return re.compile("".join(parts) + r"\Z")


def glob_match(path: str, pattern: str) -> bool:
    """Match a rootdir-relative posix path: ``*`` within a directory, ``**`` across directories.

    A pattern without '/' matches the file name at any depth, as in .gitignore.
    """
    pattern = pattern.strip().removeprefix("./")
    if "/" not in pattern:
        pattern = "**/" + pattern
    return _compile(pattern).match(path) is not None


SKIPPED_DIRS = frozenset(
    {".git", ".hg", ".svn", ".tox", ".nox", ".venv", "venv", "env", "node_modules",
     "__pycache__", "build", "dist", "site-packages", ".pytest_cache", ".mypy_cache"}
)  # fmt: skip


def find_plans(rootdir: Path, globs: Sequence[str]) -> list[Path]:
    """Plan files under rootdir matching the globs, skipping VCS, virtualenv and build folders."""
    found = []
    for directory, subdirs, files in os.walk(rootdir):
        subdirs[:] = sorted(
            d for d in subdirs if d not in SKIPPED_DIRS and not d.endswith(".egg-info")
        )
        for name in sorted(files):
            if name.endswith(".md"):
                path = Path(directory, name)
                relative = relative_posix(path, rootdir)
                if matches_any(relative, tuple(globs)):
                    found.append(path)
    return found


@functools.lru_cache(maxsize=4096)
def matches_any(path: str, patterns: tuple[str, ...]) -> bool:
    """Whether ``glob_match`` matches the path with one of the patterns (cached: every session
    asks this for every test file)."""
    return any(glob_match(path, pattern) for pattern in patterns)


def write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
