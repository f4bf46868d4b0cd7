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
import os
from pathlib import Path
from types import CodeType

import pytest
from _pytest.nodes import Node

from pytest_seams.cache import ContractMemo, settled
from pytest_seams.codes import ALL_CODES, DOCSTRING_MISSING, Code
from pytest_seams.config import Config
from pytest_seams.docstrings import Breach, check_contract
from pytest_seams.model import Finding


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


class ContractCheck:
    """The docstring-contract findings of integration tests, each docstring parsed once ever.

    See the module docstring for what is kept where; outer (class and module) docstrings are
    looked up once per parent node.
    """

    def __init__(self, config: Config, memo: ContractMemo) -> None:
        self.config = config
        self.memo = memo
        self._outer: dict[Node, tuple[tuple[str | None, str | None], bytes]] = {}
        self._verdicts: dict[tuple[str, bytes], tuple[Breach, ...]] = {}
        self._signatures: dict[str, str | None] = {}
        self._lines: dict[tuple[str, int], tuple[int, int]] = {}
        self._local_parents: dict[Node, bool] = {}
        self._templates: dict[
            tuple[int, Node | None, object], list[tuple[Code, str, int | None]]
        ] = {}

    def _signature(self, file: str) -> str | None:
        """Size and mtime of a file, or None when it cannot be trusted to tell changes."""
        if file not in self._signatures:
            try:
                stat = os.stat(file)
            except OSError:
                self._signatures[file] = None
            else:
                signature = f"{stat.st_size}:{stat.st_mtime_ns}"
                self._signatures[file] = signature if settled(stat) else None
        return self._signatures[file]

    def lines(self, file: str, first_line: int) -> tuple[int, int]:
        """The ``def`` line and the docstring's opening line of a function in ``file``."""
        known = self._lines.get((file, first_line))
        if known is not None:
            return known
        signature = self._signature(file)
        memo_key = f"lines:{file}:{signature}:{first_line}"
        stored = self.memo.get(memo_key) if signature else None
        if (
            isinstance(stored, list)
            and len(stored) == 2
            and all(isinstance(number, int) for number in stored)
        ):
            known = (stored[0], stored[1])
        else:
            def_line = definition_line(file, first_line)
            known = (def_line, _docstring_line(linecache.getlines(file), def_line))
            if signature:
                self.memo.put(memo_key, list(known))
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

    def breaches(self, item: pytest.Function, docstring: str) -> tuple[Breach, ...]:
        outer, outer_digest = self._outer_of(item)
        key = (docstring, outer_digest)
        verdict = self._verdicts.get(key)
        if verdict is None:
            memo_key = _digest(docstring, outer_digest.hex()).hex()
            stored = self.memo.get(memo_key)
            verdict = _from_stored(stored) if stored is not None else None
            if verdict is None:
                verdict = check_contract(
                    docstring, outer, self.config.required_sections, self.config.inherited_sections
                )
                self.memo.put(memo_key, [[b.code.code, b.message, b.line] for b in verdict])
            self._verdicts[key] = verdict
        return verdict

    def check(
        self, item: pytest.Function, path: str | None, code: CodeType | None
    ) -> list[Finding]:
        """Findings of one integration test whose (unwrapped) function has ``code``."""
        docstring = item.obj.__doc__
        # Parametrized cases share their function, parent and docstring, hence their verdict.
        # id(code): hashing a code object hashes its bytecode; functions keep theirs alive.
        key = (id(code), item.parent, docstring)
        templates = self._templates.get(key)
        if templates is None:
            memo_key = self._memo_key(item, code)
            templates = _templates_from_stored(self.memo.get(memo_key)) if memo_key else None
            if templates is None:
                templates = self._templates_of(item, docstring, code)
                if memo_key:
                    self.memo.put(memo_key, [[c.code, text, line] for c, text, line in templates])
            self._templates[key] = templates
        nodeid = item.nodeid
        return [
            breach_code.finding(message, path=path, line=line, nodeid=nodeid)
            for breach_code, message, line in templates
        ]

    def _memo_key(self, item: pytest.Function, code: CodeType | None) -> str | None:
        """A key for the findings of a test function that its module file's state covers.

        When the function, its class and its module all come from the collected file, its
        docstring verdict and their lines depend only on that file (and on the settings in the
        memo's name), so size and mtime stand for the docstrings: no digest is needed.
        """
        parent = item.parent
        if code is None or parent is None or code.co_filename != str(item.path):
            return None
        local = self._local_parents.get(parent)
        if local is None:
            cls = item.cls
            local = self._local_parents[parent] = cls is None or (
                getattr(cls, "__module__", None) == item.module.__name__
            )
        signature = self._signature(code.co_filename) if local else None
        if signature is None:
            return None
        return f"findings:{code.co_filename}:{signature}:{code.co_firstlineno}:{parent.nodeid}"

    def _templates_of(
        self, item: pytest.Function, docstring: object, code: CodeType | None
    ) -> list[tuple[Code, str, int | None]]:
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
        breaches = self.breaches(item, docstring)
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


def _templates_from_stored(stored: object) -> list[tuple[Code, str, int | None]] | None:
    """Findings templates from their memo form; None when the entry is not what we write."""
    if not isinstance(stored, list):
        return None
    templates = []
    for entry in stored:
        if not (isinstance(entry, list) and len(entry) == 3):
            return None
        code, message, line = entry
        if code not in ALL_CODES or not isinstance(message, str):
            return None
        if line is not None and not isinstance(line, int):
            return None
        templates.append((ALL_CODES[code], message, line))
    return templates


def _from_stored(stored: list[list[object]]) -> tuple[Breach, ...] | None:
    """Breaches from their memo form; None when the entry is not what this version writes."""
    try:
        return tuple(
            Breach(ALL_CODES[str(code)], str(message), line if isinstance(line, int) else None)
            for code, message, line in stored
        )
    except (KeyError, TypeError, ValueError):
        return None
