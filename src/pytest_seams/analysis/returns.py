"""The class a first-party factory returns, read from its source, for SEAM503's message.

The analysis of a test file sees ``cache = await make_cache()`` but not what ``make_cache``
returns; the message should name the object's class, not the factory. Only findings that point
at a factory pay for this: the factory's module is parsed with :mod:`ast` (never imported).
"""

from __future__ import annotations

import ast
import os

from pytest_seams.analysis.firstparty import FirstParty
from pytest_seams.paths import read_regular_file

# Module path -> (mtime, size, classes returned by each function and method of it).
_SEEN: dict[str, tuple[int, int, dict[str, str]]] = {}


def factory_phrase(origin: str) -> str:
    """How a SEAM503 message names an object made by a factory whose class is not known yet:
    ``shop.repo.Repo.create`` -> ``the object Repo.create() returns``."""
    parts = origin.split(".")
    short = ".".join(parts[-2:]) if len(parts) >= 2 and parts[-2][:1].isupper() else parts[-1]
    return f"the object {short}() returns"


def object_phrase(class_name: str) -> str:
    article = "an" if class_name[:1] in "AEIOU" else "a"
    return f"{article} {class_name} object"


def name_returned_class(message: str, target: str, firstparty: FirstParty) -> str:
    """``message`` with "the object make_cache() returns" replaced by "a PriceCache object
    (from make_cache())" when the first-party factory's return annotation (or a classmethod's
    ``return cls(...)``) names the class; unchanged otherwise."""
    parts = target.split(".")
    for size in range(len(parts), 1, -1):
        origin = ".".join(parts[:size])
        phrase = factory_phrase(origin)
        if phrase not in message:
            continue
        class_name = _returned_class(firstparty, origin)
        if class_name is None:
            return message
        call = phrase.removeprefix("the object ").removesuffix(" returns")
        return message.replace(phrase, f"{object_phrase(class_name)} (from {call})")
    return message


def _returned_class(firstparty: FirstParty, origin: str) -> str | None:
    parts = origin.split(".")
    for size in range(len(parts) - 1, 0, -1):
        path = firstparty.module_path(".".join(parts[:size]))
        if path is not None:
            return _classes_returned(str(path)).get(".".join(parts[size:]))
    return None


def _classes_returned(path: str) -> dict[str, str]:
    try:
        status = os.stat(path)
        seen = _SEEN.get(path)
        if seen is not None and seen[:2] == (status.st_mtime_ns, status.st_size):
            return seen[2]
        tree = ast.parse(read_regular_file(path), filename=path)
    except (OSError, SyntaxError, ValueError, RecursionError):
        return {}
    found: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            _note(found, node.name, node, None)
        elif isinstance(node, ast.ClassDef):
            for member in node.body:
                if isinstance(member, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    _note(found, f"{node.name}.{member.name}", member, node.name)
    _SEEN[path] = (status.st_mtime_ns, status.st_size, found)
    return found


def _note(
    found: dict[str, str],
    name: str,
    function: ast.FunctionDef | ast.AsyncFunctionDef,
    owner: str | None,
) -> None:
    returned = _annotated_class(function.returns, owner)
    if returned is None and owner is not None and _is_classmethod(function):
        returned = owner if _returns_cls(function) else None
    if returned is not None:
        found[name] = returned


def _annotated_class(annotation: ast.expr | None, owner: str | None) -> str | None:
    if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
        text = annotation.value.strip()
        name = text.rpartition(".")[2]
        return name if name.isidentifier() and name[:1].isupper() else None
    if isinstance(annotation, ast.Attribute):
        name = annotation.attr
    elif isinstance(annotation, ast.Name):
        name = annotation.id
    else:
        return None
    if name == "Self":
        return owner
    return name if name[:1].isupper() and name not in ("None", "Any") else None


def _is_classmethod(function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    return any(
        isinstance(decorator, ast.Name) and decorator.id == "classmethod"
        for decorator in function.decorator_list
    )


def _returns_cls(function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    return any(
        isinstance(node, ast.Return)
        and isinstance(node.value, ast.Call)
        and isinstance(node.value.func, ast.Name)
        and node.value.func.id == "cls"
        for node in ast.walk(function)
    )
