"""Property tests: every renderer, fed arbitrary hostile text anywhere in a Report, renders
without raising and keeps its output safe and well-formed."""

from __future__ import annotations

import dataclasses
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, get_args

from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from pydantic_core import to_json

from pytest_seams.model import (
    CodeName,
    Finding,
    LinkReason,
    Priority,
    Report,
    ReportMeta,
    Seam,
    SeamLink,
    TestRecord,
    adapter,
)
from pytest_seams.report import UNSAFE_CHARACTERS, safe_line, shown, starts_with_command
from pytest_seams.report.github import render_github
from pytest_seams.report.html import render_html
from pytest_seams.report.json import _surrogates_escaped, render_json
from pytest_seams.report.markdown import render_markdown
from pytest_seams.report.term import SEAMS_SHOWN, render_term, term_lines
from pytest_seams.session import REDACTED, relative_args

# Pieces that attack one format or another: workflow commands, line breaks, terminal escapes,
# Markdown and HTML markup, entities, lone surrogates (non-UTF-8 file name bytes), bidi controls.
FRAGMENTS = (
    "::", "::error file=a.py,line=1::x", "\n::add-mask::s", "  ::stop-commands::t", "##[error]",
    "\n", "\r", "\r\n", "\t", "\x1b[31m", "\x00", "\x85", "\u2028", "\u202e", "\xa0::",
    "\u200b::", "\ufeff\u3000::",
    "`", "``", "```", "<script>alert(1)</script>", "<img src=x onerror=y>", "<!--", "&#10;",
    "&lt;", "|", "\\", "*", "_", "[x](http://e)", "![i](x)", "#", "- [ ] ", "1. ", "$x$", "@team",
    "\udcff", "\udc80", "\ud800", "é", "→",
)  # fmt: skip
# Every code point, surrogates included (st.text() leaves them out).
ANY_CHARACTER = st.characters(exclude_categories=())
TEXT = st.lists(
    st.one_of(st.text(ANY_CHARACTER, max_size=8), st.sampled_from(FRAGMENTS)), max_size=6
).map("".join)
LINES = st.integers(min_value=1, max_value=10**6)


@st.composite
def reports(draw: st.DrawFn) -> Report:
    links = st.builds(SeamLink, nodeid=TEXT, reason=st.sampled_from(get_args(LinkReason)))
    seams = st.builds(
        Seam,
        id=TEXT,
        title=TEXT,
        priority=st.one_of(st.none(), st.sampled_from(get_args(Priority))),
        status=st.sampled_from(
            ["verified", "failing", "skipped", "not-run", "untested", "deferred"]
        ),
        tests=st.lists(TEXT, max_size=3).map(tuple),
        links=st.lists(links, max_size=3).map(tuple),
        plan=TEXT,
        line=LINES,
        components=st.lists(TEXT, max_size=2).map(tuple),
    )
    findings = st.builds(
        Finding,
        code=st.sampled_from(get_args(CodeName)),
        category=st.sampled_from(["docstring", "plan", "internal-error"]),
        severity=st.sampled_from(["error", "warning", "info"]),
        path=st.one_of(st.none(), TEXT),
        line=st.one_of(st.none(), LINES),
        nodeid=st.one_of(st.none(), TEXT),
        message=TEXT,
    )
    tests = st.builds(
        TestRecord,
        nodeid=TEXT,
        path=TEXT,
        line=st.one_of(st.none(), LINES),
        integration=st.booleans(),
        selected=st.booleans(),
        seams=st.lists(TEXT, max_size=2).map(tuple),
        outcome=st.one_of(st.none(), st.sampled_from(["passed", "failed", "skipped"])),
    )
    problems = draw(st.lists(TEXT, max_size=2).map(tuple))
    meta = ReportMeta(
        plugin_version=draw(TEXT),
        pytest_version="9.2.0",
        python_version="3.11.7",
        args=draw(st.lists(TEXT, max_size=3).map(tuple)),
        mode=draw(st.sampled_from(["warn", "strict"])),
        partial=bool(problems),
        problems=problems,
    )
    return Report.build(
        meta,
        draw(st.lists(findings, max_size=4)),
        draw(st.lists(tests, max_size=4)),
        draw(st.lists(seams, max_size=4)),
    )


def assert_safe_line(line: str) -> None:
    assert not line.lstrip().startswith("::"), line
    assert not starts_with_command(line), line
    assert "##[" not in line, line
    assert re.search(UNSAFE_CHARACTERS, line) is None, line
    assert line.splitlines() in ([line], []), line


@given(TEXT)
def test_shown_text_is_one_safe_line(text: str) -> None:
    """shown() and safe_line() give one line, no control character, no workflow command."""
    assert "\n" not in shown(text)
    assert re.search(UNSAFE_CHARACTERS, shown(text)) is None
    assert_safe_line(safe_line(text))
    shown(text).encode("utf-8")  # raises on a lone surrogate


@given(reports(), st.booleans())
def test_terminal_lines_are_safe(report: Report, missing: bool) -> None:
    """No terminal line is a workflow command, holds a control character or breaks in two."""
    text = render_term(report, missing)
    for line in text.split("\n"):
        assert_safe_line(line)
    shown_seams = [seam for seam in report.seams if missing or seam.status != "verified"]
    titled = [line for line in text.split("\n") if line.startswith("  ") and " (" in line]
    listed = sum(1 for s in shown_seams if s.status != "deferred" or missing)
    # The default view lists the first SEAMS_SHOWN seams that are not verified, and counts
    # the rest.
    assert len(titled) >= (listed if missing else min(listed, SEAMS_SHOWN))
    for text_line, _tone in term_lines(report, "quiet" if missing else "default"):
        assert_safe_line(text_line)


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.seam_rows = 0
        self.texts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag == "tr" and any(name == "data-priority" for name, _ in attrs):
            self.seam_rows += 1

    def handle_data(self, data: str) -> None:
        self.texts.append(data)


OUR_TAGS = {
    "html", "head", "meta", "title", "style", "script", "body", "h1", "h2", "p", "table",
    "tr", "th", "td", "span", "br", "ul", "li", "label", "select", "option", "thead", "tbody",
    "input", "time",
}  # fmt: skip


@given(reports())
def test_html_escapes_everything(report: Report) -> None:
    """The page holds only our tags: one script, one table row per seam, no foreign markup."""
    parser = _Tags()
    parser.feed(render_html(report))
    parser.close()
    assert set(parser.tags) <= OUR_TAGS
    assert parser.tags.count("script") == 1
    assert parser.seam_rows == len(report.seams)
    assert parser.tags.count("li") == sum(len(s.links) for s in report.seams) + len(
        report.unlinked_integration_tests
    )


def _tokens(text: str) -> list[Any]:
    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    return [*tokens, *(child for token in tokens for child in token.children or ())]


@given(reports())
def test_markdown_has_no_markup_from_the_report(report: Report) -> None:
    """No raw HTML, link or image from report text; one checklist line and item per seam."""
    text = render_markdown(report)
    tokens = _tokens(text)
    assert not [t for t in tokens if t.type in ("html_block", "html_inline", "image")]
    assert not [t for t in tokens if t.type == "link_open"]
    assert sum(1 for t in tokens if t.type == "list_item_open") == len(report.seams)
    marks = tuple(f"- {mark} " for mark in ("✅", "❌", "⚠️", "💤"))
    assert sum(1 for line in text.splitlines() if line.startswith(marks)) == len(report.seams)
    for line in text.splitlines():
        assert_safe_line(line)


@given(reports())
def test_github_commands_cannot_be_broken_by_report_text(report: Report) -> None:
    """Each finding is one command line: no text of the report ends it or starts another."""
    lines = render_github(report).split("\n")
    commands = [line for line in lines if line.startswith("::")]
    assert len(commands) == min(len(report.findings), 50)
    for line in commands:
        assert not re.search(UNSAFE_CHARACTERS, line)
        head = line[2:].partition("::")[0]
        assert re.fullmatch(r"(error|warning|notice) [^:\s]*(\s[^:]*)?", head), head
    for line in lines:
        assert line.startswith(("::", "seams: "))


def _has_surrogate(value: object) -> bool:
    if isinstance(value, str):
        return any(0xD800 <= ord(ch) <= 0xDFFF for ch in value)
    if isinstance(value, (list, tuple)):
        return any(_has_surrogate(item) for item in value)
    if isinstance(value, dict):
        return any(_has_surrogate(k) or _has_surrogate(v) for k, v in value.items())
    if hasattr(value, "__dataclass_fields__"):
        return any(_has_surrogate(getattr(value, name)) for name in value.__dataclass_fields__)
    return False


@given(reports())
def test_json_is_valid_and_round_trips(report: Report) -> None:
    """The JSON report is valid UTF-8 JSON; without surrogates it reads back as the report."""
    text = render_json(report)
    text.encode("utf-8")  # raises on a lone surrogate
    loaded = json.loads(text)
    assert loaded["counts"]["error"] == report.counts.error
    assert len(loaded["seams"]) == len(report.seams)
    if not _has_surrogate(report):
        assert adapter(Report).validate_json(text) == report
        # The fallback for surrogates writes the same JSON as the fast path.
        plain = _surrogates_escaped(dataclasses.asdict(report))
        assert to_json(plain, indent=2).decode() + "\n" == text
    else:
        assert "\\x" in text or "\\u" in text


SECRET = st.text(st.characters(exclude_characters="\x00"), min_size=4).map(lambda s: f"S{s}")


@given(
    st.sampled_from(["--api-key", "--db_password", "--auth-token", "--secret", "--x-cookie"]),
    SECRET,
    st.lists(st.sampled_from(["-x", "-q", "tests", "-k", "a and b", "--lf"]), max_size=3),
)
def test_secret_option_values_are_not_recorded(option: str, secret: str, others: list[str]) -> None:
    """The value of an option named like a secret never reaches meta.args, in any form."""
    for args in ([*others, f"{option}={secret}"], [*others, option, secret]):
        recorded = relative_args(args, Path("/nonexistent"), Path("/nonexistent"))
        assert recorded[: len(others)] == others
        assert recorded[-1] in (f"{option}={REDACTED}", REDACTED)
        assert secret not in "\0".join(recorded)  # nothing else holds a capital S


@given(SECRET.filter(lambda s: "@" not in s and "/" not in s and not any(c.isspace() for c in s)))
def test_url_passwords_are_not_recorded(secret: str) -> None:
    """A password in a URL anywhere on the command line is redacted."""
    recorded = relative_args([f"--db=postgres://app:{secret}@db/app"], Path("/x"), Path("/x"))
    assert recorded == [f"--db=postgres://app:{REDACTED}@db/app"]
