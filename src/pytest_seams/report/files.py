"""Writing a report file where the user asked, without harming what is there.

As pytest's own --junitxml and pytest-cov do, a report goes where its path leads: through a
symlink to the file it points at, straight into a device or a FIFO, and with the permissions
the umask gives a new file (an existing file keeps its own). A regular file (or a new one) is
written atomically, through a temporary file in the same directory renamed over it, so no one
reads half a report; anything else is never replaced, only written to. /dev/stdout and the
like go through this process's own descriptor.
"""

from __future__ import annotations

import errno
import os
import stat
import sys
from pathlib import Path

from pytest_seams.formats import FORMATS
from pytest_seams.report import ReportFailure, shown

_OPEN_FLAGS = os.O_WRONLY | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOCTTY", 0)
# Without a reader, opening a FIFO for writing blocks forever; non-blocking, it fails (ENXIO).
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)


def write_report_file(base: Path, format: str, user_path: str, text: str) -> Path:
    """Write ``text`` to ``user_path`` (relative to ``base``), or to ``index.html`` inside it for
    a directory format (html, as pytest-cov's); returns the path written.

    Raises ReportFailure with a one-line message naming ``user_path`` (never a temporary file),
    what went wrong and what to do.
    """
    directory = FORMATS[format].directory
    path = base / user_path
    try:
        if directory:
            path.mkdir(parents=True, exist_ok=True)
            path = path / "index.html"
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
        if FORMATS[format].append:
            _append(path, text.encode("utf-8"))
        else:
            _write(path, text.encode("utf-8"))
    except OSError as error:
        raise ReportFailure(_failure(format, user_path, error)) from None
    return path


_STANDARD_STREAMS = {"/dev/stdin": 0, "/dev/stdout": 1, "/dev/stderr": 2}


def _own_descriptor(path: Path) -> int | None:
    """The descriptor of this process that ``path`` names (/dev/stdout, /dev/fd/N,
    /proc/self/fd/N), if it names one."""
    absolute = os.path.abspath(path)
    if absolute in _STANDARD_STREAMS:
        return _STANDARD_STREAMS[absolute]
    for prefix in ("/dev/fd/", "/proc/self/fd/", f"/proc/{os.getpid()}/fd/"):
        number = absolute.removeprefix(prefix)
        if number != absolute and number.isdigit():
            return int(number)
    return None


def _write(path: Path, data: bytes) -> None:
    descriptor = _own_descriptor(path)
    if descriptor is not None:
        # Written through the descriptor itself, after what Python still buffers for it: a log
        # file behind /dev/stdout is neither replaced nor, as a fresh open() would do, written
        # over from its start or overwritten by the output that follows.
        sys.stdout.flush()
        sys.stderr.flush()
        _write_all(descriptor, data)
        return
    try:
        status: os.stat_result | None = os.stat(path)  # through symlinks: their target
    except FileNotFoundError:
        status = None
    if status is None:
        _replace(Path(os.path.realpath(path)), data, None)
    elif stat.S_ISREG(status.st_mode):
        try:
            _replace(Path(os.path.realpath(path)), data, stat.S_IMODE(status.st_mode))
        except PermissionError:  # a writable file in a directory we may not create files in
            _write_in_place(path, data, truncate=True)
    elif stat.S_ISDIR(status.st_mode):
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR))
    else:
        _write_in_place(path, data)


def _append(path: Path, data: bytes) -> None:
    """Add ``data`` at the end of ``path``, created when missing: what others wrote there (a
    step summary's earlier sections) stays. Never atomic: an appended file is shared."""
    if os.path.isdir(path):
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR))
    descriptor = os.open(path, _OPEN_FLAGS | _NONBLOCK | os.O_APPEND | os.O_CREAT, 0o666)
    try:
        os.set_blocking(descriptor, True)
        if _ends_without_newline(path):  # the report starts on a line of its own
            data = b"\n" + data
        _write_all(descriptor, data)
    finally:
        os.close(descriptor)


def _ends_without_newline(path: Path) -> bool:
    """Whether ``path`` is a regular file whose last byte is not a line feed."""
    try:
        with open(path, "rb") as existing:
            if not stat.S_ISREG(os.fstat(existing.fileno()).st_mode):
                return False
            existing.seek(0, os.SEEK_END)
            if existing.tell() == 0:
                return False
            existing.seek(-1, os.SEEK_END)
            return existing.read(1) != b"\n"
    except OSError:
        return False


def _write_in_place(path: Path, data: bytes, *, truncate: bool = False) -> None:
    """Open ``path`` and write to it, as ``open(path, "w")`` would: for a device, a FIFO or the
    like (never replaced), and for a regular file whose directory is not writable."""
    flags = _OPEN_FLAGS | _NONBLOCK | (os.O_TRUNC if truncate else 0)
    descriptor = os.open(path, flags)
    try:
        os.set_blocking(descriptor, True)  # a slow reader of a FIFO is waited for
        _write_all(descriptor, data)
    finally:
        os.close(descriptor)


def _write_all(descriptor: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(descriptor, view) :]


def _replace(target: Path, data: bytes, mode: int | None) -> None:
    """Write a new ``target`` beside it and rename it over: readers see the old or the new."""
    for attempt in range(100):
        temporary = target.with_name(f".{target.name[:200]}.{os.getpid()}-{attempt}.tmp")
        try:
            # 0o666 less the umask for a new file, as open() gives; an existing file keeps its own.
            descriptor = os.open(temporary, _OPEN_FLAGS | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:  # left by a writer that died, or being written right now
            continue
        break
    else:
        raise FileExistsError(errno.EEXIST, "no free name for a temporary file beside it")
    try:
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(data)
        if mode is not None:
            os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _failure(format: str, user_path: str, error: OSError) -> str:
    directory = FORMATS[format].directory
    kind = f"{format} report directory" if directory else f"{format} report"
    reason = error.strerror or str(error)
    if error.errno == errno.ENXIO:
        reason = "it is a FIFO (or socket) that no process is reading"
    elif error.errno in (errno.ENOTDIR, errno.EEXIST) and directory:
        reason = f"a file is in the way (the {format} report is a directory holding index.html)"
    elif error.errno in (errno.ENOTDIR, errno.EEXIST):
        reason = "a file is in the way where a directory of the path should be"
    elif error.errno == errno.EISDIR:
        reason = "it is a directory"
    return (
        f"could not write the {kind} {shown(user_path)}: {shown(reason)}; "
        "give --seam-report (or seam_report) a path that can be written"
    )
