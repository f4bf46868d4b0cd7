"""What pytest counts as a test, and which folders it walks, from the user's own settings.

The analysis, ``seams lint`` and ``seams fix`` read ``python_files``, ``python_classes``,
``python_functions`` and ``norecursedirs`` as pytest does, so a suite with
``python_classes = test_*`` has its test methods treated as tests, and lint walks the folders
pytest walks. The matching follows ``_pytest/python.py`` and ``_pytest/main.py`` (pytest 8/9).
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pytest_seams.paths import directory_entries

if TYPE_CHECKING:
    import pytest

DEFAULT_NORECURSEDIRS = (
    "*.egg", ".*", "_darcs", "build", "CVS", "dist", "node_modules", "venv", "{arch}",
)  # fmt: skip


def _has_glob(pattern: str) -> bool:
    return "*" in pattern or "?" in pattern or "[" in pattern


def _prefix_or_glob(patterns: tuple[str, ...], name: str) -> bool:
    """pytest's ``_matches_prefix_or_glob_option``: a prefix, or an fnmatch glob."""
    for pattern in patterns:
        if name.startswith(pattern):
            return True
        if _has_glob(pattern) and fnmatch.fnmatch(name, pattern):
            return True
    return False


def path_matches(pattern: str, path: str | os.PathLike[str]) -> bool:
    """pytest's ``fnmatch_ex``: a pattern without a separator matches the base name, one with
    a separator the whole path (relative patterns match at any depth of an absolute path)."""
    path = os.fspath(path)
    if os.sep != "/" and os.sep not in pattern and "/" in pattern:
        pattern = pattern.replace("/", os.sep)
    if os.sep not in pattern:
        return fnmatch.fnmatch(os.path.basename(path), pattern)
    if os.path.isabs(path) and not os.path.isabs(pattern):
        pattern = f"*{os.sep}{pattern}"
    return fnmatch.fnmatch(path, pattern)


@dataclass(frozen=True)
class PytestNaming:
    """pytest's ``python_files``, ``python_classes`` and ``python_functions``.

    The defaults are pytest's. ``unittest.TestCase`` subclasses are tests whatever their name,
    and their ``test*`` methods too, as pytest collects them.
    """

    files: tuple[str, ...] = ("test_*.py", "*_test.py")
    classes: tuple[str, ...] = ("Test",)
    functions: tuple[str, ...] = ("test",)

    @classmethod
    def from_config(cls, config: pytest.Config) -> PytestNaming:
        def setting(name: str) -> tuple[str, ...]:
            return tuple(str(value) for value in config.getini(name))

        return cls(setting("python_files"), setting("python_classes"), setting("python_functions"))

    @property
    def key(self) -> str:
        """What distinguishes these settings in a cache key ("" for pytest's defaults)."""
        if self == DEFAULT_NAMING:
            return ""
        return repr((self.files, self.classes, self.functions))

    def is_test_file(self, path: str | os.PathLike[str]) -> bool:
        return any(path_matches(pattern, path) for pattern in self.files)

    def is_test_class(self, name: str) -> bool:
        return _prefix_or_glob(self.classes, name)

    def is_test_function(self, name: str) -> bool:
        return _prefix_or_glob(self.functions, name)


DEFAULT_NAMING = PytestNaming()


def is_virtualenv(directory: str) -> bool:
    """pytest's ``_in_venv``: a folder holding pyvenv.cfg, or a conda environment."""
    try:
        return os.path.isfile(os.path.join(directory, "pyvenv.cfg")) or os.path.isfile(
            os.path.join(directory, "conda-meta", "history")
        )
    except OSError:
        return False


def skipped_directory(directory: str, norecursedirs: Sequence[str]) -> bool:
    """Whether pytest would not recurse into ``directory`` (one it was not given)."""
    if os.path.basename(directory) == "__pycache__" or is_virtualenv(directory):
        return True
    return any(path_matches(pattern, directory) for pattern in norecursedirs)


def find_test_modules(
    paths: Iterable[Path], naming: PytestNaming, norecursedirs: Sequence[str]
) -> Iterator[Path]:
    """Absolute paths of the test modules and conftest.py files pytest would collect under
    ``paths``. A file given is taken as it is; a folder given is entered even if
    ``norecursedirs`` names it, its subfolders only if it does not (as pytest does). Symbolic
    links to folders are not followed (no loops). Each folder's files come sorted."""
    for path in paths:
        if not path.is_dir():
            if not path.exists():
                raise FileNotFoundError(path)
            # A file, or a FIFO or device given by name: its reader says why it is not read.
            yield path.absolute()
            continue
        pending = [str(path.absolute())]
        while pending:
            directory = pending.pop()
            files, subdirs = directory_entries(directory)
            for name in sorted(files):
                if name == "conftest.py" or (
                    name.endswith(".py") and naming.is_test_file(os.path.join(directory, name))
                ):
                    yield Path(directory, name)
            pending += [
                subdir
                for subdir in (os.path.join(directory, n) for n in sorted(subdirs, reverse=True))
                if not skipped_directory(subdir, norecursedirs)
            ]
