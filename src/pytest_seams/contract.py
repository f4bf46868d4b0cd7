"""The docstring contract of integration tests, checked at collection time and memoised.

Findings are worked out once per test function and parent node in a session, and kept across
sessions in the ``ContractMemo``: by the module file's size and mtime when the function, its
class and its module all come from that file, otherwise by a digest of the three docstrings.
The lines of breaching docstrings are kept by file size and mtime, so a warm session neither
parses a docstring nor reads a source file.
"""

from __future__ import annotations

import hashlib
import linecache
from collections.abc import Callable
from pathlib import Path
from types import CodeType
from typing import TYPE_CHECKING, Any

import pytest
from _pytest.nodes import Node

from pytest_seams.analysis.results import MAX_LINE
from pytest_seams.cache import ContractMemo, FileStats, settled
from pytest_seams.codes import ALL_CODES, DOCSTRING_MISSING, Code
from pytest_seams.config import Config

if TYPE_CHECKING:
    from pytest_seams.docstrings import Breach


def definition_line(file: str | Path, first_line: int) -> int:
    """The ``def`` line of a function whose code starts at ``first_line`` (its first decorator)."""
    lines = linecache.getlines(str(file))
    for number in range(first_line, min(first_line + 50, len(lines)) + 1):
        if lines[number - 1].lstrip().startswith(("def ", "async def ")):
            return number
    return first_line


def _docstring_line(lines: list[str], def_line: int) -> int:
    """Line where the docstring opens: its first text line is on the quote line."""
    for number in range(def_line, min(def_line + 60, len(lines)) + 1):
        if '"""' in lines[number - 1] or "'''" in lines[number - 1]:
            return number
    return def_line


def _digest(*texts: str | None) -> bytes:
    digest = hashlib.blake2b(digest_size=16)
    for text in texts:
        # A marker byte per text, so None, "" and different splits never collide.
        digest.update(b"\0" if text is None else b"\1" + text.encode("utf-8", "surrogatepass"))
    return digest.digest()


Template = tuple[Code, str, int | None]
"""What one breach becomes for each test of a function: code, message and line."""


class ContractCheck:
    """The docstring-contract findings of integration tests, each docstring parsed once ever.

    See the module docstring for what is kept where. Facts shared by the tests of one parent
    node (its file's state, its class and module docstrings) are looked up once per parent.
    """

    def __init__(self, config: Config, memo: ContractMemo, stats: FileStats | None = None) -> None:
        self.config = config
        self.memo = memo
        self.stats = stats or FileStats()
        self._outer: dict[Node, tuple[tuple[str | None, str | None], bytes]] = {}
        self._verdicts: dict[tuple[str, bytes], tuple[Breach, ...]] = {}
        self._states: dict[str, str | None] = {}
        self._lines: dict[tuple[str, int], tuple[int, int]] = {}
        self._groups: dict[Node, tuple[str, dict[str, Any]] | None] = {}

    def _state(self, file: str) -> str | None:
        """Size and mtime of a file, or None when they cannot be trusted to tell changes."""
        if file not in self._states:
            try:
                stat = self.stats.stat(file)
            except OSError:
                self._states[file] = None
            else:
                state = f"{stat.st_size}:{stat.st_mtime_ns}"
                self._states[file] = state if settled(stat) else None
        return self._states[file]

    def lines(self, file: str, first_line: int) -> tuple[int, int]:
        """The ``def`` line and the docstring's opening line of a function in ``file``."""
        known = self._lines.get((file, first_line))
        if known is not None:
            return known
        state = self._state(file)
        facts = self.memo.facts(file, state, "lines") if state else None
        stored = facts.get(str(first_line)) if facts is not None else None
        if (
            type(stored) is list
            and len(stored) == 2
            and all(type(number) is int and 1 <= number <= MAX_LINE for number in stored)
        ):
            known = (stored[0], stored[1])
        else:
            def_line = definition_line(file, first_line)
            known = (def_line, _docstring_line(linecache.getlines(file), def_line))
            if facts is not None:
                facts[str(first_line)] = list(known)
                self.memo.added()
        self._lines[(file, first_line)] = known
        return known

    def _outer_of(self, item: pytest.Function) -> tuple[tuple[str | None, str | None], bytes]:
        parent = item.parent
        known = self._outer.get(parent) if parent is not None else None
        if known is None:
            cls_doc = getattr(item.cls, "__doc__", None) if item.cls else None
            module_doc = item.module.__doc__
            outer = (
                cls_doc if isinstance(cls_doc, str) else None,
                module_doc if isinstance(module_doc, str) else None,
            )
            known = (outer, _digest(*outer))
            if parent is not None:
                self._outer[parent] = known
        return known

    def breaches(
        self, item: pytest.Function, docstring: str, by_digest: bool = True
    ) -> tuple[Breach, ...]:
        """The breaches of a docstring; ``by_digest``: look for (and keep) them in the memo by a
        digest of the docstrings, for tests whose findings the memo cannot keep by file."""
        outer, outer_digest = self._outer_of(item)
        key = (docstring, outer_digest)
        verdict = self._verdicts.get(key)
        if verdict is None:
            memo_key = _digest(docstring, outer_digest.hex()).hex() if by_digest else None
            stored = self.memo.verdict(memo_key) if memo_key else None
            verdict = _from_stored(stored) if stored is not None else None
            if verdict is None:
                from pytest_seams.docstrings import check_contract  # warm sessions parse none

                verdict = check_contract(
                    docstring, outer, self.config.required_sections, self.config.inherited_sections
                )
                if memo_key:
                    stored = [[b.code.code, b.message, b.line] for b in verdict]
                    self.memo.put_verdict(memo_key, stored)
            self._verdicts[key] = verdict
        return verdict

    def templates(self, item: pytest.Function, code: CodeType | None) -> list[Template]:
        """The breaches of one integration test function (whose unwrapped code is ``code``).

        Tests of the same function under the same parent share them: parametrized cases.
        """
        group = self._group(item, code)
        key = str(code.co_firstlineno) if code is not None else ""
        templates = (
            _templates_from_stored(group[1].get(key), self.memo.message)
            if group is not None
            else None
        )
        if templates is None:
            templates = self._templates_of(item, item.obj.__doc__, code, by_digest=group is None)
            if group is not None:
                group[1][key] = [
                    [c.code, self.memo.message_id(text), line] for c, text, line in templates
                ]
                self.memo.added()
        return templates

    def _group(
        self, item: pytest.Function, code: CodeType | None
    ) -> tuple[str, dict[str, Any]] | None:
        """The memo's findings of the test functions under the item's parent, if it can keep
        them: when the function, its class and its module come from the collected file.

        Then the docstrings and their lines depend only on that file (and on the settings in
        the memo's name), so its size and mtime stand for them: no digest is needed.
        """
        parent = item.parent
        if parent is None or code is None:
            return None
        if parent not in self._groups:
            # The class and module from the parents in the usual layouts: item.cls and
            # item.module walk up the tree.
            local = True
            if not isinstance(parent, pytest.Module):
                above = parent.parent
                if isinstance(parent, pytest.Class) and isinstance(above, pytest.Module):
                    cls, module = parent.obj, above.obj
                else:
                    cls, module = item.cls, item.module
                local = cls is None or getattr(cls, "__module__", None) == module.__name__
            file = str(item.path)
            state = self._state(file) if local else None
            self._groups[parent] = (
                # Keyed by the parent's node id within the file ("" for the module itself).
                (file, self.memo.facts(file, state, "tests:" + parent.nodeid.partition("::")[2]))
                if state
                else None
            )
        group = self._groups[parent]
        return group if group is not None and group[0] == code.co_filename else None

    def _templates_of(
        self, item: pytest.Function, docstring: object, code: CodeType | None, by_digest: bool
    ) -> list[Template]:
        """(code, message, line) of each breach of one test function's docstring."""
        file, first_line = (code.co_filename, code.co_firstlineno) if code else (None, None)
        if not isinstance(docstring, str) or not docstring.strip():
            message = (
                "integration test has no docstring: document it with the sections "
                + ", ".join(f'"{name}:"' for name in self.config.required_sections)
                + "."
            )
            line = self.lines(file, first_line)[0] if file and first_line else first_line
            return [(DOCSTRING_MISSING, message, line)]
        breaches = self.breaches(item, docstring, by_digest)
        if not breaches:
            return []
        # Only breaches need lines: the source is read for these tests alone, once.
        opening = self.lines(file, first_line)[1] if file and first_line else None
        return [
            (
                breach.code,
                breach.message,
                opening + breach.line
                if opening is not None and breach.line is not None
                else opening,
            )
            for breach in breaches
        ]


def _templates_from_stored(
    stored: object, message: Callable[[object], str | None]
) -> list[Template] | None:
    """Findings templates from their memo form (``message`` turns a message id into its text);
    None when the entry is not what this version writes."""
    if not isinstance(stored, list):
        return None
    templates = []
    for entry in stored:
        if not (isinstance(entry, list) and len(entry) == 3):
            return None
        code, message_id, line = entry
        text = message(message_id)
        if not (type(code) is str and code in ALL_CODES) or text is None:  # str: hashable
            return None
        if line is not None and not (type(line) is int and 1 <= line <= MAX_LINE):
            return None
        templates.append((ALL_CODES[code], text, line))
    return templates


def _from_stored(stored: object) -> tuple[Breach, ...] | None:
    """Breaches from their memo form; None when the entry is not what this version writes."""
    from pytest_seams.docstrings import Breach

    if type(stored) is not list:
        return None
    breaches = []
    for entry in stored:
        if not (type(entry) is list and len(entry) == 3):
            return None
        code, message, line = entry
        if not (
            type(code) is str  # str: hashable
            and code in ALL_CODES
            and type(message) is str
            and (line is None or (type(line) is int and 0 <= line <= MAX_LINE))  # 0-based
        ):
            return None
        breaches.append(Breach(ALL_CODES[code], message, line))
    return tuple(breaches)
