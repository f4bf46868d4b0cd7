"""What pytest-seams keeps between sessions, on disk.

- ``AnalysisCache``: per-file analysis results keyed by content. A key covers the file's bytes,
  the plugin and analysis versions and whatever else changes what the analysis of that file
  finds.
- ``FileIndex``: which result belongs to an unchanged file, by path, size and modification
  time, so a warm session neither reads nor hashes the files it analysed last time.
- ``ContractMemo``: docstring-contract findings per unchanged test module (and verdicts keyed
  by the docstrings for tests defined elsewhere).

Everything is written atomically (``os.replace``), so parallel xdist workers never read a torn
file; whatever cannot be read back for any reason is a miss, never an error.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import time
from pathlib import Path
from typing import Any

import pytest

from pytest_seams import __version__
from pytest_seams.analysis.results import MAX_LINE, FileAnalysis
from pytest_seams.paths import read_regular_file, write_atomic

PRUNE_INTERVAL = 86_400.0  # seconds between looks for stale analysis cache entries
MAX_CACHE_FILE_BYTES = 256 * 1024 * 1024  # larger cache files are not read: pytest-seams
# never writes one this big (the file index of 50,000 files stays far below it)


class AnalysisCache:
    """Per-file results by content; entries unused for ``max_age`` seconds are pruned.

    An entry outlives its file's edit (a branch switched back finds it again), so the directory
    would otherwise grow with every edit. Entries not used for 30 days go: a hit refreshes an
    entry's mtime, and a session that analysed something looks for stale entries at most once
    a day (the mtime of ``last-prune`` says when). An unchanged file's entry may go too, since
    the file index serves it without reading it; the index holds the result itself.
    """

    def __init__(self, directory: Path | None, max_age: float = 30 * 86_400) -> None:
        self.directory = directory
        self.max_age = max_age

    @staticmethod
    def key(content: bytes, salt: str) -> str:
        digest = hashlib.sha256(salt.encode())
        digest.update(b"\0")
        digest.update(content)
        return digest.hexdigest()

    def _path(self, key: str) -> Path | None:
        return self.directory / key[:2] / f"{key}.json" if self.directory else None

    def get(self, key: str, max_line: int = MAX_LINE) -> FileAnalysis | None:
        """The entry stored under ``key``, or None when there is none or it is invalid;
        ``max_line``: the file's line count, if known (an entry beyond it is invalid)."""
        path = self._path(key)
        if path is None:
            return None
        try:
            analysis = FileAnalysis.from_plain(
                json.loads(read_regular_file(path, MAX_CACHE_FILE_BYTES)), max_line
            )
        except (OSError, ValueError, RecursionError):  # json's errors are ValueErrors
            return None
        with contextlib.suppress(OSError):
            os.utime(path)  # used: not stale
        return analysis

    def put(self, key: str, analysis: FileAnalysis) -> None:
        path = self._path(key)
        if path is None:
            return
        with contextlib.suppress(OSError):  # a read-only or full cache only costs speed
            write_atomic(path, json.dumps(analysis.to_plain(), separators=(",", ":")))

    def prune(self) -> int:
        """Delete entries unused for ``max_age`` seconds, if no prune ran in the last day;
        return how many were deleted. Never raises: a cache it cannot tidy only grows."""
        if self.directory is None:
            return 0
        marker = self.directory / "last-prune"
        now = time.time()
        try:
            if now - marker.stat().st_mtime < PRUNE_INTERVAL:
                return 0
        except OSError:
            pass  # never pruned
        deleted = 0
        with contextlib.suppress(OSError):
            marker.touch()
            with os.scandir(self.directory) as folders:
                # Entry folders only: the index and memo files live here too.
                for folder in (f for f in folders if len(f.name) == 2 and f.is_dir()):
                    with os.scandir(folder.path) as entries:
                        # Entries, and temporary files of writers that died mid-write.
                        for entry in entries:
                            with contextlib.suppress(OSError):
                                if now - entry.stat().st_mtime > self.max_age:
                                    os.unlink(entry.path)
                                    deleted += 1
        return deleted


class FileStats:
    """``os.stat`` of each file once per session: the docstring memo (at collection) and the
    file index (at analysis) both judge test modules by their size and mtime."""

    def __init__(self) -> None:
        self._known: dict[str, os.stat_result | OSError] = {}

    def stat(self, file: str) -> os.stat_result:
        """Like ``os.stat``, raising the same OSError for a file that cannot be read."""
        known = self._known.get(file)
        if known is None:
            try:
                known = os.stat(file)
            except OSError as error:
                known = error
            self._known[file] = known
        if isinstance(known, OSError):
            raise known
        return known


IndexEntry = tuple[int, int, str, str]  # mtime_ns, size, salt, key
INDEX_VERSION = f"{__version__}:2"  # the plugin's and the index format's
SETTLE_SECONDS = 2.0


def settled(stat: os.stat_result) -> bool:
    """Whether a file's size and mtime can stand for its content in a cache key.

    A file modified within the last seconds could be modified again within the file system's
    timestamp granularity, keeping both; such files are not remembered by size and mtime.
    """
    return time.time() - stat.st_mtime_ns / 1e9 >= SETTLE_SECONDS


class FileIndex:
    """The results of the files one process analysed last time, with their size and mtime.

    pytest trusts size and modification time for its own cache of rewritten test modules; so
    does this index. A file that has not ``settled`` when it is indexed is left out.
    Entries of files this session did not look at are kept, so a narrow run does not empty it.
    Plain JSON, read without pydantic: an entry of the wrong shape is a miss.
    """

    def __init__(self, path: Path | None, limit: int = 50_000) -> None:
        self.path = path
        self.limit = limit
        self._files: dict[str, list[Any]] | None = None
        self._analyses: dict[str, Any] = {}
        self._new_files: dict[str, IndexEntry] = {}
        self._new_analyses: dict[str, list[Any]] = {}
        self._changed = False

    def _load(self) -> dict[str, list[Any]]:
        if self._files is None:
            self._files, self._analyses = {}, {}
            if self.path is not None:
                with contextlib.suppress(OSError, ValueError, TypeError, KeyError, RecursionError):
                    loaded = json.loads(read_regular_file(self.path, MAX_CACHE_FILE_BYTES))
                    if loaded["version"] == INDEX_VERSION:
                        files, analyses = loaded["files"], loaded["analyses"]
                        if isinstance(files, dict) and isinstance(analyses, dict):
                            self._files, self._analyses = files, analyses
        return self._files

    def get(self, path: str, stat: os.stat_result, salt: str) -> FileAnalysis | None:
        entry = self._load().get(path)
        if not (
            isinstance(entry, list)
            and len(entry) == 4
            and entry[:3] == [stat.st_mtime_ns, stat.st_size, salt]
        ):
            return None
        key = str(entry[3])
        plain: Any = self._analyses.get(key)
        try:
            # A file of n bytes has at most n + 1 lines: no finding of it lies beyond.
            analysis = FileAnalysis.from_plain(plain, max_line=stat.st_size + 1)
        except ValueError:
            return None
        self._new_files[path] = (stat.st_mtime_ns, stat.st_size, salt, key)
        self._new_analyses[key] = plain
        return analysis

    def put(
        self, path: str, stat: os.stat_result, salt: str, key: str, analysis: FileAnalysis
    ) -> None:
        self._changed = True
        if not settled(stat):
            return
        self._new_files[path] = (stat.st_mtime_ns, stat.st_size, salt, key)
        self._new_analyses[key] = analysis.to_plain()

    def save(self) -> None:
        if self.path is None or not self._changed:
            return
        old = self._load()
        files: dict[str, Any] = dict(old) if len(old) < self.limit else {}
        files.update(self._new_files)
        analyses: dict[str, Any] = {}
        for entry in files.values():
            key = str(entry[-1]) if isinstance(entry, (list, tuple)) and entry else ""
            plain = self._new_analyses.get(key) or self._analyses.get(key)
            if plain is not None:
                analyses[key] = plain
        text = json.dumps({"version": INDEX_VERSION, "files": files, "analyses": analyses})
        with contextlib.suppress(OSError):
            write_atomic(self.path, text)
        self._changed = False

    def forget(self) -> None:
        """Drop what was loaded (it is read again if needed): sessions keep no dead weight."""
        self._files = None
        self._analyses = {}
        self._new_files.clear()
        self._new_analyses.clear()
        self._changed = False


class ContractMemo:
    """What earlier sessions learnt about docstring contracts; one JSON file per settings.

    Two kinds of entries:

    - verdicts keyed by a digest of the test, class and module docstrings (they depend on
      nothing else but the configured sections, which are part of the file name);
    - facts about one source file, valid while its size and mtime (its ``state``) are unchanged:
      the findings of each test function of a collected module, and the lines of docstrings.
      They are grouped per file, so a warm session looks a file up once, not each test.
      Their messages are kept once, in a list the facts refer to by index.

    Loaded on the first lookup and rewritten atomically when something was added; an unreadable
    file is an empty memo, an entry of the wrong shape a miss. Past ``limit`` verdicts or
    files, only what this session used survives, so deleted tests do not pile up.
    """

    def __init__(self, path: Path | None, limit: int = 50_000) -> None:
        self.path = path
        self.limit = limit
        self._verdicts: dict[str, Any] | None = None
        self._files: dict[str, Any] = {}
        self._messages: list[Any] = []
        self._message_ids: dict[str, int] | None = None
        self._used_verdicts: set[str] = set()
        self._used_files: set[str] = set()
        self._added = False

    @classmethod
    def in_directory(cls, directory: Path | None, *salt: object) -> ContractMemo:
        """The memo for one plugin version and ``salt`` (the settings verdicts depend on)."""
        if directory is None:
            return cls(None)
        digest = hashlib.sha256(repr((__version__, *salt)).encode()).hexdigest()[:16]
        return cls(directory / f"contracts-{digest}.json")

    def _load(self) -> dict[str, Any]:
        if self._verdicts is None:
            self._verdicts, self._files = {}, {}
            if self.path is not None:
                with contextlib.suppress(OSError, ValueError, TypeError, KeyError, RecursionError):
                    loaded = json.loads(read_regular_file(self.path, MAX_CACHE_FILE_BYTES))
                    verdicts, files = loaded["verdicts"], loaded["files"]
                    messages = loaded["messages"]
                    if (
                        isinstance(verdicts, dict)
                        and isinstance(files, dict)
                        and isinstance(messages, list)
                    ):
                        self._verdicts, self._files = verdicts, files
                        self._messages = messages
        return self._verdicts

    def verdict(self, key: str) -> Any:
        """The stored verdict for a docstring digest, or None."""
        found = self._load().get(key)
        if found is not None:
            self._used_verdicts.add(key)
        return found

    def put_verdict(self, key: str, verdict: Any) -> None:
        self._load()[key] = verdict
        self._used_verdicts.add(key)
        self._added = True

    def facts(self, file: str, state: str, group: str) -> dict[str, Any]:
        """One group of facts about ``file`` in ``state``; empty when the file changed since.

        The dictionary is the memo's own: what a caller adds is saved, after ``added()``.
        """
        self._load()
        self._used_files.add(file)
        entry = self._files.get(file)
        if not (isinstance(entry, dict) and entry.get("state") == state):
            entry = self._files[file] = {"state": state}
        group_facts = entry.get(group)
        if not isinstance(group_facts, dict):
            group_facts = entry[group] = {}
        return group_facts

    def message(self, message_id: object) -> str | None:
        """The text of a message id that facts hold, or None for an id this memo does not know.

        Findings repeat a few messages thousands of times; facts hold their ids.
        """
        if type(message_id) is int and 0 <= message_id < len(self._messages):  # no bools
            text = self._messages[message_id]
            return text if isinstance(text, str) else None
        return None

    def message_id(self, text: str) -> int:
        """The id of a message, added to the memo's messages when new."""
        if self._message_ids is None:
            self._message_ids = {
                message: index
                for index, message in enumerate(self._messages)
                if isinstance(message, str)
            }
        found = self._message_ids.get(text)
        if found is None:
            found = self._message_ids[text] = len(self._messages)
            self._messages.append(text)
            self._added = True
        return found

    def added(self) -> None:
        """Note that a caller added facts, so that ``save`` writes them."""
        self._added = True

    def save(self) -> None:
        """Write what was added, then forget everything (it is read again if needed)."""
        if self.path is not None and self._added:
            verdicts = self._load()
            if len(verdicts) > self.limit:
                verdicts = {key: verdicts[key] for key in self._used_verdicts if key in verdicts}
            files = self._files
            if len(files) > self.limit:
                files = {key: files[key] for key in self._used_files if key in files}
            text = json.dumps(
                {"verdicts": verdicts, "files": files, "messages": self._messages},
                separators=(",", ":"),
            )
            with contextlib.suppress(OSError):
                write_atomic(self.path, text)
        self._verdicts = None
        self._files = {}
        self._messages = []
        self._message_ids = None
        self._used_verdicts = set()
        self._used_files = set()
        self._added = False


def analysis_cache_dir(config: pytest.Config, problems: list[str], warn: bool) -> Path | None:
    """pytest-seams' folder in pytest's cache, or None when there is none or it is unusable.

    An unusable cache (a read-only checkout, ``.pytest_cache`` being a file, a ``cache_dir``
    that cannot hold folders) only costs speed: like pytest for its own cache, this warns and
    the session goes on without it. The problem is also named in the report; ``warn`` is
    False in xdist workers, whose controller has the same cache_dir and warns once for all.
    """
    cache = getattr(config, "cache", None)  # absent with -p no:cacheprovider
    if cache is None:
        return None
    try:
        return cache.mkdir("seams-analysis")  # type: ignore[no-any-return]
    except OSError as error:
        folder = Path(getattr(cache, "_cachedir", "<pytest's cache_dir>"), "d", "seams-analysis")
        problem = (
            f"the analysis cache is off for this session: cannot create {folder} ({error}); "
            "make pytest's cache_dir a writable folder (-o cache_dir=PATH) or run with "
            "-p no:cacheprovider"
        )
    problems.append(problem)
    if not warn:
        return None
    # With filterwarnings=error pytest raises the warning here, before any test ran; a cache
    # that only costs speed must not stop the session, so the report alone names it then.
    with contextlib.suppress(Warning):
        config.issue_config_time_warning(pytest.PytestCacheWarning(problem), stacklevel=2)
    return None
