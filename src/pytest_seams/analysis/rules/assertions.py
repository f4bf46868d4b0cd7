"""SEAM501-SEAM503: integration tests that check nothing, only mocks, or private state."""

from __future__ import annotations

from typing import ClassVar

import libcst as cst

from pytest_seams.analysis.engine import Context, Function, Handler, Rule, children
from pytest_seams.analysis.names import attribute_chain, string_value
from pytest_seams.analysis.returns import factory_phrase, object_phrase
from pytest_seams.analysis.rules._mockapi import MOCK_FACTORIES, mock_api
from pytest_seams.codes import MOCK_ONLY_CHECKS, NO_CHECK, PRIVATE_ATTRIBUTE_CHECK, Code

_CHECK_PREFIXES = ("assert", "check", "verify", "expect")
# pytest's own output matchers fail the test on a mismatch, like an assert.
_CHECK_METHODS = frozenset(
    {"fnmatch_lines", "re_match_lines", "no_fnmatch_line", "no_re_match_line"}
)
_PYTEST_CHECKS = frozenset(
    {"pytest.raises", "pytest.warns", "pytest.fail", "pytest.deprecated_call", "pytest.approx"}
)
# The assertion methods of unittest.mock's mocks: no other object has them, so a call of one
# is a mock check whatever the receiver. A function named assert_* is not one of them.
_MOCK_ASSERTIONS = frozenset(
    {
        "assert_called",
        "assert_called_once",
        "assert_called_with",
        "assert_called_once_with",
        "assert_any_call",
        "assert_has_calls",
        "assert_not_called",
        "assert_awaited",
        "assert_awaited_once",
        "assert_awaited_with",
        "assert_awaited_once_with",
        "assert_any_await",
        "assert_has_awaits",
        "assert_not_awaited",
    }
)
# What a mock records of its calls: read on anything not known to be something else.
_MOCK_RECORDS = frozenset(
    {
        "call_count",
        "call_args",
        "call_args_list",
        "mock_calls",
        "method_calls",
        "await_count",
        "await_args",
        "await_args_list",
    }
)
# Ordinary words that are mock state only on a name known to hold a mock.
_MOCK_FLAGS = frozenset({"called"})
_MOCKER_MAKERS = frozenset({"spy", "stub", "async_stub"})
_CONTAINER_ANNOTATIONS = frozenset(
    {"Iterator", "Iterable", "Generator", "AsyncIterator", "AsyncIterable", "AsyncGenerator"}
)


def _last_name(node: cst.BaseExpression) -> str | None:
    if isinstance(node, cst.Attribute):
        return node.attr.value
    if isinstance(node, cst.Name):
        return node.value
    return None


def _is_mock_assertion(node: cst.Call) -> bool:
    return isinstance(node.func, cst.Attribute) and node.func.attr.value in _MOCK_ASSERTIONS


def _passes_new(node: cst.Call, api: str) -> bool:
    """Whether a patcher is given the replacement (``new``), so it makes no mock of its own."""
    if any(arg.keyword is not None and arg.keyword.value == "new" for arg in node.args):
        return True
    positional = [arg for arg in node.args if arg.keyword is None and not arg.star]
    return len(positional) >= (3 if api == "patch.object" else 2)


def _parameters(node: cst.FunctionDef) -> list[str]:
    params = node.params
    return [p.name.value for p in (*params.posonly_params, *params.params, *params.kwonly_params)]


def _made_object(origin: str) -> str:
    """What a call of ``origin`` makes, as the message names it: a class's instance by the
    class's name, else the object the factory returns (named by its class in ``_decide``)."""
    last = origin.rsplit(".", 1)[-1]
    if last[:1].isupper():
        return object_phrase(last)
    return factory_phrase(origin)


class AssertionRule(Rule):
    """An integration test must check observable outcomes, not nothing, mocks, or internals.

    A check is an ``assert``, ``pytest.raises``/``warns``/``fail``/``approx``, pytester's
    output matchers, or a call of a function or method whose name starts with ``assert``,
    ``check``, ``verify`` or ``expect`` (numpy.testing's ``assert_allclose``, hamcrest's
    ``assert_that``, the project's own ``assert_valid_order(resp)``, unittest's
    ``self.assertEqual``). A check is only a mock check (SEAM502) when it is a mock's own
    assertion method (``assert_called_once_with``, ``assert_awaited``, ``assert_has_calls``,
    ...) or reads what a mock recorded (``call_count``, ``call_args``, ``mock_calls``, ...; and
    ``called`` on a name known to hold a mock: ``Mock()``, ``create_autospec(...)``,
    ``mocker.patch(...)``, ``with patch(...) as m``, ``patch(...).start()``, a ``@patch``
    parameter). SEAM503 follows objects built by first-party calls, awaited or not, and objects
    from fixtures of the same module whose body returns or yields one, or whose return
    annotation names a first-party class; the message names the object's class.
    """

    codes: ClassVar[tuple[Code, ...]] = (NO_CHECK, MOCK_ONLY_CHECKS, PRIVATE_ATTRIBUTE_CHECK)
    VALID = (
        """
import pytest

def test_assert(client):
    assert client.get("/").status_code == 200

def test_raises(service):
    with pytest.raises(KeyError):
        service.buy(["durian"])

def test_helper(response):
    check_response(response)

def test_unittest_style(self_like):
    self_like.assertEqual(1, 1)

def test_pytester_output(pytester):
    pytester.runpytest().stdout.fnmatch_lines(["*1 passed*"])

def test_library_assertions(prices):
    from hamcrest import assert_that, equal_to
    from numpy.testing import assert_allclose

    assert_allclose(prices.totals(), [1.0, 2.5])
    assert_that(prices.currency, equal_to("EUR"))

def test_own_assertion_helper(client):
    assert_valid_order(client.post("/orders"))

def test_mock_check_and_outcome(client, mocker):
    sender = mocker.Mock()
    response = client.notify(sender)
    sender.send.assert_called_once()
    assert response.status_code == 202

def test_stats_are_not_a_mock(client):
    stats = client.stats()
    assert stats.called
""",
        """
import pytest
from shop.cache import PriceCache

@pytest.fixture
def cache():
    return PriceCache()

def test_public_interface(cache):
    cache.put("apple", 3)
    assert cache.get("apple") == 3

def test_unknown_object(client):
    assert client._session is not None
""",
    )
    INVALID = (
        """
from unittest.mock import MagicMock, patch
from shop.cache import PriceCache

def test_nothing(client):  # expect: SEAM501
    client.get("/")

def test_only_mocks(client):  # expect: SEAM502
    sender = MagicMock()
    client.notify(sender)
    sender.send.assert_called_once()
    assert sender.send.call_count == 1

@patch("smtplib.SMTP")
def test_only_patched(smtp, client):  # expect: SEAM502
    client.notify()
    assert smtp.called

def test_only_fixture_mock(client, sender):  # expect: SEAM502
    from hamcrest import assert_that, equal_to

    client.notify(sender)
    sender.send.assert_called_once_with("hello")
    assert_that(sender.send.call_count, equal_to(1))

def test_private():
    cache = PriceCache()
    assert cache._store == {}  # expect: SEAM503
""",
        """
import pytest
from typing import Iterator
from shop.cache import PriceCache

@pytest.fixture
def cache():
    return PriceCache()

@pytest.fixture
def warm_cache() -> Iterator[PriceCache]:
    yield PriceCache.warmed()

def test_fixture_object(cache, warm_cache):
    assert cache._store == {}  # expect: SEAM503
    assert warm_cache._store  # expect: SEAM503

async def test_awaited_factory():
    cache = await PriceCache.connect()
    assert cache._store == {}  # expect: SEAM503
""",
    )

    def __init__(self) -> None:
        self._patch_parameters: dict[int, frozenset[str]] = {}  # by id of the FunctionDef
        self._provided: dict[int, str] = {}  # fixture FunctionDef id -> what it returns
        self._fixtures: dict[str, str] = {}  # fixture name -> origin of the object it provides

    def handlers(self) -> dict[type[cst.CSTNode], Handler]:
        return {
            cst.Assert: self._assert,
            cst.Call: self._call,
            cst.Assign: self._assign,
            cst.WithItem: self._with_item,
            cst.FunctionDef: self._function,
            cst.Return: self._return,
            cst.Yield: self._yield,
        }

    # Which names hold mocks ------------------------------------------------------------------

    def _function(self, node: cst.FunctionDef, context: Context) -> None:
        """``@patch`` decorators pass their mocks as the first parameters (after ``self``)."""
        count = 0
        for decorator in node.decorators:
            expression = decorator.decorator
            if isinstance(expression, cst.Call):
                api = mock_api(context.scope.origin(expression.func))
                if api in ("patch", "patch.object") and not _passes_new(expression, api):
                    count += 1
        if count:
            names = _parameters(node)[1 if context.classes else 0 :]
            self._patch_parameters[id(node)] = frozenset(names[:count])

    def _assign(self, node: cst.Assign, context: Context) -> None:
        # A name or an attribute path: conn._connect = Mock() makes conn._connect a mock.
        chain = attribute_chain(node.targets[0].target) if len(node.targets) == 1 else None
        if chain is not None:
            self._bind_mock(".".join(chain), node.value, context)

    def _with_item(self, node: cst.WithItem, context: Context) -> None:
        if node.asname is not None and isinstance(node.asname.name, cst.Name):
            self._bind_mock(node.asname.name.value, node.item, context)

    def _bind_mock(self, name: str, value: cst.BaseExpression, context: Context) -> None:
        holds = self._holds_mock(value, context)
        if holds is None:
            context.scope.mocks.maps[0].pop(name, None)
        else:
            context.scope.mocks[name] = holds

    def _holds_mock(self, value: cst.BaseExpression, context: Context) -> bool | None:
        """True for a mock, False for anything else known, None when it cannot be told."""
        if isinstance(value, cst.Call):
            return self._makes_mock(value, context)
        if attribute_chain(value) is not None:
            return self._mockness(value, context)
        return False

    def _makes_mock(self, node: cst.Call, context: Context) -> bool:
        func = node.func
        if (
            isinstance(func, cst.Attribute)
            and func.attr.value == "start"
            and isinstance(func.value, cst.Call)
        ):  # patch(...).start() returns what the patch put in place
            node, func = func.value, func.value.func
        if self._mockness(func, context):  # calling a mock, or one of its methods
            return True
        api = mock_api(context.scope.origin(func))
        if api is None:
            return False
        if api in ("patch", "patch.object"):
            return not _passes_new(node, api)
        return api in MOCK_FACTORIES or api in _MOCKER_MAKERS

    def _mockness(self, node: cst.BaseExpression, context: Context) -> bool | None:
        """Whether an expression's root name holds a mock: True, False, or None (unknown)."""
        chain = attribute_chain(node)
        if chain is None:
            return None
        for size in range(len(chain), 0, -1):  # the longest path bound: conn._connect, conn
            known = context.scope.mocks.get(".".join(chain[:size]))
            if known is not None:
                return known
        for function in context.functions:
            if chain[0] in self._patch_parameters.get(id(function.node), ()):
                return True
        return None

    def _reads_mock_state(self, node: cst.CSTNode, context: Context) -> bool:
        stack = [node]
        while stack:
            current = stack.pop()
            if isinstance(current, cst.Attribute):
                name = current.attr.value
                if name in _MOCK_RECORDS and self._mockness(current.value, context) is not False:
                    return True
                if name in _MOCK_FLAGS and self._mockness(current.value, context):
                    return True
            elif isinstance(current, cst.Call) and _is_mock_assertion(current):
                return True
            stack.extend(children(current))
        return False

    def _only_mock_state(self, node: cst.BaseExpression, context: Context) -> bool:
        """``assert response.ok and m.called`` checks the response too: every operand counts."""
        if isinstance(node, cst.BooleanOperation) and isinstance(node.operator, cst.And):
            return self._only_mock_state(node.left, context) and self._only_mock_state(
                node.right, context
            )
        return self._reads_mock_state(node, context)

    # Checks ----------------------------------------------------------------------------------

    def _assert(self, node: cst.Assert, context: Context) -> None:
        context.note("mock-check" if self._only_mock_state(node.test, context) else "check", node)
        called: set[int] = set()  # attributes that are called: obj._compute()
        stack: list[cst.CSTNode] = [node.test]
        while stack:
            current = stack.pop()
            if isinstance(current, cst.Call):
                called.add(id(current.func))
            elif isinstance(current, cst.Attribute):
                name = current.attr.value
                if name.startswith("_") and not name.startswith("__"):
                    self._private(node, current, id(current) in called, context)
            stack.extend(children(current))

    def _call(self, node: cst.Call, context: Context) -> None:
        if context.scope.origin(node.func) in _PYTEST_CHECKS:
            context.note("check", node)
            return
        name = _last_name(node.func)
        if name in _CHECK_METHODS:
            context.note("check", node)
            return
        if _is_mock_assertion(node):
            context.note("mock-check", node)
            return
        if name is None or not name.lower().startswith(_CHECK_PREFIXES):
            return
        # A library's or the project's own assertion: a real check, unless what it is given to
        # check (its first argument) is what a mock recorded: assert_that(m.call_count, ...).
        first = node.args[0].value if node.args and node.args[0].keyword is None else None
        mock_only = first is not None and self._only_mock_state(first, context)
        context.note("mock-check" if mock_only else "check", node)

    # Private attributes ----------------------------------------------------------------------

    def _private(
        self, node: cst.Assert, attribute: cst.Attribute, called: bool, context: Context
    ) -> None:
        subject, name = attribute.value, attribute.attr.value
        chain = attribute_chain(subject)
        if chain is None:
            return
        root, rest = chain[0], chain[1:]
        written = ".".join(chain)
        function = context.function
        scope = context.scope
        made: str | None = None
        where = ""
        if (
            function is not None
            and function.kind in ("test", "fixture")
            and root not in scope.aliases.maps[0]
            and root in _parameters(function.node)
        ):
            made = self._fixtures.get(root)  # the parameter is a fixture's object, or unknown
            if made is None:
                return
            where = f" from the fixture {root}"
        else:
            made = scope.built_from.get(root)
        if made is not None:
            target = ".".join([made, *rest])
            what = _made_object(made) + where
            if rest:
                what = f"{written}, reached from {what}"
        else:
            target = scope.resolve(subject) or written
            what = target
        checked = f"what {written}.{name}() returns" if called else f"{written}.{name}"
        context.report(
            PRIVATE_ATTRIBUTE_CHECK,
            node,
            f"asserting on {checked}, a private attribute of {what}, ties the test to "
            "internals: check the observable outcome through the public interface instead.",
            target=made or target,
        )

    # Fixtures --------------------------------------------------------------------------------

    def _return(self, node: cst.Return, context: Context) -> None:
        self._provide(node.value, context)

    def _yield(self, node: cst.Yield, context: Context) -> None:
        if isinstance(node.value, cst.BaseExpression):
            self._provide(node.value, context)

    def _provide(self, value: cst.BaseExpression | None, context: Context) -> None:
        function = context.function
        if value is None or function is None or function.kind != "fixture":
            return
        if function is not context.owner:
            return
        if isinstance(value, cst.Await):
            value = value.expression
        made: str | None = None
        if isinstance(value, cst.Call):
            made = context.scope.origin(value.func)
        elif isinstance(value, cst.Name):
            made = context.scope.built_from.get(value.value)
        if made is not None:
            self._provided.setdefault(id(function.node), made)

    def _fixture_object(self, function: Function, context: Context) -> str | None:
        """The class a fixture's return annotation names, else what its body returns."""
        returns = function.node.returns
        if returns is not None:
            annotation = returns.annotation
            if isinstance(annotation, cst.Subscript) and len(annotation.slice) >= 1:
                container = _last_name(annotation.value)
                first = annotation.slice[0].slice
                if container in _CONTAINER_ANNOTATIONS and isinstance(first, cst.Index):
                    annotation = first.value
            text = string_value(annotation)
            if text is not None:  # a quoted annotation: "PriceCache"
                try:
                    annotation = cst.parse_expression(text)
                except cst.ParserSyntaxError:
                    annotation = returns.annotation
            if attribute_chain(annotation) is not None:
                resolved = context.scope.resolve(annotation)
                if resolved is not None and resolved != "None":
                    return resolved
        return self._provided.pop(id(function.node), None)

    def _fixture_name(self, function: Function) -> str:
        for decorator in function.node.decorators:
            expression = decorator.decorator
            if isinstance(expression, cst.Call):
                for arg in expression.args:
                    if arg.keyword is not None and arg.keyword.value == "name":
                        given = string_value(arg.value)
                        if given is not None:
                            return given
        return function.name

    # Verdicts --------------------------------------------------------------------------------

    def leave_function(self, function: Function, context: Context) -> None:
        if function.kind == "fixture" and function is context.owner:
            made = self._fixture_object(function, context)
            name = self._fixture_name(function)
            if made is not None:
                self._fixtures[name] = made
            else:
                self._fixtures.pop(name, None)
            return
        if function.kind != "test" or function is not context.functions[0]:
            return
        if function.notes.get("check"):
            return
        if function.notes.get("mock-check"):
            message = (
                "this integration test only checks mock calls: assert on an observable outcome "
                "(a response, a stored row, a message on a fake queue) as well."
            )
            context.report(MOCK_ONLY_CHECKS, function.node.name, message)
        else:
            message = (
                "this integration test checks nothing (no assert, pytest.raises/warns/fail, or "
                "assert*/check*/verify*/expect* helper): add a check of its outcome."
            )
            context.report(NO_CHECK, function.node.name, message)
