"""Rootdir-relative '/'-separated paths and the glob dialect used in settings."""

from __future__ import annotations

import errno
import functools
import os
import re
import stat
import tempfile
from collections.abc import Callable, Sequence
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


# A pattern with at most this many wildcards is matched by one regular expression: its
# backtracking is then at worst quadratic in the path. More (e.g. "**/" thirty times, which
# backtracks exponentially) are matched by _GlobAutomaton, linear in path times pattern.
_REGEX_WILDCARDS = 2


@functools.lru_cache(maxsize=256)
def _compile(pattern: str) -> re.Pattern[str] | _GlobAutomaton:
    tokens = _tokens(pattern)
    if sum(token in _WILDCARDS for token in tokens) > _REGEX_WILDCARDS:
        return _GlobAutomaton(tokens)
    regex = {"**/": "(?:.*/)?", "**": ".*", "*": "[^/]*", "?": "[^/]"}
    return re.compile("".join(regex.get(token) or re.escape(token) for token in tokens) + r"\Z")


_WILDCARDS = ("**/", "**", "*")


def _tokens(pattern: str) -> list[str]:
    """The pattern as wildcards ("**/", "**", "*", "?") and single characters.

    Repeats that cannot change what matches are merged ("**/**/" is "**/", "***" is "**"), so
    the common harmless forms stay cheap.
    """
    tokens: list[str] = []
    index = 0
    while index < len(pattern):
        for token in ("**/", "**", "*", "?"):
            if pattern.startswith(token, index):
                break
        else:
            token = pattern[index]
        index += len(token)
        if token in _WILDCARDS and tokens and tokens[-1] in ("**", "*") and token != "**/":
            tokens[-1] = "**" if "**" in (token, tokens[-1]) else "*"
        elif not (token == "**/" and tokens and tokens[-1] == "**/"):
            tokens.append(token)
    return tokens


class _GlobAutomaton:
    """A glob run as a set of states over its tokens, one character of the path at a time.

    State ``2 * i`` is "before token i"; state ``2 * i + 1`` is "inside the directories of a
    '**/' at token i". No backtracking: every character is read once. The sets of states met
    are numbered and their moves remembered (a lazily built DFA), so matching the next path
    costs a lookup per character.
    """

    _MAX_SETS = 1024  # numbered sets per pattern; beyond, the rest of a path is simulated

    def __init__(self, tokens: list[str]) -> None:
        self.tokens = tokens
        self.accept = 2 * len(tokens)
        self.sets: list[frozenset[int]] = []
        self.numbers: dict[frozenset[int], int] = {}
        self.moves: list[dict[str, int]] = []
        self.start = self._number(self._closure({0}))

    def match(self, path: str) -> bool:
        state = self.start
        for index, char in enumerate(path):
            following = self.moves[state].get(char)
            if following is None:
                if len(self.sets) >= self._MAX_SETS:
                    return self._simulate(self.sets[state], path[index:])
                following = self._number(self._next(self.sets[state], char))
                self.moves[state][char] = following
            if not self.sets[following]:
                return False
            state = following
        return self.accept in self.sets[state]

    def _simulate(self, states: frozenset[int] | set[int], path: str) -> bool:
        for char in path:
            states = self._next(states, char)
            if not states:
                return False
        return self.accept in states

    def _next(self, states: frozenset[int] | set[int], char: str) -> set[int]:
        return self._closure({new for old in states for new in self._step(old, char)})

    def _number(self, states: set[int]) -> int:
        key = frozenset(states)
        if key not in self.numbers:
            self.numbers[key] = len(self.sets)
            self.sets.append(key)
            self.moves.append({})
        return self.numbers[key]

    def _step(self, state: int, char: str) -> tuple[int, ...]:
        index, inside = divmod(state, 2)
        if index == len(self.tokens):
            return ()
        token = self.tokens[index]
        if inside:  # "**/": any characters, and a '/' may end it
            return (state, 2 * index + 2) if char == "/" else (state,)
        if token == "**":
            return (state,)
        if token in ("*", "?"):
            if char == "/":
                return ()
            return (state,) if token == "*" else (state + 2,)
        if token == "**/":
            return ()  # reading happens in its inside state
        return (state + 2,) if char == token else ()

    def _closure(self, states: set[int]) -> set[int]:
        # Wildcards may match nothing: "before token i" also means "before token i + 1".
        pending = list(states)
        while pending:
            state = pending.pop()
            index, inside = divmod(state, 2)
            if inside or index == len(self.tokens) or self.tokens[index] not in _WILDCARDS:
                continue
            reached = [state + 2] + ([state + 1] if self.tokens[index] == "**/" else [])
            for new in reached:
                if new not in states:
                    states.add(new)
                    pending.append(new)
        return states


def glob_match(path: str, pattern: str) -> bool:
    """Match a rootdir-relative posix path: ``*`` within a directory, ``**`` across directories.

    A pattern without '/' matches the file name at any depth, as in .gitignore.
    """
    pattern = pattern.strip().removeprefix("./")
    if "/" not in pattern:
        pattern = "**/" + pattern
    return bool(_compile(pattern).match(path))


SKIPPED_DIRS = frozenset(
    {".git", ".hg", ".svn", ".tox", ".nox", ".venv", "venv", "env", "node_modules",
     "__pycache__", "build", "dist", "site-packages", ".pytest_cache", ".mypy_cache"}
)  # fmt: skip


def find_plans(
    rootdir: Path,
    globs: Sequence[str],
    search_roots: Sequence[Path] | None = None,
    norecursedirs: Sequence[str] = (),
) -> list[Path]:
    """Plan files matching the globs (rootdir-relative, see ``glob_match``), in a stable order.

    Without ``search_roots`` (plans named with ``seam_plans``) all of rootdir is searched,
    skipping VCS, virtualenv and build folders. With them (the ``testpaths``, or rootdir),
    only their folders and below are, skipping what pytest's ``norecursedirs`` skips, plus
    the folders between rootdir and a root (rootdir included), whose plans cover the tests
    below them: a drafts/ folder next to tests/ contributes nothing.

    Symbolic links to directories are not followed (no loops), unreadable directories are
    skipped, and the walk keeps its own stack, so no depth of nesting can exhaust recursion.
    """
    patterns = tuple(globs)
    if search_roots is None:
        return _walk_plans([str(rootdir)], rootdir, patterns, _in_skipped_dirs)
    # discovery imports this module: its pytest rules are loaded when first needed.
    from pytest_seams.discovery import skipped_directory

    found: list[Path] = []
    seen: set[str] = set()
    for root in search_roots:
        for directory in _parents_within(root, rootdir):
            if directory not in seen:
                seen.add(directory)
                files, _ = directory_entries(directory)
                found += _plans_in(directory, files, rootdir, patterns)
    roots = [str(root) for root in search_roots if root.is_dir()]
    found += _walk_plans(roots, rootdir, patterns, lambda d: skipped_directory(d, norecursedirs))
    return list(dict.fromkeys(found))  # nested roots (tests, tests/integration) meet twice


def _in_skipped_dirs(directory: str) -> bool:
    name = os.path.basename(directory)
    return name in SKIPPED_DIRS or name.endswith(".egg-info")


def _parents_within(root: Path, rootdir: Path) -> list[str]:
    """The folders from rootdir down to ``root``'s parent (none when root is outside rootdir)."""
    if root != rootdir and rootdir not in root.parents:
        return []
    parents = [
        str(parent) for parent in root.parents if parent == rootdir or rootdir in parent.parents
    ]
    return parents[::-1]


def _plans_in(
    directory: str, files: list[str], rootdir: Path, patterns: tuple[str, ...]
) -> list[Path]:
    return [
        Path(directory, name)
        for name in sorted(files)
        if name.endswith(".md")
        and matches_any(relative_posix(Path(directory, name), rootdir), patterns)
    ]


def _walk_plans(
    roots: Sequence[str],
    rootdir: Path,
    patterns: tuple[str, ...],
    skipped: Callable[[str], bool],
) -> list[Path]:
    found: list[Path] = []
    for root in roots:
        pending = [root]
        while pending:
            directory = pending.pop()
            files, subdirs = directory_entries(directory)
            found += _plans_in(directory, files, rootdir, patterns)
            pending += [
                subdir
                for subdir in (os.path.join(directory, n) for n in sorted(subdirs, reverse=True))
                if not skipped(subdir)
            ]
    return found


def directory_entries(directory: str) -> tuple[list[str], list[str]]:
    """Names of the files and of the real (not symlinked) subdirectories of a directory; none
    of what cannot be read."""
    files, subdirs = [], []
    try:
        with os.scandir(directory) as entries:
            for entry in entries:
                try:
                    if not entry.is_dir():
                        files.append(entry.name)
                    elif not entry.is_symlink():
                        subdirs.append(entry.name)
                except OSError:  # vanished or unreadable
                    continue
    except OSError:
        pass
    return files, subdirs


@functools.lru_cache(maxsize=4096)
def matches_any(path: str, patterns: tuple[str, ...]) -> bool:
    """Whether ``glob_match`` matches the path with one of the patterns (cached: every session
    asks this for every test file)."""
    return any(glob_match(path, pattern) for pattern in patterns)


_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


class NotRegularFile(OSError):
    """A path that names a FIFO, a device, a directory or a socket: never read."""

    def __init__(self, kind: str) -> None:
        super().__init__(errno.EINVAL, f"it is {kind}, not a regular file")
        self.kind = kind  # "a FIFO", "a character device", ...


class FileTooLarge(OSError):
    """A regular file over the size its reader accepts: not read."""


def read_regular_file(path: str | os.PathLike[str], max_bytes: int | None = None) -> bytes:
    """The bytes of a regular file (through symlinks) of at most ``max_bytes`` bytes.

    Every file pytest-seams reads that a user could replace (plans, test sources, cache
    entries) comes through here: a FIFO would block a plain ``read`` forever and ``/dev/zero``
    would exhaust memory. The kind is checked before opening (opening some devices has
    effects) and again on the descriptor, opened without blocking, so a FIFO swapped in
    between is caught too. Raises NotRegularFile or FileTooLarge (whose ``strerror`` says
    why), or the OSError of the system call that failed.
    """
    _check_regular(os.stat(path).st_mode)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    descriptor = os.open(path, flags | getattr(os, "O_BINARY", 0))
    try:
        status = os.fstat(descriptor)  # what was opened, whatever the path names by now
        _check_regular(status.st_mode)
        limit = status.st_size if max_bytes is None else max_bytes
        if status.st_size > limit:
            raise FileTooLarge(errno.EFBIG, f"larger than {max_bytes} bytes")
        chunks: list[bytes] = []
        remaining = limit + 1  # the file may have grown since fstat
        while True:
            chunk = os.read(descriptor, max(remaining, 1 << 16))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
            if max_bytes is not None and remaining <= 0:
                raise FileTooLarge(errno.EFBIG, f"larger than {max_bytes} bytes")
        return b"".join(chunks)
    finally:
        os.close(descriptor)


def _check_regular(mode: int) -> None:
    if not stat.S_ISREG(mode):
        kind = next((name for test, name in _KINDS if test(mode)), "of an unknown kind")
        raise NotRegularFile(kind)


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
