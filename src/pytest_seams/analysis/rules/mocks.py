"""SEAM301/SEAM302: integration tests that replace the project's own code with mocks.

Whether a target is first-party depends on the rest of the project, so this rule only says what
is replaced: a raw finding's ``target`` is a dotted name, where ``()`` stands for "the result of
calling" (``shop.cache.PriceCache().store`` is the ``store`` attribute of a ``PriceCache``
object), optionally followed by ``|`` and the dotted name of the code a spec mock is passed to.
Its message is a template whose ``{target}`` the project analysis replaces with a description
of the target (see ``ProjectAnalysis._decide``).
"""

from __future__ import annotations

import builtins
from typing import ClassVar, NamedTuple

import libcst as cst

from pytest_seams.analysis.engine import Context, Handler, Rule, children
from pytest_seams.analysis.names import attribute_chain, string_value
from pytest_seams.analysis.rules._mockapi import (
    MOCK_FACTORIES,
    MONKEYPATCH_SETATTR,
    SPEC_FIRST,
    mock_api,
)
from pytest_seams.codes import INTERNAL_MOCK, UNRESOLVED_MOCK_TARGET, Code

# patch.multiple's own keywords; every other keyword names an attribute it replaces.
_PATCH_MULTIPLE_OPTIONS = frozenset(
    {"target", "spec", "create", "spec_set", "autospec", "new_callable"}
)
_BUILTINS = frozenset(vars(builtins))
_LITERAL_NAMES = frozenset({"True", "False", "None"})


def _argument(node: cst.Call, position: int, keyword: str) -> cst.BaseExpression | None:
    for arg in node.args:
        if arg.keyword is not None and arg.keyword.value == keyword:
            return arg.value
    positional = [arg for arg in node.args if arg.keyword is None and not arg.star]
    return positional[position].value if len(positional) > position else None


def _keyword(node: cst.Call, keyword: str) -> cst.BaseExpression | None:
    return next((a.value for a in node.args if a.keyword and a.keyword.value == keyword), None)


def _makes_mock(api: str | None) -> bool:
    """Whether a mock API returns a mock: the factories, and patch(...) used as a value."""
    return api is not None and (api in MOCK_FACTORIES or api == "patch" or api.startswith("patch."))


def _is_literal(node: cst.BaseExpression | None) -> bool:
    """A plain value (number, string, bool, None, or a container of them): configuration."""
    if isinstance(
        node,
        cst.SimpleString
        | cst.ConcatenatedString
        | cst.FormattedString
        | cst.Integer
        | cst.Float
        | cst.Imaginary,
    ):
        return True
    if isinstance(node, cst.Name):
        return node.value in _LITERAL_NAMES
    if isinstance(node, cst.UnaryOperation):
        return _is_literal(node.expression)
    if isinstance(node, cst.List | cst.Tuple | cst.Set):
        return all(
            isinstance(element, cst.Element) and _is_literal(element.value)
            for element in node.elements
        )
    if isinstance(node, cst.Dict):
        return all(
            isinstance(element, cst.DictElement)
            and _is_literal(element.key)
            and _is_literal(element.value)
            for element in node.elements
        )
    return False


def _descendants(node: cst.CSTNode) -> list[cst.CSTNode]:
    found: list[cst.CSTNode] = []
    stack = [node]
    while stack:
        current = stack.pop()
        found.append(current)
        stack.extend(children(current))
    return found


def _text(node: cst.BaseExpression) -> str | None:
    """Source text of a name chain (``app.state``), None for anything else."""
    chain = attribute_chain(node)
    return ".".join(chain) if chain else None


class Traced(NamedTuple):
    """What an expression in a test stands for, as far as the file tells.

    ``target`` is its dotted name (see the module docstring for ``()``); ``test_code`` marks
    names defined in the test file itself (a fake class, a helper, the test case's ``self``);
    neither means it cannot be traced (a fixture, a parameter, the result of an untraced call).
    """

    target: str | None
    test_code: bool = False
    data: bool = False  # a plain value or container the test builds itself


# Values a test builds itself: whatever it patches on them is test code.
_TEST_DATA = (
    cst.List,
    cst.Tuple,
    cst.Set,
    cst.Dict,
    cst.ListComp,
    cst.SetComp,
    cst.DictComp,
    cst.GeneratorExp,
    cst.Lambda,
)
_UNTRACED = Traced(None)
_TEST_DATA_BOUND = Traced(None, test_code=True, data=True)
_TEST_CODE = Traced(None, test_code=True)


class InternalMockRule(Rule):
    """Mocking first-party code hides the very collaboration an integration test exists for.

    A target is first-party when the object it names is defined in first-party code; mocks of
    third-party or standard-library objects, even reached through a first-party module path,
    are boundary mocks and allowed, and so are module globals that first-party code builds by
    a third-party or standard-library call (``logger = logging.getLogger(__name__)``,
    ``client = httpx.Client()``). Replacing a module constant or flag, or setting any attribute
    to a plain value (``monkeypatch.setattr(settings, "debug", True)``) or to a real object
    built by a call (``fakeredis.FakeRedis()``), is configuration, not a collaborator, and is
    not reported; nor is a spy (``wraps=``), which lets the real code run.

    Besides patching, a first-party collaborator is replaced by FastAPI's
    ``app.dependency_overrides[provider] = ...`` with a mock (or a function or lambda returning
    one; a real fake such as ``lambda: InMemoryRepo()`` is fine), and by a mock shaped like a
    first-party class (``Mock(spec=PriceCache)``, ``create_autospec(PriceCache)``) passed to
    first-party code. A mock target the analysis cannot trace (a variable, a fixture or
    parameter, the result of an untraced call, what a first-party function returns) is SEAM302
    info: check it by hand. So is a mock put in an attribute that the first-party class's own
    methods (or its bases') set on ``self`` (``PriceCache.__init__`` sets ``self.store``): what
    it holds, the project's code or a boundary object such as a process or a socket, is known
    only at runtime; a mock in place of a method of the class is SEAM301.

    Which modules are first-party, and which are boundaries, is decided from the project (see
    docs/static-analysis.md); these examples assume a first-party package ``shop`` whose
    ``shop.cache`` module does ``import redis.asyncio as aioredis``, defines ``PriceCache``,
    ``TTL = 60`` and ``log = logging.getLogger(__name__)``, and whose ``shop.pricing`` module
    defines ``with_tax``.
    """

    codes: ClassVar[tuple[Code, ...]] = (INTERNAL_MOCK, UNRESOLVED_MOCK_TARGET)
    VALID = (
        """
from unittest.mock import MagicMock, Mock, patch
import redis
import shop.cache
from shop.cache import PriceCache
from shop.pricing import with_tax

class FakeCache:
    def get(self, key):
        return None

@patch("shop.cache.aioredis.from_url")
def test_boundary(from_url, mocker, monkeypatch):
    with patch.object(redis.Redis, "get"):
        pass
    mocker.patch("requests.get")
    monkeypatch.setattr("time.sleep", lambda s: None)
    mocker.patch.object(shop.cache.log, "warning")
    mocker.patch.object(shop.cache, "aioredis")
    monkeypatch.setattr(shop.cache, "TTL", 0)
    mocker.patch.object(shop.cache, "TTL")
    monkeypatch.setattr(PriceCache, "store", {})
    patch.object(FakeCache, "get").start()
    client = MagicMock(spec=redis.Redis)
    with_tax(client)
    spec_only = Mock(spec=PriceCache)
    spec_only.get.assert_not_called()

def test_real_fake(app):
    app.dependency_overrides[with_tax] = lambda: FakeCache()
""",
    )
    INVALID = (
        """
from unittest import mock as m
from unittest.mock import MagicMock, Mock, create_autospec, patch
from shop.cache import PriceCache
from shop.pricing import with_tax
import shop.cache

@patch("shop.cache.PriceCache.get")  # expect: SEAM301
@m.patch(target="shop.pricing.with_tax")  # expect: SEAM301
def test_internal(get, with_tax, mocker, monkeypatch):
    with patch.object(PriceCache, "get"):  # expect: SEAM301
        pass
    patch.multiple("shop.cache", PriceCache=MagicMock()).start()  # expect: SEAM301
    mocker.patch("shop.cache.PriceCache")  # expect: SEAM301
    mocker.patch.object(shop.cache, "PriceCache")  # expect: SEAM301
    monkeypatch.setattr("shop.cache.PriceCache", object)  # expect: SEAM301
    monkeypatch.setattr(shop.cache, "PriceCache", object)  # expect: SEAM301
    cache = PriceCache()
    cache.store = MagicMock()  # expect: SEAM302
    PriceCache.get = Mock()  # expect: SEAM301

def test_override(app):
    app.dependency_overrides[with_tax] = MagicMock()  # expect: SEAM301
    app.dependency_overrides.update({with_tax: lambda: Mock()})  # expect: SEAM301

def test_spec_mock_passed_in():
    cache = Mock(spec=PriceCache)
    with_tax(cache)  # expect: SEAM301
    with_tax(create_autospec(PriceCache))  # expect: SEAM301
""",
        """
from unittest.mock import Mock, patch

def test_dynamic(name, service, client):
    with patch(name):  # expect: SEAM302
        pass
    patch.object(service, "charge").start()  # expect: SEAM302
    service.repository = Mock()  # expect: SEAM302
    response = client.get("/")
    response.json = Mock()  # expect: SEAM302
""",
    )

    def __init__(self) -> None:
        # What single-name assignments bound, per function qualname (None: module level);
        # read before the scope's own aliases, which do not keep what the rule needs.
        self._bound: dict[tuple[str | None, str], Traced] = {}
        self._spec_of: dict[tuple[str | None, str], str] = {}  # name -> class its mock mimics
        self._test_names: set[str] = set()  # classes and functions defined in the test file
        self._functions: dict[str, cst.FunctionDef] = {}  # defined in the test file, by name
        self._mock_returning: dict[str, bool] = {}  # judged only when used as a replacement

    def handlers(self) -> dict[type[cst.CSTNode], Handler]:
        return {
            cst.Call: self._call,
            cst.Assign: self._assign,
            cst.FunctionDef: self._function,
            cst.ClassDef: self._class,
            cst.WithItem: self._with_item,
        }

    # What names stand for -------------------------------------------------------------------

    def _keys(self, context: Context) -> list[str | None]:
        """Innermost function first, module level last: the order names are looked up in."""
        return [*(f.qualname for f in reversed(context.functions)), None]

    def trace(self, node: cst.BaseExpression, context: Context) -> Traced:
        """What ``node`` stands for (see ``Traced``)."""
        if isinstance(node, cst.Attribute):
            if isinstance(node.value, cst.Name) and node.value.value in ("self", "cls"):
                return _UNTRACED  # whatever a test case keeps on itself: set up elsewhere
            base = self.trace(node.value, context)
            if base.target is None:
                return base
            return Traced(f"{base.target}.{node.attr.value}")
        if isinstance(node, cst.Call):
            base = self.trace(node.func, context)
            return Traced(f"{base.target}()") if base.target is not None else base
        if not isinstance(node, cst.Name):
            return _UNTRACED
        name = node.value
        for key in self._keys(context):
            bound = self._bound.get((key, name))
            if bound is not None:
                return bound
        alias = context.scope.aliases.get(name)
        if alias is not None and not alias.startswith("<"):
            return Traced(alias)
        if alias is not None and alias.startswith("<result of ") and alias != "<result of None>":
            return Traced(f"{alias[len('<result of ') : -1]}()")
        if name in self._test_names or name in ("self", "cls"):
            return _TEST_CODE
        if alias is None and name in _BUILTINS:
            return Traced(f"builtins.{name}")
        return _UNTRACED

    def _mock_factory(self, node: cst.CSTNode, context: Context) -> str | None:
        """The mock API a call builds its result with (``MagicMock``, ``patch``...), if any."""
        if not isinstance(node, cst.Call):
            return None
        api = mock_api(context.scope.origin(node.func))
        return api if _makes_mock(api) else None

    def _not_a_mock(self, new: cst.BaseExpression | None, context: Context) -> bool:
        """A replacement that is a plain value (configuration) or an object built by a call
        that makes no mock (a real fake such as ``fakeredis.FakeRedis()``)."""
        if new is None:
            return False  # patch's default: a MagicMock
        if isinstance(new, cst.Call):
            return self._mock_factory(new, context) is None and not self._returns_mock_name(
                new.func, context
            )
        if isinstance(new, cst.List | cst.Tuple | cst.Set | cst.Dict):
            return not any(  # data, e.g. [str(path)], unless it holds mocks
                self._mock_factory(inner, context) for inner in _descendants(new)
            )
        if isinstance(new, cst.Name) and not _is_literal(new):
            # A fixture or parameter (most often a real object: test settings, a fake
            # client), test data, or an object built by a call; not a class or function
            # reference, which would stand in for the code it replaces.
            traced = self.trace(new, context)
            if traced.target is None:
                return traced.data or not traced.test_code
            callee, called, _ = traced.target.partition("()")
            return bool(called) and not _makes_mock(mock_api(callee))
        return _is_literal(new)

    def _is_mock(self, node: cst.BaseExpression, context: Context) -> bool:
        """A mock built here, or a name bound to one."""
        if self._mock_factory(node, context) is not None:
            return True
        if isinstance(node, cst.Name):
            target = self.trace(node, context).target or ""
            callee, called, rest = target.partition("()")
            return bool(called) and not rest and _makes_mock(mock_api(callee))
        return False

    def _spec(self, node: cst.BaseExpression, context: Context) -> str | None:
        """The class a mock is shaped like: ``Mock(spec=X)``, ``create_autospec(X)``."""
        if isinstance(node, cst.Name):
            for key in self._keys(context):
                spec = self._spec_of.get((key, node.value))
                if spec is not None:
                    return spec
            return None
        api = self._mock_factory(node, context)
        if api is None or not isinstance(node, cst.Call) or _keyword(node, "wraps") is not None:
            return None  # not a mock, or a spy around a real object
        if api == "create_autospec":
            shape = _argument(node, 0, "spec")
        elif api in SPEC_FIRST:  # Mock(spec=None, ...): spec may be passed by position
            shape = _argument(node, 0, "spec") or _keyword(node, "spec_set")
        else:
            return None
        if shape is None or not isinstance(shape, cst.Name | cst.Attribute):
            return None
        target = self.trace(shape, context).target
        return target if target is not None and "()" not in target else None

    # Handlers -----------------------------------------------------------------------------

    def _with_item(self, node: cst.WithItem, context: Context) -> None:
        if node.asname is not None and isinstance(node.asname.name, cst.Name):
            self._bind(node.asname.name.value, node.item, context)

    def _class(self, node: cst.ClassDef, context: Context) -> None:
        self._test_names.add(node.name.value)

    def _function(self, node: cst.FunctionDef, context: Context) -> None:
        self._test_names.add(node.name.value)
        self._functions[node.name.value] = node

    def _returns_mock(self, body: cst.CSTNode, context: Context) -> bool:
        """Whether a function's own ``return``/``yield`` hands out a mock."""
        mocks: set[str] = set()
        stack = [body]
        while stack:
            current = stack.pop()
            if isinstance(current, cst.FunctionDef | cst.ClassDef | cst.Lambda):
                continue  # their returns are not this function's
            if isinstance(current, cst.Assign) and self._mock_factory(current.value, context):
                for target in current.targets:
                    if isinstance(target.target, cst.Name):
                        mocks.add(target.target.value)
            value = current.value if isinstance(current, cst.Return | cst.Yield) else None
            if isinstance(value, cst.BaseExpression) and (
                self._mock_factory(value, context)
                or (isinstance(value, cst.Name) and value.value in mocks)
            ):
                return True
            stack.extend(reversed(list(children(current))))
        return False

    def _call(self, node: cst.Call, context: Context) -> None:
        callee = context.scope.origin(node.func)
        api = mock_api(callee)
        spelled = _text(node.func) or "patch"
        if api == "patch":
            self._patch(node, context, spelled)
        elif api in ("patch.object", "patch.multiple"):
            self._patch_attributes(node, context, api, spelled)
        elif callee in MONKEYPATCH_SETATTR:
            self._setattr(node, context, spelled)
        elif api is None:
            func = node.func
            if isinstance(func, cst.Attribute) and func.attr.value == "update":
                overrides = _text(func.value)
                if overrides is not None and overrides.endswith(".dependency_overrides"):
                    argument = _argument(node, 0, "")
                    if isinstance(argument, cst.Dict):
                        self._overrides(node, context, overrides, argument)
                        return
            self._spec_mocks_passed(node, context)

    def _patch(self, node: cst.Call, context: Context, spelled: str) -> None:
        if _keyword(node, "wraps") is not None:
            return  # a spy: the real code still runs
        if self._not_a_mock(_argument(node, 1, "new"), context):
            return  # patch("shop.config.TIMEOUT", 0): configuration
        target = _argument(node, 0, "target")
        dotted = string_value(target) if target is not None else None
        how = f"{spelled}(...)"
        if dotted is not None:
            self._report(node, context, f"{how} replaces {{target}}", dotted)
        elif target is not None:
            self._unresolved(
                node,
                context,
                f"{how} takes its target from an expression, not a literal dotted string, so "
                "pytest-seams cannot tell whether it replaces first-party code; check it by "
                "hand.",
            )

    def _patch_attributes(self, node: cst.Call, context: Context, api: str, spelled: str) -> None:
        first = _argument(node, 0, "target")
        if first is None or _keyword(node, "wraps") is not None:
            return  # nothing to check, or a spy: the real code still runs
        how = f"{spelled}(...)"
        if api == "patch.object":
            if self._not_a_mock(_argument(node, 2, "new"), context):
                return
            attribute = _argument(node, 1, "attribute")
            names = [string_value(attribute) if attribute is not None else None]
        else:
            names = [
                arg.keyword.value
                for arg in node.args
                if arg.keyword is not None
                and arg.keyword.value not in _PATCH_MULTIPLE_OPTIONS
                and not self._not_a_mock(arg.value, context)
            ]
            if not names:
                if not any(arg.star == "**" for arg in node.args):
                    return  # only plain values: configuration
                names = [None]
        owner = string_value(first)
        traced = Traced(owner) if owner is not None else self.trace(first, context)
        for name in names:
            self._replaced(node, context, how, first, traced, name)

    def _setattr(self, node: cst.Call, context: Context, spelled: str) -> None:
        positional = [arg.value for arg in node.args if arg.keyword is None and not arg.star]
        how = f"{spelled}(...)"
        if not positional:
            return
        first = positional[0]
        text = string_value(first)
        if text is not None:
            if (
                len(positional) == 2
                and "." in text
                and not self._not_a_mock(positional[1], context)
            ):
                self._report(node, context, f"{how} replaces {{target}}", text)
            return
        if len(positional) < 3 or self._not_a_mock(positional[2], context):
            return
        name = string_value(positional[1])
        self._replaced(node, context, how, first, self.trace(first, context), name)

    def _replaced(
        self,
        node: cst.CSTNode,
        context: Context,
        how: str,
        owner: cst.BaseExpression,
        traced: Traced,
        name: str | None,
    ) -> None:
        """Report the replacement of attribute ``name`` (unknown: None) of ``owner``."""
        if traced.test_code:
            return
        shown = _text(owner)
        if traced.target is None:
            what = f"{shown}.{name}" if shown and name else (shown or "its target")
            self._unresolved(
                node,
                context,
                f"{how} replaces {what}, but pytest-seams cannot trace "
                f"{shown or 'the object'} to where it is defined (a fixture, a parameter, an "
                "attribute set elsewhere, or the result of a call it does not follow), so it "
                "cannot tell whether this is first-party code; check it by hand, or patch it by "
                "its dotted path so it can be checked.",
            )
        elif name is None:
            self._report(node, context, f"{how} replaces an attribute of {{target}}", traced.target)
        else:
            self._report(node, context, f"{how} replaces {{target}}", f"{traced.target}.{name}")

    def _assign(self, node: cst.Assign, context: Context) -> None:
        value = node.value
        for assign_target in node.targets:
            target = assign_target.target
            if isinstance(target, cst.Name):
                self._bind(target.value, value, context)
            elif isinstance(target, cst.Attribute):
                if target.attr.value == "dependency_overrides" and isinstance(value, cst.Dict):
                    self._overrides(node, context, _text(target) or "dependency_overrides", value)
                elif self._is_mock(value, context):
                    self._mock_assigned(node, context, target, value)
            elif isinstance(target, cst.Subscript) and len(target.slice) == 1:
                overrides = _text(target.value)
                index = target.slice[0].slice
                if (
                    overrides is not None
                    and overrides.endswith("dependency_overrides")
                    and isinstance(index, cst.Index)
                ):
                    self._override(node, context, overrides, index.value, value)

    def _bind(self, name: str, value: cst.BaseExpression, context: Context) -> None:
        key = (context.function.qualname if context.function else None, name)
        if isinstance(value, cst.Await):  # repo = await make_repo(): what make_repo returns
            value = value.expression
        if isinstance(value, cst.Call | cst.Name | cst.Attribute):
            self._bound[key] = self.trace(value, context)
        elif isinstance(value, _TEST_DATA) or _is_literal(value):
            self._bound[key] = _TEST_DATA_BOUND
        else:
            self._bound[key] = _UNTRACED
        spec = self._spec(value, context)
        if spec is not None:
            self._spec_of[key] = spec
        else:
            self._spec_of.pop(key, None)

    def _mock_assigned(
        self, node: cst.Assign, context: Context, target: cst.Attribute, value: cst.BaseExpression
    ) -> None:
        """``obj.attr = Mock()``: a replacement when ``obj`` is first-party, not mock setup."""
        owner = target.value
        if isinstance(owner, cst.Name) and owner.value in ("self", "cls"):
            return  # the test case's own attribute (unittest setUp), not the code under test
        if isinstance(value, cst.Call) and _keyword(value, "wraps") is not None:
            return  # a spy: the real code still runs
        factory = self._mock_factory(value, context)
        spelled = f"{factory}(...)" if factory else f"the mock {_text(value)}"
        self._replaced(node, context, spelled, owner, self.trace(owner, context), target.attr.value)

    def _overrides(
        self, node: cst.CSTNode, context: Context, overrides: str, mapping: cst.Dict
    ) -> None:
        for element in mapping.elements:
            if isinstance(element, cst.DictElement):
                self._override(node, context, overrides, element.key, element.value)

    def _override(
        self,
        node: cst.CSTNode,
        context: Context,
        overrides: str,
        provider: cst.BaseExpression,
        replacement: cst.BaseExpression,
    ) -> None:
        """A FastAPI dependency override is a replacement when what it installs is a mock."""
        if isinstance(replacement, cst.Lambda):  # FastAPI calls it: what does it return?
            body = replacement.body
            mock = self._is_mock(body, context) or (
                isinstance(body, cst.Call) and self._returns_mock_name(body.func, context)
            )
        else:  # a mock (calling it gives a mock too), or a function returning one
            mock = self._is_mock(replacement, context) or self._returns_mock_name(
                replacement, context
            )
        traced = self.trace(provider, context)
        if not mock or traced.target is None or "()" in traced.target:
            return  # a real fake, or a provider the test file defines or cannot trace
        self._report(
            node,
            context,
            f"{overrides}[...] puts a mock in place of {{target}}: keep the real provider, or "
            "override it with a real fake (an in-memory implementation, fakeredis), and fake "
            "only the external boundary it reaches.",
            traced.target,
        )

    def _returns_mock_name(self, node: cst.BaseExpression, context: Context) -> bool:
        """Whether ``node`` names a function of the test file that returns a mock."""
        if not isinstance(node, cst.Name) or node.value not in self._functions:
            return False
        known = self._mock_returning.get(node.value)
        if known is None:
            function = self._functions[node.value]
            known = self._mock_returning[node.value] = self._returns_mock(function.body, context)
        return known

    def _spec_mocks_passed(self, node: cst.Call, context: Context) -> None:
        """``OrderService(repo=Mock(spec=Repo))``: a mock standing in for a first-party class."""
        callee: Traced | None = None
        for arg in node.args:
            spec = self._spec(arg.value, context)
            if spec is None:
                continue
            callee = callee or self.trace(node.func, context)
            if callee.target is None:
                return  # a helper of the test file or an untraced factory: cannot tell
            mock = "a mock" if isinstance(arg.value, cst.Call) else f"{_text(arg.value)}, a mock"
            self._report(
                node,
                context,
                f"{mock} shaped like {{target}}, is passed to {_text(node.func) or 'a call'}(...) "
                "and stands in for it: pass the real object, with a high-fidelity fake only at "
                "the external boundary it reaches.",
                f"{spec}|{callee.target}",
            )

    # Reporting ------------------------------------------------------------------------------

    def _report(self, node: cst.CSTNode, context: Context, template: str, target: str) -> None:
        context.report(INTERNAL_MOCK, node, template, target=target)

    def _unresolved(self, node: cst.CSTNode, context: Context, message: str) -> None:
        context.report(UNRESOLVED_MOCK_TARGET, node, message)
