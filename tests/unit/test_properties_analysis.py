"""Property tests: the analysis of one file never raises and never crashes the process.

Sources are generated from a small expression grammar with deep nesting and long chains (the
shapes that crashed or stalled libcst's parser), kept when CPython compiles them; random text
and random bytes go through the same path as a file read from disk.
"""

from __future__ import annotations

import ast

from hypothesis import assume, given
from hypothesis import strategies as st

from pytest_seams.analysis import FileAnalysis, analyze_source
from pytest_seams.analysis.parsing import MAX_NESTING, deepest_nesting
from pytest_seams.analysis.project import Undecodable, decode_source

ATOMS = st.sampled_from(["a", "1", "'s'", "os.environ", "None", "b'x'", "x.y", "f'{a}'"])
BINARY = st.sampled_from([" and ", " or ", " + ", " * ", " ** ", " < ", " | ", " if a else "])


def _wrap(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """One level of nesting around an expression."""
    return st.one_of(
        inner.map(lambda e: f"({e})"),
        inner.map(lambda e: f"[{e}]"),
        inner.map(lambda e: f"{{{e}: {e}}}"),
        inner.map(lambda e: f"f({e})"),
        inner.map(lambda e: f"a[{e}]"),
        inner.map(lambda e: f"-{e}"),
        inner.map(lambda e: f"not {e}"),
        inner.map(lambda e: f"lambda: {e}"),
        inner.map(lambda e: f"{e}.attr"),
        st.tuples(inner, BINARY, inner).map("".join),
    )


EXPRESSIONS = st.recursive(ATOMS, _wrap, max_leaves=8)


@st.composite
def deep_expressions(draw: st.DrawFn) -> str:
    """An expression with one long chain or deep nesting: up to 3,000 levels of one shape."""
    count = draw(st.integers(1, 3_000))
    atom = draw(EXPRESSIONS)
    shape = draw(st.sampled_from(["chain", "prefix", "postfix", "brackets", "strings", "nest-if"]))
    if shape == "chain":
        return draw(BINARY).join([atom] * count)
    if shape == "prefix":
        return draw(st.sampled_from(["-", "not ", "lambda: ", "await "])) * count + atom
    if shape == "postfix":
        return atom + draw(st.sampled_from(["[0]", "()", ".a", "[a:b]"])) * count
    if shape == "brackets":
        opening = draw(st.sampled_from(["(", "["]))
        closing = {"(": ")", "[": "]"}[opening]
        return opening * count + atom + closing * count
    if shape == "strings":
        return "(" + " ".join(["'a'"] * count) + ")"
    return "a if " * count + atom + " else a" * count


def module_with(expression: str) -> str:
    return (
        "import os\nimport pytest\n\n\n@pytest.fixture\ndef value():\n"
        f"    return {expression}\n\n\ndef test_value(value):\n"
        f"    os.environ['X'] = str({expression})\n"
    )


def compiles(source: str) -> bool:
    try:
        compile(source, "test_generated.py", "exec", dont_inherit=True)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True


@given(EXPRESSIONS)
def test_generated_modules_are_analysed(expression: str) -> None:
    """Shallow generated modules CPython accepts are analysed without error."""
    source = module_with(expression)
    assume(compiles(source))
    result = analyze_source(source, "test_generated.py")
    assert result.error is None, (result.error, source)
    assert "SEAM201" in {finding.code for finding in result.findings}


@given(deep_expressions())
def test_deep_modules_never_raise_nor_crash(expression: str) -> None:
    """Deeply nested or long chained modules CPython accepts: an analysis or a reason, never
    an exception or a crash; within the nesting limit, an analysis."""
    source = module_with(expression)
    assume(compiles(source))
    result = analyze_source(source, "test_generated.py")
    assert isinstance(result, FileAnalysis)
    depth, _ = deepest_nesting(ast.parse(source), MAX_NESTING)
    if result.error is not None:
        assert depth > MAX_NESTING or "recursion limit" in result.error, (result.error, depth)


@given(st.text(max_size=2_000))
def test_random_text_never_raises(text: str) -> None:
    result = analyze_source(text, "test_random.py")
    assert isinstance(result, FileAnalysis)
    assert result.error is None or result.error.strip()


@given(st.binary(max_size=2_000))
def test_random_bytes_never_raise(content: bytes) -> None:
    source = decode_source(content)
    if isinstance(source, Undecodable):
        assert source.error.startswith("cannot decode")
        return
    assert isinstance(analyze_source(source, "test_random.py"), FileAnalysis)
