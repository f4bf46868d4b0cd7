"""Property tests: the plan parser, the docstring parser and the glob matcher on any input.

Random Markdown is built from the pieces that broke them (seam headings, tables, lists,
fields, entities that decode to control characters, raw control characters and long runs of
one character); they must never raise, must keep every seam field on one line, and must take
time linear in the input. HYPOTHESIS_PROFILE=long runs 5,000 examples per property.
"""

from __future__ import annotations

import re
import time
import unicodedata
from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pytest_seams.collect import docstring_clues
from pytest_seams.docstrings import check_contract, parse_sections
from pytest_seams.inference import Candidates, infer
from pytest_seams.paths import _compile, _tokens, glob_match
from pytest_seams.plan import PlanSeam, parse_plan

REQUIRED = ("Integration Scope", "Business Impact", "Success Criteria")
PIECES = [
    "SEAM", "**SEAM**", "Seam 3", "SEAM-2", "seam", ": ", " — ", " - ", " -> ", " → ", "<->",
    "(P0)", "[HIGH]", "P1", "HIGH", "Deferred", "Priority 2", "**Priority**:", "Scenarios:",
    "ID:", "Components:", "Business Impact:", "`tests/test_x.py`", "test_y.py",
    "&#10;", "&#13;", "&#27;", "&#0;", "&#x85;", "&#x2028;", "&#x202e;", "&amp;", "&nbsp;",
    "\t", "\x0b", "\x0c", "\x1b[2J", "\x00", "\x7f", "\x85", "\u2028", "\u2029", "\u202e",
    "\ufeff", "[", "]", "(", ")", "`", "``", "*", "**", "_", "|", "#", ">", "<b>", "<!--",
    "\\", "  ", ".", "1.",
]  # fmt: skip
RUN_CHARS = ".-=*[]`(: <>|#_\\&\t"
# What no one-line field of a seam may hold (bidirectional overrides included: they can make
# a title display as another).
FORBIDDEN_CATEGORIES = {"Cc", "Zl", "Zp"}
BIDI_CONTROLS = set(map(chr, [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]))

runs = st.builds(lambda char, count: char * count, st.sampled_from(RUN_CHARS), st.integers(0, 400))
words = st.text(st.characters(exclude_categories=["Cs"]), max_size=12)
inline = st.lists(st.one_of(st.sampled_from(PIECES), runs, words), max_size=10).map("".join)


@st.composite
def blocks(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(["heading", "table", "list", "field", "fence", "quote", "text"]))
    text = draw(inline)
    if kind == "heading":
        return "#" * draw(st.integers(1, 7)) + " " + text
    if kind == "table":
        names = st.sampled_from(["Seam", "Priority", "Status", "Test file", "ID", text])
        columns = draw(st.lists(names, min_size=1, max_size=4))
        rows = draw(st.lists(st.lists(inline, min_size=1, max_size=4), max_size=4))
        lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
        return "\n".join(lines + ["| " + " | ".join(row) + " |" for row in rows])
    if kind == "list":
        depth = draw(st.integers(0, 6))
        return "\n".join(f"{'  ' * level}- {text}" for level in range(depth + 1))
    if kind == "field":
        return draw(st.sampled_from(["**Priority**: ", "Scenarios:\n- ", "ID: ", ""])) + text
    if kind == "fence":
        return f"```\n{text}\n```"
    if kind == "quote":
        return ">" * draw(st.integers(1, 5)) + " " + text
    return text


plans = st.lists(blocks(), max_size=12).map("\n\n".join)


def _one_line(text: str) -> bool:
    return not any(
        unicodedata.category(char) in FORBIDDEN_CATEGORIES or char in BIDI_CONTROLS for char in text
    )


def _fields_of(seam: PlanSeam) -> list[str]:
    return [
        seam.id,
        seam.title,
        seam.business_impact or "",
        seam.priority or "",
        *seam.components,
        *seam.scenarios,
        *seam.test_files,
    ]


@given(plans)
def test_plan_parser_never_fails_and_keeps_fields_on_one_line(text: str) -> None:
    started = time.perf_counter()
    parsed = parse_plan(text, "TEST_PLAN.md")
    elapsed = time.perf_counter() - started
    linear_bound = 1.0 + len(text) * 50e-6  # generous for a loaded 2-core machine
    if elapsed > linear_bound:  # a pause of the machine, or really slow? Measure again.
        elapsed = min(elapsed, _seconds(lambda: parse_plan(text, "TEST_PLAN.md")))
    # Our own failures are turned into a problem rather than raised: none may happen.
    assert not [p for p in parsed.problems if "please report" in p.message], parsed.problems
    for seam in parsed.seams:
        assert all(_one_line(field) for field in _fields_of(seam)), seam
        assert seam.title.strip()
    assert len({seam.id for seam in parsed.seams}) == len(parsed.seams)
    assert all(_one_line(problem.message) for problem in parsed.problems)
    # Linear (typical inputs parse in milliseconds).
    assert elapsed < linear_bound


@given(inline)
def test_any_heading_text_is_either_a_seam_a_problem_or_a_section(title: str) -> None:
    text = f"### SEAM: {title}\n"
    parsed = parse_plan(text, "TEST_PLAN.md")
    # A seam heading whose title has any word survives entities and control characters.
    if re.search(r"\w", unicodedata.normalize("NFKC", title.replace("&#", ""))):
        assert len(parsed.seams) + len(parsed.problems) >= 1


docstring_lines = st.lists(
    st.one_of(
        st.sampled_from([*REQUIRED, "Seam Under Test", "Critical Paths", "Name"]).map(
            lambda name: name + ":"
        ),
        st.builds(lambda indent, text: " " * indent + text, st.integers(0, 12), inline),
        st.sampled_from(["[List components]", "[a a", "TODO", "- item", "\t\t", ""]),
        runs,
    ),
    max_size=20,
).map("\n".join)


@given(docstring_lines, st.one_of(st.none(), docstring_lines))
def test_docstring_parser_never_fails(docstring: str, outer: str | None) -> None:
    started = time.perf_counter()
    sections = parse_sections(docstring)
    breaches = check_contract(docstring, (outer,), REQUIRED, ("Seam Under Test",))
    elapsed = time.perf_counter() - started
    linear_bound = 1.0 + len(docstring) * 50e-6
    if elapsed > linear_bound:  # check_contract is cached: time the parser again
        elapsed = min(elapsed, _seconds(lambda: parse_sections(docstring)))
    assert all("\n" not in section.name for section in sections)
    assert all("\n" not in breach.message for breach in breaches)
    lines = docstring.expandtabs(4).splitlines()
    assert all(0 <= section.line < len(lines) for section in sections)
    assert elapsed < linear_bound


_REGEX = {"**/": "(?:.*/)?", "**": ".*", "*": "[^/]*", "?": "[^/]"}


@given(
    st.text("ab/.*?", max_size=14),
    st.text("ab/.", max_size=14),
)
def test_glob_matching_agrees_with_the_regular_expression_dialect(pattern: str, path: str) -> None:
    # The automaton used for many wildcards must match exactly what the regex dialect matches.
    regex = "".join(_REGEX.get(token) or re.escape(token) for token in _tokens(pattern))
    expected = re.compile(regex + r"\Z").match(path) is not None
    assert bool(_compile(pattern).match(path)) == expected
    if "/" in pattern:  # glob_match adds nothing to a pattern with '/': the same answer
        assert glob_match(path, pattern) == expected or pattern.strip().startswith("./")


def _seconds(function: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(2):  # the faster of two runs: less noise from a busy machine
        started = time.perf_counter()
        function()
        best = min(best, time.perf_counter() - started)
    return best


HOSTILE_PLANS: dict[str, Callable[[int], str]] = {
    "seam headings": lambda n: "".join(f"### SEAM {i}: A -> B{i}\n\nx\n\n" for i in range(n // 30)),
    "heading of dots": lambda n: "### " + "." * n + "\n",
    "seam then dots": lambda n: "### SEAM" + "." * n + "seam.\n",
    "run of dashes": lambda n: "### SEAM: a " + "-" * n + " b\n",
    "run of arrows": lambda n: "### SEAM: a " + "<=" * (n // 2) + "\n",
    "label lines": lambda n: "### SEAM: a\n\n" + "Priority:\n" * (n // 10),
    "table rows": lambda n: "| Seam | Test file |\n|---|---|\n" + "| a → b | t.py |\n" * (n // 20),
    "entities": lambda n: "### SEAM: a" + "&#10;" * (n // 5) + "\n",
    "priority words": lambda n: "### SEAM: a (" + "HIGH " * (n // 5) + "): b\n",
    "blank lines in a fence": lambda n: "### SEAM: a\n\n```\n" + "\n" * n + "# File: t.py\n```\n",
}  # fmt: skip
HOSTILE_DOCSTRINGS: dict[str, Callable[[int], str]] = {
    "unclosed placeholder": lambda n: "Scope: [a " + "a " * (n // 2),
    "many headings": lambda n: "x\n" + "Scope:\n" * (n // 7),
    "long name": lambda n: "x\n" + "Ab " * (n // 3) + ":",
    "tabs and colons": lambda n: "x\n" + "\t:" * (n // 2),
}
HOSTILE_CLUES: dict[str, Callable[[int], str]] = {
    "spaces after seam": lambda n: "seam" + " " * n + "x",
    "many seam words": lambda n: "seam " * (n // 5),
    "long first line": lambda n: "Tests for " + "a " * (n // 2),
    "words before tests for": lambda n: "a " * (n // 2) + "tests for x",
    "numbers with titles": lambda n: "SEAM 1: a b c\n" * (n // 14),
    "number then spaces": lambda n: "SEAM 1" + " " * n + ": title",
    "long integration scope": lambda n: "x\n\nIntegration Scope:\n    " + "Ab " * (n // 3),
}
HOSTILE_GLOBS: dict[str, tuple[Callable[[int], str], str]] = {
    "many **/": (lambda n: "**/" * (n // 200) + "b.py", "a/" * 200 + "c.py"),
    "many **/a/": (lambda n: "**/a/" * (n // 200) + "b.py", "a/" * 200 + "c.py"),
    "many *a": (lambda n: "*a" * (n // 200) + "b", "a" * 400),
}


def _grows_linearly(small: Callable[[], object], large: Callable[[], object]) -> bool:
    """Whether 4x the input takes well under 16x the time (what quadratic would take).

    Linear is ~4x; up to 10x is accepted, and very short runs are noise. On a busy machine one
    measurement can be far off, so three tries are allowed: a quadratic cost fails them all.
    """
    times = []
    for _ in range(3):
        times.append((_seconds(small), _seconds(large)))
        if times[-1][1] < 10 * times[-1][0] or times[-1][1] < 0.05:
            return True
    print(times)
    return False


@pytest.mark.parametrize("name", list(HOSTILE_PLANS))
def test_plan_parsing_time_grows_linearly(name: str) -> None:
    make = HOSTILE_PLANS[name]
    small_text, large_text = make(10_000), make(40_000)
    assert _grows_linearly(
        lambda: parse_plan(small_text, "p.md"), lambda: parse_plan(large_text, "p.md")
    ), name


@pytest.mark.parametrize("name", list(HOSTILE_DOCSTRINGS))
def test_docstring_parsing_time_grows_linearly(name: str) -> None:
    make = HOSTILE_DOCSTRINGS[name]
    small_text, large_text = make(20_000), make(80_000)
    # check_contract caches by docstring: a unique suffix makes every run a real one.
    count = iter(range(1_000))

    def check(text: str) -> object:
        return check_contract(f"{text}\n{next(count)}", (), REQUIRED, ())

    assert _grows_linearly(lambda: check(small_text), lambda: check(large_text)), name


@pytest.mark.parametrize("name", list(HOSTILE_CLUES))
def test_docstring_clue_reading_time_grows_linearly(name: str) -> None:
    make = HOSTILE_CLUES[name]
    small_text, large_text = make(20_000), make(80_000)
    # docstring_clues caches by docstring: a unique suffix makes every run a real one.
    count = iter(range(1_000))
    assert _grows_linearly(
        lambda: docstring_clues(f"{small_text}\n{next(count)}", "module"),
        lambda: docstring_clues(f"{large_text}\n{next(count)}", "module"),
    ), name


@pytest.mark.parametrize("name", list(HOSTILE_GLOBS))
def test_glob_matching_time_grows_linearly(name: str) -> None:
    make, path = HOSTILE_GLOBS[name]
    small_pattern, large_pattern = make(2_000), make(8_000)
    assert _grows_linearly(
        lambda: _compile(small_pattern).match(path), lambda: _compile(large_pattern).match(path)
    ), name


def test_inference_time_is_bounded_by_the_text_limit() -> None:
    """An Integration Scope of any length costs what its first TEXT_LIMIT characters cost."""
    seams = parse_plan(
        "".join(f"### SEAM {i}: Word{i} API → Service{i} → Store{i}\n\n" for i in range(200)),
        "p.md",
    ).seams
    count = iter(range(1_000))

    def infer_over(size: int) -> object:
        run = next(count)  # a new text each time: Candidates and words() cache by text
        text = " ".join(f"word{i}x{run}" for i in range(size // 8))
        return infer([text], Candidates(seams))

    assert _grows_linearly(lambda: infer_over(20_000), lambda: infer_over(80_000)) or (
        _seconds(lambda: infer_over(80_000)) < 0.5
    )
