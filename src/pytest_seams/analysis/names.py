"""Import aliases and dotted names, tracked by hand.

libcst's QualifiedNameProvider resolves every name in a file and costs about eight times the
parse on a real suite; the rules only need to know what a handful of expressions refer to, so we
track imports and simple assignments ourselves while walking.
"""

from __future__ import annotations

from collections import ChainMap

import libcst as cst


def attribute_chain(node: cst.BaseExpression) -> list[str] | None:
    """``a.b.c`` -> ["a", "b", "c"]; None for anything but names and attributes."""
    parts: list[str] = []
    while isinstance(node, cst.Attribute):
        parts.append(node.attr.value)
        node = node.value
    if isinstance(node, cst.Name):
        parts.append(node.value)
        return parts[::-1]
    return None


def dotted_module(node: cst.BaseExpression | None) -> str | None:
    """The dotted text of an import's module expression (``a.b`` in ``from a.b import c``)."""
    if node is None:
        return None
    chain = attribute_chain(node)
    return ".".join(chain) if chain else None


def string_value(node: cst.BaseExpression) -> str | None:
    """The value of a plain string literal, None for f-strings, concatenations and the rest."""
    if isinstance(node, cst.SimpleString):
        value = node.evaluated_value
        return value if isinstance(value, str) else None
    return None


class Scope:
    """What names mean in the code being walked: imports and simple local bindings.

    ``aliases`` maps a local name to the dotted name it stands for (``o`` -> ``os``,
    ``environ`` -> ``os.environ``, ``m`` -> ``unittest.mock``). ``built_from`` maps a local name
    to the dotted name of the callable whose result it holds (``svc = OrderService()`` ->
    ``shop.orders.OrderService``), for rules about objects built in the same function; an
    awaited call counts as the call (``repo = await Repo.create()`` -> ``shop.repo.Repo.create``).
    ``mocks`` says whether a local name or attribute path (``conn._connect``) holds a mock
    (True) or was bound to something else (False); names never bound here (parameters,
    globals) are absent. The assertion rule keeps
    it, as it knows the mocking APIs.
    """

    def __init__(self, parent: Scope | None = None) -> None:
        self.aliases: ChainMap[str, str] = parent.aliases.new_child() if parent else ChainMap({})
        self.built_from: ChainMap[str, str] = (
            parent.built_from.new_child() if parent else ChainMap({})
        )
        self.mocks: ChainMap[str, bool] = parent.mocks.new_child() if parent else ChainMap({})

    def child(self) -> Scope:
        return Scope(self)

    def resolve(self, node: cst.BaseExpression) -> str | None:
        """Dotted name an expression refers to, through aliases; None when not a name chain.

        Names that were never imported stand for themselves (``monkeypatch``, ``mocker``).
        """
        chain = attribute_chain(node)
        if chain is None:
            return None
        head = self.aliases.get(chain[0], chain[0])
        return ".".join([head, *chain[1:]])

    def origin(self, node: cst.BaseExpression) -> str | None:
        """What an expression denotes for first-party checks: its dotted name, or, for a local
        built by a call, the dotted name of that call's callable (plus any attribute path)."""
        chain = attribute_chain(node)
        if chain is None:
            return None
        built = self.built_from.get(chain[0])
        if built is not None:
            return ".".join([built, *chain[1:]])
        return self.resolve(node)

    def bind_import(self, node: cst.Import | cst.ImportFrom, package: str | None) -> None:
        if isinstance(node, cst.Import):
            for alias in node.names:
                module = dotted_module(alias.name)
                if module is None:
                    continue
                if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                    self.aliases[alias.asname.name.value] = module
                else:
                    head = module.split(".")[0]
                    self.aliases[head] = head
            return
        if isinstance(node.names, cst.ImportStar):
            return
        module = dotted_module(node.module)
        if node.relative:
            base = (package or "").split(".")
            up = len(node.relative) - 1
            base = base[: len(base) - up] if up else base
            module = ".".join([part for part in [*base, module] if part])
        if not module:
            return
        for alias in node.names:
            name = alias.name.value if isinstance(alias.name, cst.Name) else None
            if name is None:
                continue
            local = name
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                local = alias.asname.name.value
            self.aliases[local] = f"{module}.{name}"

    def bind_name(self, name: str, value: cst.BaseExpression) -> None:
        """Record ``name = value``: an alias of a dotted name, or a local built by a call.

        Any other value shadows what the name meant before, so it resolves to nothing known.
        """
        if isinstance(value, cst.Await) and isinstance(value.expression, cst.Call):
            value = value.expression
        if isinstance(value, cst.Call):
            callee = self.origin(value.func)
            self.aliases[name] = f"<result of {callee}>"
            if callee is not None:
                self.built_from[name] = callee
            return
        self.built_from.maps[0].pop(name, None)
        target = self.resolve(value)
        self.aliases[name] = target if target is not None else "<value>"
