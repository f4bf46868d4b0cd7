"""Per-file analysis results, keyed by content, on disk.

A key covers the file's bytes, the plugin and analysis versions and whatever else changes what
the analysis of that file finds. Entries are written atomically (``os.replace``), so parallel
xdist workers never read a torn entry; an entry that cannot be read back for any reason is a
miss, never an error.
"""

from __future__ import annotations

import contextlib
import hashlib
from pathlib import Path

from pydantic import ValidationError

from pytest_seams.analysis.results import FileAnalysis
from pytest_seams.report import write_atomic


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
