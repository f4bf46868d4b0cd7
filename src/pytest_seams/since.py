"""Changed-tests mode: the files changed since the merge base of ``--seam-since=REF`` and HEAD.

Committed, staged and unstaged changes (``git diff --name-only <merge base>``) and untracked
files (``git ls-files --others --exclude-standard``), as rootdir-relative posix paths. Any
problem (no git, not a repository, an unknown ref) is a one-line ``pytest.UsageError`` that
names it and the fix: a gate that silently judged nothing as new would be a green light.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

GIT_TIMEOUT_SECONDS = 60


class _GitFailed(Exception):
    def __init__(self, stderr: str) -> None:
        super().__init__(stderr)
        self.stderr = stderr


def _git(*args: str, cwd: Path) -> str:
    try:
        done = subprocess.run(
            ["git", *args],
            cwd=cwd,
            capture_output=True,
            timeout=GIT_TIMEOUT_SECONDS,
            check=False,
        )
    except FileNotFoundError:
        raise _usage("git was not found on PATH; install git, or drop --seam-since") from None
    except subprocess.TimeoutExpired:
        raise _usage(
            f"'git {args[0]}' took more than {GIT_TIMEOUT_SECONDS} s; check the repository "
            "(git status), or drop --seam-since"
        ) from None
    except OSError as error:
        raise _usage(f"git could not be run ({error}); fix that, or drop --seam-since") from None
    if done.returncode != 0:
        raise _GitFailed(" ".join(done.stderr.decode(errors="replace").split()))
    return done.stdout.decode(errors="surrogateescape")


def _usage(problem: str) -> pytest.UsageError:
    return pytest.UsageError(f"pytest-seams: --seam-since: {problem}")


def changed_files(ref: str, rootdir: Path) -> frozenset[str]:
    """The rootdir-relative posix paths of the files changed since the merge base of ``ref``
    and HEAD, untracked files included; raises a one-line ``pytest.UsageError``."""
    try:
        top = _git("rev-parse", "--show-toplevel", cwd=rootdir).strip()
    except _GitFailed:
        raise _usage(
            f"{rootdir} is not in a git repository; run pytest in a git checkout, or drop "
            "--seam-since"
        ) from None
    try:
        commit = _git("rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}", cwd=rootdir)
    except _GitFailed:
        raise _usage(
            f"unknown git ref {ref!r}; fetch it (e.g. 'git fetch origin main', or a deeper "
            "clone in CI) or name an existing branch, tag or commit"
        ) from None
    try:
        base = _git("merge-base", commit.strip(), "HEAD", cwd=rootdir).strip()
    except _GitFailed:
        raise _usage(
            f"{ref!r} and HEAD have no merge base (no commit yet, or unrelated histories, or a "
            "shallow clone); fetch more history (git fetch --unshallow) or name another ref"
        ) from None
    try:
        changed = _git("diff", "--name-only", "--no-renames", "-z", base, "--", cwd=rootdir)
        untracked = _git(
            "ls-files", "--others", "--exclude-standard", "-z", "--full-name", cwd=rootdir
        )
    except _GitFailed as failed:
        raise _usage(
            f"git could not list the changed files ({failed.stderr}); drop --seam-since"
        ) from None
    root = os.path.realpath(rootdir)
    paths = set()
    for name in (*changed.split("\0"), *untracked.split("\0")):
        if not name:
            continue
        relative = os.path.relpath(os.path.join(top, name), root)
        if not relative.startswith(".." + os.sep) and relative != "..":
            paths.add(Path(relative).as_posix())
    return frozenset(paths)
