"""Calls of configured entry points (``TestClient``, ``httpx.AsyncClient``, click's
``CliRunner``...) in tests and fixtures: evidence for checklist item 4, "tests from the
outside in".

Not a rule: it finds nothing wrong, it notes which tests drive the code through an entry
point. It rides along the one walk of the file that the rules make (see ``walk_module``).
"""

from __future__ import annotations

from collections.abc import Iterable

import libcst as cst

from pytest_seams.analysis.engine import Context, Function, Handler, Rule


class EntryPoints:
    """Which names are entry points: a dotted name matches the called name as imported
    (``httpx.Client`` matches ``httpx.Client(...)`` and ``from httpx import Client``), a plain
    name the called name's last part (``TestClient`` matches
    ``starlette.testclient.TestClient``)."""

    def __init__(self, names: Iterable[str]) -> None:
        self.dotted = tuple(name for name in names if "." in name)
        self.plain = frozenset(name for name in names if "." not in name)

    def match(self, called: str) -> bool:
        if called.rpartition(".")[2] in self.plain:
            return True
        return any(called == name or called.endswith("." + name) for name in self.dotted)


class EntryPointCalls(Rule):
    """Notes, per test and per fixture (by qualified name), the entry points its own code
    calls, once each, as the dotted names they resolve to through the file's imports: a
    fixture that builds a ``TestClient`` makes the tests using it outside-in."""

    codes = ()

    def __init__(self, entry_points: EntryPoints) -> None:
        self.entry_points = entry_points
        self.found: dict[str, list[str]] = {}

    def handlers(self) -> dict[type[cst.CSTNode], Handler]:
        return {cst.Call: self._call}

    def _call(self, node: cst.Call, context: Context) -> None:
        owner: Function | None = context.owner
        if owner is None or owner.kind not in ("test", "fixture"):
            return
        called = context.scope.resolve(node.func)
        if called is None or not self.entry_points.match(called):
            return
        names = self.found.setdefault(owner.qualname, [])
        if called not in names:
            names.append(called)
