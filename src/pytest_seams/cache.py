"""Per-file analysis results, keyed by content, on disk.

A key covers the file's bytes, the plugin and analysis versions and whatever else changes what
the analysis of that file finds. Entries are written atomically (``os.replace``), so parallel
xdist workers never read a torn entry; an entry that cannot be read back for any reason is a
miss, never an error.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from pathlib import Path

from pydantic import ValidationError

from pytest_seams import __version__
from pytest_seams.analysis.results import FileAnalysis
from pytest_seams.paths import write_atomic


class AnalysisCache:
    def __init__(self, directory: Path | None) -> None:
        self.directory = directory

    @staticmethod
    def key(content: bytes, salt: str) -> str:
        digest = hashlib.sha256(salt.encode())
        digest.update(b"\0")
        digest.update(content)
        return digest.hexdigest()

    def _path(self, key: str) -> Path | None:
        return self.directory / key[:2] / f"{key}.json" if self.directory else None

    def get(self, key: str) -> FileAnalysis | None:
        path = self._path(key)
        if path is None:
            return None
        try:
            return FileAnalysis.model_validate_json(path.read_bytes())
        except (OSError, ValueError, ValidationError):
            return None

    def put(self, key: str, analysis: FileAnalysis) -> None:
        path = self._path(key)
        if path is None:
            return
        with contextlib.suppress(OSError):  # a read-only or full cache only costs speed
            write_atomic(path, analysis.model_dump_json())


class ContractMemo:
    """Docstring-contract verdicts of earlier sessions, keyed by a digest of the docstrings.

    A verdict depends only on the test, class and module docstrings and on the configured
    sections (which are part of the file name), so a warm session parses no docstring again.
    One JSON file, loaded on the first lookup and rewritten atomically when something was added;
    an unreadable file is an empty memo. It keeps at most ``limit`` verdicts: past that, only
    those this session used survive, so deleted tests do not pile up.
    """

    def __init__(self, path: Path | None, limit: int = 50_000) -> None:
        self.path = path
        self.limit = limit
        self._known: dict[str, list[list[object]]] | None = None
        self._used: dict[str, list[list[object]]] = {}
        self._added = False

    @classmethod
    def in_directory(cls, directory: Path | None, *salt: object) -> ContractMemo:
        """The memo for one plugin version and ``salt`` (the settings verdicts depend on)."""
        if directory is None:
            return cls(None)
        digest = hashlib.sha256(repr((__version__, *salt)).encode()).hexdigest()[:16]
        return cls(directory / f"contracts-{digest}.json")

    def _load(self) -> dict[str, list[list[object]]]:
        if self._known is None:
            self._known = {}
            if self.path is not None:
                with contextlib.suppress(OSError, ValueError):
                    loaded = json.loads(self.path.read_bytes())
                    if isinstance(loaded, dict):
                        self._known = loaded
        return self._known

    def get(self, key: str) -> list[list[object]] | None:
        verdict = self._load().get(key)
        if isinstance(verdict, list):
            self._used[key] = verdict
            return verdict
        return None

    def put(self, key: str, verdict: list[list[object]]) -> None:
        self._load()[key] = verdict
        self._used[key] = verdict
        self._added = True

    def save(self) -> None:
        if self.path is None or not self._added:
            return
        known = self._load()
        keep = known if len(known) <= self.limit else self._used
        with contextlib.suppress(OSError):
            write_atomic(self.path, json.dumps(keep, separators=(",", ":")))
        self._added = False
