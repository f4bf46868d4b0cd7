"""Integration tests for ``seams fix --write`` against files it cannot read or write."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
from pathlib import Path

import pytest

LEAKY = """\
import os


def test_sets_a_variable():
    os.environ["SEAMS_HOSTILE_FIX"] = "1"
    assert os.environ["SEAMS_HOSTILE_FIX"] == "1"
"""

FIXED = """\
import os


def test_sets_a_variable(monkeypatch):
    monkeypatch.setenv("SEAMS_HOSTILE_FIX", "1")
    assert os.environ["SEAMS_HOSTILE_FIX"] == "1"
"""


def big_leaky_module(functions: int = 90) -> str:
    """A test module of about 12 KB, every test of which writes the environment."""
    tests = "".join(
        f"\n\ndef test_variable_{n}():\n"
        f'    os.environ["SEAMS_HOSTILE_FIX_{n}"] = "a value long enough to matter"\n'
        f'    assert os.environ["SEAMS_HOSTILE_FIX_{n}"]\n'
        for n in range(functions)
    )
    return "import os\n" + tests


def seams_fix(
    cwd: Path, *args: str, file_size_limit: int | None = None
) -> subprocess.CompletedProcess[str]:
    """``python -m pytest_seams.cli fix --write`` in a real subprocess; optionally with a file
    size limit (RLIMIT_FSIZE) and SIGXFSZ ignored, so an oversized write fails with EFBIG."""

    def limit_file_size() -> None:
        import resource

        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (file_size_limit, file_size_limit))

    return subprocess.run(
        [sys.executable, "-m", "pytest_seams.cli", "fix", "--write", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=limit_file_size if file_size_limit is not None else None,
        check=False,
    )


def leftovers(folder: Path) -> list[str]:
    """Temporary files a fix left behind."""
    return sorted(path.name for path in folder.iterdir() if path.name.endswith(".tmp"))


class TestHostileFix:
    """``seams fix --write`` when a file cannot be read, decoded or written.

    Seam Under Test:
        seams CLI -> read and decode a test file -> libcst rewrite -> atomic replace on disk
    """

    @pytest.mark.skipif(
        not hasattr(signal, "SIGXFSZ"), reason="needs POSIX RLIMIT_FSIZE and SIGXFSZ"
    )
    def test_write_cut_short_leaves_the_file_untouched(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A write stopped by the file size limit changes nothing, and the other files are
        still fixed.

        Integration Scope: CLI subprocess, the kernel's RLIMIT_FSIZE (EFBIG), temporary file
            and rename, error report.
        Business Impact: A full disk or quota once left 4,096 bytes of a 12 KB test file: the
            fix must never destroy a user's code.
        Success Criteria:
            - the big file is byte-for-byte unchanged and named in the error
            - the small file is fixed; exit status 1; no temporary file is left
        """
        monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")  # the limit must hit our write only
        big = tmp_path / "test_big.py"
        big.write_text(big_leaky_module())
        small = tmp_path / "test_small.py"
        small.write_text(LEAKY)
        original = big.read_bytes()
        assert len(original) > 12_000
        result = seams_fix(tmp_path, big.name, small.name, file_size_limit=8_192)
        assert big.read_bytes() == original
        assert "test_big.py: error: cannot write the fix" in result.stdout
        assert "the file is unchanged" in result.stdout
        assert small.read_text() == FIXED
        assert "fixed 1 env writes in test_small.py" in result.stdout
        assert result.returncode == 1
        assert "Traceback" not in result.stderr
        assert leftovers(tmp_path) == []

    def test_read_only_file_is_named_and_the_others_are_fixed(self, tmp_path: Path) -> None:
        """A file without write permission is left alone, even for root.

        Integration Scope: CLI subprocess, file permissions, atomic replace.
        Business Impact: A read-only file (generated, vendored, locked) once stopped the run
            with a traceback and later files went unfixed.
        Success Criteria:
            - the read-only file is unchanged and named with how to fix it
            - the next file is fixed; exit status 1
        """
        locked = tmp_path / "test_a_locked.py"
        locked.write_text(LEAKY)
        locked.chmod(0o444)
        other = tmp_path / "test_b_other.py"
        other.write_text(LEAKY)
        result = seams_fix(tmp_path, ".")
        assert locked.read_text() == LEAKY
        assert "test_a_locked.py: error: cannot write the fix (it is read-only" in result.stdout
        assert other.read_text() == FIXED
        assert result.returncode == 1
        assert "Traceback" not in result.stderr

    @pytest.mark.skipif(
        sys.platform == "win32" or os.geteuid() == 0,
        reason="a read-only folder stops only non-root users on POSIX",
    )
    def test_folder_without_write_permission(self, tmp_path: Path) -> None:
        """A file whose folder cannot take the temporary file is named and unchanged.

        Integration Scope: CLI subprocess, folder permissions, temporary file creation.
        Business Impact: A locked folder must not stop the fix of the other folders.
        Success Criteria: the locked file is unchanged and named; the other one is fixed.
        """
        locked_folder = tmp_path / "locked"
        locked_folder.mkdir()
        locked = locked_folder / "test_locked.py"
        locked.write_text(LEAKY)
        other = tmp_path / "test_other.py"
        other.write_text(LEAKY)
        locked_folder.chmod(0o555)
        try:
            result = seams_fix(tmp_path, ".")
        finally:
            locked_folder.chmod(0o755)
        assert locked.read_text() == LEAKY
        assert "locked/test_locked.py: error: cannot write the fix" in result.stdout
        assert other.read_text() == FIXED
        assert result.returncode == 1

    def test_latin1_file_without_a_cookie_is_named(self, tmp_path: Path) -> None:
        """Bytes that are not valid in the file's encoding are an error naming the file;
        a latin-1 file that declares its encoding is fixed and stays latin-1.

        Integration Scope: CLI subprocess, PEP 263 encoding detection, libcst, atomic replace.
        Business Impact: One legacy file once ended the run with a traceback.
        Success Criteria:
            - the undeclared latin-1 file is unchanged; the error says how to fix it
            - the declared one is fixed with its bytes in latin-1; exit status 1
        """
        undeclared = tmp_path / "test_a_undeclared.py"
        undeclared.write_bytes(LEAKY.replace('"1"', '"caf\xe9"').encode("latin-1"))
        declared = tmp_path / "test_b_declared.py"
        declared.write_bytes(
            ("# -*- coding: latin-1 -*-\n" + LEAKY.replace('"1"', '"caf\xe9"')).encode("latin-1")
        )
        original = undeclared.read_bytes()
        result = seams_fix(tmp_path, ".")
        assert undeclared.read_bytes() == original
        assert (
            "test_a_undeclared.py: error: cannot read: cannot decode as utf-8 (Python's "
            "default): byte 0xe9 on line 5" in result.stdout
        )
        assert "# -*- coding: NAME -*-" in result.stdout
        fixed = declared.read_bytes().decode("latin-1")
        assert 'monkeypatch.setenv("SEAMS_HOSTILE_FIX", "caf\xe9")' in fixed
        assert result.returncode == 1
        assert "Traceback" not in result.stderr

    def test_permissions_and_symlinks_are_kept(self, tmp_path: Path) -> None:
        """A fixed file keeps its mode; a symlinked test file stays a link to the fixed target.

        Integration Scope: CLI subprocess, temporary file, chmod, rename, symbolic links.
        Business Impact: An atomic rewrite that dropped an executable bit or replaced a link
            by a copy would silently change a repository.
        Success Criteria:
            - the mode bits are those of the original
            - the link is still a link, its target holds the fix
        """
        executable = tmp_path / "test_mode.py"
        executable.write_text(LEAKY)
        executable.chmod(0o750)
        shared = tmp_path / "shared"
        shared.mkdir()
        target = shared / "test_target.py"
        target.write_text(LEAKY)
        link = tmp_path / "test_link.py"
        link.symlink_to(target)
        result = seams_fix(tmp_path, executable.name, link.name)
        assert result.returncode == 0, result.stdout + result.stderr
        assert executable.read_text() == FIXED
        assert stat.S_IMODE(executable.stat().st_mode) == 0o750
        assert link.is_symlink()
        assert link.resolve() == target.resolve()
        assert target.read_text() == FIXED
        assert leftovers(tmp_path) == []
        assert leftovers(shared) == []

    @pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs os.mkfifo")
    def test_fifo_named_like_a_test_file_does_not_block(self, tmp_path: Path) -> None:
        """A FIFO among the test files is named, not read forever.

        Integration Scope: CLI subprocess, file discovery, non-blocking open.
        Business Impact: A fix run that hangs in CI blocks a whole pipeline.
        Success Criteria: the FIFO is named as not a regular file; the other file is fixed.
        """
        os.mkfifo(tmp_path / "test_a_fifo.py")
        other = tmp_path / "test_b_other.py"
        other.write_text(LEAKY)
        result = seams_fix(tmp_path, ".")  # found by discovery
        assert (
            "test_a_fifo.py: error: cannot read: it is a FIFO, not a regular file" in result.stdout
        )
        assert other.read_text() == FIXED
        assert result.returncode == 1
