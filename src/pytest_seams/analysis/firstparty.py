"""Which modules are the project's own, and where a dotted patch target really points.

An integration test may mock the outside world (a Redis client, the clock) but not the project's
own code, and a patch target such as ``shop.cache.aioredis.from_url`` names a first-party module
while patching a third-party function. Telling the two apart means following the imports of the
first-party modules. That is done statically with :mod:`ast`: importing user code to answer the
question could run side effects, be slow, or fail in the checker's environment.
"""

from __future__ import annotations

import ast
import builtins
import contextlib
import fnmatch
import os
import re
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Literal, NamedTuple

from pytest_seams.paths import read_regular_file

ResolutionKind = Literal["internal", "boundary", "external", "unresolved"]
# What a first-party target is, so a message can say what was replaced and advise to fit:
# a class or function, an object a module builds at import time (``settings = Settings()``),
# a plain value (a constant or flag: configuration, not a collaborator), a module, or another
# top-level name (an alias, a type alias).
DefinitionKind = Literal["module", "class", "function", "object", "value", "name"]

# Top-level directories of a flat layout that hold tooling, tests or environments, not code
# the tests are about.
EXCLUDED_DIRS = frozenset(
    {
        "tests",
        "test",
        "testing",
        "docs",
        "examples",
        "benchmarks",
        "build",
        "dist",
        ".venv",
        "venv",
        "node_modules",
        ".git",
        ".tox",
    }
)
# Following imports that lead back to first-party code stops here, so a cycle or a pathological
# re-export chain cannot hang the checker.
MAX_DEPTH = 10


class Resolution(NamedTuple):
    """The verdict on one patch target, with a sentence the finding message can quote.

    For first-party targets, ``what`` says what kind of top-level definition the target is or
    belongs to, ``owner`` names that definition (``shop.cache.PriceCache`` for the target
    ``shop.cache.PriceCache.get``) and ``member`` tells whether the target is a part of it.
    """

    kind: ResolutionKind
    target: str
    defined_in: str | None
    reason: str
    what: DefinitionKind = "name"
    owner: str | None = None
    member: bool = False


class _Import(NamedTuple):
    """A top-level name bound by an import: the object it stands for and how it was bound."""

    origin: str
    source: str
    phrase: str


class _Defined(NamedTuple):
    """A top-level name defined in the module itself, and how.

    ``callee`` is set for ``name = call(...)``: the dotted name of what was called, through the
    module's imports (``logging.getLogger``), ``""`` when it is defined in the module itself, or
    ``None`` when it cannot be told.
    """

    kind: Literal["class", "function", "object", "value", "name"]
    callee: str | None = None
    decorator: str | None = None  # a function's outermost decorator, like ``callee``


# A top-level name is either defined in the module or bound by an import.
_Binding = _Import | _Defined


class _Summary(NamedTuple):
    """What resolution needs from a module: its top-level bindings, not its whole syntax tree."""

    bindings: dict[str, _Binding]
    star_import: bool


class FirstParty:
    """The project's own top-level modules, boundary globs, and a static patch-target resolver.

    ``roots`` maps a top-level module name to its package directory or module file; ``None``
    marks a name configured as first-party that is not on disk, which still makes its mocks
    internal but cannot be followed any further.
    """

    def __init__(
        self,
        rootdir: Path,
        roots: Mapping[str, Path | None],
        boundaries: Sequence[str] = (),
    ) -> None:
        self.rootdir = rootdir
        self.boundaries = tuple(b.strip() for b in boundaries if b.strip())
        self._roots = {
            name: None if path is None else (rootdir / path).resolve()
            for name, path in roots.items()
        }
        self._real_rootdir = str(rootdir.resolve())
        self._paths: dict[str, Path | None] = {}
        self._resolved: dict[str, Resolution] = {}
        self._summaries: dict[str, _Summary | str] = {}
        self._class_nodes: dict[str, dict[str, ast.ClassDef]] = {}

    @classmethod
    def detect(
        cls,
        rootdir: Path,
        extra: Sequence[str] = (),
        boundaries: Sequence[str] = (),
    ) -> FirstParty:
        """Guess the first-party modules from the layout, without walking the whole tree.

        Only rootdir and rootdir/src are listed (plus one level inside namespace candidates),
        so detection stays cheap on repositories with large data or environment directories.
        """
        roots: dict[str, Path | None] = {}
        src = rootdir / "src"
        for entry in _listdir(src):
            if entry.name.startswith(".") or entry.name in roots:
                continue
            if entry.is_dir() and entry.name.isidentifier():
                if (entry / "__init__.py").is_file() or _is_namespace_package(entry):
                    roots[entry.name] = entry
            elif _is_module_file(entry) and entry.stem != "conftest":
                roots[entry.stem] = entry
        for entry in _listdir(rootdir):
            name = entry.name
            if name in EXCLUDED_DIRS or name.startswith(".") or name in roots:
                continue
            if name.isidentifier() and (entry / "__init__.py").is_file():
                roots[name] = entry
        for name in _project_import_names(rootdir / "pyproject.toml"):
            path = _locate(rootdir, name)
            if path is not None:
                roots.setdefault(name, path)
        for configured in extra:
            name = configured.strip().split(".")[0]
            if name and roots.get(name) is None:
                roots[name] = _locate(rootdir, name)
        return cls(rootdir, roots, boundaries)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(sorted(self._roots))

    def is_first_party(self, module: str) -> bool:
        return module.split(".")[0] in self._roots

    def is_boundary(self, module: str) -> bool:
        """A plain entry covers its submodules too, since a boundary is usually a whole package."""
        for pattern in self.boundaries:
            if module == pattern or fnmatch.fnmatchcase(module, pattern):
                return True
            if not _has_glob(pattern) and module.startswith(pattern + "."):
                return True
        return False

    def module_path(self, module: str) -> Path | None:
        """Cached, because resolution probes every prefix of every target it is asked about."""
        if module not in self._paths:
            self._paths[module] = self._find_module(module)
        return self._paths[module]

    def module_of_file(self, path: Path) -> str | None:
        """Map a file back to its dotted name, e.g. to tell which module a test file exercises."""
        # String work instead of Path.resolve(), which stats every path component: this runs
        # for every analysed file of every session. Only rootdir itself is taken as resolved.
        file = os.path.normpath(os.path.join(self.rootdir, path))
        prefix = str(self.rootdir)
        if file.startswith(prefix + os.sep):
            file = self._real_rootdir + file[len(prefix) :]
        if not file.endswith(".py"):
            return None
        for name, root in self._roots.items():
            if root is None:
                continue
            root_text = str(root)
            if root.suffix == ".py":
                if file == root_text:
                    return name
                continue
            if not file.startswith(root_text + os.sep):
                continue
            parts = file[len(root_text) + 1 : -len(".py")].split(os.sep)
            if parts[-1] == "__init__":
                parts.pop()
            if all(part.isidentifier() for part in parts):
                return ".".join([name, *parts])
        return None

    def resolve(self, target: str) -> Resolution:
        """Follow ``target`` through first-party modules to the module that really owns it."""
        known = self._resolved.get(target)
        if known is None:
            known = self._resolved[target] = self._resolve(target)
        return known

    def _resolve(self, target: str) -> Resolution:
        target = target.strip()
        if not target or not all(part.isidentifier() for part in target.split(".")):
            return Resolution("unresolved", target, None, f"{target!r} is not a dotted name.")
        if not self.is_first_party(target):
            top = target.split(".")[0]
            return Resolution(
                "external",
                target,
                None,
                f"{top} is not first-party code, so {target} is an external object.",
            )
        return self._follow(target, target, boundary=None, seen=set())

    def _follow(
        self, original: str, current: str, boundary: str | None, seen: set[str]
    ) -> Resolution:
        """One hop: find the owning module of ``current``, then recurse if it is re-imported.

        ``boundary`` carries the first boundary module met on the way, because patching
        through a boundary package is allowed wherever the object finally lives.
        """

        def verdict(
            module: str,
            sentence: str,
            what: DefinitionKind = "module",
            owner: str | None = None,
            member: bool = False,
        ) -> Resolution:
            if boundary is None:
                return Resolution("internal", original, module, sentence, what, owner, member)
            if boundary == module:
                why = "which is configured as a boundary"
            else:
                why = f"reached through boundary module {boundary}"
            return Resolution("boundary", original, module, f"{sentence[:-1]}, {why}.")

        def unresolved(reason: str) -> Resolution:
            return Resolution("unresolved", original, None, reason)

        if current in seen:
            return unresolved(f"{original} leads to an import cycle at {current}.")
        if len(seen) >= MAX_DEPTH:
            return unresolved(f"{original} is re-imported through more than {MAX_DEPTH} modules.")
        seen.add(current)

        parts = current.split(".")
        size = next(
            (n for n in range(len(parts), 0, -1) if self.module_path(".".join(parts[:n]))), 0
        )
        if not size:
            return unresolved(f"{current} is first-party but no module for it was found on disk.")
        prefix = ".".join(parts[:size])
        if boundary is None and self.is_boundary(prefix):
            boundary = prefix

        if prefix == current:
            return verdict(prefix, f"{current} is a first-party module.")

        summary = self._summary(prefix)
        if isinstance(summary, str):
            return unresolved(summary)
        name = parts[size]
        rest = parts[size + 1 :]
        if name in summary.bindings:
            imported = summary.bindings[name]
            if isinstance(imported, _Defined):
                return self._defined(original, prefix, name, imported, bool(rest), verdict)
            if not self.is_first_party(imported.origin):
                label = "stdlib" if _is_stdlib(imported.source) else "third-party"
                return Resolution(
                    "boundary",
                    original,
                    imported.source,
                    f"{prefix} {imported.phrase} ({label}): a boundary mock.",
                )
            return self._follow(original, ".".join([imported.origin, *rest]), boundary, seen)
        if summary.star_import:
            return unresolved(f"{prefix} has a star import, so where {name} comes from is unknown.")
        if "__getattr__" in summary.bindings:
            return unresolved(f"{prefix} defines __getattr__, so {name} is computed at runtime.")
        return unresolved(f"{name} is not defined or imported at the top level of {prefix}.")

    def _defined(
        self,
        original: str,
        module: str,
        name: str,
        definition: _Defined,
        member: bool,
        verdict: Callable[[str, str, DefinitionKind, str | None, bool], Resolution],
    ) -> Resolution:
        """The verdict on a name defined in first-party ``module``.

        A module global built by a third-party or standard-library call (``logger =
        logging.getLogger(__name__)``, ``client = httpx.Client()``) is a boundary object: the
        project only holds it, its code is not the project's. So are the attributes that a
        third-party decorator gives a function (Celery's ``send_email.delay``).
        """
        owner = f"{module}.{name}"
        wrapper = definition.decorator
        if member and wrapper and not self.is_first_party(wrapper):
            label = "stdlib" if _is_stdlib(wrapper) else "third-party"
            return Resolution(
                "boundary",
                original,
                module,
                f"{owner} is wrapped by {wrapper} ({label}), whose attributes are not "
                "first-party code: a boundary mock.",
                "function",
                owner,
                member,
            )
        callee = definition.callee
        if definition.kind == "object" and callee and not self.is_first_party(callee):
            label = "stdlib" if _is_stdlib(callee) else "third-party"
            return Resolution(
                "boundary",
                original,
                module,
                f"{owner} is made by {callee} ({label}): a boundary object.",
                "object",
                owner,
                member,
            )
        sentence = f"{name} is defined in first-party module {module}."
        return verdict(module, sentence, definition.kind, owner, member)

    def instance_data(self, owner: str, depth: int = 0) -> frozenset[str]:
        """The attributes that first-party class ``owner`` (its dotted name in its defining
        module) or its first-party bases set on ``self`` in their methods and do not define in
        their bodies (``self._process = Process(...)``): what they hold is known only at
        runtime. Empty when that is not a class the analysis can read.

        Asked only for a mock put in an attribute of a first-party object, so the module is
        parsed again here rather than every summary walking every method.
        """
        module, _, name = owner.rpartition(".")
        if not module or not self.module_path(module) or depth > MAX_DEPTH:
            return frozenset()
        summary = self._summary(module)
        node = self._classes(module).get(name)
        if isinstance(summary, str) or node is None:
            return frozenset()
        data = set(_instance_data(node))
        for base in node.bases:
            if isinstance(base, ast.Name) and isinstance(summary.bindings.get(base.id), _Defined):
                based: str | None = f"{module}.{base.id}"  # a class of the same module
            else:
                based = _callee(base, summary.bindings)
            if based and self.is_first_party(based):
                resolved = self.resolve(based)
                if resolved.kind == "internal" and resolved.owner:
                    data |= self.instance_data(resolved.owner, depth + 1)
        return frozenset(data)

    def _classes(self, module: str) -> dict[str, ast.ClassDef]:
        """The top-level classes of a first-party module, by name (parsed once, on demand)."""
        if module not in self._class_nodes:
            path = self.module_path(module)
            body: list[ast.stmt] = []
            # A module that cannot be read has no classes here; its summary says why.
            with contextlib.suppress(OSError, SyntaxError, ValueError, RecursionError):
                body = _parse(path).body if path else []
            self._class_nodes[module] = {
                node.name: node for node in body if isinstance(node, ast.ClassDef)
            }
        return self._class_nodes[module]

    def _find_module(self, module: str) -> Path | None:
        top, *rest = module.split(".")
        root = self._roots.get(top)
        if root is None:
            return None
        if root.suffix == ".py":
            return root if not rest and root.is_file() else None
        base = root.joinpath(*rest)
        candidates = [base / "__init__.py"]
        if rest:
            candidates.insert(0, base.with_name(base.name + ".py"))
        return next((path for path in candidates if path.is_file()), None)

    def _summary(self, module: str) -> _Summary | str:
        """Parse each module once; a string result is the reason it could not be read."""
        if module not in self._summaries:
            path = self.module_path(module)
            assert path is not None
            try:
                tree = _parse(path)
            except (OSError, SyntaxError, ValueError, RecursionError) as exc:
                shown = _display(path, self.rootdir)
                self._summaries[module] = f"{shown} could not be parsed ({type(exc).__name__})."
            else:
                package = module if path.name == "__init__.py" else module.rpartition(".")[0]
                self._summaries[module] = _summarise(tree, package)
        return self._summaries[module]


def _summarise(tree: ast.Module, package: str) -> _Summary:
    """Collect top-level bindings in source order, the later one winning as at runtime.

    A definition inside an ``if``/``try`` does not replace an import of the same name: that is
    the ``try: from redis import Redis`` / ``except ImportError: Redis = None`` fallback, and the
    import is what the code really uses.
    """
    bindings: dict[str, _Binding] = {}
    star = False
    for node, conditional in _top_level(tree.body):
        if isinstance(node, ast.Import | ast.ImportFrom):
            for name, imported in _imports(node, package):
                if imported is None:
                    star = True
                else:
                    bindings[name] = imported
            continue
        definition = _definition(node, bindings)
        for name in _defined_names(node):
            if not (conditional and isinstance(bindings.get(name), _Import)):
                bindings[name] = definition
    return _Summary(bindings, star)


_VALUE_NODES = (
    ast.Constant,
    ast.JoinedStr,
    ast.List,
    ast.Tuple,
    ast.Set,
    ast.Dict,
    ast.BinOp,
    ast.UnaryOp,
    ast.BoolOp,
    ast.Compare,
)


def _definition(node: ast.stmt, bindings: Mapping[str, _Binding]) -> _Defined:
    """How a top-level statement defines its names (see ``_Defined``)."""
    if isinstance(node, ast.ClassDef):
        return _Defined("class")
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
        wrapper = _callee(node.decorator_list[0], bindings) if node.decorator_list else None
        return _Defined("function", decorator=wrapper)
    value = node.value if isinstance(node, ast.Assign | ast.AnnAssign) else None
    if isinstance(value, ast.Lambda):
        return _Defined("function")
    if isinstance(value, ast.Call):
        return _Defined("object", _callee(value.func, bindings))
    if isinstance(value, _VALUE_NODES) and not any(
        isinstance(inner, ast.Call | ast.Lambda) for inner in ast.walk(value)
    ):
        return _Defined("value")
    return _Defined("name")


def _instance_data(node: ast.ClassDef) -> frozenset[str]:
    """The ``self.NAME = ...`` attributes of a class's methods that its body does not define."""
    members: set[str] = set()
    assigned: set[str] = set()
    for statement in node.body:
        members.update(_defined_names(statement))
        if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef):
            for inner in ast.walk(statement):
                targets = (
                    inner.targets
                    if isinstance(inner, ast.Assign)
                    else [inner.target]
                    if isinstance(inner, ast.AnnAssign | ast.AugAssign)
                    else []
                )
                assigned.update(
                    target.attr
                    for target in targets
                    if isinstance(target, ast.Attribute)
                    and isinstance(target.value, ast.Name)
                    and target.value.id == "self"
                )
    return frozenset(assigned - members)


def _callee(func: ast.expr, bindings: Mapping[str, _Binding]) -> str | None:
    """The dotted name a module-level call calls, through the module's imports."""
    parts: list[str] = []
    while True:
        if isinstance(func, ast.Attribute):
            parts.append(func.attr)
            func = func.value
        elif isinstance(func, ast.Call):  # Settings().with_defaults(): what Settings is
            parts.clear()
            func = func.func
        else:
            break
    if not isinstance(func, ast.Name):
        return None
    bound = bindings.get(func.id)
    if isinstance(bound, _Import):
        return ".".join([bound.origin, *reversed(parts)])
    if bound is not None and bound.kind == "object" and bound.callee:
        return ".".join([bound.callee, *reversed(parts)])  # app.task, app = Celery()
    if bound is not None:
        return ""  # defined in the module itself: first-party
    if func.id in vars(builtins):
        return f"builtins.{func.id}"
    return None


def _top_level(body: list[ast.stmt], conditional: bool = False) -> Iterator[tuple[ast.stmt, bool]]:
    """Statements that run at import time, descending into ``if`` and ``try`` blocks."""
    for node in body:
        if isinstance(node, ast.If):
            yield from _top_level(node.body, True)
            yield from _top_level(node.orelse, True)
        elif isinstance(node, ast.Try) or type(node).__name__ == "TryStar":
            yield from _top_level(getattr(node, "body", []), True)
            for handler in getattr(node, "handlers", []):
                yield from _top_level(handler.body, True)
            yield from _top_level(getattr(node, "orelse", []), True)
            yield from _top_level(getattr(node, "finalbody", []), True)
        else:
            yield node, conditional


def _imports(
    node: ast.Import | ast.ImportFrom, package: str
) -> Iterator[tuple[str, _Import | None]]:
    """Bound name and origin for each alias; ``None`` marks a star import."""
    if isinstance(node, ast.Import):
        for alias in node.names:
            if alias.asname:
                phrase = f"imports {alias.asname} from {alias.name}"
                yield alias.asname, _Import(alias.name, alias.name, phrase)
            else:
                top = alias.name.split(".")[0]
                yield top, _Import(top, top, f"imports {top}")
        return
    source = _absolute_source(node, package)
    if source is None:
        return
    for alias in node.names:
        if alias.name == "*":
            yield "*", None
            continue
        bound = alias.asname or alias.name
        phrase = f"imports {bound} from {source}"
        yield bound, _Import(f"{source}.{alias.name}", source, phrase)


def _absolute_source(node: ast.ImportFrom, package: str) -> str | None:
    """The absolute module of a from-import; ``None`` when it climbs above the top package."""
    if node.level == 0:
        return node.module
    parts = package.split(".") if package else []
    keep = len(parts) - (node.level - 1)
    if keep <= 0:
        return None
    base = ".".join(parts[:keep])
    return f"{base}.{node.module}" if node.module else base


def _defined_names(node: ast.stmt) -> Iterator[str]:
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        yield node.name
    elif isinstance(node, ast.Assign):
        for target in node.targets:
            yield from _target_names(target)
    elif isinstance(node, ast.AnnAssign):
        yield from _target_names(node.target)
    elif type(node).__name__ == "TypeAlias":  # Python 3.12 ``type X = ...``
        name = getattr(node, "name", None)
        if isinstance(name, ast.Name):
            yield name.id


def _target_names(target: ast.expr) -> Iterator[str]:
    if isinstance(target, ast.Name):
        yield target.id
    elif isinstance(target, ast.Tuple | ast.List):
        for element in target.elts:
            yield from _target_names(element)
    elif isinstance(target, ast.Starred):
        yield from _target_names(target.value)


def _is_stdlib(module: str) -> bool:
    return module.split(".")[0] in sys.stdlib_module_names


def _has_glob(pattern: str) -> bool:
    return any(char in pattern for char in "*?[")


def _display(path: Path, rootdir: Path) -> str:
    try:
        return path.relative_to(rootdir.resolve()).as_posix()
    except ValueError:
        return str(path)


def _listdir(directory: Path) -> list[Path]:
    try:
        return sorted(directory.iterdir())
    except OSError:
        return []


def _parse(path: Path) -> ast.Module:
    """A first-party module's syntax tree, read as every file a user can replace is read
    (``read_regular_file``: no FIFO or device, however it got there)."""
    return ast.parse(read_regular_file(path), filename=str(path))


def _is_module_file(path: Path) -> bool:
    return path.suffix == ".py" and path.stem.isidentifier() and path.is_file()


def _is_namespace_package(directory: Path) -> bool:
    """A directory without ``__init__.py`` counts when it holds modules or regular packages."""
    return any(
        _is_module_file(child) or (child / "__init__.py").is_file()
        for child in _listdir(directory)
        if child.name != "__pycache__"
    )


def _locate(rootdir: Path, name: str) -> Path | None:
    """The package or module ``name`` under rootdir/src or rootdir, src layout first."""
    for base in (rootdir / "src", rootdir):
        for candidate in (base / name, base / f"{name}.py"):
            if candidate.exists():
                return candidate
    return None


def _project_import_names(pyproject: Path) -> list[str]:
    """Import names a distribution name plausibly maps to: ``My-App`` -> my_app, My_App."""
    try:
        text = pyproject.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return []
    name = _project_name(text)
    if not name:
        return []
    underscored = re.sub(r"[-.]+", "_", name.strip())
    candidates = dict.fromkeys((underscored.lower(), underscored))
    return [candidate for candidate in candidates if candidate.isidentifier()]


def _project_name(text: str) -> str | None:
    if sys.version_info >= (3, 11):
        import tomllib

        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError:
            return None
        project = data.get("project")
        name = project.get("name") if isinstance(project, dict) else None
        return name if isinstance(name, str) else None
    return _scan_project_name(text)


_SECTION = re.compile(r"^\s*\[\s*([^\]]+?)\s*\]\s*(?:#.*)?$")
_NAME = re.compile(r"""^\s*name\s*=\s*(["'])(.+?)\1\s*(?:#.*)?$""")


def _scan_project_name(text: str) -> str | None:
    """``[project].name`` without a TOML parser, for Python 3.10 where tomllib is missing.

    Only the one-line ``name = "..."`` form is recognised; anything else means no name,
    which only loses one detection source.
    """
    section = None
    for line in text.splitlines():
        header = _SECTION.match(line)
        if header:
            section = header.group(1)
        elif section == "project":
            match = _NAME.match(line)
            if match:
                return match.group(2)
    return None
