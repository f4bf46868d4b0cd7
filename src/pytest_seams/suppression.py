"""Suppressions: inline comments, markers and per-path settings, and which of them were used.

Inline syntax, on the line a finding points at or on the test's ``def`` line::

    os.environ["X"] = "1"  # seams: ignore[SEAM201]
    def test_legacy():  # seams: ignore[SEAM101, SEAM102]
    def test_other():  # seams: ignore      (every code)

Marker: ``@pytest.mark.seam_ignore("SEAM101", reason="...")`` on a test, class or module
(``pytestmark``); without codes it suppresses every code. Setting: ``seam_per_path_ignores``.
A suppression that matches no finding is reported as SEAM001, so suppressions do not rot.
"""

from __future__ import annotations

import io
import re
import tokenize
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from pytest_seams.codes import ALL_CODES, UNKNOWN_SUPPRESSION_CODE, UNUSED_SUPPRESSION
from pytest_seams.config import PathIgnore
from pytest_seams.model import PYDANTIC_CONFIG, Finding
from pytest_seams.paths import glob_match

MARKER = "seam_ignore"
_COMMENT = re.compile(r"#\s*seams:\s*ignore\b(?:\[(?P<codes>[^\]]*)\])?", re.IGNORECASE)


@dataclass(frozen=True, slots=True, kw_only=True)
class Suppression:
    """One inline comment or marker that suppresses findings."""

    __pydantic_config__ = PYDANTIC_CONFIG

    kind: Literal["comment", "marker"]
    codes: tuple[str, ...] | None  # None: every code
    path: str
    line: int | None
    nodeid: str | None = None  # the node carrying the marker
    applies_to: tuple[str, ...] = ()  # test node ids a marker covers

    def describe(self) -> str:
        codes = ", ".join(self.codes) if self.codes else ""
        if self.kind == "comment":
            return f"'# seams: ignore[{codes}]'" if codes else "'# seams: ignore'"
        return f"@pytest.mark.{MARKER}({codes})" if codes else f"@pytest.mark.{MARKER}"


def ignore_comments(source: str) -> list[tuple[int, tuple[str, ...] | None]]:
    """Line and codes (None: every code) of each ``# seams: ignore`` comment of a source file.

    Only real comments count, not text inside strings.
    """
    if "seams:" not in source:
        return []
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return []
    found = []
    for token in tokens:
        if token.type == tokenize.COMMENT:
            match = _COMMENT.search(token.string)
            if match:
                found.append((token.start[0], _codes(match["codes"])))
    return found


def comment_suppressions(
    comments: Iterable[tuple[int, tuple[str, ...] | None]], path: str
) -> list[Suppression]:
    """The suppressions of the ``ignore_comments`` of one file."""
    return [
        Suppression(kind="comment", codes=codes, path=path, line=line) for line, codes in comments
    ]


def marker_suppression(
    args: Sequence[object], path: str, line: int | None, nodeid: str, applies_to: Iterable[str]
) -> Suppression:
    codes = tuple(str(arg).strip() for arg in args if str(arg).strip())
    return Suppression(
        kind="marker",
        codes=codes or None,
        path=path,
        line=line,
        nodeid=nodeid,
        applies_to=tuple(applies_to),
    )


def _codes(text: str | None) -> tuple[str, ...] | None:
    if text is None:
        return None
    codes = tuple(code.strip().upper() for code in text.split(",") if code.strip())
    return codes or None


def _unparametrized(nodeid: str) -> str:
    return nodeid.split("[", 1)[0]


def _covers(codes: Iterable[str] | None, code: str) -> bool:
    return codes is None or code in codes


def apply_suppressions(
    findings: Iterable[Finding],
    suppressions: Iterable[Suppression],
    per_path: Sequence[PathIgnore],
    definitions: dict[str, tuple[str, int]],
    seen_paths: Iterable[str],
    config_file: str | None,
    def_line: Callable[[str, int], int] = lambda path, line: line,
    judged: Collection[str] | None = None,
    partial: Collection[str] = (),
) -> list[Finding]:
    """Drop suppressed findings; add SEAM001/SEAM002 findings about the suppressions themselves.

    ``definitions`` maps a test function's node id (without parameters) to the path and first
    line of its code, and ``def_line(path, first_line)`` finds the ``def`` line from there (past
    the decorators), so that a comment on that line suppresses findings about the test wherever
    they point inside it. Only files holding suppression comments are looked at.

    ``judged`` are the codes whose findings the caller can see (None: every code): a suppression
    is called unused only when all its codes are among them. ``seams lint`` sees the static
    rules only, so a comment meant for a docstring finding is not unused there.

    ``partial`` are files only some of whose tests took part (-k, -m, --deselect, node ids):
    a suppression in one, or a per-path ignore matching one, may be meant for a test that did
    not, so it is not called unused.
    """
    suppressions = list(dict.fromkeys(suppressions))
    if not suppressions and not per_path:
        return list(findings)
    comments: dict[tuple[str, int], list[Suppression]] = {}
    markers: dict[str, list[Suppression]] = {}
    for suppression in suppressions:
        if suppression.kind == "comment" and suppression.line is not None:
            comments.setdefault((suppression.path, suppression.line), []).append(suppression)
        # Static findings name a parametrized test without its parameters.
        for nodeid in {*suppression.applies_to, *map(_unparametrized, suppression.applies_to)}:
            markers.setdefault(nodeid, []).append(suppression)
    commented = {path for path, _ in comments}
    definitions = {
        nodeid: (path, def_line(path, line))
        for nodeid, (path, line) in definitions.items()
        if path in commented
    }

    used: set[Suppression] = set()
    used_globs: set[PathIgnore] = set()
    seen = set(seen_paths)
    matched_globs = {ignore for ignore in per_path if any(glob_match(p, ignore.glob) for p in seen)}
    kept: list[Finding] = []
    for finding in findings:
        candidates: list[Suppression] = []
        if finding.path is not None and finding.line is not None:
            candidates += comments.get((finding.path, finding.line), [])
        if finding.nodeid is not None:
            definition = definitions.get(finding.nodeid) or definitions.get(
                _unparametrized(finding.nodeid)
            )
            if definition is not None and definition != (finding.path, finding.line):
                candidates += comments.get(definition, [])
            candidates += markers.get(finding.nodeid, [])
        hits = [s for s in candidates if _covers(s.codes, finding.code)]
        globs = [
            ignore
            for ignore in per_path
            if finding.path is not None and glob_match(finding.path, ignore.glob)
        ]
        glob_hits = [ignore for ignore in globs if finding.code in ignore.codes]
        used.update(hits)
        used_globs.update(glob_hits)
        if not hits and not glob_hits:
            kept.append(finding)

    def judgeable(codes: Iterable[str] | None) -> bool:
        return judged is None or (codes is not None and all(code in judged for code in codes))

    defined_at = {location: nodeid for nodeid, location in definitions.items()}
    for suppression in suppressions:
        owner = suppression.nodeid
        if owner is None and suppression.line is not None:
            owner = defined_at.get((suppression.path, suppression.line))
        unknown = [code for code in suppression.codes or () if code not in ALL_CODES]
        if unknown:
            kept.append(
                UNKNOWN_SUPPRESSION_CODE.finding(
                    f"{suppression.describe()} names unknown code {unknown[0]!r}: use codes "
                    "listed in docs/codes.md.",
                    path=suppression.path,
                    line=suppression.line,
                    nodeid=owner,
                )
            )
        elif (
            suppression not in used
            and suppression.path not in partial
            and judgeable(suppression.codes)
        ):
            kept.append(
                UNUSED_SUPPRESSION.finding(
                    f"{suppression.describe()} suppresses nothing here: remove it, or correct "
                    "its codes.",
                    path=suppression.path,
                    line=suppression.line,
                    nodeid=owner,
                )
            )
    for ignore in per_path:
        # Only judged on files this session saw: a narrower run must not call it unused.
        if (
            ignore in matched_globs
            and ignore not in used_globs
            and judgeable(ignore.codes)
            and not any(glob_match(path, ignore.glob) for path in partial)
        ):
            kept.append(
                UNUSED_SUPPRESSION.finding(
                    f"per-path ignore '{ignore.glob}: {', '.join(ignore.codes)}' suppresses "
                    "nothing in the files it matches: remove it or correct its codes.",
                    path=config_file,
                    line=None,
                )
            )
    return kept
